-- Aid types as data: what the public and the agents read about an aid, its
-- dated rule versions (the rule document of docs/rules.md), the CAF parts
-- table of each CCAS, and the evaluations of dossiers.
--
-- aid_types: description (existing column) is the text for the public.
-- deliberation_numero / deliberation_date: the legal basis (the board's
-- délibération adopting the rules); categorie: the need the aid meets
-- (alimentation, energie, logement ...); champs_declares: JSON array of the
-- names of the data the household declares for it; pieces: JSON array of
-- the documents required (French labels).
ALTER TABLE aid_types ADD COLUMN deliberation_numero TEXT NOT NULL DEFAULT '';
ALTER TABLE aid_types ADD COLUMN deliberation_date TEXT;
ALTER TABLE aid_types ADD COLUMN categorie TEXT NOT NULL DEFAULT '';
ALTER TABLE aid_types ADD COLUMN champs_declares TEXT NOT NULL DEFAULT '[]';
ALTER TABLE aid_types ADD COLUMN pieces TEXT NOT NULL DEFAULT '[]';

-- rule_versions: numbered per aid type (1, 2 ...). du / au: first and last
-- day of validity, 'YYYY-MM-DD', au NULL when open. document: the rule
-- document (JSON text) as accepted by rule_parse; a document that does not
-- parse is never stored. status: brouillon (editable, never used on a
-- dossier), actif (in force over [du, au]; the document no longer
-- changes; the active versions of one aid type never overlap), retire
-- (no longer chosen; evaluations made with it keep pointing at it).
CREATE TABLE rule_versions (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	aid_type_id INTEGER NOT NULL REFERENCES aid_types(id),
	numero INTEGER NOT NULL,
	du TEXT NOT NULL,
	au TEXT,
	document TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('brouillon', 'actif', 'retire')),
	note TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users(id),
	created_by_label TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (aid_type_id, numero)
);
CREATE INDEX rule_versions_aid ON rule_versions(tenant_id, aid_type_id, status, du);

-- caf_parts: the CAF parts table of the CCAS (JSON, see docs/rules.md),
-- NULL for the CNAF table.
ALTER TABLE tenants ADD COLUMN caf_parts TEXT;

-- evaluations: one row per evaluation of a dossier kept with it (the last
-- one is the proposal shown to the agents). rule_version_id: the version
-- used, chosen at date_reference (the dossier's deposit date); a later
-- version never rewrites a row. inputs: JSON {"situation":{...},
-- "variables":{...}, "origines":{name: "certifie"|"declare"|"deduit"},
-- "sources":[...]}; result: the rule engine's result with its explanation.
CREATE TABLE evaluations (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	rule_version_id INTEGER NOT NULL REFERENCES rule_versions(id),
	date_reference TEXT NOT NULL,
	inputs TEXT NOT NULL,
	result TEXT NOT NULL,
	issue TEXT NOT NULL CHECK (issue IN ('eligible', 'non_eligible', 'indetermine')),
	montant_centimes INTEGER,
	created_by INTEGER REFERENCES users(id),
	created_by_label TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX evaluations_dossier ON evaluations(tenant_id, dossier_id, id);
CREATE INDEX evaluations_version ON evaluations(rule_version_id);
