"""Shared helpers: where the shared test data lives, and the vector matching rule."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, List, Optional, Tuple

import pytest

import tanso

#: The repository root (bindings-python/tests/ → ../..).
ROOT = Path(__file__).resolve().parents[2]
TESTDATA = ROOT / "testdata"
VECTORS = TESTDATA / "vectors"


def error_codes() -> List[Tuple[str, str]]:
    """Every stable (code, area): testdata/error_codes.json, or core's catalog if absent."""
    path = TESTDATA / "error_codes.json"
    if path.exists():
        return [(e["code"], e["area"]) for e in json.loads(path.read_text(encoding="utf-8"))]
    return [(e["code"], e["area"]) for e in tanso.catalog()["error_codes"]]


def to_json_shape(value: Any) -> Any:
    """A Python result in the shape of core's JSON: each Decimal as core's decimal string."""
    if isinstance(value, Decimal):
        # Core's normalized decimal text; 'f' keeps plain notation as core writes it (1E-7 → 0.0000001).
        return format(value, "f")
    if isinstance(value, dict):
        return {k: to_json_shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json_shape(v) for v in value]
    return value


def _is_number(x: Any) -> bool:
    # bool is an int in Python but not a JSON number.
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _close(expected: Any, actual: Any, tolerance: Optional[float]) -> bool:
    """Numbers within the case's relative tolerance: |e − a| ≤ tol·max(|e|, |a|), or |a| ≤ tol
    when e is 0 (testdata/vectors/README.md)."""
    if tolerance is None or not (_is_number(expected) and _is_number(actual)):
        return False
    e, a = float(expected), float(actual)
    return abs(e - a) <= tolerance * max(abs(e), abs(a)) or (e == 0 and abs(a) <= tolerance)


def matches(expected: Any, actual: Any, tolerance: Optional[float] = None) -> bool:
    """The vectors' rule (testdata/vectors/README.md): `expected` is a subset of `actual`.

    Objects: every expected key is present and matches. Arrays: same length, each element
    matches. Scalars: equal, of the same JSON type (a decimal is compared as core's string);
    with a `tolerance` (relative), numbers match within it.
    """
    actual = to_json_shape(actual) if isinstance(actual, Decimal) else actual
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and matches(v, actual[k], tolerance) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(matches(e, a, tolerance) for e, a in zip(expected, actual))
        )
    # bool is an int in Python: compare JSON types, not just values.
    return (type(expected) is type(actual) and expected == actual) or _close(expected, actual, tolerance)


def first_mismatch(expected: Any, actual: Any, path: str = "$", tolerance: Optional[float] = None) -> str:
    """Where `expected` first fails to match `actual`, for assertion messages."""
    actual = to_json_shape(actual) if isinstance(actual, Decimal) else actual
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{path}: expected an object, got {actual!r}"
        for k, v in expected.items():
            if k not in actual:
                return f"{path}.{k}: missing (keys: {sorted(actual)})"
            if not matches(v, actual[k], tolerance):
                return first_mismatch(v, actual[k], f"{path}.{k}", tolerance)
        return ""
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return f"{path}: expected an array of {len(expected)}, got {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            if not matches(e, a, tolerance):
                return first_mismatch(e, a, f"{path}[{i}]", tolerance)
        return ""
    within = f" (relative tolerance {tolerance})" if tolerance is not None else ""
    return f"{path}: expected {expected!r}, got {actual!r}{within}"


@pytest.fixture(scope="session")
def catalog() -> Any:
    return tanso.catalog()

