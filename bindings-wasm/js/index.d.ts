// Types of the npm package `tanso`: the document API of the Rust core.
//
// The documents mirror core's serde structs (`tanso::api`, `tanso::factors`,
// `tanso::accounting`). Every decimal is a `string` in results ("29.3076", normalized, never a
// float); on input a decimal may also be a JS number, which becomes the decimal of its
// shortest representation (0.1 → "0.1").

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
}
/** A stable error code, e.g. "UNIT_MISMATCH". */
export type ErrorCode = keyof ErrorCodes;
/** A domain area of errors. */
export type ErrorArea = ErrorCodes[ErrorCode];

/** Base class of every error tanso throws. */
export declare class TansoError extends Error {
  constructor(message: string, details: { code: string; area?: string });
  /** "UnitError", "GhgError", "FactorError", "AccountingError", "InputError" (or "TansoError"). */
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

/** The error class of each area. */
export declare const ERROR_CLASSES: Readonly<{
  units: typeof UnitError;
  ghg: typeof GhgError;
  factors: typeof FactorError;
  accounting: typeof AccountingError;
  input: typeof InputError;
}>;

/** Whether `e` is an error thrown by tanso. */
export declare function isTansoError(e: unknown): e is TansoError;
/** Whether `e` is an error thrown by tanso with the given code (its area narrows too). */
export declare function isTansoError<C extends ErrorCode>(
  e: unknown,
  code: C,
): e is TansoError & { code: C; area: ErrorCodes[C] };
