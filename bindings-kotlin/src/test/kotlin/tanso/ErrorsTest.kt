package tanso

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import tanso.ffi.FfiException
import java.io.File
import java.math.BigDecimal
import kotlin.reflect.KClass

/** Typed errors: a TansoException subclass with `code`, `area` and message for every code. */
class ErrorsTest {
    /** The subclass each area must map to; written out so a new area fails here loudly. */
    private val classOfArea: Map<String, KClass<out TansoException>> = mapOf(
        "units" to TansoException.Units::class,
        "ghg" to TansoException.Ghg::class,
        "factors" to TansoException.Factors::class,
        "accounting" to TansoException.Accounting::class,
        "lca" to TansoException.Lca::class,
        "cbam" to TansoException.Cbam::class,
        "exchange" to TansoException.Exchange::class,
        "materials" to TansoException.Materials::class,
        "product" to TansoException.Product::class,
        "supply" to TansoException.Supply::class,
        "vehicle" to TansoException.Vehicle::class,
        "input" to TansoException.Input::class,
    )

    /** testdata/error_codes.json, or the catalog's `error_codes` if that file is absent. */
    private fun sharedCodes(): List<ErrorCode> {
        val file = File(TestData.dir, "error_codes.json")
        val list = if (file.isFile) TestData.read(file).jsonArray else Tanso.catalog().getValue("error_codes").jsonArray
        return list.map { ErrorCode(it.jsonObject.getValue("code").jsonPrimitive.content, it.jsonObject.getValue("area").jsonPrimitive.content) }
    }

    /** The native exception of an area, as the library would throw it. */
    private fun ffiException(c: ErrorCode, detail: String): FfiException = when (c.area) {
        "units" -> FfiException.Units(c.code, c.area, detail)
        "ghg" -> FfiException.Ghg(c.code, c.area, detail)
        "factors" -> FfiException.Factors(c.code, c.area, detail)
        "accounting" -> FfiException.Accounting(c.code, c.area, detail)
        "lca" -> FfiException.Lca(c.code, c.area, detail)
        "cbam" -> FfiException.Cbam(c.code, c.area, detail)
        "exchange" -> FfiException.Exchange(c.code, c.area, detail)
        "materials" -> FfiException.Materials(c.code, c.area, detail)
        "product" -> FfiException.Product(c.code, c.area, detail)
        "supply" -> FfiException.Supply(c.code, c.area, detail)
        "vehicle" -> FfiException.Vehicle(c.code, c.area, detail)
        else -> FfiException.Input(c.code, c.area, detail)
    }

    @Test
    fun `the shared code list and the library's agree`() {
        assertFalse(sharedCodes().isEmpty())
        assertEquals(sharedCodes().toSet(), Tanso.errorCodes().toSet())
        assertEquals(Tanso.errorCodes().toSet(),
            Tanso.catalog().getValue("error_codes").jsonArray.map {
                ErrorCode(it.jsonObject.getValue("code").jsonPrimitive.content, it.jsonObject.getValue("area").jsonPrimitive.content)
            }.toSet())
    }

    @TestFactory
    fun `every code has a typed exception`(): List<DynamicTest> = sharedCodes().map { c ->
        DynamicTest.dynamicTest("${c.code} (${c.area})") {
            val cls = classOfArea[c.area] ?: error("area '${c.area}' of ${c.code} has no TansoException subclass")
            val native = ffiException(c, "field: what went wrong")
            val e = TansoException.from(native)
            assertTrue(cls.isInstance(e), "${c.code}: got ${e::class}")
            assertEquals(c.code, e.code)
            assertEquals(c.area, e.area)
            assertEquals("field: what went wrong", e.message)
            assertSame(native, e.cause)
        }
    }

    @Test
    fun `unit mismatch is a Units exception naming field, value and what is valid`() {
        val e = assertThrows<TansoException.Units> { Tanso.convert(BigDecimal.ONE, "kg", "kWh") }
        assertEquals("UNIT_MISMATCH", e.code)
        assertEquals("units", e.area)
        assertTrue(e.message.startsWith("to:"), e.message)
        assertTrue("kg" in e.message && "kWh" in e.message && "valid" in e.message, e.message)
        assertTrue(e.cause is FfiException.Units)
    }

    @Test
    fun `unknown gas is a Ghg exception with suggestions`() {
        val e = assertThrows<TansoException.Ghg> { Tanso.gwp("R-404Ax") }
        assertEquals("UNKNOWN_GAS", e.code)
        assertTrue("R-404A" in e.message, e.message)
    }

    @Test
    fun `unknown GWP set is a Ghg exception listing the valid sets`() {
        val e = assertThrows<TansoException.Ghg> { Tanso.gwp("CH4_fossil", "AR9") }
        assertEquals("UNKNOWN_GWP_SET", e.code)
        assertTrue("AR6" in e.message, e.message)
    }

    @Test
    fun `unknown fuel is a Factors exception`() {
        val e = assertThrows<TansoException.Factors> { Tanso.fuel(buildJsonObject { put("fuel", "no-such-fuel") }) }
        assertEquals("UNKNOWN_FUEL", e.code)
        assertEquals("factors", e.area)
    }

    @Test
    fun `CBAM errors are Cbam exceptions naming the field and the value`() {
        val badCode = assertThrows<TansoException.Cbam> { Tanso.cbam_goods(buildJsonObject { put("cn_codes", JsonArray(listOf(JsonPrimitive("72O8")))) }) }
        assertEquals("INVALID_CN_CODE", badCode.code)
        assertEquals("cbam", badCode.area)
        assertTrue(badCode.message.startsWith("cn_codes[0]:") && "72O8" in badCode.message, badCode.message)
        assertTrue(badCode.cause is FfiException.Cbam)

        val noDefault = assertThrows<TansoException.Cbam> {
            Tanso.cbam_embedded(Json.parseToJsonElement("""{"year": 2026, "good": {"cn_code": "7208 51 20", "country": "IN"}}""").jsonObject)
        }
        assertEquals("DEFAULT_VALUE_NOT_FOUND", noDefault.code)
        assertTrue("IN" in noDefault.message, noDefault.message)

        val noPrice = assertThrows<TansoException.Cbam> {
            Tanso.cbam_obligation(Json.parseToJsonElement("""{"year": 2026, "lines": [
                {"good": {"cn_code": "7208", "country": "CN"}, "mass": {"value": "100", "unit": "t"}, "quarter": 4}]}""").jsonObject)
        }
        assertEquals("CERTIFICATE_PRICE_MISSING", noPrice.code)
        assertTrue("2026-Q4" in noPrice.message, noPrice.message)
    }

    @Test
    fun `PACT errors are Exchange exceptions listing the failing fields`() {
        val version = assertThrows<TansoException.Exchange> {
            Tanso.pact_validate(Json.parseToJsonElement("""{"document": {"specVersion": "1.0.0"}}""").jsonObject)
        }
        assertEquals("PACT_UNSUPPORTED_VERSION", version.code)
        assertEquals("exchange", version.area)
        assertTrue(version.message.startsWith("document.specVersion:") && "1.0.0" in version.message, version.message)
        assertTrue(version.cause is FfiException.Exchange)

        val invalid = assertThrows<TansoException.Exchange> {
            Tanso.pact_export(Json.parseToJsonElement("""{"version": "2.3", "declared_unit": "piece"}""").jsonObject)
        }
        assertEquals("PACT_INVALID", invalid.code)
        assertTrue("pcf.declaredUnit" in invalid.message && "piece" in invalid.message, invalid.message)

        // An invalid document is a result of pact_validate, not an exception.
        val result = Tanso.pact_validate(Json.parseToJsonElement("""{"document": {"specVersion": "3.0.0", "id": "x"}}""").jsonObject)
        assertEquals("false", result.getValue("valid").jsonPrimitive.content)
    }

    @Test
    fun `materials and product errors are Materials and Product exceptions`() {
        val notFound = assertThrows<TansoException.Materials> {
            Tanso.materials(Json.parseToJsonElement("""{"action": "lookup", "material": "steel", "form": "forged"}""").jsonObject)
        }
        assertEquals("MATERIAL_NOT_FOUND", notFound.code)
        assertEquals("materials", notFound.area)
        assertTrue("forged" in notFound.message, notFound.message)
        assertTrue(notFound.cause is FfiException.Materials)

        val recycled = assertThrows<TansoException.Materials> {
            Tanso.materials(Json.parseToJsonElement("""{"action": "lookup", "material": "steel", "recycled_content": "1.2"}""").jsonObject)
        }
        assertEquals("INVALID_RECYCLED_CONTENT", recycled.code)
        assertTrue("1.2" in recycled.message, recycled.message)

        val bom = assertThrows<TansoException.Product> {
            Tanso.product_footprint(Json.parseToJsonElement("""{"product": {"id": "p"}, "parts": [{"id": "x"}, {"id": "x"}]}""").jsonObject)
        }
        assertEquals("INVALID_BOM", bom.code)
        assertEquals("product", bom.area)
        assertTrue(bom.message.startsWith("parts[1].id:") && "'x'" in bom.message, bom.message)
        assertTrue(bom.cause is FfiException.Product)

        val cff = assertThrows<TansoException.Product> {
            Tanso.product_footprint(Json.parseToJsonElement("""{"product": {"id": "p"},
                "parts": [{"id": "a", "materials": [{"material": "steel", "route": "bf_bof", "form": "crude", "mass_kg": 1}]}],
                "recycling": {"approach": "cff"}}""").jsonObject)
        }
        assertEquals("RECYCLING_PARAMETER_MISSING", cff.code)
        assertTrue(cff.message.startsWith("recycling.a:"), cff.message)
    }

    @Test
    fun `supply errors are Supply exceptions naming the field and the value`() {
        val network = """{"products": [], "components": [{"id": "c", "suppliers": [
            {"id": "a", "country": "CN", "share": "1", "kg_co2e_per_unit": "1"}]}]}"""
        val unknown = assertThrows<TansoException.Supply> {
            Tanso.supply_network(Json.parseToJsonElement("""{"network": $network, "disruptions": [{"supplier": "b"}]}""").jsonObject)
        }
        assertEquals("UNKNOWN_REFERENCE", unknown.code)
        assertEquals("supply", unknown.area)
        assertTrue(unknown.message.startsWith("disruptions[0].supplier:") && "'b'" in unknown.message, unknown.message)
        assertTrue(unknown.cause is FfiException.Supply)

        val audit = Tanso.supply_audit(Json.parseToJsonElement("""{"company": "X", "network": $network}""").jsonObject)
        assertTrue("single supplier" in audit["markdown"]!!.jsonPrimitive.content)
    }

    @Test
    fun `unknown operation and malformed JSON are Input exceptions`() {
        val unknown = assertThrows<TansoException.Input> { Tanso.call("no_such_op", buildJsonObject {}) }
        assertEquals("UNKNOWN_OPERATION", unknown.code)
        assertTrue("convert" in unknown.message, unknown.message)
        val malformed = assertThrows<TansoException.Input> { Tanso.callJson("convert", "{") }
        assertEquals("INVALID_INPUT", malformed.code)
    }

    @Test
    fun `a failed call changes nothing in the input document`() {
        val input = buildJsonObject { put("value", "1"); put("from", "kg"); put("to", "kWh") }
        val before = input.toString()
        assertThrows<TansoException> { Tanso.convert(input) }
        assertEquals(before, input.toString())
    }

    @Test
    fun `TansoException is catchable as one type`() {
        val e: TansoException = assertThrows { Tanso.convert(BigDecimal.ONE, "kwhr", "MJ") }
        assertEquals("UNKNOWN_UNIT", e.code)
    }
}
