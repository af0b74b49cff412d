#!/usr/bin/env python3
"""tanso's database importers against Brightway's readers on the same synthetic database, in one run.

Steps (each prints what it does):
  1. generate the synthetic system of ``bench_bw2calc.py`` (shared/tools;
     ``generate_problem(n, seed, waste_frac=0.0)``) and write it in three formats under
     ``--work``: a Brightway datapackage zip (bw_processing on an fsspec ``ZipFileSystem``,
     as bw2data 4 writes a processed database), a folder of EcoSpold2 ``.spold`` files (one
     per activity: the reference product, inputs with ``activityLinkId`` naming the provider,
     elementary exchanges with compartments) with the impact method as a JSON list of
     ``MethodSpec`` (EcoSpold2 carries none), and an openLCA JSON-LD zip (olca-schema 2);
     SciPy reference scores (``spsolve``) of a few unit demands;
  2. run tanso's ``import_bench`` (Rust, release, one core) on each format and check its
     scores against SciPy (relative error; above 1e-8 the run fails);
  3. time the peers on the same files, each in its own process: bw2io's EcoSpold2
     extraction (``Ecospold2DataExtractor.extract(dir, name, use_mp=False)``) on the
     ``.spold`` folder, and bw_processing ``load_datapackage(ZipFileSystem(...))`` with
     bw2calc 3.1 building its matrices (``load_lci_data``, ``load_lcia_data``) and solving
     (``lci``, ``lcia``) on the datapackage; openLCA's importer is Java (olca-modules) and
     has no pip-installable form, so the JSON-LD zip has no peer here;
  4. print a Markdown table and write everything to ``--out`` (JSON).

Waste is left out of the generated system (``waste_frac=0.0``): the three formats express
waste treatment in three different ways (a negative reference product and negative inputs
in EcoSpold2's cut-off convention, a waste input as quantitative reference and waste
outputs in openLCA, a flipped matrix row in a datapackage), so a waste row would test three
sign conventions at once rather than import speed; the importers' own tests cover waste.

The peers run in a virtual environment (``--venv``, created with the pinned versions below
when missing); this script re-runs itself there. Both sides run on the same machine in the
same run, single-threaded (``OMP_NUM_THREADS=1``; bw2io without multiprocessing).

    python3 benches/import_compare.py --n 20000 --seed 1
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time
import uuid
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PINS = ["numpy==2.4.6", "scipy==1.17.1", "bw_processing==1.6", "stats_arrays==4.0", "matrix_utils==0.9",
        "bw2calc==3.1.0", "bw2data==4.8", "bw2io==0.9.17"]
TOLERANCE = 1e-8
METHOD = ("Synthetic method", "climate change")
SPOLD_NS = "http://www.EcoInvent.org/EcoSpold02"
COMPARTMENTS = [("air", "unspecified"), ("air", "urban air close to ground"), ("water", "surface water"),
                ("soil", "agricultural"), ("natural resource", "in ground")]


def run(cmd, env=None, cwd=ROOT):
    print("$", " ".join(str(c) for c in cmd), flush=True)
    out = subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return out.stdout


def last_json(text):
    """The JSON object printed last (tools print logs before it)."""
    start = text.rfind("\n{")
    return json.loads(text[start + 1 if start >= 0 else text.find("{"):])


def uid(kind, k):
    """A deterministic UUID per entity (kind 1 activities, 2 products, 3 elementary flows)."""
    return str(uuid.UUID(int=(kind << 96) | (0x4000 << 64) | (0x8000 << 48) | k))


def dir_size(path):
    p = pathlib.Path(path)
    if p.is_file():
        return p.stat().st_size
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


# ----------------------------------------------------------------------------------------
# 1. the synthetic database in three formats

def columns(problem):
    """Per activity j: its inputs (product i, amount consumed > 0) and emissions (flow r, amount)."""
    import numpy as np

    n = problem["n"]
    off = ~problem["tech_is_diag"]
    rows, cols, vals = problem["tech_rows"][off], problem["tech_cols"][off], problem["tech_vals"][off]
    o = np.argsort(cols, kind="stable")
    rows, cols, vals = rows[o], cols[o], vals[o]
    bounds = np.searchsorted(cols, np.arange(n + 1))
    b_o = np.argsort(problem["bio_cols"], kind="stable")
    brows, bcols, bvals = problem["bio_rows"][b_o], problem["bio_cols"][b_o], problem["bio_vals"][b_o]
    b_bounds = np.searchsorted(bcols, np.arange(n + 1))
    rows_l, vals_l, brows_l, bvals_l = rows.tolist(), (-vals).tolist(), brows.tolist(), bvals.tolist()
    for j in range(n):
        yield (j, list(zip(rows_l[bounds[j]:bounds[j + 1]], vals_l[bounds[j]:bounds[j + 1]])),
               list(zip(brows_l[b_bounds[j]:b_bounds[j + 1]], bvals_l[b_bounds[j]:b_bounds[j + 1]])))


def write_datapackage(problem, path):
    """A datapackage as bw2data 4 writes a processed database: a zip through fsspec's
    ZipFileSystem, integer ids (activities 1..n, elementary flows after them), technosphere
    magnitudes with a flip flag, stats_arrays lognormal distributions, and the impact
    category as a characterization group in the same package."""
    import bw_processing as bwp
    import numpy as np
    from fsspec.implementations.zip import ZipFileSystem
    from stats_arrays import LognormalUncertainty, UndefinedUncertainty

    n = problem["n"]
    if path.exists():
        path.unlink()
    dp = bwp.create_datapackage(fs=ZipFileSystem(str(path), mode="w"), name="synthetic",
                                sum_intra_duplicates=True, sum_inter_duplicates=False)
    tv = problem["tech_vals"]
    t_idx = np.empty(len(tv), dtype=bwp.INDICES_DTYPE)
    t_idx["row"], t_idx["col"] = problem["tech_rows"] + 1, problem["tech_cols"] + 1
    d = np.zeros(len(tv), dtype=bwp.UNCERTAINTY_DTYPE)
    diag = problem["tech_is_diag"]
    d["uncertainty_type"] = np.where(diag, UndefinedUncertainty.id, LognormalUncertainty.id)
    d["loc"] = np.where(diag, np.abs(tv), np.log(np.abs(tv)))
    d["scale"] = np.where(diag, np.nan, problem["sigma"])
    d["shape"] = d["minimum"] = d["maximum"] = np.nan
    dp.add_persistent_vector(matrix="technosphere_matrix", name="synthetic technosphere matrix", indices_array=t_idx,
                             data_array=np.abs(tv), flip_array=tv < 0, distributions_array=d)
    bv = problem["bio_vals"]
    b_idx = np.empty(len(bv), dtype=bwp.INDICES_DTYPE)
    b_idx["row"], b_idx["col"] = problem["bio_rows"] + n + 1, problem["bio_cols"] + 1
    d = np.zeros(len(bv), dtype=bwp.UNCERTAINTY_DTYPE)
    d["uncertainty_type"] = LognormalUncertainty.id
    d["loc"], d["scale"] = np.log(bv), problem["sigma"]
    d["shape"] = d["minimum"] = d["maximum"] = np.nan
    dp.add_persistent_vector(matrix="biosphere_matrix", name="synthetic biosphere matrix", indices_array=b_idx,
                             data_array=bv, distributions_array=d)
    cv = problem["cf_vals"]
    c_idx = np.empty(len(cv), dtype=bwp.INDICES_DTYPE)
    c_idx["row"], c_idx["col"] = problem["cf_rows"] + n + 1, 0
    dp.add_persistent_vector(matrix="characterization_matrix", name="synthetic climate change", indices_array=c_idx,
                             data_array=cv, identifier=list(METHOD))
    dp.finalize_serialization()


def spold_text(j, inputs, emissions):
    a, p = uid(1, j), uid(2, j)
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<ecoSpold xmlns="{SPOLD_NS}">\n<activityDataset>\n'
           f' <activityDescription>\n  <activity id="{a}" activityNameId="{uid(4, j)}" type="1" specialActivityType="0">'
           f'<activityName xml:lang="en">activity {j}</activityName></activity>\n'
           f'  <geography geographyId="34dbbff8-88ce-11de-ad60-0019e336be3a"><shortname xml:lang="en">GLO</shortname></geography>\n'
           f'  <technology technologyLevel="3"/>\n'
           f'  <timePeriod startDate="2020-01-01" endDate="2023-12-31" isDataValidForEntirePeriod="true"/>\n'
           f' </activityDescription>\n <flowData>\n'
           f'  <intermediateExchange id="{uid(5, j)}" unitId="487df68b-4994-4027-8fdc-a4dc298257b7" intermediateExchangeId="{p}" amount="1">'
           f'<name xml:lang="en">product {j}</name><unitName xml:lang="en">kg</unitName><outputGroup>0</outputGroup></intermediateExchange>\n']
    for k, (i, amount) in enumerate(inputs):
        out.append(f'  <intermediateExchange id="{uid(6, j * 64 + k)}" unitId="487df68b-4994-4027-8fdc-a4dc298257b7" '
                   f'intermediateExchangeId="{uid(2, i)}" activityLinkId="{uid(1, i)}" amount="{amount!r}">'
                   f'<name xml:lang="en">product {i}</name><unitName xml:lang="en">kg</unitName><inputGroup>5</inputGroup></intermediateExchange>\n')
    for k, (r, amount) in enumerate(emissions):
        comp, sub = COMPARTMENTS[r % len(COMPARTMENTS)]
        group = "<inputGroup>4</inputGroup>" if comp == "natural resource" else "<outputGroup>4</outputGroup>"
        out.append(f'  <elementaryExchange id="{uid(7, j * 64 + k)}" unitId="487df68b-4994-4027-8fdc-a4dc298257b7" '
                   f'elementaryExchangeId="{uid(3, r)}" amount="{amount!r}">'
                   f'<name xml:lang="en">flow {r}</name><unitName xml:lang="en">kg</unitName>'
                   f'<compartment subcompartmentId="{uid(8, r % len(COMPARTMENTS))}"><compartment xml:lang="en">{comp}</compartment>'
                   f'<subcompartment xml:lang="en">{sub}</subcompartment></compartment>{group}</elementaryExchange>\n')
    out.append(' </flowData>\n <administrativeInformation>\n'
               '  <dataEntryBy personId="00000000-0000-4000-8000-000000000001" personName="tanso bench" personEmail="bench@example.invalid"/>\n'
               '  <dataGeneratorAndPublication personId="00000000-0000-4000-8000-000000000001" personName="tanso bench" personEmail="bench@example.invalid" isCopyrightProtected="false"/>\n'
               ' </administrativeInformation>\n</activityDataset>\n</ecoSpold>\n')
    return "".join(out)


def write_spold(problem, folder):
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for j, inputs, emissions in columns(problem):
        (folder / f"{uid(1, j)}_{uid(2, j)}.spold").write_text(spold_text(j, inputs, emissions), encoding="utf-8")
    methods = [{"id": " | ".join(METHOD), "unit": "kg CO2e",
                "factors": [{"flow": uid(3, int(r)), "factor": float(v)} for r, v in zip(problem["cf_rows"], problem["cf_vals"])]}]
    return methods


def write_olca(problem, path):
    """An openLCA JSON-LD zip, olca-schema 2 (as openLCA 2 exports it)."""
    n, nb = problem["n"], problem["n_bio"]
    kg = {"@type": "Unit", "@id": "20aadc24-a391-41cf-b340-3e4529f44bde", "name": "kg"}
    mass = {"@type": "FlowProperty", "@id": "93a60a56-a3c8-11da-a746-0800200b9a66", "name": "Mass"}
    ug = {"@type": "UnitGroup", "@id": "93a60a57-a4c8-11da-a746-0800200c9a66", "name": "Units of mass"}
    fp_list = [{"@type": "FlowPropertyFactor", "flowProperty": mass, "conversionFactor": 1.0, "isRefFlowProperty": True}]
    if path.exists():
        path.unlink()
    dump = lambda v: json.dumps(v, separators=(",", ":"))  # noqa: E731
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("olca-schema.json", dump({"version": 2}))
        z.writestr(f"unit_groups/{ug['@id']}.json", dump(dict(ug, version="00.00.000", units=[
            dict(kg, conversionFactor=1.0, isRefUnit=True), {"@type": "Unit", "@id": "g-unit", "name": "g", "conversionFactor": 0.001}],
            defaultFlowProperty=mass)))
        z.writestr(f"flow_properties/{mass['@id']}.json", dump(dict(mass, flowPropertyType="PHYSICAL_QUANTITY", unitGroup=ug)))
        for j in range(n):
            z.writestr(f"flows/{uid(2, j)}.json", dump({"@type": "Flow", "@id": uid(2, j), "name": f"product {j}",
                                                        "flowType": "PRODUCT_FLOW", "flowProperties": fp_list}))
        for r in range(nb):
            comp, sub = COMPARTMENTS[r % len(COMPARTMENTS)]
            z.writestr(f"flows/{uid(3, r)}.json", dump({"@type": "Flow", "@id": uid(3, r), "name": f"flow {r}",
                                                        "flowType": "ELEMENTARY_FLOW", "category": f"Elementary flows/{comp}/{sub}",
                                                        "flowProperties": fp_list}))
        for j, inputs, emissions in columns(problem):
            ex = [{"@type": "Exchange", "internalId": 1, "flow": {"@type": "Flow", "@id": uid(2, j), "name": f"product {j}"},
                   "flowProperty": mass, "unit": kg, "amount": 1.0, "isInput": False, "isQuantitativeReference": True}]
            for i, amount in inputs:
                ex.append({"@type": "Exchange", "internalId": len(ex) + 1, "flow": {"@type": "Flow", "@id": uid(2, i), "name": f"product {i}"},
                           "flowProperty": mass, "unit": kg, "amount": amount, "isInput": True,
                           "defaultProvider": {"@type": "Process", "@id": uid(1, i), "name": f"activity {i}"}})
            for r, amount in emissions:
                ex.append({"@type": "Exchange", "internalId": len(ex) + 1, "flow": {"@type": "Flow", "@id": uid(3, r), "name": f"flow {r}"},
                           "flowProperty": mass, "unit": kg, "amount": amount,
                           "isInput": COMPARTMENTS[r % len(COMPARTMENTS)][0] == "natural resource"})
            z.writestr(f"processes/{uid(1, j)}.json", dump({"@type": "Process", "@id": uid(1, j), "name": f"activity {j}",
                                                           "processType": "UNIT_PROCESS", "lastInternalId": len(ex), "exchanges": ex}))
        cat_id, method_id = uid(9, 1), uid(9, 2)
        z.writestr(f"lcia_categories/{cat_id}.json", dump({
            "@type": "ImpactCategory", "@id": cat_id, "name": METHOD[1], "refUnit": "kg CO2e",
            "impactFactors": [{"@type": "ImpactFactor", "flow": {"@type": "Flow", "@id": uid(3, int(r))}, "flowProperty": mass,
                               "unit": kg, "value": float(v)} for r, v in zip(problem["cf_rows"], problem["cf_vals"])]}))
        z.writestr(f"lcia_methods/{method_id}.json", dump({"@type": "ImpactMethod", "@id": method_id, "name": METHOD[0],
                                                          "impactCategories": [{"@type": "ImpactCategory", "@id": cat_id, "name": METHOD[1]}]}))


def generate(args, work):
    sys.path.insert(0, str(pathlib.Path(args.tool).parent))
    import numpy as np
    from bench_bw2calc import demand_indices, generate_problem, to_scipy
    from scipy.sparse.linalg import spsolve

    print(f"generating n = {args.n}, seed {args.seed} (waste_frac 0.0)", flush=True)
    problem = generate_problem(args.n, args.seed, waste_frac=0.0)
    demands = [int(j) for j in demand_indices(args.n, args.seed, args.demands)]
    A, B, c = to_scipy(problem)
    ref = []
    for j in demands:
        f = np.zeros(args.n)
        f[j] = 1.0
        ref.append({"index": j, "score": float(c @ (B @ spsolve(A.tocsr(), f)))})
    t = time.perf_counter()
    write_datapackage(problem, work / "synthetic.zip")
    print(f"  datapackage {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    methods = write_spold(problem, work / "spold")
    (work / "spold_methods.json").write_text(json.dumps(methods))
    print(f"  EcoSpold2 {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    write_olca(problem, work / "olca.zip")
    print(f"  openLCA JSON-LD {time.perf_counter() - t:.1f} s", flush=True)
    meta = {"n": args.n, "seed": args.seed, "n_bio": problem["n_bio"], "waste_frac": 0.0,
            "nnz_technosphere": int(A.nnz), "nnz_biosphere": int(B.nnz), "n_cf": int(len(problem["cf_vals"])),
            "reference_scores_scipy_spsolve": ref}
    (work / "reference.json").write_text(json.dumps(meta, indent=2))
    return meta


# ----------------------------------------------------------------------------------------
# 3. peers, each in its own process (so its peak memory is its own)

def peak_rss_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def peer_ecospold2(work, _meta):
    import bw2io
    from bw2io.extractors import Ecospold2DataExtractor

    t = time.perf_counter()
    data = Ecospold2DataExtractor.extract(str(work / "spold"), "synthetic", use_mp=False)
    s = time.perf_counter() - t
    return {"peer": "bw2io Ecospold2DataExtractor.extract (use_mp=False)", "version": f"bw2io {bw2io.__version__}",
            "s": s, "datasets": len(data), "exchanges": sum(len(d["exchanges"]) for d in data),
            "peak_rss_mb": peak_rss_mb()}


def peer_datapackage(work, meta):
    import bw2calc
    import bw_processing
    import matrix_utils
    from bw_processing import load_datapackage
    from fsspec.implementations.zip import ZipFileSystem

    n = meta["n"]
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        dp = load_datapackage(ZipFileSystem(str(work / "synthetic.zip")))
        lca = bw2calc.LCA({meta["reference_scores_scipy_spsolve"][0]["index"] + 1: 1.0}, data_objs=[dp])
        lca.load_lci_data()
        lca.load_lcia_data()
        t1 = time.perf_counter()
        lca.lci()
        lca.lcia()
        t2 = time.perf_counter()
        runs.append((t1 - t0, t2 - t1))
    errs = []
    for r in meta["reference_scores_scipy_spsolve"]:
        lca.lci(demand={r["index"] + 1: 1.0})
        lca.lcia_calculation()
        errs.append(abs(lca.score - r["score"]) / abs(r["score"]))
    runs.sort()
    return {"peer": "bw_processing load_datapackage(ZipFileSystem) + bw2calc.LCA load_lci_data/load_lcia_data",
            "version": f"bw_processing {bw_processing.__version__}, bw2calc {bw2calc.__version__}, matrix_utils {matrix_utils.__version__}",
            "s": runs[1][0], "lci_lcia_s": sorted(x[1] for x in runs)[1], "n": n,
            "score_max_rel_err": max(errs), "peak_rss_mb": peak_rss_mb()}


PEERS = {"ecospold2": peer_ecospold2, "datapackage": peer_datapackage}


# ----------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--demands", type=int, default=5, help="unit demands checked against SciPy")
    ap.add_argument("--tool", default=str(ROOT.parent / "shared" / "tools" / "bench_bw2calc.py"),
                    help="path of bench_bw2calc.py")
    ap.add_argument("--venv", default=str(ROOT / "target" / "venv-import"))
    ap.add_argument("--work", default=str(ROOT / "target" / "import-bench"))
    ap.add_argument("--formats", default="datapackage,ecospold2,olca")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--out", default=None)
    ap.add_argument("--peer", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()

    venv = pathlib.Path(args.venv)
    py = venv / "bin" / "python"
    if pathlib.Path(sys.prefix).resolve() != venv.resolve():
        if not py.exists():
            run([sys.executable, "-m", "venv", str(venv)])
            run([str(py), "-m", "pip", "install", "-q", *PINS])
        os.execv(str(py), [str(py), str(pathlib.Path(__file__).resolve()), *sys.argv[1:]])

    work = pathlib.Path(args.work) / f"n{args.n}_seed{args.seed}"
    if args.peer:
        meta = json.loads((work / "reference.json").read_text())
        print(json.dumps(PEERS[args.peer](work, meta)))
        return

    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", TQDM_DISABLE="1")
    os.environ.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    if not pathlib.Path(args.tool).exists():
        sys.exit(f"bench_bw2calc.py not found at {args.tool}; pass --tool")
    work.mkdir(parents=True, exist_ok=True)
    if args.regenerate or not (work / "reference.json").exists():
        meta = generate(args, work)
    else:
        meta = json.loads((work / "reference.json").read_text())
        print(f"using the data generated before in {work} (--regenerate to write it again)")
    ref = meta["reference_scores_scipy_spsolve"]

    run(["cargo", "build", "--release", "-q", "-p", "tanso-benches", "--bin", "import_bench"])
    bench = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "import_bench"
    inputs = {
        "datapackage": (work / "synthetic.zip", [str(r["index"] + 1) for r in ref], []),
        "ecospold2": (work / "spold", [f"{uid(1, r['index'])}_{uid(2, r['index'])}" for r in ref],
                      ["--methods", str(work / "spold_methods.json")]),
        "olca": (work / "olca.zip", [uid(1, r["index"]) for r in ref], []),
    }
    results = {"n": args.n, "seed": args.seed, "problem": {k: v for k, v in meta.items() if k != "reference_scores_scipy_spsolve"},
               "reference_scores_scipy_spsolve": ref, "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
               "machine": {"cpu_count": os.cpu_count(), "note": "2 cores shared with other builds"},
               "tanso": {}, "peers": {}}
    failures = []
    formats = [f for f in args.formats.split(",") if f]
    for fmt in formats:
        path, ids, extra = inputs[fmt]
        t = last_json(run([str(bench), str(path), "--format", fmt, "--demand-ids", ",".join(ids), *extra], env))
        errs = []
        for r, s in zip(ref, t["scores"]):
            if s.get("score") is None:
                errs.append(float("inf"))
            else:
                errs.append(abs(s["score"] - r["score"]) / abs(r["score"]))
        t["score_max_rel_err"] = max(errs)
        t["files_bytes"] = dir_size(path)
        results["tanso"][fmt] = t
        if not t["score_max_rel_err"] <= TOLERANCE:
            failures.append(f"{fmt}: tanso's scores differ from SciPy's by {t['score_max_rel_err']:.2e} (> {TOLERANCE:g}): "
                            f"{[(r['score'], s.get('score')) for r, s in zip(ref, t['scores'])]}")
        if t["unlinked"]:
            failures.append(f"{fmt}: {t['unlinked']} unlinked exchanges: {t['unlinked_first']}")

    if not args.skip_peers:
        for fmt in formats:
            if fmt in PEERS:
                try:
                    results["peers"][fmt] = last_json(run([sys.executable, str(pathlib.Path(__file__).resolve()), "--peer", fmt,
                                                           "--n", str(args.n), "--seed", str(args.seed), "--work", args.work], env))
                except subprocess.CalledProcessError as e:
                    results["peers"][fmt] = {"error": f"the peer failed: {e}"}
            elif fmt == "olca":
                results["peers"][fmt] = {"none": "openLCA's JSON-LD importer is Java (olca-modules); no pip-installable reader"}
        dp_peer = results["peers"].get("datapackage", {})
        if dp_peer.get("score_max_rel_err", 0) > TOLERANCE:
            failures.append(f"datapackage: bw2calc's scores differ from SciPy's by {dp_peer['score_max_rel_err']:.2e}")

    print_table(results)
    out = pathlib.Path(args.out) if args.out else work / "compare.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nall figures: {out}")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)


def print_table(r):
    p = r["problem"]
    print(f"\nn = {r['n']} activities, seed {r['seed']}: {p['nnz_technosphere']} technosphere and {p['nnz_biosphere']} "
          f"biosphere entries, {p['n_bio']} elementary flows, {p['n_cf']} characterization factors; {r['date_utc']} UTC, "
          f"{r['machine']['cpu_count']} cores shared")
    print("| format | files | tanso import | peer | peer s | tanso faster by | cache | cache load | factorization | peak RSS after import | score error vs SciPy |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for fmt, t in r["tanso"].items():
        peer = r["peers"].get(fmt, {})
        ps = peer.get("s")
        name = peer.get("peer", peer.get("none", peer.get("error", "—")))
        ratio = f"{ps / t['import_s']:.1f}×" if ps else "—"
        print(f"| {fmt} | {t['files_bytes'] / 1e6:.1f} MB | {t['import_s']:.2f} s | {name} | "
              f"{f'{ps:.2f} s' if ps else '—'} | {ratio} | {t['cache_bytes'] / 1e6:.1f} MB | {t['from_cache_s'] * 1000:.0f} ms | "
              f"{t['from_spec_s']:.2f} s | {t['peak_rss_mb_after_import']:.0f} MB | {t['score_max_rel_err']:.1e} |")
    for fmt, peer in r["peers"].items():
        if "peak_rss_mb" in peer:
            extra = f", then lci + lcia {peer['lci_lcia_s']:.2f} s, score error vs SciPy {peer['score_max_rel_err']:.1e}" if "lci_lcia_s" in peer else ""
            print(f"- {fmt} peer ({peer['version']}): peak RSS {peer['peak_rss_mb']:.0f} MB{extra}")


if __name__ == "__main__":
    main()
