@file:OptIn(kotlinx.serialization.ExperimentalSerializationApi::class)

package tanso

import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.JsonUnquotedLiteral
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.math.BigDecimal

/** Decimals cross as strings and become BigDecimal: never a Double, every digit kept. */
class DecimalTest {
    private val digits28 = "1234567890.123456789012345678"

    @Test
    fun `28 significant digits round-trip exactly through the typed convert`() {
        val out = Tanso.convert(BigDecimal(digits28), "kg", "kg")
        assertEquals(digits28, out.toPlainString())
        assertEquals(BigDecimal(digits28), out) // equals compares scale too
        // A Double could not hold it: the round trip through one loses digits.
        assertTrue(BigDecimal(digits28.toDouble()).compareTo(out) != 0)
    }

    @Test
    fun `28 significant digits round-trip exactly through the JSON document API`() {
        val out = Tanso.convert(buildJsonObject { put("value", digits28); put("from", "kg"); put("to", "kg") })
        val value = out.getValue("value").jsonPrimitive
        assertTrue(value.isString, "decimals come back as JSON strings: $value")
        assertEquals(digits28, value.content)
        assertEquals(BigDecimal(digits28), out.decimal("value"))
    }

    @Test
    fun `exact conversion factors`() {
        assertEquals(BigDecimal("29.3076"), Tanso.convert(BigDecimal.ONE, "tce", "GJ"))
        assertEquals(BigDecimal("1500"), Tanso.convert(BigDecimal("1.5"), "t", "kg"))
        // 1/3-style results keep rust_decimal's 28 digits instead of a binary float's ~17.
        val kwh = Tanso.convert(BigDecimal.ONE, "MJ", "kWh")
        assertTrue(kwh.precision() > 17, kwh.toPlainString())
    }

    @Test
    fun `BigDecimal in scientific notation is sent in plain notation`() {
        assertEquals(JsonPrimitive("1000"), BigDecimal("1E+3").toJson())
        assertEquals(BigDecimal("1"), Tanso.convert(BigDecimal("1E+3"), "kg", "t"))
    }

    @Test
    fun `a JSON number is read from its text, not through a Double`() {
        // 0.1 t: a Double would make 100.000000000000005551… kg; tanso reads the literal 0.1.
        val out = Tanso.convert(buildJsonObject { put("value", JsonUnquotedLiteral("0.1")); put("from", "t"); put("to", "kg") })
        assertEquals(BigDecimal("100"), out.decimal("value"))
        assertEquals(BigDecimal("0.1"), JsonUnquotedLiteral("0.1").toBigDecimal())
    }

    @Test
    fun `typed gwp returns BigDecimals`() {
        val g = Tanso.gwp("R-404A", "AR4")
        assertEquals(BigDecimal("3921.6"), g.gwp)
        assertEquals("AR4", g.gwpSet)
        assertEquals(listOf("HFC-125", "HFC-143a", "HFC-134a"), g.components.map { it.gas })
        val sum = g.components.fold(BigDecimal.ZERO) { acc, c -> acc + c.fraction }
        assertEquals(0, BigDecimal.ONE.compareTo(sum))
    }
}
