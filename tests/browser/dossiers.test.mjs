// Households and dossiers in a real browser: the aid catalogue, creating a
// household, opening a dossier, its state, budget lines and notes, and the
// dossier list with its filters. The tests run in order and build on each
// other (the catalogue, then the household, then its dossier).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
	assertErrorsTiedToFields,
	flashText,
	focused,
	idFromUrl,
	login,
	openSuite,
	submit,
	todayIso,
	visit,
} from './lib.mjs';

let env;
const state = {}; /* ids made by one test for the next ones */

before(async () => {
	env = await openSuite('dossiers');
});
after(() => env?.close());

function need(key) {
	assert.ok(state[key], `this test needs ${key}, made by an earlier test of this file`);
	return state[key];
}

/* Creates a person through the HTML form with the harness' HTTP client. */
async function createPersonHttp(who, fields) {
	const s = await env.srv.session(who);
	const res = await s.post('/usagers', {
		sexe: 'F',
		lieu_type: 'commune',
		commune_naissance: '75056',
		nationalite: 'francaise',
		...fields,
	});
	assert.equal(res.status, 303, `POST /usagers: ${res.status}\n${res.text.slice(0, 2000)}`);
	return Number(/\/usagers\/(\d+)/.exec(res.headers.get('location'))[1]);
}

/* The select option whose visible text matches re: its value. */
async function optionValue(select, re) {
	const options = await select.locator('option').evaluateAll((os) =>
		os.map((o) => ({ value: o.value, text: o.textContent.trim() })));
	const o = options.find((x) => re.test(x.text));
	assert.ok(o, `no option matching ${re} in ${JSON.stringify(options)}`);
	return o.value;
}

test('the administrator fills the aid catalogue (with a refused empty form first)', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@A');
	await visit(page, '/admin/aides', 'catalogue des aides vide');
	await submit(page, page.locator('#aid-create-submit'), 'aide vide refusée');
	assert.equal((await focused(page)).cls, 'error-summary');
	const report = await assertErrorsTiedToFields(page);
	assert.ok(report.fields.some((f) => f.id === 'label'), 'the label is required');

	const aids = [
		{ label: "Aide alimentaire d'urgence", code: 'alimentaire_urgence' },
		{ label: 'Secours énergie', code: 'secours_energie' },
	];
	for (const a of aids) {
		await page.locator('#label').fill(a.label);
		await page.locator('#code').fill(a.code);
		await page.locator('#description').fill('Bons alimentaires ou paiement direct du fournisseur.');
		await submit(page, page.locator('#aid-create-submit'), `aide créée ${a.code}`);
		assert.equal(await flashText(page), "L'aide est ajoutée au catalogue.");
	}
	const rows = page.locator('#aid-types tbody tr[id^="aid-"]');
	assert.equal(await rows.count(), 2);
	assert.match(await page.locator('#aid-types').innerText(), /Secours énergie/);

	// Deactivation asks first; reactivation does not.
	const id = Number((await rows.filter({ hasText: 'Secours énergie' }).getAttribute('id')).slice(4));
	await submit(page, page.locator(`#aid-${id}-deactivate`), 'aide désactivée', { onDialog: 'accept' });
	assert.equal(await flashText(page), "L'aide est désactivée : aucun nouveau dossier ne peut l'utiliser.");
	assert.equal((await page.locator(`#aid-${id}-state`).innerText()).trim(), 'Désactivée');
	await submit(page, page.locator(`#aid-${id}-reactivate`), 'aide réactivée');
	assert.equal(await flashText(page), "L'aide est réactivée.");
	await page.context().close();
});

test('an agent creates a household around a person found by a search', async () => {
	state.personId = await createPersonHttp('instructeur@A', {
		nom_naissance: 'Dupré',
		prenom1: 'Amélie',
		date_naissance: '12/09/1988',
	});
	state.childId = await createPersonHttp('instructeur@A', {
		nom_naissance: 'Dupré',
		prenom1: 'Noé',
		sexe: 'M',
		date_naissance: '02/03/2015',
	});
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, '/foyers', 'liste des foyers');
	await submit(page, page.locator('#household-new'), 'choisir le demandeur');
	await page.locator('#q').fill('dupre amelie');
	await submit(page, page.locator('#household-pick-submit'), 'demandeur trouvé');
	await submit(page, page.locator(`#candidate-${state.personId}-choose`), 'formulaire du foyer');
	assert.match(await page.locator('#household-new-demandeur').innerText(), /Dupré Amélie/);
	const date = page.locator('#date_entree');
	if (!(await date.inputValue())) await date.fill(todayIso());
	await page.locator('#label').fill('Foyer Dupré');
	await submit(page, page.locator('#household-create-submit'), 'foyer créé');
	assert.match(new URL(page.url()).pathname, /^\/foyers\/\d+$/);
	assert.equal(await flashText(page), 'Le foyer est créé.');
	state.householdId = idFromUrl(page);
	assert.match(await page.locator('#household-members').innerText(), /Dupré Amélie/);

	// Add the child as a member.
	await page.locator('#member-q').fill('dupre noe');
	await submit(page, page.locator('#member-search-submit'), 'recherche de membre');
	const form = page.locator(`#candidate-${state.childId}-form`);
	const relation = form.locator('select[name="relation"]');
	await relation.selectOption(await optionValue(relation, /enfant/i));
	const entry = form.locator('input[name="date_entree"]');
	if (!(await entry.inputValue())) await entry.fill(todayIso());
	await submit(page, page.locator(`#add-member-${state.childId}`), 'membre ajouté');
	assert.equal(await flashText(page), 'Le membre est ajouté au foyer.');
	assert.match(await page.locator('#household-members').innerText(), /Dupré Noé/);
	const member = await page.locator('#household-members tbody tr').filter({ hasText: 'Dupré Noé' }).getAttribute('id');
	state.childMember = Number(member.slice('member-'.length));
	await page.context().close();
});

test('an agent opens a dossier for the household (a refused form first)', async () => {
	const hid = need('householdId');
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/foyers/${hid}`, 'fiche du foyer');
	assert.equal(await page.locator('#household-no-dossier').count(), 1);
	await submit(page, page.locator('#dossier-new'), 'nouveau dossier');
	assert.equal(new URL(page.url()).pathname, '/dossiers/nouveau');
	await submit(page, page.locator('#dossier-create-submit'), 'dossier incomplet refusé');
	assert.equal((await focused(page)).cls, 'error-summary');
	const report = await assertErrorsTiedToFields(page);
	assert.ok(report.fields.some((f) => f.id === 'aid_type_id'), 'the aid is required');

	const aid = page.locator('#aid_type_id');
	await aid.selectOption(await optionValue(aid, /alimentaire/));
	await page.locator('#motif').fill('Facture d’électricité impayée après une perte d’emploi.');
	await page.locator('#montant_demande').fill('150,50');
	await submit(page, page.locator('#dossier-create-submit'), 'dossier ouvert');
	assert.match(new URL(page.url()).pathname, /^\/dossiers\/\d+$/);
	assert.equal(await flashText(page), 'Le dossier est ouvert à l\'état de brouillon.');
	state.dossierId = idFromUrl(page);
	assert.equal(await page.locator('#dossier-etat').getAttribute('data-state'), 'brouillon');
	assert.equal(await page.locator('#dossier-montant').getAttribute('data-centimes'), '15050');
	assert.match(await page.locator('#dossier-demandeur').innerText(), /Dupré/);
	assert.match(await page.locator('#dossier-aide').innerText(), /alimentaire/);
	state.numero = (await page.locator('#dossier-numero').innerText()).trim();
	await page.context().close();
});

test('a dossier: a confirmation on irreversible steps, the deposit, a resource, a charge and a note', async () => {
	const id = need('dossierId');
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/dossiers/${id}`, 'dossier brouillon');

	// Dismissing the confirmation of an irreversible step sends nothing.
	await page.locator('#action-cloture-motif').fill('Le demandeur a renoncé.');
	let message = null;
	page.once('dialog', (d) => {
		message = d.message();
		d.dismiss();
	});
	await page.locator('#action-cloture-submit').click();
	await page.waitForTimeout(300);
	assert.match(message || '', /Clôturer ce dossier/);
	assert.equal(new URL(page.url()).pathname, `/dossiers/${id}`);
	assert.equal(await page.locator('#dossier-etat').getAttribute('data-state'), 'brouillon');

	await submit(page, page.locator('#action-depose-submit'), 'dossier déposé');
	assert.equal(await flashText(page), "L'état du dossier a changé.");
	assert.equal(await page.locator('#dossier-etat').getAttribute('data-state'), 'depose');
	assert.match(await page.locator('#dossier-timeline').innerText(), /Demande déposée/);

	// A resource line with a bad amount, then a good one; then a charge.
	await page.locator('#category').selectOption('salaire');
	await page.locator('#montant').fill('douze euros');
	await submit(page, page.locator('#line-submit'), 'ligne refusée');
	assert.equal(await page.locator('#montant').getAttribute('aria-invalid'), 'true');
	await assertErrorsTiedToFields(page);
	await page.locator('#category').selectOption('salaire');
	await page.locator('#line-label').fill('Contrat à durée déterminée');
	await page.locator('#montant').fill('1 234,56');
	await submit(page, page.locator('#line-submit'), 'ressource ajoutée');
	assert.equal(await flashText(page), 'La ligne est ajoutée au budget du dossier.');
	await page.locator('#category').selectOption('loyer');
	await page.locator('#montant').fill('450');
	await submit(page, page.locator('#line-submit'), 'charge ajoutée');
	assert.equal(await page.locator('#dossier-lines tbody tr').count(), 2);
	assert.equal(await page.locator('#total-ressources').getAttribute('data-centimes'), '123456');
	assert.equal(await page.locator('#total-charges').getAttribute('data-centimes'), '45000');
	assert.equal(await page.locator('#reste-a-vivre').getAttribute('data-centimes'), '78456');

	await page.locator('#note').fill('Pièces justificatives reçues ; à présenter en commission.');
	await submit(page, page.locator('#note-submit'), 'note ajoutée');
	assert.equal(await flashText(page), 'La note est ajoutée au dossier.');
	assert.match(await page.locator('#dossier-timeline').innerText(), /Pièces justificatives reçues/);
	await page.context().close();
});

test('the dossier list filters by state and by aid, and sorts by column', async () => {
	const id = need('dossierId');
	const page = await env.newPage();
	await login(page, env, 'valideur@A');
	await visit(page, '/dossiers', 'liste des dossiers');
	assert.equal(await page.locator(`#dossier-${id}`).count(), 1);

	await page.locator('#etat').selectOption('depose');
	await submit(page, page.locator('#dossier-filter-submit'), 'filtre déposés');
	assert.equal(new URL(page.url()).searchParams.get('etat'), 'depose');
	assert.equal(await page.locator(`#dossier-${id}`).count(), 1);

	await page.locator('#etat').selectOption('brouillon');
	await submit(page, page.locator('#dossier-filter-submit'), 'filtre brouillons');
	assert.equal(await page.locator(`#dossier-${id}`).count(), 0);
	assert.ok((await page.locator('#dossier-count').innerText()).trim().length > 0);

	await page.locator('#etat').selectOption('');
	const aide = page.locator('#aide');
	await aide.selectOption(await optionValue(aide, /Secours énergie/));
	await submit(page, page.locator('#dossier-filter-submit'), 'filtre autre aide');
	assert.equal(await page.locator(`#dossier-${id}`).count(), 0);
	await aide.selectOption(await optionValue(aide, /alimentaire/));
	await submit(page, page.locator('#dossier-filter-submit'), 'filtre aide alimentaire');
	assert.equal(await page.locator(`#dossier-${id}`).count(), 1);

	await submit(page, page.locator('#sort-numero'), 'tri par numéro');
	assert.equal(new URL(page.url()).searchParams.get('tri'), 'numero');
	assert.ok(await page.locator('th[aria-sort]').count(), 'the sorted column says so');

	// A valideur reads the dossier without the instruction forms.
	await submit(page, page.locator(`#dossier-${id} th a`), 'dossier lu par le valideur');
	assert.equal((await page.locator('#dossier-numero').innerText()).trim(), need('numero'));
	assert.equal(await page.locator('#line-form').count(), 0);
	assert.equal(await page.locator('#note-form').count(), 0);
	await page.context().close();
});

test('a member leaves the household after the confirmation', async () => {
	const hid = need('householdId');
	const mid = need('childMember');
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/foyers/${hid}`, 'foyer avant sortie');
	const date = page.locator(`#date_sortie-${mid}`);
	if (!(await date.inputValue())) await date.fill(todayIso());
	const message = await submit(page, page.locator(`#member-${mid}-exit`), 'membre sorti', { onDialog: 'accept' });
	assert.match(message, /Enregistrer la sortie du foyer de Noé Dupré/);
	assert.equal(await flashText(page), 'La sortie du foyer est enregistrée.');
	assert.notEqual((await page.locator(`#member-${mid}-sortie`).innerText()).trim(), '—');
	assert.equal(await page.locator(`#member-${mid}-exit`).count(), 0);
	await page.context().close();
});

test('a dossier of another CCAS is not found', async () => {
	const id = need('dossierId');
	const page = await env.newPage();
	await login(page, env, 'instructeur@B');
	await visit(page, `/dossiers/${id}`, 'dossier d un autre ccas', { status: 404 });
	assert.equal(await page.locator('#dossier-numero').count(), 0);
	await visit(page, `/foyers/${need('householdId')}`, 'foyer d un autre ccas', { status: 404 });
	await page.context().close();
});
