//! Imported LCA databases (`tanso::exchange::import`) as a uniffi Object:
//! [`FfiImportedDatabase`] holds the system and the report; files cross as name and bytes,
//! the options, report and system as JSON text, the cache as bytes. The Kotlin layer
//! (`tanso.ImportedDatabase`) reads paths and folders; this file only converts and calls core.

use std::sync::Arc;

use tanso::error::InputError;
use tanso::exchange::import::{ImportOptions, ImportedDatabase, SourceFile};
use tanso::lca::document::Model;
use tanso::TansoError;

use crate::lca::FfiLcaModel;
use crate::FfiError;

/// One database file: its name (a path inside a folder or zip) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FfiSourceFile {
    /// The name, e.g. `processes/0a1b….json` or `uslci.zip`.
    pub name: String,
    /// The content.
    pub bytes: Vec<u8>,
}

fn invalid(message: String) -> FfiError {
    TansoError::from(InputError::InvalidInput { operation: "lca_import".into(), message }).into()
}

/// An imported database. Kotlin: `tanso.ffi.FfiImportedDatabase`, wrapped by
/// `tanso.ImportedDatabase`.
#[derive(uniffi::Object)]
pub struct FfiImportedDatabase {
    db: ImportedDatabase,
}

#[uniffi::export]
impl FfiImportedDatabase {
    /// Imports a database from its files (zip archives are unpacked) with the options as
    /// JSON text (`{}` for the defaults).
    #[uniffi::constructor]
    pub fn import_files(files: Vec<FfiSourceFile>, options_json: String) -> Result<Arc<Self>, FfiError> {
        let options: ImportOptions =
            serde_json::from_str(&options_json).map_err(|e| invalid(format!("options: {e}")))?;
        let files: Vec<SourceFile> = files.into_iter().map(|f| SourceFile::new(f.name, f.bytes)).collect();
        Ok(Arc::new(FfiImportedDatabase { db: ImportedDatabase::import(&files, &options)? }))
    }

    /// Reads a cache written by `to_cache`.
    #[uniffi::constructor]
    pub fn from_cache(cache: Vec<u8>) -> Result<Arc<Self>, FfiError> {
        Ok(Arc::new(FfiImportedDatabase { db: ImportedDatabase::from_cache(&cache)? }))
    }

    /// The database as a compact binary cache.
    pub fn to_cache(&self) -> Result<Vec<u8>, FfiError> {
        Ok(self.db.to_cache()?)
    }

    /// The import report as JSON text.
    pub fn report(&self) -> Result<String, FfiError> {
        serde_json::to_string(&self.db.report).map_err(|e| invalid(e.to_string()))
    }

    /// The system document as JSON text.
    pub fn system(&self) -> Result<String, FfiError> {
        serde_json::to_string(&self.db.system).map_err(|e| invalid(e.to_string()))
    }

    /// Builds and factorizes the engine's model of the system.
    pub fn model(&self) -> Result<Arc<FfiLcaModel>, FfiError> {
        Ok(FfiLcaModel::from_model(Model::from_spec(&self.db.system)?))
    }
}
