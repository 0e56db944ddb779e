-- Retention and purge (issue 7): how long personal data are kept, the legal
-- holds that suspend a purge, the anonymous statistics that outlive a
-- dossier, the traces of State API calls, and the runs of the purge
-- (app/purge.h, domain/retention.h, docs/privacy.md).
--
-- tenants: durations in months, per CCAS.
--   conservation_accorde       after the closure of a dossier whose aid was
--                              granted (12 to 60, default 24)
--   conservation_refus         after the closure of a dossier refused,
--                              adjourned or classé sans suite (3 to 60,
--                              default 24)
--   conservation_corps_api     after the closure: the State API answers and
--                              the identity sent for them (NULL: as long as
--                              the dossier; never longer)
--   conservation_traces_api    after the call: the trace of a consultation
--                              (36 to 60, default 36, as API Particulier asks)
-- (the access log has its own, conservation_journal_acces, migration 013)
ALTER TABLE tenants ADD COLUMN conservation_accorde INTEGER NOT NULL DEFAULT 24;
ALTER TABLE tenants ADD COLUMN conservation_refus INTEGER NOT NULL DEFAULT 24;
ALTER TABLE tenants ADD COLUMN conservation_corps_api INTEGER;
ALTER TABLE tenants ADD COLUMN conservation_traces_api INTEGER NOT NULL DEFAULT 36;

-- aid_types: the same two durations for one aid, NULL: the CCAS's.
ALTER TABLE aid_types ADD COLUMN conservation_accorde INTEGER;
ALTER TABLE aid_types ADD COLUMN conservation_refus INTEGER;

-- consultations: when the answer and the parameters sent were erased
-- (conservation_corps_api); the row stays with its dossier.
ALTER TABLE consultations ADD COLUMN corps_efface_le INTEGER;

-- legal_holds: a dossier kept beyond its retention because of a dispute
-- (contentieux: a recours before the tribunal administratif; recours: a
-- recours gracieux or préalable; autre: another documented legal need).
-- motif: why, in the agent's words; the author and the date; lifted_*:
-- when the hold ended, by whom and why. One hold in force per dossier
-- (partial unique index); the lifted ones stay as history until the
-- dossier is purged.
CREATE TABLE legal_holds (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	kind TEXT NOT NULL CHECK (kind IN ('contentieux', 'recours', 'autre')),
	motif TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id),
	created_by_label TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	lifted_by INTEGER REFERENCES users(id),
	lifted_by_label TEXT,
	lifted_at INTEGER,
	lift_motif TEXT
);
CREATE INDEX legal_holds_dossier ON legal_holds(tenant_id, dossier_id, id);
CREATE UNIQUE INDEX legal_holds_active ON legal_holds(tenant_id, dossier_id)
	WHERE lifted_at IS NULL;

-- dossier_stats: one anonymous row per purged dossier, nothing that leads
-- back to a person: the aid, the month of the decision (of the closure
-- when there was none), the outcome (decision code; sans_suite when
-- closed without one), the amounts (cents: asked, granted, paid or handed
-- over), the household type at the closure (domain/retention.h), the band
-- of the quotient familial ('' unknown) and the commune of residence
-- (INSEE code, '' unknown).
CREATE TABLE dossier_stats (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	aid_type_id INTEGER NOT NULL REFERENCES aid_types(id),
	mois TEXT NOT NULL,
	issue TEXT NOT NULL CHECK (issue IN ('accorde', 'refuse', 'ajourne', 'sans_suite')),
	montant_demande INTEGER NOT NULL DEFAULT 0,
	montant_accorde INTEGER NOT NULL DEFAULT 0,
	montant_verse INTEGER NOT NULL DEFAULT 0,
	type_foyer TEXT NOT NULL,
	tranche_qf TEXT NOT NULL DEFAULT '',
	commune TEXT NOT NULL DEFAULT '',
	purged_at INTEGER NOT NULL
);
CREATE INDEX dossier_stats_aid ON dossier_stats(tenant_id, aid_type_id, mois);

-- consultation_traces: what is left of a consultation once its dossier is
-- purged, for the 36 months API Particulier asks: when, which agent, which
-- API and endpoint, for which recipient, the HTTP status, the error kind
-- and the X-Request-Id that the provider's logs know. No identity, no
-- answer, no dossier. id: the consultation's.
CREATE TABLE consultation_traces (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	at INTEGER NOT NULL,
	agent_id INTEGER,
	agent_label TEXT NOT NULL,
	api TEXT NOT NULL,
	endpoint TEXT NOT NULL,
	recipient TEXT NOT NULL,
	http_status INTEGER NOT NULL DEFAULT 0,
	error_kind TEXT,
	request_id TEXT
);
CREATE INDEX consultation_traces_at ON consultation_traces(tenant_id, at);

-- purge_runs: one run of the purge for one CCAS, from its first batch that
-- removed something to its end. counts: JSON object of the rows removed so
-- far, added to by each batch in the batch's own transaction, so that a
-- run stopped between two batches is resumed by the next one (the row
-- without finished_at), which then writes the ONE audit entry of the run
-- (audit_id) with the totals.
CREATE TABLE purge_runs (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	started_at INTEGER NOT NULL,
	finished_at INTEGER,
	batches INTEGER NOT NULL DEFAULT 0,
	counts TEXT NOT NULL DEFAULT '{}',
	started_by TEXT NOT NULL,
	audit_id INTEGER
);
CREATE INDEX purge_runs_tenant ON purge_runs(tenant_id, id);

-- The lookups of the purge: what still refers to a person, a payee or an
-- object of the audit log.
CREATE INDEX consultations_person ON consultations(person_id);
CREATE INDEX payments_payee ON payments(payee_id);
CREATE INDEX audit_log_object ON audit_log(tenant_id, object_type, object_id);
