//! The test application: a fresh, demo-seeded database per test on SQLite (a temp file)
//! or PostgreSQL (a fresh database), the real router, and a tiny browser: a cookie jar
//! and helpers that fill in the CSRF token the way a form would.
//!
//! PostgreSQL tests run when the server answers at `MAGISTRAT_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and are skipped with a notice when it
//! does not; with `MAGISTRAT_REQUIRE_POSTGRES=1` (set by CI) they fail instead.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Mutex;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use magistrat::app::{self, AppState};
use magistrat::config::Config;
use magistrat::db::{Db, Pool};
use magistrat::platform::Clock;
use tower::ServiceExt;

pub const PASSWORD: &str = "Test-Borowiec-2026!";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates, for each async test function `name(app: TestApp)`, a module `name` with
/// one test per backend: `name::sqlite` and `name::postgres`. With `spawn = path;`
/// first, the app comes from `path(backend)` (an `async fn(Backend) -> Option<TestApp>`
/// beside the tests, e.g. one that sets the clock; named from inside the generated
/// module, so `super::name`) instead of [`TestApp::spawn`].
#[macro_export]
macro_rules! backend_tests {
    (spawn = $spawn:path; $($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    if let Some(app) = $spawn($crate::helpers::Backend::Sqlite).await {
                        super::$name(app).await;
                    }
                }
                #[tokio::test]
                async fn postgres() {
                    if let Some(app) = $spawn($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
    ($($name:ident),* $(,)?) => {
        $crate::backend_tests!(spawn = $crate::helpers::TestApp::spawn; $($name),*);
    };
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub db: Db,
    pub backend: Backend,
    pub database_url: String,
    jar: Mutex<BTreeMap<String, String>>,
    /// The socket address requests come from (as `serve` gives it through
    /// `ConnectInfo`): the loopback unless a test moves it with [`TestApp::set_peer`].
    peer: Mutex<SocketAddr>,
    // Last: the pool above is closed before the database is dropped.
    _scratch: ScratchDatabase,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The value of the first hidden `_csrf` field on the page.
    pub fn csrf_field(&self) -> Option<String> {
        let marker = "name=\"_csrf\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_owned())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

pub fn pg_admin_url() -> String {
    std::env::var("MAGISTRAT_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub fn pg_required() -> bool {
    std::env::var("MAGISTRAT_REQUIRE_POSTGRES").is_ok_and(|v| v == "1" || v == "true")
}

fn random_suffix() -> String {
    magistrat::auth::secret::random_token()[..16].to_owned()
}

pub fn test_config(database_url: &str) -> Config {
    Config {
        database_url: database_url.to_owned(),
        database_max_connections: 5,
        ..Config::default()
    }
}

impl TestApp {
    /// A demo-seeded app on `backend`, or `None` when PostgreSQL is not reachable and
    /// not required.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// A demo-seeded app whose office clock reads `moment` (RFC 3339) at the start and
    /// runs on from there, as `MAGISTRAT_CLOCK` sets it; the demo is seeded relative to
    /// that day. Move it with `app.clock().advance(…)`.
    pub async fn spawn_with_clock(backend: Backend, moment: &str) -> Option<TestApp> {
        let moment: jiff::Timestamp = moment.parse().unwrap();
        Self::spawn_with(backend, |c| c.clock = Some(moment)).await
    }

    /// A demo-seeded app on `backend` with its configuration adjusted; the database
    /// handle reads the clock the configuration asks for, as `magistrat serve` does.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let scratch = ScratchDatabase::create(backend).await?;
        let url = scratch.url.clone();
        let mut config = test_config(&url);
        adjust(&mut config);
        let db = Db::connect(&url, config.database_max_connections)
            .await
            .unwrap()
            .with_clock(config.clock());
        db.migrate().await.unwrap();
        magistrat::demo::seed(&db, PASSWORD).await.unwrap();
        let state = AppState::new(db.clone(), config);
        Some(TestApp {
            router: app::router(state.clone()),
            state,
            db,
            backend,
            database_url: url,
            jar: Mutex::new(BTreeMap::new()),
            peer: Mutex::new(SocketAddr::from(([127, 0, 0, 1], 40_000))),
            _scratch: scratch,
        })
    }

    /// The office's clock of this app (shared by the state and the database handle).
    pub fn clock(&self) -> &Clock {
        &self.state.clock
    }

    /// Requests from now on come from the socket address `ip` (port 40000).
    pub fn set_peer(&self, ip: &str) {
        *self.peer.lock().unwrap() = SocketAddr::new(ip.parse().unwrap(), 40_000);
    }

    /// Sends a request as the browser: with the jar's cookies, storing the ones set,
    /// from the current peer address.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let (mut parts, body) = request.into_parts();
        if parts.extensions.get::<ConnectInfo<SocketAddr>>().is_none() {
            let peer = *self.peer.lock().unwrap();
            parts.extensions.insert(ConnectInfo(peer));
        }
        let cookies = self.cookie_header();
        if !cookies.is_empty() && !parts.headers.contains_key(header::COOKIE) {
            parts
                .headers
                .insert(header::COOKIE, cookies.parse().unwrap());
        }
        let response = self
            .router
            .clone()
            .oneshot(Request::from_parts(parts, body))
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let mut jar = self.jar.lock().unwrap();
                if value.is_empty() || text.contains("Max-Age=0") {
                    jar.remove(name);
                } else {
                    jar.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.jar
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.jar
            .lock()
            .unwrap()
            .insert(name.to_owned(), value.to_owned());
    }

    pub fn clear_cookies(&self) {
        self.jar.lock().unwrap().clear();
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn request(&self, method: Method, path: &str) -> TestResponse {
        self.send(
            Request::builder()
                .method(method)
                .uri(path)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// Posts a URL-encoded form exactly as given (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts a `multipart/form-data` form exactly as given: text fields, then files as
    /// `(field, file name, content type, bytes)`. No token is added.
    pub async fn post_multipart_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> TestResponse {
        const BOUNDARY: &str = "magistrat-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, file_name, content_type, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts a multipart form (with files) carrying the CSRF token first, as a page's
    /// upload form does.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> TestResponse {
        let token = self.csrf_token().await;
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_multipart_raw(path, &all, files).await
    }

    /// Posts a form with the CSRF token a page would carry.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let token = self.csrf_token().await;
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// The token the current visitor's forms carry, as a browser would have it: from
    /// the sign-out form of a staff page when signed in, else from the login form.
    pub async fn csrf_token(&self) -> String {
        if self.cookie("magistrat_session").is_some()
            && let Some(token) = self.get("/staff").await.csrf_field()
        {
            return token;
        }
        self.get("/login").await.csrf_field().unwrap_or_default()
    }

    pub async fn login_with(&self, login: &str, password: &str) -> TestResponse {
        let token = self.csrf_token().await;
        self.post_raw(
            "/login",
            &[("_csrf", &token), ("login", login), ("password", password)],
        )
        .await
    }

    /// Signs in a demo account; panics unless it works.
    pub async fn login(&self, login: &str) {
        let response = self.login_with(login, PASSWORD).await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "login {login} failed: {}",
            response.body
        );
    }

    pub async fn logout(&self) {
        let token = self.get("/staff").await.csrf_field().unwrap_or_default();
        self.post_raw("/logout", &[("_csrf", &token)]).await;
    }

    /// Runs one SQL statement (test set-up and tampering).
    pub async fn exec(&self, sql: &str) {
        match &self.db.pool {
            Pool::Sqlite(p) => {
                sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                    .execute(p)
                    .await
                    .unwrap();
            }
            Pool::Postgres(p) => {
                sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                    .execute(p)
                    .await
                    .unwrap();
            }
        }
    }

    pub async fn count(&self, sql: &str) -> i64 {
        match &self.db.pool {
            Pool::Sqlite(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(p)
                .await
                .unwrap(),
            Pool::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(p)
                .await
                .unwrap(),
        }
    }

    /// The text in the first column of the first row.
    pub async fn scalar_text(&self, sql: &str) -> String {
        match &self.db.pool {
            Pool::Sqlite(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(p)
                .await
                .unwrap(),
            Pool::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(p)
                .await
                .unwrap(),
        }
    }

    /// The text in the first column of every row.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        match &self.db.pool {
            Pool::Sqlite(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_all(p)
                .await
                .unwrap(),
            Pool::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_all(p)
                .await
                .unwrap(),
        }
    }

    /// An instant in the past in the backend's text form, for ageing sessions.
    pub fn long_ago(&self) -> &'static str {
        "2020-01-01T00:00:00.000000Z"
    }
}

/// An empty database of its own: a SQLite file in a temp directory, or a fresh
/// PostgreSQL database dropped again with the value.
pub struct ScratchDatabase {
    pub url: String,
    /// The SQLite file's directory; for PostgreSQL an empty one, a place to work in.
    pub dir: tempfile::TempDir,
    pg_database: Option<String>,
}

impl ScratchDatabase {
    /// `None` when PostgreSQL is not reachable and not required (with a notice).
    pub async fn create(backend: Backend) -> Option<ScratchDatabase> {
        let dir = tempfile::tempdir().unwrap();
        if backend == Backend::Sqlite {
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            return Some(ScratchDatabase {
                url,
                dir,
                pg_database: None,
            });
        }
        let admin = match Db::connect(&pg_admin_url(), 1).await {
            Ok(db) => db,
            Err(e) if !pg_required() => {
                eprintln!("NOTICE: PostgreSQL not reachable ({e}); PostgreSQL test skipped");
                return None;
            }
            Err(e) => {
                panic!("PostgreSQL is required (MAGISTRAT_REQUIRE_POSTGRES) but not reachable: {e}")
            }
        };
        let name = format!("mt_{}", random_suffix());
        let Pool::Postgres(pool) = &admin.pool else {
            unreachable!()
        };
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(pool)
            .await
            .unwrap();
        admin.close().await;
        let base = pg_admin_url();
        let url = match base.rsplit_once('/') {
            Some((prefix, _)) => format!("{prefix}/{name}"),
            None => panic!("bad MAGISTRAT_TEST_PG"),
        };
        Some(ScratchDatabase {
            url,
            dir,
            pg_database: Some(name),
        })
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let Some(name) = self.pg_database.take() else {
            return;
        };
        // Drop runs outside async; clean up the database on a thread of its own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(Pool::Postgres(pool)) =
                    Db::connect(&pg_admin_url(), 1).await.map(|db| db.pool)
                {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await;
                }
            });
        })
        .join();
    }
}
