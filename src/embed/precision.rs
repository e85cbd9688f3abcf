//! Numeric precision of the embedding model. bfloat16 runs about twice as fast as float32 on CPUs with native
//! bf16 (AVX512-BF16, AMX) and keeps sentence embeddings within a cosine of 0.99 of float32 on MiniLM, but
//! it moves label scores by up to 0.023, enough to flip borderline labels (4 of 2,096 articles in
//! `scripts/bench`'s corpus). `bf16-checked` keeps bf16's speed for clear cases and float32's labels: close
//! calls are embedded again in float32. float32 stays the default: it gives the same output on every CPU.

/// The precision the embedding model runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// float32: the reference precision, the same on every CPU.
    #[default]
    Fp32,
    /// bfloat16 weights and activations: faster where the CPU computes bf16 natively, emulated (slower)
    /// elsewhere.
    Bf16,
    /// bfloat16, with close calls checked in float32: an article whose label a score change of [`CLOSE_CALL`]
    /// could flip is embedded again in float32 and labelled and summarised from that. Dumps are segmented in
    /// float32 (segmentation decisions are not checked), so this speeds up JSONL input only.
    #[serde(rename = "bf16-checked")]
    Bf16Checked,
}

/// How near a label is to flipping (top score minus runner-up, or top score minus `min_score`) for
/// [`Precision::Bf16Checked`] to check it in float32: over four times the largest score change bf16 caused
/// on `scripts/bench`'s 2,096 articles (0.023).
pub const CLOSE_CALL: f32 = 0.1;

/// Whether this CPU computes bfloat16 natively (every CPU with AMX-BF16 also has AVX512-BF16).
pub fn native_bf16() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512bf16")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
