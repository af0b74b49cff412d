// Typed errors: a class for every area and a guard for every stable code of
// testdata/error_codes.json (or, without it, of the `catalog` operation), errors thrown for
// real by core, errors of the conversion of the input, and recovery from a trap in the module.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import * as tanso from "tanso";
import {
  AccountingError,
  CbamError,
  ERROR_CLASSES,
  ExchangeError,
  FactorError,
  GhgError,
  InputError,
  MaterialError,
  ProductError,
  SupplyError,
  VehicleError,
  TansoError,
  UnitError,
  isTansoError,
} from "tanso";
import { errorCodesFile, packageFile } from "./helpers.mjs";

const catalogCodes = tanso.catalog().error_codes;
const codes = errorCodesFile() ?? catalogCodes;
const dts = packageFile("js/index.d.ts");

test("testdata/error_codes.json and core's catalog list the same codes", () => {
  assert.deepEqual(codes, catalogCodes);
});

describe("a typed error for every code", () => {
  for (const { code, area } of codes) {
    test(code, () => {
      assert.ok(Object.hasOwn(ERROR_CLASSES, area), `no error class for area '${area}'`);
      const Class = ERROR_CLASSES[area];
      assert.equal(Class.area, area);
      const e = new Class("message", { code, area });
      assert.ok(e instanceof Class && e instanceof TansoError && e instanceof Error);
      assert.equal(e.name, Class.name);
      assert.equal(e.code, code);
      assert.equal(e.area, area);
      assert.ok(isTansoError(e));
      assert.ok(isTansoError(e, code));
      assert.ok(!isTansoError(e, `${code}_NOT`));
      // The TypeScript surface knows the code and its area.
      assert.ok(new RegExp(`^\\s*${code}: "${area}";$`, "m").test(dts), `index.d.ts lacks ${code}`);
    });
  }
});

test("error class names are literals (not left to minifiers)", () => {
  const names = Object.values(ERROR_CLASSES).map((C) => C.prototype.name);
  assert.deepEqual(names, ["UnitError", "GhgError", "FactorError", "AccountingError", "InputError", "LcaError", "CbamError", "ExchangeError", "MaterialError", "ProductError", "SupplyError", "VehicleError"]);
  assert.equal(TansoError.prototype.name, "TansoError");
});

test("isTansoError rejects other values", () => {
  for (const v of [new Error("x"), { code: "UNIT_MISMATCH", area: "units" }, null, undefined, "UNIT_MISMATCH"]) {
    assert.equal(isTansoError(v), false);
  }
});

/** Calls `fn` and returns what it throws. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected an error");
}

describe("errors thrown by core arrive typed, with code, area and message", () => {
  const cases = [
    [() => tanso.convert({ value: "1", from: "kg", to: "kWh" }), UnitError, "UNIT_MISMATCH", /kWh/],
    [() => tanso.convert({ value: "1", from: "kwhr", to: "MJ" }), UnitError, "UNKNOWN_UNIT", /kwhr/],
    [() => tanso.gwp({ gas: "R-999" }), GhgError, "UNKNOWN_GAS", /R-999/],
    [() => tanso.gwp({ gas: "CO2", gwp_set: "AR7" }), GhgError, "UNKNOWN_GWP_SET", /AR7/],
    [() => tanso.fuel({ fuel: "unobtainium" }), FactorError, "UNKNOWN_FUEL", /unobtainium/],
    [
      () => tanso.lookup_factor({ activity: "electricity.grid_average", geography: "CN", year: 1900 }),
      FactorError,
      "FACTOR_NOT_FOUND",
      /1900/,
    ],
    [
      () => tanso.calculate({ record: { type: "fuel_combustion", fuel: "cn_raw_coal", quantity: { value: "-1", unit: "kg" } } }),
      AccountingError,
      "NEGATIVE_AMOUNT",
      /-1/,
    ],
    [() => tanso.cbam_goods({ cn_codes: ["72O8"] }), CbamError, "INVALID_CN_CODE", /72O8/],
    [
      () => tanso.cbam_embedded({ year: 2026, good: { cn_code: "7208 51 20", country: "IN" } }),
      CbamError,
      "DEFAULT_VALUE_NOT_FOUND",
      /IN/,
    ],
    [
      () => tanso.cbam_obligation({ year: 2026, lines: [{ good: { cn_code: "7208", country: "CN" }, mass: { value: "100", unit: "t" }, quarter: 4 }] }),
      CbamError,
      "CERTIFICATE_PRICE_MISSING",
      /2026-Q4/,
    ],
    [
      () => tanso.pact_validate({ document: { specVersion: "1.0.0" } }),
      ExchangeError,
      "PACT_UNSUPPORTED_VERSION",
      /1\.0\.0/,
    ],
    [
      () => tanso.pact_export({ version: "2.3", declared_unit: "piece" }),
      ExchangeError,
      "PACT_INVALID",
      /pcf\.declaredUnit/,
    ],
    [() => tanso.materials({ action: "lookup", material: "steel", form: "forged" }), MaterialError, "MATERIAL_NOT_FOUND", /forged/],
    [
      () => tanso.materials({ action: "lookup", material: "steel", recycled_content: "1.2" }),
      MaterialError,
      "INVALID_RECYCLED_CONTENT",
      /1\.2/,
    ],
    [
      () => tanso.product_footprint({ product: { id: "p" }, parts: [{ id: "x" }, { id: "x" }] }),
      ProductError,
      "INVALID_BOM",
      /'x'/,
    ],
    [
      () =>
        tanso.product_footprint({
          product: { id: "p" },
          parts: [{ id: "a", materials: [{ material: "steel", route: "bf_bof", form: "crude", mass_kg: 1 }] }],
          recycling: { approach: "cff" },
        }),
      ProductError,
      "RECYCLING_PARAMETER_MISSING",
      /recycling\.a/,
    ],
    [
      () =>
        tanso.supply_network({
          network: { products: [], components: [{ id: "c", suppliers: [{ id: "a", country: "CN", share: "0.5", kg_co2e_per_unit: "1" }] }] },
        }),
      SupplyError,
      "INVALID_NETWORK",
      /components\[0\]\.suppliers\[\*\]\.share/,
    ],
    [() => tanso.convert({ value: "1", from: "kg" }), InputError, "INVALID_INPUT", /to/],
    [() => tanso.call("no_such_operation", {}), InputError, "UNKNOWN_OPERATION", /convert/],
  ];
  for (const [fn, Class, code, message] of cases) {
    test(code, () => {
      const e = thrown(fn);
      assert.ok(e instanceof Class, `expected ${Class.name}, got ${e}`);
      assert.equal(e.name, Class.name);
      assert.equal(e.code, code);
      assert.equal(e.area, Class.area);
      assert.match(e.message, message);
      assert.match(String(e), new RegExp(`^${Class.name}: `));
      assert.ok(typeof e.stack === "string");
    });
  }
});

describe("input that JSON cannot carry", () => {
  test("NaN and Infinity are NON_FINITE, not silently null", () => {
    for (const value of [NaN, Infinity, -Infinity]) {
      const e = thrown(() => tanso.convert({ value, from: "kg", to: "t" }));
      assert.ok(e instanceof InputError);
      assert.equal(e.code, "NON_FINITE");
      assert.match(e.message, /^value: /);
    }
  });

  test("a cyclic document is INVALID_INPUT", () => {
    const doc = { value: "1", from: "kg", to: "t" };
    doc.self = doc;
    const e = thrown(() => tanso.convert(doc));
    assert.ok(e instanceof InputError);
    assert.equal(e.code, "INVALID_INPUT");
  });

  test("not an object is INVALID_INPUT from core", () => {
    for (const doc of [null, 42, "convert", [1, 2]]) {
      const e = thrown(() => tanso.convert(doc));
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.code, "INVALID_INPUT");
    }
  });
});

test("decimal overflow is OUT_OF_RANGE as in the native bindings, and the next call works", () => {
  // 79228162514264337593543950335 t in kg overflows the 96-bit decimal: natively core catches
  // the panic; in WASM the panic aborts the instance, the hook kept its message, and the
  // wrapper reports the same typed error and replaces the instance.
  const e = thrown(() => tanso.convert({ value: "79228162514264337593543950335", from: "t", to: "kg" }));
  assert.ok(isTansoError(e, "OUT_OF_RANGE"), String(e));
  assert.ok(e instanceof tanso.AccountingError);
  assert.match(e.message, /^convert: /);
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(tanso.convert({ value: "1", from: "tce", to: "GJ" }), { value: "29.3076", unit: "GJ" });
  }
});
