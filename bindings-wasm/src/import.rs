//! Imported LCA databases: core's [`ImportedDatabase`] as the JS class
//! `ImportedDatabaseHandle` (wrapped as `ImportedDatabase` by `js/index.js`). Files cross as
//! one byte array with their lengths and a JSON list of names (a file dropped into a page is
//! read with `await file.arrayBuffer()`); the report and the system as JSON text; the cache
//! as bytes. Conversion only.

use tanso::exchange::import::{ImportOptions, ImportedDatabase, SourceFile};
use tanso::lca::document::Model;
use tanso::TansoError;
use wasm_bindgen::prelude::*;

use crate::lca::LcaModelHandle;
use crate::{to_js, Failure};

fn fail(e: TansoError) -> JsValue {
    to_js(Failure::from(e))
}

fn invalid(message: String) -> JsValue {
    fail(tanso::error::InputError::InvalidInput { operation: "lca_import".into(), message }.into())
}

/// Splits the concatenated bytes into files.
fn files(names: &str, lengths: &[u32], bytes: &[u8]) -> Result<Vec<SourceFile>, JsValue> {
    let names: Vec<String> = serde_json::from_str(names).map_err(|e| invalid(format!("file names: {e}")))?;
    if names.len() != lengths.len() {
        return Err(invalid(format!("{} file names for {} lengths", names.len(), lengths.len())));
    }
    let mut out = Vec::with_capacity(names.len());
    let mut at = 0usize;
    for (name, &len) in names.into_iter().zip(lengths) {
        let end = at.saturating_add(len as usize);
        let content = bytes.get(at..end).ok_or_else(|| invalid(format!("{name}: the lengths exceed the bytes given")))?;
        out.push(SourceFile::new(name, content.to_vec()));
        at = end;
    }
    Ok(out)
}

/// An imported database held in the module.
#[wasm_bindgen]
pub struct ImportedDatabaseHandle {
    db: ImportedDatabase,
}

#[wasm_bindgen]
impl ImportedDatabaseHandle {
    /// Imports files (names as a JSON array, their bytes concatenated, one length each) with
    /// the options as JSON text.
    #[wasm_bindgen(js_name = importFiles)]
    pub fn import_files(names: &str, lengths: &[u32], bytes: &[u8], options: &str) -> Result<ImportedDatabaseHandle, JsValue> {
        let files = files(names, lengths, bytes)?;
        let options: ImportOptions = serde_json::from_str(options).map_err(|e| invalid(format!("options: {e}")))?;
        ImportedDatabase::import(&files, &options).map(|db| ImportedDatabaseHandle { db }).map_err(fail)
    }

    /// Reads a cache written by `toCache`.
    #[wasm_bindgen(js_name = fromCache)]
    pub fn from_cache(cache: &[u8]) -> Result<ImportedDatabaseHandle, JsValue> {
        ImportedDatabase::from_cache(cache).map(|db| ImportedDatabaseHandle { db }).map_err(fail)
    }

    /// The database as a compact binary cache.
    #[wasm_bindgen(js_name = toCache)]
    pub fn to_cache(&self) -> Result<Vec<u8>, JsValue> {
        self.db.to_cache().map_err(fail)
    }

    /// The import report as JSON text.
    pub fn report(&self) -> Result<String, JsValue> {
        serde_json::to_string(&self.db.report).map_err(|e| invalid(e.to_string()))
    }

    /// The system document as JSON text.
    pub fn system(&self) -> Result<String, JsValue> {
        serde_json::to_string(&self.db.system).map_err(|e| invalid(e.to_string()))
    }

    /// Builds and factorizes the engine's model of the system.
    pub fn model(&self) -> Result<LcaModelHandle, JsValue> {
        Model::from_spec(&self.db.system).map(LcaModelHandle::from_model).map_err(fail)
    }
}
