package tanso

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import java.math.BigDecimal

// Typed documents of emission factors, fuels and their provenance (core: tanso::factors,
// tanso::ghg::GwpSet): the inputs and results of `lookup_factor` and `fuel`, and the parts
// the accounting documents share. Every class converts both ways through the JSON documents
// of the parity API: `toJson()` and `fromJson(JsonObject)`.

/** A set of global warming potentials. The core reads the id case-insensitively. */
enum class GwpSet(override val id: String) : JsonEnum {
    /** IPCC AR4 (2007), GWP100. */
    AR4("AR4"),
    /** IPCC AR5 (2013), GWP100 without climate-carbon feedback. */
    AR5("AR5"),
    /** IPCC AR6 (2021), GWP100: the library's default. */
    AR6("AR6"),
    /** IPCC AR6 (2021), GWP20. */
    AR6_GWP20("AR6_GWP20");

    /** Reads an id. */
    companion object {
        /** The set of [id] (`"AR6"`, `"ar6_gwp20"`, …). */
        fun of(id: String): GwpSet = enumById(id, "gwp_set", ignoreCase = true)
    }
}

/** Whether a value has been checked against its source. */
enum class Status(override val id: String) : JsonEnum {
    /** Checked against a primary or secondary source. */
    VERIFIED("verified"),
    /** Not checked; flagged in every result that uses it. */
    UNVERIFIED("unverified");

    /** Reads an id. */
    companion object {
        /** The status of [id]. */
        fun of(id: String): Status = enumById(id, "status")
    }
}

/** The part of the life cycle a factor covers. */
enum class Boundary(override val id: String) : JsonEnum {
    /** Direct emissions of combustion (tank-to-wheel). */
    COMBUSTION("combustion"),
    /** Upstream fuel supply (well-to-tank). */
    WELL_TO_TANK("well_to_tank"),
    /** Well-to-wheel. */
    WELL_TO_WHEEL("well_to_wheel"),
    /** Generating grid electricity as consumed (Scope 2 factors). */
    GENERATION("generation"),
    /** Cradle to gate of a product. */
    CRADLE_TO_GATE("cradle_to_gate"),
    /** Full life cycle. */
    LIFE_CYCLE("life_cycle");

    /** Reads an id. */
    companion object {
        /** The boundary of [id]. */
        fun of(id: String): Boundary = enumById(id, "boundary")
    }
}

/** A combustion sector, which decides the IPCC Tier 1 CH4 and N2O factors. */
enum class Sector(override val id: String) : JsonEnum {
    /** IPCC 2006 Vol. 2 Table 2.2, energy industries. */
    ENERGY_INDUSTRIES("energy_industries"),
    /** IPCC 2006 Vol. 2 Table 2.3, manufacturing industries and construction (the default). */
    MANUFACTURING("manufacturing");

    /** Reads an id. */
    companion object {
        /** The sector of [id]. */
        fun of(id: String): Sector = enumById(id, "sector")
    }
}

/** The format of a user factor table. */
enum class TableFormat(override val id: String) : JsonEnum {
    /** Comma-separated values with a header row. */
    CSV("csv"),
    /** A JSON array of factor objects. */
    JSON("json");

    /** Reads an id. */
    companion object {
        /** The format of [id]. */
        fun of(id: String): TableFormat = enumById(id, "format")
    }
}

/** Where a number comes from. Absent optional texts are empty strings, as in the core. */
data class Provenance(
    /** Who published it. */
    val publisher: String,
    /** The document (guideline, announcement, standard, report). */
    val document: String,
    /** Table, page or row within the document. */
    val table: String = "",
    /** Where to read it, if public. */
    val url: String? = null,
    /** Terms of reuse. */
    val licence: String = "",
    /** Verified or not. */
    val status: Status = Status.UNVERIFIED,
    /** The status as the source table words it. */
    val statusNote: String = "",
    /** Life-cycle boundary. */
    val boundary: Boundary = Boundary.COMBUSTION,
    /** GWP set of CO2e values, if any. */
    val gwpBasis: GwpSet? = null,
    /** Remarks that matter for use. */
    val notes: String = "",
) {
    /** The JSON document, as the core writes it. */
    fun toJson(): JsonObject = buildJsonObject {
        put("publisher", publisher.json())
        put("document", document.json())
        put("table", table.json())
        putOpt("url", url?.json())
        put("licence", licence.json())
        put("status", status.json())
        if (statusNote.isNotEmpty()) put("status_note", statusNote.json())
        put("boundary", boundary.json())
        putOpt("gwp_basis", gwpBasis?.json())
        if (notes.isNotEmpty()) put("notes", notes.json())
    }

    /** Reads the document. */
    companion object {
        internal val FIELDS = listOf("publisher", "document", "table", "url", "licence", "status", "status_note", "boundary", "gwp_basis", "notes")

        /** The typed view of a provenance document. */
        fun fromJson(doc: JsonObject): Provenance = read(doc, "provenance")

        internal fun read(e: JsonElement, w: String): Provenance {
            val d = e.obj(w)
            d.onlyKeys(w, FIELDS)
            return Provenance(
                publisher = d.req("publisher", w).str("$w.publisher"),
                document = d.req("document", w).str("$w.document"),
                table = d.opt("table")?.str("$w.table") ?: "",
                url = d.opt("url")?.str("$w.url"),
                licence = d.opt("licence")?.str("$w.licence") ?: "",
                status = d.opt("status")?.let { Status.of(it.str("$w.status")) } ?: Status.UNVERIFIED,
                statusNote = d.opt("status_note")?.str("$w.status_note") ?: "",
                boundary = d.opt("boundary")?.let { Boundary.of(it.str("$w.boundary")) } ?: Boundary.COMBUSTION,
                gwpBasis = d.opt("gwp_basis")?.let { GwpSet.of(it.str("$w.gwp_basis")) },
                notes = d.opt("notes")?.str("$w.notes") ?: "",
            )
        }
    }
}

/** A fallback a factor lookup used: the geography and year asked for, and those of the factor used. */
data class Fallback(
    /** The geography asked for (resolved to its code). */
    val requestedGeography: String,
    /** The geography of the factor used. */
    val usedGeography: String,
    /** The year asked for. */
    val requestedYear: Int,
    /** The data year of the factor used. */
    val usedYear: Int,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("requested_geography", requestedGeography.json())
        put("used_geography", usedGeography.json())
        put("requested_year", requestedYear.json())
        put("used_year", usedYear.json())
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a `fallback` document. */
        fun fromJson(doc: JsonObject): Fallback = read(doc, "fallback")

        internal fun read(e: JsonElement, w: String): Fallback {
            val d = e.obj(w)
            return Fallback(
                requestedGeography = d.req("requested_geography", w).str("$w.requested_geography"),
                usedGeography = d.req("used_geography", w).str("$w.used_geography"),
                requestedYear = d.req("requested_year", w).int("$w.requested_year"),
                usedYear = d.req("used_year", w).int("$w.used_year"),
            )
        }
    }
}

/** An emission factor: kg of each gas (or kg CO2e) per unit of an activity. */
data class EmissionFactor(
    /** Unique id within its registry. */
    val id: String,
    /** The activity, e.g. `electricity.grid_average`. */
    val activity: String,
    /** Geography code. */
    val geography: String,
    /** Data year. */
    val year: Int,
    /** The unit of activity it is per: a unit symbol or, for spend-based factors, a currency code. */
    val unit: String,
    /** For spend-based factors, the year whose prices the currency is in. */
    val priceYear: Int? = null,
    /** kg of each gas per unit, by gas id (`CO2`, `CH4_fossil`, …). */
    val gases: Map<String, BigDecimal> = emptyMap(),
    /** kg CO2e per unit, where the source gives only CO2e (its set in `provenance.gwpBasis`). */
    val co2e: BigDecimal? = null,
    /** Where it comes from. */
    val provenance: Provenance,
) {
    /** The JSON document, as the core writes it. */
    fun toJson(): JsonObject = buildJsonObject {
        put("id", id.json())
        put("activity", activity.json())
        put("geography", geography.json())
        put("year", year.json())
        put("unit", unit.json())
        putOpt("price_year", priceYear?.json())
        put("gases", gases.decMapJson())
        putOpt("co2e", co2e?.toJson())
        put("provenance", provenance.toJson())
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a factor document. */
        fun fromJson(doc: JsonObject): EmissionFactor = read(doc, "factor")

        internal fun read(e: JsonElement, w: String): EmissionFactor {
            val d = e.obj(w)
            return EmissionFactor(
                id = d.req("id", w).str("$w.id"),
                activity = d.req("activity", w).str("$w.activity"),
                geography = d.req("geography", w).str("$w.geography"),
                year = d.req("year", w).int("$w.year"),
                unit = d.req("unit", w).str("$w.unit"),
                priceYear = d.opt("price_year")?.int("$w.price_year"),
                gases = d.opt("gases")?.decMap("$w.gases") ?: emptyMap(),
                co2e = d.opt("co2e")?.dec("$w.co2e"),
                provenance = Provenance.read(d.req("provenance", w), "$w.provenance"),
            )
        }
    }
}

/** The result of `lookup_factor`: the factor found and the fallback used, if any. */
data class FactorMatch(
    /** The factor. */
    val factor: EmissionFactor,
    /** Set when the factor is not for the exact geography and year asked for. */
    val fallback: Fallback? = null,
) {
    /** The JSON document, as the core writes it. */
    fun toJson(): JsonObject = buildJsonObject {
        put("factor", factor.toJson())
        putOpt("fallback", fallback?.toJson())
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a `lookup_factor` result. */
        fun fromJson(doc: JsonObject): FactorMatch = FactorMatch(
            factor = EmissionFactor.read(doc.req("factor", "$"), "factor"),
            fallback = doc.opt("fallback")?.let { Fallback.read(it, "fallback") },
        )
    }
}

/** A user's factor table given inline (CSV or JSON text). */
data class UserTable(
    /** The table's name, used in error messages and provenance. */
    val name: String,
    /** `csv` or `json`. */
    val format: TableFormat,
    /** The table's text. */
    val text: String,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("name", name.json())
        put("format", format.json())
        put("text", text.json())
    }

    internal companion object {
        fun read(e: JsonElement, w: String): UserTable {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("name", "format", "text"))
            return UserTable(
                name = d.req("name", w).str("$w.name"),
                format = TableFormat.of(d.req("format", w).str("$w.format")),
                text = d.req("text", w).str("$w.text"),
            )
        }
    }
}

/** Where factors come from: the bundled verified data, optionally its unverified rows, plus user tables. */
data class FactorSource(
    /** Include unverified bundled rows (flagged in every result that uses them). */
    val includeUnverified: Boolean = false,
    /** User tables, loaded after the bundled data (a row with an existing id replaces it). */
    val tables: List<UserTable> = emptyList(),
) {
    /** True for the default source (bundled verified data only); it is then left out of documents. */
    val isDefault: Boolean get() = !includeUnverified && tables.isEmpty()

    /** The JSON document (`factors`). */
    fun toJson(): JsonObject = buildJsonObject {
        if (includeUnverified) put("include_unverified", JsonPrimitive(true))
        if (tables.isNotEmpty()) put("tables", tables.jsonArray { it.toJson() })
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a `factors` document. */
        fun fromJson(doc: JsonObject): FactorSource = read(doc, "factors")

        internal fun read(e: JsonElement, w: String): FactorSource {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("include_unverified", "tables"))
            return FactorSource(
                includeUnverified = d.opt("include_unverified")?.bool("$w.include_unverified") ?: false,
                tables = d.opt("tables")?.list("$w.tables", UserTable::read) ?: emptyList(),
            )
        }
    }
}

/** Input of `lookup_factor`: an emission factor by activity, geography and year. */
data class LookupInput(
    /** Activity key, e.g. `electricity.grid_average`. */
    val activity: String,
    /** Geography code or name (`CN-ZJ`, `Hebei`). */
    val geography: String,
    /** Year. */
    val year: Int,
    /** Where factors come from. */
    val factors: FactorSource = FactorSource(),
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("activity", activity.json())
        put("geography", geography.json())
        put("year", year.json())
        if (!factors.isDefault) put("factors", factors.toJson())
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a `lookup_factor` input document. */
        fun fromJson(doc: JsonObject): LookupInput {
            doc.onlyKeys("$", listOf("activity", "geography", "year", "factors"))
            return LookupInput(
                activity = doc.req("activity", "$").str("activity"),
                geography = doc.req("geography", "$").str("geography"),
                year = doc.req("year", "$").int("year"),
                factors = doc.opt("factors")?.let { FactorSource.read(it, "factors") } ?: FactorSource(),
            )
        }
    }
}

/** Input of `fuel`: a fuel by id, alias or local name. */
data class FuelInput(
    /** Fuel id, alias or local name (`diesel`, `cn_raw_coal`, `原煤`). */
    val fuel: String,
    /** Where factors come from. */
    val factors: FactorSource = FactorSource(),
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("fuel", fuel.json())
        if (!factors.isDefault) put("factors", factors.toJson())
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a `fuel` input document. */
        fun fromJson(doc: JsonObject): FuelInput {
            doc.onlyKeys("$", listOf("fuel", "factors"))
            return FuelInput(
                fuel = doc.req("fuel", "$").str("fuel"),
                factors = doc.opt("factors")?.let { FactorSource.read(it, "factors") } ?: FactorSource(),
            )
        }
    }
}

/** A per-sector CH4 or N2O factor of a fuel, kg per TJ. */
data class SectorFactor(
    /** The sector. */
    val sector: Sector,
    /** `CH4_fossil` or `N2O`. */
    val gas: String,
    /** kg per TJ (net calorific basis). */
    val kgPerTj: BigDecimal,
    /** Verified or not. */
    val status: Status,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("sector", sector.json())
        put("gas", gas.json())
        put("kg_per_tj", kgPerTj.toJson())
        put("status", status.json())
    }

    internal companion object {
        fun read(e: JsonElement, w: String): SectorFactor {
            val d = e.obj(w)
            return SectorFactor(
                sector = Sector.of(d.req("sector", w).str("$w.sector")),
                gas = d.req("gas", w).str("$w.gas"),
                kgPerTj = d.req("kg_per_tj", w).dec("$w.kg_per_tj"),
                status = Status.of(d.req("status", w).str("$w.status")),
            )
        }
    }
}

/** The result of `fuel`: the parameters of a fuel for combustion and standard-coal accounting. */
data class Fuel(
    /** Identifier, e.g. `diesel` (IPCC 2006) or `cn_raw_coal` (China). */
    val id: String,
    /** English name. */
    val name: String,
    /** Name in the source's language, if not English (e.g. 原煤). */
    val localName: String? = null,
    /** The reference unit of the parameters (`kg` or `Nm3`). */
    val unit: String,
    /** Net calorific value, MJ per reference unit. */
    val ncvMjPerUnit: BigDecimal,
    /** Carbon content, kg C per GJ. */
    val carbonContentKgcPerGj: BigDecimal? = null,
    /** Fraction of carbon oxidised. */
    val oxidation: BigDecimal? = null,
    /** Tier 1 default CO2 factor, kg per TJ. */
    val co2KgPerTj: BigDecimal? = null,
    /** Whether the CO2 parameters are verified. */
    val co2Status: Status,
    /** CH4 and N2O factors by sector. */
    val sectorFactors: List<SectorFactor> = emptyList(),
    /** Standard-coal coefficient, kgce per reference unit (GB/T 2589-2020). */
    val kgcePerUnit: BigDecimal? = null,
    /** kg CO2 per reference unit as the source publishes it (for checking, never used). */
    val publishedKgco2PerUnit: BigDecimal? = null,
    /** Where the parameters come from. */
    val provenance: Provenance,
) {
    /** The JSON document, as the core writes it. */
    fun toJson(): JsonObject = buildJsonObject {
        put("id", id.json())
        put("name", name.json())
        putOpt("local_name", localName?.json())
        put("unit", unit.json())
        put("ncv_mj_per_unit", ncvMjPerUnit.toJson())
        putOpt("carbon_content_kgc_per_gj", carbonContentKgcPerGj?.toJson())
        putOpt("oxidation", oxidation?.toJson())
        putOpt("co2_kg_per_tj", co2KgPerTj?.toJson())
        put("co2_status", co2Status.json())
        put("sector_factors", sectorFactors.jsonArray { it.toJson() })
        putOpt("kgce_per_unit", kgcePerUnit?.toJson())
        putOpt("published_kgco2_per_unit", publishedKgco2PerUnit?.toJson())
        put("provenance", provenance.toJson())
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a `fuel` result. */
        fun fromJson(doc: JsonObject): Fuel {
            val w = "$"
            return Fuel(
                id = doc.req("id", w).str("id"),
                name = doc.req("name", w).str("name"),
                localName = doc.opt("local_name")?.str("local_name"),
                unit = doc.req("unit", w).str("unit"),
                ncvMjPerUnit = doc.req("ncv_mj_per_unit", w).dec("ncv_mj_per_unit"),
                carbonContentKgcPerGj = doc.opt("carbon_content_kgc_per_gj")?.dec("carbon_content_kgc_per_gj"),
                oxidation = doc.opt("oxidation")?.dec("oxidation"),
                co2KgPerTj = doc.opt("co2_kg_per_tj")?.dec("co2_kg_per_tj"),
                co2Status = Status.of(doc.req("co2_status", w).str("co2_status")),
                sectorFactors = doc.opt("sector_factors")?.list("sector_factors", SectorFactor::read) ?: emptyList(),
                kgcePerUnit = doc.opt("kgce_per_unit")?.dec("kgce_per_unit"),
                publishedKgco2PerUnit = doc.opt("published_kgco2_per_unit")?.dec("published_kgco2_per_unit"),
                provenance = Provenance.read(doc.req("provenance", w), "provenance"),
            )
        }
    }
}
