// Rights of the person in a real browser, with axe-core on every page: the
// administrateur exports a person's data (PDF and JSON links of the
// « Droits de la personne » section), reads why an applicant cannot be
// erased, and erases a person kept by no dossier after the confirmation
// (dismissing it first keeps the person); other roles see no such section.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { Fixtures } from '../http/lib/fixtures.mjs';
import { flashText, focused, login, openSuite, submit, visit } from './lib.mjs';

let env;
let fx;
let applicant;
let loner;
let numero;

before(async () => {
	env = await openSuite('rights');
	fx = new Fixtures(env.srv);
	applicant = await fx.get('A', 'person');
	loner = await fx.get('A', 'person3'); /* in no household, no dossier */
	const dossier = await fx.get('A', 'dossier');
	const s = await env.srv.session('instructeur@A');
	const m = /<h1[^>]*>Dossier ([^<]+)<\/h1>/.exec((await s.get(`/dossiers/${dossier}`)).text);
	assert.ok(m, 'no dossier number in the title of its page');
	numero = m[1].trim();
});
after(() => env?.close());

test('the administrateur exports the data of an applicant, whose erasure is refused with its reason', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@A');
	await visit(page, `/usagers/${applicant}`, 'fiche : droits de la personne (demandeuse)');
	const section = page.locator('#person-rights');
	assert.equal(await section.locator('h2').innerText(), 'Droits de la personne');

	const pdfHref = await page.locator('#person-export-pdf').getAttribute('href');
	assert.equal(pdfHref, `/usagers/${applicant}/export.pdf`);
	let res = await page.request.get(pdfHref);
	assert.equal(res.status(), 200);
	assert.match(res.headers()['content-type'], /^application\/pdf/);
	assert.equal((await res.body()).subarray(0, 5).toString(), '%PDF-');

	const jsonHref = await page.locator('#person-export-json').getAttribute('href');
	assert.equal(jsonHref, `/usagers/${applicant}/export.json`);
	res = await page.request.get(jsonHref);
	assert.equal(res.status(), 200);
	assert.match(res.headers()['content-type'], /^application\/json/);
	assert.match(await res.text(), /Aubrac/);

	/* the links are reachable with the keyboard */
	await page.locator('#person-export-pdf').focus();
	await page.keyboard.press('Tab');
	assert.equal((await focused(page)).id, 'person-export-json');

	/* kept by a dossier: the reason, and no erase button */
	const refusal = await page.locator('#person-erase-refusal').innerText();
	assert.match(refusal, /^Effacement impossible : La personne est demandeuse du dossier /);
	assert.ok(refusal.includes(numero), `${numero} not in: ${refusal}`);
	assert.match(refusal, /obligation légale de conservation/);
	assert.equal(await page.locator('#person-erase-form').count(), 0);
	await page.context().close();
});

test('the administrateur erases a person kept by no dossier, after the confirmation', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@A');
	await visit(page, `/usagers/${loner}`, 'fiche : personne effaçable');
	assert.equal(await page.locator('#person-erase-refusal').count(), 0);
	const button = page.locator('#person-erase');
	assert.equal(await button.innerText(), 'Effacer la personne');

	/* dismissing the confirmation keeps the person */
	let message = null;
	page.once('dialog', (d) => {
		message = d.message();
		d.dismiss();
	});
	await button.focus();
	await page.keyboard.press('Enter');
	await page.waitForTimeout(300);
	assert.match(message, /^Effacer définitivement cette personne \?.*irréversible\.$/);
	assert.equal(new URL(page.url()).pathname, `/usagers/${loner}`);
	assert.equal(await button.count(), 1);

	message = await submit(page, () => page.keyboard.press('Enter'), 'personne effacée', { onDialog: 'accept' });
	assert.match(message, /Effacer définitivement cette personne/);
	assert.equal(new URL(page.url()).pathname, '/usagers');
	assert.match(await flashText(page), /^La personne est effacée/);
	await visit(page, `/usagers/${loner}`, 'fiche effacée introuvable', { status: 404 });
	await page.context().close();
});

test("the instructeur sees no « Droits de la personne » section", async () => {
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/usagers/${applicant}`, 'fiche vue par l’instructeur');
	assert.equal(await page.locator('#person-rights').count(), 0);
	assert.equal((await page.request.get(`/usagers/${applicant}/export.json`)).status(), 403);
	await page.context().close();
});
