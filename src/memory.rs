//! Memory settings of the native code a run leans on: libtorch's caches (MKL, oneDNN) and glibc's allocator.
//! One place for them, so the settings and the reasons for them are read together (the figures behind them
//! are in docs/benchmarks.md, "Memory").

/// Caps on libtorch's native caches. MKL's fast memory manager keeps the packing buffers of float32 matrix
/// products, and oneDNN caches a compiled kernel for every bf16 matrix shape (1,024 by default; length-sorted
/// batches make many shapes): capped, peak RSS falls at the same speed.
pub const NATIVE_CACHE_LIMITS: [(&str, &str); 2] = [
    ("MKL_FAST_MEMORY_LIMIT", "32"),
    ("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "256"),
];

/// Sets [`NATIVE_CACHE_LIMITS`] in the environment, except those the user set. Call it before torch runs and
/// while the process is still single-threaded (setting the environment is not sound otherwise): the command
/// line does it first thing; a library user decides for their own process.
pub fn limit_native_caches() {
    for (name, value) in NATIVE_CACHE_LIMITS {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
}

/// Tells glibc's allocator to keep freed blocks of up to 64 MiB (and up to 64 MiB of free heap) for reuse.
/// Torch allocates and frees its activation tensors on every forward pass; with glibc's defaults the larger ones
/// go straight back to the kernel and are faulted in again, a large share of a run's system time, for a little
/// more peak RSS.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator thresholds; it is safe to call at any time.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

/// Gives the free pages of every malloc arena back to the system. Kept between batches they save page faults
/// (see [`keep_freed_memory`]), but over the chunks of a long run the arenas fragment and their resident size
/// creeps up; trimming once per chunk of a stream stops that.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
