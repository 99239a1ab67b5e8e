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

use crate::auth::policy::Permission;
use crate::web::routes::{Access, Routes};

pub fn routes() -> Routes {
    let manage_users = Access::Staff(Permission::ManageUsers);
    Routes::site()
        .get("/login", Access::Public, login::login_page)
        .post("/login", Access::Public, login::login_submit)
        .post("/logout", Access::Public, login::logout)
        .get("/staff/users", manage_users, admin::list)
        .post("/staff/users", manage_users, admin::create)
        .get("/staff/users/new", manage_users, admin::new_form)
        .get("/staff/users/export", manage_users, admin::export)
        .get("/staff/users/{id}", manage_users, admin::edit)
        .post("/staff/users/{id}", manage_users, admin::update)
        .post("/staff/users/{id}/active", manage_users, admin::set_active)
}
