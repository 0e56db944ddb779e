-- Letters (courriers) sent about a dossier, generated as PDF from the
-- CCAS's letter templates (app/letters.c).
--
-- letters: one row per letter generated. The exact PDF bytes are kept
-- (BLOB; BYTEA on PostgreSQL), so a reprint is the same
-- document byte for byte, whatever happens later to the templates, the
-- letterhead or the software; pdf_sha256 is the SHA-256 of those bytes.
--   kind          accuse_reception | demande_pieces | notification_accord |
--                 notification_refus | notification_ajournement
--   numero        the letter's rank among the dossier's letters (1, 2...)
--   titre         French title shown in the list ("Accusé de réception")
--   data          the frozen data the letter was rendered from (JSON text:
--                 the template variables, the template text used and its
--                 origin), for the record
--   created_by    the user (NULL: an API key or the system), with its label
CREATE TABLE letters (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	kind TEXT NOT NULL,
	numero INTEGER NOT NULL,
	titre TEXT NOT NULL,
	pdf BLOB NOT NULL,
	pdf_size INTEGER NOT NULL,
	pdf_sha256 TEXT NOT NULL,
	data TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id),
	created_by_label TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (tenant_id, dossier_id, numero)
);
CREATE INDEX letters_dossier ON letters(tenant_id, dossier_id, id);

-- A CCAS's own text for a kind of letter, replacing the default shipped in
-- the binary (templates/letters/<kind>.txt); "voies_recours" is the
-- paragraph on the délais et voies de recours that every refusal and
-- ajournement carries. Deleting the row restores the default.
CREATE TABLE letter_templates (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	kind TEXT NOT NULL,
	body TEXT NOT NULL,
	updated_by INTEGER REFERENCES users(id),
	updated_at INTEGER NOT NULL,
	UNIQUE (tenant_id, kind)
);

-- The letterhead and signature of a CCAS's letters: postal address (lines),
-- contact line, the town written before the date ("Montreuil, le ..."),
-- the signatory ("Le Président du CCAS") and the competent tribunal
-- administratif named in the voies de recours.
CREATE TABLE letter_settings (
	tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id),
	adresse TEXT NOT NULL DEFAULT '',
	contact TEXT NOT NULL DEFAULT '',
	ville TEXT NOT NULL DEFAULT '',
	signataire TEXT NOT NULL DEFAULT '',
	tribunal TEXT NOT NULL DEFAULT '',
	updated_by INTEGER REFERENCES users(id),
	updated_at INTEGER NOT NULL
);
