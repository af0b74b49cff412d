//! Monte Carlo on an LCA system: every iteration draws the uncertain values of `A`, `B`,
//! the characterization factors and the parameters, re-evaluates the formulas, and scores
//! every functional unit for every method.
//!
//! Reproducible: iteration `i` draws from the ChaCha8 stream `(seed, i)` in a fixed order
//! (parameters, technosphere entries, biosphere entries, characterization factors), and
//! solves with scalar code in a fixed order (BiCGSTAB on the loop blocks, warm-started
//! from the static solution, itself found by the same iterative solver), so the same seed
//! gives the same bits on x86_64 and wasm32, in every binding and at any thread count.
//! Only when BiCGSTAB does not converge does an iteration fall back to a direct
//! factorization, whose last bits may depend on the platform's SIMD.
//!
//! ```
//! use tanso::lca::{system::{LcaSystem, SystemSpec}, calc::Lca, montecarlo::{MonteCarloSpec, run}};
//! let spec: SystemSpec = serde_json::from_str(r#"{
//!   "technosphere": [{"product": "kWh", "activity": "kWh", "amount": 1}],
//!   "biosphere": [{"flow": "CO2", "activity": "kWh", "amount": 0.6,
//!                  "uncertainty": {"kind": "lognormal", "sigma": 0.1}}],
//!   "methods": [{"id": "GWP100", "factors": [{"flow": "CO2", "factor": 1}]}]}"#).unwrap();
//! let lca = Lca::new(LcaSystem::build(&spec).unwrap()).unwrap();
//! let mc = MonteCarloSpec { iterations: 200, seed: 7, ..MonteCarloSpec::default() };
//! let f = vec![1.0];
//! let a = run(&lca, &[f.clone()], &[0], &mc, None).unwrap();
//! let b = run(&lca, &[f], &[0], &mc, None).unwrap();
//! assert_eq!(a.samples, b.samples); // same seed, same bits
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::calc::{solve_error, Lca};
use super::formula::{BoundFormula, Scope};
use super::sampling::{CompiledDistribution, Distribution, LognormalConvention, SampleRng};
use super::solver::Factorization;
use super::sparse::Csc;
use super::system::LcaSystem;
use crate::error::LcaError;
use crate::TansoError;

/// A presampled column of values for one matrix entry or parameter: iteration `i` uses
/// `values[i % values.len()]` (scenarios as columns, Brightway's presamples).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Presample {
    /// `technosphere`, `biosphere` or `parameter`.
    pub target: PresampleTarget,
    /// Row id: product (technosphere) or flow (biosphere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<super::system::NodeId>,
    /// Column id: the activity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<super::system::NodeId>,
    /// Parameter name (target `parameter`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The values (signed matrix values for the technosphere).
    pub values: Vec<f64>,
}

/// What a presample replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresampleTarget {
    /// A technosphere value (summed entry at row, activity).
    Technosphere,
    /// A biosphere value.
    Biosphere,
    /// An independent parameter.
    Parameter,
}

/// Settings of a Monte Carlo run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MonteCarloSpec {
    /// Number of iterations (≥ 1).
    pub iterations: usize,
    /// Seed of the random streams.
    pub seed: u64,
    /// How a lognormal given by `sigma` alone is centred on the static amount.
    pub lognormal: LognormalConvention,
    /// Draw from the distributions (false: only presamples and parameter scenarios vary).
    pub use_distributions: bool,
    /// Worker threads on native targets (0: all cores; always 1 on wasm32).
    pub threads: usize,
    /// Percentiles to report, in percent.
    pub percentiles: Vec<f64>,
    /// Presampled columns.
    pub presamples: Vec<Presample>,
}

impl Default for MonteCarloSpec {
    fn default() -> Self {
        MonteCarloSpec {
            iterations: 1000,
            seed: 0,
            lognormal: LognormalConvention::default(),
            use_distributions: true,
            threads: 0,
            percentiles: vec![2.5, 5.0, 25.0, 50.0, 75.0, 95.0, 97.5],
            presamples: Vec::new(),
        }
    }
}

/// Summary statistics of one score over the iterations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1).
    pub sd: f64,
    /// Smallest draw.
    pub min: f64,
    /// Largest draw.
    pub max: f64,
    /// (percent, value) by linear interpolation between order statistics (NumPy's default).
    pub percentiles: Vec<(f64, f64)>,
}

/// The outcome of a run: `samples[d][m][i]` is the score of demand d, method m, iteration i.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarloResult {
    /// Raw scores.
    pub samples: Vec<Vec<Vec<f64>>>,
    /// Statistics per demand and method.
    pub statistics: Vec<Vec<Statistics>>,
    /// Iterations that needed the direct fallback.
    pub direct_fallbacks: usize,
    /// Iterations run.
    pub iterations: usize,
}

/// A progress callback: (iterations done, total), called once per iteration with `done`
/// increasing by one, from whichever thread finished it (calls never overlap).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

struct Compiled<'s> {
    system: &'s LcaSystem,
    spec: &'s MonteCarloSpec,
    tech_uncertain: Vec<(usize, CompiledDistribution, f64)>,
    bio_uncertain: Vec<(usize, CompiledDistribution, f64)>,
    cf_uncertain: Vec<Vec<(usize, CompiledDistribution)>>,
    tech_formulas: Vec<(usize, BoundFormula, f64)>,
    bio_formulas: Vec<(usize, BoundFormula, f64)>,
    param_uncertain: Vec<(usize, CompiledDistribution)>,
    tech_presamples: Vec<(usize, Vec<f64>)>,
    bio_presamples: Vec<(usize, Vec<f64>)>,
    param_presamples: Vec<(usize, Vec<f64>)>,
    demands: &'s [Vec<f64>],
    methods: &'s [usize],
    adjoint: bool,
    warm: Vec<Vec<f64>>,
}

/// Runs the Monte Carlo for the demand vectors `demands` and the method indices `methods`.
pub fn run(
    lca: &Lca,
    demands: &[Vec<f64>],
    methods: &[usize],
    spec: &MonteCarloSpec,
    progress: Option<Progress<'_>>,
) -> Result<MonteCarloResult, TansoError> {
    if spec.iterations == 0 || spec.iterations > 100_000_000 {
        return Err(LcaError::InvalidSetting {
            field: "iterations".into(),
            value: spec.iterations.to_string(),
            valid: "1 to 100,000,000".into(),
        }
        .into());
    }
    for p in &spec.percentiles {
        if !(0.0..=100.0).contains(p) {
            return Err(LcaError::InvalidSetting {
                field: "percentiles".into(),
                value: p.to_string(),
                valid: "percentages from 0 to 100".into(),
            }
            .into());
        }
    }
    let compiled = compile(lca, demands, methods, spec)?;
    let n_iter = spec.iterations;
    let threads = thread_count(spec.threads, n_iter);
    let done = std::sync::Mutex::new(0usize);
    let fallbacks = AtomicUsize::new(0);
    let work = |t: usize| -> Result<Vec<(usize, Vec<f64>)>, TansoError> {
        let mut ws = Workspace::new(lca.system());
        let mut out = Vec::new();
        let mut i = t;
        while i < n_iter {
            let scores = iteration(&compiled, lca, i, &mut ws, &fallbacks)?;
            out.push((i, scores));
            if let Some(p) = progress {
                // one lock around count and call: the callback sees done = 1, 2, … n in order
                let mut d = done.lock().unwrap_or_else(|e| e.into_inner());
                *d += 1;
                p(*d, n_iter);
            }
            i += threads;
        }
        Ok(out)
    };
    let parts: Vec<Result<Vec<(usize, Vec<f64>)>, TansoError>> = if threads == 1 {
        vec![work(0)]
    } else {
        run_threads(threads, &work)
    };
    let nd = demands.len();
    let nm = methods.len();
    let mut samples = vec![vec![vec![0.0; n_iter]; nm]; nd];
    for part in parts {
        for (i, scores) in part? {
            for d in 0..nd {
                for m in 0..nm {
                    samples[d][m][i] = scores[d * nm + m];
                }
            }
        }
    }
    let statistics = samples
        .iter()
        .map(|per_method| per_method.iter().map(|s| statistics(s, &spec.percentiles)).collect())
        .collect();
    Ok(MonteCarloResult {
        samples,
        statistics,
        direct_fallbacks: fallbacks.load(Ordering::Relaxed),
        iterations: n_iter,
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn thread_count(asked: usize, n_iter: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = if asked == 0 { cores } else { asked };
    t.clamp(1, n_iter.max(1))
}

#[cfg(target_arch = "wasm32")]
fn thread_count(_asked: usize, _n_iter: usize) -> usize {
    1
}

#[cfg(not(target_arch = "wasm32"))]
fn run_threads<T: Send>(threads: usize, work: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|t| s.spawn(move || work(t))).collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(v) => v,
                Err(p) => std::panic::resume_unwind(p),
            })
            .collect()
    })
}

#[cfg(target_arch = "wasm32")]
fn run_threads<T: Send>(_threads: usize, work: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
    vec![work(0)]
}

fn compile<'s>(lca: &'s Lca, demands: &'s [Vec<f64>], methods: &'s [usize], spec: &'s MonteCarloSpec) -> Result<Compiled<'s>, TansoError> {
    let system = lca.system();
    let conv = spec.lognormal;
    let use_d = spec.use_distributions;
    // validate once and precompute each distribution's constants (lognormal mu, PERT shape)
    let compile_one = |e: usize, d: &Distribution, amount: f64| -> Result<CompiledDistribution, TansoError> {
        d.compile(&format!("entry {e}"), amount, conv).map_err(|err| {
            LcaError::InvalidDistribution {
                field: format!("entry {e}"),
                message: err.to_string(),
            }
            .into()
        })
    };
    let fix = |list: &[(usize, Distribution)], amounts: &dyn Fn(usize) -> f64| -> Result<Vec<(usize, CompiledDistribution)>, TansoError> {
        if !use_d {
            return Ok(Vec::new());
        }
        list.iter().map(|(e, d)| Ok((*e, compile_one(*e, d, amounts(*e))?))).collect()
    };
    let formula_entries: std::collections::HashSet<(u8, usize)> = system
        .tech_entries
        .formulas
        .iter()
        .map(|f| (0u8, f.0))
        .chain(system.bio_entries.formulas.iter().map(|f| (1u8, f.0)))
        .collect();
    // entries: the distribution describes sign × value (inputs of records written positive);
    // an entry given by a formula takes the formula's value, not a draw
    let entry_fix = |entries: &super::system::Entries, matrix: u8| -> Result<Vec<(usize, CompiledDistribution, f64)>, TansoError> {
        if !use_d {
            return Ok(Vec::new());
        }
        entries
            .uncertain
            .iter()
            .filter(|(e, _, _)| !formula_entries.contains(&(matrix, *e)))
            .map(|(e, d, sign)| Ok((*e, compile_one(*e, d, sign * entries.amounts[*e])?, *sign)))
            .collect()
    };
    let tech_uncertain = entry_fix(&system.tech_entries, 0)?;
    let bio_uncertain = entry_fix(&system.bio_entries, 1)?;
    let cf_uncertain = methods
        .iter()
        .map(|&k| {
            let m = &system.methods[k];
            fix(&m.uncertain, &|i| m.factors[i].1)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut tech_formulas = Vec::new();
    let mut bio_formulas = Vec::new();
    let mut param_uncertain = Vec::new();
    let mut param_presamples = Vec::new();
    if let Some(p) = &system.parameters {
        for (out, entries) in [(&mut tech_formulas, &system.tech_entries), (&mut bio_formulas, &system.bio_entries)] {
            for (e, src, sign) in &entries.formulas {
                let scope = Scope::Process(system.activities()[entries.cols[*e]].id.to_string());
                out.push((*e, p.table.compile(src, &scope)?, *sign));
            }
        }
        param_uncertain = fix(&p.uncertain, &|s| p.base[s])?;
    }
    let mut tech_presamples = Vec::new();
    let mut bio_presamples = Vec::new();
    for (k, ps) in spec.presamples.iter().enumerate() {
        let field = format!("presamples[{k}]");
        if ps.values.is_empty() || ps.values.iter().any(|v| !v.is_finite()) {
            return Err(LcaError::InvalidSetting {
                field: format!("{field}.values"),
                value: format!("{} values", ps.values.len()),
                valid: "at least one value, all finite".into(),
            }
            .into());
        }
        let missing = |what: &str| -> TansoError {
            LcaError::InvalidSetting {
                field: format!("{field}.{what}"),
                value: "missing".into(),
                valid: format!("the {what} id of the entry"),
            }
            .into()
        };
        match ps.target {
            PresampleTarget::Parameter => {
                let params = system.parameters.as_ref().ok_or_else(|| missing("name"))?;
                let name = ps.name.as_deref().ok_or_else(|| missing("name"))?;
                let slot = params.table.slot(name, &Scope::Global).ok_or_else(|| {
                    TansoError::from(LcaError::UnknownId {
                        field: format!("{field}.name"),
                        kind: "parameter".into(),
                        value: name.to_string(),
                        suggestions: String::new(),
                    })
                })?;
                param_presamples.push((slot, ps.values.clone()));
            }
            PresampleTarget::Technosphere | PresampleTarget::Biosphere => {
                let row_id = ps.row.as_ref().ok_or_else(|| missing("row"))?;
                let col_id = ps.activity.as_ref().ok_or_else(|| missing("activity"))?;
                let col = system.resolve(&format!("{field}.activity"), col_id)?;
                let (matrix, row) = if ps.target == PresampleTarget::Technosphere {
                    (&system.technosphere, system.resolve(&format!("{field}.row"), row_id)?)
                } else {
                    (&system.biosphere, system.flow(&format!("{field}.row"), row_id)?)
                };
                let slot = (matrix.col_ptr[col]..matrix.col_ptr[col + 1])
                    .find(|&p| matrix.row_idx[p] == row)
                    .ok_or_else(|| {
                        TansoError::from(LcaError::InvalidSetting {
                            field: field.clone(),
                            value: format!("({row_id}, {col_id})"),
                            valid: "an entry that exists in the matrix".into(),
                        })
                    })?;
                if ps.target == PresampleTarget::Technosphere {
                    tech_presamples.push((slot, ps.values.clone()));
                } else {
                    bio_presamples.push((slot, ps.values.clone()));
                }
            }
        }
    }
    // adjoint solves (one per method) when there are fewer methods than demands
    let adjoint = methods.len() < demands.len();
    let a = &system.technosphere;
    let structure = lca.factorization().structure();
    let rhs: Vec<Vec<f64>> = if adjoint {
        methods.iter().map(|&k| lca.direct_intensities(k)).collect()
    } else {
        demands.to_vec()
    };
    let mut warm = Vec::with_capacity(rhs.len());
    for r in &rhs {
        let zero = vec![0.0; r.len()];
        let w = match Factorization::solve_iterative(structure, a, r, &zero, adjoint) {
            Some(w) => w,
            None if adjoint => lca.factorization().solve_transpose(r).map_err(|e| solve_error(system, e))?,
            None => lca.factorization().solve(r).map_err(|e| solve_error(system, e))?,
        };
        warm.push(w);
    }
    Ok(Compiled {
        system,
        spec,
        tech_uncertain,
        bio_uncertain,
        cf_uncertain,
        tech_formulas,
        bio_formulas,
        param_uncertain,
        tech_presamples,
        bio_presamples,
        param_presamples,
        demands,
        methods,
        adjoint,
        warm,
    })
}

struct Workspace {
    a: Csc,
    b: Csc,
    tech_amounts: Vec<f64>,
    bio_amounts: Vec<f64>,
    params: Vec<f64>,
}

impl Workspace {
    fn new(system: &LcaSystem) -> Workspace {
        Workspace {
            a: system.technosphere.clone(),
            b: system.biosphere.clone(),
            tech_amounts: system.tech_entries.amounts.clone(),
            bio_amounts: system.bio_entries.amounts.clone(),
            params: system.parameters.as_ref().map(|p| p.base.clone()).unwrap_or_default(),
        }
    }
}

fn iteration(c: &Compiled<'_>, lca: &Lca, i: usize, ws: &mut Workspace, fallbacks: &AtomicUsize) -> Result<Vec<f64>, TansoError> {
    let cvecs = draw(c, i, ws)?;
    solve_and_score(c, lca, ws, &cvecs, fallbacks)
}

/// Draws iteration `i` into the workspace (parameters, entries, matrices) and returns the
/// characterization vectors of the methods.
fn draw(c: &Compiled<'_>, i: usize, ws: &mut Workspace) -> Result<Vec<Vec<f64>>, TansoError> {
    let system = c.system;
    let mut rng = SampleRng::new(c.spec.seed, i as u64);
    // parameters
    if let Some(p) = &system.parameters {
        ws.params.copy_from_slice(&p.base);
        for (slot, d) in &c.param_uncertain {
            ws.params[*slot] = d.sample(&mut rng);
        }
        for (slot, col) in &c.param_presamples {
            ws.params[*slot] = col[i % col.len()];
        }
        p.table.evaluate(&mut ws.params)?;
    }
    // technosphere and biosphere entries
    for (amounts, uncertain, formulas) in [
        (&mut ws.tech_amounts, &c.tech_uncertain, &c.tech_formulas),
        (&mut ws.bio_amounts, &c.bio_uncertain, &c.bio_formulas),
    ] {
        for (e, d, sign) in uncertain {
            amounts[*e] = sign * d.sample(&mut rng);
        }
        for (e, f, sign) in formulas {
            amounts[*e] = sign * f.eval(&ws.params)?;
        }
    }
    accumulate(&mut ws.a.values, &system.tech_entries.slots, &ws.tech_amounts);
    accumulate(&mut ws.b.values, &system.bio_entries.slots, &ws.bio_amounts);
    for (slot, col) in &c.tech_presamples {
        ws.a.values[*slot] = col[i % col.len()];
    }
    for (slot, col) in &c.bio_presamples {
        ws.b.values[*slot] = col[i % col.len()];
    }
    // characterization vectors
    let nf = system.flow_count();
    let mut cvecs = Vec::with_capacity(c.methods.len());
    for (mi, &k) in c.methods.iter().enumerate() {
        let m = &system.methods[k];
        let mut factors: Vec<f64> = m.factors.iter().map(|f| f.1).collect();
        for (fi, d) in &c.cf_uncertain[mi] {
            factors[*fi] = d.sample(&mut rng);
        }
        let mut cv = vec![0.0; nf];
        for (fi, &(flow, _)) in m.factors.iter().enumerate() {
            cv[flow] += factors[fi];
        }
        cvecs.push(cv);
    }
    Ok(cvecs)
}

fn solve_and_score(c: &Compiled<'_>, lca: &Lca, ws: &mut Workspace, cvecs: &[Vec<f64>], fallbacks: &AtomicUsize) -> Result<Vec<f64>, TansoError> {
    let system = c.system;
    let nf = system.flow_count();
    let structure = lca.factorization().structure();
    let nd = c.demands.len();
    let nm = c.methods.len();
    let mut scores = vec![0.0; nd * nm];
    let mut direct: Option<Factorization> = None;
    let mut solve = |rhs: &[f64], warm: &[f64], transpose: bool| -> Result<Vec<f64>, TansoError> {
        if let Some(x) = Factorization::solve_iterative(structure, &ws.a, rhs, warm, transpose) {
            return Ok(x);
        }
        if direct.is_none() {
            fallbacks.fetch_add(1, Ordering::Relaxed);
            direct = Some(Factorization::with_structure(structure.clone(), ws.a.clone()).map_err(|e| solve_error(system, e))?);
        }
        let lu = direct.as_ref().ok_or_else(|| solve_error(system, super::solver::SolveFailure { activities: vec![], block_size: 0, residual: f64::INFINITY }))?;
        let r = if transpose { lu.solve_transpose(rhs) } else { lu.solve(rhs) };
        r.map_err(|e| solve_error(system, e))
    };
    if c.adjoint {
        for (mi, cv) in cvecs.iter().enumerate() {
            let mut d = vec![0.0; system.activity_count()];
            ws.b.mul_t_vec(cv, &mut d);
            let lambda = solve(&d, &c.warm[mi], true)?;
            for (di, f) in c.demands.iter().enumerate() {
                scores[di * nm + mi] = f.iter().zip(&lambda).fold(0.0, |s, (f, l)| s + f * l);
            }
        }
    } else {
        let mut g = vec![0.0; nf];
        for (di, f) in c.demands.iter().enumerate() {
            let x = solve(f, &c.warm[di], false)?;
            ws.b.mul_vec(&x, &mut g);
            for (mi, cv) in cvecs.iter().enumerate() {
                scores[di * nm + mi] = cv.iter().zip(&g).fold(0.0, |s, (c, g)| s + c * g);
            }
        }
    }
    Ok(scores)
}

fn accumulate(values: &mut [f64], slots: &[usize], amounts: &[f64]) {
    values.iter_mut().for_each(|v| *v = 0.0);
    for (&s, &a) in slots.iter().zip(amounts) {
        values[s] += a;
    }
}

/// Times the two halves of an iteration for benchmarks: (seconds per draw of all values
/// and matrix update, seconds per solve and score), averaged over `reps` iterations.
#[cfg(not(target_arch = "wasm32"))]
pub fn profile_iteration(lca: &Lca, f: &[f64], method: usize, spec: &MonteCarloSpec, reps: usize) -> Result<(f64, f64), TansoError> {
    let demands = [f.to_vec()];
    let methods = [method];
    let c = compile(lca, &demands, &methods, spec)?;
    let mut ws = Workspace::new(lca.system());
    let fallbacks = AtomicUsize::new(0);
    let (mut draw_s, mut solve_s) = (0.0, 0.0);
    for i in 0..reps.max(1) {
        let t0 = std::time::Instant::now();
        let cvecs = draw(&c, i, &mut ws)?;
        let t1 = std::time::Instant::now();
        solve_and_score(&c, lca, &mut ws, &cvecs, &fallbacks)?;
        let t2 = std::time::Instant::now();
        draw_s += (t1 - t0).as_secs_f64();
        solve_s += (t2 - t1).as_secs_f64();
    }
    let n = reps.max(1) as f64;
    Ok((draw_s / n, solve_s / n))
}

/// Mean, sample sd, min, max and percentiles (linear interpolation, as `numpy.percentile`).
pub fn statistics(samples: &[f64], percentiles: &[f64]) -> Statistics {
    let n = samples.len();
    let mean = samples.iter().sum::<f64>() / n.max(1) as f64;
    let var = if n > 1 {
        samples.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64
    } else {
        0.0
    };
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let pct = |p: f64| -> f64 {
        if n == 0 {
            return f64::NAN;
        }
        let pos = p / 100.0 * (n - 1) as f64;
        let lo = pos.floor() as usize;
        let hi = (lo + 1).min(n - 1);
        let w = pos - lo as f64;
        sorted[lo] + (sorted[hi] - sorted[lo]) * w
    };
    Statistics {
        mean,
        sd: var.sqrt(),
        min: sorted.first().copied().unwrap_or(f64::NAN),
        max: sorted.last().copied().unwrap_or(f64::NAN),
        percentiles: percentiles.iter().map(|&p| (p, pct(p))).collect(),
    }
}
