//! The compiled module `tanso._tanso`: the Python binding of the tanso core.
//!
//! Thin by design: [`call`] converts a Python document to a JSON value
//! ([`document`]), runs `tanso::api::run` with the GIL released, and builds the result
//! directly as Python objects with a serde serializer ([`ser`]), so decimals arrive as
//! `decimal.Decimal` and never pass through a float. Errors cross as one raw exception
//! ([`error`]) that the pure-Python package re-raises as its typed class. Users import
//! `tanso`, not this module.
#![deny(missing_docs)]

mod batch;
mod document;
mod error;
mod import;
mod lca;
mod ser;

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use tanso::error::InputError;

use crate::document::ConvertError;
use crate::error::{raw, RawTansoError};
use crate::ser::{PySerializer, SerError};

/// Imports numpy, so that a missing numpy is an `ImportError` here rather than a panic inside
/// rust-numpy (which expects its API capsule). Cheap once imported (a `sys.modules` lookup).
pub(crate) fn require_numpy(py: Python<'_>) -> PyResult<()> {
    py.import("numpy").map(|_| ())
}

/// Runs the operation `operation` of tanso's document API on `document` and returns its result.
///
/// `document` is made of dict, list, tuple, str, int, float, bool, None and
/// `decimal.Decimal`; a float counts as its shortest repr (`0.1` is exactly 0.1). Decimals in
/// the result are `decimal.Decimal`. A failure raises `RawTansoError(code, area, message)`.
/// The document is only read: nothing is written back into it.
#[pyfunction]
#[pyo3(signature = (operation, document, /))]
fn call<'py>(py: Python<'py>, operation: String, document: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let input = match document::to_value(&operation, document) {
        Ok(v) => v,
        Err(ConvertError::Tanso(e)) => return Err(raw(&e)),
        Err(ConvertError::Py(e)) => return Err(e),
    };
    let out = py.detach(|| tanso::api::run(&operation, input).map_err(|e| raw(&e)))?;
    match erased_serde::serialize(&*out, PySerializer::new(py)) {
        Ok(obj) => Ok(obj),
        Err(SerError::Py(e)) => Err(e),
        Err(SerError::Custom(message)) => Err(raw(&InputError::InvalidInput { operation, message }.into())),
    }
}

/// Runs an operation on a JSON text and returns JSON text (decimals as strings), exactly as
/// the JS and Kotlin bindings see it. A failure raises `RawTansoError(code, area, message)`.
#[pyfunction]
#[pyo3(signature = (operation, input, /))]
fn call_json(py: Python<'_>, operation: String, input: String) -> PyResult<String> {
    py.detach(|| tanso::api::call_json(&operation, &input).map_err(|e| raw(&e)))
}

/// The compiled module: `call`, `call_json`, `batch_columns` (the batch fast path, [`batch`]),
/// `RawLcaModel` (core's LCA model, [`lca`]), `RawImportedDatabase` (an imported database,
/// [`import`]), `RawTansoError`, `OPERATIONS` (core's list of
/// `(name, summary)`), `ERROR_CODES` (core's list of `(code, area)`) and `__version__`.
#[pymodule]
fn _tanso(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(call_json, m)?)?;
    m.add_function(wrap_pyfunction!(batch::batch_columns, m)?)?;
    m.add_class::<lca::RawLcaModel>()?;
    m.add_class::<import::RawImportedDatabase>()?;
    m.add("RawTansoError", py.get_type::<RawTansoError>())?;
    let ops = tanso::api::OPERATIONS.iter().map(|o| PyTuple::new(py, [o.name, o.summary])).collect::<PyResult<Vec<_>>>()?;
    m.add("OPERATIONS", PyTuple::new(py, ops)?)?;
    let codes =
        tanso::error::ERROR_CODES.iter().map(|(c, a)| PyTuple::new(py, [*c, *a])).collect::<PyResult<Vec<_>>>()?;
    m.add("ERROR_CODES", PyTuple::new(py, codes)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
