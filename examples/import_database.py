# %% [markdown]
# # Real LCA databases in tanso: a Brightway datapackage and an EcoSpold2 folder
#
# A notebook-style script (cells marked `# %%` run in Jupyter, VS Code or plain Python): import a
# database as Brightway writes it (a `bw_processing` datapackage) and one as ecoinvent ships it
# (EcoSpold2 `.spold` files), read the importer's report, compute scores and contributions,
# run a Monte Carlo on the data's own uncertainty, and keep a binary cache for the next session.
# openLCA JSON-LD exports (`uslci.zip`) import the same way.
#
#     bash bindings-python/test.sh          # builds the `tanso` package into bindings-python/.venv
#     python examples/import_database.py
#
# The data are the small test databases in testdata/import/ (the datapackage was written by
# bw_processing 1.6 itself); point the same calls at your own exports.

# %%
import sys
import tempfile
import time
from pathlib import Path

import tanso

DATA = Path(__file__).resolve().parent.parent / "testdata" / "import"

# %% [markdown]
# ## A Brightway datapackage: coal power, coal mining and steel, with lognormal uncertainty

# %%
db = tanso.import_database(DATA / "datapackage" / "steel.zip")
report = db.report
print(db)
print("linked:", report["linked"], "| left out:", len(report["left_out"]), "| warnings:", len(report["warnings"]))
model = db.model()
steel = {"amounts": [{"id": 12, "amount": 1}]}          # activity ids are Brightway's integer ids
out = model.calculate({"demands": [steel], "include": ["contributions"]})
result = out["results"][0]
print(f"1 kg steel: {result['scores']['gwp']:.4f} kg CO2e")
for c in result["contributions"]["gwp"]["processes"][:3]:
    print(f"  {c['activity']!s:>4}: {c['score']:.4f} ({c['share']:.0%})")
mc = model.monte_carlo({"demands": [steel], "iterations": 2000, "seed": 7})
stats = mc["results"][0]
print(f"Monte Carlo, 2000 draws: mean {stats['mean']:.4f}, 95% interval "
      f"{stats['percentiles']['2.5']:.4f} – {stats['percentiles']['97.5']:.4f}")

# %% [markdown]
# ## An EcoSpold2 folder: no impact method inside, so we give GWP factors by flow id

# %%
gwp = {"methods": [{"id": "GWP", "unit": "kg CO2e", "factors": [{"flow": "f-co2", "factor": 1}]}]}
spold = tanso.import_database(DATA / "mini", gwp)
print(spold)
for u in spold.report["unlinked"]:
    print(f"  not linked: {u['amount']} {u.get('unit', '')} {u['product_name']} in {u['activity_name']}: {u['reason']}")
print("1 kg steel:", spold.model().scores({"a-steel_p-steel": 1}).tolist(), "kg CO2e")

# %% [markdown]
# ## The cache: the next session skips the parsing

# %%
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "steel.tanso"
    db.save(path)
    t0 = time.perf_counter()
    again = tanso.ImportedDatabase.load(path)
    print(f"cache: {path.stat().st_size:,} bytes, loaded in {(time.perf_counter() - t0) * 1000:.1f} ms;",
          "same system:", again.system == db.system)
sys.stdout.flush()
