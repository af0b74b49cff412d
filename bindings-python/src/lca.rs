//! The LCA model: core's [`tanso::lca::document::Model`] (a factorized system kept between
//! calls) as the Python class `tanso._tanso.RawLcaModel`, wrapped by `tanso.LcaModel`.
//!
//! Conversion only: documents become JSON values ([`crate::document`]), float64 numpy arrays
//! are read (copied, so another Python thread cannot change them during a solve) and results
//! come back as numpy arrays that own core's `Vec` (no copy) or as Python objects built by
//! [`crate::ser`]. Building the model (factorization), solves and the Monte Carlo run with the
//! GIL released; a Monte Carlo progress callback re-attaches from core's worker threads.

// Core's `TansoError` is large (clippy says so of core too); results carry it as core's API does.
#![allow(clippy::result_large_err)]

use std::sync::Mutex;
use std::time::{Duration, Instant};

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};
use serde::Serialize;
use serde_json::Value;
use tanso::error::{InputError, LcaError};
use tanso::lca::calc::{DemandAmount, DemandSpec};
use tanso::lca::document::Model;
use tanso::lca::sampling::Distribution;
use tanso::lca::sparse::Csc;
use tanso::lca::system::{IndexedSpec, NodeId};
use tanso::TansoError;

use crate::document::{self, ConvertError};
use crate::error::raw;
use crate::require_numpy;
use crate::ser::{PySerializer, SerError};

/// Shortest interval between two calls of a progress callback (the last call is never skipped).
const PROGRESS_INTERVAL: Duration = Duration::from_millis(50);

fn invalid(operation: &str, message: String) -> TansoError {
    InputError::InvalidInput { operation: operation.to_string(), message }.into()
}

/// `INVALID_INPUT` of the `lca` operation, as the raw Python exception.
fn invalid_input(message: String) -> PyErr {
    raw(&invalid("lca", message))
}

/// `COLUMN_LENGTH`, as the raw Python exception.
fn column_length(field: impl Into<String>, found: usize, expected: usize) -> PyErr {
    raw(&InputError::ColumnLength { field: field.into(), found, expected }.into())
}

/// A Python document → a JSON value, or the raw Python exception.
fn to_value(operation: &str, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    match document::to_value(operation, obj) {
        Ok(v) => Ok(v),
        Err(ConvertError::Tanso(e)) => Err(raw(&e)),
        Err(ConvertError::Py(e)) => Err(e),
    }
}

/// Any serializable core value → Python objects.
fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, v: &T, operation: &str) -> PyResult<Bound<'py, PyAny>> {
    match v.serialize(PySerializer::new(py)) {
        Ok(obj) => Ok(obj),
        Err(SerError::Py(e)) => Err(e),
        Err(SerError::Custom(message)) => Err(raw(&invalid(operation, message))),
    }
}

/// A 1-D float64 array (or anything numpy reads as one) → an owned `Vec`, named `field` in errors.
fn floats(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    require_numpy(obj.py())?;
    if let Ok(a) = obj.extract::<PyReadonlyArray1<'_, f64>>() {
        return Ok(match a.as_slice() {
            Ok(s) => s.to_vec(),
            Err(_) => a.as_array().iter().copied().collect(),
        });
    }
    let what = match obj.getattr("ndim") {
        Ok(ndim) => {
            let dtype = obj.getattr("dtype").map(|d| d.to_string()).unwrap_or_default();
            format!("a {ndim}-dimensional array of {dtype}")
        }
        Err(_) => format!("a {}", obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".into())),
    };
    Err(invalid_input(format!("{field}: {what}; expected a 1-D numpy array of float64")))
}

/// A 1-D int64 index array → `usize` indices; a negative index is `INVALID_SETTING`.
fn indices(field: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    require_numpy(obj.py())?;
    let a = obj.extract::<PyReadonlyArray1<'_, i64>>().map_err(|_| {
        invalid_input(format!("{field}: expected a 1-D numpy array of int64 indices"))
    })?;
    let view = a.as_array();
    let mut out = Vec::with_capacity(view.len());
    for (k, &i) in view.iter().enumerate() {
        match usize::try_from(i) {
            Ok(u) => out.push(u),
            Err(_) => {
                return Err(raw(&LcaError::InvalidSetting {
                    field: format!("{field}[{k}]"),
                    value: i.to_string(),
                    valid: "an index >= 0".into(),
                }
                .into()))
            }
        }
    }
    Ok(out)
}

/// `(rows, cols, values)` of one matrix.
fn triplets(
    name: &str,
    rows: &Bound<'_, PyAny>,
    cols: &Bound<'_, PyAny>,
    vals: &Bound<'_, PyAny>,
) -> PyResult<(Vec<usize>, Vec<usize>, Vec<f64>)> {
    let rows = indices(&format!("{name} rows"), rows)?;
    let cols = indices(&format!("{name} cols"), cols)?;
    Ok((rows, cols, floats(&format!("{name} values"), vals)?))
}

/// Per-entry sigmas → lognormals centred on the entries' values (`mu` absent, core's
/// convention); 0 and NaN mean certain. A length other than the entries' is `COLUMN_LENGTH`.
fn lognormals(field: &str, sigma: Option<&Bound<'_, PyAny>>, entries: usize) -> PyResult<Vec<(usize, Distribution)>> {
    let Some(sigma) = sigma.filter(|s| !s.is_none()) else { return Ok(Vec::new()) };
    let s = floats(field, sigma)?;
    if s.len() != entries {
        return Err(column_length(field, s.len(), entries));
    }
    Ok(s.into_iter()
        .enumerate()
        .filter(|(_, v)| *v != 0.0 && !v.is_nan())
        .map(|(k, v)| (k, Distribution::Lognormal { mu: None, sigma: v }))
        .collect())
}

/// Optional ids (a sequence of int or str) → `NodeId`s.
fn node_ids(field: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<NodeId>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else { return Ok(None) };
    let v = to_value("lca", obj)?;
    serde_json::from_value(v)
        .map(Some)
        .map_err(|e| invalid_input(format!("{field}: {e}; expected a sequence of int or str ids")))
}

/// A CSC matrix → `(data, indices, indptr, (nrows, ncols))`, scipy's csc_matrix arguments.
fn csc<'py>(py: Python<'py>, m: &Csc) -> PyResult<Bound<'py, PyTuple>> {
    require_numpy(py)?;
    let to_i64 = |v: &[usize]| -> PyResult<Vec<i64>> {
        v.iter()
            .map(|&u| i64::try_from(u).map_err(|_| invalid_input(format!("index {u} exceeds int64"))))
            .collect()
    };
    let data = PyArray1::from_slice(py, &m.values);
    let indices = PyArray1::from_vec(py, to_i64(&m.row_idx)?);
    let indptr = PyArray1::from_vec(py, to_i64(&m.col_ptr)?);
    let shape = PyTuple::new(py, [m.nrows, m.ncols])?;
    PyTuple::new(py, [data.into_any(), indices.into_any(), indptr.into_any(), shape.into_any()])
}

/// A factorized LCA system (core's `Model`); `tanso.LcaModel` wraps it.
#[pyclass(name = "RawLcaModel", module = "tanso._tanso", frozen)]
pub(crate) struct RawLcaModel {
    model: Model,
    /// The system document as JSON text, when built from one (for pickling).
    system_json: Option<String>,
}

impl RawLcaModel {
    /// A model built elsewhere (an imported database); no system document kept.
    pub(crate) fn from_model(model: Model) -> RawLcaModel {
        RawLcaModel { model, system_json: None }
    }

    fn solve<'py>(
        &self,
        py: Python<'py>,
        demand: &Bound<'py, PyAny>,
        f: impl FnOnce(&Model, &[f64]) -> Result<Vec<f64>, TansoError> + Send,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let d = floats("demand", demand)?;
        let out = py.detach(|| f(&self.model, &d)).map_err(|e| raw(&e))?;
        Ok(PyArray1::from_vec(py, out))
    }
}

#[pymethods]
impl RawLcaModel {
    /// Builds and factorizes a system from its document (a dict, or JSON text).
    #[staticmethod]
    fn from_system(py: Python<'_>, system: &Bound<'_, PyAny>) -> PyResult<Self> {
        let (value, text) = match system.cast::<PyString>() {
            Ok(s) => {
                let text = s.to_cow()?.into_owned();
                let value: Value =
                    serde_json::from_str(&text).map_err(|e| invalid_input(format!("system: {e}")))?;
                (value, text)
            }
            Err(_) => {
                let value = to_value("lca", system)?;
                let text = serde_json::to_string(&value).map_err(|e| invalid_input(format!("system: {e}")))?;
                (value, text)
            }
        };
        let model = py.detach(move || Model::from_json(value)).map_err(|e| raw(&e))?;
        Ok(RawLcaModel { model, system_json: Some(text) })
    }

    /// Builds and factorizes a system from 0-based triplets (int64 and float64 numpy arrays).
    ///
    /// `methods`: `(id, flows, factors)` with int64 flow indices, or `(id, None, factors)`
    /// with one factor per flow (non-zero ones kept). `tech_shape` and `bio_shape`, when the
    /// matrices came with a shape, are checked: `A` square, `B` with one column per activity.
    #[staticmethod]
    #[pyo3(signature = (n_activities, n_flows, tech_rows, tech_cols, tech_vals, bio_rows, bio_cols, bio_vals,
                        methods, tech_sigma = None, bio_sigma = None, activity_ids = None, flow_ids = None,
                        tech_shape = None, bio_shape = None))]
    #[allow(clippy::too_many_arguments)]
    fn from_indexed(
        py: Python<'_>,
        n_activities: usize,
        n_flows: usize,
        tech_rows: &Bound<'_, PyAny>,
        tech_cols: &Bound<'_, PyAny>,
        tech_vals: &Bound<'_, PyAny>,
        bio_rows: &Bound<'_, PyAny>,
        bio_cols: &Bound<'_, PyAny>,
        bio_vals: &Bound<'_, PyAny>,
        methods: Vec<(String, Option<Bound<'_, PyAny>>, Bound<'_, PyAny>)>,
        tech_sigma: Option<&Bound<'_, PyAny>>,
        bio_sigma: Option<&Bound<'_, PyAny>>,
        activity_ids: Option<&Bound<'_, PyAny>>,
        flow_ids: Option<&Bound<'_, PyAny>>,
        tech_shape: Option<(usize, usize)>,
        bio_shape: Option<(usize, usize)>,
    ) -> PyResult<Self> {
        if let Some((r, c)) = tech_shape.filter(|(r, c)| r != c) {
            return Err(raw(&LcaError::NonSquareTechnosphere {
                detail: format!("the matrix has {r} rows (products) and {c} columns (activities)"),
            }
            .into()));
        }
        if let Some((_, c)) = bio_shape.filter(|(_, c)| *c != n_activities) {
            return Err(column_length("biosphere columns", c, n_activities));
        }
        let tech = triplets("technosphere", tech_rows, tech_cols, tech_vals)?;
        let bio = triplets("biosphere", bio_rows, bio_cols, bio_vals)?;
        let tech_uncertainty = lognormals("technosphere_sigma", tech_sigma, tech.2.len())?;
        let bio_uncertainty = lognormals("biosphere_sigma", bio_sigma, bio.2.len())?;
        let mut ms = Vec::with_capacity(methods.len());
        for (id, flows, factors) in &methods {
            let field = format!("methods['{id}']");
            let factors = floats(&field, factors)?;
            let pairs: Vec<(usize, f64)> = match flows.as_ref().filter(|f| !f.is_none()) {
                None if factors.len() != n_flows => {
                    return Err(column_length(field, factors.len(), n_flows));
                }
                None => factors.into_iter().enumerate().filter(|(_, v)| *v != 0.0).collect(),
                Some(flows) => {
                    let flows = indices(&format!("{field} flows"), flows)?;
                    if flows.len() != factors.len() {
                        return Err(column_length(field, factors.len(), flows.len()));
                    }
                    flows.into_iter().zip(factors).collect()
                }
            };
            ms.push((id.clone(), pairs));
        }
        let spec = IndexedSpec {
            n_activities,
            n_flows,
            tech,
            bio,
            tech_uncertainty,
            bio_uncertainty,
            methods: ms,
            activity_ids: node_ids("activity_ids", activity_ids)?,
            flow_ids: node_ids("flow_ids", flow_ids)?,
        };
        let model = py.detach(move || Model::from_indexed(spec)).map_err(|e| raw(&e))?;
        Ok(RawLcaModel { model, system_json: None })
    }

    /// Reads a `bench_bw2calc.py` dump (the `.npz` and `.json` bytes) and factorizes it.
    #[staticmethod]
    fn from_dump(py: Python<'_>, npz: &[u8], json: &[u8]) -> PyResult<Self> {
        let model = py.detach(|| Model::from_dump(npz, json)).map_err(|e| raw(&e))?;
        Ok(RawLcaModel { model, system_json: None })
    }

    /// The system document as JSON text, when the model was built from one.
    fn system_json(&self) -> Option<&str> {
        self.system_json.as_deref()
    }

    /// Sizes, loop blocks, methods, parameters.
    fn describe<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.model.describe(), "lca")
    }

    /// Answers a calculation request (the `lca` operation's input without `system`).
    fn calculate<'py>(&self, py: Python<'py>, request: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let req = to_value("lca", request)?;
        let out = py.detach(|| self.model.calculate_json(req)).map_err(|e| raw(&e))?;
        to_py(py, &out, "lca")
    }

    /// Runs a Monte Carlo request (the `lca_monte_carlo` operation's input without `system`).
    ///
    /// `progress(done, total)` is called from core's worker threads as iterations finish: with
    /// `done` increasing, at most every 50 ms, and always at the end. If it raises, it is not
    /// called again and its exception is raised when the run ends.
    #[pyo3(signature = (request, progress = None))]
    fn monte_carlo<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let req = to_value("lca_monte_carlo", request)?;
        let out = match progress.filter(|p| !p.is_none(py)) {
            None => py.detach(|| self.model.monte_carlo_json(req, None)),
            Some(callback) => {
                // (last done reported, when), and the callback's first exception.
                let last: Mutex<(usize, Option<Instant>)> = Mutex::new((0, None));
                let failure: Mutex<Option<PyErr>> = Mutex::new(None);
                let report = |done: usize, total: usize| {
                    let last_call = if done >= total { last.lock().ok() } else { last.try_lock().ok() };
                    let Some(mut last_call) = last_call else { return };
                    let due = last_call.1.is_none_or(|t| t.elapsed() >= PROGRESS_INTERVAL);
                    if done <= last_call.0 || (done < total && !due) {
                        return;
                    }
                    if failure.lock().map(|f| f.is_some()).unwrap_or(true) {
                        return;
                    }
                    *last_call = (done, Some(Instant::now()));
                    Python::attach(|py| {
                        if let Err(e) = callback.call1(py, (done, total)) {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e);
                            }
                        }
                    });
                };
                let out = py.detach(|| self.model.monte_carlo_json(req, Some(&report)));
                if let Some(e) = failure.into_inner().ok().flatten() {
                    return Err(e);
                }
                out
            }
        };
        to_py(py, &out.map_err(|e| raw(&e))?, "lca_monte_carlo")
    }

    /// A demand (`{"amounts": [{"id", "amount"}]}`) → the dense demand vector in matrix order.
    fn demand_vector<'py>(&self, py: Python<'py>, demand: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        require_numpy(py)?;
        let spec: DemandSpec = serde_json::from_value(to_value("lca", demand)?)
            .map_err(|e| invalid_input(format!("demand: {e}")))?;
        let f = self.model.lca().demand_vector("demand", &spec).map_err(|e| raw(&e))?;
        Ok(PyArray1::from_vec(py, f))
    }

    /// A dense demand vector → the demand document naming its non-zero entries by activity id.
    /// Refused (`INVALID_INPUT`) where an activity id is also another activity's product id,
    /// so that the document would not mean the same vector.
    fn demand_document<'py>(&self, py: Python<'py>, demand: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let f = floats("demand", demand)?;
        let lca = self.model.lca();
        let acts = lca.system().activities();
        if f.len() != acts.len() {
            return Err(column_length("demand", f.len(), acts.len()));
        }
        let mut amounts = Vec::new();
        for (j, &x) in f.iter().enumerate() {
            if !x.is_finite() {
                return Err(raw(&InputError::NonFinite { field: format!("demand[{j}]"), value: x.to_string() }.into()));
            }
            if x != 0.0 {
                let id = acts[j].id.clone();
                if lca.system().resolve("demand", &id).map_err(|e| raw(&e))? != j {
                    return Err(invalid_input(format!(
                        "demand[{j}]: activity id '{id}' is also the product of another activity; \
                         give the demand by product id"
                    )));
                }
                amounts.push(DemandAmount { id, amount: x });
            }
        }
        to_py(py, &DemandSpec { name: None, amounts }, "lca")
    }

    /// Supply `x = A⁻¹ f` of a dense demand (float64, one per activity).
    fn supply<'py>(&self, py: Python<'py>, demand: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        self.solve(py, demand, |m, d| m.supply_array(d))
    }

    /// Inventory `B A⁻¹ f` (one amount per flow).
    fn inventory<'py>(&self, py: Python<'py>, demand: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        self.solve(py, demand, |m, d| m.inventory_array(d))
    }

    /// Scores of a dense demand, one per method in `method_ids` order.
    fn scores<'py>(&self, py: Python<'py>, demand: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        self.solve(py, demand, |m, d| m.scores_array(d))
    }

    /// Cradle-to-gate score of one unit of every product for a method (one adjoint solve).
    fn intensities<'py>(&self, py: Python<'py>, method: &str) -> PyResult<Bound<'py, PyArray1<f64>>> {
        require_numpy(py)?;
        let out = py.detach(|| self.model.intensities_array(method)).map_err(|e| raw(&e))?;
        Ok(PyArray1::from_vec(py, out))
    }

    /// Activity (= product) ids in matrix order, int or str.
    fn activity_ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.model.activity_ids(), "lca")
    }

    /// Flow ids in matrix order, int or str.
    fn flow_ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.model.flow_ids(), "lca")
    }

    /// Method ids in order.
    fn method_ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.model.method_ids())
    }

    /// The technosphere matrix `A` as `(data, indices, indptr, (nrows, ncols))` (CSC).
    fn technosphere<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        csc(py, &self.model.lca().system().technosphere)
    }

    /// The biosphere matrix `B` as `(data, indices, indptr, (nrows, ncols))` (CSC).
    fn biosphere<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        csc(py, &self.model.lca().system().biosphere)
    }
}
