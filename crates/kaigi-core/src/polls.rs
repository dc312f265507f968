//! Date polls: members answer each proposed slot, and the committee meets on the best one.

/// What the members answered for one slot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub yes: usize,
    /// "If need be": can come, at a cost.
    pub ifneed: usize,
    pub no: usize,
    /// The key person (the chair, say) cannot come: the slot is out whatever the others say.
    pub blocked: bool,
}

impl Tally {
    /// Counts the answers given for a slot ("yes", "ifneed", "no"; anything else is no answer).
    pub fn of<'a>(answers: impl IntoIterator<Item = &'a str>, key_person_says: Option<&str>) -> Tally {
        let mut tally = Tally { blocked: key_person_says == Some("no"), ..Tally::default() };
        for answer in answers {
            match answer {
                "yes" => tally.yes += 1,
                "ifneed" => tally.ifneed += 1,
                "no" => tally.no += 1,
                _ => {}
            }
        }
        tally
    }
}

/// The best slot: not blocked, with the most who can come ("if need be" counts half); the
/// earliest of equals. None when every slot is blocked or nobody can come.
pub fn best_slot(tallies: &[Tally]) -> Option<usize> {
    tallies
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.blocked && t.yes + t.ifneed > 0)
        .max_by_key(|(i, t)| (2 * t.yes + t.ifneed, std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(yes: usize, ifneed: usize, blocked: bool) -> Tally {
        Tally { yes, ifneed, no: 0, blocked }
    }

    #[test]
    fn the_key_person_blocks_a_slot_whatever_the_others_say() {
        assert_eq!(best_slot(&[tally(9, 0, true), tally(2, 1, false)]), Some(1));
        assert_eq!(best_slot(&[tally(9, 0, true)]), None);
    }

    #[test]
    fn if_need_be_counts_half_and_the_earliest_of_equals_wins() {
        assert_eq!(best_slot(&[tally(1, 2, false), tally(2, 0, false)]), Some(0));
        assert_eq!(best_slot(&[tally(1, 1, false), tally(2, 0, false)]), Some(1));
        assert_eq!(best_slot(&[tally(0, 0, false)]), None);
    }

    #[test]
    fn answers_are_counted_by_kind() {
        let t = Tally::of(["yes", "no", "ifneed", "yes", ""], Some("no"));
        assert_eq!(t, Tally { yes: 2, ifneed: 1, no: 1, blocked: true });
    }
}
