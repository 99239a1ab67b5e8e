//! BIP (Biuletyn Informacji Publicznej): the pure rules of publishing public information.
//!
//! Sources:
//! - Ustawa z dnia 6 września 2001 r. o dostępie do informacji publicznej (UDIP),
//!   Dz.U. 2022 poz. 902: art. 6 ust. 1 (what public information is — the subject
//!   menu), art. 8 ust. 3 (what must be published in BIP), art. 8 ust. 4 (how to
//!   obtain information not in BIP), art. 8 ust. 5 (information not made available:
//!   scope, basis, who decided), art. 8 ust. 6 (each item's metadata).
//! - Rozporządzenie MSWiA z dnia 18 stycznia 2007 r. w sprawie Biuletynu Informacji
//!   Publicznej, Dz.U. 2007 nr 10 poz. 68: § 11 ust. 1 (logo, editors, instruction,
//!   subject menu, search), § 11 ust. 2 (no advertising), § 16 (automatic logs of
//!   changes — the change register here), § 4 (information kept as a database).
//!
//! What lives here: the subject menu ([`SECTIONS`]), the metadata a version must
//! carry ([`check_version`]), the change-register rules (a reason for every version
//! after the first, versions never go back in time), the state machine of a
//! publication ([`Status`], [`Action`], [`transition`]) and the HTML policy for
//! editors' text ([`sanitize`]).

use jiff::Timestamp;
use jiff::civil::Date;

/// One entry of the subject menu (menu przedmiotowe, reg. 2007 § 11 ust. 1 pkt 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    /// The path segment (`/bip/dzial/{slug}`) and the stored code.
    pub slug: &'static str,
    /// The parent entry's slug; `None` at the top of the menu.
    pub parent: Option<&'static str>,
    /// The Fluent id of its name.
    pub label_key: &'static str,
    /// Where the law asks for it (shown to editors; the public page cites it).
    pub source: &'static str,
}

const fn section(
    slug: &'static str,
    parent: Option<&'static str>,
    label_key: &'static str,
    source: &'static str,
) -> Section {
    Section {
        slug,
        parent,
        label_key,
        source,
    }
}

/// The subject menu every office's BIP has: the information UDIP art. 6 ust. 1 and
/// art. 8 ust. 3 name, in the order Polish municipal BIPs use. Fixed by the law, so a
/// table here rather than data an editor could lose.
pub const SECTIONS: &[Section] = &[
    section("urzad", None, "bip-s-urzad", "UDIP art. 6 ust. 1 pkt 2"),
    section(
        "organy",
        Some("urzad"),
        "bip-s-organy",
        "UDIP art. 6 ust. 1 pkt 2 lit. e–f",
    ),
    section(
        "struktura",
        Some("urzad"),
        "bip-s-struktura",
        "UDIP art. 6 ust. 1 pkt 2 lit. b",
    ),
    section(
        "statut-regulamin",
        Some("urzad"),
        "bip-s-statut-regulamin",
        "UDIP art. 6 ust. 1 pkt 2 lit. a–b",
    ),
    section(
        "majatek",
        Some("urzad"),
        "bip-s-majatek",
        "UDIP art. 6 ust. 1 pkt 2 lit. g, pkt 5",
    ),
    section(
        "budzet",
        None,
        "bip-s-budzet",
        "UDIP art. 6 ust. 1 pkt 5 lit. a–c",
    ),
    section(
        "prawo",
        None,
        "bip-s-prawo",
        "UDIP art. 6 ust. 1 pkt 1 lit. b",
    ),
    section(
        "prawo-miejscowe",
        Some("prawo"),
        "bip-s-prawo-miejscowe",
        "UDIP art. 6 ust. 1 pkt 4 lit. a",
    ),
    section(
        "zarzadzenia",
        Some("prawo"),
        "bip-s-zarzadzenia",
        "UDIP art. 6 ust. 1 pkt 4 lit. a",
    ),
    section(
        "zamowienia",
        None,
        "bip-s-zamowienia",
        "ustawa Prawo zamówień publicznych; UDIP art. 6 ust. 1 pkt 5",
    ),
    section(
        "ogloszenia",
        None,
        "bip-s-ogloszenia",
        "UDIP art. 6 ust. 1 pkt 4 lit. a",
    ),
    section(
        "praca",
        None,
        "bip-s-praca",
        "ustawa o pracownikach samorządowych art. 13–15",
    ),
    section(
        "oferty-pracy",
        Some("praca"),
        "bip-s-oferty-pracy",
        "ustawa o pracownikach samorządowych art. 13",
    ),
    section(
        "wyniki-naborow",
        Some("praca"),
        "bip-s-wyniki-naborow",
        "ustawa o pracownikach samorządowych art. 15",
    ),
    section(
        "oswiadczenia",
        None,
        "bip-s-oswiadczenia",
        "ustawa o samorządzie gminnym art. 24i",
    ),
    section(
        "dostep",
        None,
        "bip-s-dostep",
        "UDIP art. 8 ust. 4, art. 10–16",
    ),
    section(
        "ponowne-wykorzystywanie",
        None,
        "bip-s-ponowne-wykorzystywanie",
        "ustawa z 11 sierpnia 2021 r. o otwartych danych",
    ),
];

/// The menu entry with this slug.
pub fn section_by_slug(slug: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.slug == slug)
}

/// The entries directly below `parent` (`None`: the top of the menu), in menu order.
pub fn children(parent: Option<&str>) -> impl Iterator<Item = &'static Section> {
    SECTIONS.iter().filter(move |s| s.parent == parent)
}

/// The longest title, in characters.
pub const TITLE_MAX: usize = 300;
/// The longest name of a person or unit in the metadata, in characters.
pub const PERSON_MAX: usize = 200;
/// The shortest reason for a change, in characters ("fix" says nothing).
pub const REASON_MIN: usize = 5;
/// The longest reason for a change, in characters.
pub const REASON_MAX: usize = 500;
/// The body as cleaned HTML, in bytes: a long regulamin fits with room.
pub const BODY_MAX_BYTES: usize = 512 * 1024;

/// What an editor hands in for a new version of a publication: the content and the
/// metadata UDIP art. 8 ust. 6 names. Who entered it (wprowadził, pkt 3) and when it is
/// made available (pkt 4–5) are not typed: the first is the signed-in editor, the
/// second the moment of publishing (or the chosen moment of a scheduled one).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionInput {
    /// The title.
    pub title: String,
    /// The body as the editor sent it; [`check_version`] cleans it.
    pub body_html: String,
    /// Who produced the information (wytworzył; art. 8 ust. 6 pkt 2).
    pub produced_by: String,
    /// When it was produced (data wytworzenia; art. 8 ust. 6 pkt 4).
    pub produced_on: Option<Date>,
    /// Who is responsible for its content (odpowiada za treść; art. 8 ust. 6 pkt 2).
    pub responsible: String,
    /// Why this version (the change register's required reason; reg. 2007 § 16).
    pub reason: String,
}

/// The version before this one, as far as the rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PreviousVersion {
    /// The number.
    pub number: i64,
    /// The made available at.
    pub made_available_at: Timestamp,
}

/// A version that passed every rule: cleaned body, trimmed fields, its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedVersion {
    /// The number.
    pub number: i64,
    /// The title.
    pub title: String,
    /// The body html.
    pub body_html: String,
    /// The produced by.
    pub produced_by: String,
    /// The produced on.
    pub produced_on: Date,
    /// The responsible.
    pub responsible: String,
    /// Empty only for the first version.
    pub reason: String,
    /// The made available at.
    pub made_available_at: Timestamp,
}

/// Why a version is refused; `code()` names the field and the rule for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// Title missing.
    #[error("title missing")]
    TitleMissing,
    /// Title too long.
    #[error("title too long")]
    TitleTooLong,
    /// Body empty after cleaning.
    #[error("body empty after cleaning")]
    BodyEmpty,
    /// Body too long.
    #[error("body too long")]
    BodyTooLong,
    /// Who produced the information is missing.
    #[error("who produced the information is missing")]
    ProducedByMissing,
    /// Name too long.
    #[error("name too long")]
    PersonTooLong,
    /// Date of production missing.
    #[error("date of production missing")]
    ProducedOnMissing,
    /// Date of production after making available.
    #[error("date of production after making available")]
    ProducedAfterAvailable,
    /// Person responsible missing.
    #[error("person responsible missing")]
    ResponsibleMissing,
    /// Reason for the change missing.
    #[error("reason for the change missing")]
    ReasonMissing,
    /// Reason too short.
    #[error("reason too short")]
    ReasonTooShort,
    /// Reason too long.
    #[error("reason too long")]
    ReasonTooLong,
    /// Made available before the version it replaces.
    #[error("made available before the version it replaces")]
    BeforePrevious,
}

impl VersionError {
    /// The form field the error belongs to.
    pub fn field(self) -> &'static str {
        use VersionError::*;
        match self {
            TitleMissing | TitleTooLong => "title",
            BodyEmpty | BodyTooLong => "body",
            ProducedByMissing => "produced_by",
            PersonTooLong => "responsible",
            ProducedOnMissing | ProducedAfterAvailable => "produced_on",
            ResponsibleMissing => "responsible",
            ReasonMissing | ReasonTooShort | ReasonTooLong => "reason",
            BeforePrevious => "publish_at",
        }
    }

    /// A stable code (`bip.reason-missing`); the web layer's message id is derived from it.
    pub fn code(self) -> &'static str {
        use VersionError::*;
        match self {
            TitleMissing => "bip.title-missing",
            TitleTooLong => "bip.title-too-long",
            BodyEmpty => "bip.body-empty",
            BodyTooLong => "bip.body-too-long",
            ProducedByMissing => "bip.produced-by-missing",
            PersonTooLong => "bip.person-too-long",
            ProducedOnMissing => "bip.produced-on-missing",
            ProducedAfterAvailable => "bip.produced-after-available",
            ResponsibleMissing => "bip.responsible-missing",
            ReasonMissing => "bip.reason-missing",
            ReasonTooShort => "bip.reason-too-short",
            ReasonTooLong => "bip.reason-too-long",
            BeforePrevious => "bip.before-previous",
        }
    }
}

/// Checks a new version against UDIP art. 8 ust. 6 and the change-register rules:
/// - title, who produced it, when, and who is responsible are required (pkt 2, 4);
/// - the information cannot have been produced after the day it is made available
///   (`today_at_available`: that moment's date in Europe/Warsaw, given by the caller);
/// - every version after the first carries a reason of [`REASON_MIN`]–[`REASON_MAX`]
///   characters (the change register's "rodzaj zmiany"; reg. 2007 § 16);
/// - a version is never made available before the one it replaces, so the register
///   reads in time order and "the current version" is well defined;
/// - the body is cleaned ([`sanitize`]) and must keep some text.
///
/// Returns every error at once, field by field, so the form shows them all.
pub fn check_version(
    input: &VersionInput,
    previous: Option<PreviousVersion>,
    made_available_at: Timestamp,
    date_at_available: Date,
) -> Result<CheckedVersion, Vec<VersionError>> {
    let mut errors = Vec::new();
    let title = collapse(&input.title);
    if title.is_empty() {
        errors.push(VersionError::TitleMissing);
    } else if title.chars().count() > TITLE_MAX {
        errors.push(VersionError::TitleTooLong);
    }
    let body_html = sanitize(&input.body_html);
    if input.body_html.len() > BODY_MAX_BYTES || body_html.len() > BODY_MAX_BYTES {
        errors.push(VersionError::BodyTooLong);
    } else if visible_text(&body_html).trim().is_empty() {
        errors.push(VersionError::BodyEmpty);
    }
    let produced_by = collapse(&input.produced_by);
    if produced_by.is_empty() {
        errors.push(VersionError::ProducedByMissing);
    } else if produced_by.chars().count() > PERSON_MAX {
        errors.push(VersionError::PersonTooLong);
    }
    match input.produced_on {
        None => errors.push(VersionError::ProducedOnMissing),
        Some(d) if d > date_at_available => errors.push(VersionError::ProducedAfterAvailable),
        Some(_) => {}
    }
    let responsible = collapse(&input.responsible);
    if responsible.is_empty() {
        errors.push(VersionError::ResponsibleMissing);
    } else if responsible.chars().count() > PERSON_MAX
        && !errors.contains(&VersionError::PersonTooLong)
    {
        errors.push(VersionError::PersonTooLong);
    }
    let reason = collapse(&input.reason);
    if let Some(prev) = previous {
        let n = reason.chars().count();
        if n == 0 {
            errors.push(VersionError::ReasonMissing);
        } else if n < REASON_MIN {
            errors.push(VersionError::ReasonTooShort);
        } else if n > REASON_MAX {
            errors.push(VersionError::ReasonTooLong);
        }
        if made_available_at < prev.made_available_at {
            errors.push(VersionError::BeforePrevious);
        }
    } else if reason.chars().count() > REASON_MAX {
        errors.push(VersionError::ReasonTooLong);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CheckedVersion {
        number: previous.map_or(1, |p| p.number + 1),
        title,
        body_html,
        produced_by,
        produced_on: input.produced_on.unwrap_or(date_at_available),
        responsible,
        reason,
        made_available_at,
    })
}

/// Trimmed, with runs of whitespace (line breaks included) made one space: metadata is
/// one line.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where a publication is in its life. Versions themselves never change; the status
/// says what the editors' working copy (the draft) is doing and whether the
/// publication still stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Never published; a draft only editors see.
    Draft,
    /// Its draft waits for a second person's approval (office setting).
    InReview,
    /// Published; editors may be working on a draft of the next version.
    Published,
    /// A published draft of a change waits for review.
    ChangeInReview,
    /// Removed from the BIP: listed in the register of removed pages, versions kept.
    Removed,
}

impl Status {
    /// Every status, for tables and round trips.
    pub const ALL: [Status; 5] = [
        Status::Draft,
        Status::InReview,
        Status::Published,
        Status::ChangeInReview,
        Status::Removed,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in_review",
            Status::Published => "published",
            Status::ChangeInReview => "change_in_review",
            Status::Removed => "removed",
        }
    }

    /// The status with this stored code.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether anyone may read it (it has at least one version and is not removed).
    pub fn is_public(self) -> bool {
        matches!(self, Status::Published | Status::ChangeInReview)
    }

    /// Whether its draft waits for review.
    pub fn in_review(self) -> bool {
        matches!(self, Status::InReview | Status::ChangeInReview)
    }
}

/// What an editor does to a publication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Save the draft (a new publication's or the next version's).
    SaveDraft,
    /// Hand the draft to a second person.
    SubmitForReview,
    /// Send a draft in review back to its author.
    ReturnDraft,
    /// Make the draft a version (now or at a set moment).
    Publish,
    /// Take the publication off the BIP (with a reason).
    Remove,
}

/// Who acts, and how the office is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The user id.
    pub user_id: i64,
    /// Who submitted the draft for review, if it is in review.
    pub submitted_by: Option<i64>,
    /// The office requires a second person's approval before publishing.
    pub review_required: bool,
}

/// Why an action is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The publication was removed.
    #[error("the publication was removed")]
    Removed,
    /// A second person must approve it first.
    #[error("a second person must approve it first")]
    NeedsReview,
    /// The author cannot approve their own draft.
    #[error("the author cannot approve their own draft")]
    OwnDraft,
    /// The draft is not in review.
    #[error("the draft is not in review")]
    NotInReview,
    /// The draft is already in review.
    #[error("the draft is already in review")]
    AlreadyInReview,
    /// Only a published publication can be removed.
    #[error("only a published publication can be removed")]
    NotPublished,
}

impl Refusal {
    /// A stable code (`bip.own-draft`) for the message.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Removed => "bip.removed",
            Refusal::NeedsReview => "bip.needs-review",
            Refusal::OwnDraft => "bip.own-draft",
            Refusal::NotInReview => "bip.not-in-review",
            Refusal::AlreadyInReview => "bip.already-in-review",
            Refusal::NotPublished => "bip.not-published",
        }
    }
}

/// The publication state machine. A removed publication takes nothing more (its
/// versions stay readable; the law keeps them, UDIP art. 8 ust. 6 pkt 5). With review
/// required, only someone other than the draft's submitter publishes it (the
/// four-eyes rule an office may set for itself; the law does not require it). Editing
/// a draft in review takes it out of review (the reviewer must see what they approve).
pub fn transition(status: Status, action: Action, actor: Actor) -> Result<Status, Refusal> {
    use Action::*;
    use Status::*;
    if status == Removed {
        return Err(Refusal::Removed);
    }
    let published = matches!(status, Published | ChangeInReview);
    match action {
        SaveDraft => Ok(if published { Published } else { Draft }),
        SubmitForReview => match status {
            InReview | ChangeInReview => Err(Refusal::AlreadyInReview),
            Draft => Ok(InReview),
            _ => Ok(ChangeInReview),
        },
        ReturnDraft => match status {
            InReview => Ok(Draft),
            ChangeInReview => Ok(Published),
            _ => Err(Refusal::NotInReview),
        },
        Publish => {
            if actor.review_required {
                if !status.in_review() {
                    return Err(Refusal::NeedsReview);
                }
                if actor.submitted_by == Some(actor.user_id) {
                    return Err(Refusal::OwnDraft);
                }
            }
            Ok(Published)
        }
        Remove => {
            if published {
                Ok(Removed)
            } else {
                Err(Refusal::NotPublished)
            }
        }
    }
}

/// Elements editors may use: structure, emphasis, lists, tables, links. No scripts,
/// styles, forms, frames, images (attachments come with alt text through their own
/// form; a pasted image cannot promise one), nor classes or ids that could imitate the
/// page's own interface.
pub const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
];

/// Links only to the web and mail; `javascript:` and `data:` are dropped.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Cleans an editor's HTML to [`ALLOWED_TAGS`] with a few attributes (`href` on links,
/// `title` on abbreviations, `scope`/`colspan`/`rowspan` on table cells); every link
/// gets `rel="noopener noreferrer"`. Disallowed elements are dropped with their
/// content when they hold code (script, style) and unwrapped otherwise. The result is
/// a fixed point: cleaning it again changes nothing. Elements whose content is code or
/// raw text (script, style, iframe, svg, …) go with their content.
pub fn sanitize(html: &str) -> String {
    use std::collections::{HashMap, HashSet};
    let tags: HashSet<&str> = ALLOWED_TAGS.iter().copied().collect();
    let schemes: HashSet<&str> = ALLOWED_SCHEMES.iter().copied().collect();
    let mut tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
    tag_attributes.insert("a", ["href", "hreflang"].into_iter().collect());
    tag_attributes.insert("abbr", ["title"].into_iter().collect());
    tag_attributes.insert("th", ["scope", "colspan", "rowspan"].into_iter().collect());
    tag_attributes.insert("td", ["colspan", "rowspan"].into_iter().collect());
    ammonia::Builder::default()
        .tags(tags)
        .tag_attributes(tag_attributes)
        .generic_attributes(HashSet::new())
        .url_schemes(schemes)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .clean_content_tags(
            [
                "script", "style", "iframe", "noscript", "template", "svg", "math", "object",
                "textarea", "xmp", "noembed", "noframes", "title",
            ]
            .into_iter()
            .collect(),
        )
        .clean(html)
        .to_string()
}

/// The text of cleaned HTML without its tags, for summaries and the "is it empty"
/// check. Entities stay as written (`&amp;`); the caller escapes on output anyway.
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    collapse(&out.replace("&nbsp;", " "))
}

/// A short plain-text summary: the first `max` characters of the text, cut at a word.
pub fn summary(html: &str, max: usize) -> String {
    let text = visible_text(html)
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// A record of information not made available (UDIP art. 8 ust. 5): its scope, the
/// legal basis of the exclusion and the organ or person who decided it; for art. 5
/// ust. 2 exclusions also whose privacy or secret it protects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WithheldInput {
    /// The scope.
    pub scope: String,
    /// The legal basis.
    pub legal_basis: String,
    /// The decided by.
    pub decided_by: String,
    /// The in interest of.
    pub in_interest_of: String,
    /// The decided on.
    pub decided_on: Option<Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
/// Why a withheld-information record is refused.
pub enum WithheldError {
    /// Scope missing.
    #[error("scope missing")]
    ScopeMissing,
    /// Legal basis missing.
    #[error("legal basis missing")]
    BasisMissing,
    /// Who decided missing.
    #[error("who decided missing")]
    DecidedByMissing,
    /// Date missing.
    #[error("date missing")]
    DateMissing,
    /// Date in the future.
    #[error("date in the future")]
    DateInFuture,
    /// Too long.
    #[error("too long")]
    TooLong,
}

impl WithheldError {
    /// The form field the error belongs to.
    pub fn field(self) -> &'static str {
        match self {
            WithheldError::ScopeMissing | WithheldError::TooLong => "scope",
            WithheldError::BasisMissing => "legal_basis",
            WithheldError::DecidedByMissing => "decided_by",
            WithheldError::DateMissing | WithheldError::DateInFuture => "decided_on",
        }
    }

    /// A stable code for the message.
    pub fn code(self) -> &'static str {
        match self {
            WithheldError::ScopeMissing => "bip.scope-missing",
            WithheldError::BasisMissing => "bip.basis-missing",
            WithheldError::DecidedByMissing => "bip.decided-by-missing",
            WithheldError::DateMissing => "bip.decided-on-missing",
            WithheldError::DateInFuture => "bip.decided-on-future",
            WithheldError::TooLong => "bip.scope-too-long",
        }
    }
}

/// Checks a withheld-information record: scope, basis, who decided and when are all
/// required by art. 8 ust. 5; the decision cannot be dated after `today`.
pub fn check_withheld(input: &WithheldInput, today: Date) -> Result<(), Vec<WithheldError>> {
    let mut errors = Vec::new();
    if collapse(&input.scope).is_empty() {
        errors.push(WithheldError::ScopeMissing);
    } else if input.scope.chars().count() > 2000 {
        errors.push(WithheldError::TooLong);
    }
    if collapse(&input.legal_basis).is_empty() {
        errors.push(WithheldError::BasisMissing);
    }
    if collapse(&input.decided_by).is_empty() {
        errors.push(WithheldError::DecidedByMissing);
    }
    match input.decided_on {
        None => errors.push(WithheldError::DateMissing),
        Some(d) if d > today => errors.push(WithheldError::DateInFuture),
        Some(_) => {}
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Publications on one page of a section's list: the bulletin's lists read a page at
/// a time (a section holds thousands over the years; docs/decisions/0056).
pub const LIST_PAGE: usize = 20;

/// One page of a section's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListPage {
    /// 1-based number of this page, as people read it.
    pub number: usize,
    /// How many pages there are (at least 1: an empty section has one empty page).
    pub count: usize,
    /// How many publications come before it.
    pub offset: usize,
}

/// Page `number` (1-based) of a list of `total` publications, [`LIST_PAGE`] at a time;
/// `None` when there is no such page (the address is then not found, as a removed
/// page's would be, rather than an empty page a crawler keeps).
pub fn list_page(total: usize, number: usize) -> Option<ListPage> {
    let count = total.div_ceil(LIST_PAGE).max(1);
    (1..=count).contains(&number).then(|| ListPage {
        number,
        count,
        offset: (number - 1) * LIST_PAGE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn input() -> VersionInput {
        VersionInput {
            title: "Zarządzenie nr 12/2026 Burmistrza Borowca w sprawie regulaminu \
                    organizacyjnego Urzędu Miejskiego w Borowcu"
                .into(),
            body_html: "<p>Na podstawie art. 33 ust. 2 ustawy o samorządzie gminnym…</p>".into(),
            produced_by: "Anna Nowak, Wydział Organizacyjny".into(),
            produced_on: Some(date(2026, 3, 2)),
            responsible: "Jan Kowalski, Sekretarz Miasta".into(),
            reason: String::new(),
        }
    }

    #[test]
    fn the_menu_is_a_tree_of_unique_slugs() {
        for s in SECTIONS {
            assert_eq!(SECTIONS.iter().filter(|x| x.slug == s.slug).count(), 1);
            if let Some(p) = s.parent {
                let parent = section_by_slug(p).expect("parent exists");
                assert!(parent.parent.is_none(), "two levels only: {}", s.slug);
            }
            assert!(s.label_key.starts_with("bip-s-"));
        }
        // The subject pages the issue and reg. 2007 § 11 ust. 1 pkt 5 name.
        for slug in [
            "organy",
            "struktura",
            "statut-regulamin",
            "budzet",
            "prawo-miejscowe",
            "zarzadzenia",
            "zamowienia",
            "ogloszenia",
            "oferty-pracy",
            "wyniki-naborow",
            "majatek",
            "oswiadczenia",
            "dostep",
            "ponowne-wykorzystywanie",
        ] {
            assert!(section_by_slug(slug).is_some(), "{slug}");
        }
        assert_eq!(children(Some("praca")).count(), 2);
    }

    #[test]
    fn a_first_version_needs_the_metadata_of_art_8_ust_6_but_no_reason() {
        let v =
            check_version(&input(), None, ts("2026-03-03T09:00:00Z"), date(2026, 3, 3)).unwrap();
        assert_eq!(v.number, 1);
        assert_eq!(v.reason, "");
        assert_eq!(v.produced_on, date(2026, 3, 2));
    }

    #[test]
    fn table_of_refusals() {
        let prev = PreviousVersion {
            number: 3,
            made_available_at: ts("2026-03-03T09:00:00Z"),
        };
        type Edit = fn(&mut VersionInput);
        let cases: &[(Edit, Option<PreviousVersion>, &str, VersionError)] = &[
            (
                |v| v.title = "  \n ".into(),
                None,
                "2026-03-03",
                VersionError::TitleMissing,
            ),
            (
                |v| v.title = "x".repeat(301),
                None,
                "2026-03-03",
                VersionError::TitleTooLong,
            ),
            (
                |v| v.body_html = "<script>alert(1)</script>".into(),
                None,
                "2026-03-03",
                VersionError::BodyEmpty,
            ),
            (
                |v| v.body_html = "<p> </p><br>".into(),
                None,
                "2026-03-03",
                VersionError::BodyEmpty,
            ),
            (
                |v| v.produced_by.clear(),
                None,
                "2026-03-03",
                VersionError::ProducedByMissing,
            ),
            (
                |v| v.produced_on = None,
                None,
                "2026-03-03",
                VersionError::ProducedOnMissing,
            ),
            // Produced on 2 March, made available on 1 March: impossible.
            (
                |_| {},
                None,
                "2026-03-01",
                VersionError::ProducedAfterAvailable,
            ),
            (
                |v| v.responsible = "\t".into(),
                None,
                "2026-03-03",
                VersionError::ResponsibleMissing,
            ),
            (
                |_| {},
                Some(prev),
                "2026-03-04",
                VersionError::ReasonMissing,
            ),
            (
                |v| v.reason = "fix".into(),
                Some(prev),
                "2026-03-04",
                VersionError::ReasonTooShort,
            ),
            (
                |v| v.reason = "x".repeat(501),
                Some(prev),
                "2026-03-04",
                VersionError::ReasonTooLong,
            ),
        ];
        for (edit, previous, day, expected) in cases {
            let mut v = input();
            edit(&mut v);
            let day: Date = day.parse().unwrap();
            let at = day
                .at(10, 0, 0, 0)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp();
            let errors = check_version(&v, *previous, at, day).unwrap_err();
            assert!(errors.contains(expected), "{expected:?} not in {errors:?}");
        }
    }

    #[test]
    fn a_change_carries_a_reason_and_never_goes_back_in_time() {
        let prev = PreviousVersion {
            number: 1,
            made_available_at: ts("2026-03-03T09:00:00Z"),
        };
        let mut v = input();
        v.reason = "Korekta numeru zarządzenia".into();
        let ok =
            check_version(&v, Some(prev), ts("2026-03-04T09:00:00Z"), date(2026, 3, 4)).unwrap();
        assert_eq!(ok.number, 2);
        let errors = check_version(&v, Some(prev), ts("2026-03-03T08:59:59Z"), date(2026, 3, 3))
            .unwrap_err();
        assert_eq!(errors, vec![VersionError::BeforePrevious]);
    }

    #[test]
    fn every_error_names_a_form_field_and_a_code() {
        use VersionError::*;
        for e in [
            TitleMissing,
            TitleTooLong,
            BodyEmpty,
            BodyTooLong,
            ProducedByMissing,
            PersonTooLong,
            ProducedOnMissing,
            ProducedAfterAvailable,
            ResponsibleMissing,
            ReasonMissing,
            ReasonTooShort,
            ReasonTooLong,
            BeforePrevious,
        ] {
            assert!(e.code().starts_with("bip."));
            assert!(!e.field().is_empty());
        }
    }

    #[test]
    fn state_machine_table() {
        use Action::*;
        use Status::*;
        let free = |submitted_by| Actor {
            user_id: 1,
            submitted_by,
            review_required: false,
        };
        let review = |submitted_by| Actor {
            user_id: 1,
            submitted_by,
            review_required: true,
        };
        let table: &[(Status, Action, Actor, Result<Status, Refusal>)] = &[
            (Draft, SaveDraft, free(None), Ok(Draft)),
            (Draft, Publish, free(None), Ok(Published)),
            (Draft, Publish, review(None), Err(Refusal::NeedsReview)),
            (Draft, SubmitForReview, review(None), Ok(InReview)),
            (InReview, Publish, review(Some(1)), Err(Refusal::OwnDraft)),
            (InReview, Publish, review(Some(2)), Ok(Published)),
            (
                InReview,
                SubmitForReview,
                review(Some(2)),
                Err(Refusal::AlreadyInReview),
            ),
            (InReview, ReturnDraft, review(Some(2)), Ok(Draft)),
            (InReview, SaveDraft, review(Some(2)), Ok(Draft)),
            (Published, SaveDraft, free(None), Ok(Published)),
            (Published, SubmitForReview, review(None), Ok(ChangeInReview)),
            (ChangeInReview, Publish, review(Some(2)), Ok(Published)),
            (
                ChangeInReview,
                Publish,
                review(Some(1)),
                Err(Refusal::OwnDraft),
            ),
            (ChangeInReview, ReturnDraft, review(Some(2)), Ok(Published)),
            (
                Published,
                ReturnDraft,
                free(None),
                Err(Refusal::NotInReview),
            ),
            (Published, Remove, free(None), Ok(Removed)),
            (Draft, Remove, free(None), Err(Refusal::NotPublished)),
            (Removed, SaveDraft, free(None), Err(Refusal::Removed)),
            (Removed, Publish, free(None), Err(Refusal::Removed)),
        ];
        for (status, action, actor, expected) in table {
            assert_eq!(
                transition(*status, *action, *actor),
                *expected,
                "{status:?} {action:?}"
            );
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn sanitising_keeps_the_safe_subset() {
        let cases = [
            (
                "<p>Tekst <strong>ważny</strong></p>",
                "<p>Tekst <strong>ważny</strong></p>",
            ),
            ("<script>alert(1)</script><p>x</p>", "<p>x</p>"),
            (
                "<p onclick=\"alert(1)\" class=\"button\" id=\"main\">x</p>",
                "<p>x</p>",
            ),
            (
                "<a href=\"javascript:alert(1)\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<a href=\"https://bip.gov.pl\" target=\"_blank\">BIP</a>",
                "<a href=\"https://bip.gov.pl\" rel=\"noopener noreferrer\">BIP</a>",
            ),
            ("<img src=x onerror=alert(1)>", ""),
            ("<iframe src=\"https://evil\"></iframe>", ""),
            ("<style>body{display:none}</style>ok", "ok"),
            ("<svg><script>alert(1)</script></svg>", ""),
            ("<div><h1>Tytuł</h1></div>", "Tytuł"),
            ("<!-- komentarz --><p>a</p>", "<p>a</p>"),
            ("<form action=/x><input name=a></form>", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input), expected, "{input}");
        }
    }

    #[test]
    fn summary_cuts_at_a_word() {
        assert_eq!(summary("<p>Ala ma kota</p>", 100), "Ala ma kota");
        assert_eq!(summary("<p>Ala ma kota i psa</p>", 10), "Ala ma…");
        assert_eq!(summary("<p>A &amp; B</p>", 100), "A & B");
    }

    #[test]
    fn withheld_records_need_scope_basis_person_and_date() {
        let ok = WithheldInput {
            scope: "Dane osobowe wnioskodawców w rejestrze wniosków".into(),
            legal_basis: "art. 5 ust. 2 UDIP".into(),
            decided_by: "Burmistrz Borowca".into(),
            in_interest_of: String::new(),
            decided_on: Some(date(2026, 2, 10)),
        };
        assert_eq!(check_withheld(&ok, date(2026, 2, 10)), Ok(()));
        let errors = check_withheld(&WithheldInput::default(), date(2026, 2, 10)).unwrap_err();
        assert_eq!(errors.len(), 4);
        let future = check_withheld(&ok, date(2026, 2, 9)).unwrap_err();
        assert_eq!(future, vec![WithheldError::DateInFuture]);
    }

    #[test]
    fn a_list_is_read_in_pages_of_twenty() {
        // 5,556 publications (the benchmark's „Zarządzenia”): 278 pages, the last of 16.
        assert_eq!(
            list_page(5_556, 1),
            Some(ListPage {
                number: 1,
                count: 278,
                offset: 0
            })
        );
        assert_eq!(
            list_page(5_556, 278),
            Some(ListPage {
                number: 278,
                count: 278,
                offset: 5_540
            })
        );
        assert_eq!(list_page(5_556, 279), None);
        assert_eq!(list_page(5_556, 0), None);
        // Exactly full pages: no empty page after them.
        assert_eq!(list_page(40, 2).map(|p| p.count), Some(2));
        assert_eq!(list_page(40, 3), None);
        // An empty section has its one empty page.
        assert_eq!(
            list_page(0, 1),
            Some(ListPage {
                number: 1,
                count: 1,
                offset: 0
            })
        );
    }

    proptest! {
        /// The pages of a list hold each publication once, in order, and only the
        /// last may be short.
        #[test]
        fn pages_cover_a_list_once(total in 0usize..2_000) {
            let first = list_page(total, 1).unwrap();
            let mut next = 0;
            for number in 1..=first.count {
                let page = list_page(total, number).unwrap();
                prop_assert_eq!(page.offset, next);
                let shown = (total - page.offset).min(LIST_PAGE);
                prop_assert!(shown == LIST_PAGE || number == first.count);
                prop_assert!(shown > 0 || total == 0);
                next += shown;
            }
            prop_assert_eq!(next, total);
            prop_assert!(list_page(total, first.count + 1).is_none());
        }

        /// Whatever an editor pastes, no script, event handler or javascript: link
        /// survives, and cleaning is idempotent.
        #[test]
        fn nothing_executable_survives(
            parts in proptest::collection::vec(prop_oneof![
                Just("<script>alert(1)</script>".to_owned()),
                Just("<img src=x onerror=alert(1)>".to_owned()),
                Just("<a href=\"javascript:alert(1)\">".to_owned()),
                Just("<a href=\"JaVaScRiPt:alert(1)\">".to_owned()),
                Just("<p onmouseover=\"x()\">".to_owned()),
                Just("<svg onload=alert(1)>".to_owned()),
                Just("<iframe srcdoc=\"<script>x</script>\">".to_owned()),
                Just("<style>@import url(x)</style>".to_owned()),
                Just("</p>".to_owned()),
                Just("<p>".to_owned()),
                Just("<table><tr><td>".to_owned()),
                Just("<".to_owned()),
                Just("\"'>".to_owned()),
                "[a-zA-Ząęłńóśźż <>=\"'/]{0,20}",
            ], 0..12)
        ) {
            let html = parts.concat();
            let clean = sanitize(&html);
            let lower = clean.to_lowercase();
            prop_assert!(!lower.contains("<script"), "{clean}");

            prop_assert!(!lower.contains("<iframe"), "{clean}");
            prop_assert!(!lower.contains("<svg"), "{clean}");
            prop_assert!(!lower.contains("<style"), "{clean}");
            // Every `<` left is a real tag (text ones are escaped); none has a handler.
            for tag in lower.split('<').skip(1) {
                let tag = tag.split('>').next().unwrap_or("");
                prop_assert!(!tag.contains(" on"), "{clean}");
                prop_assert!(!tag.contains("javascript:"), "{clean}");
            }
            prop_assert_eq!(sanitize(&clean), clean.clone());
        }

        /// A version's number is the previous one's plus one, and a version with a
        /// reason is taken whenever it is not earlier than its predecessor.
        #[test]
        fn versions_count_up_in_time(
            n in 1i64..10_000,
            prev_secs in 1_700_000_000i64..1_900_000_000,
            delta in -100_000i64..100_000,
        ) {
            let prev = PreviousVersion {
                number: n,
                made_available_at: Timestamp::from_second(prev_secs).unwrap(),
            };
            let at = Timestamp::from_second(prev_secs + delta).unwrap();
            let day = at.to_zoned(jiff::tz::TimeZone::UTC).date();
            let mut v = input();
            v.produced_on = Some(day);
            v.reason = "Aktualizacja danych kontaktowych".into();
            let result = check_version(&v, Some(prev), at, day);
            if delta >= 0 {
                prop_assert_eq!(result.unwrap().number, n + 1);
            } else {
                prop_assert_eq!(result.unwrap_err(), vec![VersionError::BeforePrevious]);
            }
        }

        /// No action ever brings a removed publication back, and publishing with
        /// review required never lets the submitter approve their own draft.
        #[test]
        fn removal_is_final_and_four_eyes_hold(
            actions in proptest::collection::vec(0u8..5, 0..20),
            review_required: bool,
            submitter in 1i64..3,
            user in 1i64..3,
        ) {
            let mut status = Status::Draft;
            for a in actions {
                let action = match a {
                    0 => Action::SaveDraft,
                    1 => Action::SubmitForReview,
                    2 => Action::ReturnDraft,
                    3 => Action::Publish,
                    _ => Action::Remove,
                };
                let actor = Actor {
                    user_id: user,
                    submitted_by: status.in_review().then_some(submitter),
                    review_required,
                };
                let before = status;
                match transition(status, action, actor) {
                    Ok(next) => {
                        prop_assert!(before != Status::Removed);
                        if action == Action::Publish && review_required {
                            prop_assert!(before.in_review() && submitter != user);
                        }
                        status = next;
                    }
                    Err(_) => prop_assert_eq!(status, before),
                }
            }
        }
    }
}
