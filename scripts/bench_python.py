#!/usr/bin/env python3
"""The Python way, for scripts/bench: sentence-transformers embeds the texts newsdigest embeds.

Reads the JSONL written by `examples/bench_texts` ({"id", "texts"} per article), embeds every text with
sentence-transformers (the same all-MiniLM-L6-v2 folder, batch size 32, CPU, torch limited to the given thread
count) and prints one JSON object: counts, timings (load and encode separately) and peak RSS.
"""
import argparse
import json
import resource
import time


def load_model(folder):
    """all-MiniLM-L6-v2 as its sentence-transformers modules.json defines it (Transformer, mean Pooling,
    Normalize), built explicitly because the model folder carries only the files newsdigest needs."""
    from sentence_transformers import SentenceTransformer, models

    with open(f"{folder}/sentence_bert_config.json") as f:
        max_seq_length = json.load(f)["max_seq_length"]
    transformer = models.Transformer(folder, max_seq_length=max_seq_length)
    pooling = models.Pooling(transformer.get_word_embedding_dimension(), pooling_mode="mean")
    return SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("texts", help="JSONL from examples/bench_texts")
    parser.add_argument("--model", required=True, help="the model folder")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    started = time.perf_counter()
    import torch

    torch.set_num_threads(args.threads)
    model = load_model(args.model)
    articles = 0
    texts = []
    with open(args.texts, encoding="utf-8") as f:
        for line in f:
            articles += 1
            texts.extend(json.loads(line)["texts"])
    tokens = sum(
        min(len(ids), model.max_seq_length)
        for ids in model.tokenizer(texts, add_special_tokens=True)["input_ids"]
    )
    loaded = time.perf_counter()
    cpu_before = time.process_time()
    model.encode(texts, batch_size=args.batch_size, convert_to_numpy=True)
    encode_seconds = time.perf_counter() - loaded
    print(
        json.dumps(
            {
                "articles": articles,
                "sentences": len(texts),
                "tokens": tokens,
                "load_seconds": round(loaded - started, 3),
                "encode_seconds": round(encode_seconds, 3),
                "encode_cpu_seconds": round(time.process_time() - cpu_before, 3),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
            }
        )
    )


if __name__ == "__main__":
    main()
