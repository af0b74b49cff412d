//! Shared inputs of tanso's benchmarks.

use rust_decimal::Decimal;
use tanso::accounting::batch::Kind;

/// A ledger of `n` mixed activity rows — fuels, electricity in several provinces, freight and
/// spend — as columns, the shape an ERP export has. Deterministic (no randomness).
pub fn mixed_ledger(n: usize) -> (Vec<Result<Kind, tanso::TansoError>>, Vec<String>, Vec<Decimal>, Vec<String>) {
    let rows: [(Kind, &str, &str); 8] = [
        (Kind::Fuel, "cn_raw_coal", "t"),
        (Kind::Fuel, "diesel", "kg"),
        (Kind::Fuel, "cn_natural_gas", "Nm3"),
        (Kind::Electricity, "CN-ZJ", "kWh"),
        (Kind::Electricity, "CN-GD", "MWh"),
        (Kind::Electricity, "Hebei", "kWh"),
        (Kind::Freight, "freight.road", "tkm"),
        (Kind::Spend, "spend.machinery", "USD"),
    ];
    let mut kinds = Vec::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    let mut amounts = Vec::with_capacity(n);
    let mut units = Vec::with_capacity(n);
    for i in 0..n {
        let (k, key, unit) = rows[i % rows.len()];
        kinds.push(Ok(k));
        keys.push(key.to_string());
        amounts.push(Decimal::new((i as i64 % 997) * 1013 + 17, 2));
        units.push(unit.to_string());
    }
    (kinds, keys, amounts, units)
}

/// The bundled registry plus illustrative freight and spend factors for the benchmark.
pub fn registry() -> tanso::factors::FactorRegistry {
    let mut reg = tanso::factors::FactorRegistry::bundled();
    let table = "activity,geography,year,unit,price_year,CO2,co2e,gwp_basis,publisher,status\n\
                 freight.road,GLO,2023,tkm,,0.08,,,benchmark,unverified\n\
                 spend.machinery,GLO,2020,USD,2020,,0.5,AR6,benchmark,unverified\n";
    // The table is a constant; a failure here is a bug in the benchmark itself.
    if let Err(e) = reg.load_table("bench", tanso::factors::TableFormat::Csv, table) {
        panic!("benchmark table: {e}");
    }
    reg
}

/// The median of timings (the upper middle one for an even count); `v` must not be empty.
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The process's peak resident memory in MB (`VmHWM` of `/proc/self/status`; Linux only).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
