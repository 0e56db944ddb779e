// Administration screens in a real browser: the CCAS's accounts, its API
// keys (creation, then revocation after the confirmation), the audit log,
// and the platform page where a new CCAS gets its colour and administrator;
// the CCAS's own settings (name, colour) shown in the header.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
	PASSWORD,
	assertErrorsTiedToFields,
	flashText,
	focused,
	login,
	openSuite,
	submit,
	visit,
} from './lib.mjs';
import { TENANTS } from '../http/lib/server.mjs';

let env;
before(async () => {
	env = await openSuite('admin');
});
after(() => env?.close());

/* The id of the table row (id="PREFIX-N") whose text contains text. */
async function rowId(page, table, prefix, text) {
	const ids = await page.locator(`${table} tbody tr[id^="${prefix}-"]`).evaluateAll(
		(rows, t) => rows.filter((r) => r.textContent.includes(t)).map((r) => r.id),
		text,
	);
	assert.equal(ids.length, 1, `one row of ${table} mentions "${text}" (${ids.join(', ')})`);
	return Number(ids[0].slice(prefix.length + 1));
}

/* A valid SIRET of the SIREN 217500016 other than tenant A's. */
function freshSiret() {
	const luhn = (s) =>
		[...s].reverse().reduce((sum, ch, i) => {
			let d = Number(ch) * (i % 2 ? 2 : 1);
			return sum + (d > 9 ? d - 9 : d);
		}, 0) % 10 === 0;
	for (let nic = 100; nic < 10000; nic++) {
		const s = `217500016${String(nic).padStart(5, '0')}`;
		if (luhn(s)) return s;
	}
	throw new Error('no SIRET found');
}

test('users: an empty form is refused, then an account is created and deactivated', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@A');
	await visit(page, '/admin/utilisateurs', 'comptes du ccas');
	const table = page.locator('#users-table');
	assert.match(await table.innerText(), /Gaëlle Instructeur-A/);
	assert.doesNotMatch(await table.innerText(), /Gaëlle Instructeur-B/, 'no account of another CCAS');

	await submit(page, page.locator('#user-create button[type="submit"]'), 'compte vide refusé');
	assert.equal((await focused(page)).cls, 'error-summary');
	const report = await assertErrorsTiedToFields(page);
	for (const id of ['email', 'name', 'role', 'password'])
		assert.ok(report.fields.some((f) => f.id === id), `#${id} is marked invalid`);

	const form = page.locator('#user-create');
	await form.locator('#email').fill('agnes.nouvel@ccas-essai.fr');
	await form.locator('#name').fill('Agnès Nouvel');
	await form.locator('#role').selectOption('instructeur');
	await form.locator('#password').fill('court');
	await submit(page, form.locator('button[type="submit"]'), 'mot de passe trop court');
	assert.equal(await page.locator('#password').getAttribute('aria-invalid'), 'true');
	await assertErrorsTiedToFields(page);
	assert.equal(await page.locator('#email').inputValue(), 'agnes.nouvel@ccas-essai.fr', 'values are kept');
	await page.locator('#password').fill('Genêt-des-Landes-2024');
	await submit(page, page.locator('#user-create button[type="submit"]'), 'compte créé');
	assert.equal(await flashText(page), 'Le compte est créé.');
	const id = await rowId(page, '#users-table', 'user', 'agnes.nouvel@ccas-essai.fr');
	assert.match(await page.locator(`#user-${id}`).innerText(), /Agnès Nouvel/);

	await submit(page, page.locator(`#user-${id}-deactivate`), 'compte désactivé', { onDialog: 'accept' });
	assert.equal(await flashText(page), 'Le compte est désactivé ; ses sessions sont fermées.');
	assert.equal(await page.locator(`#user-${id}-reactivate`).count(), 1);

	// The password page of another account.
	await submit(page, page.locator(`#user-${id}-password`), 'changer le mot de passe');
	assert.match(await page.locator('#target-name').innerText(), /Agnès Nouvel/);
	await page.locator('#password').fill('Bruyère-et-Ajonc-2025');
	await submit(page, page.locator('#user-password button[type="submit"]'), 'mot de passe changé');
	assert.equal(await flashText(page), 'Le mot de passe est changé ; les sessions du compte sont fermées.');
	await submit(page, page.locator(`#user-${id}-reactivate`), 'compte réactivé', { onDialog: 'accept' });
	assert.equal(await flashText(page), 'Le compte est réactivé.');
	await page.context().close();
});

test('API keys: a key is shown once, works, and is revoked after the confirmation', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@A');
	await visit(page, '/admin/cles-api', 'clés api');
	const label = "Logiciel de l'épicerie solidaire";
	await page.locator('#apikey-create #label').fill(label);
	await page.locator('#apikey-create #role').selectOption('instructeur');
	await submit(page, page.locator('#apikey-create button[type="submit"]'), 'clé créée');
	const key = await page.locator('#new-key-value').inputValue();
	assert.match(key, /^cas_[A-Za-z0-9_-]{20,}$/);
	const id = await rowId(page, '#apikeys-table', 'apikey', label);
	assert.equal((await page.locator(`#apikey-${id}-revoked`).innerText()).trim(), 'active');
	assert.ok(!(await page.locator('#apikeys-table').innerText()).includes(key), 'the table shows only the start');

	const call = () =>
		fetch(`${env.base}/api/v1/persons`, { headers: { Authorization: `Bearer ${key}` } }).then(
			async (r) => (await r.text(), r.status));
	assert.equal(await call(), 200, 'the new key opens the API');

	// Reloading the page does not show the key again.
	await visit(page, '/admin/cles-api', 'clés api rechargée');
	assert.equal(await page.locator('#new-key-value').count(), 0);

	const message = await submit(page, page.locator(`#apikey-${id}-revoke`), 'clé révoquée', { onDialog: 'accept' });
	assert.match(message, /Révoquer la clé/);
	assert.equal(await flashText(page), 'La clé est révoquée.');
	assert.notEqual((await page.locator(`#apikey-${id}-revoked`).innerText()).trim(), 'active');
	assert.equal(await page.locator(`#apikey-${id}-revoke`).count(), 0);
	assert.equal(await call(), 401, 'a revoked key is refused');
	await page.context().close();
});

test('audit: the auditor reads the log and filters it by object type', async () => {
	// Something to read: an account made by the administrator.
	const admin = await env.srv.session('administrateur@A');
	const res = await admin.post('/admin/utilisateurs', {
		email: 'audit.temoin@ccas-essai.fr',
		name: 'Témoin Audit',
		role: 'accueil',
		password: PASSWORD,
	});
	assert.equal(res.status, 303, `POST /admin/utilisateurs: ${res.status}`);

	const page = await env.newPage();
	await login(page, env, 'auditeur@A');
	await visit(page, '/audit', 'journal d audit');
	const rows = page.locator('#audit-table tbody tr[id^="audit-"]');
	assert.ok((await rows.count()) > 0, 'the log has entries');
	assert.match(await page.locator('#audit-table').innerText(), /Gaëlle Administrateur-A/);

	const type = page.locator('#filter-type');
	const values = await type.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
	assert.ok(values.length > 0, 'object types to filter on');
	const chosen = values.includes('user') ? 'user' : values[0];
	await type.selectOption(chosen);
	await submit(page, page.locator('#audit-filter button[type="submit"]'), `journal filtré ${chosen}`);
	assert.equal(new URL(page.url()).searchParams.get('type'), chosen);
	assert.equal(await type.inputValue(), chosen, 'the filter stays selected');
	await page.context().close();
});

test('platform: a new CCAS with its colour and administrator, who then sees the colour', async () => {
	const email = env.addPlatformAdmin();
	const page = await env.newPage();
	await login(page, env, { email });
	assert.equal(new URL(page.url()).pathname, '/plateforme', 'the platform admin lands on /plateforme');
	const tenants = page.locator('#tenants-table');
	assert.match(await tenants.innerText(), /CCAS de Valbonne-sur-Test/);
	assert.match(await tenants.innerText(), /CCAS de Montrouge-Essai/);

	const form = page.locator('#tenant-create');
	await form.locator('#name').fill('CCAS de Saint-Étienne-Essai');
	await form.locator('#siret').fill('217 500 016 00018');
	await form.locator('#communes').fill('42218');
	await submit(page, form.locator('button[type="submit"]'), 'siret invalide');
	assert.equal(await page.locator('#siret').getAttribute('aria-invalid'), 'true');
	assert.equal((await focused(page)).cls, 'error-summary');
	await assertErrorsTiedToFields(page);

	await page.locator('#siret').fill(freshSiret());
	await page.locator('#colour').fill('#6a1b4d');
	await submit(page, page.locator('#tenant-create button[type="submit"]'), 'ccas créé');
	assert.match(await flashText(page), /Le CCAS est créé/);
	const id = await rowId(page, '#tenants-table', 'tenant', 'CCAS de Saint-Étienne-Essai');

	const details = page.locator(`#tenant-${id}-admin`);
	if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
	await page.locator(`#admin-${id}-email`).fill('admin@ccas-saint-etienne-essai.fr');
	await page.locator(`#admin-${id}-name`).fill('Jérôme Administrateur');
	await page.locator(`#admin-${id}-password`).fill(PASSWORD);
	await submit(page, page.locator(`#admin-${id}-submit`), 'administrateur créé');
	assert.equal(await flashText(page), 'Le compte administrateur est créé.');
	assert.equal((await page.locator(`#tenant-${id}-users`).innerText()).trim(), '1');
	await page.context().close();

	const other = await env.newPage();
	await login(other, env, { email: 'admin@ccas-saint-etienne-essai.fr' });
	assert.equal(await other.locator('.site-header .brand').innerText(), 'CCAS de Saint-Étienne-Essai');
	await visit(other, '/plateforme', 'plateforme interdite', { status: 403 });
	const theme = await other.locator('link[href^="/theme.css"]').getAttribute('href');
	const served = await other.evaluate((href) => fetch(href).then((r) => r.text()), theme);
	assert.match(served, /#6a1b4d/i, 'the page links the stylesheet of the CCAS colour');
	// The colour is in the stylesheet's address: a browser that showed
	// another CCAS before cannot keep that one's colour from its cache.
	await visit(other, '/', 'accueil du nouveau ccas');
	const bg = await other.locator('.site-header').evaluate((h) => getComputedStyle(h).backgroundColor);
	assert.equal(bg, 'rgb(106, 27, 77)', 'the header has the CCAS colour');
	await other.context().close();
});

test('settings: the administrator renames the CCAS and changes its colour; the header shows them', async () => {
	const page = await env.newPage();
	await login(page, env, 'administrateur@B');
	await submit(page, page.getByRole('link', { name: 'Paramètres du CCAS' }), 'paramètres du ccas');
	assert.equal(new URL(page.url()).pathname, '/admin/ccas');
	assert.equal((await page.locator('#tenant-siret').innerText()).trim(), TENANTS.B.siret);
	assert.equal(await page.locator('#siret').count(), 0, 'the SIRET is not editable here');

	await page.locator('#name').fill('');
	await submit(page, page.locator('#settings-submit'), 'paramètres nom vide');
	assert.equal((await focused(page)).cls, 'error-summary');
	const report = await assertErrorsTiedToFields(page);
	assert.ok(report.fields.some((f) => f.id === 'name'), '#name is marked invalid');
	assert.equal(await page.locator('.site-header .brand').innerText(), TENANTS.B.name, 'nothing changed');

	await page.locator('#name').fill('CCAS de Montrouge-Renommé');
	await page.locator('#colour').fill('#2e5e1b');
	await submit(page, page.locator('#settings-submit'), 'paramètres enregistrés');
	assert.equal(await flashText(page), 'Les modifications sont enregistrées.');
	assert.equal(await page.locator('.site-header .brand').innerText(), 'CCAS de Montrouge-Renommé');
	assert.equal(await page.locator('#colour').inputValue(), '#2e5e1b');
	const bg = await page.locator('.site-header').evaluate((h) => getComputedStyle(h).backgroundColor);
	assert.equal(bg, 'rgb(46, 94, 27)', 'the header has the new colour');
	await page.context().close();
});
