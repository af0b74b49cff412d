//! Python document → JSON value: the input side of every operation.
//!
//! dict/Mapping → object (str keys only), list/tuple → array, str → string, bool → bool,
//! int → number (an int beyond 64 bits becomes its decimal string), `decimal.Decimal` → its
//! string, float → JSON number (core turns a float into the decimal of its shortest
//! round-tripping repr, so `0.1` is exactly `0.1`), None → null; numpy arrays and scalars and
//! pandas Series (anything with `tolist()`) → their plain values. NaN and infinities, float or
//! Decimal, are core's `NON_FINITE` error; anything else is `INVALID_INPUT` naming the path.
//! The caller's objects are only read, never written.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};
use tanso::error::{InputError, TansoError};

/// Deepest nesting accepted (as serde_json's parser); deeper is almost surely a cycle.
const MAX_DEPTH: usize = 128;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The `decimal.Decimal` class, imported once per interpreter.
pub(crate) fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

/// Why a document could not be converted.
pub(crate) enum ConvertError {
    /// The document is not valid for tanso (a tanso error with a stable code).
    Tanso(Box<TansoError>),
    /// Python itself failed while reading the document (e.g. a `__str__` raised).
    Py(PyErr),
}

impl From<PyErr> for ConvertError {
    fn from(e: PyErr) -> Self {
        ConvertError::Py(e)
    }
}

enum Seg {
    Key(String),
    Index(usize),
}

struct Reader<'a, 'py> {
    operation: &'a str,
    decimal: &'a Bound<'py, PyType>,
    path: Vec<Seg>,
}

/// Converts a Python document to a JSON value for `operation` (named in error messages).
pub(crate) fn to_value(operation: &str, obj: &Bound<'_, PyAny>) -> Result<Value, ConvertError> {
    let decimal = decimal_type(obj.py())?;
    let mut r = Reader { operation, decimal, path: Vec::new() };
    r.value(obj)
}

impl Reader<'_, '_> {
    /// The current position as a field path: `records[2].amount`; `document` at the top.
    fn field(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) if s.is_empty() => s.push_str(k),
                Seg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        if s.is_empty() {
            s.push_str("document");
        }
        s
    }

    fn invalid(&self, message: String) -> ConvertError {
        ConvertError::Tanso(Box::new(
            InputError::InvalidInput { operation: self.operation.to_string(), message: format!("{}: {message}", self.field()) }
                .into(),
        ))
    }

    fn value(&mut self, obj: &Bound<'_, PyAny>) -> Result<Value, ConvertError> {
        if self.path.len() > MAX_DEPTH {
            return Err(self.invalid(format!("nested deeper than {MAX_DEPTH} levels (is the document cyclic?)")));
        }
        if obj.is_none() {
            return Ok(Value::Null);
        }
        if let Ok(b) = obj.cast::<PyBool>() {
            return Ok(Value::Bool(b.is_true()));
        }
        if obj.is_instance_of::<PyInt>() {
            return self.int(obj);
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            let x = f.value();
            // NaN and ±inf: core's NON_FINITE, named by the field path.
            tanso::num::decimal_from_f64(x, &self.field()).map_err(|e| ConvertError::Tanso(Box::new(e.into())))?;
            return match Number::from_f64(x) {
                Some(n) => Ok(Value::Number(n)),
                None => Err(self.invalid(format!("{x} is not a finite number"))),
            };
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Value::String(s.to_cow()?.into_owned()));
        }
        if obj.is_instance(self.decimal.as_any())? {
            let text = obj.str()?.to_cow()?.into_owned();
            if !obj.call_method0("is_finite")?.is_truthy()? {
                return Err(ConvertError::Tanso(Box::new(InputError::NonFinite { field: self.field(), value: text }.into())));
            }
            return Ok(Value::String(text));
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            let mut map = Map::new();
            for (k, v) in d.iter() {
                self.entry(&mut map, &k, &v)?;
            }
            return Ok(Value::Object(map));
        }
        if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            let mut out = Vec::new();
            for (i, item) in obj.try_iter()?.enumerate() {
                self.path.push(Seg::Index(i));
                let v = self.value(&item?)?;
                self.path.pop();
                out.push(v);
            }
            return Ok(Value::Array(out));
        }
        if let Ok(m) = obj.cast::<PyMapping>() {
            let mut map = Map::new();
            for item in m.items()?.iter() {
                let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
                self.entry(&mut map, &k, &v)?;
            }
            return Ok(Value::Object(map));
        }
        // numpy arrays and scalars, pandas Series and Index: their Python values (a
        // numpy.float32 becomes the float it exactly is).
        if obj.hasattr("tolist")? {
            let plain = obj.call_method0("tolist")?;
            if plain.hasattr("tolist")? {
                return Err(self.invalid("tolist() did not return plain Python values".to_string()));
            }
            return self.value(&plain);
        }
        // Other integer-like scalars that are not `int` implement __index__.
        if obj.hasattr("__index__")? {
            let i = obj.call_method0("__index__")?;
            return self.int(&i);
        }
        let type_name = obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "object".to_string());
        Err(self.invalid(format!(
            "a {type_name} is not a document value; expected dict, list, tuple, str, int, float, bool, None or decimal.Decimal"
        )))
    }

    fn int(&self, obj: &Bound<'_, PyAny>) -> Result<Value, ConvertError> {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        // Beyond 64 bits: its exact digits, which a decimal field accepts.
        Ok(Value::String(obj.str()?.to_cow()?.into_owned()))
    }

    fn entry(&mut self, map: &mut Map<String, Value>, k: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>) -> Result<(), ConvertError> {
        let key = match k.cast::<PyString>() {
            Ok(s) => s.to_cow()?.into_owned(),
            Err(_) => {
                let key_repr = k.repr().map(|r| r.to_string()).unwrap_or_else(|_| "?".to_string());
                return Err(self.invalid(format!("key {key_repr} is not a str")));
            }
        };
        self.path.push(Seg::Key(key.clone()));
        let value = self.value(v)?;
        self.path.pop();
        map.insert(key, value);
        Ok(())
    }
}
