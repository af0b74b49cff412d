//! EU CBAM worked examples, each computed by hand step by step in the test, with its sources:
//!
//! - [R] Regulation (EU) 2023/956 (CBAM): Annex I goods, Annex II direct-only goods, Annex IV
//!   embedded emissions (SEE = (AttrEm + Σ M_i × SEE_i) / AL).
//! - [DV] IR (EU) 2025/2621 Annex I, China sheet, as replaced by IR (EU) 2026/1740: HRC (CN 7208)
//!   3.187, unwrought aluminium (CN 7601) 3.0, grey clinker 1.35 + 0.04, hydrogen 26.64 t CO2e/t;
//!   mark-ups 10% 2026, 20% 2027, 30% 2028 on (fertilisers 1%).
//! - [BM] IR (EU) 2025/2620 column B benchmarks: HRC route C 1.37, D 0.481, E 0.072; aluminium
//!   route K 1.423, L 0.091; hydrogen 5.089 t CO2e/t (2026–2030).
//! - [CF] Directive 2003/87/EC Art. 10a(1a): CBAM factor 0.975 (2026) … 0.515 (2030) … 0 (2034);
//!   [CSCF] IR (EU) 2026/1862: 1.0 for 2026–2030.
//! - [P] IR (EU) 2025/2548: certificate prices 2026 Q1 75.36, Q2 75.28, Q3 82.32 EUR/t.
//! - [DM] Regulation (EU) 2025/2083: 50 t de minimis (iron and steel, aluminium, cement,
//!   fertilisers; not electricity or hydrogen).
//! - [COM] COM(2026) 616 (a proposal): CBAM factor 2030 0.59.
//!
//! Prices after 2026 Q3, column A benchmarks, installation data and carbon prices paid are
//! illustrative user inputs, named as such.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{json, Value};
use tanso::api::call;

fn d(v: &Value) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("decimal string expected, got {v}"))
        .parse()
        .expect("decimal")
}

fn obligation(input: Value) -> Value {
    call("cbam_obligation", input).unwrap_or_else(|e| panic!("{}: {e}", e.code()))
}

fn err(op: &str, input: Value) -> tanso::TansoError {
    call(op, input).expect_err("an error")
}

fn line(cn: &str, country: &str, mass: &str) -> Value {
    json!({"good": {"cn_code": cn, "country": country}, "mass": {"value": mass, "unit": "t"}})
}

fn has_source(out: &Value, id: &str) -> bool {
    out["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == id && s["status"] == "verified")
}

// ---------------------------------------------------------------------------------------------
// Hot-rolled coil (CN 7208) from China

#[test]
fn hrc_china_2026_default_values() {
    let mut l = line("7208 51 20", "CN", "100");
    l["quarter"] = json!(1);
    let out = obligation(json!({"year": 2026, "lines": [l]}));
    let r = &out["lines"][0];
    // [DV] 3.187 × (1 + 0.10) = 3.5057 t CO2e/t; direct only [R Annex II].
    let see = dec!(3.187) * (Decimal::ONE + dec!(0.10));
    assert_eq!(see, dec!(3.5057));
    assert_eq!(d(&r["see"]), see);
    assert_eq!(r["embedded"]["route"], "C");
    // 100 t × 3.5057 = 350.57 t CO2e.
    let embedded = dec!(100) * see;
    assert_eq!(d(&r["embedded_t"]), dec!(350.57));
    // [BM] route C 1.37 × [CF] 0.975 × [CSCF] 1 = 1.33575 t/t → 133.575 t.
    let sefa = dec!(0.975) * dec!(1) * dec!(1.37);
    assert_eq!(d(&r["sefa"]), dec!(1.33575));
    assert_eq!(r["benchmark"]["column"], "B");
    assert_eq!(r["benchmark"]["fallback"], false);
    let adjustment = dec!(100) * sefa;
    assert_eq!(d(&r["free_allocation_adjustment_t"]), dec!(133.575));
    // 350.57 − 133.575 = 216.995 certificates; × [P] Q1 75.36 = 16,352.7432 → EUR 16,352.74.
    let certificates = embedded - adjustment;
    assert_eq!(d(&r["certificates"]), dec!(216.995));
    assert_eq!(d(&r["cost_eur_exact"]), certificates * dec!(75.36));
    assert_eq!(r["cost_eur"], "16352.74");
    assert_eq!(
        r["certificate_price_source"],
        "cbam_certificate_price@2026-Q1"
    );
    for id in [
        "default_value_CN_7208@2026 base (before mark-up)",
        "default_value_markup@2026",
        "benchmark_HRC_BF-BOF_routeC@2026-2030",
        "cbam_factor_free_allocation_share@2026",
        "cross_sectoral_correction_factor@2026-2030",
        "cbam_certificate_price@2026-Q1",
        "de_minimis_threshold@2026+",
    ] {
        assert!(
            has_source(&out, id),
            "source {id} missing: {}",
            out["sources"]
        );
    }
    assert_eq!(out["warnings"], json!([]));
    assert_eq!(out["surrender_deadline"], "2027-09-30");
}

#[test]
fn hrc_china_2030_default_values() {
    // Prices from 2027 are weekly averages: EUR 80 is an illustrative input.
    let out = obligation(
        json!({"year": 2030, "certificate_price_eur": "80", "lines": [line("7208", "CN", "100")]}),
    );
    let r = &out["lines"][0];
    // [DV] 3.187 × 1.30 (2028 onwards) = 4.1431; × 100 t = 414.31 t.
    assert_eq!(d(&r["see"]), dec!(3.187) * dec!(1.3));
    assert_eq!(d(&r["embedded_t"]), dec!(414.31));
    // [CF] 2030 0.515 × 1 × 1.37 = 0.70555 → 70.555 t; 414.31 − 70.555 = 343.755; × 80 = 27,500.40.
    assert_eq!(d(&r["sefa"]), dec!(0.70555));
    assert_eq!(d(&r["free_allocation_adjustment_t"]), dec!(70.555));
    assert_eq!(d(&r["certificates"]), dec!(343.755));
    assert_eq!(r["cost_eur"], "27500.4");
    assert_eq!(r["certificate_price_source"], "input");
    assert!(has_source(&out, "default_value_markup@2028"));
    assert!(has_source(&out, "cbam_factor_free_allocation_share@2030"));
}

/// Actual data of a BF-BOF mill (illustrative): HRC 1,000 t with 80 t CO2e attributed (reheating,
/// rolling) and 120 MWh at 0.5366 t/MWh; 1,020 t of slab (CN 7207 11 14) made from 1,020 t with
/// 1,836 t CO2e attributed (BF + BOF).
fn hrc_actual() -> Value {
    json!({"cn_code": "7208 51 20", "country": "CN", "route": "C", "installation": "CN-HB-001",
        "production": {"activity_level": {"value": "1000", "unit": "t"}, "direct_emissions_t": "80",
            "electricity": {"consumed": {"value": "120", "unit": "MWh"}, "factor_t_per_mwh": "0.5366", "source": "illustrative grid factor"},
            "precursors": [{"mass": {"value": "1020", "unit": "t"},
                "good": {"cn_code": "7207 11 14", "route": "C",
                    "production": {"activity_level": {"value": "1020", "unit": "t"}, "direct_emissions_t": "1836"}}}]}})
}

#[test]
fn hrc_china_2026_actual_data() {
    let out = obligation(
        json!({"year": 2026, "lines": [{"good": hrc_actual(), "mass": {"value": "100", "unit": "t"}, "quarter": 1}]}),
    );
    let r = &out["lines"][0];
    // Slab: 1836 / 1020 = 1.8. HRC [R Annex IV]: (80 + 1020 × 1.8) / 1000 = 1916 / 1000 = 1.916.
    assert_eq!(
        d(&r["embedded"]["precursors"][0]["good"]["see"]),
        dec!(1836) / dec!(1020)
    );
    assert_eq!(
        d(&r["see"]),
        (dec!(80) + dec!(1020) * dec!(1.8)) / dec!(1000)
    );
    // Indirect: 120 × 0.5366 / 1000 = 0.064392, reported but not counted (Annex II).
    assert_eq!(d(&r["embedded"]["see_indirect"]), dec!(0.064392));
    assert_eq!(r["embedded"]["indirect_counted"], false);
    // No mark-up on actual data. 100 t × 1.916 = 191.6 t.
    assert!(r["embedded"].get("markup").is_none());
    assert_eq!(d(&r["embedded_t"]), dec!(191.6));
    // No column A benchmark given: column B route C 1.37 stands in, and says so.
    assert_eq!(r["benchmark"]["column"], "B");
    assert_eq!(r["benchmark"]["fallback"], true);
    assert!(
        out["warnings"][0]
            .as_str()
            .unwrap()
            .contains("no column A benchmark"),
        "{}",
        out["warnings"]
    );
    // 191.6 − 133.575 = 58.025 certificates × 75.36 = 4,372.764 → EUR 4,372.76.
    assert_eq!(d(&r["certificates"]), dec!(58.025));
    assert_eq!(r["cost_eur"], "4372.76");
    assert_eq!(
        out["by_installation"]["CN-HB-001"]["certificates"],
        "58.025"
    );
}

#[test]
fn hrc_china_2030_actual_data() {
    let out = obligation(json!({"year": 2030, "certificate_price_eur": "80",
        "lines": [{"good": hrc_actual(), "mass": {"value": "100", "unit": "t"}}]}));
    let r = &out["lines"][0];
    // 191.6 − 100 × 0.515 × 1.37 (= 70.555) = 121.045 × 80 = EUR 9,683.60.
    assert_eq!(d(&r["embedded_t"]), dec!(191.6));
    assert_eq!(d(&r["certificates"]), dec!(121.045));
    assert_eq!(r["cost_eur"], "9683.6");
}

#[test]
fn column_a_benchmarks_are_composed_through_precursors() {
    // Illustrative user-supplied column A values (not bundled): HRC 0.044, slab route C 0.188.
    let out = obligation(json!({"year": 2026, "benchmarks": [
            {"cn_code": "7208", "column": "A", "value": "0.044", "source": "illustrative"},
            {"cn_code": "7207 11", "route": "C", "column": "A", "value": "0.188", "source": "illustrative"}],
        "lines": [{"good": hrc_actual(), "mass": {"value": "100", "unit": "t"}, "quarter": 1}]}));
    let r = &out["lines"][0];
    // IR 2025/2620 Eq. 4: BM = 0.044 + (1020 / 1000) × 0.188 = 0.23576; SEFA = 0.975 × 0.23576 = 0.229866.
    assert_eq!(
        d(&r["benchmark"]["value"]),
        dec!(0.044) + dec!(1.02) * dec!(0.188)
    );
    assert_eq!(r["benchmark"]["column"], "A");
    assert_eq!(r["benchmark"]["fallback"], false);
    assert_eq!(d(&r["sefa"]), dec!(0.229866));
    // 191.6 − 22.9866 = 168.6134 certificates.
    assert_eq!(d(&r["certificates"]), dec!(168.6134));
    // User numbers are flagged.
    assert!(out["warnings"].as_array().unwrap().iter().any(|w| w
        .as_str()
        .unwrap()
        .contains("unverified number used: user:benchmarks[0]")));
}

// ---------------------------------------------------------------------------------------------
// Unwrought aluminium (CN 7601) from China

#[test]
fn aluminium_china_2026_and_2030_default_values() {
    let mut l = line("7601 10 00", "CN", "60");
    l["quarter"] = json!(2);
    let out = obligation(json!({"year": 2026, "lines": [l]}));
    let r = &out["lines"][0];
    // [DV] 3.0 × 1.1 = 3.3; 60 t → 198 t. [BM] route K (the default value's route) 1.423 × 0.975
    // = 1.387425 → 83.2455 t. 198 − 83.2455 = 114.7545 × [P] Q2 75.28 = 8,638.71876 → 8,638.72.
    assert_eq!(d(&r["embedded_t"]), dec!(60) * dec!(3.0) * dec!(1.1));
    assert_eq!(r["benchmark"]["route"], "K");
    assert_eq!(
        d(&r["free_allocation_adjustment_t"]),
        dec!(60) * dec!(1.423) * dec!(0.975)
    );
    assert_eq!(d(&r["certificates"]), dec!(114.7545));
    assert_eq!(r["cost_eur"], "8638.72");

    let out = obligation(
        json!({"year": 2030, "certificate_price_eur": "80", "lines": [line("7601 10 00", "CN", "60")]}),
    );
    let r = &out["lines"][0];
    // 3.0 × 1.3 = 3.9 → 234 t; 60 × 0.515 × 1.423 = 43.9707; 190.0293 × 80 = 15,202.344 → 15,202.34.
    assert_eq!(d(&r["embedded_t"]), dec!(234));
    assert_eq!(d(&r["free_allocation_adjustment_t"]), dec!(43.9707));
    assert_eq!(d(&r["certificates"]), dec!(190.0293));
    assert_eq!(r["cost_eur"], "15202.34");
}

#[test]
fn aluminium_china_actual_data_2026_and_2030() {
    // Illustrative smelter: 1,000 t primary aluminium, 1,700 t CO2e direct (anodes, PFCs),
    // 14,500 MWh at 0.5366 t/MWh (indirect: reported, not counted for aluminium).
    let good = json!({"cn_code": "7601 10 00", "country": "CN", "route": "K",
        "production": {"activity_level": {"value": "1000", "unit": "t"}, "direct_emissions_t": "1700",
            "electricity": {"consumed": {"value": "14.5", "unit": "GWh"}, "factor_t_per_mwh": "0.5366"}}});
    let out = obligation(
        json!({"year": 2026, "lines": [{"good": good.clone(), "mass": {"value": "60", "unit": "t"}, "quarter": 2}]}),
    );
    let r = &out["lines"][0];
    // SEE = 1700 / 1000 = 1.7 (indirect 14500 × 0.5366 / 1000 = 7.7807, not counted).
    assert_eq!(d(&r["see"]), dec!(1.7));
    assert_eq!(d(&r["embedded"]["see_indirect"]), dec!(7.7807));
    // 60 × 1.7 = 102; − 60 × 0.975 × 1.423 (83.2455) = 18.7545 × 75.28 = 1,411.83876 → 1,411.84.
    assert_eq!(d(&r["certificates"]), dec!(18.7545));
    assert_eq!(r["cost_eur"], "1411.84");
    let out = obligation(
        json!({"year": 2030, "certificate_price_eur": "80", "lines": [{"good": good, "mass": {"value": "60", "unit": "t"}}]}),
    );
    // 102 − 60 × 0.515 × 1.423 (43.9707) = 58.0293 × 80 = 4,642.344 → 4,642.34.
    assert_eq!(out["totals"]["certificates"], "58.0293");
    assert_eq!(out["totals"]["cost_eur"], "4642.34");
}

// ---------------------------------------------------------------------------------------------
// The phase-in applies to the free allocation, not to the emissions

#[test]
fn the_phase_in_mistake_is_not_what_tanso_computes() {
    let mut l = line("7208", "CN", "100");
    l["quarter"] = json!(1);
    let out = obligation(json!({"year": 2026, "lines": [l]}));
    let embedded = d(&out["totals"]["embedded_t"]);
    // The mistake: (1 − 0.975) × 350.57 t × 75.36 = EUR 660.47.
    let mistake = (Decimal::ONE - dec!(0.975)) * embedded * dec!(75.36);
    assert_eq!(mistake.round_dp(2), dec!(660.47));
    // tanso: (350.57 − 100 × 0.975 × 1.37) × 75.36 = EUR 16,352.74 — the free allocation is
    // phased out, the emissions are not phased in.
    let right = (embedded - dec!(100) * dec!(0.975) * dec!(1.37)) * dec!(75.36);
    assert_eq!(d(&out["totals"]["cost_eur_exact"]), right);
    assert_ne!(d(&out["totals"]["cost_eur"]), mistake.round_dp(2));
    assert!(d(&out["totals"]["cost_eur"]) > dec!(20) * mistake.round_dp(2));
}

// ---------------------------------------------------------------------------------------------
// De minimis

#[test]
fn de_minimis_threshold_per_importer_and_year() {
    let h2 = json!({"good": {"cn_code": "2804 10 00", "country": "CN"}, "mass": {"value": "1", "unit": "t"}, "quarter": 1});
    let mut steel = line("7208", "CN", "30");
    steel["quarter"] = json!(1);
    let mut alu = line("7601", "CN", "15");
    alu["quarter"] = json!(1);
    // 30 + 15 = 45 t ≤ 50 t [DM]: steel and aluminium owe nothing; hydrogen is not counted and owes.
    let out = obligation(json!({"year": 2026, "lines": [steel, alu, h2]}));
    assert_eq!(out["de_minimis"]["counted_mass_t"], "45");
    assert_eq!(out["de_minimis"]["exempt"], true);
    assert_eq!(out["lines"][0]["de_minimis_exempt"], true);
    assert_eq!(out["lines"][0]["certificates"], "0");
    assert_eq!(out["lines"][0]["embedded_t"], "105.171"); // still reported: 30 × 3.5057
    assert_eq!(out["lines"][2]["de_minimis_exempt"], false);
    // Hydrogen [DV] 26.64 × 1.1 = 29.304; [BM] 5.089 × 0.975 = 4.961775; 24.342225 × 75.36
    // = 1,834.430076 → EUR 1,834.43.
    assert_eq!(out["lines"][2]["certificates"], "24.342225");
    assert_eq!(out["totals"]["cost_eur"], "1834.43");

    // Exactly 50 t is still exempt ("does not exceed"); 50.001 t is not, and then every tonne counts.
    let at = obligation(
        json!({"year": 2026, "lines": [line("7208", "CN", "35"), line("7601", "CN", "15")]}),
    );
    assert_eq!(at["de_minimis"]["exempt"], true);
    assert_eq!(at["totals"]["certificates"], "0");
    let mut a = line("7208", "CN", "35.001");
    a["quarter"] = json!(1);
    let mut b = line("7601", "CN", "15");
    b["quarter"] = json!(1);
    let over = obligation(json!({"year": 2026, "lines": [a, b]}));
    assert_eq!(over["de_minimis"]["exempt"], false);
    // 35.001 × (3.5057 − 1.33575) = 75.9483498; 15 × (3.3 − 1.387425) = 28.688625.
    assert_eq!(
        d(&over["totals"]["certificates"]),
        dec!(35.001) * dec!(2.16995) + dec!(15) * dec!(1.912575)
    );
}

// ---------------------------------------------------------------------------------------------
// Carbon price paid in the country of origin

#[test]
fn carbon_price_deduction() {
    // Illustrative effective price of 15.072 EUR/t paid on the embedded emissions (0.2 × 75.36).
    let mut l = line("7208", "CN", "100");
    l["quarter"] = json!(1);
    l["carbon_price_paid_eur_per_t"] = json!("15.072");
    let out = obligation(json!({"year": 2026, "lines": [l.clone()]}));
    let r = &out["lines"][0];
    // Deduction = 350.57 × 15.072 / 75.36 = 70.114 t; 216.995 − 70.114 = 146.881 × 75.36
    // = 11,068.95216 → EUR 11,068.95.
    assert_eq!(
        d(&r["carbon_price_deduction_t"]),
        dec!(350.57) * dec!(15.072) / dec!(75.36)
    );
    assert_eq!(d(&r["certificates"]), dec!(146.881));
    assert_eq!(r["cost_eur"], "11068.95");
    // A price paid above what is left never makes certificates negative.
    l["carbon_price_paid_eur_per_t"] = json!("100");
    let out = obligation(json!({"year": 2026, "lines": [l]}));
    assert_eq!(out["lines"][0]["carbon_price_deduction_t"], "216.995");
    assert_eq!(out["lines"][0]["certificates"], "0");
    assert_eq!(out["totals"]["cost_eur"], "0");
}

#[test]
fn supplier_communication_as_a_line() {
    let comm = json!({"installation": {"id": "CN-HB-001", "name": "Hebei Steel Works", "country": "CN"},
        "cn_code": "7208 51 20", "production_route": "C",
        "period": {"start": "2025-01-01", "end": "2025-12-31"}, "data_quality": "actual",
        "see_direct": "1.916", "see_indirect": "0.064392",
        "carbon_price": {"instrument": "China national ETS (illustrative)", "amount_per_t": "120", "currency": "CNY", "eur_per_t": "15.072"}});
    let out = obligation(
        json!({"year": 2026, "lines": [{"id": "PO-1", "communication": comm, "mass": {"value": "100", "unit": "t"}, "quarter": 1}]}),
    );
    let r = &out["lines"][0];
    assert_eq!(r["data"], "given");
    // 191.6 t; adjustment 133.575 (column B route C, flagged); deduction 191.6 × 0.2 = 38.32;
    // 191.6 − 133.575 − 38.32 = 19.705.
    assert_eq!(r["benchmark"]["fallback"], true);
    assert_eq!(d(&r["carbon_price_deduction_t"]), dec!(38.32));
    assert_eq!(d(&r["certificates"]), dec!(19.705));
    assert_eq!(out["by_installation"]["CN-HB-001"]["lines"], 1);
}

// ---------------------------------------------------------------------------------------------
// Recursion through precursors

#[test]
fn three_levels_of_precursors() {
    // Illustrative chain: pig iron (1,350 t CO2e / 900 t = 1.5) → slab ((200 + 950 × 1.5) / 1000
    // = 1.625) → HRC ((80 + 1020 × 1.625) / 1000 = 1.7375).
    let pig = json!({"cn_code": "7201 10 11", "production": {"activity_level": {"value": "900", "unit": "t"}, "direct_emissions_t": "1350"}});
    let slab = json!({"cn_code": "7207 11 14", "production": {"activity_level": {"value": "1000", "unit": "t"}, "direct_emissions_t": "200",
        "precursors": [{"mass": {"value": "950", "unit": "t"}, "good": pig}]}});
    let hrc = json!({"cn_code": "7208 51 20", "country": "CN", "production": {"activity_level": {"value": "1", "unit": "kt"}, "direct_emissions_t": "80",
        "precursors": [{"mass": {"value": "1020000", "unit": "kg"}, "good": slab}]}});
    let out = call("cbam_embedded", json!({"year": 2026, "good": hrc})).unwrap();
    let g = &out["good"];
    assert_eq!(
        d(&g["precursors"][0]["good"]["precursors"][0]["good"]["see"]),
        dec!(1.5)
    );
    assert_eq!(
        d(&g["precursors"][0]["good"]["see"]),
        (dec!(200) + dec!(950) * dec!(1.5)) / dec!(1000)
    );
    assert_eq!(
        d(&g["see"]),
        (dec!(80) + dec!(1020) * dec!(1.625)) / dec!(1000)
    );
    assert_eq!(d(&g["see"]), dec!(1.7375));
    assert_eq!(g["precursors"][0]["specific_mass"], "1.02");
}

#[test]
fn cement_with_a_default_clinker_precursor_counts_indirect_emissions() {
    // Portland cement (CN 2523 29 00), illustrative grinding plant: 1,000 t, 20 t CO2e direct,
    // 45 MWh × 0.5 t/MWh = 22.5 t indirect; 750 t of Chinese grey clinker at default values
    // [DV] 1.35 direct + 0.04 indirect, × 1.1 in 2026 = 1.485 + 0.044.
    let good = json!({"cn_code": "2523 29 00", "country": "CN", "production": {"activity_level": {"value": "1000", "unit": "t"},
        "direct_emissions_t": "20", "electricity": {"consumed": {"value": "45", "unit": "MWh"}, "factor_t_per_mwh": "0.5"},
        "precursors": [{"mass": {"value": "750", "unit": "t"}, "good": {"cn_code": "2523 10 00"}}]}});
    let out = call("cbam_embedded", json!({"year": 2026, "good": good})).unwrap();
    let g = &out["good"];
    // Direct (20 + 750 × 1.485) / 1000 = 1.13375; indirect (22.5 + 750 × 0.044) / 1000 = 0.0555;
    // cement counts both [R Annex II]: 1.18925.
    assert_eq!(d(&g["see_direct"]), dec!(1.13375));
    assert_eq!(d(&g["see_indirect"]), dec!(0.0555));
    assert_eq!(d(&g["see"]), dec!(1.18925));
    assert_eq!(g["precursors"][0]["good"]["data"], "default");
    assert_eq!(g["precursors"][0]["good"]["route"], "A");
    let ids: Vec<&str> = out["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"default_value_CN_2523100090@2026 base (before mark-up)"),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"indirect_emissions_counted@definitive period"),
        "{ids:?}"
    );
}

#[test]
fn electricity_in_mwh_without_free_allocation_or_de_minimis() {
    // No electricity default values are bundled: an illustrative user row of 0.8 t CO2e/MWh for
    // other countries. No mark-up (the data gives none for electricity), no free allocation to
    // adjust for, never exempt: 1 GWh → 1,000 MWh × 0.8 = 800 certificates × EUR 75.28 (Q2).
    let table = r#"[{"cn_code": "2716 00 00", "country": "OTHER", "direct": "0.8", "source": "illustrative"}]"#;
    let out = obligation(
        json!({"year": 2026, "default_values": {"tables": [{"name": "grid", "format": "json", "text": table}]},
        "lines": [{"good": {"cn_code": "2716 00 00", "country": "RS"}, "mass": {"value": "1", "unit": "GWh"}, "quarter": 2}]}),
    );
    let r = &out["lines"][0];
    assert_eq!(r["unit"], "MWh");
    assert_eq!(r["mass"], "1000");
    assert_eq!(r["embedded"]["markup"], "0");
    assert_eq!(r["benchmark"], Value::Null);
    assert_eq!(r["de_minimis_exempt"], false);
    assert_eq!(r["certificates"], "800");
    assert_eq!(r["cost_eur"], "60224");
    assert_eq!(out["totals"]["electricity_mwh"], "1000");
    assert_eq!(out["totals"]["mass_t"], "0");
    assert_eq!(out["de_minimis"]["counted_mass_t"], "0");
}

// ---------------------------------------------------------------------------------------------
// Scenarios, years and errors

#[test]
fn proposal_scenario_is_explicit_only() {
    let l = line("7208", "CN", "100");
    let law =
        obligation(json!({"year": 2030, "certificate_price_eur": "80", "lines": [l.clone()]}));
    assert_eq!(law["cbam_factor"], "0.515");
    assert_eq!(law["scenario"], Value::Null);
    // [COM] 2030: 0.59 × 1.37 × 100 = 80.83 t; 414.31 − 80.83 = 333.48 certificates.
    let p = obligation(
        json!({"year": 2030, "scenario": "COM(2026)616", "certificate_price_eur": "80", "lines": [l]}),
    );
    assert_eq!(p["cbam_factor"], "0.59");
    assert_eq!(p["scenario"], "COM(2026)616");
    assert_eq!(d(&p["totals"]["certificates"]), dec!(333.48));
    assert!(p["warnings"][0].as_str().unwrap().contains("PROPOSAL"));
    let src = p["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["id"]
                .as_str()
                .unwrap()
                .starts_with("cbam_factor_proposal")
        })
        .unwrap();
    assert_eq!(src["status"], "unverified");
    assert_eq!(src["status_note"], "PROPOSAL ONLY (not law)");
}

#[test]
fn from_2034_no_free_allocation_and_no_benchmark_needed() {
    // CBAM factor 0 from 2034 [CF]: certificates = embedded, even for a good without a bundled
    // benchmark (cold-rolled, CN 7209: [DV] 3.205 × 1.3 = 4.1665).
    let out = obligation(
        json!({"year": 2034, "certificate_price_eur": "100", "lines": [line("7209 15 00", "CN", "100")]}),
    );
    assert_eq!(out["cbam_factor"], "0");
    assert_eq!(out["cross_sectoral_correction_factor"], Value::Null);
    assert_eq!(out["lines"][0]["benchmark"], Value::Null);
    assert_eq!(out["totals"]["certificates"], "416.65");
    assert_eq!(out["totals"]["cost_eur"], "41665");
}

#[test]
fn errors_name_what_is_missing() {
    // Only China's default values are bundled.
    let e = err(
        "cbam_obligation",
        json!({"year": 2026, "lines": [line("7208 51 20", "IN", "100")]}),
    );
    assert_eq!(e.code(), "DEFAULT_VALUE_NOT_FOUND");
    assert!(
        e.to_string().contains("7208 51 20") && e.to_string().contains(" IN"),
        "{e}"
    );
    // A user's table with an "other countries" row fills the gap (flagged unverified).
    let table = "cn_code,country,direct,route,source\n7208,OTHER,2.5,C,illustrative copy of IR 2025/2621 other countries\n";
    let mut l = line("7208 51 20", "IN", "100");
    l["quarter"] = json!(3);
    let out = obligation(
        json!({"year": 2026, "default_values": {"tables": [{"name": "mine", "format": "csv", "text": table}]}, "lines": [l]}),
    );
    // 2.5 × 1.1 = 2.75 → 275 t; − 133.575 = 141.425 × Q3 82.32 = 11,642.106 → 11,642.11.
    assert_eq!(out["totals"]["certificates"], "141.425");
    assert_eq!(out["totals"]["cost_eur"], "11642.11");
    assert!(out["warnings"][0]
        .as_str()
        .unwrap()
        .contains("unverified number used: user:mine:2"));

    let mut q4 = line("7208", "CN", "100");
    q4["quarter"] = json!(4);
    let e = err("cbam_obligation", json!({"year": 2026, "lines": [q4]}));
    assert_eq!(e.code(), "CERTIFICATE_PRICE_MISSING");
    assert!(e.to_string().contains("2026-Q4"), "{e}");
    let e = err(
        "cbam_obligation",
        json!({"year": 2027, "lines": [line("7208", "CN", "100")]}),
    );
    assert_eq!(e.code(), "CERTIFICATE_PRICE_MISSING");
    assert!(e.to_string().contains("weekly"), "{e}");
    // Cold-rolled coil (7209): default value bundled, column B benchmark not.
    let e = err(
        "cbam_obligation",
        json!({"year": 2026, "certificate_price_eur": "80", "lines": [line("7209 15 00", "CN", "100")]}),
    );
    assert_eq!(e.code(), "BENCHMARK_NOT_FOUND");
    assert!(e.to_string().contains("7209 15 00, route C"), "{e}");
    // 2031–2033: the bundled benchmarks and CSCF end in 2030.
    let e = err(
        "cbam_obligation",
        json!({"year": 2031, "certificate_price_eur": "80", "lines": [line("7208", "CN", "100")]}),
    );
    assert_eq!(e.code(), "CBAM_PARAMETER_MISSING");
    let e = err(
        "cbam_obligation",
        json!({"year": 2031, "certificate_price_eur": "80", "cross_sectoral_correction_factor": "1", "lines": [line("7208", "CN", "100")]}),
    );
    assert_eq!(e.code(), "BENCHMARK_NOT_FOUND");
    // Not a CBAM good; not a CN code; wrong route; unknown scenario; transitional period.
    assert_eq!(
        err(
            "cbam_embedded",
            json!({"year": 2026, "good": {"cn_code": "8708 29", "country": "CN"}})
        )
        .code(),
        "NOT_CBAM_GOOD"
    );
    assert_eq!(
        err(
            "cbam_embedded",
            json!({"year": 2026, "good": {"cn_code": "72O8", "country": "CN"}})
        )
        .code(),
        "INVALID_CN_CODE"
    );
    assert_eq!(
        err(
            "cbam_embedded",
            json!({"year": 2026, "good": {"cn_code": "7208", "country": "CN", "route": "K"}})
        )
        .code(),
        "UNKNOWN_ROUTE"
    );
    assert_eq!(
        err(
            "cbam_embedded",
            json!({"year": 2026, "good": {"cn_code": "7208", "country": "China"}})
        )
        .code(),
        "INVALID_COUNTRY"
    );
    assert_eq!(
        err(
            "cbam_obligation",
            json!({"year": 2026, "scenario": "fast", "lines": []})
        )
        .code(),
        "UNKNOWN_SCENARIO"
    );
    assert_eq!(
        err("cbam_obligation", json!({"year": 2025, "lines": []})).code(),
        "OUT_OF_RANGE"
    );
    assert_eq!(
        err(
            "cbam_obligation",
            json!({"year": 2026, "lines": [line("7208", "CN", "-1")]})
        )
        .code(),
        "NEGATIVE_AMOUNT"
    );
    assert_eq!(err("cbam_obligation", json!({"year": 2026, "lines": [{"good": {"cn_code": "7208", "country": "CN"}, "mass": {"value": "1", "unit": "MWh"}}]})).code(), "UNIT_MISMATCH");
}

#[test]
fn declaration_totals_by_cn_code_country_and_installation() {
    let mut a = line("7208 51 20", "CN", "100");
    a["quarter"] = json!(1);
    a["good"]["installation"] = json!("CN-HB-001");
    let mut b = line("7208 51 20", "CN", "50");
    b["quarter"] = json!(2);
    b["good"]["installation"] = json!("CN-JS-002");
    let mut c = line("7601 10 00", "CN", "60");
    c["quarter"] = json!(2);
    let out = obligation(json!({"year": 2026, "lines": [a, b, c]}));
    // 7208: 216.995 + 50 × 2.16995 = 325.4925 certificates.
    assert_eq!(out["by_cn_code"]["72085120"]["certificates"], "325.4925");
    assert_eq!(out["by_cn_code"]["72085120"]["mass_t"], "150");
    assert_eq!(out["by_country"]["CN"]["lines"], 3);
    assert_eq!(
        out["by_installation"]["unspecified"]["certificates"],
        "114.7545"
    );
    // Total cost is the exact sum rounded: 16,352.7432 + 108.4975 × 75.28 (8,167.6918) + 8,638.71876.
    let exact = dec!(16352.7432) + dec!(108.4975) * dec!(75.28) + dec!(8638.71876);
    assert_eq!(d(&out["totals"]["cost_eur_exact"]), exact);
    assert_eq!(d(&out["totals"]["cost_eur"]), exact.round_dp(2));
    let sum: Decimal = out["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| d(&l["certificates"]))
        .sum();
    assert_eq!(d(&out["totals"]["certificates"]), sum);
}

// ---------------------------------------------------------------------------------------------
// Properties

fn amount(lo: i64, hi: i64) -> impl Strategy<Value = Decimal> {
    (lo..hi, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s))
}

fn certificates(
    mass: Decimal,
    see: Decimal,
    paid: Option<Decimal>,
    price: Decimal,
    year: i32,
) -> (Decimal, Value) {
    let mut l = json!({"good": {"cn_code": "7601 10 00", "country": "CN", "route": "K", "see": {"direct": see.to_string()}},
        "mass": {"value": mass.to_string(), "unit": "t"}, "certificate_price_eur": price.to_string()});
    if let Some(p) = paid {
        l["carbon_price_paid_eur_per_t"] = json!(p.to_string());
    }
    let out = obligation(json!({"year": year, "lines": [l]}));
    (d(&out["totals"]["certificates"]), out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn certificates_are_linear_in_mass(m in (51_000i64..10_000_000_000).prop_map(|x| Decimal::new(x, 3)), k in 1i64..20, see in amount(0, 200_000), year in 2026i32..2031) {
        // Above the de-minimis threshold (51 t and more), k times the mass owes k times the certificates.
        let (one, out) = certificates(m, see, None, dec!(80), year);
        prop_assert_eq!(&out["de_minimis"]["exempt"], false);
        let (many, _) = certificates(m * Decimal::from(k), see, None, dec!(80), year);
        prop_assert_eq!(many, one * Decimal::from(k));
        // With a carbon price paid the deduction divides by the certificate price: linear up to
        // the 28th significant digit.
        let (one, _) = certificates(m, see, Some(dec!(12.34)), dec!(81.7), year);
        let (many, _) = certificates(m * Decimal::from(k), see, Some(dec!(12.34)), dec!(81.7), year);
        prop_assert!((many - one * Decimal::from(k)).abs() <= dec!(1e-15) * many.max(Decimal::ONE));
    }

    #[test]
    fn certificates_are_never_negative(m in amount(0, 10_000_000), see in amount(0, 50_000), paid in amount(0, 2_000_000), price in amount(1, 2_000_000), year in 2026i32..2040) {
        let (c, out) = certificates(m, see, Some(paid), price, if year > 2030 && year < 2034 { 2030 } else { year });
        let r = &out["lines"][0];
        prop_assert!(c >= Decimal::ZERO);
        prop_assert!(d(&r["free_allocation_adjustment_t"]) <= d(&r["embedded_t"]));
        prop_assert!(d(&r["cost_eur"]) >= Decimal::ZERO);
        if r["de_minimis_exempt"] == true {
            prop_assert_eq!(c, Decimal::ZERO);
        } else {
            prop_assert_eq!(
                d(&r["certificates"]) + d(&r["carbon_price_deduction_t"]) + d(&r["free_allocation_adjustment_t"]),
                d(&r["embedded_t"])
            );
        }
    }

    #[test]
    fn markup_is_monotone_in_year(y1 in 2026i32..2060, dy in 0i32..20, cn in prop::sample::select(vec!["7208", "7601 10 00", "2523 10 00", "2814 10 00", "2804 10 00"])) {
        let see = |y: i32| d(&call("cbam_embedded", json!({"year": y, "good": {"cn_code": cn, "country": "CN"}})).unwrap()["good"]["see"]);
        let m = |y: i32| d(&call("cbam_embedded", json!({"year": y, "good": {"cn_code": cn, "country": "CN"}})).unwrap()["good"]["markup"]);
        prop_assert!(m(y1) <= m(y1 + dy));
        prop_assert!(see(y1) <= see(y1 + dy));
    }
}
