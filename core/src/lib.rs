//! # tanso — carbon accounting and life-cycle assessment
//!
//! One pure Rust core for every binding (Python, JS/WASM, Kotlin). Layers, lower never
//! importing higher:
//!
//! | module | what it owns |
//! |---|---|
//! | [`units`] | quantities with units and dimensions, exact decimal conversion |
//! | [`ghg`] | gases, GWP sets (AR4, AR5, AR6), refrigerant blends, per-gas vectors |
//! | [`factors`] | emission factors with provenance, the registry with fallback, bundled data |
//! | [`accounting`] | calculators (fuels, electricity, refrigerants, freight, purchased goods, tce) and inventories |
//! | [`lca`] | the matrix LCA engine (f64): systems, sparse LU, contributions, Monte Carlo, parameters |
//! | [`materials`] | steel, aluminium and other materials by route, form, region and year with provenance; recycled-content blends; the smelter grid |
//! | [`product`] | product footprints from bills of materials through the LCA engine: stages, parts, materials, suppliers, gases, steel/aluminium shares, allocation, recycling, ISO 14067 fields |
//! | [`vehicle`] | size classes × powertrains: material profiles, production, use, end of life, steel and aluminium shares, EV vs ICE break-even, the whole grid in one call (f64) |
//! | [`cbam`] | the EU CBAM: CN-code goods, default values, embedded emissions, free-allocation adjustment, certificates and cost, supplier communication |
//! | [`exchange`] | exchange formats: the PACT ProductFootprint v2.3 and v3.0 (validation listing every failing field, conversion, supplier summary, export) |
//! | [`api`] | the JSON document API that every binding exposes under the same names |
//!
//! Accounting is exact (`rust_decimal`); every reported decimal is normalized (no trailing
//! zeros) so the same digits appear in every language.
//!
//! ```
//! use tanso::units::convert;
//! use rust_decimal_macros::dec;
//! assert_eq!(convert(dec!(1.5), "t", "kg").unwrap(), dec!(1500));
//! ```
#![deny(missing_docs)]

pub mod accounting;
pub mod api;
pub mod cbam;
pub mod error;
pub mod exchange;
pub mod factors;
pub mod ghg;
pub mod lca;
pub mod materials;
pub mod num;
pub mod product;
pub mod supply;
pub mod units;
pub mod vehicle;

pub use error::TansoError;
pub use rust_decimal::Decimal;
