//! Screening rules for a call's proposals (PRODUCT.md §3: the IGF's own rules over the years)
//! and the conditions of a conditional acceptance. Both are the same checkable [`Rule`]s,
//! evaluated on plain facts about a proposal, so the organiser's form, the deadline check and
//! the decision page all say the same thing.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

/// One checkable rule. Stored as JSON: `{"rule": "min-confirmed-speakers", "n": 3}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "rule", rename_all = "kebab-case", deny_unknown_fields)]
// Rules without a number are `{}` variants: serde refuses unknown fields only in those.
pub enum Rule {
    /// At least `n` confirmed speakers.
    MinConfirmedSpeakers { n: usize },
    /// At least one speaker of a different gender: two genders or more among the people on stage.
    GenderDiverse {},
    /// A moderator and at least `speakers` speakers onsite.
    OnsiteModeratorAndSpeakers { speakers: usize },
    /// Nobody speaks in more than `n` proposals of the call.
    MaxSessionsPerSpeaker { n: usize },
    /// Every organiser who ran a session at the previous edition filed its report.
    ReportFiled {},
    /// No organiser is a member of the programme committee.
    NoCommitteeOrganisers {},
    /// At least `n` stakeholder groups among the confirmed people on stage.
    MinStakeholderGroups { n: usize },
    /// At least `n` regions among the confirmed people on stage.
    MinRegions { n: usize },
}

impl Rule {
    /// The rule's code, for messages and storage ("min-confirmed-speakers").
    pub fn code(&self) -> &'static str {
        match self {
            Rule::MinConfirmedSpeakers { .. } => "min-confirmed-speakers",
            Rule::GenderDiverse {} => "gender-diverse",
            Rule::OnsiteModeratorAndSpeakers { .. } => "onsite-moderator-and-speakers",
            Rule::MaxSessionsPerSpeaker { .. } => "max-sessions-per-speaker",
            Rule::ReportFiled {} => "report-filed",
            Rule::NoCommitteeOrganisers {} => "no-committee-organisers",
            Rule::MinStakeholderGroups { .. } => "min-stakeholder-groups",
            Rule::MinRegions { .. } => "min-regions",
        }
    }

    /// The number the rule asks for, where it has one.
    pub fn needed(&self) -> usize {
        match self {
            Rule::MinConfirmedSpeakers { n }
            | Rule::MaxSessionsPerSpeaker { n }
            | Rule::MinStakeholderGroups { n }
            | Rule::MinRegions { n } => *n,
            Rule::OnsiteModeratorAndSpeakers { speakers } => *speakers,
            Rule::GenderDiverse {} => 2,
            Rule::ReportFiled {} | Rule::NoCommitteeOrganisers {} => 0,
        }
    }

    /// Every kind of rule, each with the number a new one starts at: the call page offers
    /// these. [`Rule::position`] matches exhaustively, so a new kind cannot be left out.
    pub const ALL: [Rule; 8] = [
        Rule::MinConfirmedSpeakers { n: 3 },
        Rule::GenderDiverse {},
        Rule::OnsiteModeratorAndSpeakers { speakers: 2 },
        Rule::MaxSessionsPerSpeaker { n: 3 },
        Rule::ReportFiled {},
        Rule::NoCommitteeOrganisers {},
        Rule::MinStakeholderGroups { n: 2 },
        Rule::MinRegions { n: 2 },
    ];

    /// The kind's place in [`Rule::ALL`].
    pub fn position(&self) -> usize {
        match self {
            Rule::MinConfirmedSpeakers { .. } => 0,
            Rule::GenderDiverse {} => 1,
            Rule::OnsiteModeratorAndSpeakers { .. } => 2,
            Rule::MaxSessionsPerSpeaker { .. } => 3,
            Rule::ReportFiled {} => 4,
            Rule::NoCommitteeOrganisers {} => 5,
            Rule::MinStakeholderGroups { .. } => 6,
            Rule::MinRegions { .. } => 7,
        }
    }

    /// Whether the rule is set with a number (as opposed to holding or not).
    pub fn takes_number(&self) -> bool {
        !matches!(self, Rule::GenderDiverse {} | Rule::ReportFiled {} | Rule::NoCommitteeOrganisers {})
    }

    /// The same kind of rule asking for `n`; a rule without a number stays as it is.
    pub fn with_number(&self, n: usize) -> Rule {
        match self {
            Rule::MinConfirmedSpeakers { .. } => Rule::MinConfirmedSpeakers { n },
            Rule::OnsiteModeratorAndSpeakers { .. } => Rule::OnsiteModeratorAndSpeakers { speakers: n },
            Rule::MaxSessionsPerSpeaker { .. } => Rule::MaxSessionsPerSpeaker { n },
            Rule::MinStakeholderGroups { .. } => Rule::MinStakeholderGroups { n },
            Rule::MinRegions { .. } => Rule::MinRegions { n },
            Rule::GenderDiverse {} | Rule::ReportFiled {} | Rule::NoCommitteeOrganisers {} => self.clone(),
        }
    }

    /// The IGF's screening rules, as a call starts with them.
    pub fn igf_defaults() -> Vec<Rule> {
        // All but the diversity counts, which a call opts into.
        Rule::ALL[..6].to_vec()
    }
}

/// What a person does in a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    Organiser,
    CoOrganiser,
    Moderator,
    Speaker,
}

impl Part {
    pub fn code(self) -> &'static str {
        match self {
            Part::Organiser => "organiser",
            Part::CoOrganiser => "co-organiser",
            Part::Moderator => "moderator",
            Part::Speaker => "speaker",
        }
    }

    pub fn parse(code: &str) -> Option<Part> {
        [Part::Organiser, Part::CoOrganiser, Part::Moderator, Part::Speaker].into_iter().find(|p| p.code() == code)
    }

    fn on_stage(self) -> bool {
        matches!(self, Part::Moderator | Part::Speaker)
    }

    fn organises(self) -> bool {
        matches!(self, Part::Organiser | Part::CoOrganiser)
    }
}

/// A person in a proposal, with what the directory knows of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub person: String,
    pub name: String,
    pub part: Part,
    pub onsite: bool,
    pub confirmed: bool,
    pub gender: Option<String>,
    pub group: Option<String>,
    pub region: Option<String>,
}

/// What a rule needs to know beyond the proposal itself.
#[derive(Debug, Clone, Default)]
pub struct CallContext {
    /// For each person, the number of the call's live proposals (submitted or drafted, not
    /// withdrawn) they speak or moderate in, this one included.
    pub speaking: HashMap<String, usize>,
    /// People on the programme committee.
    pub committee: HashSet<String>,
    /// People who organised a session at the previous edition whose report is not filed.
    pub missing_reports: HashSet<String>,
}

impl CallContext {
    /// Counts speaking engagements from the people of every live proposal of the call.
    pub fn count_speaking<'a>(&mut self, proposals: impl IntoIterator<Item = &'a [Participant]>) {
        for people in proposals {
            let on_stage: BTreeSet<&str> =
                people.iter().filter(|p| p.part.on_stage()).map(|p| p.person.as_str()).collect();
            for person in on_stage {
                *self.speaking.entry(person.to_owned()).or_default() += 1;
            }
        }
    }
}

/// A rule checked against one proposal: whether it holds, what was found against what was
/// needed, and the people concerned (those missing, over the limit, or in conflict).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Outcome {
    pub rule: Rule,
    pub passed: bool,
    pub found: usize,
    pub needed: usize,
    pub names: Vec<String>,
}

impl Outcome {
    /// The outcome in English words (the CLI; the web says it through Fluent).
    pub fn explain(&self) -> String {
        let names = self.names.join(", ");
        let verdict = if self.passed { "passes" } else { "fails" };
        let detail = match &self.rule {
            Rule::MinConfirmedSpeakers { n } => format!("{} confirmed speakers, {n} needed", self.found),
            Rule::GenderDiverse {} => format!("{} genders among the people on stage, 2 needed", self.found),
            Rule::OnsiteModeratorAndSpeakers { speakers } => {
                format!("{} speakers onsite, {speakers} needed with an onsite moderator{}", self.found, suffix(&names))
            }
            Rule::MaxSessionsPerSpeaker { n } => format!("at most {n} proposals per speaker{}", suffix(&names)),
            Rule::ReportFiled {} => format!("last edition's session reports{}", suffix(&names)),
            Rule::NoCommitteeOrganisers {} => format!("organisers on the programme committee{}", suffix(&names)),
            Rule::MinStakeholderGroups { n } => format!("{} stakeholder groups, {n} needed", self.found),
            Rule::MinRegions { n } => format!("{} regions, {n} needed", self.found),
        };
        format!("{} {verdict}: {detail}", self.rule.code())
    }
}

fn suffix(names: &str) -> String {
    if names.is_empty() { String::new() } else { format!(" ({names})") }
}

/// Checks each rule against a proposal's people, in the rules' order.
pub fn check(rules: &[Rule], people: &[Participant], context: &CallContext) -> Vec<Outcome> {
    rules.iter().map(|rule| check_one(rule, people, context)).collect()
}

/// True when every rule holds.
pub fn all_pass(outcomes: &[Outcome]) -> bool {
    outcomes.iter().all(|o| o.passed)
}

fn distinct<'a>(values: impl Iterator<Item = &'a Option<String>>) -> usize {
    values.flatten().filter(|v| !v.is_empty()).collect::<BTreeSet<_>>().len()
}

fn check_one(rule: &Rule, people: &[Participant], context: &CallContext) -> Outcome {
    let on_stage = || people.iter().filter(|p| p.part.on_stage());
    let confirmed_on_stage = || on_stage().filter(|p| p.confirmed);
    let organisers = || people.iter().filter(|p| p.part.organises());
    let names = |it: &mut dyn Iterator<Item = &Participant>| {
        let mut seen = BTreeSet::new();
        it.filter(|p| seen.insert(p.person.clone())).map(|p| p.name.clone()).collect::<Vec<_>>()
    };
    let needed = rule.needed();
    let (passed, found, names) = match rule {
        Rule::MinConfirmedSpeakers { n } => {
            let found = people.iter().filter(|p| p.part == Part::Speaker && p.confirmed).count();
            let unconfirmed = names(&mut people.iter().filter(|p| p.part == Part::Speaker && !p.confirmed));
            (found >= *n, found, unconfirmed)
        }
        Rule::GenderDiverse {} => {
            let found = distinct(on_stage().map(|p| &p.gender));
            let unknown = names(&mut on_stage().filter(|p| p.gender.as_deref().is_none_or(str::is_empty)));
            (found >= 2, found, unknown)
        }
        Rule::OnsiteModeratorAndSpeakers { speakers } => {
            let found = people.iter().filter(|p| p.part == Part::Speaker && p.onsite).count();
            let moderator = people.iter().any(|p| p.part == Part::Moderator && p.onsite);
            let online = names(&mut on_stage().filter(|p| !p.onsite));
            (moderator && found >= *speakers, found, online)
        }
        Rule::MaxSessionsPerSpeaker { n } => {
            let over = names(&mut on_stage().filter(|p| context.speaking.get(&p.person).copied().unwrap_or(1) > *n));
            (over.is_empty(), over.len(), over)
        }
        Rule::ReportFiled {} => {
            let missing = names(&mut organisers().filter(|p| context.missing_reports.contains(&p.person)));
            (missing.is_empty(), missing.len(), missing)
        }
        Rule::NoCommitteeOrganisers {} => {
            let members = names(&mut organisers().filter(|p| context.committee.contains(&p.person)));
            (members.is_empty(), members.len(), members)
        }
        Rule::MinStakeholderGroups { n } => {
            let found = distinct(confirmed_on_stage().map(|p| &p.group));
            (found >= *n, found, Vec::new())
        }
        Rule::MinRegions { n } => {
            let found = distinct(confirmed_on_stage().map(|p| &p.region));
            (found >= *n, found, Vec::new())
        }
    };
    Outcome { rule: rule.clone(), passed, found, needed, names }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_kind_of_rule_is_offered_once_in_its_place() {
        for (i, rule) in Rule::ALL.iter().enumerate() {
            assert_eq!(rule.position(), i, "{} is out of place in Rule::ALL", rule.code());
            assert_eq!(rule.with_number(5).code(), rule.code());
            if rule.takes_number() {
                assert_eq!(rule.with_number(5).needed(), 5);
            }
        }
    }

    use super::*;

    fn person(
        id: &str,
        part: Part,
        onsite: bool,
        confirmed: bool,
        gender: &str,
        group: &str,
        region: &str,
    ) -> Participant {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Participant {
            person: id.into(),
            name: format!("Person {id}"),
            part,
            onsite,
            confirmed,
            gender: some(gender),
            group: some(group),
            region: some(region),
        }
    }

    fn panel() -> Vec<Participant> {
        vec![
            person("o", Part::Organiser, true, true, "", "civil-society", "asia-pacific"),
            person("m", Part::Moderator, true, true, "female", "government", "asia-pacific"),
            person("a", Part::Speaker, true, true, "male", "private-sector", "weog"),
            person("b", Part::Speaker, true, true, "female", "technical-community", "africa"),
            person("c", Part::Speaker, false, false, "male", "civil-society", "africa"),
        ]
    }

    #[test]
    fn the_igf_rules_on_a_good_panel() {
        let mut context = CallContext::default();
        context.count_speaking([panel().as_slice()]);
        let outcomes = check(&Rule::igf_defaults(), &panel(), &context);
        let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed).map(|o| o.rule.code()).collect();
        assert_eq!(failed, ["min-confirmed-speakers"], "only 2 of 3 speakers confirmed");
        assert_eq!(outcomes[0].found, 2);
        assert_eq!(outcomes[0].names, ["Person c"]);
        assert!(outcomes[0].explain().contains("2 confirmed speakers, 3 needed"));
    }

    #[test]
    fn each_rule_says_who_is_concerned() {
        let mut people = panel();
        people.iter_mut().for_each(|p| p.gender = Some("male".into()));
        people[1].onsite = false;
        let mut context = CallContext::default();
        context.speaking.insert("a".into(), 4);
        context.committee.insert("o".into());
        context.missing_reports.insert("o".into());
        let rules = Rule::igf_defaults();
        let by_code =
            |code: &str| check(&rules, &people, &context).into_iter().find(|o| o.rule.code() == code).unwrap();
        assert!(!by_code("gender-diverse").passed);
        let onsite = by_code("onsite-moderator-and-speakers");
        assert!(!onsite.passed, "the moderator is online");
        assert_eq!(onsite.names, ["Person m", "Person c"]);
        assert_eq!(by_code("max-sessions-per-speaker").names, ["Person a"]);
        assert_eq!(by_code("report-filed").names, ["Person o"]);
        assert_eq!(by_code("no-committee-organisers").names, ["Person o"]);
    }

    #[test]
    fn diversity_conditions_count_confirmed_people_on_stage() {
        let rules = [Rule::MinStakeholderGroups { n: 3 }, Rule::MinRegions { n: 3 }];
        let outcomes = check(&rules, &panel(), &CallContext::default());
        assert_eq!((outcomes[0].found, outcomes[0].passed), (3, true));
        assert_eq!((outcomes[1].found, outcomes[1].passed), (3, true));
        let mut people = panel();
        people[3].confirmed = false;
        let outcomes = check(&rules, &people, &CallContext::default());
        assert_eq!((outcomes[0].found, outcomes[0].passed), (2, false));
        assert_eq!((outcomes[1].found, outcomes[1].passed), (2, false));
    }

    #[test]
    fn rules_read_and_write_as_json() {
        let json =
            r#"[{"rule":"min-confirmed-speakers","n":3},{"rule":"gender-diverse"},{"rule":"min-regions","n":2}]"#;
        let rules: Vec<Rule> = serde_json::from_str(json).unwrap();
        assert_eq!(rules[2], Rule::MinRegions { n: 2 });
        assert_eq!(serde_json::to_string(&rules).unwrap(), json);
        assert!(serde_json::from_str::<Vec<Rule>>(r#"[{"rule":"min-regions","n":2,"x":1}]"#).is_err());
    }
}
