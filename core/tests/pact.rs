#![allow(clippy::unwrap_used, clippy::expect_used)]
//! PACT ProductFootprint exchange: lossless round trip of the spec examples and of generated
//! documents, every failure listed, v2.3 ↔ v3.0 conversion against PACT decision record 0036.

use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{json, Value};
use tanso::exchange::convert::{v2_to_v3, v3_to_v2};
use tanso::exchange::pact::{PactDecimal, ProductFootprintV2, ProductFootprintV3};
use tanso::exchange::validate::{validate, PactVersion};

fn vectors() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/vectors/pact.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn case_input(name_start: &str) -> Value {
    vectors()["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"].as_str().unwrap().starts_with(name_start))
        .unwrap()["input"]
        .clone()
}

/// Source: PACT Tech Specs v3.0.0 example 1 (wbcsd/data-exchange-protocol
/// spec/v3/examples/example-1.json): read and written again, the same JSON value; the
/// property `otherOperatorName`, which v3.0 defines on the rule and the example writes on the
/// pcf, is kept as an unknown property.
#[test]
fn v3_spec_example_round_trips() {
    let doc = case_input("v3.0 spec example 1")["document"].clone();
    let pf: ProductFootprintV3 = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(serde_json::to_value(&pf).unwrap(), doc);
    assert_eq!(pf.pcf.as_ref().unwrap().other["otherOperatorName"], json!("TfS"));
    // Decimals keep their text: "0.384" stays "0.384", "-1.23" stays "-1.23".
    let text = serde_json::to_string(&pf).unwrap();
    assert!(text.contains(r#""pcfExcludingBiogenicUptake":"0.384""#), "{text}");
}

/// Source: PACT Tech Specs v2 example get-footprint-response.json: numbers stay numbers
/// (`primaryDataShare: 12.9`, `coveragePercent: 78`), strings stay strings, the unknown
/// `geographicScope` object and the extension's data are kept.
#[test]
fn v2_spec_example_round_trips() {
    let doc = case_input("v2 spec example: 'GHPG'")["document"].clone();
    let pf: ProductFootprintV2 = serde_json::from_value(doc.clone()).unwrap();
    let back = serde_json::to_value(&pf).unwrap();
    assert_eq!(back, doc);
    assert_eq!(back["pcf"]["primaryDataShare"], json!(12.9));
    assert_eq!(back["pcf"]["dqi"]["coveragePercent"], json!(78));
    assert_eq!(back["extensions"][0]["data"]["weight"], json!(10));
}

#[test]
fn decimal_text_is_exact_or_refused() {
    for ok in ["0", "1.50", "+2", "-0.000", "007.10", "1234567890123456789012345678"] {
        let d = PactDecimal::parse(ok).unwrap();
        assert_eq!(serde_json::to_value(&d).unwrap(), json!(ok));
    }
    for bad in ["1e3", ".5", "5.", "1,5", "", "--1", "123456789012345678901234567890", "0.12345678901234567890123456789"] {
        assert!(PactDecimal::parse(bad).is_none(), "{bad}");
    }
}

/// Every failing field is reported, not the first: 16 distinct failures of one document, and
/// the error message of the operations that refuse it names them all.
#[test]
fn all_failures_are_listed() {
    let doc = case_input("every failing field")["document"].clone();
    let failures = validate(&doc, PactVersion::V3);
    assert_eq!(failures.len(), 16, "{failures:#?}");
    let err = tanso::api::call("pact_summary", json!({ "document": doc })).unwrap_err();
    assert_eq!(err.code(), "PACT_INVALID");
    assert_eq!(err.area(), "exchange");
    let msg = err.to_string();
    for f in &failures {
        assert!(msg.contains(&f.path), "{} not in {msg}", f.path);
    }
    match err {
        tanso::TansoError::Exchange(e) => assert_eq!(e.failures(), failures.as_slice()),
        other => panic!("{other:?}"),
    }
}

/// PACT decision record 0036 "Clarify product amount", tables "12l bottle of Bio-Ethanol" and
/// "2000kg car": v2 (1.5 kgCO2e/liter, 0.789 kg/liter, 12 liter) is v3 (18 kgCO2e, 9.468 kg
/// per 12 liter); v2 (300 kgCO2e/kg, 1 kg/kg, 2000 kg) is v3 (600000 kgCO2e, 2000 kg). Hand
/// check: 1.5 × 12 = 18, 0.789 × 12 = 9.468, 300 × 2000 = 600000.
#[test]
fn decision_0036_examples() {
    for (unit, amount, pcf, mass, pcf3, mass3) in [
        ("liter", "12", "1.5", "0.789", dec!(18), dec!(9.468)),
        ("kilogram", "2000", "300", "1", dec!(600000), dec!(2000)),
    ] {
        let v2: ProductFootprintV2 = serde_json::from_value(json!({"pcf": {
            "declaredUnit": unit, "unitaryProductAmount": amount,
            "pCfExcludingBiogenic": pcf, "productMassPerDeclaredUnit": mass}}))
        .unwrap();
        let (v3, _) = v2_to_v3(&v2).unwrap();
        let c = v3.pcf.as_ref().unwrap();
        assert_eq!(c.pcf_excluding_biogenic_uptake.as_ref().unwrap().value(), pcf3);
        assert_eq!(c.product_mass_per_declared_unit.as_ref().unwrap().value(), mass3);
        let (back, _) = v3_to_v2(&v3);
        let b = back.pcf.unwrap();
        assert_eq!(b.p_cf_excluding_biogenic.unwrap().value(), pcf.parse::<Decimal>().unwrap());
        assert_eq!(b.product_mass_per_declared_unit.unwrap().value(), mass.parse::<Decimal>().unwrap());
    }
}

/// v3 → v2 division that does not terminate is rounded, and a note says so.
#[test]
fn inexact_division_is_noted() {
    let v3: ProductFootprintV3 = serde_json::from_value(json!({"pcf": {
        "declaredUnitOfMeasurement": "kilogram", "declaredUnitAmount": "3",
        "pcfExcludingBiogenicUptake": "1"}}))
    .unwrap();
    let (v2, notes) = v3_to_v2(&v3);
    let v = v2.pcf.unwrap().p_cf_excluding_biogenic.unwrap().value();
    assert_eq!(v, dec!(0.3333333333333333333333333333));
    assert!(notes.iter().any(|n| n.path == "pcf.pcfExcludingBiogenicUptake" && n.note.contains("rounded")));
}

/// The export side and the summary agree: values given per unit come back per unit, and the
/// exported document validates (hand check: 2.35 kg CO2e/kg × 4.2 kg = 9.87 kg CO2e).
#[test]
fn export_then_summary() {
    let mut input = case_input("export v3.0 from values");
    input["declared_unit"] = json!("kilogram");
    input["declared_unit_amount"] = json!("4.2");
    input["mass_kg_per_unit"] = json!("1");
    input["total_excluding_biogenic"] = json!("2.35");
    input["total_including_biogenic"] = json!("2.35");
    input["fossil"] = json!("2.3");
    let out = tanso::api::call("pact_export", input).unwrap();
    assert_eq!(out["document"]["pcf"]["pcfExcludingBiogenicUptake"], json!("9.87"));
    let s = tanso::api::call("pact_summary", json!({"document": out["document"]})).unwrap();
    assert_eq!(s["total_excluding_biogenic"], json!("2.35"));
    assert_eq!(s["declared_unit_amount"], json!("4.2"));
    assert_eq!(s["primary_data_share_percent"], json!("62.5"));
}

fn decimal() -> impl Strategy<Value = String> {
    (0u64..10_000_000, 0u32..6).prop_map(|(m, scale)| Decimal::new(m as i64, scale).to_string())
}

prop_compose! {
    fn v3_document()(
        excl in decimal(), fossil in decimal(), amount in (1u64..5000).prop_map(|a| a.to_string()),
        mass in decimal(), uptake in decimal(), share in (0u32..=100).prop_map(|p| p.to_string()),
        dqr in (10u32..=50).prop_map(|x| Decimal::new(i64::from(x), 1).to_string()),
        ext_value in any::<i32>(), with_dqi in any::<bool>(), unit in prop::sample::select(vec!["kilogram", "liter", "piece", "megajoule"]),
        cls in prop::collection::vec("[a-z0-9]{1,8}", 0..3),
    ) -> Value {
        let mut pcf = json!({
            "declaredUnitOfMeasurement": unit, "declaredUnitAmount": amount,
            "productMassPerDeclaredUnit": mass, "referencePeriodStart": "2024-01-01T00:00:00Z",
            "referencePeriodEnd": "2025-01-01T00:00:00Z", "geographyCountry": "CN",
            "pcfExcludingBiogenicUptake": excl, "pcfIncludingBiogenicUptake": excl,
            "fossilCarbonContent": "0", "biogenicCarbonContent": "0", "fossilGhgEmissions": fossil,
            "boundaryProcessesDescription": "cradle to gate",
            "biogenicCO2Uptake": format!("-{uptake}"), "ipccCharacterizationFactors": ["AR6"],
            "crossSectoralStandards": ["ISO14067", "PACT-3.0"], "exemptedEmissionsPercent": "0",
            "primaryDataShare": share, "packagingEmissionsIncluded": false,
            "x-vendor": {"n": ext_value, "list": [1, "two", null]}
        });
        if with_dqi {
            pcf["dqi"] = json!({"technologicalDQR": dqr, "geographicalDQR": dqr, "temporalDQR": dqr});
        }
        let mut doc = json!({
            "id": "0c0ffee0-1234-4abc-8def-0123456789ab", "specVersion": "3.0.0",
            "created": "2025-02-01T00:00:00Z", "status": "Active", "companyName": "Example",
            "companyIds": ["urn:example:company:1"], "productDescription": "generated",
            "productIds": ["urn:example:product:1"], "productNameCompany": "P", "pcf": pcf,
            "extensions": [{"specVersion": "2.0.0", "dataSchema": "https://example.invalid/s.json",
                            "data": {"v": ext_value}}]
        });
        if !cls.is_empty() {
            let mut seen = std::collections::BTreeSet::new();
            let urns: Vec<String> = cls.into_iter().filter(|c| seen.insert(c.clone()))
                .map(|c| format!("urn:pact:productclassification:un-cpc:{c}")).collect();
            doc["productClassifications"] = json!(urns);
        }
        doc
    }
}

proptest! {
    /// Validation never panics, whatever JSON it is given, and every failure names a path
    /// (or the document itself) and a rule.
    #[test]
    fn validation_never_panics(text in "\\PC{0,60}", n in any::<i64>(), b in any::<bool>()) {
        for doc in [
            json!({"specVersion": text, "id": text, "created": text, "companyIds": [text, text],
                   "pcf": {"declaredUnitAmount": text, "referencePeriodEnd": text, "dqi": {"technologicalDQR": n},
                           "productOrSectorSpecificRules": [{"operator": text}], "packagingEmissionsIncluded": b}}),
            json!(text), json!([n]), json!({"pcf": n}),
        ] {
            for version in [PactVersion::V2, PactVersion::V3] {
                for f in validate(&doc, version) {
                    prop_assert!(!f.rule.is_empty());
                }
            }
        }
    }

    /// A generated valid v3.0 document is valid, and read then written again is the same JSON
    /// value (decimals keep their scale, unknown properties and extensions are kept).
    #[test]
    fn generated_v3_documents_round_trip(doc in v3_document()) {
        prop_assert_eq!(validate(&doc, PactVersion::V3), vec![]);
        let pf: ProductFootprintV3 = serde_json::from_value(doc.clone()).unwrap();
        prop_assert_eq!(serde_json::to_value(&pf).unwrap(), doc);
    }

    /// v3 → v2 → v3 gives the same values back when the amount divides them exactly, and the
    /// v2 document validates when the v3 one names a UN CPC classification and a v2 unit.
    #[test]
    fn v3_v2_v3_keeps_values(doc in v3_document()) {
        let pf: ProductFootprintV3 = serde_json::from_value(doc).unwrap();
        let (v2, _) = v3_to_v2(&pf);
        let (v3, _) = v2_to_v3(&v2).unwrap();
        let (a, b) = (pf.pcf.as_ref().unwrap(), v3.pcf.as_ref().unwrap());
        let amount = a.declared_unit_amount.as_ref().unwrap().value();
        for (x, y) in [
            (&a.pcf_excluding_biogenic_uptake, &b.pcf_excluding_biogenic_uptake),
            (&a.fossil_ghg_emissions, &b.fossil_ghg_emissions),
            (&a.biogenic_co2_uptake, &b.biogenic_co2_uptake),
        ] {
            let (x, y) = (x.as_ref().unwrap().value(), y.as_ref().unwrap().value());
            let exact = (x / amount) * amount == x;
            if exact {
                prop_assert_eq!(x, y);
            } else {
                prop_assert!((x - y).abs() <= dec!(0.000000000000000000001) * amount.max(Decimal::ONE));
            }
        }
        let v2json = serde_json::to_value(&v2).unwrap();
        let cpc = pf.product_classifications.is_some();
        let unit_ok = tanso::exchange::validate::DECLARED_UNITS_V2.contains(&a.declared_unit_of_measurement.as_deref().unwrap());
        let failures = validate(&v2json, PactVersion::V2);
        if cpc && unit_ok {
            prop_assert_eq!(failures, vec![]);
        } else {
            prop_assert!(!failures.is_empty());
        }
    }
}
