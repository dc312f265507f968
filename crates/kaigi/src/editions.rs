//! `kaigi edition …`: editions created, their setup read and stored, their programme published
//! in versions.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use kaigi_db::Actor;

use crate::terminal::{ExitWith, open, read_json};

#[derive(clap::Subcommand, Debug)]
pub enum EditionCommand {
    /// Create an edition with one day per date (09:00–18:00), to be set up afterwards.
    Create {
        /// Short name in addresses (lower-case letters, digits, '-').
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        name_ja: Option<String>,
        /// IANA time zone, e.g. Asia/Tokyo.
        #[arg(long)]
        timezone: String,
        #[arg(long)]
        venue: Option<String>,
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        to: String,
    },
    /// Print the edition's setup as JSON; with --file, store the file's setup instead (one
    /// transaction; refused if the setup changed since the file's "version", or if it removes
    /// a day, room, track or theme still in use).
    Setup {
        slug: String,
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Publish the draft programme as the next version (what changed since the last version
    /// goes to stdout); with --dry-run, only say what would change.
    Publish {
        slug: String,
        /// A note to the public, in English.
        #[arg(long, default_value = "")]
        note: String,
        /// The same note in Japanese.
        #[arg(long, default_value = "")]
        note_ja: String,
        #[arg(long)]
        dry_run: bool,
    },
    /// Every published version with its changes, as JSON (the newest first).
    Versions { slug: String },
}

pub async fn run(url: &str, command: EditionCommand) -> Result<()> {
    let date = |flag: &str, text: &str| {
        time::Date::parse(text.trim(), time::macros::format_description!("[year]-[month]-[day]"))
            .map_err(|_| ExitWith { code: 2, message: format!("{flag} {text:?}: expected a date as YYYY-MM-DD") })
    };
    match command {
        EditionCommand::Create { slug, name, name_ja, timezone, venue, from, to } => {
            let new = kaigi_db::setup::NewEdition {
                starts_on: date("--from", &from)?,
                ends_on: date("--to", &to)?,
                slug,
                name,
                name_ja,
                timezone,
                venue,
            };
            let db = open(url).await?;
            kaigi_db::setup::create_edition(&db, &Actor::system("cli"), &new).await?;
            outln!(
                "created the edition {}; set it up with: kaigi edition setup {} --file SETUP.json",
                new.slug,
                new.slug
            );
            Ok(())
        }
        EditionCommand::Publish { slug, note, note_ja, dry_run } => {
            let db = open(url).await?;
            let edition = kaigi_db::editions::edition_by_slug(&db, &slug)
                .await?
                .ok_or_else(|| anyhow!("{slug:?}: no such edition"))?;
            let preview = kaigi_db::publishing::preview(&db, edition.id).await?;
            for change in &preview.changes {
                outln!("{}", serde_json::to_string(change)?);
            }
            let counts = kaigi_core::publishing::counts(&preview.changes);
            let counted = counts.iter().map(|(code, n)| format!("{n} {code}")).collect::<Vec<_>>().join(", ");
            if dry_run {
                eprintln!(
                    "version {} would change: {}",
                    preview.next,
                    if counted.is_empty() { "nothing" } else { &counted }
                );
                return Ok(());
            }
            let note = kaigi_db::publishing::Note { en: note, ja: note_ja };
            let version = kaigi_db::publishing::publish(
                &db,
                &Actor::system("cli"),
                edition.id,
                Some(preview.draft_version),
                &note,
            )
            .await?;
            eprintln!(
                "published version {} of {slug}: {}",
                version.number,
                if counted.is_empty() { "no changes" } else { &counted }
            );
            Ok(())
        }
        EditionCommand::Versions { slug } => {
            let db = open(url).await?;
            let edition = kaigi_db::editions::edition_by_slug(&db, &slug)
                .await?
                .ok_or_else(|| anyhow!("{slug:?}: no such edition"))?;
            let versions = kaigi_db::publishing::versions(&db, edition.id).await?;
            outln!("{}", serde_json::to_string_pretty(&versions)?);
            Ok(())
        }
        EditionCommand::Setup { slug, file } => {
            let db = open(url).await?;
            let edition = kaigi_db::editions::edition_by_slug(&db, &slug)
                .await?
                .ok_or_else(|| anyhow!("{slug:?}: no such edition"))?;
            let Some(file) = file else {
                outln!("{}", serde_json::to_string_pretty(&kaigi_db::setup::load(&db, edition.id).await?)?);
                return Ok(());
            };
            let setup: kaigi_core::setup::EditionSetup = read_json(&file)?;
            if let Err(errors) = setup.check() {
                let lines: Vec<String> = errors.iter().map(|e| format!("{}: {e}", file.display())).collect();
                return Err(ExitWith { code: 2, message: lines.join("\n") }.into());
            }
            let version = kaigi_db::setup::store(&db, &Actor::system("cli"), edition.id, &setup)
                .await
                .with_context(|| format!("{}", file.display()))?;
            outln!("stored the setup of {slug} (setup version {version})");
            Ok(())
        }
    }
}
