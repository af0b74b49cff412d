// tanso's vehicle model in its WASM build under Node: the same measurements as
// `vehicle_bench` (Rust). Prints JSON. Needs the built package (`bash bindings-wasm/build.sh`).
//
//   node benches/wasm_vehicle.mjs
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { init, vehicle, vehicle_grid } from "../bindings-wasm/js/index.js";

await init(readFileSync(new URL("../bindings-wasm/pkg/tanso_wasm_bg.wasm", import.meta.url)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// (a) single evaluations through the document API, as a page calls it on a slider move:
// one medium BEV against the petrol car of the same size, the year and a lever moving.
const doc = (i) => ({
  size: "medium", powertrain: "bev", region: "CN", year: 2020 + (i % 31),
  levers: { recycled_aluminium_share: (i % 100) / 100, green_steel_share: 0.2 },
  versus: { powertrain: "petrol" },
});
for (let i = 0; i < 200; i++) vehicle(doc(i)); // warm-up
const singles = [];
for (let r = 0; r < 5; r++) {
  const n = 2000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) vehicle(doc(i));
  singles.push(n / ((performance.now() - t0) / 1000));
}

// (b) the whole grid in one call: every size × powertrain × 2020–2050 × CN and EU.
const grid = [];
let rows = 0;
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  const out = vehicle_grid({ regions: ["CN", "EU"], years: { from: 2020, to: 2050 } });
  grid.push((performance.now() - t0) / 1000);
  rows = out.rows.length;
}
console.log(JSON.stringify({ single_per_s: median(singles), grid_rows: rows, grid_s: median(grid) }));
