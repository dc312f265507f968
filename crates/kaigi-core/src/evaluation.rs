//! Rubrics, weighted scores and their aggregation (PRODUCT.md §3): per-evaluator normalisation,
//! disagreement flags, rankings per session type and theme, a cut-off from the number of slots
//! (adjustable for under-represented regions), and per-criterion statistics that show a
//! criterion nobody can score apart.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::problem::Problem;

/// A call's rubric for one session type (or all): criteria on one score scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub scale_min: i64,
    pub scale_max: i64,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Stable within the rubric ("relevance").
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_ja: Option<String>,
    /// Relative weight (percentages or any positive numbers; they are normalised).
    pub weight: f64,
    /// Shown to evaluators and scored, but not part of the weighted score.
    #[serde(default = "yes")]
    pub counted: bool,
    #[serde(default)]
    pub comment_required: bool,
}

fn yes() -> bool {
    true
}

/// One evaluator's scores and comments for one proposal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Marks {
    pub scores: BTreeMap<String, i64>,
    #[serde(default)]
    pub comments: BTreeMap<String, String>,
}

/// The most criteria a rubric has (the call page offers rows for this many).
pub const CRITERIA_MAX: usize = 60;
/// Scores lie within ±this (the evaluation form offers each point of the scale).
pub const SCALE_BOUND: i64 = 100;

impl Rubric {
    /// The IGF's workshop rubric of 2024: six criteria, the hybrid plan at 15 %.
    pub fn igf_workshop() -> Self {
        let c = |id: &str, name: &str, ja: &str, weight: f64| Criterion {
            id: id.into(),
            name: name.into(),
            name_ja: Some(ja.into()),
            weight,
            counted: true,
            comment_required: false,
        };
        Rubric {
            scale_min: 1,
            scale_max: 5,
            criteria: vec![
                c("relevance", "Relevance to the theme", "テーマとの関連", 20.0),
                c("policy", "Policy questions and outcomes", "政策課題と成果", 20.0),
                c("speakers", "Speakers and diversity", "登壇者と多様性", 20.0),
                c("format", "Format and interaction", "形式と参加型の工夫", 15.0),
                c("hybrid", "Hybrid participation plan", "ハイブリッド参加の計画", 15.0),
                c("clarity", "Clarity of the proposal", "提案の明確さ", 10.0),
                Criterion {
                    comment_required: true,
                    counted: false,
                    ..c("notes", "Advice to the organisers", "提案者への助言", 0.0)
                },
            ],
        }
    }

    /// Every problem with the rubric itself, each with where it is.
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        let mut errors = Vec::new();
        if self.scale_min >= self.scale_max {
            errors.push(
                Problem::new(
                    "error-rubric-scale",
                    format!("scale: {}–{} is not a range", self.scale_min, self.scale_max),
                )
                .with("min", self.scale_min)
                .with("max", self.scale_max),
            );
        }
        if self.scale_min < -SCALE_BOUND || self.scale_max > SCALE_BOUND {
            errors.push(
                Problem::new(
                    "error-rubric-scale-bound",
                    format!("scale: {}–{} goes past ±{SCALE_BOUND}", self.scale_min, self.scale_max),
                )
                .with("min", self.scale_min)
                .with("max", self.scale_max)
                .with("bound", SCALE_BOUND),
            );
        }
        if self.criteria.len() > CRITERIA_MAX {
            errors.push(Problem::out_of_range("criteria", self.criteria.len(), 1, CRITERIA_MAX as i64));
        }
        let mut ids = std::collections::HashSet::new();
        for (i, c) in self.criteria.iter().enumerate() {
            if c.id.chars().count() > 64
                || c.name.chars().count() > 200
                || c.name_ja.as_ref().is_some_and(|n| n.chars().count() > 200)
            {
                errors.push(
                    Problem::new("error-criterion-long", format!("criteria[{i}]: an id or name is too long"))
                        .with("line", i + 1),
                );
            }
            if c.weight > 1e6 {
                errors.push(Problem::out_of_range("weight", c.weight, 0, 1_000_000));
            }
            if c.id.trim().is_empty() || !ids.insert(c.id.as_str()) {
                errors.push(
                    Problem::new(
                        "error-criterion-id",
                        format!("criteria[{i}].id: {:?} is empty or listed twice", c.id),
                    )
                    .with("line", i + 1)
                    .with("id", &c.id),
                );
            }
            if c.name.trim().is_empty() {
                errors.push(
                    Problem::new("error-criterion-name", format!("criteria[{i}].name: a name is needed"))
                        .with("line", i + 1),
                );
            }
            if !c.weight.is_finite() || c.weight < 0.0 || (c.counted && c.weight == 0.0) {
                errors.push(
                    Problem::new(
                        "error-criterion-weight",
                        format!("criteria[{i}].weight: a counted criterion needs a positive weight"),
                    )
                    .with("line", i + 1),
                );
            }
        }
        if !self.criteria.iter().any(|c| c.counted) {
            errors.push(Problem::new("error-rubric-nothing-counts", "criteria: at least one criterion must count"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Each counted criterion's share of the weighted score (they add up to 1).
    pub fn shares(&self) -> Vec<(String, f64)> {
        let total: f64 = self.criteria.iter().filter(|c| c.counted).map(|c| c.weight).sum();
        self.criteria.iter().filter(|c| c.counted).map(|c| (c.id.clone(), c.weight / total)).collect()
    }

    /// The weighted score on the rubric's scale, once every counted criterion has a score.
    pub fn weighted(&self, marks: &Marks) -> Option<f64> {
        let mut sum = 0.0;
        for (id, share) in self.shares() {
            sum += share * *marks.scores.get(&id)? as f64;
        }
        Some(sum)
    }

    /// What stops these marks from being submitted: scores missing or off the scale,
    /// comments that are required, scores for criteria the rubric does not have.
    pub fn problems(&self, marks: &Marks) -> Vec<Problem> {
        let mut problems = Vec::new();
        for c in &self.criteria {
            // The message names the criterion as the evaluator reads it, in either language.
            let named =
                |p: Problem| p.with("criterion", &c.name).with("criterion_ja", c.name_ja.as_deref().unwrap_or(&c.name));
            match marks.scores.get(&c.id) {
                None => problems.push(named(Problem::new("error-score-missing", format!("{}: no score", c.id)))),
                Some(s) if *s < self.scale_min || *s > self.scale_max => problems.push(named(
                    Problem::new(
                        "error-score-off-scale",
                        format!("{}: {s} is outside {}–{}", c.id, self.scale_min, self.scale_max),
                    )
                    .with("value", s)
                    .with("min", self.scale_min)
                    .with("max", self.scale_max),
                )),
                Some(_) => {}
            }
            if c.comment_required && marks.comments.get(&c.id).is_none_or(|t| t.trim().is_empty()) {
                problems
                    .push(named(Problem::new("error-comment-required", format!("{}: a comment is required", c.id))));
            }
        }
        for id in marks.scores.keys() {
            if !self.criteria.iter().any(|c| &c.id == id) {
                problems.push(
                    Problem::new("error-criterion-unknown", format!("{id}: not a criterion of this rubric"))
                        .with("id", id),
                );
            }
        }
        problems
    }
}

/// A submitted evaluation, as aggregation sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub proposal: String,
    pub evaluator: String,
    /// The weighted score on the rubric's scale.
    pub total: f64,
    /// Every criterion's score, counted or not.
    #[serde(default)]
    pub criteria: BTreeMap<String, f64>,
}

/// A proposal taking part in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub proposal: String,
    pub session_type: String,
    #[serde(default)]
    pub theme: Option<String>,
    /// The region the proposal comes from (its organiser's), for the regional adjustment.
    #[serde(default)]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Normalisation {
    /// The weighted scores as given.
    None,
    /// Each evaluator's scores as z-scores of their own scores, mapped back onto the scale of
    /// all scores: a harsh evaluator's 3 and a lenient one's 4 can mean the same thing.
    #[default]
    ZScore,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub normalisation: Normalisation,
    /// Scores of one proposal whose standard deviation is at least this are flagged.
    #[serde(default = "default_disagreement")]
    pub disagreement: f64,
    /// Slots per session type; the cut-off is the score of the last proposal that fits.
    #[serde(default)]
    pub slots: BTreeMap<String, usize>,
    /// Added to a proposal's score when it comes from this region.
    #[serde(default)]
    pub region_bonus: BTreeMap<String, f64>,
    /// The scale, for the per-criterion spread threshold.
    pub scale_min: f64,
    pub scale_max: f64,
}

fn default_disagreement() -> f64 {
    1.0
}

/// Normalised, flagged at a spread of one point, no slots or bonus, on a 1–5 scale (a ranking
/// read from storage takes the call's own scale).
impl Default for Settings {
    fn default() -> Self {
        Settings {
            normalisation: Normalisation::ZScore,
            disagreement: default_disagreement(),
            slots: BTreeMap::new(),
            region_bonus: BTreeMap::new(),
            scale_min: 1.0,
            scale_max: 5.0,
        }
    }
}

/// An evaluator needs at least this many scores before their scale is estimated.
pub const MIN_FOR_NORMALISATION: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    pub proposal: String,
    pub session_type: String,
    pub theme: Option<String>,
    pub evaluations: usize,
    pub raw: f64,
    pub normalised: f64,
    /// With the regional bonus: what is ranked.
    pub adjusted: f64,
    /// Standard deviation of the evaluators' raw scores.
    pub spread: f64,
    pub disagreement: bool,
    pub rank_in_type: usize,
    pub rank_in_theme: usize,
    /// Within the slots of its session type (false when the type has no slots set).
    pub within_slots: bool,
    /// Would be within the slots without the regional bonus.
    pub within_without_bonus: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionStats {
    pub id: String,
    pub evaluations: usize,
    pub mean: f64,
    pub spread: f64,
    /// Pearson correlation of the criterion's scores with the weighted totals.
    pub correlation: Option<f64>,
    /// The scores barely differ: the criterion does not tell proposals apart.
    pub indistinct: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluatorStats {
    pub evaluator: String,
    pub evaluations: usize,
    pub mean: f64,
    pub spread: f64,
    pub normalised: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    pub ranked: Vec<Ranked>,
    /// The score of the last proposal within the slots, per session type.
    pub cutoffs: BTreeMap<String, f64>,
    pub criteria: Vec<CriterionStats>,
    pub evaluators: Vec<EvaluatorStats>,
}

/// A criterion's spread below this share of the scale marks it as not telling proposals apart.
pub const INDISTINCT_SHARE: f64 = 0.12;

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() { 0.0 } else { xs.iter().sum::<f64>() / xs.len() as f64 }
}

/// Population standard deviation.
fn spread(xs: &[f64]) -> f64 {
    let m = mean(xs);
    if xs.is_empty() { 0.0 } else { (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64).sqrt() }
}

fn correlation(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let (mx, my) = (mean(xs), mean(ys));
    let (sx, sy) = (spread(xs), spread(ys));
    if xs.len() < 3 || sx < 1e-12 || sy < 1e-12 {
        return None;
    }
    let cov = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / xs.len() as f64;
    Some((cov / (sx * sy)).clamp(-1.0, 1.0))
}

/// Aggregates the submitted evaluations of the entries (evaluations of proposals not among
/// the entries are ignored; entries without evaluations are ranked last with score 0).
pub fn aggregate(entries: &[Entry], scored: &[Scored], settings: &Settings) -> Aggregate {
    let all: Vec<f64> = scored.iter().map(|s| s.total).collect();
    let (global_mean, global_spread) = (mean(&all), spread(&all));
    let mut by_evaluator: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for s in scored {
        by_evaluator.entry(&s.evaluator).or_default().push(s.total);
    }
    let evaluators: Vec<EvaluatorStats> = by_evaluator
        .iter()
        .map(|(e, xs)| EvaluatorStats {
            evaluator: (*e).to_owned(),
            evaluations: xs.len(),
            mean: mean(xs),
            spread: spread(xs),
            normalised: settings.normalisation == Normalisation::ZScore && xs.len() >= MIN_FOR_NORMALISATION,
        })
        .collect();
    let stats: HashMap<&str, &EvaluatorStats> = evaluators.iter().map(|e| (e.evaluator.as_str(), e)).collect();
    let normalise = |s: &Scored| {
        let Some(e) = stats.get(s.evaluator.as_str()).filter(|e| e.normalised) else { return s.total };
        if e.spread > 1e-9 && global_spread > 1e-9 {
            global_mean + global_spread * (s.total - e.mean) / e.spread
        } else {
            // Everything one score: only the evaluator's offset can be corrected.
            s.total - e.mean + global_mean
        }
    };
    let mut per_proposal: HashMap<&str, (Vec<f64>, Vec<f64>)> = HashMap::new();
    for s in scored {
        let entry = per_proposal.entry(&s.proposal).or_default();
        entry.0.push(s.total);
        entry.1.push(normalise(s));
    }
    let mut ranked: Vec<Ranked> = entries
        .iter()
        .map(|e| {
            let (raw, normalised) = per_proposal.get(e.proposal.as_str()).cloned().unwrap_or_default();
            let score = mean(&normalised);
            let bonus = e.region.as_ref().and_then(|r| settings.region_bonus.get(r)).copied().unwrap_or(0.0);
            Ranked {
                proposal: e.proposal.clone(),
                session_type: e.session_type.clone(),
                theme: e.theme.clone(),
                evaluations: raw.len(),
                raw: mean(&raw),
                normalised: score,
                adjusted: if raw.is_empty() { 0.0 } else { score + bonus },
                spread: spread(&raw),
                disagreement: raw.len() >= 2 && spread(&raw) >= settings.disagreement,
                rank_in_type: 0,
                rank_in_theme: 0,
                within_slots: false,
                within_without_bonus: false,
            }
        })
        .collect();
    let order = |a: &Ranked, b: &Ranked| {
        b.adjusted.total_cmp(&a.adjusted).then(b.raw.total_cmp(&a.raw)).then_with(|| a.proposal.cmp(&b.proposal))
    };
    ranked.sort_by(order);
    let mut in_type: HashMap<String, usize> = HashMap::new();
    let mut in_theme: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut cutoffs = BTreeMap::new();
    for r in &mut ranked {
        let n = in_type.entry(r.session_type.clone()).or_default();
        *n += 1;
        r.rank_in_type = *n;
        let m = in_theme.entry((r.session_type.clone(), r.theme.clone())).or_default();
        *m += 1;
        r.rank_in_theme = *m;
        if let Some(&slots) = settings.slots.get(&r.session_type) {
            r.within_slots = r.rank_in_type <= slots && r.evaluations > 0;
            if r.within_slots {
                cutoffs.insert(r.session_type.clone(), r.adjusted);
            }
        }
    }
    // The same ranking without the bonus, to show what the adjustment changed.
    let mut plain: Vec<(&str, &str, f64, f64, bool)> = ranked
        .iter()
        .map(|r| (r.proposal.as_str(), r.session_type.as_str(), r.normalised, r.raw, r.evaluations > 0))
        .collect();
    plain.sort_by(|a, b| b.2.total_cmp(&a.2).then(b.3.total_cmp(&a.3)).then_with(|| a.0.cmp(b.0)));
    let mut plain_rank: HashMap<&str, usize> = HashMap::new();
    let mut within_plain: HashMap<String, bool> = HashMap::new();
    for (proposal, session_type, _, _, evaluated) in plain {
        let n = plain_rank.entry(session_type).or_default();
        *n += 1;
        let fits = settings.slots.get(session_type).is_some_and(|&s| *n <= s) && evaluated;
        within_plain.insert(proposal.to_owned(), fits);
    }
    for r in &mut ranked {
        r.within_without_bonus = within_plain.get(&r.proposal).copied().unwrap_or(false);
    }

    let mut criteria_ids: Vec<&String> = scored.iter().flat_map(|s| s.criteria.keys()).collect();
    criteria_ids.sort();
    criteria_ids.dedup();
    let range = (settings.scale_max - settings.scale_min).abs().max(1e-9);
    let criteria = criteria_ids
        .into_iter()
        .map(|id| {
            let (xs, totals): (Vec<f64>, Vec<f64>) =
                scored.iter().filter_map(|s| Some((*s.criteria.get(id)?, s.total))).unzip();
            let spread = spread(&xs);
            CriterionStats {
                id: id.clone(),
                evaluations: xs.len(),
                mean: mean(&xs),
                spread,
                correlation: correlation(&xs, &totals),
                indistinct: xs.len() >= 3 && spread < INDISTINCT_SHARE * range,
            }
        })
        .collect();
    Aggregate { ranked, cutoffs, criteria, evaluators }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(pairs: &[(&str, i64)]) -> Marks {
        Marks { scores: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(), comments: BTreeMap::new() }
    }

    #[test]
    fn the_weighted_score_uses_counted_criteria_only() {
        let rubric = Rubric::igf_workshop();
        assert_eq!(rubric.check(), Ok(()));
        let all = marks(&[
            ("relevance", 5),
            ("policy", 4),
            ("speakers", 3),
            ("format", 4),
            ("hybrid", 5),
            ("clarity", 2),
            ("notes", 1),
        ]);
        let expected = 0.2 * 5.0 + 0.2 * 4.0 + 0.2 * 3.0 + 0.15 * 4.0 + 0.15 * 5.0 + 0.1 * 2.0;
        assert!((rubric.weighted(&all).unwrap() - expected).abs() < 1e-12);
        let english = |problems: Vec<Problem>| problems.into_iter().map(|p| p.english).collect::<Vec<_>>();
        assert_eq!(english(rubric.problems(&all)), ["notes: a comment is required"]);
        let notes = &rubric.problems(&all)[0];
        assert_eq!((notes.key, notes.arg("criterion_ja")), ("error-comment-required", Some("提案者への助言")));
        assert_eq!(rubric.weighted(&marks(&[("relevance", 5)])), None);
        let off = marks(&[("relevance", 7), ("extra", 1)]);
        let problems = english(rubric.problems(&off));
        assert!(problems.contains(&"relevance: 7 is outside 1–5".to_owned()));
        assert!(problems.contains(&"extra: not a criterion of this rubric".to_owned()));
    }

    #[test]
    fn a_bad_rubric_names_its_problems() {
        let mut rubric = Rubric::igf_workshop();
        rubric.scale_max = 1;
        rubric.criteria[1].id = "relevance".into();
        rubric.criteria[2].weight = 0.0;
        let errors = rubric.check().unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }

    fn scored(proposal: &str, evaluator: &str, total: f64) -> Scored {
        Scored { proposal: proposal.into(), evaluator: evaluator.into(), total, criteria: BTreeMap::new() }
    }

    fn entry(proposal: &str, region: &str) -> Entry {
        Entry { proposal: proposal.into(), session_type: "workshop".into(), theme: None, region: Some(region.into()) }
    }

    fn settings() -> Settings {
        Settings {
            normalisation: Normalisation::ZScore,
            disagreement: 1.0,
            slots: BTreeMap::from([("workshop".to_owned(), 2)]),
            region_bonus: BTreeMap::new(),
            scale_min: 1.0,
            scale_max: 5.0,
        }
    }

    #[test]
    fn a_harsh_evaluator_is_read_on_their_own_scale() {
        // The harsh one gives 1–3 to what the lenient one gives 3–5, in the same order.
        let entries: Vec<Entry> = ["p1", "p2", "p3", "p4"].iter().map(|p| entry(p, "weog")).collect();
        let mut s = Vec::new();
        for (p, base) in [("p1", 0.0), ("p2", 1.0), ("p3", 2.0)] {
            s.push(scored(p, "harsh", 1.0 + base));
            s.push(scored(p, "lenient", 3.0 + base));
        }
        // p4 seen only by the harsh evaluator, at their best.
        s.push(scored("p4", "harsh", 3.0));
        let a = aggregate(&entries, &s, &settings());
        let by = |p: &str| a.ranked.iter().find(|r| r.proposal == p).unwrap().clone();
        assert!(by("p4").raw < by("p3").raw, "raw: the harsh evaluator's best looks worse");
        assert!(by("p4").normalised > by("p2").normalised, "normalised: it is among the best");
        assert!((by("p3").normalised - by("p3").raw).abs() < 1.5);
        let none = aggregate(&entries, &s, &Settings { normalisation: Normalisation::None, ..settings() });
        assert!(none.ranked.iter().all(|r| (r.raw - r.normalised).abs() < 1e-12));
    }

    #[test]
    fn slots_give_a_cut_off_and_a_bonus_can_move_it() {
        let entries = vec![entry("a", "weog"), entry("b", "weog"), entry("c", "africa"), entry("d", "africa")];
        let s = vec![scored("a", "x", 4.5), scored("b", "x", 4.0), scored("c", "x", 3.9), scored("d", "y", 2.0)];
        let plain = Settings { normalisation: Normalisation::None, ..settings() };
        let a = aggregate(&entries, &s, &plain);
        assert_eq!(
            a.ranked.iter().filter(|r| r.within_slots).map(|r| r.proposal.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(a.cutoffs["workshop"], 4.0);
        let bonus = Settings { region_bonus: BTreeMap::from([("africa".to_owned(), 0.2)]), ..plain };
        let b = aggregate(&entries, &s, &bonus);
        let c = b.ranked.iter().find(|r| r.proposal == "c").unwrap();
        assert!(c.within_slots && !c.within_without_bonus, "the bonus brought c in");
        assert!((b.cutoffs["workshop"] - 4.1).abs() < 1e-9);
    }

    #[test]
    fn disagreement_and_indistinct_criteria_are_flagged() {
        let entries = vec![entry("a", "weog"), entry("b", "weog")];
        let mut s = Vec::new();
        for (i, (p, e, total, relevance)) in
            [("a", "x", 5.0, 5.0), ("a", "y", 2.0, 2.0), ("b", "x", 3.0, 3.0), ("b", "y", 3.2, 3.0)].iter().enumerate()
        {
            let mut one = scored(p, e, *total);
            one.criteria.insert("relevance".into(), *relevance);
            one.criteria.insert("hybrid".into(), if i == 0 { 5.0 } else { 4.0 });
            s.push(one);
        }
        let a = aggregate(&entries, &s, &Settings { normalisation: Normalisation::None, ..settings() });
        assert!(a.ranked.iter().find(|r| r.proposal == "a").unwrap().disagreement);
        assert!(!a.ranked.iter().find(|r| r.proposal == "b").unwrap().disagreement);
        let hybrid = a.criteria.iter().find(|c| c.id == "hybrid").unwrap();
        let relevance = a.criteria.iter().find(|c| c.id == "relevance").unwrap();
        assert!(hybrid.indistinct && !relevance.indistinct);
        assert!(relevance.correlation.unwrap() > 0.9);
    }
}
