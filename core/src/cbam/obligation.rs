//! An importer's CBAM obligation for a year: per shipment line and in total, the embedded
//! emissions, the free-allocation adjustment, the deduction for a carbon price paid in the
//! country of origin, the certificates due and their cost; the de-minimis status; and the
//! annual declaration totals by CN code, by country and by installation.
//!
//! Per line, in t CO2e (all exact decimals; only money is rounded, at the end):
//!
//! 1. `embedded = mass × SEE` (see [`super::embedded`]).
//! 2. Free-allocation adjustment (IR (EU) 2025/2620): `SEFA = CBAM factor(year) × CSCF × BM`,
//!    `adjustment = min(embedded, mass × SEFA)` — a line never gets back more than its own
//!    embedded emissions. `BM` is the benchmark: with default values, column B for the route of
//!    the default value (Eq. 6); with actual data, column A of the good's own process plus its
//!    precursors' benchmarks weighted by their specific mass, recursively (Eq. 2 and 4), where
//!    the user gives column A values (`benchmarks`); when no column A value is given — tanso
//!    bundles none — the column B benchmark of the good's route is used instead, and the line
//!    says so (`benchmark.column = "B"`, `benchmark.fallback = true`, and a warning). An SEE
//!    given as numbers has no precursor structure: column B, flagged the same way. A line's own
//!    `benchmark` replaces all of this. Electricity has no free allocation: no adjustment.
//! 3. Carbon price deduction (Art. 9): `min(embedded − adjustment, embedded × price paid (EUR/t)
//!    / certificate price)`; never below zero certificates.
//! 4. `certificates = embedded − adjustment − deduction` (t CO2e, not rounded).
//! 5. `cost = certificates × certificate price` (EUR): the price of the line's quarter of import
//!    in 2026 (bundled Q1–Q3; Q4 and later years are inputs: from 2027 the price is the weekly
//!    average of the week the certificates are bought). Rounded to cents, half away from zero:
//!    each line's cost on its own, the total from the exact sum.
//!
//! The phase-in acts on the free allocation, not on the emissions: tanso never computes
//! `(1 − CBAM factor) × embedded × price`.
//!
//! De minimis (Regulation (EU) 2025/2083): when the importer's cumulative net mass of iron and
//! steel, aluminium, cement and fertilisers in the year is 50 t or less, those lines owe no
//! certificates (electricity and hydrogen always do). The lines must be all of the importer's
//! imports of the year.
//!
//! ```
//! use tanso::api::call;
//! use serde_json::json;
//! // 100 t of hot-rolled coil from China, imported in Q1 2026, default value:
//! // 100 × 3.187 × 1.1 = 350.57 t; adjustment 100 × 0.975 × 1 × 1.37 = 133.575 t;
//! // 216.995 certificates × EUR 75.36 = EUR 16,352.74.
//! let out = call("cbam_obligation", json!({"year": 2026, "lines": [
//!     {"id": "L1", "good": {"cn_code": "7208 51 20", "country": "CN"},
//!      "mass": {"value": "100", "unit": "t"}, "quarter": 1}]})).unwrap();
//! assert_eq!(out["totals"]["certificates"], "216.995");
//! assert_eq!(out["totals"]["cost_eur"], "16352.74");
//! ```

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::data::{self, Column, DefaultValueSource, Parameter, Tables, UserBenchmark};
use super::embedded::{compute, DataSource, Embedded, Good, Trail};
use super::goods::{display, Sector};
use super::supplier::SupplierCommunication;
use crate::accounting::non_negative;
use crate::error::{AccountingError, CbamError, InputError, TansoError};
use crate::units::{Quantity, Unit};

/// How money is rounded.
pub const ROUNDING: &str = "EUR to 2 decimals, half away from zero, at the report boundary only: each line's cost_eur is its exact cost rounded; the total cost_eur is the exact total rounded (it may differ by cents from the sum of the rounded lines). Emissions and certificates are exact (t CO2e), not rounded.";

/// Input of the `cbam_obligation` operation: an importer's shipments of one year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObligationInput {
    /// Year of import, 2026 or later.
    pub year: i32,
    /// The importer (echoed).
    #[serde(default)]
    pub importer: Option<String>,
    /// A named scenario for the CBAM factor schedule (e.g. `COM(2026)616`, a proposal); the
    /// law when absent.
    #[serde(default)]
    pub scenario: Option<String>,
    /// Certificate price for every line without its own, EUR per t CO2e.
    #[serde(default, with = "crate::num::opt")]
    pub certificate_price_eur: Option<Decimal>,
    /// Cross-sectoral correction factor (replaces the bundled 1.0 of 2026–2030; needed later).
    #[serde(default, with = "crate::num::opt")]
    pub cross_sectoral_correction_factor: Option<Decimal>,
    /// Users' default-value tables.
    #[serde(default)]
    pub default_values: DefaultValueSource,
    /// Users' benchmarks (column A for actual data, or column B beyond the bundled ones).
    #[serde(default)]
    pub benchmarks: Vec<UserBenchmark>,
    /// The shipments.
    pub lines: Vec<Line>,
}

/// One shipment line: a good (or a supplier's communication) and its net mass.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Line id (echoed).
    #[serde(default)]
    pub id: String,
    /// The good; or give `communication`.
    #[serde(default)]
    pub good: Option<Good>,
    /// The installation's communication, in place of `good`.
    #[serde(default)]
    pub communication: Option<SupplierCommunication>,
    /// Net mass imported (energy for electricity).
    pub mass: Quantity,
    /// Quarter of import (1–4): decides the 2026 certificate price.
    #[serde(default)]
    pub quarter: Option<u8>,
    /// Carbon price effectively paid in the country of origin, EUR per t CO2e of the line's
    /// embedded emissions (after rebates; a weighted average if only part was priced).
    #[serde(default, with = "crate::num::opt")]
    pub carbon_price_paid_eur_per_t: Option<Decimal>,
    /// Certificate price for this line, EUR per t CO2e.
    #[serde(default, with = "crate::num::opt")]
    pub certificate_price_eur: Option<Decimal>,
    /// A benchmark for this line that replaces tanso's choice.
    #[serde(default)]
    pub benchmark: Option<LineBenchmark>,
}

/// A line's own benchmark: t CO2e per t of good, covering the good with its precursors.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineBenchmark {
    /// t CO2e per t.
    #[serde(with = "crate::num")]
    pub value: Decimal,
    /// The column it is from, if one.
    #[serde(default)]
    pub column: Option<Column>,
    /// Where it comes from.
    #[serde(default)]
    pub source: String,
}

/// The benchmark a line used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchmarkUsed {
    /// Effective benchmark, t CO2e per t of good (with precursors).
    #[serde(with = "crate::num")]
    pub value: Decimal,
    /// The column of the good's own benchmark (`null` for a line's own value without one).
    pub column: Option<Column>,
    /// The route it is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// True when column B stands in for a missing column A (actual data).
    pub fallback: bool,
    /// How it was composed.
    pub steps: Vec<String>,
    /// Ids of the reference rows used.
    pub sources: Vec<String>,
}

/// The result of one line.
#[derive(Debug, Clone, Serialize)]
pub struct LineResult {
    /// Line id.
    pub id: String,
    /// CN code (digits).
    pub cn_code: String,
    /// Sector.
    pub sector: Sector,
    /// Country of origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Installation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installation: Option<String>,
    /// Actual, given or default.
    pub data: DataSource,
    /// Net mass (t), or MWh for electricity.
    #[serde(with = "crate::num")]
    pub mass: Decimal,
    /// `t` or `MWh`.
    pub unit: &'static str,
    /// SEE that counts, t CO2e per unit.
    #[serde(with = "crate::num")]
    pub see: Decimal,
    /// Embedded emissions, t CO2e.
    #[serde(with = "crate::num")]
    pub embedded_t: Decimal,
    /// The benchmark (none where the CBAM factor is 0, for electricity, or for exempt lines).
    pub benchmark: Option<BenchmarkUsed>,
    /// Specific free allocation, t CO2e per t: CBAM factor × CSCF × benchmark.
    #[serde(with = "crate::num")]
    pub sefa: Decimal,
    /// Free-allocation adjustment, t CO2e.
    #[serde(with = "crate::num")]
    pub free_allocation_adjustment_t: Decimal,
    /// Carbon price paid, EUR per t CO2e.
    #[serde(with = "crate::num::opt")]
    pub carbon_price_paid_eur_per_t: Option<Decimal>,
    /// Deduction for the carbon price paid, t CO2e (certificates).
    #[serde(with = "crate::num")]
    pub carbon_price_deduction_t: Decimal,
    /// Certificates due (1 certificate = 1 t CO2e), exact.
    #[serde(with = "crate::num")]
    pub certificates: Decimal,
    /// Exempt under the de-minimis threshold.
    pub de_minimis_exempt: bool,
    /// Certificate price used, EUR per t CO2e (none when no certificate is due).
    #[serde(with = "crate::num::opt")]
    pub certificate_price_eur: Option<Decimal>,
    /// Where the price comes from: a reference row id, or `input`.
    pub certificate_price_source: Option<String>,
    /// Cost in EUR, rounded to cents.
    #[serde(with = "crate::num")]
    pub cost_eur: Decimal,
    /// Cost in EUR, exact.
    #[serde(with = "crate::num")]
    pub cost_eur_exact: Decimal,
    /// The embedded-emissions calculation.
    pub embedded: Embedded,
    /// How the line's numbers were obtained.
    pub steps: Vec<String>,
}

/// Totals of a set of lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Lines.
    pub lines: usize,
    /// Net mass of goods, t.
    #[serde(with = "crate::num")]
    pub mass_t: Decimal,
    /// Electricity, MWh.
    #[serde(with = "crate::num")]
    pub electricity_mwh: Decimal,
    /// Embedded emissions, t CO2e.
    #[serde(with = "crate::num")]
    pub embedded_t: Decimal,
    /// Free-allocation adjustment, t CO2e.
    #[serde(with = "crate::num")]
    pub free_allocation_adjustment_t: Decimal,
    /// Carbon price deduction, t CO2e.
    #[serde(with = "crate::num")]
    pub carbon_price_deduction_t: Decimal,
    /// Certificates due.
    #[serde(with = "crate::num")]
    pub certificates: Decimal,
    /// Cost, EUR, the exact sum rounded to cents.
    #[serde(with = "crate::num")]
    pub cost_eur: Decimal,
    /// Cost, EUR, exact.
    #[serde(with = "crate::num")]
    pub cost_eur_exact: Decimal,
}

impl Totals {
    fn add(&mut self, l: &LineResult) {
        self.lines += 1;
        if l.unit == "MWh" {
            self.electricity_mwh += l.mass;
        } else {
            self.mass_t += l.mass;
        }
        self.embedded_t += l.embedded_t;
        self.free_allocation_adjustment_t += l.free_allocation_adjustment_t;
        self.carbon_price_deduction_t += l.carbon_price_deduction_t;
        self.certificates += l.certificates;
        self.cost_eur_exact += l.cost_eur_exact;
    }

    fn finish(mut self) -> Self {
        for v in [
            &mut self.mass_t,
            &mut self.electricity_mwh,
            &mut self.embedded_t,
            &mut self.free_allocation_adjustment_t,
            &mut self.carbon_price_deduction_t,
            &mut self.certificates,
            &mut self.cost_eur_exact,
        ] {
            *v = v.normalize();
        }
        self.cost_eur = round_eur(self.cost_eur_exact);
        self
    }
}

/// The de-minimis test of the year.
#[derive(Debug, Clone, Serialize)]
pub struct DeMinimis {
    /// Threshold, t net mass per importer and year.
    #[serde(with = "crate::num")]
    pub threshold_t: Decimal,
    /// Cumulative net mass of iron and steel, aluminium, cement and fertilisers, t.
    #[serde(with = "crate::num")]
    pub counted_mass_t: Decimal,
    /// True when the counted mass is at most the threshold: those goods owe no certificates.
    pub exempt: bool,
    /// The reference row.
    pub source: String,
}

/// Output of the `cbam_obligation` operation.
#[derive(Debug, Clone, Serialize)]
pub struct ObligationOutput {
    /// Year of import.
    pub year: i32,
    /// The importer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub importer: Option<String>,
    /// The scenario used, if any (a proposal, not law).
    pub scenario: Option<String>,
    /// CBAM factor of the year (share of free allocation kept).
    #[serde(with = "crate::num")]
    pub cbam_factor: Decimal,
    /// Cross-sectoral correction factor used (none when the CBAM factor is 0).
    #[serde(with = "crate::num::opt")]
    pub cross_sectoral_correction_factor: Option<Decimal>,
    /// Per line.
    pub lines: Vec<LineResult>,
    /// All lines.
    pub totals: Totals,
    /// Declaration totals by CN code.
    pub by_cn_code: BTreeMap<String, Totals>,
    /// By country of origin (`unknown` where a line has none).
    pub by_country: BTreeMap<String, Totals>,
    /// By installation (`unspecified` where a line has none).
    pub by_installation: BTreeMap<String, Totals>,
    /// The de-minimis test.
    pub de_minimis: DeMinimis,
    /// Deadline of the annual declaration and surrender (30 September of the next year).
    pub surrender_deadline: String,
    /// How money is rounded.
    pub rounding: &'static str,
    /// Every reference row used, with its source and status.
    pub sources: Vec<Parameter>,
    /// Things to know: scenario, fallbacks, unverified numbers.
    pub warnings: Vec<String>,
}

/// Rounds EUR to cents, half away from zero.
pub fn round_eur(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// The effective benchmark of a good (t CO2e per t, with precursors), by the rules of the
/// module docs.
fn benchmark_of(
    e: &Embedded,
    field: &str,
    year: i32,
    tables: &Tables,
    trail: &mut Trail,
) -> Result<BenchmarkUsed, TansoError> {
    let cn = display(&e.cn_code);
    let route = e.route.as_deref();
    let column_b = |trail: &mut Trail, fallback: bool| -> Result<BenchmarkUsed, TansoError> {
        let b = tables
            .benchmark(&e.cn_code, route, Column::B, year)
            .ok_or_else(|| tables.benchmark_error(field, &e.cn_code, route, Column::B, year))?;
        Ok(BenchmarkUsed {
            value: b.value,
            column: Some(Column::B),
            route: e.route.clone(),
            fallback,
            steps: vec![format!(
                "CN {cn}{}: column B benchmark {} t CO2e/t{}",
                route.map(|r| format!(" route {r}")).unwrap_or_default(),
                b.value,
                if fallback {
                    " (standing in for column A, which was not given)"
                } else {
                    ""
                }
            )],
            sources: vec![trail.use_source(&b.source)],
        })
    };
    if !e.sector.has_free_allocation() {
        return Ok(BenchmarkUsed {
            value: Decimal::ZERO,
            column: None,
            route: None,
            fallback: false,
            steps: vec![format!(
                "CN {cn}: electricity has no free allocation to adjust for"
            )],
            sources: Vec::new(),
        });
    }
    match e.data {
        DataSource::Default => column_b(trail, false),
        DataSource::Given => {
            trail.warn(format!(
                "{field}: CN {cn} has an SEE given as numbers, without its precursors: the column B benchmark (which covers precursors) is used; give the line a `benchmark` to use another"
            ));
            column_b(trail, true)
        }
        DataSource::Actual => {
            let Some(a) = tables.benchmark(&e.cn_code, route, Column::A, year) else {
                trail.warn(format!(
                    "{field}: no column A benchmark given for CN {cn}{} (tanso bundles none): the column B benchmark of its route is used; give column A values in `benchmarks` for the actual-data method of IR (EU) 2025/2620",
                    route.map(|r| format!(" route {r}")).unwrap_or_default()
                ));
                return column_b(trail, true);
            };
            let mut used = BenchmarkUsed {
                value: a.value,
                column: Some(Column::A),
                route: e.route.clone(),
                fallback: false,
                steps: vec![format!("CN {cn}: column A benchmark {} t CO2e/t", a.value)],
                sources: vec![trail.use_source(&a.source)],
            };
            for (i, p) in e.precursors.iter().enumerate() {
                let child = benchmark_of(
                    &p.good,
                    &format!("{field}.precursors[{i}]"),
                    year,
                    tables,
                    trail,
                )?;
                let add = p.specific_mass * child.value;
                used.value += add;
                used.fallback |= child.fallback;
                used.steps.extend(child.steps);
                used.steps.push(format!(
                    "CN {cn}: + precursor CN {} {} t/t × {} = {}",
                    display(&p.good.cn_code),
                    p.specific_mass,
                    child.value.normalize(),
                    add.normalize()
                ));
                used.sources.extend(child.sources);
            }
            used.value = used.value.normalize();
            used.sources.sort();
            used.sources.dedup();
            Ok(used)
        }
    }
}

struct Prepared {
    id: String,
    field: String,
    embedded: Embedded,
    mass: Decimal,
    carbon_price: Option<Decimal>,
    certificate_price: Option<Decimal>,
    quarter: Option<u8>,
    benchmark: Option<LineBenchmark>,
}

/// Runs `cbam_obligation`.
pub fn obligation_document(i: &ObligationInput) -> Result<ObligationOutput, TansoError> {
    data::check_year(i.year, "year")?;
    let tables = Tables::new(
        &i.default_values,
        &i.benchmarks,
        i.scenario.as_deref(),
        i.cross_sectoral_correction_factor,
    )?;
    if let Some(p) = i.certificate_price_eur {
        non_negative("certificate_price_eur", p)?;
    }
    let mut trail = Trail::default();
    if let (Some(s), Some(p)) = (tables.scenario(), tables.scenario_source()) {
        trail.warn(format!(
            "scenario {s}: the CBAM factor schedule of a PROPOSAL (not law) is used: {}",
            p.source.trim()
        ));
    }

    // 1. Embedded emissions of every line.
    let mut prepared = Vec::with_capacity(i.lines.len());
    for (k, line) in i.lines.iter().enumerate() {
        let field = format!("lines[{k}]");
        let (good, comm_price) = match (&line.good, &line.communication) {
            (Some(g), None) => (g.clone(), None),
            (None, Some(c)) => {
                c.validate(&format!("{field}.communication"))?;
                (
                    c.to_good(),
                    c.carbon_price_eur_per_t(&format!("{field}.communication"))?,
                )
            }
            _ => {
                return Err(InputError::InvalidInput {
                    operation: "cbam_obligation".to_string(),
                    message: format!("{field}: give exactly one of `good` and `communication`"),
                }
                .into())
            }
        };
        let gfield = if line.good.is_some() {
            format!("{field}.good")
        } else {
            format!("{field}.communication")
        };
        let embedded = compute(&good, None, &gfield, 0, i.year, &tables, &mut trail)?;
        let unit = Unit::parse(embedded.unit, "unit")?;
        let mass = non_negative(
            &format!("{field}.mass"),
            line.mass.value_in(unit, &format!("{field}.mass.unit"))?,
        )?;
        let carbon_price = line.carbon_price_paid_eur_per_t.or(comm_price);
        if let Some(p) = carbon_price {
            non_negative(&format!("{field}.carbon_price_paid_eur_per_t"), p)?;
        }
        if let Some(p) = line.certificate_price_eur {
            non_negative(&format!("{field}.certificate_price_eur"), p)?;
        }
        if let Some(q) = line.quarter {
            if !(1..=4).contains(&q) {
                return Err(AccountingError::OutOfRange {
                    field: format!("{field}.quarter"),
                    value: q.to_string(),
                    expected: "1 to 4".to_string(),
                }
                .into());
            }
        }
        if let Some(b) = &line.benchmark {
            non_negative(&format!("{field}.benchmark.value"), b.value)?;
        }
        prepared.push(Prepared {
            id: line.id.clone(),
            field,
            embedded,
            mass,
            carbon_price,
            certificate_price: line.certificate_price_eur.or(i.certificate_price_eur),
            quarter: line.quarter,
            benchmark: line.benchmark.clone(),
        });
    }

    // 2. De minimis over the whole year.
    let (threshold, dm_row) = tables.de_minimis();
    let dm_source = trail.use_source(dm_row);
    let counted_mass: Decimal = prepared
        .iter()
        .filter(|p| p.embedded.sector.de_minimis_counted())
        .map(|p| p.mass)
        .sum();
    let exempt = counted_mass <= threshold;

    // 3. Year parameters.
    let cf = tables.cbam_factor(i.year)?;
    if let Some(p) = &cf.source {
        trail.use_source(p);
    }
    let needs_benchmarks = !cf.value.is_zero()
        && prepared.iter().any(|p| {
            !(exempt && p.embedded.sector.de_minimis_counted())
                && p.embedded.sector.has_free_allocation()
        });
    let cscf = if needs_benchmarks {
        let c = tables.cscf(i.year)?;
        if let Some(p) = &c.source {
            trail.use_source(p);
        }
        Some(c.value)
    } else {
        None
    };

    // 4. Each line.
    let mut lines = Vec::with_capacity(prepared.len());
    for p in prepared {
        let e = &p.embedded;
        let unit = e.unit;
        let line_exempt = exempt && e.sector.de_minimis_counted();
        let embedded_t = p.mass * e.see;
        let mut steps = vec![format!(
            "embedded = {} {unit} × {} t CO2e/{unit} = {} t CO2e",
            p.mass.normalize(),
            e.see,
            embedded_t.normalize()
        )];
        let mut benchmark = None;
        let mut sefa = Decimal::ZERO;
        let mut adjustment = Decimal::ZERO;
        let mut deduction = Decimal::ZERO;
        let mut certificates = Decimal::ZERO;
        let mut price = None;
        let mut price_source = None;
        if line_exempt {
            steps.push(format!(
                "de minimis: the importer's counted mass {} t is at most {} t: no certificates for this line",
                counted_mass.normalize(),
                threshold
            ));
        } else {
            if !cf.value.is_zero() && e.sector.has_free_allocation() {
                let b = match &p.benchmark {
                    Some(own) => BenchmarkUsed {
                        value: own.value.normalize(),
                        column: own.column,
                        route: e.route.clone(),
                        fallback: false,
                        steps: vec![format!(
                            "the line's own benchmark {} t CO2e/t",
                            own.value.normalize()
                        )],
                        sources: vec![trail.use_source(&Parameter {
                            id: format!("user:{}.benchmark", p.field),
                            parameter: "benchmark".to_string(),
                            period: i.year.to_string(),
                            scope: format!("CN {}", display(&e.cn_code)),
                            value: own.value.normalize().to_string(),
                            unit: "tCO2e/t".to_string(),
                            status: crate::factors::Status::Unverified,
                            status_note: "user input".to_string(),
                            source: if own.source.is_empty() {
                                "user input".to_string()
                            } else {
                                own.source.clone()
                            },
                            notes: String::new(),
                        })],
                    },
                    None => {
                        benchmark_of(e, &format!("{}.good", p.field), i.year, &tables, &mut trail)?
                    }
                };
                let c = cscf.unwrap_or(Decimal::ONE);
                sefa = cf.value * c * b.value;
                let full = p.mass * sefa;
                adjustment = full.min(embedded_t);
                steps.push(format!(
                    "SEFA = CBAM factor {} × CSCF {} × benchmark {} = {} t CO2e/t; adjustment = min({} × {} = {}, embedded {}) = {} t CO2e",
                    cf.value,
                    c,
                    b.value,
                    sefa.normalize(),
                    p.mass.normalize(),
                    sefa.normalize(),
                    full.normalize(),
                    embedded_t.normalize(),
                    adjustment.normalize()
                ));
                benchmark = Some(b);
            } else if cf.value.is_zero() {
                steps.push(format!(
                    "CBAM factor {} for {}: no free-allocation adjustment",
                    cf.value, i.year
                ));
            } else {
                steps.push("electricity: no free allocation, no adjustment".to_string());
            }
            let gross = embedded_t - adjustment;
            if gross > Decimal::ZERO {
                let (pr, src) = match (p.certificate_price, p.quarter) {
                    (Some(v), _) => (v, "input".to_string()),
                    (None, Some(q)) if i.year == 2026 => match tables.price_2026(q) {
                        Some((v, row)) => (v, trail.use_source(row)),
                        None => return Err(price_missing(&p.field, i.year, Some(q), &tables)),
                    },
                    (None, q) => return Err(price_missing(&p.field, i.year, q, &tables)),
                };
                if let Some(paid) = p.carbon_price {
                    if pr.is_zero() {
                        // Certificates cost nothing: any price paid covers what is left.
                        deduction = if paid > Decimal::ZERO {
                            gross
                        } else {
                            Decimal::ZERO
                        };
                    } else {
                        deduction = (embedded_t * paid / pr).min(gross);
                    }
                    steps.push(format!(
                        "carbon price deduction = min({} t × EUR {paid}/t ÷ EUR {pr}/t, {}) = {} t CO2e",
                        embedded_t.normalize(),
                        gross.normalize(),
                        deduction.normalize()
                    ));
                }
                certificates = gross - deduction;
                price = Some(pr);
                price_source = Some(src);
            } else if p.carbon_price.is_some() {
                steps.push("carbon price deduction: nothing left to deduct".to_string());
            }
            steps.push(format!(
                "certificates = {} − {} − {} = {}",
                embedded_t.normalize(),
                adjustment.normalize(),
                deduction.normalize(),
                certificates.normalize()
            ));
        }
        let cost_exact = price.map(|pr| certificates * pr).unwrap_or_default();
        let cost = round_eur(cost_exact);
        if let Some(pr) = price {
            steps.push(format!(
                "cost = {} × EUR {pr} = EUR {} → EUR {cost}",
                certificates.normalize(),
                cost_exact.normalize()
            ));
        }
        lines.push(LineResult {
            id: p.id,
            cn_code: e.cn_code.clone(),
            sector: e.sector,
            country: e.country.clone(),
            installation: e.installation.clone(),
            data: e.data,
            mass: p.mass.normalize(),
            unit,
            see: e.see,
            embedded_t: embedded_t.normalize(),
            benchmark,
            sefa: sefa.normalize(),
            free_allocation_adjustment_t: adjustment.normalize(),
            carbon_price_paid_eur_per_t: p.carbon_price.map(|v| v.normalize()),
            carbon_price_deduction_t: deduction.normalize(),
            certificates: certificates.normalize(),
            de_minimis_exempt: line_exempt,
            certificate_price_eur: price.map(|v| v.normalize()),
            certificate_price_source: price_source,
            cost_eur: cost,
            cost_eur_exact: cost_exact.normalize(),
            embedded: p.embedded,
            steps,
        });
    }

    // 5. Totals.
    let mut totals = Totals::default();
    let mut by_cn: BTreeMap<String, Totals> = BTreeMap::new();
    let mut by_country: BTreeMap<String, Totals> = BTreeMap::new();
    let mut by_installation: BTreeMap<String, Totals> = BTreeMap::new();
    for l in &lines {
        totals.add(l);
        by_cn.entry(l.cn_code.clone()).or_default().add(l);
        by_country
            .entry(l.country.clone().unwrap_or_else(|| "unknown".to_string()))
            .or_default()
            .add(l);
        by_installation
            .entry(
                l.installation
                    .clone()
                    .unwrap_or_else(|| "unspecified".to_string()),
            )
            .or_default()
            .add(l);
    }
    let fin = |m: BTreeMap<String, Totals>| m.into_iter().map(|(k, t)| (k, t.finish())).collect();
    let surrender_deadline = format!("{}-09-30", i.year + 1);
    if let Some((date, row)) = &tables.data().deadline {
        if i.year == 2026 && date == &surrender_deadline {
            trail.use_source(row);
        }
    }
    Ok(ObligationOutput {
        year: i.year,
        importer: i.importer.clone(),
        scenario: tables.scenario().map(str::to_string),
        cbam_factor: cf.value.normalize(),
        cross_sectoral_correction_factor: cscf.map(|c| c.normalize()),
        lines,
        totals: totals.finish(),
        by_cn_code: fin(by_cn),
        by_country: fin(by_country),
        by_installation: fin(by_installation),
        de_minimis: DeMinimis {
            threshold_t: threshold,
            counted_mass_t: counted_mass.normalize(),
            exempt,
            source: dm_source,
        },
        surrender_deadline,
        rounding: ROUNDING,
        sources: trail.sources.into_values().collect(),
        warnings: trail.warnings,
    })
}

fn price_missing(field: &str, year: i32, quarter: Option<u8>, tables: &Tables) -> TansoError {
    let have: Vec<String> = tables
        .data()
        .prices_2026
        .iter()
        .map(|(q, (v, _))| format!("2026-Q{q} EUR {v}"))
        .collect();
    let (period, expected) = match (year, quarter) {
        (2026, Some(q)) => (
            format!("2026-Q{q}"),
            format!(
                "tanso bundles {} (IR (EU) 2025/2548); give certificate_price_eur",
                have.join(", ")
            ),
        ),
        (2026, None) => (
            "2026".to_string(),
            format!(
                "2026 prices are quarterly: give the line's quarter of import (bundled: {}) or certificate_price_eur",
                have.join(", ")
            ),
        ),
        _ => (
            year.to_string(),
            "from 2027 the price is the weekly average of EU ETS auction prices, published the first working day of the following week; give certificate_price_eur (document or line)".to_string(),
        ),
    };
    CbamError::CertificatePriceMissing {
        field: format!("{field}.certificate_price_eur"),
        period,
        expected,
    }
    .into()
}
