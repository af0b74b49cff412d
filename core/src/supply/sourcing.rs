//! Sourcing options (near-shoring, a second source, a recycled-material supplier): each is a
//! set of changes to the network; tanso reruns the whole analysis on the changed network and
//! puts emissions, risk and CBAM cost side by side with the baseline, and marks the Pareto
//! front of emissions against risk.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::exposure::{analyse, own_emissions, r6, NetworkRisk};
use super::network::{bad, Network, Supplier};
use crate::error::{SupplyError, TansoError};

/// A sourcing option.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcingOption {
    /// Option id.
    pub id: String,
    /// What it is, for the report.
    #[serde(default)]
    pub description: String,
    /// Its cost per year (the network's currency), for the ranking; > 0.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub cost_per_year: Option<Decimal>,
    /// The changes, applied in order.
    pub changes: Vec<Change>,
}

/// One change to the network. Within a change: `remove`, then `add`, then `shares`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The component changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Drop this supplier; its share goes to the others in proportion to theirs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove: Option<String>,
    /// Add this supplier with its `share`; the others' shares scale by (1 − share).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add: Option<Supplier>,
    /// Set these suppliers' shares (the component's shares must then sum to 1).
    #[serde(default, with = "crate::num::map", skip_serializing_if = "BTreeMap::is_empty")]
    pub shares: BTreeMap<String, Decimal>,
    /// The product changed (with `bom`, `own_kg_co2e_per_unit` or `cbam_country`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// A new bill of materials for the product's own part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bom: Option<crate::product::ProductInput>,
    /// New own kg CO2e per unit.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub own_kg_co2e_per_unit: Option<Decimal>,
    /// New country of origin for CBAM (the product is made elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cbam_country: Option<String>,
}

/// CBAM of one product under one option.
#[derive(Debug, Clone, Serialize)]
pub struct CbamCost {
    /// Product id.
    pub product: String,
    /// `default` or `actual`.
    pub basis: String,
    /// Embedded emissions of the year's EU shipments, t CO2e.
    #[serde(with = "crate::num")]
    pub embedded_t: Decimal,
    /// Certificates due, t CO2e.
    #[serde(with = "crate::num")]
    pub certificates: Decimal,
    /// Cost, EUR, exact.
    #[serde(with = "crate::num")]
    pub cost_eur_exact: Decimal,
    /// Cost, EUR, rounded to cents.
    #[serde(with = "crate::num")]
    pub cost_eur: Decimal,
}

/// Emissions, risk and CBAM cost of the baseline or of one option.
#[derive(Debug, Clone, Serialize)]
pub struct OptionResult {
    /// `baseline` or the option id.
    pub id: String,
    /// Its description.
    pub description: String,
    /// kg CO2e per year of all products.
    #[serde(with = "crate::num")]
    pub kg_co2e_per_year: Decimal,
    /// Against the baseline (negative = fewer emissions).
    #[serde(with = "crate::num")]
    pub change_kg_co2e_per_year: Decimal,
    /// kg CO2e per unit of each product.
    #[serde(with = "crate::num::map")]
    pub kg_co2e_per_unit: BTreeMap<String, Decimal>,
    /// Transport part of it.
    #[serde(with = "crate::num::map")]
    pub transport_kg_co2e_per_unit: BTreeMap<String, Decimal>,
    /// Components with a single point of failure.
    pub single_points_of_failure: usize,
    /// Largest output share one region's loss stops (0..1).
    #[serde(with = "crate::num")]
    pub worst_region_output_at_risk: Decimal,
    /// Largest HHI by supplier of any component (0..10,000).
    #[serde(with = "crate::num")]
    pub max_hhi_supplier: Decimal,
    /// Largest HHI by region of any component (0..10,000).
    #[serde(with = "crate::num")]
    pub max_hhi_region: Decimal,
    /// CBAM per product shipped to the EU.
    pub cbam: Vec<CbamCost>,
    /// CBAM cost of all products, EUR, exact.
    #[serde(with = "crate::num")]
    pub cbam_cost_eur: Decimal,
    /// Against the baseline, EUR.
    #[serde(with = "crate::num")]
    pub change_cbam_cost_eur: Decimal,
    /// Cost per year of the option.
    #[serde(with = "crate::num::opt")]
    pub cost_per_year: Option<Decimal>,
    /// kg CO2e avoided per unit of cost (rounded to 6 decimals); none without a cost.
    #[serde(with = "crate::num::opt")]
    pub avoided_kg_per_cost: Option<Decimal>,
    /// On the Pareto front of (kg CO2e per year, worst-region output at risk), both minimised.
    pub pareto_optimal: bool,
}

fn unknown(field: String, value: &str, valid: Vec<String>) -> TansoError {
    SupplyError::UnknownReference { field, value: value.to_string(), valid: valid.join(", ") }.into()
}

/// Applies an option's changes to a copy of the network.
pub fn apply(n: &Network, o: &SourcingOption, field: &str) -> Result<Network, TansoError> {
    let mut n = n.clone();
    for (i, ch) in o.changes.iter().enumerate() {
        let f = format!("{field}.changes[{i}]");
        if let Some(pid) = &ch.product {
            let ids: Vec<String> = n.products.iter().map(|p| p.id.clone()).collect();
            let p = n.products.iter_mut().find(|p| &p.id == pid).ok_or_else(|| unknown(format!("{f}.product"), pid, ids))?;
            if let Some(b) = &ch.bom {
                p.bom = Some(b.clone());
            }
            if let Some(v) = ch.own_kg_co2e_per_unit {
                p.own_kg_co2e_per_unit = v;
                p.bom = None;
            }
            if let Some(c) = &ch.cbam_country {
                match &mut p.cbam {
                    Some(cb) => cb.country = c.clone(),
                    None => return Err(bad(format!("{f}.cbam_country"), c, "a product with 'cbam'")),
                }
            }
        }
        let Some(cid) = &ch.component else { continue };
        let ids: Vec<String> = n.components.iter().map(|c| c.id.clone()).collect();
        let c = n.components.iter_mut().find(|c| &c.id == cid).ok_or_else(|| unknown(format!("{f}.component"), cid, ids))?;
        let sids = |c: &super::network::Component| c.suppliers.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        if let Some(r) = &ch.remove {
            let k = c.suppliers.iter().position(|s| &s.id == r).ok_or_else(|| unknown(format!("{f}.remove"), r, sids(c)))?;
            let gone = c.suppliers.remove(k);
            let rest: Decimal = c.suppliers.iter().map(|s| s.share).sum();
            if rest.is_zero() {
                return Err(bad(format!("{f}.remove"), r, "a supplier whose component keeps another supplier with a share > 0 (add one first)"));
            }
            let mut given = Decimal::ZERO;
            let last = c.suppliers.iter().rposition(|s| s.share > Decimal::ZERO).unwrap_or(0);
            for (j, s) in c.suppliers.iter_mut().enumerate() {
                if j != last {
                    s.share += gone.share * s.share / rest;
                    given += s.share;
                }
            }
            c.suppliers[last].share = Decimal::ONE - given;
        }
        if let Some(a) = &ch.add {
            if c.suppliers.iter().any(|s| s.id == a.id) {
                return Err(bad(format!("{f}.add.id"), &a.id, "a supplier id not yet in the component"));
            }
            if a.share < Decimal::ZERO || a.share > Decimal::ONE {
                return Err(bad(format!("{f}.add.share"), a.share.to_string(), "a share in 0..=1"));
            }
            for s in c.suppliers.iter_mut() {
                s.share *= Decimal::ONE - a.share;
            }
            c.suppliers.push(a.clone());
        }
        for (sid, v) in &ch.shares {
            let valid = sids(c);
            let s = c.suppliers.iter_mut().find(|s| &s.id == sid).ok_or_else(|| unknown(format!("{f}.shares"), sid, valid))?;
            s.share = *v;
        }
    }
    n.validate()?;
    Ok(n)
}

/// CBAM cost of each EU-bound product of a network through `cbam_obligation`.
pub fn cbam_costs(n: &Network, risk: &NetworkRisk) -> Result<Vec<CbamCost>, TansoError> {
    let mut out = Vec::new();
    for (p, r) in n.products.iter().zip(&risk.products) {
        let Some(c) = &p.cbam else { continue };
        let units = c.eu_units.unwrap_or(p.annual_units);
        let mut good = serde_json::json!({"cn_code": c.cn_code, "country": c.country});
        if c.basis == "actual" {
            let see = (r.components_kg_co2e + r.own_kg_co2e) / Decimal::ONE_THOUSAND / c.mass_t_per_unit;
            good["see"] = serde_json::json!({"direct": see.normalize().to_string(), "source": "tanso supply: the product's emissions without transport, per t"});
        }
        let mut doc = serde_json::json!({"year": c.year, "lines": [{"id": p.id, "good": good,
            "mass": {"value": (units * c.mass_t_per_unit).normalize().to_string(), "unit": "t"}, "quarter": c.quarter.unwrap_or(1)}]});
        if let Some(b) = &c.benchmark {
            doc["lines"][0]["benchmark"] = b.clone();
        }
        if let Some(pr) = c.certificate_price_eur {
            doc["certificate_price_eur"] = serde_json::Value::String(pr.to_string());
        }
        let i: crate::cbam::ObligationInput = serde_json::from_value(doc).map_err(|e| bad(format!("products.{}.cbam", p.id), e.to_string(), "a valid CBAM shipment"))?;
        let o = crate::cbam::obligation_document(&i)?;
        out.push(CbamCost {
            product: p.id.clone(),
            basis: c.basis.clone(),
            embedded_t: o.totals.embedded_t,
            certificates: o.totals.certificates,
            cost_eur_exact: o.totals.cost_eur_exact,
            cost_eur: o.totals.cost_eur,
        });
    }
    Ok(out)
}

/// Analyses a network in full: own emissions (BOMs through `product_footprint`), risk, CBAM.
pub fn evaluate(n: &Network) -> Result<(NetworkRisk, Vec<CbamCost>), TansoError> {
    let own = n.products.iter().map(own_emissions).collect::<Result<Vec<_>, _>>()?;
    let risk = analyse(n, &own);
    let cbam = cbam_costs(n, &risk)?;
    Ok((risk, cbam))
}

/// One row of the comparison.
pub fn summarise(id: &str, description: &str, risk: &NetworkRisk, cbam: Vec<CbamCost>, cost: Option<Decimal>) -> OptionResult {
    OptionResult {
        id: id.to_string(),
        description: description.to_string(),
        kg_co2e_per_year: risk.kg_co2e_per_year,
        change_kg_co2e_per_year: Decimal::ZERO,
        kg_co2e_per_unit: risk.products.iter().map(|p| (p.product.clone(), p.kg_co2e_per_unit)).collect(),
        transport_kg_co2e_per_unit: risk.products.iter().map(|p| (p.product.clone(), p.transport_kg_co2e)).collect(),
        single_points_of_failure: risk.single_points_of_failure,
        worst_region_output_at_risk: risk.worst_region_output_at_risk,
        max_hhi_supplier: risk.components.iter().map(|c| c.hhi_supplier).max().unwrap_or_default(),
        max_hhi_region: risk.components.iter().map(|c| c.hhi_region).max().unwrap_or_default(),
        cbam_cost_eur: cbam.iter().map(|c| c.cost_eur_exact).sum(),
        cbam,
        change_cbam_cost_eur: Decimal::ZERO,
        cost_per_year: cost,
        avoided_kg_per_cost: None,
        pareto_optimal: false,
    }
}

/// Fills the changes against the baseline (the first row), the ratios and the Pareto flags.
pub fn compare(rows: &mut [OptionResult]) {
    let Some(base) = rows.first().cloned() else { return };
    for r in rows.iter_mut() {
        r.change_kg_co2e_per_year = r.kg_co2e_per_year - base.kg_co2e_per_year;
        r.change_cbam_cost_eur = r.cbam_cost_eur - base.cbam_cost_eur;
        r.avoided_kg_per_cost = r.cost_per_year.map(|c| r6(-r.change_kg_co2e_per_year / c));
    }
    let pts: Vec<(Decimal, Decimal)> = rows.iter().map(|r| (r.kg_co2e_per_year, r.worst_region_output_at_risk)).collect();
    for (i, r) in rows.iter_mut().enumerate() {
        let (e, k) = pts[i];
        r.pareto_optimal = !pts.iter().any(|&(e2, k2)| e2 <= e && k2 <= k && (e2 < e || k2 < k));
    }
}

/// Checks an option before it is applied.
pub fn check(o: &SourcingOption, field: &str) -> Result<(), TansoError> {
    if let Some(c) = o.cost_per_year {
        if c <= Decimal::ZERO {
            return Err(bad(format!("{field}.cost_per_year"), c.to_string(), "a cost > 0 (leave it out when unknown)"));
        }
    }
    if o.id == "baseline" {
        return Err(bad(format!("{field}.id"), &o.id, "an id other than 'baseline' (the unchanged network)"));
    }
    Ok(())
}
