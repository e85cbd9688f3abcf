#!/usr/bin/env python3
"""Fits the content segmenter's logistic regression (src/segment/content.rs) on gap features exported by
`content_segmenter export`, and its article-length prior's mean and spread; writes the model file with the
prior's weight and per-article score left for `content_segmenter tune`, and how it joins the boundary model
left for the --join fit below.

Newton's method on the mean log-loss plus l2/2 |w|^2 over standardised features (the intercept is not
penalised), in float64: deterministic, the same features give the same weights.

With --join, fits instead how DumpSegmenter joins the content segmenter to the boundary model in dumps
without layout cues, from `content_segmenter export-join` on dumps of stories neither model trained on, and
writes it into MODEL.json's with_boundary_model: a start the boundary model gives even odds or better
stands whatever the content says; on the other gaps, a logistic regression over the gap's content log-odds
and the boundary model's (clamped to +-8), whose log-odds the joint decoding takes.

usage: fit_content_segmenter.py FEATURES.jsonl MODEL.json DESCRIPTION [--l2 L2]
       fit_content_segmenter.py --join JOIN.jsonl MODEL.json
"""
import argparse
import json

import numpy as np

FEATURES = ["sim_1", "depth_1", "dip_1", "sim_2", "depth_2", "dip_2", "sim_4", "depth_4", "dip_4",
            "sim_8", "depth_8", "dip_8", "lean_after", "lean_before", "edge"]


BOUNDARY_LOGIT_LIMIT = 8.0
KEEP_LOGIT = 0.0


def logistic_regression(z, y, penalty):
    """Newton's method on the mean log-loss plus penalty/2 |w|^2 (z's last column the intercept)."""
    w = np.zeros(z.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        gradient = z.T @ (p - y) / len(y) + penalty * w
        hessian = (z * (p * (1 - p))[:, None]).T @ z / len(y) + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def fit_join(features, model_path):
    content, boundary, labels = [], [], []
    with open(features) as f:
        for line in f:
            record = json.loads(line)
            content.extend(record["content"])
            boundary.extend(record["boundary"])
            labels.extend(record["starts"])
    y = np.asarray(labels, dtype=np.float64)
    b = np.clip(np.asarray(boundary, dtype=np.float64), -BOUNDARY_LOGIT_LIMIT, BOUNDARY_LOGIT_LIMIT)
    c = np.asarray(content, dtype=np.float64)
    # A boundary-model start stands by itself where the boundary model gives it even odds or better; the join
    # decides the rest, and is fitted on them.
    undecided = np.asarray(boundary, dtype=np.float64) <= KEEP_LOGIT
    y, b, c = y[undecided], b[undecided], c[undecided]
    z = np.column_stack([c, b, np.ones(len(y))])
    w = logistic_regression(z, y, np.zeros(3))
    with open(model_path) as f:
        model = json.load(f)
    model["with_boundary_model"] = {
        "keep_logit": KEEP_LOGIT,
        "content_weight": round(float(w[0]), 6),
        "weight": round(float(w[1]), 6),
        "bias": round(float(w[2]), 6),
    }
    with open(model_path, "w") as f:
        f.write(json.dumps(model, indent=2) + "\n")
    print(f"join: boundary-model starts above {KEEP_LOGIT:+.1f} stand; on the {len(y)} other gaps "
          f"({int(y.sum())} starts): content {w[0]:+.3f}, boundary {w[1]:+.3f}, bias {w[2]:+.3f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--join", action="store_true")
    parser.add_argument("features")
    parser.add_argument("model")
    parser.add_argument("description", nargs="?")
    parser.add_argument("--l2", type=float, default=1e-3)
    args = parser.parse_args()
    if args.join:
        return fit_join(args.features, args.model)
    if args.description is None:
        parser.error("DESCRIPTION is required")
    rows, labels, lengths = [], [], []
    with open(args.features) as f:
        for line in f:
            record = json.loads(line)
            rows.extend(record["features"])
            labels.extend(record["starts"])
            lengths.extend(n for n in record["article_sentences"] if n > 0)
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    if x.shape[1] != len(FEATURES):
        raise SystemExit(f"{x.shape[1]} features, expected {len(FEATURES)}")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    penalty = np.full(z.shape[1], args.l2)
    penalty[-1] = 0.0
    w = logistic_regression(z, y, penalty)
    logs = np.log(np.maximum(np.asarray(lengths, dtype=np.float64), 1.0))
    model = {
        "format": 2,
        "features": FEATURES,
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in w[:-1]],
        "bias": round(float(w[-1]), 6),
        "length_prior": {
            "mean_log_sentences": round(float(logs.mean()), 6),
            "std_log_sentences": round(float(max(logs.std(), 0.1)), 6),
            "weight": 1.0,
            "per_article": 0.0,
        },
        "with_boundary_model": {"keep_logit": KEEP_LOGIT, "content_weight": 1.0, "weight": 0.0, "bias": 0.0},
        "training": {"data": args.description, "gaps": int(len(y)), "starts": int(y.sum()), "l2": args.l2},
    }
    with open(args.model, "w") as f:
        f.write(json.dumps(model, indent=2) + "\n")
    p = 1.0 / (1.0 + np.exp(-(z @ w)))
    order = np.argsort(-p, kind="stable")
    ranks = np.empty(len(p))
    ranks[order] = np.arange(len(p))
    positives = y == 1
    auc = 1.0 - (ranks[positives].mean() - (positives.sum() - 1) / 2) / (~positives).sum()
    print(f"fit: {len(y)} gaps, {int(y.sum())} starts, training AUC {auc:.3f}")
    for name, weight in sorted(zip(FEATURES, w[:-1]), key=lambda t: -abs(t[1])):
        print(f"  {name:12} {weight:+.3f}")


if __name__ == "__main__":
    main()
