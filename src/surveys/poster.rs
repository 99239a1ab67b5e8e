//! The QR poster (`/staff/surveys/{id}/poster.pdf?location=`): an A4 page with the
//! campaign's title in Polish and English, the QR code of its link (`?via=qr`, and the
//! location, so answers are counted under the poster's channel and place), the link
//! written out for those without a camera, and the promise of anonymity. Drawn with
//! krilla (as `web::pdf`), the QR code's modules as filled squares; the text is real
//! text in DejaVu Sans, so it can be copied and read aloud.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use serde::Deserialize;

use super::pages::base_url;
use super::store::{self, Channel};
use crate::app::AppState;
use crate::web::error::{AppError, AppResult};
use crate::web::i18n::Lang;

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;

#[derive(Debug, Default, Deserialize)]
pub struct PosterQuery {
    pub location: Option<String>,
}

/// The poster's lines: (text, size); the QR code comes after the first `before_qr`.
pub struct Poster {
    pub lines_before: Vec<(String, f32)>,
    pub link: String,
    pub lines_after: Vec<(String, f32)>,
}

/// Breaks `text` into lines of about `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Renders the poster as PDF; None only if the font or the page cannot be made.
pub fn render(poster: &Poster) -> Option<Vec<u8>> {
    let font = Font::new(FONT.into(), 0)?;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let mut y = MARGIN;
    let chars = |size: f32| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = ((PAGE_W - 2.0 * MARGIN) / (size * 0.6)) as usize;
        n.max(10)
    };
    let text = |surface: &mut krilla::surface::Surface<'_>, y: &mut f32, t: &str, size: f32| {
        for part in wrap(t, chars(size)) {
            *y += size * 1.3;
            surface.draw_text(
                Point::from_xy(MARGIN, *y),
                font.clone(),
                size,
                &part,
                false,
                TextDirection::Auto,
            );
        }
        *y += size * 0.5;
    };
    for (t, size) in &poster.lines_before {
        text(&mut surface, &mut y, t, *size);
    }
    if let Ok(code) = qrcode::QrCode::new(poster.link.as_bytes()) {
        let width = code.width();
        let quiet = 4.0;
        #[allow(clippy::cast_precision_loss)]
        let modules = width as f32 + 2.0 * quiet;
        let side = 300.0_f32;
        let module = side / modules;
        let left = (PAGE_W - side) / 2.0;
        let top = y + 8.0;
        let mut path = PathBuilder::new();
        for (i, color) in code.to_colors().into_iter().enumerate() {
            if color == qrcode::Color::Dark {
                #[allow(clippy::cast_precision_loss)]
                let (col, row) = ((i % width) as f32, (i / width) as f32);
                if let Some(r) = Rect::from_xywh(
                    left + (col + quiet) * module,
                    top + (row + quiet) * module,
                    module,
                    module,
                ) {
                    path.push_rect(r);
                }
            }
        }
        if let Some(path) = path.finish() {
            surface.set_fill(Some(krilla::paint::Fill::default()));
            surface.draw_path(&path);
        }
        y = top + side + 16.0;
    }
    text(&mut surface, &mut y, &poster.link, 11.0);
    for (t, size) in &poster.lines_after {
        text(&mut surface, &mut y, t, *size);
    }
    surface.finish();
    page.finish();
    document.finish().ok()
}

pub async fn pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PosterQuery>,
) -> AppResult<Response> {
    let campaign = store::campaign_by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !campaign.has(Channel::Qr) {
        return Err(AppError::Conflict("no-qr-channel"));
    }
    let location = match q.location.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let id = s
                .parse::<i64>()
                .ok()
                .filter(|l| campaign.locations.contains(l))
                .ok_or(AppError::NotFound)?;
            crate::org::store::location(&state.db, id).await?
        }
    };
    let mut link = format!(
        "{}/surveys/{}?via=qr",
        base_url(&state, &headers),
        campaign.slug
    );
    if let Some(l) = &location {
        link.push_str(&format!("&at={}", l.id));
    }
    let (pl, en) = (Lang::Pl, Lang::En);
    let mut before = vec![
        (campaign.title_pl.clone(), 24.0),
        (campaign.title_en.clone(), 16.0),
        (pl.t("sv-poster-call"), 14.0),
        (en.t("sv-poster-call"), 12.0),
    ];
    if let Some(l) = &location {
        before.push((l.name.clone(), 12.0));
    }
    let after = vec![
        (
            pl.t_args(
                "sv-poster-until",
                &[("date", campaign.ends_on.clone().into())],
            ),
            12.0,
        ),
        (
            en.t_args(
                "sv-poster-until",
                &[("date", campaign.ends_on.clone().into())],
            ),
            11.0,
        ),
        (pl.t("sv-anonymous"), 11.0),
        (en.t("sv-anonymous"), 10.0),
    ];
    let bytes = render(&Poster {
        lines_before: before,
        link,
        lines_after: after,
    })
    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the poster could not be drawn")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"survey-{id}-poster.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
