//! What BIP editors do, each in one transaction: the state machine and the metadata
//! rules (`magistrat_domain::bip`) are asked first, then the store writes, audited. A
//! refused step writes nothing.

use jiff::Timestamp;
use jiff::civil::Date;

use super::store::{self, Draft, EnteredBy, StoreError};
use crate::db::audit::Actor;
use crate::db::{Db, UtcTime};
use magistrat_domain::bip::{
    self, Action, PreviousVersion, REASON_MAX, REASON_MIN, Refusal, Status, VersionError,
    VersionInput, WithheldError, WithheldInput,
};

/// Who acts: their account and name (the name goes into the metadata as it is now).
#[derive(Clone, Debug)]
pub struct Editor {
    pub user_id: i64,
    pub name: String,
    pub actor: Actor,
}

/// Why an editor's step did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BipError {
    #[error("no such publication")]
    NotFound,
    #[error("no such section")]
    UnknownSection,
    #[error("nothing to publish: there is no draft")]
    NoDraft,
    #[error("refused: {0}")]
    Refused(#[from] Refusal),
    #[error("the version breaks the rules")]
    Invalid(Vec<VersionError>),
    #[error("the moment of publication has passed")]
    PublishAtPassed,
    #[error("the reason for removing is missing or too short")]
    RemovalReason,
    #[error("the record breaks the rules")]
    WithheldInvalid(Vec<WithheldError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BipError {
    fn from(e: sqlx::Error) -> Self {
        BipError::Store(StoreError::Db(e))
    }
}

/// The draft as the editor typed it, with the body cleaned: a draft never holds HTML
/// the public page would not show.
fn draft_from(input: &VersionInput, submitted_by: Option<i64>) -> Draft {
    Draft {
        title: bip::collapse(&input.title),
        body_html: bip::sanitize(&input.body_html),
        produced_by: bip::collapse(&input.produced_by),
        produced_on: input.produced_on,
        responsible: bip::collapse(&input.responsible),
        reason: bip::collapse(&input.reason),
        submitted_by,
    }
}

/// Starts a publication in a section of the subject menu with its first draft.
pub async fn create(
    db: &Db,
    editor: &Editor,
    section: &str,
    input: &VersionInput,
) -> Result<i64, BipError> {
    if bip::section_by_slug(section).is_none() {
        return Err(BipError::UnknownSection);
    }
    let mut tx = db.begin().await?;
    let id = store::create(&mut tx, &editor.actor, section, &draft_from(input, None)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves the working copy. Saving a draft in review takes it out of review: the
/// reviewer approves what they read.
pub async fn save(db: &Db, editor: &Editor, id: i64, input: &VersionInput) -> Result<(), BipError> {
    let mut tx = db.begin().await?;
    let publication = store::lock_publication(&mut tx, id)
        .await?
        .ok_or(BipError::NotFound)?;
    let before = store::draft_in(&mut tx, id).await?;
    let status = bip::transition(
        publication.status,
        Action::SaveDraft,
        actor_for(editor, before.as_ref(), false),
    )?;
    store::save_draft(
        &mut tx,
        &editor.actor,
        id,
        before.as_ref(),
        &draft_from(input, None),
        status,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn actor_for(editor: &Editor, draft: Option<&Draft>, review_required: bool) -> bip::Actor {
    bip::Actor {
        user_id: editor.user_id,
        submitted_by: draft.and_then(|d| d.submitted_by),
        review_required,
    }
}

/// Hands the draft to a second person (or, with `submit` false, gives it back).
pub async fn review(db: &Db, editor: &Editor, id: i64, submit: bool) -> Result<(), BipError> {
    let mut tx = db.begin().await?;
    let publication = store::lock_publication(&mut tx, id)
        .await?
        .ok_or(BipError::NotFound)?;
    let draft = store::draft_in(&mut tx, id)
        .await?
        .ok_or(BipError::NoDraft)?;
    let action = if submit {
        Action::SubmitForReview
    } else {
        Action::ReturnDraft
    };
    let status = bip::transition(
        publication.status,
        action,
        actor_for(editor, Some(&draft), false),
    )?;
    store::set_review(
        &mut tx,
        &editor.actor,
        id,
        submit.then_some(editor.user_id),
        status,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes the draft as the next version, now or at `publish_at` (which must be
/// ahead of now: the moment of making available is the real one, UDIP art. 8 ust. 6
/// pkt 5). Returns the version's number. Refused with every rule it breaks when the
/// metadata is incomplete or a change has no reason; nothing is written then.
pub async fn publish(
    db: &Db,
    editor: &Editor,
    id: i64,
    publish_at: Option<Timestamp>,
) -> Result<i64, BipError> {
    let settings = store::settings(db).await?;
    let mut tx = db.begin().await?;
    let now = tx.now();
    let publication = store::lock_publication(&mut tx, id)
        .await?
        .ok_or(BipError::NotFound)?;
    let draft = store::draft_in(&mut tx, id).await?;
    bip::transition(
        publication.status,
        Action::Publish,
        actor_for(editor, draft.as_ref(), settings.review_required),
    )?;
    let draft = draft.ok_or(BipError::NoDraft)?;
    let at = match publish_at {
        Some(at) if at <= now.0 => return Err(BipError::PublishAtPassed),
        Some(at) => UtcTime::from_timestamp(at),
        None => now,
    };
    let previous = store::last_version_in(&mut tx, id).await?;
    let input = VersionInput {
        title: draft.title.clone(),
        body_html: draft.body_html.clone(),
        produced_by: draft.produced_by.clone(),
        produced_on: draft.produced_on,
        responsible: draft.responsible.clone(),
        reason: draft.reason.clone(),
    };
    let checked = bip::check_version(
        &input,
        previous.as_ref().map(|v| PreviousVersion {
            number: v.number,
            made_available_at: v.made_available_at.0,
        }),
        at.0,
        at.in_warsaw().date(),
    )
    .map_err(BipError::Invalid)?;
    // Who entered it: the submitter when a second person approves, else the editor.
    let (entered_name, entered_user, approved_by) = match draft.submitted_by {
        Some(submitter) if settings.review_required => {
            let name = store::user_name(db, submitter)
                .await?
                .unwrap_or_else(|| editor.name.clone());
            (name, Some(submitter), Some(editor.name.as_str()))
        }
        _ => (editor.name.clone(), Some(editor.user_id), None),
    };
    store::publish(
        &mut tx,
        &editor.actor,
        &publication,
        &checked,
        &EnteredBy {
            name: &entered_name,
            user_id: entered_user,
            approved_by,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(checked.number)
}

/// Takes a publication off the BIP with a reason; it goes to the register of removed
/// pages, its versions stay readable.
pub async fn remove(db: &Db, editor: &Editor, id: i64, reason: &str) -> Result<(), BipError> {
    let reason = bip::collapse(reason);
    let n = reason.chars().count();
    if !(REASON_MIN..=REASON_MAX).contains(&n) {
        return Err(BipError::RemovalReason);
    }
    let mut tx = db.begin().await?;
    let publication = store::lock_publication(&mut tx, id)
        .await?
        .ok_or(BipError::NotFound)?;
    bip::transition(
        publication.status,
        Action::Remove,
        actor_for(editor, None, false),
    )?;
    let title = store::last_version_in(&mut tx, id)
        .await?
        .map(|v| v.title)
        .unwrap_or_default();
    store::remove(
        &mut tx,
        &editor.actor,
        &publication,
        &title,
        &editor.name,
        &reason,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records information not made available (UDIP art. 8 ust. 5).
pub async fn add_withheld(
    db: &Db,
    editor: &Editor,
    input: &WithheldInput,
    today: Date,
) -> Result<i64, BipError> {
    bip::check_withheld(input, today).map_err(BipError::WithheldInvalid)?;
    let mut tx = db.begin().await?;
    let id = store::add_withheld(
        &mut tx,
        &editor.actor,
        &bip::collapse(&input.scope),
        &bip::collapse(&input.legal_basis),
        &bip::collapse(&input.decided_by),
        &bip::collapse(&input.in_interest_of),
        input.decided_on.unwrap_or(today),
        &editor.name,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Whether a publication is public now, and its status for people: scheduled when its
/// only versions are still to come.
pub fn is_scheduled(status: Status, last_available_at: Option<UtcTime>, now: UtcTime) -> bool {
    status.is_public() && last_available_at.is_some_and(|at| at > now)
}

/// The office's announcements as the public sees them at `now` (the section
/// „Ogłoszenia i obwieszczenia”), newest first: what `/feed.atom` carries and what the
/// Fediverse capability announces (`fediverse::service::announcements`).
pub async fn announcements(db: &Db, now: UtcTime) -> Result<Vec<store::Listed>, StoreError> {
    store::in_sections(db, now, &[ANNOUNCEMENTS], 0, i64::MAX).await
}

/// The section of the office's announcements („Ogłoszenia i obwieszczenia”).
pub const ANNOUNCEMENTS: &str = "ogloszenia";
