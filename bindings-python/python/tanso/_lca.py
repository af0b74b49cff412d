"""Life-cycle assessment on a factorized model: :class:`LcaModel`.

A thin layer over core's ``tanso::lca::document::Model`` (the compiled ``RawLcaModel``): it
turns numpy arrays, scipy.sparse matrices and paths into what core takes, and core's results
into numpy arrays and pandas DataFrames. numpy is needed for the array methods, scipy only for
:meth:`LcaModel.technosphere_matrix` and :meth:`LcaModel.biosphere_matrix`, pandas only for
the DataFrame methods, tqdm only for a nicer progress bar; each is imported when first used.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Tuple, TypeVar, Union

from . import _tanso
from ._errors import InvalidInputError, UnknownIdError, from_raw

if TYPE_CHECKING:
    import numpy
    from numpy.typing import NDArray

    #: A 1-D float64 numpy array.
    _FloatArray = NDArray[numpy.float64]

_T = TypeVar("_T")

#: A demand: a 1-D array with one amount per activity (in :attr:`LcaModel.activity_ids`
#: order), a mapping ``{product_id: amount}``, or core's ``{"amounts": [{"id", "amount"}]}``.
Demand = Union[Mapping[Any, Any], Any]
#: A progress option: ``True`` for a progress bar, or a callable taking ``(done, total)``.
Progress = Union[bool, Callable[[int, int], Any], None]
#: What :meth:`LcaModel.from_dump` reads: a path, or the file's bytes.
Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


def _checked(fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """Calls the compiled module, re-raising its error as the typed class of its code."""
    try:
        return fn(*args, **kwargs)
    except _tanso.RawTansoError as e:
        raise from_raw(*e.args) from None


def _numpy() -> Any:
    return importlib.import_module("numpy")


def _merge(request: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Any:
    """A request given as a dict, keywords, or both (keywords win), as the operations take it."""
    if request is None:
        return dict(fields)
    return {**request, **fields} if fields else request


def _floats(x: Any) -> Any:
    """Numbers → a contiguous float64 array; anything numpy cannot read goes on unchanged, for
    the compiled module to name in its error."""
    np = _numpy()
    try:
        return np.ascontiguousarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return x


def _indices(x: Any) -> Any:
    """Integers → a contiguous int64 array; anything else goes on unchanged, to be refused."""
    np = _numpy()
    a = np.asarray(x)
    if a.size == 0 or np.issubdtype(a.dtype, np.integer):
        return np.ascontiguousarray(a, dtype=np.int64)
    return a


def _read(source: Source) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    with open(source, "rb") as f:
        return f.read()


class _PlainBar:
    """A one-line progress bar on stderr, for when tqdm is not installed."""

    def __init__(self, description: str, width: int = 30) -> None:
        self._description = description
        self._width = width
        self._shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent == self._shown and done < total:
            return
        self._shown = percent
        filled = self._width * done // total if total else self._width
        bar = "#" * filled + "." * (self._width - filled)
        sys.stderr.write(f"\r{self._description} [{bar}] {percent:3d}% {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def close(self) -> None:
        pass


class _TqdmBar:
    """A tqdm progress bar, opened at the first report."""

    def __init__(self, tqdm: Any, description: str) -> None:
        self._tqdm = tqdm
        self._description = description
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = self._tqdm(total=total, desc=self._description, unit="it")
        self._bar.update(done - self._bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _progress_bar(description: str) -> Union[_PlainBar, _TqdmBar]:
    try:
        tqdm = importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        return _PlainBar(description)
    return _TqdmBar(tqdm, description)


def _rebuild(source: Tuple[Any, ...]) -> "LcaModel":
    """Unpickles an :class:`LcaModel`: builds it again from its constructor input."""
    return LcaModel._build(source)


class LcaModel:
    """A factorized LCA system: technosphere ``A``, biosphere ``B`` and characterization
    methods, kept between calls so that new demands and Monte Carlo runs reuse the
    factorization (core's ``tanso::lca::document::Model``).

    Build it from the ``"system"`` document of the ``lca`` operation (a dict, or its JSON
    text), from arrays (:meth:`from_arrays`: scipy.sparse or ``(rows, cols, values)``) or from
    a ``bench_bw2calc.py`` dump (:meth:`from_dump`)::

        >>> import tanso
        >>> model = tanso.LcaModel({
        ...     "technosphere": [{"product": "steel", "activity": "steel", "amount": 1},
        ...                      {"product": "kWh", "activity": "steel", "amount": -0.5},
        ...                      {"product": "kWh", "activity": "kWh", "amount": 1}],
        ...     "biosphere": [{"flow": "CO2", "activity": "steel", "amount": 1.8},
        ...                   {"flow": "CO2", "activity": "kWh", "amount": 0.6}],
        ...     "methods": [{"id": "GWP100", "factors": [{"flow": "CO2", "factor": 1}]}]})
        >>> model.activity_ids, model.method_ids
        (['steel', 'kWh'], ['GWP100'])
        >>> model.scores({"steel": 1}).tolist()        # kg CO2e of 1 steel: 1.8 + 0.5 × 0.6
        [2.1]
        >>> model.calculate(demands=[{"amounts": [{"id": "kWh", "amount": 10}]}])["results"][0]["scores"]
        {'GWP100': 6.0}

    Arrays are float64 numpy arrays in matrix order (:attr:`activity_ids`, :attr:`flow_ids`,
    :attr:`method_ids`). Solves, the factorization and the Monte Carlo release the GIL, so
    threads share one model in parallel. A model pickles (it is rebuilt from its constructor
    input), so Dask, Ray or Spark workers can receive it. Errors are :class:`TansoError`
    subclasses (``UnknownIdError``, ``ColumnLengthError``, ``MalformedDataError``, ...).
    """

    _raw: Any
    _source: Tuple[Any, ...]
    _activity_ids: Tuple[Any, ...]
    _flow_ids: Tuple[Any, ...]
    _method_ids: Tuple[str, ...]

    def __init__(self, system: Union[Mapping[str, Any], str]) -> None:
        """Builds and factorizes the system document (a dict, or its JSON text)."""
        raw = _checked(_tanso.RawLcaModel.from_system, system)
        self._init(raw, ("system", raw.system_json()))

    def _init(self, raw: Any, source: Tuple[Any, ...]) -> None:
        self._raw = raw
        self._source = source
        self._activity_ids = tuple(raw.activity_ids())
        self._flow_ids = tuple(raw.flow_ids())
        self._method_ids = tuple(raw.method_ids())

    @classmethod
    def _build(cls, source: Tuple[Any, ...]) -> "LcaModel":
        kind = source[0]
        if kind == "system":
            return cls(source[1])
        if kind == "dump":
            return cls.from_dump(source[1], source[2])
        if kind == "database":
            return source[1].model()  # type: ignore[no-any-return]  # an ImportedDatabase
        model = cls.__new__(cls)
        model._init(_checked(_tanso.RawLcaModel.from_indexed, **source[1]), source)
        return model

    def __reduce__(self) -> Tuple[Any, ...]:
        # Rebuilt (and factorized again) from the constructor input on unpickling.
        return (_rebuild, (self._source,))

    def __repr__(self) -> str:
        return (
            f"LcaModel(activities={len(self._activity_ids)}, flows={len(self._flow_ids)}, "
            f"methods={list(self._method_ids)!r})"
        )

    # --- constructors ----------------------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        technosphere: Any,
        biosphere: Any,
        methods: Optional[Mapping[str, Any]] = None,
        activity_ids: Optional[Any] = None,
        flow_ids: Optional[Any] = None,
        technosphere_sigma: Optional[Any] = None,
        biosphere_sigma: Optional[Any] = None,
    ) -> "LcaModel":
        """Builds and factorizes a system from matrices.

        ``technosphere`` (products × activities, signed: production positive, inputs
        negative) and ``biosphere`` (flows × activities): a scipy.sparse matrix or array of
        any format, a 2-D numpy array, or a ``(rows, cols, values)`` tuple of 0-based indices
        and values. Duplicate entries are summed. Sizes come from the matrices' shapes, else
        from ``activity_ids``/``flow_ids``, else from the largest index.

        ``methods``: ``{id: factors}`` where factors is a mapping ``{flow index: factor}`` or
        an array with one factor per flow. ``activity_ids``/``flow_ids``: int or str ids in
        matrix order (default: the indices).

        ``technosphere_sigma``/``biosphere_sigma``: the σ of a lognormal centred on each
        entry's value (Brightway's convention), 0 or NaN for a certain entry; an array with
        one σ per entry in the order of ``matrix.tocoo()`` (for a COO matrix or a tuple, its
        own order), or a matrix of the same shape whose values at the entries are taken.
        """
        tech, tech_shape = _triplets("technosphere", technosphere)
        bio, bio_shape = _triplets("biosphere", biosphere)
        np = _numpy()
        if activity_ids is not None and not isinstance(activity_ids, (list, tuple)):
            activity_ids = np.asarray(activity_ids).tolist()
        if flow_ids is not None and not isinstance(flow_ids, (list, tuple)):
            flow_ids = np.asarray(flow_ids).tolist()
        method_list: List[Tuple[str, Any, Any]] = []
        for method_id, factors in (methods or {}).items():
            if isinstance(factors, Mapping):
                flows = _indices(list(factors.keys()))
                method_list.append((method_id, flows, _floats(list(factors.values()))))
            else:
                method_list.append((method_id, None, _floats(factors)))

        def largest(*arrays: Any) -> int:
            sizes = [int(a.max()) + 1 for a in arrays if hasattr(a, "dtype") and a.size and a.dtype.kind == "i"]
            return max(sizes, default=0)

        if tech_shape is not None:
            n = tech_shape[1]
        elif activity_ids is not None:
            n = len(activity_ids)
        elif bio_shape is not None:
            n = bio_shape[1]
        else:
            n = largest(tech[0], tech[1], bio[1])
        if bio_shape is not None:
            m = bio_shape[0]
        elif flow_ids is not None:
            m = len(flow_ids)
        else:
            m = largest(bio[0], *(f for _, f, _ in method_list if f is not None))
        args: Dict[str, Any] = {
            "n_activities": n,
            "n_flows": m,
            "tech_rows": tech[0],
            "tech_cols": tech[1],
            "tech_vals": tech[2],
            "bio_rows": bio[0],
            "bio_cols": bio[1],
            "bio_vals": bio[2],
            "methods": method_list,
            "tech_sigma": _sigma(technosphere_sigma, tech),
            "bio_sigma": _sigma(biosphere_sigma, bio),
            "activity_ids": None if activity_ids is None else list(activity_ids),
            "flow_ids": None if flow_ids is None else list(flow_ids),
            "tech_shape": tech_shape,
            "bio_shape": bio_shape,
        }
        # Kept for pickling: arrays of our own, read-only, so later changes to the caller's
        # arrays do not change what the model rebuilds from.
        args = {k: _frozen(v) for k, v in args.items()}
        args["methods"] = [(i, _frozen(f), _frozen(v)) for i, f, v in method_list]
        model = cls.__new__(cls)
        model._init(_checked(_tanso.RawLcaModel.from_indexed, **args), ("arrays", args))
        return model

    @classmethod
    def from_dump(cls, npz: Source, json: Optional[Source] = None) -> "LcaModel":
        """Reads a ``bench_bw2calc.py`` dump (format ``lca-bench-v1``): the ``.npz`` arrays and
        the ``.json`` sidecar, each a path or its bytes. With only a path, the ``.json`` is
        the file beside it of the same name (``dump.npz`` → ``dump.json``)."""
        if json is None:
            if isinstance(npz, (bytes, bytearray, memoryview)):
                raise InvalidInputError("from_dump: the .json sidecar is needed with .npz bytes")
            base, _ = os.path.splitext(os.fspath(npz))
            npz, json = base + ".npz", base + ".json"
        npz_bytes, json_bytes = _read(npz), _read(json)
        model = cls.__new__(cls)
        model._init(_checked(_tanso.RawLcaModel.from_dump, npz_bytes, json_bytes), ("dump", npz_bytes, json_bytes))
        return model

    # --- what the model is -----------------------------------------------------------------

    @property
    def activity_ids(self) -> List[Any]:
        """Activity (= product) ids in matrix order: the order of demand and supply arrays."""
        return list(self._activity_ids)

    @property
    def flow_ids(self) -> List[Any]:
        """Elementary flow ids in matrix order: the order of inventory arrays."""
        return list(self._flow_ids)

    @property
    def method_ids(self) -> List[str]:
        """Method ids: the order of :meth:`scores`."""
        return list(self._method_ids)

    def describe(self) -> Dict[str, Any]:
        """Sizes, loop blocks (strongly connected activities), methods, parameters."""
        out: Dict[str, Any] = self._raw.describe()
        return out

    def technosphere_matrix(self) -> Any:
        """``A`` (products × activities, duplicates summed) as a ``scipy.sparse.csc_matrix``;
        without scipy, the tuple ``((data, indices, indptr), shape)`` it would be built from."""
        return _csc(self._raw.technosphere())

    def biosphere_matrix(self) -> Any:
        """``B`` (flows × activities) as a ``scipy.sparse.csc_matrix`` (see
        :meth:`technosphere_matrix`)."""
        return _csc(self._raw.biosphere())

    # --- arrays ------------------------------------------------------------------------------

    def _dense(self, demand: Demand) -> Any:
        if isinstance(demand, Mapping):
            return _checked(self._raw.demand_vector, _demand_document(demand))
        return _floats(demand)

    def demand_vector(self, demand: Demand) -> "_FloatArray":
        """A demand as the dense vector in :attr:`activity_ids` order (product ids resolved to
        the activities producing them)."""
        out: _FloatArray = self._dense(demand)
        return out

    def supply(self, demand: Demand) -> "_FloatArray":
        """Supply ``x = A⁻¹ f``: how much of each activity the demand needs."""
        out: _FloatArray = _checked(self._raw.supply, self._dense(demand))
        return out

    def inventory(self, demand: Demand) -> "_FloatArray":
        """Inventory ``g = B A⁻¹ f``: one amount per flow, in :attr:`flow_ids` order."""
        out: _FloatArray = _checked(self._raw.inventory, self._dense(demand))
        return out

    def scores(self, demand: Demand) -> "_FloatArray":
        """Scores ``cᵀ B A⁻¹ f``: one per method, in :attr:`method_ids` order."""
        out: _FloatArray = _checked(self._raw.scores, self._dense(demand))
        return out

    def intensities(self, method: Optional[str] = None) -> "_FloatArray":
        """Cradle-to-gate score of one unit of every product, in :attr:`activity_ids` order
        (one adjoint solve): ``intensities(m)[j]`` is the score of demand ``e_j``. Default:
        the first method."""
        out: _FloatArray = _checked(self._raw.intensities, self._method(method))
        return out

    def _method(self, method: Optional[str]) -> str:
        if method is not None:
            return method
        if not self._method_ids:
            raise UnknownIdError("method: the system has no methods")
        return self._method_ids[0]

    # --- documents ---------------------------------------------------------------------------

    def calculate(self, request: Optional[Mapping[str, Any]] = None, /, **fields: Any) -> Dict[str, Any]:
        """Answers a calculation request: the ``lca`` operation's input without ``system``
        (``demands``, ``methods``, ``include``, ``top``, ``cutoff``, ``max_nodes``,
        ``scenarios``), as a dict, keywords, or both. Returns core's result document."""
        out: Dict[str, Any] = _checked(self._raw.calculate, _merge(request, fields))
        return out

    def monte_carlo(
        self, request: Optional[Mapping[str, Any]] = None, /, progress: Progress = None, **fields: Any
    ) -> Dict[str, Any]:
        """Runs a Monte Carlo request: the ``lca_monte_carlo`` operation's input without
        ``system`` (``demands``, ``methods``, ``iterations``, ``seed``, ``threads``,
        ``include_samples``, ``percentiles``, ``presamples``, ...). The same seed gives the same
        draws in every language, on every platform and at any thread count.

        ``progress=True`` shows a progress bar on stderr (tqdm's when installed);
        ``progress=callable`` is called with ``(done, total)`` as iterations finish, with
        ``done`` increasing, at most every 50 ms and always at the end (from worker threads:
        keep it short). The run cannot be interrupted from the callback; an exception it
        raises is raised when the run ends.
        """
        req = _merge(request, fields)
        if progress is None or progress is False:
            out: Dict[str, Any] = _checked(self._raw.monte_carlo, req)
            return out
        if progress is True:
            bar = _progress_bar("Monte Carlo")
            try:
                out = _checked(self._raw.monte_carlo, req, bar)
            finally:
                bar.close()
            return out
        out = _checked(self._raw.monte_carlo, req, progress)
        return out

    # --- DataFrames (pandas) ---------------------------------------------------------------

    def contributions(self, demand: Demand, method: Optional[str] = None, top: int = 20) -> Any:
        """Direct contributions of processes to the score of ``demand`` for ``method`` (default:
        the first) as a pandas DataFrame with columns ``activity``, ``name``, ``score`` and
        ``share`` (of the total), the ``top`` largest by |score| first (0: all).
        ``.attrs`` holds ``method``, ``unit``, ``demand`` and ``total``."""
        method_id = self._method(method)
        if isinstance(demand, Mapping):
            spec = _demand_document(demand)
        else:
            spec = _checked(self._raw.demand_document, _floats(demand))
        out = self.calculate(demands=[spec], methods=[method_id], include=["contributions"], top=top)
        result = out["results"][0]
        c = result["contributions"][method_id]
        pandas = importlib.import_module("pandas")
        frame = pandas.DataFrame(c["processes"], columns=["activity", "name", "score", "share"])
        frame.attrs.update(method=method_id, unit=out["methods"][0]["unit"], demand=result["demand"], total=c["total"])
        return frame

    def monte_carlo_frame(
        self, request: Optional[Mapping[str, Any]] = None, /, progress: Progress = None, **fields: Any
    ) -> Any:
        """:meth:`monte_carlo` with every draw, as a pandas DataFrame (see :meth:`samples_frame`);
        ``.attrs`` holds the rest of the result (statistics per demand and method, seed, ...)."""
        return LcaModel.samples_frame(self.monte_carlo(_merge(request, {**fields, "include_samples": True}), progress))

    @staticmethod
    def samples_frame(result: Mapping[str, Any]) -> Any:
        """The draws of a Monte Carlo result (of :meth:`monte_carlo` or the
        ``lca_monte_carlo`` operation, run with ``include_samples``) as a pandas DataFrame:
        one row per iteration, one column per (demand, method). ``.attrs`` holds the rest of
        the result, statistics without the samples."""
        results = list(result.get("results", []))
        if not results or any("samples" not in r for r in results):
            raise InvalidInputError(
                "samples_frame: the result has no samples; run the Monte Carlo with include_samples"
            )
        np = _numpy()
        pandas = importlib.import_module("pandas")
        keys = [(r["demand"], r["method"]) for r in results]
        columns = pandas.MultiIndex.from_tuples(keys, names=["demand", "method"])
        data = np.column_stack([np.asarray(r["samples"], dtype=np.float64) for r in results])
        frame = pandas.DataFrame(data, columns=columns)
        frame.index.name = "iteration"
        frame.attrs.update({k: v for k, v in result.items() if k != "results"})
        frame.attrs["results"] = [{k: v for k, v in r.items() if k != "samples"} for r in results]
        return frame


def _demand_document(demand: Mapping[Any, Any]) -> Any:
    """``{id: amount}`` → core's ``{"amounts": [{"id", "amount"}]}``; core's form as it is."""
    if isinstance(demand.get("amounts"), (list, tuple)):
        return demand
    return {"amounts": [{"id": k, "amount": v} for k, v in demand.items()]}


def _triplets(name: str, matrix: Any) -> Tuple[Tuple[Any, Any, Any], Optional[Tuple[int, int]]]:
    """A matrix → ``(rows, cols, values)`` arrays and its shape when it has one."""
    np = _numpy()
    if isinstance(matrix, tuple) and len(matrix) == 3:
        rows, cols, values = matrix
        return (_indices(rows), _indices(cols), _floats(values)), None
    if hasattr(matrix, "tocoo"):  # scipy.sparse, any format
        coo = matrix.tocoo()
        shape = (int(coo.shape[0]), int(coo.shape[1]))
        return (_indices(coo.row), _indices(coo.col), _floats(coo.data)), shape
    if getattr(matrix, "ndim", None) == 2:  # dense numpy
        dense = np.asarray(matrix)
        rows, cols = np.nonzero(dense)
        return (_indices(rows), _indices(cols), _floats(dense[rows, cols])), (int(dense.shape[0]), int(dense.shape[1]))
    raise InvalidInputError(
        f"{name}: a {type(matrix).__name__} is not a matrix; expected a scipy.sparse matrix, "
        "a 2-D numpy array or a (rows, cols, values) tuple"
    )


def _sigma(sigma: Any, entries: Tuple[Any, Any, Any]) -> Any:
    """σ per entry: a 1-D array as it is; a matrix → its values at the entries' positions."""
    if sigma is None:
        return None
    np = _numpy()
    rows, cols, _ = entries
    if hasattr(sigma, "tocsr"):
        return _floats(np.asarray(sigma.tocsr()[rows, cols]).ravel())
    if getattr(sigma, "ndim", None) == 2:
        return _floats(np.asarray(sigma)[rows, cols])
    return _floats(sigma)


def _frozen(value: Any) -> Any:
    """A numpy array → a read-only copy of it; anything else as it is."""
    if hasattr(value, "flags") and hasattr(value, "copy"):
        a = value.copy()
        a.flags.writeable = False
        return a
    return value


def _csc(parts: Tuple[Any, Any, Any, Tuple[int, int]]) -> Any:
    data, indices, indptr, shape = parts
    try:
        sparse = importlib.import_module("scipy.sparse")
    except ImportError:
        return ((data, indices, indptr), shape)
    return sparse.csc_matrix((data, indices, indptr), shape=shape)


LcaModel.__module__ = "tanso"
