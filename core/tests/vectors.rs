#![allow(clippy::expect_used, clippy::unwrap_used)]
//! Runs every case of every file in `testdata/vectors/` through the document API, with the
//! matching rule of `testdata/vectors/README.md`; and keeps `testdata/error_codes.json` in step
//! with the error enums.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

/// `expected` is a subset of `actual`: objects by key, arrays element by element with the same
/// length, scalars by equality; numbers within the relative `tolerance` when the case has one.
fn matches(expected: &Value, actual: &Value, path: &str, tol: Option<f64>) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a
                    .get(k)
                    .ok_or_else(|| format!("{path}.{k}: missing in output"))?;
                matches(ev, av, &format!("{path}.{k}"), tol)?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} elements, got {}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(ev, av, &format!("{path}[{i}]"), tol)?;
            }
            Ok(())
        }
        (e, a) if e == a => Ok(()),
        (Value::Number(e), Value::Number(a)) if tol.is_some() => {
            let (e, a, t) = (e.as_f64().unwrap_or(f64::NAN), a.as_f64().unwrap_or(f64::NAN), tol.unwrap_or(0.0));
            if (e - a).abs() <= t * e.abs().max(a.abs()) || (e == 0.0 && a.abs() <= t) {
                Ok(())
            } else {
                Err(format!("{path}: expected {e}, got {a} (relative tolerance {t})"))
            }
        }
        (e, a) => Err(format!("{path}: expected {e}, got {a}")),
    }
}

#[test]
fn every_vector_case_passes() {
    let dir = testdata().join("vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testdata/vectors exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("readable"))
            .expect("valid JSON");
        let cases = doc["cases"].as_array().expect("cases array");
        for case in cases {
            count += 1;
            let name = format!(
                "{}: {}",
                file.file_name().and_then(|f| f.to_str()).unwrap_or("?"),
                case["name"]
            );
            let op = case["operation"].as_str().expect("operation");
            let result = tanso::api::call(op, case["input"].clone());
            match (result, case.get("error"), case.get("expected")) {
                (Ok(out), None, Some(expected)) => {
                    if let Err(e) = matches(expected, &out, "$", case.get("tolerance").and_then(Value::as_f64)) {
                        failures.push(format!("{name}: {e}\n  output: {out}"));
                    }
                }
                (Err(err), Some(code), _) => {
                    if code.as_str() != Some(err.code()) {
                        failures.push(format!(
                            "{name}: expected error {code}, got {} ({err})",
                            err.code()
                        ));
                    }
                }
                (Ok(out), Some(code), _) => {
                    failures.push(format!("{name}: expected error {code}, got {out}"))
                }
                (Err(err), None, _) => {
                    failures.push(format!("{name}: unexpected error {}: {err}", err.code()))
                }
                (Ok(_), None, None) => {
                    failures.push(format!("{name}: case has neither expected nor error"))
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} vector cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn error_codes_file_is_in_step() {
    let want: Vec<Value> = tanso::error::ERROR_CODES
        .iter()
        .map(|(code, area)| serde_json::json!({"code": code, "area": area}))
        .collect();
    let path = testdata().join("error_codes.json");
    let text = serde_json::to_string_pretty(&want).expect("serializable") + "\n";
    if std::env::var("TANSO_BLESS").is_ok() {
        std::fs::write(&path, &text).expect("writable");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        have, text,
        "testdata/error_codes.json is out of step; run with TANSO_BLESS=1"
    );
}
