"""Python batch benchmark: 1,000,000 mixed rows through `tanso.batch(DataFrame)`.

The rows are those of `mixed_ledger` in benches/src/lib.rs (fuels, electricity in three
provinces, freight, spend; freight and spend from an inline user table), as a pandas DataFrame
with float64 amounts, data year 2023. Prints the best of 5 runs in records per second.

Run with the binding's venv (made by bindings-python/test.sh):
    bindings-python/.venv/bin/python benches/python_batch.py [rows]
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

import tanso

ROWS = [
    ("fuel", "cn_raw_coal", "t"),
    ("fuel", "diesel", "kg"),
    ("fuel", "cn_natural_gas", "Nm3"),
    ("electricity", "CN-ZJ", "kWh"),
    ("electricity", "CN-GD", "MWh"),
    ("electricity", "Hebei", "kWh"),
    ("freight", "freight.road", "tkm"),
    ("spend", "spend.machinery", "USD"),
]

FACTORS = {
    "tables": [
        {
            "name": "bench",
            "format": "csv",
            "text": "activity,geography,year,unit,price_year,CO2,co2e,gwp_basis,publisher,status\n"
            "freight.road,GLO,2023,tkm,,0.08,,,benchmark,unverified\n"
            "spend.machinery,GLO,2020,USD,2020,,0.5,AR6,benchmark,unverified\n",
        }
    ]
}


def ledger(n: int) -> pd.DataFrame:
    i = np.arange(n)
    pick = i % len(ROWS)
    kind, key, unit = (np.array([r[c] for r in ROWS], dtype=object)[pick] for c in range(3))
    # Same amounts as mixed_ledger: ((i % 997) * 1013 + 17) / 100.
    amount = ((i % 997) * 1013 + 17) / 100.0
    return pd.DataFrame({"kind": kind, "key": key, "amount": amount.astype(np.float64), "unit": unit})


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    df = ledger(n)
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        out = tanso.batch(df, year=2023, factors=FACTORS)
        best = min(best, time.perf_counter() - t0)
    errors = out.attrs["errors"]
    assert not errors, errors[:3]
    print(f"{n} rows, best of 5: {best * 1000:.1f} ms, {n / best / 1e6:.2f} million records/s")
    print(f"total {out.attrs['total_co2e_kg']} kg CO2e")


if __name__ == "__main__":
    main()
