//! The LCA model of core (`tanso::lca::document::Model`) as a wasm-bindgen class: a system
//! factorized once and kept in the module's memory, so new demands, intensities and Monte
//! Carlo runs reuse the factorization.
//!
//! Documents cross as JSON text (as for [`crate::call`]); vectors cross as typed arrays
//! (`&[f64]` in from a `Float64Array`, `Vec<f64>` out as a new `Float64Array`). The class is
//! wrapped by `LcaModel` in `js/index.js`, which turns the thrown errors into `TansoError`
//! subclasses and tracks whether the handle is still valid. Every call returns a `Result`.

use std::cell::RefCell;

use serde_json::Value;
use tanso::error::InputError;
use tanso::lca::document::Model;
use tanso::lca::sampling::Distribution;
use tanso::lca::system::{IndexedSpec, NodeId};
use tanso::TansoError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::{to_js, Failure};

#[wasm_bindgen]
extern "C" {
    /// A JS function, called as `callback(done, total)` with the Monte Carlo's progress.
    #[wasm_bindgen(js_name = Function)]
    pub type ProgressCallback;

    /// `callback.call(undefined, done, total)`; an exception it throws comes back as `Err`.
    #[wasm_bindgen(method, catch, js_name = call)]
    fn call_with(
        this: &ProgressCallback,
        this_arg: &JsValue,
        done: f64,
        total: f64,
    ) -> Result<JsValue, JsValue>;
}

/// A progress callback of a run under way, and the first exception it threw.
struct ProgressSlot {
    callback: ProgressCallback,
    thrown: Option<JsValue>,
}

thread_local! {
    /// The progress callbacks of the Monte Carlo runs under way, innermost last (a callback
    /// may itself start a run). Core's progress type must be `Sync`, which a JS function is
    /// not; on wasm32 there is one thread, so the callback is reached through this slot by a
    /// function that captures nothing. Native worker threads find no slot and report nothing.
    static PROGRESS: RefCell<Vec<ProgressSlot>> = const { RefCell::new(Vec::new()) };
}

/// Core's progress callback: calls the innermost JS callback until it throws once.
fn report_progress(done: usize, total: usize) {
    let callback = PROGRESS.with(|p| {
        p.borrow()
            .last()
            .filter(|s| s.thrown.is_none())
            .map(|s| JsValue::clone(&s.callback))
    });
    if let Some(callback) = callback {
        // No borrow is held while JS runs, so the callback may call into the module again.
        if let Err(e) = callback.unchecked_ref::<ProgressCallback>().call_with(
            &JsValue::UNDEFINED,
            done as f64,
            total as f64,
        ) {
            PROGRESS.with(|p| {
                if let Some(slot) = p.borrow_mut().last_mut() {
                    slot.thrown = Some(e);
                }
            });
        }
    }
}

/// Parses JSON text; a syntax error is `INVALID_INPUT` of `operation`.
fn parse_json(operation: &str, text: &str) -> Result<Value, Failure> {
    serde_json::from_str(text).map_err(|e| {
        Failure::from(TansoError::from(InputError::InvalidInput {
            operation: operation.to_string(),
            message: e.to_string(),
        }))
    })
}

/// Ids as a JSON array of numbers and strings.
fn ids_text(ids: &[NodeId]) -> String {
    // Integers and strings: serialization cannot fail.
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_string())
}

/// Numeric arrays of a system (0-based indices), as the JS wrapper passes them.
#[derive(Debug, Default)]
pub(crate) struct Arrays<'a> {
    pub n_activities: u32,
    pub n_flows: u32,
    pub tech_rows: &'a [u32],
    pub tech_cols: &'a [u32],
    pub tech_values: &'a [f64],
    pub bio_rows: &'a [u32],
    pub bio_cols: &'a [u32],
    pub bio_values: &'a [f64],
    /// Per technosphere entry, σ of a lognormal centred on the entry (0: certain).
    pub tech_sigma: Option<&'a [f64]>,
    /// Per biosphere entry, σ of a lognormal centred on the entry (0: certain).
    pub bio_sigma: Option<&'a [f64]>,
    /// JSON array of the method ids.
    pub method_ids: &'a str,
    /// Number of factors of each method; the flows and factors below are concatenated.
    pub method_lengths: &'a [u32],
    pub method_flows: &'a [u32],
    pub method_factors: &'a [f64],
    /// JSON array of activity ids (numbers or strings), or `null` for the indices.
    pub activity_ids: &'a str,
    /// JSON array of flow ids, or `null`.
    pub flow_ids: &'a str,
}

fn indices(v: &[u32]) -> Vec<usize> {
    v.iter().map(|&i| i as usize).collect()
}

/// `(entry, lognormal σ)` of the uncertain entries: σ ≠ 0, one σ per entry.
fn sigmas(
    field: &str,
    sigma: Option<&[f64]>,
    entries: usize,
) -> Result<Vec<(usize, Distribution)>, TansoError> {
    let Some(sigma) = sigma else {
        return Ok(Vec::new());
    };
    if sigma.len() != entries {
        return Err(InputError::ColumnLength {
            field: field.to_string(),
            found: sigma.len(),
            expected: entries,
        }
        .into());
    }
    Ok(sigma
        .iter()
        .enumerate()
        .filter(|(_, s)| **s != 0.0)
        .map(|(k, &sigma)| (k, Distribution::Lognormal { mu: None, sigma }))
        .collect())
}

/// Parses an optional JSON array of ids.
fn ids(field: &str, text: &str) -> Result<Option<Vec<NodeId>>, TansoError> {
    serde_json::from_str(text).map_err(|e| {
        InputError::InvalidInput {
            operation: "LcaModel.fromArrays".into(),
            message: format!("{field}: {e}"),
        }
        .into()
    })
}

/// The [`IndexedSpec`] of numeric arrays: indices widened, methods split, σ made lognormals.
pub(crate) fn indexed_spec(a: &Arrays<'_>) -> Result<IndexedSpec, TansoError> {
    let method_ids: Vec<String> = serde_json::from_str(a.method_ids).map_err(|e| {
        TansoError::from(InputError::InvalidInput {
            operation: "LcaModel.fromArrays".into(),
            message: format!("methods: {e}"),
        })
    })?;
    if method_ids.len() != a.method_lengths.len() {
        return Err(InputError::ColumnLength {
            field: "methods (lengths)".into(),
            found: a.method_lengths.len(),
            expected: method_ids.len(),
        }
        .into());
    }
    if a.method_flows.len() != a.method_factors.len() {
        return Err(InputError::ColumnLength {
            field: "methods (factors)".into(),
            found: a.method_factors.len(),
            expected: a.method_flows.len(),
        }
        .into());
    }
    let mut methods = Vec::with_capacity(method_ids.len());
    let mut start = 0usize;
    for (id, &len) in method_ids.into_iter().zip(a.method_lengths) {
        let end = start.saturating_add(len as usize);
        let (Some(flows), Some(factors)) = (
            a.method_flows.get(start..end),
            a.method_factors.get(start..end),
        ) else {
            return Err(InputError::ColumnLength {
                field: format!("methods['{id}'] (flows)"),
                found: a.method_flows.len().saturating_sub(start),
                expected: len as usize,
            }
            .into());
        };
        methods.push((
            id,
            flows
                .iter()
                .map(|&f| f as usize)
                .zip(factors.iter().copied())
                .collect(),
        ));
        start = end;
    }
    Ok(IndexedSpec {
        n_activities: a.n_activities as usize,
        n_flows: a.n_flows as usize,
        tech: (
            indices(a.tech_rows),
            indices(a.tech_cols),
            a.tech_values.to_vec(),
        ),
        bio: (
            indices(a.bio_rows),
            indices(a.bio_cols),
            a.bio_values.to_vec(),
        ),
        tech_uncertainty: sigmas("technosphereSigma", a.tech_sigma, a.tech_values.len())?,
        bio_uncertainty: sigmas("biosphereSigma", a.bio_sigma, a.bio_values.len())?,
        methods,
        activity_ids: ids("activityIds", a.activity_ids)?,
        flow_ids: ids("flowIds", a.flow_ids)?,
    })
}

/// A factorized LCA system kept in the module's memory. Built by `fromSystem`, `fromArrays`
/// or `fromDump`; use it through the `LcaModel` class of `js/index.js`.
#[wasm_bindgen]
pub struct LcaModelHandle {
    model: Model,
}

/// Wraps a model made by core, or converts core's error.
fn handle(model: Result<Model, TansoError>) -> Result<LcaModelHandle, JsValue> {
    model
        .map(|model| LcaModelHandle { model })
        .map_err(|e| to_js(Failure::from(e)))
}

/// Converts a vector result.
fn vector(v: Result<Vec<f64>, TansoError>) -> Result<Vec<f64>, JsValue> {
    v.map_err(|e| to_js(Failure::from(e)))
}

impl LcaModelHandle {
    /// A handle of a model built elsewhere (an imported database).
    pub(crate) fn from_model(model: Model) -> LcaModelHandle {
        LcaModelHandle { model }
    }

    /// The Monte Carlo of a JSON request, with core's progress callback (the part of
    /// [`LcaModelHandle::monte_carlo`] that does not touch JS).
    pub(crate) fn monte_carlo_text(
        &self,
        request: &str,
        progress: Option<tanso::lca::montecarlo::Progress<'_>>,
    ) -> Result<String, Failure> {
        let request = parse_json("lca_monte_carlo", request)?;
        Ok(self.model.monte_carlo_json(request, progress)?.to_string())
    }

    /// A calculation of a JSON request (the part of [`LcaModelHandle::calculate`] that does
    /// not touch JS).
    pub(crate) fn calculate_text(&self, request: &str) -> Result<String, Failure> {
        let request = parse_json("lca", request)?;
        Ok(self.model.calculate_json(request)?.to_string())
    }
}

#[wasm_bindgen]
impl LcaModelHandle {
    /// Builds and factorizes the system document (JSON text of the `"system"` of `lca`).
    #[wasm_bindgen(js_name = fromSystem)]
    pub fn from_system(system: &str) -> Result<LcaModelHandle, JsValue> {
        let system = parse_json("LcaModel", system).map_err(to_js)?;
        handle(Model::from_json(system))
    }

    /// Reads and factorizes a `bench_bw2calc.py` dump: the `.npz` and `.json` bytes.
    #[wasm_bindgen(js_name = fromDump)]
    pub fn from_dump(npz: &[u8], json: &[u8]) -> Result<LcaModelHandle, JsValue> {
        handle(Model::from_dump(npz, json))
    }

    /// Builds and factorizes a system given by 0-based indices (see `LcaModel.fromArrays`).
    #[wasm_bindgen(js_name = fromArrays)]
    #[allow(clippy::too_many_arguments)] // one typed array per argument: the JS wrapper's call
    pub fn from_arrays(
        n_activities: u32,
        n_flows: u32,
        tech_rows: &[u32],
        tech_cols: &[u32],
        tech_values: &[f64],
        bio_rows: &[u32],
        bio_cols: &[u32],
        bio_values: &[f64],
        tech_sigma: Option<Vec<f64>>,
        bio_sigma: Option<Vec<f64>>,
        method_ids: &str,
        method_lengths: &[u32],
        method_flows: &[u32],
        method_factors: &[f64],
        activity_ids: &str,
        flow_ids: &str,
    ) -> Result<LcaModelHandle, JsValue> {
        let arrays = Arrays {
            n_activities,
            n_flows,
            tech_rows,
            tech_cols,
            tech_values,
            bio_rows,
            bio_cols,
            bio_values,
            tech_sigma: tech_sigma.as_deref(),
            bio_sigma: bio_sigma.as_deref(),
            method_ids,
            method_lengths,
            method_flows,
            method_factors,
            activity_ids,
            flow_ids,
        };
        handle(indexed_spec(&arrays).and_then(Model::from_indexed))
    }

    /// Sizes, loop blocks, methods and parameters, as JSON text.
    pub fn describe(&self) -> String {
        self.model.describe().to_string()
    }

    /// Answers a request of the `lca` operation without `"system"` (JSON text in and out).
    pub fn calculate(&self, request: &str) -> Result<String, JsValue> {
        self.calculate_text(request).map_err(to_js)
    }

    /// Runs a request of the `lca_monte_carlo` operation without `"system"` (JSON text in
    /// and out), calling `on_progress(done, total)` as iterations finish. If the callback
    /// throws, it is not called again and its exception is thrown when the run ends.
    #[wasm_bindgen(js_name = monteCarlo)]
    pub fn monte_carlo(
        &self,
        request: &str,
        on_progress: Option<ProgressCallback>,
    ) -> Result<String, JsValue> {
        let Some(callback) = on_progress else {
            return self.monte_carlo_text(request, None).map_err(to_js);
        };
        PROGRESS.with(|p| {
            p.borrow_mut().push(ProgressSlot {
                callback,
                thrown: None,
            })
        });
        let out = self.monte_carlo_text(request, Some(&report_progress));
        let thrown = PROGRESS
            .with(|p| p.borrow_mut().pop())
            .and_then(|s| s.thrown);
        match thrown {
            Some(e) => Err(e),
            None => out.map_err(to_js),
        }
    }

    /// Supply `A⁻¹ f` of a dense demand vector in activity order.
    pub fn supply(&self, demand: &[f64]) -> Result<Vec<f64>, JsValue> {
        vector(self.model.supply_array(demand))
    }

    /// Inventory `B A⁻¹ f`, one amount per flow in flow order.
    pub fn inventory(&self, demand: &[f64]) -> Result<Vec<f64>, JsValue> {
        vector(self.model.inventory_array(demand))
    }

    /// Scores of a dense demand vector, one per method in method order.
    pub fn scores(&self, demand: &[f64]) -> Result<Vec<f64>, JsValue> {
        vector(self.model.scores_array(demand))
    }

    /// Cradle-to-gate score of one unit of every product for a method (one adjoint solve).
    pub fn intensities(&self, method: &str) -> Result<Vec<f64>, JsValue> {
        vector(self.model.intensities_array(method))
    }

    /// Activity ids in matrix order, as a JSON array (numbers or strings).
    #[wasm_bindgen(js_name = activityIds)]
    pub fn activity_ids(&self) -> String {
        ids_text(&self.model.activity_ids())
    }

    /// Flow ids in matrix order, as a JSON array.
    #[wasm_bindgen(js_name = flowIds)]
    pub fn flow_ids(&self) -> String {
        ids_text(&self.model.flow_ids())
    }

    /// Method ids in order, as a JSON array.
    #[wasm_bindgen(js_name = methodIds)]
    pub fn method_ids(&self) -> String {
        Value::from(self.model.method_ids()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const SYSTEM: &str = r#"{
      "technosphere": [
        {"product": "steel", "activity": "steel", "amount": 1},
        {"product": "kWh", "activity": "steel", "amount": -0.5},
        {"product": "kWh", "activity": "kWh", "amount": 1}],
      "biosphere": [
        {"flow": "CO2", "activity": "steel", "amount": 1.8},
        {"flow": "CO2", "activity": "kWh", "amount": 0.6, "uncertainty": {"kind": "lognormal", "sigma": 0.1}}],
      "methods": [{"id": "GWP100", "factors": [{"flow": "CO2", "factor": 1}]}]}"#;

    fn model(text: &str) -> LcaModelHandle {
        LcaModelHandle {
            model: Model::from_json(serde_json::from_str(text).unwrap()).unwrap(),
        }
    }

    fn failure<T: std::fmt::Debug>(r: Result<T, TansoError>) -> (&'static str, &'static str) {
        let f = Failure::from(r.unwrap_err());
        (f.code, f.area)
    }

    #[test]
    fn calculates_through_json_text() {
        let m = model(SYSTEM);
        let out: Value = serde_json::from_str(
            &m.calculate_text(r#"{"demands":[{"amounts":[{"id":"steel","amount":1}]}]}"#)
                .unwrap(),
        )
        .unwrap();
        let score = out["results"][0]["scores"]["GWP100"].as_f64().unwrap();
        assert!((score - 2.1).abs() < 1e-12, "{score}");
        let f = m
            .calculate_text(r#"{"demands":[{"amounts":[{"id":"gold","amount":1}]}]}"#)
            .unwrap_err();
        assert_eq!((f.code, f.area), ("UNKNOWN_ID", "lca"));
        let f = m.calculate_text("{").unwrap_err();
        assert_eq!((f.code, f.area), ("INVALID_INPUT", "input"));
    }

    #[test]
    fn monte_carlo_reports_progress_and_repeats() {
        let m = model(SYSTEM);
        let calls = AtomicUsize::new(0);
        let last = AtomicUsize::new(0);
        let progress = |done: usize, total: usize| {
            calls.fetch_add(1, Ordering::Relaxed);
            last.fetch_max(done, Ordering::Relaxed);
            assert_eq!(total, 50);
        };
        let req = r#"{"demands":[{"amounts":[{"id":"steel","amount":1}]}],"iterations":50,"seed":3,"include_samples":true}"#;
        let a = m.monte_carlo_text(req, Some(&progress)).unwrap();
        let b = m.monte_carlo_text(req, None).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            (calls.load(Ordering::Relaxed), last.load(Ordering::Relaxed)),
            (50, 50)
        );
    }

    fn arrays<'a>(
        method_ids: &'a str,
        lengths: &'a [u32],
        flows: &'a [u32],
        factors: &'a [f64],
    ) -> Arrays<'a> {
        Arrays {
            n_activities: 2,
            n_flows: 1,
            tech_rows: &[0, 1, 1],
            tech_cols: &[0, 0, 1],
            tech_values: &[1.0, -0.5, 1.0],
            bio_rows: &[0, 0],
            bio_cols: &[0, 1],
            bio_values: &[1.8, 0.6],
            method_ids,
            method_lengths: lengths,
            method_flows: flows,
            method_factors: factors,
            activity_ids: r#"["steel","kWh"]"#,
            flow_ids: "null",
            ..Arrays::default()
        }
    }

    #[test]
    fn builds_from_arrays() {
        let a = arrays(r#"["GWP100","twice"]"#, &[1, 1], &[0, 0], &[1.0, 2.0]);
        let m = Model::from_indexed(indexed_spec(&a).unwrap()).unwrap();
        let s = m.scores_array(&[1.0, 0.0]).unwrap();
        assert!(
            (s[0] - 2.1).abs() < 1e-12 && (s[1] - 4.2).abs() < 1e-12,
            "{s:?}"
        );
        assert_eq!(ids_text(&m.activity_ids()), r#"["steel","kWh"]"#);
        assert_eq!(ids_text(&m.flow_ids()), "[0]");
        let sigma = Arrays {
            tech_sigma: Some(&[0.0, 0.1]),
            ..arrays("[]", &[], &[], &[])
        };
        assert_eq!(failure(indexed_spec(&sigma)), ("COLUMN_LENGTH", "input"));
        let sigma = Arrays {
            bio_sigma: Some(&[0.0, 0.1]),
            ..arrays("[]", &[], &[], &[])
        };
        assert_eq!(indexed_spec(&sigma).unwrap().bio_uncertainty.len(), 1);
    }

    #[test]
    fn bad_arrays_are_errors() {
        assert_eq!(
            failure(indexed_spec(&arrays(r#"["a"]"#, &[2], &[0], &[1.0]))),
            ("COLUMN_LENGTH", "input")
        );
        assert_eq!(
            failure(indexed_spec(&arrays(r#"["a"]"#, &[1, 1], &[0], &[1.0]))),
            ("COLUMN_LENGTH", "input")
        );
        assert_eq!(
            failure(indexed_spec(&arrays(r#"["a"]"#, &[1], &[0, 0], &[1.0]))),
            ("COLUMN_LENGTH", "input")
        );
        assert_eq!(
            failure(indexed_spec(&arrays("{", &[], &[], &[]))),
            ("INVALID_INPUT", "input")
        );
        let bad_ids = Arrays {
            activity_ids: "[1.5, 2]",
            ..arrays("[]", &[], &[], &[])
        };
        assert_eq!(failure(indexed_spec(&bad_ids)), ("INVALID_INPUT", "input"));
        let out_of_range = Arrays {
            tech_rows: &[0, 5, 1],
            ..arrays("[]", &[], &[], &[])
        };
        assert_eq!(
            failure(indexed_spec(&out_of_range).and_then(Model::from_indexed)),
            ("INVALID_SETTING", "lca")
        );
    }

    #[test]
    fn reads_the_dump_and_rejects_broken_bytes() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/lca");
        let npz = std::fs::read(dir.join("synthetic_n1000_seed1.npz")).unwrap();
        let json = std::fs::read(dir.join("synthetic_n1000_seed1.json")).unwrap();
        let m = Model::from_dump(&npz, &json).unwrap();
        assert_eq!(m.method_ids(), vec!["score".to_string()]);
        assert_eq!(
            failure(Model::from_dump(&npz[..1000], &json)),
            ("MALFORMED_DATA", "lca")
        );
    }
}
