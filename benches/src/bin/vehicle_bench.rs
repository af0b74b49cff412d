//! Times tanso's vehicle model on one core and prints JSON: single evaluations per second
//! (a medium BEV against the petrol car of the same size, through the typed API, the year and
//! a lever changing each time, as a slider moves), the same through the JSON document API
//! (`tanso::api::call("vehicle", …)`, what the bindings call), and the whole grid (every size ×
//! powertrain × 2020–2050 × CN and EU) in one `vehicle_grid` call.
//!
//! Usage: `vehicle_bench` (no arguments). `benches/vehicle_compare.py` runs it beside
//! carculator and the WASM build.

use std::time::Instant;

use serde_json::json;
use tanso_benches::median;

fn doc(i: usize) -> serde_json::Value {
    json!({
        "size": "medium", "powertrain": "bev", "region": "CN", "year": 2020 + (i % 31),
        "levers": {"recycled_aluminium_share": (i % 100) as f64 / 100.0, "green_steel_share": 0.2},
        "versus": {"powertrain": "petrol"}
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // (a) through the document API, as a binding calls it
    for i in 0..200 {
        tanso::api::call("vehicle", doc(i))?;
    }
    let mut singles = Vec::new();
    for _ in 0..5 {
        let n = 2000;
        let docs: Vec<_> = (0..n).map(doc).collect();
        let t = Instant::now();
        for d in docs {
            std::hint::black_box(tanso::api::call("vehicle", d)?);
        }
        singles.push(n as f64 / t.elapsed().as_secs_f64());
    }
    // (a') the same through the typed Rust API (no JSON)
    let mut typed = Vec::new();
    for _ in 0..5 {
        let n = 2000;
        let inputs: Vec<tanso::vehicle::VehicleInput> =
            (0..n).map(|i| serde_json::from_value(doc(i))).collect::<Result<_, _>>()?;
        let t = Instant::now();
        for i in &inputs {
            std::hint::black_box(tanso::vehicle::evaluate(i)?);
        }
        typed.push(n as f64 / t.elapsed().as_secs_f64());
    }
    // (b) the whole grid in one call
    let mut grid = Vec::new();
    let mut rows = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let out = tanso::api::call("vehicle_grid", json!({"regions": ["CN", "EU"], "years": {"from": 2020, "to": 2050}}))?;
        grid.push(t.elapsed().as_secs_f64());
        rows = out["rows"].as_array().map_or(0, Vec::len);
    }
    println!("{}", json!({"single_per_s": median(singles), "typed_per_s": median(typed), "grid_rows": rows, "grid_s": median(grid)}));
    Ok(())
}
