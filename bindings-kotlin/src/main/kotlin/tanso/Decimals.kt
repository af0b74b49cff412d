package tanso

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.math.BigDecimal

// Decimals cross the binding as JSON strings ("29.3076") and become java.math.BigDecimal:
// never a Double, so every digit survives (28 significant digits, as in the Rust core).

/** This decimal as the JSON string tanso expects: plain notation, every digit kept. */
fun BigDecimal.toJson(): JsonPrimitive = JsonPrimitive(toPlainString())

/**
 * This JSON value as a [BigDecimal]: a decimal string such as `"29.3076"` (as tanso writes
 * them), or a JSON number, read from its text and never through a Double.
 */
fun JsonElement.toBigDecimal(): BigDecimal {
    val p = this as? JsonPrimitive
    require(p != null && p !is JsonNull) { "expected a decimal, got $this" }
    return p.content.toBigDecimalOrNull() ?: throw IllegalArgumentException("expected a decimal, got $this")
}

/** The decimal at [key] of this result document. */
fun JsonObject.decimal(key: String): BigDecimal = field(key).toBigDecimal()

/** The string at [key] of this result document. */
fun JsonObject.string(key: String): String {
    val p = field(key) as? JsonPrimitive
    require(p != null && p.isString) { "$key: expected a string, got ${this[key]}" }
    return p.content
}

private fun JsonObject.field(key: String): JsonElement =
    this[key] ?: throw IllegalArgumentException("$key: missing in $this")
