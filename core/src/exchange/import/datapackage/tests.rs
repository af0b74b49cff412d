//! Unit tests of the datapackage importer. Names of the format: bw_processing 1.x
//! `datapackage.py` (`add_persistent_vector`, `add_persistent_array`, resource fields),
//! `constants.py` (`INDICES_DTYPE`, `UNCERTAINTY_DTYPE`); semantics: matrix_utils
//! `mapped_matrix.py` (`rebuild_matrix`), bw2calc `lca.py`, stats_arrays `distributions/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::build::Builder;
use super::*;
use crate::exchange::import::{import_database, ImportOptions};
use crate::lca::document::{CalculateRequest, Model};

const NAN: f64 = f64::NAN;

fn import_files(files: &[SourceFile]) -> ImportedDatabase {
    import_database(files, &ImportOptions::default()).unwrap()
}

fn score(db: &ImportedDatabase, activity: i64, method: &str) -> f64 {
    let model = Model::from_spec(&db.system).unwrap();
    let req: CalculateRequest = serde_json::from_value(json!({"demands": [{"amounts": [{"id": activity, "amount": 1.0}]}]})).unwrap();
    let out = model.calculate(&req).unwrap();
    out["results"][0]["scores"][method].as_f64().unwrap()
}

fn code(e: &TansoError) -> &'static str {
    e.code()
}

/// The steel system of `testdata/import/datapackage/make_fixtures.py`, built in Rust:
/// electricity 10, coal 11, steel 12; CO2 100, CH4 101.
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

#[test]
fn steel_scores_by_hand() {
    // A (rows = products 10, 11, 12; columns = activities 10, 11, 12), inputs flipped:
    //   [ 1    -0.05 -0.5 ]
    //   [-0.4   1    -0.6 ]
    //   [ 0     0     1   ]
    // for 1 kg steel: x12 = 1; x10 = 0.5 + 0.05·x11, x11 = 0.6 + 0.4·x10
    //   → x10 = 0.53/0.98, x11 = 0.8/0.98
    // GWP = 0.9·x10 + 1.5·x12 + 29.8·0.01·x11 = (0.477 + 0.2384)/0.98 + 1.5 = 0.73 + 1.5 = 2.23
    let db = import_files(&steel().files());
    assert!((score(&db, 12, "gwp") - 2.23).abs() < 1e-12);
    let r = &db.report;
    assert_eq!(r.format, "datapackage");
    assert_eq!(r.schema_version.as_deref(), Some("data-package"));
    assert_eq!((r.counts.processes, r.counts.activities, r.counts.flows), (3, 3, 2));
    assert_eq!((r.counts.technosphere_exchanges, r.counts.biosphere_exchanges), (4, 3));
    assert_eq!((r.counts.methods, r.counts.characterization_factors, r.counts.uncertain_amounts), (1, 2, 0));
    assert_eq!(r.linked.get("only_provider"), Some(&4));
    assert!(r.unlinked.is_empty() && r.left_out.is_empty(), "{r:?}");
    // the flip negates: coal into electricity is -0.4 in the matrix
    let e = db.system.technosphere.iter().find(|e| e.product == NodeId::Int(11) && e.activity == NodeId::Int(10)).unwrap();
    assert_eq!(e.amount, -0.4);
}

#[test]
fn reads_the_real_writers_zip() {
    // written by bw_processing 1.6 (testdata/import/datapackage/make_fixtures.py): int64
    // indices, f4 distributions, a flip array, a zip made by fsspec
    let bytes = include_bytes!("../../../../../testdata/import/datapackage/steel.zip").to_vec();
    let db = import_files(&[SourceFile::new("steel.zip", bytes)]);
    assert!((score(&db, 12, "gwp") - 2.23).abs() < 1e-12);
    let r = &db.report;
    // lognormal, triangular, uniform in the technosphere, normal in the biosphere; the
    // Weibull (type 8) of coal into steel is left out with its static value kept
    assert_eq!(r.counts.uncertain_amounts, 4);
    assert_eq!(r.left_out.len(), 1, "{:?}", r.left_out);
    assert!(r.left_out[0].reason.contains("type 8 (Weibull)"), "{:?}", r.left_out);
    assert!(r.left_out[0].id.contains("row 11, col 12"), "{:?}", r.left_out);
    let find = |p: i64, a: i64| db.system.technosphere.iter().find(|e| e.product == NodeId::Int(p) && e.activity == NodeId::Int(a)).unwrap();
    // lognormal loc = ln(0.4) stored as f4; flipped amount -0.4: the engine negates the sample
    match find(11, 10).uncertainty.clone().unwrap() {
        Distribution::Lognormal { mu: Some(mu), sigma } => {
            assert!((mu - 0.4f64.ln()).abs() < 1e-6);
            assert!((sigma - 0.1).abs() < 1e-7);
        }
        d => panic!("{d:?}"),
    }
    assert_eq!(find(11, 10).amount, -0.4);
    // triangular (0.04, 0.05, 0.07), flipped → (-0.07, -0.05, -0.04)
    match find(10, 11).uncertainty.clone().unwrap() {
        Distribution::Triangular { min, mode, max } => {
            assert!((min + 0.07).abs() < 1e-7 && (mode + 0.05).abs() < 1e-7 && (max + 0.04).abs() < 1e-7);
        }
        d => panic!("{d:?}"),
    }
    // uniform [0.4, 0.6], flipped → [-0.6, -0.4]
    assert!(matches!(find(10, 12).uncertainty, Some(Distribution::Uniform { min, max }) if (min + 0.6).abs() < 1e-7 && (max + 0.4).abs() < 1e-7));
    assert!(find(11, 12).uncertainty.is_none());
    // Monte Carlo runs on it
    let model = Model::from_spec(&db.system).unwrap();
    let req = serde_json::from_value(json!({"demands": [{"amounts": [{"id": 12, "amount": 1}]}], "iterations": 50, "seed": 1, "threads": 1})).unwrap();
    model.monte_carlo(&req, None).unwrap();
}

#[test]
fn distributions_map_to_the_engine() {
    // stats_arrays parameter conventions (lognormal.py, normal.py, uniform.py,
    // triangular.py, gamma.py, beta.py, discrete_uniform.py)
    let p = |code, loc, scale, shape, minimum, maximum, negative| Params { code, loc, scale, shape, minimum, maximum, negative };
    assert_eq!(distribution(&p(0, 1.0, NAN, NAN, NAN, NAN, false), 1.0, false), Ok(None));
    assert_eq!(distribution(&p(1, 1.0, NAN, NAN, NAN, NAN, false), 1.0, true), Ok(None));
    assert_eq!(distribution(&p(2, NAN, 0.2, NAN, NAN, NAN, false), 2.0, false), Ok(Some(Distribution::Lognormal { mu: None, sigma: 0.2 })));
    assert_eq!(distribution(&p(3, 2.0, 0.5, NAN, NAN, NAN, false), 2.0, true), Ok(Some(Distribution::Normal { mean: -2.0, sd: 0.5 })));
    assert_eq!(distribution(&p(4, NAN, NAN, NAN, 1.0, 3.0, false), 2.0, false), Ok(Some(Distribution::Uniform { min: 1.0, max: 3.0 })));
    assert_eq!(
        distribution(&p(9, 0.5, 2.0, 3.0, NAN, NAN, false), 6.5, false),
        Ok(Some(Distribution::Gamma { shape: 3.0, scale: 2.0, offset: 0.5 }))
    );
    assert!(distribution(&p(9, 0.5, 2.0, 3.0, NAN, NAN, false), 6.5, true).unwrap_err().contains("negated gamma"));
    // beta: alpha = loc, beta = shape, on [0, scale]; flipped: B(beta, alpha) on [-scale, 0]
    assert_eq!(
        distribution(&p(10, 2.0, 4.0, 5.0, NAN, NAN, false), 1.0, false),
        Ok(Some(Distribution::Beta { alpha: 2.0, beta: 5.0, min: 0.0, max: 4.0 }))
    );
    assert_eq!(
        distribution(&p(10, 2.0, NAN, 5.0, NAN, NAN, false), 1.0, true),
        Ok(Some(Distribution::Beta { alpha: 5.0, beta: 2.0, min: -1.0, max: 0.0 }))
    );
    // discrete uniform: integers minimum..maximum, maximum excluded
    assert_eq!(
        distribution(&p(7, NAN, NAN, NAN, 1.0, 4.0, false), 2.0, false),
        Ok(Some(Distribution::Discrete { values: vec![1.0, 2.0, 3.0], weights: vec![] }))
    );
    for code in [6, 8, 11, 12, 99] {
        assert!(distribution(&p(code, 1.0, 1.0, 1.0, 0.0, 2.0, false), 1.0, false).is_err());
    }
    assert!(distribution(&p(2, 0.0, NAN, NAN, NAN, NAN, false), 1.0, false).unwrap_err().contains("scale"));
}

#[test]
fn invalid_distribution_is_left_out_with_its_value() {
    // a uniform whose bounds are reversed: the engine refuses it, the static value stays
    let mut dp = Builder::new("u");
    dp.vector("technosphere_matrix", "t", &[(1, 1, 1.0)], None, None);
    dp.vector("biosphere_matrix", "b", &[(5, 1, 2.0)], None, Some(&[(4, NAN, NAN, NAN, 3.0, 1.0, false)]));
    let db = import_files(&dp.files());
    assert_eq!(db.system.biosphere[0].amount, 2.0);
    assert!(db.system.biosphere[0].uncertainty.is_none());
    assert_eq!(db.report.counts.uncertain_amounts, 0);
    assert_eq!(db.report.left_out[0].kind, "uncertainty");
    assert!(db.report.left_out[0].reason.contains("type 4 (uniform)"), "{:?}", db.report.left_out);
    // the refused entry is named with its index (formatted only when refused)
    assert!(db.report.left_out[0].id.contains("index 0 (row 5, col 1)") && db.report.left_out[0].id.contains("b (biosphere_matrix)[0]"), "{:?}", db.report.left_out);
}

#[test]
fn bounds_of_a_normal_are_reported() {
    let mut dp = Builder::new("n");
    dp.vector("technosphere_matrix", "t", &[(1, 1, 1.0)], None, None);
    dp.vector("biosphere_matrix", "b", &[(5, 1, 2.0)], None, Some(&[(3, 2.0, 0.5, NAN, 0.0, NAN, false)]));
    let db = import_files(&dp.files());
    assert_eq!(db.system.biosphere[0].uncertainty, Some(Distribution::Normal { mean: 2.0, sd: 0.5 }));
    assert!(db.report.left_out.iter().any(|l| l.reason.contains("bounds") && l.id.contains("[0, NaN]")), "{:?}", db.report.left_out);
}

#[test]
fn presample_array_gives_its_first_column() {
    // add_persistent_array: data 2-D (rows × samples); the first column is the static value
    let mut dp = steel();
    dp.array("biosphere_matrix", "ch4-samples", &[(101, 11)], &[vec![0.02, 0.03, 0.04]], None);
    let db = import_files(&dp.files());
    // (101, 11) replaced (sum_inter_duplicates false): 0.02 instead of 0.01
    // GWP = 2.23 + 29.8·(0.02 − 0.01)·x11 = 2.23 + 0.298·0.8/0.98 = 2.23 + 0.2432653061…
    assert!((score(&db, 12, "gwp") - (2.23 + 0.298 * 0.8 / 0.98)).abs() < 1e-12);
    let p = db.report.left_out.iter().find(|l| l.kind == "presamples").unwrap();
    assert!(p.reason.contains("3 presample columns") && p.reason.contains("other 2"), "{p:?}");
    assert!(p.id.contains("ch4-samples.data.npy"), "{p:?}");
}

#[test]
fn later_group_replaces_or_adds() {
    // matrix_utils MappedMatrix.rebuild_matrix: sum_inter_duplicates false → matrix[r, c] = data
    let mut dp = steel();
    dp.vector("biosphere_matrix", "scenario", &[(100, 12, 1.2)], None, None);
    let db = import_files(&dp.files());
    // steel's direct CO2 1.5 → 1.2: GWP = 2.23 − 0.3 = 1.93
    assert!((score(&db, 12, "gwp") - 1.93).abs() < 1e-12);
    assert!(db.report.warnings.iter().any(|w| w.contains("0 technosphere and 1 biosphere entries were replaced")), "{:?}", db.report.warnings);
    // sum_inter_duplicates true → matrix[r, c] += data: 1.5 + 1.2 = 2.7, GWP = 2.23 + 1.2 = 3.43
    dp.descriptor["sum_inter_duplicates"] = json!(true);
    let db = import_files(&dp.files());
    assert!((score(&db, 12, "gwp") - 3.43).abs() < 1e-12);
}

#[test]
fn duplicates_within_a_group() {
    // sum_intra_duplicates true (bw_processing's default): summed; false: the last kept
    let mut dp = Builder::new("d");
    dp.vector("technosphere_matrix", "t", &[(1, 1, 1.0)], None, None);
    dp.vector("biosphere_matrix", "b", &[(5, 1, 2.0), (5, 1, 3.0)], None, None);
    dp.vector("characterization_matrix", "m", &[(5, 0, 1.0)], None, None);
    assert!((score(&import_files(&dp.files()), 1, "m") - 5.0).abs() < 1e-12);
    dp.descriptor["sum_intra_duplicates"] = json!(false);
    let db = import_files(&dp.files());
    assert!((score(&db, 1, "m") - 3.0).abs() < 1e-12);
    assert!(db.report.left_out.iter().any(|l| l.reason.contains("sum_intra_duplicates false")));
}

#[test]
fn product_without_activity_is_unlinked() {
    // row 77 is no column: the input is left out of the matrix and reported
    let mut dp = steel();
    dp.vector("technosphere_matrix", "extra", &[(77, 12, 2.0)], Some(&[true]), None);
    let db = import_files(&dp.files());
    assert!((score(&db, 12, "gwp") - 2.23).abs() < 1e-12);
    let u = &db.report.unlinked;
    assert_eq!(u.len(), 1);
    assert_eq!((u[0].activity.clone(), u[0].product.as_str(), u[0].amount), (NodeId::Int(12), "77", -2.0));
    assert!(u[0].reason.contains("no column"), "{u:?}");
    assert_eq!(db.report.counts.technosphere_exchanges, 4);
}

#[test]
fn column_without_production_is_warned() {
    let mut dp = Builder::new("p");
    dp.vector("technosphere_matrix", "t", &[(1, 1, 1.0), (1, 2, -0.5)], None, None);
    let db = import_files(&dp.files());
    assert_eq!(db.report.counts.activities, 2);
    assert!(db.report.warnings.iter().any(|w| w.contains("1 activities have no diagonal") && w.contains(": 2;")), "{:?}", db.report.warnings);
}

#[test]
fn other_matrices_interfaces_and_stray_biosphere_are_reported() {
    let mut dp = steel();
    dp.vector("inv_geomapping_matrix", "geo", &[(10, 1, 1.0)], None, None);
    dp.vector("biosphere_matrix", "stray", &[(100, 999, 4.0)], None, None);
    let resources = dp.descriptor["resources"].as_array_mut().unwrap();
    resources.push(json!({"profile": "interface", "name": "dyn.data", "group": "dyn", "kind": "data", "matrix": "technosphere_matrix", "category": "vector"}));
    resources.push(json!({"profile": "data-resource", "name": "dyn.indices", "path": "missing-but-interface.npy", "group": "dyn", "kind": "indices", "matrix": "technosphere_matrix", "format": "npy"}));
    resources.push(json!({"profile": "json-resource", "name": "mapping", "path": "mapping.json"}));
    let db = import_files(&dp.files());
    assert!((score(&db, 12, "gwp") - 2.23).abs() < 1e-12);
    let kinds: Vec<(&str, &str)> = db.report.left_out.iter().map(|l| (l.kind.as_str(), l.id.as_str())).collect();
    assert!(db.report.left_out.iter().any(|l| l.id.contains("inv_geomapping_matrix") && l.reason.contains("regionalized")), "{kinds:?}");
    assert!(db.report.left_out.iter().any(|l| l.reason.contains("dynamic interface")), "{kinds:?}");
    assert!(db.report.left_out.iter().any(|l| l.id.contains("mapping")), "{kinds:?}");
    assert!(db.report.left_out.iter().any(|l| l.kind == "exchange" && l.id.contains("activity 999")), "{kinds:?}");
}

#[test]
fn zip_with_a_top_folder() {
    let dp = steel();
    let mut out = std::io::Cursor::new(Vec::new());
    {
        use std::io::Write as _;
        let mut w = zip::ZipWriter::new(&mut out);
        let o = zip::write::SimpleFileOptions::default();
        for f in dp.files() {
            w.start_file(format!("steel/{}", f.name), o).unwrap();
            w.write_all(&f.bytes).unwrap();
        }
        w.finish().unwrap();
    }
    let db = import_files(&[SourceFile::new("steel.zip", out.into_inner())]);
    assert!((score(&db, 12, "gwp") - 2.23).abs() < 1e-12);
    // and the plain zip of the builder
    let db = import_files(&[SourceFile::new("steel.zip", steel().zip())]);
    assert_eq!(db.report.counts.activities, 3);
}

#[test]
fn two_packages_in_two_folders() {
    // a database package and a scenario package, read in file order as bw2calc reads a list
    // of packages: the scenario's (100, 12) = 1.2 replaces steel's 1.5 → GWP 2.23 − 0.3 = 1.93
    let mut scenario = Builder::new("scenario");
    scenario.vector("biosphere_matrix", "co2", &[(100, 12, 1.2)], None, None);
    let mut files = Vec::new();
    for (folder, dp) in [("db", steel()), ("scenario", scenario)] {
        files.extend(dp.files().into_iter().map(|f| SourceFile::new(format!("{folder}/{}", f.name), f.bytes)));
    }
    let db = import_files(&files);
    assert!((score(&db, 12, "gwp") - 1.93).abs() < 1e-12);
}

#[test]
fn errors_name_the_file_and_the_resource() {
    // a resource file missing
    let mut files = steel().files();
    files.retain(|f| f.name != "bio.data.npy");
    let e = import_database(&files, &ImportOptions::default()).unwrap_err();
    assert_eq!(code(&e), "MISSING_REFERENCE");
    assert!(e.to_string().contains("datapackage.json") && e.to_string().contains("'bio.data'") && e.to_string().contains("bio.data.npy"), "{e}");

    // indices/data length mismatch
    let mut files = steel().files();
    let k = files.iter().position(|f| f.name == "bio.data.npy").unwrap();
    files[k].bytes = npy::write("<f8", &[2], &[0; 16]);
    let e = import_database(&files, &ImportOptions::default()).unwrap_err();
    assert_eq!(code(&e), "MALFORMED_DATA");
    let m = e.to_string();
    assert!(m.contains("bio.data.npy") && m.contains("'bio.data'") && m.contains("2 rows") && m.contains("have 3"), "{m}");

    // wrong profile
    let mut dp = steel();
    dp.descriptor["profile"] = json!("tabular-data-package");
    let e = import_database(&dp.files(), &ImportOptions::default()).unwrap_err();
    assert_eq!(code(&e), "UNSUPPORTED_SCHEMA");
    assert!(e.to_string().contains("datapackage.json") && e.to_string().contains("tabular-data-package"), "{e}");

    // unknown matrix
    let mut dp = steel();
    dp.vector("loading_matrix", "loading", &[(1, 1, 1.0)], None, None);
    let e = import_database(&dp.files(), &ImportOptions::default()).unwrap_err();
    assert_eq!(code(&e), "UNSUPPORTED_SCHEMA");
    assert!(e.to_string().contains("datapackage.json") && e.to_string().contains("'loading.indices'") && e.to_string().contains("loading_matrix"), "{e}");

    // parquet resources
    let mut dp = steel();
    dp.descriptor["resources"][0]["format"] = json!("pqt");
    let e = import_database(&dp.files(), &ImportOptions::default()).unwrap_err();
    assert_eq!(code(&e), "UNSUPPORTED_SCHEMA");
    assert!(e.to_string().contains("'tech.indices'") && e.to_string().contains("pqt"), "{e}");

    // a dtype not read
    let mut files = steel().files();
    let k = files.iter().position(|f| f.name == "gwp.data.npy").unwrap();
    files[k].bytes = npy::write("<U3", &[2], &[0; 24]);
    let e = import_database(&files, &ImportOptions::default()).unwrap_err();
    assert_eq!(code(&e), "MALFORMED_DATA");
    assert!(e.to_string().contains("gwp.data.npy") && e.to_string().contains("'gwp.data'") && e.to_string().contains("<U3"), "{e}");

    // a broken zip
    let mut bytes = steel().zip();
    bytes.truncate(bytes.len() / 2);
    let e = import_database(&[SourceFile::new("steel.zip", bytes)], &ImportOptions::default()).unwrap_err();
    assert_eq!(code(&e), "MALFORMED_DATA");
    assert!(e.to_string().contains("steel.zip"), "{e}");

    // inside a zip, the error names the zip and the entry
    let mut dp = steel();
    dp.arrays.retain(|f| f.name != "gwp.indices.npy");
    let e = import_database(&[SourceFile::new("methods.zip", dp.zip())], &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().starts_with("methods.zip: datapackage.json"), "{e}");

    // nrows of the descriptor differing from the indices
    let mut dp = steel();
    dp.descriptor["resources"][0]["nrows"] = json!(8);
    let e = import_database(&dp.files(), &ImportOptions::default()).unwrap_err();
    assert_eq!(code(&e), "MALFORMED_DATA");
    assert!(e.to_string().contains("tech.indices.npy") && e.to_string().contains("nrows 8"), "{e}");

    // two packages unpacked into the same folder
    let e = import_database(&[SourceFile::new("a.zip", steel().zip()), SourceFile::new("b.zip", steel().zip())], &ImportOptions::default()).unwrap_err();
    assert_eq!(code(&e), "MALFORMED_DATA");
    assert!(e.to_string().contains("datapackage.json") && e.to_string().contains("two files have this name"), "{e}");

    // a descriptor that is not JSON
    let e = import_database(&[SourceFile::new("datapackage.json", b"{".to_vec())], &ImportOptions::default()).unwrap_err();
    assert_eq!(code(&e), "MALFORMED_DATA");
}

#[test]
#[ignore = "timing: run with cargo test --release -p tanso --lib -- --ignored datapackage"]
fn imports_20000_activities_quickly() {
    // 20,000 activities, each with its production and 24 inputs (~500,000 technosphere
    // entries), 2 biosphere entries each, a method of 1,000 factors
    let n: i64 = 20_000;
    let mut tech = Vec::with_capacity(500_000);
    let mut flip = Vec::with_capacity(500_000);
    let mut state: u64 = 7;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as i64
    };
    for c in 0..n {
        tech.push((c, c, 1.0));
        flip.push(false);
        for _ in 0..24 {
            tech.push((next() % n, c, 0.001));
            flip.push(true);
        }
    }
    let bio: Vec<(i64, i64, f64)> = (0..n).flat_map(|c| [(n + c % 1000, c, 0.5), (n + (c * 7) % 1000, c, 0.25)]).collect();
    let cfs: Vec<(i64, i64, f64)> = (0..1000).map(|f| (n + f, 0, 1.0)).collect();
    let mut dp = Builder::new("big");
    dp.vector("technosphere_matrix", "t", &tech, Some(&flip), None);
    dp.vector("biosphere_matrix", "b", &bio, None, None);
    dp.vector("characterization_matrix", "m", &cfs, None, None);
    let files = vec![SourceFile::new("big.zip", dp.zip())];
    let start = std::time::Instant::now();
    let db = import_files(&files);
    let took = start.elapsed();
    eprintln!("imported {} activities, {} technosphere entries in {took:?}", db.report.counts.activities, db.system.technosphere.len());
    assert_eq!(db.report.counts.activities, 20_000);
    assert_eq!(db.system.technosphere.len(), 500_000);
    assert!(took.as_secs_f64() < 3.0, "{took:?}");
}
