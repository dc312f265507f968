//! `kaigi-bench`: the measurements recorded in BENCHMARKS.md, each against a reference
//! measured in the same run. A binary of its own, so the product binary carries no load
//! generator; the HTTP measurements start the `kaigi` binary built beside this one.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;

#[derive(Parser, Debug)]
#[command(name = "kaigi-bench", version, about = "kaigi's benchmarks (BENCHMARKS.md)")]
struct Cli {
    /// Database for `http`: a SQLite file path or postgres://user@host/db (default: a fresh
    /// SQLite file filled with the demo forum).
    #[arg(long, global = true, env = "KAIGI_DATABASE_URL")]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Cold start, memory, and a page under load beside a static file server serving the same bytes.
    Http {
        /// Concurrent keep-alive connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Seconds of load per server.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// The page to load.
        #[arg(long, default_value = "/")]
        path: String,
    },
    /// The exact evaluator assignment on an IGF-sized call, beside a textbook min-cost flow.
    Assign {
        #[arg(long, default_value_t = 3000)]
        proposals: usize,
        #[arg(long, default_value_t = 100)]
        evaluators: usize,
        #[arg(long, default_value_t = 3)]
        per_proposal: usize,
        /// Size of the call on which the textbook solver runs for the comparison.
        #[arg(long, default_value_t = 600)]
        reference_proposals: usize,
    },
    /// A registration rush: N people registering at once for fewer onsite places than people,
    /// on SQLite and (with --postgres URL) PostgreSQL, beside the same number of minimal write
    /// transactions; checks that nobody was overbooked.
    Register {
        #[arg(long, default_value_t = 10_000)]
        participants: usize,
        /// Requests in flight at once.
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// A PostgreSQL URL to run on as well (a schema is made for the run and dropped after).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Roundtable seating at the size of the WSIS+20 ministerial roundtable, against its lower bound.
    Seat {
        #[arg(long, default_value_t = 20)]
        instances: u64,
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
    },
    /// The timetabler on IGF-sized editions, against exhaustive search, and on real schedules.
    Schedule {
        #[arg(long, default_value_t = 5)]
        instances: u64,
        #[arg(long, default_value_t = 2.0)]
        seconds: f64,
        /// Published frab schedules to re-timetable.
        #[arg(long = "frab")]
        schedules: Vec<PathBuf>,
        #[arg(long, default_value_t = 10.0)]
        real_seconds: f64,
    },
    /// The search index on 20,000 mixed-language documents against a substring scan.
    Search {
        #[arg(long, default_value_t = 20_000)]
        documents: usize,
        #[arg(long, default_value_t = 500)]
        queries: usize,
    },
    /// Concurrent sign-ins against the abuse limits and the cap on password hashes, with the
    /// server's memory (BENCHMARKS.md).
    SignIn {
        #[arg(long, default_value_t = 50)]
        attempts: usize,
    },
    /// The reference static file server (started by `kaigi-bench http`).
    #[command(hide = true)]
    StaticServer {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        port: u16,
        /// Serve index.html from memory for every path.
        #[arg(long)]
        memory: bool,
    },
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Http { connections, seconds, path } => {
            bench::run(bench::HttpBench { db: cli.db, connections, seconds, path }).await
        }
        Command::Assign { proposals, evaluators, per_proposal, reference_proposals } => {
            bench::assign(proposals, evaluators, per_proposal, reference_proposals)
        }
        Command::Seat { instances, seconds } => bench::seat(instances, seconds),
        Command::Register { participants, concurrency, postgres } => {
            bench::register(participants, concurrency, postgres).await
        }
        Command::Search { documents, queries } => bench::search(documents, queries),
        Command::SignIn { attempts } => bench::sign_in(attempts).await,
        Command::Schedule { instances, seconds, schedules, real_seconds } => {
            bench::schedule(instances, seconds, &schedules, real_seconds)
        }
        Command::StaticServer { dir, port, memory } => bench::static_server(&dir, port, memory).await,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
            ExitCode::FAILURE
        }
    }
}
