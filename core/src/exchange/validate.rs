//! Validation of PACT ProductFootprint documents against Tech Specs v2.3 and v3.0, on the
//! JSON itself so that EVERY failing field is reported (path, value, rule), not only the
//! first one a parser meets.
//!
//! Rules checked, with their source:
//! * required properties, types, enumerations, patterns: v2.3 section 4 (tables of
//!   `ProductFootprint`, `CarbonFootprint`, `DataQualityIndicators`, `Assurance`) and the v3.0
//!   OpenAPI `components/schemas` (`required` lists, `enum`, `pattern`, `Decimal`,
//!   `PositiveNonZeroDecimal`, `PositiveOrZeroDecimal`, `NegativeOrZeroDecimal`);
//! * geography: at most one of region, country, subdivision (v2.3 "Scope of a
//!   CarbonFootprint"; v3.0 keeps the text but its OpenAPI schema comments the `oneOf` out and
//!   its example 1 gives all three, so for v3.0 it is not enforced);
//! * validity period: start ≥ `referencePeriodEnd`, end > start, end ≤ `referencePeriodEnd` +
//!   3 years (both versions);
//! * packaging: `packagingGhgEmissions` undefined when `packagingEmissionsIncluded` is false;
//! * v2.3 `O*` properties (and every DQI property) required for reference periods including
//!   2025-01-01 or later, and before that at least one of `primaryDataShare` and `dqi`;
//! * v3.0 `otherOperatorName` required when a rule's `operator` is `Other`.
//!
//! ```
//! use tanso::exchange::validate::{validate, PactVersion};
//! let doc = serde_json::json!({"specVersion": "3.0.0", "pcf": {"declaredUnitAmount": "0"}});
//! let failures = validate(&doc, PactVersion::V3);
//! assert!(failures.iter().any(|f| f.path == "id" && f.rule.starts_with("required")));
//! assert!(failures.iter().any(|f| f.path == "pcf.declaredUnitAmount"));
//! ```

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

use super::pact::decimal_text;

/// The two versions of the PACT Tech Specs that tanso reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PactVersion {
    /// Tech Specs v2.3 (documents with specVersion 2.x are read with its rules).
    #[serde(rename = "2.3")]
    V2,
    /// Tech Specs v3.0.
    #[serde(rename = "3.0")]
    V3,
}

impl PactVersion {
    /// `2.3` or `3.0`.
    pub fn name(self) -> &'static str {
        match self {
            PactVersion::V2 => "2.3",
            PactVersion::V3 => "3.0",
        }
    }

    /// The `specVersion` tanso writes: `2.3.0` or `3.0.0`.
    pub fn spec_version(self) -> &'static str {
        match self {
            PactVersion::V2 => "2.3.0",
            PactVersion::V3 => "3.0.0",
        }
    }

    /// Parses `2.3`, `2.3.0`, `v2`, `3`, `3.0`, `3.0.0`, … (any 2.x is read as 2.3).
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().trim_start_matches(['v', 'V']);
        if t == "2" || t.starts_with("2.") {
            Some(PactVersion::V2)
        } else if t == "3" || t.starts_with("3.") {
            Some(PactVersion::V3)
        } else {
            None
        }
    }
}

pub use crate::error::PactFailure;

/// UN geographic regions and subregions (M49), the enumeration of
/// `geographyRegionOrSubregion` in both versions.
pub const REGIONS: &[&str] = &[
    "Africa", "Americas", "Asia", "Europe", "Oceania", "Australia and New Zealand",
    "Central Asia", "Eastern Asia", "Eastern Europe", "Latin America and the Caribbean",
    "Melanesia", "Micronesia", "Northern Africa", "Northern America", "Northern Europe",
    "Polynesia", "South-eastern Asia", "Southern Asia", "Southern Europe",
    "Sub-Saharan Africa", "Western Asia", "Western Europe",
];

/// `declaredUnit` of v2.3.
pub const DECLARED_UNITS_V2: &[&str] = &[
    "liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule", "ton kilometer",
    "square meter",
];

/// `declaredUnitOfMeasurement` of v3.0 (adds piece, hour, megabit second).
pub const DECLARED_UNITS_V3: &[&str] = &[
    "liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule", "ton kilometer",
    "square meter", "piece", "hour", "megabit second",
];

/// `crossSectoralStandardsUsed` of v2.x.
pub const STANDARDS_USED_V2: &[&str] = &[
    "GHG Protocol Product standard",
    "ISO Standard 14067",
    "ISO Standard 14044",
];

/// `crossSectoralStandards` of v2.3 and v3.0.
pub const STANDARDS_V3: &[&str] = &[
    "ISO14067", "ISO14083", "ISO14040-44", "GHGP-Product", "PEF", "PACT-1.0", "PACT-2.0",
    "PACT-3.0",
];

const STATUS: &[&str] = &["Active", "Deprecated"];
const OPERATORS: &[&str] = &["PEF", "EPD International", "Other"];

#[derive(Clone, Copy)]
enum Sign {
    Any,
    Positive,
    NonNegative,
    NonPositive,
}

#[derive(Clone, Copy)]
enum Kind {
    Text,
    NonEmpty,
    Uuid,
    DateTime,
    SpecVersion,
    Enum(&'static [&'static str]),
    Country,
    Subdivision,
    UuidSet,
    UrnSet,
    ArSet,
    /// A non-empty set of strings from a list (`open`: other strings allowed too).
    StrSet(&'static [&'static str], bool),
    Bool,
    Int,
    /// A decimal string (`^[+-]?\d+(\.\d+)?$`) with a sign rule and optional range.
    Dec(Sign, Option<(i64, i64)>),
    /// A JSON number in a range (v2.3 `Number`/`Percent`).
    Num(i64, i64),
    /// A decimal string or a JSON number in a range (v2.3 DQRs: the spec example writes strings).
    DecOrNum(i64, i64),
    Rules,
    Sources,
    Extensions,
    Object,
}

struct Field {
    name: &'static str,
    kind: Kind,
    required: bool,
}

const fn m(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, required: true }
}
const fn o(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, required: false }
}

use Kind::*;
use Sign::*;

const PF_V2: &[Field] = &[
    m("id", Uuid), m("specVersion", SpecVersion), o("precedingPfIds", UuidSet), m("version", Int),
    m("created", DateTime), o("updated", DateTime), m("status", Enum(STATUS)),
    o("statusComment", Text), o("validityPeriodStart", DateTime), o("validityPeriodEnd", DateTime),
    m("companyName", NonEmpty), m("companyIds", UrnSet), m("productDescription", Text),
    m("productIds", UrnSet), o("productClassifications", UrnSet),
    m("productCategoryCpc", NonEmpty), m("productNameCompany", NonEmpty), m("comment", Text),
    m("pcf", Object), o("extensions", Extensions),
];

const CF_V2: &[Field] = &[
    m("declaredUnit", Enum(DECLARED_UNITS_V2)), m("unitaryProductAmount", Dec(Positive, None)),
    o("productMassPerDeclaredUnit", Dec(NonNegative, None)),
    m("pCfExcludingBiogenic", Dec(NonNegative, None)), o("pCfIncludingBiogenic", Dec(Any, None)),
    m("fossilGhgEmissions", Dec(NonNegative, None)), m("fossilCarbonContent", Dec(NonNegative, None)),
    m("biogenicCarbonContent", Dec(NonNegative, None)), o("dLucGhgEmissions", Dec(NonNegative, None)),
    o("landManagementGhgEmissions", Dec(Any, None)),
    o("otherBiogenicGhgEmissions", Dec(NonNegative, None)),
    o("iLucGhgEmissions", Dec(NonNegative, None)),
    o("biogenicCarbonWithdrawal", Dec(NonPositive, None)),
    o("aircraftGhgEmissions", Dec(NonNegative, None)),
    m("characterizationFactors", Enum(&["AR5", "AR6"])),
    m("ipccCharacterizationFactorsSources", ArSet),
    m("crossSectoralStandardsUsed", StrSet(STANDARDS_USED_V2, false)),
    o("crossSectoralStandards", StrSet(STANDARDS_V3, true)),
    o("productOrSectorSpecificRules", Rules),
    o("biogenicAccountingMethodology", Enum(&["PEF", "ISO", "GHGP", "Quantis"])),
    m("boundaryProcessesDescription", Text), m("referencePeriodStart", DateTime),
    m("referencePeriodEnd", DateTime), o("geographyRegionOrSubregion", Enum(REGIONS)),
    o("geographyCountry", Country), o("geographyCountrySubdivision", Subdivision),
    o("secondaryEmissionFactorSources", Sources), m("exemptedEmissionsPercent", Num(0, 5)),
    m("exemptedEmissionsDescription", Text), m("packagingEmissionsIncluded", Bool),
    o("packagingGhgEmissions", Dec(NonNegative, None)), o("allocationRulesDescription", Text),
    o("uncertaintyAssessmentDescription", Text), o("primaryDataShare", Num(0, 100)),
    o("dqi", Object), o("assurance", Object),
];

/// v2.3 properties marked `O*`: required for reference periods including 2025 or later.
/// (v2.3 §4.2 table "Properties of data type CarbonFootprint", column Req.)
const O_STAR_V2: &[&str] = &[
    "pCfIncludingBiogenic", "dLucGhgEmissions", "landManagementGhgEmissions",
    "otherBiogenicGhgEmissions", "biogenicCarbonWithdrawal", "biogenicAccountingMethodology",
    "primaryDataShare", "dqi",
];

/// v2.3 §4.3 DataQualityIndicators: "each property is optional until the reference period
/// includes the beginning of calendar year 2025, or later, when all properties MUST be
/// defined". DQRs are typed Number with a decimal value 1..3; the spec's own example writes
/// them as strings, so both are read.
const DQI_V2: &[Field] = &[
    m("coveragePercent", Num(0, 100)), m("technologicalDQR", DecOrNum(1, 3)),
    m("temporalDQR", DecOrNum(1, 3)), m("geographicalDQR", DecOrNum(1, 3)),
    m("completenessDQR", DecOrNum(1, 3)), m("reliabilityDQR", DecOrNum(1, 3)),
];
const DQI_V2_BEFORE_2025: &[Field] = &[
    o("coveragePercent", Num(0, 100)), o("technologicalDQR", DecOrNum(1, 3)),
    o("temporalDQR", DecOrNum(1, 3)), o("geographicalDQR", DecOrNum(1, 3)),
    o("completenessDQR", DecOrNum(1, 3)), o("reliabilityDQR", DecOrNum(1, 3)),
];

const ASSURANCE_V2: &[Field] = &[
    m("assurance", Bool),
    o("coverage", Enum(&["corporate level", "product line", "PCF system", "product level"])),
    o("level", Enum(&["limited", "reasonable"])),
    o("boundary", Enum(&["Gate-to-Gate", "Cradle-to-Gate"])), m("providerName", Text),
    o("completedAt", DateTime), o("standardName", Text), o("comments", Text),
];

const PF_V3: &[Field] = &[
    m("id", Uuid), m("specVersion", SpecVersion), o("precedingPfIds", UuidSet),
    m("created", DateTime), m("status", Enum(STATUS)), o("validityPeriodStart", DateTime),
    o("validityPeriodEnd", DateTime), m("companyName", NonEmpty), m("companyIds", UrnSet),
    m("productDescription", Text), m("productIds", UrnSet), o("productClassifications", UrnSet),
    m("productNameCompany", NonEmpty), o("comment", Text), m("pcf", Object),
    o("extensions", Extensions),
];

const CF_V3: &[Field] = &[
    m("declaredUnitOfMeasurement", Enum(DECLARED_UNITS_V3)),
    m("declaredUnitAmount", Dec(Positive, None)),
    m("productMassPerDeclaredUnit", Dec(NonNegative, None)),
    m("referencePeriodStart", DateTime), m("referencePeriodEnd", DateTime),
    o("geographyRegionOrSubregion", Enum(REGIONS)), o("geographyCountry", Country),
    o("geographyCountrySubdivision", Subdivision), o("boundaryProcessesDescription", Text),
    m("pcfExcludingBiogenicUptake", Dec(Any, None)), m("pcfIncludingBiogenicUptake", Dec(Any, None)),
    m("fossilCarbonContent", Dec(NonNegative, None)), o("biogenicCarbonContent", Dec(NonNegative, None)),
    o("recycledCarbonContent", Dec(NonNegative, None)), m("fossilGhgEmissions", Dec(NonNegative, None)),
    o("landUseChangeGhgEmissions", Dec(NonNegative, None)), o("landCarbonLeakage", Dec(NonNegative, None)),
    o("landManagementFossilGhgEmissions", Dec(NonNegative, None)),
    o("landManagementBiogenicCO2Emissions", Dec(NonNegative, None)),
    o("landManagementBiogenicCO2Removals", Dec(NonPositive, None)),
    o("biogenicCO2Uptake", Dec(NonPositive, None)), o("biogenicNonCO2Emissions", Dec(NonNegative, None)),
    o("landAreaOccupation", Dec(NonNegative, None)), o("aircraftGhgEmissions", Dec(NonNegative, None)),
    o("packagingEmissionsIncluded", Bool), o("packagingGhgEmissions", Dec(NonNegative, None)),
    o("packagingBiogenicCarbonContent", Dec(NonNegative, None)),
    o("outboundLogisticsGhgEmissions", Dec(NonNegative, None)),
    o("technologicalCO2CaptureOrigin", Text), o("technologicalCO2Removals", Dec(NonNegative, None)),
    o("ccsTechnologicalCO2CaptureIncluded", Bool), o("ccsTechnologicalCO2Capture", Dec(NonPositive, None)),
    o("ccuCarbonContent", Dec(NonNegative, None)), o("ccuCalculationApproach", Enum(&["Cut-off", "Credit"])),
    o("ccuCreditCertification", NonEmpty), m("ipccCharacterizationFactors", ArSet),
    m("crossSectoralStandards", StrSet(STANDARDS_V3, true)), o("productOrSectorSpecificRules", Rules),
    m("exemptedEmissionsPercent", Dec(NonNegative, Some((0, 100)))),
    o("exemptedEmissionsDescription", Text), o("allocationRulesDescription", Text),
    o("secondaryEmissionFactorSources", Sources), o("primaryDataShare", Dec(NonNegative, Some((0, 100)))),
    o("dqi", Object), o("verification", Object),
];

const DQI_V3: &[Field] = &[
    m("technologicalDQR", Dec(Any, Some((1, 5)))), m("geographicalDQR", Dec(Any, Some((1, 5)))),
    m("temporalDQR", Dec(Any, Some((1, 5)))),
];

const VERIFICATION_V3: &[Field] = &[
    o("coverage", Enum(&["PCF calculation model", "PCF program", "product level"])),
    o("providerName", Text), o("completedAt", DateTime), o("standardName", Text),
    o("comments", Text),
];

struct Checker {
    failures: Vec<PactFailure>,
    section: &'static str,
    pcf_other_operator: bool,
}

impl Checker {
    fn fail(&mut self, path: &str, value: Option<&Value>, rule: impl Into<String>) {
        self.failures.push(PactFailure {
            path: path.to_string(),
            value: value.map_or_else(|| "null".to_string(), |v| v.to_string()),
            rule: format!("{} ({})", rule.into(), self.section),
        });
    }

    fn object<'a>(&mut self, path: &str, v: &'a Value, fields: &[Field]) -> Option<&'a Map<String, Value>> {
        let Some(obj) = v.as_object() else {
            self.fail(path, Some(v), "must be a JSON object");
            return None;
        };
        for f in fields {
            let p = join(path, f.name);
            match obj.get(f.name) {
                None if f.required => self.fail(&p, None, "required property is missing"),
                None => {}
                Some(x) => self.value(&p, x, f.kind),
            }
        }
        Some(obj)
    }

    fn value(&mut self, p: &str, x: &Value, kind: Kind) {
        match kind {
            Text => {
                if !x.is_string() {
                    self.fail(p, Some(x), "must be a string");
                }
            }
            NonEmpty => {
                if x.as_str().is_none_or(str::is_empty) {
                    self.fail(p, Some(x), "must be a non-empty string");
                }
            }
            Uuid => {
                if !x.as_str().is_some_and(is_uuid) {
                    self.fail(p, Some(x), "must be a UUID (8-4-4-4-12 hex digits)");
                }
            }
            DateTime => {
                if x.as_str().and_then(timestamp).is_none() {
                    self.fail(p, Some(x), "must be an ISO 8601 / RFC 3339 date-time with time zone, e.g. 2024-01-01T00:00:00Z");
                }
            }
            SpecVersion => {
                if !x.as_str().is_some_and(is_semver) {
                    self.fail(p, Some(x), "must be major.minor.patch, e.g. 3.0.0");
                }
            }
            Enum(list) => {
                if !x.as_str().is_some_and(|s| list.contains(&s)) {
                    self.fail(p, Some(x), format!("must be one of: {}", list.join(", ")));
                }
            }
            Country => {
                if !x.as_str().is_some_and(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())) {
                    self.fail(p, Some(x), "must be an ISO 3166-1 alpha-2 code (^[A-Z]{2}$)");
                }
            }
            Subdivision => {
                let ok = x.as_str().is_some_and(|s| {
                    let b = s.as_bytes();
                    b.len() >= 4 && b.len() <= 6 && b[..2].iter().all(u8::is_ascii_uppercase) && b[2] == b'-'
                        && b[3..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                });
                if !ok {
                    self.fail(p, Some(x), "must be an ISO 3166-2 code (^[A-Z]{2}-[A-Z0-9]{1,3}$)");
                }
            }
            UuidSet => self.set(p, x, is_uuid, "a UUID"),
            UrnSet => self.set(p, x, |s| s.len() > 4 && s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")), "a URN (urn:…)"),
            ArSet => self.set(
                p,
                x,
                |s| s.len() > 2 && s.starts_with("AR") && s[2..].bytes().all(|b| b.is_ascii_digit()),
                "AR followed by the IPCC report number, e.g. AR6",
            ),
            StrSet(list, open) => {
                if open {
                    self.set(p, x, |s| !s.is_empty(), "a non-empty string");
                } else {
                    let what = format!("one of: {}", list.join(", "));
                    self.set(p, x, |s| list.contains(&s), &what);
                }
            }
            Bool => {
                if !x.is_boolean() {
                    self.fail(p, Some(x), "must be true or false");
                }
            }
            Int => {
                if !x.as_i64().is_some_and(|i| (0..=i64::from(i32::MAX)).contains(&i)) {
                    self.fail(p, Some(x), "must be an integer in 0..2^31-1");
                }
            }
            Dec(sign, range) => match x.as_str() {
                None => self.fail(p, Some(x), "must be a decimal encoded as a JSON string, e.g. \"1.5\""),
                Some(s) => match decimal_text(s) {
                    None => self.fail(p, Some(x), "must match ^[+-]?\\d+(\\.\\d+)?$ that a 96-bit decimal holds exactly (28–29 significant digits)"),
                    Some(d) => self.sign_range(p, x, d, sign, range),
                },
            },
            Num(lo, hi) => match x.as_f64() {
                Some(f) if x.is_number() && f >= lo as f64 && f <= hi as f64 => {}
                _ => self.fail(p, Some(x), format!("must be a JSON number between {lo} and {hi}")),
            },
            DecOrNum(lo, hi) => {
                let d = match x {
                    Value::String(s) => decimal_text(s),
                    Value::Number(n) => n.as_f64().and_then(|f| crate::num::decimal_from_f64(f, "").ok()),
                    _ => None,
                };
                match d {
                    Some(d) if d >= Decimal::from(lo) && d <= Decimal::from(hi) => {}
                    _ => self.fail(p, Some(x), format!("must be a decimal between {lo} and {hi}")),
                }
            }
            Rules => self.rules(p, x, self.pcf_other_operator),
            Sources => {
                if let Some(items) = self.array(p, x) {
                    for (i, item) in items.iter().enumerate() {
                        self.object(&format!("{p}[{i}]"), item, &[m("name", NonEmpty), m("version", NonEmpty)]);
                    }
                }
            }
            Extensions => {
                if let Some(items) = self.array(p, x) {
                    for (i, item) in items.iter().enumerate() {
                        let ip = format!("{p}[{i}]");
                        if let Some(obj) = self.object(&ip, item, &[m("specVersion", SpecVersion), m("dataSchema", NonEmpty), o("documentation", NonEmpty)]) {
                            match obj.get("data") {
                                None => self.fail(&join(&ip, "data"), None, "required property is missing"),
                                Some(d) if !d.is_object() => self.fail(&join(&ip, "data"), Some(d), "must be a JSON object"),
                                Some(_) => {}
                            }
                        }
                    }
                }
            }
            Object => {
                if !x.is_object() {
                    self.fail(p, Some(x), "must be a JSON object");
                }
            }
        }
    }

    fn sign_range(&mut self, p: &str, x: &Value, d: Decimal, sign: Sign, range: Option<(i64, i64)>) {
        let ok = match sign {
            Any => true,
            Positive => d > Decimal::ZERO,
            NonNegative => d >= Decimal::ZERO,
            NonPositive => d <= Decimal::ZERO,
        };
        if !ok {
            let rule = match sign {
                Positive => "must be strictly greater than 0",
                NonNegative => "must be greater than or equal to 0",
                _ => "must be less than or equal to 0",
            };
            self.fail(p, Some(x), rule);
        }
        if let Some((lo, hi)) = range {
            if d < Decimal::from(lo) || d > Decimal::from(hi) {
                self.fail(p, Some(x), format!("must be between {lo} and {hi}"));
            }
        }
    }

    fn array<'a>(&mut self, p: &str, x: &'a Value) -> Option<&'a Vec<Value>> {
        match x.as_array() {
            Some(a) if !a.is_empty() => Some(a),
            Some(_) => {
                self.fail(p, Some(x), "must be a non-empty array");
                None
            }
            None => {
                self.fail(p, Some(x), "must be a JSON array");
                None
            }
        }
    }

    fn set(&mut self, p: &str, x: &Value, ok: impl Fn(&str) -> bool, what: &str) {
        let Some(items) = self.array(p, x) else { return };
        let mut seen = std::collections::BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            let ip = format!("{p}[{i}]");
            match item.as_str() {
                Some(s) if ok(s) => {
                    if !seen.insert(s) {
                        self.fail(&ip, Some(item), "duplicate: the set must not repeat a value");
                    }
                }
                _ => self.fail(&ip, Some(item), format!("must be {what}")),
            }
        }
    }

    fn rules(&mut self, p: &str, x: &Value, pcf_other_operator: bool) {
        let v3 = self.section.contains("3.0");
        let Some(items) = self.array(p, x) else { return };
        for (i, item) in items.iter().enumerate() {
            let ip = format!("{p}[{i}]");
            let fields = [m("operator", Enum(OPERATORS)), m("ruleNames", StrSet(&[], true)), o("otherOperatorName", NonEmpty)];
            if let Some(obj) = self.object(&ip, item, &fields) {
                if v3 && obj.get("operator").and_then(Value::as_str) == Some("Other") && !obj.contains_key("otherOperatorName") && !pcf_other_operator {
                    self.fail(&join(&ip, "otherOperatorName"), None, "required when operator is Other (on the rule; the v3.0 spec's example 1 writes it on the pcf, which is accepted too)");
                }
            }
        }
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_semver(s: &str) -> bool {
    let (core, pre) = match s.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (s, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && pre.is_none_or(|p| p.len() == 8 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Seconds since 1970-01-01T00:00:00Z of an RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS`, optional
/// fraction, `Z` or `±HH:MM`); `None` if it is not one. The fraction is ignored.
pub fn timestamp(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) { t.parse().ok() } else { None }
    };
    let (y, mo, d, h, mi, se) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &s[19..];
    if let Some(fr) = rest.strip_prefix('.') {
        let n = fr.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &fr[n..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let rb = rest.as_bytes();
            if rb.len() != 6 || !matches!(rb[0], b'+' | b'-') || rb[3] != b':' {
                return None;
            }
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            let sign = if rb[0] == b'-' { -1 } else { 1 };
            sign * (oh * 3600 + om * 60)
        }
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&mo) || d < 1 || d > dim[(mo - 1) as usize] || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    // Days from civil (H. Hinnant's algorithm).
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + se - offset)
}

/// The timestamp of a date-time three calendar years later (29 February → 1 March).
fn plus_three_years(s: &str) -> Option<i64> {
    let year: i64 = s.get(0..4)?.parse().ok()?;
    let moved = format!("{:04}{}", year + 3, s.get(4..)?);
    timestamp(&moved).or_else(|| timestamp(&moved.replacen("-02-29", "-03-01", 1)))
}

/// 2025-01-01T00:00:00Z: reference periods ending after it must define the v2.3 `O*` properties.
const Y2025: i64 = 1_735_689_600;

/// Every failing field of a ProductFootprint under the given version's rules; empty when the
/// document is valid.
pub fn validate(doc: &Value, version: PactVersion) -> Vec<PactFailure> {
    let section = match version {
        PactVersion::V2 => "PACT Tech Specs v2.3 §4",
        PactVersion::V3 => "PACT Tech Specs v3.0 §4",
    };
    let pcf_other_operator = doc.get("pcf").and_then(|p| p.get("otherOperatorName")).is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()));
    let mut c = Checker { failures: Vec::new(), section, pcf_other_operator };
    let (pf, cf, dqi, assurance, assurance_name) = match version {
        PactVersion::V2 => (PF_V2, CF_V2, DQI_V2, ASSURANCE_V2, "assurance"),
        PactVersion::V3 => (PF_V3, CF_V3, DQI_V3, VERIFICATION_V3, "verification"),
    };
    let Some(root) = c.object("", doc, pf) else { return c.failures };
    if let Some(sv) = root.get("specVersion").and_then(Value::as_str) {
        if is_semver(sv) && PactVersion::parse(sv) != Some(version) {
            c.fail("specVersion", root.get("specVersion"), format!("must be a {}.x version for a v{} document", &version.name()[..1], version.name()));
        }
    }
    let Some(pcf_value) = root.get("pcf") else { return c.failures };
    let Some(pcf) = c.object("pcf", pcf_value, cf) else { return c.failures };
    let ts = |o: &Map<String, Value>, k: &str| o.get(k).and_then(Value::as_str).and_then(timestamp);
    let ref_end = ts(pcf, "referencePeriodEnd");
    let from_2025 = ref_end.is_some_and(|e| e > Y2025);
    let dqi = if version == PactVersion::V2 && !from_2025 { DQI_V2_BEFORE_2025 } else { dqi };
    if let Some(d) = pcf.get("dqi") {
        c.object("pcf.dqi", d, dqi);
    }
    if let Some(a) = pcf.get(assurance_name) {
        c.object(&format!("pcf.{assurance_name}"), a, assurance);
    }
    // Geography: at most one level defined (v2.3 only, see the module docs).
    let geo: Vec<&str> = ["geographyRegionOrSubregion", "geographyCountry", "geographyCountrySubdivision"]
        .into_iter()
        .filter(|k| pcf.contains_key(*k))
        .collect();
    if geo.len() > 1 && version == PactVersion::V2 {
        for k in &geo[1..] {
            c.fail(&format!("pcf.{k}"), pcf.get(*k), format!("must be undefined when pcf.{} is defined: one geographic granularity only (Scope of a CarbonFootprint)", geo[0]));
        }
    }
    // Validity period against the reference period.
    if let (Some(s), Some(e)) = (ts(pcf, "referencePeriodStart"), ref_end) {
        if e <= s {
            c.fail("pcf.referencePeriodEnd", pcf.get("referencePeriodEnd"), "must be after referencePeriodStart");
        }
    }
    let vs = ts(root, "validityPeriodStart");
    if let (Some(vs), Some(re)) = (vs, ref_end) {
        if vs < re {
            c.fail("validityPeriodStart", root.get("validityPeriodStart"), "must be greater than or equal to pcf.referencePeriodEnd");
        }
    }
    let ve = ts(root, "validityPeriodEnd");
    if let (Some(vs), Some(ve)) = (vs, ve) {
        if ve <= vs {
            c.fail("validityPeriodEnd", root.get("validityPeriodEnd"), "must be strictly greater than validityPeriodStart");
        }
    }
    let three_years_later = pcf.get("referencePeriodEnd").and_then(Value::as_str).and_then(plus_three_years);
    if let (Some(ve), Some(limit)) = (ve, three_years_later) {
        if ve > limit {
            c.fail("validityPeriodEnd", root.get("validityPeriodEnd"), "must be at most pcf.referencePeriodEnd + 3 years");
        }
    }
    if pcf.get("packagingEmissionsIncluded") == Some(&Value::Bool(false)) && pcf.contains_key("packagingGhgEmissions") {
        c.fail("pcf.packagingGhgEmissions", pcf.get("packagingGhgEmissions"), "must be undefined when packagingEmissionsIncluded is false");
    }
    if version == PactVersion::V2 {
        match ref_end {
            Some(_) if from_2025 => {
                for k in O_STAR_V2 {
                    if !pcf.contains_key(*k) {
                        c.fail(&format!("pcf.{k}"), None, "required (O*) for reference periods including 2025 or later");
                    }
                }
            }
            Some(_) if !pcf.contains_key("primaryDataShare") && !pcf.contains_key("dqi") => {
                c.fail("pcf.primaryDataShare", None, "at least one of primaryDataShare and dqi must be defined");
            }
            _ => {}
        }
    }
    c.failures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(timestamp("2025-01-01T00:00:00Z"), Some(Y2025));
        assert_eq!(timestamp("2025-01-01T08:00:00+08:00"), Some(Y2025));
        assert_eq!(timestamp("2024-02-29T00:00:00.123Z"), Some(1_709_164_800));
        assert_eq!(timestamp("2023-02-29T00:00:00Z"), None);
        assert_eq!(timestamp("2024-01-01"), None);
        assert_eq!(timestamp("2024-01-01T00:00:00+é:00"), None);
        assert_eq!(plus_three_years("2024-02-29T00:00:00Z"), timestamp("2027-03-01T00:00:00Z"));
    }

    #[test]
    fn uuids_and_versions() {
        assert!(is_uuid("91715e5e-fd0b-4d1c-8fab-76290c46e6ed"));
        assert!(!is_uuid("91715e5e-fd0b-4d1c-8fab"));
        assert!(is_semver("3.0.0") && is_semver("2.0.0-20230101") && !is_semver("3.0"));
        assert_eq!(PactVersion::parse("2.2.0"), Some(PactVersion::V2));
        assert_eq!(PactVersion::parse("3.0"), Some(PactVersion::V3));
        assert_eq!(PactVersion::parse("1.0.0"), None);
    }
}
