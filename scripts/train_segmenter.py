#!/usr/bin/env python3
"""Trains the segmenter's boundary model: gradient-boosted trees (LightGBM) over the candidate features that
`examples/segmenter_data.rs` exports, and the article-length prior of the decoder, tuned on out-of-fold scores
of the training dumps. Writes the trees as the small JSON file `src/segment/model.rs` reads. Deterministic
(fixed seeds, one thread, deterministic LightGBM).

    train_segmenter.py FEATURES.jsonl --out MODEL.json [--train-sets train,train2] [--without-family F[,G]]
                       [--prior-from MODEL.json]

Trains on every set of training-split dumps in FEATURES.jsonl (as scripts/train-segmenter exported them),
or on the sets named by --train-sets.

Run through scripts/train-segmenter (and scripts/segmentation-lolo for the leave-one-family-out table).
"""
import argparse
import json
import math

import lightgbm as lgb
import numpy as np

MIN_LOGIT = -9.0  # as in src/segment/model.rs
MAX_LOOK_BACK = 600
PARAMS = dict(
    objective="binary",
    learning_rate=0.05,
    num_leaves=31,
    min_data_in_leaf=10,
    feature_fraction=0.8,
    feature_fraction_seed=7,
    bagging_fraction=1.0,
    lambda_l2=1.0,
    num_threads=1,
    deterministic=True,
    force_row_wise=True,
    seed=7,
    verbose=-1,
)
ROUNDS = 400
FOLDS = 4


def load(path, sets, without_families):
    """The dumps of the named sets (None: every set of training-split dumps), without the named families'."""
    dumps = []
    with open(path) as f:
        for line in f:
            d = json.loads(line)
            chosen = d["split"] == "train" if sets is None else d["set"] in sets
            if chosen and d["family"] not in without_families and d["lines"]:
                dumps.append(d)
    return dumps


def matrix(dumps):
    x = np.array([row for d in dumps for row in d["features"]], dtype=np.float32)
    y = np.array([label for d in dumps for label in d["labels"]], dtype=np.int8)
    return x, y


def train(dumps):
    x, y = matrix(dumps)
    return lgb.train(PARAMS, lgb.Dataset(x, y, free_raw_data=False), num_boost_round=ROUNDS)


def prior_score(words, prior):
    z = (np.log(np.maximum(words, 1)) - prior["mean_log_words"]) / prior["std_log_words"]
    return prior["per_article"] - prior["weight"] * 0.5 * z * z


def decode(logits, words_before, total_words, prior):
    """The DP of src/segment/model.rs: indexes of the chosen candidates."""
    open_nodes = [0] + [c + 1 for c, l in enumerate(logits) if l > MIN_LOGIT]
    score = np.concatenate([[0.0], logits])
    wb = np.concatenate([[0], words_before]).astype(np.float64)
    n = len(score)
    best = np.full(n, -np.inf)
    back = np.zeros(n, dtype=np.int64)
    best[0] = 0.0
    opened = np.array(open_nodes)
    for k in range(1, len(open_nodes)):
        j = open_nodes[k]
        a = opened[max(0, k - MAX_LOOK_BACK):k]
        values = best[a] + prior_score(wb[j] - wb[a], prior) + score[j]
        i = int(np.argmax(values))
        best[j], back[j] = values[i], a[i]
    tail = opened[max(0, len(open_nodes) - MAX_LOOK_BACK):]
    finals = best[tail] + prior_score(total_words - wb[tail], prior)
    at = int(tail[int(np.argmax(finals))])
    path = []
    while at > 0:
        path.append(at - 1)
        at = int(back[at])
    return path[::-1]


def f1(dumps, logits_per_dump, prior):
    hits = predicted = gold = 0
    for d, logits in zip(dumps, logits_per_dump):
        chosen = decode(logits, d["words_before"], d["total_words"], prior)
        labels = d["labels"]
        # The first text line opens the first article; it is a hit when it is a gold start (no candidate
        # covers it).
        hits += sum(labels[c] for c in chosen) + int(d["gold_starts"] > d["covered_starts"])
        predicted += len(chosen) + 1
        gold += d["gold_starts"]
    p, r = hits / predicted, hits / max(gold, 1)
    return 2 * p * r / (p + r)


def out_of_fold_logits(dumps):
    """Each dump's candidate log-odds from a model trained without its fold (folds by dump)."""
    logits = [None] * len(dumps)
    for fold in range(FOLDS):
        held = [i for i in range(len(dumps)) if i % FOLDS == fold]
        rest = [dumps[i] for i in range(len(dumps)) if i % FOLDS != fold]
        booster = train(rest)
        for i in held:
            x = np.array(dumps[i]["features"], dtype=np.float32)
            logits[i] = booster.predict(x, raw_score=True)
    return logits


def tune_prior(dumps):
    words = [w for d in dumps for w in d["article_words"] if w > 0]
    logs = np.log(words)
    prior = dict(mean_log_words=float(logs.mean()), std_log_words=float(max(logs.std(), 0.1)),
                 weight=0.0, per_article=0.0)
    logits = out_of_fold_logits(dumps)
    best = None
    for weight in [0.0, 0.1, 0.25, 0.5, 1.0, 2.0]:
        for per_article in [-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]:
            candidate = dict(prior, weight=weight, per_article=per_article)
            score = f1(dumps, logits, candidate)
            if best is None or score > best[0] + 1e-9:
                best = (score, candidate)
    print(f"length prior {best[1]} (out-of-fold boundary F1 on the training dumps {best[0]:.3f})")
    return best[1]


def tree_json(tree):
    """A LightGBM tree as arrays: internal nodes in preorder, leaves by their index."""
    split_feature, threshold, left, right, node_value, leaf_value = [], [], [], [], [], []

    def visit(node):
        if "leaf_index" in node:
            leaf_value.append(None)
            index = len(leaf_value) - 1
            leaf_value[index] = round(node["leaf_value"], 5)
            return ~index
        if node["decision_type"] != "<=":
            raise SystemExit(f"unsupported split {node['decision_type']}")
        at = len(split_feature)
        split_feature.append(node["split_feature"])
        threshold.append(float(str(np.float32(node["threshold"]))))  # shortest text of the f32
        node_value.append(round(node["internal_value"], 5))
        left.append(None)
        right.append(None)
        left[at] = visit(node["left_child"])
        right[at] = visit(node["right_child"])
        return at

    root = tree["tree_structure"]
    if "leaf_index" not in root and "leaf_value" in root and "split_feature" not in root:
        return dict(split_feature=[], threshold=[], left=[], right=[], node_value=[],
                    leaf_value=[root["leaf_value"]])
    visit(root)
    return dict(split_feature=split_feature, threshold=threshold, left=left, right=right,
                node_value=node_value, leaf_value=leaf_value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("features")
    parser.add_argument("--out", required=True)
    parser.add_argument("--names", required=True, help="the feature names, one a line")
    parser.add_argument("--train-sets", default=None, help="comma-separated (default: every training set)")
    parser.add_argument("--without-family", default=None, help="comma-separated families to leave out")
    parser.add_argument("--prior-from", default=None, help="take the prior's weights from this model")
    args = parser.parse_args()
    sets = args.train_sets.split(",") if args.train_sets else None
    dumps = load(args.features, sets, args.without_family.split(",") if args.without_family else [])
    trained_on = ",".join(sorted({d["set"] for d in dumps}, key=lambda s: (len(s), s)))
    x, y = matrix(dumps)
    print(f"{len(dumps)} training dumps, {len(y)} candidate lines, {int(y.sum())} starts; "
          f"{sum(d['gold_starts'] for d in dumps)} gold starts")
    if args.prior_from:
        prior = json.load(open(args.prior_from))["length_prior"]
        words = np.log([w for d in dumps for w in d["article_words"] if w > 0])
        prior = dict(prior, mean_log_words=float(words.mean()), std_log_words=float(max(words.std(), 0.1)))
    else:
        prior = tune_prior(dumps)
    booster = train(dumps)
    model = booster.dump_model()
    names = [line.rstrip("\n") for line in open(args.names)]
    if model["max_feature_idx"] + 1 != len(names):
        raise SystemExit("feature count differs from the names")
    out = dict(
        format=2,
        features=names,
        base=0.0,
        trees=[tree_json(t) for t in model["tree_info"]],
        length_prior=prior,
        training=dict(
            data=[f"sets {trained_on}" + (f" without family {args.without_family}"
                                               if args.without_family else "")],
            candidates=int(len(y)),
            starts=int(y.sum()),
            settings=f"lightgbm {lgb.__version__} {ROUNDS} rounds " +
                     ",".join(f"{k}={v}" for k, v in PARAMS.items() if k != "verbose"),
        ),
    )
    with open(args.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    # Sanity: the JSON trees give the booster's scores.
    check = booster.predict(x[:200], raw_score=True)
    print(f"wrote {args.out} ({len(out['trees'])} trees); first scores {np.round(check[:3], 3)}")


if __name__ == "__main__":
    main()
