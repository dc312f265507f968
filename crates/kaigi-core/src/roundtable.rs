//! Roundtables (PRODUCT.md §5, seed 003): invitees seated at tables over one or more rounds.
//! Each round mixes stakeholder groups and regions ([`crate::seating`]); later rounds also
//! avoid seating people together again; pinned people (hosts, ministers) keep their table in
//! every round; every table gets a rapporteur, a different one each round where possible.

use crate::budget::Budget;

use serde::{Deserialize, Serialize};

use crate::seating::{self, SeatError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub name: String,
    #[serde(default)]
    pub name_ja: Option<String>,
}

/// The report-out themes of the seed's ministerial roundtable.
pub fn seed_themes() -> Vec<Theme> {
    [
        ("AI and socio-economic impact", "AIと社会経済への影響"),
        ("International cooperation", "国際協力"),
        ("AI infrastructure", "AIインフラ"),
        ("Standards", "標準化"),
        ("Safety and risk", "安全性とリスク"),
        ("AI agents", "AIエージェント"),
    ]
    .into_iter()
    .map(|(name, ja)| Theme { name: name.into(), name_ja: Some(ja.into()) })
    .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitee {
    pub id: String,
    pub group: Option<String>,
    pub region: Option<String>,
    /// 1-based table number.
    pub pinned_table: Option<usize>,
}

/// One round: for each table (1-based, in order), who sits there and who reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Round {
    pub tables: Vec<Vec<String>>,
    pub rapporteurs: Vec<Option<String>>,
    pub score: f64,
    pub repeated_pairs: usize,
}

/// Seats every invitee in every round. Budget is per round.
pub fn plan(
    invitees: &[Invitee],
    tables: usize,
    seats: usize,
    rounds: usize,
    budget: impl Into<Budget>,
) -> Result<Vec<Round>, SeatError> {
    let budget = budget.into();
    if tables == 0 || seats == 0 || rounds == 0 {
        return Err(SeatError::Invalid("a roundtable needs at least one table, one seat and one round".into()));
    }
    if let Some(i) = invitees.iter().find(|i| i.pinned_table.is_some_and(|t| t == 0 || t > tables)) {
        return Err(SeatError::Invalid(format!(
            "{}: pinned to table {}, but there are tables 1 to {tables}",
            i.id,
            i.pinned_table.unwrap_or(0)
        )));
    }
    let table_id = |t: usize| format!("{t:03}");
    let mut met: Vec<[String; 2]> = Vec::new();
    let mut reported: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let instance = seating::Instance {
            tables: (1..=tables).map(|t| seating::Table { id: table_id(t), seats }).collect(),
            people: invitees
                .iter()
                .map(|i| seating::Person {
                    id: i.id.clone(),
                    group: i.group.clone(),
                    region: i.region.clone(),
                    pinned_table: i.pinned_table.map(table_id),
                })
                .collect(),
            weights: None,
            met: met.clone(),
        };
        let seated = seating::solve(&instance, budget)?;
        let tables_now: Vec<Vec<String>> = seated.seating.iter().map(|t| t.people.clone()).collect();
        let repeated_pairs = tables_now
            .iter()
            .map(|people| met.iter().filter(|[a, b]| people.contains(a) && people.contains(b)).count())
            .sum();
        // The rapporteur: whoever has reported least, preferring people not pinned (hosts
        // chair their table), then the order of the invitation list.
        let rapporteurs: Vec<Option<String>> = tables_now
            .iter()
            .map(|people| {
                let chosen = people
                    .iter()
                    .min_by_key(|id| {
                        let pinned = invitees.iter().find(|i| &i.id == *id).is_some_and(|i| i.pinned_table.is_some());
                        let position = invitees.iter().position(|i| &i.id == *id).unwrap_or(usize::MAX);
                        (reported.get(*id).copied().unwrap_or(0), pinned, position)
                    })
                    .cloned();
                if let Some(id) = &chosen {
                    *reported.entry(id.clone()).or_default() += 1;
                }
                chosen
            })
            .collect();
        for people in &tables_now {
            for (i, a) in people.iter().enumerate() {
                for b in &people[i + 1..] {
                    met.push([a.clone(), b.clone()]);
                }
            }
        }
        out.push(Round { tables: tables_now, rapporteurs, score: seated.score, repeated_pairs });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invitees(n: usize) -> Vec<Invitee> {
        let groups =
            ["government", "private-sector", "civil-society", "technical-community", "academia", "intergovernmental"];
        let regions =
            ["african", "asia-pacific", "eastern-european", "latin-american-caribbean", "western-european-others"];
        (0..n)
            .map(|i| Invitee {
                id: format!("p{i:03}"),
                group: Some(groups[i % groups.len()].into()),
                region: Some(regions[(i / 2) % regions.len()].into()),
                pinned_table: (i < 20 && i % 6 == 0).then_some(i / 6 + 1),
            })
            .collect()
    }

    #[test]
    fn a_second_round_meets_new_people_and_hosts_stay() {
        let people = invitees(140);
        let rounds = plan(&people, 20, 7, 2, Budget::Steps(5_000)).unwrap();
        assert_eq!(rounds.len(), 2);
        let pairs_first: usize = rounds[0].tables.iter().map(|t| t.len() * t.len().saturating_sub(1) / 2).sum();
        assert!(
            rounds[1].repeated_pairs * 10 < pairs_first,
            "{} of {pairs_first} pairs meet again",
            rounds[1].repeated_pairs
        );
        for round in &rounds {
            let mut seated: Vec<&String> = round.tables.iter().flatten().collect();
            seated.sort();
            seated.dedup();
            assert_eq!(seated.len(), 140);
            for p in people.iter().filter(|p| p.pinned_table.is_some()) {
                let t = p.pinned_table.unwrap_or(0);
                assert!(round.tables[t - 1].contains(&p.id), "{} keeps table {t}", p.id);
            }
            assert!(round.rapporteurs.iter().all(Option::is_some));
        }
        for t in 0..20 {
            assert_ne!(rounds[0].rapporteurs[t], rounds[1].rapporteurs[t], "a new rapporteur at table {}", t + 1);
        }
    }

    #[test]
    fn impossible_pins_and_sizes_are_refused() {
        let mut people = invitees(10);
        people[0].pinned_table = Some(4);
        assert!(matches!(plan(&people, 3, 5, 1, Budget::Steps(0)), Err(SeatError::Invalid(_))));
        assert!(matches!(plan(&invitees(10), 2, 4, 1, Budget::Steps(0)), Err(SeatError::Infeasible(_))));
        assert!(matches!(plan(&invitees(10), 0, 4, 1, Budget::Steps(0)), Err(SeatError::Invalid(_))));
    }
}
