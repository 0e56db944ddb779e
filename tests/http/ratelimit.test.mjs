// The rate limit of the JSON API and the background jobs, on one server
// (SQLite, or PostgreSQL with CASSIS_TEST_PG): each API key gets
// CASSIS_API_RATE requests a minute, then 429 with Retry-After until the
// minute ends; the pages are not limited; the "rate_limits" job deletes the
// counters of the minutes that ended. The server runs in test mode with
// CASSIS_NOW=@FILE (the test moves its clock) and CASSIS_JOB_TICK=1.
// Two processes sharing one limit and claiming jobs: multi.test.mjs.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Session } from './lib/http.mjs';
import { assertCleanExit, cli, startServer } from './lib/server.mjs';

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-clock-'));
const clockFile = path.join(clockDir, 'now');
const T0 = Date.parse('2027-03-01T09:00:00Z') / 1000; /* a multiple of 600 */
const RATE = 5;

/* Sets the server's clock; written aside and renamed, so that the server
 * never reads a half-written file. */
function setNow(t) {
	fs.writeFileSync(`${clockFile}.new`, `${t}\n`);
	fs.renameSync(`${clockFile}.new`, clockFile);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let srv;
before(async () => {
	setNow(T0 + 15);
	srv = await startServer({
		env: { CASSIS_NOW: `@${clockFile}`, CASSIS_API_RATE: String(RATE), CASSIS_JOB_TICK: '1' },
	});
});
after(async () => {
	if (srv) {
		const end = await srv.stop();
		srv.cleanup();
		assertCleanExit(end);
	}
	fs.rmSync(clockDir, { recursive: true, force: true });
});

/* The "job" log lines of job so far: [{slot, result}]. */
function jobRuns(job) {
	return srv
		.logLines()
		.map((l) => JSON.parse(l))
		.filter((e) => e.msg === 'job' && e.job === job);
}

async function waitFor(what, pred, timeoutMs = 10000) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		const v = pred();
		if (v) return v;
		await sleep(100);
	}
	assert.fail(`${what}: not seen after ${timeoutMs} ms`);
}

test('a key gets CASSIS_API_RATE requests a minute, then 429 with Retry-After until the minute ends', async () => {
	setNow(T0 + 15);
	const s = await srv.apiSession('instructeur@A');
	for (let i = 0; i < RATE; i++) assert.equal((await s.get('/api/v1/persons')).status, 200, `request ${i + 1}`);
	const res = await s.get('/api/v1/persons');
	assert.equal(res.status, 429, res.text);
	assert.equal(res.headers.get('retry-after'), '45');
	assert.match(res.headers.get('content-type'), /^application\/json/);
	assert.deepEqual(res.json, {
		error: { code: 'rate_limited', message: 'Trop de requêtes pour cette clé API : réessayez dans 45 secondes.' },
	});
	setNow(T0 + 59);
	const last = await s.request('POST', '/api/v1/persons', { json: {} });
	assert.equal(last.status, 429, 'a write is refused too, before its body is read');
	assert.equal(last.headers.get('retry-after'), '1');
	assert.equal(last.json.error.message, 'Trop de requêtes pour cette clé API : réessayez dans 1 seconde.');
	setNow(T0 + 60);
	assert.equal((await s.get('/api/v1/persons')).status, 200, 'the next minute starts afresh');
});

test('the limit is per key; pages and unknown keys are not counted', async () => {
	setNow(T0 + 120);
	const a = await srv.apiSession('accueil@A');
	const b = await srv.apiSession('accueil@B');
	for (let i = 0; i < RATE; i++) assert.equal((await a.get('/api/v1/persons')).status, 200);
	assert.equal((await a.get('/api/v1/persons')).status, 429);
	assert.equal((await b.get('/api/v1/persons')).status, 200, 'another key (of another CCAS) is not limited');
	const anon = new Session(srv.base);
	anon.apiKey = 'cas_cle-inconnue-0123456789abcdef';
	for (let i = 0; i < RATE + 2; i++) assert.equal((await anon.get('/api/v1/persons')).status, 401);
	const page = await srv.session('accueil@A');
	for (let i = 0; i < RATE + 2; i++) assert.equal((await page.get('/usagers')).status, 200, 'pages are not limited');
});

test('the "rate_limits" job deletes the counters of the minutes that ended, once an hour has passed', async () => {
	const before = jobRuns('rate_limits').length;
	assert.ok(before >= 1, 'the job ran at start-up');
	setNow(T0 + 3600 + 130);
	const run = await waitFor('a run of the next slot', () =>
		jobRuns('rate_limits').find((e) => e.slot === Math.floor((T0 + 3600 + 130) / 600)));
	assert.deepEqual(run.result, { deleted: 4 }, 'the minutes T0, T0+60 (one key each), T0+120 (two keys)');
	const sessions = await waitFor('a run of the sessions job', () =>
		jobRuns('sessions').find((e) => e.slot === Math.floor((T0 + 3600 + 130) / 600)));
	assert.ok(sessions.result.deleted >= 1, 'the sessions opened an hour ago expired');
	for (const l of srv.logLines().filter((x) => x.includes('"msg":"job"')))
		assert.ok(!/@|Gaëlle|cas_/.test(l), `no personal data or key in the log: ${l}`);
});

test('cassis serve refuses a bad --api-rate or --job-tick', () => {
	for (const args of [['--api-rate', '-1'], ['--api-rate', 'beaucoup'], ['--job-tick', '0'], ['--job-tick', '1.5']]) {
		const r = cli(['serve', '--db', `sqlite:${path.join(clockDir, 'jamais.db')}`, ...args]);
		assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
		assert.match(r.stderr, /--(api-rate|job-tick) attend/);
	}
	const env = cli(['serve', '--db', `sqlite:${path.join(clockDir, 'jamais.db')}`], { env: { CASSIS_JOB_TICK: '0' } });
	assert.equal(env.status, 2, 'CASSIS_JOB_TICK=0 is refused too');
});
