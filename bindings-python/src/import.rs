//! Imported LCA databases: core's [`tanso::exchange::import::ImportedDatabase`] as the Python
//! class `tanso._tanso.RawImportedDatabase`, wrapped by `tanso.ImportedDatabase`.
//!
//! Conversion only: file names and bytes in (the Python layer reads paths and folders),
//! the report and the system out as Python objects, the cache as `bytes`. Importing, the
//! cache and building the model run with the GIL released.

// Core's `TansoError` is large (clippy says so of core too); results carry it as core's API does.
#![allow(clippy::result_large_err)]

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::Serialize;
use tanso::error::InputError;
use tanso::exchange::import::{ImportOptions, ImportedDatabase, SourceFile};
use tanso::lca::document::Model;

use crate::document::{self, ConvertError};
use crate::error::raw;
use crate::lca::RawLcaModel;
use crate::ser::{PySerializer, SerError};

fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    match v.serialize(PySerializer::new(py)) {
        Ok(obj) => Ok(obj),
        Err(SerError::Py(e)) => Err(e),
        Err(SerError::Custom(message)) => {
            Err(raw(&InputError::InvalidInput { operation: "lca_import".into(), message }.into()))
        }
    }
}

/// An imported database (core's `ImportedDatabase`); `tanso.ImportedDatabase` wraps it.
#[pyclass(name = "RawImportedDatabase", module = "tanso._tanso", frozen)]
pub(crate) struct RawImportedDatabase {
    db: ImportedDatabase,
}

#[pymethods]
impl RawImportedDatabase {
    /// Imports a database from `(name, bytes)` files (zip archives are unpacked) with the
    /// options document (a dict or None).
    #[staticmethod]
    #[pyo3(signature = (files, options = None))]
    fn import_files(py: Python<'_>, files: Vec<(String, Vec<u8>)>, options: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let options: ImportOptions = match options {
            None => ImportOptions::default(),
            Some(o) => {
                let value = match document::to_value("lca_import", o) {
                    Ok(v) => v,
                    Err(ConvertError::Tanso(e)) => return Err(raw(&e)),
                    Err(ConvertError::Py(e)) => return Err(e),
                };
                serde_json::from_value(value).map_err(|e| {
                    raw(&InputError::InvalidInput { operation: "lca_import".into(), message: format!("options: {e}") }.into())
                })?
            }
        };
        let files: Vec<SourceFile> = files.into_iter().map(|(n, b)| SourceFile::new(n, b)).collect();
        let db = py.detach(|| ImportedDatabase::import(&files, &options)).map_err(|e| raw(&e))?;
        Ok(RawImportedDatabase { db })
    }

    /// Reads a cache written by `to_cache`.
    #[staticmethod]
    fn from_cache(py: Python<'_>, cache: &[u8]) -> PyResult<Self> {
        let db = py.detach(|| ImportedDatabase::from_cache(cache)).map_err(|e| raw(&e))?;
        Ok(RawImportedDatabase { db })
    }

    /// The database as a compact binary cache (`bytes`).
    fn to_cache<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = py.detach(|| self.db.to_cache()).map_err(|e| raw(&e))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// The import report (a dict).
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.db.report)
    }

    /// The system document (a dict, as the `lca` operation takes it).
    fn system<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.db.system)
    }

    /// Builds and factorizes the engine's model of the system.
    fn model(&self, py: Python<'_>) -> PyResult<RawLcaModel> {
        let model = py.detach(|| Model::from_spec(&self.db.system)).map_err(|e| raw(&e))?;
        Ok(RawLcaModel::from_model(model))
    }
}
