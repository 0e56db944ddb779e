// Signing in and out in a real browser: good and bad password, lockout,
// logout, and the sign-in form used with the keyboard only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
	PASSWORD,
	checkPage,
	flashText,
	focused,
	login,
	openSuite,
	submit,
	visit,
} from './lib.mjs';

let env;
before(async () => {
	env = await openSuite('auth');
});
after(() => env?.close());

/* Fills and sends the sign-in form; returns after the answer is loaded. */
async function tryLogin(page, email, password, label) {
	await page.locator('#email').fill(email);
	await page.locator('#password').fill(password);
	await submit(page, page.getByRole('button', { name: 'Se connecter' }), label);
}

test('a good password opens the dashboard with the CCAS name and the user', async () => {
	const page = await env.newPage();
	const u = env.users['instructeur@A'];
	await login(page, env, 'instructeur@A');
	assert.equal(new URL(page.url()).pathname, '/');
	await assert.doesNotReject(page.locator('h1').waitFor());
	assert.equal(await page.locator('.site-header .brand').innerText(), 'CCAS de Valbonne-sur-Test');
	assert.match(await page.locator('footer').innerText(), new RegExp(u.name));
	assert.match(await page.title(), /CCAS de Valbonne-sur-Test/);
	await page.context().close();
});

test('a bad password is refused with a message that gets the focus', async () => {
	const page = await env.newPage();
	const u = env.users['valideur@A'];
	await visit(page, '/connexion', 'connexion');
	await tryLogin(page, u.email, 'pas-le-bon-mot-de-passe', 'mauvais mot de passe');
	assert.equal(new URL(page.url()).pathname, '/connexion');
	const error = page.locator('#login-error');
	assert.match(await error.innerText(), /incorrect/);
	assert.equal(await error.getAttribute('role'), 'alert');
	assert.equal((await focused(page)).id, 'login-error', 'the focus goes to the error message');
	assert.equal(await page.locator('#email').inputValue(), u.email, 'the e-mail address is kept');
	assert.equal(await page.locator('#password').inputValue(), '', 'the password is not sent back');
	assert.equal(await page.locator('#email').getAttribute('aria-describedby'), 'login-error');
	assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
	const cookies = await page.context().cookies();
	assert.ok(!cookies.some((c) => c.name === 'cassis_session'), 'no session after a refusal');
	// The same form then accepts the right password.
	await tryLogin(page, u.email, PASSWORD, 'bon mot de passe après échec');
	assert.equal(new URL(page.url()).pathname, '/');
	await page.context().close();
});

test('five failures lock the account: even the right password is refused', async () => {
	const page = await env.newPage();
	const u = env.users['verrou@A'];
	await visit(page, '/connexion', 'connexion');
	for (let i = 1; i <= 5; i++) await tryLogin(page, u.email, `faux-mot-de-passe-${i}`, `échec ${i}`);
	await tryLogin(page, u.email, PASSWORD, 'compte verrouillé');
	assert.equal(new URL(page.url()).pathname, '/connexion');
	assert.match(await page.locator('#login-error').innerText(), /verrouillé/);
	const cookies = await page.context().cookies();
	assert.ok(!cookies.some((c) => c.name === 'cassis_session'), 'a locked account gets no session');
	await page.context().close();
});

test('logout closes the session and protected pages lead back to the sign-in form', async () => {
	const page = await env.newPage();
	await login(page, env, 'sortie@A');
	await submit(page, page.getByRole('button', { name: 'Se déconnecter' }), 'déconnecté');
	assert.equal(new URL(page.url()).pathname, '/connexion');
	assert.equal(await flashText(page), 'Vous êtes déconnecté.');
	assert.equal(await page.locator('nav form[action="/deconnexion"]').count(), 0);
	const res = await page.goto('/usagers');
	assert.equal(new URL(page.url()).pathname, '/connexion', `GET /usagers after logout: ${res.status()}`);
	await checkPage(page, 'usagers après déconnexion');
	await page.context().close();
});

test('keyboard only: skip link, then the sign-in form filled with Tab and sent with Enter', async () => {
	const page = await env.newPage();
	const u = env.users['accueil@A'];
	await visit(page, '/connexion', 'connexion clavier');
	await page.keyboard.press('Tab');
	let f = await focused(page);
	assert.equal(f.text, 'Aller au contenu', 'the first Tab stop is the skip link');
	const box = await page.locator('.skip-link').boundingBox();
	assert.ok(box && box.x >= 0 && box.y >= 0 && box.width > 0, 'the focused skip link is visible');
	await page.waitForTimeout(300); /* Pico's colour transition on links */
	const look = await page.locator('.skip-link').evaluate((a) => {
		const s = getComputedStyle(a);
		return [s.backgroundColor, s.color];
	});
	assert.deepEqual(look, ['rgb(255, 191, 71)', 'rgb(0, 0, 0)'], 'the focused skip link stands out');
	await page.screenshot({ path: env.shotPath('lien d evitement'), fullPage: false });
	await page.keyboard.press('Enter');
	f = await focused(page);
	assert.equal(f.id, 'contenu', 'the skip link moves the focus to the main content');
	assert.equal(new URL(page.url()).hash, '#contenu');
	await page.keyboard.press('Tab');
	assert.equal((await focused(page)).id, 'email', 'after the skip link, Tab reaches the e-mail field');
	await page.keyboard.type(u.email);
	await page.keyboard.press('Tab');
	assert.equal((await focused(page)).id, 'password');
	await page.keyboard.type(PASSWORD);
	await submit(page, () => page.keyboard.press('Enter'), 'connecté au clavier');
	assert.equal(new URL(page.url()).pathname, '/');
	assert.match(await page.locator('footer').innerText(), new RegExp(u.name));
	// On a signed-in page too, the first Tab stop is the skip link.
	await page.keyboard.press('Tab');
	assert.equal((await focused(page)).text, 'Aller au contenu');
	await page.keyboard.press('Enter');
	assert.equal((await focused(page)).id, 'contenu');
	await page.context().close();
});
