#!/usr/bin/env bash
# Every test suite of tanso: Rust, Python, JS/WASM, Kotlin. Installs what each needs from the
# package registries (rustup target, wasm-bindgen-cli, maturin, npm packages, Maven plugins).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
for suite in scripts/test-rust.sh bindings-python/test.sh bindings-wasm/test.sh bindings-kotlin/test.sh; do
  echo "=== $suite"
  t0=$(date +%s)
  bash "$suite"
  echo "=== $suite passed in $(( $(date +%s) - t0 )) s"
done
echo "all suites passed in $(( $(date +%s) - start )) s"
