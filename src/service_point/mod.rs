//! The residents' service point (punkt obsługi mieszkańców; issue 11, decisions 0027
//! and 0028): ticket categories and desks per location, the kiosk, the desk console,
//! the display board and the public live status, all on one queue.
//!
//! - `store.rs` — categories, desks, tickets and every state interval of a visit
//!   (`sp_visit_period`), the snapshot of a point's queue, and the acts that change it,
//!   each in one transaction with its audit event and its live event;
//! - `service.rs` — opening hours now, issuing a ticket, a desk's acts, a ticket's
//!   status, per-point summaries for the home page: what pages, the API and other
//!   capabilities call;
//! - `rules.rs` — the setup forms (category, desk), pure;
//! - `public.rs` — the public pages: list, live status, kiosk, e-ticket (QR), board,
//!   and the point's Server-Sent Events;
//! - `live.rs` — what those events carry: the change the writer announced with the
//!   point's snapshot, read once per change by each server and shared by its streams
//!   (decision 0055);
//! - `desk.rs` — the staff overview and the desk console;
//! - `setup.rs` — the categories and desks of a location;
//! - `stats.rs` — the statistics (decision 0041): waits and service times per category,
//!   desk, official, hour and day, with SVG charts drawn by `chart.rs` beside their
//!   tables, and the CSV; the sums are pure in `magistrat_domain::queue_stats`;
//! - `booking.rs` — visit booking (decision 0033): slots, bookings, cancellation,
//!   check-in at the kiosk, the reminders' job; `booking_mail.rs` its mail with the
//!   iCalendar event; `booking_pages.rs` the public booking pages and the check-in;
//! - `demo.rs` — both demo locations set up, a past day of visits, coming bookings.
//!
//! The queue's rules (call-next order, wait estimate, capacity before closing) are
//! pure, in `magistrat_domain::queue`. The wait estimate was measured against 20
//! simulated days (`domain/tests/wait_estimate_simulation.rs`, decision 0041): a mean
//! absolute error of 8.8 minutes against a mean wait of 30.6 (3.2 for waits under 20
//! minutes).

pub mod bench_seed;
pub mod booking;
pub mod booking_mail;
pub mod booking_pages;
pub mod chart;
pub mod demo;
pub mod desk;
pub mod live;
pub mod public;
pub mod rations;
pub mod rules;
pub mod service;
pub mod setup;
pub mod stats;
pub mod store;

pub use store::ServicePointError;

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    Routes::site()
        .get("/service-points", Access::Public, public::list)
        .get("/service-points/{id}", Access::Public, public::status)
        .get("/service-points/{id}/kiosk", Access::Public, public::kiosk)
        .post(
            "/service-points/{id}/kiosk",
            Access::Public,
            public::take_ticket,
        )
        .get("/service-points/{id}/board", Access::Public, public::board)
        .get(
            "/service-points/{id}/events",
            Access::Public,
            public::events,
        )
        .get("/tickets/{token}", Access::Public, public::ticket)
        .get(
            "/staff/service-points",
            Access::Staff(Permission::StaffArea),
            desk::overview,
        )
        .get(
            "/staff/desks/{id}",
            Access::Staff(Permission::ServeDesk),
            desk::console,
        )
        .post(
            "/staff/desks/{id}/{act}",
            Access::Staff(Permission::ServeDesk),
            desk::act,
        )
        .get(
            "/staff/service-points/{id}/setup",
            Access::Staff(Permission::ManageServicePoints),
            setup::page,
        )
        .get(
            "/staff/service-points/{id}/categories/new",
            Access::Staff(Permission::ManageServicePoints),
            setup::new_category,
        )
        .post(
            "/staff/service-points/{id}/categories/new",
            Access::Staff(Permission::ManageServicePoints),
            setup::create_category,
        )
        .get(
            "/staff/service-points/{id}/categories/{category}",
            Access::Staff(Permission::ManageServicePoints),
            setup::edit_category,
        )
        .post(
            "/staff/service-points/{id}/categories/{category}",
            Access::Staff(Permission::ManageServicePoints),
            setup::update_category,
        )
        .get(
            "/staff/service-points/{id}/desks/new",
            Access::Staff(Permission::ManageServicePoints),
            setup::new_desk,
        )
        .post(
            "/staff/service-points/{id}/desks/new",
            Access::Staff(Permission::ManageServicePoints),
            setup::create_desk,
        )
        .get(
            "/staff/service-points/{id}/desks/{desk}",
            Access::Staff(Permission::ManageServicePoints),
            setup::edit_desk,
        )
        .post(
            "/staff/service-points/{id}/desks/{desk}",
            Access::Staff(Permission::ManageServicePoints),
            setup::update_desk,
        )
        .merge(booking_routes())
        .get(
            "/staff/service-points/{id}/statistics",
            Access::Staff(Permission::ViewServicePointStats),
            stats::page,
        )
        .get(
            "/staff/service-points/{id}/statistics.csv",
            Access::Staff(Permission::ViewServicePointStats),
            stats::csv,
        )
}

/// Visit booking (decision 0033): the public form, a booking's page and its
/// cancellation, and check-in at the kiosk.
fn booking_routes() -> Routes {
    Routes::site()
        .get(
            "/service-points/{id}/book",
            Access::Public,
            booking_pages::page,
        )
        .post(
            "/service-points/{id}/book",
            Access::Public,
            booking_pages::create,
        )
        .post(
            "/service-points/{id}/kiosk/check-in",
            Access::Public,
            booking_pages::check_in,
        )
        .get("/bookings/{token}", Access::Public, booking_pages::show)
        .post(
            "/bookings/{token}/cancel",
            Access::Public,
            booking_pages::cancel,
        )
}
