//! Lists that sort by a column header (issue 15, "Lists"): the column and the direction
//! ride in the URL (`sort`, `dir`) so a sorted list can be linked, printed and exported
//! as shown; every header is a link that sorts by its column (the other way round when
//! it is the sorted one), and the sorted header carries `aria-sort` for screen readers.
//!
//! A list sorts in the database when it pages (the case list), or in memory when it
//! shows all its rows at once (a register of a year, the service cards): [`Sort::apply`]
//! orders text in Polish alphabetical order, never by code points.

use std::cmp::Ordering;

use jiff::civil::Date;
use magistrat_domain::collation;

use crate::web::i18n::Lang;

/// A column a list may be sorted by: its code in the URL.
pub trait Column: Copy + Eq + 'static {
    /// Every sortable column, in the order of the table's headers.
    const ALL: &'static [Self];

    fn code(self) -> &'static str;

    fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }
}

/// A list's order: one column, one direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort<C> {
    pub column: C,
    pub descending: bool,
}

/// The order a list's URL asks for (`?sort=…&dir=…`), for lists that carry nothing else.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct SortQuery {
    pub sort: Option<String>,
    pub dir: Option<String>,
}

impl SortQuery {
    /// The order asked for; an unknown column is `default`.
    pub fn sort<C: Column>(&self, default: Sort<C>) -> Sort<C> {
        Sort::from_query(self.sort.as_deref(), self.dir.as_deref(), default)
    }
}

/// One value a row is sorted by.
#[derive(Clone, Copy, Debug)]
pub enum Key<'a> {
    Text(&'a str),
    Number(i64),
    /// A day, or none (no deadline yet, not settled yet): rows without one come last
    /// whichever the direction, as a person scanning the column expects.
    Day(Option<Date>),
}

impl Key<'_> {
    /// The order of two values of one column (a column's key function gives one kind
    /// of value; two of different kinds compare equal).
    fn compare(&self, other: &Key<'_>, descending: bool) -> Ordering {
        let ordering = match (self, other) {
            (Key::Text(a), Key::Text(b)) => collation::compare(a, b),
            (Key::Number(a), Key::Number(b)) => a.cmp(b),
            (Key::Day(Some(a)), Key::Day(Some(b))) => a.cmp(b),
            (Key::Day(None), Key::Day(None)) => Ordering::Equal,
            // The empty ones last in both directions: decided before the reversal.
            (Key::Day(None), Key::Day(Some(_))) => return Ordering::Greater,
            (Key::Day(Some(_)), Key::Day(None)) => return Ordering::Less,
            _ => Ordering::Equal,
        };
        if descending {
            ordering.reverse()
        } else {
            ordering
        }
    }
}

/// A column header: a link sorting by it (the other way when it is the sorted one).
pub struct SortHeader {
    pub label: String,
    pub href: String,
    /// `ascending`/`descending` on the sorted column, nothing on the others.
    pub aria_sort: Option<&'static str>,
    /// Read by a screen reader after the label: how a click sorts.
    pub action: String,
    /// The arrow shown beside the sorted column's label (hidden from screen readers,
    /// which hear `aria-sort`).
    pub arrow: &'static str,
}

impl<C: Column> Sort<C> {
    pub fn ascending(column: C) -> Self {
        Sort {
            column,
            descending: false,
        }
    }

    /// The order the URL asks for; an unknown column is the list's default order.
    pub fn from_query(sort: Option<&str>, dir: Option<&str>, default: Sort<C>) -> Self {
        match sort.and_then(C::parse) {
            Some(column) => Sort {
                column,
                descending: dir == Some("desc"),
            },
            None => default,
        }
    }

    /// `asc` or `desc`, as the URL carries it.
    pub fn dir(self) -> &'static str {
        if self.descending { "desc" } else { "asc" }
    }

    /// The `sort` and `dir` pairs of a URL query.
    pub fn append_to(self, query: &mut form_urlencoded::Serializer<'_, String>) {
        query
            .append_pair("sort", self.column.code())
            .append_pair("dir", self.dir());
    }

    /// The URL query of this order alone (`sort=…&dir=…`).
    pub fn query(self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        self.append_to(&mut query);
        query.finish()
    }

    /// The headers of every column: `label` names a column, `href` is the list's URL
    /// sorted another way.
    pub fn headers(
        self,
        lang: Lang,
        label: impl Fn(C) -> String,
        href: impl Fn(Sort<C>) -> String,
    ) -> Vec<SortHeader> {
        C::ALL
            .iter()
            .map(|&column| {
                let sorted = self.column == column;
                let next = Sort {
                    column,
                    descending: sorted && !self.descending,
                };
                SortHeader {
                    label: label(column),
                    href: href(next),
                    aria_sort: sorted.then_some(if self.descending {
                        "descending"
                    } else {
                        "ascending"
                    }),
                    arrow: match (sorted, self.descending) {
                        (false, _) => "",
                        (true, false) => "▲",
                        (true, true) => "▼",
                    },
                    action: lang.t(if next.descending {
                        "list-sort-descending"
                    } else {
                        "list-sort-ascending"
                    }),
                }
            })
            .collect()
    }

    /// Sorts `rows` in memory by this column (`key` gives a row's value in a column).
    /// Stable: rows with equal values keep the order they came in (the register's).
    pub fn apply<T>(self, rows: &mut [T], key: impl for<'a> Fn(&'a T, C) -> Key<'a>) {
        rows.sort_by(|a, b| key(a, self.column).compare(&key(b, self.column), self.descending));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Col {
        Name,
        Due,
    }

    impl Column for Col {
        const ALL: &'static [Col] = &[Col::Name, Col::Due];
        fn code(self) -> &'static str {
            match self {
                Col::Name => "name",
                Col::Due => "due",
            }
        }
    }

    struct Row {
        name: &'static str,
        due: Option<Date>,
    }

    fn key(row: &Row, column: Col) -> Key<'_> {
        match column {
            Col::Name => Key::Text(row.name),
            Col::Due => Key::Day(row.due),
        }
    }

    fn rows() -> Vec<Row> {
        vec![
            Row {
                name: "Zawarcie",
                due: None,
            },
            Row {
                name: "Łódź",
                due: Some(jiff::civil::date(2026, 12, 29)),
            },
            Row {
                name: "Zaświadczenie",
                due: Some(jiff::civil::date(2026, 12, 3)),
            },
            Row {
                name: "Lublin",
                due: None,
            },
        ]
    }

    fn names(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.name).collect()
    }

    #[test]
    fn text_sorts_in_polish_order_both_ways() {
        let mut r = rows();
        Sort::ascending(Col::Name).apply(&mut r, key);
        assert_eq!(names(&r), ["Lublin", "Łódź", "Zaświadczenie", "Zawarcie"]);
        Sort {
            column: Col::Name,
            descending: true,
        }
        .apply(&mut r, key);
        assert_eq!(names(&r), ["Zawarcie", "Zaświadczenie", "Łódź", "Lublin"]);
    }

    #[test]
    fn rows_without_a_day_come_last_either_way_and_keep_their_order() {
        let mut r = rows();
        Sort::ascending(Col::Due).apply(&mut r, key);
        assert_eq!(names(&r), ["Zaświadczenie", "Łódź", "Zawarcie", "Lublin"]);
        let mut r = rows();
        Sort {
            column: Col::Due,
            descending: true,
        }
        .apply(&mut r, key);
        assert_eq!(names(&r), ["Łódź", "Zaświadczenie", "Zawarcie", "Lublin"]);
    }

    #[test]
    fn the_url_chooses_the_order_and_an_unknown_column_is_the_default() {
        let default = Sort::ascending(Col::Due);
        assert_eq!(
            Sort::from_query(Some("name"), Some("desc"), default),
            Sort {
                column: Col::Name,
                descending: true
            }
        );
        assert_eq!(
            Sort::from_query(Some("name"), None, default),
            Sort::ascending(Col::Name)
        );
        assert_eq!(
            Sort::from_query(Some("1; DROP"), Some("desc"), default),
            default
        );
        assert_eq!(Sort::from_query(None, None, default), default);
    }

    #[test]
    fn the_sorted_header_links_the_other_way_and_says_so() {
        let sort = Sort::ascending(Col::Name);
        let headers = sort.headers(
            Lang::Pl,
            |c| c.code().to_owned(),
            |s| format!("?sort={}&dir={}", s.column.code(), s.dir()),
        );
        assert_eq!(headers[0].aria_sort, Some("ascending"));
        assert_eq!(headers[0].href, "?sort=name&dir=desc");
        assert_eq!(headers[0].arrow, "▲");
        assert_eq!(headers[1].aria_sort, None);
        assert_eq!(headers[1].href, "?sort=due&dir=asc");
        assert_eq!(headers[1].action, "sortuj rosnąco");
    }
}
