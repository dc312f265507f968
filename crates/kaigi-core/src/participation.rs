//! Participation (PRODUCT.md §5): who registered, counted the way forums report it — by
//! stakeholder group, region, country, gender, onsite or online, first-timers — for one edition
//! or several side by side, including past editions known only by their published figures.
//!
//! Public figures hide groups too small to keep people anonymous: a count between 1 and
//! [`SMALL_GROUP`] − 1 is shown as "fewer than 5", and when that would leave a single hidden
//! count in a figure (which the total would give away), the next smallest count is hidden too.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::directory::{Country, StakeholderGroup, UnRegion, gender_bucket};

/// The smallest count shown in public statistics.
pub const SMALL_GROUP: u64 = 5;

crate::directory::vocabulary! {
    /// How a participant attends.
    Attendance {
        Onsite => "onsite",
        Online => "online",
    }
}

crate::directory::vocabulary! {
    /// The figures a participation report breaks the total down by.
    Dimension {
        StakeholderGroup => "stakeholder-group",
        Region => "region",
        Country => "country",
        Gender => "gender",
        Attendance => "attendance",
        FirstTime => "first-time",
        Youth => "youth",
        Category => "category",
    }
}

/// The category name used when a participant did not say, or did not consent to statistics.
pub const NOT_STATED: &str = "not-stated";

/// What a registration contributes to statistics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub category: String,
    pub attendance: Attendance,
    pub stakeholder_group: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub gender: Option<String>,
    pub youth: bool,
    pub first_time: bool,
    /// Without consent a registration counts in the total, its category and how it attends
    /// (which the secretariat needs to run the venue) and nowhere else.
    pub consent: bool,
}

/// One edition's counts: the total, and per dimension a count per category.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub total: u64,
    pub by: BTreeMap<Dimension, BTreeMap<String, u64>>,
}

impl Figures {
    pub fn count(&self, dimension: Dimension, category: &str) -> u64 {
        self.by.get(&dimension).and_then(|m| m.get(category)).copied().unwrap_or(0)
    }
}

/// Counts registrations.
pub fn tally(participants: &[Participant]) -> Figures {
    let mut figures = Figures { total: participants.len() as u64, by: BTreeMap::new() };
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    for p in participants {
        let mut add = |dimension: Dimension, category: &str| {
            *figures.by.entry(dimension).or_default().entry(category.to_owned()).or_default() += 1;
        };
        add(Dimension::Category, &p.category);
        add(Dimension::Attendance, p.attendance.code());
        if !p.consent {
            for d in [
                Dimension::StakeholderGroup,
                Dimension::Region,
                Dimension::Country,
                Dimension::Gender,
                Dimension::FirstTime,
                Dimension::Youth,
            ] {
                add(d, NOT_STATED);
            }
            continue;
        }
        let stated =
            |v: &Option<String>| v.as_deref().filter(|s| !s.trim().is_empty()).unwrap_or(NOT_STATED).to_owned();
        add(Dimension::StakeholderGroup, &stated(&p.stakeholder_group));
        add(Dimension::Region, &stated(&p.region));
        add(Dimension::Country, &stated(&p.country));
        add(Dimension::Gender, gender_bucket(p.gender.as_deref()));
        add(Dimension::FirstTime, yes_no(p.first_time));
        add(Dimension::Youth, yes_no(p.youth));
    }
    figures
}

/// A count as published: exact, or hidden because the group is small.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Shown {
    Exact(u64),
    /// Between 1 and `SMALL_GROUP - 1`, or hidden so that another hidden count cannot be
    /// worked out from the total.
    Hidden,
}

/// Figures with small groups hidden, for the public.
pub fn suppress(figures: &Figures, threshold: u64) -> BTreeMap<Dimension, BTreeMap<String, Shown>> {
    figures
        .by
        .iter()
        .map(|(dimension, counts)| {
            let mut shown: BTreeMap<String, Shown> = counts
                .iter()
                .map(|(c, &n)| (c.clone(), if n > 0 && n < threshold { Shown::Hidden } else { Shown::Exact(n) }))
                .collect();
            let hidden = shown.values().filter(|s| **s == Shown::Hidden).count();
            if hidden == 1 {
                // One hidden count is the total minus the others: hide the next smallest too.
                let next = counts
                    .iter()
                    .filter(|(c, n)| **n > 0 && shown.get(*c) != Some(&Shown::Hidden))
                    .min_by_key(|(c, n)| (**n, (*c).clone()))
                    .map(|(c, _)| c.clone());
                if let Some(next) = next {
                    shown.insert(next, Shown::Hidden);
                }
            }
            (*dimension, shown)
        })
        .collect()
}

/// One line of a file of past editions' published figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AggregateRow {
    /// A short key for the edition ("igf-2023"), unique across the site.
    pub edition: String,
    /// The edition's name as shown ("IGF 2023 Kyoto").
    pub name: String,
    /// `None` for the edition's total.
    pub dimension: Option<Dimension>,
    pub category: String,
    pub count: u64,
}

/// Where and what is wrong in a file of figures.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, {field}: {message}")]
pub struct AggregateError {
    pub line: u64,
    pub field: &'static str,
    pub message: String,
}

/// The header a file of past figures starts with.
pub const AGGREGATE_HEADER: &str = "edition,name,dimension,category,count";

/// Reads past editions' figures from CSV with the header [`AGGREGATE_HEADER`]. The dimension
/// `total` (category `all`) gives an edition's total; every edition needs one, because
/// published breakdowns rarely add up to it (not everyone states a group or a region).
/// Codes are checked where kaigi has a vocabulary: stakeholder groups, regions, attendance,
/// ISO country codes; `not-stated` is allowed everywhere.
pub fn parse_aggregates(text: &str) -> Result<Vec<AggregateRow>, AggregateError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let header_error = |message: String| AggregateError { line: 1, field: "header", message };
    let headers = reader.headers().map_err(|e| header_error(e.to_string()))?.clone();
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    if names != AGGREGATE_HEADER.split(',').collect::<Vec<_>>() {
        return Err(header_error(format!(
            "expected {AGGREGATE_HEADER:?}, found {:?}",
            headers.iter().collect::<Vec<_>>().join(",")
        )));
    }
    let mut rows = Vec::new();
    let mut seen: BTreeMap<(String, Option<Dimension>, String), u64> = BTreeMap::new();
    let mut names_of: BTreeMap<String, String> = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| AggregateError {
            line: e.position().map_or(line, |p| p.line()),
            field: "row",
            message: match e.kind() {
                csv::ErrorKind::UnequalLengths { len, .. } => format!("expected 5 fields, found {len}"),
                _ => e.to_string(),
            },
        })?;
        let at = |field: &'static str, message: String| AggregateError { line, field, message };
        let get = |n: usize| record.get(n).unwrap_or("").trim();
        let edition = get(0).to_lowercase();
        if edition.is_empty()
            || edition.len() > 60
            || !edition.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(at("edition", format!("expected a short key of letters, digits and '-', found {:?}", get(0))));
        }
        let name = crate::spreadsheet::restore(get(1)).trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(at("name", "must be 1 to 200 characters".into()));
        }
        match names_of.get(&edition) {
            Some(known) if *known != name => {
                return Err(at("name", format!("edition {edition:?} is named {known:?} on an earlier line")));
            }
            Some(_) => {}
            None => {
                names_of.insert(edition.clone(), name.clone());
            }
        }
        let raw_dimension = get(2).to_lowercase();
        let dimension = if raw_dimension == "total" {
            None
        } else {
            Some(raw_dimension.parse::<Dimension>().map_err(|_| {
                at(
                    "dimension",
                    format!(
                        "unknown dimension {:?}; use total or one of {}",
                        get(2),
                        Dimension::ALL.iter().map(|d| d.code()).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?)
        };
        let category = canonical_category(dimension, crate::spreadsheet::restore(get(3)).trim())
            .map_err(|message| at("category", message))?;
        let count: u64 = get(4)
            .replace([',', '_'], "")
            .parse()
            .map_err(|_| at("count", format!("expected a whole number, found {:?}", get(4))))?;
        if seen.insert((edition.clone(), dimension, category.clone()), line).is_some() {
            return Err(at("category", format!("{category:?} is given twice for {edition:?}")));
        }
        rows.push(AggregateRow { edition, name, dimension, category, count });
    }
    for edition in names_of.keys() {
        if !rows.iter().any(|r| r.edition == *edition && r.dimension.is_none()) {
            return Err(AggregateError {
                line: 0,
                field: "total",
                message: format!("edition {edition:?} has no line with dimension total"),
            });
        }
    }
    if rows.is_empty() {
        return Err(AggregateError { line: 1, field: "row", message: "the file has no figures".into() });
    }
    Ok(rows)
}

/// The stored form of a category in a dimension, or why it is not one.
fn canonical_category(dimension: Option<Dimension>, raw: &str) -> Result<String, String> {
    let lower = raw.trim().to_lowercase();
    if lower.is_empty() {
        return Err("must not be empty".into());
    }
    if lower == NOT_STATED {
        return Ok(lower);
    }
    let known = |ok: bool, what: &str, codes: Vec<&str>| {
        if ok { Ok(lower.clone()) } else { Err(format!("unknown {what} {raw:?}; use one of {}", codes.join(", "))) }
    };
    match dimension {
        None => known(lower == "all", "total category", vec!["all"]),
        Some(Dimension::StakeholderGroup) => known(
            lower.parse::<StakeholderGroup>().is_ok(),
            "stakeholder group",
            StakeholderGroup::ALL.iter().map(|g| g.code()).collect(),
        ),
        Some(Dimension::Region) => {
            known(lower.parse::<UnRegion>().is_ok(), "region", UnRegion::ALL.iter().map(|g| g.code()).collect())
        }
        Some(Dimension::Attendance) => {
            known(lower.parse::<Attendance>().is_ok(), "attendance", Attendance::ALL.iter().map(|g| g.code()).collect())
        }
        Some(Dimension::Country) => Country::parse(raw).map(|c| c.as_str().to_owned()).map_err(|e| e.to_string()),
        Some(Dimension::Gender) => known(
            ["woman", "man", "self-described", "undisclosed"].contains(&lower.as_str()),
            "gender",
            vec!["woman", "man", "self-described", "undisclosed"],
        ),
        Some(Dimension::FirstTime | Dimension::Youth) => {
            known(lower == "yes" || lower == "no", "answer", vec!["yes", "no"])
        }
        Some(Dimension::Category) => {
            if lower.len() <= 40 && lower.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                Ok(lower)
            } else {
                Err(format!("expected a category code such as delegate, found {raw:?}"))
            }
        }
    }
}

/// Past figures as per-edition [`Figures`], in the order the editions first appear.
pub fn figures_from_rows(rows: &[AggregateRow]) -> Vec<(String, String, Figures)> {
    let mut out: Vec<(String, String, Figures)> = Vec::new();
    for row in rows {
        let i = match out.iter().position(|(key, _, _)| *key == row.edition) {
            Some(i) => i,
            None => {
                out.push((row.edition.clone(), row.name.clone(), Figures::default()));
                out.len() - 1
            }
        };
        let figures = &mut out[i].2;
        match row.dimension {
            None => figures.total = row.count,
            Some(d) => {
                figures.by.entry(d).or_default().insert(row.category.clone(), row.count);
            }
        }
    }
    out
}

/// Writes figures as CSV with [`AGGREGATE_HEADER`], the format [`parse_aggregates`] reads.
pub fn to_csv(editions: &[(String, String, Figures)]) -> String {
    let mut csv = crate::spreadsheet::Csv::new();
    let mut write = |fields: [&str; 5]| csv.row(fields);
    write(["edition", "name", "dimension", "category", "count"]);
    for (key, name, figures) in editions {
        write([key, name, "total", "all", &figures.total.to_string()]);
        for (dimension, counts) in &figures.by {
            for (category, count) in counts {
                write([key, name, dimension.code(), category, &count.to_string()]);
            }
        }
    }
    csv.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(group: &str, consent: bool) -> Participant {
        Participant {
            category: "delegate".into(),
            attendance: Attendance::Onsite,
            stakeholder_group: Some(group.into()),
            region: Some("asia-pacific".into()),
            country: Some("JP".into()),
            gender: Some("女性".into()),
            youth: false,
            first_time: true,
            consent,
        }
    }

    #[test]
    fn without_consent_only_the_total_category_and_attendance_count() {
        let f = tally(&[person("academia", true), person("academia", false)]);
        assert_eq!(f.total, 2);
        assert_eq!(f.count(Dimension::StakeholderGroup, "academia"), 1);
        assert_eq!(f.count(Dimension::StakeholderGroup, NOT_STATED), 1);
        assert_eq!(f.count(Dimension::Attendance, "onsite"), 2);
        assert_eq!(f.count(Dimension::Gender, "woman"), 1);
    }

    #[test]
    fn a_single_small_group_hides_the_next_smallest_too() {
        let mut people: Vec<Participant> = (0..20).map(|_| person("government", true)).collect();
        people.extend((0..7).map(|_| person("academia", true)));
        people.extend((0..2).map(|_| person("civil-society", true)));
        let shown = suppress(&tally(&people), SMALL_GROUP);
        let groups = &shown[&Dimension::StakeholderGroup];
        assert_eq!(groups["civil-society"], Shown::Hidden);
        assert_eq!(groups["academia"], Shown::Hidden, "otherwise 29 - 20 - 7 gives civil society away");
        assert_eq!(groups["government"], Shown::Exact(20));
    }

    #[test]
    fn files_of_figures_say_where_they_are_wrong() {
        let err =
            parse_aggregates("edition,name,dimension,category,count\nigf-2023,IGF 2023,region,asia,10\n").unwrap_err();
        assert_eq!((err.line, err.field), (2, "category"));
        let err =
            parse_aggregates("edition,name,dimension,category,count\nigf-2023,IGF 2023,total,all,ten\n").unwrap_err();
        assert_eq!((err.line, err.field), (2, "count"));
        let err = parse_aggregates("edition,name,dimension,category,count\nigf-2023,IGF 2023,total,all\n").unwrap_err();
        assert_eq!((err.line, err.field), (2, "row"));
        let err = parse_aggregates("edition,name,dimension,count\n").unwrap_err();
        assert_eq!((err.line, err.field), (1, "header"));
        let err = parse_aggregates("edition,name,dimension,category,count\nigf-2023,IGF 2023,region,african,10\n")
            .unwrap_err();
        assert_eq!(err.field, "total");
    }

    #[test]
    fn published_figures_read_back_from_their_own_csv() {
        let text = "\u{feff}Edition,Name,Dimension,Category,Count\n\
                    igf-2023,\"IGF 2023 Kyoto, Japan\",total,all,\"11,000\"\n\
                    igf-2023,\"IGF 2023 Kyoto, Japan\",stakeholder-group,civil-society,2400\n\
                    igf-2023,\"IGF 2023 Kyoto, Japan\",country,jp,5000\n";
        let rows = parse_aggregates(text).unwrap();
        assert_eq!(rows[0].count, 11_000);
        assert_eq!(rows[2].category, "JP");
        let figures = figures_from_rows(&rows);
        assert_eq!(parse_aggregates(&to_csv(&figures)).unwrap(), rows);
    }
}
