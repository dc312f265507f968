//! The Japanese font the minutes are typeset in: the one KAIGI_PDF_FONT names, else the first
//! Japanese font found on the system. Fonts are passed to Typst as bytes (no fontconfig): the
//! well-known Debian files are tried first (IPAex, Noto CJK, Takao, VL), then every font file
//! under the usual directories is asked whether it has kana and kanji.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::Font;

/// Known Japanese fonts, best first: (file, the family to ask for in it).
const KNOWN: &[(&str, &str)] = &[
    ("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", "IPAexGothic"),
    ("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf", "IPAexGothic"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK JP"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf", "Noto Sans CJK JP"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK JP"),
    ("/usr/share/fonts/truetype/noto/NotoSansJP-Regular.ttf", "Noto Sans JP"),
    ("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf", "IPAGothic"),
    ("/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf", "TakaoPGothic"),
    ("/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf", "VL Gothic"),
];

/// Where fonts live on Linux, macOS and the BSDs, searched when no known file is there.
fn font_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts"]
            .into_iter()
            .map(PathBuf::from)
            .collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".local/share/fonts"));
        dirs.push(Path::new(&home).join(".fonts"));
    }
    dirs
}

/// The font found: its family, the file it came from and every face to give Typst (the
/// family's other weights in the same folder too, so headings are bold when a bold exists).
pub struct JapaneseFont {
    pub family: String,
    pub path: PathBuf,
    pub faces: Vec<Font>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum FontError {
    #[error("PDF needs a Japanese font: KAIGI_PDF_FONT names {path}, which cannot be used ({reason})")]
    Named { path: String, reason: String },
    #[error(
        "PDF needs a Japanese font and none was found (looked for IPAex, Noto CJK, Takao, VL Gothic and in {dirs}); \
         install Debian's fonts-ipaexfont or fonts-noto-cjk, or set KAIGI_PDF_FONT to a .ttf, .otf or .ttc file"
    )]
    NoneFound { dirs: String },
}

/// Does this face write Japanese? Kana and the kanji of 議事録.
fn writes_japanese(font: &Font) -> bool {
    let coverage = &font.info().coverage;
    ['あ', 'ア', '議', '事', '録'].iter().all(|c| coverage.contains(*c as u32))
}

/// The face of a file to ask for: in a collection (Noto CJK's .ttc holds JP, KR, SC, TC, HK),
/// the Japanese one, not a monospaced one.
fn japanese_family(faces: &[Font]) -> Option<String> {
    let japanese: Vec<&Font> = faces.iter().filter(|f| writes_japanese(f)).collect();
    let score = |f: &&Font| {
        let family = f.info().family.to_lowercase();
        let jp = family.ends_with(" jp") || family.contains("jp ") || family.contains("japan");
        (jp, !family.contains("mono"))
    };
    japanese.into_iter().max_by_key(score).map(|f| f.info().family.clone())
}

fn faces_of(path: &Path) -> Result<Vec<Font>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let faces: Vec<Font> = Font::iter(Bytes::new(bytes)).collect();
    if faces.is_empty() { Err("not a font file Typst can read".to_owned()) } else { Ok(faces) }
}

fn is_font_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc"))
}

/// The Japanese font in `path`, with the same family's faces from the files beside it.
fn from_file(path: &Path, family: Option<&str>) -> Result<JapaneseFont, String> {
    let faces = faces_of(path)?;
    let family = match family.filter(|f| faces.iter().any(|face| face.info().family == *f)) {
        Some(f) => f.to_owned(),
        None => japanese_family(&faces).ok_or("it has no kana or kanji")?,
    };
    let mut all: Vec<Font> = faces.into_iter().filter(|f| f.info().family == family).collect();
    // Siblings share the file name's stem before the weight ("NotoSansCJK-Bold.ttc").
    let stem = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.split(['-', '.']).next()).unwrap_or("");
    if let Some(dir) = path.parent()
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        let mut siblings: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p != path && is_font_file(p))
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| !stem.is_empty() && n.starts_with(stem)))
            .collect();
        siblings.sort();
        for sibling in siblings {
            if let Ok(faces) = faces_of(&sibling) {
                all.extend(faces.into_iter().filter(|f| f.info().family == family));
            }
        }
    }
    Ok(JapaneseFont { family, path: path.to_owned(), faces: all })
}

/// Every font file under `dir`, in name order, following no links out of it more than a few
/// levels deep.
fn font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if depth < 6 {
                font_files(&path, depth + 1, out);
            }
        } else if is_font_file(&path) {
            out.push(path);
        }
    }
}

/// The font to typeset Japanese with, from `named` (KAIGI_PDF_FONT) or else found in `known`
/// and then in `dirs`.
pub fn find_font(named: Option<&str>, known: &[(&str, &str)], dirs: &[PathBuf]) -> Result<JapaneseFont, FontError> {
    if let Some(path) = named.filter(|p| !p.is_empty()) {
        return from_file(Path::new(path), None).map_err(|reason| FontError::Named { path: path.to_owned(), reason });
    }
    for (path, family) in known {
        if Path::new(path).is_file()
            && let Ok(font) = from_file(Path::new(path), Some(family))
        {
            return Ok(font);
        }
    }
    let mut files = Vec::new();
    for dir in dirs {
        font_files(dir, 0, &mut files);
    }
    files.iter().find_map(|path| from_file(path, None).ok()).ok_or_else(|| FontError::NoneFound {
        dirs: dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", "),
    })
}

/// The font this machine has, as configured.
pub fn system() -> Result<JapaneseFont, FontError> {
    let named = std::env::var("KAIGI_PDF_FONT").ok();
    find_font(named.as_deref(), KNOWN, &font_dirs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_font_that_is_missing_is_named_in_the_error() {
        let err = find_font(Some("/nonexistent/ipaexg.ttf"), KNOWN, &[]).err().expect("refused");
        let text = err.to_string();
        assert!(text.contains("/nonexistent/ipaexg.ttf") && text.contains("KAIGI_PDF_FONT"), "{text}");
    }

    #[test]
    fn no_font_anywhere_says_what_to_install() {
        let empty = std::env::temp_dir().join(format!("kaigi-no-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        let err = find_font(None, &[], std::slice::from_ref(&empty)).err().expect("refused");
        let text = err.to_string();
        assert!(text.contains("fonts-noto-cjk") && text.contains(&empty.display().to_string()), "{text}");
        std::fs::remove_dir_all(&empty).ok();
    }
}
