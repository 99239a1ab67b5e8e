//! The two register lists — the incoming dziennik and the outgoing one — as one page:
//! the same filters, paging and columns, with the date column and the links of each.
//!
//! Each column header sorts by its column (`platform::table`); the register's own order
//! (newest first) is the default and pages by id, any other order by page number
//! (`store::Slice`). The filters, the order and the page ride in the URL, so the CSV
//! export and a printout follow what is shown.

use askama::Template;
use askama_web::WebTemplate;

use super::PAGE_SIZE;
use super::incoming::{Filters, ListQuery};
use super::store::{ListRow, Order, OrderColumn, Slice};
use crate::platform::table::{Column, Sort, SortHeader};
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;

/// A column of one register's list that sorts.
pub trait RegisterColumn: Column + std::fmt::Debug {
    /// The column the database sorts by.
    fn order_column(self) -> OrderColumn;
    /// Its header's message.
    fn label_key(self) -> &'static str;
}

/// The register's own order: the newest first.
fn register_order<C: RegisterColumn>() -> Sort<C> {
    let number = C::ALL
        .iter()
        .copied()
        .find(|c| c.order_column() == OrderColumn::Number);
    Sort {
        column: number.unwrap_or(C::ALL[0]),
        descending: true,
    }
}

/// The order of the URL: the register's own unless it asks for another.
pub fn sort_of<C: RegisterColumn>(query: &ListQuery) -> Sort<C> {
    Sort::from_query(
        query.sort.as_deref(),
        query.dir.as_deref(),
        register_order(),
    )
}

/// The database's order for `sort`.
pub fn order_of<C: RegisterColumn>(sort: Sort<C>) -> Order {
    if sort == register_order() {
        Order::Register
    } else {
        Order::By {
            column: sort.column.order_column(),
            descending: sort.descending,
        }
    }
}

/// The incoming register's sortable columns, in the order of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncomingColumn {
    Number,
    Received,
    Sender,
    Subject,
    Unit,
}

impl Column for IncomingColumn {
    const ALL: &'static [Self] = &[
        IncomingColumn::Number,
        IncomingColumn::Received,
        IncomingColumn::Sender,
        IncomingColumn::Subject,
        IncomingColumn::Unit,
    ];

    fn code(self) -> &'static str {
        match self {
            IncomingColumn::Number => "number",
            IncomingColumn::Received => "received",
            IncomingColumn::Sender => "sender",
            IncomingColumn::Subject => "subject",
            IncomingColumn::Unit => "unit",
        }
    }
}

impl RegisterColumn for IncomingColumn {
    fn order_column(self) -> OrderColumn {
        match self {
            IncomingColumn::Number => OrderColumn::Number,
            IncomingColumn::Received => OrderColumn::Date,
            IncomingColumn::Sender => OrderColumn::Party,
            IncomingColumn::Subject => OrderColumn::Subject,
            IncomingColumn::Unit => OrderColumn::Unit,
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            IncomingColumn::Number => "corr-register-number",
            IncomingColumn::Received => "corr-received",
            IncomingColumn::Sender => "corr-sender",
            IncomingColumn::Subject => "corr-subject",
            IncomingColumn::Unit => "corr-unit",
        }
    }
}

/// The outgoing register's sortable columns, in the order of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutgoingColumn {
    Number,
    Sent,
    Recipient,
    Subject,
    Unit,
    Delivered,
}

impl Column for OutgoingColumn {
    const ALL: &'static [Self] = &[
        OutgoingColumn::Number,
        OutgoingColumn::Sent,
        OutgoingColumn::Recipient,
        OutgoingColumn::Subject,
        OutgoingColumn::Unit,
        OutgoingColumn::Delivered,
    ];

    fn code(self) -> &'static str {
        match self {
            OutgoingColumn::Number => "number",
            OutgoingColumn::Sent => "sent",
            OutgoingColumn::Recipient => "recipient",
            OutgoingColumn::Subject => "subject",
            OutgoingColumn::Unit => "unit",
            OutgoingColumn::Delivered => "delivered",
        }
    }
}

impl RegisterColumn for OutgoingColumn {
    fn order_column(self) -> OrderColumn {
        match self {
            OutgoingColumn::Number => OrderColumn::Number,
            OutgoingColumn::Sent => OrderColumn::Date,
            OutgoingColumn::Recipient => OrderColumn::Party,
            OutgoingColumn::Subject => OrderColumn::Subject,
            OutgoingColumn::Unit => OrderColumn::Unit,
            OutgoingColumn::Delivered => OrderColumn::Delivered,
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            OutgoingColumn::Number => "corr-register-number",
            OutgoingColumn::Sent => "corr-sent",
            OutgoingColumn::Recipient => "corr-recipient",
            OutgoingColumn::Subject => "corr-subject",
            OutgoingColumn::Unit => "corr-unit",
            OutgoingColumn::Delivered => "corr-delivered-on",
        }
    }
}

/// Which page of a list the URL asks for, and the links to the pages beside it.
pub struct Paging {
    slice: Slice,
    /// The page number (offset paging; 1 in the register's order).
    page: u32,
}

/// The links to the pages beside the one shown.
#[derive(Default)]
pub struct PageLinks {
    /// The page before (offset paging only).
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The register's own order: the next page is „older items”.
    pub older: bool,
}

impl Paging {
    /// The page of `query` in `order`: one row more than a page, to learn whether
    /// another follows.
    pub fn new(query: &ListQuery, order: Order) -> Self {
        let page = query.page.unwrap_or(1).max(1);
        let offset = match order {
            Order::Register => 0,
            Order::By { .. } => i64::from(page - 1) * PAGE_SIZE,
        };
        Paging {
            slice: Slice {
                order,
                limit: PAGE_SIZE + 1,
                offset,
            },
            page,
        }
    }

    pub fn slice(&self) -> Slice {
        self.slice
    }

    /// Drops the extra row and gives the links to the pages beside this one.
    pub fn cut<T, C: RegisterColumn>(
        &self,
        query: &ListQuery,
        base: &str,
        sort: Sort<C>,
        items: &mut Vec<T>,
        id: impl Fn(&T) -> i64,
    ) -> PageLinks {
        let size = usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
        let more = items.len() > size;
        items.truncate(size);
        match self.slice.order {
            Order::Register => PageLinks {
                prev: None,
                next: more
                    .then(|| items.last())
                    .flatten()
                    .map(|last| query.href(base, sort, Some(("before", id(last))))),
                older: true,
            },
            Order::By { .. } => PageLinks {
                prev: (self.page > 1)
                    .then(|| query.href(base, sort, Some(("page", i64::from(self.page - 1))))),
                next: more
                    .then(|| query.href(base, sort, Some(("page", i64::from(self.page + 1))))),
                older: false,
            },
        }
    }
}

/// The headers of a register's sortable columns, each linking to the list (its
/// filters kept, from the first page) sorted by it.
pub fn headers<C: RegisterColumn>(
    lang: Lang,
    query: &ListQuery,
    base: &str,
    sort: Sort<C>,
) -> Vec<SortHeader> {
    sort.headers(
        lang,
        |c| lang.t(c.label_key()),
        |s| query.href(base, s, None),
    )
}

/// One line of a register list, ready to show.
pub struct Line {
    pub row: ListRow,
    /// Received (date and time) or sent (date).
    pub when: String,
    /// The moment for `<time datetime>`, where the register keeps one (incoming).
    pub when_iso: Option<String>,
    /// Outgoing: when the delivery was confirmed.
    pub delivered: Option<String>,
    pub channel: String,
    /// Outgoing: the numer nadania of a registered letter.
    pub tracking_number: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "correspondence/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub outgoing: bool,
    pub filters: Filters,
    pub rows: Vec<Line>,
    /// The sortable columns' headers (the channel and the files do not sort).
    pub headers: Vec<SortHeader>,
    /// The order as the filter form keeps it (`sort`, `dir`).
    pub sort: (&'static str, &'static str),
    pub pages: PageLinks,
    /// The list's URL query (filters and order, no page): for the CSV.
    pub query: String,
    pub can_register: bool,
    pub scoped: bool,
}

impl ListPage {
    /// The register's path: its list, and its items below it.
    pub fn base(&self) -> &'static str {
        base(self.outgoing)
    }

    /// The CSV of the list as filtered and sorted now.
    pub fn export_href(&self) -> String {
        format!("{}/export?{}", self.base(), self.query)
    }

    /// The register's own message `corr-{incoming|outgoing}-{what}`.
    pub fn own(&self, what: &str) -> String {
        let register = if self.outgoing {
            "outgoing"
        } else {
            "incoming"
        };
        self.ctx.t(&format!("corr-{register}-{what}"))
    }
}

/// The path of a register's list.
pub fn base(outgoing: bool) -> &'static str {
    if outgoing {
        "/staff/correspondence/outgoing"
    } else {
        "/staff/correspondence"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(sort: &str, dir: &str, page: Option<u32>) -> ListQuery {
        ListQuery {
            sort: Some(sort.to_owned()),
            dir: Some(dir.to_owned()),
            page,
            ..ListQuery::default()
        }
    }

    #[test]
    fn the_register_order_is_the_default_and_pages_by_id() {
        let default: Sort<IncomingColumn> = sort_of(&ListQuery::default());
        assert_eq!(order_of(default), Order::Register);
        let explicit: Sort<OutgoingColumn> = sort_of(&query("number", "desc", None));
        assert_eq!(order_of(explicit), Order::Register);
        let unknown: Sort<IncomingColumn> = sort_of(&query("delivered", "asc", None));
        assert_eq!(order_of(unknown), Order::Register, "not an incoming column");
        let paging = Paging::new(&query("number", "desc", Some(3)), Order::Register);
        assert_eq!(paging.slice().offset, 0);
    }

    #[test]
    fn another_order_pages_by_offset_with_links_both_ways() {
        let q = query("subject", "asc", Some(2));
        let sort: Sort<IncomingColumn> = sort_of(&q);
        let order = order_of(sort);
        assert_eq!(
            order,
            Order::By {
                column: OrderColumn::Subject,
                descending: false
            }
        );
        let paging = Paging::new(&q, order);
        assert_eq!(paging.slice().offset, PAGE_SIZE);
        assert_eq!(paging.slice().limit, PAGE_SIZE + 1);
        let mut rows: Vec<i64> = (0..=PAGE_SIZE).collect();
        let links = paging.cut(&q, "/r", sort, &mut rows, |r| *r);
        assert_eq!(rows.len(), 50);
        assert_eq!(
            links.prev.as_deref(),
            Some("/r?year=&channel=&unit=&q=&sort=subject&dir=asc&page=1")
        );
        assert_eq!(
            links.next.as_deref(),
            Some("/r?year=&channel=&unit=&q=&sort=subject&dir=asc&page=3")
        );
        let mut last: Vec<i64> = vec![1, 2];
        let links = paging.cut(&q, "/r", sort, &mut last, |r| *r);
        assert!(links.next.is_none() && links.prev.is_some());
    }

    #[test]
    fn the_register_order_links_to_older_items() {
        let q = ListQuery::default();
        let sort: Sort<IncomingColumn> = sort_of(&q);
        let paging = Paging::new(&q, order_of(sort));
        let mut rows: Vec<i64> = (0..=PAGE_SIZE).rev().collect();
        let links = paging.cut(&q, "/r", sort, &mut rows, |r| *r);
        assert!(links.older && links.prev.is_none());
        assert_eq!(
            links.next.as_deref(),
            Some("/r?year=&channel=&unit=&q=&sort=number&dir=desc&before=1")
        );
    }
}
