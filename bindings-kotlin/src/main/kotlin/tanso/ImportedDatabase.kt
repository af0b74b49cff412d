package tanso

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import tanso.ffi.FfiImportedDatabase
import tanso.ffi.FfiSourceFile
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.isDirectory
import kotlin.io.path.isRegularFile
import kotlin.io.path.name
import kotlin.io.path.readBytes
import kotlin.io.path.writeBytes

/**
 * An LCA database read from an openLCA JSON-LD export (zip), EcoSpold2 `.spold` files (one, a
 * folder, or a zip of them) or a Brightway datapackage (zip or folder): the system the engine
 * computes on ([model]) and the importer's [report] of what was linked, converted and left out.
 *
 * ```kotlin
 * ImportedDatabase.fromPath(Path.of("uslci.zip")).use { db ->
 *     println(db.report["unlinked"])            // every exchange left out, by name
 *     db.save(Path.of("uslci.tanso"))           // next time: ImportedDatabase.load(…)
 *     db.model().use { model -> model.calculate(request) }
 * }
 * ```
 *
 * Options (JSON, as in [Tanso.lca_import]): `format`, `fallback_locations` (default
 * `["GLO", "RoW"]`), `allocation`, `methods`. Errors are [TansoException.Lca]
 * (`MALFORMED_DATA`, `UNSUPPORTED_SCHEMA`, `MISSING_REFERENCE`, `UNCONVERTIBLE_UNIT`, naming the
 * file and the entity).
 */
class ImportedDatabase private constructor(private val ffi: FfiImportedDatabase) : AutoCloseable {

    /** Imports and reads caches. */
    companion object {
        private fun open(files: List<FfiSourceFile>, options: JsonObject): ImportedDatabase =
            ImportedDatabase(native { FfiImportedDatabase.importFiles(files, options.toString()) })

        /** Imports `(name, bytes)` files (zip archives are unpacked). */
        fun fromFiles(files: List<Pair<String, ByteArray>>, options: JsonObject = JsonObject(emptyMap())): ImportedDatabase =
            open(files.map { (name, bytes) -> FfiSourceFile(name, bytes) }, options)

        /** Imports the bytes of one file (a zip, a `.spold`). */
        fun fromBytes(name: String, bytes: ByteArray, options: JsonObject = JsonObject(emptyMap())): ImportedDatabase =
            fromFiles(listOf(name to bytes), options)

        /** Imports a file, or a folder with every file below it (names relative to it). */
        fun fromPath(path: Path, options: JsonObject = JsonObject(emptyMap())): ImportedDatabase {
            val files = when {
                path.isDirectory() -> Files.walk(path).use { walk ->
                    walk.filter { it.isRegularFile() }.sorted().toList()
                        .map { FfiSourceFile(path.relativize(it).joinToString("/"), it.readBytes()) }
                }
                else -> listOf(FfiSourceFile(path.name, path.readBytes()))
            }
            return open(files, options)
        }

        /** Reads a cache written by [toCache] (`UNSUPPORTED_SCHEMA` for other bytes). */
        fun fromCache(cache: ByteArray): ImportedDatabase = ImportedDatabase(native { FfiImportedDatabase.fromCache(cache) })

        /** Reads a cache written by [save]. */
        fun load(path: Path): ImportedDatabase = fromCache(path.readBytes())
    }

    /**
     * The import report: `format`, `schema_version`, `counts`, `linked` (by the rule's step),
     * `unlinked` (every exchange left out of the matrix, by name, with the reason),
     * `conversions`, `allocations`, `left_out`, `warnings`.
     */
    val report: JsonObject by lazy { Json.parseToJsonElement(native { ffi.report() }).jsonObject }

    /** The system document (as [LcaModel.fromSystem] and [Tanso.lca] take it). */
    fun system(): JsonObject = Json.parseToJsonElement(native { ffi.system() }).jsonObject

    /** Builds and factorizes the engine's model of the database. */
    fun model(): LcaModel = LcaModel.wrap(native { ffi.model() })

    /** The database as a compact binary cache. */
    fun toCache(): ByteArray = native { ffi.toCache() }

    /** Writes the cache to [path]. */
    fun save(path: Path) {
        path.writeBytes(toCache())
    }

    /** Frees the native memory now. */
    override fun close() = ffi.close()
}
