//! Charts as inline SVG, for pages people would rather look at than read.

use crate::error::html_escape;

const PALETTE: [&str; 8] = ["#1f5fa8", "#e07b00", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d"];

/// One stacked bar per row, the same category colours in every row, with a legend. Labels are
/// escaped here because the markup is inserted unescaped.
pub fn stacked_bars(rows: &[(String, Vec<(String, i64)>)], categories: &[String]) -> String {
    stacked_bars_in(rows, categories, &PALETTE)
}

/// [`stacked_bars`] in colours of the caller's choosing, one per category in order.
pub fn stacked_bars_in(rows: &[(String, Vec<(String, i64)>)], categories: &[String], palette: &[&str]) -> String {
    let row_height = 26;
    let label_width = 240;
    let bar_width = 420.0;
    let legend = 24 * categories.len().div_ceil(2);
    let height = rows.len() * row_height + legend + 12;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        w = label_width + 460
    );
    let colour = |c: &str| palette[categories.iter().position(|x| x == c).unwrap_or(0) % palette.len()];
    for (i, (label, parts)) in rows.iter().enumerate() {
        let y = i * row_height + 4;
        let total: i64 = parts.iter().map(|(_, n)| n).sum();
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"#1d2433\">{}</text>",
            label_width - 8,
            y + 14,
            html_escape(label)
        ));
        let mut x = label_width as f64;
        for (category, n) in parts {
            if *n == 0 || total == 0 {
                continue;
            }
            let w = *n as f64 / total as f64 * bar_width;
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" fill=\"{}\"><title>{}: {n} ({:.0}%)</title></rect>",
                colour(category),
                html_escape(category),
                *n as f64 * 100.0 / total as f64
            ));
            x += w;
        }
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#555\">{total}</text>",
            label_width as f64 + bar_width + 6.0,
            y + 14
        ));
    }
    let top = rows.len() * row_height + 10;
    for (i, c) in categories.iter().enumerate() {
        let (x, y) = (label_width / 4 + (i % 2) * 320, top + (i / 2) * 24);
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1d2433\">{}</text>",
            colour(c),
            x + 20,
            y + 12,
            html_escape(c)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A horizontal bar chart as inline SVG; labels are escaped here because the markup is
/// inserted unescaped.
pub fn bar_chart(bars: &[(String, i64)]) -> String {
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1) as f64;
    let row = 26;
    // Japanese labels run to about 20 characters of 13 px.
    let label_width = 280;
    let bar_width = 320.0;
    let height = bars.len() * row + 8;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        width = label_width + 380
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = i * row + 4;
        let w = (*value as f64 / max * bar_width).round();
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"#1d2433\">{}</text>\
             <rect x=\"{label_width}\" y=\"{y}\" width=\"{w}\" height=\"18\" rx=\"3\" fill=\"#1f5fa8\"><title>{}: {value}</title></rect>\
             <text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#1d2433\">{value}</text>",
            label_width - 8,
            y + 14,
            crate::error::html_escape(label),
            crate::error::html_escape(label),
            label_width as f64 + w + 6.0,
            y + 14,
        ));
    }
    svg.push_str("</svg>");
    svg
}
