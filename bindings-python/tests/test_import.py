"""tanso.import_database: real LCA databases in (openLCA JSON-LD, EcoSpold2, Brightway
datapackages), with the report, the model, the cache and pickling. The formats themselves are
tested in core and, case by case, in the shared vectors (testdata/vectors/import_*.json)."""

from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path

import pytest

import tanso
from conftest import TESTDATA

MINI = TESTDATA / "import" / "mini"
GWP = {"methods": [{"id": "GWP", "unit": "kg CO2e", "factors": [{"flow": "f-co2", "factor": 1}]}]}
STEEL = "a-steel_p-steel"


def _zip(folder: Path) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for p in sorted(folder.glob("*.spold")):
            z.write(p, p.name)
    return out.getvalue()


def _check(db: tanso.ImportedDatabase) -> None:
    r = db.report
    assert r["format"] == "ecospold2"
    assert r["counts"]["activities"] == 2
    assert r["counts"]["methods"] == 1
    # tap water: no activity makes it, so it is reported by name and left out
    assert [u["product_name"] for u in r["unlinked"]] == ["tap water"]
    model = db.model()
    # hand calculation (testdata/import/mini/README.md): 1.8 + 0.5 × 0.6 = 2.1 kg CO2e per kg steel
    assert model.scores({STEEL: 1}).tolist() == pytest.approx([2.1], rel=1e-12)


def test_a_folder_a_zip_bytes_and_pairs_import_alike() -> None:
    _check(tanso.import_database(MINI, GWP))
    _check(tanso.import_database(_zip(MINI), **GWP))
    _check(tanso.import_database([("mini.zip", _zip(MINI))], GWP))
    _check(tanso.import_database(sorted(MINI.glob("*.spold")), GWP))


def test_the_cache_and_pickle_keep_everything(tmp_path: Path) -> None:
    db = tanso.import_database(MINI, GWP)
    db.save(tmp_path / "mini.tanso")
    again = tanso.ImportedDatabase.load(tmp_path / "mini.tanso")
    assert again.report == db.report and again.system == db.system
    _check(pickle.loads(pickle.dumps(db)))
    model = pickle.loads(pickle.dumps(db.model()))
    assert model.scores({STEEL: 1}).tolist() == pytest.approx([2.1], rel=1e-12)
    assert "unlinked=1" in repr(db)
    assert list(db.unlinked_frame()["product_name"]) == ["tap water"]


def test_the_document_operation_matches() -> None:
    files = [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted(MINI.glob("*.spold"))]
    out = tanso.lca_import({"files": files, "options": GWP,
                            "calculate": {"demands": [{"amounts": [{"id": STEEL, "amount": 2}]}]}})
    assert out["results"][0]["scores"]["GWP"] == pytest.approx(4.2, rel=1e-12)
    assert out["report"]["counts"]["activities"] == 2


def test_bad_files_raise_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(tanso.MalformedDataError, match="broken.zip"):
        tanso.import_database([("broken.zip", b"PK\x03\x04 not really a zip")])
    with pytest.raises(tanso.UnsupportedSchemaError, match="notes.txt"):
        tanso.import_database([("notes.txt", b"hello")])
    with pytest.raises(tanso.UnsupportedSchemaError):
        tanso.ImportedDatabase.from_cache(b"not a cache")
    with pytest.raises(tanso.InvalidInputError, match="options"):
        tanso.import_database(MINI, {"allocation": "alphabetical"})
    with pytest.raises(tanso.InvalidInputError):
        tanso.import_database(42)  # type: ignore[arg-type]
    assert issubclass(tanso.MissingReferenceError, tanso.LcaError)
    assert issubclass(tanso.UnconvertibleUnitError, tanso.LcaError)
