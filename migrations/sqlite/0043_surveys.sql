-- Survey campaigns (issue 14, docs/decisions/0046-survey-campaigns.md): a questionnaire
-- (JSON, checked by magistrat_domain::survey) run for a period at chosen locations and
-- channels; invitations as hashed one-time tokens; responses that name nobody.
--
-- A response keeps only its campaign, channel, location, the unit the respondent chose
-- and the day; an invitation keeps only its token's hash and whether it was used. The
-- two share no column, so a response cannot be traced back to its invitation.

CREATE TABLE sv_campaign (
    id            INTEGER PRIMARY KEY,
    -- The public link's random part: /surveys/<slug>.
    slug          TEXT NOT NULL UNIQUE,
    title_pl      TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    questionnaire TEXT NOT NULL,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    -- Comma-separated: link, qr, email, paper.
    channels      TEXT NOT NULL,
    -- Comma-separated location ids (may be empty: no location).
    locations     TEXT NOT NULL DEFAULT '',
    created_by    INTEGER REFERENCES app_user(id),
    created_at    TEXT NOT NULL
);

CREATE TABLE sv_invitation (
    token_hash  TEXT NOT NULL PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES sv_campaign(id),
    used        INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
) WITHOUT ROWID;

CREATE TABLE sv_response (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES sv_campaign(id),
    channel     TEXT NOT NULL CHECK (channel IN ('link', 'qr', 'email', 'paper')),
    location_id INTEGER REFERENCES location(id),
    unit_id     INTEGER REFERENCES org_unit(id),
    answered_on TEXT NOT NULL
);
CREATE INDEX sv_response_campaign ON sv_response (campaign_id, channel);

-- One row per answered question; a question of several choices has a row per choice.
CREATE TABLE sv_answer (
    id          INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES sv_response(id),
    campaign_id INTEGER NOT NULL REFERENCES sv_campaign(id),
    question    TEXT NOT NULL,
    score       INTEGER CHECK (score BETWEEN 0 AND 10),
    choice      TEXT NOT NULL DEFAULT '',
    answer_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sv_answer_campaign ON sv_answer (campaign_id, question);
CREATE INDEX sv_answer_response ON sv_answer (response_id);
