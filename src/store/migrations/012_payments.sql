-- Payments of the aids granted, budget envelopes, and the CCAS's rule on
-- overruns. Amounts are integer cents; dates of acts 'YYYY-MM-DD' (Paris).
--
-- payees: who receives a transfer: the beneficiary (person_id: the person
-- paid) or a third party paid in the household's place (bailleur, energy
-- supplier, other). iban: the normalised IBAN (compact, upper case), checked
-- on entry (domain/ident.h); read and written only through
-- store/payment_store.c (one function each way), so that encrypting it at
-- rest changes one file. bic: optional.
CREATE TABLE payees (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	kind TEXT NOT NULL CHECK (kind IN ('beneficiaire', 'bailleur', 'energie', 'autre')),
	nom TEXT NOT NULL,
	iban TEXT NOT NULL,
	bic TEXT NOT NULL DEFAULT '',
	person_id INTEGER REFERENCES persons(id),
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL
);
CREATE INDEX payees_tenant ON payees(tenant_id, kind, id);
CREATE INDEX payees_person ON payees(tenant_id, person_id);

-- payments: the instalments of the amount granted to a dossier
-- (dossiers.montant_accorde); the amounts of those not cancelled never
-- exceed it. mode virement: a transfer to payee_id, prevu -> mandate
-- (the mandat is issued, mandate_le) -> paye (the treasury paid, paye_le);
-- mode nature: aid in kind (vouchers, payment_vouchers), prevu -> remis
-- (handed over, remis_le). A payment still prevu may be cancelled (annule).
-- echeance: the instalment number within the dossier (1, 2 ...).
CREATE TABLE payments (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	mode TEXT NOT NULL CHECK (mode IN ('virement', 'nature')),
	payee_id INTEGER REFERENCES payees(id),
	montant INTEGER NOT NULL CHECK (montant > 0),
	echeance INTEGER NOT NULL,
	objet TEXT NOT NULL,
	date_prevue TEXT,
	state TEXT NOT NULL CHECK (state IN ('prevu', 'mandate', 'paye', 'remis', 'annule')),
	mandate_le TEXT,
	paye_le TEXT,
	remis_le TEXT,
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (dossier_id, echeance)
);
CREATE INDEX payments_dossier ON payments(tenant_id, dossier_id, id);
CREATE INDEX payments_state ON payments(tenant_id, state, id);
CREATE INDEX payments_mandate ON payments(tenant_id, mandate_le);

-- payment_vouchers: the numbered vouchers (bons) of a payment in kind and
-- their value; a number is given once per CCAS.
CREATE TABLE payment_vouchers (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	payment_id INTEGER NOT NULL REFERENCES payments(id),
	numero TEXT NOT NULL,
	valeur INTEGER NOT NULL CHECK (valeur > 0),
	UNIQUE (tenant_id, numero)
);
CREATE INDEX payment_vouchers_payment ON payment_vouchers(payment_id);

-- budget_envelopes: the amount allocated to an aid type for a calendar
-- year. Committed = the amounts granted by the decisions of that year;
-- paid = the payments paid or handed over of those dossiers.
CREATE TABLE budget_envelopes (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	aid_type_id INTEGER NOT NULL REFERENCES aid_types(id),
	annee INTEGER NOT NULL,
	montant_alloue INTEGER NOT NULL CHECK (montant_alloue >= 0),
	updated_by INTEGER REFERENCES users(id),
	updated_at INTEGER NOT NULL,
	UNIQUE (aid_type_id, annee)
);
CREATE INDEX budget_envelopes_tenant ON budget_envelopes(tenant_id, annee);
CREATE INDEX dossiers_decided ON dossiers(tenant_id, aid_type_id, decided_at);

-- A decision that would exceed its envelope: 'avertir' (the decision goes
-- through with a warning) or 'bloquer' (refused).
ALTER TABLE tenants ADD COLUMN budget_depassement TEXT NOT NULL DEFAULT 'avertir';
