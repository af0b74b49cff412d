// Type-checked (tsc --strict, no DOM or Node types) usage of the package as a TypeScript user
// writes it; `npx tsc -p tests/tsconfig.json` fails if the declarations drift from this use.

import {
  batch,
  call,
  calculate,
  catalog,
  cbam_embedded,
  cbam_goods,
  cbam_obligation,
  CbamError,
  convert,
  ExchangeError,
  fuel,
  gwp,
  ImportedDatabase,
  importDatabase,
  init,
  inventory,
  isTansoError,
  lca,
  lca_import,
  lca_monte_carlo,
  LcaError,
  LcaModel,
  lookup_factor,
  MaterialError,
  materials,
  OPERATIONS,
  pact_convert,
  pact_export,
  pact_summary,
  pact_validate,
  product_footprint,
  ProductError,
  supply_audit,
  supply_network,
  SupplyError,
  type SupplyNetworkOutput,
  vehicle,
  vehicle_defaults,
  vehicle_grid,
  VehicleError,
  type VehicleOutput,
  TansoError,
  UnitError,
  type CbamLine,
  type CbamObligationOutput,
  type CbamSector,
  type ConvertOutput,
  type Decimal,
  type ErrorCode,
  type LcaOutput,
  type LcaSystem,
  type NodeId,
  type MaterialResolved,
  type OperationName,
  type PactProductFootprintV3,
  type PactSummaryOutput,
  type ProductFootprintOutput,
  type ProductPart,
  type RecordResult,
} from "tanso";

export async function example(): Promise<string[]> {
  await init(); // needed in a browser; a no-op in Node
  const lines: string[] = [];

  const gj: ConvertOutput = convert({ value: "1", from: "tce", to: "GJ" });
  const value: Decimal = gj.value; // decimals are strings
  lines.push(value.padStart(10));
  convert({ value: 0.1, from: "t", to: "kg" }); // a number is accepted on input
  convert({ value: 10n, from: "t", to: "kg" }); // and a BigInt

  const r410a = gwp({ gas: "R-410A", gwp_set: "AR4" });
  for (const c of r410a.components) lines.push(`${c.gas} ${c.fraction} × ${c.gwp}`);

  const ef = lookup_factor({ activity: "electricity.grid_average", geography: "CN", year: 2022 });
  lines.push(ef.factor.gases["CO2"] ?? "-", ef.fallback?.used_geography ?? "exact");
  lines.push(fuel({ fuel: "diesel" }).ncv_mj_per_unit);

  const rec: RecordResult = calculate({
    record: { type: "electricity", id: "meter-1", energy: { value: "1000", unit: "kWh" }, geography: "CN" },
    year: 2022,
  });
  lines.push(rec.co2e_kg, String(rec.scope), rec.market_based?.co2e_kg ?? "");

  const inv = inventory({
    organisation: { name: "ACME", consolidation: "equity_share", sites: [{ id: "hz", equity_share: "0.6" }] },
    reporting_year: 2022,
    records: [
      { type: "fuel_combustion", site: "hz", fuel: "cn_raw_coal", quantity: { value: "1000", unit: "kg" } },
      { type: "refrigerant", gas: "R-410A", method: "released", mass: { value: "2", unit: "kg" } },
    ],
  });
  lines.push(inv.totals.total_co2e_kg, inv.totals.scope_3_by_category["1"] ?? "0");

  const rows = batch({
    year: 2022,
    kind: ["fuel", "electricity"],
    key: ["cn_raw_coal", "CN"],
    amount: new Float64Array([1000, 2000]),
    unit: ["kg", "kWh"],
  });
  for (const [i, kg] of rows.co2e_kg.entries()) lines.push(`${i}: ${kg ?? "failed"}`);
  for (const err of rows.errors) lines.push(`${err.row} ${err.code}`);

  const names: readonly OperationName[] = OPERATIONS;
  lines.push(...names, ...catalog().operations.map((o) => o.name));

  const typed = call("convert", { value: "2000", from: "lb", to: "short_ton" });
  lines.push(typed.unit);
  const untyped: unknown = call("some_future_operation", {});
  lines.push(typeof untyped);

  try {
    convert({ value: "1", from: "kg", to: "kWh" });
  } catch (e) {
    if (isTansoError(e, "UNIT_MISMATCH")) {
      const area: "units" = e.area; // narrowed by the code
      lines.push(area, e.message);
    } else if (isTansoError(e)) {
      const code: ErrorCode = e.code;
      lines.push(code, e.name);
    }
    if (e instanceof UnitError || e instanceof TansoError) lines.push(e.code);
  }
  return lines;
}

/** LCA: the stateless operations, and a model kept between calls. */
export function lcaExample(npz: Uint8Array, json: Uint8Array): number[] {
  const system: LcaSystem = {
    technosphere: [
      { product: "steel", activity: "steel", amount: 1 },
      { product: "kWh", activity: "steel", amount: -0.5 },
      { product: "kWh", activity: "kWh", amount: 1 },
    ],
    biosphere: [{ flow: "CO2", activity: "kWh", amount: 0.6, uncertainty: { kind: "lognormal", sigma: 0.1 } }],
    methods: [{ id: "GWP100", unit: "kg CO2e", factors: [{ flow: "CO2", factor: 1 }] }],
  };
  const demands = [{ amounts: [{ id: "steel", amount: 1 }] }];
  const out: LcaOutput = lca({ system, demands, include: ["contributions", "tree", "sankey"] });
  const first = out.results[0];
  const numbers: number[] = [first?.scores["GWP100"] ?? 0, first?.contributions?.["GWP100"]?.total ?? 0];
  for (const node of first?.tree?.["GWP100"]?.roots ?? []) numbers.push(node.score, node.children?.length ?? 0);
  const mc = lca_monte_carlo({ system, demands, iterations: 10, seed: 1, include_samples: true });
  numbers.push(...(mc.results[0]?.samples ?? []), mc.results[0]?.percentiles["50"] ?? 0);

  const model = new LcaModel(system);
  const ids: NodeId[] = model.activity_ids();
  const f = new Float64Array(ids.length);
  f[ids.indexOf("steel")] = 1;
  const scores: Float64Array = model.scores(f);
  numbers.push(...scores, ...model.supply(f), ...model.inventory([1, 0]), ...model.intensities("GWP100"));
  numbers.push(model.calculate({ demands, include: ["upstream"] }).results.length);
  const draws = model.monte_carlo({ demands, iterations: 100, seed: 7 }, (done, total) => numbers.push(done / total));
  numbers.push(draws.results[0]?.mean ?? 0, model.describe().activities, model.method_ids().length);
  model.free();

  const arrays = LcaModel.fromArrays({
    nActivities: 2,
    nFlows: 1,
    technosphere: { rows: new Uint32Array([0, 1, 1]), cols: new Uint32Array([0, 0, 1]), values: new Float64Array([1, -0.5, 1]) },
    biosphere: { rows: [0], cols: [1], values: [0.6] },
    methods: { GWP100: { flows: new Uint32Array([0]), factors: new Float64Array([1]) } },
    biosphereSigma: new Float64Array([0.1]),
    activityIds: ["steel", "kWh"],
  });
  numbers.push(...arrays.scores([1, 0]));
  const dump = LcaModel.fromDump(npz, json);
  numbers.push(dump.flow_ids().length);
  try {
    dump.intensities("GWP100");
  } catch (e) {
    if (isTansoError(e, "UNKNOWN_ID")) {
      const area: "lca" = e.area;
      numbers.push(area.length);
    }
    if (e instanceof LcaError) numbers.push(e.code.length);
  }
  return numbers;
}

/** EU CBAM: classify CN codes, the SEE of a good, an importer's certificates and cost. */
export function cbamExample(): string[] {
  const lines: string[] = [];
  for (const g of cbam_goods({ cn_codes: ["7208 51 20", "7204 10 00"] }).goods) {
    const sector: CbamSector | null = g.sector;
    lines.push(`${g.cn_code} ${g.coverage} ${sector ?? "-"} ${g.routes.map((r) => r.letter).join("")} ${g.note ?? ""}`);
  }

  const hrc = cbam_embedded({ year: 2026, good: { cn_code: "7208 51 20", country: "CN" } });
  const see: Decimal = hrc.good.see; // "3.5057" t CO2e/t: the default value × 1.1
  lines.push(see, hrc.good.data, hrc.good.markup ?? "", ...hrc.sources.map((p) => `${p.id} ${p.status}`));
  const actual = cbam_embedded({
    year: 2026,
    good: {
      cn_code: "7208 51 20",
      country: "CN",
      route: "C",
      production: {
        activity_level: { value: "1000", unit: "t" },
        direct_emissions_t: 80,
        electricity: { consumed: { value: "120", unit: "MWh" }, factor_t_per_mwh: "0.5366" },
        precursors: [{ mass: { value: "1020", unit: "t" }, good: { cn_code: "7207 11 14", see: { direct: "1.8" } } }],
      },
    },
  });
  for (const p of actual.good.precursors ?? []) lines.push(p.specific_mass, p.good.see);

  const shipment: CbamLine = { id: "L1", good: { cn_code: "7208 51 20", country: "CN" }, mass: { value: "100", unit: "t" }, quarter: 1 };
  const year: CbamObligationOutput = cbam_obligation({
    year: 2026,
    importer: "EU importer",
    lines: [
      shipment,
      {
        communication: {
          installation: { id: "CN-HB-001", name: "Hebei mill", country: "CN" },
          cn_code: "7208 51 20",
          production_route: "C",
          period: { start: "2025-01-01", end: "2025-12-31" },
          data_quality: "actual",
          see_direct: "1.916",
          carbon_price: { instrument: "China national ETS", amount_per_t: "90", currency: "CNY", eur_per_t: "11.5" },
        },
        mass: { value: "50", unit: "t" },
        certificate_price_eur: "80",
        benchmark: { value: "1.37", column: "B" },
      },
    ],
    benchmarks: [{ cn_code: "7208", route: "C", column: "A", value: "0.3", status: "verified" }],
  });
  lines.push(year.totals.certificates, year.totals.cost_eur, String(year.de_minimis.exempt), year.scenario ?? "law");
  for (const l of year.lines) lines.push(l.id, l.embedded_t, l.benchmark?.column ?? "none", l.certificate_price_eur ?? "-");
  for (const [cn, t] of Object.entries(year.by_cn_code)) lines.push(cn, t.cost_eur_exact);

  try {
    cbam_obligation({ year: 2027, lines: [shipment] });
  } catch (e) {
    if (isTansoError(e, "CERTIFICATE_PRICE_MISSING")) {
      const area: "cbam" = e.area;
      lines.push(area, e.message);
    }
    if (e instanceof CbamError) lines.push(e.code);
  }
  return lines;
}

/** Materials, a product footprint from its BOM, and a supplier's PACT footprint. */
export function productExample(supplierDocument: Record<string, unknown>): string[] {
  const lines: string[] = [];

  for (const row of materials({ material: "cathode" }).rows ?? []) {
    lines.push(row.id, row.kg_co2e_per_unit ?? "gap", row.provenance.status, row.provenance.row);
  }
  const blend: MaterialResolved | undefined = materials({ action: "lookup", material: "steel", recycled_content: "0.3" }).factor;
  if (blend) lines.push(blend.route, blend.kg_co2e_per_unit, ...blend.components.map((c) => `${c.role} ${c.weight} ${c.id}`));
  materials({ action: "lookup", material: "aluminium", smelter: { kwh_per_kg: "14", non_electricity_kg_co2e_per_kg: 2, grid_geography: "CN" } });

  const housing: ProductPart = {
    id: "housing",
    supplier: "Die-caster",
    materials: [{ material: "aluminium", mass_kg: 1, yield: 0.8 }],
    processes: [
      { name: "casting", electricity_kwh: 2.5, grid_geography: "CN-ZJ", fuels: [{ fuel: "diesel", quantity: { value: "0.1", unit: "kg" } }] },
    ],
    transport: [{ mode: "road", distance_km: 300, kg_co2e_per_tkm: 0.1 }],
  };
  const fp: ProductFootprintOutput = product_footprint({
    product: { id: "bracket-kit", declared_unit: "1 piece" },
    geography: "CN",
    year: 2022,
    gwp_set: "AR6",
    parts: [
      housing,
      { id: "bracket", materials: [{ material: "steel", route: "bf_bof", form: "crude", mass_kg: 1, recycling_rate: 0.85 }] },
      { id: "motor", quantity: 2, supplier_pcf: { total_kg_co2e: "5", biogenic_kg_co2e: "0.5", dqr: { technological: "2" } } },
    ],
    processes: [{ name: "assembly", electricity_kwh: 1, grid_kg_co2e_per_kwh: 0.6, emissions: [{ gas: "SF6", kg: 0.0001 }] }],
    recycling: { approach: "cff", a: 0.2, r2: { steel: 0.85, aluminium: 0.9 } },
    sensitivity: [{ name: "scrap-EAF steel", changes: [{ target: "steel", recycled_content: "1" }] }],
    sensitivity_sweep: true,
  });
  lines.push(fp.total_kg_co2e, fp.shares.steel_percent, fp.report.system_boundary, fp.report.dqr.technological ?? "-");
  for (const p of fp.by_part) lines.push(`${p.part} ${p.data} ${p.supplier ?? "own"} ${p.total_kg_co2e}`);
  for (const l of fp.by_material_line) lines.push(l.id, l.gross_kg, l.factor.route);
  for (const g of fp.by_gas) lines.push(`${g.origin} ${g.gas} ${g.kg_co2e}`);
  for (const sc of fp.sensitivity) lines.push(sc.name, sc.shares.aluminium_percent);
  for (const [stage, kg] of Object.entries(fp.by_stage)) lines.push(stage, kg);

  const check = pact_validate({ document: supplierDocument });
  lines.push(String(check.valid), check.version, ...check.failures.map((f) => `${f.path} = ${f.value}: ${f.rule}`));
  const pcf: PactSummaryOutput = pact_summary({ document: supplierDocument, version: "3.0" });
  lines.push(pcf.unit, pcf.total_excluding_biogenic, pcf.dqr?.technological ?? "-", pcf.reference_period[0]);
  const v2 = pact_convert({ document: supplierDocument, to: "2.3" });
  lines.push(v2.to, String(v2.valid), ...v2.notes.map((n) => `${n.path}: ${n.note}`));
  pact_validate({ document: v2.document }); // a converted document goes back in as it is

  const exported = pact_export({
    id: "3f1e2d3c-4b5a-4969-8877-665544332211",
    created: "2025-06-01T00:00:00Z",
    company_name: "Zhejiang Example Auto Parts Co., Ltd.",
    company_ids: ["urn:pact:example.cn:company-id:ZJ-0001"],
    product_ids: ["urn:pact:example.cn:product-id:BRK-220"],
    product_name: "Brake caliper BRK-220",
    product_description: "Cast-iron brake caliper",
    declared_unit: "piece",
    mass_kg_per_unit: 2,
    total_excluding_biogenic: fp.report.total_excluding_biogenic_kg_co2e,
    total_including_biogenic: fp.total_kg_co2e,
    cross_sectoral_standards: ["ISO14067", "PACT-3.0"],
    fossil: fp.report.fossil_kg_co2e,
    fossil_carbon_content: "0.12",
    biogenic_carbon_content: 0,
    packaging_included: false,
    reference_period_start: "2024-01-01T00:00:00Z",
    reference_period_end: "2025-01-01T00:00:00Z",
    geography_country: "CN",
    primary_data_share: fp.report.primary_data_share,
    dqr: { technological: "1.8", geographical: "1.5", temporal: "1.2" },
  });
  // A supplier's PACT document in the BOM, and the footprint written as a PACT document.
  const withPact = product_footprint({
    product: { id: "pump", declared_unit: "1 piece" },
    geography: "CN",
    parts: [{ id: "seal", mass_kg: 0.2, supplier: "Supplier 1", supplier_pact: supplierDocument }],
    pact: {
      id: "3f1e2d3c-4b5a-4969-8877-665544332211",
      created: "2025-06-01T00:00:00Z",
      company_name: "Example Pumps",
      company_ids: ["urn:pact:example.cn:company-id:P-1"],
      product_ids: ["urn:pact:example.cn:product-id:PUMP-1"],
      product_description: "Pump",
      fossil_carbon_content: "0",
      biogenic_carbon_content: "0",
      packaging_included: false,
      reference_period_start: "2024-01-01T00:00:00Z",
      reference_period_end: "2025-01-01T00:00:00Z",
    },
  });
  lines.push(...withPact.report.notes, String(withPact.pact_document?.specVersion ?? "none"));

  const doc = exported.document as PactProductFootprintV3;
  lines.push(exported.version, doc.specVersion ?? "", String(doc.pcf?.pcfExcludingBiogenicUptake ?? ""));

  try {
    product_footprint({ product: { id: "p" }, parts: [{ id: "x" }, { id: "x" }] });
  } catch (e) {
    if (isTansoError(e, "INVALID_BOM")) {
      const area: "product" = e.area;
      lines.push(area, e.message);
    }
    if (e instanceof ProductError || e instanceof MaterialError || e instanceof ExchangeError) lines.push(e.code);
  }
  return lines;
}

// An LCA database dropped into a page: bytes in, report, model and cache out.
export function importedDatabase(spold: Uint8Array): number[] {
  const db = importDatabase([{ name: "steel.spold", bytes: spold }], { allocation: "economic", fallback_locations: ["GLO"] });
  const numbers: number[] = [db.report.counts.activities, db.report.unlinked.length];
  for (const u of db.report.unlinked) numbers.push(u.amount);
  const again = ImportedDatabase.fromCache(db.toCache());
  numbers.push(again.model().method_ids().length, again.system().processes?.length ?? 0);
  const out = lca_import({ files: [{ name: "a.spold", text: "<ecoSpold/>" }], calculate: { demands: [] } });
  numbers.push(out.report.counts.flows, out.results?.length ?? 0);
  return numbers;
}

// Mistakes the types catch.
// @ts-expect-error: an unknown allocation
importDatabase(new Uint8Array(), { allocation: "alphabetical" });
// @ts-expect-error: a demand vector is numbers, not ids
new LcaModel({}).scores(["steel"]);
// @ts-expect-error: `include` takes known parts only
lca({ system: {}, demands: [], include: ["everything"] });
// @ts-expect-error: an unknown distribution
lca({ system: { biosphere: [{ flow: "CO2", activity: "a", amount: 1, uncertainty: { kind: "cauchy", scale: 1 } }] }, demands: [] });
// @ts-expect-error: the progress callback takes numbers
new LcaModel({}).monte_carlo({ demands: [] }, (done: string) => done);
// @ts-expect-error: `to` is missing
convert({ value: "1", from: "kg" });
// @ts-expect-error: a decimal result is a string, not a number
export const n: number = convert({ value: "1", from: "kg", to: "t" }).value;
// @ts-expect-error: unknown GWP set
gwp({ gas: "SF6", gwp_set: "AR7" });
// @ts-expect-error: unknown record type
calculate({ record: { type: "teleportation" } });
// @ts-expect-error: not an error code
isTansoError(null, "NOT_A_CODE");
// @ts-expect-error: CN codes are strings (a number would lose leading zeros)
cbam_goods({ cn_codes: [72085120] });
// @ts-expect-error: a benchmark column is A or B
cbam_obligation({ year: 2026, lines: [], benchmarks: [{ cn_code: "7208", column: "C", value: "1" }] });
// @ts-expect-error: the net mass of a line is a quantity with its unit
cbam_obligation({ year: 2026, lines: [{ good: { cn_code: "7208", country: "CN" }, mass: "100" }] });
// @ts-expect-error: a BOM mass is a number of kg, not a quantity
product_footprint({ product: { id: "p" }, parts: [{ id: "a", materials: [{ material: "steel", mass_kg: { value: "1", unit: "kg" } }] }] });
// @ts-expect-error: not a recycling approach
product_footprint({ product: { id: "p" }, recycling: { approach: "landfill" } });
// @ts-expect-error: the materials action is list or lookup
materials({ action: "search" });
// @ts-expect-error: pact_validate takes the document under `document`
pact_validate({ specVersion: "3.0.0" });
// @ts-expect-error: the emission values of a footprint's PACT document are computed, not given
product_footprint({ product: { id: "p" }, pact: { fossil: "1" } });

// supply_network and supply_audit: a bracket from two provinces, a second source, the audit.
{
  const network = {
    transport_intensities: { road: "0.1" },
    products: [{ id: "bracket", annual_units: "1000", components: [{ component: "sheet", quantity: "2" }] }],
    components: [{ id: "sheet", mass_kg_per_unit: "1", suppliers: [
      { id: "hebei", country: "CN", province: "Hebei", share: "0.7", kg_co2e_per_unit: "2.0",
        transport: [{ mode: "road", distance_km: "1000", corridor: "G1" }] },
      { id: "jiangsu", country: "CN", province: "Jiangsu", share: "0.3", kg_co2e_per_unit: "1.0", capacity: "1000" }] }],
  } as const;
  const out: SupplyNetworkOutput = supply_network({ network, disruptions: [{ region: "CN/Hebei" }],
    options: [{ id: "second", cost_per_year: "300", changes: [{ component: "sheet", add:
      { id: "ningbo", country: "CN", province: "Zhejiang", share: "0.3", kg_co2e_per_unit: "1.5" } }] }] });
  const perUnit: Decimal | undefined = out.network.products[0]?.kg_co2e_per_unit;
  const flags: string[] | undefined = out.network.components[0]?.flags;
  const ratio: Decimal | null | undefined = out.options[1]?.avoided_kg_per_cost;
  const audit = supply_audit({ company: "Ningbo Parts", network });
  const md: string = audit.markdown;
  try {
    supply_network({ network, disruptions: [{ supplier: "shanxi" }] });
  } catch (e) {
    if (e instanceof SupplyError) {
      const area: "supply" = SupplyError.area;
      void area;
    }
  }
  void [perUnit, flags, ratio, md];
}
// @ts-expect-error: a supplier needs its kg CO2e per unit
supply_network({ network: { products: [], components: [{ id: "c", suppliers: [{ id: "a", country: "CN", share: "1" }] }] } });

// vehicle, vehicle_grid, vehicle_defaults: a medium BEV against the petrol car, the grid, the levers.
{
  const out: VehicleOutput = vehicle({ size: "medium", powertrain: "bev", region: "CN", year: 2025,
    levers: { recycled_aluminium_cast_share: 0.9, green_steel_share: 0.2 }, versus: { powertrain: "petrol" } });
  const steel: number = out.production.shares.steel;
  const gPerKm: number = out.g_per_km.total;
  const breakEven: number | null | undefined = out.comparison?.break_even_km;
  const rows = vehicle_grid({ sizes: ["small", "large_suv"], regions: ["CN", "EU"], years: { from: 2020, to: 2050 } }).rows;
  const share: number | undefined = rows[0]?.aluminium_share;
  const [first, last]: [number, number] = vehicle_defaults().years;
  try {
    vehicle({ size: "bus", powertrain: "bev", region: "CN", year: 2025 });
  } catch (e) {
    if (e instanceof VehicleError) {
      const area: "vehicle" = VehicleError.area;
      void area;
    }
  }
  void [steel, gPerKm, breakEven, share, first, last];
}
// @ts-expect-error: a vehicle needs its production year
vehicle({ size: "medium", powertrain: "bev", region: "CN" });
