// `cassis impots situation` (the DGFiP client) against `cassis standin
// impots`: every household file of the project's set, each year and the
// deuxans route, read back through the client (expected values taken from
// the files); then the error paths as the agent meets them (unknown SPI, no
// data, 204, 403, credentials refused, a token the gateway revokes, quota,
// 5xx, timeout, malformed body, reset, no server), token expiry and
// refresh, and a burst of 120 calls paced under the quota without a 429.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BIN } from './lib/server.mjs';
import { expected, households, startImpots, yearOf, ymd } from './lib/impots.mjs';

const NOW = '2026-10-01T10:00:00Z';
const TODAY = ymd(NOW);
const MARTIN = '3049990104245';

let dir;
before(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-impots-client-'));
	fs.writeFileSync(path.join(dir, 'id'), 'ccas-essai\n');
	fs.writeFileSync(path.join(dir, 'secret'), 'secret-essai\n');
	fs.writeFileSync(path.join(dir, 'mauvais'), 'pas-le-bon\n');
	fs.writeFileSync(path.join(dir, 'perime'), 'ccas-perime\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/* Runs the client: {code, stdout, stderr, json (stdout or stderr JSON)}. */
function client(url, args, { id = 'id', secret = 'secret' } = {}) {
	return new Promise((resolve, reject) => {
		const argv = ['impots', 'situation', '--base-url', url, '--client-id-file', path.join(dir, id),
			'--client-secret-file', path.join(dir, secret), ...args];
		const p = spawn(BIN, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '', stderr = '';
		p.stdout.on('data', (d) => (stdout += d));
		p.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => p.kill('SIGKILL'), 120000);
		p.on('error', reject);
		p.on('exit', (code) => {
			clearTimeout(timer);
			let json = null;
			const text = code === 0 ? stdout : stderr.split('\n').filter((l) => l.startsWith('{')).pop() ?? '';
			try {
				json = JSON.parse(text);
			} catch {
				json = null;
			}
			resolve({ code, stdout, stderr, json });
		});
	});
}

/* The kind of error the client gives for an answer of the stand-in. */
function kindOf(want) {
	if (want.code === 4102) return 'unknown_spi';
	if ([204, 404, 410].includes(want.status)) return 'no_data';
	if (want.status === 403) return 'forbidden';
	if (want.status >= 500) return 'provider';
	return `? ${want.status}`;
}

const num = (v) => (v === undefined || v === null ? v : Number(v));

/* The client's normalised data against the situation of the file. */
function assertData(data, sit, year, what) {
	assert.equal(data.annee_revenus, year, what);
	assert.equal(num(data.rfr), num(sit.rfr), `${what}: rfr`);
	assert.equal(Number(data.nombre_parts), Number(sit.nbPart), `${what}: parts`);
	assert.equal(data.situation_famille?.code, sit.sitFam, `${what}: sitFam`);
	assert.equal(data.personnes_a_charge?.nombre, sit.pac?.nbPac, `${what}: nbPac`);
	if (sit.pac?.nbPacH) assert.equal(data.personnes_a_charge.detail.H, sit.pac.nbPacH, `${what}: nbPacH`);
	if (sit.montTotIr !== undefined) assert.equal(data.montant_impot, num(sit.montTotIr), `${what}: montTotIr`);
	if (sit.impAvImput !== undefined) assert.equal(data.impot_avant_corrections, num(sit.impAvImput), what);
	if (sit.revenuBrutGlobal !== undefined) assert.equal(data.revenu_brut_global, num(sit.revenuBrutGlobal), what);
	if (sit.aft) assert.equal(data.adresse.ligne.trim(), sit.aft.trim(), `${what}: aft`);
	for (const n of [1, 2]) {
		if (!sit[`nmNaiDec${n}`]) continue;
		const d = data[`declarant${n}`];
		assert.equal(d.nom_naissance, sit[`nmNaiDec${n}`].trim(), `${what}: nmNaiDec${n}`);
		assert.equal(d.prenoms, sit[`prnmDec${n}`].trim(), `${what}: prnmDec${n}`);
		const b = sit[`dateNaisDec${n}`];
		assert.equal(d.date_naissance, `${b.annee}-${b.mois}-${b.jour}`, `${what}: dateNaisDec${n}`);
		if (sit[`nmUsaDec${n}`]) assert.equal(d.nom_usage, sit[`nmUsaDec${n}`], `${what}: nmUsaDec${n}`);
	}
}

function assertOutcome(r, want, what, spi) {
	if (want.status === 200) {
		assert.equal(r.code, 0, `${what}: ${r.stderr}`);
		assertData(r.json.data, want.situation, want.year, what);
		assert.equal(r.json.annee_revenus, want.year, what);
	} else {
		assert.equal(r.code, 1, `${what}: ${r.stdout}`);
		assert.equal(r.json.kind, kindOf(want), `${what}: ${r.stderr}`);
		assert.equal(r.json.status, want.status, what);
		assert.ok(r.json.message.length > 20, 'a French message for the agent');
	}
	assert.ok(!r.stdout.includes(spi) && !r.stderr.includes(spi), `${what}: the SPI is printed`);
}

describe('impots client against the stand-in: every household file', () => {
	let s;
	before(async () => {
		s = await startImpots({ now: NOW, args: ['--quota', '0'] });
	});
	after(async () => {
		const end = await s.stop();
		assert.equal(end.code, 0);
	});

	for (const h of households()) {
		it(`${h.file}: each year and deuxans`, async () => {
			const years = new Set(Object.keys(h.annees ?? {}).map((k) => yearOf(k, TODAY.y)));
			years.add(TODAY.y - 1);
			for (const spi of h.spi) {
				for (const year of years) {
					const r = await client(s.url, ['--spi', spi, '--annee', String(year)]);
					assertOutcome(r, expected(h, 'annrev', year, TODAY), `${h.file} ${year}`, spi);
				}
				const r = await client(s.url, ['--spi', spi, '--deux-ans', '--basic-auth']);
				assertOutcome(r, expected(h, 'deuxans', 0, TODAY), `${h.file} deuxans`, spi);
			}
		});
	}

	it('a SPI of no file: unknown_spi', async () => {
		const r = await client(s.url, ['--spi', '3049990999999', '--annee', '2025']);
		assert.equal(r.code, 1);
		assert.equal(r.json.kind, 'unknown_spi');
		assert.equal(r.json.code, '4102');
	});
});

describe('impots client against the stand-in: error paths', () => {
	async function withStandin(opts, fn) {
		const s = await startImpots({ now: NOW, ...opts });
		try {
			await fn(s);
		} finally {
			await s.stop();
		}
	}

	it('credentials refused at the token endpoint; a revoked token refused twice', async () => {
		await withStandin({ credentials: ['ccas-essai:secret-essai *', 'ccas-perime:secret-essai * expire'] }, async (s) => {
			const bad = await client(s.url, ['--spi', MARTIN, '--annee', '2025'], { secret: 'mauvais' });
			assert.equal(bad.code, 1);
			assert.equal(bad.json.kind, 'credentials');
			assert.ok(!bad.stderr.includes('pas-le-bon'), 'the secret is not printed');
			const ok = await client(s.url, ['--spi', MARTIN, '--annee', '2025']);
			assert.equal(ok.code, 0, ok.stderr);
			const revoked = await client(s.url, ['--spi', MARTIN, '--annee', '2025'], { id: 'perime' });
			assert.equal(revoked.code, 1);
			assert.equal(revoked.json.kind, 'credentials');
			assert.equal(revoked.json.status, 401);
		});
	});

	it('a habilitation without the resource or the year: forbidden; filtered keys are absent', async () => {
		await withStandin({ scopes: 'dgfip_rfr,dgfip_nbpart,dgfip_annee_n_moins_1' }, async (s) => {
			const two = await client(s.url, ['--spi', MARTIN, '--deux-ans']);
			assert.equal(two.code, 1);
			assert.equal(two.json.kind, 'forbidden');
			const old = await client(s.url, ['--spi', MARTIN, '--annee', '2024']);
			assert.equal(old.json.kind, 'forbidden');
			const ok = await client(s.url, ['--spi', MARTIN, '--annee', '2025']);
			assert.equal(ok.code, 0, ok.stderr);
			assert.deepEqual(Object.keys(ok.json.data).sort(), ['annee_revenus', 'nombre_parts', 'rfr']);
		});
	});

	it('past the quota: rate, with the wait', async () => {
		await withStandin({ args: ['--quota', '1/h'] }, async (s) => {
			assert.equal((await client(s.url, ['--spi', MARTIN, '--annee', '2025'])).code, 0);
			const r = await client(s.url, ['--spi', MARTIN, '--annee', '2025']);
			assert.equal(r.code, 1);
			assert.equal(r.json.kind, 'rate');
			assert.ok(r.json.retry_after > 0);
		});
	});

	it('5xx, timeout, malformed body, reset, no server', async () => {
		const cases = [
			[['--error-rate', '503:100'], [], 'provider'],
			[['--error-rate', '500:100'], [], 'provider'],
			[['--error-rate', '504:100'], [], 'timeout'],
			[['--latency-ms', '3000'], ['--timeout', '1'], 'timeout'],
			[['--malformed-rate', '100'], [], 'malformed'],
			[['--reset-rate', '100'], [], 'network'],
		];
		for (const [args, more, kind] of cases) {
			await withStandin({ args }, async (s) => {
				const r = await client(s.url, ['--spi', MARTIN, '--annee', '2025', ...more]);
				assert.equal(r.code, 1, args.join(' '));
				assert.equal(r.json.kind, kind, `${args.join(' ')}: ${r.stderr}`);
			});
		}
		const s = await startImpots({ now: NOW });
		const url = s.url;
		await s.stop();
		const r = await client(url, ['--spi', MARTIN, '--annee', '2025']);
		assert.equal(r.json.kind, 'network');
	});

	it('tokens that expire are fetched again', async () => {
		await withStandin({ args: ['--token-ttl', '1', '--quota', '0'] }, async (s) => {
			const r = await client(s.url, ['--spi', MARTIN, '--annee', '2025', '--repeat', '30', '--quota', '600', '--threads', '2']);
			assert.equal(r.code, 0, r.stderr);
			const sum = JSON.parse(r.stdout);
			assert.equal(sum.reussies, 30);
			assert.ok(sum.jetons >= 2, `${sum.jetons} token requests`);
		});
	});

	it('a burst of 120 calls completes under the quota, without a 429', async () => {
		await withStandin({ args: ['--quota', '20/s'] }, async (s) => {
			const r = await client(s.url, ['--spi', MARTIN, '--deux-ans', '--repeat', '120', '--quota', '1200', '--threads', '8']);
			assert.equal(r.code, 0, r.stderr);
			const sum = JSON.parse(r.stdout);
			assert.equal(sum.reussies, 120);
			assert.deepEqual(sum.statuts, { 200: 120 });
			assert.ok(sum.debit_par_min <= 1200, `${sum.debit_par_min} calls a minute`);
		});
	});
});
