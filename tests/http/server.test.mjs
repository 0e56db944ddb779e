// The server as a process: keep-alive, malformed requests, structured logs
// without personal data, graceful shutdown on SIGTERM; and the command line's
// exit codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';

import { csrfOf } from './lib/http.mjs';
import { PASSWORD, assertCleanExit, cli, startServer } from './lib/server.mjs';

let srv;
before(async () => {
	srv = await startServer();
});
after(() => srv?.cleanup());

/* One request through node:http: {status, headers, body, reused}. */
function request(agent, method, path, { body, headers = {} } = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ host: '127.0.0.1', port: srv.port, method, path, agent, headers },
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8'),
						reused: req.reusedSocket,
					}),
				);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

/* Sends raw bytes on a new connection; resolves with all that came back. */
function rawExchange(bytes, { closeAfterMs = 1000 } = {}) {
	return new Promise((resolve) => {
		const sock = net.connect(srv.port, '127.0.0.1');
		const chunks = [];
		sock.on('data', (c) => chunks.push(c));
		sock.on('error', () => {});
		sock.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
		sock.write(bytes);
		setTimeout(() => sock.destroy(), closeAfterMs);
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('keep-alive: several requests share one connection', async () => {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	try {
		const a = await request(agent, 'GET', '/healthz');
		const b = await request(agent, 'GET', '/connexion');
		const c = await request(agent, 'GET', '/nexiste-pas');
		const d = await request(agent, 'POST', '/connexion', {
			body: 'csrf=x&email=a%40b.fr&password=y',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		const e = await request(agent, 'GET', '/healthz');
		assert.deepEqual([a.status, b.status, c.status, d.status, e.status], [200, 200, 404, 403, 200]);
		assert.equal(a.reused, false);
		for (const [name, r] of Object.entries({ b, c, d, e }))
			assert.equal(r.reused, true, `request ${name} should reuse the connection`);
		assert.notEqual(a.headers.connection, 'close');
	} finally {
		agent.destroy();
	}
});

test('keep-alive survives a 413 (the body is read and dropped)', async () => {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	try {
		await request(agent, 'GET', '/healthz');
		const big = await request(agent, 'POST', '/connexion', {
			body: Buffer.alloc(2 * 1024 * 1024 + 1, 'x'),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		assert.equal(big.status, 413);
		const next = await request(agent, 'GET', '/healthz');
		assert.equal(next.status, 200);
	} finally {
		agent.destroy();
	}
});

test('413 without reading the body when the client asks "Expect: 100-continue"', async () => {
	const head =
		'POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
		'Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n';
	const got = await rawExchange(head, { closeAfterMs: 500 });
	assert.match(got, /^HTTP\/1\.1 413 /);
	assert.doesNotMatch(got, /100 Continue/);
});

test('413 at once for a body announced bigger than what is worth reading', async () => {
	const head =
		'POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
		'Content-Length: 100000000\r\n\r\n';
	const got = await rawExchange(head, { closeAfterMs: 500 });
	assert.match(got, /^HTTP\/1\.1 413 /);
});

test('a 413 for a chunked body bigger than the limit', async () => {
	const agent = new http.Agent({ keepAlive: false });
	try {
		const r = await new Promise((resolve, reject) => {
			const req = http.request(
				{ host: '127.0.0.1', port: srv.port, method: 'POST', path: '/connexion', agent,
					headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' } },
				(res) => {
					res.resume();
					res.on('end', () => resolve(res.statusCode));
				},
			);
			req.on('error', reject);
			const piece = Buffer.alloc(64 * 1024, 'y');
			for (let i = 0; i < 24; i++) req.write(piece);
			req.end();
		});
		assert.equal(r, 413);
	} finally {
		agent.destroy();
	}
});

test('malformed requests get an error and leave the server healthy', async () => {
	const garbage = await rawExchange('BONJOUR\r\n\r\n', { closeAfterMs: 500 });
	assert.match(garbage, /^HTTP\/1\.[01] 400 |^$/);
	const badVersion = await rawExchange('GET /healthz HTTP/7.3\r\nHost: x\r\n\r\n', { closeAfterMs: 500 });
	assert.match(badVersion, /^HTTP\/1\.[01] 505 |^$/);
	const hugeHeader = await rawExchange(
		`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(200000)}\r\n\r\n`,
		{ closeAfterMs: 800 },
	);
	assert.match(hugeHeader, /^HTTP\/1\.1 (413|431|400) |^$/);
	/* a client that goes away in the middle of its body */
	await rawExchange(
		'POST /connexion HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=',
		{ closeAfterMs: 100 },
	);
	const res = await fetch(srv.base + '/healthz');
	assert.equal(res.status, 200);
});

test('the request id of the response is the one of the log line', async () => {
	const res = await fetch(srv.base + '/healthz?trace=1');
	const id = res.headers.get('x-request-id');
	assert.match(id, /^[0-9a-f]{16}$/);
	await sleep(50);
	const line = srv.logLines().find((l) => l.includes(id));
	assert.ok(line, `no log line with request id ${id}`);
	const ev = JSON.parse(line);
	assert.equal(ev.request_id, id);
	assert.equal(ev.route, '/healthz');
	assert.equal(ev.status, 200);
});

test('structured logs: JSON lines with the request fields, no personal data, no secrets', async () => {
	const before = srv.logLines().length;
	/* traffic: a good login, bad logins, a page, unknown addresses */
	const s = await srv.login('instructeur@A');
	const cookie = s.jar.get('cassis_session');
	await s.get('/');
	await s.get('/gaelle-chemin-secret?email=gaelle%40ccas-essai.fr');
	const anon = srv.newSession();
	const form = await anon.get('/connexion');
	await anon.post('/connexion', { csrf: csrfOf(form.text), email: srv.users['auditeur@B'].email, password: 'Mauvais-Secret-123' }, { csrf: false });
	await sleep(100);

	const lines = srv.logLines();
	assert.ok(lines.length > 5, 'too few log lines');
	const forbidden = [PASSWORD, 'Mauvais-Secret-123', cookie, s.csrf, 'gaelle-chemin-secret', 'Gaëlle', 'Ga\\u00ebl'];
	for (const u of Object.values(srv.users)) forbidden.push(u.email, u.name);
	let requests = 0;
	for (const line of lines) {
		let ev;
		assert.doesNotThrow(() => {
			ev = JSON.parse(line);
		}, `log line is not JSON: ${line}`);
		assert.match(ev.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, line);
		assert.ok(['debug', 'info', 'warn', 'error'].includes(ev.level), line);
		assert.equal(typeof ev.msg, 'string', line);
		for (const f of forbidden) assert.ok(!line.includes(f), `log line contains ${JSON.stringify(f)}: ${line}`);
		if (ev.msg !== 'request') continue;
		requests++;
		assert.match(ev.request_id, /^[0-9a-f]{16}$/, line);
		assert.equal(typeof ev.route, 'string', line);
		assert.ok(ev.route === '-' || ev.route.startsWith('/'), line);
		if (ev.aborted) assert.ok(['client', 'timeout', 'shutdown', 'error'].includes(ev.aborted), line);
		else assert.ok(Number.isInteger(ev.status) && ev.status >= 100 && ev.status < 600, line);
		assert.equal(typeof ev.duration_ms, 'number', line);
		assert.ok(ev.duration_ms >= 0, line);
		assert.equal(typeof ev.method, 'string', line);
		assert.equal(ev.level, ev.status >= 500 ? 'error' : 'info', line);
	}
	assert.ok(requests >= 5, `only ${requests} request lines`);
	const login = lines.slice(before).map((l) => JSON.parse(l)).filter((e) => e.route === '/connexion' && e.method === 'POST');
	assert.deepEqual(login.map((e) => e.status).sort(), [303, 401]);
});

test('graceful shutdown: SIGTERM lets the request in progress finish, then exits 0', async () => {
	const anon = srv.newSession();
	const page = await anon.get('/connexion');
	const body = new URLSearchParams({
		csrf: csrfOf(page.text),
		email: srv.users['administrateur@A'].email,
		password: PASSWORD,
	}).toString();
	const half = Math.floor(body.length / 2);
	const agent = new http.Agent({ keepAlive: false });
	const done = new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1', port: srv.port, method: 'POST', path: '/connexion', agent,
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					'Content-Length': Buffer.byteLength(body),
					Cookie: anon.cookieHeader(),
				},
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
			},
		);
		req.on('error', reject);
		req.write(body.slice(0, half));
		setTimeout(() => {
			srv.proc.kill('SIGTERM'); /* the request has begun: its headers are in */
			setTimeout(() => req.end(body.slice(half)), 300);
		}, 300);
	});
	const res = await done;
	assert.equal(res.status, 303, 'the login in progress completes');
	assert.equal(res.headers.location, '/');
	assert.ok((res.headers['set-cookie'] || []).some((c) => c.startsWith('cassis_session=') && !c.startsWith('cassis_session=;')));
	const end = await srv.stop();
	assertCleanExit(end);
	const last = srv.logLines().map((l) => JSON.parse(l));
	assert.ok(last.some((e) => e.msg.startsWith('signal')), 'the signal is logged');
	assert.equal(last.at(-1).msg, 'stopped');
	agent.destroy();
});

test('a stopped server refuses new connections', async () => {
	await assert.rejects(fetch(srv.base + '/healthz'));
});

/* The subcommands as `cassis --help` lists them. */
function subcommands() {
	const out = cli(['--help']);
	assert.equal(out.status, 0);
	const after = out.stdout.split('Commandes :')[1] || '';
	return [...after.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]);
}

test('CLI: `cassis --help` lists the subcommands and exits 0', () => {
	const names = subcommands();
	for (const n of ['serve', 'migrate', 'tenant', 'user', 'routes']) assert.ok(names.includes(n), n);
});

test('CLI: every subcommand has --help (exit 0, usage in French on stdout)', () => {
	for (const name of subcommands()) {
		const r = cli([name, '--help']);
		assert.equal(r.status, 0, `cassis ${name} --help: status ${r.status}\n${r.stderr}`);
		assert.match(r.stdout, /^Usage : cassis /m, `cassis ${name} --help`);
	}
});

test('CLI: an unknown flag of every subcommand exits 2 with a French message', () => {
	for (const name of subcommands()) {
		const r = cli([name, '--option-inexistante']);
		assert.equal(r.status, 2, `cassis ${name} --option-inexistante: status ${r.status}`);
		assert.match(r.stderr, /^cassis [a-z-]+ ?: .*(inconnue?|invalide|attendu)/m, `cassis ${name}: ${r.stderr}`);
	}
});

test('CLI: bad values exit 2 with a clear French message', () => {
	const bad = [
		[[], /Usage : cassis/],
		[['commande-inconnue'], /commande inconnue « commande-inconnue »/],
		[['serve', '--port', 'abc'], /le port doit être un nombre de 1 à 65535/],
		[['serve', '--port', '70000'], /le port doit être un nombre de 1 à 65535/],
		[['serve', '--port'], /option inconnue ou valeur manquante/],
		[['serve', '--threads', '0'], /--threads attend un nombre de 1 à 256/],
		[['serve', '--log-level', 'bavard'], /niveau de journal inconnu/],
		[['serve', 'en-trop'], /argument inattendu/],
		[['tenant', 'supprimer'], /sous-commande inconnue/],
		[['tenant', 'list', '--bogus'], /option inconnue/],
		[['user', 'effacer'], /sous-commande inconnue/],
		[['user', 'list', '--role'], /option inconnue ou valeur manquante/],
		[['routes', 'en-trop'], /argument inattendu/],
	];
	for (const [args, re] of bad) {
		const r = cli(args);
		assert.equal(r.status, 2, `cassis ${args.join(' ')}: status ${r.status}\n${r.stderr}`);
		assert.match(r.stderr, re, `cassis ${args.join(' ')}`);
	}
	const env = cli(['serve', '--help'], { env: { CASSIS_PORT: 'quatre-vingts' } });
	assert.equal(env.status, 2, 'a bad CASSIS_PORT is refused');
});

test('CLI: invalid data for tenant add and user add exit 2 and say which field', () => {
	const db = `sqlite:${srv.dir}/cli.db`;
	const t = cli(['tenant', 'add', '--db', db, '--name', 'CCAS', '--siret', '12345678901234', '--communes', '75056']);
	assert.equal(t.status, 2);
	assert.match(t.stderr, /--siret : /);
	const u = cli(['user', 'add', '--db', db, '--tenant', '99999999999999', '--email', 'a@b.fr', '--name', 'X',
		'--role', 'instructeur', '--password-file', '/nonexistent']);
	assert.equal(u.status, 2);
});

test('CLI: `cassis routes --json` lists every route with its kind and permission', () => {
	const r = cli(['routes', '--json']);
	assert.equal(r.status, 0);
	const routes = JSON.parse(r.stdout);
	assert.ok(routes.length >= 6);
	for (const rt of routes) {
		assert.match(rt.method, /^(GET|POST|PUT|PATCH|DELETE)$/);
		assert.match(rt.pattern, /^\//);
		assert.ok(['public', 'page', 'api'].includes(rt.kind), rt.kind);
		assert.match(rt.permission, /^[a-z_]+$/);
		assert.ok(Array.isArray(rt.roles));
	}
	assert.ok(routes.some((x) => x.method === 'GET' && x.pattern === '/healthz' && x.kind === 'public'));
	const table = cli(['routes']);
	assert.equal(table.status, 0);
	assert.match(table.stdout, /^GET +\/healthz +public +none$/m);
});
