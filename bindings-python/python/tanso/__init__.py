"""tanso — carbon accounting and life-cycle assessment with exact decimals.

A thin Python layer over tanso's Rust core. Every capability is an operation of the document
API: it takes one document (a dict) and returns one, with the same names and shapes as the JS
and Kotlin bindings::

    >>> import tanso
    >>> tanso.convert({"value": "1", "from": "tce", "to": "GJ"})
    {'value': Decimal('29.3076'), 'unit': 'GJ'}
    >>> tanso.gwp(gas="SF6", gwp_set="AR6")["gwp"]
    Decimal('25200')

Numbers: decimals come back as :class:`decimal.Decimal` with core's exact digits, never as
floats. On input a decimal may be a ``str``, an ``int``, a ``Decimal`` or a ``float``; a float
counts as its shortest repr (``0.1`` is exactly ``0.1``), and NaN or infinity raise
:class:`NonFiniteError`.

Errors: every failure is a :class:`TansoError` (a ``ValueError``) with ``.code``, ``.area``
and ``.message``, raised as the class of its code (e.g. :class:`UnitMismatchError`, a
:class:`UnitError`). A failed call changes nothing in the caller's objects.

Life-cycle assessment: the ``lca`` and ``lca_monte_carlo`` operations take a ``"system"``
document with the request; :class:`LcaModel` keeps a factorized system between calls, with
numpy arrays, scipy.sparse matrices and pandas DataFrames in and out.

Threads: the GIL is released while core computes, so calls from several threads run in
parallel. Functions, results, errors and models are picklable (Dask, Ray, Spark workers).
"""

from __future__ import annotations

import importlib
from typing import Any, Dict, Iterable, List, Mapping, Optional, Protocol, Tuple, Union

from . import _tanso
from ._errors import (
    AREA_CLASSES,
    ERROR_CLASSES,
    AccountingError,
    ColumnLengthError,
    DoubleClaimError,
    DuplicateIdError,
    DuplicateParameterError,
    FactorError,
    FactorNotFoundError,
    FormulaEvaluationError,
    FormulaSyntaxError,
    GhgError,
    GwpNotAvailableError,
    GwpSetMismatchError,
    InputError,
    InvalidBlendError,
    InvalidCurrencyError,
    InvalidDecimalError,
    InvalidDistributionError,
    InvalidInputError,
    InvalidSettingError,
    LcaError,
    MalformedDataError,
    MissingReferenceError,
    UnconvertibleUnitError,
    UnsupportedSchemaError,
    InvalidCnCodeError,
    NotCbamGoodError,
    UnknownRouteError,
    InvalidCountryError,
    DefaultValueNotFoundError,
    BenchmarkNotFoundError,
    CertificatePriceMissingError,
    UnknownScenarioError,
    CbamParameterMissingError,
    CbamError,
    ExchangeError,
    MaterialError,
    MaterialNotFoundError,
    InvalidRecycledContentError,
    ProductError,
    InvalidBomError,
    InvalidAllocationError,
    RecyclingParameterMissingError,
    InvalidSupplierPcfError,
    SupplyError,
    InvalidNetworkError,
    UnknownReferenceError,
    TransportIntensityMissingError,
    VehicleError,
    UnknownSizeClassError,
    UnknownPowertrainError,
    UnknownRegionError,
    YearOutOfRangeError,
    InvalidShareError,
    InvalidVehicleParameterError,
    VehicleParameterMissingError,
    PactInvalidError,
    PactUnsupportedVersionError,
    MalformedRowError,
    MalformedTableError,
    MissingFieldError,
    MissingProductionError,
    MissingValueError,
    NegativeAmountError,
    NonFiniteError,
    NonSquareTechnosphereError,
    OutOfRangeError,
    ParameterCycleError,
    SingularTechnosphereError,
    TansoError,
    UnitError,
    UnitMismatchError,
    UnknownFuelError,
    UnknownGasError,
    UnknownGeographyError,
    UnknownGwpSetError,
    UnknownIdError,
    UnknownOperationError,
    UnknownParameterError,
    UnknownSiteError,
    UnknownUnitError,
    ValueCountError,
    from_raw,
)
from ._import import ImportedDatabase, import_database
from ._lca import LcaModel

#: The package version (the Rust crate's).
__version__: str = _tanso.__version__

#: The names of every operation of core's document API (``tanso::api::OPERATIONS``).
OPERATIONS: Tuple[str, ...] = tuple(name for name, _ in _tanso.OPERATIONS)

_SUMMARIES: Dict[str, str] = dict(_tanso.OPERATIONS)


def call(operation: str, document: Any) -> Any:
    """Runs ``operation`` of the document API on ``document`` and returns its result.

    Raises the :class:`TansoError` subclass of the error's code. ``document`` is only read.
    """
    try:
        return _tanso.call(operation, document)
    except _tanso.RawTansoError as e:
        raise from_raw(*e.args) from None


def call_json(operation: str, document: str) -> str:
    """Like :func:`call`, on JSON text in and out (decimals as strings), as JS and Kotlin see it."""
    try:
        return _tanso.call_json(operation, document)
    except _tanso.RawTansoError as e:
        raise from_raw(*e.args) from None


class Columns(Protocol):
    """A table of named columns, such as a pandas DataFrame."""

    @property
    def columns(self) -> Iterable[Any]: ...

    def __getitem__(self, key: Any, /) -> Any: ...


#: What an operation takes: a dict (or other Mapping) of fields, or a table of columns.
Document = Union[Mapping[str, Any], Columns]


class Operation(Protocol):
    """An operation of the document API, called with a dict, keyword arguments, or both.

    ``convert({"value": "1", "from": "t", "to": "kg"})`` and
    ``convert(value="1", to="kg", **{"from": "t"})`` are the same call; keyword arguments are
    merged over the dict into a new dict (the caller's dict is never changed). A pandas
    DataFrame counts as the dict of its columns, and numpy arrays and pandas Series as lists,
    so ``batch(df, year=2022)`` takes a ledger with columns kind, key, amount and unit.
    """

    __name__: str

    def __call__(self, document: Optional[Document] = None, /, **fields: Any) -> Dict[str, Any]: ...


def _columns(document: Any) -> Any:
    """A pandas DataFrame (anything with ``columns`` that is not a Mapping) → a dict of columns."""
    if document is not None and not isinstance(document, Mapping) and hasattr(document, "columns"):
        return {str(c): document[c] for c in document.columns}
    return document


def _operation(name: str) -> Operation:
    def op(document: Optional[Document] = None, /, **fields: Any) -> Dict[str, Any]:
        base = _columns(document)
        if base is None:
            doc: Any = fields
        elif fields:
            doc = {**base, **fields}
        else:
            doc = base
        result: Dict[str, Any] = call(name, doc)
        return result

    op.__name__ = op.__qualname__ = name
    op.__module__ = __name__
    summary = _SUMMARIES.get(name, "")
    op.__doc__ = (
        f"{summary[:1].upper()}{summary[1:]}.\n\n"
        f"Takes the input document as a dict, as keyword arguments, or both, and returns the\n"
        f"result document, decimals as ``decimal.Decimal``. Same as ``tanso.call({name!r}, document)``."
    )
    return op


# The exported API: one line per operation of core's OPERATIONS, same names in every binding.
# tests/test_api.py checks this against the `catalog` operation.
convert: Operation = _operation("convert")
gwp: Operation = _operation("gwp")
lookup_factor: Operation = _operation("lookup_factor")
fuel: Operation = _operation("fuel")
calculate: Operation = _operation("calculate")
inventory: Operation = _operation("inventory")


_BATCH_COLUMNS = ("kind", "key", "amount", "unit")
_BATCH_OPTIONS = ("year", "gwp_set", "factors")


def batch(document: Optional[Document] = None, /, *, exact: bool = False, **fields: Any) -> Any:
    """A pandas DataFrame (columns kind, key, amount, unit; other columns are ignored) returns a
    DataFrame with the same index and columns ``co2e_kg``, ``scope`` and ``error_code`` (None
    where the row succeeded); ``.attrs`` holds ``total_co2e_kg`` (exact Decimal) and
    ``errors``. A dict (or keywords) whose columns include a numpy array or pandas Series
    returns a dict of columns: ``co2e_kg`` (numpy float64), ``scope`` (numpy int64),
    ``total_co2e_kg`` (Decimal) and ``errors`` (dicts row/code/message). Anything else (plain
    lists) is the document API, ``tanso.call("batch", document)``: Decimals, exact.

    Numbers: a float64 amount is the decimal of its shortest repr (``0.1`` is exactly 0.1).
    Core computes in exact decimals; ``co2e_kg`` as float64 is the float nearest to each
    exact result, converted only at the end (NaN where the row failed). ``exact=True`` gives
    ``co2e_kg`` as ``decimal.Decimal`` (None where the row failed) for ledgers and ERPs.
    ``total_co2e_kg`` is always the exact Decimal sum.

    Errors: a bad cell fails only its row, like core's other row errors (NaN →
    ``NON_FINITE``, unknown fuel → ``UNKNOWN_FUEL``); columns of different lengths raise
    :class:`ColumnLengthError`. The GIL is released while core computes.

        >>> import numpy as np, tanso
        >>> out = tanso.batch(kind=["fuel", "fuel"], key=["cn_raw_coal", "deisel"],
        ...                   amount=np.array([1000.0, 5.0]), unit=["kg", "kg"], year=2022)
        >>> out["co2e_kg"].tolist(), out["total_co2e_kg"], out["errors"][0]["code"]
        ([1900.2988488, nan], Decimal('1900.2988488'), 'UNKNOWN_FUEL')
    """
    frame: Any = document if _is_frame(document) else None
    if frame is not None:
        base: Any = {c: frame[c] for c in _BATCH_COLUMNS if c in frame.columns}
    else:
        base = document
    doc: Dict[str, Any] = {**(base or {}), **fields}
    fast = frame is not None or any(hasattr(doc.get(c), "dtype") for c in _BATCH_COLUMNS)
    # Missing or unknown fields: the document API raises core's error for them.
    if fast and all(c in doc for c in (*_BATCH_COLUMNS, "year")) and set(doc) <= {*_BATCH_COLUMNS, *_BATCH_OPTIONS}:
        options = {k: doc[k] for k in ("gwp_set", "factors") if k in doc}
        try:
            out: Dict[str, Any] = _tanso.batch_columns(
                doc["kind"], doc["key"], doc["amount"], doc["unit"], doc["year"], exact=exact, **options
            )
        except _tanso.RawTansoError as e:
            raise from_raw(*e.args) from None
        if frame is None:
            return out
        codes: List[Optional[str]] = [None] * len(out["scope"])
        for err in out["errors"]:
            codes[err["row"]] = err["code"]
        pandas = importlib.import_module("pandas")
        result = pandas.DataFrame(
            {
                "co2e_kg": out["co2e_kg"],
                "scope": out["scope"],
                "error_code": pandas.Series(codes, index=frame.index, dtype=object),
            },
            index=frame.index,
        )
        result.attrs["total_co2e_kg"] = out["total_co2e_kg"]
        result.attrs["errors"] = out["errors"]
        return result
    return call("batch", doc)


_summary = _SUMMARIES.get("batch", "")
batch.__doc__ = f"{_summary[:1].upper()}{_summary[1:]} (the batch fast path).\n\n    {batch.__doc__}"


def _is_frame(document: Any) -> bool:
    """A pandas DataFrame: anything with ``columns`` that is not a Mapping."""
    return document is not None and not isinstance(document, Mapping) and hasattr(document, "columns")


catalog: Operation = _operation("catalog")
cbam_goods: Operation = _operation("cbam_goods")
cbam_embedded: Operation = _operation("cbam_embedded")
cbam_obligation: Operation = _operation("cbam_obligation")
pact_validate: Operation = _operation("pact_validate")
pact_convert: Operation = _operation("pact_convert")
pact_summary: Operation = _operation("pact_summary")
pact_export: Operation = _operation("pact_export")
materials: Operation = _operation("materials")
product_footprint: Operation = _operation("product_footprint")
supply_network: Operation = _operation("supply_network")
supply_audit: Operation = _operation("supply_audit")
vehicle: Operation = _operation("vehicle")
vehicle_grid: Operation = _operation("vehicle_grid")
vehicle_defaults: Operation = _operation("vehicle_defaults")
lca: Operation = _operation("lca")
lca_monte_carlo: Operation = _operation("lca_monte_carlo")
lca_import: Operation = _operation("lca_import")

__all__ = [
    "OPERATIONS",
    "Columns",
    "Document",
    "Operation",
    "__version__",
    "call",
    "call_json",
    # operations
    "batch",
    "calculate",
    "catalog",
    "cbam_embedded",
    "cbam_goods",
    "cbam_obligation",
    "convert",
    "fuel",
    "gwp",
    "inventory",
    "lca",
    "lca_monte_carlo",
    "lca_import",
    "lookup_factor",
    "materials",
    "product_footprint",
    "pact_convert",
    "pact_export",
    "pact_summary",
    "pact_validate",
    "supply_audit",
    "supply_network",
    "vehicle",
    "vehicle_defaults",
    "vehicle_grid",
    # LCA model
    "LcaModel",
    "ImportedDatabase",
    "import_database",
    # errors
    "AREA_CLASSES",
    "ERROR_CLASSES",
    "TansoError",
    "AccountingError",
    "FactorError",
    "GhgError",
    "InputError",
    "LcaError",
    "CbamError",
    "ExchangeError",
    "MaterialError",
    "MaterialNotFoundError",
    "InvalidRecycledContentError",
    "ProductError",
    "InvalidBomError",
    "InvalidAllocationError",
    "RecyclingParameterMissingError",
    "InvalidSupplierPcfError",
    "SupplyError",
    "InvalidNetworkError",
    "UnknownReferenceError",
    "TransportIntensityMissingError",
    "VehicleError",
    "UnknownSizeClassError",
    "UnknownPowertrainError",
    "UnknownRegionError",
    "YearOutOfRangeError",
    "InvalidShareError",
    "InvalidVehicleParameterError",
    "VehicleParameterMissingError",
    "PactInvalidError",
    "PactUnsupportedVersionError",
    "UnitError",
    "InvalidCnCodeError",
    "NotCbamGoodError",
    "UnknownRouteError",
    "InvalidCountryError",
    "DefaultValueNotFoundError",
    "BenchmarkNotFoundError",
    "CertificatePriceMissingError",
    "UnknownScenarioError",
    "CbamParameterMissingError",
    "ColumnLengthError",
    "DoubleClaimError",
    "FactorNotFoundError",
    "GwpNotAvailableError",
    "GwpSetMismatchError",
    "InvalidBlendError",
    "InvalidCurrencyError",
    "InvalidDecimalError",
    "InvalidInputError",
    "MalformedRowError",
    "MalformedTableError",
    "MissingFieldError",
    "NegativeAmountError",
    "NonFiniteError",
    "OutOfRangeError",
    "UnitMismatchError",
    "UnknownFuelError",
    "UnknownGasError",
    "UnknownGeographyError",
    "UnknownGwpSetError",
    "UnknownOperationError",
    "UnknownSiteError",
    "UnknownUnitError",
    "DuplicateIdError",
    "DuplicateParameterError",
    "FormulaEvaluationError",
    "FormulaSyntaxError",
    "InvalidDistributionError",
    "InvalidSettingError",
    "MalformedDataError",
    "MissingReferenceError",
    "UnconvertibleUnitError",
    "UnsupportedSchemaError",
    "MissingProductionError",
    "MissingValueError",
    "NonSquareTechnosphereError",
    "ParameterCycleError",
    "SingularTechnosphereError",
    "UnknownIdError",
    "UnknownParameterError",
    "ValueCountError",
]
