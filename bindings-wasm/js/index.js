// tanso for JavaScript: the document API of the Rust core, compiled to WebAssembly.
//
// Every operation of `tanso::api::OPERATIONS` is a named export taking one document (a plain
// object) and returning one. Decimals are strings in both directions (a JS number is also
// accepted on input and becomes the decimal of its shortest representation, so 0.1 is
// exactly "0.1"). Failures throw a `TansoError` subclass with a stable `code`.
//
// In Node (>= 20.16) the module initialises itself synchronously from the .wasm file next to
// the generated glue. In a browser, or on an older Node, call `await init()` once first.
// This file imports nothing Node-specific: `fs` is reached through
// `process.getBuiltinModule`, and only when running in Node.

import initWasm, { initSync, call as callRaw, __wbg_reset_state as resetWasm } from "../pkg/tanso_wasm.js";

// ---------------------------------------------------------------------------------------
// Errors

/** Base class of every error tanso throws; `code` is stable across releases. */
export class TansoError extends Error {
  /**
   * @param {string} message what is wrong: the field, the value and what would be valid
   * @param {{code: string, area?: string}} details the stable code and its domain area
   */
  constructor(message, { code, area } = { code: "" }) {
    super(message);
    /** The stable error code, e.g. "UNIT_MISMATCH". */
    this.code = code;
    /** The domain area: "units", "ghg", "factors", "accounting" or "input". */
    this.area = area ?? new.target.area ?? "";
  }
}

/** Errors of units and quantities (UNKNOWN_UNIT, UNIT_MISMATCH, …). */
export class UnitError extends TansoError {
  static area = "units";
}
/** Errors of gases and GWP sets (UNKNOWN_GAS, GWP_NOT_AVAILABLE, …). */
export class GhgError extends TansoError {
  static area = "ghg";
}
/** Errors of emission factors and factor tables (FACTOR_NOT_FOUND, MALFORMED_ROW, …). */
export class FactorError extends TansoError {
  static area = "factors";
}
/** Errors of calculators and inventories (NEGATIVE_AMOUNT, DOUBLE_CLAIM, …). */
export class AccountingError extends TansoError {
  static area = "accounting";
}
/** Errors in the shape of an input document (INVALID_INPUT, UNKNOWN_OPERATION, …). */
export class InputError extends TansoError {
  static area = "input";
}

// `name` as literals on the prototypes (as for JS's own errors), so minifiers cannot rename it.
TansoError.prototype.name = "TansoError";
UnitError.prototype.name = "UnitError";
GhgError.prototype.name = "GhgError";
FactorError.prototype.name = "FactorError";
AccountingError.prototype.name = "AccountingError";
InputError.prototype.name = "InputError";

/** The error class of each area of core's error codes (`error_codes` of `catalog`). */
export const ERROR_CLASSES = Object.freeze({
  units: UnitError,
  ghg: GhgError,
  factors: FactorError,
  accounting: AccountingError,
  input: InputError,
});

/**
 * Whether `e` is an error thrown by tanso, optionally with the given code.
 * @param {unknown} e
 * @param {string} [code]
 * @returns {boolean}
 */
export function isTansoError(e, code) {
  return e instanceof TansoError && (code === undefined || e.code === code);
}

/** The typed error for a code, area and message (an unknown area gets the base class). */
function typedError(code, area, message) {
  const Class = Object.hasOwn(ERROR_CLASSES, area) ? ERROR_CLASSES[area] : TansoError;
  return new Class(message, { code, area });
}

// ---------------------------------------------------------------------------------------
// Initialisation

let ready = false;
/** The pending load of `init`, shared by concurrent callers. */
let loading = null;

/** The Node `fs` module when running in Node >= 20.16, else undefined (browsers). */
function nodeFs() {
  const proc = globalThis.process;
  if (proc?.versions?.node === undefined || typeof proc.getBuiltinModule !== "function") {
    return undefined;
  }
  return proc.getBuiltinModule("node:fs");
}

const wasmUrl = new URL("../pkg/tanso_wasm_bg.wasm", import.meta.url);

{
  const fs = nodeFs();
  if (fs !== undefined) {
    initSync({ module: fs.readFileSync(wasmUrl) });
    ready = true;
  }
}

/**
 * Loads the WebAssembly module. Needed once in a browser (or Node < 20.16) before any
 * operation; a no-op when already loaded. `source` is passed to wasm-bindgen's loader (a
 * URL, Response, BufferSource or WebAssembly.Module); by default the .wasm file is fetched
 * from beside the generated glue.
 * @param {unknown} [source]
 * @returns {Promise<void>}
 */
export function init(source) {
  if (ready) return Promise.resolve();
  loading ??= initWasm({ module_or_path: source ?? wasmUrl }).then(
    () => {
      ready = true;
    },
    (e) => {
      loading = null; // let a later call try again (e.g. with another source)
      throw e;
    },
  );
  return loading;
}

// ---------------------------------------------------------------------------------------
// Operations

/**
 * Runs any operation by name on a document and returns the result document.
 * @param {string} operation a name of `OPERATIONS`
 * @param {object} [doc] the input document (`{}` when omitted)
 * @returns {any}
 */
export function call(operation, doc = {}) {
  if (!ready) {
    throw new Error("tanso: the WebAssembly module is not loaded; call `await init()` first");
  }
  let text;
  try {
    text = JSON.stringify(doc, toJson);
  } catch (e) {
    if (isTansoError(e)) throw e;
    throw typedError("INVALID_INPUT", "input", `${operation}: invalid input: ${e.message}`);
  }
  let out;
  try {
    out = callRaw(String(operation), text ?? "null");
  } catch (e) {
    if (typeof e?.code === "string" && typeof e?.area === "string") {
      throw typedError(e.code, e.area, e.message);
    }
    // Anything else is a trap inside the module (a panic or out of memory): a bug in tanso.
    // The instance may be inconsistent after it, so it is replaced by a fresh one (tanso keeps
    // no state between calls, so nothing is lost) and the next call starts clean.
    resetWasm();
    throw new Error(`tanso: internal error in the WebAssembly module (${e?.message ?? e}); ` +
      "the module was reset. This is a bug in tanso: please report it with the input.", { cause: e });
  }
  return JSON.parse(out);
}

/**
 * JSON.stringify replacer: a BigInt becomes its exact decimal string; a typed array (a column
 * of amounts, e.g. a Float64Array) becomes an array of its numbers; NaN and ±Infinity, which
 * JSON would silently turn into null (read as "absent" by optional fields), are refused.
 */
function toJson(key, value) {
  if (typeof value === "bigint") return value.toString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value);
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw typedError("NON_FINITE", "input", `${key || "document"}: ${value} is not a finite number`);
  }
  return value;
}

const names = [];

/** Defines the exported function of one operation and records its name. */
function operation(name) {
  names.push(name);
  const run = (doc = {}) => call(name, doc);
  Object.defineProperty(run, "name", { value: name });
  return run;
}

// One line per operation of `tanso::api::OPERATIONS` (its `catalog` lists them; a test
// checks that every one is here and in index.d.ts).
export const convert = operation("convert");
export const gwp = operation("gwp");
export const lookup_factor = operation("lookup_factor");
export const fuel = operation("fuel");
export const calculate = operation("calculate");
export const inventory = operation("inventory");
export const batch = operation("batch");
export const catalog = operation("catalog");

/** The names of every operation, in the order of core's list. */
export const OPERATIONS = Object.freeze(names);
