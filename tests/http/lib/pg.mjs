// PostgreSQL helpers of the test harness, through Debian's `psql`: a fresh
// database per test server on the cluster named by CASSIS_TEST_PG (see
// scripts/pg-cluster), and queries for the database snapshots.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';

const URL_RE = /^(postgres(?:ql)?:\/\/[^/?]*)(?:\/([^?]*))?(\?.*)?$/;

function parts(url) {
	const m = URL_RE.exec(url);
	if (!m) throw new Error(`not a PostgreSQL URL: ${url}`);
	return { head: m[1], dbname: decodeURIComponent(m[2] || ''), query: m[3] || '' };
}

/* url with its database name replaced by dbname. */
export function pgUrlWithDb(url, dbname) {
	const p = parts(url);
	return `${p.head}/${encodeURIComponent(dbname)}${p.query}`;
}

/* Runs one SQL text with psql on url: its output, unaligned, tuples only
 * (one row a line, columns separated by "|"). Throws on any error. */
export function psql(url, sqlText) {
	const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sqlText], {
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		timeout: 60000,
	});
	if (r.error) throw new Error(`psql: ${r.error.message} (apt-get install postgresql-client)`);
	if (r.status !== 0) throw new Error(`psql ${sqlText.slice(0, 200)}: ${r.stderr}`);
	return r.stdout;
}

/* Creates a database named prefix_<random> on the server of serverUrl and
 * returns its URL. */
export function pgCreateDatabase(serverUrl, prefix) {
	const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
	psql(serverUrl, `CREATE DATABASE "${name}"`);
	return pgUrlWithDb(serverUrl, name);
}

/* Drops the database of dbUrl, closing its remaining connections. */
export function pgDropDatabase(dbUrl) {
	const { dbname } = parts(dbUrl);
	if (!/^[a-z0-9_]+$/.test(dbname) || dbname === 'postgres') throw new Error(`will not drop "${dbname}"`);
	psql(pgUrlWithDb(dbUrl, 'postgres'), `DROP DATABASE IF EXISTS "${dbname}" WITH (FORCE)`);
}
