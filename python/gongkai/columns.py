"""The columns of the warehouse tables, as ``gongkai convert --format parquet`` writes them.

One list per table, ``(name, kind)`` in order, kind one of ``text``, ``int``, ``float`` and
``bool``; every column may be null. This mirrors ``src/emit/parquet.rs`` (a test checks the
Arrow schemas against the CLI's Parquet files), so the CLI's Parquet, ``gongkai.to_arrow``
and ``examples/spark_convert.py`` give the same columns:

* figures (``value``, ``expected``, ``actual``, ``difference``, ``tolerance``) are text,
  not decimal: a decimal column has one scale, while printed figures keep the scale they
  were printed with (``0``, ``4.4``, ``198.30``); cast in the warehouse
  (``CAST(value AS DECIMAL(38, 2))``);
* nested fields (``bbox``, ``cells``) are JSON text;
* a field absent from a line (``repaired`` on a figure read as printed) is null.

No dependency: the Spark example builds its schemas from these lists too.
"""

FACTS = [
    ("doc", "text"),
    ("table", "text"),
    ("row", "text"),
    ("item", "text"),
    ("column", "text"),
    ("measure", "text"),
    ("value", "text"),
    ("side", "text"),
    ("under", "text"),
    ("unit", "text"),
    ("page", "int"),
    ("line", "int"),
    ("source", "text"),
    ("bbox", "text"),
    ("confidence", "float"),
    ("repaired", "bool"),
    ("inferred", "bool"),
]

FINDINGS = [
    ("doc", "text"),
    ("severity", "text"),
    ("kind", "text"),
    ("table", "text"),
    ("row", "text"),
    ("column", "text"),
    ("side", "text"),
    ("rule", "text"),
    ("expected", "text"),
    ("actual", "text"),
    ("difference", "text"),
    ("tolerance", "text"),
    ("cells", "text"),
    ("page", "int"),
    ("message", "text"),
]

DOCUMENTS = [
    ("doc", "text"),
    ("path", "text"),
    ("sha256", "text"),
    ("pages", "int"),
    ("text_source", "text"),
    ("status", "text"),
    ("kind", "text"),
    ("year", "int"),
    ("department_code", "text"),
    ("department", "text"),
    ("unit", "text"),
    ("scope", "text"),
    ("consolidation", "text"),
    ("part", "text"),
    ("tables", "int"),
    ("facts", "int"),
    ("repairs", "int"),
    ("errors", "int"),
    ("warnings", "int"),
    ("infos", "int"),
]

# Performance targets (绩效目标表): one row per indicator, the lines of ``targets.ndjson``.
TARGETS = [
    ("doc", "text"),
    ("target_index", "int"),
    ("target", "text"),
    ("scope", "text"),
    ("project", "text"),
    ("level1", "text"),
    ("level2", "text"),
    ("level3", "text"),
    ("description", "text"),
    ("value", "text"),
    ("comparator", "text"),
    ("number", "text"),
    ("value_unit", "text"),
    ("basis", "text"),
    ("direction", "text"),
    ("unit", "text"),
    ("score", "text"),
    ("page", "int"),
]

# The three warehouse tables of :func:`gongkai.tables`.
TABLES = {"facts": FACTS, "findings": FINDINGS, "documents": DOCUMENTS}

# Every table with Arrow columns: the three, and the targets.
COLUMNS = {**TABLES, "targets": TARGETS}


def cell(value, kind):
    """A JSON value as the column of ``kind`` holds it (non-text values of a text column
    as compact JSON, like the CLI's Parquet writer)."""
    if value is None:
        return None
    if kind == "text":
        if isinstance(value, str):
            return value
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return bool(value)


def record(row, columns):
    """One line of a warehouse table (a dict) as a tuple of its columns' values."""
    return tuple(cell(row.get(name), kind) for name, kind in columns)
