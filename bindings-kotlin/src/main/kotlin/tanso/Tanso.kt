package tanso

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.put
import java.math.BigDecimal

/**
 * tanso on the JVM: carbon accounting, LCA, the EU CBAM, PACT footprints, the materials library
 * and product footprints computed by the tanso Rust core.
 *
 * Every operation of the document API is a function of the same name that takes one JSON
 * document and returns one ([JsonObject]); decimals are JSON strings and read as [BigDecimal]
 * ([decimal], [toBigDecimal]), never as Double. The simple operations also have typed
 * overloads. Errors are thrown as [TansoException] subclasses with a stable `code`.
 *
 * ```kotlin
 * val doc = Tanso.convert(buildJsonObject { put("value", "1"); put("from", "tce"); put("to", "GJ") })
 * doc.decimal("value")                                   // 29.3076
 * Tanso.convert(BigDecimal("1"), "tce", "GJ")            // 29.3076
 * Tanso.gwp("R-404A", "AR4").gwp                         // 3921.6
 * ```
 */
object Tanso {
    // ---- The document API: one line per operation of tanso::api::OPERATIONS, same name. ----
    // ApiCoverageTest fails when an operation of the library has no function here.

    /** `convert`: a decimal amount between units of one dimension. Input `{value, from, to}`. */
    fun convert(input: JsonObject): JsonObject = call("convert", input)

    /** `gwp`: GWP of a gas or refrigerant blend under a GWP set. Input `{gas, gwp_set?}`. */
    fun gwp(input: JsonObject): JsonObject = call("gwp", input)

    /** `lookup_factor`: an emission factor by activity, geography and year, with fallback. */
    fun lookup_factor(input: JsonObject): JsonObject = call("lookup_factor", input)

    /** `fuel`: the parameters of a fuel (NCV, carbon content, per-gas factors) with provenance. */
    fun fuel(input: JsonObject): JsonObject = call("fuel", input)

    /** `calculate`: emissions of one activity record, per gas and in CO2e, with provenance. */
    fun calculate(input: JsonObject): JsonObject = call("calculate", input)

    /** `inventory`: an organisation's inventory with totals by scope, category, gas and site. */
    fun inventory(input: JsonObject): JsonObject = call("inventory", input)

    /** `batch`: kg CO2e of many simple rows given as columns; bad rows reported, not fatal. */
    fun batch(input: JsonObject): JsonObject = call("batch", input)

    /**
     * `lca`: scores of functional units on a product system (matrix method), with optional
     * contributions, upstream totals, intensities, a supply-chain tree and a Sankey graph.
     * Input `{system, demands, methods?, include?, …}`. For many calls on one system, build an
     * [LcaModel] once instead.
     */
    fun lca(input: JsonObject): JsonObject = call("lca", input)

    /** `lca_monte_carlo`: reproducible Monte Carlo of LCA scores. Input `{system, demands, iterations, seed, …}`. */
    fun lca_monte_carlo(input: JsonObject): JsonObject = call("lca_monte_carlo", input)

    /**
     * `lca_import`: imports an LCA database given as files in the document (`{files: [{name,
     * text | base64}], options?, include_system?, calculate?, monte_carlo?}`) and returns its
     * report, and with `calculate` the [lca] output beside it. For files on disk, use
     * [ImportedDatabase].
     */
    fun lca_import(input: JsonObject): JsonObject = call("lca_import", input)

    /** `cbam_goods`: EU CBAM classification of CN codes (sector, Annex II, de-minimis scope, routes). Input `{cn_codes}`. */
    fun cbam_goods(input: JsonObject): JsonObject = call("cbam_goods", input)

    /** `cbam_embedded`: EU CBAM specific embedded emissions of a good, actual or default, precursors recursively. Input `{year, good, default_values?}`. */
    fun cbam_embedded(input: JsonObject): JsonObject = call("cbam_embedded", input)

    /**
     * `cbam_obligation`: an EU CBAM importer's year — embedded emissions, free-allocation
     * adjustment, carbon price deduction, certificates and cost per line, de minimis,
     * declaration totals. Input `{year, lines, certificate_price_eur?, benchmarks?, …}`.
     */
    fun cbam_obligation(input: JsonObject): JsonObject = call("cbam_obligation", input)

    /**
     * `pact_validate`: every failing field (path, value, rule) of a PACT ProductFootprint of Tech
     * Specs v2.3 or v3.0; an invalid document is a result (`valid: false`), not an exception.
     * Input `{document, version?}`.
     */
    fun pact_validate(input: JsonObject): JsonObject = call("pact_validate", input)

    /**
     * `pact_convert`: a PACT ProductFootprint v2.3 <-> v3.0 (renames, declared-unit rescaling),
     * with notes on what cannot be carried. Input `{document, to, from?}`.
     */
    fun pact_convert(input: JsonObject): JsonObject = call("pact_convert", input)

    /**
     * `pact_summary`: a supplier's PACT ProductFootprint as plain values per unit of measure
     * (totals, fossil, biogenic, dLUC, aircraft, primary-data share, DQRs, product ids) for a
     * BOM. Input `{document, version?}`.
     */
    fun pact_summary(input: JsonObject): JsonObject = call("pact_summary", input)

    /**
     * `pact_export`: builds a PACT ProductFootprint (v3.0 or v2.3) from values; every missing or
     * invalid required field reported at once. Input `{version?, id, created, company_name, …}`.
     */
    fun pact_export(input: JsonObject): JsonObject = call("pact_export", input)

    /**
     * `materials`: the materials library — list rows with provenance and data gaps
     * (`{material?}`), or look up a factor (`{action: "lookup", material, route?, form?,
     * geography?, year?, recycled_content?, smelter?, tables?}`).
     */
    fun materials(input: JsonObject = JsonObject(emptyMap())): JsonObject = call("materials", input)

    /**
     * `product_footprint`: a product's carbon footprint from its bill of materials through the
     * LCA engine — totals by stage, part, material, supplier and gas; steel/aluminium shares and
     * their sensitivity; allocation; recycling; ISO 14067 report fields.
     * Input `{product, parts, processes?, distribution?, recycling?, sensitivity?, …}`.
     */
    fun product_footprint(input: JsonObject): JsonObject = call("product_footprint", input)

    /**
     * `supply_network`: a supplier network's single points of failure, exposure and HHI by
     * supplier and region, disruptions with capacity-limited fallbacks, sourcing options with
     * emissions, risk and CBAM cost side by side, the emissions–risk Pareto front.
     * Input `{network, disruptions?, options?}`.
     */
    fun supply_network(input: JsonObject): JsonObject = call("supply_network", input)

    /**
     * `supply_audit`: the SME dual-focus audit — single points of failure, the Scope 1/2/3
     * baseline of an inventory, interventions ranked by kg CO2e avoided per unit of cost, as
     * data and Markdown. Input `{company?, network, disruptions?, options?, inventory?}`.
     */
    fun supply_audit(input: JsonObject): JsonObject = call("supply_audit", input)

    /**
     * `vehicle`: one car (size class × powertrain, region and production year) — mass and
     * production kg CO2e by component and material, the steel / aluminium / rest shares,
     * lifecycle g CO2e/km by stage; with `versus`, the break-even km against another car.
     * Input `{size, powertrain, region, year, lifetime_km?, years_of_use?, grid_mode?, levers?,
     * overrides?, end_of_life?, versus?}`.
     */
    fun vehicle(input: JsonObject): JsonObject = call("vehicle", input)

    /**
     * `vehicle_grid`: many cars in one call (sizes × powertrains × regions × years, all by
     * default), compact rows with production t CO2e, shares, g/km by stage and the break-even
     * against the baseline powertrain.
     */
    fun vehicle_grid(input: JsonObject = JsonObject(emptyMap())): JsonObject = call("vehicle_grid", input)

    /** `vehicle_defaults`: the size classes, powertrains, regions, years and levers, with sources. */
    fun vehicle_defaults(input: JsonObject = JsonObject(emptyMap())): JsonObject = call("vehicle_defaults", input)

    /** `catalog`: units, gases, GWP sets, fuels, activities, geographies, error codes, operations. */
    fun catalog(input: JsonObject = JsonObject(emptyMap())): JsonObject = call("catalog", input)

    // ---- Generic entry points. ----

    /** Runs any operation by name on a JSON document. */
    fun call(operation: String, input: JsonObject): JsonObject =
        Json.parseToJsonElement(callJson(operation, input.toString())).jsonObject

    /** Runs any operation by name on JSON text and returns JSON text (decimals as strings). */
    fun callJson(operation: String, inputJson: String): String = native { tanso.ffi.call(operation, inputJson) }

    /** Every operation of the library, in the order of its docs. */
    fun operations(): List<Operation> = tanso.ffi.operations().map { Operation(it.name, it.summary) }

    /** Every stable error code of the library with its area. */
    fun errorCodes(): List<ErrorCode> = tanso.ffi.errorCodes().map { ErrorCode(it.code, it.area) }

    /** The version of the native tanso library. */
    fun version(): String = tanso.ffi.coreVersion()

    // ---- Typed overloads of the simple operations. ----

    /** Converts [value] from unit [from] to unit [to], exactly: `convert(1, "tce", "GJ") == 29.3076`. */
    fun convert(value: BigDecimal, from: String, to: String): BigDecimal =
        convert(buildJsonObject { put("value", value.toJson()); put("from", from); put("to", to) }).decimal("value")

    /** The GWP of [gas] (a gas or a refrigerant blend) under [gwpSet] (the library's default if null). */
    fun gwp(gas: String, gwpSet: String? = null): Gwp =
        Gwp.fromJson(gwp(buildJsonObject { put("gas", gas); if (gwpSet != null) put("gwp_set", gwpSet) }))

    // ---- Typed overloads of the accounting operations (AccountingTypes.kt, FactorTypes.kt). ----
    // Each writes its input with toJson(), calls the document function and reads the result.

    /** `calculate` of one [record] under [settings], with [geography] as the default geography (as a site's would be). */
    fun calculate(record: ActivityRecord, settings: Settings = Settings(), geography: String? = null): RecordResult =
        calculate(CalculateInput(record, settings, geography))

    /** `calculate` of a typed input document. */
    fun calculate(input: CalculateInput): RecordResult = RecordResult.fromJson(calculate(input.toJson()))

    /** `inventory` of an organisation's records: totals by scope, category, gas and site, per-record results. */
    fun inventory(input: InventoryInput): Inventory = Inventory.fromJson(inventory(input.toJson()))

    /** `lookup_factor`: the factor for [activity] in [geography] and [year], with the fallback used. */
    fun lookup_factor(activity: String, geography: String, year: Int, factors: FactorSource = FactorSource()): FactorMatch =
        lookup_factor(LookupInput(activity, geography, year, factors))

    /** `lookup_factor` of a typed input document. */
    fun lookup_factor(input: LookupInput): FactorMatch = FactorMatch.fromJson(lookup_factor(input.toJson()))

    /** `fuel`: the parameters of the fuel [name] (id, alias or local name) with provenance. */
    fun fuel(name: String, factors: FactorSource = FactorSource()): Fuel = fuel(FuelInput(name, factors))

    /** `fuel` of a typed input document. */
    fun fuel(input: FuelInput): Fuel = Fuel.fromJson(fuel(input.toJson()))

    /** `batch` of many simple rows; failed rows are reported in [BatchResult.errors], not thrown. */
    fun batch(input: BatchInput): BatchResult = BatchResult.fromJson(batch(input.toJson()))
}
