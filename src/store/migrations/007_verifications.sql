-- "Vérifier la situation": the CAF / MSA (API Particulier) and the DGFiP
-- (API Impôt particulier) consulted together for a dossier.
--
-- verifications: one row per step; its two consultations carry its id. The
-- numéro fiscal (SPI) typed by the agent is never stored: only its keyed
-- BLAKE2b hash (key: a secret file of the installation, next to the
-- signing key), which links two consultations of the same foyer fiscal
-- without keeping the number.
CREATE TABLE verifications (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	agent_id INTEGER REFERENCES users(id),     -- NULL: an API key
	agent_label TEXT NOT NULL,
	at INTEGER NOT NULL,
	annee INTEGER NOT NULL DEFAULT 0,          -- income year asked; 0: the DGFiP calendar's
	spi_hash TEXT NOT NULL                     -- keyed hash of the SPI, never the SPI
);
CREATE INDEX verifications_dossier ON verifications(tenant_id, dossier_id, id);

ALTER TABLE consultations ADD COLUMN verification_id INTEGER REFERENCES verifications(id);
ALTER TABLE consultations ADD COLUMN spi_hash TEXT;  -- DGFiP consultations only
CREATE INDEX consultations_spi ON consultations(tenant_id, spi_hash);

-- How each CCAS reaches API Impôt particulier: the gateway, the PATHS of
-- the files holding the OAuth2 client id and secret and the TLS client
-- certificate and key (read at call time, never copied into the database),
-- and the ID_Teleservice given by the DGFiP. Set by the platform operator
-- (cassis tenant set-provider --impots-*), never from the web.
CREATE TABLE tenant_impots (
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	base_url TEXT NOT NULL,
	client_id_file TEXT NOT NULL,
	client_secret_file TEXT NOT NULL,
	cert_file TEXT NOT NULL DEFAULT '',
	key_file TEXT NOT NULL DEFAULT '',
	id_teleservice TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (tenant_id)
);

-- The data an aid needs from the DGFiP (DataPass names, space-separated);
-- only the keys they grant are kept from an answer.
ALTER TABLE aid_types ADD COLUMN scopes_impots TEXT NOT NULL DEFAULT 'dgfip_rfr dgfip_nbpart';
