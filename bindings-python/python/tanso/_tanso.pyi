"""The compiled module of tanso (Rust, pyo3). Import ``tanso``, not this module."""

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union, final

import numpy
from numpy.typing import NDArray

__all__ = [
    "ERROR_CODES",
    "OPERATIONS",
    "RawImportedDatabase",
    "RawLcaModel",
    "RawTansoError",
    "__version__",
    "batch_columns",
    "call",
    "call_json",
]

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

#: ``(data, indices, indptr, (nrows, ncols))``: the arguments of ``scipy.sparse.csc_matrix``.
_Csc = Tuple[NDArray[numpy.float64], NDArray[numpy.int64], NDArray[numpy.int64], Tuple[int, int]]

@final
class RawImportedDatabase:
    """Core's imported database; ``tanso.ImportedDatabase`` wraps it."""

    @staticmethod
    def import_files(files: Sequence[Tuple[str, bytes]], options: Optional[Any] = None) -> RawImportedDatabase:
        """Imports a database from ``(name, bytes)`` files with the options document."""

    @staticmethod
    def from_cache(cache: bytes) -> RawImportedDatabase:
        """Reads a cache written by ``to_cache``."""

    def to_cache(self) -> bytes:
        """The database as a compact binary cache."""

    def report(self) -> Any:
        """The import report."""

    def system(self) -> Any:
        """The system document."""

    def model(self) -> RawLcaModel:
        """Builds and factorizes the engine's model of the system."""

@final
class RawLcaModel:
    """Core's factorized LCA model; ``tanso.LcaModel`` wraps it."""

    @staticmethod
    def from_system(system: Any) -> RawLcaModel:
        """Builds and factorizes a system from its document (a dict, or JSON text)."""

    @staticmethod
    def from_indexed(
        n_activities: int,
        n_flows: int,
        tech_rows: Any,
        tech_cols: Any,
        tech_vals: Any,
        bio_rows: Any,
        bio_cols: Any,
        bio_vals: Any,
        methods: Sequence[Tuple[str, Optional[Any], Any]],
        tech_sigma: Optional[Any] = None,
        bio_sigma: Optional[Any] = None,
        activity_ids: Optional[Any] = None,
        flow_ids: Optional[Any] = None,
        tech_shape: Optional[Tuple[int, int]] = None,
        bio_shape: Optional[Tuple[int, int]] = None,
    ) -> RawLcaModel:
        """Builds and factorizes a system from 0-based triplets (int64 and float64 arrays)."""

    @staticmethod
    def from_dump(npz: bytes, json: bytes) -> RawLcaModel:
        """Reads a ``bench_bw2calc.py`` dump (the ``.npz`` and ``.json`` bytes)."""

    def system_json(self) -> Optional[str]:
        """The system document as JSON text, when the model was built from one."""

    def describe(self) -> Any:
        """Sizes, loop blocks, methods, parameters."""

    def calculate(self, request: Any) -> Any:
        """Answers a calculation request (the ``lca`` operation's input without ``system``)."""

    def monte_carlo(self, request: Any, progress: Optional[Callable[[int, int], Any]] = None) -> Any:
        """Runs a Monte Carlo request; ``progress(done, total)`` is called as iterations finish."""

    def demand_vector(self, demand: Any) -> NDArray[numpy.float64]:
        """A demand document → the dense demand vector in matrix order."""

    def demand_document(self, demand: Any) -> Any:
        """A dense demand vector → the demand document naming its non-zero entries."""

    def supply(self, demand: Any) -> NDArray[numpy.float64]:
        """Supply of a dense demand (float64, one per activity)."""

    def inventory(self, demand: Any) -> NDArray[numpy.float64]:
        """Inventory of a dense demand (one amount per flow)."""

    def scores(self, demand: Any) -> NDArray[numpy.float64]:
        """Scores of a dense demand, one per method."""

    def intensities(self, method: str) -> NDArray[numpy.float64]:
        """Cradle-to-gate score of one unit of every product for a method."""

    def activity_ids(self) -> List[Union[int, str]]:
        """Activity ids in matrix order."""

    def flow_ids(self) -> List[Union[int, str]]:
        """Flow ids in matrix order."""

    def method_ids(self) -> List[str]:
        """Method ids in order."""

    def technosphere(self) -> _Csc:
        """The technosphere matrix as CSC parts."""

    def biosphere(self) -> _Csc:
        """The biosphere matrix as CSC parts."""
