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
import time

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
    # Written every time (a second or so) so a corpus left by an older version of this script is never reused.
    # The position goes into the id because the sources repeat an id (crisis-news has msg17385 twice), which
    # newsdigest rightly reports as an input problem.
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for n in range(articles):
            record = dict(records[n % len(records)])
            record["id"] = f"r{n // len(records)}/{n % len(records)}/{record['id']}"
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(path + ".tmp", path)
    return path


def dump_corpus(copies):
    """Writes the dev dumps (../shared/data/dev/dumps, layouts of every kind) `copies` times into one folder, each
    copy as its own raw dump file, and returns the folder: newsdigest segments them, so this times the whole tool
    on raw input. (Copies in one file would make every line repeat, which the segmenter takes for boilerplate.)"""
    source = os.path.join(ROOT, "../shared/data/dev/dumps")
    folder = os.path.join(OUT, f"dumps-x{copies}")
    if not os.path.isdir(folder):
        os.makedirs(folder + ".tmp", exist_ok=True)
        for copy in range(copies):
            for name in sorted(os.listdir(source)):
                with open(os.path.join(source, name), "rb") as f:
                    data = f.read()
                with open(os.path.join(folder + ".tmp", f"c{copy:03}-{name}"), "wb") as f:
                    f.write(data)
        os.replace(folder + ".tmp", folder)
    return folder


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
    slug = "-".join(a.strip("-") for a in extra) or "default"
    output = os.path.join(OUT, f"newsdigest-{slug}.jsonl")
    command = [os.path.join(BINARY, "newsdigest"), "run", "--quiet", "--format", "jsonl", "-o", output]
    _, wall, cpu, rss = timed(command + list(extra) + [corpus_path], env)
    return {"wall": wall, "cpu": cpu, "rss": rss, "output": output}


def agreement(reference, other):
    """How far one run's output is from the reference run's: spans, labels and summaries changed, largest score
    change."""
    def records(path):
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    pairs = list(zip(records(reference), records(other)))
    spans = sum((a["source"], a["start_line"], a["end_line"]) != (b["source"], b["start_line"], b["end_line"])
                for a, b in pairs)
    labels = sum(a["label"] != b["label"] for a, b in pairs)
    summaries = sum(a["summary"] != b["summary"] for a, b in pairs)
    scores = max((abs(a["scores"][k] - b["scores"][k]) for a, b in pairs for k in a["scores"]), default=0.0)
    return (f"{spans} spans, {labels} labels and {summaries} summaries differ of {len(pairs)}, "
            f"largest score change {scores:.4f}")


def default_precision():
    """The precision newsdigest picks by default here: bf16-checked where the CPU has native bf16."""
    with open("/proc/cpuinfo") as f:
        return "bf16-checked" if "avx512_bf16" in f.read() else "fp32"


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
    path = dump_corpus(args.dumps) if args.dumps else corpus(args.articles)
    what = (f"the 8 dev dumps x{args.dumps}, raw dump files that newsdigest segments" if args.dumps
            else f"{args.articles} articles (dev articles + crisis-news, repeated)")
    texts = os.path.join(OUT, os.path.basename(path) + ".texts.jsonl")
    with open(texts, "w") as f:
        subprocess.run([os.path.join(BINARY, "examples", "bench_texts"), path], stdout=f, check=True)
    print(f"corpus: {path}: {what}; {cores} cores; "
          f"load average {loadavg()} before")
    python = os.path.join(args.venv, "bin", "python")
    py_out, py_wall, py_cpu, py_rss = timed(
        [python, os.path.join(ROOT, "scripts", "bench_python.py"), texts, "--model", args.model,
         "--threads", str(cores)],
        env=dict(os.environ, TOKENIZERS_PARALLELISM="true"),
    )
    py = json.loads(py_out.strip().splitlines()[-1])
    n, s, t = py["articles"], py["sentences"], py["tokens"]
    runs = [(f"newsdigest (default: {default_precision()})", newsdigest(path))]
    if args.levers:
        runs += [
            ("newsdigest --precision fp32", newsdigest(path, ["--precision", "fp32"])),
            ("newsdigest --precision bf16", newsdigest(path, ["--precision", "bf16"])),
            ("newsdigest --precision bf16-checked", newsdigest(path, ["--precision", "bf16-checked"])),
            ("newsdigest --threads 1", newsdigest(path, ["--threads", "1"])),
            (f"newsdigest --threads 1 --torch-threads {cores}",
             newsdigest(path, ["--threads", "1", "--torch-threads", str(cores)])),
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
    if args.levers:
        print()
        reference = runs[1][1]["output"]
        for name, run in runs[:1] + runs[2:]:
            print(f"{name} against --precision fp32: {agreement(reference, run['output'])}")


def scaling(args):
    print(f"{'articles':>9} {'wall s':>8} {'cpu s':>8} {'articles/s':>10} {'RSS MB':>8}  load")
    for size in args.scaling:
        path = corpus(size)
        run = newsdigest(path, args.extra)
        print(f"{size:>9} {run['wall']:>8.1f} {run['cpu']:>8.1f} {size / run['wall']:>10.1f} {run['rss']:>8.0f}"
              f"  {loadavg()}", flush=True)


def summary_share(args):
    """The extractive summariser's share of a run: `newsdigest run` on a JSONL file of articles timed end to end,
    beside the summariser alone on the same texts (the `summary_budget` example: sentences split as the pipeline
    splits them, the mean of 20 passes)."""
    path = args.summaries
    run = newsdigest(path)
    out, _, _, _ = timed([os.path.join(BINARY, "examples", "summary_budget"), "--time", path])
    alone = json.loads(out.strip().splitlines()[-1])
    n, seconds = alone["articles"], alone["summary_seconds"]
    print(f"corpus: {path}: {n} articles, {alone['sentences']} sentences; load average {loadavg()}")
    print(f"newsdigest run: {run['wall']:.1f} s wall, {run['cpu']:.1f} s CPU, peak RSS {run['rss']:.0f} MB")
    print(f"extractive summariser alone: {seconds * 1000:.1f} ms ({seconds / max(n, 1) * 1000:.3f} ms an article)"
          f" = {100 * seconds / run['cpu']:.2f}% of the run's CPU time")


def synthetic_dump(megabytes):
    """Writes a raw dump of about `megabytes` MB and returns its path: stories made up by a word-bigram chain
    over the dev articles (headline, blank line, paragraphs; a separator line now and then), so that no line
    repeats the way copies of real dumps would (which the segmenter takes for boilerplate)."""
    import random

    path = os.path.join(OUT, f"synthetic-{megabytes}mb.txt")
    if os.path.exists(path):
        return path
    follows = {}
    with open(os.path.join(ROOT, SOURCES[0]), encoding="utf-8") as f:
        for record in map(json.loads, f):
            words = record["text"].split()
            for a, b in zip(words, words[1:]):
                follows.setdefault(a, []).append(b)
    starts = [w for w in follows if w[:1].isupper()]
    rng = random.Random(7)

    def sentence(limit):
        word, words = rng.choice(starts), []
        while len(words) < limit:
            words.append(word)
            if word.endswith((".", "?", "!")) and len(words) > 6:
                break
            word = rng.choice(follows.get(word) or starts)
        return " ".join(words)

    target = megabytes * 1_000_000
    written = 0
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        while written < target:
            headline = sentence(rng.randint(6, 12)).rstrip(".?!,;:")
            paragraphs = [" ".join(sentence(40) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(2, 7))]
            story = headline + "\n\n" + "\n\n".join(paragraphs) + "\n\n"
            if rng.random() < 0.2:
                story += "----------\n\n"
            f.write(story)
            written += len(story.encode("utf-8"))
    os.replace(path + ".tmp", path)
    return path


def memory(args):
    """Runs newsdigest on a synthetic dump of args.memory MB for at most args.minutes minutes, sampling its RSS."""
    path = synthetic_dump(args.memory)
    output = os.path.join(OUT, "memory.jsonl")
    command = [os.path.join(BINARY, "newsdigest"), "run", "--quiet", "--format", "jsonl", "-o", output, path]
    print(f"dump: {path}, {os.path.getsize(path) / 1e6:.0f} MB; running for at most {args.minutes} min")
    print(f"{'minute':>7} {'read MB':>8} {'articles':>9} {'RSS MB':>8} {'peak RSS MB':>12}", flush=True)
    process = subprocess.Popen(command)
    started = time.time()

    def status():
        fields = {}
        with open(f"/proc/{process.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.split()
        with open(f"/proc/{process.pid}/io") as f:
            read = {k: int(v) for k, v in (line.split(": ") for line in f)}["rchar"]
        written = 0
        if os.path.exists(output + ".partial"):
            with open(output + ".partial", "rb") as f:
                written = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        return read / 1e6, written, int(fields["VmRSS"][0]) / 1024, int(fields["VmHWM"][0]) / 1024

    last = None
    while process.poll() is None and time.time() - started < args.minutes * 60:
        time.sleep(min(30, args.minutes * 60 / 20))
        try:
            last = status()
        except (FileNotFoundError, ProcessLookupError, KeyError):
            break
        print(f"{(time.time() - started) / 60:>7.1f} {last[0]:>8.0f} {last[1]:>9} {last[2]:>8.0f} {last[3]:>12.0f}",
              flush=True)
    if process.poll() is None:
        process.kill()
        process.wait()
        print("stopped (time limit); the figures above are the run so far")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", required=True)
    parser.add_argument("--articles", type=int, default=2096)
    parser.add_argument("--dumps", type=int, metavar="COPIES",
                        help="compare on the dev dumps copied COPIES times as raw dump files instead")
    parser.add_argument("--levers", action="store_true", help="also time newsdigest with each lever changed")
    parser.add_argument("--scaling", type=lambda s: [int(x) for x in s.split(",")], help="sizes, e.g. 1000,10000")
    parser.add_argument("--memory", type=int, metavar="MB", help="run on a synthetic raw dump of MB megabytes, "
                        "sampling RSS (see --minutes)")
    parser.add_argument("--minutes", type=float, default=10, help="time limit of --memory")
    parser.add_argument("--summaries", metavar="JSONL",
                        help="the extractive summariser's share of a run on this JSONL file of articles")
    parser.add_argument("--model", default=os.environ.get("NEWSDIGEST_MODEL_DIR",
                                                          os.path.join(ROOT, "models", "all-minilm-l6-v2")))
    parser.add_argument("extra", nargs="*", help="more newsdigest run options for --scaling (after --)")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    cores = os.cpu_count() or 1
    if args.summaries:
        summary_share(args)
    elif args.memory:
        memory(args)
    elif args.scaling:
        scaling(args)
    else:
        compare(args, cores)


if __name__ == "__main__":
    sys.exit(main())
