// The access log in a real browser: an instructeur opens a person's fiche,
// then the auditeur asks "qui a consulté cette personne ?" on /audit/acces:
// finds the person by name, reads who viewed her, filters by agent, and a
// wrong date is shown next to its field. axe-core on every page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { Fixtures, SEARCH_A } from '../http/lib/fixtures.mjs';
import { assertErrorsTiedToFields, login, openSuite, submit, visit } from './lib.mjs';

let env, fx;
before(async () => {
	env = await openSuite('access-log');
	fx = new Fixtures(env.srv);
});
after(() => env?.close());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('the auditeur finds who viewed a person', async () => {
	const person = await fx.get('A', 'person');
	const agent = await env.newPage();
	await login(agent, env, 'instructeur@A');
	await visit(agent, `/usagers/${person}`, 'fiche consultée');

	const page = await env.newPage();
	await login(page, env, 'auditeur@A');
	await visit(page, '/audit', 'journal d audit');
	await submit(page, page.locator('#audit-access-link'), 'journal des accès');
	await page.locator('#nom').fill(SEARCH_A);
	await submit(page, page.locator('#access-person-submit'), 'personne cherchée');
	await submit(page, page.locator(`#access-match-${person}`), 'qui a consulté cette personne');
	assert.match(await page.locator('#access-person').innerText(), /Consultations concernant/);
	const email = env.users['instructeur@A'].email;
	for (let i = 0; i < 20 && !(await page.locator('#access-table').count()); i++) {
		await sleep(100);
		await page.reload();
	}
	const table = await page.locator('#access-table').innerText();
	assert.match(table, new RegExp(email.replace(/\./g, '\\.')));
	assert.match(table, /Fiche usager/);
	assert.match(await page.locator('#access-table caption').innerText(), /les plus récentes d'abord/);

	// by agent: the instructeur's reads only
	await page.locator('#agent').selectOption(String(env.users['instructeur@A'].id));
	await submit(page, page.locator('#access-filter-submit'), 'filtré par agent');
	const rows = await page.locator('#access-table tbody tr').allInnerTexts();
	assert.ok(rows.length > 0);
	for (const r of rows) assert.ok(r.includes(email), r);

	// oldest first, through the column's link
	await submit(page, page.locator('#access-sort'), 'plus anciennes d abord');
	assert.match(await page.locator('#access-table caption').innerText(), /les plus anciennes d'abord/);

	// from the person's fiche, for those who may read the log
	await visit(page, `/usagers/${person}`, 'fiche vue par l auditeur');
	await submit(page, page.locator('#person-access-log'), 'depuis la fiche');
	assert.equal(new URL(page.url()).searchParams.get('usager'), String(person));
	assert.equal(await agent.locator('#person-access-log').count(), 0, 'the instructeur has no such link');
});

test('a wrong date is shown next to its field', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@A');
	await visit(page, '/audit/acces', 'journal des accès administrateur');
	await page.locator('#du').fill('31/02/2024');
	await page.locator('#au').fill('01/01/2024');
	await submit(page, page.locator('#access-filter-submit'), 'date refusée');
	const report = await assertErrorsTiedToFields(page);
	assert.deepEqual(report.fields.map((f) => f.id).sort(), ['du']);
	assert.match(report.fields[0].messages[0], /Date invalide/);
});

test('other roles are refused', async () => {
	const page = await env.newPage();
	await login(page, env, 'valideur@A');
	await visit(page, '/audit/acces', 'journal des accès refusé', { status: 403 });
});
