//! Greenhouse gases, global warming potentials and refrigerant blends.
//!
//! Emissions stay per gas ([`GasVector`], kg of each gas) until they are reported; only then
//! are they collapsed to CO2e with one [`GwpSet`]. GWP values are the verified rows of the
//! bundled `gwp.csv` (IPCC AR4, AR5, AR6 GWP100 and AR6 GWP20, as tabulated by the GHG
//! Protocol and openclimatedata/globalwarmingpotentials; the source of each row is kept in
//! [`GwpRecord::source`]). A blank or unverified cell is not a value: asking for it is the
//! error `GWP_NOT_AVAILABLE`. Under AR4, which has no fossil/non-fossil split for methane,
//! both methane kinds take the single AR4 value of 25, as the GHG Protocol table directs.
//!
//! Biogenic CO2 has a GWP of 1 but is reported apart from the scopes (GHG Protocol Corporate
//! Standard, ch. 9); [`GasVector::co2e`] therefore leaves it out and
//! [`GasVector::biogenic_co2`] returns it.
//!
//! ```
//! use tanso::ghg::{gwp, blend_gwp, Gas, GwpSet};
//! use rust_decimal_macros::dec;
//! assert_eq!(gwp(Gas::Sf6, GwpSet::Ar6).unwrap(), dec!(25200));
//! // R-410A is 50 % HFC-32 and 50 % HFC-125: 0.5 × 675 + 0.5 × 3500 = 2087.5 under AR4.
//! assert_eq!(blend_gwp("R-410A", GwpSet::Ar4).unwrap(), dec!(2087.5));
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{nearest, GhgError};

/// A greenhouse gas as inventories report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gas {
    /// Fossil CO2.
    Co2,
    /// Biogenic CO2 (reported apart from the scopes).
    Co2Biogenic,
    /// Methane without origin (AR6 Table 7.SM.7 single value).
    Ch4,
    /// Fossil methane (includes the CO2 it oxidises to, AR6 Table 7.15).
    Ch4Fossil,
    /// Non-fossil (biogenic) methane.
    Ch4NonFossil,
    /// Nitrous oxide.
    N2o,
    /// Sulphur hexafluoride.
    Sf6,
    /// Nitrogen trifluoride.
    Nf3,
    /// PFC-14, tetrafluoromethane.
    Cf4,
    /// PFC-116, hexafluoroethane.
    C2f6,
    /// HFC-134a.
    Hfc134a,
    /// HFC-32.
    Hfc32,
    /// HFC-125.
    Hfc125,
    /// HFC-23.
    Hfc23,
    /// HFC-143a.
    Hfc143a,
    /// HFC-152a.
    Hfc152a,
}

/// Every gas, in report order.
pub const GASES: [Gas; 16] = [
    Gas::Co2,
    Gas::Co2Biogenic,
    Gas::Ch4,
    Gas::Ch4Fossil,
    Gas::Ch4NonFossil,
    Gas::N2o,
    Gas::Sf6,
    Gas::Nf3,
    Gas::Cf4,
    Gas::C2f6,
    Gas::Hfc134a,
    Gas::Hfc32,
    Gas::Hfc125,
    Gas::Hfc23,
    Gas::Hfc143a,
    Gas::Hfc152a,
];

impl Gas {
    /// The identifier used in JSON and every binding, e.g. `CH4_fossil`, `HFC-134a`.
    pub fn id(self) -> &'static str {
        match self {
            Gas::Co2 => "CO2",
            Gas::Co2Biogenic => "CO2_biogenic",
            Gas::Ch4 => "CH4",
            Gas::Ch4Fossil => "CH4_fossil",
            Gas::Ch4NonFossil => "CH4_non_fossil",
            Gas::N2o => "N2O",
            Gas::Sf6 => "SF6",
            Gas::Nf3 => "NF3",
            Gas::Cf4 => "CF4",
            Gas::C2f6 => "C2F6",
            Gas::Hfc134a => "HFC-134a",
            Gas::Hfc32 => "HFC-32",
            Gas::Hfc125 => "HFC-125",
            Gas::Hfc23 => "HFC-23",
            Gas::Hfc143a => "HFC-143a",
            Gas::Hfc152a => "HFC-152a",
        }
    }

    /// The gas for an identifier; `field` names the input field for the error.
    pub fn parse(s: &str, field: &str) -> Result<Gas, GhgError> {
        let t = s.trim();
        let alias = match t {
            "PFC-14" => Some(Gas::Cf4),
            "PFC-116" => Some(Gas::C2f6),
            "CO2_fossil" => Some(Gas::Co2),
            _ => None,
        };
        alias
            .or_else(|| GASES.iter().copied().find(|g| g.id() == t))
            .ok_or_else(|| GhgError::UnknownGas {
                field: field.to_string(),
                value: s.to_string(),
                suggestions: nearest(
                    t,
                    GASES
                        .iter()
                        .map(|g| g.id())
                        .chain(BLEND_NAMES.iter().copied()),
                    3,
                ),
            })
    }

    /// The row name of this gas in the bundled `gwp.csv`.
    fn csv_name(self) -> Option<&'static str> {
        Some(match self {
            Gas::Co2 | Gas::Co2Biogenic => "CO2",
            Gas::Ch4 => "CH4 (generic, AR6 7.SM.7)",
            Gas::Ch4Fossil => "CH4 fossil",
            Gas::Ch4NonFossil => "CH4 non-fossil",
            Gas::N2o => "N2O",
            Gas::Sf6 => "SF6",
            Gas::Nf3 => "NF3",
            Gas::Cf4 => "PFC-14 (CF4)",
            Gas::C2f6 => "PFC-116 (C2F6)",
            Gas::Hfc134a => "HFC-134a",
            Gas::Hfc32 => "HFC-32",
            Gas::Hfc125 => "HFC-125",
            Gas::Hfc23 => "HFC-23",
            Gas::Hfc143a => "HFC-143a",
            Gas::Hfc152a => "HFC-152a",
        })
    }
}

impl fmt::Display for Gas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Gas {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Gas {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Gas::parse(&s, "gas").map_err(crate::error::into_serde)
    }
}

/// A set of 100-year (or 20-year) global warming potentials from one IPCC assessment report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum GwpSet {
    /// IPCC Fourth Assessment Report (2007), GWP100.
    Ar4,
    /// IPCC Fifth Assessment Report (2013), GWP100 without climate-carbon feedback.
    Ar5,
    /// IPCC Sixth Assessment Report (2021), GWP100. The default.
    #[default]
    Ar6,
    /// IPCC Sixth Assessment Report (2021), GWP20.
    Ar6Gwp20,
}

impl GwpSet {
    /// The identifier used in JSON: `AR4`, `AR5`, `AR6`, `AR6_GWP20`.
    pub fn id(self) -> &'static str {
        match self {
            GwpSet::Ar4 => "AR4",
            GwpSet::Ar5 => "AR5",
            GwpSet::Ar6 => "AR6",
            GwpSet::Ar6Gwp20 => "AR6_GWP20",
        }
    }

    /// Every set.
    pub const ALL: [GwpSet; 4] = [GwpSet::Ar4, GwpSet::Ar5, GwpSet::Ar6, GwpSet::Ar6Gwp20];

    /// The set for an identifier.
    pub fn parse(s: &str, field: &str) -> Result<GwpSet, GhgError> {
        GwpSet::ALL
            .into_iter()
            .find(|g| g.id().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| GhgError::UnknownGwpSet {
                field: field.to_string(),
                value: s.to_string(),
            })
    }

    fn column(self) -> &'static str {
        match self {
            GwpSet::Ar4 => "ar4_gwp100",
            GwpSet::Ar5 => "ar5_gwp100",
            GwpSet::Ar6 => "ar6_gwp100",
            GwpSet::Ar6Gwp20 => "ar6_gwp20",
        }
    }
}

impl fmt::Display for GwpSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for GwpSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for GwpSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        GwpSet::parse(&s, "gwp_set").map_err(crate::error::into_serde)
    }
}

/// One row of the bundled GWP table.
#[derive(Debug, Clone, Serialize)]
pub struct GwpRecord {
    /// The row's gas name in `gwp.csv`.
    pub name: String,
    /// GWP per set; a set is absent where the value is blank or unverified.
    pub values: BTreeMap<GwpSet, Decimal>,
    /// The row's status as published in the table.
    pub status: String,
    /// The row's source.
    pub source: String,
}

const GWP_CSV: &str = include_str!("../data/gwp.csv");

fn gwp_table() -> &'static BTreeMap<String, GwpRecord> {
    static TABLE: OnceLock<BTreeMap<String, GwpRecord>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out = BTreeMap::new();
        let mut rdr = csv::Reader::from_reader(GWP_CSV.as_bytes());
        let headers = match rdr.headers() {
            Ok(h) => h.clone(),
            Err(_) => return out,
        };
        let col = |name: &str| headers.iter().position(|h| h == name);
        for row in rdr.records().flatten() {
            let get = |name: &str| {
                col(name)
                    .and_then(|i| row.get(i))
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let mut values = BTreeMap::new();
            for set in GwpSet::ALL {
                if let Ok(v) = Decimal::from_str(&get(set.column())) {
                    values.insert(set, v);
                }
            }
            let name = get("gas");
            out.insert(
                name.clone(),
                GwpRecord {
                    name,
                    values,
                    status: get("status"),
                    source: get("source"),
                },
            );
        }
        out
    })
}

/// The GWP record (values and source) of a gas.
pub fn gwp_record(gas: Gas) -> Option<&'static GwpRecord> {
    gas.csv_name().and_then(|n| gwp_table().get(n))
}

/// The GWP of a gas under a set.
pub fn gwp(gas: Gas, set: GwpSet) -> Result<Decimal, GhgError> {
    let rec = gwp_record(gas);
    if let Some(v) = rec.and_then(|r| r.values.get(&set)) {
        return Ok(*v);
    }
    // AR4 has no fossil/non-fossil split; the GHG Protocol table directs the single value.
    if set == GwpSet::Ar4 && matches!(gas, Gas::Ch4Fossil | Gas::Ch4NonFossil) {
        return gwp(Gas::Ch4, set);
    }
    Err(GhgError::GwpNotAvailable {
        gas: gas.id().to_string(),
        set: set.id().to_string(),
        available: rec
            .map(|r| {
                r.values
                    .keys()
                    .map(|s| s.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
    })
}

/// A refrigerant blend: mass fractions of its components.
#[derive(Debug, Clone, Serialize)]
pub struct Blend {
    /// ASHRAE designation, e.g. `R-410A`.
    pub name: &'static str,
    /// (gas, mass fraction); the fractions sum to 1.
    pub components: &'static [(Gas, Decimal)],
    /// Where the composition comes from.
    pub source: &'static str,
}

const ASHRAE34: &str = "ANSI/ASHRAE Standard 34, refrigerant designations and nominal compositions by mass; the resulting AR4 blend GWPs (R-410A 2088, R-404A 3922, R-407C 1774, R-507A 3985) match the GHG Protocol 'Global Warming Potential Values' table";

/// The refrigerant blends tanso knows.
pub static BLENDS: &[Blend] = &[
    Blend {
        name: "R-410A",
        components: &[(Gas::Hfc32, dec!(0.5)), (Gas::Hfc125, dec!(0.5))],
        source: ASHRAE34,
    },
    Blend {
        name: "R-404A",
        components: &[
            (Gas::Hfc125, dec!(0.44)),
            (Gas::Hfc143a, dec!(0.52)),
            (Gas::Hfc134a, dec!(0.04)),
        ],
        source: ASHRAE34,
    },
    Blend {
        name: "R-407C",
        components: &[
            (Gas::Hfc32, dec!(0.23)),
            (Gas::Hfc125, dec!(0.25)),
            (Gas::Hfc134a, dec!(0.52)),
        ],
        source: ASHRAE34,
    },
    Blend {
        name: "R-507A",
        components: &[(Gas::Hfc125, dec!(0.5)), (Gas::Hfc143a, dec!(0.5))],
        source: ASHRAE34,
    },
];

const BLEND_NAMES: [&str; 4] = ["R-410A", "R-404A", "R-407C", "R-507A"];

/// Single-component refrigerant names mapped to their gas (R-134a is HFC-134a).
fn refrigerant_alias(name: &str) -> Option<Gas> {
    Some(match name {
        "R-134a" | "R134a" => Gas::Hfc134a,
        "R-32" | "R32" => Gas::Hfc32,
        "R-125" | "R125" => Gas::Hfc125,
        "R-23" | "R23" => Gas::Hfc23,
        "R-143a" | "R143a" => Gas::Hfc143a,
        "R-152a" | "R152a" => Gas::Hfc152a,
        _ => return None,
    })
}

/// The composition of a refrigerant or gas name: a blend's components, or the gas itself
/// with fraction 1. Accepts `R-410A`, `R410A`, `HFC-134a`, `R-134a`, `SF6`, ….
pub fn composition(name: &str, field: &str) -> Result<Vec<(Gas, Decimal)>, GhgError> {
    let n = name.trim();
    let compact: String = n.chars().filter(|c| *c != '-').collect();
    if let Some(b) = BLENDS
        .iter()
        .find(|b| b.name == n || b.name.replace('-', "") == compact)
    {
        return Ok(b.components.to_vec());
    }
    if let Some(g) = refrigerant_alias(n) {
        return Ok(vec![(g, Decimal::ONE)]);
    }
    Gas::parse(n, field).map(|g| vec![(g, Decimal::ONE)])
}

/// The GWP of a blend: the mass-weighted sum of its components' GWPs.
pub fn blend_gwp(name: &str, set: GwpSet) -> Result<Decimal, GhgError> {
    let mut total = Decimal::ZERO;
    for (g, f) in composition(name, "blend")? {
        total += gwp(g, set)? * f;
    }
    Ok(total)
}

/// Masses of individual gases, in kg. Kept per gas until reporting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GasVector(#[serde(with = "crate::num::map")] pub BTreeMap<Gas, Decimal>);

impl GasVector {
    /// An empty vector.
    pub fn new() -> Self {
        GasVector(BTreeMap::new())
    }

    /// Adds `kg` of `gas`.
    pub fn add(&mut self, gas: Gas, kg: Decimal) {
        *self.0.entry(gas).or_insert(Decimal::ZERO) += kg;
    }

    /// Adds another vector, gas by gas.
    pub fn add_all(&mut self, other: &GasVector) {
        for (g, v) in &other.0 {
            self.add(*g, *v);
        }
    }

    /// Every amount multiplied by `k`.
    pub fn scaled(&self, k: Decimal) -> GasVector {
        GasVector(self.0.iter().map(|(g, v)| (*g, *v * k)).collect())
    }

    /// kg of one gas (zero if absent).
    pub fn get(&self, gas: Gas) -> Decimal {
        self.0.get(&gas).copied().unwrap_or(Decimal::ZERO)
    }

    /// kg CO2e under `set`, excluding biogenic CO2.
    pub fn co2e(&self, set: GwpSet) -> Result<Decimal, GhgError> {
        let mut total = Decimal::ZERO;
        for (g, v) in &self.0 {
            if *g != Gas::Co2Biogenic {
                total += *v * gwp(*g, set)?;
            }
        }
        Ok(total)
    }

    /// kg of biogenic CO2, reported apart.
    pub fn biogenic_co2(&self) -> Decimal {
        self.get(Gas::Co2Biogenic)
    }

    /// Each amount normalized (trailing zeros removed), for stable output.
    pub fn normalized(&self) -> GasVector {
        GasVector(self.0.iter().map(|(g, v)| (*g, v.normalize())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_blend_gwps() {
        // GHG Protocol "Global Warming Potential Values" (AR4 column): R-410A 2088,
        // R-404A 3922, R-407C 1774, R-507A 3985 (rounded). AR5: R-410A 1924.
        assert_eq!(
            blend_gwp("R-410A", GwpSet::Ar4).unwrap().round(),
            dec!(2088)
        );
        assert_eq!(
            blend_gwp("R-404A", GwpSet::Ar4).unwrap().round(),
            dec!(3922)
        );
        assert_eq!(
            blend_gwp("R-407C", GwpSet::Ar4).unwrap().round(),
            dec!(1774)
        );
        assert_eq!(
            blend_gwp("R-507A", GwpSet::Ar4).unwrap().round(),
            dec!(3985)
        );
        assert_eq!(
            blend_gwp("R-410A", GwpSet::Ar5).unwrap().round(),
            dec!(1924)
        );
    }

    #[test]
    fn blends_sum_to_one() {
        for b in BLENDS {
            let s: Decimal = b.components.iter().map(|(_, f)| *f).sum();
            assert_eq!(s, Decimal::ONE, "{}", b.name);
        }
    }

    #[test]
    fn ar6_values_from_table() {
        // IPCC AR6 WGI Table 7.15 / 7.SM.7
        assert_eq!(gwp(Gas::Ch4Fossil, GwpSet::Ar6).unwrap(), dec!(29.8));
        assert_eq!(gwp(Gas::Ch4NonFossil, GwpSet::Ar6).unwrap(), dec!(27.0));
        assert_eq!(gwp(Gas::N2o, GwpSet::Ar6).unwrap(), dec!(273));
        assert_eq!(gwp(Gas::Ch4Fossil, GwpSet::Ar4).unwrap(), dec!(25));
    }

    #[test]
    fn unverified_cells_are_errors() {
        let e = gwp(Gas::Ch4Fossil, GwpSet::Ar6Gwp20).unwrap_err();
        assert_eq!(e.code(), "GWP_NOT_AVAILABLE");
    }

    #[test]
    fn every_gas_has_a_gwp100_row() {
        for g in GASES {
            for set in [GwpSet::Ar5, GwpSet::Ar6] {
                assert!(gwp(g, set).is_ok(), "{g} {set}");
            }
        }
    }

    #[test]
    fn biogenic_apart() {
        let mut v = GasVector::new();
        v.add(Gas::Co2, dec!(10));
        v.add(Gas::Co2Biogenic, dec!(5));
        v.add(Gas::N2o, dec!(1));
        assert_eq!(v.co2e(GwpSet::Ar6).unwrap(), dec!(283));
        assert_eq!(v.biogenic_co2(), dec!(5));
    }
}
