//! The PACT ProductFootprint data model, Technical Specifications for PCF Data Exchange
//! version 2.3 and version 3.0 (WBCSD Partnership for Carbon Transparency,
//! <https://docs.carbon-transparency.org/>), as serde structures.
//!
//! * v2.3: section 4 "Data Model" — `ProductFootprint`, `CarbonFootprint`,
//!   `DataQualityIndicators` (DQRs 1–3, `coveragePercent`), `Assurance`,
//!   `ProductOrSectorSpecificRule`, `EmissionFactorDS`, `DataModelExtension`.
//! * v3.0: section 4 "Data Model" and the `components/schemas` of the published OpenAPI file —
//!   the v3 renames (`declaredUnit` → `declaredUnitOfMeasurement`, `unitaryProductAmount` →
//!   `declaredUnitAmount`, `pCfExcludingBiogenic` → `pcfExcludingBiogenicUptake`,
//!   `dLucGhgEmissions` → `landUseChangeGhgEmissions`, `biogenicCarbonWithdrawal` →
//!   `biogenicCO2Uptake`, `assurance` → `verification`, …), every real number a decimal string,
//!   DQRs 1–5.
//!
//! Every property is optional here, so that any document can be read and then checked by
//! [`super::validate`], which lists every failing field at once. Properties a version does not
//! define are kept in `other` and written back, and decimals keep the exact text (or JSON
//! number) they were read as, so a document read and written again is the same JSON value.
//! Emission values are in kg CO2e per declared unit, carbon contents in kg C per declared
//! unit, masses in kg: see [`super::convert`] for what "declared unit" means in each version.
//!
//! ```
//! use tanso::exchange::pact::ProductFootprintV3;
//! let text = r#"{"id":"6d1d0a52-7b8c-4c1e-9d3f-2a4b5c6d7e8f","specVersion":"3.0.0",
//!   "pcf":{"declaredUnitOfMeasurement":"kilogram","declaredUnitAmount":"1.0",
//!          "pcfExcludingBiogenicUptake":"2.50"},"x-custom":{"a":[1,2]}}"#;
//! let pf: ProductFootprintV3 = serde_json::from_str(text).unwrap();
//! let pcf = pf.pcf.as_ref().unwrap();
//! assert_eq!(pcf.pcf_excluding_biogenic_uptake.as_ref().unwrap().value(), rust_decimal_macros::dec!(2.5));
//! let again: serde_json::Value = serde_json::to_value(&pf).unwrap();
//! assert_eq!(again, serde_json::from_str::<serde_json::Value>(text).unwrap());
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

/// A PACT decimal: its value and the exact form it was written in, so that writing it back
/// gives the same JSON. The specs encode decimals as JSON strings matching
/// `^[+-]?\d+(\.\d+)?$` (v3.0 `Decimal`; v2.3 `Decimal`); some v2.3 properties are JSON numbers
/// (`exemptedEmissionsPercent`, `primaryDataShare`, `coveragePercent`), kept as numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct PactDecimal {
    value: Decimal,
    raw: Raw,
}

#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Text(String),
    Number(Number),
}

impl PactDecimal {
    /// A decimal written as a JSON string with the decimal's own digits (scale kept:
    /// `1.50` stays `"1.50"`), as the specs require for `Decimal` properties.
    pub fn string(value: Decimal) -> Self {
        PactDecimal {
            raw: Raw::Text(value.to_string()),
            value,
        }
    }

    /// A decimal written as a JSON number (v2.3 `Number` properties such as
    /// `primaryDataShare`). The number is the decimal's shortest binary64 form.
    pub fn number(value: Decimal) -> Self {
        let n = if value.fract().is_zero() {
            i64::try_from(value).ok().map(Number::from)
        } else {
            None
        };
        let n = n.or_else(|| {
            f64::from_str(&value.to_string())
                .ok()
                .and_then(Number::from_f64)
        });
        match n {
            Some(n) => PactDecimal {
                value,
                raw: Raw::Number(n),
            },
            None => PactDecimal::string(value),
        }
    }

    /// The value.
    pub fn value(&self) -> Decimal {
        self.value
    }

    /// Whether it was (or will be) written as a JSON string.
    pub fn is_string(&self) -> bool {
        matches!(self.raw, Raw::Text(_))
    }

    /// Parses the text of a decimal string as the specs write it.
    pub fn parse(text: &str) -> Option<Self> {
        decimal_text(text).map(|value| PactDecimal {
            value,
            raw: Raw::Text(text.to_string()),
        })
    }
}

/// Parses `^[+-]?\d+(\.\d+)?$` (the v3.0 `Decimal` pattern) exactly into a decimal, `None` if
/// the text does not match or needs more than 28 significant digits.
pub fn decimal_text(text: &str) -> Option<Decimal> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    // Refuse silent rounding: the decimal must print back to the same digits (rust_decimal
    // holds 28 to 29 significant digits and at most 28 decimal places).
    if frac.map_or(0, str::len) > 28 {
        return None;
    }
    let d = Decimal::from_str(text.strip_prefix('+').unwrap_or(text)).ok()?;
    let printed = d.abs().to_string();
    if printed.trim_start_matches('0') != body.trim_start_matches('0') {
        return None;
    }
    Some(d)
}

impl Serialize for PactDecimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.raw {
            Raw::Text(t) => s.serialize_str(t),
            Raw::Number(n) => n.serialize(s),
        }
    }
}

struct PactDecimalVisitor;

impl<'de> Visitor<'de> for PactDecimalVisitor {
    type Value = PactDecimal;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal string such as \"1.25\" (or a JSON number where v2.3 has one)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<PactDecimal, E> {
        PactDecimal::parse(v).ok_or_else(|| E::custom(format!("'{v}' is not a decimal")))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<PactDecimal, E> {
        Ok(PactDecimal {
            value: Decimal::from(v),
            raw: Raw::Number(Number::from(v)),
        })
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<PactDecimal, E> {
        Ok(PactDecimal {
            value: Decimal::from(v),
            raw: Raw::Number(Number::from(v)),
        })
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<PactDecimal, E> {
        let value = crate::num::decimal_from_f64(v, "value").map_err(E::custom)?;
        let n = Number::from_f64(v).ok_or_else(|| E::custom("not a finite number"))?;
        Ok(PactDecimal {
            value,
            raw: Raw::Number(n),
        })
    }
}

impl<'de> Deserialize<'de> for PactDecimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PactDecimalVisitor)
    }
}

macro_rules! pact_struct {
    ($(#[$m:meta])* $name:ident { $( $(#[$fm:meta])* $f:ident : $t:ty ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $(
                $(#[$fm])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $f: Option<$t>,
            )*
            /// Properties this version of the spec does not define (and extensions placed
            /// directly on the object), kept exactly and written back.
            #[serde(flatten)]
            pub other: BTreeMap<String, Value>,
        }
    };
}

pact_struct! {
    /// A `ProductFootprint` of Tech Specs v2.3 (section 4.1, "Data Type: ProductFootprint").
    ProductFootprintV2 {
        /// `id` (M): the footprint identifier, a UUID (`PfId`).
        id: String,
        /// `specVersion` (M): the spec version, e.g. `2.3.0`.
        spec_version: String,
        /// `precedingPfIds` (O): non-empty set of preceding footprint ids.
        preceding_pf_ids: Vec<String>,
        /// `version` (M): integer 0..2^31-1.
        version: i64,
        /// `created` (M): ISO 8601 UTC timestamp.
        created: String,
        /// `updated` (O): timestamp of the last update.
        updated: String,
        /// `status` (M): `Active` or `Deprecated`.
        status: String,
        /// `statusComment` (O).
        status_comment: String,
        /// `validityPeriodStart` (O).
        validity_period_start: String,
        /// `validityPeriodEnd` (O).
        validity_period_end: String,
        /// `companyName` (M): non-empty.
        company_name: String,
        /// `companyIds` (M): non-empty set of URNs.
        company_ids: Vec<String>,
        /// `productDescription` (M).
        product_description: String,
        /// `productIds` (M): non-empty set of URNs.
        product_ids: Vec<String>,
        /// `productClassifications` (O, new in 2.3): URNs.
        product_classifications: Vec<String>,
        /// `productCategoryCpc` (M in v2.3, deprecated): UN CPC code.
        product_category_cpc: String,
        /// `productNameCompany` (M): trade name.
        product_name_company: String,
        /// `comment` (M in v2.3).
        comment: String,
        /// `pcf` (M): the carbon footprint.
        pcf: CarbonFootprintV2,
        /// `extensions` (O): data model extensions.
        extensions: Vec<DataModelExtension>,
    }
}

pact_struct! {
    /// A `CarbonFootprint` of Tech Specs v2.3 (section 4.2). Values are per ONE declared unit
    /// (kg CO2e per liter, per kilogram, …); the product holds `unitaryProductAmount` of them.
    CarbonFootprintV2 {
        /// `declaredUnit` (M): liter, kilogram, cubic meter, kilowatt hour, megajoule,
        /// ton kilometer or square meter.
        declared_unit: String,
        /// `unitaryProductAmount` (M): declared units in the product, > 0.
        unitary_product_amount: PactDecimal,
        /// `productMassPerDeclaredUnit` (O): kg of product per declared unit.
        product_mass_per_declared_unit: PactDecimal,
        /// `pCfExcludingBiogenic` (M): kg CO2e per declared unit, ≥ 0.
        p_cf_excluding_biogenic: PactDecimal,
        /// `pCfIncludingBiogenic` (O*): kg CO2e per declared unit.
        p_cf_including_biogenic: PactDecimal,
        /// `fossilGhgEmissions` (M): kg CO2e per declared unit, ≥ 0.
        fossil_ghg_emissions: PactDecimal,
        /// `fossilCarbonContent` (M): kg C per declared unit, ≥ 0.
        fossil_carbon_content: PactDecimal,
        /// `biogenicCarbonContent` (M): kg C per declared unit, ≥ 0.
        biogenic_carbon_content: PactDecimal,
        /// `dLucGhgEmissions` (O*): direct land-use change, kg CO2e per declared unit, ≥ 0.
        d_luc_ghg_emissions: PactDecimal,
        /// `landManagementGhgEmissions` (O*): kg CO2e per declared unit.
        land_management_ghg_emissions: PactDecimal,
        /// `otherBiogenicGhgEmissions` (O*): kg CO2e per declared unit, ≥ 0.
        other_biogenic_ghg_emissions: PactDecimal,
        /// `iLucGhgEmissions` (O): indirect land-use change, ≥ 0.
        i_luc_ghg_emissions: PactDecimal,
        /// `biogenicCarbonWithdrawal` (O*): biogenic CO2 uptake, kg CO2e per declared unit, ≤ 0.
        biogenic_carbon_withdrawal: PactDecimal,
        /// `aircraftGhgEmissions` (O*): kg CO2e per declared unit, ≥ 0.
        aircraft_ghg_emissions: PactDecimal,
        /// `characterizationFactors` (M, deprecated): `AR5` or `AR6`.
        characterization_factors: String,
        /// `ipccCharacterizationFactorsSources` (M): e.g. `["AR6"]`.
        ipcc_characterization_factors_sources: Vec<String>,
        /// `crossSectoralStandardsUsed` (M, deprecated in 2.3).
        cross_sectoral_standards_used: Vec<String>,
        /// `crossSectoralStandards` (O, new in 2.3, the v3 vocabulary).
        cross_sectoral_standards: Vec<String>,
        /// `productOrSectorSpecificRules` (O).
        product_or_sector_specific_rules: Vec<ProductOrSectorSpecificRule>,
        /// `biogenicAccountingMethodology` (O): PEF, ISO, GHGP or Quantis.
        biogenic_accounting_methodology: String,
        /// `boundaryProcessesDescription` (M).
        boundary_processes_description: String,
        /// `referencePeriodStart` (M): inclusive.
        reference_period_start: String,
        /// `referencePeriodEnd` (M): exclusive.
        reference_period_end: String,
        /// `geographyRegionOrSubregion` (O): a UN region or subregion.
        geography_region_or_subregion: String,
        /// `geographyCountry` (O): ISO 3166-1 alpha-2.
        geography_country: String,
        /// `geographyCountrySubdivision` (O): ISO 3166-2.
        geography_country_subdivision: String,
        /// `secondaryEmissionFactorSources` (O*).
        secondary_emission_factor_sources: Vec<EmissionFactorSource>,
        /// `exemptedEmissionsPercent` (M): JSON number 0..5.
        exempted_emissions_percent: PactDecimal,
        /// `exemptedEmissionsDescription` (M).
        exempted_emissions_description: String,
        /// `packagingEmissionsIncluded` (M).
        packaging_emissions_included: bool,
        /// `packagingGhgEmissions` (O): ≥ 0, undefined when packaging is not included.
        packaging_ghg_emissions: PactDecimal,
        /// `allocationRulesDescription` (O).
        allocation_rules_description: String,
        /// `uncertaintyAssessmentDescription` (O).
        uncertainty_assessment_description: String,
        /// `primaryDataShare` (O*): JSON number, percent 0..100.
        primary_data_share: PactDecimal,
        /// `dqi` (O*): data quality indicators.
        dqi: DataQualityIndicatorsV2,
        /// `assurance` (O).
        assurance: AssuranceV2,
    }
}

pact_struct! {
    /// `DataQualityIndicators` of v2.3 (section 4.6): coverage in percent and five DQRs, each
    /// between 1 and 3 (PACT Methodology v2, section 4.2.3).
    DataQualityIndicatorsV2 {
        /// `coveragePercent` (M): JSON number 0..100.
        coverage_percent: PactDecimal,
        /// `technologicalDQR` (M): 1..3.
        #[serde(rename = "technologicalDQR")]
        technological_dqr: PactDecimal,
        /// `temporalDQR` (M): 1..3.
        #[serde(rename = "temporalDQR")]
        temporal_dqr: PactDecimal,
        /// `geographicalDQR` (M): 1..3.
        #[serde(rename = "geographicalDQR")]
        geographical_dqr: PactDecimal,
        /// `completenessDQR` (M): 1..3.
        #[serde(rename = "completenessDQR")]
        completeness_dqr: PactDecimal,
        /// `reliabilityDQR` (M): 1..3.
        #[serde(rename = "reliabilityDQR")]
        reliability_dqr: PactDecimal,
    }
}

pact_struct! {
    /// `Assurance` of v2.3 (section 4.7).
    AssuranceV2 {
        /// `assurance` (M): whether the footprint was assured.
        assurance: bool,
        /// `coverage` (O): corporate level, product line, PCF system or product level.
        coverage: String,
        /// `level` (O): limited or reasonable.
        level: String,
        /// `boundary` (O): Gate-to-Gate or Cradle-to-Gate.
        boundary: String,
        /// `providerName` (M).
        provider_name: String,
        /// `completedAt` (O).
        completed_at: String,
        /// `standardName` (O).
        standard_name: String,
        /// `comments` (O).
        comments: String,
    }
}

pact_struct! {
    /// `ProductOrSectorSpecificRule` (v2.3 section 4.4; v3.0 schema of the same name).
    ProductOrSectorSpecificRule {
        /// `operator` (M): PEF, EPD International or Other.
        operator: String,
        /// `ruleNames` (M): non-empty set of rule names.
        rule_names: Vec<String>,
        /// `otherOperatorName` (O): required when `operator` is Other.
        other_operator_name: String,
    }
}

pact_struct! {
    /// `EmissionFactorDS` (v2.3) / `EmissionFactorSource` (v3.0): a secondary database.
    EmissionFactorSource {
        /// `name` (M): e.g. ecoinvent.
        name: String,
        /// `version` (M): e.g. 3.9.1.
        version: String,
    }
}

pact_struct! {
    /// `DataModelExtension` (both versions): `data` is kept as arbitrary JSON.
    DataModelExtension {
        /// `specVersion` (M): version of the extension spec.
        spec_version: String,
        /// `dataSchema` (M): URL of the extension schema.
        data_schema: String,
        /// `documentation` (O): URL.
        documentation: String,
        /// `data` (M): a JSON object conforming to `dataSchema`, kept as it is.
        data: Value,
    }
}

pact_struct! {
    /// A `ProductFootprint` of Tech Specs v3.0 (section 4 and the OpenAPI schema
    /// `ProductFootprint`). `version`, `updated` and `statusComment` of v2 are gone.
    ProductFootprintV3 {
        /// `id` (M): UUID.
        id: String,
        /// `specVersion` (M): `3.0.0`.
        spec_version: String,
        /// `precedingPfIds` (O): non-empty set of UUIDs.
        preceding_pf_ids: Vec<String>,
        /// `created` (M).
        created: String,
        /// `status` (M): Active or Deprecated.
        status: String,
        /// `validityPeriodStart` (O).
        validity_period_start: String,
        /// `validityPeriodEnd` (O).
        validity_period_end: String,
        /// `companyName` (M): non-empty.
        company_name: String,
        /// `companyIds` (M): non-empty set of URNs.
        company_ids: Vec<String>,
        /// `productDescription` (M).
        product_description: String,
        /// `productIds` (M): non-empty set of URNs.
        product_ids: Vec<String>,
        /// `productClassifications` (O): URNs (replace `productCategoryCpc`).
        product_classifications: Vec<String>,
        /// `productNameCompany` (M): non-empty.
        product_name_company: String,
        /// `comment` (O).
        comment: String,
        /// `pcf` (M).
        pcf: CarbonFootprintV3,
        /// `extensions` (O).
        extensions: Vec<DataModelExtension>,
    }
}

pact_struct! {
    /// A `CarbonFootprint` of Tech Specs v3.0. Values are per declared unit in the ISO 14067
    /// sense: `declaredUnitAmount` × `declaredUnitOfMeasurement` (e.g. per 12 liter).
    CarbonFootprintV3 {
        /// `declaredUnitOfMeasurement` (M): liter, kilogram, cubic meter, kilowatt hour,
        /// megajoule, ton kilometer, square meter, piece, hour or megabit second.
        declared_unit_of_measurement: String,
        /// `declaredUnitAmount` (M): > 0.
        declared_unit_amount: PactDecimal,
        /// `productMassPerDeclaredUnit` (M): kg per declared unit, excluding packaging.
        product_mass_per_declared_unit: PactDecimal,
        /// `referencePeriodStart` (M).
        reference_period_start: String,
        /// `referencePeriodEnd` (M).
        reference_period_end: String,
        /// `geographyRegionOrSubregion` (O).
        geography_region_or_subregion: String,
        /// `geographyCountry` (O).
        geography_country: String,
        /// `geographyCountrySubdivision` (O).
        geography_country_subdivision: String,
        /// `boundaryProcessesDescription` (O).
        boundary_processes_description: String,
        /// `pcfExcludingBiogenicUptake` (M): kg CO2e per declared unit.
        pcf_excluding_biogenic_uptake: PactDecimal,
        /// `pcfIncludingBiogenicUptake` (M): kg CO2e per declared unit.
        pcf_including_biogenic_uptake: PactDecimal,
        /// `fossilCarbonContent` (M): kg C per declared unit, ≥ 0.
        fossil_carbon_content: PactDecimal,
        /// `biogenicCarbonContent` (O): kg C, ≥ 0.
        biogenic_carbon_content: PactDecimal,
        /// `recycledCarbonContent` (O): kg C, ≥ 0.
        recycled_carbon_content: PactDecimal,
        /// `fossilGhgEmissions` (M): ≥ 0.
        fossil_ghg_emissions: PactDecimal,
        /// `landUseChangeGhgEmissions` (O): ≥ 0 (replaces `dLucGhgEmissions`).
        land_use_change_ghg_emissions: PactDecimal,
        /// `landCarbonLeakage` (O): ≥ 0.
        land_carbon_leakage: PactDecimal,
        /// `landManagementFossilGhgEmissions` (O): ≥ 0.
        land_management_fossil_ghg_emissions: PactDecimal,
        /// `landManagementBiogenicCO2Emissions` (O): ≥ 0.
        #[serde(rename = "landManagementBiogenicCO2Emissions")]
        land_management_biogenic_co2_emissions: PactDecimal,
        /// `landManagementBiogenicCO2Removals` (O): ≤ 0.
        #[serde(rename = "landManagementBiogenicCO2Removals")]
        land_management_biogenic_co2_removals: PactDecimal,
        /// `biogenicCO2Uptake` (O): ≤ 0 (replaces `biogenicCarbonWithdrawal`).
        #[serde(rename = "biogenicCO2Uptake")]
        biogenic_co2_uptake: PactDecimal,
        /// `biogenicNonCO2Emissions` (O): ≥ 0.
        #[serde(rename = "biogenicNonCO2Emissions")]
        biogenic_non_co2_emissions: PactDecimal,
        /// `landAreaOccupation` (O): m²·year per declared unit, ≥ 0.
        land_area_occupation: PactDecimal,
        /// `aircraftGhgEmissions` (O): ≥ 0.
        aircraft_ghg_emissions: PactDecimal,
        /// `packagingEmissionsIncluded` (O in the schema, SHALL in the methodology).
        packaging_emissions_included: bool,
        /// `packagingGhgEmissions` (O): ≥ 0.
        packaging_ghg_emissions: PactDecimal,
        /// `packagingBiogenicCarbonContent` (O): ≥ 0.
        packaging_biogenic_carbon_content: PactDecimal,
        /// `outboundLogisticsGhgEmissions` (O): ≥ 0.
        outbound_logistics_ghg_emissions: PactDecimal,
        /// `technologicalCO2CaptureOrigin` (O).
        #[serde(rename = "technologicalCO2CaptureOrigin")]
        technological_co2_capture_origin: String,
        /// `technologicalCO2Removals` (O): ≥ 0.
        #[serde(rename = "technologicalCO2Removals")]
        technological_co2_removals: PactDecimal,
        /// `ccsTechnologicalCO2CaptureIncluded` (O).
        #[serde(rename = "ccsTechnologicalCO2CaptureIncluded")]
        ccs_technological_co2_capture_included: bool,
        /// `ccsTechnologicalCO2Capture` (O): ≤ 0.
        #[serde(rename = "ccsTechnologicalCO2Capture")]
        ccs_technological_co2_capture: PactDecimal,
        /// `ccuCarbonContent` (O): ≥ 0.
        ccu_carbon_content: PactDecimal,
        /// `ccuCalculationApproach` (O): Cut-off or Credit.
        ccu_calculation_approach: String,
        /// `ccuCreditCertification` (O): URI.
        ccu_credit_certification: String,
        /// `ipccCharacterizationFactors` (M): e.g. `["AR6"]`.
        ipcc_characterization_factors: Vec<String>,
        /// `crossSectoralStandards` (M): e.g. `["ISO14067", "PACT-3.0"]`.
        cross_sectoral_standards: Vec<String>,
        /// `productOrSectorSpecificRules` (O).
        product_or_sector_specific_rules: Vec<ProductOrSectorSpecificRule>,
        /// `exemptedEmissionsPercent` (M): decimal string (was a number in v2).
        exempted_emissions_percent: PactDecimal,
        /// `exemptedEmissionsDescription` (O).
        exempted_emissions_description: String,
        /// `allocationRulesDescription` (O).
        allocation_rules_description: String,
        /// `secondaryEmissionFactorSources` (O).
        secondary_emission_factor_sources: Vec<EmissionFactorSource>,
        /// `primaryDataShare` (O in the schema, SHALL in the methodology): percent.
        primary_data_share: PactDecimal,
        /// `dqi` (O, SHALL from 2027).
        dqi: DataQualityIndicatorsV3,
        /// `verification` (O): renamed from `assurance`.
        verification: VerificationV3,
    }
}

pact_struct! {
    /// `DataQualityIndicators` of v3.0: three DQRs between 1 and 5 (PACT Methodology v3,
    /// section 4.2.3), decimal strings.
    DataQualityIndicatorsV3 {
        /// `technologicalDQR` (M): 1..5.
        #[serde(rename = "technologicalDQR")]
        technological_dqr: PactDecimal,
        /// `geographicalDQR` (M): 1..5.
        #[serde(rename = "geographicalDQR")]
        geographical_dqr: PactDecimal,
        /// `temporalDQR` (M): 1..5.
        #[serde(rename = "temporalDQR")]
        temporal_dqr: PactDecimal,
    }
}

pact_struct! {
    /// `Verification` of v3.0 (renamed from `Assurance`; its presence means verified).
    VerificationV3 {
        /// `coverage` (O): PCF calculation model, PCF program or product level.
        coverage: String,
        /// `providerName` (O).
        provider_name: String,
        /// `completedAt` (O).
        completed_at: String,
        /// `standardName` (O).
        standard_name: String,
        /// `comments` (O).
        comments: String,
    }
}

/// A PACT ProductFootprint of either supported version.
#[derive(Debug, Clone, PartialEq)]
pub enum ProductFootprint {
    /// Tech Specs v2.3 (also read for 2.0–2.2 documents, checked against 2.3 rules).
    V2(Box<ProductFootprintV2>),
    /// Tech Specs v3.0.
    V3(Box<ProductFootprintV3>),
}

impl Serialize for ProductFootprint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ProductFootprint::V2(p) => p.serialize(s),
            ProductFootprint::V3(p) => p.serialize(s),
        }
    }
}
