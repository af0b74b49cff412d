//! An organisation's inventory: consolidation, per-record results and totals.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::*;

/// How an organisation consolidates its sites (GHG Protocol Corporate Standard, ch. 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Consolidation {
    /// The organisation's equity share of each site.
    EquityShare,
    /// 100 % of the sites it operates, 0 % of the others.
    #[default]
    OperationalControl,
    /// 100 % of the sites it financially controls, 0 % of the others.
    FinancialControl,
}

/// A site (facility, subsidiary, operation).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Id used by records.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Geography code or name (default geography of its records).
    #[serde(default)]
    pub geography: Option<String>,
    /// Equity share, 0 to 1 (default 1).
    #[serde(default, with = "crate::num::opt")]
    pub equity_share: Option<Decimal>,
    /// Whether the organisation has operational control (default true).
    #[serde(default)]
    pub operational_control: Option<bool>,
    /// Whether the organisation has financial control (default true).
    #[serde(default)]
    pub financial_control: Option<bool>,
}

/// The reporting organisation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Name.
    pub name: String,
    /// Consolidation approach.
    #[serde(default)]
    pub consolidation: Consolidation,
    /// Sites; records name them.
    #[serde(default)]
    pub sites: Vec<Site>,
}

/// Records of a base year, for the comparison.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseYear {
    /// The base year.
    pub year: i32,
    /// Its records.
    pub records: Vec<ActivityRecord>,
}

/// Input of the `inventory` operation, with the [`Settings`] written flat beside its fields
/// (all but `year`: the reporting year is the default data year).
#[derive(Debug, Clone)]
pub struct InventoryInput {
    /// The organisation.
    pub organisation: Organisation,
    /// Reporting year (the default data year of records).
    pub reporting_year: i32,
    /// Activity records.
    pub records: Vec<ActivityRecord>,
    /// The base year and its records.
    pub base_year: Option<BaseYear>,
    /// GWP set, factors, rates.
    pub settings: Settings,
}

impl<'de> Deserialize<'de> for InventoryInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Rest {
            organisation: Organisation,
            reporting_year: i32,
            records: Vec<ActivityRecord>,
            #[serde(default)]
            base_year: Option<BaseYear>,
        }
        let (settings, r): (Settings, Rest) = Settings::split(d, &["year"])?;
        Ok(InventoryInput {
            organisation: r.organisation,
            reporting_year: r.reporting_year,
            records: r.records,
            base_year: r.base_year,
            settings,
        })
    }
}

/// Totals of an inventory, kg unless named otherwise. Every total is the exact sum of its records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Totals {
    /// Scope 1 + Scope 2 (location-based) + Scope 3, kg CO2e.
    #[serde(with = "crate::num")]
    pub total_co2e_kg: Decimal,
    /// Scope 1 + Scope 2 (market-based) + Scope 3, kg CO2e.
    #[serde(with = "crate::num")]
    pub total_market_based_co2e_kg: Decimal,
    /// Scope 1, kg CO2e.
    #[serde(with = "crate::num")]
    pub scope_1_co2e_kg: Decimal,
    /// Scope 2, location-based, kg CO2e.
    #[serde(with = "crate::num")]
    pub scope_2_location_co2e_kg: Decimal,
    /// Scope 2, market-based, kg CO2e.
    #[serde(with = "crate::num")]
    pub scope_2_market_co2e_kg: Decimal,
    /// Scope 3, kg CO2e.
    #[serde(with = "crate::num")]
    pub scope_3_co2e_kg: Decimal,
    /// Scope 3 by category ("1" … "15"), kg CO2e.
    #[serde(with = "crate::num::map")]
    pub scope_3_by_category: BTreeMap<u8, Decimal>,
    /// By ISO 14064-1 category ("1" … "6"; category 2 location-based), kg CO2e.
    #[serde(with = "crate::num::map")]
    pub iso_14064_by_category: BTreeMap<u8, Decimal>,
    /// Mass of each gas (Scope 2 location-based), kg.
    pub by_gas_kg: GasVector,
    /// CO2e of each gas, kg; factors given only in CO2e appear under "CO2e".
    #[serde(with = "crate::num::map")]
    pub by_gas_co2e_kg: BTreeMap<String, Decimal>,
    /// By site (location-based), kg CO2e; records without a site under "".
    #[serde(with = "crate::num::map")]
    pub by_site_co2e_kg: BTreeMap<String, Decimal>,
    /// Biogenic CO2, reported apart, kg.
    #[serde(with = "crate::num")]
    pub biogenic_co2_kg: Decimal,
    /// Avoided emissions, reported apart and never netted, kg CO2e.
    #[serde(with = "crate::num")]
    pub avoided_co2e_kg: Decimal,
    /// Energy consumed, tonnes of standard coal.
    #[serde(with = "crate::num")]
    pub energy_tce: Decimal,
}

/// The change of the reporting year against the base year.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaseYearComparison {
    /// The base year.
    pub year: i32,
    /// Its totals.
    pub totals: Totals,
    /// Reporting − base, kg CO2e (location-based).
    #[serde(with = "crate::num")]
    pub change_co2e_kg: Decimal,
    /// (Reporting − base) / base × 100, rounded to 2 decimals (half away from zero); null if the base is zero.
    #[serde(with = "crate::num::opt")]
    pub change_percent: Option<Decimal>,
}

/// An inventory result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Inventory {
    /// The organisation's name.
    pub organisation: String,
    /// Reporting year.
    pub reporting_year: i32,
    /// GWP set of every CO2e figure.
    pub gwp_set: GwpSet,
    /// Consolidation approach.
    pub consolidation: Consolidation,
    /// Totals.
    pub totals: Totals,
    /// One result per record, in input order.
    pub records: Vec<RecordResult>,
    /// The base-year comparison, if a base year was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_year: Option<BaseYearComparison>,
    /// The distinct factors used, by id, with their provenance.
    pub factors_used: BTreeMap<String, crate::factors::Provenance>,
}

fn share_of(org: &Organisation, site: Option<&Site>) -> Result<Decimal, TansoError> {
    let Some(site) = site else {
        return Ok(Decimal::ONE);
    };
    Ok(match org.consolidation {
        Consolidation::EquityShare => {
            let s = site.equity_share.unwrap_or(Decimal::ONE);
            fraction(&format!("organisation.sites[{}].equity_share", site.id), s)?
        }
        Consolidation::OperationalControl => {
            if site.operational_control.unwrap_or(true) {
                Decimal::ONE
            } else {
                Decimal::ZERO
            }
        }
        Consolidation::FinancialControl => {
            if site.financial_control.unwrap_or(true) {
                Decimal::ONE
            } else {
                Decimal::ZERO
            }
        }
    })
}

fn compute(
    org: &Organisation,
    records: &[ActivityRecord],
    registry: &crate::factors::FactorRegistry,
    settings: &Settings,
    year: i32,
) -> Result<(Vec<RecordResult>, Totals), TansoError> {
    let mut results = Vec::with_capacity(records.len());
    let mut claimed: BTreeSet<&str> = BTreeSet::new();
    for (index, r) in records.iter().enumerate() {
        let wrap = |e: TansoError| -> TansoError {
            AccountingError::Record {
                index,
                id: r.id.clone(),
                source: Box::new(e),
            }
            .into()
        };
        let site = match &r.site {
            None => None,
            Some(id) => Some(org.sites.iter().find(|s| &s.id == id).ok_or_else(|| {
                wrap(
                    AccountingError::UnknownSite {
                        field: "site".to_string(),
                        value: id.clone(),
                        valid: org
                            .sites
                            .iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    }
                    .into(),
                )
            })?),
        };
        if let Activity::Electricity(e) = &r.activity {
            for ins in &e.instruments {
                if !claimed.insert(ins.id.as_str()) {
                    return Err(wrap(
                        AccountingError::DoubleClaim {
                            field: "instruments.id".to_string(),
                            message: format!("instrument '{}' is claimed by more than one record; a certificate or contract counts once", ins.id),
                        }
                        .into(),
                    ));
                }
            }
        }
        let share = share_of(org, site).map_err(wrap)?;
        let geography = site.and_then(|s| s.geography.clone());
        let ctx = Context {
            registry,
            settings,
            year: Some(year),
            geography,
        };
        results.push(calculate(r, &ctx, share).map_err(wrap)?);
    }
    let totals = totals(&results, settings.gwp_set)?;
    Ok((results, totals))
}

/// Adds up record results.
pub fn totals(results: &[RecordResult], set: GwpSet) -> Result<Totals, TansoError> {
    let mut t = Totals::default();
    for r in results {
        let market = r
            .market_based
            .as_ref()
            .map(|m| m.co2e_kg)
            .unwrap_or(r.co2e_kg);
        match r.scope {
            1 => t.scope_1_co2e_kg += r.co2e_kg,
            2 => {
                t.scope_2_location_co2e_kg += r.co2e_kg;
                t.scope_2_market_co2e_kg += market;
            }
            3 => {
                t.scope_3_co2e_kg += r.co2e_kg;
                if let Some(c) = r.scope3_category {
                    *t.scope_3_by_category.entry(c).or_default() += r.co2e_kg;
                }
            }
            _ => {}
        }
        if r.scope != 0 {
            *t.iso_14064_by_category.entry(r.iso_category).or_default() += r.co2e_kg;
            *t.by_site_co2e_kg
                .entry(r.site.clone().unwrap_or_default())
                .or_default() += r.co2e_kg;
            t.by_gas_kg.add_all(&r.gases);
            for (g, v) in &r.gases.0 {
                if *g != crate::ghg::Gas::Co2Biogenic {
                    *t.by_gas_co2e_kg.entry(g.id().to_string()).or_default() +=
                        *v * crate::ghg::gwp(*g, set)?;
                }
            }
            if !r.co2e_from_factors_kg.is_zero() {
                *t.by_gas_co2e_kg.entry("CO2e".to_string()).or_default() += r.co2e_from_factors_kg;
            }
        }
        t.biogenic_co2_kg += r.biogenic_co2_kg;
        t.avoided_co2e_kg += r.avoided_co2e_kg.unwrap_or_default();
        t.energy_tce += r.energy_tce.unwrap_or_default();
    }
    t.total_co2e_kg = t.scope_1_co2e_kg + t.scope_2_location_co2e_kg + t.scope_3_co2e_kg;
    t.total_market_based_co2e_kg = t.scope_1_co2e_kg + t.scope_2_market_co2e_kg + t.scope_3_co2e_kg;
    normalize(&mut t);
    Ok(t)
}

fn normalize(t: &mut Totals) {
    for v in [
        &mut t.total_co2e_kg,
        &mut t.total_market_based_co2e_kg,
        &mut t.scope_1_co2e_kg,
        &mut t.scope_2_location_co2e_kg,
        &mut t.scope_2_market_co2e_kg,
        &mut t.scope_3_co2e_kg,
        &mut t.biogenic_co2_kg,
        &mut t.avoided_co2e_kg,
        &mut t.energy_tce,
    ] {
        *v = v.normalize();
    }
    for m in [&mut t.scope_3_by_category, &mut t.iso_14064_by_category] {
        for v in m.values_mut() {
            *v = v.normalize();
        }
    }
    for m in [&mut t.by_gas_co2e_kg, &mut t.by_site_co2e_kg] {
        for v in m.values_mut() {
            *v = v.normalize();
        }
    }
    t.by_gas_kg = t.by_gas_kg.normalized();
}

/// Runs `inventory`: every record calculated with the organisation's consolidation, then
/// totals and the base-year comparison. Fails on the first bad record, naming it; nothing
/// partial is returned.
pub fn inventory(i: &InventoryInput) -> Result<Inventory, TansoError> {
    let settings = Settings {
        year: Some(i.reporting_year),
        ..i.settings.clone()
    };
    let registry = settings.factors.registry()?;
    let mut ids = BTreeSet::new();
    for s in &i.organisation.sites {
        if !ids.insert(s.id.as_str()) {
            return Err(AccountingError::OutOfRange {
                field: "organisation.sites.id".to_string(),
                value: s.id.clone(),
                expected: "unique site ids".to_string(),
            }
            .into());
        }
    }
    let (records, totals) = compute(
        &i.organisation,
        &i.records,
        &registry,
        &settings,
        i.reporting_year,
    )?;
    let base_year = match &i.base_year {
        None => None,
        Some(b) => {
            let (_, base) = compute(&i.organisation, &b.records, &registry, &settings, b.year)?;
            let change = totals.total_co2e_kg - base.total_co2e_kg;
            let pct = if base.total_co2e_kg.is_zero() {
                None
            } else {
                Some(
                    (change * Decimal::ONE_HUNDRED / base.total_co2e_kg)
                        .round_dp_with_strategy(
                            2,
                            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                        )
                        .normalize(),
                )
            };
            Some(BaseYearComparison {
                year: b.year,
                totals: base,
                change_co2e_kg: change.normalize(),
                change_percent: pct,
            })
        }
    };
    let mut factors_used = BTreeMap::new();
    for r in &records {
        for s in &r.trail {
            if let (Some(id), Some(src)) = (&s.factor_id, &s.source) {
                factors_used
                    .entry(id.clone())
                    .or_insert_with(|| src.clone());
            }
        }
    }
    Ok(Inventory {
        organisation: i.organisation.name.clone(),
        reporting_year: i.reporting_year,
        gwp_set: settings.gwp_set,
        consolidation: i.organisation.consolidation,
        totals,
        records,
        base_year,
        factors_used,
    })
}
