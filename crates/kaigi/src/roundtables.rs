//! `kaigi roundtable …`: roundtables in the database from the command line (the solver on
//! files is `kaigi seat`).

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use clap::Subcommand;
use kaigi_core::roundtable::{Theme, seed_themes};
use kaigi_db::roundtables::{self, RoundtableInput};
use kaigi_db::{Actor, Db};
use uuid::Uuid;

use crate::terminal::{emit, open};

fn line(text: impl AsRef<str>) {
    emit(&format!("{}\n", text.as_ref()));
}

#[derive(Subcommand, Debug)]
pub enum RoundtableCommand {
    /// The edition's roundtables.
    List { edition: String },
    /// Create a roundtable; without --theme, the seed's six report-out themes.
    Create {
        edition: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        name_ja: Option<String>,
        #[arg(long)]
        tables: i64,
        #[arg(long)]
        seats: i64,
        #[arg(long, default_value_t = 2)]
        rounds: i64,
        /// "English | 日本語" (repeatable).
        #[arg(long = "theme")]
        themes: Vec<String>,
    },
    /// Invite people from a file: one per line, an email or a name as in the directory,
    /// "| N" to pin to table N. All lines or none.
    Invite {
        roundtable: String,
        #[arg(long)]
        file: PathBuf,
    },
    /// Seat everyone in every round and store it.
    Seat {
        roundtable: String,
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
    },
    /// The seating chart as text: round, table, people (rapporteur marked *).
    Chart { roundtable: String },
    /// The tables' reports, by theme.
    Reports { roundtable: String },
}

async fn roundtable(db: &Db, id: &str) -> Result<roundtables::Roundtable> {
    let uuid =
        Uuid::parse_str(id.trim()).map_err(|_| anyhow!("{id:?} is not a roundtable id (see kaigi roundtable list)"))?;
    roundtables::get(db, uuid).await?.ok_or_else(|| anyhow!("no roundtable {id}"))
}

pub async fn run(url: &str, command: RoundtableCommand) -> Result<()> {
    let db = open(url).await?;
    let actor = Actor::system("cli");
    match command {
        RoundtableCommand::List { edition } => {
            let e = kaigi_db::editions::edition_by_slug(&db, &edition)
                .await?
                .ok_or_else(|| anyhow!("no edition {edition:?}"))?;
            for rt in roundtables::of_edition(&db, e.id).await? {
                let invited = roundtables::invitees(&db, rt.id).await?.len();
                line(format!(
                    "{}\t{}\t{} tables × {} seats, {} rounds, {invited} invited",
                    rt.id, rt.name, rt.tables, rt.seats, rt.rounds
                ));
            }
        }
        RoundtableCommand::Create { edition, name, name_ja, tables, seats, rounds, themes } => {
            let e = kaigi_db::editions::edition_by_slug(&db, &edition)
                .await?
                .ok_or_else(|| anyhow!("no edition {edition:?}"))?;
            let themes = if themes.is_empty() {
                seed_themes()
            } else {
                themes
                    .iter()
                    .map(|t| match t.split_once('|') {
                        Some((en, ja)) => Theme { name: en.trim().into(), name_ja: Some(ja.trim().into()) },
                        None => Theme { name: t.trim().into(), name_ja: None },
                    })
                    .collect()
            };
            let id = roundtables::create(
                &db,
                &actor,
                e.id,
                &RoundtableInput { name, name_ja, tables, seats, rounds, themes },
            )
            .await?;
            line(id.to_string());
        }
        RoundtableCommand::Invite { roundtable: id, file } => {
            let rt = roundtable(&db, &id).await?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let people = roundtables::resolve_list(&db, &text).await.map_err(|e| anyhow!("{}: {e}", file.display()))?;
            roundtables::invite_many(&db, &actor, &rt, &people).await?;
            line(format!("invited {}", people.len()));
        }
        RoundtableCommand::Seat { roundtable: id, seconds } => {
            let rt = roundtable(&db, &id).await?;
            if !(seconds.is_finite() && seconds >= 0.0) {
                return Err(anyhow!("--seconds {seconds}: not a number of seconds"));
            }
            let budget = std::time::Duration::from_secs_f64(seconds.min(60.0) / rt.rounds.max(1) as f64);
            let seated = roundtables::seat(&db, &actor, rt.id, rt.version, budget).await?;
            for (i, (score, again)) in seated.rounds.iter().enumerate() {
                line(format!("round {}: score {score}, {again} pairs meeting again", i + 1));
            }
        }
        RoundtableCommand::Chart { roundtable: id } => {
            let rt = roundtable(&db, &id).await?;
            for s in roundtables::seats(&db, rt.id).await? {
                line(format!(
                    "{}\t{}\t{}{}\t{}\t{}",
                    s.round,
                    s.table_number,
                    if s.rapporteur { "*" } else { "" },
                    s.display_name,
                    s.stakeholder_group.unwrap_or_default(),
                    s.un_region.unwrap_or_default()
                ));
            }
        }
        RoundtableCommand::Reports { roundtable: id } => {
            let rt = roundtable(&db, &id).await?;
            let reports = roundtables::reports(&db, rt.id).await?;
            for theme in &rt.themes {
                line(format!("# {}", theme.name));
                for r in reports.iter().filter(|r| r.theme == theme.name) {
                    line(format!("round {} table {}: {}", r.round, r.table_number, r.body));
                }
            }
        }
    }
    Ok(())
}
