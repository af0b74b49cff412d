"""Real LCA databases in: openLCA JSON-LD, EcoSpold2 and Brightway datapackages.

A thin layer over core's importers (the compiled ``RawImportedDatabase``): it reads paths and
folders into ``(name, bytes)`` pairs, and wraps the result. The linking rule, unit conversion,
allocation and the report are core's, the same in every binding.
"""

from __future__ import annotations

import importlib
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _tanso
from ._errors import InvalidInputError
from ._lca import LcaModel, _checked

#: A database source: a path (a file — zip, ``.spold``, ``.json`` — or a folder, read with all
#: its files), the bytes of one file, or a list of paths or ``(name, bytes)`` pairs.
DatabaseSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Iterable[Any]]


def _files_of(source: Any) -> List[Tuple[str, bytes]]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return [("database", bytes(source))]
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if os.path.isdir(path):
            out = []
            for root, dirs, names in os.walk(path):
                dirs.sort()
                for name in sorted(names):
                    full = os.path.join(root, name)
                    with open(full, "rb") as f:
                        out.append((os.path.relpath(full, path).replace(os.sep, "/"), f.read()))
            return out
        with open(path, "rb") as f:
            return [(os.path.basename(path), f.read())]
    if isinstance(source, tuple) and len(source) == 2 and isinstance(source[0], str) \
            and isinstance(source[1], (bytes, bytearray, memoryview)):
        return [(source[0], bytes(source[1]))]
    if isinstance(source, Iterable):
        out = []
        for item in source:
            out.extend(_files_of(item))
        return out
    raise InvalidInputError(
        f"import_database: {type(source).__name__} is not a database source; expected a path, "
        "bytes, or a list of paths or (name, bytes) pairs")


class ImportedDatabase:
    """An LCA database read by :func:`import_database`: the system the engine computes on,
    and the importer's report of what was linked, converted and left out.

    ::

        db = tanso.import_database("uslci.zip")
        db.report["counts"]["activities"], len(db.report["unlinked"])
        model = db.model()                  # an LcaModel
        db.save("uslci.tanso")              # next time: tanso.ImportedDatabase.load("uslci.tanso")

    Pickles as its cache bytes, so workers receive it whole.
    """

    _raw: Any

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    @property
    def report(self) -> Dict[str, Any]:
        """The import report: format, schema version, counts, ``linked`` (by rule step),
        ``unlinked`` (every exchange left out of the matrix, by name, with the reason),
        ``conversions``, ``allocations``, ``left_out``, ``warnings``."""
        return _checked(self._raw.report)

    @property
    def system(self) -> Dict[str, Any]:
        """The system document (process records, flows, methods, parameters), as
        :class:`LcaModel` and the ``lca`` operation take it."""
        return _checked(self._raw.system)

    def model(self) -> LcaModel:
        """Builds and factorizes the engine's model of the database."""
        model = LcaModel.__new__(LcaModel)
        # the database itself is the pickling source: its cache is written only if the model
        # is pickled, not on every call
        model._init(_checked(self._raw.model), ("database", self))
        return model

    def to_cache(self) -> bytes:
        """The database as a compact binary cache (read back by :meth:`from_cache`)."""
        return _checked(self._raw.to_cache)  # type: ignore[no-any-return]

    @classmethod
    def from_cache(cls, cache: Union[bytes, bytearray, memoryview]) -> "ImportedDatabase":
        """Reads a cache written by :meth:`to_cache` (``UnsupportedSchemaError`` for other bytes)."""
        return cls(_checked(_tanso.RawImportedDatabase.from_cache, bytes(cache)))

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the cache to ``path``."""
        with open(path, "wb") as f:
            f.write(self.to_cache())

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "ImportedDatabase":
        """Reads a cache written by :meth:`save`."""
        with open(path, "rb") as f:
            return cls.from_cache(f.read())

    def unlinked_frame(self) -> Any:
        """The unlinked exchanges as a pandas DataFrame (one row each)."""
        pandas = importlib.import_module("pandas")  # optional: only this method needs it
        return pandas.DataFrame(self.report["unlinked"])

    def __reduce__(self) -> Tuple[Any, ...]:
        return (ImportedDatabase.from_cache, (self.to_cache(),))

    def __repr__(self) -> str:
        r = self.report
        c = r["counts"]
        return (f"ImportedDatabase(format={r['format']!r}, activities={c['activities']}, "
                f"flows={c['flows']}, methods={c['methods']}, unlinked={len(r['unlinked'])})")


def import_database(source: DatabaseSource, options: Optional[Mapping[str, Any]] = None,
                    **option_fields: Any) -> ImportedDatabase:
    """Imports an LCA database: an openLCA JSON-LD export (zip), EcoSpold2 ``.spold`` files
    (one, a folder, or a zip of them) or a Brightway datapackage (zip or folder).

    ``options`` (or keyword arguments): ``format`` (``"olca"``, ``"ecospold2"``,
    ``"datapackage"``; detected when absent), ``fallback_locations`` (default
    ``["GLO", "RoW"]``), ``allocation`` (``"default"``, ``"physical"``, ``"economic"``,
    ``"causal"``, ``"none"``), ``methods`` (impact categories to add, e.g. GWP factors by
    flow id for EcoSpold2). The import runs with the GIL released.
    """
    opts: Dict[str, Any] = dict(options or {})
    opts.update(option_fields)
    files = _files_of(source)
    return ImportedDatabase(_checked(_tanso.RawImportedDatabase.import_files, files, opts))


ImportedDatabase.__module__ = "tanso"
import_database.__module__ = "tanso"
