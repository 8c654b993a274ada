#!/usr/bin/env python3
"""Converts disclosures with Spark: the gongkai Python package in each task, the warehouse
tables written as Parquet.

    python examples/spark_convert.py INPUT... --out DIR [--master local[4]] [--partitions N]
    spark-submit examples/spark_convert.py --files-from manifest.txt --out s3a://bucket/gongkai

INPUT: files or folders (searched recursively), and/or ``--files-from`` a list of paths one
per line, as ``gongkai convert`` takes them. Writes ``DIR/facts/``, ``DIR/findings/`` and
``DIR/documents/``: Parquet with the columns of the CLI's ``--format parquet`` files
(``gongkai/columns.py``), the same rows the CLI writes for the same inputs.

How: the driver plans the batch once (``gongkai.plan``: the files, sorted, with the
document names a CLI run over all of them would give, so names are unique across the
cluster), spreads the plan over partitions, and each partition converts its files in
process (``mapPartitions`` over ``gongkai.tables``; the GIL is released while converting).
The three tables come from one pass: the converted rows are persisted, then written table by
table. Every executor needs the package (``pip install gongkai-*.whl``) and must see the
input paths (a shared or mounted file system); OCR of scans also needs tesseract there.
"""

import argparse
import os
import sys


def convert_partition(items, ocr=True, jobs=1):
    """One partition of the plan, ``(path, doc)`` pairs → ``(table, row tuple)`` pairs of
    the three warehouse tables. Runs on an executor."""
    import gongkai
    from gongkai.columns import TABLES, record

    items = list(items)
    if not items:
        return
    got = gongkai.tables(planned=items, jobs=jobs, ocr=ocr)
    for name, columns in TABLES.items():
        for row in getattr(got, name):
            yield name, record(row, columns)


def spark_schema(columns):
    """A Spark schema from gongkai's column list (names and kinds in order, all nullable)."""
    from pyspark.sql import types as T

    kinds = {"text": T.StringType(), "int": T.LongType(), "float": T.DoubleType(), "bool": T.BooleanType()}
    return T.StructType([T.StructField(name, kinds[kind], True) for name, kind in columns])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", help="files or folders (searched recursively)")
    parser.add_argument("--files-from", help="a list of paths, one per line (# comments, blank lines ignored)")
    parser.add_argument("--out", required=True, help="output folder (or URI): facts/, findings/, documents/")
    parser.add_argument("--master", help="Spark master, e.g. local[2] (default: as spark-submit sets it)")
    parser.add_argument("--partitions", type=int, help="partitions of the plan (default: Spark's parallelism)")
    parser.add_argument("--jobs-per-task", type=int, default=1, help="documents converted at once in a task")
    parser.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting")
    args = parser.parse_args(argv)

    import gongkai
    from gongkai.columns import TABLES

    inputs = list(args.inputs)
    if args.files_from:
        with open(args.files_from, encoding="utf-8") as f:
            inputs += [line.rstrip("\r\n") for line in f if line.strip() and not line.startswith("#")]
    if not inputs:
        parser.error("no inputs: give INPUT... or --files-from")
    planned = gongkai.plan(inputs)

    # Executors run this interpreter (the one with gongkai installed), unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("gongkai-convert")
    if args.master:
        builder = builder.master(args.master)
        if args.master.startswith("local"):
            # One machine: the driver listens on loopback only.
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
    for setting in args.conf:
        key, _, value = setting.partition("=")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    try:
        sc = spark.sparkContext
        partitions = max(1, min(len(planned), args.partitions or sc.defaultParallelism)) if planned else 1
        ocr, jobs = not args.no_ocr, args.jobs_per_task
        rows = (
            sc.parallelize(planned, partitions)
            .mapPartitions(lambda items: convert_partition(items, ocr, jobs))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        for name, columns in TABLES.items():
            table = rows.filter(lambda r, name=name: r[0] == name).map(lambda r: r[1])
            spark.createDataFrame(table, spark_schema(columns)).write.mode("overwrite").parquet(
                os.path.join(args.out, name)
            )
        counts = rows.countByKey()
        rows.unpersist()
        print(
            f"spark_convert: {len(planned)} inputs, "
            + ", ".join(f"{counts.get(name, 0)} {name}" for name in TABLES)
            + f" → {args.out}",
            file=sys.stderr,
        )
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
