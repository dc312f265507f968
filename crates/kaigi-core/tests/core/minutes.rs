//! The minutes parser on the sample, on variations real archives show, and round trips.

#![expect(clippy::unwrap_used, reason = "generators and tests stop at the first unexpected error")]

use kaigi_core::minutes::{ActionItem, AgendaItem, MinutesDocument, Participant, Venue, parse, render_markdown};
use proptest::prelude::*;

fn sample() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples/minutes-sample-ja.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("the sample minutes at {path}: {e}"))
}

#[test]
fn the_sample_gives_the_contract_values() {
    let doc = parse(&sample()).unwrap();
    assert_eq!(doc.series.as_deref(), Some("IGF 2026 に向けたユース参画推進チーム"));
    assert_eq!(doc.number, Some(12));
    assert_eq!(
        (doc.date.as_deref(), doc.start.as_deref(), doc.end.as_deref()),
        (Some("2026-03-09"), Some("18:30"), Some("20:05"))
    );
    assert_eq!(doc.venue, Venue { kind: Some("hybrid".into()), text: "サンプル会館 3 階会議室 B ／オンライン".into() });
    assert_eq!(
        doc.hosts,
        ["一般社団法人サンプルネットワーク協会(SNA)", "特定非営利活動法人デジタル市民フォーラム(DCF)"]
    );
    let families: Vec<&str> = doc.participants.iter().map(|p| p.family.as_str()).collect();
    assert_eq!(families, ["青木", "Ito", "上田", "大森", "川口", "佐々木", "Nakano", "西村", "野口", "藤井", "森"]);
    assert_eq!(
        doc.participants[0],
        Participant { family: "青木".into(), given: "真理".into(), affiliation: "サンプル大学".into() }
    );
    assert_eq!(
        doc.participants[6],
        Participant { family: "Nakano".into(), given: "Ren".into(), affiliation: "Example Telecom K.K.".into() }
    );
    assert_eq!(doc.stated_count, Some(11));
    assert_eq!(doc.chair.as_deref(), Some("藤井 健太"));
    assert_eq!(doc.minute_taker.as_deref(), Some("上田 浩二"));
    assert_eq!(doc.materials, ["資料 1：ユースセッション提案書ドラフト", "資料 2：メンター制度アンケート集計"]);
    let numbers: Vec<&str> = doc.items.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(numbers, ["1", "2", "3", "4", "5", "5.1", "6", "7", "8", "9", "10"]);
    assert_eq!((doc.items[3].title.as_str(), doc.items[3].timebox_min), ("政府からの報告", Some(10)));
    assert_eq!((doc.items[5].title.as_str(), doc.items[5].timebox_min), ("提案書の役割分担", None));
    assert_eq!(doc.items[9].timebox_min, Some(5), "[5分] without a space");
    assert!(
        doc.items[3].body.contains("<sup>1</sup> <https://example.org/igf2026/call-for-proposals>"),
        "footnotes are kept"
    );
    assert!(!doc.items[10].body.contains("以上"));
    assert_eq!(
        doc.action_items,
        [
            ActionItem {
                text: "企業からの登壇候補者への打診".into(),
                owners: vec!["川口".into()],
                due: Some("2026-03-20".into())
            },
            ActionItem {
                text: "提案書ドラフト第 2 版の作成".into(),
                owners: vec!["野口".into(), "Ito".into()],
                due: Some("2026-03-27".into())
            },
            ActionItem {
                text: "メンター制度オリエンテーション案の作成".into(),
                owners: vec!["青木".into()],
                due: Some("2026-04".into())
            },
        ]
    );
    assert_eq!(doc.decisions, ["IGF 2026 後に報告会を開催する"]);
    let next = doc.next_meeting.as_ref().unwrap();
    assert_eq!(next.candidates, ["2026-03-30", "2026-04-02", "2026-04-06"]);
    assert_eq!(next.start.as_deref(), Some("18:30"));
    assert_eq!(next.draft_agenda, ["政府からの報告", "提案書ドラフト第 2 版のレビュー", "メンター制度について"]);
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn the_json_uses_the_contract_field_names() {
    let json = serde_json::to_value(parse(&sample()).unwrap()).unwrap();
    for field in [
        "series",
        "number",
        "date",
        "start",
        "end",
        "venue",
        "hosts",
        "participants",
        "stated_count",
        "chair",
        "minute_taker",
        "materials",
        "items",
        "action_items",
        "decisions",
        "next_meeting",
        "warnings",
    ] {
        assert!(json.get(field).is_some(), "{field}");
    }
    assert!(json["items"][0].get("timebox_min").is_some());
    assert!(json["next_meeting"].get("draft_agenda").is_some());
}

const FULL_WIDTH: &str = "\u{feff}### 地域 IGF 準備会合　第１２回会合\r
\r
開催日時：２０２５年１２月８日（月）１０：００～１１：３０\r
開催場所：オンライン開催（Zoom）\r
主催：一般社団法人サンプル協会、サンプル大学\r
参加者（五十音順・敬称略）\r
\r
| 氏名 | 所属 | 氏名 | 所属 |\r
|---|---|---|---|\r
| 青木 真理 | サンプル大学 | 西村 一郎 | 総務省 |\r
| Ito Sakura | DCF |  |  |\r
\r
参加者数：４名\r
司会：西村 一郎\r
議事録作成：青木 真理\r
\r
## 資料 1：年間計画案\r
## 資料 2：予算表\r
\r
### １．開会\r
\r
- 挨拶\r
\r
#### ２．年間計画について［１５分］\r
\r
- 計画案を了承した【この案でいくこととする】\r
\r
**3. 宿題**\r
\r
- [ ] 予算表の修正（西村氏）：1/16\r
- 会場の下見（青木、Ito）：2 月上旬\r
- 議事録の公開（青木）：来月中\r
\r
# 4. 次回\r
\r
- 次回アジェンダ\r
    - 予算の確定\r
- 次回開催候補：1/19(月)、2026/2/2(月)　18:00 開始\r
\r
以上\r
";

#[test]
fn variations_full_width_pipes_pdf_headings_bold_items_and_a_year_turn() {
    let doc = parse(FULL_WIDTH).unwrap();
    assert_eq!(doc.series.as_deref(), Some("地域 IGF 準備会合"));
    assert_eq!(doc.number, Some(12));
    assert_eq!(
        (doc.date.as_deref(), doc.start.as_deref(), doc.end.as_deref()),
        (Some("2025-12-08"), Some("10:00"), Some("11:30"))
    );
    assert_eq!(doc.venue, Venue { kind: Some("online".into()), text: "Zoom".into() });
    assert_eq!(doc.hosts, ["一般社団法人サンプル協会", "サンプル大学"]);
    let names: Vec<(&str, &str)> = doc.participants.iter().map(|p| (p.family.as_str(), p.given.as_str())).collect();
    assert_eq!(names, [("青木", "真理"), ("Ito", "Sakura"), ("西村", "一郎")], "column by column, empty cells skipped");
    assert_eq!(doc.stated_count, Some(4));
    assert!(doc.warnings.iter().any(|w| w.contains("4") && w.contains("3")), "{:?}", doc.warnings);
    assert_eq!(doc.chair.as_deref(), Some("西村 一郎"));
    assert_eq!(doc.materials, ["資料 1：年間計画案", "資料 2：予算表"], "headings from a PDF are materials");
    let items: Vec<(&str, &str, Option<i64>)> =
        doc.items.iter().map(|i| (i.number.as_str(), i.title.as_str(), i.timebox_min)).collect();
    assert_eq!(
        items,
        [("1", "開会", None), ("2", "年間計画について", Some(15)), ("3", "宿題", None), ("4", "次回", None)]
    );
    assert_eq!(doc.decisions, ["計画案を了承した"]);
    assert_eq!(
        doc.action_items[0],
        ActionItem { text: "予算表の修正".into(), owners: vec!["西村".into()], due: Some("2026-01-16".into()) }
    );
    assert_eq!(doc.action_items[1].owners, ["青木", "Ito"]);
    assert_eq!(doc.action_items[1].due.as_deref(), Some("2026-02"), "a month before the meeting's month is next year");
    assert_eq!(doc.action_items[2].due, None);
    assert!(
        doc.warnings.iter().any(|w| w.contains("来月中")),
        "an unreadable due date is reported: {:?}",
        doc.warnings
    );
    let next = doc.next_meeting.unwrap();
    assert_eq!(next.candidates, ["2026-01-19", "2026-02-02"]);
    assert_eq!(next.start.as_deref(), Some("18:00"));
    assert_eq!(next.draft_agenda, ["予算の確定"]);
}

#[test]
fn what_cannot_be_read_is_reported_with_its_line() {
    let text = "# 委員会第 3 回会合\n\n開催日時： 2026 年 5 月 1 日(金)\n次回までに考えておくこと\n\n## 1. 開会\n\n- 特になし\n";
    let doc = parse(text).unwrap();
    assert!(
        doc.warnings.iter().any(|w| w.starts_with("line 4:") && w.contains("次回までに考えておくこと")),
        "{:?}",
        doc.warnings
    );
    assert!(doc.warnings.iter().any(|w| w.contains("time range")), "{:?}", doc.warnings);
    assert_eq!(doc.date.as_deref(), Some("2026-05-01"));
    assert_eq!(doc.next_meeting, None);
}

#[test]
fn participants_listed_on_one_line_are_read() {
    let text = "# 準備会合 第 2 回\n\n開催日時： 2026年5月11日(月) 10:00-11:00\n出席者：青木 真理（サンプル大学）、Nakano Ren (Example Telecom)、森由美\n参加者数：3名\n\n## 1. 開会\n\n- 挨拶\n";
    let doc = parse(text).unwrap();
    let names: Vec<(&str, &str, &str)> =
        doc.participants.iter().map(|p| (p.family.as_str(), p.given.as_str(), p.affiliation.as_str())).collect();
    assert_eq!(names, [("青木", "真理", "サンプル大学"), ("Nakano", "Ren", "Example Telecom"), ("森由美", "", "")]);
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let noted = sample().replace("参加者 (五十音順・敬称略)", "参加者（五十音順、敬称略）");
    assert_eq!(parse(&noted).unwrap().participants.len(), 11, "a note about the order is not a list of names");
}

#[test]
fn text_that_is_not_minutes_is_refused() {
    assert!(parse("").is_err());
    assert!(parse("Dear all,\n\nplease find the agenda attached.\n\nBest,\nKenta").is_err());
    assert!(parse("{\"hello\": \"json\"}").is_err());
}

#[test]
fn todo_none_and_progress_items_give_no_action_items() {
    let text = "# 会合 第 1 回\n\n開催日時： 2026年4月1日 10:00-11:00\n\n## 1. 宿題の進捗確認\n\n- 資料作成（森）：完了\n\n## 2. Todo\n\n- 特になし\n";
    let doc = parse(text).unwrap();
    assert!(doc.action_items.is_empty(), "{:?}", doc.action_items);
}

/// Text as the parser gives it back: runs of spaces are one space (it normalises them).
fn safe_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[あ-んア-ン漢字会議提案報告a-zA-Z][あ-んア-ン漢字会議提案報告a-zA-Z0-9 ]{0,14}[あ-んア-ン漢字会議提案報告a-zA-Z]")
        .expect("regex")
        .prop_map(|s| kaigi_core::directory::normalize_spaces(&s))
}

/// An agenda item's title. One that says "Todo" is, by the layout's convention, the action
/// items' section, whose lines are read as action items: the generator leaves those out (the
/// generated text can spell it by chance, "aTODo案").
fn item_title() -> impl Strategy<Value = String> {
    safe_text().prop_filter("not the action items' section", |t| !t.to_lowercase().contains("todo"))
}

/// A name as it comes back: honorifics (氏, さん) are dropped by the parser (敬称略).
fn name_part() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[一-龥あ-んA-Z][一-龥a-z]{0,4}")
        .expect("regex")
        .prop_filter("no honorific", |s| !s.ends_with('氏') && !s.ends_with("さん"))
}

prop_compose! {
    fn document()(
        series in safe_text(),
        number in 1i64..300,
        day in 0u32..3000,
        start_h in 7u32..20, start_m in 0u32..60, length in 30u32..180,
        kind in prop::sample::select(vec!["onsite", "online", "hybrid"]),
        place in safe_text(),
        hosts in prop::collection::vec(safe_text(), 0..3),
        participants in prop::collection::vec((name_part(), name_part(), safe_text()), 0..14),
        chair in proptest::option::of(safe_text()),
        taker in proptest::option::of(safe_text()),
        materials in prop::collection::vec(safe_text(), 0..4),
        items in prop::collection::vec((item_title(), proptest::option::of(1i64..120), prop::collection::vec(safe_text(), 0..4), any::<bool>()), 1..8),
    ) -> MinutesDocument {
        let date = time::Date::from_calendar_date(2020, time::Month::January, 1).unwrap() + time::Duration::days(day.into());
        let end = start_h * 60 + start_m + length;
        let mut numbered = Vec::new();
        let mut major = 0;
        let mut minor = 0;
        for (title, timebox, lines, sub) in items {
            if sub && major > 0 { minor += 1; } else { major += 1; minor = 0; }
            let number = if minor > 0 { format!("{major}.{minor}") } else { major.to_string() };
            let body = lines.iter().map(|l| format!("- {l}")).collect::<Vec<_>>().join("\n");
            numbered.push(AgendaItem { number, title, timebox_min: timebox, body });
        }
        MinutesDocument {
            series: Some(series),
            number: Some(number),
            date: Some(format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())),
            start: Some(format!("{start_h:02}:{start_m:02}")),
            end: Some(format!("{:02}:{:02}", end / 60, end % 60)),
            venue: Venue { kind: Some(kind.to_owned()), text: place },
            hosts,
            stated_count: Some(participants.len() as i64).filter(|n| *n > 0),
            participants: participants.into_iter().map(|(family, given, affiliation)| Participant { family, given, affiliation }).collect(),
            chair,
            minute_taker: taker,
            materials,
            items: numbered,
            ..MinutesDocument::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn rendered_minutes_parse_back_the_same(doc in document()) {
        let text = render_markdown(&doc);
        let back = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(back, doc, "{}", text);
    }

    #[test]
    fn action_items_survive_the_round_trip(
        doc in document(),
        todos in prop::collection::vec((safe_text(), prop::collection::vec(name_part(), 1..3), 1u8..13, 1u8..29), 1..5),
    ) {
        let mut doc = doc;
        let meeting = doc.date.clone().unwrap();
        let (year, month): (i32, u8) = (meeting[..4].parse().unwrap(), meeting[5..7].parse().unwrap());
        let body = todos.iter().map(|(text, owners, m, d)| format!("- {text}（{}）：{m}/{d} まで", owners.join("、"))).collect::<Vec<_>>().join("\n");
        let number = (doc.items.iter().filter(|i| !i.number.contains('.')).count() + 1).to_string();
        doc.items.push(AgendaItem { number, title: "本日の Todo 確認".into(), timebox_min: Some(5), body });
        doc.action_items = todos.iter().map(|(text, owners, m, d)| ActionItem {
            text: text.clone(),
            owners: owners.clone(),
            due: Some(format!("{:04}-{m:02}-{d:02}", if *m < month { year + 1 } else { year })),
        }).collect();
        let back = parse(&render_markdown(&doc)).unwrap();
        prop_assert_eq!(back.action_items, doc.action_items);
    }

    #[test]
    fn the_parser_never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
        let _ = parse(&text);
    }

    #[test]
    fn the_parser_never_panics_on_a_damaged_sample(cut_from in 0usize..4000, cut_len in 0usize..400, insert in "\\PC{0,20}") {
        let sample = sample();
        let chars: Vec<char> = sample.chars().collect();
        let from = cut_from.min(chars.len());
        let to = (from + cut_len).min(chars.len());
        let damaged: String = chars[..from].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(chars[to..].iter()).collect();
        if let Ok(doc) = parse(&damaged) {
            prop_assert!(doc.items.len() <= 20);
        }
    }
}
