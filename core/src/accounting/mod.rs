//! Activity data → emissions: the calculators and the inventory.
//!
//! An [`ActivityRecord`] is one line of activity data (a fuel bill, an electricity meter, a
//! refrigerant top-up, a shipment, a purchase). [`calculate`] turns it into a
//! [`RecordResult`]: kg of each gas, kg CO2e under the inventory's GWP set, biogenic CO2 apart,
//! the scope, Scope 3 category and ISO 14064-1 category, energy in tonnes of standard coal where
//! it applies, and a provenance trail naming every factor used and any fallback.
//! [`inventory`] does this for an organisation's records and adds them up by scope, category,
//! gas and site, with the consolidation approach applied and a base-year comparison.
//!
//! ```
//! use tanso::api::call_json;
//! let out = call_json("calculate", r#"{"record": {"type": "fuel_combustion", "fuel": "cn_raw_coal",
//!     "quantity": {"value": "1000", "unit": "kg"}}}"#).unwrap();
//! // 1000 kg × 20.908 MJ/kg × 26.37 kgC/GJ × 0.94 × 44/12 = 1900.3 kg CO2 (NDRC parameters)
//! assert!(out.contains(r#""co2e_kg":"1900.29"#), "{out}");
//! ```

pub mod batch;
mod calculators;
mod inventory;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{AccountingError, InputError, TansoError};
use crate::factors::{FactorRegistry, FactorSource, Fallback, Provenance, Sector};
use crate::ghg::{GasVector, GwpSet};
use crate::units::{Money, Quantity};

pub use calculators::calculate;
pub use inventory::{inventory, Inventory, InventoryInput, Organisation, Site, Totals};

/// One line of activity data: common fields plus the activity, flat in JSON
/// (`{"id": "r1", "site": "hz", "type": "electricity", "energy": {...}}`).
#[derive(Debug, Clone, Serialize)]
pub struct ActivityRecord {
    /// The record's id (free text; echoed in results and errors).
    pub id: String,
    /// The site it belongs to (an id from the organisation's sites).
    pub site: Option<String>,
    /// Data year; defaults to the inventory's reporting year.
    pub year: Option<i32>,
    /// Free description.
    pub description: String,
    /// Scope 3 category (1–15) for records that fall in Scope 3; overrides the type's default.
    pub scope3_category: Option<u8>,
    /// The activity.
    #[serde(flatten)]
    pub activity: Activity,
}

const COMMON_FIELDS: [&str; 5] = ["id", "site", "year", "description", "scope3_category"];

impl<'de> Deserialize<'de> for ActivityRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let mut take = |k: &str| map.remove(k).filter(|v| !v.is_null());
        let id = match take("id") {
            None => String::new(),
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(v) => return Err(D::Error::custom(format!("id: expected a string, got {v}"))),
        };
        let site = take("site")
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| D::Error::custom(format!("site: {e}")))?;
        let year = take("year")
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| D::Error::custom(format!("year: {e}")))?;
        let description: Option<String> = take("description")
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| D::Error::custom(format!("description: {e}")))?;
        let scope3_category = take("scope3_category")
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| D::Error::custom(format!("scope3_category: {e}")))?;
        debug_assert!(COMMON_FIELDS.iter().all(|k| !map.contains_key(*k)));
        let activity: Activity = serde_json::from_value(serde_json::Value::Object(map))
            .map_err(|e| D::Error::custom(format!("record '{id}': {e}")))?;
        Ok(ActivityRecord {
            id,
            site,
            year,
            description: description.unwrap_or_default(),
            scope3_category,
            activity,
        })
    }
}

/// What a record measures; `type` in JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Activity {
    /// Fuel burnt in stationary or mobile equipment (Scope 1 unless a Scope 3 category is set).
    FuelCombustion(FuelCombustion),
    /// Purchased electricity, heat or steam (Scope 2), location- and market-based.
    Electricity(PurchasedEnergy),
    /// Refrigerant, SF6 or other fluorinated gas released from equipment (Scope 1).
    Refrigerant(Refrigerant),
    /// Freight transport by distance (Scope 3 category 4 by default, or 9).
    Freight(Freight),
    /// Purchased goods and services (Scope 3 category 1 by default, or 2).
    PurchasedGoods(PurchasedGoods),
    /// Emissions measured or computed elsewhere, given per gas (Scope 1 by default).
    DirectEmission(DirectEmission),
    /// Steel scrap used in steelmaking: avoided emissions, reported apart from the scopes.
    ScrapUse(ScrapUse),
}

impl Activity {
    /// The `type` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Activity::FuelCombustion(_) => "fuel_combustion",
            Activity::Electricity(_) => "electricity",
            Activity::Refrigerant(_) => "refrigerant",
            Activity::Freight(_) => "freight",
            Activity::PurchasedGoods(_) => "purchased_goods",
            Activity::DirectEmission(_) => "direct_emission",
            Activity::ScrapUse(_) => "scrap_use",
        }
    }
}

/// Stationary or mobile combustion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CombustionUse {
    /// Boilers, furnaces, generators.
    #[default]
    Stationary,
    /// Vehicles and mobile machinery (CH4 and N2O only where given: they depend on the
    /// vehicle technology, IPCC 2006 Vol. 2 Ch. 3).
    Mobile,
}

/// IPCC calculation tier for combustion CO2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// `Q × NCV × EF` per gas with default factors (IPCC 2006 Vol. 2 Eq. 2.1).
    Tier1,
    /// `Q × NCV × CC × OF × 44/12` with (country- or plant-specific) carbon content and oxidation.
    Tier2,
}

/// Fuel combustion.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuelCombustion {
    /// Fuel id, alias or local name (`diesel`, `cn_raw_coal`, `原煤`).
    pub fuel: String,
    /// Amount burnt: a mass, a volume (with `density_kg_per_m3`), a normal volume, or an energy (NCV basis).
    pub quantity: Quantity,
    /// Stationary (default) or mobile.
    #[serde(default, rename = "use")]
    pub use_: CombustionUse,
    /// Tier; default Tier 1 where the fuel has a Tier 1 CO2 factor, else Tier 2.
    #[serde(default)]
    pub tier: Option<Tier>,
    /// Sector for IPCC CH4/N2O factors; default manufacturing.
    #[serde(default)]
    pub sector: Option<Sector>,
    /// Measured net calorific value, MJ per the fuel's reference unit (overrides the default).
    #[serde(default, with = "crate::num::opt")]
    pub ncv_mj_per_unit: Option<Decimal>,
    /// Measured carbon content, kg C per GJ (Tier 2).
    #[serde(default, with = "crate::num::opt")]
    pub carbon_content_kgc_per_gj: Option<Decimal>,
    /// Measured oxidation fraction (Tier 2).
    #[serde(default, with = "crate::num::opt")]
    pub oxidation: Option<Decimal>,
    /// CH4 factor, kg per TJ (overrides the default; needed for mobile).
    #[serde(default, with = "crate::num::opt")]
    pub ch4_kg_per_tj: Option<Decimal>,
    /// N2O factor, kg per TJ (overrides the default; needed for mobile).
    #[serde(default, with = "crate::num::opt")]
    pub n2o_kg_per_tj: Option<Decimal>,
    /// Density, kg per m³, to convert a volume of a liquid fuel to mass.
    #[serde(default, with = "crate::num::opt")]
    pub density_kg_per_m3: Option<Decimal>,
}

/// The energy carrier of purchased energy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// Electricity.
    #[default]
    Electricity,
    /// Heat (hot water).
    Heat,
    /// Steam.
    Steam,
}

impl Carrier {
    /// The activity-key prefix of its factors.
    pub fn key(self) -> &'static str {
        match self {
            Carrier::Electricity => "electricity",
            Carrier::Heat => "heat",
            Carrier::Steam => "steam",
        }
    }
}

/// A factor given inline by the user (a supplier's rate, a certificate, a contract).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct InlineFactor {
    /// kg of each gas per `unit`.
    #[serde(default)]
    pub gases: GasVector,
    /// kg CO2e per `unit`, where only CO2e is known.
    #[serde(default, with = "crate::num::opt")]
    pub co2e: Option<Decimal>,
    /// GWP set of `co2e`.
    #[serde(default)]
    pub gwp_basis: Option<GwpSet>,
    /// The unit of activity it is per (a unit symbol or a currency code).
    pub unit: String,
    /// Where it comes from.
    #[serde(default)]
    pub source: Provenance,
}

/// A contractual instrument for market-based Scope 2.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Energy attribute certificate (GEC, I-REC, GO), direct contract (PPA), or a supplier-specific rate.
    pub kind: InstrumentKind,
    /// Unique id (certificate serial, contract number); one id is claimed once per inventory.
    pub id: String,
    /// The energy it covers.
    pub energy: Quantity,
    /// Its emission rate; a renewable certificate without a rate counts at zero.
    #[serde(default)]
    pub factor: Option<InlineFactor>,
}

/// Kinds of contractual instrument, in the order of the GHG Protocol Scope 2 hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    /// Energy attribute certificate (China GEC, I-REC, EU GO).
    Certificate,
    /// Direct contract with a generator (PPA).
    Contract,
    /// Supplier-specific emission rate.
    SupplierRate,
}

/// Purchased electricity, heat or steam.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchasedEnergy {
    /// Amount consumed.
    pub energy: Quantity,
    /// Electricity (default), heat or steam.
    #[serde(default)]
    pub carrier: Carrier,
    /// Where it is consumed (geography code or name); defaults to the site's geography.
    #[serde(default)]
    pub geography: Option<String>,
    /// A location-based factor to use instead of the registry's grid average.
    #[serde(default)]
    pub location_factor: Option<InlineFactor>,
    /// Contractual instruments for the market-based method.
    #[serde(default)]
    pub instruments: Vec<Instrument>,
    /// A residual-mix factor to use instead of the registry's.
    #[serde(default)]
    pub residual_factor: Option<InlineFactor>,
}

/// How refrigerant emissions are estimated.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum RefrigerantMethod {
    /// Mass balance (GHG Protocol / US EPA): (stock at start − stock at end) + purchased −
    /// disposed − (charge of new equipment − charge of retired equipment).
    MassBalance {
        /// Stock held at the start of the year.
        #[serde(default)]
        stock_start: Option<Quantity>,
        /// Stock held at the end of the year.
        #[serde(default)]
        stock_end: Option<Quantity>,
        /// Bought or otherwise acquired during the year.
        #[serde(default)]
        purchased: Option<Quantity>,
        /// Sold, returned or sent for destruction during the year.
        #[serde(default)]
        disposed: Option<Quantity>,
        /// Full charge of equipment installed during the year.
        #[serde(default)]
        capacity_new: Option<Quantity>,
        /// Full charge of equipment retired during the year.
        #[serde(default)]
        capacity_retired: Option<Quantity>,
    },
    /// Screening (US EPA simplified): charge_new × installation_loss + charge_operating ×
    /// annual_leak_rate × fraction_of_year + charge_disposed × remaining_at_disposal ×
    /// (1 − recovery_efficiency). Rates are fractions supplied by the user (e.g. from IPCC 2006
    /// Vol. 3 Table 7.9).
    Screening {
        /// Charge of equipment installed.
        #[serde(default)]
        charge_new: Option<Quantity>,
        /// Fraction of the charge lost at installation.
        #[serde(default, with = "crate::num::opt")]
        installation_loss: Option<Decimal>,
        /// Charge of equipment in operation.
        #[serde(default)]
        charge_operating: Option<Quantity>,
        /// Fraction of the charge leaked per year.
        #[serde(default, with = "crate::num::opt")]
        annual_leak_rate: Option<Decimal>,
        /// Fraction of the year in operation (default 1).
        #[serde(default, with = "crate::num::opt")]
        fraction_of_year: Option<Decimal>,
        /// Charge of equipment disposed.
        #[serde(default)]
        charge_disposed: Option<Quantity>,
        /// Fraction of the charge remaining at disposal.
        #[serde(default, with = "crate::num::opt")]
        remaining_at_disposal: Option<Decimal>,
        /// Fraction of the remaining charge recovered.
        #[serde(default, with = "crate::num::opt")]
        recovery_efficiency: Option<Decimal>,
    },
    /// A known mass released.
    Released {
        /// Mass released.
        mass: Quantity,
    },
}

/// Refrigerant or other fluorinated gas released.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Refrigerant {
    /// Gas or blend (`R-410A`, `HFC-134a`, `SF6`).
    pub gas: String,
    /// Estimation method.
    #[serde(flatten)]
    pub method: RefrigerantMethod,
}

/// A point on the Earth, degrees.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatLon {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

/// One leg of a shipment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leg {
    /// Transport mode, free text used in the activity key (`road`, `rail`, `sea`, `air`, …).
    pub mode: String,
    /// Mass shipped.
    pub mass: Quantity,
    /// Distance; if absent, the great-circle distance between `from` and `to` (+95 km for air).
    #[serde(default)]
    pub distance: Option<Quantity>,
    /// Origin.
    #[serde(default)]
    pub from: Option<LatLon>,
    /// Destination.
    #[serde(default)]
    pub to: Option<LatLon>,
    /// Emission intensity per t·km given inline.
    #[serde(default)]
    pub intensity: Option<InlineFactor>,
    /// Registry activity key of the intensity (default `freight.<mode>`), from a user-loaded table.
    #[serde(default)]
    pub activity: Option<String>,
    /// Geography of the intensity lookup (default `GLO`).
    #[serde(default)]
    pub geography: Option<String>,
}

/// Freight transport, distance-based.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Freight {
    /// The legs.
    pub legs: Vec<Leg>,
}

/// How purchased goods are estimated (GHG Protocol Scope 3 Standard, category 1 methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoodsMethod {
    /// The supplier's own cradle-to-gate data.
    SupplierSpecific,
    /// Quantity × an average (secondary) cradle-to-gate factor.
    AverageData,
    /// Spend × an environmentally extended input-output factor.
    SpendBased,
}

/// Purchased goods and services.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchasedGoods {
    /// Method.
    pub method: GoodsMethod,
    /// Physical quantity (supplier-specific per unit, average-data).
    #[serde(default)]
    pub quantity: Option<Quantity>,
    /// Spend (spend-based).
    #[serde(default)]
    pub spend: Option<Money>,
    /// Registry activity key of the factor (average-data, spend-based).
    #[serde(default)]
    pub activity: Option<String>,
    /// Geography of the lookup (default: the site's, else `GLO`).
    #[serde(default)]
    pub geography: Option<String>,
    /// A factor given inline (supplier's per-unit factor, or an average/spend factor).
    #[serde(default)]
    pub factor: Option<InlineFactor>,
    /// The supplier's total emissions for this purchase (supplier-specific).
    #[serde(default)]
    pub supplier_total: Option<InlineFactor>,
}

/// Emissions given per gas.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectEmission {
    /// kg of each gas.
    pub gases: GasVector,
    /// Scope (1 by default; 3 with a category).
    #[serde(default)]
    pub scope: Option<u8>,
    /// Where the figure comes from.
    #[serde(default)]
    pub source: Provenance,
}

/// Steel scrap used in steelmaking.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScrapUse {
    /// Mass of scrap used.
    pub mass: Quantity,
}

/// An exchange rate: 1 `from` = `rate` `to`, in `year`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRate {
    /// Currency converted from.
    pub from: String,
    /// Currency converted to.
    pub to: String,
    /// Year of the rate (annual average).
    pub year: i32,
    /// Units of `to` per unit of `from`.
    #[serde(with = "crate::num")]
    pub rate: Decimal,
}

/// How electricity counts in tonnes of standard coal (GB/T 2589-2020).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ElectricityTceMethod {
    /// Calorific equivalent: 0.1229 kgce/kWh (860 kcal/kWh ÷ 7000).
    #[default]
    Calorific,
    /// Equal value: the year's average coal consumption of power supply, kgce/kWh, given by the user.
    EqualValue,
}

/// Settings shared by all records of a calculation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// GWP set for CO2e (default AR6).
    #[serde(default)]
    pub gwp_set: GwpSet,
    /// Default data year of records without one.
    #[serde(default)]
    pub year: Option<i32>,
    /// Where factors come from.
    #[serde(default)]
    pub factors: FactorSource,
    /// Exchange rates for spend-based factors.
    #[serde(default)]
    pub exchange_rates: Vec<ExchangeRate>,
    /// Price indices per currency per year (any base), to deflate spend to a factor's price year.
    #[serde(default)]
    pub price_indices: BTreeMap<String, BTreeMap<String, crate::num::Marked>>,
    /// Electricity in tce: calorific (default) or equal value.
    #[serde(default)]
    pub electricity_tce_method: ElectricityTceMethod,
    /// kgce per kWh for the equal-value method.
    #[serde(default, with = "crate::num::opt")]
    pub equal_value_kgce_per_kwh: Option<Decimal>,
}

impl Settings {
    /// The names of the settings fields, as they stand flat in `calculate` and `inventory` documents.
    const FIELDS: [&'static str; 7] = [
        "gwp_set",
        "year",
        "factors",
        "exchange_rates",
        "price_indices",
        "electricity_tce_method",
        "equal_value_kgce_per_kwh",
    ];

    /// Reads a flat document as settings plus the document's own fields `R`; settings fields
    /// named in `except` are left to `R` (which, denying unknown fields, refuses them).
    pub(crate) fn split<'de, D, R>(d: D, except: &[&str]) -> Result<(Settings, R), D::Error>
    where
        D: serde::Deserializer<'de>,
        R: serde::de::DeserializeOwned,
    {
        use serde::de::Error;
        let mut rest = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let mut mine = serde_json::Map::new();
        for k in Self::FIELDS.iter().filter(|k| !except.contains(k)) {
            if let Some(v) = rest.remove(*k) {
                mine.insert(k.to_string(), v);
            }
        }
        let settings =
            serde_json::from_value(serde_json::Value::Object(mine)).map_err(D::Error::custom)?;
        let rest =
            serde_json::from_value(serde_json::Value::Object(rest)).map_err(D::Error::custom)?;
        Ok((settings, rest))
    }
}

/// Everything a calculator needs besides the record.
pub struct Context<'a> {
    /// Factor registry.
    pub registry: &'a FactorRegistry,
    /// Settings.
    pub settings: &'a Settings,
    /// Default data year (the record's own year takes precedence).
    pub year: Option<i32>,
    /// Default geography (the site's).
    pub geography: Option<String>,
}

/// One step of a result's provenance trail.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrailStep {
    /// What was computed, with the numbers.
    pub step: String,
    /// The id of the factor used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor_id: Option<String>,
    /// Where the factor comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Provenance>,
    /// The fallback the lookup used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Fallback>,
}

/// Market-based Scope 2 emissions of an electricity record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MarketBased {
    /// kg of each gas.
    pub gases: GasVector,
    /// kg CO2e.
    #[serde(with = "crate::num")]
    pub co2e_kg: Decimal,
    /// Energy covered by each instrument, and by the residual mix.
    pub allocation: Vec<Allocation>,
}

/// Energy covered by one instrument (or the residual mix) in the market-based method.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Allocation {
    /// Instrument id, or `residual_mix`.
    pub instrument: String,
    /// kWh covered.
    #[serde(with = "crate::num")]
    pub kwh: Decimal,
    /// kg CO2e.
    #[serde(with = "crate::num")]
    pub co2e_kg: Decimal,
}

/// The result of one record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordResult {
    /// The record's id.
    pub id: String,
    /// The record's type.
    #[serde(rename = "type")]
    pub type_name: String,
    /// Its site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Data year used, if the calculation needed one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// GHG Protocol scope (1, 2 or 3); 0 for avoided emissions reported apart.
    pub scope: u8,
    /// Scope 3 category (1–15).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope3_category: Option<u8>,
    /// ISO 14064-1:2018 category (1–6).
    pub iso_category: u8,
    /// Consolidation share applied (equity share, or 1/0 for control approaches).
    #[serde(with = "crate::num")]
    pub share: Decimal,
    /// kg of each gas (location-based for electricity), after the share.
    pub gases: GasVector,
    /// kg CO2e from factors given only in CO2e, after the share.
    #[serde(with = "crate::num")]
    pub co2e_from_factors_kg: Decimal,
    /// kg CO2e (location-based for electricity), excluding biogenic CO2, after the share.
    #[serde(with = "crate::num")]
    pub co2e_kg: Decimal,
    /// kg biogenic CO2, reported apart.
    #[serde(with = "crate::num")]
    pub biogenic_co2_kg: Decimal,
    /// Market-based result for purchased energy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_based: Option<MarketBased>,
    /// Energy in tonnes of standard coal (GB/T 2589-2020), where it applies.
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub energy_tce: Option<Decimal>,
    /// Avoided kg CO2e, reported apart from the scopes.
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub avoided_co2e_kg: Option<Decimal>,
    /// Avoided tonnes of standard coal, reported apart.
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub avoided_tce: Option<Decimal>,
    /// How the result was computed, factor by factor.
    pub trail: Vec<TrailStep>,
    /// Things the user should know (a factor with no stated GWP basis, a gas not counted, …).
    pub warnings: Vec<String>,
}

/// Input of the `calculate` operation: one record, with the [`Settings`] of its calculation
/// written flat beside it (`{"record": {...}, "gwp_set": "AR6", "year": 2023, ...}`).
#[derive(Debug, Clone)]
pub struct CalculateInput {
    /// The record.
    pub record: ActivityRecord,
    /// Default geography (as a site's would be).
    pub geography: Option<String>,
    /// GWP set, data year (if the record has none), factors, rates.
    pub settings: Settings,
}

impl<'de> Deserialize<'de> for CalculateInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Rest {
            record: ActivityRecord,
            #[serde(default)]
            geography: Option<String>,
        }
        let (settings, rest): (Settings, Rest) = Settings::split(d, &[])?;
        Ok(CalculateInput {
            record: rest.record,
            geography: rest.geography,
            settings,
        })
    }
}

/// Runs `calculate`.
pub fn calculate_document(i: &CalculateInput) -> Result<RecordResult, TansoError> {
    let registry = i.settings.factors.registry()?;
    let ctx = Context {
        registry: &registry,
        settings: &i.settings,
        year: i.settings.year,
        geography: i.geography.clone(),
    };
    calculate(&i.record, &ctx, Decimal::ONE)
}

pub(crate) fn non_negative(field: &str, v: Decimal) -> Result<Decimal, TansoError> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(AccountingError::NegativeAmount {
            field: field.to_string(),
            value: v.normalize().to_string(),
        }
        .into());
    }
    Ok(v)
}

pub(crate) fn fraction(field: &str, v: Decimal) -> Result<Decimal, TansoError> {
    if v < Decimal::ZERO || v > Decimal::ONE {
        return Err(AccountingError::OutOfRange {
            field: field.to_string(),
            value: v.normalize().to_string(),
            expected: "a fraction from 0 to 1".to_string(),
        }
        .into());
    }
    Ok(v)
}

pub(crate) fn missing(field: &str, expected: &str) -> TansoError {
    AccountingError::MissingField {
        field: field.to_string(),
        expected: expected.to_string(),
    }
    .into()
}

pub(crate) fn input_error(field: &str, value: f64) -> TansoError {
    InputError::NonFinite {
        field: field.to_string(),
        value: value.to_string(),
    }
    .into()
}
