package tanso

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicContainer
import org.junit.jupiter.api.DynamicNode
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.math.BigDecimal

/**
 * The typed accounting documents (AccountingTypes.kt, AccountingResults.kt, FactorTypes.kt) on
 * the shared vectors: every input read into its typed class and written back gives the core the
 * same result, and every result read into its typed class and written back is the same document.
 */
class TypedAccountingTest {
    /** An operation's typed input: read and written back. */
    private fun roundTripInput(op: String, doc: JsonObject): Pair<Any, JsonObject> = when (op) {
        "calculate" -> CalculateInput.fromJson(doc).let { it to it.toJson() }
        "inventory" -> InventoryInput.fromJson(doc).let { it to it.toJson() }
        "batch" -> BatchInput.fromJson(doc).let { it to it.toJson() }
        "lookup_factor" -> LookupInput.fromJson(doc).let { it to it.toJson() }
        "fuel" -> FuelInput.fromJson(doc).let { it to it.toJson() }
        else -> error("no typed input for $op")
    }

    /** An operation's typed result: read and written back. */
    private fun roundTripResult(op: String, doc: JsonObject): JsonObject = when (op) {
        "calculate" -> RecordResult.fromJson(doc).toJson()
        "inventory" -> Inventory.fromJson(doc).toJson()
        "batch" -> BatchResult.fromJson(doc).toJson()
        "lookup_factor" -> FactorMatch.fromJson(doc).toJson()
        "fuel" -> Fuel.fromJson(doc).toJson()
        else -> error("no typed result for $op")
    }

    private fun reparse(op: String, doc: JsonObject): Any = roundTripInput(op, doc).first

    /** The result document, or the error code, of one call. */
    private fun outcome(op: String, doc: JsonObject): Any =
        try {
            Tanso.call(op, doc)
        } catch (e: TansoException) {
            "error ${e.code}"
        }

    // Input documents that a typed class cannot hold, by design: a decimal that is not one, and a
    // GWP set that does not exist. The core refuses them too (the case's error code).
    private val untypeable = setOf("INVALID_DECIMAL", "UNKNOWN_GWP_SET")

    @TestFactory
    fun vectors(): List<DynamicNode> = listOf("accounting.json", "inventory.json", "batch.json").map { name ->
        val cases = TestData.read(File(TestData.dir, "vectors/$name")).jsonObject.getValue("cases").jsonArray
        DynamicContainer.dynamicContainer(name, cases.map { c ->
            val case = c.jsonObject
            val op = case.getValue("operation").jsonPrimitive.content
            val input = case.getValue("input").jsonObject
            val error = case["error"]?.jsonPrimitive?.content
            DynamicTest.dynamicTest(case.getValue("name").jsonPrimitive.content) {
                val typed = try {
                    roundTripInput(op, input)
                } catch (e: IllegalArgumentException) {
                    assertTrue(error in untypeable, "typed input refused a document the core takes or refuses otherwise ($error): ${e.message}")
                    return@dynamicTest
                }
                val (value, written) = typed
                // Written back, it reads as the same typed value, and the core answers the same.
                assertEquals(value, reparse(op, written), "typed $op input is not stable: $written")
                val original = outcome(op, input)
                assertEquals(original, outcome(op, written), "$op: $input written back as $written")
                if (error != null) {
                    assertEquals("error $error", original)
                } else {
                    // The typed result loses nothing: written back it is the core's document.
                    val out = original as JsonObject
                    assertEquals(out, roundTripResult(op, out), "$op result read and written back")
                }
            }
        })
    }

    @Test
    fun `typed overloads equal the document functions`() {
        val record = ActivityRecord.FuelCombustion(fuel = "cn_raw_coal", quantity = Quantity("1000", "kg"), id = "boiler")
        val typed = Tanso.calculate(record)
        assertEquals(RecordResult.fromJson(Tanso.calculate(CalculateInput(record).toJson())), typed)
        assertEquals(BigDecimal("1900.2988488"), typed.co2eKg)
        assertEquals(RecordType.FUEL_COMBUSTION, typed.type)
        assertEquals("boiler", typed.id)
        assertEquals(1, typed.scope)
        assertTrue(typed.trail.isNotEmpty())

        val m = Tanso.lookup_factor("electricity.grid_average", "Hebei", 2023)
        assertEquals("CN-HE", m.factor.geography)
        assertEquals(Fallback("CN-HE", "CN-HE", 2023, 2022), m.fallback)
        assertEquals(BigDecimal("0.7252"), m.factor.gases["CO2"])
        assertEquals(Status.VERIFIED, m.factor.provenance.status)

        val coal = Tanso.fuel("原煤")
        assertEquals("cn_raw_coal", coal.id)
        assertEquals(BigDecimal("20.908"), coal.ncvMjPerUnit)
        assertEquals(coal, Fuel.fromJson(Tanso.fuel(FuelInput("cn_raw_coal").toJson())))

        val batch = Tanso.batch(
            BatchInput.ofRows(
                listOf(
                    BatchRow(BatchKind.FUEL, "cn_raw_coal", BigDecimal("1000"), "kg"),
                    BatchRow(BatchKind.FUEL, "deisel", BigDecimal("5"), "kg"),
                    BatchRow(BatchKind.ELECTRICITY, "CN", BigDecimal("2"), "MWh"),
                ),
                year = 2022,
            ),
        )
        assertEquals(listOf(BigDecimal("1900.2988488"), null, BigDecimal("1073.2")), batch.co2eKg)
        assertEquals(listOf(1, 0, 2), batch.scope)
        assertEquals(1, batch.errors.single().row)
        assertEquals("UNKNOWN_FUEL", batch.errors.single().code)
    }

    /** One record of every type and method, with every optional part the vectors do not use. */
    private val everyRecord: List<ActivityRecord> = listOf(
        ActivityRecord.FuelCombustion(
            fuel = "diesel", quantity = Quantity("1", "m3"), use = CombustionUse.MOBILE, tier = Tier.TIER1,
            sector = Sector.MANUFACTURING, ch4KgPerTj = BigDecimal("3.9"), n2oKgPerTj = BigDecimal("3.9"),
            densityKgPerM3 = BigDecimal("840"), id = "truck", site = "hz", description = "fleet diesel",
        ),
        ActivityRecord.FuelCombustion(
            fuel = "cn_raw_coal", quantity = Quantity("2", "t"), tier = Tier.TIER2, sector = Sector.ENERGY_INDUSTRIES,
            ncvMjPerUnit = BigDecimal("21"), carbonContentKgcPerGj = BigDecimal("26"), oxidation = BigDecimal("0.95"), id = "boiler",
        ),
        ActivityRecord.Electricity(
            energy = Quantity("50", "MWh"), carrier = Carrier.ELECTRICITY, id = "meter", site = "hz",
            instruments = listOf(
                Instrument(InstrumentKind.CERTIFICATE, "GEC-9", Quantity("10", "MWh")),
                Instrument(InstrumentKind.SUPPLIER_RATE, "SUP-1", Quantity("20", "MWh"), InlineFactor("kWh", co2e = BigDecimal("0.3"), gwpBasis = GwpSet.AR6)),
            ),
        ),
        ActivityRecord.Electricity(
            energy = Quantity("1000", "kWh"), geography = "CN", id = "own-factors",
            locationFactor = InlineFactor("kWh", gases = mapOf("CO2" to BigDecimal("0.5")), source = Provenance("Utility", "Bill 2023")),
            residualFactor = InlineFactor("kWh", gases = mapOf("CO2" to BigDecimal("0.6"))),
        ),
        ActivityRecord.Refrigerant("R-410A", RefrigerantMethod.Released(Quantity("2", "kg")), id = "leak"),
        ActivityRecord.Refrigerant(
            "HFC-134a", RefrigerantMethod.MassBalance(purchased = Quantity("10", "kg"), capacityNew = Quantity("4", "kg"), capacityRetired = Quantity("1", "kg")), id = "mb",
        ),
        ActivityRecord.Refrigerant(
            "SF6",
            RefrigerantMethod.Screening(
                chargeNew = Quantity("10", "kg"), installationLoss = BigDecimal("0.01"), chargeDisposed = Quantity("5", "kg"),
                remainingAtDisposal = BigDecimal("0.8"), recoveryEfficiency = BigDecimal("0.9"),
            ),
            id = "gis",
        ),
        ActivityRecord.Freight(
            listOf(Leg("air", Quantity("2", "t"), from = LatLon(BigDecimal("31.14"), BigDecimal("121.80")), to = LatLon(BigDecimal("50.03"), BigDecimal("8.56")),
                intensity = InlineFactor("tkm", co2e = BigDecimal("0.6"), gwpBasis = GwpSet.AR6))),
            id = "air", scope3Category = 9,
        ),
        ActivityRecord.PurchasedGoods(
            GoodsMethod.SUPPLIER_SPECIFIC, id = "steel",
            supplierTotal = InlineFactor("t", co2e = BigDecimal("1850"), gwpBasis = GwpSet.AR6, source = Provenance("Supplier", "EPD 2023", status = Status.VERIFIED, boundary = Boundary.CRADLE_TO_GATE)),
        ),
        ActivityRecord.DirectEmission(
            gases = mapOf("CO2" to BigDecimal("100"), "CH4_fossil" to BigDecimal("1")), scope = 1,
            source = Provenance("Plant", "CEMS 2023", url = "https://example.org/cems", notes = "continuous monitoring"), id = "stack", year = 2023,
        ),
        ActivityRecord.ScrapUse(Quantity("1", "t"), id = "scrap"),
    )

    @Test
    fun `every record type and method round-trips and calculates`() {
        val settings = Settings(gwpSet = GwpSet.AR6, year = 2023, electricityTceMethod = ElectricityTceMethod.EQUAL_VALUE, equalValueKgcePerKwh = BigDecimal("0.3"))
        for (record in everyRecord) {
            val input = CalculateInput(record, settings, geography = "CN-ZJ")
            assertEquals(input, CalculateInput.fromJson(input.toJson()), "round trip of ${record.id}")
            val doc = Tanso.calculate(input.toJson())
            val typed = Tanso.calculate(record, settings, "CN-ZJ")
            assertEquals(doc, typed.toJson(), "typed result of ${record.id}")
            assertEquals(record.type, typed.type)
            assertEquals(record.id, typed.id)
        }
    }

    @Test
    fun `an inventory of every record type, typed both ways`() {
        val input = InventoryInput(
            organisation = Organisation(
                "Demo Co", Consolidation.EQUITY_SHARE,
                listOf(Site("hz", "Hangzhou plant", "CN-ZJ", BigDecimal("1")), Site("jv", geography = "CN-HE", equityShare = BigDecimal("0.5"), operationalControl = false, financialControl = true)),
            ),
            reportingYear = 2023,
            records = everyRecord.map { r -> if (r is ActivityRecord.DirectEmission) r.copy(site = "jv") else r },
            baseYear = BaseYear(2022, listOf(ActivityRecord.ScrapUse(Quantity("1", "t"), id = "b-scrap"))),
            settings = Settings(gwpSet = GwpSet.AR6, factors = FactorSource(includeUnverified = true)),
        )
        assertEquals(input, InventoryInput.fromJson(input.toJson()))
        val doc = Tanso.inventory(input.toJson())
        val inv = Tanso.inventory(input)
        assertEquals(doc, inv.toJson())
        assertEquals(GwpSet.AR6, inv.gwpSet)
        assertEquals(Consolidation.EQUITY_SHARE, inv.consolidation)
        assertEquals(everyRecord.size, inv.records.size)
        assertTrue(inv.factorsUsed.isNotEmpty())
        assertNotNull(inv.baseYear)
        assertNull(inv.baseYear!!.changePercent, "a zero base year has no percentage")
        // Totals add up, exactly.
        val t = inv.totals
        assertEquals(0, (t.scope1Co2eKg + t.scope2LocationCo2eKg + t.scope3Co2eKg).compareTo(t.totalCo2eKg))
        assertEquals(0, t.bySiteCo2eKg.values.fold(BigDecimal.ZERO, BigDecimal::add).compareTo(t.totalCo2eKg))
        assertEquals(0, t.scope3ByCategory.values.fold(BigDecimal.ZERO, BigDecimal::add).compareTo(t.scope3Co2eKg))
        assertTrue(9 in t.scope3ByCategory && 1 in t.scope3ByCategory, "${t.scope3ByCategory}")
    }

    @Test
    fun `typed reading is as strict as the core`() {
        val bad = Json.parseToJsonElement("""{"record": {"type": "scrap_use", "mass": {"value": "1", "unit": "t"}, "colour": "red"}}""").jsonObject
        assertTrue(assertThrows<IllegalArgumentException> { CalculateInput.fromJson(bad) }.message!!.contains("colour"))
        assertThrows<TansoException> { Tanso.calculate(bad) }
        val badType = Json.parseToJsonElement("""{"record": {"type": "teleport", "mass": {"value": "1", "unit": "t"}}}""").jsonObject
        assertTrue(assertThrows<IllegalArgumentException> { CalculateInput.fromJson(badType) }.message!!.contains("teleport"))
        val badDecimal = Json.parseToJsonElement("""{"record": {"type": "scrap_use", "mass": {"value": "1,5", "unit": "t"}}}""").jsonObject
        assertTrue(assertThrows<IllegalArgumentException> { CalculateInput.fromJson(badDecimal) }.message!!.contains("record.mass.value"))
        // The reporting year is an inventory's data year: a settings year is refused, as by the core.
        assertThrows<IllegalArgumentException> { InventoryInput(Organisation("X"), 2023, emptyList(), settings = Settings(year = 2022)) }
        // GWP sets are read case-insensitively, as by the core; other ids exactly.
        assertEquals(GwpSet.AR6_GWP20, GwpSet.of("ar6_gwp20"))
        assertThrows<IllegalArgumentException> { Consolidation.of("Equity_Share") }
        // A numeric record id is taken as its text, as by the core.
        val numericId = Json.parseToJsonElement("""{"id": 7, "type": "scrap_use", "mass": {"value": "1", "unit": "t"}}""").jsonObject
        assertEquals("7", ActivityRecord.fromJson(numericId).id)
    }

    @Test
    fun `decimals keep every digit`() {
        val q = Quantity("1234567890.123456789012345678", "kg")
        val r = Tanso.calculate(ActivityRecord.DirectEmission(gases = mapOf("CO2" to q.value)))
        assertEquals(q.value, r.gases["CO2"])
        assertEquals(0, q.value.compareTo(r.co2eKg))
    }
}
