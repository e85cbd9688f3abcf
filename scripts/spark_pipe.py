#!/usr/bin/env python3
"""A real distributed run on Spark (local mode): JSONL records split into partitions, each partition piped
through `newsdigest run - --format jsonl --quiet` with `rdd.pipe`, and the union checked against one run over
everything: every record exactly once, with the same id, text, label and summary (and how many records are
byte-identical, scores included). Prints the record counts, the partitions and the times.

    scripts/spark_pipe.py                        # the 48 dev records and 1,000 crisis-news sentences
    scripts/spark_pipe.py --partitions 8 more.jsonl

Needs a Java runtime (Debian: apt-get install openjdk-17-jre-headless) and pyspark, pinned in
scripts/spark_requirements.txt with their sha256 (python3 -m venv /some/venv && /some/venv/bin/pip install
--require-hashes -r scripts/spark_requirements.txt). Exits 1 when the union differs from the single run.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_INPUTS = [ROOT / "tests" / "data" / "dev" / "articles.jsonl", SHARED / "crisis-news" / "dev.jsonl"]


def read_records(paths):
    """The input lines as newsdigest's JSONL records ({id, title?, text}), ids made unique per file."""
    lines = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                record = json.loads(line)
                lines.append(
                    json.dumps(
                        {"id": f"{path.stem}:{record.get('id', n)}", "title": record.get("title"), "text": record["text"]},
                        ensure_ascii=False,
                    )
                )
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", type=Path, help="JSONL files (default: dev records, crisis-news)")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--cores", type=int, default=2, help="Spark local[N] (default 2)")
    parser.add_argument("--binary", type=Path, default=ROOT / "target" / "release" / "newsdigest")
    args = parser.parse_args()
    lines = read_records(args.inputs or DEFAULT_INPUTS)
    command = f"{args.binary} run - --format jsonl --quiet --threads 1"

    start = time.monotonic()
    single = subprocess.run(
        command.split(), input="\n".join(lines) + "\n", capture_output=True, text=True, check=True
    ).stdout.splitlines()
    single_wall = time.monotonic() - start

    from pyspark import SparkContext

    sc = SparkContext(f"local[{args.cores}]", "newsdigest-pipe")
    sc.setLogLevel("ERROR")
    try:
        start = time.monotonic()
        rdd = sc.parallelize(lines, args.partitions)
        sizes = rdd.glom().map(len).collect()
        out = rdd.pipe(command).collect()
        spark_wall = time.monotonic() - start
    finally:
        sc.stop()

    def by_id(records):
        parsed = [json.loads(r) for r in records]
        return {r["id"]: r for r in parsed}, len(parsed)

    single_by_id, _ = by_id(single)
    spark_by_id, spark_count = by_id(out)
    fields = ("text", "label", "summary")
    same = (
        spark_count == len(single)
        and spark_by_id.keys() == single_by_id.keys()
        and all(all(spark_by_id[i].get(f) == single_by_id[i].get(f) for f in fields) for i in single_by_id)
    )
    identical = sum(1 for i, r in spark_by_id.items() if single_by_id.get(i) == r)
    print(f"records: {len(lines)}; single run: {len(single)} out, wall {single_wall:.1f} s")
    print(
        f"spark local[{args.cores}], {args.partitions} partitions of {sizes}: {spark_count} out, wall {spark_wall:.1f} s; "
        f"union {'==' if same else '!='} single run (ids, text, labels, summaries); "
        f"{identical} records byte-identical, scores included"
    )
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
