//! Minutes as PDF, typeset in-process by Typst in the conventional layout: a Japanese font
//! read from disk (`font`: KAIGI_PDF_FONT, else one found on the system), each item's Markdown
//! as Typst markup (`markup`). Without a font kaigi says so instead of printing empty boxes.

mod font;
mod markup;

use std::sync::OnceLock;

use kaigi_core::minutes::MinutesDocument;
use typst::foundations::{Array, Dict, IntoValue, Value};
use typst_as_lib::TypstEngine;
use typst_as_lib::TypstTemplateMainFile;
use typst_layout::PagedDocument;

pub use font::{FontError, JapaneseFont, find_font};
pub use markup::markdown_to_typst;

const TEMPLATE: &str = include_str!("../../templates/minutes.typ");

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    NoFont(#[from] FontError),
    #[error("typesetting the minutes failed: {0}")]
    Typeset(String),
}

/// Typst with the template and one Japanese font loaded.
pub struct Typesetter {
    engine: TypstEngine<TypstTemplateMainFile>,
    family: String,
    path: std::path::PathBuf,
}

impl Typesetter {
    pub fn new(font: font::JapaneseFont) -> Self {
        let engine = TypstEngine::builder().main_file(TEMPLATE).fonts(font.faces).build();
        Typesetter { engine, family: font.family, path: font.path }
    }

    fn typeset(&self, doc: &MinutesDocument) -> Result<PagedDocument, PdfError> {
        self.engine
            .compile_with_input(inputs(doc, &self.family))
            .output
            .map_err(|e| PdfError::Typeset(format!("{e:?}")))
    }

    /// The minutes as a PDF file.
    pub fn minutes(&self, doc: &MinutesDocument) -> Result<Vec<u8>, PdfError> {
        let typeset = self.typeset(doc)?;
        typst_pdf::pdf(&typeset, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError::Typeset(format!("{e:?}")))
    }
}

/// The engine, built once per process with the font found.
fn typesetter() -> Result<&'static Typesetter, FontError> {
    static TYPESETTER: OnceLock<Result<Typesetter, FontError>> = OnceLock::new();
    TYPESETTER.get_or_init(|| font::system().map(Typesetter::new)).as_ref().map_err(Clone::clone)
}

/// Which Japanese font the PDF minutes use on this machine, said at start-up so a missing
/// font is known before anyone asks for a PDF: `Ok("IPAexGothic (path)")` or the error that
/// says what to install. It builds the process's one typesetter, so the font is read once.
pub fn check_font() -> Result<String, FontError> {
    typesetter().map(|t| format!("{} ({})", t.family, t.path.display()))
}

fn text(s: impl Into<String>) -> Value {
    s.into().into_value()
}

fn list(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| text(s.clone())).collect::<Array>())
}

fn inputs(doc: &MinutesDocument, family: &str) -> Dict {
    let mut d = Dict::new();
    d.insert("font".into(), text(family));
    let title = format!("{}第 {} 回会合", doc.series.clone().unwrap_or_default(), doc.number.unwrap_or_default());
    let markdown = kaigi_core::minutes::render_markdown(doc);
    // The first lines of the Markdown layout already say date, time and venue as the reader expects.
    let line_after =
        |key: &str| markdown.lines().find_map(|l| l.strip_prefix(key)).map(|v| v.trim().to_owned()).unwrap_or_default();
    d.insert("title".into(), text(title));
    d.insert("when".into(), text(line_after("開催日時：")));
    d.insert("venue".into(), text(line_after("開催場所：")));
    d.insert("hosts".into(), list(&doc.hosts));
    let participants: Array = doc
        .participants
        .iter()
        .map(|p| {
            let cells = [p.family.clone(), p.given.clone(), p.affiliation.clone()];
            Value::Array(cells.into_iter().map(text).collect::<Array>())
        })
        .collect();
    d.insert("participants".into(), Value::Array(participants));
    d.insert("count".into(), text(format!("{} 名", doc.stated_count.unwrap_or(doc.participants.len() as i64))));
    d.insert("chair".into(), text(doc.chair.clone().unwrap_or_default()));
    d.insert("minute_taker".into(), text(doc.minute_taker.clone().unwrap_or_default()));
    d.insert("materials".into(), list(&doc.materials));
    let items: Array = kaigi_core::minutes::export_items(doc)
        .iter()
        .map(|item| {
            let mut i = Dict::new();
            let heading = match item.timebox_min {
                Some(t) => format!("{}. {} [{t} 分]", item.number, item.title),
                None => format!("{}. {}", item.number, item.title),
            };
            i.insert("heading".into(), text(heading));
            i.insert("body".into(), text(markdown_to_typst(&item.body)));
            Value::Dict(i)
        })
        .collect();
    d.insert("items".into(), Value::Array(items));
    d
}

/// The minutes as a PDF file, in the font this machine has.
pub fn minutes_pdf(doc: &MinutesDocument) -> Result<Vec<u8>, PdfError> {
    typesetter()?.minutes(doc)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use kaigi_core::minutes::{AgendaItem, MinutesDocument};
    use proptest::prelude::*;

    use super::*;

    /// A typesetter without glyphs: enough to know the markup compiles.
    fn bare() -> Typesetter {
        Typesetter::new(JapaneseFont { family: "none".into(), path: PathBuf::new(), faces: Vec::new() })
    }

    fn with_body(body: &str) -> MinutesDocument {
        MinutesDocument {
            number: Some(1),
            items: vec![AgendaItem {
                number: "1".into(), title: "議題".into(), timebox_min: None, body: body.into()
            }],
            ..MinutesDocument::default()
        }
    }

    #[test]
    fn typst_code_in_the_minutes_is_printed_not_run() {
        let doc = with_body("#pagebreak() #pagebreak()\n\n```\n#pagebreak()\n```\n`#pagebreak()` <sup>#pagebreak()");
        let typeset = bare().typeset(&doc).expect("typesets");
        assert_eq!(typeset.pages().len(), 1);
    }

    #[test]
    fn noto_cjk_alone_is_found_and_typesets_the_sample() {
        let dir = PathBuf::from("/usr/share/fonts/opentype/noto");
        let font = find_font(None, &[], std::slice::from_ref(&dir))
            .expect("Debian's fonts-noto-cjk (installed by .ci/run) holds a Japanese face");
        assert_eq!(font.family, "Noto Sans CJK JP");
        assert!(font.faces.len() >= 2, "the bold beside the regular: {}", font.faces.len());
        let sample = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/samples/minutes-sample-ja.md"
        ))
        .expect("the sample minutes");
        let doc = kaigi_core::minutes::parse(&sample).expect("parses");
        let pdf = Typesetter::new(font).minutes(&doc).expect("typesets");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.windows(11).any(|w| w == b"NotoSansCJK"), "the font is embedded");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn any_text_in_an_item_typesets(body in "[-#*_`$<>@=+/~'\"\\\\\\[\\](){}|:.!?,;a-z0-9 \n\t\u{3042}-\u{3093}]{0,160}") {
            let typeset = bare().typeset(&with_body(&body));
            prop_assert!(typeset.is_ok(), "{:?}\n{}", typeset.err(), markdown_to_typst(&body));
        }

        #[test]
        fn any_unicode_in_an_item_typesets(body in "\\PC{0,120}") {
            let typeset = bare().typeset(&with_body(&body));
            prop_assert!(typeset.is_ok(), "{:?}\n{}", typeset.err(), markdown_to_typst(&body));
        }
    }
}
