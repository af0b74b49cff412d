#![allow(clippy::expect_used, clippy::unwrap_used)]
//! The LCA engine against independent computations: the SciPy reference scores of a
//! `bench_bw2calc.py` dump, dense Gaussian elimination on random systems with loops, and
//! the invariants (linearity in demand, contributions summing to the score, intensities
//! reproducing every score, Monte Carlo reproducible at any thread count).

use std::path::Path;

use proptest::prelude::*;
use tanso::lca::calc::Lca;
use tanso::lca::document::Model;
use tanso::lca::dump::BenchDump;
use tanso::lca::montecarlo::{self, MonteCarloSpec};
use tanso::lca::sampling::{Distribution, LognormalConvention};
use tanso::lca::system::{IndexedSpec, LcaSystem};

fn dump() -> BenchDump {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/lca");
    let npz = std::fs::read(dir.join("synthetic_n1000_seed1.npz")).unwrap();
    let json = std::fs::read(dir.join("synthetic_n1000_seed1.json")).unwrap();
    BenchDump::read(&npz, &json).unwrap()
}

/// Source: `bench_bw2calc.py --n 1000 --seed 1 --dump-only` (shared/tools), reference scores
/// from `scipy.sparse.linalg.spsolve` (SciPy 1.17.1) in the dump's `.json`.
#[test]
fn dump_scores_match_scipy_references_to_1e_10() {
    let d = dump();
    let lca = Lca::new(d.system().unwrap()).unwrap();
    assert!(!d.meta.reference_scores_scipy_spsolve.is_empty());
    assert!(lca.factorization().structure().loop_sizes()[0] > 1, "the dump has a loop block");
    for r in &d.meta.reference_scores_scipy_spsolve {
        let mut f = vec![0.0; d.meta.n_technosphere];
        f[r.demand_index] = 1.0;
        let s = lca.score(&lca.supply(&f).unwrap(), 0);
        assert!((s - r.score).abs() <= 1e-10 * r.score.abs(), "{} vs {}", s, r.score);
        // the adjoint gives the same score
        let lambda = lca.intensities(0).unwrap();
        assert!((lambda[r.demand_index] - r.score).abs() <= 1e-10 * r.score.abs());
    }
}

#[test]
fn model_from_dump_bytes_and_broken_bytes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/lca");
    let npz = std::fs::read(dir.join("synthetic_n1000_seed1.npz")).unwrap();
    let json = std::fs::read(dir.join("synthetic_n1000_seed1.json")).unwrap();
    let m = Model::from_dump(&npz, &json).unwrap();
    assert_eq!(m.activity_ids().len(), 1000);
    let err = Model::from_dump(&npz[..1000], &json).unwrap_err();
    assert_eq!(err.code(), "MALFORMED_DATA");
    let err = Model::from_dump(&npz, b"{\"format\": \"other\"}").unwrap_err();
    assert_eq!(err.code(), "MALFORMED_DATA");
}

#[test]
fn monte_carlo_is_the_same_at_any_thread_count() {
    let d = dump();
    let lca = Lca::new(d.system().unwrap()).unwrap();
    let mut f = vec![0.0; 1000];
    f[d.demand_indices().unwrap()[0]] = 1.0;
    let one = MonteCarloSpec { iterations: 24, seed: 5, threads: 1, ..MonteCarloSpec::default() };
    let two = MonteCarloSpec { threads: 2, ..one.clone() };
    let five = MonteCarloSpec { threads: 5, ..one.clone() };
    let a = montecarlo::run(&lca, &[f.clone()], &[0], &one, None).unwrap();
    let b = montecarlo::run(&lca, &[f.clone()], &[0], &two, None).unwrap();
    let c = montecarlo::run(&lca, &[f.clone()], &[0], &five, None).unwrap();
    assert_eq!(a.samples, b.samples);
    assert_eq!(a.samples, c.samples);
    assert_eq!(a.direct_fallbacks, 0);
    let other_seed = MonteCarloSpec { seed: 6, ..one };
    let d2 = montecarlo::run(&lca, &[f], &[0], &other_seed, None).unwrap();
    assert_ne!(a.samples, d2.samples);
}

/// With σ = 0.2 on every value the median-preserving draws scatter around the static score.
#[test]
fn monte_carlo_centres_on_the_static_score() {
    let d = dump();
    let lca = Lca::new(d.system().unwrap()).unwrap();
    let j = d.demand_indices().unwrap()[0];
    let mut f = vec![0.0; 1000];
    f[j] = 1.0;
    let stat = lca.score(&lca.supply(&f).unwrap(), 0);
    let spec = MonteCarloSpec { iterations: 400, seed: 1, ..MonteCarloSpec::default() };
    let r = montecarlo::run(&lca, &[f], &[0], &spec, None).unwrap();
    let s = &r.statistics[0][0];
    let median = s.percentiles.iter().find(|p| p.0 == 50.0).unwrap().1;
    assert!((median / stat - 1.0).abs() < 0.1, "median {median} static {stat}");
    assert!(s.sd > 0.0 && s.min < stat && s.max > stat);
}

/// Percentiles by linear interpolation: numpy.percentile([1, 2, 3, 4], [25, 50, 90]) =
/// [1.75, 2.5, 3.7] (NumPy 2.4, method="linear").
#[test]
fn statistics_match_numpy_percentile() {
    let s = montecarlo::statistics(&[4.0, 1.0, 3.0, 2.0], &[25.0, 50.0, 90.0]);
    assert_eq!(s.mean, 2.5);
    assert!((s.sd - 1.2909944487358056).abs() < 1e-15); // numpy.std(ddof=1)
    let p: Vec<f64> = s.percentiles.iter().map(|p| p.1).collect();
    assert!((p[0] - 1.75).abs() < 1e-15 && (p[1] - 2.5).abs() < 1e-15 && (p[2] - 3.7).abs() < 1e-12);
}

/// A lognormal on one biosphere value: the mean of the score is exp(σ²/2) × static under the
/// median-preserving convention and the static value under the mean-preserving one.
#[test]
fn lognormal_conventions_differ_as_documented() {
    let spec = IndexedSpec {
        n_activities: 1,
        n_flows: 1,
        tech: (vec![0], vec![0], vec![1.0]),
        bio: (vec![0], vec![0], vec![2.0]),
        bio_uncertainty: vec![(0, Distribution::Lognormal { mu: None, sigma: 0.2 })],
        methods: vec![("m".into(), vec![(0, 1.0)])],
        ..IndexedSpec::default()
    };
    let lca = Lca::new(LcaSystem::from_indexed(spec).unwrap()).unwrap();
    let run = |conv| {
        let spec = MonteCarloSpec { iterations: 40_000, seed: 3, lognormal: conv, ..MonteCarloSpec::default() };
        montecarlo::run(&lca, &[vec![1.0]], &[0], &spec, None).unwrap().statistics[0][0].clone()
    };
    let med = run(LognormalConvention::MedianPreserving);
    let mean = run(LognormalConvention::MeanPreserving);
    // standard error of the mean: 2 × 0.2 / sqrt(40000) = 0.002; allow 4 SE
    assert!((med.mean - 2.0 * (0.02f64).exp()).abs() < 0.008, "{}", med.mean);
    assert!((mean.mean - 2.0).abs() < 0.008, "{}", mean.mean);
    let p50 = |s: &montecarlo::Statistics| s.percentiles.iter().find(|p| p.0 == 50.0).unwrap().1;
    assert!((p50(&med) - 2.0).abs() < 0.01);
    assert!((p50(&mean) - 2.0 * (-0.02f64).exp()).abs() < 0.01);
}

fn dense_solve(a: &[Vec<f64>], b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut m: Vec<Vec<f64>> = a.iter().zip(b).map(|(r, &bi)| { let mut r = r.clone(); r.push(bi); r }).collect();
    for k in 0..n {
        let p = (k..n).max_by(|&i, &j| m[i][k].abs().total_cmp(&m[j][k].abs())).unwrap();
        m.swap(k, p);
        for i in k + 1..n {
            let f = m[i][k] / m[k][k];
            for c in k..=n {
                m[i][c] -= f * m[k][c];
            }
        }
    }
    let mut x = vec![0.0; n];
    for k in (0..n).rev() {
        let s: f64 = (k + 1..n).map(|c| m[k][c] * x[c]).sum();
        x[k] = (m[k][n] - s) / m[k][k];
    }
    x
}

/// A random column-diagonally-dominant technosphere (inputs of each column sum below 0.9):
/// always nonsingular, with loops wherever the random pattern closes one.
fn random_system() -> impl Strategy<Value = (usize, Vec<(usize, usize, f64)>, Vec<f64>)> {
    (2usize..14).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec((0..n, 0..n, 0.01f64..1.0), 0..(n * 3)),
            proptest::collection::vec(0.0f64..5.0, n),
        )
    })
}

fn build(n: usize, inputs: &[(usize, usize, f64)], bio: &[f64]) -> (Lca, Vec<Vec<f64>>) {
    let mut colsum = vec![0.0; n];
    for &(i, j, v) in inputs {
        if i != j {
            colsum[j] += v;
        }
    }
    let (mut r, mut c, mut v) = (vec![], vec![], vec![]);
    let mut dense = vec![vec![0.0; n]; n];
    for j in 0..n {
        r.push(j);
        c.push(j);
        v.push(1.0);
        dense[j][j] += 1.0;
    }
    for &(i, j, a) in inputs {
        if i != j {
            let val = -a * 0.9 / colsum[j].max(1.0);
            r.push(i);
            c.push(j);
            v.push(val);
            dense[i][j] += val;
        }
    }
    let spec = IndexedSpec {
        n_activities: n,
        n_flows: 1,
        tech: (r, c, v),
        bio: ((0..n).map(|_| 0).collect(), (0..n).collect(), bio.to_vec()),
        methods: vec![("m".into(), vec![(0, 1.0)])],
        ..IndexedSpec::default()
    };
    (Lca::new(LcaSystem::from_indexed(spec).unwrap()).unwrap(), dense)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Supply equals dense Gaussian elimination; scores are linear in demand; direct
    /// contributions and upstream-by-adjoint reproduce the score.
    #[test]
    fn engine_matches_dense_elimination_and_is_linear(
        (n, inputs, bio) in random_system(), k1 in 0usize..100, k2 in 0usize..100, a in -3.0f64..3.0, b in -3.0f64..3.0
    ) {
        let (lca, dense) = build(n, &inputs, &bio);
        let (j1, j2) = (k1 % n, k2 % n);
        let mut f1 = vec![0.0; n]; f1[j1] = 1.0;
        let mut f2 = vec![0.0; n]; f2[j2] = 1.0;
        let x1 = lca.supply(&f1).unwrap();
        let want = dense_solve(&dense, &f1);
        for i in 0..n {
            prop_assert!((x1[i] - want[i]).abs() <= 1e-10 * (1.0 + want[i].abs()));
        }
        let h1 = lca.score(&x1, 0);
        let h2 = lca.score(&lca.supply(&f2).unwrap(), 0);
        let f: Vec<f64> = f1.iter().zip(&f2).map(|(p, q)| a * p + b * q).collect();
        let h = lca.score(&lca.supply(&f).unwrap(), 0);
        prop_assert!((h - (a * h1 + b * h2)).abs() <= 1e-9 * (1.0 + h.abs()));
        let contributions: f64 = lca.process_contributions(&x1, 0).iter().sum();
        prop_assert!((contributions - h1).abs() <= 1e-9 * (1.0 + h1.abs()));
        let flows: f64 = lca.flow_contributions(&x1, 0).iter().sum();
        prop_assert!((flows - h1).abs() <= 1e-9 * (1.0 + h1.abs()));
        let lambda = lca.intensities(0).unwrap();
        prop_assert!((lambda[j1] - h1).abs() <= 1e-9 * (1.0 + h1.abs()));
    }
}

/// Distributions of process-record inputs describe the amount as written (positive): a
/// uniform 0.4–0.6 kWh input enters A as −0.6…−0.4, so every draw stays positive and the
/// mean score is the score at the mean input (linear here: 1.8 + 0.5 × 0.6 = 2.1).
#[test]
fn record_input_distributions_keep_the_input_sign() {
    let out = tanso::api::call(
        "lca_monte_carlo",
        serde_json::json!({
            "system": {"processes": [
                {"id": "steel", "exchanges": [
                    {"type": "production", "product": "steel", "amount": 1},
                    {"type": "technosphere", "product": "kWh", "amount": 0.5,
                     "uncertainty": {"kind": "uniform", "min": 0.4, "max": 0.6}},
                    {"type": "biosphere", "flow": "CO2", "amount": 1.8}]},
                {"id": "kWh", "exchanges": [
                    {"type": "production", "product": "kWh", "amount": 1},
                    {"type": "biosphere", "flow": "CO2", "amount": 0.6}]}],
             "methods": [{"id": "GWP", "factors": [{"flow": "CO2", "factor": 1}]}]},
            "demands": [{"amounts": [{"id": "steel", "amount": 1}]}],
            "iterations": 20000, "seed": 9
        }),
    )
    .unwrap();
    let r = &out["results"][0];
    let (min, max, mean) = (r["min"].as_f64().unwrap(), r["max"].as_f64().unwrap(), r["mean"].as_f64().unwrap());
    assert!(min >= 1.8 + 0.4 * 0.6 - 1e-12 && max <= 1.8 + 0.6 * 0.6 + 1e-12, "{min} {max}");
    // sd of the mean: 0.6 × 0.2/√12 / √20000 ≈ 0.00024
    assert!((mean - 2.1).abs() < 0.001, "{mean}");
}

/// Of two loops, the singular one is named.
#[test]
fn the_singular_loop_is_the_one_named() {
    let err = tanso::api::call(
        "lca",
        serde_json::json!({
            "system": {"technosphere": [
                {"product": "a", "activity": "a", "amount": 1}, {"product": "b", "activity": "a", "amount": -0.5},
                {"product": "b", "activity": "b", "amount": 1}, {"product": "a", "activity": "b", "amount": -0.5},
                {"product": "c", "activity": "c", "amount": 1}, {"product": "d", "activity": "c", "amount": -1},
                {"product": "d", "activity": "d", "amount": 1}, {"product": "c", "activity": "d", "amount": -1},
                {"product": "a", "activity": "c", "amount": -1}]},
            "demands": [{"amounts": [{"id": "c", "amount": 1}]}]
        }),
    )
    .unwrap_err();
    assert_eq!(err.code(), "SINGULAR_TECHNOSPHERE");
    let msg = err.to_string();
    assert!(msg.contains("loop of 2 activities: c, d") || msg.contains("loop of 2 activities: d, c"), "{msg}");
}
