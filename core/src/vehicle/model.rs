//! The vehicle model: profiles (mass by component and material), factor sets per region and
//! year, production, use, end of life and break-even. See the module docs for the rules.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::error::{TansoError, VehicleError};
use crate::factors::{geography, FactorRegistry};
use crate::materials::Library;

use super::data::{defaults, family, Carc, Defaults, Sourced};
use super::{MaterialIx, MATERIALS, N, POWERTRAINS, SIZES, YEARS};

/// Levers: the scenario choices a user moves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levers {
    /// Share of aluminium (wrought and cast alike) from secondary (recycled) metal, 0..=1;
    /// default: the shares implied by GREET's average aluminium (wrought 0.110, cast 0.850).
    /// `recycled_aluminium_wrought_share` and `recycled_aluminium_cast_share` take precedence
    /// for their kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycled_aluminium_share: Option<f64>,
    /// Share of wrought aluminium from secondary metal, 0..=1 (default: the combined lever if
    /// given, else GREET's implied 0.110).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycled_aluminium_wrought_share: Option<f64>,
    /// Share of cast aluminium from secondary metal, 0..=1 (default: the combined lever if
    /// given, else GREET's implied 0.850).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycled_aluminium_cast_share: Option<f64>,
    /// Share of steel from scrap-EAF instead of BF-BOF, 0..=1 (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub green_steel_share: Option<f64>,
    /// Grid factor of the use phase, kg CO2e per kWh generated, every year (replaces the
    /// bundled grid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_factor: Option<f64>,
    /// Multiplies the use-phase grid factor (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_scale: Option<f64>,
}

/// Overrides of defaults; every default can be replaced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Glider base mass, kg (before lightweighting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glider_mass_kg: Option<f64>,
    /// Lightweighting share of the glider base mass, 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lightweighting_share: Option<f64>,
    /// Component masses, kg, by component name (not `glider` or `battery_pack`: use
    /// `glider_mass_kg` and `battery_kwh`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub component_mass_kg: BTreeMap<String, f64>,
    /// Material fractions (kg/kg, summing to 1) by component name, then by material.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub material_fractions: BTreeMap<String, BTreeMap<String, f64>>,
    /// Traction battery capacity, kWh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_kwh: Option<f64>,
    /// Pack specific energy, kWh per kg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_kwh_per_kg: Option<f64>,
    /// Battery pack cradle-to-gate, kg CO2e per kWh (replaces the year rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_kg_co2e_per_kwh: Option<f64>,
    /// Region whose grid makes the battery cells (default `CN`, the region of the bundled pack
    /// factor): the pack factor moves by `cell_electricity_kwh_per_kwh` × (that grid − China's
    /// grid) in the production year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_cell_region: Option<String>,
    /// Electricity of cell manufacturing, kWh per kWh of capacity (no single sourced default:
    /// Davidsson Kurland 2020 finds 50–65 kWh/kWh for two large factories).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell_electricity_kwh_per_kwh: Option<f64>,
    /// Assembly, kg CO2e per vehicle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assembly_kg_co2e: Option<f64>,
    /// Material factors, kg CO2e per kg, by material (replaces the library value and levers).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub material_factors: BTreeMap<String, f64>,
    /// Fuel (petrol, diesel or hydrogen) tank-to-wheel energy, MJ per km (PHEV: in
    /// charge-sustaining mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy_mj_per_km: Option<f64>,
    /// Electricity at the plug, kWh per km (BEV; PHEV in charge-depleting mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electricity_kwh_per_km: Option<f64>,
    /// PHEV share of km driven on electricity, 0..=1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utility_factor: Option<f64>,
    /// Fuel well-to-wheel factor, g CO2e per MJ (supply + exhaust).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuel_wtw_g_per_mj: Option<f64>,
    /// Exhaust part of the well-to-wheel factor, g CO2e per MJ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exhaust_g_per_mj: Option<f64>,
    /// Cumulative grid losses, kWh generated per kWh delivered (≥ 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_losses: Option<f64>,
    /// Maintenance, g CO2e per km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_g_per_km: Option<f64>,
}

/// End-of-life recovery rates for the `credits` approach (kg recycled per kg in the car).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryRates {
    /// Steel and cast iron.
    pub steel: f64,
    /// Aluminium.
    pub aluminium: f64,
}

/// The car to compare against (same region, year and levers).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Versus {
    /// Its powertrain (e.g. `petrol`).
    pub powertrain: String,
    /// Its size (default: the same size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
}

/// Input of `vehicle`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleInput {
    /// Size class code (`mini`, `small`, `lower_medium`, `medium`, `large`, `medium_suv`,
    /// `large_suv`, `van`).
    pub size: String,
    /// Powertrain code (`petrol`, `diesel`, `hev`, `phev`, `bev`, `fcev`).
    pub powertrain: String,
    /// Region of use: `CN`, a Chinese province (`CN-GD`, `Guangdong`) or grid region, `EU`.
    #[serde(default = "cn")]
    pub region: String,
    /// Production year, 2020–2050.
    pub year: i32,
    /// Region of production of the materials (default: the region of use's country).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production_region: Option<String>,
    /// Lifetime distance, km (default 200,000, carculator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_km: Option<f64>,
    /// Years of use (default lifetime ÷ 12,000 km a year, carculator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years_of_use: Option<f64>,
    /// Driving cycle of the energy per km: `WLTC` (the only one with bundled data; give
    /// `overrides.energy_mj_per_km` / `electricity_kwh_per_km` for another).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driving_cycle: Option<String>,
    /// `average_over_use` (default) or `static`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_mode: Option<String>,
    /// `scenario` (default: material and battery factors move with the year) or `static`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    /// Levers.
    #[serde(default)]
    pub levers: Levers,
    /// Overrides.
    #[serde(default)]
    pub overrides: Overrides,
    /// `cut_off` (default) or `credits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_life: Option<String>,
    /// Recovery rates for `credits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_rates: Option<RecoveryRates>,
    /// Compare with another powertrain: the break-even distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versus: Option<Versus>,
}

fn cn() -> String {
    "CN".to_string()
}

/// Mass of one component, with its materials (kg).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentMass {
    /// Component name.
    pub component: String,
    /// kg.
    pub mass_kg: f64,
    /// kg by material (the battery pack is one material, `battery_pack`).
    pub materials: BTreeMap<String, f64>,
}

/// Masses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MassBreakdown {
    /// Total modelled mass, kg (fluids, wheels and the 12 V battery are not modelled).
    pub total: f64,
    /// By component.
    pub components: Vec<ComponentMass>,
}

/// Production emissions of one component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentResult {
    /// Component name (`assembly` is the manufacturing energy).
    pub component: String,
    /// kg CO2e.
    pub kg_co2e: f64,
}

/// Production emissions of one material.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaterialResult {
    /// Material (`battery_pack` per kWh, `assembly` per vehicle).
    pub material: String,
    /// kg in the car.
    pub mass_kg: f64,
    /// kg CO2e.
    pub kg_co2e: f64,
    /// The factor used.
    pub factor: f64,
    /// Its unit (`kg CO2e/kg`, `kg CO2e/kWh`, `kg CO2e/vehicle`).
    pub factor_unit: String,
    /// Where the factor comes from.
    pub source: String,
}

/// Shares of production emissions (sum to 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Shares {
    /// Steel, stainless steel and cast iron.
    pub steel: f64,
    /// Wrought and cast aluminium.
    pub aluminium: f64,
    /// Everything else (battery, copper, plastics, assembly, …).
    pub rest: f64,
}

/// Production (cradle-to-gate of the car).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Production {
    /// kg CO2e.
    pub total_kg_co2e: f64,
    /// By component (sums to the total).
    pub by_component: Vec<ComponentResult>,
    /// By material (sums to the total).
    pub by_material: Vec<MaterialResult>,
    /// Steel, aluminium and rest shares.
    pub shares: Shares,
}

/// The use phase as modelled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsePhase {
    /// Fuel tank-to-wheel MJ per km (PHEV: charge-sustaining).
    pub fuel_mj_per_km: f64,
    /// Electricity at the plug, kWh per km (PHEV: charge-depleting).
    pub electricity_kwh_per_km: f64,
    /// PHEV utility factor (share of km on electricity).
    pub utility_factor: Option<f64>,
    /// FCEV: hydrogen kg per km (fuel MJ/km ÷ the lower heating value, 120 MJ/kg); null
    /// otherwise.
    pub hydrogen_kg_per_km: Option<f64>,
    /// Fuel supply, g CO2e per MJ.
    pub fuel_supply_g_per_mj: f64,
    /// Exhaust, g CO2e per MJ.
    pub exhaust_g_per_mj: f64,
    /// Grid losses, kWh generated per kWh at the plug.
    pub grid_losses: f64,
    /// Grid factor averaged over the km of use, kg CO2e (CO2 for MEE factors) per kWh.
    pub grid_kg_per_kwh: f64,
    /// The grid factor of each year of use with its weight (years of use in that year).
    pub grid_by_year: Vec<GridYear>,
}

/// The grid factor of one year of use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GridYear {
    /// Year.
    pub year: i32,
    /// kg per kWh.
    pub kg_per_kwh: f64,
    /// Weight (1, or the fraction of the last year).
    pub weight: f64,
}

/// Lifecycle g CO2e per km by stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GPerKm {
    /// Production ÷ lifetime km.
    pub production: f64,
    /// Fuel supply (well-to-tank) or electricity generation incl. losses.
    pub fuel_or_electricity_supply: f64,
    /// Tailpipe.
    pub exhaust: f64,
    /// Maintenance.
    pub maintenance: f64,
    /// End of life (negative with credits).
    pub end_of_life: f64,
    /// Sum.
    pub total: f64,
}

/// The compared car and the break-even distance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakEven {
    /// The compared car's size.
    pub versus_size: String,
    /// The compared car's powertrain.
    pub versus_powertrain: String,
    /// Its production, t CO2e.
    pub versus_production_t_co2e: f64,
    /// Its g CO2e per km.
    pub versus_g_per_km: GPerKm,
    /// Where this car's cumulative production + use emissions fall to the other's, km;
    /// `null` when not within the lifetime.
    pub break_even_km: Option<f64>,
    /// Why there is no break-even, if there is none.
    pub reason: Option<String>,
    /// Relative difference of lifecycle g/km: (this − other) ÷ other.
    pub lifecycle_difference: f64,
}

/// Output of `vehicle`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VehicleOutput {
    /// Size class.
    pub size: String,
    /// Powertrain.
    pub powertrain: String,
    /// Region of use (resolved code).
    pub region: String,
    /// Production year.
    pub year: i32,
    /// Lifetime km.
    pub lifetime_km: f64,
    /// Years of use.
    pub years_of_use: f64,
    /// Masses.
    pub mass_kg: MassBreakdown,
    /// Production.
    pub production: Production,
    /// Use phase.
    #[serde(rename = "use")]
    pub use_phase: UsePhase,
    /// g CO2e per km by stage.
    pub g_per_km: GPerKm,
    /// Lifecycle total, t CO2e.
    pub lifecycle_t_co2e: f64,
    /// With `versus`: the comparison.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<BreakEven>,
    /// Assumptions and rules applied.
    pub assumptions: Vec<String>,
    /// Every default used, with source and status.
    pub sources: Vec<Sourced>,
    /// What has no sourced default and counts as 0 here.
    pub gaps: Vec<String>,
}

// ---------------------------------------------------------------------------------------
// Resolution of the input

pub(crate) fn size_ix(code: &str, field: &str) -> Result<usize, TansoError> {
    SIZES.iter().position(|s| s.code == code || s.label.eq_ignore_ascii_case(code)).ok_or_else(|| {
        VehicleError::UnknownSizeClass {
            field: field.to_string(),
            value: code.to_string(),
            valid: SIZES.iter().map(|s| s.code).collect::<Vec<_>>().join(", "),
        }
        .into()
    })
}

pub(crate) fn powertrain_ix(code: &str, field: &str) -> Result<usize, TansoError> {
    POWERTRAINS.iter().position(|p| p.code == code.to_ascii_lowercase()).ok_or_else(|| {
        VehicleError::UnknownPowertrain {
            field: field.to_string(),
            value: code.to_string(),
            valid: POWERTRAINS.iter().map(|p| p.code).collect::<Vec<_>>().join(", "),
        }
        .into()
    })
}

/// A region: its code, its country (`CN` or `EU`) and the grid losses.
#[derive(Debug, Clone)]
pub(crate) struct Region {
    pub code: String,
    pub country: &'static str,
}

pub(crate) fn region(code: &str, field: &str) -> Result<Region, TansoError> {
    let err = || -> TansoError {
        VehicleError::UnknownRegion {
            field: field.to_string(),
            value: code.to_string(),
            valid: "CN, EU, a Chinese province (e.g. CN-GD or Guangdong) or grid region (e.g. CN-GRID-EAST), an EU member (e.g. DE, uses EU data)".into(),
        }
        .into()
    };
    let chain = geography::chain(code).map_err(|_| err())?;
    let country = if chain.iter().any(|c| c == "CN") {
        "CN"
    } else if chain.iter().any(|c| c == "EU") {
        "EU"
    } else {
        return Err(err());
    };
    Ok(Region { code: chain.first().cloned().unwrap_or_default(), country })
}

pub(crate) fn year(y: i32, field: &str) -> Result<i32, TansoError> {
    if (YEARS.0..=YEARS.1).contains(&y) {
        Ok(y)
    } else {
        Err(VehicleError::YearOutOfRange { field: field.to_string(), value: y.to_string(), valid: format!("{}–{}", YEARS.0, YEARS.1) }.into())
    }
}

fn share(v: Option<f64>, field: &str) -> Result<Option<f64>, TansoError> {
    match v {
        Some(x) if !(0.0..=1.0).contains(&x) || !x.is_finite() => Err(VehicleError::InvalidShare { field: field.to_string(), value: x.to_string() }.into()),
        other => Ok(other),
    }
}

fn positive(v: Option<f64>, field: &str, allow_zero: bool) -> Result<Option<f64>, TansoError> {
    match v {
        Some(x) if !x.is_finite() || x < 0.0 || (!allow_zero && x == 0.0) => Err(VehicleError::InvalidParameter {
            field: field.to_string(),
            value: x.to_string(),
            expected: if allow_zero { "a finite number ≥ 0".into() } else { "a finite number > 0".into() },
        }
        .into()),
        other => Ok(other),
    }
}

fn option<'a>(v: &Option<String>, field: &str, valid: &[&'a str]) -> Result<&'a str, TansoError> {
    match v {
        None => Ok(valid[0]),
        Some(s) => valid.iter().find(|x| **x == s.as_str()).copied().ok_or_else(|| {
            VehicleError::InvalidParameter { field: field.to_string(), value: s.clone(), expected: format!("one of {}", valid.join(", ")) }.into()
        }),
    }
}

/// Scenario settings common to a call: everything but the size and powertrain.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub region: Region,
    pub production_country: &'static str,
    pub year: i32,
    pub lifetime_km: f64,
    pub years_of_use: f64,
    pub static_grid: bool,
    pub static_background: bool,
    pub levers: Levers,
    pub credits: Option<RecoveryRates>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn settings(
    region_code: &str,
    production_region: &Option<String>,
    y: i32,
    lifetime_km: Option<f64>,
    years_of_use: Option<f64>,
    grid_mode: &Option<String>,
    background: &Option<String>,
    levers: &Levers,
    end_of_life: &Option<String>,
    recovery: Option<RecoveryRates>,
) -> Result<Settings, TansoError> {
    let d = defaults()?;
    let region = region(region_code, "region")?;
    let production_country = match production_region {
        Some(p) => region_of(p)?,
        None => region.country,
    };
    let year = year(y, "year")?;
    let lifetime_km = positive(lifetime_km, "lifetime_km", false)?.unwrap_or(d.lifetime_km.value);
    let years_of_use = positive(years_of_use, "years_of_use", false)?.unwrap_or(lifetime_km / d.annual_km.value);
    if years_of_use > 60.0 {
        return Err(VehicleError::InvalidParameter { field: "years_of_use".into(), value: years_of_use.to_string(), expected: "at most 60 years".into() }.into());
    }
    let static_grid = option(grid_mode, "grid_mode", &["average_over_use", "static"])? == "static";
    let static_background = option(background, "background", &["scenario", "static"])? == "static";
    share(levers.recycled_aluminium_share, "levers.recycled_aluminium_share")?;
    share(levers.recycled_aluminium_wrought_share, "levers.recycled_aluminium_wrought_share")?;
    share(levers.recycled_aluminium_cast_share, "levers.recycled_aluminium_cast_share")?;
    share(levers.green_steel_share, "levers.green_steel_share")?;
    positive(levers.grid_factor, "levers.grid_factor", true)?;
    positive(levers.grid_scale, "levers.grid_scale", true)?;
    let credits = match option(end_of_life, "end_of_life", &["cut_off", "credits"])? {
        "credits" => {
            let r = recovery.ok_or_else(|| VehicleError::ParameterMissing {
                field: "recovery_rates".into(),
                what: "end_of_life 'credits' needs recovery rates; the bundled tables have no sourced rate".into(),
                give: "recovery_rates: {\"steel\": 0..1, \"aluminium\": 0..1}".into(),
            })?;
            share(Some(r.steel), "recovery_rates.steel")?;
            share(Some(r.aluminium), "recovery_rates.aluminium")?;
            Some(r)
        }
        _ => None,
    };
    Ok(Settings { region, production_country, year, lifetime_km, years_of_use, static_grid, static_background, levers: levers.clone(), credits })
}

fn region_of(code: &str) -> Result<&'static str, TansoError> {
    let r = region(code, "production_region")?;
    Ok(r.country)
}

// ---------------------------------------------------------------------------------------
// Factor sets

/// Material, battery, assembly, fuel and grid factors of one (region, year, levers).
#[derive(Debug, Clone)]
pub(crate) struct FactorSet {
    /// kg CO2e per kg by material.
    pub mat: [f64; N],
    pub mat_source: Vec<String>,
    /// kg CO2e per kWh of battery.
    pub battery: f64,
    pub battery_source: String,
    pub assembly: f64,
    /// EoL credits per kg recovered: steel, aluminium wrought, aluminium cast.
    pub credit: [f64; 3],
    /// Fuel g/MJ: supply and exhaust for petrol and diesel.
    pub petrol: (f64, f64),
    pub diesel: (f64, f64),
    /// Grid factor by year of use (kg/kWh) with weights.
    pub grid: Vec<GridYear>,
    pub grid_losses: f64,
    pub grid_sources: Vec<String>,
    pub sources: Vec<Sourced>,
}

fn registry() -> &'static FactorRegistry {
    static R: OnceLock<FactorRegistry> = OnceLock::new();
    R.get_or_init(FactorRegistry::bundled)
}

/// Linear change from 1 at 2020 to `ratio` at 2040, held outside.
fn background(ratio: f64, y: i32) -> f64 {
    let t = (f64::from(y - 2020) / 20.0).clamp(0.0, 1.0);
    1.0 + (ratio - 1.0) * t
}

fn to_f64(d: Option<rust_decimal::Decimal>) -> f64 {
    d.and_then(|d| d.to_f64()).unwrap_or(0.0)
}

struct Lib {
    lib: &'static Library,
}

/// The bundled materials library, built once (cloning it per evaluation cost more than the
/// evaluation itself).
fn library() -> &'static Library {
    static L: OnceLock<Library> = OnceLock::new();
    L.get_or_init(Library::bundled)
}

/// IPCC 2006 combustion CO2 of motor gasoline and gas/diesel oil, g per MJ (Vol. 2 Table 1.4,
/// through the bundled fuels), read once.
fn exhaust_g_per_mj() -> (f64, f64) {
    static E: OnceLock<(f64, f64)> = OnceLock::new();
    *E.get_or_init(|| {
        let fuels = crate::factors::bundled::ipcc_fuels();
        let ef = |id: &str| fuels.iter().find(|f| f.id == id).and_then(|f| f.co2_kg_per_tj).and_then(|v| v.to_f64()).map(|v| v / 1000.0).unwrap_or(0.0);
        (ef("motor_gasoline"), ef("gas_diesel_oil"))
    })
}

impl Lib {
    /// (value, year, id + source) of a library row.
    fn row(&self, material: &str, route: &str, form: &str, geo: &str, y: i32) -> Result<(f64, i32, String), TansoError> {
        let (r, fb) = self.lib.find(material, route, form, geo, y, "materials")?;
        let mut s = format!("{} ({})", r.id, r.provenance.source);
        if let Some(fb) = fb {
            s.push_str(&format!("; fallback: {fb}"));
        }
        Ok((to_f64(r.kg_co2e_per_unit), r.year, s))
    }
}

/// The grid factor of a region for each year 2020..=2120 (kg per kWh) and its sources.
pub(crate) fn grid_series(region: &Region, d: &Defaults) -> Result<(Vec<f64>, Vec<String>), TansoError> {
    let reg = registry();
    let act = "electricity.grid_average";
    let value = |f: &crate::factors::EmissionFactor| f.co2e.or_else(|| Some(f.gases.get(crate::ghg::Gas::Co2))).and_then(|v| v.to_f64()).unwrap_or(0.0);
    let last = reg.lookup(act, &region.code, 2100).map_err(TansoError::from)?;
    let (y0, g0) = (last.factor.year, value(last.factor));
    let mut sources = vec![format!("{} {} {}: {} ({})", act, last.factor.geography, y0, g0, last.factor.provenance.document)];
    let mut out = Vec::with_capacity(101);
    let mut first: Option<f64> = None;
    let mut pending = 0usize;
    let fossil = |y: i32| -> f64 {
        let pts = [(2020, d.fossil_cn[0].value), (2030, d.fossil_cn[1].value), (2040, d.fossil_cn[2].value), (2050, d.fossil_cn[3].value)];
        if y <= 2020 {
            return pts[0].1;
        }
        for w in pts.windows(2) {
            if y <= w[1].0 {
                let t = f64::from(y - w[0].0) / f64::from(w[1].0 - w[0].0);
                return w[0].1 + (w[1].1 - w[0].1) * t;
            }
        }
        pts[3].1
    };
    for y in 2020..=2120 {
        if y <= y0 {
            // The most specific geography with data (that of the latest year) throughout.
            match reg.lookup(act, &region.code, y).ok().filter(|m| m.factor.geography == last.factor.geography) {
                Some(m) => {
                    let v = value(m.factor);
                    if first.is_none() {
                        first = Some(v);
                        if pending > 0 {
                            sources.push(format!("years 2020–{} held at the earliest data year {} ({v})", y - 1, m.factor.year));
                        }
                        for _ in 0..pending {
                            out.push(v);
                        }
                    }
                    if m.factor.year != y0 || m.factor.geography != last.factor.geography {
                        let s = format!("{} {} {}: {} ({})", act, m.factor.geography, m.factor.year, v, m.factor.provenance.document);
                        if !sources.contains(&s) {
                            sources.push(s);
                        }
                    }
                    out.push(v);
                }
                None => pending += 1,
            }
        } else if region.country == "CN" {
            out.push(g0 * fossil(y) / fossil(y0));
        } else {
            out.push(g0);
        }
    }
    if region.country == "CN" {
        sources.push(format!(
            "after {y0}: × REMIND SSP2 fossil generation share (carculator_utils) of the year ÷ that of {y0} (2020 {}, 2030 {}, 2040 {}, 2050 {}, linear between, held after 2050)",
            d.fossil_cn[0].value, d.fossil_cn[1].value, d.fossil_cn[2].value, d.fossil_cn[3].value
        ));
    } else {
        sources.push(format!("after {y0}: held static (no sourced EU grid trajectory bundled)"));
    }
    Ok((out, sources))
}

/// Builds the factor set of a scenario. `grid` is the region's series from [`grid_series`].
pub(crate) fn factor_set(s: &Settings, ov: &Overrides, grid: &(Vec<f64>, Vec<String>)) -> Result<FactorSet, TansoError> {
    let d = defaults()?;
    let lib = Lib { lib: library() };
    let y = s.year;
    let bg = |ratio: f64, row_year: i32| if s.static_background { 1.0 } else { background(ratio, y) / background(ratio, row_year) };
    let mut src = vec![String::new(); N];
    let mut mat = [0.0; N];
    let rs = d.ratio_steel.value;
    let (bf, bfy, bfs) = lib.row("steel", "bf_bof", "crude", "WORLD", y)?;
    let (eaf, eafy, eafs) = lib.row("steel", "scrap_eaf", "crude", "WORLD", y)?;
    let (roll, rolly, rolls) = lib.row("sheet_rolling", "add_on", "steel", "WORLD", y)?;
    let g = s.levers.green_steel_share.unwrap_or(0.0);
    let primary_steel = bf * bg(rs, bfy) + roll * bg(rs, rolly);
    let secondary_steel = eaf * bg(rs, eafy) + roll * bg(rs, rolly);
    mat[0] = (1.0 - g) * primary_steel + g * secondary_steel;
    src[0] = format!("hot-rolled: (1 − {g}) × BF-BOF [{bfs}] + {g} × scrap-EAF [{eafs}], each + sheet rolling [{rolls}]");
    let (v, vy, vs) = lib.row("steel", "stainless", "product", "US", y)?;
    mat[1] = v * bg(rs, vy);
    src[1] = vs;
    let (v, vy, vs) = lib.row("iron", "average", "cast", "US", y)?;
    mat[2] = v * bg(rs, vy);
    src[2] = vs;
    let geo = if s.production_country == "EU" { "EU" } else { "CN" };
    let (p, py, ps) = lib.row("aluminium", "primary", "ingot", geo, y)?;
    let p = p * bg(d.ratio_primary_al.value, py);
    let (sw, _, sws) = lib.row("aluminium", "secondary", "wrought", "US", y)?;
    let (sc, _, scs) = lib.row("aluminium", "secondary", "cast", "US", y)?;
    let lv = &s.levers;
    let rw = lv.recycled_aluminium_wrought_share.or(lv.recycled_aluminium_share).unwrap_or(d.recycled_wrought.value);
    let rc = lv.recycled_aluminium_cast_share.or(lv.recycled_aluminium_share).unwrap_or(d.recycled_cast.value);
    mat[3] = (1.0 - rw) * p + rw * sw;
    mat[4] = (1.0 - rc) * p + rc * sc;
    src[3] = format!("(1 − {rw}) × primary [{ps}] + {rw} × secondary wrought [{sws}]");
    src[4] = format!("(1 − {rc}) × primary [{ps}] + {rc} × secondary cast [{scs}]");
    let (v, vy, vs) = lib.row("copper", "market", "cathode", "WORLD", y)?;
    mat[5] = v * bg(d.ratio_copper.value, vy);
    src[5] = vs;
    for (i, m) in [(6, "magnesium"), (7, "glass"), (8, "plastic"), (9, "rubber")] {
        let (v, _, vs) = lib.row(m, "average", "product", "US", y)?;
        mat[i] = v;
        src[i] = vs;
    }
    src[10] = "no factor in the library (GREET 'other', platinum): counted as 0".into();
    for (k, v) in &ov.material_factors {
        let ix = MaterialIx::from_code(k).ok_or_else(|| VehicleError::InvalidParameter {
            field: format!("overrides.material_factors.{k}"),
            value: k.clone(),
            expected: format!("a material: {}", MATERIALS.join(", ")),
        })?;
        positive(Some(*v), &format!("overrides.material_factors.{k}"), true)?;
        mat[ix as usize] = *v;
        src[ix as usize] = "overrides.material_factors".into();
    }
    let credit = [primary_steel - secondary_steel, p - sw, p - sc];
    // battery
    let (b20, _, bsrc) = lib.row("battery", "nmc622", "pack", "CN", 2020)?;
    let (battery, battery_source) = match positive(ov.battery_kg_co2e_per_kwh, "overrides.battery_kg_co2e_per_kwh", true)? {
        Some(b) => (b, "overrides.battery_kg_co2e_per_kwh".to_string()),
        None if s.static_background => (b20, format!("{bsrc}; background static")),
        None => {
            let t = (f64::from(y - 2020) / 20.0).clamp(0.0, 1.0);
            (b20 + (d.battery_2040.value - b20) * t, format!("{bsrc}; linear to {} in 2040 ({}), held after", d.battery_2040.value, d.battery_2040.source))
        }
    };
    let (battery, battery_source) = match &ov.battery_cell_region {
        None => (battery, battery_source),
        Some(_) if ov.battery_kg_co2e_per_kwh.is_some() => (battery, battery_source),
        Some(code) => {
            let cell = region(code, "overrides.battery_cell_region")?;
            let e = positive(ov.cell_electricity_kwh_per_kwh, "overrides.cell_electricity_kwh_per_kwh", true)?.ok_or_else(|| {
                missing(
                    "overrides.cell_electricity_kwh_per_kwh",
                    "battery cells made outside China need the cell factory's electricity; the bundled tables have only a range (Davidsson Kurland 2020: 50–65 kWh per kWh for two large factories)",
                    "overrides.cell_electricity_kwh_per_kwh (kWh per kWh of cells)",
                )
            })?;
            let ix = usize::try_from(y - 2020).unwrap_or(0);
            let at = |r: &Region| -> Result<f64, TansoError> { Ok(grid_series(r, d)?.0.get(ix).copied().unwrap_or(0.0)) };
            let g_cell = at(&cell)?;
            let g_cn = at(&Region { code: "CN".into(), country: "CN" })?;
            let b = (battery + e * (g_cell - g_cn)).max(0.0);
            (b, format!("{battery_source}; cells made in {}: + {e} kWh/kWh × ({g_cell} − {g_cn} kg/kWh, grid of {} vs CN in {y})", cell.code, cell.code))
        }
    };
    let assembly = positive(ov.assembly_kg_co2e, "overrides.assembly_kg_co2e", true)?.unwrap_or(d.assembly.value);
    // fuels
    let (petrol_exhaust, diesel_exhaust) = exhaust_g_per_mj();
    let petrol = (d.wtt_petrol.value, petrol_exhaust);
    let diesel = (d.wtt_diesel.value, diesel_exhaust);
    // grid of the years of use
    let losses = positive(ov.grid_losses, "overrides.grid_losses", false)?.unwrap_or(if s.region.country == "EU" { d.losses_eu.value } else { d.losses_cn.value });
    let scale = s.levers.grid_scale.unwrap_or(1.0);
    let n = s.years_of_use;
    let mut gy = Vec::new();
    let mut k = 0;
    while f64::from(k) < n {
        let year = s.year + k;
        let w = (n - f64::from(k)).min(1.0);
        let base = match s.levers.grid_factor {
            Some(gf) => gf,
            None => {
                let ix = if s.static_grid { s.year - 2020 } else { year - 2020 };
                grid.0.get(usize::try_from(ix).unwrap_or(0)).or(grid.0.last()).copied().unwrap_or(0.0)
            }
        };
        gy.push(GridYear { year, kg_per_kwh: base * scale, weight: w });
        k += 1;
    }
    let mut grid_sources = if s.levers.grid_factor.is_some() { vec!["levers.grid_factor".to_string()] } else { grid.1.clone() };
    if s.static_grid {
        grid_sources.push(format!("grid_mode static: the production year's factor ({}) for every year of use", s.year));
    }
    if scale != 1.0 {
        grid_sources.push(format!("× levers.grid_scale {scale}"));
    }
    let sources = vec![
        d.ratio_steel.clone(),
        d.ratio_primary_al.clone(),
        d.ratio_copper.clone(),
        d.recycled_wrought.clone(),
        d.recycled_cast.clone(),
        d.assembly.clone(),
        d.wtt_petrol.clone(),
        d.wtt_diesel.clone(),
        if s.region.country == "EU" { d.losses_eu.clone() } else { d.losses_cn.clone() },
        d.lifetime_km.clone(),
        d.annual_km.clone(),
    ];
    Ok(FactorSet {
        mat,
        mat_source: src,
        battery,
        battery_source,
        assembly,
        credit,
        petrol,
        diesel,
        grid: gy,
        grid_losses: losses,
        grid_sources,
        sources,
    })
}

// ---------------------------------------------------------------------------------------
// Profiles

/// One component: mass and material masses.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub name: &'static str,
    pub mass: [f64; N],
}

/// What a vehicle is made of and uses.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub size: usize,
    pub powertrain: usize,
    pub parts: Vec<Part>,
    pub battery_kwh: f64,
    pub battery_mass: f64,
    /// Fuel MJ per km (PHEV: charge-sustaining) and fuel kind: 0 petrol, 1 diesel, 2 hydrogen.
    pub fuel_mj: f64,
    pub fuel: u8,
    pub kwh: f64,
    pub uf: Option<f64>,
    pub hydrogen_wtw: f64,
    pub exhaust_override: Option<f64>,
    pub wtw_override: Option<f64>,
    pub maintenance: f64,
    pub sources: Vec<Sourced>,
    pub assumptions: Vec<String>,
}

fn missing(field: &str, what: &str, give: &str) -> TansoError {
    VehicleError::ParameterMissing { field: field.into(), what: what.into(), give: give.into() }.into()
}

fn fractions(ov: &Overrides, component: &str, default: [f64; N]) -> Result<[f64; N], TansoError> {
    let Some(m) = ov.material_fractions.get(component) else { return Ok(default) };
    let mut out = [0.0; N];
    for (k, v) in m {
        let field = format!("overrides.material_fractions.{component}.{k}");
        let ix = MaterialIx::from_code(k)
            .ok_or_else(|| VehicleError::InvalidParameter { field: field.clone(), value: k.clone(), expected: format!("a material: {}", MATERIALS.join(", ")) })?;
        share(Some(*v), &field)?;
        out[ix as usize] = *v;
    }
    let sum: f64 = out.iter().sum();
    if (sum - 1.0).abs() > 1e-6 {
        return Err(VehicleError::InvalidShare { field: format!("overrides.material_fractions.{component}"), value: format!("sum {sum}") }.into());
    }
    Ok(out)
}

/// The profile of a size and powertrain produced in `year`, with overrides.
pub(crate) fn profile(size: usize, pt: usize, year: i32, ov: &Overrides) -> Result<Profile, TansoError> {
    let d = defaults()?;
    let fam = family(pt);
    let code = POWERTRAINS[pt].code;
    let mut sources = Vec::new();
    let mut assumptions = Vec::new();
    let g = match positive(ov.glider_mass_kg, "overrides.glider_mass_kg", false)? {
        Some(g) => g,
        None => match &d.glider[size] {
            Some(s) => {
                sources.push(s.clone());
                s.value
            }
            None => {
                return Err(missing(
                    "overrides.glider_mass_kg",
                    &format!("size '{}' has no sourced glider base mass in the bundled tables", SIZES[size].code),
                    "overrides.glider_mass_kg (kg)",
                ))
            }
        },
    };
    let g_medium = d.glider[3].as_ref().map(|s| s.value).unwrap_or(1350.0);
    // carculator's value of the class, powertrain and production year (linear between decades)
    let carc = |param: Carc, p: usize, sources: &mut Vec<Sourced>| -> Result<f64, TansoError> {
        let (v, rows) = d.carc.at(param, p, size, year)?;
        for r in rows {
            if !sources.iter().any(|s| s.parameter == r.parameter) {
                sources.push(r.clone());
            }
        }
        Ok(v)
    };
    let lw = match share(ov.lightweighting_share, "overrides.lightweighting_share")? {
        Some(l) => l,
        None => carc(Carc::Lightweighting, pt, &mut sources)?,
    };
    let sh = d.shares[fam];
    let curb = &d.curb[fam];
    sources.push(curb.clone());
    // glider
    let (bs, cs) = (sh.body(), sh.chassis);
    let mut gf = [0.0; N];
    for (i, f) in gf.iter_mut().enumerate() {
        *f = (bs * d.body[i] + cs * d.chassis[i]) / (bs + cs);
    }
    let gf = fractions(ov, "glider", gf)?;
    let saved = lw * g;
    let mut glider = [0.0; N];
    for i in 0..N {
        glider[i] = g * gf[i];
    }
    glider[MaterialIx::Steel as usize] -= 1.8 * saved;
    glider[MaterialIx::AlWrought as usize] += 0.8 * saved;
    if glider[MaterialIx::Steel as usize] < 0.0 {
        return Err(VehicleError::InvalidParameter {
            field: "overrides.lightweighting_share".into(),
            value: lw.to_string(),
            expected: "a share small enough that 1.8 kg steel per kg saved is available in the glider".into(),
        }
        .into());
    }
    assumptions.push(format!(
        "glider: base {g} kg with GREET body/chassis fractions weighted {bs:.4}/{cs:.4}; lightweighting {lw} × base saved (carculator's share of the class, powertrain and year), each kg −1.8 kg steel +0.8 kg wrought aluminium (carculator's rule)"
    ));
    let k = g / g_medium;
    let mut parts = vec![Part { name: "glider", mass: glider }];
    let mut add = |name: &'static str, share_mass: f64, f: [f64; N]| -> Result<(), TansoError> {
        let mass = match ov.component_mass_kg.get(name) {
            Some(m) => positive(Some(*m), &format!("overrides.component_mass_kg.{name}"), true)?.unwrap_or(0.0),
            None => share_mass,
        };
        let f = fractions(ov, name, f)?;
        let mut m = [0.0; N];
        for i in 0..N {
            m[i] = mass * f[i];
        }
        parts.push(Part { name, mass: m });
        Ok(())
    };
    let c = curb.value * k;
    match fam {
        0 => {
            add("engine_and_fuel_system", sh.powertrain * c, d.ice_powertrain)?;
            add("transmission", sh.transmission * c, d.trans_ice)?;
        }
        1 | 2 => {
            add("engine_and_fuel_system", sh.powertrain * c, d.ice_powertrain)?;
            add("transmission", sh.transmission * c, d.trans_ev)?;
            add("traction_motor", sh.motor * c, d.motor)?;
            add("power_electronics", sh.controller * c, d.controller)?;
            assumptions.push("HEV/PHEV engine: ICE engine material fractions (GREET gives none for hybrids)".into());
        }
        3 => {
            add("ev_powertrain_other", sh.powertrain * c, d.bev_powertrain)?;
            add("transmission", sh.transmission * c, d.trans_ev)?;
            add("traction_motor", sh.motor * c, d.motor)?;
            add("power_electronics", sh.controller * c, d.controller)?;
        }
        _ => {
            let fc = ov.component_mass_kg.get("fuel_cell_system").copied().ok_or_else(|| {
                missing("overrides.component_mass_kg.fuel_cell_system", "FCEV: no sourced fuel cell system mass in the bundled tables", "overrides.component_mass_kg.fuel_cell_system (kg)")
            })?;
            let mut fcf = d.fc_system;
            let known: f64 = fcf.iter().sum();
            fcf[MaterialIx::Other as usize] += 1.0 - known;
            add("fuel_cell_system", fc, fcf)?;
            add("transmission", sh.transmission * c, d.trans_ev)?;
            add("traction_motor", sh.motor * c, d.motor)?;
            add("power_electronics", sh.controller * c, d.controller)?;
            if let Some(t) = ov.component_mass_kg.get("hydrogen_tank") {
                let mut f = [0.0; N];
                f[MaterialIx::Other as usize] = 1.0;
                add("hydrogen_tank", *t, f)?;
            }
        }
    }
    for name in ov.component_mass_kg.keys() {
        let known = name != "glider" && (parts.iter().any(|p| p.name == name) || (fam == 4 && name == "hydrogen_tank"));
        if !known {
            return Err(VehicleError::InvalidParameter {
                field: format!("overrides.component_mass_kg.{name}"),
                value: name.clone(),
                expected: format!(
                    "a component of this vehicle other than the glider: {} (glider: overrides.glider_mass_kg)",
                    parts.iter().skip(1).map(|p| p.name).collect::<Vec<_>>().join(", ")
                ),
            }
            .into());
        }
    }
    for name in ov.material_fractions.keys() {
        if !parts.iter().any(|p| p.name == name) {
            return Err(VehicleError::InvalidParameter {
                field: format!("overrides.material_fractions.{name}"),
                value: name.clone(),
                expected: format!("a component: {}", parts.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")),
            }
            .into());
        }
    }
    if size != 3 {
        assumptions.push(format!("non-glider components: GREET mid-size masses × glider base ratio {k:.4} to Medium"));
    }
    // energy: carculator's WLTC tank-to-wheel energy of the class, powertrain and year
    let eff = d.charge_efficiency.value;
    let kwh_of = |kj: f64| kj / 3600.0 / eff;
    if year % 10 != 0 {
        assumptions.push(format!("carculator values (lightweighting, energy, battery, utility factor) of {year}: linear between the decades {} and {}", year - year.rem_euclid(10), year - year.rem_euclid(10) + 10));
    }
    let (mut fuel_mj, fuel, mut kwh, mut uf) = match code {
        "petrol" | "diesel" | "hev" => (carc(Carc::TtwEnergy, pt, &mut sources)? / 1000.0, u8::from(code == "diesel"), 0.0, None),
        "phev" => {
            let total = carc(Carc::TtwEnergy, pt, &mut sources)?;
            let u = carc(Carc::UtilityFactor, pt, &mut sources)?;
            let hev = powertrain_ix("hev", "powertrain")?;
            let bev = powertrain_ix("bev", "powertrain")?;
            let e_f = carc(Carc::TtwEnergy, hev, &mut sources)?;
            let e_e = carc(Carc::TtwEnergy, bev, &mut sources)?;
            let k = total / (u * e_e + (1.0 - u) * e_f);
            sources.push(d.charge_efficiency.clone());
            assumptions.push(format!(
                "PHEV: carculator PHEV-p {total:.1} kJ/km at tank and battery = UF {u:.4} × charge-depleting + (1 − UF) × charge-sustaining, split in the ratio of the class's BEV ({e_e:.1}) and HEV-p ({e_f:.1}) kJ/km (× {k:.4}); electricity at the plug = battery kJ ÷ 3600 ÷ charge efficiency {eff}"
            ));
            (k * e_f / 1000.0, 0u8, kwh_of(k * e_e), Some(u))
        }
        "bev" => {
            let e = carc(Carc::TtwEnergy, pt, &mut sources)?;
            sources.push(d.charge_efficiency.clone());
            assumptions.push(format!("BEV: electricity at the plug = carculator battery {e:.1} kJ/km ÷ 3600 ÷ charge efficiency {eff}"));
            (0.0, 0u8, kwh_of(e), None)
        }
        _ => {
            let e = carc(Carc::TtwEnergy, pt, &mut sources)?;
            sources.push(d.h2_lhv.clone());
            assumptions.push(format!("FCEV: hydrogen {:.6} kg/km = carculator {e:.1} kJ/km ÷ LHV {} MJ/kg × 1000", e / (d.h2_lhv.value * 1000.0), d.h2_lhv.value));
            (e / 1000.0, 2u8, 0.0, None)
        }
    };
    if let Some(v) = positive(ov.energy_mj_per_km, "overrides.energy_mj_per_km", true)? {
        fuel_mj = v;
    }
    if let Some(v) = positive(ov.electricity_kwh_per_km, "overrides.electricity_kwh_per_km", true)? {
        kwh = v;
    }
    if let Some(u) = share(ov.utility_factor, "overrides.utility_factor")? {
        if code != "phev" {
            return Err(VehicleError::InvalidParameter { field: "overrides.utility_factor".into(), value: u.to_string(), expected: "only for powertrain phev".into() }.into());
        }
        uf = Some(u);
    }
    let wtw_override = positive(ov.fuel_wtw_g_per_mj, "overrides.fuel_wtw_g_per_mj", true)?;
    let exhaust_override = positive(ov.exhaust_g_per_mj, "overrides.exhaust_g_per_mj", true)?;
    let mut hydrogen_wtw = 0.0;
    if fuel == 2 {
        hydrogen_wtw = wtw_override.ok_or_else(|| missing("overrides.fuel_wtw_g_per_mj", "FCEV: no sourced hydrogen well-to-wheel factor in the bundled tables", "overrides.fuel_wtw_g_per_mj (g CO2e per MJ H2)"))?;
    }
    // battery: carculator's electric energy stored of the class and year (not for ICE cars,
    // whose small 48 V batteries the model leaves out)
    let battery_kwh = match positive(ov.battery_kwh, "overrides.battery_kwh", true)? {
        Some(b) => b,
        None if fam == 0 => 0.0,
        None => {
            let b = carc(Carc::EnergyStored, pt, &mut sources)?;
            assumptions.push(format!("battery: carculator {b:.3} kWh of the class and year; pack mass at the GREET NMC specific energy"));
            b
        }
    };
    let density = positive(ov.pack_kwh_per_kg, "overrides.pack_kwh_per_kg", false)?.unwrap_or(d.pack_kwh_per_kg.value);
    if battery_kwh > 0.0 {
        sources.push(d.pack_kwh_per_kg.clone());
    }
    let maintenance = positive(ov.maintenance_g_per_km, "overrides.maintenance_g_per_km", true)?.unwrap_or(0.0);
    Ok(Profile {
        size,
        powertrain: pt,
        parts,
        battery_kwh,
        battery_mass: battery_kwh / density,
        fuel_mj,
        fuel,
        kwh,
        uf,
        hydrogen_wtw,
        exhaust_override,
        wtw_override,
        maintenance,
        sources,
        assumptions,
    })
}

// ---------------------------------------------------------------------------------------
// Evaluation (the fast path)

/// The numbers of one evaluation, without names (what the grid keeps).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Numbers {
    pub production_kg: f64,
    pub steel_kg: f64,
    pub aluminium_kg: f64,
    pub g: GPerKm,
}

/// Fuel (supply, exhaust) g/MJ of a profile.
fn fuel_factors(p: &Profile, f: &FactorSet) -> (f64, f64) {
    let (mut supply, mut exhaust) = match p.fuel {
        0 => f.petrol,
        1 => f.diesel,
        _ => (p.hydrogen_wtw, 0.0),
    };
    if let Some(e) = p.exhaust_override {
        let total = p.wtw_override.unwrap_or(supply + exhaust);
        exhaust = e;
        supply = (total - e).max(0.0);
    } else if let Some(w) = p.wtw_override {
        if p.fuel != 2 {
            supply = (w - exhaust).max(0.0);
        }
    }
    (supply, exhaust)
}

/// Use-phase g/km of each year of use: (electricity supply, fuel supply, exhaust).
fn use_rates(p: &Profile, f: &FactorSet) -> (f64, f64, f64, f64) {
    let (fs, fe) = fuel_factors(p, f);
    let elec_share = match (POWERTRAINS[p.powertrain].code, p.uf) {
        ("bev", _) => 1.0,
        (_, Some(u)) => u,
        _ => 0.0,
    };
    let fuel_share = if POWERTRAINS[p.powertrain].code == "bev" { 0.0 } else { 1.0 - if p.uf.is_some() { elec_share } else { 0.0 } };
    // g per km per (kg/kWh) of grid
    let elec_per_grid = p.kwh * elec_share * f.grid_losses * 1000.0;
    (elec_per_grid, p.fuel_mj * fuel_share * fs, p.fuel_mj * fuel_share * fe, p.maintenance)
}

pub(crate) fn numbers(p: &Profile, f: &FactorSet, s: &Settings) -> Numbers {
    let mut mat_kg = 0.0;
    let mut steel = 0.0;
    let mut al = 0.0;
    let mut masses = [0.0; N];
    for part in &p.parts {
        for (m, x) in masses.iter_mut().zip(part.mass.iter()) {
            *m += x;
        }
    }
    for (i, m) in masses.iter().enumerate() {
        let e = m * f.mat[i];
        mat_kg += e;
        if i <= 2 {
            steel += e;
        } else if i <= 4 {
            al += e;
        }
    }
    let production_kg = mat_kg + p.battery_kwh * f.battery + f.assembly;
    let (epg, fs, fe, maint) = use_rates(p, f);
    let n: f64 = f.grid.iter().map(|g| g.weight).sum();
    let grid_avg = if n > 0.0 { f.grid.iter().map(|g| g.kg_per_kwh * g.weight).sum::<f64>() / n } else { 0.0 };
    let eol_kg = match s.credits {
        Some(r) => {
            -(masses[0] + masses[2]) * r.steel * f.credit[0] - masses[3] * r.aluminium * f.credit[1] - masses[4] * r.aluminium * f.credit[2]
        }
        None => 0.0,
    };
    let per_km = 1000.0 / s.lifetime_km;
    let mut g = GPerKm {
        production: production_kg * per_km,
        fuel_or_electricity_supply: epg * grid_avg + fs,
        exhaust: fe,
        maintenance: maint,
        end_of_life: eol_kg * per_km,
        total: 0.0,
    };
    g.total = g.production + g.fuel_or_electricity_supply + g.exhaust + g.maintenance + g.end_of_life;
    Numbers { production_kg, steel_kg: steel, aluminium_kg: al, g }
}

/// Break-even distance of `a` against `b` (km) given their production and yearly use rates.
pub(crate) fn break_even(pa: &Profile, na: &Numbers, pb: &Profile, nb: &Numbers, f: &FactorSet, s: &Settings) -> (Option<f64>, Option<String>) {
    let (ea, fsa, fea, ma) = use_rates(pa, f);
    let (eb, fsb, feb, mb) = use_rates(pb, f);
    let mut diff = (na.production_kg - nb.production_kg) * 1000.0; // g
    if diff <= 0.0 {
        return (Some(0.0), None);
    }
    let km_per_year = s.lifetime_km / s.years_of_use;
    let mut x = 0.0;
    let mut ever_lower = false;
    for gy in &f.grid {
        let ua = ea * gy.kg_per_kwh + fsa + fea + ma;
        let ub = eb * gy.kg_per_kwh + fsb + feb + mb;
        let slope = ua - ub; // g per km
        let len = gy.weight * km_per_year;
        if slope < 0.0 {
            ever_lower = true;
            if diff + slope * len <= 0.0 {
                return (Some(x + diff / (-slope)), None);
            }
        }
        diff += slope * len;
        x += len;
    }
    let reason = if ever_lower {
        format!("the use-phase savings do not repay the extra production emissions within lifetime_km {}", s.lifetime_km)
    } else {
        "this car's use-phase emissions per km are not lower than the compared car's in any year of use".to_string()
    };
    (None, Some(reason))
}

// ---------------------------------------------------------------------------------------
// The full document

/// Evaluates one vehicle (the `vehicle` operation).
pub fn evaluate(i: &VehicleInput) -> Result<VehicleOutput, TansoError> {
    let d = defaults()?;
    let size = size_ix(&i.size, "size")?;
    let pt = powertrain_ix(&i.powertrain, "powertrain")?;
    let s = settings(
        &i.region,
        &i.production_region,
        i.year,
        i.lifetime_km,
        i.years_of_use,
        &i.grid_mode,
        &i.background,
        &i.levers,
        &i.end_of_life,
        i.recovery_rates,
    )?;
    option(&i.driving_cycle, "driving_cycle", &["WLTC"])?;
    let p = profile(size, pt, s.year, &i.overrides)?;
    let grid = grid_series(&s.region, d)?;
    let f = factor_set(&s, &i.overrides, &grid)?;
    let n = numbers(&p, &f, &s);
    let comparison = match &i.versus {
        None => None,
        Some(v) => {
            let vs = match &v.size {
                Some(x) => size_ix(x, "versus.size")?,
                None => size,
            };
            let vp = powertrain_ix(&v.powertrain, "versus.powertrain")?;
            let pb = profile(vs, vp, s.year, &Overrides::default())?;
            let nb = numbers(&pb, &f, &s);
            let (km, reason) = if vs == size && vp == pt {
                (None, Some("the compared vehicle is this vehicle".to_string()))
            } else {
                break_even(&p, &n, &pb, &nb, &f, &s)
            };
            Some(BreakEven {
                versus_size: SIZES[vs].code.into(),
                versus_powertrain: POWERTRAINS[vp].code.into(),
                versus_production_t_co2e: nb.production_kg / 1000.0,
                versus_g_per_km: nb.g,
                break_even_km: km,
                reason,
                lifecycle_difference: (n.g.total - nb.g.total) / nb.g.total,
            })
        }
    };
    // names
    let mut components = Vec::new();
    let mut by_component = Vec::new();
    let mut masses = [0.0; N];
    for part in &p.parts {
        let mut m = BTreeMap::new();
        let mut e = 0.0;
        for k in 0..N {
            masses[k] += part.mass[k];
            e += part.mass[k] * f.mat[k];
            if part.mass[k] != 0.0 {
                m.insert(MATERIALS[k].to_string(), part.mass[k]);
            }
        }
        components.push(ComponentMass { component: part.name.into(), mass_kg: part.mass.iter().sum(), materials: m });
        by_component.push(ComponentResult { component: part.name.into(), kg_co2e: e });
    }
    if p.battery_kwh > 0.0 {
        let mut m = BTreeMap::new();
        m.insert("battery_pack".to_string(), p.battery_mass);
        components.push(ComponentMass { component: "battery_pack".into(), mass_kg: p.battery_mass, materials: m });
        by_component.push(ComponentResult { component: "battery_pack".into(), kg_co2e: p.battery_kwh * f.battery });
    }
    by_component.push(ComponentResult { component: "assembly".into(), kg_co2e: f.assembly });
    let mut by_material: Vec<MaterialResult> = (0..N)
        .map(|k| MaterialResult {
            material: MATERIALS[k].into(),
            mass_kg: masses[k],
            kg_co2e: masses[k] * f.mat[k],
            factor: f.mat[k],
            factor_unit: "kg CO2e/kg".into(),
            source: f.mat_source[k].clone(),
        })
        .collect();
    if p.battery_kwh > 0.0 {
        by_material.push(MaterialResult {
            material: "battery_pack".into(),
            mass_kg: p.battery_mass,
            kg_co2e: p.battery_kwh * f.battery,
            factor: f.battery,
            factor_unit: format!("kg CO2e/kWh ({} kWh)", p.battery_kwh),
            source: f.battery_source.clone(),
        });
    }
    by_material.push(MaterialResult {
        material: "assembly".into(),
        mass_kg: 0.0,
        kg_co2e: f.assembly,
        factor: f.assembly,
        factor_unit: "kg CO2e/vehicle".into(),
        source: if i.overrides.assembly_kg_co2e.is_some() { "overrides.assembly_kg_co2e".into() } else { d.assembly.source.clone() },
    });
    let total = n.production_kg;
    let shares = Shares { steel: n.steel_kg / total, aluminium: n.aluminium_kg / total, rest: (total - n.steel_kg - n.aluminium_kg) / total };
    // A car without fuel (BEV) reports no fuel factors.
    let (fs, fe) = if p.fuel_mj > 0.0 { fuel_factors(&p, &f) } else { (0.0, 0.0) };
    let grid_avg = {
        let w: f64 = f.grid.iter().map(|g| g.weight).sum();
        f.grid.iter().map(|g| g.kg_per_kwh * g.weight).sum::<f64>() / w
    };
    let mut assumptions = p.assumptions.clone();
    assumptions.push(format!("production and materials region: {}; use region: {} ({})", s.production_country, s.region.code, s.region.country));
    assumptions.extend(f.grid_sources.iter().map(|g| format!("grid: {g}")));
    assumptions.push(if s.static_background {
        "background static: material and battery factors of their data year".into()
    } else {
        "background scenario: steel, primary aluminium and copper factors × carculator SSP2-NPi 2040/2020 ratios (linear 2020–2040, held after); battery 91 → 24 kg CO2e/kWh 2020–2040".into()
    });
    assumptions.push(match s.credits {
        Some(r) => format!("end of life: credits, recovery steel {} aluminium {} × (primary − secondary factor)", r.steel, r.aluminium),
        None => "end of life: cut-off (0)".into(),
    });
    assumptions.push("break-even: cumulative production + use, year by year; end of life not counted".into());
    let mut sources = p.sources.clone();
    sources.extend(f.sources.iter().cloned());
    let mut gaps: Vec<String> = d.gaps.clone();
    if masses[MaterialIx::Other as usize] > 0.0 {
        gaps.push(format!("other_unassessed: {:.3} kg (GREET 'other', platinum) without a factor, counted as 0", masses[MaterialIx::Other as usize]));
    }
    Ok(VehicleOutput {
        size: SIZES[size].code.into(),
        powertrain: POWERTRAINS[pt].code.into(),
        region: s.region.code.clone(),
        year: s.year,
        lifetime_km: s.lifetime_km,
        years_of_use: s.years_of_use,
        mass_kg: MassBreakdown { total: components.iter().map(|c| c.mass_kg).sum(), components },
        production: Production { total_kg_co2e: total, by_component, by_material, shares },
        use_phase: UsePhase {
            fuel_mj_per_km: p.fuel_mj,
            electricity_kwh_per_km: p.kwh,
            utility_factor: p.uf,
            hydrogen_kg_per_km: (p.fuel == 2).then(|| p.fuel_mj / d.h2_lhv.value),
            fuel_supply_g_per_mj: fs,
            exhaust_g_per_mj: fe,
            grid_losses: f.grid_losses,
            grid_kg_per_kwh: grid_avg,
            grid_by_year: f.grid.clone(),
        },
        g_per_km: n.g,
        lifecycle_t_co2e: n.g.total * s.lifetime_km / 1e6,
        comparison,
        assumptions,
        sources,
        gaps,
    })
}

/// A two-car comparison: `a` with `versus` set to `b`'s powertrain (and size).
pub fn compare(a: &VehicleInput, versus: Versus) -> Result<VehicleOutput, TansoError> {
    let mut a = a.clone();
    a.versus = Some(versus);
    evaluate(&a)
}

/// Output of `vehicle_defaults`.
#[derive(Debug, Clone, Serialize)]
pub struct DefaultsOutput {
    /// Size classes with their glider base mass (null where none is sourced).
    pub sizes: Vec<SizeInfo>,
    /// Powertrains, and whether their defaults are complete.
    pub powertrains: Vec<PowertrainInfo>,
    /// Regions: `CN`, `EU`, and the Chinese provinces and grid regions known.
    pub regions: Vec<String>,
    /// Production years.
    pub years: [i32; 2],
    /// Levers and their ranges.
    pub levers: Vec<LeverInfo>,
    /// Materials of the model.
    pub materials: Vec<&'static str>,
    /// Sourced values that are not defaults but named alternatives (GREET's BEV100 and BEV300
    /// battery capacities, for `overrides.battery_kwh`).
    pub alternatives: Vec<Sourced>,
    /// Missing defaults.
    pub gaps: Vec<String>,
}

/// A size class in `vehicle_defaults`.
#[derive(Debug, Clone, Serialize)]
pub struct SizeInfo {
    /// Code.
    pub code: &'static str,
    /// carculator label.
    pub label: &'static str,
    /// Glider base mass with source, if any.
    pub glider_base_mass: Option<Sourced>,
}

/// A powertrain in `vehicle_defaults`.
#[derive(Debug, Clone, Serialize)]
pub struct PowertrainInfo {
    /// Code.
    pub code: &'static str,
    /// What it is.
    pub label: &'static str,
    /// False when some default is missing (FCEV: hydrogen use and factor, stack mass).
    pub complete_defaults: bool,
}

/// A lever in `vehicle_defaults`.
#[derive(Debug, Clone, Serialize)]
pub struct LeverInfo {
    /// Field name under `levers`.
    pub name: &'static str,
    /// Minimum.
    pub min: f64,
    /// Maximum (null: unbounded).
    pub max: Option<f64>,
    /// Default and meaning.
    pub default: &'static str,
}

/// The `vehicle_defaults` document.
pub fn defaults_document() -> Result<DefaultsOutput, TansoError> {
    let d = defaults()?;
    let mut regions = vec!["CN".to_string(), "EU".to_string()];
    regions.extend(geography::codes().into_iter().filter(|c| c.starts_with("CN-")));
    Ok(DefaultsOutput {
        sizes: SIZES.iter().enumerate().map(|(i, s)| SizeInfo { code: s.code, label: s.label, glider_base_mass: d.glider[i].clone() }).collect(),
        powertrains: POWERTRAINS.iter().map(|p| PowertrainInfo { code: p.code, label: p.label, complete_defaults: p.code != "fcev" }).collect(),
        regions,
        years: [YEARS.0, YEARS.1],
        levers: vec![
            LeverInfo { name: "recycled_aluminium_share", min: 0.0, max: Some(1.0), default: "GREET average: wrought 0.110, cast 0.850 (one share for both)" },
            LeverInfo { name: "recycled_aluminium_wrought_share", min: 0.0, max: Some(1.0), default: "recycled_aluminium_share if given, else GREET's 0.110" },
            LeverInfo { name: "recycled_aluminium_cast_share", min: 0.0, max: Some(1.0), default: "recycled_aluminium_share if given, else GREET's 0.850" },
            LeverInfo { name: "green_steel_share", min: 0.0, max: Some(1.0), default: "0 (all BF-BOF); the green part is scrap-EAF" },
            LeverInfo { name: "grid_factor", min: 0.0, max: None, default: "bundled grid of the region (kg CO2e/kWh)" },
            LeverInfo { name: "grid_scale", min: 0.0, max: None, default: "1" },
        ],
        materials: MATERIALS.to_vec(),
        alternatives: vec![d.greet_bev100_kwh.clone(), d.greet_bev300_kwh.clone()],
        gaps: d.gaps.clone(),
    })
}
