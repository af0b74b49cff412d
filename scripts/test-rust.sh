#!/usr/bin/env bash
# Rust: the core's unit, property, vector and doc tests; the benches compile; the main job runs.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked -p tanso
cargo build --locked -p tanso-benches --benches
cargo run --locked -q --release -p tanso --example company_inventory > /dev/null
echo "rust: main job ran"
