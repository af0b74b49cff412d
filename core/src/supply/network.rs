//! The supplier network: products, their components, the suppliers of each component with
//! location, share, capacity, lead time, transport legs, emission data and value; checked
//! once, then read by every analysis.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{SupplyError, TansoError};

/// A supplier network and the user's settings for analysing it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// The products made from the components.
    pub products: Vec<Product>,
    /// The purchased components and their suppliers.
    pub components: Vec<Component>,
    /// kg CO2e per t·km by transport mode (`road`, `rail`, `sea`, `inland_water`, `air`, …);
    /// a leg may give its own. tanso bundles none here: GLEC defaults may not be redistributed.
    #[serde(default, with = "crate::num::map")]
    pub transport_intensities: BTreeMap<String, Decimal>,
}

/// A product: what one unit needs, what it is worth, where it ships.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Product id.
    pub id: String,
    /// Units made per year (default 1: results are then per unit).
    #[serde(default = "one", with = "crate::num")]
    pub annual_units: Decimal,
    /// Sales value of one unit (any one currency for the whole network); default: the value
    /// of its purchased components.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub value_per_unit: Option<Decimal>,
    /// The components one unit needs.
    #[serde(default)]
    pub components: Vec<ComponentUse>,
    /// kg CO2e per unit of the product's own production (energy, processes) not bought
    /// through the listed components. Ignored when `bom` is given.
    #[serde(default, with = "crate::num")]
    pub own_kg_co2e_per_unit: Decimal,
    /// The rest of the product as a bill of materials (a `product_footprint` document): its
    /// total replaces `own_kg_co2e_per_unit`. List in it only what the network's components
    /// do not cover, or it is counted twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bom: Option<crate::product::ProductInput>,
    /// Shipped to the EU: CBAM is computed for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cbam: Option<CbamShipment>,
}

fn one() -> Decimal {
    Decimal::ONE
}

/// What one unit of a product needs of a component.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentUse {
    /// The component id.
    pub component: String,
    /// Units of the component per unit of product.
    #[serde(with = "crate::num")]
    pub quantity: Decimal,
}

/// A product's exports to the EU, for the CBAM cost.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CbamShipment {
    /// CN code of the product as imported into the EU.
    pub cn_code: String,
    /// Country of origin (ISO 3166-1 alpha-2) where the product is made.
    pub country: String,
    /// Net mass of one unit, t.
    #[serde(with = "crate::num")]
    pub mass_t_per_unit: Decimal,
    /// Units shipped to the EU per year (default: all `annual_units`).
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub eu_units: Option<Decimal>,
    /// `default` (the EU default values of the country of origin; a sourcing change does
    /// not move them) or `actual` (the product's emissions without transport, per t, given
    /// as the specific embedded emissions: what an installation with its own data reports).
    #[serde(default = "default_basis")]
    pub basis: String,
    /// Year of import (default 2026).
    #[serde(default = "default_year")]
    pub year: i32,
    /// Certificate price, EUR per t CO2e (default the bundled 2026 Q1 price).
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub certificate_price_eur: Option<Decimal>,
    /// Quarter of import (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quarter: Option<u8>,
    /// The line's benchmark as `cbam_obligation` takes it (`{value, column?, source?}`), for
    /// goods without a bundled benchmark (tanso bundles few: e.g. none for CN 7318).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benchmark: Option<serde_json::Value>,
}

fn default_basis() -> String {
    "default".into()
}
fn default_year() -> i32 {
    2026
}

/// A purchased component.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Component id.
    pub id: String,
    /// Mass of one unit, kg (for transport).
    #[serde(default, with = "crate::num")]
    pub mass_kg_per_unit: Decimal,
    /// Its suppliers; shares sum to 1.
    pub suppliers: Vec<Supplier>,
}

/// A supplier of one component.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supplier {
    /// Supplier id (unique within its component; the same id under two components is the
    /// same company).
    pub id: String,
    /// Country (ISO 3166-1 alpha-2).
    pub country: String,
    /// Province or state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// Industrial cluster (e.g. `Ningbo auto parts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Share of the component's supply, 0..=1.
    #[serde(with = "crate::num")]
    pub share: Decimal,
    /// Units per year it can deliver; absent = not limited (stated in the notes).
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Decimal>,
    /// Lead time, days.
    #[serde(default, with = "crate::num")]
    pub lead_time_days: Decimal,
    /// Price of one unit.
    #[serde(default, with = "crate::num")]
    pub value_per_unit: Decimal,
    /// Cradle-to-gate kg CO2e of one unit (materials and energy) at the supplier's gate.
    #[serde(with = "crate::num")]
    pub kg_co2e_per_unit: Decimal,
    /// `primary` (the supplier's own data) or `default` (secondary data).
    #[serde(default = "default_data")]
    pub emission_data: String,
    /// Transport legs to the product's plant.
    #[serde(default)]
    pub transport: Vec<Leg>,
}

fn default_data() -> String {
    "default".into()
}

/// A transport leg.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leg {
    /// Mode (a key of `transport_intensities`).
    pub mode: String,
    /// Distance, km.
    #[serde(with = "crate::num")]
    pub distance_km: Decimal,
    /// A named corridor (port, strait, border crossing, rail line) the leg depends on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corridor: Option<String>,
    /// kg CO2e per t·km for this leg, replacing the mode's.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub kg_co2e_per_tkm: Option<Decimal>,
}

impl Supplier {
    /// The region key: `country` or `country/province`.
    pub fn region(&self) -> String {
        match &self.province {
            Some(p) => format!("{}/{}", self.country, p),
            None => self.country.clone(),
        }
    }
    /// The cluster key (the region when no cluster is given).
    pub fn cluster_key(&self) -> String {
        match &self.cluster {
            Some(c) => format!("{}/{}", self.region(), c),
            None => self.region(),
        }
    }
    /// Corridors its legs pass.
    pub fn corridors(&self) -> BTreeSet<String> {
        self.transport.iter().filter_map(|l| l.corridor.clone()).collect()
    }
}

pub(crate) fn bad(field: impl Into<String>, value: impl Into<String>, expected: impl Into<String>) -> TansoError {
    SupplyError::InvalidNetwork { field: field.into(), value: value.into(), expected: expected.into() }.into()
}

impl Network {
    /// Checks ids, references, shares and signs; every error names the field.
    pub fn validate(&self) -> Result<(), TansoError> {
        let mut ids = BTreeSet::new();
        for (i, c) in self.components.iter().enumerate() {
            let f = format!("components[{i}]");
            if !ids.insert(c.id.as_str()) {
                return Err(bad(format!("{f}.id"), &c.id, "component ids are unique"));
            }
            if c.mass_kg_per_unit < Decimal::ZERO {
                return Err(bad(format!("{f}.mass_kg_per_unit"), c.mass_kg_per_unit.to_string(), "a mass >= 0"));
            }
            if c.suppliers.is_empty() {
                return Err(bad(format!("{f}.suppliers"), "[]", "at least one supplier"));
            }
            let mut sids = BTreeSet::new();
            let mut sum = Decimal::ZERO;
            for (j, s) in c.suppliers.iter().enumerate() {
                let g = format!("{f}.suppliers[{j}]");
                if !sids.insert(s.id.as_str()) {
                    return Err(bad(format!("{g}.id"), &s.id, "supplier ids are unique within a component"));
                }
                if s.share < Decimal::ZERO || s.share > Decimal::ONE {
                    return Err(bad(format!("{g}.share"), s.share.to_string(), "a share in 0..=1"));
                }
                for (name, v) in [("kg_co2e_per_unit", Some(s.kg_co2e_per_unit)), ("value_per_unit", Some(s.value_per_unit)), ("lead_time_days", Some(s.lead_time_days)), ("capacity", s.capacity)] {
                    if let Some(v) = v {
                        if v < Decimal::ZERO {
                            return Err(bad(format!("{g}.{name}"), v.to_string(), "a value >= 0"));
                        }
                    }
                }
                if s.emission_data != "primary" && s.emission_data != "default" {
                    return Err(bad(format!("{g}.emission_data"), &s.emission_data, "'primary' or 'default'"));
                }
                if s.country.len() != 2 || !s.country.chars().all(|ch| ch.is_ascii_uppercase()) {
                    return Err(bad(format!("{g}.country"), &s.country, "an ISO 3166-1 alpha-2 code such as CN or DE"));
                }
                for (k, l) in s.transport.iter().enumerate() {
                    if l.distance_km < Decimal::ZERO {
                        return Err(bad(format!("{g}.transport[{k}].distance_km"), l.distance_km.to_string(), "a distance >= 0"));
                    }
                    if l.kg_co2e_per_tkm.is_none() && !self.transport_intensities.contains_key(&l.mode) {
                        return Err(SupplyError::TransportIntensityMissing {
                            field: format!("{g}.transport[{k}].mode"),
                            mode: l.mode.clone(),
                            given: self.transport_intensities.keys().cloned().collect::<Vec<_>>().join(", "),
                        }
                        .into());
                    }
                }
                sum += s.share;
            }
            if sum != Decimal::ONE {
                return Err(bad(format!("{f}.suppliers[*].share"), sum.to_string(), "shares of a component's suppliers sum to exactly 1"));
            }
        }
        let mut pids = BTreeSet::new();
        for (i, p) in self.products.iter().enumerate() {
            let f = format!("products[{i}]");
            if !pids.insert(p.id.as_str()) {
                return Err(bad(format!("{f}.id"), &p.id, "product ids are unique"));
            }
            if p.annual_units <= Decimal::ZERO {
                return Err(bad(format!("{f}.annual_units"), p.annual_units.to_string(), "a number of units > 0"));
            }
            for (j, u) in p.components.iter().enumerate() {
                if !ids.contains(u.component.as_str()) {
                    return Err(SupplyError::UnknownReference {
                        field: format!("{f}.components[{j}].component"),
                        value: u.component.clone(),
                        valid: ids.iter().copied().collect::<Vec<_>>().join(", "),
                    }
                    .into());
                }
                if u.quantity <= Decimal::ZERO {
                    return Err(bad(format!("{f}.components[{j}].quantity"), u.quantity.to_string(), "a quantity > 0"));
                }
            }
            if let Some(c) = &p.cbam {
                if c.basis != "default" && c.basis != "actual" {
                    return Err(bad(format!("{f}.cbam.basis"), &c.basis, "'default' or 'actual'"));
                }
                if c.mass_t_per_unit <= Decimal::ZERO {
                    return Err(bad(format!("{f}.cbam.mass_t_per_unit"), c.mass_t_per_unit.to_string(), "a mass > 0"));
                }
            }
        }
        Ok(())
    }

    /// The component with this id.
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
    }

    /// Transport kg CO2e to deliver one unit of component `c` from supplier `s`:
    /// mass (t) × Σ distance × intensity.
    pub fn transport_per_unit(&self, c: &Component, s: &Supplier) -> Decimal {
        let t = c.mass_kg_per_unit / Decimal::ONE_THOUSAND;
        s.transport
            .iter()
            .map(|l| {
                let i = l.kg_co2e_per_tkm.or_else(|| self.transport_intensities.get(&l.mode).copied()).unwrap_or_default();
                t * l.distance_km * i
            })
            .sum()
    }

    /// Demand of each component per year: Σ over products of annual units × quantity.
    pub fn demand(&self) -> BTreeMap<String, Decimal> {
        let mut d: BTreeMap<String, Decimal> = self.components.iter().map(|c| (c.id.clone(), Decimal::ZERO)).collect();
        for p in &self.products {
            for u in &p.components {
                *d.entry(u.component.clone()).or_default() += p.annual_units * u.quantity;
            }
        }
        d
    }
}
