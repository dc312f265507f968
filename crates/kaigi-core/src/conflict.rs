//! Conflicts of interest between an evaluator and a proposal, as one rule for every path that
//! assigns or reads: the automatic assignment, its preview, manual overrides, kept pairs, the
//! evaluation pages and the API. An evaluator is conflicted with a proposal when
//!
//! - they are on it themselves (organiser, co-organiser, speaker or moderator);
//! - an organisation they belong to — now, or until recently (a period each call sets) — is
//!   also the organisation, now or until recently, of someone on the proposal;
//! - either side declared a conflict (the evaluator, or the secretariat taking them off).
//!
//! The rule is checked against the directory as it is when asked, so a conflict that appears
//! after assignment (someone changes employer) closes the proposal to the evaluator at once.

use serde::Serialize;
use time::Date;

/// A person's time at an organisation. Dates are inclusive; `None` leaves that side open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spell {
    pub organisation: String,
    pub since: Option<Date>,
    pub until: Option<Date>,
}

/// Someone as the rule sees them: who they are and where they have been.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub spells: Vec<Spell>,
}

/// Someone on a proposal, with their part (organiser, co-organiser, speaker, moderator).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnProposal {
    pub person: Person,
    pub part: String,
}

/// Why an evaluator may not evaluate a proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Conflict {
    /// The evaluator is on the proposal.
    OnTheProposal { part: String },
    /// The evaluator and someone on the proposal share an organisation (id).
    SameOrganisation { organisation: String, part: String },
    /// Declared by the evaluator or recorded by the secretariat, with the reason given.
    Declared { reason: String },
}

impl Conflict {
    /// The message key that says why, in the interface's words.
    pub fn key(&self) -> &'static str {
        match self {
            Conflict::OnTheProposal { .. } => "conflict-on-the-proposal",
            Conflict::SameOrganisation { .. } => "conflict-same-organisation",
            Conflict::Declared { .. } => "conflict-declared",
        }
    }

    /// True for conflicts that follow from the directory, which nobody can lift by hand.
    pub fn is_structural(&self) -> bool {
        !matches!(self, Conflict::Declared { .. })
    }
}

/// How far back an ended affiliation still counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub today: Date,
    /// Months after an affiliation ended during which it still conflicts (0: only current
    /// affiliations count).
    pub lookback_months: u32,
}

impl Rule {
    /// The organisations a person belongs to for this rule: current ones, and ones left within
    /// the look-back period. A spell that starts in the future does not count yet.
    pub fn organisations<'a>(&self, person: &'a Person) -> impl Iterator<Item = &'a str> + 'a {
        let horizon = months_before(self.today, self.lookback_months);
        let today = self.today;
        person
            .spells
            .iter()
            .filter(move |s| s.since.is_none_or(|since| since <= today) && s.until.is_none_or(|until| until >= horizon))
            .map(|s| s.organisation.as_str())
    }

    /// The conflict between `evaluator` and a proposal with `people` on it, if any; a
    /// declaration wins over what the directory says, being the one thing a person chose.
    pub fn conflict(&self, evaluator: &Person, people: &[OnProposal], declared: Option<&str>) -> Option<Conflict> {
        if let Some(reason) = declared {
            return Some(Conflict::Declared { reason: reason.to_owned() });
        }
        if let Some(on) = people.iter().find(|p| !evaluator.id.is_empty() && p.person.id == evaluator.id) {
            return Some(Conflict::OnTheProposal { part: on.part.clone() });
        }
        let mine: Vec<&str> = self.organisations(evaluator).collect();
        if mine.is_empty() {
            return None;
        }
        people.iter().find_map(|p| {
            self.organisations(&p.person)
                .find(|o| mine.contains(o))
                .map(|o| Conflict::SameOrganisation { organisation: o.to_owned(), part: p.part.clone() })
        })
    }
}

/// The same day `months` months earlier (the month's last day when it is shorter).
fn months_before(day: Date, months: u32) -> Date {
    let total = day.year() * 12 + i32::from(u8::from(day.month())) - 1 - months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, day.day().min(last)).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn person(id: &str, spells: &[(&str, Option<Date>, Option<Date>)]) -> Person {
        Person {
            id: id.into(),
            spells: spells
                .iter()
                .map(|(o, since, until)| Spell { organisation: (*o).into(), since: *since, until: *until })
                .collect(),
        }
    }

    fn on(p: Person, part: &str) -> OnProposal {
        OnProposal { person: p, part: part.into() }
    }

    const RULE: Rule = Rule { today: date!(2026 - 12 - 06), lookback_months: 12 };

    #[test]
    fn an_evaluator_on_the_proposal_is_conflicted_whatever_the_part() {
        let me = person("me", &[]);
        for part in ["organiser", "co-organiser", "speaker", "moderator"] {
            let people = [on(person("x", &[]), "organiser"), on(me.clone(), part)];
            assert_eq!(RULE.conflict(&me, &people, None), Some(Conflict::OnTheProposal { part: part.into() }));
        }
    }

    #[test]
    fn a_shared_organisation_conflicts_through_any_person_and_recent_spells() {
        let me = person("me", &[("acme", None, Some(date!(2026 - 03 - 01)))]);
        let speaker = person("s", &[("acme", None, None)]);
        assert_eq!(
            RULE.conflict(&me, &[on(speaker.clone(), "speaker")], None),
            Some(Conflict::SameOrganisation { organisation: "acme".into(), part: "speaker".into() }),
            "left nine months ago, within twelve"
        );
        let now_only = Rule { lookback_months: 0, ..RULE };
        assert_eq!(now_only.conflict(&me, &[on(speaker, "speaker")], None), None);
        let long_gone = person("me", &[("acme", None, Some(date!(2025 - 11 - 30)))]);
        assert_eq!(RULE.conflict(&long_gone, &[on(person("s", &[("acme", None, None)]), "moderator")], None), None);
        let not_yet = person("me", &[("acme", Some(date!(2027 - 01 - 01)), None)]);
        assert_eq!(RULE.conflict(&not_yet, &[on(person("s", &[("acme", None, None)]), "organiser")], None), None);
    }

    #[test]
    fn declarations_always_conflict() {
        let me = person("me", &[]);
        assert_eq!(
            RULE.conflict(&me, &[], Some("my student")),
            Some(Conflict::Declared { reason: "my student".into() })
        );
    }

    #[test]
    fn months_are_counted_back_on_the_calendar() {
        assert_eq!(months_before(date!(2026 - 03 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(months_before(date!(2026 - 01 - 15), 13), date!(2024 - 12 - 15));
        assert_eq!(months_before(date!(2026 - 01 - 15), 0), date!(2026 - 01 - 15));
    }
}
