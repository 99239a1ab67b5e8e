//! Survey campaigns' questionnaires (issue 14; docs/decisions/0046-survey-campaigns.md):
//! what a questionnaire may contain, which questions a respondent is shown (skip logic)
//! and which answers are accepted.
//!
//! A questionnaire is a list of questions, each in a **block** — the five blocks of the
//! questionnaire gminas use to survey their offices (image of the office, individual
//! approach, competence, timeliness, reliability), a general block (the recommendation
//! question, open remarks) and the respondent's profile (age band, sex, how often in
//! contact, channel) — and of a **kind**: a 1–5 scale, the 0–10 recommendation question
//! (NPS), one choice, several choices or open text. Every text is in Polish and English.
//! A question may be shown only when an earlier question was answered with a given
//! value ([`Condition`]); a question whose condition refers to a question not shown is
//! not shown either. Answers to questions not shown are dropped, never stored.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The longest open answer, in characters.
pub const OPEN_MAX: usize = 2000;
/// The longest question or option text, in characters.
pub const TEXT_MAX: usize = 300;
/// The most questions one questionnaire may have.
pub const QUESTIONS_MAX: usize = 60;
/// The most options one choice question may have.
pub const OPTIONS_MAX: usize = 30;

/// A part of the questionnaire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// Wizerunek urzędu: the building, signs, waiting room, website.
    Image,
    /// Indywidualne podejście: courtesy, attention to the resident's situation.
    Approach,
    /// Kompetencje: the officials' knowledge and the clarity of their explanations.
    Competence,
    /// Terminowość: waiting and handling times.
    Timeliness,
    /// Rzetelność: correct, complete, reliable handling.
    Reliability,
    /// The recommendation question and general remarks.
    General,
    /// Metryczka: who answered (age band, sex, contact, channel).
    Profile,
}

impl Block {
    /// Every block, in the questionnaire's order.
    pub const ALL: [Block; 7] = [
        Block::Image,
        Block::Approach,
        Block::Competence,
        Block::Timeliness,
        Block::Reliability,
        Block::General,
        Block::Profile,
    ];

    /// The block's name in forms and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Block::Image => "image",
            Block::Approach => "approach",
            Block::Competence => "competence",
            Block::Timeliness => "timeliness",
            Block::Reliability => "reliability",
            Block::General => "general",
            Block::Profile => "profile",
        }
    }

    /// The block named `s`.
    pub fn parse(s: &str) -> Option<Block> {
        Block::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// How a question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 1 (very bad) … 5 (very good); 4 and 5 count as satisfied (CSAT).
    Scale,
    /// 0 … 10, how likely to recommend (NPS).
    Nps,
    /// Exactly one of the options.
    Single,
    /// Any number of the options.
    Multiple,
    /// Free text, read only by moderators.
    Open,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] = [
        Kind::Scale,
        Kind::Nps,
        Kind::Single,
        Kind::Multiple,
        Kind::Open,
    ];

    /// The kind's name in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Scale => "scale",
            Kind::Nps => "nps",
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::Open => "open",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The scores of a scale kind, lowest first.
    pub fn range(self) -> Option<std::ops::RangeInclusive<u8>> {
        match self {
            Kind::Scale => Some(1..=5),
            Kind::Nps => Some(0..=10),
            _ => None,
        }
    }

    /// Whether the kind is answered by choosing options.
    pub fn has_options(self) -> bool {
        matches!(self, Kind::Single | Kind::Multiple)
    }
}

/// A text in both languages of the office.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// Polish.
    pub pl: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A text from its Polish and English versions.
    pub fn new(pl: &str, en: &str) -> Text {
        Text {
            pl: pl.to_owned(),
            en: en.to_owned(),
        }
    }

    /// The text in `lang` (`pl` or `en`).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.pl }
    }
}

/// One option of a choice question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// What is stored and counted: short, `[a-z0-9_]`.
    pub value: String,
    /// What the respondent reads.
    pub text: Text,
}

/// Show a question only when an earlier question's answer is (or, for several
/// choices, includes) `equals`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// The earlier question's key.
    pub question: String,
    /// The answer (a score or an option's value) that shows the question.
    pub equals: String,
}

/// One question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Unique in the questionnaire, `[a-z0-9_]`, at most 32 characters.
    pub key: String,
    /// The block the question belongs to.
    pub block: Block,
    /// How it is answered.
    pub kind: Kind,
    /// The question's text.
    pub text: Text,
    #[serde(default)]
    /// The options of a choice question; empty otherwise.
    pub options: Vec<Choice>,
    /// A shown question must be answered.
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    /// Show only when an earlier answer has a given value.
    pub show_if: Option<Condition>,
}

/// A questionnaire: its questions in the order they are asked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Questionnaire {
    /// The questions.
    pub questions: Vec<Question>,
}

/// Why a questionnaire cannot be run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuestionnaireError {
    #[error("the questionnaire has no questions")]
    /// No question at all.
    Empty,
    #[error("the questionnaire has too many questions")]
    /// More than [`QUESTIONS_MAX`] questions.
    TooMany,
    #[error("question {0}: the key must be 1–32 characters a–z, 0–9 or _")]
    /// A key that is not 1–32 of `a–z`, `0–9`, `_`.
    BadKey(String),
    #[error("question {0}: the key is used twice")]
    /// A key used by an earlier question.
    DuplicateKey(String),
    #[error("question {0}: a text is missing in Polish or English, or too long")]
    /// A text empty or too long in one of the languages.
    MissingText(String),
    #[error("question {0}: a choice needs 2 or more options with distinct values")]
    /// A choice with fewer than two, too many or repeated options.
    BadOptions(String),
    #[error("question {0}: only choice questions have options")]
    /// Options on a question that is not a choice.
    UnexpectedOptions(String),
    #[error("question {0}: the condition must name an earlier question")]
    /// A condition on a question that is not earlier.
    ConditionNotEarlier(String),
    #[error("question {0}: the condition's value is not an answer of that question")]
    /// A condition on a value the question cannot have.
    ConditionValue(String),
}

impl QuestionnaireError {
    /// The Fluent message id that says what is wrong.
    pub fn message(&self) -> &'static str {
        match self {
            QuestionnaireError::Empty => "sv-err-empty",
            QuestionnaireError::TooMany => "sv-err-too-many",
            QuestionnaireError::BadKey(_) => "sv-err-key",
            QuestionnaireError::DuplicateKey(_) => "sv-err-key-twice",
            QuestionnaireError::MissingText(_) => "sv-err-text",
            QuestionnaireError::BadOptions(_) => "sv-err-options",
            QuestionnaireError::UnexpectedOptions(_) => "sv-err-no-options",
            QuestionnaireError::ConditionNotEarlier(_) => "sv-err-condition",
            QuestionnaireError::ConditionValue(_) => "sv-err-condition-value",
        }
    }
}

/// A key or an option value: 1–32 of `a–z`, `0–9`, `_`.
pub fn valid_key(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn text_ok(t: &Text) -> bool {
    let ok = |s: &str| !s.trim().is_empty() && s.chars().count() <= TEXT_MAX;
    ok(&t.pl) && ok(&t.en)
}

impl Question {
    /// Whether `value` is a possible answer (a score in range, an option's value).
    pub fn accepts(&self, value: &str) -> bool {
        match self.kind {
            Kind::Scale | Kind::Nps => value
                .parse::<u8>()
                .ok()
                .zip(self.kind.range())
                .is_some_and(|(v, r)| r.contains(&v) && v.to_string() == value),
            Kind::Single | Kind::Multiple => self.options.iter().any(|o| o.value == value),
            Kind::Open => false,
        }
    }
}

impl Questionnaire {
    /// Every problem that keeps the questionnaire from being run, in question order.
    pub fn check(&self) -> Result<(), Vec<QuestionnaireError>> {
        use QuestionnaireError as E;
        let mut errors = Vec::new();
        if self.questions.is_empty() {
            errors.push(E::Empty);
        }
        if self.questions.len() > QUESTIONS_MAX {
            errors.push(E::TooMany);
        }
        let mut earlier: BTreeMap<&str, &Question> = BTreeMap::new();
        for q in &self.questions {
            let key = q.key.clone();
            if !valid_key(&q.key) {
                errors.push(E::BadKey(key.clone()));
            } else if earlier.contains_key(q.key.as_str()) {
                errors.push(E::DuplicateKey(key.clone()));
            }
            if !text_ok(&q.text) {
                errors.push(E::MissingText(key.clone()));
            }
            if q.kind.has_options() {
                let values: BTreeSet<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
                if q.options.len() < 2
                    || q.options.len() > OPTIONS_MAX
                    || values.len() != q.options.len()
                    || !q.options.iter().all(|o| valid_key(&o.value))
                {
                    errors.push(E::BadOptions(key.clone()));
                }
                if !q.options.iter().all(|o| text_ok(&o.text)) {
                    errors.push(E::MissingText(key.clone()));
                }
            } else if !q.options.is_empty() {
                errors.push(E::UnexpectedOptions(key.clone()));
            }
            if let Some(c) = &q.show_if {
                match earlier.get(c.question.as_str()) {
                    None => errors.push(E::ConditionNotEarlier(key.clone())),
                    Some(before) if !before.accepts(&c.equals) => {
                        errors.push(E::ConditionValue(key.clone()));
                    }
                    Some(_) => {}
                }
            }
            earlier.entry(q.key.as_str()).or_insert(q);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The question with `key`.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// Which questions are shown, given the answers so far (question key → values):
    /// one flag per question, in order. A condition holds when the earlier question
    /// was shown and one of its answers equals the condition's value.
    pub fn shown(&self, answers: &BTreeMap<String, Vec<String>>) -> Vec<bool> {
        let mut shown: BTreeMap<&str, bool> = BTreeMap::new();
        self.questions
            .iter()
            .map(|q| {
                let visible = match &q.show_if {
                    None => true,
                    Some(c) => {
                        shown.get(c.question.as_str()).copied().unwrap_or(false)
                            && answers
                                .get(&c.question)
                                .is_some_and(|vs| vs.contains(&c.equals))
                    }
                };
                shown.insert(q.key.as_str(), visible);
                visible
            })
            .collect()
    }

    /// Reads a response: `pairs` are the submitted `(question key, value)` pairs (a
    /// question of several choices may come several times). Answers to questions not
    /// shown are dropped; every shown question's answer is checked. The answers are in
    /// question order.
    pub fn read(&self, pairs: &[(String, String)]) -> Result<Vec<Answer>, Vec<AnswerError>> {
        // Raw values per key, blanks removed, text trimmed.
        let mut raw: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            if self.question(k).is_some() {
                raw.entry(k.clone()).or_default().push(v.to_owned());
            }
        }
        // Conditions are decided on valid answers only: an invalid answer to an
        // earlier question shows nothing that depends on it.
        let mut valid: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut answers = Vec::new();
        let mut errors = Vec::new();
        for q in &self.questions {
            if !self.shown_one(q, &valid) {
                continue;
            }
            let values = raw.get(&q.key).cloned().unwrap_or_default();
            match read_one(q, &values) {
                Ok(Some(value)) => {
                    valid.insert(q.key.clone(), value.values());
                    answers.push(Answer {
                        key: q.key.clone(),
                        value,
                    });
                }
                Ok(None) => {}
                Err(kind) => errors.push(AnswerError {
                    key: q.key.clone(),
                    kind,
                }),
            }
        }
        if errors.is_empty() {
            Ok(answers)
        } else {
            Err(errors)
        }
    }

    fn shown_one(&self, q: &Question, valid: &BTreeMap<String, Vec<String>>) -> bool {
        match &q.show_if {
            None => true,
            // Only shown questions' answers are in `valid`, so a condition on a
            // hidden (or unanswered) question does not hold.
            Some(c) => valid
                .get(&c.question)
                .is_some_and(|vs| vs.contains(&c.equals)),
        }
    }
}

/// One accepted answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The question's key.
    pub key: String,
    /// The checked value.
    pub value: Value,
}

/// An answer's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A score on the question's scale.
    Score(u8),
    /// The chosen options' values, in the options' order.
    Choices(Vec<String>),
    /// Open text, trimmed.
    Text(String),
}

impl Value {
    /// The value as the strings a condition compares with.
    pub fn values(&self) -> Vec<String> {
        match self {
            Value::Score(s) => vec![s.to_string()],
            Value::Choices(c) => c.clone(),
            Value::Text(t) => vec![t.clone()],
        }
    }
}

/// What is wrong with one answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerProblem {
    /// A required question shown and not answered.
    Missing,
    /// A score outside the scale, or not a number.
    OutOfRange,
    /// A value that is not one of the options.
    UnknownOption,
    /// Several values for one choice.
    TooMany,
    /// Open text over [`OPEN_MAX`] characters.
    TooLong,
}

impl AnswerProblem {
    /// The Fluent message id that says what is wrong.
    pub fn message(self) -> &'static str {
        match self {
            AnswerProblem::Missing => "sv-answer-missing",
            AnswerProblem::OutOfRange => "sv-answer-range",
            AnswerProblem::UnknownOption => "sv-answer-option",
            AnswerProblem::TooMany => "sv-answer-one",
            AnswerProblem::TooLong => "sv-answer-long",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// What is wrong with the answer to one question.
pub struct AnswerError {
    /// The question's key.
    pub key: String,
    /// The problem.
    pub kind: AnswerProblem,
}

fn read_one(q: &Question, values: &[String]) -> Result<Option<Value>, AnswerProblem> {
    if values.is_empty() {
        return if q.required {
            Err(AnswerProblem::Missing)
        } else {
            Ok(None)
        };
    }
    match q.kind {
        Kind::Scale | Kind::Nps => {
            let [v] = values else {
                return Err(AnswerProblem::TooMany);
            };
            if q.accepts(v) {
                v.parse()
                    .map(|s| Some(Value::Score(s)))
                    .map_err(|_| AnswerProblem::OutOfRange)
            } else {
                Err(AnswerProblem::OutOfRange)
            }
        }
        Kind::Single => {
            let [v] = values else {
                return Err(AnswerProblem::TooMany);
            };
            if q.accepts(v) {
                Ok(Some(Value::Choices(vec![v.clone()])))
            } else {
                Err(AnswerProblem::UnknownOption)
            }
        }
        Kind::Multiple => {
            if !values.iter().all(|v| q.accepts(v)) {
                return Err(AnswerProblem::UnknownOption);
            }
            // In the options' order, each once.
            let chosen: Vec<String> = q
                .options
                .iter()
                .filter(|o| values.contains(&o.value))
                .map(|o| o.value.clone())
                .collect();
            Ok(Some(Value::Choices(chosen)))
        }
        Kind::Open => {
            let text = values.join("\n");
            if text.chars().count() > OPEN_MAX {
                Err(AnswerProblem::TooLong)
            } else {
                Ok(Some(Value::Text(text)))
            }
        }
    }
}

fn scale(key: &str, block: Block, pl: &str, en: &str) -> Question {
    Question {
        key: key.to_owned(),
        block,
        kind: Kind::Scale,
        text: Text::new(pl, en),
        options: Vec::new(),
        required: false,
        show_if: None,
    }
}

fn choice(key: &str, kind: Kind, pl: &str, en: &str, options: &[(&str, &str, &str)]) -> Question {
    Question {
        key: key.to_owned(),
        block: Block::Profile,
        kind,
        text: Text::new(pl, en),
        options: options
            .iter()
            .map(|(v, pl, en)| Choice {
                value: (*v).to_owned(),
                text: Text::new(pl, en),
            })
            .collect(),
        required: false,
        show_if: None,
    }
}

/// The block questionnaire gminas use to survey their offices (image, individual
/// approach, competence, timeliness, reliability; research notes §4.2), with the
/// recommendation question, a follow-up shown only to detractors-to-be (who visited
/// more than once), open remarks and the respondent's profile. `units` (value, Polish
/// name, English name) become the options of the question which unit the respondent
/// dealt with, so results can be read per unit.
#[allow(
    clippy::too_many_lines,
    reason = "the questionnaire's text, question by question, read best in one place"
)]
pub fn block_questionnaire(units: &[(String, String, String)]) -> Questionnaire {
    let mut questions = vec![
        scale(
            "image_premises",
            Block::Image,
            "Jak ocenia Pan/Pani warunki w budynku urzędu (oznakowanie, poczekalnia)?",
            "How do you rate the conditions in the office building (signs, waiting room)?",
        ),
        scale(
            "image_website",
            Block::Image,
            "Jak ocenia Pan/Pani informacje na stronie internetowej urzędu?",
            "How do you rate the information on the office's website?",
        ),
        scale(
            "approach_courtesy",
            Block::Approach,
            "Jak ocenia Pan/Pani uprzejmość i życzliwość urzędników?",
            "How do you rate the officials' courtesy and kindness?",
        ),
        scale(
            "approach_attention",
            Block::Approach,
            "Czy urzędnik zajął się Pana/Pani sprawą z uwagą na Pana/Pani sytuację?",
            "Did the official attend to your matter with regard to your situation?",
        ),
        scale(
            "competence_knowledge",
            Block::Competence,
            "Jak ocenia Pan/Pani wiedzę urzędników?",
            "How do you rate the officials' knowledge?",
        ),
        scale(
            "competence_clarity",
            Block::Competence,
            "Czy wyjaśnienia były jasne i zrozumiałe?",
            "Were the explanations clear and understandable?",
        ),
        scale(
            "timeliness_wait",
            Block::Timeliness,
            "Jak ocenia Pan/Pani czas oczekiwania na obsługę?",
            "How do you rate the time you waited to be served?",
        ),
        scale(
            "timeliness_handling",
            Block::Timeliness,
            "Jak ocenia Pan/Pani czas załatwienia sprawy?",
            "How do you rate the time it took to settle your matter?",
        ),
        scale(
            "reliability_correct",
            Block::Reliability,
            "Czy sprawa została załatwiona rzetelnie i bez błędów?",
            "Was your matter handled reliably and without errors?",
        ),
        scale(
            "reliability_complete",
            Block::Reliability,
            "Czy otrzymał(a) Pan/Pani wszystkie potrzebne informacje?",
            "Did you receive all the information you needed?",
        ),
        Question {
            key: "recommend".into(),
            block: Block::General,
            kind: Kind::Nps,
            text: Text::new(
                "Na ile prawdopodobne jest, że poleci Pan/Pani usługi urzędu znajomym?",
                "How likely are you to recommend the office's services to friends?",
            ),
            options: Vec::new(),
            required: false,
            show_if: None,
        },
        Question {
            block: Block::General,
            ..choice(
                "visits",
                Kind::Single,
                "Czy aby załatwić sprawę, musiał(a) Pan/Pani przyjść więcej niż raz?",
                "Did you have to come more than once to settle your matter?",
                &[("yes", "Tak", "Yes"), ("no", "Nie", "No")],
            )
        },
        Question {
            key: "visits_why".into(),
            block: Block::General,
            kind: Kind::Open,
            text: Text::new("Dlaczego?", "Why?"),
            options: Vec::new(),
            required: false,
            show_if: Some(Condition {
                question: "visits".into(),
                equals: "yes".into(),
            }),
        },
        Question {
            key: "remarks".into(),
            block: Block::General,
            kind: Kind::Open,
            text: Text::new("Co powinniśmy poprawić?", "What should we improve?"),
            options: Vec::new(),
            required: false,
            show_if: None,
        },
    ];
    if units.len() >= 2 {
        questions.push(Question {
            key: "unit".into(),
            block: Block::Profile,
            kind: Kind::Single,
            text: Text::new(
                "W którym wydziale lub referacie załatwiał(a) Pan/Pani sprawę?",
                "Which department handled your matter?",
            ),
            options: units
                .iter()
                .take(OPTIONS_MAX)
                .map(|(v, pl, en)| Choice {
                    value: v.clone(),
                    text: Text::new(pl, en),
                })
                .collect(),
            required: false,
            show_if: None,
        });
    }
    questions.extend([
        choice(
            "age",
            Kind::Single,
            "Wiek",
            "Age",
            &[
                ("under_25", "do 25 lat", "under 25"),
                ("25_44", "25–44 lata", "25–44"),
                ("45_64", "45–64 lata", "45–64"),
                ("65_plus", "65 lat i więcej", "65 or over"),
            ],
        ),
        choice(
            "sex",
            Kind::Single,
            "Płeć",
            "Sex",
            &[
                ("female", "kobieta", "female"),
                ("male", "mężczyzna", "male"),
                ("none", "wolę nie podawać", "prefer not to say"),
            ],
        ),
        choice(
            "contact",
            Kind::Single,
            "Jak często kontaktuje się Pan/Pani z urzędem?",
            "How often are you in contact with the office?",
            &[
                ("first", "pierwszy raz", "first time"),
                ("yearly", "kilka razy w roku", "a few times a year"),
                (
                    "monthly",
                    "co miesiąc lub częściej",
                    "monthly or more often",
                ),
            ],
        ),
        choice(
            "channel",
            Kind::Multiple,
            "Jak załatwiał(a) Pan/Pani sprawę?",
            "How did you deal with the office?",
            &[
                ("in_person", "osobiście", "in person"),
                (
                    "online",
                    "przez internet (ePUAP, e-usługi)",
                    "online (ePUAP, e-services)",
                ),
                ("phone", "telefonicznie", "by phone"),
                ("post", "pocztą", "by post"),
            ],
        ),
    ]);
    Questionnaire { questions }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn units() -> Vec<(String, String, String)> {
        vec![
            (
                "1".into(),
                "Wydział Spraw Administracyjnych".into(),
                "Administrative Affairs".into(),
            ),
            (
                "2".into(),
                "Urząd Stanu Cywilnego".into(),
                "Civil Registry".into(),
            ),
        ]
    }

    #[test]
    fn the_block_questionnaire_is_valid_and_covers_every_block() {
        let q = block_questionnaire(&units());
        assert_eq!(q.check(), Ok(()));
        for block in Block::ALL {
            assert!(q.questions.iter().any(|x| x.block == block), "{block:?}");
        }
        for kind in Kind::ALL {
            assert!(q.questions.iter().any(|x| x.kind == kind), "{kind:?}");
        }
        // Without units to choose from, no unit question.
        assert!(block_questionnaire(&[]).question("unit").is_none());
    }

    #[test]
    fn invalid_questionnaires_say_why() {
        use QuestionnaireError as E;
        let base = block_questionnaire(&[]);
        let with = |f: &dyn Fn(&mut Questionnaire)| {
            let mut q = base.clone();
            f(&mut q);
            q.check().unwrap_err()
        };
        let cases: Vec<(Vec<QuestionnaireError>, &str)> = vec![
            (with(&|q| q.questions.clear()), "empty"),
            (
                with(&|q| q.questions[1].key = "image_premises".into()),
                "duplicate",
            ),
            (with(&|q| q.questions[0].key = "Bad Key".into()), "bad key"),
            (with(&|q| q.questions[0].text.en = " ".into()), "no English"),
            (with(&|q| q.questions[11].options.truncate(1)), "one option"),
            (
                with(&|q| q.questions[11].options[1].value = "yes".into()),
                "same values",
            ),
            (
                with(&|q| q.questions[0].options = q.questions[11].options.clone()),
                "options on a scale",
            ),
            (
                with(&|q| {
                    let c = q.questions.remove(11);
                    q.questions.push(c);
                }),
                "condition on a later question",
            ),
            (
                with(&|q| q.questions[12].show_if.as_mut().unwrap().equals = "maybe".into()),
                "condition on an impossible value",
            ),
        ];
        let expected = [
            vec![E::Empty],
            vec![E::DuplicateKey("image_premises".into())],
            vec![E::BadKey("Bad Key".into())],
            vec![E::MissingText("image_premises".into())],
            vec![E::BadOptions("visits".into())],
            vec![E::BadOptions("visits".into())],
            vec![E::UnexpectedOptions("image_premises".into())],
            vec![E::ConditionNotEarlier("visits_why".into())],
            vec![E::ConditionValue("visits_why".into())],
        ];
        for ((got, why), want) in cases.into_iter().zip(expected) {
            assert_eq!(got, want, "{why}");
        }
    }

    #[test]
    fn skip_logic_shows_follow_ups_only_after_their_answer() {
        let q = block_questionnaire(&[]);
        let why = q
            .questions
            .iter()
            .position(|x| x.key == "visits_why")
            .unwrap();
        let mut answers = BTreeMap::new();
        assert!(!q.shown(&answers)[why]);
        answers.insert("visits".to_owned(), vec!["no".to_owned()]);
        assert!(!q.shown(&answers)[why]);
        answers.insert("visits".to_owned(), vec!["yes".to_owned()]);
        assert!(q.shown(&answers)[why]);
        assert!(q.shown(&answers).iter().filter(|s| !**s).count() == 0);
    }

    #[test]
    fn a_condition_on_a_hidden_question_hides_its_follow_up() {
        let mut q = block_questionnaire(&[]);
        // visits_why2 depends on visits_why, itself shown only after visits = yes.
        q.questions.insert(
            13,
            Question {
                key: "visits_why2".into(),
                block: Block::General,
                kind: Kind::Open,
                text: Text::new("A?", "A?"),
                options: Vec::new(),
                required: true,
                show_if: Some(Condition {
                    question: "visits".into(),
                    equals: "yes".into(),
                }),
            },
        );
        assert_eq!(q.check(), Ok(()));
        // Hidden, so not required; answers to it dropped.
        let got = q
            .read(&pairs(&[
                ("visits", "no"),
                ("visits_why", "x"),
                ("visits_why2", "y"),
            ]))
            .unwrap();
        assert_eq!(
            got,
            vec![Answer {
                key: "visits".into(),
                value: Value::Choices(vec!["no".into()])
            }]
        );
        // Shown and required: missing.
        let err = q.read(&pairs(&[("visits", "yes")])).unwrap_err();
        assert_eq!(
            err,
            vec![AnswerError {
                key: "visits_why2".into(),
                kind: AnswerProblem::Missing
            }]
        );
    }

    /// Answers sent, and how many are kept or the first problem found.
    type AnswerCase<'a> = (
        &'a [(&'a str, &'a str)],
        Result<usize, (&'a str, AnswerProblem)>,
    );

    #[test]
    fn answers_are_checked_per_kind() {
        let q = block_questionnaire(&units());
        let table: &[AnswerCase<'_>] = &[
            (&[], Ok(0)),
            (&[("image_premises", "5"), ("recommend", "0")], Ok(2)),
            (
                &[("image_premises", "6")],
                Err(("image_premises", AnswerProblem::OutOfRange)),
            ),
            (
                &[("image_premises", "0")],
                Err(("image_premises", AnswerProblem::OutOfRange)),
            ),
            (
                &[("image_premises", "04")],
                Err(("image_premises", AnswerProblem::OutOfRange)),
            ),
            (
                &[("recommend", "11")],
                Err(("recommend", AnswerProblem::OutOfRange)),
            ),
            (
                &[("recommend", "-1")],
                Err(("recommend", AnswerProblem::OutOfRange)),
            ),
            (
                &[("recommend", "ten")],
                Err(("recommend", AnswerProblem::OutOfRange)),
            ),
            (
                &[("recommend", "9"), ("recommend", "10")],
                Err(("recommend", AnswerProblem::TooMany)),
            ),
            (&[("age", "25_44")], Ok(1)),
            (
                &[("age", "25_44"), ("age", "45_64")],
                Err(("age", AnswerProblem::TooMany)),
            ),
            (
                &[("age", "100")],
                Err(("age", AnswerProblem::UnknownOption)),
            ),
            (&[("channel", "online"), ("channel", "post")], Ok(1)),
            (
                &[("channel", "fax")],
                Err(("channel", AnswerProblem::UnknownOption)),
            ),
            (&[("unit", "2")], Ok(1)),
            (
                &[("unit", "3")],
                Err(("unit", AnswerProblem::UnknownOption)),
            ),
            (&[("remarks", "  ")], Ok(0)),
            (&[("no_such_question", "5")], Ok(0)),
        ];
        for (input, want) in table {
            let got = q.read(&pairs(input));
            match (got, want) {
                (Ok(a), Ok(n)) => assert_eq!(a.len(), *n, "{input:?}"),
                (Err(e), Err((key, kind))) => {
                    assert_eq!(
                        e,
                        vec![AnswerError {
                            key: (*key).into(),
                            kind: *kind
                        }],
                        "{input:?}"
                    );
                }
                (got, _) => panic!("{input:?}: {got:?}"),
            }
        }
        let long = "a".repeat(OPEN_MAX + 1);
        assert_eq!(
            q.read(&pairs(&[("remarks", &long)])).unwrap_err()[0].kind,
            AnswerProblem::TooLong
        );
        // Several choices keep the options' order, each once.
        let got = q
            .read(&pairs(&[
                ("channel", "post"),
                ("channel", "online"),
                ("channel", "post"),
            ]))
            .unwrap();
        assert_eq!(
            got[0].value,
            Value::Choices(vec!["online".into(), "post".into()])
        );
    }

    proptest! {
        #[test]
        fn any_in_range_scores_are_accepted_and_others_refused(
            s in -3_i32..9, n in -3_i32..14
        ) {
            let q = block_questionnaire(&[]);
            let (s_text, n_text) = (s.to_string(), n.to_string());
            let got = q.read(&pairs(&[("competence_knowledge", &s_text), ("recommend", &n_text)]));
            let ok = (1..=5).contains(&s) && (0..=10).contains(&n);
            prop_assert_eq!(got.is_ok(), ok);
            if let Ok(answers) = got {
                prop_assert_eq!(answers.len(), 2);
            }
        }

        #[test]
        fn no_answer_to_a_hidden_question_is_ever_kept(
            visits in prop::sample::select(vec!["yes", "no", "", "maybe"]),
            why in "[a-z ]{0,20}",
        ) {
            let q = block_questionnaire(&[]);
            if let Ok(answers) = q.read(&pairs(&[("visits", visits), ("visits_why", &why)])) {
                let kept_why = answers.iter().any(|a| a.key == "visits_why");
                prop_assert!(!kept_why || visits == "yes");
                let shown_map: BTreeMap<String, Vec<String>> =
                    answers.iter().map(|a| (a.key.clone(), a.value.values())).collect();
                let shown = q.shown(&shown_map);
                for a in &answers {
                    let i = q.questions.iter().position(|x| x.key == a.key).unwrap();
                    prop_assert!(shown[i]);
                }
            }
        }

        #[test]
        fn questionnaires_round_trip_through_json(take in 1_usize..19) {
            let mut q = block_questionnaire(&units());
            q.questions.truncate(take);
            let json = serde_json::to_string(&q).unwrap();
            let back: Questionnaire = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&back, &q);
            prop_assert_eq!(back.check().is_ok(), q.check().is_ok());
        }
    }
}
