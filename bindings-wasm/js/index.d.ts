// Types of the npm package `tanso`: the document API of the Rust core.
//
// The documents mirror core's serde structs (`tanso::api`, `tanso::factors`,
// `tanso::accounting`, `tanso::lca`, `tanso::cbam`, `tanso::exchange`, `tanso::materials`,
// `tanso::product`). Every decimal is a `string` in results
// ("29.3076", normalized, never a float); on input a decimal may also be a JS number, which
// becomes the decimal of its shortest representation (0.1 → "0.1"). The LCA engine computes
// in binary64: its amounts and scores are JS numbers.

// ---------------------------------------------------------------------------------------
// Numbers and common shapes

/** A decimal as tanso returns it: a normalized string of digits, e.g. "29.3076". */
export type Decimal = string;
/**
 * A decimal as tanso accepts it: a string ("1.5", "1e3"), a finite JS number (0.1 is read as
 * exactly "0.1"), or a BigInt (sent as its exact digits).
 */
export type DecimalInput = string | number | bigint;

/** A GWP set id; input is case-insensitive. */
export type GwpSetId = "AR4" | "AR5" | "AR6" | "AR6_GWP20";

/** kg (or kg per unit) of each gas, keyed by gas id ("CO2", "CH4_fossil", "HFC-134a", …). */
export type GasVector = Record<string, Decimal>;
/** A gas vector as input. */
export type GasVectorInput = Record<string, DecimalInput>;

/** An amount with a unit symbol ("kg", "kWh", "tkm", …; see `catalog().units`). */
export interface Quantity {
  value: DecimalInput;
  unit: string;
}

/** An amount of money in a currency, in the prices of a given year. */
export interface Money {
  amount: DecimalInput;
  /** ISO 4217 code, e.g. "CNY". */
  currency: string;
  price_year: number;
}

/** Whether a value has been checked against its source. */
export type Status = "verified" | "unverified";

/** The life-cycle boundary a factor covers. */
export type Boundary =
  | "combustion"
  | "well_to_tank"
  | "well_to_wheel"
  | "generation"
  | "cradle_to_gate"
  | "life_cycle";

/** Where a number comes from. */
export interface Provenance {
  publisher: string;
  document: string;
  table: string;
  url?: string;
  licence: string;
  status: Status;
  status_note?: string;
  boundary: Boundary;
  gwp_basis?: GwpSetId;
  notes?: string;
}

/** Provenance as input (of inline factors): the unnamed fields take their defaults. */
export interface ProvenanceInput {
  publisher: string;
  document: string;
  table?: string;
  url?: string;
  licence?: string;
  status?: Status;
  status_note?: string;
  boundary?: Boundary;
  gwp_basis?: GwpSetId;
  notes?: string;
}

/** A user's factor table given inline. */
export interface UserTable {
  /** Used in error messages and provenance. */
  name: string;
  format: "csv" | "json";
  /** The table's text. */
  text: string;
}

/** Where factors come from: the bundled data (optionally its unverified rows) plus user tables. */
export interface FactorSource {
  include_unverified?: boolean;
  tables?: readonly UserTable[];
}

/** An emission factor: kg of each gas per unit of activity. */
export interface EmissionFactor {
  id: string;
  /** e.g. "electricity.grid_average". */
  activity: string;
  geography: string;
  year: number;
  /** A unit symbol, or a currency code for spend-based factors. */
  unit: string;
  price_year?: number;
  gases: GasVector;
  /** kg CO2e per unit, where the source gives only CO2e. */
  co2e?: Decimal;
  provenance: Provenance;
}

/** The fallback a lookup used (another geography or an earlier year). */
export interface Fallback {
  requested_geography: string;
  used_geography: string;
  requested_year: number;
  used_year: number;
}

// ---------------------------------------------------------------------------------------
// convert, gwp, lookup_factor, fuel

/** Input of `convert`. */
export interface ConvertInput {
  value: DecimalInput;
  from: string;
  to: string;
}
/** Result of `convert`. */
export interface ConvertOutput {
  value: Decimal;
  unit: string;
}

/** Input of `gwp`. */
export interface GwpInput {
  /** A gas id or a refrigerant blend ("SF6", "R-410A"). */
  gas: string;
  /** Default AR6. */
  gwp_set?: GwpSetId;
}
/** One component of a gas or blend. */
export interface GwpComponent {
  gas: string;
  fraction: Decimal;
  gwp: Decimal;
}
/** Result of `gwp`. */
export interface GwpOutput {
  gas: string;
  gwp_set: GwpSetId;
  gwp: Decimal;
  components: GwpComponent[];
}

/** Input of `lookup_factor`. */
export interface LookupFactorInput {
  activity: string;
  /** Geography code or name. */
  geography: string;
  year: number;
  factors?: FactorSource;
}
/** Result of `lookup_factor`. */
export interface LookupFactorOutput {
  factor: EmissionFactor;
  fallback?: Fallback;
}

/** Input of `fuel`. */
export interface FuelInput {
  /** Fuel id, alias or local name. */
  fuel: string;
  factors?: FactorSource;
}
/** A per-sector CH4 or N2O factor of a fuel. */
export interface SectorFactor {
  sector: Sector;
  gas: string;
  kg_per_tj: Decimal;
  status: Status;
}
/** The parameters of a fuel: result of `fuel`. */
export interface FuelOutput {
  id: string;
  name: string;
  local_name?: string;
  /** The reference unit of the parameters ("kg" or "Nm3"). */
  unit: string;
  ncv_mj_per_unit: Decimal;
  carbon_content_kgc_per_gj?: Decimal;
  oxidation?: Decimal;
  co2_kg_per_tj?: Decimal;
  co2_status: Status;
  sector_factors: SectorFactor[];
  kgce_per_unit?: Decimal;
  published_kgco2_per_unit?: Decimal;
  provenance: Provenance;
}

// ---------------------------------------------------------------------------------------
// calculate, inventory

/** A combustion sector (decides the IPCC Tier 1 CH4 and N2O factors). */
export type Sector = "energy_industries" | "manufacturing";

/** A factor given inline (a supplier's rate, a certificate, a contract). */
export interface InlineFactor {
  gases?: GasVectorInput;
  co2e?: DecimalInput;
  gwp_basis?: GwpSetId;
  /** The unit of activity it is per (a unit symbol or a currency code). */
  unit: string;
  source?: ProvenanceInput;
}

/** Fields common to every activity record. */
export interface RecordCommon {
  id?: string;
  /** A site id of the organisation. */
  site?: string;
  year?: number;
  description?: string;
  /** 1–15; overrides the type's default category. */
  scope3_category?: number;
}

/** Fuel burnt in stationary or mobile equipment. */
export interface FuelCombustionRecord extends RecordCommon {
  type: "fuel_combustion";
  fuel: string;
  quantity: Quantity;
  use?: "stationary" | "mobile";
  tier?: "tier1" | "tier2";
  sector?: Sector;
  ncv_mj_per_unit?: DecimalInput;
  carbon_content_kgc_per_gj?: DecimalInput;
  oxidation?: DecimalInput;
  ch4_kg_per_tj?: DecimalInput;
  n2o_kg_per_tj?: DecimalInput;
  density_kg_per_m3?: DecimalInput;
}

/** A contractual instrument for market-based Scope 2. */
export interface Instrument {
  kind: "certificate" | "contract" | "supplier_rate";
  id: string;
  energy: Quantity;
  factor?: InlineFactor;
}

/** Purchased electricity, heat or steam. */
export interface ElectricityRecord extends RecordCommon {
  type: "electricity";
  energy: Quantity;
  carrier?: "electricity" | "heat" | "steam";
  geography?: string;
  location_factor?: InlineFactor;
  instruments?: readonly Instrument[];
  residual_factor?: InlineFactor;
}

/** Refrigerant or another fluorinated gas released, by one of three methods. */
export type RefrigerantRecord = RecordCommon & {
  type: "refrigerant";
  /** Gas or blend ("R-410A", "HFC-134a", "SF6"). */
  gas: string;
} & (
    | {
        method: "mass_balance";
        stock_start?: Quantity;
        stock_end?: Quantity;
        purchased?: Quantity;
        disposed?: Quantity;
        capacity_new?: Quantity;
        capacity_retired?: Quantity;
      }
    | {
        method: "screening";
        charge_new?: Quantity;
        installation_loss?: DecimalInput;
        charge_operating?: Quantity;
        annual_leak_rate?: DecimalInput;
        fraction_of_year?: DecimalInput;
        charge_disposed?: Quantity;
        remaining_at_disposal?: DecimalInput;
        recovery_efficiency?: DecimalInput;
      }
    | { method: "released"; mass: Quantity }
  );

/** A point on the Earth, degrees (a plain number, not a decimal). */
export interface LatLon {
  lat: number;
  lon: number;
}

/** One leg of a shipment. */
export interface Leg {
  mode: string;
  mass: Quantity;
  distance?: Quantity;
  from?: LatLon;
  to?: LatLon;
  intensity?: InlineFactor;
  activity?: string;
  geography?: string;
}

/** Freight transport by distance. */
export interface FreightRecord extends RecordCommon {
  type: "freight";
  legs: readonly Leg[];
}

/** Purchased goods and services. */
export interface PurchasedGoodsRecord extends RecordCommon {
  type: "purchased_goods";
  method: "supplier_specific" | "average_data" | "spend_based";
  quantity?: Quantity;
  spend?: Money;
  activity?: string;
  geography?: string;
  factor?: InlineFactor;
  supplier_total?: InlineFactor;
}

/** Emissions measured or computed elsewhere, given per gas. */
export interface DirectEmissionRecord extends RecordCommon {
  type: "direct_emission";
  gases: GasVectorInput;
  scope?: number;
  source?: ProvenanceInput;
}

/** Steel scrap used in steelmaking (avoided emissions, reported apart). */
export interface ScrapUseRecord extends RecordCommon {
  type: "scrap_use";
  mass: Quantity;
}

/** One line of activity data; `type` says what it measures. */
export type ActivityRecord =
  | FuelCombustionRecord
  | ElectricityRecord
  | RefrigerantRecord
  | FreightRecord
  | PurchasedGoodsRecord
  | DirectEmissionRecord
  | ScrapUseRecord;

/** An exchange rate: 1 `from` = `rate` `to`, in `year`. */
export interface ExchangeRate {
  from: string;
  to: string;
  year: number;
  rate: DecimalInput;
}

/** Settings shared by `calculate` and `inventory`. */
export interface CalculationSettings {
  /** Default AR6. */
  gwp_set?: GwpSetId;
  factors?: FactorSource;
  exchange_rates?: readonly ExchangeRate[];
  /** Price indices per currency per year (any base), e.g. `{ CNY: { "2020": "100" } }`. */
  price_indices?: Record<string, Record<string, DecimalInput>>;
  /** Electricity in tce: calorific (default) or equal value. */
  electricity_tce_method?: "calorific" | "equal_value";
  equal_value_kgce_per_kwh?: DecimalInput;
}

/** Input of `calculate`. */
export interface CalculateInput extends CalculationSettings {
  record: ActivityRecord;
  /** Data year, if the record has none. */
  year?: number;
  /** Default geography (as a site's would be). */
  geography?: string;
}

/** One step of a result's provenance trail. */
export interface TrailStep {
  step: string;
  factor_id?: string;
  source?: Provenance;
  fallback?: Fallback;
}

/** Energy covered by one instrument (or the residual mix) in the market-based method. */
export interface Allocation {
  /** Instrument id, or "residual_mix". */
  instrument: string;
  kwh: Decimal;
  co2e_kg: Decimal;
}

/** Market-based Scope 2 emissions of an electricity record. */
export interface MarketBased {
  gases: GasVector;
  co2e_kg: Decimal;
  allocation: Allocation[];
}

/** The result of one record: result of `calculate`, and each line of an inventory. */
export interface RecordResult {
  id: string;
  type: ActivityRecord["type"];
  site?: string;
  year?: number;
  scope: number;
  scope3_category?: number;
  iso_category: number;
  /** The share consolidated (equity share or control). */
  share: Decimal;
  gases: GasVector;
  co2e_from_factors_kg: Decimal;
  co2e_kg: Decimal;
  biogenic_co2_kg: Decimal;
  market_based?: MarketBased;
  energy_tce?: Decimal;
  avoided_co2e_kg?: Decimal;
  avoided_tce?: Decimal;
  trail: TrailStep[];
  warnings: string[];
}

/** How an organisation consolidates its sites. */
export type Consolidation = "equity_share" | "operational_control" | "financial_control";

/** A site (facility, subsidiary, operation). */
export interface Site {
  id: string;
  name?: string;
  geography?: string;
  equity_share?: DecimalInput;
  operational_control?: boolean;
  financial_control?: boolean;
}

/** The reporting organisation. */
export interface Organisation {
  name: string;
  consolidation?: Consolidation;
  sites?: readonly Site[];
}

/** Input of `inventory`. */
export interface InventoryInput extends CalculationSettings {
  organisation: Organisation;
  reporting_year: number;
  records: readonly ActivityRecord[];
  base_year?: { year: number; records: readonly ActivityRecord[] };
}

/** Totals of an inventory, kg unless named otherwise. */
export interface Totals {
  total_co2e_kg: Decimal;
  total_market_based_co2e_kg: Decimal;
  scope_1_co2e_kg: Decimal;
  scope_2_location_co2e_kg: Decimal;
  scope_2_market_co2e_kg: Decimal;
  scope_3_co2e_kg: Decimal;
  /** Keyed "1" … "15". */
  scope_3_by_category: Record<string, Decimal>;
  /** Keyed "1" … "6". */
  iso_14064_by_category: Record<string, Decimal>;
  by_gas_kg: GasVector;
  by_gas_co2e_kg: Record<string, Decimal>;
  by_site_co2e_kg: Record<string, Decimal>;
  biogenic_co2_kg: Decimal;
  avoided_co2e_kg: Decimal;
  energy_tce: Decimal;
}

/** The change of the reporting year against the base year. */
export interface BaseYearComparison {
  year: number;
  totals: Totals;
  change_co2e_kg: Decimal;
  /** null if the base is zero. */
  change_percent: Decimal | null;
}

/** Result of `inventory`. */
export interface InventoryOutput {
  organisation: string;
  reporting_year: number;
  gwp_set: GwpSetId;
  consolidation: Consolidation;
  totals: Totals;
  records: RecordResult[];
  base_year?: BaseYearComparison;
  factors_used: Record<string, Provenance>;
}

// ---------------------------------------------------------------------------------------
// batch

/** A column of amounts: decimals, or a typed array of numbers (each read as its shortest decimal). */
export type DecimalColumn =
  | readonly DecimalInput[]
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | BigInt64Array
  | BigUint64Array;

/** Input of `batch`: many simple rows as columns of equal length. */
export interface BatchInput {
  /** Per row: "fuel", "electricity", "freight" or "spend" (another value fails that row). */
  kind: readonly string[];
  /** Per row: the fuel id, the geography (electricity) or the registry activity (freight, spend). */
  key: readonly string[];
  amount: DecimalColumn;
  /** Per row: a unit symbol, or a currency code for spend. */
  unit: readonly string[];
  /** Data year of every row. */
  year: number;
  gwp_set?: GwpSetId;
  factors?: FactorSource;
}
/** A row of a batch that failed. */
export interface BatchRowError {
  /** 0-based row. */
  row: number;
  code: ErrorCode;
  message: string;
}
/** Result of `batch`: a value or an error per row. */
export interface BatchOutput {
  /** kg CO2e per row; null where the row failed. */
  co2e_kg: (Decimal | null)[];
  /** Scope per row. */
  scope: number[];
  /** Sum of the rows that succeeded, kg CO2e. */
  total_co2e_kg: Decimal;
  errors: BatchRowError[];
}

// ---------------------------------------------------------------------------------------
// lca, lca_monte_carlo, LcaModel (binary64 numbers, not decimals)

/** The id of a product, activity or flow: an integer or a string, as the data has it. */
export type NodeId = number | string;

/**
 * A probability distribution of an amount, a factor or a parameter. A lognormal without `mu`
 * is centred on the amount it describes (see `LognormalConvention`); a negative amount
 * negates the draw.
 */
export type Distribution =
  | { kind: "lognormal"; mu?: number; sigma: number }
  | { kind: "normal"; mean: number; sd: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "triangular"; min: number; mode: number; max: number }
  | { kind: "pert"; min: number; mode: number; max: number; shape?: number }
  | { kind: "gamma"; shape: number; scale: number; offset?: number }
  | { kind: "beta"; alpha: number; beta: number; min?: number; max?: number }
  | { kind: "discrete"; values: readonly number[]; weights?: readonly number[] };

/** How a lognormal without `mu` is centred: on the median (Brightway, default) or the mean (openLCA). */
export type LognormalConvention = "median_preserving" | "mean_preserving";

/** An activity (a column of the matrices), triplet form. */
export interface LcaActivity {
  id: NodeId;
  /** Its reference product (default: the activity id). */
  product?: NodeId;
  name?: string;
  unit?: string;
  location?: string;
}

/** An elementary flow (a row of the biosphere matrix). */
export interface LcaFlow {
  id: NodeId;
  name?: string;
  unit?: string;
  compartment?: string;
}

/** A technosphere triplet: the signed matrix value (production positive, inputs negative). */
export interface LcaTechnosphereEntry {
  product: NodeId;
  activity: NodeId;
  amount?: number;
  uncertainty?: Distribution;
  /** A formula of parameters giving the amount (overrides `amount`). */
  formula?: string;
}

/** A biosphere triplet: `amount` of `flow` per unit of `activity`. */
export interface LcaBiosphereEntry {
  flow: NodeId;
  activity: NodeId;
  amount?: number;
  uncertainty?: Distribution;
  formula?: string;
}

/** An exchange of a process record; inputs are written positive. */
export interface LcaExchange {
  type: "production" | "technosphere" | "biosphere";
  /** The product (production and technosphere exchanges). */
  product?: NodeId;
  /** The activity providing the product, when several produce it. */
  provider?: NodeId;
  /** The elementary flow (biosphere exchanges). */
  flow?: NodeId;
  amount?: number;
  uncertainty?: Distribution;
  formula?: string;
}

/** A process record: an activity with its exchanges (one production). */
export interface LcaProcess {
  id: NodeId;
  name?: string;
  unit?: string;
  location?: string;
  exchanges: readonly LcaExchange[];
}

/** A characterization factor. */
export interface LcaCharacterizationFactor {
  flow: NodeId;
  factor: number;
  uncertainty?: Distribution;
}

/** An impact category (method): factors, optional normalization and weighting. */
export interface LcaMethod {
  id: string;
  name?: string;
  unit?: string;
  factors: readonly LcaCharacterizationFactor[];
  /** The normalized score is score / normalization. */
  normalization?: number;
  /** Weight of the normalized score in the single score. */
  weighting?: number;
}

/** A parameter: a value (independent, optionally uncertain) or a formula; global or of one process. */
export interface LcaParameter {
  name: string;
  process?: NodeId;
  value?: number;
  formula?: string;
  uncertainty?: Distribution;
}

/** An LCA system as a document: triplets, process records, or both. */
export interface LcaSystem {
  activities?: readonly LcaActivity[];
  processes?: readonly LcaProcess[];
  technosphere?: readonly LcaTechnosphereEntry[];
  biosphere?: readonly LcaBiosphereEntry[];
  flows?: readonly LcaFlow[];
  methods?: readonly LcaMethod[];
  parameters?: readonly LcaParameter[];
  /** Parameter names compare case-insensitively (openLCA) when true. */
  case_insensitive_parameters?: boolean;
}

/** A functional unit: amounts of products (or of activities' reference products). */
export interface LcaDemand {
  /** A label for reports (default: the ids and amounts). */
  name?: string;
  amounts: readonly { id: NodeId; amount: number }[];
}

/** What a calculation reports besides the scores. */
export type LcaInclude =
  | "scores"
  | "supply"
  | "inventory"
  | "characterized_inventory"
  | "contributions"
  | "upstream"
  | "intensities"
  | "tree"
  | "sankey";

/** A calculation request: the `lca` operation without `"system"`, and `LcaModel.calculate`. */
export interface LcaRequest {
  demands: readonly LcaDemand[];
  /** Method ids (default: all). */
  methods?: readonly string[];
  include?: readonly LcaInclude[];
  /** Contributions and upstream lists keep the `top` largest by |score| (0: all; default 20). */
  top?: number;
  /** Relative cutoff of the tree and the Sankey graph, 0 to 1 (default 0.01). */
  cutoff?: number;
  /** Largest number of tree nodes (default 200). */
  max_nodes?: number;
  /** Parameter scenarios: global parameter values replacing the given ones. */
  scenarios?: readonly { name: string; parameters: Record<string, number> }[];
}

/** Input of `lca`. */
export interface LcaInput extends LcaRequest {
  system: LcaSystem;
}

/** A method as results name it (null where the system gives no name or unit). */
export interface LcaMethodInfo {
  id: string;
  name: string | null;
  unit: string | null;
  /** Factors whose flow the system does not have (ignored). */
  unmatched_factors: number;
}

/** Direct contributions for one method. `share` is a fraction of `total` (null if it is 0). */
export interface LcaContributions {
  total: number;
  processes: { activity: NodeId; name: string | null; score: number; share: number | null }[];
  flows: { flow: NodeId; name: string | null; score: number; share: number | null }[];
}

/** A node of the supply-chain tree. */
export interface LcaTreeNode {
  activity: NodeId;
  name?: string;
  /** Amount of the activity's reference product flowing into the parent. */
  amount: number;
  /** Cradle-to-gate score of that amount. */
  score: number;
  /** Direct score of the activity at this scale. */
  direct: number;
  /** Present (true) where the activity is already on the path from the root: not expanded again. */
  loop_back?: boolean;
  /** Inputs above the cutoff, largest score first. */
  children?: LcaTreeNode[];
}

/** A Sankey-ready graph: activities above the cutoff and the score each product link carries. */
export interface LcaSankey {
  nodes: { id: NodeId; name?: string; direct: number; upstream: number }[];
  links: { source: NodeId; target: NodeId; amount: number; score: number }[];
  total: number;
  cutoff: number;
}

/** The result of one demand. Keys of the per-method maps are method ids. */
export interface LcaDemandResult {
  demand: string;
  scores: Record<string, number>;
  /** Methods with a normalization. */
  normalized?: Record<string, number>;
  /** Methods with a normalization and a weighting. */
  weighted?: Record<string, number>;
  single_score?: number;
  supply?: { activity: NodeId; amount: number }[];
  inventory?: { flow: NodeId; amount: number }[];
  contributions?: Record<string, LcaContributions>;
  upstream?: Record<string, { activity: NodeId; name: string | null; upstream: number; intensity: number }[]>;
  characterized_inventory?: Record<string, { flow: NodeId; activity: NodeId; score: number }[]>;
  tree?: Record<string, { roots: LcaTreeNode[]; truncated: boolean; cutoff: number }>;
  sankey?: Record<string, LcaSankey>;
}

/**
 * Result of `lca` and `LcaModel.calculate`. (A non-finite number, which a valid system does
 * not produce, would be null.)
 */
export interface LcaOutput {
  methods: LcaMethodInfo[];
  results: LcaDemandResult[];
  /** Per method: the cradle-to-gate score of one unit of every product. */
  intensities?: Record<string, { product: NodeId; score: number }[]>;
  scenarios?: { name: string; results: { demand: string; scores: Record<string, number> }[] }[];
  solver: { loop_blocks: number[] };
}

/** A presampled column: iteration i uses `values[i % values.length]`. */
export interface LcaPresample {
  target: "technosphere" | "biosphere" | "parameter";
  /** Product (technosphere) or flow (biosphere). */
  row?: NodeId;
  activity?: NodeId;
  /** Parameter name (target "parameter"). */
  name?: string;
  values: readonly number[];
}

/** A Monte Carlo request: `lca_monte_carlo` without `"system"`, and `LcaModel.monte_carlo`. */
export interface LcaMonteCarloRequest {
  demands: readonly LcaDemand[];
  /** Method ids (default: all). */
  methods?: readonly string[];
  /** Report every draw, not only statistics. */
  include_samples?: boolean;
  /** Default 1000. */
  iterations?: number;
  /** Seed of the random streams (default 0): the same seed gives the same draws everywhere. */
  seed?: number;
  lognormal?: LognormalConvention;
  /** Draw from the distributions (false: only presamples vary). Default true. */
  use_distributions?: boolean;
  /** Worker threads on native targets; always 1 in WebAssembly. */
  threads?: number;
  /** Percentiles to report, in percent (default 2.5, 5, 25, 50, 75, 95, 97.5). */
  percentiles?: readonly number[];
  presamples?: readonly LcaPresample[];
}

/** Input of `lca_monte_carlo`. */
export interface LcaMonteCarloInput extends LcaMonteCarloRequest {
  system: LcaSystem;
}

/** Statistics (and draws) of one demand and method. */
export interface LcaMonteCarloResult {
  demand: string;
  method: string;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
  min: number;
  max: number;
  /** Keyed by the percentile as written ("2.5", "50"). */
  percentiles: Record<string, number>;
  /** Every draw, with `include_samples`. */
  samples?: number[];
}

/** Result of `lca_monte_carlo` and `LcaModel.monte_carlo`. */
export interface LcaMonteCarloOutput {
  iterations: number;
  seed: number;
  lognormal: LognormalConvention;
  /** Iterations whose iterative solve fell back to a direct factorization. */
  direct_fallbacks: number;
  results: LcaMonteCarloResult[];
}

/** What `LcaModel.describe()` returns. */
export interface LcaModelDescription {
  activities: number;
  flows: number;
  technosphere_nonzeros: number;
  biosphere_nonzeros: number;
  /** Sizes of the loops (strongly connected blocks of the technosphere), largest first. */
  loop_blocks: number[];
  methods: { id: string; name: string | null; unit: string | null; factors: number; unmatched_factors: number }[];
  parameters: string[];
  uncertain_values: number;
}

/** 0-based indices: a Uint32Array, or any array of non-negative integers. */
export type IndexArray = Uint32Array | Int32Array | Uint16Array | Uint8Array | Float64Array | readonly number[];
/** Numbers: a Float64Array, or any array or typed array of numbers. */
export type NumberArray = Float64Array | Float32Array | Int32Array | Uint32Array | readonly number[];

/** Matrix entries as triplets (duplicates summed). */
export interface Triplets {
  rows: IndexArray;
  cols: IndexArray;
  values: NumberArray;
}

/** Characterization factors of one method: flow indices and factors. */
export interface MethodArrays {
  flows: IndexArray;
  factors: NumberArray;
}

/** A system given by 0-based indices, for `LcaModel.fromArrays`. */
export interface LcaArrays {
  nActivities: number;
  nFlows: number;
  /** Signed values: production positive, inputs negative (row = product = its activity's index). */
  technosphere: Triplets;
  /** Flows × activities (default: none). */
  biosphere?: Triplets;
  /** Methods by id (in key order), or as a list. */
  methods?: Readonly<Record<string, MethodArrays>> | readonly (MethodArrays & { id: string })[];
  /** Per technosphere entry: σ of a lognormal centred on the entry's value; 0 for a certain entry. */
  technosphereSigma?: NumberArray;
  /** Per biosphere entry: σ of a lognormal centred on the entry's value; 0 for a certain entry. */
  biosphereSigma?: NumberArray;
  /** Activity ids (default: the indices). */
  activityIds?: readonly NodeId[];
  /** Flow ids (default: the indices). */
  flowIds?: readonly NodeId[];
}

/**
 * An LCA system factorized once and kept in the WebAssembly module: new demands,
 * intensities and Monte Carlo runs reuse the factorization. Vectors are in matrix order
 * (`activity_ids()`, `flow_ids()`, `method_ids()`).
 *
 * Its memory stays in the module until `free()` or garbage collection. If the module traps
 * (a bug in tanso) it is replaced, and every model built before is lost: its calls throw.
 */
export declare class LcaModel {
  /** Builds and factorizes a system document (the `"system"` of `lca`). */
  constructor(system: LcaSystem);
  /** Builds and factorizes a system given by 0-based indices. */
  static fromArrays(spec: LcaArrays): LcaModel;
  /** Reads and factorizes a `bench_bw2calc.py` dump: the bytes of its `.npz` and `.json`. */
  static fromDump(npz: Uint8Array | ArrayBuffer, json: Uint8Array | ArrayBuffer | string): LcaModel;
  /** Sizes, loop blocks, methods, parameters. */
  describe(): LcaModelDescription;
  /** Answers a request of `lca` (without `"system"`). */
  calculate(request: LcaRequest): LcaOutput;
  /**
   * Runs a request of `lca_monte_carlo` (without `"system"`); `onProgress(done, total)` is
   * called synchronously as iterations finish (an exception it throws is rethrown at the end).
   */
  monte_carlo(request: LcaMonteCarloRequest, onProgress?: (done: number, total: number) => void): LcaMonteCarloOutput;
  /** Supply `A⁻¹ f`: one amount per activity. */
  supply(demand: Float64Array | readonly number[]): Float64Array;
  /** Inventory `B A⁻¹ f`: one amount per flow. */
  inventory(demand: Float64Array | readonly number[]): Float64Array;
  /** Scores `cᵀ B A⁻¹ f`: one per method. */
  scores(demand: Float64Array | readonly number[]): Float64Array;
  /** Cradle-to-gate score of one unit of every product for a method (one adjoint solve). */
  intensities(method: string): Float64Array;
  /** Activity (= product) ids in matrix order. */
  activity_ids(): NodeId[];
  /** Flow ids in matrix order. */
  flow_ids(): NodeId[];
  /** Method ids in order. */
  method_ids(): string[];
  /** Releases the model's memory now; it cannot be used afterwards. */
  free(): void;
}

// ---------------------------------------------------------------------------------------
// cbam_goods, cbam_embedded, cbam_obligation: the EU CBAM (Regulation (EU) 2023/956)
//
// Emissions and certificates are t CO2e, exact and never rounded; money is EUR, rounded to
// cents only at the report boundary (`cost_eur`; `cost_eur_exact` keeps every digit).

/** A CBAM sector of Annex I. */
export type CbamSector = "cement" | "electricity" | "fertilisers" | "iron_and_steel" | "aluminium" | "hydrogen";

/** Whether a CN code is a CBAM good: all of it, some subheadings (give a longer code), or none. */
export type CbamCoverage = "covered" | "partly" | "not_covered";

/** A production route letter whose meaning the bundled data states. */
export interface CbamRoute {
  /** The letter, e.g. "C". */
  letter: string;
  sector: CbamSector;
  /** What it means, e.g. "BF-BOF (blast furnace, basic oxygen furnace)". */
  name: string;
}

/** The classification of one CN code against Annex I and II. */
export interface CbamClassification {
  /** The code as given. */
  input: string;
  /** Its digits. */
  cn_code: string;
  coverage: CbamCoverage;
  /** The sector (also for "partly", when all covered subheadings are of one sector). */
  sector: CbamSector | null;
  /** The Annex I entry that covers it. */
  annex_i_entry: string | null;
  /** In Annex II: direct emissions only (iron and steel, aluminium, hydrogen). */
  annex_ii: boolean;
  /** Indirect emissions count (cement, fertilisers). */
  indirect_counted: boolean;
  /** Counts toward the 50 t de-minimis threshold. */
  de_minimis_counted: boolean;
  /** The unit quantities of the good are in. */
  unit: "t" | "MWh" | null;
  /** Route letters with a known meaning for this sector. */
  routes: CbamRoute[];
  /** For "partly" and "not_covered": what is and is not covered. */
  note?: string;
}

/** Input of `cbam_goods`. */
export interface CbamGoodsInput {
  /** CN codes (2–10 digits; spaces, dots and dashes allowed), e.g. "7208 51 20". */
  cn_codes: readonly string[];
}
/** Result of `cbam_goods`: one classification per code, in input order. */
export interface CbamGoodsOutput {
  goods: CbamClassification[];
  /** The legal sources of the classification. */
  sources: string[];
}

/** An SEE given as numbers (actual data computed elsewhere), t CO2e per t (per MWh for electricity). */
export interface CbamGivenSee {
  direct: DecimalInput;
  /** Counted only for cement and fertilisers. */
  indirect?: DecimalInput;
  /** Where the numbers come from. */
  source?: string;
}

/** Electricity consumed by a production process, giving its indirect emissions. */
export interface CbamElectricityUse {
  /** An energy. */
  consumed: Quantity;
  /** t CO2e per MWh. */
  factor_t_per_mwh: DecimalInput;
  source?: string;
}

/** A precursor consumed in the reporting period. */
export interface CbamPrecursor {
  /** Total quantity consumed in the period. */
  mass: Quantity;
  /** The precursor (actual, given or default; its own precursors recursively). */
  good: CbamGood;
}

/** Actual data of the installation that produced the good, for the reporting period. */
export interface CbamProduction {
  /** The quantity of the good produced (a mass; energy for electricity). */
  activity_level: Quantity;
  /** Direct emissions attributed to the good's production process, t CO2e. */
  direct_emissions_t: DecimalInput;
  /** Indirect emissions, t CO2e (or give `electricity`, not both). */
  indirect_emissions_t?: DecimalInput;
  electricity?: CbamElectricityUse;
  precursors?: readonly CbamPrecursor[];
}

/**
 * A good whose embedded emissions are wanted: a CN code, its origin, and either actual
 * installation data (`production`), an SEE given as numbers (`see`), or neither (default values).
 */
export interface CbamGood {
  /** CN code (2–10 digits; spaces allowed), e.g. "7208 51 20". */
  cn_code: string;
  /** Country of origin, ISO 3166-1 alpha-2 ("CN"); a precursor inherits its good's. */
  country?: string;
  /** Production route letter ("C" BF-BOF, "D" DRI-EAF, "E" scrap-EAF, "K"/"L" primary/secondary aluminium, …). */
  route?: string;
  /** The installation's id (echoed; used for declaration totals). */
  installation?: string;
  see?: CbamGivenSee;
  production?: CbamProduction;
}

/**
 * Users' default-value tables (CSV or JSON; columns `cn_code`, `country` — ISO alpha-2 or
 * `OTHER` —, `direct`, optional `indirect`, `route`, `description`, `source`, `status`,
 * `notes`), before the mark-up; their rows come before the bundled ones.
 */
export interface CbamDefaultValueSource {
  tables?: readonly UserTable[];
}

/** Input of `cbam_embedded`. */
export interface CbamEmbeddedInput {
  /** Year of import (decides the default-value mark-up); 2026 or later. */
  year: number;
  good: CbamGood;
  default_values?: CbamDefaultValueSource;
}

/** Where a good's SEE comes from. */
export type CbamDataSource = "actual" | "given" | "default";

/** A precursor's contribution to a complex good. */
export interface CbamPrecursorResult {
  /** Quantity consumed in the period, in the precursor's unit. */
  mass: Decimal;
  /** Quantity per unit of the good. */
  specific_mass: Decimal;
  /** Direct emissions embedded in it, t CO2e. */
  direct_t: Decimal;
  /** Indirect emissions embedded in it, t CO2e. */
  indirect_t: Decimal;
  good: CbamEmbedded;
}

/** The specific embedded emissions (SEE) of a good, t CO2e per `unit`. */
export interface CbamEmbedded {
  /** CN code (digits). */
  cn_code: string;
  sector: CbamSector;
  unit: "t" | "MWh";
  country?: string;
  /** The production route used (with default values, the table's). */
  route?: string;
  installation?: string;
  data: CbamDataSource;
  see_direct: Decimal;
  /** Reported; counted only where `indirect_counted`. */
  see_indirect: Decimal;
  indirect_counted: boolean;
  /** The SEE that counts: direct, plus indirect where counted. */
  see: Decimal;
  /** The mark-up applied (default values). */
  markup?: Decimal;
  /** Activity level in `unit` (actual data). */
  activity_level?: Decimal;
  precursors?: CbamPrecursorResult[];
  /** How each number was obtained. */
  steps: string[];
  /** Ids of the reference rows used (see the document's `sources`). */
  sources: string[];
}

/** A reference number with its provenance: a row of the bundled CBAM table, or a user's row. */
export interface CbamParameter {
  /** "parameter@period" (e.g. "cbam_factor_free_allocation_share@2026"), or "user:…". */
  id: string;
  parameter: string;
  period: string;
  scope: string;
  /** The value as the table writes it. */
  value: string;
  unit: string;
  status: Status;
  /** The status as the table words it. */
  status_note: string;
  /** The source document(s). */
  source: string;
  notes?: string;
}

/** Result of `cbam_embedded`. */
export interface CbamEmbeddedOutput {
  year: number;
  /** The good's embedded emissions, with its precursors. */
  good: CbamEmbedded;
  /** Every reference row used, with its source and status. */
  sources: CbamParameter[];
  /** Unverified numbers used, route overrides. */
  warnings: string[];
}

/** A benchmark column of IR (EU) 2025/2620: A with actual data, B with default values. */
export type CbamBenchmarkColumn = "A" | "B";

/** A benchmark the user gives (column A for actual data, or column B beyond the bundled ones). */
export interface CbamUserBenchmark {
  /** CN code or prefix. */
  cn_code: string;
  route?: string;
  column: CbamBenchmarkColumn;
  /** t CO2e per t of good. */
  value: DecimalInput;
  source?: string;
  /** Default "unverified". */
  status?: Status;
  first_year?: number;
  last_year?: number;
}

/** A line's own benchmark, t CO2e per t of good with its precursors; replaces tanso's choice. */
export interface CbamLineBenchmark {
  value: DecimalInput;
  column?: CbamBenchmarkColumn;
  source?: string;
}

/** An installation (of a supplier's communication). */
export interface CbamInstallation {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  operator?: string;
  address?: string;
  un_locode?: string;
}

/** A reporting period, ISO dates inclusive. */
export interface CbamReportingPeriod {
  /** "YYYY-MM-DD". */
  start: string;
  end: string;
}

/** Whether communicated values are actual data or default values. */
export type CbamDataQuality = "actual" | "default";

/** Where the emission factor of consumed electricity comes from. */
export type CbamElectricitySource =
  | "grid_average"
  | "direct_connection"
  | "power_purchase_agreement"
  | "own_generation"
  | "default_value"
  | "other";

/** Electricity consumed per t of good and its emission factor. */
export interface CbamElectricityData {
  consumed_mwh_per_t: DecimalInput;
  factor_t_per_mwh: DecimalInput;
  source: CbamElectricitySource;
  note?: string;
}

/** A precursor as communicated. */
export interface CbamPrecursorData {
  cn_code: string;
  country: string;
  installation?: string;
  /** t of precursor per t of good. */
  mass_per_t?: DecimalInput;
  see_direct: DecimalInput;
  see_indirect?: DecimalInput;
  data_quality: CbamDataQuality;
}

/** A carbon price paid in the country of origin for the good's emissions. */
export interface CbamCarbonPricePaid {
  /** The pricing instrument (e.g. China's national ETS). */
  instrument: string;
  /** Price effectively paid per t CO2e, after rebates, in `currency`. */
  amount_per_t: DecimalInput;
  /** ISO 4217. */
  currency: string;
  /** The same in EUR per t CO2e (needed when `currency` is not EUR). */
  eur_per_t?: DecimalInput;
  note?: string;
}

/** An installation's communication to its importer, for one good and reporting period. */
export interface CbamSupplierCommunication {
  installation: CbamInstallation;
  cn_code: string;
  production_route?: string;
  period: CbamReportingPeriod;
  data_quality: CbamDataQuality;
  /** t CO2e per t of good (per MWh for electricity). */
  see_direct: DecimalInput;
  see_indirect?: DecimalInput;
  electricity?: CbamElectricityData;
  precursors?: readonly CbamPrecursorData[];
  carbon_price?: CbamCarbonPricePaid;
  notes?: string;
}

/** One shipment line: a good (or a supplier's communication) and its net mass. */
export interface CbamLine {
  /** Line id (echoed). */
  id?: string;
  /** The good; or give `communication`. */
  good?: CbamGood;
  communication?: CbamSupplierCommunication;
  /** Net mass imported (energy for electricity). */
  mass: Quantity;
  /** Quarter of import, 1–4: decides the 2026 certificate price. */
  quarter?: number;
  /** Carbon price effectively paid in the country of origin, EUR per t CO2e. */
  carbon_price_paid_eur_per_t?: DecimalInput;
  /** Certificate price for this line, EUR per t CO2e. */
  certificate_price_eur?: DecimalInput;
  benchmark?: CbamLineBenchmark;
}

/** Input of `cbam_obligation`: an importer's shipments of one year. */
export interface CbamObligationInput {
  /** Year of import, 2026 or later. */
  year: number;
  /** The importer (echoed). */
  importer?: string;
  /** A named scenario of the CBAM factor schedule (e.g. "COM(2026)616", a proposal); the law when absent. */
  scenario?: string;
  /** Certificate price for every line without its own, EUR per t CO2e. */
  certificate_price_eur?: DecimalInput;
  /** Replaces the bundled 1.0 of 2026–2030; needed later. */
  cross_sectoral_correction_factor?: DecimalInput;
  default_values?: CbamDefaultValueSource;
  benchmarks?: readonly CbamUserBenchmark[];
  lines: readonly CbamLine[];
}

/** The benchmark a line used. */
export interface CbamBenchmarkUsed {
  /** Effective benchmark, t CO2e per t of good (with precursors). */
  value: Decimal;
  /** The column of the good's own benchmark (null for a line's own value without one). */
  column: CbamBenchmarkColumn | null;
  route?: string;
  /** True when column B stands in for a missing column A (actual data). */
  fallback: boolean;
  steps: string[];
  sources: string[];
}

/** The result of one line. */
export interface CbamLineResult {
  id: string;
  cn_code: string;
  sector: CbamSector;
  country?: string;
  installation?: string;
  data: CbamDataSource;
  /** Net mass, in `unit`. */
  mass: Decimal;
  unit: "t" | "MWh";
  /** The SEE that counts, t CO2e per unit. */
  see: Decimal;
  embedded_t: Decimal;
  /** None where the CBAM factor is 0, for electricity, or for exempt lines. */
  benchmark: CbamBenchmarkUsed | null;
  /** Specific free allocation: CBAM factor × CSCF × benchmark, t CO2e per t. */
  sefa: Decimal;
  free_allocation_adjustment_t: Decimal;
  carbon_price_paid_eur_per_t: Decimal | null;
  carbon_price_deduction_t: Decimal;
  /** Certificates due (1 certificate = 1 t CO2e), exact. */
  certificates: Decimal;
  de_minimis_exempt: boolean;
  /** Null when no certificate is due. */
  certificate_price_eur: Decimal | null;
  /** A reference row id, or "input". */
  certificate_price_source: string | null;
  /** EUR, rounded to cents. */
  cost_eur: Decimal;
  /** EUR, exact. */
  cost_eur_exact: Decimal;
  embedded: CbamEmbedded;
  steps: string[];
}

/** Totals of a set of lines. */
export interface CbamTotals {
  lines: number;
  mass_t: Decimal;
  electricity_mwh: Decimal;
  embedded_t: Decimal;
  free_allocation_adjustment_t: Decimal;
  carbon_price_deduction_t: Decimal;
  certificates: Decimal;
  /** The exact total rounded to cents (may differ by cents from the sum of the rounded lines). */
  cost_eur: Decimal;
  cost_eur_exact: Decimal;
}

/** The de-minimis test of the year (Regulation (EU) 2025/2083). */
export interface CbamDeMinimis {
  threshold_t: Decimal;
  /** Cumulative net mass of iron and steel, aluminium, cement and fertilisers, t. */
  counted_mass_t: Decimal;
  /** True when the counted mass is at most the threshold: those goods owe no certificates. */
  exempt: boolean;
  /** The reference row. */
  source: string;
}

/** Result of `cbam_obligation`. */
export interface CbamObligationOutput {
  year: number;
  importer?: string;
  /** The scenario used, if any (a proposal, not law). */
  scenario: string | null;
  /** CBAM factor of the year (share of free allocation kept). */
  cbam_factor: Decimal;
  /** Null when the CBAM factor is 0. */
  cross_sectoral_correction_factor: Decimal | null;
  lines: CbamLineResult[];
  totals: CbamTotals;
  /** Declaration totals by CN code (digits). */
  by_cn_code: Record<string, CbamTotals>;
  /** By country of origin ("unknown" where a line has none). */
  by_country: Record<string, CbamTotals>;
  /** By installation ("unspecified" where a line has none). */
  by_installation: Record<string, CbamTotals>;
  de_minimis: CbamDeMinimis;
  /** Deadline of the annual declaration and surrender, "YYYY-MM-DD". */
  surrender_deadline: string;
  /** How money is rounded. */
  rounding: string;
  /** Every reference row used, with its source and status. */
  sources: CbamParameter[];
  /** Scenario, fallbacks, unverified numbers. */
  warnings: string[];
}

// ---------------------------------------------------------------------------------------
// materials: the materials library (`tanso::materials`)
//
// Factors are kg CO2e (or kg CO2 where `basis` is "CO2") per kg of material (per kWh of
// battery capacity), exact decimals from `material_routes.csv` and `materials.csv`.

/** The provenance of a material factor. */
export interface MaterialProvenance {
  /** The source as the table gives it. */
  source: string;
  status: Status;
  /** The status as the table words it. */
  status_note: string;
  /** The boundary as the table gives it. */
  boundary: string;
  /** "core/data/<file>.csv row <n>" (header = row 1) or "user:<table> row <n>". */
  row: string;
  /** The table's notes. */
  notes?: string;
}

/** One row of the materials library. */
export interface MaterialFactor {
  /** "material/route/form@geography/year", unique. */
  id: string;
  /** "steel", "aluminium", "iron", "copper", "plastic", "glass", "rubber", "magnesium", "composite", "battery", "cathode", "sheet_rolling". */
  material: string;
  /** The class counted in share attribution ("steel", "aluminium" or the material). */
  class: string;
  /** "bf_bof", "dri_eaf", "scrap_eaf", "market", "primary", "secondary", "average", "add_on", … */
  route: string;
  /** "crude", "product", "hot_rolled", "cold_rolled", "wrought", "cast", "ingot", "cathode", "pack", … */
  form: string;
  /** "WORLD", "US", "EU", "CN", or a user's code. */
  geography: string;
  /** Data year. */
  year: number;
  /** Unit of material the factor is per: "kg" or "kWh" (battery capacity). */
  unit: string;
  /** kg CO2e (or kg CO2) per unit; absent when the table has no single value (a gap or a range). */
  kg_co2e_per_unit?: Decimal;
  /** "CO2e", or "CO2" for CO2-only intensities (e.g. worldsteel). */
  basis: "CO2e" | "CO2";
  /** Usable as a default: verified with a single value. */
  usable: boolean;
  provenance: MaterialProvenance;
}

/**
 * Primary aluminium computed from the smelter's electricity and grid (the user's data: the
 * bundled tables have no verified electrolysis kWh).
 */
export interface Smelter {
  /** Electricity of electrolysis (and casting), kWh per kg of aluminium. */
  kwh_per_kg: DecimalInput;
  /** Everything else (alumina, anodes, PFC, casting fuels), kg CO2e per kg. */
  non_electricity_kg_co2e_per_kg: DecimalInput;
  /** Grid factor, kg CO2e per kWh; or give `grid_geography`. */
  grid_kg_co2e_per_kwh?: DecimalInput;
  /** Geography of the smelter's grid (e.g. "CN", "CN-NM"), looked up for the query's year. */
  grid_geography?: string;
}

/** Input of `materials`: list the rows (default) or look up one factor. */
export interface MaterialsInput {
  /** "list" (default) or "lookup". */
  action?: "list" | "lookup";
  /** For "list": only this material; for "lookup": the material. */
  material?: string;
  /** Lookup: route (default the primary route when `recycled_content` is given, else "market" for steel and copper, or the only route). */
  route?: string;
  /** Lookup: form (default "crude" for steel, "ingot" for primary aluminium). */
  form?: string;
  /** Lookup: geography (default "WORLD"; falls back to "WORLD", reported). */
  geography?: string;
  /** Lookup: year (default 2022; nearest earlier year, reported). */
  year?: number;
  /** Lookup: recycled content 0..1, blending the primary and the secondary route. */
  recycled_content?: DecimalInput;
  /** Lookup: primary aluminium from the smelter's electricity and grid. */
  smelter?: Smelter;
  /** Use unverified rows that have one value (flagged `unverified`). */
  include_unverified?: boolean;
  /** User tables (CSV or JSON with the columns of `material_routes.csv`). */
  tables?: readonly UserTable[];
}

/** A part of a resolved factor (a blend side, an add-on, a smelter part). */
export interface MaterialComponent {
  /** A row id, or "smelter electricity", "smelter other". */
  id: string;
  /** Blend share, 1 for add-ons, kWh per kg for electricity. */
  weight: Decimal;
  /** kg CO2e per unit of the component. */
  kg_co2e_per_unit: Decimal;
  source: string;
  /** "primary" or "secondary" (blend sides, incl. their add-ons and smelter parts), or "route". */
  role: string;
}

/** A factor resolved for a query, with its rows and fallbacks. */
export interface MaterialResolved {
  material: string;
  /** Its class for share attribution. */
  class: string;
  /** The route used ("blend" for a recycled-content blend, "smelter" for a smelter model). */
  route: string;
  form: string;
  unit: string;
  /** kg CO2e per unit (exact decimal arithmetic on the table values). */
  kg_co2e_per_unit: Decimal;
  /** "CO2e", or "CO2" when every row behind it is CO2 only. */
  basis: "CO2e" | "CO2";
  components: MaterialComponent[];
  /** Fallbacks used (geography or year not as asked). */
  fallbacks: string[];
  /** True when an unverified row was used (only with `include_unverified`). */
  unverified: boolean;
}

/** Result of `materials`: `rows` and `gaps` for "list", `factor` for "lookup". */
export interface MaterialsOutput {
  rows?: MaterialFactor[];
  /** What the data lacks. */
  gaps?: string[];
  factor?: MaterialResolved;
}

// ---------------------------------------------------------------------------------------
// product_footprint: product carbon footprints from a bill of materials (`tanso::product`)
//
// Masses, distances and amounts of the BOM are JS numbers (the BOM is compiled into the LCA
// engine); supplier PCF values and recycled content are decimals. Results are decimal strings,
// kg CO2e per declared unit of the product.

/** The product and its declared or functional unit. */
export interface ProductInfo {
  id: string;
  name?: string;
  /** ISO 14067 §3.1.1.8, e.g. "1 piece" (the default). */
  declared_unit?: string;
  /** ISO 14067 §3.1.1.7, where the study has one. */
  functional_unit?: string;
}

/** A material in one piece of a part. */
export interface ProductMaterialLine {
  /** Default "<part>/<material>#<n>"; unique. */
  id?: string;
  /** A material of the library (see `materials`). */
  material: string;
  route?: string;
  form?: string;
  /** Default: the product's geography. */
  geography?: string;
  /** Net mass in one piece, kg (kWh for battery capacity factors). */
  mass_kg: number;
  /** Yield of the forming process (net / gross, in (0, 1]); default 1. */
  yield?: number;
  /** Recycled content R1 (0..1): blends the primary and secondary route. */
  recycled_content?: DecimalInput;
  /** Primary aluminium from the smelter's electricity and grid. */
  smelter?: Smelter;
  /** The user's own factor, kg CO2e per kg (replaces the library); give `source`. */
  kg_co2e_per_kg?: number;
  source?: string;
  /** End-of-life recycling rate R2 of this line (overrides `recycling.r2`). */
  recycling_rate?: number;
}

/** Fuel burnt in a process: the `fuel_combustion` record of `calculate`, without `type`. */
export type ProductFuel = Omit<FuelCombustionRecord, "type" | keyof RecordCommon>;

/** Direct emissions of a process, kg of a gas. */
export interface ProductEmission {
  /** "CO2", "CH4_fossil", "N2O", "SF6", … or "CO2e" for an aggregated amount. */
  gas: string;
  kg: number;
  /** Default "fossil". */
  origin?: "fossil" | "biogenic" | "dluc";
}

/** A process step (forming, machining, painting, assembly …), per piece. */
export interface ProductProcess {
  name: string;
  /** kWh. */
  electricity_kwh?: number;
  /** kg CO2e per kWh; default the bundled grid average of `grid_geography` (or the product's) for the year. */
  grid_kg_co2e_per_kwh?: number;
  grid_geography?: string;
  /** Computed by the accounting fuel calculator, with provenance. */
  fuels?: readonly ProductFuel[];
  emissions?: readonly ProductEmission[];
  /** Measured at the site (primary data); default true. */
  primary?: boolean;
}

/** A transport leg, per piece. */
export interface ProductTransportLeg {
  /** "road", "rail", "sea", "air" (reported as aircraft emissions), … */
  mode: string;
  distance_km: number;
  /** Mass carried per piece, kg (default: the part's net material mass, or its `mass_kg`). */
  mass_kg?: number;
  /** The user's factor (GLEC defaults are not bundled). */
  kg_co2e_per_tkm: number;
}

/** A co-product of making a part (a multi-output process), per piece of the main product. */
export interface ProductCoProduct {
  id: string;
  mass_kg?: number;
  economic_value?: number;
  /** Other physical properties (energy content, volume …). */
  properties?: Record<string, number>;
  /** For substitution: the material it displaces. */
  displaces?: ProductMaterialLine;
}

/** How a part's burdens are shared with its co-products. */
export interface ProductAllocation {
  method: "mass" | "economic" | "physical" | "substitution" | "subdivision";
  /** For "physical": the property. */
  property?: string;
  /** The main product's mass per piece, kg (default its net material mass). */
  mass_kg?: number;
  economic_value?: number;
  properties?: Record<string, number>;
}

/** Data quality ratings (PACT DQRs, 1..3) and coverage. */
export interface ProductDqr {
  coverage_percent?: Decimal;
  technological?: Decimal;
  temporal?: Decimal;
  geographical?: Decimal;
  completeness?: Decimal;
  reliability?: Decimal;
}

/** A supplier's own PCF of a part, per declared unit (see `pact_summary` for a PACT document's values). */
export interface ProductSupplierPcf {
  /** PACT footprint id, where there is one. */
  id?: string;
  /** "piece" (default) or "kg". */
  declared_unit?: string;
  /** kg CO2e per declared unit: fossil + biogenic + dLUC. */
  total_kg_co2e: DecimalInput;
  /** Incl. aircraft; default total − biogenic − dLUC. */
  fossil_kg_co2e?: DecimalInput;
  biogenic_kg_co2e?: DecimalInput;
  dluc_kg_co2e?: DecimalInput;
  /** Part of fossil. */
  aircraft_kg_co2e?: DecimalInput;
  /** Percent, 0..100. */
  primary_data_share?: DecimalInput;
  dqr?: { [K in keyof ProductDqr]?: DecimalInput };
}

/** A part of the bill of materials, with its sub-parts. */
export interface ProductPart {
  /** Unique in the BOM. */
  id: string;
  /** Pieces per unit of the parent (default 1). */
  quantity?: number;
  /** Mass of one piece, kg (needed when a supplier PCF is per kg). */
  mass_kg?: number;
  /** The supplier of a purchased component; sub-parts inherit it. */
  supplier?: string;
  /** Replaces the default data of the part (its materials, processes and sub-parts). */
  supplier_pcf?: ProductSupplierPcf;
  /**
   * Or the supplier's PACT ProductFootprint (v2.3 or v3.0, kept raw): validated, summarised
   * and used as `supplier_pcf` (per piece, per kg with `mass_kg`, or one piece = the
   * document's declared unit amount); noted in `report.notes`. Not with `supplier_pcf`.
   */
  supplier_pact?: Record<string, unknown>;
  materials?: readonly ProductMaterialLine[];
  processes?: readonly ProductProcess[];
  /** Inbound transport legs. */
  transport?: readonly ProductTransportLeg[];
  parts?: readonly ProductPart[];
  co_products?: readonly ProductCoProduct[];
  allocation?: ProductAllocation;
}

/** The recycling approach (default cut-off). */
export interface ProductRecycling {
  approach?: "cut_off" | "avoided_burden" | "cff" | "steel_scrap_credit";
  /** CFF: the allocation factor A (PEF Annex C; the document must give it). */
  a?: number;
  /** End-of-life recycling rate R2 by material or class, e.g. { steel: 0.85 }. */
  r2?: Record<string, number>;
  /** Quality ratio of recycled input to primary (default 1, stated). */
  qs_in_qp?: number;
  /** Quality ratio of recycled output to primary (default 1, stated). */
  qs_out_qp?: number;
  /** Disposal, kg CO2e per kg not recycled (default not modelled, stated). */
  disposal_kg_co2e_per_kg?: number;
}

/** A change of a sensitivity scenario. */
export interface ProductChange {
  /** A line id, a material or a class ("steel", "aluminium"). */
  target: string;
  recycled_content?: DecimalInput;
  /** New route (clears recycled content unless given). */
  route?: string;
  smelter?: Smelter;
}

/** A named sensitivity scenario. */
export interface ProductScenario {
  name: string;
  changes: readonly ProductChange[];
}

/** Input of `product_footprint`. */
export interface ProductFootprintInput {
  product: ProductInfo;
  /** Default geography of materials and grids ("WORLD"). */
  geography?: string;
  /** Reference year (default 2022). */
  year?: number;
  /** Default "AR6". */
  gwp_set?: GwpSetId;
  /** Top-level parts of the bill of materials. */
  parts?: readonly ProductPart[];
  /** Final assembly at the product's own site. */
  processes?: readonly ProductProcess[];
  /** Distribution legs (gate to customer). */
  distribution?: readonly ProductTransportLeg[];
  recycling?: ProductRecycling;
  sensitivity?: readonly ProductScenario[];
  /** Also sweep the recycled content of all steel and all aluminium over 0 … 1. */
  sensitivity_sweep?: boolean;
  /** User material tables. */
  material_tables?: readonly UserTable[];
  include_unverified?: boolean;
  /** Also return the footprint as a PACT document (`pact_document`). */
  pact?: ProductPactRequest;
}

/**
 * The fields of `pact_export` for the footprint's PACT document, except those computed from
 * the footprint (every emission value, `primary_data_share`, `declared_unit_amount`).
 * Filled when not given: declared unit, mass, DQR, product name, boundary, allocation rules,
 * characterization factors, cross-sectoral standards, comment, geography (`WORLD` has no PACT
 * region: give one).
 */
export type ProductPactRequest = Omit<
  PactExportInput,
  | "total_excluding_biogenic"
  | "total_including_biogenic"
  | "fossil"
  | "biogenic"
  | "biogenic_uptake"
  | "dluc"
  | "aircraft"
  | "primary_data_share"
  | "declared_unit_amount"
>;

/** One part's result, kg CO2e per declared unit of the product. */
export interface ProductPartResult {
  part: string;
  supplier?: string;
  /** Its own materials, processes and transport (or its supplier PCF). */
  direct_kg_co2e: Decimal;
  /** Incl. sub-parts. */
  total_kg_co2e: Decimal;
  data: "bom" | "supplier_pcf";
}

/** One material line's result. */
export interface ProductLineResult {
  id: string;
  part: string;
  material: string;
  class: string;
  /** kg per declared unit, incl. yield losses. */
  gross_kg: Decimal;
  /** Of the resolved factor, before recycling terms. */
  factor_kg_co2e_per_kg: Decimal;
  production_kg_co2e: Decimal;
  /** End-of-life and credit terms. */
  end_of_life_kg_co2e: Decimal;
  factor: MaterialResolved;
}

/** Emissions of one gas and origin. */
export interface ProductGasResult {
  origin: "fossil" | "biogenic" | "dluc" | "aircraft";
  /** Gas id or "CO2e". */
  gas: string;
  kg: Decimal;
  kg_co2e: Decimal;
}

/** Steel / aluminium / rest shares of production emissions. */
export interface ProductShares {
  steel_kg_co2e: Decimal;
  aluminium_kg_co2e: Decimal;
  rest_kg_co2e: Decimal;
  steel_percent: Decimal;
  aluminium_percent: Decimal;
  rest_percent: Decimal;
}

/** The allocation of one multi-output process. */
export interface ProductAllocationResult {
  /** The part. */
  process: string;
  method: string;
  /** Output → factor (sum to one; substitution gives the main product 1). */
  factors: Record<string, number>;
}

/** One sensitivity scenario ("base" first). */
export interface ProductScenarioResult {
  name: string;
  total_kg_co2e: Decimal;
  production_kg_co2e: Decimal;
  shares: ProductShares;
}

/** ISO 14067 / GB/T 24067-2024 report fields. */
export interface ProductReport {
  product: string;
  declared_unit: string;
  functional_unit?: string;
  /** "cradle-to-gate", or with distribution and end of life as modelled. */
  system_boundary: string;
  /** A partial CFP (cradle-to-gate). */
  cradle_to_gate: boolean;
  geography: string;
  year: number;
  gwp_set: string;
  /** Excl. aircraft. */
  fossil_kg_co2e: Decimal;
  biogenic_kg_co2e: Decimal;
  dluc_kg_co2e: Decimal;
  aircraft_kg_co2e: Decimal;
  /** PACT pCfExcludingBiogenic: fossil + aircraft + dLUC. */
  total_excluding_biogenic_kg_co2e: Decimal;
  /** Allocation rules used, per process. */
  allocation: string[];
  /** The recycling approach and its parameters. */
  recycling: string;
  /** Emission-weighted PACT DQR of the data that has one, and its coverage. */
  dqr: ProductDqr;
  /** Primary-data share of production emissions, percent. */
  primary_data_share: Decimal;
  /** Assumptions, exclusions and data gaps. */
  notes: string[];
  standards: string[];
}

/** Result of `product_footprint`: kg CO2e per declared unit. */
export interface ProductFootprintOutput {
  /** Fossil + biogenic + dLUC, incl. credits. */
  total_kg_co2e: Decimal;
  /** Cradle-to-gate: raw materials, production and inbound transport. */
  production_kg_co2e: Decimal;
  /** "fossil" (incl. aircraft), "biogenic", "dluc", "aircraft". */
  by_origin: Record<string, Decimal>;
  /** "raw_materials", "production", "transport", "distribution", "end_of_life". */
  by_stage: Record<string, Decimal>;
  by_part: ProductPartResult[];
  /** By material name, incl. each line's routes and end of life. */
  by_material: Record<string, Decimal>;
  by_material_line: ProductLineResult[];
  /** By supplier ("own" for parts without one). */
  by_supplier: Record<string, Decimal>;
  by_gas: ProductGasResult[];
  shares: ProductShares;
  allocation: ProductAllocationResult[];
  sensitivity: ProductScenarioResult[];
  /** The seeds' scrap rule: kgce of standard coal avoided (steel_scrap_credit only). */
  scrap_kgce_avoided?: Decimal;
  report: ProductReport;
  /** The footprint as a PACT ProductFootprint, when the input's `pact` asked for it (validated). */
  pact_document?: PactProductFootprint;
}

// ---------------------------------------------------------------------------------------
// pact_validate, pact_convert, pact_summary, pact_export: WBCSD PACT ProductFootprint
// (Tech Specs v2.3 and v3.0, `tanso::exchange`)
//
// Documents are the spec's camelCase JSON. tanso keeps unknown properties and decimals as
// written (a PACT decimal is a JSON string, a few v2.3 properties JSON numbers), so the types
// below name the spec's properties and allow any other.

/** The Tech Specs versions tanso reads and writes. */
export type PactVersion = "2.3" | "3.0";

/** A PACT decimal as written: a string ("1.5"), or a JSON number for a few v2.3 properties. */
export type PactDecimal = string | number;

/** A field of a PACT document that breaks the spec. */
export interface PactFailure {
  /** JSON path, e.g. "pcf.dqi.technologicalDQR" or "companyIds[1]" (empty: the document). */
  path: string;
  /** The value found, as JSON text; "null" when missing. */
  value: string;
  /** The rule broken, with what would be valid and the spec section. */
  rule: string;
}

/** `EmissionFactorSource`: a secondary emission factor database. */
export interface PactEmissionFactorSource {
  name?: string;
  version?: string;
  [property: string]: unknown;
}

/** `DataModelExtension`. */
export interface PactDataModelExtension {
  specVersion?: string;
  dataSchema?: string;
  documentation?: string;
  data?: unknown;
  [property: string]: unknown;
}

/** `ProductOrSectorSpecificRule`. */
export interface PactProductOrSectorSpecificRule {
  operator?: string;
  ruleNames?: string[];
  otherOperatorName?: string;
  [property: string]: unknown;
}

/** `CarbonFootprint` of v2.3: values per ONE declared unit. */
export interface PactCarbonFootprintV2 {
  declaredUnit?: string;
  unitaryProductAmount?: PactDecimal;
  productMassPerDeclaredUnit?: PactDecimal;
  pCfExcludingBiogenic?: PactDecimal;
  pCfIncludingBiogenic?: PactDecimal;
  fossilGhgEmissions?: PactDecimal;
  fossilCarbonContent?: PactDecimal;
  biogenicCarbonContent?: PactDecimal;
  dLucGhgEmissions?: PactDecimal;
  landManagementGhgEmissions?: PactDecimal;
  otherBiogenicGhgEmissions?: PactDecimal;
  iLucGhgEmissions?: PactDecimal;
  biogenicCarbonWithdrawal?: PactDecimal;
  aircraftGhgEmissions?: PactDecimal;
  characterizationFactors?: string;
  ipccCharacterizationFactorsSources?: string[];
  crossSectoralStandardsUsed?: string[];
  crossSectoralStandards?: string[];
  productOrSectorSpecificRules?: PactProductOrSectorSpecificRule[];
  biogenicAccountingMethodology?: string;
  boundaryProcessesDescription?: string;
  referencePeriodStart?: string;
  referencePeriodEnd?: string;
  geographyRegionOrSubregion?: string;
  geographyCountry?: string;
  geographyCountrySubdivision?: string;
  secondaryEmissionFactorSources?: PactEmissionFactorSource[];
  exemptedEmissionsPercent?: PactDecimal;
  exemptedEmissionsDescription?: string;
  packagingEmissionsIncluded?: boolean;
  packagingGhgEmissions?: PactDecimal;
  allocationRulesDescription?: string;
  uncertaintyAssessmentDescription?: string;
  primaryDataShare?: PactDecimal;
  /** `DataQualityIndicators`: coverage percent and five DQRs (1..3). */
  dqi?: Record<string, unknown>;
  /** `Assurance`. */
  assurance?: Record<string, unknown>;
  [property: string]: unknown;
}

/** `ProductFootprint` of v2.3. */
export interface PactProductFootprintV2 {
  id?: string;
  specVersion?: string;
  precedingPfIds?: string[];
  version?: number;
  created?: string;
  updated?: string;
  status?: string;
  statusComment?: string;
  validityPeriodStart?: string;
  validityPeriodEnd?: string;
  companyName?: string;
  companyIds?: string[];
  productDescription?: string;
  productIds?: string[];
  productClassifications?: string[];
  productCategoryCpc?: string;
  productNameCompany?: string;
  comment?: string;
  pcf?: PactCarbonFootprintV2;
  extensions?: PactDataModelExtension[];
  [property: string]: unknown;
}

/** `CarbonFootprint` of v3.0: values for the declared unit amount. */
export interface PactCarbonFootprintV3 {
  declaredUnitOfMeasurement?: string;
  declaredUnitAmount?: PactDecimal;
  productMassPerDeclaredUnit?: PactDecimal;
  referencePeriodStart?: string;
  referencePeriodEnd?: string;
  geographyRegionOrSubregion?: string;
  geographyCountry?: string;
  geographyCountrySubdivision?: string;
  boundaryProcessesDescription?: string;
  pcfExcludingBiogenicUptake?: PactDecimal;
  pcfIncludingBiogenicUptake?: PactDecimal;
  fossilCarbonContent?: PactDecimal;
  biogenicCarbonContent?: PactDecimal;
  recycledCarbonContent?: PactDecimal;
  fossilGhgEmissions?: PactDecimal;
  landUseChangeGhgEmissions?: PactDecimal;
  landCarbonLeakage?: PactDecimal;
  landManagementFossilGhgEmissions?: PactDecimal;
  landManagementBiogenicCO2Emissions?: PactDecimal;
  landManagementBiogenicCO2Removals?: PactDecimal;
  biogenicCO2Uptake?: PactDecimal;
  biogenicNonCO2Emissions?: PactDecimal;
  landAreaOccupation?: PactDecimal;
  aircraftGhgEmissions?: PactDecimal;
  packagingEmissionsIncluded?: boolean;
  packagingGhgEmissions?: PactDecimal;
  packagingBiogenicCarbonContent?: PactDecimal;
  outboundLogisticsGhgEmissions?: PactDecimal;
  technologicalCO2CaptureOrigin?: string;
  technologicalCO2Removals?: PactDecimal;
  ccsTechnologicalCO2CaptureIncluded?: boolean;
  ccsTechnologicalCO2Capture?: PactDecimal;
  ccuCarbonContent?: PactDecimal;
  ccuCalculationApproach?: string;
  ccuCreditCertification?: string;
  ipccCharacterizationFactors?: string[];
  crossSectoralStandards?: string[];
  productOrSectorSpecificRules?: PactProductOrSectorSpecificRule[];
  exemptedEmissionsPercent?: PactDecimal;
  exemptedEmissionsDescription?: string;
  allocationRulesDescription?: string;
  secondaryEmissionFactorSources?: PactEmissionFactorSource[];
  primaryDataShare?: PactDecimal;
  /** `DataQualityIndicators`: technologicalDQR, geographicalDQR, temporalDQR (1..5). */
  dqi?: { technologicalDQR?: PactDecimal; geographicalDQR?: PactDecimal; temporalDQR?: PactDecimal; [property: string]: unknown };
  /** `Verification`. */
  verification?: { coverage?: string; providerName?: string; completedAt?: string; standardName?: string; comments?: string; [property: string]: unknown };
  [property: string]: unknown;
}

/** `ProductFootprint` of v3.0. */
export interface PactProductFootprintV3 {
  id?: string;
  specVersion?: string;
  precedingPfIds?: string[];
  created?: string;
  status?: string;
  validityPeriodStart?: string;
  validityPeriodEnd?: string;
  companyName?: string;
  companyIds?: string[];
  productDescription?: string;
  productIds?: string[];
  productClassifications?: string[];
  productNameCompany?: string;
  comment?: string;
  pcf?: PactCarbonFootprintV3;
  extensions?: PactDataModelExtension[];
  [property: string]: unknown;
}

/** A PACT ProductFootprint of either version, as tanso writes it. */
export type PactProductFootprint = PactProductFootprintV2 | PactProductFootprintV3;

/** Input of `pact_validate` and `pact_summary`. */
export interface PactDocumentInput {
  /** The ProductFootprint JSON, kept raw (any JSON object). */
  document: Record<string, unknown>;
  /** "2.3" or "3.0"; by default read from `document.specVersion`. */
  version?: string;
}

/** Result of `pact_validate` (an invalid document is a result, not an error). */
export interface PactValidateOutput {
  valid: boolean;
  /** The version whose rules were applied. */
  version: PactVersion;
  failures: PactFailure[];
}

/** Input of `pact_convert`. */
export interface PactConvertInput {
  /** The ProductFootprint JSON (valid under its own version). */
  document: Record<string, unknown>;
  /** Target: "2.3" or "3.0". */
  to: string;
  /** Source version; by default read from `document.specVersion`. */
  from?: string;
}

/** Something of the source document the target version cannot carry exactly. */
export interface PactConversionNote {
  /** Path in the source document, e.g. "pcf.dqi". */
  path: string;
  /** The source value as JSON text. */
  value: string;
  /** What happened to it. */
  note: string;
}

/** Result of `pact_convert`. */
export interface PactConvertOutput {
  document: PactProductFootprint;
  from: PactVersion;
  to: PactVersion;
  notes: PactConversionNote[];
  /** Whether the converted document is valid under the target version. */
  valid: boolean;
  failures: PactFailure[];
}

/** Data quality ratings of a supplier PCF, with their scale (1 is best). */
export interface PactDqr {
  /** Worst rating: 3 (v2.3) or 5 (v3.0). */
  scale_max: number;
  technological: Decimal | null;
  temporal: Decimal | null;
  geographical: Decimal | null;
  /** v2.3 only. */
  completeness: Decimal | null;
  /** v2.3 only. */
  reliability: Decimal | null;
  /** v2.3 only. */
  coverage_percent: Decimal | null;
}

/**
 * Result of `pact_summary`: a supplier's footprint as plain values, every emission in kg CO2e
 * per ONE `unit` whatever the version (v3.0 values divided by `declaredUnitAmount`).
 */
export interface PactSummaryOutput {
  version: PactVersion;
  id: string;
  /** "Active" or "Deprecated". */
  status: string;
  company_name: string;
  company_ids: string[];
  /** URNs (GTIN, part numbers …) to match BOM lines. */
  product_ids: string[];
  product_name: string;
  product_classifications: string[];
  /** "kilogram", "liter", "piece", … */
  unit: string;
  /** How many `unit`s the product holds. */
  declared_unit_amount: Decimal;
  mass_kg_per_unit: Decimal | null;
  total_excluding_biogenic: Decimal;
  total_including_biogenic: Decimal | null;
  fossil: Decimal | null;
  biogenic: Decimal | null;
  /** ≤ 0. */
  biogenic_uptake: Decimal | null;
  dluc: Decimal | null;
  aircraft: Decimal | null;
  packaging: Decimal | null;
  packaging_included: boolean | null;
  primary_data_share_percent: Decimal | null;
  dqr: PactDqr | null;
  /** Start and end (exclusive). */
  reference_period: [string, string];
  geography: string | null;
  /** IPCC reports of the GWPs, e.g. "AR6". */
  characterization_factors: string[];
  /** Third-party assurance / verification declared. */
  verified: boolean;
}

/** Data quality ratings given to `pact_export`. */
export interface PactDqrInput {
  technological?: DecimalInput;
  temporal?: DecimalInput;
  geographical?: DecimalInput;
  /** v2.3. */
  completeness?: DecimalInput;
  /** v2.3. */
  reliability?: DecimalInput;
  /** v2.3, percent. */
  coverage_percent?: DecimalInput;
}

/** Verification (v3.0) / assurance (v2.3) given to `pact_export`. */
export interface PactVerificationInput {
  provider_name?: string;
  /** RFC 3339. */
  completed_at?: string;
  standard_name?: string;
  /** The coverage value of the target version. */
  coverage?: string;
}

/**
 * Input of `pact_export`: the values of a footprint, emissions in kg CO2e per ONE
 * `declared_unit` (multiplied by `declared_unit_amount` for v3.0). Missing required values are
 * reported all at once (PACT_INVALID).
 */
export interface PactExportInput {
  /** "3.0" (default) or "2.3". */
  version?: string;
  /** UUID (tanso generates none). */
  id?: string;
  /** RFC 3339. */
  created?: string;
  /** "Active" (default) or "Deprecated". */
  status?: string;
  company_name?: string;
  company_ids?: readonly string[];
  product_ids?: readonly string[];
  product_name?: string;
  product_description?: string;
  product_classifications?: readonly string[];
  /** UN CPC code (v2.3 `productCategoryCpc`; a classification URN in v3.0). */
  product_category_cpc?: string;
  comment?: string;
  preceding_pf_ids?: readonly string[];
  validity_period_start?: string;
  validity_period_end?: string;
  /** "liter", "kilogram", … (v3.0 also "piece", "hour", "megabit second"). */
  declared_unit?: string;
  /** Default 1. */
  declared_unit_amount?: DecimalInput;
  mass_kg_per_unit?: DecimalInput;
  total_excluding_biogenic?: DecimalInput;
  total_including_biogenic?: DecimalInput;
  fossil?: DecimalInput;
  /** kg C per unit. */
  fossil_carbon_content?: DecimalInput;
  /** kg C per unit. */
  biogenic_carbon_content?: DecimalInput;
  biogenic?: DecimalInput;
  /** ≤ 0. */
  biogenic_uptake?: DecimalInput;
  dluc?: DecimalInput;
  /** v2.3 only. */
  land_management?: DecimalInput;
  aircraft?: DecimalInput;
  packaging_included?: boolean;
  packaging?: DecimalInput;
  /** RFC 3339, inclusive. */
  reference_period_start?: string;
  /** RFC 3339, exclusive. */
  reference_period_end?: string;
  geography_region?: string;
  geography_country?: string;
  geography_subdivision?: string;
  boundary_processes?: string;
  /** Default ["AR6"]. */
  characterization_factors?: readonly string[];
  /** v3 vocabulary ("ISO14067", "GHGP-Product", "PACT-3.0", …). */
  cross_sectoral_standards?: readonly string[];
  /** Percent, default 0. */
  exempted_emissions_percent?: DecimalInput;
  exempted_emissions_description?: string;
  allocation_rules?: string;
  /** v2.3 only: `biogenicAccountingMethodology` ("PEF", "ISO", "GHGP" or "Quantis"). */
  biogenic_accounting_methodology?: string;
  secondary_sources?: readonly PactEmissionFactorSource[];
  /** Percent. */
  primary_data_share?: DecimalInput;
  dqr?: PactDqrInput;
  verification?: PactVerificationInput;
  extensions?: readonly PactDataModelExtension[];
}

/** Result of `pact_export`. */
export interface PactExportOutput {
  version: PactVersion;
  document: PactProductFootprint;
}

// ---------------------------------------------------------------------------------------
// catalog

/** One operation of the API. */
export interface OperationInfo {
  name: string;
  summary: string;
}
/** A unit tanso knows. */
export interface UnitInfo {
  symbol: string;
  dimension: string;
  to_base: Decimal;
  definition: string;
}
/** Result of `catalog`: what tanso knows. */
export interface CatalogOutput {
  operations: OperationInfo[];
  error_codes: { code: ErrorCode; area: ErrorArea }[];
  units: UnitInfo[];
  gases: string[];
  blends: string[];
  gwp_sets: GwpSetId[];
  fuels: string[];
  activities: string[];
  geographies: string[];
}

// ---------------------------------------------------------------------------------------
// supply_network, supply_audit: supplier networks and the SME dual-focus audit (`tanso::supply`)
//
// Emissions, values and costs are exact decimal strings; shares (0..1) and lead times are
// rounded to 6 decimals, HHI (0..10000, shares in percent squared) to 2.

/** A transport leg from a supplier to the plant. */
export interface SupplyLeg {
  /** A key of `transport_intensities` ("road", "rail", "sea", …). */
  mode: string;
  distance_km: DecimalInput;
  /** A named corridor (port, strait, rail line) the leg depends on. */
  corridor?: string;
  /** kg CO2e per t·km for this leg, replacing the mode's. */
  kg_co2e_per_tkm?: DecimalInput;
}

/** A supplier of one component. */
export interface SupplySupplier {
  id: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  province?: string;
  cluster?: string;
  /** Share of the component's supply, 0..1; a component's shares sum to exactly 1. */
  share: DecimalInput;
  /** Units per year; absent = not limited. */
  capacity?: DecimalInput;
  lead_time_days?: DecimalInput;
  value_per_unit?: DecimalInput;
  /** Cradle-to-gate kg CO2e of one unit at the supplier's gate. */
  kg_co2e_per_unit: DecimalInput;
  /** Default "default". */
  emission_data?: "primary" | "default";
  transport?: readonly SupplyLeg[];
}

/** A purchased component. */
export interface SupplyComponent {
  id: string;
  /** kg per unit (for transport). */
  mass_kg_per_unit?: DecimalInput;
  suppliers: readonly SupplySupplier[];
}

/** A product's EU shipments, for the CBAM cost (through `cbam_obligation`). */
export interface SupplyCbamShipment {
  cn_code: string;
  country: string;
  mass_t_per_unit: DecimalInput;
  /** Default: all annual units. */
  eu_units?: DecimalInput;
  /** "default" (EU default values; sourcing does not move them) or "actual" (the product's emissions without transport, per t). */
  basis?: "default" | "actual";
  /** Default 2026. */
  year?: number;
  certificate_price_eur?: DecimalInput;
  quarter?: number;
  /** The line's benchmark as `cbam_obligation` takes it. */
  benchmark?: { value: DecimalInput; column?: "A" | "B"; source?: string };
}

/** A product made from the components. */
export interface SupplyProduct {
  id: string;
  /** Default 1 (results per unit). */
  annual_units?: DecimalInput;
  value_per_unit?: DecimalInput;
  components?: readonly { component: string; quantity: DecimalInput }[];
  own_kg_co2e_per_unit?: DecimalInput;
  /** The rest of the product as a `product_footprint` document; its total replaces `own_kg_co2e_per_unit`. */
  bom?: ProductFootprintInput;
  cbam?: SupplyCbamShipment;
}

/** A supplier network. */
export interface SupplyNetwork {
  products: readonly SupplyProduct[];
  components: readonly SupplyComponent[];
  /** kg CO2e per t·km by mode (tanso bundles none). */
  transport_intensities?: Record<string, DecimalInput>;
}

/** A supplier or a region lost (exactly one). */
export interface SupplyDisruption {
  id?: string;
  supplier?: string;
  /** "CN", "CN/Zhejiang" or a cluster name. */
  region?: string;
}

/** One change of a sourcing option (within it: remove, then add, then shares). */
export interface SupplyChange {
  component?: string;
  remove?: string;
  add?: SupplySupplier;
  shares?: Record<string, DecimalInput>;
  product?: string;
  bom?: ProductFootprintInput;
  own_kg_co2e_per_unit?: DecimalInput;
  cbam_country?: string;
}

/** A sourcing option. */
export interface SupplyOption {
  id: string;
  description?: string;
  cost_per_year?: DecimalInput;
  changes: readonly SupplyChange[];
}

/** Input of `supply_network`. */
export interface SupplyNetworkInput {
  network: SupplyNetwork;
  disruptions?: readonly SupplyDisruption[];
  options?: readonly SupplyOption[];
}

/** Exposure to one supplier or region (shares 0..1). */
export interface SupplyExposure {
  key: string;
  value_share: Decimal;
  emissions_share: Decimal;
  output_at_risk: Decimal;
}

/** One component's concentration and single points of failure. */
export interface SupplyComponentRisk {
  component: string;
  suppliers: number;
  hhi_supplier: Decimal;
  hhi_region: Decimal;
  region_shares: Record<string, Decimal>;
  flags: ("single_supplier" | "single_region" | "single_cluster" | "single_corridor")[];
  depends_on: Record<string, string>;
  products: string[];
}

/** A product's emissions and exposure. */
export interface SupplyProductRisk {
  product: string;
  kg_co2e_per_unit: Decimal;
  components_kg_co2e: Decimal;
  transport_kg_co2e: Decimal;
  own_kg_co2e: Decimal;
  own_source: "own_kg_co2e_per_unit" | "product_footprint";
  kg_co2e_per_year: Decimal;
  primary_data_share: Decimal;
  value_per_unit: Decimal;
  purchased_value_per_unit: Decimal;
  lead_time_days: Decimal;
  hhi_supplier: Decimal;
  hhi_region: Decimal;
  worst_region_output_at_risk: Decimal;
  worst_region: string;
  by_supplier: SupplyExposure[];
  by_region: SupplyExposure[];
}

/** A network's risks. */
export interface SupplyNetworkRisk {
  components: SupplyComponentRisk[];
  products: SupplyProductRisk[];
  single_points_of_failure: number;
  kg_co2e_per_year: Decimal;
  worst_region_output_at_risk: Decimal;
}

/** The result of one disruption. */
export interface SupplyDisruptionResult {
  id: string;
  lost: string[];
  components: {
    component: string;
    lost_share: Decimal;
    covered_share: Decimal;
    supplied_share: Decimal;
    stopped: boolean;
    fallbacks: { supplier: string; added_units: Decimal }[];
    added_kg_co2e_per_year: Decimal;
    lead_time_days_before: Decimal;
    lead_time_days_after: Decimal;
  }[];
  products: { product: string; output_share: Decimal; output_lost_share: Decimal; stopped: boolean; limited_by?: string }[];
  output_value_lost_share: Decimal;
  added_kg_co2e_per_year: Decimal;
  notes: string[];
}

/** The baseline or one option, side by side. */
export interface SupplyOptionResult {
  id: string;
  description: string;
  kg_co2e_per_year: Decimal;
  change_kg_co2e_per_year: Decimal;
  kg_co2e_per_unit: Record<string, Decimal>;
  transport_kg_co2e_per_unit: Record<string, Decimal>;
  single_points_of_failure: number;
  worst_region_output_at_risk: Decimal;
  max_hhi_supplier: Decimal;
  max_hhi_region: Decimal;
  cbam: { product: string; basis: string; embedded_t: Decimal; certificates: Decimal; cost_eur_exact: Decimal; cost_eur: Decimal }[];
  cbam_cost_eur: Decimal;
  change_cbam_cost_eur: Decimal;
  cost_per_year: Decimal | null;
  avoided_kg_per_cost: Decimal | null;
  pareto_optimal: boolean;
}

/** Result of `supply_network`. */
export interface SupplyNetworkOutput {
  network: SupplyNetworkRisk;
  disruptions: SupplyDisruptionResult[];
  /** The baseline first. */
  options: SupplyOptionResult[];
  pareto_front: string[];
  hhi_scale: string;
  rounding: string;
}

/** Input of `supply_audit`. */
export interface SupplyAuditInput extends SupplyNetworkInput {
  company?: string;
  /** The company's `inventory` document: the Scope 1/2/3 baseline. */
  inventory?: InventoryInput;
}

/** Result of `supply_audit`. */
export interface SupplyAuditOutput {
  company: string;
  single_points_of_failure: { component: string; kind: string; depends_on: string; products: string[] }[];
  baseline: {
    year: number;
    gwp_set: string;
    scope_1_kg: Decimal;
    scope_2_location_kg: Decimal;
    scope_2_market_kg: Decimal;
    scope_3_kg: Decimal;
    scope_3_by_category: Record<string, Decimal>;
    total_kg: Decimal;
  } | null;
  interventions: {
    rank: number | null;
    id: string;
    description: string;
    avoided_kg_co2e_per_year: Decimal;
    cost_per_year: Decimal | null;
    avoided_kg_per_cost: Decimal | null;
    change_cbam_cost_eur: Decimal;
    worst_region_output_at_risk: Decimal;
    pareto_optimal: boolean;
  }[];
  analysis: SupplyNetworkOutput;
  /** The report in Markdown. */
  markdown: string;
}

// ---------------------------------------------------------------------------------------
// vehicle, vehicle_grid, vehicle_defaults: cars by size class × powertrain (`tanso::vehicle`).
// Numbers are JSON numbers (the vehicle model computes in binary64, unrounded).

/** A vehicle size class (carculator's classes). */
export type VehicleSize = "mini" | "small" | "lower_medium" | "medium" | "large" | "medium_suv" | "large_suv" | "van";
/** A powertrain. */
export type VehiclePowertrain = "petrol" | "diesel" | "hev" | "phev" | "bev" | "fcev";

/** Levers of the vehicle model (shares 0..1). */
export interface VehicleLevers {
  /** Share of all aluminium (wrought and cast) from recycled metal. */
  recycled_aluminium_share?: number;
  /** Share of wrought aluminium from recycled metal (default: GREET average, 0.110). */
  recycled_aluminium_wrought_share?: number;
  /** Share of cast aluminium from recycled metal (default: GREET average, 0.850). */
  recycled_aluminium_cast_share?: number;
  /** Share of steel from scrap-EAF instead of BF-BOF (default 0). */
  green_steel_share?: number;
  /** Use-phase grid factor, kg CO2e per kWh, every year (replaces the bundled grid). */
  grid_factor?: number;
  /** Multiplies the use-phase grid factor (default 1). */
  grid_scale?: number;
}

/** Input of `vehicle`. */
export interface VehicleInput {
  size: VehicleSize | string;
  powertrain: VehiclePowertrain | string;
  /** Region of use (and of production unless `production_region`): "CN", "EU", a China grid region ("CN-GRID-EAST") or province ("CN-ZJ"). */
  region: string;
  /** Production year, 2020–2050. */
  year: number;
  production_region?: string;
  lifetime_km?: number;
  years_of_use?: number;
  driving_cycle?: string;
  /** "average_over_use" (default) or "static". */
  grid_mode?: string;
  /** "scenario" (default: material and grid factors move with the year) or "static". */
  background?: string;
  levers?: VehicleLevers;
  /** Every default can be replaced (masses, material fractions and factors, battery, energy per km, grid losses, …). */
  overrides?: Record<string, unknown>;
  /** "cut_off" (default) or "credits" (with `recovery_rates`). */
  end_of_life?: string;
  recovery_rates?: { steel: number; aluminium: number };
  /** Compare with another car: the break-even distance. */
  versus?: { powertrain: VehiclePowertrain | string; size?: VehicleSize | string };
}

/** Lifecycle g CO2e per km by stage. */
export interface VehicleGPerKm {
  production: number;
  fuel_or_electricity_supply: number;
  exhaust: number;
  maintenance: number;
  end_of_life: number;
  total: number;
}

/** A default with its provenance. */
export interface VehicleSourced {
  parameter: string;
  value: number;
  unit: string;
  status: string;
  source: string;
}

/** Result of `vehicle`. */
export interface VehicleOutput {
  size: string;
  powertrain: string;
  region: string;
  year: number;
  lifetime_km: number;
  years_of_use: number;
  mass_kg: { total: number; components: { component: string; mass_kg: number; materials: Record<string, number> }[] };
  production: {
    total_kg_co2e: number;
    by_component: { component: string; kg_co2e: number }[];
    /** Every material, the battery pack and assembly: sums to `total_kg_co2e`. */
    by_material: { material: string; mass_kg: number; kg_co2e: number; factor: number; factor_unit: string; source: string }[];
    /** Steel, aluminium and the rest of production emissions, summing to 1. */
    shares: { steel: number; aluminium: number; rest: number };
  };
  use: {
    fuel_mj_per_km: number;
    electricity_kwh_per_km: number;
    utility_factor: number | null;
    fuel_supply_g_per_mj: number;
    exhaust_g_per_mj: number;
    grid_losses: number;
    grid_kg_per_kwh: number;
    grid_by_year: { year: number; kg_per_kwh: number; weight: number }[];
    /** FCEV only: hydrogen per km (tank-to-wheel energy ÷ 120 MJ/kg LHV). */
    hydrogen_kg_per_km?: number | null;
  };
  g_per_km: VehicleGPerKm;
  lifecycle_t_co2e: number;
  /** With `versus` only: the other car and the break-even distance (null with a reason when never). */
  comparison?: {
    versus_size: string;
    versus_powertrain: string;
    versus_production_t_co2e: number;
    versus_g_per_km: VehicleGPerKm;
    break_even_km: number | null;
    reason: string | null;
    lifecycle_difference: number;
  };
  assumptions: string[];
  sources: VehicleSourced[];
  gaps: string[];
}

/** Input of `vehicle_grid` (every field optional: all sizes and powertrains with complete defaults, CN and EU, 2020–2050). */
export interface VehicleGridInput {
  sizes?: (VehicleSize | string)[];
  powertrains?: (VehiclePowertrain | string)[];
  regions?: string[];
  years?: { from: number; to: number };
  /** The powertrain each row's break-even is computed against (default "petrol"). */
  baseline?: VehiclePowertrain | string;
  levers?: VehicleLevers;
  [option: string]: unknown;
}

/** Result of `vehicle_grid`. */
export interface VehicleGridOutput {
  count: number;
  rows: {
    size: string;
    powertrain: string;
    region: string;
    year: number;
    production_t_co2e: number;
    steel_share: number;
    aluminium_share: number;
    g_per_km: VehicleGPerKm;
    break_even_km: number | null;
  }[];
  unavailable: { size: string; powertrain: string; reason: string }[];
}

/** Result of `vehicle_defaults`. */
export interface VehicleDefaultsOutput {
  sizes: { code: string; label: string; glider_base_mass: VehicleSourced | null }[];
  powertrains: { code: string; label: string; complete_defaults: boolean }[];
  regions: string[];
  /** First and last production year. */
  years: [number, number];
  levers: { name: string; min: number; max: number | null; default: string }[];
  materials: string[];
  gaps: string[];
  [field: string]: unknown;
}

// ---------------------------------------------------------------------------------------
// Operations: one entry per operation of `tanso::api::OPERATIONS`

/** Input and result document of each operation, by name. */
export interface Operations {
  convert: [ConvertInput, ConvertOutput];
  gwp: [GwpInput, GwpOutput];
  lookup_factor: [LookupFactorInput, LookupFactorOutput];
  fuel: [FuelInput, FuelOutput];
  calculate: [CalculateInput, RecordResult];
  inventory: [InventoryInput, InventoryOutput];
  batch: [BatchInput, BatchOutput];
  lca: [LcaInput, LcaOutput];
  lca_monte_carlo: [LcaMonteCarloInput, LcaMonteCarloOutput];
  lca_import: [LcaImportInput, LcaImportOutput];
  cbam_goods: [CbamGoodsInput, CbamGoodsOutput];
  cbam_embedded: [CbamEmbeddedInput, CbamEmbeddedOutput];
  cbam_obligation: [CbamObligationInput, CbamObligationOutput];
  pact_validate: [PactDocumentInput, PactValidateOutput];
  pact_convert: [PactConvertInput, PactConvertOutput];
  pact_summary: [PactDocumentInput, PactSummaryOutput];
  pact_export: [PactExportInput, PactExportOutput];
  materials: [MaterialsInput, MaterialsOutput];
  product_footprint: [ProductFootprintInput, ProductFootprintOutput];
  supply_network: [SupplyNetworkInput, SupplyNetworkOutput];
  supply_audit: [SupplyAuditInput, SupplyAuditOutput];
  vehicle: [VehicleInput, VehicleOutput];
  vehicle_grid: [VehicleGridInput, VehicleGridOutput];
  vehicle_defaults: [Record<string, never>, VehicleDefaultsOutput];
  catalog: [Record<string, never>, CatalogOutput];
}

/** The name of an operation. */
export type OperationName = keyof Operations;
/** The input document of an operation. */
export type InputOf<K extends OperationName> = Operations[K][0];
/** The result document of an operation. */
export type OutputOf<K extends OperationName> = Operations[K][1];

/** Converts a decimal amount between units of one dimension. */
export declare function convert(doc: ConvertInput): ConvertOutput;
/** GWP of a gas or refrigerant blend under a GWP set, with the blend's components. */
export declare function gwp(doc: GwpInput): GwpOutput;
/** Finds an emission factor by activity, geography and year, with the fallback it used. */
export declare function lookup_factor(doc: LookupFactorInput): LookupFactorOutput;
/** The parameters of a fuel (NCV, carbon content, oxidation, per-gas factors, kgce). */
export declare function fuel(doc: FuelInput): FuelOutput;
/** Emissions of one activity record, per gas and in CO2e, with its provenance trail. */
export declare function calculate(doc: CalculateInput): RecordResult;
/** An organisation's inventory: per-record results and totals by scope, category, gas, site. */
export declare function inventory(doc: InventoryInput): InventoryOutput;
/** kg CO2e of many simple rows (fuel, electricity, freight, spend) given as columns; bad rows reported, not fatal. */
export declare function batch(doc: BatchInput): BatchOutput;
/** Matrix LCA of a system: scores, supply, inventory, contributions, upstream, intensities, tree, Sankey, parameter scenarios. */
export declare function lca(doc: LcaInput): LcaOutput;
/** Monte Carlo of an LCA system, reproducible from a seed: statistics and draws per demand and method. */
export declare function lca_monte_carlo(doc: LcaMonteCarloInput): LcaMonteCarloOutput;
/** Imports an LCA database given as files in the document; optionally calculates on it. */
export declare function lca_import(doc: LcaImportInput): LcaImportOutput;
/** EU CBAM: classify CN codes (sector, Annex II direct-only flag, indirect emissions counted, de-minimis scope, route letters). */
export declare function cbam_goods(doc: CbamGoodsInput): CbamGoodsOutput;
/** EU CBAM: specific embedded emissions of a good from actual installation data or default values, precursors recursively, with provenance. */
export declare function cbam_embedded(doc: CbamEmbeddedInput): CbamEmbeddedOutput;
/** EU CBAM: an importer's year — embedded emissions, free-allocation adjustment, carbon price deduction, certificates and cost per line, de minimis, declaration totals. */
export declare function cbam_obligation(doc: CbamObligationInput): CbamObligationOutput;
/** PACT ProductFootprint (Tech Specs v2.3 or v3.0): every failing field with path, value and rule. */
export declare function pact_validate(doc: PactDocumentInput): PactValidateOutput;
/** PACT ProductFootprint v2.3 <-> v3.0 (renames, declared-unit rescaling), with notes on what cannot be carried. */
export declare function pact_convert(doc: PactConvertInput): PactConvertOutput;
/** A supplier's PACT ProductFootprint as plain values per unit of measure for a BOM. */
export declare function pact_summary(doc: PactDocumentInput): PactSummaryOutput;
/** Build a PACT ProductFootprint (v3.0 or v2.3) from values; every missing or invalid required field reported. */
export declare function pact_export(doc: PactExportInput): PactExportOutput;
/** The materials library: list rows with provenance and data gaps, or look up a factor (recycled-content blend, smelter grid, user tables). */
export declare function materials(doc?: MaterialsInput): MaterialsOutput;
/** Product carbon footprint from a bill of materials: totals by stage, part, material, supplier and gas; steel/aluminium shares and their sensitivity; allocation; recycling; ISO 14067 report fields. */
export declare function product_footprint(doc: ProductFootprintInput): ProductFootprintOutput;
/** Supplier network: single points of failure, exposure and HHI, disruptions with capacity-limited fallbacks, sourcing options with emissions, risk and CBAM cost, the Pareto front. */
export declare function supply_network(doc: SupplyNetworkInput): SupplyNetworkOutput;
/** The SME dual-focus audit: single points of failure, the Scope 1/2/3 baseline, interventions ranked by kg avoided per unit of cost, as data and Markdown. */
export declare function supply_audit(doc: SupplyAuditInput): SupplyAuditOutput;
/** One car: mass and production kg CO2e by component and material, steel/aluminium/rest shares, lifecycle g CO2e/km by stage; with `versus`, the break-even km. */
export declare function vehicle(doc: VehicleInput): VehicleOutput;
/** Many cars in one call: sizes × powertrains × regions × years, compact rows with shares, g/km and break-even. */
export declare function vehicle_grid(doc?: VehicleGridInput): VehicleGridOutput;
/** What the vehicle model offers: size classes, powertrains, regions, years, levers, with sources and gaps. */
export declare function vehicle_defaults(doc?: Record<string, never>): VehicleDefaultsOutput;
/** What tanso knows: units, gases, blends, GWP sets, fuels, activities, error codes, operations. */
export declare function catalog(doc?: Record<string, never>): CatalogOutput;

/** Runs an operation by name. */
export declare function call<K extends OperationName>(operation: K, doc: InputOf<K>): OutputOf<K>;
/** Runs an operation by name, untyped (e.g. a name read from `catalog().operations`). */
export declare function call(operation: string, doc?: unknown): unknown;

/** The names of every operation, in the order of core's list. */
export declare const OPERATIONS: readonly OperationName[];

/**
 * Loads the WebAssembly module. Needed once in a browser (or Node < 20.16) before any
 * operation; a no-op when already loaded (Node >= 20.16 loads it on import).
 * @param source where to load the .wasm from (default: beside the generated glue)
 */
export declare function init(source?: InitSource): Promise<void>;
/**
 * What `init` loads the module from: a URL (string or URL object), a fetch Response (or a
 * promise of one), the bytes of the .wasm file, or a compiled WebAssembly.Module. Typed
 * loosely so that these types need neither the DOM nor the Node type library.
 */
export type InitSource = string | ArrayBuffer | ArrayBufferView | PromiseLike<unknown> | object;

// ---------------------------------------------------------------------------------------
// Errors

/** The stable error codes of each area (`testdata/error_codes.json`). */
export interface ErrorCodes {
  UNKNOWN_UNIT: "units";
  UNIT_MISMATCH: "units";
  INVALID_CURRENCY: "units";
  UNKNOWN_GAS: "ghg";
  UNKNOWN_GWP_SET: "ghg";
  GWP_NOT_AVAILABLE: "ghg";
  GWP_SET_MISMATCH: "ghg";
  INVALID_BLEND: "ghg";
  FACTOR_NOT_FOUND: "factors";
  UNKNOWN_FUEL: "factors";
  UNKNOWN_GEOGRAPHY: "factors";
  MALFORMED_ROW: "factors";
  MALFORMED_TABLE: "factors";
  NEGATIVE_AMOUNT: "accounting";
  OUT_OF_RANGE: "accounting";
  MISSING_FIELD: "accounting";
  DOUBLE_CLAIM: "accounting";
  UNKNOWN_SITE: "accounting";
  INVALID_INPUT: "input";
  NON_FINITE: "input";
  INVALID_DECIMAL: "input";
  UNKNOWN_OPERATION: "input";
  COLUMN_LENGTH: "input";
  UNKNOWN_ID: "lca";
  DUPLICATE_ID: "lca";
  NON_SQUARE_TECHNOSPHERE: "lca";
  MISSING_PRODUCTION: "lca";
  SINGULAR_TECHNOSPHERE: "lca";
  INVALID_DISTRIBUTION: "lca";
  INVALID_SETTING: "lca";
  FORMULA_SYNTAX: "lca";
  UNKNOWN_PARAMETER: "lca";
  PARAMETER_CYCLE: "lca";
  DUPLICATE_PARAMETER: "lca";
  MISSING_VALUE: "lca";
  FORMULA_EVALUATION: "lca";
  VALUE_COUNT: "lca";
  MALFORMED_DATA: "lca";
  UNSUPPORTED_SCHEMA: "lca";
  MISSING_REFERENCE: "lca";
  UNCONVERTIBLE_UNIT: "lca";
  INVALID_CN_CODE: "cbam";
  NOT_CBAM_GOOD: "cbam";
  UNKNOWN_ROUTE: "cbam";
  INVALID_COUNTRY: "cbam";
  DEFAULT_VALUE_NOT_FOUND: "cbam";
  BENCHMARK_NOT_FOUND: "cbam";
  CERTIFICATE_PRICE_MISSING: "cbam";
  UNKNOWN_SCENARIO: "cbam";
  CBAM_PARAMETER_MISSING: "cbam";
  PACT_INVALID: "exchange";
  PACT_UNSUPPORTED_VERSION: "exchange";
  MATERIAL_NOT_FOUND: "materials";
  INVALID_RECYCLED_CONTENT: "materials";
  INVALID_BOM: "product";
  INVALID_ALLOCATION: "product";
  RECYCLING_PARAMETER_MISSING: "product";
  INVALID_SUPPLIER_PCF: "product";
  INVALID_NETWORK: "supply";
  UNKNOWN_REFERENCE: "supply";
  TRANSPORT_INTENSITY_MISSING: "supply";
  UNKNOWN_SIZE_CLASS: "vehicle";
  UNKNOWN_POWERTRAIN: "vehicle";
  UNKNOWN_REGION: "vehicle";
  YEAR_OUT_OF_RANGE: "vehicle";
  INVALID_SHARE: "vehicle";
  INVALID_VEHICLE_PARAMETER: "vehicle";
  VEHICLE_PARAMETER_MISSING: "vehicle";
}
/** A stable error code, e.g. "UNIT_MISMATCH". */
export type ErrorCode = keyof ErrorCodes;
/** A domain area of errors. */
export type ErrorArea = ErrorCodes[ErrorCode];

/** Base class of every error tanso throws. */
export declare class TansoError extends Error {
  constructor(message: string, details: { code: string; area?: string });
  /** "UnitError", "GhgError", "FactorError", "AccountingError", "InputError", "LcaError", "CbamError", "ExchangeError", "MaterialError", "ProductError", "SupplyError", "VehicleError" (or "TansoError"). */
  name: string;
  /** The stable code, e.g. "UNIT_MISMATCH". */
  code: ErrorCode;
  /** The domain area. */
  area: ErrorArea;
}
/** Errors of units and quantities. */
export declare class UnitError extends TansoError {
  static readonly area: "units";
}
/** Errors of gases and GWP sets. */
export declare class GhgError extends TansoError {
  static readonly area: "ghg";
}
/** Errors of emission factors and factor tables. */
export declare class FactorError extends TansoError {
  static readonly area: "factors";
}
/** Errors of calculators and inventories. */
export declare class AccountingError extends TansoError {
  static readonly area: "accounting";
}
/** Errors in the shape of an input document. */
export declare class InputError extends TansoError {
  static readonly area: "input";
}
/** Errors of the LCA engine. */
export declare class LcaError extends TansoError {
  static readonly area: "lca";
}
/** Errors of the EU CBAM: goods, default values, benchmarks, certificates. */
export declare class CbamError extends TansoError {
  static readonly area: "cbam";
}
/** Errors of exchange formats: PACT ProductFootprint documents. */
export declare class ExchangeError extends TansoError {
  static readonly area: "exchange";
}
/** Errors of the materials library: lookups and recycled-content blends. */
export declare class MaterialError extends TansoError {
  static readonly area: "materials";
}
/** Errors of product systems: bills of materials, allocation, recycling, supplier data. */
export declare class ProductError extends TansoError {
  static readonly area: "product";
}
/** Errors of supplier networks: the network document, its references, transport intensities. */
export declare class SupplyError extends TansoError {
  static readonly area: "supply";
}
/** Errors of the vehicle model: size classes, powertrains, regions, years, levers, overrides. */
export declare class VehicleError extends TansoError {
  static readonly area: "vehicle";
}

/** The error class of each area. */
export declare const ERROR_CLASSES: Readonly<{
  units: typeof UnitError;
  ghg: typeof GhgError;
  factors: typeof FactorError;
  accounting: typeof AccountingError;
  input: typeof InputError;
  lca: typeof LcaError;
  cbam: typeof CbamError;
  exchange: typeof ExchangeError;
  materials: typeof MaterialError;
  product: typeof ProductError;
  supply: typeof SupplyError;
  vehicle: typeof VehicleError;
}>;

/** Whether `e` is an error thrown by tanso. */
export declare function isTansoError(e: unknown): e is TansoError;
/** Whether `e` is an error thrown by tanso with the given code (its area narrows too). */
export declare function isTansoError<C extends ErrorCode>(
  e: unknown,
  code: C,
): e is TansoError & { code: C; area: ErrorCodes[C] };

// ---------------------------------------------------------------------------------------
// lca_import, importDatabase, ImportedDatabase

/** Options of an import. */
export interface ImportOptions {
  /** Detected from the files when absent. */
  format?: "olca" | "ecospold2" | "datapackage";
  /** Locations tried when several activities make a product (default ["GLO", "RoW"]). */
  fallback_locations?: string[];
  /** Allocation of multi-output processes (default: the data's own). */
  allocation?: "default" | "physical" | "economic" | "causal" | "none";
  /** Impact categories to add (e.g. GWP factors by flow id for EcoSpold2). */
  methods?: LcaSystem["methods"];
}

/** A file of `lca_import`: text (JSON, XML) or base64 (zip, npy). */
export interface ImportFile {
  name: string;
  text?: string;
  base64?: string;
}

/** Input of `lca_import`. */
export interface LcaImportInput {
  files: ImportFile[];
  options?: ImportOptions;
  /** Return the imported system document too. */
  include_system?: boolean;
  /** A calculation on the imported system (`lca` without `"system"`). */
  calculate?: LcaRequest;
  /** A Monte Carlo run on it (`lca_monte_carlo` without `"system"`). */
  monte_carlo?: LcaMonteCarloRequest;
}

/** An exchange left out of the matrix because no provider could be chosen. */
export interface UnlinkedExchange {
  activity: string | number;
  activity_name?: string;
  product: string;
  product_name?: string;
  amount: number;
  unit?: string;
  reason: string;
  candidates?: (string | number)[];
}

/** What an import did. */
export interface ImportReport {
  format: "olca" | "ecospold2" | "datapackage";
  schema_version?: string;
  source: string;
  counts: {
    processes: number;
    activities: number;
    flows: number;
    technosphere_exchanges: number;
    biosphere_exchanges: number;
    methods: number;
    characterization_factors: number;
    parameters: number;
    uncertain_amounts: number;
  };
  /** Linked exchanges by the rule's step: default_provider, only_provider, same_location, fallback:GLO, … */
  linked: Record<string, number>;
  unlinked: UnlinkedExchange[];
  conversions: { from: string; to: string; factor: number; count: number }[];
  allocations: { process: string; name?: string; method: string; products: [string | number, number][] }[];
  left_out: { kind: string; id: string; name?: string; reason: string }[];
  warnings: string[];
}

/** Output of `lca_import`: with `calculate`, the `lca` output's fields beside the report. */
export interface LcaImportOutput extends Partial<LcaOutput> {
  report: ImportReport;
  system?: LcaSystem;
  monte_carlo?: LcaMonteCarloOutput;
}

/** A database file given to `importDatabase`. */
export interface DatabaseFile {
  name: string;
  bytes: Uint8Array | ArrayBuffer | string;
}

/** An imported LCA database. */
export declare class ImportedDatabase {
  private constructor();
  /** Reads a cache written by `toCache`. */
  static fromCache(cache: Uint8Array | ArrayBuffer): ImportedDatabase;
  /** The import report. */
  readonly report: ImportReport;
  /** The system document. */
  system(): LcaSystem;
  /** Builds and factorizes the engine's model of the database. */
  model(): LcaModel;
  /** The database as a compact binary cache. */
  toCache(): Uint8Array;
  /** Releases its memory now. */
  free(): void;
}

/** Imports an LCA database from its files (openLCA JSON-LD zip, EcoSpold2, Brightway datapackage). */
export declare function importDatabase(
  files: Uint8Array | ArrayBuffer | DatabaseFile | DatabaseFile[],
  options?: ImportOptions,
): ImportedDatabase;
