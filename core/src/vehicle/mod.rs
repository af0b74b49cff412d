//! Vehicles: size classes × powertrains, their material profiles, production, use and end of
//! life; the steel and aluminium shares of production; the break-even distance of an EV
//! against an ICE car; the whole grid of sizes × powertrains × years × regions in one call.
//!
//! Layer: above [`crate::materials`] (material factors by route, recycled content, region and
//! year) and [`crate::factors`] (grid factors), below [`crate::cbam`].
//!
//! Numbers: this is a model, not a ledger. Everything is computed in `f64` and reported as
//! JSON numbers, unrounded. Library factors (exact decimals) become `f64` once, when a factor
//! set is prepared. A prepared factor set per (region, year) makes one evaluation a few dot
//! products (≥ 100,000 evaluations per second on one core).
//!
//! # Model (every default names its source; see `core/data/vehicle_*.csv`)
//! - **Mass.** Glider = carculator 1.9.5 glider base mass of the class (Small 1000, Medium
//!   1350, Large 1550, Medium SUV 1200, Large SUV 1900 kg; Lower medium 1175 kg = mean of Small
//!   and Medium, *derived*; Mini and Van have no sourced value: give `overrides.glider_mass_kg`).
//!   Its materials are GREET2 2017's body and chassis fractions, weighted by the powertrain's
//!   GREET body and chassis mass shares. Lightweighting (carculator's rule): a share of the
//!   glider base mass is saved (0.1065 ICE/HEV/PHEV/FCEV; BEV 0.14 Small/Medium/Medium SUV and
//!   the classes carculator does not list, 0.28 Large, 0.30 Large SUV), each kg saved being
//!   −1.8 kg steel and +0.8 kg wrought aluminium. The other components (engine and fuel system,
//!   transmission, traction motor and generator, power electronics) are GREET's mid-size
//!   component shares × GREET's curb mass excluding the traction battery, scaled by the
//!   glider base mass ratio to Medium (*derived*). HEV and PHEV engines take the ICE engine's
//!   material fractions (*derived*).
//! - **Battery.** BEV: GREET 84 kWh (300 mi) for Medium, PHEV: GREET 8 kWh (20 mi), scaled to
//!   the class by its electricity use per km (same range, *derived*); pack mass = kWh ÷ 0.165
//!   kWh/kg (GREET NMC). HEV: no sourced kWh (GREET gives kW), 0 unless overridden.
//!   Pack emissions = kWh × carculator's NMC-622 pack made in China (91 kg CO2e/kWh in 2020,
//!   24 in 2040 under SSP2-NPi, linear between, held after 2040).
//!   Cells made elsewhere (`overrides.battery_cell_region`): + the cell factory's electricity
//!   (`overrides.cell_electricity_kwh_per_kwh`, the user's: no single sourced value) × (that
//!   grid − China's grid) in the production year.
//! - **Materials** come from [`crate::materials::Library`]: steel = BF-BOF hot-rolled, blended
//!   with scrap-EAF hot-rolled by `green_steel_share` (worldsteel 2022 routes + the sheet-rolling
//!   add-on; H2-DRI has no verified row); aluminium = primary ingot of the production region
//!   (IAI world 15.1 t/t for CN, whose own row is unverified; carculator IAI EU for EU) blended
//!   with GREET recycled wrought/cast by the recycled share (default: the share implied by
//!   GREET's average wrought 0.110 and cast 0.850, *derived*); copper = carculator market
//!   cathode; stainless, cast iron, magnesium, glass, plastic, rubber = GREET2 2017. "other"
//!   and platinum have no factor: their mass is reported as `other_unassessed` with 0 kg CO2e.
//! - **Background years.** Material factors move from their data year by carculator's
//!   SSP2-NPi 2040/2020 ratios (steel 0.720, primary aluminium 0.817, copper 0.626), linear
//!   from 2020 to 2040 and held after; the others are static. `background: "static"` turns it off.
//! - **Assembly** = GREET2 2017 paint + vehicle assembly, 810.5 kg CO2e per vehicle (US energy
//!   mix; not regionalised).
//! - **Use.** WLTC energy per km (carculator 1.9.5 for Small, Medium, Large SUV; other classes
//!   interpolated linearly in glider base mass, *derived*). Petrol/diesel/HEV: exhaust = MJ ×
//!   IPCC 2006 combustion CO2 (69.3 / 74.1 g/MJ), supply = MJ × (EU fossil baseline 94.1 g
//!   CO2e/MJ − that), *derived*. BEV: kWh at the plug × cumulative grid losses (carculator CN
//!   1.0789, Europe 1.1) × grid factor. PHEV: utility factor × BEV electricity + (1 − UF) × HEV
//!   fuel (*derived*). Grid: MEE & NBS `electricity.grid_average` of the region (province →
//!   grid region → CN) for the data years; after the last data year China follows REMIND
//!   SSP2's fossil generation share (carculator) by ratio; the EU (EEA 2018) is held static.
//!   `grid_mode: "average_over_use"` averages the years of use; `"static"` uses the
//!   production year. Maintenance: no sourced value (0 unless `maintenance_g_per_km`).
//! - **End of life.** `cut_off` (default): 0. `credits`: −(mass × recovery rate × (primary −
//!   secondary factor)) for steel and aluminium; the rates are the user's.
//! - **Break-even.** Cumulative production + use of the EV and the ICE car, year by year of
//!   use; the distance where the EV's falls to the ICE car's (end of life left out).
//!
//! # Operations
//! `vehicle` (one vehicle; with `versus` the break-even), `vehicle_grid` (many in one call),
//! `vehicle_defaults` (what is available, with sources). `docs/vehicles.md` ends with complete
//! inputs and outputs of all three, generated by a test. Example input of `vehicle`:
//! ```json
//! {"size": "medium", "powertrain": "bev", "region": "CN", "year": 2021,
//!  "levers": {"recycled_aluminium_share": 0.3}, "versus": {"powertrain": "petrol"}}
//! ```
//! All input fields: `size`, `powertrain`, `region` (default `CN`), `year`, `production_region`,
//! `lifetime_km`, `years_of_use`, `driving_cycle` (`WLTC`), `grid_mode` (`average_over_use` | `static`), `background`
//! (`scenario` | `static`), `levers` {`recycled_aluminium_share`, `green_steel_share`,
//! `grid_factor`, `grid_scale`}, `overrides` (see [`Overrides`]), `end_of_life` (`cut_off` |
//! `credits`), `recovery_rates` {`steel`, `aluminium`}, `versus` {`powertrain`, `size`}.
//! Output (numbers rounded here, lists abridged with "…"):
//! ```json
//! {"size": "medium", "powertrain": "bev", "region": "CN", "year": 2021,
//!  "lifetime_km": 200000.0, "years_of_use": 16.67,
//!  "mass_kg": {"total": 2010.07, "components": [{"component": "glider", "mass_kg": 1161.0,
//!     "materials": {"steel": 664.45, "aluminium_wrought": 156.99, "…": 0.0}}, "…"]},
//!  "production": {"total_kg_co2e": 14849.7,
//!     "by_component": [{"component": "glider", "kg_co2e": 4667.6}, "…",
//!                      {"component": "battery_pack", "kg_co2e": 7362.6},
//!                      {"component": "assembly", "kg_co2e": 810.51}],
//!     "by_material": [{"material": "steel", "mass_kg": 789.36, "kg_co2e": 2114.58,
//!                      "factor": 2.679, "factor_unit": "kg CO2e/kg", "source": "hot-rolled: …"}, "…"],
//!     "shares": {"steel": 0.145, "aluminium": 0.203, "rest": 0.652}},
//!  "use": {"fuel_mj_per_km": 0.0, "electricity_kwh_per_km": 0.1987, "utility_factor": null,
//!          "fuel_supply_g_per_mj": 0.0, "exhaust_g_per_mj": 0.0, "grid_losses": 1.0789,
//!          "grid_kg_per_kwh": 0.428, "grid_by_year": [{"year": 2021, "kg_per_kwh": 0.5568, "weight": 1.0}, "…"]},
//!  "g_per_km": {"production": 74.2, "fuel_or_electricity_supply": 91.8, "exhaust": 0.0,
//!               "maintenance": 0.0, "end_of_life": 0.0, "total": 166.1},
//!  "lifecycle_t_co2e": 33.2,
//!  "comparison": {"versus_size": "medium", "versus_powertrain": "petrol",
//!                 "versus_production_t_co2e": 7.07, "versus_g_per_km": {"total": 255.2, "…": 0.0},
//!                 "break_even_km": 71650.3, "reason": null, "lifecycle_difference": -0.349},
//!  "assumptions": ["…"], "sources": [{"parameter": "glider base mass (Medium)", "value": 1350.0,
//!     "unit": "kg", "status": "verified (model default)", "source": "carculator 1.9.5 …"}, "…"],
//!  "gaps": ["…"]}
//! ```
//! `vehicle_grid` input: `{"sizes": ["medium"], "powertrains": ["petrol", "bev"], "regions":
//! ["CN", "EU"], "years": {"from": 2020, "to": 2050}, "baseline": "petrol"}` (all optional;
//! defaults: every size and powertrain with complete defaults, CN and EU, 2020–2050). Output:
//! `{"count": 4, "rows": [{"size": "medium", "powertrain": "bev", "region": "CN", "year": 2020,
//! "production_t_co2e": 14.6, "steel_share": 0.15, "aluminium_share": 0.19, "g_per_km":
//! {"production": 73.2, "fuel_or_electricity_supply": 91.8, "exhaust": 0.0, "maintenance": 0.0,
//! "end_of_life": 0.0, "total": 165.0}, "break_even_km": 70831.6}], "unavailable": [{"size":
//! "mini", "powertrain": "bev", "reason": "…"}]}` (`break_even_km` is null for the baseline
//! itself and when there is none within the lifetime). `vehicle_defaults` input: `{}`; output:
//! `{"sizes": [{"code", "label", "glider_base_mass": {"parameter", "value", "unit", "status",
//! "source"} | null}], "powertrains": [{"code", "label", "complete_defaults"}], "regions": [...],
//! "years": [2020, 2050], "levers": [{"name", "min", "max", "default"}], "materials": [...],
//! "gaps": [...]}`.
//!
//! ```
//! use tanso::vehicle::{evaluate, VehicleInput};
//! let out = evaluate(&VehicleInput { size: "medium".into(), powertrain: "petrol".into(),
//!     region: "CN".into(), year: 2021, ..Default::default() }).unwrap();
//! let s = &out.production.shares;
//! assert!((s.steel + s.aluminium + s.rest - 1.0).abs() < 1e-12);
//! ```

mod data;
mod grid;
mod model;
#[cfg(test)]
mod tests;

pub use data::Sourced;
pub use grid::{grid, GridInput, GridOutput, GridRow, Unavailable, YearRange};
pub use model::{
    compare, defaults_document, evaluate, BreakEven, ComponentMass, ComponentResult, DefaultsOutput, GPerKm, Levers, MassBreakdown,
    MaterialResult, Overrides, Production, RecoveryRates, Shares, UsePhase, VehicleInput, VehicleOutput, Versus,
};

/// A size class: its code in documents and its label in the source tables.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct SizeClass {
    /// Code used in documents (`medium`, `large_suv`).
    pub code: &'static str,
    /// The carculator label (`Medium`, `Large SUV`).
    pub label: &'static str,
}

/// The size classes (carculator's).
pub const SIZES: [SizeClass; 8] = [
    SizeClass { code: "mini", label: "Mini" },
    SizeClass { code: "small", label: "Small" },
    SizeClass { code: "lower_medium", label: "Lower medium" },
    SizeClass { code: "medium", label: "Medium" },
    SizeClass { code: "large", label: "Large" },
    SizeClass { code: "medium_suv", label: "Medium SUV" },
    SizeClass { code: "large_suv", label: "Large SUV" },
    SizeClass { code: "van", label: "Van" },
];

/// A powertrain: its code and what it is.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Powertrain {
    /// Code used in documents.
    pub code: &'static str,
    /// What it is.
    pub label: &'static str,
    /// Battery-electric or plug-in (charged from the grid).
    pub electric: bool,
}

/// The powertrains.
pub const POWERTRAINS: [Powertrain; 6] = [
    Powertrain { code: "petrol", label: "petrol ICE (carculator ICEV-p)", electric: false },
    Powertrain { code: "diesel", label: "diesel ICE (carculator ICEV-d)", electric: false },
    Powertrain { code: "hev", label: "petrol hybrid (carculator HEV-p)", electric: false },
    Powertrain { code: "phev", label: "petrol plug-in hybrid (carculator PHEV-p)", electric: true },
    Powertrain { code: "bev", label: "battery-electric", electric: true },
    Powertrain { code: "fcev", label: "fuel-cell electric (hydrogen)", electric: false },
];

/// Number of mass materials of the model.
pub const N: usize = 11;

/// The mass materials, in the order of every material vector.
pub const MATERIALS: [&str; N] = [
    "steel",
    "stainless_steel",
    "cast_iron",
    "aluminium_wrought",
    "aluminium_cast",
    "copper",
    "magnesium",
    "glass",
    "plastic",
    "rubber",
    "other_unassessed",
];

/// Index of a mass material.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum MaterialIx {
    Steel = 0,
    Stainless,
    CastIron,
    AlWrought,
    AlCast,
    Copper,
    Magnesium,
    Glass,
    Plastic,
    Rubber,
    Other,
}

impl MaterialIx {
    /// The model material of a GREET material name.
    pub fn from_greet(name: &str) -> Option<MaterialIx> {
        Some(match name {
            "steel (unspecified)" | "steel" => MaterialIx::Steel,
            "stainless steel" => MaterialIx::Stainless,
            "cast iron" => MaterialIx::CastIron,
            "wrought aluminium" => MaterialIx::AlWrought,
            "cast aluminium" => MaterialIx::AlCast,
            "copper/brass" | "copper" => MaterialIx::Copper,
            "magnesium" => MaterialIx::Magnesium,
            "glass" => MaterialIx::Glass,
            "average plastic" => MaterialIx::Plastic,
            "rubber" => MaterialIx::Rubber,
            "other" | "platinum" => MaterialIx::Other,
            _ => return None,
        })
    }

    /// The model material of a document name (`steel`, `aluminium_wrought`, …).
    pub fn from_code(code: &str) -> Option<MaterialIx> {
        const ALL: [MaterialIx; N] = [
            MaterialIx::Steel,
            MaterialIx::Stainless,
            MaterialIx::CastIron,
            MaterialIx::AlWrought,
            MaterialIx::AlCast,
            MaterialIx::Copper,
            MaterialIx::Magnesium,
            MaterialIx::Glass,
            MaterialIx::Plastic,
            MaterialIx::Rubber,
            MaterialIx::Other,
        ];
        MATERIALS.iter().position(|m| *m == code).map(|i| ALL[i])
    }
}

/// First and last production year the model covers.
pub const YEARS: (i32, i32) = (2020, 2050);
