"""The compiled module of tanso (Rust, pyo3). Import ``tanso``, not this module."""

from typing import Any, Dict, Optional, Tuple

__all__ = ["ERROR_CODES", "OPERATIONS", "RawTansoError", "__version__", "batch_columns", "call", "call_json"]

__version__: str
#: Core's operations as ``(name, summary)``.
OPERATIONS: Tuple[Tuple[str, str], ...]
#: Core's stable error codes as ``(code, area)``.
ERROR_CODES: Tuple[Tuple[str, str], ...]

class RawTansoError(ValueError):
    """Raised with args ``(code, area, message)``; ``tanso`` re-raises it as its typed class."""

def call(operation: str, document: Any, /) -> Any:
    """Runs an operation on a Python document; decimals in the result are ``decimal.Decimal``."""

def call_json(operation: str, input: str, /) -> str:
    """Runs an operation on JSON text and returns JSON text."""

def batch_columns(
    kind: Any,
    key: Any,
    amount: Any,
    unit: Any,
    year: int,
    gwp_set: str = "AR6",
    factors: Optional[Any] = None,
    exact: bool = False,
) -> Dict[str, Any]:
    """The batch fast path: columns in, a dict of columns (numpy arrays) out."""
