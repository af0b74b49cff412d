//! Times tanso's LCA engine on a `bench_bw2calc.py` dump, one core, and prints JSON:
//! first score (matrices in memory → factorization → score), a new demand with the same
//! factorization, the scores of every product for the one impact category (one adjoint
//! solve), Monte Carlo iterations per second with lognormal draws on every entry of A and
//! B, the sampling + matrix update part of an iteration, and peak memory (VmHWM).
//!
//! Usage: `lca_bench <dump path without extension> [mc iterations]`

use std::time::Instant;

use serde_json::json;
use tanso_benches::{median, peak_rss_mb};
use tanso::lca::calc::Lca;
use tanso::lca::dump::BenchDump;
use tanso::lca::montecarlo::{self, MonteCarloSpec};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let base = args.get(1).ok_or("usage: lca_bench <dump path without extension> [mc iterations]")?;
    let mc_iters: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(50);
    let npz = std::fs::read(format!("{base}.npz"))?;
    let meta = std::fs::read(format!("{base}.json"))?;
    let t = Instant::now();
    let dump = BenchDump::read(&npz, &meta)?;
    let t_read = t.elapsed().as_secs_f64();
    let demands = dump.demand_indices()?;
    let n = dump.meta.n_technosphere;

    // (a) first score: build the matrices from triplets, analyse, factorize, solve, score
    let mut first = Vec::new();
    let mut first_parts = (0.0, 0.0, 0.0);
    let mut lca_kept = None;
    let mut max_rel_err: f64 = 0.0;
    let mut peak_after_first = None;
    for _ in 0..5 {
        drop(lca_kept.take()); // one system in memory at a time
        let t0 = Instant::now();
        let system = dump.system()?;
        let t1 = Instant::now();
        let lca = Lca::new(system)?;
        let t2 = Instant::now();
        let mut f = vec![0.0; n];
        f[demands[0]] = 1.0;
        let x = lca.supply(&f)?;
        let score = lca.score(&x, 0);
        let t3 = Instant::now();
        first.push((t3 - t0).as_secs_f64());
        first_parts = ((t1 - t0).as_secs_f64(), (t2 - t1).as_secs_f64(), (t3 - t2).as_secs_f64());
        let _ = score;
        lca_kept = Some(lca);
        if peak_after_first.is_none() {
            peak_after_first = peak_rss_mb();
        }
    }
    let lca = lca_kept.ok_or("no run")?;
    for r in &dump.meta.reference_scores_scipy_spsolve {
        let mut f = vec![0.0; n];
        f[r.demand_index] = 1.0;
        let s = lca.score(&lca.supply(&f)?, 0);
        max_rel_err = max_rel_err.max((s - r.score).abs() / r.score.abs());
    }
    // (b) new demand, same factorization
    let mut resolve = Vec::new();
    for &j in demands.iter().skip(1) {
        let t0 = Instant::now();
        let mut f = vec![0.0; n];
        f[j] = 1.0;
        let x = lca.supply(&f)?;
        let _ = lca.score(&x, 0);
        resolve.push(t0.elapsed().as_secs_f64());
    }
    // (c) scores of all products, one category: one adjoint solve
    let mut all = Vec::new();
    for _ in 0..5 {
        let t0 = Instant::now();
        let lambda = lca.intensities(0)?;
        all.push(t0.elapsed().as_secs_f64());
        assert_eq!(lambda.len(), n);
    }
    // (d) Monte Carlo, one thread
    let spec = MonteCarloSpec { iterations: mc_iters, seed: 1, threads: 1, ..MonteCarloSpec::default() };
    let mut f = vec![0.0; n];
    f[demands[0]] = 1.0;
    // steady state, as bw2calc reports its median iteration: a run of n iterations minus a
    // run of one (the set-up: compiling distributions, the static warm-start solve)
    let one = MonteCarloSpec { iterations: 1, ..spec.clone() };
    let t0 = Instant::now();
    montecarlo::run(&lca, &[f.clone()], &[0], &one, None)?;
    let t_setup = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let mc = montecarlo::run(&lca, &[f.clone()], &[0], &spec, None)?;
    let t_mc_all = t0.elapsed().as_secs_f64();
    let t_mc = (t_mc_all - t_setup).max(1e-9) * mc_iters as f64 / (mc_iters.max(2) - 1) as f64;
    // (e) sampling + matrix update alone
    let (sample_s, solve_s) = montecarlo::profile_iteration(&lca, &f, 0, &spec, 20)?;
    let out = json!({
        "engine": "tanso",
        "version": env!("CARGO_PKG_VERSION"),
        "n": n,
        "read_dump_s": t_read,
        "loop_blocks": lca.factorization().structure().loop_sizes(),
        "first_score_s": median(first),
        "first_score_parts_s": {"build": first_parts.0, "factorize": first_parts.1, "solve_and_score": first_parts.2},
        "reference_max_rel_err": max_rel_err,
        "new_demand_s": median(resolve),
        "all_products_one_category_s": median(all),
        "mc_iterations": mc_iters,
        "mc_iterations_per_s": mc_iters as f64 / t_mc,
        "mc_setup_s": t_setup,
        "mc_wall_s": t_mc_all,
        "mc_direct_fallbacks": mc.direct_fallbacks,
        "mc_mean": mc.statistics[0][0].mean,
        "mc_sd": mc.statistics[0][0].sd,
        "sampling_and_update_s": sample_s,
        "iterative_solve_s": solve_s,
        "peak_memory_mb": peak_after_first,
        "peak_memory_mb_whole_run": peak_rss_mb(),
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
