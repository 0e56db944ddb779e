// "Vérifier la situation" from a demo dossier in a real browser: the agent
// of the demonstration CCAS (cassis demo, connected to both local stand-ins
// as `make run` does) opens the N'Diaye dossier, types a wrong numéro
// fiscal (refused next to the field, not shown again), then the one
// `cassis demo` prints, and reads one view: the CAF / MSA quotient familial,
// the DGFiP's RFR, parts and monthly fiscal QF, the comparison with the
// declared household; then opens the DGFiP justificatif. axe-core checks
// every page (lib.mjs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { cli } from '../http/lib/server.mjs';
import { expected, householdOf, startImpots, ymd } from '../http/lib/impots.mjs';
import { PROJECT_FIXTURES, QF_OPERATION, startStandin } from '../http/lib/standin.mjs';
import { assertErrorsTiedToFields, flashText, login, openSuite, submit, visit } from './lib.mjs';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-verif-browser-'));
const DEMO = { email: 'instructeur@demoville.fr', password: 'Demoville-2026' };

let env;
let caf;
let dgfip;
let spi; /* the N'Diaye numéro fiscal, as `cassis demo` prints it */
const state = {};

function cafPayload() {
	const dir = path.join(PROJECT_FIXTURES, QF_OPERATION);
	const file = fs.readdirSync(dir).find((f) => /^200-demo-ndiaye/.test(f));
	assert.ok(file, 'no N\'Diaye case in the project fixtures');
	return JSON.parse(YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8')).payload).data;
}

function defaultYear() {
	const t = ymd(new Date().toISOString());
	return t.y - (t.m > 7 || (t.m === 7 && t.d >= 22) ? 1 : 2);
}

before(async () => {
	env = await openSuite('verification', { env: { CASSIS_SIGNING_KEY: path.join(DIR, 'signing.key') } });
	caf = await startStandin({});
	dgfip = await startImpots({ args: ['--quota', '0'] });
	const r = cli(['demo', '--db', env.srv.dbUrl, '--particulier-url', caf.url, '--impots-url', dgfip.url]);
	assert.equal(r.status, 0, r.stderr);
	const line = r.stdout.split('\n').find((l) => /Aminata/.test(l) && /\d{13}/.test(l));
	assert.ok(line, `cassis demo prints no numéro fiscal for Aminata N'Diaye:\n${r.stdout}`);
	spi = /(\d{13})/.exec(line)[1];
});

after(async () => {
	await env?.close();
	await caf?.stop();
	await dgfip?.stop();
	fs.rmSync(DIR, { recursive: true, force: true });
});

test('a wrong numéro fiscal is refused next to the field and not shown again', async () => {
	const page = await env.newPage();
	state.page = page;
	await login(page, env, DEMO, DEMO.password);
	await visit(page, '/dossiers?tri=numero&ordre=asc', 'dossiers de démonstration');
	const row = page.locator('table tbody tr').filter({ hasText: 'N\'Diaye' }).filter({ hasText: 'Aide alimentaire' }).first();
	await submit(page, row.locator('th a'), 'dossier N\'Diaye');
	state.dossier = new URL(page.url()).pathname;
	assert.match(await page.locator('#verif-none').innerText(), /pas encore été vérifiée/);
	assert.equal(await page.locator('label[for="spi"]').count(), 1);
	await page.locator('#spi').fill('30499901');
	await submit(page, page.locator('#verif-submit'), 'numéro fiscal refusé');
	await assertErrorsTiedToFields(page);
	assert.match(await page.locator('#err-spi').innerText(), /13 chiffres/);
	assert.equal(await page.locator('#spi').inputValue(), '', 'the number typed is not shown again');
	assert.equal(await page.content().then((html) => html.includes('30499901')), false);
});

test('the agent verifies the situation and reads both sources next to the declared household', async () => {
	const page = state.page;
	assert.ok(page && state.dossier, 'needs the first test');
	await page.locator('#spi').fill(spi.replace(/(\d{2})(\d{2})(\d{3})(\d{3})(\d{3})/, '$1 $2 $3 $4 $5'));
	await submit(page, page.locator('#verif-submit'), 'situation vérifiée');
	assert.equal(await page.locator('h1').innerText(), 'Situation vérifiée');
	assert.match(await flashText(page), /ont répondu/);
	assert.equal(await page.locator('#verif-caf-result').getAttribute('data-ok'), '1');
	assert.equal(await page.locator('#verif-dgfip-result').getAttribute('data-ok'), '1');
	const qf = cafPayload().quotient_familial;
	assert.equal(await page.locator('#verif-qf-caf').getAttribute('data-valeur'), String(qf.valeur));
	const year = defaultYear();
	const e = expected(householdOf(spi), 'annrev', year, ymd(new Date().toISOString()));
	assert.equal(e.status, 200);
	assert.equal((await page.locator('#verif-annee-revenus').innerText()).trim(), String(year));
	assert.equal((await page.locator('#verif-rfr').innerText()).replace(/\D/g, ''), String(e.situation.rfr));
	assert.equal((await page.locator('#verif-parts').innerText()).trim(), String(e.situation.nbPart).replace('.', ','));
	assert.match(await page.locator('#verif-qf-fiscal, #verif-qf-fiscal-none').first().innerText(), /par mois|n'est pas calculé/);
	/* the comparison: one row per point, each with its verdict */
	for (const id of ['verif-cmp-enfants', 'verif-cmp-sitfam', 'verif-cmp-adresse'])
		assert.match(await page.locator(`#${id}`).getAttribute('data-statut'), /^(ok|difference|non_compare)$/);
	assert.match(await page.locator('#verif-differences').innerText(), /différence|point/);
	assert.equal((await page.content()).includes(spi), false, 'the numéro fiscal is not on the page');
});

test('the DGFiP justificatif opens, signed, without the numéro fiscal; the dossier lists the verification', async () => {
	const page = state.page;
	assert.ok(page && state.dossier, 'needs the first test');
	const result = page.url();
	await submit(page, page.locator('#verif-dgfip-proof'), 'justificatif DGFiP');
	assert.equal(await page.locator('h1').innerText(), 'Justificatif de consultation');
	assert.equal(await page.locator('#proof-signature-status').getAttribute('data-valid'), '1');
	assert.equal((await page.content()).includes(spi), false);
	await visit(page, state.dossier, 'dossier après vérification');
	assert.match(await page.locator('#verif-latest').innerText(), /DGFiP Réponse reçue/);
	await submit(page, page.locator('#verif-latest-link'), 'retour au résultat');
	assert.equal(page.url(), result.split('?')[0]);
});
