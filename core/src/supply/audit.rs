//! The dual-focus audit: single points of failure, the Scope 1/2/3 baseline from the
//! inventory core, and interventions ranked by emissions avoided per unit of cost — as
//! structured data and as a Markdown report.

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::exposure::{r2, ROUNDING};
use super::{analyse_document, SupplyInput, SupplyOutput};
use crate::error::TansoError;

/// Input of `supply_audit`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditInput {
    /// The company audited (for the report).
    #[serde(default)]
    pub company: String,
    /// The supplier network (as for `supply_network`).
    pub network: super::Network,
    /// Disruptions; without any, every region of the network is lost in turn.
    #[serde(default)]
    pub disruptions: Vec<super::Disruption>,
    /// Sourcing options (interventions).
    #[serde(default)]
    pub options: Vec<super::SourcingOption>,
    /// The company's inventory document (as for `inventory`): its Scope 1/2/3 baseline.
    #[serde(default)]
    pub inventory: Option<crate::accounting::InventoryInput>,
}

/// A single point of failure.
#[derive(Debug, Clone, Serialize)]
pub struct SinglePoint {
    /// Component id.
    pub component: String,
    /// `single_supplier`, `single_region`, `single_cluster` or `single_corridor`.
    pub kind: String,
    /// The supplier, region, cluster or corridor.
    pub depends_on: String,
    /// Products that stop with it.
    pub products: Vec<String>,
}

/// The Scope 1/2/3 baseline (kg CO2e), from `inventory`.
#[derive(Debug, Clone, Serialize)]
pub struct Baseline {
    /// Reporting year.
    pub year: i32,
    /// GWP set.
    pub gwp_set: String,
    /// Scope 1.
    #[serde(with = "crate::num")]
    pub scope_1_kg: Decimal,
    /// Scope 2, location-based.
    #[serde(with = "crate::num")]
    pub scope_2_location_kg: Decimal,
    /// Scope 2, market-based.
    #[serde(with = "crate::num")]
    pub scope_2_market_kg: Decimal,
    /// Scope 3.
    #[serde(with = "crate::num")]
    pub scope_3_kg: Decimal,
    /// Scope 3 by category.
    #[serde(with = "crate::num::map")]
    pub scope_3_by_category: BTreeMap<u8, Decimal>,
    /// Total (Scope 2 location-based).
    #[serde(with = "crate::num")]
    pub total_kg: Decimal,
}

/// An intervention (a sourcing option) in the ranking.
#[derive(Debug, Clone, Serialize)]
pub struct Intervention {
    /// 1 = most kg CO2e avoided per unit of cost; none without a cost.
    pub rank: Option<usize>,
    /// Option id.
    pub id: String,
    /// Its description.
    pub description: String,
    /// kg CO2e avoided per year (negative = more emissions).
    #[serde(with = "crate::num")]
    pub avoided_kg_co2e_per_year: Decimal,
    /// Cost per year.
    #[serde(with = "crate::num::opt")]
    pub cost_per_year: Option<Decimal>,
    /// kg avoided per unit of cost.
    #[serde(with = "crate::num::opt")]
    pub avoided_kg_per_cost: Option<Decimal>,
    /// CBAM cost change, EUR per year.
    #[serde(with = "crate::num")]
    pub change_cbam_cost_eur: Decimal,
    /// Worst-region output at risk after it (0..1).
    #[serde(with = "crate::num")]
    pub worst_region_output_at_risk: Decimal,
    /// On the emissions–risk Pareto front.
    pub pareto_optimal: bool,
}

/// Output of `supply_audit`.
#[derive(Debug, Clone, Serialize)]
pub struct AuditOutput {
    /// The company.
    pub company: String,
    /// Single points of failure.
    pub single_points_of_failure: Vec<SinglePoint>,
    /// Scope 1/2/3 baseline, when an inventory is given.
    pub baseline: Option<Baseline>,
    /// Interventions: ranked ones first (descending kg avoided per cost), then those without a cost.
    pub interventions: Vec<Intervention>,
    /// The full analysis.
    pub analysis: SupplyOutput,
    /// The report in Markdown.
    pub markdown: String,
}

/// Runs the audit.
pub fn audit_document(i: &AuditInput) -> Result<AuditOutput, TansoError> {
    let mut supply = SupplyInput { network: i.network.clone(), disruptions: i.disruptions.clone(), options: i.options.clone() };
    if supply.disruptions.is_empty() {
        let mut regions: Vec<String> = supply.network.components.iter().flat_map(|c| c.suppliers.iter().map(|s| s.region())).collect();
        regions.sort();
        regions.dedup();
        supply.disruptions = regions
            .into_iter()
            .map(|r| super::Disruption { id: format!("lose {r}"), supplier: None, region: Some(r) })
            .collect();
    }
    let analysis = analyse_document(&supply)?;
    let baseline = match &i.inventory {
        Some(inv) => {
            let r = crate::accounting::inventory(inv)?;
            let t = &r.totals;
            Some(Baseline {
                year: r.reporting_year,
                gwp_set: r.gwp_set.id().to_string(),
                scope_1_kg: t.scope_1_co2e_kg,
                scope_2_location_kg: t.scope_2_location_co2e_kg,
                scope_2_market_kg: t.scope_2_market_co2e_kg,
                scope_3_kg: t.scope_3_co2e_kg,
                scope_3_by_category: t.scope_3_by_category.clone(),
                total_kg: t.total_co2e_kg,
            })
        }
        None => None,
    };
    let spof: Vec<SinglePoint> = analysis
        .network
        .components
        .iter()
        .flat_map(|c| {
            c.flags.iter().map(move |f| SinglePoint {
                component: c.component.clone(),
                kind: f.clone(),
                depends_on: c.depends_on.get(f).cloned().unwrap_or_default(),
                products: c.products.clone(),
            })
        })
        .collect();
    let mut interventions: Vec<Intervention> = analysis
        .options
        .iter()
        .skip(1)
        .map(|o| Intervention {
            rank: None,
            id: o.id.clone(),
            description: o.description.clone(),
            avoided_kg_co2e_per_year: -o.change_kg_co2e_per_year,
            cost_per_year: o.cost_per_year,
            avoided_kg_per_cost: o.avoided_kg_per_cost,
            change_cbam_cost_eur: o.change_cbam_cost_eur,
            worst_region_output_at_risk: o.worst_region_output_at_risk,
            pareto_optimal: o.pareto_optimal,
        })
        .collect();
    // Ranked (with a cost) first, by ratio descending; ties and unranked keep input order.
    interventions.sort_by(|a, b| match (a.avoided_kg_per_cost, b.avoided_kg_per_cost) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut k = 0;
    for iv in interventions.iter_mut() {
        if iv.avoided_kg_per_cost.is_some() {
            k += 1;
            iv.rank = Some(k);
        }
    }
    let markdown = markdown(&i.company, &spof, baseline.as_ref(), &interventions, &analysis);
    Ok(AuditOutput { company: i.company.clone(), single_points_of_failure: spof, baseline, interventions, analysis, markdown })
}

fn f(d: Decimal) -> String {
    r2(d).to_string()
}
fn pct(d: Decimal) -> String {
    format!("{}%", r2(d * Decimal::ONE_HUNDRED))
}

fn markdown(company: &str, spof: &[SinglePoint], b: Option<&Baseline>, iv: &[Intervention], a: &SupplyOutput) -> String {
    let mut m = String::new();
    let name = if company.is_empty() { "the company" } else { company };
    let _ = writeln!(m, "# Supply-chain and carbon audit: {name}\n");
    let _ = writeln!(m, "## Single points of failure\n");
    if spof.is_empty() {
        let _ = writeln!(m, "None: every component has suppliers in more than one region and corridor.\n");
    } else {
        let _ = writeln!(m, "| component | kind | depends on | products that stop |\n|---|---|---|---|");
        for s in spof {
            let _ = writeln!(m, "| {} | {} | {} | {} |", s.component, s.kind.replace('_', " "), s.depends_on, s.products.join(", "));
        }
        m.push('\n');
    }
    let _ = writeln!(m, "## Concentration and exposure by product\n");
    let _ = writeln!(m, "| product | kg CO2e/unit | of which transport | HHI supplier | HHI region | worst region | output at risk |\n|---|---|---|---|---|---|---|");
    for p in &a.network.products {
        let _ = writeln!(m, "| {} | {} | {} | {} | {} | {} | {} |", p.product, f(p.kg_co2e_per_unit), f(p.transport_kg_co2e), f(p.hhi_supplier), f(p.hhi_region), p.worst_region, pct(p.worst_region_output_at_risk));
    }
    let _ = writeln!(m, "\nHHI on the 0–10,000 scale (one supplier = 10,000).\n");
    if !a.disruptions.is_empty() {
        let _ = writeln!(m, "## Disruptions\n");
        let _ = writeln!(m, "| scenario | output value lost | products stopped | fallback emissions, kg CO2e/yr |\n|---|---|---|---|");
        for d in &a.disruptions {
            let stopped: Vec<&str> = d.products.iter().filter(|p| p.stopped).map(|p| p.product.as_str()).collect();
            let _ = writeln!(m, "| {} | {} | {} | {} |", d.id, pct(d.output_value_lost_share), if stopped.is_empty() { "none".to_string() } else { stopped.join(", ") }, f(d.added_kg_co2e_per_year));
        }
        m.push('\n');
    }
    let _ = writeln!(m, "## Scope 1/2/3 baseline\n");
    match b {
        Some(b) => {
            let t = |x: Decimal| f(x / Decimal::ONE_THOUSAND);
            let _ = writeln!(m, "Reporting year {}, {}, t CO2e:\n\n| Scope 1 | Scope 2 (location) | Scope 2 (market) | Scope 3 | total |\n|---|---|---|---|---|", b.year, b.gwp_set);
            let _ = writeln!(m, "| {} | {} | {} | {} | {} |\n", t(b.scope_1_kg), t(b.scope_2_location_kg), t(b.scope_2_market_kg), t(b.scope_3_kg), t(b.total_kg));
        }
        None => {
            let _ = writeln!(m, "No inventory given.\n");
        }
    }
    let _ = writeln!(m, "## Sourcing options\n");
    let _ = writeln!(m, "| option | kg CO2e/yr | change | worst-region output at risk | SPOF | CBAM EUR/yr | Pareto |\n|---|---|---|---|---|---|---|");
    for o in &a.options {
        let _ = writeln!(m, "| {} | {} | {} | {} | {} | {} | {} |", o.id, f(o.kg_co2e_per_year), f(o.change_kg_co2e_per_year), pct(o.worst_region_output_at_risk), o.single_points_of_failure, f(o.cbam_cost_eur), if o.pareto_optimal { "yes" } else { "" });
    }
    let _ = writeln!(m, "\n## Interventions ranked by emissions avoided per unit of cost\n");
    if iv.is_empty() {
        let _ = writeln!(m, "No options given.\n");
    } else {
        let _ = writeln!(m, "| rank | option | kg CO2e avoided/yr | cost/yr | kg per unit cost | CBAM change EUR/yr |\n|---|---|---|---|---|---|");
        for i in iv {
            let _ = writeln!(m, "| {} | {} | {} | {} | {} | {} |", i.rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into()), i.id, f(i.avoided_kg_co2e_per_year), i.cost_per_year.map(f).unwrap_or_else(|| "not given".into()), i.avoided_kg_per_cost.map(f).unwrap_or_else(|| "–".into()), f(i.change_cbam_cost_eur));
        }
    }
    let _ = writeln!(m, "\nRounding: {ROUNDING}.");
    m
}
