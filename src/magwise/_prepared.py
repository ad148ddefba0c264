"""Prepared copies of what every command would otherwise rebuild: kept in the data
directory, named by a digest of what they are made from, read back in milliseconds.

Building the validators and serializers of the case and result models, and
validating the knowledge base, take longer than the whole of a command's own
work. Both are stored once as pickles whose names are digests of the files they
come from (the source files of the models' packages or the knowledge files),
Python's version and Pydantic's: any change names another file, so a stale copy
is never read. Unpickling accepts only magwise's own classes and functions and
Pydantic's compiled validator and serializer, so a file put there by someone
else cannot call anything else; a file that cannot be read is ignored and the
work is done as before (and stored again).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel

T = TypeVar("T")

_FORMAT = 1  # raise when the way things are stored changes
_JSON_SCHEMA_HOOK = "__get_pydantic_json_schema__"
_COMPILED = {
    ("pydantic_core._pydantic_core", "SchemaValidator"),
    ("pydantic_core._pydantic_core", "SchemaSerializer"),
}

#: What a damaged or foreign file can make unpickling raise.
_UNREADABLE = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    KeyError,
    ImportError,
    RecursionError,
    MemoryError,
)


def where() -> Path | None:
    """The data directory (``$MAGWISE_DATA_DIR`` wins), or None where none can be named."""
    from magwise._datadir import data_dir

    try:
        return data_dir()
    except (ImportError, RuntimeError):  # pragma: no cover - no home directory at all
        return None


def digest(paths: Iterable[Path], *words: str) -> str:
    """A digest of the files ``paths`` (name and content), ``words`` and the versions of
    Python, Pydantic and its core."""
    import pydantic
    import pydantic_core

    hasher = hashlib.blake2b(digest_size=10)
    versions = (_FORMAT, sys.version, pydantic.VERSION, pydantic_core.__version__)
    hasher.update(repr((versions, words)).encode())
    for path in paths:
        hasher.update(f"\0{path.parent.name}/{path.name}\0".encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def sources(*directories: Path) -> list[Path]:
    """The Python and TOML files of ``directories``, in a stable order."""
    return [path for directory in directories for path in _files(directory)]


@functools.cache
def _files(directory: Path) -> tuple[Path, ...]:
    return tuple(sorted(p for p in directory.iterdir() if p.suffix in (".py", ".toml")))


class _Reader(pickle.Unpickler):
    """Unpickles the classes and functions of ``modules`` (magwise's own) and Pydantic's
    compiled validator and serializer, nothing else."""

    def __init__(self, file: BinaryIO, modules: frozenset[str]) -> None:
        super().__init__(file)
        self.modules = modules

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _COMPILED:
            return super().find_class(module, name)
        if module == "builtins" and name == "getattr":
            return self._getattr
        if module in self.modules and module in sys.modules and "__" not in name:
            found = super().find_class(module, name)
            if callable(found) and getattr(found, "__module__", None) == module:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not read from a prepared file")

    def _getattr(self, owner: Any, name: str) -> Any:
        """``getattr`` as pickle uses it for methods: a class's own, non-special ones, and
        the hook by which Pydantic writes a model's JSON Schema."""
        if (
            isinstance(owner, type)
            and owner.__module__ in self.modules
            and (name == _JSON_SCHEMA_HOOK or (not name.startswith("__") and name in vars(owner)))
        ):
            return getattr(owner, name)
        raise pickle.UnpicklingError(f"{name!r} of {owner!r} is not read from a prepared file")


def read(name: str, modules: Iterable[str]) -> Any:
    """The object stored as ``name`` in the data directory, made of the classes and
    functions of ``modules`` only; None if there is none or it cannot be read."""
    directory = where()
    if directory is None:
        return None
    with contextlib.suppress(*_UNREADABLE), (directory / name).open("rb") as file:
        return _Reader(file, frozenset(modules)).load()
    return None


def write(name: str, value: object) -> None:
    """Store ``value`` as ``name`` in the data directory; a read-only one is left alone."""
    directory = where()
    if directory is None:
        return
    from magwise.errors import DataError
    from magwise.foods._store import write_atomically

    with contextlib.suppress(DataError, pickle.PicklingError, TypeError, AttributeError):
        write_atomically(directory / name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        # the copies of earlier sources ("models-magwise.case-<digest>.pickle") are stale
        for stale in directory.glob(name.rsplit("-", 1)[0] + "-*.pickle"):
            if stale.name != name:
                with contextlib.suppress(OSError):
                    stale.unlink()


def prepared(name: str, build: Callable[[], T], kind: type[T], modules: Iterable[str]) -> T:
    """The stored ``name`` (made of ``modules``) if it is a ``kind``, else ``build()``, stored
    as ``name``."""
    stored = read(name, modules)
    if isinstance(stored, kind):
        return stored
    value = build()
    write(name, value)
    return value


def prepare_models(namespace: dict[str, Any], base: type[BaseModel], *directories: Path) -> None:
    """Give the models of a module (``namespace``: its globals) derived from ``base``
    their validators and serializers from a prepared file, or build them (and store
    them) if there is none for the source files of ``directories``.

    The models are defined with ``defer_build``; what they get is exactly what
    Pydantic would build for them on first use, built by Pydantic itself.
    """
    module = namespace["__name__"]
    models = [
        value
        for value in list(namespace.values())
        if isinstance(value, type)
        and issubclass(value, base)
        and value is not base
        and value.__module__ == module
    ]
    name = f"models-{module}-{digest(sources(*directories), module)}.pickle"

    def build() -> list[tuple[str, Any, Any, Any]]:
        parts = []
        for model in models:
            model.model_rebuild()
            parts.append(
                (
                    model.__qualname__,
                    model.__pydantic_core_schema__,
                    model.__pydantic_validator__,
                    model.__pydantic_serializer__,
                )
            )
        return parts

    stored = read(name, (module,))
    names = [model.__qualname__ for model in models]
    if not (isinstance(stored, list) and [part[0] for part in stored] == names):
        write(name, build())
        return
    for model, (_, schema, validator, serializer) in zip(models, stored, strict=True):
        model.__pydantic_core_schema__ = schema
        model.__pydantic_validator__ = validator
        model.__pydantic_serializer__ = serializer
        model.__pydantic_complete__ = True
