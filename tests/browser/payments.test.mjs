// Payments and budgets in a real browser, with axe-core on every page: the
// instructeur records the payee (a wrong IBAN comes back with the reason
// next to the field), schedules two instalments, marks them mandaté then
// payé after the confirmation, with the keyboard only; the valideur reads
// the payments list and its exports; the administrateur sets an envelope on
// the budgets page (an error next to its field) and sees it on the aid page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { Fixtures } from '../http/lib/fixtures.mjs';
import { assertErrorsTiedToFields, flashText, login, openSuite, submit, visit } from './lib.mjs';

let env;
let fx;
let dossier; /* 100 € granted and notified (tests/http/lib/fixtures.mjs) */

before(async () => {
	env = await openSuite('payments');
	fx = new Fixtures(env.srv);
	dossier = await fx.get('A', 'granted_dossier');
});
after(() => env?.close());

/* Focuses the element and types into it from the keyboard. */
async function typeInto(page, selector, text) {
	await page.focus(selector);
	await page.keyboard.press('Control+A');
	await page.keyboard.type(text);
}

test('the instructeur pays a grant in two instalments with the keyboard', async () => {
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/dossiers/${dossier}`, 'dossier accordé, section paiements');
	assert.match(await page.locator('#pay-accorde').innerText(), /100,00/);

	/* a wrong IBAN: the reason next to the field, the summary pointing at it */
	await page.selectOption('#payee-kind', 'autre');
	await typeInto(page, '#payee-nom', 'Épicerie solidaire');
	await typeInto(page, '#payee-iban', 'FR76 3000 6000 0112 3456 7890 188');
	await page.focus('#payee-submit');
	await submit(page, () => page.keyboard.press('Enter'), 'titulaire refusé');
	const report = await assertErrorsTiedToFields(page);
	assert.deepEqual(report.fields.map((f) => f.id), ['payee-iban']);
	assert.match(report.fields[0].messages[0], /clé/);
	assert.equal(await page.locator('#payee-nom').inputValue(), 'Épicerie solidaire');
	await typeInto(page, '#payee-iban', 'FR76 3000 6000 0112 3456 7890 189');
	await page.focus('#payee-submit');
	await submit(page, () => page.keyboard.press('Enter'), 'titulaire enregistré');
	assert.equal(await flashText(page), 'Le titulaire du compte est enregistré.');
	assert.match(await page.locator('#payees').innerText(), /Épicerie solidaire – Autre tiers – IBAN FR76 •••• 0189/);

	/* two instalments */
	await page.selectOption('#pay-payee_id', { index: 1 });
	await typeInto(page, '#pay-objet', 'Aide alimentaire');
	await typeInto(page, '#pay-montant', '100');
	await typeInto(page, '#pay-echeances', '2');
	await page.focus('#schedule-submit');
	await submit(page, () => page.keyboard.press('Enter'), 'deux échéances prévues');
	assert.equal(await flashText(page), 'Le paiement est prévu.');
	const rows = page.locator('#payments tbody tr');
	assert.equal(await rows.count(), 2);

	/* mandaté, then payé after the confirmation, for each */
	for (let i = 0; i < 2; i++) {
		const id = (await rows.nth(i).getAttribute('id')).slice('payment-'.length);
		await page.focus(`#payment-${id}-mandater-submit`);
		await submit(page, () => page.keyboard.press('Enter'), `échéance ${i + 1} mandatée`);
		assert.equal(await page.locator(`#payment-${id}-state`).innerText(), 'Mandaté');
		await page.focus(`#payment-${id}-payer-submit`);
		const message = await submit(page, () => page.keyboard.press('Enter'), `échéance ${i + 1} payée`, { onDialog: 'accept' });
		assert.match(message, /Confirmez-vous que la trésorerie a payé ce mandat/);
		assert.equal(await page.locator(`#payment-${id}-state`).innerText(), 'Payé');
	}
	assert.equal(await page.locator('#dossier-etat').getAttribute('data-state'), 'cloture');
});

test('the valideur reads the payments list, with its exports and the treasury file', async () => {
	const page = await env.newPage();
	await login(page, env, 'valideur@A');
	await visit(page, '/paiements', 'liste des paiements');
	assert.match(await page.locator('#payment-count').innerText(), /2 paiement\(s\), 100,00/);
	assert.equal(await page.locator('#export-csv').count(), 1);
	assert.equal(await page.locator('#treasury-submit').count(), 1);
	/* a period ending before it starts: the errors next to the fields */
	await page.locator('#du_tresorerie').fill('2026-03-31');
	await page.locator('#au_tresorerie').fill('2026-03-01');
	await submit(page, page.locator('#treasury-submit'), 'période refusée');
	await assertErrorsTiedToFields(page);
});

test('the administrateur sets an envelope and sees it on the aid page', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@A');
	const aid = await fx.get('A', 'aid_type');
	await visit(page, '/admin/budgets', 'budgets');
	await typeInto(page, `#alloue-${aid}`, 'mille euros');
	await page.focus(`#budget-${aid}-submit`);
	await submit(page, () => page.keyboard.press('Enter'), 'enveloppe refusée');
	await assertErrorsTiedToFields(page);
	await typeInto(page, `#alloue-${aid}`, '1 000');
	await page.focus(`#budget-${aid}-submit`);
	await submit(page, () => page.keyboard.press('Enter'), 'enveloppe enregistrée');
	assert.equal(await flashText(page), "L'enveloppe budgétaire est enregistrée.");
	assert.match(await page.locator(`#budget-${aid}-restant`).innerText(), /900,00/);
	await visit(page, `/admin/aides/${aid}`, 'aide avec son budget');
	assert.match(await page.locator('#aid-budget-paye').innerText(), /100,00/);
});
