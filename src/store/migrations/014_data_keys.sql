-- Encryption at rest (base/seal.h): the data keys this database's sealed
-- values were written with. Only the key ids are here, never a key: the
-- keys live in the key ring file of the installation (cassis serve
-- --data-key), kept apart from the database and its backups.
--
-- state: 'actif' the key that seals now; 'ancien' a previous key that
-- some values may still use (a rotation is under way or was interrupted:
-- cassis keys rotate resumes it); 'retire' no value uses it any more
-- (retired_at: when the rotation that replaced it ended). A server refuses
-- to start when its key ring lacks an 'actif' or 'ancien' key: the data
-- they sealed would be unreadable.
CREATE TABLE data_keys (
	key_id TEXT PRIMARY KEY,           -- 8 hex digits (seal.h)
	state TEXT NOT NULL CHECK (state IN ('actif', 'ancien', 'retire')),
	created_at INTEGER NOT NULL,
	retired_at INTEGER
);
