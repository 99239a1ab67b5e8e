//! The office's own details (name, address, NIP, REGON, BIP, contact, ePUAP): one
//! form for administrators. The name heads every page, so a save refreshes the cached
//! name at once.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::Response;

use super::public::PublicOfficeCache;
use super::require_office_wide;
use super::rules::OfficeForm;
use super::store::{self, Office};
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, value};
use crate::web::error::AppResult;
use crate::web::i18n::Lang;
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// A group of fields under one legend.
pub struct FieldGroup {
    pub legend: String,
    pub fields: Vec<Field>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/office.html")]
pub struct OfficePage {
    pub ctx: PageCtx,
    pub groups: Vec<FieldGroup>,
    pub error_summary: Vec<(String, String)>,
}

fn office_page(ctx: PageCtx, values: &Office, errors: &FormErrors) -> OfficePage {
    let lang = ctx.lang;
    let mut form = FormBuilder::new(lang, errors);
    let f = |name: &'static str, key: &str, v: &str| Field::text(lang, name, key, v.to_owned());
    let groups = vec![
        FieldGroup {
            legend: lang.t("org-office-group-name"),
            fields: vec![
                form.field(f("name", "org-office-name", &values.name)),
                form.field(
                    f("short_name", "org-office-short-name", &values.short_name)
                        .optional()
                        .hint(lang, "org-office-short-name-hint"),
                ),
            ],
        },
        FieldGroup {
            legend: lang.t("org-office-group-address"),
            fields: address_fields(
                &mut form,
                lang,
                &values.street,
                &values.postal_code,
                &values.city,
            ),
        },
        FieldGroup {
            legend: lang.t("org-office-group-identifiers"),
            fields: vec![
                form.field(
                    f("nip", "org-office-nip", &values.nip).hint(lang, "org-office-nip-hint"),
                ),
                form.field(
                    f("regon", "org-office-regon", &values.regon)
                        .hint(lang, "org-office-regon-hint"),
                ),
                form.field(
                    f(
                        "fee_account",
                        "org-office-fee-account",
                        &magistrat_domain::identifiers::Nrb::parse(&values.fee_account)
                            .map(|n| n.formatted())
                            .unwrap_or_else(|_| values.fee_account.clone()),
                    )
                    .optional()
                    .hint(lang, "org-office-fee-account-hint"),
                ),
            ],
        },
        FieldGroup {
            legend: lang.t("org-office-group-contact"),
            fields: vec![
                form.field(
                    f("bip_url", "org-office-bip-url", &values.bip_url)
                        .hint(lang, "org-office-bip-url-hint"),
                ),
                form.field(f("email", "org-office-email", &values.email).kind("email")),
                form.field(f("phone", "org-office-phone", &values.phone).optional()),
                form.field(
                    f("epuap", "org-office-epuap", &values.epuap)
                        .optional()
                        .hint(lang, "org-office-epuap-hint"),
                ),
            ],
        },
    ];
    let error_summary = form.summary();
    OfficePage {
        ctx,
        groups,
        error_summary,
    }
}

/// Street, postal code and city, as both the office and a location have them. (No
/// `autocomplete` tokens: these are the office's data, not the user's.)
pub(crate) fn address_fields(
    form: &mut FormBuilder<'_>,
    lang: Lang,
    street: &str,
    postal_code: &str,
    city: &str,
) -> Vec<Field> {
    vec![
        form.field(
            Field::text(lang, "street", "org-address-street", street.to_owned())
                .hint(lang, "org-address-street-hint"),
        ),
        form.field(
            Field::text(
                lang,
                "postal_code",
                "org-address-postal-code",
                postal_code.to_owned(),
            )
            .hint(lang, "org-address-postal-code-hint"),
        ),
        form.field(Field::text(
            lang,
            "city",
            "org-address-city",
            city.to_owned(),
        )),
    ]
}

pub async fn form(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
) -> AppResult<OfficePage> {
    require_office_wide(&user, Permission::ManageOrg)?;
    let office = store::office(&state.db).await?.unwrap_or_default();
    Ok(office_page(ctx, &office, &FormErrors::new()))
}

pub async fn save(
    State(state): State<AppState>,
    State(public): State<PublicOfficeCache>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    require_office_wide(&user, Permission::ManageOrg)?;
    let office = match Office::try_from(OfficeForm(&pairs)) {
        Ok(office) => office,
        Err(errors) => {
            // Shown again as typed.
            let typed = Office {
                name: value(&pairs, "name").to_owned(),
                short_name: value(&pairs, "short_name").to_owned(),
                street: value(&pairs, "street").to_owned(),
                postal_code: value(&pairs, "postal_code").to_owned(),
                city: value(&pairs, "city").to_owned(),
                nip: value(&pairs, "nip").to_owned(),
                regon: value(&pairs, "regon").to_owned(),
                bip_url: value(&pairs, "bip_url").to_owned(),
                email: value(&pairs, "email").to_owned(),
                phone: value(&pairs, "phone").to_owned(),
                epuap: value(&pairs, "epuap").to_owned(),
                fee_account: value(&pairs, "fee_account").to_owned(),
            };
            let page = office_page(ctx, &typed, &errors);
            return Ok(form::respond(&errors, page));
        }
    };
    let before = store::office(&state.db).await?;
    if before.as_ref() != Some(&office) {
        let mut tx = state.db.begin().await?;
        store::save_office(&mut tx, &visitor.actor(), before.as_ref(), &office).await?;
        tx.commit().await?;
        public.forget().await;
    }
    Ok(redirect_with_flash(
        "/staff/org",
        "org-office-saved",
        state.config.behind_tls(),
    ))
}
