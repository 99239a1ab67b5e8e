-- An Idempotency-Key (or the web form's submission key) is bound to the client and to
-- the request (issue 16, docs/decisions/0022): submission_key now holds SHA-256 of the
-- client's scope and the sent key, and request_sha256 the SHA-256 of the canonical
-- request, so the same key with a different request is refused instead of answered with
-- the first filing. Rows filed before keep their raw key and no hash: a new request can
-- never match them. The other backend's folder has the same version.
ALTER TABLE application ADD COLUMN request_sha256 TEXT;
