//! One million mixed activity records through the batch API, one core.
//! Target (issue 3): at least 2 million records per second in Rust.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tanso::accounting::batch::run_columns;
use tanso::ghg::GwpSet;

fn batch(c: &mut Criterion) {
    let reg = tanso_benches::registry();
    let n = 1_000_000;
    let (kinds, keys, amounts, units) = tanso_benches::mixed_ledger(n);
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(10);
    g.bench_function("1M mixed records", |b| {
        b.iter(|| {
            let out = run_columns(&reg, GwpSet::Ar6, 2023, &kinds, &keys, &amounts, &units);
            assert!(out.errors.is_empty(), "{:?}", out.errors.first());
            out.total_co2e_kg
        })
    });
    g.finish();
}

criterion_group!(benches, batch);
criterion_main!(benches);
