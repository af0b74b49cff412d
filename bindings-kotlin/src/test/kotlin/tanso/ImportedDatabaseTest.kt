package tanso

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.addJsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.double
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonArray
import kotlinx.serialization.json.putJsonObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.ByteArrayOutputStream
import java.io.File
import java.nio.file.Path
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

/**
 * [ImportedDatabase]: a database from a folder, a zip or bytes, with the report, the model and
 * the cache. The formats are tested in core and, case by case, in the shared vectors
 * (testdata/vectors/import_*.json, run by [VectorsTest]).
 */
class ImportedDatabaseTest {
    private val mini = File(TestData.dir, "import/mini")
    private val steel = NodeId.of("a-steel_p-steel")
    private val gwp: JsonObject = buildJsonObject {
        putJsonArray("methods") {
            addJsonObject {
                put("id", "GWP")
                put("unit", "kg CO2e")
                putJsonArray("factors") { addJsonObject { put("flow", "f-co2"); put("factor", 1) } }
            }
        }
    }

    private fun spolds() = mini.listFiles { f -> f.name.endsWith(".spold") }!!.sortedBy { it.name }

    private fun zip(): ByteArray {
        val out = ByteArrayOutputStream()
        ZipOutputStream(out).use { z ->
            for (f in spolds()) {
                z.putNextEntry(ZipEntry(f.name))
                z.write(f.readBytes())
                z.closeEntry()
            }
        }
        return out.toByteArray()
    }

    private fun check(db: ImportedDatabase) {
        val r = db.report
        assertEquals("ecospold2", r["format"]!!.jsonPrimitive.content)
        assertEquals(2, r["counts"]!!.jsonObject["activities"]!!.jsonPrimitive.int)
        assertEquals(1, r["counts"]!!.jsonObject["methods"]!!.jsonPrimitive.int)
        val unlinked = r["unlinked"]!!.jsonArray.map { it.jsonObject["product_name"]!!.jsonPrimitive.content }
        assertEquals(listOf("tap water"), unlinked)
        db.model().use { model ->
            // hand calculation (testdata/import/mini/README.md): 1.8 + 0.5 × 0.6 = 2.1 kg CO2e per kg steel
            val score = model.scores(model.demandVector(mapOf(steel to 1.0)))[0]
            assertEquals(2.1, score, 1e-12)
        }
    }

    @Test
    fun `a folder, a zip and bytes import alike`() {
        ImportedDatabase.fromPath(mini.toPath(), gwp).use(::check)
        ImportedDatabase.fromBytes("mini.zip", zip(), gwp).use(::check)
        ImportedDatabase.fromFiles(spolds().map { it.name to it.readBytes() }, gwp).use(::check)
    }

    @Test
    fun `the cache restores the database`(@TempDir dir: Path) {
        ImportedDatabase.fromPath(mini.toPath(), gwp).use { db ->
            val path = dir.resolve("mini.tanso")
            db.save(path)
            ImportedDatabase.load(path).use { again ->
                assertEquals(db.report, again.report)
                assertEquals(db.system(), again.system())
                check(again)
            }
        }
    }

    @Test
    fun `the document operation gives the same scores`() {
        val doc = buildJsonObject {
            putJsonArray("files") {
                for (f in spolds()) addJsonObject { put("name", f.name); put("text", f.readText()) }
            }
            put("options", gwp)
            putJsonObject("calculate") {
                putJsonArray("demands") {
                    addJsonObject { putJsonArray("amounts") { addJsonObject { put("id", "a-steel_p-steel"); put("amount", 2) } } }
                }
            }
        }
        val out = Tanso.lca_import(doc)
        val score = out["results"]!!.jsonArray[0].jsonObject["scores"]!!.jsonObject["GWP"]!!.jsonPrimitive.double
        assertEquals(4.2, score, 1e-12)
    }

    @Test
    fun `bad files are typed errors naming the file`() {
        val broken = assertThrows<TansoException.Lca> { ImportedDatabase.fromBytes("broken.zip", byteArrayOf(80, 75, 3, 4, 0)) }
        assertEquals("MALFORMED_DATA", broken.code)
        assertTrue("broken.zip" in broken.message!!, broken.message)
        assertEquals("UNSUPPORTED_SCHEMA", assertThrows<TansoException.Lca> { ImportedDatabase.fromBytes("notes.txt", "hello".toByteArray()) }.code)
        assertEquals("UNSUPPORTED_SCHEMA", assertThrows<TansoException.Lca> { ImportedDatabase.fromCache(byteArrayOf(1, 2, 3)) }.code)
        val options = Json.parseToJsonElement("""{"allocation": "alphabetical"}""").jsonObject
        assertEquals("INVALID_INPUT", assertThrows<TansoException.Input> { ImportedDatabase.fromPath(mini.toPath(), options) }.code)
    }
}
