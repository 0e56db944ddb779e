// `cassis standin particulier`: the stand-in of API Particulier. Every
// fixture of the project's set (and of the State's sandbox set when
// ../shared is there) replayed with its own payload as the expected answer;
// the real API's behaviour around the replay (tokens, scopes and their
// filtering, recipient and parameter checks in the real order, rate limit
// headers and 429, X-Request-Id, 410s, introspect, unknown paths); fault
// injection; a fixture dropped in the folder served without a restart; the
// command line (help, exit codes, French messages).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

import { BIN } from './lib/server.mjs';
import { PROJECT_FIXTURES, QF_OPERATION, qfQuery, sharedFixtures, startStandin as start } from './lib/standin.mjs';

const QF_PATH = '/v3/dss/quotient_familial/identite';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ALL_SCOPES = ['cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse'];
const SCOPE_KEY = {
	cnaf_quotient_familial: 'quotient_familial',
	cnaf_allocataires: 'allocataires',
	cnaf_enfants: 'enfants',
	cnaf_adresse: 'adresse',
};

/* The date checks (annee in the last three years, a birth before today)
 * follow a fixed clock, so that the fixtures' periods stay valid. */
const TODAY = { CASSIS_TEST_MODE: '1', CASSIS_NOW: '2026-11-26T12:00:00Z' };

function startStandin(opts = {}) {
	return start({ ...opts, env: { ...TODAY, ...opts.env } });
}

/* Marie Martin of the project's set, a full answer. */
const MARTIN = {
	nomNaissance: 'Dupont',
	nomUsage: 'Martin',
	prenoms: ['Marie', 'Hélène'],
	anneeDateNaissance: 1979,
	moisDateNaissance: 7,
	jourDateNaissance: 8,
	sexeEtatCivil: 'F',
	codeCogInseePaysNaissance: '99100',
	codeCogInseeCommuneNaissance: '75056',
};

const TOKENS = [
	'# jeton droits [options]',
	`complet ${ALL_SCOPES.join(',')} nom=Logiciel-essai`,
	'qf cnaf_quotient_familial',
	'famille cnaf_allocataires,cnaf_enfants',
	'autre cnaf_rsa',
	'vide -',
	'vieux cnaf_quotient_familial expire',
	'fuite cnaf_quotient_familial liste-noire',
];

/* The cases of an operation folder: [{file, params, status, payload}]. */
function readCases(root) {
	const dir = path.join(root, QF_OPERATION);
	return fs
		.readdirSync(dir)
		.filter((f) => /\.ya?ml$/.test(f))
		.sort()
		.map((file) => {
			const doc = YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			return { file, params: doc.params, status: doc.status, payload: JSON.parse(doc.payload) };
		});
}

async function qf(s, params, { token = 'jeton', recipient, headers = {} } = {}) {
	const h = { ...headers };
	if (token) h.Authorization = `Bearer ${token}`;
	const res = await fetch(`${s.url}${QF_PATH}?${qfQuery(params, recipient)}`, { headers: h });
	const text = await res.text();
	let json = null;
	try {
		json = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { res, status: res.status, text, json, h: (k) => res.headers.get(k) };
}

function codes(r) {
	return (r.json?.errors || []).map((e) => e.code);
}

function assertCleanStop(end) {
	assert.equal(end.signal, null, `stand-in killed by ${end.signal}`);
	assert.equal(end.code, 0, `stand-in exit status ${end.code}\n${end.stderr.slice(-2000)}`);
}

function replaysEveryCase(root) {
	let s;
	before(async () => {
		s = await startStandin({ fixtures: root, args: ['--rate', '0'] });
	});
	after(async () => assertCleanStop(await s.stop()));

	it('answers each case with its own status and payload', async () => {
		const cases = readCases(root);
		assert.ok(cases.length > 0);
		for (const c of cases) {
			const r = await qf(s, c.params);
			assert.equal(r.status, c.status, `${c.file}: status`);
			assert.equal(r.h('x-standin-fixture'), c.file, `${c.file}: answered by another case`);
			assert.deepEqual(r.json, c.payload, `${c.file}: payload`);
			assert.equal(r.h('content-type'), 'application/vnd.api+json');
			assert.match(r.h('x-request-id'), UUID_V4);
		}
	});

	it('matches whatever the case of the letters', async () => {
		for (const c of readCases(root).filter((x) => x.status === 200).slice(0, 5)) {
			const p = { ...c.params, nomNaissance: c.params.nomNaissance.toUpperCase() };
			if (p.prenoms) p.prenoms = p.prenoms.map((x) => x.toLowerCase());
			const r = await qf(s, p);
			assert.equal(r.h('x-standin-fixture'), c.file, c.file);
		}
	});
}

describe('the project fixture set', () => replaysEveryCase(PROJECT_FIXTURES));

describe('the State sandbox fixture set', () => {
	const shared = sharedFixtures();
	if (!shared) {
		it('skipped: ../shared/fixtures/api-particulier is absent (set CASSIS_SHARED)', { skip: true }, () => {});
		return;
	}
	replaysEveryCase(shared);
});

describe('the real behaviour around the replay', () => {
	let s;
	before(async () => {
		s = await startStandin({ tokens: TOKENS, args: ['--rate', '0'] });
	});
	after(async () => assertCleanStop(await s.stop()));

	it('falls back to 404.yaml for an unknown person', async () => {
		const r = await qf(s, { ...MARTIN, prenoms: ['Marion'] }, { token: 'complet' });
		assert.equal(r.status, 404);
		assert.equal(r.h('x-standin-fixture'), '404.yaml');
		assert.equal(r.json.errors[0].code.slice(2), '003');
	});

	it('refuses a missing, unknown, expired or revoked token with 401', async () => {
		for (const [token, code] of [[null, '00101'], ['inconnu', '00101'], ['vieux', '00103'], ['fuite', '00105']]) {
			const r = await qf(s, MARTIN, { token });
			assert.equal(r.status, 401, `${token}`);
			assert.deepEqual(codes(r), [code]);
			assert.deepEqual(r.json.errors[0].source, { parameter: 'token' });
			assert.equal(r.h('content-type'), 'application/vnd.api+json');
		}
		const r = await fetch(`${s.url}${QF_PATH}?${qfQuery(MARTIN)}`, { headers: { Authorization: 'Basic complet' } });
		assert.equal(r.status, 401);
	});

	it('accepts the token in X-Api-Key or ?token= as the real API does', async () => {
		let r = await qf(s, MARTIN, { token: null, headers: { 'X-Api-Key': 'complet' } });
		assert.equal(r.status, 200);
		const res = await fetch(`${s.url}${QF_PATH}?${qfQuery(MARTIN)}&token=complet`);
		assert.equal(res.status, 200);
	});

	it('answers 403 to a token without any QF scope', async () => {
		for (const token of ['autre', 'vide']) {
			const r = await qf(s, MARTIN, { token });
			assert.equal(r.status, 403, token);
			assert.deepEqual(codes(r), ['00100']);
			assert.match(r.json.errors[0].detail, /\/api\/introspect/);
		}
	});

	it('removes the keys of the scopes a token lacks', async () => {
		const full = await qf(s, MARTIN, { token: 'complet' });
		assert.deepEqual(Object.keys(full.json.data).sort(), ['adresse', 'allocataires', 'enfants', 'quotient_familial']);
		const only = await qf(s, MARTIN, { token: 'qf' });
		assert.equal(only.status, 200);
		assert.deepEqual(Object.keys(only.json.data), ['quotient_familial']);
		assert.deepEqual(only.json.data.quotient_familial, full.json.data.quotient_familial);
		const fam = await qf(s, MARTIN, { token: 'famille' });
		assert.deepEqual(Object.keys(fam.json.data).sort(), ['allocataires', 'enfants']);
		assert.deepEqual(fam.json.links, {});
		assert.deepEqual(fam.json.meta, {});
		/* error payloads are not filtered */
		const nf = await qf(s, { ...MARTIN, prenoms: ['Marion'] }, { token: 'qf' });
		assert.equal(nf.status, 404);
	});

	it('checks recipient: 14 digits with a Luhn checksum, La Poste excepted', async () => {
		for (const recipient of [null, '', '13002526500014', '1300252650001', 'ABCDEFGHIJKLMN']) {
			const r = await qf(s, MARTIN, { token: 'complet', recipient });
			assert.equal(r.status, 422, `recipient ${recipient}`);
			assert.deepEqual(codes(r), ['00210']);
			assert.deepEqual(r.json.errors[0].source, { parameter: 'recipient' });
		}
		for (const recipient of ['21750001600019', '35600000012345']) {
			const r = await qf(s, MARTIN, { token: 'complet', recipient });
			assert.equal(r.status, 200, `recipient ${recipient}`);
		}
	});

	it('answers 422 with the real code of each parameter', async () => {
		const cases = [
			[{ nomNaissance: 'Dupont2' }, ['00420']],
			[{ nomNaissance: 'Lecœur' }, ['00420']],
			[{ nomNaissance: null }, ['00420']],
			[{ prenoms: ['Marie', 'H3lène'] }, ['00367']],
			[{ sexeEtatCivil: 'X' }, ['00427']],
			[{ codeCogInseePaysNaissance: '12345' }, ['00400']],
			[{ codeCogInseeCommuneNaissance: '7505' }, ['00365']],
			[{ codeCogInseeCommuneNaissance: null }, ['00365']],
			[{ jourDateNaissance: 31, moisDateNaissance: 2 }, ['00363']],
			[{ anneeDateNaissance: 2099 }, ['00363']],
			[{ annee: 2020 }, ['00356']],
			[{ annee: 2026, mois: 13 }, ['00354']],
		];
		for (const [change, expected] of cases) {
			const r = await qf(s, { ...MARTIN, ...change }, { token: 'complet' });
			assert.equal(r.status, 422, JSON.stringify(change));
			assert.deepEqual(codes(r), expected, JSON.stringify(change));
			assert.equal(r.json.errors[0].title, 'Entité non traitable');
		}
		/* every error at once, in the real order */
		const r = await qf(s, { nomNaissance: 'X1', prenoms: ['?'], sexeEtatCivil: 'Z', codeCogInseePaysNaissance: '1', annee: 1 }, { token: 'complet' });
		assert.deepEqual(codes(r), ['00356', '00427', '00400', '00367', '00420']);
	});

	it('checks in the real order: token, scope, recipient, parameters', async () => {
		const bad = { ...MARTIN, nomNaissance: '???' };
		assert.equal((await qf(s, bad, { token: 'inconnu', recipient: 'x' })).status, 401);
		assert.equal((await qf(s, bad, { token: 'vide', recipient: 'x' })).status, 403);
		assert.deepEqual(codes(await qf(s, bad, { token: 'qf', recipient: 'x' })), ['00210']);
		assert.deepEqual(codes(await qf(s, bad, { token: 'qf' })), ['00420']);
	});

	it('puts an X-Request-Id on every answer, or keeps the one sent', async () => {
		const seen = new Set();
		for (const p of ['/v3/dss/quotient_familial/identite', '/api/introspect?token=qf', '/nulle/part',
			'/api/v2/composition-familiale', '/api/v2/avis-imposition']) {
			const res = await fetch(s.url + p);
			await res.text();
			const id = res.headers.get('x-request-id');
			assert.match(id, UUID_V4, p);
			seen.add(id);
		}
		assert.equal(seen.size, 5);
		const res = await fetch(`${s.url}/nulle/part`, { headers: { 'X-Request-Id': 'appel-42_essai' } });
		await res.text();
		assert.equal(res.headers.get('x-request-id'), 'appel-42_essai');
	});

	it('answers 410 in plain text on the retired v2 endpoints', async () => {
		const gone = {
			'/api/v2/composition-familiale': /Quotient Familial v1 n'est plus disponible depuis le 31\/10\/2025/,
			'/api/caf/famille': /Quotient Familial v1/,
			'/api/v2/avis-imposition': /n'existe plus sur API Particulier depuis le 8 janvier 2024/,
			'/api/impots/svair': /8 janvier 2024/,
		};
		for (const [p, re] of Object.entries(gone)) {
			const res = await fetch(`${s.url}${p}?numeroFiscal=1&referenceAvis=2`, { headers: { 'X-Api-Key': 'complet' } });
			assert.equal(res.status, 410, p);
			assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
			assert.match(await res.text(), re);
		}
	});

	it('answers 404 in plain text elsewhere', async () => {
		for (const [method, p] of [['GET', '/v9/dss/quotient_familial/identite'], ['POST', QF_PATH], ['GET', '/']]) {
			const res = await fetch(s.url + p, { method, headers: { Authorization: 'Bearer complet' } });
			assert.equal(res.status, 404, `${method} ${p}`);
			assert.equal(await res.text(), "Cette URL n'existe pas sur Api particulier, veuillez vérifier votre URL.");
		}
	});

	it('lists the scopes of a token on /api/introspect', async () => {
		const res = await fetch(`${s.url}/api/introspect`, { headers: { Authorization: 'Bearer complet' } });
		assert.equal(res.status, 200);
		const body = await res.json();
		assert.deepEqual(body.scopes, ALL_SCOPES);
		assert.equal(body.name, 'Logiciel-essai');
		assert.match(body._id, /^[0-9a-f-]{36}$/);
		const again = await (await fetch(`${s.url}/api/introspect?token=complet`)).json();
		assert.equal(again._id, body._id);
		const qfOnly = await (await fetch(`${s.url}/api/introspect`, { headers: { 'X-Api-Key': 'qf' } })).json();
		assert.deepEqual(qfOnly.scopes, ['cnaf_quotient_familial']);
		for (const h of [{}, { Authorization: 'Bearer inconnu' }]) {
			const r = await fetch(`${s.url}/api/introspect`, { headers: h });
			assert.equal(r.status, 401);
			assert.equal((await r.json()).error, 'access_denied');
		}
	});
});

describe('the clock of the date checks', () => {
	it('follows CASSIS_NOW in test mode', async () => {
		const s = await startStandin({ env: { CASSIS_NOW: '2030-01-15T08:00:00Z' } });
		try {
			assert.deepEqual(codes(await qf(s, { ...MARTIN, annee: 2026, mois: 5 })), ['00356']);
			assert.deepEqual(codes(await qf(s, { ...MARTIN, annee: 2030, mois: 2 })), ['00354']);
			assert.equal((await qf(s, { ...MARTIN, annee: 2028, mois: 12 })).status, 404);
		} finally {
			assertCleanStop(await s.stop());
		}
	});
});

describe('without a tokens file', () => {
	let s;
	before(async () => {
		s = await startStandin();
	});
	after(async () => assertCleanStop(await s.stop()));

	it('accepts any Bearer token with every scope, as the State sandbox', async () => {
		const r = await qf(s, MARTIN, { token: 'nimporte-quoi' });
		assert.equal(r.status, 200);
		assert.deepEqual(Object.keys(r.json.data).sort(), ['adresse', 'allocataires', 'enfants', 'quotient_familial']);
		const intro = await (await fetch(`${s.url}/api/introspect?token=abc`)).json();
		assert.deepEqual(intro.scopes, ALL_SCOPES);
		assert.equal((await qf(s, MARTIN, { token: null })).status, 401);
	});
});

/* Waits for the start of a second, so that a burst stays in one window. */
async function startOfSecond() {
	while (Date.now() % 1000 > 150) await new Promise((r) => setTimeout(r, 5));
}

describe('the rate limit', () => {
	let s;
	before(async () => {
		s = await startStandin({ args: ['--rate', '5'] });
	});
	after(async () => assertCleanStop(await s.stop()));

	/* A burst of n calls of token inside one second (retried when a slow
	 * machine lets it straddle two windows). */
	async function burst(token, n) {
		for (let attempt = 1; ; attempt++) {
			await startOfSecond();
			const t0 = Date.now();
			const rs = await Promise.all(Array.from({ length: n }, () => qf(s, MARTIN, { token: `${token}-${attempt}` })));
			if (Math.floor(Date.now() / 1000) === Math.floor(t0 / 1000) || attempt === 3) return { rs, t0 };
			await new Promise((r) => setTimeout(r, 1100));
		}
	}

	it('sends RateLimit headers and a 429 with Retry-After past N requests in a second', async () => {
		const { rs, t0 } = await burst('rafale', 7);
		const ok = rs.filter((r) => r.status === 200);
		const limited = rs.filter((r) => r.status === 429);
		assert.equal(ok.length, 5);
		assert.equal(limited.length, 2);
		const remaining = ok.map((r) => Number(r.h('ratelimit-remaining'))).sort();
		assert.deepEqual(remaining, [0, 1, 2, 3, 4]);
		for (const r of rs) {
			assert.equal(r.h('ratelimit-limit'), '5');
			/* the end of the window, aligned on the epoch */
			assert.equal(Number(r.h('ratelimit-reset')), Math.floor(t0 / 1000) + 1);
		}
		for (const r of limited) {
			assert.equal(r.h('retry-after'), '1');
			assert.equal(r.h('ratelimit-remaining'), '0');
			assert.equal(r.h('content-type'), 'application/json');
			assert.deepEqual(codes(r), ['00429']);
			assert.equal(r.json.errors[0].title, 'Trop de requêtes');
		}
		/* another token has its own window */
		assert.equal((await qf(s, MARTIN, { token: 'autre-jeton' })).status, 200);
		/* the next second opens a new window */
		const token = 'rafale-suite';
		for (let i = 0; i < 5; i++) await qf(s, MARTIN, { token });
		await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
		assert.equal((await qf(s, MARTIN, { token })).status, 200);
	});
});

describe('fault injection', () => {
	const started = [];
	async function standin(args) {
		const s = await startStandin({ args });
		started.push(s);
		return s;
	}
	after(async () => {
		for (const s of started) assertCleanStop(await s.stop());
	});

	it('adds latency', async () => {
		const s = await standin(['--latency-ms', '400']);
		const t0 = Date.now();
		assert.equal((await qf(s, MARTIN)).status, 200);
		assert.ok(Date.now() - t0 >= 380, `answered after ${Date.now() - t0} ms`);
		const t1 = Date.now();
		await (await fetch(`${s.url}/api/introspect?token=x`)).text();
		assert.ok(Date.now() - t1 < 300, 'introspect is not delayed');
	});

	it('answers errors with the real bodies', async () => {
		const expected = { 502: '37999', 503: '37020', 504: '37002', 409: '00015', 500: '00500' };
		for (const [status, code] of Object.entries(expected)) {
			const s = await standin(['--error-rate', `${status}:100`]);
			const r = await qf(s, MARTIN);
			assert.equal(r.status, Number(status));
			assert.deepEqual(codes(r), [code]);
			assert.match(r.h('x-request-id'), UUID_V4);
			if (status === '503') assert.equal(typeof r.json.errors[0].meta.retry_in, 'number');
			if (status === '502' || status === '504') assert.equal(r.json.errors[0].meta.provider, 'CNAV');
		}
		const s = await standin(['--error-rate', '429:100']);
		const r = await qf(s, MARTIN);
		assert.equal(r.status, 429);
		assert.equal(r.h('retry-after'), '1');
		assert.deepEqual(codes(r), ['00429']);
	});

	it('splits the answers between several error rates', async () => {
		const s = await standin(['--error-rate', '502:50', '--error-rate', '504:50', '--rate', '0']);
		const statuses = new Set();
		for (let i = 0; i < 40; i++) statuses.add((await qf(s, MARTIN)).status);
		assert.deepEqual([...statuses].sort(), [502, 504]);
	});

	it('cuts JSON bodies short', async () => {
		const s = await standin(['--malformed-rate', '100']);
		const r = await qf(s, MARTIN);
		assert.equal(r.status, 200);
		assert.equal(r.json, null, 'the body must not parse');
		assert.ok(r.text.startsWith('{"data":'));
		assert.equal(Number(r.h('content-length')), Buffer.byteLength(r.text));
	});

	it('closes the connection without an answer', async () => {
		const s = await standin(['--reset-rate', '100']);
		await assert.rejects(fetch(`${s.url}${QF_PATH}?${qfQuery(MARTIN)}`, { headers: { Authorization: 'Bearer x' } }));
		const res = await fetch(`${s.url}/api/introspect?token=x`);
		assert.equal(res.status, 200, 'introspect is not affected');
	});
});

describe('a fixture dropped in the folder', () => {
	let s;
	let root;
	before(async () => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-fixtures-'));
		fs.mkdirSync(path.join(root, QF_OPERATION));
		s = await startStandin({ fixtures: root });
	});
	after(async () => {
		assertCleanStop(await s.stop());
		fs.rmSync(root, { recursive: true, force: true });
	});

	const person = { nomNaissance: 'Nouveau', prenoms: ['Cas'], sexeEtatCivil: 'M', codeCogInseePaysNaissance: '99134' };

	function drop(name, status, payload) {
		const params = Object.entries(person)
			.map(([k, v]) => (Array.isArray(v) ? `  ${k}:\n${v.map((x) => `    - '${x}'`).join('\n')}` : `  ${k}: '${v}'`))
			.join('\n');
		const text = `---\ndescription: essai\nparams:\n${params}\nstatus: ${status}\npayload: |-\n  ${JSON.stringify(payload)}\n`;
		fs.writeFileSync(path.join(root, QF_OPERATION, name), text);
	}

	it('is served without a restart, and 404.yaml becomes the fallback', async () => {
		let r = await qf(s, person);
		assert.equal(r.status, 404);
		assert.equal(r.json.errors[0].code.slice(2), '003');
		const answer = { data: { quotient_familial: { fournisseur: 'MSA', valeur: 321, annee: 2026, mois: 11, annee_calcul: 2026, mois_calcul: 11 } }, links: {}, meta: {} };
		drop('200-nouveau.yaml', 200, answer);
		r = await qf(s, person);
		assert.equal(r.status, 200);
		assert.deepEqual(r.json, answer);
		const notFound = { errors: [{ code: '10003', title: 'Dossier allocataire absent MSA', detail: 'absent', source: null, meta: { provider: 'MSA' } }] };
		drop('404.yaml', 404, notFound);
		r = await qf(s, { ...person, prenoms: ['Autre'] });
		assert.equal(r.status, 404);
		assert.deepEqual(r.json, notFound);
	});

	it('reads the operation folder itself when given', async () => {
		const t = await startStandin({ fixtures: path.join(root, QF_OPERATION) });
		try {
			assert.equal((await qf(t, person)).status, 200);
		} finally {
			assertCleanStop(await t.stop());
		}
	});
});

describe('the command line', () => {
	function run(args) {
		const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 10000 });
		return { status: r.status, out: r.stdout, err: r.stderr };
	}

	it('explains itself with --help', () => {
		for (const args of [['standin', '--help'], ['standin', 'particulier', '--help']]) {
			const r = run(args);
			assert.equal(r.status, 0);
			for (const opt of ['--port', '--fixtures', '--tokens', '--rate', '--latency-ms', '--error-rate', '--malformed-rate', '--reset-rate'])
				assert.ok(r.out.includes(opt), `${args.join(' ')}: ${opt}`);
			assert.match(r.out, /particulier/);
		}
	});

	it('exits 2 with a French message on a bad argument', () => {
		const fx = ['--fixtures', PROJECT_FIXTURES];
		const tokens = path.join(os.tmpdir(), `cassis-jetons-${process.pid}`);
		fs.writeFileSync(tokens, 'jeton cnaf_quotient_familial option-inconnue\n');
		const bad = [
			[['standin'], /Usage/],
			[['standin', 'impots-inconnu', ...fx], /API inconnue/],
			[['standin', 'particulier'], /--fixtures DOSSIER est obligatoire/],
			[['standin', 'particulier', '--fixtures', '/nulle/part'], /ce dossier n'existe pas/],
			[['standin', 'particulier', ...fx, '--port', '70000'], /le port doit être un nombre/],
			[['standin', 'particulier', ...fx, '--error-rate', '418:10'], /statut 418 non pris en charge/],
			[['standin', 'particulier', ...fx, '--error-rate', '502:60', '--error-rate', '504:60'], /dépasse 100/],
			[['standin', 'particulier', ...fx, '--malformed-rate', 'beaucoup'], /pourcentage/],
			[['standin', 'particulier', ...fx, '--rate', '-1'], /--rate attend/],
			[['standin', 'particulier', ...fx, '--inconnue'], /option inconnue/],
			[['standin', 'particulier', ...fx, '--tokens', tokens], /ligne 1 : option inconnue/],
			[['standin', 'particulier', ...fx, '--tokens', '/nulle/part'], /fichier illisible/],
		];
		try {
			for (const [args, re] of bad) {
				const r = run(args);
				assert.equal(r.status, 2, args.join(' '));
				assert.match(r.err, re, args.join(' '));
			}
		} finally {
			fs.rmSync(tokens, { force: true });
		}
	});

	it('exits 1 when the port is taken', async () => {
		const s = await startStandin();
		try {
			const r = run(['standin', 'particulier', '--fixtures', PROJECT_FIXTURES, '--port', String(s.port)]);
			assert.equal(r.status, 1);
			assert.match(r.err, /impossible d'écouter sur 127\.0\.0\.1/);
		} finally {
			assertCleanStop(await s.stop());
		}
	});
});
