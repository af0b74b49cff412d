//! The openLCA JSON-LD importer (olca-schema 1.x, as openLCA 1.7–1.11 exports it, and 2.x,
//! as openLCA 2 exports it with an `olca-schema.json` of `{"version": 2}` at the root).
//!
//! The data is a zip (already unpacked by [`super::expand`]) of one `<uuid>.json` per entity
//! in folders named by type: `processes/`, `flows/`, `flow_properties/`, `unit_groups/`,
//! `locations/`, `lcia_methods/`, `lcia_categories/`, `parameters/`, `categories/` (1.x), and
//! descriptive ones (`actors/`, `sources/`, `dq_systems/`, `product_systems/`, …) that are
//! reported in [`ImportReport::left_out`] and not read. Field names of both versions are read
//! (olca-schema 1.x `input`, `quantitativeReference`, `avoidedProduct`,
//! `referenceFlowProperty`, `referenceUnit`, `inputParameter`, `referenceUnitName`; 2.x
//! `isInput`, `isQuantitativeReference`, `isAvoidedProduct`, `isRefFlowProperty`, `isRefUnit`,
//! `isInputParameter`, `refUnit`).
//!
//! What becomes what:
//! - every process gives one activity per product (a product output or a waste input that
//!   is not avoided); a single-product process keeps its UUID as activity id, a multi-output
//!   process is split by its allocation factors into activities `"<process uuid>|<product
//!   flow uuid>"`, each other exchange multiplied by the product's factor (per exchange for
//!   causal allocation); without allocation it is reported and left out;
//! - amounts are converted to the flow's reference unit as openLCA does
//!   (`olca-core` `org.openlca.core.math.ReferenceAmount`): `amount × unit.conversionFactor
//!   / flowPropertyFactor.conversionFactor`, where the flow property factor is the one of the
//!   exchange's flow property in the flow; characterization factors are divided by the same
//!   number (a factor per gram is 1000 × the factor per kilogram);
//! - product inputs and waste outputs are linked by [`super::link::Linker`] (`defaultProvider`
//!   first); an avoided product (`isAvoidedProduct`/`avoidedProduct`, which openLCA offers
//!   on product outputs and waste inputs, see the exchange table of olca-app) enters as a
//!   negative input of the provider's product, and an avoided waste as a negative waste
//!   output, whichever side the data writes it on: the provider's supply is credited;
//! - elementary flows become [`FlowInfo`]s with the category path as compartment; biosphere
//!   amounts keep the sign of the data (resource inputs positive, as in Brightway);
//! - each LCIA category becomes a [`MethodSpec`] with id `"<method> | <category>"` (the
//!   category name alone when no method lists it);
//! - global and process parameters become [`ParameterSpec`]s (openLCA formula syntax, names
//!   case-insensitive), `amountFormula`s exchange formulas; a formula the evaluator rejects
//!   is reported and its plain value used;
//! - uncertainty (`LOG_NORMAL_DISTRIBUTION`, `NORMAL_DISTRIBUTION`, `TRIANGLE_DISTRIBUTION`,
//!   `UNIFORM_DISTRIBUTION`) becomes a [`Distribution`] scaled like the amount.
//!
//! ```
//! use tanso::exchange::import::{import_database, ImportOptions, SourceFile};
//! let file = |name: &str, text: &str| SourceFile::new(name, text.as_bytes().to_vec());
//! let files = vec![
//!     file("olca-schema.json", r#"{"version": 2}"#),
//!     file("unit_groups/ug.json", r#"{"@id": "ug", "name": "Units of mass", "units": [
//!         {"@id": "kg", "name": "kg", "conversionFactor": 1.0, "isRefUnit": true},
//!         {"@id": "g", "name": "g", "conversionFactor": 0.001}]}"#),
//!     file("flow_properties/mass.json", r#"{"@id": "mass", "name": "Mass", "unitGroup": {"@id": "ug"}}"#),
//!     file("flows/steel.json", r#"{"@id": "steel", "name": "steel", "flowType": "PRODUCT_FLOW",
//!         "flowProperties": [{"flowProperty": {"@id": "mass"}, "conversionFactor": 1.0, "isRefFlowProperty": true}]}"#),
//!     file("flows/co2.json", r#"{"@id": "co2", "name": "CO2", "flowType": "ELEMENTARY_FLOW",
//!         "category": "Elementary flows/air",
//!         "flowProperties": [{"flowProperty": {"@id": "mass"}, "conversionFactor": 1.0, "isRefFlowProperty": true}]}"#),
//!     file("processes/p.json", r#"{"@id": "p", "name": "steel making", "exchanges": [
//!         {"flow": {"@id": "steel"}, "amount": 1, "isQuantitativeReference": true, "unit": {"@id": "kg"}},
//!         {"flow": {"@id": "co2"}, "amount": 1800, "unit": {"@id": "g"}}]}"#),
//! ];
//! let db = import_database(&files, &ImportOptions::default()).unwrap();
//! assert_eq!(db.report.schema_version.as_deref(), Some("2"));
//! // 1800 g = 1.8 kg, the reference unit of CO2
//! assert_eq!(db.system.processes[0].exchanges[1].amount, 1.8);
//! ```

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::link::{Link, Linker};
use super::{
    malformed, missing_reference, AllocationChoice, AllocationNote, ImportFormat, ImportOptions, ImportReport, ImportedDatabase, SourceFile,
    UnitConversion, UnlinkedExchange,
};
use crate::error::LcaError;
use crate::lca::formula::{Formula, FormulaError, ParameterDef, ParameterTable, ParseOptions, Scope};
use crate::lca::sampling::Distribution;
use crate::lca::system::{CharacterizationFactor, Exchange, ExchangeType, FlowInfo, MethodSpec, NodeId, ParameterSpec, ProcessRecord, SystemSpec};
use crate::TansoError;

// ---------------------------------------------------------------------------------------
// The entities as olca-schema writes them, with only the fields read (serde skips the rest).
// Field names: olca-schema `yaml/*.yaml` (GreenDelta/olca-schema), 1.x names as aliases.

#[derive(Debug, Default, Clone, Deserialize)]
struct Ref {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum CategoryField {
    /// 2.x: the path as a string, `Elementary flows/Emission to air/unspecified`.
    Path(String),
    /// 1.x: a reference to a `categories/` entity.
    Ref(Ref),
}

#[derive(Debug, Deserialize)]
struct RawCategory {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    /// The parent category (1.x).
    #[serde(default)]
    category: Option<Ref>,
}

#[derive(Debug, Deserialize)]
struct RawUnit {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(rename = "conversionFactor", default)]
    conversion_factor: Option<f64>,
    #[serde(rename = "isRefUnit", alias = "referenceUnit", default)]
    is_ref: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct RawUnitGroup {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    units: Option<Vec<RawUnit>>,
}

#[derive(Debug, Deserialize)]
struct RawFlowProperty {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(rename = "unitGroup", default)]
    unit_group: Option<Ref>,
}

#[derive(Debug, Deserialize)]
struct RawFlowPropertyFactor {
    #[serde(rename = "flowProperty", default)]
    flow_property: Option<Ref>,
    #[serde(rename = "conversionFactor", default)]
    conversion_factor: Option<f64>,
    #[serde(rename = "isRefFlowProperty", alias = "referenceFlowProperty", default)]
    is_ref: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct RawFlow {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(rename = "flowType", default)]
    flow_type: Option<String>,
    #[serde(default)]
    category: Option<CategoryField>,
    #[serde(rename = "flowProperties", default)]
    flow_properties: Option<Vec<RawFlowPropertyFactor>>,
}

#[derive(Debug, Deserialize)]
struct RawLocation {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct RawUncertainty {
    #[serde(rename = "distributionType", alias = "uncertaintyType", default)]
    distribution_type: Option<String>,
    #[serde(default)]
    mean: Option<f64>,
    #[serde(default)]
    sd: Option<f64>,
    #[serde(rename = "geomMean", default)]
    geom_mean: Option<f64>,
    #[serde(rename = "geomSd", default)]
    geom_sd: Option<f64>,
    #[serde(default)]
    minimum: Option<f64>,
    #[serde(default)]
    mode: Option<f64>,
    #[serde(default)]
    maximum: Option<f64>,
    #[serde(rename = "meanFormula", default)]
    mean_formula: Option<String>,
    #[serde(rename = "geomMeanFormula", default)]
    geom_mean_formula: Option<String>,
    #[serde(rename = "sdFormula", default)]
    sd_formula: Option<String>,
    #[serde(rename = "geomSdFormula", default)]
    geom_sd_formula: Option<String>,
    #[serde(rename = "minimumFormula", default)]
    minimum_formula: Option<String>,
    #[serde(rename = "modeFormula", default)]
    mode_formula: Option<String>,
    #[serde(rename = "maximumFormula", default)]
    maximum_formula: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawExchange {
    #[serde(rename = "internalId", default)]
    internal_id: Option<i64>,
    #[serde(rename = "isAvoidedProduct", alias = "avoidedProduct", default)]
    avoided: Option<bool>,
    #[serde(rename = "isInput", alias = "input", default)]
    input: Option<bool>,
    #[serde(rename = "isQuantitativeReference", alias = "quantitativeReference", default)]
    quantitative_reference: Option<bool>,
    #[serde(default)]
    flow: Option<Ref>,
    #[serde(rename = "flowProperty", default)]
    flow_property: Option<Ref>,
    #[serde(default)]
    unit: Option<Ref>,
    #[serde(rename = "defaultProvider", default)]
    default_provider: Option<Ref>,
    #[serde(default)]
    amount: Option<f64>,
    #[serde(rename = "amountFormula", default)]
    amount_formula: Option<String>,
    #[serde(default)]
    uncertainty: Option<Box<RawUncertainty>>,
    #[serde(rename = "costValue", default)]
    cost_value: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct RawExchangeRef {
    #[serde(rename = "internalId", default)]
    internal_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct RawAllocationFactor {
    #[serde(rename = "allocationType", default)]
    allocation_type: Option<String>,
    #[serde(default)]
    product: Option<Ref>,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    formula: Option<String>,
    #[serde(default)]
    exchange: Option<RawExchangeRef>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawParameter {
    #[serde(default)]
    name: Option<String>,
    #[serde(rename = "parameterScope", default)]
    scope: Option<String>,
    #[serde(rename = "isInputParameter", alias = "inputParameter", default)]
    input: Option<bool>,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    formula: Option<String>,
    #[serde(default)]
    uncertainty: Option<Box<RawUncertainty>>,
}

#[derive(Debug, Deserialize)]
struct RawProcess {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(rename = "processType", default)]
    process_type: Option<String>,
    #[serde(default)]
    location: Option<Ref>,
    #[serde(default)]
    exchanges: Option<Vec<RawExchange>>,
    #[serde(default)]
    parameters: Option<Vec<RawParameter>>,
    #[serde(rename = "allocationFactors", default)]
    allocation_factors: Option<Vec<RawAllocationFactor>>,
    #[serde(rename = "defaultAllocationMethod", default)]
    default_allocation: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawImpactFactor {
    #[serde(default)]
    flow: Option<Ref>,
    #[serde(rename = "flowProperty", default)]
    flow_property: Option<Ref>,
    #[serde(default)]
    unit: Option<Ref>,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    formula: Option<String>,
    #[serde(default)]
    uncertainty: Option<Box<RawUncertainty>>,
    #[serde(default)]
    location: Option<Ref>,
}

#[derive(Debug, Deserialize)]
struct RawImpactCategory {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(rename = "refUnit", alias = "referenceUnitName", default)]
    ref_unit: Option<String>,
    #[serde(rename = "impactFactors", default)]
    impact_factors: Option<Vec<RawImpactFactor>>,
    #[serde(default)]
    parameters: Option<Vec<RawParameter>>,
}

#[derive(Debug, Deserialize)]
struct RawImpactMethod {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    /// References to `lcia_categories/` (or, in early 1.x exports, the categories inline).
    #[serde(rename = "impactCategories", default)]
    impact_categories: Option<Vec<RawImpactCategory>>,
    /// Normalization and weighting sets (not carried: reported).
    #[serde(rename = "nwSets", default)]
    nw_sets: Option<Vec<serde::de::IgnoredAny>>,
}

#[derive(Debug, Deserialize)]
struct SchemaInfo {
    #[serde(default)]
    version: Option<serde_json::Value>,
}

// ---------------------------------------------------------------------------------------

/// The flow types of olca-schema (`FlowType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlowKind {
    Product,
    Waste,
    Elementary,
}

/// An entity read from its file.
struct Entity<T> {
    file: String,
    id: String,
    data: T,
}

fn parse<T: DeserializeOwned>(f: &SourceFile, kind: &str) -> Result<Entity<T>, TansoError> {
    let data: T = serde_json::from_slice(&f.bytes).map_err(|e| malformed(&f.name, kind, format!("not a readable olca-schema {kind}: {e}")))?;
    Ok(Entity {
        file: f.name.clone(),
        id: String::new(),
        data,
    })
}

/// Parses a root entity that must carry an `@id` (`id_of` reads it from the parsed data).
fn identified<T: DeserializeOwned>(f: &SourceFile, kind: &str, id_of: impl Fn(&T) -> Option<&String>) -> Result<Entity<T>, TansoError> {
    let mut e = parse::<T>(f, kind)?;
    match id_of(&e.data) {
        Some(id) if !id.is_empty() => {
            e.id = id.clone();
            Ok(e)
        }
        _ => Err(malformed(&e.file, kind, "the entity has no `@id` (every olca-schema root entity has one: a UUID)")),
    }
}

/// A unit conversion to a flow's reference unit.
struct Conversion {
    factor: f64,
    from: String,
    to: String,
}

/// The parsed data and its indices by `@id`.
struct Data {
    unit_groups: HashMap<String, Entity<RawUnitGroup>>,
    flow_properties: HashMap<String, Entity<RawFlowProperty>>,
    flows: Vec<Entity<RawFlow>>,
    flow_index: HashMap<String, usize>,
    locations: HashMap<String, Entity<RawLocation>>,
    categories: HashMap<String, RawCategory>,
    processes: Vec<Entity<RawProcess>>,
    global_parameters: Vec<Entity<RawParameter>>,
    methods: Vec<Entity<RawImpactMethod>>,
    impact_categories: Vec<Entity<RawImpactCategory>>,
}

fn ref_id(r: &Option<Ref>) -> Option<&str> {
    r.as_ref().and_then(|r| r.id.as_deref()).filter(|s| !s.is_empty())
}

fn flow_kind(flow: &RawFlow) -> Option<FlowKind> {
    match flow.flow_type.as_deref() {
        Some("PRODUCT_FLOW") => Some(FlowKind::Product),
        Some("WASTE_FLOW") => Some(FlowKind::Waste),
        Some("ELEMENTARY_FLOW") => Some(FlowKind::Elementary),
        _ => None,
    }
}

fn describe(kind: &str, id: &str, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{kind} '{n}' ({id})"),
        None => format!("{kind} {id}"),
    }
}

impl Data {
    fn flow(&self, id: &str) -> Option<&Entity<RawFlow>> {
        self.flow_index.get(id).map(|&k| &self.flows[k])
    }

    /// The category path of a flow: the 2.x string, or the 1.x category chain joined by `/`.
    fn category_path(&self, c: &Option<CategoryField>) -> Option<String> {
        match c.as_ref()? {
            CategoryField::Path(p) => Some(p.clone()),
            CategoryField::Ref(r) => {
                let mut names = Vec::new();
                let mut next = r.id.clone();
                let mut fallback = r.name.clone();
                let mut seen = HashSet::new();
                while let Some(id) = next.take() {
                    if !seen.insert(id.clone()) {
                        break; // a cycle of parents: stop
                    }
                    match self.categories.get(&id) {
                        Some(cat) => {
                            if let Some(n) = &cat.name {
                                names.push(n.clone());
                            }
                            next = cat.category.as_ref().and_then(|p| p.id.clone());
                        }
                        None => {
                            if let Some(n) = fallback.take() {
                                names.push(n);
                            }
                        }
                    }
                    fallback = None;
                }
                names.reverse();
                (!names.is_empty()).then(|| names.join("/"))
            }
        }
    }

    /// The reference flow property factor of a flow.
    fn reference_property<'a>(&self, flow: &'a Entity<RawFlow>, entity: &str, file: &str) -> Result<&'a RawFlowPropertyFactor, TansoError> {
        let fpfs = flow.data.flow_properties.as_deref().unwrap_or(&[]);
        fpfs.iter()
            .find(|f| f.is_ref == Some(true))
            .or(if fpfs.len() == 1 { fpfs.first() } else { None })
            .ok_or_else(|| {
                missing_reference(
                    file,
                    format!("{entity}: {}", describe("flow", &flow.id, flow.data.name.as_deref())),
                    "reference flow property",
                    format!("(none of its {} flow properties is marked isRefFlowProperty / referenceFlowProperty)", fpfs.len()),
                )
            })
    }

    fn unit_group_of(&self, prop_id: &str, entity: &str, file: &str) -> Result<&Entity<RawUnitGroup>, TansoError> {
        let prop = self
            .flow_properties
            .get(prop_id)
            .ok_or_else(|| missing_reference(file, entity, "flow property", prop_id))?;
        let ug = ref_id(&prop.data.unit_group).ok_or_else(|| malformed(&prop.file, describe("flow property", &prop.id, prop.data.name.as_deref()), "no `unitGroup`"))?;
        self.unit_groups
            .get(ug)
            .ok_or_else(|| missing_reference(&prop.file, describe("flow property", &prop.id, prop.data.name.as_deref()), "unit group", ug))
    }

    /// The reference unit name of a flow.
    fn reference_unit(&self, flow: &Entity<RawFlow>, entity: &str, file: &str) -> Result<String, TansoError> {
        let fpf = self.reference_property(flow, entity, file)?;
        let prop = ref_id(&fpf.flow_property).ok_or_else(|| malformed(file, entity, "a flow property factor without `flowProperty`"))?;
        let ug = self.unit_group_of(prop, entity, file)?;
        let units = ug.data.units.as_deref().unwrap_or(&[]);
        let unit = units
            .iter()
            .find(|u| u.is_ref == Some(true))
            .ok_or_else(|| missing_reference(&ug.file, describe("unit group", &ug.id, ug.data.name.as_deref()), "reference unit", "none marked isRefUnit / referenceUnit"))?;
        Ok(unit.name.clone().unwrap_or_default())
    }

    /// The factor taking an amount in (`prop`, `unit`) of `flow` to the flow's reference
    /// unit: `unit.conversionFactor / flowPropertyFactor.conversionFactor`
    /// (olca-modules `olca-core/src/main/java/org/openlca/core/math/ReferenceAmount.java`).
    fn conversion(&self, flow: &Entity<RawFlow>, prop: &Option<Ref>, unit: &Option<Ref>, entity: &str, file: &str) -> Result<Conversion, TansoError> {
        let to = self.reference_unit(flow, entity, file)?;
        let ref_fpf = self.reference_property(flow, entity, file)?;
        let fpfs = flow.data.flow_properties.as_deref().unwrap_or(&[]);
        let fpf = match ref_id(prop) {
            None => ref_fpf,
            Some(pid) => fpfs.iter().find(|f| ref_id(&f.flow_property) == Some(pid)).ok_or_else(|| {
                let valid: Vec<String> = fpfs
                    .iter()
                    .map(|f| f.flow_property.as_ref().and_then(|r| r.name.clone().or(r.id.clone())).unwrap_or_default())
                    .collect();
                TansoError::from(LcaError::UnconvertibleUnit {
                    source_name: file.to_string(),
                    entity: format!("{entity}, {}", describe("flow", &flow.id, flow.data.name.as_deref())),
                    unit: format!(
                        "{} of flow property {}",
                        unit.as_ref().and_then(|u| u.name.clone()).unwrap_or_else(|| "a unit".into()),
                        prop.as_ref().and_then(|p| p.name.clone()).unwrap_or_else(|| pid.to_string())
                    ),
                    valid: format!("units of the flow's properties: {}", valid.join(", ")),
                })
            })?,
        };
        let prop_id = ref_id(&fpf.flow_property).ok_or_else(|| malformed(&flow.file, describe("flow", &flow.id, flow.data.name.as_deref()), "a flow property factor without `flowProperty`"))?;
        let ug = self.unit_group_of(prop_id, entity, file)?;
        let units = ug.data.units.as_deref().unwrap_or(&[]);
        let u = match unit {
            None => units.iter().find(|u| u.is_ref == Some(true)),
            Some(r) => match (&r.id, &r.name) {
                (Some(id), _) if !id.is_empty() => units.iter().find(|u| u.id.as_deref() == Some(id.as_str())),
                (_, Some(name)) => units.iter().find(|u| u.name.as_deref() == Some(name.as_str())),
                _ => None,
            },
        };
        let Some(u) = u else {
            let names: Vec<&str> = units.iter().filter_map(|u| u.name.as_deref()).collect();
            return Err(LcaError::UnconvertibleUnit {
                source_name: file.to_string(),
                entity: format!("{entity}, {}", describe("flow", &flow.id, flow.data.name.as_deref())),
                unit: unit.as_ref().and_then(|u| u.name.clone().or(u.id.clone())).unwrap_or_else(|| "(reference unit)".into()),
                valid: format!("a unit of unit group '{}': {}", ug.data.name.as_deref().unwrap_or(&ug.id), names.join(", ")),
            }
            .into());
        };
        let unit_factor = u.conversion_factor.unwrap_or(1.0);
        let prop_factor = fpf.conversion_factor.unwrap_or(1.0);
        if !(unit_factor.is_finite() && prop_factor.is_finite() && unit_factor != 0.0 && prop_factor != 0.0) {
            return Err(malformed(
                file,
                format!("{entity}, {}", describe("flow", &flow.id, flow.data.name.as_deref())),
                format!("conversion factors unit {unit_factor} and flow property {prop_factor}: both must be finite and non-zero"),
            ));
        }
        let from = match (ref_id(prop), std::ptr::eq(fpf, ref_fpf)) {
            (Some(_), false) => format!(
                "{} ({})",
                u.name.clone().unwrap_or_default(),
                self.flow_properties.get(prop_id).and_then(|p| p.data.name.clone()).unwrap_or_else(|| prop_id.to_string())
            ),
            _ => u.name.clone().unwrap_or_default(),
        };
        Ok(Conversion {
            factor: unit_factor / prop_factor,
            from,
            to,
        })
    }
}

/// The folder of an entry: the name of its parent directory (`processes` for
/// `export/processes/x.json`), lower case; `None` at the root.
fn folder_of(name: &str) -> Option<String> {
    let mut parts = name.rsplit(['/', '\\']);
    parts.next();
    parts.next().map(str::to_ascii_lowercase)
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

fn read(source: &str, files: &[SourceFile], report: &mut ImportReport) -> Result<Data, TansoError> {
    let mut data = Data {
        unit_groups: HashMap::new(),
        flow_properties: HashMap::new(),
        flows: Vec::new(),
        flow_index: HashMap::new(),
        locations: HashMap::new(),
        categories: HashMap::new(),
        processes: Vec::new(),
        global_parameters: Vec::new(),
        methods: Vec::new(),
        impact_categories: Vec::new(),
    };
    let mut version: Option<String> = None;
    let mut other: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for f in files {
        let lower = f.name.to_ascii_lowercase();
        if base_name(&lower) == "olca-schema.json" {
            let info: SchemaInfo = serde_json::from_slice(&f.bytes).map_err(|e| malformed(&f.name, "olca-schema.json", format!("not readable JSON: {e}")))?;
            let found = match &info.version {
                Some(serde_json::Value::Number(n)) => n.to_string(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
                None => "no version".to_string(),
            };
            let major = found.split('.').next().unwrap_or("");
            if major != "1" && major != "2" {
                return Err(LcaError::UnsupportedSchema {
                    source_name: f.name.clone(),
                    what: "olca-schema version (olca-schema.json `version`)".into(),
                    found,
                    supported: "1 and 2 (openLCA 1.x and 2.x JSON-LD exports)".into(),
                }
                .into());
            }
            version = Some(found);
            continue;
        }
        if !lower.ends_with(".json") {
            *other.entry(folder_of(&lower).map_or_else(|| "(root, not JSON)".to_string(), |d| format!("{d}/ (not JSON)"))).or_default() += 1;
            continue;
        }
        let Some(folder) = folder_of(&lower) else {
            *other.entry("(root)".to_string()).or_default() += 1;
            continue;
        };
        match folder.as_str() {
            "unit_groups" => {
                let e = identified::<RawUnitGroup>(f, "unit group", |d| d.id.as_ref())?;
                data.unit_groups.insert(e.id.clone(), e);
            }
            "flow_properties" => {
                let e = identified::<RawFlowProperty>(f, "flow property", |d| d.id.as_ref())?;
                data.flow_properties.insert(e.id.clone(), e);
            }
            "flows" => {
                let e = identified::<RawFlow>(f, "flow", |d| d.id.as_ref())?;
                data.flow_index.insert(e.id.clone(), data.flows.len());
                data.flows.push(e);
            }
            "locations" => {
                let e = identified::<RawLocation>(f, "location", |d| d.id.as_ref())?;
                data.locations.insert(e.id.clone(), e);
            }
            "categories" => {
                let e = parse::<RawCategory>(f, "category")?;
                if let Some(id) = e.data.id.clone() {
                    data.categories.insert(id, e.data);
                }
            }
            "processes" => {
                data.processes.push(identified::<RawProcess>(f, "process", |d| d.id.as_ref())?);
            }
            "parameters" => {
                let e = parse::<RawParameter>(f, "parameter")?;
                data.global_parameters.push(e);
            }
            "lcia_methods" => {
                data.methods.push(identified::<RawImpactMethod>(f, "impact method", |d| d.id.as_ref())?);
            }
            "lcia_categories" => {
                data.impact_categories.push(identified::<RawImpactCategory>(f, "impact category", |d| d.id.as_ref())?);
            }
            other_folder => *other.entry(format!("{other_folder}/")).or_default() += 1,
        }
    }
    report.schema_version = Some(match version {
        Some(v) => v,
        None => {
            report
                .warnings
                .push(format!("{source}: no olca-schema.json: read as olca-schema 1.x (openLCA 1.x export)"));
            "1".to_string()
        }
    });
    for (folder, n) in other {
        let why = match folder.trim_end_matches('/') {
            "product_systems" => "product systems are not imported: the activities are linked by each exchange's defaultProvider and the linking rule",
            "actors" | "sources" | "dq_systems" | "currencies" | "social_indicators" | "projects" | "epds" | "results" => {
                "descriptive or project data that the calculation does not use"
            }
            _ => "not an olca-schema entity folder this importer reads",
        };
        report.leave_out("files", folder, None, format!("{n} file(s): {why}"));
    }
    Ok(data)
}

// ---------------------------------------------------------------------------------------
// Uncertainty

/// The distribution of an olca-schema `Uncertainty` for an amount multiplied by `scale`
/// (unit conversion × allocation × sign); `Err` says why it cannot be carried.
fn distribution(u: &RawUncertainty, scale: f64) -> Result<Option<Distribution>, String> {
    let need = |v: Option<f64>, what: &str| v.ok_or_else(|| format!("{what} missing"));
    let sorted = |a: f64, b: f64| if a <= b { (a, b) } else { (b, a) };
    let d = match u.distribution_type.as_deref() {
        None | Some("NO_DISTRIBUTION") => return Ok(None),
        Some("LOG_NORMAL_DISTRIBUTION") => {
            let gm = need(u.geom_mean, "geomMean")?;
            let gsd = need(u.geom_sd, "geomSd")?;
            if gm == 0.0 || gsd <= 0.0 {
                return Err(format!("geomMean {gm} and geomSd {gsd}: need geomMean ≠ 0 and geomSd > 1"));
            }
            Distribution::Lognormal {
                mu: Some((gm * scale).abs().ln()),
                sigma: gsd.ln(),
            }
        }
        Some("NORMAL_DISTRIBUTION") => Distribution::Normal {
            mean: need(u.mean, "mean")? * scale,
            sd: need(u.sd, "sd")? * scale.abs(),
        },
        Some("UNIFORM_DISTRIBUTION") => {
            let (min, max) = sorted(need(u.minimum, "minimum")? * scale, need(u.maximum, "maximum")? * scale);
            Distribution::Uniform { min, max }
        }
        Some("TRIANGLE_DISTRIBUTION") => {
            let (min, max) = sorted(need(u.minimum, "minimum")? * scale, need(u.maximum, "maximum")? * scale);
            Distribution::Triangular {
                min,
                mode: need(u.mode, "mode")? * scale,
                max,
            }
        }
        Some(other) => return Err(format!("distribution type {other} is not one of LOG_NORMAL_DISTRIBUTION, NORMAL_DISTRIBUTION, TRIANGLE_DISTRIBUTION, UNIFORM_DISTRIBUTION")),
    };
    Ok(Some(d))
}

fn uncertainty_formulas(u: &RawUncertainty) -> bool {
    [
        &u.mean_formula,
        &u.geom_mean_formula,
        &u.sd_formula,
        &u.geom_sd_formula,
        &u.minimum_formula,
        &u.mode_formula,
        &u.maximum_formula,
    ]
    .iter()
    .any(|f| f.as_deref().is_some_and(|s| !s.trim().is_empty()))
}

/// The distribution, validated against the amount; anything not carried is reported.
fn carry_uncertainty(u: &Option<Box<RawUncertainty>>, scale: f64, amount: f64, id: &str, name: Option<&str>, report: &mut ImportReport) -> Option<Distribution> {
    let u = u.as_deref()?;
    if uncertainty_formulas(u) {
        report.leave_out("uncertainty formula", id, name, "formulas of distribution parameters are not carried; the numeric parameters are used");
    }
    match distribution(u, scale) {
        Ok(None) => None,
        Ok(Some(d)) => match d.validate(id, amount) {
            Ok(()) => {
                report.counts.uncertain_amounts += 1;
                Some(d)
            }
            Err(e) => {
                report.leave_out("uncertainty", id, name, format!("{e}; the amount is used without uncertainty"));
                None
            }
        },
        Err(why) => {
            report.leave_out("uncertainty", id, name, format!("{why}; the amount is used without uncertainty"));
            None
        }
    }
}

/// `formula` scaled by `m` (a unit conversion, allocation factor or sign).
fn scaled_formula(formula: &str, m: f64) -> String {
    if m == 1.0 {
        formula.to_string()
    } else {
        format!("({formula}) * ({m:?})")
    }
}

// ---------------------------------------------------------------------------------------
// Processes

/// How a process enters the system.
enum Plan {
    /// Not at all (reason reported).
    Out,
    /// One activity per product: (activity id, product exchange index, allocation).
    Activities(Vec<(NodeId, usize, Allocation)>),
}

#[derive(Clone)]
enum Allocation {
    /// One product: nothing to allocate.
    Whole,
    /// Every other exchange multiplied by this factor.
    Factor(f64),
    /// Causal: a factor per exchange internal id (missing ones: 1, reported).
    Causal(HashMap<i64, f64>),
}

struct ProcessInfo {
    location: Option<String>,
    /// Per exchange: the flow's index and kind (None when the flow has no type).
    flows: Vec<(usize, Option<FlowKind>)>,
}

fn is_product(e: &RawExchange, kind: Option<FlowKind>) -> bool {
    let input = e.input.unwrap_or(false);
    !e.avoided.unwrap_or(false) && ((kind == Some(FlowKind::Product) && !input) || (kind == Some(FlowKind::Waste) && input))
}

fn allocation_name(choice: &str) -> &'static str {
    match choice {
        "PHYSICAL_ALLOCATION" => "physical",
        "ECONOMIC_ALLOCATION" => "economic",
        "CAUSAL_ALLOCATION" => "causal",
        _ => "none",
    }
}

/// Imports openLCA JSON-LD entities (olca-schema 1.x or 2.x) into a system.
///
/// `files` are the entries of the export (folders `processes/`, `flows/`, …); `source` names
/// the input in errors and the report. Errors: `UNSUPPORTED_SCHEMA` for an
/// `olca-schema.json` version other than 1 or 2, `MALFORMED_DATA` for an unreadable entity,
/// `MISSING_REFERENCE` for an exchange naming a flow, flow property or unit group the data
/// lacks, `UNCONVERTIBLE_UNIT` for a unit outside the flow's unit groups; each names the
/// file and the entity.
pub fn import(source: &str, files: &[SourceFile], options: &ImportOptions) -> Result<ImportedDatabase, TansoError> {
    let mut report = ImportReport::new(ImportFormat::Olca, source);
    let data = read(source, files, &mut report)?;
    report.counts.processes = data.processes.len();
    let mut system = SystemSpec {
        case_insensitive_parameters: true,
        ..SystemSpec::default()
    };

    // 1. elementary flows
    for f in &data.flows {
        match flow_kind(&f.data) {
            Some(FlowKind::Elementary) => {
                let unit = data.reference_unit(f, &describe("flow", &f.id, f.data.name.as_deref()), &f.file).ok();
                system.flows.push(FlowInfo {
                    id: NodeId::Text(f.id.clone()),
                    name: f.data.name.clone(),
                    unit,
                    compartment: data.category_path(&f.data.category),
                });
            }
            Some(_) => {}
            None => report.warnings.push(format!(
                "{}: {} has flowType {:?}, not PRODUCT_FLOW, WASTE_FLOW or ELEMENTARY_FLOW; its exchanges are left out",
                f.file,
                describe("flow", &f.id, f.data.name.as_deref()),
                f.data.flow_type.as_deref().unwrap_or("(none)")
            )),
        }
    }
    report.counts.flows = system.flows.len();

    // 2. plans and providers
    let mut linker = Linker::new(options.fallback_locations.clone());
    let mut infos: Vec<ProcessInfo> = Vec::with_capacity(data.processes.len());
    let mut plans: Vec<Plan> = Vec::with_capacity(data.processes.len());
    let mut split: HashSet<&str> = HashSet::new();
    let mut lci_results = 0usize;
    for p in &data.processes {
        let pname = p.data.name.as_deref();
        let entity = describe("process", &p.id, pname);
        if p.data.process_type.as_deref() == Some("LCI_RESULT") {
            lci_results += 1;
        }
        let location = match p.data.location.as_ref() {
            None => None,
            Some(r) => match r.id.as_deref().and_then(|id| data.locations.get(id)) {
                Some(l) => l.data.code.clone().or(l.data.name.clone()),
                None => {
                    report.warnings.push(format!(
                        "{}: {entity}: location {} is not in locations/; its name is used as the location",
                        p.file,
                        r.id.as_deref().unwrap_or("(no @id)")
                    ));
                    r.name.clone()
                }
            },
        };
        let exchanges = p.data.exchanges.as_deref().unwrap_or(&[]);
        let mut flows = Vec::with_capacity(exchanges.len());
        for (k, e) in exchanges.iter().enumerate() {
            let fid = ref_id(&e.flow).ok_or_else(|| malformed(&p.file, format!("{entity}, exchange {k}"), "the exchange has no `flow` reference"))?;
            let fi = *data
                .flow_index
                .get(fid)
                .ok_or_else(|| missing_reference(&p.file, format!("{entity}, exchange {k}"), "flow", format!("{fid} ({})", e.flow.as_ref().and_then(|r| r.name.as_deref()).unwrap_or("no name"))))?;
            flows.push((fi, flow_kind(&data.flows[fi].data)));
        }
        // the quantitative reference first, then the other products in the data's order
        let mut products: Vec<usize> = (0..exchanges.len()).filter(|&k| is_product(&exchanges[k], flows[k].1)).collect();
        products.sort_by_key(|&k| !exchanges[k].quantitative_reference.unwrap_or(false));
        let plan = match products.len() {
            0 => {
                report.leave_out("process", &p.id, pname, "no product output or waste input (nothing it provides): not an activity of the system");
                Plan::Out
            }
            1 => Plan::Activities(vec![(NodeId::Text(p.id.clone()), products[0], Allocation::Whole)]),
            _ => plan_allocation(p, &products, &flows, &data, options.allocation, &mut report),
        };
        let plan = match plan {
            Plan::Activities(_) if products.iter().any(|&k| exchanges[k].amount.unwrap_or(0.0) == 0.0) => {
                report.leave_out("process", &p.id, pname, "a reference product with amount 0: the activity would have no output to scale");
                Plan::Out
            }
            plan => plan,
        };
        if let Plan::Activities(acts) = &plan {
            if acts.len() > 1 {
                split.insert(p.id.as_str());
            }
            for (id, k, _) in acts {
                linker.add(&data.flows[flows[*k].0].id, id.clone(), location.as_deref());
            }
        }
        infos.push(ProcessInfo { location, flows });
        plans.push(plan);
    }
    if lci_results > 0 {
        report
            .warnings
            .push(format!("{lci_results} processes are LCI results (processType LCI_RESULT): their elementary flows are aggregated and enter as any process"));
    }

    // 3. parameters
    let param_opts = ParseOptions { case_insensitive: true };
    let mut fallback: Vec<Option<f64>> = Vec::new();
    for g in &data.global_parameters {
        match g.data.scope.as_deref() {
            None | Some("GLOBAL_SCOPE") => {}
            Some(other) => {
                report.leave_out("parameter", &g.file, g.data.name.as_deref(), format!("scope {other} in parameters/: only GLOBAL_SCOPE parameters are read there"));
                continue;
            }
        }
        if let Some((spec, v)) = parameter_spec(&g.data, None, &g.file, &param_opts, &mut report) {
            system.parameters.push(spec);
            fallback.push(v);
        }
    }
    for (p, plan) in data.processes.iter().zip(&plans) {
        let (Plan::Activities(acts), Some(params)) = (plan, p.data.parameters.as_ref()) else {
            continue;
        };
        for (id, _, _) in acts {
            for par in params {
                let where_ = format!("{} parameter {}", p.file, par.name.as_deref().unwrap_or("?"));
                if let Some((spec, v)) = parameter_spec(par, Some(id.clone()), &where_, &param_opts, &mut report) {
                    system.parameters.push(spec);
                    fallback.push(v);
                }
            }
        }
    }
    let table = parameter_table(&mut system.parameters, fallback, &param_opts, &mut report);

    // 4. process records
    // conversions by (flow, flow property, unit), computed once; how often each is applied
    let mut conversion_index: HashMap<(usize, Option<&str>, Option<&str>), usize> = HashMap::new();
    let mut conversion_table: Vec<(Conversion, usize)> = Vec::new();
    let mut costs = 0usize;
    for ((p, plan), info) in data.processes.iter().zip(&plans).zip(&infos) {
        let Plan::Activities(acts) = plan else { continue };
        let exchanges = p.data.exchanges.as_deref().unwrap_or(&[]);
        let pname = p.data.name.as_deref();
        let entity = describe("process", &p.id, pname);
        let products: HashSet<usize> = acts.iter().map(|(_, k, _)| *k).collect();
        // the conversion of every exchange, once per process
        let mut convs: Vec<f64> = Vec::with_capacity(exchanges.len());
        let mut units: Vec<usize> = Vec::with_capacity(exchanges.len());
        for (k, e) in exchanges.iter().enumerate() {
            if e.cost_value.is_some_and(|c| c != 0.0) {
                costs += 1;
            }
            let fi = info.flows[k].0;
            let key = (fi, ref_id(&e.flow_property), e.unit.as_ref().and_then(|u| u.id.as_deref().or(u.name.as_deref())));
            let ci = match conversion_index.get(&key) {
                Some(&ci) => ci,
                None => {
                    let c = data.conversion(&data.flows[fi], &e.flow_property, &e.unit, &format!("{entity}, exchange {k}"), &p.file)?;
                    conversion_table.push((c, 0));
                    conversion_index.insert(key, conversion_table.len() - 1);
                    conversion_table.len() - 1
                }
            };
            conversion_table[ci].1 += 1;
            convs.push(conversion_table[ci].0.factor);
            units.push(ci);
        }
        for (id, own, allocation) in acts {
            let scope = Scope::Process(id.to_string());
            let own_flow = &data.flows[info.flows[*own].0];
            let name = if acts.len() > 1 {
                Some(format!("{} | {}", pname.unwrap_or(&p.id), own_flow.data.name.as_deref().unwrap_or(&own_flow.id)))
            } else {
                p.data.name.clone()
            };
            let mut record = ProcessRecord {
                id: id.clone(),
                name: name.clone(),
                unit: Some(conversion_table[units[*own]].0.to.clone()),
                location: info.location.clone(),
                exchanges: Vec::with_capacity(exchanges.len()),
            };
            for (k, e) in exchanges.iter().enumerate() {
                if k != *own && products.contains(&k) {
                    continue; // a co-product: made by its own activity
                }
                let (fi, kind) = info.flows[k];
                let flow = &data.flows[fi];
                let Some(kind) = kind else {
                    report.leave_out("exchange", format!("{}#{k}", p.file), flow.data.name.as_deref(), "the flow has no flowType");
                    continue;
                };
                let input = e.input.unwrap_or(false);
                let avoided = e.avoided.unwrap_or(false);
                let alloc = if k == *own {
                    1.0
                } else {
                    match allocation {
                        Allocation::Whole => 1.0,
                        Allocation::Factor(f) => *f,
                        Allocation::Causal(map) => match e.internal_id.and_then(|i| map.get(&i)) {
                            Some(f) => *f,
                            None => {
                                report.warnings.push(format!(
                                    "{}: {entity}: no causal allocation factor for exchange {k} ({}) and product {}: factor 1 used",
                                    p.file,
                                    flow.data.name.as_deref().unwrap_or(&flow.id),
                                    own_flow.data.name.as_deref().unwrap_or(&own_flow.id)
                                ));
                                1.0
                            }
                        },
                    }
                };
                // the sign of the amount in the record: production as written (waste
                // treatment negative), inputs positive, waste outputs and avoided products negative
                let (kind_out, sign) = if k == *own {
                    (ExchangeType::Production, if kind == FlowKind::Waste { -1.0 } else { 1.0 })
                } else {
                    match kind {
                        FlowKind::Elementary => (ExchangeType::Biosphere, 1.0),
                        // a product input; an avoided product (on either side): a negative input
                        FlowKind::Product => (ExchangeType::Technosphere, if input && !avoided { 1.0 } else { -1.0 }),
                        // a waste output to treatment: negative; an avoided waste: positive
                        FlowKind::Waste => (ExchangeType::Technosphere, if avoided { 1.0 } else { -1.0 }),
                    }
                };
                let m = convs[k] * alloc * sign;
                let amount = e.amount.unwrap_or(0.0) * m;
                let xid = if e.uncertainty.is_some() || e.amount_formula.is_some() { format!("{}#{k}", p.file) } else { String::new() };
                let uncertainty = carry_uncertainty(&e.uncertainty, m, amount, &xid, flow.data.name.as_deref(), &mut report);
                let formula = e.amount_formula.as_deref().filter(|f| !f.trim().is_empty()).and_then(|f| {
                    let src = scaled_formula(f, m);
                    match check_formula(&table, &src, &scope) {
                        Ok(()) => Some(src),
                        Err(why) => {
                            report.leave_out("formula", &xid, flow.data.name.as_deref(), format!("amountFormula '{f}': {why}; the amount {} is used", e.amount.unwrap_or(0.0)));
                            None
                        }
                    }
                });
                let mut x = Exchange {
                    kind: kind_out,
                    product: None,
                    provider: None,
                    flow: None,
                    amount,
                    uncertainty,
                    formula,
                };
                match kind_out {
                    ExchangeType::Production => x.product = Some(id.clone()),
                    ExchangeType::Biosphere => {
                        x.flow = Some(NodeId::Text(flow.id.clone()));
                        report.counts.biosphere_exchanges += 1;
                    }
                    ExchangeType::Technosphere => {
                        let named = ref_id(&e.default_provider).map(|pid| {
                            if split.contains(pid) {
                                NodeId::Text(format!("{pid}|{}", flow.id))
                            } else {
                                NodeId::Text(pid.to_string())
                            }
                        });
                        match linker.link(&flow.id, named.as_ref(), info.location.as_deref()) {
                            Link::Linked { activity, how } => {
                                report.count_link(&how);
                                report.counts.technosphere_exchanges += 1;
                                x.product = Some(activity);
                            }
                            Link::Unlinked { reason, candidates } => {
                                if x.uncertainty.is_some() {
                                    report.counts.uncertain_amounts -= 1;
                                }
                                report.unlinked.push(UnlinkedExchange {
                                    activity: id.clone(),
                                    activity_name: name.clone(),
                                    product: flow.id.clone(),
                                    product_name: flow.data.name.clone(),
                                    amount,
                                    unit: Some(conversion_table[units[k]].0.to.clone()),
                                    reason,
                                    candidates,
                                });
                                continue;
                            }
                        }
                    }
                }
                record.exchanges.push(x);
            }
            system.processes.push(record);
        }
    }
    report.counts.activities = system.processes.len();
    for (c, n) in conversion_table {
        if n > 0 && (c.from != c.to || c.factor != 1.0) {
            match report.conversions.iter_mut().find(|x| x.from == c.from && x.to == c.to && x.factor.to_bits() == c.factor.to_bits()) {
                Some(x) => x.count += n,
                None => report.conversions.push(UnitConversion {
                    from: c.from,
                    to: c.to,
                    factor: c.factor,
                    count: n,
                }),
            }
        }
    }
    if costs > 0 {
        report.leave_out("costs", "exchanges", None, format!("{costs} exchanges carry a costValue: life-cycle costing is not carried"));
    }

    // 5. methods
    import_methods(&data, &mut system, &mut report)?;
    report.counts.methods = system.methods.len();
    report.counts.characterization_factors = system.methods.iter().map(|m| m.factors.len()).sum();
    Ok(ImportedDatabase { system, report })
}

/// The activities of a multi-output process under the chosen allocation, or `Out`.
fn plan_allocation(
    p: &Entity<RawProcess>,
    products: &[usize],
    flows: &[(usize, Option<FlowKind>)],
    data: &Data,
    choice: AllocationChoice,
    report: &mut ImportReport,
) -> Plan {
    let pname = p.data.name.as_deref();
    let method = match choice {
        AllocationChoice::None => {
            report.leave_out("process", &p.id, pname, format!("{} products and allocation `none`: a multi-output process needs allocation", products.len()));
            return Plan::Out;
        }
        AllocationChoice::Physical => "PHYSICAL_ALLOCATION",
        AllocationChoice::Economic => "ECONOMIC_ALLOCATION",
        AllocationChoice::Causal => "CAUSAL_ALLOCATION",
        AllocationChoice::Default => match p.data.default_allocation.as_deref() {
            Some(m @ ("PHYSICAL_ALLOCATION" | "ECONOMIC_ALLOCATION" | "CAUSAL_ALLOCATION")) => m,
            other => {
                report.leave_out(
                    "process",
                    &p.id,
                    pname,
                    format!(
                        "{} products and defaultAllocationMethod {}: choose physical, economic or causal in options.allocation",
                        products.len(),
                        other.unwrap_or("(none)")
                    ),
                );
                return Plan::Out;
            }
        },
    };
    let factors: Vec<&RawAllocationFactor> = p
        .data
        .allocation_factors
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .filter(|f| f.allocation_type.as_deref() == Some(method))
        .collect();
    let flow_id = |k: usize| data.flows[flows[k].0].id.as_str();
    let mut acts = Vec::with_capacity(products.len());
    let mut note = Vec::with_capacity(products.len());
    let mut missing = Vec::new();
    for &k in products {
        let fid = flow_id(k);
        let id = NodeId::Text(format!("{}|{fid}", p.id));
        let mine = factors.iter().filter(|f| ref_id(&f.product) == Some(fid));
        if factors.iter().any(|f| f.formula.as_deref().is_some_and(|s| !s.trim().is_empty()) && ref_id(&f.product) == Some(fid)) {
            report.leave_out("allocation formula", format!("{}|{fid}", p.id), pname, "allocation factor formulas are not evaluated; the factor values are used");
        }
        if method == "CAUSAL_ALLOCATION" {
            let map: HashMap<i64, f64> = mine.filter_map(|f| Some((f.exchange.as_ref()?.internal_id?, f.value?))).collect();
            if map.is_empty() {
                missing.push(data.flows[flows[k].0].data.name.clone().unwrap_or_else(|| fid.to_string()));
                continue;
            }
            let mean = map.values().sum::<f64>() / map.len() as f64;
            note.push((id.clone(), mean));
            acts.push((id, k, Allocation::Causal(map)));
        } else {
            match mine.filter(|f| f.exchange.is_none()).find_map(|f| f.value) {
                Some(v) => {
                    note.push((id.clone(), v));
                    acts.push((id, k, Allocation::Factor(v)));
                }
                None => missing.push(data.flows[flows[k].0].data.name.clone().unwrap_or_else(|| fid.to_string())),
            }
        }
    }
    if !missing.is_empty() {
        report.leave_out(
            "process",
            &p.id,
            pname,
            format!("{} products and no {} allocation factor for {}", products.len(), allocation_name(method), missing.join(", ")),
        );
        return Plan::Out;
    }
    report.allocations.push(AllocationNote {
        process: p.id.clone(),
        name: p.data.name.clone(),
        method: if method == "CAUSAL_ALLOCATION" {
            "causal (factor shown: the mean of the product's per-exchange factors)".to_string()
        } else {
            allocation_name(method).to_string()
        },
        products: note,
    });
    Plan::Activities(acts)
}

/// A parameter as the engine takes it: input parameters by value (with uncertainty),
/// dependent ones by formula (a formula that does not parse: its value, reported). Returns
/// the spec and the value the data gives (the fallback of a formula the table rejects).
fn parameter_spec(par: &RawParameter, process: Option<NodeId>, where_: &str, opts: &ParseOptions, report: &mut ImportReport) -> Option<(ParameterSpec, Option<f64>)> {
    let Some(name) = par.name.clone().filter(|n| !n.trim().is_empty()) else {
        report.leave_out("parameter", where_, None, "a parameter without a name");
        return None;
    };
    let input = par.input.unwrap_or(par.formula.as_deref().is_none_or(|f| f.trim().is_empty()));
    let value = par.value.filter(|v| v.is_finite());
    let mut spec = ParameterSpec {
        name: name.clone(),
        process,
        value: None,
        formula: None,
        uncertainty: None,
    };
    if !input {
        if let Some(f) = par.formula.as_deref().filter(|f| !f.trim().is_empty()) {
            match Formula::parse(f, opts) {
                Ok(_) => {
                    spec.formula = Some(f.to_string());
                    return Some((spec, value));
                }
                Err(e) => report.leave_out("formula", where_, Some(&name), format!("parameter formula '{f}': {e}; its value is used")),
            }
        }
    }
    let Some(value) = value else {
        report.leave_out("parameter", where_, Some(&name), "neither a usable formula nor a finite value");
        return None;
    };
    spec.value = Some(value);
    spec.uncertainty = carry_uncertainty(&par.uncertainty, 1.0, value, where_, Some(&name), report);
    Some((spec, Some(value)))
}

fn scope_name(p: &ParameterSpec) -> String {
    p.process.as_ref().map_or("global".to_string(), |id| format!("process {id}"))
}

/// The compiled parameters and their values at the data's values, for checking formulas.
struct Checker {
    table: ParameterTable,
    values: Vec<f64>,
}

/// The parameter table of the system. A dependent parameter the table rejects (a name it
/// does not know, a cycle, an evaluation error) gets the value the data gives it, reported;
/// one without a value is left out.
fn parameter_table(params: &mut Vec<ParameterSpec>, fallback: Vec<Option<f64>>, opts: &ParseOptions, report: &mut ImportReport) -> Option<Checker> {
    let mut items: Vec<(ParameterSpec, Option<f64>)> = std::mem::take(params).into_iter().zip(fallback).collect();
    // duplicates in one scope: the first is kept
    let mut seen = HashSet::new();
    items.retain(|(p, _)| {
        if seen.insert((p.process.as_ref().map(|id| id.to_string()), p.name.to_lowercase())) {
            true
        } else {
            report.leave_out("parameter", scope_name(p), Some(&p.name), "defined twice in one scope: the first is kept");
            false
        }
    });
    let defs = |items: &[(ParameterSpec, Option<f64>)]| -> Vec<ParameterDef> {
        items
            .iter()
            .map(|(p, _)| ParameterDef {
                name: p.name.clone(),
                scope: p.process.as_ref().map_or(Scope::Global, |id| Scope::Process(id.to_string())),
                value: p.value,
                formula: p.formula.clone(),
            })
            .collect()
    };
    let mut demote = |items: &mut Vec<(ParameterSpec, Option<f64>)>, which: &dyn Fn(&ParameterSpec) -> bool, why: &str| -> usize {
        let mut n = 0;
        items.retain_mut(|(p, v)| {
            if p.formula.is_none() || !which(p) {
                return true;
            }
            n += 1;
            let f = p.formula.take().unwrap_or_default();
            match v {
                Some(v) => {
                    report.leave_out("formula", scope_name(p), Some(&p.name), format!("parameter formula '{f}': {why}; its value {v} is used"));
                    p.value = Some(*v);
                    true
                }
                None => {
                    report.leave_out("parameter", scope_name(p), Some(&p.name), format!("parameter formula '{f}': {why}; it has no value: left out"));
                    false
                }
            }
        });
        n
    };
    let mut result = None;
    for _ in 0..=items.len() {
        let built = ParameterTable::new(&defs(&items), opts).and_then(|t| {
            let mut v = t.base_values();
            t.evaluate(&mut v).map(|()| Checker { table: t, values: v })
        });
        match built {
            Ok(c) => {
                result = Some(c);
                break;
            }
            Err(e) => {
                let why = e.to_string();
                let n = match &e {
                    FormulaError::UnknownParameter { formula, .. } | FormulaError::Syntax { formula, .. } => {
                        let formula = formula.clone();
                        demote(&mut items, &|p| p.formula.as_deref() == Some(formula.as_str()), &why)
                    }
                    FormulaError::ParameterCycle { cycle } => {
                        let first = cycle.split(" -> ").next().unwrap_or("").split(" (").next().unwrap_or("").trim().to_lowercase();
                        demote(&mut items, &|p| p.name.to_lowercase() == first, &why)
                    }
                    _ => 0,
                };
                if n == 0 {
                    demote(&mut items, &|_| true, &format!("the parameter formulas could not be resolved together ({why})"));
                }
            }
        }
    }
    *params = items.into_iter().map(|(p, _)| p).collect();
    result
}

fn check_formula(checker: &Option<Checker>, src: &str, scope: &Scope) -> Result<(), String> {
    let Some(c) = checker else {
        return Err("the parameters could not be compiled".into());
    };
    let f = c.table.compile(src, scope).map_err(|e| e.to_string())?;
    f.eval(&c.values).map(|_| ()).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------
// LCIA methods

fn import_methods(data: &Data, system: &mut SystemSpec, report: &mut ImportReport) -> Result<(), TansoError> {
    let by_id: HashMap<&str, &Entity<RawImpactCategory>> = data.impact_categories.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut listed: HashSet<&str> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut add = |system: &mut SystemSpec, report: &mut ImportReport, method: Option<&str>, file: &str, cat: &RawImpactCategory, cat_id: &str| -> Result<(), TansoError> {
        let cname = cat.name.clone().unwrap_or_else(|| cat_id.to_string());
        let mut id = match method {
            Some(m) => format!("{m} | {cname}"),
            None => cname.clone(),
        };
        if !ids.insert(id.clone()) {
            report.warnings.push(format!("{file}: impact category id '{id}' is used twice: the second is named '{id} ({cat_id})'"));
            id = format!("{id} ({cat_id})");
            ids.insert(id.clone());
        }
        let entity = describe("impact category", cat_id, cat.name.as_deref());
        let mut factors = Vec::new();
        let (mut no_flow, mut formulas, mut located) = (0usize, 0usize, 0usize);
        for (k, f) in cat.impact_factors.as_deref().unwrap_or(&[]).iter().enumerate() {
            let Some(fid) = ref_id(&f.flow) else {
                return Err(malformed(file, format!("{entity}, factor {k}"), "a factor without `flow`"));
            };
            if f.location.is_some() {
                located += 1;
                continue;
            }
            let Some(flow) = data.flow(fid) else {
                no_flow += 1;
                continue;
            };
            if f.formula.as_deref().is_some_and(|s| !s.trim().is_empty()) {
                formulas += 1;
            }
            let c = data.conversion(flow, &f.flow_property, &f.unit, &format!("{entity}, factor {k}"), file)?;
            if c.from != c.to || c.factor != 1.0 {
                report.count_conversion(&c.from, &c.to, c.factor);
            }
            let value = f.value.unwrap_or(0.0) / c.factor;
            let uncertainty = carry_uncertainty(&f.uncertainty, 1.0 / c.factor, value, &format!("{file}#factor{k}"), flow.data.name.as_deref(), report);
            factors.push(CharacterizationFactor {
                flow: NodeId::Text(fid.to_string()),
                factor: value,
                uncertainty,
            });
        }
        for (n, what) in [
            (no_flow, "factors of flows not in flows/: without the flow the unit cannot be converted; left out"),
            (formulas, "factors with a formula: the formula is not evaluated, the value is used"),
            (located, "regionalized factors (with a location): the engine is not regionalized; left out"),
        ] {
            if n > 0 {
                report.leave_out("characterization factor", &id, cat.name.as_deref(), format!("{n} {what}"));
            }
        }
        if cat.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
            report.leave_out("parameter", &id, cat.name.as_deref(), "impact category parameters (IMPACT_SCOPE) are not carried");
        }
        system.methods.push(MethodSpec {
            id,
            name: cat.name.clone(),
            unit: cat.ref_unit.clone(),
            factors,
            normalization: None,
            weighting: None,
        });
        Ok(())
    };
    for m in &data.methods {
        let mname = m.data.name.clone().unwrap_or_else(|| m.id.clone());
        if let Some(n) = m.data.nw_sets.as_ref().map(Vec::len).filter(|&n| n > 0) {
            report.leave_out("normalization and weighting", &m.file, Some(&mname), format!("{n} normalization and weighting sets (nwSets): not carried; the scores are characterized only"));
        }
        for r in m.data.impact_categories.as_deref().unwrap_or(&[]) {
            let Some(cid) = r.id.as_deref() else {
                return Err(malformed(&m.file, describe("impact method", &m.id, m.data.name.as_deref()), "an impact category reference without `@id`"));
            };
            match by_id.get(cid) {
                Some(c) => {
                    listed.insert(cid);
                    add(system, report, Some(&mname), &c.file, &c.data, cid)?;
                }
                None if r.impact_factors.is_some() => add(system, report, Some(&mname), &m.file, r, cid)?,
                None => {
                    return Err(missing_reference(
                        &m.file,
                        describe("impact method", &m.id, m.data.name.as_deref()),
                        "impact category",
                        format!("{cid} ({})", r.name.as_deref().unwrap_or("no name")),
                    ))
                }
            }
        }
    }
    for c in &data.impact_categories {
        if !listed.contains(c.id.as_str()) {
            add(system, report, None, &c.file, &c.data, &c.id)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile::new(name, text.as_bytes().to_vec())
    }

    /// Every exchange of every process is held until the system is built (540,000 in a
    /// database of 20,000 processes), and most have no uncertainty: the distribution's
    /// parameters (13 fields) are boxed so that an exchange without one does not carry
    /// their room. Unboxed, an exchange was over 500 bytes and a 20,000-process import
    /// (224 MB of JSON) peaked at 1 GB.
    #[test]
    fn an_exchange_without_uncertainty_does_not_hold_its_parameters() {
        assert!(std::mem::size_of::<RawExchange>() <= 300, "{}", std::mem::size_of::<RawExchange>());
        let e: RawExchange = serde_json::from_str(
            r#"{"amount": 2, "uncertainty": {"distributionType": "LOG_NORMAL_DISTRIBUTION", "geomMean": 2, "geomSd": 1.2}}"#,
        )
        .unwrap();
        assert_eq!(e.uncertainty.as_deref().and_then(|u| u.geom_sd), Some(1.2));
    }

    /// A mass flow `m` (kg, g) and a process `p` making 1 kg of product `a` from 250 g of
    /// product `b`, which process `q` makes. olca-schema 2.x names (GreenDelta/olca-schema
    /// `yaml/Exchange.yaml`, `yaml/Unit.yaml`, `yaml/FlowPropertyFactor.yaml`).
    fn small(extra_exchange: &str) -> Vec<SourceFile> {
        let fp = r#"[{"flowProperty": {"@id": "mass"}, "conversionFactor": 1.0, "isRefFlowProperty": true}]"#;
        vec![
            file("olca-schema.json", r#"{"version": 2}"#),
            file(
                "unit_groups/ug.json",
                r#"{"@id": "ug", "units": [{"@id": "kg", "name": "kg", "conversionFactor": 1.0, "isRefUnit": true},
                   {"@id": "g", "name": "g", "conversionFactor": 0.001}]}"#,
            ),
            file("flow_properties/mass.json", r#"{"@id": "mass", "name": "Mass", "unitGroup": {"@id": "ug"}}"#),
            file("flows/a.json", &format!(r#"{{"@id": "a", "name": "A", "flowType": "PRODUCT_FLOW", "flowProperties": {fp}}}"#)),
            file("flows/b.json", &format!(r#"{{"@id": "b", "name": "B", "flowType": "PRODUCT_FLOW", "flowProperties": {fp}}}"#)),
            file("flows/e.json", &format!(r#"{{"@id": "e", "name": "E", "flowType": "ELEMENTARY_FLOW", "flowProperties": {fp}}}"#)),
            file(
                "processes/p.json",
                &format!(
                    r#"{{"@id": "p", "name": "P", "exchanges": [
                    {{"flow": {{"@id": "a"}}, "amount": 1, "unit": {{"@id": "kg"}}, "isQuantitativeReference": true}},
                    {{"flow": {{"@id": "b"}}, "amount": 250, "unit": {{"@id": "g"}}, "isInput": true}}{extra_exchange}]}}"#
                ),
            ),
            file(
                "processes/q.json",
                r#"{"@id": "q", "name": "Q", "exchanges": [
                    {"flow": {"@id": "b"}, "amount": 2, "isQuantitativeReference": true},
                    {"flow": {"@id": "e"}, "amount": 1}]}"#,
            ),
        ]
    }

    #[test]
    fn converts_links_and_counts() {
        let db = import("t", &small(""), &ImportOptions::default()).unwrap();
        let p = &db.system.processes[0];
        // 250 g = 0.25 kg (ReferenceAmount: 250 × 0.001 / 1)
        assert_eq!(p.exchanges[1].amount, 0.25);
        assert_eq!(p.exchanges[1].product, Some(NodeId::from("q")));
        assert_eq!(db.report.conversions[0].count, 1);
        assert_eq!(db.report.linked.get("only_provider"), Some(&1));
        assert_eq!(db.report.counts.activities, 2);
    }

    #[test]
    fn costs_and_nw_sets_are_reported_as_left_out() {
        let mut files = small(r#", {"flow": {"@id": "e"}, "amount": 1, "costValue": 2.5}"#);
        files.push(file("lcia_methods/m.json", r#"{"@id": "m", "name": "M", "impactCategories": [], "nwSets": [{"@id": "n"}]}"#));
        let db = import("t", &files, &ImportOptions::default()).unwrap();
        let kinds: Vec<&str> = db.report.left_out.iter().map(|l| l.kind.as_str()).collect();
        assert!(kinds.contains(&"costs") && kinds.contains(&"normalization and weighting"), "{kinds:?}");
    }

    #[test]
    fn distributions_follow_the_amount() {
        let u = |t: &str| RawUncertainty {
            distribution_type: Some(t.into()),
            geom_mean: Some(250.0),
            geom_sd: Some(1.5),
            mean: Some(250.0),
            sd: Some(10.0),
            minimum: Some(200.0),
            mode: Some(250.0),
            maximum: Some(300.0),
            ..RawUncertainty::default()
        };
        // grams to kilograms, as a waste output (sign −1): scale −0.001
        let s = -0.001;
        match distribution(&u("LOG_NORMAL_DISTRIBUTION"), s).unwrap() {
            Some(Distribution::Lognormal { mu, sigma }) => {
                assert!((mu.unwrap() - 0.25f64.ln()).abs() < 1e-15);
                assert_eq!(sigma, 1.5f64.ln());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(distribution(&u("NORMAL_DISTRIBUTION"), s).unwrap(), Some(Distribution::Normal { mean: -0.25, sd: 0.01 }));
        assert_eq!(distribution(&u("UNIFORM_DISTRIBUTION"), s).unwrap(), Some(Distribution::Uniform { min: -0.3, max: -0.2 }));
        assert_eq!(
            distribution(&u("TRIANGLE_DISTRIBUTION"), s).unwrap(),
            Some(Distribution::Triangular { min: -0.3, mode: -0.25, max: -0.2 })
        );
        assert!(distribution(&u("BETA"), 1.0).is_err());
        assert_eq!(distribution(&u("NO_DISTRIBUTION"), 1.0).unwrap(), None);
    }

    #[test]
    fn folders_and_formulas() {
        assert_eq!(folder_of("export/processes/x.json").as_deref(), Some("processes"));
        assert_eq!(folder_of("olca-schema.json"), None);
        assert_eq!(scaled_formula("a + b", 1.0), "a + b");
        assert_eq!(scaled_formula("a + b", -0.001), "(a + b) * (-0.001)");
    }

    #[test]
    fn unknown_unit_names_process_and_flow() {
        let extra = r#", {"flow": {"@id": "e"}, "amount": 1, "unit": {"@id": "lb", "name": "lb"}}"#;
        let err = import("t", &small(extra), &ImportOptions::default()).unwrap_err();
        assert_eq!(err.code(), "UNCONVERTIBLE_UNIT");
        let msg = err.to_string();
        assert!(msg.contains("processes/p.json") && msg.contains("process 'P'") && msg.contains("flow 'E'") && msg.contains("lb"), "{msg}");
    }

    #[test]
    fn missing_flow_names_the_reference() {
        let extra = r#", {"flow": {"@id": "zz", "name": "ghost"}, "amount": 1}"#;
        let err = import("t", &small(extra), &ImportOptions::default()).unwrap_err();
        assert_eq!(err.code(), "MISSING_REFERENCE");
        let msg = err.to_string();
        assert!(msg.contains("processes/p.json") && msg.contains("exchange 2") && msg.contains("zz (ghost)"), "{msg}");
    }
}
