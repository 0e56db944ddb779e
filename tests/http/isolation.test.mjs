// Tenant isolation: a user of CCAS A asking for any object of CCAS B gets 404,
// on every route of the UI and the API. The routes come from
// `cassis routes --json`, so a new route is swept without editing this file;
// a route whose {id} cannot be filled with an object of B makes the sweep
// fail (see lib/fixtures.mjs for the kinds of objects).
//
// Besides the ids in the path, ids carried by form fields and query
// parameters (demandeur_id, foyer...) are swept with the forms and links
// that A's own pages offer. Afterwards the database must be unchanged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { assertSubset } from './lib/cases.mjs';
import { dbDiff, dbSnapshot } from './lib/dbsnap.mjs';
import { B_MARKERS, Fixtures, KIND_OF_FIELD, SEARCH_A, idKinds } from './lib/fixtures.mjs';
import { parseForms, parseLinks, patternRegex } from './lib/forms.mjs';
import { ROLES, assertCleanExit, routeTable, startServer } from './lib/server.mjs';

const ROUTES = routeTable();
const ID_ROUTES = ROUTES.filter((r) => r.pattern.includes('{id}'));
/* The role tried first for a route: the one most routes are about. */
const ROLE_ORDER = ['instructeur', 'administrateur', 'valideur', 'accueil', 'auditeur'];
const routeKey = (r) => `${r.method} ${r.pattern}`;

let srv;
let fx;
let crawl;
let snapBefore;
const apiBodies = new Map();
const covered = new Set();
const platformOnly = new Set();

before(async () => {
	srv = await startServer();
	fx = new Fixtures(srv);
});
after(() => srv?.cleanup());

function fill(pattern, ids) {
	let i = 0;
	return pattern.replace(/\{id\}/g, () => String(ids[i++]));
}

const tenantRolesOf = (rt) => ROLE_ORDER.filter((r) => rt.roles.includes(r));

/* The Session of role@A for a route of this kind (API: its API key). */
async function actor(kind, who) {
	if (kind !== 'api') return srv.session(who);
	const s = await srv.apiSession(who);
	assert.ok(s, 'API routes cannot be swept: API keys cannot be created (no /admin/cles-api page)');
	return s;
}

/* A plausible value for an empty form field, so that validation is not what
 * refuses the request. */
function plausible(name, value) {
	if (value !== '') return value;
	if (/password|mot_de_passe/.test(name)) return 'Un-mot-de-passe-solide-2024';
	if (/date/.test(name)) return '2024-03-01';
	if (/montant|amount/.test(name)) return '100';
	if (/relation/.test(name)) return 'conjoint';
	if (/email/.test(name)) return 'essai.isolation@ccas-essai.fr';
	if (/label|libelle|motif|nom|name|note|texte|description|code/.test(name)) return 'essai-isolation';
	return value;
}

function formBody(fields) {
	const body = {};
	for (const [k, v] of Object.entries(fields || {})) if (k !== 'csrf') body[k] = plausible(k, v);
	return body;
}

/* Visits A's pages as A's users: the forms they offer (for the bodies of the
 * sweep) and the links carrying ids in their query string. Breadth first
 * from every GET page route, following links with a query string and
 * submitting search forms with the name of A's person, two levels deep. */
async function crawlTenantA() {
	const postRoutes = ROUTES.filter((r) => r.kind === 'page' && r.method === 'POST');
	const getRoutes = ROUTES.filter((r) => r.kind === 'page' && r.method === 'GET');
	const isPage = (path) => getRoutes.some((r) => patternRegex(r.pattern).test(path));
	const result = { bodies: new Map(), forms: [], links: [], leaks: [], visited: 0 };
	const seen = new Set();
	const perPath = new Map();
	const queue = [];
	const enqueue = (who, url, depth) => {
		const path = url.split('?')[0];
		const key = `${who} ${url}`;
		if (seen.has(key) || !isPage(path)) return;
		const n = perPath.get(`${who} ${path}`) || 0;
		if (url.includes('?') && n >= 4) return; /* enough sorting and paging links */
		perPath.set(`${who} ${path}`, n + 1);
		seen.add(key);
		queue.push({ who, url, depth });
	};
	for (const rt of getRoutes) {
		const ids = await Promise.all(idKinds(rt.pattern).map((k) => fx.get('A', k))).catch(() => null);
		if (ids) for (const role of tenantRolesOf(rt)) enqueue(`${role}@A`, fill(rt.pattern, ids), 0);
	}
	while (queue.length) {
		const { who, url, depth } = queue.shift();
		const res = await (await srv.session(who)).get(url);
		for (const m of B_MARKERS) if (res.text.includes(m)) result.leaks.push(`GET ${url} as ${who} shows "${m}"`);
		result.visited++;
		if (res.status !== 200) continue;
		for (const f of parseForms(res.text)) {
			const action = f.action.split(/[?#]/)[0] || url.split('?')[0];
			if (f.method === 'POST') {
				result.forms.push({ who, action, fields: f.fields, from: url });
				const rt = postRoutes.find((r) => patternRegex(r.pattern).test(action));
				if (rt && !result.bodies.has(routeKey(rt))) result.bodies.set(routeKey(rt), f.fields);
			} else if ('q' in f.fields && depth < 2) {
				enqueue(who, `${action}?${new URLSearchParams({ ...f.fields, q: SEARCH_A })}`, depth + 1);
			}
		}
		for (const href of parseLinks(res.text)) {
			if (!href.startsWith('/')) continue;
			result.links.push({ who, href, from: url });
			const clean = href.split('#')[0];
			if (clean.includes('?') && depth < 2) enqueue(who, clean, depth + 1);
		}
	}
	return result;
}

function assertNoLeak(res, ctx) {
	for (const m of B_MARKERS) assert.ok(!res.text.includes(m), `${ctx}: the answer shows "${m}", an object of CCAS B\n${res.text.slice(0, 1200)}`);
}

/* The JSON body of an API write, learnt on A's own object: what the API
 * returns for it, without what is obviously read-only (id, timestamps, links
 * to other objects, lists of sub-objects), then without the fields a 422
 * names, until A's own object accepts it. Written to A's object with its own
 * values, before the picture of the database. */
async function learnApiBody(rt, idsA) {
	const twin = ROUTES.find((r) => r.kind === 'api' && r.method === 'GET' && r.pattern === rt.pattern);
	if (!twin) return {};
	const s = await actor('api', `${tenantRolesOf(rt)[0] || 'instructeur'}@A`);
	const res = await s.get(fill(rt.pattern, idsA));
	if (!res.json || typeof res.json !== 'object') return {};
	const body = { ...res.json };
	for (const [k, v] of Object.entries(body)) {
		const subObjects = Array.isArray(v) && v.some((x) => x && typeof x === 'object');
		if (k === 'id' || k.endsWith('_at') || k.endsWith('_id') || subObjects) delete body[k];
	}
	for (let round = 0; round < 4; round++) {
		const r = await s.request(rt.method, fill(rt.pattern, idsA), { json: body });
		const fields = Object.keys(r.json?.error?.fields || {});
		if (r.status !== 422 || !fields.length) break;
		for (const f of fields) delete body[f.split(/[.[]/)[0]];
	}
	return body;
}

async function send(s, rt, path, idsA) {
	if (rt.method === 'GET' || rt.method === 'DELETE') return s.request(rt.method, path);
	if (rt.kind === 'api') return s.request(rt.method, path, { json: apiBodies.get(routeKey(rt)) || {} });
	return s.post(path, formBody(crawl.bodies.get(routeKey(rt))));
}

/* The id combinations to try: all of B; for nested routes also A's parent
 * with B's child and B's parent with A's child. */
function variants(idsA, idsB) {
	const out = [idsB];
	for (let k = 1; k < idsB.length; k++) {
		out.push([...idsA.slice(0, k), ...idsB.slice(k)]);
		out.push([...idsB.slice(0, k), ...idsA.slice(k)]);
	}
	return out;
}

test('fixtures: objects of every kind in CCAS A and CCAS B; A\'s pages crawled', async (t) => {
	const kinds = new Set(ID_ROUTES.flatMap((r) => idKinds(r.pattern)).filter((k) => !k.startsWith('?')));
	kinds.add('person3'); /* in no household: A's pages then offer to add it */
	const problems = [];
	for (const T of ['A', 'B'])
		for (const k of kinds) await fx.get(T, k).catch((e) => problems.push(`${T}:${k}: ${e.message.split('\n')[0]}`));
	/* every API key the sweep will use, before the picture of the database */
	if (ROUTES.some((r) => r.kind === 'api')) for (const role of ROLES) await srv.apiKey(`${role}@A`);
	/* the markers are on B's own pages, so their absence elsewhere means something */
	if (!problems.length && srv.hasRoute('GET /usagers/{id}')) {
		const own = await (await srv.session('instructeur@B')).get(`/usagers/${await fx.get('B', 'person')}`);
		assert.ok(own.text.includes(B_MARKERS[0]) && own.text.includes(B_MARKERS[1]), 'B\'s own page lacks the markers');
	}
	crawl = await crawlTenantA();
	for (const rt of ID_ROUTES.filter((r) => r.kind === 'api' && r.method !== 'GET' && r.method !== 'DELETE')) {
		const ids = await Promise.all(idKinds(rt.pattern).map((k) => fx.get('A', k))).catch(() => null);
		if (ids) apiBodies.set(routeKey(rt), await learnApiBody(rt, ids));
	}
	snapBefore = dbSnapshot(srv.dbUrl);
	t.diagnostic(`API bodies: ${JSON.stringify(Object.fromEntries(apiBodies))}`);
	t.diagnostic(`page bodies found for: ${[...crawl.bodies.keys()].join(', ')}`);
	assert.deepEqual(problems, [], 'some objects could not be created');
});

for (const rt of ID_ROUTES) {
	test(`${routeKey(rt)} answers 404 to CCAS A for objects of CCAS B`, async () => {
		const kinds = idKinds(rt.pattern);
		const unknown = kinds.filter((k) => k.startsWith('?')).map((k) => k.slice(1));
		assert.deepEqual(unknown, [], `no kind of object for the segment(s) before {id}: add them to KIND_OF_SEGMENT in tests/http/lib/fixtures.mjs`);
		const idsB = await Promise.all(kinds.map((k) => fx.get('B', k)));
		const idsA = await Promise.all(kinds.map((k) => fx.get('A', k)));
		const permitted = tenantRolesOf(rt);
		if (!permitted.length) platformOnly.add(routeKey(rt));
		/* the platform administrator sees no CCAS's data */
		if (rt.kind === 'page' && !rt.roles.includes('plateforme')) {
			const s = await srv.session('plateforme@P');
			for (const ids of [idsA, idsB]) {
				const res = await send(s, rt, fill(rt.pattern, ids), idsA);
				const ctx = `${rt.method} ${fill(rt.pattern, ids)} as the platform administrator`;
				assert.ok([403, 404].includes(res.status), `${ctx}: status ${res.status}\n${res.text.slice(0, 1200)}`);
				assertNoLeak(res, ctx);
			}
		}
		for (const role of ROLES) {
			const allowed = permitted.includes(role);
			if (allowed) covered.add(routeKey(rt)); /* exercised, whatever the outcome */
			const s = await actor(rt.kind, `${role}@A`);
			for (const ids of variants(idsA, idsB)) {
				const path = fill(rt.pattern, ids);
				const ctx = `${rt.method} ${path} as ${role}@A${rt.kind === 'api' ? ' (API key)' : ''}`;
				const res = await send(s, rt, path, idsA);
				const want = allowed ? [404] : [403, 404];
				assert.ok(want.includes(res.status), `${ctx}: status ${res.status}, expected ${want.join(' or ')}\n${res.text.slice(0, 1200)}`);
				assertNoLeak(res, ctx);
				if (rt.kind === 'api') assertSubset(res.json, { error: { code: 're:^(not_found|forbidden)$', message: '<any>' } });
			}
			/* the same route with A's own object works: the 404 above is isolation,
			 * not a broken route */
			if (allowed && rt.method === 'GET') {
				const res = await s.get(fill(rt.pattern, idsA));
				assert.ok(res.status !== 404 && res.status < 500, `${rt.method} ${fill(rt.pattern, idsA)} as ${role}@A (own object): status ${res.status}`);
				assertNoLeak(res, `${rt.method} ${fill(rt.pattern, idsA)} as ${role}@A`);
			}
		}
	});
}

test('none of the pages visited as CCAS A\'s users shows anything of CCAS B', (t) => {
	t.diagnostic(`${crawl.visited} page(s) visited`);
	assert.ok(crawl.visited > 10, 'the crawl visited too few pages');
	assert.deepEqual(crawl.leaks, []);
});

test('no API list of CCAS A shows anything of CCAS B', async () => {
	for (const rt of ROUTES.filter((r) => r.kind === 'api' && r.method === 'GET' && !r.pattern.includes('{id}'))) {
		for (const role of tenantRolesOf(rt)) {
			const s = await actor('api', `${role}@A`);
			const res = await s.get(`${rt.pattern}?limit=200`);
			assert.equal(res.status, 200, `GET ${rt.pattern} as ${role}@A (API key)`);
			assertNoLeak(res, `GET ${rt.pattern} as ${role}@A (API key)`);
		}
	}
});

test('ids of CCAS B in the query string of A\'s links are refused or ignored', async (t) => {
	const fxB = {};
	let tried = 0;
	const seen = new Set();
	for (const { who, href } of crawl.links) {
		const [path, query] = href.split('#')[0].split('?');
		if (!query) continue;
		const params = new URLSearchParams(query);
		for (const [name] of params) {
			const kind = KIND_OF_FIELD[name];
			if (!kind || seen.has(`${path}?${name}`)) continue;
			seen.add(`${path}?${name}`);
			fxB[kind] ??= await fx.get('B', kind);
			const p = new URLSearchParams(params);
			p.set(name, String(fxB[kind]));
			const url = `${path}?${p}`;
			const res = await (await srv.session(who)).get(url);
			tried++;
			assert.ok([200, 303, 400, 404, 422].includes(res.status), `GET ${url} as ${who}: status ${res.status}`);
			assertNoLeak(res, `GET ${url} as ${who}`);
		}
	}
	t.diagnostic(`${tried} link(s) tried: ${[...seen].join(', ')}`);
});

test('ids of CCAS B in the fields of A\'s forms are refused', async (t) => {
	const seen = new Set();
	for (const f of crawl.forms) {
		for (const name of Object.keys(f.fields)) {
			const kind = KIND_OF_FIELD[name];
			if (!kind || seen.has(`${f.action} ${name}`)) continue;
			seen.add(`${f.action} ${name}`);
			const idB = await fx.get('B', kind);
			const body = formBody(f.fields);
			body[name] = String(idB);
			const res = await (await srv.session(f.who)).post(f.action, body);
			const ctx = `POST ${f.action} with ${name}=${idB} (CCAS B) as ${f.who}`;
			assert.ok([400, 404, 422].includes(res.status), `${ctx}: status ${res.status}\n${res.text.slice(0, 1200)}`);
			assertNoLeak(res, ctx);
		}
	}
	t.diagnostic(`${seen.size} form field(s) tried: ${[...seen].join(', ')}`);
});

test('every route with an {id} was swept with a role that holds its permission', (t) => {
	const missing = ID_ROUTES.map(routeKey).filter((k) => !covered.has(k) && !platformOnly.has(k));
	assert.deepEqual(missing, [], 'routes not covered by the sweep');
	if (platformOnly.size)
		t.diagnostic(`platform routes (no CCAS role holds them; CCAS users got 403): ${[...platformOnly].join(', ')}`);
});

test('nothing changed in the database during the sweep', (t) => {
	if (!snapBefore) {
		t.skip('sqlite3 shell absent: cannot compare the database');
		return;
	}
	const diff = dbDiff(snapBefore, dbSnapshot(srv.dbUrl));
	assert.deepEqual(diff.slice(0, 40), [], 'rows changed by refused requests');
});

test('the server stops on SIGTERM with status 0 and no sanitizer report', async () => {
	assertCleanExit(await srv.stop());
});
