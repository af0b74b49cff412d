//! CBAM reference data with provenance: the CBAM factor schedule, the cross-sectoral correction
//! factor, default-value mark-ups, the de-minimis threshold, 2026 certificate prices, column B
//! benchmarks and China's default values — read from `core/data/cbam_parameters.csv` (a copy of
//! the project's sourced table) at first use — plus users' default-value tables and benchmarks.
//!
//! Only verified rows are bundled. The `PROPOSAL ONLY` row (COM(2026) 616) is not law: it is
//! the named scenario [`PROPOSAL_COM_2026_616`], used only when a document selects it.
//!
//! Default values are stored as the tables give them before the mark-up (t CO2e per t of good);
//! [`Tables::markup`] gives the mark-up of a year. They are found by the longest CN prefix for
//! the country of origin, then for `OTHER` ("other countries and territories"); only China's
//! rows are bundled, so another country needs a user table:
//!
//! ```
//! use tanso::cbam::data::{DefaultValueSource, Tables};
//! use tanso::factors::{TableFormat, UserTable};
//! let mut src = DefaultValueSource::default();
//! src.tables.push(UserTable {
//!     name: "my defaults".into(),
//!     format: TableFormat::Csv,
//!     text: "cn_code,country,direct,route,source\n7208,OTHER,2.5,C,my copy of IR 2025/2621\n".into(),
//! });
//! let tables = Tables::new(&src, &[], None, None).unwrap();
//! let v = tables.default_value("72085120", "IN", "good").unwrap();
//! assert_eq!(v.country, "OTHER");
//! assert_eq!(tables.default_value("72085120", "CN", "good").unwrap().direct.to_string(), "3.187");
//! ```

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::goods::{self, display, Sector};
use crate::error::{AccountingError, CbamError, FactorError, TansoError};
use crate::factors::{Status, TableFormat, UserTable};

const CSV: &str = include_str!("../../data/cbam_parameters.csv");

/// Source of the de-minimis threshold.
pub const DE_MINIMIS_SOURCE: &str =
    "Regulation (EU) 2025/2083 amending 2023/956 (simplification): 50 t net mass per importer and calendar year";

/// The id of the COM(2026) 616 proposal scenario (a proposal, not law).
pub const PROPOSAL_COM_2026_616: &str = "COM(2026)616";

/// The first year of the CBAM definitive period (certificates are due from 2026 imports on).
pub const FIRST_YEAR: i32 = 2026;

/// A number of the reference table with its provenance: the row of `cbam_parameters.csv` it
/// comes from, or a user's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    /// `parameter@period`, unique per row (e.g. `cbam_factor_free_allocation_share@2026`), or
    /// `user:<table>:<row>` for a user's row.
    pub id: String,
    /// The parameter name as the table gives it.
    pub parameter: String,
    /// The period it applies to, as the table gives it.
    pub period: String,
    /// What it applies to (goods, country), as the table gives it.
    pub scope: String,
    /// The value as the table writes it.
    pub value: String,
    /// Its unit.
    pub unit: String,
    /// Verified or not (unverified numbers are flagged in every result that uses them).
    pub status: Status,
    /// The status as the table words it.
    pub status_note: String,
    /// The source document(s).
    pub source: String,
    /// Remarks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// Benchmark column of IR (EU) 2025/2620: A applies with actual emissions data, B with
/// default values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Column {
    /// Column A (actual data): a benchmark of the good's own process; precursors add theirs.
    A,
    /// Column B (default values): covers the good with its precursors.
    B,
}

impl Column {
    fn id(self) -> &'static str {
        match self {
            Column::A => "A",
            Column::B => "B",
        }
    }
}

/// A benchmark for the free-allocation adjustment, t CO2e per t of good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Benchmark {
    /// CN prefix (digits) it applies to.
    pub cn_code: String,
    /// Production route letter, if route-specific.
    pub route: Option<String>,
    /// Column A or B.
    pub column: Column,
    /// First year it applies to.
    pub first_year: i32,
    /// Last year it applies to.
    pub last_year: i32,
    /// t CO2e per t of good.
    #[serde(with = "crate::num")]
    pub value: Decimal,
    /// Where it comes from.
    pub source: Parameter,
}

/// A default value (before mark-up) of a good from a country, t CO2e per t of good (per MWh for
/// electricity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefaultValue {
    /// CN prefix (digits, at most 8) it applies to.
    pub cn_code: String,
    /// Country of origin (ISO 3166-1 alpha-2), or `OTHER` for "other countries and territories".
    pub country: String,
    /// Direct emissions, t CO2e per t.
    #[serde(with = "crate::num")]
    pub direct: Decimal,
    /// Indirect emissions, t CO2e per t, where the table gives them (cement, fertilisers).
    #[serde(with = "crate::num::opt")]
    pub indirect: Option<Decimal>,
    /// The production route the table assigns (decides the column B benchmark).
    pub route: Option<String>,
    /// The good as the table describes it.
    pub description: String,
    /// Where it comes from.
    pub source: Parameter,
}

/// The reference data of `cbam_parameters.csv`, verified rows only (plus the proposal scenario).
#[derive(Debug, Clone)]
pub struct CbamData {
    /// CBAM factor (share of free allocation kept) by year, 2026–2034.
    pub cbam_factor: BTreeMap<i32, (Decimal, Parameter)>,
    /// The cross-sectoral correction factor and the years it covers.
    pub cscf: (Decimal, i32, i32, Parameter),
    /// Mark-up by year (2026, 2027, 2028 = 2028 onwards) for iron and steel, aluminium, cement, hydrogen.
    pub markup: BTreeMap<i32, (Decimal, Parameter)>,
    /// Mark-up of fertilisers (2026 onwards).
    pub markup_fertilisers: (Decimal, Parameter),
    /// De-minimis threshold, t net mass per importer and year.
    pub de_minimis: (Decimal, Parameter),
    /// 2026 certificate prices by quarter (1–4), EUR per t CO2e.
    pub prices_2026: BTreeMap<u8, (Decimal, Parameter)>,
    /// The price rule from 2027 (weekly average).
    pub price_rule: Option<Parameter>,
    /// The declaration and surrender deadline for 2026 imports.
    pub deadline: Option<(String, Parameter)>,
    /// The indirect-emissions row (which goods count them).
    pub indirect_counted: Option<Parameter>,
    /// Column B benchmarks.
    pub benchmarks: Vec<Benchmark>,
    /// Default values (China).
    pub default_values: Vec<DefaultValue>,
    /// Scenarios: name → (CBAM factor by first year of a step, the row).
    pub scenarios: BTreeMap<String, (Vec<(i32, Decimal)>, Parameter)>,
}

fn status_of(text: &str) -> Status {
    let t = text.to_ascii_lowercase();
    if t.starts_with("verified") && !t.contains("unverified") {
        Status::Verified
    } else {
        Status::Unverified
    }
}

fn dec(s: &str) -> Option<Decimal> {
    Decimal::from_str(s.trim()).ok().map(|d| d.normalize())
}

fn cn_digits(text: &str) -> String {
    text.chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .filter(char::is_ascii_digit)
        .collect()
}

fn country_code(name: &str) -> Option<&'static str> {
    match name.trim() {
        "China" => Some("CN"),
        _ => None,
    }
}

/// The bundled data (parsed once).
pub fn bundled() -> &'static CbamData {
    static DATA: OnceLock<CbamData> = OnceLock::new();
    DATA.get_or_init(|| parse(CSV))
}

fn parse(text: &str) -> CbamData {
    let mut d = CbamData {
        cbam_factor: BTreeMap::new(),
        cscf: (Decimal::ONE, 0, -1, Parameter::none()),
        markup: BTreeMap::new(),
        markup_fertilisers: (Decimal::ZERO, Parameter::none()),
        de_minimis: (Decimal::ZERO, Parameter::none()),
        prices_2026: BTreeMap::new(),
        price_rule: None,
        deadline: None,
        indirect_counted: None,
        benchmarks: Vec::new(),
        default_values: Vec::new(),
        scenarios: BTreeMap::new(),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    for rec in rdr.records().flatten() {
        let get = |i: usize| rec.get(i).unwrap_or("").to_string();
        let p = Parameter {
            id: format!("{}@{}", get(0), get(1)),
            parameter: get(0),
            period: get(1),
            scope: get(2),
            value: get(3),
            unit: get(4),
            status: status_of(&get(5)),
            status_note: get(5),
            source: get(6),
            notes: get(7),
        };
        let name = p.parameter.as_str();
        if let Some(scenario) = name.strip_prefix("cbam_factor_proposal_") {
            // A proposal is not law: a named scenario, never the default schedule.
            if let (Ok(first), Some(v)) = (p.period.parse::<i32>(), dec(&p.value)) {
                let mut steps = vec![(first, v)];
                steps.extend(proposal_steps(&p.notes));
                d.scenarios.insert(scenario.to_string(), (steps, p));
            }
            continue;
        }
        if p.status != Status::Verified {
            continue;
        }
        let value = dec(&p.value);
        match (name, value) {
            ("cbam_factor_free_allocation_share", Some(v)) => {
                if let Ok(y) = p.period.parse::<i32>() {
                    d.cbam_factor.insert(y, (v, p));
                }
            }
            ("cross_sectoral_correction_factor", Some(v)) => {
                if let Some((a, b)) = year_range(&p.period) {
                    d.cscf = (v, a, b, p);
                }
            }
            ("default_value_markup", Some(v)) => {
                if p.scope.contains("fertilisers") {
                    d.markup_fertilisers = (v, p);
                } else if let Ok(y) = p.period.parse::<i32>() {
                    d.markup.insert(y, (v, p));
                }
            }
            ("de_minimis_threshold", Some(v)) => d.de_minimis = (v, p),
            ("cbam_certificate_price", Some(v)) => {
                if let Some(q) = p
                    .period
                    .strip_prefix("2026-Q")
                    .and_then(|q| q.parse::<u8>().ok())
                {
                    d.prices_2026.insert(q, (v, p));
                }
            }
            ("cbam_certificate_price_rule", _) => d.price_rule = Some(p),
            ("declaration_and_surrender_deadline", _) => d.deadline = Some((p.value.clone(), p)),
            ("indirect_emissions_counted", _) => d.indirect_counted = Some(p),
            (n, Some(v)) if n.starts_with("benchmark_") => {
                let (cn, route, p) = if n == "benchmark_grey_clinker_or_cement" {
                    // The row's label is ambiguous between clinker and cement; materials.csv and
                    // the code it cites label it "25231000:A 0.666 grey clinker". Bundled for
                    // grey clinker (CN 2523 10 00, route A) only, and said so.
                    let mut p = p;
                    p.notes = format!(
                        "{} tanso applies it to grey cement clinker, CN 2523 10 00, route A only (the source labels it '25231000:A grey clinker'; its label is ambiguous with cement CN 2523 29 00).",
                        p.notes
                    )
                    .trim()
                    .to_string();
                    ("25231000".to_string(), Some("A".to_string()), p)
                } else {
                    let route = n.split("_route").nth(1).map(str::to_string);
                    (cn_digits(&p.scope), route, p)
                };
                let column = if p.source.contains("column B") || p.source.contains("Column B") {
                    Column::B
                } else {
                    Column::A
                };
                if let (false, Some((a, b))) = (cn.is_empty(), year_range(&p.period)) {
                    d.benchmarks.push(Benchmark {
                        cn_code: cn,
                        route,
                        column,
                        first_year: a,
                        last_year: b,
                        value: v,
                        source: p,
                    });
                }
            }
            (n, Some(_)) if n.starts_with("default_value_CN_") => {
                if let Some(dv) = default_value_row(&p) {
                    d.default_values.push(dv);
                }
            }
            _ => {}
        }
    }
    d
}

fn year_range(period: &str) -> Option<(i32, i32)> {
    let mut it = period.split('-');
    let a = it.next()?.trim().parse::<i32>().ok()?;
    let b = match it.next() {
        Some(t) => t.trim().parse::<i32>().ok()?,
        None => a,
    };
    Some((a, b))
}

/// "proposal would slow phase-out: 2029 0.81, 2030 0.59, …, 2034-2037 0.15, 2038 0"
fn proposal_steps(notes: &str) -> Vec<(i32, Decimal)> {
    let Some((_, list)) = notes.split_once(':') else {
        return Vec::new();
    };
    list.split(',')
        .filter_map(|item| {
            let mut parts = item.split_whitespace();
            let years = parts.next()?;
            let v = dec(parts.next()?)?;
            let (a, _) = year_range(years)?;
            Some((a, v))
        })
        .collect()
}

/// `China; <description>; direct=3.187; indirect=; route=C (BF-BOF)`
fn default_value_row(p: &Parameter) -> Option<DefaultValue> {
    let code = p.parameter.strip_prefix("default_value_CN_")?;
    let parts: Vec<&str> = p.scope.split(';').map(str::trim).collect();
    let country = country_code(parts.first()?)?;
    let description = parts.get(1).copied().unwrap_or("").to_string();
    let field = |k: &str| {
        parts
            .iter()
            .find_map(|x| x.strip_prefix(k))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let direct = dec(field("direct=")?)?;
    let indirect = field("indirect=").and_then(dec);
    let route = field("route=")
        .and_then(|r| r.split_whitespace().next())
        .filter(|r| r.len() == 1 && r.chars().all(|c| c.is_ascii_uppercase()))
        .map(str::to_string);
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let cn = goods::cn8(&digits).to_string();
    let mut source = p.clone();
    if digits.len() > 8 {
        source.notes = format!(
            "{} The source lists it under {digits}; tanso keys it by the CN code {}.",
            source.notes,
            display(&cn)
        )
        .trim()
        .to_string();
    }
    Some(DefaultValue {
        cn_code: cn,
        country: country.to_string(),
        direct,
        indirect,
        route,
        description,
        source,
    })
}

impl Parameter {
    fn none() -> Parameter {
        Parameter {
            id: String::new(),
            parameter: String::new(),
            period: String::new(),
            scope: String::new(),
            value: String::new(),
            unit: String::new(),
            status: Status::Unverified,
            status_note: String::new(),
            source: String::new(),
            notes: String::new(),
        }
    }

    fn user(
        id: String,
        parameter: &str,
        value: Decimal,
        unit: &str,
        source: &str,
        status: Status,
    ) -> Parameter {
        Parameter {
            id,
            parameter: parameter.to_string(),
            period: String::new(),
            scope: String::new(),
            value: value.normalize().to_string(),
            unit: unit.to_string(),
            status,
            status_note: "user input".to_string(),
            source: if source.is_empty() {
                "user input".to_string()
            } else {
                source.to_string()
            },
            notes: String::new(),
        }
    }
}

/// Where default values come from beyond the bundled ones: users' tables, CSV or JSON.
///
/// CSV columns (header names, any order): `cn_code`, `country` (ISO alpha-2 or `OTHER`),
/// `direct` (required); `indirect`, `route`, `description`, `source`, `status` (`verified` or
/// `unverified`, the default), `notes`. Values are before the mark-up, t CO2e per t of good
/// (per MWh for electricity). JSON: an array of objects with the same fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultValueSource {
    /// Users' tables; their rows come before the bundled ones.
    #[serde(default)]
    pub tables: Vec<UserTable>,
}

/// One row of a user's default-value table (the JSON form).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DefaultValueRow {
    cn_code: String,
    country: String,
    #[serde(with = "crate::num")]
    direct: Decimal,
    #[serde(default, with = "crate::num::opt")]
    indirect: Option<Decimal>,
    #[serde(default)]
    route: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    status: Option<Status>,
    #[serde(default)]
    notes: String,
}

/// A benchmark the user gives, e.g. a column A benchmark for a good with actual data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserBenchmark {
    /// CN code or prefix.
    pub cn_code: String,
    /// Route letter, if route-specific.
    #[serde(default)]
    pub route: Option<String>,
    /// Column `A` or `B`.
    pub column: Column,
    /// t CO2e per t of good.
    #[serde(with = "crate::num")]
    pub value: Decimal,
    /// Where it comes from.
    #[serde(default)]
    pub source: String,
    /// Verified or not (default unverified).
    #[serde(default)]
    pub status: Status,
    /// First year it applies to (default: any).
    #[serde(default)]
    pub first_year: Option<i32>,
    /// Last year it applies to (default: any).
    #[serde(default)]
    pub last_year: Option<i32>,
}

fn malformed(table: &str, row: usize, field: &str, message: String) -> FactorError {
    FactorError::MalformedRow {
        source_name: table.to_string(),
        row,
        field: field.to_string(),
        message,
    }
}

fn parse_default_table(t: &UserTable) -> Result<Vec<DefaultValue>, FactorError> {
    let rows: Vec<(usize, DefaultValueRow)> = match t.format {
        TableFormat::Json => {
            let values: Vec<serde_json::Value> =
                serde_json::from_str(&t.text).map_err(|e| FactorError::MalformedTable {
                    source_name: t.name.clone(),
                    message: format!("not a JSON array of default values: {e}"),
                })?;
            values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    serde_json::from_value(v)
                        .map(|r| (i + 1, r))
                        .map_err(|e| malformed(&t.name, i + 1, "(object)", e.to_string()))
                })
                .collect::<Result<_, _>>()?
        }
        TableFormat::Csv => parse_default_csv(t)?,
    };
    rows.into_iter()
        .map(|(row, r)| {
            let m = |field: &str, msg: String| malformed(&t.name, row, field, msg);
            let digits =
                goods::normalize(&r.cn_code, "cn_code").map_err(|e| m("cn_code", e.to_string()))?;
            let country = r.country.trim().to_ascii_uppercase();
            if country != "OTHER"
                && !(country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()))
            {
                return Err(m(
                    "country",
                    format!(
                        "'{}'; expected an ISO 3166-1 alpha-2 code (CN, IN, …) or OTHER",
                        r.country
                    ),
                ));
            }
            for (f, v) in [("direct", Some(r.direct)), ("indirect", r.indirect)] {
                if v.is_some_and(|v| v.is_sign_negative() && !v.is_zero()) {
                    return Err(m(
                        f,
                        "negative; default values are zero or more".to_string(),
                    ));
                }
            }
            let route = match r.route.as_deref().map(str::trim) {
                None | Some("") | Some("-") => None,
                Some(x) if x.len() == 1 && x.chars().all(|c| c.is_ascii_alphabetic()) => {
                    Some(x.to_ascii_uppercase())
                }
                Some(x) => return Err(m("route", format!("'{x}'; expected one letter, e.g. C"))),
            };
            let cn = goods::cn8(&digits).to_string();
            let status = r.status.unwrap_or(Status::Unverified);
            let mut source = Parameter::user(
                format!("user:{}:{row}", t.name),
                "default_value",
                r.direct + r.indirect.unwrap_or_default(),
                "tCO2e/t",
                &r.source,
                status,
            );
            source.scope = format!("{}; {}", country, r.description)
                .trim_end_matches("; ")
                .to_string();
            source.notes = r.notes;
            Ok(DefaultValue {
                cn_code: cn,
                country,
                direct: r.direct.normalize(),
                indirect: r.indirect.map(|v| v.normalize()),
                route,
                description: r.description,
                source,
            })
        })
        .collect()
}

fn parse_default_csv(t: &UserTable) -> Result<Vec<(usize, DefaultValueRow)>, FactorError> {
    const KNOWN: [&str; 9] = [
        "cn_code",
        "country",
        "direct",
        "indirect",
        "route",
        "description",
        "source",
        "status",
        "notes",
    ];
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(t.text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| FactorError::MalformedTable {
            source_name: t.name.clone(),
            message: format!("no header row: {e}"),
        })?
        .iter()
        .map(str::to_string)
        .collect();
    for h in &headers {
        if !KNOWN.contains(&h.as_str()) {
            return Err(FactorError::MalformedTable {
                source_name: t.name.clone(),
                message: format!("unknown column '{h}'; expected {}", KNOWN.join(", ")),
            });
        }
    }
    for req in ["cn_code", "country", "direct"] {
        if !headers.iter().any(|h| h == req) {
            return Err(FactorError::MalformedTable {
                source_name: t.name.clone(),
                message: format!(
                    "missing column '{req}'; required: cn_code, country, direct; found: {}",
                    headers.join(", ")
                ),
            });
        }
    }
    let col = |n: &str| headers.iter().position(|h| h == n);
    let mut out = Vec::new();
    for (k, rec) in rdr.records().enumerate() {
        let row = k + 2;
        let rec = rec.map_err(|e| malformed(&t.name, row, "(row)", format!("unreadable: {e}")))?;
        let get = |n: &str| col(n).and_then(|i| rec.get(i)).unwrap_or("").to_string();
        let number = |n: &str| -> Result<Option<Decimal>, FactorError> {
            let v = get(n);
            if v.is_empty() {
                return Ok(None);
            }
            crate::num::parse_decimal(&v, n)
                .map(Some)
                .map_err(|_| malformed(&t.name, row, n, format!("'{v}' is not a decimal number")))
        };
        let direct = number("direct")?.ok_or_else(|| {
            malformed(
                &t.name,
                row,
                "direct",
                "empty; a value is required".to_string(),
            )
        })?;
        let status = match get("status").to_ascii_lowercase().as_str() {
            "" | "unverified" => Status::Unverified,
            "verified" => Status::Verified,
            s => {
                return Err(malformed(
                    &t.name,
                    row,
                    "status",
                    format!("'{s}'; expected verified or unverified"),
                ))
            }
        };
        out.push((
            row,
            DefaultValueRow {
                cn_code: get("cn_code"),
                country: get("country"),
                direct,
                indirect: number("indirect")?,
                route: Some(get("route")),
                description: get("description"),
                source: get("source"),
                status: Some(status),
                notes: get("notes"),
            },
        ));
    }
    Ok(out)
}

/// The tables one calculation uses: the bundled data, users' default values and benchmarks,
/// the selected scenario and a cross-sectoral correction factor the user gives.
#[derive(Debug, Clone)]
pub struct Tables {
    data: &'static CbamData,
    user_defaults: Vec<DefaultValue>,
    user_benchmarks: Vec<Benchmark>,
    scenario: Option<String>,
    cscf: Option<Decimal>,
}

/// A value with the id of its source row (None where no row backs it, e.g. a user's input).
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced {
    /// The value.
    pub value: Decimal,
    /// The source, if a table row backs it.
    pub source: Option<Parameter>,
    /// A remark on how it was derived (e.g. "2028 onwards").
    pub note: String,
}

impl Tables {
    /// Builds the tables: users' default-value tables (every row loads or none does), users'
    /// benchmarks, a scenario name (`None` = the law) and a cross-sectoral correction factor
    /// that replaces the bundled one.
    pub fn new(
        defaults: &DefaultValueSource,
        benchmarks: &[UserBenchmark],
        scenario: Option<&str>,
        cscf: Option<Decimal>,
    ) -> Result<Tables, TansoError> {
        let data = bundled();
        let mut user_defaults = Vec::new();
        for t in &defaults.tables {
            user_defaults.extend(parse_default_table(t)?);
        }
        let mut user_benchmarks = Vec::new();
        for (i, b) in benchmarks.iter().enumerate() {
            let field = format!("benchmarks[{i}]");
            let digits = goods::normalize(&b.cn_code, &format!("{field}.cn_code"))?;
            crate::accounting::non_negative(&format!("{field}.value"), b.value)?;
            let route = b
                .route
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(|r| {
                    if r.len() == 1 && r.chars().all(|c| c.is_ascii_alphabetic()) {
                        Ok(r.to_ascii_uppercase())
                    } else {
                        Err(CbamError::UnknownRoute {
                            field: format!("{field}.route"),
                            cn_code: display(&digits),
                            value: r.to_string(),
                            valid: "one route letter of the benchmark tables, e.g. C".to_string(),
                        })
                    }
                })
                .transpose()?;
            let mut source = Parameter::user(
                format!("user:benchmarks[{i}]"),
                &format!("benchmark column {}", b.column.id()),
                b.value,
                "tCO2e/t",
                &b.source,
                b.status,
            );
            source.scope = format!(
                "CN {}{}",
                display(&digits),
                route
                    .as_ref()
                    .map(|r| format!(", route {r}"))
                    .unwrap_or_default()
            );
            user_benchmarks.push(Benchmark {
                cn_code: goods::cn8(&digits).to_string(),
                route,
                column: b.column,
                first_year: b.first_year.unwrap_or(i32::MIN),
                last_year: b.last_year.unwrap_or(i32::MAX),
                value: b.value.normalize(),
                source,
            });
        }
        let scenario = match scenario.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => {
                let key: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                let found = data
                    .scenarios
                    .keys()
                    .find(|k| k.eq_ignore_ascii_case(&key))
                    .cloned();
                match found {
                    Some(k) => Some(k),
                    None => {
                        return Err(CbamError::UnknownScenario {
                            value: s.to_string(),
                            valid: data
                                .scenarios
                                .keys()
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", "),
                        }
                        .into())
                    }
                }
            }
        };
        if let Some(c) = cscf {
            crate::accounting::non_negative("cross_sectoral_correction_factor", c)?;
            if c > Decimal::ONE {
                return Err(AccountingError::OutOfRange {
                    field: "cross_sectoral_correction_factor".to_string(),
                    value: c.to_string(),
                    expected: "a fraction from 0 to 1".to_string(),
                }
                .into());
            }
        }
        Ok(Tables {
            data,
            user_defaults,
            user_benchmarks,
            scenario,
            cscf,
        })
    }

    /// The bundled data.
    pub fn data(&self) -> &'static CbamData {
        self.data
    }

    /// The selected scenario, if any (`None`: the law).
    pub fn scenario(&self) -> Option<&str> {
        self.scenario.as_deref()
    }

    /// The scenario's source row.
    pub fn scenario_source(&self) -> Option<&Parameter> {
        self.scenario
            .as_ref()
            .and_then(|s| self.data.scenarios.get(s))
            .map(|(_, p)| p)
    }

    /// The CBAM factor of a year: the share of free allocation that EU producers keep (Directive
    /// 2003/87/EC Art. 10a(1a)); 0 from 2034. Under a scenario, its schedule from its first
    /// year on, the law before.
    pub fn cbam_factor(&self, year: i32) -> Result<Sourced, TansoError> {
        check_year(year, "year")?;
        if let Some((steps, p)) = self
            .scenario
            .as_ref()
            .and_then(|s| self.data.scenarios.get(s))
        {
            if let Some(&(from, _)) = steps.first() {
                if year >= from {
                    let (y, v) = steps
                        .iter()
                        .rev()
                        .find(|(y, _)| *y <= year)
                        .copied()
                        .unwrap_or(steps[0]);
                    return Ok(Sourced {
                        value: v,
                        source: Some(p.clone()),
                        note: format!(
                            "scenario {}: PROPOSAL ONLY (not law); step from {y}",
                            self.scenario.as_deref().unwrap_or("")
                        ),
                    });
                }
            }
        }
        let last = self
            .data
            .cbam_factor
            .keys()
            .next_back()
            .copied()
            .unwrap_or(FIRST_YEAR);
        let y = year.min(last);
        let (v, p) = self
            .data
            .cbam_factor
            .get(&y)
            .ok_or_else(|| CbamError::ParameterMissing {
                field: "year".to_string(),
                parameter: "CBAM factor".to_string(),
                year,
                expected: "the bundled schedule has no row for this year".to_string(),
            })?;
        Ok(Sourced {
            value: *v,
            source: Some(p.clone()),
            note: if y != year {
                format!("{last} onwards")
            } else {
                String::new()
            },
        })
    }

    /// The cross-sectoral correction factor of a year: the user's, else the bundled one for
    /// its years (2026–2030); another year without a user value is `CBAM_PARAMETER_MISSING`.
    pub fn cscf(&self, year: i32) -> Result<Sourced, TansoError> {
        if let Some(c) = self.cscf {
            return Ok(Sourced {
                value: c,
                source: None,
                note: "given in the input".to_string(),
            });
        }
        let (v, a, b, p) = &self.data.cscf;
        if (*a..=*b).contains(&year) {
            return Ok(Sourced {
                value: *v,
                source: Some(p.clone()),
                note: String::new(),
            });
        }
        Err(CbamError::ParameterMissing {
            field: "cross_sectoral_correction_factor".to_string(),
            parameter: "cross-sectoral correction factor".to_string(),
            year,
            expected: format!(
                "tanso bundles {v} for {a}–{b} ({}); give cross_sectoral_correction_factor",
                p.source
            ),
        }
        .into())
    }

    /// The default-value mark-up of a sector in a year: 10% 2026, 20% 2027, 30% 2028 onwards
    /// (iron and steel, aluminium, cement, hydrogen); 1% for fertilisers (read as flat: the
    /// sources differ on whether it grows by 1% a year); none for electricity (the data gives
    /// none).
    pub fn markup(&self, sector: Sector, year: i32) -> Sourced {
        match sector {
            Sector::Fertilisers => Sourced {
                value: self.data.markup_fertilisers.0,
                source: Some(self.data.markup_fertilisers.1.clone()),
                note: "flat 1% from 2026 (sources differ on a 1%-a-year rise; tanso takes the flat reading of the code that cites IR (EU) 2026/1740)".to_string(),
            },
            Sector::Electricity => Sourced {
                value: Decimal::ZERO,
                source: None,
                note: "no mark-up: cbam_parameters.csv gives none for electricity".to_string(),
            },
            _ => {
                let first = self.data.markup.keys().next().copied().unwrap_or(FIRST_YEAR);
                let last = self.data.markup.keys().next_back().copied().unwrap_or(FIRST_YEAR);
                let y = year.clamp(first, last);
                match self.data.markup.get(&y) {
                    Some((v, p)) => Sourced {
                        value: *v,
                        source: Some(p.clone()),
                        note: if y < year { format!("{last} onwards") } else { String::new() },
                    },
                    None => Sourced {
                        value: Decimal::ZERO,
                        source: None,
                        note: "no mark-up row".to_string(),
                    },
                }
            }
        }
    }

    /// The default value of a good (CN digits) from a country: the longest CN prefix among the
    /// country's rows (users' rows first), else among `OTHER` rows; else
    /// `DEFAULT_VALUE_NOT_FOUND` naming the CN code and the country.
    pub fn default_value(
        &self,
        digits: &str,
        country: &str,
        field: &str,
    ) -> Result<&DefaultValue, TansoError> {
        let cn = goods::cn8(digits);
        let pick = |c: &str| -> Option<&DefaultValue> {
            let mut best: Option<&DefaultValue> = None;
            for v in self
                .user_defaults
                .iter()
                .chain(self.data.default_values.iter())
            {
                if v.country == c
                    && cn.starts_with(v.cn_code.as_str())
                    && best.is_none_or(|b| v.cn_code.len() > b.cn_code.len())
                {
                    best = Some(v);
                }
            }
            best
        };
        if let Some(v) = pick(country).or_else(|| pick("OTHER")) {
            return Ok(v);
        }
        let bundled: Vec<String> = self
            .data
            .default_values
            .iter()
            .map(|v| format!("{} {}", v.country, display(&v.cn_code)))
            .collect();
        Err(CbamError::DefaultValueNotFound {
            field: field.to_string(),
            cn_code: display(digits),
            country: country.to_string(),
            available: format!(
                "tanso bundles only China's verified default values (IR (EU) 2025/2621 Annex I, China sheet: {}); load a default-value table (CSV or JSON, \"default_values\": {{\"tables\": [...]}}) with a row for {country} or for OTHER (other countries and territories), or give actual data",
                bundled.join(", ")
            ),
        }
        .into())
    }

    /// The benchmark of a good (CN digits) for a route, column and year: users' rows first,
    /// then the longest CN prefix, a route-specific row before a route-less one. `Ok(None)`
    /// when nothing matches; the caller words the error (see [`Tables::benchmark_error`]).
    pub fn benchmark(
        &self,
        digits: &str,
        route: Option<&str>,
        column: Column,
        year: i32,
    ) -> Option<&Benchmark> {
        let cn = goods::cn8(digits);
        let mut best: Option<(bool, usize, bool, &Benchmark)> = None;
        for (user, b) in self
            .user_benchmarks
            .iter()
            .map(|b| (true, b))
            .chain(self.data.benchmarks.iter().map(|b| (false, b)))
        {
            if b.column != column
                || year < b.first_year
                || year > b.last_year
                || !cn.starts_with(b.cn_code.as_str())
            {
                continue;
            }
            match (&b.route, route) {
                (Some(r), Some(want)) if r != want => continue,
                (Some(_), None) => continue,
                _ => {}
            }
            let key = (user, b.cn_code.len(), b.route.is_some());
            if best.is_none_or(|(u, l, r, _)| key > (u, l, r)) {
                best = Some((key.0, key.1, key.2, b));
            }
        }
        best.map(|(_, _, _, b)| b)
    }

    /// The `BENCHMARK_NOT_FOUND` error for a good, listing what tanso has.
    pub fn benchmark_error(
        &self,
        field: &str,
        digits: &str,
        route: Option<&str>,
        column: Column,
        year: i32,
    ) -> TansoError {
        let cn = goods::cn8(digits);
        let near: Vec<String> = self
            .user_benchmarks
            .iter()
            .chain(self.data.benchmarks.iter())
            .filter(|b| b.column == column && cn.starts_with(b.cn_code.as_str()))
            .map(|b| {
                format!(
                    "{}{} {} ({}–{})",
                    display(&b.cn_code),
                    b.route
                        .as_ref()
                        .map(|r| format!(" route {r}"))
                        .unwrap_or_default(),
                    b.value,
                    if b.first_year == i32::MIN {
                        "any".to_string()
                    } else {
                        b.first_year.to_string()
                    },
                    if b.last_year == i32::MAX {
                        "any".to_string()
                    } else {
                        b.last_year.to_string()
                    },
                )
            })
            .collect();
        let all: Vec<String> = self
            .data
            .benchmarks
            .iter()
            .map(|b| {
                format!(
                    "{}{}",
                    display(&b.cn_code),
                    b.route
                        .as_ref()
                        .map(|r| format!(" {r}"))
                        .unwrap_or_default()
                )
            })
            .collect();
        let available = if near.is_empty() {
            format!(
                "tanso bundles column B benchmarks of IR (EU) 2025/2620 for 2026–2030 only, for CN {}; give one in \"benchmarks\" ({{\"cn_code\", \"route\", \"column\", \"value\", \"source\"}}) or a line's \"benchmark\"",
                all.join(", ")
            )
        } else {
            format!(
                "benchmarks for this good: {}; {}",
                near.join(", "),
                if route.is_none() {
                    "give the production route"
                } else {
                    "give one for this route and year in \"benchmarks\""
                }
            )
        };
        CbamError::BenchmarkNotFound {
            field: field.to_string(),
            cn_code: display(digits),
            route: route.map(|r| format!(", route {r}")).unwrap_or_default(),
            column: column.id().to_string(),
            year,
            available,
        }
        .into()
    }

    /// The 2026 certificate price of a quarter (1–4), if bundled.
    pub fn price_2026(&self, quarter: u8) -> Option<(Decimal, &Parameter)> {
        self.data.prices_2026.get(&quarter).map(|(v, p)| (*v, p))
    }

    /// The de-minimis threshold, t net mass per importer and year.
    pub fn de_minimis(&self) -> (Decimal, &Parameter) {
        (self.data.de_minimis.0, &self.data.de_minimis.1)
    }
}

/// Refuses years before the definitive period (2026).
pub fn check_year(year: i32, field: &str) -> Result<(), TansoError> {
    if !(FIRST_YEAR..=2100).contains(&year) {
        return Err(AccountingError::OutOfRange {
            field: field.to_string(),
            value: year.to_string(),
            expected: "2026 to 2100: the CBAM definitive period starts on 1 January 2026 (2023–2025 was the transitional period, without certificates)".to_string(),
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn bundles_every_verified_row_and_not_the_proposal() {
        let d = bundled();
        assert_eq!(d.cbam_factor.len(), 9);
        assert_eq!(d.cbam_factor[&2026].0, dec!(0.975));
        assert_eq!(d.cbam_factor[&2034].0, dec!(0));
        assert_eq!(d.markup.len(), 3);
        assert_eq!(d.markup_fertilisers.0, dec!(0.01));
        assert_eq!(d.de_minimis.0, dec!(50));
        assert_eq!(d.prices_2026.len(), 3);
        assert_eq!(d.benchmarks.len(), 9);
        assert!(d.benchmarks.iter().all(|b| b.column == Column::B));
        assert_eq!(d.default_values.len(), 15);
        assert_eq!((d.cscf.0, d.cscf.1, d.cscf.2), (dec!(1), 2026, 2030));
        assert!(d.price_rule.is_some() && d.deadline.is_some() && d.indirect_counted.is_some());
        // The proposal is a scenario only.
        let (steps, p) = &d.scenarios[PROPOSAL_COM_2026_616];
        assert_eq!(p.status, Status::Unverified);
        assert_eq!(
            steps,
            &vec![
                (2028, dec!(0.915)),
                (2029, dec!(0.81)),
                (2030, dec!(0.59)),
                (2031, dec!(0.48)),
                (2032, dec!(0.375)),
                (2033, dec!(0.27)),
                (2034, dec!(0.15)),
                (2038, dec!(0))
            ]
        );
    }

    #[test]
    fn default_values_parse_with_totals() {
        let d = bundled();
        for v in &d.default_values {
            let total = dec(&v.source.value).unwrap();
            assert_eq!(
                v.direct + v.indirect.unwrap_or_default(),
                total,
                "{}",
                v.source.id
            );
            assert_eq!(v.country, "CN");
        }
        let clinker = d
            .default_values
            .iter()
            .find(|v| v.cn_code == "25231000")
            .unwrap();
        assert_eq!(
            (clinker.direct, clinker.indirect),
            (dec!(1.35), Some(dec!(0.04)))
        );
        assert_eq!(clinker.route.as_deref(), Some("A"));
        let hrc = d
            .default_values
            .iter()
            .find(|v| v.cn_code == "7208")
            .unwrap();
        assert_eq!(
            (hrc.direct, hrc.indirect, hrc.route.as_deref()),
            (dec!(3.187), None, Some("C"))
        );
        let cement = d
            .default_values
            .iter()
            .find(|v| v.cn_code == "25232900")
            .unwrap();
        assert_eq!(cement.route, None);
    }

    #[test]
    fn schedule_and_scenario() {
        let law = Tables::new(&DefaultValueSource::default(), &[], None, None).unwrap();
        assert_eq!(law.cbam_factor(2030).unwrap().value, dec!(0.515));
        assert_eq!(law.cbam_factor(2040).unwrap().value, dec!(0));
        assert_eq!(law.cbam_factor(2025).unwrap_err().code(), "OUT_OF_RANGE");
        let p = Tables::new(
            &DefaultValueSource::default(),
            &[],
            Some("COM(2026) 616"),
            None,
        )
        .unwrap();
        assert_eq!(p.cbam_factor(2027).unwrap().value, dec!(0.95));
        assert_eq!(p.cbam_factor(2030).unwrap().value, dec!(0.59));
        assert_eq!(p.cbam_factor(2036).unwrap().value, dec!(0.15));
        assert_eq!(p.cbam_factor(2038).unwrap().value, dec!(0));
        let e = Tables::new(&DefaultValueSource::default(), &[], Some("fast"), None).unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_SCENARIO");
    }

    #[test]
    fn markup_by_year() {
        let t = Tables::new(&DefaultValueSource::default(), &[], None, None).unwrap();
        let m = |s, y| t.markup(s, y).value;
        assert_eq!(m(Sector::IronAndSteel, 2026), dec!(0.1));
        assert_eq!(m(Sector::Aluminium, 2027), dec!(0.2));
        assert_eq!(m(Sector::Cement, 2028), dec!(0.3));
        assert_eq!(m(Sector::Hydrogen, 2035), dec!(0.3));
        assert_eq!(m(Sector::Fertilisers, 2030), dec!(0.01));
        assert_eq!(m(Sector::Electricity, 2030), dec!(0));
    }

    #[test]
    fn user_default_tables_load_whole_or_not_at_all() {
        let bad = DefaultValueSource {
            tables: vec![UserTable {
                name: "t".into(),
                format: TableFormat::Csv,
                text: "cn_code,country,direct\n7208,IN,2.9\n7601,India,16\n".into(),
            }],
        };
        let e = Tables::new(&bad, &[], None, None).unwrap_err();
        assert_eq!(e.code(), "MALFORMED_ROW");
        assert!(e.to_string().contains("t row 3: country"), "{e}");
        let json = DefaultValueSource {
            tables: vec![UserTable {
                name: "j".into(),
                format: TableFormat::Json,
                text: r#"[{"cn_code": "7601", "country": "IN", "direct": "16.2", "route": "K", "source": "my table"}]"#.into(),
            }],
        };
        let t = Tables::new(&json, &[], None, None).unwrap();
        let v = t.default_value("76011000", "IN", "x").unwrap();
        assert_eq!(v.direct, dec!(16.2));
        assert_eq!(v.source.status, Status::Unverified);
        let e = t.default_value("76011000", "US", "good").unwrap_err();
        assert_eq!(e.code(), "DEFAULT_VALUE_NOT_FOUND");
        assert!(
            e.to_string().contains("7601 10 00") && e.to_string().contains("US"),
            "{e}"
        );
    }

    #[test]
    fn benchmarks_by_route_column_and_year() {
        let t = Tables::new(&DefaultValueSource::default(), &[], None, None).unwrap();
        assert_eq!(
            t.benchmark("72085120", Some("C"), Column::B, 2026)
                .unwrap()
                .value,
            dec!(1.37)
        );
        assert_eq!(
            t.benchmark("72085120", Some("E"), Column::B, 2030)
                .unwrap()
                .value,
            dec!(0.072)
        );
        assert!(t.benchmark("72085120", None, Column::B, 2026).is_none());
        assert!(t
            .benchmark("72085120", Some("C"), Column::B, 2031)
            .is_none());
        assert!(t
            .benchmark("72085120", Some("C"), Column::A, 2026)
            .is_none());
        assert_eq!(
            t.benchmark("28041000", None, Column::B, 2026)
                .unwrap()
                .value,
            dec!(5.089)
        );
        assert_eq!(
            t.benchmark("31021019", None, Column::B, 2026)
                .unwrap()
                .value,
            dec!(0.902)
        );
        assert!(t.benchmark("31021012", None, Column::B, 2026).is_none());
        let e = t.benchmark_error("x", "72085120", None, Column::B, 2026);
        assert!(e.to_string().contains("route C 1.37"), "{e}");
    }
}
