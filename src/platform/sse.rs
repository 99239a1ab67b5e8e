//! A Server-Sent Events response for one topic of live events ([`super::events`]).
//!
//! - every event carries `id:` (its id), so a browser's `EventSource` sends it back as
//!   `Last-Event-ID` when it reconnects, and the stream resumes after it with exactly
//!   the missed events ([`LastEventId`]; also `?last_event_id=` for a first connection
//!   of a page that knows where it stands);
//! - the first message sets `retry:` (how soon a browser reconnects) and is a comment,
//!   so headers and the first bytes pass any proxy at once;
//! - a comment every `heartbeat` (15 s in production) keeps idle connections from being
//!   closed by proxies and shows a dead client to the server;
//! - the stream ends when the server shuts down ([`super::events::EventHub::close`]),
//!   so a graceful shutdown does not wait for open streams.
//!
//! A proxy in front must not buffer the response (docs/operations.md); the response
//! says so to nginx with `X-Accel-Buffering: no`.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};

use super::events::{Event, Subscription};

/// How soon a browser reconnects after the stream breaks.
pub const RETRY: Duration = Duration::from_secs(3);

/// The last event id a client saw: the `Last-Event-ID` header (sent by `EventSource` on
/// reconnection), else the `last_event_id` query parameter. Anything that is not a
/// non-negative number counts as none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LastEventId(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for LastEventId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get("last-event-id")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_id);
        let query = || {
            parts.uri.query().and_then(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == "last_event_id")
                    .and_then(|(_, v)| parse_id(&v))
            })
        };
        Ok(Self(header.or_else(query)))
    }
}

fn parse_id(text: &str) -> Option<i64> {
    text.trim().parse().ok().filter(|id: &i64| *id >= 0)
}

/// The SSE response for `subscription`: each event rendered by `data` (its JSON data;
/// `None` skips it), with its id, heartbeats every `heartbeat`.
pub fn respond<F>(subscription: Subscription, heartbeat: Duration, data: F) -> Response
where
    F: Fn(&Event) -> Option<serde_json::Value> + Send + 'static,
{
    stream_of(subscription, heartbeat, move |event| {
        data(event).map(|json| json.to_string())
    })
}

/// The SSE response for `subscription` with each event's payload as it was published.
/// The payload's text is made once per event in this process and shared by every
/// stream (a service point's boards and e-ticket pages: a thousand streams of one
/// topic), not cloned and serialised for each.
pub fn respond_with_payloads(subscription: Subscription, heartbeat: Duration) -> Response {
    stream_of(subscription, heartbeat, |event| {
        Some(event.payload_text().to_owned())
    })
}

/// The SSE response for `subscription` with each event's data made by `data`, which may
/// read (the service point's streams read the point's snapshot once per change and
/// share it, decision 0055): `Ok(None)` skips the event, `Err(())` ends the stream (the
/// client reconnects and resumes after the last event it got, so nothing is lost).
pub fn respond_with_reads<F, Fut>(
    subscription: Subscription,
    heartbeat: Duration,
    mut data: F,
) -> Response
where
    F: FnMut(Arc<Event>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Option<String>, ()>> + Send + 'static,
{
    let events = stream::unfold(subscription, |mut subscription| async move {
        subscription
            .next_shared()
            .await
            .map(|event| (event, subscription))
    })
    .then(move |event| {
        let id = event.id;
        let text = data(event);
        async move {
            text.await
                .map(|text| text.map(|text| SseEvent::default().id(id.to_string()).data(text)))
        }
    })
    .take_while(|made| std::future::ready(made.is_ok()))
    .filter_map(|made| std::future::ready(made.ok().flatten()));
    sse_response(events, heartbeat)
}

fn stream_of<F>(subscription: Subscription, heartbeat: Duration, data: F) -> Response
where
    F: Fn(&Event) -> Option<String> + Send + 'static,
{
    let events = stream::unfold(subscription, |mut subscription| async move {
        subscription
            .next_shared()
            .await
            .map(|event| (event, subscription))
    })
    .filter_map(move |event| {
        let rendered =
            data(&event).map(|text| SseEvent::default().id(event.id.to_string()).data(text));
        std::future::ready(rendered)
    });
    sse_response(events, heartbeat)
}

/// The response around a stream of events: the opening message, heartbeats, no
/// buffering by a proxy.
fn sse_response(
    events: impl futures_util::Stream<Item = SseEvent> + Send + 'static,
    heartbeat: Duration,
) -> Response {
    let opening = SseEvent::default().retry(RETRY).comment("live");
    let body = stream::once(std::future::ready(opening))
        .chain(events)
        .map(Ok::<_, Infallible>);
    let mut response = Sse::new(body)
        .keep_alive(KeepAlive::new().interval(heartbeat).text("heartbeat"))
        .into_response();
    response.headers_mut().insert(
        HeaderName::from_static("x-accel-buffering"),
        HeaderValue::from_static("no"),
    );
    response
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn last_event_ids() {
        for (text, expected) in [
            ("12", Some(12)),
            (" 12 ", Some(12)),
            ("0", Some(0)),
            ("-1", None),
            ("x", None),
            ("", None),
        ] {
            assert_eq!(parse_id(text), expected, "{text:?}");
        }
    }
}
