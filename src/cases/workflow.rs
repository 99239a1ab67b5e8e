//! The life of a case as a state machine, pure. A case is registered, assigned to an
//! official, worked on (and possibly suspended, KPA art. 97–98, and resumed), settled
//! and closed (the file completed, instrukcja kancelaryjna). Before it is settled it
//! may leave this office's hands: transferred to another unit (registered anew there)
//! or forwarded to the competent body (KPA art. 65), which ends it here.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Registered,
    Assigned,
    InProgress,
    Suspended,
    Settled,
    Closed,
    Transferred,
    Forwarded,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Registered,
        Status::Assigned,
        Status::InProgress,
        Status::Suspended,
        Status::Settled,
        Status::Closed,
        Status::Transferred,
        Status::Forwarded,
    ];

    /// Still to be dealt with here (its deadline runs or is suspended).
    pub const OPEN: [Status; 4] = [
        Status::Registered,
        Status::Assigned,
        Status::InProgress,
        Status::Suspended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Assigned => "assigned",
            Status::InProgress => "in_progress",
            Status::Suspended => "suspended",
            Status::Settled => "settled",
            Status::Closed => "closed",
            Status::Transferred => "transferred",
            Status::Forwarded => "forwarded",
        }
    }

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// The Fluent id of the status's name (pages, the API and the residents' list all
    /// name a status through it).
    pub fn label_id(self) -> &'static str {
        match self {
            Status::Registered => "case-status-registered",
            Status::Assigned => "case-status-assigned",
            Status::InProgress => "case-status-in-progress",
            Status::Suspended => "case-status-suspended",
            Status::Settled => "case-status-settled",
            Status::Closed => "case-status-closed",
            Status::Transferred => "case-status-transferred",
            Status::Forwarded => "case-status-forwarded",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL.into_iter().find(|x| x.as_str() == s).ok_or(())
    }
}

/// A stored status that is none of [`Status::ALL`]: the row is refused, not read as a
/// registered case.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown case status {0:?}")]
pub struct UnknownStatus(pub String);

/// Rows decode their `status` column through this (`#[sqlx(try_from = "String")]`).
impl TryFrom<String> for Status {
    type Error = UnknownStatus;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse().map_err(|()| UnknownStatus(value))
    }
}

/// A step an official takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Assign,
    Start,
    Suspend,
    Resume,
    Settle,
    Close,
    Transfer,
    Forward,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Assign,
        Action::Start,
        Action::Suspend,
        Action::Resume,
        Action::Settle,
        Action::Close,
        Action::Transfer,
        Action::Forward,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Assign => "assign",
            Action::Start => "start",
            Action::Suspend => "suspend",
            Action::Resume => "resume",
            Action::Settle => "settle",
            Action::Close => "close",
            Action::Transfer => "transfer",
            Action::Forward => "forward",
        }
    }

    /// Only a head of unit (AssignCases) may take it.
    pub fn needs_manager(self) -> bool {
        matches!(self, Action::Assign)
    }
}

impl FromStr for Action {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL.into_iter().find(|x| x.as_str() == s).ok_or(())
    }
}

/// The status after `action` on a case in `from`, or `None` when the step is not
/// allowed there. Reassigning keeps the status of a case already being worked on.
pub fn next(from: Status, action: Action) -> Option<Status> {
    use Action as A;
    use Status as S;
    match (from, action) {
        (S::Registered | S::Assigned, A::Assign) => Some(S::Assigned),
        (S::InProgress | S::Suspended, A::Assign) => Some(from),
        (S::Assigned, A::Start) => Some(S::InProgress),
        (S::InProgress, A::Suspend) => Some(S::Suspended),
        (S::Suspended, A::Resume) => Some(S::InProgress),
        (S::InProgress, A::Settle) => Some(S::Settled),
        (S::Settled, A::Close) => Some(S::Closed),
        (S::Registered | S::Assigned | S::InProgress, A::Transfer) => Some(S::Transferred),
        (S::Registered | S::Assigned | S::InProgress, A::Forward) => Some(S::Forwarded),
        _ => None,
    }
}

/// The steps open from `from`, in a stable order (for the case page's forms).
pub fn allowed(from: Status) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| next(from, *a).is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Status as S;

    #[test]
    fn every_status_has_its_own_label() {
        for status in Status::ALL {
            let id = status.label_id();
            assert_eq!(
                id,
                format!("case-status-{}", status.as_str().replace('_', "-"))
            );
        }
    }

    /// Every allowed step; everything not listed is forbidden.
    const ALLOWED: &[(Status, Action, Status)] = &[
        (S::Registered, A::Assign, S::Assigned),
        (S::Registered, A::Transfer, S::Transferred),
        (S::Registered, A::Forward, S::Forwarded),
        (S::Assigned, A::Assign, S::Assigned),
        (S::Assigned, A::Start, S::InProgress),
        (S::Assigned, A::Transfer, S::Transferred),
        (S::Assigned, A::Forward, S::Forwarded),
        (S::InProgress, A::Assign, S::InProgress),
        (S::InProgress, A::Suspend, S::Suspended),
        (S::InProgress, A::Settle, S::Settled),
        (S::InProgress, A::Transfer, S::Transferred),
        (S::InProgress, A::Forward, S::Forwarded),
        (S::Suspended, A::Assign, S::Suspended),
        (S::Suspended, A::Resume, S::InProgress),
        (S::Settled, A::Close, S::Closed),
    ];

    #[test]
    fn the_whole_transition_table() {
        for from in Status::ALL {
            for action in Action::ALL {
                let expected = ALLOWED
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(next(from, action), expected, "{from} --{action:?}-->");
            }
        }
    }

    #[test]
    fn ended_cases_take_no_step() {
        for end in [S::Closed, S::Transferred, S::Forwarded] {
            assert!(allowed(end).is_empty(), "{end}");
            assert!(!end.is_open());
        }
        assert_eq!(allowed(S::Settled), [A::Close]);
    }

    #[test]
    fn the_usual_path_reaches_closed() {
        let mut s = S::Registered;
        for a in [
            A::Assign,
            A::Start,
            A::Suspend,
            A::Resume,
            A::Settle,
            A::Close,
        ] {
            s = next(s, a).unwrap_or_else(|| panic!("{a:?} from {s}"));
        }
        assert_eq!(s, S::Closed);
    }

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>(), Ok(s));
        }
        for a in Action::ALL {
            assert_eq!(a.as_str().parse::<Action>(), Ok(a));
        }
        assert!("deleted".parse::<Status>().is_err());
    }
}
