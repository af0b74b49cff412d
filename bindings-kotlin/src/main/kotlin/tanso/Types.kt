package tanso

import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import java.math.BigDecimal

/** One operation of the document API: its [name] (a function of [Tanso]) and [summary]. */
data class Operation(
    /** The name, identical in every binding, e.g. `lookup_factor`. */
    val name: String,
    /** What it computes. */
    val summary: String,
)

/** A stable error [code] with its [area]; each area is a subclass of [TansoException]. */
data class ErrorCode(
    /** The code, e.g. `UNIT_MISMATCH`. */
    val code: String,
    /** The area: `units`, `ghg`, `factors`, `accounting`, `lca` or `input`. */
    val area: String,
)

/** The result of [Tanso.gwp]: the GWP of a gas or blend under a GWP set. */
data class Gwp(
    /** The gas or blend as given. */
    val gas: String,
    /** The GWP set used, e.g. `AR6`. */
    val gwpSet: String,
    /** kg CO2e per kg of the gas (for a blend, the mass-weighted sum of its components). */
    val gwp: BigDecimal,
    /** The components (one, the gas itself, for a pure gas). */
    val components: List<GwpComponent>,
) {
    /** Reads the `gwp` operation's result document. */
    companion object {
        /** The typed view of a `gwp` result document. */
        fun fromJson(doc: JsonObject): Gwp = Gwp(
            gas = doc.string("gas"),
            gwpSet = doc.string("gwp_set"),
            gwp = doc.decimal("gwp"),
            components = doc.getValue("components").jsonArray.map { GwpComponent.fromJson(it.jsonObject) },
        )
    }
}

/** One gas of a [Gwp] result, with its mass [fraction] of the blend and its own [gwp]. */
data class GwpComponent(
    /** The gas id, e.g. `HFC-125`. */
    val gas: String,
    /** Mass fraction in the blend (1 for a pure gas). */
    val fraction: BigDecimal,
    /** The gas's GWP under the chosen set. */
    val gwp: BigDecimal,
) {
    /** Reads one element of `components`. */
    companion object {
        /** The typed view of one `components` element. */
        fun fromJson(doc: JsonObject): GwpComponent =
            GwpComponent(gas = doc.string("gas"), fraction = doc.decimal("fraction"), gwp = doc.decimal("gwp"))
    }
}
