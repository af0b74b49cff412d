//! The footprint of a small electric motor from its bill of materials: steel laminations and
//! shaft inside a purchased stator, a cast aluminium housing, copper windings, bearings with
//! the supplier's own PCF; the steel and aluminium shares, and how they move with recycled
//! content, the steel route and the grid of the aluminium smelter.
//!
//! ```sh
//! cargo run -p tanso --example product_footprint
//! ```
//!
//! Every number without a named source below is an illustrative input of this example (masses,
//! kWh, distances, the supplier PCF, the smelter's kWh per kg), not library data.

use serde_json::json;
use tanso::product::{footprint, ProductInput};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let doc = json!({
        "product": {"id": "motor-1.5kW", "name": "1.5 kW induction motor", "declared_unit": "1 piece"},
        "geography": "CN", "year": 2022,
        "parts": [
            {"id": "stator", "supplier": "Ningbo Lamination Co.", "parts": [
                {"id": "laminations", "materials": [
                    {"material": "steel", "route": "bf_bof", "form": "cold_rolled", "mass_kg": 6.0,
                     "yield": 0.7, "recycled_content": "0.15"}],
                 "processes": [{"name": "stamping", "electricity_kwh": 2.5}]},
                {"id": "winding", "materials": [
                    {"material": "copper", "route": "market", "form": "cathode", "mass_kg": 2.2}]}],
             "transport": [{"mode": "road", "distance_km": 180, "kg_co2e_per_tkm": 0.1}]},
            {"id": "housing", "materials": [
                {"material": "aluminium", "route": "primary", "form": "ingot", "mass_kg": 3.0, "yield": 0.85}],
             "processes": [{"name": "die casting", "electricity_kwh": 4.0}]},
            {"id": "shaft", "materials": [
                {"material": "steel", "route": "bf_bof", "form": "hot_rolled", "mass_kg": 1.1, "yield": 0.8}]},
            {"id": "bearings", "quantity": 2, "supplier": "Bearing Supplier Ltd.",
             "supplier_pcf": {"total_kg_co2e": "0.9", "primary_data_share": "70",
                              "dqr": {"technological": "2", "temporal": "1", "geographical": "1",
                                      "completeness": "2", "reliability": "2"}}}
        ],
        "processes": [{"name": "assembly and test", "electricity_kwh": 3.0}],
        "sensitivity_sweep": true,
        "sensitivity": [
            {"name": "steel 100% scrap-EAF", "changes": [{"target": "steel", "recycled_content": "1"}]},
            {"name": "smelter on the CN grid, 14 kWh/kg + 2 kg CO2e/kg other",
             "changes": [{"target": "aluminium", "smelter": {"kwh_per_kg": "14",
                          "non_electricity_kg_co2e_per_kg": "2", "grid_geography": "CN"}}]},
            {"name": "smelter on hydro (0.02 kg CO2e/kWh)",
             "changes": [{"target": "aluminium", "smelter": {"kwh_per_kg": "14",
                          "non_electricity_kg_co2e_per_kg": "2", "grid_kg_co2e_per_kwh": "0.02"}}]}
        ]
    });
    let input: ProductInput = serde_json::from_value(doc)?;
    // A route change that also changes form and region (the only verified secondary aluminium
    // is GREET's US recycled cast aluminium) is computed as a separate product.
    let housing_alt = {
        let mut i = input.clone();
        i.sensitivity.clear();
        i.parts[1].materials[0].route = Some("secondary".into());
        i.parts[1].materials[0].form = Some("cast".into());
        i.parts[1].materials[0].geography = Some("US".into());
        footprint(&i)?
    };
    let r = footprint(&input)?;

    println!("{} — {}", r.report.product, r.report.declared_unit);
    println!("total            {:>10} kg CO2e ({})", r.total_kg_co2e, r.report.system_boundary);
    println!("production       {:>10} kg CO2e", r.production_kg_co2e);
    println!("fossil / biogenic / dLUC / aircraft: {} / {} / {} / {}", r.report.fossil_kg_co2e, r.report.biogenic_kg_co2e, r.report.dluc_kg_co2e, r.report.aircraft_kg_co2e);
    println!("\nby stage");
    for (k, v) in &r.by_stage {
        println!("  {k:<16} {:>10}", v.0);
    }
    println!("by part (direct / incl. sub-parts)");
    for p in &r.by_part {
        println!("  {:<12} {:>10} {:>10}  {}{}", p.part, p.direct_kg_co2e, p.total_kg_co2e, p.data, p.supplier.as_ref().map(|s| format!(" ({s})")).unwrap_or_default());
    }
    println!("by material");
    for (k, v) in &r.by_material {
        println!("  {k:<12} {:>10}", v.0);
    }
    println!("by supplier");
    for (k, v) in &r.by_supplier {
        println!("  {k:<24} {:>10}", v.0);
    }
    println!("\nshares of production emissions: steel {}%, aluminium {}%, rest {}%", r.shares.steel_percent, r.shares.aluminium_percent, r.shares.rest_percent);
    println!("primary-data share {}%, DQR coverage {}%", r.report.primary_data_share, r.report.dqr.coverage_percent.unwrap_or_default());
    println!("\nsensitivity                                         total   steel%   alu%   rest%");
    for s in &r.sensitivity {
        println!("  {:<48} {:>8} {:>8} {:>6} {:>7}", s.name, s.total_kg_co2e, s.shares.steel_percent, s.shares.aluminium_percent, s.shares.rest_percent);
    }
    println!("  {:<48} {:>8} {:>8} {:>6} {:>7}", "housing: secondary cast aluminium (GREET, US)", housing_alt.total_kg_co2e, housing_alt.shares.steel_percent, housing_alt.shares.aluminium_percent, housing_alt.shares.rest_percent);
    println!("\nnotes");
    for n in &r.report.notes {
        println!("  - {n}");
    }
    Ok(())
}
