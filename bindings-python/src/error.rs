//! Core errors → one raw Python exception carrying `(code, area, message)`.
//!
//! The pure-Python package (`tanso/_errors.py`) catches it and raises the typed class for the
//! code (`tanso.UnitMismatchError`, a subclass of `tanso.UnitError` and `tanso.TansoError`).
//! Keeping the class tree in Python lets type checkers and IDEs see every class statically.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::PyErr;
use tanso::TansoError;

create_exception!(
    tanso._tanso,
    RawTansoError,
    PyValueError,
    "Raised by the compiled module with args (code, area, message); `tanso` re-raises it as the typed error for the code."
);

/// The raw Python exception for a core error.
pub(crate) fn raw(e: &TansoError) -> PyErr {
    RawTansoError::new_err((e.code(), e.area(), e.to_string()))
}
