// « Mes dossiers » in a real browser, with axe-core on every page: the
// instructeur finds a deposited dossier waiting to be taken up in a table
// with its caption and column headers, and opens it with the keyboard; the
// auditeur, who acts on no dossier, reads that nothing waits.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { Fixtures } from '../http/lib/fixtures.mjs';
import { focused, login, openSuite, submit, visit } from './lib.mjs';

let env;
let dossier;

before(async () => {
	env = await openSuite('mes-dossiers');
	const fx = new Fixtures(env.srv);
	dossier = await fx.get('A', 'dossier');
	const s = await env.srv.session('instructeur@A');
	const res = await s.post(`/dossiers/${dossier}/etat`, { etat: 'depose' });
	assert.equal(res.status, 303, `deposit: ${res.status}`);
});
after(() => env?.close());

test('the instructeur finds the deposited dossier and opens it with the keyboard', async () => {
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, '/mes-dossiers', 'mes dossiers (instructeur)');
	assert.match(await page.locator('#mine-count').innerText(), /attendent une action de votre part/);
	assert.match(await page.locator('#mine caption').innerText(), /Dossiers en attente/);
	const headers = await page.locator('#mine thead th').evaluateAll((ths) => ths.map((th) => th.getAttribute('scope')));
	assert.ok(headers.length > 0 && headers.every((s) => s === 'col'));
	const row = page.locator(`#mine-${dossier}`);
	assert.equal(await row.count(), 1);
	assert.equal(await row.getAttribute('data-state'), 'depose');
	assert.match(await row.innerText(), /À prendre en charge/);
	assert.match(await row.innerText(), /Aubrac/);

	const link = row.locator('a');
	await link.focus();
	assert.equal((await focused(page)).tag, 'a');
	await submit(page, () => page.keyboard.press('Enter'), 'dossier ouvert depuis mes dossiers');
	assert.equal(new URL(page.url()).pathname, `/dossiers/${dossier}`);
	await page.context().close();
});

test('the auditeur reads that no dossier waits on them', async () => {
	const page = await env.newPage();
	await login(page, env, 'auditeur@A');
	await visit(page, '/mes-dossiers', 'mes dossiers (auditeur)');
	assert.equal(await page.locator('#mine-count').innerText(), "Aucun dossier n'attend d'action de votre part.");
	assert.equal(await page.locator('#mine').count(), 0);
	await page.context().close();
});
