package tanso

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.io.File

/** The repository's testdata/ folder, read in place (set by surefire; `../testdata` otherwise). */
object TestData {
    val dir: File = File(System.getProperty("tanso.testdata.dir") ?: "../testdata").canonicalFile

    /** Every vector file, sorted by name; new files are picked up without a code change. */
    fun vectorFiles(): List<File> =
        File(dir, "vectors").listFiles { f -> f.isFile && f.name.endsWith(".json") }.orEmpty().sortedBy { it.name }

    fun read(file: File): JsonElement = Json.parseToJsonElement(file.readText())
}

/**
 * The matching rule of testdata/vectors/README.md: [expected] is a subset of [actual]. Objects
 * match when every expected key is present and matches; arrays when they have the same length
 * and each element matches; scalars when equal (strings as strings, numbers by value, or, with
 * a relative [tolerance], when |e − a| ≤ tolerance · max(|e|, |a|), or |a| ≤ tolerance when
 * e = 0). Returns the mismatches, each with its JSON path; empty when it matches.
 */
fun subsetMismatches(expected: JsonElement, actual: JsonElement?, path: String = "$", tolerance: Double? = null): List<String> =
    when (expected) {
        is JsonObject -> if (actual !is JsonObject) {
            listOf("$path: expected an object, got $actual")
        } else {
            expected.flatMap { (k, v) ->
                if (k !in actual) listOf("$path.$k: missing") else subsetMismatches(v, actual[k], "$path.$k", tolerance)
            }
        }
        is JsonArray -> when {
            actual !is JsonArray -> listOf("$path: expected an array, got $actual")
            actual.size != expected.size -> listOf("$path: expected ${expected.size} elements, got ${actual.size}: $actual")
            else -> expected.indices.flatMap { i -> subsetMismatches(expected[i], actual[i], "$path[$i]", tolerance) }
        }
        is JsonNull -> if (actual is JsonNull) emptyList() else listOf("$path: expected null, got $actual")
        is JsonPrimitive -> if (scalarEquals(expected, actual, tolerance)) emptyList() else listOf("$path: expected $expected, got $actual")
    }

private fun scalarEquals(e: JsonPrimitive, a: JsonElement?, tolerance: Double?): Boolean {
    if (a !is JsonPrimitive || a is JsonNull) return false
    if (e.isString || a.isString) return e.isString == a.isString && e.content == a.content
    val en = e.content.toBigDecimalOrNull()
    val an = a.content.toBigDecimalOrNull()
    if (en == null || an == null) return e.content == a.content
    if (tolerance == null) return en.compareTo(an) == 0
    return closeTo(en.toDouble(), an.toDouble(), tolerance)
}

/** The relative tolerance of the vectors' rule: |e − a| ≤ tol · max(|e|, |a|), or |a| ≤ tol when e = 0. */
fun closeTo(e: Double, a: Double, tolerance: Double): Boolean =
    if (e == 0.0) Math.abs(a) <= tolerance else Math.abs(e - a) <= tolerance * maxOf(Math.abs(e), Math.abs(a))
