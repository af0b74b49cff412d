#!/usr/bin/env bash
# Builds the JS/WASM binding (build.sh) and runs its tests: the Rust unit tests of the binding crate,
# the TypeScript check of the declarations, then the Node test suite (the shared vectors,
# errors, API coverage, decimals, the package and the vehicle calculator page in headless
# Chromium), whose summary closes the output.
#
# Installs what it needs when missing (the wasm32 target, wasm-bindgen-cli at the exact
# version of the wasm-bindgen crate, the npm dev dependencies from package-lock.json, and
# Debian's chromium for the headless browser test).
# Runs from any directory, without input; exits non-zero on any failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

step() { printf '\n==> %s\n' "$*"; }

step "cargo test -p tanso-wasm (native unit tests)"
cd "$ROOT"
cargo test -p tanso-wasm --quiet

step "build (build.sh)"
bash "$HERE/build.sh"

step "chromium"
# Debian's Chromium for the browser test (tests/browser.test.mjs); the test is skipped only
# where it cannot be installed (not root, no apt).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser test"
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ||
      echo "could not install chromium: the browser test will be skipped"
  else
    echo "chromium missing and not installable here: the browser test will be skipped"
  fi
fi
command -v chromium >/dev/null 2>&1 && chromium --version 2>/dev/null || true
cd "$HERE"
status=0
step "tsc --strict over tests/usage.ts and js/index.d.ts"
if npx --no-install tsc -p tests/tsconfig.json; then echo "tsc: ok"; else echo "tsc: FAILED"; status=1; fi

step "node --test"
node --test --test-reporter=spec tests/*.test.mjs || status=1
exit "$status"
