// LcaModel: core's LCA model kept in the module between calls. End to end on the
// 1000-activity dump of bench_bw2calc.py (SciPy's reference scores to 1e-10), on a small
// system document (contributions, upstream, tree, Sankey), from typed arrays, Monte Carlo
// reproducible from a seed with progress, and the typed errors of bad input.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { InputError, LcaError, LcaModel, TansoError, isTansoError, lca, lca_monte_carlo } from "tanso";
import { ROOT, vectorFiles } from "./helpers.mjs";

const DUMP = join(ROOT, "testdata", "lca", "synthetic_n1000_seed1");
const npz = readFileSync(`${DUMP}.npz`);
const json = readFileSync(`${DUMP}.json`);
const meta = JSON.parse(json.toString("utf8"));

/** |e − a| ≤ tol · max(|e|, |a|). */
function close(actual, expected, tol, what = "") {
  assert.ok(
    Math.abs(expected - actual) <= tol * Math.max(Math.abs(expected), Math.abs(actual)),
    `${what}: expected ${expected}, got ${actual} (relative tolerance ${tol})`,
  );
}

/** The unit demand vector e_j of length n. */
function unit(n, j) {
  const f = new Float64Array(n);
  f[j] = 1;
  return f;
}

/** Calls `fn` and returns what it throws. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

/** The system of the first case of the shared LCA vectors (steel, electricity, coal, slag). */
const steelCase = vectorFiles().find(([f]) => f === "lca.json")[1].cases[0];
const SYSTEM = steelCase.input.system;
const STEEL = [{ amounts: [{ id: "steel", amount: 1 }] }];

describe("the 1000-activity dump of bench_bw2calc.py", () => {
  const model = LcaModel.fromDump(npz, json);
  const n = meta.n_technosphere;

  test("describe, ids and methods", () => {
    const d = model.describe();
    assert.equal(d.activities, n);
    assert.equal(d.flows, meta.n_biosphere);
    assert.equal(d.technosphere_nonzeros, meta.nnz_technosphere);
    assert.equal(d.biosphere_nonzeros, meta.nnz_biosphere);
    assert.deepEqual(model.method_ids(), ["score"]);
    assert.equal(model.activity_ids().length, n);
    assert.equal(model.flow_ids().length, meta.n_biosphere);
  });

  test("SciPy's reference scores to 1e-10, one model for every demand", () => {
    assert.ok(meta.reference_scores_scipy_spsolve.length >= 5);
    for (const { demand_index: j, score } of meta.reference_scores_scipy_spsolve) {
      const s = model.scores(unit(n, j));
      assert.ok(s instanceof Float64Array && s.length === 1);
      close(s[0], score, 1e-10, `demand ${j}`);
    }
  });

  test("a new demand reuses the model: scores are linear in the demand", () => {
    const [a, b] = meta.reference_scores_scipy_spsolve;
    const f = new Float64Array(n);
    f[a.demand_index] = 2;
    f[b.demand_index] = 0.5;
    close(model.scores(f)[0], 2 * a.score + 0.5 * b.score, 1e-10, "2 e_a + 0.5 e_b");
    // A plain array works as a demand too.
    close(model.scores(Array.from(unit(n, a.demand_index)))[0], a.score, 1e-10, "plain array");
  });

  test("supply and inventory have one amount per activity and per flow", () => {
    const j = meta.reference_scores_scipy_spsolve[0].demand_index;
    const x = model.supply(unit(n, j));
    const g = model.inventory(unit(n, j));
    assert.ok(x instanceof Float64Array && x.length === n);
    assert.ok(g instanceof Float64Array && g.length === meta.n_biosphere);
    assert.ok(x[j] >= 1 - 1e-9, "the demanded activity runs at least once");
  });

  test("intensities[j] is the score of the demand e_j", () => {
    const lambda = model.intensities("score");
    assert.ok(lambda instanceof Float64Array && lambda.length === n);
    for (const { demand_index: j, score } of meta.reference_scores_scipy_spsolve) {
      close(lambda[j], score, 1e-10, `intensity ${j}`);
    }
    for (const j of [0, 1, 499, 998, 999]) {
      close(lambda[j], model.scores(unit(n, j))[0], 1e-10, `intensity ${j}`);
    }
  });

  test("the document API answers the same on the model", () => {
    const j = meta.reference_scores_scipy_spsolve[0].demand_index;
    const id = model.activity_ids()[j];
    const out = model.calculate({ demands: [{ amounts: [{ id, amount: 1 }] }], include: ["contributions"], top: 3 });
    close(out.results[0].scores.score, meta.reference_scores_scipy_spsolve[0].score, 1e-10, "calculate");
    assert.equal(out.results[0].contributions.score.processes.length, 3);
  });

  test("Monte Carlo on the dump's lognormal uncertainty: reproducible, with progress", () => {
    const j = meta.reference_scores_scipy_spsolve[0].demand_index;
    const req = { demands: [{ amounts: [{ id: model.activity_ids()[j], amount: 1 }] }], iterations: 20, seed: 7, include_samples: true };
    const calls = [];
    const a = model.monte_carlo(req, (done, total) => calls.push([done, total]));
    const b = model.monte_carlo(req);
    assert.deepEqual(a, b);
    assert.equal(a.results[0].samples.length, 20);
    assert.ok(a.results[0].sd > 0, "the draws vary");
    assert.equal(calls.length, 20);
    assert.deepEqual(calls.at(-1), [20, 20]);
  });
});

describe("a small system document", () => {
  const model = new LcaModel(SYSTEM);

  test("describe and ids", () => {
    const d = model.describe();
    assert.equal(d.activities, 4);
    assert.deepEqual(model.activity_ids(), ["electricity", "coal", "steel", "slag treatment"]);
    assert.deepEqual(model.flow_ids(), ["CO2", "CH4"]);
    assert.deepEqual(model.method_ids(), SYSTEM.methods.map((m) => m.id));
    assert.deepEqual(d.loop_blocks, [2]); // electricity ⇄ coal
  });

  test("calculate with contributions, upstream, tree and Sankey agrees with itself and with `lca`", () => {
    const req = { demands: STEEL, include: ["contributions", "upstream", "tree", "sankey"], cutoff: 0 };
    const out = model.calculate(req);
    assert.deepEqual(out, lca({ system: SYSTEM, ...req }), "the model and the stateless operation");
    const r = out.results[0];
    const score = r.scores.GWP100;
    assert.equal(typeof score, "number");
    const c = r.contributions.GWP100;
    close(c.total, score, 1e-12, "contributions total");
    close(c.processes.reduce((s, p) => s + p.score, 0), score, 1e-12, "process contributions add up");
    close(c.flows.reduce((s, f) => s + f.score, 0), score, 1e-12, "flow contributions add up");
    close(c.processes.reduce((s, p) => s + p.share, 0), 1, 1e-12, "shares add up to 1");
    const steel = r.upstream.GWP100.find((u) => u.activity === "steel");
    close(steel.upstream, score, 1e-12, "upstream of the demanded activity");
    close(steel.intensity, score, 1e-12, "intensity of steel");
    const tree = r.tree.GWP100;
    assert.equal(tree.roots.length, 1);
    assert.equal(tree.roots[0].activity, "steel");
    close(tree.roots[0].score, score, 1e-12, "tree root");
    assert.ok(tree.roots[0].children.length > 0);
    const sankey = r.sankey.GWP100;
    close(sankey.total, score, 1e-12, "Sankey total");
    assert.ok(sankey.nodes.some((nd) => nd.id === "steel"));
    assert.ok(sankey.links.every((l) => typeof l.score === "number"));
  });

  test("the vector case gives the same scores on the model", () => {
    const { system: _system, ...req } = steelCase.input;
    const out = model.calculate(req);
    for (const [k, r] of steelCase.expected.results.entries()) {
      for (const [m, s] of Object.entries(r.scores)) close(out.results[k].scores[m], s, 1e-9, `${r.demand ?? k} ${m}`);
    }
  });

  test("dense vectors follow the ids' order", () => {
    const ids = model.activity_ids();
    const f = new Float64Array(ids.length);
    f[ids.indexOf("steel")] = 1;
    const s = model.scores(f);
    const out = model.calculate({ demands: STEEL });
    assert.deepEqual(Array.from(s), model.method_ids().map((m) => out.results[0].scores[m]));
    const lambda = model.intensities("GWP100");
    close(lambda[ids.indexOf("steel")], out.results[0].scores.GWP100, 1e-12, "intensity of steel");
  });

  test("results are fresh objects and the request is not changed", () => {
    const req = { demands: STEEL, include: ["supply"] };
    const copy = structuredClone(req);
    const a = model.calculate(req);
    a.results[0].scores.GWP100 = 0;
    assert.notEqual(model.calculate(req).results[0].scores.GWP100, 0);
    assert.deepEqual(req, copy);
  });
});

/** The steel system with uncertain amounts (the Monte Carlo vector's system). */
const uncertainCase = vectorFiles().find(([f]) => f === "lca.json")[1].cases.find((c) => c.operation === "lca_monte_carlo" && c.tolerance === 1e-12);

describe("Monte Carlo", () => {
  const model = new LcaModel(uncertainCase.input.system);
  const req = { demands: STEEL, iterations: 100, seed: 42, include_samples: true };

  test("the same seed gives identical samples; another seed others", () => {
    const a = model.monte_carlo(req);
    const b = model.monte_carlo(req);
    assert.deepEqual(a, b);
    const samples = a.results[0].samples;
    assert.equal(samples.length, 100);
    assert.ok(new Set(samples).size > 90, "the draws vary");
    const c = model.monte_carlo({ ...req, seed: 43 });
    assert.notDeepEqual(c.results[0].samples, samples);
    assert.equal(a.seed, 42);
    assert.equal(a.iterations, 100);
  });

  test("the model and the stateless operation give the same draws", () => {
    assert.deepEqual(model.monte_carlo(req), lca_monte_carlo({ system: uncertainCase.input.system, ...req }));
  });

  test("the shared vector's draws (to 1e-12) on the model", () => {
    const { system: _system, ...vreq } = uncertainCase.input;
    const out = model.monte_carlo(vreq);
    for (const [k, r] of uncertainCase.expected.results.entries()) {
      for (const [i, s] of (r.samples ?? []).entries()) close(out.results[k].samples[i], s, 1e-12, `result ${k} draw ${i}`);
      close(out.results[k].mean, r.mean, 1e-12, `result ${k} mean`);
    }
  });

  test("progress is called synchronously with (done, total), ending at total", () => {
    const calls = [];
    let during = false;
    const out = model.monte_carlo(req, (done, total) => {
      during = true;
      calls.push([done, total]);
    });
    assert.ok(during);
    assert.equal(calls.length, 100);
    assert.ok(calls.every(([, total]) => total === 100));
    assert.deepEqual(calls.map(([done]) => done), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.deepEqual(out, model.monte_carlo(req), "progress changes nothing");
  });

  test("an exception thrown by the callback is rethrown at the end; the model still works", () => {
    const stop = new Error("stop");
    let calls = 0;
    const e = thrown(() =>
      model.monte_carlo(req, () => {
        calls += 1;
        throw stop;
      }),
    );
    assert.equal(e, stop);
    assert.equal(calls, 1, "not called again after it threw");
    assert.equal(model.monte_carlo(req).results[0].samples.length, 100);
  });

  test("the callback may call tanso", () => {
    const scores = [];
    model.monte_carlo({ ...req, iterations: 3 }, () => scores.push(model.calculate({ demands: STEEL }).results[0].scores.GWP100));
    assert.equal(scores.length, 3);
  });

  test("bad settings and callbacks are typed errors", () => {
    const e = thrown(() => model.monte_carlo({ ...req, iterations: 0 }));
    assert.ok(e instanceof LcaError && e.code === "INVALID_SETTING", String(e));
    const f = thrown(() => model.monte_carlo(req, "not a function"));
    assert.ok(f instanceof InputError && f.code === "INVALID_INPUT", String(f));
  });
});

describe("LcaModel.fromArrays", () => {
  // The steel system of the README of core (steel uses 0.5 kWh; 1.8 and 0.6 kg CO2).
  const spec = () => ({
    nActivities: 2,
    nFlows: 1,
    technosphere: { rows: new Uint32Array([0, 1, 1]), cols: new Uint32Array([0, 0, 1]), values: new Float64Array([1, -0.5, 1]) },
    biosphere: { rows: new Uint32Array([0, 0]), cols: new Uint32Array([0, 1]), values: new Float64Array([1.8, 0.6]) },
    methods: { GWP100: { flows: new Uint32Array([0]), factors: new Float64Array([1]) } },
    activityIds: ["steel", "kWh"],
  });

  test("scores, supply, inventory and ids", () => {
    const model = LcaModel.fromArrays(spec());
    assert.deepEqual(model.activity_ids(), ["steel", "kWh"]);
    assert.deepEqual(model.flow_ids(), [0]);
    assert.deepEqual(model.method_ids(), ["GWP100"]);
    close(model.scores([1, 0])[0], 2.1, 1e-12, "steel");
    assert.deepEqual(Array.from(model.supply([1, 0])), [1, 0.5]);
    close(model.inventory([0, 10])[0], 6, 1e-12, "10 kWh");
    close(model.intensities("GWP100")[0], 2.1, 1e-12, "intensity");
    assert.equal(model.calculate({ demands: [{ amounts: [{ id: "kWh", amount: 10 }] }] }).results[0].scores.GWP100, 6);
  });

  test("plain arrays, a list of methods and default ids", () => {
    const model = LcaModel.fromArrays({
      nActivities: 2,
      nFlows: 1,
      technosphere: { rows: [0, 1, 1], cols: [0, 0, 1], values: [1, -0.5, 1] },
      biosphere: { rows: [0, 0], cols: [0, 1], values: [1.8, 0.6] },
      methods: [{ id: "GWP100", flows: [0], factors: [1] }, { id: "twice", flows: [0], factors: [2] }],
    });
    assert.deepEqual(model.activity_ids(), [0, 1]);
    const s = model.scores(new Float64Array([1, 0]));
    close(s[0], 2.1, 1e-12, "GWP100");
    close(s[1], 4.2, 1e-12, "twice");
  });

  test("lognormal σ per entry: Monte Carlo varies the entries with σ ≠ 0, reproducibly", () => {
    const model = LcaModel.fromArrays({ ...spec(), biosphereSigma: new Float64Array([0, 0.1]) });
    assert.equal(model.describe().uncertain_values, 1);
    const req = { demands: [{ amounts: [{ id: "kWh", amount: 1 }] }], iterations: 200, seed: 1, include_samples: true };
    const a = model.monte_carlo(req);
    assert.deepEqual(a, model.monte_carlo(req));
    const r = a.results[0];
    assert.ok(r.sd > 0.03 && r.sd < 0.09, `sd ${r.sd}`);
    close(r.percentiles["50"], 0.6, 0.05, "median near the static value (median-preserving)");
  });

  test("bad arrays are typed errors naming the field", () => {
    const cases = [
      [{ ...spec(), technosphereSigma: new Float64Array([0.1]) }, InputError, "COLUMN_LENGTH", /technosphereSigma/],
      [{ ...spec(), technosphere: { rows: [0, -1, 1], cols: [0, 0, 1], values: [1, -0.5, 1] } }, InputError, "INVALID_INPUT", /technosphere\.rows\[1\]/],
      [{ ...spec(), technosphere: { rows: [0, 7, 1], cols: [0, 0, 1], values: [1, -0.5, 1] } }, LcaError, "INVALID_SETTING", /technosphere\[1\]/],
      [{ ...spec(), technosphere: { rows: [0, 1], cols: [0, 0, 1], values: [1, -0.5, 1] } }, InputError, "COLUMN_LENGTH", /technosphere/],
      [{ ...spec(), biosphere: { rows: [0, 0], cols: [0, 1], values: [1.8, NaN] } }, InputError, "NON_FINITE", /biosphere\[1\]/],
      [{ ...spec(), methods: { GWP100: { flows: [0, 0], factors: [1] } } }, InputError, "COLUMN_LENGTH", /GWP100/],
      [{ ...spec(), methods: { GWP100: { flows: [3], factors: [1] } } }, LcaError, "INVALID_SETTING", /GWP100/],
      [{ ...spec(), nActivities: -2 }, InputError, "INVALID_INPUT", /nActivities/],
      [{ ...spec(), activityIds: ["steel"] }, InputError, "COLUMN_LENGTH", /activity_ids/],
      [{ ...spec(), activityIds: ["steel", "steel"] }, LcaError, "DUPLICATE_ID", /steel/],
      [{ ...spec(), technosphere: { rows: [0, 1], cols: [0, 1], values: [1, 0] } }, LcaError, "MISSING_PRODUCTION", /kWh/],
      [{ ...spec(), technosphere: "no" }, InputError, "INVALID_INPUT", /technosphere/],
      [null, InputError, "INVALID_INPUT", /fromArrays/],
    ];
    for (const [s, Class, code, message] of cases) {
      const e = thrown(() => LcaModel.fromArrays(s));
      assert.ok(e instanceof Class, `${code}: got ${e}`);
      assert.equal(e.code, code, e.message);
      assert.match(e.message, message);
    }
  });
});

describe("errors of the model's calls", () => {
  const model = new LcaModel(SYSTEM);
  const n = model.activity_ids().length;

  test("an unknown id in a demand or a method is UNKNOWN_ID", () => {
    for (const fn of [
      () => model.calculate({ demands: [{ amounts: [{ id: "gold", amount: 1 }] }] }),
      () => model.calculate({ demands: STEEL, methods: ["GWP20"] }),
      () => model.intensities("GWP20"),
      () => model.monte_carlo({ demands: STEEL, methods: ["GWP20"], iterations: 2 }),
    ]) {
      const e = thrown(fn);
      assert.ok(e instanceof LcaError && e instanceof TansoError, String(e));
      assert.equal(e.code, "UNKNOWN_ID");
      assert.equal(e.area, "lca");
      assert.ok(isTansoError(e, "UNKNOWN_ID"));
    }
    assert.match(thrown(() => model.calculate({ demands: [{ amounts: [{ id: "gold", amount: 1 }] }] })).message, /gold/);
  });

  test("a demand vector of the wrong length is COLUMN_LENGTH; NaN is NON_FINITE", () => {
    for (const fn of [(f) => model.supply(f), (f) => model.inventory(f), (f) => model.scores(f)]) {
      const e = thrown(() => fn(new Float64Array(n + 1)));
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.code, "COLUMN_LENGTH");
      assert.match(e.message, new RegExp(`${n + 1}.*${n}`));
    }
    const f = new Float64Array(n);
    f[1] = NaN;
    const e = thrown(() => model.scores(f));
    assert.equal(e.code, "NON_FINITE");
    assert.match(e.message, /demand\[1\]/);
    assert.equal(thrown(() => model.scores("1,0,0,0")).code, "INVALID_INPUT");
    assert.equal(thrown(() => model.intensities(42)).code, "INVALID_INPUT");
  });

  test("a bad request is INVALID_INPUT or INVALID_SETTING", () => {
    assert.equal(thrown(() => model.calculate({ demands: STEEL, colour: "red" })).code, "INVALID_INPUT");
    assert.equal(thrown(() => model.calculate({ demands: STEEL, cutoff: 2 })).code, "INVALID_SETTING");
    assert.equal(thrown(() => model.calculate({ demands: [] })).code, "INVALID_SETTING");
    assert.equal(thrown(() => model.calculate({ demands: [{ amounts: [{ id: "steel", amount: Infinity }] }] })).code, "NON_FINITE");
  });

  test("a bad system document is the error of its fault", () => {
    const e = thrown(() => new LcaModel({ technosphere: [{ product: "a", activity: "a", amount: 1 }, { product: "b", activity: "a", amount: -1 }] }));
    assert.ok(e instanceof LcaError);
    assert.equal(e.code, "NON_SQUARE_TECHNOSPHERE");
    assert.equal(thrown(() => new LcaModel({ processes: "none" })).code, "INVALID_INPUT");
    assert.equal(thrown(() => new LcaModel()).code, "INVALID_INPUT");
  });

  test("broken dump bytes are MALFORMED_DATA; bytes of another type INVALID_INPUT", () => {
    for (const [n, j] of [
      [npz.subarray(0, 1000), json],
      [new Uint8Array([1, 2, 3]), json],
      [npz, new TextEncoder().encode("{ not json")],
      [npz, "{}"],
    ]) {
      const e = thrown(() => LcaModel.fromDump(n, j));
      assert.ok(e instanceof LcaError, String(e));
      assert.equal(e.code, "MALFORMED_DATA");
    }
    assert.equal(thrown(() => LcaModel.fromDump("a.npz", json)).code, "INVALID_INPUT");
    assert.equal(thrown(() => LcaModel.fromDump(npz, 42)).code, "INVALID_INPUT");
  });

  test("the dump as an ArrayBuffer and its JSON as text work too", () => {
    const buffer = npz.buffer.slice(npz.byteOffset, npz.byteOffset + npz.byteLength);
    const m = LcaModel.fromDump(buffer, json.toString("utf8"));
    assert.equal(m.describe().activities, meta.n_technosphere);
    m.free();
  });
});

describe("lifetime", () => {
  test("a freed model throws; free twice is harmless", () => {
    const model = new LcaModel(SYSTEM);
    model.free();
    model.free();
    const e = thrown(() => model.describe());
    assert.ok(!isTansoError(e));
    assert.match(e.message, /freed/);
  });

  test("after a trap the module is reset: older models are lost, new ones work", () => {
    const before = new LcaModel(SYSTEM);
    // 2³² − 1 activities: core's buffers for them cannot be allocated in 32-bit WebAssembly,
    // which aborts the instance (a trap), as any out-of-memory would.
    const e = thrown(() => LcaModel.fromArrays({ nActivities: 0xffffffff, nFlows: 0, technosphere: { rows: [], cols: [], values: [] } }));
    if (isTansoError(e)) return; // core refused the size itself: nothing was reset
    assert.match(e.message, /internal error.*reset/);
    const lost = thrown(() => before.scores([0, 0, 1, 0]));
    assert.match(lost.message, /lost.*build it again/);
    before.free(); // harmless
    const after = new LcaModel(SYSTEM);
    assert.equal(after.method_ids().length, SYSTEM.methods.length);
    assert.equal(after.calculate({ demands: STEEL }).results.length, 1);
  });
});
