package tanso

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.longOrNull
import kotlinx.serialization.json.put
import tanso.ffi.FfiCsc
import tanso.ffi.FfiIndexedMethod
import tanso.ffi.FfiLcaModel
import tanso.ffi.FfiLcaProgress
import tanso.ffi.FfiNodeId
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.util.concurrent.atomic.AtomicReference

/**
 * The id of an activity (= its reference product) or of an elementary flow: an integer or a
 * text, as the data has it (`"steel"`, a Brightway database id, a matrix index).
 */
sealed class NodeId {
    /** An integer id. */
    data class Integer(
        /** The id. */
        val value: Long,
    ) : NodeId() {
        override fun toString(): String = value.toString()
    }

    /** A text id. */
    data class Text(
        /** The id. */
        val value: String,
    ) : NodeId() {
        override fun toString(): String = value
    }

    /** This id as it appears in the JSON documents (a number or a string). */
    fun toJson(): JsonPrimitive = when (this) {
        is Integer -> JsonPrimitive(value)
        is Text -> JsonPrimitive(value)
    }

    /** Builds ids. */
    companion object {
        /** An integer id. */
        fun of(value: Long): NodeId = Integer(value)

        /** A text id. */
        fun of(value: String): NodeId = Text(value)

        /** The id of a JSON document: a whole number is an [Integer], a string a [Text]. */
        fun fromJson(json: JsonPrimitive): NodeId =
            if (json.isString) Text(json.content) else Integer(requireNotNull(json.longOrNull) { "not an id: $json" })

        internal fun of(id: FfiNodeId): NodeId = when (id) {
            is FfiNodeId.Integer -> Integer(id.value)
            is FfiNodeId.Text -> Text(id.value)
        }

        internal fun ffi(id: NodeId): FfiNodeId = when (id) {
            is Integer -> FfiNodeId.Integer(id.value)
            is Text -> FfiNodeId.Text(id.value)
        }
    }
}

/**
 * A sparse matrix in compressed sparse column (CSC) form, duplicates summed: the values of
 * column `j` are `values[colPtr[j] until colPtr[j + 1]]`, in rows `rowIdx[…]` (the layout of
 * SciPy's `csc_matrix` and EJML's `DMatrixSparseCSC`).
 */
class SparseMatrix(
    /** Number of rows. */
    val nrows: Int,
    /** Number of columns. */
    val ncols: Int,
    /** Start of each column in [rowIdx] and [values]; `ncols + 1` entries. */
    val colPtr: IntArray,
    /** Row of each stored value. */
    val rowIdx: IntArray,
    /** The stored values. */
    val values: DoubleArray,
) {
    /** The value at ([row], [col]), 0 where none is stored. */
    operator fun get(row: Int, col: Int): Double {
        for (k in colPtr[col] until colPtr[col + 1]) if (rowIdx[k] == row) return values[k]
        return 0.0
    }

    internal companion object {
        fun of(m: FfiCsc): SparseMatrix = SparseMatrix(
            Math.toIntExact(m.nrows.toLong()), Math.toIntExact(m.ncols.toLong()),
            m.colPtr.toInts(), m.rowIdx.toInts(), m.values.toDoubles(),
        )
    }
}

/**
 * A product system factorized once for many calculations: new demands, intensities and
 * Monte Carlo runs reuse the factorization (the `lca` operation rebuilds it on every call).
 *
 * Vectors are in matrix order: a demand or a supply has one entry per activity
 * ([activityIds]), an inventory one per flow ([flowIds]), scores one per method
 * ([methodIds]). Documents are the `lca` and `lca_monte_carlo` documents without `"system"`;
 * results are binary64 numbers. Errors are [TansoException]s (mostly [TansoException.Lca]).
 *
 * ```kotlin
 * LcaModel.fromSystem(system).use { model ->
 *     val f = model.demandVector(mapOf(NodeId.of("steel") to 1.0))
 *     val gwp = model.scores(f)[0]
 * }
 * ```
 *
 * Thread-safe: one model may serve calls from several threads at once. [close] frees the
 * native memory now (otherwise a cleaner frees it after garbage collection).
 */
class LcaModel private constructor(private val ffi: FfiLcaModel) : AutoCloseable {

    /** Builds models. */
    companion object {
        /** Wraps a native model built elsewhere (an [ImportedDatabase]). */
        internal fun wrap(ffi: FfiLcaModel): LcaModel = LcaModel(ffi)

        /** Builds and factorizes a system from its document (the `"system"` of [Tanso.lca]). */
        fun fromSystem(system: JsonObject): LcaModel = LcaModel(native { FfiLcaModel.fromJson(system.toString()) })

        /** Builds and factorizes a system from its document given as JSON text. */
        fun fromSystemJson(system: String): LcaModel = LcaModel(native { FfiLcaModel.fromJson(system) })

        /**
         * Builds and factorizes a system given by indices (0-based), as triplets whose
         * duplicates are summed:
         * - the technosphere `A` (`nActivities` × `nActivities`, signed: production positive,
         *   inputs negative): [techRows], [techCols], [techValues];
         * - the biosphere `B` (`nFlows` × `nActivities`): [bioRows], [bioCols], [bioValues];
         * - [methods]: method id → (flow indices, characterization factors);
         * - [techUncertainty], [bioUncertainty]: triplet position → distribution document
         *   (`{"kind": "lognormal", "sigma": 0.2}`, as in the system document; a lognormal
         *   without `mu` is centred on the entry's value);
         * - [activityIds], [flowIds]: the ids (default: the indices, as [NodeId.Integer]).
         */
        fun fromArrays(
            nActivities: Int,
            nFlows: Int,
            techRows: LongArray,
            techCols: LongArray,
            techValues: DoubleArray,
            bioRows: LongArray,
            bioCols: LongArray,
            bioValues: DoubleArray,
            methods: Map<String, Pair<LongArray, DoubleArray>> = emptyMap(),
            techUncertainty: Map<Int, JsonObject> = emptyMap(),
            bioUncertainty: Map<Int, JsonObject> = emptyMap(),
            activityIds: List<NodeId>? = null,
            flowIds: List<NodeId>? = null,
        ): LcaModel {
            val ffiMethods = methods.map { (id, f) -> FfiIndexedMethod(id, f.first.toBytes(), f.second.toBytes()) }
            val uncertainty = if (techUncertainty.isEmpty() && bioUncertainty.isEmpty()) "" else buildJsonObject {
                put("technosphere", techUncertainty.toJsonPairs())
                put("biosphere", bioUncertainty.toJsonPairs())
            }.toString()
            return LcaModel(native {
                FfiLcaModel.fromArrays(
                    nActivities.toLong(), nFlows.toLong(),
                    techRows.toDirect(), techCols.toDirect(), techValues.toDirect(),
                    bioRows.toDirect(), bioCols.toDirect(), bioValues.toDirect(),
                    ffiMethods, uncertainty,
                    activityIds?.map(NodeId::ffi), flowIds?.map(NodeId::ffi),
                )
            })
        }

        /** [fromArrays] with `Int` indices. */
        fun fromArrays(
            nActivities: Int,
            nFlows: Int,
            techRows: IntArray,
            techCols: IntArray,
            techValues: DoubleArray,
            bioRows: IntArray,
            bioCols: IntArray,
            bioValues: DoubleArray,
            methods: Map<String, Pair<IntArray, DoubleArray>> = emptyMap(),
            techUncertainty: Map<Int, JsonObject> = emptyMap(),
            bioUncertainty: Map<Int, JsonObject> = emptyMap(),
            activityIds: List<NodeId>? = null,
            flowIds: List<NodeId>? = null,
        ): LcaModel = fromArrays(
            nActivities, nFlows,
            techRows.toLongs(), techCols.toLongs(), techValues,
            bioRows.toLongs(), bioCols.toLongs(), bioValues,
            methods.mapValues { (_, f) -> f.first.toLongs() to f.second },
            techUncertainty, bioUncertainty, activityIds, flowIds,
        )

        /**
         * Reads a dump of `bench_bw2calc.py` (the `.npz` and `.json` files' bytes) and
         * factorizes it; its one method is `score`. Broken bytes: [TansoException.Lca]
         * `MALFORMED_DATA`.
         */
        fun fromDump(npz: ByteArray, json: ByteArray): LcaModel =
            LcaModel(native { FfiLcaModel.fromDump(npz.toDirect(), json.toDirect()) })

        private fun Map<Int, JsonObject>.toJsonPairs() = buildJsonArray {
            for ((entry, distribution) in this@toJsonPairs) {
                add(buildJsonArray { add(JsonPrimitive(entry)); add(distribution) })
            }
        }
    }

    // The ids are read once, when the model is built, and stay readable after close().

    /** Activity (= product) ids in matrix order: the positions of a demand or supply vector. */
    val activityIds: List<NodeId> = ffi.activityIds().map(NodeId::of)

    /** Elementary flow ids in matrix order: the positions of an inventory vector. */
    val flowIds: List<NodeId> = ffi.flowIds().map(NodeId::of)

    /** Method ids in order: the positions of a scores vector. */
    val methodIds: List<String> = ffi.methodIds()

    /**
     * The dense demand vector (one amount per activity) of a functional unit document,
     * `{"amounts": [{"id": "steel", "amount": 1}]}`: product ids are resolved to the
     * activities producing them, as in [calculate].
     */
    fun demandVector(demand: JsonObject): DoubleArray = native { ffi.demandVector(demand.toString()) }.toDoubles()

    /** [demandVector] of product (or activity) id → amount. */
    fun demandVector(amounts: Map<NodeId, Double>): DoubleArray = demandVector(buildJsonObject {
        put("amounts", buildJsonArray {
            for ((id, amount) in amounts) add(buildJsonObject { put("id", id.toJson()); put("amount", amount) })
        })
    })

    /** The technosphere matrix `A` (products × activities, production positive, inputs negative). */
    fun technosphere(): SparseMatrix = SparseMatrix.of(native { ffi.technosphere() })

    /** The biosphere matrix `B` (flows × activities). */
    fun biosphere(): SparseMatrix = SparseMatrix.of(native { ffi.biosphere() })

    /** Sizes, loop blocks, methods, parameters, number of uncertain values. */
    fun describe(): JsonObject = parse(native { ffi.describe() })

    /**
     * Answers a calculation request: the [Tanso.lca] document without `"system"`
     * (`{demands, methods?, include?, top?, cutoff?, max_nodes?, scenarios?}`).
     */
    fun calculate(request: JsonObject): JsonObject = parse(native { ffi.calculate(request.toString()) })

    /**
     * Runs a Monte Carlo request: the [Tanso.lca_monte_carlo] document without `"system"`
     * (`{demands, iterations, seed, threads?, include_samples?, …}`); the same seed gives the
     * same draws on every platform and in every language.
     *
     * [progress] receives `(done, total)` as iterations finish. The engine's worker threads
     * call it, one call at a time, with `done` strictly increasing; the last call is
     * `(total, total)`. If it throws, it is not called again, the run finishes, and the
     * exception is then thrown from here.
     */
    fun monteCarlo(request: JsonObject, progress: ((Long, Long) -> Unit)? = null): JsonObject {
        val relay = progress?.let(::ProgressRelay)
        val out = native { ffi.monteCarlo(request.toString(), relay) }
        relay?.failure?.get()?.let { throw it }
        return parse(out)
    }

    /** Supply `x = A⁻¹ f` of the demand `f` (one amount per activity; see [demandVector]). */
    fun supply(demand: DoubleArray): DoubleArray = native { ffi.supply(demand.toDirect()) }.toDoubles()

    /** Inventory `g = B A⁻¹ f`: one amount per flow ([flowIds]). */
    fun inventory(demand: DoubleArray): DoubleArray = native { ffi.inventory(demand.toDirect()) }.toDoubles()

    /** Scores `cᵀ B A⁻¹ f`: one per method ([methodIds]). */
    fun scores(demand: DoubleArray): DoubleArray = native { ffi.scores(demand.toDirect()) }.toDoubles()

    /**
     * Cradle-to-gate score of one unit of every product under [method] (one adjoint solve):
     * `intensities(m)[j]` is the score of the demand "1 unit of product j".
     */
    fun intensities(method: String): DoubleArray = native { ffi.intensities(method) }.toDoubles()

    /** Frees the native model now; later calls fail with an `IllegalStateException`. */
    override fun close() = ffi.close()

    private fun parse(text: String): JsonObject = Json.parseToJsonElement(text).jsonObject

    /**
     * Passes the engine's progress to a Kotlin function: serialized, in increasing order, and
     * never letting an exception into the native worker threads.
     */
    private class ProgressRelay(private val f: (Long, Long) -> Unit) : FfiLcaProgress {
        val failure = AtomicReference<Throwable?>(null)
        private var last = 0L

        @Synchronized
        override fun onProgress(done: ULong, total: ULong) {
            val d = done.toLong()
            if (failure.get() != null || d <= last) return
            last = d
            try {
                f(d, total.toLong())
            } catch (t: Throwable) {
                failure.compareAndSet(null, t)
            }
        }
    }
}

// Numeric vectors cross the native boundary as little-endian bytes: one bulk copy into a
// direct buffer (which the native side reads in place) and one bulk copy out.

private fun DoubleArray.toDirect(): ByteBuffer =
    ByteBuffer.allocateDirect(size * 8).order(ByteOrder.LITTLE_ENDIAN).also { it.asDoubleBuffer().put(this) }

private fun LongArray.toDirect(): ByteBuffer =
    ByteBuffer.allocateDirect(size * 8).order(ByteOrder.LITTLE_ENDIAN).also { it.asLongBuffer().put(this) }

private fun ByteArray.toDirect(): ByteBuffer = ByteBuffer.allocateDirect(size).also { it.put(this).flip() }

private fun DoubleArray.toBytes(): ByteArray =
    ByteArray(size * 8).also { ByteBuffer.wrap(it).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(this) }

private fun LongArray.toBytes(): ByteArray =
    ByteArray(size * 8).also { ByteBuffer.wrap(it).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(this) }

private fun IntArray.toLongs(): LongArray = LongArray(size) { this[it].toLong() }

private fun ByteArray.toDoubles(): DoubleArray {
    val view = ByteBuffer.wrap(this).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer()
    return DoubleArray(view.remaining()).also { view.get(it) }
}

private fun ByteArray.toInts(): IntArray {
    val view = ByteBuffer.wrap(this).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer()
    return IntArray(view.remaining()) { Math.toIntExact(view.get(it)) }
}
