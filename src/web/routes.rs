//! The route table: every route is declared once, with what it needs to be used, and the
//! same declaration both builds the router and lists the routes (`app::route_table`),
//! so the access matrix and the CSRF sweep in the tests walk exactly what is served.
//!
//! A route's [`Access`] is checked by a route layer *before* anything reads the request
//! body: a staff member without the permission gets 403 (recorded as `access.denied`
//! by `error_pages`) however malformed their form is, and an anonymous visitor is sent
//! to the login page. Handlers still narrow the check to the record's org unit; the
//! layer is the floor, not the whole of it. On the HTML site every state-changing route
//! then checks the CSRF token (`web::csrf`), inside the permission layer, so a refused
//! post is never even buffered.

use std::future::Future;
use std::pin::Pin;

use axum::Router;
use axum::extract::Request;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};

use crate::app::AppState;
use crate::auth::policy::Permission;
use crate::auth::session::Visitor;
use crate::web::csrf;
use crate::web::error::AppError;

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, anonymous visitors included (public pages, the API, the resident's own
    /// pages, which check the resident's cookie themselves).
    Public,
    /// A signed-in staff member holding the permission in some unit.
    Staff(Permission),
}

/// One route as declared: method, path template (axum syntax) and its access.
#[derive(Clone, Debug)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// Whether the CSRF check guards it (state-changing routes of the HTML site).
    pub csrf: bool,
}

/// A capability's routes: the router and the list, built together.
pub struct Routes {
    router: Router<AppState>,
    list: Vec<RouteInfo>,
    /// The HTML site (cookies: posts need the CSRF check) or the JSON API (no cookies).
    site: bool,
}

impl Routes {
    /// Routes of the HTML site: their posts carry the CSRF check.
    pub fn site() -> Self {
        Self {
            router: Router::new(),
            list: Vec::new(),
            site: true,
        }
    }

    /// Routes of the JSON API: it takes no cookies and so needs no CSRF check.
    pub fn api() -> Self {
        Self {
            site: false,
            ..Self::site()
        }
    }

    pub fn get<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, access, get(handler))
    }

    pub fn post<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, access, post(handler))
    }

    fn add(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        endpoint: MethodRouter<AppState>,
    ) -> Self {
        let csrf = self.site && method == Method::POST;
        // Innermost: control characters in the query or a form body are refused once
        // for every route (decision 0022), after the permission and CSRF checks.
        let mut endpoint = endpoint.route_layer(middleware::from_fn(
            crate::platform::input::refuse_control_characters,
        ));
        if csrf {
            endpoint = endpoint.route_layer(middleware::from_fn(csrf::verify_csrf));
        }
        // Added last, so it runs first: no body is read for someone refused here.
        if let Access::Staff(permission) = access {
            endpoint =
                endpoint.route_layer(middleware::from_fn(move |request: Request, next: Next| {
                    require(permission, request, next)
                }));
        }
        // A second method on a path merges into the first one's method router.
        self.router = self.router.route(path, endpoint);
        self.list.push(RouteInfo {
            method,
            path,
            access,
            csrf,
        });
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }

    /// A layer over every route declared so far (as `Router::layer`).
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as tower::Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as tower::Service<Request>>::Error: Into<std::convert::Infallible> + 'static,
        <L::Service as tower::Service<Request>>::Future: Send + 'static,
    {
        self.router = self.router.layer(layer);
        self
    }

    pub fn list(&self) -> &[RouteInfo] {
        &self.list
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteInfo>) {
        (self.router, self.list)
    }
}

/// The permission check of one route: a staff member holding `permission` somewhere
/// passes; anyone else gets the refusal before the handler (and its body) runs.
fn require(
    permission: Permission,
    request: Request,
    next: Next,
) -> Pin<Box<dyn Future<Output = Response> + Send>> {
    let verdict = match request.extensions().get::<Visitor>() {
        Some(visitor) => visitor.staff().and_then(|user| user.require(permission)),
        None => Err(AppError::Internal(anyhow::anyhow!(
            "visitor middleware missing"
        ))),
    };
    Box::pin(async move {
        match verdict {
            Ok(()) => next.run(request).await,
            Err(refusal) => refusal.into_response(),
        }
    })
}
