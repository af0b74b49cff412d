//! The bundled vehicle tables, parsed once: `core/data/vehicle_composition.csv` and
//! `core/data/vehicle_use.csv` (copies of the project's sourced tables) and
//! `core/data/vehicle_defaults.csv` (values looked up for this module and the derived values
//! with their rule). Every value keeps the source and status of its row.

use std::sync::OnceLock;

use serde::Serialize;

use crate::error::{FactorError, TansoError};

use super::{MaterialIx, N, POWERTRAINS, SIZES};

const COMPOSITION_CSV: &str = include_str!("../../data/vehicle_composition.csv");
const USE_CSV: &str = include_str!("../../data/vehicle_use.csv");
const DEFAULTS_CSV: &str = include_str!("../../data/vehicle_defaults.csv");

/// One default with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sourced {
    /// What it is.
    pub parameter: String,
    /// Its value (f64; see the module docs).
    pub value: f64,
    /// Unit.
    pub unit: String,
    /// The status as the table words it (`verified (secondary)`, `derived`, …).
    pub status: String,
    /// The source as the table gives it, or the rule for a derived value.
    pub source: String,
}

/// GREET 2017 component mass shares of one powertrain (kg per kg of curb mass excluding the
/// traction battery); the body is the remainder.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shares {
    pub powertrain: f64,
    pub transmission: f64,
    pub chassis: f64,
    pub motor: f64,
    pub controller: f64,
}

impl Shares {
    pub fn body(&self) -> f64 {
        1.0 - self.powertrain - self.transmission - self.chassis - self.motor - self.controller
    }
}

/// Everything the model reads from the bundled tables.
#[derive(Debug, Clone)]
pub(crate) struct Defaults {
    /// Glider base mass by size (index of [`SIZES`]); `None` where no sourced value exists.
    pub glider: [Option<Sourced>; 8],
    /// Lightweighting share of the glider base mass, ICE/HEV/PHEV/FCEV (carculator).
    pub lw_ice: Sourced,
    /// Lightweighting share for BEV by size (carculator: Small/Medium/Medium SUV, Large, Large SUV).
    pub lw_bev_small: Sourced,
    pub lw_bev_large: Sourced,
    pub lw_bev_large_suv: Sourced,
    /// GREET material fractions (kg/kg) by component.
    pub body: [f64; N],
    pub chassis: [f64; N],
    pub ice_powertrain: [f64; N],
    pub bev_powertrain: [f64; N],
    pub fc_system: [f64; N],
    pub trans_ice: [f64; N],
    pub trans_ev: [f64; N],
    pub motor: [f64; N],
    pub controller: [f64; N],
    /// GREET shares and curb masses (excl. traction battery) by powertrain family:
    /// 0 ICEV, 1 HEV, 2 PHEV 20, 3 BEV 300, 4 FCEV.
    pub shares: [Shares; 5],
    pub curb: [Sourced; 5],
    /// WLTC tank-to-wheel MJ/km anchors (Small, Medium, Large SUV) for petrol, diesel, HEV.
    pub ttw: [[Sourced; 3]; 3],
    /// BEV kWh/km at the plug (Small, Medium, Large SUV).
    pub bev_kwh: [Sourced; 3],
    /// PHEV utility factor (Small, Medium, Large SUV).
    pub uf: [Sourced; 3],
    pub losses_cn: Sourced,
    pub losses_eu: Sourced,
    pub lifetime_km: Sourced,
    pub annual_km: Sourced,
    pub bev_battery_kwh: Sourced,
    pub phev_battery_kwh: Sourced,
    pub pack_kwh_per_kg: Sourced,
    pub assembly: Sourced,
    pub wtt_petrol: Sourced,
    pub wtt_diesel: Sourced,
    pub ratio_steel: Sourced,
    pub ratio_primary_al: Sourced,
    pub ratio_copper: Sourced,
    pub battery_2040: Sourced,
    /// REMIND SSP2 fossil share of China's generation at 2020, 2030, 2040, 2050.
    pub fossil_cn: [Sourced; 4],
    pub recycled_wrought: Sourced,
    pub recycled_cast: Sourced,
    /// The defaults the tables say are missing, for `vehicle_defaults` and results.
    pub gaps: Vec<String>,
}

type Row = std::collections::HashMap<String, String>;

fn parse(text: &str) -> Vec<Row> {
    let mut rd = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match rd.headers() {
        Ok(h) => h.iter().map(|s| s.to_string()).collect(),
        Err(_) => return Vec::new(),
    };
    rd.records()
        .filter_map(Result::ok)
        .map(|r| headers.iter().cloned().zip(r.iter().map(|s| s.to_string())).collect())
        .collect()
}

fn get<'a>(r: &'a Row, k: &str) -> &'a str {
    r.get(k).map(String::as_str).unwrap_or("")
}

fn bad(table: &str, what: &str) -> TansoError {
    FactorError::MalformedTable {
        source_name: table.to_string(),
        message: format!("bundled vehicle table: {what} not found or not a number"),
    }
    .into()
}

struct Tables {
    comp: Vec<Row>,
    uses: Vec<Row>,
    defs: Vec<Row>,
}

impl Tables {
    /// A row of vehicle_use.csv: parameter, powertrain, size.
    fn use_row(&self, parameter: &str, powertrain: &str, size: &str) -> Result<Sourced, TansoError> {
        self.uses
            .iter()
            .find(|r| get(r, "parameter") == parameter && get(r, "powertrain") == powertrain && get(r, "size_class") == size)
            .and_then(|r| {
                let v = get(r, "value").parse::<f64>().ok()?;
                Some(Sourced {
                    parameter: format!("{parameter} ({powertrain}, {size})"),
                    value: v,
                    unit: get(r, "unit").to_string(),
                    status: get(r, "status").to_string(),
                    source: format!("{} [core/data/vehicle_use.csv]", get(r, "source")),
                })
            })
            .ok_or_else(|| bad("vehicle_use.csv", &format!("{parameter}/{powertrain}/{size}")))
    }

    fn use_geo(&self, parameter: &str, geography: &str) -> Result<Sourced, TansoError> {
        self.uses
            .iter()
            .find(|r| get(r, "parameter") == parameter && get(r, "geography") == geography)
            .and_then(|r| {
                Some(Sourced {
                    parameter: format!("{parameter} ({geography})"),
                    value: get(r, "value").parse::<f64>().ok()?,
                    unit: get(r, "unit").to_string(),
                    status: get(r, "status").to_string(),
                    source: format!("{} [core/data/vehicle_use.csv]", get(r, "source")),
                })
            })
            .ok_or_else(|| bad("vehicle_use.csv", &format!("{parameter}/{geography}")))
    }

    /// A row of vehicle_defaults.csv by parameter, powertrain and notes prefix.
    fn def(&self, parameter: &str, powertrain: &str, notes_prefix: &str) -> Result<Sourced, TansoError> {
        self.defs
            .iter()
            .find(|r| get(r, "parameter") == parameter && get(r, "powertrain") == powertrain && get(r, "notes").starts_with(notes_prefix))
            .and_then(|r| {
                Some(Sourced {
                    parameter: if notes_prefix.is_empty() { parameter.to_string() } else { format!("{parameter} ({powertrain}, {notes_prefix})") },
                    value: get(r, "value").parse::<f64>().ok()?,
                    unit: get(r, "unit").to_string(),
                    status: get(r, "status").to_string(),
                    source: format!("{}; {} [core/data/vehicle_defaults.csv]", get(r, "source"), get(r, "notes")),
                })
            })
            .ok_or_else(|| bad("vehicle_defaults.csv", &format!("{parameter}/{powertrain}/{notes_prefix}")))
    }

    /// A composition row (kg or kg/kg) by vehicle prefix, powertrain, size, component and material.
    fn comp_value(&self, pred: impl Fn(&Row) -> bool, what: &str) -> Result<Sourced, TansoError> {
        self.comp
            .iter()
            .find(|r| pred(r))
            .and_then(|r| {
                Some(Sourced {
                    parameter: what.to_string(),
                    value: get(r, "value").parse::<f64>().ok()?,
                    unit: get(r, "unit").to_string(),
                    status: get(r, "status").to_string(),
                    source: format!("{} [core/data/vehicle_composition.csv]", get(r, "source")),
                })
            })
            .ok_or_else(|| bad("vehicle_composition.csv", what))
    }

    /// GREET material fractions of a component, mapped onto the model's materials.
    fn fractions(&self, powertrain: &str, component: &str) -> Result<[f64; N], TansoError> {
        let mut out = [0.0; N];
        let mut found = false;
        for r in &self.comp {
            if get(r, "powertrain") != powertrain || get(r, "component") != component || !get(r, "unit").starts_with("kg/kg") {
                continue;
            }
            let Some(ix) = MaterialIx::from_greet(get(r, "material")) else { continue };
            let v = get(r, "value").parse::<f64>().map_err(|_| bad("vehicle_composition.csv", component))?;
            out[ix as usize] += v;
            found = true;
        }
        if !found {
            return Err(bad("vehicle_composition.csv", &format!("{powertrain}/{component}")));
        }
        Ok(out)
    }
}

fn build() -> Result<Defaults, TansoError> {
    let t = Tables { comp: parse(COMPOSITION_CSV), uses: parse(USE_CSV), defs: parse(DEFAULTS_CSV) };
    let glider_of = |label: &str| {
        t.comp_value(
            |r| get(r, "material") == "glider base mass" && get(r, "size_class") == label,
            &format!("glider base mass ({label})"),
        )
    };
    let mut glider: [Option<Sourced>; 8] = Default::default();
    for (i, s) in SIZES.iter().enumerate() {
        glider[i] = match s.label {
            "Small" | "Medium" | "Large" | "Medium SUV" | "Large SUV" => Some(glider_of(s.label)?),
            "Lower medium" => Some(t.def("glider base mass", "all", "rule: mean")?),
            _ => None,
        };
    }
    let lw = |pt: &str, size: &str| {
        t.comp_value(
            |r| get(r, "material") == "lightweighting share of glider base mass" && get(r, "powertrain") == pt && get(r, "size_class") == size,
            &format!("lightweighting share of glider base mass ({pt}, {size})"),
        )
    };
    let share = |pt: &str, note: &str| -> Result<f64, TansoError> { Ok(t.def("component share of vehicle mass", pt, note)?.value) };
    let curb = |pt: &str| {
        t.comp_value(
            |r| get(r, "material") == "curb mass excluding traction battery" && get(r, "powertrain") == pt,
            &format!("curb mass excluding traction battery ({pt}, GREET mid-size)"),
        )
    };
    let size3 = ["Small", "Medium", "Large SUV"];
    let ttw_of = |pt: &str| -> Result<[Sourced; 3], TansoError> {
        Ok([t.use_row("tank-to-wheel energy", pt, size3[0])?, t.use_row("tank-to-wheel energy", pt, size3[1])?, t.use_row("tank-to-wheel energy", pt, size3[2])?])
    };
    let capacity = |pt: &str| {
        t.comp_value(
            |r| get(r, "material") == "battery capacity" && get(r, "powertrain") == pt,
            &format!("traction battery capacity ({pt}, GREET mid-size)"),
        )
    };
    let gaps = t
        .defs
        .iter()
        .filter(|r| get(r, "status") == "missing")
        .map(|r| format!("{} ({}, {}): {}; {}", get(r, "parameter"), get(r, "powertrain"), get(r, "size_class"), get(r, "source"), get(r, "notes")))
        .collect();
    Ok(Defaults {
        glider,
        lw_ice: lw("ICEV/HEV/PHEV/FCEV", "all")?,
        lw_bev_small: lw("BEV", "Small/Medium/Medium SUV")?,
        lw_bev_large: lw("BEV", "Large")?,
        lw_bev_large_suv: lw("BEV", "Large SUV")?,
        body: t.fractions("ICEV/HEV/PHEV/BEV/FCEV (same)", "Body")?,
        chassis: t.fractions("ICEV/HEV/PHEV/BEV/FCEV (same)", "Chassis (w/o battery)")?,
        ice_powertrain: t.fractions("ICEV", "Powertrain system (engine, fuel, exhaust, cooling)")?,
        bev_powertrain: t.fractions("BEV", "Powertrain system (BEV: non-motor powertrain parts)")?,
        fc_system: t.fractions("FCEV", "Powertrain system (fuel cell system)")?,
        trans_ice: t.fractions("ICEV", "Transmission")?,
        trans_ev: t.fractions("HEV/PHEV/BEV/FCEV", "Transmission")?,
        motor: t.fractions("HEV/PHEV/BEV/FCEV", "Traction motor (and generator)")?,
        controller: t.fractions("HEV/PHEV/BEV/FCEV", "Electronic controller (power electronics)")?,
        shares: [
            Shares { powertrain: share("ICEV", "Powertrain")?, transmission: share("ICEV", "Transmission")?, chassis: share("ICEV", "Chassis")?, motor: 0.0, controller: 0.0 },
            Shares { powertrain: share("HEV", "Powertrain")?, transmission: share("HEV", "Transmission")?, chassis: share("HEV", "Chassis")?, motor: share("HEV", "Traction")?, controller: share("HEV", "Electronic")? },
            Shares { powertrain: share("PHEV", "Powertrain")?, transmission: share("PHEV", "Transmission")?, chassis: share("PHEV", "Chassis")?, motor: share("PHEV", "Traction")?, controller: share("PHEV", "Electronic")? },
            Shares { powertrain: share("BEV", "Powertrain")?, transmission: share("BEV", "Transmission")?, chassis: share("BEV", "Chassis")?, motor: share("BEV", "Traction")?, controller: share("BEV", "Electronic")? },
            Shares { powertrain: 0.0, transmission: share("FCEV", "Transmission")?, chassis: share("FCEV", "Chassis")?, motor: share("FCEV", "Traction")?, controller: share("FCEV", "Electronic")? },
        ],
        curb: [curb("ICEV")?, curb("HEV")?, curb("PHEV (20 mi range)")?, curb("BEV (300 mi range)")?, curb("FCEV")?],
        ttw: [ttw_of("ICEV-p")?, ttw_of("ICEV-d")?, ttw_of("HEV-p")?],
        bev_kwh: [
            t.use_row("electricity consumption at plug", "BEV", size3[0])?,
            t.use_row("electricity consumption at plug", "BEV", size3[1])?,
            t.use_row("electricity consumption at plug", "BEV", size3[2])?,
        ],
        uf: [
            t.use_row("PHEV electric utility factor", "PHEV-p", size3[0])?,
            t.use_row("PHEV electric utility factor", "PHEV-p", size3[1])?,
            t.use_row("PHEV electric utility factor", "PHEV-p", size3[2])?,
        ],
        losses_cn: t.use_geo("cumulative grid losses to low voltage", "CN")?,
        losses_eu: t.use_geo("cumulative grid losses to low voltage", "RER (Europe)")?,
        lifetime_km: t.use_row("lifetime distance", "all", "all")?,
        annual_km: t.use_row("annual distance", "all", "all")?,
        bev_battery_kwh: capacity("BEV (300 mi range)")?,
        phev_battery_kwh: t.def("traction battery capacity", "PHEV", "PHEV 20")?,
        pack_kwh_per_kg: t.comp_value(|r| get(r, "material").starts_with("pack specific energy"), "pack specific energy (Li-ion NMC, BEV)")?,
        assembly: t.def("vehicle assembly GHG", "all", "")?,
        wtt_petrol: t.def("fuel supply (well-to-tank) petrol", "petrol/HEV/PHEV", "")?,
        wtt_diesel: t.def("fuel supply (well-to-tank) diesel", "diesel", "")?,
        ratio_steel: t.def("background ratio 2040/2020 steel", "all", "")?,
        ratio_primary_al: t.def("background ratio 2040/2020 primary aluminium", "all", "")?,
        ratio_copper: t.def("background ratio 2040/2020 copper", "all", "")?,
        battery_2040: t.def("battery pack GHG 2040", "BEV/PHEV", "")?,
        fossil_cn: [
            t.def("China grid fossil (coal + gas) generation share", "BEV/PHEV", "2020")?,
            t.def("China grid fossil (coal + gas) generation share", "BEV/PHEV", "2030")?,
            t.def("China grid fossil (coal + gas) generation share", "BEV/PHEV", "2040")?,
            t.def("China grid fossil (coal + gas) generation share", "BEV/PHEV", "2050")?,
        ],
        recycled_wrought: t.def("recycled share implied by GREET average wrought aluminium", "all", "")?,
        recycled_cast: t.def("recycled share implied by GREET average cast aluminium", "all", "")?,
        gaps,
    })
}

/// The parsed defaults (parsed at first use).
pub(crate) fn defaults() -> Result<&'static Defaults, TansoError> {
    static D: OnceLock<Result<Defaults, TansoError>> = OnceLock::new();
    D.get_or_init(build).as_ref().map_err(Clone::clone)
}

/// Index of a powertrain in the GREET family arrays (0 ICEV, 1 HEV, 2 PHEV, 3 BEV, 4 FCEV).
pub(crate) fn family(powertrain: usize) -> usize {
    match POWERTRAINS[powertrain].code {
        "petrol" | "diesel" => 0,
        "hev" => 1,
        "phev" => 2,
        "bev" => 3,
        _ => 4,
    }
}
