-- Pièces justificatives of a dossier, and the requests for the missing
-- ones. The checklist of an aid type is its "pieces" column (migration
-- 005: a JSON array of French labels).
--
-- documents: one uploaded file. The bytes are kept in the database
-- (contenu), with the row that describes them: they are written and
-- deleted in the same transaction as the row, the timeline and the audit;
-- a backup of the database (cassis backup, pg_dump) holds them; every read
-- goes through the tenant_id of the query; nothing on disk to keep in step
-- or to protect separately.
--   piece         the label of the checklist item the file answers, as it
--                 was when the file arrived, or the agent's own label for
--                 another document (hors_liste 1)
--   nom_fichier   the file name given, cleaned (domain/filetype.h), with
--                 the extension of the detected type
--   type_mime     detected from the content: application/pdf, image/jpeg or
--                 image/png (never the client's announced type)
--   taille        bytes; sha256 lowercase hex of the bytes
--   created_by    the user, NULL for an API key or the command line;
--                 created_by_label names the author in every case
CREATE TABLE documents (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	piece TEXT NOT NULL,
	hors_liste INTEGER NOT NULL DEFAULT 0,
	nom_fichier TEXT NOT NULL,
	type_mime TEXT NOT NULL CHECK (type_mime IN ('application/pdf', 'image/jpeg', 'image/png')),
	taille INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id),
	created_by_label TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	contenu BLOB NOT NULL
);
CREATE INDEX documents_dossier ON documents(tenant_id, dossier_id, id);

-- document_requests: a "demande de pièces manquantes" sent to the
-- applicant. pieces: JSON array of the labels asked for; message: the
-- agent's words added to the letter ('' for none); letter_id: the letter
-- produced (migration 009), NULL when none was.
CREATE TABLE document_requests (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	pieces TEXT NOT NULL,
	message TEXT NOT NULL DEFAULT '',
	letter_id INTEGER REFERENCES letters(id),
	created_by INTEGER REFERENCES users(id),
	created_by_label TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX document_requests_dossier ON document_requests(tenant_id, dossier_id, id);
