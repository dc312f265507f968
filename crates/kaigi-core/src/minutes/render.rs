//! Writes minutes in the conventional layout (see `shared/samples/minutes-sample-ja.md`):
//! heading; 開催日時; 開催場所; 主催; the two-column participant table read column by column;
//! 参加者数; 司会進行; 議事録作成; 資料; numbered items with time boxes; 以上.

use std::fmt::Write;

use time::{Date, Month};

use super::{ActionItem, AgendaItem, MinutesDocument};
use crate::directory::normalize_spaces;

const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

fn date_ja(iso: &str) -> Option<String> {
    let mut parts = iso.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    let date = Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()?;
    let wd = WEEKDAYS[date.weekday().number_days_from_monday() as usize];
    Some(format!("{y} 年 {m} 月 {d} 日({wd})"))
}

/// The document as Markdown. Participants are written in the order given (callers sort them
/// in gojūon order first), filling the left column, then the right.
pub fn render_markdown(doc: &MinutesDocument) -> String {
    let mut out = String::new();
    let series = doc.series.as_deref().unwrap_or("");
    match doc.number {
        Some(n) => writeln!(out, "# {series}第 {n} 回会合\n"),
        None => writeln!(out, "# {series}\n"),
    }
    .ok();
    let mut when = doc.date.as_deref().and_then(date_ja).unwrap_or_default();
    if let (Some(start), Some(end)) = (&doc.start, &doc.end) {
        when.push_str(&format!("{start}-{end}"));
    }
    writeln!(out, "開催日時： {when}\n").ok();
    let label = match doc.venue.kind.as_deref() {
        Some("hybrid") => "ハイブリッド開催",
        Some("online") => "オンライン開催",
        _ => "現地開催",
    };
    if doc.venue.text.is_empty() {
        writeln!(out, "開催場所： {label}\n").ok();
    } else {
        writeln!(out, "開催場所： {label}（{}）\n", doc.venue.text).ok();
    }
    for (i, host) in doc.hosts.iter().enumerate() {
        if i == 0 {
            writeln!(out, "主催： {host}\n").ok();
        } else {
            writeln!(out, "{host}\n").ok();
        }
    }
    writeln!(out, "参加者 (五十音順・敬称略)\n").ok();
    if !doc.participants.is_empty() {
        // A Markdown table, as the layout's two columns: every Markdown reader shows it as one.
        writeln!(out, "| 姓 | 名 | ご所属 | 姓 | 名 | ご所属 |\n| --- | --- | --- | --- | --- | --- |").ok();
        let rows = doc.participants.len().div_ceil(2);
        let (left, right) = doc.participants.split_at(rows);
        for (i, l) in left.iter().enumerate() {
            let r = right.get(i);
            let cells: [&str; 6] = [
                &l.family,
                &l.given,
                &l.affiliation,
                r.map_or("", |p| p.family.as_str()),
                r.map_or("", |p| p.given.as_str()),
                r.map_or("", |p| p.affiliation.as_str()),
            ];
            out.push('|');
            for cell in cells {
                write!(out, " {} |", table_cell(cell)).ok();
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if let Some(count) = doc.stated_count {
        writeln!(out, "参加者数 {count} 名\n").ok();
    }
    if let Some(chair) = &doc.chair {
        writeln!(out, "司会進行： {chair}\n").ok();
    }
    if let Some(taker) = &doc.minute_taker {
        writeln!(out, "議事録作成： {taker}\n").ok();
    }
    if !doc.materials.is_empty() {
        writeln!(out, "資料：\n").ok();
        for material in &doc.materials {
            writeln!(out, "- {material}").ok();
        }
        out.push('\n');
    }
    for item in export_items(doc) {
        match item.timebox_min {
            Some(t) => writeln!(out, "## {}. {} [{t} 分]\n", item.number, item.title),
            None => writeln!(out, "## {}. {}\n", item.number, item.title),
        }
        .ok();
        if !item.body.is_empty() {
            writeln!(out, "{}\n", item.body).ok();
        }
    }
    out.push_str("以上\n");
    out
}

/// A table cell on one line: a `|` in a name or an affiliation would end the cell.
fn table_cell(text: &str) -> String {
    text.replace('|', "｜").replace(['\n', '\r'], " ")
}

/// The agenda items as the exports show them: the meeting's own items, then — as the
/// conventional minutes close — the decisions and the action items (宿題) recorded apart from
/// the items' text, each only when no item already says it (imported minutes do).
pub fn export_items(doc: &MinutesDocument) -> Vec<AgendaItem> {
    let mut items = doc.items.clone();
    let said = |text: &str| doc.items.iter().any(|i| i.body.contains(text));
    let mut next =
        items.iter().filter_map(|i| i.number.split('.').next()?.trim().parse::<u32>().ok()).max().unwrap_or(0);
    let decisions: Vec<&String> = doc.decisions.iter().filter(|d| !said(d)).collect();
    if !decisions.is_empty() {
        next += 1;
        let body = decisions.iter().map(|d| format!("- {}", normalize_spaces(d))).collect::<Vec<_>>().join("\n");
        items.push(AgendaItem { number: next.to_string(), title: "決定事項".into(), timebox_min: None, body });
    }
    let actions: Vec<&ActionItem> = doc.action_items.iter().filter(|a| !said(&a.text)).collect();
    if !actions.is_empty() {
        next += 1;
        let body =
            actions.iter().map(|a| format!("- {}", action_line(a, doc.date.as_deref()))).collect::<Vec<_>>().join("\n");
        items.push(AgendaItem {
            number: next.to_string(), title: "本日の Todo 確認".into(), timebox_min: None, body
        });
    }
    items
}

/// "企業からの登壇候補者への打診（川口）：3/20 まで", the way the layout writes a Todo, so the
/// parser reads it back as the same action item (the year is written when a reader of the
/// month alone would guess another one).
fn action_line(action: &ActionItem, meeting: Option<&str>) -> String {
    let mut line = normalize_spaces(&action.text);
    if !action.owners.is_empty() {
        write!(line, "（{}）", action.owners.join("、")).ok();
    }
    let number = |s: Option<&str>| s.and_then(|p| p.parse::<i32>().ok());
    let mut held = meeting.unwrap_or("").split('-');
    let (held_year, held_month) = (number(held.next()), number(held.next()));
    let due = action.due.as_deref().and_then(|due| {
        let mut parts = due.split('-');
        let (y, m, d) = (number(parts.next())?, number(parts.next())?, number(parts.next()));
        let guessed = held_month.zip(held_year).map(|(hm, hy)| if m < hm { hy + 1 } else { hy });
        let year = if guessed == Some(y) { String::new() } else { format!("{y} 年 ") };
        Some(match d {
            Some(d) if year.is_empty() => format!("{m}/{d} まで"),
            Some(d) => format!("{y}/{m}/{d} まで"),
            None => format!("{year}{m} 月中"),
        })
    });
    if let Some(due) = due {
        write!(line, "：{due}").ok();
    }
    line
}
