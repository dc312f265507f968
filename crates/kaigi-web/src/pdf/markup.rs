//! Minutes' Markdown as Typst markup, for the PDF: lists, emphasis, links, code and quotes
//! become Typst's own; every character of the text itself is escaped, so nothing a
//! minute-taker writes can run as Typst code or change the layout (the property test compiles
//! arbitrary text).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Text as Typst markup that shows exactly these characters.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        match c {
            // Any ASCII punctuation may start markup (#, *, _, `, $, <, @, =, -, +, /, ~…);
            // a backslash before a character always means the character itself.
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A Typst string literal holding `text`.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

enum List {
    Bullets,
    Numbers(u64),
}

fn safe_link(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// The Markdown of a minutes item as Typst markup.
pub fn markdown_to_typst(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut out = String::new();
    let mut lists: Vec<List> = Vec::new();
    // What closes each open element, innermost last.
    let mut closers: Vec<Closer> = Vec::new();
    // A code block's lines, kept as written until it ends.
    let mut code: Option<String> = None;
    // Continuation lines of a list item are indented past its marker.
    let indent = |lists: &Vec<List>| "  ".repeat(lists.len());
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {}
                Tag::Heading { level, .. } => {
                    let size = if level <= HeadingLevel::H2 { "11pt" } else { "10pt" };
                    out.push_str(&format!("\n#text(weight: \"bold\", size: {size})["));
                    closers.push(Closer::Block("]\n"));
                }
                Tag::BlockQuote(_) => {
                    out.push_str("\n#quote(block: true)[");
                    closers.push(Closer::Block("]\n"));
                }
                Tag::CodeBlock(_) => code = Some(String::new()),
                Tag::List(start) => {
                    lists.push(match start {
                        Some(n) => List::Numbers(n),
                        None => List::Bullets,
                    });
                }
                Tag::Item => {
                    let depth = lists.len().saturating_sub(1);
                    out.push('\n');
                    out.push_str(&"  ".repeat(depth));
                    match lists.last_mut() {
                        Some(List::Numbers(n)) => {
                            out.push_str(&format!("{n}. "));
                            *n += 1;
                        }
                        _ => out.push_str("- "),
                    }
                }
                Tag::Emphasis => {
                    out.push_str("#emph[");
                    closers.push(Closer::Block("]"));
                }
                Tag::Strong => {
                    out.push_str("#strong[");
                    closers.push(Closer::Block("]"));
                }
                Tag::Strikethrough => {
                    out.push_str("#strike[");
                    closers.push(Closer::Block("]"));
                }
                Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } if safe_link(&dest_url) => {
                    out.push_str(&format!("#link({})[", string_literal(&dest_url)));
                    closers.push(Closer::Block("]"));
                }
                Tag::Link { .. } | Tag::Image { .. } => closers.push(Closer::Block("")),
                Tag::Table(_) => {
                    out.push('\n');
                    closers.push(Closer::Block("\n"));
                }
                Tag::TableHead | Tag::TableRow => {}
                Tag::TableCell => {}
                Tag::FootnoteDefinition(label) => {
                    out.push_str(&format!("\n#super[{}] ", escape(&label)));
                    closers.push(Closer::Block("\n"));
                }
                _ => closers.push(Closer::Block("")),
            },
            // A `<sup>` never outlives the element it was opened in.
            Event::End(tag) => {
                close_sups(&mut closers, &mut out);
                match tag {
                    TagEnd::Paragraph => {
                        if lists.is_empty() {
                            out.push_str("\n\n");
                        } else {
                            out.push('\n');
                            out.push_str(&indent(&lists));
                        }
                    }
                    TagEnd::List(_) => {
                        lists.pop();
                        if lists.is_empty() {
                            out.push_str("\n\n");
                        }
                    }
                    TagEnd::Item => {}
                    TagEnd::TableHead | TagEnd::TableRow => out.push_str(" \\\n"),
                    TagEnd::TableCell => out.push_str(" │ "),
                    TagEnd::CodeBlock => {
                        let text = code.take().unwrap_or_default();
                        out.push_str(&format!("\n#raw(block: true, {})\n", string_literal(text.trim_end())));
                    }
                    _ => out.push_str(closers.pop().map_or("", Closer::text)),
                }
            }
            Event::Text(text) => match code.as_mut() {
                Some(code) => code.push_str(&text),
                None => out.push_str(&escape(&text)),
            },
            Event::Code(code) => out.push_str(&format!("#raw({})", string_literal(&code))),
            Event::Html(raw) | Event::InlineHtml(raw) => match raw.trim() {
                "<sup>" => {
                    out.push_str("#super[");
                    closers.push(Closer::Sup);
                }
                "</sup>" if closers.last() == Some(&Closer::Sup) => {
                    closers.pop();
                    out.push(']');
                }
                "<br>" | "<br/>" | "<br />" => out.push_str(" \\\n"),
                _ => out.push_str(&escape(&raw)),
            },
            Event::FootnoteReference(label) => out.push_str(&format!("#super[{}]", escape(&label))),
            Event::SoftBreak => {
                out.push('\n');
                out.push_str(&indent(&lists));
            }
            Event::HardBreak => {
                out.push_str(" \\\n");
                out.push_str(&indent(&lists));
            }
            Event::Rule => out.push_str("\n#line(length: 100%, stroke: 0.4pt + luma(150))\n"),
            Event::TaskListMarker(done) => out.push_str(if done { "☑ " } else { "☐ " }),
            Event::InlineMath(m) | Event::DisplayMath(m) => out.push_str(&escape(&m)),
        }
    }
    while let Some(closer) = closers.pop() {
        out.push_str(closer.text());
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum Closer {
    /// What ends a Markdown element's Typst ("]" for a content block, "" for one dropped).
    Block(&'static str),
    /// A `<sup>` of the text, closed by its `</sup>` or where its block ends.
    Sup,
}

impl Closer {
    fn text(self) -> &'static str {
        match self {
            Closer::Block(text) => text,
            Closer::Sup => "]",
        }
    }
}

fn close_sups(closers: &mut Vec<Closer>, out: &mut String) {
    while closers.last() == Some(&Closer::Sup) {
        closers.pop();
        out.push(']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_in_the_text_are_shown_not_run() {
        let typst = markdown_to_typst("#set page(width: 1cm) **bold** $x$ <label> @ref");
        assert!(!typst.replace("\\#", "").contains("#set"), "{typst}");
        assert!(typst.contains("\\#set"), "{typst}");
        assert!(typst.contains("#strong["), "{typst}");
    }

    #[test]
    fn lists_nest_and_links_keep_their_address() {
        let typst = markdown_to_typst("- 西村氏より報告\n  - [募集](https://example.org/a\"b)\n- 次\n");
        assert!(typst.contains("\n- 西村氏より報告"), "{typst}");
        assert!(typst.contains("\n  - #link(\"https://example.org/a\\\"b\")["), "{typst}");
        let unsafe_link = markdown_to_typst("[x](javascript:alert(1))");
        assert!(!unsafe_link.contains("#link"), "{unsafe_link}");
    }
}
