// `cassis standin impots` (the stand-in of API Impôt particulier) for the
// tests: start it, read the project's household files, compute the answer
// a household file promises (the same rules as src/standin/impots_fixtures.c,
// written again here so that the tests check the stand-in against them),
// and call the token endpoint and the data routes.
//
//   const s = await startImpots({ now: '2026-10-01T10:00:00Z', scopes: 'dgfip_rfr' });
//   const t = await getToken(s.url);                  // {status, json}
//   const r = await dgfip(s.url, annrevPath(spi, 2025), { token: t.json.access_token });
//   await s.stop();
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT } from './server.mjs';
import { startStandin } from './standin.mjs';

export const IMPOTS_FIXTURES = path.join(ROOT, 'standin', 'fixtures', 'api-impot-particulier');
export const BASE = '/impotparticulier/1.0';
export const MEDIA_ANNREV = 'application/prs.dgfip.part.situations.ir.assiettes.v1+json';
export const MEDIA_DERNIERE = 'application/prs.dgfip.part.derniere.situations.ir.assiettes.v1+json';

/* The usual messages of the erreur codes. */
export const MESSAGES = {
	4001: 'format SPI incorrect',
	4002: 'format année incorrect',
	4031: "L'utilisateur n'a pas accès à la ressource",
	4101: "La requête avec le SPI et l'année ne renvoie aucun résultat",
	4102: 'Le SPI envoyé ne correspond à aucun usager',
};

export const annrevPath = (spi, year) => `${BASE}/spi/${spi}/situations/ir/assiettes/annrev/${year}`;
export const dernierePath = (spi, year) => `${BASE}/spi/${spi}/dernieresituation/ir/assiettes/annrev/${year}`;
export const deuxansPath = (spi) => `${BASE}/spi/${spi}/dernieresituation/ir/assiettes/deuxans`;

/* Every household file of a folder: [{file, description, spi, annees, reponse}]. */
export function households(dir = IMPOTS_FIXTURES) {
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, ...JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

/* The household file listing spi, or undefined. */
export function householdOf(spi, dir = IMPOTS_FIXTURES) {
	return households(dir).find((h) => h.spi.includes(spi));
}

/* {y, m, d} of an ISO date-time (UTC). */
export function ymd(iso) {
	const t = new Date(iso);
	return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/* The income year of a key ("2021", "N-1") in calendar year y; null when none. */
export function yearOf(key, y) {
	if (/^\d{4}$/.test(key)) return Number(key);
	if (key === 'N') return y;
	const m = /^N-(\d)$/.exec(key);
	return m ? y - Number(m[1]) : null;
}

/* The avis of income year `year` is out from 22 July of year + 1. */
export function taxed(year, { y, m, d }) {
	if (y !== year + 1) return y > year + 1;
	return m > 7 || (m === 7 && d >= 22);
}

/* The entry of a year: an absolute key first. */
function entryOf(h, year, y) {
	const keys = Object.keys(h.annees ?? {}).filter((k) => yearOf(k, y) === year);
	const key = keys.find((k) => !k.startsWith('N')) ?? keys[0];
	return key === undefined ? undefined : h.annees[key];
}

function fromEntry(e, year) {
	if (!e.statut || e.statut === 200) return { status: 200, situation: e.situation, year };
	return {
		status: e.statut,
		code: e.erreur?.code ?? 0,
		message: e.erreur?.message ?? MESSAGES[e.erreur?.code] ?? '',
		year,
	};
}

function oneYear(h, year, today) {
	const e = taxed(year, today) ? entryOf(h, year, today.y) : undefined;
	return e ? fromEntry(e, year) : { status: 410, code: 4101, message: MESSAGES[4101], year };
}

/* What the stand-in answers for household h (undefined: unknown SPI) on a
 * route ('annrev', 'derniere', 'deuxans') for a year on a day:
 * {status, code?, message?, situation?, year}. */
export function expected(h, route, year, today) {
	if (!h) return { status: 410, code: 4102, message: MESSAGES[4102], year };
	if (h.reponse) return fromEntry(h.reponse, year);
	if (route !== 'deuxans') return oneYear(h, year, today);
	const first = taxed(today.y - 1, today) ? today.y - 1 : today.y - 2;
	for (let yr = first; yr >= today.y - 2; yr--) {
		const a = oneYear(h, yr, today);
		if (a.status === 200) return a;
	}
	return oneYear(h, first, today);
}

/* The body a 200 carries: annRevenu first on the dernieresituation routes. */
export function expectedBody(situation, route, year) {
	const { annRevenu, ...rest } = situation;
	return route === 'annrev' ? rest : { annRevenu: year, ...rest };
}

/* Starts the stand-in: now fixes its clock (test mode; "@FILE" to move it
 * while it runs); credentials and habilitation are file lines; scopes a
 * --scopes list; args more options. Returns startStandin's object. */
export async function startImpots({ fixtures = IMPOTS_FIXTURES, now, credentials, habilitation, scopes, args = [], env = {} } = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-impots-'));
	const more = [];
	if (credentials) {
		fs.writeFileSync(path.join(dir, 'clients'), credentials.join('\n') + '\n');
		more.push('--credentials', path.join(dir, 'clients'));
	}
	if (habilitation) {
		fs.writeFileSync(path.join(dir, 'habilitation'), habilitation.join('\n') + '\n');
		more.push('--habilitation', path.join(dir, 'habilitation'));
	}
	if (scopes) more.push('--scopes', scopes);
	const clock = now ? { CASSIS_TEST_MODE: '1', CASSIS_NOW: now } : {};
	const s = await startStandin({ api: 'impots', fixtures, args: [...more, ...args], env: { ...clock, ...env } });
	const stop = s.stop;
	s.stop = async (...a) => {
		const end = await stop(...a);
		fs.rmSync(dir, { recursive: true, force: true });
		return end;
	};
	return s;
}

async function answer(res) {
	const text = await res.text();
	let json = null;
	try {
		json = text ? JSON.parse(text) : null;
	} catch {
		json = null;
	}
	return { status: res.status, headers: res.headers, text, json };
}

/* POST /token: form fields (default) or HTTP Basic; fields adds or
 * replaces form fields. */
export async function getToken(url, { id = 'cassis-essai', secret = 'secret-essai', scope, basic = false, fields = {} } = {}) {
	const form = new URLSearchParams({ grant_type: 'client_credentials' });
	if (scope !== undefined) form.set('scope', scope);
	const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
	if (basic) headers.Authorization = 'Basic ' + Buffer.from(`${id}:${secret}`).toString('base64');
	else {
		if (id !== null) form.set('client_id', id);
		if (secret !== null) form.set('client_secret', secret);
	}
	for (const [k, v] of Object.entries(fields)) {
		if (v === null) form.delete(k);
		else form.set(k, v);
	}
	return answer(await fetch(`${url}/token`, { method: 'POST', headers, body: form.toString() }));
}

/* An access token of the default client (every resource). */
export async function accessToken(url, opts = {}) {
	const t = await getToken(url, opts);
	if (t.status !== 200) throw new Error(`token refused: ${t.status} ${t.text}`);
	return t.json.access_token;
}

/* A GET on a data route with the headers of a real client; correlation
 * null leaves X-Correlation-ID out. */
export async function dgfip(url, p, { token, correlation = crypto.randomUUID(), headers = {} } = {}) {
	const h = { Accept: '*/*', ID_Teleservice: 'CASSIS_ESSAI', ...headers };
	if (token) h.Authorization = `Bearer ${token}`;
	if (correlation !== null) h['X-Correlation-ID'] = correlation;
	return answer(await fetch(`${url}${p}`, { headers: h }));
}
