//! Exchange formats: the PACT ProductFootprint (WBCSD Partnership for Carbon Transparency,
//! Technical Specifications for PCF Data Exchange v2.3 and v3.0).
//!
//! * [`pact`]: the data model as serde structures, lossless round trip (unknown properties and
//!   extensions kept, decimals kept as written);
//! * [`validate`]: every failing field at once (path, value, rule), error code `PACT_INVALID`;
//! * [`convert`]: v2.3 ↔ v3.0 with notes on what cannot be carried;
//! * [`SupplierPcf`]: the plain summary a bill of materials needs from a supplier's document;
//! * [`export`]: a ProductFootprint built from given values, required fields checked;
//! * [`footprint`]: the links to product footprints — a supplier's document replaces a BOM
//!   part's default data, and a footprint is exported as a document (`product_footprint`).
//!
//! Document operations: `pact_validate`, `pact_convert`, `pact_summary`, `pact_export`.
//!
//! ```
//! use serde_json::json;
//! let doc = json!({"document": {"specVersion": "3.0.0", "id": "not-a-uuid"}});
//! let out = tanso::api::call("pact_validate", doc).unwrap();
//! assert_eq!(out["valid"], json!(false));
//! assert!(out["failures"].as_array().unwrap().len() > 5); // every missing field, not one
//! ```

pub mod convert;
pub mod footprint;
pub mod import;
pub mod pact;
pub mod validate;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{ExchangeError, TansoError};
use pact::*;
use validate::{PactFailure, PactVersion};

fn version_of(doc: &Value, given: Option<&str>, field: &str) -> Result<PactVersion, TansoError> {
    let (text, field) = match given {
        Some(v) => (v.to_string(), field.to_string()),
        None => (
            doc.get("specVersion").and_then(Value::as_str).unwrap_or("").to_string(),
            "document.specVersion".to_string(),
        ),
    };
    PactVersion::parse(&text).ok_or_else(|| {
        ExchangeError::PactUnsupportedVersion {
            field,
            value: text,
            valid: "2.3 (2.x documents are read with 2.3 rules) or 3.0".to_string(),
        }
        .into()
    })
}

fn invalid(version: PactVersion, failures: Vec<PactFailure>) -> TansoError {
    ExchangeError::PactInvalid {
        version: version.name().to_string(),
        failures,
    }
    .into()
}

/// A valid document of the given version, parsed; `PACT_INVALID` with every failure otherwise.
pub fn read(doc: &Value, version: PactVersion) -> Result<ProductFootprint, TansoError> {
    let failures = validate::validate(doc, version);
    if !failures.is_empty() {
        return Err(invalid(version, failures));
    }
    let parse_err = |e: serde_json::Error| {
        invalid(
            version,
            vec![PactFailure {
                path: String::new(),
                value: String::new(),
                rule: e.to_string(),
            }],
        )
    };
    Ok(match version {
        PactVersion::V2 => ProductFootprint::V2(Box::new(serde_json::from_value(doc.clone()).map_err(parse_err)?)),
        PactVersion::V3 => ProductFootprint::V3(Box::new(serde_json::from_value(doc.clone()).map_err(parse_err)?)),
    })
}

/// Input of `pact_validate` and `pact_summary`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    /// The ProductFootprint JSON.
    pub document: Value,
    /// `2.3` or `3.0`; by default read from `document.specVersion`.
    #[serde(default)]
    pub version: Option<String>,
}

/// Output of `pact_validate`.
#[derive(Debug, Clone, Serialize)]
pub struct ValidateOutput {
    /// Whether the document has no failing field.
    pub valid: bool,
    /// The version whose rules were applied.
    pub version: PactVersion,
    /// Every failing field.
    pub failures: Vec<PactFailure>,
}

/// `pact_validate`: every failing field of a document (never an error for an invalid document;
/// `PACT_UNSUPPORTED_VERSION` when the version cannot be told).
pub fn validate_document(i: &DocumentInput) -> Result<ValidateOutput, TansoError> {
    let version = version_of(&i.document, i.version.as_deref(), "version")?;
    let failures = validate::validate(&i.document, version);
    Ok(ValidateOutput {
        valid: failures.is_empty(),
        version,
        failures,
    })
}

/// Input of `pact_convert`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConvertInput {
    /// The ProductFootprint JSON (must be valid under its own version).
    pub document: Value,
    /// Target: `2.3` or `3.0`.
    pub to: String,
    /// Source version; by default read from `document.specVersion`.
    #[serde(default)]
    pub from: Option<String>,
}

/// Output of `pact_convert`.
#[derive(Debug, Clone, Serialize)]
pub struct ConvertOutput {
    /// The converted document.
    pub document: ProductFootprint,
    /// Source version.
    pub from: PactVersion,
    /// Target version.
    pub to: PactVersion,
    /// What could not be carried exactly (see [`convert`]).
    pub notes: Vec<convert::ConversionNote>,
    /// Whether the converted document is valid under the target version.
    pub valid: bool,
    /// Failing fields of the converted document (e.g. a property the target requires and the
    /// source did not have).
    pub failures: Vec<PactFailure>,
}

/// `pact_convert`: v2.3 ↔ v3.0 (same version: the document as read, unchanged).
pub fn convert_document(i: &ConvertInput) -> Result<ConvertOutput, TansoError> {
    let from = version_of(&i.document, i.from.as_deref(), "from")?;
    let to = version_of(&Value::Null, Some(&i.to), "to")?;
    let source = read(&i.document, from)?;
    let (document, notes) = match (source, to) {
        (ProductFootprint::V2(p), PactVersion::V3) => {
            let (v3, notes) = convert::v2_to_v3(&p)?;
            (ProductFootprint::V3(Box::new(v3)), notes)
        }
        (ProductFootprint::V3(p), PactVersion::V2) => {
            let (v2, notes) = convert::v3_to_v2(&p);
            (ProductFootprint::V2(Box::new(v2)), notes)
        }
        (same, _) => (same, Vec::new()),
    };
    let json = serde_json::to_value(&document).map_err(|e| invalid(to, vec![PactFailure { path: String::new(), value: String::new(), rule: e.to_string() }]))?;
    let failures = validate::validate(&json, to);
    Ok(ConvertOutput {
        document,
        from,
        to,
        notes,
        valid: failures.is_empty(),
        failures,
    })
}

/// Data quality ratings of a supplier PCF (PACT DQRs), with the scale they are on.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dqr {
    /// Worst rating of the scale: 3 (v2.3) or 5 (v3.0); 1 is best in both.
    pub scale_max: u8,
    /// Technological representativeness.
    #[serde(with = "crate::num::opt")]
    pub technological: Option<Decimal>,
    /// Temporal representativeness.
    #[serde(with = "crate::num::opt")]
    pub temporal: Option<Decimal>,
    /// Geographical representativeness.
    #[serde(with = "crate::num::opt")]
    pub geographical: Option<Decimal>,
    /// Completeness (v2.3 only).
    #[serde(with = "crate::num::opt")]
    pub completeness: Option<Decimal>,
    /// Reliability (v2.3 only).
    #[serde(with = "crate::num::opt")]
    pub reliability: Option<Decimal>,
    /// Coverage in percent (v2.3 only).
    #[serde(with = "crate::num::opt")]
    pub coverage_percent: Option<Decimal>,
}

/// The plain summary of a supplier's PACT footprint that a bill of materials uses in place of
/// default data. Every emission value is in kg CO2e per ONE unit of `unit` (per kilogram, per
/// liter, per piece …) whatever the spec version: v2.3 values as written, v3.0 values divided
/// by `declaredUnitAmount` (exact when it divides; otherwise rounded to 28 significant
/// digits). Decimals are normalized (no trailing zeros).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplierPcf {
    /// `2.3` or `3.0`.
    pub version: PactVersion,
    /// The footprint id.
    pub id: String,
    /// Active or Deprecated.
    pub status: String,
    /// The data owner.
    pub company_name: String,
    /// The data owner's URNs.
    pub company_ids: Vec<String>,
    /// The product's URNs (GTIN, part numbers …), to match BOM lines.
    pub product_ids: Vec<String>,
    /// The trade name.
    pub product_name: String,
    /// Classification URNs (v2 `productCategoryCpc` as `urn:pact:productclassification:un-cpc:`).
    pub product_classifications: Vec<String>,
    /// The unit of measure the values are per: kilogram, liter, piece, …
    pub unit: String,
    /// The declared unit amount of the document (v2 `unitaryProductAmount`, v3
    /// `declaredUnitAmount`): how many `unit`s the product holds.
    #[serde(with = "crate::num")]
    pub declared_unit_amount: Decimal,
    /// kg of product per one `unit`, excluding packaging.
    #[serde(with = "crate::num::opt")]
    pub mass_kg_per_unit: Option<Decimal>,
    /// Total excluding biogenic CO2 uptake (v2 `pCfExcludingBiogenic`, v3 `pcfExcludingBiogenicUptake`).
    #[serde(with = "crate::num")]
    pub total_excluding_biogenic: Decimal,
    /// Total including biogenic uptake (v2 `pCfIncludingBiogenic`, v3 `pcfIncludingBiogenicUptake`).
    #[serde(with = "crate::num::opt")]
    pub total_including_biogenic: Option<Decimal>,
    /// Fossil GHG emissions.
    #[serde(with = "crate::num::opt")]
    pub fossil: Option<Decimal>,
    /// Biogenic emissions: v2 `otherBiogenicGhgEmissions`; v3 `biogenicNonCO2Emissions` +
    /// `landManagementBiogenicCO2Emissions` (those given).
    #[serde(with = "crate::num::opt")]
    pub biogenic: Option<Decimal>,
    /// Biogenic CO2 uptake, ≤ 0: v2 `biogenicCarbonWithdrawal`, v3 `biogenicCO2Uptake`.
    #[serde(with = "crate::num::opt")]
    pub biogenic_uptake: Option<Decimal>,
    /// Direct land-use change: v2 `dLucGhgEmissions`, v3 `landUseChangeGhgEmissions`.
    #[serde(with = "crate::num::opt")]
    pub dluc: Option<Decimal>,
    /// Aircraft transport emissions (excluding radiative forcing).
    #[serde(with = "crate::num::opt")]
    pub aircraft: Option<Decimal>,
    /// Packaging emissions, when included and given.
    #[serde(with = "crate::num::opt")]
    pub packaging: Option<Decimal>,
    /// Whether packaging emissions are inside the totals.
    pub packaging_included: Option<bool>,
    /// Share of primary data in percent.
    #[serde(with = "crate::num::opt")]
    pub primary_data_share_percent: Option<Decimal>,
    /// Data quality ratings, when given.
    pub dqr: Option<Dqr>,
    /// Reference period start and end (end exclusive).
    pub reference_period: [String; 2],
    /// Region, country or subdivision, when given.
    pub geography: Option<String>,
    /// IPCC assessment reports of the GWPs used, e.g. AR6.
    pub characterization_factors: Vec<String>,
    /// Whether the footprint declares third-party assurance / verification.
    pub verified: bool,
}

fn val(d: &Option<PactDecimal>) -> Option<Decimal> {
    d.as_ref().map(|x| x.value().normalize())
}

/// The supplier summary of a parsed footprint.
pub fn summary(pf: &ProductFootprint) -> SupplierPcf {
    match pf {
        ProductFootprint::V2(p) => {
            let c = p.pcf.clone().unwrap_or_default();
            let mut classes = p.product_classifications.clone().unwrap_or_default();
            if let Some(cpc) = &p.product_category_cpc {
                classes.push(format!("urn:pact:productclassification:un-cpc:{cpc}"));
            }
            SupplierPcf {
                version: PactVersion::V2,
                id: p.id.clone().unwrap_or_default(),
                status: p.status.clone().unwrap_or_default(),
                company_name: p.company_name.clone().unwrap_or_default(),
                company_ids: p.company_ids.clone().unwrap_or_default(),
                product_ids: p.product_ids.clone().unwrap_or_default(),
                product_name: p.product_name_company.clone().unwrap_or_default(),
                product_classifications: classes,
                unit: c.declared_unit.clone().unwrap_or_default(),
                declared_unit_amount: val(&c.unitary_product_amount).unwrap_or(Decimal::ONE),
                mass_kg_per_unit: val(&c.product_mass_per_declared_unit),
                total_excluding_biogenic: val(&c.p_cf_excluding_biogenic).unwrap_or_default(),
                total_including_biogenic: val(&c.p_cf_including_biogenic),
                fossil: val(&c.fossil_ghg_emissions),
                biogenic: val(&c.other_biogenic_ghg_emissions),
                biogenic_uptake: val(&c.biogenic_carbon_withdrawal),
                dluc: val(&c.d_luc_ghg_emissions),
                aircraft: val(&c.aircraft_ghg_emissions),
                packaging: val(&c.packaging_ghg_emissions),
                packaging_included: c.packaging_emissions_included,
                primary_data_share_percent: val(&c.primary_data_share),
                dqr: c.dqi.as_ref().map(|q| Dqr {
                    scale_max: 3,
                    technological: val(&q.technological_dqr),
                    temporal: val(&q.temporal_dqr),
                    geographical: val(&q.geographical_dqr),
                    completeness: val(&q.completeness_dqr),
                    reliability: val(&q.reliability_dqr),
                    coverage_percent: val(&q.coverage_percent),
                }),
                reference_period: [
                    c.reference_period_start.clone().unwrap_or_default(),
                    c.reference_period_end.clone().unwrap_or_default(),
                ],
                geography: c
                    .geography_country_subdivision
                    .clone()
                    .or(c.geography_country.clone())
                    .or(c.geography_region_or_subregion.clone()),
                characterization_factors: c.ipcc_characterization_factors_sources.clone().unwrap_or_default(),
                verified: c.assurance.as_ref().is_some_and(|a| a.assurance == Some(true)),
            }
        }
        ProductFootprint::V3(p) => {
            let c = p.pcf.clone().unwrap_or_default();
            let a = val(&c.declared_unit_amount).filter(|a| !a.is_zero()).unwrap_or(Decimal::ONE);
            let per = |d: &Option<PactDecimal>| val(d).and_then(|x| x.checked_div(a)).map(|x| x.normalize());
            let biogenic = match (val(&c.biogenic_non_co2_emissions), val(&c.land_management_biogenic_co2_emissions)) {
                (None, None) => None,
                (x, y) => x.unwrap_or_default().checked_add(y.unwrap_or_default()),
            };
            SupplierPcf {
                version: PactVersion::V3,
                id: p.id.clone().unwrap_or_default(),
                status: p.status.clone().unwrap_or_default(),
                company_name: p.company_name.clone().unwrap_or_default(),
                company_ids: p.company_ids.clone().unwrap_or_default(),
                product_ids: p.product_ids.clone().unwrap_or_default(),
                product_name: p.product_name_company.clone().unwrap_or_default(),
                product_classifications: p.product_classifications.clone().unwrap_or_default(),
                unit: c.declared_unit_of_measurement.clone().unwrap_or_default(),
                declared_unit_amount: a,
                mass_kg_per_unit: per(&c.product_mass_per_declared_unit),
                total_excluding_biogenic: per(&c.pcf_excluding_biogenic_uptake).unwrap_or_default(),
                total_including_biogenic: per(&c.pcf_including_biogenic_uptake),
                fossil: per(&c.fossil_ghg_emissions),
                biogenic: biogenic.and_then(|b| b.checked_div(a)).map(|x| x.normalize()),
                biogenic_uptake: per(&c.biogenic_co2_uptake),
                dluc: per(&c.land_use_change_ghg_emissions),
                aircraft: per(&c.aircraft_ghg_emissions),
                packaging: per(&c.packaging_ghg_emissions),
                packaging_included: c.packaging_emissions_included,
                primary_data_share_percent: val(&c.primary_data_share),
                dqr: c.dqi.as_ref().map(|q| Dqr {
                    scale_max: 5,
                    technological: val(&q.technological_dqr),
                    temporal: val(&q.temporal_dqr),
                    geographical: val(&q.geographical_dqr),
                    ..Dqr::default()
                }),
                reference_period: [
                    c.reference_period_start.clone().unwrap_or_default(),
                    c.reference_period_end.clone().unwrap_or_default(),
                ],
                geography: c
                    .geography_country_subdivision
                    .clone()
                    .or(c.geography_country.clone())
                    .or(c.geography_region_or_subregion.clone()),
                characterization_factors: c.ipcc_characterization_factors.clone().unwrap_or_default(),
                verified: c.verification.is_some(),
            }
        }
    }
}

/// `pact_summary`: the [`SupplierPcf`] of a valid document (`PACT_INVALID` otherwise).
pub fn summary_document(i: &DocumentInput) -> Result<SupplierPcf, TansoError> {
    let version = version_of(&i.document, i.version.as_deref(), "version")?;
    Ok(summary(&read(&i.document, version)?))
}

/// Data quality ratings given to `pact_export`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DqrInput {
    /// Technological DQR.
    #[serde(default, with = "crate::num::opt")]
    pub technological: Option<Decimal>,
    /// Temporal DQR.
    #[serde(default, with = "crate::num::opt")]
    pub temporal: Option<Decimal>,
    /// Geographical DQR.
    #[serde(default, with = "crate::num::opt")]
    pub geographical: Option<Decimal>,
    /// Completeness DQR (v2.3).
    #[serde(default, with = "crate::num::opt")]
    pub completeness: Option<Decimal>,
    /// Reliability DQR (v2.3).
    #[serde(default, with = "crate::num::opt")]
    pub reliability: Option<Decimal>,
    /// Coverage in percent (v2.3).
    #[serde(default, with = "crate::num::opt")]
    pub coverage_percent: Option<Decimal>,
}

/// Verification (v3.0) / assurance (v2.3) given to `pact_export`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationInput {
    /// The independent third party.
    #[serde(default)]
    pub provider_name: Option<String>,
    /// When it was completed (RFC 3339).
    #[serde(default)]
    pub completed_at: Option<String>,
    /// The standard verified against.
    #[serde(default)]
    pub standard_name: Option<String>,
    /// The coverage value of the target version.
    #[serde(default)]
    pub coverage: Option<String>,
}

/// Input of `pact_export`: the values of a footprint. Emission values are kg CO2e per ONE
/// `declared_unit` (as in [`SupplierPcf`]); for v3.0 they are multiplied by
/// `declared_unit_amount` (exact). Missing required values are reported all at once as
/// `PACT_INVALID` failures on the paths of the PACT document.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportInput {
    /// `3.0` (default) or `2.3`.
    #[serde(default)]
    pub version: Option<String>,
    /// Footprint id (UUID). tanso generates none, so that output is reproducible.
    pub id: Option<String>,
    /// Creation timestamp (RFC 3339).
    pub created: Option<String>,
    /// Active (default) or Deprecated.
    pub status: Option<String>,
    /// The data owner (`companyName`).
    pub company_name: Option<String>,
    /// The data owner's URNs (`companyIds`).
    pub company_ids: Option<Vec<String>>,
    /// The product's URNs (`productIds`).
    pub product_ids: Option<Vec<String>>,
    /// Trade name (`productNameCompany`).
    pub product_name: Option<String>,
    /// Free-form description (`productDescription`).
    pub product_description: Option<String>,
    /// Classification URNs (`productClassifications`).
    pub product_classifications: Option<Vec<String>>,
    /// UN CPC code (v2.3 `productCategoryCpc`; for v3.0 added as a classification URN).
    pub product_category_cpc: Option<String>,
    /// Calculation notes (`comment`).
    pub comment: Option<String>,
    /// Ids of the footprints this one replaces (`precedingPfIds`).
    pub preceding_pf_ids: Option<Vec<String>>,
    /// Start of validity (RFC 3339), ≥ the reference period end.
    pub validity_period_start: Option<String>,
    /// End of validity (RFC 3339).
    pub validity_period_end: Option<String>,
    /// liter, kilogram, … (v3.0 also piece, hour, megabit second).
    pub declared_unit: Option<String>,
    /// Units of measure in the product (default 1).
    #[serde(default, with = "crate::num::opt")]
    pub declared_unit_amount: Option<Decimal>,
    /// kg of product per one unit of measure.
    #[serde(default, with = "crate::num::opt")]
    pub mass_kg_per_unit: Option<Decimal>,
    /// kg CO2e per unit, excluding biogenic CO2 uptake.
    #[serde(default, with = "crate::num::opt")]
    pub total_excluding_biogenic: Option<Decimal>,
    /// kg CO2e per unit, including biogenic CO2 uptake.
    #[serde(default, with = "crate::num::opt")]
    pub total_including_biogenic: Option<Decimal>,
    /// Fossil GHG emissions, kg CO2e per unit.
    #[serde(default, with = "crate::num::opt")]
    pub fossil: Option<Decimal>,
    /// kg C per unit.
    #[serde(default, with = "crate::num::opt")]
    pub fossil_carbon_content: Option<Decimal>,
    /// kg C per unit.
    #[serde(default, with = "crate::num::opt")]
    pub biogenic_carbon_content: Option<Decimal>,
    /// v2.3 `otherBiogenicGhgEmissions`, v3.0 `biogenicNonCO2Emissions`.
    #[serde(default, with = "crate::num::opt")]
    pub biogenic: Option<Decimal>,
    /// Biogenic CO2 uptake, kg CO2e per unit, ≤ 0.
    #[serde(default, with = "crate::num::opt")]
    pub biogenic_uptake: Option<Decimal>,
    /// Direct land-use change emissions, kg CO2e per unit.
    #[serde(default, with = "crate::num::opt")]
    pub dluc: Option<Decimal>,
    /// v2.3 only (`landManagementGhgEmissions`).
    #[serde(default, with = "crate::num::opt")]
    pub land_management: Option<Decimal>,
    /// Aircraft transport emissions, kg CO2e per unit.
    #[serde(default, with = "crate::num::opt")]
    pub aircraft: Option<Decimal>,
    /// Whether packaging emissions are inside the totals.
    #[serde(default)]
    pub packaging_included: Option<bool>,
    /// Packaging emissions, kg CO2e per unit (only when included).
    #[serde(default, with = "crate::num::opt")]
    pub packaging: Option<Decimal>,
    /// Reference period start (RFC 3339, inclusive).
    pub reference_period_start: Option<String>,
    /// Reference period end (RFC 3339, exclusive).
    pub reference_period_end: Option<String>,
    /// UN region or subregion.
    pub geography_region: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub geography_country: Option<String>,
    /// ISO 3166-2 subdivision.
    pub geography_subdivision: Option<String>,
    /// Processes inside the boundary (`boundaryProcessesDescription`).
    pub boundary_processes: Option<String>,
    /// IPCC reports, default `["AR6"]`.
    pub characterization_factors: Option<Vec<String>>,
    /// v3 vocabulary (ISO14067, GHGP-Product, PACT-3.0, …); for v2.3 the three with a v2
    /// equivalent also fill `crossSectoralStandardsUsed`.
    pub cross_sectoral_standards: Option<Vec<String>>,
    /// Share of emissions exempted, percent (default 0).
    #[serde(default, with = "crate::num::opt")]
    pub exempted_emissions_percent: Option<Decimal>,
    /// Why emissions were exempted (v2.3 fills "" when none were).
    pub exempted_emissions_description: Option<String>,
    /// Allocation rules applied (`allocationRulesDescription`).
    pub allocation_rules: Option<String>,
    /// v2.3 only: `biogenicAccountingMethodology` (PEF, ISO, GHGP or Quantis).
    #[serde(default)]
    pub biogenic_accounting_methodology: Option<String>,
    /// Secondary emission factor databases.
    pub secondary_sources: Option<Vec<EmissionFactorSource>>,
    /// Share of primary data, percent.
    #[serde(default, with = "crate::num::opt")]
    pub primary_data_share: Option<Decimal>,
    /// Data quality ratings (1–5 for v3.0, 1–3 for v2.3).
    pub dqr: Option<DqrInput>,
    /// Third-party verification (v3.0) / assurance (v2.3).
    pub verification: Option<VerificationInput>,
    /// Data model extensions, written as given.
    pub extensions: Option<Vec<DataModelExtension>>,
}

/// Output of `pact_export`.
#[derive(Debug, Clone, Serialize)]
pub struct ExportOutput {
    /// The version written.
    pub version: PactVersion,
    /// The ProductFootprint.
    pub document: ProductFootprint,
}

/// Builds a v3.0 footprint from the values (per one unit of measure), then converts to v2.3
/// when asked; the result is validated and every failing field reported.
pub fn export(i: &ExportInput) -> Result<ExportOutput, TansoError> {
    let version = match &i.version {
        Some(v) => version_of(&Value::Null, Some(v), "version")?,
        None => PactVersion::V3,
    };
    let a = i.declared_unit_amount.unwrap_or(Decimal::ONE);
    let dec = |d: Option<Decimal>| d.map(|x| PactDecimal::string(x.normalize()));
    let per = |d: Option<Decimal>, f: &str| -> Result<Option<PactDecimal>, TansoError> {
        match d {
            None => Ok(None),
            Some(x) => x
                .checked_mul(a)
                .map(|y| Some(PactDecimal::string(y.normalize())))
                .ok_or_else(|| {
                    crate::error::AccountingError::OutOfRange {
                        field: f.to_string(),
                        value: x.to_string(),
                        expected: "values whose product with declared_unit_amount fits 28 significant digits".to_string(),
                    }
                    .into()
                }),
        }
    };
    let mut classes = i.product_classifications.clone().unwrap_or_default();
    if let Some(cpc) = &i.product_category_cpc {
        classes.push(format!("urn:pact:productclassification:un-cpc:{cpc}"));
    }
    let pcf = CarbonFootprintV3 {
        declared_unit_of_measurement: i.declared_unit.clone(),
        declared_unit_amount: Some(PactDecimal::string(a.normalize())),
        product_mass_per_declared_unit: per(i.mass_kg_per_unit, "mass_kg_per_unit")?,
        reference_period_start: i.reference_period_start.clone(),
        reference_period_end: i.reference_period_end.clone(),
        geography_region_or_subregion: i.geography_region.clone(),
        geography_country: i.geography_country.clone(),
        geography_country_subdivision: i.geography_subdivision.clone(),
        boundary_processes_description: i.boundary_processes.clone(),
        pcf_excluding_biogenic_uptake: per(i.total_excluding_biogenic, "total_excluding_biogenic")?,
        pcf_including_biogenic_uptake: per(i.total_including_biogenic, "total_including_biogenic")?,
        fossil_carbon_content: per(i.fossil_carbon_content, "fossil_carbon_content")?,
        biogenic_carbon_content: per(i.biogenic_carbon_content, "biogenic_carbon_content")?,
        fossil_ghg_emissions: per(i.fossil, "fossil")?,
        land_use_change_ghg_emissions: per(i.dluc, "dluc")?,
        biogenic_co2_uptake: per(i.biogenic_uptake, "biogenic_uptake")?,
        biogenic_non_co2_emissions: per(i.biogenic, "biogenic")?,
        aircraft_ghg_emissions: per(i.aircraft, "aircraft")?,
        packaging_emissions_included: i.packaging_included,
        packaging_ghg_emissions: per(i.packaging, "packaging")?,
        ipcc_characterization_factors: Some(i.characterization_factors.clone().unwrap_or_else(|| vec!["AR6".to_string()])),
        cross_sectoral_standards: i.cross_sectoral_standards.clone(),
        exempted_emissions_percent: Some(PactDecimal::string(i.exempted_emissions_percent.unwrap_or_default().normalize())),
        exempted_emissions_description: i.exempted_emissions_description.clone(),
        allocation_rules_description: i.allocation_rules.clone(),
        secondary_emission_factor_sources: i.secondary_sources.clone(),
        primary_data_share: dec(i.primary_data_share),
        dqi: i.dqr.as_ref().map(|q| DataQualityIndicatorsV3 {
            technological_dqr: dec(q.technological),
            geographical_dqr: dec(q.geographical),
            temporal_dqr: dec(q.temporal),
            ..Default::default()
        }),
        verification: i.verification.as_ref().map(|v| VerificationV3 {
            coverage: v.coverage.clone(),
            provider_name: v.provider_name.clone(),
            completed_at: v.completed_at.clone(),
            standard_name: v.standard_name.clone(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let v3 = ProductFootprintV3 {
        id: i.id.clone(),
        spec_version: Some("3.0.0".to_string()),
        preceding_pf_ids: i.preceding_pf_ids.clone(),
        created: i.created.clone(),
        status: Some(i.status.clone().unwrap_or_else(|| "Active".to_string())),
        validity_period_start: i.validity_period_start.clone(),
        validity_period_end: i.validity_period_end.clone(),
        company_name: i.company_name.clone(),
        company_ids: i.company_ids.clone(),
        product_description: i.product_description.clone(),
        product_ids: i.product_ids.clone(),
        product_classifications: (!classes.is_empty()).then_some(classes),
        product_name_company: i.product_name.clone(),
        comment: i.comment.clone(),
        pcf: Some(pcf),
        extensions: i.extensions.clone(),
        other: Default::default(),
    };
    let document = match version {
        PactVersion::V3 => ProductFootprint::V3(Box::new(v3)),
        PactVersion::V2 => {
            let (mut v2, _) = convert::v3_to_v2(&v3);
            v2.product_category_cpc = i.product_category_cpc.clone();
            v2.product_classifications = i.product_classifications.clone();
            v2.comment = Some(i.comment.clone().unwrap_or_default());
            if let Some(c) = v2.pcf.as_mut() {
                c.land_management_ghg_emissions = dec(i.land_management);
                if i.biogenic_accounting_methodology.is_some() {
                    c.biogenic_accounting_methodology = i.biogenic_accounting_methodology.clone();
                }
                c.dqi = i.dqr.as_ref().map(|q| DataQualityIndicatorsV2 {
                    coverage_percent: q.coverage_percent.map(PactDecimal::number),
                    technological_dqr: dec(q.technological),
                    temporal_dqr: dec(q.temporal),
                    geographical_dqr: dec(q.geographical),
                    completeness_dqr: dec(q.completeness),
                    reliability_dqr: dec(q.reliability),
                    ..Default::default()
                });
                if let (Some(a), Some(v)) = (c.assurance.as_mut(), i.verification.as_ref()) {
                    a.coverage = v.coverage.clone();
                }
            }
            ProductFootprint::V2(Box::new(v2))
        }
    };
    let json = serde_json::to_value(&document).map_err(|e| invalid(version, vec![PactFailure { path: String::new(), value: String::new(), rule: e.to_string() }]))?;
    let failures = validate::validate(&json, version);
    if !failures.is_empty() {
        return Err(invalid(version, failures));
    }
    Ok(ExportOutput { version, document })
}
