//! The Brightway datapackage importer end to end, through `tanso::api::call("lca_import", …)`
//! and `tanso::lca::document::Model`.
//!
//! Names of the format: bw_processing 1.x `datapackage.py` (`add_persistent_vector`,
//! `add_persistent_array`, the resource fields `matrix`, `kind`, `group`, `category`,
//! `nrows`, the package flags `sum_intra_duplicates`, `sum_inter_duplicates`) and
//! `constants.py` (`INDICES_DTYPE`, `UNCERTAINTY_DTYPE`); matrix semantics of bw2calc `lca.py`
//! and matrix_utils `mapped_matrix.py`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine as _;
use serde_json::{json, Value};
use tanso::exchange::import::datapackage::build::Builder;
use tanso::exchange::import::{import_database, ImportOptions, SourceFile};
use tanso::lca::document::Model;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Three activities (electricity 10, coal 11, steel 12), two flows (CO2 100, CH4 101), a GWP
/// method; inputs stored positive with a flip, as bw2data stores them.
fn steel() -> Builder {
    let mut dp = Builder::new("steel");
    dp.vector(
        "technosphere_matrix",
        "tech",
        &[(10, 10, 1.0), (11, 10, 0.4), (11, 11, 1.0), (10, 11, 0.05), (12, 12, 1.0), (10, 12, 0.5), (11, 12, 0.6)],
        Some(&[false, true, false, true, false, true, true]),
        None,
    );
    dp.vector("biosphere_matrix", "bio", &[(100, 10, 0.9), (101, 11, 0.01), (100, 12, 1.5)], None, None);
    dp.vector("characterization_matrix", "gwp", &[(100, 1, 1.0), (101, 1, 29.8)], None, None);
    dp
}

fn call(files: Value, calculate: Value) -> Result<Value, tanso::TansoError> {
    tanso::api::call("lca_import", json!({"files": files, "calculate": calculate}))
}

fn loose(dp: &Builder) -> Value {
    Value::Array(
        dp.files()
            .iter()
            .map(|f| {
                if f.name.ends_with(".json") {
                    json!({"name": f.name, "text": String::from_utf8_lossy(&f.bytes)})
                } else {
                    json!({"name": f.name, "base64": b64(&f.bytes)})
                }
            })
            .collect(),
    )
}

#[test]
fn steel_through_the_document_api() {
    // hand calculation: A = [[1, -0.05, -0.5], [-0.4, 1, -0.6], [0, 0, 1]] (products 10, 11,
    // 12 × activities 10, 11, 12; the flip negates inputs).
    // 1 kg steel: x10 = 0.5 + 0.05·x11, x11 = 0.6 + 0.4·x10 → x10 = 0.53/0.98, x11 = 0.8/0.98;
    //   GWP = 0.9·x10 + 1.5 + 29.8·0.01·x11 = (0.477 + 0.2384)/0.98 + 1.5 = 2.23
    // 1 kWh electricity: x10 = 1/0.98, x11 = 0.4/0.98; GWP = (0.9 + 0.298·0.4)/0.98 = 1.04
    let out = call(
        loose(&steel()),
        json!({"demands": [{"name": "steel", "amounts": [{"id": 12, "amount": 1}]}, {"name": "kWh", "amounts": [{"id": 10, "amount": 1}]}]}),
    )
    .unwrap();
    let steel = out["results"][0]["scores"]["gwp"].as_f64().unwrap();
    let kwh = out["results"][1]["scores"]["gwp"].as_f64().unwrap();
    assert!((steel - 2.23).abs() < 1e-12, "{steel}");
    assert!((kwh - 1.04).abs() < 1e-12, "{kwh}");
    assert_eq!(out["report"]["counts"]["activities"], 3);
    assert_eq!(out["report"]["linked"]["only_provider"], 4);
}

#[test]
fn the_real_writers_zip_through_the_model() {
    // testdata/import/datapackage/steel.zip: written by bw_processing 1.6
    // (make_fixtures.py), the same steel system with distributions
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/import/datapackage/steel.zip")).unwrap();
    let db = import_database(&[SourceFile::new("steel.zip", bytes)], &ImportOptions::default()).unwrap();
    let model = Model::from_spec(&db.system).unwrap();
    let req = serde_json::from_value(json!({"demands": [{"amounts": [{"id": 12, "amount": 1}]}]})).unwrap();
    let out = model.calculate(&req).unwrap();
    assert!((out["results"][0]["scores"]["gwp"].as_f64().unwrap() - 2.23).abs() < 1e-12);
    assert_eq!(db.report.counts.uncertain_amounts, 4);
    assert_eq!(db.report.left_out.len(), 1);
    // Monte Carlo through the document: the mean stays near 2.23 (every distribution is
    // centred near its static value; 2,000 draws)
    let out = tanso::api::call(
        "lca_import",
        json!({"files": [{"name": "steel.zip", "base64": b64(&std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/import/datapackage/steel.zip")).unwrap())}],
               "monte_carlo": {"demands": [{"amounts": [{"id": 12, "amount": 1}]}], "iterations": 2000, "seed": 3, "threads": 1}}),
    )
    .unwrap();
    let text = out["monte_carlo"].to_string();
    assert!(text.contains("mean"), "{text}");
}

#[test]
fn scenario_group_and_presamples() {
    // a later biosphere group replaces steel's CO2 (sum_inter_duplicates false, matrix_utils
    // rebuild_matrix `matrix[r, c] = data`): 1.5 → 1.2, GWP = 2.23 − 0.3 = 1.93;
    // a presample array for coal's CH4: first column 0.02 replaces 0.01:
    //   + 29.8·0.01·x11 = 0.298·0.8/0.98 → 1.93 + 0.2432653061… = 2.1732653061…
    let mut dp = steel();
    dp.vector("biosphere_matrix", "scenario", &[(100, 12, 1.2)], None, None);
    dp.array("biosphere_matrix", "ch4", &[(101, 11)], &[vec![0.02, 0.05]], None);
    let out = call(loose(&dp), json!({"demands": [{"amounts": [{"id": 12, "amount": 1}]}]})).unwrap();
    let gwp = out["results"][0]["scores"]["gwp"].as_f64().unwrap();
    assert!((gwp - (1.93 + 0.298 * 0.8 / 0.98)).abs() < 1e-12, "{gwp}");
    let left = out["report"]["left_out"].as_array().unwrap();
    assert!(left.iter().any(|l| l["kind"] == "presamples"), "{left:?}");
}

#[test]
fn unlinked_products_are_listed() {
    let mut dp = steel();
    dp.vector("technosphere_matrix", "foreground", &[(13, 13, 1.0), (12, 13, 2.0), (555, 13, 1.0)], Some(&[false, true, true]), None);
    let out = call(loose(&dp), json!({"demands": [{"amounts": [{"id": 13, "amount": 1}]}]})).unwrap();
    // activity 13 uses 2 kg steel: 2 × 2.23 = 4.46; product 555 has no activity
    assert!((out["results"][0]["scores"]["gwp"].as_f64().unwrap() - 4.46).abs() < 1e-12);
    let unlinked = out["report"]["unlinked"].as_array().unwrap();
    assert_eq!(unlinked.len(), 1);
    assert_eq!(unlinked[0]["product"], "555");
    assert_eq!(unlinked[0]["activity"], 13);
}

#[test]
fn malformed_packages() {
    let error = |files: Value| call(files, Value::Null).map(|_| ()).unwrap_err();
    let calc_null_ok = call(loose(&steel()), Value::Null);
    assert!(calc_null_ok.is_ok(), "{calc_null_ok:?}");

    // missing resource file: MISSING_REFERENCE naming the descriptor, the resource and the file
    let mut dp = steel();
    dp.arrays.retain(|f| f.name != "tech.flip.npy");
    let e = error(loose(&dp));
    assert_eq!(e.code(), "MISSING_REFERENCE");
    let m = e.to_string();
    assert!(m.contains("datapackage.json") && m.contains("'tech.flip'") && m.contains("tech.flip.npy"), "{m}");

    // length mismatch
    let mut dp = steel();
    let k = dp.arrays.iter().position(|f| f.name == "tech.flip.npy").unwrap();
    dp.arrays[k].bytes = tanso::exchange::import::datapackage::npy::write("|b1", &[6], &[0; 6]);
    let e = error(loose(&dp));
    assert_eq!(e.code(), "MALFORMED_DATA");
    let m = e.to_string();
    assert!(m.contains("tech.flip.npy") && m.contains("'tech.flip'") && m.contains("6 rows"), "{m}");

    // broken zip
    let mut zip = steel().zip();
    zip.truncate(zip.len() - 30);
    let e = error(json!([{"name": "steel.zip", "base64": b64(&zip)}]));
    assert_eq!(e.code(), "MALFORMED_DATA");
    assert!(e.to_string().contains("steel.zip"), "{e}");

    // wrong profile
    let mut dp = steel();
    dp.descriptor["profile"] = json!("fiscal-data-package");
    let e = error(loose(&dp));
    assert_eq!(e.code(), "UNSUPPORTED_SCHEMA");
    assert!(e.to_string().contains("datapackage.json") && e.to_string().contains("fiscal-data-package"), "{e}");

    // unknown matrix
    let mut dp = steel();
    dp.vector("xtable_matrix", "xt", &[(1, 2, 1.0)], None, None);
    let e = error(json!([{"name": "steel.zip", "base64": b64(&dp.zip())}]));
    assert_eq!(e.code(), "UNSUPPORTED_SCHEMA");
    let m = e.to_string();
    assert!(m.contains("steel.zip: datapackage.json") && m.contains("'xt.indices'") && m.contains("xtable_matrix"), "{m}");
}
