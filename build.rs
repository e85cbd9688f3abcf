//! Tells the binaries where libtorch is, so they run without LD_LIBRARY_PATH, and records its version.
//!
//! The run path has two entries, searched in order:
//! - `$ORIGIN/../lib/newsdigest`: where `scripts/install` puts libtorch beside an installed `bin/newsdigest`,
//!   so an installed copy finds its own libtorch wherever the prefix is moved;
//! - libtorch's folder in the checkout, for `target/release/newsdigest`, the tests and the examples (whose
//!   `../lib/newsdigest` does not exist). `scripts/install` removes this entry from the installed copy with
//!   `patchelf` when that is available, so an installed binary never loads libraries from a build folder.
//!
//! One binary serves both, so installing needs no second build (patchelf only edits the run path).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let Ok(lib) = std::env::var("DEP_TCH_LIBTORCH_LIB") else {
        return;
    };
    println!("cargo:rustc-link-arg=-Wl,-rpath,$ORIGIN/../lib/newsdigest:{lib}");
    let header =
        std::path::Path::new(&lib).join("../include/torch/csrc/api/include/torch/version.h");
    println!("cargo:rerun-if-changed={}", header.display());
    if let Some(version) = std::fs::read_to_string(&header)
        .ok()
        .as_deref()
        .and_then(torch_version)
    {
        println!("cargo:rustc-env=NEWSDIGEST_LIBTORCH_VERSION={version}");
    }
}

/// `major.minor.patch` from the `TORCH_VERSION_MAJOR`/`_MINOR`/`_PATCH` defines of libtorch's `torch/version.h`.
fn torch_version(header: &str) -> Option<String> {
    let part = |name: &str| {
        header.lines().find_map(|line| {
            let value = line.trim().strip_prefix("#define ")?.strip_prefix(name)?;
            value.trim().parse::<u32>().ok()
        })
    };
    Some(format!(
        "{}.{}.{}",
        part("TORCH_VERSION_MAJOR")?,
        part("TORCH_VERSION_MINOR")?,
        part("TORCH_VERSION_PATCH")?
    ))
}
