"""gongkai (公开): budget disclosures of Chinese government departments → audited, structured data.

The converter of the ``gongkai`` command, in process::

    import gongkai
    doc = gongkai.convert("samples/ocr-text/qinglong-2023-budget.txt")   # the contract's document
    facts = gongkai.facts(["samples/"], jobs=4)                          # the CLI's facts.ndjson
    table = gongkai.to_arrow(["samples/"])                               # facts as a pyarrow.Table

What comes back is what ``gongkai convert INPUT... --out DIR`` writes (the output contract,
``contract`` 1): documents as ``<doc>.json`` holds them, and the lines of ``facts.ndjson``,
``findings.ndjson`` and ``documents.ndjson``, with the same document names, in the same
order, with the same values. Money stays a decimal string (``"198.30"``), as printed.

Inputs are files or folders (searched recursively): ``.pdf``, ``.txt`` OCR text, ``.tsv``
and ``.hocr`` OCR output. As in the CLI, an input that cannot be converted (missing, empty,
encrypted, not a disclosure) is a document with ``status: "failed"`` and its reason as the
first finding, never an exception; a file of another type is skipped with a warning. Only a
wrong argument raises (``TypeError``, ``ValueError``). The GIL is released while converting.
"""

from __future__ import annotations

import json
import os
import warnings
from collections import namedtuple

from . import _gongkai
from .columns import COLUMNS, TABLES

__all__ = [
    "CONTRACT",
    "Tables",
    "convert",
    "facts",
    "tables",
    "plan",
    "to_arrow",
    "findings_arrow",
    "documents_arrow",
    "arrow_tables",
    "arrow",
    "schema",
    "targets",
    "targets_arrow",
]

#: The output contract's version, as in every document's ``contract``.
CONTRACT = _gongkai.CONTRACT

#: The warehouse tables of a batch: lists of dicts, the lines of the CLI's ``facts.ndjson``,
#: ``findings.ndjson`` and ``documents.ndjson``.
Tables = namedtuple("Tables", ["facts", "findings", "documents"])


def _paths(paths):
    """A list of path strings from a list of str / os.PathLike; one path alone is a usage
    error (a string would be read as a list of one-letter paths)."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise TypeError(f"expected a list of paths, got one path {paths!r}: pass [path]")
    try:
        items = list(paths)
    except TypeError:
        raise TypeError(f"expected a list of paths, got {type(paths).__name__}") from None
    out = []
    for p in items:
        if not isinstance(p, (str, os.PathLike)):
            raise TypeError(f"expected a path (str or os.PathLike), got {type(p).__name__}: {p!r}")
        out.append(os.fspath(p))
    return out


def _jobs(jobs):
    if jobs is None:
        return None
    if isinstance(jobs, bool) or not isinstance(jobs, int):
        raise TypeError(f"jobs must be an int or None, got {type(jobs).__name__}")
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    return jobs


def plan(paths):
    """The files ``gongkai convert PATHS...`` would convert, with their document names:
    a list of ``(path, doc)`` pairs, sorted by path. Folders are searched recursively;
    files of other types are skipped with a warning, as the CLI reports them. A missing
    file is kept: converting it gives a failed document, as in the CLI.

    Names are unique over the whole list (``x``, ``x-2`` for two files named ``x``), so
    split a planned list, not the inputs, to convert in parts (``examples/spark_convert.py``).
    """
    files, skipped = _gongkai.plan(_paths(paths))
    for path, reason in skipped:
        warnings.warn(f"gongkai: skipped {path}: {reason}", stacklevel=2)
    return [(os.fspath(path), name) for path, name in files]


def convert(path, ocr=True, *, name=None):
    """The document of one input file, as a dict (the contract's ``<doc>.json``).

    ``ocr=False`` reports pages without a usable text layer instead of OCR'ing them
    (``--no-ocr``). ``name`` is the document's ``doc`` (default: the file's stem, as the CLI
    names a file converted alone). An unreadable input gives a document with
    ``status: "failed"``; a folder, or anything but one path, raises.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"expected one path (str or os.PathLike), got {type(path).__name__}")
    path = os.fspath(path)
    if os.path.isdir(path):
        raise ValueError(f"{path} is a folder: convert() takes one file; use gongkai.facts([folder]) or gongkai.tables")
    if name is None:
        (name,) = _gongkai.names([path])
    elif not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    return json.loads(_gongkai.convert(path, name, bool(ocr)))


def _rows(planned, jobs, ocr):
    files = [path for path, _ in planned]
    names = [name for _, name in planned]
    if not files:
        return Tables([], [], [])
    got = json.loads(_gongkai.rows(files, names, _jobs(jobs), bool(ocr)))
    return Tables(got["facts"], got["findings"], got["documents"])


def tables(paths=None, jobs=None, ocr=True, *, planned=None):
    """Converts ``paths`` (files or folders) ``jobs`` at a time (default: all cores) and
    returns the three warehouse tables as lists of dicts, :class:`Tables` ``(facts,
    findings, documents)``, each in document-name order: the lines the CLI writes.

    ``planned`` (from :func:`plan`, instead of ``paths``) converts exactly those files
    under those names: how a part of a larger batch keeps the batch's names.
    """
    if planned is None:
        if paths is None:
            raise TypeError("tables() needs paths (or planned)")
        planned = plan(paths)
    elif paths is not None:
        raise ValueError("pass paths or planned, not both")
    else:
        planned = [(os.fspath(p), str(n)) for p, n in planned]
    return _rows(planned, jobs, ocr)


def facts(paths, jobs=None, ocr=True):
    """The facts of ``paths`` (files or folders): a list of dicts, the lines of the CLI's
    ``facts.ndjson`` for the same inputs, in the same order, with the same values."""
    return tables(paths, jobs, ocr).facts


# Arrow: pyarrow is optional (``pip install gongkai[arrow]``).


def _pyarrow():
    try:
        import pyarrow
    except ImportError as e:
        raise ImportError(
            "gongkai's Arrow tables need pyarrow: pip install pyarrow (or gongkai[arrow])"
        ) from e
    return pyarrow


def schema(table):
    """The ``pyarrow.Schema`` of a warehouse table (``facts``, ``findings``,
    ``documents``, ``targets``): the columns of the CLI's ``<table>.parquet``."""
    pa = _pyarrow()
    types = {"text": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    return pa.schema([pa.field(name, types[kind]) for name, kind in COLUMNS[table]])


def arrow(table, rows):
    """``rows`` (dicts: lines of the warehouse table ``table``) as a ``pyarrow.Table`` with
    :func:`schema` ``(table)``."""
    pa = _pyarrow()
    columns = COLUMNS[table]
    from .columns import cell

    data = {name: [cell(r.get(name), kind) for r in rows] for name, kind in columns}
    return pa.Table.from_pydict(data, schema=schema(table))


def arrow_tables(paths, jobs=None, ocr=True):
    """The three warehouse tables of ``paths`` as ``pyarrow.Table`` s, converting once:
    ``{"facts": …, "findings": …, "documents": …}``, the same columns and rows as the CLI's
    ``--format parquet`` files."""
    got = tables(paths, jobs, ocr)
    return {name: arrow(name, getattr(got, name)) for name in TABLES}


def to_arrow(paths, jobs=None, ocr=True):
    """The facts of ``paths`` as a ``pyarrow.Table`` (the CLI's ``facts.parquet``)."""
    return arrow("facts", facts(paths, jobs, ocr))


def findings_arrow(paths, jobs=None, ocr=True):
    """The findings of ``paths`` as a ``pyarrow.Table`` (the CLI's ``findings.parquet``)."""
    return arrow("findings", tables(paths, jobs, ocr).findings)


def documents_arrow(paths, jobs=None, ocr=True):
    """One row per document of ``paths`` as a ``pyarrow.Table`` (the CLI's
    ``documents.parquet``)."""
    return arrow("documents", tables(paths, jobs, ocr).documents)


def targets(paths, jobs=None, ocr=True):
    """The performance targets (绩效目标表) of ``paths`` (files or folders): a list of dicts,
    one per indicator, the lines of the CLI's ``targets.ndjson`` for the same inputs, in the
    same order."""
    planned = plan(paths)
    files = [path for path, _ in planned]
    if not files:
        return []
    names = [name for _, name in planned]
    return json.loads(_gongkai.rows(files, names, _jobs(jobs), bool(ocr)))["targets"]


def targets_arrow(paths, jobs=None, ocr=True):
    """The performance targets of ``paths`` as a ``pyarrow.Table`` (the CLI's
    ``targets.parquet``): one row per indicator."""
    return arrow("targets", targets(paths, jobs, ocr))
