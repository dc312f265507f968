//! CSV that is safe to open in a spreadsheet. Excel, LibreOffice and Google Sheets run a cell
//! that starts with `=`, `+`, `-`, `@` (and, through their import, a tab or carriage return)
//! as a formula, so a display name like `=HYPERLINK(…)` typed by a participant would run on
//! the secretariat's machine. Every CSV kaigi writes goes through [`Csv`], which puts an
//! apostrophe before such a cell — the spreadsheets' own way of saying "text" — and
//! [`restore`] takes it off again when kaigi reads its own files back.

/// Characters that make a spreadsheet read a cell as a formula when they come first.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as a spreadsheet will show it: text that would run as a formula gets a leading
/// apostrophe. A plain number (`-3`, `+4.5`) is left alone: it is data, not a formula. A cell
/// that already starts with apostrophes before a formula gets one more, so [`restore`] can
/// tell the two apart.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if runs_as_formula(cell) { format!("'{cell}").into() } else { cell.into() }
}

/// Undoes [`neutralise`] on a cell read back from a file kaigi wrote.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if runs_as_formula(rest) => rest,
        _ => cell,
    }
}

fn runs_as_formula(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    rest.starts_with(FORMULA_STARTS) && !is_number(rest)
}

fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    !digits.is_empty() && digits.parse::<f64>().is_ok() && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A CSV document written row by row, every cell neutralised.
pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for Csv {
    fn default() -> Self {
        Self::new()
    }
}

impl Csv {
    pub fn new() -> Self {
        Self { writer: csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new()) }
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let cells: Vec<String> = cells.into_iter().map(|c| neutralise(c.as_ref()).into_owned()).collect();
        // Writing to a Vec cannot fail.
        let _ = self.writer.write_record(&cells);
    }

    pub fn finish(self) -> String {
        let bytes = self.writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(neutralise("+81 3 1234"), "'+81 3 1234");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("-3"), "-3");
        assert_eq!(neutralise("12"), "12");
        assert_eq!(neutralise("藤井"), "藤井");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn restore_undoes_neutralise() {
        for cell in ["=1+1", "@x", "-a", "plain", "'quoted", "-3", "'=", "''=x", "'-3", ""] {
            assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
        }
    }

    #[test]
    fn rows_are_quoted_and_neutralised() {
        let mut csv = Csv::new();
        csv.row(["name", "count"]);
        csv.row(["=cmd|' /C calc'!A0", "3"]);
        csv.row(["a, b", "-1"]);
        assert_eq!(csv.finish(), "name,count\r\n'=cmd|' /C calc'!A0,3\r\n\"a, b\",-1\r\n");
    }
}
