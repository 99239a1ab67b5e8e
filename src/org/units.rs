//! The org structure: the tree of units with their symbols, years and staff numbers,
//! and the unit form.
//!
//! Everyone with `ViewOrg` sees the whole tree (the structure is public: it is in the
//! office's BIP and its regulamin organizacyjny). A user whose `ViewOrg` is limited to
//! some units sees those units and the ones below them marked „w Twoim zakresie” — in
//! words, not only by colour — so a head of department finds their part at once and
//! still sees where it sits.

use std::collections::{HashMap, HashSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::rules::{UnitForm, creates_cycle};
use super::store::{self, Office, OrgUnit, UnitData};
use super::{parent_map, require_office_wide, unit_label, years_text};
use crate::app::AppState;
use crate::auth::policy::{Permission, Scope};
use crate::auth::scope::UnitScope;
use crate::auth::session::Staff;
use crate::platform::form::{self, Field, FormBuilder, FormErrors, on_unique, value};
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::{Arg, Lang};
use crate::web::page::PageCtx;
use crate::web::redirect_with_flash;

/// The units in tree order (each parent before its children, siblings by symbol) with
/// their depth. Units whose parent chain is broken or loops are shown at the top
/// level rather than lost.
pub fn tree_order(units: &[OrgUnit]) -> Vec<(usize, usize)> {
    let ids: HashSet<i64> = units.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        let parent = u.parent_id.filter(|p| ids.contains(p) && *p != u.id);
        children.entry(parent).or_default().push(i);
    }
    let mut order = Vec::with_capacity(units.len());
    let mut seen = vec![false; units.len()];
    let visit = |roots: Vec<usize>, order: &mut Vec<(usize, usize)>, seen: &mut Vec<bool>| {
        let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|i| (i, 0)).collect();
        while let Some((i, depth)) = stack.pop() {
            if seen[i] {
                continue;
            }
            seen[i] = true;
            order.push((i, depth));
            if let Some(kids) = children.get(&Some(units[i].id)) {
                stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
            }
        }
    };
    visit(
        children.get(&None).cloned().unwrap_or_default(),
        &mut order,
        &mut seen,
    );
    let rest: Vec<usize> = (0..units.len()).filter(|i| !seen[*i]).collect();
    for i in rest {
        visit(vec![i], &mut order, &mut seen);
    }
    order
}

/// The list tags that go before each item of a nested list whose items have `depths`
/// (pre-order), and the tags that close it after the last item. The caller writes the
/// outermost `<ul>` and `</ul>`.
pub fn nested_list_tags(depths: &[usize]) -> (Vec<String>, String) {
    let mut before = Vec::with_capacity(depths.len());
    let mut previous: Option<usize> = None;
    for &depth in depths {
        let mut tags = String::new();
        match previous {
            None => {}
            Some(p) if depth > p => tags.push_str("<ul>"),
            Some(p) => {
                tags.push_str("</li>");
                for _ in depth..p {
                    tags.push_str("</ul></li>");
                }
            }
        }
        before.push(tags);
        previous = Some(depth);
    }
    let mut after = String::new();
    if let Some(p) = previous {
        after.push_str("</li>");
        for _ in 0..p {
            after.push_str("</ul></li>");
        }
    }
    (before, after)
}

/// One unit in the tree.
pub struct TreeItem {
    /// List markup (only `<ul>`, `</ul>`, `</li>`) opening or closing levels.
    pub before: String,
    pub unit: OrgUnit,
    pub years: String,
    pub staff: String,
    /// In the user's limited scope (shown only when the scope is limited).
    pub mine: bool,
    /// Valid this year.
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/overview.html")]
pub struct OrgPage {
    pub ctx: PageCtx,
    pub office: Option<Office>,
    pub items: Vec<TreeItem>,
    pub after: String,
    pub can_manage: bool,
    pub scoped: bool,
}

pub async fn overview(
    State(state): State<AppState>,
    scope: UnitScope,
    ctx: PageCtx,
) -> AppResult<OrgPage> {
    scope.user().require(Permission::ViewOrg)?;
    let view = scope.units(Permission::ViewOrg).await?;
    let scoped = matches!(view.scope, Scope::Units(_));
    let units = view.all();
    let mut staff: HashMap<i64, i64> = HashMap::new();
    for e in store::employees(&state.db)
        .await?
        .iter()
        .filter(|e| e.active)
    {
        *staff.entry(e.org_unit_id).or_default() += 1;
    }
    let year = state.clock.year();
    let order = tree_order(units);
    let depths: Vec<usize> = order.iter().map(|(_, d)| *d).collect();
    let (befores, after) = nested_list_tags(&depths);
    let items = order
        .iter()
        .zip(befores)
        .map(|((i, _), before)| {
            let unit = units[*i].clone();
            TreeItem {
                before,
                years: years_text(ctx.lang, &unit),
                staff: ctx.lang.t_args(
                    "org-unit-staff-count",
                    &[("count", Arg::Num(staff.get(&unit.id).copied().unwrap_or(0)))],
                ),
                mine: scoped && view.allows(unit.id),
                current: unit.is_valid_in(year),
                unit,
            }
        })
        .collect();
    Ok(OrgPage {
        office: store::office(&state.db).await?,
        can_manage: matches!(scope.user().scope(Permission::ManageOrg), Scope::Office),
        items,
        after,
        scoped,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "org/unit_form.html")]
pub struct UnitFormPage {
    pub ctx: PageCtx,
    /// None when creating.
    pub unit: Option<OrgUnit>,
    pub symbol: Field,
    pub name: Field,
    pub parent_id: Field,
    pub valid_from_year: Field,
    pub valid_to_year: Field,
    pub error_summary: Vec<(String, String)>,
}

/// The form's values as text.
struct UnitValues {
    symbol: String,
    name: String,
    parent_id: String,
    valid_from_year: String,
    valid_to_year: String,
}

impl UnitValues {
    fn of(unit: &OrgUnit) -> Self {
        Self {
            symbol: unit.symbol.clone(),
            name: unit.name.clone(),
            parent_id: unit.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            valid_from_year: unit.valid_from_year.to_string(),
            valid_to_year: unit
                .valid_to_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
        }
    }

    fn typed(pairs: &[(String, String)]) -> Self {
        Self {
            symbol: value(pairs, "symbol").to_owned(),
            name: value(pairs, "name").to_owned(),
            parent_id: value(pairs, "parent_id").to_owned(),
            valid_from_year: value(pairs, "valid_from_year").to_owned(),
            valid_to_year: value(pairs, "valid_to_year").to_owned(),
        }
    }
}

/// The possible parents: none (top level) or any unit that would not close a loop,
/// plus whatever was chosen, so that a refused choice is shown with its error.
fn parent_options(
    lang: Lang,
    year: i32,
    units: &[OrgUnit],
    editing: Option<i64>,
    chosen: &str,
) -> Vec<(String, String)> {
    let parents = parent_map(units);
    let parent_of = |u: i64| parents.get(&u).copied().flatten();
    let mut options = vec![(String::new(), lang.t("org-unit-parent-none"))];
    options.extend(
        units
            .iter()
            .filter(|u| {
                u.id.to_string() == chosen
                    || editing.is_none_or(|me| !creates_cycle(me, u.id, parent_of))
            })
            .map(|u| (u.id.to_string(), unit_label(lang, u, year))),
    );
    options
}

fn unit_form(
    ctx: PageCtx,
    unit: Option<OrgUnit>,
    values: UnitValues,
    units: &[OrgUnit],
    year: i32,
    errors: &FormErrors,
) -> UnitFormPage {
    let lang = ctx.lang;
    let mut form = FormBuilder::new(lang, errors);
    let symbol = form.field(
        Field::text(lang, "symbol", "org-unit-symbol", values.symbol)
            .hint(lang, "org-unit-symbol-hint"),
    );
    let name = form.field(Field::text(lang, "name", "org-unit-name", values.name));
    let options = parent_options(
        lang,
        year,
        units,
        unit.as_ref().map(|u| u.id),
        &values.parent_id,
    );
    let parent_id = form.field(
        Field::text(lang, "parent_id", "org-unit-parent", values.parent_id)
            .optional()
            .select(options),
    );
    let valid_from_year = form.field(
        Field::text(
            lang,
            "valid_from_year",
            "org-unit-valid-from",
            values.valid_from_year,
        )
        .kind("number")
        .hint(lang, "org-unit-valid-from-hint"),
    );
    let valid_to_year = form.field(
        Field::text(
            lang,
            "valid_to_year",
            "org-unit-valid-to",
            values.valid_to_year,
        )
        .kind("number")
        .optional()
        .hint(lang, "org-unit-valid-to-hint"),
    );
    let error_summary = form.summary();
    UnitFormPage {
        ctx,
        unit,
        symbol,
        name,
        parent_id,
        valid_from_year,
        valid_to_year,
        error_summary,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
) -> AppResult<UnitFormPage> {
    require_office_wide(&user, Permission::ManageOrg)?;
    let units = store::units(&state.db).await?;
    let values = UnitValues {
        symbol: String::new(),
        name: String::new(),
        parent_id: String::new(),
        valid_from_year: state.clock.year().to_string(),
        valid_to_year: String::new(),
    };
    Ok(unit_form(
        ctx,
        None,
        values,
        &units,
        state.clock.year(),
        &FormErrors::new(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    require_office_wide(&user, Permission::ManageOrg)?;
    // Checked against the tree read under the lock, so two saves cannot both pass.
    let mut tx = state.db.begin().await?;
    let units = store::lock_units(&mut tx).await?;
    let form = UnitForm {
        pairs: &pairs,
        editing: None,
        units: &units,
    };
    let errors = match UnitData::try_from(form) {
        Ok(data) => match store::create_unit(&mut tx, &visitor.actor(), &data).await {
            Ok(_) => {
                tx.commit().await?;
                return Ok(redirect_with_flash(
                    "/staff/org",
                    "org-unit-created",
                    state.config.behind_tls(),
                ));
            }
            Err(e) => on_unique(e, UnitForm::UNIQUE)?,
        },
        Err(errors) => errors,
    };
    let page = unit_form(
        ctx,
        None,
        UnitValues::typed(&pairs),
        &units,
        state.clock.year(),
        &errors,
    );
    Ok(form::respond(&errors, page))
}

pub async fn edit(
    State(state): State<AppState>,
    Staff(user, _): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<UnitFormPage> {
    require_office_wide(&user, Permission::ManageOrg)?;
    let unit = store::unit(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let units = store::units(&state.db).await?;
    let values = UnitValues::of(&unit);
    Ok(unit_form(
        ctx,
        Some(unit),
        values,
        &units,
        state.clock.year(),
        &FormErrors::new(),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Staff(user, visitor): Staff,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    require_office_wide(&user, Permission::ManageOrg)?;
    let before = store::unit(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let saved = || redirect_with_flash("/staff/org", "org-unit-saved", state.config.behind_tls());
    // Checked against the tree read under the lock, so two saves cannot both pass.
    let mut tx = state.db.begin().await?;
    let units = store::lock_units(&mut tx).await?;
    let form = UnitForm {
        pairs: &pairs,
        editing: Some(id),
        units: &units,
    };
    let errors = match UnitData::try_from(form) {
        Ok(data) if data == unit_data(&before) => return Ok(saved()),
        Ok(data) => match store::update_unit(&mut tx, &visitor.actor(), &before, &data).await {
            Ok(()) => {
                tx.commit().await?;
                return Ok(saved());
            }
            Err(e) => on_unique(e, UnitForm::UNIQUE)?,
        },
        Err(errors) => errors,
    };
    let page = unit_form(
        ctx,
        Some(before),
        UnitValues::typed(&pairs),
        &units,
        state.clock.year(),
        &errors,
    );
    Ok(form::respond(&errors, page))
}

fn unit_data(unit: &OrgUnit) -> UnitData {
    UnitData {
        parent_id: unit.parent_id,
        symbol: unit.symbol.clone(),
        name: unit.name.clone(),
        valid_from_year: unit.valid_from_year,
        valid_to_year: unit.valid_to_year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, parent: Option<i64>, symbol: &str) -> OrgUnit {
        OrgUnit {
            id,
            parent_id: parent,
            symbol: symbol.to_owned(),
            name: String::new(),
            valid_from_year: 2024,
            valid_to_year: None,
        }
    }

    #[test]
    fn tree_in_order_with_depths() {
        // Sorted by symbol as the store returns them.
        let units = vec![
            unit(3, Some(1), "BOM"),
            unit(4, Some(2), "FN-I"),
            unit(2, Some(1), "FN"),
            unit(1, None, "UM"),
            unit(5, Some(3), "X"),
        ];
        let order: Vec<(&str, usize)> = tree_order(&units)
            .into_iter()
            .map(|(i, d)| (units[i].symbol.as_str(), d))
            .collect();
        assert_eq!(
            order,
            [("UM", 0), ("BOM", 1), ("X", 2), ("FN", 1), ("FN-I", 2)]
        );
    }

    #[test]
    fn broken_trees_lose_nothing() {
        // 1 → 2 → 1 is a loop; 3's parent does not exist; 4 is its own parent.
        let units = vec![
            unit(1, Some(2), "A"),
            unit(2, Some(1), "B"),
            unit(3, Some(99), "C"),
            unit(4, Some(4), "D"),
        ];
        let mut shown: Vec<usize> = tree_order(&units).into_iter().map(|(i, _)| i).collect();
        shown.sort_unstable();
        assert_eq!(shown, [0, 1, 2, 3]);
    }

    #[test]
    fn nested_list_markup_is_balanced() {
        let (before, after) = nested_list_tags(&[0, 1, 2, 1, 0, 1]);
        assert_eq!(
            before,
            [
                "",
                "<ul>",
                "<ul>",
                "</li></ul></li>",
                "</li></ul></li>",
                "<ul>"
            ]
        );
        assert_eq!(after, "</li></ul></li>");
        let html = format!(
            "<ul>{}</ul>",
            before
                .iter()
                .map(|b| format!("{b}<li>x"))
                .collect::<String>()
                + &after
        );
        assert_eq!(html.matches("<ul>").count(), html.matches("</ul>").count());
        assert_eq!(html.matches("<li>").count(), html.matches("</li>").count());
        assert_eq!(nested_list_tags(&[]), (Vec::new(), String::new()));
        assert_eq!(nested_list_tags(&[0, 0]).0, ["", "</li>"]);
    }
}
