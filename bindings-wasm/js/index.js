// tanso for JavaScript: the document API of the Rust core, compiled to WebAssembly.
//
// Every operation of `tanso::api::OPERATIONS` is a named export taking one document (a plain
// object) and returning one. Decimals are strings in both directions (a JS number is also
// accepted on input and becomes the decimal of its shortest representation, so 0.1 is
// exactly "0.1"). Failures throw a `TansoError` subclass with a stable `code`.
//
// `LcaModel` keeps a factorized LCA system in the module between calls (documents as plain
// objects, vectors as Float64Arrays).
//
// In Node (>= 20.16) the module initialises itself synchronously from the .wasm file next to
// the generated glue. In a browser, or on an older Node, call `await init()` once first.
// This file imports nothing Node-specific: `fs` is reached through
// `process.getBuiltinModule`, and only when running in Node.

import initWasm, {
  initSync,
  call as callRaw,
  panicFailure,
  LcaModelHandle,
  ImportedDatabaseHandle,
  __wbg_reset_state as resetWasm,
} from "../pkg/tanso_wasm.js";

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
    /**
     * The domain area: "units", "ghg", "factors", "accounting", "input", "lca", "cbam",
     * "exchange", "materials", "product", "supply" or "vehicle".
     */
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
/** Errors of the LCA engine (UNKNOWN_ID, SINGULAR_TECHNOSPHERE, FORMULA_SYNTAX, …). */
export class LcaError extends TansoError {
  static area = "lca";
}
/** Errors of the EU CBAM (INVALID_CN_CODE, DEFAULT_VALUE_NOT_FOUND, CERTIFICATE_PRICE_MISSING, …). */
export class CbamError extends TansoError {
  static area = "cbam";
}
/** Errors of exchange formats: PACT ProductFootprint documents (PACT_INVALID, PACT_UNSUPPORTED_VERSION). */
export class ExchangeError extends TansoError {
  static area = "exchange";
}
/** Errors of the materials library (MATERIAL_NOT_FOUND, INVALID_RECYCLED_CONTENT). */
export class MaterialError extends TansoError {
  static area = "materials";
}
/** Errors of product systems (INVALID_BOM, INVALID_ALLOCATION, RECYCLING_PARAMETER_MISSING, INVALID_SUPPLIER_PCF). */
export class ProductError extends TansoError {
  static area = "product";
}
/** Errors of supplier networks (INVALID_NETWORK, UNKNOWN_REFERENCE, TRANSPORT_INTENSITY_MISSING). */
export class SupplyError extends TansoError {
  static area = "supply";
}

// `name` as literals on the prototypes (as for JS's own errors), so minifiers cannot rename it.
TansoError.prototype.name = "TansoError";
UnitError.prototype.name = "UnitError";
GhgError.prototype.name = "GhgError";
FactorError.prototype.name = "FactorError";
AccountingError.prototype.name = "AccountingError";
InputError.prototype.name = "InputError";
LcaError.prototype.name = "LcaError";
CbamError.prototype.name = "CbamError";
ExchangeError.prototype.name = "ExchangeError";
MaterialError.prototype.name = "MaterialError";
ProductError.prototype.name = "ProductError";
SupplyError.prototype.name = "SupplyError";
/** Errors of the vehicle model (UNKNOWN_SIZE_CLASS, UNKNOWN_POWERTRAIN, UNKNOWN_REGION, YEAR_OUT_OF_RANGE, …). */
export class VehicleError extends TansoError {
  static area = "vehicle";
}
VehicleError.prototype.name = "VehicleError";

/** The error class of each area of core's error codes (`error_codes` of `catalog`). */
export const ERROR_CLASSES = Object.freeze({
  units: UnitError,
  ghg: GhgError,
  factors: FactorError,
  accounting: AccountingError,
  input: InputError,
  lca: LcaError,
  cbam: CbamError,
  exchange: ExchangeError,
  materials: MaterialError,
  product: ProductError,
  supply: SupplyError,
  vehicle: VehicleError,
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

/** How many times the module was replaced after a trap: an `LcaModel` lives in one instance. */
let generation = 0;

/** Throws unless the module is loaded. */
function checkReady() {
  if (!ready) {
    throw new Error("tanso: the WebAssembly module is not loaded; call `await init()` first");
  }
}

/**
 * Runs `fn`, a call into the module, and turns what it throws into what tanso throws: a
 * failure reported by core (an `Error` with `code` and `area`) becomes its typed
 * `TansoError`. Anything else is a trap inside the module (a panic or out of memory): a bug
 * in tanso. The instance may be inconsistent after it, so it is replaced by a fresh one
 * (the document API keeps no state between calls; `LcaModel`s built before are lost) and the
 * next call starts clean.
 */
function guarded(fn, operation = "lca") {
  checkReady();
  try {
    return fn();
  } catch (e) {
    if (typeof e?.code === "string" && typeof e?.area === "string") {
      throw typedError(e.code, e.area, e.message);
    }
    // A panic (decimal overflow past 28 digits) left its message with the module's panic
    // hook: report it as core does natively (OUT_OF_RANGE naming the operation).
    let failure;
    try {
      failure = panicFailure(String(operation));
    } catch {
      failure = undefined; // the instance cannot answer: report the trap itself
    }
    resetWasm();
    generation += 1;
    if (typeof failure?.code === "string" && /overflow/i.test(failure.message)) {
      throw typedError(failure.code, failure.area, failure.message);
    }
    throw new Error(`tanso: internal error in the WebAssembly module (${e?.message ?? e}); ` +
      "the module was reset (LcaModels built before are lost). " +
      "This is a bug in tanso: please report it with the input.", { cause: e });
  }
}

/** A document as JSON text; what JSON cannot carry is a typed error of `operation`. */
function documentText(operation, doc) {
  let text;
  try {
    text = JSON.stringify(doc, toJson);
  } catch (e) {
    if (isTansoError(e)) throw e;
    throw typedError("INVALID_INPUT", "input", `${operation}: invalid input: ${e.message}`);
  }
  return text ?? "null";
}

/**
 * Runs any operation by name on a document and returns the result document.
 * @param {string} operation a name of `OPERATIONS`
 * @param {object} [doc] the input document (`{}` when omitted)
 * @returns {any}
 */
export function call(operation, doc = {}) {
  checkReady();
  const text = documentText(operation, doc);
  return JSON.parse(guarded(() => callRaw(String(operation), text), operation));
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
export const lca = operation("lca");
export const lca_monte_carlo = operation("lca_monte_carlo");
export const lca_import = operation("lca_import");
export const cbam_goods = operation("cbam_goods");
export const cbam_embedded = operation("cbam_embedded");
export const cbam_obligation = operation("cbam_obligation");
export const pact_validate = operation("pact_validate");
export const pact_convert = operation("pact_convert");
export const pact_summary = operation("pact_summary");
export const pact_export = operation("pact_export");
export const materials = operation("materials");
export const product_footprint = operation("product_footprint");
export const supply_network = operation("supply_network");
export const supply_audit = operation("supply_audit");
export const vehicle = operation("vehicle");
export const vehicle_grid = operation("vehicle_grid");
export const vehicle_defaults = operation("vehicle_defaults");
export const catalog = operation("catalog");

/** The names of every operation, in the order of core's list. */
export const OPERATIONS = Object.freeze(names);

// ---------------------------------------------------------------------------------------
// LcaModel

/** An INVALID_INPUT error of an `LcaModel` call. */
function invalid(where, message) {
  return typedError("INVALID_INPUT", "input", `${where}: ${message}`);
}

/** Whether `v` is an array or a typed array of numbers (not BigInts, not a DataView). */
function isNumberList(v) {
  if (Array.isArray(v)) return true;
  return ArrayBuffer.isView(v) && !(v instanceof DataView) &&
    !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
}

/**
 * A Float64Array of numbers: a Float64Array as it is, an array or another typed array copied.
 * Elements that are not numbers become NaN, which core refuses as NON_FINITE by position.
 */
function f64(where, v) {
  if (v instanceof Float64Array) return v;
  if (!isNumberList(v)) throw invalid(where, "expected a Float64Array or an array of numbers");
  return Float64Array.from(v, (x) => (typeof x === "number" ? x : NaN));
}

/** A Uint32Array of 0-based indices; anything else than an integer from 0 to 2³² − 1 is refused. */
function u32(where, v) {
  if (v instanceof Uint32Array) return v;
  if (!isNumberList(v)) throw invalid(where, "expected a Uint32Array or an array of indices");
  const out = new Uint32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) {
      throw invalid(`${where}[${i}]`, `${x} is not an index (expected an integer from 0 to 4294967295)`);
    }
    out[i] = x;
  }
  return out;
}

/** A count (number of activities or flows): an integer from 0 to 2³² − 1. */
function count(where, v) {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw invalid(where, `${v} is not a count (expected an integer from 0 to 4294967295)`);
  }
  return v;
}

/** Bytes of a file: a Uint8Array (a Node Buffer is one), an ArrayBuffer or another view. */
function bytes(where, v, text = false) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (text && typeof v === "string") return new TextEncoder().encode(v);
  throw invalid(where, `expected a Uint8Array or an ArrayBuffer${text ? " or a string" : ""}`);
}

/** The methods of `fromArrays` as ids and the concatenated flows and factors. */
function methodArrays(methods) {
  const list = methods === undefined ? [] : Array.isArray(methods)
    ? methods.map((m, k) => [m?.id, m, `methods[${k}]`])
    : methods !== null && typeof methods === "object"
      ? Object.entries(methods).map(([id, m]) => [id, m, `methods.${id}`])
      : null;
  if (list === null) {
    throw invalid("LcaModel.fromArrays",
      "methods: expected an object {id: {flows, factors}} or an array [{id, flows, factors}]");
  }
  const ids = [];
  const lengths = new Uint32Array(list.length);
  const flows = [];
  const factors = [];
  list.forEach(([id, m, where], k) => {
    if (typeof id !== "string") throw invalid(`LcaModel.fromArrays: ${where}.id`, "expected a string");
    const f = u32(`LcaModel.fromArrays: ${where}.flows`, m?.flows);
    const c = f64(`LcaModel.fromArrays: ${where}.factors`, m?.factors);
    if (f.length !== c.length) {
      throw typedError("COLUMN_LENGTH", "input",
        `LcaModel.fromArrays: ${where}.factors: has ${c.length} rows but flows has ${f.length}`);
    }
    ids.push(id);
    lengths[k] = f.length;
    flows.push(f);
    factors.push(c);
  });
  const concat = (parts, Type) => {
    const out = new Type(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  return {
    ids: JSON.stringify(ids),
    lengths,
    flows: concat(flows, Uint32Array),
    factors: concat(factors, Float64Array),
  };
}

/** An optional list of ids as JSON text (`null` when absent: the indices are the ids). */
function idsText(where, ids) {
  if (ids === undefined || ids === null) return "null";
  if (!Array.isArray(ids)) throw invalid(where, "expected an array of numbers or strings");
  return documentText("LcaModel.fromArrays", ids);
}

/** Marks the internal use of the constructor by the static builders. */
const fromHandle = Symbol("fromHandle");

/**
 * An LCA system factorized once and kept in the WebAssembly module, so that new demands,
 * intensities and Monte Carlo runs reuse the factorization. Documents are core's (the
 * `lca` operation's request without `"system"`); vectors are Float64Arrays in matrix order
 * (`activity_ids()`, `flow_ids()`, `method_ids()`).
 *
 * The model's memory lives in the module until `free()` (or until the model is garbage
 * collected). If the module traps (a bug in tanso), it is replaced by a fresh instance and
 * every model built before is lost: calls on it then throw, and it must be built again.
 */
export class LcaModel {
  /** The wasm-bindgen handle; null once freed. */
  #handle;
  /** The module instance (see `generation`) the handle belongs to. */
  #generation;

  /**
   * Builds and factorizes a system document (the `"system"` of the `lca` operation).
   * @param {object} system
   */
  constructor(system, handle = undefined) {
    if (system === fromHandle) {
      this.#handle = handle;
    } else {
      checkReady();
      const text = documentText("LcaModel", system);
      this.#handle = guarded(() => LcaModelHandle.fromSystem(text));
    }
    this.#generation = generation;
  }

  /**
   * Builds and factorizes a system given by 0-based indices: the triplets of the technosphere
   * (signed values: production positive, inputs negative) and of the biosphere, the
   * characterization factors of each method, optional lognormal σ per entry (0: certain) and
   * optional ids.
   * @param {object} spec
   * @returns {LcaModel}
   */
  static fromArrays(spec) {
    checkReady();
    const where = "LcaModel.fromArrays";
    if (spec === null || typeof spec !== "object") throw invalid(where, "expected an object");
    const tech = spec.technosphere;
    const bio = spec.biosphere ?? { rows: [], cols: [], values: [] };
    if (tech === null || typeof tech !== "object") throw invalid(where, "technosphere: expected {rows, cols, values}");
    if (bio === null || typeof bio !== "object") throw invalid(where, "biosphere: expected {rows, cols, values}");
    const sigma = (name) =>
      spec[name] === undefined || spec[name] === null ? undefined : f64(`${where}: ${name}`, spec[name]);
    const methods = methodArrays(spec.methods);
    const args = [
      count(`${where}: nActivities`, spec.nActivities),
      count(`${where}: nFlows`, spec.nFlows),
      u32(`${where}: technosphere.rows`, tech.rows),
      u32(`${where}: technosphere.cols`, tech.cols),
      f64(`${where}: technosphere.values`, tech.values),
      u32(`${where}: biosphere.rows`, bio.rows),
      u32(`${where}: biosphere.cols`, bio.cols),
      f64(`${where}: biosphere.values`, bio.values),
      sigma("technosphereSigma"),
      sigma("biosphereSigma"),
      methods.ids,
      methods.lengths,
      methods.flows,
      methods.factors,
      idsText(`${where}: activityIds`, spec.activityIds),
      idsText(`${where}: flowIds`, spec.flowIds),
    ];
    return new LcaModel(fromHandle, guarded(() => LcaModelHandle.fromArrays(...args)));
  }

  /**
   * Reads and factorizes a dump of `bench_bw2calc.py`: the bytes of its `.npz` and `.json`
   * files (in a browser, of dropped files: `new Uint8Array(await file.arrayBuffer())`).
   * @param {Uint8Array | ArrayBuffer} npz
   * @param {Uint8Array | ArrayBuffer | string} json
   * @returns {LcaModel}
   */
  static fromDump(npz, json) {
    checkReady();
    const n = bytes("LcaModel.fromDump: npz", npz);
    const j = bytes("LcaModel.fromDump: json", json, true);
    return new LcaModel(fromHandle, guarded(() => LcaModelHandle.fromDump(n, j)));
  }

  /** The handle, if this model can still be used. */
  #live() {
    checkReady();
    if (this.#handle === null) throw new Error("tanso: this LcaModel was freed");
    if (this.#generation !== generation) {
      throw new Error("tanso: this LcaModel was lost when the WebAssembly module was reset " +
        "after an internal error; build it again");
    }
    return this.#handle;
  }

  /** Sizes, loop blocks (strongly connected blocks of the technosphere), methods, parameters. */
  describe() {
    const h = this.#live();
    return JSON.parse(guarded(() => h.describe()));
  }

  /**
   * Answers a request of the `lca` operation without `"system"`: scores and what `include`
   * names, for each demand.
   * @param {object} request
   */
  calculate(request) {
    const h = this.#live();
    const text = documentText("lca", request);
    return JSON.parse(guarded(() => h.calculate(text)));
  }

  /**
   * Runs a request of the `lca_monte_carlo` operation without `"system"`, reproducible from
   * its `seed`. `onProgress(done, total)` is called synchronously as iterations finish; if it
   * throws, it is not called again and its exception is thrown when the run has ended.
   * @param {object} request
   * @param {(done: number, total: number) => void} [onProgress]
   */
  monte_carlo(request, onProgress = undefined) {
    const h = this.#live();
    if (onProgress !== undefined && onProgress !== null && typeof onProgress !== "function") {
      throw invalid("lca_monte_carlo", "onProgress: expected a function (done, total)");
    }
    const text = documentText("lca_monte_carlo", request);
    let failed = false;
    let thrown;
    // The user's exception stays on the JS side: it neither unwinds through the module nor
    // passes for a trap.
    const progress = typeof onProgress === "function"
      ? (done, total) => {
          if (failed) return;
          try {
            onProgress(done, total);
          } catch (e) {
            failed = true;
            thrown = e;
          }
        }
      : undefined;
    const out = guarded(() => h.monteCarlo(text, progress));
    if (failed) throw thrown;
    return JSON.parse(out);
  }

  /**
   * Supply `A⁻¹ f`: the amount of every activity for a demand vector (one amount per
   * activity, in `activity_ids()` order).
   * @param {Float64Array | readonly number[]} demand
   * @returns {Float64Array}
   */
  supply(demand) {
    const h = this.#live();
    const f = f64("demand", demand);
    return guarded(() => h.supply(f));
  }

  /**
   * Inventory `B A⁻¹ f`: one amount per flow, in `flow_ids()` order.
   * @param {Float64Array | readonly number[]} demand
   * @returns {Float64Array}
   */
  inventory(demand) {
    const h = this.#live();
    const f = f64("demand", demand);
    return guarded(() => h.inventory(f));
  }

  /**
   * Scores `cᵀ B A⁻¹ f` of a demand vector: one per method, in `method_ids()` order.
   * @param {Float64Array | readonly number[]} demand
   * @returns {Float64Array}
   */
  scores(demand) {
    const h = this.#live();
    const f = f64("demand", demand);
    return guarded(() => h.scores(f));
  }

  /**
   * Cradle-to-gate score of one unit of every product for a method (one adjoint solve):
   * `intensities(m)[j]` is the score of the demand `e_j`.
   * @param {string} method a method id
   * @returns {Float64Array}
   */
  intensities(method) {
    const h = this.#live();
    if (typeof method !== "string") throw invalid("intensities", "method: expected a method id (a string)");
    return guarded(() => h.intensities(method));
  }

  /** Activity (= product) ids in matrix order: numbers or strings, as the data has them. */
  activity_ids() {
    const h = this.#live();
    return JSON.parse(guarded(() => h.activityIds()));
  }

  /** Flow ids in matrix order. */
  flow_ids() {
    const h = this.#live();
    return JSON.parse(guarded(() => h.flowIds()));
  }

  /** Method ids in order. */
  method_ids() {
    const h = this.#live();
    return JSON.parse(guarded(() => h.methodIds()));
  }

  /** Releases the model's memory in the module now; the model cannot be used afterwards. */
  free() {
    const h = this.#handle;
    this.#handle = null;
    // A handle of an instance replaced after a trap is not freed: its memory is gone, and
    // its pointer means nothing in the new instance.
    if (h !== null && this.#generation === generation) h.free();
  }
}

if (typeof Symbol.dispose === "symbol") LcaModel.prototype[Symbol.dispose] = LcaModel.prototype.free;

// ---------------------------------------------------------------------------------------
// Imported databases

/** The files of `importDatabase` as names, lengths and one byte array. */
function importFiles(files) {
  const where = "importDatabase";
  const list = files instanceof Uint8Array || files instanceof ArrayBuffer || ArrayBuffer.isView(files)
    ? [{ name: "database", bytes: files }]
    : Array.isArray(files) ? files : [files];
  const names = [];
  const parts = [];
  list.forEach((f, k) => {
    if (f === null || typeof f !== "object" || typeof f.name !== "string") {
      throw invalid(where, `files[${k}]: expected {name: string, bytes: Uint8Array | ArrayBuffer | string}`);
    }
    names.push(f.name);
    parts.push(bytes(`${where}: files[${k}].bytes`, f.bytes, true));
  });
  const lengths = new Uint32Array(parts.map((p) => p.length));
  const all = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return [JSON.stringify(names), lengths, all];
}

/**
 * An LCA database read by `importDatabase`: the system the engine computes on (`model()`),
 * and the importer's report of what was linked, converted and left out (`report`).
 */
export class ImportedDatabase {
  #handle;
  #generation;

  constructor(handle) {
    if (!(handle instanceof ImportedDatabaseHandle)) {
      throw invalid("ImportedDatabase", "use importDatabase(files) or ImportedDatabase.fromCache(bytes)");
    }
    this.#handle = handle;
    this.#generation = generation;
  }

  /** Reads a cache written by `toCache` (an `UNSUPPORTED_SCHEMA` error for other bytes). */
  static fromCache(cache) {
    checkReady();
    const b = bytes("ImportedDatabase.fromCache", cache);
    return new ImportedDatabase(guarded(() => ImportedDatabaseHandle.fromCache(b), "lca_import"));
  }

  #live() {
    checkReady();
    if (this.#handle === null) throw new Error("tanso: this ImportedDatabase was freed");
    if (this.#generation !== generation) {
      throw new Error("tanso: this ImportedDatabase was lost when the WebAssembly module was reset " +
        "after an internal error; import it again");
    }
    return this.#handle;
  }

  /** The import report: counts, linked (by rule step), unlinked, conversions, allocations, left_out, warnings. */
  get report() {
    const h = this.#live();
    return JSON.parse(guarded(() => h.report(), "lca_import"));
  }

  /** The system document (as `LcaModel` and `lca` take it). */
  system() {
    const h = this.#live();
    return JSON.parse(guarded(() => h.system(), "lca_import"));
  }

  /** Builds and factorizes the engine's model of the database. */
  model() {
    const h = this.#live();
    return new LcaModel(fromHandle, guarded(() => h.model(), "lca_import"));
  }

  /** The database as a compact binary cache (store it; `fromCache` restores it). */
  toCache() {
    const h = this.#live();
    return guarded(() => h.toCache(), "lca_import");
  }

  /** Releases the database's memory in the module now. */
  free() {
    const h = this.#handle;
    this.#handle = null;
    if (h !== null && this.#generation === generation) h.free();
  }
}

if (typeof Symbol.dispose === "symbol") ImportedDatabase.prototype[Symbol.dispose] = ImportedDatabase.prototype.free;

/**
 * Imports an LCA database: an openLCA JSON-LD export (zip), EcoSpold2 `.spold` files (or a zip
 * of them), or a Brightway datapackage (zip, or its files). `files`: the bytes of one file, or
 * `{name, bytes}` objects (in a browser, `bytes` from `await file.arrayBuffer()`).
 * `options`: `format`, `fallback_locations`, `allocation`, `methods` (as in `lca_import`).
 * @returns {ImportedDatabase}
 */
export function importDatabase(files, options = {}) {
  checkReady();
  const [names, lengths, all] = importFiles(files);
  const opts = documentText("importDatabase", options ?? {});
  return new ImportedDatabase(guarded(() => ImportedDatabaseHandle.importFiles(names, lengths, all, opts), "lca_import"));
}
