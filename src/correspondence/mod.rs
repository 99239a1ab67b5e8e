//! The correspondence register: incoming and outgoing items from every channel,
//! with their attachments.

use axum::Router;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}
