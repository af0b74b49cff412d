//! The bundled datasets, read from the CSV files in `core/data/` (copies of the project's
//! sourced reference tables) at first use.
//!
//! - `fuels_ipcc2006.csv`: IPCC 2006 Guidelines Vol. 2 — NCV (Table 1.2), carbon content
//!   (Table 1.3), CO2 factor (Table 1.4), CH4/N2O for energy industries (Table 2.2) and
//!   manufacturing (Table 2.3). Per-field status as the table states it: values its status
//!   marks "from memory" or "VERIFY" are unverified and not used by default.
//! - `fuels_china.csv`: GB/T 2589-2020 NCV and kgce coefficients; NDRC carbon content and
//!   oxidation rates. China's enterprise guidelines count CO2 only from combustion.
//! - `grid_factors.csv`: MEE & NBS electricity CO2 factors (2021–2023), the factor excluding
//!   market-traded non-fossil power (the residual-mix analogue), carbon-footprint factors,
//!   and the EEA EU-27 intensity. IEA-based rows are not bundled (licence).
//!
//! ```
//! let reg = tanso::factors::FactorRegistry::bundled();
//! assert!(reg.fuel("原煤").is_ok());
//! ```

use std::str::FromStr;

use rust_decimal::Decimal;

use super::{
    geography, Boundary, EmissionFactor, FactorRegistry, Fuel, Provenance, Sector, SectorFactor,
    Status,
};
use crate::ghg::{Gas, GasVector};

const IPCC_CSV: &str = include_str!("../../data/fuels_ipcc2006.csv");
const CHINA_CSV: &str = include_str!("../../data/fuels_china.csv");
const GRID_CSV: &str = include_str!("../../data/grid_factors.csv");

/// Licence note for IPCC tables.
pub const IPCC_LICENCE: &str = "IPCC Guidelines: free to use with citation";
/// Licence note for Chinese government announcements and standards.
pub const CN_GOV_LICENCE: &str =
    "Chinese government announcement / national standard: cite announcement number and date";

type Row = std::collections::HashMap<String, String>;

fn rows(text: &str) -> Vec<Row> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(_) => return Vec::new(),
    };
    rdr.records()
        .flatten()
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(|s| s.trim().to_string()))
                .collect()
        })
        .collect()
}

fn get<'a>(r: &'a Row, k: &str) -> &'a str {
    r.get(k).map(String::as_str).unwrap_or("")
}

fn dec(r: &Row, k: &str) -> Option<Decimal> {
    Decimal::from_str(get(r, k)).ok()
}

fn status_of(text: &str) -> Status {
    let t = text.to_ascii_lowercase();
    if t.starts_with("verified") && !t.contains("unverified") {
        Status::Verified
    } else {
        Status::Unverified
    }
}

/// Builds the bundled registry; with `include_unverified`, unverified rows are added, flagged.
pub fn registry(include_unverified: bool) -> FactorRegistry {
    let mut reg = FactorRegistry::new();
    for f in ipcc_fuels() {
        let f = if include_unverified {
            f
        } else {
            drop_unverified_sector_factors(f)
        };
        let aliases: Vec<String> = ipcc_aliases(&f.id).iter().map(|s| s.to_string()).collect();
        let a: Vec<&str> = aliases.iter().map(String::as_str).collect();
        reg.add_fuel(f, &a);
    }
    for f in china_fuels() {
        reg.add_fuel(f, &[]);
    }
    let grid: Vec<EmissionFactor> = grid_factors()
        .into_iter()
        .filter(|f| include_unverified || f.provenance.status == Status::Verified)
        .collect();
    reg.extend(grid);
    reg
}

fn drop_unverified_sector_factors(mut f: Fuel) -> Fuel {
    f.sector_factors.retain(|s| s.status == Status::Verified);
    f
}

fn ipcc_aliases(id: &str) -> &'static [&'static str] {
    match id {
        "gas_diesel_oil" => &["diesel", "gas_oil"],
        "motor_gasoline" => &["gasoline", "petrol"],
        "residual_fuel_oil" => &["fuel_oil", "heavy_fuel_oil"],
        "other_kerosene" => &["kerosene"],
        "other_bituminous_coal" => &["bituminous_coal"],
        _ => &[],
    }
}

/// The IPCC 2006 fuels, with per-field status read from the table's status text.
pub fn ipcc_fuels() -> Vec<Fuel> {
    let mut out = Vec::new();
    for r in rows(IPCC_CSV) {
        let (Some(ncv), Some(cc)) = (
            dec(&r, "ncv_tj_per_gg"),
            dec(&r, "carbon_content_kgc_per_gj"),
        ) else {
            continue;
        };
        let status = get(&r, "status").to_string();
        let lower = status.to_ascii_lowercase();
        let all_verified = lower == "verified";
        // The table words partial verification in its status text; these rules read it.
        let manufacturing_verified = all_verified
            || !(lower.contains("manufacturing")
                && (lower.contains("unverified") || lower.contains("verify")));
        let n2o_verified = all_verified || !lower.contains("n2o 0.1 from memory");
        let mut sector_factors = Vec::new();
        for (sector, ch4_col, n2o_col) in [
            (
                Sector::EnergyIndustries,
                "ch4_ef_energy_ind_kg_per_tj",
                "n2o_ef_energy_ind_kg_per_tj",
            ),
            (
                Sector::Manufacturing,
                "ch4_ef_manufacturing_kg_per_tj",
                "n2o_ef_manufacturing_kg_per_tj",
            ),
        ] {
            let sector_ok = sector == Sector::EnergyIndustries || manufacturing_verified;
            if let Some(v) = dec(&r, ch4_col) {
                let st = if sector_ok {
                    Status::Verified
                } else {
                    Status::Unverified
                };
                sector_factors.push(SectorFactor {
                    sector,
                    gas: Gas::Ch4Fossil,
                    kg_per_tj: v,
                    status: st,
                });
            }
            if let Some(v) = dec(&r, n2o_col) {
                let st = if sector_ok && n2o_verified {
                    Status::Verified
                } else {
                    Status::Unverified
                };
                sector_factors.push(SectorFactor {
                    sector,
                    gas: Gas::N2o,
                    kg_per_tj: v,
                    status: st,
                });
            }
        }
        out.push(Fuel {
            id: get(&r, "fuel").to_string(),
            name: get(&r, "ipcc_name").to_string(),
            local_name: None,
            unit: "kg".to_string(),
            // TJ/Gg = MJ/kg
            ncv_mj_per_unit: ncv,
            carbon_content_kgc_per_gj: Some(cc),
            oxidation: dec(&r, "oxidation_factor_default"),
            co2_kg_per_tj: dec(&r, "co2_ef_kg_per_tj"),
            co2_status: Status::Verified,
            sector_factors,
            kgce_per_unit: None,
            published_kgco2_per_unit: None,
            provenance: Provenance {
                publisher: "IPCC".to_string(),
                document: "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 2 Energy".to_string(),
                table: "Ch.1 Tables 1.2 (NCV), 1.3 (carbon content), 1.4 (CO2); Ch.2 Tables 2.2 and 2.3 (CH4, N2O)".to_string(),
                url: Some("https://www.ipcc-nggip.iges.or.jp/public/2006gl/vol2.html".to_string()),
                licence: IPCC_LICENCE.to_string(),
                status: Status::Verified,
                status_note: status,
                boundary: Boundary::Combustion,
                gwp_basis: None,
                notes: format!("{} Transcription: {}", get(&r, "notes"), get(&r, "source")),
            },
        });
    }
    out
}

fn china_id(en: &str) -> Option<&'static str> {
    Some(match en {
        "raw coal" => "cn_raw_coal",
        "washed (cleaned) coal" => "cn_washed_coal",
        "coke" => "cn_coke",
        "crude oil" => "cn_crude_oil",
        "fuel oil" => "cn_fuel_oil",
        "gasoline" => "cn_gasoline",
        "kerosene" => "cn_kerosene",
        "diesel" => "cn_diesel",
        "LPG" => "cn_lpg",
        "refinery dry gas" => "cn_refinery_dry_gas",
        "natural gas (gas-field)" => "cn_natural_gas_gas_field",
        e if e.starts_with("natural gas (oil-field)") => "cn_natural_gas",
        "electricity, calorific-equivalent value" => "cn_electricity_calorific",
        "heat" => "cn_heat",
        _ => return None,
    })
}

/// The Chinese fuels (GB/T 2589-2020 and NDRC parameters). CO2 parameters only where the
/// table has carbon content and oxidation from its source (not "by analogy"); kgce only
/// where its status verifies it. A row with a range (coke oven gas) is not a fuel record.
pub fn china_fuels() -> Vec<Fuel> {
    let mut out = Vec::new();
    for r in rows(CHINA_CSV) {
        let Some(id) = china_id(get(&r, "fuel_en")) else {
            continue;
        };
        let Some(ncv_kj) = dec(&r, "ncv_kj_per_unit") else {
            continue;
        };
        let status = get(&r, "status").to_string();
        let lower = status.to_ascii_lowercase();
        let kgce_ok = !lower.contains("unverified") && (lower.contains("verified"));
        let co2_ok = lower.starts_with("verified");
        let unit = match get(&r, "unit") {
            "m3" => "Nm3",
            u => u,
        }
        .to_string();
        out.push(Fuel {
            id: id.to_string(),
            name: get(&r, "fuel_en").to_string(),
            local_name: Some(get(&r, "fuel_cn").to_string()),
            unit,
            ncv_mj_per_unit: ncv_kj / Decimal::ONE_THOUSAND,
            carbon_content_kgc_per_gj: if co2_ok { dec(&r, "carbon_content_tc_per_tj") } else { None },
            oxidation: if co2_ok { dec(&r, "oxidation_rate") } else { None },
            co2_kg_per_tj: None,
            co2_status: if co2_ok { Status::Verified } else { Status::Unverified },
            sector_factors: Vec::new(),
            kgce_per_unit: if kgce_ok { dec(&r, "kgce_per_unit") } else { None },
            published_kgco2_per_unit: dec(&r, "kgco2_per_unit_as_published"),
            provenance: Provenance {
                publisher: "SAMR/SAC (GB/T 2589-2020); NDRC".to_string(),
                document: "GB/T 2589-2020 General principles for calculation of the comprehensive energy consumption (NCV, kgce); NDRC Guidelines for provincial GHG inventories (2011) and enterprise GHG accounting guidelines (2013-2015) (carbon content, oxidation)".to_string(),
                table: "GB/T 2589-2020 Annex A; NDRC guideline default parameter tables".to_string(),
                url: None,
                licence: CN_GOV_LICENCE.to_string(),
                status: if co2_ok || kgce_ok { Status::Verified } else { Status::Unverified },
                status_note: status,
                boundary: Boundary::Combustion,
                gwp_basis: None,
                notes: format!(
                    "China's enterprise guidelines account CO2 only from fuel combustion. kgce coefficients are the published nominal values (kcal/7000). Reproduced from: {}",
                    get(&r, "source")
                ),
            },
        });
    }
    out
}

fn grid_activity(factor_type: &str, region: &str) -> Option<&'static str> {
    let t = factor_type.to_ascii_lowercase();
    let reg = region.to_ascii_lowercase();
    Some(if t.contains("excluding market-traded") {
        "electricity.residual_mix"
    } else if t.starts_with("fossil-fuel electricity") {
        "electricity.fossil_average"
    } else if t.contains("regulatory default") {
        "electricity.ets_default"
    } else if t.contains("life-cycle") {
        if reg.contains("wind") {
            "electricity.carbon_footprint.wind"
        } else if reg.contains("pv") {
            "electricity.carbon_footprint.pv"
        } else if reg.contains("biomass") {
            "electricity.carbon_footprint.biomass"
        } else {
            "electricity.carbon_footprint"
        }
    } else if t.contains("average") || t.contains("intensity") || t.contains("co2 per kwh") {
        "electricity.grid_average"
    } else {
        return None;
    })
}

/// The grid factors. Rows whose source is IEA-based statistics are left out (licence).
pub fn grid_factors() -> Vec<EmissionFactor> {
    let mut out = Vec::new();
    for r in rows(GRID_CSV) {
        let source = get(&r, "source");
        if source.contains("IEA") {
            continue;
        }
        let region = get(&r, "region");
        let Some(geo) = geography::from_grid_csv(region, get(&r, "country")) else {
            continue;
        };
        let Some(activity) = grid_activity(get(&r, "factor_type"), region) else {
            continue;
        };
        let Ok(year) = get(&r, "data_year").parse::<i32>() else {
            continue;
        };
        let Some(value) = dec(&r, "factor") else {
            continue;
        };
        let unit_text = get(&r, "unit");
        // tCO2/MWh = kgCO2/kWh
        let per_kwh = value;
        let is_co2e = unit_text.contains("CO2e");
        let mut gases = GasVector::new();
        if !is_co2e {
            gases.add(Gas::Co2, per_kwh);
        }
        let status_text = get(&r, "status").to_string();
        let boundary = if activity.starts_with("electricity.carbon_footprint") {
            Boundary::LifeCycle
        } else {
            Boundary::Generation
        };
        let publisher = if geo == "EU" {
            "European Environment Agency"
        } else {
            "MEE & NBS (China)"
        };
        let notes = [get(&r, "notes"), get(&r, "scope_basis")]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        out.push(EmissionFactor {
            id: format!("{activity}:{geo}:{year}"),
            activity: activity.to_string(),
            geography: geo.to_string(),
            year,
            unit: "kWh".to_string(),
            price_year: None,
            gases,
            co2e: if is_co2e { Some(per_kwh) } else { None },
            provenance: Provenance {
                publisher: publisher.to_string(),
                document: source.to_string(),
                table: format!("{region}, {} {}", get(&r, "factor_type"), unit_text),
                url: None,
                licence: if geo == "EU" {
                    "EEA: reuse with attribution".to_string()
                } else {
                    CN_GOV_LICENCE.to_string()
                },
                status: status_of(&status_text),
                status_note: status_text,
                boundary,
                gwp_basis: None,
                notes,
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn ipcc_co2_factor_is_carbon_content_times_44_over_12() {
        // IPCC 2006 Vol.2 Table 1.4 CO2 factors are carbon content (Table 1.3) × 44/12,
        // rounded to three significant figures.
        let fuels = ipcc_fuels();
        assert!(fuels.len() >= 13);
        for f in fuels {
            let cc = f.carbon_content_kgc_per_gj.unwrap();
            let computed = cc * dec!(44) / dec!(12) * dec!(1000); // kg/TJ
            let table = f.co2_kg_per_tj.unwrap();
            assert_eq!(
                computed.round_sf(3).unwrap(),
                table,
                "{}: {computed} vs {table}",
                f.id
            );
        }
    }

    #[test]
    fn china_rows() {
        let f = china_fuels();
        let coal = f.iter().find(|f| f.id == "cn_raw_coal").unwrap();
        assert_eq!(coal.ncv_mj_per_unit, dec!(20.908));
        assert_eq!(coal.kgce_per_unit, Some(dec!(0.7143)));
        let gas_field = f
            .iter()
            .find(|f| f.id == "cn_natural_gas_gas_field")
            .unwrap();
        assert_eq!(
            gas_field.carbon_content_kgc_per_gj, None,
            "carbon content by analogy is not a default"
        );
        let heat = f.iter().find(|f| f.id == "cn_heat").unwrap();
        assert_eq!(
            heat.kgce_per_unit, None,
            "unverified coefficient is not a default"
        );
        let ng = f.iter().find(|f| f.id == "cn_natural_gas").unwrap();
        assert_eq!(ng.unit, "Nm3");
    }

    #[test]
    fn grid_rows_are_sourced_and_iea_rows_left_out() {
        let g = grid_factors();
        assert!(g.iter().all(|f| !f.provenance.document.contains("IEA")));
        assert!(g
            .iter()
            .any(|f| f.id == "electricity.grid_average:CN:2022"
                && f.gases.get(Gas::Co2) == dec!(0.5366)));
        assert!(g
            .iter()
            .any(|f| f.id == "electricity.residual_mix:CN:2023"
                && f.gases.get(Gas::Co2) == dec!(0.6096)));
        assert!(g
            .iter()
            .any(|f| f.id == "electricity.grid_average:CN-HE:2022"));
        let eu = g.iter().find(|f| f.geography == "EU").unwrap();
        assert_eq!(eu.co2e, Some(dec!(0.281)));
        let ets = g
            .iter()
            .find(|f| f.activity == "electricity.ets_default")
            .unwrap();
        assert_eq!(ets.provenance.status, Status::Unverified);
    }

    #[test]
    fn unverified_rows_only_on_request() {
        assert!(FactorRegistry::bundled()
            .lookup("electricity.ets_default", "CN", 2022)
            .is_err());
        assert!(FactorRegistry::bundled_with_unverified()
            .lookup("electricity.ets_default", "CN", 2022)
            .is_ok());
    }
}
