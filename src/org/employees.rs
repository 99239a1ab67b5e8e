//! Employees: the staff list and the employee form (HR and administrators).
//!
//! Both are scoped by the org tree. The list shows what the user's `ViewOrg` reaches:
//! the whole office, or only the employees of their units and the units below. The
//! form needs `ManageEmployees`; an HR officer limited to some units may add and edit
//! employees only there, may place them only in those units, and is refused (403,
//! recorded in the audit trail as `access.denied`) for an employee anywhere else.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::rules::{EmployeeChoices, EmployeeForm};
use super::store::{self, Employee, EmployeeData};
use super::unit_label;
use crate::app::AppState;
use crate::auth::policy::{Permission, Scope};
use crate::auth::scope::{ScopedUnits, UnitScope};
use crate::auth::session::Staff;
use crate::auth::users::{self, UserSummary};
use crate::platform::form::{self, Field, FormBuilder, FormErrors, checked, on_unique, value};
use crate::web::error::{AppError, AppResult};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// One employee in the list.
pub struct EmployeeRow {
    pub employee: Employee,
    pub unit: String,
    pub account: Option<String>,
    /// The user may open the employee's form.
    pub editable: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/employees.html")]
pub struct EmployeesPage {
    pub ctx: PageCtx,
    pub rows: Vec<EmployeeRow>,
    pub can_add: bool,
    /// The list is limited to the user's units.
    pub scoped: bool,
}

pub async fn list(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
) -> AppResult<EmployeesPage> {
    scope.user().require(Permission::ViewOrg)?;
    let view = scope.units(Permission::ViewOrg).await?;
    let manage = scope.units(Permission::ManageEmployees).await?;
    let symbols: HashMap<i64, &str> = view
        .all()
        .iter()
        .map(|u| (u.id, u.symbol.as_str()))
        .collect();
    let logins: HashMap<i64, String> = users::list(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.login))
        .collect();
    let rows = store::employees(&state.db)
        .await?
        .into_iter()
        .filter(|e| view.allows(e.org_unit_id))
        .map(|e| EmployeeRow {
            unit: symbols
                .get(&e.org_unit_id)
                .map(|s| (*s).to_owned())
                .unwrap_or_default(),
            account: e.user_id.and_then(|id| logins.get(&id).cloned()),
            editable: manage.allows(e.org_unit_id),
            employee: e,
        })
        .collect();
    Ok(EmployeesPage {
        rows,
        can_add: manage.scope.is_granted(),
        scoped: matches!(view.scope, Scope::Units(_)),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "org/employee_form.html")]
pub struct EmployeeFormPage {
    pub ctx: PageCtx,
    /// None when creating.
    pub employee: Option<Employee>,
    pub first_name: Field,
    pub last_name: Field,
    pub position: Field,
    pub initials: Field,
    pub org_unit_id: Field,
    pub email: Field,
    pub phone: Field,
    pub user_id: Field,
    pub active: bool,
    pub error_summary: Vec<(String, String)>,
}

/// The form's values as text.
struct EmployeeValues {
    first_name: String,
    last_name: String,
    position: String,
    initials: String,
    org_unit_id: String,
    email: String,
    phone: String,
    user_id: String,
    active: bool,
}

impl EmployeeValues {
    fn empty() -> Self {
        Self {
            first_name: String::new(),
            last_name: String::new(),
            position: String::new(),
            initials: String::new(),
            org_unit_id: String::new(),
            email: String::new(),
            phone: String::new(),
            user_id: String::new(),
            active: true,
        }
    }

    fn of(e: &Employee) -> Self {
        Self {
            first_name: e.first_name.clone(),
            last_name: e.last_name.clone(),
            position: e.position.clone(),
            initials: e.initials.clone(),
            org_unit_id: e.org_unit_id.to_string(),
            email: e.email.clone(),
            phone: e.phone.clone(),
            user_id: e.user_id.map(|u| u.to_string()).unwrap_or_default(),
            active: e.active,
        }
    }

    fn typed(pairs: &[(String, String)]) -> Self {
        Self {
            first_name: value(pairs, "first_name").to_owned(),
            last_name: value(pairs, "last_name").to_owned(),
            position: value(pairs, "position").to_owned(),
            initials: value(pairs, "initials").to_owned(),
            org_unit_id: value(pairs, "org_unit_id").to_owned(),
            email: value(pairs, "email").to_owned(),
            phone: value(pairs, "phone").to_owned(),
            user_id: value(pairs, "user_id").to_owned(),
            active: checked(pairs, "active"),
        }
    }
}

/// What the form offers: the units and the accounts, as loaded for one request.
struct Choices {
    /// The unit tree seen through `ManageEmployees` (the request's [`UnitScope`]).
    units: ScopedUnits,
    accounts: Vec<UserSummary>,
    /// Accounts not linked to an employee other than the one being edited.
    free_accounts: Vec<i64>,
    /// This year, by the office's clock: only units valid in it are offered.
    year: i32,
}

impl Choices {
    async fn load(state: &AppState, scope: &UnitScope, editing: Option<i64>) -> AppResult<Self> {
        scope.user().require(Permission::ManageEmployees)?;
        let units = scope.units(Permission::ManageEmployees).await?;
        let linked: Vec<i64> = store::employees(&state.db)
            .await?
            .into_iter()
            .filter(|e| Some(e.id) != editing)
            .filter_map(|e| e.user_id)
            .collect();
        let accounts = users::list(&state.db).await?;
        let free_accounts = accounts
            .iter()
            .map(|a| a.id)
            .filter(|id| !linked.contains(id))
            .collect();
        Ok(Self {
            year: units.year,
            units,
            accounts,
            free_accounts,
        })
    }

    fn allows(&self, unit: i64) -> bool {
        self.units.allows(unit)
    }

    fn parse(&self, pairs: &[(String, String)]) -> Result<EmployeeData, FormErrors> {
        let allowed = |unit: i64| self.allows(unit);
        EmployeeData::try_from(EmployeeForm {
            pairs,
            choices: &EmployeeChoices {
                units: self.units.all(),
                unit_allowed: &allowed,
                free_accounts: &self.free_accounts,
            },
        })
    }
}

fn employee_form(
    ctx: PageCtx,
    employee: Option<Employee>,
    values: EmployeeValues,
    choices: &Choices,
    errors: &FormErrors,
) -> EmployeeFormPage {
    let lang = ctx.lang;
    let year = choices.year;
    let mut form = FormBuilder::new(lang, errors);
    let f = |name: &'static str, key: &str, v: String| Field::text(lang, name, key, v);
    let first_name = form.field(f(
        "first_name",
        "org-employee-first-name",
        values.first_name,
    ));
    let last_name = form.field(f("last_name", "org-employee-last-name", values.last_name));
    let position = form.field(f("position", "org-employee-position", values.position));
    let initials = form.field(
        f("initials", "org-employee-initials", values.initials)
            .hint(lang, "org-employee-initials-hint"),
    );
    // Units the editor may use and that are valid this year, and the one chosen.
    let mut unit_options = vec![(String::new(), lang.t("org-employee-unit-choose"))];
    unit_options.extend(
        choices
            .units
            .all()
            .iter()
            .filter(|u| {
                u.id.to_string() == values.org_unit_id
                    || (u.is_valid_in(year) && choices.allows(u.id))
            })
            .map(|u| (u.id.to_string(), unit_label(lang, u, year))),
    );
    let org_unit_id =
        form.field(f("org_unit_id", "org-employee-unit", values.org_unit_id).select(unit_options));
    let email = form.field(
        f("email", "org-employee-email", values.email)
            .kind("email")
            .optional(),
    );
    let phone = form.field(f("phone", "org-employee-phone", values.phone).optional());
    let mut account_options = vec![(String::new(), lang.t("org-employee-account-none"))];
    account_options.extend(
        choices
            .accounts
            .iter()
            .filter(|a| a.id.to_string() == values.user_id || choices.free_accounts.contains(&a.id))
            .map(|a| {
                let mut label = format!("{} — {}", a.login, a.display_name);
                if !a.active {
                    label.push_str(&format!(" ({})", lang.t("org-employee-account-disabled")));
                }
                (a.id.to_string(), label)
            }),
    );
    let user_id = form.field(
        f("user_id", "org-employee-account", values.user_id)
            .optional()
            .select(account_options)
            .hint(lang, "org-employee-account-hint"),
    );
    form.label("active", "org-employee-active");
    let error_summary = form.summary();
    EmployeeFormPage {
        ctx,
        employee,
        first_name,
        last_name,
        position,
        initials,
        org_unit_id,
        email,
        phone,
        user_id,
        active: values.active,
        error_summary,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
) -> AppResult<EmployeeFormPage> {
    let choices = Choices::load(&state, &scope, None).await?;
    Ok(employee_form(
        ctx,
        None,
        EmployeeValues::empty(),
        &choices,
        &FormErrors::new(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let choices = Choices::load(&state, &scope, None).await?;
    let errors = match choices.parse(&pairs) {
        Ok(data) => {
            let mut tx = state.db.begin().await?;
            match store::create_employee(&mut tx, &visitor.actor(), &data).await {
                Ok(_) => {
                    tx.commit().await?;
                    return Ok(redirect_with_flash(
                        "/staff/employees",
                        "org-employee-created",
                        state.config.behind_tls(),
                    ));
                }
                Err(e) => on_unique(e, EmployeeForm::UNIQUE)?,
            }
        }
        Err(errors) => errors,
    };
    let page = employee_form(ctx, None, EmployeeValues::typed(&pairs), &choices, &errors);
    Ok(form::respond(&errors, page))
}

/// The employee `id`, if the user may edit them: 404 when there is none, 403 when
/// they work outside the user's units.
async fn load_editable(state: &AppState, choices: &Choices, id: i64) -> AppResult<Employee> {
    let employee = store::employee(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !choices.allows(employee.org_unit_id) {
        return Err(AppError::Forbidden);
    }
    Ok(employee)
}

pub async fn edit(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<EmployeeFormPage> {
    let choices = Choices::load(&state, &scope, Some(id)).await?;
    let employee = load_editable(&state, &choices, id).await?;
    let values = EmployeeValues::of(&employee);
    Ok(employee_form(
        ctx,
        Some(employee),
        values,
        &choices,
        &FormErrors::new(),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    scope: UnitScope,
    Staff(_, visitor): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let choices = Choices::load(&state, &scope, Some(id)).await?;
    let before = load_editable(&state, &choices, id).await?;
    let saved = || {
        redirect_with_flash(
            "/staff/employees",
            "org-employee-saved",
            state.config.behind_tls(),
        )
    };
    let errors = match choices.parse(&pairs) {
        Ok(data) if data == employee_data(&before) => return Ok(saved()),
        Ok(data) => {
            let mut tx = state.db.begin().await?;
            match store::update_employee(&mut tx, &visitor.actor(), &before, &data).await {
                Ok(()) => {
                    tx.commit().await?;
                    return Ok(saved());
                }
                Err(e) => on_unique(e, EmployeeForm::UNIQUE)?,
            }
        }
        Err(errors) => errors,
    };
    let page = employee_form(
        ctx,
        Some(before),
        EmployeeValues::typed(&pairs),
        &choices,
        &errors,
    );
    Ok(form::respond(&errors, page))
}

fn employee_data(e: &Employee) -> EmployeeData {
    EmployeeData {
        user_id: e.user_id,
        org_unit_id: e.org_unit_id,
        first_name: e.first_name.clone(),
        last_name: e.last_name.clone(),
        position: e.position.clone(),
        initials: e.initials.clone(),
        email: e.email.clone(),
        phone: e.phone.clone(),
        active: e.active,
    }
}
