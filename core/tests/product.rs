#![allow(clippy::expect_used, clippy::unwrap_used)]
//! Property tests of product footprints: allocation factors sum to one, steel/aluminium/rest
//! shares sum to 100 %, a product without steel has a 0 % steel share, and totals equal the
//! sum of their contributions (by stage, by supplier, by part, by origin).

use proptest::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{json, Value};
use tanso::product::{footprint, Footprint, ProductInput};

fn run(doc: Value) -> Footprint {
    let input: ProductInput = serde_json::from_value(doc).unwrap();
    footprint(&input).unwrap()
}

fn f(d: rust_decimal::Decimal) -> f64 {
    d.to_f64().unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-5 * (1.0 + a.abs().max(b.abs()))
}

/// A BOM: parts with a steel, aluminium or copper line, some inside a purchased sub-assembly.
fn bom() -> impl Strategy<Value = Value> {
    let line = (0usize..3, 0.01f64..50.0, 0.5f64..1.0, 0.0f64..1.0).prop_map(|(m, kg, y, rc)| match m {
        0 => json!({"material": "steel", "route": "bf_bof", "form": "crude", "mass_kg": kg, "yield": y, "recycled_content": format!("{:.3}", rc)}),
        1 => json!({"material": "aluminium", "form": "wrought", "geography": "US", "mass_kg": kg, "yield": y, "recycled_content": format!("{:.3}", rc)}),
        _ => json!({"material": "copper", "route": "market", "form": "cathode", "mass_kg": kg}),
    });
    (prop::collection::vec((line, 0.0f64..20.0, proptest::bool::ANY, 1u32..4), 1..6), 0.0f64..30.0).prop_map(|(parts, kwh)| {
        let parts: Vec<Value> = parts
            .into_iter()
            .enumerate()
            .map(|(i, (l, e, nested, q))| {
                if nested {
                    json!({"id": format!("asm{i}"), "quantity": q, "supplier": format!("S{}", i % 2),
                           "parts": [{"id": format!("p{i}"), "materials": [l],
                                      "processes": [{"name": "forming", "electricity_kwh": e, "grid_kg_co2e_per_kwh": 0.6}]}],
                           "transport": [{"mode": "road", "distance_km": 100.0 * e, "kg_co2e_per_tkm": 0.1}]})
                } else {
                    json!({"id": format!("p{i}"), "quantity": q, "materials": [l]})
                }
            })
            .collect();
        json!({"product": {"id": "x"}, "parts": parts,
               "processes": [{"name": "assembly", "electricity_kwh": kwh, "grid_kg_co2e_per_kwh": 0.5}]})
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn shares_sum_to_100_and_totals_are_sums(doc in bom()) {
        let r = run(doc.clone());
        let s = &r.shares;
        prop_assert_eq!(s.steel_percent + s.aluminium_percent + s.rest_percent, rust_decimal::Decimal::ONE_HUNDRED);
        prop_assert!(s.rest_percent >= rust_decimal::Decimal::ZERO);
        let total = f(r.total_kg_co2e);
        let stages: f64 = r.by_stage.values().map(|d| f(d.0)).sum();
        prop_assert!(close(stages, total), "stages {} total {}", stages, total);
        let suppliers: f64 = r.by_supplier.values().map(|d| f(d.0)).sum();
        prop_assert!(close(suppliers, total));
        let origins = f(r.by_origin["fossil"].0) + f(r.by_origin["biogenic"].0) + f(r.by_origin["dluc"].0) + f(r.by_origin["aircraft"].0);
        prop_assert!(close(origins, total));
        // every part's direct contribution + the assembly process = total
        let direct: f64 = r.by_part.iter().map(|p| f(p.direct_kg_co2e)).sum();
        let asm = doc["processes"][0]["electricity_kwh"].as_f64().unwrap() * 0.5;
        prop_assert!(close(direct + asm, total), "direct {} + assembly {} vs {}", direct, asm, total);
        // top-level part totals (engine upstream) + the assembly process = total
        let tops: Vec<String> = doc["parts"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
        let top_sum: f64 = r.by_part.iter().filter(|p| tops.contains(&p.part)).map(|p| f(p.total_kg_co2e)).sum();
        prop_assert!(close(top_sum + asm, total), "parts {} + assembly {} vs {}", top_sum, asm, total);
        let lines: f64 = r.by_material_line.iter().map(|l| f(l.production_kg_co2e)).sum();
        // steel + aluminium + rest = production emissions
        prop_assert!(close(f(s.steel_kg_co2e) + f(s.aluminium_kg_co2e) + f(s.rest_kg_co2e), f(r.production_kg_co2e)));
        let copper: f64 = r.by_material_line.iter().filter(|l| l.class == "copper").map(|l| f(l.production_kg_co2e)).sum();
        prop_assert!(close(f(s.steel_kg_co2e) + f(s.aluminium_kg_co2e) + copper, lines));
    }

    #[test]
    fn no_steel_means_zero_steel_share(kg in 0.1f64..10.0, kwh in 0.0f64..10.0) {
        let r = run(json!({"product": {"id": "x"}, "parts": [{"id": "a", "materials": [{"material": "aluminium", "mass_kg": kg}],
            "processes": [{"name": "m", "electricity_kwh": kwh, "grid_kg_co2e_per_kwh": 0.5}]}]}));
        prop_assert_eq!(r.shares.steel_percent, rust_decimal::Decimal::ZERO);
        prop_assert_eq!(r.shares.steel_kg_co2e, rust_decimal::Decimal::ZERO);
    }

    #[test]
    fn allocation_factors_sum_to_one(main in 0.01f64..100.0, co in prop::collection::vec(0.0f64..100.0, 1..5), method in 0usize..3) {
        let (m, key) = [("mass", "mass_kg"), ("economic", "economic_value"), ("physical", "MJ")][method];
        let cos: Vec<Value> = co.iter().enumerate().map(|(i, v)| if m == "physical" {
            json!({"id": format!("c{i}"), "properties": {"MJ": v}})
        } else {
            json!({"id": format!("c{i}"), key: v})
        }).collect();
        let alloc = if m == "physical" { json!({"method": m, "property": "MJ", "properties": {"MJ": main}}) } else { json!({"method": m, key: main}) };
        let r = run(json!({"product": {"id": "x"}, "parts": [{"id": "a", "materials": [{"material": "steel", "route": "bf_bof", "form": "crude", "mass_kg": 1}],
            "co_products": cos, "allocation": alloc}]}));
        let a = &r.allocation[0];
        let sum: f64 = a.factors.values().sum();
        prop_assert!((sum - 1.0).abs() < 1e-12, "sum {}", sum);
        // the part carries its own factor of the burden: 2.32 × factor
        let expect = 2.32 * main / (main + co.iter().sum::<f64>());
        prop_assert!(close(f(r.total_kg_co2e), expect));
    }

    #[test]
    fn more_recycled_content_never_raises_the_steel_share_of_a_steel_and_aluminium_product(rc in 0.0f64..0.9, more in 0.01f64..0.1) {
        let doc = |rc: f64| json!({"product": {"id": "x"}, "parts": [
            {"id": "s", "materials": [{"material": "steel", "route": "bf_bof", "form": "crude", "mass_kg": 3, "recycled_content": format!("{rc:.4}")}]},
            {"id": "a", "materials": [{"material": "aluminium", "mass_kg": 1}]}]});
        let lo = run(doc(rc));
        let hi = run(doc(rc + more));
        prop_assert!(hi.shares.steel_percent <= lo.shares.steel_percent);
        prop_assert!(hi.total_kg_co2e < lo.total_kg_co2e);
    }
}

#[test]
fn cff_with_a_one_is_cut_off() {
    // Recommendation (EU) 2021/2279 Annex IV: with A = 1 the (1 − A) terms vanish, leaving the
    // recycled content approach (1 − R1)·Ev + R1·Erec.
    let base = json!({"product": {"id": "x"}, "parts": [{"id": "b", "materials": [
        {"material": "steel", "route": "bf_bof", "form": "crude", "mass_kg": 2, "recycled_content": "0.4"}]}]});
    let mut cff = base.clone();
    cff["recycling"] = json!({"approach": "cff", "a": 1.0, "r2": {"steel": 0.9}});
    assert_eq!(run(base).total_kg_co2e, run(cff).total_kg_co2e);
}
