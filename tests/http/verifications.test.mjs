// "Vérifier la situation" against a real server and both stand-ins
// (`cassis standin particulier` and `cassis standin impots`): the CAF / MSA
// and the DGFiP consulted at the same time, each recorded with its signed
// proof under one verification; one side failing (timeout, 5xx) while the
// other succeeds, and the dossier left intact; the monthly fiscal QF and
// the discrepancies with the declared household; the numéro fiscal found
// nowhere afterwards (database file, pg_dump, server log, audit, pages);
// permissions and tenant isolation; the JSON API.
//
// Expected values come from the fixture files (YAML for API Particulier,
// the household files of the DGFiP stand-in read by lib/impots.mjs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { expected, householdOf, startImpots, ymd } from './lib/impots.mjs';
import { parseForms } from './lib/forms.mjs';
import { PROJECT_FIXTURES, QF_OPERATION, startStandin } from './lib/standin.mjs';
import { TENANTS, assertCleanExit, cli, startServer } from './lib/server.mjs';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-verif-'));
const KEY = path.join(DIR, 'signing.key');
const CAF_SCOPES = ['cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse'];
const DGFIP_SCOPES = ['dgfip_rfr', 'dgfip_nbpart', 'dgfip_sitfam', 'dgfip_pac_nbPac', 'dgfip_pac', 'dgfip_aft',
	'dgfip_montTotIr'];
const CAF_FIXTURE = '200-demo-ndiaye-parent_isole-2_enfants-qf_cnaf.yaml';
const SPI = '3049990103244'; /* the N'Diaye household of the DGFiP stand-in */
const SPI_TYPED = '304 999 0103 244'; /* as an agent copies it from the avis */
const BAD_KEY_SPI = '3049990103245'; /* 13 digits, mod-511 check fails, unknown */

let srv;
const standins = {};
const aid = {};
let seq = 0;
const made = { verifications: [] };

/* ---- fixtures and expected values ---- */

function cafFixture(name = CAF_FIXTURE) {
	const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_FIXTURES, QF_OPERATION, name), 'utf8'));
	return { ...doc, payload: JSON.parse(doc.payload) };
}

/* The year the DGFiP serves today: N-1 from 22 July, N-2 before. */
function defaultYear() {
	const t = ymd(new Date().toISOString());
	return t.y - (t.m > 7 || (t.m === 7 && t.d >= 22) ? 1 : 2);
}

/* What the DGFiP stand-in answers for SPI and year. */
function dgfipExpected(spi, year) {
	return expected(householdOf(spi), 'annrev', year, ymd(new Date().toISOString()));
}

/* rfr / 12 / parts rounded half-up to the cent, as "123.45". */
function qfFiscal(rfr, parts) {
	const [ip, fp = ''] = String(parts).split('.');
	const den = 10n ** BigInt(fp.length);
	const num = BigInt(ip + fp);
	const n = BigInt(rfr) * 100n * den;
	const d = 12n * num;
	const cents = (2n * n + d) / (2n * d);
	return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/* ---- set-up helpers ---- */

function secretFile(name, text) {
	const f = path.join(DIR, name);
	fs.writeFileSync(f, text + '\n', { mode: 0o600 });
	return f;
}

/* Points tenant T at a CAF stand-in and a DGFiP stand-in. */
function setProviders(T, caf, dgfip) {
	const r = cli(['tenant', 'set-provider', '--db', srv.dbUrl, '--tenant', TENANTS[T].siret,
		'--particulier-url', caf.url, '--particulier-token-file', secretFile(`jeton-${T}`, `jeton-essai-${T}`),
		'--impots-url', dgfip.url, '--impots-client-id-file', secretFile(`id-${T}`, 'cassis-essai'),
		'--impots-client-secret-file', secretFile(`secret-${T}`, 'secret-essai'),
		'--impots-id-teleservice', 'CASSIS_ESSAI']);
	assert.equal(r.status, 0, r.stderr);
}

function idOf(res, re, what) {
	assert.equal(res.status, 303, `${what}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const m = re.exec(res.headers.get('location') || '');
	assert.ok(m, `${what}: Location ${res.headers.get('location')}`);
	return Number(m[1]);
}

function birthDate(p) {
	return [p.anneeDateNaissance, p.moisDateNaissance, p.jourDateNaissance]
		.filter((x) => x).map((x, i) => (i ? String(x).padStart(2, '0') : String(x))).join('-');
}

async function personFrom(T, p) {
	const s = await srv.session(`instructeur@${T}`);
	const abroad = p.codeCogInseePaysNaissance && p.codeCogInseePaysNaissance !== '99100';
	const res = await s.post('/usagers', {
		nom_naissance: p.nomNaissance, nom_usage: p.nomUsage || '', prenom1: p.prenoms[0],
		prenom2: p.prenoms[1] || '', prenom3: p.prenoms[2] || '', sexe: p.sexeEtatCivil,
		date_naissance: birthDate(p), lieu_type: abroad ? 'etranger' : 'commune',
		commune_naissance: abroad ? '' : p.codeCogInseeCommuneNaissance,
		pays_naissance: abroad ? p.codeCogInseePaysNaissance : '', nationalite: 'francaise', telephone: '', email: '',
		adresse: 'Bât B Apt 14 Résidence Les Acacias', code_postal: '49990', commune: 'Démoville',
	});
	return idOf(res, /^\/usagers\/(\d+)/, `person ${p.nomNaissance}`);
}

/* The aid type of tenant T keeping every CAF scope and the DGFiP scopes. */
async function aidType(T) {
	if (aid[T]) return aid[T];
	const admin = await srv.session(`administrateur@${T}`);
	const code = `verif-${T.toLowerCase()}`;
	let res = await admin.post('/admin/aides', { label: `Aide ${code}`, code, description: 'Essai' });
	assert.equal(res.status, 303, `aid type: ${res.status}\n${res.text.slice(0, 800)}`);
	const list = await (await srv.apiSession(`instructeur@${T}`)).get('/api/v1/aid-types?limit=200');
	const found = list.json.data.find((a) => a.code === code);
	assert.ok(found, `aid type ${code} not listed`);
	res = await admin.post(`/admin/aides/${found.id}/donnees-caf`, Object.fromEntries(CAF_SCOPES.map((s) => [s, '1'])));
	assert.equal(res.status, 303, `CAF scopes: ${res.status}`);
	res = await admin.post(`/admin/aides/${found.id}/donnees-dgfip`, Object.fromEntries(DGFIP_SCOPES.map((s) => [s, '1'])));
	assert.equal(res.status, 303, `DGFiP scopes: ${res.status}\n${res.text.slice(0, 800)}`);
	aid[T] = found.id;
	return found.id;
}

/* A dossier of tenant T for the applicant of the CAF fixture. */
async function dossierFor(T) {
	const params = cafFixture().params;
	const s = await srv.session(`instructeur@${T}`);
	const person = await personFrom(T, params);
	const page = await s.get(`/foyers/nouveau?demandeur=${person}`);
	const form = parseForms(page.text).find((f) => f.method === 'POST' && f.action === '/foyers');
	assert.ok(form, 'no household form');
	const household = idOf(await s.post('/foyers', { ...form.fields, label: `Foyer vérif ${++seq}`,
		date_entree: '2024-01-15' }), /^\/foyers\/(\d+)/, 'household');
	const res = await s.post('/dossiers', {
		household_id: String(household), applicant_id: String(person), aid_type_id: String(await aidType(T)),
		motif: 'Vérification de la situation', montant_demande: '100',
	});
	return { dossier: idOf(res, /^\/dossiers\/(\d+)/, 'dossier'), household, person };
}

/* "Vérifier la situation" from the dossier page's own form: {id, page, res}. */
async function verify(who, dossier, fields) {
	const s = await srv.session(who);
	const show = await s.get(`/dossiers/${dossier}`);
	const form = parseForms(show.text).find((f) => f.action === `/dossiers/${dossier}/verifications`);
	assert.ok(form, 'no "Vérifier la situation" form on the dossier page');
	const res = await s.post(form.action, { ...form.fields, ...fields });
	const id = idOf(res, new RegExp(`^/dossiers/${dossier}/verifications/(\\d+)`), 'verification');
	made.verifications.push({ dossier, id });
	const page = await s.get(res.headers.get('location'));
	assert.equal(page.status, 200, page.text.slice(0, 800));
	return { id, page: page.text, location: res.headers.get('location') };
}

async function snapshot(T, d) {
	const api = await srv.apiSession(`instructeur@${T}`);
	const dossier = await api.get(`/api/v1/dossiers/${d.dossier}`);
	const household = await api.get(`/api/v1/households/${d.household}`);
	assert.equal(dossier.status, 200);
	const strip = (x) => JSON.stringify(x, (k, v) => (k === 'events' ? undefined : v));
	return { dossier: strip(dossier.json), household: strip(household.json) };
}

function dataAttr(page, id, attr) {
	const m = new RegExp(`id="${id}"[^>]*\\b${attr}="([^"]*)"`).exec(page);
	return m ? m[1] : null;
}

before(async () => {
	srv = await startServer({ env: { CASSIS_SIGNING_KEY: KEY } });
	standins.caf = await startStandin({ args: ['--rate', '0'] });
	standins.dgfip = await startImpots({ args: ['--quota', '0'] });
	setProviders('A', standins.caf, standins.dgfip);
	setProviders('B', standins.caf, standins.dgfip);
});

after(async () => {
	for (const s of Object.values(standins)) await s?.stop();
	srv?.cleanup();
	fs.rmSync(DIR, { recursive: true, force: true });
});

test('the SPI hash key was created next to the signing key, mode 0600', () => {
	const f = path.join(DIR, 'cassis-spi.key');
	assert.ok(fs.existsSync(f), 'no cassis-spi.key');
	assert.equal(fs.statSync(f).mode & 0o777, 0o600);
	assert.match(fs.readFileSync(f, 'utf8'), /^spi-hash-key:[A-Za-z0-9+/]{43}=$/m);
});

test('both sources answer: one view with the QF CAF, the RFR, the parts, the fiscal QF and the differences', async () => {
	const d = await dossierFor('A');
	const before = await snapshot('A', d);
	const year = defaultYear() - 1; /* a year with a non-zero RFR in the N'Diaye file */
	const v = await verify('instructeur@A', d.dossier, { spi: SPI_TYPED, annee: String(year) });
	made.ok = { ...d, id: v.id };
	assert.equal(dataAttr(v.page, 'verif-caf-result', 'data-ok'), '1', v.page.slice(0, 3000));
	assert.equal(dataAttr(v.page, 'verif-dgfip-result', 'data-ok'), '1');

	const qf = cafFixture().payload.data.quotient_familial;
	assert.equal(dataAttr(v.page, 'verif-qf-caf', 'data-valeur'), String(qf.valeur));
	assert.match(v.page, new RegExp(`id="verif-qf-caf-periode">${String(qf.mois).padStart(2, '0')}/${qf.annee}<`));

	const e = dgfipExpected(SPI, year);
	assert.equal(e.status, 200, 'the fixture has that year');
	const sit = e.situation;
	assert.match(v.page, new RegExp(`id="verif-annee-revenus">${year}<`));
	assert.match(v.page, /id="verif-rfr"><strong>[^<]*<\/strong>/);
	const rfrShown = /id="verif-rfr"><strong>([^<]*)</.exec(v.page)[1].replace(/\D/g, '');
	assert.equal(rfrShown, String(sit.rfr));
	assert.match(v.page, new RegExp(`id="verif-parts">${String(sit.nbPart).replace('.', ',')}<`));
	assert.equal(dataAttr(v.page, 'verif-pac', 'data-nombre'), String(sit.pac.nbPac));
	assert.equal(dataAttr(v.page, 'verif-qf-fiscal', 'data-valeur'), qfFiscal(sit.rfr, sit.nbPart));
	assert.match(v.page, /id="verif-sitfam">célibataire</);
	/* the household declares no child: CAF children and DGFiP dependants
	 * are a difference, flagged */
	assert.match(v.page, /<tr id="verif-cmp-enfants" data-statut="difference" class="caf-difference">/);
	assert.ok(Number(dataAttr(v.page, 'verif-differences', 'data-differences')) >= 1);
	/* links to both justificatifs */
	const cafProof = /href="(\/dossiers\/\d+\/consultations\/(\d+))" id="verif-caf-proof"/.exec(v.page);
	const dgfipProof = /href="(\/dossiers\/\d+\/consultations\/(\d+))" id="verif-dgfip-proof"/.exec(v.page);
	assert.ok(cafProof && dgfipProof, 'links to both justificatifs');
	made.proofs = { caf: Number(cafProof[2]), dgfip: Number(dgfipProof[2]) };
	const s = await srv.session('instructeur@A');
	for (const href of [cafProof[1], dgfipProof[1]]) {
		const j = await s.get(href);
		assert.equal(j.status, 200);
		assert.ok(!j.text.includes(SPI), 'the justificatif shows no numéro fiscal');
	}
	/* the dossier page lists it */
	const page = await s.get(`/dossiers/${d.dossier}`);
	assert.equal(dataAttr(page.text, 'verif-latest', 'data-verification'), String(v.id));
	assert.deepEqual(await snapshot('A', d), before, 'a verification does not change the dossier');
});

test('the DGFiP proof verifies with cassis proof verify and holds only the keyed hash', async () => {
	assert.ok(made.ok, 'needs the first test');
	const s = await srv.session('instructeur@A');
	for (const id of [made.proofs.caf, made.proofs.dgfip]) {
		const res = await s.get(`/dossiers/${made.ok.dossier}/consultations/${id}/preuve`);
		assert.equal(res.status, 200);
		const f = path.join(DIR, `preuve-${id}.json`);
		fs.writeFileSync(f, res.text);
		const r = cli(['proof', 'verify', f]);
		assert.equal(r.status, 0, r.stdout + r.stderr);
		assert.ok(!res.text.includes(SPI));
		if (id === made.proofs.dgfip) {
			assert.equal(res.json.champs.api, 'impots');
			assert.match(res.json.parametres.numero_fiscal_empreinte, /^[0-9a-f]{64}$/);
			assert.match(res.json.champs.endpoint, /\/spi\/\{spi\}\//);
			made.hash = res.json.parametres.numero_fiscal_empreinte;
		}
	}
});

test('both calls run at the same time', async () => {
	const slowCaf = await startStandin({ args: ['--rate', '0', '--latency-ms', '2000'] });
	const slowDgfip = await startImpots({ args: ['--quota', '0', '--latency-ms', '2000'] });
	try {
		const d = await dossierFor('A');
		setProviders('A', slowCaf, slowDgfip);
		const started = Date.now();
		const v = await verify('instructeur@A', d.dossier, { spi: SPI });
		const took = Date.now() - started;
		assert.equal(dataAttr(v.page, 'verif-caf-result', 'data-ok'), '1');
		assert.equal(dataAttr(v.page, 'verif-dgfip-result', 'data-ok'), '1');
		assert.ok(took < 3800, `two calls of 2 s took ${took} ms: not concurrent`);
	} finally {
		setProviders('A', standins.caf, standins.dgfip);
		await slowCaf.stop();
		await slowDgfip.stop();
	}
});

test('the CAF times out, the DGFiP answers: each side shows its own result, the dossier is intact', async () => {
	const stuck = await startStandin({ args: ['--rate', '0', '--latency-ms', '14000'] });
	try {
		const d = await dossierFor('A');
		const before = await snapshot('A', d);
		setProviders('A', stuck, standins.dgfip);
		const v = await verify('instructeur@A', d.dossier, { spi: SPI });
		assert.equal(dataAttr(v.page, 'verif-caf-result', 'data-ok'), '0');
		assert.equal(dataAttr(v.page, 'verif-caf-result', 'data-kind'), 'timeout');
		assert.match(v.page, /id="verif-caf-error"/);
		assert.equal(dataAttr(v.page, 'verif-dgfip-result', 'data-ok'), '1');
		const e = dgfipExpected(SPI, defaultYear());
		assert.equal(dataAttr(v.page, 'verif-qf-fiscal', 'data-valeur'), qfFiscal(e.situation.rfr, e.situation.nbPart));
		assert.match(v.page, /id="verif-caf-proof"/, 'the failed consultation has its justificatif too');
		assert.deepEqual(await snapshot('A', d), before);
	} finally {
		setProviders('A', standins.caf, standins.dgfip);
		await stuck.stop();
	}
});

test('the DGFiP fails (500), the CAF answers: each side shows its own result, the dossier is intact', async () => {
	const broken = await startImpots({ args: ['--quota', '0', '--error-rate', '500:100'] });
	try {
		const d = await dossierFor('A');
		const before = await snapshot('A', d);
		setProviders('A', standins.caf, broken);
		const v = await verify('instructeur@A', d.dossier, { spi: SPI });
		assert.equal(dataAttr(v.page, 'verif-caf-result', 'data-ok'), '1');
		assert.equal(dataAttr(v.page, 'verif-qf-caf', 'data-valeur'), String(cafFixture().payload.data.quotient_familial.valeur));
		assert.equal(dataAttr(v.page, 'verif-dgfip-result', 'data-ok'), '0');
		assert.equal(dataAttr(v.page, 'verif-dgfip-result', 'data-kind'), 'provider');
		assert.match(v.page, /id="verif-dgfip-error"/);
		assert.match(v.page, /id="verif-qf-fiscal-none"/);
		assert.deepEqual(await snapshot('A', d), before);
	} finally {
		setProviders('A', standins.caf, standins.dgfip);
		await broken.stop();
	}
});

test('a malformed numéro fiscal is refused next to the field, not echoed, and nothing is asked', async () => {
	const d = await dossierFor('A');
	const s = await srv.session('instructeur@A');
	const res = await s.post(`/dossiers/${d.dossier}/verifications`, { spi: '30499901', annee: '' });
	assert.equal(res.status, 422);
	assert.match(res.text, /<input[^>]*id="spi"[^>]*aria-describedby="hint-spi err-spi"[^>]*aria-invalid="true"/);
	assert.match(res.text, /<small id="err-spi" class="field-error">Le numéro fiscal doit comporter 13 chiffres/);
	assert.match(res.text, /<a href="#spi">/, 'the error summary links to the field');
	assert.ok(!res.text.includes('30499901'), 'the typed number is not shown again');
	const bad = await s.post(`/dossiers/${d.dossier}/verifications`, { spi: SPI, annee: '20x4' });
	assert.equal(bad.status, 422);
	assert.match(bad.text, /<small id="err-annee" class="field-error">/);
	assert.ok(!bad.text.includes(SPI));
	const page = await s.get(`/dossiers/${d.dossier}`);
	assert.match(page.text, /id="verif-none"/, 'nothing recorded');
});

test('a failed mod-511 check is a warning, not a refusal', async () => {
	const d = await dossierFor('A');
	const v = await verify('instructeur@A', d.dossier, { spi: BAD_KEY_SPI });
	assert.match(v.location, /\?avertissement=cle$/);
	assert.match(v.page, /id="verif-spi-warning"/);
	assert.equal(dataAttr(v.page, 'verif-dgfip-result', 'data-ok'), '0');
	assert.equal(dataAttr(v.page, 'verif-dgfip-result', 'data-kind'), 'unknown_spi');
	const api = await srv.apiSession('instructeur@A');
	const res = await api.request('POST', `/api/v1/dossiers/${d.dossier}/verifications`, { json: { spi: BAD_KEY_SPI } });
	assert.equal(res.status, 201, res.text.slice(0, 800));
	assert.equal(res.json.avertissements.length, 1);
	assert.match(res.json.avertissements[0], /modulo 511/);
});

test('the JSON API: both results, both proof ids, Location, and the same view on GET', async () => {
	const d = await dossierFor('A');
	const api = await srv.apiSession('instructeur@A');
	const year = defaultYear();
	const res = await api.request('POST', `/api/v1/dossiers/${d.dossier}/verifications`, { json: { spi: SPI, annee: year } });
	assert.equal(res.status, 201, res.text.slice(0, 800));
	const v = res.json;
	assert.equal(res.headers.get('location'), `/api/v1/dossiers/${d.dossier}/verifications/${v.id}`);
	assert.equal(v.caf.ok, true);
	assert.equal(v.dgfip.ok, true);
	assert.ok(v.caf.proof_id > 0 && v.dgfip.proof_id > 0 && v.caf.proof_id !== v.dgfip.proof_id);
	assert.equal(v.annee, year);
	const e = dgfipExpected(SPI, year);
	assert.equal(v.dgfip.data.rfr, e.situation.rfr);
	assert.equal(v.dgfip.data.nombre_parts, String(e.situation.nbPart));
	assert.equal(v.dgfip.data.annee_revenus, year);
	assert.equal(v.caf.data.quotient_familial.valeur, cafFixture().payload.data.quotient_familial.valeur);
	assert.equal(v.comparaison.qf_fiscal.calcule, true);
	assert.equal(v.comparaison.qf_fiscal.valeur, qfFiscal(e.situation.rfr, e.situation.nbPart));
	assert.equal(JSON.stringify(v).includes(SPI), false);
	const proof = await (await srv.session('instructeur@A')).get(`/dossiers/${d.dossier}/consultations/${v.dgfip.proof_id}/preuve`);
	assert.equal(proof.status, 200);
	const again = await api.get(`/api/v1/dossiers/${d.dossier}/verifications/${v.id}`);
	assert.equal(again.status, 200);
	assert.equal(again.json.dgfip.proof_id, v.dgfip.proof_id);
	/* the same SPI gives the same keyed hash: the two consultations link */
	assert.ok(made.hash);
	const p2 = await (await srv.session('instructeur@A')).get(`/dossiers/${d.dossier}/consultations/${v.dgfip.proof_id}/preuve`);
	assert.equal(p2.json.parametres.numero_fiscal_empreinte, made.hash);
	/* refusals */
	const bad = await api.request('POST', `/api/v1/dossiers/${d.dossier}/verifications`, { json: { spi: '12', extra: 1 } });
	assert.equal(bad.status, 422);
	assert.ok(bad.json.error.fields.extra);
	const bad2 = await api.request('POST', `/api/v1/dossiers/${d.dossier}/verifications`, { json: { spi: 3049990103244 } });
	assert.equal(bad2.status, 422);
});

test('accueil may not verify (403), page and API; the auditeur reads but may not verify', async () => {
	assert.ok(made.ok);
	const { dossier, id } = made.ok;
	const accueil = await srv.session('accueil@A');
	assert.equal((await accueil.post(`/dossiers/${dossier}/verifications`, { spi: SPI })).status, 403);
	assert.equal((await accueil.get(`/dossiers/${dossier}/verifications/${id}`)).status, 403);
	const api = await srv.apiSession('accueil@A');
	assert.equal((await api.request('POST', `/api/v1/dossiers/${dossier}/verifications`, { json: { spi: SPI } })).status, 403);
	const auditeur = await srv.session('auditeur@A');
	assert.equal((await auditeur.get(`/dossiers/${dossier}/verifications/${id}`)).status, 200);
	assert.equal((await auditeur.post(`/dossiers/${dossier}/verifications`, { spi: SPI })).status, 403);
	const page = await auditeur.get(`/dossiers/${dossier}`);
	assert.ok(!page.text.includes('id="verif-form"'), 'no form for who may not verify');
	const valideur = await srv.session('valideur@A');
	assert.equal((await valideur.get(`/dossiers/${dossier}/verifications/${id}`)).status, 200);
});

test('tenant isolation: CCAS B sees nothing of CCAS A and cannot verify its dossiers', async () => {
	assert.ok(made.ok);
	const { dossier, id } = made.ok;
	const b = await srv.session('instructeur@B');
	assert.equal((await b.get(`/dossiers/${dossier}/verifications/${id}`)).status, 404);
	assert.equal((await b.post(`/dossiers/${dossier}/verifications`, { spi: SPI })).status, 404);
	const api = await srv.apiSession('instructeur@B');
	assert.equal((await api.get(`/api/v1/dossiers/${dossier}/verifications/${id}`)).status, 404);
	assert.equal((await api.request('POST', `/api/v1/dossiers/${dossier}/verifications`, { json: { spi: SPI } })).status, 404);
	/* B's own dossier with A's verification id */
	const dB = await dossierFor('B');
	assert.equal((await b.get(`/dossiers/${dB.dossier}/verifications/${id}`)).status, 404);
	/* B verifies its own dossier: its records are its own */
	const v = await verify('instructeur@B', dB.dossier, { spi: SPI });
	assert.equal(dataAttr(v.page, 'verif-dgfip-result', 'data-ok'), '1');
	const a = await srv.session('instructeur@A');
	assert.equal((await a.get(`/dossiers/${dB.dossier}/verifications/${v.id}`)).status, 404);
});

/* Every spelling of the SPI that could have leaked. */
function spiForms() {
	return [SPI, SPI_TYPED, BAD_KEY_SPI, SPI.slice(0, 10)];
}

function assertNoSpi(bytes, what) {
	for (const form of spiForms()) assert.equal(bytes.includes(form), false, `${what} holds ${form}`);
}

test('the numéro fiscal is nowhere: database file, pg_dump, server log, audit', async () => {
	assert.ok(made.hash && made.verifications.length >= 5, 'needs the verifications of the earlier tests');
	if (srv.dbPath) {
		const files = [srv.dbPath, `${srv.dbPath}-wal`, `${srv.dbPath}-shm`, `${srv.dbPath}-journal`].filter((f) => fs.existsSync(f));
		const all = Buffer.concat(files.map((f) => fs.readFileSync(f)));
		assertNoSpi(all, 'the SQLite files');
		/* the control: the keyed hash is there, so the right bytes were read */
		assert.ok(all.includes(made.hash), 'the keyed hash is in the database');
	}
	if (process.env.CASSIS_TEST_PG && !srv.dbPath) {
		const dump = spawnSync('pg_dump', ['--no-owner', srv.dbUrl], { encoding: 'utf8', maxBuffer: 256 << 20 });
		assert.equal(dump.status, 0, dump.stderr);
		assertNoSpi(dump.stdout, 'pg_dump');
		assert.ok(dump.stdout.includes(made.hash));
	}
	assertNoSpi(srv.stderr, 'the server log');
	const audit = await (await srv.session('administrateur@A')).get('/audit?type=verification');
	assert.equal(audit.status, 200);
	assertNoSpi(audit.text, 'the audit page');
	const all = await (await srv.session('administrateur@A')).get('/audit');
	assertNoSpi(all.text, 'the audit page');
});

test('the server stops cleanly', async () => {
	assertCleanExit(await srv.stop());
});
