//! Minutes as PDF, typeset in-process by Typst with a Japanese font read from disk (Debian's
//! fonts-ipaexfont by default, or KAIGI_PDF_FONT). Without the font kaigi says so instead of
//! printing empty boxes.

use std::sync::OnceLock;

use kaigi_core::minutes::MinutesDocument;
use typst::foundations::{Array, Dict, IntoValue, Value};
use typst_as_lib::TypstEngine;
use typst_as_lib::TypstTemplateMainFile;
use typst_layout::PagedDocument;

const TEMPLATE: &str = include_str!("../templates/minutes.typ");
pub const DEFAULT_FONT: &str = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "PDF needs a Japanese font: {path} cannot be read ({reason}); install Debian's fonts-ipaexfont or set KAIGI_PDF_FONT"
    )]
    NoFont { path: String, reason: String },
    #[error("typesetting the minutes failed: {0}")]
    Typeset(String),
}

fn engine() -> Result<&'static TypstEngine<TypstTemplateMainFile>, PdfError> {
    static ENGINE: OnceLock<Result<TypstEngine<TypstTemplateMainFile>, PdfError>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let path = std::env::var("KAIGI_PDF_FONT").unwrap_or_else(|_| DEFAULT_FONT.to_owned());
            let font = load_font(&path)?;
            Ok(TypstEngine::builder().main_file(TEMPLATE).fonts([font]).build())
        })
        .as_ref()
        .map_err(|e| match e {
            PdfError::NoFont { path, reason } => PdfError::NoFont { path: path.clone(), reason: reason.clone() },
            PdfError::Typeset(m) => PdfError::Typeset(m.clone()),
        })
}

fn load_font(path: &str) -> Result<Vec<u8>, PdfError> {
    std::fs::read(path).map_err(|e| PdfError::NoFont { path: path.to_owned(), reason: e.to_string() })
}

fn text(s: impl Into<String>) -> Value {
    s.into().into_value()
}

fn list(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| text(s.clone())).collect::<Array>())
}

fn inputs(doc: &MinutesDocument) -> Dict {
    let mut d = Dict::new();
    let title = format!("{}第 {} 回会合", doc.series.clone().unwrap_or_default(), doc.number.unwrap_or_default());
    let markdown = kaigi_core::minutes::render_markdown(doc);
    // The first lines of the Markdown layout already say date, time and venue as the reader expects.
    let line_after =
        |key: &str| markdown.lines().find_map(|l| l.strip_prefix(key)).map(|v| v.trim().to_owned()).unwrap_or_default();
    d.insert("title".into(), text(title));
    d.insert("when".into(), text(line_after("開催日時：")));
    d.insert("venue".into(), text(line_after("開催場所：")));
    d.insert("hosts".into(), list(&doc.hosts));
    let rows = doc.participants.len().div_ceil(2);
    let (left, right) = doc.participants.split_at(rows);
    let table: Array = left
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let r = right.get(i);
            let cells = [
                l.family.clone(),
                l.given.clone(),
                l.affiliation.clone(),
                r.map(|p| p.family.clone()).unwrap_or_default(),
                r.map(|p| p.given.clone()).unwrap_or_default(),
                r.map(|p| p.affiliation.clone()).unwrap_or_default(),
            ];
            Value::Array(cells.into_iter().map(text).collect::<Array>())
        })
        .collect();
    d.insert("participants".into(), Value::Array(table));
    d.insert("count".into(), text(format!("{} 名", doc.stated_count.unwrap_or(doc.participants.len() as i64))));
    d.insert("chair".into(), text(doc.chair.clone().unwrap_or_default()));
    d.insert("minute_taker".into(), text(doc.minute_taker.clone().unwrap_or_default()));
    d.insert("materials".into(), list(&doc.materials));
    let items: Array = doc
        .items
        .iter()
        .map(|item| {
            let mut i = Dict::new();
            let heading = match item.timebox_min {
                Some(t) => format!("{}. {} [{t} 分]", item.number, item.title),
                None => format!("{}. {}", item.number, item.title),
            };
            i.insert("heading".into(), text(heading));
            i.insert("body".into(), text(item.body.clone()));
            Value::Dict(i)
        })
        .collect();
    d.insert("items".into(), Value::Array(items));
    d
}

/// The minutes as a PDF file.
pub fn minutes_pdf(doc: &MinutesDocument) -> Result<Vec<u8>, PdfError> {
    let engine = engine()?;
    let typeset: PagedDocument =
        engine.compile_with_input(inputs(doc)).output.map_err(|e| PdfError::Typeset(format!("{e:?}")))?;
    typst_pdf::pdf(&typeset, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError::Typeset(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_font_is_named_in_the_error() {
        let err = load_font("/nonexistent/ipaexg.ttf").unwrap_err();
        assert!(
            err.to_string().contains("fonts-ipaexfont") && err.to_string().contains("/nonexistent/ipaexg.ttf"),
            "{err}"
        );
    }
}
