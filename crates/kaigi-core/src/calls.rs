//! Calls for proposals (PRODUCT.md §3): what a call accepts (session types, themes and their
//! sub-themes, custom questions), its screening rules and how many evaluators read each
//! proposal; and the proposal form an organiser fills in, with what is still missing before
//! it can be submitted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::problem::Problem;
use crate::programme::SessionType;
use crate::screening::Rule;

/// A question the call adds to the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_ja: Option<String>,
    #[serde(default)]
    pub required: bool,
}

/// What a call accepts and how it is screened and evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallSettings {
    pub session_types: Vec<SessionType>,
    /// The types the committee evaluates (the others are decided after screening alone);
    /// empty: every type.
    #[serde(default)]
    pub evaluated_types: Vec<SessionType>,
    /// Sub-themes offered under each theme (by theme id).
    #[serde(default)]
    pub sub_themes: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// The types the screening rules apply to (the IGF's are workshop rules); empty: every type.
    #[serde(default)]
    pub screened_types: Vec<SessionType>,
    /// Evaluators per proposal.
    #[serde(default = "three")]
    pub per_proposal: usize,
    /// Months after an evaluator or a proposal's person left an organisation during which a
    /// shared organisation still conflicts (see [`crate::conflict`]).
    #[serde(default = "twelve")]
    pub conflict_months: u32,
}

/// The most session types, sub-themes (and sub-themes under one theme) a call lists.
pub const LIST_MAX: usize = 50;
/// The most questions a call adds to the form.
pub const QUESTIONS_MAX: usize = 50;
/// The longest question or sub-theme, and the longest id, in characters.
pub const TEXT_MAX: usize = 500;
pub const ID_MAX: usize = 64;

fn three() -> usize {
    3
}

fn twelve() -> u32 {
    12
}

impl CallSettings {
    /// The IGF's call for workshops and the other organiser-run session types.
    pub fn igf_defaults() -> Self {
        CallSettings {
            session_types: SessionType::ALL.iter().copied().filter(|t| *t != SessionType::Main).collect(),
            evaluated_types: vec![SessionType::Workshop],
            sub_themes: BTreeMap::new(),
            questions: vec![Question {
                id: "previous".into(),
                label: "Has this session been held before? Where?".into(),
                label_ja: Some("過去に同様のセッションを開催しましたか。どこで？".into()),
                required: false,
            }],
            rules: Rule::igf_defaults(),
            screened_types: vec![SessionType::Workshop],
            per_proposal: 3,
            conflict_months: 12,
        }
    }

    /// The screening rules that apply to proposals of this type.
    pub fn rules_for(&self, session_type: &str) -> &[Rule] {
        let screened = self.screened_types.is_empty() || self.screened_types.iter().any(|t| t.code() == session_type);
        if screened { &self.rules } else { &[] }
    }

    /// Whether the committee evaluates proposals of this type.
    pub fn is_evaluated(&self, session_type: &str) -> bool {
        self.evaluated_types.is_empty() || self.evaluated_types.iter().any(|t| t.code() == session_type)
    }

    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let mut errors = Vec::new();
        if self.session_types.is_empty() {
            errors.push(Problem::new("error-call-no-types", "session_types: the call accepts no session type"));
        }
        if self.per_proposal == 0 || self.per_proposal > 10 {
            errors.push(Problem::out_of_range("per_proposal", self.per_proposal, 1, 10));
        }
        if self.conflict_months > 120 {
            errors.push(Problem::out_of_range("conflict_months", self.conflict_months, 0, 120));
        }
        for (field, count) in [
            ("session_types", self.session_types.len()),
            ("evaluated_types", self.evaluated_types.len()),
            ("screened_types", self.screened_types.len()),
        ] {
            if count > LIST_MAX {
                errors.push(Problem::out_of_range(field, count, 0, LIST_MAX as i64));
            }
        }
        if self.questions.len() > QUESTIONS_MAX {
            errors.push(Problem::out_of_range("questions", self.questions.len(), 0, QUESTIONS_MAX as i64));
        }
        if self.sub_themes.len() > LIST_MAX {
            errors.push(Problem::out_of_range("sub_themes", self.sub_themes.len(), 0, LIST_MAX as i64));
        }
        for subs in self.sub_themes.values() {
            if subs.len() > LIST_MAX {
                errors.push(Problem::out_of_range("sub_themes", subs.len(), 0, LIST_MAX as i64));
            }
            if let Some(long) = subs.iter().find(|s| s.chars().count() > TEXT_MAX) {
                errors.push(Problem::out_of_range("sub_themes", long.chars().count(), 0, TEXT_MAX as i64));
            }
        }
        let mut kinds = std::collections::HashSet::new();
        for rule in &self.rules {
            if !kinds.insert(rule.code()) {
                errors.push(
                    Problem::new("error-rule-twice", format!("rules: {} is listed twice", rule.code()))
                        .with("rule", rule.code()),
                );
            }
        }
        let mut ids = std::collections::HashSet::new();
        for (i, q) in self.questions.iter().enumerate() {
            if q.id.chars().count() > ID_MAX
                || q.label.chars().count() > TEXT_MAX
                || q.label_ja.as_ref().is_some_and(|l| l.chars().count() > TEXT_MAX)
            {
                errors.push(
                    Problem::new("error-question-long", format!("questions[{i}]: an id or label is too long"))
                        .with("line", i + 1),
                );
            }
            if q.id.trim().is_empty() || !ids.insert(q.id.as_str()) {
                errors.push(
                    Problem::new(
                        "error-question-id",
                        format!("questions[{i}].id: {:?} is empty or listed twice", q.id),
                    )
                    .with("line", i + 1)
                    .with("id", &q.id),
                );
            }
            if q.label.trim().is_empty() {
                errors.push(
                    Problem::new("error-question-label", format!("questions[{i}].label: a question is needed"))
                        .with("line", i + 1),
                );
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// The fields of a proposal an organiser writes (people are added separately).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProposalFields {
    pub title: String,
    pub session_type: String,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub sub_theme: String,
    pub description: String,
    #[serde(default)]
    pub policy_questions: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub expected_audience: Option<i64>,
    #[serde(default)]
    pub hybrid_plan: String,
    #[serde(default)]
    pub links: String,
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

/// Longest accepted text of one field (characters): enough for a description, not a book.
pub const FIELD_LIMIT: usize = 20_000;

impl ProposalFields {
    /// What is malformed whatever the stage (a draft is saved only without these).
    pub fn invalid(&self, settings: &CallSettings) -> Vec<Problem> {
        let mut errors = Vec::new();
        if self.title.trim().is_empty() {
            errors.push(
                Problem::new("error-field-empty", "title: a title is needed, even for a draft").with("field", "title"),
            );
        }
        match self.session_type.parse::<SessionType>() {
            Ok(t) if settings.session_types.contains(&t) => {}
            _ => errors.push(
                Problem::new(
                    "error-call-type-refused",
                    format!("session_type: {:?} is not accepted by this call", self.session_type),
                )
                .with("value", &self.session_type),
            ),
        }
        for (field, text) in [
            ("title", &self.title),
            ("description", &self.description),
            ("policy_questions", &self.policy_questions),
            ("format", &self.format),
            ("hybrid_plan", &self.hybrid_plan),
            ("links", &self.links),
        ] {
            if text.chars().count() > FIELD_LIMIT {
                errors.push(
                    Problem::new("error-field-too-long", format!("{field}: longer than {FIELD_LIMIT} characters"))
                        .with("field", field)
                        .with("max", FIELD_LIMIT),
                );
            }
        }
        if let Some(n) = self.expected_audience.filter(|n| !(0..=100_000).contains(n)) {
            errors.push(Problem::out_of_range("expected_audience", n, 0, 100_000));
        }
        for id in self.answers.keys() {
            if !settings.questions.iter().any(|q| &q.id == id) {
                errors.push(
                    Problem::new("error-question-unknown", format!("answers.{id}: not a question of this call"))
                        .with("id", id),
                );
            }
        }
        if let Some(theme) = &self.theme
            && !self.sub_theme.is_empty()
            && let Some(offered) = settings.sub_themes.get(theme)
            && !offered.contains(&self.sub_theme)
        {
            errors.push(
                Problem::new(
                    "error-sub-theme",
                    format!("sub_theme: {:?} is not a sub-theme of the chosen theme", self.sub_theme),
                )
                .with("value", &self.sub_theme),
            );
        }
        errors
    }

    /// What must still be filled in before submitting.
    pub fn missing(&self, settings: &CallSettings) -> Vec<String> {
        let mut missing = Vec::new();
        for (field, text) in [
            ("description", &self.description),
            ("policy_questions", &self.policy_questions),
            ("format", &self.format),
            ("hybrid_plan", &self.hybrid_plan),
        ] {
            if text.trim().is_empty() {
                missing.push(field.to_owned());
            }
        }
        if self.theme.is_none() {
            missing.push("theme".to_owned());
        }
        for q in settings.questions.iter().filter(|q| q.required) {
            if self.answers.get(&q.id).is_none_or(|a| a.trim().is_empty()) {
                missing.push(format!("answers.{}", q.id));
            }
        }
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_needs_little_and_a_submission_more() {
        let mut settings = CallSettings::igf_defaults();
        settings.questions[0].required = true;
        settings.sub_themes.insert("t1".into(), vec!["Data flows".into()]);
        assert_eq!(settings.check(), Ok(()));
        let mut fields =
            ProposalFields { title: "AI and youth".into(), session_type: "workshop".into(), ..Default::default() };
        assert!(fields.invalid(&settings).is_empty());
        assert_eq!(
            fields.missing(&settings),
            ["description", "policy_questions", "format", "hybrid_plan", "theme", "answers.previous"]
        );
        fields.session_type = "main".into();
        fields.theme = Some("t1".into());
        fields.sub_theme = "Space".into();
        fields.answers.insert("nope".into(), "x".into());
        let errors = fields.invalid(&settings);
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    #[test]
    fn settings_read_as_json() {
        let json = serde_json::to_string(&CallSettings::igf_defaults()).unwrap();
        let back: CallSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, CallSettings::igf_defaults());
        assert!(json.contains("\"rule\":\"gender-diverse\""));
    }
}
