//! How decimals cross JSON and the bindings.
//!
//! In every JSON document tanso reads or writes, a decimal is a string of digits
//! (`"1.9003"`), normalized on output (no trailing zeros), so JavaScript never parses it
//! into a float and every language sees the same digits. On input a JSON number is also
//! accepted; a binary float becomes a decimal by one rule: its shortest decimal
//! representation that round-trips (`0.1` → `0.1`, not `0.1000000000000000055…`).
//!
//! On output a decimal is serialized as a newtype struct named [`DECIMAL_MARKER`] around its
//! string. JSON serializers write it as a plain string; the Python binding recognizes the
//! name and builds a `decimal.Decimal`, so no decimal passes through a float.
//!
//! ```
//! use tanso::num::parse_decimal;
//! use rust_decimal_macros::dec;
//! assert_eq!(parse_decimal("1.50", "x").unwrap(), dec!(1.5));
//! assert_eq!(tanso::num::decimal_from_f64(0.1, "x").unwrap(), dec!(0.1));
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserializer, Serialize, Serializer};

use crate::error::InputError;

/// The name of the newtype struct that carries a decimal's string through serde.
pub const DECIMAL_MARKER: &str = "$tanso::Decimal";

/// Parses a decimal from text: digits with optional sign, point and exponent.
pub fn parse_decimal(s: &str, field: &str) -> Result<Decimal, InputError> {
    let t = s.trim();
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .map(|d| d.normalize())
        .map_err(|_| InputError::InvalidDecimal {
            field: field.to_string(),
            value: s.to_string(),
        })
}

/// Converts a binary float to a decimal by its shortest round-tripping representation.
/// NaN and infinities are the error `NON_FINITE`.
pub fn decimal_from_f64(x: f64, field: &str) -> Result<Decimal, InputError> {
    if !x.is_finite() {
        return Err(InputError::NonFinite {
            field: field.to_string(),
            value: x.to_string(),
        });
    }
    // Rust's `Display` for f64 prints the shortest representation that round-trips.
    let s = format!("{x}");
    parse_decimal(&s, field)
}

/// Serializes a decimal as a marked newtype around its normalized string.
pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_newtype_struct(DECIMAL_MARKER, &d.normalize().to_string())
}

struct DecVisitor;

impl<'de> Visitor<'de> for DecVisitor {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal as a string (\"1.25\") or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_decimal(v, "value").map_err(crate::error::into_serde)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        decimal_from_f64(v, "value").map_err(crate::error::into_serde)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecVisitor)
    }
}

/// Deserializes a decimal from a string or a number (see the module docs for the rule).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecVisitor)
}

/// `#[serde(with = "crate::num::opt")]` for `Option<Decimal>`.
pub mod opt {
    use super::*;

    /// Serializes `Some` as a marked decimal and `None` as null.
    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(v) => s.serialize_some(&Marked(*v)),
            None => s.serialize_none(),
        }
    }

    struct OptVisitor;
    impl<'de> Visitor<'de> for OptVisitor {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            super::deserialize(d).map(Some)
        }
    }

    /// Deserializes null or a decimal.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_option(OptVisitor)
    }
}

/// `#[serde(with = "crate::num::map")]` for `BTreeMap<K, Decimal>`.
pub mod map {
    use super::*;
    use serde::ser::SerializeMap;
    use serde::Deserialize;

    /// Serializes each value as a marked decimal.
    pub fn serialize<K: Serialize, S: Serializer>(
        m: &BTreeMap<K, Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_map(Some(m.len()))?;
        for (k, v) in m {
            out.serialize_entry(k, &Marked(*v))?;
        }
        out.end()
    }

    /// Deserializes a map of decimals.
    pub fn deserialize<'de, K, D>(d: D) -> Result<BTreeMap<K, Decimal>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        D: Deserializer<'de>,
    {
        let raw: BTreeMap<K, Marked> = BTreeMap::deserialize(d)?;
        Ok(raw.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
}

/// A decimal that serializes with the marker; for use inside containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Marked(pub Decimal);

impl Serialize for Marked {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize(&self.0, s)
    }
}

impl<'de> serde::Deserialize<'de> for Marked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize(d).map(Marked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct T {
        #[serde(with = "crate::num")]
        a: Decimal,
        #[serde(with = "crate::num::opt", default)]
        b: Option<Decimal>,
    }

    #[test]
    fn json_round_trip_is_exact() {
        // 28 significant digits survive.
        let t = T {
            a: dec!(1234567890.123456789012345678),
            b: None,
        };
        let s = serde_json::to_string(&t).unwrap();
        assert_eq!(s, r#"{"a":"1234567890.123456789012345678","b":null}"#);
        assert_eq!(serde_json::from_str::<T>(&s).unwrap(), t);
    }

    #[test]
    fn numbers_use_shortest_repr() {
        let t: T = serde_json::from_str(r#"{"a":0.1,"b":"2.50"}"#).unwrap();
        assert_eq!(t.a, dec!(0.1));
        assert_eq!(t.b, Some(dec!(2.5)));
    }

    #[test]
    fn output_is_normalized() {
        let t = T {
            a: dec!(1.500),
            b: Some(dec!(100)),
        };
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"a":"1.5","b":"100"}"#
        );
    }

    #[test]
    fn nan_is_an_error() {
        assert_eq!(
            decimal_from_f64(f64::NAN, "x").unwrap_err().code(),
            "NON_FINITE"
        );
    }
}
