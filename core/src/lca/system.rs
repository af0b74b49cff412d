//! An LCA system: technosphere `A` (products × activities), biosphere `B` (flows ×
//! activities) and characterization methods (flows → factors), with the ids of every row
//! and column, built from triplets or from process records and validated before solving.
//!
//! Conventions (as Brightway and openLCA):
//! - `A` holds signed amounts per unit of each activity: its reference product on the
//!   diagonal (+1, or −1 for a waste treatment), inputs negative. In process records inputs
//!   are written positive and enter `A` negated.
//! - Product `k` is the reference product of activity `k`; a product id resolves to the one
//!   activity producing it. An exchange may name its `provider` activity instead.
//! - Duplicate entries are summed. Ids are strings or integers.
//!
//! ```
//! use tanso::lca::system::{SystemSpec, LcaSystem};
//! let spec: SystemSpec = serde_json::from_str(r#"{
//!   "processes": [
//!     {"id": "steel", "unit": "kg", "exchanges": [
//!       {"type": "production", "product": "steel", "amount": 1},
//!       {"type": "technosphere", "product": "electricity", "amount": 0.5},
//!       {"type": "biosphere", "flow": "CO2", "amount": 1.8}]},
//!     {"id": "electricity", "unit": "kWh", "exchanges": [
//!       {"type": "production", "product": "electricity", "amount": 1},
//!       {"type": "biosphere", "flow": "CO2", "amount": 0.6}]}],
//!   "methods": [{"id": "GWP100", "unit": "kg CO2e", "factors": [{"flow": "CO2", "factor": 1}]}]
//! }"#).unwrap();
//! let system = LcaSystem::build(&spec).unwrap();
//! assert_eq!(system.activity_count(), 2);
//! ```

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::formula::{ParameterDef, ParameterTable, ParseOptions, Scope};
use super::sampling::Distribution;
use super::sparse::Csc;
use crate::error::{nearest, InputError, LcaError};
use crate::TansoError;

/// The id of a product, activity or flow: an integer or a string, as the data has it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NodeId {
    /// An integer id (Brightway database ids, matrix indices of a dump).
    Int(i64),
    /// A string id (names, UUIDs).
    Text(String),
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeId::Int(i) => write!(f, "{i}"),
            NodeId::Text(s) => f.write_str(s),
        }
    }
}

impl From<&str> for NodeId {
    fn from(s: &str) -> Self {
        NodeId::Text(s.to_string())
    }
}

impl From<i64> for NodeId {
    fn from(i: i64) -> Self {
        NodeId::Int(i)
    }
}

/// Descriptive data of an activity (a column of `A` and `B`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityInfo {
    /// The activity's id.
    pub id: NodeId,
    /// Its reference product; defaults to the activity id (Brightway style).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<NodeId>,
    /// Human-readable name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Unit of the reference product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Location code (e.g. `CN`, `RER`, `GLO`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Descriptive data of an elementary flow (a row of `B`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowInfo {
    /// The flow's id.
    pub id: NodeId,
    /// Human-readable name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Unit (e.g. kg).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Compartment (e.g. `air`, `water`, `natural resource`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compartment: Option<String>,
}

/// One technosphere entry in triplet form: the signed matrix value of `product` per unit
/// of `activity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TechnosphereEntry {
    /// Row: the product (resolved to the activity that produces it).
    pub product: NodeId,
    /// Column: the consuming (or, on the diagonal, producing) activity.
    pub activity: NodeId,
    /// Signed amount as it appears in `A` (production positive, inputs negative).
    #[serde(default)]
    pub amount: f64,
    /// Uncertainty of the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Distribution>,
    /// A formula of parameters giving the signed amount (overrides `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

/// One biosphere entry in triplet form: `amount` of `flow` per unit of `activity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BiosphereEntry {
    /// Row: the elementary flow.
    pub flow: NodeId,
    /// Column: the activity.
    pub activity: NodeId,
    /// Amount of the flow (emissions positive; resources as the data has them).
    #[serde(default)]
    pub amount: f64,
    /// Uncertainty of the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Distribution>,
    /// A formula of parameters giving the amount (overrides `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

/// The kind of an exchange in a process record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeType {
    /// The reference product (exactly one per process).
    Production,
    /// A technosphere input (positive amount consumed; negative for a waste delivered).
    Technosphere,
    /// An elementary flow.
    Biosphere,
}

/// An exchange of a process record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// Production, technosphere input or biosphere flow.
    #[serde(rename = "type")]
    pub kind: ExchangeType,
    /// The product (production and technosphere exchanges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<NodeId>,
    /// The activity that provides the product, when several produce it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<NodeId>,
    /// The elementary flow (biosphere exchanges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<NodeId>,
    /// Amount per unit of the process's reference product, as the record writes it.
    #[serde(default)]
    pub amount: f64,
    /// Uncertainty of the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Distribution>,
    /// Formula of parameters for the amount (overrides `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

/// A process record: an activity with its exchanges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessRecord {
    /// The activity's id.
    pub id: NodeId,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Unit of the reference product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Location code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Its exchanges: one production, any inputs and elementary flows.
    pub exchanges: Vec<Exchange>,
}

/// A characterization factor of a method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharacterizationFactor {
    /// The elementary flow.
    pub flow: NodeId,
    /// Impact per unit of the flow (e.g. kg CO2e per kg).
    pub factor: f64,
    /// Uncertainty of the factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Distribution>,
}

/// An impact category: characterization factors with optional normalization and weighting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodSpec {
    /// The category's id (e.g. `GWP100`).
    pub id: String,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Unit of the score (e.g. kg CO2e).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Factors; flows the system does not have are counted and ignored.
    pub factors: Vec<CharacterizationFactor>,
    /// Normalization reference: the normalized score is score / normalization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalization: Option<f64>,
    /// Weight of the normalized score in the single score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighting: Option<f64>,
}

/// A named parameter, global or scoped to one process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterSpec {
    /// Name used in formulas.
    pub name: String,
    /// The process it belongs to; global when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<NodeId>,
    /// Its value (independent parameters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Its formula (dependent parameters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// Its distribution (independent parameters) for Monte Carlo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Distribution>,
}

/// A system as a document: triplets, process records, or both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemSpec {
    /// Activities (triplet form); when absent, every activity named in `technosphere`
    /// produces the product with its own id.
    #[serde(default)]
    pub activities: Vec<ActivityInfo>,
    /// Process records.
    #[serde(default)]
    pub processes: Vec<ProcessRecord>,
    /// Technosphere triplets (signed matrix values).
    #[serde(default)]
    pub technosphere: Vec<TechnosphereEntry>,
    /// Biosphere triplets.
    #[serde(default)]
    pub biosphere: Vec<BiosphereEntry>,
    /// Flow descriptions (optional; flows named in entries are added).
    #[serde(default)]
    pub flows: Vec<FlowInfo>,
    /// Impact categories.
    #[serde(default)]
    pub methods: Vec<MethodSpec>,
    /// Parameters for formulas.
    #[serde(default)]
    pub parameters: Vec<ParameterSpec>,
    /// Parameter names compare case-insensitively (openLCA) when true.
    #[serde(default)]
    pub case_insensitive_parameters: bool,
}

/// The values of one matrix as entries (before duplicates are summed), with the stored
/// position each entry adds to, and the uncertain or formula-driven ones.
#[derive(Debug, Clone, Default)]
pub struct Entries {
    /// Row of each entry.
    pub rows: Vec<usize>,
    /// Column of each entry.
    pub cols: Vec<usize>,
    /// Static amount of each entry.
    pub amounts: Vec<f64>,
    /// Stored position in the matrix values that each entry adds to.
    pub slots: Vec<usize>,
    /// (entry, distribution, sign) for the uncertain entries: the distribution describes
    /// the amount as the data writes it (inputs of process records positive), and the
    /// matrix value is sign × draw.
    pub uncertain: Vec<(usize, Distribution, f64)>,
    /// (entry, formula source, sign) for entries given by formulas; the value of the
    /// formula times sign is the matrix value.
    pub formulas: Vec<(usize, String, f64)>,
}

/// A compiled impact category.
#[derive(Debug, Clone)]
pub struct Method {
    /// Its id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Score unit.
    pub unit: Option<String>,
    /// (flow index, factor), duplicates summed.
    pub factors: Vec<(usize, f64)>,
    /// (index into `factors`, distribution) for uncertain factors.
    pub uncertain: Vec<(usize, Distribution)>,
    /// Factors whose flow the system does not have.
    pub unmatched: usize,
    /// Normalization reference.
    pub normalization: Option<f64>,
    /// Weight.
    pub weighting: Option<f64>,
}

/// Parameters compiled for a system.
#[derive(Debug, Clone)]
pub struct Parameters {
    /// The compiled table (slots, evaluation order).
    pub table: ParameterTable,
    /// Values at the given (static) parameter values, formulas evaluated.
    pub base: Vec<f64>,
    /// (slot, distribution) of uncertain independent parameters.
    pub uncertain: Vec<(usize, Distribution)>,
    /// Parameter names by slot, for reports.
    pub names: Vec<String>,
}

/// A validated LCA system ready to be factorized.
#[derive(Debug, Clone)]
pub struct LcaSystem {
    activities: Vec<ActivityInfo>,
    activity_index: HashMap<NodeId, usize>,
    product_index: HashMap<NodeId, usize>,
    flows: Vec<FlowInfo>,
    flow_index: HashMap<NodeId, usize>,
    /// The technosphere matrix `A` (products × activities, product k made by activity k).
    pub technosphere: Csc,
    /// Entries of `A`.
    pub tech_entries: Entries,
    /// The biosphere matrix `B` (flows × activities).
    pub biosphere: Csc,
    /// Entries of `B`.
    pub bio_entries: Entries,
    /// Impact categories.
    pub methods: Vec<Method>,
    /// Parameters, when the system has any.
    pub parameters: Option<Parameters>,
}

fn list(ids: &[String]) -> String {
    let shown: Vec<&str> = ids.iter().take(20).map(String::as_str).collect();
    if ids.len() > 20 {
        format!("{} (and {} more)", shown.join(", "), ids.len() - 20)
    } else {
        shown.join(", ")
    }
}

fn finite(field: impl FnOnce() -> String, v: f64) -> Result<f64, TansoError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(InputError::NonFinite {
            field: field(),
            value: v.to_string(),
        }
        .into())
    }
}

/// The largest number of elementary flows of a system given by indices (a guard against
/// allocating for a mistyped size; real databases have a few thousand).
pub const MAX_FLOWS: usize = 10_000_000;

/// Matrices given by 0-based indices, for data that is already numeric (numpy arrays, the
/// benchmark dumps, Brightway datapackages). Ids are the indices unless given.
#[derive(Debug, Clone, Default)]
pub struct IndexedSpec {
    /// Number of activities (= products).
    pub n_activities: usize,
    /// Number of elementary flows.
    pub n_flows: usize,
    /// Technosphere rows, columns and signed values.
    pub tech: (Vec<usize>, Vec<usize>, Vec<f64>),
    /// Biosphere rows, columns and values.
    pub bio: (Vec<usize>, Vec<usize>, Vec<f64>),
    /// Uncertainty of technosphere entries (entry index, distribution).
    pub tech_uncertainty: Vec<(usize, Distribution)>,
    /// Uncertainty of biosphere entries.
    pub bio_uncertainty: Vec<(usize, Distribution)>,
    /// Methods: id and (flow index, factor) pairs.
    pub methods: Vec<(String, Vec<(usize, f64)>)>,
    /// Activity ids (default: the index as an integer).
    pub activity_ids: Option<Vec<NodeId>>,
    /// Flow ids (default: the index as an integer).
    pub flow_ids: Option<Vec<NodeId>>,
}

impl LcaSystem {
    /// Builds a system from matrices given by indices; checks ranges and finiteness.
    pub fn from_indexed(spec: IndexedSpec) -> Result<LcaSystem, TansoError> {
        let n = spec.n_activities;
        let m = spec.n_flows;
        // every activity needs its production entry: refuse impossible sizes before allocating
        if n > spec.tech.2.len() {
            return Err(LcaError::InvalidSetting {
                field: "n_activities".into(),
                value: n.to_string(),
                valid: format!("at most the number of technosphere entries ({}), since each activity needs its production entry", spec.tech.2.len()),
            }
            .into());
        }
        if m > MAX_FLOWS {
            return Err(LcaError::InvalidSetting {
                field: "n_flows".into(),
                value: m.to_string(),
                valid: format!("at most {MAX_FLOWS} elementary flows"),
            }
            .into());
        }
        for (name, list, values) in [("tech_uncertainty", &spec.tech_uncertainty, &spec.tech.2), ("bio_uncertainty", &spec.bio_uncertainty, &spec.bio.2)] {
            for (k, d) in list {
                let Some(&amount) = values.get(*k) else {
                    return Err(LcaError::InvalidSetting {
                        field: name.into(),
                        value: k.to_string(),
                        valid: format!("an entry index below {}", values.len()),
                    }
                    .into());
                };
                let field = format!("{name}[{k}]");
                d.validate(&field, amount).map_err(|e| dist_error(&field, e))?;
            }
        }
        let ids_or = |ids: Option<Vec<NodeId>>, len: usize, field: &str| -> Result<Vec<NodeId>, TansoError> {
            match ids {
                Some(ids) if ids.len() != len => Err(InputError::ColumnLength {
                    field: field.to_string(),
                    found: ids.len(),
                    expected: len,
                }
                .into()),
                Some(ids) => Ok(ids),
                None => Ok((0..len).map(|i| NodeId::Int(i as i64)).collect()),
            }
        };
        let activity_ids = ids_or(spec.activity_ids, n, "activity_ids")?;
        let flow_ids = ids_or(spec.flow_ids, m, "flow_ids")?;
        let activities: Vec<ActivityInfo> = activity_ids
            .into_iter()
            .map(|id| ActivityInfo {
                id,
                product: None,
                name: None,
                unit: None,
                location: None,
            })
            .collect();
        let flows: Vec<FlowInfo> = flow_ids
            .into_iter()
            .map(|id| FlowInfo {
                id,
                name: None,
                unit: None,
                compartment: None,
            })
            .collect();
        let check = |name: &str, (r, c, v): &(Vec<usize>, Vec<usize>, Vec<f64>), nrows: usize| -> Result<(), TansoError> {
            if r.len() != v.len() || c.len() != v.len() {
                return Err(InputError::ColumnLength {
                    field: format!("{name} rows/cols"),
                    found: r.len().min(c.len()),
                    expected: v.len(),
                }
                .into());
            }
            for k in 0..v.len() {
                if r[k] >= nrows || c[k] >= n {
                    return Err(LcaError::InvalidSetting {
                        field: format!("{name}[{k}]"),
                        value: format!("({}, {})", r[k], c[k]),
                        valid: format!("row < {nrows} and column < {n}"),
                    }
                    .into());
                }
                finite(|| format!("{name}[{k}] (row {}, column {})", r[k], c[k]), v[k])?;
            }
            Ok(())
        };
        check("technosphere", &spec.tech, n)?;
        check("biosphere", &spec.bio, m)?;
        let mut tech = Entries {
            rows: spec.tech.0,
            cols: spec.tech.1,
            amounts: spec.tech.2,
            uncertain: spec.tech_uncertainty.into_iter().map(|(k, d)| (k, d, 1.0)).collect(),
            ..Entries::default()
        };
        let mut bio = Entries {
            rows: spec.bio.0,
            cols: spec.bio.1,
            amounts: spec.bio.2,
            uncertain: spec.bio_uncertainty.into_iter().map(|(k, d)| (k, d, 1.0)).collect(),
            ..Entries::default()
        };
        let methods = spec
            .methods
            .into_iter()
            .map(|(id, factors)| {
                for (k, &(f, v)) in factors.iter().enumerate() {
                    if f >= m {
                        return Err(LcaError::InvalidSetting {
                            field: format!("methods['{id}'].factors[{k}]"),
                            value: f.to_string(),
                            valid: format!("a flow index < {m}"),
                        }
                        .into());
                    }
                    finite(|| format!("methods['{id}'].factors[{k}]"), v)?;
                }
                Ok(Method {
                    id,
                    name: None,
                    unit: None,
                    factors: merge_factors(factors),
                    uncertain: Vec::new(),
                    unmatched: 0,
                    normalization: None,
                    weighting: None,
                })
            })
            .collect::<Result<Vec<_>, TansoError>>()?;
        let activity_index = index_of(&activities.iter().map(|a| a.id.clone()).collect::<Vec<_>>(), "activities", "activity")?;
        let flow_index = index_of(&flows.iter().map(|f| f.id.clone()).collect::<Vec<_>>(), "flows", "flow")?;
        let product_index = activity_index.clone();
        finish(
            activities,
            activity_index,
            product_index,
            flows,
            flow_index,
            &mut tech,
            &mut bio,
            methods,
            None,
        )
    }

    /// Builds and validates a system from its document form.
    pub fn build(spec: &SystemSpec) -> Result<LcaSystem, TansoError> {
        Builder::default().build(spec)
    }

    /// Number of activities (= products).
    pub fn activity_count(&self) -> usize {
        self.activities.len()
    }

    /// Number of elementary flows.
    pub fn flow_count(&self) -> usize {
        self.flows.len()
    }

    /// The activities, in matrix order.
    pub fn activities(&self) -> &[ActivityInfo] {
        &self.activities
    }

    /// The flows, in matrix order.
    pub fn flows(&self) -> &[FlowInfo] {
        &self.flows
    }

    /// The index of an activity by its id, or of the activity producing a product id.
    pub fn resolve(&self, field: &str, id: &NodeId) -> Result<usize, TansoError> {
        if let Some(&k) = self.product_index.get(id) {
            return Ok(k);
        }
        if let Some(&k) = self.activity_index.get(id) {
            return Ok(k);
        }
        Err(unknown(field, "product or activity", id, self.activity_index.keys().chain(self.product_index.keys())))
    }

    /// The index of a flow by its id.
    pub fn flow(&self, field: &str, id: &NodeId) -> Result<usize, TansoError> {
        self.flow_index
            .get(id)
            .copied()
            .ok_or_else(|| unknown(field, "flow", id, self.flow_index.keys()))
    }

    /// The index of a method by its id.
    pub fn method(&self, field: &str, id: &str) -> Result<usize, TansoError> {
        self.methods.iter().position(|m| m.id == id).ok_or_else(|| {
            LcaError::UnknownId {
                field: field.to_string(),
                kind: "method".into(),
                value: id.to_string(),
                suggestions: suggest(id, self.methods.iter().map(|m| m.id.as_str())),
            }
            .into()
        })
    }

    /// A copy of the system with the formulas of its entries evaluated at `values` (one
    /// value per parameter slot, formulas already evaluated): the matrices of a scenario.
    pub fn with_parameter_values(&self, values: &[f64]) -> Result<LcaSystem, TansoError> {
        let mut out = self.clone();
        let Some(params) = &self.parameters else {
            return Ok(out);
        };
        for (entries, matrix) in [(&mut out.tech_entries, &mut out.technosphere), (&mut out.bio_entries, &mut out.biosphere)] {
            if entries.formulas.is_empty() {
                continue;
            }
            for (e, src, sign) in &entries.formulas {
                let scope = Scope::Process(self.activities[entries.cols[*e]].id.to_string());
                entries.amounts[*e] = sign * params.table.compile(src, &scope)?.eval(values)?;
            }
            matrix.values.iter_mut().for_each(|v| *v = 0.0);
            for (&slot, &a) in entries.slots.iter().zip(&entries.amounts) {
                matrix.values[slot] += a;
            }
        }
        Ok(out)
    }

    /// The characterization vector of method `k` (one factor per flow).
    pub fn characterization(&self, k: usize) -> Vec<f64> {
        let mut c = vec![0.0; self.flows.len()];
        if let Some(m) = self.methods.get(k) {
            for &(f, v) in &m.factors {
                c[f] += v;
            }
        }
        c
    }
}

fn suggest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let near = nearest(wanted, candidates, 3);
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {near}?")
    }
}

fn unknown<'a>(field: &str, kind: &str, id: &NodeId, known: impl Iterator<Item = &'a NodeId>) -> TansoError {
    let names: Vec<String> = known.take(100_000).map(|k| k.to_string()).collect();
    LcaError::UnknownId {
        field: field.to_string(),
        kind: kind.to_string(),
        value: id.to_string(),
        suggestions: suggest(&id.to_string(), names.iter().map(String::as_str)),
    }
    .into()
}

fn index_of(ids: &[NodeId], field: &str, kind: &str) -> Result<HashMap<NodeId, usize>, TansoError> {
    let mut map = HashMap::with_capacity(ids.len());
    for (k, id) in ids.iter().enumerate() {
        if map.insert(id.clone(), k).is_some() {
            return Err(LcaError::DuplicateId {
                field: field.to_string(),
                kind: kind.to_string(),
                value: id.to_string(),
            }
            .into());
        }
    }
    Ok(map)
}

fn merge_factors(mut factors: Vec<(usize, f64)>) -> Vec<(usize, f64)> {
    factors.sort_by_key(|f| f.0);
    let mut out: Vec<(usize, f64)> = Vec::with_capacity(factors.len());
    for (f, v) in factors {
        match out.last_mut() {
            Some(last) if last.0 == f => last.1 += v,
            _ => out.push((f, v)),
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn finish(
    activities: Vec<ActivityInfo>,
    activity_index: HashMap<NodeId, usize>,
    product_index: HashMap<NodeId, usize>,
    flows: Vec<FlowInfo>,
    flow_index: HashMap<NodeId, usize>,
    tech: &mut Entries,
    bio: &mut Entries,
    methods: Vec<Method>,
    parameters: Option<Parameters>,
) -> Result<LcaSystem, TansoError> {
    let n = activities.len();
    let (technosphere, slots) = Csc::from_triplets(n, n, &tech.rows, &tech.cols, &tech.amounts);
    tech.slots = slots;
    let (biosphere, slots) = Csc::from_triplets(flows.len(), n, &bio.rows, &bio.cols, &bio.amounts);
    bio.slots = slots;
    let missing: Vec<String> = (0..n)
        .filter(|&j| technosphere.get(j, j) == 0.0)
        .map(|j| activities[j].id.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(LcaError::MissingProduction {
            count: missing.len(),
            activities: list(&missing),
        }
        .into());
    }
    Ok(LcaSystem {
        activities,
        activity_index,
        product_index,
        flows,
        flow_index,
        technosphere,
        tech_entries: std::mem::take(tech),
        biosphere,
        bio_entries: std::mem::take(bio),
        methods,
        parameters,
    })
}

#[derive(Default)]
struct Builder {
    tech: Entries,
    bio: Entries,
}

impl Builder {
    fn build(mut self, spec: &SystemSpec) -> Result<LcaSystem, TansoError> {
        // 1. activities and their reference products
        let mut activities: Vec<ActivityInfo> = spec.activities.clone();
        let mut multi_output = Vec::new();
        for p in &spec.processes {
            let products: Vec<&Exchange> = p.exchanges.iter().filter(|e| e.kind == ExchangeType::Production).collect();
            if products.len() > 1 {
                multi_output.push(format!(
                    "activity '{}' has {} reference products ({}) and needs allocation",
                    p.id,
                    products.len(),
                    products.iter().filter_map(|e| e.product.as_ref().map(|x| x.to_string())).collect::<Vec<_>>().join(", ")
                ));
            }
            activities.push(ActivityInfo {
                id: p.id.clone(),
                product: products.first().and_then(|e| e.product.clone()),
                name: p.name.clone(),
                unit: p.unit.clone(),
                location: p.location.clone(),
            });
        }
        if activities.is_empty() {
            // Brightway style: the columns of the technosphere are the activities
            let mut seen = std::collections::HashSet::new();
            for e in &spec.technosphere {
                if seen.insert(e.activity.clone()) {
                    activities.push(ActivityInfo {
                        id: e.activity.clone(),
                        product: None,
                        name: None,
                        unit: None,
                        location: None,
                    });
                }
            }
        }
        let ids: Vec<NodeId> = activities.iter().map(|a| a.id.clone()).collect();
        let activity_index = index_of(&ids, "activities", "activity")?;
        let mut producers: HashMap<NodeId, Vec<usize>> = HashMap::new();
        for (k, a) in activities.iter().enumerate() {
            producers.entry(a.product.clone().unwrap_or_else(|| a.id.clone())).or_default().push(k);
        }
        let mut multi_provider = Vec::new();
        let mut product_index = HashMap::with_capacity(producers.len());
        for (product, acts) in &producers {
            if acts.len() == 1 {
                product_index.insert(product.clone(), acts[0]);
            } else {
                multi_provider.push((product.clone(), acts.clone()));
            }
        }
        // 2. flows
        let mut flows = spec.flows.clone();
        let mut flow_index = index_of(&flows.iter().map(|f| f.id.clone()).collect::<Vec<_>>(), "flows", "flow")?;
        let mut flow_of = |id: &NodeId, flows: &mut Vec<FlowInfo>| -> usize {
            if let Some(&k) = flow_index.get(id) {
                return k;
            }
            flows.push(FlowInfo {
                id: id.clone(),
                name: None,
                unit: None,
                compartment: None,
            });
            flow_index.insert(id.clone(), flows.len() - 1);
            flows.len() - 1
        };
        // 3. entries
        let mut unproduced: Vec<String> = Vec::new();
        let mut ambiguous: Vec<String> = Vec::new();
        let row_of = |product: &NodeId, provider: Option<&NodeId>, field: &str, unproduced: &mut Vec<String>, ambiguous: &mut Vec<String>| -> Result<Option<usize>, TansoError> {
            if let Some(pv) = provider {
                return match activity_index.get(pv) {
                    Some(&k) => Ok(Some(k)),
                    None => Err(unknown(&format!("{field}.provider"), "activity", pv, activity_index.keys())),
                };
            }
            match product_index.get(product) {
                Some(&k) => Ok(Some(k)),
                None => {
                    if producers.contains_key(product) {
                        ambiguous.push(product.to_string());
                    } else {
                        unproduced.push(product.to_string());
                    }
                    Ok(None)
                }
            }
        };
        for (k, e) in spec.technosphere.iter().enumerate() {
            let field = format!("technosphere[{k}]");
            let col = *activity_index
                .get(&e.activity)
                .ok_or_else(|| unknown(&format!("{field}.activity"), "activity", &e.activity, activity_index.keys()))?;
            // the diagonal: an activity's own product is produced by itself
            let own = activities[col].product.clone().unwrap_or_else(|| activities[col].id.clone());
            let row = if own == e.product {
                Some(col)
            } else {
                row_of(&e.product, None, &field, &mut unproduced, &mut ambiguous)?
            };
            if let Some(row) = row {
                self.push_tech(row, col, e.amount, 1.0, e.uncertainty.as_ref(), e.formula.as_deref(), &field)?;
            }
        }
        for (k, e) in spec.biosphere.iter().enumerate() {
            let field = format!("biosphere[{k}]");
            let col = *activity_index
                .get(&e.activity)
                .ok_or_else(|| unknown(&format!("{field}.activity"), "activity", &e.activity, activity_index.keys()))?;
            let row = flow_of(&e.flow, &mut flows);
            self.push_bio(row, col, e.amount, e.uncertainty.as_ref(), e.formula.as_deref(), &field)?;
        }
        let first_process = spec.activities.len();
        for (pi, p) in spec.processes.iter().enumerate() {
            let col = first_process + pi;
            let mut produced = false;
            for (k, e) in p.exchanges.iter().enumerate() {
                let field = format!("processes['{}'].exchanges[{k}]", p.id);
                match e.kind {
                    ExchangeType::Production => {
                        if produced {
                            continue; // reported as multi-output above
                        }
                        produced = true;
                        self.push_tech(col, col, e.amount, 1.0, e.uncertainty.as_ref(), e.formula.as_deref(), &field)?;
                    }
                    ExchangeType::Technosphere => {
                        let product = e.product.as_ref().or(e.provider.as_ref()).ok_or_else(|| {
                            TansoError::from(LcaError::InvalidSetting {
                                field: format!("{field}.product"),
                                value: "missing".into(),
                                valid: "the id of the product consumed (or its provider)".into(),
                            })
                        })?;
                        if let Some(row) = row_of(product, e.provider.as_ref(), &field, &mut unproduced, &mut ambiguous)? {
                            self.push_tech(row, col, e.amount, -1.0, e.uncertainty.as_ref(), e.formula.as_deref(), &field)?;
                        }
                    }
                    ExchangeType::Biosphere => {
                        let flow = e.flow.as_ref().ok_or_else(|| {
                            TansoError::from(LcaError::InvalidSetting {
                                field: format!("{field}.flow"),
                                value: "missing".into(),
                                valid: "the id of the elementary flow".into(),
                            })
                        })?;
                        let row = flow_of(flow, &mut flows);
                        self.push_bio(row, col, e.amount, e.uncertainty.as_ref(), e.formula.as_deref(), &field)?;
                    }
                }
            }
        }
        unproduced.sort();
        unproduced.dedup();
        ambiguous.sort();
        ambiguous.dedup();
        if !unproduced.is_empty() || !multi_output.is_empty() || !ambiguous.is_empty() {
            let mut parts = Vec::new();
            if !unproduced.is_empty() {
                parts.push(format!("{} products are consumed but produced by no activity: {}", unproduced.len(), list(&unproduced)));
            }
            if !multi_output.is_empty() {
                parts.push(multi_output.join("; "));
            }
            if !ambiguous.is_empty() {
                let detail: Vec<String> = multi_provider
                    .iter()
                    .filter(|(p, _)| ambiguous.contains(&p.to_string()))
                    .map(|(p, acts)| {
                        format!(
                            "'{p}' is produced by {} (name the provider on the exchange)",
                            acts.iter().map(|&a| format!("'{}'", activities[a].id)).collect::<Vec<_>>().join(", ")
                        )
                    })
                    .collect();
                parts.push(detail.join("; "));
            }
            return Err(LcaError::NonSquareTechnosphere { detail: parts.join("; ") }.into());
        }
        // 4. methods
        let mut methods: Vec<Method> = Vec::with_capacity(spec.methods.len());
        for (mi, m) in spec.methods.iter().enumerate() {
            if methods.iter().any(|x| x.id == m.id) {
                return Err(LcaError::DuplicateId {
                    field: format!("methods[{mi}]"),
                    kind: "method".into(),
                    value: m.id.clone(),
                }
                .into());
            }
            let mut factors = Vec::new();
            let mut uncertain = Vec::new();
            let mut unmatched = 0;
            for (k, cf) in m.factors.iter().enumerate() {
                let field = format!("methods['{}'].factors[{k}]", m.id);
                finite(|| field.clone(), cf.factor)?;
                match flow_index.get(&cf.flow) {
                    Some(&f) => {
                        if let Some(d) = &cf.uncertainty {
                            d.validate(&field, cf.factor).map_err(|e| dist_error(&field, e))?;
                            uncertain.push((factors.len(), d.clone()));
                        }
                        factors.push((f, cf.factor));
                    }
                    None => unmatched += 1,
                }
            }
            for (what, v) in [("normalization", m.normalization), ("weighting", m.weighting)] {
                if let Some(v) = v {
                    if !v.is_finite() || (what == "normalization" && v == 0.0) {
                        return Err(LcaError::InvalidSetting {
                            field: format!("methods['{}'].{what}", m.id),
                            value: v.to_string(),
                            valid: "a finite, non-zero number".into(),
                        }
                        .into());
                    }
                }
            }
            methods.push(Method {
                id: m.id.clone(),
                name: m.name.clone(),
                unit: m.unit.clone(),
                factors,
                uncertain,
                unmatched,
                normalization: m.normalization,
                weighting: m.weighting,
            });
        }
        // 5. parameters and formulas
        let parameters = self.compile_parameters(spec, &activities)?;
        finish(
            activities,
            activity_index,
            product_index,
            flows,
            flow_index,
            &mut self.tech,
            &mut self.bio,
            methods,
            parameters,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn push_tech(&mut self, row: usize, col: usize, amount: f64, sign: f64, unc: Option<&Distribution>, formula: Option<&str>, field: &str) -> Result<(), TansoError> {
        push(&mut self.tech, row, col, amount, sign, unc, formula, field)
    }

    fn push_bio(&mut self, row: usize, col: usize, amount: f64, unc: Option<&Distribution>, formula: Option<&str>, field: &str) -> Result<(), TansoError> {
        push(&mut self.bio, row, col, amount, 1.0, unc, formula, field)
    }

    fn compile_parameters(&mut self, spec: &SystemSpec, activities: &[ActivityInfo]) -> Result<Option<Parameters>, TansoError> {
        if spec.parameters.is_empty() && self.tech.formulas.is_empty() && self.bio.formulas.is_empty() {
            return Ok(None);
        }
        let defs: Vec<ParameterDef> = spec
            .parameters
            .iter()
            .map(|p| ParameterDef {
                name: p.name.clone(),
                scope: match &p.process {
                    Some(id) => Scope::Process(id.to_string()),
                    None => Scope::Global,
                },
                value: p.value,
                formula: p.formula.clone(),
            })
            .collect();
        let opts = ParseOptions {
            case_insensitive: spec.case_insensitive_parameters,
        };
        let table = ParameterTable::new(&defs, &opts)?;
        let mut base = table.base_values();
        let mut uncertain = Vec::new();
        for p in &spec.parameters {
            if let Some(d) = &p.uncertainty {
                let scope = match &p.process {
                    Some(id) => Scope::Process(id.to_string()),
                    None => Scope::Global,
                };
                let field = format!("parameters['{}']", p.name);
                let slot = table.slot(&p.name, &scope).ok_or_else(|| {
                    TansoError::from(LcaError::InvalidSetting {
                        field: field.clone(),
                        value: "uncertainty on a formula parameter".into(),
                        valid: "uncertainty only on parameters with a value".into(),
                    })
                })?;
                d.validate(&field, p.value.unwrap_or(0.0)).map_err(|e| dist_error(&field, e))?;
                uncertain.push((slot, d.clone()));
            }
        }
        table.evaluate(&mut base)?;
        // evaluate the formulas of entries at the base values
        for entries in [&mut self.tech, &mut self.bio] {
            for (e, src, sign) in &entries.formulas {
                let scope = Scope::Process(activities[entries.cols[*e]].id.to_string());
                let f = table.compile(src, &scope)?;
                let v = f.eval(&base)?;
                entries.amounts[*e] = sign * v;
            }
        }
        let names = (0..table.len()).map(|s| table.name_of(s).map(|n| n.0.to_string()).unwrap_or_default()).collect();
        Ok(Some(Parameters {
            table,
            base,
            uncertain,
            names,
        }))
    }
}

#[allow(clippy::too_many_arguments)]
fn push(entries: &mut Entries, row: usize, col: usize, amount: f64, sign: f64, unc: Option<&Distribution>, formula: Option<&str>, field: &str) -> Result<(), TansoError> {
    finite(|| format!("{field}.amount"), amount)?;
    let k = entries.amounts.len();
    entries.rows.push(row);
    entries.cols.push(col);
    entries.amounts.push(sign * amount);
    if let Some(d) = unc {
        let field = format!("{field}.uncertainty");
        d.validate(&field, amount).map_err(|e| dist_error(&field, e))?;
        entries.uncertain.push((k, d.clone(), sign));
    }
    if let Some(src) = formula {
        entries.formulas.push((k, src.to_string(), sign));
    }
    Ok(())
}

fn dist_error(field: &str, e: impl fmt::Display) -> TansoError {
    LcaError::InvalidDistribution {
        field: field.to_string(),
        message: e.to_string(),
    }
    .into()
}
