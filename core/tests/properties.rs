//! Property tests of the accounting invariants: linearity in the activity amount, totals equal
//! to the sum of their parts, consolidation shares scaling results.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use tanso::api::call;

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .expect("decimal string")
        .parse()
        .expect("decimal")
}

fn amount() -> impl Strategy<Value = Decimal> {
    (0i64..10_000_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s))
}

fn record(kind: usize, q: Decimal) -> Value {
    let q = q.to_string();
    match kind {
        0 => {
            json!({"type": "fuel_combustion", "fuel": "cn_raw_coal", "quantity": {"value": q, "unit": "kg"}})
        }
        1 => {
            json!({"type": "fuel_combustion", "fuel": "diesel", "quantity": {"value": q, "unit": "t"}, "sector": "energy_industries"})
        }
        2 => {
            json!({"type": "fuel_combustion", "fuel": "cn_natural_gas", "quantity": {"value": q, "unit": "Nm3"}})
        }
        3 => {
            json!({"type": "electricity", "geography": "CN-GD", "energy": {"value": q, "unit": "kWh"}})
        }
        4 => {
            json!({"type": "refrigerant", "gas": "R-404A", "method": "released", "mass": {"value": q, "unit": "g"}})
        }
        5 => {
            json!({"type": "freight", "legs": [{"mode": "rail", "mass": {"value": q, "unit": "t"}, "distance": {"value": "123.4", "unit": "km"},
                     "intensity": {"unit": "tkm", "gases": {"CO2": "0.0233"}}}]})
        }
        _ => json!({"type": "scrap_use", "mass": {"value": q, "unit": "t"}}),
    }
}

fn co2e(kind: usize, q: Decimal) -> Decimal {
    let out = call(
        "calculate",
        json!({"year": 2023, "record": record(kind, q)}),
    )
    .expect("calculates");
    dec(&out["co2e_kg"]) + out.get("avoided_co2e_kg").map(dec).unwrap_or_default()
}

proptest! {
    /// Every calculator is linear in its amount: f(a + b) = f(a) + f(b), to the rounding of
    /// one division at 28 significant digits.
    #[test]
    fn calculators_are_linear(kind in 0usize..7, a in amount(), b in amount()) {
        let lhs = co2e(kind, a + b);
        let rhs = co2e(kind, a) + co2e(kind, b);
        let tol = lhs.abs() * Decimal::new(1, 20) + Decimal::new(1, 20);
        prop_assert!((lhs - rhs).abs() <= tol, "kind {kind}: f({a}+{b}) = {lhs} but f(a)+f(b) = {rhs}");
    }

    /// Inventory totals are the exact sums of their records, and scopes add up to the total.
    #[test]
    fn totals_equal_sum_of_parts(kinds in proptest::collection::vec(0usize..6, 1..8), qs in proptest::collection::vec(amount(), 8), share in 0u32..=100) {
        let records: Vec<Value> = kinds.iter().enumerate().map(|(i, k)| {
            let mut r = record(*k, qs[i]);
            r["id"] = json!(format!("r{i}"));
            r["site"] = json!(if i % 2 == 0 { "a" } else { "b" });
            r
        }).collect();
        let doc = json!({
            "organisation": {"name": "P", "consolidation": "equity_share", "sites": [
                {"id": "a", "geography": "CN-GD"}, {"id": "b", "geography": "CN-GD", "equity_share": Decimal::new(share.into(), 2).to_string()}]},
            "reporting_year": 2023, "records": records});
        let inv = call("inventory", doc).expect("inventory");
        let t = &inv["totals"];
        let sum: Decimal = inv["records"].as_array().unwrap().iter().filter(|r| r["scope"] != 0).map(|r| dec(&r["co2e_kg"])).sum();
        prop_assert_eq!(dec(&t["total_co2e_kg"]), sum);
        prop_assert_eq!(dec(&t["total_co2e_kg"]), dec(&t["scope_1_co2e_kg"]) + dec(&t["scope_2_location_co2e_kg"]) + dec(&t["scope_3_co2e_kg"]));
        let by_site: Decimal = t["by_site_co2e_kg"].as_object().unwrap().values().map(dec).sum();
        prop_assert_eq!(by_site, sum);
        let by_iso: Decimal = t["iso_14064_by_category"].as_object().unwrap().values().map(dec).sum();
        prop_assert_eq!(by_iso, sum);
    }
}

#[test]
fn bad_record_fails_the_whole_inventory_and_names_it() {
    let doc = json!({"organisation": {"name": "P"}, "reporting_year": 2023, "records": [
        record(0, Decimal::ONE), {"id": "bad", "type": "fuel_combustion", "fuel": "nope", "quantity": {"value": "1", "unit": "kg"}}]});
    let e = call("inventory", doc).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_FUEL");
    assert!(e.to_string().contains("records[1] (id 'bad')"), "{e}");
}
