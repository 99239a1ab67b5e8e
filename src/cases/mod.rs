//! The JRWA classification, the case register (spis spraw) with znak sprawy,
//! deadlines and the case workflow.

use axum::Router;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}
