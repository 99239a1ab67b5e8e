//! The two register lists — the incoming dziennik and the outgoing one — as one page:
//! the same filters, paging and columns, with the date column and the links of each.

use askama::Template;
use askama_web::WebTemplate;

use super::incoming::Filters;
use super::store::ListRow;
use crate::web::page::PageCtx;

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
    pub next_page: Option<String>,
    pub can_register: bool,
    pub scoped: bool,
}

impl ListPage {
    /// The register's path: its list, and its items below it.
    pub fn base(&self) -> &'static str {
        if self.outgoing {
            "/staff/correspondence/outgoing"
        } else {
            "/staff/correspondence"
        }
    }

    /// The CSV of the list as filtered now.
    pub fn export_href(&self) -> String {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("year", &self.filters.year.value)
            .append_pair("channel", &self.filters.channel.value)
            .append_pair("unit", &self.filters.unit.value)
            .append_pair("q", &self.filters.q.value)
            .finish();
        format!("{}/export?{query}", self.base())
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
