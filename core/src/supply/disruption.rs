//! Disruption scenarios: a supplier or a region is lost; which components and products stop,
//! what share of output, and what the fallback suppliers add in emissions and lead time.
//!
//! The lost volume goes to the remaining suppliers up to their spare capacity (capacity −
//! current volume; a supplier without a stated capacity is not limited, and the result says
//! so), cleanest first (lowest kg CO2e per delivered unit, transport included; ties in input
//! order). A product makes as much as its scarcest component allows.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::exposure::{div, r6};
use super::network::{Network, Supplier};
use crate::error::{SupplyError, TansoError};

/// What is lost.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disruption {
    /// Name of the scenario.
    #[serde(default)]
    pub id: String,
    /// A supplier id: lost for every component it supplies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// A region: a country (`CN`), `country/province` (`CN/Zhejiang`) or a cluster name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// A fallback supplier's extra deliveries.
#[derive(Debug, Clone, Serialize)]
pub struct Fallback {
    /// Supplier id.
    pub supplier: String,
    /// Extra units per year.
    #[serde(with = "crate::num")]
    pub added_units: Decimal,
}

/// A component under the disruption.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentImpact {
    /// Component id.
    pub component: String,
    /// Share of its supply lost (0..1).
    #[serde(with = "crate::num")]
    pub lost_share: Decimal,
    /// Share of its demand the fallbacks cover (0..1).
    #[serde(with = "crate::num")]
    pub covered_share: Decimal,
    /// Share of its demand still delivered (0..1).
    #[serde(with = "crate::num")]
    pub supplied_share: Decimal,
    /// Nothing delivered.
    pub stopped: bool,
    /// Fallback deliveries.
    pub fallbacks: Vec<Fallback>,
    /// kg CO2e per year the fallbacks add against the same units from the lost suppliers
    /// (negative when they are cleaner).
    #[serde(with = "crate::num")]
    pub added_kg_co2e_per_year: Decimal,
    /// Volume-weighted lead time before, days.
    #[serde(with = "crate::num")]
    pub lead_time_days_before: Decimal,
    /// Volume-weighted lead time of what is still delivered, days.
    #[serde(with = "crate::num")]
    pub lead_time_days_after: Decimal,
}

/// A product under the disruption.
#[derive(Debug, Clone, Serialize)]
pub struct ProductImpact {
    /// Product id.
    pub product: String,
    /// Share of its output still made (0..1).
    #[serde(with = "crate::num")]
    pub output_share: Decimal,
    /// Share of its output lost (0..1).
    #[serde(with = "crate::num")]
    pub output_lost_share: Decimal,
    /// Nothing made.
    pub stopped: bool,
    /// The component that limits it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limited_by: Option<String>,
}

/// The result of one disruption.
#[derive(Debug, Clone, Serialize)]
pub struct DisruptionResult {
    /// Scenario name.
    pub id: String,
    /// Suppliers lost, as `component:supplier`.
    pub lost: Vec<String>,
    /// Components that lose supply.
    pub components: Vec<ComponentImpact>,
    /// Every product.
    pub products: Vec<ProductImpact>,
    /// Output lost over all products, weighted by their value per year (0..1).
    #[serde(with = "crate::num")]
    pub output_value_lost_share: Decimal,
    /// kg CO2e per year the fallbacks add.
    #[serde(with = "crate::num")]
    pub added_kg_co2e_per_year: Decimal,
    /// Assumptions used.
    pub notes: Vec<String>,
}

fn matches(d: &Disruption, s: &Supplier) -> bool {
    d.supplier.as_deref() == Some(s.id.as_str())
        || d.region.as_deref().is_some_and(|r| r == s.country || r == s.region() || s.cluster.as_deref() == Some(r) || r == s.cluster_key())
}

/// Runs one disruption on a validated network.
pub fn disrupt(n: &Network, d: &Disruption, field: &str) -> Result<DisruptionResult, TansoError> {
    if d.supplier.is_none() == d.region.is_none() {
        return Err(super::network::bad(field, format!("{d:?}"), "exactly one of 'supplier' or 'region'"));
    }
    let hit = n.components.iter().any(|c| c.suppliers.iter().any(|s| matches(d, s)));
    if !hit {
        let mut valid: Vec<String> = Vec::new();
        for c in &n.components {
            for s in &c.suppliers {
                valid.push(if d.supplier.is_some() { s.id.clone() } else { s.region() });
            }
        }
        valid.sort();
        valid.dedup();
        return Err(SupplyError::UnknownReference {
            field: format!("{field}.{}", if d.supplier.is_some() { "supplier" } else { "region" }),
            value: d.supplier.clone().or_else(|| d.region.clone()).unwrap_or_default(),
            valid: valid.join(", "),
        }
        .into());
    }
    let demand = n.demand();
    let mut notes = Vec::new();
    let mut lost = Vec::new();
    let mut impacts = Vec::new();
    let mut supplied: std::collections::BTreeMap<String, Decimal> = std::collections::BTreeMap::new();
    let mut total_added = Decimal::ZERO;
    for c in &n.components {
        let dem = demand.get(&c.id).copied().unwrap_or_default();
        let lost_sup: Vec<&Supplier> = c.suppliers.iter().filter(|s| matches(d, s) && s.share > Decimal::ZERO).collect();
        if lost_sup.is_empty() {
            supplied.insert(c.id.clone(), Decimal::ONE);
            continue;
        }
        lost.extend(lost_sup.iter().map(|s| format!("{}:{}", c.id, s.id)));
        let lost_share: Decimal = lost_sup.iter().map(|s| s.share).sum();
        let lost_units = lost_share * dem;
        let lost_kg: Decimal = lost_sup.iter().map(|s| s.share * dem * (s.kg_co2e_per_unit + n.transport_per_unit(c, s))).sum();
        let mut rest: Vec<&Supplier> = c.suppliers.iter().filter(|s| !matches(d, s)).collect();
        rest.sort_by_key(|s| s.kg_co2e_per_unit + n.transport_per_unit(c, s));
        let mut need = lost_units;
        let mut fallbacks = Vec::new();
        let mut added_kg = Decimal::ZERO;
        let mut lead_after = Decimal::ZERO;
        for s in &rest {
            lead_after += s.share * dem * s.lead_time_days;
        }
        for s in rest {
            if need <= Decimal::ZERO {
                break;
            }
            let spare = match s.capacity {
                Some(cap) => (cap - s.share * dem).max(Decimal::ZERO),
                None => {
                    notes.push(format!("{}:{} has no stated capacity: taken as not limited", c.id, s.id));
                    need
                }
            };
            let take = spare.min(need);
            if take > Decimal::ZERO {
                need -= take;
                added_kg += take * (s.kg_co2e_per_unit + n.transport_per_unit(c, s));
                lead_after += take * s.lead_time_days;
                fallbacks.push(Fallback { supplier: s.id.clone(), added_units: take });
            }
        }
        let covered = lost_units - need;
        // Against the same units from the lost suppliers (their average per unit).
        let added = added_kg - div(lost_kg, lost_units) * covered;
        total_added += added;
        let delivered = dem - need;
        let share_after = div(delivered, dem);
        supplied.insert(c.id.clone(), share_after);
        let lead_before: Decimal = c.suppliers.iter().map(|s| s.share * s.lead_time_days).sum();
        impacts.push(ComponentImpact {
            component: c.id.clone(),
            lost_share: r6(lost_share),
            covered_share: r6(div(covered, dem)),
            supplied_share: r6(share_after),
            stopped: delivered.is_zero(),
            fallbacks,
            added_kg_co2e_per_year: added,
            lead_time_days_before: r6(lead_before),
            lead_time_days_after: r6(div(lead_after, delivered)),
        });
    }
    let mut products = Vec::new();
    let mut value_total = Decimal::ZERO;
    let mut value_lost = Decimal::ZERO;
    for p in &n.products {
        let mut out = Decimal::ONE;
        let mut by = None;
        for u in &p.components {
            let s = supplied.get(&u.component).copied().unwrap_or(Decimal::ONE);
            if s < out {
                out = s;
                by = Some(u.component.clone());
            }
        }
        let purchased: Decimal = p.components.iter().filter_map(|u| n.component(&u.component).map(|c| c.suppliers.iter().map(|s| u.quantity * s.share * s.value_per_unit).sum::<Decimal>())).sum();
        let v = p.value_per_unit.unwrap_or(purchased) * p.annual_units;
        value_total += v;
        value_lost += v * (Decimal::ONE - out);
        products.push(ProductImpact { product: p.id.clone(), output_share: r6(out), output_lost_share: r6(Decimal::ONE - out), stopped: out.is_zero(), limited_by: by });
    }
    notes.dedup();
    Ok(DisruptionResult {
        id: d.id.clone(),
        lost,
        components: impacts,
        products,
        output_value_lost_share: r6(div(value_lost, value_total)),
        added_kg_co2e_per_year: total_added,
        notes,
    })
}
