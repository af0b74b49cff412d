#![allow(clippy::expect_used, clippy::unwrap_used)]
//! PACT ↔ product footprints: a supplier's PACT document replaces a part's default data, and a
//! footprint is exported as a PACT document (issue 5, "done when").

use serde_json::{json, Value};
use tanso::api::call;

fn pact_request(version: &str) -> Value {
    json!({
        "version": version,
        "id": "3f0e7b6c-1d2a-4c5b-9e8f-0a1b2c3d4e5f",
        "created": "2026-01-15T00:00:00Z",
        "company_name": "Bracket Works Ltd",
        "company_ids": ["urn:uuid:51131fb5-42f2-4a8d-9d8c-9d2b0c4f2a10"],
        "product_ids": ["urn:pact:company:bracketworks:product-id:BR-2"],
        "product_description": "steel bracket",
        "product_category_cpc": "4299",
        "reference_period_start": "2025-01-01T00:00:00Z",
        "reference_period_end": "2026-01-01T00:00:00Z",
        "fossil_carbon_content": "0",
        "biogenic_carbon_content": "0",
        "exempted_emissions_description": "",
        "packaging_included": false,
        "geography_country": "CN"
    })
}

/// A steel bracket: 2 kg BF-BOF crude steel (2.32 kg CO2/kg) and 1 kWh at 0.5 kg CO2e/kWh
/// measured at the site: 4.64 + 0.5 = 5.14 kg CO2e; primary share 0.5 / 5.14.
fn bracket(pact: Option<Value>) -> Value {
    let mut doc = json!({
        "product": {"id": "bracket", "name": "Steel bracket BR-2", "declared_unit": "1 piece"},
        "parts": [{"id": "bracket", "materials": [{"material": "steel", "route": "bf_bof", "form": "crude", "mass_kg": 2}],
                   "processes": [{"name": "stamping", "electricity_kwh": 1, "grid_kg_co2e_per_kwh": 0.5}]}]
    });
    if let Some(p) = pact {
        doc["pact"] = p;
    }
    doc
}

fn footprint(doc: Value) -> Value {
    call("product_footprint", doc).unwrap()
}

fn v2_request() -> Value {
    let mut r = pact_request("2.3");
    r["dqr"] = json!({"technological": "1", "temporal": "1", "geographical": "2", "completeness": "1", "reliability": "1", "coverage_percent": 100});
    r
}

/// A motor housing that buys two brackets (given as `part`) and has 1 kg of its own BF-BOF
/// steel: 2.32 kg CO2e.
fn motor(bracket_part: Value) -> Value {
    json!({
        "product": {"id": "motor", "declared_unit": "1 piece"},
        "parts": [
            {"id": "housing", "materials": [{"material": "steel", "route": "bf_bof", "form": "crude", "mass_kg": 1}]},
            bracket_part
        ]
    })
}

#[test]
fn a_footprint_as_a_pact_v3_document() {
    let out = footprint(bracket(Some(pact_request("3.0"))));
    assert_eq!(out["total_kg_co2e"], json!("5.14"));
    let doc = &out["pact_document"];
    let valid = call("pact_validate", json!({"document": doc})).unwrap();
    assert_eq!(valid["valid"], json!(true), "{valid}");
    assert_eq!(doc["specVersion"], json!("3.0.0"));
    let pcf = &doc["pcf"];
    assert_eq!(pcf["declaredUnitOfMeasurement"], json!("piece"));
    assert_eq!(pcf["declaredUnitAmount"], json!("1"));
    assert_eq!(pcf["productMassPerDeclaredUnit"], json!("2"));
    assert_eq!(pcf["pcfExcludingBiogenicUptake"], json!("5.14"));
    assert_eq!(pcf["pcfIncludingBiogenicUptake"], json!("5.14"));
    assert_eq!(pcf["fossilGhgEmissions"], json!("5.14"));
    // 0.5 kg CO2e of measured electricity / 5.14
    assert_eq!(pcf["primaryDataShare"], json!("9.7276"));
    assert_eq!(pcf["geographyCountry"], json!("CN"));
    assert_eq!(pcf["ipccCharacterizationFactors"], json!(["AR6"]));
    assert_eq!(doc["productNameCompany"], json!("Steel bracket BR-2"));
}

#[test]
fn a_footprint_as_a_pact_v2_document_is_per_kilogram() {
    let out = footprint(bracket(Some(v2_request())));
    let doc = &out["pact_document"];
    let valid = call("pact_validate", json!({"document": doc})).unwrap();
    assert_eq!(valid["valid"], json!(true), "{valid}");
    let pcf = &doc["pcf"];
    // v2.3 has no piece: 5.14 kg CO2e per 2 kg bracket = 2.57 per kg, unitaryProductAmount 2.
    assert_eq!(pcf["declaredUnit"], json!("kilogram"));
    assert_eq!(pcf["unitaryProductAmount"], json!("2"));
    assert_eq!(pcf["pCfExcludingBiogenic"], json!("2.57"));
    assert_eq!(pcf["pCfIncludingBiogenic"], json!("2.57"));
    assert_eq!(pcf["biogenicAccountingMethodology"], json!("ISO"));
    assert_eq!(pcf["dqi"]["geographicalDQR"], json!("2"));
}

#[test]
fn round_trip_footprint_pact_summary_bom_gives_the_same_kg_per_piece() {
    // The bracket modelled in the motor's own BOM …
    let direct = footprint(motor(json!({"id": "bracket", "quantity": 2,
        "materials": [{"material": "steel", "route": "bf_bof", "form": "crude", "mass_kg": 2}],
        "processes": [{"name": "stamping", "electricity_kwh": 1, "grid_kg_co2e_per_kwh": 0.5}]})));
    assert_eq!(direct["total_kg_co2e"], json!("12.6")); // 2 × 5.14 + 2.32
    for (req, mass) in [(pact_request("3.0"), None), (v2_request(), None), (v2_request(), Some(2.0)), (pact_request("3.0"), Some(2.0))] {
        let doc = footprint(bracket(Some(req)))["pact_document"].clone();
        let summary = call("pact_summary", json!({"document": doc})).unwrap();
        let per_piece = if summary["unit"] == json!("kilogram") { "2.57" } else { "5.14" };
        assert_eq!(summary["total_including_biogenic"], json!(per_piece));
        let mut part = json!({"id": "bracket", "quantity": 2, "supplier": "Bracket Works", "supplier_pact": doc});
        if let Some(m) = mass {
            part["mass_kg"] = json!(m);
        }
        let out = footprint(motor(part));
        assert_eq!(out["total_kg_co2e"], direct["total_kg_co2e"], "{summary}");
        assert_eq!(out["by_supplier"]["Bracket Works"], json!("10.28"));
        assert_eq!(out["by_part"][1]["data"], json!("supplier_pcf"));
        // Primary data: 2 × 0.5 kWh·factor in the direct model; the supplier's 9.7276 % of
        // 10.28 = 0.99999728 in the other; both 7.9365 % of 12.6.
        assert_eq!(out["report"]["primary_data_share"], direct["report"]["primary_data_share"]);
        assert_eq!(out["report"]["primary_data_share"], json!("7.9365"));
        let notes = out["report"]["notes"].as_array().unwrap();
        assert!(notes.iter().any(|n| n.as_str().unwrap().contains("supplier PACT") && n.as_str().unwrap().contains("replaces")), "{notes:?}");
    }
}

/// PACT decision 0036's 12 L bottle: v3 liter / 12 / 18 kg CO2e / 9.468 kg.
fn bottle_v3(dqi: Value) -> Value {
    json!({
        "id": "91715e5e-fd0b-4d1c-8fab-76290c46e6ed",
        "specVersion": "3.0.0",
        "created": "2026-01-15T00:00:00Z",
        "status": "Active",
        "companyName": "Ethanol Co",
        "companyIds": ["urn:uuid:69585b16-5619-4b1e-8d5a-2f3e1c0a9b87"],
        "productDescription": "bio-ethanol, 12 L bottle",
        "productIds": ["urn:pact:company:ethanolco:product-id:E12"],
        "productNameCompany": "Bio-ethanol 12 L",
        "pcf": {
            "declaredUnitOfMeasurement": "liter",
            "declaredUnitAmount": "12",
            "productMassPerDeclaredUnit": "9.468",
            "referencePeriodStart": "2025-01-01T00:00:00Z",
            "referencePeriodEnd": "2026-01-01T00:00:00Z",
            "geographyCountry": "DE",
            "pcfExcludingBiogenicUptake": "18",
            "pcfIncludingBiogenicUptake": "12",
            "fossilGhgEmissions": "15",
            "landUseChangeGhgEmissions": "1",
            "biogenicNonCO2Emissions": "2",
            "biogenicCO2Uptake": "-6",
            "fossilCarbonContent": "0",
            "ipccCharacterizationFactors": ["AR6"],
            "crossSectoralStandards": ["ISO14067"],
            "exemptedEmissionsPercent": "0",
            "primaryDataShare": "50",
            "dqi": dqi
        }
    })
}

#[test]
fn declared_unit_amount_mass_and_dqr_mapping() {
    let dqi = json!({"technologicalDQR": "3", "temporalDQR": "5", "geographicalDQR": "1"});
    let doc = bottle_v3(dqi);
    assert_eq!(call("pact_validate", json!({"document": doc})).unwrap()["valid"], json!(true));
    // No part mass: one piece = one document product = 12 L: the values as written.
    let (pcf, _) = tanso::exchange::footprint::supplier_pcf_of(&doc, None, "p").unwrap();
    assert_eq!(pcf.declared_unit.as_deref(), Some("piece"));
    assert_eq!(pcf.total_kg_co2e.to_string(), "12");
    assert_eq!(pcf.fossil_kg_co2e.unwrap().to_string(), "15");
    assert_eq!(pcf.dluc_kg_co2e.unwrap().to_string(), "1");
    assert_eq!(pcf.biogenic_kg_co2e.unwrap().to_string(), "-4"); // 2 − 6
    assert_eq!(pcf.primary_data_share.unwrap().to_string(), "50");
    let q = pcf.dqr.unwrap();
    // v3 1–5 onto 1–3: (r + 1) / 2
    assert_eq!((q.technological.unwrap().to_string(), q.temporal.unwrap().to_string(), q.geographical.unwrap().to_string()), ("2".into(), "3".into(), "1".into()));
    assert!(q.completeness.is_none() && q.reliability.is_none());
    // With a part mass: per kg = per liter / kg per liter; 12 / 12 / 0.789.
    let (pcf, _) = tanso::exchange::footprint::supplier_pcf_of(&doc, Some(9.468), "p").unwrap();
    assert_eq!(pcf.declared_unit.as_deref(), Some("kg"));
    let per_kg: f64 = pcf.total_kg_co2e.to_string().parse().unwrap();
    assert!((per_kg * 9.468 - 12.0).abs() < 1e-12, "{per_kg}");
    // In a BOM: 3 bottles, biogenic and dLUC apart.
    let out = footprint(json!({"product": {"id": "kit"}, "parts": [{"id": "bottle", "quantity": 3, "supplier_pact": doc}]}));
    assert_eq!(out["total_kg_co2e"], json!("36"));
    assert_eq!(out["report"]["fossil_kg_co2e"], json!("45"));
    assert_eq!(out["report"]["dluc_kg_co2e"], json!("3"));
    assert_eq!(out["report"]["biogenic_kg_co2e"], json!("-12"));
    assert_eq!(out["report"]["primary_data_share"], json!("50"));
}

#[test]
fn net_biogenic_uptake_is_exported_as_uptake() {
    let doc = bottle_v3(json!({"technologicalDQR": "1", "temporalDQR": "1", "geographicalDQR": "1"}));
    let mut req = pact_request("3.0");
    req["id"] = json!("0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d");
    req["mass_kg_per_unit"] = json!("9.468");
    let out = footprint(json!({"product": {"id": "kit", "declared_unit": "1 piece"}, "parts": [{"id": "bottle", "supplier_pact": doc}], "pact": req}));
    let pcf = &out["pact_document"]["pcf"];
    assert_eq!(pcf["fossilGhgEmissions"], json!("15"));
    assert_eq!(pcf["landUseChangeGhgEmissions"], json!("1"));
    assert_eq!(pcf["biogenicCO2Uptake"], json!("-4"));
    assert_eq!(pcf["biogenicNonCO2Emissions"], json!("0"));
    assert_eq!(pcf["pcfIncludingBiogenicUptake"], json!("12"));
    assert_eq!(pcf["pcfExcludingBiogenicUptake"], json!("16"));
    assert_eq!(pcf["primaryDataShare"], json!("50"));
    // The supplier's v3 ratings, mapped to 1–3 and back: 1 → 1 → 1 … but product's weighted
    // DQR needs all five v2 indicators, so none is exported.
    assert!(pcf.get("dqi").is_none());
}

#[test]
fn errors() {
    let code = |doc: Value| call("product_footprint", doc).unwrap_err();
    // An invalid supplier document: every failing field, under the part's path.
    let mut bad = bottle_v3(json!({"technologicalDQR": "1", "temporalDQR": "1", "geographicalDQR": "1"}));
    bad["pcf"]["fossilGhgEmissions"] = json!("-1");
    bad["id"] = json!("nope");
    let e = code(motor(json!({"id": "bracket", "supplier_pact": bad})));
    assert_eq!(e.code(), "PACT_INVALID");
    let paths: Vec<String> = match &e {
        tanso::error::TansoError::Exchange(x) => x.failures().iter().map(|f| f.path.clone()).collect(),
        _ => vec![],
    };
    assert!(paths.contains(&"parts[1].supplier_pact.pcf.fossilGhgEmissions".to_string()), "{paths:?}");
    assert!(paths.contains(&"parts[1].supplier_pact.id".to_string()), "{paths:?}");
    // Nested parts are found too; version unknown.
    let e = code(motor(json!({"id": "asm", "parts": [{"id": "bracket", "supplier_pact": {"specVersion": "1.0.0"}}]})));
    assert_eq!(e.code(), "PACT_UNSUPPORTED_VERSION");
    assert!(e.to_string().contains("parts[1].parts[0].supplier_pact.specVersion"), "{e}");
    // Both kinds of supplier data.
    let good = bottle_v3(json!({"technologicalDQR": "1", "temporalDQR": "1", "geographicalDQR": "1"}));
    let e = code(motor(json!({"id": "bracket", "supplier_pact": good, "supplier_pcf": {"total_kg_co2e": "1"}})));
    assert_eq!(e.code(), "INVALID_SUPPLIER_PCF");
    // A liter document with a product mass of 0, for a part given by mass.
    let mut liter = good.clone();
    liter["pcf"]["productMassPerDeclaredUnit"] = json!("0");
    let e = code(motor(json!({"id": "bracket", "mass_kg": 2, "supplier_pact": liter})));
    assert_eq!(e.code(), "INVALID_SUPPLIER_PCF");
    assert!(e.to_string().contains("parts[1].supplier_pact.pcf.productMassPerDeclaredUnit"), "{e}");
    // Computed values are not accepted in `pact`.
    let mut req = pact_request("3.0");
    req["fossil"] = json!("1");
    assert_eq!(code(bracket(Some(req))).code(), "INVALID_INPUT");
    // What the BOM cannot give and PACT requires is listed.
    let mut req = pact_request("3.0");
    req.as_object_mut().unwrap().remove("fossil_carbon_content");
    req.as_object_mut().unwrap().remove("id");
    let e = code(bracket(Some(req)));
    assert_eq!(e.code(), "PACT_INVALID");
    assert!(e.to_string().contains("pcf.fossilCarbonContent") && e.to_string().contains("id"), "{e}");
    // v2.3 from 2025 needs DQRs the BOM does not have.
    let e = code(bracket(Some(pact_request("2.3"))));
    assert!(e.to_string().contains("pcf.dqi"), "{e}");
    // An unknown version.
    let mut req = pact_request("3.0");
    req["version"] = json!("4.0");
    assert_eq!(code(bracket(Some(req))).code(), "PACT_UNSUPPORTED_VERSION");
    // Without `pact` there is no document.
    assert!(footprint(bracket(None)).get("pact_document").is_none());
}
