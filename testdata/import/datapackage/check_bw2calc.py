"""Cross-checks the expected scores of the datapackage tests with bw2calc itself (3.1 was
used), on the same packages: the committed steel.zip and the vector cases' packages.

    .venv/bin/pip install bw2calc && .venv/bin/python testdata/import/datapackage/check_bw2calc.py

Run from the repository root. Not run by the Rust tests (they hold the hand calculations);
this only confirms that bw2calc reads the same numbers from the same files.
"""
import base64
import io
import json
import warnings
import zipfile

warnings.filterwarnings("ignore")
import bw2calc as bc
import bw_processing as bwp
from fsspec.implementations.zip import ZipFileSystem
from fsspec.implementations.memory import MemoryFileSystem


def load_zip(path):
    return bwp.load_datapackage(ZipFileSystem(path))


def load_files(files):
    """A package from a vector case's files (loose or one zip)."""
    fs = MemoryFileSystem()
    root = "/pkg" + str(id(files))
    for f in files:
        data = f["text"].encode() if "text" in f else base64.b64decode(f["base64"])
        if f["name"].endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for n in z.namelist():
                    fs.pipe(f"{root}/{n.split('/')[-1]}", z.read(n))
        else:
            fs.pipe(f"{root}/{f['name']}", data)
    return bwp.load_datapackage(fs.open and __import__("fsspec").implementations.dirfs.DirFileSystem(root, fs))


def score(dp, activity):
    lca = bc.LCA({activity: 1}, data_objs=[dp])
    lca.lci()
    lca.lcia()
    return lca.score


print("steel.zip, 1 steel:", score(load_zip("testdata/import/datapackage/steel.zip"), 12), "(expected 2.23)")
doc = json.load(open("testdata/vectors/import_datapackage.json"))
for case in doc["cases"]:
    if "expected" not in case:
        continue
    dp = load_files(case["input"]["files"])
    for d, r in zip(case["input"]["calculate"]["demands"], case["expected"]["results"]["results"]):
        act = d["amounts"][0]["id"]
        try:
            got = score(dp, act)
        except Exception as e:  # bw2calc refuses what tanso reports as unlinked
            got = f"{type(e).__name__}: {e}"
        print(f"{case['name']}: {act} -> {got} (expected {list(r['scores'].values())[0]})")
