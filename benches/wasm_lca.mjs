// tanso's LCA engine in its WASM build under Node, on a bench_bw2calc.py dump: the same
// measurements as `lca_bench` (Rust). Prints JSON. Needs the built package
// (`bash bindings-wasm/build.sh` or the test script, which builds bindings-wasm/pkg).
//
//   node benches/wasm_lca.mjs <dump path without extension> [mc iterations]
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { init, LcaModel } from "../bindings-wasm/js/index.js";

const [base, itersArg] = process.argv.slice(2);
if (!base) {
  console.error("usage: node benches/wasm_lca.mjs <dump path without extension> [mc iterations]");
  process.exit(2);
}
const mcIters = Number(itersArg ?? 20);
await init(readFileSync(new URL("../bindings-wasm/pkg/tanso_wasm_bg.wasm", import.meta.url)));
const npz = new Uint8Array(readFileSync(`${base}.npz`));
const meta = JSON.parse(readFileSync(`${base}.json`, "utf8"));
const json = new Uint8Array(readFileSync(`${base}.json`));
const n = meta.n_technosphere;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// (a) first score: read the dump, build, factorize, solve, score
const first = [];
let model;
for (let r = 0; r < 3; r++) {
  model?.free();
  const t0 = performance.now();
  model = LcaModel.fromDump(npz, json);
  const f = new Float64Array(n);
  f[meta.reference_scores_scipy_spsolve[0].demand_index] = 1;
  model.scores(f);
  first.push((performance.now() - t0) / 1000);
}
let maxRelErr = 0;
for (const ref of meta.reference_scores_scipy_spsolve) {
  const f = new Float64Array(n);
  f[ref.demand_index] = 1;
  const s = model.scores(f)[0];
  maxRelErr = Math.max(maxRelErr, Math.abs(s - ref.score) / Math.abs(ref.score));
}
// (b) new demands on the same factorization
const resolve = [];
for (let j = 0; j < 20; j++) {
  const f = new Float64Array(n);
  f[(j * 997) % n] = 1;
  const t0 = performance.now();
  model.scores(f);
  resolve.push((performance.now() - t0) / 1000);
}
// (c) all products, one category (one adjoint solve)
const all = [];
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  model.intensities("score");
  all.push((performance.now() - t0) / 1000);
}
// (d) Monte Carlo (one thread in WASM)
const demand = [{ amounts: [{ id: meta.reference_scores_scipy_spsolve[0].demand_index, amount: 1 }] }];
// steady state, as bw2calc reports its median iteration: n iterations minus a run of one
let t0 = performance.now();
model.monte_carlo({ demands: demand, iterations: 1, seed: 1 });
const tSetup = (performance.now() - t0) / 1000;
t0 = performance.now();
const mc = model.monte_carlo({ demands: demand, iterations: mcIters, seed: 1 });
const tAll = (performance.now() - t0) / 1000;
const tMc = Math.max(tAll - tSetup, 1e-9) * mcIters / Math.max(mcIters - 1, 1);
console.log(JSON.stringify({
  engine: "tanso-wasm",
  node: process.version,
  n,
  first_score_s: median(first),
  reference_max_rel_err: maxRelErr,
  new_demand_s: median(resolve),
  all_products_one_category_s: median(all),
  mc_iterations: mcIters,
  mc_iterations_per_s: mcIters / tMc,
  mc_setup_s: tSetup,
  mc_mean: mc.results[0].mean,
}, null, 2));
model.free();
