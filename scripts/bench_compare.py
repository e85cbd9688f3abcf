#!/usr/bin/env python3
"""The body of scripts/bench: assembles the corpus, runs newsdigest and the Python way, prints the figures.

Corpus: the 48 dev articles (../shared/data/dev/articles.jsonl) and the 1,000 crisis-news snippets
(../shared/data/crisis-news/dev.jsonl), 1,048 real news texts, repeated with distinct ids up to the size asked.
Both sides embed exactly the same texts: `examples/bench_texts` prints the title and sentences newsdigest embeds
for each article, and sentence-transformers encodes those (batch size 32, torch on all cores).

newsdigest is timed end to end (model loading, reading, sentence splitting, embedding, labels, summaries,
writing JSONL); the Python way is timed on `encode` alone, model already loaded. Peak RSS comes from
/usr/bin/time for both. Other work on the machine skews wall-clock figures: the load average is printed, and
CPU seconds beside wall seconds.
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "out", "bench")
SOURCES = ["../shared/data/dev/articles.jsonl", "../shared/data/crisis-news/dev.jsonl"]
BINARY = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release")


def corpus(articles):
    """Writes the corpus of `articles` records and returns its path."""
    records = []
    for source in SOURCES:
        with open(os.path.join(ROOT, source), encoding="utf-8") as f:
            records.extend({"id": r["id"], "title": r.get("title"), "text": r["text"]} for r in map(json.loads, f))
    path = os.path.join(OUT, f"corpus-{articles}.jsonl")
    if not os.path.exists(path):
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            for n in range(articles):
                record = dict(records[n % len(records)])
                record["id"] = f"r{n // len(records)}/{record['id']}"
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(path + ".tmp", path)
    return path


def timed(command, env=None):
    """Runs `command` under /usr/bin/time; returns (stdout, wall s, cpu s, peak RSS MB)."""
    stats = os.path.join(OUT, f"time-{os.getpid()}.txt")
    result = subprocess.run(
        ["/usr/bin/time", "-o", stats, "-f", "%e %U %S %M"] + command,
        stdout=subprocess.PIPE,
        env=env,
        check=True,
        text=True,
    )
    wall, user, system, rss_kb = open(stats).read().split()[-4:]
    os.remove(stats)
    return result.stdout, float(wall), float(user) + float(system), int(rss_kb) / 1024


def newsdigest(corpus_path, extra=(), env=None):
    output = os.path.join(OUT, f"newsdigest-{os.getpid()}.jsonl")
    command = [os.path.join(BINARY, "newsdigest"), "run", "--quiet", "--format", "jsonl", "-o", output]
    _, wall, cpu, rss = timed(command + list(extra) + [corpus_path], env)
    return {"wall": wall, "cpu": cpu, "rss": rss}


def loadavg():
    return open("/proc/loadavg").read().split()[0]


def row(name, articles, sentences, tokens, seconds, cpu, rss):
    print(
        f"{name:<34} {articles / seconds:>10.1f} {sentences / seconds:>11.1f} {tokens / seconds:>10.0f}"
        f" {seconds:>8.1f} {cpu:>8.1f} {rss:>8.0f}"
    )


def header():
    print(f"{'':<34} {'articles/s':>10} {'sentences/s':>11} {'tokens/s':>10} {'wall s':>8} {'cpu s':>8} {'RSS MB':>8}")


def compare(args, cores):
    path = corpus(args.articles)
    texts = os.path.join(OUT, f"texts-{args.articles}.jsonl")
    with open(texts, "w") as f:
        subprocess.run([os.path.join(BINARY, "examples", "bench_texts"), path], stdout=f, check=True)
    print(f"corpus: {path}: {args.articles} articles (dev articles + crisis-news, repeated); {cores} cores; "
          f"load average {loadavg()} before")
    python = os.path.join(args.venv, "bin", "python")
    py_out, py_wall, py_cpu, py_rss = timed(
        [python, os.path.join(ROOT, "scripts", "bench_python.py"), texts, "--model", args.model,
         "--threads", str(cores)],
        env=dict(os.environ, TOKENIZERS_PARALLELISM="true"),
    )
    py = json.loads(py_out.strip().splitlines()[-1])
    n, s, t = py["articles"], py["sentences"], py["tokens"]
    runs = [("newsdigest (default)", newsdigest(path))]
    if args.levers:
        runs += [
            ("newsdigest --precision bf16", newsdigest(path, ["--precision", "bf16"])),
            ("newsdigest --threads 1 (torch x2)", newsdigest(path, ["--threads", "1"])),
            ("newsdigest TOKENIZERS_PARALLELISM=0", newsdigest(path, env=dict(os.environ, TOKENIZERS_PARALLELISM="false"))),
        ]
    print(f"{n} articles, {s} sentence units (titles + sentences), {t} tokens; load average {loadavg()} after\n")
    header()
    row("python sentence-transformers encode", n, s, t, py["encode_seconds"], py["encode_cpu_seconds"], py_rss)
    print(f"{'  (python end to end, with load)':<34} {n / py_wall:>10.1f} {s / py_wall:>11.1f} {t / py_wall:>10.0f}"
          f" {py_wall:>8.1f} {py_cpu:>8.1f}")
    for name, run in runs:
        row(name, n, s, t, run["wall"], run["cpu"], run["rss"])
    print()
    for name, run in runs:
        print(f"ratio {name} / python encode: {py['encode_seconds'] / run['wall']:.2f}x by wall time, "
              f"{py['encode_cpu_seconds'] / run['cpu']:.2f}x by CPU time")


def scaling(args):
    print(f"{'articles':>9} {'wall s':>8} {'cpu s':>8} {'articles/s':>10} {'RSS MB':>8}  load")
    for size in args.scaling:
        path = corpus(size)
        run = newsdigest(path, args.extra)
        print(f"{size:>9} {run['wall']:>8.1f} {run['cpu']:>8.1f} {size / run['wall']:>10.1f} {run['rss']:>8.0f}"
              f"  {loadavg()}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", required=True)
    parser.add_argument("--articles", type=int, default=2096)
    parser.add_argument("--levers", action="store_true", help="also time newsdigest with each lever changed")
    parser.add_argument("--scaling", type=lambda s: [int(x) for x in s.split(",")], help="sizes, e.g. 1000,10000")
    parser.add_argument("--model", default=os.environ.get("NEWSDIGEST_MODEL_DIR",
                                                          os.path.join(ROOT, "models", "all-minilm-l6-v2")))
    parser.add_argument("extra", nargs="*", help="more newsdigest run options for --scaling (after --)")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    cores = os.cpu_count() or 1
    if args.scaling:
        scaling(args)
    else:
        compare(args, cores)


if __name__ == "__main__":
    sys.exit(main())
