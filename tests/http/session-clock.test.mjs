// Session lifetimes, with the server's clock moved by the test: the server
// runs in test mode with CASSIS_NOW=@FILE, and each write of FILE sets "now".
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer, assertCleanExit } from './lib/server.mjs';

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-clock-'));
const clockFile = path.join(clockDir, 'now');
const start = Date.parse('2027-03-01T09:00:00Z') / 1000;
/* A new file renamed into place: the server never reads a half-written one. */
const setNow = (t) => {
	fs.writeFileSync(`${clockFile}.new`, `${t}\n`);
	fs.renameSync(`${clockFile}.new`, clockFile);
};

let srv;
before(async () => {
	setNow(start);
	srv = await startServer({ env: { CASSIS_NOW: `@${clockFile}` } });
});
after(async () => {
	if (srv) {
		assertCleanExit(await srv.stop());
		srv.cleanup();
	}
	fs.rmSync(clockDir, { recursive: true, force: true });
});

async function signedIn(s) {
	const res = await s.get('/');
	return res.status === 200;
}

test('a session ends after 30 minutes without a request', async () => {
	setNow(start);
	const s = await srv.login('instructeur@A');
	setNow(start + 29 * 60);
	assert.ok(await signedIn(s), 'still signed in after 29 minutes of inactivity');
	setNow(start + 29 * 60 + 31 * 60);
	const res = await s.get('/');
	assert.equal(res.status, 303, 'idle for 31 minutes: sent back to the login page');
	assert.equal(res.headers.get('location'), '/connexion');
});

test('a session ends 12 hours after login, however active', async () => {
	setNow(start);
	const s = await srv.login('valideur@A');
	for (let m = 20; m < 12 * 60; m += 20) {
		setNow(start + m * 60);
		assert.ok(await signedIn(s), `a request every 20 minutes: still valid after ${m} minutes`);
	}
	setNow(start + 12 * 3600 + 1);
	const res = await s.get('/');
	assert.equal(res.status, 303, 'past 12 hours: signed out');
});

test('a lockout ends after 15 minutes', async () => {
	setNow(start);
	const s = srv.newSession();
	const u = srv.users['verrou@A'];
	for (let i = 0; i < 5; i++)
		await assert.rejects(s.login(u.email, 'mauvais-mot-de-passe'), /refused: 401/);
	setNow(start + 14 * 60);
	await assert.rejects(srv.login('verrou@A'), 'still locked after 14 minutes');
	setNow(start + 16 * 60);
	const ok = await srv.login('verrou@A');
	assert.ok(await signedIn(ok), 'the lock is over after 15 minutes');
});
