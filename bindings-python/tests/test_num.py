"""Numbers: decimals never pass through a float (mirrors core's num module)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

import numpy as np
import pandas as pd
import pytest

import tanso


def walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


def kg_to_kg(value: Any) -> Any:
    return tanso.convert({"value": value, "from": "kg", "to": "kg"})["value"]


def test_28_significant_digits_round_trip_exactly() -> None:
    s = "1234567890.123456789012345678"
    out = kg_to_kg(s)
    assert type(out) is Decimal
    assert out == Decimal(s) and format(out, "f") == s
    assert kg_to_kg(Decimal(s)) == Decimal(s)


def test_results_are_decimal_never_float(catalog: Any) -> None:
    docs = [catalog, tanso.gwp(gas="R-407C", gwp_set="AR4"), tanso.convert(value="1", to="GJ", **{"from": "tce"})]
    for doc in docs:
        assert not [v for v in walk(doc) if isinstance(v, float)]
    assert all(isinstance(u["to_base"], Decimal) for u in catalog["units"])


def test_float_uses_its_shortest_repr() -> None:
    assert kg_to_kg(0.1) == Decimal("0.1")
    assert str(kg_to_kg(0.1)) == "0.1"
    assert kg_to_kg(1 / 3) == Decimal(repr(1 / 3))
    assert kg_to_kg(2.5e-7) == Decimal("2.5E-7")
    assert tanso.convert(value=0.1, to="kg", **{"from": "t"})["value"] == Decimal("100")


def test_decimal_and_int_inputs() -> None:
    assert kg_to_kg(Decimal("1.2500")) == Decimal("1.25")
    assert kg_to_kg(7) == Decimal(7)
    assert kg_to_kg(-3) == Decimal(-3)
    assert kg_to_kg(2**63) == Decimal(2**63)  # u64
    assert kg_to_kg(10**25) == Decimal(10**25)  # beyond 64 bits: passed as its digits
    with pytest.raises(tanso.TansoError):
        kg_to_kg(10**40)  # beyond 28 digits


def test_bool_is_not_a_number() -> None:
    with pytest.raises(tanso.InvalidInputError):
        kg_to_kg(True)


def test_numpy_scalars() -> None:
    assert kg_to_kg(np.float64(0.1)) == Decimal("0.1")
    assert kg_to_kg(np.int64(42)) == Decimal(42)
    assert kg_to_kg(np.int32(-5)) == Decimal(-5)
    with pytest.raises(tanso.NonFiniteError):
        kg_to_kg(np.float64("nan"))


def test_pandas_records_in_decimals_out() -> None:
    df = pd.DataFrame({"value": [0.1, 2.5, 1000.0], "from": ["t", "kg", "g"], "to": ["kg", "g", "kg"]})
    out = pd.DataFrame([tanso.convert(rec) for rec in df.to_dict("records")])
    assert list(out["value"]) == [Decimal("100"), Decimal("2500"), Decimal("1")]
    assert out["value"].sum() == Decimal("2601")  # object column of Decimals stays exact


def test_numpy_arrays_and_series_are_lists() -> None:
    doc = {
        "kind": np.array(["fuel", "fuel"]),
        "key": pd.Series(["cn_raw_coal", "cn_raw_coal"]),
        "amount": np.array([1000.0, 0.1]),
        "unit": ["kg", "t"],
        "year": 2022,
    }
    out = tanso.call("batch", doc)
    assert out["co2e_kg"] == [Decimal("1900.2988488"), Decimal("190.02988488")]
    with pytest.raises(tanso.NonFiniteError) as info:
        tanso.call("batch", {**doc, "amount": np.array([np.nan, 1.0])})
    assert info.value.message.startswith("amount[0]:"), info.value.message


def test_batch_takes_a_dataframe() -> None:
    ledger = pd.DataFrame(
        {
            "kind": ["fuel", "electricity", "fuel"],
            "key": ["cn_raw_coal", "CN", "deisel"],
            "amount": [1000, 2, 5],
            "unit": ["kg", "MWh", "kg"],
        }
    )
    before = ledger.copy()
    out = tanso.batch(ledger, year=2022, exact=True)
    pd.testing.assert_frame_equal(ledger, before)  # the caller's frame is unchanged
    assert out["co2e_kg"].tolist() == [Decimal("1900.2988488"), Decimal("1073.2"), None]
    assert out.attrs["total_co2e_kg"] == Decimal("2973.4988488")
    assert [(e["row"], e["code"]) for e in out.attrs["errors"]] == [(2, "UNKNOWN_FUEL")]
    ledger["co2e_kg"] = out["co2e_kg"]  # results drop straight into the frame, exact
    assert ledger["co2e_kg"].iloc[1] == Decimal("1073.2")
