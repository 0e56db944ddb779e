// Turns every case of tests/http/cases/*.json into a node:test test, run in
// order against one seeded server (see lib/cases.mjs for the format).
import { after, before, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import assert from 'node:assert/strict';

import { runCase, sentSecrets } from './lib/cases.mjs';
import { API_KEYS_PATH, PASSWORD, assertCleanExit, startServer } from './lib/server.mjs';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

let srv;
before(async () => {
	srv = await startServer();
});
after(() => srv?.cleanup());

function actors(c) {
	return [c.as, ...c.steps.map((s) => s.as)].filter(Boolean);
}

/* Why the case cannot run on this server yet, or null. */
function missing(c) {
	if (c.skip) return c.skip;
	const absent = (c.requires || []).filter((r) => !srv.hasRoute(r));
	if (absent.length) return `route(s) absente(s) : ${absent.join(', ')}`;
	if (actors(c).some((a) => a.startsWith('apikey:')) && !srv.hasRoute(`POST ${API_KEYS_PATH}`))
		return `clés API : la page ${API_KEYS_PATH} n'existe pas encore`;
	return null;
}

async function actor(as, c) {
	if (as === 'anonymous') return srv.newSession();
	if (as.startsWith('apikey:')) return srv.apiSession(as.slice(7));
	return c.fresh_session ? srv.login(as) : srv.session(as);
}

for (const file of files) {
	const cases = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
	for (const c of cases) {
		test(`${path.basename(file, '.json')} › ${c.name}`, async (t) => {
			const why = missing(c);
			if (why) {
				t.skip(why);
				return;
			}
			await runCase(c, { srv, actor });
		});
	}
}

test('the server stops on SIGTERM with status 0 and no sanitizer report', async () => {
	assertCleanExit(await srv.stop());
});

test('every log line of the run is JSON, and none holds personal data or a secret', async () => {
	const secrets = new Set([PASSWORD, ...sentSecrets, ...srv.keys.values()]);
	for (const u of Object.values(srv.users)) secrets.add(u.email).add(u.name);
	for (const p of srv.sessions.values()) {
		const s = await p.catch(() => null);
		if (s) s.jar.forEach((v) => v.length >= 20 && secrets.add(v));
		if (s?.csrf) secrets.add(s.csrf);
	}
	const lines = srv.logLines();
	assert.ok(lines.length > 100, `only ${lines.length} log lines`);
	for (const line of lines) {
		let ev;
		assert.doesNotThrow(() => (ev = JSON.parse(line)), `not JSON: ${line}`);
		assert.equal(typeof ev.time, 'string', line);
		assert.equal(typeof ev.level, 'string', line);
		for (const secret of secrets)
			assert.ok(!line.includes(secret), `log line holds ${JSON.stringify(secret)}: ${line}`);
		if (ev.msg === 'request') {
			assert.ok(ev.route === '-' || ev.route.startsWith('/'), line);
			assert.ok(!/\/\d/.test(ev.route), `the route is the pattern, not the path: ${line}`);
		}
	}
});
