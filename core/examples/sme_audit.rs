//! The dual-focus audit of an SME: a Zhejiang auto-parts maker (the illustrative company of
//! `company_inventory`) that stamps brake-caliper brackets and makes high-tensile bolts in
//! Ningbo, and ships the bolts to the EU (CN 7318 15, a CBAM good).
//!
//! Its supplier network: hot-rolled coil from a Tangshan (Hebei) mill and a Zhangjiagang
//! (Jiangsu) mill, wire rod for the bolts from Tangshan only, zinc-nickel plating from one
//! shop in the Ningbo cluster, all Hebei steel by rail through one corridor. The options: a
//! second wire-rod source in Zhejiang (scrap-EAF), a recycled-content coil supplier, moving
//! the bolt steel to an EU mill, and a second plating shop.
//!
//! Every supplier number here is illustrative (the kind an SME collects from its suppliers),
//! not data that tanso ships; transport intensities are the user's. The Scope 1/2/3 baseline
//! is the `company_inventory` example run through the inventory core.
//!
//! ```sh
//! cargo run -p tanso --example sme_audit
//! ```

use serde_json::{json, Value};

const INVENTORY: &str = include_str!("company_inventory.json");

#[allow(clippy::too_many_arguments)] // one supplier row of the example, positional like a table
fn supplier(id: &str, province: &str, cluster: &str, share: &str, kg: &str, price: &str, days: &str, legs: Value) -> Value {
    json!({"id": id, "country": "CN", "province": province, "cluster": cluster, "share": share,
           "kg_co2e_per_unit": kg, "value_per_unit": price, "lead_time_days": days,
           "emission_data": "primary", "transport": legs})
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rail_hebei = json!([{"mode": "rail", "distance_km": "1450", "corridor": "Beijing–Shanghai rail"},
                            {"mode": "road", "distance_km": "60"}]);
    let network = json!({
        // kg CO2e per t·km: the company's own choice (tanso bundles no GLEC defaults).
        "transport_intensities": {"road": "0.11", "rail": "0.028", "sea": "0.012"},
        "products": [
            {"id": "caliper bracket", "annual_units": "400000", "value_per_unit": "18",
             "components": [{"component": "hot-rolled coil", "quantity": "1.6"},
                            {"component": "plating", "quantity": "1"}],
             // Stamping and welding in Ningbo, through product_footprint on the Zhejiang grid.
             "bom": {"product": {"id": "bracket own processes"}, "geography": "CN-ZJ", "year": 2022,
                     "processes": [{"name": "stamping, welding", "electricity_kwh": 0.9, "grid_geography": "CN-ZJ"}]}},
            {"id": "M12 bolt", "annual_units": "2000000", "value_per_unit": "0.9",
             "components": [{"component": "wire rod", "quantity": "0.11"},
                            {"component": "plating", "quantity": "0.05"}],
             "own_kg_co2e_per_unit": "0.045",
             "cbam": {"cn_code": "7318 15 00", "country": "CN", "mass_t_per_unit": "0.0001", "basis": "actual",
                      "eu_units": "1500000", "quarter": 2,
                      "benchmark": {"value": "1.37", "column": "B", "source": "illustrative: the hot-rolled coil route C benchmark used as a stand-in; tanso bundles none for CN 7318"}}}
        ],
        "components": [
            {"id": "hot-rolled coil", "mass_kg_per_unit": "1", "suppliers": [
                supplier("tangshan mill", "Hebei", "Tangshan steel", "0.8", "2.2", "4.1", "18", rail_hebei.clone()),
                supplier("zhangjiagang mill", "Jiangsu", "Zhangjiagang steel", "0.2", "1.9", "4.3", "7",
                         json!([{"mode": "road", "distance_km": "330"}]))]},
            {"id": "wire rod", "mass_kg_per_unit": "1", "suppliers": [
                supplier("tangshan wire", "Hebei", "Tangshan steel", "1", "2.3", "4.6", "20", rail_hebei.clone())]},
            {"id": "plating", "mass_kg_per_unit": "0", "suppliers": [
                {"id": "beilun plating", "country": "CN", "province": "Zhejiang", "cluster": "Ningbo auto parts",
                 "share": "1", "capacity": "3000000", "kg_co2e_per_unit": "0.08", "value_per_unit": "0.6",
                 "lead_time_days": "2", "emission_data": "default"}]}
        ]
    });
    let options = json!([
        {"id": "second wire-rod source (Zhejiang EAF)", "cost_per_year": "60000",
         "description": "40% of wire rod from a scrap-EAF mill in Hangzhou",
         "changes": [{"component": "wire rod", "add": supplier("hangzhou eaf", "Zhejiang", "Hangzhou steel", "0.4", "0.7", "4.9", "6",
                                                               json!([{"mode": "road", "distance_km": "160"}]))}]},
        {"id": "recycled-content coil", "cost_per_year": "120000",
         "description": "half the coil from a Jiangsu supplier with 60% scrap",
         "changes": [{"component": "hot-rolled coil", "add": supplier("changzhou recycled", "Jiangsu", "Changzhou steel", "0.5", "1.1", "4.5", "8",
                                                                      json!([{"mode": "road", "distance_km": "280"}]))}]},
        {"id": "bolt steel from an EU mill", "cost_per_year": "150000",
         "description": "all wire rod from a German EAF mill, by sea",
         "changes": [{"component": "wire rod", "add": {"id": "duisburg eaf", "country": "DE", "province": "NRW", "share": "1",
                      "kg_co2e_per_unit": "0.6", "value_per_unit": "6.2", "lead_time_days": "45", "emission_data": "primary",
                      "transport": [{"mode": "road", "distance_km": "220"}, {"mode": "sea", "distance_km": "20000", "corridor": "Suez"}, {"mode": "road", "distance_km": "40"}]}},
                     {"component": "wire rod", "remove": "tangshan wire"}]},
        {"id": "second plating shop", "description": "30% of plating to a Taizhou shop (no cost quoted yet)",
         "changes": [{"component": "plating", "add": {"id": "taizhou plating", "country": "CN", "province": "Zhejiang", "cluster": "Taizhou auto parts",
                      "share": "0.3", "kg_co2e_per_unit": "0.09", "value_per_unit": "0.62", "lead_time_days": "3"}}]}
    ]);
    let inventory: Value = serde_json::from_str(INVENTORY)?;
    let out = tanso::api::call("supply_audit", json!({
        "company": "Zhejiang Example Auto Parts Co., Ltd. (illustrative)",
        "network": network, "options": options, "inventory": inventory,
        "disruptions": [{"id": "Hebei lost (flood, rail cut)", "region": "CN/Hebei"},
                        {"id": "Ningbo plating shop closed", "supplier": "beilun plating"}]}))?;
    println!("{}", out["markdown"].as_str().unwrap_or_default());
    Ok(())
}
