//! Service cards (karty usług): the office's public catalogue of matters, with
//! their e-service form definitions.

use axum::Router;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}
