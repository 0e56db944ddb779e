// Retention in a real browser, with axe-core on every page: the
// administrateur reads what the purges will remove and sets the durations
// (a value out of range comes back next to its field; saving asks for a
// confirmation); the valideur puts a dossier under a legal hold from its page
// (an empty motive comes back with the form), then lifts it after the
// confirmation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { Fixtures } from '../http/lib/fixtures.mjs';
import { assertErrorsTiedToFields, flashText, focused, login, openSuite, submit, visit } from './lib.mjs';

let env;
let fx;
let dossier;

before(async () => {
	env = await openSuite('retention');
	fx = new Fixtures(env.srv);
	dossier = await fx.get('A', 'granted_dossier');
});
after(() => env?.close());

test('the administrateur sets the durations, confirming the change', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@A');
	await visit(page, '/admin/conservation', 'conservation des données');
	assert.match(await page.locator('#purge-count').innerText(), /Aucun dossier à purger/);
	assert.match(await page.locator('#gels-none').innerText(), /Aucun dossier n'est gelé/);

	await page.fill('#refus', '1');
	const message = await submit(page, page.locator('#retention-submit'), 'durée refusée', { onDialog: 'accept' });
	assert.match(message, /Une durée raccourcie s'applique dès la prochaine purge/);
	assert.equal((await focused(page)).cls, 'error-summary');
	const report = await assertErrorsTiedToFields(page);
	assert.deepEqual(report.fields.map((f) => f.id), ['refus']);
	assert.match(report.fields[0].messages[0], /de 3 à 60 mois/);

	await page.fill('#refus', '12');
	await submit(page, page.locator('#retention-submit'), 'durées enregistrées', { onDialog: 'accept' });
	assert.match(await flashText(page), /Les durées de conservation sont enregistrées/);
	assert.equal(await page.locator('#refus').inputValue(), '12');
});

test('the valideur holds a dossier, then lifts the hold after the confirmation', async () => {
	const page = await env.newPage();
	await login(page, env, 'valideur@A');
	await visit(page, `/dossiers/${dossier}`, 'dossier, section conservation');
	await page.selectOption('#gel_type', 'recours');
	await submit(page, page.locator('#gel-submit'), 'gel sans motif refusé');
	assert.equal((await focused(page)).cls, 'error-summary');
	const report = await assertErrorsTiedToFields(page);
	assert.deepEqual(report.fields.map((f) => f.id), ['gel_motif']);
	assert.equal(await page.locator('#gel_type').inputValue(), 'recours', 'the choice is kept');

	await page.fill('#gel_motif', 'Recours gracieux reçu le 3 mars.');
	await submit(page, page.locator('#gel-submit'), 'dossier gelé');
	assert.match(await flashText(page), /La conservation du dossier est gelée/);
	assert.match(await page.locator('#conservation-gel').innerText(), /Recours gracieux ou administratif préalable/);

	await page.fill('#levee_motif', 'Recours rejeté.');
	const message = await submit(page, page.locator('#levee-submit'), 'gel levé', { onDialog: 'accept' });
	assert.match(message, /Lever le gel \?/);
	assert.match(await flashText(page), /Le gel est levé/);
	assert.equal(await page.locator('#conservation-gel').count(), 0);
	assert.match(await page.locator('#conservation-historique').innerText(), /Recours rejeté/);
});
