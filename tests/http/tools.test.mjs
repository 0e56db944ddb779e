// The data tools of the command line: `cassis backup` and `cassis restore`
// (SQLite online backup, round trip under write load, refusals) and
// `cassis migrate-data` (SQLite to SQLite; SQLite to PostgreSQL when
// CASSIS_TEST_PG names a server, see scripts/pg-cluster). Checks inside
// the copies go through the `sqlite3` shell and `psql`.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BIN, ROOT, cli, startServer, startPeer, assertCleanExit, assertNoSanitizerReport } from './lib/server.mjs';
import { Session } from './lib/http.mjs';
import { pgCreateDatabase, pgDropDatabase, psql } from './lib/pg.mjs';

const hasSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* One SQL text through the sqlite3 shell: rows as objects. */
function sq(file, sql) {
	const r = spawnSync('sqlite3', ['-json', file, sql], { encoding: 'utf8', maxBuffer: 1 << 28 });
	if (r.status !== 0) throw new Error(`sqlite3 ${sql}: ${r.stderr}`);
	return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

function sqInt(file, sql) {
	const row = sq(file, sql)[0];
	return Number(Object.values(row)[0]);
}

function tmpDir() {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-tools-'));
}

/* Runs the binary without blocking the event loop (the writers go on);
 * killed after timeoutMs (a backup that restarts at every commit never
 * ends). */
function cliAsync(args, timeoutMs = 60000) {
	return new Promise((resolve, reject) => {
		const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		const timer = setTimeout(() => {
			stderr += `\n(killed after ${timeoutMs} ms)`;
			p.kill('SIGKILL');
		}, timeoutMs);
		p.stdout.on('data', (d) => (stdout += d));
		p.stderr.on('data', (d) => (stderr += d));
		p.on('error', reject);
		p.on('exit', (status) => {
			clearTimeout(timer);
			assertNoSanitizerReport(stderr, `cassis ${args.join(' ')}`);
			resolve({ status, stdout, stderr });
		});
	});
}

function ok(r, what) {
	assert.equal(r.status, 0, `${what}: exit ${r.status}\n${r.stdout}${r.stderr}`);
	return r.stdout;
}

/* A small Cassis database: migrations and one CCAS. */
function smallDb(dir, name) {
	const file = path.join(dir, name);
	ok(cli(['tenant', 'add', '--db', `sqlite:${file}`, '--name', 'CCAS de Petiteville',
		'--siret', '21750001600019', '--communes', '75056']), 'tenant add');
	return file;
}

/* i written with letters: names hold no digit */
const letters = (i) => (i < 26 ? '' : letters(Math.floor(i / 26) - 1)) + String.fromCharCode(97 + (i % 26));

const PERSON = (i) => ({
	nom_naissance: `Charge-${letters(i)}`,
	prenoms: ['Léa'],
	sexe: 'F',
	date_naissance: '1990-05-17',
	lieu_naissance: { type: 'commune', code: '75056' },
	nationalite: 'francaise',
});

/* A SQLite-backed server even when the suite runs on PostgreSQL: the
 * backup tools are SQLite's. */
async function startSqliteServer() {
	const saved = process.env.CASSIS_TEST_PG;
	delete process.env.CASSIS_TEST_PG;
	try {
		/* no API rate limit: the writers of the backup test send as fast as they can */
		return await startServer({ env: { CASSIS_API_RATE: '0' } });
	} finally {
		if (saved !== undefined) process.env.CASSIS_TEST_PG = saved;
	}
}

describe('cassis backup and restore', { skip: !hasSqlite3 && 'no sqlite3 shell' }, () => {
	let dir;
	before(() => {
		dir = tmpDir();
	});
	after(() => {
		if (!process.env.CASSIS_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
	});

	test('a backup taken under a stream of writes is one consistent snapshot, and restores', async () => {
		const srv = await startSqliteServer();
		try {
			const api = await srv.apiSession('instructeur@A');
			assert.ok(api, 'API keys can be created');
			/* three writers create persons until told to stop; each creation
			 * writes a person and its audit row in one transaction */
			const acks = []; /* {id, at} */
			const starts = []; /* start time of every request */
			let stop = false;
			let n = 0;
			const writer = async () => {
				while (!stop) {
					const i = n++;
					starts.push(Date.now());
					const res = await api.request('POST', '/api/v1/persons', { json: PERSON(i) });
					assert.equal(res.status, 201, res.text);
					acks.push({ id: res.json.id, at: Date.now() });
				}
			};
			const writers = [writer(), writer(), writer()];
			while (acks.length < 30) await sleep(10);
			const file = path.join(dir, 'charge.db');
			const t0 = Date.now();
			/* one page per step and a pause: the copy spans many commits */
			const r = await cliAsync(['backup', '--db', srv.dbUrl, '--to', file, '--pages', '1', '--pause', '15']);
			const t1 = Date.now();
			stop = true;
			await Promise.all(writers);
			assert.equal(r.status, 0, r.stderr);
			assert.match(r.stdout, /Sauvegarde écrite : .*charge\.db \(\d+ octets, schéma version \d+\)/);
			const during = acks.filter((a) => a.at > t0 && a.at < t1).length;
			assert.ok(during >= 5, `writes went on during the backup (${during})`);

			/* the file: whole, self-contained, foreign keys hold */
			assert.deepEqual(sq(file, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
			assert.deepEqual(sq(file, 'PRAGMA foreign_key_check'), []);
			assert.equal(sq(file, 'PRAGMA journal_mode')[0].journal_mode, 'delete');
			assert.ok(!fs.existsSync(file + '-wal'), 'no WAL file next to the backup');

			/* a snapshot: every person has its audit row and the reverse */
			const ids = new Set(acks.map((a) => a.id));
			const inBackup = sq(file, "SELECT id FROM persons WHERE nom_naissance LIKE 'Charge%' ORDER BY id").map((x) => x.id);
			const audited = sqInt(file, "SELECT count(*) FROM audit_log WHERE object_type = 'person' AND action = 'creation' " +
				"AND object_id IN (SELECT id FROM persons WHERE nom_naissance LIKE 'Charge%')");
			const orphanAudit = sqInt(file, "SELECT count(*) FROM audit_log a WHERE object_type = 'person' " +
				"AND action = 'creation' AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = a.object_id)");
			assert.equal(audited, inBackup.length, 'one audit row per person in the backup');
			assert.equal(orphanAudit, 0, 'no audit row without its person');
			/* writes acknowledged before the backup started are in, writes
			 * started after it ended are not */
			const before0 = acks.filter((a) => a.at < t0).map((a) => a.id);
			for (const id of before0) assert.ok(inBackup.includes(id), `person ${id} acknowledged before the backup`);
			const startedBefore1 = starts.filter((s) => s < t1).length;
			assert.ok(inBackup.length <= startedBefore1, `${inBackup.length} persons, ${startedBefore1} requests started`);
			assert.ok(inBackup.length < acks.length, 'later writes are not in the backup');
			/* writers commit one after the other: the snapshot is a prefix */
			const maxIn = Math.max(...inBackup);
			for (const id of ids) if (id < maxIn) assert.ok(inBackup.includes(id), `no hole: person ${id}`);

			/* restore into a new file, then serve it */
			const restored = path.join(dir, 'restauree.db');
			const rr = cli(['restore', '--from', file, '--db', `sqlite:${restored}`]);
			assert.equal(rr.status, 0, rr.stderr);
			assert.match(rr.stdout, /Base restaurée : .*restauree\.db/);
			assert.deepEqual(sq(restored, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
			assert.deepEqual(sq(restored, 'PRAGMA foreign_key_check'), []);
			for (const t of ['persons', 'audit_log', 'users', 'api_keys'])
				assert.equal(sqInt(restored, `SELECT count(*) FROM ${t}`), sqInt(file, `SELECT count(*) FROM ${t}`), t);
			/* a backup is useless without the key ring it was sealed with */
			const ring = path.join(path.dirname(srv.dbPath), 'cassis-data.key');
			const copy = await startPeer({ dbUrl: `sqlite:${restored}`, users: srv.users },
				{ env: { CASSIS_DATA_KEY: ring } });
			try {
				const s = new Session(copy.base);
				s.apiKey = api.apiKey;
				const got = await s.get(`/api/v1/persons/${maxIn}`);
				assert.equal(got.status, 200, got.text);
				assert.match(got.json.nom_naissance, /^Charge-[a-z]+$/);
				const later = acks.find((a) => !inBackup.includes(a.id));
				assert.equal((await s.get(`/api/v1/persons/${later.id}`)).status, 404);
			} finally {
				assertCleanExit(await copy.stop());
				copy.cleanup();
			}
		} finally {
			assertCleanExit(await srv.stop());
			srv.cleanup();
		}
	});

	test('backup keeps an existing file unless --force', () => {
		const db = smallDb(dir, 'petite.db');
		const file = path.join(dir, 'existe.db');
		fs.writeFileSync(file, 'à garder');
		const r = cli(['backup', '--db', `sqlite:${db}`, '--to', file]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /existe déjà \(--force pour le remplacer\)/);
		assert.equal(fs.readFileSync(file, 'utf8'), 'à garder');
		ok(cli(['backup', '--db', `sqlite:${db}`, '--to', file, '--force']), 'backup --force');
		for (const cmd of [['backup', '--to'], ['restore', '--from']]) {
			const same = cli([cmd[0], '--db', `sqlite:${db}`, cmd[1], db, '--force']);
			assert.equal(same.status, 1, `${cmd[0]} onto the database itself`);
			assert.match(same.stderr, /est la base elle-même/);
		}
		assert.equal(sqInt(file, 'SELECT count(*) FROM tenants'), 1);
		assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.partiel-')), [], 'no temporary file left');
	});

	test('backup: missing database, bad arguments, PostgreSQL', () => {
		let r = cli(['backup', '--db', `sqlite:${path.join(dir, 'absente.db')}`, '--to', path.join(dir, 'x.db')]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /n'existe pas/);
		assert.ok(!fs.existsSync(path.join(dir, 'absente.db')), 'the missing database is not created');
		r = cli(['backup', '--db', 'sqlite:x.db']);
		assert.equal(r.status, 2);
		assert.match(r.stderr, /--to FICHIER est obligatoire/);
		r = cli(['backup', '--to', 'x', '--pages', '0']);
		assert.equal(r.status, 2);
		r = cli(['backup', '--to', 'x', '--bavard']);
		assert.equal(r.status, 2);
		for (const [cmd, tool] of [['backup', 'pg_dump'], ['restore', 'pg_restore']]) {
			const file = cmd === 'backup' ? ['--to', path.join(dir, 'pg.dump')] : ['--from', path.join(dir, 'pg.dump')];
			r = cli([cmd, '--db', 'postgresql://cassis@/cassis?host=/nulle/part', ...file]);
			assert.equal(r.status, 2, `${cmd} on PostgreSQL`);
			assert.match(r.stderr, new RegExp(`${tool}.*docs/deployment\\.md`));
		}
		r = cli(['backup', '--help']);
		assert.equal(r.status, 0);
		assert.match(r.stdout, /Usage : cassis backup/);
	});

	test('restore refuses what is not a Cassis database of a known version', () => {
		const target = path.join(dir, 'cible-refus.db');
		const text = path.join(dir, 'texte.db');
		fs.writeFileSync(text, 'ceci n’est pas une base\n'.repeat(200));
		let r = cli(['restore', '--from', text, '--db', `sqlite:${target}`]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /n'est pas une base SQLite/);

		const other = path.join(dir, 'autre.db');
		sq(other, 'CREATE TABLE notes (id INTEGER PRIMARY KEY, texte TEXT); INSERT INTO notes (texte) VALUES (\'x\')');
		r = cli(['restore', '--from', other, '--db', `sqlite:${target}`]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /n'est pas une base Cassis/);

		const future = path.join(dir, 'future.db');
		ok(cli(['backup', '--db', `sqlite:${smallDb(dir, 'future-src.db')}`, '--to', future]), 'backup');
		sq(future, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_futur.sql', 0)");
		r = cli(['restore', '--from', future, '--db', `sqlite:${target}`]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /schéma version 999, plus récent que ce programme/);

		r = cli(['restore', '--from', path.join(dir, 'absente.db'), '--db', `sqlite:${target}`]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /n'existe pas/);
		assert.ok(!fs.existsSync(target), 'no target created by a refused restore');
	});

	test('restore refuses a target that holds data unless --force; an empty one is fine', () => {
		const src = smallDb(dir, 'source-r.db');
		const file = path.join(dir, 'sauvegarde-r.db');
		ok(cli(['backup', '--db', `sqlite:${src}`, '--to', file]), 'backup');

		const full = path.join(dir, 'pleine.db');
		ok(cli(['tenant', 'add', '--db', `sqlite:${full}`, '--name', 'CCAS de Grandeville',
			'--siret', '26690001800018', '--communes', '69123']), 'tenant add');
		let r = cli(['restore', '--from', file, '--db', `sqlite:${full}`]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /n'est pas vide \(table [a-z_]+\) : --force pour la remplacer/);
		assert.equal(sq(full, 'SELECT name FROM tenants')[0].name, 'CCAS de Grandeville', 'target unchanged');
		r = cli(['restore', '--from', file, '--db', `sqlite:${full}`, '--force']);
		assert.equal(r.status, 0, r.stderr);
		assert.equal(sq(full, 'SELECT name FROM tenants')[0].name, 'CCAS de Petiteville');
		assert.deepEqual(sq(full, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);

		const empty = path.join(dir, 'vide.db');
		ok(cli(['migrate', '--db', `sqlite:${empty}`]), 'migrate');
		r = cli(['restore', '--from', file, '--db', `sqlite:${empty}`]);
		assert.equal(r.status, 0, r.stderr);
		assert.equal(sqInt(empty, 'SELECT count(*) FROM tenants'), 1);

		const notDb = path.join(dir, 'document.txt');
		fs.writeFileSync(notDb, 'un document précieux\n'.repeat(300));
		r = cli(['restore', '--from', file, '--db', `sqlite:${notDb}`, '--force']);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /n'est pas une base SQLite : elle n'est pas remplacée/);
		assert.equal(fs.readFileSync(notDb, 'utf8'), 'un document précieux\n'.repeat(300));
	});

	test('restore applies the migrations an older backup lacks', () => {
		/* what an older program wrote: every migration but the newest */
		const dirM = path.join(ROOT, 'src/store/migrations');
		const files = fs.readdirSync(dirM).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
		const older = files.slice(0, -1);
		const file = path.join(dir, 'ancienne.db');
		const sql = ['CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);']
			.concat(older.map((f) => fs.readFileSync(path.join(dirM, f), 'utf8') +
				`;\nINSERT INTO schema_migrations VALUES (${parseInt(f, 10)}, '${f}', 0);`));
		sq(file, sql.join('\n'));
		const target = path.join(dir, 'migree.db');
		const r = cli(['restore', '--from', file, '--db', `sqlite:${target}`]);
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /1 migration\(s\) appliquée\(s\)/);
		assert.equal(sqInt(target, 'SELECT max(version) FROM schema_migrations'), parseInt(files.at(-1), 10));
	});
});

/* The demo installation, created once for the migrate-data tests. */
function demoDb(dir) {
	const file = path.join(dir, 'demo.db');
	ok(cli(['demo', '--db', `sqlite:${file}`]), 'cassis demo');
	return file;
}

function checkReport(out, tables) {
	for (const t of tables) assert.match(out, new RegExp(`^${t} +\\d+ +\\d+  [0-9a-f]{16} [0-9a-f]{16} identique$`, 'm'), t);
	assert.doesNotMatch(out, /ÉCART/);
	assert.match(out, /Copie vérifiée : \d+ tables/);
}

function sqliteTables(file) {
	return sq(file, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' " +
		"AND name <> 'schema_migrations' ORDER BY name").map((r) => r.name);
}

describe('cassis migrate-data', { skip: !hasSqlite3 && 'no sqlite3 shell' }, () => {
	let dir;
	let demo;
	before(() => {
		dir = tmpDir();
		demo = demoDb(dir);
	});
	after(() => {
		if (!process.env.CASSIS_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
	});

	test('SQLite to SQLite: every table copied, counted and checksummed', () => {
		const target = path.join(dir, 'copie.db');
		const r = cli(['migrate-data', '--from', `sqlite:${demo}`, '--to', `sqlite:${target}`]);
		ok(r, 'migrate-data');
		const tables = sqliteTables(demo);
		checkReport(r.stdout, tables);
		assert.deepEqual(sq(target, 'PRAGMA foreign_key_check'), []);
		for (const t of tables)
			assert.deepEqual(sq(target, `SELECT * FROM ${t} ORDER BY 1`), sq(demo, `SELECT * FROM ${t} ORDER BY 1`), t);
	});

	test('refuses a target that holds rows, and says which tables', () => {
		const target = path.join(dir, 'occupee.db');
		ok(cli(['tenant', 'add', '--db', `sqlite:${target}`, '--name', 'CCAS de Grandeville',
			'--siret', '26690001800018', '--communes', '69123']), 'tenant add');
		const r = cli(['migrate-data', '--from', `sqlite:${demo}`, '--to', `sqlite:${target}`]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /la base cible n'est pas vide : tenants \(1 ligne\(s\)\)/);
		assert.equal(sqInt(target, 'SELECT count(*) FROM persons'), 0, 'nothing copied');
	});

	test('bad arguments and sources', () => {
		let r = cli(['migrate-data', '--from', `sqlite:${demo}`]);
		assert.equal(r.status, 2);
		r = cli(['migrate-data', '--from', 'postgresql://x@/y', '--to', 'sqlite:/tmp/z.db']);
		assert.equal(r.status, 2);
		assert.match(r.stderr, /la source doit être une base SQLite/);
		r = cli(['migrate-data', '--from', `sqlite:${demo}`, '--to', `sqlite:${demo}`]);
		assert.equal(r.status, 2);
		r = cli(['migrate-data', '--from', `sqlite:${path.join(dir, 'absente.db')}`, '--to', `sqlite:${path.join(dir, 'n.db')}`]);
		assert.equal(r.status, 1);
		assert.match(r.stderr, /n'existe pas/);
		assert.ok(!fs.existsSync(path.join(dir, 'absente.db')));
		r = cli(['migrate-data', '--help']);
		assert.equal(r.status, 0);
		assert.match(r.stdout, /Usage : cassis migrate-data/);
	});
});

/* Every page of an API list. */
async function listAll(s, route) {
	const out = [];
	let cursor = null;
	do {
		const res = await s.get(`${route}?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
		assert.equal(res.status, 200, res.text);
		out.push(...res.json.data);
		cursor = res.json.next_cursor;
	} while (cursor);
	return out;
}

/* An API key of the demo CCAS, created through its administration page. */
async function demoApiKey(base) {
	const admin = new Session(base);
	await admin.login('administrateur@demoville.fr', 'Demoville-2026');
	let res = await admin.post('/admin/cles-api', { label: 'Comparaison', role: 'instructeur' });
	if (res.status === 303) res = await admin.get(res.headers.get('location'));
	const m = /cas_[A-Za-z0-9_-]{20,}/.exec(res.text);
	assert.ok(m, `an API key is shown (${res.status})`);
	return m[0];
}

describe('cassis migrate-data to PostgreSQL', { skip: !process.env.CASSIS_TEST_PG && 'CASSIS_TEST_PG not set' }, () => {
	let dir;
	const dbs = [];
	before(() => {
		dir = tmpDir();
	});
	after(() => {
		for (const url of dbs) pgDropDatabase(url);
		if (!process.env.CASSIS_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
	});

	test('the demo copied to PostgreSQL serves the same persons and dossiers', async () => {
		const demo = demoDb(dir);
		/* an API key in the source, to read both installations the same way */
		const src = await startPeer({ dbUrl: `sqlite:${demo}`, users: {} });
		let key;
		let before;
		try {
			key = await demoApiKey(src.base);
			const s = new Session(src.base);
			s.apiKey = key;
			before = { persons: await listAll(s, '/api/v1/persons'), dossiers: await listAll(s, '/api/v1/dossiers') };
		} finally {
			assertCleanExit(await src.stop());
			src.cleanup();
		}
		assert.ok(before.persons.length > 10 && before.dossiers.length > 5);

		const pg = pgCreateDatabase(process.env.CASSIS_TEST_PG, 'cassis_tools');
		dbs.push(pg);
		const r = cli(['migrate-data', '--from', `sqlite:${demo}`, '--to', pg]);
		ok(r, 'migrate-data to PostgreSQL');
		const tables = sqliteTables(demo);
		checkReport(r.stdout, tables);
		for (const t of tables)
			assert.equal(Number(psql(pg, `SELECT count(*) FROM ${t}`).trim()), sqInt(demo, `SELECT count(*) FROM ${t}`), t);

		/* the copied notes and answers stay sealed under the demo's key ring */
		const copy = await startPeer({ dbUrl: pg, users: {} },
			{ env: { CASSIS_DATA_KEY: path.join(path.dirname(demo), 'cassis-data.key') } });
		try {
			const s = new Session(copy.base);
			s.apiKey = key;
			assert.deepEqual(await listAll(s, '/api/v1/persons'), before.persons);
			assert.deepEqual(await listAll(s, '/api/v1/dossiers'), before.dossiers);
			const d = before.dossiers[0];
			assert.deepEqual((await s.get(`/api/v1/dossiers/${d.id}`)).json.id, d.id);
			/* the identity sequences were moved past the copied ids */
			const maxId = Math.max(...before.persons.map((p) => p.id));
			const created = await s.request('POST', '/api/v1/persons', { json: PERSON(1) });
			assert.equal(created.status, 201, created.text);
			assert.ok(created.json.id > maxId, `new id ${created.json.id} after ${maxId}`);
			/* and the demo accounts sign in */
			await new Session(copy.base).login('instructeur@demoville.fr', 'Demoville-2026');
		} finally {
			assertCleanExit(await copy.stop());
			copy.cleanup();
		}

		/* a second copy into the same database is refused */
		const again = cli(['migrate-data', '--from', `sqlite:${demo}`, '--to', pg]);
		assert.equal(again.status, 1);
		assert.match(again.stderr, /la base cible n'est pas vide : .*persons/);
	});

	test('backup and restore refuse PostgreSQL and point to pg_dump / pg_restore', () => {
		const r = cli(['backup', '--db', process.env.CASSIS_TEST_PG, '--to', path.join(dir, 'x.db')]);
		assert.equal(r.status, 2);
		assert.match(r.stderr, /pg_dump/);
	});
});
