//! (to be written)

use super::{ImportOptions, ImportedDatabase, SourceFile};
use crate::TansoError;

/// Imports the files.
pub fn import(source: &str, _files: &[SourceFile], _options: &ImportOptions) -> Result<ImportedDatabase, TansoError> {
    Err(super::malformed(source, "datapackage", "not yet implemented"))
}
