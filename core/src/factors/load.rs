//! Loading users' factor tables from CSV or JSON, with row-numbered errors.
//!
//! CSV columns (header names; order free):
//! `id, activity, geography, year, unit` (required), `price_year`, one column per gas in kg
//! per unit named by gas id (`CO2`, `CH4_fossil`, `N2O`, `HFC-134a`, …), `co2e` (kg CO2e per
//! unit) with `gwp_basis`, and provenance columns `publisher, document, table, url, licence,
//! status, boundary, notes`. A row without `status` is `unverified`. JSON: an array of
//! [`EmissionFactor`] objects as tanso serializes them.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{geography, Boundary, EmissionFactor, Provenance, Status};
use crate::error::FactorError;
use crate::ghg::{Gas, GasVector, GwpSet};

/// The format of a user table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// A JSON array of factor objects.
    Json,
}

const KNOWN: &[&str] = &[
    "id",
    "activity",
    "geography",
    "year",
    "unit",
    "price_year",
    "co2e",
    "gwp_basis",
    "publisher",
    "document",
    "table",
    "url",
    "licence",
    "status",
    "boundary",
    "notes",
];

pub(crate) fn parse_table(
    name: &str,
    format: TableFormat,
    text: &str,
) -> Result<Vec<EmissionFactor>, FactorError> {
    match format {
        TableFormat::Csv => parse_csv(name, text),
        TableFormat::Json => parse_json(name, text),
    }
}

fn malformed(name: &str, row: usize, field: &str, message: String) -> FactorError {
    FactorError::MalformedRow {
        source_name: name.to_string(),
        row,
        field: field.to_string(),
        message,
    }
}

fn parse_csv(name: &str, text: &str) -> Result<Vec<EmissionFactor>, FactorError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| FactorError::MalformedTable {
            source_name: name.to_string(),
            message: format!("no header row: {e}"),
        })?
        .iter()
        .map(str::to_string)
        .collect();
    for req in ["activity", "geography", "year", "unit"] {
        if !headers.iter().any(|h| h == req) {
            return Err(FactorError::MalformedTable {
                source_name: name.to_string(),
                message: format!(
                    "missing column '{req}'; required: activity, geography, year, unit; found: {}",
                    headers.join(", ")
                ),
            });
        }
    }
    let mut gas_cols = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if KNOWN.contains(&h.as_str()) {
            continue;
        }
        let gas = Gas::parse(h, h).map_err(|_| FactorError::MalformedTable {
            source_name: name.to_string(),
            message: format!(
                "unknown column '{h}'; expected a gas id (CO2, CH4_fossil, N2O, …) or one of {}",
                KNOWN.join(", ")
            ),
        })?;
        gas_cols.push((i, gas));
    }
    let col = |n: &str| headers.iter().position(|h| h == n);
    let mut out = Vec::new();
    for (k, rec) in rdr.records().enumerate() {
        let row = k + 2;
        let rec = rec.map_err(|e| malformed(name, row, "(row)", format!("unreadable: {e}")))?;
        let get = |n: &str| col(n).and_then(|i| rec.get(i)).unwrap_or("").to_string();
        let required = |n: &str| {
            let v = get(n);
            if v.is_empty() {
                Err(malformed(
                    name,
                    row,
                    n,
                    "empty; a value is required".to_string(),
                ))
            } else {
                Ok(v)
            }
        };
        let activity = required("activity")?;
        let geo = required("geography")?;
        let geography = geography::resolve(&geo)
            .map(str::to_string)
            .unwrap_or(geo.clone());
        geography::chain(&geography)
            .map_err(|e| malformed(name, row, "geography", e.to_string()))?;
        let year_text = required("year")?;
        let year = year_text.parse::<i32>().map_err(|_| {
            malformed(
                name,
                row,
                "year",
                format!("'{year_text}' is not a year; expected e.g. 2023"),
            )
        })?;
        let unit = required("unit")?;
        let price_year =
            match get("price_year").as_str() {
                "" => None,
                t => Some(t.parse::<i32>().map_err(|_| {
                    malformed(name, row, "price_year", format!("'{t}' is not a year"))
                })?),
            };
        let number = |field: &str, t: &str| -> Result<Decimal, FactorError> {
            let d = Decimal::from_str(t)
                .or_else(|_| Decimal::from_scientific(t))
                .map_err(|_| {
                    malformed(name, row, field, format!("'{t}' is not a decimal number"))
                })?;
            if d.is_sign_negative() {
                return Err(malformed(
                    name,
                    row,
                    field,
                    format!("{t} is negative; factors are zero or more"),
                ));
            }
            Ok(d.normalize())
        };
        let mut gases = GasVector::new();
        for (i, gas) in &gas_cols {
            let t = rec.get(*i).unwrap_or("");
            if !t.is_empty() {
                gases.add(*gas, number(&headers[*i], t)?);
            }
        }
        let co2e = match get("co2e").as_str() {
            "" => None,
            t => Some(number("co2e", t)?),
        };
        if gases.0.is_empty() && co2e.is_none() {
            return Err(malformed(
                name,
                row,
                "co2e",
                "no value: give kg per unit in a gas column or in co2e".to_string(),
            ));
        }
        let gwp_basis = match get("gwp_basis").as_str() {
            "" => None,
            t => Some(
                GwpSet::parse(t, "gwp_basis")
                    .map_err(|e| malformed(name, row, "gwp_basis", e.to_string()))?,
            ),
        };
        let status = match get("status").to_ascii_lowercase().as_str() {
            "verified" => Status::Verified,
            "" | "unverified" => Status::Unverified,
            t => {
                return Err(malformed(
                    name,
                    row,
                    "status",
                    format!("'{t}'; expected verified or unverified"),
                ))
            }
        };
        let boundary = match get("boundary").as_str() {
            "" => Boundary::Combustion,
            t => serde_json::from_value::<Boundary>(serde_json::Value::String(t.to_string())).map_err(|_| {
                malformed(name, row, "boundary", format!("'{t}'; expected combustion, well_to_tank, well_to_wheel, generation, cradle_to_gate or life_cycle"))
            })?,
        };
        let id = match get("id") {
            s if s.is_empty() => format!("{name}:{activity}:{geography}:{year}"),
            s => s,
        };
        out.push(EmissionFactor {
            id,
            activity,
            geography,
            year,
            unit,
            price_year,
            gases,
            co2e,
            provenance: Provenance {
                publisher: get("publisher"),
                document: match get("document") {
                    d if d.is_empty() => format!("user table '{name}' row {row}"),
                    d => d,
                },
                table: get("table"),
                url: Some(get("url")).filter(|u| !u.is_empty()),
                licence: get("licence"),
                status,
                status_note: String::new(),
                boundary,
                gwp_basis,
                notes: get("notes"),
            },
        });
    }
    Ok(out)
}

fn parse_json(name: &str, text: &str) -> Result<Vec<EmissionFactor>, FactorError> {
    let values: Vec<serde_json::Value> =
        serde_json::from_str(text).map_err(|e| FactorError::MalformedTable {
            source_name: name.to_string(),
            message: format!("not a JSON array of factors: {e}"),
        })?;
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.into_iter().enumerate() {
        let f: EmissionFactor = serde_json::from_value(v)
            .map_err(|e| malformed(name, i + 1, "(object)", e.to_string()))?;
        geography::chain(&f.geography)
            .map_err(|e| malformed(name, i + 1, "geography", e.to_string()))?;
        out.push(f);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factors::FactorRegistry;
    use rust_decimal_macros::dec;

    #[test]
    fn loads_csv_and_looks_up() {
        let csv = "activity,geography,year,unit,CO2,status,publisher\nfreight.road.truck,GLO,2023,tkm,0.1,verified,my data\n";
        let mut reg = FactorRegistry::new();
        assert_eq!(reg.load_table("mine", TableFormat::Csv, csv).unwrap(), 1);
        let m = reg.lookup("freight.road.truck", "CN-ZJ", 2024).unwrap();
        assert_eq!(m.factor.gases.get(Gas::Co2), dec!(0.1));
        assert_eq!(m.fallback.unwrap().used_geography, "GLO");
    }

    #[test]
    fn errors_name_the_row_and_load_nothing() {
        let csv = "activity,geography,year,unit,CO2\na,GLO,2023,kg,1\nb,GLO,20x3,kg,1\n";
        let mut reg = FactorRegistry::new();
        let e = reg.load_table("mine", TableFormat::Csv, csv).unwrap_err();
        assert_eq!(e.code(), "MALFORMED_ROW");
        assert!(e.to_string().contains("mine row 3: year"), "{e}");
        assert!(reg.factors().is_empty());
    }

    #[test]
    fn unknown_column_is_refused() {
        let csv = "activity,geography,year,unit,C02\na,GLO,2023,kg,1\n";
        let e = FactorRegistry::new()
            .load_table("t", TableFormat::Csv, csv)
            .unwrap_err();
        assert_eq!(e.code(), "MALFORMED_TABLE");
    }
}
