//! Locations: buildings and residents' service points, each with its weekly opening
//! hours and its closing days. The public home page shows the active ones.
//!
//! The location form carries the details and the week (7 days, opening and closing
//! time, both empty for a closed day) and saves them in one transaction; closing days
//! have their own small forms on the same page, one to add a day and one button per
//! day to remove it, since a form cannot hold another.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::office::address_fields;
use super::public::PublicOfficeCache;
use super::require_office_wide;
use super::rules::{CLOSES, ClosureForm, HoursForm, LocationForm, NewClosure, OPENS, WeeklyHours};
use super::store::{self, Closure, Location, LocationData, LocationKind, OpeningHours};
use crate::app::AppState;
use crate::auth::policy::{Permission, Scope};
use crate::auth::session::Staff;
use crate::home::weekday_key;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, checked, on_unique, value};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Arg, Lang};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

fn kind_label(lang: Lang, kind: &str) -> String {
    lang.t(&format!("location-kind-{}", kind.replace('_', "-")))
}

/// One location in the list.
pub struct LocationRow {
    pub location: Location,
    pub kind_label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/locations.html")]
pub struct LocationsPage {
    pub ctx: PageCtx,
    pub rows: Vec<LocationRow>,
    pub can_manage: bool,
}

pub async fn list(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
) -> AppResult<LocationsPage> {
    user.require(Permission::ViewOrg)?;
    let rows = store::locations(&state.db)
        .await?
        .into_iter()
        .map(|location| LocationRow {
            kind_label: kind_label(ctx.lang, &location.kind),
            location,
        })
        .collect();
    Ok(LocationsPage {
        rows,
        can_manage: matches!(user.scope(Permission::ManageOrg), Scope::Office),
        ctx,
    })
}

/// One day of the week in the form.
pub struct DayHours {
    pub day: String,
    pub opens: Field,
    pub closes: Field,
}

/// One closing day, with its own remove button.
pub struct ClosureRow {
    pub id: i64,
    /// `YYYY-MM-DD`, for `<time datetime>`.
    pub iso: String,
    pub day: String,
    pub reason: String,
    /// The button's text, naming the day (several buttons on one page must differ).
    pub remove_label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/location_form.html")]
pub struct LocationFormPage {
    pub ctx: PageCtx,
    /// None when creating.
    pub location: Option<Location>,
    pub kind: Field,
    pub name: Field,
    pub address: Vec<Field>,
    pub directions: Field,
    pub accessibility: Field,
    pub active: bool,
    pub days: Vec<DayHours>,
    pub closures: Vec<ClosureRow>,
    pub closure_day: Field,
    pub closure_reason: Field,
    pub error_summary: Vec<(String, String)>,
}

/// The location form's values as text.
struct LocationValues {
    kind: String,
    name: String,
    street: String,
    postal_code: String,
    city: String,
    directions: String,
    accessibility: String,
    active: bool,
    opens: [String; 7],
    closes: [String; 7],
}

impl LocationValues {
    fn empty() -> Self {
        Self {
            kind: LocationKind::Building.as_str().to_owned(),
            name: String::new(),
            street: String::new(),
            postal_code: String::new(),
            city: String::new(),
            directions: String::new(),
            accessibility: String::new(),
            active: true,
            opens: Default::default(),
            closes: Default::default(),
        }
    }

    fn of(l: &Location, hours: &[OpeningHours]) -> Self {
        let mut opens: [String; 7] = Default::default();
        let mut closes: [String; 7] = Default::default();
        for h in hours {
            if let Some(i) = usize::try_from(h.weekday - 1).ok().filter(|i| *i < 7) {
                opens[i] = h.opens.clone();
                closes[i] = h.closes.clone();
            }
        }
        Self {
            kind: l.kind.clone(),
            name: l.name.clone(),
            street: l.street.clone(),
            postal_code: l.postal_code.clone(),
            city: l.city.clone(),
            directions: l.directions.clone(),
            accessibility: l.accessibility.clone(),
            active: l.active,
            opens,
            closes,
        }
    }

    fn typed(pairs: &[(String, String)]) -> Self {
        Self {
            kind: value(pairs, "kind").to_owned(),
            name: value(pairs, "name").to_owned(),
            street: value(pairs, "street").to_owned(),
            postal_code: value(pairs, "postal_code").to_owned(),
            city: value(pairs, "city").to_owned(),
            directions: value(pairs, "directions").to_owned(),
            accessibility: value(pairs, "accessibility").to_owned(),
            active: checked(pairs, "active"),
            opens: OPENS.map(|f| value(pairs, f).to_owned()),
            closes: CLOSES.map(|f| value(pairs, f).to_owned()),
        }
    }
}

/// Builds the page. `closure_values` are the small form's (day, reason) as typed.
fn location_form(
    ctx: PageCtx,
    location: Option<Location>,
    values: LocationValues,
    closures: &[Closure],
    closure_values: (&str, &str),
    errors: &FormErrors,
) -> LocationFormPage {
    let lang = ctx.lang;
    let kinds = [LocationKind::Building, LocationKind::ServicePoint]
        .into_iter()
        .map(|k| (k.as_str().to_owned(), kind_label(lang, k.as_str())))
        .collect();
    let mut form = FormBuilder::new(lang, errors);
    let kind =
        form.field(Field::text(lang, "kind", "org-location-kind", values.kind).select(kinds));
    let name = form.field(
        Field::text(lang, "name", "org-location-name", values.name)
            .hint(lang, "org-location-name-hint"),
    );
    let address = address_fields(
        &mut form,
        lang,
        &values.street,
        &values.postal_code,
        &values.city,
    );
    let directions = form.field(
        Field::text(
            lang,
            "directions",
            "org-location-directions",
            values.directions,
        )
        .kind("textarea")
        .optional()
        .hint(lang, "org-location-directions-hint"),
    );
    let accessibility = form.field(
        Field::text(
            lang,
            "accessibility",
            "org-location-accessibility",
            values.accessibility,
        )
        .kind("textarea")
        .optional()
        .hint(lang, "org-location-accessibility-hint"),
    );

    let days = week_fields(&mut form, lang, values.opens, values.closes);
    let closure_day = form
        .field(Field::text(lang, "closure_day", "org-closure-day", closure_values.0).kind("date"));
    let closure_reason = form.field(
        Field::text(
            lang,
            "closure_reason",
            "org-closure-reason",
            closure_values.1,
        )
        .hint(lang, "org-closure-reason-hint"),
    );
    let closures = closure_rows(lang, closures);
    let error_summary = form.summary();
    LocationFormPage {
        ctx,
        location,
        kind,
        name,
        address,
        directions,
        accessibility,
        active: values.active,
        days,
        closures,
        closure_day,
        closure_reason,
        error_summary,
    }
}

/// The opening and closing time of each weekday, as typed.
fn week_fields(
    form: &mut FormBuilder<'_>,
    lang: Lang,
    opens: [String; 7],
    closes: [String; 7],
) -> Vec<DayHours> {
    let mut days = Vec::with_capacity(7);
    for (i, (opens_value, closes_value)) in opens.into_iter().zip(closes).enumerate() {
        let day = lang.t(&weekday_key(i32::try_from(i + 1).unwrap_or(1)));
        // Each time is labelled on the page by its column; the summary names the day.
        let day_arg = || [("day", Arg::Str(day.clone()))];
        let opens = form.field_summarised_as(
            Field::text(lang, OPENS[i], "org-hours-opens", opens_value)
                .kind("time")
                .optional(),
            lang.t_args("org-hours-day-opens", &day_arg()),
        );
        let closes = form.field_summarised_as(
            Field::text(lang, CLOSES[i], "org-hours-closes", closes_value)
                .kind("time")
                .optional(),
            lang.t_args("org-hours-day-closes", &day_arg()),
        );
        days.push(DayHours { day, opens, closes });
    }
    days
}

/// The location's closing days as listed, each with its button's label.
fn closure_rows(lang: Lang, closures: &[Closure]) -> Vec<ClosureRow> {
    closures
        .iter()
        .map(|c| {
            let date = c.day.to_jiff();
            let day = crate::web::i18n::long_date(lang, date);
            ClosureRow {
                id: c.id,
                iso: date.to_string(),
                remove_label: lang.t_args("org-closure-remove", &[("day", Arg::Str(day.clone()))]),
                day,
                reason: c.reason.clone(),
            }
        })
        .collect()
}

/// The details and the week from the form, or all their errors together.
fn parse_form(
    pairs: &[(String, String)],
    location_id: i64,
) -> Result<(LocationData, Vec<OpeningHours>), FormErrors> {
    let data = LocationData::try_from(LocationForm(pairs));
    let hours = WeeklyHours::try_from(HoursForm { pairs, location_id });
    match (data, hours) {
        (Ok(data), Ok(WeeklyHours(hours))) => Ok((data, hours)),
        (data, hours) => {
            let mut errors = FormErrors::new();
            for e in [data.err(), hours.err()].into_iter().flatten() {
                errors.merge(e);
            }
            Err(errors)
        }
    }
}

pub async fn new_form(Staff(user, _): Staff, ctx: PageCtx) -> AppResult<LocationFormPage> {
    require_office_wide(&user, Permission::ManageOrg)?;
    Ok(location_form(
        ctx,
        None,
        LocationValues::empty(),
        &[],
        ("", ""),
        &FormErrors::new(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    State(public): State<PublicOfficeCache>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    require_office_wide(&user, Permission::ManageOrg)?;
    let (data, hours) = match parse_form(&pairs, 0) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let values = LocationValues::typed(&pairs);
            let page = location_form(ctx, None, values, &[], ("", ""), &errors);
            return Ok(form::respond(&errors, page));
        }
    };
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    let id = store::create_location(&mut tx, &actor, &data).await?;
    if !hours.is_empty() {
        let hours: Vec<OpeningHours> = hours
            .into_iter()
            .map(|h| OpeningHours {
                location_id: id,
                ..h
            })
            .collect();
        store::set_opening_hours(&mut tx, &actor, id, &[], &hours).await?;
    }
    tx.commit().await?;
    public.forget().await;
    // To the new location's page, where its closing days are added.
    Ok(redirect_with_flash(
        &format!("/staff/locations/{id}"),
        "org-location-created",
        state.config.behind_tls(),
    ))
}

async fn load(state: &AppState, id: i64) -> AppResult<Location> {
    store::location(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<LocationFormPage> {
    require_office_wide(&user, Permission::ManageOrg)?;
    let location = load(&state, id).await?;
    let hours = store::location_hours(&state.db, id).await?;
    let closures = store::location_closures(&state.db, id).await?;
    let values = LocationValues::of(&location, &hours);
    Ok(location_form(
        ctx,
        Some(location),
        values,
        &closures,
        ("", ""),
        &FormErrors::new(),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    State(public): State<PublicOfficeCache>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    require_office_wide(&user, Permission::ManageOrg)?;
    let before = load(&state, id).await?;
    let (data, hours) = match parse_form(&pairs, id) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let closures = store::location_closures(&state.db, id).await?;
            let values = LocationValues::typed(&pairs);
            let page = location_form(ctx, Some(before), values, &closures, ("", ""), &errors);
            return Ok(form::respond(&errors, page));
        }
    };
    let hours_before = store::location_hours(&state.db, id).await?;
    let details_changed = location_data(&before).as_ref() != Some(&data);
    let hours_changed = hours != hours_before;
    if details_changed || hours_changed {
        let actor = visitor.actor();
        let mut tx = state.db.begin().await?;
        if details_changed {
            store::update_location(&mut tx, &actor, &before, &data).await?;
        }
        if hours_changed {
            store::set_opening_hours(&mut tx, &actor, id, &hours_before, &hours).await?;
        }
        tx.commit().await?;
        public.forget().await;
    }
    Ok(redirect_with_flash(
        "/staff/locations",
        "org-location-saved",
        state.config.behind_tls(),
    ))
}

fn location_data(l: &Location) -> Option<LocationData> {
    Some(LocationData {
        kind: LocationKind::parse(&l.kind)?,
        name: l.name.clone(),
        street: l.street.clone(),
        postal_code: l.postal_code.clone(),
        city: l.city.clone(),
        directions: l.directions.clone(),
        accessibility: l.accessibility.clone(),
        active: l.active,
    })
}

pub async fn add_closure(
    State(state): State<AppState>,
    State(public): State<PublicOfficeCache>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    require_office_wide(&user, Permission::ManageOrg)?;
    let location = load(&state, id).await?;
    let closures = store::location_closures(&state.db, id).await?;
    let existing: Vec<jiff::civil::Date> = closures.iter().map(|c| c.day.to_jiff()).collect();
    let form = ClosureForm {
        pairs: &pairs,
        existing: &existing,
    };
    let errors = match NewClosure::try_from(form) {
        Ok(NewClosure { day, reason }) => {
            let mut tx = state.db.begin().await?;
            match store::add_closure(&mut tx, &visitor.actor(), id, day, &reason).await {
                Ok(_) => {
                    tx.commit().await?;
                    public.forget().await;
                    return Ok(redirect_with_flash(
                        &format!("/staff/locations/{id}"),
                        "org-closure-added",
                        state.config.behind_tls(),
                    ));
                }
                Err(e) => on_unique(e, ClosureForm::UNIQUE)?,
            }
        }
        Err(errors) => errors,
    };
    let hours = store::location_hours(&state.db, id).await?;
    let values = LocationValues::of(&location, &hours);
    let typed = (
        value(&pairs, "closure_day"),
        value(&pairs, "closure_reason"),
    );
    let page = location_form(ctx, Some(location), values, &closures, typed, &errors);
    Ok(form::respond(&errors, page))
}

pub async fn remove_closure(
    State(state): State<AppState>,
    State(public): State<PublicOfficeCache>,
    Staff(user, visitor): Staff,
    Path((id, closure_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    require_office_wide(&user, Permission::ManageOrg)?;
    let mut tx = state.db.begin().await?;
    if store::remove_closure(&mut tx, &visitor.actor(), id, closure_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    public.forget().await;
    Ok(redirect_with_flash(
        &format!("/staff/locations/{id}"),
        "org-closure-removed",
        state.config.behind_tls(),
    ))
}
