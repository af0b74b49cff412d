//! Product carbon footprints from bills of materials, computed by the matrix LCA engine.
//!
//! A [`ProductInput`] (parts and sub-assemblies with materials, masses, forms and yields;
//! processes with electricity and direct emissions per gas; transport legs; suppliers with
//! their own PCF; co-products with an allocation rule; a recycling approach) is compiled into
//! [`crate::lca::system::ProcessRecord`]s — one activity per part, per material line, per
//! material route (blend components, form add-ons, smelter electricity), per process, per
//! transport leg, per end-of-life and credit line — and solved by [`crate::lca::calc::Lca`].
//! Every activity has exactly one consumer, so the direct contributions grouped by the tags of
//! the activities (stage, part, material line, class, supplier) sum exactly to the total, and
//! the engine's upstream totals (`λ_j A_jj x_j`) give each part's cradle-to-gate total and each
//! material line's total wherever it sits in the BOM — steel inside a purchased sub-assembly
//! counts as steel.
//!
//! **Share attribution.** Production emissions are the stages `raw_materials`, `production`
//! and `transport` (inbound); distribution, end of life and recycling credits are reported
//! but not in the denominator. The steel share is `Σ upstream(material lines of class steel) /
//! production`, the aluminium share likewise, and the rest is `100 − steel − aluminium`, so
//! the three sum to 100 % exactly (after rounding to 4 decimals). A supplier PCF is a black box
//! and counts in the rest.
//!
//! **Allocation** of a part's process with co-products: avoided by `subdivision` (the part's
//! data is that of the main output alone) or `substitution` (system expansion: the co-product
//! displaces a material, a negative input), else by `mass`, `economic` value or any `physical`
//! property. The part's inputs are scaled by its factor `v_main / Σ v`;
//! every output's factor is reported and they sum to one.
//!
//! **Recycling** (per material line; `R1` is the line's recycled content): the EU PEF Circular
//! Footprint Formula (Commission Recommendation (EU) 2021/2279, Annex IV, material part,
//! energy recovery R3 not modelled)
//! `(1−R1)·Ev + R1·(A·Erec + (1−A)·Ev·Qsin/Qp) + (1−A)·R2·(ErecEoL − E*v·Qsout/Qp) + (1−R2)·ED`,
//! where `Ev` is the primary route, `Erec` and `ErecEoL` the secondary route, `E*v = Ev`,
//! `ED` the user's disposal factor (0 when not given, and said so). `cut_off` (default) is the
//! CFF with `A = 1` and no EoL term (recycled content approach); `avoided_burden` is `A = 0`,
//! `Qs/Qp = 1` (the end-of-life / 100:0 approach); `cff` takes `A`, `R2`, `Qsin/Qp`,
//! `Qsout/Qp` from the document. `steel_scrap_credit` is cut-off plus the seeds' rule: −1.6 kg
//! CO2 and −0.35 kgce per kg of steel scrap used (R1 × gross steel mass; China Association of
//! Metal Scrap Utilization via seed 003), as a `recycling_credit` stage.
//!
//! **Rounding.** The engine computes in binary64; every reported kg CO2e is converted to
//! decimal (shortest round trip) and rounded half-even to 6 decimal places, shares to 4.
//!
//! ```
//! let doc = serde_json::json!({
//!   "product": {"id": "bracket", "declared_unit": "1 piece"},
//!   "parts": [{"id": "bracket", "quantity": 1, "materials": [
//!     {"material": "steel", "route": "bf_bof", "form": "crude", "mass_kg": 2}]}]});
//! let input: tanso::product::ProductInput = serde_json::from_value(doc).unwrap();
//! let out = tanso::product::footprint(&input).unwrap();
//! // 2 kg × 2.32 kg CO2/kg (worldsteel 2022 BF-BOF)
//! assert_eq!(out.total_kg_co2e.to_string(), "4.64");
//! assert_eq!(out.shares.steel_percent.to_string(), "100");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{ProductError, TansoError};
use crate::factors::{FactorRegistry, UserTable};
use crate::ghg::{Gas, GwpSet};
use crate::lca::calc::Lca;
use crate::lca::system::{Exchange, ExchangeType, LcaSystem, MethodSpec, CharacterizationFactor, NodeId, ProcessRecord, SystemSpec};
use crate::materials::{self, Library, MaterialQuery, Smelter};

// ---------------------------------------------------------------- input

/// A product system to footprint.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// The product and its declared or functional unit.
    pub product: ProductInfo,
    /// Default geography of materials and grids (`WORLD` if not given).
    #[serde(default = "world")]
    pub geography: String,
    /// Reference year (default 2022).
    #[serde(default = "default_year")]
    pub year: i32,
    /// GWP set (`AR6` default).
    #[serde(default)]
    pub gwp_set: Option<String>,
    /// The bill of materials: top-level parts (each with sub-parts).
    #[serde(default)]
    pub parts: Vec<Part>,
    /// Final assembly processes at the product's own site.
    #[serde(default)]
    pub processes: Vec<ProcessStep>,
    /// Distribution legs (gate to customer): makes the boundary beyond cradle-to-gate.
    #[serde(default)]
    pub distribution: Vec<TransportLeg>,
    /// Recycling approach (default cut-off).
    #[serde(default)]
    pub recycling: Recycling,
    /// Scenarios for the sensitivity output.
    #[serde(default)]
    pub sensitivity: Vec<Scenario>,
    /// Also sweep the recycled content of all steel and of all aluminium lines over 0, 0.25,
    /// 0.5, 0.75 and 1 (scenarios named `steel recycled content 0.5` …); a sweep the data
    /// cannot compute (no secondary row for the line's form and region) is skipped with a note.
    #[serde(default)]
    pub sensitivity_sweep: bool,
    /// User material tables.
    #[serde(default)]
    pub material_tables: Vec<UserTable>,
    /// Use unverified material rows that have one value (flagged).
    #[serde(default)]
    pub include_unverified: bool,
}

fn world() -> String {
    "WORLD".into()
}
fn default_year() -> i32 {
    2022
}
fn one() -> f64 {
    1.0
}

/// The product.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductInfo {
    /// Id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Declared unit (ISO 14067 §3.1.1.8), e.g. `1 piece`; default `1 piece`.
    #[serde(default)]
    pub declared_unit: Option<String>,
    /// Functional unit, where the study has one (ISO 14067 §3.1.1.7).
    #[serde(default)]
    pub functional_unit: Option<String>,
}

/// A part or sub-assembly of the BOM, per one unit of its parent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Id, unique in the BOM.
    pub id: String,
    /// Pieces per unit of the parent (default 1).
    #[serde(default = "one")]
    pub quantity: f64,
    /// Mass of one piece, kg (needed when a supplier PCF is per kg).
    #[serde(default)]
    pub mass_kg: Option<f64>,
    /// The supplier (a purchased component); sub-parts inherit it unless they name their own.
    #[serde(default)]
    pub supplier: Option<String>,
    /// The supplier's own PCF per declared unit: replaces the default data of this part
    /// (its materials, processes and sub-parts).
    #[serde(default)]
    pub supplier_pcf: Option<SupplierPcf>,
    /// Materials per piece.
    #[serde(default)]
    pub materials: Vec<MaterialLine>,
    /// Processes per piece (forming, machining, painting …).
    #[serde(default)]
    pub processes: Vec<ProcessStep>,
    /// Inbound transport legs per piece.
    #[serde(default)]
    pub transport: Vec<TransportLeg>,
    /// Sub-parts.
    #[serde(default)]
    pub parts: Vec<Part>,
    /// Co-products of making this part (a multi-output process).
    #[serde(default)]
    pub co_products: Vec<CoProduct>,
    /// How the part's burdens are shared with its co-products.
    #[serde(default)]
    pub allocation: Option<Allocation>,
}

/// A material of a part.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialLine {
    /// Id (default `<part>/<material>#<n>`).
    #[serde(default)]
    pub id: Option<String>,
    /// Material (see [`crate::materials`]).
    pub material: String,
    /// Route.
    #[serde(default)]
    pub route: Option<String>,
    /// Form.
    #[serde(default)]
    pub form: Option<String>,
    /// Geography (default: the product's).
    #[serde(default)]
    pub geography: Option<String>,
    /// Net mass in one piece, kg (or kWh for battery capacity factors).
    pub mass_kg: f64,
    /// Yield of the forming process (net / gross, in (0, 1]); gross = net / yield. Default 1.
    #[serde(default)]
    pub r#yield: Option<f64>,
    /// Recycled content R1 (0..=1): blends the primary and secondary route.
    #[serde(default, with = "crate::num::opt")]
    pub recycled_content: Option<Decimal>,
    /// Primary aluminium from the smelter's electricity and grid.
    #[serde(default)]
    pub smelter: Option<Smelter>,
    /// The user's own factor, kg CO2e per kg, with its source (replaces the library).
    #[serde(default)]
    pub kg_co2e_per_kg: Option<f64>,
    /// Source of `kg_co2e_per_kg`.
    #[serde(default)]
    pub source: Option<String>,
    /// End-of-life recycling rate R2 for this line (overrides the recycling settings).
    #[serde(default)]
    pub recycling_rate: Option<f64>,
}

/// A process step: electricity and direct emissions per piece.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessStep {
    /// Name.
    pub name: String,
    /// Electricity, kWh.
    #[serde(default)]
    pub electricity_kwh: f64,
    /// Grid factor, kg CO2e per kWh; default: the bundled `electricity.grid_average` of
    /// `grid_geography` (or the product's geography) for the product's year.
    #[serde(default)]
    pub grid_kg_co2e_per_kwh: Option<f64>,
    /// Grid geography.
    #[serde(default)]
    pub grid_geography: Option<String>,
    /// Fuels burnt, computed by the accounting calculator (IPCC 2006 / GB/T 2589 and NDRC
    /// factors with their provenance; the same record as `calculate`'s `fuel_combustion`).
    #[serde(default)]
    pub fuels: Vec<crate::accounting::FuelCombustion>,
    /// Direct emissions (process emissions, or fuel emissions computed elsewhere), kg of each gas.
    #[serde(default)]
    pub emissions: Vec<Emission>,
    /// Measured at the site (primary data); default true.
    #[serde(default)]
    pub primary: Option<bool>,
}

/// kg of one gas.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Emission {
    /// Gas (`CO2`, `CH4_fossil`, `N2O`, `SF6`, … or `CO2e` for an aggregated amount).
    pub gas: String,
    /// kg.
    pub kg: f64,
    /// `fossil` (default), `biogenic` or `dluc`.
    #[serde(default)]
    pub origin: Option<String>,
}

/// A transport leg.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransportLeg {
    /// Mode (`road`, `rail`, `sea`, `air`, …); `air` is reported as aircraft emissions.
    pub mode: String,
    /// Distance, km.
    pub distance_km: f64,
    /// Mass carried per piece, kg (default: the part's net material mass, or `mass_kg`).
    #[serde(default)]
    pub mass_kg: Option<f64>,
    /// kg CO2e per t·km — the user's (GLEC defaults are not bundled: their licence keeps
    /// them out, see data/README.md).
    pub kg_co2e_per_tkm: f64,
}

/// A co-product of a part's process.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoProduct {
    /// Id.
    pub id: String,
    /// Mass per piece of the main product, kg.
    #[serde(default)]
    pub mass_kg: Option<f64>,
    /// Economic value per piece of the main product.
    #[serde(default)]
    pub economic_value: Option<f64>,
    /// Other physical properties (energy content, volume …).
    #[serde(default)]
    pub properties: BTreeMap<String, f64>,
    /// For substitution: the material it displaces, per piece of the main product.
    #[serde(default)]
    pub displaces: Option<MaterialLine>,
}

/// An allocation rule of a multi-output process.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    /// `mass`, `economic`, `physical`, `substitution` (co-products displace materials) or
    /// `subdivision` (ISO 14044 §4.3.4.2 step 1: the data given for the part is already that of
    /// the main output alone).
    pub method: String,
    /// For `physical`: the property.
    #[serde(default)]
    pub property: Option<String>,
    /// The main product's mass per piece, kg (default: its net material mass).
    #[serde(default)]
    pub mass_kg: Option<f64>,
    /// The main product's economic value per piece.
    #[serde(default)]
    pub economic_value: Option<f64>,
    /// The main product's properties.
    #[serde(default)]
    pub properties: BTreeMap<String, f64>,
}

/// The recycling approach.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recycling {
    /// `cut_off` (default), `avoided_burden`, `cff` or `steel_scrap_credit`.
    #[serde(default)]
    pub approach: Option<String>,
    /// CFF: allocation factor A of burdens and credits between supplier and user of recycled
    /// material (PEF Annex C gives it per material; the document must).
    #[serde(default)]
    pub a: Option<f64>,
    /// End-of-life recycling rate R2 by material or class (e.g. `{"steel": 0.85}`).
    #[serde(default)]
    pub r2: BTreeMap<String, f64>,
    /// Quality ratio of the recycled input to the primary material (default 1, stated).
    #[serde(default)]
    pub qs_in_qp: Option<f64>,
    /// Quality ratio of the recycled output to the primary material (default 1, stated).
    #[serde(default)]
    pub qs_out_qp: Option<f64>,
    /// Disposal ED, kg CO2e per kg not recycled (default: not modelled, stated).
    #[serde(default)]
    pub disposal_kg_co2e_per_kg: Option<f64>,
}

/// A supplier's PCF per declared unit, as a PACT importer fills it (kg CO2e; decimals).
///
/// How a PACT v2 ProductFootprint fills it (the exchange module owns the import and the v3
/// names): `total_kg_co2e` ← `pCfIncludingBiogenic`; `fossil_kg_co2e` ← `fossilGhgEmissions`
/// (incl. aircraft); `biogenic_kg_co2e` ← `landManagementGhgEmissions` +
/// `otherBiogenicGhgEmissions` + `biogenicCarbonWithdrawal` (a negative number);
/// `dluc_kg_co2e` ← `dLucGhgEmissions`; `aircraft_kg_co2e` ← `aircraftGhgEmissions`;
/// `primary_data_share` ← `primaryDataShare`; `dqr` ← `dqi`; `declared_unit` ←
/// `declaredUnit` (`kilogram` → `kg`, per one `unitaryProductAmount`: divide by it first).
/// Validation: fossil + biogenic + dLUC = total (exact decimals), 0 ≤ aircraft ≤ fossil,
/// share 0..=100, ratings 1..=3.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplierPcf {
    /// PACT footprint id, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Declared unit: `piece` (default) or `kg`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_unit: Option<String>,
    /// Total, kg CO2e per declared unit (fossil + biogenic + dLUC).
    #[serde(with = "crate::num")]
    pub total_kg_co2e: Decimal,
    /// Fossil (incl. aircraft), kg CO2e per declared unit; default total − biogenic − dLUC.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub fossil_kg_co2e: Option<Decimal>,
    /// Net biogenic, kg CO2e per declared unit (default 0).
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub biogenic_kg_co2e: Option<Decimal>,
    /// Direct land-use change, kg CO2e per declared unit (default 0).
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub dluc_kg_co2e: Option<Decimal>,
    /// Aircraft emissions (part of fossil), kg CO2e per declared unit (default 0).
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub aircraft_kg_co2e: Option<Decimal>,
    /// Primary-data share, percent (0..=100).
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub primary_data_share: Option<Decimal>,
    /// Data quality ratings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dqr: Option<Dqr>,
}

/// The PACT data quality indicators (each rating 1 = good … 3 = poor; coverage in percent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dqr {
    /// Coverage, percent.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub coverage_percent: Option<Decimal>,
    /// Technological representativeness, 1..=3.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub technological: Option<Decimal>,
    /// Temporal representativeness, 1..=3.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub temporal: Option<Decimal>,
    /// Geographical representativeness, 1..=3.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub geographical: Option<Decimal>,
    /// Completeness, 1..=3.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub completeness: Option<Decimal>,
    /// Reliability, 1..=3.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Decimal>,
}

/// A sensitivity scenario: changes to material lines, by line id, material or class.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// Changes.
    pub changes: Vec<Change>,
}

/// A change of a sensitivity scenario.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// Which lines: a line id, a material or a class (`steel`, `aluminium`).
    pub target: String,
    /// New recycled content.
    #[serde(default, with = "crate::num::opt")]
    pub recycled_content: Option<Decimal>,
    /// New route (clears recycled content unless given).
    #[serde(default)]
    pub route: Option<String>,
    /// New smelter.
    #[serde(default)]
    pub smelter: Option<Smelter>,
}

// ---------------------------------------------------------------- output

/// The footprint of a product.
#[derive(Debug, Clone, Serialize)]
pub struct Footprint {
    /// kg CO2e per declared unit: fossil + biogenic + dLUC, incl. credits.
    #[serde(with = "crate::num")]
    pub total_kg_co2e: Decimal,
    /// Production (cradle-to-gate) emissions: raw materials, production and inbound transport.
    #[serde(with = "crate::num")]
    pub production_kg_co2e: Decimal,
    /// Fossil (incl. aircraft), biogenic, dLUC and aircraft apart.
    pub by_origin: BTreeMap<String, Dec>,
    /// By life-cycle stage.
    pub by_stage: BTreeMap<String, Dec>,
    /// By part: `direct` (its own materials, processes, transport) and `total` (incl. its
    /// sub-parts, per declared unit of the product).
    pub by_part: Vec<PartResult>,
    /// By material (the material name), incl. each line's routes and end of life.
    pub by_material: BTreeMap<String, Dec>,
    /// By material line.
    pub by_material_line: Vec<LineResult>,
    /// By supplier (`own` for parts without one).
    pub by_supplier: BTreeMap<String, Dec>,
    /// By gas: kg of the gas and kg CO2e (`CO2e` for aggregated factors).
    pub by_gas: Vec<GasResult>,
    /// Steel / aluminium / rest shares of production emissions.
    pub shares: Shares,
    /// Allocation per multi-output process.
    pub allocation: Vec<AllocationResult>,
    /// Sensitivity scenarios.
    pub sensitivity: Vec<ScenarioResult>,
    /// The seeds' scrap rule: kgce of standard coal avoided (steel_scrap_credit only).
    #[serde(with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub scrap_kgce_avoided: Option<Decimal>,
    /// ISO 14067 / GB/T 24067-2024 report fields.
    pub report: Report,
}

/// A decimal (kg CO2e, or percent) serialized as a string.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dec(#[serde(with = "crate::num")] pub Decimal);

/// One part's result.
#[derive(Debug, Clone, Serialize)]
pub struct PartResult {
    /// Part id.
    pub part: String,
    /// Its supplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// Its own materials, processes, transport (or its supplier PCF), kg CO2e per declared unit.
    #[serde(with = "crate::num")]
    pub direct_kg_co2e: Decimal,
    /// Incl. sub-parts (the engine's upstream total of the part).
    #[serde(with = "crate::num")]
    pub total_kg_co2e: Decimal,
    /// Data used: `bom` or `supplier_pcf`.
    pub data: String,
}

/// One material line's result.
#[derive(Debug, Clone, Serialize)]
pub struct LineResult {
    /// Line id.
    pub id: String,
    /// Part.
    pub part: String,
    /// Material.
    pub material: String,
    /// Class.
    pub class: String,
    /// kg per declared unit (gross, incl. yield losses).
    #[serde(with = "crate::num")]
    pub gross_kg: Decimal,
    /// kg CO2e per kg of the resolved factor (before recycling approach terms).
    #[serde(with = "crate::num")]
    pub factor_kg_co2e_per_kg: Decimal,
    /// Production (material acquisition) kg CO2e per declared unit.
    #[serde(with = "crate::num")]
    pub production_kg_co2e: Decimal,
    /// End-of-life and credit terms, kg CO2e per declared unit.
    #[serde(with = "crate::num")]
    pub end_of_life_kg_co2e: Decimal,
    /// The resolved factor with its rows, fallbacks and sources.
    pub factor: materials::Resolved,
}

/// One gas.
#[derive(Debug, Clone, Serialize)]
pub struct GasResult {
    /// Origin: fossil, biogenic, dluc, aircraft.
    pub origin: String,
    /// Gas id or `CO2e`.
    pub gas: String,
    /// kg of the gas.
    #[serde(with = "crate::num")]
    pub kg: Decimal,
    /// kg CO2e.
    #[serde(with = "crate::num")]
    pub kg_co2e: Decimal,
}

/// Steel / aluminium / rest shares of production emissions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shares {
    /// Steel, kg CO2e.
    #[serde(with = "crate::num")]
    pub steel_kg_co2e: Decimal,
    /// Aluminium, kg CO2e.
    #[serde(with = "crate::num")]
    pub aluminium_kg_co2e: Decimal,
    /// Everything else, kg CO2e.
    #[serde(with = "crate::num")]
    pub rest_kg_co2e: Decimal,
    /// Steel, percent of production.
    #[serde(with = "crate::num")]
    pub steel_percent: Decimal,
    /// Aluminium, percent.
    #[serde(with = "crate::num")]
    pub aluminium_percent: Decimal,
    /// Rest, percent (100 − steel − aluminium).
    #[serde(with = "crate::num")]
    pub rest_percent: Decimal,
}

/// The allocation of one multi-output process.
#[derive(Debug, Clone, Serialize)]
pub struct AllocationResult {
    /// The part.
    pub process: String,
    /// The rule.
    pub method: String,
    /// Output → factor (sum to one; substitution gives the main product 1).
    pub factors: BTreeMap<String, f64>,
}

/// A sensitivity scenario's result.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    /// Name (`base` first).
    pub name: String,
    /// Total.
    #[serde(with = "crate::num")]
    pub total_kg_co2e: Decimal,
    /// Production.
    #[serde(with = "crate::num")]
    pub production_kg_co2e: Decimal,
    /// Shares.
    pub shares: Shares,
}

/// ISO 14067:2018 / GB/T 24067-2024 report fields.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Product id.
    pub product: String,
    /// Declared unit.
    pub declared_unit: String,
    /// Functional unit, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub functional_unit: Option<String>,
    /// `cradle-to-gate` or `cradle-to-gate + distribution + end of life` as modelled.
    pub system_boundary: String,
    /// Partial CFP (cradle-to-gate).
    pub cradle_to_gate: bool,
    /// Geography and year of the data.
    pub geography: String,
    /// Reference year.
    pub year: i32,
    /// GWP set.
    pub gwp_set: String,
    /// Fossil (excl. aircraft), kg CO2e.
    #[serde(with = "crate::num")]
    pub fossil_kg_co2e: Decimal,
    /// Biogenic, kg CO2e.
    #[serde(with = "crate::num")]
    pub biogenic_kg_co2e: Decimal,
    /// dLUC, kg CO2e.
    #[serde(with = "crate::num")]
    pub dluc_kg_co2e: Decimal,
    /// Aircraft, kg CO2e.
    #[serde(with = "crate::num")]
    pub aircraft_kg_co2e: Decimal,
    /// Total excluding biogenic (PACT pCfExcludingBiogenic: fossil + aircraft + dLUC).
    #[serde(with = "crate::num")]
    pub total_excluding_biogenic_kg_co2e: Decimal,
    /// Allocation rules used, per process (`none` when no process is multi-output).
    pub allocation: Vec<String>,
    /// Recycling approach and its parameters.
    pub recycling: String,
    /// Emission-weighted PACT DQR of the data that has one, and its coverage.
    pub dqr: Dqr,
    /// Primary-data share of production emissions, percent.
    #[serde(with = "crate::num")]
    pub primary_data_share: Decimal,
    /// Assumptions, exclusions and data gaps.
    pub notes: Vec<String>,
    /// The standards these fields follow.
    pub standards: Vec<String>,
}

// ---------------------------------------------------------------- compile

const ORIGINS: [&str; 4] = ["fossil", "biogenic", "dluc", "aircraft"];
const PRODUCTION_STAGES: [&str; 3] = ["raw_materials", "production", "transport"];

#[derive(Debug, Clone, Default)]
struct Tags {
    stage: &'static str,
    part: Option<String>,
    line: Option<usize>,
    supplier: Option<String>,
    primary: f64,
    dqr: Option<Dqr>,
}

struct Builder<'a> {
    input: &'a ProductInput,
    lib: Library,
    grid: FactorRegistry,
    set: GwpSet,
    records: Vec<ProcessRecord>,
    tags: Vec<Tags>,
    flows: BTreeSet<String>,
    lines: Vec<(String, String, materials::Resolved, f64, String)>,
    allocation: Vec<AllocationResult>,
    part_ids: BTreeSet<String>,
    parts: Vec<(String, Option<String>, bool)>,
    notes: BTreeSet<String>,
    approach: String,
}

fn bom(field: &str, value: impl ToString, expected: &str) -> TansoError {
    ProductError::InvalidBom { field: field.into(), value: value.to_string(), expected: expected.into() }.into()
}

fn finite_nonneg(x: f64, field: &str) -> Result<f64, TansoError> {
    if !x.is_finite() || x < 0.0 {
        return Err(bom(field, x, "a finite number ≥ 0"));
    }
    Ok(x)
}

fn to_f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn bio(flow: String, amount: f64) -> Exchange {
    Exchange { kind: ExchangeType::Biosphere, product: None, provider: None, flow: Some(NodeId::Text(flow)), amount, uncertainty: None, formula: None }
}
fn tech(product: &str, amount: f64) -> Exchange {
    Exchange { kind: ExchangeType::Technosphere, product: Some(NodeId::Text(product.into())), provider: None, flow: None, amount, uncertainty: None, formula: None }
}
fn prod(product: &str) -> Exchange {
    Exchange { kind: ExchangeType::Production, product: Some(NodeId::Text(product.into())), provider: None, flow: None, amount: 1.0, uncertainty: None, formula: None }
}

impl<'a> Builder<'a> {
    fn add(&mut self, id: String, mut exchanges: Vec<Exchange>, tags: Tags) -> String {
        for e in &exchanges {
            if let Some(NodeId::Text(f)) = &e.flow {
                self.flows.insert(f.clone());
            }
        }
        exchanges.insert(0, prod(&id));
        self.records.push(ProcessRecord { id: NodeId::Text(id.clone()), name: None, unit: None, location: None, exchanges });
        self.tags.push(tags);
        id
    }

    fn grid_factor(&mut self, p: &ProcessStep, field: &str) -> Result<f64, TansoError> {
        if let Some(g) = p.grid_kg_co2e_per_kwh {
            return finite_nonneg(g, &format!("{field}.grid_kg_co2e_per_kwh"));
        }
        let geo = p.grid_geography.clone().unwrap_or_else(|| self.input.geography.clone());
        let geo = if geo.eq_ignore_ascii_case("WORLD") { "CN".to_string() } else { geo };
        let m = self.grid.lookup("electricity.grid_average", &geo, self.input.year).map_err(|e| {
            TansoError::from(e)
        })?;
        let v = match m.factor.co2e {
            Some(v) => v,
            None => m.factor.gases.co2e(self.set)?,
        };
        self.notes.insert(format!(
            "{field}: grid {} = {} kg CO2e/kWh ({} {}){}",
            m.factor.id,
            v,
            m.factor.provenance.publisher,
            m.factor.provenance.document,
            m.fallback.as_ref().map(|f| format!(", fallback from {}/{}", f.requested_geography, f.requested_year)).unwrap_or_default()
        ));
        Ok(to_f(v))
    }

    fn process(&mut self, p: &ProcessStep, owner: &str, field: &str, tags: &Tags) -> Result<(String, f64), TansoError> {
        let mut ex = Vec::new();
        let primary = if p.primary.unwrap_or(true) { 1.0 } else { 0.0 };
        let kwh = finite_nonneg(p.electricity_kwh, &format!("{field}.electricity_kwh"))?;
        if kwh > 0.0 {
            let g = self.grid_factor(p, field)?;
            let gid = self.add(format!("grid:{owner}:{field}:{}", p.name), vec![bio("fossil:CO2e".into(), g)], Tags { stage: "production", primary, ..tags.clone() });
            ex.push(tech(&gid, kwh));
        }
        for (k, fc) in p.fuels.iter().enumerate() {
            let record = crate::accounting::ActivityRecord {
                id: format!("{field}.fuels[{k}]"),
                site: None,
                year: Some(self.input.year),
                description: String::new(),
                scope3_category: None,
                activity: crate::accounting::Activity::FuelCombustion(fc.clone()),
            };
            let settings = crate::accounting::Settings { gwp_set: self.set, ..Default::default() };
            let ctx = crate::accounting::Context { registry: &self.grid, settings: &settings, year: Some(self.input.year), geography: Some(self.input.geography.clone()) };
            let r = crate::accounting::calculate(&record, &ctx, Decimal::ONE)?;
            for (g, kg) in &r.gases.0 {
                let origin = if matches!(g, Gas::Co2Biogenic | Gas::Ch4NonFossil) { "biogenic" } else { "fossil" };
                ex.push(bio(format!("{origin}:{}", g.id()), to_f(*kg)));
            }
            if !r.co2e_from_factors_kg.is_zero() {
                ex.push(bio("fossil:CO2e".into(), to_f(r.co2e_from_factors_kg)));
            }
            self.notes.insert(format!("{field}.fuels[{k}]: {} — {}", fc.fuel, r.trail.iter().map(|t| t.step.as_str()).collect::<Vec<_>>().join("; ")));
        }
        for (k, e) in p.emissions.iter().enumerate() {
            let f = format!("{field}.emissions[{k}]");
            if !e.kg.is_finite() {
                return Err(bom(&format!("{f}.kg"), e.kg, "a finite number"));
            }
            let origin = e.origin.clone().unwrap_or_else(|| "fossil".into());
            if !["fossil", "biogenic", "dluc"].contains(&origin.as_str()) {
                return Err(bom(&format!("{f}.origin"), origin, "fossil, biogenic or dluc"));
            }
            let gas = if e.gas.eq_ignore_ascii_case("CO2e") { "CO2e".to_string() } else { Gas::parse(&e.gas, &format!("{f}.gas"))?.id().to_string() };
            ex.push(bio(format!("{origin}:{gas}"), e.kg));
        }
        let id = self.add(format!("process:{owner}:{field}:{}", p.name), ex, Tags { stage: "production", primary, ..tags.clone() });
        Ok((id, 1.0))
    }

    fn leg(&mut self, l: &TransportLeg, default_mass: f64, stage: &'static str, field: &str, tags: &Tags) -> Result<String, TansoError> {
        let d = finite_nonneg(l.distance_km, &format!("{field}.distance_km"))?;
        let m = finite_nonneg(l.mass_kg.unwrap_or(default_mass), &format!("{field}.mass_kg"))?;
        let f = finite_nonneg(l.kg_co2e_per_tkm, &format!("{field}.kg_co2e_per_tkm"))?;
        let origin = if l.mode.eq_ignore_ascii_case("air") { "aircraft" } else { "fossil" };
        Ok(self.add(format!("transport:{field}:{}", l.mode), vec![bio(format!("{origin}:CO2e"), d * m / 1000.0 * f)], Tags { stage, ..tags.clone() }))
    }

    fn resolve_line(&mut self, m: &MaterialLine, field: &str) -> Result<materials::Resolved, TansoError> {
        if let Some(v) = m.kg_co2e_per_kg {
            let v = finite_nonneg(v, &format!("{field}.kg_co2e_per_kg"))?;
            let d = crate::num::decimal_from_f64(v, &format!("{field}.kg_co2e_per_kg"))?;
            return Ok(materials::Resolved {
                material: m.material.to_lowercase(),
                class: materials::default_class(&m.material.to_lowercase()).to_string(),
                route: m.route.clone().unwrap_or_else(|| "user".into()),
                form: m.form.clone().unwrap_or_default(),
                unit: "kg".into(),
                kg_co2e_per_unit: d,
                basis: "CO2e".into(),
                components: vec![materials::Component { id: "user factor".into(), weight: Decimal::ONE, kg_co2e_per_unit: d, source: m.source.clone().unwrap_or_else(|| "user".into()), role: "route".into() }],
                fallbacks: vec![],
                unverified: false,
            });
        }
        let q = MaterialQuery {
            material: m.material.clone(),
            route: m.route.clone(),
            form: m.form.clone(),
            geography: m.geography.clone().unwrap_or_else(|| self.input.geography.clone()),
            year: self.input.year,
            recycled_content: m.recycled_content,
            smelter: m.smelter.clone(),
        };
        self.lib.resolve_with(&q, field, Some(&self.grid))
    }

    /// Material line: a node consuming its route components; EoL / credit nodes beside it.
    /// Returns the (node, amount per piece) inputs the part consumes.
    fn material(&mut self, m: &MaterialLine, part: &str, k: usize, field: &str, tags: &Tags, scale_alloc: f64) -> Result<Vec<(String, f64)>, TansoError> {
        let net = finite_nonneg(m.mass_kg, &format!("{field}.mass_kg"))?;
        let y = m.r#yield.unwrap_or(1.0);
        if !(y > 0.0 && y <= 1.0) {
            return Err(bom(&format!("{field}.yield"), y, "a yield in (0, 1]: net mass / gross mass"));
        }
        let gross = net / y;
        let r = self.resolve_line(m, field)?;
        let line_id = m.id.clone().unwrap_or_else(|| format!("{part}/{}#{k}", r.material));
        if self.lines.iter().any(|l| l.0 == line_id) {
            return Err(bom(&format!("{field}.id"), &line_id, "a material line id unique in the BOM"));
        }
        let li = self.lines.len();
        let ltags = Tags { stage: "raw_materials", line: Some(li), ..tags.clone() };
        let r1 = m.recycled_content.map(to_f).unwrap_or(0.0);
        let blend = r.route == "blend";
        let rc = &self.input.recycling;
        let approach = self.approach.clone();
        let (a, qin, qout) = match approach.as_str() {
            "cut_off" | "steel_scrap_credit" => (1.0, 1.0, 1.0),
            "avoided_burden" => (0.0, 1.0, 1.0),
            _ => (
                rc.a.ok_or_else(|| TansoError::from(ProductError::RecyclingParameterMissing {
                    field: "recycling.a".into(),
                    approach: "cff".into(),
                    parameter: "A".into(),
                    expected: "A in [0.2, 0.8] as PEF Annex C gives it for the material (0.2 metals, 0.5 plastics …); give it in the document".into(),
                }))?,
                rc.qs_in_qp.unwrap_or(1.0),
                rc.qs_out_qp.unwrap_or(1.0),
            ),
        };
        // Production: component weights. For a blend the first half of the components are the
        // primary route (weight 1 − R1), the rest the secondary (weight R1).
        let mut ex = Vec::new();
        let mut ev = 0.0;
        let mut erec = 0.0;
        for (c_i, c) in r.components.iter().enumerate() {
            let w = to_f(c.weight);
            let per = to_f(c.kg_co2e_per_unit);
            let secondary = c.role == "secondary";
            let w_used = if blend && a < 1.0 {
                if secondary {
                    erec += per;
                    r1 * a
                } else {
                    ev += per;
                    (1.0 - r1) + r1 * (1.0 - a) * qin
                }
            } else {
                if secondary { erec += per } else { ev += per }
                w
            };
            let basis = if r.basis == "CO2" { "CO2" } else { "CO2e" };
            let cid = self.add(format!("route:{line_id}:{c_i}:{}", c.id), vec![bio(format!("fossil:{basis}"), per)], ltags.clone());
            ex.push(tech(&cid, w_used));
        }
        let node = self.add(format!("material:{line_id}"), ex, ltags.clone());
        let mut inputs = vec![(node, gross * scale_alloc)];
        if !blend && a < 1.0 {
            ev = to_f(r.kg_co2e_per_unit);
            let sec = match r.class.as_str() {
                materials::STEEL => Some("scrap_eaf"),
                materials::ALUMINIUM => Some("secondary"),
                _ => None,
            };
            if let (Some(sec), None) = (sec, m.kg_co2e_per_kg) {
                let q = MaterialQuery { material: r.material.clone(), route: Some(sec.into()), form: Some(r.form.clone()), geography: m.geography.clone().unwrap_or_else(|| self.input.geography.clone()), year: self.input.year, ..Default::default() };
                match self.lib.resolve(&q, field) {
                    Ok(s) => erec = to_f(s.kg_co2e_per_unit),
                    Err(e) => {
                        self.notes.insert(format!("{field}: ErecEoL: {e}"));
                    }
                }
            }
        }
        // End of life (A < 1): (1 − A)·R2·(ErecEoL − E*v·Qsout/Qp) + (1 − R2)·ED, per kg in the product.
        if approach == "avoided_burden" || approach == "cff" {
            let r2 = m
                .recycling_rate
                .or_else(|| rc.r2.get(&r.material).or_else(|| rc.r2.get(&r.class)).copied())
                .ok_or_else(|| TansoError::from(ProductError::RecyclingParameterMissing {
                    field: format!("recycling.r2.{}", r.material),
                    approach: approach.clone(),
                    parameter: "R2".into(),
                    expected: format!("the end-of-life recycling rate of {} (0..=1), in recycling.r2 or the line's recycling_rate", r.material),
                }))?;
            if !(0.0..=1.0).contains(&r2) {
                return Err(bom(&format!("recycling.r2.{}", r.material), r2, "a rate from 0 to 1"));
            }
            if erec == 0.0 && !blend {
                self.notes.insert(format!("{line_id}: no secondary route for {} in the library; ErecEoL taken as 0", r.material));
            }
            let ed = rc.disposal_kg_co2e_per_kg.unwrap_or(0.0);
            let eol = (1.0 - a) * r2 * (erec - ev * qout) + (1.0 - r2) * ed;
            let eid = self.add(format!("eol:{line_id}"), vec![bio("fossil:CO2e".into(), eol)], Tags { stage: "end_of_life", ..ltags.clone() });
            inputs.push((eid, net));
        }
        if approach == "steel_scrap_credit" && r.class == materials::STEEL && r1 > 0.0 {
            let scrap = r1 * gross;
            let cid = self.add(
                format!("scrap_credit:{line_id}"),
                vec![bio("fossil:CO2".into(), -to_f(materials::SCRAP_CREDIT_KG_CO2_PER_KG))],
                Tags { stage: "recycling_credit", ..ltags.clone() },
            );
            inputs.push((cid, scrap));
        }
        self.lines.push((line_id, part.to_string(), r, gross, field.to_string()));
        Ok(inputs)
    }

    fn part(&mut self, p: &Part, field: &str, parent_supplier: Option<&String>) -> Result<String, TansoError> {
        if p.id.is_empty() || !self.part_ids.insert(p.id.clone()) {
            return Err(bom(&format!("{field}.id"), &p.id, "a non-empty id, unique in the BOM"));
        }
        let q = p.quantity;
        if !(q.is_finite() && q > 0.0) {
            return Err(bom(&format!("{field}.quantity"), q, "a finite number > 0 of pieces per parent"));
        }
        let supplier = p.supplier.clone().or_else(|| parent_supplier.cloned());
        let tags = Tags { stage: "production", part: Some(p.id.clone()), supplier: supplier.clone(), ..Default::default() };
        let node_id = format!("part:{}", p.id);
        if let Some(pcf) = &p.supplier_pcf {
            let per = match pcf.declared_unit.as_deref().unwrap_or("piece") {
                "piece" | "pieces" | "unit" => 1.0,
                "kg" => p.mass_kg.ok_or_else(|| bom(&format!("{field}.mass_kg"), "missing", "the part's mass, kg: the supplier PCF is per kg"))?,
                other => {
                    return Err(ProductError::InvalidSupplierPcf { field: format!("{field}.supplier_pcf.declared_unit"), value: other.into(), expected: "piece or kg".into() }.into())
                }
            };
            let v = validate_pcf(pcf, &format!("{field}.supplier_pcf"))?;
            let share = pcf.primary_data_share.map(to_f).unwrap_or(0.0) / 100.0;
            let ex = vec![
                bio("fossil:CO2e".into(), to_f(v.0 - v.1 - v.2 - v.3) * per),
                bio("aircraft:CO2e".into(), to_f(v.3) * per),
                bio("biogenic:CO2e".into(), to_f(v.1) * per),
                bio("dluc:CO2e".into(), to_f(v.2) * per),
            ];
            if !p.materials.is_empty() || !p.parts.is_empty() || !p.processes.is_empty() {
                self.notes.insert(format!("{field}: the supplier PCF replaces the part's default materials, processes and sub-parts"));
            }
            self.parts.push((p.id.clone(), supplier.clone(), true));
            return Ok(self.add(node_id, ex, Tags { stage: "raw_materials", primary: share, dqr: pcf.dqr.clone(), ..tags }));
        }
        self.parts.push((p.id.clone(), supplier.clone(), false));
        // Allocation factor of this part's process.
        let net_mass: f64 = p.materials.iter().map(|m| m.mass_kg).sum();
        let alloc = self.allocate(p, field, net_mass)?;
        let mut ex = Vec::new();
        for (k, m) in p.materials.iter().enumerate() {
            for (id, amt) in self.material(m, &p.id, k, &format!("{field}.materials[{k}]"), &tags, alloc)? {
                ex.push(tech(&id, amt));
            }
        }
        for (k, s) in p.processes.iter().enumerate() {
            let (id, a) = self.process(s, &p.id, &format!("{field}.processes[{k}]"), &tags)?;
            ex.push(tech(&id, a * alloc));
        }
        let mass = part_mass(p);
        for (k, l) in p.transport.iter().enumerate() {
            let id = self.leg(l, mass, "transport", &format!("{field}.transport[{k}]"), &tags)?;
            ex.push(tech(&id, 1.0));
        }
        for (k, c) in p.parts.iter().enumerate() {
            let id = self.part(c, &format!("{field}.parts[{k}]"), supplier.as_ref())?;
            ex.push(tech(&id, c.quantity * alloc));
        }
        // Substitution: each co-product displaces a material (a negative input).
        if p.allocation.as_ref().is_some_and(|a| a.method == "substitution") {
            for (k, c) in p.co_products.iter().enumerate() {
                let f = format!("{field}.co_products[{k}]");
                let d = c.displaces.as_ref().ok_or_else(|| TansoError::from(ProductError::InvalidAllocation {
                    field: format!("{f}.displaces"),
                    process: p.id.clone(),
                    detail: format!("co-product '{}' has no displaced material; substitution needs one", c.id),
                }))?;
                let r = self.resolve_line(d, &format!("{f}.displaces"))?;
                let sid = self.add(
                    format!("substitution:{}:{}", p.id, c.id),
                    vec![bio(format!("fossil:{}", if r.basis == "CO2" { "CO2" } else { "CO2e" }), -to_f(r.kg_co2e_per_unit))],
                    Tags { stage: "production", ..tags.clone() },
                );
                ex.push(tech(&sid, finite_nonneg(d.mass_kg, &format!("{f}.displaces.mass_kg"))?));
                self.notes.insert(format!("{}: co-product {} displaces {} kg {} ({})", p.id, c.id, d.mass_kg, r.material, r.components.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(" + ")));
            }
        }
        Ok(self.add(node_id, ex, tags))
    }

    fn allocate(&mut self, p: &Part, field: &str, net_mass: f64) -> Result<f64, TansoError> {
        let Some(a) = &p.allocation else {
            if !p.co_products.is_empty() {
                return Err(ProductError::InvalidAllocation {
                    field: format!("{field}.allocation"),
                    process: p.id.clone(),
                    detail: "co-products given without an allocation rule; valid: mass, economic, physical (with property), substitution, subdivision".into(),
                }
                .into());
            }
            return Ok(1.0);
        };
        let err = |detail: String| -> TansoError { ProductError::InvalidAllocation { field: format!("{field}.allocation"), process: p.id.clone(), detail }.into() };
        if p.co_products.is_empty() {
            return Err(err("an allocation rule without co-products".into()));
        }
        if a.method == "substitution" || a.method == "subdivision" {
            let mut factors = BTreeMap::new();
            factors.insert(p.id.clone(), 1.0);
            let method = if a.method == "subdivision" {
                "subdivision (the part's materials and processes are those of this output only; co-products carry none)"
            } else {
                "substitution (system expansion)"
            };
            self.allocation.push(AllocationResult { process: p.id.clone(), method: method.into(), factors });
            return Ok(1.0);
        }
        let value = |mass: Option<f64>, econ: Option<f64>, props: &BTreeMap<String, f64>, who: &str| -> Result<f64, TansoError> {
            let v = match a.method.as_str() {
                "mass" => mass,
                "economic" => econ,
                "physical" => {
                    let prop = a.property.as_ref().ok_or_else(|| err("physical allocation needs 'property'".into()))?;
                    props.get(prop).copied()
                }
                other => return Err(err(format!("unknown method '{other}'; valid: mass, economic, physical, substitution, subdivision"))),
            };
            let v = v.ok_or_else(|| err(format!("'{who}' has no {} value", a.property.as_deref().unwrap_or(&a.method))))?;
            if !v.is_finite() || v < 0.0 {
                return Err(err(format!("'{who}' has {} value {v}; expected a finite number ≥ 0", a.method)));
            }
            Ok(v)
        };
        let main = value(a.mass_kg.or(Some(net_mass)), a.economic_value, &a.properties, &p.id)?;
        let mut vals = vec![(p.id.clone(), main)];
        for c in &p.co_products {
            vals.push((c.id.clone(), value(c.mass_kg, c.economic_value, &c.properties, &c.id)?));
        }
        let total: f64 = vals.iter().map(|v| v.1).sum();
        if total <= 0.0 {
            return Err(err(format!("the {} values sum to {total}; expected > 0", a.method)));
        }
        let factors: BTreeMap<String, f64> = vals.iter().map(|(k, v)| (k.clone(), v / total)).collect();
        let mine = main / total;
        let method = match a.method.as_str() {
            "physical" => format!("physical ({})", a.property.as_deref().unwrap_or("")),
            m => m.to_string(),
        };
        self.allocation.push(AllocationResult { process: p.id.clone(), method, factors });
        Ok(mine)
    }
}

/// Mass of one piece: `mass_kg`, else its net material mass plus its sub-parts'.
pub fn part_mass(p: &Part) -> f64 {
    p.mass_kg.unwrap_or_else(|| p.materials.iter().map(|m| m.mass_kg).sum::<f64>() + p.parts.iter().map(|c| c.quantity * part_mass(c)).sum::<f64>())
}

/// (total, biogenic, dluc, aircraft) of a validated supplier PCF; fossil = total − biogenic − dluc.
fn validate_pcf(p: &SupplierPcf, field: &str) -> Result<(Decimal, Decimal, Decimal, Decimal), TansoError> {
    let bad = |f: &str, v: Decimal, e: &str| -> TansoError { ProductError::InvalidSupplierPcf { field: format!("{field}.{f}"), value: v.to_string(), expected: e.into() }.into() };
    let b = p.biogenic_kg_co2e.unwrap_or_default();
    let d = p.dluc_kg_co2e.unwrap_or_default();
    let air = p.aircraft_kg_co2e.unwrap_or_default();
    if d < Decimal::ZERO {
        return Err(bad("dluc_kg_co2e", d, "≥ 0"));
    }
    let fossil = p.fossil_kg_co2e.unwrap_or(p.total_kg_co2e - b - d);
    if fossil < Decimal::ZERO {
        return Err(bad("fossil_kg_co2e", fossil, "fossil ≥ 0 (total − biogenic − dLUC when not given)"));
    }
    if fossil + b + d != p.total_kg_co2e {
        return Err(bad("total_kg_co2e", p.total_kg_co2e, &format!("fossil + biogenic + dLUC = {}", fossil + b + d)));
    }
    if air < Decimal::ZERO || air > fossil {
        return Err(bad("aircraft_kg_co2e", air, "from 0 to the fossil emissions (aircraft is part of fossil)"));
    }
    if let Some(s) = p.primary_data_share {
        if s < Decimal::ZERO || s > Decimal::ONE_HUNDRED {
            return Err(bad("primary_data_share", s, "a percentage from 0 to 100"));
        }
    }
    if let Some(q) = &p.dqr {
        for (n, v) in [("technological", q.technological), ("temporal", q.temporal), ("geographical", q.geographical), ("completeness", q.completeness), ("reliability", q.reliability)] {
            if let Some(v) = v {
                if v < Decimal::ONE || v > Decimal::from(3) {
                    return Err(bad(&format!("dqr.{n}"), v, "a rating from 1 (good) to 3 (poor)"));
                }
            }
        }
    }
    Ok((p.total_kg_co2e, b, d, air))
}

fn dec(x: f64, dp: u32) -> Decimal {
    crate::num::decimal_from_f64(if x.is_finite() { x } else { 0.0 }, "result")
        .unwrap_or_default()
        .round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven)
        .normalize()
}

/// The characterization factor of a flow `origin:gas` under a GWP set.
fn cf(flow: &str, set: GwpSet) -> Result<f64, TansoError> {
    let gas = flow.split_once(':').map(|x| x.1).unwrap_or("CO2e");
    if gas == "CO2e" {
        return Ok(1.0);
    }
    let g = Gas::parse(gas, "gas")?;
    if g == Gas::Co2Biogenic {
        return Ok(1.0);
    }
    Ok(to_f(crate::ghg::gwp(g, set)?))
}

/// The footprint of a product (with its sensitivity scenarios).
pub fn footprint(input: &ProductInput) -> Result<Footprint, TansoError> {
    let mut out = compute(input)?;
    let mut scenarios = input.sensitivity.clone();
    let mut sweeps = Vec::new();
    if input.sensitivity_sweep {
        for class in [materials::STEEL, materials::ALUMINIUM] {
            if out.by_material_line.iter().any(|l| l.class == class) {
                for rc in ["0", "0.25", "0.5", "0.75", "1"] {
                    let name = format!("{class} recycled content {rc}");
                    sweeps.push(name.clone());
                    scenarios.push(Scenario {
                        name,
                        changes: vec![Change { target: class.into(), recycled_content: rc.parse().ok(), route: None, smelter: None }],
                    });
                }
            }
        }
    }
    if !scenarios.is_empty() {
        out.sensitivity.push(ScenarioResult { name: "base".into(), total_kg_co2e: out.total_kg_co2e, production_kg_co2e: out.production_kg_co2e, shares: out.shares.clone() });
        let mut failed: BTreeSet<String> = BTreeSet::new();
        for s in &scenarios {
            let class = s.name.split(' ').next().unwrap_or("").to_string();
            if sweeps.contains(&s.name) && failed.contains(&class) {
                continue;
            }
            let mut changed = input.clone();
            changed.sensitivity.clear();
            let mut hit = false;
            fn walk(parts: &mut [Part], c: &Change, hit: &mut bool) {
                for p in parts {
                    for (k, m) in p.materials.iter_mut().enumerate() {
                        let id = m.id.clone().unwrap_or_else(|| format!("{}/{}#{k}", p.id, m.material.to_lowercase()));
                        let class = materials::default_class(&m.material.to_lowercase()).to_string();
                        if c.target == id || c.target.eq_ignore_ascii_case(&m.material) || c.target == class {
                            *hit = true;
                            if c.route.is_some() {
                                m.route = c.route.clone();
                                m.recycled_content = None;
                            }
                            if c.recycled_content.is_some() {
                                m.recycled_content = c.recycled_content;
                            }
                            if c.smelter.is_some() {
                                m.smelter = c.smelter.clone();
                            }
                        }
                    }
                    walk(&mut p.parts, c, hit);
                }
            }
            for c in &s.changes {
                walk(&mut changed.parts, c, &mut hit);
            }
            if !hit {
                return Err(bom(&format!("sensitivity.{}", s.name), s.changes.iter().map(|c| c.target.as_str()).collect::<Vec<_>>().join(","), "a target that names a material line id, a material or a class in the BOM"));
            }
            let r = match compute(&changed) {
                Ok(r) => r,
                Err(e) if sweeps.contains(&s.name) => {
                    out.report.notes.push(format!("sensitivity sweep of {class} recycled content skipped: {e}"));
                    failed.insert(class);
                    continue;
                }
                Err(e) => return Err(e),
            };
            out.sensitivity.push(ScenarioResult { name: s.name.clone(), total_kg_co2e: r.total_kg_co2e, production_kg_co2e: r.production_kg_co2e, shares: r.shares });
        }
    }
    Ok(out)
}

fn compute(input: &ProductInput) -> Result<Footprint, TansoError> {
    let set = match &input.gwp_set {
        Some(s) => GwpSet::parse(s, "gwp_set")?,
        None => GwpSet::default(),
    };
    let approach = input.recycling.approach.clone().unwrap_or_else(|| "cut_off".into());
    if !["cut_off", "avoided_burden", "cff", "steel_scrap_credit"].contains(&approach.as_str()) {
        return Err(bom("recycling.approach", &approach, "cut_off, avoided_burden, cff or steel_scrap_credit"));
    }
    if input.parts.is_empty() && input.processes.is_empty() {
        return Err(bom("parts", "[]", "at least one part or process"));
    }
    let mut b = Builder {
        input,
        lib: materials::library(input.include_unverified, &input.material_tables)?,
        grid: FactorRegistry::bundled(),
        set,
        records: Vec::new(),
        tags: Vec::new(),
        flows: BTreeSet::new(),
        lines: Vec::new(),
        allocation: Vec::new(),
        part_ids: BTreeSet::new(),
        parts: Vec::new(),
        notes: BTreeSet::new(),
        approach: approach.clone(),
    };
    let root_tags = Tags { stage: "production", primary: 1.0, ..Default::default() };
    let mut ex = Vec::new();
    for (k, p) in input.parts.iter().enumerate() {
        let id = b.part(p, &format!("parts[{k}]"), None)?;
        ex.push(tech(&id, p.quantity));
    }
    for (k, p) in input.processes.iter().enumerate() {
        let (id, a) = b.process(p, "product", &format!("processes[{k}]"), &root_tags)?;
        ex.push(tech(&id, a));
    }
    let product_mass: f64 = input.parts.iter().map(|p| p.quantity * part_mass(p)).sum::<f64>();
    for (k, l) in input.distribution.iter().enumerate() {
        let id = b.leg(l, product_mass, "distribution", &format!("distribution[{k}]"), &root_tags)?;
        ex.push(tech(&id, 1.0));
    }
    let root = b.add("product".into(), ex, root_tags);
    // Scrap used (R1 × gross) for the kgce rule.
    // Methods: total, then one per origin.
    let flows: Vec<String> = b.flows.iter().cloned().collect();
    let mut methods = vec![MethodSpec {
        id: "total".into(),
        name: None,
        unit: Some("kg CO2e".into()),
        factors: flows.iter().map(|f| Ok(CharacterizationFactor { flow: NodeId::Text(f.clone()), factor: cf(f, set)?, uncertainty: None })).collect::<Result<Vec<_>, TansoError>>()?,
        normalization: None,
        weighting: None,
    }];
    for o in ORIGINS {
        methods.push(MethodSpec {
            id: o.into(),
            name: None,
            unit: Some("kg CO2e".into()),
            factors: flows
                .iter()
                .filter(|f| f.starts_with(&format!("{o}:")))
                .map(|f| Ok(CharacterizationFactor { flow: NodeId::Text(f.clone()), factor: cf(f, set)?, uncertainty: None }))
                .collect::<Result<Vec<_>, TansoError>>()?,
            normalization: None,
            weighting: None,
        });
    }
    let spec = SystemSpec { processes: b.records.clone(), methods, ..Default::default() };
    let lca = Lca::new(LcaSystem::build(&spec)?)?;
    let sys = lca.system();
    let n = sys.activity_count();
    // Map our record order to matrix positions.
    let mut pos = Vec::with_capacity(b.records.len());
    for r in &b.records {
        pos.push(sys.resolve("activity", &r.id)?);
    }
    let mut f = vec![0.0; n];
    f[sys.resolve("demand", &NodeId::Text(root))?] = 1.0;
    let x = lca.supply(&f)?;
    let total = lca.score(&x, 0);
    let direct = lca.process_contributions(&x, 0);
    let lambda = lca.intensities(0)?;
    let up = lca.upstream(&x, &lambda);
    let by_origin_f: Vec<f64> = (1..=ORIGINS.len()).map(|k| lca.score(&x, k)).collect();

    // Group direct contributions by tags.
    let mut stage: BTreeMap<String, f64> = BTreeMap::new();
    let mut supplier: BTreeMap<String, f64> = BTreeMap::new();
    let mut part_direct: BTreeMap<String, f64> = BTreeMap::new();
    let mut line_prod = vec![0.0; b.lines.len()];
    let mut line_eol = vec![0.0; b.lines.len()];
    let mut primary = 0.0;
    let mut dqr_w = 0.0;
    let mut dqr_sum = [0.0f64; 5];
    for (i, t) in b.tags.iter().enumerate() {
        let c = direct[pos[i]];
        *stage.entry(t.stage.to_string()).or_default() += c;
        *supplier.entry(t.supplier.clone().unwrap_or_else(|| "own".into())).or_default() += c;
        if let Some(p) = &t.part {
            *part_direct.entry(p.clone()).or_default() += c;
        }
        if let Some(l) = t.line {
            if t.stage == "raw_materials" {
                line_prod[l] += c;
            } else {
                line_eol[l] += c;
            }
        }
        if PRODUCTION_STAGES.contains(&t.stage) {
            primary += c * t.primary;
            if let Some(q) = &t.dqr {
                let vals = [q.technological, q.temporal, q.geographical, q.completeness, q.reliability];
                if vals.iter().all(|v| v.is_some()) {
                    dqr_w += c;
                    for (s, v) in dqr_sum.iter_mut().zip(vals) {
                        *s += c * to_f(v.unwrap_or_default());
                    }
                }
            }
        }
    }
    for s in PRODUCTION_STAGES {
        stage.entry(s.to_string()).or_default();
    }
    let production: f64 = PRODUCTION_STAGES.iter().map(|s| stage.get(*s).copied().unwrap_or(0.0)).sum();
    // Shares: upstream of material nodes (their routes), by class.
    let mut steel = 0.0;
    let mut alu = 0.0;
    for (i, r) in b.records.iter().enumerate() {
        if let NodeId::Text(id) = &r.id {
            if id.starts_with("material:") {
                if let Some(l) = b.tags[i].line {
                    match b.lines[l].2.class.as_str() {
                        materials::STEEL => steel += up[pos[i]],
                        materials::ALUMINIUM => alu += up[pos[i]],
                        _ => {}
                    }
                }
            }
        }
    }
    let shares = shares(steel, alu, production);
    // Scrap used for the kgce rule: R1 × gross steel per declared unit (from the credit nodes' supply).
    let mut scrap_kg = 0.0;
    for (i, r) in b.records.iter().enumerate() {
        if let NodeId::Text(id) = &r.id {
            if id.starts_with("scrap_credit:") {
                scrap_kg += x[pos[i]];
            }
        }
    }
    // Parts.
    let mut by_part = Vec::new();
    for (pid, sup, pcf) in &b.parts {
        let j = sys.resolve("part", &NodeId::Text(format!("part:{pid}")))?;
        by_part.push(PartResult {
            part: pid.clone(),
            supplier: sup.clone(),
            direct_kg_co2e: dec(part_direct.get(pid).copied().unwrap_or(0.0), 6),
            total_kg_co2e: dec(up[j], 6),
            data: if *pcf { "supplier_pcf".into() } else { "bom".into() },
        });
    }
    // Materials.
    let mut by_material: BTreeMap<String, Dec> = BTreeMap::new();
    let mut by_line = Vec::new();
    for (l, (id, part, r, gross, _)) in b.lines.iter().enumerate() {
        let xm = b.records.iter().position(|rec| rec.id == NodeId::Text(format!("material:{id}"))).map(|i| x[pos[i]]).unwrap_or(0.0);
        let e = by_material.entry(r.material.clone()).or_insert(Dec(Decimal::ZERO));
        e.0 += dec(line_prod[l] + line_eol[l], 6);
        let _ = gross;
        by_line.push(LineResult {
            id: id.clone(),
            part: part.clone(),
            material: r.material.clone(),
            class: r.class.clone(),
            gross_kg: dec(xm, 6),
            factor_kg_co2e_per_kg: r.kg_co2e_per_unit,
            production_kg_co2e: dec(line_prod[l], 6),
            end_of_life_kg_co2e: dec(line_eol[l], 6),
            factor: r.clone(),
        });
    }
    // Gases.
    let inv = lca.inventory(&x);
    let mut by_gas = Vec::new();
    for (k, fl) in sys.flows().iter().enumerate() {
        if let NodeId::Text(name) = &fl.id {
            let (origin, gas) = name.split_once(':').unwrap_or(("fossil", name));
            if inv[k] != 0.0 {
                by_gas.push(GasResult { origin: origin.into(), gas: gas.into(), kg: dec(inv[k], 6), kg_co2e: dec(inv[k] * cf(name, set)?, 6) });
            }
        }
    }
    let by_origin: BTreeMap<String, Dec> = ORIGINS.iter().zip(&by_origin_f).map(|(o, v)| (o.to_string(), Dec(dec(*v, 6)))).collect();
    let get = |o: &str| by_origin.get(o).map(|d| d.0).unwrap_or_default();
    // Report.
    let has_eol = stage.contains_key("end_of_life");
    let has_dist = !input.distribution.is_empty();
    let mut boundary = "cradle-to-gate".to_string();
    if has_dist {
        boundary.push_str(" + distribution");
    }
    if has_eol {
        boundary.push_str(" + end of life (recycling of the product's materials)");
    }
    let rc = &input.recycling;
    let recycling = match approach.as_str() {
        "cut_off" => "cut-off (recycled content approach): recycled input at the secondary route's burden, no end-of-life credit (CFF with A = 1)".to_string(),
        "avoided_burden" => format!("avoided burden (end-of-life / 100:0 approach; CFF with A = 0, Qs/Qp = 1), R2 = {:?}", rc.r2),
        "cff" => format!(
            "EU PEF Circular Footprint Formula (Recommendation (EU) 2021/2279 Annex IV, material part; R3 energy recovery not modelled): A = {}, R2 = {:?}, Qsin/Qp = {}, Qsout/Qp = {}, ED = {}",
            rc.a.unwrap_or_default(),
            rc.r2,
            rc.qs_in_qp.map(|v| v.to_string()).unwrap_or_else(|| "1 (assumed)".into()),
            rc.qs_out_qp.map(|v| v.to_string()).unwrap_or_else(|| "1 (assumed)".into()),
            rc.disposal_kg_co2e_per_kg.map(|v| v.to_string()).unwrap_or_else(|| "not modelled".into())
        ),
        _ => "cut-off plus the steel-scrap credit of the seeds: −1.6 kg CO2 and −0.35 kgce per kg of steel scrap used (China Association of Metal Scrap Utilization, via CCCME 2024, seed 003; marked UNVERIFIED as an accounting factor in materials.csv), stage recycling_credit".to_string(),
    };
    let mut notes: Vec<String> = b.notes.iter().cloned().collect();
    for l in &by_line {
        let mut seen = BTreeSet::new();
        for fb in l.factor.fallbacks.iter().filter(|f| seen.insert(f.as_str())) {
            notes.push(format!("{}: fallback {fb}", l.id));
        }
        if l.factor.unverified {
            notes.push(format!("{}: uses an UNVERIFIED row", l.id));
        }
        if l.factor.basis == "CO2" {
            notes.push(format!("{}: factor is CO2 only (worldsteel CO2 intensity), other gases not included", l.id));
        }
    }
    if approach == "cff" && rc.disposal_kg_co2e_per_kg.is_none() {
        notes.push("disposal (ED) not modelled".into());
    }
    let dqr = Dqr {
        coverage_percent: (production != 0.0).then(|| dec(dqr_w / production * 100.0, 4)),
        technological: (dqr_w > 0.0).then(|| dec(dqr_sum[0] / dqr_w, 4)),
        temporal: (dqr_w > 0.0).then(|| dec(dqr_sum[1] / dqr_w, 4)),
        geographical: (dqr_w > 0.0).then(|| dec(dqr_sum[2] / dqr_w, 4)),
        completeness: (dqr_w > 0.0).then(|| dec(dqr_sum[3] / dqr_w, 4)),
        reliability: (dqr_w > 0.0).then(|| dec(dqr_sum[4] / dqr_w, 4)),
    };
    let report = Report {
        product: input.product.id.clone(),
        declared_unit: input.product.declared_unit.clone().unwrap_or_else(|| "1 piece".into()),
        functional_unit: input.product.functional_unit.clone(),
        system_boundary: boundary,
        cradle_to_gate: !has_dist && !has_eol,
        geography: input.geography.clone(),
        year: input.year,
        gwp_set: set.id().into(),
        fossil_kg_co2e: get("fossil"),
        biogenic_kg_co2e: get("biogenic"),
        dluc_kg_co2e: get("dluc"),
        aircraft_kg_co2e: get("aircraft"),
        total_excluding_biogenic_kg_co2e: get("fossil") + get("dluc") + get("aircraft"),
        allocation: if b.allocation.is_empty() { vec!["none (no multi-output process)".into()] } else { b.allocation.iter().map(|a| format!("{}: {}", a.process, a.method)).collect() },
        recycling,
        dqr,
        primary_data_share: if production != 0.0 { dec(primary / production * 100.0, 4) } else { Decimal::ZERO },
        notes,
        standards: vec!["ISO 14067:2018".into(), "GB/T 24067-2024".into(), "PACT Methodology v2/v3 (DQR, primary data share)".into()],
    };
    Ok(Footprint {
        total_kg_co2e: dec(total, 6),
        production_kg_co2e: dec(production, 6),
        by_origin,
        by_stage: stage.into_iter().map(|(k, v)| (k, Dec(dec(v, 6)))).collect(),
        by_part,
        by_material,
        by_material_line: by_line,
        by_supplier: supplier.into_iter().map(|(k, v)| (k, Dec(dec(v, 6)))).collect(),
        by_gas,
        shares,
        allocation: b.allocation,
        sensitivity: Vec::new(),
        scrap_kgce_avoided: (approach == "steel_scrap_credit").then(|| dec(scrap_kg * to_f(materials::SCRAP_CREDIT_KGCE_PER_KG), 6)),
        report,
    })
}

/// Steel / aluminium / rest shares of production emissions; rest = 100 − steel − aluminium.
pub fn shares(steel: f64, aluminium: f64, production: f64) -> Shares {
    let pct = |v: f64| if production != 0.0 { dec(v / production * 100.0, 4) } else { Decimal::ZERO };
    let s = pct(steel);
    let a = pct(aluminium);
    Shares {
        steel_kg_co2e: dec(steel, 6),
        aluminium_kg_co2e: dec(aluminium, 6),
        rest_kg_co2e: dec(production - steel - aluminium, 6),
        steel_percent: s,
        aluminium_percent: a,
        rest_percent: if production != 0.0 { (Decimal::ONE_HUNDRED - s - a).normalize() } else { Decimal::ZERO },
    }
}
