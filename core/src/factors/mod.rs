//! Emission factors with provenance, fuels, and the registry that finds them.
//!
//! An [`EmissionFactor`] is kg of each gas (or kg CO2e where the source gives only that)
//! per unit of an activity, in a geography and a data year, with its [`Provenance`]:
//! publisher, document, table, licence, status, boundary and GWP basis. A [`Fuel`] holds
//! the parameters the combustion calculators need (NCV, carbon content, oxidation, per-gas
//! factors per sector, standard-coal coefficient).
//!
//! The [`FactorRegistry`] looks a factor up by activity, geography and year. When there is no
//! exact match it falls back along the geography chain (province → grid region → country →
//! world, see [`geography`]) and, within a geography, to the nearest earlier year; the match
//! says which fallback was used. Bundled data: the verified rows of `gwp.csv`,
//! `fuels_ipcc2006.csv`, `fuels_china.csv` and `grid_factors.csv`. Unverified rows are loaded
//! only on request ([`FactorRegistry::bundled_with_unverified`]) and are flagged. Rows from
//! IEA-based statistics are not bundled (licence): users load such tables themselves with
//! [`FactorRegistry::load_table`].
//!
//! ```
//! use tanso::factors::FactorRegistry;
//! let reg = FactorRegistry::bundled();
//! let m = reg.lookup("electricity.grid_average", "CN-ZJ", 2023).unwrap();
//! // Zhejiang has no provincial row; the East China grid 2023 value is used, and said so.
//! assert_eq!(m.factor.geography, "CN-GRID-EAST");
//! assert!(m.fallback.is_some());
//! ```

pub mod bundled;
pub mod geography;
mod load;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{nearest, FactorError, TansoError};
use crate::ghg::{GasVector, GwpSet};

pub use load::TableFormat;

/// Whether a value has been checked against its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Checked against a primary or secondary source. Only these ship as defaults.
    Verified,
    /// Not checked; usable only when asked for, and flagged in every result.
    #[default]
    Unverified,
}

/// What part of the life cycle a factor covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// Direct emissions of combustion (tank-to-wheel).
    #[default]
    Combustion,
    /// Upstream fuel supply (well-to-tank).
    WellToTank,
    /// Well-to-wheel (well-to-tank plus tank-to-wheel).
    WellToWheel,
    /// Emissions of generating grid electricity as consumed (Scope 2 factors).
    Generation,
    /// Cradle to gate of a product.
    CradleToGate,
    /// Full life cycle (e.g. electricity carbon-footprint factors incl. infrastructure).
    LifeCycle,
}

/// Where a number comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Provenance {
    /// Who published it (IPCC, MEE & NBS, a supplier, …).
    pub publisher: String,
    /// The document (guideline, announcement, standard, report).
    pub document: String,
    /// Table, page or row within the document.
    #[serde(default)]
    pub table: String,
    /// Where to read it, if public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Terms of reuse.
    #[serde(default)]
    pub licence: String,
    /// Verified or not.
    #[serde(default)]
    pub status: Status,
    /// The status as the source table words it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status_note: String,
    /// Life-cycle boundary.
    #[serde(default)]
    pub boundary: Boundary,
    /// GWP set of CO2e values, if any (None where the factor is per gas or the source does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gwp_basis: Option<GwpSet>,
    /// Remarks that matter for use.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// An emission factor: kg of each gas per unit of activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmissionFactor {
    /// Unique id within its registry.
    pub id: String,
    /// The activity it applies to, e.g. `electricity.grid_average`, `spend.steel_products`.
    pub activity: String,
    /// Geography code (see [`geography`]).
    pub geography: String,
    /// Data year.
    pub year: i32,
    /// The unit of activity it is per: a unit symbol (`kWh`, `tkm`, `kg`) or, for
    /// spend-based factors, a currency code (`CNY`).
    pub unit: String,
    /// For spend-based factors, the year whose prices the currency unit is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_year: Option<i32>,
    /// kg of each gas per unit.
    #[serde(default)]
    pub gases: GasVector,
    /// kg CO2e per unit, where the source gives only CO2e (its set in `provenance.gwp_basis`).
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub co2e: Option<Decimal>,
    /// Where it comes from.
    pub provenance: Provenance,
}

/// A combustion sector, which decides the IPCC Tier 1 CH4 and N2O factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// IPCC 2006 Vol. 2 Table 2.2, energy industries.
    EnergyIndustries,
    /// IPCC 2006 Vol. 2 Table 2.3, manufacturing industries and construction.
    #[default]
    Manufacturing,
}

/// A per-sector CH4 or N2O factor of a fuel, kg per TJ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorFactor {
    /// The sector.
    pub sector: Sector,
    /// `CH4_fossil` or `N2O`.
    pub gas: crate::ghg::Gas,
    /// kg per TJ (net calorific basis).
    #[serde(with = "crate::num")]
    pub kg_per_tj: Decimal,
    /// Verified or not.
    pub status: Status,
}

/// The parameters of a fuel for combustion and standard-coal accounting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fuel {
    /// Identifier, e.g. `diesel` (IPCC 2006) or `cn_raw_coal` (China).
    pub id: String,
    /// English name.
    pub name: String,
    /// Name in the source's language, if not English (e.g. 原煤).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_name: Option<String>,
    /// The reference unit of the parameters below (`kg` or `Nm3`).
    pub unit: String,
    /// Net calorific value, MJ per reference unit.
    #[serde(with = "crate::num")]
    pub ncv_mj_per_unit: Decimal,
    /// Carbon content, kg C per GJ (= t C per TJ).
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub carbon_content_kgc_per_gj: Option<Decimal>,
    /// Fraction of carbon oxidised.
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub oxidation: Option<Decimal>,
    /// Tier 1 default CO2 factor, kg per TJ (IPCC 2006 Table 1.4).
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub co2_kg_per_tj: Option<Decimal>,
    /// Whether the CO2 parameters (NCV, carbon content, oxidation, CO2 factor) are verified.
    pub co2_status: Status,
    /// CH4 and N2O factors by sector.
    #[serde(default)]
    pub sector_factors: Vec<SectorFactor>,
    /// Standard-coal coefficient, kgce per reference unit (GB/T 2589-2020), if verified.
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub kgce_per_unit: Option<Decimal>,
    /// kg CO2 per reference unit as the source publishes it (for checking, never used).
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub published_kgco2_per_unit: Option<Decimal>,
    /// Where the parameters come from.
    pub provenance: Provenance,
}

/// What a lookup found, and which fallback it used.
#[derive(Debug, Clone, Serialize)]
pub struct FactorMatch<'a> {
    /// The factor.
    pub factor: &'a EmissionFactor,
    /// Set when the factor is not for the exact geography and year asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Fallback>,
}

/// A fallback that a lookup used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fallback {
    /// The geography asked for.
    pub requested_geography: String,
    /// The geography of the factor used.
    pub used_geography: String,
    /// The year asked for.
    pub requested_year: i32,
    /// The data year of the factor used.
    pub used_year: i32,
}

/// Emission factors and fuels, with lookup and fallback.
#[derive(Debug, Clone, Default)]
pub struct FactorRegistry {
    factors: Vec<EmissionFactor>,
    /// activity → geography → indices sorted by year.
    index: HashMap<String, HashMap<String, Vec<usize>>>,
    fuels: BTreeMap<String, Arc<Fuel>>,
    fuel_aliases: HashMap<String, String>,
}

impl FactorRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// The verified bundled data (cached; this returns a clone).
    pub fn bundled() -> Self {
        static REG: OnceLock<FactorRegistry> = OnceLock::new();
        REG.get_or_init(|| bundled::registry(false)).clone()
    }

    /// The bundled data including unverified rows, which are flagged `unverified`.
    pub fn bundled_with_unverified() -> Self {
        static REG: OnceLock<FactorRegistry> = OnceLock::new();
        REG.get_or_init(|| bundled::registry(true)).clone()
    }

    /// Adds a factor. A factor with the id of an existing one replaces it.
    pub fn add(&mut self, factor: EmissionFactor) {
        if let Some(pos) = self.factors.iter().position(|f| f.id == factor.id) {
            self.factors[pos] = factor;
        } else {
            self.factors.push(factor);
        }
        self.reindex();
    }

    /// Adds many factors at once.
    pub fn extend(&mut self, factors: Vec<EmissionFactor>) {
        for f in factors {
            if let Some(pos) = self.factors.iter().position(|g| g.id == f.id) {
                self.factors[pos] = f;
            } else {
                self.factors.push(f);
            }
        }
        self.reindex();
    }

    /// Adds a fuel, with extra names it may be called by.
    pub fn add_fuel(&mut self, fuel: Fuel, aliases: &[&str]) {
        for a in aliases {
            self.fuel_aliases.insert(a.to_string(), fuel.id.clone());
        }
        if let Some(l) = &fuel.local_name {
            self.fuel_aliases.insert(l.clone(), fuel.id.clone());
        }
        self.fuels.insert(fuel.id.clone(), Arc::new(fuel));
    }

    /// Loads a user table of factors (CSV or JSON). Either every row loads or none does;
    /// errors name the table and the row. Returns the number of factors loaded.
    pub fn load_table(
        &mut self,
        name: &str,
        format: TableFormat,
        text: &str,
    ) -> Result<usize, FactorError> {
        let rows = load::parse_table(name, format, text)?;
        let n = rows.len();
        self.extend(rows);
        Ok(n)
    }

    fn reindex(&mut self) {
        let mut index: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
        for (i, f) in self.factors.iter().enumerate() {
            index
                .entry(f.activity.clone())
                .or_default()
                .entry(f.geography.clone())
                .or_default()
                .push(i);
        }
        for geos in index.values_mut() {
            for v in geos.values_mut() {
                v.sort_by_key(|i| self.factors[*i].year);
            }
        }
        self.index = index;
    }

    /// Every factor.
    pub fn factors(&self) -> &[EmissionFactor] {
        &self.factors
    }

    /// Every activity key, sorted.
    pub fn activities(&self) -> Vec<String> {
        let mut v: Vec<String> = self.index.keys().cloned().collect();
        v.sort();
        v
    }

    /// Every fuel id, sorted.
    pub fn fuel_ids(&self) -> Vec<String> {
        self.fuels.keys().cloned().collect()
    }

    /// A fuel by id, alias or local name.
    pub fn fuel(&self, name: &str) -> Result<&Arc<Fuel>, FactorError> {
        let t = name.trim();
        let id = self.fuel_aliases.get(t).map(String::as_str).unwrap_or(t);
        self.fuels.get(id).ok_or_else(|| FactorError::UnknownFuel {
            field: "fuel".to_string(),
            value: name.to_string(),
            suggestions: nearest(t, self.fuels.keys().map(String::as_str), 3),
        })
    }

    /// The factor for an activity in a geography and year, falling back along the geography
    /// chain and to the nearest earlier year.
    pub fn lookup(
        &self,
        activity: &str,
        geography: &str,
        year: i32,
    ) -> Result<FactorMatch<'_>, FactorError> {
        let chain = geography::chain(geography)?;
        let Some(by_geo) = self.index.get(activity) else {
            return Err(FactorError::FactorNotFound {
                field: "activity".to_string(),
                activity: activity.to_string(),
                geography: geography.to_string(),
                year,
                searched: chain.join(" → "),
                available: format!(
                    "no such activity; nearest: {}",
                    nearest(activity, self.index.keys().map(String::as_str), 3)
                ),
            });
        };
        for geo in &chain {
            if let Some(idx) = by_geo.get(geo) {
                if let Some(i) = idx.iter().rev().find(|i| self.factors[**i].year <= year) {
                    let f = &self.factors[*i];
                    let fallback = (f.geography != chain[0] || f.year != year).then(|| Fallback {
                        requested_geography: chain[0].clone(),
                        used_geography: f.geography.clone(),
                        requested_year: year,
                        used_year: f.year,
                    });
                    return Ok(FactorMatch {
                        factor: f,
                        fallback,
                    });
                }
            }
        }
        let mut available: Vec<String> = by_geo
            .iter()
            .flat_map(|(g, idx)| idx.iter().map(move |i| (g, *i)))
            .map(|(g, i)| format!("{g}/{}", self.factors[i].year))
            .collect();
        available.sort();
        Err(FactorError::FactorNotFound {
            field: "geography".to_string(),
            activity: activity.to_string(),
            geography: geography.to_string(),
            year,
            searched: chain.join(" → "),
            available: available.join(", "),
        })
    }
}

/// Where factors come from for one calculation: the bundled data, optionally with its
/// unverified rows, plus user tables.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorSource {
    /// Include unverified bundled rows (flagged in every result that uses them).
    #[serde(default)]
    pub include_unverified: bool,
    /// User tables, loaded after the bundled data (a row with an existing id replaces it).
    #[serde(default)]
    pub tables: Vec<UserTable>,
}

/// A user's factor table given inline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserTable {
    /// The table's name, used in error messages and provenance.
    pub name: String,
    /// `csv` or `json`.
    pub format: TableFormat,
    /// The table's text.
    pub text: String,
}

impl FactorSource {
    /// Builds the registry this source describes.
    pub fn registry(&self) -> Result<FactorRegistry, FactorError> {
        let mut reg = if self.include_unverified {
            FactorRegistry::bundled_with_unverified()
        } else {
            FactorRegistry::bundled()
        };
        for t in &self.tables {
            reg.load_table(&t.name, t.format, &t.text)?;
        }
        Ok(reg)
    }
}

/// Input of the `lookup_factor` operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupInput {
    /// Activity key.
    pub activity: String,
    /// Geography code or name.
    pub geography: String,
    /// Year.
    pub year: i32,
    /// Where factors come from.
    #[serde(default)]
    pub factors: FactorSource,
}

/// Output of the `lookup_factor` operation.
#[derive(Debug, Clone, Serialize)]
pub struct LookupOutput {
    /// The factor found.
    pub factor: EmissionFactor,
    /// The fallback used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Fallback>,
}

/// Runs `lookup_factor`.
pub fn lookup_document(i: &LookupInput) -> Result<LookupOutput, TansoError> {
    let reg = i.factors.registry()?;
    let m = reg.lookup(&i.activity, &i.geography, i.year)?;
    Ok(LookupOutput {
        factor: m.factor.clone(),
        fallback: m.fallback,
    })
}

/// Input of the `fuel` operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuelInput {
    /// Fuel id, alias or local name.
    pub fuel: String,
    /// Where factors come from.
    #[serde(default)]
    pub factors: FactorSource,
}

/// Runs `fuel`.
pub fn fuel_document(i: &FuelInput) -> Result<Fuel, TansoError> {
    let reg = i.factors.registry()?;
    Ok(reg.fuel(&i.fuel)?.as_ref().clone())
}
