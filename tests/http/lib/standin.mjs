// A real `cassis standin particulier` on 127.0.0.1, for the tests of the
// stand-in itself and for the other test files that need API Particulier
// (the client, the consultation in a dossier).
//
//   const s = await startStandin({ tokens: ['jeton cnaf_quotient_familial'] });
//   const res = await fetch(s.url + '/v3/dss/quotient_familial/identite?' + qfQuery(params),
//                           { headers: { Authorization: 'Bearer jeton' } });
//   const end = await s.stop();          // SIGTERM; {code, signal, stderr}
//
// fixtures: a folder (default: the project's set, standin/fixtures/api-particulier);
// tokens: a file path, or the lines of a tokens file (written to a temporary
// file); args: more command-line options (--rate 0, --latency-ms 300...);
// api: the stand-in to start (default particulier; impots: see lib/impots.mjs);
// port: 0 (default) lets the system choose a free port, read back from the
// "listening on" line. CASSIS_BIN names the binary, as for lib/server.mjs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BIN, ROOT, assertNoSanitizerReport } from './server.mjs';

/* The project's fixture set (in the repository). */
export const PROJECT_FIXTURES = path.join(ROOT, 'standin', 'fixtures', 'api-particulier');

/* The operation folder of GET /v3/dss/quotient_familial/identite. */
export const QF_OPERATION = 'api_particulier_v3_cnav_quotient_familial_with_civility';

/* The State's sandbox files beside the project (CASSIS_SHARED, else
 * ../shared), or null when they are not there (a fresh clone elsewhere). */
export function sharedFixtures() {
	const root = process.env.CASSIS_SHARED || path.resolve(ROOT, '..', 'shared');
	const dir = path.join(root, 'fixtures', 'api-particulier');
	return fs.existsSync(path.join(dir, QF_OPERATION)) ? dir : null;
}

/* The query string of a call: params as a fixture's "params" (arrays become
 * prenoms[]=...), plus recipient unless it is null. */
export function qfQuery(params, recipient = '13002526500013') {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) {
		if (v === null || v === undefined) continue;
		if (Array.isArray(v)) for (const x of v) q.append(`${k}[]`, String(x));
		else q.append(k, String(v));
	}
	if (recipient !== null) q.append('recipient', recipient);
	return q.toString();
}

function tokensFile(tokens, dir) {
	if (!tokens) return null;
	if (typeof tokens === 'string') return tokens;
	const file = path.join(dir, 'jetons');
	fs.writeFileSync(file, tokens.join('\n') + '\n');
	return file;
}

function waitListening(proc, out, timeoutMs) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error(`cassis standin not listening after ${timeoutMs} ms:\n${out.text}`));
		}, timeoutMs);
		const check = () => {
			const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out.stdout);
			if (m) {
				clearTimeout(timer);
				resolve({ url: m[1], port: Number(m[2]) });
			}
		};
		proc.stdout.on('data', (d) => {
			out.stdout += d;
			out.text += d;
			check();
		});
		proc.on('exit', (code, signal) => {
			clearTimeout(timer);
			reject(new Error(`cassis standin exited (${code ?? signal}):\n${out.text}`));
		});
	});
}

/* Starts the stand-in: {url, port, proc, dir, output(), stop()}. */
export async function startStandin({ api = 'particulier', fixtures = PROJECT_FIXTURES, tokens, args = [], port = 0, env } = {}) {
	if (!fs.existsSync(BIN)) throw new Error(`no cassis binary at ${BIN} (set CASSIS_BIN)`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-standin-'));
	const file = tokensFile(tokens, dir);
	const argv = ['standin', api, '--port', String(port), '--fixtures', fixtures,
		...(file ? ['--tokens', file] : []), ...args];
	const proc = spawn(BIN, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	const out = { stdout: '', text: '' };
	proc.stdout.setEncoding('utf8');
	proc.stderr.setEncoding('utf8');
	proc.stderr.on('data', (d) => {
		out.text += d;
	});
	const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
	let where;
	try {
		where = await waitListening(proc, out, 15000);
	} catch (e) {
		proc.kill('SIGKILL');
		fs.rmSync(dir, { recursive: true, force: true });
		throw e;
	}
	let stopped = null;
	return {
		...where,
		proc,
		dir,
		/* stdout and stderr so far (the JSON log lines are on stderr). */
		output: () => out.text,
		/* SIGTERM, then the exit: {code, signal, stderr}; fails on a
		 * sanitizer report. */
		async stop(timeoutMs = 20000) {
			if (!stopped) {
				proc.kill('SIGTERM');
				const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
				const e = await exited;
				clearTimeout(timer);
				fs.rmSync(dir, { recursive: true, force: true });
				assertNoSanitizerReport(out.text, 'cassis standin');
				stopped = { ...e, stderr: out.text };
			}
			return stopped;
		},
	};
}
