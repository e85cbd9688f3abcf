#!/usr/bin/env python3
"""Writes the ROUGE reference fixtures that tests/eval_rouge.rs checks newsdigest's ROUGE against.

The scores come from Google's `rouge-score` package (the reference implementation most summarisation papers
report), with Porter stemming, so the Rust port can be proven to agree with it. Run it from the project root
inside a throwaway virtual environment holding the pinned versions:

    python3 -m venv /tmp/rouge-venv
    /tmp/rouge-venv/bin/pip install rouge-score==0.1.2 nltk==3.10.4
    /tmp/rouge-venv/bin/python scripts/rouge_fixtures.py ../shared/data/dev

It writes:
- tests/data/rouge/fixtures.jsonl: one object per pair, `{name, target, prediction, rouge1, rouge2, rougeL,
  rougeLsum}`, each score `{precision, recall, fmeasure}`. Pairs are the dev reference summaries against the
  first sentence (all metrics) and against the first three sentences, one per line (for ROUGE-Lsum), plus
  hand-written tricky cases.
- tests/data/rouge/stems.tsv: `word<TAB>NLTK Porter stem` for every token of the dev texts and summaries, for
  words where Porter variants differ, for dev words with each Porter suffix appended and for seeded random
  letter strings, so the stemmer port is checked word by word.
"""

import json
import random
import re
import sys
from importlib.metadata import version
from pathlib import Path

from nltk.stem import porter
from rouge_score import rouge_scorer, tokenize

ROUGE_SCORE_VERSION = "0.1.2"
NLTK_VERSION = "3.10.4"
ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
OUT_DIR = Path("tests/data/rouge")

# Sentence boundaries for building fixture inputs only: end punctuation, optional closing quote, then space
# and an upper-case letter, digit or opening quote.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[A-Z0-9\"“‘])")

# Words on which Porter variants (original, Martin's, NLTK's extensions, Snowball) disagree, plus suffix-rule
# corner cases.
TRICKY_WORDS = """
generously generous dying lying tying sky skies news innings inning outings outing cannings canning howe
proceed proceeds exceed succeed succeeded ties dies lies spied tried flies cried ied happy enjoy enjoyment
spy fly try conditional rational relational valenci hesitanci digitizer conformabli radicalli differentli
vileli analogousli vietnamization predication operator feudalism decisiveness hopefulness callousness
formaliti sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness
revival allowance inference airliner gyroscopic adjustable defensible irritant replacement adjustment
dependent adoption homologou communism activate angulariti homologous effective bowdlerize probate rate
cease controll roll caresses ponies caress cats feed agreed plastered bled motoring sing conflated troubled
sized hopping tanned falling hissing fizzed failing filing archaeology analogi analogy fulli beautifully
agreement agreements syzygy yyyy toy boy crying yearly yelling eyes abyss really ally tally fully skiing
skis dyed eyeing news's anyway earlier easily families cries studies parties ladies flying helicopters
evacuations civilians humanitarian internally displaced aid convoys shelling ceasefire negotiations
""".split()

# Suffixes appended to dev-set words, so every step's rules and conditions are exercised on many stems.
SUFFIXES = """s es ies sses ied eed ed ing y ly ally ully ness ful ation ational tional ization izer ize
alism iveness fulness ousness aliti iviti biliti bli alli fulli logi enci anci entli eli ousli ator icate
ative alize iciti ical ance ence er ic able ible ant ement ment ent ion ou ism ate iti ous ive e ll""".split()


def synthetic_words(vocabulary):
    """Dev-set roots with every suffix, and seeded random letter strings rich in vowels and `y`."""
    rng = random.Random(20261126)
    roots = rng.sample(sorted(w for w in vocabulary if w.isalpha() and len(w) >= 3), 120)
    words = {root + suffix for root in roots for suffix in SUFFIXES}
    letters = "aeiouyybcdlmnrstwxzgl"
    words.update("".join(rng.choice(letters) for _ in range(rng.randint(3, 12))) for _ in range(3000))
    return words


TRICKY_PAIRS = [
    ("punctuation", "The U.N. said: \"aid, food & water!\"", "UN says aid -- food/water..."),
    ("numbers", "18,000 people fled; 1.2 million hosted since 2023.", "1.2 million hosted, 18000 fled in 2023"),
    ("hyphens", "A long-term cease-fire in north-east Syria", "long term ceasefire north east syria"),
    ("unicode_accents", "Tiné, Chad — Médecins Sans Frontières said", "Tine Chad Medecins Sans Frontieres said"),
    ("unicode_case_to_ascii", "İstanbul KELVIN \u212a scale", "istanbul kelvin k scale"),
    ("unicode_only", "日本 東京 ありがとう", "日本 東京"),
    ("emoji_and_symbols", "Floods 🌊 hit €5m homes ±", "floods hit 5m homes"),
    ("empty_both", "", ""),
    ("empty_target", "", "Something was predicted here."),
    ("empty_prediction", "A reference summary exists.", ""),
    ("whitespace_only", "   \n\t ", "words here"),
    ("punctuation_only", "... --- !!!", "?? ,,"),
    ("identical", "Rescuers recovered nine bodies.", "Rescuers recovered nine bodies."),
    ("no_overlap", "alpha beta gamma", "delta epsilon zeta"),
    ("repeated_tokens", "the the the cat", "the cat the the the the"),
    ("reordered", "police said nine died in the landslide", "the landslide killed nine, police said"),
    ("porter_variants", "He was generously dying under the sky, news said",
     "generous dies skies news saying"),
    ("porter_ies_ied", "ties lies spied cried flies", "tie lie spy cry fly"),
    ("short_words_unstemmed", "cats ran to the sea", "cat runs to a sea"),
    ("stem_conflation", "Evacuations continued as evacuated families evacuate",
     "evacuation continues; families evacuating"),
    ("lsum_multiline",
     "Fighting spread across North Darfur.\nThousands crossed into Chad.\nAid agencies lack funds.",
     "Thousands of Sudanese crossed into Chad.\nFighting spread in Darfur.\nFunding is short."),
    ("lsum_single_vs_multi",
     "Fighting spread across North Darfur. Thousands crossed into Chad.",
     "Thousands crossed into Chad.\nFighting spread across North Darfur."),
    ("lsum_blank_lines", "First line here.\n\n\nSecond line here.\n", "\nsecond line\n\nfirst line\n"),
    ("lsum_crlf", "Floods hit Dhaka.\r\nRelief began.\r\n", "Relief began in Dhaka.\r\nFloods hit."),
    ("lsum_repeated_across_sentences",
     "aid aid aid arrived\naid arrived late", "aid arrived\naid arrived\naid aid"),
    ("lsum_lcs_ties", "a b c d\nd c b a", "b a d c\nc d a b"),
    ("lsum_empty_lines_only", "\n\n", "some text\nmore text"),
    ("digits_letters", "COVID19 cases rose 3x in Q2", "covid 19 cases rose 3 x in q2"),
    ("apostrophes", "Myanmar's junta's claims couldn't be verified", "myanmar s junta s claims could not be verified"),
    ("long_words", "internationalization institutionalization counterrevolutionaries",
     "internationalize institutional counterrevolutionary"),
]


def sentences(text):
    """Splits a clean article text into sentences, paragraph by paragraph."""
    out = []
    for paragraph in text.split("\n\n"):
        out.extend(s.strip() for s in SENTENCE_END.split(paragraph.strip()) if s.strip())
    return out


def scores(scorer, target, prediction):
    result = scorer.score(target, prediction)
    return {
        rouge_type: {
            "precision": result[rouge_type].precision,
            "recall": result[rouge_type].recall,
            "fmeasure": result[rouge_type].fmeasure,
        }
        for rouge_type in ROUGE_TYPES
    }


def main():
    for package, pinned in (("rouge-score", ROUGE_SCORE_VERSION), ("nltk", NLTK_VERSION)):
        if version(package) != pinned:
            sys.exit(f"{package} {version(package)} installed, fixtures are pinned to {pinned}")
    dev = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/dev")
    articles = {}
    for line in (dev / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        articles[record["id"]] = record
    gold = [json.loads(line) for line in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines()]

    pairs = []
    for record in gold:
        text_sentences = sentences(articles[record["id"]]["text"])
        summary_lines = "\n".join(sentences(record["summary"]))
        pairs.append((f"{record['id']}/first_sentence", record["summary"], text_sentences[0]))
        pairs.append((f"{record['id']}/lead3_lines", summary_lines, "\n".join(text_sentences[:3])))
    pairs.extend(TRICKY_PAIRS)

    scorer = rouge_scorer.RougeScorer(ROUGE_TYPES, use_stemmer=True)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with open(OUT_DIR / "fixtures.jsonl", "w", encoding="utf-8") as out:
        for name, target, prediction in pairs:
            row = {"name": name, "target": target, "prediction": prediction}
            row.update(scores(scorer, target, prediction))
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

    words = set(TRICKY_WORDS)
    for record in gold:
        words.update(tokenize.tokenize(record["summary"], None))
        words.update(tokenize.tokenize(articles[record["id"]]["text"], None))
    words.update(synthetic_words(words))
    stemmer = porter.PorterStemmer()
    with open(OUT_DIR / "stems.tsv", "w", encoding="utf-8") as out:
        for word in sorted(words):
            if re.fullmatch(r"[a-z0-9]+", word):
                out.write(f"{word}\t{stemmer.stem(word)}\n")
    print(f"{len(pairs)} pairs, {len(words)} words written to {OUT_DIR}")


if __name__ == "__main__":
    main()
