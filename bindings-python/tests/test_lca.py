"""tanso.LcaModel: core's factorized LCA model with numpy, scipy.sparse and pandas."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
import threading
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
import pytest

import tanso
from conftest import TESTDATA

DUMP = TESTDATA / "lca" / "synthetic_n1000_seed1"


def _system() -> Dict[str, Any]:
    """Steel from electricity and coal (which need each other: a loop), slag treated as waste;
    every kind of uncertainty; two methods."""
    return {
        "processes": [
            {"id": "electricity", "name": "electricity, coal", "unit": "kWh", "location": "CN", "exchanges": [
                {"type": "production", "product": "electricity", "amount": 1},
                {"type": "technosphere", "product": "coal", "amount": 0.4, "uncertainty": {"kind": "lognormal", "sigma": 0.1}},
                {"type": "biosphere", "flow": "CO2", "amount": 0.9, "uncertainty": {"kind": "normal", "mean": 0.9, "sd": 0.05}}]},
            {"id": "coal", "name": "coal mining", "unit": "kg", "exchanges": [
                {"type": "production", "product": "coal", "amount": 1},
                {"type": "technosphere", "product": "electricity", "amount": 0.05},
                {"type": "biosphere", "flow": "CH4", "amount": 0.01,
                 "uncertainty": {"kind": "triangular", "min": 0.005, "mode": 0.01, "max": 0.02}}]},
            {"id": "steel", "name": "steel, BF-BOF", "unit": "kg", "exchanges": [
                {"type": "production", "product": "steel", "amount": 1},
                {"type": "technosphere", "product": "electricity", "amount": 0.5,
                 "uncertainty": {"kind": "uniform", "min": 0.4, "max": 0.6}},
                {"type": "technosphere", "product": "coal", "amount": 0.6,
                 "uncertainty": {"kind": "pert", "min": 0.5, "mode": 0.6, "max": 0.8}},
                {"type": "technosphere", "product": "slag", "amount": -0.2},
                {"type": "biosphere", "flow": "CO2", "amount": 1.5, "uncertainty": {"kind": "gamma", "shape": 50, "scale": 0.03}}]},
            {"id": "slag treatment", "unit": "kg", "exchanges": [
                {"type": "production", "product": "slag", "amount": -1},
                {"type": "technosphere", "product": "electricity", "amount": 0.1},
                {"type": "biosphere", "flow": "CO2", "amount": 0.02,
                 "uncertainty": {"kind": "beta", "alpha": 2, "beta": 5, "min": 0, "max": 0.06}}]},
        ],
        "flows": [
            {"id": "CO2", "name": "carbon dioxide, fossil", "unit": "kg", "compartment": "air"},
            {"id": "CH4", "name": "methane, fossil", "unit": "kg", "compartment": "air"},
        ],
        "methods": [
            {"id": "GWP100", "unit": "kg CO2e", "factors": [
                {"flow": "CO2", "factor": 1},
                {"flow": "CH4", "factor": 29.8, "uncertainty": {"kind": "discrete", "values": [27.0, 29.8], "weights": [1, 3]}}]},
            {"id": "CH4 mass", "unit": "kg", "factors": [{"flow": "CH4", "factor": 1}]},
        ],
    }


#: The steel system's GWP100 score of 1 kg steel (testdata/vectors/lca.json, the tree case).
STEEL_GWP = 2.2548


def close(a: float, b: float, rel: float = 1e-10) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


@pytest.fixture(scope="module")
def model() -> tanso.LcaModel:
    return tanso.LcaModel(_system())


@pytest.fixture(scope="module")
def dump() -> tanso.LcaModel:
    return tanso.LcaModel.from_dump(DUMP.with_suffix(".npz"), DUMP.with_suffix(".json"))


@pytest.fixture(scope="module")
def references() -> List[Dict[str, Any]]:
    refs: List[Dict[str, Any]] = json.loads(DUMP.with_suffix(".json").read_text())["reference_scores_scipy_spsolve"]
    assert len(refs) == 5
    return refs


def unit(n: int, j: int) -> Any:
    e = np.zeros(n)
    e[j] = 1.0
    return e


# --- the 1000-activity dump ----------------------------------------------------------------


def test_dump_reference_scores(dump: tanso.LcaModel, references: List[Dict[str, Any]]) -> None:
    """SciPy's spsolve scores of the dump, to 1e-10 relative, from one factorization."""
    d = dump.describe()
    assert (d["activities"], d["flows"]) == (1000, 2000)
    assert dump.method_ids == ["score"]
    assert dump.activity_ids == list(range(1000)) and dump.flow_ids == list(range(2000))
    for ref in references:
        scores = dump.scores(unit(1000, ref["demand_index"]))
        assert scores.dtype == np.float64 and scores.shape == (1,)
        assert close(float(scores[0]), ref["score"]), (ref, scores)
        # The same demand by id.
        assert close(float(dump.scores({ref["demand_index"]: 1.0})[0]), ref["score"])


def test_dump_new_demands_reuse_the_model(dump: tanso.LcaModel, references: List[Dict[str, Any]]) -> None:
    a, b = references[0], references[1]
    f = 2.0 * unit(1000, a["demand_index"]) + 3.0 * unit(1000, b["demand_index"])
    assert close(float(dump.scores(f)[0]), 2.0 * a["score"] + 3.0 * b["score"])
    # supply solves A x = f; inventory is B x; the score is c·g.
    x = dump.supply(f)
    A, B = dump.technosphere_matrix(), dump.biosphere_matrix()
    assert A.shape == (1000, 1000) and B.shape == (2000, 1000)
    assert np.abs(A @ x - f).max() <= 1e-12 * np.abs(f).max()
    g = dump.inventory(f)
    assert g.shape == (2000,) and np.allclose(g, B @ x, rtol=1e-12, atol=1e-15)
    # Every call is independent of the others (nothing is written back into the inputs).
    before = f.copy()
    dump.supply(f)
    assert np.array_equal(f, before)


def test_dump_intensities_are_scores_of_unit_demands(dump: tanso.LcaModel, references: List[Dict[str, Any]]) -> None:
    """intensities[j] equals the score of demand e_j (one adjoint solve against n solves)."""
    lam = dump.intensities("score")
    assert lam.shape == (1000,) and lam.dtype == np.float64
    assert np.array_equal(lam, dump.intensities())  # the first method by default
    for j in list(range(0, 1000, 7)) + [r["demand_index"] for r in references]:
        assert close(float(lam[j]), float(dump.scores(unit(1000, j))[0]), 1e-10), j
    for ref in references:
        assert close(float(lam[ref["demand_index"]]), ref["score"])


def test_dump_from_bytes_and_from_one_path(dump: tanso.LcaModel, references: List[Dict[str, Any]]) -> None:
    npz, meta = DUMP.with_suffix(".npz").read_bytes(), DUMP.with_suffix(".json").read_bytes()
    ref = references[2]
    for other in (
        tanso.LcaModel.from_dump(npz, meta),
        tanso.LcaModel.from_dump(bytearray(npz), memoryview(meta)),
        tanso.LcaModel.from_dump(str(DUMP.with_suffix(".npz"))),
    ):
        assert float(other.scores(unit(1000, ref["demand_index"]))[0]) == float(dump.scores(unit(1000, ref["demand_index"]))[0])


def test_dump_monte_carlo_reproducible_across_threads(dump: tanso.LcaModel) -> None:
    """The dump's lognormals (sigma 0.2): the same seed gives the same bits at any thread count."""
    req = {"demands": [{"amounts": [{"id": 84, "amount": 1}]}], "iterations": 8, "seed": 11, "include_samples": True}
    one = dump.monte_carlo(req, threads=1)
    two = dump.monte_carlo(req, threads=2)
    assert one["results"][0]["samples"] == two["results"][0]["samples"]
    assert len(set(one["results"][0]["samples"])) == 8


# --- a system document ----------------------------------------------------------------------


def test_document_model_calculates(model: tanso.LcaModel) -> None:
    assert model.activity_ids == ["electricity", "coal", "steel", "slag treatment"]
    assert model.flow_ids == ["CO2", "CH4"]
    assert model.method_ids == ["GWP100", "CH4 mass"]
    assert repr(model) == "LcaModel(activities=4, flows=2, methods=['GWP100', 'CH4 mass'])"
    out = model.calculate(
        demands=[{"name": "1 kg steel", "amounts": [{"id": "steel", "amount": 1}]}],
        include=["contributions", "upstream", "tree", "sankey"],
        methods=["GWP100"],
        cutoff=0.001,
    )
    r = out["results"][0]
    assert r["demand"] == "1 kg steel"
    assert close(r["scores"]["GWP100"], STEEL_GWP)
    c = r["contributions"]["GWP100"]
    assert close(c["total"], STEEL_GWP)
    assert [p["activity"] for p in c["processes"]][0] == "steel"  # the largest first
    assert close(sum(p["score"] for p in c["processes"]), STEEL_GWP)
    assert close(sum(p["share"] for p in c["processes"]), 1.0)
    up = {u["activity"]: u for u in r["upstream"]["GWP100"]}
    assert close(up["steel"]["upstream"], STEEL_GWP) and close(up["steel"]["intensity"], STEEL_GWP)
    tree = r["tree"]["GWP100"]
    assert tree["truncated"] is False and tree["roots"][0]["activity"] == "steel"
    assert close(tree["roots"][0]["score"], STEEL_GWP)
    assert {c["activity"] for c in tree["roots"][0]["children"]} == {"electricity", "coal", "slag treatment"}
    sankey = r["sankey"]["GWP100"]
    assert sankey["nodes"] and sankey["links"]
    assert out["solver"]["loop_blocks"] == [2]  # electricity and coal need each other


def test_document_model_equals_the_lca_operation(model: tanso.LcaModel) -> None:
    request = {"demands": [{"amounts": [{"id": "steel", "amount": 1}]}, {"amounts": [{"id": "electricity", "amount": 10}]}],
               "include": ["contributions", "upstream", "intensities", "tree", "sankey", "supply", "inventory"]}
    assert model.calculate(request) == tanso.lca({"system": _system(), **request})
    assert model.calculate(request) == json.loads(tanso.call_json("lca", json.dumps({"system": _system(), **request})))


def test_arrays_of_a_document_model(model: tanso.LcaModel) -> None:
    steel = model.demand_vector({"steel": 1.0})
    assert steel.tolist() == [0.0, 0.0, 1.0, 0.0]
    assert np.array_equal(model.demand_vector({"amounts": [{"id": "steel", "amount": 1}]}), steel)
    scores = model.scores(steel)
    assert close(float(scores[0]), STEEL_GWP)
    assert np.array_equal(model.scores({"steel": 1}), scores)
    assert np.array_equal(model.scores([0, 0, 1, 0]), scores)  # any sequence of numbers
    lam = model.intensities("GWP100")
    assert close(float(lam[2]), STEEL_GWP)
    x = model.supply(steel)
    assert close(float(x[2]), 1.0) and close(float(x[3]), 0.2)  # 0.2 kg slag treated
    g = model.inventory(steel)
    assert close(float(g @ np.array([1.0, 29.8])), STEEL_GWP)
    A = model.technosphere_matrix()
    assert A.format == "csc" and A.shape == (4, 4)
    assert np.allclose(A @ x, steel, atol=1e-14)
    assert A[3, 3] == -1.0  # the waste treatment's diagonal


def test_contributions_frame(model: tanso.LcaModel) -> None:
    frame = model.contributions({"steel": 1}, "GWP100", top=2)
    assert list(frame.columns) == ["activity", "name", "score", "share"]
    assert len(frame) == 2 and frame["activity"].iloc[0] == "steel" and frame["name"].iloc[0] == "steel, BF-BOF"
    assert close(frame.attrs["total"], STEEL_GWP)
    assert frame.attrs["method"] == "GWP100" and frame.attrs["unit"] == "kg CO2e"
    assert (frame["score"].abs().diff().dropna() <= 0).all()  # largest |score| first
    full = model.contributions(np.array([0.0, 0.0, 1.0, 0.0]), top=0)  # a dense demand; first method
    assert len(full) == 4 and close(float(full["score"].sum()), STEEL_GWP)
    assert close(float(full["share"].sum()), 1.0)


def test_model_from_json_text() -> None:
    text = json.dumps(_system())
    m = tanso.LcaModel(text)
    assert close(float(m.scores({"steel": 1})[0]), STEEL_GWP)


def test_the_system_document_is_only_read() -> None:
    doc = _system()
    before = copy.deepcopy(doc)
    m = tanso.LcaModel(doc)
    doc["processes"][2]["exchanges"][4]["amount"] = 100.0  # a later change does not reach the model
    assert close(float(m.scores({"steel": 1})[0]), STEEL_GWP)
    assert close(float(pickle.loads(pickle.dumps(m)).scores({"steel": 1})[0]), STEEL_GWP)
    doc["processes"][2]["exchanges"][4]["amount"] = 1.5
    assert doc == before


# --- arrays ---------------------------------------------------------------------------------


def _arrays() -> Tuple[Any, Any, Dict[str, Any]]:
    """A 3-activity chain as (rows, cols, values), an entry given twice (summed)."""
    tech = (np.array([0, 1, 1, 1, 2, 2]), np.array([0, 0, 0, 1, 1, 2]), np.array([1.0, -0.25, -0.25, 1.0, -2.0, 1.0]))
    bio = (np.array([0, 0, 1]), np.array([0, 1, 2]), np.array([1.0, 0.5, 3.0]))
    methods = {"GWP": {0: 1.0, 1: 10.0}, "B only": np.array([0.0, 1.0])}
    return tech, bio, methods


def test_from_arrays_tuples_sparse_and_dense_agree() -> None:
    sparse = pytest.importorskip("scipy.sparse")
    tech, bio, methods = _arrays()
    m1 = tanso.LcaModel.from_arrays(tech, bio, methods)
    # scores of activity 0: x = [1, 0.5, 1], g = [1 + 0.25, 3] → GWP 1.25 + 30, B only 3
    assert m1.scores(np.array([1.0, 0.0, 0.0])).tolist() == pytest.approx([31.25, 3.0], rel=1e-14)
    A = sparse.coo_matrix((tech[2], (tech[0], tech[1])), shape=(3, 3))
    B = sparse.coo_matrix((bio[2], (bio[0], bio[1])), shape=(2, 3))
    for t, b in ((A, B), (A.tocsr(), B.tocsc()), (sparse.csr_array(A), sparse.csc_array(B)), (A.toarray(), B.toarray())):
        m = tanso.LcaModel.from_arrays(t, b, methods)
        assert np.array_equal(m.scores([1, 0, 0]), m1.scores([1, 0, 0]))
        assert np.array_equal(m.intensities("GWP"), m1.intensities("GWP"))
    assert (m1.technosphere_matrix() != A.tocsc()).nnz == 0  # duplicates summed
    assert (m1.biosphere_matrix() != B.tocsc()).nnz == 0


def test_from_arrays_ids_and_pickle() -> None:
    tech, bio, methods = _arrays()
    m = tanso.LcaModel.from_arrays(tech, bio, methods, activity_ids=["a", "b", "c"], flow_ids=np.array([7, 8]))
    assert m.activity_ids == ["a", "b", "c"] and m.flow_ids == [7, 8] and m.method_ids == ["GWP", "B only"]
    assert m.scores({"a": 1}).tolist() == pytest.approx([31.25, 3.0], rel=1e-14)
    tech[2][0] = 5.0  # the caller's arrays change later: the model and its pickle do not
    back = pickle.loads(pickle.dumps(m))
    assert back.activity_ids == ["a", "b", "c"]
    assert np.array_equal(back.scores({"a": 1}), m.scores({"a": 1}))


def test_from_arrays_sigma_gives_lognormals() -> None:
    tech, bio, methods = _arrays()
    sigma = np.array([0.0, np.nan, 0.0, 0.0, 0.1, 0.0])  # only the entry (2, 1) is uncertain
    m = tanso.LcaModel.from_arrays(tech, bio, methods, technosphere_sigma=sigma, biosphere_sigma=[0.2, 0.0, 0.0])
    assert m.describe()["uncertain_values"] == 2
    out = m.monte_carlo(demands=[{"amounts": [{"id": 0, "amount": 1}]}], iterations=200, seed=3, methods=["GWP"])
    stats = out["results"][0]
    assert stats["sd"] > 0 and stats["min"] < 31.25 < stats["max"]
    # The median-preserving lognormal is centred on the static value.
    assert abs(stats["percentiles"]["50"] / 31.25 - 1) < 0.05
    # A sigma matrix of the same shape: its values at the entries.
    sparse = pytest.importorskip("scipy.sparse")
    S = sparse.coo_matrix(([0.1], ([2], [1])), shape=(3, 3))
    m2 = tanso.LcaModel.from_arrays(tech, bio, methods, technosphere_sigma=S, biosphere_sigma=[0.2, 0.0, 0.0])
    assert m2.monte_carlo(demands=[{"amounts": [{"id": 0, "amount": 1}]}], iterations=200, seed=3, methods=["GWP"]) == out


def test_from_arrays_errors() -> None:
    tech, bio, methods = _arrays()
    sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(tanso.NonSquareTechnosphereError):
        tanso.LcaModel.from_arrays(sparse.coo_matrix(np.ones((2, 3))), bio, methods)
    with pytest.raises(tanso.ColumnLengthError):  # B needs one column per activity
        tanso.LcaModel.from_arrays(sparse.eye(3), sparse.coo_matrix(np.ones((2, 4))), methods)
    with pytest.raises(tanso.InvalidSettingError) as info:
        tanso.LcaModel.from_arrays((np.array([0, -1]), np.array([0, 1]), np.array([1.0, 1.0])), bio, methods)
    assert "technosphere rows[1]" in info.value.message
    with pytest.raises(tanso.InvalidInputError) as info:
        tanso.LcaModel.from_arrays((np.array([0.0, 1.5]), np.array([0, 1]), np.array([1.0, 1.0])), bio, methods)
    assert "int64" in info.value.message
    with pytest.raises(tanso.InvalidInputError):
        tanso.LcaModel.from_arrays("A", bio, methods)
    with pytest.raises(tanso.MissingProductionError):
        tanso.LcaModel.from_arrays(np.array([[1.0, 0.0], [-1.0, 0.0]]), np.ones((1, 2)), {})
    with pytest.raises(tanso.ColumnLengthError):  # a dense method needs one factor per flow
        tanso.LcaModel.from_arrays(tech, bio, {"GWP": np.array([1.0, 2.0, 3.0])})
    with pytest.raises(tanso.ColumnLengthError):
        tanso.LcaModel.from_arrays(tech, bio, methods, technosphere_sigma=np.zeros(2))
    with pytest.raises(tanso.NonFiniteError):
        tanso.LcaModel.from_arrays((tech[0], tech[1], np.array([1.0, np.nan, 0, 1, -2, 1])), bio, methods)
    with pytest.raises(tanso.DuplicateIdError):
        tanso.LcaModel.from_arrays(tech, bio, methods, activity_ids=["a", "a", "b"])
    with pytest.raises(tanso.InvalidDistributionError):
        m = tanso.LcaModel.from_arrays(tech, bio, methods, technosphere_sigma=np.full(6, -1.0))
        m.monte_carlo(demands=[{"amounts": [{"id": 0, "amount": 1}]}], iterations=2)


# --- Monte Carlo ----------------------------------------------------------------------------

MC = {"demands": [{"name": "1 kg steel", "amounts": [{"id": "steel", "amount": 1}]}],
      "iterations": 300, "seed": 2026, "include_samples": True}


def test_monte_carlo_same_seed_same_draws(model: tanso.LcaModel) -> None:
    a = model.monte_carlo(MC)
    b = model.monte_carlo(MC, threads=1)
    c = model.monte_carlo(MC, seed=2027)
    assert a["iterations"] == 300 and a["seed"] == 2026
    sa = a["results"][0]["samples"]
    assert len(sa) == 300 and sa == b["results"][0]["samples"]  # bit for bit, any thread count
    assert sa != c["results"][0]["samples"]
    assert a == b
    # The same as the stateless operation, and as through JSON text.
    assert tanso.lca_monte_carlo({"system": _system(), **MC}) == a
    assert json.loads(tanso.call_json("lca_monte_carlo", json.dumps({"system": _system(), **MC}))) == a
    assert abs(a["results"][0]["mean"] / STEEL_GWP - 1) < 0.1


def test_monte_carlo_progress_callback(model: tanso.LcaModel) -> None:
    calls: List[Tuple[int, int]] = []
    threads: set[int] = set()

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        threads.add(threading.get_ident())

    out = model.monte_carlo(MC, progress=progress, iterations=2000)
    assert out["iterations"] == 2000
    assert calls and calls[-1] == (2000, 2000)
    assert all(t == 2000 for _, t in calls)
    done = [d for d, _ in calls]
    assert done == sorted(done) and len(set(done)) == len(done)  # increasing
    # Progress never changes the draws.
    assert out["results"][0]["samples"] == model.monte_carlo(MC, iterations=2000)["results"][0]["samples"]


def test_monte_carlo_progress_exception_is_raised(model: tanso.LcaModel) -> None:
    def progress(done: int, total: int) -> None:
        raise KeyError("stop")

    with pytest.raises(KeyError, match="stop"):
        model.monte_carlo(MC, progress=progress)


def test_monte_carlo_progress_bar_without_tqdm(model: tanso.LcaModel, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm raises ImportError
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    out = model.monte_carlo(MC, progress=True)
    err = capsys.readouterr().err
    assert err.endswith("100% 300/300\n") and err.startswith("\rMonte Carlo [")
    assert out == model.monte_carlo(MC)


def test_monte_carlo_progress_bar_with_tqdm(model: tanso.LcaModel, monkeypatch: pytest.MonkeyPatch) -> None:
    bars: List[Any] = []

    class FakeTqdm:
        def __init__(self, total: int, desc: str, unit: str) -> None:
            self.total, self.desc, self.n, self.closed = total, desc, 0, False
            bars.append(self)

        def update(self, k: int) -> None:
            self.n += k

        def close(self) -> None:
            self.closed = True

    auto = types.ModuleType("tqdm.auto")
    auto.tqdm = FakeTqdm  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", auto)
    model.monte_carlo(MC, progress=True)
    assert len(bars) == 1 and bars[0].n == bars[0].total == 300 and bars[0].closed and bars[0].desc == "Monte Carlo"


def test_monte_carlo_frame(model: tanso.LcaModel) -> None:
    req = {**MC, "demands": MC["demands"] + [{"amounts": [{"id": "electricity", "amount": 10}]}]}
    req.pop("include_samples")
    frame = model.monte_carlo_frame(req)
    assert frame.shape == (300, 4)  # 2 demands × 2 methods
    assert frame.index.name == "iteration" and list(frame.columns.names) == ["demand", "method"]
    assert ("1 kg steel", "GWP100") in frame.columns and ("10 electricity", "CH4 mass") in frame.columns
    result = model.monte_carlo(req, include_samples=True)
    assert frame[("1 kg steel", "GWP100")].tolist() == result["results"][0]["samples"]
    assert frame.attrs["seed"] == 2026 and "samples" not in frame.attrs["results"][0]
    assert tanso.LcaModel.samples_frame(result).equals(frame)
    with pytest.raises(tanso.InvalidInputError):
        tanso.LcaModel.samples_frame(model.monte_carlo(req))


# --- errors ---------------------------------------------------------------------------------


def test_errors_with_their_codes(model: tanso.LcaModel, dump: tanso.LcaModel) -> None:
    with pytest.raises(tanso.UnknownIdError) as info:
        model.scores({"stee": 1})
    assert info.value.code == "UNKNOWN_ID" and info.value.area == "lca" and "steel" in info.value.message
    with pytest.raises(tanso.UnknownIdError):
        model.intensities("GWP20")
    with pytest.raises(tanso.UnknownIdError):
        model.calculate(demands=[{"amounts": [{"id": "steel", "amount": 1}]}], methods=["GWP20"])
    with pytest.raises(tanso.ColumnLengthError) as cl:
        dump.supply(np.ones(999))
    assert "999" in cl.value.message and "1000" in cl.value.message
    with pytest.raises(tanso.ColumnLengthError):
        model.contributions(np.ones(3), "GWP100")
    with pytest.raises(tanso.NonFiniteError):
        model.scores(np.array([0.0, np.nan, 1.0, 0.0]))
    with pytest.raises(tanso.InvalidInputError):
        model.scores(np.ones((2, 4)))
    with pytest.raises(tanso.InvalidInputError):
        model.scores(["a", "b", "c", "d"])
    with pytest.raises(tanso.MalformedDataError):
        tanso.LcaModel.from_dump(b"not a zip archive", DUMP.with_suffix(".json").read_bytes())
    with pytest.raises(tanso.MalformedDataError):
        tanso.LcaModel.from_dump(DUMP.with_suffix(".npz").read_bytes(), b"{")
    with pytest.raises(tanso.InvalidInputError):
        tanso.LcaModel.from_dump(b"npz bytes only")
    with pytest.raises(tanso.InvalidSettingError):
        model.monte_carlo(MC, iterations=0)
    with pytest.raises(tanso.InvalidInputError):
        model.calculate(demands=[{"amounts": []}], no_such_field=1)
    broken = _system()
    broken["processes"][1]["exchanges"][0]["amount"] = 0
    with pytest.raises(tanso.MissingProductionError):
        tanso.LcaModel(broken)
    with pytest.raises(tanso.InvalidInputError):
        tanso.LcaModel("{not json")
    # Errors pickle with their class.
    try:
        model.scores({"stee": 1})
    except tanso.TansoError as e:
        assert type(pickle.loads(pickle.dumps(e))) is tanso.UnknownIdError


def test_demand_array_refused_where_ids_are_ambiguous() -> None:
    """Activity 'b' makes product 'c' and activity 'c' makes product 'd': the id 'c' means the
    product, so a dense demand on activity 'c' cannot be named by its id."""
    m = tanso.LcaModel({
        "activities": [{"id": "b", "product": "c"}, {"id": "c", "product": "d"}],
        "technosphere": [{"product": "c", "activity": "b", "amount": 1}, {"product": "d", "activity": "c", "amount": 1}],
        "biosphere": [{"flow": "CO2", "activity": "c", "amount": 1}],
        "methods": [{"id": "GWP", "factors": [{"flow": "CO2", "factor": 1}]}]})
    assert m.scores([0.0, 1.0]).tolist() == [1.0]  # arrays themselves are unambiguous
    with pytest.raises(tanso.InvalidInputError):
        m.contributions(np.array([0.0, 1.0]), "GWP")


# --- pickling and threads -------------------------------------------------------------------


def test_models_pickle(model: tanso.LcaModel, dump: tanso.LcaModel) -> None:
    for m, demand in ((model, {"steel": 1}), (dump, {84: 1})):
        back = pickle.loads(pickle.dumps(m))
        assert type(back) is tanso.LcaModel
        assert back.activity_ids == m.activity_ids and back.method_ids == m.method_ids
        assert np.array_equal(back.scores(demand), m.scores(demand))
    assert type(model).__module__ == "tanso"


def test_threads_share_one_model(dump: tanso.LcaModel, references: List[Dict[str, Any]]) -> None:
    """Solves release the GIL: four threads on one model, all results right."""
    barrier = threading.Barrier(4)

    def work(k: int) -> List[float]:
        barrier.wait()
        return [float(dump.scores(unit(1000, r["demand_index"]))[0]) for r in references for _ in range(5)]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(4)))
    expected = [r["score"] for r in references for _ in range(5)]
    for got in results:
        assert all(close(g, e) for g, e in zip(got, expected))


def test_monte_carlo_releases_the_gil(dump: tanso.LcaModel) -> None:
    """While a Monte Carlo runs in one thread, Python code runs in another; progress reports
    come from core's worker threads, re-attached to the interpreter."""
    calls: List[Tuple[int, int]] = []
    result: Dict[str, Any] = {}

    def run() -> None:
        result.update(dump.monte_carlo(demands=[{"amounts": [{"id": 84, "amount": 1}]}], iterations=1000, seed=5,
                                       progress=lambda done, total: calls.append((done, total))))

    worker = threading.Thread(target=run)
    worker.start()
    ticks = 0
    while worker.is_alive():
        ticks += 1
    worker.join()
    assert result["iterations"] == 1000
    assert ticks > 1000, ticks
    assert len(calls) >= 2 and calls[-1] == (1000, 1000) and calls[0][0] < 1000


def test_without_numpy_documents_work_and_arrays_raise_import_error() -> None:
    """numpy is optional: documents work without it, and array methods raise ImportError (no
    panic from inside rust-numpy)."""
    code = """
import sys
sys.modules["numpy"] = None
import tanso
m = tanso.LcaModel({"technosphere": [{"product": "a", "activity": "a", "amount": 1}],
                    "biosphere": [{"flow": "CO2", "activity": "a", "amount": 2}],
                    "methods": [{"id": "G", "factors": [{"flow": "CO2", "factor": 1}]}]})
assert m.calculate(demands=[{"amounts": [{"id": "a", "amount": 1}]}])["results"][0]["scores"] == {"G": 2.0}
for call in (lambda: m.scores({"a": 1}), lambda: m.intensities("G"), lambda: m.technosphere_matrix(),
             lambda: m._raw.demand_vector({"amounts": []}), lambda: m._raw.supply([1.0]),
             lambda: tanso._tanso.batch_columns(["fuel"], ["cn_raw_coal"], [1.0], ["kg"], 2022)):
    try:
        call()
    except ImportError:
        pass
    else:
        raise AssertionError("no ImportError")
print("ok")
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == "ok\n", proc.stdout + proc.stderr
    assert "panicked" not in proc.stderr


def test_dump_path_types() -> None:
    assert isinstance(DUMP, Path)
    m = tanso.LcaModel.from_dump(DUMP.with_suffix(".npz"))  # the .json beside it
    assert m.describe()["activities"] == 1000


def test_readme_example(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's LCA example runs (from the repository root, as written), and says true."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## LCA"):]
    code = section[section.index("```python\n") + len("```python\n"):section.index("```\n", section.index("```python"))]
    monkeypatch.chdir(TESTDATA.parent)
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    ns: Dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), ns)
    model, same = ns["model"], ns["same"]
    assert (model.activity_ids, model.flow_ids, model.method_ids) == (["steel", "kWh"], ["CO2"], ["GWP100"])
    assert model.scores({"steel": 1}).tolist() == pytest.approx([2.1], rel=1e-12)
    assert model.supply(np.array([0.0, 10.0])).tolist() == pytest.approx([0.0, 10.0], rel=1e-12)
    assert model.intensities("GWP100").tolist() == pytest.approx([2.1, 0.6], rel=1e-12)
    assert ns["draws"].shape == (1000, 1)
    assert np.array_equal(same.scores({"steel": 1}), model.scores({"steel": 1}))
    # The same uncertainty (lognormal σ 0.1 on the steel CO2): the same draws.
    request = {"demands": [{"amounts": [{"id": "steel", "amount": 1}]}], "iterations": 100, "seed": 7}
    assert same.monte_carlo(request) == model.monte_carlo(request)
    assert round(float(ns["dump"].scores({84: 1})[0]), 8) == 0.95696694
    assert "100% 10000/10000" in capsys.readouterr().err
