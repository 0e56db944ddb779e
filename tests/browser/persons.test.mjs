// Persons (usagers) in a real browser: the form with a bad then a good birth
// date, the error summary and its focus, and the search with and without
// accents.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
	assertErrorsTiedToFields,
	flashText,
	focused,
	idFromUrl,
	login,
	openSuite,
	submit,
	visit,
} from './lib.mjs';

let env;
before(async () => {
	env = await openSuite('persons');
});
after(() => env?.close());

/* Fills the person form (fields by id; radios by id). */
async function fillPerson(page, p) {
	await page.locator('#nom_naissance').fill(p.nom_naissance);
	await page.locator('#prenom1').fill(p.prenom1);
	await page.locator(p.sexe === 'F' ? '#sexe-f' : '#sexe').check();
	await page.locator('#date_naissance').fill(p.date_naissance);
	await page.locator('#lieu_type').check();
	await page.locator('#commune_naissance').fill(p.commune_naissance);
	await page.locator('#nationalite').selectOption(p.nationalite);
}

/* Creates a person through the HTML form with the harness' HTTP client. */
async function createPersonHttp(who, fields) {
	const s = await env.srv.session(who);
	const res = await s.post('/usagers', {
		sexe: 'F',
		lieu_type: 'commune',
		commune_naissance: '75056',
		nationalite: 'francaise',
		...fields,
	});
	assert.equal(res.status, 303, `POST /usagers ${JSON.stringify(fields)}: ${res.status}\n${res.text.slice(0, 2000)}`);
	return Number(/\/usagers\/(\d+)/.exec(res.headers.get('location'))[1]);
}

test('an empty person form: the error summary gets the focus, each error is tied to its field', async () => {
	const page = await env.newPage();
	await login(page, env, 'accueil@A');
	await visit(page, '/usagers/nouveau', 'nouvel usager');
	await submit(page, page.locator('#person-submit'), 'fiche vide refusée');
	assert.equal(new URL(page.url()).pathname, '/usagers');
	const summary = page.locator('.error-summary');
	assert.equal(await summary.count(), 1, 'one error summary');
	assert.equal(await summary.getAttribute('role'), 'alert');
	assert.equal((await focused(page)).cls, 'error-summary', 'the focus is on the error summary');
	const report = await assertErrorsTiedToFields(page);
	const ids = report.fields.map((f) => f.id);
	for (const id of ['nom_naissance', 'prenom1', 'date_naissance', 'nationalite'])
		assert.ok(ids.includes(id), `#${id} is marked invalid (invalid: ${ids.join(', ')})`);
	assert.ok(report.links.length >= 4, 'the summary links to the fields');
	// A link of the summary leads to its field.
	await summary.locator('a[href="#nom_naissance"]').click();
	assert.equal(new URL(page.url()).hash, '#nom_naissance');
	await page.context().close();
});

test('a person with an impossible birth date is refused, then created with a good one', async () => {
	const page = await env.newPage();
	await login(page, env, 'accueil@A');
	await visit(page, '/usagers', 'recherche des usagers');
	await submit(page, page.locator('#person-new'), 'nouvel usager');
	assert.equal(new URL(page.url()).pathname, '/usagers/nouveau');
	await fillPerson(page, {
		nom_naissance: 'Lefèvre',
		prenom1: 'Hélène',
		sexe: 'F',
		date_naissance: '31/02/1985',
		commune_naissance: '75056',
		nationalite: 'francaise',
	});
	await submit(page, page.locator('#person-submit'), 'date de naissance impossible');
	const date = page.locator('#date_naissance');
	assert.equal(await date.getAttribute('aria-invalid'), 'true');
	const describedBy = (await date.getAttribute('aria-describedby')).split(/\s+/);
	assert.ok(describedBy.includes('err-date_naissance'), `aria-describedby="${describedBy.join(' ')}"`);
	const message = (await page.locator('#err-date_naissance').innerText()).trim();
	assert.ok(message.length > 0, 'a message next to the date field');
	assert.equal((await focused(page)).cls, 'error-summary');
	assert.ok((await page.locator('.error-summary').innerText()).includes(message),
		'the summary repeats the message next to the field');
	await assertErrorsTiedToFields(page);
	// The other values are kept; only the date is wrong.
	assert.equal(await page.locator('#nom_naissance').inputValue(), 'Lefèvre');
	assert.equal(await page.locator('#prenom1').inputValue(), 'Hélène');
	assert.equal(await page.locator('#date_naissance').inputValue(), '31/02/1985');
	assert.ok(await page.locator('#sexe-f').isChecked());
	assert.equal(await page.locator('#nationalite').inputValue(), 'francaise');
	assert.equal(await page.locator('#nom_naissance').getAttribute('aria-invalid'), null);

	await date.fill('14/07/1985');
	await submit(page, page.locator('#person-submit'), 'fiche créée');
	assert.match(new URL(page.url()).pathname, /^\/usagers\/\d+$/);
	assert.equal(await flashText(page), 'La fiche est créée.');
	assert.equal((await page.locator('#person-nom_naissance').innerText()).trim(), 'Lefèvre');
	assert.match(await page.locator('#person-prenoms').innerText(), /Hélène/);
	assert.match(await page.locator('#person-date_naissance').innerText(), /14\/07\/1985/);
	assert.equal(await page.locator('.error-summary').count(), 0);

	// The person's page leads to the edit form, which keeps the values.
	await submit(page, page.locator('#person-edit'), 'modifier la fiche');
	assert.equal(await page.locator('#nom_naissance').inputValue(), 'Lefèvre');
	assert.equal(await page.locator('#date_naissance').inputValue(), '14/07/1985');
	await page.locator('#telephone').fill('06 12 34 56 78');
	await submit(page, page.locator('#person-submit'), 'fiche modifiée');
	assert.equal(await flashText(page), 'Les modifications sont enregistrées.');
	assert.match(await page.locator('#person-telephone').innerText(), /06 12 34 56 78/);
	await page.context().close();
});

test('search finds names with and without accents, and keeps the accents in the results', async () => {
	const marechal = await createPersonHttp('instructeur@A', {
		nom_naissance: 'Maréchal',
		prenom1: 'Élodie',
		date_naissance: '03/05/1972',
	});
	const lemaire = await createPersonHttp('instructeur@A', {
		nom_naissance: 'Lemaire',
		prenom1: 'Benoit',
		sexe: 'M',
		date_naissance: '1960',
	});
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, '/usagers', 'recherche');

	const search = async (q, label) => {
		await page.locator('#q').fill(q);
		await submit(page, page.locator('#person-search-submit'), label);
		assert.equal(new URL(page.url()).searchParams.get('q'), q);
		assert.equal(await page.locator('#q').inputValue(), q, 'the query stays in the field');
		return page.locator('#person-results tbody tr');
	};

	await search('marechal', 'recherche sans accent');
	assert.equal(await page.locator(`#person-${marechal}`).count(), 1, '"marechal" finds Maréchal');
	assert.match(await page.locator(`#person-${marechal} th`).innerText(), /Maréchal/);
	assert.equal(await page.locator(`#person-${lemaire}`).count(), 0);

	await search('Maréchal', 'recherche avec accent');
	assert.equal(await page.locator(`#person-${marechal}`).count(), 1, '"Maréchal" finds Maréchal');

	await search('MARÉCHAL élodie', 'recherche nom et prénom');
	assert.equal(await page.locator(`#person-${marechal}`).count(), 1, '"MARÉCHAL élodie" finds her');

	await search('lemaire benoît', 'recherche accent absent de la fiche');
	assert.equal(await page.locator(`#person-${lemaire}`).count(), 1, '"benoît" finds Benoit');
	assert.equal(await page.locator(`#person-${marechal}`).count(), 0);

	const rows = await search('Zyxwvutsky', 'recherche sans résultat');
	assert.equal(await rows.count(), 0);
	assert.ok((await page.locator('#person-count').innerText()).trim().length > 0, 'the count says so');

	// A result opens the person's page.
	await search('marechal', 'recherche avant ouverture');
	await submit(page, page.locator(`#person-${marechal} th a`), 'fiche Maréchal');
	assert.equal(idFromUrl(page), marechal);
	await page.context().close();
});
