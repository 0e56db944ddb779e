// Encryption at rest against a real server: after a note, a successful CAF
// consultation (stand-in), a payee's IBAN and an uploaded document are
// written, none of their plain text is found in the raw database files
// (SQLite: the database and its WAL; PostgreSQL: pg_dump's output), while
// the pages show them; the key rotation re-seals everything while the
// server runs (values readable during and after it, the old key then
// removable); a server started with another key, or without its key ring,
// refuses to start with a clear message.
//
// The key ring of this file's servers and commands: CASSIS_DATA_KEY, set
// below for every process started from here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { Fixtures } from './lib/fixtures.mjs';
import { psql } from './lib/pg.mjs';
import { parseForms } from './lib/forms.mjs';
import { PROJECT_FIXTURES, QF_OPERATION, startStandin } from './lib/standin.mjs';
import { ROOT, TENANTS, assertCleanExit, cli, startPeer, startServer } from './lib/server.mjs';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-seal-'));
const RING = path.join(DIR, 'cassis-data.key');
process.env.CASSIS_DATA_KEY = RING;

const NOTE = 'Note confidentielle : dette de loyer envers Habitat Chênaie, ne pas en parler au conjoint.';
const NOTE_AFTER = 'Seconde note, écrite pendant la rotation des clés : visite à domicile prévue.';
const IBAN = 'FR7630006000011234567890189'; /* lib/fixtures.mjs createPayee, normalised */
const PDF_TEXT = 'BT /F1 18 Tf 72 760 Td (Justificatif de domicile) Tj ET'; /* inside minimal.pdf */

let srv;
let standin;
let fx;
const made = {}; /* what was written: dossier, consultation, ... */

function fixture(name) {
	const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_FIXTURES, QF_OPERATION, name), 'utf8'));
	return { ...doc, payload: JSON.parse(doc.payload) };
}

function idOf(res, re, what) {
	assert.equal(res.status, 303, `${what}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const m = re.exec(res.headers.get('location') || '');
	assert.ok(m, `${what}: Location ${res.headers.get('location')}`);
	return Number(m[1]);
}

/* A dossier of tenant A for the identity of fixture fx, with an aid type
 * keeping every CAF scope (the address among them). */
async function dossierFor(p) {
	const s = await srv.session('instructeur@A');
	const admin = await srv.session('administrateur@A');
	let res = await s.post('/usagers', {
		nom_naissance: p.nomNaissance, nom_usage: '', prenom1: p.prenoms[0], prenom2: p.prenoms[1] || '',
		prenom3: '', sexe: p.sexeEtatCivil,
		date_naissance: `${p.anneeDateNaissance}-${String(p.moisDateNaissance).padStart(2, '0')}-${String(p.jourDateNaissance).padStart(2, '0')}`,
		lieu_type: 'commune', commune_naissance: p.codeCogInseeCommuneNaissance, pays_naissance: '',
		nationalite: 'francaise', telephone: '', email: '', adresse: '3 rue des Essais', code_postal: '49990',
		commune: 'Démoville',
	});
	const person = idOf(res, /^\/usagers\/(\d+)/, 'person');
	const page = await s.get(`/foyers/nouveau?demandeur=${person}`);
	const form = parseForms(page.text).find((f) => f.method === 'POST' && f.action === '/foyers');
	const household = idOf(await s.post('/foyers', { ...form.fields, label: 'Foyer chiffré', date_entree: '2024-01-15' }),
		/^\/foyers\/(\d+)/, 'household');
	res = await admin.post('/admin/aides', { label: 'Aide chiffrement', code: 'aide-chiffrement', description: 'Essai' });
	assert.equal(res.status, 303);
	const api = await srv.apiSession('instructeur@A');
	const aid = (await api.get('/api/v1/aid-types?limit=200')).json.data.find((a) => a.code === 'aide-chiffrement').id;
	res = await admin.post(`/admin/aides/${aid}/donnees-caf`, {
		cnaf_quotient_familial: '1', cnaf_allocataires: '1', cnaf_enfants: '1', cnaf_adresse: '1',
	});
	assert.equal(res.status, 303);
	res = await s.post('/dossiers', {
		household_id: String(household), applicant_id: String(person), aid_type_id: String(aid),
		motif: 'Essai du chiffrement', montant_demande: '100',
	});
	return idOf(res, /^\/dossiers\/(\d+)/, 'dossier');
}

async function addNote(text) {
	const s = await srv.session('instructeur@A');
	const res = await s.post(`/dossiers/${made.dossier}/notes`, { note: text });
	assert.equal(res.status, 303, `note: ${res.status}\n${res.text.slice(0, 800)}`);
}

/* The raw bytes the database keeps: the SQLite file and its WAL, or the
 * output of pg_dump. */
function rawDatabase() {
	if (srv.dbPath) {
		const parts = [srv.dbPath, `${srv.dbPath}-wal`].filter((f) => fs.existsSync(f));
		return Buffer.concat(parts.map((f) => fs.readFileSync(f)));
	}
	const r = spawnSync('pg_dump', ['--no-owner', '-d', srv.dbUrl], { maxBuffer: 512 * 1024 * 1024 });
	assert.equal(r.status, 0, `pg_dump: ${r.stderr}`);
	return r.stdout;
}

/* What must never be found in clear in the database. */
function secrets() {
	const list = [NOTE, 'Habitat Chênaie', made.qfText, made.qfPlace];
	if (made.payee) list.push(IBAN);
	if (made.document) list.push(PDF_TEXT);
	return list.filter(Boolean);
}

function assertNothingInClear(when) {
	const raw = rawDatabase();
	for (const s of secrets()) {
		assert.equal(raw.indexOf(Buffer.from(s, 'utf8')), -1, `${when}: "${s}" is in the database in clear`);
		/* pg_dump writes binary columns in hex */
		const hex = Buffer.from(Buffer.from(s, 'utf8').toString('hex'));
		assert.equal(raw.indexOf(hex), -1, `${when}: "${s}" is in the database in clear (hex)`);
	}
	assert.ok(raw.indexOf(Buffer.from('sealed:', 'utf8')) >= 0, `${when}: no sealed value at all`);
}

/* Everything written reads back in clear through the application. */
async function assertReadable(when) {
	const s = await srv.session('instructeur@A');
	const page = await s.get(`/dossiers/${made.dossier}`);
	assert.equal(page.status, 200, `${when}: dossier page ${page.status}`);
	assert.ok(page.text.includes('Habitat Chênaie'), `${when}: the note is not shown`);
	const c = await s.get(`/dossiers/${made.dossier}/consultations/${made.consultation}`);
	assert.equal(c.status, 200, `${when}: consultation page ${c.status}`);
	assert.ok(c.text.includes(made.qfPlace), `${when}: the CAF address is not shown`);
	const proof = await s.get(`/dossiers/${made.dossier}/consultations/${made.consultation}/preuve`);
	assert.equal(proof.status, 200);
	assert.equal(proof.json.reponse_minimisee.adresse.lieu_dit, made.qfPlace);
	if (made.document) {
		const doc = await s.get(`/dossiers/${made.docDossier}/pieces/${made.document}`);
		assert.equal(doc.status, 200, `${when}: document ${doc.status}`);
		assert.ok(doc.text.includes(PDF_TEXT), `${when}: the document's bytes are not served back`);
	}
	if (made.payee) {
		const p = await s.get(`/dossiers/${made.payeeDossier}`);
		assert.equal(p.status, 200);
		assert.ok(p.text.includes(`id="payee-${made.payee}"`), `${when}: the payee is not shown`);
	}
}

function keys(args) {
	return cli(['keys', ...args, '--db', srv.dbUrl]);
}

before(async () => {
	srv = await startServer();
	fx = new Fixtures(srv);
	standin = await startStandin({ args: ['--rate', '0'] });
	const tokenFile = path.join(DIR, 'jeton');
	fs.writeFileSync(tokenFile, 'jeton-essai-a\n', { mode: 0o600 });
	const r = cli(['tenant', 'set-provider', '--db', srv.dbUrl, '--tenant', TENANTS.A.siret,
		'--particulier-url', standin.url, '--particulier-token-file', tokenFile]);
	assert.equal(r.status, 0, r.stderr);
	const f = fixture('200-msa-couple-3_enfants.yaml');
	made.qfPlace = f.payload.data.adresse.lieu_dit;
	made.qfText = f.payload.data.adresse.code_postal_ville;
	made.dossier = await dossierFor(f.params);
	await addNote(NOTE);
	const s = await srv.session('instructeur@A');
	const res = await s.post(`/dossiers/${made.dossier}/consultations`, {});
	assert.equal(res.status, 303, `consultation: ${res.status}\n${res.text.slice(0, 800)}`);
	const page = await s.get(`/dossiers/${made.dossier}`);
	const m = /id="caf-latest" data-consultation="(\d+)" data-ok="1"/.exec(page.text);
	assert.ok(m, 'no successful consultation on the dossier page');
	made.consultation = Number(m[1]);
	/* a payee and a document, when this server has them */
	if (!fx.unavailable('payee')) {
		made.payee = await fx.get('A', 'payee');
		made.payeeDossier = await fx.get('A', 'granted_dossier');
	}
	if (!fx.unavailable('document')) {
		made.document = await fx.get('A', 'document');
		made.docDossier = await fx.get('A', 'dossier');
	}
});

after(async () => {
	await standin?.stop();
	srv?.cleanup();
	fs.rmSync(DIR, { recursive: true, force: true });
});

test('the key ring was created at the first start, mode 0600, holding one key', () => {
	const st = fs.statSync(RING);
	assert.equal(st.mode & 0o777, 0o600);
	const lines = fs.readFileSync(RING, 'utf8').split('\n').filter((l) => l.startsWith('cassis-data-key:'));
	assert.equal(lines.length, 1);
});

test('the raw database holds no note, CAF answer, IBAN or document in clear', async () => {
	await assertReadable('before rotation');
	assertNothingInClear('before rotation');
});

/* One SQL text on the test database (sqlite3 shell or psql): its output. */
function sql(q) {
	if (!srv.dbPath) return psql(srv.dbUrl, q).trim();
	const r = spawnSync('sqlite3', [srv.dbPath, q], { encoding: 'utf8' });
	assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
	return r.stdout.trim();
}

test('a value moved to another row does not open: a server error, never another value', async () => {
	const s = await srv.session('instructeur@A');
	await addNote('Note sans importance, avant le déplacement.');
	const last = sql("SELECT max(id) FROM dossier_events WHERE kind = 'note'");
	const keep = sql(`SELECT detail FROM dossier_events WHERE id = ${last}`);
	sql(`UPDATE dossier_events SET detail = (SELECT detail FROM dossier_events WHERE kind = 'note' ORDER BY id LIMIT 1) WHERE id = ${last}`);
	const page = await s.get(`/dossiers/${made.dossier}`);
	assert.equal(page.status, 500);
	assert.ok(!page.text.includes('Habitat Chênaie'));
	assert.ok(srv.logLines().some((l) => l.includes(`dossier_events.detail:${last}`) && l.includes('auth')));
	sql(`UPDATE dossier_events SET detail = '${keep}' WHERE id = ${last}`);
	assert.equal((await s.get(`/dossiers/${made.dossier}`)).status, 200);
});

test('key rotation while the server runs: everything re-sealed, readable during and after', async () => {
	const before = fs.readFileSync(RING, 'utf8');
	const oldId = /# clé ([0-9a-f]{8})/.exec(before)[1];
	const r = keys(['rotate', '--data-key', RING, '--batch', '2', '--wait', '2']);
	assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
	assert.match(r.stdout, /Rotation terminée/);
	assert.match(r.stdout, /rechiffrées/);
	const ids = [...fs.readFileSync(RING, 'utf8').matchAll(/# clé ([0-9a-f]{8})/g)].map((m) => m[1]);
	assert.equal(ids.length, 2);
	assert.notEqual(ids[0], oldId, 'a new key comes first');
	assert.equal(ids[1], oldId, 'the old key stays for reading');
	made.newId = ids[0];
	made.oldId = oldId;
	/* the running server followed the ring: reads, and writes under the new key */
	await assertReadable('after rotation');
	await addNote(NOTE_AFTER);
	const st = keys(['status', '--data-key', RING]);
	assert.equal(st.status, 0, st.stderr);
	assert.match(st.stdout, /0 sous d'autres clés/);
	assert.match(st.stdout, /0 en clair/);
	assert.match(st.stdout, new RegExp(`${oldId}\\s+retire`));
	assertNothingInClear('after rotation');
	/* audited once, with the counts */
	const out = sql("SELECT changes FROM audit_log WHERE action = 'rotation_cle_donnees'").split('\n');
	assert.equal(out.length, 1);
	assert.match(out[0], /"valeurs_rechiffrees": ?\[null, ?[1-9]\d*\]/);
});

test('the old key is removable: retired, set apart, and a restarted server reads everything', async () => {
	const r = keys(['retire', '--data-key', RING]);
	assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
	assert.match(r.stdout, new RegExp(`Clé ${made.oldId} retirée`));
	const ids = [...fs.readFileSync(RING, 'utf8').matchAll(/# clé ([0-9a-f]{8})/g)].map((m) => m[1]);
	assert.deepEqual(ids, [made.newId]);
	const archived = path.join(DIR, `cassis-data.key.retiree-${made.oldId}`);
	assert.ok(fs.existsSync(archived), 'the retired key is set apart');
	assert.equal(fs.statSync(archived).mode & 0o777, 0o600);
	const end = await srv.stop();
	assertCleanExit(end);
	const again = await startPeer(srv); /* same database and ring */
	const old = srv;
	srv = again;
	try {
		await assertReadable('restarted with the new key only');
		const page = await (await srv.session('instructeur@A')).get(`/dossiers/${made.dossier}`);
		assert.ok(page.text.includes('visite à domicile prévue'));
	} finally {
		srv = old;
		await again.stop();
		again.cleanup();
	}
});

test('a server started with another key refuses to start, saying why', async () => {
	const wrong = path.join(DIR, 'autre.key');
	const r = cli(['keys', 'init-data', '--data-key', wrong]);
	assert.equal(r.status, 0, r.stderr);
	assert.match(r.stdout, /Clé de chiffrement des données créée/);
	await assert.rejects(startPeer(srv, { env: { CASSIS_DATA_KEY: wrong } }), (e) => {
		assert.match(e.message, /mauvaise clé de chiffrement des données/);
		assert.match(e.message, /--data-key/);
		return true;
	});
	await assert.rejects(startPeer(srv, { env: { CASSIS_DATA_KEY: path.join(DIR, 'absente.key') } }), (e) => {
		assert.match(e.message, /introuvable/);
		return true;
	});
	assert.ok(!fs.existsSync(path.join(DIR, 'absente.key')), 'no key made up for a database that has one');
});

test('cassis keys: help, usage errors and an existing file never overwritten', () => {
	let r = cli(['keys', 'rotate', '--help']);
	assert.equal(r.status, 0);
	assert.match(r.stdout, /cassis keys rotate --db URL --data-key FICHIER/);
	r = cli(['keys', 'rotate', '--db', srv.dbUrl]);
	assert.equal(r.status, 2);
	assert.match(r.stderr, /--data-key FICHIER est obligatoire/);
	r = cli(['keys', 'rotate', '--db', srv.dbUrl, '--data-key', RING, '--batch', '0']);
	assert.equal(r.status, 2);
	const before = fs.readFileSync(RING, 'utf8');
	r = cli(['keys', 'init-data', '--data-key', RING]);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /existe déjà/);
	assert.equal(fs.readFileSync(RING, 'utf8'), before);
});
