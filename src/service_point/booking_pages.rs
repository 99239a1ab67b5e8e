//! The public booking pages: choose the matter and the day, then a free slot and give
//! a name, an e-mail address and optionally a phone number and PESEL (for check-in at
//! the kiosk); the booking's own page (code, time, place, documents to bring, cancel);
//! and check-in at the kiosk.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use magistrat_domain::booking::CheckInKey;

use super::booking::{self, Bookable, BookingView, Settings, SlotView};
use super::rules::{BookingForm, matter_value, parse_matter};
use super::service::{self, Point};
use super::store::ServicePointError;
use crate::app::AppState;
use crate::auth::session::Visitor;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, Pairs, value};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::long_date;
use crate::web::page::PageCtx;

#[derive(Template, WebTemplate)]
#[template(path = "service_point/book.html")]
pub struct BookPage {
    pub ctx: PageCtx,
    pub point: Point,
    pub matter: Field,
    pub date: Field,
    /// The second step: the chosen matter and day, their slots and the contact form.
    pub chosen: Option<Chosen>,
    pub name: Field,
    pub email: Field,
    pub phone: Field,
    pub pesel: Field,
    pub slot_value: String,
    pub slot_error: Option<String>,
    pub error_summary: Vec<(String, String)>,
}

pub struct Chosen {
    pub matter_label: String,
    pub matter_value: String,
    pub day_label: String,
    pub day_value: String,
    pub slots: Vec<SlotView>,
    pub documents: Vec<String>,
}

impl BookPage {
    pub fn free_slots(&self) -> usize {
        self.chosen
            .as_ref()
            .map_or(0, |c| c.slots.iter().filter(|s| s.available > 0).count())
    }
}

fn settings(state: &AppState) -> Settings {
    Settings::from_config(&state.config)
}

fn matter_options(bookable: &[Bookable]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in bookable {
        if b.matters.is_empty() {
            out.push((
                matter_value(&b.category.code, None),
                b.category.name.clone(),
            ));
        }
        for m in &b.matters {
            out.push((
                matter_value(&b.category.code, Some(m.card_id)),
                format!("{} ({})", m.name, b.category.name),
            ));
        }
    }
    out
}

/// The days a resident may book now at the point: the window's days it is open.
async fn open_days(state: &AppState, location_id: i64) -> AppResult<Vec<Date>> {
    let today = state.db.clock().today();
    let mut out = Vec::new();
    for day in settings(state).window.days(today) {
        if service::hours_on(&state.db, location_id, day)
            .await?
            .is_some()
        {
            out.push(day);
        }
    }
    Ok(out)
}

fn weekday_date(ctx: &PageCtx, day: Date) -> String {
    let weekday = ctx.t(&format!("weekday-{}", day.weekday().to_monday_one_offset()));
    format!("{weekday}, {}", long_date(ctx.lang, day))
}

/// Builds the page from what was sent (`pairs`: the query of the first step, or the
/// posted form) and the problems found.
async fn book_page(
    state: &AppState,
    ctx: PageCtx,
    point: Point,
    pairs: &Pairs,
    errors: &FormErrors,
) -> AppResult<BookPage> {
    let id = point.location.id;
    let bookable = booking::bookable(&state.db, id).await?;
    let days = open_days(state, id).await?;
    let lang = ctx.lang;
    let mut f = FormBuilder::new(lang, errors);
    let matter_sent = value(pairs, "matter").to_owned();
    let date_sent = value(pairs, "date").to_owned();
    let matter = f.field(
        Field::text(lang, "matter", "booking-matter", matter_sent.clone()).select_after(
            lang,
            "booking-choose",
            matter_options(&bookable),
        ),
    );
    let date = f.field(
        Field::text(lang, "date", "booking-day", date_sent.clone()).select_after(
            lang,
            "booking-choose",
            days.iter().map(|d| (d.to_string(), weekday_date(&ctx, *d))),
        ),
    );
    let chosen_matter = parse_matter(&matter_sent, &bookable).ok();
    let chosen_day = date_sent.parse::<Date>().ok().filter(|d| days.contains(d));
    let chosen = match (chosen_matter, chosen_day) {
        (Some((code, card)), Some(day)) => {
            let b = bookable.iter().find(|b| b.category.code == code);
            let m = b.and_then(|b| b.matters.iter().find(|m| Some(m.card_id) == card));
            let slots = booking::slots(&state.db, &settings(state), id, &code, day).await?;
            Some(Chosen {
                matter_label: m.map_or_else(
                    || b.map(|b| b.category.name.clone()).unwrap_or_default(),
                    |m| m.name.clone(),
                ),
                matter_value: matter_sent.clone(),
                day_label: weekday_date(&ctx, day),
                day_value: day.to_string(),
                slots,
                documents: m.map(|m| m.documents.clone()).unwrap_or_default(),
            })
        }
        _ => None,
    };
    f.label("slot", "booking-slot");
    let v = |n: &str| value(pairs, n).to_owned();
    let name = f.field(Field::text(lang, "name", "booking-name", v("name")).autocomplete("name"));
    let email = f.field(
        Field::text(lang, "email", "booking-email", v("email"))
            .kind("email")
            .autocomplete("email"),
    );
    let phone = f.field(
        Field::text(lang, "phone", "booking-phone", v("phone"))
            .kind("tel")
            .autocomplete("tel")
            .optional()
            .hint(lang, "booking-phone-hint"),
    );
    let pesel = f.field(
        Field::text(lang, "pesel", "booking-pesel", v("pesel"))
            .optional()
            .hint(lang, "booking-pesel-hint"),
    );
    let slot_error = f.error("slot");
    Ok(BookPage {
        error_summary: f.summary(),
        ctx,
        point,
        matter,
        date,
        chosen,
        name,
        email,
        phone,
        pesel,
        slot_value: v("slot"),
        slot_error,
    })
}

/// The booking form: the first step, or with `matter` and `date` chosen the second.
pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(query): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let point = service::point(&state.db, id).await?;
    let page = book_page(&state, ctx, point, &query, &FormErrors::new()).await?;
    Ok(page.into_response())
}

/// Books the slot chosen; a problem shows the form again (422), a slot taken meanwhile
/// too (409).
pub async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let point = service::point(&state.db, id).await?;
    let settings = settings(&state);
    let bookable = booking::bookable(&state.db, id).await?;
    let slots = match (
        parse_matter(value(&pairs, "matter"), &bookable),
        value(&pairs, "date").parse::<Date>(),
    ) {
        (Ok((code, _)), Ok(day)) => booking::slots(&state.db, &settings, id, &code, day).await?,
        _ => Vec::new(),
    };
    let form = BookingForm {
        pairs: &pairs,
        location_id: id,
        bookable: &bookable,
        slots: &slots,
    };
    let new = match booking::NewBooking::try_from(form) {
        Ok(new) => new,
        Err(errors) => {
            let page = book_page(&state, ctx, point, &pairs, &errors).await?;
            return Ok(form::respond(&errors, page));
        }
    };
    let refused = |key: &'static str| {
        let mut errors = FormErrors::new();
        errors.add("slot", key);
        errors
    };
    match booking::book(&state.db, &visitor.actor(), &settings, &new).await {
        Ok(made) => {
            let base = booking::base_url(&settings, &booking::origin(&headers));
            booking::send_confirmation(
                &state.db,
                &state.mailer,
                &settings,
                visitor.lang,
                &base,
                &made,
            )
            .await;
            Ok(Redirect::to(&format!("/bookings/{}", made.token)).into_response())
        }
        Err(e @ (ServicePointError::SlotFull | ServicePointError::NotASlot)) => {
            let status = if matches!(e, ServicePointError::SlotFull) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let errors = refused(if status == StatusCode::CONFLICT {
                "booking-slot-full"
            } else {
                "booking-slot-unknown"
            });
            let page = book_page(&state, ctx, point, &pairs, &errors).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "service_point/booking.html")]
pub struct BookingPage {
    pub ctx: PageCtx,
    pub view: BookingView,
    pub grace_minutes: u32,
}

async fn booking_page(state: &AppState, ctx: PageCtx, token: &str) -> AppResult<BookingPage> {
    let found = booking::booking_by_token(&state.db, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = settings(state);
    Ok(BookingPage {
        ctx,
        view: booking::view(&state.db, &settings, found).await?,
        grace_minutes: settings.grace_minutes,
    })
}

/// A booking's page (the link in its mail): code, time, place, what to bring, cancel.
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> AppResult<BookingPage> {
    booking_page(&state, ctx, &token).await
}

/// Cancels the booking; its page shows it cancelled.
pub async fn cancel(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    match booking::cancel(&state.db, &visitor.actor(), &token).await {
        Ok(_) => Ok(Redirect::to(&format!("/bookings/{token}")).into_response()),
        Err(ServicePointError::Refused(_)) => {
            let page = booking_page(&state, ctx, &token).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The kiosk's check-in: today's booking by code, PESEL or phone number → its ticket.
pub async fn check_in(
    _turn: super::rations::TicketTurn,
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let typed = value(&pairs, "key");
    let result = match CheckInKey::parse(typed) {
        Some(key) => booking::check_in(&state.db, &visitor.actor(), &settings(&state), id, &key)
            .await
            .map(|(_, issued)| issued),
        None => Err(ServicePointError::BookingNotFound),
    };
    let (status, key) = match result {
        Ok(issued) => {
            return Ok(Redirect::to(&format!("/tickets/{}", issued.ticket.token)).into_response());
        }
        Err(ServicePointError::BookingNotFound) if CheckInKey::parse(typed).is_none() => {
            (StatusCode::UNPROCESSABLE_ENTITY, "sp-checkin-invalid")
        }
        Err(ServicePointError::BookingNotFound) => (StatusCode::NOT_FOUND, "sp-checkin-unknown"),
        Err(ServicePointError::BookingExpired) => (StatusCode::CONFLICT, "sp-checkin-expired"),
        Err(ServicePointError::AlreadyCheckedIn) => (StatusCode::CONFLICT, "sp-checkin-twice"),
        Err(ServicePointError::Closed) => (StatusCode::CONFLICT, "sp-kiosk-closed"),
        Err(e) => return Err(e.into()),
    };
    let page = super::public::kiosk_page(&state, ctx, id, Some(key.to_owned())).await?;
    Ok((status, page).into_response())
}
