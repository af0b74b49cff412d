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
    assert matches(case["expected"], result), first_mismatch(case["expected"], result)


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
    """The Python objects are exactly core's JSON document, decimals as Decimal (full equality)."""
    text = json.dumps(case["input"])
    if "error" in case:
        with pytest.raises(tanso.TansoError) as info:
            tanso.call_json(case["operation"], text)
        assert info.value.code == case["error"]
        return
    from_json = json.loads(tanso.call_json(case["operation"], text))
    assert to_json_shape(tanso.call(case["operation"], case["input"])) == from_json
