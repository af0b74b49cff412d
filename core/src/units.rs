//! Units and quantities with exact decimal conversion.
//!
//! Each unit has a dimension and a factor to the base unit of that dimension (kg, MJ, m³,
//! Nm³, km, t·km, TEU·km, m²), all exact decimals from their definitions (the international
//! pound is 0.45359237 kg by definition; the IT calorie 4.1868 J; the tonne of standard coal
//! 29.3076 GJ = 7000 kcal_IT, GB/T 2589-2020; the tonne of oil equivalent 41.868 GJ).
//! Conversion multiplies by the source factor and divides by the target factor; the product
//! is exact, the quotient is exact when it terminates and otherwise rounded (half to even)
//! to what `rust_decimal` holds: 28 significant digits, and never more than 28 decimal places,
//! so a result below 1 (e.g. 1 J in TWh, 2.8 × 10^-16) keeps fewer significant digits.
//!
//! Gas at normal conditions (Nm³) is its own dimension: converting it to a geometric volume
//! needs a temperature and pressure, so tanso refuses rather than guess.
//!
//! ```
//! use tanso::units::{convert, Unit};
//! use rust_decimal_macros::dec;
//! assert_eq!(convert(dec!(1), "tce", "GJ").unwrap(), dec!(29.3076));
//! assert_eq!(convert(dec!(2000), "lb", "kg").unwrap(), dec!(907.18474));
//! assert_eq!(Unit::parse("kWh", "unit").unwrap().dimension().name(), "energy");
//! ```

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{nearest, UnitError};

/// A physical dimension. Quantities convert only within one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// Mass; base unit kg.
    Mass,
    /// Energy; base unit MJ.
    Energy,
    /// Geometric volume; base unit m³.
    Volume,
    /// Gas volume at normal conditions (0 °C, 101.325 kPa); base unit Nm³.
    NormalVolume,
    /// Distance; base unit km.
    Distance,
    /// Freight transport work, mass × distance; base unit t·km.
    Freight,
    /// Container transport work; base unit TEU·km.
    ContainerFreight,
    /// Area; base unit m².
    Area,
}

impl Dimension {
    /// The lower-case name used in messages and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Mass => "mass",
            Dimension::Energy => "energy",
            Dimension::Volume => "volume",
            Dimension::NormalVolume => "normal_volume",
            Dimension::Distance => "distance",
            Dimension::Freight => "freight",
            Dimension::ContainerFreight => "container_freight",
            Dimension::Area => "area",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The definition of one unit: its symbol, accepted aliases, dimension and exact factor to
/// the base unit of its dimension.
#[derive(Debug)]
pub struct UnitDef {
    /// Canonical symbol, e.g. `kWh`.
    pub symbol: &'static str,
    /// Other spellings accepted on input.
    pub aliases: &'static [&'static str],
    /// What it measures.
    pub dimension: Dimension,
    /// How many base units one of this unit is.
    pub to_base: Decimal,
    /// Where the factor comes from.
    pub definition: &'static str,
}

macro_rules! u {
    ($sym:expr, [$($alias:expr),*], $dim:ident, $f:expr, $def:expr) => {
        UnitDef { symbol: $sym, aliases: &[$($alias),*], dimension: Dimension::$dim, to_base: $f, definition: $def }
    };
}

/// Every unit tanso knows.
pub static UNITS: &[UnitDef] = &[
    // mass, base kg
    u!("mg", [], Mass, dec!(0.000001), "SI"),
    u!("g", ["gram"], Mass, dec!(0.001), "SI"),
    u!("kg", ["kilogram"], Mass, dec!(1), "SI base unit"),
    u!(
        "t",
        ["tonne", "tonnes", "metric_ton", "Mg"],
        Mass,
        dec!(1000),
        "SI, 1 t = 1000 kg"
    ),
    u!("kt", ["Gg"], Mass, dec!(1000000), "SI"),
    u!("Mt", ["Tg"], Mass, dec!(1000000000), "SI"),
    u!(
        "lb",
        ["lbs", "pound"],
        Mass,
        dec!(0.45359237),
        "international pound, exact by definition (1959)"
    ),
    u!(
        "short_ton",
        ["ton_us", "sh_tn"],
        Mass,
        dec!(907.18474),
        "2000 lb"
    ),
    u!(
        "long_ton",
        ["ton_uk", "LT"],
        Mass,
        dec!(1016.0469088),
        "2240 lb"
    ),
    // energy, base MJ
    u!("J", [], Energy, dec!(0.000001), "SI"),
    u!("kJ", [], Energy, dec!(0.001), "SI"),
    u!("MJ", [], Energy, dec!(1), "SI"),
    u!("GJ", [], Energy, dec!(1000), "SI"),
    u!("TJ", [], Energy, dec!(1000000), "SI"),
    u!("PJ", [], Energy, dec!(1000000000), "SI"),
    u!("Wh", [], Energy, dec!(0.0036), "3600 J"),
    u!("kWh", ["kwh", "KWH", "kW·h"], Energy, dec!(3.6), "3.6 MJ"),
    u!("MWh", ["mwh", "MW·h"], Energy, dec!(3600), "3600 MJ"),
    u!("GWh", ["gwh"], Energy, dec!(3600000), "3.6 TJ"),
    u!("TWh", [], Energy, dec!(3600000000), "3.6 PJ"),
    u!(
        "kcal",
        [],
        Energy,
        dec!(0.0041868),
        "International Table calorie, 4.1868 J"
    ),
    u!("Mcal", [], Energy, dec!(4.1868), "10^6 cal_IT"),
    u!("Gcal", [], Energy, dec!(4186.8), "10^9 cal_IT"),
    u!(
        "Btu",
        ["BTU"],
        Energy,
        dec!(0.00105505585262),
        "International Table Btu, 1055.05585262 J"
    ),
    u!(
        "MMBtu",
        ["mmBtu", "MMBTU"],
        Energy,
        dec!(1055.05585262),
        "10^6 Btu_IT"
    ),
    u!(
        "therm",
        ["thm"],
        Energy,
        dec!(105.505585262),
        "10^5 Btu_IT (EC therm)"
    ),
    u!(
        "kgce",
        [],
        Energy,
        dec!(29.3076),
        "kilogram of standard coal, 7000 kcal_IT (GB/T 2589-2020)"
    ),
    u!(
        "tce",
        [],
        Energy,
        dec!(29307.6),
        "tonne of standard coal, 29.3076 GJ (GB/T 2589-2020)"
    ),
    u!(
        "toe",
        [],
        Energy,
        dec!(41868),
        "tonne of oil equivalent, 10^7 kcal_IT = 41.868 GJ (IEA/OECD)"
    ),
    // volume, base m³
    u!("mL", ["ml"], Volume, dec!(0.000001), "SI"),
    u!("L", ["l", "litre", "liter"], Volume, dec!(0.001), "1 dm³"),
    u!("m3", ["m³", "cubic_metre"], Volume, dec!(1), "SI"),
    u!(
        "US_gal",
        ["gal", "gallon", "us_gallon"],
        Volume,
        dec!(0.003785411784),
        "231 in³, exact"
    ),
    u!(
        "imp_gal",
        ["uk_gallon"],
        Volume,
        dec!(0.00454609),
        "imperial gallon, exact"
    ),
    u!(
        "bbl",
        ["barrel"],
        Volume,
        dec!(0.158987294928),
        "oil barrel, 42 US gal"
    ),
    u!(
        "ft3",
        ["cf", "cubic_foot"],
        Volume,
        dec!(0.028316846592),
        "(0.3048 m)³"
    ),
    // normal volume, base Nm³
    u!(
        "Nm3",
        ["Nm³", "nm3"],
        NormalVolume,
        dec!(1),
        "m³ of gas at 0 °C and 101.325 kPa"
    ),
    u!(
        "10^4 Nm3",
        ["1e4Nm3", "wan_Nm3"],
        NormalVolume,
        dec!(10000),
        "10^4 Nm³, as Chinese statistics report gas"
    ),
    // distance, base km
    u!("m", ["metre", "meter"], Distance, dec!(0.001), "SI"),
    u!("km", ["kilometre", "kilometer"], Distance, dec!(1), "SI"),
    u!(
        "mi",
        ["mile", "miles"],
        Distance,
        dec!(1.609344),
        "international mile, exact"
    ),
    u!(
        "nmi",
        ["nautical_mile", "NM"],
        Distance,
        dec!(1.852),
        "international nautical mile, exact"
    ),
    // freight, base t·km
    u!(
        "tkm",
        ["t·km", "t*km", "t.km", "tonne_km"],
        Freight,
        dec!(1),
        "1 tonne moved 1 km"
    ),
    u!(
        "kgkm",
        ["kg·km", "kg*km"],
        Freight,
        dec!(0.001),
        "1 kg moved 1 km"
    ),
    u!(
        "t·mi",
        ["tmi", "tonne_mile"],
        Freight,
        dec!(1.609344),
        "1 tonne moved 1 mile"
    ),
    u!(
        "ton_mile",
        ["short_ton_mile"],
        Freight,
        dec!(1.45997231821056),
        "1 short ton moved 1 mile"
    ),
    // container freight, base TEU·km
    u!(
        "TEU·km",
        ["TEUkm", "TEU*km", "teu_km"],
        ContainerFreight,
        dec!(1),
        "one twenty-foot equivalent unit moved 1 km"
    ),
    // area, base m²
    u!("m2", ["m²"], Area, dec!(1), "SI"),
    u!("ha", ["hectare"], Area, dec!(10000), "10^4 m²"),
    u!("km2", ["km²"], Area, dec!(1000000), "10^6 m²"),
    u!("ft2", ["sq_ft"], Area, dec!(0.09290304), "(0.3048 m)²"),
    u!("acre", [], Area, dec!(4046.8564224), "international acre"),
];

/// A unit: a reference into [`UNITS`]. Serializes as its symbol.
#[derive(Clone, Copy)]
pub struct Unit(&'static UnitDef);

impl Unit {
    /// Looks up a unit by symbol or alias. `field` names the input field for the error.
    pub fn parse(symbol: &str, field: &str) -> Result<Unit, UnitError> {
        let s = symbol.trim();
        UNITS
            .iter()
            .find(|d| d.symbol == s || d.aliases.contains(&s))
            .map(Unit)
            .ok_or_else(|| UnitError::UnknownUnit {
                field: field.to_string(),
                value: symbol.to_string(),
                suggestions: nearest(s, UNITS.iter().map(|d| d.symbol), 3),
            })
    }

    /// The canonical symbol.
    pub fn symbol(self) -> &'static str {
        self.0.symbol
    }

    /// The dimension.
    pub fn dimension(self) -> Dimension {
        self.0.dimension
    }

    /// Base units per one of this unit.
    pub fn to_base(self) -> Decimal {
        self.0.to_base
    }

    /// The definition of its factor.
    pub fn definition(self) -> &'static str {
        self.0.definition
    }

    /// Symbols of every unit of a dimension.
    pub fn symbols_of(dimension: Dimension) -> Vec<&'static str> {
        UNITS
            .iter()
            .filter(|d| d.dimension == dimension)
            .map(|d| d.symbol)
            .collect()
    }

    /// The factor that converts a value in `self` into `to`, checking the dimensions.
    pub fn factor_to(self, to: Unit, field: &str) -> Result<Decimal, UnitError> {
        if self.dimension() != to.dimension() {
            return Err(UnitError::UnitMismatch {
                field: field.to_string(),
                from: self.symbol().to_string(),
                from_dimension: self.dimension().name().to_string(),
                to: to.symbol().to_string(),
                to_dimension: to.dimension().name().to_string(),
                valid: Unit::symbols_of(to.dimension()).join(", "),
            });
        }
        Ok(self.to_base() / to.to_base())
    }
}

impl PartialEq for Unit {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}
impl Eq for Unit {}

impl fmt::Debug for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Unit({})", self.0.symbol)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.symbol)
    }
}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.symbol)
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Unit::parse(&s, "unit").map_err(crate::error::into_serde)
    }
}

/// A decimal amount with a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    /// The amount.
    #[serde(with = "crate::num")]
    pub value: Decimal,
    /// Its unit.
    pub unit: Unit,
}

impl Quantity {
    /// A quantity from an amount and a unit symbol.
    pub fn new(value: Decimal, unit: &str) -> Result<Quantity, UnitError> {
        Ok(Quantity {
            value,
            unit: Unit::parse(unit, "unit")?,
        })
    }

    /// The same quantity in another unit of the same dimension.
    pub fn to(&self, unit: Unit, field: &str) -> Result<Quantity, UnitError> {
        self.unit.factor_to(unit, field)?;
        Ok(Quantity {
            value: convert_exact(self.value, self.unit, unit),
            unit,
        })
    }

    /// The amount expressed in `unit`.
    pub fn value_in(&self, unit: Unit, field: &str) -> Result<Decimal, UnitError> {
        Ok(self.to(unit, field)?.value)
    }
}

/// Converts `value` from one unit to another, by symbol.
pub fn convert(value: Decimal, from: &str, to: &str) -> Result<Decimal, UnitError> {
    let f = Unit::parse(from, "from")?;
    let t = Unit::parse(to, "to")?;
    f.factor_to(t, "to")?;
    Ok(convert_exact(value, f, t))
}

/// value × from.to_base ÷ to.to_base: the product is exact, so only the one division rounds.
fn convert_exact(value: Decimal, from: Unit, to: Unit) -> Decimal {
    if from == to {
        return value;
    }
    let base = value * from.to_base();
    (base / to.to_base()).normalize()
}

/// An amount of money in a currency, in the prices of a given year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// The amount.
    pub amount: Decimal,
    /// ISO 4217 currency code, e.g. `CNY`.
    pub currency: String,
    /// The year whose prices the amount is in.
    pub price_year: i32,
}

impl Money {
    /// Checks the currency code (three upper-case ASCII letters).
    pub fn validate(&self, field: &str) -> Result<(), UnitError> {
        validate_currency(&self.currency, field)
    }
}

/// Checks that a currency code is three upper-case ASCII letters (ISO 4217 form).
pub fn validate_currency(code: &str, field: &str) -> Result<(), UnitError> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(UnitError::InvalidCurrency {
            field: field.to_string(),
            value: code.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn definitions_hold() {
        // NIST SP 811 / BIPM definitions.
        assert_eq!(
            convert(dec!(1), "short_ton", "kg").unwrap(),
            dec!(907.18474)
        );
        assert_eq!(convert(dec!(1), "MWh", "GJ").unwrap(), dec!(3.6));
        assert_eq!(convert(dec!(1), "tce", "kcal").unwrap(), dec!(7000000));
        assert_eq!(convert(dec!(1), "toe", "GJ").unwrap(), dec!(41.868));
        assert_eq!(
            convert(dec!(1), "MMBtu", "GJ").unwrap(),
            dec!(1.05505585262)
        );
        assert_eq!(convert(dec!(1), "US_gal", "L").unwrap(), dec!(3.785411784));
        assert_eq!(
            convert(dec!(1), "ton_mile", "tkm").unwrap(),
            dec!(1.45997231821056)
        );
        assert_eq!(convert(dec!(1), "acre", "ha").unwrap(), dec!(0.40468564224));
    }

    #[test]
    fn every_symbol_and_alias_is_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for d in UNITS {
            for s in std::iter::once(&d.symbol).chain(d.aliases.iter()) {
                assert!(seen.insert(*s), "duplicate unit name {s}");
            }
        }
    }

    #[test]
    fn mismatch_names_both_units() {
        let e = convert(dec!(1), "kg", "kWh").unwrap_err();
        assert_eq!(e.code(), "UNIT_MISMATCH");
        let m = e.to_string();
        assert!(
            m.contains("'kg' (mass)") && m.contains("'kWh' (energy)"),
            "{m}"
        );
    }

    #[test]
    fn normal_volume_is_not_volume() {
        assert_eq!(
            convert(dec!(1), "Nm3", "m3").unwrap_err().code(),
            "UNIT_MISMATCH"
        );
    }

    #[test]
    fn unknown_unit_suggests() {
        let e = convert(dec!(1), "kwhr", "MJ").unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_UNIT");
        assert!(e.to_string().contains("kWh"), "{e}");
    }

    fn same_dimension_pair() -> impl Strategy<Value = (usize, usize)> {
        (0..UNITS.len()).prop_flat_map(|i| {
            let dim = UNITS[i].dimension;
            let same: Vec<usize> = (0..UNITS.len())
                .filter(|j| UNITS[*j].dimension == dim)
                .collect();
            (Just(i), proptest::sample::select(same))
        })
    }

    proptest! {
        /// a → b → a returns the value to 18 significant digits, plus the 10^-28 last place of
        /// the intermediate value carried back by the return factor (rust_decimal keeps at
        /// most 28 decimal places: 29920.87 J is 8.3113527777777777778e-12 TWh).
        #[test]
        fn round_trip((i, j) in same_dimension_pair(), mantissa in -1_000_000_000i64..1_000_000_000, scale in 0u32..6) {
            let v = Decimal::new(mantissa, scale);
            let a = UNITS[i].symbol;
            let b = UNITS[j].symbol;
            let there = convert(v, a, b).unwrap();
            let back = convert(there, b, a).unwrap();
            let back_factor = convert(dec!(1), b, a).unwrap();
            let tol = v.abs() * dec!(0.000000000000000001) + back_factor * Decimal::new(1, 28) + dec!(0.0000000000000000000001);
            prop_assert!((back - v).abs() <= tol, "{v} {a}->{b}->{a} = {back}");
        }

        /// Conversion is linear: convert(x + y) = convert(x) + convert(y), to the rounding of
        /// one division at 28 significant digits.
        #[test]
        fn linear((i, j) in same_dimension_pair(), x in -1_000_000i64..1_000_000, y in -1_000_000i64..1_000_000) {
            let a = UNITS[i].symbol;
            let b = UNITS[j].symbol;
            let sum = convert(Decimal::from(x + y), a, b).unwrap();
            let parts = convert(Decimal::from(x), a, b).unwrap() + convert(Decimal::from(y), a, b).unwrap();
            let tol = sum.abs() * dec!(0.000000000000000001) + dec!(0.0000000000000000000001);
            prop_assert!((sum - parts).abs() <= tol, "{sum} vs {parts}");
        }
    }
}
