//! `kaigi minutes …`: minutes files read, stored as meetings and written back in the
//! conventional layout.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use kaigi_db::Actor;

use crate::terminal::{emit, emit_bytes, open};

#[derive(clap::Subcommand, Debug)]
pub enum MinutesCommand {
    /// Read a minutes file and print its structure as JSON (exit 0 with warnings; 1 when the
    /// file is not minutes).
    Parse { file: PathBuf },
    /// Store a minutes file as a meeting (one transaction; people matched to the directory).
    Import {
        file: PathBuf,
        /// The meeting series to file it under (default: the series named in the minutes).
        #[arg(long)]
        series: Option<String>,
    },
    /// Write a stored meeting's minutes in the conventional layout.
    Export {
        /// The meeting series.
        #[arg(long)]
        series: String,
        /// The meeting's number in the series.
        #[arg(long)]
        number: i64,
        /// markdown, html or pdf (written to standard output as it is)
        #[arg(long, default_value = "markdown")]
        format: String,
    },
}

/// The most a minutes file may hold: an archive's longest minutes are a few hundred KiB.
const MINUTES_FILE_LIMIT: u64 = 2 * 1024 * 1024;

/// A text file, refused before it is read when it is larger than `limit` bytes.
fn read_text(file: &Path, limit: u64) -> Result<String> {
    let size = std::fs::metadata(file).with_context(|| format!("cannot read {}", file.display()))?.len();
    if size > limit {
        bail!("{}: {size} bytes, more than the {limit} this command reads; nothing was read", file.display());
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    String::from_utf8(bytes)
        .map_err(|e| anyhow!("{}: not UTF-8 text (at byte {})", file.display(), e.utf8_error().valid_up_to()))
}

fn parse_minutes(file: &Path, text: &str) -> Result<kaigi_core::minutes::MinutesDocument> {
    kaigi_core::minutes::parse(text).map_err(|e| anyhow!("{}: {e}", file.display()))
}

fn read_minutes(file: &Path) -> Result<kaigi_core::minutes::MinutesDocument> {
    parse_minutes(file, &read_text(file, MINUTES_FILE_LIMIT)?)
}

pub async fn run(url: &str, command: MinutesCommand) -> Result<()> {
    match command {
        MinutesCommand::Parse { file } => {
            let document = read_minutes(&file)?;
            emit(&format!("{}\n", serde_json::to_string_pretty(&document)?));
            Ok(())
        }
        MinutesCommand::Import { file, series } => {
            let text = read_text(&file, MINUTES_FILE_LIMIT)?;
            let document = parse_minutes(&file, &text)?;
            let db = open(url).await?;
            let target = kaigi_db::minutes::ImportTarget {
                series: series.as_deref(),
                committee: None,
                truncation: kaigi_core::minutes::truncation_signs(&text, &document),
            };
            let report = kaigi_db::minutes::import(&db, &Actor::system("cli"), &document, &target)
                .await
                .with_context(|| format!("{}", file.display()))?;
            emit(&format!("{}\n", serde_json::to_string_pretty(&report)?));
            Ok(())
        }
        MinutesCommand::Export { series, number, format } => {
            let db = open(url).await?;
            let id = kaigi_db::minutes::find(&db, &series, number)
                .await?
                .ok_or_else(|| anyhow!("no meeting {number} in series {series:?}"))?;
            let document = kaigi_db::minutes::document(&db, id).await?;
            match format.as_str() {
                "markdown" | "md" => emit(&kaigi_core::minutes::render_markdown(&document)),
                "html" => emit(&kaigi_web::pages::meetings::minutes_html_document(&document)),
                "pdf" => emit_bytes(&kaigi_web::pdf::minutes_pdf(&document)?),
                other => bail!("--format {other:?}: use markdown, html or pdf"),
            }
            Ok(())
        }
    }
}
