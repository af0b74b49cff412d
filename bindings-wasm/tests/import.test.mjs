// importDatabase and ImportedDatabase: real LCA databases in from bytes (as a browser page gets
// a dropped file), with the report, the model, the cache, and typed errors. The formats are
// tested in core and, case by case, in the shared vectors (testdata/vectors/import_*.json).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { ImportedDatabase, InputError, LcaError, importDatabase, lca_import } from "tanso";
import { ROOT } from "./helpers.mjs";

const MINI = join(ROOT, "testdata", "import", "mini");
const files = readdirSync(MINI).filter((f) => f.endsWith(".spold")).sort()
  .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(MINI, name))) }));
const GWP = { methods: [{ id: "GWP", unit: "kg CO2e", factors: [{ flow: "f-co2", factor: 1 }] }] };
const STEEL = "a-steel_p-steel";

function check(db) {
  const r = db.report;
  assert.equal(r.format, "ecospold2");
  assert.equal(r.counts.activities, 2);
  assert.equal(r.counts.methods, 1);
  assert.deepEqual(r.unlinked.map((u) => u.product_name), ["tap water"]);
  const model = db.model();
  const f = new Float64Array(model.activity_ids().length);
  f[model.activity_ids().indexOf(STEEL)] = 1;
  // hand calculation (testdata/import/mini/README.md): 1.8 + 0.5 × 0.6 = 2.1 kg CO2e per kg steel
  assert.ok(Math.abs(model.scores(f)[0] - 2.1) < 1e-12);
  model.free();
}

describe("importDatabase", () => {
  test("files as bytes import; the report names what is left out", () => {
    const db = importDatabase(files, GWP);
    check(db);
    assert.equal(db.system().processes.length, 2);
    db.free();
    assert.throws(() => db.report, /freed/);
  });

  test("the cache restores the database", () => {
    const db = importDatabase(files, GWP);
    const cache = db.toCache();
    assert.ok(cache instanceof Uint8Array);
    const again = ImportedDatabase.fromCache(cache);
    assert.deepEqual(again.report, db.report);
    check(again);
  });

  test("the document operation gives the same scores", () => {
    const doc = {
      files: files.map((f) => ({ name: f.name, text: new TextDecoder().decode(f.bytes) })),
      options: GWP,
      calculate: { demands: [{ amounts: [{ id: STEEL, amount: 2 }] }] },
    };
    const out = lca_import(doc);
    assert.ok(Math.abs(out.results[0].scores.GWP - 4.2) < 1e-12);
    assert.equal(out.report.counts.activities, 2);
  });

  test("bad files and options are typed errors", () => {
    assert.throws(() => importDatabase({ name: "broken.zip", bytes: new Uint8Array([80, 75, 3, 4, 0]) }),
      (e) => e instanceof LcaError && e.code === "MALFORMED_DATA" && /broken\.zip/.test(e.message));
    assert.throws(() => importDatabase({ name: "notes.txt", bytes: "hello" }),
      (e) => e instanceof LcaError && e.code === "UNSUPPORTED_SCHEMA");
    assert.throws(() => ImportedDatabase.fromCache(new Uint8Array([1, 2, 3])),
      (e) => e instanceof LcaError && e.code === "UNSUPPORTED_SCHEMA");
    assert.throws(() => importDatabase(files, { allocation: "alphabetical" }),
      (e) => e instanceof InputError && e.code === "INVALID_INPUT");
    assert.throws(() => importDatabase([{ bytes: new Uint8Array() }]),
      (e) => e instanceof InputError && /name/.test(e.message));
  });
});
