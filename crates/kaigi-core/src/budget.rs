//! How long a search may run. The product gives its solvers wall-clock time, so a secretariat
//! gets an answer in time on any machine; tests and comparisons give them a number of steps, so
//! the same input gives the same answer however loaded the machine is.

use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Budget {
    Time(Duration),
    /// Steps as the solver counts them (one move tried, one sweep of the people).
    Steps(u64),
}

impl From<Duration> for Budget {
    fn from(time: Duration) -> Self {
        Budget::Time(time)
    }
}

/// A running budget: counts steps and tells how much of it is spent.
#[derive(Debug)]
pub struct Clock {
    budget: Budget,
    started: Instant,
    steps: u64,
}

impl Clock {
    pub fn start(budget: impl Into<Budget>) -> Self {
        Clock { budget: budget.into(), started: Instant::now(), steps: 0 }
    }

    pub fn step(&mut self) {
        self.steps += 1;
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// How much of the budget is used, from 0 to 1 (an annealing schedule cools by it).
    pub fn spent_fraction(&self) -> f64 {
        match self.budget {
            Budget::Time(t) => (self.started.elapsed().as_secs_f64() / t.as_secs_f64().max(1e-6)).min(1.0),
            Budget::Steps(n) => (self.steps as f64 / n.max(1) as f64).min(1.0),
        }
    }

    pub fn is_spent(&self) -> bool {
        match self.budget {
            Budget::Time(t) => self.started.elapsed() >= t,
            Budget::Steps(n) => self.steps >= n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_budget_ends_after_its_steps_whatever_the_time() {
        let mut clock = Clock::start(Budget::Steps(3));
        for _ in 0..2 {
            clock.step();
        }
        assert!(!clock.is_spent());
        assert!((clock.spent_fraction() - 2.0 / 3.0).abs() < 1e-12);
        clock.step();
        assert!(clock.is_spent());
    }

    #[test]
    fn no_time_is_spent_at_once() {
        assert!(Clock::start(Duration::ZERO).is_spent());
    }
}
