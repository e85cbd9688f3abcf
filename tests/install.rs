//! `scripts/install` makes a standalone installation: moved away from where it was installed, run from another
//! folder with an empty environment, it loads its own libtorch and model; it installs man pages and completions,
//! can be run again, and `--uninstall` removes every file it put there.

mod common;

use common::project_path;
use std::path::Path;
use std::process::{Command, Output};

/// Runs scripts/install on the binary under test.
fn install(args: &[&str]) -> Output {
    Command::new(project_path("scripts/install"))
        .args(["--binary", env!("CARGO_BIN_EXE_newsdigest")])
        .args(args)
        .output()
        .expect("scripts/install runs")
}

fn assert_ok(output: &Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Runs the installed binary with an empty environment, from `cwd`.
fn run_installed(prefix: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new(prefix.join("bin/newsdigest"))
        .args(args)
        .env_clear()
        .current_dir(cwd)
        .output()
        .expect("the installed binary starts")
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path.display().to_string());
            }
        }
    }
    files
}

#[test]
fn an_installed_copy_runs_anywhere_with_an_empty_environment() {
    // Beside target/, so --link can hard-link libtorch and the model rather than copy 0.6 GB.
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let first = tmp.path().join("first");
    assert_ok(&install(&["--link", first.to_str().unwrap()]), "install");
    // Moved elsewhere after installing: nothing may point back at the install folder.
    let prefix = tmp.path().join("moved");
    std::fs::rename(&first, &prefix).unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::copy(
        project_path("tests/data/dev/dumps/dump06_numbered_digest.txt"),
        elsewhere.join("digest.txt"),
    )
    .unwrap();

    let info = run_installed(&prefix, &elsewhere, &["info", "--json"]);
    let info: serde_json::Value = serde_json::from_str(&assert_ok(&info, "info")).unwrap();
    let libtorch = info["libtorch"]["path"].as_str().unwrap();
    assert!(
        libtorch.starts_with(prefix.join("lib/newsdigest").to_str().unwrap()),
        "libtorch loaded from {libtorch}"
    );
    let model = &info["models"][0];
    assert_eq!(model["found_by"], "beside the executable");
    assert!(model["path"]
        .as_str()
        .unwrap()
        .starts_with(prefix.join("share/newsdigest/models").to_str().unwrap()));
    assert_eq!(
        model["sha256"],
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    );

    // An explicit folder is used as given, and reported when wrong rather than skipped.
    let wrong = Command::new(prefix.join("bin/newsdigest"))
        .args(["info", "--json"])
        .env_clear()
        .env("NEWSDIGEST_MODEL_DIR", tmp.path().join("no-model"))
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    let wrong: serde_json::Value = serde_json::from_slice(&wrong.stdout).unwrap();
    assert_eq!(wrong["models"][0]["found_by"], "$NEWSDIGEST_MODEL_DIR");
    assert!(wrong["models"][0]["error"]
        .as_str()
        .unwrap()
        .contains("no-model"));

    let run = run_installed(
        &prefix,
        &elsewhere,
        &["run", "digest.txt", "--format", "jsonl", "--threads", "1"],
    );
    let records: Vec<serde_json::Value> = assert_ok(&run, "run")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 7, "the digest's seven stories");
    assert_eq!(records[0]["id"], "digest#1");
    assert!(records.iter().all(|r| r["label"].is_string()));

    for page in ["newsdigest.1", "newsdigest-run.1", "newsdigest-info.1"] {
        let roff = std::fs::read_to_string(prefix.join("share/man/man1").join(page)).unwrap();
        assert!(roff.contains(".TH"), "{page} is a man page");
    }
    let bash = std::fs::read_to_string(prefix.join("share/bash-completion/completions/newsdigest"));
    assert!(bash.unwrap().contains("--shard"));
    let zsh = std::fs::read_to_string(prefix.join("share/zsh/site-functions/_newsdigest"));
    assert!(zsh.unwrap().contains("#compdef newsdigest"));
    let fish =
        std::fs::read_to_string(prefix.join("share/fish/vendor_completions.d/newsdigest.fish"));
    assert!(fish.unwrap().contains("complete -c newsdigest"));

    // Again over the same prefix (idempotent), then uninstalled: nothing of it stays.
    let before = files_under(&prefix).len();
    assert_ok(
        &install(&["--link", prefix.to_str().unwrap()]),
        "second install",
    );
    assert_eq!(files_under(&prefix).len(), before);
    assert_ok(
        &install(&["--uninstall", prefix.to_str().unwrap()]),
        "uninstall",
    );
    assert_eq!(files_under(&prefix), Vec::<String>::new());
}
