//! The batch fast path: columns (lists, numpy arrays, pandas Series) straight into core's
//! [`tanso::accounting::batch::run_columns`], without building a JSON document.
//!
//! Conversion only, no accounting: each str column becomes `Vec<String>` (a str object seen
//! before, as in a column of repeated Python strings, is read once), a float64 amount array is
//! read as a slice and each float becomes a decimal by core's one rule,
//! [`tanso::num::decimal_from_f64`] (shortest round-trip repr: `0.1` is exactly 0.1). A bad cell
//! (NaN, a non-str key, an unparsable amount, an unknown kind) fails its row with a stable code,
//! like core's other row errors; the batch goes on. The GIL is released while the amounts are
//! converted and core computes. The one step outside core is at the report boundary: a float64
//! column is the float64 nearest to each exact decimal.

// Core's `TansoError` is large (clippy says so of core too); rows carry it as core's API does.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use tanso::accounting::batch::{run_columns, BatchOutput, Kind};
use tanso::error::InputError;
use tanso::factors::FactorSource;
use tanso::ghg::GwpSet;
use tanso::{Decimal, TansoError};

use crate::document::{self, decimal_type, ConvertError};
use crate::error::raw;

/// A row that failed before core saw it (a bad cell), by row.
type CellErrors = Vec<(usize, TansoError)>;

fn invalid(message: String) -> TansoError {
    InputError::InvalidInput { operation: "batch".to_string(), message }.into()
}

/// A column as a list: a list as is, a tuple, or anything with `tolist()` (numpy arrays,
/// pandas Series) through one C-level `tolist()`; else any iterable.
fn as_list<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    if let Ok(l) = obj.cast::<PyList>() {
        return Ok(l.clone());
    }
    if obj.is_instance_of::<PyTuple>() || !obj.hasattr("tolist")? {
        return PyList::new(obj.py(), obj.try_iter()?.collect::<PyResult<Vec<_>>>()?);
    }
    Ok(obj.call_method0("tolist")?.cast_into::<PyList>()?)
}

/// A str column → one `String` per row. A non-str cell is a row error (`INVALID_INPUT`) and an
/// empty string in its place.
fn strings(list: &Bound<'_, PyList>, field: &str, errors: &mut CellErrors) -> PyResult<Vec<String>> {
    let mut out = Vec::with_capacity(list.len());
    // Keyed by object identity: the list holds every object alive, so an address stays one str.
    let mut seen: HashMap<usize, String> = HashMap::new();
    for (r, item) in list.iter().enumerate() {
        let id = item.as_ptr() as usize;
        if let Some(s) = seen.get(&id) {
            out.push(s.clone());
            continue;
        }
        match item.cast::<PyString>() {
            Ok(s) => {
                let s = s.to_cow()?.into_owned();
                if seen.len() < 4096 {
                    seen.insert(id, s.clone());
                }
                out.push(s);
            }
            Err(_) => {
                let type_name = item.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_string());
                errors.push((r, invalid(format!("{field}[{r}]: a {type_name} is not a str"))));
                out.push(String::new());
            }
        }
    }
    Ok(out)
}

/// An amount cell before conversion (GIL-free data).
enum Amount {
    Float(f64),
    Exact(Decimal),
    Text(String),
    Bad(TansoError),
}

/// A sequence of amounts (Decimal, str, int, float) → cells.
fn amount_cells(list: &Bound<'_, PyList>) -> PyResult<Vec<Amount>> {
    let decimal = decimal_type(list.py())?;
    let mut out = Vec::with_capacity(list.len());
    for (r, item) in list.iter().enumerate() {
        let cell = if item.is_instance_of::<PyBool>() {
            Amount::Bad(invalid(format!("amount[{r}]: a bool is not an amount")))
        } else if let Ok(f) = item.cast::<PyFloat>() {
            Amount::Float(f.value())
        } else if item.is_instance_of::<PyInt>() {
            match item.extract::<i64>() {
                Ok(i) => Amount::Exact(Decimal::from(i)),
                Err(_) => Amount::Text(item.str()?.to_cow()?.into_owned()),
            }
        } else if let Ok(s) = item.cast::<PyString>() {
            Amount::Text(s.to_cow()?.into_owned())
        } else if item.is_instance(decimal.as_any())? {
            let text = item.str()?.to_cow()?.into_owned();
            if item.call_method0("is_finite")?.is_truthy()? {
                Amount::Text(text)
            } else {
                Amount::Bad(InputError::NonFinite { field: format!("amount[{r}]"), value: text }.into())
            }
        } else {
            let type_name = item.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_string());
            Amount::Bad(invalid(format!(
                "amount[{r}]: a {type_name} is not an amount; expected float, int, str or decimal.Decimal"
            )))
        };
        out.push(cell);
    }
    Ok(out)
}

/// One amount cell → a decimal by core's rules; the field is named only when it fails.
fn to_decimal(r: usize, cell: Amount) -> Result<Decimal, TansoError> {
    let named = |e: InputError| -> TansoError { e.into() };
    match cell {
        Amount::Exact(d) => Ok(d),
        Amount::Float(x) => tanso::num::decimal_from_f64(x, "amount")
            .or_else(|_| tanso::num::decimal_from_f64(x, &format!("amount[{r}]")))
            .map_err(named),
        Amount::Text(s) => tanso::num::parse_decimal(&s, "amount")
            .or_else(|_| tanso::num::parse_decimal(&s, &format!("amount[{r}]")))
            .map_err(named),
        Amount::Bad(e) => Err(e),
    }
}

/// The float64 nearest to an exact decimal (the report boundary; NaN for a failed row).
/// A mantissa below 2^53 and a scale up to 22 are both exact doubles, and one IEEE division
/// rounds correctly; anything else goes through Rust's correctly rounded text parse.
fn nearest_f64(d: Option<Decimal>) -> f64 {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
    let Some(d) = d else { return f64::NAN };
    let m = d.mantissa();
    match POW10.get(d.scale() as usize) {
        Some(p) if m.unsigned_abs() < (1u128 << 53) => m as f64 / p,
        _ => d.to_string().parse().unwrap_or(f64::NAN),
    }
}

/// Runs core's batch on columns and returns a dict of columns.
///
/// `kind`, `key`, `unit`: sequences of str (list, tuple, numpy array, pandas Series).
/// `amount`: a numpy float64 array (each float is the decimal of its shortest repr, `0.1` is
/// exactly 0.1), or a sequence of `decimal.Decimal`, str, int or float. Columns of different
/// lengths raise `COLUMN_LENGTH`; a bad cell (NaN → `NON_FINITE`, a non-str key, an unknown
/// kind) fails only its row. Returns `co2e_kg` (numpy float64, the float nearest each exact
/// decimal, NaN where the row failed; with `exact=True` a list of `decimal.Decimal` or None),
/// `scope` (numpy int64, 0 where the row failed), `total_co2e_kg` (`decimal.Decimal`, exact)
/// and `errors` (list of dicts `row`, `code`, `message`). Needs numpy.
#[pyfunction]
#[pyo3(signature = (kind, key, amount, unit, year, gwp_set = "AR6", factors = None, exact = false))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn batch_columns<'py>(
    py: Python<'py>,
    kind: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
    amount: &Bound<'py, PyAny>,
    unit: &Bound<'py, PyAny>,
    year: i32,
    gwp_set: &str,
    factors: Option<&Bound<'py, PyAny>>,
    exact: bool,
) -> PyResult<Bound<'py, PyDict>> {
    crate::require_numpy(py)?;
    let n = kind.len()?;
    for (field, col) in [("key", key), ("amount", amount), ("unit", unit)] {
        let found = col.len()?;
        if found != n {
            return Err(raw(&InputError::ColumnLength { field: field.to_string(), found, expected: n }.into()));
        }
    }
    let gwp_set = GwpSet::parse(gwp_set, "gwp_set").map_err(|e| raw(&e.into()))?;
    let source: FactorSource = match factors {
        None => FactorSource::default(),
        Some(f) if f.is_none() => FactorSource::default(),
        Some(f) => {
            let value = match document::to_value("batch", f) {
                Ok(v) => v,
                Err(ConvertError::Tanso(e)) => return Err(raw(&e)),
                Err(ConvertError::Py(e)) => return Err(e),
            };
            serde_json::from_value(value).map_err(|e| raw(&invalid(format!("factors: {e}"))))?
        }
    };

    let mut errors: CellErrors = Vec::new();
    let kinds = strings(&as_list(kind)?, "kind", &mut errors)?;
    let keys = strings(&as_list(key)?, "key", &mut errors)?;
    let units = strings(&as_list(unit)?, "unit", &mut errors)?;
    let cells: Vec<Amount> = match amount.extract::<PyReadonlyArray1<'py, f64>>() {
        Ok(a) => match a.as_slice() {
            Ok(s) => s.iter().map(|&x| Amount::Float(x)).collect(),
            Err(_) => a.as_array().iter().map(|&x| Amount::Float(x)).collect(),
        },
        Err(_) => amount_cells(&as_list(amount)?)?,
    };

    let detached = py.detach(move || -> Result<(BatchOutput, Vec<f64>), TansoError> {
        let registry = source.registry()?;
        let mut parsed: Vec<Result<Kind, TansoError>> = kinds
            .iter()
            .enumerate()
            .map(|(r, k)| Kind::parse(k, "kind").or_else(|_| Kind::parse(k, &format!("kind[{r}]"))))
            .collect();
        let mut amounts = Vec::with_capacity(cells.len());
        for (r, cell) in cells.into_iter().enumerate() {
            match to_decimal(r, cell) {
                Ok(d) => amounts.push(d),
                Err(e) => {
                    amounts.push(Decimal::ZERO);
                    errors.push((r, e));
                }
            }
        }
        // A bad cell fails its row: the first error of the row (kind, key, unit, amount).
        errors.sort_by_key(|(r, _)| *r);
        for (r, e) in errors.into_iter().rev() {
            if let Some(slot) = parsed.get_mut(r) {
                *slot = Err(e);
            }
        }
        let out = run_columns(&registry, gwp_set, year, &parsed, &keys, &amounts, &units);
        let floats =
            if exact { Vec::new() } else { out.co2e_kg.iter().map(|v| nearest_f64(v.as_ref().map(|m| m.0))).collect() };
        Ok((out, floats))
    });
    // Only building the registry from `factors` can fail the whole call.
    let (out, floats) = detached.map_err(|e| raw(&e))?;

    let dict = PyDict::new(py);
    let decimal = decimal_type(py)?;
    if exact {
        let mut col = Vec::with_capacity(out.co2e_kg.len());
        for v in &out.co2e_kg {
            col.push(match v {
                Some(m) => decimal.call1((m.0.to_string(),))?,
                None => py.None().into_bound(py),
            });
        }
        dict.set_item("co2e_kg", PyList::new(py, col)?)?;
    } else {
        dict.set_item("co2e_kg", PyArray1::from_vec(py, floats))?;
    }
    let scope: Vec<i64> = out.scope.iter().map(|&s| i64::from(s)).collect();
    dict.set_item("scope", PyArray1::from_vec(py, scope))?;
    dict.set_item("total_co2e_kg", decimal.call1((out.total_co2e_kg.to_string(),))?)?;
    let errs = PyList::empty(py);
    for e in &out.errors {
        let d = PyDict::new(py);
        d.set_item("row", e.row)?;
        d.set_item("code", &e.code)?;
        d.set_item("message", &e.message)?;
        errs.append(d)?;
    }
    dict.set_item("errors", errs)?;
    Ok(dict)
}
