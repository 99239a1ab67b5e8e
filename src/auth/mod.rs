//! Identity and access: staff accounts, sessions, login, roles and the permission
//! policy, and account administration.

pub mod admin;
pub mod login;
pub mod policy;
pub mod scope;
pub mod secret;
pub mod session;
pub mod throttle;
pub mod users;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::login_page).post(login::login_submit))
        .route("/logout", post(login::logout))
        .route("/staff/users", get(admin::list).post(admin::create))
        .route("/staff/users/new", get(admin::new_form))
        .route("/staff/users/{id}", get(admin::edit).post(admin::update))
        .route("/staff/users/{id}/active", post(admin::set_active))
}
