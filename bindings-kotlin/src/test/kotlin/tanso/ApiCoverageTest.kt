package tanso

import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Every operation the library has is a function of [Tanso] with the same name. */
class ApiCoverageTest {
    private fun documentFunctions(): Set<String> =
        Tanso::class.java.methods
            .filter { it.parameterTypes.toList() == listOf(JsonObject::class.java) && it.returnType == JsonObject::class.java }
            .map { it.name }
            .toSet()

    @Test
    fun `every operation in the catalog has a Tanso function of the same name`() {
        val catalogOps = Tanso.catalog().getValue("operations").jsonArray.map { it.jsonObject.getValue("name").jsonPrimitive.content }
        assertTrue(catalogOps.isNotEmpty())
        val missing = catalogOps - documentFunctions()
        assertTrue(missing.isEmpty(), "operations with no Tanso function: $missing")
    }

    @Test
    fun `Tanso has no document function that the library lacks`() {
        val extra = documentFunctions() - Tanso.operations().map { it.name }.toSet() - setOf("call")
        assertTrue(extra.isEmpty(), "Tanso functions that are not operations of the library: $extra")
    }

    @Test
    fun `operations() and the catalog list the same operations`() {
        val catalogOps = Tanso.catalog().getValue("operations").jsonArray.map {
            val o = it.jsonObject
            Operation(o.getValue("name").jsonPrimitive.content, o.getValue("summary").jsonPrimitive.content)
        }
        assertEquals(catalogOps, Tanso.operations())
    }

    @Test
    fun `every named function reaches a known operation`() {
        // Called with {}, an operation returns a result or rejects the document; it must never
        // answer UNKNOWN_OPERATION, which would mean the function's name is not the op's.
        for (op in Tanso.operations().map { it.name }) {
            val method = Tanso::class.java.getMethod(op, JsonObject::class.java)
            val cause = runCatching { method.invoke(Tanso, JsonObject(emptyMap())) }.exceptionOrNull()?.cause
            if (cause != null) {
                assertTrue(cause is TansoException, "$op: threw a non-tanso exception: $cause")
                assertNotEquals("UNKNOWN_OPERATION", (cause as TansoException).code, "$op: ${cause.message}")
            }
        }
    }

    @Test
    fun `version is the library's`() {
        assertTrue(Tanso.version().matches(Regex("""\d+\.\d+\.\d+.*""")), Tanso.version())
    }
}
