#!/usr/bin/env python3
"""tanso's vehicle model against carculator (PSI) on the same grid of cars, in one run.

Steps (each prints what it does):
  1. time tanso (Rust, one core): ``cargo run --release -p tanso-benches --bin vehicle_bench``
     — single evaluations per second, and the whole grid (8 sizes × 6 powertrains × 31 years
     × 2 regions) in one ``vehicle_grid`` call;
  2. time tanso's WASM build under Node (``benches/wasm_vehicle.mjs``; skipped with
     ``--skip-wasm`` or when the package is not built);
  3. time carculator 1.9.5 on its own grid (9 sizes × 9 powertrains × 6 years, one region):
     ``CarModel(...).set_all()`` then ``InventoryCar(...).calculate_impacts()``, and print
     its climate-change g CO2e/km of the medium petrol car and BEV by stage for the record;
  4. print the table with vehicles per second on both sides and the ratio; write everything
     to ``--out`` (JSON).

carculator runs in its own virtual environment (``--venv``, created with the pinned version
below when missing). Both run on the same machine in the same run; single-threaded on both
sides (``OMP_NUM_THREADS=1``). The two models differ in scope (carculator computes a full
ecoinvent-based inventory per car, tanso a material-factor model), so the ratio is the speed of
answering the same question — production and lifecycle g/km for every car in a grid — not of
identical arithmetic.

    python3 benches/vehicle_compare.py
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CARCULATOR_PINS = ["carculator==1.9.5"]

CARCULATOR_RUN = r"""
import contextlib, io, json, time, warnings
warnings.filterwarnings("ignore")
from carculator import CarInputParameters, fill_xarray_from_input_parameters, CarModel, InventoryCar
with contextlib.redirect_stdout(io.StringIO()):
    t0 = time.perf_counter()
    cip = CarInputParameters(); cip.static()
    _, array = fill_xarray_from_input_parameters(cip)
    cm = CarModel(array, cycle="WLTC"); cm.set_all()
    t1 = time.perf_counter()
    res = InventoryCar(cm, method="recipe", indicator="midpoint").calculate_impacts()
    t2 = time.perf_counter()
cc = res.sel(impact_category="climate change", value=0)
cars = int(cc.sizes["size"] * cc.sizes["powertrain"] * cc.sizes["year"])
medium = {}
for p in ["ICEV-p", "BEV"]:
    for y in [2020, 2030]:
        v = cc.sel(size="Medium", powertrain=p, year=y)
        medium[f"{p} {y}"] = {str(k): round(float(x) * 1000, 1) for k, x in zip(v.coords["impact"].values, v.values)}
print(json.dumps({"cars": cars, "model_s": t1 - t0, "impacts_s": t2 - t1, "medium_g_per_km": medium}))
"""


def run(cmd, env=None, cwd=ROOT):
    print("$", " ".join(str(c) for c in cmd), flush=True)
    out = subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return out.stdout


def last_json(text):
    """The JSON object printed last (tools print logs before it)."""
    return json.loads(text[text.rfind("\n{") + 1:] if "\n{" in text else text[text.find("{"):])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--venv", default=str(ROOT / "target" / "venv-carculator"))
    ap.add_argument("--skip-wasm", action="store_true")
    ap.add_argument("--skip-carculator", action="store_true")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")

    results = {}
    results["tanso_rust"] = last_json(run(["cargo", "run", "--quiet", "--release", "-p", "tanso-benches", "--bin", "vehicle_bench"], env=env))
    print(json.dumps(results["tanso_rust"], indent=1))

    pkg = ROOT / "bindings-wasm" / "pkg" / "tanso_wasm_bg.wasm"
    if not args.skip_wasm and pkg.exists():
        results["tanso_wasm"] = last_json(run(["node", str(ROOT / "benches" / "wasm_vehicle.mjs")], env=env))
        print(json.dumps(results["tanso_wasm"], indent=1))
    elif not args.skip_wasm:
        print(f"no WASM package at {pkg}: run `bash bindings-wasm/build.sh` first (skipping)")

    if not args.skip_carculator:
        venv = pathlib.Path(args.venv)
        py = venv / "bin" / "python"
        if not py.exists():
            run([sys.executable, "-m", "venv", str(venv)])
            run([str(py), "-m", "pip", "install", "--quiet", *CARCULATOR_PINS])
        results["carculator"] = last_json(run([str(py), "-c", CARCULATOR_RUN], env=env))
        print(json.dumps(results["carculator"], indent=1))

    rust = results["tanso_rust"]
    rows = [("tanso Rust, single evaluations", rust["single_per_s"]),
            (f"tanso Rust, grid call ({rust['grid_rows']} cars)", rust["grid_rows"] / rust["grid_s"])]
    if "tanso_wasm" in results:
        w = results["tanso_wasm"]
        rows += [("tanso WASM (Node), single evaluations", w["single_per_s"]),
                 (f"tanso WASM (Node), grid call ({w['grid_rows']} cars)", w["grid_rows"] / w["grid_s"])]
    if "carculator" in results:
        c = results["carculator"]
        rows.append((f"carculator 1.9.5, model + impacts ({c['cars']} cars)", c["cars"] / (c["model_s"] + c["impacts_s"])))
    print("\n| run | cars per second | vs carculator |\n|---|---:|---:|")
    base = rows[-1][1] if "carculator" in results else None
    for name, per_s in rows:
        ratio = f"{per_s / base:,.0f}×" if base else "–"
        print(f"| {name} | {per_s:,.0f} | {ratio} |")
    if args.out:
        pathlib.Path(args.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
