"""Typed errors: a class per code and per area, kept in step with core; failures change nothing."""

from __future__ import annotations

import copy
import math
import pickle
import re
from decimal import Decimal
from typing import Any

import pytest

import tanso
from conftest import error_codes

CODES = error_codes()
AREA_CLASS = {
    "units": tanso.UnitError,
    "ghg": tanso.GhgError,
    "factors": tanso.FactorError,
    "accounting": tanso.AccountingError,
    "input": tanso.InputError,
    "lca": tanso.LcaError,
    "cbam": tanso.CbamError,
    "exchange": tanso.ExchangeError,
    "materials": tanso.MaterialError,
    "product": tanso.ProductError,
    "supply": tanso.SupplyError,
    "vehicle": tanso.VehicleError,
}


def class_name(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("_")) + "Error"


def test_code_list_is_cores() -> None:
    """testdata/error_codes.json, core's ERROR_CODES and the catalog agree."""
    assert CODES == [tuple(c) for c in tanso._tanso.ERROR_CODES]
    assert CODES == [(e["code"], e["area"]) for e in tanso.catalog()["error_codes"]]


@pytest.mark.parametrize("code,area", CODES)
def test_typed_error_for_every_code(code: str, area: str) -> None:
    cls = getattr(tanso, class_name(code))
    assert issubclass(cls, AREA_CLASS[area])
    assert issubclass(cls, tanso.TansoError) and issubclass(cls, ValueError)
    assert cls.code == code and cls.area == area
    assert tanso.ERROR_CLASSES[code] is cls
    assert class_name(code) in tanso.__all__
    e = tanso._errors.from_raw(code, area, "msg")
    assert type(e) is cls and e.code == code and e.area == area and e.message == "msg"


def test_no_stale_error_classes() -> None:
    """Every Python error class is a code core still has."""
    assert sorted(tanso.ERROR_CLASSES) == sorted(code for code, _ in CODES)
    assert sorted(tanso.AREA_CLASSES) == sorted(AREA_CLASS)


def test_unknown_code_falls_back_to_its_area() -> None:
    e = tanso._errors.from_raw("SOME_NEW_CODE", "ghg", "m")
    assert type(e) is tanso.GhgError and e.code == "SOME_NEW_CODE" and e.area == "ghg"
    e = tanso._errors.from_raw("X", "new_area", "m")
    assert type(e) is tanso.TansoError and e.code == "X" and e.area == "new_area"


def test_raised_error_carries_code_area_message() -> None:
    with pytest.raises(tanso.UnitError) as info:
        tanso.convert({"value": "1", "from": "kg", "to": "kWh"})
    e = info.value
    assert type(e) is tanso.UnitMismatchError
    assert (e.code, e.area) == ("UNIT_MISMATCH", "units")
    assert str(e) == e.message and "kWh" in e.message
    assert "UNIT_MISMATCH" in repr(e)
    assert e.__cause__ is None and e.__suppress_context__  # the raw error is not shown
    assert isinstance(e, ValueError)


def test_errors_pickle() -> None:
    with pytest.raises(tanso.TansoError) as info:
        tanso.gwp(gas="R-999")
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is tanso.UnknownGasError
    assert (back.code, back.area, back.message) == (info.value.code, info.value.area, info.value.message)
    assert type(back).__module__ == "tanso"


@pytest.mark.parametrize(
    "doc",
    [
        {"value": "1", "from": "kg", "to": "kWh", "extra": {"nested": [1, 2, {"a": "b"}]}},
        {"value": float("nan"), "from": "kg", "to": "t", "tags": ["x", "y"]},
        {"value": "not a number", "from": "kg", "to": "t"},
        {"value": "1", "from": "kg", "to": "kWh"},
    ],
)
def test_failed_call_leaves_input_unchanged(doc: Any) -> None:
    before = copy.deepcopy(doc)
    ids = {k: id(v) for k, v in doc.items()}
    with pytest.raises(tanso.TansoError):
        tanso.convert(doc)
    # NaN != NaN, so compare the repr for that case.
    assert repr(doc) == repr(before)
    assert {k: id(v) for k, v in doc.items()} == ids


def test_successful_call_leaves_input_unchanged() -> None:
    doc = {"value": Decimal("2.50"), "from": "t", "to": "kg"}
    before = copy.deepcopy(doc)
    out = tanso.convert(doc)
    assert doc == before and out is not doc
    assert out == {"value": Decimal("2500"), "unit": "kg"}


def test_non_finite_float_is_non_finite_error() -> None:
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(tanso.NonFiniteError) as info:
            tanso.convert({"value": bad, "from": "kg", "to": "t"})
        assert info.value.area == "input"
        assert info.value.message.startswith("value:"), info.value.message


def test_non_finite_decimal_is_non_finite_error() -> None:
    for bad in (Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("sNaN")):
        with pytest.raises(tanso.NonFiniteError):
            tanso.convert({"value": bad, "from": "kg", "to": "t"})


def test_non_finite_error_names_nested_path() -> None:
    with pytest.raises(tanso.NonFiniteError) as info:
        tanso.call("calculate", {"record": {"type": "fuel_combustion", "quantity": {"value": math.nan, "unit": "kg"}}})
    assert info.value.message.startswith("record.quantity.value:"), info.value.message
    with pytest.raises(tanso.NonFiniteError) as info:
        tanso.call("inventory", {"records": [{}, {"x": [1, math.inf]}]})
    assert info.value.message.startswith("records[1].x[1]:"), info.value.message


def test_unsupported_python_type_is_invalid_input() -> None:
    with pytest.raises(tanso.InvalidInputError) as info:
        tanso.convert({"value": object(), "from": "kg", "to": "t"})
    assert re.search(r"value: a object is not a document value", info.value.message), info.value.message
    with pytest.raises(tanso.InvalidInputError):
        tanso.convert({"value": {1, 2}, "from": "kg", "to": "t"})
    with pytest.raises(tanso.InvalidInputError):
        tanso.convert({"value": b"1", "from": "kg", "to": "t"})


def test_non_str_key_is_invalid_input() -> None:
    with pytest.raises(tanso.InvalidInputError) as info:
        tanso.convert({"value": "1", "from": "kg", "to": "t", 3: "x"})
    assert "key 3 is not a str" in info.value.message


def test_cyclic_document_is_invalid_input() -> None:
    doc: Any = {"value": "1", "from": "kg", "to": "t"}
    doc["self"] = doc
    with pytest.raises(tanso.InvalidInputError) as info:
        tanso.convert(doc)
    assert "cyclic" in info.value.message


def test_python_exception_in_document_propagates() -> None:
    class BadStr(Decimal):
        def __str__(self) -> str:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        tanso.convert({"value": BadStr("1"), "from": "kg", "to": "t"})


def test_unknown_operation() -> None:
    with pytest.raises(tanso.UnknownOperationError) as info:
        tanso.call("no_such_operation", {})
    assert "convert" in info.value.message
