// Letters (courriers) in a real browser, with axe-core on every page: the
// instructeur picks a kind of letter in the « Courriers » section of a
// deposited dossier, gets the missing list of documents back next to its
// field, produces the letter with the keyboard and downloads its PDF; the
// administrateur sets the letterhead (a tribunal not named as such comes
// back next to its field), writes the CCAS's own refusal template (a
// template without the motive is refused in French), then restores the
// default after the confirmation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { Fixtures } from '../http/lib/fixtures.mjs';
import { assertErrorsTiedToFields, flashText, focused, login, openSuite, submit, visit } from './lib.mjs';

let env;
let fx;
let dossier;

before(async () => {
	env = await openSuite('letters');
	fx = new Fixtures(env.srv);
	await fx.get('A', 'letter'); /* deposits the dossier: its accusé de réception */
	dossier = await fx.get('A', 'dossier');
});
after(() => env?.close());

async function downloadPdf(page, href) {
	const res = await page.request.get(href);
	assert.equal(res.status(), 200, `GET ${href}`);
	assert.match(res.headers()['content-type'], /^application\/pdf/);
	const body = await res.body();
	assert.equal(body.subarray(0, 5).toString(), '%PDF-');
	return body;
}

test('the instructeur prepares a request for documents, fixes it and downloads it', async () => {
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/dossiers/${dossier}`, 'dossier, section courriers');
	const section = page.locator('#courriers');
	assert.equal(await section.locator('h2').innerText(), 'Courriers');
	const first = section.locator('#letters-table tbody tr');
	assert.equal(await first.count(), 1);
	assert.equal(await first.getAttribute('data-kind'), 'accuse_reception');
	await downloadPdf(page, await first.locator('a').getAttribute('href'));

	/* the kind is chosen and the form opened with the keyboard */
	const kinds = await page.locator('#letter-kind option').evaluateAll((os) => os.map((o) => o.value));
	assert.ok(kinds.includes('demande_pieces'), kinds.join());
	assert.ok(!kinds.includes('notification_refus'), 'no refusal before the decision');
	await page.locator('#letter-kind').focus();
	await page.selectOption('#letter-kind', 'demande_pieces');
	await page.keyboard.press('Tab');
	assert.equal((await focused(page)).id, 'letter-prepare');
	await submit(page, () => page.keyboard.press('Enter'), 'courrier : demande de pièces');
	assert.equal(new URL(page.url()).pathname, `/dossiers/${dossier}/courriers/nouveau`);
	assert.equal(new URL(page.url()).searchParams.get('type'), 'demande_pieces');
	assert.match(await page.locator('#letter-dossier').innerText(), /Dossier/);

	/* no document listed: the error comes back next to the field */
	await page.locator('#letter-submit').focus();
	await submit(page, () => page.keyboard.press('Enter'), 'courrier sans pièce refusé');
	assert.equal((await focused(page)).cls, 'error-summary');
	const report = await assertErrorsTiedToFields(page);
	assert.deepEqual(report.fields.map((f) => f.id), ['pieces']);
	assert.equal(report.fields[0].messages[0], 'Indiquez au moins une pièce à demander.');
	await page.locator('.error-summary a[href="#pieces"]').click();
	assert.equal((await focused(page)).id, 'pieces');

	await page.keyboard.type("Dernier avis d'imposition");
	await page.keyboard.press('Enter');
	await page.keyboard.type('Quittance de loyer de mars');
	await page.locator('#motif').fill('À déposer à l’accueil du CCAS.');
	await page.locator('#letter-submit').focus();
	await submit(page, () => page.keyboard.press('Enter'), 'demande de pièces produite');
	assert.equal(new URL(page.url()).pathname, `/dossiers/${dossier}`);
	assert.equal(await flashText(page), 'Le courrier est produit et conservé au dossier.');
	const row = page.locator('#letters-table tbody tr[data-kind="demande_pieces"]');
	assert.equal(await row.count(), 1);
	const link = row.locator('a');
	assert.match(await link.innerText(), /^Télécharger le courrier n° \d+ \(PDF, .+\)$/);
	const href = await link.getAttribute('href');
	const a = await downloadPdf(page, href);
	const b = await downloadPdf(page, href);
	assert.ok(a.equals(b), 'a letter downloaded again is the same document');
	await page.context().close();
});

test('the administrateur sets the letterhead and the refusal template', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@A');
	await visit(page, '/admin/courriers', 'courriers : en-tête et modèles');
	await page.locator('#adresse').fill('2 place de la Mairie\n06560 Valbonne');
	await page.locator('#ville').fill('Valbonne');
	await page.locator('#tribunal').fill('TA de Nice');
	await submit(page, page.locator('#letterhead-submit'), 'en-tête : tribunal refusé');
	assert.equal((await focused(page)).cls, 'error-summary');
	let report = await assertErrorsTiedToFields(page);
	assert.deepEqual(report.fields.map((f) => f.id), ['tribunal']);
	assert.match(report.fields[0].messages[0], /^Écrivez « tribunal administratif de … »/);
	assert.equal(await page.locator('#ville').inputValue(), 'Valbonne', 'the other values are kept');

	await page.locator('#tribunal').fill('tribunal administratif de Nice');
	await submit(page, page.locator('#letterhead-submit'), 'en-tête enregistré');
	assert.equal(await flashText(page), "L'en-tête des courriers est enregistré.");
	assert.equal(await page.locator('#tribunal').inputValue(), 'tribunal administratif de Nice');

	const refusal = page.locator('#template-notification_refus');
	assert.equal(await refusal.getAttribute('data-custom'), '0');
	await submit(page, refusal.getByRole('link', { name: /Modifier le modèle/ }), 'modèle de refus');
	assert.match(await page.locator('#template-origin').innerText(), /texte par défaut/);
	assert.ok((await page.locator('#template-variables tbody tr').count()) > 0);

	await page.locator('#body').fill('# Refus\n\nNon.');
	await submit(page, page.locator('#template-submit'), 'modèle sans motif refusé');
	assert.equal((await focused(page)).cls, 'error-summary');
	report = await assertErrorsTiedToFields(page);
	assert.deepEqual(report.fields.map((f) => f.id), ['body']);
	assert.match(report.fields[0].messages[0], /^Le courrier doit citer le motif/);
	assert.equal(await page.locator('#body').inputValue(), '# Refus\n\nNon.', 'the text is kept');

	await page.locator('#body').fill('# Refus\n\n{{#motif');
	await submit(page, page.locator('#template-submit'), 'modèle mal formé refusé');
	report = await assertErrorsTiedToFields(page);
	assert.deepEqual(report.fields.map((f) => f.id), ['body']);

	await page.locator('#body').fill('# Réponse du CCAS à votre demande\n\n{{formule}}, la commission a écarté votre demande n° {{dossier.numero}} : {{motif}}\n\n> {{ccas.signataire}}');
	await submit(page, page.locator('#template-submit'), 'modèle de refus enregistré');
	assert.equal(new URL(page.url()).pathname, '/admin/courriers');
	assert.match(await flashText(page), /Le modèle de courrier est enregistré/);
	assert.equal(await page.locator('#template-notification_refus').getAttribute('data-custom'), '1');

	await visit(page, '/admin/courriers/modele?type=notification_refus', 'modèle de refus propre au CCAS');
	assert.match(await page.locator('#template-origin').innerText(), /son propre texte/);
	/* dismissing the confirmation keeps the template */
	let message = null;
	page.once('dialog', (d) => { message = d.message(); d.dismiss(); });
	await page.locator('#template-reset').click();
	await page.waitForTimeout(200);
	assert.match(message, /Rétablir le texte par défaut de ce modèle \?/);
	assert.equal(new URL(page.url()).pathname, '/admin/courriers/modele');

	message = await submit(page, page.locator('#template-reset'), 'modèle par défaut rétabli', { onDialog: 'accept' });
	assert.match(message, /Rétablir le texte par défaut/);
	assert.equal(await flashText(page), 'Le modèle par défaut est rétabli.');
	assert.equal(await page.locator('#template-notification_refus').getAttribute('data-custom'), '0');
	await page.context().close();
});
