// Decimals never pass through a float: strings in, strings out, 28 significant digits exact;
// a JS number becomes the decimal of its shortest representation.

import { test } from "node:test";
import assert from "node:assert/strict";

import { batch, calculate, convert, gwp, isTansoError } from "tanso";

test("28 significant digits round-trip exactly through convert kg → kg", () => {
  const value = "1234567890.123456789012345678";
  assert.deepEqual(convert({ value, from: "kg", to: "kg" }), { value, unit: "kg" });
});

test("results carry decimals as strings", () => {
  const out = gwp({ gas: "R-404A", gwp_set: "AR4" });
  assert.equal(typeof out.gwp, "string");
  assert.equal(out.gwp, "3921.6");
  for (const c of out.components) {
    assert.equal(typeof c.fraction, "string");
    assert.equal(typeof c.gwp, "string");
  }
});

test("exact where a float is not: 0.1 + 0.2 style sums stay exact", () => {
  // 1 ton-mile = 0.90718474 t × 1.609344 km exactly.
  assert.equal(convert({ value: "1", from: "ton_mile", to: "tkm" }).value, "1.45997231821056");
  assert.equal(convert({ value: "0.3", from: "t", to: "kg" }).value, "300");
});

test("float rule: the number 0.1 is the decimal 0.1", () => {
  assert.equal(convert({ value: 0.1, from: "kg", to: "kg" }).value, "0.1");
  assert.equal(convert({ value: 0.1, from: "t", to: "kg" }).value, "100");
  // 0.1 + 0.2 is the float 0.30000000000000004, whose shortest representation is kept.
  assert.equal(convert({ value: 0.1 + 0.2, from: "kg", to: "kg" }).value, "0.30000000000000004");
  assert.equal(convert({ value: 1e-7, from: "kg", to: "kg" }).value, "0.0000001");
  assert.equal(convert({ value: 12, from: "kg", to: "kg" }).value, "12");
});

test("a BigInt is sent as its exact digits", () => {
  assert.equal(convert({ value: 12345678901234567890123n, from: "kg", to: "kg" }).value, "12345678901234567890123");
});

test("decimal strings in other notations are read exactly", () => {
  assert.equal(convert({ value: "1e3", from: "kg", to: "t" }).value, "1");
  assert.equal(convert({ value: "1.500", from: "kg", to: "kg" }).value, "1.5");
});

test("nested decimals in a record stay exact", () => {
  const out = calculate({
    record: { type: "fuel_combustion", fuel: "cn_raw_coal", quantity: { value: "1000", unit: "kg" } },
  });
  assert.equal(typeof out.co2e_kg, "string");
  assert.match(out.co2e_kg, /^1900\.29/);
});

test("a typed array column is read number by number, each by the float rule", () => {
  const out = batch({
    year: 2022,
    kind: ["fuel", "fuel"],
    key: ["cn_raw_coal", "cn_raw_coal"],
    amount: new Float64Array([1000, 0.1]),
    unit: ["kg", "kg"],
  });
  const same = batch({
    year: 2022,
    kind: ["fuel", "fuel"],
    key: ["cn_raw_coal", "cn_raw_coal"],
    amount: ["1000", "0.1"],
    unit: ["kg", "kg"],
  });
  assert.deepEqual(out, same);
  assert.ok(out.co2e_kg.every((v) => typeof v === "string"));
});

test("NaN inside a typed array is refused, naming the row", () => {
  assert.throws(
    () => batch({ year: 2022, kind: ["fuel"], key: ["cn_raw_coal"], amount: new Float64Array([NaN]), unit: ["kg"] }),
    (e) => isTansoError(e, "NON_FINITE") && /^0: NaN/.test(e.message),
  );
});
