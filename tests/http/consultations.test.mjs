// Consulting the CAF / MSA from a dossier (API Particulier v3) against a real
// server and the project's stand-in (tests/http/lib/standin.mjs): the QF and
// the household shown next to the declared one, applying the CAF
// composition, data minimisation with the aid type's scopes (and the
// stand-in's own scope filtering), every error kind recorded while the
// dossier stays intact, permissions, tenant isolation, and the signed proof
// checked by `cassis proof verify`.
//
// Expected values come from the fixture files themselves (read with the
// yaml package), never from copies in this file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { parseForms } from './lib/forms.mjs';
import { PROJECT_FIXTURES, QF_OPERATION, startStandin } from './lib/standin.mjs';
import { TENANTS, assertCleanExit, cli, freePort, startServer } from './lib/server.mjs';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-consult-'));
const KEY = path.join(DIR, 'signing.key');
const ALL_SCOPES = ['cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse'];
const KEY_OF_SCOPE = {
	cnaf_quotient_familial: 'quotient_familial', cnaf_allocataires: 'allocataires',
	cnaf_enfants: 'enfants', cnaf_adresse: 'adresse',
};

let srv;
let standin; /* every token, every scope */
let limited; /* a tokens file: partial scopes, no scope */
const aid = {}; /* scopes key -> aid type id, per tenant: aid[`${T}:${key}`] */
let seq = 0;

/* A fixture of the QF operation: {params, status, payload (parsed)}. */
function fixture(name) {
	const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_FIXTURES, QF_OPERATION, name), 'utf8'));
	let payload = null;
	try {
		payload = JSON.parse(doc.payload);
	} catch {
		payload = null;
	}
	return { ...doc, payload };
}

function tokenFile(name, token) {
	const f = path.join(DIR, name);
	fs.writeFileSync(f, token + '\n', { mode: 0o600 });
	return f;
}

function setProvider(T, url, tokenPath) {
	const r = cli(['tenant', 'set-provider', '--db', srv.dbUrl, '--tenant', TENANTS[T].siret,
		'--particulier-url', url, '--particulier-token-file', tokenPath]);
	assert.equal(r.status, 0, r.stderr);
}

function idOf(res, re, what) {
	assert.equal(res.status, 303, `${what}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const m = re.exec(res.headers.get('location') || '');
	assert.ok(m, `${what}: Location ${res.headers.get('location')}`);
	return Number(m[1]);
}

/* "1986-09" style date of the fixture's params. */
function birthDate(p) {
	const parts = [String(p.anneeDateNaissance)];
	if (p.moisDateNaissance) parts.push(String(p.moisDateNaissance).padStart(2, '0'));
	if (p.moisDateNaissance && p.jourDateNaissance) parts.push(String(p.jourDateNaissance).padStart(2, '0'));
	return parts.join('-');
}

/* A person of tenant T with the identity of a fixture's params. */
async function personFrom(T, p) {
	const s = await srv.session(`instructeur@${T}`);
	const abroad = p.codeCogInseePaysNaissance && p.codeCogInseePaysNaissance !== '99100';
	const res = await s.post('/usagers', {
		nom_naissance: p.nomNaissance, nom_usage: p.nomUsage || '', prenom1: p.prenoms[0],
		prenom2: p.prenoms[1] || '', prenom3: p.prenoms[2] || '', sexe: p.sexeEtatCivil,
		date_naissance: birthDate(p), lieu_type: abroad ? 'etranger' : 'commune',
		commune_naissance: abroad ? '' : p.codeCogInseeCommuneNaissance,
		pays_naissance: abroad ? p.codeCogInseePaysNaissance : '', nationalite: 'francaise',
		telephone: '', email: '', adresse: '3 rue des Essais', code_postal: '49990', commune: 'Démoville',
	});
	return idOf(res, /^\/usagers\/(\d+)/, `person ${p.nomNaissance}`);
}

/* The aid type of tenant T keeping these scopes (created once). */
async function aidType(T, scopes) {
	const key = `${T}:${scopes.join(' ')}`;
	if (aid[key]) return aid[key];
	const admin = await srv.session(`administrateur@${T}`);
	const code = `caf-${T.toLowerCase()}-${Object.keys(aid).length + 1}`;
	let res = await admin.post('/admin/aides', { label: `Aide ${code}`, code, description: 'Essai' });
	assert.equal(res.status, 303, `aid type: ${res.status}\n${res.text.slice(0, 800)}`);
	const api = await srv.apiSession(`instructeur@${T}`);
	const list = await api.get('/api/v1/aid-types?limit=200');
	const found = list.json.data.find((a) => a.code === code);
	assert.ok(found, `aid type ${code} not listed: ${list.text.slice(0, 500)}`);
	const form = {};
	for (const s of scopes) form[s] = '1';
	res = await admin.post(`/admin/aides/${found.id}/donnees-caf`, form);
	assert.equal(res.status, 303, `scopes: ${res.status}\n${res.text.slice(0, 800)}`);
	aid[key] = found.id;
	return found.id;
}

/* A dossier of tenant T for the identity of a fixture, with an aid type
 * keeping scopes: {dossier, household, person}. */
async function dossierFor(T, params, scopes = ALL_SCOPES) {
	const s = await srv.session(`instructeur@${T}`);
	const person = await personFrom(T, params);
	const page = await s.get(`/foyers/nouveau?demandeur=${person}`);
	const form = parseForms(page.text).find((f) => f.method === 'POST' && f.action === '/foyers');
	assert.ok(form, 'no household form');
	const household = idOf(await s.post('/foyers', { ...form.fields, label: `Foyer essai ${++seq}`,
		date_entree: '2024-01-15' }), /^\/foyers\/(\d+)/, 'household');
	const res = await s.post('/dossiers', {
		household_id: String(household), applicant_id: String(person),
		aid_type_id: String(await aidType(T, scopes)), motif: 'Essai de consultation', montant_demande: '100',
	});
	return { dossier: idOf(res, /^\/dossiers\/(\d+)/, 'dossier'), household, person };
}

/* Consults as who; the consultation shown afterwards: {id, page}. */
async function consult(who, dossier) {
	const s = await srv.session(who);
	const res = await s.post(`/dossiers/${dossier}/consultations`, {});
	assert.equal(res.status, 303, `consult: ${res.status}\n${res.text.slice(0, 1200)}`);
	assert.match(res.headers.get('location'), new RegExp(`^/dossiers/${dossier}#consultation-caf$`));
	const page = await s.get(`/dossiers/${dossier}`);
	const m = /id="caf-latest" data-consultation="(\d+)" data-ok="(\d)"/.exec(page.text);
	assert.ok(m, 'no consultation on the dossier page');
	return { id: Number(m[1]), ok: m[2] === '1', page: page.text };
}

async function proofOf(who, dossier, id) {
	const res = await (await srv.session(who)).get(`/dossiers/${dossier}/consultations/${id}/preuve`);
	assert.equal(res.status, 200, res.text.slice(0, 500));
	assert.ok(res.json, 'the proof is JSON');
	return res.json;
}

/* What must not change when a consultation fails: the dossier and its
 * household, as the API shows them. */
async function snapshot(T, d) {
	const api = await srv.apiSession(`instructeur@${T}`);
	const dossier = await api.get(`/api/v1/dossiers/${d.dossier}`);
	const household = await api.get(`/api/v1/households/${d.household}`);
	assert.equal(dossier.status, 200);
	return { dossier: dossier.json, household: household.json };
}

function verifyFile(doc, extra = []) {
	const f = path.join(DIR, `preuve-${++seq}.json`);
	fs.writeFileSync(f, JSON.stringify(doc, null, 2));
	return cli(['proof', 'verify', f, ...extra]);
}

before(async () => {
	srv = await startServer({ env: { CASSIS_SIGNING_KEY: KEY } });
	standin = await startStandin({ args: ['--rate', '0'] });
	limited = await startStandin({
		tokens: ['jeton-partiel cnaf_quotient_familial,cnaf_enfants', 'jeton-sans-droit -'],
		args: ['--rate', '0'],
	});
	setProvider('A', standin.url, tokenFile('jeton-a', 'jeton-essai-a'));
	setProvider('B', standin.url, tokenFile('jeton-b', 'jeton-essai-b'));
});

after(async () => {
	await standin?.stop();
	await limited?.stop();
	srv?.cleanup();
	fs.rmSync(DIR, { recursive: true, force: true });
});

test('the key file was created at start-up with mode 0600', () => {
	const st = fs.statSync(KEY);
	assert.equal(st.mode & 0o777, 0o600);
});

test('a successful consultation shows the QF and the household next to the declared one', async () => {
	const fx = fixture('200-msa-couple-3_enfants.yaml');
	const d = await dossierFor('A', fx.params);
	const c = await consult('instructeur@A', d.dossier);
	assert.ok(c.ok, 'the consultation succeeded');
	const qf = fx.payload.data.quotient_familial;
	assert.match(c.page, new RegExp(`id="caf-qf-valeur" data-valeur="${qf.valeur}"`));
	assert.match(c.page, new RegExp(`id="caf-qf-periode">${String(qf.mois).padStart(2, '0')}/${qf.annee}<`));
	assert.match(c.page, new RegExp(`id="caf-qf-fournisseur">${qf.fournisseur === 'MSA' ? 'MSA' : 'CAF'}`));
	/* the allocataire matches the demandeur; the spouse and the children
	 * are not declared: each is a difference, highlighted */
	const kids = fx.payload.data.enfants;
	const missing = [...c.page.matchAll(/<tr data-statut="manquant" class="caf-difference">/g)].length;
	assert.equal(missing, kids.length);
	const absent = [...c.page.matchAll(/<tr data-statut="absent" class="caf-difference">/g)].length;
	assert.equal(absent, fx.payload.data.allocataires.length - 1);
	assert.match(c.page, /id="caf-differences"[^>]*data-differences="\d+"/);
	assert.match(c.page, /id="caf-apply"/);
	/* another address than the declared one */
	assert.match(c.page, /id="caf-adresse" data-difference="1"/);
});

test('applying the CAF composition adds the missing children, after the agent completes them', async () => {
	const fx = fixture('200-msa-couple-3_enfants.yaml');
	const d = await dossierFor('A', fx.params);
	const c = await consult('instructeur@A', d.dossier);
	const s = await srv.session('instructeur@A');
	const url = `/dossiers/${d.dossier}/consultations/${c.id}/appliquer`;
	const page = await s.get(url);
	assert.equal(page.status, 200);
	const form = parseForms(page.text).find((f) => f.id === 'apply-form');
	assert.ok(form, 'no apply form');
	assert.ok(form.attrs['data-confirm'], 'the form asks for a confirmation');
	const kids = fx.payload.data.enfants;
	/* without the birth place: refused, nothing written */
	const before = await snapshot('A', d);
	let res = await s.post(url, form.fields);
	assert.equal(res.status, 422);
	assert.match(res.text, /class="error-summary"/);
	assert.match(res.text, /aria-invalid="true"/);
	assert.deepEqual(await snapshot('A', d), before);
	/* completed: every child added */
	const fields = { ...form.fields };
	for (const k of Object.keys(fields)) if (k.startsWith('lieu_naissance_')) fields[k] = '85191';
	res = await s.post(url, fields);
	assert.equal(res.status, 303, res.text.slice(0, 1500));
	const api = await srv.apiSession('instructeur@A');
	const h = (await api.get(`/api/v1/households/${d.household}`)).json;
	const children = h.members.filter((m) => m.relation === 'enfant');
	assert.equal(children.length, kids.length);
	/* the comparison now finds every child; applying again adds nothing */
	const after = await s.get(`/dossiers/${d.dossier}`);
	assert.doesNotMatch(after.text, /data-statut="manquant"/);
	res = await s.post(url, {});
	assert.equal(res.status, 303);
	const h2 = (await api.get(`/api/v1/households/${d.household}`)).json;
	assert.equal(h2.members.length, h.members.length);
	/* audited by the persons and households use cases */
	const audit = await (await srv.session('administrateur@A')).get('/audit');
	assert.equal(audit.status, 200);
});

test('only the keys the aid type grants are stored (minimisation)', async () => {
	const fx = fixture('200-msa-couple-3_enfants.yaml');
	for (const scopes of [['cnaf_quotient_familial'], ['cnaf_quotient_familial', 'cnaf_enfants']]) {
		const d = await dossierFor('A', fx.params, scopes);
		const c = await consult('instructeur@A', d.dossier);
		assert.ok(c.ok);
		const proof = await proofOf('instructeur@A', d.dossier, c.id);
		assert.deepEqual(Object.keys(proof.reponse_minimisee).sort(), scopes.map((s) => KEY_OF_SCOPE[s]).sort());
		assert.equal(proof.champs.scopes, scopes.join(' '));
		for (const s of ALL_SCOPES.filter((x) => !scopes.includes(x))) {
			assert.ok(!JSON.stringify(proof.reponse_minimisee).includes(`"${KEY_OF_SCOPE[s]}"`));
		}
		const show = await (await srv.session('instructeur@A')).get(`/dossiers/${d.dossier}/consultations/${c.id}`);
		assert.equal(show.status, 200);
		if (!scopes.includes('cnaf_adresse')) {
			const street = fx.payload.data.adresse.code_postal_ville;
			assert.ok(!show.text.includes(street), 'the address is not kept');
			assert.ok(!c.page.includes(street), 'the address is not shown');
		}
	}
});

test('the stand-in removes the keys its token does not grant; a token without rights is refused', async () => {
	const fx = fixture('200-msa-couple-3_enfants.yaml');
	setProvider('A', limited.url, tokenFile('jeton-partiel', 'jeton-partiel'));
	try {
		const d = await dossierFor('A', fx.params, ALL_SCOPES);
		const c = await consult('instructeur@A', d.dossier);
		assert.ok(c.ok);
		const proof = await proofOf('instructeur@A', d.dossier, c.id);
		assert.deepEqual(Object.keys(proof.reponse_minimisee).sort(), ['enfants', 'quotient_familial']);
		setProvider('A', limited.url, tokenFile('jeton-sans-droit', 'jeton-sans-droit'));
		const before = await snapshot('A', d);
		const c2 = await consult('instructeur@A', d.dossier);
		assert.ok(!c2.ok);
		assert.match(c2.page, /id="caf-error"/);
		assert.equal((await proofOf('instructeur@A', d.dossier, c2.id)).champs.result, 'scope');
		assert.deepEqual(await snapshot('A', d), before);
		/* an unknown token */
		setProvider('A', limited.url, tokenFile('jeton-inconnu', 'jeton-inconnu'));
		const c3 = await consult('instructeur@A', d.dossier);
		assert.equal((await proofOf('instructeur@A', d.dossier, c3.id)).champs.result, 'token');
	} finally {
		setProvider('A', standin.url, path.join(DIR, 'jeton-a'));
	}
});

/* fixture file -> the kind the consultation must record */
const ERRORS = [
	['404-dossier_absent_msa.yaml', 'not_found'],
	['422-allocataire_non_identifie.yaml', null],
	['429.yaml', 'rate'],
	['502.yaml', 'provider'],
	['503.yaml', 'provider'],
	['504.yaml', 'timeout'],
];

for (const [file, kind] of ERRORS) {
	test(`${file}: the failure is recorded and signed, the dossier stays intact`, async () => {
		const fx = fixture(file);
		const d = await dossierFor('A', fx.params);
		const before = await snapshot('A', d);
		const c = await consult('instructeur@A', d.dossier);
		assert.ok(!c.ok, 'the consultation failed');
		assert.match(c.page, /id="caf-error"/);
		assert.match(c.page, new RegExp(`Statut HTTP ${fx.status}\\.`));
		const code = fx.payload?.errors?.[0]?.code;
		if (code) assert.match(c.page, new RegExp(`Code ${code}\\.`));
		assert.doesNotMatch(c.page, /id="caf-qf"/);
		assert.deepEqual(await snapshot('A', d), before);
		const proof = await proofOf('instructeur@A', d.dossier, c.id);
		if (kind) assert.equal(proof.champs.result, kind);
		assert.notEqual(proof.champs.result, 'ok');
		assert.equal(proof.champs.http_status, String(fx.status));
		assert.equal(proof.reponse_minimisee, null);
		assert.equal(verifyFile(proof).status, 0);
	});
}

test('the identity not found anywhere falls back on the 404 case', async () => {
	const fx = fixture('404.yaml');
	const d = await dossierFor('A', { nomNaissance: 'Inconnue-Essai', prenoms: ['Zoé'], anneeDateNaissance: 1991,
		moisDateNaissance: 5, jourDateNaissance: 17, sexeEtatCivil: 'F', codeCogInseePaysNaissance: '99100',
		codeCogInseeCommuneNaissance: '49007' });
	const c = await consult('instructeur@A', d.dossier);
	assert.ok(!c.ok);
	assert.match(c.page, new RegExp(`Statut HTTP ${fx.status}\\.`));
});

test('no answer at all (a closed port, a malformed body) is recorded too', async () => {
	const fx = fixture('200-msa-couple-3_enfants.yaml');
	const d = await dossierFor('A', fx.params);
	const port = await freePort();
	setProvider('A', `http://127.0.0.1:${port}`, path.join(DIR, 'jeton-a'));
	const broken = await startStandin({ args: ['--rate', '0', '--malformed-rate', '100'] });
	try {
		const before = await snapshot('A', d);
		const c = await consult('instructeur@A', d.dossier);
		assert.ok(!c.ok);
		assert.equal((await proofOf('instructeur@A', d.dossier, c.id)).champs.result, 'network');
		assert.match(c.page, /aucune réponse|Le dossier n'a pas été modifié/);
		setProvider('A', broken.url, path.join(DIR, 'jeton-a'));
		const c2 = await consult('instructeur@A', d.dossier);
		assert.ok(!c2.ok);
		assert.equal((await proofOf('instructeur@A', d.dossier, c2.id)).champs.result, 'malformed');
		assert.deepEqual(await snapshot('A', d), before);
		/* an unreadable token file: nothing is sent */
		setProvider('A', standin.url, path.join(DIR, 'jeton-a'));
		fs.chmodSync(path.join(DIR, 'jeton-a'), 0o000);
		const readable = (() => {
			try {
				fs.readFileSync(path.join(DIR, 'jeton-a'));
				return true;
			} catch {
				return false;
			}
		})();
		if (!readable) {
			const c3 = await consult('instructeur@A', d.dossier);
			assert.equal((await proofOf('instructeur@A', d.dossier, c3.id)).champs.result, 'token');
		}
	} finally {
		fs.chmodSync(path.join(DIR, 'jeton-a'), 0o600);
		setProvider('A', standin.url, path.join(DIR, 'jeton-a'));
		await broken.stop();
	}
});

test('a stand-in 15 s late: a clean timeout message, the dossier intact', async () => {
	const fx = fixture('200-msa-couple-3_enfants.yaml');
	const d = await dossierFor('A', fx.params);
	const slow = await startStandin({ args: ['--rate', '0', '--latency-ms', '15000'] });
	try {
		setProvider('A', slow.url, path.join(DIR, 'jeton-a'));
		const before = await snapshot('A', d);
		const started = Date.now();
		const c = await consult('instructeur@A', d.dossier);
		const took = Date.now() - started;
		assert.ok(!c.ok);
		assert.ok(took < 15000, `the agent waited ${took} ms`);
		const proof = await proofOf('instructeur@A', d.dossier, c.id);
		assert.equal(proof.champs.result, 'timeout');
		const message = /id="caf-error">\s*<p><strong>[^<]*<\/strong>([^<]+)</.exec(c.page);
		assert.ok(message && /\S/.test(message[1]), 'a French message tells the agent what to do');
		assert.deepEqual(await snapshot('A', d), before);
	} finally {
		setProvider('A', standin.url, path.join(DIR, 'jeton-a'));
		await slow.stop();
	}
});

test('the proof verifies, with the server\'s public key too; a tampered proof fails', async () => {
	const fx = fixture('200-msa-couple-3_enfants.yaml');
	const d = await dossierFor('A', fx.params);
	const c = await consult('instructeur@A', d.dossier);
	const proof = await proofOf('instructeur@A', d.dossier, c.id);
	assert.equal(proof.champs.siret, TENANTS.A.siret);
	assert.equal(proof.champs.endpoint, '/v3/dss/quotient_familial/identite');
	assert.match(proof.champs.agent, new RegExp(`^${srv.users['instructeur@A'].id}:${srv.users['instructeur@A'].email}$`));
	assert.match(proof.champs.request_id, /\S/);
	assert.match(proof.champs.response_sha256, /^[0-9a-f]{64}$/);
	assert.equal(proof.parametres.nomNaissance, fx.params.nomNaissance);
	assert.equal(proof.parametres.recipient, TENANTS.A.siret);
	assert.ok(!JSON.stringify(proof).includes('jeton-essai-a'), 'the token is never in a proof');
	let r = verifyFile(proof);
	assert.equal(r.status, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /Preuve valide/);
	const pub = path.join(DIR, 'cle-publique');
	const k = cli(['keys', 'public', '--signing-key', KEY]);
	assert.equal(k.status, 0);
	fs.writeFileSync(pub, k.stdout);
	r = verifyFile(proof, ['--public-key', pub]);
	assert.equal(r.status, 0, r.stdout + r.stderr);
	/* tampered: the QF, a signed field, the parameters */
	const t1 = structuredClone(proof);
	t1.reponse_minimisee.quotient_familial.valeur += 1000;
	r = verifyFile(t1);
	assert.equal(r.status, 1);
	assert.match(r.stdout, /Preuve invalide : .*modifié/);
	const t2 = structuredClone(proof);
	t2.champs.siret = TENANTS.B.siret;
	assert.equal(verifyFile(t2).status, 1);
	const t3 = structuredClone(proof);
	t3.parametres.nomNaissance = 'Autre';
	assert.equal(verifyFile(t3).status, 1);
	/* another server's key */
	const other = path.join(DIR, 'autre.key');
	assert.equal(cli(['keys', 'init', '--signing-key', other]).status, 0);
	r = verifyFile(proof, ['--public-key', other]);
	assert.equal(r.status, 1);
	assert.match(r.stdout, /clé publique indiquée/);
	/* bad usage */
	assert.equal(cli(['proof', 'verify']).status, 2);
	assert.equal(cli(['proof', 'verify', path.join(DIR, 'absent.json')]).status, 2);
	/* the justificatif shows every recorded field and links the proof */
	const show = await (await srv.session('auditeur@A')).get(`/dossiers/${d.dossier}/consultations/${c.id}`);
	assert.equal(show.status, 200);
	for (const id of ['proof-agent', 'proof-time', 'proof-siret', 'proof-scopes', 'proof-status',
		'proof-request-id', 'proof-sha256', 'proof-params', 'proof-response', 'proof-signature', 'proof-key-id'])
		assert.match(show.text, new RegExp(`id="${id}"`), id);
	assert.match(show.text, /id="proof-signature-status" data-valid="1"/);
	assert.match(show.text, new RegExp(`href="/dossiers/${d.dossier}/consultations/${c.id}/preuve"`));
	assert.ok(show.text.includes(proof.champs.request_id));
});

test('permissions: accueil cannot consult nor read; valideur consults; auditeur reads only', async () => {
	const fx = fixture('200-msa-couple-3_enfants.yaml');
	const d = await dossierFor('A', fx.params);
	const c = await consult('instructeur@A', d.dossier);
	const accueil = await srv.session('accueil@A');
	let res = await accueil.post(`/dossiers/${d.dossier}/consultations`, {});
	assert.equal(res.status, 403);
	res = await accueil.get(`/dossiers/${d.dossier}`);
	assert.equal(res.status, 200);
	assert.doesNotMatch(res.text, /id="consultation-caf"/);
	for (const p of ['', '/preuve']) {
		res = await accueil.get(`/dossiers/${d.dossier}/consultations/${c.id}${p}`);
		assert.equal(res.status, 403);
	}
	const auditeur = await srv.session('auditeur@A');
	res = await auditeur.post(`/dossiers/${d.dossier}/consultations`, {});
	assert.equal(res.status, 403);
	res = await auditeur.get(`/dossiers/${d.dossier}`);
	assert.match(res.text, /id="consultation-caf"/);
	assert.doesNotMatch(res.text, /id="caf-consult"/);
	const v = await consult('valideur@A', d.dossier);
	assert.ok(v.ok);
	/* without a CSRF token: refused */
	const inst = await srv.session('instructeur@A');
	res = await inst.post(`/dossiers/${d.dossier}/consultations`, {}, { csrf: 'faux' });
	assert.equal(res.status, 403);
	/* the aid type's data: administrateur only */
	const aidId = await aidType('A', ALL_SCOPES);
	assert.equal((await inst.get(`/admin/aides/${aidId}/donnees-caf`)).status, 403);
	const admin = await srv.session('administrateur@A');
	res = await admin.post(`/admin/aides/${aidId}/donnees-caf`, {});
	assert.equal(res.status, 422);
	assert.match(res.text, /id="err-scopes"/);
});

test('tenant isolation: CCAS B sees nothing of A\'s consultations', async () => {
	const fx = fixture('200-msa-couple-3_enfants.yaml');
	const a = await dossierFor('A', fx.params);
	const ca = await consult('instructeur@A', a.dossier);
	const b = await dossierFor('B', fx.params);
	const cb = await consult('instructeur@B', b.dossier);
	const sb = await srv.session('instructeur@B');
	const before = await snapshot('A', a);
	assert.equal((await sb.post(`/dossiers/${a.dossier}/consultations`, {})).status, 404);
	for (const [dd, cc] of [[a.dossier, ca.id], [b.dossier, ca.id], [a.dossier, cb.id]]) {
		for (const p of ['', '/preuve', '/appliquer'])
			assert.equal((await sb.get(`/dossiers/${dd}/consultations/${cc}${p}`)).status, 404, `${dd}/${cc}${p}`);
		assert.equal((await sb.post(`/dossiers/${dd}/consultations/${cc}/appliquer`, {})).status, 404);
	}
	/* A's own consultation of B's dossier id does not exist either */
	const sa = await srv.session('instructeur@A');
	assert.equal((await sa.get(`/dossiers/${a.dossier}/consultations/${cb.id}`)).status, 404);
	assert.deepEqual(await snapshot('A', a), before);
	/* each proof names its own CCAS */
	assert.equal((await proofOf('instructeur@B', b.dossier, cb.id)).champs.siret, TENANTS.B.siret);
});

test('a closed dossier is not consulted; the settings are the operator\'s', async () => {
	const fx = fixture('200-msa-couple-3_enfants.yaml');
	const d = await dossierFor('A', fx.params);
	const s = await srv.session('instructeur@A');
	for (const etat of ['cloture']) {
		const res = await s.post(`/dossiers/${d.dossier}/etat`, { etat, motif: 'Le demandeur a renoncé.' });
		assert.equal(res.status, 303, res.text.slice(0, 800));
	}
	const page = await s.get(`/dossiers/${d.dossier}`);
	assert.doesNotMatch(page.text, /id="caf-consult"/);
	assert.equal((await s.post(`/dossiers/${d.dossier}/consultations`, {})).status, 409);
	/* set-provider: validation and usage */
	let r = cli(['tenant', 'set-provider', '--db', srv.dbUrl, '--tenant', TENANTS.A.siret,
		'--particulier-url', 'ftp://x', '--particulier-token-file', 'relatif']);
	assert.equal(r.status, 2);
	assert.match(r.stderr, /chemin absolu/);
	r = cli(['tenant', 'set-provider', '--db', srv.dbUrl, '--tenant', '21000000000000',
		'--particulier-url', standin.url, '--particulier-token-file', path.join(DIR, 'jeton-a')]);
	assert.equal(r.status, 1);
	r = cli(['tenant', 'set-provider', '--db', srv.dbUrl, '--tenant', TENANTS.A.siret, '--show']);
	assert.equal(r.status, 0);
	assert.ok(r.stdout.includes(standin.url));
	assert.ok(!r.stdout.includes('jeton-essai-a'), 'the token itself is never printed');
	/* the pages say it is a demonstration environment: a local stand-in */
	assert.match(page.text, /id="demo-banner"/);
});

test('the server stops on SIGTERM with status 0 and no sanitizer report', async () => {
	assertCleanExit(await srv.stop());
});
