"""Writes the datapackage fixtures of tanso's Brightway importer with the real writer.

Run from this folder with bw_processing (1.6 was used) and numpy installed:

    python3 -m venv .venv && .venv/bin/pip install numpy bw_processing
    .venv/bin/python make_fixtures.py

It writes `steel.zip` the way bw2data processes a database: `create_datapackage(fs=ZipFileSystem(path, mode="w"))` (bw_processing 1.x uses fsspec; 0.9 took `fs.zipfs.ZipFS`),
`add_persistent_vector(matrix=..., indices_array=..., data_array=..., flip_array=...,
distributions_array=...)`, `finalize_serialization()` (bw_processing `datapackage.py`),
indices with `INDICES_DTYPE` and distributions with `UNCERTAINTY_DTYPE`
(bw_processing `constants.py`). The Rust tests read the committed bytes; they never run this.

The system (ids as bw2data gives them; rows of the technosphere are product ids, columns
activity ids, a product shares its maker's id):
  10 electricity (1 kWh): 0.4 kg coal, 0.9 kg CO2
  11 coal (1 kg):         0.05 kWh electricity, 0.01 kg CH4
  12 steel (1 kg):        0.5 kWh electricity, 0.6 kg coal, 1.5 kg CO2
  flows 100 CO2, 101 CH4; method "gwp": CO2 1, CH4 29.8 (column 1: the global location).
Inputs are stored positive with flip=True, as bw2data stores technosphere inputs.
"""
import numpy as np
import bw_processing as bwp
from fsspec.implementations.zip import ZipFileSystem

NAN = np.nan


def dist(rows):
    """rows: (type, loc, scale, shape, minimum, maximum, negative)."""
    return np.array(rows, dtype=bwp.UNCERTAINTY_DTYPE)


def steel(path):
    dp = bwp.create_datapackage(fs=ZipFileSystem(path, mode="w"), name="steel", id_="steel-fixture",
                                sum_intra_duplicates=True, sum_inter_duplicates=False)
    tech = [  # (row, col, amount, flip, distribution)
        (10, 10, 1.0, False, (0, 1.0, NAN, NAN, NAN, NAN, False)),
        (11, 10, 0.4, True, (2, np.log(0.4), 0.1, NAN, NAN, NAN, False)),
        (11, 11, 1.0, False, (0, 1.0, NAN, NAN, NAN, NAN, False)),
        (10, 11, 0.05, True, (5, 0.05, NAN, NAN, 0.04, 0.07, False)),
        (12, 12, 1.0, False, (0, 1.0, NAN, NAN, NAN, NAN, False)),
        (10, 12, 0.5, True, (4, 0.5, NAN, NAN, 0.4, 0.6, False)),
        (11, 12, 0.6, True, (8, 0.6, 1.0, 2.0, NAN, NAN, False)),  # Weibull: not sampled
    ]
    dp.add_persistent_vector(
        matrix="technosphere_matrix",
        name="steel-technosphere",
        indices_array=np.array([(r, c) for r, c, *_ in tech], dtype=bwp.INDICES_DTYPE),
        data_array=np.array([t[2] for t in tech]),
        flip_array=np.array([t[3] for t in tech], dtype=bool),
        distributions_array=dist([t[4] for t in tech]),
    )
    bio = [
        (100, 10, 0.9, (3, 0.9, 0.05, NAN, NAN, NAN, False)),
        (101, 11, 0.01, (0, 0.01, NAN, NAN, NAN, NAN, False)),
        (100, 12, 1.5, (0, 1.5, NAN, NAN, NAN, NAN, False)),
    ]
    dp.add_persistent_vector(
        matrix="biosphere_matrix",
        name="steel-biosphere",
        indices_array=np.array([(r, c) for r, c, *_ in bio], dtype=bwp.INDICES_DTYPE),
        data_array=np.array([b[2] for b in bio]),
        distributions_array=dist([b[3] for b in bio]),
    )
    dp.add_persistent_vector(
        matrix="characterization_matrix",
        name="gwp",
        indices_array=np.array([(100, 1), (101, 1)], dtype=bwp.INDICES_DTYPE),
        data_array=np.array([1.0, 29.8]),
    )
    dp.finalize_serialization()


if __name__ == "__main__":
    steel("steel.zip")
    print(bwp.__version__, np.__version__)
