// A read-only picture of the test database, to check that refused requests
// changed nothing: through the sqlite3 shell for sqlite:PATH, through psql for
// postgresql://... Journals (sessions, audit and access logs, rate-limit
// counters, job runs) and "last seen" columns are left out: reads may write
// them, and the background jobs run meanwhile. Same shape on both backends:
// {table: [row objects, sorted by their JSON text]}.
import { spawnSync } from 'node:child_process';

import { psql } from './pg.mjs';

const SKIP_TABLE = /^(sessions|schema_migrations|migrations|rate_limits|job_runs)$|log|access|consult/i;
const SKIP_COLUMN = /^last_|_seen$/i;

function sqlite(dbPath, query) {
	const r = spawnSync('sqlite3', ['-readonly', '-json', dbPath, query], { encoding: 'utf8', maxBuffer: 1 << 28 });
	if (r.error) return { missing: true };
	if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
	return { rows: r.stdout.trim() ? JSON.parse(r.stdout) : [] };
}

const SQLITE = {
	tables: (db) => sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"),
	columns: (db, t) => sqlite(db, `PRAGMA table_info("${t}")`).rows.map((c) => ({ name: c.name, blob: /BLOB/i.test(c.type) })),
	/* stored files: their length and a prefix stand for the bytes */
	blob: (c) => `length("${c}") || ':' || hex(substr("${c}", 1, 32)) AS "${c}"`,
	rows: (db, t, list) => sqlite(db, `SELECT ${list} FROM "${t}"`).rows,
};

const PG_SCHEMA = 'table_schema = current_schema()';
const PG = {
	tables: (db) => ({
		rows: psql(db, `SELECT table_name FROM information_schema.tables WHERE ${PG_SCHEMA} AND table_type = 'BASE TABLE' ORDER BY 1`)
			.split('\n').filter(Boolean).map((name) => ({ name })),
	}),
	columns: (db, t) =>
		psql(db, `SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE ${PG_SCHEMA} AND table_name = '${t}' ORDER BY ordinal_position`)
			.split('\n').filter(Boolean).map((l) => ({ name: l.split(' ')[0], blob: / bytea$/.test(l) })),
	blob: (c) => `length("${c}") || ':' || encode(substring("${c}" from 1 for 32), 'hex') AS "${c}"`,
	rows: (db, t, list) => JSON.parse(psql(db, `SELECT coalesce(json_agg(r), '[]') FROM (SELECT ${list} FROM "${t}") r`)),
};

/* {table: rows} for a database URL (sqlite:PATH, a bare path, or
 * postgresql://...), or null when the sqlite3 shell is not installed. */
export function dbSnapshot(dbUrl) {
	const pg = /^postgres(ql)?:/.test(dbUrl);
	const be = pg ? PG : SQLITE;
	const db = pg ? dbUrl : dbUrl.replace(/^sqlite:/, '');
	const tables = be.tables(db);
	if (tables.missing) return null;
	const snap = {};
	for (const { name } of tables.rows) {
		if (SKIP_TABLE.test(name)) continue;
		const cols = be.columns(db, name).filter((c) => !SKIP_COLUMN.test(c.name));
		if (!cols.length) continue;
		const list = cols.map((c) => (c.blob ? be.blob(c.name) : `"${c.name}"`)).join(', ');
		snap[name] = be.rows(db, name, list).map((r) => JSON.stringify(r)).sort().map((j) => JSON.parse(j));
	}
	return snap;
}

/* Human-readable differences between two snapshots ([] when equal). */
export function dbDiff(before, after) {
	const out = [];
	for (const t of new Set([...Object.keys(before), ...Object.keys(after)])) {
		const a = (before[t] || []).map((r) => JSON.stringify(r));
		const b = (after[t] || []).map((r) => JSON.stringify(r));
		const sa = new Set(a);
		const sb = new Set(b);
		for (const r of a) if (!sb.has(r)) out.push(`${t}: - ${r}`);
		for (const r of b) if (!sa.has(r)) out.push(`${t}: + ${r}`);
	}
	return out;
}
