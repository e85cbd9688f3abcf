"""Fits the extractive summariser's length model: ridge regressions of the ROUGE gain of adding each next candidate
sentence to the summary, on the features `examples/summary_budget.rs --export` writes, averaged into one.

The summariser takes the leading candidates up to where the predicted gains, summed, peak (within 100 words and
5 sentences). No single regression is chosen: the model is the mean of the weights of nine, one for each of three
targets (the gain in ROUGE-1 F, in ROUGE-2 F, or their mean) and three ridge penalties (1, 10 and 100, on
features scaled by their spread, the bias not penalised). Choosing one by an inner cross-validation (what the
previous model did) made the held-out margin swing with the fold assignment; the mean does not choose and is
steadier (docs/benchmarks.md). 5-fold cross-validation, folds by article (article i of a corpus is in fold i % 5):
each fold of CNN/DailyMail and dev is summarised by a model fitted on every other article of both corpora. XSum
(one-sentence references) is not fitted on. Prints the held-out ROUGE F beside Lead-3, the difference per fold
and a bootstrap interval of the difference, then the difference again over 8 seeded reshuffles of the articles
into folds; with --write, fits on all articles and writes src/summarize/length_model.json.

usage: train_summary_length.py PREFIXES.jsonl [--write]
"""

import json
import sys

import numpy as np

FOLDS = 5
FITTED = ("cnndm", "dev")
# Ridge penalties; a feature's penalty is this times its variance over the training rows.
RIDGES = (1.0, 10.0, 100.0)
# Weights of the ROUGE-1, ROUGE-2 and ROUGE-Lsum F gains in what a regression predicts.
TARGETS = ((1.0, 0.0, 0.0), (0.5, 0.5, 0.0), (0.0, 1.0, 0.0))
MAX_WORDS = 100
REPEATS = 8


def fit(articles, ridge, target):
    """Ridge weights predicting each added sentence's ROUGE gain, the F gains weighted by target; each feature's
    penalty is ridge times its variance over the rows (so the penalty does not depend on the feature's units),
    the bias not penalised."""
    rows, gains = [], []
    for a in articles:
        p = a["prefixes"]
        for k in range(1, len(p)):
            rows.append(p[k]["features"])
            gains.append(float(np.dot(target, np.subtract(p[k]["rouge"], p[k - 1]["rouge"]))))
    x, y = np.array(rows), np.array(gains)
    penalty = ridge * np.diag(x.var(0))
    penalty[0, 0] = 0.0
    return np.linalg.solve(x.T @ x + penalty, x.T @ y)


def ensemble(articles):
    """The mean of the weights of a regression for every target and penalty: the mean of their predictions."""
    return np.mean([fit(articles, ridge, target) for target in TARGETS for ridge in RIDGES], 0)


def chosen(a, w):
    """How many candidates the summariser takes with weights w (the rule of ExtractiveSummarizer::select): where
    the predicted gains, summed from the second candidate on, peak within MAX_WORDS (the first peak on a tie)."""
    p = a["prefixes"]
    best, best_gain, gain = 1, 0.0, 0.0
    for k in range(1, len(p)):
        if p[k]["words"] > MAX_WORDS:
            break
        gain += float(np.dot(p[k]["features"], w))
        if gain > best_gain:
            best, best_gain = k + 1, gain
    return best


def scores(a, w):
    return np.array(a["prefixes"][chosen(a, w) - 1]["rouge"]) if a["prefixes"] else np.zeros(3)


def cross_validate(corpora, name):
    """Held-out ROUGE F of every article of corpora[name] (fold i % FOLDS), each fold summarised by the ensemble
    fitted on every other article of the FITTED corpora."""
    articles = corpora[name]
    held_out = [None] * len(articles)
    for fold in range(FOLDS):
        train = [a for c in FITTED for i, a in enumerate(corpora[c]) if not (c == name and i % FOLDS == fold)]
        w = ensemble(train)
        for i in range(fold, len(articles), FOLDS):
            held_out[i] = scores(articles[i], w)
    return held_out


def bootstrap_interval(differences, resamples=2000):
    """The 2.5 and 97.5 percentiles of the mean per-article difference over articles resampled with replacement
    (seeded): how far the held-out margin could move on another sample of articles like these."""
    rng = np.random.default_rng(0)
    n = len(differences)
    means = [differences[rng.integers(0, n, n)].mean(0) for _ in range(resamples)]
    return np.percentile(means, 2.5, axis=0), np.percentile(means, 97.5, axis=0)


def main():
    with open(sys.argv[1]) as f:
        header, *records = [json.loads(line) for line in f]
    corpora = {}
    for r in records:
        corpora.setdefault(r["corpus"], []).append(r)
    print(f"{FOLDS}-fold cross-validation (folds by article; fitted on the other folds of {' and '.join(FITTED)})")
    for name in FITTED:
        articles = corpora[name]
        held_out = cross_validate(corpora, name)
        system = np.array(held_out) * 100
        lead = np.array([a["baseline"] for a in articles]) * 100
        by_fold = " ".join(
            "{:+.2f}/{:+.2f}".format(*(system[f::FOLDS].mean(0) - lead[f::FOLDS].mean(0))[:2]) for f in range(FOLDS)
        )
        s, l = system.mean(0), lead.mean(0)
        low, high = bootstrap_interval(system - lead)
        print(
            f"{name:<8} {len(articles):>4} articles  held out {s[0]:.2f} / {s[1]:.2f} / {s[2]:.2f}  "
            f"Lead-3 {l[0]:.2f} / {l[1]:.2f} / {l[2]:.2f}  R-1/R-2 difference by fold {by_fold}  "
            f"95% interval of the difference R-1 [{low[0]:+.2f}, {high[0]:+.2f}] R-2 [{low[1]:+.2f}, {high[1]:+.2f}]"
        )
    print(f"the same, repeated over {REPEATS} seeded shuffles of the articles before the folds are cut "
          "(how much the figures above owe to one fold assignment):")
    margins = {name: [] for name in FITTED}
    for seed in range(REPEATS):
        rng = np.random.default_rng(seed + 1)
        shuffled = {c: [corpora[c][i] for i in rng.permutation(len(corpora[c]))] for c in FITTED}
        for name in FITTED:
            held_out = cross_validate(shuffled, name)
            lead = [a["baseline"] for a in shuffled[name]]
            margins[name].append((np.mean(held_out, 0) - np.mean(lead, 0))[:2] * 100)
    for name, m in margins.items():
        m = np.array(m)
        print(
            f"{name:<8} R-1/R-2 difference to Lead-3: mean {m[:, 0].mean():+.2f}/{m[:, 1].mean():+.2f}, "
            f"from {m[:, 0].min():+.2f}/{m[:, 1].min():+.2f} to {m[:, 0].max():+.2f}/{m[:, 1].max():+.2f}"
        )
    everything = [a for c in FITTED for a in corpora[c]]
    w = ensemble(everything)
    if "--write" in sys.argv[2:]:
        path = "src/summarize/length_model.json"
        with open(path, "w") as f:
            json.dump({"features": header["features"], "weights": [round(float(v), 6) for v in w]}, f, indent=1)
            f.write("\n")
        print(f"wrote {path} (mean of {len(TARGETS) * len(RIDGES)} regressions, fitted on all {len(everything)} articles)")


if __name__ == "__main__":
    main()
