// A real `cassis serve` on 127.0.0.1 with a fresh temporary database,
// seeded through the command line: two CCAS (A and B), one account per role
// in each, plus spare accounts for the tests that lock or log out.
//
//   const srv = await startServer();
//   const s = await srv.session('instructeur@A');   // signed-in Session
//   ...
//   const end = await srv.stop();                   // SIGTERM
//   assertCleanExit(end);
//
// CASSIS_BIN names the binary (default build/src/cli/cassis, relative to the
// repository root). The database is a SQLite file in the server's temporary
// directory, or, when CASSIS_TEST_PG holds a PostgreSQL server URL (as
// `scripts/pg-cluster url` prints it), a fresh database on that server,
// dropped by cleanup().
import { spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Session } from './http.mjs';
import { pgCreateDatabase, pgDropDatabase } from './pg.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.resolve(ROOT, process.env.CASSIS_BIN || 'build/src/cli/cassis');

/* One password for every seeded account: long enough, and easy to look for
 * in the logs. */
export const PASSWORD = 'Tournesol-Cassis-2024!';

export const TENANTS = {
	A: { name: 'CCAS de Valbonne-sur-Test', siret: '21750001600019', communes: '75056' },
	B: { name: 'CCAS de Montrouge-Essai', siret: '26690001800018', communes: '69123' },
};

export const ROLES = ['accueil', 'instructeur', 'valideur', 'administrateur', 'auditeur'];

/* Spare accounts: "verrou" is locked by the lockout case, "sortie" logs out;
 * "plateforme@P" administers the platform (no CCAS). */
const SPARES = [
	{ key: 'verrou@A', tenant: 'A', role: 'accueil' },
	{ key: 'sortie@A', tenant: 'A', role: 'instructeur' },
	{ key: 'plateforme@P', tenant: null, role: 'plateforme' },
];

export const API_KEYS_PATH = '/admin/cles-api';

const SANITIZER_RE = /ERROR: (Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer|runtime error:/;

function userFixture(key, tenant, role) {
	const local = key.split('@')[0];
	const cap = local[0].toUpperCase() + local.slice(1);
	return {
		key,
		tenant,
		role,
		email: tenant ? `${local}.${tenant.toLowerCase()}@ccas-essai.fr` : `${local}@cassis-essai.fr`,
		name: `Gaëlle ${cap}-${tenant || 'P'}`,
	};
}

/* Every seeded account, keyed "role@T". */
export function seededUsers() {
	const users = {};
	for (const t of Object.keys(TENANTS))
		for (const role of ROLES) users[`${role}@${t}`] = userFixture(`${role}@${t}`, t, role);
	for (const s of SPARES) users[s.key] = userFixture(s.key, s.tenant, s.role);
	return users;
}

/* Throws when a sanitizer reported something in text. */
export function assertNoSanitizerReport(text, what) {
	const m = SANITIZER_RE.exec(text);
	if (!m) return;
	const from = Math.max(0, m.index - 200);
	assert.fail(`${what}: sanitizer report:\n${text.slice(from, m.index + 4000)}`);
}

/* Runs the binary synchronously: {status, stdout, stderr}. */
export function cli(args, { input, env } = {}) {
	const r = spawnSync(BIN, args, {
		input,
		env: { ...process.env, ...env },
		encoding: 'utf8',
		timeout: 30000,
	});
	if (r.error) throw r.error;
	assertNoSanitizerReport(r.stderr, `cassis ${args.join(' ')}`);
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cliOk(args) {
	const r = cli(args);
	if (r.status !== 0)
		throw new Error(`cassis ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
	return r.stdout;
}

/* The route table as `cassis routes --json` prints it. */
export function routeTable() {
	return JSON.parse(cliOk(['routes', '--json']));
}

export function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.unref();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

function seed(dbUrl, dir, users) {
	const pwFile = path.join(dir, 'password');
	fs.writeFileSync(pwFile, PASSWORD + '\n', { mode: 0o600 });
	for (const t of Object.values(TENANTS))
		cliOk(['tenant', 'add', '--db', dbUrl, '--name', t.name, '--siret', t.siret,
			'--communes', t.communes]);
	for (const u of Object.values(users)) {
		const where = u.tenant ? ['--tenant', TENANTS[u.tenant].siret, '--role', u.role] : ['--platform'];
		const out = cliOk(['user', 'add', '--db', dbUrl, ...where, '--email', u.email, '--name', u.name,
			'--password-file', pwFile]);
		u.id = Number(/identifiant (\d+)/.exec(out)[1]);
	}
	fs.rmSync(pwFile);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Server {
	constructor(proc, port, dir, dbUrl, users) {
		this.proc = proc;
		this.port = port;
		this.base = `http://127.0.0.1:${port}`;
		this.dir = dir;
		this.dbUrl = dbUrl; /* sqlite:PATH or postgresql://... */
		this.dbPath = dbUrl.startsWith('sqlite:') ? dbUrl.slice('sqlite:'.length) : null;
		this.users = users;
		this.stderr = '';
		this.exit = null;
		this.sessions = new Map();
		this.keys = new Map();
		this.keyIds = new Map();
		this.exited = new Promise((resolve) => {
			proc.on('exit', (code, signal) => {
				this.exit = { code, signal };
				resolve(this.exit);
			});
		});
		proc.stderr.setEncoding('utf8');
		proc.stderr.on('data', (d) => {
			this.stderr += d;
		});
		proc.stdout.setEncoding('utf8');
		proc.stdout.on('data', (d) => {
			this.stderr += d; /* nothing is expected on stdout: kept with the log */
		});
	}

	/* The log lines written so far (strings). */
	logLines() {
		return this.stderr.split('\n').filter((l) => l.length > 0);
	}

	async waitHealthy(timeoutMs = 15000) {
		const until = Date.now() + timeoutMs;
		while (Date.now() < until) {
			if (this.exit)
				throw new Error(`cassis serve exited (${JSON.stringify(this.exit)}):\n${this.stderr}`);
			try {
				const res = await fetch(this.base + '/healthz');
				await res.text();
				if (res.status === 200) return;
			} catch {
				/* not listening yet */
			}
			await sleep(50);
		}
		throw new Error(`cassis serve not healthy after ${timeoutMs} ms:\n${this.stderr}`);
	}

	newSession() {
		return new Session(this.base);
	}

	/* A fresh signed-in Session for "role@T" (one argon2 verification). */
	async login(who) {
		const u = this.users[who];
		if (!u) throw new Error(`no seeded account "${who}"`);
		const s = this.newSession();
		await s.login(u.email, PASSWORD);
		return s;
	}

	/* The shared signed-in Session of "role@T" (logins are reused). */
	async session(who) {
		if (!this.sessions.has(who)) this.sessions.set(who, this.login(who));
		return this.sessions.get(who);
	}

	/* Does the server have this route ("POST /admin/cles-api")? */
	hasRoute(spec) {
		this.routes ??= routeTable();
		const [method, pattern] = spec.split(' ');
		return this.routes.some((r) => r.method === method && r.pattern === pattern);
	}

	/* An API key of role "role@T", created by that tenant's administrator
	 * through the administration page; null when the page does not exist. */
	async apiKey(who) {
		if (this.keys.has(who)) return this.keys.get(who);
		if (!this.hasRoute(`POST ${API_KEYS_PATH}`)) return null;
		const [role, tenant] = who.split('@');
		const admin = await this.session(`administrateur@${tenant}`);
		const label = `Logiciel essai ${role}`;
		let res = await admin.post(API_KEYS_PATH, { label, role });
		if (res.status === 303) res = await admin.get(res.headers.get('location'));
		const m = /cas_[A-Za-z0-9_-]{20,}/.exec(res.text);
		if (!m) throw new Error(`no API key shown after creating one for ${who}: ${res.status}`);
		this.keys.set(who, m[0]);
		const row = new RegExp(`<tr id="apikey-(\\d+)">\\s*<th scope="row">${label}</th>`).exec(res.text);
		if (row) this.keyIds.set(who, Number(row[1]));
		return m[0];
	}

	/* A Session that authenticates with the API key of "role@T" (null when
	 * keys cannot be created yet). */
	async apiSession(who) {
		const key = await this.apiKey(who);
		if (!key) return null;
		const s = this.newSession();
		s.apiKey = key;
		return s;
	}

	/* Sends SIGTERM and waits for the exit: {code, signal, stderr}. */
	async stop(timeoutMs = 20000) {
		if (!this.exit) this.proc.kill('SIGTERM');
		const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
		const e = await this.exited;
		clearTimeout(timer);
		return { ...e, stderr: this.stderr };
	}

	cleanup() {
		if (!this.exit) this.proc.kill('SIGKILL');
		if (process.env.CASSIS_KEEP_TMP) return;
		fs.rmSync(this.dir, { recursive: true, force: true });
		if (this.ownsDb && !this.dbPath) pgDropDatabase(this.dbUrl);
	}
}

/* A fresh database URL: a SQLite file in dir, or a new PostgreSQL database
 * when CASSIS_TEST_PG is set. */
export function freshDbUrl(dir) {
	const server = process.env.CASSIS_TEST_PG;
	if (server) return pgCreateDatabase(server, 'cassis_http');
	return `sqlite:${path.join(dir, 'cassis.db')}`;
}

/* Starts `cassis serve` on a free port, on dbUrl: a Server. */
async function spawnServer(dir, dbUrl, users, opts, ownsDb) {
	const port = await freePort();
	const args = ['serve', '--db', dbUrl, '--port', String(port), '--threads', '4', ...(opts.args || [])];
	const proc = spawn(BIN, args, {
		env: { ...process.env, CASSIS_TEST_MODE: '1', ...opts.env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const srv = new Server(proc, port, dir, dbUrl, users);
	srv.ownsDb = ownsDb;
	try {
		await srv.waitHealthy();
	} catch (e) {
		srv.cleanup();
		throw e;
	}
	return srv;
}

/* Starts a seeded server. opts.env adds environment variables, opts.args
 * options of `cassis serve` (['--job-tick', '1']). */
export async function startServer(opts = {}) {
	if (!fs.existsSync(BIN)) throw new Error(`no cassis binary at ${BIN} (set CASSIS_BIN)`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-http-'));
	const users = seededUsers();
	let dbUrl;
	try {
		dbUrl = freshDbUrl(dir);
		seed(dbUrl, dir, users);
	} catch (e) {
		fs.rmSync(dir, { recursive: true, force: true });
		if (dbUrl && !dbUrl.startsWith('sqlite:')) pgDropDatabase(dbUrl);
		throw e;
	}
	return spawnServer(dir, dbUrl, users, opts, true);
}

/* A second `cassis serve` process on the database of srv (same accounts);
 * its cleanup() leaves the database to srv's. */
export async function startPeer(srv, opts = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-http-'));
	return spawnServer(dir, srv.dbUrl, srv.users, opts, false);
}

/* The process ended by itself with status 0 and no sanitizer report. */
export function assertCleanExit(end) {
	assertNoSanitizerReport(end.stderr, 'cassis serve');
	assert.equal(end.signal, null, `cassis serve killed by ${end.signal}`);
	assert.equal(end.code, 0, `cassis serve exit status ${end.code}\n${end.stderr.slice(-3000)}`);
}
