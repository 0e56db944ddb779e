-- The instruction workflow: the states of domain/dossier.h, the proposal
-- of the instructor, the decision, the notification, deadlines and the
-- emergency short path. Every change of state goes through app/workflow.c.
--
-- dossiers:
--   depose_le       the deposit date, 'YYYY-MM-DD' (Paris), set when the
--                   dossier is deposited; the rules in force on that day
--                   decide (evaluations' date_reference).
--   state_since     when the dossier entered its current state (unix
--                   seconds): the deadlines run from it.
--   agent_id        the instructor in charge (set when the instruction is
--                   taken up); "mes dossiers" lists it for them.
--   proposition     accord | refus | ajournement; montant_propose (cents),
--                   appreciation (the agent's assessment), evaluation_id
--                   (the rule evaluation whose explanation backs it),
--                   instructed_by / instructed_key_id / instructed_by_label
--                   / instructed_at: who proposed (user, or API key).
--                   evaluation_id has no foreign key: evaluations already
--                   reference dossiers, and a cycle of foreign keys would
--                   leave no order to copy the tables in (cassis
--                   migrate-data); app/workflow.c checks it is an
--                   evaluation of the same dossier.
--   decision        accorde | refuse | ajourne | sans_suite; montant_accorde
--                   (cents), motif_decision (motive of a refusal or an
--                   ajournement, or of a classement sans suite),
--                   decided_by / decided_key_id / decided_by_label /
--                   decided_at.
--   notified_at     when the decision was notified.
--   a_rapporter     1: decided through the emergency short path, to be
--                   reported to the next commission (the commission's
--                   agenda reads it and clears it once reported).
ALTER TABLE dossiers ADD COLUMN depose_le TEXT;
ALTER TABLE dossiers ADD COLUMN state_since INTEGER;
ALTER TABLE dossiers ADD COLUMN agent_id INTEGER REFERENCES users(id);
ALTER TABLE dossiers ADD COLUMN proposition TEXT;
ALTER TABLE dossiers ADD COLUMN montant_propose INTEGER;
ALTER TABLE dossiers ADD COLUMN appreciation TEXT;
ALTER TABLE dossiers ADD COLUMN evaluation_id INTEGER;
ALTER TABLE dossiers ADD COLUMN instructed_by INTEGER REFERENCES users(id);
ALTER TABLE dossiers ADD COLUMN instructed_key_id INTEGER REFERENCES api_keys(id);
ALTER TABLE dossiers ADD COLUMN instructed_by_label TEXT;
ALTER TABLE dossiers ADD COLUMN instructed_at INTEGER;
ALTER TABLE dossiers ADD COLUMN decision TEXT;
ALTER TABLE dossiers ADD COLUMN montant_accorde INTEGER;
ALTER TABLE dossiers ADD COLUMN motif_decision TEXT;
ALTER TABLE dossiers ADD COLUMN decided_by INTEGER REFERENCES users(id);
ALTER TABLE dossiers ADD COLUMN decided_key_id INTEGER REFERENCES api_keys(id);
ALTER TABLE dossiers ADD COLUMN decided_by_label TEXT;
ALTER TABLE dossiers ADD COLUMN decided_at INTEGER;
ALTER TABLE dossiers ADD COLUMN notified_at INTEGER;
ALTER TABLE dossiers ADD COLUMN a_rapporter INTEGER NOT NULL DEFAULT 0;

UPDATE dossiers SET state_since = updated_at;
CREATE INDEX dossiers_agent ON dossiers(tenant_id, agent_id, state);
CREATE INDEX dossiers_a_rapporter ON dossiers(tenant_id, a_rapporter);

-- Per CCAS: four-eyes on decisions (the instructor who proposed cannot
-- decide), on by default; deadlines in days (0 = none) for a dossier
-- deposited or in instruction, waiting for documents, decided but not
-- notified.
ALTER TABLE tenants ADD COLUMN quatre_yeux INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenants ADD COLUMN delai_instruction INTEGER NOT NULL DEFAULT 30;
ALTER TABLE tenants ADD COLUMN delai_pieces INTEGER NOT NULL DEFAULT 30;
ALTER TABLE tenants ADD COLUMN delai_notification INTEGER NOT NULL DEFAULT 8;

-- Per aid type: the emergency short path (secours d'urgence): a valideur
-- decides an instructed dossier at once, without waiting for the
-- commission; the decision is reported to the next commission.
ALTER TABLE aid_types ADD COLUMN urgence INTEGER NOT NULL DEFAULT 0;
