#![allow(clippy::expect_used, clippy::unwrap_used)]
//! The tables of `docs/vehicles.md` are computed here: the test fails when the doc and the model
//! drift apart. `TANSO_BLESS=1 cargo test -p tanso --test vehicle_doc` rewrites the tables
//! (between `<!-- vehicles:NAME -->` and `<!-- /vehicles:NAME -->`) from the model.

use std::fmt::Write;

use tanso::vehicle::{evaluate, Levers, Overrides, VehicleInput, VehicleOutput, Versus};

fn car(size: &str, pt: &str, region: &str, year: i32) -> VehicleInput {
    VehicleInput { size: size.into(), powertrain: pt.into(), region: region.into(), year, ..Default::default() }
}

fn eval(i: &VehicleInput) -> VehicleOutput {
    evaluate(i).unwrap()
}

fn steel_al(o: &VehicleOutput) -> f64 {
    o.production.shares.steel + o.production.shares.aluminium
}

const SIZES: [&str; 8] = ["mini", "small", "lower_medium", "medium", "medium_suv", "large", "large_suv", "van"];
const PTS: [&str; 5] = ["petrol", "diesel", "hev", "phev", "bev"];

fn china_medium() -> String {
    let mut s = String::from("| car (China, medium, produced 2021) | production t CO2e | production g/km | fuel or electricity supply g/km | exhaust g/km | total g/km | vs petrol |\n|---|---|---|---|---|---|---|\n");
    let petrol = eval(&car("medium", "petrol", "CN", 2021)).g_per_km.total;
    let mut rows: Vec<(String, VehicleInput)> = PTS.iter().map(|p| (p.to_string(), car("medium", p, "CN", 2021))).collect();
    let mut bev100 = car("medium", "bev", "CN", 2021);
    bev100.overrides = Overrides { battery_kwh: Some(27.0), ..Default::default() };
    rows.push(("bev, 27 kWh (GREET BEV100)".into(), bev100));
    let mut bev300 = car("medium", "bev", "CN", 2021);
    bev300.overrides = Overrides { battery_kwh: Some(84.0), ..Default::default() };
    rows.push(("bev, 84 kWh (GREET BEV300)".into(), bev300));
    let mut st = car("medium", "bev", "CN", 2021);
    st.grid_mode = Some("static".into());
    rows.push(("bev, 2021 grid held for every year of use (grid_mode static)".into(), st));
    let mut lc = car("medium", "bev", "CN", 2021);
    lc.levers.grid_factor = Some(0.6205);
    lc.overrides.grid_losses = Some(1.0);
    rows.push(("bev, grid 0.6205 kg CO2e/kWh life-cycle (MEE 2023 carbon footprint, incl. T&D)".into(), lc));
    for (name, i) in rows {
        let o = eval(&i);
        let g = o.g_per_km;
        let _ = writeln!(
            s,
            "| {name} | {:.1} | {:.0} | {:.0} | {:.0} | {:.0} | {:+.0}% |",
            o.production.total_kg_co2e / 1000.0,
            g.production,
            g.fuel_or_electricity_supply,
            g.exhaust,
            g.total,
            (g.total / petrol - 1.0) * 100.0
        );
    }
    s
}

fn shares() -> String {
    let mut s = String::from("| size (glider base kg) | petrol | diesel | hev | phev | bev |\n|---|---|---|---|---|---|\n");
    for size in SIZES {
        let first = eval(&car(size, "petrol", "CN", 2021));
        let glider = first.mass_kg.components.iter().find(|c| c.component == "glider").map(|c| c.mass_kg).unwrap_or(0.0);
        let _ = write!(s, "| {size} ({:.0} after lightweighting) |", glider);
        for pt in PTS {
            let o = eval(&car(size, pt, "CN", 2021));
            let _ = write!(s, " {:.0}% ({:.0} + {:.0}) |", steel_al(&o) * 100.0, o.production.shares.steel * 100.0, o.production.shares.aluminium * 100.0);
        }
        s.push('\n');
    }
    s
}

fn sensitivity() -> String {
    type Tweak = fn(&mut VehicleInput);
    let cases: Vec<(&str, Tweak)> = vec![
        ("defaults (CN use and production, 2021)", |_| {}),
        ("materials made in the EU (aluminium: IAI EU27&EFTA primary ingot, carculator)", |i| i.production_region = Some("EU".into())),
        ("primary aluminium only (recycled share 0)", |i| i.levers.recycled_aluminium_share = Some(0.0)),
        ("half recycled aluminium (0.5, wrought and cast)", |i| i.levers.recycled_aluminium_share = Some(0.5)),
        ("half recycled wrought aluminium, cast at its default 0.85", |i| i.levers.recycled_aluminium_wrought_share = Some(0.5)),
        ("all aluminium recycled (wrought and cast 1.0)", |i| i.levers.recycled_aluminium_share = Some(1.0)),
        ("GREET US average aluminium (wrought 7.521, cast 3.033 kg/kg)", |i| {
            i.overrides.material_factors.insert("aluminium_wrought".into(), 7.521);
            i.overrides.material_factors.insert("aluminium_cast".into(), 3.033);
        }),
        ("half green (scrap-EAF) steel", |i| i.levers.green_steel_share = Some(0.5)),
        ("battery 120 kg CO2e/kWh (median of 50 LCAs, Aichberger & Jungmeier 2020)", |i| i.overrides.battery_kg_co2e_per_kwh = Some(120.0)),
        ("battery 24 kg CO2e/kWh (carculator 2040, SSP2-NPi)", |i| i.overrides.battery_kg_co2e_per_kwh = Some(24.0)),
        ("cells made on the EU grid at 50 kWh/kWh (lower end of Davidsson Kurland 2020's 50–65)", |i| {
            i.overrides.battery_cell_region = Some("EU".into());
            i.overrides.cell_electricity_kwh_per_kwh = Some(50.0);
        }),
        ("battery 27 kWh (GREET BEV100) instead of carculator's", |i| {
            if i.powertrain == "bev" {
                i.overrides.battery_kwh = Some(27.0)
            }
        }),
        ("materials only (assembly left out)", |i| i.overrides.assembly_kg_co2e = Some(0.0)),
        ("production year 2040 (background scenario)", |i| i.year = 2040),
    ];
    let mut s = String::from("| assumption | petrol medium | bev medium | petrol large SUV | bev large SUV |\n|---|---|---|---|---|\n");
    for (name, tweak) in cases {
        let _ = write!(s, "| {name} |");
        for (size, pt) in [("medium", "petrol"), ("medium", "bev"), ("large_suv", "petrol"), ("large_suv", "bev")] {
            let mut i = car(size, pt, "CN", 2021);
            tweak(&mut i);
            let _ = write!(s, " {:.0}% |", steel_al(&eval(&i)) * 100.0);
        }
        s.push('\n');
    }
    s
}

fn break_even() -> String {
    let mut s = String::from("| region of use | 2020 | 2030 | 2040 | 2050 |\n|---|---|---|---|---|\n");
    for region in ["CN", "EU", "CN-YN", "CN-HE", "CN-GRID-SOUTHWEST"] {
        let _ = write!(s, "| {region} |");
        for year in [2020, 2030, 2040, 2050] {
            let mut i = car("medium", "bev", region, year);
            i.versus = Some(Versus { powertrain: "petrol".into(), size: None });
            let o = eval(&i);
            let c = o.comparison.unwrap_or_else(|| panic!("comparison"));
            match c.break_even_km {
                Some(km) => {
                    let _ = write!(s, " {:.0} km ({:+.0}%) |", (km / 1000.0).round() * 1000.0, c.lifecycle_difference * 100.0);
                }
                None => s.push_str(" never |"),
            }
        }
        s.push('\n');
    }
    let _ = Levers::default();
    s
}

fn example(op: &str, input: &str) -> String {
    let out = tanso::api::call_json(op, input).unwrap();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let i: serde_json::Value = serde_json::from_str(input).unwrap();
    format!(
        "Input of `{op}`:\n```json\n{}\n```\nOutput:\n```json\n{}\n```\n",
        serde_json::to_string_pretty(&i).unwrap(),
        serde_json::to_string_pretty(&v).unwrap()
    )
}

fn tables() -> Vec<(&'static str, String)> {
    vec![
        ("china-medium", china_medium()),
        ("shares", shares()),
        ("sensitivity", sensitivity()),
        ("break-even", break_even()),
        (
            "example-vehicle",
            example(
                "vehicle",
                r#"{"size": "medium", "powertrain": "bev", "region": "CN", "year": 2021, "levers": {"recycled_aluminium_share": 0.3}, "versus": {"powertrain": "petrol"}}"#,
            ),
        ),
        (
            "example-grid",
            example(
                "vehicle_grid",
                r#"{"sizes": ["medium"], "powertrains": ["petrol", "bev"], "regions": ["CN", "EU"], "years": {"from": 2030, "to": 2030}, "baseline": "petrol"}"#,
            ),
        ),
        ("example-defaults", example("vehicle_defaults", "{}")),
    ]
}

#[test]
fn doc_tables_are_the_model_numbers() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/vehicles.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let mut new = doc.clone();
    for (name, table) in tables() {
        let open = format!("<!-- vehicles:{name} -->\n");
        let close = format!("<!-- /vehicles:{name} -->");
        let a = new.find(&open).unwrap_or_else(|| panic!("marker {open} missing")) + open.len();
        let b = new.find(&close).unwrap_or_else(|| panic!("marker {close} missing"));
        new.replace_range(a..b, &table);
    }
    if std::env::var("TANSO_BLESS").is_ok() {
        std::fs::write(path, &new).unwrap();
    } else {
        assert!(doc == new, "docs/vehicles.md tables differ from the model; run TANSO_BLESS=1 cargo test -p tanso --test vehicle_doc\n{new}");
    }
}
