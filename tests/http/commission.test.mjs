// The commission against a real server: a session, its agenda built from
// instructed dossiers (and an emergency aid to report), the anonymised
// agenda for the elected members (no personal datum of the seeded persons,
// in any case or accent form), decisions in batch (all or nothing, the
// refused dossier named) and one by one, closing with the minutes as PDF
// (text read with pdftotext, reprinted identically), the permissions of
// each role, and tenant isolation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { decodeEntities, parseForms } from './lib/forms.mjs';
import { assertCleanExit, startServer } from './lib/server.mjs';

const RULE = {
	conditions: [{ libelle: 'Foyer d\'au moins une personne', expression: 'nb_personnes >= 1' }],
	montant: 'min(montant_demande, 300)',
};

/* The household of tenant A: every personal datum below must stay out of
 * the anonymised agenda and the minutes. */
const PEOPLE = [
	{ relation: 'demandeur', nom_naissance: 'Quenneville', nom_usage: 'Bérard-Lhuillier', prenoms: ['Héloïse', 'Anne-Sophie'], sexe: 'F', date_naissance: '1987-04-23' },
	{ relation: 'conjoint', nom_naissance: 'Ndiaye', prenoms: ['Ousmane'], sexe: 'M', date_naissance: '1985-11-02' },
	{ relation: 'enfant', nom_naissance: 'Ndiaye', prenoms: ['Maëlys'], sexe: 'F', date_naissance: '2015-06-14' },
	{ relation: 'enfant', nom_naissance: 'Ndiaye', prenoms: ['Timothée'], sexe: 'M', date_naissance: '2021-01-30' },
];
const CONTACT = {
	telephone: '06 11 22 33 44', email: 'heloise.quenneville@exemple.fr',
	adresse: '17 rue des Glycines', code_postal: '75011', commune: 'Paris',
};
const SECRETS = [
	'Quenneville', 'Bérard', 'Lhuillier', 'Héloïse', 'Anne-Sophie', 'Ndiaye', 'Ousmane', 'Maëlys',
	'Timothée', 'Glycines', '06 11 22 33 44', '0611223344', 'heloise.quenneville@exemple.fr',
	'1987-04-23', '23/04/1987', '1985-11-02', '02/11/1985', '2015-06-14', '14/06/2015',
	'2021-01-30', '30/01/2021',
];

const fold = (s) => decodeEntities(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

function assertNoSecret(text, where) {
	const t = fold(text);
	for (const s of SECRETS) assert.ok(!t.includes(fold(s)), `${where}: "${s}" found`);
}

let srv;
const A = {}; /* ids of tenant A's world */
const B = {};

before(async () => {
	srv = await startServer();
	await world('A', A);
	await world('B', B);
});
after(async () => {
	if (!srv) return;
	const end = await srv.stop();
	srv.cleanup();
	assertCleanExit(end);
});

function locationId(res, re, what) {
	assert.equal(res.status, 303, `${what}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const m = re.exec(res.headers.get('location') || '');
	assert.ok(m, `${what}: Location ${res.headers.get('location')}`);
	return Number(m[1]);
}

async function createAid(T, code, label) {
	const s = await srv.session(`administrateur@${T}`);
	let res = await s.post('/admin/aides', { code, label, description: `${label} : essai` });
	assert.equal(res.status, 303, `${code}: ${res.status}`);
	const page = await s.get('/admin/aides');
	const m = new RegExp(`<tr id="aid-(\\d+)">\\s*<th scope="row">${label}</th>`).exec(page.text);
	assert.ok(m, `${code} not in the catalogue`);
	const aid = Number(m[1]);
	res = await s.post(`/admin/aides/${aid}/versions`, { du: '2020-01-01', au: '', note: '', document: JSON.stringify(RULE) });
	const vid = locationId(res, new RegExp(`^/admin/aides/${aid}/versions/(\\d+)$`), 'version');
	res = await s.post(`/admin/aides/${aid}/versions/${vid}/activer`, {});
	assert.equal(res.status, 303, `activation: ${res.status}`);
	return aid;
}

async function api(T, method, url, json) {
	const s = await srv.apiSession(`instructeur@${T}`);
	const res = await s.request(method, url, { json });
	assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${res.text}`);
	return res.json;
}

async function move(T, who, id, to, fields) {
	const s = await srv.apiSession(`${who}@${T}`);
	const res = await s.request('POST', `/api/v1/dossiers/${id}/transitions`, { json: { to, fields } });
	assert.equal(res.status, 200, `${to} of ${id}: ${res.status} ${res.text}`);
}

/* A dossier of the household, instructed with a proposal (or not). */
async function dossier(T, w, aid, opts) {
	const d = await api(T, 'POST', '/api/v1/dossiers', {
		household_id: w.household, aid_type_id: aid, montant_demande_centimes: opts.montant,
		motif: `Mme Héloïse QUENNEVILLE (née le 23/04/1987), 17 rue des Glycines, tél. 06 11 22 33 44 : ${opts.motif}`,
	});
	await api(T, 'POST', `/api/v1/dossiers/${d.id}/lines`, { category: 'salaire', montant_centimes: 145000 });
	await api(T, 'POST', `/api/v1/dossiers/${d.id}/lines`, { category: 'loyer', montant_centimes: 82000 });
	await move(T, 'instructeur', d.id, 'depose');
	await move(T, 'instructeur', d.id, 'en_instruction');
	if (opts.evaluate) {
		const s = await srv.session(`instructeur@${T}`);
		const res = await s.post(`/dossiers/${d.id}/evaluation`, {});
		assert.equal(res.status, 303, `evaluation: ${res.status} ${res.text.slice(0, 500)}`);
	}
	if (opts.proposition)
		await move(T, 'instructeur', d.id, 'instruit', {
			proposition: opts.proposition, montant: opts.propose || '',
			appreciation: 'Madame Quenneville-Bérard et M. Ousmane Ndiaye élèvent Maëlys et Timothée ; situation fragile.',
		});
	return { id: d.id, numero: d.numero };
}

async function world(T, w) {
	w.aid = await createAid(T, `secours-${T.toLowerCase()}`, `Secours ${T}`);
	w.urgent = await createAid(T, `urgence-${T.toLowerCase()}`, `Urgence ${T}`);
	const admin = await srv.session(`administrateur@${T}`);
	assert.equal((await admin.post(`/admin/aides/${w.urgent}/urgence`, { urgence: '1' })).status, 303);
	const ids = [];
	for (const p of PEOPLE) {
		const { relation, ...fields } = p;
		const person = await api(T, 'POST', '/api/v1/persons', {
			...fields, lieu_naissance: { type: 'commune', code: '75056' }, nationalite: 'francaise', ...CONTACT,
		});
		ids.push({ id: person.id, relation });
	}
	const h = await api(T, 'POST', '/api/v1/households', { demandeur_id: ids[0].id, date_entree: '2024-01-01' });
	w.household = h.id;
	for (const m of ids.slice(1))
		await api(T, 'POST', `/api/v1/households/${h.id}/members`, { person_id: m.id, relation: m.relation, date_entree: '2024-01-01' });
	w.d1 = await dossier(T, w, w.aid, { montant: 40000, motif: 'facture d\'énergie', evaluate: true, proposition: 'accord', propose: '300,00' });
	w.d2 = await dossier(T, w, w.aid, { montant: 25000, motif: 'loyer impayé', evaluate: true, proposition: 'refus' });
	w.d3 = await dossier(T, w, w.aid, { montant: 15000, motif: 'cantine', proposition: 'ajournement' });
	w.d4 = await dossier(T, w, w.aid, { montant: 9000, motif: 'transport', proposition: 'accord', propose: '90,00' });
	w.u = await dossier(T, w, w.urgent, { montant: 12000, motif: 'colis alimentaire', proposition: 'accord', propose: '120,00' });
	await move(T, 'valideur', w.u.id, 'decide', { decision: 'accorde', montant: '120,00' });
}

async function state(T, id) {
	const s = await srv.apiSession(`instructeur@${T}`);
	const res = await s.get(`/api/v1/dossiers/${id}`);
	assert.equal(res.status, 200);
	return res.json.etat;
}

async function createSession(T, fields) {
	const s = await srv.session(`valideur@${T}`);
	const res = await s.post('/commissions', fields);
	return locationId(res, /^\/commissions\/(\d+)$/, 'session');
}

function itemIds(html) {
	return Object.fromEntries([...html.matchAll(/<tr id="item-(\d+)" data-state="[a-z_]+">\s*<th scope="row">\d+<\/th>\s*<td><a href="\/dossiers\/(\d+)"/g)]
		.map((m) => [Number(m[2]), Number(m[1])]));
}

describe('a session of tenant A', () => {
	test('creating a session: errors next to the fields, then created', async () => {
		const s = await srv.session('valideur@A');
		const form = await s.get('/commissions/nouvelle');
		assert.equal(form.status, 200);
		let res = await s.post('/commissions', { date_seance: '31/02/2026', heure: '25:00', lieu: '', membres: '' });
		assert.equal(res.status, 422);
		for (const f of ['date_seance', 'heure', 'lieu'])
			assert.match(res.text, new RegExp(`id="${f}"[^>]*aria-invalid="true" aria-describedby="err-${f}"`));
		assert.match(res.text, /class="error-summary" role="alert"/);
		A.session = await createSession('A', {
			date_seance: '2026-03-20', heure: '14h30', lieu: 'Salle du conseil, mairie annexe',
			membres: 'Claire Dubois, vice-présidente du CCAS\nJean Moreau, conseiller municipal\n\nAgnès Petit',
		});
		const page = await s.get(`/commissions/${A.session}`);
		assert.equal(page.status, 200);
		assert.match(page.text, /La séance de la commission est créée/);
		assert.match(page.text, /vendredi 20 mars 2026/);
		assert.match(page.text, /id="session-heure">14:30</);
		assert.match(page.text, /<li>Claire Dubois, vice-présidente du CCAS<\/li>/);
		assert.match(page.text, /<li>Agnès Petit<\/li>/);
		assert.match(page.text, /data-state="planifiee"><strong>Planifiée/);
		const list = await s.get('/commissions');
		assert.match(list.text, new RegExp(`<tr id="commission-${A.session}">`));
		assert.match(list.text, /href="\/commissions" aria-current="page">Commission</);
	});

	test('the agenda is built from instructed dossiers and the emergency aid to report', async () => {
		const s = await srv.session('valideur@A');
		let page = await s.get(`/commissions/${A.session}`);
		for (const d of [A.d1, A.d2, A.d3, A.d4, A.u])
			assert.match(page.text, new RegExp(`id="candidate-${d.id}"`), `candidate ${d.numero}`);
		assert.match(page.text, new RegExp(`id="candidate-${A.u.id}">[\\s\\S]*?à rapporter`));
		const add = parseForms(page.text).find((f) => f.id === 'add-form');
		assert.ok(add, 'no add form');
		const res = await s.post(add.action, { [`dossier_${A.d1.id}`]: '1', [`dossier_${A.d2.id}`]: '1', [`dossier_${A.d3.id}`]: '1', [`dossier_${A.u.id}`]: '1' });
		assert.equal(res.status, 303, res.text.slice(0, 1000));
		for (const d of [A.d1, A.d2, A.d3]) assert.equal(await state('A', d.id), 'en_commission');
		assert.equal(await state('A', A.u.id), 'decide');
		page = await s.get(`/commissions/${A.session}`);
		const items = itemIds(page.text);
		assert.deepEqual(Object.keys(items).map(Number).sort((a, b) => a - b), [A.d1.id, A.d2.id, A.d3.id, A.u.id].sort((a, b) => a - b));
		A.items = items;
		assert.match(page.text, /Décidé en urgence, rapporté : Accordé \(120,00/);
		assert.doesNotMatch(page.text, new RegExp(`id="candidate-${A.d1.id}"`));
		/* twice on one agenda: refused, nothing added */
		const again = await s.post(add.action, { [`dossier_${A.d4.id}`]: '1', [`dossier_${A.d1.id}`]: '1' });
		assert.equal(again.status, 422);
		assert.match(decodeEntities(again.text), new RegExp(`Dossier ${A.d1.numero} : il est déjà à l'ordre du jour`));
		assert.equal(await state('A', A.d4.id), 'instruit');
		/* no minutes before the session is closed */
		assert.equal((await s.get(`/commissions/${A.session}/proces-verbal.pdf`)).status, 409);
		/* the dossier page says where it is */
		const dp = await s.get(`/dossiers/${A.d1.id}`);
		assert.match(dp.text, new RegExp(`id="dossier-commission">Inscrit à l'ordre du jour de la <a href="/commissions/${A.session}">commission du 20/03/2026</a>`));
	});

	test('the anonymised agenda holds no personal datum of the household', async () => {
		for (const who of ['valideur@A', 'instructeur@A', 'auditeur@A']) {
			const s = await srv.session(who);
			const res = await s.get(`/commissions/${A.session}/anonyme`);
			assert.equal(res.status, 200, who);
			assertNoSecret(res.text, `anonymised agenda (${who})`);
			for (const d of [A.d1, A.d2, A.d3, A.u]) assert.match(res.text, new RegExp(`Dossier ${d.numero}`));
			assert.match(res.text, /2 adultes et 2 enfants/);
			assert.match(res.text, /Demandeur : 25 à 39 ans/);
			assert.match(res.text, /Enfant : 3 à 5 ans/);
			assert.match(res.text, /Reste à vivre mensuel<\/dt><dd>630,00/);
			assert.match(res.text, /<strong>Accord<\/strong> : 300,00/);
			assert.match(res.text, /Foyer d&#39;au moins une personne|Foyer d'au moins une personne/);
			assert.match(res.text, /facture d&#39;énergie|facture d'énergie/);
			assert.match(res.text, /data-print/);
		}
	});

	test('a batch of decisions is all or nothing, and names the refused dossier', async () => {
		const s = await srv.session('valideur@A');
		const page = await s.get(`/commissions/${A.session}`);
		const batch = parseForms(page.text).find((f) => f.id === 'batch-form');
		assert.ok(batch, 'no batch form');
		assert.match(batch.attrs['data-confirm'] || page.text, /Enregistrer les décisions/);
		const i1 = A.items[A.d1.id], i2 = A.items[A.d2.id], i3 = A.items[A.d3.id];
		/* the proposals come pre-filled */
		assert.equal(batch.fields[`decision_${i1}`], 'accorde');
		assert.equal(batch.fields[`montant_${i1}`], '300,00');
		assert.equal(batch.fields[`decision_${i2}`], 'refuse');
		/* the refusal has no motive: nothing is recorded */
		let res = await s.post(batch.action, { ...batch.fields, [`item_${i1}`]: '1', [`item_${i2}`]: '1', vote: 'Unanimité' });
		assert.equal(res.status, 422, res.text.slice(0, 500));
		const text = decodeEntities(res.text);
		assert.match(text, new RegExp(`id="lot" class="field-error" role="alert">Dossier ${A.d2.numero} : `));
		assert.match(res.text, new RegExp(`id="motif_${i2}"[^>]*aria-invalid="true"`));
		assert.equal(await state('A', A.d1.id), 'en_commission');
		assert.equal(await state('A', A.d2.id), 'en_commission');
		/* with the motive: both decided */
		res = await s.post(batch.action, {
			...batch.fields, [`item_${i1}`]: '1', [`item_${i2}`]: '1',
			[`motif_${i2}`]: 'Ressources de M. Ndiaye au-dessus du plafond', vote: 'Unanimité',
		});
		assert.equal(res.status, 303, res.text.slice(0, 1000));
		assert.equal(await state('A', A.d1.id), 'decide');
		assert.equal(await state('A', A.d2.id), 'decide');
		assert.equal(await state('A', A.d3.id), 'en_commission');
		const after = await s.get(`/commissions/${A.session}`);
		assert.match(after.text, /data-state="tenue"><strong>Tenue/);
		assert.match(after.text, new RegExp(`id="item-${i1}-decision">Accordé</strong> : 300,00`));
		assert.match(after.text, /Vote : Unanimité/);
		/* a decided item cannot be decided again */
		res = await s.post(batch.action, { [`item_${i1}`]: '1', [`decision_${i1}`]: 'refuse', [`motif_${i1}`]: 'x' });
		assert.equal(res.status, 422);
		assert.match(decodeEntities(res.text), new RegExp(`Dossier ${A.d1.numero} : une décision est déjà enregistrée`));
	});

	test('one decision at a time', async () => {
		const s = await srv.session('valideur@A');
		const i3 = A.items[A.d3.id];
		const url = `/commissions/${A.session}/ordre-du-jour/${i3}/decision`;
		const page = await s.get(url);
		assert.equal(page.status, 200);
		const form = parseForms(page.text).find((f) => f.id === 'decide-form');
		assert.equal(form.fields.decision, 'ajourne');
		let res = await s.post(url, { ...form.fields, motif: '' });
		assert.equal(res.status, 422);
		assert.match(res.text, /id="motif"[^>]*aria-invalid="true"/);
		res = await s.post(url, { ...form.fields, motif: 'Pièces manquantes : avis d\'imposition', vote: '5 voix pour' });
		assert.equal(res.status, 303);
		assert.equal(await state('A', A.d3.id), 'decide');
	});

	test('closing: refused while a dossier waits, then the minutes as PDF, reprinted identically', async () => {
		const s = await srv.session('valideur@A');
		let page = await s.get(`/commissions/${A.session}`);
		const add = parseForms(page.text).find((f) => f.id === 'add-form');
		assert.equal((await s.post(add.action, { [`dossier_${A.d4.id}`]: '1' })).status, 303);
		let res = await s.post(`/commissions/${A.session}/cloture`, {});
		assert.equal(res.status, 422);
		assert.match(decodeEntities(res.text), new RegExp(`Le dossier ${A.d4.numero} attend sa décision`));
		page = await s.get(`/commissions/${A.session}`);
		const i4 = itemIds(page.text)[A.d4.id];
		res = await s.post(`/commissions/${A.session}/ordre-du-jour/${i4}/retrait`, {});
		assert.equal(res.status, 303);
		assert.equal(await state('A', A.d4.id), 'instruit');
		res = await s.post(`/commissions/${A.session}/cloture`, {});
		assert.equal(res.status, 303, res.text.slice(0, 800));
		page = await s.get(`/commissions/${A.session}`);
		assert.match(page.text, /data-state="close"><strong>Close/);
		assert.match(page.text, /id="session-pv"/);
		assert.doesNotMatch(page.text, /id="batch-form"|id="add-form"|id="close-form"/);

		const pdf = await fetchBytes(s, `/commissions/${A.session}/proces-verbal.pdf`);
		assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
		const again = await fetchBytes(await srv.session('instructeur@A'), `/commissions/${A.session}/proces-verbal.pdf`);
		assert.ok(pdf.equals(again), 'the reprint differs');
		const text = pdfText(pdf);
		assert.match(text, /Procès-verbal de la commission du 20\/03\/2026/);
		assert.match(text, /vendredi 20 mars 2026 à 14:30/);
		assert.match(text, /Claire Dubois, vice-présidente du CCAS/);
		for (const d of [A.d1, A.d2, A.d3, A.u]) assert.ok(text.includes(d.numero), `${d.numero} in the minutes`);
		assert.doesNotMatch(text, new RegExp(A.d4.numero));
		assert.match(text, /Accordé/);
		assert.match(text, /Refusé/);
		assert.match(text, /Ajourné/);
		assert.match(text, /Aides d’urgence rapportées|Aides d'urgence rapportées/);
		assert.match(text, /3 dossiers examinés : 1 accordé pour un montant total de 300,00/);
		assertNoSecret(text, 'minutes');
		/* the emergency aid is reported: no longer to report */
		const list = await s.get('/commissions');
		assert.match(list.text, new RegExp(`href="/commissions/${A.session}/proces-verbal.pdf"`));
	});

	test('a closed session no longer changes', async () => {
		const s = await srv.session('valideur@A');
		assert.equal((await s.post(`/commissions/${A.session}`, { date_seance: '2026-03-21', lieu: 'Ailleurs' })).status, 409);
		assert.equal((await s.post(`/commissions/${A.session}/ordre-du-jour`, { [`dossier_${A.d4.id}`]: '1' })).status, 409);
		assert.equal((await s.post(`/commissions/${A.session}/cloture`, {})).status, 409);
		assert.equal((await s.get(`/commissions/${A.session}/modifier`)).status, 409);
		/* the reported emergency aid is not offered again to a new session */
		const next = await createSession('A', { date_seance: '2026-04-17', lieu: 'Salle du conseil' });
		const page = await s.get(`/commissions/${next}`);
		assert.doesNotMatch(page.text, new RegExp(`id="candidate-${A.u.id}"`));
		assert.match(page.text, new RegExp(`id="candidate-${A.d4.id}"`));
		A.next = next;
	});
});

async function fetchBytes(session, url) {
	const res = await fetch(session.base + url, { headers: { Cookie: session.cookieHeader() } });
	assert.equal(res.status, 200, `${url}: ${res.status}`);
	assert.equal(res.headers.get('content-type'), 'application/pdf');
	return Buffer.from(await res.arrayBuffer());
}

function pdfText(bytes) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-pv-'));
	const file = path.join(dir, 'pv.pdf');
	fs.writeFileSync(file, bytes);
	const r = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
	fs.rmSync(dir, { recursive: true, force: true });
	assert.equal(r.status, 0, `pdftotext: ${r.stderr}`);
	return r.stdout.replace(/[ \t]+/g, ' ');
}

describe('permissions', () => {
	test('instructeur and auditeur read; accueil does not see the commission', async () => {
		for (const who of ['instructeur@A', 'auditeur@A', 'administrateur@A']) {
			const s = await srv.session(who);
			assert.equal((await s.get('/commissions')).status, 200, who);
			assert.equal((await s.get(`/commissions/${A.session}`)).status, 200, who);
			assert.equal((await s.get(`/commissions/${A.session}/proces-verbal.pdf`)).status, 200, who);
		}
		const acc = await srv.session('accueil@A');
		assert.equal((await acc.get('/commissions')).status, 403);
		assert.equal((await acc.get(`/commissions/${A.session}/anonyme`)).status, 403);
		assert.doesNotMatch((await acc.get('/')).text, /href="\/commissions"/);
	});

	test('only valideur and administrateur manage sessions; only the valideur decides', async () => {
		for (const who of ['instructeur@A', 'auditeur@A', 'accueil@A']) {
			const s = await srv.session(who);
			assert.equal((await s.post('/commissions', { date_seance: '2026-05-01', lieu: 'Salle' })).status, 403, who);
			assert.equal((await s.post(`/commissions/${A.next}/ordre-du-jour`, { [`dossier_${A.d4.id}`]: '1' })).status, 403, who);
			assert.equal((await s.post(`/commissions/${A.next}/decisions`, {})).status, 403, who);
			assert.equal((await s.post(`/commissions/${A.next}/cloture`, {})).status, 403, who);
		}
		const admin = await srv.session('administrateur@A');
		const id = locationId(await admin.post('/commissions', { date_seance: '2026-05-15', lieu: 'Salle des fêtes' }), /^\/commissions\/(\d+)$/, 'admin session');
		assert.equal((await admin.post(`/commissions/${id}`, { date_seance: '2026-05-16', lieu: 'Salle des fêtes' })).status, 303);
		/* the agenda moves dossiers through the workflow, which gives that to the valideur */
		assert.equal((await admin.post(`/commissions/${id}/ordre-du-jour`, { [`dossier_${A.d4.id}`]: '1' })).status, 403);
		assert.equal((await admin.post(`/commissions/${id}/decisions`, {})).status, 403);
		const page = await (await srv.session('instructeur@A')).get(`/commissions/${A.next}`);
		assert.doesNotMatch(page.text, /id="add-form"|id="close-form"|id="session-edit"/);
	});
});

describe('tenant isolation', () => {
	test('a session of A is not found from B, nor A\'s dossiers on B\'s agenda', async () => {
		const b = await srv.session('valideur@B');
		for (const url of [`/commissions/${A.session}`, `/commissions/${A.session}/anonyme`,
			`/commissions/${A.session}/proces-verbal.pdf`, `/commissions/${A.session}/modifier`])
			assert.equal((await b.get(url)).status, 404, url);
		assert.equal((await b.post(`/commissions/${A.next}/cloture`, {})).status, 404);
		assert.equal((await b.post(`/commissions/${A.next}`, { date_seance: '2026-05-01', lieu: 'x' })).status, 404);
		const mine = await createSession('B', { date_seance: '2026-03-27', lieu: 'Mairie de B' });
		const res = await b.post(`/commissions/${mine}/ordre-du-jour`, { [`dossier_${A.d4.id}`]: '1' });
		assert.equal(res.status, 404);
		assert.equal(await state('A', A.d4.id), 'instruit');
		const list = await b.get('/commissions');
		assert.doesNotMatch(list.text, new RegExp(`id="commission-${A.session}"`));
		const page = await b.get(`/commissions/${mine}`);
		assert.doesNotMatch(page.text, new RegExp(`id="candidate-${A.d4.id}"`));
		assert.match(page.text, new RegExp(`id="candidate-${B.d4.id}"`));
	});
});
