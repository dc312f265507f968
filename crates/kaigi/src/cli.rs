//! The command line: `serve`, `demo`, `migrate`, `backup`, `restore`, `user add`.
//! Every failure is one clear line on stderr and a non-zero exit, never a panic.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use kaigi_core::access::{Grant, Role, Scope};
use kaigi_db::{Actor, Db};
use kaigi_web::{AppState, Config};
use tokio::net::TcpListener;

use crate::calls::CallCommand;
use crate::editions::EditionCommand;
use crate::minutes::MinutesCommand;
pub use crate::terminal::ExitWith;
use crate::terminal::{open, read_json};

#[derive(Parser, Debug)]
#[command(
    name = "kaigi",
    version,
    about = "Runs multistakeholder forums: committees, calls for proposals, evaluation, programme, registration."
)]
pub struct Cli {
    /// Database: a SQLite file path (created if missing) or postgres://user@host/db
    #[arg(long, global = true, env = "KAIGI_DATABASE_URL", default_value = kaigi_db::DEFAULT_DATABASE)]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web interface and the JSON API.
    Serve(ServeArgs),
    /// Fill the database with the demo forum if it is empty, print the URL and logins, and serve.
    Demo {
        #[command(flatten)]
        serve: ServeArgs,
        /// Only fill the database, then exit.
        #[arg(long)]
        no_serve: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Write the whole database to FILE as one JSON archive.
    Backup { file: PathBuf },
    /// Restore a JSON archive written by `kaigi backup` (one transaction).
    Restore {
        file: PathBuf,
        /// Delete everything in the database first (otherwise it must be empty).
        #[arg(long)]
        replace: bool,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Minutes in the conventional Japanese layout.
    #[command(subcommand)]
    Minutes(MinutesCommand),
    /// Assign evaluators to proposals, exactly optimal (JSON in, JSON out; exit 2 for malformed
    /// input, 3 when no assignment exists).
    Assign {
        #[arg(long)]
        input: PathBuf,
    },
    /// Seat roundtable invitees so every table mixes stakeholder groups and regions (JSON in,
    /// JSON out; exit 2 for malformed input, 3 when there are fewer seats than people).
    Seat {
        #[arg(long)]
        input: PathBuf,
        /// How long to search for a better seating.
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
    },
    /// Search minutes, proposals, sessions, people and action items (Japanese and English).
    Search {
        /// What to look for (2 or more characters find every document containing it).
        query: Option<String>,
        /// Print {"total": N, "hits": [{"kind", "id", "title", "snippet", "url"}]}.
        #[arg(long)]
        json: bool,
        /// Only these kinds: minutes, proposal, session, person, action_item (repeatable).
        #[arg(long = "kind")]
        kinds: Vec<String>,
        /// At most this many hits (the total still counts them all).
        #[arg(long)]
        limit: Option<usize>,
        /// Rebuild the index now, and tell every running instance to rebuild too.
        #[arg(long)]
        reindex: bool,
    },
    /// Store a published schedule (frab schedule.xml or .json, or iCalendar) as a new edition,
    /// all or nothing; what was odd in the file is reported on stderr.
    Import {
        file: PathBuf,
        /// The new edition's short name (lower-case letters, digits, '-').
        #[arg(long)]
        edition: String,
    },
    /// Write an edition's published programme (its latest version) to stdout: frab-xml,
    /// frab-json, ical or csv.
    Export {
        format: String,
        /// The edition (default: the only or latest one).
        #[arg(long)]
        edition: Option<String>,
        /// Where links in the export point.
        #[arg(long, env = "KAIGI_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// Timetabling: solve an instance, or turn a published frab schedule into one.
    #[command(subcommand)]
    Schedule(ScheduleCommand),
    /// Editions: create one, and read or store its setup (days, rooms, tracks, themes).
    #[command(subcommand)]
    Edition(EditionCommand),
    /// Calls for proposals in the database: list, screen, assign, progress, results, similar.
    #[command(subcommand)]
    Call(CallCommand),
    /// Registration: categories and onsite places, registering, cancelling, check-in.
    #[command(subcommand)]
    Registration(crate::participation::RegistrationCommand),
    /// Participation statistics: an edition beside others, and past editions' figures from CSV.
    #[command(subcommand)]
    Stats(crate::participation::StatsCommand),
    /// Roundtables: create, invite, seat over rounds, print the chart, read the reports.
    #[command(subcommand)]
    Roundtable(crate::roundtables::RoundtableCommand),
    /// Personal API tokens: create (printed once), list, revoke.
    #[command(subcommand)]
    Token(crate::tokens::TokenCommand),
    /// Aggregate evaluations from a file: weighted scores normalised per evaluator, rankings,
    /// cut-offs and per-criterion statistics (JSON in, JSON out).
    Aggregate {
        #[arg(long)]
        input: PathBuf,
    },
    /// Similar texts from a file of [{"id", "text"}] (JSON in, JSON out: pairs with their score
    /// and shared passages).
    Similar {
        #[arg(long)]
        input: PathBuf,
        #[arg(long, default_value_t = 0.25)]
        threshold: f64,
    },
    /// Print the OpenAPI document of the JSON API.
    Openapi,
}

#[derive(Subcommand, Debug)]
enum ScheduleCommand {
    /// Place sessions into rooms, days and start times (JSON in, JSON out; exit 2 for malformed
    /// input). Remaining violations are explained on stderr.
    Solve {
        #[arg(long)]
        input: PathBuf,
        /// How long to search for a better timetable.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
    /// Print the timetabling instance of a frab schedule.xml or schedule.json (what was odd in
    /// the file goes to stderr).
    FromFrab {
        file: PathBuf,
        /// Also check the published placements against the instance and report on stderr.
        #[arg(long)]
        check_published: bool,
    },
}

#[derive(Args, Debug, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "KAIGI_BIND", default_value = "127.0.0.1")]
    bind: String,
    /// Port to listen on.
    #[arg(long, env = "KAIGI_PORT", default_value_t = 8080)]
    port: u16,
    /// The URL people use to reach kaigi (for links in emails). HTTPS turns on Secure cookies.
    #[arg(long, env = "KAIGI_PUBLIC_URL")]
    public_url: Option<String>,
    /// SMTP server for outgoing mail, e.g. smtps://user:pass@mail.example.org
    #[arg(long, env = "KAIGI_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// Sender of outgoing mail.
    #[arg(long, env = "KAIGI_MAIL_FROM", default_value = "kaigi <noreply@kaigi.invalid>")]
    mail_from: String,
    /// Trust X-Forwarded-For from a load balancer (for login rate limiting).
    #[arg(long, env = "KAIGI_TRUST_PROXY")]
    trust_proxy: bool,
    /// Let webhooks call loopback and private-network addresses (a receiver on this machine
    /// or the local network); by default only public addresses are called.
    #[arg(long, env = "KAIGI_WEBHOOK_PRIVATE_TARGETS")]
    webhook_private_targets: bool,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create an account with a role.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, secretariat, evaluator, organiser, committee-member or participant
        #[arg(long, default_value = "admin")]
        role: String,
        /// The edition (slug) the role applies to, for edition roles.
        #[arg(long)]
        edition: Option<String>,
        /// The committee (id) the role applies to, for committee members.
        #[arg(long)]
        committee: Option<String>,
        /// Read the password from the first line of standard input; otherwise a link to set
        /// it is printed (and queued in the outbox).
        #[arg(long)]
        password_stdin: bool,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,kaigi=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            match e.downcast_ref::<ExitWith>() {
                Some(exit) => ExitCode::from(exit.code),
                None => ExitCode::FAILURE,
            }
        }
    }
}

fn assign(input: &Path) -> Result<()> {
    use kaigi_core::assignment::{AssignError, Instance, solve};
    let instance: Instance = read_json(input)?;
    match solve(&instance) {
        Ok(solution) => {
            outln!("{}", serde_json::to_string(&solution)?);
            Ok(())
        }
        Err(AssignError::Invalid(m)) => Err(ExitWith { code: 2, message: format!("{}: {m}", input.display()) }.into()),
        Err(AssignError::Infeasible(m)) => {
            Err(ExitWith { code: 3, message: format!("no feasible assignment: {m}") }.into())
        }
    }
}

fn seat(input: &Path, seconds: f64) -> Result<()> {
    use kaigi_core::seating::{Instance, SeatError, solve};
    let instance: Instance = read_json(input)?;
    if !(seconds.is_finite() && seconds >= 0.0) {
        return Err(ExitWith { code: 2, message: format!("--seconds {seconds}: not a number of seconds") }.into());
    }
    // A little under the budget: reading, writing and start-up take the rest.
    let budget = std::time::Duration::from_secs_f64((seconds * 0.9).min(3600.0));
    match solve(&instance, budget) {
        Ok(s) => {
            // Whole scores are printed as integers ("score": 12), as the contract shows.
            let score = if s.score.fract() == 0.0 && s.score.abs() < 9.0e15 {
                serde_json::json!(s.score as i64)
            } else {
                serde_json::json!(s.score)
            };
            outln!("{}", serde_json::json!({"seating": s.seating, "unseated": s.unseated, "score": score}));
            Ok(())
        }
        Err(SeatError::Invalid(m)) => Err(ExitWith { code: 2, message: format!("{}: {m}", input.display()) }.into()),
        Err(SeatError::Infeasible(m)) => {
            Err(ExitWith { code: 3, message: format!("cannot seat everyone: {m}") }.into())
        }
    }
}

async fn search(
    url: &str,
    query: Option<&str>,
    json: bool,
    kinds: &[String],
    limit: Option<usize>,
    reindex: bool,
) -> Result<()> {
    use kaigi_core::search::{Filters, Kind};
    let mut filters = Filters::default();
    for k in kinds {
        filters.kinds.push(Kind::parse(k).ok_or_else(|| {
            anyhow!("--kind {k:?}: use minutes, proposal, session, person, action_item or statistics")
        })?);
    }
    let db = open(url).await?;
    if reindex {
        kaigi_db::search::bump_generation(&db).await?;
    }
    let (index, (read, indexed)) = kaigi_db::search::build(&db).await?;
    if reindex {
        eprintln!(
            "indexed {} documents (read in {:.0} ms, indexed in {:.0} ms); running instances rebuild on their next search",
            index.len(),
            read.as_secs_f64() * 1000.0,
            indexed.as_secs_f64() * 1000.0
        );
    }
    let Some(query) = query else {
        if reindex {
            return Ok(());
        }
        bail!("say what to search for: kaigi search QUERY");
    };
    // The command line is the operator's: every document is visible.
    let hits = index.search(query, &filters, |_| true);
    let total = hits.len();
    let shown = &hits[..limit.unwrap_or(total).min(total)];
    if json {
        let list: Vec<serde_json::Value> = shown
            .iter()
            .map(|h| {
                serde_json::json!({
                    "kind": h.document.kind.as_str(),
                    "id": h.document.id,
                    "title": h.document.title,
                    "snippet": h.snippet().plain(),
                    "url": h.document.url,
                })
            })
            .collect();
        outln!("{}", serde_json::json!({"total": total, "hits": list}));
    } else {
        outln!("{total} found");
        for h in shown {
            outln!(
                "[{}] {}  {}\n    {}",
                h.document.kind.as_str(),
                h.document.title,
                h.document.url,
                h.snippet().plain()
            );
        }
    }
    Ok(())
}

fn schedule_solve(input: &Path, seconds: f64) -> Result<()> {
    use kaigi_core::timetable::{Instance, TimetableError, solve};
    let instance: Instance = read_json(input)?;
    if !(seconds.is_finite() && seconds >= 0.0) {
        return Err(ExitWith { code: 2, message: format!("--seconds {seconds}: not a number of seconds") }.into());
    }
    let budget = std::time::Duration::from_secs_f64((seconds * 0.9).min(3600.0));
    match solve(&instance, budget) {
        Ok(solution) => {
            for line in solution.explanations.iter().take(50) {
                eprintln!("{line}");
            }
            if solution.explanations.len() > 50 {
                eprintln!("… and {} more", solution.explanations.len() - 50);
            }
            outln!("{}", solution.to_json());
            Ok(())
        }
        Err(TimetableError::Invalid(m)) => {
            Err(ExitWith { code: 2, message: format!("{}: {m}", input.display()) }.into())
        }
    }
}

fn from_frab(file: &Path, check_published: bool) -> Result<()> {
    let bytes = std::fs::read(file)
        .map_err(|e| ExitWith { code: 2, message: format!("cannot read {}: {e}", file.display()) })?;
    let text = String::from_utf8(bytes).map_err(|e| ExitWith {
        code: 2,
        message: format!("{}: not UTF-8 text (at byte {})", file.display(), e.utf8_error().valid_up_to()),
    })?;
    let schedule = kaigi_core::frab::parse(&text)
        .map_err(|e| ExitWith { code: 2, message: format!("{}: {e}", file.display()) })?;
    let (instance, published, notes) = kaigi_core::frab::to_instance(&schedule);
    for note in schedule.notes.iter().chain(&notes) {
        eprintln!("{}: {note}", file.display());
    }
    if check_published {
        let problem = kaigi_core::timetable::Problem::new(&instance).map_err(|e| anyhow!("{e}"))?;
        let slots = kaigi_core::timetable::slots_from_placements(&problem, &published).map_err(|e| anyhow!("{e}"))?;
        let evaluation = kaigi_core::timetable::evaluate(&problem, &slots);
        eprintln!("published schedule: {}", serde_json::to_string(&evaluation)?);
        for line in kaigi_core::timetable::explain(&problem, &slots) {
            if line.contains("overlap") {
                eprintln!("published schedule: {line}");
            }
        }
    }
    outln!("{}", serde_json::to_string_pretty(&instance)?);
    Ok(())
}

pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Migrate => {
            let db = open(&cli.db).await?;
            outln!("database is at schema version {} ({})", Db::schema_version(), db.backend());
            Ok(())
        }
        Command::Serve(args) => {
            let db = open(&cli.db).await?;
            let listener = bind(&args).await?;
            let url = public_url(&args, &listener)?;
            outln!("kaigi is serving {url}");
            serve(db, &args, listener, url).await
        }
        Command::Demo { serve: args, no_serve } => demo(&cli.db, &args, no_serve).await,
        Command::Backup { file } => backup(&cli.db, &file).await,
        Command::Restore { file, replace } => restore(&cli.db, &file, replace).await,
        Command::Minutes(command) => crate::minutes::run(&cli.db, command).await,
        Command::Assign { input } => assign(&input),
        Command::Seat { input, seconds } => seat(&input, seconds),
        Command::Search { query, json, kinds, limit, reindex } => {
            search(&cli.db, query.as_deref(), json, &kinds, limit, reindex).await
        }
        Command::Import { file, edition } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                anyhow!("{}: not UTF-8 text (at byte {})", file.display(), e.utf8_error().valid_up_to())
            })?;
            let schedule = kaigi_core::frab::parse(&text).map_err(|e| anyhow!("{}: {e}", file.display()))?;
            let db = open(&cli.db).await?;
            let report = kaigi_db::publishing::import_published(&db, &Actor::system("cli"), &schedule, &edition)
                .await
                .with_context(|| format!("{}", file.display()))?;
            for note in &report.notes {
                eprintln!("{}: {note}", file.display());
            }
            outln!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        Command::Export { format, edition, public_url } => {
            let db = open(&cli.db).await?;
            let edition = match edition {
                Some(slug) => kaigi_db::editions::edition_by_slug(&db, &slug)
                    .await?
                    .ok_or_else(|| anyhow!("--edition {slug:?}: no such edition"))?,
                None => kaigi_db::editions::list_editions(&db)
                    .await?
                    .into_iter()
                    .max_by_key(|e| e.starts_on)
                    .ok_or_else(|| anyhow!("there is no edition yet"))?,
            };
            let latest = kaigi_db::publishing::latest(&db, edition.id).await?.ok_or_else(|| {
                anyhow!(
                    "{}: nothing is published yet; publish with: kaigi edition publish {}",
                    edition.slug,
                    edition.slug
                )
            })?;
            let export = kaigi_db::publishing::frab(&latest, &edition, &public_url);
            match format.as_str() {
                "frab-xml" => out!("{}", kaigi_core::frab::write_xml(&export)),
                "frab-json" => outln!("{}", serde_json::to_string_pretty(&kaigi_core::frab::write_json(&export))?),
                "ical" => out!(
                    "{}",
                    kaigi_core::calendar::to_ical(&edition.name, &kaigi_db::programme::calendar_events(&export))
                        .map_err(|e| anyhow!("{e}"))?
                ),
                "csv" => out!("{}", kaigi_db::programme::csv(&export)),
                other => bail!("{other:?}: export frab-xml, frab-json, ical or csv"),
            }
            Ok(())
        }
        Command::Edition(command) => crate::editions::run(&cli.db, command).await,
        Command::Call(command) => crate::calls::run(&cli.db, command).await,
        Command::Registration(command) => crate::participation::registration(&cli.db, command).await,
        Command::Stats(command) => crate::participation::stats(&cli.db, command).await,
        Command::Roundtable(command) => crate::roundtables::run(&cli.db, command).await,
        Command::Token(command) => crate::tokens::run(&cli.db, command).await,
        Command::Aggregate { input } => crate::calls::aggregate_file(&input),
        Command::Similar { input, threshold } => crate::calls::similar_file(&input, threshold),
        Command::Schedule(ScheduleCommand::Solve { input, seconds }) => schedule_solve(&input, seconds),
        Command::Schedule(ScheduleCommand::FromFrab { file, check_published }) => from_frab(&file, check_published),
        Command::Openapi => {
            outln!("{}", serde_json::to_string_pretty(&kaigi_web::openapi_document())?);
            Ok(())
        }
        Command::User(UserCommand::Add { email, name, role, edition, committee, password_stdin }) => {
            add_user(&cli.db, &email, &name, &role, edition.as_deref(), committee.as_deref(), password_stdin).await
        }
    }
}

async fn bind(args: &ServeArgs) -> Result<TcpListener> {
    let address = format!("{}:{}", args.bind, args.port);
    let address: SocketAddr =
        address.parse().with_context(|| format!("--bind {:?} is not an IP address", args.bind))?;
    TcpListener::bind(address).await.map_err(|e| anyhow!("cannot listen on {address}: {e}"))
}

fn public_url(args: &ServeArgs, listener: &TcpListener) -> Result<String> {
    if let Some(url) = &args.public_url {
        return Ok(url.trim_end_matches('/').to_owned());
    }
    let local = listener.local_addr()?;
    let host = if local.ip().is_unspecified() { "127.0.0.1".to_owned() } else { local.ip().to_string() };
    Ok(format!("http://{host}:{}", local.port()))
}

async fn serve(db: Db, args: &ServeArgs, listener: TcpListener, url: String) -> Result<()> {
    let config = Config {
        secure_cookies: url.starts_with("https://"),
        public_url: url,
        smtp_url: args.smtp_url.clone(),
        mail_from: args.mail_from.clone(),
        trust_proxy: args.trust_proxy,
        solver_budget: None,
        webhook_private_targets: args.webhook_private_targets,
    };
    let state = AppState::new(db, config).await?;
    // Said at start-up so a missing font is known before anyone asks for minutes as PDF; read
    // off the serving path (a font folder can be large).
    tokio::task::spawn_blocking(|| match kaigi_web::pdf::check_font() {
        Ok(font) => tracing::info!(%font, "PDF minutes are typeset in this Japanese font"),
        Err(e) => eprintln!("warning: {e}"),
    });
    kaigi_web::serve(listener, state).await.context("the server stopped")
}

async fn demo(url: &str, args: &ServeArgs, no_serve: bool) -> Result<()> {
    let db = open(url).await?;
    // Bind first: a port in use is reported before anything is written.
    let listener = if no_serve { None } else { Some(bind(args).await?) };
    let summary = if kaigi_db::demo::is_empty(&db).await? {
        let forum = kaigi_core::demo::generate(2026);
        Some(kaigi_db::demo::seed(&db, &forum).await?)
    } else {
        None
    };
    let mut out = std::io::stdout().lock();
    match &summary {
        Some(s) => writeln!(out, "kaigi demo: created the demo forum {} in {url}", s.edition_slug)?,
        None => writeln!(out, "kaigi demo: {url} already holds data; serving it as it is")?,
    }
    let Some(listener) = listener else {
        return Ok(());
    };
    let public = public_url(args, &listener)?;
    writeln!(out, "\n  Open {public}/\n")?;
    writeln!(out, "  Demo sign-ins (password: {}):", kaigi_core::demo::DEMO_PASSWORD)?;
    for (email, role) in demo_logins() {
        writeln!(out, "    {email:<36} {role}")?;
    }
    writeln!(out, "\n  Stop with Ctrl-C.")?;
    drop(out);
    serve(db, args, listener, public).await
}

/// The sign-ins the demo creates (evaluators 01–40 all work; one is shown).
fn demo_logins() -> Vec<(String, &'static str)> {
    let forum = kaigi_core::demo::generate(2026);
    forum
        .accounts
        .iter()
        .filter(|a| !a.email.starts_with("evaluator") || a.email == "evaluator01@kaigi.example")
        .map(|a| {
            let label = match a.role {
                Role::Admin => "administrator and secretariat",
                Role::Secretariat => "secretariat of the demo edition",
                Role::Evaluator => "evaluator (also evaluator02 … evaluator40)",
                Role::Organiser => "session organiser",
                Role::CommitteeMember => "committee member",
                Role::Participant => "participant",
            };
            (a.email.clone(), label)
        })
        .collect()
}

async fn backup(url: &str, file: &Path) -> Result<()> {
    let db = open(url).await?;
    let archive = kaigi_db::backup::dump(&db).await?;
    let rows: usize = archive.tables.iter().map(|t| t.rows.len()).sum();
    // Written next to the target and renamed, so a failed backup never leaves half a file.
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{}.partial", file.file_name().and_then(|n| n.to_str()).unwrap_or("backup")));
    {
        let f = std::fs::File::create(&temp).with_context(|| format!("cannot write {}", temp.display()))?;
        let mut w = std::io::BufWriter::new(f);
        serde_json::to_writer(&mut w, &archive).context("cannot write the archive")?;
        w.flush()?;
    }
    std::fs::rename(&temp, file).with_context(|| format!("cannot write {}", file.display()))?;
    outln!("wrote {} ({} tables, {rows} rows)", file.display(), archive.tables.len());
    Ok(())
}

async fn restore(url: &str, file: &Path, replace: bool) -> Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let archive = kaigi_db::backup::parse(&text).with_context(|| format!("{}", file.display()))?;
    kaigi_db::backup::check(&archive).with_context(|| format!("{}", file.display()))?;
    let db = open(url).await?;
    kaigi_db::backup::restore(&db, &archive, replace).await.with_context(|| format!("restoring {}", file.display()))?;
    let rows: usize = archive.tables.iter().map(|t| t.rows.len()).sum();
    outln!("restored {} ({rows} rows) into {}", file.display(), db.backend());
    Ok(())
}

async fn add_user(
    url: &str,
    email: &str,
    name: &str,
    role: &str,
    edition: Option<&str>,
    committee: Option<&str>,
    password_stdin: bool,
) -> Result<()> {
    let db = open(url).await?;
    let role: Role = role.parse()?;
    let scope = match (role, edition, committee) {
        (Role::Admin, None, None) => Scope::Global,
        (Role::Admin, _, _) => bail!("--role admin is site-wide: drop --edition and --committee"),
        (Role::CommitteeMember, _, Some(id)) => {
            let id = uuid::Uuid::parse_str(id).context("--committee: not a committee id")?;
            kaigi_db::editions::committee(&db, id).await?.ok_or_else(|| anyhow!("--committee: no committee {id}"))?;
            Scope::Committee(id.to_string())
        }
        (Role::CommitteeMember, _, None) => bail!("--role committee-member needs --committee ID"),
        (_, Some(slug), _) => {
            let e = kaigi_db::editions::edition_by_slug(&db, slug)
                .await?
                .ok_or_else(|| anyhow!("--edition: no edition {slug:?}"))?;
            Scope::Edition(e.id.to_string())
        }
        (_, None, _) => bail!("--role {role} needs --edition SLUG"),
    };
    let hash = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        Some(tokio::task::spawn_blocking(move || kaigi_db::accounts::hash_password(&password)).await??)
    } else {
        None
    };
    let actor = Actor::system("cli");
    let mut tx = db.begin().await?;
    let user = kaigi_db::accounts::create_user(&mut tx, &actor, email, name, hash.as_deref(), None).await?;
    let grant = Grant::new(role, scope).map_err(|p| anyhow!(p.english))?;
    kaigi_db::accounts::grant(&mut tx, &actor, user, &grant).await?;
    let link = if hash.is_none() {
        let token = kaigi_db::accounts::create_password_reset(&mut tx, user).await?;
        let base = std::env::var("KAIGI_PUBLIC_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
        let link = format!("{}/password/reset/{token}", base.trim_end_matches('/'));
        kaigi_db::outbox::enqueue(
            &mut tx,
            email,
            "Set your kaigi password / kaigi パスワードの設定",
            &format!("{link}\n"),
        )
        .await?;
        Some(link)
    } else {
        None
    };
    tx.commit().await?;
    outln!("created {email} as {role}");
    if let Some(link) = link {
        outln!("set the password within two hours at {link}");
    }
    Ok(())
}
