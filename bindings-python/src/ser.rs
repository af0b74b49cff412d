//! Core output → Python objects, directly, with a serde `Serializer` (no JSON text between).
//!
//! struct/map → dict, seq/tuple → list, string → str, integers → int, bool → bool,
//! unit/None → None, f64 → float (only where core itself computes in f64), and the newtype
//! struct named [`tanso::num::DECIMAL_MARKER`] → `decimal.Decimal(<its string>)`, so every
//! decimal core reports arrives as a `Decimal` with exactly core's digits. Enum variants take
//! serde_json's shapes (`"Variant"` or `{"Variant": ...}`) so results have the same shape as
//! the JSON documents of the other bindings.

use std::fmt;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use pyo3::IntoPyObjectExt;
use serde::ser::{self, Serialize};

use crate::document::decimal_type;

/// Why an output could not be built.
#[derive(Debug)]
pub(crate) enum SerError {
    /// Python failed to build an object.
    Py(PyErr),
    /// A serde error raised by the value being serialized.
    Custom(String),
}

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SerError::Py(e) => write!(f, "{e}"),
            SerError::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerError::Custom(msg.to_string())
    }
}

impl From<PyErr> for SerError {
    fn from(e: PyErr) -> Self {
        SerError::Py(e)
    }
}

type Res<'py> = Result<Bound<'py, PyAny>, SerError>;

/// A serde serializer whose output is a Python object.
#[derive(Clone, Copy)]
pub(crate) struct PySerializer<'py> {
    py: Python<'py>,
}

impl<'py> PySerializer<'py> {
    /// A serializer building objects in this interpreter.
    pub(crate) fn new(py: Python<'py>) -> Self {
        PySerializer { py }
    }

    fn any<T: IntoPyObjectExt<'py>>(self, v: T) -> Res<'py> {
        Ok(v.into_bound_py_any(self.py)?)
    }

    /// `{variant: value}`, serde_json's shape for a non-unit enum variant.
    fn tagged(self, variant: &'static str, value: Bound<'py, PyAny>) -> Res<'py> {
        let d = PyDict::new(self.py);
        d.set_item(PyString::intern(self.py, variant), value)?;
        Ok(d.into_any())
    }
}

impl<'py> ser::Serializer for PySerializer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    type SerializeSeq = SeqBuilder<'py>;
    type SerializeTuple = SeqBuilder<'py>;
    type SerializeTupleStruct = SeqBuilder<'py>;
    type SerializeTupleVariant = SeqBuilder<'py>;
    type SerializeMap = DictBuilder<'py>;
    type SerializeStruct = DictBuilder<'py>;
    type SerializeStructVariant = DictBuilder<'py>;

    fn serialize_bool(self, v: bool) -> Res<'py> {
        self.any(v)
    }
    fn serialize_i8(self, v: i8) -> Res<'py> {
        self.any(v)
    }
    fn serialize_i16(self, v: i16) -> Res<'py> {
        self.any(v)
    }
    fn serialize_i32(self, v: i32) -> Res<'py> {
        self.any(v)
    }
    fn serialize_i64(self, v: i64) -> Res<'py> {
        self.any(v)
    }
    fn serialize_i128(self, v: i128) -> Res<'py> {
        self.any(v)
    }
    fn serialize_u8(self, v: u8) -> Res<'py> {
        self.any(v)
    }
    fn serialize_u16(self, v: u16) -> Res<'py> {
        self.any(v)
    }
    fn serialize_u32(self, v: u32) -> Res<'py> {
        self.any(v)
    }
    fn serialize_u64(self, v: u64) -> Res<'py> {
        self.any(v)
    }
    fn serialize_u128(self, v: u128) -> Res<'py> {
        self.any(v)
    }
    fn serialize_f32(self, v: f32) -> Res<'py> {
        self.any(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Res<'py> {
        self.any(v)
    }
    fn serialize_char(self, v: char) -> Res<'py> {
        self.any(v)
    }
    fn serialize_str(self, v: &str) -> Res<'py> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Res<'py> {
        Ok(PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> Res<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Res<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Res<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Res<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Res<'py> {
        Ok(PyString::intern(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, name: &'static str, value: &T) -> Res<'py> {
        let inner = value.serialize(self)?;
        if name == tanso::num::DECIMAL_MARKER {
            Ok(decimal_type(self.py)?.call1((inner,))?)
        } else {
            Ok(inner)
        }
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Res<'py> {
        let inner = value.serialize(self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder<'py>, SerError> {
        Ok(SeqBuilder { ser: self, items: Vec::with_capacity(len.unwrap_or(0)), variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder<'py>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqBuilder<'py>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqBuilder<'py>, SerError> {
        Ok(SeqBuilder { ser: self, items: Vec::with_capacity(len), variant: Some(variant) })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<DictBuilder<'py>, SerError> {
        Ok(DictBuilder { ser: self, dict: PyDict::new(self.py), key: None, variant: None })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<DictBuilder<'py>, SerError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<DictBuilder<'py>, SerError> {
        Ok(DictBuilder { ser: self, dict: PyDict::new(self.py), key: None, variant: Some(variant) })
    }
}

/// Builds a list (or `{variant: list}`).
pub(crate) struct SeqBuilder<'py> {
    ser: PySerializer<'py>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> SeqBuilder<'py> {
    fn push<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.items.push(value.serialize(self.ser)?);
        Ok(())
    }
    fn finish(self) -> Res<'py> {
        let list = PyList::new(self.ser.py, self.items)?.into_any();
        match self.variant {
            Some(v) => self.ser.tagged(v, list),
            None => Ok(list),
        }
    }
}

impl<'py> ser::SerializeSeq for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> Res<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeTuple for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> Res<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleStruct for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> Res<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleVariant for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> Res<'py> {
        self.finish()
    }
}

/// Builds a dict (or `{variant: dict}`).
pub(crate) struct DictBuilder<'py> {
    ser: PySerializer<'py>,
    dict: pyo3::Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> DictBuilder<'py> {
    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), SerError> {
        let v = value.serialize(self.ser)?;
        self.dict.set_item(PyString::intern(self.ser.py, key), v)?;
        Ok(())
    }
    fn finish(self) -> Res<'py> {
        let d = self.dict.into_any();
        match self.variant {
            Some(v) => self.ser.tagged(v, d),
            None => Ok(d),
        }
    }
}

impl<'py> ser::SerializeMap for DictBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), SerError> {
        // Keys are strings, as serde_json writes them (a number or bool key becomes its text),
        // so a result has the same shape as the JSON document of the other bindings.
        let text = match serde_json::to_value(key).map_err(|e| SerError::Custom(e.to_string()))? {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        self.key = Some(PyString::new(self.ser.py, &text).into_any());
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        let Some(key) = self.key.take() else {
            return Err(SerError::Custom("serialize_value called before serialize_key".to_string()));
        };
        let v = value.serialize(self.ser)?;
        self.dict.set_item(key, v)?;
        Ok(())
    }
    fn end(self) -> Res<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeStruct for DictBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), SerError> {
        self.field(key, value)
    }
    fn end(self) -> Res<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeStructVariant for DictBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), SerError> {
        self.field(key, value)
    }
    fn end(self) -> Res<'py> {
        self.finish()
    }
}
