//! Single points of failure, exposure and concentration (HHI) of a supplier network.
//!
//! HHI is on the 0..=10,000 scale: Σ (share in percent)², 10,000 for one supplier.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::network::{Component, Network, Product};
use crate::error::TansoError;

/// How shares, HHI and ratios are rounded.
pub const ROUNDING: &str = "emissions (kg CO2e), values and costs exact, not rounded; shares (0..1) and lead times rounded to 6 decimals and HHI (0..10,000) to 2 decimals, half away from zero, at the report boundary; ranking ratios to 6 decimals; the Markdown report shows 2 decimals";

/// HHI scale stated in every result.
pub const HHI_SCALE: &str = "0..10000: sum of squared shares in percent (10000 = one supplier or region)";

pub(crate) fn r6(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero).normalize()
}
pub(crate) fn r2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero).normalize()
}
pub(crate) fn div(a: Decimal, b: Decimal) -> Decimal {
    if b.is_zero() { Decimal::ZERO } else { a / b }
}

/// HHI of shares that sum to 1 (0..=10,000).
pub fn hhi<I: IntoIterator<Item = Decimal>>(shares: I) -> Decimal {
    shares.into_iter().map(|s| (s * Decimal::ONE_HUNDRED) * (s * Decimal::ONE_HUNDRED)).sum()
}

/// One component's concentration and single points of failure.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentRisk {
    /// Component id.
    pub component: String,
    /// Number of suppliers with a share > 0.
    pub suppliers: usize,
    /// HHI by supplier (0..10,000).
    #[serde(with = "crate::num")]
    pub hhi_supplier: Decimal,
    /// HHI by region (0..10,000).
    #[serde(with = "crate::num")]
    pub hhi_region: Decimal,
    /// Share by region.
    #[serde(with = "crate::num::map")]
    pub region_shares: BTreeMap<String, Decimal>,
    /// Single points of failure: `single_supplier`, `single_region`, `single_cluster`, `single_corridor`.
    pub flags: Vec<String>,
    /// The region, cluster or corridor all supply depends on, per flag.
    pub depends_on: BTreeMap<String, String>,
    /// Products that stop if this component stops.
    pub products: Vec<String>,
}

/// A supplier's or region's weight in a product.
#[derive(Debug, Clone, Serialize)]
pub struct Exposure {
    /// Supplier id or region key.
    pub key: String,
    /// Share of the product's value bought from it (0..1).
    #[serde(with = "crate::num")]
    pub value_share: Decimal,
    /// Share of the product's emissions from it (0..1).
    #[serde(with = "crate::num")]
    pub emissions_share: Decimal,
    /// Share of the product's output lost if it is lost and nobody replaces it (0..1):
    /// the largest share it has of any one component.
    #[serde(with = "crate::num")]
    pub output_at_risk: Decimal,
}

/// A product's emissions and exposure.
#[derive(Debug, Clone, Serialize)]
pub struct ProductRisk {
    /// Product id.
    pub product: String,
    /// kg CO2e per unit: components + transport + own production.
    #[serde(with = "crate::num")]
    pub kg_co2e_per_unit: Decimal,
    /// Of which purchased components at the suppliers' gates.
    #[serde(with = "crate::num")]
    pub components_kg_co2e: Decimal,
    /// Of which inbound transport.
    #[serde(with = "crate::num")]
    pub transport_kg_co2e: Decimal,
    /// Of which own production (or the BOM's footprint).
    #[serde(with = "crate::num")]
    pub own_kg_co2e: Decimal,
    /// Where own production comes from: `own_kg_co2e_per_unit` or `product_footprint`.
    pub own_source: String,
    /// kg CO2e per year (× annual units).
    #[serde(with = "crate::num")]
    pub kg_co2e_per_year: Decimal,
    /// Share of component emissions from primary supplier data (0..1).
    #[serde(with = "crate::num")]
    pub primary_data_share: Decimal,
    /// Value of one unit (given, or the purchased value).
    #[serde(with = "crate::num")]
    pub value_per_unit: Decimal,
    /// Value of its purchased components per unit.
    #[serde(with = "crate::num")]
    pub purchased_value_per_unit: Decimal,
    /// Volume-weighted lead time of its components' supply, days (the slowest component).
    #[serde(with = "crate::num")]
    pub lead_time_days: Decimal,
    /// HHI of its purchased value by supplier (0..10,000).
    #[serde(with = "crate::num")]
    pub hhi_supplier: Decimal,
    /// HHI of its purchased value by region (0..10,000).
    #[serde(with = "crate::num")]
    pub hhi_region: Decimal,
    /// The largest output share one region's loss would stop (no fallback), 0..1.
    #[serde(with = "crate::num")]
    pub worst_region_output_at_risk: Decimal,
    /// That region.
    pub worst_region: String,
    /// By supplier.
    pub by_supplier: Vec<Exposure>,
    /// By region (`country/province`).
    pub by_region: Vec<Exposure>,
}

/// A network's risks.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkRisk {
    /// Per component.
    pub components: Vec<ComponentRisk>,
    /// Per product.
    pub products: Vec<ProductRisk>,
    /// Number of components with at least one flag.
    pub single_points_of_failure: usize,
    /// kg CO2e per year of all products.
    #[serde(with = "crate::num")]
    pub kg_co2e_per_year: Decimal,
    /// The largest `worst_region_output_at_risk` of any product (0..1): the risk axis of the Pareto front.
    #[serde(with = "crate::num")]
    pub worst_region_output_at_risk: Decimal,
}

/// Own production per unit of a product: the BOM through `product_footprint`, or the given number.
pub fn own_emissions(p: &Product) -> Result<(Decimal, String), TansoError> {
    match &p.bom {
        Some(bom) => Ok((crate::product::footprint(bom)?.total_kg_co2e, "product_footprint".into())),
        None => Ok((p.own_kg_co2e_per_unit, "own_kg_co2e_per_unit".into())),
    }
}

fn component_risk(n: &Network, c: &Component) -> ComponentRisk {
    let active: Vec<_> = c.suppliers.iter().filter(|s| s.share > Decimal::ZERO).collect();
    let mut regions: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut clusters: BTreeMap<String, Decimal> = BTreeMap::new();
    for s in &active {
        *regions.entry(s.region()).or_default() += s.share;
        *clusters.entry(s.cluster_key()).or_default() += s.share;
    }
    let mut flags = Vec::new();
    let mut depends_on = BTreeMap::new();
    if active.len() == 1 {
        flags.push("single_supplier".to_string());
        depends_on.insert("single_supplier".to_string(), active[0].id.clone());
    }
    if regions.len() == 1 {
        flags.push("single_region".to_string());
        depends_on.insert("single_region".to_string(), regions.keys().next().cloned().unwrap_or_default());
    }
    if clusters.len() == 1 && active.iter().all(|s| s.cluster.is_some()) {
        flags.push("single_cluster".to_string());
        depends_on.insert("single_cluster".to_string(), clusters.keys().next().cloned().unwrap_or_default());
    }
    let mut common = active.first().map(|s| s.corridors()).unwrap_or_default();
    for s in active.iter().skip(1) {
        common = common.intersection(&s.corridors()).cloned().collect();
    }
    if let Some(k) = common.iter().next() {
        flags.push("single_corridor".to_string());
        depends_on.insert("single_corridor".to_string(), k.clone());
    }
    ComponentRisk {
        component: c.id.clone(),
        suppliers: active.len(),
        hhi_supplier: r2(hhi(active.iter().map(|s| s.share))),
        hhi_region: r2(hhi(regions.values().copied())),
        region_shares: regions.into_iter().map(|(k, v)| (k, r6(v))).collect(),
        flags,
        depends_on,
        products: n.products.iter().filter(|p| p.components.iter().any(|u| u.component == c.id)).map(|p| p.id.clone()).collect(),
    }
}

fn product_risk(n: &Network, p: &Product, own: (Decimal, String)) -> ProductRisk {
    let mut comp_kg = Decimal::ZERO;
    let mut transport = Decimal::ZERO;
    let mut primary = Decimal::ZERO;
    let mut purchased = Decimal::ZERO;
    let mut lead = Decimal::ZERO;
    // key → (value, emissions, max component share)
    let mut by_s: BTreeMap<String, (Decimal, Decimal, Decimal)> = BTreeMap::new();
    let mut by_r: BTreeMap<String, (Decimal, Decimal, Decimal)> = BTreeMap::new();
    for u in &p.components {
        let Some(c) = n.component(&u.component) else { continue };
        let mut comp_region: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut comp_lead = Decimal::ZERO;
        for s in &c.suppliers {
            let t = n.transport_per_unit(c, s);
            let e = u.quantity * s.share * s.kg_co2e_per_unit;
            let et = u.quantity * s.share * t;
            let v = u.quantity * s.share * s.value_per_unit;
            comp_kg += e;
            transport += et;
            if s.emission_data == "primary" {
                primary += e;
            }
            purchased += v;
            comp_lead += s.share * s.lead_time_days;
            let x = by_s.entry(s.id.clone()).or_default();
            x.0 += v;
            x.1 += e + et;
            x.2 = x.2.max(s.share);
            let y = by_r.entry(s.region()).or_default();
            y.0 += v;
            y.1 += e + et;
            *comp_region.entry(s.region()).or_default() += s.share;
        }
        for (r, sh) in comp_region {
            let y = by_r.entry(r).or_default();
            y.2 = y.2.max(sh);
        }
        lead = lead.max(comp_lead);
    }
    let total = comp_kg + transport + own.0;
    let value = p.value_per_unit.unwrap_or(purchased);
    let exp = |m: BTreeMap<String, (Decimal, Decimal, Decimal)>| -> Vec<Exposure> {
        m.into_iter()
            .map(|(key, (v, e, o))| Exposure { key, value_share: r6(div(v, value)), emissions_share: r6(div(e, total)), output_at_risk: r6(o) })
            .collect()
    };
    let hs = r2(hhi(by_s.values().map(|x| div(x.0, purchased))));
    let hr = r2(hhi(by_r.values().map(|x| div(x.0, purchased))));
    let (worst_region, worst) = by_r.iter().fold((String::new(), Decimal::ZERO), |acc, (k, x)| if x.2 > acc.1 { (k.clone(), x.2) } else { acc });
    ProductRisk {
        product: p.id.clone(),
        kg_co2e_per_unit: total,
        components_kg_co2e: comp_kg,
        transport_kg_co2e: transport,
        own_kg_co2e: own.0,
        own_source: own.1,
        kg_co2e_per_year: total * p.annual_units,
        primary_data_share: r6(div(primary, comp_kg)),
        value_per_unit: value,
        purchased_value_per_unit: purchased,
        lead_time_days: r6(lead),
        hhi_supplier: hs,
        hhi_region: hr,
        worst_region_output_at_risk: r6(worst),
        worst_region,
        by_supplier: exp(by_s),
        by_region: exp(by_r),
    }
}

/// Analyses a validated network. `own` gives each product's own emissions (same order).
pub fn analyse(n: &Network, own: &[(Decimal, String)]) -> NetworkRisk {
    let components: Vec<ComponentRisk> = n.components.iter().map(|c| component_risk(n, c)).collect();
    let products: Vec<ProductRisk> = n.products.iter().zip(own).map(|(p, o)| product_risk(n, p, o.clone())).collect();
    NetworkRisk {
        single_points_of_failure: components.iter().filter(|c| !c.flags.is_empty()).count(),
        kg_co2e_per_year: products.iter().map(|p| p.kg_co2e_per_year).sum(),
        worst_region_output_at_risk: products.iter().map(|p| p.worst_region_output_at_risk).max().unwrap_or_default(),
        components,
        products,
    }
}
