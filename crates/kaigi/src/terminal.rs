//! What every command shares: writing to stdout, failing with an exit code of its own,
//! reading an input file, opening the database.

use std::path::Path;

use anyhow::Result;
use kaigi_db::Db;

/// Writes to stdout; a reader that went away (`| head`) ends the command quietly, not in a panic.
pub(crate) fn emit(text: &str) {
    emit_bytes(text.as_bytes());
}

/// Bytes to standard output as they are (a PDF), with `emit`'s quiet end on a closed pipe.
pub(crate) fn emit_bytes(bytes: &[u8]) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().write_all(bytes)
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// A failure that carries its own exit code (the solvers' CLI contracts).
#[derive(Debug)]
pub struct ExitWith {
    pub code: u8,
    pub message: String,
}

impl std::fmt::Display for ExitWith {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExitWith {}

/// The largest solver input read: an IGF-size instance is a few MiB.
const JSON_INPUT_LIMIT: u64 = 256 * 1024 * 1024;

/// Reads a JSON input file, naming the line and column of a syntax or shape error.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(file: &Path) -> Result<T> {
    let size = std::fs::metadata(file)
        .map_err(|e| ExitWith { code: 2, message: format!("cannot read {}: {e}", file.display()) })?
        .len();
    if size > JSON_INPUT_LIMIT {
        let message = format!("{}: {size} bytes, more than the {JSON_INPUT_LIMIT} an input may hold", file.display());
        return Err(ExitWith { code: 2, message }.into());
    }
    let text = std::fs::read_to_string(file)
        .map_err(|e| ExitWith { code: 2, message: format!("cannot read {}: {e}", file.display()) })?;
    serde_json::from_str(&text).map_err(|e| {
        ExitWith { code: 2, message: format!("{}: line {}, column {}: {e}", file.display(), e.line(), e.column()) }
            .into()
    })
}

pub(crate) async fn open(url: &str) -> Result<Db> {
    let db = Db::connect(url).await?;
    db.migrate().await?;
    Ok(db)
}
