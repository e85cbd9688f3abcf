#!/usr/bin/env python3
"""Measures late interaction (ColBERT-style MaxSim) for labels given by name only, against the pooled-vector
similarity newsdigest uses, on the ReliefWeb reports with the 19 theme names (docs/benchmarks.md, "Topic
labels", fourth pass). A measurement, never run by the product.

Pooled (today): a report's vector is the normalised mean of its title and sentence vectors; a label's
similarity is the mean cosine of its two closest template descriptions. Late interaction: a label's query
tokens are the contextual token vectors of its name inside each template (averaged over the four templates);
each query token is compared with every contextual token vector of the report, the k most similar kept; the
label's score is the mean over its query tokens and those k. "Offsets" subtracts each label's mean score over
the other half of the reports (what `newsdigest calibrate` does), so every figure is held out: half 0 with
half 1's offsets and the other way round. Halves: md5 of the id, as in scripts/label_figures.

Usage (texts as the binary embeds them; about 4 minutes on one core):
  cargo run --release --example bench_texts ../shared/data/reliefweb/reports.jsonl > /tmp/rw.texts.jsonl
  python scripts/label_late_interaction.py /tmp/rw.texts.jsonl
Requirements: scripts/checkpoint_fixtures_requirements.txt (torch, transformers, tokenizers, numpy).
"""
import argparse
import hashlib
import json
import os

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import AutoModel

THEMES = [
    "Agriculture", "Climate Change and Environment", "Contributions", "Coordination", "Disaster Management",
    "Education", "Food and Nutrition", "Gender", "Health", "HIV/Aids", "Humanitarian Financing",
    "Logistics and Telecommunications", "Mine Action", "Peacekeeping and Peacebuilding",
    "Protection and Human Rights", "Recovery and Reconstruction", "Safety and Security",
    "Shelter and Non-Food Items", "Water Sanitation Hygiene",
]
# src/classify/labels.rs, DEFAULT_TEMPLATES
TEMPLATES = ["This news story is about {name}.", "This article is about {name}.", "News about {name}.",
             "A report on {name}."]
TOP_TOKENS = (5, 10, 20, 50)
MIX_WEIGHTS = (0.25, 0.5, 0.75)


def half(identifier):
    return int(hashlib.md5(identifier.encode()).hexdigest(), 16) % 2


def normalise(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


class Model:
    def __init__(self, folder):
        self.tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(256)
        self.model = AutoModel.from_pretrained(folder).eval()

    def tokens(self, texts, batch=64):
        """Per text: its tokens' contextual vectors ([CLS] and [SEP] dropped) and the tokens."""
        out = {}
        todo = sorted(set(texts), key=len)
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            encodings = self.tokenizer.encode_batch(chunk)
            width = max(len(e.ids) for e in encodings)
            ids = torch.tensor([e.ids + [0] * (width - len(e.ids)) for e in encodings])
            mask = torch.tensor([[1] * len(e.ids) + [0] * (width - len(e.ids)) for e in encodings])
            with torch.no_grad():
                hidden = self.model(input_ids=ids, attention_mask=mask,
                                    token_type_ids=torch.zeros_like(ids)).last_hidden_state
            for text, encoding, h in zip(chunk, encodings, hidden):
                n = len(encoding.ids)
                out[text] = (h[:n].numpy().astype(np.float32), encoding.tokens)
        return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser()
    parser.add_argument("texts", help="bench_texts output for ../shared/data/reliefweb/reports.jsonl")
    parser.add_argument("--data", default=os.path.join(root, "../shared/data"))
    parser.add_argument("--model", default=os.path.join(root, "models/all-minilm-l6-v2"))
    args = parser.parse_args()
    torch.set_num_threads(1)

    with open(os.path.join(args.data, "reliefweb/reports.jsonl")) as f:
        themes = {r["id"]: r["themes"] for r in map(json.loads, f) if r}
    with open(args.texts) as f:
        reports = [json.loads(line) for line in f if line.strip()]
    halves = np.array([half(r["id"]) for r in reports])

    model = Model(args.model)
    descriptions = [[t.replace("{name}", n) for t in TEMPLATES] for n in THEMES]
    vectors = model.tokens([t for r in reports for t in r["texts"]]
                           + [d for ds in descriptions for d in ds] + THEMES)

    def sentence_vector(text):
        x, _ = vectors[text]
        return normalise(x.mean(0))  # mean pooling over all tokens, [CLS] and [SEP] included

    def inner(text):
        x, tokens = vectors[text]
        return x[1:-1], tokens[1:-1]

    # Pooled similarity, as newsdigest computes it.
    articles = normalise(np.stack([np.mean([sentence_vector(t) for t in r["texts"]], 0) for r in reports]))
    pooled = np.stack([
        np.sort(articles @ np.stack([sentence_vector(d) for d in ds]).T, 1)[:, -2:].mean(1)
        for ds in descriptions
    ], 1)

    # Query tokens: the name's tokens inside each template, averaged over the templates.
    queries = []
    for name, ds in zip(THEMES, descriptions):
        _, name_tokens = inner(name)
        spans = []
        for d in ds:
            x, tokens = inner(d)
            start = next(s for s in range(len(tokens)) if tokens[s:s + len(name_tokens)] == name_tokens)
            spans.append(x[start:start + len(name_tokens)])
        queries.append(normalise(np.mean(spans, 0)))

    late = {k: np.zeros((len(reports), len(THEMES))) for k in TOP_TOKENS}
    for i, r in enumerate(reports):
        report_tokens = normalise(np.concatenate([inner(t)[0] for t in r["texts"]]))
        for j, q in enumerate(queries):
            best = -np.sort(-(q @ report_tokens.T), 1)[:, :max(TOP_TOKENS)]
            for k in TOP_TOKENS:
                late[k][i, j] = best[:, :k].mean()

    def figures(scores, offsets):
        right = np.zeros(len(reports), bool)
        for part in (0, 1):
            shown = halves == part
            s = scores[shown] - (scores[halves != part].mean(0) if offsets else 0)
            right[shown] = [THEMES[c] in themes[r["id"]] for r, c in
                            zip([r for r, h in zip(reports, shown) if h], s.argmax(1))]
        return "{:.3f} ({:.3f}, {:.3f})".format(right.mean(), right[halves == 0].mean(), right[halves == 1].mean())

    def spread(scores):
        return (scores - scores.mean(1, keepdims=True)).std()

    print("top theme among the report's themes: all (half 0, half 1); offsets from the other half")
    print("{:<40} {:<22} {}".format("scores", "names only", "offsets"))
    print("{:<40} {:<22} {}".format("pooled vectors (today)", figures(pooled, False), figures(pooled, True)))
    for k in TOP_TOKENS:
        print("{:<40} {:<22} {}".format("late interaction, top {} tokens".format(k), figures(late[k], False),
                                        figures(late[k], True)))
    for k in TOP_TOKENS:
        for w in MIX_WEIGHTS:
            # Each score divided by its spread across labels, so the weight means the same on both scales.
            mixed = (1 - w) * pooled / spread(pooled) + w * late[k] / spread(late[k])
            print("{:<40} {:<22} {}".format("mix, top {}, late weight {}".format(k, w), figures(mixed, False),
                                            figures(mixed, True)))


if __name__ == "__main__":
    main()
