package tanso

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonObjectBuilder
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import java.math.BigDecimal

// Readers and writers shared by the typed documents (AccountingTypes.kt, FactorTypes.kt).
// A document of the wrong shape is an IllegalArgumentException naming the field's path.

/**
 * A closed set of values written as a JSON string: [id] is the string tanso reads and writes
 * (`"equity_share"`, `"AR6"`).
 */
interface JsonEnum {
    /** The JSON string of this value. */
    val id: String
}

/** The value of [E] whose [JsonEnum.id] is [id]; [ignoreCase] as the core does for GWP sets. */
internal inline fun <reified E> enumById(id: String, where: String, ignoreCase: Boolean = false): E
    where E : Enum<E>, E : JsonEnum =
    (if (ignoreCase) id.trim() else id).let { key -> enumValues<E>().firstOrNull { it.id.equals(key, ignoreCase) } }
        ?: throw IllegalArgumentException("$where: '$id' is not one of ${enumValues<E>().joinToString { it.id }}")

/** Fails on a key that is not in [known] (the core denies unknown fields of its input documents too). */
internal fun JsonObject.onlyKeys(where: String, known: Collection<String>) {
    val extra = keys - known.toSet()
    require(extra.isEmpty()) { "$where: unknown field(s) ${extra.joinToString()}; expected ${known.joinToString()}" }
}

/** The value at [key], or null when it is absent or JSON null. */
internal fun JsonObject.opt(key: String): JsonElement? = this[key]?.takeIf { it !is JsonNull }

/** The value at [key]; fails when it is absent or null. */
internal fun JsonObject.req(key: String, where: String): JsonElement =
    opt(key) ?: throw IllegalArgumentException("$where.$key: missing")

internal fun JsonElement.obj(where: String): JsonObject =
    this as? JsonObject ?: throw IllegalArgumentException("$where: expected an object, got $this")

internal fun JsonElement.arr(where: String): JsonArray =
    this as? JsonArray ?: throw IllegalArgumentException("$where: expected an array, got $this")

internal fun JsonElement.str(where: String): String {
    val p = this as? JsonPrimitive
    require(p != null && p.isString) { "$where: expected a string, got $this" }
    return p.content
}

internal fun JsonElement.int(where: String): Int {
    val p = this as? JsonPrimitive
    require(p != null && p !is JsonNull && !p.isString) { "$where: expected an integer, got $this" }
    return p.content.toIntOrNull() ?: throw IllegalArgumentException("$where: expected an integer, got $this")
}

internal fun JsonElement.bool(where: String): Boolean {
    val p = this as? JsonPrimitive
    return (if (p != null && !p.isString) p.booleanOrNull else null)
        ?: throw IllegalArgumentException("$where: expected true or false, got $this")
}

internal fun JsonElement.dec(where: String): BigDecimal = try {
    toBigDecimal()
} catch (e: IllegalArgumentException) {
    throw IllegalArgumentException("$where: expected a decimal, got $this", e)
}

/** An object of decimals (`{"CO2": "1.9"}`), in the document's order. */
internal fun JsonElement.decMap(where: String): Map<String, BigDecimal> =
    obj(where).entries.associate { (k, v) -> k to v.dec("$where.$k") }

/** An object of decimals with integer keys (`{"4": "500"}`). */
internal fun JsonElement.intKeyDecMap(where: String): Map<Int, BigDecimal> =
    obj(where).entries.associate { (k, v) ->
        (k.toIntOrNull() ?: throw IllegalArgumentException("$where: key '$k' is not an integer")) to v.dec("$where.$k")
    }

internal fun <T> JsonElement.list(where: String, item: (JsonElement, String) -> T): List<T> =
    arr(where).mapIndexed { i, e -> item(e, "$where[$i]") }

internal fun JsonObjectBuilder.putOpt(key: String, value: JsonElement?) {
    if (value != null) put(key, value)
}

internal fun String.json(): JsonPrimitive = JsonPrimitive(this)

internal fun Int.json(): JsonPrimitive = JsonPrimitive(this)

internal fun JsonEnum.json(): JsonPrimitive = JsonPrimitive(id)

internal fun Map<String, BigDecimal>.decMapJson(): JsonObject = JsonObject(mapValues { it.value.toJson() })

internal fun Map<Int, BigDecimal>.intKeyDecMapJson(): JsonObject =
    JsonObject(entries.associate { (k, v) -> k.toString() to v.toJson() })

internal fun <T> List<T>.jsonArray(item: (T) -> JsonElement): JsonArray = JsonArray(map(item))
