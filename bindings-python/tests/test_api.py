"""The exported API: every core operation under its own name, called as documented."""

from __future__ import annotations

import doctest
import pickle
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tanso


def test_every_catalog_operation_is_exposed(catalog: Any) -> None:
    names = [op["name"] for op in catalog["operations"]]
    assert names, "catalog lists no operations"
    assert list(tanso.OPERATIONS) == names
    for name in names:
        fn = getattr(tanso, name, None)
        assert callable(fn), f"tanso.{name} is missing"
        assert fn.__name__ == name
        assert name in tanso.__all__
        assert fn.__doc__ and op_summary(catalog, name)[1:] in fn.__doc__


def op_summary(catalog: Any, name: str) -> str:
    return next(op["summary"] for op in catalog["operations"] if op["name"] == name)


def test_no_function_for_an_operation_core_does_not_have(catalog: Any) -> None:
    names = {op["name"] for op in catalog["operations"]}
    exported = {n for n in tanso.__all__ if isinstance(getattr(tanso, n), type(tanso.convert))}
    exported -= {"call", "call_json", "import_database"}  # import_database reads files; its operation is lca_import
    assert exported <= names, exported - names


def test_dict_keywords_or_both() -> None:
    expected = {"value": Decimal("1500"), "unit": "kg"}
    assert tanso.convert({"value": "1.5", "from": "t", "to": "kg"}) == expected
    assert tanso.convert(value="1.5", to="kg", **{"from": "t"}) == expected
    base = {"value": "9", "from": "t", "to": "kg"}
    assert tanso.convert(base, value="1.5") == expected
    assert base["value"] == "9"  # keywords merge into a new dict
    assert tanso.call("convert", {"value": "1.5", "from": "t", "to": "kg"}) == expected


def test_catalog_takes_no_arguments(catalog: Any) -> None:
    assert tanso.catalog() == catalog
    assert {"operations", "error_codes", "units"} <= set(catalog)


def test_call_json_is_cores_text() -> None:
    assert tanso.call_json("convert", '{"value":"1","from":"tce","to":"GJ"}') == '{"value":"29.3076","unit":"GJ"}'


def test_functions_and_results_pickle() -> None:
    fn = pickle.loads(pickle.dumps(tanso.convert))
    assert fn is tanso.convert
    out = tanso.gwp(gas="R-410A", gwp_set="AR4")
    assert pickle.loads(pickle.dumps(out)) == out


def test_version() -> None:
    assert tanso.__version__ == tanso._tanso.__version__
    assert tanso.__version__.count(".") == 2


def test_concurrent_calls_from_threads() -> None:
    """The GIL is released in core; results from many threads are all right."""
    barrier = threading.Barrier(4)

    def work(i: int) -> Decimal:
        barrier.wait()
        total = Decimal(0)
        for _ in range(200):
            total += tanso.convert(value=str(i), to="kg", **{"from": "t"})["value"]
        return total

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(4)))
    assert results == [Decimal(i * 1000 * 200) for i in range(4)]


def test_stubs_match_runtime(tmp_path: Path) -> None:
    """The .pyi stub of the compiled module and the typed package agree with the runtime
    (mypy.stubtest), and the package passes mypy --strict."""
    pytest.importorskip("mypy")
    for args in (["mypy.stubtest", "tanso"], ["mypy", "--strict", "-p", "tanso"]):
        proc = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_package_ships_types() -> None:
    pkg = Path(tanso.__file__).parent
    assert (pkg / "py.typed").exists()
    assert (pkg / "_tanso.pyi").exists()


def test_docstring_examples() -> None:
    """The examples in the package docstring run (docs examples are tests)."""
    failures, tried = doctest.testmod(tanso, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
