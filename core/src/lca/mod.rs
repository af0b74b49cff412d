//! The matrix method of life-cycle assessment (f64), as Brightway and openLCA compute it:
//! technosphere `A`, biosphere `B`, characterization `c`, score `h = cᵀ B A⁻¹ f`.
//!
//! | module | what it owns |
//! |---|---|
//! | [`sparse`] | CSC matrices from triplets, duplicates summed |
//! | [`system`] | ids, builders from triplets and process records, validation |
//! | [`solver`] | block triangular form + faer sparse LU; adjoint solves; BiCGSTAB for draws |
//! | [`calc`] | supply, inventory, scores, contributions, upstream, tree, Sankey |
//! | [`sampling`] | reproducible distributions (lognormal, normal, uniform, triangular, PERT, gamma, beta, discrete) |
//! | [`formula`] | safe formula evaluator and parameters |
//! | [`montecarlo`] | Monte Carlo over A, B, characterization and parameters |
//! | [`dump`] | the `.npz` + `.json` dumps of `bench_bw2calc.py` |
//! | [`document`] | the JSON operations `lca` and `lca_monte_carlo` |
//!
//! ```
//! use tanso::lca::{system::{LcaSystem, SystemSpec}, calc::Lca};
//! let spec: SystemSpec = serde_json::from_str(r#"{
//!   "technosphere": [
//!     {"product": "steel", "activity": "steel", "amount": 1},
//!     {"product": "kWh", "activity": "steel", "amount": -0.5},
//!     {"product": "kWh", "activity": "kWh", "amount": 1}],
//!   "biosphere": [
//!     {"flow": "CO2", "activity": "steel", "amount": 1.8},
//!     {"flow": "CO2", "activity": "kWh", "amount": 0.6}],
//!   "methods": [{"id": "GWP100", "factors": [{"flow": "CO2", "factor": 1}]}]}"#).unwrap();
//! let lca = Lca::new(LcaSystem::build(&spec).unwrap()).unwrap();
//! let steel = lca.system().resolve("demand", &"steel".into()).unwrap();
//! let mut f = vec![0.0; 2];
//! f[steel] = 1.0;
//! let x = lca.supply(&f).unwrap();
//! assert!((lca.score(&x, 0) - 2.1).abs() < 1e-12);
//! ```

pub mod calc;
pub mod document;
pub mod dump;
pub mod formula;
pub mod montecarlo;
pub mod sampling;
pub mod solver;
pub mod sparse;
pub mod system;
