"""The notebook-style examples in examples/ run to the end with the built package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("script", ["product_footprint.py", "vehicles.py", "import_database.py"])
def test_example_runs(script: str, tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(EXAMPLES / script), str(tmp_path / "chart.png")],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
