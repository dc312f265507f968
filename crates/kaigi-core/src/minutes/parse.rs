//! Reads minutes written in the conventional layout, tolerating what real archives do:
//! heading levels that vary, full-width and half-width characters, missing time boxes,
//! footnotes, text converted from PDF, tables with empty last cells. What it cannot read it
//! keeps verbatim in `warnings`; it never guesses silently.

use std::sync::LazyLock;

use regex::Regex;
use time::{Date, Month};

use super::{ActionItem, AgendaItem, MinutesDocument, NextMeeting, Participant, Venue};

/// The text is not minutes at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not minutes: {0}")]
pub struct NotMinutes(pub String);

/// Full-width ASCII (！–～) to half-width and the ideographic space to a space: one character
/// for one character, so positions in the folded text are positions in the original.
fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '〜' => '~',
        c => c,
    }
}

fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// The original characters at the char positions of a byte range of the folded text.
fn original(original: &str, folded: &str, start: usize, end: usize) -> String {
    let from = folded[..start].chars().count();
    let len = folded[start..end].chars().count();
    original.chars().skip(from).take(len).collect()
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("built-in pattern {pattern}: {e}"))
}

static TITLE_NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"^(.*?)\s*第\s*(\d+)\s*回"));
static HEADING: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*(#{1,6})\s*(.*?)\s*#*\s*$"));
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{1,3}(?:\.\d{1,3})*)(?:[.)、]\s*|\s+|$)(.*)$"));
static BOLD_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*\*\*(.+?)\*\*\s*$"));
static TIMEBOX: LazyLock<Regex> = LazyLock::new(|| re(r"\s*[\[(（【]\s*(\d{1,3})\s*分(?:間)?\s*[\])）】]\s*$"));
static KEY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:[-*・]\s*)?(?:\*\*)?(開催日時|日時|開催場所|場所|会場|主催|共催|司会進行|司会|議事録作成|議事録|記録|資料|参加者数|出席者数|参加者|出席者)(?:\*\*)?\s*(.*)$",
    )
});
static DATE_YMD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{4})\s*(?:年|/|-|\.)\s*(\d{1,2})\s*(?:月|/|-|\.)\s*(\d{1,2})\s*日?"));
static TIME_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(\d{1,2})\s*(?::|時)\s*(\d{1,2})?\s*分?\s*(?:-|~|–|—|から)\s*(\d{1,2})\s*(?::|時)\s*(\d{1,2})?\s*分?")
});
static COUNT: LazyLock<Regex> = LazyLock::new(|| re(r"(\d+)\s*(?:名|人)?"));
static BULLET: LazyLock<Regex> = LazyLock::new(|| re(r"^(\s*)(?:[-*+・•]|\d{1,2}[.)])\s+(.*)$"));
static DECISION: LazyLock<Regex> =
    LazyLock::new(|| re(r"【([^】]*(?:こととする|ことと する|決定|合意|とする)[^】]*)】"));
static OWNERS_DUE: LazyLock<Regex> = LazyLock::new(|| re(r"^(.*?)\s*\(([^()]*)\)\s*(?::\s*(.*))?$"));
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| re(r"(\d{1,2})\s*(?:/|月)\s*(\d{1,2})\s*日?"));
static START_TIME: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d{1,2})\s*(?::|時)\s*(\d{1,2})?\s*分?\s*(?:から|より|開始|~|-)"));
static ARROW_ASSIGNMENT: LazyLock<Regex> =
    LazyLock::new(|| re(r"→\s*(.*?)(\S+?)(?:氏|さん)?が(.+?)(?:する|します)?\s*$"));

struct Line<'a> {
    /// 1-based line number in the file, for warnings.
    number: usize,
    text: &'a str,
    folded: String,
}

/// Parses minutes; warnings say what could not be read.
pub fn parse(text: &str) -> Result<MinutesDocument, NotMinutes> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<Line<'_>> =
        text.lines().enumerate().map(|(i, l)| Line { number: i + 1, text: l, folded: fold(l) }).collect();
    let mut doc = MinutesDocument::default();

    let first_item = lines.iter().position(|l| item_heading(l).is_some()).unwrap_or(lines.len());
    read_header(&lines[..first_item], &mut doc);
    read_items(&lines[first_item..], &mut doc);

    if doc.date.is_none() && doc.items.is_empty() {
        return Err(NotMinutes("found neither a meeting date (開催日時) nor numbered agenda items (## 1. …)".into()));
    }
    let meeting_date = doc.date.as_deref().and_then(parse_iso_date);
    read_action_items(&mut doc, meeting_date);
    read_decisions(&mut doc);
    read_next_meeting(&mut doc, meeting_date);

    if let Some(stated) = doc.stated_count {
        let listed = doc.participants.len() as i64;
        if !doc.participants.is_empty() && stated != listed {
            doc.warnings
                .push(format!("参加者数: the minutes state {stated} participants but the table lists {listed}"));
        }
    }
    Ok(doc)
}

/// A numbered heading: `## 4. 政府からの報告 [10 分]` at any level, or a whole bold line.
fn item_heading(line: &Line<'_>) -> Option<(String, String, Option<i64>)> {
    let folded = &line.folded;
    let (inner_start, inner_end) = if let Some(c) = HEADING.captures(folded) {
        let m = c.get(2)?;
        (m.start(), m.end())
    } else if let Some(c) = BOLD_LINE.captures(folded) {
        let m = c.get(1)?;
        (m.start(), m.end())
    } else {
        return None;
    };
    let inner = &folded[inner_start..inner_end];
    let c = NUMBERED.captures(inner)?;
    let number = c.get(1)?.as_str().to_owned();
    let rest = c.get(2)?;
    let mut title_end = inner_start + rest.end();
    let mut timebox = None;
    if let Some(t) = TIMEBOX.captures(rest.as_str()) {
        timebox = t.get(1).and_then(|m| m.as_str().parse().ok());
        title_end = inner_start + rest.start() + t.get(0)?.start();
    }
    let title = original(line.text, folded, inner_start + rest.start(), title_end).trim().to_owned();
    if title.is_empty() {
        return None;
    }
    Some((number, title, timebox))
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    None,
    Hosts,
    Participants,
    Materials,
}

fn after_colon(value: &str) -> &str {
    value.trim_start_matches(|c: char| c == ':' || c == '：' || c.is_whitespace())
}

fn clean(s: &str) -> String {
    crate::directory::normalize_spaces(s)
}

fn read_header(lines: &[Line<'_>], doc: &mut MinutesDocument) {
    let mut section = Section::None;
    let mut group_width = 3;
    let mut columns: Vec<Vec<Participant>> = Vec::new();
    for line in lines {
        let trimmed = line.folded.trim();
        if trimmed.is_empty() || trimmed == "---" {
            continue;
        }
        if doc.series.is_none() && doc.number.is_none() && doc.date.is_none() {
            // The first line that says something is the title.
            let title = HEADING.captures(&line.folded).and_then(|c| c.get(2)).map_or(trimmed, |m| m.as_str());
            if KEY.captures(title).is_none() {
                read_title(title, line, doc);
                continue;
            }
        }
        let heading_text = HEADING.captures(&line.folded).and_then(|c| c.get(2)).map(|m| m.as_str().to_owned());
        let probe = heading_text.as_deref().unwrap_or(trimmed);
        if let Some(c) = KEY.captures(probe) {
            let key = c.get(1).map_or("", |m| m.as_str());
            let value_start = c.get(2).map_or(probe.len(), |m| m.start());
            let value_folded = after_colon(&probe[value_start..]).to_owned();
            let offset = line.folded.find(probe).unwrap_or(0) + value_start;
            let raw_value = original(line.text, &line.folded, offset, line.folded.len());
            let value = clean(after_colon(&raw_value));
            section = Section::None;
            match key {
                "開催日時" | "日時" => read_when(&value_folded, line, doc),
                "開催場所" | "場所" | "会場" => doc.venue = read_venue(&value),
                "主催" | "共催" => {
                    doc.hosts.extend(split_list(&value));
                    section = Section::Hosts;
                }
                "司会進行" | "司会" => doc.chair = Some(value).filter(|v| !v.is_empty()),
                "議事録作成" | "議事録" | "記録" => doc.minute_taker = Some(value).filter(|v| !v.is_empty()),
                "資料" => {
                    // "資料 1：…" on a line of its own (text from a PDF) is a material itself.
                    if value_folded.starts_with(|c: char| c.is_ascii_digit()) {
                        let probe_start = line.folded.find(probe).unwrap_or(0);
                        let whole = original(line.text, &line.folded, probe_start, line.folded.len());
                        doc.materials.push(clean(trimmed_bullet(&whole.replace("**", ""))));
                    } else if !value.is_empty() {
                        doc.materials.extend(split_list(&value));
                    }
                    section = Section::Materials;
                }
                "参加者数" | "出席者数" => {
                    doc.stated_count = COUNT.captures(&value_folded).and_then(|c| c.get(1)?.as_str().parse().ok());
                    if doc.stated_count.is_none() {
                        doc.warnings.push(format!(
                            "line {}: 参加者数 without a number: {}",
                            line.number,
                            line.text.trim()
                        ));
                    }
                }
                _ => {
                    // 参加者 (五十音順・敬称略): the table follows — or, in shorter minutes, the
                    // names follow on the line itself: "出席者：青木真理（サンプル大学）、森由美".
                    section = Section::Participants;
                    columns.clear();
                    let listed = inline_participants(&value);
                    if !listed.is_empty() {
                        columns.push(listed);
                        section = Section::None;
                    }
                }
            }
            continue;
        }
        match section {
            Section::Participants if is_table_row(&line.folded) => {
                let cells = table_cells(line.text);
                if cells.iter().all(|c| c.chars().all(|ch| ch == '-' || ch == ':' || ch.is_whitespace())) {
                    continue; // the |---|---| separator of a Markdown table
                }
                // A header row has several header words; one cell "名" may be someone's given name.
                let header_words = cells
                    .iter()
                    .filter(|c| matches!(c.as_str(), "姓" | "名" | "氏名" | "ご所属" | "所属" | "お名前"))
                    .count();
                if header_words >= 2 {
                    group_width = header_group_width(&cells);
                    continue;
                }
                read_participant_row(&cells, group_width, &mut columns, line, &mut doc.warnings);
            }
            Section::Hosts if !is_bullet_or_heading(trimmed) || trimmed.starts_with('-') => {
                doc.hosts.extend(split_list(&clean(trimmed_bullet(line.text))));
            }
            Section::Materials if is_bullet_or_heading(trimmed) || trimmed.starts_with("資料") => {
                let text = HEADING.captures(line.text).and_then(|c| c.get(2)).map_or(line.text, |m| m.as_str());
                doc.materials.push(clean(trimmed_bullet(text)));
            }
            _ => doc.warnings.push(format!(
                "line {}: not understood, kept out of the record: {}",
                line.number,
                line.text.trim()
            )),
        }
    }
    doc.participants = columns.into_iter().flatten().collect();
}

/// "青木 真理（サンプル大学）、Nakano Ren (Example Telecom)、森由美" as participants. A value that
/// is only a note about the order ("(五十音順・敬称略)") lists nobody.
fn inline_participants(value: &str) -> Vec<Participant> {
    let folded = fold(value);
    let trimmed = folded.trim();
    let note = (trimmed.starts_with('(') && trimmed.ends_with(')'))
        || trimmed.contains("五十音")
        || trimmed.contains("敬称略");
    if trimmed.is_empty() || note {
        return Vec::new();
    }
    value
        .split(['、', '，', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|entry| {
            let (name, affiliation) = match entry.find(['（', '(']) {
                Some(open) => {
                    let after = &entry[open..];
                    let inner_start = after.chars().next().map_or(1, char::len_utf8);
                    let inner = after[inner_start..].trim_end_matches([')', '）']);
                    (entry[..open].trim(), inner.trim())
                }
                None => (entry, ""),
            };
            let name = clean(name);
            let (family, given) =
                name.split_once(' ').map_or((name.clone(), String::new()), |(f, g)| (f.to_owned(), g.to_owned()));
            Participant { family, given, affiliation: clean(affiliation) }
        })
        .collect()
}

fn is_bullet_or_heading(s: &str) -> bool {
    BULLET.is_match(s) || s.starts_with('#')
}

fn trimmed_bullet(s: &str) -> &str {
    let t = s.trim();
    let folded = fold(t);
    match BULLET.captures(&folded).and_then(|c| c.get(2)) {
        Some(m) => {
            let skip = folded[..m.start()].chars().count();
            let byte = t.char_indices().nth(skip).map_or(t.len(), |(i, _)| i);
            &t[byte..]
        }
        None => t,
    }
}

fn split_list(value: &str) -> Vec<String> {
    value.split(['、', '，', '；', ';']).map(clean).filter(|s| !s.is_empty()).collect()
}

fn read_title(title: &str, line: &Line<'_>, doc: &mut MinutesDocument) {
    let original_title = HEADING.captures(line.text).and_then(|c| c.get(2)).map_or(line.text.trim(), |m| m.as_str());
    match TITLE_NUMBER.captures(title) {
        Some(c) => {
            let series_end = c.get(1).map_or(0, |m| m.end());
            let series = original(original_title, &fold(original_title), 0, series_end.min(fold(original_title).len()));
            doc.series = Some(clean(&series)).filter(|s| !s.is_empty());
            doc.number = c.get(2).and_then(|m| m.as_str().parse().ok());
        }
        None => {
            doc.series = Some(clean(original_title)).filter(|s| !s.is_empty());
            doc.warnings.push(format!(
                "line {}: the title has no meeting number (第 N 回): {}",
                line.number,
                line.text.trim()
            ));
        }
    }
}

fn read_when(value: &str, line: &Line<'_>, doc: &mut MinutesDocument) {
    let compact: String = value.to_owned();
    match DATE_YMD.captures(&compact).and_then(|c| {
        let y: i32 = c.get(1)?.as_str().parse().ok()?;
        let m: u8 = c.get(2)?.as_str().parse().ok()?;
        let d: u8 = c.get(3)?.as_str().parse().ok()?;
        Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
    }) {
        Some(date) => doc.date = Some(iso(date)),
        None => doc.warnings.push(format!(
            "line {}: 開催日時 without a date that could be read: {}",
            line.number,
            line.text.trim()
        )),
    }
    // The time range comes after the date; skip the date so its digits are not read as times.
    let after_date = DATE_YMD.find(&compact).map_or(compact.as_str(), |m| &compact[m.end()..]);
    let after_weekday = after_date
        .trim_start_matches(|c: char| c == '(' || c == ')' || c.is_whitespace() || "月火水木金土日祝".contains(c));
    match TIME_RANGE.captures(after_weekday).and_then(|c| {
        let start = hhmm(c.get(1)?.as_str(), c.get(2).map_or("0", |m| m.as_str()))?;
        let end = hhmm(c.get(3)?.as_str(), c.get(4).map_or("0", |m| m.as_str()))?;
        Some((start, end))
    }) {
        Some((start, end)) => {
            doc.start = Some(start);
            doc.end = Some(end);
        }
        None => doc.warnings.push(format!(
            "line {}: 開催日時 without a time range that could be read: {}",
            line.number,
            line.text.trim()
        )),
    }
}

fn hhmm(h: &str, m: &str) -> Option<String> {
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 30 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

fn read_venue(value: &str) -> Venue {
    let folded = fold(value);
    let kind = if folded.starts_with("現地") || folded.starts_with("対面") {
        "onsite"
    } else if folded.starts_with("オンライン開催") {
        "online"
    } else if folded.contains("ハイブリッド") || folded.to_lowercase().contains("hybrid") {
        "hybrid"
    } else if folded.contains("オンライン")
        || folded.contains("Web")
        || folded.contains("Zoom")
        || folded.contains("Teams")
        || folded.to_lowercase().contains("online")
    {
        if ["会議室", "会館", "ホール", "本社", "庁舎", "会場"].iter().any(|w| folded.contains(w)) {
            "hybrid"
        } else {
            "online"
        }
    } else {
        "onsite"
    };
    // "ハイブリッド開催（サンプル会館 3 階会議室 B ／オンライン）": the place is in the brackets.
    let text = match (value.find(['（', '(']), value.rfind(['）', ')'])) {
        (Some(open), Some(close)) if close > open && value[..open].chars().count() <= 12 => {
            let inner_start = open + value[open..].chars().next().map_or(1, char::len_utf8);
            clean(&value[inner_start..close])
        }
        _ => clean(value),
    };
    Venue { kind: Some(kind.to_owned()), text }
}

fn is_table_row(folded: &str) -> bool {
    folded.contains('\t') || folded.trim_start().starts_with('|')
}

fn table_cells(text: &str) -> Vec<String> {
    let t = text.trim_end_matches(['\r', '\n']);
    if t.trim_start().starts_with('|') {
        let inner = t.trim().trim_start_matches('|');
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        inner.split('|').map(clean).collect()
    } else {
        t.split('\t').map(clean).collect()
    }
}

/// 姓 名 ご所属 | 姓 名 ご所属 → 3; 氏名 所属 | 氏名 所属 → 2.
fn header_group_width(cells: &[String]) -> usize {
    let first = &cells[0];
    cells.iter().skip(1).position(|c| c == first).map_or(cells.len().clamp(1, 3), |p| p + 1)
}

fn read_participant_row(
    cells: &[String],
    width: usize,
    columns: &mut Vec<Vec<Participant>>,
    line: &Line<'_>,
    warnings: &mut Vec<String>,
) {
    for (group, chunk) in cells.chunks(width).enumerate() {
        if chunk.iter().all(String::is_empty) {
            continue;
        }
        let participant = match (width, chunk) {
            (3, [family, given, affiliation, ..]) => {
                Participant { family: family.clone(), given: given.clone(), affiliation: affiliation.clone() }
            }
            (3, [family, given]) => {
                Participant { family: family.clone(), given: given.clone(), affiliation: String::new() }
            }
            (2, [name, affiliation, ..]) | (1, [name, affiliation, ..]) => {
                let (family, given) = name.split_once(' ').unwrap_or((name, ""));
                Participant {
                    family: family.to_owned(),
                    given: given.trim().to_owned(),
                    affiliation: affiliation.clone(),
                }
            }
            (_, [name]) => {
                let (family, given) = name.split_once(' ').unwrap_or((name, ""));
                Participant { family: family.to_owned(), given: given.trim().to_owned(), affiliation: String::new() }
            }
            _ => {
                warnings.push(format!("line {}: participant cells not understood: {}", line.number, line.text.trim()));
                continue;
            }
        };
        if columns.len() <= group {
            columns.resize(group + 1, Vec::new());
        }
        columns[group].push(participant);
    }
}

fn read_items(lines: &[Line<'_>], doc: &mut MinutesDocument) {
    let mut current: Option<(AgendaItem, Vec<&str>)> = None;
    let finish = |item: Option<(AgendaItem, Vec<&str>)>, items: &mut Vec<AgendaItem>| {
        if let Some((mut item, body)) = item {
            let start = body.iter().position(|l| !l.trim().is_empty()).unwrap_or(body.len());
            let end = body.iter().rposition(|l| !l.trim().is_empty()).map_or(start, |e| e + 1);
            item.body = body[start..end.max(start)].join("\n");
            items.push(item);
        }
    };
    for line in lines {
        if line.folded.trim() == "以上" {
            break;
        }
        if let Some((number, title, timebox_min)) = item_heading(line) {
            finish(current.take(), &mut doc.items);
            current = Some((AgendaItem { number, title, timebox_min, body: String::new() }, Vec::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push(line.text);
        }
    }
    finish(current, &mut doc.items);
}

fn parse_iso_date(s: &str) -> Option<Date> {
    let mut parts = s.split('-');
    let y = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

fn iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// The year of a month written without one: the meeting's year, or the next year when the
/// month comes before the meeting's month (a December meeting planning for January).
fn infer_year(meeting: Date, month: u8) -> i32 {
    if month < u8::from(meeting.month()) { meeting.year() + 1 } else { meeting.year() }
}

enum Due {
    Day(String),
    Month(String),
}

fn parse_due(text: &str, meeting: Option<Date>) -> Option<Due> {
    let folded: String = fold(text).chars().filter(|c| !c.is_whitespace()).collect();
    let folded = folded.trim_end_matches(['。', '.']);
    if let Some(c) = DATE_YMD.captures(folded) {
        let y: i32 = c.get(1)?.as_str().parse().ok()?;
        let m: u8 = c.get(2)?.as_str().parse().ok()?;
        let d: u8 = c.get(3)?.as_str().parse().ok()?;
        return Some(Due::Day(iso(Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()?)));
    }
    let meeting = meeting?;
    if let Some(c) = MONTH_DAY.captures(folded) {
        let m: u8 = c.get(1)?.as_str().parse().ok()?;
        let d: u8 = c.get(2)?.as_str().parse().ok()?;
        let date = Date::from_calendar_date(infer_year(meeting, m), Month::try_from(m).ok()?, d).ok()?;
        return Some(Due::Day(iso(date)));
    }
    static MONTH_ONLY: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:(\d{4})年)?(\d{1,2})月"));
    let c = MONTH_ONLY.captures(folded)?;
    let m: u8 = c.get(2)?.as_str().parse().ok()?;
    Month::try_from(m).ok()?;
    let y = match c.get(1) {
        Some(y) => y.as_str().parse().ok()?,
        None => infer_year(meeting, m),
    };
    Some(Due::Month(format!("{y:04}-{m:02}")))
}

fn is_todo_title(title: &str) -> bool {
    let lower = fold(title).to_lowercase();
    (lower.contains("todo")
        || lower.contains("宿題")
        || lower.contains("アクションアイテム")
        || lower.contains("action item"))
        && !lower.contains("進捗")
}

fn read_action_items(doc: &mut MinutesDocument, meeting: Option<Date>) {
    let todo_items: Vec<AgendaItem> = doc.items.iter().filter(|i| is_todo_title(&i.title)).cloned().collect();
    for item in &todo_items {
        for raw in item.body.lines() {
            let folded = fold(raw);
            let Some(c) = BULLET.captures(&folded) else {
                continue;
            };
            // Only top-level bullets are items; deeper ones are details of the one above.
            if c.get(1).map_or(0, |m| m.as_str().len()) > 1 {
                continue;
            }
            let body = c.get(2).map_or("", |m| m.as_str()).trim();
            let body = body.trim_start_matches("[ ]").trim_start_matches("[x]").trim_start_matches("[X]").trim();
            if matches!(body, "特になし" | "なし" | "特に無し" | "無し") {
                continue;
            }
            let skip = folded.chars().count() - body.chars().count();
            let original_body: String = raw.chars().skip(skip).collect();
            doc.action_items.push(action_item(body, &original_body, meeting, &mut doc.warnings));
        }
    }
    if todo_items.is_empty() {
        // Without a Todo item, take the explicit "→…氏が…する" assignments.
        for item in &doc.items {
            for raw in item.body.lines() {
                let folded = fold(raw);
                if let Some(c) = ARROW_ASSIGNMENT.captures(&folded) {
                    let owner = c.get(2).map_or("", |m| m.as_str()).to_owned();
                    let text =
                        format!("{}{}", c.get(1).map_or("", |m| m.as_str()), c.get(3).map_or("", |m| m.as_str()));
                    if !owner.is_empty() && !text.trim().is_empty() {
                        doc.action_items.push(ActionItem { text: clean(&text), owners: vec![owner], due: None });
                    }
                }
            }
        }
    }
}

fn action_item(
    folded_body: &str,
    original_body: &str,
    meeting: Option<Date>,
    warnings: &mut Vec<String>,
) -> ActionItem {
    let Some(c) = OWNERS_DUE.captures(folded_body) else {
        return ActionItem { text: clean(original_body), owners: Vec::new(), due: None };
    };
    let text_end = c.get(1).map_or(0, |m| m.end());
    let text = clean(&original(original_body, folded_body, 0, text_end));
    let owners = c
        .get(2)
        .map_or("", |m| m.as_str())
        .split(['、', ',', '・', '/'])
        .map(|o| clean(o.trim_end_matches("氏").trim_end_matches("さん")))
        .filter(|o| !o.is_empty())
        .collect();
    let due_text =
        c.get(3).map(|m| m.as_str().trim().trim_end_matches("まで").trim_end_matches("までに").trim()).unwrap_or("");
    let due = if due_text.is_empty() {
        None
    } else {
        match parse_due(due_text, meeting) {
            Some(Due::Day(d) | Due::Month(d)) => Some(d),
            None => {
                warnings.push(format!("action item {text:?}: due date {due_text:?} not understood"));
                None
            }
        }
    };
    ActionItem { text, owners, due }
}

fn read_decisions(doc: &mut MinutesDocument) {
    for item in &doc.items {
        let mut previous = String::new();
        for raw in item.body.lines() {
            let folded = fold(raw);
            if let Some(m) = DECISION.find(&folded) {
                let before = original(raw, &folded, 0, m.start());
                let after = original(raw, &folded, m.end(), folded.len());
                let sentence = clean(trimmed_bullet(&format!("{before}{after}")));
                let sentence = if sentence.is_empty() { previous.clone() } else { sentence };
                if !sentence.is_empty() {
                    doc.decisions.push(sentence);
                }
            }
            let text = clean(trimmed_bullet(raw));
            if !text.is_empty() {
                previous = text;
            }
        }
    }
}

fn read_next_meeting(doc: &mut MinutesDocument, meeting: Option<Date>) {
    let Some(item) = doc.items.iter().rev().find(|i| fold(&i.title).contains("次回")) else {
        return;
    };
    let mut next = NextMeeting::default();
    let lines: Vec<&str> = item.body.lines().collect();
    let indent = |l: &str| l.chars().take_while(|c| c.is_whitespace()).count();
    let mut agenda_lines = std::collections::HashSet::new();
    if let Some(at) = lines.iter().position(|l| fold(l).contains("アジェンダ") || fold(l).contains("議題")) {
        let base = indent(lines[at]);
        for (k, l) in lines.iter().enumerate().skip(at + 1) {
            if l.trim().is_empty() {
                continue;
            }
            if indent(l) <= base {
                break;
            }
            agenda_lines.insert(k);
            next.draft_agenda.push(clean(trimmed_bullet(l)));
        }
    }
    for (k, l) in lines.iter().enumerate() {
        if agenda_lines.contains(&k) {
            continue;
        }
        let folded = fold(l);
        if next.start.is_none()
            && let Some(c) = START_TIME.captures(&folded)
        {
            next.start = hhmm(c.get(1).map_or("", |m| m.as_str()), c.get(2).map_or("0", |m| m.as_str()));
        }
        if !(folded.contains("候補") || folded.contains("日程") || folded.contains("開催")) {
            continue;
        }
        // Candidates in the order written, full dates and month/day ones alike.
        let mut found: Vec<(usize, Date)> = Vec::new();
        for c in DATE_YMD.captures_iter(&folded) {
            let parsed = (|| {
                let y: i32 = c.get(1)?.as_str().parse().ok()?;
                let m: u8 = c.get(2)?.as_str().parse().ok()?;
                let d: u8 = c.get(3)?.as_str().parse().ok()?;
                Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
            })();
            if let (Some(d), Some(m)) = (parsed, c.get(0)) {
                found.push((m.start(), d));
            }
        }
        // Blank out full dates (same length) so their month and day are not read again.
        let without_full_dates = DATE_YMD.replace_all(&folded, |c: &regex::Captures<'_>| " ".repeat(c[0].len()));
        for c in MONTH_DAY.captures_iter(&without_full_dates) {
            let parsed = (|| {
                let m: u8 = c.get(1)?.as_str().parse().ok()?;
                let d: u8 = c.get(2)?.as_str().parse().ok()?;
                let meeting = meeting?;
                Date::from_calendar_date(infer_year(meeting, m), Month::try_from(m).ok()?, d).ok()
            })();
            match (parsed, c.get(0)) {
                (Some(d), Some(m)) => found.push((m.start(), d)),
                _ => doc
                    .warnings
                    .push(format!("次回: candidate date {:?} not understood", c.get(0).map_or("", |m| m.as_str()))),
            }
        }
        found.sort_by_key(|(at, _)| *at);
        next.candidates.extend(found.into_iter().map(|(_, d)| iso(d)));
    }
    next.candidates.dedup();
    doc.next_meeting = Some(next);
}

/// Signs that a file holds only the first part of the minutes (a copy cut off, a download
/// that stopped): no closing 以上, fewer participants listed than the 参加者数 stated, numbered
/// items that skip a number, or a last item with nothing under it. Minutes with such signs
/// are imported as a draft for someone to check, never as approved.
pub fn truncation_signs(text: &str, doc: &MinutesDocument) -> Vec<String> {
    let mut signs = Vec::new();
    let closed = text.lines().map(fold).any(|l| l.trim() == "以上");
    if !closed {
        signs.push("the minutes do not end with 以上: the file may be cut off".to_owned());
    }
    if let Some(stated) = doc.stated_count {
        let listed = doc.participants.len() as i64;
        if listed < stated {
            signs.push(format!("参加者数 states {stated} participants but only {listed} are listed"));
        }
    }
    let numbers: Vec<Option<u32>> = doc.items.iter().map(|i| fold(&i.number).trim().parse::<u32>().ok()).collect();
    if numbers.iter().all(Option::is_some) {
        for pair in numbers.windows(2) {
            if let [Some(a), Some(b)] = pair
                && *b != a + 1
            {
                signs.push(format!("agenda items jump from {a} to {b}: an item may be missing"));
            }
        }
    }
    if let Some(last) = doc.items.last()
        && last.body.trim().is_empty()
        && !closed
    {
        signs.push(format!("the last agenda item ({} {}) has no minutes", last.number, last.title));
    }
    signs
}
