// Rights of the person against a real server: a rich person built through
// the pages (household with a spouse, a dossier with budget lines and a
// note, a CAF consultation against the stand-in of API Particulier, an
// evaluation, the commission's decision, letters, a document, a payment
// to the person's own account), then the export of everything held on
// them (droit d'accès) as JSON and as a PDF whose text is read with
// pdftotext; who may export; tenant isolation; the export in the audit and
// access logs; the erasure refused with its reason while a dossier keeps
// the person, done otherwise (the person is gone); the command line.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { decodeEntities, parseForms } from './lib/forms.mjs';
import { PROJECT_FIXTURES, QF_OPERATION, startStandin } from './lib/standin.mjs';
import { BIN, ROOT, TENANTS, assertCleanExit, cli, startServer } from './lib/server.mjs';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-person-export-'));
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;
const FIXTURE = '200-demo-lefebvre-seul-qf_cnaf.yaml';
const RULE = {
	conditions: [{ libelle: 'Quotient familial CAF d’au plus 1 500 €', expression: 'qf_caf <= 1500' }],
	montant: 'min(montant_demande, 150)',
};
const IBAN = 'FR76 3000 6000 0112 3456 7890 189';
const IBAN_COMPACT = IBAN.replace(/ /g, '');
const PDF_SAMPLE = fs.readFileSync(path.join(ROOT, 'tests/unit/data/filetype/minimal.pdf'));
const today = new Date().toLocaleDateString('fr-CA', { timeZone: 'Europe/Paris' }); /* YYYY-MM-DD */
/* The sections of the PDF (app/person_export_internal.h). */
const SECTIONS = ['Identité et coordonnées', 'Foyers', 'Coordonnées bancaires', 'Dossiers',
	'Journal des accès', 'Journal d’audit', 'Vos droits'];
const DENIED = ['accueil@A', 'instructeur@A', 'valideur@A', 'auditeur@A'];

let srv;
let standin;
const w = {}; /* the ids of the rich person's file */

function location(res, what) {
	assert.equal(res.status, 303, `${what}: ${res.status}\n${decodeEntities(res.text).slice(0, 2500)}`);
	return res.headers.get('location') || '';
}

function idFrom(res, re, what) {
	const m = re.exec(location(res, what));
	assert.ok(m, `${what}: Location ${res.headers.get('location')}`);
	return Number(m[1]);
}

async function page(who, url) {
	const res = await (await srv.session(who)).get(url);
	assert.equal(res.status, 200, `GET ${url} (${who}): ${res.status}\n${res.text.slice(0, 1500)}`);
	return res.text;
}

/* An action of the dossier page, submitted as the agent would. */
async function act(who, to, fields = {}) {
	const html = await page(who, `/dossiers/${w.dossier}`);
	const form = parseForms(html).find((f) => f.id === `action-${to}`);
	assert.ok(form, `${who}: no form "${to}" on the dossier page`);
	const s = await srv.session(who);
	location(await s.post(form.action, { ...form.fields, ...fields }), `${who} → ${to}`);
}

/* GET with the session of who, as bytes. */
async function fetchAs(who, url) {
	const s = await srv.session(who);
	const res = await fetch(srv.base + url, { headers: { Cookie: s.cookieHeader() }, redirect: 'manual' });
	return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

function pdfText(buf) {
	const file = path.join(DIR, `export-${Date.now()}.pdf`);
	fs.writeFileSync(file, buf);
	const r = spawnSync('pdftotext', ['-q', file, '-'], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.replace(/\s+/g, ' ').replace(/'/g, '’');
}

function birthDate(p) {
	return [p.anneeDateNaissance, p.moisDateNaissance, p.jourDateNaissance]
		.map((x, i) => (i ? String(x).padStart(2, '0') : String(x))).join('-');
}

function personForm(fields) {
	return {
		nom_naissance: '', nom_usage: '', prenom1: '', prenom2: '', prenom3: '', sexe: 'F',
		date_naissance: '1980-04-02', lieu_type: 'commune', commune_naissance: '75056', pays_naissance: '',
		nationalite: 'francaise', telephone: '', email: '', adresse: '', code_postal: '', commune: '', ...fields,
	};
}

async function newPerson(who, fields) {
	const s = await srv.session(who);
	return idFrom(await s.post('/usagers', personForm(fields)), /^\/usagers\/(\d+)/, 'person');
}

async function newHousehold(who, demandeur, label) {
	const s = await srv.session(who);
	const form = parseForms(await page(who, `/foyers/nouveau?demandeur=${demandeur}`))
		.find((f) => f.method === 'POST' && f.action === '/foyers');
	return idFrom(await s.post('/foyers', { ...form.fields, label, date_entree: '2024-01-15' }),
		/^\/foyers\/(\d+)/, 'household');
}

before(async () => {
	srv = await startServer({ env: { CASSIS_SIGNING_KEY: path.join(DIR, 'signing.key') } });
	standin = await startStandin({ args: ['--rate', '0'] });
	const token = path.join(DIR, 'jeton');
	fs.writeFileSync(token, 'jeton-essai-a\n', { mode: 0o600 });
	const r = cli(['tenant', 'set-provider', '--db', srv.dbUrl, '--tenant', TENANTS.A.siret,
		'--particulier-url', standin.url, '--particulier-token-file', token]);
	assert.equal(r.status, 0, r.stderr);
});

after(async () => {
	await standin?.stop();
	if (srv) {
		assertCleanExit(await srv.stop());
		srv.cleanup();
	}
	fs.rmSync(DIR, { recursive: true, force: true });
});

test('a rich person, built through the pages', async () => {
	const admin = await srv.session('administrateur@A');
	location(await admin.post('/admin/aides', { code: 'energie', label: 'Aide à l’énergie', description: 'Facture d’énergie' }), 'aid');
	const list = await page('administrateur@A', '/admin/aides');
	w.aid = Number(/<tr id="aid-(\d+)">\s*<th scope="row">Aide à l’énergie<\/th>/.exec(list)[1]);
	const vid = idFrom(await admin.post(`/admin/aides/${w.aid}/versions`, {
		du: '2020-01-01', au: '', note: 'Délibération du 12 janvier 2020', document: JSON.stringify(RULE),
	}), new RegExp(`^/admin/aides/${w.aid}/versions/(\\d+)$`), 'version');
	location(await admin.post(`/admin/aides/${w.aid}/versions/${vid}/activer`, {}), 'activation');

	const p = YAML.parse(fs.readFileSync(path.join(PROJECT_FIXTURES, QF_OPERATION, FIXTURE), 'utf8')).params;
	w.nom = p.nomNaissance.charAt(0) + p.nomNaissance.slice(1).toLowerCase();
	w.prenom = p.prenoms[0];
	w.person = await newPerson('accueil@A', {
		nom_naissance: p.nomNaissance, prenom1: p.prenoms[0], prenom2: p.prenoms[1] || '',
		sexe: p.sexeEtatCivil, date_naissance: birthDate(p), commune_naissance: p.codeCogInseeCommuneNaissance,
		telephone: '06 12 34 56 78', adresse: '12 rue des Tilleuls', code_postal: '75011', commune: 'Paris',
	});
	w.spouse = await newPerson('accueil@A', { nom_naissance: 'Essai-Conjoint', prenom1: 'Marc', sexe: 'M' });
	w.household = await newHousehold('accueil@A', w.person, `Foyer ${p.nomNaissance}`);
	const s = await srv.session('accueil@A');
	location(await s.post(`/foyers/${w.household}/membres`, { person_id: String(w.spouse), relation: 'conjoint', date_entree: '2024-01-15' }), 'member');
	w.dossier = idFrom(await s.post('/dossiers', {
		household_id: String(w.household), applicant_id: String(w.person), aid_type_id: String(w.aid),
		motif: 'Facture d’électricité impayée après un arrêt maladie.', montant_demande: '180',
	}), /^\/dossiers\/(\d+)/, 'dossier');
	await act('accueil@A', 'depose');
	await act('instructeur@A', 'en_instruction');

	const i = await srv.session('instructeur@A');
	location(await i.post(`/dossiers/${w.dossier}/lignes`, { category: 'salaire', label: 'Emploi à temps partiel', montant: '1 100' }), 'line');
	location(await i.post(`/dossiers/${w.dossier}/notes`, { note: 'Échéancier demandé au fournisseur.' }), 'note');
	location(await i.post(`/dossiers/${w.dossier}/consultations`, {}), 'CAF consultation');
	location(await i.post(`/dossiers/${w.dossier}/evaluation`, {}), 'evaluation');
	const form = new FormData();
	form.append('csrf', i.csrf);
	form.append('piece', 'autre');
	form.append('autre', 'Facture d’électricité');
	form.append('fichier', new Blob([PDF_SAMPLE], { type: 'application/pdf' }), 'facture.pdf');
	const up = await i.request('POST', `/dossiers/${w.dossier}/pieces`, { raw: form });
	assert.equal(up.status, 303, `upload: ${up.status}\n${up.text.slice(0, 1500)}`);
	await act('instructeur@A', 'instruit', {
		proposition: 'accord', montant: '150', appreciation: 'Dette ponctuelle après un arrêt maladie.',
	});

	const v = await srv.session('valideur@A');
	const session = idFrom(await v.post('/commissions', {
		date_seance: today, heure: '14:30', lieu: 'Salle du conseil', membres: 'Claire Dubois, vice-présidente',
	}), /^\/commissions\/(\d+)$/, 'commission');
	const add = parseForms(await page('valideur@A', `/commissions/${session}`)).find((f) => f.id === 'add-form');
	location(await v.post(add.action, { [`dossier_${w.dossier}`]: '1' }), 'agenda');
	const agenda = await page('valideur@A', `/commissions/${session}`);
	const item = new RegExp(`<tr id="item-(\\d+)" data-state="[a-z_]+">\\s*<th scope="row">\\d+</th>\\s*<td><a href="/dossiers/${w.dossier}"`).exec(agenda);
	const url = `/commissions/${session}/ordre-du-jour/${item[1]}/decision`;
	const decide = parseForms(await page('valideur@A', url)).find((f) => f.id === 'decide-form');
	location(await v.post(url, { ...decide.fields, decision: 'accorde', montant: '150', vote: 'Unanimité' }), 'decision');
	await act('instructeur@A', 'notifie');

	let html = await page('instructeur@A', `/dossiers/${w.dossier}`);
	const payee = parseForms(html).find((f) => f.id === 'payee-form');
	location(await i.post(`/dossiers/${w.dossier}/titulaires`, { ...payee.fields, kind: 'beneficiaire', nom: `${w.prenom} ${w.nom}`, iban: IBAN, bic: '' }), 'payee');
	html = await page('instructeur@A', `/dossiers/${w.dossier}`);
	const payeeId = /<li id="payee-(\d+)">/.exec(html)[1];
	location(await i.post(`/dossiers/${w.dossier}/paiements`, {
		mode: 'virement', payee_id: payeeId, objet: 'Aide à l’énergie', montant: '150', echeances: '1', date_prevue: '', bons: '', valeur_bon: '',
	}), 'payment');
	/* a rectification through the ordinary form */
	const edit = parseForms(await page('accueil@A', `/usagers/${w.person}/modifier`)).find((f) => f.action === `/usagers/${w.person}`);
	location(await s.post(edit.action, { ...edit.fields, telephone: '06 98 76 54 32' }), 'rectification');
	await page('instructeur@A', `/usagers/${w.person}`); /* a read, for the access log */
});

test('the person page offers the export and says why the person cannot be erased', async () => {
	const html = decodeEntities(await page('administrateur@A', `/usagers/${w.person}`));
	assert.match(html, /id="person-rights-title">Droits de la personne</);
	assert.match(html, /Exporter les données \(droit d.accès\)/);
	assert.match(html, new RegExp(`href="/usagers/${w.person}/export.pdf" id="person-export-pdf"`));
	assert.match(html, new RegExp(`href="/usagers/${w.person}/export.json" id="person-export-json"`));
	assert.match(html, /id="person-erase-refusal"><strong>Effacement impossible :<\/strong> La personne est demandeu(?:r|se) du dossier \d{4}-\d{5}, en cours/);
	assert.doesNotMatch(html, /id="person-erase"/);
	for (const who of DENIED) {
		const other = await page(who, `/usagers/${w.person}`);
		assert.doesNotMatch(other, /person-rights|export\.json/, `${who} sees no export`);
	}
});

test('the JSON export holds every category', async () => {
	const res = await fetchAs('administrateur@A', `/usagers/${w.person}/export.json`);
	assert.equal(res.status, 200, res.body.toString().slice(0, 1500));
	assert.match(res.headers.get('content-type'), /^application\/json/);
	assert.match(res.headers.get('content-disposition'), new RegExp(`attachment; filename="donnees-personne-${w.person}.json"`));
	const doc = JSON.parse(res.body.toString('utf8'));
	assert.equal(doc.format, 'cassis-export-personne');
	assert.equal(doc.ccas.siret, TENANTS.A.siret);
	assert.equal(doc.personne.id, w.person);
	assert.equal(doc.personne.telephone, '06 98 76 54 32');
	assert.equal(doc.personne.adresse, '12 rue des Tilleuls');
	const nonEmpty = (v, what) => assert.ok(Array.isArray(v) && v.length > 0, `${what} empty: ${JSON.stringify(v)?.slice(0, 300)}`);
	nonEmpty(doc.foyers, 'foyers');
	assert.equal(doc.foyers[0].id, w.household);
	assert.deepEqual(doc.foyers[0].membres.map((m) => m.relation).sort(), ['conjoint', 'demandeur']);
	nonEmpty(doc.comptes_bancaires, 'comptes_bancaires');
	assert.equal(doc.comptes_bancaires[0].iban, IBAN_COMPACT, 'the person’s own IBAN, in full');
	const d = doc.dossiers.find((x) => x.id === w.dossier);
	assert.ok(d, 'the dossier');
	assert.equal(d.role, 'demandeur');
	assert.equal(d.decision, 'accorde');
	assert.equal(d.montant_accorde, 15000);
	for (const k of ['lignes', 'notes', 'historique', 'evaluations', 'commission', 'courriers', 'pieces', 'paiements', 'consultations'])
		nonEmpty(d[k], `dossiers[].${k}`);
	assert.equal(d.notes[0].detail, 'Échéancier demandé au fournisseur.');
	assert.ok(d.courriers.some((l) => l.kind === 'accuse_reception'));
	assert.ok(d.courriers.every((l) => !('pdf' in l)), 'the letters are listed, not their bytes');
	assert.equal(d.pieces[0].nom_fichier, 'facture.pdf');
	assert.ok(!('contenu' in d.pieces[0]));
	assert.equal(d.paiements[0].titulaire.iban, IBAN_COMPACT);
	const c = d.consultations[0];
	assert.equal(c.api, 'particulier');
	assert.ok(c.response && typeof c.response === 'object' && c.response.quotient_familial, 'the minimised answer');
	assert.match(c.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	assert.equal(typeof d.evaluations[0].result, 'object');
	assert.ok(d.conservation && /conservé/.test(d.conservation.texte));
	nonEmpty(doc.journal_acces, 'journal_acces');
	nonEmpty(doc.journal_audit, 'journal_audit');
	const rect = doc.journal_audit.find((e) => e.action === 'modification' && e.object_type === 'person');
	assert.deepEqual(rect?.changes?.telephone, ['06 12 34 56 78', '06 98 76 54 32'], 'the rectification is audited');
	assert.ok(doc.journal_audit.some((e) => e.object_type === 'dossier' && e.action === 'changement_etat'));
	assert.ok(doc.journal_audit.some((e) => e.object_type === 'consultation'));
	assert.ok(doc.journal_audit.some((e) => e.object_type === 'payee'));
	/* the spouse's dossier: as a member of the household */
	const spouse = JSON.parse((await fetchAs('administrateur@A', `/usagers/${w.spouse}/export.json`)).body.toString());
	const sd = spouse.dossiers.find((x) => x.id === w.dossier);
	assert.equal(sd.role, 'membre_du_foyer');
	assert.ok(!('notes' in sd), 'a member does not receive the applicant’s notes');
});

test('the export is audited and access-logged', async () => {
	const doc = JSON.parse((await fetchAs('administrateur@A', `/usagers/${w.person}/export.json`)).body.toString());
	const exports = doc.journal_audit.filter((e) => e.action === 'export_donnees');
	assert.ok(exports.length >= 1, 'export_donnees in the audit');
	assert.deepEqual(exports[0].changes.format, [null, 'json']);
	assert.ok(doc.journal_acces.some((a) => a.route === 'GET /usagers/{id}/export.json' && a.object_type === 'person'),
		JSON.stringify(doc.journal_acces.slice(-5)));
	assert.ok(doc.journal_acces.some((a) => a.route === 'GET /usagers/{id}' && a.object_type === 'person'));
	const audit = decodeEntities(await page('administrateur@A', `/audit?objet=person&id=${w.person}`));
	assert.match(audit, /export_donnees/);
});

test('the PDF export reads in French: the name and every section', async () => {
	const res = await fetchAs('administrateur@A', `/usagers/${w.person}/export.pdf`);
	assert.equal(res.status, 200);
	assert.equal(res.headers.get('content-type'), 'application/pdf');
	assert.match(res.headers.get('content-disposition'), /donnees-personne-\d+\.pdf/);
	assert.equal(res.body.subarray(0, 5).toString(), '%PDF-');
	if (!HAS_PDFTOTEXT) return;
	const text = pdfText(res.body);
	for (const needle of [`Données personnelles de ${w.prenom} ${w.nom}`, ...SECTIONS, 'Ressources et charges',
		'Notes', 'Historique', 'Évaluations', 'Commission', 'Courriers', 'Pièces justificatives', 'Paiements',
		'Consultations des administrations', 'facture.pdf', IBAN_COMPACT, '12 rue des Tilleuls', 'CNIL'])
		assert.ok(text.includes(needle), `« ${needle} » missing from the PDF:\n${text.slice(0, 3000)}`);
});

test('only the administrateur exports or erases', async () => {
	for (const who of DENIED) {
		for (const ext of ['json', 'pdf'])
			assert.equal((await fetchAs(who, `/usagers/${w.person}/export.${ext}`)).status, 403, `${who} export.${ext}`);
		const s = await srv.session(who);
		assert.equal((await s.post(`/usagers/${w.person}/effacer`, {})).status, 403, `${who} erase`);
	}
	const api = await srv.apiSession('instructeur@A');
	assert.equal((await api.get(`/api/v1/persons/${w.person}/export`)).status, 403);
	assert.equal((await api.request('DELETE', `/api/v1/persons/${w.person}`)).status, 403);
});

test('the API: JSON and PDF exports for an administrateur key', async () => {
	const api = await srv.apiSession('administrateur@A');
	const res = await api.get(`/api/v1/persons/${w.person}/export`);
	assert.equal(res.status, 200);
	assert.equal(res.json.personne.id, w.person);
	assert.ok(res.json.dossiers.length > 0);
	const pdf = await fetch(`${srv.base}/api/v1/persons/${w.person}/export?format=pdf`, { headers: { Authorization: `Bearer ${api.apiKey}` } });
	assert.equal(pdf.status, 200);
	assert.equal(pdf.headers.get('content-type'), 'application/pdf');
	assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
	const bad = await api.get(`/api/v1/persons/${w.person}/export?format=xml`);
	assert.equal(bad.status, 400);
	assert.equal(bad.json.error.code, 'bad_request');
});

test('tenant isolation: another CCAS sees nothing', async () => {
	for (const ext of ['json', 'pdf'])
		assert.equal((await fetchAs('administrateur@B', `/usagers/${w.person}/export.${ext}`)).status, 404);
	const s = await srv.session('administrateur@B');
	assert.equal((await s.post(`/usagers/${w.person}/effacer`, {})).status, 404);
	const api = await srv.apiSession('administrateur@B');
	assert.equal((await api.get(`/api/v1/persons/${w.person}/export`)).status, 404);
	assert.equal((await api.request('DELETE', `/api/v1/persons/${w.person}`)).status, 404);
	assert.equal((await (await srv.apiSession('auditeur@A')).get(`/api/v1/persons/${w.person}`)).status, 200, 'still there');
});

test('erasure refused while a dossier keeps the person, with the reason', async () => {
	const s = await srv.session('administrateur@A');
	const res = await s.post(`/usagers/${w.person}/effacer`, {});
	assert.equal(res.status, 409);
	const text = decodeEntities(res.text);
	assert.match(text, /<h1[^>]*>Effacement impossible<\/h1>/);
	assert.match(text, /La personne est demandeu(?:r|se) du dossier \d{4}-\d{5}, en cours \(état « Notifié »\) : il est conservé \d+ mois après sa clôture \(obligation légale de conservation\)\./);
	const api = await srv.apiSession('administrateur@A');
	const del = await api.request('DELETE', `/api/v1/persons/${w.spouse}`);
	assert.equal(del.status, 409);
	assert.equal(del.json.error.code, 'retention');
	assert.match(del.json.error.message, /La personne est membre du foyer du dossier \d{4}-\d{5}/);
	assert.equal((await api.get(`/api/v1/persons/${w.person}`)).status, 200);
	const doc = JSON.parse((await fetchAs('administrateur@A', `/usagers/${w.person}/export.json`)).body.toString());
	assert.ok(doc.journal_audit.some((e) => e.action === 'effacement_refuse'), 'the refusal is audited');
});

test('erasure where nothing keeps the person: confirmed, audited, gone', async () => {
	const lone = await newPerson('accueil@A', { nom_naissance: 'Effaçable', prenom1: 'Inès', email: 'ines@example.org' });
	await newHousehold('accueil@A', lone, 'Foyer EFFAÇABLE');
	const html = decodeEntities(await page('administrateur@A', `/usagers/${lone}`));
	const form = parseForms(html).find((f) => f.id === 'person-erase-form');
	assert.ok(form, 'the erase form');
	assert.equal(form.action, `/usagers/${lone}/effacer`);
	assert.match(html, /data-confirm="Effacer définitivement cette personne \?/);
	assert.match(html, /<button type="submit" class="secondary" id="person-erase">Effacer la personne<\/button>/);
	const s = await srv.session('administrateur@A');
	assert.equal(location(await s.post(form.action, form.fields), 'erase'), '/usagers');
	assert.match(decodeEntities(await page('administrateur@A', '/usagers')), /La personne est effacée/);
	assert.equal((await s.get(`/usagers/${lone}`)).status, 404);
	assert.equal((await fetchAs('administrateur@A', `/usagers/${lone}/export.json`)).status, 404);
	const audit = decodeEntities(await page('administrateur@A', `/audit?objet=person&id=${lone}`));
	assert.match(audit, /effacement/);
	assert.doesNotMatch(audit, /ines@example\.org|Effaçable/i, 'the audit keeps no trace of the values');
	/* the API: 204, then 404 */
	const other = await newPerson('accueil@A', { nom_naissance: 'Sansdossier', prenom1: 'Léo', sexe: 'M' });
	const api = await srv.apiSession('administrateur@A');
	assert.equal((await api.request('DELETE', `/api/v1/persons/${other}`)).status, 204);
	assert.equal((await api.get(`/api/v1/persons/${other}`)).status, 404);
	assert.equal((await api.request('DELETE', `/api/v1/persons/${other}`)).status, 404);
});

test('the command line: cassis person export and erase', () => {
	let r = cli(['person', 'export', '--db', srv.dbUrl, '--tenant', TENANTS.A.siret, '--person', String(w.person)]);
	assert.equal(r.status, 0, r.stderr);
	const doc = JSON.parse(r.stdout);
	assert.equal(doc.personne.id, w.person);
	assert.equal(doc.genere_par, 'ligne de commande');
	r = spawnSync(BIN, ['person', 'export', '--db', srv.dbUrl, '--tenant', TENANTS.A.siret, '--person', String(w.person), '--format', 'pdf']);
	assert.equal(r.status, 0, r.stderr?.toString());
	assert.equal(r.stdout.subarray(0, 5).toString(), '%PDF-');
	r = cli(['person', 'export', '--db', srv.dbUrl, '--tenant', TENANTS.B.siret, '--person', String(w.person)]);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /aucune personne n° \d+ dans ce CCAS/);
	r = cli(['person', 'export', '--db', srv.dbUrl, '--tenant', TENANTS.A.siret, '--person', String(w.person), '--format', 'xml']);
	assert.equal(r.status, 2);
	r = cli(['person', 'erase', '--db', srv.dbUrl, '--tenant', TENANTS.A.siret, '--person', String(w.person)]);
	assert.equal(r.status, 1);
	assert.match(r.stderr, /Effacement refusé : La personne est demandeu(?:r|se) du dossier/);
});
