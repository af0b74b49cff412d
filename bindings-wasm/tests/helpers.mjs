// Shared helpers of the test suite: where the shared test data is, and the vector matching rule.

import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The repository root (bindings-wasm/..). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The shared test vectors, read in place. */
export const VECTORS_DIR = join(ROOT, "testdata", "vectors");

/** Every vector file as [file name, parsed document], sorted by name. */
export function vectorFiles() {
  return readdirSync(VECTORS_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(VECTORS_DIR, f), "utf8"))]);
}

/**
 * The checked-in list of error codes, `[{code, area}]`, from testdata/error_codes.json; `null`
 * when the file is not there (the caller then uses the `catalog` operation's list).
 */
export function errorCodesFile() {
  try {
    return JSON.parse(readFileSync(join(ROOT, "testdata", "error_codes.json"), "utf8"));
  } catch (e) {
    if (e.code === "ENOENT") return null;
    throw e;
  }
}

/** The text of a file of this package (relative to bindings-wasm/). */
export function packageFile(path) {
  return readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), "utf8");
}

/**
 * Where `actual` fails to match `expected` under the vectors' rule (testdata/vectors/README.md):
 * `expected` is a subset of the output. An object matches when every key of `expected` is in
 * the output and its value matches; an array when it has the same length and each element
 * matches; a scalar when it is equal. With a relative `tolerance` (a case's `"tolerance"`),
 * numbers match when |e − a| ≤ tolerance × max(|e|, |a|), or |a| ≤ tolerance when e is 0.
 * Returns null on a match, else the path and the reason.
 */
export function mismatch(expected, actual, path = "$", tolerance = undefined) {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${JSON.stringify(actual)}`;
    if (actual.length !== expected.length) {
      return `${path}: expected ${expected.length} elements, got ${actual.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(expected[i], actual[i], `${path}[${i}]`, tolerance);
      if (m !== null) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    }
    for (const key of Object.keys(expected)) {
      if (!Object.hasOwn(actual, key)) return `${path}.${key}: missing from the output`;
      const m = mismatch(expected[key], actual[key], `${path}.${key}`, tolerance);
      if (m !== null) return m;
    }
    return null;
  }
  if (tolerance !== undefined && typeof expected === "number" && typeof actual === "number") {
    const ok = expected === 0
      ? Math.abs(actual) <= tolerance
      : Math.abs(expected - actual) <= tolerance * Math.max(Math.abs(expected), Math.abs(actual));
    return ok ? null : `${path}: expected ${expected} (relative tolerance ${tolerance}), got ${actual}`;
  }
  return expected === actual
    ? null
    : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
