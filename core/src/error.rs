//! Errors of tanso: one enum per domain area, each variant with a stable code.
//!
//! Every error names the offending field, the value it had and what would be valid.
//! The code (`UNIT_MISMATCH`, `FACTOR_NOT_FOUND`, …) is stable across releases and
//! identical in every binding: Python raises a subclass of `tanso.TansoError` with
//! `.code`, JS throws an `Error` with `.code`, Kotlin throws `TansoException` subclasses.
//!
//! ```
//! use tanso::units::convert;
//! use rust_decimal_macros::dec;
//! let err = tanso::TansoError::from(convert(dec!(1), "kg", "kWh").unwrap_err());
//! assert_eq!(err.code(), "UNIT_MISMATCH");
//! assert_eq!(err.area(), "units");
//! ```

use thiserror::Error;

/// Errors from units and quantities.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum UnitError {
    /// A unit symbol that tanso does not know.
    #[error("{field}: unknown unit '{value}'; did you mean {suggestions}?")]
    UnknownUnit {
        /// The input field that held the unit.
        field: String,
        /// The symbol given.
        value: String,
        /// The nearest valid symbols, comma separated.
        suggestions: String,
    },
    /// Two units of different dimensions (e.g. kg and kWh).
    #[error("{field}: cannot convert '{from}' ({from_dimension}) to '{to}' ({to_dimension}); valid units for {to_dimension}: {valid}")]
    UnitMismatch {
        /// The input field.
        field: String,
        /// The unit converted from.
        from: String,
        /// Its dimension.
        from_dimension: String,
        /// The unit converted to.
        to: String,
        /// Its dimension.
        to_dimension: String,
        /// Units of the wanted dimension.
        valid: String,
    },
    /// A currency code that is not three upper-case letters (ISO 4217).
    #[error(
        "{field}: invalid currency '{value}'; expected an ISO 4217 code such as CNY, EUR or USD"
    )]
    InvalidCurrency {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
    },
}

impl UnitError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            UnitError::UnknownUnit { .. } => "UNKNOWN_UNIT",
            UnitError::UnitMismatch { .. } => "UNIT_MISMATCH",
            UnitError::InvalidCurrency { .. } => "INVALID_CURRENCY",
        }
    }
}

/// Errors from gases and global warming potentials.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum GhgError {
    /// A gas or refrigerant blend that tanso does not know.
    #[error("{field}: unknown gas '{value}'; did you mean {suggestions}?")]
    UnknownGas {
        /// The input field.
        field: String,
        /// The name given.
        value: String,
        /// The nearest valid names.
        suggestions: String,
    },
    /// A GWP set name that tanso does not know.
    #[error("{field}: unknown GWP set '{value}'; valid: AR4, AR5, AR6, AR6_GWP20")]
    UnknownGwpSet {
        /// The input field.
        field: String,
        /// The name given.
        value: String,
    },
    /// A GWP value that is not verified for this gas and set, so it is not shipped.
    #[error("gwp: no verified {set} value for {gas}; sets with a verified value: {available}")]
    GwpNotAvailable {
        /// The gas.
        gas: String,
        /// The GWP set asked for.
        set: String,
        /// Sets that have a value for this gas.
        available: String,
    },
    /// Values reported under different GWP sets were about to be added up.
    #[error("{field}: a value in CO2e under {found} cannot enter an inventory reported under {expected}; recompute it per gas or report under {found}")]
    GwpSetMismatch {
        /// The input field.
        field: String,
        /// The set of the inventory.
        expected: String,
        /// The set of the offending value.
        found: String,
    },
    /// Blend mass fractions that do not sum to one.
    #[error("{field}: mass fractions of blend '{blend}' sum to {sum}; they must sum to 1")]
    InvalidBlend {
        /// The input field.
        field: String,
        /// The blend name.
        blend: String,
        /// The sum of its fractions.
        sum: String,
    },
}

impl GhgError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            GhgError::UnknownGas { .. } => "UNKNOWN_GAS",
            GhgError::UnknownGwpSet { .. } => "UNKNOWN_GWP_SET",
            GhgError::GwpNotAvailable { .. } => "GWP_NOT_AVAILABLE",
            GhgError::GwpSetMismatch { .. } => "GWP_SET_MISMATCH",
            GhgError::InvalidBlend { .. } => "INVALID_BLEND",
        }
    }
}

/// Errors from emission factors, their registry and the loading of factor tables.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FactorError {
    /// No factor for this activity in this geography (or any fallback) and year (or earlier).
    #[error("{field}: no emission factor for '{activity}' in {geography} for {year} or earlier (searched {searched}); available: {available}")]
    FactorNotFound {
        /// The input field.
        field: String,
        /// The activity key.
        activity: String,
        /// The geography asked for.
        geography: String,
        /// The year asked for.
        year: i32,
        /// The geographies searched, in order.
        searched: String,
        /// What the registry has for this activity (geography/year), or the nearest activity keys.
        available: String,
    },
    /// A fuel name that tanso does not know.
    #[error("{field}: unknown fuel '{value}'; did you mean {suggestions}?")]
    UnknownFuel {
        /// The input field.
        field: String,
        /// The name given.
        value: String,
        /// The nearest valid names.
        suggestions: String,
    },
    /// A geography code that tanso does not know.
    #[error("{field}: unknown geography '{value}'; did you mean {suggestions}?")]
    UnknownGeography {
        /// The input field.
        field: String,
        /// The code given.
        value: String,
        /// The nearest valid codes.
        suggestions: String,
    },
    /// A malformed row in a user's factor table.
    #[error("{source_name} row {row}: {field}: {message}")]
    MalformedRow {
        /// The table's name (file name or the id the user gave).
        source_name: String,
        /// 1-based row number, counting the header as row 1.
        row: usize,
        /// The column.
        field: String,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// A factor table that cannot be read at all (not CSV, not JSON, no header).
    #[error("{source_name}: {message}")]
    MalformedTable {
        /// The table's name.
        source_name: String,
        /// What is wrong.
        message: String,
    },
}

impl FactorError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            FactorError::FactorNotFound { .. } => "FACTOR_NOT_FOUND",
            FactorError::UnknownFuel { .. } => "UNKNOWN_FUEL",
            FactorError::UnknownGeography { .. } => "UNKNOWN_GEOGRAPHY",
            FactorError::MalformedRow { .. } => "MALFORMED_ROW",
            FactorError::MalformedTable { .. } => "MALFORMED_TABLE",
        }
    }
}

/// Errors from calculators and inventories.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum AccountingError {
    /// A negative amount where only zero or more is allowed.
    #[error("{field}: {value} is negative; expected zero or more")]
    NegativeAmount {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
    },
    /// A value outside its valid range (a share above 1, a year out of range, …).
    #[error("{field}: {value} is out of range; expected {expected}")]
    OutOfRange {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
        /// The valid range.
        expected: String,
    },
    /// A required field is missing for the chosen method.
    #[error("{field}: missing; {expected}")]
    MissingField {
        /// The missing field.
        field: String,
        /// What is required and why.
        expected: String,
    },
    /// Contractual instruments claim more electricity than was consumed, or one
    /// certificate is claimed twice.
    #[error("{field}: {message}")]
    DoubleClaim {
        /// The input field.
        field: String,
        /// What was claimed twice or over.
        message: String,
    },
    /// A record refers to a site the organisation does not have.
    #[error("{field}: unknown site '{value}'; sites of this organisation: {valid}")]
    UnknownSite {
        /// The input field.
        field: String,
        /// The site id given.
        value: String,
        /// Valid site ids.
        valid: String,
    },
    /// A record in a batch or inventory failed; wraps the cause with the record's position.
    #[error("records[{index}] (id '{id}'): {source}")]
    Record {
        /// 0-based position of the record.
        index: usize,
        /// The record's id, if it had one.
        id: String,
        /// The cause.
        source: Box<TansoError>,
    },
}

impl AccountingError {
    /// The stable code of this error. A failed record reports the code of its cause.
    pub fn code(&self) -> &'static str {
        match self {
            AccountingError::NegativeAmount { .. } => "NEGATIVE_AMOUNT",
            AccountingError::OutOfRange { .. } => "OUT_OF_RANGE",
            AccountingError::MissingField { .. } => "MISSING_FIELD",
            AccountingError::DoubleClaim { .. } => "DOUBLE_CLAIM",
            AccountingError::UnknownSite { .. } => "UNKNOWN_SITE",
            AccountingError::Record { source, .. } => source.code(),
        }
    }
}

/// Errors in the shape of an input document (JSON that does not parse or fit the schema).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum InputError {
    /// The document does not parse or does not have the expected shape.
    #[error("{operation}: invalid input: {message}")]
    InvalidInput {
        /// The operation called.
        operation: String,
        /// serde's message, which names the field and the expected type.
        message: String,
    },
    /// A non-finite number (NaN, ±inf) where a finite amount is required.
    #[error("{field}: {value} is not a finite number")]
    NonFinite {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
    },
    /// A decimal that does not parse or does not fit 28 significant digits.
    #[error("{field}: '{value}' is not a decimal number (expected digits with an optional sign, point and exponent, at most 28 significant digits)")]
    InvalidDecimal {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
    },
    /// An operation name that the API does not have.
    #[error("operation: unknown operation '{value}'; valid: {valid}")]
    UnknownOperation {
        /// The name given.
        value: String,
        /// Valid operation names.
        valid: String,
    },
    /// Columns of a batch with different lengths.
    #[error("{field}: has {found} rows but the batch has {expected}")]
    ColumnLength {
        /// The column.
        field: String,
        /// Its length.
        found: usize,
        /// The batch length.
        expected: usize,
    },
}

impl InputError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::InvalidInput { .. } => "INVALID_INPUT",
            InputError::NonFinite { .. } => "NON_FINITE",
            InputError::InvalidDecimal { .. } => "INVALID_DECIMAL",
            InputError::UnknownOperation { .. } => "UNKNOWN_OPERATION",
            InputError::ColumnLength { .. } => "COLUMN_LENGTH",
        }
    }
}

/// Errors of the matrix LCA engine: building a system, solving it, sampling it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum LcaError {
    /// An id (product, activity, flow, method) that the system does not have.
    #[error("{field}: unknown {kind} '{value}'{suggestions}")]
    UnknownId {
        /// The input field.
        field: String,
        /// What was looked up: product, activity, flow or method.
        kind: String,
        /// The id given.
        value: String,
        /// ", did you mean …?" with the nearest ids, or empty.
        suggestions: String,
    },
    /// The same id twice where ids must be unique.
    #[error("{field}: duplicate {kind} id '{value}'")]
    DuplicateId {
        /// The input field.
        field: String,
        /// Activity, flow or method.
        kind: String,
        /// The repeated id.
        value: String,
    },
    /// The technosphere is not square: products nobody produces, activities with several
    /// reference products (they need allocation) or products with several producers
    /// (an exchange must name its provider).
    #[error("technosphere is not square: {detail}")]
    NonSquareTechnosphere {
        /// The offending products and activities, by id.
        detail: String,
    },
    /// Activities whose production (diagonal) entry is missing or zero.
    #[error("technosphere: {count} activities have no production amount (missing or zero diagonal): {activities}; each activity must produce its reference product (+1, or -1 for waste treatment)")]
    MissingProduction {
        /// How many.
        count: usize,
        /// The first of them, by id.
        activities: String,
    },
    /// A singular or too ill-conditioned technosphere: no trustworthy supply exists.
    #[error("technosphere is singular or ill-conditioned (relative residual {residual}) in a loop of {block_size} activities: {activities}; check that these activities do not consume as much of each other's products as they produce")]
    SingularTechnosphere {
        /// The activities of the failing loop, by id (at most 20).
        activities: String,
        /// Activities in the loop.
        block_size: usize,
        /// The relative residual reached, e.g. `3.1e-2` (`inf` when the factorization failed).
        residual: String,
    },
    /// A probability distribution with invalid parameters.
    #[error("{field}: {message}")]
    InvalidDistribution {
        /// The entry it belongs to.
        field: String,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// An option outside its valid range.
    #[error("{field}: {value} is not valid; expected {valid}")]
    InvalidSetting {
        /// The option.
        field: String,
        /// The value given.
        value: String,
        /// What would be valid.
        valid: String,
    },
    /// A formula or parameter error (syntax, unknown name, cycle, evaluation).
    #[error(transparent)]
    Formula(#[from] crate::lca::formula::FormulaError),
    /// A data file (a `.npz` dump, an import) that cannot be read.
    #[error("{source_name}: {entity}: {message}")]
    MalformedData {
        /// The file or part of it.
        source_name: String,
        /// The entity or array concerned.
        entity: String,
        /// What is wrong.
        message: String,
    },
    /// A database file of a format version the importer does not read.
    #[error("{source_name}: {what} {found} is not supported; supported: {supported}")]
    UnsupportedSchema {
        /// The file.
        source_name: String,
        /// What carries the version (e.g. `olca-schema version`, `EcoSpold root element`).
        what: String,
        /// The version or element found.
        found: String,
        /// The versions that are read.
        supported: String,
    },
    /// An entity of an imported database refers to another that the data does not contain.
    #[error("{source_name}: {entity} refers to {kind} '{reference}', which is not in the data")]
    MissingReference {
        /// The file.
        source_name: String,
        /// The referring entity (kind, id and name).
        entity: String,
        /// The kind of the missing entity (flow, unit, flow property, process, …).
        kind: String,
        /// Its id or name.
        reference: String,
    },
    /// An amount in a unit that cannot be converted to the unit its flow is counted in.
    #[error("{source_name}: {entity}: unit '{unit}' cannot be converted to the flow's reference unit; valid: {valid}")]
    UnconvertibleUnit {
        /// The file.
        source_name: String,
        /// The exchange or factor (process, flow).
        entity: String,
        /// The unit given.
        unit: String,
        /// The units of the flow's unit groups (or the reference unit).
        valid: String,
    },
}

impl From<crate::lca::formula::FormulaError> for TansoError {
    fn from(e: crate::lca::formula::FormulaError) -> Self {
        TansoError::Lca(LcaError::Formula(e))
    }
}

impl LcaError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            LcaError::UnknownId { .. } => "UNKNOWN_ID",
            LcaError::DuplicateId { .. } => "DUPLICATE_ID",
            LcaError::NonSquareTechnosphere { .. } => "NON_SQUARE_TECHNOSPHERE",
            LcaError::MissingProduction { .. } => "MISSING_PRODUCTION",
            LcaError::SingularTechnosphere { .. } => "SINGULAR_TECHNOSPHERE",
            LcaError::InvalidDistribution { .. } => "INVALID_DISTRIBUTION",
            LcaError::InvalidSetting { .. } => "INVALID_SETTING",
            LcaError::Formula(e) => e.code(),
            LcaError::MalformedData { .. } => "MALFORMED_DATA",
            LcaError::UnsupportedSchema { .. } => "UNSUPPORTED_SCHEMA",
            LcaError::MissingReference { .. } => "MISSING_REFERENCE",
            LcaError::UnconvertibleUnit { .. } => "UNCONVERTIBLE_UNIT",
        }
    }
}

/// Errors of the EU CBAM module: goods, default values, benchmarks, prices, scenarios.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CbamError {
    /// A CN code that is not 2 to 10 digits (spaces and dots allowed between them).
    #[error("{field}: '{value}' is not a CN code; expected 2 to 10 digits, e.g. \"7208 51 20\" or \"7601\"")]
    InvalidCnCode {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
    },
    /// A CN code outside Annex I of Regulation (EU) 2023/956, or one too short to tell.
    #[error("{field}: CN {cn_code} is not a CBAM good: {detail}")]
    NotCbamGood {
        /// The input field.
        field: String,
        /// The CN code (digits).
        cn_code: String,
        /// Why, and what would be covered.
        detail: String,
    },
    /// A production route letter that is not valid for the good.
    #[error("{field}: route '{value}' is not valid for CN {cn_code}; valid: {valid}")]
    UnknownRoute {
        /// The input field.
        field: String,
        /// The CN code (digits).
        cn_code: String,
        /// The route given.
        value: String,
        /// Valid routes.
        valid: String,
    },
    /// A country that is not an ISO 3166-1 alpha-2 code.
    #[error(
        "{field}: '{value}' is not a country code; expected ISO 3166-1 alpha-2, e.g. CN, IN, TR"
    )]
    InvalidCountry {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
    },
    /// No default value for this CN code and country, nor an "other countries" row.
    #[error("{field}: no CBAM default value for CN {cn_code} from {country}; {available}")]
    DefaultValueNotFound {
        /// The input field.
        field: String,
        /// The CN code (digits).
        cn_code: String,
        /// The country of origin.
        country: String,
        /// What tanso has and how to add more.
        available: String,
    },
    /// No benchmark for this CN code, route, column and year.
    #[error("{field}: no CBAM benchmark (column {column}) for CN {cn_code}{route} in {year}; {available}")]
    BenchmarkNotFound {
        /// The input field.
        field: String,
        /// The CN code (digits).
        cn_code: String,
        /// ", route X" or empty.
        route: String,
        /// A or B.
        column: String,
        /// The year.
        year: i32,
        /// What tanso has and how to add more.
        available: String,
    },
    /// No CBAM certificate price for the period of a line.
    #[error("{field}: no CBAM certificate price for {period}; {expected}")]
    CertificatePriceMissing {
        /// The input field.
        field: String,
        /// The period (e.g. 2026-Q4, 2027).
        period: String,
        /// What tanso has and what to give.
        expected: String,
    },
    /// A scenario name that tanso does not know.
    #[error("scenario: unknown scenario '{value}'; valid: {valid}")]
    UnknownScenario {
        /// The name given.
        value: String,
        /// Valid names.
        valid: String,
    },
    /// A regulatory parameter that the data has no value for in this year.
    #[error("{field}: no {parameter} for {year}; {expected}")]
    ParameterMissing {
        /// The input field that would supply it.
        field: String,
        /// The parameter.
        parameter: String,
        /// The year.
        year: i32,
        /// What tanso has and what to give.
        expected: String,
    },
}

impl CbamError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            CbamError::InvalidCnCode { .. } => "INVALID_CN_CODE",
            CbamError::NotCbamGood { .. } => "NOT_CBAM_GOOD",
            CbamError::UnknownRoute { .. } => "UNKNOWN_ROUTE",
            CbamError::InvalidCountry { .. } => "INVALID_COUNTRY",
            CbamError::DefaultValueNotFound { .. } => "DEFAULT_VALUE_NOT_FOUND",
            CbamError::BenchmarkNotFound { .. } => "BENCHMARK_NOT_FOUND",
            CbamError::CertificatePriceMissing { .. } => "CERTIFICATE_PRICE_MISSING",
            CbamError::UnknownScenario { .. } => "UNKNOWN_SCENARIO",
            CbamError::ParameterMissing { .. } => "CBAM_PARAMETER_MISSING",
        }
    }
}

/// One failing field of a PACT document: where, what it held, and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PactFailure {
    /// JSON path, e.g. `pcf.dqi.technologicalDQR` or `companyIds[1]` (empty: the document).
    pub path: String,
    /// The value found, as JSON text; `null` when the property is missing.
    pub value: String,
    /// The rule broken, with what would be valid and the spec section.
    pub rule: String,
}

fn failure_list(failures: &[PactFailure]) -> String {
    failures
        .iter()
        .map(|f| format!("{} = {}: {}", if f.path.is_empty() { "(document)" } else { &f.path }, f.value, f.rule))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Errors of the exchange formats (PACT ProductFootprint).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// A PACT document (read, or built by `pact_export`) with failing fields; all are listed.
    #[error("document: PACT v{version} ProductFootprint has {count} failing field(s): {list}", count = .failures.len(), list = failure_list(.failures))]
    PactInvalid {
        /// `2.3` or `3.0`.
        version: String,
        /// Every failing field.
        failures: Vec<PactFailure>,
    },
    /// A PACT version that tanso does not read or write.
    #[error("{field}: unsupported PACT version '{value}'; valid: {valid}")]
    PactUnsupportedVersion {
        /// The input field.
        field: String,
        /// The version given.
        value: String,
        /// Valid versions.
        valid: String,
    },
}

impl ExchangeError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ExchangeError::PactInvalid { .. } => "PACT_INVALID",
            ExchangeError::PactUnsupportedVersion { .. } => "PACT_UNSUPPORTED_VERSION",
        }
    }

    /// Every failing field, for `PACT_INVALID` (empty otherwise).
    pub fn failures(&self) -> &[PactFailure] {
        match self {
            ExchangeError::PactInvalid { failures, .. } => failures,
            _ => &[],
        }
    }
}

/// Errors of the materials library: lookups and recycled-content blends.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MaterialError {
    /// No verified (or user) factor for this material, route and form in the geography (or
    /// `WORLD`) and year.
    #[error("{field}: no material factor for {query}; available: {available}")]
    MaterialNotFound {
        /// The input field.
        field: String,
        /// What was asked for (material/route/form@geography/year).
        query: String,
        /// What the library has for this material, and how to add a table.
        available: String,
    },
    /// A recycled-content share outside 0..=1 or given with a route that is not a blend.
    #[error("{field}: invalid recycled content '{value}'; {expected}")]
    InvalidRecycledContent {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
        /// What is valid.
        expected: String,
    },
}

impl MaterialError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            MaterialError::MaterialNotFound { .. } => "MATERIAL_NOT_FOUND",
            MaterialError::InvalidRecycledContent { .. } => "INVALID_RECYCLED_CONTENT",
        }
    }
}

/// Errors of product systems: bills of materials, allocation, recycling, supplier data.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ProductError {
    /// A bill of materials that cannot be compiled (duplicate or unknown part id, a part that
    /// contains itself, a negative or zero mass or quantity, a yield outside (0, 1]).
    #[error("{field}: invalid bill of materials: '{value}'; {expected}")]
    InvalidBom {
        /// The input field (path into the document).
        field: String,
        /// The value given.
        value: String,
        /// What is valid.
        expected: String,
    },
    /// A multi-output process whose allocation cannot be computed (no co-products, a missing
    /// property value, a non-positive total, a substitution without a displaced material).
    #[error("{field}: invalid allocation of process '{process}': {detail}")]
    InvalidAllocation {
        /// The input field.
        field: String,
        /// The process (part id).
        process: String,
        /// What is wrong and what is valid.
        detail: String,
    },
    /// A recycling approach that needs a parameter the document does not give.
    #[error("{field}: the {approach} approach needs '{parameter}'; {expected}")]
    RecyclingParameterMissing {
        /// The input field.
        field: String,
        /// The approach.
        approach: String,
        /// The parameter (A, R2, Qs/Qp, …).
        parameter: String,
        /// What is valid.
        expected: String,
    },
    /// A supplier PCF that is not usable (negative total, parts that exceed the total, a
    /// primary-data share outside 0..=100, a DQR outside 1..=3).
    #[error("{field}: invalid supplier PCF value '{value}'; {expected}")]
    InvalidSupplierPcf {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
        /// What is valid.
        expected: String,
    },
}

impl ProductError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ProductError::InvalidBom { .. } => "INVALID_BOM",
            ProductError::InvalidAllocation { .. } => "INVALID_ALLOCATION",
            ProductError::RecyclingParameterMissing { .. } => "RECYCLING_PARAMETER_MISSING",
            ProductError::InvalidSupplierPcf { .. } => "INVALID_SUPPLIER_PCF",
        }
    }
}

/// Errors of supplier networks: the network document, references to its suppliers,
/// components and regions, transport intensities.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SupplyError {
    /// A network that cannot be analysed (duplicate ids, shares that do not sum to 1, a
    /// negative amount, an unknown data kind or country code).
    #[error("{field}: invalid supplier network: '{value}'; {expected}")]
    InvalidNetwork {
        /// The input field (path into the document).
        field: String,
        /// The value given.
        value: String,
        /// What is valid.
        expected: String,
    },
    /// A product, component, supplier or region that the network does not have.
    #[error("{field}: '{value}' is not in the network; valid: {valid}")]
    UnknownReference {
        /// The input field.
        field: String,
        /// The id given.
        value: String,
        /// The ids the network has.
        valid: String,
    },
    /// A transport leg whose mode has no kg CO2e per t·km (tanso bundles none here).
    #[error("{field}: no transport intensity for mode '{mode}'; give it in transport_intensities (kg CO2e per t·km) or as the leg's kg_co2e_per_tkm; given: {given}")]
    TransportIntensityMissing {
        /// The input field.
        field: String,
        /// The mode.
        mode: String,
        /// The modes that have an intensity.
        given: String,
    },
}

impl SupplyError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            SupplyError::InvalidNetwork { .. } => "INVALID_NETWORK",
            SupplyError::UnknownReference { .. } => "UNKNOWN_REFERENCE",
            SupplyError::TransportIntensityMissing { .. } => "TRANSPORT_INTENSITY_MISSING",
        }
    }
}

/// Errors of the vehicle model: size classes, powertrains, regions, years, shares and
/// parameters without a sourced default.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum VehicleError {
    /// A size class that the model does not have.
    #[error("{field}: unknown size class '{value}'; valid: {valid}")]
    UnknownSizeClass {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
        /// The valid codes.
        valid: String,
    },
    /// A powertrain that the model does not have.
    #[error("{field}: unknown powertrain '{value}'; valid: {valid}")]
    UnknownPowertrain {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
        /// The valid codes.
        valid: String,
    },
    /// A region the vehicle model has no grid data for.
    #[error("{field}: unknown or unsupported region '{value}'; valid: {valid}")]
    UnknownRegion {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
        /// What is valid.
        valid: String,
    },
    /// A production year outside the years the model covers.
    #[error("{field}: year {value} is out of range; valid: {valid}")]
    YearOutOfRange {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
        /// The valid range.
        valid: String,
    },
    /// A share (or fractions) outside 0..=1, or fractions that do not sum to 1.
    #[error("{field}: invalid share '{value}'; valid: a number from 0 to 1 (fractions of a component summing to 1)")]
    InvalidShare {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
    },
    /// A parameter with an invalid value (negative, zero, unknown option or name).
    #[error("{field}: invalid value '{value}'; valid: {expected}")]
    InvalidParameter {
        /// The input field.
        field: String,
        /// The value given.
        value: String,
        /// What is valid.
        expected: String,
    },
    /// A parameter with no sourced default that the document does not give.
    #[error("{field}: {what}; give {give}")]
    ParameterMissing {
        /// The input field to give.
        field: String,
        /// What is missing and why.
        what: String,
        /// How to give it.
        give: String,
    },
}

impl VehicleError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            VehicleError::UnknownSizeClass { .. } => "UNKNOWN_SIZE_CLASS",
            VehicleError::UnknownPowertrain { .. } => "UNKNOWN_POWERTRAIN",
            VehicleError::UnknownRegion { .. } => "UNKNOWN_REGION",
            VehicleError::YearOutOfRange { .. } => "YEAR_OUT_OF_RANGE",
            VehicleError::InvalidShare { .. } => "INVALID_SHARE",
            VehicleError::InvalidParameter { .. } => "INVALID_VEHICLE_PARAMETER",
            VehicleError::ParameterMissing { .. } => "VEHICLE_PARAMETER_MISSING",
        }
    }
}

/// Any error of tanso. Match on the area, or read [`TansoError::code`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TansoError {
    /// Units and quantities.
    #[error(transparent)]
    Unit(#[from] UnitError),
    /// Gases and GWP.
    #[error(transparent)]
    Ghg(#[from] GhgError),
    /// Emission factors.
    #[error(transparent)]
    Factor(#[from] FactorError),
    /// Calculators and inventories.
    #[error(transparent)]
    Accounting(#[from] AccountingError),
    /// Input documents.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The matrix LCA engine.
    #[error(transparent)]
    Lca(#[from] LcaError),
    /// The EU CBAM.
    #[error(transparent)]
    Cbam(#[from] CbamError),
    /// Exchange formats (PACT).
    #[error(transparent)]
    Exchange(#[from] ExchangeError),
    /// The materials library.
    #[error(transparent)]
    Material(#[from] MaterialError),
    /// Product systems.
    #[error(transparent)]
    Product(#[from] ProductError),
    /// Supplier networks.
    #[error(transparent)]
    Supply(#[from] SupplyError),
    /// The vehicle model.
    #[error(transparent)]
    Vehicle(#[from] VehicleError),
}

impl TansoError {
    /// The stable code, e.g. `UNIT_MISMATCH`.
    pub fn code(&self) -> &'static str {
        match self {
            TansoError::Unit(e) => e.code(),
            TansoError::Ghg(e) => e.code(),
            TansoError::Factor(e) => e.code(),
            TansoError::Accounting(e) => e.code(),
            TansoError::Input(e) => e.code(),
            TansoError::Lca(e) => e.code(),
            TansoError::Cbam(e) => e.code(),
            TansoError::Exchange(e) => e.code(),
            TansoError::Material(e) => e.code(),
            TansoError::Product(e) => e.code(),
            TansoError::Supply(e) => e.code(),
            TansoError::Vehicle(e) => e.code(),
        }
    }

    /// The domain area: `units`, `ghg`, `factors`, `accounting`, `input`, `lca`, `cbam`,
    /// `exchange`, `materials`, `product`, `supply` or `vehicle`.
    /// A failed record reports the area of its cause.
    pub fn area(&self) -> &'static str {
        match self {
            TansoError::Unit(_) => "units",
            TansoError::Ghg(_) => "ghg",
            TansoError::Factor(_) => "factors",
            TansoError::Accounting(AccountingError::Record { source, .. }) => source.area(),
            TansoError::Accounting(_) => "accounting",
            TansoError::Input(_) => "input",
            TansoError::Lca(_) => "lca",
            TansoError::Cbam(_) => "cbam",
            TansoError::Exchange(_) => "exchange",
            TansoError::Material(_) => "materials",
            TansoError::Product(_) => "product",
            TansoError::Supply(_) => "supply",
            TansoError::Vehicle(_) => "vehicle",
        }
    }
}

std::thread_local! {
    static PENDING: std::cell::RefCell<Option<TansoError>> = const { std::cell::RefCell::new(None) };
}

/// Turns a domain error met while deserializing a document (an unknown unit, gas or GWP
/// set, a malformed decimal deep inside a record) into a serde error, and remembers the
/// typed error so that the document API reports its own stable code, not `INVALID_INPUT`.
pub fn into_serde<E: serde::de::Error>(e: impl Into<TansoError>) -> E {
    let e = e.into();
    let message = e.to_string();
    PENDING.with(|p| *p.borrow_mut() = Some(e));
    E::custom(message)
}

/// Forgets any remembered error (called before a document is parsed).
pub fn clear_pending() {
    PENDING.with(|p| *p.borrow_mut() = None);
}

/// The typed error behind a failed parse: the remembered one when serde's message is its
/// message, or contains it when an outer layer prefixed its context (serde may have tried
/// and dropped others, e.g. in untagged enums).
pub fn take_pending(serde_message: &str) -> Option<TansoError> {
    PENDING
        .with(|p| p.borrow_mut().take())
        .filter(|e| serde_message.contains(&e.to_string()))
}

/// Every stable error code with its area, in the order of the enums. A test keeps this list
/// in step with the enums and with `testdata/error_codes.json`, which each binding checks.
pub const ERROR_CODES: &[(&str, &str)] = &[
    ("UNKNOWN_UNIT", "units"),
    ("UNIT_MISMATCH", "units"),
    ("INVALID_CURRENCY", "units"),
    ("UNKNOWN_GAS", "ghg"),
    ("UNKNOWN_GWP_SET", "ghg"),
    ("GWP_NOT_AVAILABLE", "ghg"),
    ("GWP_SET_MISMATCH", "ghg"),
    ("INVALID_BLEND", "ghg"),
    ("FACTOR_NOT_FOUND", "factors"),
    ("UNKNOWN_FUEL", "factors"),
    ("UNKNOWN_GEOGRAPHY", "factors"),
    ("MALFORMED_ROW", "factors"),
    ("MALFORMED_TABLE", "factors"),
    ("NEGATIVE_AMOUNT", "accounting"),
    ("OUT_OF_RANGE", "accounting"),
    ("MISSING_FIELD", "accounting"),
    ("DOUBLE_CLAIM", "accounting"),
    ("UNKNOWN_SITE", "accounting"),
    ("INVALID_INPUT", "input"),
    ("NON_FINITE", "input"),
    ("INVALID_DECIMAL", "input"),
    ("UNKNOWN_OPERATION", "input"),
    ("COLUMN_LENGTH", "input"),
    ("UNKNOWN_ID", "lca"),
    ("DUPLICATE_ID", "lca"),
    ("NON_SQUARE_TECHNOSPHERE", "lca"),
    ("MISSING_PRODUCTION", "lca"),
    ("SINGULAR_TECHNOSPHERE", "lca"),
    ("INVALID_DISTRIBUTION", "lca"),
    ("INVALID_SETTING", "lca"),
    ("FORMULA_SYNTAX", "lca"),
    ("UNKNOWN_PARAMETER", "lca"),
    ("PARAMETER_CYCLE", "lca"),
    ("DUPLICATE_PARAMETER", "lca"),
    ("MISSING_VALUE", "lca"),
    ("FORMULA_EVALUATION", "lca"),
    ("VALUE_COUNT", "lca"),
    ("MALFORMED_DATA", "lca"),
    ("UNSUPPORTED_SCHEMA", "lca"),
    ("MISSING_REFERENCE", "lca"),
    ("UNCONVERTIBLE_UNIT", "lca"),
    ("INVALID_CN_CODE", "cbam"),
    ("NOT_CBAM_GOOD", "cbam"),
    ("UNKNOWN_ROUTE", "cbam"),
    ("INVALID_COUNTRY", "cbam"),
    ("DEFAULT_VALUE_NOT_FOUND", "cbam"),
    ("BENCHMARK_NOT_FOUND", "cbam"),
    ("CERTIFICATE_PRICE_MISSING", "cbam"),
    ("UNKNOWN_SCENARIO", "cbam"),
    ("CBAM_PARAMETER_MISSING", "cbam"),
    ("PACT_INVALID", "exchange"),
    ("PACT_UNSUPPORTED_VERSION", "exchange"),
    ("MATERIAL_NOT_FOUND", "materials"),
    ("INVALID_RECYCLED_CONTENT", "materials"),
    ("INVALID_BOM", "product"),
    ("INVALID_ALLOCATION", "product"),
    ("RECYCLING_PARAMETER_MISSING", "product"),
    ("INVALID_SUPPLIER_PCF", "product"),
    ("INVALID_NETWORK", "supply"),
    ("UNKNOWN_REFERENCE", "supply"),
    ("TRANSPORT_INTENSITY_MISSING", "supply"),
    ("UNKNOWN_SIZE_CLASS", "vehicle"),
    ("UNKNOWN_POWERTRAIN", "vehicle"),
    ("UNKNOWN_REGION", "vehicle"),
    ("YEAR_OUT_OF_RANGE", "vehicle"),
    ("INVALID_SHARE", "vehicle"),
    ("INVALID_VEHICLE_PARAMETER", "vehicle"),
    ("VEHICLE_PARAMETER_MISSING", "vehicle"),
];

/// Names closest to `wanted` among `candidates` (case-insensitive Levenshtein distance),
/// at most `n`, joined by ", ". Used to suggest valid names in error messages.
pub fn nearest<'a, I>(wanted: &str, candidates: I, n: usize) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let w = wanted.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| {
            let cl = c.to_lowercase();
            let mut d = levenshtein(&w, &cl);
            if !w.is_empty() && (cl.contains(&w) || w.contains(&cl)) {
                d = d.min(1);
            }
            (d, c)
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    let names: Vec<&str> = scored.into_iter().take(n).map(|(_, c)| c).collect();
    if names.is_empty() {
        "(none)".to_string()
    } else {
        names.join(", ")
    }
}

/// Levenshtein edit distance between two strings, in characters.
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_suggests_close_names() {
        let s = nearest("kwh", ["kWh", "MWh", "kg", "t"], 2);
        assert!(s.starts_with("kWh"), "{s}");
    }

    #[test]
    fn codes_are_unique_and_screaming_snake() {
        let mut seen = std::collections::BTreeSet::new();
        for (code, _) in ERROR_CODES {
            assert!(seen.insert(*code), "duplicate code {code}");
            assert!(code.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
        }
    }
}
