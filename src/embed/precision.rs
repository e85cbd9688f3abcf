//! Numeric precision of the embedding model. bfloat16 runs about twice as fast as float32 on CPUs with native
//! bf16 (AVX512-BF16, AMX) and keeps sentence embeddings within a cosine of 0.9999 of float32 on MiniLM, but
//! it moves label scores by up to 0.04, enough to flip borderline labels (8 of 1,340 articles in
//! `scripts/bench`'s corpus): so float32 is the default and bf16 a choice for throughput.

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
}

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
