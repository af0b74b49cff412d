// The TypeScript declarations against what core really takes and returns: every successful
// vector case becomes a typed constant, `const input: InputOf<op> = <the case's input>` and
// `const output: OutputOf<op> = <what the operation returned>`, and the TypeScript compiler
// (the pinned dev dependency, strict) checks them. A field core adds to a result, or an
// enum value the types lack, fails here by name (object literals allow no unknown keys).

import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import ts from "typescript";

import * as tanso from "tanso";
import { vectorFiles } from "./helpers.mjs";

const TESTS_DIR = fileURLToPath(new URL(".", import.meta.url));

/** Every successful vector case of an exported operation, with the operation's real output. */
function typedCases() {
  const cases = [];
  for (const [file, doc] of vectorFiles()) {
    for (const c of doc.cases) {
      if ("error" in c || !tanso.OPERATIONS.includes(c.operation)) continue;
      cases.push({ label: `${file}: ${c.name}`, operation: c.operation, input: c.input, output: tanso.call(c.operation, c.input) });
    }
  }
  // Results no vector covers whole.
  const extra = [
    ["catalog", {}],
    ["fuel", { fuel: "diesel" }],
    ["lookup_factor", { activity: "electricity.grid_average", geography: "CN-SC", year: 2030 }],
  ];
  for (const [operation, input] of extra) {
    cases.push({ label: `${operation} ${JSON.stringify(input)}`, operation, input, output: tanso.call(operation, input) });
  }
  return cases;
}

/** Type-checks `source` as a file in tests/ and returns the diagnostics as "line: message". */
function typeCheck(source) {
  const config = ts.getParsedCommandLineOfConfigFile(join(TESTS_DIR, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  });
  const path = join(TESTS_DIR, "vectors-generated.ts").replaceAll("\\", "/");
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => f === path || fileExists.call(host, f);
  host.readFile = (f) => (f === path ? source : readFile.call(host, f));
  host.getSourceFile = (f, lang, ...rest) =>
    f === path ? ts.createSourceFile(f, source, lang, true) : getSourceFile.call(host, f, lang, ...rest);
  const program = ts.createProgram([path], config.options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return { line, file: d.file?.fileName, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
  });
}

test("every vector's input and real output fit the TypeScript types", () => {
  const cases = typedCases();
  assert.ok(cases.length > 0);
  const lines = ['import type { InputOf, OutputOf } from "tanso";'];
  const labelOfLine = [];
  cases.forEach((c, i) => {
    const op = JSON.stringify(c.operation);
    lines.push(`export const input${i}: InputOf<${op}> = ${JSON.stringify(c.input)};`);
    labelOfLine[lines.length] = `${c.label} (input)`;
    lines.push(`export const output${i}: OutputOf<${op}> = ${JSON.stringify(c.output)};`);
    labelOfLine[lines.length] = `${c.label} (output)`;
  });
  const problems = typeCheck(lines.join("\n")).map((d) =>
    d.file?.endsWith("vectors-generated.ts") ? `${labelOfLine[d.line]}: ${d.message}` : `${d.file}:${d.line}: ${d.message}`,
  );
  assert.deepEqual(problems, [], problems.join("\n\n"));
});
