package tanso

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.add
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.double
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonArray
import kotlinx.serialization.json.putJsonObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.util.Collections
import java.util.concurrent.Callable
import java.util.concurrent.Executors

/** [LcaModel] end to end: the 1000-activity dump, a small system document, Monte Carlo, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LcaModelTest {
    private val dumpDir = File(TestData.dir, "lca")
    private val npz = File(dumpDir, "synthetic_n1000_seed1.npz").readBytes()
    private val meta = File(dumpDir, "synthetic_n1000_seed1.json").readBytes()

    /** Built once: the tests below reuse its factorization. */
    private val dump: LcaModel = LcaModel.fromDump(npz, meta)

    @AfterAll
    fun closeDump() = dump.close()

    private fun unit(n: Int, j: Int) = DoubleArray(n).also { it[j] = 1.0 }

    private fun assertClose(expected: Double, actual: Double, tolerance: Double, what: String) =
        assertTrue(closeTo(expected, actual, tolerance), "$what: expected $expected, got $actual (relative tolerance $tolerance)")

    // ---- The 1000-activity dump of bench_bw2calc.py ----

    @Test
    fun `dump scores match SciPy's reference scores to 1e-10`() {
        val refs = Json.parseToJsonElement(meta.decodeToString()).jsonObject.getValue("reference_scores_scipy_spsolve").jsonArray
        assertEquals(5, refs.size)
        assertEquals(listOf("score"), dump.methodIds)
        for (r in refs) {
            val j = r.jsonObject.getValue("demand_index").jsonPrimitive.int
            val expected = r.jsonObject.getValue("score").jsonPrimitive.double
            val scores = dump.scores(unit(1000, j))
            assertEquals(1, scores.size)
            assertClose(expected, scores[0], 1e-10, "demand $j")
        }
    }

    @Test
    fun `dump describe, ids and vector sizes`() {
        val d = dump.describe()
        assertEquals(1000, d.getValue("activities").jsonPrimitive.int)
        assertEquals(2000, d.getValue("flows").jsonPrimitive.int)
        assertEquals(1000, dump.activityIds.size)
        assertEquals(2000, dump.flowIds.size)
        assertEquals(NodeId.Integer(84), dump.activityIds[84])
        val f = unit(1000, 84)
        assertEquals(1000, dump.supply(f).size)
        assertEquals(2000, dump.inventory(f).size)
    }

    @Test
    fun `a new demand reuses the model and the engine is linear`() {
        val a = dump.scores(unit(1000, 84))[0]
        val b = dump.scores(unit(1000, 535))[0]
        val f = DoubleArray(1000).also { it[84] = 2.0; it[535] = -0.5; it[7] = 0.0 }
        assertClose(2 * a - 0.5 * b, dump.scores(f)[0], 1e-10, "2 e_84 - 0.5 e_535")
        // Inventory and supply agree with the scores through the characterization.
        val x = dump.supply(unit(1000, 84))
        assertTrue(x[84] >= 1.0 - 1e-12, "the demanded activity is supplied at least once: ${x[84]}")
    }

    @Test
    fun `intensities(j) equal the score of the demand e_j`() {
        val lambda = dump.intensities("score")
        assertEquals(1000, lambda.size)
        for (j in listOf(0, 84, 146, 535, 742, 999)) {
            assertClose(dump.scores(unit(1000, j))[0], lambda[j], 1e-10, "intensity of product $j")
        }
    }

    @Test
    fun `a model serves several threads at once`() {
        val pool = Executors.newFixedThreadPool(4)
        try {
            val lambda = dump.intensities("score")
            val js = (0 until 40).map { it * 25 }
            val got = pool.invokeAll(js.map { j -> Callable { dump.scores(unit(1000, j))[0] } }).map { it.get() }
            js.zip(got).forEach { (j, h) -> assertClose(lambda[j], h, 1e-10, "demand $j on a pool thread") }
        } finally {
            pool.shutdown()
        }
    }

    // ---- A small system document ----

    /** Steel needs 0.5 kWh; CO2 1.8 kg per kg steel and 0.6 kg per kWh: 2.1 kg CO2e per kg steel. */
    private val system: JsonObject = Json.parseToJsonElement(
        """
        {"technosphere": [
           {"product": "steel", "activity": "steel", "amount": 1},
           {"product": "kWh", "activity": "steel", "amount": -0.5, "uncertainty": {"kind": "lognormal", "sigma": 0.1}},
           {"product": "kWh", "activity": "kWh", "amount": 1}],
         "biosphere": [
           {"flow": "CO2", "activity": "steel", "amount": 1.8, "uncertainty": {"kind": "normal", "mean": 1.8, "sd": 0.1}},
           {"flow": "CO2", "activity": "kWh", "amount": 0.6, "uncertainty": {"kind": "uniform", "min": 0.5, "max": 0.7}}],
         "methods": [{"id": "GWP100", "unit": "kg CO2e", "factors": [{"flow": "CO2", "factor": 1}]}]}
        """,
    ).jsonObject

    private fun steel(amount: Double = 1.0) = buildJsonObject {
        putJsonArray("demands") { add(buildJsonObject { putJsonArray("amounts") { add(buildJsonObject { put("id", "steel"); put("amount", amount) }) } }) }
    }

    private fun JsonObject.num(vararg path: Any): Double {
        var e: kotlinx.serialization.json.JsonElement = this
        for (p in path) e = if (p is Int) e.jsonArray[p] else e.jsonObject.getValue(p as String)
        return e.jsonPrimitive.double
    }

    @Test
    fun `calculate with contributions, upstream, tree and sankey`() {
        LcaModel.fromSystem(system).use { m ->
            val out = m.calculate(buildJsonObject {
                put("demands", steel().getValue("demands"))
                putJsonArray("include") { add("contributions"); add("upstream"); add("tree"); add("sankey") }
            })
            val r = out.getValue("results").jsonArray[0].jsonObject
            assertClose(2.1, r.num("scores", "GWP100"), 1e-12, "score")

            val c = r.getValue("contributions").jsonObject.getValue("GWP100").jsonObject
            assertClose(2.1, c.num("total"), 1e-12, "contributions total")
            val procs = c.getValue("processes").jsonArray.map { it.jsonObject }
            assertEquals(listOf("steel", "kWh"), procs.map { it.getValue("activity").jsonPrimitive.content })
            assertClose(1.8, procs[0].num("score"), 1e-12, "steel direct")
            assertClose(0.3 / 2.1, procs[1].num("share"), 1e-12, "kWh share")

            val up = r.getValue("upstream").jsonObject.getValue("GWP100").jsonArray.map { it.jsonObject }
            assertClose(2.1, up.first { it.getValue("activity").jsonPrimitive.content == "steel" }.num("upstream"), 1e-12, "upstream steel")
            assertClose(0.6, up.first { it.getValue("activity").jsonPrimitive.content == "kWh" }.num("intensity"), 1e-12, "intensity kWh")

            val root = r.getValue("tree").jsonObject.getValue("GWP100").jsonObject.getValue("roots").jsonArray[0].jsonObject
            assertEquals("steel", root.getValue("activity").jsonPrimitive.content)
            assertClose(2.1, root.num("score"), 1e-12, "tree root score")
            val child = root.getValue("children").jsonArray[0].jsonObject
            assertEquals("kWh", child.getValue("activity").jsonPrimitive.content)
            assertClose(0.5, child.num("amount"), 1e-12, "tree child amount")
            assertClose(0.3, child.num("score"), 1e-12, "tree child score")

            val sankey = r.getValue("sankey").jsonObject.getValue("GWP100").jsonObject
            assertClose(2.1, sankey.num("total"), 1e-12, "sankey total")
            assertEquals(2, sankey.getValue("nodes").jsonArray.size)
            val link = sankey.getValue("links").jsonArray.single().jsonObject
            assertEquals("kWh" to "steel", link.getValue("source").jsonPrimitive.content to link.getValue("target").jsonPrimitive.content)
            assertClose(0.3, link.num("score"), 1e-12, "sankey link score")
        }
    }

    @Test
    fun `the model answers like the stateless lca operation`() {
        val request = buildJsonObject {
            put("demands", steel(3.0).getValue("demands"))
            putJsonArray("include") { add("supply"); add("inventory") }
        }
        LcaModel.fromSystem(system).use { m ->
            val viaModel = m.calculate(request)
            val viaOp = Tanso.lca(JsonObject(request + ("system" to system)))
            assertEquals(viaOp.getValue("results"), viaModel.getValue("results"))
            assertClose(6.3, viaModel.num("results", 0, "scores", "GWP100"), 1e-12, "3 kg steel")
        }
    }

    @Test
    fun `arrays build the same system as the document, with Int or Long indices`() {
        val ids = listOf(NodeId.of("steel"), NodeId.of("kWh"))
        val fromLongs = LcaModel.fromArrays(
            nActivities = 2, nFlows = 1,
            techRows = longArrayOf(0, 1, 1), techCols = longArrayOf(0, 0, 1), techValues = doubleArrayOf(1.0, -0.5, 1.0),
            bioRows = longArrayOf(0, 0), bioCols = longArrayOf(0, 1), bioValues = doubleArrayOf(1.8, 0.6),
            methods = mapOf("GWP100" to (longArrayOf(0) to doubleArrayOf(1.0))),
            techUncertainty = mapOf(1 to buildJsonObject { put("kind", "lognormal"); put("sigma", 0.1) }),
            bioUncertainty = mapOf(0 to buildJsonObject { put("kind", "normal"); put("mean", 1.8); put("sd", 0.1) }),
            activityIds = ids, flowIds = listOf(NodeId.of("CO2")),
        )
        val fromInts = LcaModel.fromArrays(
            2, 1,
            intArrayOf(0, 1, 1), intArrayOf(0, 0, 1), doubleArrayOf(1.0, -0.5, 1.0),
            intArrayOf(0, 0), intArrayOf(0, 1), doubleArrayOf(1.8, 0.6),
            methods = mapOf("GWP100" to (intArrayOf(0) to doubleArrayOf(1.0))),
        )
        val fromDoc = LcaModel.fromSystem(system)
        // The same demand, whatever the ids and matrix order of each model (fromInts: steel is 0).
        fun steelDemand(m: LcaModel) = DoubleArray(2).also { it[maxOf(0, m.activityIds.indexOf(NodeId.of("steel")))] = 1.0 }
        listOf(fromLongs, fromInts, fromDoc).forEach { m ->
            m.use {
                assertArrayEquals(doubleArrayOf(2.1), m.scores(steelDemand(m)), 1e-12)
                assertArrayEquals(doubleArrayOf(2.1), m.inventory(steelDemand(m)), 1e-12)
            }
        }
        assertEquals(ids, fromLongs.activityIds)
        assertEquals(listOf(NodeId.of("CO2")), fromLongs.flowIds)
        assertEquals(listOf(NodeId.Integer(0), NodeId.Integer(1)), fromInts.activityIds)
        assertEquals(listOf(NodeId.Integer(0)), fromInts.flowIds)
        // Closed models refuse calls instead of touching freed memory.
        assertThrows<IllegalStateException> { fromInts.scores(doubleArrayOf(1.0, 0.0)) }

        LcaModel.fromArrays(
            2, 1,
            intArrayOf(0, 1, 1), intArrayOf(0, 0, 1), doubleArrayOf(1.0, -0.5, 1.0),
            intArrayOf(0, 0), intArrayOf(0, 1), doubleArrayOf(1.8, 0.6),
            methods = mapOf("GWP100" to (intArrayOf(0) to doubleArrayOf(1.0))),
            techUncertainty = mapOf(1 to buildJsonObject { put("kind", "lognormal"); put("sigma", 0.1) }),
        ).use { m ->
            assertArrayEquals(doubleArrayOf(1.0, 0.5), m.supply(doubleArrayOf(1.0, 0.0)), 1e-12)
            assertArrayEquals(doubleArrayOf(2.1, 0.6), m.intensities("GWP100"), 1e-12)
            assertEquals(1, m.describe().getValue("uncertain_values").jsonPrimitive.int)
            val request = buildJsonObject {
                putJsonArray("demands") { add(buildJsonObject { putJsonArray("amounts") { add(buildJsonObject { put("id", 0); put("amount", 1) }) } }) }
                put("iterations", 50)
                put("seed", 3)
                put("include_samples", true)
            }
            val draws = samples(m.monteCarlo(request))
            assertEquals(draws, samples(m.monteCarlo(request)))
            assertTrue(draws.toSet().size > 1, "the kWh input varies")
        }
    }

    @Test
    fun `demand vectors resolve product ids, and the matrices are A and B`() {
        // Process records: the activity "mill" produces the product "steel".
        val records = Json.parseToJsonElement(
            """
            {"processes": [
               {"id": "grid", "exchanges": [{"type": "production", "product": "kWh", "amount": 1},
                                            {"type": "biosphere", "flow": "CO2", "amount": 0.6}]},
               {"id": "mill", "exchanges": [{"type": "production", "product": "steel", "amount": 1},
                                            {"type": "technosphere", "product": "kWh", "amount": 0.5},
                                            {"type": "biosphere", "flow": "CO2", "amount": 1.8}]}],
             "flows": [{"id": "CO2"}],
             "methods": [{"id": "GWP100", "factors": [{"flow": "CO2", "factor": 1}]}]}
            """,
        ).jsonObject
        LcaModel.fromSystem(records).use { m ->
            val mill = m.activityIds.indexOf(NodeId.of("mill"))
            val grid = m.activityIds.indexOf(NodeId.of("grid"))
            assertTrue(mill >= 0 && grid >= 0, "${m.activityIds}")
            val f = m.demandVector(mapOf(NodeId.of("steel") to 2.0))
            assertArrayEquals(DoubleArray(2).also { it[mill] = 2.0 }, f)
            val doc = buildJsonObject { putJsonArray("amounts") { add(buildJsonObject { put("id", "steel"); put("amount", 2) }) } }
            assertArrayEquals(f, m.demandVector(doc))
            assertArrayEquals(doubleArrayOf(4.2), m.scores(f), 1e-12)

            val a = m.technosphere()
            assertEquals(2 to 2, a.nrows to a.ncols)
            assertEquals(3, a.colPtr.last())
            assertEquals(1.0, a[mill, mill])
            assertEquals(1.0, a[grid, grid])
            assertEquals(-0.5, a[grid, mill], "inputs are negative")
            assertEquals(0.0, a[mill, grid])
            val b = m.biosphere()
            assertEquals(1 to 2, b.nrows to b.ncols)
            assertEquals(1.8, b[0, mill])
            assertEquals(0.6, b[0, grid])

            val unknown = assertThrows<TansoException.Lca> { m.demandVector(mapOf(NodeId.of("stel") to 1.0)) }
            assertEquals("UNKNOWN_ID", unknown.code)
        }
        val a = dump.technosphere()
        assertEquals(1000, a.ncols)
        assertEquals(a.values.size, a.rowIdx.size)
        assertEquals(a.values.size, a.colPtr[1000])
        assertEquals(2000, dump.biosphere().nrows)
    }

    // ---- Monte Carlo ----

    private fun mc(seed: Int, iterations: Int = 200, threads: Int = 0) = buildJsonObject {
        put("demands", steel().getValue("demands"))
        put("iterations", iterations)
        put("seed", seed)
        put("threads", threads)
        put("include_samples", true)
    }

    private fun samples(out: JsonObject): List<Double> =
        out.getValue("results").jsonArray[0].jsonObject.getValue("samples").jsonArray.map { it.jsonPrimitive.double }

    @Test
    fun `Monte Carlo is reproducible from its seed at any thread count`() {
        LcaModel.fromSystem(system).use { m ->
            val a = m.monteCarlo(mc(seed = 42))
            val b = m.monteCarlo(mc(seed = 42))
            val one = m.monteCarlo(mc(seed = 42, threads = 1))
            val other = m.monteCarlo(mc(seed = 43))
            assertEquals(200, samples(a).size)
            assertEquals(samples(a), samples(b))
            assertEquals(samples(a), samples(one))
            assertNotEquals(samples(a), samples(other))
            assertEquals(a.getValue("results"), b.getValue("results"))
            val mean = a.num("results", 0, "mean")
            assertTrue(mean in 1.9..2.3, "mean $mean near the static 2.1")
            // The stateless operation draws the same numbers.
            val viaOp = Tanso.lca_monte_carlo(JsonObject(mc(seed = 42) + ("system" to system)))
            assertEquals(samples(a), samples(viaOp))
        }
    }

    @Test
    fun `progress is reported from the worker threads and ends at total`() {
        LcaModel.fromSystem(system).use { m ->
            val calls = Collections.synchronizedList(mutableListOf<Pair<Long, Long>>())
            val threads = Collections.synchronizedSet(mutableSetOf<String>())
            m.monteCarlo(mc(seed = 1, iterations = 500)) { done, total ->
                calls.add(done to total)
                threads.add(Thread.currentThread().name)
            }
            assertTrue(calls.isNotEmpty())
            assertTrue(calls.all { it.second == 500L }, "total is always 500")
            assertTrue(calls.zipWithNext().all { (a, b) -> a.first < b.first }, "done increases: $calls")
            assertEquals(500L to 500L, calls.last())

            // One worker thread: every iteration is reported, in order.
            val serial = mutableListOf<Long>()
            m.monteCarlo(mc(seed = 1, iterations = 50, threads = 1)) { done, _ -> serial.add(done) }
            assertEquals((1L..50L).toList(), serial)
        }
    }

    @Test
    fun `an exception in the progress callback is thrown after the run`() {
        LcaModel.fromSystem(system).use { m ->
            var calls = 0
            val e = assertThrows<IllegalStateException> {
                m.monteCarlo(mc(seed = 1, iterations = 100)) { _, _ -> calls++; throw IllegalStateException("stop") }
            }
            assertEquals("stop", e.message)
            assertEquals(1, calls, "not called again after it threw")
            // The model is still usable.
            assertEquals(100, samples(m.monteCarlo(mc(seed = 1, iterations = 100))).size)
        }
    }

    @Test
    fun `Monte Carlo on the dump with its lognormal uncertainty`() {
        val request = buildJsonObject {
            putJsonArray("demands") { add(buildJsonObject { putJsonArray("amounts") { add(buildJsonObject { put("id", 84); put("amount", 1) }) } }) }
            put("iterations", 20)
            put("seed", 7)
            put("include_samples", true)
        }
        val a = samples(dump.monteCarlo(request))
        assertEquals(a, samples(dump.monteCarlo(request)))
        assertEquals(20, a.toSet().size, "draws differ between iterations")
    }

    // ---- Errors ----

    @Test
    fun `unknown id, wrong demand length, broken dump bytes and more, with their codes`() {
        LcaModel.fromSystem(system).use { m ->
            val unknown = assertThrows<TansoException.Lca> {
                m.calculate(buildJsonObject {
                    putJsonArray("demands") { add(buildJsonObject { putJsonArray("amounts") { add(buildJsonObject { put("id", "stel"); put("amount", 1) }) } }) }
                })
            }
            assertEquals("UNKNOWN_ID", unknown.code)
            assertEquals("lca", unknown.area)
            assertTrue("stel" in unknown.message && "steel" in unknown.message, unknown.message)

            val length = assertThrows<TansoException.Input> { m.supply(DoubleArray(3)) }
            assertEquals("COLUMN_LENGTH", length.code)
            assertTrue("demand" in length.message, length.message)

            assertEquals("UNKNOWN_ID", assertThrows<TansoException.Lca> { m.intensities("GWP20") }.code)
            assertEquals("NON_FINITE", assertThrows<TansoException.Input> { m.scores(doubleArrayOf(Double.NaN, 0.0)) }.code)
            assertEquals("INVALID_SETTING", assertThrows<TansoException.Lca> { m.monteCarlo(mc(seed = 1, iterations = 0)) }.code)
            assertEquals("INVALID_INPUT", assertThrows<TansoException.Input> { m.calculate(buildJsonObject { put("demand", 1) }) }.code)
        }

        val broken = assertThrows<TansoException.Lca> { LcaModel.fromDump(npz.copyOf(1000), meta) }
        assertEquals("MALFORMED_DATA", broken.code)
        assertEquals("MALFORMED_DATA", assertThrows<TansoException.Lca> { LcaModel.fromDump(npz, """{"format": "other"}""".toByteArray()) }.code)

        // A loop that produces nothing net: refused when factorized, or at the latest when solved.
        val singular = assertThrows<TansoException.Lca> {
            LcaModel.fromSystemJson(
                """{"technosphere": [{"product": "a", "activity": "a", "amount": 1}, {"product": "b", "activity": "a", "amount": -1},
                    {"product": "b", "activity": "b", "amount": 1}, {"product": "a", "activity": "b", "amount": -1}]}""",
            ).use { it.supply(doubleArrayOf(1.0, 0.0)) }
        }
        assertEquals("SINGULAR_TECHNOSPHERE", singular.code)

        val negative = assertThrows<TansoException.Lca> {
            LcaModel.fromArrays(1, 0, longArrayOf(-1), longArrayOf(0), doubleArrayOf(1.0), longArrayOf(), longArrayOf(), doubleArrayOf())
        }
        assertEquals("INVALID_SETTING", negative.code)
        assertEquals("INVALID_SETTING", assertThrows<TansoException.Lca> {
            LcaModel.fromArrays(-1, 0, intArrayOf(), intArrayOf(), doubleArrayOf(), intArrayOf(), intArrayOf(), doubleArrayOf())
        }.code)
        val outOfRange = assertThrows<TansoException.Lca> {
            LcaModel.fromArrays(1, 0, intArrayOf(0), intArrayOf(1), doubleArrayOf(1.0), intArrayOf(), intArrayOf(), doubleArrayOf())
        }
        assertEquals("INVALID_SETTING", outOfRange.code)
        val badDistribution = assertThrows<TansoException.Input> {
            LcaModel.fromArrays(
                1, 0, intArrayOf(0), intArrayOf(0), doubleArrayOf(1.0), intArrayOf(), intArrayOf(), doubleArrayOf(),
                techUncertainty = mapOf(0 to buildJsonObject { put("kind", "lognormal") }),
            )
        }
        assertEquals("INVALID_INPUT", badDistribution.code)
        assertEquals("COLUMN_LENGTH", assertThrows<TansoException.Input> {
            LcaModel.fromArrays(1, 0, intArrayOf(0, 0), intArrayOf(0), doubleArrayOf(1.0), intArrayOf(), intArrayOf(), doubleArrayOf())
        }.code)
    }

    @Test
    fun `NodeId reads and writes JSON ids`() {
        assertEquals(NodeId.Integer(7), NodeId.fromJson(kotlinx.serialization.json.JsonPrimitive(7)))
        assertEquals(NodeId.Text("7"), NodeId.fromJson(kotlinx.serialization.json.JsonPrimitive("7")))
        assertEquals(kotlinx.serialization.json.JsonPrimitive("steel"), NodeId.of("steel").toJson())
        assertEquals("42", NodeId.of(42).toString())
    }
}
