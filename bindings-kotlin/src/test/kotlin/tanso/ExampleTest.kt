package tanso

import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import java.math.BigDecimal

/** The usage example of README.md, run as a test (keep the two in step). */
class ExampleTest {
    @Test
    fun `README example`() {
        // README-EXAMPLE-START
        // Typed: decimals are java.math.BigDecimal, exact.
        val gj: BigDecimal = Tanso.convert(BigDecimal("1"), "tce", "GJ")       // 29.3076
        val r404a: Gwp = Tanso.gwp("R-404A", "AR4")                              // r404a.gwp == 3921.6

        // Any operation: one JSON document in, one out; decimals are JSON strings.
        val doc = Tanso.convert(buildJsonObject { put("value", "2000"); put("from", "lb"); put("to", "short_ton") })
        val tons: BigDecimal = doc.decimal("value")                              // 1

        // Errors: a TansoException subclass per area, with a stable code.
        val code = try {
            Tanso.convert(BigDecimal.ONE, "kg", "kWh")
            "none"
        } catch (e: TansoException.Units) {
            e.code                                                               // "UNIT_MISMATCH"
        }
        // README-EXAMPLE-END
        assertEquals(BigDecimal("29.3076"), gj)
        assertEquals(BigDecimal("3921.6"), r404a.gwp)
        assertEquals(BigDecimal("1"), tons)
        assertEquals("UNIT_MISMATCH", code)
    }
}
