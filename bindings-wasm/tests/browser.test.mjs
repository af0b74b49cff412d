// The package in a real browser: headless Chromium loads tests/browser/index.html from a
// server on 127.0.0.1, which imports js/index.js and the wasm-bindgen glue as ES modules,
// calls init() and runs operations, and builds an LcaModel from a dump's bytes fetched from
// testdata/lca/ (served from the repository root). test.sh installs Debian's chromium where
// it can (root with apt); skipped only where no Chromium is installed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const LCA_DATA_DIR = fileURLToPath(new URL("../../testdata/lca/", import.meta.url));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

function findChromium() {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      execFileSync("which", [name], { stdio: "ignore" });
      return name;
    } catch {
      // not this one
    }
  }
  return null;
}

const chromium = findChromium();

test("the package runs in headless Chromium", { skip: chromium === null && "no Chromium installed", timeout: 120_000 }, async () => {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = path.startsWith("/testdata/lca/")
      ? join(LCA_DATA_DIR, path.slice("/testdata/lca/".length))
      : join(PACKAGE_DIR, path === "/" ? "tests/browser/index.html" : path);
    if (!file.startsWith(PACKAGE_DIR) && !file.startsWith(LCA_DATA_DIR)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${server.address().port}/`;
    const profile = mkdtempSync(join(tmpdir(), "tanso-chromium-"));
    const dom = await new Promise((resolve, reject) => {
      execFile(
        chromium,
        // the flags keep Chromium off the network (closed on CI machines) and out of any profile
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         `--user-data-dir=${profile}`, "--virtual-time-budget=20000", "--dump-dom", url],
        { timeout: 90_000, maxBuffer: 1 << 20 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      );
    });
    const text = /<pre id="out">([\s\S]*?)<\/pre>/.exec(dom)?.[1];
    assert.ok(text !== undefined, `no output element in the page:\n${dom}`);
    const result = JSON.parse(text.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">"));
    assert.equal(result.failed, undefined, result.stack);
    assert.match(result.beforeInit, /await init\(\)/);
    assert.ok(result.operations.includes("convert"));
    assert.equal(result.digits, "1234567890.123456789012345678");
    assert.equal(result.float, "100");
    assert.equal(result.gwp, "2087.5");
    assert.deepEqual(result.batch, ["1900.2988488"]);
    assert.deepEqual(result.error, { name: "UnitError", code: "UNIT_MISMATCH", guard: true });
    const { score, reference, intensity, progress } = result.lca;
    assert.ok(Math.abs(score - reference) <= 1e-10 * Math.abs(reference), `${score} vs SciPy's ${reference}`);
    assert.ok(Math.abs(intensity - reference) <= 1e-10 * Math.abs(reference), `${intensity} vs SciPy's ${reference}`);
    assert.deepEqual(progress, ["1/5", "2/5", "3/5", "4/5", "5/5"]);
  } finally {
    server.close();
  }
});
