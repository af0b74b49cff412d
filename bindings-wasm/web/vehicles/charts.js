// Small SVG charts for the vehicle calculator: no dependencies, every bar labelled with its
// number so a reader (and the browser test) can read the values off the chart.

const SVG = "http://www.w3.org/2000/svg";

/** Colours by material / stage, stable across redraws. */
export const PALETTE = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
  "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
];

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Formats a number with `digits` fraction digits and thin grouping. */
export function fmt(value, digits = 0) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * Horizontal bars: one row per item, the value written at the bar's end.
 * @param {SVGSVGElement} svg
 * @param {{label: string, value: number, color?: string, note?: string}[]} items
 * @param {{unit: string, digits?: number, width?: number}} options
 */
export function horizontalBars(svg, items, { unit, digits = 0, width = 520 }) {
  svg.replaceChildren();
  const row = 22;
  const labelWidth = 170;
  const valueWidth = 110;
  const height = Math.max(1, items.length) * row + 8;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("height", String(height));
  const max = Math.max(1e-12, ...items.map((d) => Math.abs(d.value)));
  const span = width - labelWidth - valueWidth;
  items.forEach((d, i) => {
    const y = 4 + i * row;
    const w = (Math.abs(d.value) / max) * span;
    svg.append(el("text", { x: labelWidth - 6, y: y + 15, "text-anchor": "end", class: "label" }, d.label));
    svg.append(el("rect", { x: labelWidth, y: y + 3, width: Math.max(0.5, w), height: row - 6, fill: d.color ?? PALETTE[i % PALETTE.length], "data-value": d.value }));
    svg.append(el("text", { x: labelWidth + w + 5, y: y + 15, class: "value" }, `${fmt(d.value, digits)} ${unit}${d.note ? ` ${d.note}` : ""}`));
  });
}

/**
 * Vertical stacked bars: one column per series, one segment per part, the total on top.
 * @param {SVGSVGElement} svg
 * @param {{label: string, parts: {name: string, value: number}[]}[]} series
 * @param {{unit: string, names: string[], digits?: number, width?: number, height?: number}} options
 */
export function stackedColumns(svg, series, { unit, names, digits = 0, width = 520, height = 300 }) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("height", String(height));
  const top = 24;
  const bottom = 40;
  const legendWidth = 190;
  const plotHeight = height - top - bottom;
  const totals = series.map((s) => s.parts.reduce((a, p) => a + Math.max(0, p.value), 0));
  const max = Math.max(1e-12, ...totals);
  const column = Math.min(90, (width - legendWidth - 20) / Math.max(1, series.length) - 20);
  series.forEach((s, i) => {
    const x = 20 + i * (column + 20);
    let y = top + plotHeight;
    s.parts.forEach((p) => {
      const h = (Math.max(0, p.value) / max) * plotHeight;
      y -= h;
      const color = PALETTE[names.indexOf(p.name) % PALETTE.length];
      const rect = el("rect", { x, y, width: column, height: Math.max(0, h), fill: color, "data-value": p.value });
      rect.append(el("title", {}, `${p.name}: ${fmt(p.value, digits)} ${unit}`));
      svg.append(rect);
    });
    svg.append(el("text", { x: x + column / 2, y: y - 6, "text-anchor": "middle", class: "value" }, `${fmt(totals[i], digits)}`));
    svg.append(el("text", { x: x + column / 2, y: top + plotHeight + 16, "text-anchor": "middle", class: "label" }, s.label));
  });
  svg.append(el("text", { x: 20, y: height - 4, class: "axis" }, unit));
  names.forEach((name, j) => {
    const y = top + j * 18;
    svg.append(el("rect", { x: width - legendWidth + 4, y, width: 12, height: 12, fill: PALETTE[j % PALETTE.length] }));
    svg.append(el("text", { x: width - legendWidth + 22, y: y + 11, class: "label" }, name));
  });
}

/**
 * Lines of cumulative emissions against distance, with a marker where two lines cross.
 * @param {SVGSVGElement} svg
 * @param {{label: string, start: number, perKm: number, color: string}[]} lines  t CO2e at 0 km and t per km
 * @param {{maxKm: number, crossKm: number | null, width?: number, height?: number}} options
 */
export function cumulativeLines(svg, lines, { maxKm, crossKm, width = 520, height = 260 }) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("height", String(height));
  const left = 50;
  const right = 20;
  const top = 24;
  const bottom = 36;
  const maxY = Math.max(1e-12, ...lines.map((l) => l.start + l.perKm * maxKm));
  const sx = (km) => left + (km / maxKm) * (width - left - right);
  const sy = (t) => top + (1 - t / maxY) * (height - top - bottom);
  svg.append(el("line", { x1: left, y1: sy(0), x2: width - right, y2: sy(0), class: "grid" }));
  for (let k = 0; k <= 4; k++) {
    const km = (maxKm * k) / 4;
    svg.append(el("text", { x: sx(km), y: height - 18, "text-anchor": "middle", class: "axis" }, `${fmt(km / 1000)}k km`));
    const t = (maxY * k) / 4;
    svg.append(el("text", { x: left - 6, y: sy(t) + 4, "text-anchor": "end", class: "axis" }, fmt(t, 1)));
  }
  svg.append(el("text", { x: 4, y: top - 4, class: "axis" }, "t CO2e"));
  lines.forEach((l, i) => {
    svg.append(el("line", { x1: sx(0), y1: sy(l.start), x2: sx(maxKm), y2: sy(l.start + l.perKm * maxKm), stroke: l.color, "stroke-width": 3 }));
    svg.append(el("text", { x: width - right - 4, y: sy(l.start + l.perKm * maxKm) - 6 - i * 2, "text-anchor": "end", class: "label", fill: l.color }, l.label));
  });
  if (crossKm !== null && crossKm >= 0 && crossKm <= maxKm) {
    const l = lines[0];
    const y = l.start + l.perKm * crossKm;
    svg.append(el("circle", { cx: sx(crossKm), cy: sy(y), r: 6, class: "cross" }));
    svg.append(el("text", { x: sx(crossKm), y: sy(y) - 12, "text-anchor": "middle", class: "value" }, `break-even ${fmt(crossKm)} km`));
  }
}

/**
 * Horizontal stacked bars, one row per item, each split into parts; the sum written at the end.
 * @param {SVGSVGElement} svg
 * @param {{label: string, parts: {name: string, value: number}[]}[]} rows
 * @param {{unit: string, names: string[], max?: number, digits?: number, width?: number}} options
 */
export function stackedRows(svg, rows, { unit, names, max, digits = 0, width = 520 }) {
  svg.replaceChildren();
  const row = 18;
  const labelWidth = 150;
  const top = 22;
  const height = top + Math.max(1, rows.length) * row + 6;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("height", String(height));
  const totals = rows.map((r) => r.parts.reduce((a, p) => a + Math.max(0, p.value), 0));
  const scaleMax = max ?? Math.max(1e-12, ...totals);
  const span = width - labelWidth - 70;
  names.forEach((name, j) => {
    svg.append(el("rect", { x: labelWidth + j * 110, y: 4, width: 12, height: 12, fill: PALETTE[j % PALETTE.length] }));
    svg.append(el("text", { x: labelWidth + j * 110 + 16, y: 14, class: "label" }, name));
  });
  rows.forEach((r, i) => {
    const y = top + i * row;
    svg.append(el("text", { x: labelWidth - 6, y: y + 13, "text-anchor": "end", class: "label" }, r.label));
    let x = labelWidth;
    r.parts.forEach((p) => {
      const w = (Math.max(0, p.value) / scaleMax) * span;
      const rect = el("rect", { x, y: y + 2, width: w, height: row - 4, fill: PALETTE[names.indexOf(p.name) % PALETTE.length], "data-value": p.value });
      rect.append(el("title", {}, `${p.name}: ${fmt(p.value, digits)} ${unit}`));
      svg.append(rect);
      x += w;
    });
    svg.append(el("text", { x: x + 5, y: y + 13, class: "value" }, `${fmt(totals[i], digits)} ${unit}`));
  });
}
