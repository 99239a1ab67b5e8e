//! Account administration for administrators: list, create, change roles, reset the
//! password, disable and enable. Every action is audited by the store functions.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::policy::{Grant, Permission, Role};
use super::scope::UnitScope;
use super::session::Staff;
use super::users::{self, NewUser, UserError, UserSummary, check_password};
use crate::app::AppState;
use crate::org::store as org_store;
use crate::platform::csv::Csv;
use crate::platform::form::{self, Field, FormBuilder, FormErrors};
use crate::platform::table::{Column, Key, Sort, SortHeader, SortQuery};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// One account in the list, with its roles written out.
pub struct UserRow {
    pub user: UserSummary,
    /// The roles with their units, „Urzędnik (SA), Kierownik (SA)”.
    pub roles_text: String,
    pub status: String,
}

/// A column of the list of accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserColumn {
    Login,
    Name,
    Roles,
    Status,
}

impl Column for UserColumn {
    const ALL: &'static [UserColumn] = &[
        UserColumn::Login,
        UserColumn::Name,
        UserColumn::Roles,
        UserColumn::Status,
    ];

    fn code(self) -> &'static str {
        match self {
            UserColumn::Login => "login",
            UserColumn::Name => "name",
            UserColumn::Roles => "roles",
            UserColumn::Status => "status",
        }
    }
}

impl UserColumn {
    fn label_id(self) -> &'static str {
        match self {
            UserColumn::Login => "user-field-login",
            UserColumn::Name => "user-field-name",
            UserColumn::Roles => "user-roles",
            UserColumn::Status => "users-status",
        }
    }
}

/// The list's order until a header is clicked.
const USER_ORDER: Sort<UserColumn> = Sort {
    column: UserColumn::Login,
    descending: false,
};

fn user_key(row: &UserRow, column: UserColumn) -> Key<'_> {
    match column {
        UserColumn::Login => Key::Text(&row.user.login),
        UserColumn::Name => Key::Text(&row.user.display_name),
        UserColumn::Roles => Key::Text(&row.roles_text),
        UserColumn::Status => Key::Text(&row.status),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/users.html")]
pub struct UsersPage {
    pub ctx: PageCtx,
    pub headers: Vec<SortHeader>,
    pub export_query: String,
    pub rows: Vec<UserRow>,
}

/// Every account with its roles written out and its state, sorted as asked.
async fn user_rows(
    state: &AppState,
    ctx: &PageCtx,
    units: &[(i64, String)],
    sort: Sort<UserColumn>,
) -> AppResult<Vec<UserRow>> {
    let (users, grants) = users::list_with_grants(&state.db).await?;
    let mut rows: Vec<UserRow> = users
        .into_iter()
        .map(|u| {
            let roles: Vec<String> = grants
                .iter()
                .filter(|(id, _)| *id == u.id)
                .map(|(_, g)| grant_label(ctx, g, units))
                .collect();
            UserRow {
                roles_text: roles.join(", "),
                status: ctx.t(if u.active {
                    "users-status-active"
                } else {
                    "users-status-disabled"
                }),
                user: u,
            }
        })
        .collect();
    sort.apply(&mut rows, user_key);
    Ok(rows)
}

pub async fn list(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Query(q): Query<SortQuery>,
) -> AppResult<UsersPage> {
    scope.user().require(Permission::ManageUsers)?;
    // The units as the request's tree has them (kept between requests at the version
    // the session query read: no query of its own).
    let units: Vec<(i64, String)> = scope
        .tree()
        .await?
        .units
        .iter()
        .map(|u| (u.id, u.symbol.clone()))
        .collect();
    let sort = q.sort(USER_ORDER);
    let rows = user_rows(&state, &ctx, &units, sort).await?;
    let lang = ctx.lang;
    Ok(UsersPage {
        headers: sort.headers(
            lang,
            |column| lang.t(column.label_id()),
            |next| format!("/staff/users?{}", next.query()),
        ),
        export_query: sort.query(),
        rows,
        ctx,
    })
}

/// The accounts as a spreadsheet (issue 15: every staff list exports), in the list's
/// order: login, name, e-mail, roles with their units, active or not.
pub async fn export(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Query(q): Query<SortQuery>,
) -> AppResult<Response> {
    user.require(Permission::ManageUsers)?;
    let units = org_store::unit_symbols(&state.db).await?;
    let rows = user_rows(&state, &ctx, &units, q.sort(USER_ORDER)).await?;
    let mut csv = Csv::new();
    csv.row(&[
        ctx.t("user-field-login"),
        ctx.t("user-field-name"),
        ctx.t("user-field-email"),
        ctx.t("user-roles"),
        ctx.t("users-status"),
    ]);
    for row in rows {
        csv.row(&[
            row.user.login,
            row.user.display_name,
            row.user.email,
            row.roles_text,
            row.status,
        ]);
    }
    Ok(csv.download(&format!("konta-{}.csv", state.clock.today())))
}

fn grant_label(ctx: &PageCtx, grant: &Grant, units: &[(i64, String)]) -> String {
    let role = ctx.t(&grant.role.label_key());
    match grant
        .org_unit_id
        .and_then(|id| units.iter().find(|(u, _)| *u == id))
    {
        Some((_, symbol)) => format!("{role} ({symbol})"),
        None => role,
    }
}

/// A checkbox per role, and per role the unit it is limited to.
pub struct RoleChoice {
    pub role: &'static str,
    pub label: String,
    pub checked: bool,
    pub unit: Field,
}

fn role_choices(ctx: &PageCtx, grants: &[Grant], units: &[(i64, String)]) -> Vec<RoleChoice> {
    let mut options = vec![(String::new(), ctx.t("user-role-whole-office"))];
    options.extend(
        units
            .iter()
            .map(|(id, symbol)| (id.to_string(), symbol.clone())),
    );
    Role::ALL
        .into_iter()
        .map(|role| {
            let grant = grants.iter().find(|g| g.role == role);
            let unit_value = grant
                .and_then(|g| g.org_unit_id)
                .map(|u| u.to_string())
                .unwrap_or_default();
            let label = ctx.t(&role.label_key());
            let mut unit = Field::text(
                ctx.lang,
                role_unit_field(role),
                "user-role-unit",
                unit_value,
            )
            .optional()
            .select(options.clone());
            // Eight selects on one page need eight different names for a screen
            // reader (WCAG 2.4.6), so each label names its role.
            unit.label = ctx.t1("user-role-unit-for", "role", label.clone());
            RoleChoice {
                role: role.as_str(),
                label,
                checked: grant.is_some(),
                unit,
            }
        })
        .collect()
}

fn role_unit_field(role: Role) -> &'static str {
    match role {
        Role::Administrator => "unit_administrator",
        Role::Manager => "unit_manager",
        Role::CaseOfficial => "unit_case_official",
        Role::FrontDeskOfficial => "unit_front_desk_official",
        Role::BipEditor => "unit_bip_editor",
        Role::QualityOfficer => "unit_quality_officer",
        Role::SecurityOfficer => "unit_security_officer",
        Role::Hr => "unit_hr",
    }
}

/// Reads the role checkboxes (`role=<code>`, repeated) and their unit selects.
fn parse_grants(
    pairs: &[(String, String)],
    units: &[(i64, String)],
) -> Result<Vec<Grant>, FormErrors> {
    let mut grants = Vec::new();
    let mut errors = FormErrors::new();
    for (key, value) in pairs.iter().filter(|(k, _)| k == "role") {
        let _ = key;
        let Ok(role) = value.parse::<Role>() else {
            errors.add("roles", "user-role-unknown");
            continue;
        };
        let unit_field = role_unit_field(role);
        let unit = pairs
            .iter()
            .find(|(k, _)| k == unit_field)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty());
        let org_unit_id = match unit.map(str::parse::<i64>) {
            None => None,
            Some(Ok(id)) if units.iter().any(|(u, _)| *u == id) => Some(id),
            Some(_) => {
                errors.add(unit_field, "user-role-unit-unknown");
                None
            }
        };
        if !grants.iter().any(|g: &Grant| g.role == role) {
            grants.push(Grant { role, org_unit_id });
        }
    }
    if errors.is_empty() {
        Ok(grants)
    } else {
        Err(errors)
    }
}

fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/user_form.html")]
pub struct UserFormPage {
    pub ctx: PageCtx,
    /// None when creating.
    pub user: Option<UserSummary>,
    pub login: Field,
    pub display_name: Field,
    pub email: Field,
    pub password: Field,
    pub roles: Vec<RoleChoice>,
    pub roles_error: Option<String>,
    pub error_summary: Vec<(String, String)>,
}

/// The summary's labels for the role fields, which the page renders itself: a problem
/// with a role or its unit is listed under "Roles".
fn label_roles(form: &mut FormBuilder<'_>) {
    form.label("roles", "user-roles");
    for role in Role::ALL {
        form.label(role_unit_field(role), "user-roles");
    }
}

fn new_user_form(
    ctx: PageCtx,
    pairs: &[(String, String)],
    grants: &[Grant],
    units: &[(i64, String)],
    errors: &FormErrors,
) -> UserFormPage {
    let lang = ctx.lang;
    let mut form = FormBuilder::new(lang, errors);
    let login = form.field(
        Field::text(lang, "login", "user-field-login", field(pairs, "login"))
            .hint(lang, "user-field-login-hint"),
    );
    let display_name = form.field(
        Field::text(
            lang,
            "display_name",
            "user-field-name",
            field(pairs, "display_name"),
        )
        .autocomplete("name"),
    );
    let email = form.field(
        Field::text(lang, "email", "user-field-email", field(pairs, "email"))
            .kind("email")
            .optional(),
    );
    let password = form.field(
        Field::text(lang, "password", "user-field-password", "")
            .kind("password")
            .autocomplete("new-password")
            .hint(lang, "password-policy-hint"),
    );
    label_roles(&mut form);
    let error_summary = form.summary();
    UserFormPage {
        roles: role_choices(&ctx, grants, units),
        roles_error: errors.get("roles").map(|k| lang.t(k)),
        user: None,
        login,
        display_name,
        email,
        password,
        error_summary,
        ctx,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
) -> AppResult<UserFormPage> {
    user.require(Permission::ManageUsers)?;
    let units = org_store::unit_symbols(&state.db).await?;
    Ok(new_user_form(ctx, &[], &[], &units, &FormErrors::new()))
}

pub async fn create(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::ManageUsers)?;
    let units = org_store::unit_symbols(&state.db).await?;
    let grants = parse_grants(&pairs, &units);
    let parsed = NewUser::parse(
        &field(&pairs, "login"),
        &field(&pairs, "display_name"),
        &field(&pairs, "email"),
        &field(&pairs, "password"),
        grants.clone().unwrap_or_default(),
    );
    let mut errors = match (&parsed, &grants) {
        (Ok(_), Ok(_)) => FormErrors::new(),
        (Err(e), _) => e.clone(),
        (Ok(_), Err(e)) => e.clone(),
    };
    if let (Ok(new_user), Ok(_)) = (&parsed, &grants) {
        let mut tx = state.db.begin().await?;
        match users::create(&mut tx, &visitor.actor(), new_user).await {
            Ok(_) => {
                tx.commit().await?;
                return Ok(redirect_with_flash(
                    "/staff/users",
                    "user-created",
                    state.config.behind_tls(),
                ));
            }
            Err(UserError::LoginTaken) => {
                errors.add(users::LOGIN_UNIQUE.field, users::LOGIN_UNIQUE.message);
            }
            Err(e) => return Err(anyhow::Error::from(e).into()),
        }
    }
    let page = new_user_form(ctx, &pairs, &grants.unwrap_or_default(), &units, &errors);
    Ok(form::respond(&errors, page))
}

async fn load_user(state: &AppState, id: i64) -> AppResult<UserSummary> {
    users::list(&state.db)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or(AppError::NotFound)
}

fn edit_form(
    ctx: PageCtx,
    target: UserSummary,
    grants: &[Grant],
    units: &[(i64, String)],
    errors: &FormErrors,
) -> UserFormPage {
    let lang = ctx.lang;
    let login = Field::text(lang, "login", "user-field-login", target.login.clone());
    let display_name = Field::text(
        lang,
        "display_name",
        "user-field-name",
        target.display_name.clone(),
    );
    let email = Field::text(lang, "email", "user-field-email", target.email.clone()).optional();
    let mut form = FormBuilder::new(lang, errors);
    let password = form.field(
        Field::text(lang, "password", "user-field-new-password", "")
            .kind("password")
            .autocomplete("new-password")
            .optional()
            .hint(lang, "user-password-reset-hint"),
    );
    label_roles(&mut form);
    let error_summary = form.summary();
    UserFormPage {
        roles: role_choices(&ctx, grants, units),
        roles_error: errors.get("roles").map(|k| lang.t(k)),
        user: Some(target),
        login,
        display_name,
        email,
        password,
        error_summary,
        ctx,
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<UserFormPage> {
    user.require(Permission::ManageUsers)?;
    let target = load_user(&state, id).await?;
    let units = org_store::unit_symbols(&state.db).await?;
    let grants = super::session::load_grants(&state.db, id).await?;
    Ok(edit_form(ctx, target, &grants, &units, &FormErrors::new()))
}

/// Saves roles and, when given, a new password.
pub async fn update(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Permission::ManageUsers)?;
    let target = load_user(&state, id).await?;
    let units = org_store::unit_symbols(&state.db).await?;
    let before = super::session::load_grants(&state.db, id).await?;
    let password = field(&pairs, "password");
    let mut errors = FormErrors::new();
    if !password.is_empty()
        && let Err(problems) = check_password(&password, &[&target.login, &target.display_name])
        && let Some(first) = problems.into_iter().next()
    {
        errors.add("password", first);
    }
    let grants = match parse_grants(&pairs, &units) {
        Ok(g) => g,
        Err(e) => {
            errors.merge(e);
            Vec::new()
        }
    };
    // An administrator cannot take away their own administrator role: the office
    // would risk having none left.
    if id == user.id
        && !grants
            .iter()
            .any(|g| g.role == Role::Administrator && g.org_unit_id.is_none())
    {
        errors.add("roles", "user-cannot-demote-self");
    }
    if !errors.is_empty() {
        let page = edit_form(ctx, target, &grants, &units, &errors);
        return Ok(form::respond(&errors, page));
    }
    let actor = visitor.actor();
    let mut tx = state.db.begin().await?;
    if before != grants {
        users::set_grants(&mut tx, &actor, id, &before, &grants)
            .await
            .map_err(anyhow::Error::from)?;
    }
    if !password.is_empty() {
        users::set_password(&mut tx, &actor, id, &password)
            .await
            .map_err(anyhow::Error::from)?;
    }
    tx.commit().await?;
    Ok(redirect_with_flash(
        "/staff/users",
        "user-saved",
        state.config.behind_tls(),
    ))
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    Path(id): Path<i64>,
    Form(form): Form<ActiveForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageUsers)?;
    let active = form.active == "true";
    if id == user.id && !active {
        return Err(AppError::Conflict("user-cannot-disable-self"));
    }
    let mut tx = state.db.begin().await?;
    match users::set_active(&mut tx, &visitor.actor(), id, active).await {
        Ok(()) => {}
        Err(UserError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(anyhow::Error::from(e).into()),
    }
    tx.commit().await?;
    let flash = if active {
        "user-enabled"
    } else {
        "user-disabled"
    };
    Ok(redirect_with_flash(
        "/staff/users",
        flash,
        state.config.behind_tls(),
    ))
}
