-- Logs (issue 7): the hash chain of the audit log and the access log.
--
-- audit_log: one chain per tenant (tenant_id NULL: the platform's own
-- chain), in id order. Every entry carries
--   changes_sha256  hex SHA-256 of its changes text as written (canonical
--                   JSON: compact, keys sorted), so that the changes can be
--                   redacted later (purge) and the chain still verifies
--   prev_hash       the hash of the previous entry of its chain (64 zeros
--                   for the first)
--   hash            hex SHA-256 of prev_hash followed by the entry's
--                   canonical form (store/audit_chain.h, docs/privacy.md)
--   redacted_at     when the changes were replaced by "[effacé]" markers
-- The entries written before this migration are chained by the C step of
-- this migration (store/migrate.c), in the same transaction.
ALTER TABLE audit_log ADD COLUMN changes_sha256 TEXT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
ALTER TABLE audit_log ADD COLUMN redacted_at INTEGER;

-- access_log: who read a person, a dossier, a consultation record or a
-- document, when, through which route. Kept apart from the business tables
-- (no foreign key: a purged person leaves its access entries to their own
-- retention), written after the request's reads, never inside a business
-- transaction.
--   object_type  person, dossier, consultation, document
--   person_id    the person the object is about, when known (the
--                applicant of a dossier, the person of a consultation)
--   actor_id     the user, NULL for an API key (api_key_id then)
--   route        "GET /usagers/{id}": the pattern, never the query string
CREATE TABLE access_log (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL,
	at INTEGER NOT NULL,
	actor_id INTEGER,
	api_key_id INTEGER,
	actor_label TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id INTEGER NOT NULL,
	person_id INTEGER,
	route TEXT NOT NULL DEFAULT ''
);
-- Three indexes, each ending with at (the order of the page, newest
-- first): by person, by agent, by date (and the retention's purge). Every
-- page view inserts one row: no more indexes than the searches need.
CREATE INDEX access_log_person ON access_log(tenant_id, person_id, at);
CREATE INDEX access_log_actor ON access_log(tenant_id, actor_id, at);
CREATE INDEX access_log_at ON access_log(tenant_id, at);

-- How long the access log is kept, in months (6 to 12).
ALTER TABLE tenants ADD COLUMN conservation_journal_acces INTEGER NOT NULL DEFAULT 12;
