// A read-only picture of the test database, through the sqlite3 shell, to
// check that refused requests changed nothing. Journals (sessions, audit and
// access logs) and "last seen" columns are left out: reads may write them.
import { spawnSync } from 'node:child_process';

const SKIP_TABLE = /^(sessions|schema_migrations|migrations)$|log|access|consult/i;
const SKIP_COLUMN = /^last_|_seen$/i;

function sql(dbPath, query) {
	const r = spawnSync('sqlite3', ['-readonly', '-json', dbPath, query], { encoding: 'utf8' });
	if (r.error) return { missing: true };
	if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
	return { rows: r.stdout.trim() ? JSON.parse(r.stdout) : [] };
}

/* {table: rows} or null when the sqlite3 shell is not installed. */
export function dbSnapshot(dbPath) {
	const tables = sql(dbPath, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
	if (tables.missing) return null;
	const snap = {};
	for (const { name } of tables.rows) {
		if (SKIP_TABLE.test(name)) continue;
		const cols = sql(dbPath, `PRAGMA table_info("${name}")`).rows.map((c) => c.name).filter((c) => !SKIP_COLUMN.test(c));
		if (!cols.length) continue;
		const list = cols.map((c) => `"${c}"`).join(', ');
		snap[name] = sql(dbPath, `SELECT ${list} FROM "${name}" ORDER BY rowid`).rows;
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
