// Consulting the CAF / MSA from a demo dossier in a real browser: the agent
// of the demonstration CCAS (cassis demo, connected to the local stand-in as
// `make run` does) opens a dossier, consults, sees the QF and the
// differences with the declared household, applies the CAF composition
// (with its confirmation), then prints the justificatif and downloads the
// proof, which `cassis proof verify` accepts.
//
// The stand-in replays a copy of the project's fixtures in which the CAF
// knows one more child of the N'Diaye household than the CCAS (a birth not
// declared yet); every expected value comes from that fixture.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { cli } from '../http/lib/server.mjs';
import { PROJECT_FIXTURES, QF_OPERATION, startStandin } from '../http/lib/standin.mjs';
import { assertErrorsTiedToFields, checkPage, flashText, login, openSuite, submit, visit } from './lib.mjs';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-consult-browser-'));
const DEMO = { email: 'instructeur@demoville.fr', password: 'Demoville-2026' };
const NEWBORN = { nom_naissance: 'N\'DIAYE', nom_usage: null, prenoms: 'AWA KHADY', date_naissance: '2025-02-17', sexe: 'F' };

let env;
let standin;
let payload; /* the data the stand-in answers for the N'Diaye household */
const state = {};

/* A copy of the project's fixtures where the N'Diaye answer lists a newborn. */
function fixturesWithNewborn() {
	const dst = path.join(DIR, 'fixtures');
	fs.cpSync(PROJECT_FIXTURES, dst, { recursive: true });
	const dir = path.join(dst, QF_OPERATION);
	const file = fs.readdirSync(dir).find((f) => /ndiaye/i.test(f));
	assert.ok(file, 'no N\'Diaye case in the project fixtures');
	const doc = YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
	const data = JSON.parse(doc.payload);
	data.data.enfants.push(NEWBORN);
	doc.payload = JSON.stringify(data, null, 2);
	fs.writeFileSync(path.join(dir, file), YAML.stringify(doc));
	payload = data.data;
	return dst;
}

before(async () => {
	env = await openSuite('consultation', { env: { CASSIS_SIGNING_KEY: path.join(DIR, 'signing.key') } });
	standin = await startStandin({ fixtures: fixturesWithNewborn() });
	const r = cli(['demo', '--db', env.srv.dbUrl, '--particulier-url', standin.url]);
	assert.equal(r.status, 0, r.stderr);
});

after(async () => {
	await env?.close();
	await standin?.stop();
	fs.rmSync(DIR, { recursive: true, force: true });
});

function need(key) {
	assert.ok(state[key], `this test needs ${key}, made by an earlier test of this file`);
	return state[key];
}

test('the agent consults the CAF from a demo dossier and sees the QF and the differences', async () => {
	const page = await env.newPage();
	state.page = page;
	await login(page, env, DEMO, DEMO.password);
	await visit(page, '/dossiers?tri=numero&ordre=asc', 'dossiers de démonstration');
	const row = page.locator('#dossier-list tbody tr, table tbody tr').filter({ hasText: 'N\'Diaye' })
		.filter({ hasText: 'Aide alimentaire' }).first();
	await submit(page, row.locator('th a'), 'dossier N\'Diaye');
	assert.match(await page.locator('#demo-banner').innerText(), /démonstration/);
	assert.match(await page.locator('#caf-none').innerText(), /Aucune consultation/);

	await submit(page, page.locator('#caf-consult'), 'consultation CAF faite');
	assert.match(await flashText(page), /La CAF ou la MSA a répondu/);
	const qf = payload.quotient_familial;
	assert.equal(await page.locator('#caf-qf-valeur').getAttribute('data-valeur'), String(qf.valeur));
	assert.equal((await page.locator('#caf-qf-periode').innerText()).trim(),
		`${String(qf.mois).padStart(2, '0')}/${qf.annee}`);
	assert.match(await page.locator('#caf-qf-fournisseur').innerText(), qf.fournisseur === 'MSA' ? /MSA/ : /CAF/);
	/* the newborn is missing from the declared household, and said so in words */
	const missing = page.locator('#caf-enfants tr[data-statut="manquant"]');
	assert.equal(await missing.count(), 1);
	assert.match(await missing.innerText(), /AWA KHADY[\s\S]*17\/02\/2025[\s\S]*Manquant dans le foyer déclaré/);
	assert.equal(await page.locator('#caf-enfants tr[data-statut="ok"]').count(), payload.enfants.length - 1);
	assert.match(await page.locator('#caf-differences').innerText(), /1 différence/);
	state.dossier = new URL(page.url()).pathname;
});

test('the agent applies the CAF composition to the household, after a confirmation', async () => {
	const page = need('page');
	const dossier = need('dossier');
	await submit(page, page.locator('#caf-apply'), 'appliquer la composition');
	assert.match(await page.locator('legend').first().innerText(), /AWA KHADY/);
	/* refused without the birth place, the error tied to its field */
	await submit(page, page.locator('#apply-submit'), 'composition refusée', { onDialog: 'accept' });
	assert.equal(await page.locator('[aria-invalid="true"]').count() >= 1, true);
	assert.match(await page.locator('.error-summary').innerText(), /commune de naissance/);
	await page.locator('input[id^="lieu_naissance_"]').fill('49007');
	/* dismissing the confirmation sends nothing */
	page.once('dialog', (d) => d.dismiss());
	await page.locator('#apply-submit').click();
	assert.match(new URL(page.url()).pathname, /\/appliquer$/);
	const msg = await submit(page, page.locator('#apply-submit'), 'composition appliquée', { onDialog: 'accept' });
	assert.match(msg, /Ajouter cet enfant au foyer/);
	assert.equal(new URL(page.url()).pathname, dossier);
	assert.match(await flashText(page), /composition connue de la CAF est appliquée/);
	assert.equal(await page.locator('#caf-enfants tr[data-statut="manquant"]').count(), 0);
	assert.equal(await page.locator('#caf-enfants tr[data-statut="ok"]').count(), payload.enfants.length);
	/* the household lists the child */
	await submit(page, page.locator('#dossier-foyer a'), 'foyer avec le nouvel enfant');
	assert.match(await page.locator('main').innerText(), /Awa/);
	await visit(page, dossier, 'retour au dossier');
});

test('the agent prints the justificatif and downloads a proof that verifies', async () => {
	const page = need('page');
	need('dossier');
	await submit(page, page.locator('#caf-latest-proof'), 'justificatif de consultation');
	assert.equal(await page.locator('h1').innerText(), 'Justificatif de consultation');
	assert.equal(await page.locator('#proof-signature-status').getAttribute('data-valid'), '1');
	assert.match(await page.locator('#proof-siret').innerText(), /^\d{14}$/);
	assert.match(await page.locator('#proof-response').innerText(), new RegExp(String(payload.quotient_familial.valeur)));
	/* printed: the navigation and the buttons are left out */
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.locator('.site-header nav').isVisible(), false);
	assert.equal(await page.locator('#demo-banner').isVisible(), true, 'a demo proof says so on paper');
	assert.equal(await page.locator('#proof-print').isVisible(), false);
	assert.equal(await page.locator('#proof-fields').isVisible(), true);
	const pdf = path.join(DIR, 'justificatif.pdf');
	await page.pdf({ path: pdf, format: 'A4' });
	assert.ok(fs.statSync(pdf).size > 1000, 'the justificatif prints');
	await page.emulateMedia({ media: 'screen' });
	await checkPage(page, 'justificatif après impression');
	/* the proof */
	const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#proof-download').click()]);
	const file = path.join(DIR, 'preuve.json');
	await download.saveAs(file);
	const r = cli(['proof', 'verify', file]);
	assert.equal(r.status, 0, r.stdout + r.stderr);
	const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
	doc.reponse_minimisee.enfants.pop();
	fs.writeFileSync(file, JSON.stringify(doc));
	assert.equal(cli(['proof', 'verify', file]).status, 1);
});

test('the administrateur chooses the data an aid keeps from the CAF', async () => {
	const page = await env.newPage();
	await login(page, env, { email: 'administrateur@demoville.fr' }, DEMO.password);
	await visit(page, '/admin/aides', 'catalogue de démonstration');
	await submit(page, page.locator('table a[id^="aid-"][id$="-link"]').first(), 'une aide');
	await submit(page, page.locator('#aid-scopes-link'), 'données demandées à la CAF');
	for (const box of await page.locator('#scopes input[type="checkbox"]').all()) await box.uncheck();
	await submit(page, page.locator('#scopes-submit'), 'aucune donnée : refusé');
	await assertErrorsTiedToFields(page);
	await page.locator('#scope-cnaf_quotient_familial').check();
	await page.locator('#scope-cnaf_enfants').check();
	await submit(page, page.locator('#scopes-submit'), 'données enregistrées');
	assert.match(await flashText(page), /données demandées à la CAF et à la MSA/);
	assert.equal(await page.locator('#scope-cnaf_enfants').isChecked(), true);
	assert.equal(await page.locator('#scope-cnaf_adresse').isChecked(), false);
});
