//! The rating form and the API's body read into checked answers (pure).

use magistrat_domain::satisfaction::{ScoreError, Scores};

use crate::platform::form::{FormErrors, FormReader, Pairs};

/// The longest comment kept, in characters.
pub const COMMENT_MAX: usize = 2000;

/// A resident's checked answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answers {
    pub scores: Scores,
    /// Trimmed; empty for none.
    pub comment: String,
}

/// The Fluent id of a score out of range.
pub fn score_message(e: ScoreError) -> &'static str {
    match e {
        ScoreError::Service => "sat-error-service",
        ScoreError::Official => "sat-error-official",
        ScoreError::Nps => "sat-error-nps",
    }
}

impl Answers {
    /// Answers from raw numbers (the API's body); the problems by field.
    pub fn new(service: i64, official: i64, nps: i64, comment: &str) -> Result<Self, FormErrors> {
        let mut errors = FormErrors::new();
        let scores = Scores::new(service, official, nps).map_err(|bad| {
            for e in bad {
                errors.add(e.field(), score_message(e));
            }
        });
        let comment = comment.trim();
        if comment.chars().count() > COMMENT_MAX {
            errors.add("comment", "sat-error-comment-long");
        }
        match scores {
            Ok(scores) if errors.is_empty() => Ok(Answers {
                scores,
                comment: comment.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// The rating form as posted.
pub struct RatingForm<'a> {
    pub pairs: &'a Pairs,
}

impl TryFrom<RatingForm<'_>> for Answers {
    type Error = FormErrors;

    fn try_from(form: RatingForm<'_>) -> Result<Self, FormErrors> {
        let mut reader = FormReader::new(form.pairs);
        let mut score = |name: &'static str, message: &'static str| {
            reader.required(name, |v| v.parse::<i64>().map_err(|_| message))
        };
        // A choice left blank is "required"; anything else not a number in range is
        // the scale's own message (a tampered form).
        let service = score("service", "sat-error-service");
        let official = score("official", "sat-error-official");
        let nps = score("nps", "sat-error-nps");
        let comment = reader.value("comment").to_owned();
        let mut errors = reader.errors().clone();
        if let (Some(s), Some(o), Some(n)) = (service, official, nps) {
            match Answers::new(s, o, n, &comment) {
                Ok(answers) if errors.is_empty() => return Ok(answers),
                Ok(_) => {}
                Err(more) => {
                    for (field, message) in more.fields() {
                        errors.add(field.to_owned(), message);
                    }
                }
            }
        } else if comment.trim().chars().count() > COMMENT_MAX {
            errors.add("comment", "sat-error-comment-long");
        }
        Err(errors)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_full_form_reads() {
        let p = pairs(&[
            ("service", "5"),
            ("official", "4"),
            ("nps", "9"),
            ("comment", " Miło "),
        ]);
        let a = Answers::try_from(RatingForm { pairs: &p }).unwrap();
        assert_eq!(
            (a.scores.service, a.scores.official, a.scores.nps),
            (5, 4, 9)
        );
        assert_eq!(a.comment, "Miło");
    }

    #[test]
    fn blanks_and_tampered_values_are_named() {
        let p = pairs(&[("service", ""), ("official", "7"), ("nps", "x")]);
        let e = Answers::try_from(RatingForm { pairs: &p }).unwrap_err();
        assert_eq!(e.get("service"), Some("form-required"));
        assert_eq!(e.get("nps"), Some("sat-error-nps"));
        // 7 parses, so its range is checked only when all three read; still refused.
        let p = pairs(&[("service", "3"), ("official", "7"), ("nps", "11")]);
        let e = Answers::try_from(RatingForm { pairs: &p }).unwrap_err();
        assert_eq!(e.get("official"), Some("sat-error-official"));
        assert_eq!(e.get("nps"), Some("sat-error-nps"));
    }

    #[test]
    fn a_long_comment_is_refused() {
        let long = "a".repeat(COMMENT_MAX + 1);
        let e = Answers::new(3, 3, 5, &long).unwrap_err();
        assert_eq!(e.get("comment"), Some("sat-error-comment-long"));
        assert!(Answers::new(3, 3, 5, &"a".repeat(COMMENT_MAX)).is_ok());
    }
}
