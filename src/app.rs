//! The application: shared state, the route table, the middleware stack and the server
//! with graceful shutdown. A request passes, outside in: panic catcher → request id and
//! tracing → metrics → security headers → timeout → visitor (language, session) →
//! error pages → body limit → the route's permission → CSRF → the capability's handler.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Extension, FromRef, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use subtle::ConstantTimeEq;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::api_keys::service::{KeyLimits, KeySecret};
use crate::applications::rations::FilingRations;
use crate::auth::scope::UnitTreeCache;
use crate::auth::session::Visitor;
use crate::auth::throttle::LoginThrottle;
use crate::bip::index::BipIndex;
use crate::config::Config;
use crate::db::Db;
use crate::mailer::Mailer;
use crate::org::public::PublicOfficeCache;
use crate::platform::Clock;
use crate::residents::LinkThrottle;
use crate::service_cards::catalogue::CatalogueCache;
use crate::web::client_address::in_any;
use crate::web::refusals::{self, Refusals};
use crate::web::routes::{Access, RouteInfo, Routes};
use crate::web::{error_pages, security_headers, static_files};

/// What every capability shares: the database, the clock, the configuration and the
/// mailer. A capability's own state (the login throttle, the resident links' rations,
/// the filing rations, the public office cache) is held here only to be handed out: handlers reach it as
/// `State<…>` through the `FromRef` implementations below, never through a field.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The office's clock (the same one the database handle reads).
    pub clock: Clock,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// Mail owed by committed transactions, sent until the mail server takes it.
    pub outbox: crate::platform::outbox::Outbox,
    /// Refused requests that name nobody, counted per minute (`web::refusals`).
    pub refusals: Arc<Refusals>,
    login_throttle: Arc<LoginThrottle>,
    resident_links: Arc<LinkThrottle>,
    resident_app_rations: Arc<crate::residents::AppRations>,
    filing_rations: Arc<FilingRations>,
    public_office: PublicOfficeCache,
    catalogue: CatalogueCache,
    unit_tree: UnitTreeCache,
    jrwa_classes: crate::cases::jrwa::RegistrableClasses,
    ticket_rations: Arc<crate::service_point::rations::TicketRations>,
    live_points: crate::service_point::live::LiveSnapshots,
    rating_rations: Arc<crate::satisfaction::RatingRations>,
    survey_rations: Arc<crate::surveys::SurveyRations>,
    key_secret: KeySecret,
    key_limits: Arc<KeyLimits>,
    bip_index: BipIndex,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> Self {
        // The configuration was validated, so this only fails on a bug; mail then goes
        // to the log rather than nowhere.
        let mailer = Mailer::from_config(&config).unwrap_or_else(|e| {
            tracing::error!(error = %e, "mail transport unusable; mail goes to the log");
            Mailer::Log {
                from: config.mail_from.clone(),
            }
        });
        // The handle carries the clock (`cli::connect` sets it from the configuration;
        // a test sets its own), so the state and every store read the same one.
        let clock = db.clock().clone();
        let login_throttle = Arc::new(LoginThrottle::new(&config));
        let filing_rations = Arc::new(FilingRations::new(&config));
        let ticket_rations = Arc::new(crate::service_point::rations::TicketRations::new(&config));
        let public_office = PublicOfficeCache::new(db.clone());
        let outbox = crate::platform::outbox::Outbox::new(db.clone(), mailer.clone()).with(
            crate::cases::settlement_mail::PURPOSE,
            crate::cases::settlement_mail::composer(&db, &public_office, &config),
        );
        Self {
            mailer,
            outbox,
            clock,
            public_office,
            catalogue: CatalogueCache::new(db.clone()),
            unit_tree: UnitTreeCache::default(),
            jrwa_classes: crate::cases::jrwa::RegistrableClasses::default(),
            bip_index: BipIndex::new(db.clone()),
            db,
            config: Arc::new(config),
            login_throttle,
            resident_links: Arc::new(LinkThrottle::default()),
            resident_app_rations: Arc::default(),
            filing_rations,
            refusals: Arc::new(Refusals::default()),
            ticket_rations,
            live_points: crate::service_point::live::LiveSnapshots::default(),
            rating_rations: Arc::default(),
            survey_rations: Arc::default(),
            key_secret: KeySecret::default(),
            key_limits: Arc::new(KeyLimits::default()),
        }
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

impl FromRef<AppState> for Clock {
    fn from_ref(state: &AppState) -> Self {
        state.clock.clone()
    }
}

impl FromRef<AppState> for Arc<Config> {
    fn from_ref(state: &AppState) -> Self {
        state.config.clone()
    }
}

impl FromRef<AppState> for Mailer {
    fn from_ref(state: &AppState) -> Self {
        state.mailer.clone()
    }
}

impl FromRef<AppState> for Arc<LoginThrottle> {
    fn from_ref(state: &AppState) -> Self {
        state.login_throttle.clone()
    }
}

impl FromRef<AppState> for Arc<LinkThrottle> {
    fn from_ref(state: &AppState) -> Self {
        state.resident_links.clone()
    }
}

impl FromRef<AppState> for Arc<crate::residents::AppRations> {
    fn from_ref(state: &AppState) -> Self {
        state.resident_app_rations.clone()
    }
}

impl FromRef<AppState> for Arc<crate::satisfaction::RatingRations> {
    fn from_ref(state: &AppState) -> Self {
        state.rating_rations.clone()
    }
}

impl FromRef<AppState> for Arc<crate::surveys::SurveyRations> {
    fn from_ref(state: &AppState) -> Self {
        state.survey_rations.clone()
    }
}

impl FromRef<AppState> for Arc<FilingRations> {
    fn from_ref(state: &AppState) -> Self {
        state.filing_rations.clone()
    }
}

impl FromRef<AppState> for Arc<crate::service_point::rations::TicketRations> {
    fn from_ref(state: &AppState) -> Self {
        state.ticket_rations.clone()
    }
}

impl FromRef<AppState> for crate::service_point::live::LiveSnapshots {
    fn from_ref(state: &AppState) -> Self {
        state.live_points.clone()
    }
}

impl FromRef<AppState> for PublicOfficeCache {
    fn from_ref(state: &AppState) -> Self {
        state.public_office.clone()
    }
}

impl FromRef<AppState> for UnitTreeCache {
    fn from_ref(state: &AppState) -> Self {
        state.unit_tree.clone()
    }
}

impl FromRef<AppState> for crate::cases::jrwa::RegistrableClasses {
    fn from_ref(state: &AppState) -> Self {
        state.jrwa_classes.clone()
    }
}

impl FromRef<AppState> for CatalogueCache {
    fn from_ref(state: &AppState) -> Self {
        state.catalogue.clone()
    }
}

impl FromRef<AppState> for KeySecret {
    fn from_ref(state: &AppState) -> Self {
        state.key_secret.clone()
    }
}

impl FromRef<AppState> for Arc<KeyLimits> {
    fn from_ref(state: &AppState) -> Self {
        state.key_limits.clone()
    }
}

impl FromRef<AppState> for BipIndex {
    fn from_ref(state: &AppState) -> Self {
        state.bip_index.clone()
    }
}

/// Every route, capability by capability, each declared once with the permission it
/// needs (`web::routes`). Body limits are per surface: the site's forms and uploads,
/// the API's JSON.
fn routes(site_max_body: usize, api_max_body: usize) -> Routes {
    Routes::site()
        .merge(crate::home::routes())
        .merge(crate::auth::routes())
        .merge(crate::org::routes())
        .merge(crate::audit::routes())
        .merge(crate::service_cards::routes())
        .merge(crate::applications::routes())
        .merge(crate::cases::routes())
        .merge(crate::case_documents::routes())
        .merge(crate::correspondence::routes())
        .merge(crate::residents::routes())
        .merge(crate::service_point::routes())
        .merge(crate::bip::routes())
        .merge(crate::appeals::routes())
        .merge(crate::satisfaction::routes())
        .merge(crate::api_keys::routes())
        .merge(crate::problem_reports::routes())
        .merge(crate::pwa::routes())
        .merge(crate::archive::routes())
        .merge(crate::news::routes())
        .merge(crate::fediverse::routes())
        .merge(crate::surveys::routes())
        .merge(crate::rodo::routes())
        .layer(RequestBodyLimitLayer::new(site_max_body))
        // The extractors' own 2 MB default would cut file uploads short; the layer
        // above is the one limit.
        .layer(DefaultBodyLimit::max(site_max_body))
        .get("/static/{name}", Access::Public, static_files::serve)
        .merge(crate::api::routes(api_max_body))
        .merge(crate::problem_reports::open311::routes(api_max_body))
        .get("/health/live", Access::Public, || async { "ok" })
        .get("/health/ready", Access::Public, ready)
        .get("/metrics", Access::Public, metrics)
}

/// The list of every route the router serves, as declared (the access matrix and the
/// CSRF sweep of the tests walk it).
pub fn route_table() -> Vec<RouteInfo> {
    routes(0, 0).into_parts().1
}

/// The router: the route table under the middleware stack.
pub fn router(state: AppState) -> Router {
    metrics_handle();
    let x_request_id = HeaderName::from_static("x-request-id");
    let (routes, _) = routes(state.config.max_body_bytes, state.config.api_max_body()).into_parts();

    routes
        .fallback(|| async { crate::web::error::AppError::NotFound })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error_pages::error_pages,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::session::visitor_middleware,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers::security_headers,
        ))
        .layer(middleware::from_fn(track_metrics))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
        .layer(middleware::from_fn(
            crate::web::request_id::drop_unfit_request_id,
        ))
        .layer(CatchPanicLayer::new())
        .with_state(state)
}

async fn ready(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// The process-wide Prometheus recorder (a process can install only one).
pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed");
        }
        handle
    })
}

/// The metrics, for the office's monitoring only: from an address in `metrics_allow`
/// (by default the loopback), or with `Authorization: Bearer <metrics_token>` from
/// anywhere. Anyone else gets 404, as for a page that does not exist. An address is
/// believed only when it is the client's: a request that came through a proxy not
/// named in `trusted_proxies` (forwarding headers from an untrusted peer) needs the
/// token, or every visitor behind a proxy on the same machine would count as local.
async fn metrics(
    State(config): State<Arc<Config>>,
    Extension(visitor): Extension<Visitor>,
    headers: HeaderMap,
) -> Result<String, crate::web::error::AppError> {
    let by_token = config.metrics_token.as_deref().is_some_and(|token| {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| given.as_bytes().ct_eq(token.as_bytes()).into())
    });
    let by_address = !visitor.forwarding_ignored
        && visitor
            .ip
            .as_deref()
            .and_then(|ip| ip.parse().ok())
            .is_some_and(|ip| in_any(&config.metrics_allow, ip));
    if by_token || by_address {
        Ok(metrics_handle().render())
    } else {
        Err(crate::web::error::AppError::NotFound)
    }
}

/// Counts requests and their duration by route template (not the raw path, which
/// would make one series per case number).
async fn track_metrics(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().to_string();
    let start = Instant::now();
    let response = next.run(request).await;
    let labels = [
        ("method", method),
        ("route", route),
        ("status", response.status().as_u16().to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    response
}

/// Serves until Ctrl-C or SIGTERM, then lets running requests finish.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    metrics_handle();
    let db = state.db.clone();
    let events = db.events().clone();
    let refusals = state.refusals.clone();
    refusals::spawn_flush(db.clone(), refusals.clone(), state.clock.clone());
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        // Open event streams end now; the shutdown would otherwise wait for them.
        events.close();
    })
    .await?;
    // The running minute's refusal counts, before they are lost with the process.
    if let Err(e) = refusals::flush_all(&db, &refusals).await {
        tracing::error!(error = %e, "could not audit counted refusals");
    }
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing requests in flight");
}
