// The access log over HTTP: viewing a person (page and API), a dossier or
// a document writes an access entry; the auditeur's page /audit/acces finds
// who viewed a person (by name, then the person), filters by agent and
// dates, pages; the other roles get 403; an auditeur of another CCAS sees
// nothing of it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { decodeEntities } from './lib/forms.mjs';
import { Fixtures, SEARCH_A } from './lib/fixtures.mjs';
import { assertCleanExit, startServer } from './lib/server.mjs';

let srv, fx;

before(async () => {
	srv = await startServer();
	fx = new Fixtures(srv);
});

after(async () => {
	if (!srv) return;
	assertCleanExit(await srv.stop());
	srv.cleanup();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* The rows of the access table: [{id, text}] (text without tags). */
function rows(html) {
	const out = [];
	for (const m of html.matchAll(/<tr id="access-(\d+)">([\s\S]*?)<\/tr>/g))
		out.push({ id: Number(m[1]), text: decodeEntities(m[2].replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ') });
	return out;
}

/* GET path as who until pred(rows) holds (entries are written right after
 * the request that read; another request's writer may still hold them for
 * a moment). */
async function auditUntil(who, path, pred) {
	const s = await srv.session(who);
	let res;
	for (let i = 0; i < 40; i++) {
		res = await s.get(path);
		assert.equal(res.status, 200, `${path} (${who}) → ${res.status}: ${res.text.slice(0, 800)}`);
		if (pred(rows(res.text), res.text)) return res;
		await sleep(50);
	}
	assert.fail(`${path} (${who}): condition never met:\n${JSON.stringify(rows(res.text), null, 1)}`);
}

test('viewing a person writes an access entry the auditeur finds by name', async () => {
	const person = await fx.get('A', 'person');
	const instr = await srv.session('instructeur@A');
	const res = await instr.get(`/usagers/${person}`);
	assert.equal(res.status, 200);
	const email = srv.users['instructeur@A'].email;
	const page = await auditUntil('auditeur@A', `/audit/acces?usager=${person}`, (r) =>
		r.some((x) => x.text.includes(email) && x.text.includes('Fiche usager') && x.text.includes('GET /usagers/{id}')));
	assert.match(page.text, /Consultations concernant <strong>/);
	// by name: the person is offered, then her entries
	const auditeur = await srv.session('auditeur@A');
	const search = await auditeur.get(`/audit/acces?nom=${encodeURIComponent(SEARCH_A)}`);
	assert.equal(search.status, 200);
	assert.match(search.text, new RegExp(`href="/audit/acces\\?usager=${person}"`));
	const none = await auditeur.get('/audit/acces?nom=Zyxwvutsrq');
	assert.match(none.text, /id="access-no-match"/);
});

test('the API, the dossier page and the edit form are recorded too', async () => {
	const person = await fx.get('A', 'person');
	const dossier = await fx.get('A', 'dossier');
	const api = await srv.apiSession('instructeur@A');
	assert.equal((await api.get(`/api/v1/persons/${person}`)).status, 200);
	const valideur = await srv.session('valideur@A');
	assert.equal((await valideur.get(`/dossiers/${dossier}`)).status, 200);
	const accueil = await srv.session('accueil@A');
	assert.equal((await accueil.get(`/usagers/${person}/modifier`)).status, 200);
	const vEmail = srv.users['valideur@A'].email;
	await auditUntil('auditeur@A', `/audit/acces?usager=${person}`, (r) =>
		r.some((x) => x.text.includes('clé API') && x.text.includes('GET /api/v1/persons/{id}')) &&
		r.some((x) => x.text.includes(vEmail) && x.text.includes(`Dossier n° ${dossier}`)) &&
		r.some((x) => x.text.includes('GET /usagers/{id}/modifier')));
});

test('a document read is recorded with its dossier\'s applicant', async (t) => {
	const why = fx.unavailable('document');
	if (why) return t.skip(why);
	const [dossier, doc, person] = [await fx.get('A', 'dossier'), await fx.get('A', 'document'), await fx.get('A', 'person')];
	const instr = await srv.session('instructeur@A');
	const res = await instr.get(`/dossiers/${dossier}/pieces/${doc}`);
	assert.equal(res.status, 200, res.text.slice(0, 500));
	await auditUntil('auditeur@A', `/audit/acces?usager=${person}`, (r) =>
		r.some((x) => x.text.includes(`Pièce justificative n° ${doc}`)));
});

test('filters: agent, dates; errors next to the fields', async () => {
	const person = await fx.get('A', 'person');
	const accueil = await srv.session('accueil@A');
	assert.equal((await accueil.get(`/usagers/${person}`)).status, 200);
	const id = srv.users['accueil@A'].id;
	const email = srv.users['accueil@A'].email;
	const page = await auditUntil('administrateur@A', `/audit/acces?agent=${id}`, (r) => r.length > 0);
	for (const r of rows(page.text)) assert.ok(r.text.includes(email), r.text);
	const auditeur = await srv.session('auditeur@A');
	const past = await auditeur.get('/audit/acces?du=01/01/2000&au=31/12/2000');
	assert.equal(past.status, 200);
	assert.equal(rows(past.text).length, 0);
	assert.match(past.text, /Aucune consultation enregistrée/);
	const bad = await auditeur.get('/audit/acces?du=31/02/2024&au=2024');
	assert.equal(bad.status, 400);
	assert.match(bad.text, /class="error-summary"/);
	assert.match(bad.text, /id="du"[^>]*aria-invalid="true"/);
	assert.match(bad.text, /id="err-au"/);
});

test('pages of 25, oldest first on demand', async () => {
	const person = await fx.get('A', 'person3');
	const instr = await srv.session('instructeur@A');
	for (let i = 0; i < 27; i++) assert.equal((await instr.get(`/usagers/${person}`)).status, 200);
	const first = await auditUntil('auditeur@A', `/audit/acces?usager=${person}`, (r, html) =>
		/27 consultations enregistrées/.test(html));
	assert.equal(rows(first.text).length, 25);
	const next = /<a href="([^"]+)" rel="next"/.exec(first.text);
	assert.ok(next, 'no next page link');
	const auditeur = await srv.session('auditeur@A');
	const second = await auditeur.get(decodeEntities(next[1]));
	assert.equal(rows(second.text).length, 2);
	assert.match(second.text, /rel="prev"/);
	const asc = await auditeur.get(`/audit/acces?usager=${person}&ordre=asc`);
	const ids = rows(asc.text).map((r) => r.id);
	assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
	assert.match(asc.text, /aria-sort="ascending"/);
});

test('only administrateurs and auditeurs read the access log', async () => {
	for (const role of ['accueil', 'instructeur', 'valideur']) {
		const s = await srv.session(`${role}@A`);
		assert.equal((await s.get('/audit/acces')).status, 403, role);
	}
	for (const role of ['administrateur', 'auditeur']) {
		const s = await srv.session(`${role}@A`);
		assert.equal((await s.get('/audit/acces')).status, 200, role);
	}
	const anon = srv.newSession();
	const res = await anon.get('/audit/acces');
	assert.notEqual(res.status, 200);
});

test('tenant isolation: another CCAS sees nothing of it', async () => {
	const person = await fx.get('A', 'person');
	const instr = await srv.session('instructeur@A');
	assert.equal((await instr.get(`/usagers/${person}`)).status, 200);
	await auditUntil('auditeur@A', `/audit/acces?usager=${person}`, (r) => r.length > 0);
	const b = await srv.session('auditeur@B');
	const res = await b.get(`/audit/acces?usager=${person}`);
	assert.equal(res.status, 200);
	assert.equal(rows(res.text).length, 0);
	assert.ok(!res.text.includes(SEARCH_A), 'the name of A\'s person leaks to B');
	const all = await b.get('/audit/acces');
	assert.ok(!all.text.includes(srv.users['instructeur@A'].email), 'A\'s agents leak to B');
	// B's own reads are B's
	const pb = await fx.get('B', 'person');
	const ib = await srv.session('instructeur@B');
	assert.equal((await ib.get(`/usagers/${pb}`)).status, 200);
	await auditUntil('auditeur@B', `/audit/acces?usager=${pb}`, (r) => r.length > 0);
	// B reading A's person: 404, nothing recorded
	assert.equal((await ib.get(`/usagers/${person}`)).status, 404);
	const a = await auditUntil('auditeur@A', `/audit/acces?usager=${person}`, (r) => r.length > 0);
	assert.ok(!a.text.includes(srv.users['instructeur@B'].email));
});
