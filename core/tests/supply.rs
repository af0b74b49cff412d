//! Supplier networks: hand-computed examples and properties of the network metrics.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use tanso::api::call;

fn network() -> Value {
    // One bracket needs 2 sheets (1 kg each). Hebei: 70 %, 2.0 kg CO2e/sheet, 1000 km by road,
    // 20 days; Jiangsu: 30 %, 1.0 kg CO2e, no leg given, 10 days, capacity 1000 sheets/yr.
    json!({
        "transport_intensities": {"road": "0.1"},
        "products": [{"id": "bracket", "annual_units": "1000", "value_per_unit": "20",
                      "components": [{"component": "sheet", "quantity": "2"}]}],
        "components": [{"id": "sheet", "mass_kg_per_unit": "1", "suppliers": [
            {"id": "hebei", "country": "CN", "province": "Hebei", "cluster": "Tangshan", "share": "0.7",
             "kg_co2e_per_unit": "2.0", "value_per_unit": "5", "lead_time_days": "20", "emission_data": "primary",
             "transport": [{"mode": "road", "distance_km": "1000", "corridor": "G1"}]},
            {"id": "jiangsu", "country": "CN", "province": "Jiangsu", "share": "0.3", "capacity": "1000",
             "kg_co2e_per_unit": "1.0", "value_per_unit": "5", "lead_time_days": "10"}]}]
    })
}

fn second_source() -> Value {
    json!({"id": "zhejiang second source", "cost_per_year": "300", "changes": [{"component": "sheet", "add":
        {"id": "ningbo", "country": "CN", "province": "Zhejiang", "share": "0.3", "kg_co2e_per_unit": "1.5",
         "value_per_unit": "5", "lead_time_days": "5", "transport": [{"mode": "road", "distance_km": "200"}]}}]})
}

#[test]
fn emissions_exposure_and_hhi_by_hand() {
    let out = call("supply_network", json!({"network": network()})).unwrap();
    let p = &out["network"]["products"][0];
    // components 2 × (0.7 × 2.0 + 0.3 × 1.0) = 3.4; transport 2 × 0.7 × 0.001 t × 1000 km × 0.1 = 0.14
    assert_eq!(p["components_kg_co2e"], "3.4");
    assert_eq!(p["transport_kg_co2e"], "0.14");
    assert_eq!(p["kg_co2e_per_unit"], "3.54");
    assert_eq!(p["kg_co2e_per_year"], "3540");
    // primary data: 2.8 of 3.4
    assert_eq!(p["primary_data_share"], "0.823529");
    // value: 2 × 5 = 10 purchased; the unit is worth 20 → Hebei 7 / 20 = 0.35
    assert_eq!(p["by_supplier"][0]["key"], "hebei");
    assert_eq!(p["by_supplier"][0]["value_share"], "0.35");
    // emissions from Hebei 2.8 + 0.14 = 2.94 of 3.54 = 0.830508…
    assert_eq!(p["by_supplier"][0]["emissions_share"], "0.830508");
    assert_eq!(p["by_supplier"][0]["output_at_risk"], "0.7");
    assert_eq!(p["worst_region"], "CN/Hebei");
    assert_eq!(p["lead_time_days"], "17");
    let c = &out["network"]["components"][0];
    assert_eq!(c["hhi_supplier"], "5800");
    assert_eq!(c["hhi_region"], "5800");
    assert_eq!(c["flags"], json!([]));
}

#[test]
fn losing_hebei_is_limited_by_jiangsu_capacity() {
    let out = call("supply_network", json!({"network": network(), "disruptions": [{"id": "Hebei", "region": "CN/Hebei"}]})).unwrap();
    let d = &out["disruptions"][0];
    // demand 2000 sheets; lost 1400; Jiangsu makes 600 of 1000 → 400 spare
    let c = &d["components"][0];
    assert_eq!(c["lost_share"], "0.7");
    assert_eq!(c["covered_share"], "0.2");
    assert_eq!(c["supplied_share"], "0.5");
    assert_eq!(c["fallbacks"][0]["added_units"], "400");
    // 400 × 1.0 instead of 400 × (2.0 + 0.1) = −440 kg
    assert_eq!(c["added_kg_co2e_per_year"], "-440");
    assert_eq!(c["lead_time_days_before"], "17");
    assert_eq!(c["lead_time_days_after"], "10");
    assert_eq!(d["products"][0]["output_share"], "0.5");
    assert_eq!(d["products"][0]["limited_by"], "sheet");
    assert_eq!(d["output_value_lost_share"], "0.5");
}

#[test]
fn second_source_by_hand_and_pareto() {
    let out = call("supply_network", json!({"network": network(), "options": [second_source(),
        {"id": "all from hebei", "changes": [{"component": "sheet", "remove": "jiangsu"}]}]})).unwrap();
    let o = &out["options"];
    assert_eq!(o[0]["id"], "baseline");
    // shares 0.49 / 0.21 / 0.3: 2 × (0.98 + 0.21 + 0.45) = 3.28; transport 2 × (0.049 + 0.3 × 0.02) = 0.11
    assert_eq!(o[1]["kg_co2e_per_unit"]["bracket"], "3.39");
    assert_eq!(o[1]["change_kg_co2e_per_year"], "-150");
    assert_eq!(o[1]["avoided_kg_per_cost"], "0.5");
    assert_eq!(o[1]["worst_region_output_at_risk"], "0.49");
    // Hebei alone: 2 × 2.1 = 4.2 per unit; single supplier, single region, single cluster, corridor G1
    assert_eq!(o[2]["kg_co2e_per_unit"]["bracket"], "4.2");
    assert_eq!(o[2]["single_points_of_failure"], 1);
    assert_eq!(o[2]["max_hhi_supplier"], "10000");
    assert_eq!(o[2]["pareto_optimal"], false);
    assert_eq!(out["pareto_front"], json!(["zhejiang second source"]));
}

#[test]
fn single_sourced_component_flags_every_kind() {
    let out = call("supply_network", json!({"network": network(), "options": [
        {"id": "hebei only", "changes": [{"component": "sheet", "remove": "jiangsu"}]}]})).unwrap();
    assert_eq!(out["network"]["single_points_of_failure"], 0);
    let mut n = network();
    n["components"][0]["suppliers"].as_array_mut().unwrap().pop();
    n["components"][0]["suppliers"][0]["share"] = json!("1");
    let out = call("supply_network", json!({"network": n})).unwrap();
    let c = &out["network"]["components"][0];
    assert_eq!(c["flags"], json!(["single_supplier", "single_region", "single_cluster", "single_corridor"]));
    assert_eq!(c["depends_on"]["single_corridor"], "G1");
    assert_eq!(c["depends_on"]["single_cluster"], "CN/Hebei/Tangshan");
}

#[test]
fn cbam_cost_moves_with_the_basis() {
    // 100,000 units of 1 kg of screws (CN 7318 15) to the EU in 2026 Q1: 100 t, above the 50 t de minimis.
    let mut n = network();
    n["products"][0]["cbam"] = json!({"cn_code": "7318 15 00", "country": "CN", "mass_t_per_unit": "0.001", "eu_units": "100000", "basis": "actual",
        "benchmark": {"value": "1.5", "source": "illustrative benchmark for the test"}});
    let out = call("supply_network", json!({"network": n, "options": [second_source()]})).unwrap();
    let base = &out["options"][0]["cbam"][0];
    // actual: (3.4 kg + 0) / 1000 / 0.001 t = 3.4 t/t; × 100 t = 340 t embedded (transport excluded)
    assert_eq!(base["embedded_t"], "340");
    let opt = &out["options"][1]["cbam"][0];
    assert_eq!(opt["embedded_t"], "328");
    // the same computation through cbam_obligation
    let direct = call("cbam_obligation", json!({"year": 2026, "lines": [{"good": {"cn_code": "7318 15 00", "country": "CN",
        "see": {"direct": "3.28"}}, "mass": {"value": "100", "unit": "t"},
        "benchmark": {"value": "1.5", "source": "illustrative benchmark for the test"}, "quarter": 1}]})).unwrap();
    assert_eq!(opt["cost_eur_exact"], direct["totals"]["cost_eur_exact"]);
    assert_eq!(opt["certificates"], direct["totals"]["certificates"]);
    // certificates 328 − 100 × 1.5 × 0.975 = 181.75; baseline 340 − 146.25 = 193.75
    assert_eq!(opt["certificates"], "181.75");
    assert_eq!(base["certificates"], "193.75");
    assert!(out["options"][1]["change_cbam_cost_eur"].as_str().unwrap().starts_with('-'), "{}", direct);
    // default values: 100 t × 6.375 × 1.1 = 701.25 t whatever the sourcing
    n["products"][0]["cbam"]["basis"] = json!("default");
    let out = call("supply_network", json!({"network": n, "options": [second_source()]})).unwrap();
    assert_eq!(out["options"][0]["cbam"][0]["embedded_t"], "701.25");
    assert_eq!(out["options"][1]["change_cbam_cost_eur"], "0");
}

#[test]
fn audit_ranks_and_reports() {
    let inv = json!({"organisation": {"name": "Ningbo Parts"}, "reporting_year": 2023, "records": [
        {"type": "fuel_combustion", "fuel": "原煤", "quantity": {"value": "1", "unit": "t"}}]});
    let out = call("supply_audit", json!({"company": "Ningbo Parts", "network": network(), "inventory": inv,
        "options": [second_source(), {"id": "no cost", "changes": [{"component": "sheet", "shares": {"hebei": "0.5", "jiangsu": "0.5"}}]}]})).unwrap();
    assert_eq!(out["baseline"]["scope_1_kg"], "1900.2988488");
    assert_eq!(out["interventions"][0]["rank"], 1);
    assert_eq!(out["interventions"][1]["rank"], Value::Null);
    // 0.5/0.5: 2 × (1.0 + 0.5) + 2 × 0.05 = 3.1 → 440 kg avoided
    assert_eq!(out["interventions"][1]["avoided_kg_co2e_per_year"], "440");
    // default disruptions: each region lost in turn
    assert_eq!(out["analysis"]["disruptions"].as_array().unwrap().len(), 2);
    let md = out["markdown"].as_str().unwrap();
    assert!(md.contains("# Supply-chain and carbon audit: Ningbo Parts"), "{md}");
    assert!(md.contains("| 1 | zhejiang second source | 150 | 300 | 0.5 |"), "{md}");
}

#[test]
fn errors_name_the_field() {
    let mut n = network();
    n["components"][0]["suppliers"][1]["share"] = json!("0.2");
    let e = call("supply_network", json!({"network": n})).unwrap_err();
    assert_eq!((e.code(), e.area()), ("INVALID_NETWORK", "supply"));
    assert!(e.to_string().contains("components[0].suppliers[*].share") && e.to_string().contains("0.9"), "{e}");
    let e = call("supply_network", json!({"network": network(), "disruptions": [{"supplier": "shanxi"}]})).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_REFERENCE");
    assert!(e.to_string().contains("hebei, jiangsu"), "{e}");
    let mut n = network();
    n["transport_intensities"] = json!({});
    let e = call("supply_network", json!({"network": n})).unwrap_err();
    assert_eq!(e.code(), "TRANSPORT_INTENSITY_MISSING");
    assert!(e.to_string().contains("'road'"), "{e}");
}

fn region_name(k: u8) -> String {
    format!("P{k}")
}

prop_compose! {
    // A component with 1..5 suppliers over 1..4 provinces; shares in whole percent summing to 100.
    fn component()(weights in prop::collection::vec(1u32..100, 1..5), regions in prop::collection::vec(0u8..4, 5))
        -> Vec<(String, Decimal)> {
        let total: u32 = weights.iter().sum();
        let mut shares: Vec<Decimal> = weights.iter().map(|w| (Decimal::from(*w) / Decimal::from(total)).round_dp(4)).collect();
        let rest: Decimal = shares[..shares.len() - 1].iter().sum();
        let last = shares.len() - 1;
        shares[last] = Decimal::ONE - rest;
        shares.into_iter().enumerate().map(|(i, s)| (region_name(regions[i]), s)).collect()
    }
}

fn net_of(sups: &[(String, Decimal)]) -> Value {
    let suppliers: Vec<Value> = sups.iter().enumerate().map(|(i, (r, s))| json!({"id": format!("s{i}"), "country": "CN",
        "province": r, "share": s.to_string(), "kg_co2e_per_unit": "1", "value_per_unit": "1"})).collect();
    json!({"products": [{"id": "p", "components": [{"component": "c", "quantity": "1"}]}],
           "components": [{"id": "c", "suppliers": suppliers}]})
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn hhi_within_bounds(sups in component()) {
        prop_assume!(sups.iter().all(|(_, s)| *s >= Decimal::ZERO));
        let out = call("supply_network", json!({"network": net_of(&sups)})).unwrap();
        for k in ["hhi_supplier", "hhi_region"] {
            let h = dec(&out["network"]["components"][0][k]);
            prop_assert!(h > Decimal::ZERO && h <= Decimal::from(10000), "{k} = {h}");
            let p = dec(&out["network"]["products"][0][k]);
            prop_assert!(p > Decimal::ZERO && p <= Decimal::from(10000), "product {k} = {p}");
        }
    }

    #[test]
    fn a_single_sourced_component_is_always_flagged(region in 0u8..4, other in prop::collection::vec(0u8..4, 0..3)) {
        // One supplier with the whole share, plus suppliers listed with share 0.
        let mut sups = vec![(region_name(region), Decimal::ONE)];
        sups.extend(other.iter().map(|r| (region_name(*r), Decimal::ZERO)));
        let out = call("supply_network", json!({"network": net_of(&sups)})).unwrap();
        let flags = out["network"]["components"][0]["flags"].as_array().unwrap().clone();
        prop_assert!(flags.contains(&json!("single_supplier")), "{flags:?}");
        prop_assert_eq!(out["network"]["components"][0]["hhi_supplier"].as_str(), Some("10000"));
    }

    #[test]
    fn a_supplier_in_another_region_never_raises_regional_exposure(sups in component(), share in 1u32..100) {
        prop_assume!(sups.iter().all(|(_, s)| *s >= Decimal::ZERO));
        let x = Decimal::from(share) / Decimal::from(100);
        let add = json!({"id": "new", "country": "DE", "share": x.to_string(), "kg_co2e_per_unit": "1", "value_per_unit": "1"});
        let out = call("supply_network", json!({"network": net_of(&sups),
            "options": [{"id": "o", "changes": [{"component": "c", "add": add}]}]})).unwrap();
        // The worst region after is an old one (no higher than before) or the new one (its own share).
        let before = dec(&out["options"][0]["worst_region_output_at_risk"]);
        let after = dec(&out["options"][1]["worst_region_output_at_risk"]);
        prop_assert!(after <= before || after == x, "{after} > {before}");
        // Every existing region's exposure, on the network with the supplier added by hand: none rises.
        let mut n2 = net_of(&sups);
        let arr = n2["components"][0]["suppliers"].as_array_mut().unwrap();
        for s in arr.iter_mut() {
            let v = dec(&s["share"]) * (Decimal::ONE - x);
            s["share"] = json!(v.to_string());
        }
        arr.push(add);
        let b = call("supply_network", json!({"network": net_of(&sups)})).unwrap();
        let a = call("supply_network", json!({"network": n2})).unwrap();
        let regions_after = a["network"]["products"][0]["by_region"].as_array().unwrap();
        for r in b["network"]["products"][0]["by_region"].as_array().unwrap() {
            let new = regions_after.iter().find(|y| y["key"] == r["key"]).unwrap();
            for k in ["output_at_risk", "value_share", "emissions_share"] {
                prop_assert!(dec(&new[k]) <= dec(&r[k]), "{}: {k} {} > {}", r["key"], new[k], r[k]);
            }
        }
    }
}
