package tanso

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonObjectBuilder
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import java.math.BigDecimal

// Typed input documents of `calculate` and `inventory` (core: tanso::accounting, tanso::units).
// Every class converts both ways through the JSON documents of the parity API: `toJson()`, and
// `fromJson(JsonObject)` on its companion. Reading is as strict as the core: an unknown field or
// a value of the wrong shape is an IllegalArgumentException naming the field. Optional fields are
// nullable (null: the core's default) and left out of the documents written.

/** A decimal amount with a unit symbol (`{"value": "1.5", "unit": "t"}`). */
data class Quantity(
    /** The amount. */
    val value: BigDecimal,
    /** The unit symbol or alias (`kg`, `t`, `MWh`, `Nm3`, `km`, …). */
    val unit: String,
) {
    /** A quantity from a decimal string, e.g. `Quantity("1.5", "t")`. */
    constructor(value: String, unit: String) : this(BigDecimal(value), unit)

    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("value", value.toJson())
        put("unit", unit.json())
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a quantity document. */
        fun fromJson(doc: JsonObject): Quantity = read(doc, "quantity")

        internal fun read(e: JsonElement, w: String): Quantity {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("value", "unit"))
            return Quantity(d.req("value", w).dec("$w.value"), d.req("unit", w).str("$w.unit"))
        }
    }
}

/** An amount of money in a currency, in the prices of a given year. */
data class Money(
    /** The amount. */
    val amount: BigDecimal,
    /** ISO 4217 currency code, e.g. `CNY`. */
    val currency: String,
    /** The year whose prices the amount is in. */
    val priceYear: Int,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("amount", amount.toJson())
        put("currency", currency.json())
        put("price_year", priceYear.json())
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a money document. */
        fun fromJson(doc: JsonObject): Money = read(doc, "spend")

        internal fun read(e: JsonElement, w: String): Money {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("amount", "currency", "price_year"))
            return Money(
                amount = d.req("amount", w).dec("$w.amount"),
                currency = d.req("currency", w).str("$w.currency"),
                priceYear = d.req("price_year", w).int("$w.price_year"),
            )
        }
    }
}

/** A point on the Earth, degrees (written as JSON numbers: the core reads them as binary64). */
data class LatLon(
    /** Latitude, degrees north. */
    val lat: BigDecimal,
    /** Longitude, degrees east. */
    val lon: BigDecimal,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("lat", JsonPrimitive(lat))
        put("lon", JsonPrimitive(lon))
    }

    internal companion object {
        fun read(e: JsonElement, w: String): LatLon {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("lat", "lon"))
            return LatLon(d.req("lat", w).dec("$w.lat"), d.req("lon", w).dec("$w.lon"))
        }
    }
}

/** A factor given inline by the user (a supplier's rate, a certificate, a contract). */
data class InlineFactor(
    /** The unit of activity it is per (a unit symbol or a currency code). */
    val unit: String,
    /** kg of each gas per [unit], by gas id (`CO2`, `CH4_fossil`, `HFC-134a`, …). */
    val gases: Map<String, BigDecimal> = emptyMap(),
    /** kg CO2e per [unit], where only CO2e is known. */
    val co2e: BigDecimal? = null,
    /** GWP set of [co2e]. */
    val gwpBasis: GwpSet? = null,
    /** Where it comes from. */
    val source: Provenance? = null,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("unit", unit.json())
        if (gases.isNotEmpty()) put("gases", gases.decMapJson())
        putOpt("co2e", co2e?.toJson())
        putOpt("gwp_basis", gwpBasis?.json())
        putOpt("source", source?.toJson())
    }

    /** Reads the document. */
    companion object {
        /** The typed view of an inline factor document. */
        fun fromJson(doc: JsonObject): InlineFactor = read(doc, "factor")

        internal fun read(e: JsonElement, w: String): InlineFactor {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("gases", "co2e", "gwp_basis", "unit", "source"))
            return InlineFactor(
                unit = d.req("unit", w).str("$w.unit"),
                gases = d.opt("gases")?.decMap("$w.gases") ?: emptyMap(),
                co2e = d.opt("co2e")?.dec("$w.co2e"),
                gwpBasis = d.opt("gwp_basis")?.let { GwpSet.of(it.str("$w.gwp_basis")) },
                source = d.opt("source")?.let { Provenance.read(it, "$w.source") },
            )
        }
    }
}

/** Kinds of contractual instrument, in the order of the GHG Protocol Scope 2 hierarchy. */
enum class InstrumentKind(override val id: String) : JsonEnum {
    /** Energy attribute certificate (China GEC, I-REC, EU GO). */
    CERTIFICATE("certificate"),
    /** Direct contract with a generator (PPA). */
    CONTRACT("contract"),
    /** Supplier-specific emission rate. */
    SUPPLIER_RATE("supplier_rate");

    /** Reads an id. */
    companion object {
        /** The kind of [id]. */
        fun of(id: String): InstrumentKind = enumById(id, "kind")
    }
}

/** A contractual instrument for market-based Scope 2. */
data class Instrument(
    /** Certificate, contract or supplier rate. */
    val kind: InstrumentKind,
    /** Unique id (certificate serial, contract number); claimed once per inventory. */
    val id: String,
    /** The energy it covers. */
    val energy: Quantity,
    /** Its emission rate; a renewable certificate without a rate counts at zero. */
    val factor: InlineFactor? = null,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("kind", kind.json())
        put("id", id.json())
        put("energy", energy.toJson())
        putOpt("factor", factor?.toJson())
    }

    internal companion object {
        fun read(e: JsonElement, w: String): Instrument {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("kind", "id", "energy", "factor"))
            return Instrument(
                kind = InstrumentKind.of(d.req("kind", w).str("$w.kind")),
                id = d.req("id", w).str("$w.id"),
                energy = Quantity.read(d.req("energy", w), "$w.energy"),
                factor = d.opt("factor")?.let { InlineFactor.read(it, "$w.factor") },
            )
        }
    }
}

/** Stationary or mobile combustion. */
enum class CombustionUse(override val id: String) : JsonEnum {
    /** Boilers, furnaces, generators (the default). */
    STATIONARY("stationary"),
    /** Vehicles and mobile machinery. */
    MOBILE("mobile");

    /** Reads an id. */
    companion object {
        /** The use of [id]. */
        fun of(id: String): CombustionUse = enumById(id, "use")
    }
}

/** IPCC calculation tier for combustion CO2. */
enum class Tier(override val id: String) : JsonEnum {
    /** `Q × NCV × EF` per gas with default factors. */
    TIER1("tier1"),
    /** `Q × NCV × CC × OF × 44/12` with carbon content and oxidation. */
    TIER2("tier2");

    /** Reads an id. */
    companion object {
        /** The tier of [id]. */
        fun of(id: String): Tier = enumById(id, "tier")
    }
}

/** The energy carrier of purchased energy. */
enum class Carrier(override val id: String) : JsonEnum {
    /** Electricity (the default). */
    ELECTRICITY("electricity"),
    /** Heat (hot water). */
    HEAT("heat"),
    /** Steam. */
    STEAM("steam");

    /** Reads an id. */
    companion object {
        /** The carrier of [id]. */
        fun of(id: String): Carrier = enumById(id, "carrier")
    }
}

/** How purchased goods are estimated (GHG Protocol Scope 3, category 1 methods). */
enum class GoodsMethod(override val id: String) : JsonEnum {
    /** The supplier's own cradle-to-gate data. */
    SUPPLIER_SPECIFIC("supplier_specific"),
    /** Quantity × an average cradle-to-gate factor. */
    AVERAGE_DATA("average_data"),
    /** Spend × an environmentally extended input-output factor. */
    SPEND_BASED("spend_based");

    /** Reads an id. */
    companion object {
        /** The method of [id]. */
        fun of(id: String): GoodsMethod = enumById(id, "method")
    }
}

/** The `type` of an activity record, as in JSON and in [RecordResult.type]. */
enum class RecordType(override val id: String) : JsonEnum {
    /** [ActivityRecord.FuelCombustion]. */
    FUEL_COMBUSTION("fuel_combustion"),
    /** [ActivityRecord.Electricity]. */
    ELECTRICITY("electricity"),
    /** [ActivityRecord.Refrigerant]. */
    REFRIGERANT("refrigerant"),
    /** [ActivityRecord.Freight]. */
    FREIGHT("freight"),
    /** [ActivityRecord.PurchasedGoods]. */
    PURCHASED_GOODS("purchased_goods"),
    /** [ActivityRecord.DirectEmission]. */
    DIRECT_EMISSION("direct_emission"),
    /** [ActivityRecord.ScrapUse]. */
    SCRAP_USE("scrap_use");

    /** Reads an id. */
    companion object {
        /** The type of [id]. */
        fun of(id: String): RecordType = enumById(id, "type")
    }
}

/** How refrigerant emissions are estimated (`method` in JSON). */
sealed class RefrigerantMethod {
    /** The `method` id. */
    abstract val id: String

    internal abstract fun writeTo(b: JsonObjectBuilder)

    /**
     * Mass balance (GHG Protocol / US EPA): (stock at start − stock at end) + purchased −
     * disposed − (charge of new equipment − charge of retired equipment).
     */
    data class MassBalance(
        /** Stock held at the start of the year. */
        val stockStart: Quantity? = null,
        /** Stock held at the end of the year. */
        val stockEnd: Quantity? = null,
        /** Bought or otherwise acquired during the year. */
        val purchased: Quantity? = null,
        /** Sold, returned or sent for destruction during the year. */
        val disposed: Quantity? = null,
        /** Full charge of equipment installed during the year. */
        val capacityNew: Quantity? = null,
        /** Full charge of equipment retired during the year. */
        val capacityRetired: Quantity? = null,
    ) : RefrigerantMethod() {
        override val id: String get() = "mass_balance"

        override fun writeTo(b: JsonObjectBuilder) {
            b.putOpt("stock_start", stockStart?.toJson())
            b.putOpt("stock_end", stockEnd?.toJson())
            b.putOpt("purchased", purchased?.toJson())
            b.putOpt("disposed", disposed?.toJson())
            b.putOpt("capacity_new", capacityNew?.toJson())
            b.putOpt("capacity_retired", capacityRetired?.toJson())
        }
    }

    /**
     * Screening (US EPA simplified): charge_new × installation_loss + charge_operating ×
     * annual_leak_rate × fraction_of_year + charge_disposed × remaining_at_disposal × (1 −
     * recovery_efficiency); rates are fractions.
     */
    data class Screening(
        /** Charge of equipment installed. */
        val chargeNew: Quantity? = null,
        /** Fraction of the charge lost at installation. */
        val installationLoss: BigDecimal? = null,
        /** Charge of equipment in operation. */
        val chargeOperating: Quantity? = null,
        /** Fraction of the charge leaked per year. */
        val annualLeakRate: BigDecimal? = null,
        /** Fraction of the year in operation (default 1). */
        val fractionOfYear: BigDecimal? = null,
        /** Charge of equipment disposed. */
        val chargeDisposed: Quantity? = null,
        /** Fraction of the charge remaining at disposal. */
        val remainingAtDisposal: BigDecimal? = null,
        /** Fraction of the remaining charge recovered. */
        val recoveryEfficiency: BigDecimal? = null,
    ) : RefrigerantMethod() {
        override val id: String get() = "screening"

        override fun writeTo(b: JsonObjectBuilder) {
            b.putOpt("charge_new", chargeNew?.toJson())
            b.putOpt("installation_loss", installationLoss?.toJson())
            b.putOpt("charge_operating", chargeOperating?.toJson())
            b.putOpt("annual_leak_rate", annualLeakRate?.toJson())
            b.putOpt("fraction_of_year", fractionOfYear?.toJson())
            b.putOpt("charge_disposed", chargeDisposed?.toJson())
            b.putOpt("remaining_at_disposal", remainingAtDisposal?.toJson())
            b.putOpt("recovery_efficiency", recoveryEfficiency?.toJson())
        }
    }

    /** A known mass released. */
    data class Released(
        /** Mass released. */
        val mass: Quantity,
    ) : RefrigerantMethod() {
        override val id: String get() = "released"

        override fun writeTo(b: JsonObjectBuilder) {
            b.put("mass", mass.toJson())
        }
    }

    internal companion object {
        val MASS_BALANCE = listOf("stock_start", "stock_end", "purchased", "disposed", "capacity_new", "capacity_retired")
        val SCREENING = listOf(
            "charge_new", "installation_loss", "charge_operating", "annual_leak_rate", "fraction_of_year",
            "charge_disposed", "remaining_at_disposal", "recovery_efficiency",
        )

        /** Reads the method from the record's flat fields [d] (other than `gas` and the common ones). */
        fun read(d: JsonObject, w: String, others: Collection<String>): RefrigerantMethod {
            fun q(k: String) = d.opt(k)?.let { Quantity.read(it, "$w.$k") }
            fun x(k: String) = d.opt(k)?.dec("$w.$k")
            return when (val m = d.req("method", w).str("$w.method")) {
                "mass_balance" -> {
                    d.onlyKeys(w, others + "method" + MASS_BALANCE)
                    MassBalance(q("stock_start"), q("stock_end"), q("purchased"), q("disposed"), q("capacity_new"), q("capacity_retired"))
                }
                "screening" -> {
                    d.onlyKeys(w, others + "method" + SCREENING)
                    Screening(
                        q("charge_new"), x("installation_loss"), q("charge_operating"), x("annual_leak_rate"),
                        x("fraction_of_year"), q("charge_disposed"), x("remaining_at_disposal"), x("recovery_efficiency"),
                    )
                }
                "released" -> {
                    d.onlyKeys(w, others + "method" + "mass")
                    Released(Quantity.read(d.req("mass", w), "$w.mass"))
                }
                else -> throw IllegalArgumentException("$w.method: '$m' is not one of mass_balance, screening, released")
            }
        }
    }
}

/** One leg of a shipment. */
data class Leg(
    /** Transport mode, used in the activity key (`road`, `rail`, `sea`, `air`, …). */
    val mode: String,
    /** Mass shipped. */
    val mass: Quantity,
    /** Distance; if null, the great-circle distance between [from] and [to] (+95 km for air). */
    val distance: Quantity? = null,
    /** Origin. */
    val from: LatLon? = null,
    /** Destination. */
    val to: LatLon? = null,
    /** Emission intensity per t·km given inline. */
    val intensity: InlineFactor? = null,
    /** Registry activity key of the intensity (default `freight.<mode>`). */
    val activity: String? = null,
    /** Geography of the intensity lookup (default `GLO`). */
    val geography: String? = null,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("mode", mode.json())
        put("mass", mass.toJson())
        putOpt("distance", distance?.toJson())
        putOpt("from", from?.toJson())
        putOpt("to", to?.toJson())
        putOpt("intensity", intensity?.toJson())
        putOpt("activity", activity?.json())
        putOpt("geography", geography?.json())
    }

    internal companion object {
        fun read(e: JsonElement, w: String): Leg {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("mode", "mass", "distance", "from", "to", "intensity", "activity", "geography"))
            return Leg(
                mode = d.req("mode", w).str("$w.mode"),
                mass = Quantity.read(d.req("mass", w), "$w.mass"),
                distance = d.opt("distance")?.let { Quantity.read(it, "$w.distance") },
                from = d.opt("from")?.let { LatLon.read(it, "$w.from") },
                to = d.opt("to")?.let { LatLon.read(it, "$w.to") },
                intensity = d.opt("intensity")?.let { InlineFactor.read(it, "$w.intensity") },
                activity = d.opt("activity")?.str("$w.activity"),
                geography = d.opt("geography")?.str("$w.geography"),
            )
        }
    }
}

/**
 * One line of activity data: the common fields ([id], [site], [year], [description],
 * [scope3Category]) and, per subclass, the activity. In JSON it is one flat object with a
 * `type` (`{"id": "r1", "site": "hz", "type": "electricity", "energy": {…}}`).
 */
sealed class ActivityRecord {
    /** The record's id (free text; echoed in results and errors). */
    abstract val id: String
    /** The site it belongs to (an id from the organisation's sites). */
    abstract val site: String?
    /** Data year; defaults to the inventory's reporting year. */
    abstract val year: Int?
    /** Free description. */
    abstract val description: String
    /** Scope 3 category (1–15); overrides the type's default. */
    abstract val scope3Category: Int?
    /** The `type` of the record. */
    abstract val type: RecordType

    internal abstract fun writeActivity(b: JsonObjectBuilder)

    /** The JSON document (flat; fields left at their defaults are left out). */
    fun toJson(): JsonObject = buildJsonObject {
        if (id.isNotEmpty()) put("id", id.json())
        putOpt("site", site?.json())
        putOpt("year", year?.json())
        if (description.isNotEmpty()) put("description", description.json())
        putOpt("scope3_category", scope3Category?.json())
        put("type", type.json())
        writeActivity(this)
    }

    /** Fuel burnt in stationary or mobile equipment (Scope 1 unless a Scope 3 category is set). */
    data class FuelCombustion(
        /** Fuel id, alias or local name (`diesel`, `cn_raw_coal`, `原煤`). */
        val fuel: String,
        /** Amount burnt: a mass, a volume (with [densityKgPerM3]), a normal volume, or an energy. */
        val quantity: Quantity,
        /** Stationary (default) or mobile. */
        val use: CombustionUse? = null,
        /** Tier; default Tier 1 where the fuel has a Tier 1 CO2 factor, else Tier 2. */
        val tier: Tier? = null,
        /** Sector for IPCC CH4/N2O factors; default manufacturing. */
        val sector: Sector? = null,
        /** Measured net calorific value, MJ per the fuel's reference unit. */
        val ncvMjPerUnit: BigDecimal? = null,
        /** Measured carbon content, kg C per GJ (Tier 2). */
        val carbonContentKgcPerGj: BigDecimal? = null,
        /** Measured oxidation fraction (Tier 2). */
        val oxidation: BigDecimal? = null,
        /** CH4 factor, kg per TJ (needed for mobile). */
        val ch4KgPerTj: BigDecimal? = null,
        /** N2O factor, kg per TJ (needed for mobile). */
        val n2oKgPerTj: BigDecimal? = null,
        /** Density, kg per m³, to convert a volume of a liquid fuel to mass. */
        val densityKgPerM3: BigDecimal? = null,
        override val id: String = "",
        override val site: String? = null,
        override val year: Int? = null,
        override val description: String = "",
        override val scope3Category: Int? = null,
    ) : ActivityRecord() {
        override val type: RecordType get() = RecordType.FUEL_COMBUSTION

        override fun writeActivity(b: JsonObjectBuilder) {
            b.put("fuel", fuel.json())
            b.put("quantity", quantity.toJson())
            b.putOpt("use", use?.json())
            b.putOpt("tier", tier?.json())
            b.putOpt("sector", sector?.json())
            b.putOpt("ncv_mj_per_unit", ncvMjPerUnit?.toJson())
            b.putOpt("carbon_content_kgc_per_gj", carbonContentKgcPerGj?.toJson())
            b.putOpt("oxidation", oxidation?.toJson())
            b.putOpt("ch4_kg_per_tj", ch4KgPerTj?.toJson())
            b.putOpt("n2o_kg_per_tj", n2oKgPerTj?.toJson())
            b.putOpt("density_kg_per_m3", densityKgPerM3?.toJson())
        }
    }

    /** Purchased electricity, heat or steam (Scope 2), location- and market-based. */
    data class Electricity(
        /** Amount consumed. */
        val energy: Quantity,
        /** Electricity (default), heat or steam. */
        val carrier: Carrier? = null,
        /** Where it is consumed (geography code or name); defaults to the site's geography. */
        val geography: String? = null,
        /** A location-based factor to use instead of the registry's grid average. */
        val locationFactor: InlineFactor? = null,
        /** Contractual instruments for the market-based method. */
        val instruments: List<Instrument> = emptyList(),
        /** A residual-mix factor to use instead of the registry's. */
        val residualFactor: InlineFactor? = null,
        override val id: String = "",
        override val site: String? = null,
        override val year: Int? = null,
        override val description: String = "",
        override val scope3Category: Int? = null,
    ) : ActivityRecord() {
        override val type: RecordType get() = RecordType.ELECTRICITY

        override fun writeActivity(b: JsonObjectBuilder) {
            b.put("energy", energy.toJson())
            b.putOpt("carrier", carrier?.json())
            b.putOpt("geography", geography?.json())
            b.putOpt("location_factor", locationFactor?.toJson())
            if (instruments.isNotEmpty()) b.put("instruments", instruments.jsonArray { it.toJson() })
            b.putOpt("residual_factor", residualFactor?.toJson())
        }
    }

    /** Refrigerant, SF6 or other fluorinated gas released from equipment (Scope 1). */
    data class Refrigerant(
        /** Gas or blend (`R-410A`, `HFC-134a`, `SF6`). */
        val gas: String,
        /** Estimation method. */
        val method: RefrigerantMethod,
        override val id: String = "",
        override val site: String? = null,
        override val year: Int? = null,
        override val description: String = "",
        override val scope3Category: Int? = null,
    ) : ActivityRecord() {
        override val type: RecordType get() = RecordType.REFRIGERANT

        override fun writeActivity(b: JsonObjectBuilder) {
            b.put("gas", gas.json())
            b.put("method", method.id.json())
            method.writeTo(b)
        }
    }

    /** Freight transport by distance (Scope 3 category 4 by default, or 9). */
    data class Freight(
        /** The legs. */
        val legs: List<Leg>,
        override val id: String = "",
        override val site: String? = null,
        override val year: Int? = null,
        override val description: String = "",
        override val scope3Category: Int? = null,
    ) : ActivityRecord() {
        override val type: RecordType get() = RecordType.FREIGHT

        override fun writeActivity(b: JsonObjectBuilder) {
            b.put("legs", legs.jsonArray { it.toJson() })
        }
    }

    /** Purchased goods and services (Scope 3 category 1 by default, or 2). */
    data class PurchasedGoods(
        /** Method. */
        val method: GoodsMethod,
        /** Physical quantity (supplier-specific per unit, average-data). */
        val quantity: Quantity? = null,
        /** Spend (spend-based). */
        val spend: Money? = null,
        /** Registry activity key of the factor (average-data, spend-based). */
        val activity: String? = null,
        /** Geography of the lookup (default: the site's, else `GLO`). */
        val geography: String? = null,
        /** A factor given inline. */
        val factor: InlineFactor? = null,
        /** The supplier's total emissions for this purchase (supplier-specific). */
        val supplierTotal: InlineFactor? = null,
        override val id: String = "",
        override val site: String? = null,
        override val year: Int? = null,
        override val description: String = "",
        override val scope3Category: Int? = null,
    ) : ActivityRecord() {
        override val type: RecordType get() = RecordType.PURCHASED_GOODS

        override fun writeActivity(b: JsonObjectBuilder) {
            b.put("method", method.json())
            b.putOpt("quantity", quantity?.toJson())
            b.putOpt("spend", spend?.toJson())
            b.putOpt("activity", activity?.json())
            b.putOpt("geography", geography?.json())
            b.putOpt("factor", factor?.toJson())
            b.putOpt("supplier_total", supplierTotal?.toJson())
        }
    }

    /** Emissions measured or computed elsewhere, given per gas (Scope 1 by default). */
    data class DirectEmission(
        /** kg of each gas, by gas id. */
        val gases: Map<String, BigDecimal>,
        /** Scope (1 by default; 3 with a category). */
        val scope: Int? = null,
        /** Where the figure comes from. */
        val source: Provenance? = null,
        override val id: String = "",
        override val site: String? = null,
        override val year: Int? = null,
        override val description: String = "",
        override val scope3Category: Int? = null,
    ) : ActivityRecord() {
        override val type: RecordType get() = RecordType.DIRECT_EMISSION

        override fun writeActivity(b: JsonObjectBuilder) {
            b.put("gases", gases.decMapJson())
            b.putOpt("scope", scope?.json())
            b.putOpt("source", source?.toJson())
        }
    }

    /** Steel scrap used in steelmaking: avoided emissions, reported apart from the scopes. */
    data class ScrapUse(
        /** Mass of scrap used. */
        val mass: Quantity,
        override val id: String = "",
        override val site: String? = null,
        override val year: Int? = null,
        override val description: String = "",
        override val scope3Category: Int? = null,
    ) : ActivityRecord() {
        override val type: RecordType get() = RecordType.SCRAP_USE

        override fun writeActivity(b: JsonObjectBuilder) {
            b.put("mass", mass.toJson())
        }
    }

    /** Reads the document. */
    companion object {
        private val COMMON = listOf("id", "site", "year", "description", "scope3_category", "type")

        /** The typed view of an activity record document. */
        fun fromJson(doc: JsonObject): ActivityRecord = read(doc, "record")

        internal fun read(e: JsonElement, w: String): ActivityRecord {
            val d = e.obj(w)
            // The core takes a numeric id as its text.
            val id = when (val v = d.opt("id")) {
                null -> ""
                is JsonPrimitive -> if (v.isString || v.content.toBigDecimalOrNull() != null) v.content else v.str("$w.id")
                else -> v.str("$w.id")
            }
            val site = d.opt("site")?.str("$w.site")
            val year = d.opt("year")?.int("$w.year")
            val description = d.opt("description")?.str("$w.description") ?: ""
            val cat = d.opt("scope3_category")?.int("$w.scope3_category")
            fun q(k: String) = d.opt(k)?.let { Quantity.read(it, "$w.$k") }
            fun x(k: String) = d.opt(k)?.dec("$w.$k")
            fun s(k: String) = d.opt(k)?.str("$w.$k")
            fun f(k: String) = d.opt(k)?.let { InlineFactor.read(it, "$w.$k") }
            fun only(vararg k: String) = d.onlyKeys(w, COMMON + k)
            return when (RecordType.of(d.req("type", w).str("$w.type"))) {
                RecordType.FUEL_COMBUSTION -> {
                    only("fuel", "quantity", "use", "tier", "sector", "ncv_mj_per_unit", "carbon_content_kgc_per_gj", "oxidation", "ch4_kg_per_tj", "n2o_kg_per_tj", "density_kg_per_m3")
                    FuelCombustion(
                        fuel = d.req("fuel", w).str("$w.fuel"),
                        quantity = Quantity.read(d.req("quantity", w), "$w.quantity"),
                        use = s("use")?.let { CombustionUse.of(it) },
                        tier = s("tier")?.let { Tier.of(it) },
                        sector = s("sector")?.let { Sector.of(it) },
                        ncvMjPerUnit = x("ncv_mj_per_unit"),
                        carbonContentKgcPerGj = x("carbon_content_kgc_per_gj"),
                        oxidation = x("oxidation"),
                        ch4KgPerTj = x("ch4_kg_per_tj"),
                        n2oKgPerTj = x("n2o_kg_per_tj"),
                        densityKgPerM3 = x("density_kg_per_m3"),
                        id = id, site = site, year = year, description = description, scope3Category = cat,
                    )
                }
                RecordType.ELECTRICITY -> {
                    only("energy", "carrier", "geography", "location_factor", "instruments", "residual_factor")
                    Electricity(
                        energy = Quantity.read(d.req("energy", w), "$w.energy"),
                        carrier = s("carrier")?.let { Carrier.of(it) },
                        geography = s("geography"),
                        locationFactor = f("location_factor"),
                        instruments = d.opt("instruments")?.list("$w.instruments", Instrument::read) ?: emptyList(),
                        residualFactor = f("residual_factor"),
                        id = id, site = site, year = year, description = description, scope3Category = cat,
                    )
                }
                RecordType.REFRIGERANT -> Refrigerant(
                    gas = d.req("gas", w).str("$w.gas"),
                    method = RefrigerantMethod.read(d, w, COMMON + "gas"),
                    id = id, site = site, year = year, description = description, scope3Category = cat,
                )
                RecordType.FREIGHT -> {
                    only("legs")
                    Freight(
                        legs = d.req("legs", w).list("$w.legs", Leg::read),
                        id = id, site = site, year = year, description = description, scope3Category = cat,
                    )
                }
                RecordType.PURCHASED_GOODS -> {
                    only("method", "quantity", "spend", "activity", "geography", "factor", "supplier_total")
                    PurchasedGoods(
                        method = GoodsMethod.of(d.req("method", w).str("$w.method")),
                        quantity = q("quantity"),
                        spend = d.opt("spend")?.let { Money.read(it, "$w.spend") },
                        activity = s("activity"),
                        geography = s("geography"),
                        factor = f("factor"),
                        supplierTotal = f("supplier_total"),
                        id = id, site = site, year = year, description = description, scope3Category = cat,
                    )
                }
                RecordType.DIRECT_EMISSION -> {
                    only("gases", "scope", "source")
                    DirectEmission(
                        gases = d.req("gases", w).decMap("$w.gases"),
                        scope = d.opt("scope")?.int("$w.scope"),
                        source = d.opt("source")?.let { Provenance.read(it, "$w.source") },
                        id = id, site = site, year = year, description = description, scope3Category = cat,
                    )
                }
                RecordType.SCRAP_USE -> {
                    only("mass")
                    ScrapUse(
                        mass = Quantity.read(d.req("mass", w), "$w.mass"),
                        id = id, site = site, year = year, description = description, scope3Category = cat,
                    )
                }
            }
        }
    }
}

/** An exchange rate: 1 [from] = [rate] [to], in [year] (annual average). */
data class ExchangeRate(
    /** Currency converted from. */
    val from: String,
    /** Currency converted to. */
    val to: String,
    /** Year of the rate. */
    val year: Int,
    /** Units of [to] per unit of [from]. */
    val rate: BigDecimal,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("from", from.json())
        put("to", to.json())
        put("year", year.json())
        put("rate", rate.toJson())
    }

    internal companion object {
        fun read(e: JsonElement, w: String): ExchangeRate {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("from", "to", "year", "rate"))
            return ExchangeRate(
                from = d.req("from", w).str("$w.from"),
                to = d.req("to", w).str("$w.to"),
                year = d.req("year", w).int("$w.year"),
                rate = d.req("rate", w).dec("$w.rate"),
            )
        }
    }
}

/** How electricity counts in tonnes of standard coal (GB/T 2589-2020). */
enum class ElectricityTceMethod(override val id: String) : JsonEnum {
    /** Calorific equivalent: 0.1229 kgce/kWh (the default). */
    CALORIFIC("calorific"),
    /** Equal value: the year's average coal consumption of power supply, given by the user. */
    EQUAL_VALUE("equal_value");

    /** Reads an id. */
    companion object {
        /** The method of [id]. */
        fun of(id: String): ElectricityTceMethod = enumById(id, "electricity_tce_method")
    }
}

/**
 * Settings shared by all records of a calculation, written flat beside the fields of the
 * `calculate` and `inventory` documents. Null (or empty): the core's default.
 */
data class Settings(
    /** GWP set for CO2e (default AR6). */
    val gwpSet: GwpSet? = null,
    /** Default data year of records without one (`calculate` only; an inventory uses its reporting year). */
    val year: Int? = null,
    /** Where factors come from. */
    val factors: FactorSource = FactorSource(),
    /** Exchange rates for spend-based factors. */
    val exchangeRates: List<ExchangeRate> = emptyList(),
    /** Price indices per currency per year (`{"USD": {"2020": 100, "2023": 125}}`), any base. */
    val priceIndices: Map<String, Map<String, BigDecimal>> = emptyMap(),
    /** Electricity in tce: calorific (default) or equal value. */
    val electricityTceMethod: ElectricityTceMethod? = null,
    /** kgce per kWh for the equal-value method. */
    val equalValueKgcePerKwh: BigDecimal? = null,
) {
    /** Writes the settings flat into a document. */
    internal fun writeTo(b: JsonObjectBuilder) {
        b.putOpt("gwp_set", gwpSet?.json())
        b.putOpt("year", year?.json())
        if (!factors.isDefault) b.put("factors", factors.toJson())
        if (exchangeRates.isNotEmpty()) b.put("exchange_rates", exchangeRates.jsonArray { it.toJson() })
        if (priceIndices.isNotEmpty()) b.put("price_indices", JsonObject(priceIndices.mapValues { it.value.decMapJson() }))
        b.putOpt("electricity_tce_method", electricityTceMethod?.json())
        b.putOpt("equal_value_kgce_per_kwh", equalValueKgcePerKwh?.toJson())
    }

    /** The settings alone as a JSON document. */
    fun toJson(): JsonObject = buildJsonObject { writeTo(this) }

    /** Reads the settings fields of a flat document. */
    companion object {
        /** The names of the settings fields. */
        val FIELDS: List<String> = listOf(
            "gwp_set", "year", "factors", "exchange_rates", "price_indices", "electricity_tce_method", "equal_value_kgce_per_kwh",
        )

        /** The settings fields of [doc] (other fields are ignored). */
        fun fromJson(doc: JsonObject): Settings = Settings(
            gwpSet = doc.opt("gwp_set")?.let { GwpSet.of(it.str("gwp_set")) },
            year = doc.opt("year")?.int("year"),
            factors = doc.opt("factors")?.let { FactorSource.read(it, "factors") } ?: FactorSource(),
            exchangeRates = doc.opt("exchange_rates")?.list("exchange_rates", ExchangeRate::read) ?: emptyList(),
            priceIndices = doc.opt("price_indices")?.obj("price_indices")?.mapValues { (k, v) -> v.decMap("price_indices.$k") } ?: emptyMap(),
            electricityTceMethod = doc.opt("electricity_tce_method")?.let { ElectricityTceMethod.of(it.str("electricity_tce_method")) },
            equalValueKgcePerKwh = doc.opt("equal_value_kgce_per_kwh")?.dec("equal_value_kgce_per_kwh"),
        )
    }
}

/** Input of `calculate`: one record, with its settings and a default geography. */
data class CalculateInput(
    /** The record. */
    val record: ActivityRecord,
    /** GWP set, data year (if the record has none), factors, rates. */
    val settings: Settings = Settings(),
    /** Default geography (as a site's would be). */
    val geography: String? = null,
) {
    /** The JSON document (`{"record": {…}, "gwp_set": …, …}`). */
    fun toJson(): JsonObject = buildJsonObject {
        put("record", record.toJson())
        putOpt("geography", geography?.json())
        settings.writeTo(this)
    }

    /** Reads the document. */
    companion object {
        /** The typed view of a `calculate` input document. */
        fun fromJson(doc: JsonObject): CalculateInput {
            doc.onlyKeys("$", listOf("record", "geography") + Settings.FIELDS)
            return CalculateInput(
                record = ActivityRecord.read(doc.req("record", "$"), "record"),
                settings = Settings.fromJson(doc),
                geography = doc.opt("geography")?.str("geography"),
            )
        }
    }
}

/** How an organisation consolidates its sites (GHG Protocol Corporate Standard, ch. 3). */
enum class Consolidation(override val id: String) : JsonEnum {
    /** The organisation's equity share of each site. */
    EQUITY_SHARE("equity_share"),
    /** 100 % of the sites it operates, 0 % of the others (the default). */
    OPERATIONAL_CONTROL("operational_control"),
    /** 100 % of the sites it financially controls, 0 % of the others. */
    FINANCIAL_CONTROL("financial_control");

    /** Reads an id. */
    companion object {
        /** The approach of [id]. */
        fun of(id: String): Consolidation = enumById(id, "consolidation")
    }
}

/** A site (facility, subsidiary, operation). */
data class Site(
    /** Id used by records. */
    val id: String,
    /** Name. */
    val name: String = "",
    /** Geography code or name (default geography of its records). */
    val geography: String? = null,
    /** Equity share, 0 to 1 (default 1). */
    val equityShare: BigDecimal? = null,
    /** Whether the organisation has operational control (default true). */
    val operationalControl: Boolean? = null,
    /** Whether the organisation has financial control (default true). */
    val financialControl: Boolean? = null,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("id", id.json())
        if (name.isNotEmpty()) put("name", name.json())
        putOpt("geography", geography?.json())
        putOpt("equity_share", equityShare?.toJson())
        putOpt("operational_control", operationalControl?.let { JsonPrimitive(it) })
        putOpt("financial_control", financialControl?.let { JsonPrimitive(it) })
    }

    internal companion object {
        fun read(e: JsonElement, w: String): Site {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("id", "name", "geography", "equity_share", "operational_control", "financial_control"))
            return Site(
                id = d.req("id", w).str("$w.id"),
                name = d.opt("name")?.str("$w.name") ?: "",
                geography = d.opt("geography")?.str("$w.geography"),
                equityShare = d.opt("equity_share")?.dec("$w.equity_share"),
                operationalControl = d.opt("operational_control")?.bool("$w.operational_control"),
                financialControl = d.opt("financial_control")?.bool("$w.financial_control"),
            )
        }
    }
}

/** The reporting organisation. */
data class Organisation(
    /** Name. */
    val name: String,
    /** Consolidation approach (default operational control). */
    val consolidation: Consolidation? = null,
    /** Sites; records name them. */
    val sites: List<Site> = emptyList(),
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("name", name.json())
        putOpt("consolidation", consolidation?.json())
        if (sites.isNotEmpty()) put("sites", sites.jsonArray { it.toJson() })
    }

    internal companion object {
        fun read(e: JsonElement, w: String): Organisation {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("name", "consolidation", "sites"))
            return Organisation(
                name = d.req("name", w).str("$w.name"),
                consolidation = d.opt("consolidation")?.let { Consolidation.of(it.str("$w.consolidation")) },
                sites = d.opt("sites")?.list("$w.sites", Site::read) ?: emptyList(),
            )
        }
    }
}

/** The records of a base year, for the comparison. */
data class BaseYear(
    /** The base year. */
    val year: Int,
    /** Its records. */
    val records: List<ActivityRecord>,
) {
    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("year", year.json())
        put("records", records.jsonArray { it.toJson() })
    }

    internal companion object {
        fun read(e: JsonElement, w: String): BaseYear {
            val d = e.obj(w)
            d.onlyKeys(w, listOf("year", "records"))
            return BaseYear(d.req("year", w).int("$w.year"), d.req("records", w).list("$w.records", ActivityRecord::read))
        }
    }
}

/** Input of `inventory`: an organisation's records of a reporting year, with its settings. */
data class InventoryInput(
    /** The organisation. */
    val organisation: Organisation,
    /** Reporting year (the default data year of records). */
    val reportingYear: Int,
    /** Activity records. */
    val records: List<ActivityRecord>,
    /** The base year and its records. */
    val baseYear: BaseYear? = null,
    /** GWP set, factors, rates; its [Settings.year] must be null (the reporting year is the default data year). */
    val settings: Settings = Settings(),
) {
    init {
        require(settings.year == null) { "inventory: settings.year must be null; the reporting year is the default data year" }
    }

    /** The JSON document. */
    fun toJson(): JsonObject = buildJsonObject {
        put("organisation", organisation.toJson())
        put("reporting_year", reportingYear.json())
        put("records", records.jsonArray { it.toJson() })
        putOpt("base_year", baseYear?.toJson())
        settings.writeTo(this)
    }

    /** Reads the document. */
    companion object {
        /** The typed view of an `inventory` input document. */
        fun fromJson(doc: JsonObject): InventoryInput {
            doc.onlyKeys("$", listOf("organisation", "reporting_year", "records", "base_year") + (Settings.FIELDS - "year"))
            return InventoryInput(
                organisation = Organisation.read(doc.req("organisation", "$"), "organisation"),
                reportingYear = doc.req("reporting_year", "$").int("reporting_year"),
                records = doc.req("records", "$").list("records", ActivityRecord::read),
                baseYear = doc.opt("base_year")?.let { BaseYear.read(it, "base_year") },
                settings = Settings.fromJson(doc),
            )
        }
    }
}
