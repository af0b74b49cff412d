// The exported API: every operation of core under its own name, one list, the same in the
// TypeScript declarations; and the module loads without Node (the browser path).

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

import * as tanso from "tanso";
import { packageFile } from "./helpers.mjs";

const coreOperations = tanso.catalog().operations.map((o) => o.name);
const dts = packageFile("js/index.d.ts");

test("OPERATIONS is core's list of operations, in its order", () => {
  assert.deepEqual([...tanso.OPERATIONS], coreOperations);
  assert.ok(Object.isFrozen(tanso.OPERATIONS));
});

test("every operation of core is exported under its own name", () => {
  for (const name of coreOperations) {
    assert.equal(typeof tanso[name], "function", `no export '${name}'`);
    assert.equal(tanso[name].name, name);
  }
});

test("every operation is declared in index.d.ts", () => {
  for (const name of coreOperations) {
    assert.ok(new RegExp(`^export declare function ${name}\\(`, "m").test(dts), `no declaration of ${name}`);
    assert.ok(new RegExp(`^  ${name}: \\[`, "m").test(dts), `no entry for ${name} in interface Operations`);
  }
});

test("the package exports nothing undeclared", () => {
  for (const name of Object.keys(tanso)) {
    assert.ok(new RegExp(`^export declare (function|const|class) ${name}\\b`, "m").test(dts), `${name} undeclared`);
  }
});

test("a named operation and call(name) give the same result", () => {
  const doc = { gas: "R-410A", gwp_set: "AR4" };
  assert.deepEqual(tanso.gwp(doc), tanso.call("gwp", doc));
});

test("catalog takes no document", () => {
  assert.deepEqual(tanso.catalog(), tanso.catalog({}));
});

test("results are fresh objects: changing one changes nothing else", () => {
  const a = tanso.gwp({ gas: "SF6" });
  a.gwp = "0";
  assert.notEqual(tanso.gwp({ gas: "SF6" }).gwp, "0");
});

test("the input document is not changed", () => {
  const doc = { value: 0.1, from: "t", to: "kg" };
  const copy = structuredClone(doc);
  tanso.convert(doc);
  assert.deepEqual(doc, copy);
});

test("without Node's fs (as in a browser) it loads, asks for init(), then works", () => {
  // A child process hides process.getBuiltinModule before importing the package, so the
  // wrapper takes the browser path; init() is then given the bytes, since Node's fetch cannot
  // read file: URLs. A bad source rejects; concurrent and repeated calls load once.
  const script = `
    const fs = process.getBuiltinModule("node:fs");
    delete process.getBuiltinModule;
    const tanso = await import("tanso");
    let before;
    try { tanso.convert({ value: "1", from: "tce", to: "GJ" }); } catch (e) { before = e.message; }
    const bytes = fs.readFileSync(new URL("../pkg/tanso_wasm_bg.wasm", import.meta.resolve("tanso")));
    let bad;
    await tanso.init(new Uint8Array([0, 1, 2, 3])).catch((e) => { bad = e.name; });
    await Promise.all([tanso.init(bytes), tanso.init(bytes)]);
    await tanso.init();
    console.log(JSON.stringify({ before, bad, after: tanso.convert({ value: "1", from: "tce", to: "GJ" }) }));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    encoding: "utf8",
  });
  const { before, bad, after } = JSON.parse(out);
  assert.match(before, /await init\(\)/);
  assert.equal(bad, "CompileError"); // a failed load rejects, and a later init() still works
  assert.deepEqual(after, { value: "29.3076", unit: "GJ" });
});

test("the wrapper and the generated glue import nothing from Node", () => {
  for (const file of ["js/index.js", "pkg/tanso_wasm.js"]) {
    const imports = [...packageFile(file).matchAll(/^\s*import\b[^;]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]);
    for (const specifier of imports) {
      assert.ok(specifier.startsWith("."), `${file} imports '${specifier}'`);
    }
    assert.doesNotMatch(packageFile(file), /\brequire\(|import\(\s*["']node:/, `${file} loads a Node module`);
  }
});
