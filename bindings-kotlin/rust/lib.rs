//! Kotlin/JVM binding of tanso, generated with [uniffi](https://mozilla.github.io/uniffi-rs/).
//!
//! Thin by design: every function converts, calls `tanso::api`, and returns. The whole document
//! API crosses as JSON text (decimals are JSON strings, so they never pass through a float);
//! the hand-written Kotlin layer (`tanso.Tanso`, under `src/main/kotlin`) turns it into
//! kotlinx.serialization `JsonObject`s, `java.math.BigDecimal`s and data classes.
//!
//! The LCA engine's stateful model is the uniffi Object [`FfiLcaModel`] (module `lca`),
//! wrapped by `tanso.LcaModel`; its Monte Carlo progress reaches Kotlin through the callback
//! interface [`FfiLcaProgress`].
//!
//! Errors become a sealed Kotlin exception hierarchy: [`FfiError`] is generated as
//! `tanso.ffi.FfiException`, with one subclass per domain area (`FfiException.Units`, …),
//! each carrying the stable `code`, its `area` and the message (`detail`). The Kotlin layer
//! rethrows it as `tanso.TansoException` (same subclasses), whose `message` is the plain
//! message: uniffi 0.32 cannot generate Kotlin for an error field named `message`
//! (uniffi-rs issue 1434), and its generated `message` is `code=…, area=…, detail=…`.
#![deny(missing_docs)]

uniffi::setup_scaffolding!();

mod import;
mod lca;
pub use import::{FfiImportedDatabase, FfiSourceFile};
pub use lca::{FfiCsc, FfiIndexedMethod, FfiLcaModel, FfiLcaProgress, FfiNodeId};

/// An error of tanso, one variant per domain area. Kotlin: `FfiException` (sealed) with
/// subclasses `Units`, `Ghg`, `Factors`, `Accounting`, `Lca`, `Cbam`, `Exchange`, `Materials`,
/// `Product`, `Supply`, `Vehicle` and `Input`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum FfiError {
    /// Units and quantities (e.g. `UNIT_MISMATCH`, `UNKNOWN_UNIT`).
    #[error("{detail}")]
    Units {
        /// The stable error code, e.g. `UNIT_MISMATCH`.
        code: String,
        /// The domain area: `units`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// Gases and global warming potentials (e.g. `UNKNOWN_GAS`).
    #[error("{detail}")]
    Ghg {
        /// The stable error code, e.g. `UNKNOWN_GAS`.
        code: String,
        /// The domain area: `ghg`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// Emission factors and factor tables (e.g. `FACTOR_NOT_FOUND`).
    #[error("{detail}")]
    Factors {
        /// The stable error code, e.g. `FACTOR_NOT_FOUND`.
        code: String,
        /// The domain area: `factors`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// Calculators and inventories (e.g. `NEGATIVE_AMOUNT`).
    #[error("{detail}")]
    Accounting {
        /// The stable error code, e.g. `NEGATIVE_AMOUNT`.
        code: String,
        /// The domain area: `accounting`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// The matrix LCA engine: systems, solves, sampling, formulas, dumps (e.g.
    /// `SINGULAR_TECHNOSPHERE`, `UNKNOWN_ID`).
    #[error("{detail}")]
    Lca {
        /// The stable error code, e.g. `SINGULAR_TECHNOSPHERE`.
        code: String,
        /// The domain area: `lca`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// The EU CBAM: goods, default values, benchmarks, certificates (e.g. `INVALID_CN_CODE`,
    /// `DEFAULT_VALUE_NOT_FOUND`, `CERTIFICATE_PRICE_MISSING`).
    #[error("{detail}")]
    Cbam {
        /// The stable error code, e.g. `DEFAULT_VALUE_NOT_FOUND`.
        code: String,
        /// The domain area: `cbam`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// Exchange formats: PACT ProductFootprint documents (`PACT_INVALID`,
    /// `PACT_UNSUPPORTED_VERSION`).
    #[error("{detail}")]
    Exchange {
        /// The stable error code, e.g. `PACT_INVALID`.
        code: String,
        /// The domain area: `exchange`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// The materials library: lookups and recycled-content blends (`MATERIAL_NOT_FOUND`,
    /// `INVALID_RECYCLED_CONTENT`).
    #[error("{detail}")]
    Materials {
        /// The stable error code, e.g. `MATERIAL_NOT_FOUND`.
        code: String,
        /// The domain area: `materials`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// Product systems: bills of materials, allocation, recycling, supplier data (`INVALID_BOM`,
    /// `INVALID_ALLOCATION`, `RECYCLING_PARAMETER_MISSING`, `INVALID_SUPPLIER_PCF`).
    #[error("{detail}")]
    Product {
        /// The stable error code, e.g. `INVALID_BOM`.
        code: String,
        /// The domain area: `product`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// Supplier networks: the network document, its references, transport intensities
    /// (`INVALID_NETWORK`, `UNKNOWN_REFERENCE`, `TRANSPORT_INTENSITY_MISSING`).
    #[error("{detail}")]
    Supply {
        /// The stable error code, e.g. `INVALID_NETWORK`.
        code: String,
        /// The domain area: `supply`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// The vehicle model: size classes, powertrains, regions, years, levers, overrides
    /// (`UNKNOWN_SIZE_CLASS`, `UNKNOWN_POWERTRAIN`, `UNKNOWN_REGION`, `YEAR_OUT_OF_RANGE`, …).
    #[error("{detail}")]
    Vehicle {
        /// The stable error code, e.g. `UNKNOWN_SIZE_CLASS`.
        code: String,
        /// The domain area: `vehicle`.
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
    /// The shape of an input document, or an unknown operation (e.g. `INVALID_INPUT`).
    #[error("{detail}")]
    Input {
        /// The stable error code, e.g. `INVALID_INPUT`.
        code: String,
        /// The domain area: `input` (or, should core add an area this binding does not know
        /// yet, that area's name).
        area: String,
        /// What went wrong: the field, the value and what would be valid.
        detail: String,
    },
}

impl From<tanso::TansoError> for FfiError {
    fn from(e: tanso::TansoError) -> Self {
        let code = e.code().to_string();
        let area = e.area().to_string();
        let detail = e.to_string();
        match e.area() {
            "units" => FfiError::Units { code, area, detail },
            "ghg" => FfiError::Ghg { code, area, detail },
            "factors" => FfiError::Factors { code, area, detail },
            "accounting" => FfiError::Accounting { code, area, detail },
            "lca" => FfiError::Lca { code, area, detail },
            "cbam" => FfiError::Cbam { code, area, detail },
            "exchange" => FfiError::Exchange { code, area, detail },
            "materials" => FfiError::Materials { code, area, detail },
            "product" => FfiError::Product { code, area, detail },
            "supply" => FfiError::Supply { code, area, detail },
            "vehicle" => FfiError::Vehicle { code, area, detail },
            _ => FfiError::Input { code, area, detail },
        }
    }
}

/// One operation of the document API.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Operation {
    /// Its name, identical in every binding (`convert`, `gwp`, …).
    pub name: String,
    /// What it computes.
    pub summary: String,
}

/// A stable error code with its domain area.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorCode {
    /// The code, e.g. `UNIT_MISMATCH`.
    pub code: String,
    /// The area: `units`, `ghg`, `factors`, `accounting`, `lca`, `cbam`, `exchange`,
    /// `materials`, `product`, `supply`, `vehicle` or `input`.
    pub area: String,
}

/// Runs the operation `operation` on the JSON document `input_json` and returns the result
/// document as JSON text. Decimals are JSON strings in both directions.
#[uniffi::export]
pub fn call(operation: String, input_json: String) -> Result<String, FfiError> {
    Ok(tanso::api::call_json(&operation, &input_json)?)
}

/// Every operation of the document API, in the order of `tanso::api::OPERATIONS`.
#[uniffi::export]
pub fn operations() -> Vec<Operation> {
    tanso::api::OPERATIONS
        .iter()
        .map(|o| Operation { name: o.name.to_string(), summary: o.summary.to_string() })
        .collect()
}

/// Every stable error code with its area, as `tanso::error::ERROR_CODES`.
#[uniffi::export]
pub fn error_codes() -> Vec<ErrorCode> {
    tanso::error::ERROR_CODES
        .iter()
        .map(|(code, area)| ErrorCode { code: code.to_string(), area: area.to_string() })
        .collect()
}

/// The version of tanso (the workspace version) this library was built from.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_area_has_its_own_variant() {
        for ErrorCode { code, area } in error_codes() {
            let known = ["units", "ghg", "factors", "accounting", "lca", "cbam", "exchange", "materials", "product", "supply", "vehicle", "input"];
            assert!(known.contains(&area.as_str()), "{code}: area {area} has no Kotlin exception subclass");
        }
    }

    #[test]
    fn unit_mismatch_is_a_units_error() {
        let e = call("convert".into(), r#"{"value":"1","from":"kg","to":"kWh"}"#.into()).unwrap_err();
        match e {
            FfiError::Units { code, area, detail } => {
                assert_eq!(code, "UNIT_MISMATCH");
                assert_eq!(area, "units");
                assert!(detail.contains("kWh"), "{detail}");
            }
            other => panic!("wrong variant: {other:?}"),
        }
    }

    #[test]
    fn singular_technosphere_is_an_lca_error() {
        let doc = r#"{"system": {"technosphere": [
            {"product": "a", "activity": "a", "amount": 1}, {"product": "b", "activity": "a", "amount": -1},
            {"product": "b", "activity": "b", "amount": 1}, {"product": "a", "activity": "b", "amount": -1}]},
            "demands": [{"amounts": [{"id": "a", "amount": 1}]}]}"#;
        let e = call("lca".into(), doc.into()).unwrap_err();
        assert!(matches!(e, FfiError::Lca { ref code, ref area, .. } if code == "SINGULAR_TECHNOSPHERE" && area == "lca"), "{e:?}");
    }

    #[test]
    fn missing_default_value_is_a_cbam_error() {
        let doc = r#"{"year": 2026, "good": {"cn_code": "7208 51 20", "country": "IN"}}"#;
        let e = call("cbam_embedded".into(), doc.into()).unwrap_err();
        assert!(matches!(e, FfiError::Cbam { ref code, ref area, ref detail }
            if code == "DEFAULT_VALUE_NOT_FOUND" && area == "cbam" && detail.contains("IN")), "{e:?}");
    }

    #[test]
    fn unsupported_pact_version_is_an_exchange_error() {
        let doc = r#"{"document": {"specVersion": "1.0.0"}}"#;
        let e = call("pact_validate".into(), doc.into()).unwrap_err();
        assert!(matches!(e, FfiError::Exchange { ref code, ref area, ref detail }
            if code == "PACT_UNSUPPORTED_VERSION" && area == "exchange" && detail.contains("1.0.0")), "{e:?}");
    }

    #[test]
    fn missing_material_is_a_materials_error() {
        let doc = r#"{"action": "lookup", "material": "steel", "form": "forged"}"#;
        let e = call("materials".into(), doc.into()).unwrap_err();
        assert!(matches!(e, FfiError::Materials { ref code, ref area, ref detail }
            if code == "MATERIAL_NOT_FOUND" && area == "materials" && detail.contains("forged")), "{e:?}");
    }

    #[test]
    fn unknown_supplier_is_a_supply_error() {
        let doc = r#"{"network": {"products": [], "components": [{"id": "c", "suppliers": [
            {"id": "a", "country": "CN", "share": "1", "kg_co2e_per_unit": "1"}]}]}, "disruptions": [{"supplier": "b"}]}"#;
        let e = call("supply_network".into(), doc.into()).unwrap_err();
        assert!(matches!(e, FfiError::Supply { ref code, ref area, ref detail }
            if code == "UNKNOWN_REFERENCE" && area == "supply" && detail.contains("'b'")), "{e:?}");
    }

    #[test]
    fn duplicate_part_is_a_product_error() {
        let doc = r#"{"product": {"id": "p"}, "parts": [{"id": "x"}, {"id": "x"}]}"#;
        let e = call("product_footprint".into(), doc.into()).unwrap_err();
        assert!(matches!(e, FfiError::Product { ref code, ref area, ref detail }
            if code == "INVALID_BOM" && area == "product" && detail.contains("'x'")), "{e:?}");
    }

    #[test]
    fn unknown_operation_is_an_input_error() {
        let e = call("nope".into(), "{}".into()).unwrap_err();
        assert!(matches!(e, FfiError::Input { ref code, .. } if code == "UNKNOWN_OPERATION"), "{e:?}");
    }

    #[test]
    fn operations_follow_core() {
        let names: Vec<String> = operations().into_iter().map(|o| o.name).collect();
        let core: Vec<&str> = tanso::api::OPERATIONS.iter().map(|o| o.name).collect();
        assert_eq!(names, core);
    }
}
