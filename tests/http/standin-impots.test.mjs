// `cassis standin impots`: the stand-in of API Impôt particulier. Every
// household file of the project's set answers with its own data on every
// route and year (expected values read from the files); the token endpoint
// (form and Basic credentials, clients file, scopes, expiry); each check of
// a data call with its status and code, and their order; the DGFiP calendar
// (a year not yet taxed, deuxans before and after 22 July); filtering by
// habilitation; the quota and its 429; fault injection; a household file
// dropped in the folder served without a restart; the log without SPI; the
// command line (exit codes, French messages).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BIN } from './lib/server.mjs';
import {
	IMPOTS_FIXTURES, MEDIA_ANNREV, MEDIA_DERNIERE, MESSAGES, accessToken, annrevPath, dernierePath,
	deuxansPath, dgfip, expected, expectedBody, getToken, householdOf, households, startImpots, ymd,
	yearOf,
} from './lib/impots.mjs';

const NOW = '2026-10-01T10:00:00Z'; /* after 22 July: N-1 = 2025 is out */
const TODAY = ymd(NOW);
const MARTIN = '3049990104245';
const MARTIN_2 = '3049990154295';
const UNKNOWN = '3049990999999';
const BASE_SPI = '/impotparticulier/1.0/spi/';

function assertError(r, status, code, message) {
	assert.equal(r.status, status, r.text);
	assert.match(r.headers.get('content-type'), /^application\/json/);
	assert.equal(r.json.erreur.code, code);
	if (message) assert.equal(r.json.erreur.message, message);
	assert.match(r.json.erreur.horodatage, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
}

/* Checks an answer against what the household file promises. */
function assertAnswer(r, want, route, what) {
	assert.equal(r.status, want.status, `${what}: ${r.text}`);
	if (want.status === 200) {
		assert.equal(r.headers.get('content-type'), route === 'annrev' ? MEDIA_ANNREV : MEDIA_DERNIERE, what);
		assert.deepEqual(r.json, expectedBody(want.situation, route, want.year), what);
		if (route !== 'annrev') assert.equal(Object.keys(r.json)[0], 'annRevenu', what);
	} else if (want.status === 204) {
		assert.equal(r.text, '', what);
	} else {
		assertError(r, want.status, want.code, want.message);
	}
}

describe('standin impots: every household answers with its own data', () => {
	let s, token;
	before(async () => {
		s = await startImpots({ now: NOW, args: ['--quota', '0'] });
		token = await accessToken(s.url);
	});
	after(async () => {
		const end = await s.stop();
		assert.equal(end.code, 0);
	});

	const all = households();

	it('the project set has the sandbox, the demonstration and the error households', () => {
		assert.ok(all.length >= 14, `${all.length} files`);
		const spis = all.flatMap((h) => h.spi);
		assert.equal(new Set(spis).size, spis.length, 'a SPI listed twice');
		assert.ok(householdOf('3999999898230'), 'sandbox CIS QUATORZE');
		assert.ok(householdOf('3999999889221'), 'sandbox CIS CINQ');
		assert.equal(all.filter((h) => h.file.startsWith('demo-')).length, 12);
	});

	for (const h of all) {
		it(`${h.file}: every year on every route, for each declarant`, async () => {
			const years = new Set(Object.keys(h.annees ?? {}).map((k) => yearOf(k, TODAY.y)));
			years.add(TODAY.y - 1).add(TODAY.y - 2).add(TODAY.y);
			for (const spi of h.spi) {
				for (const year of years) {
					for (const [route, p] of [['annrev', annrevPath(spi, year)], ['derniere', dernierePath(spi, year)]]) {
						const r = await dgfip(s.url, p, { token });
						assertAnswer(r, expected(h, route, year, TODAY), route, `${h.file} ${route} ${year}`);
						assert.equal(r.headers.get('x-standin-fixture'), h.file);
					}
				}
				const r = await dgfip(s.url, deuxansPath(spi), { token });
				assertAnswer(r, expected(h, 'deuxans', 0, TODAY), 'deuxans', `${h.file} deuxans`);
			}
		});
	}

	it('a SPI of no file: 410 and 4102, on every route', async () => {
		for (const p of [annrevPath(UNKNOWN, 2025), dernierePath(UNKNOWN, 2025), deuxansPath(UNKNOWN)]) {
			const r = await dgfip(s.url, p, { token });
			assertError(r, 410, 4102, MESSAGES[4102]);
			assert.equal(r.headers.get('x-standin-fixture'), null);
		}
	});

	it('the demonstration households: both declarants, N-1 and N-2 as the files say', async () => {
		const r1 = await dgfip(s.url, annrevPath(MARTIN, 2025), { token });
		const r2 = await dgfip(s.url, annrevPath(MARTIN_2, 2025), { token });
		assert.deepEqual(r1.json, r2.json);
		assert.equal(r1.json.nmNaiDec1, 'DUPONT');
		assert.equal(r1.json.nmUsaDec1, 'MARTIN');
		assert.equal(r1.json.nbPart, 3);
		assert.match(r1.text, /"nbPart":3\.0/, 'nbPart keeps its decimals on the wire');
		/* Da Silva: N-1 late, deuxans gives N-2 */
		const late = await dgfip(s.url, annrevPath('3049990109250', 2025), { token });
		assertError(late, 410, 4101);
		const two = await dgfip(s.url, deuxansPath('3049990109250'), { token });
		assert.equal(two.json.annRevenu, 2024);
		/* Benali: a restitution */
		const ben = await dgfip(s.url, annrevPath('3049990106247', 2025), { token });
		assert.ok(ben.json.montTotIr < 0);
	});
});

describe('standin impots: the token endpoint', () => {
	let s;
	const CLIENTS = [
		'# CLIENT:SECRET  DROITS  [OPTIONS]',
		'ccas-complet:secret-complet *',
		'ccas-minimal:secret-minimal dgfip_rfr,dgfip_nbpart,dgfip_annee_n_moins_1',
		'ccas-deuxans:secret-deuxans dgfip_rfr,dgfip_annee_n_moins_2_si_indispo_n_moins_1',
		'ccas-vide:secret-vide -',
		'ccas-revoque:secret-revoque * liste-noire',
		'ccas-perime:secret-perime * expire',
	];
	before(async () => {
		s = await startImpots({ now: NOW, credentials: CLIENTS, args: ['--token-ttl', '120'] });
	});
	after(async () => {
		await s.stop();
	});

	it('client credentials as form fields: a bearer token, its scope and lifetime', async () => {
		const t = await getToken(s.url, { id: 'ccas-complet', secret: 'secret-complet', scope: 'RessourceIR' });
		assert.equal(t.status, 200, t.text);
		assert.match(t.headers.get('content-type'), /^application\/json/);
		assert.equal(t.headers.get('cache-control'), 'no-store');
		assert.equal(t.json.token_type, 'Bearer');
		assert.equal(t.json.expires_in, 120);
		assert.equal(t.json.scope, 'RessourceIR');
		assert.match(t.json.access_token, /^[A-Za-z0-9_-]{20,}$/);
		const r = await dgfip(s.url, annrevPath(MARTIN, 2025), { token: t.json.access_token });
		assert.equal(r.status, 200);
	});

	it('client credentials as HTTP Basic', async () => {
		const t = await getToken(s.url, { id: 'ccas-complet', secret: 'secret-complet', basic: true, scope: 'RessourceIR RessourceIRDerniere2' });
		assert.equal(t.status, 200, t.text);
		assert.equal(t.json.scope, 'RessourceIR RessourceIRDerniere2');
	});

	it('no scope asked: every resource of the habilitation', async () => {
		const t = await getToken(s.url, { id: 'ccas-complet', secret: 'secret-complet' });
		assert.equal(t.json.scope.split(' ').length, 8);
		const d = await getToken(s.url, { id: 'ccas-deuxans', secret: 'secret-deuxans' });
		assert.equal(d.json.scope, 'RessourceIRDerniere2');
	});

	it('a scope outside the habilitation gives a token without it ("default")', async () => {
		const t = await getToken(s.url, { id: 'ccas-minimal', secret: 'secret-minimal', scope: 'RessourceIRDerniere2' });
		assert.equal(t.status, 200);
		assert.equal(t.json.scope, 'default');
		const r = await dgfip(s.url, deuxansPath(MARTIN), { token: t.json.access_token });
		assertError(r, 403, 4031, MESSAGES[4031]);
		const v = await getToken(s.url, { id: 'ccas-vide', secret: 'secret-vide' });
		assert.equal(v.json.scope, 'default');
	});

	it('refused clients and requests', async () => {
		const cases = [
			[{ id: 'ccas-complet', secret: 'mauvais' }, 401, 'invalid_client'],
			[{ id: 'inconnu', secret: 'x' }, 401, 'invalid_client'],
			[{ id: 'ccas-revoque', secret: 'secret-revoque' }, 401, 'invalid_client'],
			[{ id: null, secret: null }, 401, 'invalid_client'],
			[{ id: 'ccas-complet', secret: 'secret-complet', basic: true, fields: { client_id: 'x' } }, 200, null],
			[{ id: 'ccas-complet', secret: 'secret-complet', fields: { grant_type: 'password' } }, 400, 'unsupported_grant_type'],
			[{ id: 'ccas-complet', secret: 'secret-complet', fields: { grant_type: null } }, 400, 'invalid_request'],
		];
		for (const [opts, status, error] of cases) {
			const t = await getToken(s.url, opts);
			assert.equal(t.status, status, JSON.stringify(opts));
			if (error) assert.equal(t.json.error, error);
		}
		const get = await fetch(`${s.url}/token`);
		assert.equal(get.status, 404);
	});

	it('a client marked "expire": its tokens are refused by the data routes', async () => {
		const t = await accessToken(s.url, { id: 'ccas-perime', secret: 'secret-perime' });
		const r = await dgfip(s.url, annrevPath(MARTIN, 2025), { token: t });
		assert.equal(r.status, 401);
		assert.equal(r.json.fault.code, 900901);
	});

	it('each client its own habilitation', async () => {
		const t = await accessToken(s.url, { id: 'ccas-minimal', secret: 'secret-minimal' });
		const r = await dgfip(s.url, annrevPath(MARTIN, 2025), { token: t });
		assert.deepEqual(Object.keys(r.json).sort(), ['nbPart', 'rfr']);
		const old = await dgfip(s.url, annrevPath(MARTIN, 2024), { token: t });
		assertError(old, 403, 4031);
	});
});

describe('standin impots: token expiry', () => {
	it('a token past expires_in answers 401, a new one works', async () => {
		const s = await startImpots({ now: NOW, args: ['--token-ttl', '1'] });
		try {
			const t = await getToken(s.url);
			assert.equal(t.json.expires_in, 1);
			assert.equal((await dgfip(s.url, annrevPath(MARTIN, 2025), { token: t.json.access_token })).status, 200);
			await new Promise((r) => setTimeout(r, 1300));
			const r = await dgfip(s.url, annrevPath(MARTIN, 2025), { token: t.json.access_token });
			assert.equal(r.status, 401);
			assert.equal(r.json.fault.code, 900901);
			assert.match(r.headers.get('www-authenticate'), /invalid_token/);
			const again = await accessToken(s.url);
			assert.equal((await dgfip(s.url, annrevPath(MARTIN, 2025), { token: again })).status, 200);
		} finally {
			await s.stop();
		}
	});
});

describe('standin impots: the checks, their codes and their order', () => {
	let s, token, narrow, clockFile, dir;
	before(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-impots-clock-'));
		clockFile = path.join(dir, 'now');
		fs.writeFileSync(clockFile, NOW);
		s = await startImpots({
			now: `@${clockFile}`,
			credentials: ['large:l *', 'etroit:e dgfip_rfr,dgfip_annee_n_moins_1'],
			args: ['--quota', '0'],
		});
		token = await accessToken(s.url, { id: 'large', secret: 'l' });
		narrow = await accessToken(s.url, { id: 'etroit', secret: 'e' });
	});
	after(async () => {
		await s.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('401 without a token, 401 with an unknown one (gateway bodies)', async () => {
		const none = await dgfip(s.url, annrevPath(MARTIN, 2025));
		assert.equal(none.status, 401);
		assert.equal(none.json.fault.code, 900902);
		const basic = await dgfip(s.url, annrevPath(MARTIN, 2025), { headers: { Authorization: 'Basic eDp5' } });
		assert.equal(basic.json.fault.code, 900902);
		const bad = await dgfip(s.url, annrevPath(MARTIN, 2025), { token: 'inconnu' });
		assert.equal(bad.status, 401);
		assert.equal(bad.json.fault.code, 900901);
	});

	it('400 without a UUID in X-Correlation-ID', async () => {
		assertError(await dgfip(s.url, annrevPath(MARTIN, 2025), { token, correlation: null }), 400, 4000);
		assertError(await dgfip(s.url, annrevPath(MARTIN, 2025), { token, correlation: 'abc' }), 400, 4000);
	});

	it('403 and 4031 when the token lacks the route\'s resource', async () => {
		const ir = await accessToken(s.url, { id: 'large', secret: 'l', scope: 'RessourceIR' });
		assertError(await dgfip(s.url, deuxansPath(MARTIN), { token: ir }), 403, 4031, MESSAGES[4031]);
		assertError(await dgfip(s.url, dernierePath(MARTIN, 2025), { token: ir }), 403, 4031);
		assert.equal((await dgfip(s.url, annrevPath(MARTIN, 2025), { token: ir })).status, 200);
	});

	it('400 and 4001 for a SPI that is not 13 digits', async () => {
		for (const spi of ['304999010424', '30499901042455', '304999010424A', '3049990104%20245']) {
			assertError(await dgfip(s.url, annrevPath(spi, 2025), { token }), 400, 4001, MESSAGES[4001]);
			assertError(await dgfip(s.url, deuxansPath(spi), { token }), 400, 4001);
		}
		assertError(await dgfip(s.url, `${BASE_SPI}/situations/ir/assiettes/annrev/2025`, { token }), 400, 4001);
	});

	it('400 and 4002 for a year that is not 4 digits', async () => {
		for (const year of ['25', '20255', 'deux', '']) {
			assertError(await dgfip(s.url, annrevPath(MARTIN, year), { token }), 400, 4002, MESSAGES[4002]);
		}
	});

	it('403 and 4031 for a year outside the habilitation', async () => {
		assert.equal((await dgfip(s.url, annrevPath(MARTIN, 2025), { token: narrow })).status, 200);
		assertError(await dgfip(s.url, annrevPath(MARTIN, 2024), { token: narrow }), 403, 4031);
	});

	it('410: unknown SPI (4102), then a year without data or not yet taxed (4101)', async () => {
		assertError(await dgfip(s.url, annrevPath(UNKNOWN, 2025), { token }), 410, 4102);
		assertError(await dgfip(s.url, annrevPath(UNKNOWN, 2026), { token }), 410, 4102);
		assertError(await dgfip(s.url, annrevPath(MARTIN, 2026), { token }), 410, 4101, MESSAGES[4101]);
		assertError(await dgfip(s.url, annrevPath(MARTIN, 2019), { token }), 410, 4101);
	});

	it('the production variants of the files: 404/4102, 204, 403/4031, 500', async () => {
		assertError(await dgfip(s.url, annrevPath('3049990901020', 2025), { token }), 404, 4102, MESSAGES[4102]);
		const empty = await dgfip(s.url, deuxansPath('3049990902021'), { token });
		assert.equal(empty.status, 204);
		assert.equal(empty.text, '');
		assertError(await dgfip(s.url, annrevPath('3049990903022', 2025), { token }), 403, 4031);
		assertError(await dgfip(s.url, annrevPath('3049990904023', 2025), { token }), 500, 500);
	});

	it('the first failing check answers', async () => {
		const ir = await accessToken(s.url, { id: 'large', secret: 'l', scope: 'RessourceIR' });
		const order = [
			[annrevPath('x', 'y'), { correlation: null }, 401, null],
			[annrevPath('x', 'y'), { token, correlation: null }, 400, 4000],
			[deuxansPath('x'), { token: ir }, 403, 4031],
			[annrevPath('x', 'y'), { token }, 400, 4001],
			[annrevPath(UNKNOWN, 'y'), { token }, 400, 4002],
			[annrevPath(UNKNOWN, 2020), { token: narrow }, 403, 4031],
			[annrevPath(UNKNOWN, 2026), { token }, 410, 4102],
		];
		for (const [p, opts, status, code] of order) {
			const r = await dgfip(s.url, p, opts);
			assert.equal(r.status, status, `${p}: ${r.text}`);
			if (code) assert.equal(r.json.erreur.code, code, p);
		}
	});

	it('the DGFiP calendar: before 22 July, N-1 is not taxed and deuxans gives N-2', async () => {
		try {
			fs.writeFileSync(clockFile, '2026-07-21T23:00:00Z');
			assertError(await dgfip(s.url, annrevPath(MARTIN, 2025), { token }), 410, 4101);
			let r = await dgfip(s.url, deuxansPath(MARTIN), { token });
			assert.equal(r.json.annRevenu, 2024);
			assert.equal(r.json.rfr, householdOf(MARTIN).annees['N-2'].situation.rfr);
			fs.writeFileSync(clockFile, '2026-07-22T00:00:00Z');
			r = await dgfip(s.url, deuxansPath(MARTIN), { token });
			assert.equal(r.json.annRevenu, 2025);
			assert.equal(r.json.rfr, householdOf(MARTIN).annees['N-1'].situation.rfr);
			/* the sandbox households of 2021, at the time they were recorded */
			fs.writeFileSync(clockFile, '2023-03-01T10:00:00Z');
			r = await dgfip(s.url, deuxansPath('3999999889221'), { token });
			assert.equal(r.json.annRevenu, 2021);
			assert.equal(r.json.montTotIr, -36);
		} finally {
			fs.writeFileSync(clockFile, NOW);
		}
	});

	it('unknown paths: 404 of the gateway', async () => {
		for (const p of ['/', '/impotparticulier/1.0/spi/3049990104245/situations/ir/factures/annrev/2025', `${annrevPath(MARTIN, 2025)}/x`]) {
			const r = await dgfip(s.url, p, { token });
			assert.equal(r.status, 404, p);
			assert.equal(r.json.fault.code, 900906);
		}
	});

	it('X-Correlation-ID is not echoed; X-Request-Id is there', async () => {
		const r = await dgfip(s.url, annrevPath(MARTIN, 2025), { token });
		assert.equal(r.headers.get('x-correlation-id'), null);
		assert.ok(r.headers.get('x-request-id'));
	});
});


describe('standin impots: filtering by habilitation', () => {
	it('--scopes: only the granted keys; annRevenu always', async () => {
		const s = await startImpots({ now: NOW, scopes: 'dgfip_rfr,dgfip_nbpart,dgfip_sitfam,dgfip_pac_nbPac,dgfip_aft' });
		try {
			const token = await accessToken(s.url);
			const full = householdOf(MARTIN).annees['N-1'].situation;
			const r = await dgfip(s.url, annrevPath(MARTIN, 2025), { token });
			assert.deepEqual(r.json, {
				rfr: full.rfr, sitFam: full.sitFam, nbPart: full.nbPart, pac: { nbPac: full.pac.nbPac },
				aft: full.aft, aftDetail: full.aftDetail,
			});
			const d = await dgfip(s.url, deuxansPath(MARTIN), { token });
			assert.deepEqual(Object.keys(d.json), ['annRevenu', 'rfr', 'sitFam', 'nbPart', 'pac', 'aft', 'aftDetail']);
		} finally {
			await s.stop();
		}
	});

	it('--habilitation FILE: declarants, the avis data under Cassis names, raw keys', async () => {
		const s = await startImpots({
			now: NOW,
			habilitation: ['# essai', 'dgfip_nmNaiDec1 dgfip_prnmDec1', 'dgfip_dateNaisDec1, dgfip_montTotIr', 'revImposable', 'dgfip_pac'],
		});
		try {
			const token = await accessToken(s.url);
			const full = householdOf('3049990106247').annees['N-1'].situation;
			const r = await dgfip(s.url, annrevPath('3049990106247', 2025), { token });
			assert.deepEqual(r.json, {
				pac: full.pac, nmNaiDec1: full.nmNaiDec1, prnmDec1: full.prnmDec1, dateNaisDec1: full.dateNaisDec1,
				dptNaissDec1: full.dptNaissDec1, lieuNaissDec1: full.lieuNaissDec1, revImposable: full.revImposable,
				montTotIr: full.montTotIr,
			});
		} finally {
			await s.stop();
		}
	});
});

describe('standin impots: quota', () => {
	async function outsideMinuteEdge() {
		const left = 60000 - (Date.now() % 60000);
		if (left < 5000) await new Promise((r) => setTimeout(r, left + 100));
	}

	it('50 calls a minute per client by default, then 429 with Retry-After; others unaffected', async () => {
		const s = await startImpots({ now: NOW });
		try {
			const a = await accessToken(s.url, { id: 'client-a' });
			const b = await accessToken(s.url, { id: 'client-b' });
			await outsideMinuteEdge();
			const statuses = [];
			for (let i = 0; i < 51; i++) statuses.push((await dgfip(s.url, annrevPath(MARTIN, 2025), { token: a })).status);
			assert.deepEqual(statuses.slice(0, 50), Array(50).fill(200));
			const r = await dgfip(s.url, annrevPath(MARTIN, 2025), { token: a });
			assert.equal(r.status, 429);
			assert.equal(r.json.fault.code, 900802);
			const retry = Number(r.headers.get('retry-after'));
			assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
			assert.equal((await dgfip(s.url, annrevPath(MARTIN, 2025), { token: b })).status, 200);
			/* a new token of the same client shares its quota; /token is not counted */
			const a2 = await accessToken(s.url, { id: 'client-a' });
			assert.equal((await dgfip(s.url, annrevPath(MARTIN, 2025), { token: a2 })).status, 429);
			/* a call refused before the quota (no token) does not count */
			assert.equal((await dgfip(s.url, annrevPath(MARTIN, 2025))).status, 401);
		} finally {
			await s.stop();
		}
	});

	it('--quota 3/h and --quota 0', async () => {
		const s = await startImpots({ now: NOW, args: ['--quota', '3/h'] });
		try {
			const t = await accessToken(s.url);
			const st = [];
			for (let i = 0; i < 4; i++) st.push((await dgfip(s.url, annrevPath(MARTIN, 2025), { token: t })).status);
			assert.deepEqual(st, [200, 200, 200, 429]);
		} finally {
			await s.stop();
		}
		const u = await startImpots({ now: NOW, args: ['--quota', '0'] });
		try {
			const t = await accessToken(u.url);
			for (let i = 0; i < 60; i++) assert.equal((await dgfip(u.url, annrevPath(MARTIN, 2025), { token: t })).status, 200);
		} finally {
			await u.stop();
		}
	});
});

describe('standin impots: fault injection', () => {
	async function withStandin(args, fn) {
		const s = await startImpots({ now: NOW, args: ['--quota', '0', ...args] });
		try {
			await fn(s, await accessToken(s.url));
		} finally {
			const end = await s.stop();
			assert.equal(end.code, 0);
		}
	}

	it('--error-rate: the gateway and DGFiP bodies; /token spared', async () => {
		const bodies = { 503: (j) => j.fault.code === 101503, 502: (j) => j.fault.code === 101503, 504: (j) => j.fault.code === 101504, 500: (j) => j.erreur.code === 500, 429: (j) => j.fault.code === 900802 };
		for (const [status, ok] of Object.entries(bodies)) {
			await withStandin(['--error-rate', `${status}:100`], async (s, token) => {
				for (const p of [annrevPath(MARTIN, 2025), deuxansPath(MARTIN)]) {
					const r = await dgfip(s.url, p, { token });
					assert.equal(r.status, Number(status));
					assert.ok(ok(r.json), r.text);
				}
			});
		}
	});

	it('--latency-ms, --malformed-rate, --reset-rate', async () => {
		await withStandin(['--latency-ms', '300'], async (s, token) => {
			const t0 = Date.now();
			assert.equal((await dgfip(s.url, annrevPath(MARTIN, 2025), { token })).status, 200);
			assert.ok(Date.now() - t0 >= 290);
		});
		await withStandin(['--malformed-rate', '100'], async (s, token) => {
			const r = await dgfip(s.url, annrevPath(MARTIN, 2025), { token });
			assert.equal(r.status, 200);
			assert.equal(r.json, null, 'a cut body does not parse');
			assert.ok(r.text.startsWith('{"rfr"'));
		});
		await withStandin(['--reset-rate', '100'], async (s, token) => {
			await assert.rejects(dgfip(s.url, annrevPath(MARTIN, 2025), { token }));
		});
	});
});

describe('standin impots: files, log, command line', () => {
	it('a household file added to the folder answers without a restart; a bad one is reported', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-impots-set-'));
		fs.copyFileSync(path.join(IMPOTS_FIXTURES, 'demo-04-martin.json'), path.join(dir, 'martin.json'));
		const s = await startImpots({ now: NOW, fixtures: dir });
		try {
			const token = await accessToken(s.url);
			assertError(await dgfip(s.url, annrevPath('1234567890123', 2025), { token }), 410, 4102);
			fs.writeFileSync(path.join(dir, 'nouveau.json'), JSON.stringify({ spi: ['1234567890123'], annees: { 'N-1': { situation: { rfr: 1234 } } } }));
			fs.writeFileSync(path.join(dir, 'casse.json'), '{"spi": ');
			const r = await dgfip(s.url, annrevPath('1234567890123', 2025), { token });
			assert.equal(r.status, 200);
			assert.deepEqual(r.json, { rfr: 1234 });
			assert.match(s.output(), /fixture ignored.*casse\.json/);
		} finally {
			await s.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('the log shows the routes without the SPI', async () => {
		const s = await startImpots({ now: NOW });
		const token = await accessToken(s.url);
		await dgfip(s.url, annrevPath(MARTIN, 2025), { token });
		await dgfip(s.url, deuxansPath(MARTIN_2), { token });
		const end = await s.stop();
		assert.equal(end.code, 0);
		assert.ok(!end.stderr.includes(MARTIN) && !end.stderr.includes(MARTIN_2), 'a SPI in the log');
		assert.match(end.stderr, /"path":"\/impotparticulier\/1\.0\/spi\/\{spi\}\/dernieresituation\/ir\/assiettes\/deuxans"/);
		assert.match(end.stderr, /listening on http:\/\/127\.0\.0\.1:\d+/);
	});

	it('bad arguments exit 2 with a French message; a port taken exits 1', async () => {
		const run = (...args) => spawnSync(BIN, ['standin', 'impots', ...args], { encoding: 'utf8', timeout: 10000 });
		const fx = ['--fixtures', IMPOTS_FIXTURES, '--port', '0'];
		const cases = [
			[[...fx, '--quota', 'beaucoup'], /--quota attend/],
			[[...fx, '--quota', '50/jour'], /--quota attend/],
			[[...fx, '--token-ttl', '-5'], /--token-ttl attend/],
			[[...fx, '--scopes', 'dgfip_rfr,dgfip_tout'], /« dgfip_tout » n'est ni un droit DataPass/],
			[[...fx, '--scopes', 'dgfip_rfr', '--habilitation', '/dev/null'], /ne vont pas ensemble/],
			[[...fx, '--habilitation', '/nulle/part'], /fichier illisible/],
			[[...fx, '--credentials', '/nulle/part'], /fichier illisible/],
			[[...fx, '--tokens', '/dev/null'], /réservées à « standin particulier »/],
			[[...fx, '--rate', '5'], /réservées à « standin particulier »/],
			[['--port', '0'], /--fixtures DOSSIER est obligatoire/],
			[['--fixtures', '/nulle/part'], /ce dossier n'existe pas/],
		];
		for (const [args, message] of cases) {
			const r = run(...args);
			assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
			assert.match(r.stderr, message, args.join(' '));
		}
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-impots-cli-'));
		try {
			fs.writeFileSync(path.join(dir, 'clients'), 'a:b dgfip_inconnu\n');
			const r = run(...fx, '--credentials', path.join(dir, 'clients'));
			assert.equal(r.status, 2);
			assert.match(r.stderr, /dgfip_inconnu/);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
		const p = spawnSync(BIN, ['standin', 'particulier', '--fixtures', IMPOTS_FIXTURES, '--quota', '5'], { encoding: 'utf8' });
		assert.equal(p.status, 2);
		assert.match(p.stderr, /réservées à « standin impots »/);
		const s = await startImpots({ now: NOW });
		try {
			const r = run('--fixtures', IMPOTS_FIXTURES, '--port', String(s.port));
			assert.equal(r.status, 1);
			assert.match(r.stderr, /impossible d'écouter/);
		} finally {
			await s.stop();
		}
	});
});
