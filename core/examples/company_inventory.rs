//! The main job: the inventory of an example company (two sites in Zhejiang and Hebei) on
//! tanso's bundled data, printed as tables with totals by scope, Scope 3 category, ISO 14064-1
//! category and gas, and the provenance of every factor used.
//!
//! Run: `cargo run --release -p tanso --example company_inventory [path/to/inventory.json]`
//! Without a path it uses the embedded `company_inventory.json` beside this file.
#![allow(clippy::print_stdout)]

use std::process::ExitCode;

use rust_decimal::{Decimal, RoundingStrategy};
use tanso::accounting::{inventory, Inventory, InventoryInput};

const EMBEDDED: &str = include_str!("company_inventory.json");

/// kg → t, rounded half away from zero to `dp` decimals, with thousands separators.
fn t(kg: Decimal, dp: u32) -> String {
    let v = (kg / Decimal::ONE_THOUSAND)
        .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    group(v, dp)
}

fn group(v: Decimal, dp: u32) -> String {
    let s = format!("{:.*}", dp as usize, v);
    let (int, frac) = s
        .split_once('.')
        .map(|(a, b)| (a.to_string(), format!(".{b}")))
        .unwrap_or((s.clone(), String::new()));
    let neg = int.starts_with('-');
    let digits: Vec<char> = int.trim_start_matches('-').chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(*c);
    }
    format!("{}{out}{frac}", if neg { "-" } else { "" })
}

fn print(inv: &Inventory) {
    let tt = &inv.totals;
    println!("tanso — greenhouse gas inventory");
    println!("{}", inv.organisation);
    println!(
        "reporting year {}, GWP set {} (GWP100), consolidation {:?}; figures in t CO2e, rounded half away from zero to 0.1 t from exact decimal kg\n",
        inv.reporting_year, inv.gwp_set, inv.consolidation
    );
    println!("{:<44}{:>16}", "Totals", "t CO2e");
    for (name, v) in [
        ("Scope 1", tt.scope_1_co2e_kg),
        ("Scope 2, location-based", tt.scope_2_location_co2e_kg),
        ("Scope 2, market-based", tt.scope_2_market_co2e_kg),
        ("Scope 3", tt.scope_3_co2e_kg),
        ("Total (Scope 2 location-based)", tt.total_co2e_kg),
        (
            "Total (Scope 2 market-based)",
            tt.total_market_based_co2e_kg,
        ),
        ("Biogenic CO2 (reported apart)", tt.biogenic_co2_kg),
        (
            "Avoided by scrap use (apart, not netted)",
            tt.avoided_co2e_kg,
        ),
    ] {
        println!("  {:<42}{:>16}", name, t(v, 1));
    }
    println!(
        "  {:<42}{:>16}",
        "Energy consumed, tce (GB/T 2589-2020)",
        group(tt.energy_tce.round_dp(1), 1)
    );
    println!("\n{:<44}{:>16}", "Scope 3 by category", "t CO2e");
    for (c, v) in &tt.scope_3_by_category {
        let name = match c {
            1 => "1 purchased goods and services",
            4 => "4 upstream transportation",
            9 => "9 downstream transportation",
            _ => "other",
        };
        println!("  {:<42}{:>16}", name, t(*v, 1));
    }
    println!("\n{:<44}{:>16}", "ISO 14064-1:2018 categories", "t CO2e");
    for (c, v) in &tt.iso_14064_by_category {
        let name = match c {
            1 => "1 direct",
            2 => "2 imported energy (location-based)",
            3 => "3 transportation",
            4 => "4 products used by the organisation",
            5 => "5 use of the organisation's products",
            _ => "6 other",
        };
        println!("  {:<42}{:>16}", name, t(*v, 1));
    }
    println!("\n{:<20}{:>16}{:>16}", "By gas", "t gas", "t CO2e");
    for (g, kg) in &tt.by_gas_kg.0 {
        let co2e = tt.by_gas_co2e_kg.get(g.id()).copied().unwrap_or_default();
        println!("  {:<18}{:>16}{:>16}", g.id(), t(*kg, 4), t(co2e, 1));
    }
    if let Some(v) = tt.by_gas_co2e_kg.get("CO2e") {
        println!("  {:<18}{:>16}{:>16}", "CO2e factors", "-", t(*v, 1));
    }
    println!(
        "\n{:<8}{:<10}{:<6}{:>14}{:>14}  {}",
        "Record", "Site", "Scope", "t CO2e", "market t", "activity"
    );
    for r in &inv.records {
        let scope = match (r.scope, r.scope3_category) {
            (0, _) => "apart".to_string(),
            (3, Some(c)) => format!("3.{c}"),
            (s, _) => s.to_string(),
        };
        let market = r
            .market_based
            .as_ref()
            .map(|m| t(m.co2e_kg, 1))
            .unwrap_or_default();
        println!(
            "{:<8}{:<10}{:<6}{:>14}{:>14}  {}",
            r.id,
            r.site.clone().unwrap_or_default(),
            scope,
            t(r.co2e_kg, 1),
            market,
            r.type_name
        );
    }
    if let Some(b) = &inv.base_year {
        println!(
            "\nBase year {}: {} t CO2e (its records as given); change {} t CO2e ({}%)",
            b.year,
            t(b.totals.total_co2e_kg, 1),
            t(b.change_co2e_kg, 1),
            b.change_percent
                .map(|p| p.to_string())
                .unwrap_or_else(|| "n/a".into())
        );
    }
    println!("\nProvenance of the factors used");
    for (id, p) in &inv.factors_used {
        println!(
            "  {id}\n    {} — {}\n    {} | status {:?} | licence: {}",
            p.publisher, p.document, p.table, p.status, p.licence
        );
    }
    let warnings: Vec<(&str, &String)> = inv
        .records
        .iter()
        .flat_map(|r| r.warnings.iter().map(move |w| (r.id.as_str(), w)))
        .collect();
    if !warnings.is_empty() {
        println!("\nWarnings");
        for (id, w) in warnings {
            println!("  {id}: {w}");
        }
    }
    println!("\nHow one record was computed (T-01):");
    if let Some(r) = inv.records.iter().find(|r| r.id == "T-01") {
        for s in &r.trail {
            println!("  - {}", s.step);
        }
    }
}

fn main() -> ExitCode {
    let text = match std::env::args().nth(1) {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => EMBEDDED.to_string(),
    };
    let input: InventoryInput = match serde_json::from_str(&text) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("INVALID_INPUT: {e}");
            return ExitCode::FAILURE;
        }
    };
    match inventory(&input) {
        Ok(inv) => {
            print(&inv);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}
