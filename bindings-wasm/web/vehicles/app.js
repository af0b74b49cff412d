// The vehicle calculator: reads the controls, calls tanso's `vehicle` operation (one call
// gives the chosen car, the car it is compared with and the break-even distance) and
// `vehicle_grid` (the steel and aluminium shares across sizes), and redraws the charts, on
// every input event. Everything runs in this page: the Rust core compiled to WebAssembly.

import { init, vehicle, vehicle_defaults, vehicle_grid, isTansoError } from "../../js/index.js";
import { horizontalBars, stackedColumns, stackedRows, cumulativeLines, fmt, PALETTE } from "./charts.js";

const $ = (id) => document.getElementById(id);
const STAGES = [
  ["production", "production"],
  ["fuel_or_electricity_supply", "fuel / electricity supply"],
  ["exhaust", "exhaust"],
  ["maintenance", "maintenance"],
  ["end_of_life", "end of life"],
];

function option(select, value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  select.append(o);
}

function fillControls(defaults) {
  for (const s of defaults.sizes) option($("size"), s.code, s.label);
  for (const p of defaults.powertrains) {
    option($("powertrain"), p.code, p.label);
    option($("versus"), p.code, p.label);
  }
  for (const r of defaults.regions) option($("region"), r, regionLabel(r));
  $("size").value = "medium";
  $("powertrain").value = "bev";
  $("versus").value = "petrol";
  $("region").value = "CN";
  const [from, to] = defaults.years;
  Object.assign($("year"), { min: from, max: to, value: 2025 });
  $("lifetime").value = 200000;
}

/** "CN" → "China", "CN-GRID-EAST" → "China, east grid", "CN-ZJ" → "China, CN-ZJ". */
function regionLabel(code) {
  if (code === "CN") return "China (national grid)";
  if (code === "EU") return "European Union";
  const grid = /^CN-GRID-(.*)$/.exec(code);
  if (grid) return `China, ${grid[1].toLowerCase()} grid`;
  return code.startsWith("CN-") ? `China, province ${code.slice(3)}` : code;
}

/** The document of the `vehicle` operation from the controls. */
export function readControls() {
  const grid = Number($("grid").value) / 100;
  return {
    size: $("size").value,
    powertrain: $("powertrain").value,
    region: $("region").value,
    year: Number($("year").value),
    lifetime_km: Number($("lifetime").value),
    levers: {
      recycled_aluminium_wrought_share: Number($("recycled-wrought").value) / 100,
      recycled_aluminium_cast_share: Number($("recycled-cast").value) / 100,
      green_steel_share: Number($("green").value) / 100,
      grid_scale: grid,
    },
    versus: { powertrain: $("versus").value },
  };
}

function labelOf(select) {
  return select.options[select.selectedIndex]?.textContent ?? select.value;
}

/** The label without its bracketed detail: "petrol ICE (carculator ICEV-p)" → "petrol ICE". */
function shortLabel(select) {
  return labelOf(select).replace(/\s*\(.*\)$/, "");
}

function render(doc, out, sharesBySize) {
  const p = out.production;
  $("production-total").textContent = fmt(p.total_kg_co2e / 1000, 2);
  $("production-name").textContent = `${labelOf($("size"))}, ${labelOf($("powertrain"))}`;
  $("steel-share").textContent = `${fmt(p.shares.steel * 100, 1)} %`;
  $("aluminium-share").textContent = `${fmt(p.shares.aluminium * 100, 1)} %`;
  $("rest-share").textContent = `${fmt(p.shares.rest * 100, 1)} %`;
  // by_material covers the whole production total: the materials, the battery pack and assembly
  const materials = p.by_material.filter((m) => m.kg_co2e !== 0).sort((a, b) => b.kg_co2e - a.kg_co2e);
  horizontalBars($("chart-materials"), materials.map((m) => ({
    label: m.material.replaceAll("_", " "),
    value: m.kg_co2e,
    color: m.material.startsWith("steel") ? PALETTE[0] : m.material.startsWith("aluminium") ? PALETTE[1] : "#8c8c8c",
    note: m.mass_kg > 0 ? `(${fmt(m.mass_kg)} kg)` : "",
  })), { unit: "kg CO2e" });

  $("shares-title").textContent = `${labelOf($("powertrain"))} vs ${labelOf($("versus"))} by size, ${doc.region} ${doc.year}`;
  stackedRows($("chart-shares"), sharesBySize, { unit: "%", names: ["steel", "aluminium"], max: 100 });

  const a = out.g_per_km;
  const cmp = out.comparison;
  const b = cmp.versus_g_per_km;
  $("gpkm-a").textContent = fmt(a.total);
  $("gpkm-a-name").textContent = `g CO2e/km, ${labelOf($("powertrain"))}`;
  $("gpkm-b").textContent = fmt(b.total);
  $("gpkm-b-name").textContent = `g CO2e/km, ${labelOf($("versus"))}`;
  $("break-even").textContent = cmp.break_even_km === null ? "never" : fmt(cmp.break_even_km);
  $("break-even").title = cmp.reason ?? "";
  stackedColumns($("chart-lifecycle"), [
    { label: shortLabel($("powertrain")), parts: STAGES.map(([k, name]) => ({ name, value: a[k] })) },
    { label: shortLabel($("versus")), parts: STAGES.map(([k, name]) => ({ name, value: b[k] })) },
  ], { unit: "g CO2e/km", names: STAGES.map(([, name]) => name) });
  const perKm = (g) => (g.total - g.production) / 1e6;
  cumulativeLines($("chart-cumulative"), [
    { label: shortLabel($("powertrain")), start: p.total_kg_co2e / 1000, perKm: perKm(a), color: PALETTE[0] },
    { label: shortLabel($("versus")), start: cmp.versus_production_t_co2e, perKm: perKm(b), color: PALETTE[1] },
  ], { maxKm: doc.lifetime_km, crossKm: cmp.break_even_km });

  const list = $("sources");
  list.replaceChildren();
  for (const s of out.sources ?? []) {
    const li = document.createElement("li");
    li.textContent = `${s.parameter}: ${s.value} ${s.unit ?? ""} — ${s.source} (${s.status})`;
    list.append(li);
  }
}

function sharesAcrossSizes(doc) {
  const out = vehicle_grid({
    powertrains: [doc.powertrain, doc.versus.powertrain],
    regions: [doc.region],
    years: { from: doc.year, to: doc.year },
    levers: doc.levers,
  });
  const bySize = new Map();
  for (const r of out.rows) {
    if (!bySize.has(r.size)) bySize.set(r.size, {});
    bySize.get(r.size)[r.powertrain] = r;
  }
  const series = [];
  for (const [size, rows] of bySize) {
    for (const pt of [doc.powertrain, doc.versus.powertrain]) {
      const r = rows[pt];
      if (!r) continue;
      series.push({ label: `${size.replaceAll("_", " ")}, ${pt}`, parts: [
        { name: "steel", value: r.steel_share * 100 }, { name: "aluminium", value: r.aluminium_share * 100 }] });
    }
  }
  return series;
}

let pending = false;
function update() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    const doc = readControls();
    $("year-out").textContent = doc.year;
    $("lifetime-out").textContent = fmt(doc.lifetime_km);
    $("recycled-wrought-out").textContent = `${$("recycled-wrought").value} %`;
    $("recycled-cast-out").textContent = `${$("recycled-cast").value} %`;
    $("green-out").textContent = `${$("green").value} %`;
    $("grid-out").textContent = `${$("grid").value} %`;
    const t0 = performance.now();
    try {
      const out = vehicle(doc);
      const shares = sharesAcrossSizes(doc);
      $("elapsed").textContent = fmt(performance.now() - t0, 2);
      $("error").textContent = "";
      render(doc, out, shares);
      document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
    } catch (e) {
      $("error").textContent = isTansoError(e) ? `${e.code}: ${e.message}` : String(e);
      document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
    }
  });
}

await init();
fillControls(vehicle_defaults({}));
$("controls").addEventListener("input", update);
update();
document.body.dataset.ready = "true";
