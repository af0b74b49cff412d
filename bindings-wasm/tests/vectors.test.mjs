// Runs every case of every file in testdata/vectors/ through the JS binding, with the shared
// matching rule (numbers within the case's relative `tolerance` when it has one); error cases
// pass when a TansoError with that stable code is thrown.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import * as tanso from "tanso";
import { mismatch, vectorFiles } from "./helpers.mjs";

/** The exported function of an operation, or `call` for a name the binding does not export. */
function runner(operation) {
  return tanso.OPERATIONS.includes(operation)
    ? tanso[operation]
    : (doc) => tanso.call(operation, doc);
}

const files = vectorFiles();

test("there are vector files", () => {
  assert.ok(files.length > 0, "no vector files found");
});

for (const [file, doc] of files) {
  describe(file, () => {
    assert.ok(Array.isArray(doc.cases) && doc.cases.length > 0, `${file}: no cases`);
    for (const c of doc.cases) {
      test(c.name, () => {
        assert.ok(("expected" in c) !== ("error" in c), "a case has exactly one of expected, error");
        assert.ok(c.tolerance === undefined || (typeof c.tolerance === "number" && c.tolerance >= 0), "tolerance is a number ≥ 0");
        const run = runner(c.operation);
        if ("error" in c) {
          assert.throws(
            () => run(c.input),
            (e) => {
              assert.ok(tanso.isTansoError(e), `expected a TansoError, got ${e}`);
              assert.equal(e.code, c.error, e.message);
              return true;
            },
          );
        } else {
          let out;
          try {
            out = run(c.input);
          } catch (e) {
            assert.fail(`${c.operation} failed: ${e.code ?? ""} ${e.message}`);
          }
          const m = mismatch(c.expected, out, "$", c.tolerance);
          assert.equal(m, null, `${m}\noutput: ${JSON.stringify(out)}`);
        }
      });
    }
  });
}
