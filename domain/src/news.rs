//! News and announcements (aktualności, ogłoszenia) on the office's public home page:
//! what an item must carry before it is published, the alt-text rule for its images,
//! when the public sees it, and the pages of the public list.
//!
//! The alt-text rule is WCAG 2.1 success criterion 1.1.1 (non-text content), which the
//! office must meet (ustawa z 4 kwietnia 2019 r. o dostępności cyfrowej stron
//! internetowych i aplikacji mobilnych podmiotów publicznych, art. 5 ust. 1 with the
//! annex's EN 301 549): every image carries a text alternative, and an image that only
//! decorates is marked so (empty `alt`) — explicitly, never by leaving the field empty.
//! The body is editors' HTML cleaned by [`crate::bip::sanitize`], the BIP's policy.

use jiff::Timestamp;

use crate::bip::collapse;

/// The longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// The longest lead (the paragraph shown in lists and feeds), in characters.
pub const LEAD_MAX: usize = 600;
/// The longest body, in bytes of cleaned HTML.
pub const BODY_MAX: usize = 100_000;
/// The longest alt text, in characters: a text alternative names what the image
/// shows; a longer description belongs in the body.
pub const ALT_MAX: usize = 250;
/// Most images on one item.
pub const IMAGES_MAX: usize = 6;
/// Items on one page of the public list.
pub const PER_PAGE: usize = 10;

/// What an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Aktualność: news of the office and the town.
    News,
    /// Ogłoszenie: an announcement residents must know (closures, deadlines, works).
    Announcement,
}

impl Kind {
    /// Both kinds, in the order of the editor's choice.
    pub const ALL: [Kind; 2] = [Kind::News, Kind::Announcement];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::News => "news",
            Kind::Announcement => "announcement",
        }
    }

    /// The kind of a stored code.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where an item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Written, not public.
    Draft,
    /// Public from its `published_at` on (now or a scheduled moment).
    Published,
    /// Taken off the public pages by an editor.
    Withdrawn,
}

impl Status {
    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// The status of a stored code.
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Draft, Status::Published, Status::Withdrawn]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Whether the public sees an item at `now`: published, and its moment has come. A
/// scheduled item appears by itself, on every app server at once, with no job.
pub fn is_public(status: Status, published_at: Option<Timestamp>, now: Timestamp) -> bool {
    status == Status::Published && published_at.is_some_and(|at| at <= now)
}

/// An item as the editor typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemInput {
    /// The headline.
    pub title: String,
    /// The lead paragraph (plain text).
    pub lead: String,
    /// The body, HTML already cleaned by [`crate::bip::sanitize`].
    pub body_html: String,
}

/// What is wrong with an item; each names its field and has a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ItemError {
    /// No title.
    #[error("the title is missing")]
    TitleMissing,
    /// Longer than [`TITLE_MAX`].
    #[error("the title is too long")]
    TitleTooLong,
    /// No lead.
    #[error("the lead is missing")]
    LeadMissing,
    /// Longer than [`LEAD_MAX`].
    #[error("the lead is too long")]
    LeadTooLong,
    /// Longer than [`BODY_MAX`].
    #[error("the body is too long")]
    BodyTooLong,
}

impl ItemError {
    /// The form field it belongs to.
    pub fn field(self) -> &'static str {
        match self {
            ItemError::TitleMissing | ItemError::TitleTooLong => "title",
            ItemError::LeadMissing | ItemError::LeadTooLong => "lead",
            ItemError::BodyTooLong => "body",
        }
    }

    /// Stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            ItemError::TitleMissing => "news.title_missing",
            ItemError::TitleTooLong => "news.title_too_long",
            ItemError::LeadMissing => "news.lead_missing",
            ItemError::LeadTooLong => "news.lead_too_long",
            ItemError::BodyTooLong => "news.body_too_long",
        }
    }
}

/// Every problem of an item (title and lead collapsed first); empty when it may be
/// saved and published.
pub fn check_item(input: &ItemInput) -> Vec<ItemError> {
    let mut errors = Vec::new();
    let title = collapse(&input.title);
    if title.is_empty() {
        errors.push(ItemError::TitleMissing);
    } else if title.chars().count() > TITLE_MAX {
        errors.push(ItemError::TitleTooLong);
    }
    let lead = collapse(&input.lead);
    if lead.is_empty() {
        errors.push(ItemError::LeadMissing);
    } else if lead.chars().count() > LEAD_MAX {
        errors.push(ItemError::LeadTooLong);
    }
    if input.body_html.len() > BODY_MAX {
        errors.push(ItemError::BodyTooLong);
    }
    errors
}

/// What is wrong with an image's text alternative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AltError {
    /// No alt text and not marked decorative.
    #[error("the alt text is missing")]
    Missing,
    /// Longer than [`ALT_MAX`].
    #[error("the alt text is too long")]
    TooLong,
    /// Marked decorative and given an alt text: one or the other.
    #[error("a decorative image has no alt text")]
    DecorativeWithText,
    /// The alt text is a file name („IMG_2041.jpg”), which tells a listener nothing.
    #[error("the alt text is a file name")]
    FileName,
}

impl AltError {
    /// Stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            AltError::Missing => "news.alt_missing",
            AltError::TooLong => "news.alt_too_long",
            AltError::DecorativeWithText => "news.alt_decorative_with_text",
            AltError::FileName => "news.alt_file_name",
        }
    }
}

/// The alt text to store for an image: the typed text collapsed, or empty for an image
/// the editor marked decorative. Refused when missing, too long, a file name, or given
/// together with the decorative mark.
pub fn check_alt(alt: &str, decorative: bool) -> Result<String, AltError> {
    let alt = collapse(alt);
    if decorative {
        return if alt.is_empty() {
            Ok(alt)
        } else {
            Err(AltError::DecorativeWithText)
        };
    }
    if alt.is_empty() {
        return Err(AltError::Missing);
    }
    if alt.chars().count() > ALT_MAX {
        return Err(AltError::TooLong);
    }
    if looks_like_file_name(&alt) {
        return Err(AltError::FileName);
    }
    Ok(alt)
}

fn looks_like_file_name(alt: &str) -> bool {
    const EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "gif", "webp", "tif"];
    !alt.contains(' ')
        && alt.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty() && EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        })
}

/// One page of a list of `total` items, [`PER_PAGE`] at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// 1-based number of this page.
    pub number: usize,
    /// How many pages there are (at least 1: an empty list has one empty page).
    pub count: usize,
    /// How many items to skip.
    pub offset: usize,
}

/// Page `number` (1-based) of `total` items, or `None` when there is no such page.
pub fn page(total: usize, number: usize) -> Option<Page> {
    let count = total.div_ceil(PER_PAGE).max(1);
    (1..=count).contains(&number).then(|| Page {
        number,
        count,
        offset: (number - 1) * PER_PAGE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn items_need_a_title_and_a_lead_within_limits() {
        let ok = ItemInput {
            title: "Utrudnienia w ruchu na ul. Kościelnej".into(),
            lead: "Od 8 do 19 grudnia 2026 r. trwa wymiana nawierzchni.".into(),
            body_html: "<p>Objazd ul. Polną.</p>".into(),
        };
        assert!(check_item(&ok).is_empty());
        let cases: [(ItemInput, Vec<ItemError>); 4] = [
            (
                ItemInput {
                    title: "  \n ".into(),
                    ..ok.clone()
                },
                vec![ItemError::TitleMissing],
            ),
            (
                ItemInput {
                    lead: String::new(),
                    ..ok.clone()
                },
                vec![ItemError::LeadMissing],
            ),
            (
                ItemInput {
                    title: "a".repeat(TITLE_MAX + 1),
                    lead: "ą".repeat(LEAD_MAX + 1),
                    ..ok.clone()
                },
                vec![ItemError::TitleTooLong, ItemError::LeadTooLong],
            ),
            (
                ItemInput {
                    body_html: "x".repeat(BODY_MAX + 1),
                    ..ok.clone()
                },
                vec![ItemError::BodyTooLong],
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(check_item(&input), expected, "{input:?}");
        }
        // Polish letters count as one character each.
        let exact = ItemInput {
            title: "ż".repeat(TITLE_MAX),
            ..ok
        };
        assert!(check_item(&exact).is_empty());
    }

    #[test]
    fn alt_text_is_required_unless_decorative_is_chosen() {
        let table: [(&str, bool, Result<&str, AltError>); 9] = [
            (
                "Burmistrz wręcza nagrody laureatom konkursu",
                false,
                Ok("Burmistrz wręcza nagrody laureatom konkursu"),
            ),
            ("  Rynek   w Borowcu\n", false, Ok("Rynek w Borowcu")),
            ("", false, Err(AltError::Missing)),
            ("   ", false, Err(AltError::Missing)),
            ("", true, Ok("")),
            ("Ozdobny szlaczek", true, Err(AltError::DecorativeWithText)),
            ("IMG_2041.jpg", false, Err(AltError::FileName)),
            ("zdjecie.PNG", false, Err(AltError::FileName)),
            (
                "Ul. Lipowa 4.jpg po remoncie",
                false,
                Ok("Ul. Lipowa 4.jpg po remoncie"),
            ),
        ];
        for (alt, decorative, expected) in table {
            assert_eq!(
                check_alt(alt, decorative),
                expected.map(str::to_owned),
                "{alt:?} {decorative}"
            );
        }
        assert_eq!(
            check_alt(&"ó".repeat(ALT_MAX), false).map(|s| s.chars().count()),
            Ok(ALT_MAX)
        );
        assert_eq!(
            check_alt(&"ó".repeat(ALT_MAX + 1), false),
            Err(AltError::TooLong)
        );
    }

    #[test]
    fn public_when_published_and_its_moment_has_come() {
        let at: Timestamp = "2026-12-07T08:00:00Z".parse().unwrap_or_default();
        let before: Timestamp = "2026-12-07T07:59:59Z".parse().unwrap_or_default();
        let after: Timestamp = "2026-12-07T08:00:00Z".parse().unwrap_or_default();
        assert!(!is_public(Status::Published, Some(at), before));
        assert!(is_public(Status::Published, Some(at), after));
        assert!(!is_public(Status::Draft, Some(at), after));
        assert!(!is_public(Status::Withdrawn, Some(at), after));
        assert!(!is_public(Status::Published, None, after));
    }

    #[test]
    fn pages_of_the_list() {
        assert_eq!(
            page(0, 1),
            Some(Page {
                number: 1,
                count: 1,
                offset: 0
            })
        );
        assert_eq!(page(0, 2), None);
        assert_eq!(
            page(10, 1),
            Some(Page {
                number: 1,
                count: 1,
                offset: 0
            })
        );
        assert_eq!(
            page(11, 2),
            Some(Page {
                number: 2,
                count: 2,
                offset: 10
            })
        );
        assert_eq!(page(11, 3), None);
        assert_eq!(page(25, 0), None);
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        for s in [Status::Draft, Status::Published, Status::Withdrawn] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }

    proptest! {
        #[test]
        fn every_page_is_within_the_list(total in 0usize..10_000, number in 0usize..1_100) {
            if let Some(p) = page(total, number) {
                prop_assert!(p.offset < total.max(1));
                prop_assert!(p.number <= p.count);
            } else {
                prop_assert!(number == 0 || number > total.div_ceil(PER_PAGE).max(1));
            }
        }

        #[test]
        fn a_stored_alt_is_never_empty_unless_decorative(alt in "\\PC{0,300}", decorative: bool) {
            if let Ok(stored) = check_alt(&alt, decorative) {
                prop_assert_eq!(stored.is_empty(), decorative);
                prop_assert!(stored.chars().count() <= ALT_MAX);
            }
        }
    }
}
