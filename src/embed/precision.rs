//! Numeric precision of the embedding model. bfloat16 runs over twice as fast as float32 on CPUs with native
//! bf16 (AVX512-BF16, AMX) and keeps sentence embeddings within a cosine of 0.99 of float32 on MiniLM, but
//! it moves label scores enough to flip borderline labels (figures in docs/benchmarks.md). `bf16-checked` keeps bf16's speed for clear cases and float32's labels: close
//! calls are embedded again in float32. It is the default where the CPU computes bf16 natively
//! ([`Precision::for_this_cpu`]); float32, the same on every CPU, is the default elsewhere.

/// The precision the embedding model runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// float32: the reference precision, the same on every CPU.
    Fp32,
    /// bfloat16 weights and activations: faster where the CPU computes bf16 natively, emulated (slower)
    /// elsewhere.
    Bf16,
    /// bfloat16, with close calls checked in float32: an article whose label a score change of [`CLOSE_CALL`]
    /// could flip is embedded again in float32 and labelled and summarised from that, and the paragraphs behind
    /// a segmentation call within [`SEGMENTATION_CLOSE_CALL`] of flipping are embedded again in float32 before
    /// the call is made. Labels and article boundaries are then float32's; scores move in the second decimal,
    /// and an extractive summary can pick a near-tied sentence (docs/benchmarks.md).
    #[serde(rename = "bf16-checked")]
    Bf16Checked,
}

impl Precision {
    /// The default: [`Precision::Bf16Checked`] where the CPU computes bf16 natively (labels as float32 gives
    /// them, at bf16's speed), [`Precision::Fp32`] elsewhere (emulated bf16 is slower than float32).
    pub fn for_this_cpu() -> Self {
        if native_bf16() {
            Precision::Bf16Checked
        } else {
            Precision::Fp32
        }
    }
}

/// How near a label is to flipping (top score minus runner-up, or top score minus `min_score`) for
/// [`Precision::Bf16Checked`] to check it in float32: over four times the largest score change bf16 caused
/// on `scripts/bench`'s 2,096 articles (0.023).
pub const CLOSE_CALL: f32 = 0.1;

/// How near a segmentation call is to flipping, per similarity it adds up (a TextTiling depth adds up four, so
/// counts four times this), for [`Precision::Bf16Checked`] to embed the paragraphs behind it again in float32:
/// four times the largest change bf16 caused in the similarity of two sentences of the dev and extra dumps
/// (0.0038 over 1,438 pairs).
pub const SEGMENTATION_CLOSE_CALL: f32 = 0.015;

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
