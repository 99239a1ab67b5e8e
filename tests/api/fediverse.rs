//! The office on the Fediverse (src/fediverse): WebFinger, the actor, the outbox, and a
//! whole follow played against a remote server that the test runs on 127.0.0.1 (its
//! actor document with its public key, its inboxes recording what they receive): the
//! signed Follow accepted, the Accept and the Create of a new announcement delivered
//! with signatures the test checks on its own, Undo, retries and giving up, and posts
//! unsigned or badly signed refused with nothing stored. Nothing leaves the machine.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use jiff::SignedDuration;
use magistrat::platform::jobs::Period;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::sha2::{Digest, Sha256};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, TestResponse};

const BASE: &str = "http://urzad.borowiec.test";
const HOST: &str = "urzad.borowiec.test";
const ACTOR: &str = "http://urzad.borowiec.test/fediverse";

backend_tests!(
    spawn = super::spawn;
    webfinger_answers_for_the_account_alone,
    the_actor_outbox_and_followers_have_their_shapes,
    a_remote_follow_is_accepted_and_gets_new_announcements_signed,
    unsigned_or_badly_signed_posts_are_refused_and_nothing_is_stored,
    failed_deliveries_are_retried_later_and_given_up,
);

async fn spawn(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, |c| {
        c.public_url = Some(BASE.to_owned());
        c.fediverse_allow_private = true;
        c.fediverse_delivery_attempts = 2;
    })
    .await
}

/// What the remote server's inboxes received.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    headers: HeaderMap,
    body: Bytes,
}

/// A remote Fediverse server on 127.0.0.1 with one actor, `ala`.
struct Remote {
    base: String,
    private_pem: String,
    received: Arc<Mutex<Vec<Received>>>,
    /// The status its inboxes answer.
    answer: Arc<Mutex<StatusCode>>,
}

#[derive(Clone)]
struct RemoteState {
    actor: Value,
    received: Arc<Mutex<Vec<Received>>>,
    answer: Arc<Mutex<StatusCode>>,
}

async fn record(
    State(state): State<RemoteState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    state.received.lock().unwrap().push(Received {
        path: uri.path().to_owned(),
        headers,
        body,
    });
    *state.answer.lock().unwrap()
}

impl Remote {
    async fn start() -> Remote {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (public_pem, private_pem) = magistrat::fediverse::keys::generate().unwrap();
        let actor = format!("{base}/users/ala");
        let document = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor,
            "type": "Person",
            "preferredUsername": "ala",
            "inbox": format!("{actor}/inbox"),
            "outbox": format!("{actor}/outbox"),
            "endpoints": { "sharedInbox": format!("{base}/inbox") },
            "publicKey": { "id": format!("{actor}#main-key"), "owner": actor, "publicKeyPem": public_pem },
        });
        let received = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(Mutex::new(StatusCode::ACCEPTED));
        let state = RemoteState {
            actor: document,
            received: received.clone(),
            answer: answer.clone(),
        };
        let router = axum::Router::new()
            .route(
                "/users/ala",
                get(|State(s): State<RemoteState>| async move {
                    (
                        [(header::CONTENT_TYPE, "application/activity+json")],
                        s.actor.to_string(),
                    )
                }),
            )
            .route("/users/ala/inbox", post(record))
            .route("/inbox", post(record))
            .with_state(state);
        tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Remote {
            base,
            private_pem,
            received,
            answer,
        }
    }

    fn actor(&self) -> String {
        format!("{}/users/ala", self.base)
    }

    fn key_id(&self) -> String {
        format!("{}/users/ala#main-key", self.base)
    }

    /// Waits (at most 20 s) until the inboxes hold `n` posts; returns them.
    async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..400 {
            let got = self.received.lock().unwrap().clone();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the remote inboxes got {} posts, not {n}",
            self.received.lock().unwrap().len()
        );
    }
}

fn sha256_b64(body: &[u8]) -> String {
    BASE64.encode(Sha256::digest(body))
}

/// A POST to the office's inbox signed by hand, as Mastodon signs:
/// `(request-target) host date digest`, rsa-sha256. `tamper` may change the request
/// after signing.
struct Signed<'a> {
    key_pem: &'a str,
    key_id: String,
    body: String,
    date: String,
    headers: &'a str,
}

impl Signed<'_> {
    fn new<'a>(remote: &'a Remote, app: &TestApp, body: &Value) -> Signed<'a> {
        Signed {
            key_pem: &remote.private_pem,
            key_id: remote.key_id(),
            body: body.to_string(),
            date: magistrat_domain::fediverse::http_date(app.clock().timestamp()),
            headers: "(request-target) host date digest",
        }
    }

    fn request(&self, sent_body: &str) -> Request<Body> {
        let digest = format!("SHA-256={}", sha256_b64(self.body.as_bytes()));
        let lines: Vec<String> = self
            .headers
            .split(' ')
            .map(|h| match h {
                "(request-target)" => "(request-target): post /fediverse/inbox".to_owned(),
                "host" => format!("host: {HOST}"),
                "date" => format!("date: {}", self.date),
                "digest" => format!("digest: {digest}"),
                other => panic!("{other}"),
            })
            .collect();
        let key = rsa::PrivateKey::from_pkcs8_pem(self.key_pem).unwrap();
        let signature = BASE64.encode(
            key.pkcs1v15_sign::<Sha256>(lines.join("\n").as_bytes())
                .unwrap(),
        );
        Request::post("/fediverse/inbox")
            .header(header::HOST, HOST)
            .header(header::DATE, &self.date)
            .header("digest", digest)
            .header(header::CONTENT_TYPE, "application/activity+json")
            .header(
                "signature",
                format!(
                    "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{signature}\"",
                    self.key_id, self.headers
                ),
            )
            .body(Body::from(sent_body.to_owned()))
            .unwrap()
    }

    async fn send(&self, app: &TestApp) -> TestResponse {
        app.send(self.request(&self.body)).await
    }
}

fn follow(remote: &Remote, n: u32) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follows/{n}", remote.actor()),
        "type": "Follow",
        "actor": remote.actor(),
        "object": ACTOR,
    })
}

async fn activity_json(app: &TestApp, path: &str) -> (TestResponse, Value) {
    let response = app
        .send(
            Request::get(path)
                .header(header::ACCEPT, "application/activity+json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let value = response.json();
    (response, value)
}

/// The office's public key, as its actor document publishes it.
async fn our_public_key(app: &TestApp) -> rsa::PublicKey {
    let (_, actor) = activity_json(app, "/fediverse").await;
    rsa::PublicKey::from_public_key_pem(actor["publicKey"]["publicKeyPem"].as_str().unwrap())
        .unwrap()
}

/// Checks, with the test's own code, that a post the remote received carries a valid
/// signature by the office: keyId, covered headers, digest of the body, RSA.
fn assert_signed_by_office(post: &Received, key: &rsa::PublicKey) {
    let signature = post.headers["signature"].to_str().unwrap();
    let param = |name: &str| {
        let start = signature.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = signature[start..].find('"').unwrap();
        signature[start..start + end].to_owned()
    };
    assert_eq!(param("keyId"), format!("{ACTOR}#main-key"));
    assert_eq!(param("algorithm"), "rsa-sha256");
    let headers = param("headers");
    assert_eq!(headers, "(request-target) host date digest");
    assert_eq!(
        post.headers["digest"].to_str().unwrap(),
        format!("SHA-256={}", sha256_b64(&post.body))
    );
    let signing_string = headers
        .split(' ')
        .map(|h| match h {
            "(request-target)" => format!("(request-target): post {}", post.path),
            name => format!("{name}: {}", post.headers[name].to_str().unwrap()),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let signature = BASE64.decode(param("signature")).unwrap();
    key.pkcs1v15_verify::<Sha256>(signing_string.as_bytes(), &signature)
        .expect("the office's signature verifies");
    assert_eq!(
        post.headers[header::CONTENT_TYPE].to_str().unwrap(),
        "application/activity+json"
    );
}

/// Runs the delivery job once, as the job runner would.
async fn run_job(app: &TestApp) {
    let job = magistrat::fediverse::service::job(&app.state.config);
    let period = Period {
        key: format!("test-{}", app.clock().timestamp()),
        starts: app.clock().now_in_warsaw(),
    };
    assert!(job.run_period(&app.db, &period).await.unwrap());
}

/// Publishes a new announcement as the BIP editor; returns its id.
async fn publish_announcement(app: &TestApp, title: &str) -> i64 {
    app.login("redaktor").await;
    let response = app
        .post_form(
            "/staff/bip/new",
            &[
                ("section", "ogloszenia"),
                ("title", title),
                ("body", "<p>Przerwa w dostawie wody na ulicy Lipowej.</p>"),
                ("produced_by", "Wydział Gospodarki Komunalnej"),
                ("produced_on", &app.clock().today().to_string()),
                ("responsible", "Jan Kowalski, Sekretarz Miasta"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let id: i64 = response
        .location()
        .trim_start_matches("/staff/bip/")
        .parse()
        .unwrap();
    let published = app
        .post_form(&format!("/staff/bip/{id}/publish"), &[("publish_at", "")])
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    app.logout().await;
    id
}

async fn webfinger_answers_for_the_account_alone(app: TestApp) {
    let found = app
        .get("/.well-known/webfinger?resource=acct:urzad@urzad.borowiec.test")
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert_eq!(found.headers[header::CONTENT_TYPE], "application/jrd+json");
    let jrd = found.json();
    assert_eq!(jrd["subject"], "acct:urzad@urzad.borowiec.test");
    let link = jrd["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "self")
        .unwrap();
    assert_eq!(link["type"], "application/activity+json");
    assert_eq!(link["href"], ACTOR);
    // Case does not matter; the actor's own URL names the account too.
    for resource in [
        "acct:Urzad@URZAD.borowiec.test",
        "http://urzad.borowiec.test/fediverse",
    ] {
        let r = app
            .get(&format!("/.well-known/webfinger?resource={resource}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{resource}");
    }
    for (resource, status) in [
        ("acct:burmistrz@urzad.borowiec.test", StatusCode::NOT_FOUND),
        ("acct:urzad@mastodon.example", StatusCode::NOT_FOUND),
        ("https://mastodon.example/users/ala", StatusCode::NOT_FOUND),
        ("urzad@urzad.borowiec.test", StatusCode::BAD_REQUEST),
        ("acct:urzad", StatusCode::BAD_REQUEST),
        (
            "acct:%3Cscript%3E@urzad.borowiec.test",
            StatusCode::BAD_REQUEST,
        ),
        ("", StatusCode::BAD_REQUEST),
    ] {
        let r = app
            .get(&format!("/.well-known/webfinger?resource={resource}"))
            .await;
        assert_eq!(r.status, status, "{resource}: {}", r.body);
        assert!(r.json()["error"]["code"].is_string(), "{resource}");
    }
    let missing = app.get("/.well-known/webfinger").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);

    // The account's name is the office's to choose.
    let other = TestApp::spawn_with(app.backend, |c| {
        c.public_url = Some(BASE.to_owned());
        c.fediverse_account = "um_borowiec".to_owned();
    })
    .await
    .unwrap();
    let r = other
        .get("/.well-known/webfinger?resource=acct:um_borowiec@urzad.borowiec.test")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["subject"], "acct:um_borowiec@urzad.borowiec.test");
    let r = other
        .get("/.well-known/webfinger?resource=acct:urzad@urzad.borowiec.test")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

async fn the_actor_outbox_and_followers_have_their_shapes(app: TestApp) {
    let (response, actor) = activity_json(&app, "/fediverse").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.headers[header::CONTENT_TYPE],
        "application/activity+json"
    );
    assert_eq!(actor["id"], ACTOR);
    assert_eq!(actor["type"], "Organization");
    assert_eq!(actor["preferredUsername"], "urzad");
    assert_eq!(actor["name"], "Urząd Miejski w Borowcu");
    assert!(actor["summary"].as_str().unwrap().len() > 20);
    assert_eq!(actor["inbox"], format!("{ACTOR}/inbox"));
    assert_eq!(actor["outbox"], format!("{ACTOR}/outbox"));
    assert_eq!(actor["followers"], format!("{ACTOR}/followers"));
    assert_eq!(actor["icon"]["type"], "Image");
    assert_eq!(actor["publicKey"]["id"], format!("{ACTOR}#main-key"));
    assert_eq!(actor["publicKey"]["owner"], ACTOR);
    let pem = actor["publicKey"]["publicKeyPem"].as_str().unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{pem}");
    assert!(!response.body.contains("PRIVATE"));
    // The key is made once: a second read shows the same key.
    let (_, again) = activity_json(&app, "/fediverse").await;
    assert_eq!(again["publicKey"]["publicKeyPem"], pem);
    assert_eq!(app.count("SELECT COUNT(*) FROM fediverse_key").await, 1);
    // ld+json asks for the same document; a browser gets the profile page.
    let ld = app
        .send(
            Request::get("/fediverse")
                .header(
                    header::ACCEPT,
                    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(ld.json()["id"], ACTOR);
    let page = app.get("/fediverse").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.body.contains("@urzad@urzad.borowiec.test"));
    assert!(!page.body.contains("PRIVATE"));

    // The outbox: the announcements of the BIP, newest first, as Create/Note.
    let announcements = app
        .count(
            "SELECT COUNT(*) FROM bip_publication WHERE section = 'ogloszenia' AND status <> 'removed'",
        )
        .await;
    assert!(announcements > 0);
    let (response, outbox) = activity_json(&app, "/fediverse/outbox").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["id"], format!("{ACTOR}/outbox"));
    assert_eq!(outbox["totalItems"], announcements);
    assert_eq!(outbox["first"], format!("{ACTOR}/outbox?page=1"));
    let (_, page) = activity_json(&app, "/fediverse/outbox?page=1").await;
    assert_eq!(page["type"], "OrderedCollectionPage");
    assert_eq!(page["partOf"], format!("{ACTOR}/outbox"));
    let items = page["orderedItems"].as_array().unwrap();
    assert_eq!(items.len(), usize::try_from(announcements).unwrap().min(20));
    for item in items {
        assert_eq!(item["type"], "Create");
        assert_eq!(item["actor"], ACTOR);
        assert_eq!(item["object"]["type"], "Note");
        assert_eq!(item["object"]["attributedTo"], ACTOR);
        assert!(
            item["object"]["url"]
                .as_str()
                .unwrap()
                .starts_with("http://urzad.borowiec.test/bip/publikacje/")
        );
        assert!(
            item["to"]
                .as_array()
                .unwrap()
                .contains(&json!("https://www.w3.org/ns/activitystreams#Public"))
        );
    }
    let published: Vec<&str> = items
        .iter()
        .map(|i| i["published"].as_str().unwrap())
        .collect();
    let mut sorted = published.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(published, sorted, "newest first");
    // A note by its id; a browser goes to the publication.
    let note_id = items[0]["object"]["id"].as_str().unwrap();
    let note_path = note_id.trim_start_matches(BASE);
    let (response, note) = activity_json(&app, note_path).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(note["id"], note_id);
    let browser = app.get(note_path).await;
    assert_eq!(browser.status, StatusCode::SEE_OTHER);
    assert!(browser.location().starts_with("/bip/publikacje/"));
    assert_eq!(
        app.get("/fediverse/notes/999999").await.status,
        StatusCode::NOT_FOUND
    );
    // Pages that do not exist.
    assert_eq!(
        app.get("/fediverse/outbox?page=0").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/fediverse/outbox?page=999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/fediverse/outbox?page=x").await.status,
        StatusCode::BAD_REQUEST
    );
    let (_, followers) = activity_json(&app, "/fediverse/followers").await;
    assert_eq!(followers["type"], "OrderedCollection");
    assert_eq!(followers["totalItems"], 0);
    // The public footer links the profile.
    assert!(app.get("/").await.body.contains("href=\"/fediverse\""));
}

async fn a_remote_follow_is_accepted_and_gets_new_announcements_signed(app: TestApp) {
    let remote = Remote::start().await;
    let our_key = our_public_key(&app).await;
    // The job's first run: the demo's announcements are older than any follower and
    // go to no one.
    run_job(&app).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fediverse_delivery").await,
        0
    );

    let follow = follow(&remote, 1);
    let response = Signed::new(&remote, &app, &follow).send(&app).await;
    assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.body);
    let (_, followers) = activity_json(&app, "/fediverse/followers").await;
    assert_eq!(followers["totalItems"], 1);
    assert_eq!(
        app.scalar_text("SELECT shared_inbox FROM fediverse_follower")
            .await,
        format!("{}/inbox", remote.base)
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'fediverse_follower.follow'")
            .await,
        1
    );
    // The Accept comes at once, to the follower's own inbox, signed by the office.
    let got = remote.wait_for(1).await;
    let accept = &got[0];
    assert_eq!(accept.path, "/users/ala/inbox");
    assert_signed_by_office(accept, &our_key);
    let body: Value = serde_json::from_slice(&accept.body).unwrap();
    assert_eq!(body["type"], "Accept");
    assert_eq!(body["actor"], ACTOR);
    assert_eq!(body["object"]["id"], follow["id"]);
    assert_eq!(body["object"]["type"], "Follow");

    // A new announcement goes, as a Create of a Note, to the shared inbox.
    app.clock().advance(SignedDuration::from_secs(2));
    let id = publish_announcement(&app, "Przerwa w dostawie wody 8 grudnia").await;
    run_job(&app).await;
    let got = remote.wait_for(2).await;
    let create = &got[1];
    assert_eq!(create.path, "/inbox");
    assert_signed_by_office(create, &our_key);
    let body: Value = serde_json::from_slice(&create.body).unwrap();
    assert_eq!(body["type"], "Create");
    assert_eq!(body["actor"], ACTOR);
    assert_eq!(body["object"]["type"], "Note");
    assert_eq!(body["object"]["id"], format!("{ACTOR}/notes/{id}"));
    assert!(
        body["object"]["content"]
            .as_str()
            .unwrap()
            .contains("Przerwa w dostawie wody 8 grudnia")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fediverse_delivery WHERE delivered_at IS NOT NULL")
            .await,
        2
    );
    // The outbox shows it first.
    let (_, page) = activity_json(&app, "/fediverse/outbox?page=1").await;
    assert_eq!(
        page["orderedItems"][0]["object"]["id"],
        body["object"]["id"]
    );
    // Announced once: another run sends nothing more.
    run_job(&app).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(remote.received.lock().unwrap().len(), 2);

    // Undo of the Follow: the follower is gone.
    let undo = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/undo/1", remote.actor()),
        "type": "Undo",
        "actor": remote.actor(),
        "object": follow,
    });
    let response = Signed::new(&remote, &app, &undo).send(&app).await;
    assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fediverse_follower").await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'fediverse_follower.unfollow'")
            .await,
        1
    );
    // The next announcement goes to no one.
    app.clock().advance(SignedDuration::from_secs(2));
    publish_announcement(&app, "Zmiana godzin pracy urzędu").await;
    run_job(&app).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fediverse_delivery").await,
        2
    );
    // The remote's key was fetched once and is cached.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fediverse_remote_key").await,
        1
    );
}

async fn unsigned_or_badly_signed_posts_are_refused_and_nothing_is_stored(app: TestApp) {
    let remote = Remote::start().await;
    let follow = follow(&remote, 1);
    let refused = |r: &TestResponse| {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        assert!(r.json()["error"]["code"].is_string());
    };

    // No signature at all.
    let unsigned = app
        .send(
            Request::post("/fediverse/inbox")
                .header(header::CONTENT_TYPE, "application/activity+json")
                .body(Body::from(follow.to_string()))
                .unwrap(),
        )
        .await;
    refused(&unsigned);
    // A body changed after signing: the digest does not match.
    let signed = Signed::new(&remote, &app, &follow);
    let mut changed = follow.clone();
    changed["object"] = json!("http://urzad.borowiec.test/elsewhere");
    refused(&app.send(signed.request(&changed.to_string())).await);
    // Signed with a key that is not the one the actor publishes.
    let (_, stranger) = magistrat::fediverse::keys::generate().unwrap();
    let forged = Signed {
        key_pem: &stranger,
        ..Signed::new(&remote, &app, &follow)
    };
    refused(&forged.send(&app).await);
    // A date two hours old (a replay).
    let old = Signed {
        date: magistrat_domain::fediverse::http_date(
            app.clock()
                .timestamp()
                .checked_sub(SignedDuration::from_hours(2))
                .unwrap(),
        ),
        ..Signed::new(&remote, &app, &follow)
    };
    refused(&old.send(&app).await);
    // A signature that does not cover the digest.
    let partial = Signed {
        headers: "(request-target) host date",
        ..Signed::new(&remote, &app, &follow)
    };
    refused(&partial.send(&app).await);
    // A key that cannot be fetched.
    let nowhere = Signed {
        key_id: format!("{}/users/nobody#main-key", remote.base),
        ..Signed::new(&remote, &app, &follow)
    };
    refused(&nowhere.send(&app).await);
    // Signed properly by ala, but in the name of someone else.
    let mut impostor = follow.clone();
    impostor["actor"] = json!(format!("{}/users/ola", remote.base));
    refused(&Signed::new(&remote, &app, &impostor).send(&app).await);
    // A garbled signature header.
    let mut garbled = Signed::new(&remote, &app, &follow).request(&follow.to_string());
    garbled
        .headers_mut()
        .insert("signature", "keyId=nothing".parse().unwrap());
    refused(&app.send(garbled).await);

    assert_eq!(
        app.count("SELECT COUNT(*) FROM fediverse_follower").await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fediverse_delivery").await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'fediverse_follower'")
            .await,
        0
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(remote.received.lock().unwrap().is_empty());

    // Signed properly but not JSON: 400, nothing stored.
    let not_json = Signed {
        body: "hello".to_owned(),
        ..Signed::new(&remote, &app, &follow)
    };
    assert_eq!(not_json.send(&app).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM fediverse_follower").await,
        0
    );
}

async fn failed_deliveries_are_retried_later_and_given_up(app: TestApp) {
    let remote = Remote::start().await;
    *remote.answer.lock().unwrap() = StatusCode::SERVICE_UNAVAILABLE;
    let response = Signed::new(&remote, &app, &follow(&remote, 1))
        .send(&app)
        .await;
    assert_eq!(response.status, StatusCode::ACCEPTED);
    // The immediate Accept fails (503): tried again after a minute.
    remote.wait_for(1).await;
    let accept_id = app
        .count("SELECT id FROM fediverse_delivery WHERE kind = 'accept'")
        .await;
    let state = || async {
        magistrat::fediverse::store::delivery_state(&app.db, accept_id)
            .await
            .unwrap()
            .unwrap()
    };
    for _ in 0..100 {
        if state().await.3.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (attempts, delivered, gave_up, error) = state().await;
    assert_eq!((attempts, delivered, gave_up), (1, false, false));
    assert!(error.unwrap().contains("503"));
    // Not due yet: the job sends nothing.
    run_job(&app).await;
    assert_eq!(remote.received.lock().unwrap().len(), 1);
    // A minute later it is tried again and, with 2 attempts allowed, given up.
    app.clock().advance(SignedDuration::from_secs(61));
    run_job(&app).await;
    assert_eq!(remote.received.lock().unwrap().len(), 2);
    let (attempts, delivered, gave_up, _) = state().await;
    assert_eq!((attempts, delivered, gave_up), (2, false, true));
    // Given up is final.
    app.clock().advance(SignedDuration::from_hours(2));
    run_job(&app).await;
    assert_eq!(remote.received.lock().unwrap().len(), 2);
    assert!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE entity_type = 'fediverse_delivery'")
            .await
            >= 1
    );
    // A 4xx (the inbox refuses it) is given up at once.
    *remote.answer.lock().unwrap() = StatusCode::GONE;
    app.clock().advance(SignedDuration::from_secs(2));
    publish_announcement(&app, "Konsultacje społeczne budżetu").await;
    run_job(&app).await;
    assert_eq!(remote.received.lock().unwrap().len(), 3);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM fediverse_delivery WHERE kind = 'create' AND gave_up_at IS NOT NULL AND attempts = 1"
        )
        .await,
        1
    );
}
