"""Writes testdata/vectors/import_datapackage.json: lca_import cases on small Brightway
datapackages whose .npy files are made here by numpy.save (numpy.lib.format), the
descriptor as bw_processing's datapackage.py lays it out (resource fields name, path,
profile, format, mediatype, matrix, kind, group, category, nrows; package flags
sum_intra_duplicates, sum_inter_duplicates), indices with INDICES_DTYPE and distributions
with UNCERTAINTY_DTYPE (bw_processing constants.py). Expected scores are worked by hand in
each case's `source`.

    .venv/bin/python testdata/import/datapackage/make_vectors.py   (from the repository root)
"""
import base64
import io
import json
import zipfile

import numpy as np

INDICES = [("row", "<i8"), ("col", "<i8")]
UNCERTAINTY = [("uncertainty_type", "u1"), ("loc", "<f4"), ("scale", "<f4"), ("shape", "<f4"),
               ("minimum", "<f4"), ("maximum", "<f4"), ("negative", "?")]
NAN = float("nan")


def npy(array):
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


class Package:
    def __init__(self, name, **flags):
        self.descriptor = {"profile": "data-package", "name": name, "id": name, "resources": [],
                           "combinatorial": False, "sequential": False, "seed": None,
                           "sum_intra_duplicates": True, "sum_inter_duplicates": False}
        self.descriptor.update(flags)
        self.arrays = {}

    def _add(self, matrix, group, kind, category, array):
        name = f"{group}.{kind}"
        self.descriptor["resources"].append({
            "profile": "data-resource", "format": "npy", "mediatype": "application/octet-stream",
            "name": name, "matrix": matrix, "kind": kind, "path": name + ".npy", "group": group,
            "category": category, "nrows": int(array.shape[0])})
        self.arrays[name + ".npy"] = npy(array)

    def vector(self, matrix, group, entries, flip=None, distributions=None):
        self._add(matrix, group, "indices", "vector", np.array([(r, c) for r, c, _ in entries], dtype=INDICES))
        self._add(matrix, group, "data", "vector", np.array([v for _, _, v in entries], dtype="<f8"))
        if distributions is not None:
            self._add(matrix, group, "distributions", "vector", np.array(distributions, dtype=UNCERTAINTY))
        if flip is not None:
            self._add(matrix, group, "flip", "vector", np.array(flip, dtype=bool))

    def array(self, matrix, group, cells, samples):
        self._add(matrix, group, "indices", "array", np.array(cells, dtype=INDICES))
        self._add(matrix, group, "data", "array", np.array(samples, dtype="<f8"))

    def loose(self):
        files = [{"name": "datapackage.json", "text": json.dumps(self.descriptor)}]
        files += [{"name": n, "base64": base64.b64encode(b).decode()} for n, b in self.arrays.items()]
        return files

    def zipped(self, name, folder=""):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(folder + "datapackage.json", json.dumps(self.descriptor))
            for n, b in self.arrays.items():
                z.writestr(folder + n, b)
        return [{"name": name, "base64": base64.b64encode(buf.getvalue()).decode()}]


def steel(**flags):
    """electricity 10, coal 11, steel 12; CO2 100, CH4 101; inputs stored positive with flip."""
    p = Package("steel", **flags)
    p.vector("technosphere_matrix", "tech",
             [(10, 10, 1.0), (11, 10, 0.4), (11, 11, 1.0), (10, 11, 0.05), (12, 12, 1.0), (10, 12, 0.5), (11, 12, 0.6)],
             flip=[False, True, False, True, False, True, True])
    p.vector("biosphere_matrix", "bio", [(100, 10, 0.9), (101, 11, 0.01), (100, 12, 1.5)])
    p.vector("characterization_matrix", "gwp", [(100, 1, 1.0), (101, 1, 29.8)])
    return p


STEEL_HAND = ("hand: A = [[1, -0.05, -0.5], [-0.4, 1, -0.6], [0, 0, 1]] (flip negates inputs); for 1 steel "
              "x10 = 0.5 + 0.05 x11, x11 = 0.6 + 0.4 x10 -> x10 = 0.53/0.98, x11 = 0.8/0.98; "
              "GWP = 0.9 x10 + 1.5 + 29.8*0.01 x11 = (0.477 + 0.2384)/0.98 + 1.5 = 2.23")


def calc(*ids):
    return {"demands": [{"name": str(i), "amounts": [{"id": i, "amount": 1}]} for i in ids]}


cases = []

p = steel()
cases.append({
    "name": "steel datapackage as loose files: flip, three activities, one method",
    "source": STEEL_HAND + "; electricity alone: x10 = 1/0.98, x11 = 0.4/0.98, GWP = (0.9 + 0.298*0.4)/0.98 = 1.04",
    "operation": "lca_import",
    "input": {"files": p.loose(), "calculate": calc(12, 10)},
    "tolerance": 1e-9,
    "expected": {
        "report": {"format": "datapackage", "schema_version": "data-package",
                   "counts": {"processes": 3, "activities": 3, "flows": 2, "technosphere_exchanges": 4,
                              "biosphere_exchanges": 3, "methods": 1, "characterization_factors": 2,
                              "uncertain_amounts": 0},
                   "linked": {"only_provider": 4}, "unlinked": [], "left_out": []},
        "results": {"results": [{"demand": "12", "scores": {"gwp": 2.23}}, {"demand": "10", "scores": {"gwp": 1.04}}]}}})

p = steel()
cases.append({
    "name": "steel datapackage zipped inside a top folder",
    "source": STEEL_HAND,
    "operation": "lca_import",
    "input": {"files": p.zipped("steel.zip", "steel/"), "calculate": calc(12)},
    "tolerance": 1e-9,
    "expected": {"report": {"counts": {"activities": 3}},
                 "results": {"results": [{"demand": "12", "scores": {"gwp": 2.23}}]}}})

p = steel()
p.vector("biosphere_matrix", "scenario", [(100, 12, 1.2)])
cases.append({
    "name": "a later resource group replaces an entry (sum_inter_duplicates false)",
    "source": "matrix_utils MappedMatrix.rebuild_matrix: matrix[r, c] = data; steel's CO2 1.5 -> 1.2, GWP = 2.23 - 0.3 = 1.93",
    "operation": "lca_import",
    "input": {"files": p.loose(), "calculate": calc(12)},
    "tolerance": 1e-9,
    "expected": {"report": {"counts": {"biosphere_exchanges": 3}},
                 "results": {"results": [{"demand": "12", "scores": {"gwp": 1.93}}]}}})

p = steel(sum_inter_duplicates=True)
p.vector("biosphere_matrix", "scenario", [(100, 12, 1.2)])
cases.append({
    "name": "a later resource group adds to an entry (sum_inter_duplicates true)",
    "source": "matrix_utils MappedMatrix.rebuild_matrix: matrix[r, c] += data; steel's CO2 1.5 + 1.2 = 2.7, GWP = 2.23 + 1.2 = 3.43",
    "operation": "lca_import",
    "input": {"files": p.loose(), "calculate": calc(12)},
    "tolerance": 1e-9,
    "expected": {"report": {"counts": {"biosphere_exchanges": 4}},
                 "results": {"results": [{"demand": "12", "scores": {"gwp": 3.43}}]}}})

p = Package("two")
p.vector("technosphere_matrix", "tech", [(1, 1, 2.0), (2, 1, 3.0), (2, 2, 1.0), (9, 2, 1.0)],
         flip=[False, True, False, True],
         distributions=[(0, 2.0, NAN, NAN, NAN, NAN, False), (2, float(np.log(3.0)), 0.1, NAN, NAN, NAN, False),
                        (0, 1.0, NAN, NAN, NAN, NAN, False), (0, 1.0, NAN, NAN, NAN, NAN, False)])
p.array("biosphere_matrix", "bio", [(50, 1), (50, 2)], [[1.0, 1.1, 0.9], [4.0, 4.4, 3.6]])
p.vector("characterization_matrix", "m", [(50, 0, 10.0)],
         distributions=[(8, 10.0, 1.0, 2.0, NAN, NAN, False)])
cases.append({
    "name": "presample array, a lognormal, a Weibull factor left out, an unknown product unlinked",
    "source": ("hand: activity 1 makes 2 units from 3 units of product 2 (flipped: -3); product 9 is no column: unlinked. "
               "x1 = 1/2 = 0.5, x2 = 3 x1 = 1.5; inventory of flow 50 from the arrays' first column: 1.0 x1 + 4.0 x2 = 6.5; "
               "score m = 10 * 6.5 = 65"),
    "operation": "lca_import",
    "input": {"files": p.loose(), "calculate": calc(1)},
    "tolerance": 1e-9,
    "expected": {"report": {"counts": {"activities": 2, "flows": 1, "technosphere_exchanges": 1,
                                       "uncertain_amounts": 1},
                            "unlinked": [{"activity": 2, "product": "9", "amount": -1.0}]},
                 "results": {"results": [{"demand": "1", "scores": {"m": 65.0}}]}}})

# errors
p = steel()
files = [f for f in p.loose() if f["name"] != "bio.data.npy"]
cases.append({"name": "a resource file missing", "operation": "lca_import",
              "input": {"files": files}, "error": "MISSING_REFERENCE"})
p = steel()
p.descriptor["profile"] = "tabular-data-package"
cases.append({"name": "a profile that is not data-package", "operation": "lca_import",
              "input": {"files": p.loose()}, "error": "UNSUPPORTED_SCHEMA"})
p = steel()
files = p.loose()
for f in files:
    if f["name"] == "bio.data.npy":
        f["base64"] = base64.b64encode(npy(np.array([1.0, 2.0]))).decode()
cases.append({"name": "data shorter than its indices", "operation": "lca_import",
              "input": {"files": files}, "error": "MALFORMED_DATA"})

doc = {"description": "Brightway datapackages (bw_processing) imported by lca_import: flips, resource groups, "
                      "presample arrays, distributions, unlinked products, and the errors of a broken package "
                      "(made by testdata/import/datapackage/make_vectors.py with numpy.save)",
       "cases": cases}
with open("testdata/vectors/import_datapackage.json", "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
print(len(cases), "cases")
