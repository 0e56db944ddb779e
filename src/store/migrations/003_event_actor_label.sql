-- Who acted on a dossier when it was not a user: an API key ("clé API
-- cas_…") or the command line. Users keep being named by actor_id.
ALTER TABLE dossier_events ADD COLUMN actor_label TEXT;
