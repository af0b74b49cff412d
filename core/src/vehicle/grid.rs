//! The whole grid in one call: sizes × powertrains × years × regions, compact rows. Profiles
//! are built once per (size, powertrain) and factor sets once per (region, year), so each row
//! is a few dot products.

use serde::{Deserialize, Serialize};

use crate::error::TansoError;

use super::data::defaults;
use super::model::{break_even, factor_set, grid_series, numbers, powertrain_ix, profile, settings, size_ix, GPerKm, Levers, Overrides, RecoveryRates};
use super::{POWERTRAINS, SIZES, YEARS};

/// A range of production years.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    /// First year.
    pub from: i32,
    /// Last year.
    pub to: i32,
}

/// Input of `vehicle_grid`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridInput {
    /// Size codes (default: every size; all eight have carculator's glider base mass).
    #[serde(default)]
    pub sizes: Vec<String>,
    /// Powertrain codes (default: those with complete defaults: petrol, diesel, hev, phev, bev).
    #[serde(default)]
    pub powertrains: Vec<String>,
    /// Regions (default `CN`, `EU`).
    #[serde(default)]
    pub regions: Vec<String>,
    /// Production years (default 2020–2050).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<YearRange>,
    /// The powertrain each row's break-even is against (default `petrol`); null for none.
    #[serde(default = "petrol")]
    pub baseline: Option<String>,
    /// Lifetime km (default 200,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_km: Option<f64>,
    /// Years of use (default lifetime ÷ 12,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years_of_use: Option<f64>,
    /// `average_over_use` (default) or `static`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_mode: Option<String>,
    /// `scenario` (default) or `static`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    /// Levers, for every row.
    #[serde(default)]
    pub levers: Levers,
    /// `cut_off` (default) or `credits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_life: Option<String>,
    /// Recovery rates for `credits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_rates: Option<RecoveryRates>,
}

fn petrol() -> Option<String> {
    Some("petrol".into())
}

/// One row of the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridRow {
    /// Size code.
    pub size: &'static str,
    /// Powertrain code.
    pub powertrain: &'static str,
    /// Region code.
    pub region: String,
    /// Production year.
    pub year: i32,
    /// Production, t CO2e.
    pub production_t_co2e: f64,
    /// Steel (incl. stainless and cast iron) share of production.
    pub steel_share: f64,
    /// Aluminium share of production.
    pub aluminium_share: f64,
    /// g CO2e per km by stage.
    pub g_per_km: GPerKm,
    /// Break-even km against the baseline of the same size, region and year (0 when this car
    /// is never worse; null when not within the lifetime or for the baseline itself).
    pub break_even_km: Option<f64>,
}

/// A combination left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unavailable {
    /// Size.
    pub size: String,
    /// Powertrain.
    pub powertrain: String,
    /// Why (the error message).
    pub reason: String,
}

/// Output of `vehicle_grid`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridOutput {
    /// Number of rows.
    pub count: usize,
    /// Rows, ordered by region, year, size, powertrain.
    pub rows: Vec<GridRow>,
    /// Combinations without complete defaults.
    pub unavailable: Vec<Unavailable>,
}

/// Evaluates the grid (the `vehicle_grid` operation).
pub fn grid(i: &GridInput) -> Result<GridOutput, TansoError> {
    let d = defaults()?;
    let sizes: Vec<usize> = if i.sizes.is_empty() {
        (0..SIZES.len()).filter(|s| d.glider[*s].is_some()).collect()
    } else {
        i.sizes.iter().enumerate().map(|(k, s)| size_ix(s, &format!("sizes[{k}]"))).collect::<Result<_, _>>()?
    };
    let pts: Vec<usize> = if i.powertrains.is_empty() {
        (0..POWERTRAINS.len()).filter(|p| POWERTRAINS[*p].code != "fcev").collect()
    } else {
        i.powertrains.iter().enumerate().map(|(k, p)| powertrain_ix(p, &format!("powertrains[{k}]"))).collect::<Result<_, _>>()?
    };
    let regions: Vec<String> = if i.regions.is_empty() { vec!["CN".into(), "EU".into()] } else { i.regions.clone() };
    let yr = i.years.unwrap_or(YearRange { from: YEARS.0, to: YEARS.1 });
    super::model::year(yr.from, "years.from")?;
    super::model::year(yr.to, "years.to")?;
    let base = match &i.baseline {
        Some(b) => Some(powertrain_ix(b, "baseline")?),
        None => None,
    };
    let none = Overrides::default();
    // Profiles depend on the production year (carculator's values by decade): built once per
    // year, shared by the regions.
    let mut unavailable = Vec::new();
    let mut per_year = Vec::new();
    for y in yr.from..=yr.to {
        let mut profiles = Vec::new();
        for &s in &sizes {
            for &p in &pts {
                match profile(s, p, y, &none) {
                    Ok(pr) => profiles.push(pr),
                    Err(e) if y == yr.from => {
                        unavailable.push(Unavailable { size: SIZES[s].code.into(), powertrain: POWERTRAINS[p].code.into(), reason: e.to_string() })
                    }
                    Err(_) => {}
                }
            }
        }
        let baselines: Vec<Option<super::model::Profile>> = sizes.iter().map(|&s| base.and_then(|b| profile(s, b, y, &none).ok())).collect();
        per_year.push((profiles, baselines));
    }
    let n_profiles = per_year.first().map(|p| p.0.len()).unwrap_or(0);
    let mut rows = Vec::with_capacity(n_profiles * regions.len() * per_year.len());
    for (ri, r) in regions.iter().enumerate() {
        let field = format!("regions[{ri}]");
        let region = super::model::region(r, &field)?;
        let series = grid_series(&region, d)?;
        for (y, (profiles, baselines)) in (yr.from..=yr.to).zip(per_year.iter()) {
            let st = settings(r, &None, y, i.lifetime_km, i.years_of_use, &i.grid_mode, &i.background, &i.levers, &i.end_of_life, i.recovery_rates)?;
            let f = factor_set(&st, &none, &series)?;
            let base_numbers: Vec<Option<super::model::Numbers>> = baselines.iter().map(|b| b.as_ref().map(|b| numbers(b, &f, &st))).collect();
            for pr in profiles {
                let n = numbers(pr, &f, &st);
                let si = sizes.iter().position(|s| *s == pr.size).unwrap_or(0);
                let be = match (&baselines[si], &base_numbers[si]) {
                    (Some(bp), Some(bn)) if Some(pr.powertrain) != base => break_even(pr, &n, bp, bn, &f, &st).0,
                    _ => None,
                };
                rows.push(GridRow {
                    size: SIZES[pr.size].code,
                    powertrain: POWERTRAINS[pr.powertrain].code,
                    region: region.code.clone(),
                    year: y,
                    production_t_co2e: n.production_kg / 1000.0,
                    steel_share: n.steel_kg / n.production_kg,
                    aluminium_share: n.aluminium_kg / n.production_kg,
                    g_per_km: n.g,
                    break_even_km: be,
                });
            }
        }
    }
    Ok(GridOutput { count: rows.len(), rows, unavailable })
}
