// The engine of the data-driven cases (tests/http/cases/*.json).
//
// A case file is a JSON list of cases:
//   {"name": "...", "as": "anonymous" | "instructeur@A" | "apikey:instructeur@A",
//    "fresh_session": true,          // a new login instead of the shared one
//    "requires": ["POST /usagers"],  // skipped, with the reason, when a route is missing
//    "skip": "reason",
//    "steps": [STEP, ...]}
// A step:
//   {"as": "...",                    // optional: another actor for this step
//    "method": "GET", "path": "/usagers/${person}",
//    "form": {...} | "json": {...} | "raw": "text" | "raw_base64": "..." | "raw_size": N,
//    "csrf": false | "a wrong token",  // form posts carry the session's token otherwise
//    "headers": {...}, "repeat": N, "no_cookies": true,
//    "expect": {"status": 200 | [200, 303],
//               "headers": {"Name": "exact" | null | {"match": "re"} | {"contains": "s"}},
//               "cookies": {"name": null | {"attrs": {"httponly": true, ...}, "match": "re",
//                                          "value": "v", "not_value": "v"}},
//               "json_subset": {...}, "json_equal": ...,
//               "json_paths": {"$.data": {"len": 2}, "$.data.0.id": {"gt": "${last}"},
//                              "$.next_cursor": {"type": "string"}, "$.x": {"absent": true}},
//               "body_contains": "s" | [...], "body_not_contains": "s" | [...],
//               "body_matches": "re"},
//    "capture": {"var": "$.data.0.id" | "re:regex with (group)" | "header:Location"
//                       | "jar:cookie_name" (the actor's cookie jar after the step)
//                       | {"from": "header:Location" | "body", "re": "..."}}}
// Strings may use ${var}: captured variables, ${password}, ${users.ROLE@T.email|name|id},
// ${tenants.A.siret}. In json_subset, a string "re:..." matches by regular
// expression and "<any>" accepts any value that is present.
import assert from 'node:assert/strict';

import { PASSWORD, TENANTS } from './server.mjs';

function lookup(vars, name) {
	let v = vars;
	for (const part of name.split('.')) {
		if (v === undefined || v === null || !(part in Object(v))) return undefined;
		v = v[part];
	}
	return v;
}

/* Replaces ${var} in every string of value (deeply). A whole-string ${var}
 * keeps the variable's type. */
export function substitute(value, vars) {
	if (typeof value === 'string') {
		const whole = /^\$\{([^}]+)\}$/.exec(value);
		if (whole) {
			const v = lookup(vars, whole[1]);
			if (v === undefined) throw new Error(`unknown variable \${${whole[1]}}`);
			return v;
		}
		return value.replace(/\$\{([^}]+)\}/g, (_, name) => {
			const v = lookup(vars, name);
			if (v === undefined) throw new Error(`unknown variable \${${name}}`);
			return String(v);
		});
	}
	if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
	if (value && typeof value === 'object') {
		const out = {};
		for (const [k, v] of Object.entries(value)) out[k] = substitute(v, vars);
		return out;
	}
	return value;
}

/* Asserts that actual contains expected (objects: the keys given; arrays:
 * the elements given, index by index). */
export function assertSubset(actual, expected, where = '$') {
	if (expected === '<any>') {
		assert.notEqual(actual, undefined, `${where}: missing`);
		return;
	}
	if (typeof expected === 'string' && expected.startsWith('re:')) {
		assert.equal(typeof actual, 'string', `${where}: expected a string, got ${JSON.stringify(actual)}`);
		assert.match(actual, new RegExp(expected.slice(3)), where);
		return;
	}
	if (Array.isArray(expected)) {
		assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
		expected.forEach((e, i) => assertSubset(actual[i], e, `${where}[${i}]`));
		return;
	}
	if (expected && typeof expected === 'object') {
		assert.ok(actual && typeof actual === 'object' && !Array.isArray(actual),
			`${where}: expected an object, got ${JSON.stringify(actual)}`);
		for (const [k, e] of Object.entries(expected)) assertSubset(actual[k], e, `${where}.${k}`);
		return;
	}
	assert.deepEqual(actual, expected, where);
}

const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function checkHeader(res, name, want, ctx) {
	const got = res.headers.get(name);
	if (want === null) {
		assert.equal(got, null, `${ctx}: header ${name} should be absent`);
		return;
	}
	assert.notEqual(got, null, `${ctx}: header ${name} missing`);
	if (typeof want === 'string') assert.equal(got, want, `${ctx}: header ${name}`);
	else if (want.match) assert.match(got, new RegExp(want.match), `${ctx}: header ${name}`);
	else if (want.contains) assert.ok(got.includes(want.contains), `${ctx}: header ${name} = ${got}`);
}

function checkCookie(res, name, want, ctx) {
	const c = res.setCookies.find((x) => x.name === name);
	if (want === null) {
		assert.equal(c, undefined, `${ctx}: no Set-Cookie ${name} expected, got ${c && c.line}`);
		return;
	}
	assert.ok(c, `${ctx}: Set-Cookie ${name} missing`);
	for (const [k, v] of Object.entries(want.attrs || {})) {
		if (v === false) assert.equal(c.attrs[k.toLowerCase()], undefined, `${ctx}: ${c.line}`);
		else assert.equal(c.attrs[k.toLowerCase()], v, `${ctx}: cookie ${name} attribute ${k}: ${c.line}`);
	}
	if (want.match) assert.match(c.line, new RegExp(want.match), `${ctx}: cookie ${name}`);
	if (want.value !== undefined) assert.equal(c.value, want.value, `${ctx}: cookie ${name} value`);
	if (want.not_value !== undefined)
		assert.notEqual(c.value, want.not_value, `${ctx}: cookie ${name} should change`);
}

/* want: a value (deep equality), or {"len": n} | {"gt": n} | {"lt": n} |
 * {"ne": v} | {"absent": true} | {"type": "string"|"number"|"null"|...}. */
function checkPath(res, p, want, ctx) {
	const v = p === '$' ? res.json : lookup(res.json, p.replace(/^\$\./, ''));
	const where = `${ctx}: ${p} = ${JSON.stringify(v)}`;
	if (want === null || typeof want !== 'object' || Array.isArray(want)) {
		assert.deepEqual(v, want, where);
		return;
	}
	if ('absent' in want) assert.equal(v, undefined, where);
	if ('len' in want) assert.equal(v?.length, want.len, where);
	if ('gt' in want) assert.ok(v > Number(want.gt), `${where}, expected > ${want.gt}`);
	if ('lt' in want) assert.ok(v < Number(want.lt), `${where}, expected < ${want.lt}`);
	if ('ne' in want) assert.notDeepEqual(v, want.ne, `${where}, expected another value`);
	if ('type' in want) assert.equal(v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v, want.type, where);
}

export function checkExpect(res, expect, ctx) {
	if (!expect) return;
	const excerpt = () => `\n--- response ${res.status} ---\n${res.text.slice(0, 1500)}`;
	if (expect.status !== undefined)
		assert.ok(list(expect.status).includes(res.status),
			`${ctx}: status ${res.status}, expected ${JSON.stringify(expect.status)}${excerpt()}`);
	for (const [name, want] of Object.entries(expect.headers || {})) checkHeader(res, name, want, ctx);
	for (const [name, want] of Object.entries(expect.cookies || {})) checkCookie(res, name, want, ctx);
	if (expect.json_subset !== undefined) {
		assert.notEqual(res.json, undefined, `${ctx}: not a JSON response${excerpt()}`);
		assertSubset(res.json, expect.json_subset);
	}
	if (expect.json_equal !== undefined) assert.deepEqual(res.json, expect.json_equal, ctx);
	for (const [p, want] of Object.entries(expect.json_paths || {})) checkPath(res, p, want, ctx);
	for (const s of list(expect.body_contains))
		assert.ok(res.text.includes(s), `${ctx}: body should contain ${JSON.stringify(s)}${excerpt()}`);
	for (const s of list(expect.body_not_contains))
		assert.ok(!res.text.includes(s), `${ctx}: body should not contain ${JSON.stringify(s)}${excerpt()}`);
	if (expect.body_matches) assert.match(res.text, new RegExp(expect.body_matches), ctx);
}

function captureOne(res, spec, ctx) {
	if (typeof spec === 'string') {
		if (spec.startsWith('$.') || spec === '$') spec = { from: 'json', path: spec.slice(2) };
		else if (spec.startsWith('re:')) spec = { from: 'body', re: spec.slice(3) };
		else if (spec.startsWith('header:') || spec.startsWith('jar:')) spec = { from: spec };
		else throw new Error(`${ctx}: bad capture ${spec}`);
	}
	let v;
	if (spec.from === 'json') v = spec.path ? lookup(res.json, spec.path) : res.json;
	else if (spec.from === 'body') v = res.text;
	else if (spec.from.startsWith('header:')) v = res.headers.get(spec.from.slice(7));
	else if (spec.from.startsWith('jar:')) v = res.session.jar.get(spec.from.slice(4));
	if (v !== undefined && v !== null && spec.re) {
		const m = new RegExp(spec.re).exec(String(v));
		v = m ? (m.length > 1 ? m[1] : m[0]) : undefined;
	}
	assert.ok(v !== undefined && v !== null, `${ctx}: capture ${JSON.stringify(spec)} found nothing\n${res.text.slice(0, 800)}`);
	/* ids taken from text are numbers, as in the JSON API */
	return typeof v === 'string' && spec.re && /^[1-9][0-9]{0,14}$/.test(v) ? Number(v) : v;
}

function stepBody(step) {
	if (step.form !== undefined) return { form: step.form };
	if (step.json !== undefined) return { json: step.json };
	if (step.raw !== undefined) return { raw: step.raw };
	if (step.raw_base64 !== undefined) return { raw: Buffer.from(step.raw_base64, 'base64') };
	if (step.raw_size !== undefined) return { raw: Buffer.alloc(step.raw_size, 'a') };
	return {};
}

/* Personal data and secrets the cases sent, which no log line may contain. */
export const sentSecrets = new Set();
const SENSITIVE_KEY = /nom|prenom|email|password|telephone|adresse|motif|note|label|csrf/;

function collectSecrets(value, key = '') {
	if (typeof value === 'string') {
		if (SENSITIVE_KEY.test(key) && value.trim().length >= 5) sentSecrets.add(value.trim());
	} else if (Array.isArray(value)) {
		for (const v of value) collectSecrets(v, key);
	} else if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) collectSecrets(v, k);
	}
}

/* Runs one case against srv; actor(as, c) gives the Session of an actor. */
export async function runCase(c, { srv, actor }) {
	const vars = { password: PASSWORD, users: srv.users, tenants: TENANTS };
	const sessions = new Map();
	const sessionOf = async (as) => {
		if (!sessions.has(as)) sessions.set(as, await actor(as, c));
		return sessions.get(as);
	};
	for (const [i, raw] of c.steps.entries()) {
		for (let n = 0; n < (raw.repeat || 1); n++) {
			const step = substitute(raw, vars); /* again each time: captures change */
			const s = await sessionOf(step.as || c.as || 'anonymous');
			let ctx = `step ${i + 1} (${step.method} ${step.path})`;
			if (raw.repeat) ctx += ` #${n + 1}`;
			collectSecrets(step.form);
			collectSecrets(step.json);
			const opts = { ...stepBody(step), headers: step.headers };
			if (step.csrf !== undefined) opts.csrf = step.csrf;
			if (step.no_cookies) opts.cookies = false;
			const res = await s.request(step.method, step.path, opts);
			res.session = s;
			for (const v of s.jar.values()) if (v.length >= 20) sentSecrets.add(v);
			checkExpect(res, step.expect, ctx);
			for (const [name, spec] of Object.entries(step.capture || {}))
				vars[name] = captureOne(res, spec, ctx);
		}
	}
}
