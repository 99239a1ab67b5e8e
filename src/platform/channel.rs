//! How a letter, an application or a case reached the office: one list for the
//! correspondence register and the case register, so that a case registered from an
//! incoming item keeps the item's channel unchanged (migration 0012 joined the two lists).

use std::fmt;

use serde::Serialize;

/// The channel of receipt, stored as its [`Channel::as_str`] spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Brought to the office in person: at the counter (kancelaria, BOM), or said and
    /// written down there (do protokołu, KPA art. 63 § 1).
    Counter,
    /// A paper letter by post.
    Post,
    Email,
    /// ePUAP electronic inbox (ESP).
    Epuap,
    /// e-Doręczenia (ustawa z 18 listopada 2020 o doręczeniach elektronicznych).
    Edoreczenia,
    /// The office's own e-service forms.
    Eservice,
}

/// A stored channel that is none of [`Channel::ALL`]: the row is refused, not read as
/// some default channel.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel {0:?}")]
pub struct UnknownChannel(pub String);

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Counter,
        Channel::Post,
        Channel::Email,
        Channel::Epuap,
        Channel::Edoreczenia,
        Channel::Eservice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Counter => "counter",
            Channel::Post => "post",
            Channel::Email => "email",
            Channel::Epuap => "epuap",
            Channel::Edoreczenia => "edoreczenia",
            Channel::Eservice => "eservice",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The Fluent id of the channel's name (locales/*/core.ftl).
    pub fn label_key(self) -> String {
        format!("channel-{}", self.as_str())
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rows decode their `channel` column through this (`#[sqlx(try_from = "String")]`).
impl TryFrom<String> for Channel {
    type Error = UnknownChannel;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or(UnknownChannel(value))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_reads_back_and_nothing_else_does() {
        for channel in Channel::ALL {
            assert_eq!(Channel::try_from(channel.as_str().to_owned()), Ok(channel));
        }
        for stored in ["", "paper", "in_person", "e_service", "Post", "fax"] {
            assert_eq!(
                Channel::try_from(stored.to_owned()),
                Err(UnknownChannel(stored.to_owned()))
            );
        }
    }
}
