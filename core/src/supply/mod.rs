//! Supplier networks: single points of failure, concentration, disruptions and sourcing
//! options with carbon, transport, risk and CBAM cost side by side; the SME dual-focus audit.
//!
//! | module | what it owns |
//! |---|---|
//! | [`network`] | the network document (products, components, suppliers, legs) and its checks |
//! | [`exposure`] | single points of failure, exposure by supplier and region, HHI |
//! | [`disruption`] | a supplier or region lost: what stops, fallbacks' emissions and lead time |
//! | [`sourcing`] | sourcing options applied to the network, CBAM through `cbam`, the Pareto front |
//! | [`audit`] | the audit report: SPOFs, the Scope 1/2/3 baseline from `inventory`, ranked interventions, Markdown |
//!
//! Emissions, values and costs are exact decimals; shares and HHI are rounded at the report
//! boundary ([`exposure::ROUNDING`]). HHI is on the 0..=10,000 scale.
//!
//! ```
//! use serde_json::json;
//! // One bracket needs 2 kg of sheet; 70% from Hebei (2.0 kg CO2e/kg), 30% from Jiangsu (1.0).
//! let out = tanso::api::call("supply_network", json!({"network": {
//!   "transport_intensities": {"road": "0.1"},
//!   "products": [{"id": "bracket", "components": [{"component": "sheet", "quantity": "2"}]}],
//!   "components": [{"id": "sheet", "mass_kg_per_unit": "1", "suppliers": [
//!     {"id": "hebei", "country": "CN", "province": "Hebei", "share": "0.7", "kg_co2e_per_unit": "2.0",
//!      "transport": [{"mode": "road", "distance_km": "1000"}]},
//!     {"id": "jiangsu", "country": "CN", "province": "Jiangsu", "share": "0.3", "kg_co2e_per_unit": "1.0"}]}]}})).unwrap();
//! // 2 × (0.7 × 2.0 + 0.3 × 1.0) = 3.4 kg; transport 2 × 0.7 × 0.001 t × 1000 km × 0.1 = 0.14 kg.
//! assert_eq!(out["network"]["products"][0]["kg_co2e_per_unit"], "3.54");
//! // HHI by supplier 70² + 30² = 5800; both in China but in two provinces.
//! assert_eq!(out["network"]["components"][0]["hhi_supplier"], "5800");
//! ```

#![allow(clippy::result_large_err)]

pub mod audit;
pub mod disruption;
pub mod exposure;
pub mod network;
pub mod sourcing;

use serde::{Deserialize, Serialize};

pub use audit::{audit_document, AuditInput, AuditOutput};
pub use disruption::{disrupt, Disruption, DisruptionResult};
pub use exposure::{hhi, NetworkRisk, HHI_SCALE, ROUNDING};
pub use network::{Component, Network, Product, Supplier};
pub use sourcing::{OptionResult, SourcingOption};

use crate::error::TansoError;

/// Input of `supply_network`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyInput {
    /// The supplier network.
    pub network: Network,
    /// Disruptions to run.
    #[serde(default)]
    pub disruptions: Vec<Disruption>,
    /// Sourcing options to compare with the baseline.
    #[serde(default)]
    pub options: Vec<SourcingOption>,
}

/// Output of `supply_network`.
#[derive(Debug, Clone, Serialize)]
pub struct SupplyOutput {
    /// The baseline network's risks, emissions and exposure.
    pub network: NetworkRisk,
    /// Each disruption.
    pub disruptions: Vec<DisruptionResult>,
    /// The baseline (first) and each option, side by side.
    pub options: Vec<OptionResult>,
    /// Ids on the Pareto front of emissions vs worst-region output at risk, by emissions.
    pub pareto_front: Vec<String>,
    /// The HHI scale.
    pub hhi_scale: &'static str,
    /// How numbers are rounded.
    pub rounding: &'static str,
}

/// Runs `supply_network`.
pub fn analyse_document(i: &SupplyInput) -> Result<SupplyOutput, TansoError> {
    i.network.validate()?;
    let (risk, cbam) = sourcing::evaluate(&i.network)?;
    let disruptions = i
        .disruptions
        .iter()
        .enumerate()
        .map(|(k, d)| disrupt(&i.network, d, &format!("disruptions[{k}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let mut rows = vec![sourcing::summarise("baseline", "the network as given", &risk, cbam, None)];
    for (k, o) in i.options.iter().enumerate() {
        let f = format!("options[{k}]");
        sourcing::check(o, &f)?;
        let n = sourcing::apply(&i.network, o, &f)?;
        let (r, c) = sourcing::evaluate(&n)?;
        rows.push(sourcing::summarise(&o.id, &o.description, &r, c, o.cost_per_year));
    }
    sourcing::compare(&mut rows);
    let mut front: Vec<&OptionResult> = rows.iter().filter(|r| r.pareto_optimal).collect();
    front.sort_by_key(|r| r.kg_co2e_per_year);
    let pareto_front = front.into_iter().map(|r| r.id.clone()).collect();
    Ok(SupplyOutput { network: risk, disruptions, options: rows, pareto_front, hhi_scale: HHI_SCALE, rounding: ROUNDING })
}
