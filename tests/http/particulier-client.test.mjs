// The API Particulier client (`cassis particulier qf`, src/providers) against
// the local stand-in (`cassis standin particulier`): every fixture of the
// project's set and of the State's sandbox set (../shared, skipped when
// absent), with the expected values read from each fixture's own payload;
// every error path (token, scopes, parameters, provider failures, rate
// limit, timeout, malformed body, connection reset); a burst of 200
// consultations that never meets a 429.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { BIN } from './lib/server.mjs';
import { PROJECT_FIXTURES, QF_OPERATION, qfQuery, sharedFixtures, startStandin } from './lib/standin.mjs';

const OPERATION = QF_OPERATION;
const PROJECT_SET = PROJECT_FIXTURES;
const STATE_SET = sharedFixtures();
const HAS_STATE_SET = STATE_SET !== null;
const NO_STATE_SET = 'the State\'s fixtures (../shared/fixtures/api-particulier, or CASSIS_SHARED) are absent: not tested';
const RECIPIENT = '21750001600019'; // a valid SIRET (Luhn)
const TOKEN = 'jeton-de-test-4f1c9a7e2b';
const SANITIZER_RE = /ERROR: (Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer|runtime error:/;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-pa-client-'));
const tokenFile = path.join(tmp, 'token');
fs.writeFileSync(tokenFile, `${TOKEN}\n`);

/* Runs `cassis particulier qf ARGS` without blocking the event loop. The
 * token must never appear in what the command prints. */
function qf(args, { timeoutMs = 60000 } = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const p = spawn(BIN, ['particulier', 'qf', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
		p.stdout.on('data', (d) => (stdout += d));
		p.stderr.on('data', (d) => (stderr += d));
		p.on('error', reject);
		p.on('exit', (status) => {
			clearTimeout(timer);
			assert.doesNotMatch(stderr, SANITIZER_RE, stderr);
			assert.ok(!stdout.includes(TOKEN) && !stderr.includes(TOKEN), 'the token was printed');
			resolve({ status, stdout, stderr, ms: Date.now() - started });
		});
	});
}

/* The typed error of a failed run: the last line of stderr. */
function typedError(r) {
	assert.equal(r.status, 1, `exit ${r.status}\n${r.stdout}${r.stderr}`);
	const line = r.stderr.trim().split('\n').pop();
	const e = JSON.parse(line);
	for (const k of ['kind', 'status', 'code', 'message', 'request_id']) assert.ok(k in e, `${k} in ${line}`);
	assert.ok(e.message.length > 20, e.message);
	return e;
}

function okResult(r) {
	assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}${r.stderr}`);
	return JSON.parse(r.stdout);
}

/* Command-line options for the params of a fixture (the sandbox names). */
function argsOf(params, base) {
	const a = [];
	const put = (opt, v) => v !== undefined && v !== null && v !== '' && a.push(opt, String(v));
	put('--nom-naissance', params.nomNaissance);
	put('--nom-usage', params.nomUsage);
	for (const p of [].concat(params.prenoms ?? [])) put('--prenoms', p);
	put('--sexe', params.sexeEtatCivil);
	const y = params.anneeDateNaissance;
	if (y) {
		const pad = (n) => String(n).padStart(2, '0');
		let d = String(y);
		if (params.moisDateNaissance) {
			d += `-${pad(params.moisDateNaissance)}`;
			if (params.jourDateNaissance) d += `-${pad(params.jourDateNaissance)}`;
		}
		put('--date-naissance', d);
	}
	put('--pays-naissance', params.codeCogInseePaysNaissance);
	put('--commune-naissance', params.codeCogInseeCommuneNaissance);
	put('--nom-commune-naissance', params.nomCommuneNaissance);
	put('--departement-naissance', params.codeCogInseeDepartementNaissance);
	put('--annee', params.annee);
	put('--mois', params.mois);
	a.push('--recipient', RECIPIENT, '--token-file', tokenFile, '--base-url', base);
	return a;
}

/* Every case of the operation folder of a fixture set: {file, doc}. */
function fixtureCases(set) {
	const dir = path.join(set, OPERATION);
	const out = [];
	for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
		const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'));
		docs.forEach((d, i) => {
			const doc = d.toJS();
			if (doc && doc.status) out.push({ name: docs.length > 1 ? `${file}#${i + 1}` : file, doc });
		});
	}
	return out;
}

// ---- what the client must make of a payload (derived from the payload) ----

function partialDate(s) {
	const m = typeof s === 'string' && /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (!m || Number(m[1]) === 0) return null;
	if (Number(m[2]) === 0) return m[1];
	if (Number(m[3]) === 0) return `${m[1]}-${m[2]}`;
	return s;
}

function expectedPerson(p) {
	const out = {};
	for (const k of ['nom_naissance', 'nom_usage']) if (k in p) out[k] = p[k];
	if ('prenoms' in p) out.prenoms = Array.isArray(p.prenoms) ? p.prenoms.join(' ') : p.prenoms;
	if ('date_naissance' in p) out.date_naissance = partialDate(p.date_naissance);
	if ('sexe' in p) out.sexe = /^[FM]$/i.test(p.sexe ?? '') ? p.sexe.toUpperCase() : null;
	return out;
}

const PROVIDERS = { CAF: 'CNAF', CNAF: 'CNAF', MSA: 'MSA' };
const ADDRESS_KEYS = ['destinataire', 'complement_information', 'complement_information_geographique',
	'numero_libelle_voie', 'lieu_dit', 'code_postal_ville', 'pays'];

function expectedData(payload) {
	const d = JSON.parse(payload).data;
	const out = {};
	if (d.quotient_familial) {
		const q = d.quotient_familial;
		out.quotient_familial = {};
		if ('fournisseur' in q) {
			const f = String(q.fournisseur).trim().toUpperCase();
			out.quotient_familial.fournisseur = PROVIDERS[f] ?? q.fournisseur;
		}
		for (const k of ['valeur', 'annee', 'mois', 'annee_calcul', 'mois_calcul']) {
			if (k in q) out.quotient_familial[k] = q[k] === null ? null : Number(q[k]);
		}
	}
	for (const k of ['allocataires', 'enfants']) if (d[k]) out[k] = d[k].map(expectedPerson);
	if (d.adresse) {
		out.adresse = {};
		for (const k of ADDRESS_KEYS) if (k in d.adresse) out.adresse[k] = d.adresse[k];
	}
	return out;
}

const KIND_OF_STATUS = { 401: 'token', 403: 'scope', 404: 'not_found', 409: 'conflict', 429: 'rate',
	500: 'provider', 502: 'provider', 503: 'provider', 504: 'timeout' };

/* Runs one fixture case against the stand-in and checks the result. */
async function checkCase(base, c, set) {
	const params = { ...(c.doc.params ?? {}) };
	// the folder's fallback (404.yaml) may leave out what the client always sends
	if (!params.prenoms && c.name.startsWith('404.')) params.prenoms = ['INCONNU'];
	const r = await qf(argsOf(params, base));
	if (c.doc.status === 200) {
		const out = okResult(r);
		assert.equal(out.status, 200);
		assert.match(out.request_id, /\S/, 'X-Request-Id kept');
		assert.match(out.body_sha256, /^[0-9a-f]{64}$/);
		assert.deepEqual(out.data, expectedData(c.doc.payload), `${set}: ${c.name}`);
		return;
	}
	const e = typedError(r);
	const body = JSON.parse(c.doc.payload);
	assert.equal(e.status, c.doc.status, `${set}: ${c.name}`);
	assert.equal(e.code, String(body.errors[0].code), `${set}: ${c.name}`);
	const kind = c.doc.status === 422
		? (String(body.errors[0].code).endsWith('355') ? 'not_found' : 'params')
		: KIND_OF_STATUS[c.doc.status];
	assert.equal(e.kind, kind, `${set}: ${c.name}: ${e.message}`);
	assert.match(e.request_id, /\S/, 'X-Request-Id kept');
}

async function withStandin(opts, fn) {
	const s = await startStandin({ fixtures: PROJECT_SET, ...opts });
	try {
		return await fn(s.url, s);
	} finally {
		await s.stop();
	}
}

/* The requests the stand-in logged: [{time (ms), status}]. */
function standinRequests(s) {
	const out = [];
	for (const line of s.output().split('\n')) {
		if (!line.startsWith('{')) continue;
		const e = JSON.parse(line);
		if (e.msg === 'request') out.push({ time: Date.parse(e.time), status: e.status });
	}
	return out;
}

/* The most requests in one of the server's windows of one second (aligned
 * on the epoch, as API Particulier counts). */
function maxPerWindow(requests) {
	const counts = new Map();
	for (const r of requests) {
		const w = Math.floor(r.time / 1000);
		counts.set(w, (counts.get(w) ?? 0) + 1);
	}
	return Math.max(0, ...counts.values());
}

/* A case of the project's set that answers 200: the identity used by the
 * error-path tests below (any 200 case will do). */
function projectOkParams() {
	const c = fixtureCases(PROJECT_SET).find((x) => x.doc.status === 200);
	assert.ok(c, 'the project set has a 200 case');
	return c.doc.params;
}

describe('client against the project fixture set', () => {
	let standin;
	before(async () => {
		standin = await startStandin({ fixtures: PROJECT_SET });
	});
	after(async () => standin && (await standin.stop()));

	test('every fixture gives its own payload or its typed error', async () => {
		const cases = fixtureCases(PROJECT_SET);
		assert.ok(cases.length >= 8, `${cases.length} cases in ${PROJECT_SET}`);
		const statuses = new Set(cases.map((c) => c.doc.status));
		for (const st of [200, 404, 429, 502, 504]) assert.ok(statuses.has(st), `a ${st} case`);
		for (const c of cases) await checkCase(standin.url, c, 'project');
	});

	test('the digest is the one of the exact bytes served', async () => {
		const params = projectOkParams();
		const r = okResult(await qf(argsOf(params, standin.url)));
		const res = await fetch(`${standin.url}/v3/dss/quotient_familial/identite?${qfQuery(params, RECIPIENT)}`,
			{ headers: { Authorization: `Bearer ${TOKEN}` } });
		const bytes = Buffer.from(await res.arrayBuffer());
		assert.equal(res.status, 200);
		assert.equal(r.body_sha256, crypto.createHash('sha256').update(bytes).digest('hex'));
		assert.notEqual(r.request_id, res.headers.get('x-request-id'), 'one id per request');
	});
});

describe('client against the State sandbox fixtures (../shared)', () => {
	let standin;
	before(async () => {
		if (HAS_STATE_SET) standin = await startStandin({ fixtures: STATE_SET });
	});
	after(async () => standin && (await standin.stop()));

	test('every fixture gives its own payload or its typed error', {
		skip: HAS_STATE_SET ? false : NO_STATE_SET,
	}, async () => {
		const cases = fixtureCases(STATE_SET);
		assert.ok(cases.length >= 20, `${cases.length} cases`);
		for (const c of cases) await checkCase(standin.url, c, 'State');
	});
});

describe('error paths', () => {
	let standin;
	before(async () => {
		standin = await startStandin({ fixtures: PROJECT_SET });
	});
	after(async () => standin && (await standin.stop()));

	const bad = [
		['nomNaissance', { nomNaissance: 'M4RTIN' }, 'nom de naissance'],
		['sexeEtatCivil', null, null], // the command line refuses anything but F or M (below)
		['codeCogInseePaysNaissance', { codeCogInseePaysNaissance: '12345', codeCogInseeCommuneNaissance: undefined }, 'pays de naissance'],
		['codeCogInseeCommuneNaissance', { codeCogInseeCommuneNaissance: 'ABCDE' }, 'commune de naissance'],
		['annee', { annee: 2001, mois: 1 }, 'année'],
		['dateNaissance', { anneeDateNaissance: 2099, moisDateNaissance: 1, jourDateNaissance: 1 }, 'date de naissance'],
	];
	for (const [param, change, words] of bad) {
		if (!change) continue;
		test(`422 on ${param}: the message names the field to fix`, async () => {
			const e = typedError(await qf(argsOf({ ...projectOkParams(), ...change }, standin.url)));
			assert.equal(e.status, 422);
			assert.equal(e.kind, 'params');
			assert.ok(e.message.includes(words), e.message);
			assert.match(e.message, /Corrigez/);
		});
	}

	test('422 on the recipient SIRET: the administrator must fix it', async () => {
		const args = argsOf(projectOkParams(), standin.url);
		args[args.indexOf('--recipient') + 1] = '21750001600018'; // wrong check digit
		const e = typedError(await qf(args));
		assert.equal(e.status, 422);
		assert.equal(e.param, 'recipient');
		assert.match(e.message, /SIRET/);
	});

	test('an unknown person: 404 with advice', async () => {
		const e = typedError(await qf(argsOf({ ...projectOkParams(), nomNaissance: 'PERSONNEINCONNUE' }, standin.url)));
		assert.equal(e.status, 404);
		assert.equal(e.kind, 'not_found');
		assert.match(e.message, /Vérifiez l'état civil/);
	});

	test('tokens: unknown, expired, revoked, without scope; scopes filter the answer', async () => {
		const tokens = path.join(tmp, 'tokens');
		fs.writeFileSync(tokens, [
			`${TOKEN} cnaf_quotient_familial,cnaf_enfants`,
			'jeton-expire cnaf_quotient_familial expire',
			'jeton-revoque cnaf_quotient_familial liste-noire',
			'jeton-sans-droit -',
			'',
		].join('\n'));
		await withStandin({ tokens }, async (url) => {
			const out = okResult(await qf(argsOf(projectOkParams(), url)));
			assert.deepEqual(Object.keys(out.data).sort(), ['enfants', 'quotient_familial']);
			const other = (token) => {
				const f = path.join(tmp, `t-${token}`);
				fs.writeFileSync(f, token);
				const a = argsOf(projectOkParams(), url);
				a[a.indexOf('--token-file') + 1] = f;
				return a;
			};
			let e = typedError(await qf(other('jeton-inconnu')));
			assert.equal(e.status, 401);
			assert.equal(e.kind, 'token');
			assert.match(e.message, /administrateur/);
			e = typedError(await qf(other('jeton-expire')));
			assert.equal(e.kind, 'token');
			assert.match(e.message, /expiré/);
			e = typedError(await qf(other('jeton-revoque')));
			assert.equal(e.kind, 'token');
			assert.match(e.message, /révoqué/);
			e = typedError(await qf(other('jeton-sans-droit')));
			assert.equal(e.status, 403);
			assert.equal(e.kind, 'scope');
			assert.match(e.message, /droits/);
		});
	});

	for (const [status, kind, words] of [
		[409, 'conflict', /déjà en cours/],
		[500, 'provider', /API Particulier n'a pas pu répondre/],
		[502, 'provider', /CAF ou la MSA n'a pas pu répondre/],
		[503, 'provider', /Réessayez/],
		[504, 'timeout', /pas répondu à temps/],
	]) {
		test(`injected ${status} → ${kind}`, async () => {
			await withStandin({ args: ['--error-rate', `${status}:100`] }, async (url) => {
				const e = typedError(await qf(argsOf(projectOkParams(), url)));
				assert.equal(e.status, status);
				assert.equal(e.kind, kind);
				assert.match(e.message, words);
				assert.match(e.request_id, /\S/);
			});
		});
	}

	test('a 429 that persists: typed, with the wait, after the retries', async () => {
		await withStandin({ args: ['--error-rate', '429:100'] }, async (url) => {
			const r = await qf(argsOf(projectOkParams(), url));
			const e = typedError(r);
			assert.equal(e.status, 429);
			assert.equal(e.kind, 'rate');
			assert.ok(e.retry_after >= 1, JSON.stringify(e));
			assert.match(e.message, /réessayez dans \d+ seconde/);
		});
	});

	test('a malformed body → malformed', async () => {
		await withStandin({ args: ['--malformed-rate', '100'] }, async (url) => {
			const e = typedError(await qf(argsOf(projectOkParams(), url)));
			assert.equal(e.kind, 'malformed');
			assert.equal(e.status, 200);
			assert.match(e.body_sha256, /^[0-9a-f]{64}$/);
			assert.match(e.message, /illisible/);
		});
	});

	test('a connection reset → network', async () => {
		await withStandin({ args: ['--reset-rate', '100'] }, async (url) => {
			const e = typedError(await qf(argsOf(projectOkParams(), url)));
			assert.equal(e.kind, 'network');
			assert.equal(e.status, 0);
			assert.match(e.message, /Impossible de joindre API Particulier/);
		});
	});

	test('nobody listening → network, at once', async () => {
		const e = typedError(await qf(argsOf(projectOkParams(), 'http://127.0.0.1:9')));
		assert.equal(e.kind, 'network');
		assert.match(e.message, /connexion refusée/);
	});

	test('a 15 s latency: clean timeout after 12 s', async () => {
		await withStandin({ args: ['--latency-ms', '15000'] }, async (url) => {
			const r = await qf(argsOf(projectOkParams(), url));
			const e = typedError(r);
			assert.equal(e.kind, 'timeout');
			assert.equal(e.status, 0);
			assert.match(e.message, /pas répondu dans les 12 secondes/);
			assert.ok(r.ms >= 11900 && r.ms < 14500, `${r.ms} ms`);
		});
	});
});

describe('rate limit', () => {
	test('a burst of 200 consultations: no 429, at most 20 per second', async (t) => {
		await withStandin({}, async (url, standin) => {
			const r = await qf([...argsOf(projectOkParams(), url), '--repeat', '200', '--threads', '8'],
				{ timeoutMs: 120000 });
			const sum = okResult(r);
			const seen = standinRequests(standin);
			t.diagnostic(`burst: ${JSON.stringify(sum)}; stand-in: ${seen.length} requests, ` +
				`at most ${maxPerWindow(seen)} in one second`);
			assert.equal(seen.length, 200);
			assert.ok(seen.every((x) => x.status === 200), 'no 429 from the stand-in');
			assert.ok(maxPerWindow(seen) <= 20, `${maxPerWindow(seen)} requests in one second`);
			assert.equal(sum.consultations, 200);
			assert.equal(sum.reussies, 200);
			assert.deepEqual(sum.par_type, { ok: 200 });
			assert.equal(sum.requetes, 200, 'the stand-in never answered 429');
			assert.ok(sum.debit_par_s <= 20, `${sum.debit_par_s} requests/s`);
			assert.ok(sum.duree_s >= 199 / 20, `${sum.duree_s} s`);
		});
	});

	test('--rate lowers the pace', async () => {
		await withStandin({}, async (url) => {
			const sum = okResult(await qf([...argsOf(projectOkParams(), url), '--repeat', '11', '--rate', '5']));
			assert.equal(sum.reussies, 11);
			assert.ok(sum.duree_s >= 10 / 5, `${sum.duree_s} s`);
		});
	});
});

describe('command line', () => {
	test('--help', async () => {
		const r = await qf(['--help']);
		assert.equal(r.status, 0);
		assert.match(r.stdout, /Usage : cassis particulier qf/);
		assert.match(r.stdout, /--token-file/);
	});

	for (const [args, words] of [
		[[], /--nom-naissance est obligatoire/],
		[['--nom-naissance', 'A'], /--prenoms est obligatoire/],
		[['--nom-naissance', 'A', '--prenoms', 'B', '--sexe', 'X'], /--sexe attend F ou M/],
		[['--nom-naissance', 'A', '--prenoms', 'B', '--sexe', 'F', '--date-naissance', '12/03/1980'], /--date-naissance attend/],
		[['--nom-naissance', 'A', '--prenoms', 'B', '--prenoms', 'C', '--prenoms', 'D', '--prenoms', 'E'], /trois prénoms au plus/],
		[['--nom-naissance', 'A', '--prenoms', 'B', '--sexe', 'F'], /lieu de naissance manquant/],
		[['--nom-naissance', 'A', '--prenoms', 'B', '--sexe', 'F', '--pays-naissance', '99404'], /--recipient/],
		[['--nom-naissance', 'A', '--prenoms', 'B', '--sexe', 'F', '--pays-naissance', '99404',
			'--recipient', RECIPIENT], /--token-file/],
		[['--nom-naissance', 'A', '--prenoms', 'B', '--sexe', 'F', '--pays-naissance', '99404',
			'--recipient', RECIPIENT, '--token-file', path.join(tmp, 'absent')], /impossible de lire le jeton/],
		[['--nom-naissance', 'A', '--prenoms', 'B', '--sexe', 'F', '--pays-naissance', '99404',
			'--annee', '2026'], /--annee et --mois vont ensemble/],
		[['--frobnicate'], /option inconnue/],
	]) {
		test(`bad arguments exit 2: ${words}`, async () => {
			const r = await qf(args);
			assert.equal(r.status, 2, r.stderr);
			assert.match(r.stderr, words);
			assert.equal(r.stdout, '');
		});
	}
});
