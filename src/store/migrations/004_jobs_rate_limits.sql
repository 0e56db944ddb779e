-- State that several server processes on one database share besides the
-- sessions: the runs of the periodic jobs and the rate-limit counters.
--
-- job_runs: one row per period ("slot" = floor(time / period)) of a job.
-- The primary key is the claim: a process runs a slot only when its
-- INSERT ... ON CONFLICT DO NOTHING RETURNING inserted the row, so exactly
-- one process runs each slot. finished_at stays NULL when the process
-- stopped during the run; result is a JSON object of counts (no personal
-- data), or {"error": ...}.
CREATE TABLE job_runs (
	job TEXT NOT NULL,
	slot INTEGER NOT NULL,
	started_at INTEGER NOT NULL,
	finished_at INTEGER,
	host TEXT NOT NULL,               -- "hostname:pid" of the process that ran it
	result TEXT,
	PRIMARY KEY (job, slot)
);

-- rate_limits: fixed-window counters, one row per key ("api:<key id>") and
-- window (its start, unix seconds), incremented by an upsert that returns
-- the new count. Windows that ended are deleted by the "rate_limits" job.
CREATE TABLE rate_limits (
	key TEXT NOT NULL,
	window_start INTEGER NOT NULL,
	count INTEGER NOT NULL,
	PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits(window_start);
