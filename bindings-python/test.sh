#!/usr/bin/env bash
# Builds the Python binding and runs its test suite. Runnable from any directory, no stdin.
#   1. a virtualenv at bindings-python/.venv (made once; remade if its Python is gone),
#   2. the exact tools of requirements-test.txt (skipped when already installed),
#   3. `maturin build --release` → a wheel, installed into the venv (what users get),
#   4. pytest on tests/ (all shared vectors, errors, API coverage, numbers, stubs).
# Needs: python3 (>= 3.11 for the pinned numpy/pandas) with venv, and cargo.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
REQ="$HERE/requirements-test.txt"
PYTHON="${PYTHON:-python3}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

if ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    rm -rf "$VENV"
    if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
        # Debian's python3 ships venv separately.
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "test.sh: installing python3-venv" >&2
            rm -rf "$VENV"
            DEBIAN_FRONTEND=noninteractive apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            "$PYTHON" -m venv "$VENV"
        else
            echo "test.sh: '$PYTHON -m venv' failed; install python3-venv" >&2
            exit 1
        fi
    fi
fi

STAMP="$VENV/.requirements-test.sha256"
WANT="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    echo "test.sh: installing $(basename "$REQ") into $VENV" >&2
    "$VENV/bin/python" -m pip install -q -r "$REQ"
    echo "$WANT" > "$STAMP"
fi

cd "$HERE"
rm -rf "$HERE/dist"
echo "test.sh: building the wheel (maturin build --release)" >&2
VIRTUAL_ENV="$VENV" "$VENV/bin/maturin" build --release --quiet --interpreter "$VENV/bin/python" --out "$HERE/dist"
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$HERE"/dist/tanso-*.whl

# Run from tests/ so that `tanso` is the installed wheel, not the source tree.
cd "$HERE/tests"
exec "$VENV/bin/python" -m pytest -c "$HERE/pyproject.toml" --rootdir "$HERE" -p no:cacheprovider "$HERE/tests"
