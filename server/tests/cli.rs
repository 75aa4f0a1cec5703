//! The command line: first start prints an enrolment code and the URL; more codes on demand.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_peerpulse-server");

fn code_in(line: &str) -> Option<String> {
    let rest = line.strip_prefix("Enrolment code for a phone: ")?;
    let code = rest.split_whitespace().next()?;
    let valid = code.len() == 9 && code.as_bytes()[4] == b'-';
    valid.then(|| code.to_owned())
}

#[test]
fn first_start_prints_a_code_then_the_url_and_later_starts_print_no_code() {
    let data = tempfile::tempdir().unwrap();
    let start = || {
        let mut child = Command::new(BIN)
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--static-dir",
                "no-such-dir",
            ])
            .arg("--data-dir")
            .arg(data.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = Vec::new();
        let reader = BufReader::new(child.stdout.take().unwrap());
        for line in reader.lines() {
            let line = line.unwrap();
            let done = line.starts_with("PeerPulse is running at http://127.0.0.1:");
            lines.push(line);
            if done {
                break;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        lines
    };
    let first = start();
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(code_in(&first[0]).is_some(), "{first:?}");
    assert!(first[1].starts_with("PeerPulse is running at"));
    let second = start();
    assert_eq!(second.len(), 1, "{second:?}");

    let more = Command::new(BIN)
        .arg("enrol-code")
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .unwrap();
    assert!(more.status.success());
    let printed = String::from_utf8(more.stdout).unwrap();
    let code = code_in(printed.trim()).expect("a code line");
    assert_ne!(Some(code), code_in(&first[0]));
}

#[test]
fn enrol_code_without_an_org_explains_what_to_do() {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("enrol-code")
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("start the service once"), "{err}");
}

#[test]
fn settings_show_and_change_the_edit_window_and_refuse_absurd_ones() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .arg("--data-dir")
            .arg(data.path())
            .output()
            .unwrap()
    };
    // The service creates the organization on its first start.
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--static-dir",
            "no-such-dir",
        ])
        .arg("--data-dir")
        .arg(data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let reader = BufReader::new(child.stdout.take().unwrap());
    for line in reader.lines() {
        if line.unwrap().starts_with("PeerPulse is running at") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let shown = String::from_utf8(run(&["settings"]).stdout).unwrap();
    assert!(shown.contains("Edit window: 7 days"), "{shown}");
    let changed = String::from_utf8(run(&["settings", "--edit-window-days", "14"]).stdout).unwrap();
    assert!(changed.contains("Edit window: 14 days"), "{changed}");
    let refused = run(&["settings", "--edit-window-days", "365"]);
    assert!(!refused.status.success());
    let err = String::from_utf8(refused.stderr).unwrap();
    assert!(err.contains("0 to 60 days"), "{err}");
    let kept = String::from_utf8(run(&["settings"]).stdout).unwrap();
    assert!(kept.contains("Edit window: 14 days"), "{kept}");
}
