-- Consultations of the State APIs (API Particulier: quotient familial CAF /
-- MSA) and the settings that reach them.
--
-- consultations: one row per call made (or attempted) for a dossier,
-- successful or not, never updated afterwards. What was asked (the
-- parameters sent, without the token), what came back (HTTP status, error
-- kind and code, X-Request-Id, the SHA-256 of the exact response bytes, the
-- response reduced to the keys the aid type's scopes grant) and the
-- server's Ed25519 signature over these fields (base/proof.h), with the
-- public key that checks it. The raw response is never stored.
CREATE TABLE consultations (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
	person_id INTEGER REFERENCES persons(id),  -- whose identity was sent
	agent_id INTEGER REFERENCES users(id),     -- NULL: an API key or the command line
	agent_label TEXT NOT NULL,                 -- e-mail or "clé API ..." at that time
	at INTEGER NOT NULL,
	api TEXT NOT NULL,                         -- 'particulier'
	endpoint TEXT NOT NULL,                    -- '/v3/dss/quotient_familial/identite'
	recipient TEXT NOT NULL,                   -- SIRET sent as recipient
	scopes TEXT NOT NULL,                      -- space-separated, those kept
	parameters TEXT NOT NULL,                  -- JSON object of the parameters sent
	http_status INTEGER NOT NULL DEFAULT 0,    -- 0: no answer
	error_kind TEXT,                           -- NULL on success (providers/particulier.h kinds)
	error_code TEXT,
	error_message TEXT,                        -- French, for the agent
	request_id TEXT,                           -- X-Request-Id of the answer
	response_sha256 TEXT,                      -- of the exact response bytes
	response TEXT,                             -- minimised JSON, NULL on failure
	signature TEXT NOT NULL,                   -- Ed25519, base64
	key_id TEXT NOT NULL,
	public_key TEXT NOT NULL                   -- base64
);
CREATE INDEX consultations_dossier ON consultations(tenant_id, dossier_id, id);
CREATE INDEX consultations_tenant ON consultations(tenant_id, id);

-- How each CCAS reaches each State API: base URL (production, staging or a
-- local stand-in) and the PATH of the file holding the token, read at call
-- time. The token itself is never in the database. The recipient sent is
-- the tenant's SIRET. Set by the platform operator (cassis tenant
-- set-provider), never from the web.
CREATE TABLE tenant_providers (
	tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	api TEXT NOT NULL,
	base_url TEXT NOT NULL,
	token_file TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (tenant_id, api)
);

-- The data an aid needs from API Particulier (space-separated scopes);
-- only the keys they grant are kept from an answer.
ALTER TABLE aid_types ADD COLUMN scopes_particulier TEXT NOT NULL DEFAULT 'cnaf_quotient_familial';
