//! The application: shared state, the route table, the middleware stack and the server
//! with graceful shutdown. A request passes, outside in: panic catcher → request id and
//! tracing → metrics → security headers → timeout → visitor (language, session) →
//! error pages → body limit → CSRF → the capability's handler.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::sync::RwLock;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::throttle::LoginThrottle;
use crate::config::Config;
use crate::db::Db;
use crate::mailer::Mailer;
use crate::org::store::{self as org_store, Location, Office, OpeningHours};
use crate::platform::Clock;
use crate::web::refusals::{self, Refusals};
use crate::web::{csrf, error_pages, security_headers, static_files};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The office's clock (the same one the database handle reads).
    pub clock: Clock,
    pub config: Arc<Config>,
    pub login_throttle: Arc<LoginThrottle>,
    /// Sign-in links residents may ask for, per recipient and per client.
    pub resident_links: Arc<crate::residents::LinkThrottle>,
    pub mailer: Mailer,
    /// Refused requests that name nobody, counted per minute (`web::refusals`).
    pub refusals: Arc<Refusals>,
    public_office: Arc<RwLock<Option<Cached<PublicOffice>>>>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> Self {
        let per_minute = config.login_attempts_per_minute;
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
        Self {
            mailer,
            clock,
            db,
            config: Arc::new(config),
            login_throttle: Arc::new(LoginThrottle::new(per_minute, Duration::from_secs(60))),
            resident_links: Arc::new(crate::residents::LinkThrottle::default()),
            refusals: Arc::new(Refusals::default()),
            public_office: Arc::new(RwLock::new(None)),
        }
    }

    /// The office's name for page headers.
    pub async fn office_name(&self) -> String {
        self.public_office()
            .await
            .office
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "Magistrat".to_owned())
    }

    /// The office, its locations and opening hours: read on every public page, changed
    /// a few times a year. Cached for a minute (another app server's edit shows up
    /// within that time; this server's own edits at once, see `forget_public_office`).
    /// A failed read is not cached, so a database hiccup does not stick.
    pub async fn public_office(&self) -> Arc<PublicOffice> {
        if let Some((at, office)) = self.public_office.read().await.as_ref()
            && at.elapsed() < Duration::from_secs(60)
        {
            return office.clone();
        }
        match PublicOffice::load(&self.db).await {
            Ok(office) => {
                let office = Arc::new(office);
                *self.public_office.write().await = Some((Instant::now(), office.clone()));
                office
            }
            Err(e) => {
                tracing::error!(error = %e, "loading the office failed");
                Arc::new(PublicOffice::default())
            }
        }
    }

    pub async fn forget_public_office(&self) {
        *self.public_office.write().await = None;
    }
}

/// A value read from the database, and when.
type Cached<T> = (Instant, Arc<T>);

/// What the public pages show of the office.
#[derive(Debug, Default)]
pub struct PublicOffice {
    pub office: Option<Office>,
    pub locations: Vec<Location>,
    pub hours: Vec<OpeningHours>,
}

impl PublicOffice {
    async fn load(db: &Db) -> Result<Self, sqlx::Error> {
        Ok(Self {
            office: org_store::office(db).await?,
            locations: org_store::locations(db).await?,
            hours: org_store::opening_hours(db).await?,
        })
    }
}

/// The whole route table, capability by capability.
pub fn router(state: AppState) -> Router {
    metrics_handle();
    let x_request_id = HeaderName::from_static("x-request-id");
    let max_body = state.config.max_body_bytes;

    let site = Router::new()
        .merge(crate::home::router())
        .merge(crate::auth::router())
        .merge(crate::org::router())
        .merge(crate::audit::router())
        .merge(crate::service_cards::router())
        .merge(crate::applications::router())
        .merge(crate::cases::router())
        .merge(crate::correspondence::router())
        .merge(crate::residents::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            csrf::verify_csrf,
        ))
        .layer(RequestBodyLimitLayer::new(max_body))
        // The extractors' own 2 MB default would cut file uploads short; the layer
        // above is the one limit.
        .layer(DefaultBodyLimit::max(max_body))
        .route("/static/{name}", get(static_files::serve));

    Router::new()
        .merge(site)
        // The JSON API takes no cookies and so needs no CSRF check.
        .merge(crate::api::router(state.config.api_max_body()))
        .route("/health/live", get(|| async { "ok" }))
        .route("/health/ready", get(ready))
        .route("/metrics", get(metrics))
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

async fn metrics() -> String {
    metrics_handle().render()
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
