#!/usr/bin/env python3
"""A Slurm-style array job emulated on this machine: N tasks each run `newsdigest run --shard I/N` over the same
inputs (as `sbatch --array=0-(N-1)` would on N nodes), and the union of their outputs is checked against one
run over everything: every article exactly once, with the same id, source, line span and text (and whether
the whole record, scores included, is identical). Prints the CPU time and wall time of each.

    scripts/shard_array.py                        # 2 and 4 shards over the default corpus (see --help)
    scripts/shard_array.py --shards 3 --parallel 1 dumps/ records.jsonl

Standard library only; the product never needs Python. Exits 1 when the union differs from the single run.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_INPUTS = [
    SHARED / "cnndm" / "dumps" / "blank",
    SHARED / "cnndm" / "dumps" / "flat",
    SHARED / "dev" / "dumps",
    ROOT / "tests" / "data" / "dev" / "articles.jsonl",
]


def run(binary, inputs, out, extra, env_extra=None):
    """Starts one run writing JSONL to `out`; returns the process."""
    env = dict(os.environ, **(env_extra or {}))
    args = [str(binary), "run", "--quiet", "--format", "jsonl", "-o", str(out), *extra, *map(str, inputs)]
    return subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)


def wait(proc):
    """Waits for `proc`; returns its CPU seconds (user + system) and checks its exit code."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read()
    if proc.returncode not in (0, 3):
        sys.exit(f"shard_array: {proc.args} failed ({proc.returncode}):\n{stderr}")
    return usage.ru_utime + usage.ru_stime


def records(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def key(record):
    """What sharding must keep: the article's identity, where it came from, and its text."""
    return (record.get("source"), record["id"], record.get("start_line"), record.get("end_line"), record["text"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", type=Path, help="default: the cnndm and dev dumps, dev articles")
    parser.add_argument("--shards", default="2,4", help="shard counts to try, comma-separated (default 2,4)")
    parser.add_argument("--parallel", type=int, default=2, help="tasks running at once (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="--threads of every run (default 1)")
    parser.add_argument("--precision", help="--precision of every run (default: newsdigest's default)")
    parser.add_argument("--binary", type=Path, default=ROOT / "target" / "release" / "newsdigest")
    args = parser.parse_args()
    inputs = args.inputs or DEFAULT_INPUTS
    extra = ["--threads", str(args.threads)] + (["--precision", args.precision] if args.precision else [])
    failed = False
    with tempfile.TemporaryDirectory(prefix="shard-array-") as tmp:
        tmp = Path(tmp)
        start = time.monotonic()
        single_cpu = wait(run(args.binary, inputs, tmp / "single.jsonl", extra))
        single_wall = time.monotonic() - start
        single = records(tmp / "single.jsonl")
        expected = sorted(map(key, single))
        by_key = {key(r): r for r in single}
        print(f"inputs: {', '.join(map(str, inputs))}")
        print(f"single run: {len(single)} articles, CPU {single_cpu:.1f} s, wall {single_wall:.1f} s")
        for count in map(int, args.shards.split(",")):
            start = time.monotonic()
            cpu, pending, parts = [], list(range(count)), []
            running = []
            while pending or running:
                while pending and len(running) < args.parallel:
                    task = pending.pop(0)
                    out = tmp / f"part-{count}-{task}.jsonl"
                    env = {"SLURM_ARRAY_TASK_ID": str(task), "SLURM_ARRAY_TASK_COUNT": str(count)}
                    running.append((run(args.binary, inputs, out, [*extra, "--shard", f"{task}/{count}"], env), out))
                proc, out = running.pop(0)
                cpu.append(wait(proc))
                parts.append(out)
            wall = time.monotonic() - start
            union = [r for part in sorted(parts) for r in records(part)]
            got = sorted(map(key, union))
            same_records = sum(1 for r in union if by_key.get(key(r)) == r)
            same_labels = sum(
                1
                for r in union
                if key(r) in by_key and all(by_key[key(r)].get(f) == r.get(f) for f in ("label", "summary"))
            )
            ok = got == expected
            failed |= not ok
            sizes = [len(records(p)) for p in sorted(parts)]
            print(
                f"{count} shards: union {'==' if ok else '!='} single run ({len(union)} articles, per shard {sizes}; "
                f"{same_records} records identical to the single run's, scores included, {same_labels} with the same "
                f"label and summary); "
                f"CPU {sum(cpu):.1f} s = {sum(cpu) / single_cpu:.2f}x the single run (per task "
                f"{', '.join(f'{c:.1f}' for c in cpu)}); wall {wall:.1f} s with {args.parallel} at once"
            )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
