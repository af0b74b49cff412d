"""The batch fast path (`_tanso.batch_columns`, `tanso.batch` on arrays and DataFrames)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Dict

import numpy as np
import pandas as pd
import pytest

import tanso
from conftest import VECTORS


def vector_case() -> Dict[str, Any]:
    cases = json.loads((VECTORS / "batch.json").read_text(encoding="utf-8"))["cases"]
    case: Dict[str, Any] = next(c for c in cases if "expected" in c)
    return case


def test_fast_path_agrees_exactly_with_the_document_api() -> None:
    doc = vector_case()["input"]
    generic = tanso.call("batch", doc)
    cols = {k: doc[k] for k in ("kind", "key", "amount", "unit")}
    exact = tanso._tanso.batch_columns(**cols, year=doc["year"], exact=True)
    assert exact["co2e_kg"] == generic["co2e_kg"]
    assert exact["scope"].tolist() == generic["scope"]
    assert exact["total_co2e_kg"] == generic["total_co2e_kg"]
    assert exact["errors"] == generic["errors"]
    # The float64 column is the float nearest each exact decimal (NaN where the row failed).
    floats = tanso._tanso.batch_columns(**cols, year=doc["year"])
    assert floats["co2e_kg"].dtype == np.float64
    expected = [np.nan if d is None else float(d) for d in generic["co2e_kg"]]
    np.testing.assert_array_equal(floats["co2e_kg"], np.array(expected))
    assert floats["total_co2e_kg"] == generic["total_co2e_kg"]


def test_the_vector_through_a_dataframe() -> None:
    case = vector_case()
    doc, want = case["input"], case["expected"]
    df = pd.DataFrame({k: doc[k] for k in ("kind", "key", "unit")})
    df["amount"] = [Decimal(str(a)) for a in doc["amount"]]
    out = tanso.batch(df, year=doc["year"], exact=True)
    assert [None if d is None else format(d, "f") for d in out["co2e_kg"]] == want["co2e_kg"]
    assert out["scope"].tolist() == want["scope"]
    assert format(out.attrs["total_co2e_kg"], "f") == want["total_co2e_kg"]
    assert [(e["row"], e["code"]) for e in out.attrs["errors"]] == [(e["row"], e["code"]) for e in want["errors"]]


def test_a_float64_amount_is_its_shortest_repr() -> None:
    out = tanso._tanso.batch_columns(
        ["electricity"], ["CN"], np.array([0.1]), ["MWh"], 2022, exact=True
    )
    # 0.1 MWh × 536.6 kg/MWh, exactly: 0.1 counts as 0.1, not 0.1000000000000000055…
    assert out["co2e_kg"] == [Decimal("53.66")]
    generic = tanso.batch(kind=["electricity"], key=["CN"], amount=[0.1], unit=["MWh"], year=2022)
    assert out["co2e_kg"] == generic["co2e_kg"]
    floats = tanso.batch(kind=["electricity"], key=["CN"], amount=np.array([0.1]), unit=["MWh"], year=2022)
    assert floats["co2e_kg"].tolist() == [53.66]


def test_strided_and_object_amounts() -> None:
    amounts = np.array([[1000.0, 0.0], [0.1, 0.0]])[:, 0]  # not contiguous
    assert not amounts.flags["C_CONTIGUOUS"]
    out = tanso._tanso.batch_columns(["fuel", "fuel"], ["cn_raw_coal"] * 2, amounts, ["kg", "t"], 2022, exact=True)
    assert out["co2e_kg"] == [Decimal("1900.2988488"), Decimal("190.02988488")]
    mixed = np.array([Decimal("1000"), "1000", 1000, 1000.0], dtype=object)
    out = tanso._tanso.batch_columns(["fuel"] * 4, ["cn_raw_coal"] * 4, mixed, ["kg"] * 4, 2022, exact=True)
    assert out["co2e_kg"] == [Decimal("1900.2988488")] * 4


def test_a_bad_row_is_reported_not_fatal() -> None:
    out = tanso.batch(
        kind=np.array(["fuel", "fuel", "coal", "fuel", "fuel"], dtype=object),
        key=["cn_raw_coal", "cn_raw_coal", "cn_raw_coal", None, "deisel"],
        amount=np.array([1000.0, np.nan, 1.0, 1.0, 1.0]),
        unit=["kg"] * 5,
        year=2022,
    )
    assert out["co2e_kg"][0] == 1900.2988488
    assert np.isnan(out["co2e_kg"][1:]).all()
    assert out["scope"].tolist() == [1, 0, 0, 0, 0]
    assert out["total_co2e_kg"] == Decimal("1900.2988488")
    codes = [(e["row"], e["code"]) for e in out["errors"]]
    assert codes == [(1, "NON_FINITE"), (2, "OUT_OF_RANGE"), (3, "INVALID_INPUT"), (4, "UNKNOWN_FUEL")]
    assert out["errors"][0]["message"].startswith("amount[1]:"), out["errors"][0]["message"]
    assert "kind[2]" in out["errors"][1]["message"]
    assert "key[3]" in out["errors"][2]["message"]


def test_column_length_mismatch() -> None:
    with pytest.raises(tanso.ColumnLengthError) as info:
        tanso.batch(kind=["fuel"], key=["cn_raw_coal", "x"], amount=np.array([1.0]), unit=["kg"], year=2022)
    assert info.value.code == "COLUMN_LENGTH"
    with pytest.raises(tanso._tanso.RawTansoError) as raw:
        tanso._tanso.batch_columns(["fuel"], ["cn_raw_coal"], np.array([1.0, 2.0]), ["kg"], 2022)
    assert raw.value.args[:2] == ("COLUMN_LENGTH", "input")


def test_options_and_their_errors() -> None:
    table = (
        "activity,geography,year,unit,price_year,CO2,co2e,gwp_basis,publisher,status\n"
        "freight.road,GLO,2023,tkm,,0.08,,,benchmark,unverified\n"
    )
    factors = {"tables": [{"name": "t", "format": "csv", "text": table}]}
    out = tanso.batch(
        kind=["freight"], key=["freight.road"], amount=np.array([100.0]), unit=["tkm"], year=2023,
        factors=factors, gwp_set="AR5",
    )
    assert out["co2e_kg"].tolist() == [8.0]
    with pytest.raises(tanso.UnknownGwpSetError):
        tanso.batch(kind=["fuel"], key=["diesel"], amount=np.array([1.0]), unit=["kg"], year=2022, gwp_set="AR9")
    with pytest.raises(tanso.InvalidInputError, match="year"):  # the document API's error
        tanso.batch(kind=["fuel"], key=["diesel"], amount=np.array([1.0]), unit=["kg"])


def test_dataframe_in_dataframe_out() -> None:
    ledger = pd.DataFrame(
        {
            "kind": ["fuel", "electricity", "fuel"],
            "key": ["cn_raw_coal", "CN", "deisel"],
            "amount": [1000.0, 2.0, 5.0],
            "unit": ["kg", "MWh", "kg"],
            "note": ["other columns", "are", "ignored"],
        },
        index=[10, 20, 30],
    )
    before = ledger.copy()
    out = tanso.batch(ledger, year=2022)
    pd.testing.assert_frame_equal(ledger, before)  # the caller's frame is unchanged
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["co2e_kg", "scope", "error_code"]
    assert list(out.index) == [10, 20, 30]
    assert out["co2e_kg"].dtype == np.float64
    assert out["co2e_kg"].iloc[:2].tolist() == [1900.2988488, 1073.2]
    assert out["scope"].tolist() == [1, 2, 0]
    assert out["error_code"].tolist() == [None, None, "UNKNOWN_FUEL"]
    assert out.attrs["total_co2e_kg"] == Decimal("2973.4988488")
    exact = tanso.batch(ledger, year=2022, exact=True)
    assert exact["co2e_kg"].tolist() == [Decimal("1900.2988488"), Decimal("1073.2"), None]
    ledger["co2e_kg"] = out["co2e_kg"]  # aligned by index
    assert ledger["co2e_kg"].iloc[1] == 1073.2
