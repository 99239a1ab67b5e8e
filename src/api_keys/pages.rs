//! The staff pages of API keys: the list with the form for a new key, the page that
//! shows a new key once, and revoking.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::service::{self, ApiKeyError, KeySecret, SCOPES};
use super::store::ApiKey;
use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Staff;
use crate::platform::form::{self, Field, FormBuilder, FormErrors};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

#[derive(Template, WebTemplate)]
#[template(path = "api_keys/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub keys: Vec<ApiKey>,
    pub name: Field,
    /// (scope, chosen)
    pub scopes: Vec<(&'static str, bool)>,
    pub scopes_error: Option<String>,
    pub error_summary: Vec<(String, String)>,
    /// A key just created: its name and the key itself, shown this once.
    pub created: Option<(String, String)>,
}

fn list_page(
    ctx: PageCtx,
    keys: Vec<ApiKey>,
    pairs: &[(String, String)],
    errors: &FormErrors,
    created: Option<(String, String)>,
) -> ListPage {
    let lang = ctx.lang;
    let mut f = FormBuilder::new(lang, errors);
    let name = f.field(
        Field::text(
            lang,
            "name",
            "apikey-name",
            form::value(pairs, "name").to_owned(),
        )
        .hint(lang, "apikey-name-hint"),
    );
    f.label("scopes", "apikey-scopes");
    let chosen: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "scopes")
        .map(|(_, v)| v.as_str())
        .collect();
    let scopes_error = errors.get("scopes").map(|e| lang.t(e));
    ListPage {
        error_summary: f.summary(),
        keys,
        name,
        scopes: SCOPES
            .iter()
            .map(|s| (*s, chosen.is_empty() || chosen.contains(s)))
            .collect(),
        scopes_error,
        created,
        ctx,
    }
}

pub async fn list(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
) -> AppResult<ListPage> {
    user.require(Permission::ManageApiKeys)?;
    let keys = service::list(&state.db).await?;
    Ok(list_page(ctx, keys, &[], &FormErrors::new(), None))
}

pub async fn create(
    State(state): State<AppState>,
    State(secret): State<KeySecret>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::ManageApiKeys)?;
    let mut errors = FormErrors::new();
    let name = service::parse_name(form::value(&pairs, "name"));
    let scopes = service::parse_scopes(
        pairs
            .iter()
            .filter(|(k, _)| k == "scopes")
            .map(|(_, v)| v.as_str()),
    );
    let outcome = match (name, scopes) {
        (Ok(name), Ok(scopes)) => {
            match service::create(&state.db, &secret, &visitor.actor(), &name, &scopes).await {
                Ok((key, token)) => Some((key.name, token)),
                Err(ApiKeyError::NameTaken) => {
                    errors.add("name", "apikey-name-taken");
                    None
                }
                Err(e) => return Err(e.into()),
            }
        }
        (name, scopes) => {
            if name.is_err() {
                errors.add("name", "apikey-name-invalid");
            }
            if scopes.is_err() {
                errors.add("scopes", "apikey-scope-invalid");
            }
            None
        }
    };
    let keys = service::list(&state.db).await?;
    match outcome {
        // The key is on this page only: it is not stored and cannot be shown again.
        Some(created) => Ok(list_page(ctx, keys, &[], &errors, Some(created)).into_response()),
        None => Ok(form::respond(
            &errors,
            list_page(ctx, keys, &pairs, &errors, None),
        )),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ManageApiKeys)?;
    match service::revoke(&state.db, &visitor.actor(), id).await {
        Ok(_) | Err(ApiKeyError::AlreadyRevoked) => Ok(redirect_with_flash(
            "/staff/api-keys",
            "apikey-revoked",
            state.config.behind_tls(),
        )),
        Err(e) => Err(e.into()),
    }
}

impl From<ApiKeyError> for AppError {
    fn from(e: ApiKeyError) -> Self {
        match e {
            ApiKeyError::NotFound => AppError::NotFound,
            ApiKeyError::Db(e) => e.into(),
            other => AppError::Internal(other.into()),
        }
    }
}
