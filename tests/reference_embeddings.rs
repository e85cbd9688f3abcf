//! Our embeddings are sentence-transformers' embeddings: MiniLmEmbedder against reference vectors that
//! sentence-transformers computed for varied sentences (short, longer than the 256-token window, non-Latin
//! scripts, numbers, emoji), stored with the script and pinned versions that made them
//! (scripts/bench_reference_embeddings.py, scripts/bench_requirements.txt).

use newsdigest::embed::{cosine, Embedder, MiniLmEmbedder, Precision};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    sentences: Vec<Reference>,
}

#[derive(Deserialize)]
struct Reference {
    text: String,
    tokens_before_truncation: usize,
    embedding: Vec<f32>,
}

#[test]
fn minilm_embeddings_match_sentence_transformers() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/reference_embeddings.json"
    );
    let fixture: Fixture = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(fixture.sentences.len() >= 20);
    assert!(fixture
        .sentences
        .iter()
        .any(|s| s.tokens_before_truncation > 256));
    let mut embedder = MiniLmEmbedder::load(
        &newsdigest::models::default_embedding_model_dir(),
        Precision::Fp32,
    )
    .unwrap();
    let texts: Vec<&str> = fixture.sentences.iter().map(|s| s.text.as_str()).collect();
    let vectors = embedder.embed(&texts).unwrap();
    for (reference, vector) in fixture.sentences.iter().zip(&vectors) {
        assert_eq!(vector.len(), reference.embedding.len());
        let similarity = cosine(vector, &reference.embedding);
        let max_diff = vector
            .iter()
            .zip(&reference.embedding)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(
            similarity > 0.9999 && max_diff < 1e-4,
            "{:?}: cosine {similarity}, max abs diff {max_diff}",
            reference.text
        );
    }
}
