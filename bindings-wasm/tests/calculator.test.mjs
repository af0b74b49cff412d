// The vehicle calculator page (web/vehicles/) end to end in a real browser: Debian's
// Chromium driven by playwright-core loads the static page from a local server, the page
// initialises the WASM module and draws its charts; the test moves the levers as a user
// would and checks that every chart is recomputed with numbers, and takes a screenshot of
// each chart and checks in the browser that it has drawn content (not a blank box).
// Skipped only where no Chromium is installed (test.sh installs it when it can).

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css" };

function chromiumPath() {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      return execFileSync("which", [name], { encoding: "utf8" }).trim();
    } catch {
      // not this one
    }
  }
  return null;
}

const chromium = chromiumPath();

async function serve() {
  const server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path.endsWith("/")) path += "index.html";
    const file = join(PACKAGE_DIR, path);
    if (!file.startsWith(PACKAGE_DIR)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** Reads a number shown as text ("12,345.6", "37.5 %"). */
const number = (text) => Number(text.replace(/[,%\s]/g, ""));

/** Distinct colours of a PNG, decoded by the browser itself (a blank box has one or two). */
async function distinctColours(page, png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = new OffscreenCanvas(img.width, img.height);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  }, png.toString("base64"));
}

test("the vehicle calculator recomputes its charts in headless Chromium", { skip: chromium === null && "no Chromium installed", timeout: 180_000 }, async () => {
  const { chromium: playwright } = await import("playwright-core");
  const server = await serve();
  // the flags keep Chromium off the network (closed on CI machines)
  const browser = await playwright.launch({
    executablePath: chromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`http://127.0.0.1:${server.address().port}/web/vehicles/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    assert.deepEqual(errors, []);
    assert.equal(await page.textContent("#error"), "");

    const read = async () => ({
      production: number(await page.textContent("#production-total")),
      steel: number(await page.textContent("#steel-share")),
      aluminium: number(await page.textContent("#aluminium-share")),
      rest: number(await page.textContent("#rest-share")),
      ev: number(await page.textContent("#gpkm-a")),
      ice: number(await page.textContent("#gpkm-b")),
      updates: Number(await page.getAttribute("body", "data-updates")),
    });
    const settle = async (before) => {
      await page.waitForFunction((n) => Number(document.body.dataset.updates) > n, before.updates);
      return read();
    };

    // The defaults: a medium BEV against a medium petrol car in China.
    const start = await read();
    assert.ok(start.production > 1 && start.production < 100, `production ${start.production} t`);
    assert.ok(Math.abs(start.steel + start.aluminium + start.rest - 100) < 0.2, JSON.stringify(start));
    assert.ok(start.ev > 0 && start.ice > 0, JSON.stringify(start));
    const materialBars = await page.$$eval("#chart-materials rect", (rs) => rs.map((r) => Number(r.dataset.value)));
    assert.ok(materialBars.length >= 5 && materialBars.every(Number.isFinite), `bars ${materialBars}`);
    const labels = await page.$$eval("#chart-materials text.value", (ts) => ts.map((t) => t.textContent));
    assert.ok(labels.some((t) => /^\d[\d,]*(\.\d+)? kg CO2e/.test(t)), `labels ${labels}`);
    assert.ok((await page.$$("#chart-lifecycle rect")).length >= 5);
    assert.ok((await page.$$("#chart-shares rect")).length >= 4);

    // Recycled aluminium lowers production emissions and the aluminium share.
    await page.fill("#recycled-wrought", "100");
    await page.fill("#recycled-cast", "100");
    const recycled = await settle(start);
    assert.ok(recycled.production < start.production, `${recycled.production} < ${start.production}`);
    assert.ok(recycled.aluminium < start.aluminium, `${recycled.aluminium} < ${start.aluminium}`);
    // Green steel lowers the steel share.
    await page.fill("#green", "100");
    const green = await settle(recycled);
    assert.ok(green.steel < recycled.steel, `${green.steel} < ${recycled.steel}`);
    // A cleaner grid lowers the EV's g/km and leaves the petrol car's exhaust alone.
    await page.fill("#grid", "20");
    const clean = await settle(green);
    assert.ok(clean.ev < green.ev, `${clean.ev} < ${green.ev}`);
    // A larger car emits more in production.
    await page.selectOption("#size", "large_suv");
    const large = await settle(clean);
    assert.ok(large.production > clean.production, `${large.production} > ${clean.production}`);
    // A later production year moves the background.
    await page.fill("#year", "2045");
    const later = await settle(large);
    assert.notEqual(later.production, large.production);
    assert.equal(await page.textContent("#error"), "");

    // Screenshots: each chart has drawn content with its numbers.
    for (const id of ["#chart-materials", "#chart-shares", "#chart-lifecycle", "#chart-cumulative"]) {
      const png = await page.locator(id).screenshot();
      const colours = await distinctColours(page, png);
      assert.ok(colours > 8, `${id}: ${colours} colours — a blank chart?`);
      const texts = await page.$$eval(`${id} text`, (ts) => ts.map((t) => t.textContent));
      assert.ok(texts.some((t) => /\d/.test(t)), `${id} shows no number: ${texts}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
