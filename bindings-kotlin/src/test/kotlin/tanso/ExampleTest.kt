package tanso

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.boolean
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.double
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File
import java.math.BigDecimal

/** The usage examples of README.md, run as tests; the last test keeps the README in step. */
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

    @Test
    fun `README LCA example`() {
        // README-LCA-START
        // A system: steel needs 0.5 kWh; CO2 is 1.8 kg per kg steel and 0.6 kg per kWh.
        val system: JsonObject = Json.parseToJsonElement("""
            {"technosphere": [
               {"product": "steel", "activity": "steel", "amount": 1},
               {"product": "kWh", "activity": "steel", "amount": -0.5, "uncertainty": {"kind": "lognormal", "sigma": 0.1}},
               {"product": "kWh", "activity": "kWh", "amount": 1}],
             "biosphere": [
               {"flow": "CO2", "activity": "steel", "amount": 1.8},
               {"flow": "CO2", "activity": "kWh", "amount": 0.6}],
             "methods": [{"id": "GWP100", "unit": "kg CO2e", "factors": [{"flow": "CO2", "factor": 1}]}]}
        """).jsonObject

        val demands = Json.parseToJsonElement("""[{"name": "1 kg steel", "amounts": [{"id": "steel", "amount": 1}]}]""")

        // One call: the stateless operation builds, factorizes and answers.
        val once = Tanso.lca(buildJsonObject { put("system", system); put("demands", demands) })
        val score = once["results"]!!.jsonArray[0].jsonObject["scores"]!!.jsonObject["GWP100"]!!.jsonPrimitive.double   // 2.1

        // Many calls: an LcaModel keeps the factorization; vectors are DoubleArrays in matrix order.
        val model = LcaModel.fromSystem(system)
        val steel = model.demandVector(mapOf(NodeId.of("steel") to 1.0))         // product ids resolved
        val gwp = model.scores(steel)[0]                                         // 2.1 kg CO2e
        val perUnit = model.intensities("GWP100")                                // 1 unit of every product, cradle to gate
        val mc = model.monteCarlo(buildJsonObject {
            put("demands", demands)
            put("iterations", 1000)
            put("seed", 42)                                                      // same seed, same draws, in every language
        }) { done, total -> if (done == total) println("Monte Carlo: $done of $total") }
        val mean = mc["results"]!!.jsonArray[0].jsonObject["mean"]!!.jsonPrimitive.double   // ≈ 2.1
        model.close()                                                            // or model.use { … }
        // README-LCA-END
        assertEquals(2.1, gwp, 1e-12)
        assertEquals(2.1, perUnit[model.activityIds.indexOf(NodeId.of("steel"))], 1e-12)
        assertTrue(mean in 2.0..2.2, "$mean")
        assertEquals(2.1, score, 1e-12)
    }

    @Test
    fun `README CBAM example`() {
        // README-CBAM-START
        // 100 t of hot-rolled coil (CN 7208 51 20) from China, imported in Q1 2026, on default values.
        val year = Tanso.cbam_obligation(Json.parseToJsonElement("""
            {"year": 2026, "lines": [
               {"id": "L1", "good": {"cn_code": "7208 51 20", "country": "CN"},
                "mass": {"value": "100", "unit": "t"}, "quarter": 1}]}
        """).jsonObject)
        val line = year["lines"]!!.jsonArray[0].jsonObject
        val embedded = line.decimal("embedded_t")                               // 350.57 = 100 × 3.187 × 1.1
        val adjustment = line.decimal("free_allocation_adjustment_t")           // 133.575 = 100 × 0.975 × 1 × 1.37
        val totals = year["totals"]!!.jsonObject
        val certificates = totals.decimal("certificates")                       // 216.995 (t CO2e, exact)
        val cost = totals.decimal("cost_eur")                                   // 16352.74 = 216.995 × EUR 75.36
        // README-CBAM-END
        assertEquals(BigDecimal("350.57"), embedded)
        assertEquals(BigDecimal("133.575"), adjustment)
        assertEquals(BigDecimal("216.995"), certificates)
        assertEquals(BigDecimal("16352.74"), cost)
        assertEquals("B", line["benchmark"]!!.jsonObject.string("column"))
        assertEquals(BigDecimal("16352.7432"), totals.decimal("cost_eur_exact"))
    }

    @Test
    fun `README product footprint example`() {
        // README-PRODUCT-START
        // 1 kg of primary aluminium (IAI world ingot, 15.1) and 1 kg of BF-BOF steel (worldsteel, 2.32).
        val fp = Tanso.product_footprint(Json.parseToJsonElement("""
            {"product": {"id": "bracket-kit", "declared_unit": "1 piece"},
             "parts": [
               {"id": "housing", "materials": [{"material": "aluminium", "mass_kg": 1}]},
               {"id": "bracket", "materials": [{"material": "steel", "route": "bf_bof", "form": "crude", "mass_kg": 1}]}],
             "sensitivity": [{"name": "scrap-EAF steel", "changes": [{"target": "steel", "recycled_content": "1"}]}]}
        """).jsonObject)
        val total = fp.decimal("total_kg_co2e")                                 // 17.42 kg CO2e per piece
        val steelShare = fp["shares"]!!.jsonObject.decimal("steel_percent")     // 13.318 (aluminium 86.682)
        val scrapEaf = fp["sensitivity"]!!.jsonArray[1].jsonObject
        val withScrapEaf = scrapEaf.decimal("total_kg_co2e")                    // 15.8: scrap-EAF steel is 0.7
        // README-PRODUCT-END
        assertEquals(BigDecimal("17.42"), total)
        assertEquals(BigDecimal("13.318"), steelShare)
        assertEquals("scrap-EAF steel", scrapEaf.string("name"))
        assertEquals(BigDecimal("15.8"), withScrapEaf)
        assertEquals(BigDecimal("86.682"), fp["shares"]!!.jsonObject.decimal("aluminium_percent"))
        assertEquals("cradle-to-gate", fp["report"]!!.jsonObject.string("system_boundary"))
    }

    @Test
    fun `README PACT example`() {
        // The spec's example 1 of testdata/vectors/pact.json, with a unit the spec does not know.
        val example = TestData.read(File(TestData.dir, "vectors/pact.json")).jsonObject["cases"]!!.jsonArray
            .first { it.jsonObject.string("name") == "v3.0 spec example 1 is valid" }.jsonObject["input"]!!.jsonObject["document"]!!.jsonObject
        val supplierPcf = JsonObject(example + ("pcf" to JsonObject(example["pcf"]!!.jsonObject + ("declaredUnitOfMeasurement" to JsonPrimitive("tonne")))))
        // README-PACT-START
        // `supplierPcf`: a supplier's PACT v3.0 ProductFootprint (a JsonObject) whose
        // pcf.declaredUnitOfMeasurement is "tonne".
        val check = Tanso.pact_validate(buildJsonObject { put("document", supplierPcf) })
        val valid = check["valid"]!!.jsonPrimitive.boolean                      // false
        val failure = check["failures"]!!.jsonArray.single().jsonObject
        val path = failure.string("path")                                       // pcf.declaredUnitOfMeasurement
        val rule = failure.string("rule")                                       // must be one of: liter, kilogram, … (PACT Tech Specs v3.0 §4)
        val code = try {
            Tanso.pact_summary(buildJsonObject { put("document", supplierPcf) })
            null
        } catch (e: TansoException.Exchange) {
            e.code                                                              // PACT_INVALID, the message lists every failing field
        }
        // README-PACT-END
        assertEquals(false, valid)
        assertEquals("3.0", check.string("version"))
        assertEquals("pcf.declaredUnitOfMeasurement", path)
        assertTrue(rule.startsWith("must be one of: liter, kilogram,") && rule.endsWith("(PACT Tech Specs v3.0 §4)"), rule)
        assertEquals("PACT_INVALID", code)
        assertEquals("kilogram", Tanso.pact_summary(buildJsonObject { put("document", example) }).string("unit"))
    }

    @Test
    fun `README typed accounting example`() {
        // README-TYPED-START
        // An organisation, its sites and its records as data classes; every decimal a BigDecimal.
        val input = InventoryInput(
            organisation = Organisation(
                name = "Demo Co",
                consolidation = Consolidation.EQUITY_SHARE,
                sites = listOf(
                    Site("hz", geography = "CN-ZJ"),
                    Site("jv", geography = "CN-HE", equityShare = BigDecimal("0.5")),
                ),
            ),
            reportingYear = 2023,
            records = listOf(
                ActivityRecord.FuelCombustion(fuel = "cn_raw_coal", quantity = Quantity("1", "t"), id = "r1", site = "hz"),
                ActivityRecord.Electricity(energy = Quantity("10", "MWh"), id = "r2", site = "jv"),
                ActivityRecord.Refrigerant("R-410A", RefrigerantMethod.Released(Quantity("2", "kg")), id = "r3", site = "hz"),
            ),
            settings = Settings(gwpSet = GwpSet.AR6),
        )
        val inventory: Inventory = Tanso.inventory(input)
        val scope1 = inventory.totals.scope1Co2eKg                              // 6411.2988488 = coal 1900.2988488 + R-410A 4511
        val scope2 = inventory.totals.scope2LocationCo2eKg                      // 3626 = 10 MWh × 0.7252 × 50 %
        val jv = inventory.totals.bySiteCo2eKg["jv"]                            // 3626
        val coal: RecordResult = inventory.records[0]
        val trail = coal.trail.map { it.step }                                  // how it was computed, factor by factor

        // One record: a sealed ActivityRecord in, a RecordResult out.
        val leak = Tanso.calculate(ActivityRecord.Refrigerant("SF6", RefrigerantMethod.Released(Quantity("1", "kg"))))
        val sf6 = leak.co2eKg                                                    // 25200 (AR6)

        // Factors and fuels, with provenance; typed and JSON documents convert both ways.
        val grid: FactorMatch = Tanso.lookup_factor("electricity.grid_average", "Hebei", 2023)
        val usedYear = grid.fallback?.usedYear                                   // 2022: the nearest earlier year
        val publisher = grid.factor.provenance.publisher
        val same = RecordResult.fromJson(coal.toJson()) == coal                 // true
        // README-TYPED-END
        assertEquals(BigDecimal("3626"), scope2)
        assertEquals(BigDecimal("3626"), jv)
        assertEquals(0, BigDecimal("6411.2988488").compareTo(scope1), "$scope1")
        assertTrue(trail.isNotEmpty())
        assertEquals(BigDecimal("25200"), sf6)
        assertEquals(2022, usedYear)
        assertTrue(publisher.isNotEmpty())
        assertTrue(same)
    }

    @Test
    fun `README shows these examples verbatim`() {
        // Maven runs the tests in the project folder (bindings-kotlin/).
        val source = File("src/test/kotlin/tanso/ExampleTest.kt").readText()
        val readme = File("README.md").readText()
        for (tag in listOf("README-EXAMPLE", "README-TYPED", "README-LCA", "README-CBAM", "README-PRODUCT", "README-PACT")) {
            val block = source.substringAfter("// $tag-START\n").substringBefore("        // $tag-END")
            val shown = block.lines().joinToString("\n") { it.removePrefix("        ") }.trimEnd()
            assertTrue("```kotlin\n$shown\n```" in readme, "README.md does not show the $tag block of ExampleTest.kt:\n$shown")
        }
    }
}
