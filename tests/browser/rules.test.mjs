// Aid rules in a real browser: an administrateur creates an aid type, writes
// its rule with a grid in the editor (live validation says where a mistake
// is), tests it in the tester pane on a sample household and reads the
// explanation, saves and puts the version in force; an instructeur then
// opens a dossier on that aid and sees the evaluation with its explanation
// and the origin of each datum, and stores it. axe-core runs on every page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { checkPage, flashText, login, openSuite, submit, visit } from './lib.mjs';

let env;
const state = {};

before(async () => {
	env = await openSuite('rules');
});
after(() => env?.close());

function need(key) {
	assert.ok(state[key], `this test needs ${key}, made by an earlier test of this file`);
	return state[key];
}

/* A grid on the CAF quotient familial (or, when it is unknown, the monthly
 * resources per CAF part), with a condition on the household. */
const RULE = {
	conditions: [{ libelle: 'Au moins un enfant à charge', expression: 'nb_enfants_a_charge >= 1' }],
	calculs: [{ nom: 'quotient', libelle: 'Quotient retenu', expression: 'defaut(qf_caf, ressources_mensuelles / parts_caf)' }],
	montant: 'bareme("montants", quotient)',
	baremes: {
		montants: {
			libelle: 'Montant selon le quotient familial CAF',
			unite: 'euros',
			tranches: [
				{ max: '500', max_inclus: true, valeur: '120', libelle: 'QF jusqu\'à 500 €' },
				{ min: '500', min_inclus: false, max: '900', max_inclus: true, valeur: '60', libelle: 'QF de 500 à 900 €' },
			],
		},
	},
};

const SAMPLE = {
	personnes: [{ role: 'demandeur', age: 38 }, { role: 'enfant', age: 7 }],
	ressources: { annuelles: '14400' },
	prestations_familiales_mois: '200',
	montant_demande: '150',
};

async function statusText(page) {
	await page.waitForFunction(() => {
		const s = document.getElementById('document-status');
		return s && s.textContent.trim().length > 0 && s.hasAttribute('data-ok');
	});
	return page.locator('#document-status').innerText();
}

test('an administrateur creates an aid type with a grid and tests it in the tester pane', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@A');
	await visit(page, '/admin/aides', 'catalogue');
	await page.locator('#label').fill('Aide à la rentrée');
	await page.locator('#code').fill('rentree');
	await page.locator('#description').fill('Pour les familles aux revenus modestes.');
	await submit(page, page.locator('#aid-create-submit'), 'aide créée');
	const link = page.locator('#aid-types a[id$="-link"]').first();
	await submit(page, link, 'page de l\'aide');
	state.aid = Number(/\/admin\/aides\/(\d+)/.exec(page.url())[1]);
	await submit(page, page.locator('#version-new'), 'nouvelle version');

	// live validation: a mistake is located, then the right rule is accepted
	await page.locator('#du').fill('2020-01-01');
	await page.locator('#document').fill('{"montant": "bareme(\\"montants\\", qf_caf"}');
	await page.waitForFunction(() => document.getElementById('document-status')?.getAttribute('data-ok') === '0');
	assert.match(await statusText(page), /\/montant \(ligne 1, colonne \d+\)/);
	await page.locator('#document').fill(JSON.stringify(RULE, null, 2));
	await page.waitForFunction(() => document.getElementById('document-status')?.getAttribute('data-ok') === '1');
	assert.match(await statusText(page), /La règle est valide/);

	// the tester pane: QF = (14400 / 12 + 200) / 2.5 = 560 -> 60 €
	await page.locator('#situation').fill(JSON.stringify(SAMPLE, null, 2));
	await page.locator('#tester-submit').click();
	await page.locator('#tester-result .rule-result').waitFor();
	const result = await page.locator('#tester-result').innerText();
	assert.match(result, /Éligible/);
	assert.match(result, /60,00/);
	assert.match(result, /Montant selon le quotient familial CAF/);
	assert.match(result, /Au moins un enfant à charge/);
	assert.equal(await page.locator('#tester-result [data-issue="eligible"]').count(), 1);
	await checkPage(page, 'résultat du test');

	await submit(page, page.locator('#version-save'), 'brouillon enregistré');
	assert.equal(await flashText(page), 'Le brouillon de la nouvelle version est enregistré.');
	await submit(page, page.locator('#version-activate'), 'version en vigueur', { onDialog: 'accept' });
	assert.equal(await flashText(page), 'La version est en vigueur.');
	assert.equal(await page.locator('#rule-versions tr[data-status="actif"]').count(), 1);
});

test('an instructeur sees the explanation of the evaluation on a dossier', async () => {
	const aid = need('aid');
	const api = await env.srv.apiSession('instructeur@A');
	const person = await api.request('POST', '/api/v1/persons', {
		json: { nom_naissance: 'Aubrac', prenoms: ['Maëlle'], sexe: 'F', date_naissance: '1987-09-14', lieu_naissance: { type: 'commune', code: '75056' }, nationalite: 'francaise' },
	});
	assert.equal(person.status, 201, person.text);
	const child = await api.request('POST', '/api/v1/persons', {
		json: { nom_naissance: 'Aubrac', prenoms: ['Noé'], sexe: 'M', date_naissance: '2018-02-03', lieu_naissance: { type: 'commune', code: '75056' }, nationalite: 'francaise' },
	});
	const household = await api.request('POST', '/api/v1/households', { json: { demandeur_id: person.json.id } });
	assert.equal(household.status, 201, household.text);
	const member = await api.request('POST', `/api/v1/households/${household.json.id}/members`, {
		json: { person_id: child.json.id, relation: 'enfant', date_entree: '2018-02-03' },
	});
	assert.equal(member.status, 201, member.text);
	const d = await api.request('POST', '/api/v1/dossiers', {
		json: { household_id: household.json.id, aid_type_id: aid, motif: 'Fournitures scolaires', montant_demande_centimes: 15000 },
	});
	assert.equal(d.status, 201, d.text);
	const line = await api.request('POST', `/api/v1/dossiers/${d.json.id}/lines`, { json: { category: 'salaire', montant_centimes: 110000 } });
	assert.equal(line.status, 201, line.text);

	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/dossiers/${d.json.id}`, 'dossier avec évaluation');
	const section = page.locator('#evaluation');
	const text = await section.innerText();
	// no certified QF: 1 100 € / 2,5 parts = 440 -> 120 €, from declared data
	assert.match(text, /Éligible/);
	assert.match(text, /120,00/);
	assert.match(text, /QF jusqu'à 500 €/);
	assert.match(text, /Déclarée/);
	assert.doesNotMatch(text, /Certifiée/);
	assert.match(text, /Composition du foyer/);
	assert.match(text, /Au moins un enfant à charge/);
	await submit(page, page.locator('#evaluation-submit'), 'évaluation enregistrée');
	assert.equal(await flashText(page), 'L\'évaluation est enregistrée au dossier.');
	assert.match(await page.locator('#evaluation-stored').innerText(), /Enregistrée le .* avec la version n° 1 de la règle/);
});
