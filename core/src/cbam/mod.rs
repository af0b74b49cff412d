//! The EU Carbon Border Adjustment Mechanism (Regulation (EU) 2023/956): what an importer of
//! iron and steel, aluminium, cement, fertilisers, hydrogen or electricity owes, and what an
//! installation abroad tells its importer.
//!
//! | module | what it owns |
//! |---|---|
//! | [`goods`] | CN code → sector (Annex I), the Annex II flag, indirect emissions counted, de-minimis scope, route letters |
//! | [`data`] | reference numbers with provenance (`core/data/cbam_parameters.csv`, verified rows only), scenarios, users' default-value tables and benchmarks |
//! | [`embedded`] | specific embedded emissions of simple and complex goods, actual or default, precursors recursively |
//! | [`obligation`] | free-allocation adjustment, carbon price deduction, certificates and cost, de minimis, declaration totals |
//! | [`supplier`] | the installation's communication to its importer, a serde structure that round-trips through JSON |
//!
//! Everything is exact (`rust_decimal`): emissions and certificates in t CO2e are never
//! rounded; money is rounded to cents only at the report boundary (see
//! [`obligation::ROUNDING`]). Every bundled number a result uses is listed in its `sources`
//! with the document it comes from and its status; unverified numbers (users' tables) are
//! flagged in `warnings`. Scenarios (the COM(2026) 616 proposal) are used only when a document
//! names them.
//!
//! The operations of the document API: `cbam_goods` (classify CN codes), `cbam_embedded` (the
//! SEE of one good), `cbam_obligation` (an importer's year).
//!
//! ```
//! use tanso::api::call;
//! use serde_json::json;
//! // 60 t of unwrought aluminium from China in Q2 2026, default value 3.0 t CO2e/t:
//! // embedded 60 × 3.0 × 1.1 = 198 t; adjustment 60 × 0.975 × 1 × 1.423 (route K) = 83.2455 t;
//! // 114.7545 certificates × EUR 75.28 = EUR 8,638.72.
//! let out = call("cbam_obligation", json!({"year": 2026, "lines": [
//!     {"good": {"cn_code": "7601 10 00", "country": "CN"}, "mass": {"value": "60", "unit": "t"}, "quarter": 2}]})).unwrap();
//! assert_eq!(out["lines"][0]["embedded_t"], "198");
//! assert_eq!(out["lines"][0]["benchmark"]["route"], "K");
//! assert_eq!(out["totals"]["certificates"], "114.7545");
//! assert_eq!(out["totals"]["cost_eur"], "8638.72");
//! // Not the common mistake, phase-in × emissions × price = 0.025 × 198 × 75.28 = EUR 372.64.
//! assert_ne!(out["totals"]["cost_eur"], "372.64");
//! ```

// `TansoError` is the crate's one error type; its size is set by the error enums of every area,
// not by this module (the same lint fires wherever it is returned).
#![allow(clippy::result_large_err)]

pub mod data;
pub mod embedded;
pub mod goods;
pub mod obligation;
pub mod supplier;

pub use data::{Column, DefaultValueSource, Parameter, Tables, UserBenchmark};
pub use embedded::{
    embedded_document, DataSource, Embedded, EmbeddedInput, EmbeddedOutput, GivenSee, Good,
    Production,
};
pub use goods::{
    classify, goods_document, Classification, Coverage, GoodsInput, GoodsOutput, Sector,
};
pub use obligation::{
    obligation_document, Line, LineResult, ObligationInput, ObligationOutput, Totals,
};
pub use supplier::SupplierCommunication;
