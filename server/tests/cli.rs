//! The command line: first start prints an enrolment code and the URL; more codes on demand.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use support::TestDb;

const BIN: &str = env!("CARGO_BIN_EXE_peerpulse-server");

/// A fresh database for one test (SQLite, or PostgreSQL when the test command runs one).
fn fresh_db() -> TestDb {
    tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(TestDb::fresh())
}

/// The service binary, pointed at `db`.
fn service(db: &TestDb) -> Command {
    let (data_dir, url) = db.cli_args();
    let mut command = Command::new(BIN);
    command.arg("--data-dir").arg(data_dir);
    match url {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
    command
}

fn code_in(line: &str) -> Option<String> {
    let rest = line.strip_prefix("Enrolment code for a phone: ")?;
    let code = rest.split_whitespace().next()?;
    let valid = code.len() == 9 && code.as_bytes()[4] == b'-';
    valid.then(|| code.to_owned())
}

/// Starts the service on `db`, stops it once it says it is running, and returns what it printed.
fn serve_until_running(db: &TestDb) -> Vec<String> {
    let mut child = service(db)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--static-dir",
            "no-such-dir",
        ])
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
}

#[test]
fn first_start_prints_a_code_then_the_url_and_later_starts_print_no_code() {
    let db = fresh_db();
    let start = || serve_until_running(&db);
    let first = start();
    assert_eq!(first.len(), 3, "{first:?}");
    assert!(code_in(&first[0]).is_some(), "{first:?}");
    assert!(
        first[1]
            .starts_with("Admin sign-in link (one-time, expires in 24 hours): http://127.0.0.1:"),
        "{first:?}"
    );
    assert!(first[1].contains("/welcome#"), "{first:?}");
    assert!(first[2].starts_with("PeerPulse is running at"));
    let second = start();
    assert_eq!(second.len(), 1, "{second:?}");

    let more = service(&db).arg("enrol-code").output().unwrap();
    assert!(more.status.success());
    let printed = String::from_utf8(more.stdout).unwrap();
    let code = code_in(printed.trim()).expect("a code line");
    assert_ne!(Some(code), code_in(&first[0]));
}

#[test]
fn enrol_code_without_an_org_explains_what_to_do() {
    let db = fresh_db();
    let out = service(&db).arg("enrol-code").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("start the service once"), "{err}");
}

#[test]
fn settings_show_and_change_the_edit_window_and_retention_and_refuse_absurd_ones() {
    let db = fresh_db();
    let run = |args: &[&str]| service(&db).args(args).output().unwrap();
    // The service creates the organization on its first start.
    serve_until_running(&db);

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

    // Per-phone counts: kept always until an admin says otherwise, three months at least.
    assert!(kept.contains("Per-phone counts: kept always"), "{kept}");
    let nothing = String::from_utf8(run(&["fold"]).stdout).unwrap();
    assert!(nothing.contains("nothing to fold"), "{nothing}");
    let short = run(&["settings", "--keep-phone-rows", "2"]);
    assert!(!short.status.success());
    let err = String::from_utf8(short.stderr).unwrap();
    assert!(err.contains("3 to 120 months"), "{err}");
    let set = String::from_utf8(run(&["settings", "--keep-phone-rows", "6"]).stdout).unwrap();
    assert!(set.contains("Per-phone counts: kept 6 months"), "{set}");
    let folded = String::from_utf8(run(&["fold"]).stdout).unwrap();
    assert!(
        folded.contains("Folded 0 per-phone rows: days through"),
        "{folded}"
    );
    let shown = String::from_utf8(run(&["settings"]).stdout).unwrap();
    assert!(shown.contains("Closed through: "), "{shown}");
    let always =
        String::from_utf8(run(&["settings", "--keep-phone-rows", "always"]).stdout).unwrap();
    assert!(always.contains("Per-phone counts: kept always"), "{always}");
}

#[test]
fn org_create_prints_a_one_time_admin_link_at_the_public_url() {
    let db = fresh_db();
    let out = service(&db)
        .args([
            "org",
            "create",
            "Harbour Outreach",
            "--public-url",
            "https://pulse.example.org/",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains("Organization Harbour Outreach created: its people sign in under the name harbour-outreach."),
        "{printed}"
    );
    let link = printed
        .lines()
        .find_map(|l| l.strip_prefix("Admin sign-in link (one-time, expires in 24 hours): "))
        .expect("a link line");
    let token = link
        .strip_prefix("https://pulse.example.org/welcome#")
        .expect("the link is at the public URL");
    assert_eq!(token.len(), 64);
    let blank = service(&db).args(["org", "create", "  "]).output().unwrap();
    assert!(!blank.status.success());
}

/// Runs the service binary on `db` with `args` and returns (success, stdout, stderr).
fn run_on(db: &TestDb, args: &[&str]) -> (bool, String, String) {
    let out = service(db).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_management_command_acts_on_the_organization_named_and_never_guesses() {
    let db = fresh_db();
    let ok = |args: &[&str]| {
        let (success, out, err) = run_on(&db, args);
        assert!(success, "{args:?}: {err}");
        out
    };
    ok(&["org", "create", "Harbour Outreach"]);
    ok(&["org", "create", "Night Van"]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let pool = runtime
        .block_on(peerpulse_server::db::open(&db.location))
        .unwrap();
    let listed = runtime
        .block_on(peerpulse_server::db::orgs::list(&pool))
        .unwrap();
    let id_of = |handle: &str| {
        listed
            .iter()
            .find(|o| o.handle.as_deref() == Some(handle))
            .unwrap()
            .id
    };
    let (harbour, night) = (id_of("harbour-outreach"), id_of("night-van"));

    // Without --org on a service of several organizations, every command refuses and lists them.
    for args in [
        &["enrol-code"][..],
        &["device", "list"],
        &["device", "revoke", "abc"],
        &["codebook", "export"],
        &["settings"],
        &["settings", "--edit-window-days", "3"],
    ] {
        let (success, out, err) = run_on(&db, args);
        assert!(!success, "{args:?} guessed: {out}");
        for shown in [
            "--org",
            &format!("harbour-outreach  (id {harbour})  Harbour Outreach"),
            &format!("night-van  (id {night})  Night Van"),
        ] {
            assert!(err.contains(shown), "{args:?}: {err}");
        }
    }
    let (success, _, err) = run_on(&db, &["settings", "--org", "nobody"]);
    assert!(!success);
    assert!(
        err.contains("no organization is called \"nobody\"") && err.contains("night-van"),
        "{err}"
    );

    // Settings, chosen by sign-in name, by id and by exact name.
    let night_settings = ok(&["settings", "--org", "night-van", "--edit-window-days", "21"]);
    assert!(
        night_settings.contains("Organization: Night Van"),
        "{night_settings}"
    );
    assert!(
        night_settings.contains("Edit window: 21 days"),
        "{night_settings}"
    );
    let harbour_settings = ok(&[
        "settings",
        "--org",
        &harbour.to_string(),
        "--threshold",
        "11",
    ]);
    assert!(harbour_settings.contains("Organization: Harbour Outreach"));
    assert!(
        harbour_settings.contains("Edit window: 7 days"),
        "{harbour_settings}"
    );
    assert!(
        harbour_settings.contains("Threshold: 11"),
        "{harbour_settings}"
    );
    let by_name = ok(&["settings", "--org", "Night Van"]);
    assert!(by_name.contains("Edit window: 21 days") && by_name.contains("Threshold: 5"));

    // An enrolment code belongs to the organization named.
    let printed = ok(&["enrol-code", "--org", "night-van"]);
    let code = code_in(printed.trim()).expect("a code line");
    let key = peerpulse_server::secrets::CodeKey::load_or_create(&db.dir.path().join("code-key"))
        .unwrap();
    let enrolled = runtime
        .block_on(peerpulse_server::db::devices::enrol(
            &pool,
            &key,
            &code.parse().unwrap(),
            None,
        ))
        .unwrap()
        .expect("the code enrols a phone");
    assert_eq!(enrolled.org_id, night);

    // Devices: listed and revoked only within their organization.
    assert!(ok(&["device", "list", "--org", "night-van"]).contains(&enrolled.device_id));
    assert!(!ok(&["device", "list", "--org", "harbour-outreach"]).contains(&enrolled.device_id));
    let (success, _, _) = run_on(
        &db,
        &[
            "device",
            "revoke",
            &enrolled.device_id,
            "--org",
            "harbour-outreach",
        ],
    );
    assert!(!success, "a phone of another organization is not revoked");
    let revoked = ok(&[
        "device",
        "--org",
        "night-van",
        "revoke",
        &enrolled.device_id,
    ]);
    assert!(revoked.starts_with("Revoked"), "{revoked}");

    // Codebooks: one organization's exported and imported into the other only.
    let exported = ok(&["codebook", "export", "--org", "night-van"]);
    let file = db.dir.path().join("codebook.json");
    std::fs::write(&file, &exported).unwrap();
    let imported = ok(&[
        "codebook",
        "import",
        file.to_str().unwrap(),
        "--org",
        "Harbour Outreach",
    ]);
    assert!(imported.contains("Codebook version 2 stored"), "{imported}");
    assert!(ok(&["settings", "--org", "harbour-outreach"]).contains("Codebook version: 2"));
    assert!(ok(&["settings", "--org", "night-van"]).contains("Codebook version: 1"));

    // What the commands changed is in each organization's audit log, done by the command line.
    let logged = |org: i64| {
        let rows: Vec<(String, String, Option<String>, Option<String>)> = runtime
            .block_on(
                sqlx::query_as(
                    "SELECT who, action, address, event FROM audit_log \
                     WHERE org_id = $1 ORDER BY id",
                )
                .bind(org)
                .fetch_all(&pool),
            )
            .unwrap();
        rows
    };
    let by_cli = |action: &str, event: String| {
        (
            "command line".to_owned(),
            action.to_owned(),
            None,
            Some(event),
        )
    };
    assert_eq!(
        logged(night),
        [
            by_cli(
                "enrolment_code_issued",
                r#"{"action":"enrolment_code_issued"}"#.to_owned()
            ),
            by_cli(
                "phone_revoked",
                format!(
                    r#"{{"action":"phone_revoked","phone":"{}"}}"#,
                    enrolled.device_id
                )
            ),
        ]
    );
    assert_eq!(
        logged(harbour),
        [by_cli(
            "codebook_changed",
            r#"{"action":"codebook_changed","change":"import","version":2}"#.to_owned()
        )]
    );

    // Two organizations of one name are told apart by sign-in name or id, never guessed.
    ok(&["org", "create", "Street Team"]);
    ok(&["org", "create", "Street Team"]);
    let (success, _, err) = run_on(&db, &["enrol-code", "--org", "Street Team"]);
    assert!(!success);
    assert!(
        err.contains("several organizations are named \"Street Team\"")
            && err.contains("street-team-2"),
        "{err}"
    );
    assert!(ok(&["settings", "--org", "street-team-2"]).contains("Sign-in name: street-team-2"));
    runtime.block_on(pool.close());
}
