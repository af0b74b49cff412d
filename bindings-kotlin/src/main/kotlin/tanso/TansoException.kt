package tanso

import tanso.ffi.FfiException

/**
 * An error of tanso: one subclass per domain area, each with the stable [code] (for example
 * `UNIT_MISMATCH`), its [area] and a [message] that names the offending field, the value and
 * what would be valid.
 *
 * ```kotlin
 * try {
 *     Tanso.convert(BigDecimal.ONE, "kg", "kWh")
 * } catch (e: TansoException.Units) {
 *     check(e.code == "UNIT_MISMATCH")
 * }
 * ```
 *
 * The uniffi-generated [FfiException] that the native call throws is kept as the [cause].
 */
sealed class TansoException(
    /** The stable error code, identical in every binding, e.g. `UNIT_MISMATCH`. */
    val code: String,
    /**
     * The domain area: `units`, `ghg`, `factors`, `accounting`, `lca`, `cbam`, `exchange`,
     * `materials`, `product`, `supply`, `vehicle` or `input`.
     */
    val area: String,
    message: String,
    cause: Throwable?,
) : RuntimeException(message, cause) {

    /** The message: the field, the value and what would be valid. Never null. */
    override val message: String get() = super.message ?: code

    /** Units and quantities (e.g. `UNIT_MISMATCH`, `UNKNOWN_UNIT`). */
    class Units(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /** Gases and global warming potentials (e.g. `UNKNOWN_GAS`, `UNKNOWN_GWP_SET`). */
    class Ghg(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /** Emission factors and factor tables (e.g. `FACTOR_NOT_FOUND`, `UNKNOWN_FUEL`). */
    class Factors(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /** Calculators and inventories (e.g. `NEGATIVE_AMOUNT`, `DOUBLE_CLAIM`). */
    class Accounting(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /**
     * The matrix LCA engine: building, solving and sampling a system, formulas, dumps (e.g.
     * `SINGULAR_TECHNOSPHERE`, `UNKNOWN_ID`, `MALFORMED_DATA`).
     */
    class Lca(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /**
     * The EU CBAM: goods, default values, benchmarks, certificates (e.g. `INVALID_CN_CODE`,
     * `DEFAULT_VALUE_NOT_FOUND`, `CERTIFICATE_PRICE_MISSING`).
     */
    class Cbam(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /** Exchange formats: PACT ProductFootprint documents (`PACT_INVALID`, `PACT_UNSUPPORTED_VERSION`). */
    class Exchange(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /** The materials library: lookups and recycled-content blends (`MATERIAL_NOT_FOUND`, `INVALID_RECYCLED_CONTENT`). */
    class Materials(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /**
     * Product systems: bills of materials, allocation, recycling, supplier data (`INVALID_BOM`,
     * `INVALID_ALLOCATION`, `RECYCLING_PARAMETER_MISSING`, `INVALID_SUPPLIER_PCF`).
     */
    class Product(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /**
     * Supplier networks: the network document, its references, transport intensities
     * (`INVALID_NETWORK`, `UNKNOWN_REFERENCE`, `TRANSPORT_INTENSITY_MISSING`).
     */
    class Supply(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /**
     * The vehicle model: size classes, powertrains, regions, years, levers, overrides
     * (`UNKNOWN_SIZE_CLASS`, `UNKNOWN_POWERTRAIN`, `UNKNOWN_REGION`, `YEAR_OUT_OF_RANGE`,
     * `INVALID_SHARE`, `INVALID_VEHICLE_PARAMETER`, `VEHICLE_PARAMETER_MISSING`).
     */
    class Vehicle(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /** The shape of an input document, or an unknown operation (e.g. `INVALID_INPUT`). */
    class Input(code: String, area: String, message: String, cause: Throwable? = null) :
        TansoException(code, area, message, cause)

    /** Builds exceptions from what the native library throws. */
    companion object {
        /** The exception for an error of the native library; exhaustive over its areas. */
        internal fun from(e: FfiException): TansoException = when (e) {
            is FfiException.Units -> Units(e.code, e.area, e.detail, e)
            is FfiException.Ghg -> Ghg(e.code, e.area, e.detail, e)
            is FfiException.Factors -> Factors(e.code, e.area, e.detail, e)
            is FfiException.Accounting -> Accounting(e.code, e.area, e.detail, e)
            is FfiException.Lca -> Lca(e.code, e.area, e.detail, e)
            is FfiException.Cbam -> Cbam(e.code, e.area, e.detail, e)
            is FfiException.Exchange -> Exchange(e.code, e.area, e.detail, e)
            is FfiException.Materials -> Materials(e.code, e.area, e.detail, e)
            is FfiException.Product -> Product(e.code, e.area, e.detail, e)
            is FfiException.Supply -> Supply(e.code, e.area, e.detail, e)
            is FfiException.Vehicle -> Vehicle(e.code, e.area, e.detail, e)
            is FfiException.Input -> Input(e.code, e.area, e.detail, e)
        }
    }
}

/** Runs [block], rethrowing a native [FfiException] as the matching [TansoException]. */
internal inline fun <T> native(block: () -> T): T =
    try {
        block()
    } catch (e: FfiException) {
        throw TansoException.from(e)
    }
