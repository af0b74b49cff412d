"""Every case of every file in testdata/vectors/, by the shared matching rule."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

import tanso
from conftest import VECTORS, first_mismatch, matches, to_json_shape


def _load_cases() -> List[Any]:
    params = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(doc["cases"]):
            params.append(pytest.param(case, id=f"{path.stem}[{i}] {case['name']}"))
    return params


CASES = _load_cases()


def test_vector_files_are_found() -> None:
    assert list(VECTORS.glob("*.json")), f"no vector files in {VECTORS}"
    assert len(CASES) > 0


def _check(case: Dict[str, Any], result: Any) -> None:
    assert "error" not in case, f"expected error {case['error']}, got {result!r}"
    tolerance = case.get("tolerance")
    assert matches(case["expected"], result, tolerance), first_mismatch(case["expected"], result, "$", tolerance)


@pytest.mark.parametrize("case", CASES)
def test_vector(case: Dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(tanso.TansoError) as info:
            tanso.call(case["operation"], case["input"])
        assert info.value.code == case["error"], info.value.message
        # Raised as the typed class of its code.
        assert type(info.value) is tanso.ERROR_CLASSES[case["error"]]
        assert info.value.message
    else:
        _check(case, tanso.call(case["operation"], case["input"]))


@pytest.mark.parametrize("case", CASES)
def test_vector_same_as_json(case: Dict[str, Any]) -> None:
    """The Python objects are exactly core's JSON document, decimals as Decimal, binary64
    numbers as float (full equality)."""
    text = json.dumps(case["input"])
    if "error" in case:
        with pytest.raises(tanso.TansoError) as info:
            tanso.call_json(case["operation"], text)
        assert info.value.code == case["error"]
        return
    from_json = json.loads(tanso.call_json(case["operation"], text))
    assert to_json_shape(tanso.call(case["operation"], case["input"])) == from_json


def test_tolerance_rule() -> None:
    """The shared rule for numbers of a case with `tolerance`."""
    assert matches({"x": 1}, {"x": 1.0 + 1e-12}, 1e-9)
    assert not matches({"x": 1}, {"x": 1.0 + 1e-12})
    assert not matches({"x": 1}, {"x": 1.001}, 1e-9)
    assert matches([0], [1e-10], 1e-9) and not matches([0], [1e-8], 1e-9)
    assert not matches([True], [1.0], 1e-9)
    assert matches(["a"], ["a"], 1e-9) and not matches(["a"], ["b"], 1e-9)
