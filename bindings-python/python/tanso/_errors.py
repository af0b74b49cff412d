"""Typed errors of tanso: one class per domain area and one per stable error code.

Every error is a :class:`TansoError` (a :class:`ValueError`) carrying ``code`` (stable, e.g.
``"UNIT_MISMATCH"``), ``area`` (``units``, ``ghg``, ``factors``, ``accounting``, ``input``,
``lca``)
and ``message`` (names the field, the value given and what would be valid)::

    try:
        tanso.convert(value="1", **{"from": "kg", "to": "kWh"})
    except tanso.UnitMismatchError as e:      # or tanso.UnitError, or tanso.TansoError
        print(e.code, e.area, e.message)

The classes are declared here, statically, so type checkers and IDEs see them. The list is
kept in step with core's ``tanso::error::ERROR_CODES`` (and ``testdata/error_codes.json``) by
``tests/test_errors.py``: a class is ``CamelCase(code) + "Error"`` under its area's class.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Type


class TansoError(ValueError):
    """Any error raised by tanso. Subclasses per area and per code; see the module docs."""

    #: The stable error code, e.g. ``"UNIT_MISMATCH"``.
    code: str = ""
    #: The domain area: ``units``, ``ghg``, ``factors``, ``accounting``, ``input``, ``lca``, ``cbam``, ``exchange``, ``materials``, ``product``, ``supply`` or ``vehicle``.
    area: str = ""

    def __init__(self, message: str, code: Optional[str] = None, area: Optional[str] = None) -> None:
        super().__init__(message)
        #: What went wrong: the field, the value given and what would be valid.
        self.message: str = message
        if code is not None:
            self.code = code
        if area is not None:
            self.area = area

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> Tuple[Any, ...]:
        # Picklable with code and area, so errors cross process boundaries (Dask, Ray, Spark).
        return (type(self), (self.message, self.code, self.area))


# --- one class per area -------------------------------------------------------------------

class UnitError(TansoError):
    """Units and quantities (area ``units``)."""

    area = "units"


class GhgError(TansoError):
    """Gases, GWP sets and refrigerant blends (area ``ghg``)."""

    area = "ghg"


class FactorError(TansoError):
    """Emission factors and factor tables (area ``factors``)."""

    area = "factors"


class AccountingError(TansoError):
    """Calculators and inventories (area ``accounting``)."""

    area = "accounting"


class InputError(TansoError):
    """The shape of an input document (area ``input``)."""

    area = "input"


class LcaError(TansoError):
    """The matrix LCA engine: building, solving and sampling a system (area ``lca``)."""

    area = "lca"


# --- one class per code -------------------------------------------------------------------

class UnknownUnitError(UnitError):
    """A unit symbol that tanso does not know."""

    code = "UNKNOWN_UNIT"


class UnitMismatchError(UnitError):
    """Units of different dimensions (e.g. kg to kWh)."""

    code = "UNIT_MISMATCH"


class InvalidCurrencyError(UnitError):
    """A currency code or money unit that is not valid."""

    code = "INVALID_CURRENCY"


class UnknownGasError(GhgError):
    """A gas or blend that tanso does not know."""

    code = "UNKNOWN_GAS"


class UnknownGwpSetError(GhgError):
    """A GWP set that tanso does not know."""

    code = "UNKNOWN_GWP_SET"


class GwpNotAvailableError(GhgError):
    """A GWP value that is not shipped for that gas and set."""

    code = "GWP_NOT_AVAILABLE"


class GwpSetMismatchError(GhgError):
    """Values on different GWP sets combined."""

    code = "GWP_SET_MISMATCH"


class InvalidBlendError(GhgError):
    """A refrigerant blend whose composition is not valid."""

    code = "INVALID_BLEND"


class FactorNotFoundError(FactorError):
    """No emission factor for that activity, geography and year, even after fallback."""

    code = "FACTOR_NOT_FOUND"


class UnknownFuelError(FactorError):
    """A fuel that tanso does not know."""

    code = "UNKNOWN_FUEL"


class UnknownGeographyError(FactorError):
    """A geography code that tanso does not know."""

    code = "UNKNOWN_GEOGRAPHY"


class MalformedRowError(FactorError):
    """A malformed row in a user's factor table."""

    code = "MALFORMED_ROW"


class MalformedTableError(FactorError):
    """A factor table that cannot be read at all."""

    code = "MALFORMED_TABLE"


class NegativeAmountError(AccountingError):
    """A negative amount where only zero or more is allowed."""

    code = "NEGATIVE_AMOUNT"


class OutOfRangeError(AccountingError):
    """A value outside its valid range."""

    code = "OUT_OF_RANGE"


class MissingFieldError(AccountingError):
    """A field required by the chosen method is missing."""

    code = "MISSING_FIELD"


class DoubleClaimError(AccountingError):
    """Contractual instruments claimed twice or over the consumption."""

    code = "DOUBLE_CLAIM"


class UnknownSiteError(AccountingError):
    """A record refers to a site the organisation does not have."""

    code = "UNKNOWN_SITE"


class InvalidInputError(InputError):
    """The document does not parse or does not have the expected shape."""

    code = "INVALID_INPUT"


class NonFiniteError(InputError):
    """NaN or an infinity where a finite amount is required."""

    code = "NON_FINITE"


class InvalidDecimalError(InputError):
    """A decimal that does not parse or does not fit 28 significant digits."""

    code = "INVALID_DECIMAL"


class UnknownOperationError(InputError):
    """An operation name that the API does not have."""

    code = "UNKNOWN_OPERATION"


class ColumnLengthError(InputError):
    """Columns of a batch with different lengths."""

    code = "COLUMN_LENGTH"


class UnknownIdError(LcaError):
    """An id (product, activity, flow, method) that the system does not have."""

    code = "UNKNOWN_ID"


class DuplicateIdError(LcaError):
    """The same id twice where ids must be unique."""

    code = "DUPLICATE_ID"


class NonSquareTechnosphereError(LcaError):
    """Products nobody produces, activities with several reference products, or products
    with several producers (an exchange must name its provider)."""

    code = "NON_SQUARE_TECHNOSPHERE"


class MissingProductionError(LcaError):
    """Activities whose production (diagonal) amount is missing or zero."""

    code = "MISSING_PRODUCTION"


class SingularTechnosphereError(LcaError):
    """A singular or too ill-conditioned technosphere: no trustworthy supply exists."""

    code = "SINGULAR_TECHNOSPHERE"


class InvalidDistributionError(LcaError):
    """A probability distribution with invalid parameters."""

    code = "INVALID_DISTRIBUTION"


class InvalidSettingError(LcaError):
    """An option or index outside its valid range."""

    code = "INVALID_SETTING"


class FormulaSyntaxError(LcaError):
    """A formula that does not parse."""

    code = "FORMULA_SYNTAX"


class UnknownParameterError(LcaError):
    """A formula reads a name that is neither a parameter nor a constant."""

    code = "UNKNOWN_PARAMETER"


class ParameterCycleError(LcaError):
    """Parameter formulas that depend on each other in a circle."""

    code = "PARAMETER_CYCLE"


class DuplicateParameterError(LcaError):
    """One parameter name defined twice in one scope."""

    code = "DUPLICATE_PARAMETER"


class MissingValueError(LcaError):
    """A parameter with neither a value nor a formula, with both, or with a non-finite value."""

    code = "MISSING_VALUE"


class FormulaEvaluationError(LcaError):
    """A formula that cannot be evaluated with the given values (e.g. division by zero)."""

    code = "FORMULA_EVALUATION"


class ValueCountError(LcaError):
    """Fewer values than the parameter slots a formula or table reads."""

    code = "VALUE_COUNT"


class MalformedDataError(LcaError):
    """A data file (a ``.npz`` dump, an import) that cannot be read."""

    code = "MALFORMED_DATA"


class UnsupportedSchemaError(LcaError):
    """A database file of a format or schema version the importer does not read."""

    code = "UNSUPPORTED_SCHEMA"


class MissingReferenceError(LcaError):
    """An entity of an imported database refers to another that the data does not contain."""

    code = "MISSING_REFERENCE"


class UnconvertibleUnitError(LcaError):
    """An imported amount in a unit that cannot be converted to its flow's reference unit."""

    code = "UNCONVERTIBLE_UNIT"


class CbamError(TansoError):
    """The EU CBAM: goods, default values, benchmarks, certificates (area ``cbam``)."""

    area = "cbam"


class InvalidCnCodeError(CbamError):
    """A CN code that is not 2 to 10 digits."""

    code = "INVALID_CN_CODE"


class NotCbamGoodError(CbamError):
    """A CN code outside Annex I of Regulation (EU) 2023/956, or too short to tell."""

    code = "NOT_CBAM_GOOD"


class UnknownRouteError(CbamError):
    """A production route letter that is not valid for the good."""

    code = "UNKNOWN_ROUTE"


class InvalidCountryError(CbamError):
    """A country that is not an ISO 3166-1 alpha-2 code."""

    code = "INVALID_COUNTRY"


class DefaultValueNotFoundError(CbamError):
    """No default value for this CN code and country, nor an "other countries" row."""

    code = "DEFAULT_VALUE_NOT_FOUND"


class BenchmarkNotFoundError(CbamError):
    """No benchmark for this CN code, route, column and year."""

    code = "BENCHMARK_NOT_FOUND"


class CertificatePriceMissingError(CbamError):
    """No CBAM certificate price for the period of a line."""

    code = "CERTIFICATE_PRICE_MISSING"


class UnknownScenarioError(CbamError):
    """A scenario name that tanso does not know."""

    code = "UNKNOWN_SCENARIO"


class CbamParameterMissingError(CbamError):
    """A CBAM parameter (factor, correction factor) missing for the year."""

    code = "CBAM_PARAMETER_MISSING"


class ExchangeError(TansoError):
    """Exchange formats: PACT ProductFootprint documents (area ``exchange``)."""

    area = "exchange"


class PactInvalidError(ExchangeError):
    """A PACT document (or the values to export one) that breaks the spec: every failing field is listed."""

    code = "PACT_INVALID"


class PactUnsupportedVersionError(ExchangeError):
    """A PACT spec version tanso does not read (it reads 2.3 and 3.0)."""

    code = "PACT_UNSUPPORTED_VERSION"


class MaterialError(TansoError):
    """The materials library: lookups and recycled-content blends (area ``materials``)."""

    area = "materials"


class MaterialNotFoundError(MaterialError):
    """No verified (or user) factor for this material, route and form in the geography and year."""

    code = "MATERIAL_NOT_FOUND"


class InvalidRecycledContentError(MaterialError):
    """A recycled-content share outside 0..1, or given with a route that is not a blend."""

    code = "INVALID_RECYCLED_CONTENT"


class ProductError(TansoError):
    """Product systems: bills of materials, allocation, recycling, supplier data (area ``product``)."""

    area = "product"


class InvalidBomError(ProductError):
    """A bill of materials that cannot be compiled (duplicate or unknown part, a cycle, a bad mass or yield)."""

    code = "INVALID_BOM"


class InvalidAllocationError(ProductError):
    """A multi-output process whose allocation cannot be computed."""

    code = "INVALID_ALLOCATION"


class RecyclingParameterMissingError(ProductError):
    """A recycling approach that needs a parameter the document does not give."""

    code = "RECYCLING_PARAMETER_MISSING"


class InvalidSupplierPcfError(ProductError):
    """A supplier PCF that is not usable."""

    code = "INVALID_SUPPLIER_PCF"


class SupplyError(TansoError):
    """Supplier networks: the network document, its references, transport intensities (area ``supply``)."""

    area = "supply"


class InvalidNetworkError(SupplyError):
    """A network that cannot be analysed (duplicate ids, shares not summing to 1, a negative amount)."""

    code = "INVALID_NETWORK"


class UnknownReferenceError(SupplyError):
    """A product, component, supplier or region that the network does not have."""

    code = "UNKNOWN_REFERENCE"


class TransportIntensityMissingError(SupplyError):
    """A transport leg whose mode has no kg CO2e per t·km."""

    code = "TRANSPORT_INTENSITY_MISSING"


class VehicleError(TansoError):
    """The vehicle model: size classes, powertrains, regions, years, levers, overrides (area ``vehicle``)."""

    area = "vehicle"


class UnknownSizeClassError(VehicleError):
    """A size class the vehicle model does not have (valid: mini, small, lower_medium, medium, …)."""

    code = "UNKNOWN_SIZE_CLASS"


class UnknownPowertrainError(VehicleError):
    """A powertrain the vehicle model does not have (valid: petrol, diesel, hev, phev, bev, fcev)."""

    code = "UNKNOWN_POWERTRAIN"


class UnknownRegionError(VehicleError):
    """A region with no grid data (valid: CN, EU, China's grid regions and provinces)."""

    code = "UNKNOWN_REGION"


class YearOutOfRangeError(VehicleError):
    """A production year outside the years the model covers (2020–2050)."""

    code = "YEAR_OUT_OF_RANGE"


class InvalidShareError(VehicleError):
    """A share (recycled aluminium, green steel, utility factor) outside 0..1."""

    code = "INVALID_SHARE"


class InvalidVehicleParameterError(VehicleError):
    """A parameter or override that is negative, not finite or otherwise not valid."""

    code = "INVALID_VEHICLE_PARAMETER"


class VehicleParameterMissingError(VehicleError):
    """A value with no sourced default that the evaluation needs (give it in overrides)."""

    code = "VEHICLE_PARAMETER_MISSING"


#: Area name → its class.
AREA_CLASSES: Dict[str, Type[TansoError]] = {c.area: c for c in TansoError.__subclasses__()}

#: Stable code → its class.
ERROR_CLASSES: Dict[str, Type[TansoError]] = {
    c.code: c for area_class in AREA_CLASSES.values() for c in area_class.__subclasses__()
}


def from_raw(code: str, area: str, message: str) -> TansoError:
    """The typed error for a ``(code, area, message)`` raised by the compiled module.

    A code this package does not know yet (a newer core) still gets its area's class.
    """
    cls = ERROR_CLASSES.get(code) or AREA_CLASSES.get(area, TansoError)
    return cls(message, code, area)


# Shown and pickled as `tanso.<Name>`, where users import them from.
for _cls in (TansoError, *AREA_CLASSES.values(), *ERROR_CLASSES.values()):
    _cls.__module__ = "tanso"
del _cls
