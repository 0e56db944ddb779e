// Shared helpers of the browser tests: Debian's chromium driven by
// playwright-core, a seeded `cassis serve` from tests/http/lib/server.mjs,
// and axe-core after every page the tests reach.
//
//   const env = await openSuite('persons');     // in before()
//   const page = await env.newPage();
//   await login(page, env, 'instructeur@A');    // through the sign-in form
//   await visit(page, '/usagers', 'recherche'); // goto + axe + screenshot
//   await submit(page, page.locator('#person-submit'), 'fiche créée');
//   ...
//   await env.close();                          // in after()
//
// Screenshots go to CASSIS_SHOTS_DIR (default: <tmpdir>/cassis-browser-shots).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { PASSWORD, assertNoSanitizerReport, cli, startServer } from '../http/lib/server.mjs';

export { PASSWORD };

export const CHROMIUM = process.env.CASSIS_CHROMIUM || '/usr/bin/chromium';

export const SHOTS_DIR =
	process.env.CASSIS_SHOTS_DIR || path.join(os.tmpdir(), 'cassis-browser-shots');

const LAUNCH_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/* axe-core, injected into every document of the tests' contexts before the
 * page's own scripts (through the DevTools protocol: the page's CSP does not
 * apply). Calling axe.run() in the page is many times faster than
 * @axe-core/playwright's AxeBuilder, which injects it again on each call. */
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/* Impacts that fail a test; the others are only listed at the end. */
const BLOCKING = new Set(['serious', 'critical']);

/* Launches Debian's chromium (never a downloaded browser), headless. */
export function launchBrowser() {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt-get install chromium)`);
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
}

function slug(text) {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 60);
}

/* One test file's world: a seeded server, a browser, and its pages. */
class Suite {
	constructor(name, srv, browser) {
		this.name = name;
		this.srv = srv;
		this.browser = browser;
		this.base = srv.base;
		this.users = srv.users;
		this.shots = 0;
		this.minor = new Map(); /* "rule (impact)" -> Set of paths */
		fs.mkdirSync(SHOTS_DIR, { recursive: true });
		for (const f of fs.readdirSync(SHOTS_DIR))
			if (f.startsWith(`${name}-`) && f.endsWith('.png')) fs.rmSync(path.join(SHOTS_DIR, f));
	}

	/* A page in a fresh context (its own cookies). Console errors and page
	 * errors (a CSP violation is one) are collected in page.cassisErrors. */
	async newPage() {
		const context = await this.browser.newContext({
			baseURL: this.base,
			locale: 'fr-FR',
			viewport: { width: 1280, height: 900 },
		});
		context.setDefaultTimeout(10000);
		await context.addInitScript({ content: AXE_SOURCE });
		const page = await context.newPage();
		page.cassisSuite = this;
		page.cassisErrors = [];
		page.on('console', (msg) => {
			/* failed loads are judged by the response handler below: a
			 * page answered 401 or 422 is expected, a missing stylesheet
			 * is not */
			if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text()))
				page.cassisErrors.push(`console: ${msg.text()}`);
		});
		page.on('response', (res) => {
			const req = res.request();
			if (res.status() >= 400 && !req.isNavigationRequest())
				page.cassisErrors.push(`${req.method()} ${res.url()}: ${res.status()}`);
		});
		page.on('pageerror', (err) => page.cassisErrors.push(`page error: ${err.message}`));
		return page;
	}

	shotPath(label) {
		this.shots += 1;
		const n = String(this.shots).padStart(2, '0');
		return path.join(SHOTS_DIR, `${this.name}-${n}-${slug(label)}.png`);
	}

	/* Creates a platform administrator account through the command line;
	 * returns its e-mail address (password: PASSWORD). */
	addPlatformAdmin(email = 'plateforme@syndicat-essai.fr') {
		const pw = path.join(this.srv.dir, 'platform-password');
		fs.writeFileSync(pw, PASSWORD + '\n', { mode: 0o600 });
		const r = cli(['user', 'add', '--db', this.srv.dbUrl, '--platform', '--email', email,
			'--name', 'Noël Plateforme', '--password-file', pw]);
		fs.rmSync(pw);
		if (r.status !== 0) throw new Error(`cassis user add --platform failed:\n${r.stdout}${r.stderr}`);
		return email;
	}

	/* Prints the moderate and minor axe findings (they do not fail). */
	reportMinor() {
		for (const [rule, paths] of this.minor)
			console.log(`axe (non bloquant) ${rule}: ${[...paths].join(', ')}`);
	}

	async close() {
		this.reportMinor();
		await this.browser?.close();
		if (this.srv) {
			const end = await this.srv.stop();
			assertNoSanitizerReport(end.stderr, 'cassis serve');
			this.srv.cleanup();
		}
	}
}

/* Starts the server and the browser for one test file. */
export async function openSuite(name, opts = {}) {
	const srv = await startServer(opts);
	let browser;
	try {
		browser = await launchBrowser();
	} catch (e) {
		srv.cleanup();
		throw e;
	}
	return new Suite(name, srv, browser);
}

function describeViolation(v) {
	const nodes = v.nodes
		.slice(0, 8)
		.map((n) => `    - ${n.target.join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`)
		.join('\n');
	return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
}

/* Runs axe-core on the page: fails on any serious or critical violation,
 * printing the rule, the target selectors and the help text. */
export async function checkA11y(page) {
	const results = await page.evaluate(() => {
		if (!window.axe) return null;
		return window.axe.run(document, { resultTypes: ['violations'] });
	});
	assert.ok(results, `axe-core is not loaded in ${page.url()} (not an HTML page?)`);
	const url = new URL(page.url());
	const where = url.pathname + url.search;
	const blocking = results.violations.filter((v) => BLOCKING.has(v.impact));
	for (const v of results.violations.filter((x) => !BLOCKING.has(x.impact))) {
		const key = `${v.id} (${v.impact})`;
		if (!page.cassisSuite.minor.has(key)) page.cassisSuite.minor.set(key, new Set());
		page.cassisSuite.minor.get(key).add(where);
	}
	if (blocking.length)
		assert.fail(`axe-core: ${blocking.length} serious/critical violation(s) on ${where}:\n` +
			blocking.map(describeViolation).join('\n'));
}

/* No console error, page error or CSP violation since the last check. */
export function assertNoPageErrors(page) {
	const errors = page.cassisErrors.filter((e) => !/favicon\.ico/.test(e));
	page.cassisErrors.length = 0;
	assert.deepEqual(errors, [], `errors in the browser on ${page.url()}`);
}

/* What every page the tests reach goes through: no browser error, axe, and
 * a full-page screenshot. */
export async function checkPage(page, label) {
	assertNoPageErrors(page);
	const styles = await page.evaluate(() => {
		const root = getComputedStyle(document.documentElement);
		return {
			pico: root.getPropertyValue('--pico-font-family').trim(),
			cassis: root.getPropertyValue('--cassis-colour').trim(),
		};
	});
	assert.ok(styles.pico, `Pico CSS is not applied on ${page.url()}`);
	assert.ok(styles.cassis, `static/cassis.css or /theme.css is not applied on ${page.url()}`);
	await checkA11y(page);
	/* a full-page capture can take long on a loaded 2-core machine: the
	 * screenshot is a record for people, not what the test checks */
	await page.screenshot({ path: page.cassisSuite.shotPath(label), fullPage: true, timeout: 60000 });
}

/* Opens url (relative to the server) and checks the page; asserts the HTTP
 * status (default 200). Returns the response. */
export async function visit(page, url, label = url, { status = 200 } = {}) {
	const res = await page.goto(url);
	assert.ok(res, `no response for ${url}`);
	assert.equal(res.status(), status, `GET ${url}: status ${res.status()}`);
	await checkPage(page, label);
	return res;
}

/* Runs action (a click, a key press) that leads to a new page, waits for it
 * and checks it. onDialog: 'accept' | 'dismiss' | null (no dialog expected;
 * an unexpected one fails). Returns the dialog's message, if any. */
export async function submit(page, action, label, { onDialog = null } = {}) {
	let message = null;
	const handler = async (dialog) => {
		message = dialog.message();
		if (onDialog === 'accept') await dialog.accept();
		else await dialog.dismiss();
	};
	page.once('dialog', handler);
	try {
		const nav = page.waitForNavigation({ waitUntil: 'load' });
		if (typeof action === 'function') await action();
		else await action.click();
		await nav;
	} finally {
		page.off('dialog', handler);
	}
	if (onDialog === null) assert.equal(message, null, `unexpected dialog: ${message}`);
	else assert.ok(message, 'a confirmation dialog was expected');
	await checkPage(page, label);
	return message;
}

/* Signs in through the sign-in form as "role@T" (or {email}); asserts that
 * the browser leaves /connexion. */
export async function login(page, suite, who, password = PASSWORD) {
	const email = typeof who === 'string' ? suite.users[who].email : who.email;
	await visit(page, '/connexion', 'connexion');
	await page.locator('#email').fill(email);
	await page.locator('#password').fill(password);
	await submit(page, page.getByRole('button', { name: 'Se connecter' }), `après connexion ${email}`);
	assert.notEqual(new URL(page.url()).pathname, '/connexion', `sign-in of ${email} refused`);
}

/* The text of the flash message (role=status) of the page, or null. */
export async function flashText(page) {
	const flash = page.locator('main .flash');
	return (await flash.count()) ? (await flash.innerText()).trim() : null;
}

/* The id of the last path segment of the page's URL (/usagers/12 -> 12). */
export function idFromUrl(page) {
	const m = /\/(\d+)(?:[/?#]|$)/.exec(new URL(page.url()).pathname);
	assert.ok(m, `no id in ${page.url()}`);
	return Number(m[1]);
}

/* Every element with aria-invalid="true" is described (aria-describedby on
 * it, or on its radio group's fieldset) by a displayed .field-error element
 * holding a message; every link of the error summary points to a field
 * marked invalid. Returns {fields: [{id, describedby, messages}], links}. */
export async function assertErrorsTiedToFields(page) {
	const report = await page.evaluate(() => {
		const out = { fields: [], links: [] };
		for (const el of document.querySelectorAll('[aria-invalid="true"]')) {
			const own = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
			const group = el.closest('fieldset[aria-describedby]');
			const ids = own.length ? own : group ? group.getAttribute('aria-describedby').split(/\s+/) : [];
			const errs = ids
				.map((id) => document.getElementById(id))
				.filter((e) => e && e.classList.contains('field-error'));
			out.fields.push({
				id: el.id,
				describedby: ids.join(' '),
				messages: errs.map((e) => e.textContent.trim()),
				visible: errs.every((e) => e.getBoundingClientRect().height > 0),
			});
		}
		for (const a of document.querySelectorAll('.error-summary a[href^="#"]')) {
			const target = document.getElementById(a.getAttribute('href').slice(1));
			out.links.push({
				href: a.getAttribute('href'),
				text: a.textContent.trim(),
				exists: !!target,
				invalid: !!target && target.getAttribute('aria-invalid') === 'true',
			});
		}
		return out;
	});
	assert.ok(report.fields.length > 0, 'no field marked aria-invalid="true"');
	for (const f of report.fields) {
		assert.ok(f.messages.length > 0 && f.messages.every((m) => m.length > 0),
			`field #${f.id}: aria-describedby="${f.describedby}" names no .field-error message`);
		assert.ok(f.visible, `field #${f.id}: its error message is not displayed`);
	}
	for (const l of report.links) {
		assert.ok(l.exists, `error summary link ${l.href} ("${l.text}") points to no element`);
		assert.ok(l.invalid, `error summary link ${l.href} ("${l.text}") points to a field not marked invalid`);
	}
	return report;
}

/* The element that has the focus: {id, tag, cls, text}. */
export function focused(page) {
	return page.evaluate(() => {
		const el = document.activeElement;
		return el
			? { id: el.id, tag: el.tagName.toLowerCase(), cls: el.className, text: (el.textContent || '').trim().slice(0, 80) }
			: null;
	});
}

/* Today in ISO form (YYYY-MM-DD), local time. */
export function todayIso() {
	const d = new Date();
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
