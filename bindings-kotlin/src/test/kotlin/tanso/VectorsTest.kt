package tanso

import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicContainer
import org.junit.jupiter.api.DynamicNode
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail
import java.lang.reflect.InvocationTargetException

/** Every case of every file in testdata/vectors, with the shared subset-matching rule. */
class VectorsTest {
    @Test
    fun `vector files are found`() {
        assertFalse(TestData.vectorFiles().isEmpty(), "no vector files under ${TestData.dir}/vectors")
    }

    @Test
    fun `the tolerance rule is relative, and absolute at zero`() {
        val e = Json.parseToJsonElement("""{"a": [1.0, 0, 100], "s": "x"}""")
        assertTrue(subsetMismatches(e, Json.parseToJsonElement("""{"a": [1.0000000001, 1e-13, 100.00000001], "s": "x"}"""), tolerance = 1e-9).isEmpty())
        assertEquals(1, subsetMismatches(e, Json.parseToJsonElement("""{"a": [1.00001, 0, 100], "s": "x"}"""), tolerance = 1e-9).size)
        assertEquals(1, subsetMismatches(e, Json.parseToJsonElement("""{"a": [1, 1e-8, 100], "s": "x"}"""), tolerance = 1e-9).size)
        // Without a tolerance numbers must be equal; strings never get one.
        assertEquals(1, subsetMismatches(e, Json.parseToJsonElement("""{"a": [1.0000000001, 0, 100], "s": "x"}""")).size)
        assertEquals(1, subsetMismatches(Json.parseToJsonElement("\"1.0\""), Json.parseToJsonElement("\"1.00\""), tolerance = 1e-3).size)
    }

    @TestFactory
    fun vectors(): List<DynamicNode> = TestData.vectorFiles().map { file ->
        val cases = TestData.read(file).jsonObject.getValue("cases").jsonArray
        DynamicContainer.dynamicContainer(
            file.name,
            cases.mapIndexed { i, c ->
                val case = c.jsonObject
                val name = case["name"]?.jsonPrimitive?.content ?: "case $i"
                DynamicTest.dynamicTest(name) { runCase("${file.name}: $name", case) }
            },
        )
    }

    private fun runCase(where: String, case: JsonObject) {
        val op = case.getValue("operation").jsonPrimitive.content
        val input = case.getValue("input")
        val expected = case["expected"]
        val error = case["error"]?.jsonPrimitive?.content
        when {
            error != null -> {
                val e = assertThrows<TansoException>("$where: expected $error") { invoke(op, input) }
                assertEquals(error, e.code, "$where: wrong code; message: ${e.message}")
            }
            expected != null -> {
                val out = invoke(op, input)
                val tolerance = case["tolerance"]?.jsonPrimitive?.content?.toDouble()
                val bad = subsetMismatches(expected, out, tolerance = tolerance)
                assertTrue(bad.isEmpty(), "$where: ${bad.joinToString("; ")}\noutput: $out")
            }
            else -> fail("$where: case has neither 'expected' nor 'error'")
        }
    }

    /**
     * Calls the operation through its named function of [Tanso] (so every named function is
     * exercised on real documents); an operation with no such function (the unknown-operation
     * cases) goes through [Tanso.call], and a non-object input through [Tanso.callJson].
     */
    private fun invoke(op: String, input: JsonElement): JsonElement {
        if (input !is JsonObject) return Json.parseToJsonElement(Tanso.callJson(op, input.toString()))
        val method = runCatching { Tanso::class.java.getMethod(op, JsonObject::class.java) }.getOrNull()
            ?: return Tanso.call(op, input)
        try {
            return method.invoke(Tanso, input) as JsonObject
        } catch (e: InvocationTargetException) {
            throw e.targetException
        }
    }
}
