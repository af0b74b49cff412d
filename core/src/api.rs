//! The document API: every capability of tanso as an operation that takes one JSON document
//! and returns one. Every binding exposes each operation under the same name (Python
//! `tanso.convert(...)`, JS `convert(...)`, Kotlin `Tanso.convert(...)`), and the shared test
//! vectors in `testdata/vectors/` are written against it, so the languages cannot drift.
//! [`OPERATIONS`] is the one list of the exported API; each binding's test suite checks that
//! it exposes all of it.
//!
//! ```
//! let out = tanso::api::call_json("convert", r#"{"value": "1", "from": "tce", "to": "GJ"}"#).unwrap();
//! assert_eq!(out, r#"{"value":"29.3076","unit":"GJ"}"#);
//! ```

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::accounting;
use crate::error::{InputError, TansoError};
use crate::factors;
use crate::ghg;
use crate::units;

/// One operation of the document API.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Operation {
    /// Its name, identical in every binding.
    pub name: &'static str,
    /// What it computes.
    pub summary: &'static str,
}

/// Every operation of the API, in the order the docs list them.
pub const OPERATIONS: &[Operation] = &[
    Operation { name: "convert", summary: "convert a decimal amount between units of one dimension" },
    Operation { name: "gwp", summary: "GWP of a gas or refrigerant blend under a GWP set, with the blend's components" },
    Operation { name: "lookup_factor", summary: "find an emission factor by activity, geography and year, with fallback reported" },
    Operation { name: "fuel", summary: "the parameters of a fuel (NCV, carbon content, oxidation, per-gas factors, kgce) with provenance" },
    Operation { name: "calculate", summary: "emissions of one activity record, per gas and in CO2e, with its provenance trail" },
    Operation { name: "inventory", summary: "an organisation's inventory: per-record results and totals by scope, Scope 3 category, ISO 14064-1 category, gas and site" },
    Operation { name: "batch", summary: "kg CO2e of many simple rows (fuel, electricity, freight, spend) given as columns; bad rows reported, not fatal" },
    Operation { name: "lca", summary: "matrix LCA of a system (triplets or process records): scores, supply, inventory, contributions, upstream, intensities, tree, Sankey, parameter scenarios" },
    Operation { name: "lca_monte_carlo", summary: "Monte Carlo of an LCA system, reproducible from a seed: statistics and draws per demand and method" },
    Operation { name: "lca_import", summary: "import an LCA database (openLCA JSON-LD zip, EcoSpold2 files, Brightway datapackage) into a system, with a report of what was linked, converted and left out; optionally calculate or run Monte Carlo on it" },
    Operation { name: "cbam_goods", summary: "EU CBAM: classify CN codes (sector, Annex II direct-only flag, indirect emissions counted, de-minimis scope, route letters)" },
    Operation { name: "cbam_embedded", summary: "EU CBAM: specific embedded emissions of a good from actual installation data or default values, precursors recursively, with provenance" },
    Operation { name: "cbam_obligation", summary: "EU CBAM: an importer's year — embedded emissions, free-allocation adjustment, carbon price deduction, certificates and cost per line, de minimis, declaration totals" },
    Operation { name: "pact_validate", summary: "PACT ProductFootprint (Tech Specs v2.3 or v3.0): every failing field with path, value and rule" },
    Operation { name: "pact_convert", summary: "PACT ProductFootprint v2.3 <-> v3.0 (renames, declared-unit rescaling), with notes on what cannot be carried" },
    Operation { name: "pact_summary", summary: "a supplier's PACT ProductFootprint as plain values per unit of measure (totals, fossil, biogenic, dLUC, aircraft, primary data share, DQRs, product ids) for a BOM" },
    Operation { name: "pact_export", summary: "build a PACT ProductFootprint (v3.0 or v2.3) from values; every missing or invalid required field reported" },
    Operation { name: "materials", summary: "the materials library: list rows with provenance and data gaps, or look up a factor by material, route, form, region and year (recycled-content blend, smelter grid, user tables)" },
    Operation { name: "product_footprint", summary: "product carbon footprint from a bill of materials through the LCA engine: totals by stage, part, material, supplier and gas; steel/aluminium shares and their sensitivity; allocation; recycling; ISO 14067 report fields; supplier PACT documents in the BOM and the footprint as a PACT document" },
    Operation { name: "supply_network", summary: "supplier network: single points of failure, exposure and HHI by supplier and region, disruptions with capacity-limited fallbacks, sourcing options with emissions, risk and CBAM cost side by side, the emissions-risk Pareto front" },
    Operation { name: "supply_audit", summary: "the SME dual-focus audit: single points of failure, the Scope 1/2/3 baseline of an inventory, interventions ranked by emissions avoided per unit of cost, as data and Markdown" },
    Operation { name: "vehicle", summary: "one vehicle (size class × powertrain, region, production year): mass and production emissions by component and material, steel/aluminium/rest shares, lifecycle g CO2e/km by stage, sources; with versus: the EV vs ICE break-even km" },
    Operation { name: "vehicle_grid", summary: "many vehicles in one call (sizes × powertrains × production years × regions): compact rows of production t CO2e, steel and aluminium shares, g CO2e/km by stage and break-even km against a baseline powertrain" },
    Operation { name: "vehicle_defaults", summary: "what the vehicle model offers: size classes with glider masses and sources, powertrains, regions, years, levers and their ranges, missing defaults" },
    Operation { name: "catalog", summary: "what tanso knows: units, gases, blends, GWP sets, fuels, activities, geographies, error codes, operations" },
];

/// Runs an operation on a JSON text and returns JSON text.
pub fn call_json(operation: &str, input: &str) -> Result<String, TansoError> {
    let value: Value = serde_json::from_str(input).map_err(|e| InputError::InvalidInput {
        operation: operation.to_string(),
        message: e.to_string(),
    })?;
    let out = run(operation, value)?;
    serde_json::to_string(&*out).map_err(|e| invalid(operation, e).into())
}

/// Runs an operation on a JSON value and returns a JSON value (decimals as strings).
pub fn call(operation: &str, input: Value) -> Result<Value, TansoError> {
    let out = run(operation, input)?;
    serde_json::to_value(&*out).map_err(|e| invalid(operation, e).into())
}

/// A typed result of an operation, serializable with any serde serializer.
pub type Output = Box<dyn erased_serde::Serialize + Send>;

/// Runs an operation and returns its typed result, which the caller serializes with any
/// serde serializer (`erased_serde::serialize`). The Python binding builds Python objects
/// directly from it, so decimals become `decimal.Decimal` through
/// [`crate::num::DECIMAL_MARKER`] and never pass through a float.
///
/// Decimal arithmetic that overflows 28 significant digits (amounts near 7.9 × 10^28 at some
/// step) is reported as `OUT_OF_RANGE` naming the operation, never as a panic, on native
/// targets. (On wasm32 a panic aborts the module: the binding keeps the panic message with a
/// hook, reports [`panic_error`] and re-instantiates the module.)
pub fn run(operation: &str, input: Value) -> Result<Output, TansoError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_unguarded(operation, input)
    })) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "arithmetic failure".to_string());
            Err(panic_error(operation, &what))
        }
    }
}

/// The error an operation reports when its arithmetic panics (decimal overflow past 28
/// significant digits): `OUT_OF_RANGE` naming the operation and the panic message. Used by
/// [`run`] on native targets and by the WASM binding, which reads the message a panic hook
/// kept after the trap, so every binding reports the same error.
pub fn panic_error(operation: &str, message: &str) -> TansoError {
    crate::error::AccountingError::OutOfRange {
        field: operation.to_string(),
        value: message.to_string(),
        expected: "amounts small enough for 28-significant-digit decimal arithmetic at every step (below about 7.9e28)".to_string(),
    }
    .into()
}

fn run_unguarded(operation: &str, input: Value) -> Result<Output, TansoError> {
    Ok(match operation {
        "convert" => {
            let i: ConvertInput = parse(operation, input)?;
            let from = units::Unit::parse(&i.from, "from")?;
            let to = units::Unit::parse(&i.to, "to")?;
            let value = units::Quantity {
                value: i.value,
                unit: from,
            }
            .value_in(to, "to")?;
            Box::new(ConvertOutput {
                value,
                unit: to.symbol().to_string(),
            })
        }
        "gwp" => {
            let i: GwpInput = parse(operation, input)?;
            let set = match &i.gwp_set {
                Some(s) => ghg::GwpSet::parse(s, "gwp_set")?,
                None => ghg::GwpSet::default(),
            };
            let mut components = Vec::new();
            let mut total = Decimal::ZERO;
            for (gas, fraction) in ghg::composition(&i.gas, "gas")? {
                let g = ghg::gwp(gas, set)?;
                total += g * fraction;
                components.push(GwpComponent {
                    gas: gas.id().to_string(),
                    fraction,
                    gwp: g,
                });
            }
            Box::new(GwpOutput {
                gas: i.gas,
                gwp_set: set.id().to_string(),
                gwp: total,
                components,
            })
        }
        "lookup_factor" => {
            let i: factors::LookupInput = parse(operation, input)?;
            Box::new(factors::lookup_document(&i)?)
        }
        "fuel" => {
            let i: factors::FuelInput = parse(operation, input)?;
            Box::new(factors::fuel_document(&i)?)
        }
        "lca" => Box::new(crate::lca::document::calculate_document(input)?),
        "lca_monte_carlo" => Box::new(crate::lca::document::monte_carlo_document(input)?),
        "lca_import" => {
            let i: crate::exchange::import::ImportDocument = parse(operation, input)?;
            Box::new(crate::exchange::import::import_document(&i)?)
        }
        "calculate" => {
            let i: accounting::CalculateInput = parse(operation, input)?;
            Box::new(accounting::calculate_document(&i)?)
        }
        "inventory" => {
            let i: accounting::InventoryInput = parse(operation, input)?;
            Box::new(accounting::inventory(&i)?)
        }
        "batch" => {
            let i: accounting::batch::BatchInput = parse(operation, input)?;
            Box::new(accounting::batch::batch(&i)?)
        }
        "materials" => {
            let i: crate::materials::MaterialsInput = parse(operation, input)?;
            Box::new(crate::materials::materials_document(&i)?)
        }
        "product_footprint" => {
            // Supplier PACT documents become `supplier_pcf`; `pact` asks for the footprint as a
            // PACT document (exchange sits above product: the rewrite happens here).
            let prepared = crate::exchange::footprint::import_supplier_pacts(input)?;
            let i: crate::product::ProductInput = parse(operation, prepared.input)?;
            let mut footprint = crate::product::footprint(&i)?;
            footprint.report.notes.extend(prepared.notes);
            let pact_document = match &prepared.pact {
                Some(req) => {
                    let (doc, notes) = crate::exchange::footprint::export_footprint(&footprint, &i, req)?;
                    footprint.report.notes.extend(notes);
                    Some(doc)
                }
                None => None,
            };
            Box::new(FootprintOutput { footprint, pact_document })
        }
        "cbam_goods" => {
            let i: crate::cbam::GoodsInput = parse(operation, input)?;
            Box::new(crate::cbam::goods_document(&i)?)
        }
        "cbam_embedded" => {
            let i: crate::cbam::EmbeddedInput = parse(operation, input)?;
            Box::new(crate::cbam::embedded_document(&i)?)
        }
        "cbam_obligation" => {
            let i: crate::cbam::ObligationInput = parse(operation, input)?;
            Box::new(crate::cbam::obligation_document(&i)?)
        }
        "pact_validate" => {
            let i: crate::exchange::DocumentInput = parse(operation, input)?;
            Box::new(crate::exchange::validate_document(&i)?)
        }
        "pact_convert" => {
            let i: crate::exchange::ConvertInput = parse(operation, input)?;
            Box::new(crate::exchange::convert_document(&i)?)
        }
        "pact_summary" => {
            let i: crate::exchange::DocumentInput = parse(operation, input)?;
            Box::new(crate::exchange::summary_document(&i)?)
        }
        "pact_export" => {
            let i: crate::exchange::ExportInput = parse(operation, input)?;
            Box::new(crate::exchange::export(&i)?)
        }
        "supply_network" => {
            let i: crate::supply::SupplyInput = parse(operation, input)?;
            Box::new(crate::supply::analyse_document(&i)?)
        }
        "supply_audit" => {
            let i: crate::supply::AuditInput = parse(operation, input)?;
            Box::new(crate::supply::audit_document(&i)?)
        }
        "vehicle" => {
            let i: crate::vehicle::VehicleInput = parse(operation, input)?;
            Box::new(crate::vehicle::evaluate(&i)?)
        }
        "vehicle_grid" => {
            let i: crate::vehicle::GridInput = parse(operation, input)?;
            Box::new(crate::vehicle::grid(&i)?)
        }
        "vehicle_defaults" => Box::new(crate::vehicle::defaults_document()?),
        "catalog" => Box::new(catalog()),
        other => {
            return Err(InputError::UnknownOperation {
                value: other.to_string(),
                valid: OPERATIONS
                    .iter()
                    .map(|o| o.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            }
            .into())
        }
    })
}

fn invalid(operation: &str, e: impl std::fmt::Display) -> InputError {
    InputError::InvalidInput {
        operation: operation.to_string(),
        message: e.to_string(),
    }
}

fn parse<T: DeserializeOwned>(operation: &str, input: Value) -> Result<T, TansoError> {
    crate::error::clear_pending();
    serde_json::from_value(input).map_err(|e| {
        let message = e.to_string();
        crate::error::take_pending(&message).unwrap_or_else(|| invalid(operation, message).into())
    })
}

/// Output of `product_footprint`: the footprint, and the PACT document when `pact` asked for one.
#[derive(Serialize)]
struct FootprintOutput {
    #[serde(flatten)]
    footprint: crate::product::Footprint,
    #[serde(skip_serializing_if = "Option::is_none")]
    pact_document: Option<crate::exchange::pact::ProductFootprint>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConvertInput {
    #[serde(with = "crate::num")]
    value: Decimal,
    from: String,
    to: String,
}

#[derive(Serialize)]
struct ConvertOutput {
    #[serde(with = "crate::num")]
    value: Decimal,
    unit: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GwpInput {
    gas: String,
    #[serde(default)]
    gwp_set: Option<String>,
}

#[derive(Serialize)]
struct GwpOutput {
    gas: String,
    gwp_set: String,
    #[serde(with = "crate::num")]
    gwp: Decimal,
    components: Vec<GwpComponent>,
}

#[derive(Serialize)]
struct GwpComponent {
    gas: String,
    #[serde(with = "crate::num")]
    fraction: Decimal,
    #[serde(with = "crate::num")]
    gwp: Decimal,
}

#[derive(Serialize)]
struct Catalog {
    operations: &'static [Operation],
    error_codes: Vec<ErrorCode>,
    units: Vec<UnitInfo>,
    gases: Vec<&'static str>,
    blends: Vec<&'static str>,
    gwp_sets: Vec<&'static str>,
    fuels: Vec<String>,
    activities: Vec<String>,
    geographies: Vec<String>,
}

#[derive(Serialize)]
struct ErrorCode {
    code: &'static str,
    area: &'static str,
}

#[derive(Serialize)]
struct UnitInfo {
    symbol: &'static str,
    dimension: &'static str,
    #[serde(with = "crate::num")]
    to_base: Decimal,
    definition: &'static str,
}

fn catalog() -> Catalog {
    let reg = factors::FactorRegistry::bundled();
    Catalog {
        operations: OPERATIONS,
        error_codes: crate::error::ERROR_CODES
            .iter()
            .map(|(code, area)| ErrorCode { code, area })
            .collect(),
        units: units::UNITS
            .iter()
            .map(|d| UnitInfo {
                symbol: d.symbol,
                dimension: d.dimension.name(),
                to_base: d.to_base,
                definition: d.definition,
            })
            .collect(),
        gases: ghg::GASES.iter().map(|g| g.id()).collect(),
        blends: ghg::BLENDS.iter().map(|b| b.name).collect(),
        gwp_sets: ghg::GwpSet::ALL.iter().map(|s| s.id()).collect(),
        fuels: reg.fuel_ids(),
        activities: reg.activities(),
        geographies: factors::geography::codes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_operation() {
        let e = call_json("nope", "{}").unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_OPERATION");
        assert!(e.to_string().contains("convert"));
    }

    #[test]
    fn bad_json_is_invalid_input() {
        assert_eq!(
            call_json("convert", "{").unwrap_err().code(),
            "INVALID_INPUT"
        );
        assert_eq!(
            call_json("convert", r#"{"value":"1","from":"kg"}"#)
                .unwrap_err()
                .code(),
            "INVALID_INPUT"
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let e = call_json(
            "convert",
            r#"{"value": "79228162514264337593543950335", "from": "t", "to": "kg"}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), "OUT_OF_RANGE");
    }

    #[test]
    fn flat_documents_still_refuse_unknown_fields() {
        let inv = r#"{"organisation": {"name": "X"}, "reporting_year": 2023, "records": [], "year": 2023}"#;
        assert_eq!(call_json("inventory", inv).unwrap_err().code(), "INVALID_INPUT");
        let calc = r#"{"record": {"type": "scrap_use", "mass": {"value": "1", "unit": "t"}}, "gwp": "AR6"}"#;
        assert_eq!(call_json("calculate", calc).unwrap_err().code(), "INVALID_INPUT");
        let settings = r#"{"record": {"type": "scrap_use", "mass": {"value": "1", "unit": "t"}}, "gwp_set": "AR6", "year": 2023}"#;
        assert!(call_json("calculate", settings).is_ok());
    }

    #[test]
    fn gwp_of_blend() {
        let out = call_json("gwp", r#"{"gas":"R-404A","gwp_set":"AR4"}"#).unwrap();
        assert!(out.contains(r#""gwp":"3921.6""#), "{out}");
    }
}
