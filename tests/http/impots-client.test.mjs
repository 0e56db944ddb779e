// The API Impôt particulier client (`cassis impots situation`, src/providers)
// against a small gateway written here (token endpoint and the two data
// routes, with the DGFiP error envelope): the parsed answer of the two
// documented sandbox households, the headers sent (bearer token,
// X-Correlation-ID UUID v4, ID_Teleservice, credentials as form fields or
// HTTP Basic), every error path, the token refreshed once on 401 and on
// expiry, the quota (a burst of 120 calls paced under it, never a 429),
// timeouts, malformed bodies; the numéro fiscal and the secret are never
// printed. The stand-in `cassis standin impots` will replace this gateway.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { BIN } from './lib/server.mjs';

const PORT = Number(process.env.CASSIS_IMPOTS_TEST_PORT || 18710);
const CLOSED_PORT = PORT + 89; // nothing listens there
const BASE = `http://127.0.0.1:${PORT}`;
const CLIENT_ID = 'cassis-ccas-test';
const CLIENT_SECRET = 'secret-9f2c71d4-de-test';
const TELESERVICE = 'CCAS_AIDES_FACULTATIVES_TEST';
const SANITIZER_RE = /ERROR: (Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer|runtime error:/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DATA_RE = /^\/impotparticulier\/1\.0\/spi\/([^/]+)\/(?:situations\/ir\/assiettes\/annrev\/([^/]+)|dernieresituation\/ir\/assiettes\/deuxans)$/;

// The two households of the DGFiP sandbox seen in public code (reference §9-10).
const QUATORZE = '3999999898230';
const CINQ = '3999999889221';
const BAD_CHECKSUM = '3999999776202'; // a sandbox SPI that fails the usual mod-511 check
const HOUSEHOLDS = {
	[QUATORZE]: {
		years: {
			2021: {
				rfr: 48583, sitFam: 'M', nbPart: 2.0, pac: { nbPac: 0 },
				nmNaiDec1: 'CIS QUATORZE', prnmDec1: 'PRENOM VINCENT', dateNaisDec1: { jour: '02', mois: '08', annee: '1973' },
				nmNaiDec2: 'CIS TRENTEHUIT', nmUsaDec2: 'CIS QUATORZE', prnmDec2: 'PNM LEA', dateNaisDec2: { jour: '10', mois: '02', annee: '1973' },
				aft: '18 RUE DU COMMANDANT MOWAT 94300 VINCENNES',
				aftDetail: { complementAdresse: null, voie: '18 RUE DU COMMANDANT MOWAT', codePostal: '94300 VINCENNES', commune: null },
				revenuBrutGlobal: 47560, revImposable: 47560, montTotIr: 2982, datRec: '2022-07-31', datEtab: '2022-07-07',
			},
		},
	},
	[CINQ]: {
		years: {
			2021: {
				rfr: 33640, sitFam: 'O', nbPart: 6.75, pac: { nbPac: 5 },
				nmNaiDec1: 'CIS CINQ', nmUsaDec1: 'CIS CINQ', prnmDec1: 'PRENOM TATIANA', dateNaisDec1: { jour: '30', mois: '09', annee: '1945' },
				nmNaiDec2: 'CIS VINGTSEPT', prnmDec2: 'PRENOM GABIN', dateNaisDec2: { jour: '06', mois: '11', annee: '1973' },
				aft: '55 BOULEVARD MARCELLIN BERTHELOT 13200 ARLES',
				aftDetail: { voie: '55 BOULEVARD MARCELLIN BERTHELOT', getcodePostal: '13200 ARLES', getcommune: null },
				revenuBrutGlobal: 13070, revImposable: 10586, impAvImput: 99, montTotIr: -36,
			},
		},
	},
	[BAD_CHECKSUM]: { years: { 2023: { rfr: '12000', nbPart: '1.5', sitFam: 'C' } } },
};
// SPIs that answer an error (13 digits, format valid).
const FAULTS = {
	'0000000000001': { status: 410, code: 4102, message: "le SPI envoyé ne correspond à aucun usager" },
	'1111111111110': { status: 400, code: 4001, message: 'format SPI incorrect' },
	'1111111111111': { status: 500, code: 5000, message: 'erreur technique' },
	'1111111111112': { status: 503, body: '', retryAfter: '7' },
	'1111111111113': { status: 204, body: '' },
	'1111111111114': { status: 403, code: 4031, message: "l'utilisateur n'a pas accès à la ressource" },
	'1111111111115': { status: 200, body: '{"rfr":48583,"nbPart":' },
	'1111111111116': { slowMs: 3000 },
	'1111111111117': { status: 404, code: 4101, message: 'aucun résultat' },
	'1111111111118': { status: 429, body: '{"fault":{"code":900802,"message":"Message throttled out"}}', retryAfter: '1' },
	'1111111111119': { status: 404, body: '<html><body>Not Found</body></html>' },
	'2222222222220': { status: 200, body: '{"rfr":"beaucoup"}' },
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-ip-client-'));
const idFile = path.join(tmp, 'client-id');
const secretFile = path.join(tmp, 'client-secret');
fs.writeFileSync(idFile, `${CLIENT_ID}\n`);
fs.writeFileSync(secretFile, `  ${CLIENT_SECRET}\n`);

/* ---- the gateway ---- */

const gw = {
	server: null,
	mode: {},
	tokens: new Map(), // token → { expiresAt, uses, scope }
	tokenRequests: [],
	dataRequests: [], // { t, path, headers, status }
	reset(mode = {}) {
		this.mode = { expiresIn: 3600, quota: 6000, ...mode };
		this.tokens.clear();
		this.tokenRequests = [];
		this.dataRequests = [];
	},
};

function send(res, status, body, headers = {}) {
	res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
	res.end(body);
}

function erreur(code, message) {
	return JSON.stringify({ erreur: { code, message, horodatage: new Date().toISOString().slice(0, 19) } });
}

function credentialsOf(req, form) {
	const auth = req.headers.authorization || '';
	if (auth.startsWith('Basic ')) {
		const [id, ...rest] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
		return { id, secret: rest.join(':'), basic: true };
	}
	return { id: form.get('client_id'), secret: form.get('client_secret'), basic: false };
}

function onToken(req, res, body) {
	const form = new URLSearchParams(body);
	const cred = credentialsOf(req, form);
	gw.tokenRequests.push({ t: Date.now(), form: Object.fromEntries(form), basic: cred.basic, contentType: req.headers['content-type'] });
	if (gw.mode.tokenStatus) return send(res, gw.mode.tokenStatus, gw.mode.tokenBody ?? '{"error":"server_error"}');
	if (form.get('grant_type') !== 'client_credentials') return send(res, 400, '{"error":"unsupported_grant_type"}');
	if (cred.id !== CLIENT_ID || cred.secret !== CLIENT_SECRET) return send(res, 401, '{"error":"invalid_client","error_description":"Client Authentication failed."}');
	const token = `eyJ${crypto.randomBytes(24).toString('base64url')}`;
	gw.tokens.set(token, { expiresAt: Date.now() + gw.mode.expiresIn * 1000, uses: 0, scope: form.get('scope') });
	send(res, 200, JSON.stringify({ access_token: token, scope: form.get('scope'), token_type: 'Bearer', expires_in: gw.mode.expiresIn }));
}

/* The token check of a data call: the stored token, or null after a 401. */
function checkToken(req, res) {
	const m = /^Bearer (\S+)$/i.exec(req.headers.authorization || '');
	const tok = m && gw.tokens.get(m[1]);
	const expired = tok && Date.now() >= tok.expiresAt;
	const revoked = tok && (gw.mode.always401 || (gw.mode.rejectFirstToken && gw.tokens.keys().next().value === m[1]));
	if (!tok || expired || revoked) {
		if (tok && expired) gw.expiredSeen = (gw.expiredSeen || 0) + 1;
		send(res, 401, '{"fault":{"code":900901,"message":"Invalid Credentials","description":"Access failure for API"}}');
		return null;
	}
	tok.uses++;
	return tok;
}

/* A sliding-window quota per minute, as the gateway would count it. */
function overQuota(now) {
	const recent = gw.dataRequests.filter((r) => r.status !== 429 && r.t > now - 60000).length;
	return recent >= gw.mode.quota;
}

function household(spi, year, deuxAns) {
	const h = HOUSEHOLDS[spi];
	if (!h) return { status: 410, body: erreur(4102, 'le SPI envoyé ne correspond à aucun usager') };
	if (deuxAns) {
		const last = Math.max(...Object.keys(h.years).map(Number));
		return { status: 200, body: JSON.stringify({ annRevenu: last, ...h.years[last] }) };
	}
	if (!/^\d{4}$/.test(year)) return { status: 400, body: erreur(4002, "mauvais format d'année") };
	if (!h.years[year]) return { status: 410, body: erreur(4101, 'la requête avec le SPI et l\'année ne renvoie aucun résultat') };
	return { status: 200, body: JSON.stringify(h.years[year]) };
}

async function onData(req, res, m) {
	const entry = { t: Date.now(), path: req.url, headers: req.headers, status: 0 };
	gw.dataRequests.push(entry);
	const answer = (status, body, headers) => {
		entry.status = status;
		send(res, status, body, headers);
	};
	if (!checkToken(req, res)) return (entry.status = 401);
	if (!UUID_V4.test(req.headers['x-correlation-id'] || '')) return answer(400, erreur(4000, 'X-Correlation-ID absent ou invalide'));
	if (overQuota(entry.t)) return answer(429, '{"fault":{"code":900802,"message":"Message throttled out"}}', { 'Retry-After': '60' });
	const [, spi, year] = m;
	if (!/^\d{13}$/.test(spi)) return answer(400, erreur(4001, 'format SPI incorrect'));
	const f = FAULTS[spi];
	if (f?.slowMs) await new Promise((r) => setTimeout(r, f.slowMs));
	if (f && !f.slowMs) {
		const headers = f.retryAfter ? { 'Retry-After': f.retryAfter } : {};
		return answer(f.status, f.body ?? erreur(f.code, f.message), headers);
	}
	const h = household(f ? QUATORZE : spi, f ? '2021' : year, m[2] === undefined);
	const type = h.status === 200 ? { 'Content-Type': 'application/prs.dgfip.part.situations.ir.assiettes.v1+json', 'X-Request-Id': `req-${crypto.randomUUID()}` } : {};
	answer(h.status, h.body, type);
}

function startGateway() {
	gw.server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			if (req.method === 'POST' && req.url === '/token') return onToken(req, res, body);
			const m = req.method === 'GET' && DATA_RE.exec(req.url);
			if (m) return onData(req, res, m);
			send(res, 404, '<html>Not Found</html>', { 'Content-Type': 'text/html' });
		});
	});
	gw.server.keepAliveTimeout = 1000;
	return new Promise((resolve) => gw.server.listen(PORT, '127.0.0.1', resolve));
}

/* ---- the command ---- */

function run(args, { timeoutMs = 60000 } = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const p = spawn(BIN, ['impots', 'situation', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
		p.stdout.on('data', (d) => (stdout += d));
		p.stderr.on('data', (d) => (stderr += d));
		p.on('error', reject);
		p.on('exit', (status) => {
			clearTimeout(timer);
			assert.doesNotMatch(stderr, SANITIZER_RE, stderr);
			const all = stdout + stderr;
			assert.ok(!all.includes(CLIENT_SECRET), 'the client secret was printed');
			for (const spi of [QUATORZE, CINQ, BAD_CHECKSUM, ...Object.keys(FAULTS)])
				assert.ok(!all.includes(spi), `the SPI ${spi} was printed`);
			resolve({ status, stdout, stderr, ms: Date.now() - started });
		});
	});
}

function base(spi, extra = []) {
	return ['--spi', spi, '--base-url', BASE, '--client-id-file', idFile, '--client-secret-file', secretFile,
		'--id-teleservice', TELESERVICE, '--quota', '6000', ...extra];
}

function okResult(r) {
	assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}${r.stderr}`);
	return JSON.parse(r.stdout);
}

/* The typed error of a failed run: the last line of stderr. */
function typedError(r, kind) {
	assert.equal(r.status, 1, `exit ${r.status}\n${r.stdout}${r.stderr}`);
	const line = r.stderr.trim().split('\n').pop();
	const e = JSON.parse(line);
	for (const k of ['kind', 'status', 'code', 'message', 'correlation_id', 'request_id', 'annee_demandee']) assert.ok(k in e, `${k} in ${line}`);
	assert.ok(e.message.length > 40, e.message);
	if (kind) assert.equal(e.kind, kind, line);
	return e;
}

/* The arrival times of the accepted data calls, as calls per minute. */
function measuredRate(entries) {
	const t = entries.map((e) => e.t).sort((a, b) => a - b);
	return ((t.length - 1) / (t[t.length - 1] - t[0])) * 60000;
}

/* The largest number of calls that arrived within any `windowMs`. */
function maxInWindow(entries, windowMs) {
	const t = entries.map((e) => e.t).sort((a, b) => a - b);
	let best = 0;
	for (let i = 0, j = 0; i < t.length; i++) {
		while (t[i] - t[j] >= windowMs) j++;
		best = Math.max(best, i - j + 1);
	}
	return best;
}

before(startGateway);
after(() => {
	gw.server?.closeAllConnections?.();
	gw.server?.close();
	if (!process.env.CASSIS_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => gw.reset());

describe('arguments', () => {
	test('--help in French, exit 0', async () => {
		const r = await run(['--help']);
		assert.equal(r.status, 0);
		assert.match(r.stdout, /Usage : cassis impots situation/);
		assert.match(r.stdout, /numéro fiscal/);
	});

	const bad = [
		[['--base-url', BASE, '--client-id-file', idFile, '--client-secret-file', secretFile], /--spi NUMERO est obligatoire/],
		[['--spi', '12345', '--base-url', BASE], /13 chiffres/],
		[['--spi', '39999998982301', '--base-url', BASE], /13 chiffres/],
		[['--spi', QUATORZE, '--annee', '2021', '--deux-ans', '--base-url', BASE, '--client-id-file', idFile, '--client-secret-file', secretFile], /pas les deux/],
		[['--spi', QUATORZE, '--annee', '21'], /quatre chiffres/],
		[['--spi', QUATORZE, '--client-id-file', idFile, '--client-secret-file', secretFile], /--base-url/],
		[['--spi', QUATORZE, '--base-url', BASE], /--client-id-file/],
		[['--spi', QUATORZE, '--quota', '0'], /--quota/],
		[['--spi', QUATORZE, '--date', '31/12/2024'], /--date/],
		[['--spi', QUATORZE, '--inconnue'], /option inconnue/],
		[['--spi', QUATORZE, '--base-url', BASE, '--client-id-file', path.join(tmp, 'absent'), '--client-secret-file', secretFile], /impossible de lire l'identifiant client/],
	];
	for (const [args, re] of bad) {
		test(`exit 2: ${args.filter((a) => a.startsWith('--')).join(' ')}`, async () => {
			const r = await run(args);
			assert.equal(r.status, 2, r.stderr);
			assert.match(r.stderr, re);
			assert.equal(gw.tokenRequests.length + gw.dataRequests.length, 0);
		});
	}

	test('a failed mod-511 check is a warning, not a refusal', async () => {
		const r = await run(base(BAD_CHECKSUM, ['--annee', '2023']));
		const out = okResult(r);
		assert.match(r.stderr, /avertissement : .*modulo 511/);
		assert.equal(out.data.rfr, 12000);
		assert.equal(out.data.nombre_parts, '1.5');
	});
});

describe('answers', () => {
	test('annrev: the sandbox couple, parsed; the headers sent', async () => {
		const out = okResult(await run(base(QUATORZE, ['--annee', '2021'])));
		assert.equal(out.status, 200);
		assert.equal(out.annee_demandee, 2021);
		assert.equal(out.annee_revenus, 2021);
		assert.equal(out.chemin, '/impotparticulier/1.0/spi/{spi}/situations/ir/assiettes/annrev/2021');
		assert.match(out.correlation_id, UUID_V4);
		assert.match(out.request_id, /^req-/);
		const sent = gw.dataRequests[0];
		assert.equal(out.body_sha256, crypto.createHash('sha256').update(JSON.stringify(HOUSEHOLDS[QUATORZE].years[2021])).digest('hex'));
		assert.deepEqual(out.data, {
			annee_revenus: 2021, rfr: 48583, nombre_parts: '2',
			situation_famille: { code: 'M', libelle: 'marié(e)' },
			personnes_a_charge: { nombre: 0 },
			adresse: { ligne: '18 RUE DU COMMANDANT MOWAT 94300 VINCENNES', voie: '18 RUE DU COMMANDANT MOWAT', code_postal: '94300', commune: 'VINCENNES' },
			declarant1: { nom_naissance: 'CIS QUATORZE', prenoms: 'PRENOM VINCENT', date_naissance: '1973-08-02' },
			declarant2: { nom_naissance: 'CIS TRENTEHUIT', nom_usage: 'CIS QUATORZE', prenoms: 'PNM LEA', date_naissance: '1973-02-10' },
			montant_impot: 2982, revenu_imposable: 47560, revenu_brut_global: 47560,
			date_recouvrement: '2022-07-31', date_etablissement: '2022-07-07',
		});
		assert.equal(sent.headers['x-correlation-id'], out.correlation_id);
		assert.equal(sent.headers.id_teleservice, TELESERVICE);
		assert.equal(sent.headers.accept, '*/*');
		assert.equal(gw.tokenRequests.length, 1);
		const tr = gw.tokenRequests[0];
		assert.equal(tr.contentType, 'application/x-www-form-urlencoded');
		assert.deepEqual(tr.form, { grant_type: 'client_credentials', scope: 'RessourceIR', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
	});

	test('deuxans: N-1 else N-2, annRevenu read, negative tax, getcodePostal', async () => {
		const out = okResult(await run(base(CINQ, ['--deux-ans'])));
		assert.equal(out.annee_demandee, 'deux_ans');
		assert.equal(out.annee_revenus, 2021);
		assert.equal(out.chemin, '/impotparticulier/1.0/spi/{spi}/dernieresituation/ir/assiettes/deuxans');
		assert.equal(out.data.montant_impot, -36);
		assert.equal(out.data.impot_avant_corrections, 99);
		assert.equal(out.data.nombre_parts, '6.75');
		assert.deepEqual(out.data.personnes_a_charge, { nombre: 5 });
		assert.deepEqual(out.data.situation_famille, { code: 'O', libelle: 'pacsé(e)' });
		assert.equal(out.data.adresse.code_postal, '13200');
		assert.equal(out.data.declarant1.nom_usage, 'CIS CINQ');
		assert.equal(gw.tokenRequests[0].form.scope, 'RessourceIRDerniere2');
	});

	test('the year follows the DGFiP calendar, N-1 from 22 July', async () => {
		const r1 = okResult(await run(base(QUATORZE, ['--date', '2022-07-22'])));
		assert.equal(r1.annee_demandee, 2021);
		const r2 = typedError(await run(base(QUATORZE, ['--date', '2022-07-21'])), 'no_data');
		assert.equal(r2.annee_demandee, 2020);
		assert.equal(r2.status, 410);
		assert.equal(r2.code, '4101');
		assert.match(r2.message, /revenus 2020/);
		assert.match(gw.dataRequests[1].path, /annrev\/2020$/);
	});

	test('credentials as HTTP Basic', async () => {
		okResult(await run(base(QUATORZE, ['--annee', '2021', '--basic-auth'])));
		const tr = gw.tokenRequests[0];
		assert.equal(tr.basic, true);
		assert.equal(tr.form.client_secret, undefined);
		assert.equal(tr.form.client_id, undefined);
	});

	test('--scope and --token-url are used', async () => {
		okResult(await run(base(QUATORZE, ['--annee', '2021', '--scope', 'RessourceIR RessourceIRDerniere2', '--token-url', `${BASE}/token`])));
		assert.equal(gw.tokenRequests[0].form.scope, 'RessourceIR RessourceIRDerniere2');
	});
});

describe('errors', () => {
	const cases = [
		['unknown SPI (410/4102)', '0000000000001', 'unknown_spi', 410, '4102', /aucun contribuable/],
		['SPI refused (400/4001)', '1111111111110', 'bad_spi', 400, '4001', /13 chiffres/],
		['year not taxed (410/4101)', QUATORZE, 'no_data', 410, '4101', /année précédente/, ['--annee', '2023']],
		['no data (404/4101)', '1111111111117', 'no_data', 404, '4101', /aucune donnée/],
		['no answer (204)', '1111111111113', 'no_data', 204, '', /aucune donnée/],
		['not allowed (403/4031)', '1111111111114', 'forbidden', 403, '4031', /habilitation/],
		['technical error (500)', '1111111111111', 'provider', 500, '5000', /Réessayez/],
		['unavailable (503, Retry-After)', '1111111111112', 'provider', 503, '', /7 secondes/],
		['malformed 200', '1111111111115', 'malformed', 200, '', /illisible/],
		['a value of the wrong type', '2222222222220', 'malformed', 200, '', /illisible/],
		['wrong address (404 HTML)', '1111111111119', 'internal', 404, '', /adresse/],
	];
	for (const [name, spi, kind, status, code, re, extra] of cases) {
		test(name, async () => {
			const e = typedError(await run(base(spi, extra ?? ['--annee', '2021'])), kind);
			assert.equal(e.status, status);
			assert.equal(e.code, code);
			assert.match(e.message, re);
			assert.match(e.correlation_id, UUID_V4);
			assert.match(e.body_sha256, /^[0-9a-f]{64}$/);
			assert.equal(gw.dataRequests.length, 1);
		});
	}

	test('429 with a short Retry-After: retried, then reported', async () => {
		const e = typedError(await run(base('1111111111118', ['--annee', '2021'])), 'rate');
		assert.equal(e.status, 429);
		assert.equal(e.retry_after, 1);
		assert.equal(gw.dataRequests.length, 3);
		const t = gw.dataRequests.map((r) => r.t);
		assert.ok(t[1] - t[0] >= 900, `retry after ${t[1] - t[0]} ms`);
	});

	test('timeout', async () => {
		const r = await run(base('1111111111116', ['--annee', '2021', '--timeout', '1']));
		const e = typedError(r, 'timeout');
		assert.equal(e.status, 0);
		assert.match(e.message, /1 secondes|répondu/);
		assert.ok(r.ms < 2800, `${r.ms} ms`);
	});

	test('network: nothing listens', async () => {
		const args = base(QUATORZE, ['--annee', '2021']);
		args[args.indexOf(BASE)] = `http://127.0.0.1:${CLOSED_PORT}`;
		const e = typedError(await run(args), 'network');
		assert.match(e.message, /connexion refusée/);
	});

	test('bad credentials at the token endpoint', async () => {
		const wrong = path.join(tmp, 'wrong-secret');
		fs.writeFileSync(wrong, 'pas-le-bon\n');
		const args = base(QUATORZE, ['--annee', '2021']);
		args[args.indexOf(secretFile)] = wrong;
		const e = typedError(await run(args), 'credentials');
		assert.equal(e.status, 0);
		assert.match(e.message, /identifiants/);
		assert.equal(gw.tokenRequests.length, 1);
		assert.equal(gw.dataRequests.length, 0);
	});

	test('the token endpoint fails (503), or answers without a token', async () => {
		gw.reset({ tokenStatus: 503 });
		typedError(await run(base(QUATORZE, ['--annee', '2021'])), 'provider');
		gw.reset({ tokenStatus: 200, tokenBody: '{"token_type":"Bearer"}' });
		typedError(await run(base(QUATORZE, ['--annee', '2021'])), 'malformed');
		gw.reset({ tokenStatus: 400, tokenBody: '{"error":"invalid_scope"}' });
		typedError(await run(base(QUATORZE, ['--annee', '2021'])), 'forbidden');
	});
});

describe('token', () => {
	test('refreshed once on 401', async () => {
		gw.reset({ rejectFirstToken: true });
		const out = okResult(await run(base(QUATORZE, ['--annee', '2021'])));
		assert.equal(out.data.rfr, 48583);
		assert.equal(gw.tokenRequests.length, 2);
		assert.deepEqual(gw.dataRequests.map((r) => r.status), [401, 200]);
		assert.notEqual(gw.dataRequests[0].headers.authorization, gw.dataRequests[1].headers.authorization);
		assert.notEqual(gw.dataRequests[0].headers['x-correlation-id'], gw.dataRequests[1].headers['x-correlation-id']);
	});

	test('401 after a refresh: a credentials error, not a loop', async () => {
		gw.reset({ always401: true });
		const e = typedError(await run(base(QUATORZE, ['--annee', '2021'])), 'credentials');
		assert.equal(e.status, 401);
		assert.equal(gw.tokenRequests.length, 2);
		assert.equal(gw.dataRequests.length, 2);
	});

	test('one token for many calls from many threads', async () => {
		const r = await run(base(QUATORZE, ['--annee', '2021', '--repeat', '40', '--threads', '8']));
		const sum = okResult(r);
		assert.equal(sum.reussies, 40);
		assert.equal(sum.jetons, 1);
		assert.equal(gw.tokenRequests.length, 1);
		assert.equal(new Set(gw.dataRequests.map((d) => d.headers['x-correlation-id'])).size, 40);
	});

	test('renewed before it expires', async () => {
		gw.reset({ expiresIn: 4 }); // used 3 s, then renewed
		const sum = okResult(await run(base(QUATORZE, ['--annee', '2021', '--repeat', '60', '--threads', '2', '--quota', '600'])));
		assert.equal(sum.reussies, 60);
		const elapsed = (gw.dataRequests.at(-1).t - gw.dataRequests[0].t) / 1000;
		assert.ok(gw.tokenRequests.length >= Math.max(2, Math.floor(elapsed / 4)), `${gw.tokenRequests.length} tokens in ${elapsed} s`);
		assert.ok(gw.tokenRequests.length <= Math.ceil(elapsed / 3) + 1, `${gw.tokenRequests.length} tokens in ${elapsed} s`);
		assert.equal(gw.expiredSeen ?? 0, 0, 'an expired token was sent');
		assert.ok(gw.dataRequests.every((d) => d.status === 200));
	});
});

describe('quota', () => {
	test('a burst of 120 calls completes under the quota, never meeting a 429', async () => {
		const QUOTA = 600;
		gw.reset({ quota: QUOTA });
		const r = await run(base(QUATORZE, ['--annee', '2021', '--repeat', '120', '--threads', '8', '--quota', String(QUOTA)]), { timeoutMs: 60000 });
		const sum = okResult(r);
		assert.equal(sum.reussies, 120);
		assert.deepEqual(sum.statuts, { 200: 120 });
		assert.equal(gw.dataRequests.length, 120);
		assert.ok(gw.dataRequests.every((d) => d.status === 200));
		const rate = measuredRate(gw.dataRequests);
		const second = maxInWindow(gw.dataRequests, 1000);
		console.log(`# quota ${QUOTA}/min: 120 calls in ${((gw.dataRequests.at(-1).t - gw.dataRequests[0].t) / 1000).toFixed(2)} s, ${rate.toFixed(1)} calls/min, at most ${second} in one second, client ${sum.debit_par_min.toFixed(1)}/min`);
		assert.ok(rate <= QUOTA, `${rate} calls/min`);
		assert.ok(rate >= QUOTA * 0.5, `${rate} calls/min: the pacing is too slow`);
		// paced evenly (no burst): network jitter may bunch two arrivals at most
		assert.ok(second <= QUOTA / 60 + 2, `${second} calls in one second`);
	});

	test('the default quota is 50 per minute', async () => {
		const args = base(QUATORZE, ['--annee', '2021', '--repeat', '3', '--threads', '3']);
		args.splice(args.indexOf('--quota'), 2);
		const sum = okResult(await run(args));
		assert.equal(sum.reussies, 3);
		const t = gw.dataRequests.map((d) => d.t).sort((a, b) => a - b);
		// 50/min paced 5 % under: one call every 1.26 s
		assert.ok(t[2] - t[0] >= 2400, `${t[2] - t[0]} ms for 3 calls`);
	});
});
