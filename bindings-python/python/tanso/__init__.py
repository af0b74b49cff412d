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

Threads: the GIL is released while core computes, so calls from several threads run in
parallel. Functions, results and errors are picklable (Dask, Ray, Spark workers).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping, Optional, Protocol, Tuple, Union

from . import _tanso
from ._errors import (
    AREA_CLASSES,
    ERROR_CLASSES,
    AccountingError,
    ColumnLengthError,
    DoubleClaimError,
    FactorError,
    FactorNotFoundError,
    GhgError,
    GwpNotAvailableError,
    GwpSetMismatchError,
    InputError,
    InvalidBlendError,
    InvalidCurrencyError,
    InvalidDecimalError,
    InvalidInputError,
    MalformedRowError,
    MalformedTableError,
    MissingFieldError,
    NegativeAmountError,
    NonFiniteError,
    OutOfRangeError,
    TansoError,
    UnitError,
    UnitMismatchError,
    UnknownFuelError,
    UnknownGasError,
    UnknownGeographyError,
    UnknownGwpSetError,
    UnknownOperationError,
    UnknownSiteError,
    UnknownUnitError,
    from_raw,
)

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
batch: Operation = _operation("batch")
catalog: Operation = _operation("catalog")

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
    "convert",
    "fuel",
    "gwp",
    "inventory",
    "lookup_factor",
    # errors
    "AREA_CLASSES",
    "ERROR_CLASSES",
    "TansoError",
    "AccountingError",
    "FactorError",
    "GhgError",
    "InputError",
    "UnitError",
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
]
