#!/usr/bin/env python3
"""tanso's LCA engine against Brightway's bw2calc 3.1 on the same synthetic system, in one run.

Steps (each prints what it does):
  1. dump the synthetic system with ``bench_bw2calc.py`` (shared/tools; numpy + scipy only);
  2. time tanso (Rust, one core) on the dump: ``cargo run --release -p tanso-benches --bin lca_bench``;
  3. time tanso's WASM build under Node on the same dump (``benches/wasm_lca.mjs``; skipped
     with ``--skip-wasm`` or when the package is not built);
  4. time bw2calc 3.1 on the same problem (``bench_bw2calc.py``, SciPy SuperLU, its own
     ``IterativeLCA`` Monte Carlo and ``FastScoresOnlyMultiLCA`` adjoint scores too);
  5. print the table with the ratios and write everything to ``--out`` (JSON).

The Brightway side runs in its own virtual environment (``--bw-venv``, created with the
pinned versions below when missing). Both engines run on the same machine in the same run,
so the ratios hold even when the machine is noisy; single-threaded on both sides
(``OMP_NUM_THREADS=1``; tanso's Monte Carlo with ``threads: 1``).

    python3 benches/lca_compare.py --n 20000 --seed 1 --mc-iters 20
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BW_PINS = ["numpy==2.4.6", "scipy==1.17.1", "bw2calc==3.1.0", "bw_processing==1.6",
           "matrix_utils==0.9", "stats_arrays==4.0"]


SCIPY_ADJOINT = r"""
import json, sys, time
import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve
d = np.load(sys.argv[1] + ".npz"); meta = json.load(open(sys.argv[1] + ".json"))
n, nb = meta["n_technosphere"], meta["n_biosphere"]
A = sparse.csr_matrix((d["tech_vals"], (d["tech_rows"], d["tech_cols"])), shape=(n, n))
B = sparse.csr_matrix((d["bio_vals"], (d["bio_rows"], d["bio_cols"])), shape=(nb, n))
c = np.zeros(nb); c[d["cf_rows"]] = d["cf_vals"]
times = []
for _ in range(3):
    t0 = time.perf_counter(); y = spsolve(A.T.tocsc(), B.T @ c); times.append(time.perf_counter() - t0)
j = meta["reference_scores_scipy_spsolve"][0]
print(json.dumps({"s": sorted(times)[1], "rel_err": abs(y[j["demand_index"]] - j["score"]) / abs(j["score"])}))
"""


def run(cmd, env=None, cwd=ROOT):
    print("$", " ".join(str(c) for c in cmd), flush=True)
    out = subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return out.stdout


def last_json(text):
    """The JSON object printed last (tools print logs before it)."""
    start = text.find("{")
    return json.loads(text[start:])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mc-iters", type=int, default=20)
    ap.add_argument("--tool", default=str(ROOT.parent / "shared" / "tools" / "bench_bw2calc.py"),
                    help="path of bench_bw2calc.py")
    ap.add_argument("--bw-venv", default=str(ROOT / "target" / "venv-bw"))
    ap.add_argument("--work", default=str(ROOT / "target" / "lca-bench"))
    ap.add_argument("--skip-wasm", action="store_true")
    ap.add_argument("--skip-bw", action="store_true")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    tool = pathlib.Path(args.tool)
    if not tool.exists():
        sys.exit(f"bench_bw2calc.py not found at {tool}; pass --tool")
    venv = pathlib.Path(args.bw_venv)
    py = venv / "bin" / "python"
    if not py.exists():
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(py), "-m", "pip", "install", "-q", *BW_PINS])
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")

    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    dump = work / f"synthetic_n{args.n}_seed{args.seed}"
    if not dump.with_suffix(".npz").exists():
        run([str(py), str(tool), "--n", str(args.n), "--seed", str(args.seed), "--dump-only", "--dump", str(dump)], env)

    results = {"n": args.n, "seed": args.seed}
    run(["cargo", "build", "--release", "-q", "-p", "tanso-benches", "--bin", "lca_bench"])
    results["tanso"] = last_json(run([str(ROOT / "target" / "release" / "lca_bench"), str(dump), str(args.mc_iters)], env))

    wasm_script = ROOT / "benches" / "wasm_lca.mjs"
    if not args.skip_wasm and (ROOT / "bindings-wasm" / "pkg").exists():
        results["tanso_wasm"] = last_json(run(["node", str(wasm_script), str(dump), str(args.mc_iters)], env))

    if not args.skip_bw:
        bw_json = work / "bw2calc.json"
        run([str(py), str(tool), "--n", str(args.n), "--seed", str(args.seed), "--solver", "scipy",
             "--mc-iters", str(args.mc_iters), "--iterative-mc", "--all-products", "--json-out", str(bw_json)], env)
        results["bw2calc"] = json.loads(bw_json.read_text())
        if "s" not in results["bw2calc"].get("all_product_scores_adjoint", {}):
            # bw2calc's FastScoresOnlyMultiLCA needs PARDISO or UMFPACK (native libraries); time
            # the same adjoint solve, A^T y = B^T c, with SciPy's SuperLU instead
            results["scipy_adjoint"] = last_json(run([str(py), "-c", SCIPY_ADJOINT, str(dump)], env))

    print_table(results)
    out = pathlib.Path(args.out) if args.out else work / "compare.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nall figures: {out}")


def print_table(r):
    t = r["tanso"]
    w = r.get("tanso_wasm", {})
    bw = r.get("bw2calc", {})
    mc = {m.get("class"): m for m in bw.get("monte_carlo", [])}

    def bw_get(*path):
        v = bw
        for p in path:
            v = v.get(p) if isinstance(v, dict) else None
        return v

    rows = [
        ("first score, matrices in memory", bw_get("first_lci_lcia", "median_total_s"), t["first_score_s"], w.get("first_score_s"), "s"),
        ("new demand, same matrix", bw_get("resolve_new_demand", "median_s"), t["new_demand_s"], w.get("new_demand_s"), "s"),
        ("scores of all products, one category" + ("" if bw_get("all_product_scores_adjoint", "s") else " (SciPy SuperLU adjoint: bw2calc's needs PARDISO/UMFPACK)"),
         bw_get("all_product_scores_adjoint", "s") or r.get("scipy_adjoint", {}).get("s"), t["all_products_one_category_s"], w.get("all_products_one_category_s"), "s"),
        ("Monte Carlo (lognormal on all of A and B)", (mc.get("LCA") or {}).get("iter_per_s"), t["mc_iterations_per_s"], w.get("mc_iterations_per_s"), "it/s"),
        ("Monte Carlo, bw2calc IterativeLCA", (mc.get("IterativeLCA") or {}).get("iter_per_s"), t["mc_iterations_per_s"], None, "it/s"),
        ("sampling + matrix update per iteration", None, t["sampling_and_update_s"], None, "s"),
        ("peak memory, system + factors", None, t["peak_memory_mb"], None, "MB"),
    ]
    print(f"\nn = {r['n']}, seed {r['seed']}; tanso loop blocks {t['loop_blocks']}; "
          f"tanso vs SciPy reference scores: max rel. error {t['reference_max_rel_err']:.1e}")
    print("| operation | bw2calc 3.1 | tanso (Rust) | tanso (WASM, Node) | tanso faster by |")
    print("|---|---|---|---|---|")
    for name, b, tv, wv, unit in rows:
        def f(v):
            if v is None:
                return "—"
            return f"{v * 1000:.1f} ms" if unit == "s" and v < 1 else (f"{v:.2f} s" if unit == "s" else f"{v:.1f} {unit}")
        ratio = "—"
        if b and tv:
            ratio = f"{(tv / b) if unit == 'it/s' else (b / tv):.1f}×"
        print(f"| {name} | {f(b)} | {f(tv)} | {f(wv)} | {ratio} |")


if __name__ == "__main__":
    main()
