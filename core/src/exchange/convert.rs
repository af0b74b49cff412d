//! Conversion between PACT Tech Specs v2.3 and v3.0.
//!
//! **The declared unit changed meaning.** In v2.3 every emission value is per ONE declared
//! unit (kg CO2e per liter) and `unitaryProductAmount` says how many the product holds. In
//! v3.0 the declared unit is `declaredUnitAmount` × `declaredUnitOfMeasurement` (ISO 14067
//! §6.3.3), and the values are per that whole amount. PACT decision record 0036 "Clarify
//! product amount" gives the example used in the tests: a 12 L bottle of bio-ethanol,
//! v2 `liter` / `12` / `pCfExcludingBiogenic 1.5` / `productMassPerDeclaredUnit 0.789`, is
//! v3 `liter` / `12` / `18` / `9.468`. So v2 → v3 multiplies every per-declared-unit value
//! (emissions, carbon contents, mass, land occupation) by the amount (exact), and v3 → v2
//! divides (rounded to 28 significant digits when inexact, and said so in a note).
//!
//! What cannot be carried over is listed as notes (`path`, `value`, `note`), never dropped
//! silently:
//! * v2 → v3: `version`, `updated`, `statusComment`, `characterizationFactors` (superseded),
//!   `landManagementGhgEmissions` (v3 splits it into fossil / biogenic CO2 emissions / removals),
//!   `biogenicAccountingMethodology`, `uncertaintyAssessmentDescription`, the DQIs (v2 rates
//!   1–3 on five indicators with coverage, v3 rates 1–5 on three: not rescaled), assurance
//!   `level` and `boundary`, assurance with `assurance: false` (v3 has only the presence of
//!   `verification`), coverage values without a v3 equivalent. Approximations, noted:
//!   `otherBiogenicGhgEmissions` → `biogenicNonCO2Emissions`, `iLucGhgEmissions` →
//!   `landCarbonLeakage`, `productCategoryCpc` → `productClassifications`
//!   (`urn:pact:productclassification:un-cpc:<code>`).
//! * v3 → v2: the land-management split, `landAreaOccupation`, `recycledCarbonContent`,
//!   packaging biogenic carbon, outbound logistics, CCS/CCU properties, `dqi` (scale), all but
//!   the most specific geography (v2.3 allows one), the
//!   declared units piece, hour and megabit second (no v2.3 equivalent: kept, so the result
//!   fails validation and says why). `version` is set to 0 (a new v2 document).
//!
//! Unknown properties and extensions are carried unchanged in both directions.
//!
//! ```
//! use tanso::exchange::{convert::v2_to_v3, pact::ProductFootprintV2};
//! let v2: ProductFootprintV2 = serde_json::from_value(serde_json::json!({
//!     "specVersion": "2.3.0",
//!     "pcf": {"declaredUnit": "liter", "unitaryProductAmount": "12", "pCfExcludingBiogenic": "1.5"}
//! })).unwrap();
//! let (v3, _notes) = v2_to_v3(&v2).unwrap();
//! let pcf = v3.pcf.unwrap();
//! assert_eq!(pcf.declared_unit_amount.unwrap().value(), rust_decimal_macros::dec!(12));
//! assert_eq!(pcf.pcf_excluding_biogenic_uptake.unwrap().value(), rust_decimal_macros::dec!(18));
//! ```

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use super::pact::*;
use crate::error::{AccountingError, TansoError};

/// Something of the source document that the target version cannot carry exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConversionNote {
    /// Path in the source document, e.g. `pcf.dqi`.
    pub path: String,
    /// The source value as JSON text.
    pub value: String,
    /// What happened to it.
    pub note: String,
}

struct Notes(Vec<ConversionNote>);

impl Notes {
    fn add<T: Serialize>(&mut self, path: &str, value: &T, note: &str) {
        self.0.push(ConversionNote {
            path: path.to_string(),
            value: serde_json::to_string(value).unwrap_or_default(),
            note: note.to_string(),
        });
    }
    fn drop_opt<T: Serialize>(&mut self, path: &str, value: &Option<T>, note: &str) {
        if let Some(v) = value {
            self.add(path, v, note);
        }
    }
}

fn overflow(field: &str) -> TansoError {
    AccountingError::OutOfRange {
        field: field.to_string(),
        value: "product with the declared unit amount".to_string(),
        expected: "values small enough for 28-significant-digit decimal arithmetic".to_string(),
    }
    .into()
}

fn times(v: &Option<PactDecimal>, a: Decimal, field: &str) -> Result<Option<PactDecimal>, TansoError> {
    v.as_ref()
        .map(|d| {
            d.value()
                .checked_mul(a)
                .map(|x| PactDecimal::string(x.normalize()))
                .ok_or_else(|| overflow(field))
        })
        .transpose()
}

fn divided(v: &Option<PactDecimal>, a: Decimal, path: &str, notes: &mut Notes) -> Option<PactDecimal> {
    let d = v.as_ref()?;
    let q = d.value().checked_div(a)?;
    if q.checked_mul(a) != Some(d.value()) {
        notes.add(path, d, "divided by the declared unit amount and rounded to 28 significant digits");
    }
    Some(PactDecimal::string(q.normalize()))
}

fn as_string(v: &Option<PactDecimal>) -> Option<PactDecimal> {
    v.as_ref().map(|d| PactDecimal::string(d.value()))
}

fn as_number(v: &Option<PactDecimal>) -> Option<PactDecimal> {
    v.as_ref().map(|d| PactDecimal::number(d.value()))
}

const STD_MAP: &[(&str, &str)] = &[
    ("GHG Protocol Product standard", "GHGP-Product"),
    ("ISO Standard 14067", "ISO14067"),
    ("ISO Standard 14044", "ISO14040-44"),
];

const CPC_URN: &str = "urn:pact:productclassification:un-cpc:";

/// Converts a v2.3 (or 2.x) footprint to v3.0, with notes on what could not be carried.
/// Errors only when a scaled value overflows decimal arithmetic (`OUT_OF_RANGE`).
pub fn v2_to_v3(v2: &ProductFootprintV2) -> Result<(ProductFootprintV3, Vec<ConversionNote>), TansoError> {
    let mut n = Notes(Vec::new());
    n.drop_opt("version", &v2.version, "not carried: v3.0 gives every change a new id (version removed)");
    n.drop_opt("updated", &v2.updated, "not carried: v3.0 has no updated timestamp");
    n.drop_opt("statusComment", &v2.status_comment, "not carried: v3.0 has no statusComment");
    let mut classifications = v2.product_classifications.clone().unwrap_or_default();
    if let Some(cpc) = &v2.product_category_cpc {
        let urn = format!("{CPC_URN}{cpc}");
        if !classifications.contains(&urn) {
            classifications.push(urn);
        }
        n.add("productCategoryCpc", cpc, "carried as productClassifications URN urn:pact:productclassification:un-cpc:<code> (v3.0 replaces productCategoryCpc)");
    }
    let pcf = match &v2.pcf {
        Some(c) => Some(cf_v2_to_v3(c, &mut n)?),
        None => None,
    };
    let v3 = ProductFootprintV3 {
        id: v2.id.clone(),
        spec_version: Some("3.0.0".to_string()),
        preceding_pf_ids: v2.preceding_pf_ids.clone(),
        created: v2.created.clone(),
        status: v2.status.clone(),
        validity_period_start: v2.validity_period_start.clone(),
        validity_period_end: v2.validity_period_end.clone(),
        company_name: v2.company_name.clone(),
        company_ids: v2.company_ids.clone(),
        product_description: v2.product_description.clone(),
        product_ids: v2.product_ids.clone(),
        product_classifications: (!classifications.is_empty()).then_some(classifications),
        product_name_company: v2.product_name_company.clone(),
        comment: v2.comment.clone(),
        pcf,
        extensions: v2.extensions.clone(),
        other: v2.other.clone(),
    };
    Ok((v3, n.0))
}

fn cf_v2_to_v3(c: &CarbonFootprintV2, n: &mut Notes) -> Result<CarbonFootprintV3, TansoError> {
    let a = c.unitary_product_amount.as_ref().map_or(Decimal::ONE, PactDecimal::value);
    if a != Decimal::ONE {
        n.add("pcf.unitaryProductAmount", &c.unitary_product_amount, "v3.0 values are per declaredUnitAmount × unit: every per-declared-unit value multiplied by this amount (PACT decision 0036)");
    }
    let t = |v: &Option<PactDecimal>, f: &str| times(v, a, f);
    n.drop_opt("pcf.characterizationFactors", &c.characterization_factors, "not carried: superseded by ipccCharacterizationFactors");
    n.drop_opt("pcf.landManagementGhgEmissions", &c.land_management_ghg_emissions, "not carried: v3.0 splits land management into landManagementFossilGhgEmissions, landManagementBiogenicCO2Emissions and landManagementBiogenicCO2Removals; the split is not known");
    n.drop_opt("pcf.biogenicAccountingMethodology", &c.biogenic_accounting_methodology, "not carried: v3.0 has no biogenicAccountingMethodology");
    n.drop_opt("pcf.uncertaintyAssessmentDescription", &c.uncertainty_assessment_description, "not carried: v3.0 has no uncertaintyAssessmentDescription");
    n.drop_opt("pcf.dqi", &c.dqi, "not carried: v2 DQRs are rated 1–3 (five indicators and coverage), v3.0 DQRs 1–5 (three indicators) under a different matrix; not rescaled");
    if c.other_biogenic_ghg_emissions.is_some() {
        n.add("pcf.otherBiogenicGhgEmissions", &c.other_biogenic_ghg_emissions, "carried as biogenicNonCO2Emissions (closest v3.0 property; v3.0 counts no biogenic CO2 emissions outside land management)");
    }
    if c.i_luc_ghg_emissions.is_some() {
        n.add("pcf.iLucGhgEmissions", &c.i_luc_ghg_emissions, "carried as landCarbonLeakage (the v3.0 placeholder for indirect land-use change)");
    }
    if c.product_mass_per_declared_unit.is_none() {
        n.add("pcf.productMassPerDeclaredUnit", &Value::Null, "missing: required in v3.0");
    }
    let mut standards = c.cross_sectoral_standards.clone().unwrap_or_default();
    for s in c.cross_sectoral_standards_used.iter().flatten() {
        match STD_MAP.iter().find(|(v2s, _)| v2s == s) {
            Some((_, v3s)) => {
                if !standards.iter().any(|x| x == v3s) {
                    standards.push((*v3s).to_string());
                }
            }
            None => n.add("pcf.crossSectoralStandardsUsed", s, "not carried: no v3.0 equivalent"),
        }
    }
    let verification = match &c.assurance {
        Some(a) if a.assurance == Some(true) => {
            n.drop_opt("pcf.assurance.level", &a.level, "not carried: v3.0 verification has no level");
            n.drop_opt("pcf.assurance.boundary", &a.boundary, "not carried: v3.0 verification has no boundary");
            let coverage = match a.coverage.as_deref() {
                Some("product level") => Some("product level".to_string()),
                Some(other) => {
                    n.add("pcf.assurance.coverage", &other, "not carried: no v3.0 coverage value (PCF calculation model, PCF program, product level) is equivalent");
                    None
                }
                None => None,
            };
            Some(VerificationV3 {
                coverage,
                provider_name: a.provider_name.clone().filter(|s| !s.is_empty()),
                completed_at: a.completed_at.clone(),
                standard_name: a.standard_name.clone(),
                comments: a.comments.clone(),
                other: a.other.clone(),
            })
        }
        Some(a) => {
            n.add("pcf.assurance", a, "not carried: not assured; in v3.0 the absence of verification says so");
            None
        }
        None => None,
    };
    Ok(CarbonFootprintV3 {
        declared_unit_of_measurement: c.declared_unit.clone(),
        declared_unit_amount: c.unitary_product_amount.as_ref().map(|d| PactDecimal::string(d.value())),
        product_mass_per_declared_unit: t(&c.product_mass_per_declared_unit, "pcf.productMassPerDeclaredUnit")?,
        reference_period_start: c.reference_period_start.clone(),
        reference_period_end: c.reference_period_end.clone(),
        geography_region_or_subregion: c.geography_region_or_subregion.clone(),
        geography_country: c.geography_country.clone(),
        geography_country_subdivision: c.geography_country_subdivision.clone(),
        boundary_processes_description: c.boundary_processes_description.clone(),
        pcf_excluding_biogenic_uptake: t(&c.p_cf_excluding_biogenic, "pcf.pCfExcludingBiogenic")?,
        pcf_including_biogenic_uptake: t(&c.p_cf_including_biogenic, "pcf.pCfIncludingBiogenic")?,
        fossil_carbon_content: t(&c.fossil_carbon_content, "pcf.fossilCarbonContent")?,
        biogenic_carbon_content: t(&c.biogenic_carbon_content, "pcf.biogenicCarbonContent")?,
        fossil_ghg_emissions: t(&c.fossil_ghg_emissions, "pcf.fossilGhgEmissions")?,
        land_use_change_ghg_emissions: t(&c.d_luc_ghg_emissions, "pcf.dLucGhgEmissions")?,
        land_carbon_leakage: t(&c.i_luc_ghg_emissions, "pcf.iLucGhgEmissions")?,
        biogenic_co2_uptake: t(&c.biogenic_carbon_withdrawal, "pcf.biogenicCarbonWithdrawal")?,
        biogenic_non_co2_emissions: t(&c.other_biogenic_ghg_emissions, "pcf.otherBiogenicGhgEmissions")?,
        aircraft_ghg_emissions: t(&c.aircraft_ghg_emissions, "pcf.aircraftGhgEmissions")?,
        packaging_emissions_included: c.packaging_emissions_included,
        packaging_ghg_emissions: t(&c.packaging_ghg_emissions, "pcf.packagingGhgEmissions")?,
        ipcc_characterization_factors: c.ipcc_characterization_factors_sources.clone(),
        cross_sectoral_standards: (!standards.is_empty()).then_some(standards),
        product_or_sector_specific_rules: c.product_or_sector_specific_rules.clone(),
        exempted_emissions_percent: as_string(&c.exempted_emissions_percent),
        exempted_emissions_description: c.exempted_emissions_description.clone(),
        allocation_rules_description: c.allocation_rules_description.clone(),
        secondary_emission_factor_sources: c.secondary_emission_factor_sources.clone(),
        primary_data_share: as_string(&c.primary_data_share),
        verification,
        other: c.other.clone(),
        ..CarbonFootprintV3::default()
    })
}

/// Converts a v3.0 footprint to v2.3, with notes on what could not be carried.
pub fn v3_to_v2(v3: &ProductFootprintV3) -> (ProductFootprintV2, Vec<ConversionNote>) {
    let mut n = Notes(Vec::new());
    let cpc = v3
        .product_classifications
        .iter()
        .flatten()
        .find_map(|u| u.strip_prefix(CPC_URN).map(str::to_string));
    if cpc.is_none() {
        n.add("productClassifications", &v3.product_classifications, "no urn:pact:productclassification:un-cpc: classification: productCategoryCpc (required in v2.3) cannot be filled");
    }
    let pcf = v3.pcf.as_ref().map(|c| cf_v3_to_v2(c, &mut n));
    let v2 = ProductFootprintV2 {
        id: v3.id.clone(),
        spec_version: Some("2.3.0".to_string()),
        preceding_pf_ids: v3.preceding_pf_ids.clone(),
        version: Some(0),
        created: v3.created.clone(),
        updated: None,
        status: v3.status.clone(),
        status_comment: None,
        validity_period_start: v3.validity_period_start.clone(),
        validity_period_end: v3.validity_period_end.clone(),
        company_name: v3.company_name.clone(),
        company_ids: v3.company_ids.clone(),
        product_description: v3.product_description.clone(),
        product_ids: v3.product_ids.clone(),
        product_classifications: v3.product_classifications.clone(),
        product_category_cpc: cpc,
        product_name_company: v3.product_name_company.clone(),
        comment: Some(v3.comment.clone().unwrap_or_default()),
        pcf,
        extensions: v3.extensions.clone(),
        other: v3.other.clone(),
    };
    (v2, n.0)
}

fn cf_v3_to_v2(c: &CarbonFootprintV3, n: &mut Notes) -> CarbonFootprintV2 {
    let a = c.declared_unit_amount.as_ref().map_or(Decimal::ONE, PactDecimal::value);
    let a = if a.is_zero() { Decimal::ONE } else { a };
    if let Some(u) = &c.declared_unit_of_measurement {
        if !super::validate::DECLARED_UNITS_V2.contains(&u.as_str()) {
            n.add("pcf.declaredUnitOfMeasurement", u, "no v2.3 declaredUnit equivalent (v2.3: liter, kilogram, cubic meter, kilowatt hour, megajoule, ton kilometer, square meter); kept, so the result is not a valid v2.3 document");
        }
    }
    let mut d = |v: &Option<PactDecimal>, p: &str| divided(v, a, p, n);
    let mass = d(&c.product_mass_per_declared_unit, "pcf.productMassPerDeclaredUnit");
    let excl = d(&c.pcf_excluding_biogenic_uptake, "pcf.pcfExcludingBiogenicUptake");
    let incl = d(&c.pcf_including_biogenic_uptake, "pcf.pcfIncludingBiogenicUptake");
    let fossil = d(&c.fossil_ghg_emissions, "pcf.fossilGhgEmissions");
    let fcc = d(&c.fossil_carbon_content, "pcf.fossilCarbonContent");
    let bcc = d(&c.biogenic_carbon_content, "pcf.biogenicCarbonContent");
    let luc = d(&c.land_use_change_ghg_emissions, "pcf.landUseChangeGhgEmissions");
    let iluc = d(&c.land_carbon_leakage, "pcf.landCarbonLeakage");
    let uptake = d(&c.biogenic_co2_uptake, "pcf.biogenicCO2Uptake");
    let bio = d(&c.biogenic_non_co2_emissions, "pcf.biogenicNonCO2Emissions");
    let air = d(&c.aircraft_ghg_emissions, "pcf.aircraftGhgEmissions");
    let pack = d(&c.packaging_ghg_emissions, "pcf.packagingGhgEmissions");
    for (path, v) in [
        ("pcf.landManagementFossilGhgEmissions", &c.land_management_fossil_ghg_emissions),
        ("pcf.landManagementBiogenicCO2Emissions", &c.land_management_biogenic_co2_emissions),
        ("pcf.landManagementBiogenicCO2Removals", &c.land_management_biogenic_co2_removals),
        ("pcf.landAreaOccupation", &c.land_area_occupation),
        ("pcf.recycledCarbonContent", &c.recycled_carbon_content),
        ("pcf.packagingBiogenicCarbonContent", &c.packaging_biogenic_carbon_content),
        ("pcf.outboundLogisticsGhgEmissions", &c.outbound_logistics_ghg_emissions),
        ("pcf.technologicalCO2Removals", &c.technological_co2_removals),
        ("pcf.ccsTechnologicalCO2Capture", &c.ccs_technological_co2_capture),
        ("pcf.ccuCarbonContent", &c.ccu_carbon_content),
    ] {
        n.drop_opt(path, v, "not carried: v2.3 has no such property");
    }
    n.drop_opt("pcf.technologicalCO2CaptureOrigin", &c.technological_co2_capture_origin, "not carried: v2.3 has no such property");
    n.drop_opt("pcf.ccsTechnologicalCO2CaptureIncluded", &c.ccs_technological_co2_capture_included, "not carried: v2.3 has no such property");
    n.drop_opt("pcf.ccuCalculationApproach", &c.ccu_calculation_approach, "not carried: v2.3 has no such property");
    n.drop_opt("pcf.ccuCreditCertification", &c.ccu_credit_certification, "not carried: v2.3 has no such property");
    n.drop_opt("pcf.dqi", &c.dqi, "not carried: v3.0 DQRs are rated 1–5 on three indicators, v2.3 DQRs 1–3 on five with coverage; not rescaled");
    if c.biogenic_carbon_content.is_none() {
        n.add("pcf.biogenicCarbonContent", &Value::Null, "missing: required in v2.3");
    }
    // v2.3 allows one geographic granularity: keep the most specific.
    let mut region = c.geography_region_or_subregion.clone();
    let mut country = c.geography_country.clone();
    if c.geography_country_subdivision.is_some() || country.is_some() {
        n.drop_opt("pcf.geographyRegionOrSubregion", &region.take(), "not carried: v2.3 allows one geographic granularity; the most specific one is kept");
    }
    if c.geography_country_subdivision.is_some() {
        n.drop_opt("pcf.geographyCountry", &country.take(), "not carried: v2.3 allows one geographic granularity; the most specific one is kept");
    }
    // v2.3 requires the description, which "CAN be the empty string if no emissions were
    // excluded": filled with "" only when the exempted share is zero.
    let nothing_exempted = c.exempted_emissions_percent.as_ref().is_some_and(|p| p.value().is_zero());
    let exempted_description = c
        .exempted_emissions_description
        .clone()
        .or_else(|| nothing_exempted.then(String::new));
    for (path, v) in [
        ("pcf.boundaryProcessesDescription", c.boundary_processes_description.is_none()),
        ("pcf.exemptedEmissionsDescription", exempted_description.is_none()),
        ("pcf.packagingEmissionsIncluded", c.packaging_emissions_included.is_none()),
    ] {
        if v {
            n.add(path, &Value::Null, "missing: required in v2.3");
        }
    }
    let ar = c.ipcc_characterization_factors.clone().unwrap_or_default();
    let cf = ["AR6", "AR5"].into_iter().find(|x| ar.iter().any(|a| a == x)).map(str::to_string);
    if cf.is_none() {
        n.add("pcf.ipccCharacterizationFactors", &ar, "neither AR5 nor AR6: characterizationFactors (required in v2.3) cannot be filled");
    }
    let used: Vec<String> = c
        .cross_sectoral_standards
        .iter()
        .flatten()
        .filter_map(|s| STD_MAP.iter().find(|(_, v3s)| v3s == s).map(|(v2s, _)| (*v2s).to_string()))
        .collect();
    if used.is_empty() {
        n.add("pcf.crossSectoralStandards", &c.cross_sectoral_standards, "none of GHGP-Product, ISO14067, ISO14040-44: crossSectoralStandardsUsed (required in v2.3) cannot be filled");
    }
    let assurance = c.verification.as_ref().map(|v| {
        let coverage = match v.coverage.as_deref() {
            Some("product level") => Some("product level".to_string()),
            Some(other) => {
                n.add("pcf.verification.coverage", &other, "not carried: no v2.3 assurance coverage value is equivalent");
                None
            }
            None => None,
        };
        AssuranceV2 {
            assurance: Some(true),
            coverage,
            level: None,
            boundary: None,
            provider_name: Some(v.provider_name.clone().unwrap_or_default()),
            completed_at: v.completed_at.clone(),
            standard_name: v.standard_name.clone(),
            comments: v.comments.clone(),
            other: v.other.clone(),
        }
    });
    CarbonFootprintV2 {
        declared_unit: c.declared_unit_of_measurement.clone(),
        unitary_product_amount: c.declared_unit_amount.clone(),
        product_mass_per_declared_unit: mass,
        p_cf_excluding_biogenic: excl,
        p_cf_including_biogenic: incl,
        fossil_ghg_emissions: fossil,
        fossil_carbon_content: fcc,
        biogenic_carbon_content: bcc,
        d_luc_ghg_emissions: luc,
        i_luc_ghg_emissions: iluc,
        other_biogenic_ghg_emissions: bio,
        biogenic_carbon_withdrawal: uptake,
        aircraft_ghg_emissions: air,
        characterization_factors: cf,
        ipcc_characterization_factors_sources: c.ipcc_characterization_factors.clone(),
        cross_sectoral_standards_used: (!used.is_empty()).then_some(used),
        cross_sectoral_standards: c.cross_sectoral_standards.clone(),
        product_or_sector_specific_rules: c.product_or_sector_specific_rules.clone(),
        boundary_processes_description: c.boundary_processes_description.clone(),
        reference_period_start: c.reference_period_start.clone(),
        reference_period_end: c.reference_period_end.clone(),
        geography_region_or_subregion: region,
        geography_country: country,
        geography_country_subdivision: c.geography_country_subdivision.clone(),
        secondary_emission_factor_sources: c.secondary_emission_factor_sources.clone(),
        exempted_emissions_percent: as_number(&c.exempted_emissions_percent),
        exempted_emissions_description: exempted_description,
        packaging_emissions_included: c.packaging_emissions_included,
        packaging_ghg_emissions: pack,
        allocation_rules_description: c.allocation_rules_description.clone(),
        primary_data_share: as_number(&c.primary_data_share),
        assurance,
        other: c.other.clone(),
        ..CarbonFootprintV2::default()
    }
}
