// Pièces justificatives in a real browser, with axe-core on every page: the
// agent at the desk (accueil) uploads through the dossier page's file input;
// a file that lies about its type and one over the limit come back with the
// message next to the field; the instructeur downloads the exact bytes,
// deletes a pièce after the confirmation, and asks for the missing pieces.
// The server's upload limit is 1 Mo here (CASSIS_UPLOAD_MAX), to keep the
// oversized file small.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { Fixtures } from '../http/lib/fixtures.mjs';
import { parseForms } from '../http/lib/forms.mjs';
import { ROOT } from '../http/lib/server.mjs';
import { assertErrorsTiedToFields, flashText, focused, login, openSuite, submit, visit } from './lib.mjs';

const SAMPLES = path.join(ROOT, 'tests/unit/data/filetype');
const PDF = fs.readFileSync(path.join(SAMPLES, 'minimal.pdf'));
const PNG = fs.readFileSync(path.join(SAMPLES, 'minimal.png'));
const PIECES = ['Justificatif de domicile', "Avis d'imposition", 'Facture d’énergie'];

let env;
let dossier;

before(async () => {
	env = await openSuite('documents', { env: { CASSIS_UPLOAD_MAX: '1' } });
	const fx = new Fixtures(env.srv);
	dossier = await fx.get('A', 'dossier');
	const aid = await fx.get('A', 'aid_type');
	const admin = await env.srv.session('administrateur@A');
	const page = await admin.get(`/admin/aides/${aid}`);
	const form = parseForms(page.text).find((f) => f.action === `/admin/aides/${aid}` && f.method === 'POST');
	const res = await admin.post(form.action, { ...form.fields, pieces: PIECES.join('\n') });
	assert.equal(res.status, 303, `checklist: ${res.status}`);
});
after(() => env?.close());

const checklistRow = (page, n) => page.locator(`#checklist-${n}`);

test('the desk agent uploads a pièce through the dossier page', async () => {
	const page = await env.newPage();
	await login(page, env, 'accueil@A');
	await visit(page, `/dossiers/${dossier}`, 'dossier avec pièces manquantes');
	assert.equal(await checklistRow(page, 1).getAttribute('data-recue'), '0');
	/* the file input has its label and its hint */
	const input = page.getByLabel('Fichier', { exact: true });
	assert.equal(await input.getAttribute('type'), 'file');
	assert.match(await page.locator('#hint-piece-fichier').innerText(), /PDF, JPEG ou PNG, 1 Mo au plus/);
	/* the first missing piece is chosen already */
	assert.equal(await page.locator('#piece-choix').inputValue(), PIECES[0]);
	await input.setInputFiles({ name: 'domicile.png', mimeType: 'image/png', buffer: PNG });
	await submit(page, page.locator('#piece-submit'), 'pièce ajoutée par l\'accueil');
	assert.equal(await flashText(page), 'La pièce est ajoutée au dossier.');
	assert.equal(new URL(page.url()).hash, '#pieces');
	assert.equal(await checklistRow(page, 1).getAttribute('data-recue'), '1');
	/* accueil does not open the files: no link, no name */
	const row = page.locator('#pieces-documents tbody tr').first();
	assert.equal(await row.locator('a').count(), 0);
	assert.match(await row.innerText(), /Justificatif de domicile\s+\(PNG, 71 octets\)/);
	await page.context().close();
});

test('a file that lies about its type is refused, the message next to the field', async () => {
	const page = await env.newPage();
	await login(page, env, 'accueil@A');
	await visit(page, `/dossiers/${dossier}`, 'dossier');
	await page.locator('#piece-choix').selectOption(PIECES[1]);
	await page.locator('#piece-fichier').setInputFiles({
		name: 'avis.jpg', mimeType: 'image/jpeg',
		buffer: Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
	});
	await submit(page, page.locator('#piece-submit'), 'fichier menteur refusé');
	assert.equal((await focused(page)).cls, 'error-summary');
	const report = await assertErrorsTiedToFields(page);
	const field = report.fields.find((f) => f.id === 'piece-fichier');
	assert.ok(field, 'the file field is marked invalid');
	assert.deepEqual(field.messages, ["Ce fichier n'est pas un PDF, JPEG ou PNG."]);
	/* the choice of the piece is kept */
	assert.equal(await page.locator('#piece-choix').inputValue(), PIECES[1]);
	await page.context().close();
});

test('a file over the limit is refused with the form and its message', async () => {
	const page = await env.newPage();
	await login(page, env, 'accueil@A');
	await visit(page, `/dossiers/${dossier}/pieces`, 'page des pièces');
	const big = Buffer.concat([Buffer.from('%PDF-1.4\n%'), Buffer.alloc(1024 * 1024, 'x'), Buffer.from('\n%%EOF\n')]);
	await page.locator('#piece-fichier').setInputFiles({ name: 'gros.pdf', mimeType: 'application/pdf', buffer: big });
	const res = page.waitForResponse((r) => r.request().method() === 'POST');
	await submit(page, page.locator('#piece-submit'), 'fichier trop volumineux');
	assert.equal((await res).status(), 413);
	const report = await assertErrorsTiedToFields(page);
	assert.deepEqual(report.fields.find((f) => f.id === 'piece-fichier')?.messages,
		['Fichier trop volumineux (1 Mo au plus).']);
	assert.equal(await page.locator('#pieces-documents tbody tr').count(), 1, 'nothing stored');
	await page.context().close();
});

test('the instructeur downloads the exact bytes, and deletes a pièce after confirming', async () => {
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/dossiers/${dossier}`, 'dossier vu par l\'instructeur');
	await page.locator('#piece-choix').selectOption('autre');
	await page.locator('#piece-autre').fill('Courrier de la CAF');
	await page.locator('#piece-fichier').setInputFiles({ name: 'caf.pdf', mimeType: 'application/pdf', buffer: PDF });
	await submit(page, page.locator('#piece-submit'), 'pièce hors liste ajoutée');
	const row = page.locator('#pieces-documents tbody tr').filter({ hasText: 'Courrier de la CAF' });
	const id = Number((await row.getAttribute('id')).slice('document-'.length));
	const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`#document-${id}-link`).click()]);
	assert.equal(download.suggestedFilename(), 'caf.pdf');
	const file = await download.path();
	assert.ok(fs.readFileSync(file).equals(PDF), 'the downloaded bytes differ from the file sent');
	/* deletion asks first; dismissing keeps the pièce */
	await page.once('dialog', (d) => d.dismiss());
	await page.locator(`#document-${id}-delete`).click();
	assert.equal(await row.count(), 1);
	const message = await submit(page, page.locator(`#document-${id}-delete`), 'pièce supprimée', { onDialog: 'accept' });
	assert.match(message, /^Supprimer la pièce « Courrier de la CAF » du dossier \?/);
	assert.equal(await flashText(page), 'La pièce est supprimée du dossier.');
	assert.equal(await page.locator(`#document-${id}`).count(), 0);
	await page.context().close();
});

test('the instructeur asks for the missing pieces: the dossier waits for them, the letter is produced', async () => {
	const s = await env.srv.session('instructeur@A');
	for (const etat of ['depose', 'en_instruction'])
		assert.equal((await s.post(`/dossiers/${dossier}/etat`, { etat })).status, 303, etat);
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/dossiers/${dossier}`, 'dossier en instruction');
	const boxes = page.locator('#demande-pieces input[type="checkbox"]');
	assert.equal(await boxes.count(), 2, 'the two missing pieces are offered');
	for (let i = 0; i < 2; i++) assert.ok(await boxes.nth(i).isChecked());
	/* nothing asked: refused */
	for (let i = 0; i < 2; i++) await boxes.nth(i).uncheck();
	await submit(page, page.locator('#demande-submit'), 'demande vide refusée');
	const report = await assertErrorsTiedToFields(page);
	assert.ok(report.fields.some((f) => f.id === 'demande-autres'));
	/* the real request, from the page of the pièces where the refusal came back */
	await page.getByLabel(PIECES[1]).check();
	await page.locator('#demande-message').fill('Merci de les déposer à l\'accueil.');
	await submit(page, page.locator('#demande-submit'), 'pièces demandées');
	assert.equal(await flashText(page), 'La demande de pièces est enregistrée et son courrier produit.');
	assert.equal(await page.locator('#wf-state, #dossier-etat').first().getAttribute('data-state'), 'en_attente_pieces');
	assert.match(await checklistRow(page, 2).innerText(), /Manquante, demandée le \d\d\/\d\d\/\d{4}/);
	assert.match(await page.locator('#pieces-requests').innerText(), /courrier produit/);
	assert.match(await page.locator('#dossier-timeline').innerText(), /Pièces demandées : Avis d'imposition\./);
	await page.context().close();
});
