# %% [markdown]
# # A company fleet, petrol against battery-electric, with tanso
#
# A notebook-style script (cells marked `# %%` run in Jupyter, VS Code or plain Python): a
# fleet of company cars in Zhejiang, what each car's production emits and how much of it is
# steel and aluminium, its lifecycle g CO2e/km against a battery-electric replacement built the
# same year, the break-even distance, and how the answer moves with the production year and
# the region of use; a chart of g CO2e/km by size written to a PNG (matplotlib optional).
#
#     bash bindings-python/test.sh          # builds the `tanso` package into bindings-python/.venv
#     python examples/vehicles.py [chart.png]
#
# The fleet (how many cars of which class, km per year) is an illustrative input of this
# example. Every default of the vehicle model names its source (`vehicle_defaults`, and
# `docs/vehicles.md`): carculator 1.9.5, GREET2 2017, worldsteel, IAI, MEE & NBS grid factors.

# %%
import sys
from pathlib import Path

import tanso

CHART = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("vehicles.png")
REGION = "CN-ZJ"  # Zhejiang: the province's own grid factor series
YEAR = 2026

FLEET = [  # (size class, powertrain today, number of cars, km per car per year)
    ("small", "petrol", 12, 18_000),
    ("medium", "petrol", 20, 25_000),
    ("medium_suv", "diesel", 6, 30_000),
    ("van", "diesel", 4, 35_000),
]

# %% [markdown]
# ## Each class today against a battery-electric car of the same size

# %%
total_today = total_bev = 0.0
print(f"{'class':<12}{'today':<8}{'prod t':>8}{'steel':>7}{'alu':>6}{'g/km':>7}{'BEV g/km':>10}{'break-even km':>15}")
for size, powertrain, cars, km in FLEET:
    years = 200_000 / km
    bev = tanso.vehicle({"size": size, "powertrain": "bev", "region": REGION, "year": YEAR,
                         "years_of_use": years, "versus": {"powertrain": powertrain}})
    today = bev["comparison"]
    ice = tanso.vehicle({"size": size, "powertrain": powertrain, "region": REGION, "year": YEAR, "years_of_use": years})
    shares = ice["production"]["shares"]
    be = bev["comparison"]["break_even_km"]
    print(f"{size:<12}{powertrain:<8}{ice['production']['total_kg_co2e'] / 1000:>8.1f}{shares['steel']:>7.0%}"
          f"{shares['aluminium']:>6.0%}{today['versus_g_per_km']['total']:>7.0f}{bev['g_per_km']['total']:>10.0f}"
          f"{'never' if be is None else f'{be:,.0f}':>15}")
    total_today += cars * km * today["versus_g_per_km"]["total"] / 1e6
    total_bev += cars * km * bev["g_per_km"]["total"] / 1e6
print(f"\nfleet, t CO2e per year (lifecycle, production spread over 200,000 km): "
      f"today {total_today:,.0f}, battery-electric {total_bev:,.0f} ({total_bev / total_today - 1:+.0%})")

# %% [markdown]
# ## The same cars built later, and used elsewhere: the whole grid in one call

# %%
grid = tanso.vehicle_grid({"sizes": [s for s, *_ in FLEET], "powertrains": ["petrol", "diesel", "bev"],
                           "regions": [REGION, "CN-YN", "EU"], "years": {"from": 2020, "to": 2050}})
print(f"\n{grid['count']} cars evaluated in one call")
for region in [REGION, "CN-YN", "EU"]:
    row = {r["year"]: r for r in grid["rows"] if r["size"] == "medium" and r["powertrain"] == "bev" and r["region"] == region}
    print(f"medium BEV in {region:<6}" + "".join(f"  {y}: {row[y]['g_per_km']['total']:.0f} g/km" for y in (2020, 2030, 2040, 2050)))

# %% [markdown]
# ## Chart: g CO2e/km by size, petrol against battery-electric, built in 2026

# %%
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib not installed: no chart")
else:
    rows = [r for r in grid["rows"] if r["year"] == YEAR and r["region"] == REGION and r["powertrain"] in ("petrol", "bev")]
    sizes = [s for s, *_ in FLEET]
    stages = ["production", "fuel_or_electricity_supply", "exhaust"]
    fig, ax = plt.subplots(figsize=(8, 4))
    for j, powertrain in enumerate(["petrol", "bev"]):
        bottom = [0.0] * len(sizes)
        for k, stage in enumerate(stages):
            values = [next(r["g_per_km"][stage] for r in rows if r["size"] == s and r["powertrain"] == powertrain) for s in sizes]
            ax.bar([i + j * 0.4 for i in range(len(sizes))], values, 0.38, bottom=bottom,
                   color=f"C{k}", label=stage.replace("_", " ") if j == 0 else None)
            bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_xticks([i + 0.2 for i in range(len(sizes))], [f"{s}\npetrol | BEV" for s in sizes])
    ax.set_ylabel("g CO2e per km")
    ax.set_title(f"Lifecycle g CO2e/km, built {YEAR}, used in {REGION}")
    ax.legend()
    fig.tight_layout()
    fig.savefig(CHART, dpi=120)
    print(f"chart written to {CHART}")
