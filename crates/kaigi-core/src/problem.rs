//! What is wrong with a value a person typed, said once for every language: a message key
//! (the interface's locale files hold `key` in Japanese and English), the values the message
//! names, and the same sentence in English for logs, the command line and the JSON API.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The message key, e.g. `error-field-empty`.
    pub key: &'static str,
    /// Named values of the message; a value named `field` is a field's code, which the
    /// interface shows by its label.
    pub args: Vec<(&'static str, String)>,
    pub english: String,
}

impl Problem {
    pub fn new(key: &'static str, english: impl Into<String>) -> Self {
        Problem { key, args: Vec::new(), english: english.into() }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// `field` must lie in `min..=max`.
    pub fn out_of_range(field: &'static str, value: impl ToString, min: i64, max: i64) -> Self {
        let value = value.to_string();
        Problem::new("error-field-range", format!("{field}: expected {min} to {max}, got {value}"))
            .with("field", field)
            .with("value", value)
            .with("min", min)
            .with("max", max)
    }

    /// The value of an argument, if the message has it.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english)
    }
}

/// The problems in English, one after another (for logs and the command line).
pub fn english(problems: &[Problem]) -> String {
    problems.iter().map(|p| p.english.as_str()).collect::<Vec<_>>().join("; ")
}
