//! `peerpulse-server`: run the service, or manage it from the command line.

use clap::{Parser, Subcommand};
use peerpulse_core::audit::{AuditEvent, CodebookChange};
use peerpulse_core::encounter::EditWindow;
use peerpulse_core::people::Role;
use peerpulse_core::period::Period;
use peerpulse_core::privacy::SuppressionThreshold;
use peerpulse_core::retention::KeepPhoneRows;
use peerpulse_server::db::{self, audit, devices, enrolment, orgs, people, retention};
use peerpulse_server::dhis2_client::{Dhis2Server, Dhis2SettingsError};
use peerpulse_server::dhis2_send::{Sender, send_report};
use peerpulse_server::forwarded::{ForwardedHeader, TrustedProxies, TrustedProxy};
use peerpulse_server::secrets::CodeKey;
use peerpulse_server::{AppState, DEFAULT_PUBLIC_URL, serve};
use peerpulse_server::{backup, migrate_to};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    version,
    about = "PeerPulse service: sync API, trends and the PWA on one port"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Where the SQLite database lives (every command).
    #[arg(
        long,
        env = "PEERPULSE_DATA_DIR",
        default_value = "data",
        global = true
    )]
    data_dir: PathBuf,
    /// A postgres:// URL to use PostgreSQL instead of SQLite (every command).
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// The address people and phones reach the service at, for sign-in links and QR codes
    /// (default: the address `serve` listens on, else http://127.0.0.1:8080). An https URL
    /// marks session cookies Secure.
    #[arg(long, env = "PEERPULSE_PUBLIC_URL", global = true)]
    public_url: Option<String>,
    /// The file holding the key enrolment codes are stored under (default: code-key in the
    /// data directory; made on first use). Keep it apart from database backups: a stolen
    /// backup without it reveals no code. Every instance on one database needs the same file.
    #[arg(long, env = "PEERPULSE_CODE_KEY_FILE", global = true)]
    code_key_file: Option<PathBuf>,
    /// How log lines are written to stderr: `text` for people, `json` (one object a line,
    /// each with its request's id) for a log collector. Levels follow `RUST_LOG` (default
    /// info).
    #[arg(
        long,
        env = "PEERPULSE_LOG_FORMAT",
        global = true,
        value_enum,
        default_value_t = LogFormat::Text
    )]
    log_format: LogFormat,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line.
    Json,
}

/// Logs to stderr in `format`, at the levels `RUST_LOG` sets (info by default). Each line
/// logged while a request is served carries its span: the request id, method and route.
fn start_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the service.
    Serve {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, env = "PEERPULSE_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The built PWA to serve.
        #[arg(long, env = "PEERPULSE_STATIC_DIR", default_value = "dist")]
        static_dir: PathBuf,
        /// Name of the organization created on first start.
        #[arg(long, default_value = "PeerPulse demo")]
        org_name: String,
        /// The bearer token Prometheus sends to read `/metrics`; without it `/metrics` answers
        /// 404.
        #[arg(long, env = "PEERPULSE_METRICS_TOKEN", hide_env_values = true)]
        metrics_token: Option<String>,
        /// How many instances run behind the load balancer on one PostgreSQL: each allows
        /// its share of a phone's request limit (the balancer must spread requests evenly,
        /// e.g. round robin).
        #[arg(long, env = "PEERPULSE_INSTANCES", default_value_t = 1)]
        instances: u32,
        /// An address or network (10.0.0.5, 10.0.0.0/24, ::1) a TLS-terminating reverse proxy
        /// connects from; repeat it, or separate several with commas. Requests from there name
        /// their client in the forwarding header, for the audit log and the failed-attempt
        /// limits, and may bring their request id. Without it those headers are ignored.
        #[arg(
            long = "trusted-proxy",
            value_name = "CIDR",
            env = "PEERPULSE_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<TrustedProxy>,
        /// The header the trusted proxies name the client in.
        #[arg(
            long,
            env = "PEERPULSE_FORWARDED_HEADER",
            value_enum,
            default_value_t = ForwardedHeader::XForwardedFor
        )]
        forwarded_header: ForwardedHeader,
        #[command(flatten)]
        dhis2: Dhis2Options,
    },
    /// Send an organization's indicator report for a period to DHIS2: a dry run first, then
    /// for real (unless --dry-run, or DHIS2 refused the dry run); prints DHIS2's counts.
    Dhis2Send {
        #[command(flatten)]
        org: OrgChoice,
        /// The week, month or quarter: 2026-W48, 2026-11, 2026-Q4.
        #[arg(long)]
        period: Period,
        /// Only check the report with DHIS2; nothing is stored there.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        dhis2: Dhis2Options,
    },
    /// Print a new one-time enrolment code for an organization.
    EnrolCode {
        #[command(flatten)]
        org: OrgChoice,
    },
    /// Show or replace an organization's codebook (JSON).
    Codebook {
        #[command(subcommand)]
        action: CodebookAction,
        #[command(flatten)]
        org: OrgChoice,
    },
    /// List or revoke an organization's devices.
    Device {
        #[command(subcommand)]
        action: DeviceAction,
        #[command(flatten)]
        org: OrgChoice,
    },
    /// Create an organization and print a one-time sign-in link for its first admin.
    Org {
        #[command(subcommand)]
        action: OrgAction,
    },
    /// Copy the SQLite database to FILE, consistently, while the service runs (on
    /// PostgreSQL: explains pg_dump).
    Backup {
        /// Where the copy goes (a new file).
        file: PathBuf,
    },
    /// Replace the SQLite database with the backup FILE; refused while a service runs on the
    /// data directory. The replaced database is kept beside it, renamed.
    Restore {
        /// A backup `backup` made.
        file: PathBuf,
    },
    /// Copy everything from the SQLite database to an empty PostgreSQL database (migrated by
    /// this build first), in one transaction; refused while a service runs on the SQLite
    /// database. Then start the service with DATABASE_URL set to the same URL.
    MigrateTo {
        /// The target, a postgres:// URL (the database must exist and be empty). It holds a
        /// password: PEERPULSE_MIGRATE_TO_URL keeps it off the process list.
        #[arg(
            value_name = "POSTGRES_URL",
            env = "PEERPULSE_MIGRATE_TO_URL",
            hide_env_values = true
        )]
        postgres_url: String,
    },
    /// Show an organization's settings, or change them.
    Settings {
        #[command(flatten)]
        org: OrgChoice,
        /// Days back a worker may date, edit or delete an entry (0 to 60); phones get it on
        /// their next sync.
        #[arg(long)]
        edit_window_days: Option<u16>,
        /// The smallest count ever published (at least 3; 5 by default; CMS uses 11). Every
        /// view follows it from its next read.
        #[arg(long)]
        threshold: Option<u32>,
        /// Months each phone's own counts of a day are kept (at least 3) before they fold
        /// into the organization's totals, or `always` (the default). Published figures do
        /// not change; syncs of folded days are answered "closed".
        #[arg(long, value_name = "MONTHS|always", value_parser = keep_phone_rows)]
        keep_phone_rows: Option<KeepChoice>,
    },
    /// Fold per-phone counts older than the organization's setting into its totals now (the
    /// service does it every hour).
    Fold {
        #[command(flatten)]
        org: OrgChoice,
    },
}

/// What `settings --keep-phone-rows` sets.
#[derive(Clone, Copy, Debug)]
struct KeepChoice(Option<KeepPhoneRows>);

/// Reads `always` or a number of months.
fn keep_phone_rows(text: &str) -> Result<KeepChoice, String> {
    if text.trim().eq_ignore_ascii_case("always") {
        return Ok(KeepChoice(None));
    }
    let months: u16 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is neither a number of months nor `always`"))?;
    KeepPhoneRows::months(months)
        .map(|keep| KeepChoice(Some(keep)))
        .map_err(|e| e.to_string())
}

/// The DHIS2 server reports are sent to. The password is read from a file, never given on
/// the command line, where the process list would show it.
#[derive(clap::Args)]
struct Dhis2Options {
    /// The DHIS2 server's base URL (https://dhis2.example.org, without /api).
    #[arg(long, env = "PEERPULSE_DHIS2_URL")]
    dhis2_url: Option<String>,
    /// The DHIS2 user reports are sent as.
    #[arg(long, env = "PEERPULSE_DHIS2_USERNAME")]
    dhis2_username: Option<String>,
    /// A file whose first line is that user's password (readable by the service only).
    #[arg(long, env = "PEERPULSE_DHIS2_PASSWORD_FILE")]
    dhis2_password_file: Option<PathBuf>,
}

impl Dhis2Options {
    /// The server these options name, if any.
    fn server(&self) -> Result<Option<Dhis2Server>, Dhis2SettingsError> {
        Dhis2Server::from_settings(
            self.dhis2_url.as_deref(),
            self.dhis2_username.as_deref(),
            self.dhis2_password_file.as_deref(),
        )
    }
}

/// Which organization a management command acts on.
#[derive(clap::Args)]
struct OrgChoice {
    /// The organization: its sign-in name (`harbour-outreach`), its id or its exact name.
    /// Needed when the service holds several (without it the command lists them).
    #[arg(long = "org", value_name = "NAME_OR_ID", global = true)]
    key: Option<String>,
}

#[derive(Subcommand)]
enum CodebookAction {
    /// Print the current codebook as JSON.
    Export,
    /// Replace the codebook with the JSON in FILE; phones get it on their next sync.
    Import {
        /// A codebook as `codebook export` prints it (its version is ignored).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum OrgAction {
    /// A new organization; prints its first admin's one-time sign-in link.
    Create {
        /// The organization's name, as its people will see it.
        name: String,
    },
}

#[derive(Subcommand)]
enum DeviceAction {
    /// Print every device with its enrolment, last sync and revocation times.
    List,
    /// Stop a lost or retired phone from syncing; its past counts stay.
    Revoke {
        /// The device id, as `device list` shows it.
        id: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    start_logging(cli.log_format);
    let location = match db::Location::new(&cli.data_dir, cli.database_url.as_deref()) {
        Ok(location) => location,
        Err(e) => {
            eprintln!("peerpulse-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code_key_file = cli
        .code_key_file
        .unwrap_or_else(|| cli.data_dir.join("code-key"));
    let code_key = match CodeKey::load_or_create(&code_key_file) {
        Ok(key) => key,
        Err(e) => {
            eprintln!("peerpulse-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(cli.command, &location, &code_key, cli.public_url.as_deref()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("peerpulse-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    // Tests and scripts read these lines; a closed stdout must not stop the service.
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

/// The database and the organization `choice` names, for the management commands.
async fn chosen_org(
    location: &db::Location,
    choice: &OrgChoice,
) -> Result<(db::Db, i64), Box<dyn std::error::Error>> {
    let pool = db::open(location).await?;
    let org = orgs::choose(&pool, choice.key.as_deref()).await?;
    Ok((pool, org.id))
}

/// Prints a one-time link that lets the first admin of `org` sign in.
async fn print_admin_link(
    pool: &db::Db,
    org: i64,
    public_url: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let token =
        people::create_link_valid_for(pool, org, Role::Admin, people::FIRST_ADMIN_LINK_TTL).await?;
    say(&format!(
        "Admin sign-in link (one-time, expires in 24 hours): {}/welcome#{token}",
        public_url.trim_end_matches('/')
    ));
    Ok(())
}

async fn run(
    command: Command,
    location: &db::Location,
    code_key: &CodeKey,
    public_url: Option<&str>,
) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        Command::Serve {
            addr,
            static_dir,
            org_name,
            metrics_token,
            instances,
            trusted_proxies,
            forwarded_header,
            dhis2,
        } => {
            let dhis2 = dhis2.server()?;
            // Held until the process ends: no restore replaces the database under it.
            let _lock = match location {
                db::Location::SqliteIn(dir) => Some(backup::DataDirLock::for_service(dir)?.ok_or(
                    "a restore is under way in the data directory: start once it is done",
                )?),
                db::Location::Postgres(_) => None,
            };
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let public_url = public_url
                .map(str::to_owned)
                .unwrap_or_else(|| format!("http://{}", listener.local_addr().map_or(addr, |a| a)));
            let state = AppState::open(location, code_key.clone(), Some(static_dir))
                .await?
                .with_public_url(&public_url)
                .with_metrics_token(metrics_token.as_deref())
                .with_instances(instances)
                .with_trusted_proxies(TrustedProxies {
                    proxies: trusted_proxies,
                    header: forwarded_header,
                })
                .with_dhis2(dhis2);
            if orgs::first(&state.db).await?.is_none() {
                let org = orgs::create(&state.db, &org_name).await?;
                let code =
                    enrolment::create_code(&state.db, code_key, org, enrolment::CODE_TTL).await?;
                say(&format!(
                    "Enrolment code for a phone: {code} (one-time, expires in 7 days)"
                ));
                print_admin_link(&state.db, org, &public_url).await?;
            }
            say(&format!(
                "PeerPulse is running at http://{}",
                listener.local_addr()?
            ));
            serve(listener, state).await?;
        }
        Command::EnrolCode { org } => {
            let (pool, org) = chosen_org(location, &org).await?;
            let code = enrolment::create_code(&pool, code_key, org, enrolment::CODE_TTL).await?;
            audit::record(
                &pool,
                org,
                audit::COMMAND_LINE,
                None,
                &AuditEvent::EnrolmentCodeIssued,
            )
            .await?;
            say(&format!(
                "Enrolment code for a phone: {code} (one-time, expires in 7 days)"
            ));
        }
        Command::Dhis2Send {
            org,
            period,
            dry_run,
            dhis2,
        } => {
            let server = dhis2.server()?.ok_or(Dhis2SettingsError::Incomplete)?;
            let (pool, org) = chosen_org(location, &org).await?;
            let org = orgs::get(&pool, org)
                .await?
                .ok_or("the organization vanished")?;
            let sender = Sender {
                who: audit::COMMAND_LINE,
                address: None,
            };
            let answer = send_report(&pool, &server, &org, period, dry_run, sender).await?;
            say(&format!(
                "{} values for {} to {}.",
                answer.values, answer.period, server.base_url
            ));
            say(&format!("Dry run: {}", answer.dry_run.in_words(true)));
            match &answer.sent {
                Some(sent) => say(&format!("Sent: {}", sent.in_words(false))),
                None if dry_run => say("Nothing was sent: this was a dry run only."),
                None => {
                    return Err("DHIS2 refused the dry run, so nothing was sent.".into());
                }
            }
        }
        Command::Codebook { action, org } => {
            let (pool, org) = chosen_org(location, &org).await?;
            match action {
                CodebookAction::Export => {
                    let current = orgs::get(&pool, org)
                        .await?
                        .ok_or("the organization vanished")?;
                    say(&serde_json::to_string_pretty(&current.codebook)?);
                }
                CodebookAction::Import { file } => {
                    let text = std::fs::read_to_string(&file)
                        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
                    let codebook = serde_json::from_str(&text)
                        .map_err(|e| format!("{} is not a codebook: {e}", file.display()))?;
                    let version = orgs::set_codebook(&pool, org, codebook, None).await?;
                    audit::record(
                        &pool,
                        org,
                        audit::COMMAND_LINE,
                        None,
                        &AuditEvent::CodebookChanged {
                            change: CodebookChange::Import,
                            version,
                        },
                    )
                    .await?;
                    say(&format!(
                        "Codebook version {version} stored: phones get it on their next sync."
                    ));
                }
            }
        }
        Command::Device { action, org } => {
            let (pool, org) = chosen_org(location, &org).await?;
            match action {
                DeviceAction::List => {
                    for d in devices::list(&pool, org).await? {
                        say(&format!(
                            "{}  enrolled {}  last sync {}  {}",
                            d.id,
                            d.enrolled_at,
                            d.last_sync_at.as_deref().unwrap_or("never"),
                            d.revoked_at
                                .map_or_else(String::new, |t| format!("revoked {t}")),
                        ));
                    }
                }
                DeviceAction::Revoke { id } => {
                    if !devices::revoke(&pool, org, &id).await? {
                        return Err(format!("no active device {id}: see `device list`").into());
                    }
                    audit::record(
                        &pool,
                        org,
                        audit::COMMAND_LINE,
                        None,
                        &AuditEvent::PhoneRevoked { phone: id.clone() },
                    )
                    .await?;
                    say(&format!(
                        "Revoked {id}: its later syncs are refused, its past counts stay."
                    ));
                }
            }
        }
        Command::Org {
            action: OrgAction::Create { name },
        } => {
            let name = name.trim();
            if name.is_empty() {
                return Err("give the organization a name".into());
            }
            let pool = db::open(location).await?;
            let org = orgs::create(&pool, name).await?;
            let created = orgs::get(&pool, org)
                .await?
                .ok_or("the organization vanished")?;
            say(&format!(
                "Organization {name} created: its people sign in under the name {}.",
                created.handle
            ));
            print_admin_link(&pool, org, public_url.unwrap_or(DEFAULT_PUBLIC_URL)).await?;
        }
        Command::Backup { file } => {
            backup::backup(location, &file).await?;
            say(&format!(
                "Backed up to {}: keep it apart from the code-key file.",
                file.display()
            ));
        }
        Command::Restore { file } => {
            let replaced = backup::restore(location, &file).await?;
            say(&format!("Restored {}.", file.display()));
            if let Some(replaced) = replaced {
                say(&format!(
                    "The database it replaced is kept as {}.",
                    replaced.display()
                ));
            }
        }
        Command::MigrateTo { postgres_url } => {
            let db::Location::SqliteIn(data_dir) = location else {
                return Err(
                    "migrate-to copies from the SQLite database under --data-dir: unset DATABASE_URL"
                        .into(),
                );
            };
            let copied = migrate_to::migrate_to(data_dir, &postgres_url).await?;
            say("Copied to PostgreSQL, in one transaction:");
            for (table, rows) in &copied {
                say(&format!("  {table}: {rows} rows"));
            }
            say(
                "Start the service with DATABASE_URL set to that URL and the same code-key file \
                 (enrolment codes are stored under it); the SQLite database keeps its rows, as a way back.",
            );
        }
        Command::Settings {
            org,
            edit_window_days,
            threshold,
            keep_phone_rows,
        } => {
            let (pool, org) = chosen_org(location, &org).await?;
            if let Some(days) = edit_window_days {
                let window = EditWindow::new(days)?;
                orgs::set_edit_window(&pool, org, window).await?;
            }
            if let Some(threshold) = threshold {
                orgs::set_threshold(&pool, org, SuppressionThreshold::new(threshold)?).await?;
            }
            if let Some(KeepChoice(keep)) = keep_phone_rows {
                retention::set_keep_phone_rows(&pool, org, keep).await?;
            }
            let current = orgs::get(&pool, org)
                .await?
                .ok_or("the organization vanished")?;
            say(&format!("Organization: {}", current.name));
            say(&format!("Sign-in name: {}", current.handle));
            say(&format!(
                "Edit window: {} days (workers may date, edit or delete entries this far back)",
                current.edit_window.days()
            ));
            say(&format!(
                "Threshold: {} (no published count is smaller; every count is published with a little noise)",
                current.threshold.get()
            ));
            say(&format!("Codebook version: {}", current.codebook.version));
            say(&match current.keep_phone_rows {
                Some(keep) => format!(
                    "Per-phone counts: kept {} months, then folded into the organization's totals",
                    keep.get()
                ),
                None => "Per-phone counts: kept always".to_owned(),
            });
            if let Some(day) = current.closed_through {
                say(&format!("Closed through: {day} (per-phone counts folded)"));
            }
        }
        Command::Fold { org } => {
            let (pool, org) = chosen_org(location, &org).await?;
            match retention::fold(&pool, org, chrono::Utc::now().date_naive()).await? {
                Some(folded) => say(&format!(
                    "Folded {} per-phone rows: days through {} are closed.",
                    folded.rows, folded.closed_through
                )),
                None => say(
                    "This organization keeps per-phone counts always: nothing to fold (see `settings --keep-phone-rows`).",
                ),
            }
        }
    }
    Ok(())
}
