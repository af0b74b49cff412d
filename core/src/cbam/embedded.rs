//! Specific embedded emissions (SEE) of simple and complex goods, t CO2e per t of good (per MWh
//! for electricity), from actual installation data or from default values, with precursors
//! counted recursively (Regulation (EU) 2023/956 Annex IV):
//!
//! - simple good: `SEE = AttrEm / AL`, its attributed emissions over its activity level;
//! - complex good: `SEE = (AttrEm + Σ M_i × SEE_i) / AL`, with `M_i` the mass of precursor `i`
//!   consumed in the period and `SEE_i` its own SEE (actual, given or default);
//! - direct and indirect parts are kept apart all the way down; indirect emissions count only
//!   for cement and fertilisers (Annex II lists the direct-only goods), so
//!   `see = see_direct (+ see_indirect where counted)`;
//! - default values: the table's value for the CN code and the country of origin (else "other
//!   countries") times `1 + mark-up` of the year (10% 2026, 20% 2027, 30% 2028 on; fertilisers
//!   1%). The mark-up also applies to default values used for precursors.
//!
//! A [`Good`] is either actual installation data ([`Production`]), an SEE given as numbers
//! ([`GivenSee`], e.g. from a supplier's communication), or neither, in which case its default
//! value is used.
//!
//! ```
//! use tanso::api::call;
//! use serde_json::json;
//! // Hot-rolled coil from China, 2026, default value: 3.187 × (1 + 10%) = 3.5057 t CO2e/t.
//! let out = call("cbam_embedded", json!({"year": 2026, "good": {"cn_code": "7208 51 20", "country": "CN"}})).unwrap();
//! assert_eq!(out["good"]["see"], "3.5057");
//! assert_eq!(out["good"]["data"], "default");
//! ```

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::data::{DefaultValueSource, Parameter, Tables};
use super::goods::{self, display, Sector};
use crate::accounting::non_negative;
use crate::error::{AccountingError, CbamError, InputError, TansoError};
use crate::units::{Quantity, Unit};

/// Precursor chains deeper than this are refused (`OUT_OF_RANGE`).
pub const MAX_DEPTH: usize = 32;

/// A good whose embedded emissions are wanted: a CN code, its origin, and either actual
/// installation data, an SEE given as numbers, or neither (default values).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Good {
    /// CN code (2–10 digits; spaces allowed), e.g. `7208 51 20`.
    pub cn_code: String,
    /// Country of origin, ISO 3166-1 alpha-2 (`CN`). A precursor inherits its good's country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Production route letter (`C` BF-BOF, `D` DRI-EAF, `E` scrap-EAF, `K` primary and `L`
    /// secondary aluminium, …); decides the benchmark. With default values the table's route is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// The installation's id (echoed; used for declaration totals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation: Option<String>,
    /// An SEE given as numbers (actual data computed elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub see: Option<GivenSee>,
    /// Actual installation data for the reporting period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production: Option<Production>,
}

/// Specific embedded emissions given as numbers, t CO2e per t of good (per MWh for electricity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GivenSee {
    /// Direct SEE.
    #[serde(with = "crate::num")]
    pub direct: Decimal,
    /// Indirect SEE (electricity consumed); counted only for cement and fertilisers.
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub indirect: Option<Decimal>,
    /// Where the numbers come from (e.g. the installation's communication of 2026-02-15).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// Actual data of the installation that produced the good, for the reporting period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Production {
    /// Activity level: the quantity of the good produced (a mass; energy for electricity).
    pub activity_level: Quantity,
    /// Direct emissions attributed to the good's production process, t CO2e.
    #[serde(with = "crate::num")]
    pub direct_emissions_t: Decimal,
    /// Indirect emissions attributed to it, t CO2e (or give `electricity`).
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub indirect_emissions_t: Option<Decimal>,
    /// Electricity consumed and its emission factor, giving the indirect emissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electricity: Option<ElectricityUse>,
    /// Precursors consumed in the period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub precursors: Vec<Precursor>,
}

/// Electricity consumed by a production process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectricityUse {
    /// Electricity consumed (an energy).
    pub consumed: Quantity,
    /// Emission factor, t CO2e per MWh.
    #[serde(with = "crate::num")]
    pub factor_t_per_mwh: Decimal,
    /// Where the factor comes from (grid average of the country, a PPA, …).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// A precursor consumed in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Precursor {
    /// Total quantity consumed in the period (`M_i`).
    pub mass: Quantity,
    /// The precursor good (actual, given or default; its own precursors recursively).
    pub good: Good,
}

/// Where a good's SEE comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataSource {
    /// Computed here from actual installation data.
    Actual,
    /// Actual SEE given as numbers.
    Given,
    /// The default value of the country (or other countries), with the year's mark-up.
    Default,
}

/// The embedded emissions of a good.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Embedded {
    /// CN code (digits).
    pub cn_code: String,
    /// CBAM sector.
    pub sector: Sector,
    /// The unit the SEE is per: `t`, or `MWh` for electricity.
    pub unit: &'static str,
    /// Country of origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Production route used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// Installation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installation: Option<String>,
    /// Actual, given or default.
    pub data: DataSource,
    /// Direct SEE, t CO2e per unit.
    #[serde(with = "crate::num")]
    pub see_direct: Decimal,
    /// Indirect SEE, t CO2e per unit (reported; counted only where `indirect_counted`).
    #[serde(with = "crate::num")]
    pub see_indirect: Decimal,
    /// Whether the indirect part counts (cement, fertilisers).
    pub indirect_counted: bool,
    /// The SEE that counts for CBAM: direct, plus indirect where counted.
    #[serde(with = "crate::num")]
    pub see: Decimal,
    /// The mark-up applied (default values).
    #[serde(with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub markup: Option<Decimal>,
    /// Activity level in `unit` (actual data).
    #[serde(with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub activity_level: Option<Decimal>,
    /// Precursors with their contribution.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub precursors: Vec<PrecursorResult>,
    /// How each number was obtained.
    pub steps: Vec<String>,
    /// Ids of the reference rows used (see the document's `sources`).
    pub sources: Vec<String>,
}

/// A precursor's contribution to a complex good.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrecursorResult {
    /// Quantity consumed in the period, in the precursor's unit.
    #[serde(with = "crate::num")]
    pub mass: Decimal,
    /// Quantity per unit of the good (`M_i / AL`).
    #[serde(with = "crate::num")]
    pub specific_mass: Decimal,
    /// Direct emissions embedded in it, t CO2e (`M_i × SEE_i,direct`).
    #[serde(with = "crate::num")]
    pub direct_t: Decimal,
    /// Indirect emissions embedded in it, t CO2e.
    #[serde(with = "crate::num")]
    pub indirect_t: Decimal,
    /// The precursor.
    pub good: Embedded,
}

/// Collects the reference rows and warnings of one calculation.
#[derive(Debug, Default)]
pub(crate) struct Trail {
    pub(crate) sources: BTreeMap<String, Parameter>,
    pub(crate) warnings: Vec<String>,
}

impl Trail {
    /// Records a source and returns its id.
    pub(crate) fn use_source(&mut self, p: &Parameter) -> String {
        if p.status != crate::factors::Status::Verified && !self.sources.contains_key(&p.id) {
            self.warnings.push(format!(
                "unverified number used: {} = {} {} ({})",
                p.id, p.value, p.unit, p.source
            ));
        }
        self.sources
            .entry(p.id.clone())
            .or_insert_with(|| p.clone());
        p.id.clone()
    }

    pub(crate) fn warn(&mut self, w: String) {
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }
}

pub(crate) fn check_country(c: &str, field: &str) -> Result<String, CbamError> {
    let t = c.trim().to_ascii_uppercase();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(t)
    } else {
        Err(CbamError::InvalidCountry {
            field: field.to_string(),
            value: c.to_string(),
        })
    }
}

fn unit_of(sector: Sector) -> Result<Unit, TansoError> {
    Ok(Unit::parse(sector.unit(), "unit")?)
}

/// Computes the embedded emissions of a good for a year (the year decides the mark-up).
pub(crate) fn compute(
    good: &Good,
    parent_country: Option<&str>,
    field: &str,
    depth: usize,
    year: i32,
    tables: &Tables,
    trail: &mut Trail,
) -> Result<Embedded, TansoError> {
    if depth > MAX_DEPTH {
        return Err(AccountingError::OutOfRange {
            field: field.to_string(),
            value: format!("precursor depth {depth}"),
            expected: format!("at most {MAX_DEPTH} levels of precursors"),
        }
        .into());
    }
    let (digits, sector) = goods::require(&good.cn_code, &format!("{field}.cn_code"))?;
    let country = match good.country.as_deref() {
        Some(c) => Some(check_country(c, &format!("{field}.country"))?),
        None => parent_country.map(str::to_string),
    };
    let route = good
        .route
        .as_deref()
        .map(|r| goods::check_route(r, &digits, sector, &format!("{field}.route")))
        .transpose()?;
    let unit = sector.unit();
    let counted = sector.indirect_counted();
    let mut e = Embedded {
        cn_code: digits.clone(),
        sector,
        unit,
        country,
        route,
        installation: good.installation.clone(),
        data: DataSource::Default,
        see_direct: Decimal::ZERO,
        see_indirect: Decimal::ZERO,
        indirect_counted: counted,
        see: Decimal::ZERO,
        markup: None,
        activity_level: None,
        precursors: Vec::new(),
        steps: Vec::new(),
        sources: Vec::new(),
    };
    let cn = display(&digits);
    match (&good.see, &good.production) {
        (Some(_), Some(_)) => {
            return Err(InputError::InvalidInput {
                operation: "cbam".to_string(),
                message: format!("{field}: give either `see` (an SEE given as numbers) or `production` (installation data), not both"),
            }
            .into())
        }
        (Some(s), None) => {
            e.data = DataSource::Given;
            e.see_direct = non_negative(&format!("{field}.see.direct"), s.direct)?;
            e.see_indirect = non_negative(&format!("{field}.see.indirect"), s.indirect.unwrap_or_default())?;
            e.steps.push(format!(
                "CN {cn}: actual SEE given: direct {} and indirect {} t CO2e/{unit}{}",
                e.see_direct.normalize(),
                e.see_indirect.normalize(),
                if s.source.is_empty() { String::new() } else { format!(" ({})", s.source) }
            ));
        }
        (None, Some(p)) => {
            e.data = DataSource::Actual;
            let al = p
                .activity_level
                .value_in(unit_of(sector)?, &format!("{field}.production.activity_level.unit"))?;
            if al <= Decimal::ZERO {
                return Err(AccountingError::OutOfRange {
                    field: format!("{field}.production.activity_level"),
                    value: al.to_string(),
                    expected: "more than zero (the SEE divides by it)".to_string(),
                }
                .into());
            }
            let direct = non_negative(&format!("{field}.production.direct_emissions_t"), p.direct_emissions_t)?;
            let indirect = match (&p.indirect_emissions_t, &p.electricity) {
                (Some(_), Some(_)) => {
                    return Err(InputError::InvalidInput {
                        operation: "cbam".to_string(),
                        message: format!("{field}.production: give either `indirect_emissions_t` or `electricity`, not both"),
                    }
                    .into())
                }
                (Some(i), None) => non_negative(&format!("{field}.production.indirect_emissions_t"), *i)?,
                (None, Some(el)) => {
                    let f = format!("{field}.production.electricity");
                    let mwh = el.consumed.value_in(Unit::parse("MWh", "unit")?, &format!("{f}.consumed.unit"))?;
                    non_negative(&format!("{f}.consumed"), mwh)?;
                    non_negative(&format!("{f}.factor_t_per_mwh"), el.factor_t_per_mwh)?;
                    let i = mwh * el.factor_t_per_mwh;
                    e.steps.push(format!(
                        "CN {cn}: indirect emissions = {} MWh × {} t CO2e/MWh{} = {} t CO2e",
                        mwh.normalize(),
                        el.factor_t_per_mwh.normalize(),
                        if el.source.is_empty() { String::new() } else { format!(" ({})", el.source) },
                        i.normalize()
                    ));
                    i
                }
                (None, None) => Decimal::ZERO,
            };
            let mut sum_direct = direct;
            let mut sum_indirect = indirect;
            for (i, pre) in p.precursors.iter().enumerate() {
                let pf = format!("{field}.production.precursors[{i}]");
                let child = compute(&pre.good, e.country.as_deref(), &format!("{pf}.good"), depth + 1, year, tables, trail)?;
                let m = pre
                    .mass
                    .value_in(unit_of(child.sector)?, &format!("{pf}.mass.unit"))?;
                non_negative(&format!("{pf}.mass"), m)?;
                let d = m * child.see_direct;
                let ind = m * child.see_indirect;
                sum_direct += d;
                sum_indirect += ind;
                e.steps.push(format!(
                    "precursor CN {}: {} {} × {} = {} t CO2e direct, × {} = {} t CO2e indirect",
                    display(&child.cn_code),
                    m.normalize(),
                    child.unit,
                    child.see_direct.normalize(),
                    d.normalize(),
                    child.see_indirect.normalize(),
                    ind.normalize()
                ));
                e.precursors.push(PrecursorResult {
                    mass: m.normalize(),
                    specific_mass: (m / al).normalize(),
                    direct_t: d.normalize(),
                    indirect_t: ind.normalize(),
                    good: child,
                });
            }
            e.activity_level = Some(al.normalize());
            e.see_direct = sum_direct / al;
            e.see_indirect = sum_indirect / al;
            let part = |own: Decimal, sum: Decimal| {
                if p.precursors.is_empty() {
                    format!("{} t", own.normalize())
                } else {
                    format!("({} t + precursors {} t)", own.normalize(), (sum - own).normalize())
                }
            };
            e.steps.push(format!(
                "CN {cn}: SEE direct = {} / {} {unit} = {}; SEE indirect = {} / {} {unit} = {}",
                part(direct, sum_direct),
                al.normalize(),
                e.see_direct.normalize(),
                part(indirect, sum_indirect),
                al.normalize(),
                e.see_indirect.normalize()
            ));
        }
        (None, None) => {
            e.data = DataSource::Default;
            let Some(country) = e.country.clone() else {
                return Err(AccountingError::MissingField {
                    field: format!("{field}.country"),
                    expected: "the country of origin is needed to look up default values (or give `see` or `production`)".to_string(),
                }
                .into());
            };
            let dv = tables.default_value(&digits, &country, field)?;
            let m = tables.markup(sector, year);
            let factor = Decimal::ONE + m.value;
            e.see_direct = dv.direct * factor;
            e.see_indirect = dv.indirect.unwrap_or_default() * factor;
            e.markup = Some(m.value.normalize());
            e.sources.push(trail.use_source(&dv.source));
            if let Some(p) = &m.source {
                e.sources.push(trail.use_source(p));
            }
            match (&e.route, &dv.route) {
                (Some(mine), Some(table)) if mine != table => {
                    trail.warn(format!(
                        "{field}: route {mine} given, but the default value of CN {cn} from {country} is for route {table}; route {table} is used with the default value"
                    ));
                    e.route = Some(table.clone());
                }
                (None, Some(table)) => e.route = Some(table.clone()),
                _ => {}
            }
            let indirect_text = match dv.indirect {
                Some(i) => format!("indirect {} × {} = {}", i.normalize(), factor.normalize(), e.see_indirect.normalize()),
                None => "indirect: none in the table".to_string(),
            };
            e.steps.push(format!(
                "CN {cn} from {country}: default value (CN {}{}) direct {} × (1 + mark-up {}{}) = {}; {indirect_text}",
                display(&dv.cn_code),
                if dv.country == "OTHER" { ", other countries" } else { "" },
                dv.direct.normalize(),
                m.value.normalize(),
                if m.note.is_empty() { String::new() } else { format!(", {}", m.note) },
                e.see_direct.normalize()
            ));
        }
    }
    if counted && e.data != DataSource::Given {
        if let Some(p) = &tables.data().indirect_counted {
            e.sources.push(trail.use_source(p));
        }
    }
    e.see = if counted {
        e.see_direct + e.see_indirect
    } else {
        e.see_direct
    };
    e.see_direct = e.see_direct.normalize();
    e.see_indirect = e.see_indirect.normalize();
    e.see = e.see.normalize();
    e.steps.push(format!(
        "CN {cn}: SEE = {}{} t CO2e/{unit}",
        if counted {
            format!("direct {} + indirect {} = ", e.see_direct, e.see_indirect)
        } else {
            format!("direct {} (Annex II: direct only) = ", e.see_direct)
        },
        e.see
    ));
    e.sources.sort();
    e.sources.dedup();
    Ok(e)
}

/// Input of the `cbam_embedded` operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddedInput {
    /// Year of import (decides the default-value mark-up); 2026 or later.
    pub year: i32,
    /// The good.
    pub good: Good,
    /// Users' default-value tables.
    #[serde(default)]
    pub default_values: DefaultValueSource,
}

/// Output of the `cbam_embedded` operation.
#[derive(Debug, Clone, Serialize)]
pub struct EmbeddedOutput {
    /// The year.
    pub year: i32,
    /// The good's embedded emissions, with its precursors.
    pub good: Embedded,
    /// Every reference row used, with its source and status.
    pub sources: Vec<Parameter>,
    /// Things to know (unverified numbers, route overrides).
    pub warnings: Vec<String>,
}

/// Runs `cbam_embedded`.
pub fn embedded_document(i: &EmbeddedInput) -> Result<EmbeddedOutput, TansoError> {
    super::data::check_year(i.year, "year")?;
    let tables = Tables::new(&i.default_values, &[], None, None)?;
    let mut trail = Trail::default();
    let good = compute(&i.good, None, "good", 0, i.year, &tables, &mut trail)?;
    Ok(EmbeddedOutput {
        year: i.year,
        good,
        sources: trail.sources.into_values().collect(),
        warnings: trail.warnings,
    })
}
