"""The compiled module of tanso (Rust, pyo3). Import ``tanso``, not this module."""

from typing import Any, Tuple

__all__ = ["ERROR_CODES", "OPERATIONS", "RawTansoError", "__version__", "call", "call_json"]

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
