package tanso

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonObject
import java.math.BigDecimal

// Typed results of `calculate` and `inventory`, and the typed `batch` documents. `fromJson`
// reads a result document of the core; `toJson` writes it back as the core writes it (optional
// fields left out where the core leaves them out), so `X.fromJson(doc).toJson() == doc`.

/** One step of a result's provenance trail. */
data class TrailStep(
    /** What was computed, with the numbers. */
    val step: String,
    /** The id of the factor used, if any. */
    val factorId: String? = null,
    /** Where the factor comes from. */
    val source: Provenance? = null,
    /** The fallback the lookup used. */
    val fallback: Fallback? = null,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("step", step.json())
        putOpt("factor_id", factorId?.json())
        putOpt("source", source?.toJson())
        putOpt("fallback", fallback?.toJson())
    }

    internal companion object {
        fun read(e: JsonElement, w: String): TrailStep {
            val d = e.obj(w)
            return TrailStep(
                step = d.req("step", w).str("$w.step"),
                factorId = d.opt("factor_id")?.str("$w.factor_id"),
                source = d.opt("source")?.let { Provenance.read(it, "$w.source") },
                fallback = d.opt("fallback")?.let { Fallback.read(it, "$w.fallback") },
            )
        }
    }
}

/** Energy covered by one instrument, or by the residual mix, in the market-based method. */
data class Allocation(
    /** Instrument id, or `residual_mix`. */
    val instrument: String,
    /** kWh covered. */
    val kwh: BigDecimal,
    /** kg CO2e. */
    val co2eKg: BigDecimal,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("instrument", instrument.json())
        put("kwh", kwh.toJson())
        put("co2e_kg", co2eKg.toJson())
    }

    internal companion object {
        fun read(e: JsonElement, w: String): Allocation {
            val d = e.obj(w)
            return Allocation(d.req("instrument", w).str("$w.instrument"), d.req("kwh", w).dec("$w.kwh"), d.req("co2e_kg", w).dec("$w.co2e_kg"))
        }
    }
}

/** Market-based Scope 2 emissions of a purchased-energy record. */
data class MarketBased(
    /** kg of each gas, by gas id. */
    val gases: Map<String, BigDecimal>,
    /** kg CO2e. */
    val co2eKg: BigDecimal,
    /** Energy covered by each instrument, and by the residual mix. */
    val allocation: List<Allocation>,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("gases", gases.decMapJson())
        put("co2e_kg", co2eKg.toJson())
        put("allocation", allocation.jsonArray { it.toJson() })
    }

    internal companion object {
        fun read(e: JsonElement, w: String): MarketBased {
            val d = e.obj(w)
            return MarketBased(
                gases = d.req("gases", w).decMap("$w.gases"),
                co2eKg = d.req("co2e_kg", w).dec("$w.co2e_kg"),
                allocation = d.req("allocation", w).list("$w.allocation", Allocation::read),
            )
        }
    }
}

/** The result of one record (`calculate`, and each of an inventory's `records`). */
data class RecordResult(
    /** The record's id. */
    val id: String,
    /** The record's type. */
    val type: RecordType,
    /** Its site. */
    val site: String? = null,
    /** Data year used, if the calculation needed one. */
    val year: Int? = null,
    /** GHG Protocol scope (1, 2 or 3); 0 for avoided emissions reported apart. */
    val scope: Int,
    /** Scope 3 category (1–15). */
    val scope3Category: Int? = null,
    /** ISO 14064-1:2018 category (1–6). */
    val isoCategory: Int,
    /** Consolidation share applied (equity share, or 1/0 for control approaches). */
    val share: BigDecimal,
    /** kg of each gas (location-based for electricity), after the share, by gas id. */
    val gases: Map<String, BigDecimal>,
    /** kg CO2e from factors given only in CO2e, after the share. */
    val co2eFromFactorsKg: BigDecimal,
    /** kg CO2e (location-based for electricity), excluding biogenic CO2, after the share. */
    val co2eKg: BigDecimal,
    /** kg biogenic CO2, reported apart. */
    val biogenicCo2Kg: BigDecimal,
    /** Market-based result for purchased energy. */
    val marketBased: MarketBased? = null,
    /** Energy in tonnes of standard coal (GB/T 2589-2020), where it applies. */
    val energyTce: BigDecimal? = null,
    /** Avoided kg CO2e, reported apart from the scopes. */
    val avoidedCo2eKg: BigDecimal? = null,
    /** Avoided tonnes of standard coal, reported apart. */
    val avoidedTce: BigDecimal? = null,
    /** How the result was computed, factor by factor. */
    val trail: List<TrailStep> = emptyList(),
    /** Things the user should know (a factor with no stated GWP basis, a gas not counted, …). */
    val warnings: List<String> = emptyList(),
) {
    /** The JSON document, as the core writes it. */
    fun toJson(): JsonObject = buildJsonObject {
        put("id", id.json())
        put("type", type.json())
        putOpt("site", site?.json())
        putOpt("year", year?.json())
        put("scope", scope.json())
        putOpt("scope3_category", scope3Category?.json())
        put("iso_category", isoCategory.json())
        put("share", share.toJson())
        put("gases", gases.decMapJson())
        put("co2e_from_factors_kg", co2eFromFactorsKg.toJson())
        put("co2e_kg", co2eKg.toJson())
        put("biogenic_co2_kg", biogenicCo2Kg.toJson())
        putOpt("market_based", marketBased?.toJson())
        putOpt("energy_tce", energyTce?.toJson())
        putOpt("avoided_co2e_kg", avoidedCo2eKg?.toJson())
        putOpt("avoided_tce", avoidedTce?.toJson())
        put("trail", trail.jsonArray { it.toJson() })
        put("warnings", warnings.jsonArray { it.json() })
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a `calculate` result. */
        fun fromJson(doc: JsonObject): RecordResult = read(doc, "$")

        internal fun read(e: JsonElement, w: String): RecordResult {
            val d = e.obj(w)
            fun x(k: String) = d.req(k, w).dec("$w.$k")
            fun ox(k: String) = d.opt(k)?.dec("$w.$k")
            return RecordResult(
                id = d.req("id", w).str("$w.id"),
                type = RecordType.of(d.req("type", w).str("$w.type")),
                site = d.opt("site")?.str("$w.site"),
                year = d.opt("year")?.int("$w.year"),
                scope = d.req("scope", w).int("$w.scope"),
                scope3Category = d.opt("scope3_category")?.int("$w.scope3_category"),
                isoCategory = d.req("iso_category", w).int("$w.iso_category"),
                share = x("share"),
                gases = d.req("gases", w).decMap("$w.gases"),
                co2eFromFactorsKg = x("co2e_from_factors_kg"),
                co2eKg = x("co2e_kg"),
                biogenicCo2Kg = x("biogenic_co2_kg"),
                marketBased = d.opt("market_based")?.let { MarketBased.read(it, "$w.market_based") },
                energyTce = ox("energy_tce"),
                avoidedCo2eKg = ox("avoided_co2e_kg"),
                avoidedTce = ox("avoided_tce"),
                trail = d.opt("trail")?.list("$w.trail", TrailStep::read) ?: emptyList(),
                warnings = d.opt("warnings")?.list("$w.warnings") { s, ws -> s.str(ws) } ?: emptyList(),
            )
        }
    }
}

/** Totals of an inventory, kg unless named otherwise; each the exact sum of its records. */
data class Totals(
    /** Scope 1 + Scope 2 (location-based) + Scope 3, kg CO2e. */
    val totalCo2eKg: BigDecimal,
    /** Scope 1 + Scope 2 (market-based) + Scope 3, kg CO2e. */
    val totalMarketBasedCo2eKg: BigDecimal,
    /** Scope 1, kg CO2e. */
    val scope1Co2eKg: BigDecimal,
    /** Scope 2, location-based, kg CO2e. */
    val scope2LocationCo2eKg: BigDecimal,
    /** Scope 2, market-based, kg CO2e. */
    val scope2MarketCo2eKg: BigDecimal,
    /** Scope 3, kg CO2e. */
    val scope3Co2eKg: BigDecimal,
    /** Scope 3 by category (1 … 15), kg CO2e. */
    val scope3ByCategory: Map<Int, BigDecimal>,
    /** By ISO 14064-1 category (1 … 6; category 2 location-based), kg CO2e. */
    val iso14064ByCategory: Map<Int, BigDecimal>,
    /** Mass of each gas (Scope 2 location-based), kg, by gas id. */
    val byGasKg: Map<String, BigDecimal>,
    /** CO2e of each gas, kg; factors given only in CO2e appear under `CO2e`. */
    val byGasCo2eKg: Map<String, BigDecimal>,
    /** By site (location-based), kg CO2e; records without a site under "". */
    val bySiteCo2eKg: Map<String, BigDecimal>,
    /** Biogenic CO2, reported apart, kg. */
    val biogenicCo2Kg: BigDecimal,
    /** Avoided emissions, reported apart and never netted, kg CO2e. */
    val avoidedCo2eKg: BigDecimal,
    /** Energy consumed, tonnes of standard coal. */
    val energyTce: BigDecimal,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("total_co2e_kg", totalCo2eKg.toJson())
        put("total_market_based_co2e_kg", totalMarketBasedCo2eKg.toJson())
        put("scope_1_co2e_kg", scope1Co2eKg.toJson())
        put("scope_2_location_co2e_kg", scope2LocationCo2eKg.toJson())
        put("scope_2_market_co2e_kg", scope2MarketCo2eKg.toJson())
        put("scope_3_co2e_kg", scope3Co2eKg.toJson())
        put("scope_3_by_category", scope3ByCategory.intKeyDecMapJson())
        put("iso_14064_by_category", iso14064ByCategory.intKeyDecMapJson())
        put("by_gas_kg", byGasKg.decMapJson())
        put("by_gas_co2e_kg", byGasCo2eKg.decMapJson())
        put("by_site_co2e_kg", bySiteCo2eKg.decMapJson())
        put("biogenic_co2_kg", biogenicCo2Kg.toJson())
        put("avoided_co2e_kg", avoidedCo2eKg.toJson())
        put("energy_tce", energyTce.toJson())
    }

    internal companion object {
        fun read(e: JsonElement, w: String): Totals {
            val d = e.obj(w)
            fun x(k: String) = d.req(k, w).dec("$w.$k")
            return Totals(
                totalCo2eKg = x("total_co2e_kg"),
                totalMarketBasedCo2eKg = x("total_market_based_co2e_kg"),
                scope1Co2eKg = x("scope_1_co2e_kg"),
                scope2LocationCo2eKg = x("scope_2_location_co2e_kg"),
                scope2MarketCo2eKg = x("scope_2_market_co2e_kg"),
                scope3Co2eKg = x("scope_3_co2e_kg"),
                scope3ByCategory = d.req("scope_3_by_category", w).intKeyDecMap("$w.scope_3_by_category"),
                iso14064ByCategory = d.req("iso_14064_by_category", w).intKeyDecMap("$w.iso_14064_by_category"),
                byGasKg = d.req("by_gas_kg", w).decMap("$w.by_gas_kg"),
                byGasCo2eKg = d.req("by_gas_co2e_kg", w).decMap("$w.by_gas_co2e_kg"),
                bySiteCo2eKg = d.req("by_site_co2e_kg", w).decMap("$w.by_site_co2e_kg"),
                biogenicCo2Kg = x("biogenic_co2_kg"),
                avoidedCo2eKg = x("avoided_co2e_kg"),
                energyTce = x("energy_tce"),
            )
        }
    }
}

/** The change of the reporting year against the base year. */
data class BaseYearComparison(
    /** The base year. */
    val year: Int,
    /** Its totals. */
    val totals: Totals,
    /** Reporting − base, kg CO2e (location-based). */
    val changeCo2eKg: BigDecimal,
    /** (Reporting − base) / base × 100, rounded to 2 decimals; null if the base is zero. */
    val changePercent: BigDecimal?,
) {
    /** The JSON document (`change_percent` is null, not absent, when there is none). */
    fun toJson(): JsonObject = buildJsonObject {
        put("year", year.json())
        put("totals", totals.toJson())
        put("change_co2e_kg", changeCo2eKg.toJson())
        put("change_percent", changePercent?.toJson() ?: JsonNull)
    }

    internal companion object {
        fun read(e: JsonElement, w: String): BaseYearComparison {
            val d = e.obj(w)
            return BaseYearComparison(
                year = d.req("year", w).int("$w.year"),
                totals = Totals.read(d.req("totals", w), "$w.totals"),
                changeCo2eKg = d.req("change_co2e_kg", w).dec("$w.change_co2e_kg"),
                changePercent = d.opt("change_percent")?.dec("$w.change_percent"),
            )
        }
    }
}

/** The result of `inventory`. */
data class Inventory(
    /** The organisation's name. */
    val organisation: String,
    /** Reporting year. */
    val reportingYear: Int,
    /** GWP set of every CO2e figure. */
    val gwpSet: GwpSet,
    /** Consolidation approach. */
    val consolidation: Consolidation,
    /** Totals. */
    val totals: Totals,
    /** One result per record, in input order. */
    val records: List<RecordResult>,
    /** The base-year comparison, if a base year was given. */
    val baseYear: BaseYearComparison? = null,
    /** The distinct factors used, by id, with their provenance. */
    val factorsUsed: Map<String, Provenance> = emptyMap(),
) {
    /** The JSON document, as the core writes it. */
    fun toJson(): JsonObject = buildJsonObject {
        put("organisation", organisation.json())
        put("reporting_year", reportingYear.json())
        put("gwp_set", gwpSet.json())
        put("consolidation", consolidation.json())
        put("totals", totals.toJson())
        put("records", records.jsonArray { it.toJson() })
        putOpt("base_year", baseYear?.toJson())
        put("factors_used", JsonObject(factorsUsed.mapValues { it.value.toJson() }))
    }

    /** Reads the document. */
    companion object {
        /** The typed view of an `inventory` result. */
        fun fromJson(doc: JsonObject): Inventory {
            val w = "$"
            return Inventory(
                organisation = doc.req("organisation", w).str("organisation"),
                reportingYear = doc.req("reporting_year", w).int("reporting_year"),
                gwpSet = GwpSet.of(doc.req("gwp_set", w).str("gwp_set")),
                consolidation = Consolidation.of(doc.req("consolidation", w).str("consolidation")),
                totals = Totals.read(doc.req("totals", w), "totals"),
                records = doc.req("records", w).list("records", RecordResult::read),
                baseYear = doc.opt("base_year")?.let { BaseYearComparison.read(it, "base_year") },
                factorsUsed = doc.opt("factors_used")?.obj("factors_used")?.mapValues { (k, v) -> Provenance.read(v, "factors_used.$k") } ?: emptyMap(),
            )
        }
    }
}

/** The kind of a `batch` row. */
enum class BatchKind(override val id: String) : JsonEnum {
    /** Stationary fuel combustion (Scope 1); key = fuel id. */
    FUEL("fuel"),
    /** Purchased electricity, location-based (Scope 2); key = geography. */
    ELECTRICITY("electricity"),
    /** Freight (Scope 3); key = registry activity of the intensity. */
    FREIGHT("freight"),
    /** Spend-based purchase (Scope 3); key = registry activity of the factor. */
    SPEND("spend");

    /** Reads an id. */
    companion object {
        /** The kind of [id]. */
        fun of(id: String): BatchKind = enumById(id, "kind")
    }
}

/** One `batch` row, for building a [BatchInput] row by row ([BatchInput.ofRows]). */
data class BatchRow(
    /** The kind. */
    val kind: BatchKind,
    /** Fuel id, geography or activity key. */
    val key: String,
    /** The amount, in [unit]. */
    val amount: BigDecimal,
    /** Unit (or currency). */
    val unit: String,
)

/** Input of `batch`: many simple rows given as columns of equal length. */
data class BatchInput(
    /** Row kinds. */
    val kind: List<BatchKind>,
    /** Fuel id, geography or activity key per row. */
    val key: List<String>,
    /** Amounts. */
    val amount: List<BigDecimal>,
    /** Unit (or currency) per row. */
    val unit: List<String>,
    /** Data year of every row. */
    val year: Int,
    /** GWP set (default AR6). */
    val gwpSet: GwpSet? = null,
    /** Where factors come from. */
    val factors: FactorSource = FactorSource(),
) {
    /** The JSON document (columns; amounts as decimal strings). */
    fun toJson(): JsonObject = buildJsonObject {
        put("kind", kind.jsonArray { it.json() })
        put("key", key.jsonArray { it.json() })
        put("amount", amount.jsonArray { it.toJson() })
        put("unit", unit.jsonArray { it.json() })
        put("year", year.json())
        putOpt("gwp_set", gwpSet?.json())
        if (!factors.isDefault) put("factors", factors.toJson())
    }

    /** Reads the document; builds one from rows. */
    companion object {
        /** The columns of [rows]. */
        fun ofRows(rows: List<BatchRow>, year: Int, gwpSet: GwpSet? = null, factors: FactorSource = FactorSource()): BatchInput =
            BatchInput(rows.map { it.kind }, rows.map { it.key }, rows.map { it.amount }, rows.map { it.unit }, year, gwpSet, factors)

        /** The typed view of a `batch` input document. */
        fun fromJson(doc: JsonObject): BatchInput {
            doc.onlyKeys("$", listOf("kind", "key", "amount", "unit", "year", "gwp_set", "factors"))
            return BatchInput(
                kind = doc.req("kind", "$").list("kind") { e, w -> BatchKind.of(e.str(w)) },
                key = doc.req("key", "$").list("key") { e, w -> e.str(w) },
                amount = doc.req("amount", "$").list("amount") { e, w -> e.dec(w) },
                unit = doc.req("unit", "$").list("unit") { e, w -> e.str(w) },
                year = doc.req("year", "$").int("year"),
                gwpSet = doc.opt("gwp_set")?.let { GwpSet.of(it.str("gwp_set")) },
                factors = doc.opt("factors")?.let { FactorSource.read(it, "factors") } ?: FactorSource(),
            )
        }
    }
}

/** A `batch` row that failed. */
data class RowError(
    /** 0-based row. */
    val row: Int,
    /** Stable error code (as [TansoException.code]). */
    val code: String,
    /** Message. */
    val message: String,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("row", row.json())
        put("code", code.json())
        put("message", message.json())
    }

    internal companion object {
        fun read(e: JsonElement, w: String): RowError {
            val d = e.obj(w)
            return RowError(d.req("row", w).int("$w.row"), d.req("code", w).str("$w.code"), d.req("message", w).str("$w.message"))
        }
    }
}

/** The result of `batch`. */
data class BatchResult(
    /** kg CO2e per row; null where the row failed. */
    val co2eKg: List<BigDecimal?>,
    /** Scope per row (0 where the row failed). */
    val scope: List<Int>,
    /** Sum of the rows that succeeded, kg CO2e. */
    val totalCo2eKg: BigDecimal,
    /** The rows that failed. */
    val errors: List<RowError>,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("co2e_kg", co2eKg.jsonArray { it?.toJson() ?: JsonNull })
        put("scope", scope.jsonArray { it.json() })
        put("total_co2e_kg", totalCo2eKg.toJson())
        put("errors", errors.jsonArray { it.toJson() })
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a `batch` result. */
        fun fromJson(doc: JsonObject): BatchResult = BatchResult(
            co2eKg = doc.req("co2e_kg", "$").list("co2e_kg") { e, w -> if (e is JsonNull) null else e.dec(w) },
            scope = doc.req("scope", "$").list("scope") { e, w -> e.int(w) },
            totalCo2eKg = doc.req("total_co2e_kg", "$").dec("total_co2e_kg"),
            errors = doc.req("errors", "$").list("errors", RowError::read),
        )
    }
}
