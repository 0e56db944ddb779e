-- The commission (board of the CCAS that decides individual aids): its
-- sessions, their agenda and the minutes (procès-verbal) of each.
--
-- commissions: one row per session. date_seance 'YYYY-MM-DD', heure
-- 'HH:MM' ('' when not fixed), lieu free text. membres: JSON array of
-- {"nom", "qualite"} (the elected members and agents sitting, free text as
-- typed). state: planifiee (agenda being built) -> tenue (the session is
-- held: decisions are recorded) -> close (every item decided; the minutes
-- are generated and no longer change).
CREATE TABLE commissions (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	date_seance TEXT NOT NULL,
	heure TEXT NOT NULL DEFAULT '',
	lieu TEXT NOT NULL,
	membres TEXT NOT NULL DEFAULT '[]',
	state TEXT NOT NULL CHECK (state IN ('planifiee', 'tenue', 'close')),
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	closed_at INTEGER
);
CREATE INDEX commissions_date ON commissions(tenant_id, date_seance, id);

-- commission_items: the agenda. ordre: position in the agenda (1, 2 ...).
-- a_rapporter 1: an emergency aid already decided by a valideur, reported
-- to the commission for information (no decision taken here). decision
-- (accorde, refuse, ajourne, sans_suite), montant (cents), motif and vote
-- (the vote or the board's notes, free text) once decided; decided_by /
-- decided_by_label: who recorded it. en_cours 1 while the session is not
-- closed: a dossier is on one open agenda at most (partial unique index).
CREATE TABLE commission_items (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	commission_id INTEGER NOT NULL REFERENCES commissions(id),
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	ordre INTEGER NOT NULL,
	a_rapporter INTEGER NOT NULL DEFAULT 0,
	decision TEXT CHECK (decision IS NULL OR decision IN ('accorde', 'refuse', 'ajourne',
		'sans_suite')),
	montant INTEGER,
	motif TEXT NOT NULL DEFAULT '',
	vote TEXT NOT NULL DEFAULT '',
	decided_at INTEGER,
	decided_by INTEGER REFERENCES users(id),
	decided_by_label TEXT,
	added_at INTEGER NOT NULL,
	en_cours INTEGER NOT NULL DEFAULT 1,
	UNIQUE (commission_id, dossier_id)
);
CREATE INDEX commission_items_commission ON commission_items(tenant_id, commission_id, ordre);
CREATE INDEX commission_items_dossier ON commission_items(tenant_id, dossier_id);
CREATE UNIQUE INDEX commission_items_open ON commission_items(tenant_id, dossier_id)
	WHERE en_cours = 1;

-- commission_minutes: the procès-verbal of a closed session, generated
-- once at closing. pdf: the exact bytes (BLOB; BYTEA on PostgreSQL),
-- served again as stored, so a reprint is the same document byte for
-- byte; pdf_sha256: the SHA-256 of those bytes (hex).
CREATE TABLE commission_minutes (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	commission_id INTEGER NOT NULL UNIQUE REFERENCES commissions(id),
	pdf BLOB NOT NULL,
	pdf_size INTEGER NOT NULL,
	pdf_sha256 TEXT NOT NULL,
	generated_at INTEGER NOT NULL,
	generated_by_label TEXT NOT NULL
);
