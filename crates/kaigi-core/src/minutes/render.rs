//! Writes minutes in the conventional layout (see `shared/samples/minutes-sample-ja.md`):
//! heading; 開催日時; 開催場所; 主催; the two-column participant table read column by column;
//! 参加者数; 司会進行; 議事録作成; 資料; numbered items with time boxes; 以上.

use std::fmt::Write;

use time::{Date, Month};

use super::MinutesDocument;

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
        writeln!(out, "姓\t名\tご所属\t姓\t名\tご所属").ok();
        let rows = doc.participants.len().div_ceil(2);
        let (left, right) = doc.participants.split_at(rows);
        for (i, l) in left.iter().enumerate() {
            match right.get(i) {
                Some(r) => writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    l.family, l.given, l.affiliation, r.family, r.given, r.affiliation
                ),
                None => writeln!(out, "{}\t{}\t{}\t\t\t", l.family, l.given, l.affiliation),
            }
            .ok();
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
    for item in &doc.items {
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
