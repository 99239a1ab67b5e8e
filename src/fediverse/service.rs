//! What the office does on the Fediverse: its actor document and outbox built from
//! its announcements, the inbox (signed `Follow` and `Undo` taken, anything unsigned
//! or badly signed refused before anything is stored), and the delivery of `Accept`
//! and `Create` activities, signed, with retries.
//!
//! The announcements come from one function, [`announcements`]: today the BIP's
//! section „Ogłoszenia i obwieszczenia” (`bip::service::announcements`); the portal's
//! news can take its place there without touching the rest.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderName, Method, header};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::client::{Client, ClientError, Target};
use super::keys::{self, SigningKey};
use super::store::{self, Attempt, Follower};
use crate::config::Config;
use crate::db::audit::{Actor, Change};
use crate::db::{Db, UtcTime};
use crate::platform::jobs::{Job, Report, Schedule};
use magistrat_domain::fediverse::{
    self as rules, REQUIRED_POST_HEADERS, SignatureError, SignatureHeader,
};

/// The media type of ActivityPub documents.
pub const ACTIVITY_JSON: &str = "application/activity+json";

/// Items on one page of the outbox.
pub const PAGE_SIZE: usize = 20;

/// How long a remote signer's key is used from the cache before it is fetched again.
const KEY_CACHE: SignedDuration = SignedDuration::from_hours(24);

/// How long a claimed delivery is held by the server attempting it.
const LEASE: SignedDuration = SignedDuration::from_mins(5);

/// The job that announces and delivers.
pub const JOB: &str = "fediverse_delivery";

/// What the capability needs from the configuration, with the site's address.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The site's address without a trailing slash: ids are built on it.
    pub base: String,
    /// The account's name (`urzad` in `acct:urzad@host`).
    pub account: String,
    pub client: Client,
    /// Attempts of one delivery before it is given up.
    pub max_attempts: u32,
}

impl Settings {
    /// For a request: `public_url`, or else `fallback` (the request's own address).
    pub fn new(config: &Config, fallback: String) -> Self {
        Self {
            base: config
                .public_url
                .as_deref()
                .map_or(fallback, |u| u.trim_end_matches('/').to_owned()),
            account: config.fediverse_account.clone(),
            client: Client {
                allow_private: config.fediverse_allow_private,
            },
            max_attempts: config.fediverse_delivery_attempts,
        }
    }

    /// For the job (no request): `public_url`, or else the listening address.
    pub fn for_job(config: &Config) -> Self {
        Self::new(config, format!("http://{}", config.listen))
    }

    pub fn actor_id(&self) -> String {
        format!("{}/fediverse", self.base)
    }

    pub fn key_id(&self) -> String {
        format!("{}/fediverse#main-key", self.base)
    }

    /// The host of `acct:account@host`: the site's address without its scheme.
    pub fn host(&self) -> &str {
        self.base
            .split_once("://")
            .map_or(self.base.as_str(), |(_, rest)| rest)
    }

    fn note_id(&self, publication: i64) -> String {
        format!("{}/fediverse/notes/{publication}", self.base)
    }
}

/// Why a step failed.
#[derive(Debug, thiserror::Error)]
pub enum FediverseError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Key(#[from] keys::KeyError),
    #[error("BIP: {0}")]
    Bip(String),
    #[error("key generation stopped: {0}")]
    Join(String),
}

/// The office's key pair: read, or made and stored on first need (by `serve` at start,
/// `magistrat fediverse key`, or the first request that needs it). Returns the public
/// PEM and the signing key.
pub async fn ensure_key(db: &Db) -> Result<(String, SigningKey), FediverseError> {
    if let Some((public, private)) = store::key(db).await? {
        return Ok((public, SigningKey::from_pem(&private)?));
    }
    let (public, private) = tokio::task::spawn_blocking(keys::generate)
        .await
        .map_err(|e| FediverseError::Join(e.to_string()))??;
    let mut tx = db.begin().await?;
    store::insert_key(&mut tx, &Actor::system("fediverse"), &public, &private).await?;
    tx.commit().await?;
    // Another server may have stored its own first: the stored one is the key.
    let (public, private) = store::key(db)
        .await?
        .ok_or_else(|| FediverseError::Bip("the key was not stored".into()))?;
    Ok((public, SigningKey::from_pem(&private)?))
}

/// One announcement as the Fediverse sees it.
#[derive(Clone, Debug)]
pub struct Announcement {
    /// The publication's id (the Note's id is built on it).
    pub id: i64,
    pub title: String,
    /// Plain text, shortened.
    pub summary: String,
    /// Where people read it whole, on this site.
    pub path: String,
    /// When it was first made available.
    pub published: UtcTime,
}

/// The office's announcements at `now`, newest first: the one source of the outbox
/// and of deliveries (today the BIP's announcements section).
pub async fn announcements(db: &Db, now: UtcTime) -> Result<Vec<Announcement>, FediverseError> {
    let items = crate::bip::service::announcements(db, now)
        .await
        .map_err(|e| FediverseError::Bip(e.to_string()))?;
    Ok(items
        .into_iter()
        .map(|i| Announcement {
            id: i.id,
            summary: magistrat_domain::bip::summary(&i.body_html, 400),
            title: i.title,
            path: format!("/bip/publikacje/{}", i.id),
            published: i.first_available_at,
        })
        .collect())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rfc3339(t: UtcTime) -> String {
    t.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The `Note` of an announcement (public, addressed to the followers too).
pub fn note(settings: &Settings, a: &Announcement) -> Value {
    let url = format!("{}{}", settings.base, a.path);
    let content = format!(
        "<p><strong>{}</strong></p><p>{}</p><p><a href=\"{}\">{}</a></p>",
        escape(&a.title),
        escape(&a.summary),
        escape(&url),
        escape(&url)
    );
    json!({
        "id": settings.note_id(a.id),
        "type": "Note",
        "attributedTo": settings.actor_id(),
        "name": a.title,
        "content": content,
        "url": url,
        "published": rfc3339(a.published),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [format!("{}/fediverse/followers", settings.base)],
    })
}

/// The `Create` of an announcement's `Note`.
pub fn create(settings: &Settings, a: &Announcement) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activity", settings.note_id(a.id)),
        "type": "Create",
        "actor": settings.actor_id(),
        "published": rfc3339(a.published),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [format!("{}/fediverse/followers", settings.base)],
        "object": note(settings, a),
    })
}

/// The actor document: an `Organization` with its inbox, outbox, followers and key.
pub fn actor(settings: &Settings, office: &str, summary: &str, public_pem: &str) -> Value {
    let id = settings.actor_id();
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id,
        "type": "Organization",
        "preferredUsername": settings.account,
        "name": office,
        "summary": format!("<p>{}</p>", escape(summary)),
        "url": id,
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "followers": format!("{id}/followers"),
        "manuallyApprovesFollowers": false,
        "discoverable": true,
        "endpoints": { "sharedInbox": format!("{id}/inbox") },
        "icon": {
            "type": "Image",
            "mediaType": "image/png",
            "url": format!("{}/static/icon-512.png", settings.base),
        },
        "publicKey": {
            "id": settings.key_id(),
            "owner": id,
            "publicKeyPem": public_pem,
        },
    })
}

/// The WebFinger answer (JRD) for the account.
pub fn webfinger(settings: &Settings) -> Value {
    let id = settings.actor_id();
    json!({
        "subject": format!("acct:{}@{}", settings.account, settings.host()),
        "aliases": [id],
        "links": [
            { "rel": "self", "type": ACTIVITY_JSON, "href": id },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": id },
        ],
    })
}

/// The outbox: the collection (`page` None) or one page (1-based) of `Create`s.
pub fn outbox(settings: &Settings, items: &[Announcement], page: Option<usize>) -> Value {
    let id = format!("{}/fediverse/outbox", settings.base);
    let pages = items.len().div_ceil(PAGE_SIZE).max(1);
    match page {
        None => json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": id,
            "type": "OrderedCollection",
            "totalItems": items.len(),
            "first": format!("{id}?page=1"),
            "last": format!("{id}?page={pages}"),
        }),
        Some(n) => {
            let ordered: Vec<Value> = items
                .iter()
                .skip((n - 1) * PAGE_SIZE)
                .take(PAGE_SIZE)
                .map(|a| create(settings, a))
                .collect();
            let mut page = json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{id}?page={n}"),
                "type": "OrderedCollectionPage",
                "partOf": id,
                "totalItems": items.len(),
                "orderedItems": ordered,
            });
            if n < pages {
                page["next"] = json!(format!("{id}?page={}", n + 1));
            }
            if n > 1 {
                page["prev"] = json!(format!("{id}?page={}", n - 1));
            }
            page
        }
    }
}

/// The followers collection: how many, never who (they follow the office, not the
/// public).
pub fn followers(settings: &Settings, count: i64) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/fediverse/followers", settings.base),
        "type": "OrderedCollection",
        "totalItems": count,
    })
}

// ---------------------------------------------------------------------------------
// Signing our requests

/// The headers of a request signed with the office's key: `Date`, `Digest` (with a
/// body), `Content-Type`/`Accept` and `Signature` over `(request-target) host date
/// [digest]`.
pub fn signed_headers(
    settings: &Settings,
    key: &SigningKey,
    method: &Method,
    target: &Target,
    body: Option<&[u8]>,
    now: Timestamp,
) -> Result<Vec<(HeaderName, String)>, keys::KeyError> {
    let date = rules::http_date(now);
    let digest = body.map(|b| rules::digest_value(&keys::sha256_base64(b)));
    let mut names = vec!["(request-target)", "host", "date"];
    if digest.is_some() {
        names.push("digest");
    }
    let mut lines = vec![
        format!(
            "(request-target): {} {}",
            method.as_str().to_ascii_lowercase(),
            target.path_and_query
        ),
        format!("host: {}", target.authority),
        format!("date: {date}"),
    ];
    if let Some(d) = &digest {
        lines.push(format!("digest: {d}"));
    }
    let signature = key.sign(lines.join("\n").as_bytes())?;
    let mut headers = vec![
        (header::DATE, date),
        (
            HeaderName::from_static("signature"),
            SignatureHeader::render(&settings.key_id(), &names, &signature),
        ),
    ];
    if let Some(d) = digest {
        headers.push((HeaderName::from_static("digest"), d));
        headers.push((header::CONTENT_TYPE, ACTIVITY_JSON.to_owned()));
    } else {
        headers.push((
            header::ACCEPT,
            format!("{ACTIVITY_JSON}, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""),
        ));
    }
    Ok(headers)
}

/// Fetches an ActivityPub document, signed (servers in "authorized fetch" mode ask it).
async fn fetch_json(
    settings: &Settings,
    key: &SigningKey,
    url: &str,
    now: Timestamp,
) -> Result<Value, String> {
    let target = Target::parse(url).map_err(|e| e.to_string())?;
    let headers = signed_headers(settings, key, &Method::GET, &target, None, now)
        .map_err(|e| e.to_string())?;
    let answer = settings
        .client
        .send(Method::GET, &target, &headers, Vec::new())
        .await
        .map_err(|e| e.to_string())?;
    if !(200..300).contains(&answer.status) {
        return Err(format!("{url} answered {}", answer.status));
    }
    serde_json::from_slice(&answer.body).map_err(|_| format!("{url} is not JSON"))
}

// ---------------------------------------------------------------------------------
// The inbox

/// Why an inbox post is refused.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// No signature, or one that breaks the rules before any key is asked: 401.
    #[error("{0}")]
    Signature(#[from] SignatureError),
    /// The signer's key cannot be had, or the signature does not verify: 401.
    #[error("{0}")]
    NotVerified(String),
    /// Signed, but not an activity we can read: 400.
    #[error("{0}")]
    BadActivity(&'static str),
    #[error(transparent)]
    Internal(#[from] FediverseError),
}

impl From<sqlx::Error> for InboxError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(e.into())
    }
}

/// What the inbox did with a verified activity.
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    /// A follower added; the id of the `Accept`'s delivery.
    Followed(Option<i64>),
    /// A follower gone (or one we did not have).
    Unfollowed,
    /// Verified and not something the office acts on.
    Ignored,
}

/// The parts of a request the inbox checks.
pub struct Posted<'a> {
    pub method: &'a Method,
    pub path_and_query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Takes a POST to the inbox: the signature checked (headers covered, digest, date, the
/// key fetched from the signer's actor document or the cache, the RSA signature), the
/// signer matched to the activity's actor, then `Follow` or `Undo` of a follow acted
/// on. Nothing is stored for a refused post.
pub async fn receive(
    db: &Db,
    settings: &Settings,
    posted: &Posted<'_>,
) -> Result<Received, InboxError> {
    let now = db.clock().now();
    let signature = SignatureHeader::parse(
        header_text(posted.headers, "signature").ok_or(SignatureError::Malformed)?,
    )?;
    rules::check_covered(&signature, &REQUIRED_POST_HEADERS)?;
    rules::digest_matches(
        header_text(posted.headers, "digest").ok_or(SignatureError::Digest)?,
        &keys::sha256_base64(posted.body),
    )?;
    let date = rules::parse_http_date(
        header_text(posted.headers, "date").ok_or(SignatureError::BadDate)?,
    )?;
    rules::date_in_window(date, now.0)?;
    let signing_string = rules::signing_string(
        &signature.headers,
        posted.method.as_str(),
        posted.path_and_query,
        |name| header_text(posted.headers, name),
    )?;
    let (_, our_key) = ensure_key(db).await?;
    let owner = verified_owner(db, settings, &our_key, &signature, &signing_string).await?;

    let activity: Value = serde_json::from_slice(posted.body)
        .map_err(|_| InboxError::BadActivity("the body is not JSON"))?;
    let actor = activity
        .get("actor")
        .and_then(id_of)
        .ok_or(InboxError::BadActivity("the activity names no actor"))?;
    if actor != owner {
        return Err(InboxError::NotVerified(
            "the signer is not the activity's actor".into(),
        ));
    }
    match activity.get("type").and_then(Value::as_str) {
        Some("Follow") => follow(db, settings, &our_key, &activity, &actor).await,
        Some("Undo") => undo(db, &activity, &actor).await,
        _ => Ok(Received::Ignored),
    }
}

/// An object's id: the string itself, or the object's `id`.
fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

fn host_of(url: &str) -> Option<String> {
    Target::parse(url)
        .ok()
        .map(|t| t.authority.to_ascii_lowercase())
}

/// The owner of the key that verifies the signature: the cached key first, fetched
/// again when it is old or does not verify (the signer may have a new key).
async fn verified_owner(
    db: &Db,
    settings: &Settings,
    our_key: &SigningKey,
    signature: &SignatureHeader,
    signing_string: &str,
) -> Result<String, InboxError> {
    let now = db.clock().now();
    if let Some((owner, pem, fetched_at)) = store::remote_key(db, &signature.key_id).await?
        && fetched_at.checked_add(KEY_CACHE) > now
        && keys::verify(&pem, signing_string.as_bytes(), &signature.signature).is_ok()
    {
        return Ok(owner);
    }
    let (owner, pem) = fetch_key(settings, our_key, &signature.key_id, now.0)
        .await
        .map_err(InboxError::NotVerified)?;
    keys::verify(&pem, signing_string.as_bytes(), &signature.signature)
        .map_err(|e| InboxError::NotVerified(e.to_string()))?;
    store::save_remote_key(db, &signature.key_id, &owner, &pem).await?;
    Ok(owner)
}

/// The key named `key_id` and its owner, from the document at its URL (an actor with
/// `publicKey`, or the key itself). The owner must be on the key's own host.
async fn fetch_key(
    settings: &Settings,
    our_key: &SigningKey,
    key_id: &str,
    now: Timestamp,
) -> Result<(String, String), String> {
    let document = fetch_json(settings, our_key, key_id, now).await?;
    let candidates: Vec<&Value> = match document.get("publicKey") {
        Some(Value::Array(keys)) => keys.iter().collect(),
        Some(key) => vec![key],
        None => vec![&document],
    };
    let key = candidates
        .into_iter()
        .find(|k| k.get("id").and_then(Value::as_str) == Some(key_id))
        .ok_or("the document does not hold the key")?;
    let owner = key
        .get("owner")
        .and_then(Value::as_str)
        .or_else(|| document.get("id").and_then(Value::as_str))
        .ok_or("the key names no owner")?;
    let pem = key
        .get("publicKeyPem")
        .and_then(Value::as_str)
        .ok_or("the key has no publicKeyPem")?;
    if host_of(owner).is_none() || host_of(owner) != host_of(key_id) {
        return Err("the key's owner is on another host".into());
    }
    keys::read_public(pem).map_err(|e| e.to_string())?;
    Ok((owner.to_owned(), pem.to_owned()))
}

async fn follow(
    db: &Db,
    settings: &Settings,
    our_key: &SigningKey,
    activity: &Value,
    actor: &str,
) -> Result<Received, InboxError> {
    let object = activity.get("object").and_then(id_of);
    if object.as_deref() != Some(settings.actor_id().as_str()) {
        return Ok(Received::Ignored);
    }
    let follow_id = activity
        .get("id")
        .and_then(Value::as_str)
        .ok_or(InboxError::BadActivity("the Follow has no id"))?;
    let document = fetch_json(settings, our_key, actor, db.clock().now().0)
        .await
        .map_err(InboxError::NotVerified)?;
    if document.get("id").and_then(Value::as_str) != Some(actor) {
        return Err(InboxError::NotVerified(
            "the actor document is not the actor's".into(),
        ));
    }
    let same_host = |url: &&str| host_of(url).is_some() && host_of(url) == host_of(actor);
    let inbox = document
        .get("inbox")
        .and_then(Value::as_str)
        .filter(same_host)
        .ok_or(InboxError::BadActivity(
            "the follower has no inbox on its host",
        ))?;
    let shared_inbox = document
        .pointer("/endpoints/sharedInbox")
        .and_then(Value::as_str)
        .filter(same_host);
    let follower = Follower {
        actor: actor.to_owned(),
        inbox: inbox.to_owned(),
        shared_inbox: shared_inbox.map(str::to_owned),
        follow_id: follow_id.to_owned(),
    };
    let accept_id = format!(
        "{}#accepts/{}",
        settings.actor_id(),
        &keys::sha256_base64(follow_id.as_bytes())
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(22)
            .collect::<String>()
    );
    let accept = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": accept_id,
        "type": "Accept",
        "actor": settings.actor_id(),
        "object": activity,
    });
    let mut tx = db.begin().await?;
    let by = Actor::system(&format!("fediverse:{actor}"));
    store::add_follower(&mut tx, &by, &follower).await?;
    let delivery =
        store::enqueue(&mut tx, &accept_id, "accept", inbox, &accept.to_string()).await?;
    tx.commit().await?;
    Ok(Received::Followed(delivery))
}

async fn undo(db: &Db, activity: &Value, actor: &str) -> Result<Received, InboxError> {
    let Some(object) = activity.get("object") else {
        return Err(InboxError::BadActivity("the Undo has no object"));
    };
    // The undone object: an embedded Follow by the same actor, or the id of one.
    let is_follow = match object {
        Value::Object(o) => {
            o.get("type").and_then(Value::as_str) == Some("Follow")
                && o.get("actor").and_then(id_of).as_deref() == Some(actor)
        }
        Value::String(_) => true,
        _ => false,
    };
    if !is_follow {
        return Ok(Received::Ignored);
    }
    let mut tx = db.begin().await?;
    store::remove_follower(
        &mut tx,
        &Actor::system(&format!("fediverse:{actor}")),
        actor,
    )
    .await?;
    tx.commit().await?;
    Ok(Received::Unfollowed)
}

// ---------------------------------------------------------------------------------
// Delivery

/// Turns every announcement not yet announced into a `Create` queued for every
/// follower's (shared) inbox; each announcement once, whichever server runs it. The
/// number announced.
pub async fn announce_new(db: &Db, settings: &Settings) -> Result<usize, FediverseError> {
    let now = db.clock().now();
    let done = store::published_ids(db).await?;
    let mut announced = 0;
    for a in announcements(db, now).await? {
        if done.contains(&a.id) {
            continue;
        }
        let activity = create(settings, &a);
        let activity_id = format!("{}/activity", settings.note_id(a.id));
        let mut tx = db.begin().await?;
        if !store::mark_published(&mut tx, a.id, &activity_id).await? {
            continue;
        }
        let body = activity.to_string();
        // Those who followed before it was made available: a newer follower reads
        // older announcements in the outbox.
        for inbox in store::delivery_targets(&mut tx, a.published).await? {
            store::enqueue(&mut tx, &activity_id, "create", &inbox, &body).await?;
        }
        tx.commit().await?;
        announced += 1;
    }
    Ok(announced)
}

/// What the deliveries of one run came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Delivered {
    pub delivered: u32,
    pub retrying: u32,
    pub gave_up: u32,
}

/// Attempts one delivery, if it is due and no one else has it. `None` when it was not
/// claimed.
pub async fn deliver(
    db: &Db,
    settings: &Settings,
    key: &SigningKey,
    id: i64,
) -> Result<Option<Attempt>, FediverseError> {
    let now = db.clock().now();
    let Some(delivery) = store::claim(db, id, now, now.checked_add(LEASE)).await? else {
        return Ok(None);
    };
    let outcome = match post(
        settings,
        key,
        &delivery.inbox,
        delivery.body.as_bytes(),
        now.0,
    )
    .await
    {
        Ok(()) => Attempt::Delivered,
        Err((error, permanent)) => {
            let attempts = u32::try_from(delivery.attempts).unwrap_or(u32::MAX);
            if permanent || attempts >= settings.max_attempts {
                Attempt::GaveUp { error }
            } else {
                let pause = SignedDuration::from_mins(rules::retry_after_minutes(attempts));
                Attempt::Retry {
                    at: now.checked_add(pause),
                    error,
                }
            }
        }
    };
    store::record_attempt(db, delivery.id, &outcome).await?;
    match &outcome {
        Attempt::Delivered => {
            tracing::info!(activity = %delivery.activity_id, inbox = %delivery.inbox, "delivered");
        }
        Attempt::Retry { error, .. } | Attempt::GaveUp { error } => {
            tracing::warn!(activity = %delivery.activity_id, inbox = %delivery.inbox, %error, "delivery failed");
        }
    }
    Ok(Some(outcome))
}

/// POSTs a signed activity; the error and whether it is final (a 4xx other than 408
/// and 429: the inbox will not take it however often it is sent).
async fn post(
    settings: &Settings,
    key: &SigningKey,
    inbox: &str,
    body: &[u8],
    now: Timestamp,
) -> Result<(), (String, bool)> {
    let target = Target::parse(inbox).map_err(|e| (e.to_string(), true))?;
    let headers = signed_headers(settings, key, &Method::POST, &target, Some(body), now)
        .map_err(|e| (e.to_string(), false))?;
    match settings
        .client
        .send(Method::POST, &target, &headers, body.to_vec())
        .await
    {
        Ok(answer) if (200..300).contains(&answer.status) => Ok(()),
        Ok(answer) => {
            let permanent =
                (400..500).contains(&answer.status) && answer.status != 408 && answer.status != 429;
            Err((format!("the inbox answered {}", answer.status), permanent))
        }
        Err(e @ (ClientError::Insecure | ClientError::NotPublic | ClientError::Url(_))) => {
            Err((e.to_string(), true))
        }
        Err(e) => Err((e.to_string(), false)),
    }
}

/// Attempts every due delivery (at most `limit` per run).
pub async fn deliver_due(
    db: &Db,
    settings: &Settings,
    limit: i64,
) -> Result<Delivered, FediverseError> {
    let ids = store::due(db, db.clock().now(), limit).await?;
    let mut counts = Delivered::default();
    if ids.is_empty() {
        return Ok(counts);
    }
    let (_, key) = ensure_key(db).await?;
    for id in ids {
        match deliver(db, settings, &key, id).await? {
            Some(Attempt::Delivered) => counts.delivered += 1,
            Some(Attempt::Retry { .. }) => counts.retrying += 1,
            Some(Attempt::GaveUp { .. }) => counts.gave_up += 1,
            None => {}
        }
    }
    Ok(counts)
}

/// Delivers an `Accept` at once, outside the request (the follower's server shows the
/// follow as pending until it comes); the job picks it up if this fails.
pub fn deliver_soon(db: Db, settings: Settings, id: i64) {
    tokio::spawn(async move {
        let result = async {
            let (_, key) = ensure_key(&db).await?;
            deliver(&db, &settings, &key, id).await
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, delivery = id, "immediate delivery failed; the job will retry");
        }
    });
}

/// The job: every minute, announce what is new and attempt what is due (on one server
/// per minute). Runs that did something are audited with their counts.
pub fn job(config: &Config) -> Job {
    let settings = Settings::for_job(config);
    Job::new(JOB, Schedule::EveryMinutes(1), move |db, _period| {
        let settings = settings.clone();
        async move {
            let announced = announce_new(&db, &settings).await?;
            let counts = deliver_due(&db, &settings, 200).await?;
            let detail = json!({
                "announced": announced,
                "delivered": counts.delivered,
                "retrying": counts.retrying,
                "gave_up": counts.gave_up,
            });
            let changed = announced > 0 || counts != Delivered::default();
            Ok(Report {
                detail: detail.clone(),
                audit: changed.then(|| {
                    (
                        Actor::system("fediverse"),
                        Change::action("deliver", "fediverse_delivery", JOB).with_after(&detail),
                    )
                }),
            })
        }
    })
}

/// How long `serve` waits before making the key, so the start stays fast.
pub const KEY_AT_START_DELAY: Duration = Duration::from_secs(2);
