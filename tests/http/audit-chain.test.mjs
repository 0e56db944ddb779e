// `cassis audit verify` on a real database written by a real server: exit 0
// on the intact chain, 1 after any tampering done behind Cassis's back with
// the database's own shell (UPDATE of an entry or of its changes, DELETE,
// INSERT, two ids swapped, the tail cut off and found through the head kept
// in the server log), saying where in French; 2 on bad usage. SQLite by
// default, PostgreSQL when CASSIS_TEST_PG is set.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { Fixtures } from './lib/fixtures.mjs';
import { psql } from './lib/pg.mjs';
import { TENANTS, assertCleanExit, cli, startPeer, startServer } from './lib/server.mjs';

let srv, ids, logLines;

/* Runs SQL on the test database with its own shell: rows as arrays of
 * strings. */
function sql(text) {
	let out;
	if (srv.dbPath) {
		const r = spawnSync('sqlite3', [srv.dbPath, text], { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`sqlite3 ${text}: ${r.stderr}`);
		out = r.stdout;
	} else {
		out = psql(srv.dbUrl, text);
	}
	return out.split('\n').filter(Boolean).map((l) => l.split('|'));
}

const tenantA = `(SELECT id FROM tenants WHERE siret = '${TENANTS.A.siret}')`;

function verify(...args) {
	return cli(['audit', 'verify', '--db', srv.dbUrl, ...args]);
}

/* Puts the audit log back as it was written. */
function restore() {
	sql('DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_copy');
}

before(async () => {
	srv = await startServer();
	const fx = new Fixtures(srv);
	await fx.get('A', 'person');
	await fx.get('A', 'person2');
	await fx.get('B', 'person');
	const s = await srv.session('administrateur@A');
	assert.equal((await s.get('/audit')).status, 200);
	const end = await srv.stop(); /* nothing writes while the tests tamper */
	assertCleanExit(end);
	logLines = srv.logLines();
	sql('CREATE TABLE audit_copy AS SELECT * FROM audit_log');
	ids = sql(`SELECT id FROM audit_log WHERE tenant_id = ${tenantA} ORDER BY id`).map((r) => Number(r[0]));
	assert.ok(ids.length >= 4, `tenant A has ${ids.length} audit entries`);
});

after(() => srv?.cleanup());

test('the intact chain verifies: exit 0', () => {
	const r = verify();
	assert.equal(r.status, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /Journal d'audit intact\./);
	assert.match(r.stdout, new RegExp(`SIRET ${TENANTS.A.siret}\\) : ${ids.length} entrées, intacte`));
	assert.match(r.stdout, /Chaîne de la plateforme/);
	const one = verify('--tenant', TENANTS.B.siret);
	assert.equal(one.status, 0);
	assert.doesNotMatch(one.stdout, new RegExp(TENANTS.A.siret));
});

test('the server logs the head of each chain', () => {
	const heads = logLines
		.map((l) => JSON.parse(l))
		.filter((l) => l.event === 'audit_head' && l.tenant === TENANTS.A.siret);
	assert.ok(heads.length >= 1, 'no audit_head line for tenant A in the server log');
	assert.match(heads[0].hash, /^[0-9a-f]{64}$/);
	assert.equal(heads[0].intact, true);
});

for (const c of [
	{
		name: 'an entry updated',
		tamper: () => sql(`UPDATE audit_log SET actor_label = 'quelqu.un@ailleurs.fr' WHERE id = ${ids[1]}`),
		where: () => ids[1],
		says: /ne correspond plus à son empreinte/,
	},
	{
		name: 'the changes of an entry updated',
		tamper: () => sql(`UPDATE audit_log SET changes = '{}' WHERE id = ${ids[1]}`),
		where: () => ids[1],
		says: /modifications enregistrées ne correspondent plus/,
	},
	{
		name: 'an entry deleted',
		tamper: () => sql(`DELETE FROM audit_log WHERE id = ${ids[1]}`),
		where: () => ids[2],
		says: /supprimée, insérée ou déplacée/,
	},
	{
		name: 'an entry inserted',
		tamper: () => sql(`INSERT INTO audit_log (tenant_id, actor_label, action, object_type, object_id, changes, at) ` +
			`VALUES (${tenantA}, 'x@y.fr', 'suppression', 'person', 1, '{}', 1700000000)`),
		where: () => Number(sql(`SELECT max(id) FROM audit_log`)[0][0]),
		says: /aucune empreinte/,
	},
	{
		name: 'two entries swapped',
		tamper: () => sql(`UPDATE audit_log SET id = -1 WHERE id = ${ids[1]}; ` +
			`UPDATE audit_log SET id = ${ids[1]} WHERE id = ${ids[2]}; UPDATE audit_log SET id = ${ids[2]} WHERE id = -1`),
		where: () => ids[1],
		says: /chaînage est rompu/,
	},
]) {
	test(`${c.name}: exit 1, saying where`, () => {
		try {
			c.tamper();
			const r = verify();
			assert.equal(r.status, 1, r.stdout + r.stderr);
			assert.match(r.stdout, /ALTÉRÉE/);
			assert.match(r.stdout, /Journal d'audit altéré/);
			const line = r.stdout.split('\n').find((l) => l.includes(`entrée n° ${c.where()} :`));
			assert.ok(line, `no line for entry ${c.where()}:\n${r.stdout}`);
			assert.match(r.stdout, c.says);
			if (!/aucune empreinte/.test(line))
				assert.match(line, /attendue? .*[0-9a-f]{64}.*trouvée [0-9a-f]{64}/);
			// the other CCAS's chain is not concerned
			assert.equal(verify('--tenant', TENANTS.B.siret).status, 0);
			const json = JSON.parse(verify('--tenant', TENANTS.A.siret, '--json').stdout);
			assert.equal(json.intact, false);
			assert.ok(json.chains[0].errors.some((e) => e.id === c.where()));
		} finally {
			restore();
		}
		assert.equal(verify().status, 0);
	});
}

test('the tail cut off is found with the head kept elsewhere (--head)', () => {
	const rep = JSON.parse(verify('--tenant', TENANTS.A.siret, '--json').stdout);
	const { last_id: lastId, hash } = rep.chains[0];
	assert.equal(lastId, ids[ids.length - 1]);
	try {
		sql(`DELETE FROM audit_log WHERE id = ${lastId}`);
		assert.equal(verify('--tenant', TENANTS.A.siret).status, 0); /* the chain alone cannot tell */
		const r = verify('--tenant', TENANTS.A.siret, '--head', `${lastId}:${hash}`);
		assert.equal(r.status, 1, r.stdout);
		assert.match(r.stdout, new RegExp(`entrée n° ${lastId} : l'entrée de l'ancre est absente`));
	} finally {
		restore();
	}
	assert.equal(verify('--tenant', TENANTS.A.siret, '--head', `${lastId}:${hash}`).status, 0);
});

test('bad usage: exit 2', () => {
	assert.equal(cli(['audit']).status, 2);
	assert.equal(cli(['audit', 'check']).status, 2);
	assert.equal(verify('--inconnue').status, 2);
	assert.equal(verify('--tenant', TENANTS.A.siret, '--head', '12').status, 2);
	assert.equal(verify('--head', `1:${'0'.repeat(64)}`).status, 2);
	const unknown = verify('--tenant', '21750001600027');
	assert.equal(unknown.status, 2);
	assert.match(unknown.stderr, /aucun CCAS de SIRET/);
	const help = cli(['audit', 'verify', '--help']);
	assert.equal(help.status, 0);
	assert.match(help.stdout, /Statut de sortie/);
});

test('concurrent writers keep one chain (two processes on PostgreSQL)', async () => {
	const a = await startServer();
	const servers = [a];
	try {
		if (!a.dbPath) servers.push(await startPeer(a)); /* several processes: PostgreSQL only */
		const keys = [];
		for (const srvI of servers) {
			const k = srvI.newSession();
			k.apiKey = await a.apiKey('instructeur@A');
			keys.push(k);
		}
		const made = await Promise.all(Array.from({ length: 40 }, (_, i) =>
			keys[i % keys.length].request('POST', '/api/v1/persons', {
				json: {
					nom_naissance: `Concurrent${String.fromCharCode(65 + (i % 26))}`, prenoms: ['Léa'], sexe: 'F',
					date_naissance: '1980-01-01', lieu_naissance: { type: 'commune', code: '75056' },
					nationalite: 'francaise',
				},
			})));
		for (const r of made) assert.equal(r.status, 201, r.text);
		for (const s of servers) assertCleanExit(await s.stop());
		const r = cli(['audit', 'verify', '--db', a.dbUrl, '--tenant', TENANTS.A.siret, '--json']);
		assert.equal(r.status, 0, r.stdout + r.stderr);
		const chain = JSON.parse(r.stdout).chains[0];
		assert.ok(chain.entries >= 40, `${chain.entries} entries`);
	} finally {
		for (const s of servers.reverse()) s.cleanup();
	}
});
