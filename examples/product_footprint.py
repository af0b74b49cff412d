# %% [markdown]
# # The footprint of a small electric motor, with tanso
#
# A notebook-style script (cells marked `# %%` run in Jupyter, VS Code or plain Python):
# a 1.5 kW induction motor from its bill of materials, its footprint by stage, part and
# material, the share of its production emissions that comes from steel and from aluminium,
# the bearings taken from their supplier's PACT document, the motor's own footprint exported
# as a PACT ProductFootprint v3.0, and a contribution chart written to a PNG.
#
#     bash bindings-python/test.sh          # builds the `tanso` package into bindings-python/.venv
#     pip install matplotlib                # optional, for the chart
#     python examples/product_footprint.py [chart.png]
#
# Every number without a named source is an illustrative input of this example (masses, kWh,
# distances, the supplier's document), not library data. The material factors come from
# tanso's bundled, sourced tables (worldsteel, IAI, GREET …; see `core/data/`).

# %%
import json
import sys
from decimal import Decimal
from pathlib import Path

import tanso

CHART = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("product_footprint.png")

# %% [markdown]
# ## The bearings' supplier sends a PACT document
#
# A PACT ProductFootprint v3.0 for one bearing (illustrative values). tanso validates it,
# reads it per piece, maps its v3 data quality ratings (1–5) onto the PACT v2 scale (1–3) that
# product footprints use, and counts 70 % of its emissions as primary data.

# %%
bearing_pact = {
    "id": "0c3f1e2a-6b7d-4e8f-9a0b-1c2d3e4f5a6b",
    "specVersion": "3.0.0",
    "created": "2026-01-10T00:00:00Z",
    "status": "Active",
    "companyName": "Bearing Supplier Ltd.",
    "companyIds": ["urn:uuid:7d1e2f3a-4b5c-4d6e-8f70-81a2b3c4d5e6"],
    "productDescription": "deep groove ball bearing 6205",
    "productIds": ["urn:pact:company:bearingsupplier:product-id:6205"],
    "productNameCompany": "Bearing 6205",
    "pcf": {
        "declaredUnitOfMeasurement": "piece",
        "declaredUnitAmount": "1",
        "productMassPerDeclaredUnit": "0.13",
        "referencePeriodStart": "2025-01-01T00:00:00Z",
        "referencePeriodEnd": "2026-01-01T00:00:00Z",
        "geographyCountry": "CN",
        "pcfExcludingBiogenicUptake": "0.9",
        "pcfIncludingBiogenicUptake": "0.9",
        "fossilGhgEmissions": "0.9",
        "landUseChangeGhgEmissions": "0",
        "fossilCarbonContent": "0",
        "ipccCharacterizationFactors": ["AR6"],
        "crossSectoralStandards": ["ISO14067"],
        "exemptedEmissionsPercent": "0",
        "primaryDataShare": "70",
        "dqi": {"technologicalDQR": "3", "temporalDQR": "1", "geographicalDQR": "1"},
    },
}
print("supplier document valid:", tanso.pact_validate({"document": bearing_pact})["valid"])

# %% [markdown]
# ## The bill of materials
#
# Steel laminations and copper windings inside a purchased stator, a die-cast aluminium
# housing, a steel shaft, two bearings from the supplier's PACT document, final assembly.
# The `pact` block asks for the motor's footprint as a PACT document too: the footprint
# fills the emission values, the primary-data share, the declared unit and the boundary; the
# company, product ids, period and carbon content are ours to give.

# %%
motor = {
    "product": {"id": "motor-1.5kW", "name": "1.5 kW induction motor", "declared_unit": "1 piece"},
    "geography": "CN",
    "year": 2022,
    "parts": [
        {"id": "stator", "supplier": "Ningbo Lamination Co.", "parts": [
            {"id": "laminations", "materials": [
                {"material": "steel", "route": "bf_bof", "form": "cold_rolled", "mass_kg": 6.0,
                 "yield": 0.7, "recycled_content": Decimal("0.15")}],
             "processes": [{"name": "stamping", "electricity_kwh": 2.5}]},
            {"id": "winding", "materials": [
                {"material": "copper", "route": "market", "form": "cathode", "mass_kg": 2.2}]}],
         "transport": [{"mode": "road", "distance_km": 180, "kg_co2e_per_tkm": 0.1}]},
        {"id": "housing", "materials": [
            {"material": "aluminium", "route": "primary", "form": "ingot", "mass_kg": 3.0, "yield": 0.85}],
         "processes": [{"name": "die casting", "electricity_kwh": 4.0}]},
        {"id": "shaft", "materials": [
            {"material": "steel", "route": "bf_bof", "form": "hot_rolled", "mass_kg": 1.1, "yield": 0.8}]},
        {"id": "bearings", "quantity": 2, "supplier": "Bearing Supplier Ltd.",
         "supplier_pact": bearing_pact},
    ],
    "processes": [{"name": "assembly and test", "electricity_kwh": 3.0}],
    "sensitivity": [
        {"name": "steel 100% scrap-EAF", "changes": [{"target": "steel", "recycled_content": Decimal("1")}]},
        {"name": "smelter on hydro (14 kWh/kg at 0.02)", "changes": [{"target": "aluminium", "smelter": {
            "kwh_per_kg": Decimal("14"), "non_electricity_kg_co2e_per_kg": Decimal("2"),
            "grid_kg_co2e_per_kwh": Decimal("0.02")}}]},
    ],
    "pact": {
        "version": "3.0",
        "id": "5b2d7c9e-1f3a-4b6c-8d0e-2a4c6e8f0b1d",
        "created": "2026-02-01T00:00:00Z",
        "company_name": "Example Motors Co.",
        "company_ids": ["urn:uuid:2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5f7a"],
        "product_ids": ["urn:pact:company:examplemotors:product-id:M15"],
        "product_description": "1.5 kW three-phase induction motor",
        "reference_period_start": "2025-01-01T00:00:00Z",
        "reference_period_end": "2026-01-01T00:00:00Z",
        "fossil_carbon_content": Decimal("0"),
        "packaging_included": False,
    },
}

# %%
r = tanso.product_footprint(motor)
rep = r["report"]
print(f"{rep['product']} — {rep['declared_unit']}, {rep['system_boundary']}")
print(f"total       {r['total_kg_co2e']:>10} kg CO2e")
print(f"production  {r['production_kg_co2e']:>10} kg CO2e")
print(f"fossil / biogenic / dLUC / aircraft: {rep['fossil_kg_co2e']} / {rep['biogenic_kg_co2e']} / "
      f"{rep['dluc_kg_co2e']} / {rep['aircraft_kg_co2e']}")
print("\nby stage")
for k, v in r["by_stage"].items():
    print(f"  {k:<16} {v:>10}")
print("by part (direct / incl. sub-parts)")
for p in r["by_part"]:
    who = f" ({p['supplier']})" if p.get("supplier") else ""
    print(f"  {p['part']:<12} {p['direct_kg_co2e']:>10} {p['total_kg_co2e']:>10}  {p['data']}{who}")
print("by material")
for k, v in r["by_material"].items():
    print(f"  {k:<12} {v:>10}")

# %% [markdown]
# ## Steel and aluminium shares of production emissions
#
# Through the LCA engine, so the steel inside the purchased stator counts as steel. The
# bearings are a supplier's black box and count in "rest".

# %%
s = r["shares"]
print(f"steel {s['steel_percent']} %  ({s['steel_kg_co2e']} kg CO2e)")
print(f"aluminium {s['aluminium_percent']} %  ({s['aluminium_kg_co2e']} kg CO2e)")
print(f"rest {s['rest_percent']} %  ({s['rest_kg_co2e']} kg CO2e)")
print(f"primary-data share {rep['primary_data_share']} %")
print("\nsensitivity                                  total   steel%    alu%")
for sc in r["sensitivity"]:
    sh = sc["shares"]
    print(f"  {sc['name']:<40} {sc['total_kg_co2e']:>8} {sh['steel_percent']:>8} {sh['aluminium_percent']:>7}")

# %% [markdown]
# ## The motor as a PACT document
#
# Valid per `pact_validate`; a customer reads it back with `pact_summary`, or puts it in their
# own BOM as `supplier_pact`.

# %%
doc = r.get("pact_document")
if doc is None:
    print("this tanso build has no pact_document in product_footprint: rebuild it (bindings-python/test.sh)")
else:
    print("PACT document valid:", tanso.pact_validate({"document": doc})["valid"])
    pcf = doc["pcf"]
    print(f"  {pcf['pcfExcludingBiogenicUptake']} kg CO2e per {pcf['declaredUnitAmount']} "
          f"{pcf['declaredUnitOfMeasurement']}, primary data share {pcf['primaryDataShare']} %")
    summary = tanso.pact_summary({"document": doc})
    print(f"  as the customer reads it: {summary['total_including_biogenic']} kg CO2e per {summary['unit']}")
    out = CHART.with_suffix(".pact.json")
    out.write_text(json.dumps(doc, indent=2, default=str, ensure_ascii=False) + "\n")
    print(f"  written to {out}")

# %% [markdown]
# ## Contribution chart

# %%
try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("\nmatplotlib is not installed: no chart. `pip install matplotlib` and run again.")

if plt is not None:
    top = [p for p in r["by_part"] if p["part"] in {q["id"] for q in motor["parts"]}]
    labels = [p["part"] + (" (PACT)" if p["data"] == "supplier_pcf" else "") for p in top]
    values = [float(p["total_kg_co2e"]) for p in top]
    own = float(r["total_kg_co2e"]) - sum(values)
    if abs(own) > 1e-9:
        labels.append("assembly (own site)")
        values.append(own)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [3, 2]})
    order = sorted(range(len(values)), key=lambda i: values[i])
    ax1.barh([labels[i] for i in order], [values[i] for i in order], color="#4a7a96")
    for y, i in enumerate(order):
        ax1.text(values[i], y, f" {values[i]:.2f}", va="center", fontsize=9)
    ax1.set_xlabel("kg CO2e per motor (incl. sub-parts)")
    ax1.set_title(f"{motor['product']['name']}: {float(r['total_kg_co2e']):.1f} kg CO2e by part")
    ax1.margins(x=0.15)

    scenarios = [{"name": "base", "shares": s}] + [sc for sc in r["sensitivity"] if sc["name"] != "base"]
    names = [sc["name"] for sc in scenarios]
    rows = [sc["shares"] for sc in scenarios]
    steel = [float(x["steel_percent"]) for x in rows]
    alu = [float(x["aluminium_percent"]) for x in rows]
    rest = [float(x["rest_percent"]) for x in rows]
    ax2.barh(names, steel, color="#5b6770", label="steel")
    ax2.barh(names, alu, left=steel, color="#a8c1d1", label="aluminium")
    ax2.barh(names, rest, left=[a + b for a, b in zip(steel, alu)], color="#e3d9c6", label="rest")
    ax2.set_xlim(0, 100)
    ax2.set_xlabel("% of production emissions")
    ax2.set_title("steel / aluminium / rest")
    ax2.invert_yaxis()
    ax2.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(CHART, dpi=120)
    print(f"\nchart written to {CHART}")
