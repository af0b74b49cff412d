#!/usr/bin/env bash
# Builds the JS/WASM package: the .wasm (release) and its wasm-bindgen glue in
# bindings-wasm/pkg, then the npm dev dependencies. After it, `node` can import js/index.js and
# the calculator page web/vehicles/index.html can be served as static files:
#   bash bindings-wasm/build.sh && python3 -m http.server -d bindings-wasm 8000
#   # open http://127.0.0.1:8000/web/vehicles/
# Installs what it needs when missing (the wasm32 target, wasm-bindgen-cli at the exact
# version of the wasm-bindgen crate). Runs from any directory; exits non-zero on failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WASM_BINDGEN_VERSION="0.2.130" # must equal the `wasm-bindgen = "=…"` pin in Cargo.toml
NODE_MIN="20.16.0"             # process.getBuiltinModule, used for the synchronous init

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
if ! grep -q "\"=$WASM_BINDGEN_VERSION\"" "$HERE/Cargo.toml"; then
  echo "build.sh pins wasm-bindgen-cli $WASM_BINDGEN_VERSION but Cargo.toml pins another version" >&2
  exit 1
fi
node -e '
  const [need, have] = [process.argv[1], process.versions.node].map((v) => v.split(".").map(Number));
  const ok = have[0] !== need[0] ? have[0] > need[0] : have[1] !== need[1] ? have[1] > need[1] : have[2] >= need[2];
  if (!ok) { console.error(`node ${process.versions.node} is too old: need >= ${process.argv[1]}`); process.exit(1); }
' "$NODE_MIN"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  echo "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
echo "$(rustc --version); $(wasm-bindgen --version); node $(node --version); npm $(npm --version 2>/dev/null)"

step "build the .wasm"
cargo build --release --target wasm32-unknown-unknown -p tanso-wasm
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"

step "wasm-bindgen --target web -> bindings-wasm/pkg"
rm -rf "$HERE/pkg"
# --experimental-reset-state-function exports __wbg_reset_state, which the wrapper calls to
# replace the instance after a trap (a panic in core), so the next call starts clean.
wasm-bindgen --target web --experimental-reset-state-function \
  --out-dir "$HERE/pkg" "$TARGET_DIR/wasm32-unknown-unknown/release/tanso_wasm.wasm"
ls -l "$HERE/pkg"

step "npm ci"
cd "$HERE"
npm ci --no-audit --no-fund
