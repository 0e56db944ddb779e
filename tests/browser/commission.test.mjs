// The commission in a real browser: a valideur creates a session (a refused
// empty form first), puts the instructed dossiers on its agenda, decides
// them in batch with one confirmation (a refusal without motive first: the
// whole batch is refused, the dossier named, the fields kept), reads the
// anonymised agenda for the elected members, closes the session and gets
// the minutes. axe-core checks every page (lib.mjs). The dossiers are
// prepared through the HTTP API beforehand.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { flashText, focused, login, openSuite, submit, visit } from './lib.mjs';

const RULE = {
	conditions: [{ libelle: 'Foyer d\'au moins une personne', expression: 'nb_personnes >= 1' }],
	montant: 'min(montant_demande, 300)',
};

let env;
const w = {}; /* ids prepared before the browser starts */

before(async () => {
	env = await openSuite('commission');
	await prepare();
});
after(() => env?.close());

function need(key) {
	assert.ok(w[key], `this test needs ${key}, made by an earlier test of this file`);
	return w[key];
}

async function api(method, url, json, who = 'instructeur@A') {
	const s = await env.srv.apiSession(who);
	const res = await s.request(method, url, { json });
	assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${res.text}`);
	return res.json;
}

async function createAid() {
	const s = await env.srv.session('administrateur@A');
	let res = await s.post('/admin/aides', { code: 'secours', label: 'Secours ponctuel', description: 'Essai' });
	assert.equal(res.status, 303);
	const page = await s.get('/admin/aides');
	const aid = Number(/<tr id="aid-(\d+)">\s*<th scope="row">Secours ponctuel<\/th>/.exec(page.text)[1]);
	res = await s.post(`/admin/aides/${aid}/versions`, { du: '2020-01-01', au: '', note: '', document: JSON.stringify(RULE) });
	assert.equal(res.status, 303);
	const vid = Number(/\/versions\/(\d+)$/.exec(res.headers.get('location'))[1]);
	assert.equal((await s.post(`/admin/aides/${aid}/versions/${vid}/activer`, {})).status, 303);
	return aid;
}

async function instructed(household, aid, montant, proposition, propose) {
	const d = await api('POST', '/api/v1/dossiers', {
		household_id: household, aid_type_id: aid, montant_demande_centimes: montant,
		motif: 'Mme Rosalie Fontanel, 8 allée des Capucines : facture d\'énergie',
	});
	await api('POST', `/api/v1/dossiers/${d.id}/lines`, { category: 'salaire', montant_centimes: 120000 });
	for (const [to, fields] of [['depose'], ['en_instruction'],
		['instruit', { proposition, montant: propose, appreciation: 'Mme Fontanel est seule avec Joachim.' }]])
		await api('POST', `/api/v1/dossiers/${d.id}/transitions`, { to, fields });
	return d;
}

async function prepare() {
	const aid = await createAid();
	const person = await api('POST', '/api/v1/persons', {
		nom_naissance: 'Fontanel', prenoms: ['Rosalie'], sexe: 'F', date_naissance: '1983-09-17',
		lieu_naissance: { type: 'commune', code: '75056' }, nationalite: 'francaise',
		adresse: '8 allée des Capucines', code_postal: '75014', commune: 'Paris',
	});
	const child = await api('POST', '/api/v1/persons', {
		nom_naissance: 'Fontanel', prenoms: ['Joachim'], sexe: 'M', date_naissance: '2017-05-02',
		lieu_naissance: { type: 'commune', code: '75056' }, nationalite: 'francaise',
	});
	const h = await api('POST', '/api/v1/households', { demandeur_id: person.id, date_entree: '2024-01-01' });
	await api('POST', `/api/v1/households/${h.id}/members`, { person_id: child.id, relation: 'enfant', date_entree: '2024-01-01' });
	w.accord = await instructed(h.id, aid, 30000, 'accord', '250,00');
	w.refus = await instructed(h.id, aid, 45000, 'refus', '');
}

test('the valideur creates a session (an empty form is refused next to its fields)', async () => {
	const page = await env.newPage();
	w.page = page;
	await login(page, env, 'valideur@A');
	await visit(page, '/commissions', 'séances vides');
	assert.match(await page.locator('#commission-count').innerText(), /Aucune séance/);
	await submit(page, page.locator('#commission-new'), 'nouvelle séance');
	await submit(page, page.locator('#commission-submit'), 'séance vide refusée');
	for (const f of ['date_seance', 'lieu'])
		assert.equal(await page.locator(`#${f}`).getAttribute('aria-invalid'), 'true', f);
	assert.equal((await focused(page)).id, 'error-summary');
	await page.locator('#date_seance').fill('2026-03-20');
	await page.locator('#heure').fill('14:30');
	await page.locator('#lieu').fill('Salle du conseil');
	await page.locator('#membres').fill('Claire Dubois, vice-présidente du CCAS\nJean Moreau, conseiller municipal');
	await submit(page, page.locator('#commission-submit'), 'séance créée');
	assert.match(await flashText(page), /séance de la commission est créée/);
	assert.match(await page.locator('#session-date').innerText(), /vendredi 20 mars 2026/);
	w.session = Number(/\/commissions\/(\d+)$/.exec(new URL(page.url()).pathname)[1]);
});

test('the instructed dossiers go on the agenda', async () => {
	const page = need('page');
	need('session');
	for (const d of [w.accord, w.refus])
		await page.locator(`#candidate-${d.id} input[type="checkbox"]`).check();
	await submit(page, page.locator('#add-submit'), 'dossiers inscrits');
	assert.match(await flashText(page), /inscrits à l'ordre du jour/);
	assert.equal(await page.locator('#agenda tbody tr').count(), 2);
	assert.equal(await page.locator('#no-candidate').count(), 1);
});

function row(page, d) {
	return page.locator(`#agenda tr:has(a[href="/dossiers/${d.id}"])`);
}

test('a batch is all or nothing: the refusal without motive names its dossier', async () => {
	const page = need('page');
	await row(page, w.accord).locator('input[type="checkbox"]').check();
	await row(page, w.refus).locator('input[type="checkbox"]').check();
	assert.equal(await row(page, w.accord).locator('select').inputValue(), 'accorde');
	assert.equal(await row(page, w.accord).locator('input[inputmode="decimal"]').inputValue(), '250,00');
	assert.equal(await row(page, w.refus).locator('select').inputValue(), 'refuse');
	await page.locator('#vote').fill('Unanimité des membres présents');
	const message = await submit(page, page.locator('#batch-submit'), 'lot refusé', { onDialog: 'accept' });
	assert.match(message, /Enregistrer les décisions/);
	assert.match(await page.locator('#lot').innerText(), new RegExp(`Dossier ${w.refus.numero} : `));
	const motif = row(page, w.refus).locator('input[name^="motif_"]');
	assert.equal(await motif.getAttribute('aria-invalid'), 'true');
	assert.equal((await focused(page)).id, 'error-summary');
	/* nothing was recorded, the choices are kept */
	assert.equal(await page.locator('[id$="-decision"]').count(), 0);
	assert.ok(await row(page, w.accord).locator('input[type="checkbox"]').isChecked());
	assert.equal(await page.locator('#vote').inputValue(), 'Unanimité des membres présents');

	await motif.fill('Ressources au-dessus du plafond du règlement');
	await submit(page, page.locator('#batch-submit'), 'décisions enregistrées', { onDialog: 'accept' });
	assert.match(await flashText(page), /décisions sont enregistrées/);
	assert.match(await row(page, w.accord).innerText(), /Accordé : 250,00/);
	assert.match(await row(page, w.refus).innerText(), /Refusé/);
	assert.match(await page.locator('#session-etat').innerText(), /Tenue/);
});

test('the anonymised agenda names nobody', async () => {
	const page = need('page');
	await submit(page, page.locator('#session-anonymous'), 'ordre du jour anonymisé');
	const text = await page.locator('main').innerText();
	for (const s of ['Fontanel', 'Rosalie', 'Joachim', 'Capucines', '1983', '17/09', '2017'])
		assert.ok(!text.includes(s), `"${s}" on the anonymised agenda`);
	assert.match(text, /1 adulte et 1 enfant/);
	assert.match(text, new RegExp(`Dossier ${w.accord.numero}`));
	assert.equal(await page.locator('#anon-print').count(), 1);
	await visit(page, `/commissions/${w.session}`, 'retour à la séance');
});

test('closing the session produces the minutes', async () => {
	const page = need('page');
	const message = await submit(page, page.locator('#close-submit'), 'séance close', { onDialog: 'accept' });
	assert.match(message, /Clore la séance/);
	assert.match(await flashText(page), /procès-verbal est enregistré/);
	assert.match(await page.locator('#session-etat').innerText(), /Close/);
	assert.equal(await page.locator('#batch-form, #add-form, #close-form').count(), 0);
	const href = await page.locator('#session-pv').getAttribute('href');
	const res = await page.request.get(href);
	assert.equal(res.status(), 200);
	assert.equal(res.headers()['content-type'], 'application/pdf');
	assert.equal((await res.body()).subarray(0, 5).toString(), '%PDF-');
	await visit(page, '/commissions', 'séances');
	assert.match(await page.locator(`#commission-${w.session}`).innerText(), /Close/);
});
