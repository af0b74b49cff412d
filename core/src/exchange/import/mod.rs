//! Importers of public LCA data formats into the engine's [`SystemSpec`]: openLCA JSON-LD
//! ([`olca`]), EcoSpold2 ([`ecospold2`]) and Brightway datapackages ([`datapackage`]), with a
//! report of what was linked, converted and left out ([`ImportReport`]).
//!
//! Every importer produces the same shape, so the engine computes on it as on any system:
//! - one activity per (process, reference product) pair; its product id is its activity id,
//!   and every technosphere exchange names the providing activity's id as its product;
//! - amounts in the reference unit of each flow (converted through flow properties and unit
//!   groups, or unit tables; each conversion counted in the report);
//! - providers chosen by the [`link`] rule (the data's default provider, else the only
//!   provider, else the same location, else `GLO`, then `RoW`); an exchange that cannot be
//!   linked is left out of the matrix and listed by name in [`ImportReport::unlinked`];
//! - uncertainty as [`crate::lca::sampling::Distribution`]s, parameters and formulas as
//!   [`ParameterSpec`]s and exchange formulas;
//! - impact methods as [`MethodSpec`]s, plus any given in [`ImportOptions::methods`].
//!
//! Errors name the file and the entity: `MALFORMED_DATA` (a broken zip, unreadable JSON or
//! XML, a missing required field), `UNSUPPORTED_SCHEMA` (a schema version not read),
//! `MISSING_REFERENCE` (an exchange naming a flow, unit or process the data lacks),
//! `UNCONVERTIBLE_UNIT` (a unit outside the flow's unit group).
//!
//! ```
//! use tanso::exchange::import::{import_database, ImportOptions, SourceFile};
//! let spold = r#"<?xml version="1.0" encoding="UTF-8"?>
//! <ecoSpold xmlns="http://www.EcoInvent.org/EcoSpold02"><activityDataset>
//!  <activityDescription><activity id="a1" activityNameId="n1"><activityName>kWh</activityName></activity>
//!   <geography geographyId="g"><shortname>CN</shortname></geography></activityDescription>
//!  <flowData>
//!   <intermediateExchange id="x1" intermediateExchangeId="p1" amount="1">
//!    <name>electricity</name><unitName>kWh</unitName><outputGroup>0</outputGroup></intermediateExchange>
//!   <elementaryExchange id="x2" elementaryExchangeId="co2" amount="0.6">
//!    <name>Carbon dioxide, fossil</name><unitName>kg</unitName><compartment subcompartmentId="s"><compartment>air</compartment>
//!    <subcompartment>unspecified</subcompartment></compartment><outputGroup>4</outputGroup></elementaryExchange>
//!  </flowData></activityDataset></ecoSpold>"#;
//! let files = vec![SourceFile::new("kwh.spold", spold.as_bytes().to_vec())];
//! let db = import_database(&files, &ImportOptions::default()).unwrap();
//! assert_eq!(db.report.counts.activities, 1);
//! ```

mod cache;
pub mod datapackage;
pub mod ecospold2;
pub mod link;
pub mod olca;

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use serde::{Deserialize, Serialize};

use crate::error::LcaError;
use crate::lca::system::{MethodSpec, NodeId, SystemSpec};
use crate::TansoError;
use link::LinkHow;

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// openLCA JSON-LD (olca-schema 1.x and 2.x): a zip of `processes/`, `flows/`, … folders.
    Olca,
    /// EcoSpold2 `.spold` files (one, a folder, or a zip of them).
    Ecospold2,
    /// A Brightway `bw_processing` datapackage (zip with `datapackage.json` and `.npy`).
    Datapackage,
}

impl ImportFormat {
    /// The name used in reports and options.
    pub fn name(self) -> &'static str {
        match self {
            ImportFormat::Olca => "olca",
            ImportFormat::Ecospold2 => "ecospold2",
            ImportFormat::Datapackage => "datapackage",
        }
    }
}

/// Which allocation a multi-output process is split by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllocationChoice {
    /// The data's own default (openLCA `defaultAllocationMethod`; EcoSpold2: economic, by
    /// the `price` property, as ecoinvent allocates).
    #[default]
    Default,
    /// Physical allocation factors (openLCA), or the mass property (EcoSpold2).
    Physical,
    /// Economic allocation factors (openLCA), or the price property (EcoSpold2).
    Economic,
    /// Causal allocation factors (openLCA; per exchange).
    Causal,
    /// No allocation: multi-output processes are reported and left out.
    None,
}

/// Options of an import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportOptions {
    /// The format; detected from the files when absent.
    #[serde(default)]
    pub format: Option<ImportFormat>,
    /// Locations tried in order when several activities make a product and none is in the
    /// consumer's location (default `["GLO", "RoW"]`).
    #[serde(default = "default_fallback")]
    pub fallback_locations: Vec<String>,
    /// Allocation of multi-output processes.
    #[serde(default)]
    pub allocation: AllocationChoice,
    /// Impact categories added to those of the data (e.g. GWP factors by flow id for an
    /// EcoSpold2 folder, which carries none).
    #[serde(default)]
    pub methods: Vec<MethodSpec>,
}

fn default_fallback() -> Vec<String> {
    vec!["GLO".into(), "RoW".into()]
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            format: None,
            fallback_locations: default_fallback(),
            allocation: AllocationChoice::Default,
            methods: Vec::new(),
        }
    }
}

/// One input file: its name (a path inside a folder or zip) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The name, e.g. `processes/0a1b….json` or `electricity.spold`.
    pub name: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl SourceFile {
    /// A file from its name and bytes.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> SourceFile {
        SourceFile {
            name: name.into(),
            bytes,
        }
    }
}

/// How many entities the import read and made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportCounts {
    /// Processes (datasets, activities) read.
    pub processes: usize,
    /// Activities of the system (multi-output processes give one per product).
    pub activities: usize,
    /// Elementary flows of the system.
    pub flows: usize,
    /// Technosphere exchanges linked (the diagonal not counted).
    pub technosphere_exchanges: usize,
    /// Biosphere exchanges.
    pub biosphere_exchanges: usize,
    /// Impact categories.
    pub methods: usize,
    /// Characterization factors.
    pub characterization_factors: usize,
    /// Parameters (global and per process).
    pub parameters: usize,
    /// Amounts with an uncertainty distribution.
    pub uncertain_amounts: usize,
}

/// A technosphere exchange left out of the matrix because no provider could be chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnlinkedExchange {
    /// The consuming activity's id.
    pub activity: NodeId,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_name: Option<String>,
    /// The product (flow, intermediate exchange) id in the source data.
    pub product: String,
    /// The product's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// The amount per reference amount of the consuming activity, in `unit` (the data's unit
    /// when no provider fixes a reference unit).
    pub amount: f64,
    /// The unit of `amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Why it could not be linked.
    pub reason: String,
    /// Activities that make the product, when several do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<NodeId>,
}

/// Amounts converted from one unit to another, counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitConversion {
    /// The unit in the data.
    pub from: String,
    /// The flow's reference unit.
    pub to: String,
    /// Multiplier from `from` to `to` (1 `from` = factor `to`).
    pub factor: f64,
    /// How many amounts were converted so.
    pub count: usize,
}

/// A multi-output process split into one activity per product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllocationNote {
    /// The process id in the data.
    pub process: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The method applied (`physical`, `economic`, `causal`, or the property used).
    pub method: String,
    /// (activity id made, allocation factor) per product.
    pub products: Vec<(NodeId, f64)>,
}

/// Something in the data that the system does not carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftOut {
    /// The kind of entity: `process`, `exchange`, `uncertainty`, `formula`, `method`, …
    pub kind: String,
    /// Its id (and file).
    pub id: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Why, and what was used instead.
    pub reason: String,
}

/// What an import did: the source, counts, how exchanges were linked, unit conversions,
/// allocations, and every exchange or entity left out, by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// `olca`, `ecospold2` or `datapackage`.
    pub format: String,
    /// The schema version the data declares (olca-schema version, EcoSpold2 namespace,
    /// datapackage profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// The file(s) read (the first name, and how many).
    pub source: String,
    /// Entities read and made.
    pub counts: ImportCounts,
    /// Linked exchanges by the rule's step (`default_provider`, `only_provider`,
    /// `same_location`, `fallback:GLO`, …).
    pub linked: BTreeMap<String, usize>,
    /// Exchanges that could not be linked, left out of the matrix.
    pub unlinked: Vec<UnlinkedExchange>,
    /// Unit conversions applied.
    pub conversions: Vec<UnitConversion>,
    /// Multi-output processes split by allocation.
    pub allocations: Vec<AllocationNote>,
    /// Entities not carried into the system, and why.
    pub left_out: Vec<LeftOut>,
    /// Anything else worth knowing (defaults assumed, data oddities).
    pub warnings: Vec<String>,
}

impl ImportReport {
    /// A report for `format` read from `source`.
    pub fn new(format: ImportFormat, source: &str) -> ImportReport {
        ImportReport {
            format: format.name().to_string(),
            source: source.to_string(),
            ..ImportReport::default()
        }
    }

    /// Counts one exchange linked by `how`.
    pub fn count_link(&mut self, how: &LinkHow) {
        let key = match how {
            LinkHow::DefaultProvider => "default_provider".to_string(),
            LinkHow::OnlyProvider => "only_provider".to_string(),
            LinkHow::SameLocation => "same_location".to_string(),
            LinkHow::Fallback(loc) => format!("fallback:{loc}"),
        };
        *self.linked.entry(key).or_default() += 1;
    }

    /// Counts one amount converted from `from` to `to` by `factor`.
    pub fn count_conversion(&mut self, from: &str, to: &str, factor: f64) {
        if let Some(c) = self
            .conversions
            .iter_mut()
            .find(|c| c.from == from && c.to == to && c.factor.to_bits() == factor.to_bits())
        {
            c.count += 1;
        } else {
            self.conversions.push(UnitConversion {
                from: from.to_string(),
                to: to.to_string(),
                factor,
                count: 1,
            });
        }
    }

    /// Records an entity left out.
    pub fn leave_out(&mut self, kind: &str, id: impl Into<String>, name: Option<&str>, reason: impl Into<String>) {
        self.left_out.push(LeftOut {
            kind: kind.to_string(),
            id: id.into(),
            name: name.map(str::to_string),
            reason: reason.into(),
        });
    }
}

/// An imported database: the system the engine computes on, and the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportedDatabase {
    /// The system (process records, flows, methods, parameters).
    pub system: SystemSpec,
    /// What the import did.
    pub report: ImportReport,
}

/// The first bytes of a cache file: a name and the cache format's version.
const CACHE_MAGIC: &[u8; 12] = b"tanso-db\x00\x00\x00\x02";

impl ImportedDatabase {
    /// Imports from files (see [`import_database`]).
    pub fn import(files: &[SourceFile], options: &ImportOptions) -> Result<ImportedDatabase, TansoError> {
        import_database(files, options)
    }

    /// The database as a compact binary cache: a 12-byte header (`tanso-db` and the cache
    /// format's version), a checksum, and a columnar form in MessagePack (each distinct
    /// string stored once, numbers as little-endian columns; see `cache.rs`), which reads
    /// back exactly. Save it once; [`ImportedDatabase::from_cache`] restores it without
    /// parsing the source files again.
    pub fn to_cache(&self) -> Result<Vec<u8>, TansoError> {
        let mut out = CACHE_MAGIC.to_vec();
        cache::encode(self, &mut out)?;
        Ok(out)
    }

    /// Reads a cache written by [`ImportedDatabase::to_cache`]: bytes of another kind or of
    /// another cache version are `UNSUPPORTED_SCHEMA`, truncated or altered ones `MALFORMED_DATA`.
    pub fn from_cache(bytes: &[u8]) -> Result<ImportedDatabase, TansoError> {
        match bytes.get(..CACHE_MAGIC.len()) {
            Some(head) if head == CACHE_MAGIC => {}
            Some(head) if head.starts_with(b"tanso-db") => {
                return Err(LcaError::UnsupportedSchema {
                    source_name: "cache".into(),
                    what: "cache format version".into(),
                    found: format!("{:?}", &head[8..]),
                    supported: format!("{:?} (re-import the database to write a new cache)", &CACHE_MAGIC[8..]),
                }
                .into())
            }
            _ => {
                return Err(LcaError::UnsupportedSchema {
                    source_name: "cache".into(),
                    what: "file".into(),
                    found: "bytes that do not start with the tanso-db header".into(),
                    supported: "a cache written by ImportedDatabase::to_cache".into(),
                }
                .into())
            }
        }
        cache::decode(bytes.get(CACHE_MAGIC.len()..).unwrap_or_default())
    }
}

/// A `MALFORMED_DATA` error naming the file and the entity.
pub fn malformed(source: &str, entity: impl Into<String>, message: impl Into<String>) -> TansoError {
    LcaError::MalformedData {
        source_name: source.to_string(),
        entity: entity.into(),
        message: message.into(),
    }
    .into()
}

/// A `MISSING_REFERENCE` error.
pub fn missing_reference(source: &str, entity: impl Into<String>, kind: &str, reference: impl Into<String>) -> TansoError {
    LcaError::MissingReference {
        source_name: source.to_string(),
        entity: entity.into(),
        kind: kind.to_string(),
        reference: reference.into(),
    }
    .into()
}

/// Whether the bytes are a zip archive (local file header magic).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The files of a zip archive (folders skipped), in archive order; a broken archive is
/// `MALFORMED_DATA` naming it.
pub fn unzip(name: &str, bytes: &[u8]) -> Result<Vec<SourceFile>, TansoError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| malformed(name, "zip archive", e.to_string()))?;
    let mut files = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| malformed(name, format!("zip entry {i}"), e.to_string()))?;
        if entry.is_dir() {
            continue;
        }
        let entry_name = entry
            .name()
            .map_err(|e| malformed(name, format!("zip entry {i}"), e.to_string()))?
            .to_string();
        let mut content = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 30));
        entry
            .read_to_end(&mut content)
            .map_err(|e| malformed(name, entry_name.clone(), e.to_string()))?;
        files.push(SourceFile::new(entry_name, content));
    }
    Ok(files)
}

/// The input files with every zip archive among them replaced by its entries; borrowed as
/// they are when there is no zip (a folder of `.spold` files is not copied).
pub fn expand(files: &[SourceFile]) -> Result<std::borrow::Cow<'_, [SourceFile]>, TansoError> {
    if !files.iter().any(|f| is_zip(&f.bytes)) {
        return Ok(std::borrow::Cow::Borrowed(files));
    }
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        if is_zip(&f.bytes) {
            out.extend(unzip(&f.name, &f.bytes)?);
        } else {
            out.push(f.clone());
        }
    }
    Ok(std::borrow::Cow::Owned(out))
}

/// The format of the files: a `datapackage.json` is a Brightway datapackage, `.spold` or
/// `.xml` files with an `ecoSpold` root are EcoSpold2, `.json` files in openLCA's folders
/// (`processes/`, `flows/`, …) or an `olca-schema.json` are openLCA JSON-LD.
pub fn detect(files: &[SourceFile]) -> Option<ImportFormat> {
    let base = |n: &str| n.rsplit('/').next().unwrap_or(n).to_ascii_lowercase();
    if files.iter().any(|f| base(&f.name) == "datapackage.json") {
        return Some(ImportFormat::Datapackage);
    }
    if files.iter().any(|f| {
        let n = f.name.to_ascii_lowercase();
        n.ends_with(".spold")
            || (n.ends_with(".xml") && f.bytes.windows(8).take(4096).any(|w| w == b"ecoSpold"))
    }) {
        return Some(ImportFormat::Ecospold2);
    }
    const OLCA_FOLDERS: [&str; 6] = ["processes/", "flows/", "unit_groups/", "flow_properties/", "lcia_methods/", "lcia_categories/"];
    if files.iter().any(|f| {
        let n = f.name.to_ascii_lowercase();
        base(&n) == "olca-schema.json" || (n.ends_with(".json") && OLCA_FOLDERS.iter().any(|d| n.starts_with(d) || n.contains(&format!("/{d}"))))
    }) {
        return Some(ImportFormat::Olca);
    }
    None
}

/// Imports a database from its files (each may be a zip archive, which is unpacked): the
/// format is `options.format` or detected; the user's methods are appended.
pub fn import_database(files: &[SourceFile], options: &ImportOptions) -> Result<ImportedDatabase, TansoError> {
    let source = match files {
        [] => {
            return Err(LcaError::InvalidSetting {
                field: "files".into(),
                value: "none".into(),
                valid: "at least one file: an openLCA JSON-LD zip, .spold files or a zip of them, or a Brightway datapackage zip".into(),
            }
            .into())
        }
        [one] => one.name.clone(),
        [first, ..] => format!("{} (and {} more files)", first.name, files.len() - 1),
    };
    let files = expand(files)?;
    let files: &[SourceFile] = &files;
    let format = match options.format.or_else(|| detect(files)) {
        Some(f) => f,
        None => {
            return Err(LcaError::UnsupportedSchema {
                source_name: source,
                what: "the files' format".into(),
                found: "none recognised".into(),
                supported: "openLCA JSON-LD (folders processes/, flows/, … or olca-schema.json), EcoSpold2 (.spold), Brightway datapackage (datapackage.json)".into(),
            }
            .into())
        }
    };
    let mut db = match format {
        ImportFormat::Olca => olca::import(&source, files, options)?,
        ImportFormat::Ecospold2 => ecospold2::import(&source, files, options)?,
        ImportFormat::Datapackage => datapackage::import(&source, files, options)?,
    };
    for m in &options.methods {
        if db.system.methods.iter().any(|x| x.id == m.id) {
            return Err(LcaError::DuplicateId {
                field: "options.methods".into(),
                kind: "method".into(),
                value: m.id.clone(),
            }
            .into());
        }
        db.report.counts.characterization_factors += m.factors.len();
        db.report.counts.methods += 1;
        db.system.methods.push(m.clone());
    }
    db.report.counts.parameters = db.system.parameters.len();
    Ok(db)
}

/// A file of the `lca_import` document: its name and its content as text (JSON, XML) or
/// base64 (zip archives, `.npy` arrays).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentFile {
    /// The file's name (a path inside a folder).
    pub name: String,
    /// Its content as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Its content in standard base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
}

/// The `lca_import` document: files, options, and optionally a calculation and a Monte Carlo
/// run on the imported system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportDocument {
    /// The files.
    pub files: Vec<DocumentFile>,
    /// Import options.
    #[serde(default)]
    pub options: ImportOptions,
    /// Return the imported system document too (it can be large).
    #[serde(default)]
    pub include_system: bool,
    /// A calculation on the imported system (as the `lca` operation's request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calculate: Option<crate::lca::document::CalculateRequest>,
    /// A Monte Carlo run on it (as the `lca_monte_carlo` operation's request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<crate::lca::document::MonteCarloRequest>,
}

impl DocumentFile {
    /// The file with its content decoded.
    pub fn decode(&self, field: &str) -> Result<SourceFile, TansoError> {
        use base64::Engine as _;
        let bytes = match (&self.text, &self.base64) {
            (Some(t), None) => t.as_bytes().to_vec(),
            (None, Some(b)) => base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .map_err(|e| malformed(&self.name, format!("{field}.base64"), format!("not standard base64: {e}")))?,
            _ => {
                return Err(LcaError::InvalidSetting {
                    field: field.to_string(),
                    value: self.name.clone(),
                    valid: "exactly one of `text` and `base64`".into(),
                }
                .into())
            }
        };
        Ok(SourceFile::new(self.name.clone(), bytes))
    }
}

/// The `lca_import` operation: `{"files": [...], "options": {...}, "include_system": bool,
/// "calculate": {...}, "monte_carlo": {...}}` → `{"report", "system"?, "monte_carlo"?}` and,
/// with `calculate`, the `lca` operation's output beside them (`methods`, `results`, …).
pub fn import_document(doc: &ImportDocument) -> Result<serde_json::Value, TansoError> {
    let files = doc
        .files
        .iter()
        .enumerate()
        .map(|(k, f)| f.decode(&format!("files[{k}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let db = import_database(&files, &doc.options)?;
    let mut out = serde_json::Map::new();
    out.insert("report".into(), to_value(&db.report)?);
    if doc.calculate.is_some() || doc.monte_carlo.is_some() {
        let model = crate::lca::document::Model::from_spec(&db.system)?;
        if let Some(req) = &doc.calculate {
            // the `lca` operation's output, beside the report
            if let serde_json::Value::Object(calculated) = model.calculate(req)? {
                out.extend(calculated);
            }
        }
        if let Some(req) = &doc.monte_carlo {
            out.insert("monte_carlo".into(), model.monte_carlo(req, None)?);
        }
    }
    if doc.include_system {
        out.insert("system".into(), to_value(&db.system)?);
    }
    Ok(serde_json::Value::Object(out))
}

fn to_value<T: Serialize>(v: &T) -> Result<serde_json::Value, TansoError> {
    serde_json::to_value(v).map_err(|e| {
        crate::error::InputError::InvalidInput {
            operation: "lca_import".into(),
            message: e.to_string(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn database() -> ImportedDatabase {
        let system: SystemSpec = serde_json::from_value(serde_json::json!({
            "processes": [
                {"id": "kWh", "name": "electricity", "unit": "kWh", "location": "CN", "exchanges": [
                    {"type": "production", "product": "kWh", "amount": 1},
                    {"type": "technosphere", "product": 7, "amount": 0.4,
                     "uncertainty": {"kind": "lognormal", "sigma": 0.1}},
                    {"type": "biosphere", "flow": "CO2", "amount": 0.9, "formula": "f * 0.9"}]},
                {"id": 7, "exchanges": [{"type": "production", "product": 7, "amount": 1}]}],
            "parameters": [{"name": "f", "value": 1.0, "uncertainty": {"kind": "normal", "mean": 1.0, "sd": 0.1}}],
            "methods": [{"id": "GWP100", "unit": "kg CO2e", "factors": [{"flow": "CO2", "factor": 1}]}]
        }))
        .unwrap();
        let mut report = ImportReport::new(ImportFormat::Olca, "db.zip");
        report.count_link(&LinkHow::Fallback("GLO".into()));
        report.count_conversion("t", "kg", 1000.0);
        report.count_conversion("t", "kg", 1000.0);
        report.leave_out("exchange", "x1", Some("water"), "no provider");
        ImportedDatabase { system, report }
    }

    #[test]
    fn the_cache_reads_back_exactly() {
        let db = database();
        let bytes = db.to_cache().unwrap();
        assert!(bytes.starts_with(b"tanso-db"));
        assert_eq!(ImportedDatabase::from_cache(&bytes).unwrap(), db);
        assert_eq!(db.report.conversions[0].count, 2);
        assert_eq!(db.report.linked["fallback:GLO"], 1);
    }

    #[test]
    fn foreign_old_and_broken_caches_are_refused() {
        let bytes = database().to_cache().unwrap();
        assert_eq!(ImportedDatabase::from_cache(b"PK\x03\x04 not a cache").unwrap_err().code(), "UNSUPPORTED_SCHEMA");
        let mut old = bytes.clone();
        old[11] = 0;
        let e = ImportedDatabase::from_cache(&old).unwrap_err();
        assert_eq!(e.code(), "UNSUPPORTED_SCHEMA");
        assert!(e.to_string().contains("re-import"), "{e}");
        let e = ImportedDatabase::from_cache(&bytes[..bytes.len() / 2]).unwrap_err();
        assert_eq!(e.code(), "MALFORMED_DATA");
        assert!(e.to_string().starts_with("cache: database"), "{e}");
    }

    #[test]
    fn formats_are_detected_from_the_files() {
        let f = |name: &str, text: &str| SourceFile::new(name, text.as_bytes().to_vec());
        assert_eq!(detect(&[f("pkg/datapackage.json", "{}")]), Some(ImportFormat::Datapackage));
        assert_eq!(detect(&[f("a.spold", "<x/>")]), Some(ImportFormat::Ecospold2));
        assert_eq!(detect(&[f("a.xml", "<ecoSpold xmlns=\"x\"/>")]), Some(ImportFormat::Ecospold2));
        assert_eq!(detect(&[f("processes/1.json", "{}")]), Some(ImportFormat::Olca));
        assert_eq!(detect(&[f("export/flows/1.json", "{}")]), Some(ImportFormat::Olca));
        assert_eq!(detect(&[f("olca-schema.json", "{}")]), Some(ImportFormat::Olca));
        assert_eq!(detect(&[f("notes.txt", "")]), None);
        let e = import_database(&[f("notes.txt", "")], &ImportOptions::default()).unwrap_err();
        assert_eq!(e.code(), "UNSUPPORTED_SCHEMA");
        assert!(e.to_string().starts_with("notes.txt:"), "{e}");
        assert_eq!(import_database(&[], &ImportOptions::default()).unwrap_err().code(), "INVALID_SETTING");
        let e = import_database(&[SourceFile::new("db.zip", b"PK\x03\x04broken".to_vec())], &ImportOptions::default()).unwrap_err();
        assert_eq!(e.code(), "MALFORMED_DATA");
        assert!(e.to_string().starts_with("db.zip: zip archive"), "{e}");
    }

    #[test]
    fn loose_files_are_read_in_place_and_archives_unpacked() {
        let loose = [SourceFile::new("a.spold", b"<x/>".to_vec()), SourceFile::new("b.spold", b"<y/>".to_vec())];
        let read = expand(&loose).unwrap();
        assert!(matches!(read, std::borrow::Cow::Borrowed(_)));
        assert!(std::ptr::eq(read.as_ptr(), loose.as_ptr()));
        let mut zipped = Vec::new();
        {
            let mut w = zip::ZipWriter::new(Cursor::new(&mut zipped));
            w.start_file("c.spold", zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut w, b"<z/>").unwrap();
            w.finish().unwrap();
        }
        let mixed = [loose[0].clone(), SourceFile::new("more.zip", zipped)];
        let read = expand(&mixed).unwrap();
        let names: Vec<&str> = read.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a.spold", "c.spold"]);
        assert_eq!(read[1].bytes, b"<z/>");
    }

    #[test]
    fn document_files_are_text_or_base64() {
        let text = DocumentFile { name: "a.json".into(), text: Some("{}".into()), base64: None };
        assert_eq!(text.decode("files[0]").unwrap().bytes, b"{}");
        let b64 = DocumentFile { name: "a.bin".into(), text: None, base64: Some("AAEC".into()) };
        assert_eq!(b64.decode("files[0]").unwrap().bytes, vec![0, 1, 2]);
        let bad = DocumentFile { name: "a.bin".into(), text: None, base64: Some("***".into()) };
        assert_eq!(bad.decode("files[0]").unwrap_err().code(), "MALFORMED_DATA");
        let both = DocumentFile { name: "a".into(), text: Some(String::new()), base64: Some(String::new()) };
        assert_eq!(both.decode("files[0]").unwrap_err().code(), "INVALID_SETTING");
    }
}
