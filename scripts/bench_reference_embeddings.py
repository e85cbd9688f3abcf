#!/usr/bin/env python3
"""Writes tests/data/reference_embeddings.json: sentence-transformers embeddings of ~20 varied sentences, which
tests/reference_embeddings.rs compares with newsdigest's MiniLmEmbedder.

Run with the bench venv (pinned in scripts/bench_requirements.txt; `scripts/bench` builds it):
    .venv-bench/bin/python scripts/bench_reference_embeddings.py
The model is built as in scripts/bench_python.py (Transformer with the folder's max_seq_length, mean pooling,
Normalize), on CPU in float32.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_python import load_model  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.environ.get("NEWSDIGEST_MODEL_DIR", os.path.join(ROOT, "models", "all-minilm-l6-v2"))
OUT = os.path.join(ROOT, "tests", "data", "reference_embeddings.json")

LONG = (
    "The United Nations said on Tuesday that more than 120,000 people had fled their homes in the past week as "
    "fighting spread from the outskirts of the regional capital into villages along the river, where aid "
    "agencies had only just restored water supplies after the floods of last spring, and warned that the "
    "number could double before the rainy season closes the roads. "
)

SENTENCES = [
    "Floods kill 12.",
    "Hi",
    "Myanmar's military carried out a wave of air strikes on villages in the northwestern Sagaing region on "
    "Wednesday, killing at least 14 civilians.",
    "Typhoon Nakri tore across the northern Philippine island of Luzon, forcing 160,000 people into evacuation "
    "centres.",
    "The World Food Programme said it had cut rations to 1,200 kcal per person per day in 14 camps.",
    "A magnitude 6.8 earthquake struck at 03:42 local time (UTC+3), 10 km deep, 37.2°N 37.0°E.",
    "Prices rose 2.4% in October; the central bank left its rate at 5.25%.",
    "Le Programme alimentaire mondial a distribué 3 400 tonnes de vivres à Goma.",
    "Los bomberos controlaron el incendio forestal en Valparaíso después de tres días.",
    "Беженцы из Харькова прибыли во Львов в пятницу утром.",
    "加沙地带的援助车队周二再次被拦截。",
    "غمرت الفيضانات مدينة درنة الليبية بعد انهيار سدين.",
    "Ärzte ohne Grenzen öffnete eine Klinik in Port-au-Prince — die dritte seit März.",
    "\"We heard the planes first. Then the bombs fell,\" said Amina, 34, a teacher.",
    "U.S. President Donald Trump met Dr. Smith at 3.5 p.m. on Monday.",
    "BREAKING: ceasefire collapses 🚨🔥 #Sudan",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20",
    "   Leading and trailing spaces, and\ttabs.   ",
    LONG * 3,
    "word " * 400,
]


def main():
    import sentence_transformers
    import torch

    torch.set_num_threads(1)
    model = load_model(MODEL)
    tokens = [len(ids) for ids in model.tokenizer(SENTENCES, add_special_tokens=True)["input_ids"]]
    vectors = model.encode(SENTENCES, batch_size=32, convert_to_numpy=True)
    fixture = {
        "made_by": "scripts/bench_reference_embeddings.py",
        "versions": {
            "sentence-transformers": sentence_transformers.__version__,
            "torch": torch.__version__,
        },
        "model": "sentence-transformers/all-MiniLM-L6-v2 (models/all-minilm-l6-v2)",
        "max_seq_length": model.max_seq_length,
        "sentences": [
            {"text": text, "tokens_before_truncation": count, "embedding": [round(float(x), 7) for x in vector]}
            for text, count, vector in zip(SENTENCES, tokens, vectors)
        ],
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(SENTENCES)} sentences, tokens {min(tokens)}..{max(tokens)}")


if __name__ == "__main__":
    main()
