//! The point's live stream as boards, the status page, e-tickets and the desk's rating
//! tablet receive it (decision 0055).
//!
//! A writer announces only what changed (`store::announce`: `{"change": …}`, a few dozen
//! bytes). The snapshot of the queue is read here, by each app server that streams the
//! point, **once per change**: the first stream to meet an event newer than the kept
//! snapshot reads it again (the others of the point wait for that read and share it);
//! every stream then sends `{"change", "snapshot"}` as before, so a page renders from
//! the last event alone and a client resuming with `Last-Event-ID` shows the current
//! state. The snapshot sent is what the pages show — counts, estimates, desks, the last
//! six called — not each category's whole queue: its size does not grow with the queue.
//! An e-ticket's stream (`?ticket=A007`) gets its own place beside it (`"ticket"`:
//! people ahead and the estimate, or null once it left the queue).
//!
//! The snapshot kept is never older than the event it is sent with: it is read after
//! that event committed (SQLite hands events out after the commit; PostgreSQL notifies
//! at commit), and kept under the newest event id stored before it was read.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;

use super::service;
use super::store::{ServicePointError, Snapshot, topic};
use crate::db::Db;
use crate::platform::events::{self, Event};

/// This process's snapshots of the points it streams, each at the event id it is
/// current for. Clones share them.
#[derive(Clone, Default)]
pub struct LiveSnapshots {
    points: Arc<Mutex<HashMap<i64, PointSlot>>>,
    /// Snapshots read so far (the tests count them: one per change, not per stream).
    builds: Arc<AtomicU64>,
}

/// A point's kept snapshot, behind the lock its streams take turns at (one read per
/// change: the others wait for it).
type PointSlot = Arc<tokio::sync::Mutex<Option<Kept>>>;

/// A point's snapshot as streamed, at the event id it is current for.
struct Kept {
    version: i64,
    shown: Arc<Shown>,
    /// The figures the home page shows of it.
    board: Arc<Board>,
    /// The Warsaw day it was read on: a new day starts a new queue without an event.
    day: jiff::civil::Date,
    /// The last frame made, for the event of that id (every stream of the point sends
    /// the same one).
    frame: Option<(i64, Arc<str>)>,
}

/// What the streams send of a snapshot: its JSON text, and the place of every waiting
/// ticket for the e-tickets' streams.
struct Shown {
    json: String,
    /// Waiting ticket's label → (people ahead, estimated wait in minutes).
    places: HashMap<String, (u32, Option<u32>)>,
}

impl Shown {
    fn of(snapshot: &Snapshot) -> Self {
        let places = snapshot
            .categories
            .iter()
            .flat_map(|k| {
                k.queue.iter().enumerate().map(|(i, label)| {
                    let ahead = u32::try_from(i).unwrap_or(u32::MAX);
                    let wait = magistrat_domain::queue::estimated_wait_minutes(
                        ahead,
                        k.mean_service_minutes,
                        k.desk_share,
                    );
                    (label.clone(), (ahead, wait))
                })
            })
            .collect();
        Self {
            // The queues' labels are not serialised (`CategoryStatus::queue`).
            json: serde_json::to_string(snapshot).unwrap_or_else(|_| "null".to_owned()),
            places,
        }
    }
}

impl Kept {
    fn of(version: i64, snapshot: &Snapshot, day: jiff::civil::Date) -> Self {
        Self {
            version,
            day,
            shown: Arc::new(Shown::of(snapshot)),
            board: Arc::new(Board::of(snapshot)),
            frame: None,
        }
    }
}

/// A point's queue in a few figures, as the public home page shows it: open desks,
/// and per category the people waiting and the estimated wait.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Board {
    pub open_desks: u32,
    pub categories: Vec<BoardLine>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BoardLine {
    pub code: String,
    pub name: String,
    pub waiting: u32,
    pub open_desks: u32,
    /// For someone taking a ticket now; None when no desk serves the category.
    pub estimated_wait_minutes: Option<u32>,
}

impl Board {
    fn of(snapshot: &Snapshot) -> Self {
        Self {
            open_desks: u32::try_from(snapshot.desks.iter().filter(|d| d.state == "open").count())
                .unwrap_or(u32::MAX),
            categories: snapshot
                .categories
                .iter()
                .map(|k| BoardLine {
                    code: k.code.clone(),
                    name: k.name.clone(),
                    waiting: k.waiting,
                    open_desks: k.open_desks,
                    estimated_wait_minutes: k.estimated_wait_minutes,
                })
                .collect(),
        }
    }
}

/// One event as a stream sends it: the shared frame, and for an e-ticket's stream its
/// place.
pub struct Frame {
    text: Arc<str>,
    shown: Arc<Shown>,
}

impl Frame {
    /// The data line for a stream; `ticket` is the label an e-ticket follows.
    #[must_use]
    pub fn data(&self, ticket: Option<&str>) -> String {
        let Some(label) = ticket else {
            return self.text.to_string();
        };
        let place = match self.shown.places.get(label) {
            Some((ahead, wait)) => serde_json::json!({
                "ahead": ahead,
                "estimated_wait_minutes": wait,
            }),
            None => serde_json::Value::Null,
        };
        // `{"change":…,"snapshot":…}` → `{"change":…,"snapshot":…,"ticket":…}`.
        let body = self.text.strip_suffix('}').unwrap_or(&self.text);
        format!("{body},\"ticket\":{place}}}")
    }
}

impl LiveSnapshots {
    /// How many snapshots this process has read for its streams.
    #[must_use]
    pub fn builds(&self) -> u64 {
        self.builds.load(Ordering::SeqCst)
    }

    /// The figures of `point`'s queue as of its newest event, for the home page: the
    /// snapshot this process keeps for the point (its streams' or an earlier page's) when
    /// no event came after it — one small query for the newest event id — and read again
    /// only when one did (decision 0055's once-per-change read, shared with the streams).
    pub async fn board(
        &self,
        db: &Db,
        point: &service::Point,
    ) -> Result<Arc<Board>, ServicePointError> {
        let location_id = point.location.id;
        let newest = events::last_id(db, &topic(location_id)).await?;
        let slot = self.point(location_id);
        let mut kept = slot.lock().await;
        let today = db.clock().now_in_warsaw().date();
        if let Some(k) = kept
            .as_ref()
            .filter(|k| k.version >= newest && k.day == today)
        {
            return Ok(k.board.clone());
        }
        // `newest` was read before the snapshot: the snapshot is at least that new.
        let snapshot = service::snapshot(db, point).await?;
        self.builds.fetch_add(1, Ordering::SeqCst);
        let fresh = Kept::of(newest, &snapshot, today);
        let board = fresh.board.clone();
        *kept = Some(fresh);
        Ok(board)
    }

    fn point(&self, location_id: i64) -> PointSlot {
        self.points
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(location_id)
            .or_default()
            .clone()
    }

    /// `event` of point `location_id` as its streams send it, with the point's snapshot
    /// as of that event or later (read now if the kept one is older). `None` when the
    /// point is gone (its location deactivated, its categories removed).
    pub async fn frame(
        &self,
        db: &Db,
        location_id: i64,
        event: &Event,
    ) -> Result<Option<Frame>, ServicePointError> {
        let point = self.point(location_id);
        let mut kept = point.lock().await;
        if kept.as_ref().is_none_or(|k| k.version < event.id) {
            // The newest id first: the snapshot read after it is at least that new, so
            // the events up to it (a burst of calls) take this one read.
            let version = events::last_id(db, &topic(location_id))
                .await?
                .max(event.id);
            let place = match service::point(db, location_id).await {
                Ok(p) => p,
                Err(ServicePointError::NotFound) => return Ok(None),
                Err(e) => return Err(e),
            };
            let snapshot = service::snapshot(db, &place).await?;
            self.builds.fetch_add(1, Ordering::SeqCst);
            *kept = Some(Kept::of(
                version,
                &snapshot,
                db.clock().now_in_warsaw().date(),
            ));
        }
        let Some(kept) = kept.as_mut() else {
            return Ok(None);
        };
        let text = match &kept.frame {
            Some((id, text)) if *id == event.id => text.clone(),
            _ => {
                // Events stored before decision 0055 carried a snapshot of their own
                // beside the change: only the change is read.
                let change = event
                    .payload
                    .get("change")
                    .map_or_else(|| "null".to_owned(), ToString::to_string);
                let text: Arc<str> =
                    format!("{{\"change\":{change},\"snapshot\":{}}}", kept.shown.json).into();
                kept.frame = Some((event.id, text.clone()));
                text
            }
        };
        Ok(Some(Frame {
            text,
            shown: kept.shown.clone(),
        }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::service_point::store::{CalledLine, CategoryStatus, DeskStatus};

    fn snapshot(queue: &[&str]) -> Snapshot {
        Snapshot {
            categories: vec![CategoryStatus {
                id: 1,
                code: "A".into(),
                name: "Meldunki".into(),
                bookable: false,
                waiting: u32::try_from(queue.len()).unwrap(),
                open_desks: 1,
                estimated_wait_minutes: Some(0),
                capacity_left: Some(10),
                mean_service_minutes: 10.0,
                desk_share: 2.0,
                queue: queue.iter().map(|l| (*l).to_owned()).collect(),
            }],
            desks: vec![DeskStatus {
                id: 3,
                name: "Stanowisko 1".into(),
                state: "open".into(),
                ticket: None,
            }],
            called: vec![CalledLine {
                ticket: "A001".into(),
                desk: "Stanowisko 1".into(),
                state: "serving".into(),
            }],
        }
    }

    #[test]
    fn the_shown_snapshot_leaves_the_queues_out_and_places_each_waiting_ticket() {
        let labels: Vec<String> = (2..500).map(|n| format!("A{n:03}")).collect();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let shown = Shown::of(&snapshot(&refs));
        assert!(!shown.json.contains("A499"), "{}", shown.json);
        assert!(shown.json.contains("\"waiting\":498"), "{}", shown.json);
        assert!(shown.json.contains("A001"), "the called line stays");
        assert!(shown.json.len() < 1_000, "{} bytes", shown.json.len());
        // Ahead of A004: A002 and A003; ⌈2 × 10 ÷ 2⌉ = 10 minutes.
        assert_eq!(shown.places.get("A004"), Some(&(2, Some(10))));
        assert_eq!(shown.places.get("A001"), None);
    }

    #[test]
    fn an_e_tickets_frame_carries_its_own_place() {
        let shown = Arc::new(Shown::of(&snapshot(&["A002", "A003"])));
        let frame = Frame {
            text: format!(
                "{{\"change\":{{\"kind\":\"issued\"}},\"snapshot\":{}}}",
                shown.json
            )
            .into(),
            shown,
        };
        let board: serde_json::Value = serde_json::from_str(&frame.data(None)).unwrap();
        assert_eq!(board["change"]["kind"], "issued");
        assert!(board.get("ticket").is_none());
        let ticket: serde_json::Value = serde_json::from_str(&frame.data(Some("A003"))).unwrap();
        assert_eq!(ticket["ticket"]["ahead"], 1);
        assert_eq!(ticket["ticket"]["estimated_wait_minutes"], 5);
        assert_eq!(ticket["snapshot"]["desks"][0]["name"], "Stanowisko 1");
        let gone: serde_json::Value = serde_json::from_str(&frame.data(Some("A001"))).unwrap();
        assert_eq!(gone["ticket"], serde_json::Value::Null);
    }
}
