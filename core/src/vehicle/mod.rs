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
//! - **carculator's model table** (`core/data/vehicle_carculator.csv`, carculator 1.9.5
//!   `CarModel(cycle="WLTC", country="CN")` on its static inputs, 2020/2030/2040/2050, every
//!   class × powertrain): glider base mass, lightweighting share, WLTC tank-to-wheel energy,
//!   electric energy stored (battery kWh) and the PHEV utility factor. Between the decades the
//!   values are **interpolated linearly by production year** (2025 = mean of 2020 and 2030);
//!   every row used is listed in the output's `sources`.
//! - **Mass.** Glider = carculator's glider base mass of the class (Mini 700, Small 1000, Lower
//!   medium 1170, Medium 1350, Large 1550, Medium SUV 1200, Large SUV 1900, Van 1450 kg). Its
//!   materials are GREET2 2017's body and chassis fractions, weighted by the powertrain's
//!   GREET body and chassis mass shares. Lightweighting: carculator's share of the glider base
//!   mass for the class, powertrain and year is saved, each kg saved being −1.8 kg steel and
//!   +0.8 kg wrought aluminium (carculator's rule). The other components (engine and fuel
//!   system, transmission, traction motor and generator, power electronics) are GREET's
//!   mid-size component shares × GREET's curb mass excluding the traction battery, scaled by
//!   the glider base mass ratio to Medium (*derived*). HEV and PHEV engines take the ICE
//!   engine's material fractions (*derived*).
//! - **Battery.** BEV, PHEV, HEV (and FCEV's buffer battery): carculator's electric energy
//!   stored of the class and year; ICE cars none (carculator's small 48 V batteries of later
//!   years are left out). GREET's BEV100 27 kWh and BEV300 84 kWh are named alternatives
//!   (`vehicle_defaults` → `alternatives`, use `overrides.battery_kwh`). Pack mass = kWh ÷
//!   0.165 kWh/kg (GREET NMC). Pack emissions = kWh × carculator's NMC-622 pack made in China
//!   (91 kg CO2e/kWh in 2020, 24 in 2040 under SSP2-NPi, linear between, held after 2040).
//!   Cells made elsewhere (`overrides.battery_cell_region`): + the cell factory's electricity
//!   (`overrides.cell_electricity_kwh_per_kwh`, the user's: no single sourced value) × (that
//!   grid − China's grid) in the production year.
//! - **Materials** come from [`crate::materials::Library`]: steel = BF-BOF hot-rolled, blended
//!   with scrap-EAF hot-rolled by `green_steel_share` (worldsteel 2022 routes + the sheet-rolling
//!   add-on; H2-DRI has no verified row); aluminium = primary ingot of the production region
//!   (IAI world 15.1 t/t for CN, whose own row is unverified; carculator IAI EU for EU) blended
//!   with GREET recycled wrought/cast by the recycled share (default: the share implied by
//!   GREET's average wrought 0.110 and cast 0.850, *derived*; `recycled_aluminium_share` sets
//!   both, `recycled_aluminium_wrought_share` / `recycled_aluminium_cast_share` one kind each
//!   and take precedence); copper = carculator market
//!   cathode; stainless, cast iron, magnesium, glass, plastic, rubber = GREET2 2017. "other"
//!   and platinum have no factor: their mass is reported as `other_unassessed` with 0 kg CO2e.
//! - **Background years.** Material factors move from their data year by carculator's
//!   SSP2-NPi 2040/2020 ratios (steel 0.720, primary aluminium 0.817, copper 0.626), linear
//!   from 2020 to 2040 and held after; the others are static. `background: "static"` turns it off.
//! - **Assembly** = GREET2 2017 paint + vehicle assembly, 810.5 kg CO2e per vehicle (US energy
//!   mix; not regionalised).
//! - **Use.** WLTC energy per km: carculator's tank-to-wheel energy of the class, powertrain
//!   and year. Petrol/diesel/HEV: MJ/km = kJ/km ÷ 1000; exhaust = MJ ×
//!   IPCC 2006 combustion CO2 (69.3 / 74.1 g/MJ), supply = MJ × (EU fossil baseline 94.1 g
//!   CO2e/MJ − that), *derived*. BEV: kWh at the plug = battery kJ/km ÷ 3600 ÷ carculator's
//!   charge efficiency 0.8517, × cumulative grid losses (carculator CN 1.0789, Europe 1.1) ×
//!   grid factor. PHEV: carculator's PHEV-p energy E with its utility factor UF is split as
//!   UF × e + (1 − UF) × f = E with e : f = the class's BEV : HEV-p energy of the year
//!   (*derived*); e is electricity (as BEV), f petrol. FCEV: hydrogen MJ/km = TtW kJ/km ÷ 1000,
//!   reported as kg/km ÷ 120 MJ/kg (LHV, AeH2); the hydrogen factor
//!   (`overrides.fuel_wtw_g_per_mj`) and the fuel cell system mass stay the user's. Grid: MEE & NBS `electricity.grid_average` of the region (province →
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
//! (`scenario` | `static`), `levers` {`recycled_aluminium_share`,
//! `recycled_aluminium_wrought_share`, `recycled_aluminium_cast_share`, `green_steel_share`,
//! `grid_factor`, `grid_scale`}, `overrides` (see [`Overrides`]), `end_of_life` (`cut_off` |
//! `credits`), `recovery_rates` {`steel`, `aluminium`}, `versus` {`powertrain`, `size`}.
//! Output (numbers rounded here, lists abridged with "…"; the exact example is generated in
//! `docs/vehicles.md`):
//! ```json
//! {"size": "medium", "powertrain": "bev", "region": "CN", "year": 2021,
//!  "lifetime_km": 200000.0, "years_of_use": 16.67,
//!  "mass_kg": {"total": 1928.67, "components": [{"component": "glider", "mass_kg": 1160.33,
//!     "materials": {"steel": 663.24, "aluminium_wrought": 157.53, "…": 0.0}}, "…"]},
//!  "production": {"total_kg_co2e": 13685.2,
//!     "by_component": [{"component": "glider", "kg_co2e": 4670.6}, "…",
//!                      {"component": "battery_pack", "kg_co2e": 6195.1},
//!                      {"component": "assembly", "kg_co2e": 810.51}],
//!     "by_material": [{"material": "steel", "mass_kg": 788.15, "kg_co2e": 2111.33,
//!                      "factor": 2.679, "factor_unit": "kg CO2e/kg", "source": "hot-rolled: …"}, "…"],
//!     "shares": {"steel": 0.157, "aluminium": 0.220, "rest": 0.623}},
//!  "use": {"fuel_mj_per_km": 0.0, "electricity_kwh_per_km": 0.1974, "utility_factor": null,
//!          "hydrogen_kg_per_km": null,
//!          "fuel_supply_g_per_mj": 0.0, "exhaust_g_per_mj": 0.0, "grid_losses": 1.0789,
//!          "grid_kg_per_kwh": 0.428, "grid_by_year": [{"year": 2021, "kg_per_kwh": 0.5568, "weight": 1.0}, "…"]},
//!  "g_per_km": {"production": 68.4, "fuel_or_electricity_supply": 91.2, "exhaust": 0.0,
//!               "maintenance": 0.0, "end_of_life": 0.0, "total": 159.6},
//!  "lifecycle_t_co2e": 31.9,
//!  "comparison": {"versus_size": "medium", "versus_powertrain": "petrol",
//!                 "versus_production_t_co2e": 7.08, "versus_g_per_km": {"total": 253.5, "…": 0.0},
//!                 "break_even_km": 62147.3, "reason": null, "lifecycle_difference": -0.370},
//!  "assumptions": ["…"], "sources": [{"parameter": "glider base mass (Medium)", "value": 1350.0,
//!     "unit": "kg", "status": "verified (model output)", "source": "carculator 1.9.5 … [core/data/vehicle_carculator.csv]"}, "…"],
//!  "gaps": ["…"]}
//! ```
//! `vehicle_grid` input: `{"sizes": ["medium"], "powertrains": ["petrol", "bev"], "regions":
//! ["CN", "EU"], "years": {"from": 2020, "to": 2050}, "baseline": "petrol"}` (all optional;
//! defaults: every size and every powertrain with complete defaults, CN and EU, 2020–2050:
//! 8 × 5 × 31 × 2 = 2480 rows with no input). Output:
//! `{"count": 4, "rows": [{"size": "medium", "powertrain": "bev", "region": "CN", "year": 2020,
//! "production_t_co2e": 13.5, "steel_share": 0.16, "aluminium_share": 0.21, "g_per_km":
//! {"production": 67.3, "fuel_or_electricity_supply": 92.4, "exhaust": 0.0, "maintenance": 0.0,
//! "end_of_life": 0.0, "…": 0.0}, "break_even_km": 62000.0}], "unavailable": [{"size":
//! "medium", "powertrain": "fcev", "reason": "…"}]}` (`break_even_km` is null for the baseline
//! itself and when there is none within the lifetime). `vehicle_defaults` input: `{}`; output:
//! `{"sizes": [{"code", "label", "glider_base_mass": {"parameter", "value", "unit", "status",
//! "source"} | null}], "powertrains": [{"code", "label", "complete_defaults"}], "regions": [...],
//! "years": [2020, 2050], "levers": [{"name", "min", "max", "default"}], "materials": [...],
//! "alternatives": [{"parameter", "value", "unit", "status", "source"}], "gaps": [...]}`.
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
