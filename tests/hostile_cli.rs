//! Hostile command lines through the binary: output paths that would overwrite or lose something, options out
//! of range, usage errors, closed pipes, escape sequences bound for the terminal, eval on files it must not
//! read. Most are refused before the model loads; the few that run use a two-article input.

mod common;

use common::{newsdigest, project_path};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The first `n` dev articles as JSONL.
fn dev_records(n: usize) -> String {
    let all = std::fs::read_to_string(project_path("tests/data/dev/articles.jsonl")).unwrap();
    all.lines().take(n).map(|l| format!("{l}\n")).collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = newsdigest(args);
    (output.status.code(), stderr(&output))
}

/// Files in `dir`, by name, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_paths_naming_a_folder_or_an_input_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, dev_records(2)).unwrap();
    let folder = dir.path().join("o");
    std::fs::create_dir(&folder).unwrap();
    let input_arg = input.to_str().unwrap();
    let cases = [
        (folder.display().to_string(), "names a folder"),
        (format!("{}/.", folder.display()), "names a folder"),
        (format!("{}/new/..", folder.display()), "names a folder"),
        (format!("{}/", folder.display()), "names a folder"),
        (
            input.display().to_string(),
            "refusing to overwrite an input",
        ),
    ];
    for (output, why) in cases {
        let started = Instant::now();
        let (code, stderr) = run(&["run", "--quiet", "-o", &output, input_arg]);
        assert_eq!(code, Some(1), "-o {output}: {stderr}");
        assert!(stderr.contains(why), "-o {output}: {stderr}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "refused only after the run"
        );
    }
    assert_eq!(listing(dir.path()), ["in.jsonl", "o"]);
    assert!(listing(&folder).is_empty());
    assert_eq!(std::fs::read_to_string(&input).unwrap(), dev_records(2));
}

#[test]
fn a_link_planted_at_the_partial_is_replaced_and_its_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, dev_records(2)).unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let output = dir.path().join("out.jsonl");
    std::os::unix::fs::symlink(&victim, dir.path().join("out.jsonl.partial")).unwrap();
    let (code, stderr) = run(&[
        "run",
        "--quiet",
        "--format",
        "jsonl",
        "-o",
        output.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(&output).unwrap().lines().count(), 2);
    assert_eq!(listing(dir.path()), ["in.jsonl", "out.jsonl", "victim.txt"]);
}

#[test]
fn the_only_input_missing_exits_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.json");
    std::fs::write(&output, "old").unwrap();
    let missing = dir.path().join("missing.txt");
    let (code, stderr) = run(&[
        "run",
        "--quiet",
        "-o",
        output.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("missing.txt"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "old");
    assert_eq!(listing(dir.path()), ["out.json"]);
}

#[test]
fn an_io_error_is_printed_once_naming_the_users_path_before_the_model_loads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, dev_records(1)).unwrap();
    let output = dir.path().join("out.json");
    // A folder where the temporary file must go: the OS refuses to replace it.
    std::fs::create_dir(dir.path().join("out.json.partial")).unwrap();
    let (code, stderr) = run(&[
        "run",
        "--quiet",
        "--model-dir",
        "/nonexistent-model-dir",
        "-o",
        output.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    let line = format!("newsdigest: error: {}: ", output.display());
    assert!(stderr.starts_with(&line), "{stderr}");
    assert_eq!(stderr.matches("os error").count(), 1, "{stderr}");
    assert!(
        !stderr.contains("model"),
        "the output is checked before the model: {stderr}"
    );
}

#[test]
fn resume_is_refused_over_a_raw_input_and_over_a_partial_of_other_options() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, dev_records(2)).unwrap();
    let raw = dir.path().join("raw.jsonl");
    std::fs::write(&raw, dev_records(2)).unwrap();
    let resume = |output: &Path, extra: &[&str]| {
        let mut args = vec!["run", "--quiet", "--format", "jsonl", "--resume", "-o"];
        args.push(output.to_str().unwrap());
        args.extend_from_slice(extra);
        args.push(input.to_str().unwrap());
        run(&args)
    };
    let (code, stderr) = resume(&raw, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("cannot resume"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&raw).unwrap(), dev_records(2));

    // A run interrupted after recording what it is made from: its input is a FIFO nobody writes to, so it waits
    // in the middle of the run until killed.
    let fifo = dir.path().join("stalled.jsonl");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    let output = dir.path().join("out.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["run", "--quiet", "--format", "jsonl", "-o"])
        .arg(&output)
        .arg(&fifo)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !dir.path().join("out.jsonl.resume").exists() {
        assert!(started.elapsed() < Duration::from_secs(60), "no run record");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut args = vec!["run", "--quiet", "--format", "jsonl", "--resume"];
    args.extend(["--min-score", "0.7", "-o", output.to_str().unwrap()]);
    args.push(fifo.to_str().unwrap());
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot resume") && stderr.contains("another run (other run)"),
        "{stderr}"
    );
    assert!(dir.path().join("out.jsonl.partial").exists());
}

#[test]
fn options_out_of_range_are_refused_with_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, dev_records(1)).unwrap();
    let input = input.to_str().unwrap();
    for value in ["NaN", "inf", "2", "-1"] {
        let option = format!("--min-score={value}");
        let (code, stderr) = run(&["run", "--quiet", &option, input]);
        assert_eq!(code, Some(1), "{value}: {stderr}");
        assert!(stderr.contains("must be a number from 0 to 1"), "{stderr}");
    }
    let labels = std::path::PathBuf::from(input).with_file_name("labels.toml");
    for (body, why) in [
        ("temperature = 1e308\n", "temperature"),
        (
            "[[label]]\nname = \"b\"\ndescriptions = [\"d\"]\ncolour = \"red\"\n",
            "colour",
        ),
        (
            "[[label]]\nname = \"a\"\ndescriptions = [\"d\"]\n",
            "two labels are named",
        ),
    ] {
        std::fs::write(
            &labels,
            format!("{body}[[label]]\nname = \"a\"\ndescriptions = [\"x\"]\n"),
        )
        .unwrap();
        let (code, stderr) = run(&[
            "run",
            "--quiet",
            "--labels",
            labels.to_str().unwrap(),
            input,
        ]);
        assert_eq!(code, Some(1), "{body}: {stderr}");
        assert!(
            stderr.contains(why) && stderr.contains("labels.toml"),
            "{stderr}"
        );
    }
    let (code, stderr) = run(&["fit", "--train", input, "--cv", "2", "--l2", "NaN"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("--l2"), "{stderr}");
}

#[test]
fn usage_errors_exit_1_and_2_is_kept_for_a_missed_minimum() {
    for args in [
        &["run", "--bogus", "x.txt"][..],
        &["run", "--shard", "3/3", "x.txt"],
        &[
            "eval",
            "--gold",
            "g.jsonl",
            "--pred",
            "p.jsonl",
            "--fail-under",
            "nonsense=0.5",
        ],
    ] {
        let (code, stderr) = run(args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
    }
    assert_eq!(run(&["--help"]).0, Some(0));
}

/// Gold and predictions sharing one article by id, in `dir`.
fn eval_files(dir: &Path, pred_source: &str) -> (String, String) {
    let gold = dir.join("gold.jsonl");
    std::fs::write(&gold, "{\"id\":\"a\",\"label\":\"conflict\"}\n").unwrap();
    let pred = dir.join("pred.jsonl");
    let record = serde_json::json!({
        "id": "a", "source": pred_source, "start_line": 1, "end_line": 2, "label": "conflict",
        "text": "Shelling resumed.", "summary": "Shelling resumed."
    });
    std::fs::write(&pred, format!("{record}\n")).unwrap();
    (gold.display().to_string(), pred.display().to_string())
}

#[test]
fn eval_never_opens_the_sources_a_prediction_names() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("never-written.txt");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    for source in ["/dev/zero", fifo.to_str().unwrap()] {
        let (gold, pred) = eval_files(dir.path(), source);
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
            .args(["eval", "--format", "json", "--gold", &gold, "--pred", &pred])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(20) {
                child.kill().unwrap();
                panic!("eval read {source}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
}

#[test]
fn eval_with_empty_or_unmatched_gold_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (gold, pred) = eval_files(dir.path(), "x.txt");
    std::fs::write(&gold, "").unwrap();
    let (code, stderr) = run(&["eval", "--gold", &gold, "--pred", &pred]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("no gold articles"), "{stderr}");
    std::fs::write(&gold, "{\"id\":\"zz\",\"label\":\"conflict\"}\n").unwrap();
    let (code, stderr) = run(&["eval", "--gold", &gold, "--pred", &pred]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("nothing matched"), "{stderr}");
}

/// A `run` output of three articles, the first with an escape sequence in its title.
fn hostile_output(dir: &Path) -> String {
    let path = dir.join("out.jsonl");
    let mut lines = String::new();
    for n in 0..3 {
        let record = serde_json::json!({
            "id": format!("x#{n}"), "label": "other", "title": "Clear\u{1b}[2J\u{1b}]0;pwned\u{7}",
            "text": "Body.", "summary": "Sum\u{9b}31m."
        });
        lines.push_str(&format!("{record}\n"));
    }
    std::fs::write(&path, lines).unwrap();
    path.display().to_string()
}

#[test]
fn table_escapes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let output = newsdigest(&["table", &hostile_output(dir.path())]);
    assert!(output.status.success(), "{}", stderr(&output));
    let shown = String::from_utf8(output.stdout).unwrap();
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}') && !shown.contains('\u{9b}'),
        "{shown:?}"
    );
    assert!(shown.contains("Clear\\u{1b}[2J"), "{shown}");
}

/// Runs `args` with stdout into a pipe closed after the first line, as `| head -1` does.
fn closed_pipe(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let mut output = child.wait_with_output().unwrap();
    output.stderr = err.into_bytes();
    output
}

#[test]
fn a_closed_pipe_ends_table_run_and_segment_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Each output is larger than a pipe's buffer (64 KiB), so the command is still writing when the reader
    // goes away, and meets the closed pipe.
    let big = dir.path().join("big.jsonl");
    let row =
        serde_json::json!({"id": "x", "label": "other", "title": "T", "text": "B", "summary": "S"});
    std::fs::write(&big, format!("{row}\n").repeat(20_000)).unwrap();
    let records = dir.path().join("records.jsonl");
    let story = "Floods cut the road to the port on Monday.";
    let lines: String = (0..2_000)
        .map(|n| {
            format!(
                "{}\n",
                serde_json::json!({"id": format!("r{n}"), "text": story})
            )
        })
        .collect();
    std::fs::write(&records, lines).unwrap();
    let dev = project_path("tests/data/dev/articles.jsonl");
    let runs: [&[&str]; 3] = [
        &["table", big.to_str().unwrap()],
        &["segment", records.to_str().unwrap()],
        &["run", "--quiet", "--format", "jsonl", dev.to_str().unwrap()],
    ];
    for args in runs {
        let output = closed_pipe(args);
        let err = stderr(&output);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe") && !err.contains("error"),
            "{args:?}: {err}"
        );
        let quiet = output.status.success()
            || std::os::unix::process::ExitStatusExt::signal(&output.status) == Some(libc::SIGPIPE);
        assert!(quiet, "{args:?}: {:?}", output.status);
    }
}

#[test]
fn threads_beyond_the_cpus_are_capped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, dev_records(2)).unwrap();
    let output = newsdigest(&[
        "run",
        "--quiet",
        "--threads",
        "100000",
        input.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("100000 threads asked for"),
        "{}",
        stderr(&output)
    );
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["articles"].as_array().unwrap().len(), 2);
}

#[test]
fn an_unreadable_subfolder_is_reported_and_the_good_files_kept_even_as_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.jsonl"), dev_records(2)).unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("more.jsonl"), dev_records(1)).unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsdigest"));
    command
        .args(["run", "--quiet", "--format", "jsonl"])
        .arg(dir.path());
    // SAFETY: only async-signal-safe calls between fork and exec. The child drops the two capabilities that let
    // root read any folder (CAP_DAC_OVERRIDE = 1, CAP_DAC_READ_SEARCH = 2) from its bounding set, so not even
    // root's exec regains them and root obeys the folder's permissions as a user does (CI runs as root). A
    // user has none to drop, and the call fails harmlessly.
    unsafe {
        command.pre_exec(|| {
            for capability in [1, 2] {
                libc::prctl(libc::PR_CAPBSET_DROP, capability, 0, 0, 0);
            }
            Ok(())
        });
    }
    let output = command.output().unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{err}");
    assert!(err.contains("locked: skipped folder: cannot read"), "{err}");
    assert_eq!(String::from_utf8(output.stdout).unwrap().lines().count(), 2);
}
