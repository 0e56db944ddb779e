// Two `cassis serve` processes on one PostgreSQL database behave as one
// server: sessions, CSRF tokens, lockouts and API keys live in the database,
// dossier numbers stay unique and gap-free under concurrent creation through
// both, what one process writes the other reads at once, and tenant isolation
// holds across them; a second pair shows the state kept outside the requests:
// each period of each background job runs in one process only, and the API
// rate limit of a key counts the requests of both processes.
//
// Runs only when CASSIS_TEST_PG names a PostgreSQL server (scripts/test sets
// it): several processes on one SQLite file are not a supported deployment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Fixtures } from './lib/fixtures.mjs';
import { Session } from './lib/http.mjs';
import { psql } from './lib/pg.mjs';
import { assertCleanExit, startPeer, startServer } from './lib/server.mjs';

const SKIP = process.env.CASSIS_TEST_PG
	? false
	: 'CASSIS_TEST_PG is not set: two processes share a database only on PostgreSQL (scripts/test runs this file on its throwaway cluster)';

let p1, p2, fx;

before(async () => {
	if (SKIP) return;
	p1 = await startServer();
	p2 = await startPeer(p1);
	fx = new Fixtures(p1);
});

after(async () => {
	const ends = [];
	try {
		for (const p of [p2, p1]) if (p) ends.push(await p.stop());
		for (const end of ends) assertCleanExit(end);
	} finally {
		/* p1 owns the database: dropped last */
		for (const p of [p2, p1]) if (p) p.cleanup();
	}
});

/* The same cookies, CSRF token and API key, sent to another process. */
function over(s, srv) {
	const c = new Session(srv.base);
	c.jar = new Map(s.jar);
	c.csrf = s.csrf;
	c.apiKey = s.apiKey;
	return c;
}

/* A Session of API key of "role@T" (made on process 1) for srv. */
async function keySession(srv, who) {
	const key = await p1.apiKey(who);
	assert.ok(key, `no API key for ${who}`);
	const s = new Session(srv.base);
	s.apiKey = key;
	return s;
}

test('a session opened on process 1 works on process 2; a logout on 2 ends it on 1', { skip: SKIP }, async () => {
	const s1 = await p1.login('sortie@A');
	const s2 = over(s1, p2);
	const home = await s2.get('/');
	assert.equal(home.status, 200, 'the cookie of process 1 opens the dashboard on process 2');
	assert.ok(home.text.includes(p1.users['sortie@A'].name), 'process 2 knows who is signed in');
	assert.equal(s2.csrf, s1.csrf, 'both processes show the session\'s one CSRF token');
	const out = await s2.post('/deconnexion', {});
	assert.equal(out.status, 303, `logout on process 2 (with the token of process 1): ${out.status}`);
	const after1 = await s1.get('/');
	assert.equal(after1.status, 303, 'the session is over on process 1 too');
	assert.equal(after1.headers.get('location'), '/connexion');
});

test('a lockout counts the failures on both processes: 3 on 1 and 2 on 2 lock the account on both', { skip: SKIP }, async () => {
	const u = p1.users['verrou@A'];
	for (let i = 0; i < 3; i++)
		await assert.rejects(p1.newSession().login(u.email, 'mauvais-mot-de-passe'), /refused: 401/);
	for (let i = 0; i < 2; i++)
		await assert.rejects(p2.newSession().login(u.email, 'mauvais-mot-de-passe'), /refused: 401/);
	await assert.rejects(p1.login('verrou@A'), /refused: 401/, 'the right password is refused on process 1');
	await assert.rejects(p2.login('verrou@A'), /refused: 401/, 'the right password is refused on process 2');
});

test('simultaneous failures on both processes are all counted: 5 at once lock the account', { skip: SKIP }, async () => {
	const u = p1.users['auditeur@B'];
	const tries = [p1, p1, p1, p2, p2].map((p) => p.newSession().login(u.email, 'mauvais-mot-de-passe'));
	const res = await Promise.allSettled(tries);
	assert.ok(res.every((r) => r.status === 'rejected' && /refused: 401/.test(r.reason.message)), 'five refusals');
	await assert.rejects(p2.login('auditeur@B'), /refused: 401/, 'locked on process 2');
	await assert.rejects(p1.login('auditeur@B'), /refused: 401/, 'locked on process 1');
});

test('four failures spread over both processes do not lock: the count is not inflated', { skip: SKIP }, async () => {
	const u = p1.users['valideur@B'];
	for (const p of [p1, p2, p1, p2])
		await assert.rejects(p.newSession().login(u.email, 'mauvais-mot-de-passe'), /refused: 401/);
	const s = await p2.login('valideur@B');
	assert.equal((await s.get('/')).status, 200);
});

const PERSON = {
	nom_naissance: 'Multiprocès', prenoms: ['Léonie'], sexe: 'F', date_naissance: '1979-05-17',
	lieu_naissance: { type: 'commune', code: '75056' }, nationalite: 'francaise',
};

test('an object written on one process is read at once on the other', { skip: SKIP }, async () => {
	const a1 = await keySession(p1, 'instructeur@A');
	const a2 = over(a1, p2);
	const made = await a1.request('POST', '/api/v1/persons', { json: PERSON });
	assert.equal(made.status, 201, made.text);
	const id = made.json.id;
	const read = await a2.get(`/api/v1/persons/${id}`);
	assert.equal(read.status, 200, 'the person made on process 1 is found on process 2');
	assert.equal(read.json.nom_naissance, 'Multiprocès');
	const patch = await a2.request('PATCH', `/api/v1/persons/${id}`, { json: { nom_usage: 'Deux-Serveurs' } });
	assert.equal(patch.status, 200, patch.text);
	const back = await a1.get(`/api/v1/persons/${id}`);
	assert.equal(back.json.nom_usage, 'Deux-Serveurs', 'the change made on process 2 is read on process 1');
	const page = await over(await p1.session('instructeur@A'), p2).get(`/usagers/${id}`);
	assert.equal(page.status, 200);
	assert.ok(page.text.includes('Deux-Serveurs'), 'and shown on the pages of process 2');
});

test('an API key revoked on process 1 is refused at once on process 2', { skip: SKIP }, async () => {
	const k2 = await keySession(p2, 'accueil@A');
	assert.equal((await k2.get('/api/v1/persons')).status, 200, 'the key made on process 1 works on process 2');
	const admin = await p1.session('administrateur@A');
	const res = await admin.post(`/admin/cles-api/${p1.keyIds.get('accueil@A')}/revoquer`, {});
	assert.equal(res.status, 303, `revocation on process 1: ${res.status}`);
	assert.equal((await k2.get('/api/v1/persons')).status, 401, 'refused on process 2');
});

/* POST /api/v1/dossiers, sent again on 409 as the API documents (counted:
 * the numbering lock of the store should leave none). */
async function openDossier(s, body, stats) {
	for (let attempt = 0; attempt < 20; attempt++) {
		const res = await s.request('POST', '/api/v1/dossiers', { json: body });
		if (res.status !== 409) return res;
		stats.conflicts += 1;
	}
	throw new Error('still 409 after 20 attempts');
}

/* Every dossier of the key's CCAS, through the paginated API. */
async function allDossiers(s) {
	const all = [];
	let url = '/api/v1/dossiers?limit=200';
	for (;;) {
		const page = await s.get(url);
		assert.equal(page.status, 200, page.text);
		all.push(...page.json.data);
		if (!page.json.next_cursor) return all;
		url = `/api/v1/dossiers?limit=200&cursor=${page.json.next_cursor}`;
	}
}

test('2×20 dossiers opened at once through both processes get unique, gap-free numbers, no 409 or 500', { skip: SKIP }, async (t) => {
	const [household, aid] = [await fx.get('A', 'household'), await fx.get('A', 'aid_type')];
	const a1 = await keySession(p1, 'instructeur@A');
	const a2 = over(a1, p2);
	const stats = { conflicts: 0 };
	const body = (i) => ({ household_id: household, aid_type_id: aid, motif: `Demande simultanée n° ${i}`, montant_demande_centimes: 1000 + i });
	const sends = [];
	for (let i = 0; i < 20; i++) sends.push(openDossier(a1, body(i), stats), openDossier(a2, body(20 + i), stats));
	const res = await Promise.all(sends);
	t.diagnostic(`409 answers sent again: ${stats.conflicts}`);
	const statuses = res.map((r) => r.status);
	assert.deepEqual(statuses.filter((s) => s !== 201), [], `every creation answered 201: ${res.filter((r) => r.status !== 201).map((r) => r.text.slice(0, 300)).join('\n')}`);
	const numeros = res.map((r) => r.json.numero);
	assert.equal(new Set(numeros).size, 40, `40 distinct numbers: ${numeros.sort().join(' ')}`);
	assert.equal(new Set(res.map((r) => r.json.id)).size, 40, '40 distinct ids');
	const listed = (await allDossiers(a2)).map((d) => d.numero);
	for (const n of numeros) assert.ok(listed.includes(n), `${n} is listed on process 2`);
	assert.equal(stats.conflicts, 0, 'no 409: the numbering is serialized across processes');
	const byYear = new Map();
	for (const n of listed) {
		const [y, seq] = n.split('-');
		byYear.set(y, [...(byYear.get(y) || []), Number(seq)]);
	}
	for (const [y, seqs] of byYear) {
		seqs.sort((a, b) => a - b);
		assert.deepEqual(seqs, seqs.map((_, i) => i + 1), `the numbers of ${y} run from 1 without a gap`);
	}
	const bodies = new Map(res.map((r) => [r.json.motif, r.json.montant_demande_centimes]));
	for (let i = 0; i < 40; i++) assert.equal(bodies.get(`Demande simultanée n° ${i}`), 1000 + i, `dossier ${i} kept its own data`);
});

test('tenant isolation holds across processes: an object of CCAS B made on 1 is not found by A on 2', { skip: SKIP }, async () => {
	const b1 = await keySession(p1, 'instructeur@B');
	const made = await b1.request('POST', '/api/v1/persons', { json: { ...PERSON, nom_naissance: 'Brocéliande-Multi' } });
	assert.equal(made.status, 201, made.text);
	const id = made.json.id;
	assert.equal((await over(b1, p2).get(`/api/v1/persons/${id}`)).status, 200, 'B finds it on process 2');
	const a2 = over(await keySession(p1, 'instructeur@A'), p2);
	assert.equal((await a2.get(`/api/v1/persons/${id}`)).status, 404, 'A gets 404 through the API');
	const patch = await a2.request('PATCH', `/api/v1/persons/${id}`, { json: { nom_usage: 'Intrus' } });
	assert.equal(patch.status, 404, 'A cannot change it');
	const pageA = over(await p1.session('instructeur@A'), p2);
	assert.equal((await pageA.get(`/usagers/${id}`)).status, 404, 'A gets 404 on the pages');
	const list = await a2.get('/api/v1/persons?limit=200');
	assert.equal(list.status, 200);
	assert.ok(!list.text.includes('Brocéliande-Multi'), 'A\'s list on process 2 does not show it');
	const again = await over(b1, p1).get(`/api/v1/persons/${id}`);
	assert.equal(again.json.nom_usage ?? null, null, 'unchanged for B');
});

/* ---- background jobs and the rate limit: a pair of their own ---- */

/* Both processes of this pair run their jobs every second
 * (CASSIS_JOB_TICK=1) on a clock the test moves (CASSIS_NOW=@FILE), and let
 * 20 API requests a minute through per key (CASSIS_API_RATE=20). */
const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-clock-'));
const clockFile = path.join(clockDir, 'now');
const T0 = Date.parse('2027-03-01T09:00:00Z') / 1000; /* a multiple of 600 */
const JOBS = ['rate_limits', 'sessions'];
let q1, q2;

/* Sets the clock of the pair; written aside and renamed, so that a process
 * never reads a half-written file. */
function setNow(t) {
	fs.writeFileSync(`${clockFile}.new`, `${t}\n`);
	fs.renameSync(`${clockFile}.new`, clockFile);
}

async function jobPair() {
	if (q1) return;
	setNow(T0 + 5);
	const env = { CASSIS_NOW: `@${clockFile}`, CASSIS_JOB_TICK: '1', CASSIS_API_RATE: '20' };
	q1 = await startServer({ env });
	q2 = await startPeer(q1, { env });
}

after(async () => {
	const ends = [];
	try {
		for (const q of [q2, q1]) if (q) ends.push(await q.stop());
		for (const end of ends) assertCleanExit(end);
	} finally {
		for (const q of [q2, q1]) if (q) q.cleanup();
		fs.rmSync(clockDir, { recursive: true, force: true });
	}
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, pred, timeoutMs = 15000) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (pred()) return;
		await sleep(150);
	}
	assert.fail(`${what}: not seen after ${timeoutMs} ms`);
}

const sqlInt = (q, sql) => Number(psql(q.dbUrl, sql).trim());

/* The "job" log lines of process q: [{job, slot, result}]. */
function jobLog(q) {
	const out = [];
	for (const l of q.logLines()) {
		try {
			const e = JSON.parse(l);
			if (e.msg === 'job') out.push(e);
		} catch {
			/* not a log line */
		}
	}
	return out;
}

function keySessions(key) {
	return [q1, q2].map((q) => {
		const s = new Session(q.base);
		s.apiKey = key;
		return s;
	});
}

test('two processes share one rate limit: 60 calls of one key alternating between them, 20 answered, 40 refused with Retry-After', { skip: SKIP }, async () => {
	await jobPair();
	const via = keySessions(await q1.apiKey('instructeur@A'));
	const statuses = [[], []];
	for (let i = 0; i < 60; i++) {
		const res = await via[i % 2].get('/api/v1/aid-types');
		statuses[i % 2].push(res.status);
		if (res.status === 429) {
			assert.equal(res.headers.get('retry-after'), '55', 'the minute ends 55 s after T0 + 5');
			assert.equal(res.json.error.code, 'rate_limited');
		}
	}
	const all = statuses.flat();
	assert.equal(all.filter((s) => s === 200).length, 20, 'exactly the limit answered');
	assert.equal(all.filter((s) => s === 429).length, 40, 'the rest refused');
	for (const [i, st] of statuses.entries())
		assert.deepEqual(st, [...Array(10).fill(200), ...Array(20).fill(429)], `process ${i + 1}: 10 answered, then refused`);
	assert.equal(sqlInt(q1, 'SELECT sum(count) FROM rate_limits'), 60, 'one counter for both processes');
});

test('two processes share one rate limit under a burst: 40 simultaneous calls of one key, exactly 20 answered', { skip: SKIP }, async () => {
	await jobPair();
	const via = keySessions(await q1.apiKey('accueil@A'));
	const res = await Promise.all(Array.from({ length: 40 }, (_, i) => via[i % 2].get('/api/v1/persons')));
	const statuses = res.map((r) => r.status);
	assert.equal(statuses.filter((s) => s === 200).length, 20, statuses.join(' '));
	assert.equal(statuses.filter((s) => s === 429).length, 20, statuses.join(' '));
});

test('two processes run each period of each job once: one run per (job, slot), expired sessions deleted once', { skip: SKIP }, async (t) => {
	await jobPair();
	const s0 = Math.floor((T0 + 5) / 600);
	for (const who of ['accueil@A', 'valideur@A', 'auditeur@A']) await q1.login(who);
	for (const who of ['accueil@B', 'valideur@B']) await q2.login(who);
	const opened = sqlInt(q1, 'SELECT count(*) FROM sessions');
	const windows = sqlInt(q1, 'SELECT count(*) FROM rate_limits');
	assert.ok(opened >= 5 && windows >= 1, `${opened} sessions, ${windows} rate-limit windows`);
	const N = 6; /* sessions expire at the 4th period (idle 30 min), the windows at the 6th (1 h) */
	for (let k = 1; k <= N; k++) {
		setNow(T0 + 5 + 600 * k);
		await waitFor(`both jobs of slot ${s0 + k}`, () =>
			sqlInt(q1, `SELECT count(*) FROM job_runs WHERE slot = ${s0 + k} AND finished_at IS NOT NULL`) === 2);
	}
	await sleep(2500); /* both processes tick again on the last slot */

	const rows = psql(q1.dbUrl, 'SELECT job, slot, host, result FROM job_runs ORDER BY job, slot')
		.trim().split('\n').map((l) => {
			const [job, slot, host, result] = l.split('|');
			return { job, slot: Number(slot), host, result: JSON.parse(result) };
		});
	for (const job of JOBS)
		assert.deepEqual(rows.filter((r) => r.job === job).map((r) => r.slot),
			Array.from({ length: N + 1 }, (_, k) => s0 + k), `${job}: one run per slot, none missing`);

	/* no double processing: each run is in the log of one process only, the one named by its row */
	const logged = new Map();
	for (const q of [q1, q2])
		for (const e of jobLog(q)) {
			const key = `${e.job}/${e.slot}`;
			assert.ok(!logged.has(key), `${key} ran twice`);
			logged.set(key, { pid: q.proc.pid, result: e.result });
		}
	assert.equal(logged.size, rows.length, 'every run logged once');
	for (const r of rows) {
		const l = logged.get(`${r.job}/${r.slot}`);
		assert.ok(l, `${r.job}/${r.slot} logged`);
		assert.ok(r.host.endsWith(`:${l.pid}`), `${r.job}/${r.slot}: run by the process that logged it`);
		assert.deepEqual(r.result, l.result, 'the same counts in job_runs and in the log');
	}
	const pids = rows.map((r) => r.host.split(':').pop());
	t.diagnostic(`runs by process 1: ${pids.filter((p) => p === String(q1.proc.pid)).length}, by process 2: ${pids.filter((p) => p === String(q2.proc.pid)).length}`);

	const deleted = (job) => rows.filter((r) => r.job === job && r.result.deleted > 0);
	assert.deepEqual(deleted('sessions').map((r) => [r.slot, r.result.deleted]), [[s0 + 4, opened]],
		'the expired sessions were deleted once, by one run of the 4th period');
	assert.equal(sqlInt(q1, 'SELECT count(*) FROM sessions'), 0);
	assert.deepEqual(deleted('rate_limits').map((r) => [r.slot, r.result.deleted]), [[s0 + 6, windows]],
		'the ended windows were deleted once, an hour later');
	assert.equal(sqlInt(q1, 'SELECT count(*) FROM rate_limits'), 0);
});
