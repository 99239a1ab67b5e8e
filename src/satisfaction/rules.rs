//! The rating form and the API's body read into checked answers, and approved
//! comments grouped for reading (pure).

use magistrat_domain::satisfaction::{ScoreError, Scores};

use super::store::Comment;

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

/// The comments of one category of service within one unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryComments {
    /// The ticket category or the kind of case, as stored.
    pub category: String,
    pub comments: Vec<Comment>,
}

/// The comments about one unit (None: a visit served by no official of a unit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitComments {
    pub unit: Option<String>,
    pub categories: Vec<CategoryComments>,
}

impl UnitComments {
    pub fn count(&self) -> usize {
        self.categories.iter().map(|c| c.comments.len()).sum()
    }
}

/// Comments grouped by unit, then by category, both in alphabetical order (units
/// without a name last); within a group in the order given (newest first as read).
pub fn group_comments(comments: Vec<Comment>) -> Vec<UnitComments> {
    let mut units: Vec<UnitComments> = Vec::new();
    for c in comments {
        let unit = match units.iter_mut().position(|u| u.unit == c.unit) {
            Some(i) => &mut units[i],
            None => {
                units.push(UnitComments {
                    unit: c.unit.clone(),
                    categories: Vec::new(),
                });
                let last = units.len() - 1;
                &mut units[last]
            }
        };
        match unit
            .categories
            .iter_mut()
            .find(|g| g.category == c.category)
        {
            Some(g) => g.comments.push(c),
            None => unit.categories.push(CategoryComments {
                category: c.category.clone(),
                comments: vec![c],
            }),
        }
    }
    for u in &mut units {
        u.categories.sort_by(|a, b| a.category.cmp(&b.category));
    }
    // None sorts first in Option's order; a unit's comments read before the rest.
    units.sort_by(|a, b| match (&a.unit, &b.unit) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    units
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn comment(id: i64, unit: Option<&str>, category: &str) -> Comment {
        Comment {
            id,
            service_on: "2026-03-01".into(),
            channel: "service_point".into(),
            unit: unit.map(str::to_owned),
            service_score: 4,
            official_score: 4,
            nps: 9,
            comment: format!("c{id}"),
            category: category.into(),
        }
    }

    #[test]
    fn comments_are_grouped_by_unit_then_category() {
        let table = [
            (1, Some("SA — Spraw"), "Meldunki"),
            (2, None, "Kasa"),
            (3, Some("GK — Gospodarki"), "Zgłoszenia"),
            (4, Some("SA — Spraw"), "Dowody"),
            (5, Some("SA — Spraw"), "Meldunki"),
        ];
        let groups = group_comments(table.iter().map(|(id, u, c)| comment(*id, *u, c)).collect());
        type Shape<'a> = Vec<(Option<&'a str>, Vec<(&'a str, Vec<i64>)>)>;
        let shape: Shape = groups
            .iter()
            .map(|u| {
                (
                    u.unit.as_deref(),
                    u.categories
                        .iter()
                        .map(|c| {
                            (
                                c.category.as_str(),
                                c.comments.iter().map(|x| x.id).collect(),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (Some("GK — Gospodarki"), vec![("Zgłoszenia", vec![3])]),
                (
                    Some("SA — Spraw"),
                    vec![("Dowody", vec![4]), ("Meldunki", vec![1, 5])]
                ),
                (None, vec![("Kasa", vec![2])]),
            ]
        );
        assert_eq!(groups[1].count(), 3);
        assert!(group_comments(Vec::new()).is_empty());
    }

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
