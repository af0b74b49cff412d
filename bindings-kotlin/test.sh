#!/usr/bin/env bash
# Builds the Kotlin/JVM binding of tanso and runs its JUnit suite.
#   1. cargo builds libtanso_kotlin.so and the uniffi-bindgen of the same uniffi version, and
#      runs the crate's Rust unit tests;
#   2. uniffi-bindgen generates the Kotlin glue (library mode) into target/generated-sources;
#   3. Maven compiles the generated and hand-written Kotlin and runs JUnit 5 with Surefire.
# Needs cargo, a JDK 17+ and Maven (installed with apt-get when missing and run as root).
# Maven downloads its pinned plugins and libraries from Maven Central on the first run.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"

need_apt=()
command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
if ((${#need_apt[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "test.sh: installing ${need_apt[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    else
        echo "test.sh: missing ${need_apt[*]}; install a JDK 17+ and Maven" >&2
        exit 1
    fi
fi
command -v cargo >/dev/null 2>&1 || { echo "test.sh: cargo not found (install rustup)" >&2; exit 1; }

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
[[ "$TARGET_DIR" = /* ]] || TARGET_DIR="$ROOT/$TARGET_DIR"
LIB="$TARGET_DIR/release/libtanso_kotlin.so"

echo "== cargo build --release -p tanso-kotlin"
cargo build --release -p tanso-kotlin --lib --bin uniffi-bindgen

echo "== cargo test --release -p tanso-kotlin --lib (error mapping, operation list)"
cargo test --release -p tanso-kotlin --lib

echo "== uniffi-bindgen generate (Kotlin, library mode)"
GEN="$HERE/target/generated-sources/uniffi"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$TARGET_DIR/release/uniffi-bindgen" generate --library "$LIB" --language kotlin --no-format --out-dir "$TMP" >/dev/null
# Replace the generated sources only when they changed.
if ! diff -rq "$TMP" "$GEN" >/dev/null 2>&1; then
    rm -rf "$GEN"
    mkdir -p "$(dirname "$GEN")"
    cp -r "$TMP" "$GEN"
fi

echo "== mvn test"
LOG="$HERE/target/mvn-test.log"
mvn_args=(-B -ntp test -Dtanso.native.dir="$TARGET_DIR/release")
# The Kotlin compile daemon makes a warm local run ~20 s faster but outlives the build;
# in CI (CI=true) compile in-process so that nothing is left running.
if [[ -n "${CI:-}" && "${CI}" != "false" ]]; then
    mvn_args+=(-Dkotlin.compiler.daemon=false)
fi
set +e
(cd "$HERE" && mvn "${mvn_args[@]}") >"$LOG" 2>&1
rc=$?
set -e
if ((rc != 0)); then
    cat "$LOG"
    echo "test.sh: mvn test failed (exit $rc); full log in $LOG" >&2
    exit "$rc"
fi
# Surefire's per-class lines and its closing summary ("Tests run: N, Failures: 0, …").
sed -n -e 's/^\[[A-Z]*\] //' -e '/Tests run:\|^Results:\|BUILD/p' "$LOG"
