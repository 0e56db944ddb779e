// The whole path of a dossier, over HTTP, as the agents of one CCAS take it
// on the pages: the front desk deposits; the instructor takes it up,
// verifies the household with the CAF (the stand-in of API Particulier),
// evaluates it by the aid's rule and proposes with the explanation; the
// valideur puts it on the commission's agenda and decides (another person
// than the one who proposed); the decision is notified with a PDF letter
// (its text read with pdftotext); the aid is paid and the dossier closes.
// Every step is in the dossier's history and in the audit log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { decodeEntities, parseForms } from './lib/forms.mjs';
import { PROJECT_FIXTURES, QF_OPERATION, startStandin } from './lib/standin.mjs';
import { TENANTS, assertCleanExit, cli, startServer } from './lib/server.mjs';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-whole-path-'));
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;
const FIXTURE = '200-demo-lefebvre-seul-qf_cnaf.yaml';
const RULE = {
	conditions: [{ libelle: 'Quotient familial CAF d’au plus 1 500 €', expression: 'qf_caf <= 1500' }],
	montant: 'min(montant_demande, 150)',
};
const IBAN = 'FR76 3000 6000 0112 3456 7890 189';
const today = new Date().toLocaleDateString('fr-CA', { timeZone: 'Europe/Paris' }); /* YYYY-MM-DD */

let srv;
let standin;
const w = {}; /* the ids of the path */

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

/* An action of the dossier page, submitted as the agent would: the form
 * of that action, its fields filled. */
async function act(who, to, fields = {}) {
	const html = await page(who, `/dossiers/${w.dossier}`);
	const form = parseForms(html).find((f) => f.id === `action-${to}`);
	assert.ok(form, `${who}: no form "${to}" on the dossier page`);
	const s = await srv.session(who);
	location(await s.post(form.action, { ...form.fields, ...fields }), `${who} → ${to}`);
}

async function stateOf() {
	const html = await page('auditeur@A', `/dossiers/${w.dossier}`);
	return /id="dossier-etat" data-state="([a-z_]+)"/.exec(html)[1];
}

async function bytes(who, url) {
	const s = await srv.session(who);
	const res = await fetch(srv.base + url, { headers: { Cookie: s.cookieHeader() }, redirect: 'manual' });
	assert.equal(res.status, 200, `GET ${url}: ${res.status}`);
	return { type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

function pdfText(buf) {
	const file = path.join(DIR, `courrier-${Date.now()}.pdf`);
	fs.writeFileSync(file, buf);
	const r = spawnSync('pdftotext', ['-q', file, '-'], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.replace(/\s+/g, ' ');
}

/* "1986-09-12" style date of the fixture's params. */
function birthDate(p) {
	return [p.anneeDateNaissance, p.moisDateNaissance, p.jourDateNaissance]
		.map((x, i) => (i ? String(x).padStart(2, '0') : String(x))).join('-');
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

test('the aid: its rule in force', async () => {
	const admin = await srv.session('administrateur@A');
	location(await admin.post('/admin/aides', { code: 'energie', label: 'Aide à l’énergie', description: 'Facture d’énergie' }), 'aid');
	const list = await page('administrateur@A', '/admin/aides');
	w.aid = Number(/<tr id="aid-(\d+)">\s*<th scope="row">Aide à l’énergie<\/th>/.exec(list)[1]);
	const vid = idFrom(await admin.post(`/admin/aides/${w.aid}/versions`, {
		du: '2020-01-01', au: '', note: 'Délibération du 12 janvier 2020', document: JSON.stringify(RULE),
	}), new RegExp(`^/admin/aides/${w.aid}/versions/(\\d+)$`), 'version');
	location(await admin.post(`/admin/aides/${w.aid}/versions/${vid}/activer`, {}), 'activation');
});

test('the front desk opens the dossier and deposits it: accusé de réception', async () => {
	const p = YAML.parse(fs.readFileSync(path.join(PROJECT_FIXTURES, QF_OPERATION, FIXTURE), 'utf8')).params;
	w.nom = p.nomNaissance;
	const s = await srv.session('accueil@A');
	w.person = idFrom(await s.post('/usagers', {
		nom_naissance: p.nomNaissance, nom_usage: '', prenom1: p.prenoms[0], prenom2: p.prenoms[1] || '', prenom3: '',
		sexe: p.sexeEtatCivil, date_naissance: birthDate(p), lieu_type: 'commune',
		commune_naissance: p.codeCogInseeCommuneNaissance, pays_naissance: '', nationalite: 'francaise',
		telephone: '', email: '', adresse: '12 rue des Tilleuls', code_postal: '75011', commune: 'Paris',
	}), /^\/usagers\/(\d+)/, 'person');
	const form = parseForms(await page('accueil@A', `/foyers/nouveau?demandeur=${w.person}`))
		.find((f) => f.method === 'POST' && f.action === '/foyers');
	w.household = idFrom(await s.post('/foyers', { ...form.fields, label: `Foyer ${p.nomNaissance}`, date_entree: '2024-01-15' }),
		/^\/foyers\/(\d+)/, 'household');
	w.dossier = idFrom(await s.post('/dossiers', {
		household_id: String(w.household), applicant_id: String(w.person), aid_type_id: String(w.aid),
		motif: 'Facture d’électricité impayée après un arrêt maladie.', montant_demande: '180',
	}), /^\/dossiers\/(\d+)/, 'dossier');
	await act('accueil@A', 'depose');
	assert.equal(await stateOf(), 'depose');
	const html = await page('accueil@A', `/dossiers/${w.dossier}`);
	assert.match(html, new RegExp(`id="wf-depose-le">${today.split('-').reverse().join('/')}<`));
	assert.match(html, /data-kind="accuse_reception"/);
});

test('the instructor takes it up and verifies the household with the CAF', async () => {
	await act('instructeur@A', 'en_instruction');
	const s = await srv.session('instructeur@A');
	location(await s.post(`/dossiers/${w.dossier}/consultations`, {}), 'CAF consultation');
	const html = await page('instructeur@A', `/dossiers/${w.dossier}`);
	const m = /id="caf-latest" data-consultation="(\d+)" data-ok="(\d)"/.exec(html);
	assert.ok(m && m[2] === '1', 'the CAF answered');
	assert.match(html, /id="caf-qf-valeur" data-valeur="\d+"/);
	w.consultation = Number(m[1]);
});

test('evaluation by the rule, then the proposal with its explanation', async () => {
	const s = await srv.session('instructeur@A');
	location(await s.post(`/dossiers/${w.dossier}/evaluation`, {}), 'evaluation');
	let html = await page('instructeur@A', `/dossiers/${w.dossier}`);
	const stored = html.slice(html.indexOf('id="evaluation-stored"'));
	assert.match(stored, /data-issue="eligible"/);
	assert.match(stored, /class="rule-amount" data-centimes="15000"/);
	assert.match(stored, /Quotient familial CAF d’au plus 1 500 €/);
	/* the proposal: errors next to the fields first */
	const s2 = await srv.session('instructeur@A');
	const refused = await s2.post(`/dossiers/${w.dossier}/etat`, { etat: 'instruit', proposition: 'accord', montant: '', appreciation: '' });
	assert.equal(refused.status, 422);
	assert.match(refused.text, /id="err-action-instruit-montant" class="field-error"/);
	assert.match(refused.text, /id="err-action-instruit-appreciation" class="field-error"/);
	await act('instructeur@A', 'instruit', {
		proposition: 'accord', montant: '150',
		appreciation: 'Dette ponctuelle après un arrêt maladie ; la règle donne 150 € au vu du QF certifié par la CAF.',
	});
	html = await page('instructeur@A', `/dossiers/${w.dossier}`);
	assert.match(html, /id="wf-proposal" data-proposition="accord"><strong>Accord<\/strong> – 150,00/);
	assert.match(html, /selon l’évaluation n° \d+|selon l&#39;évaluation n° \d+|selon l'évaluation n° \d+/);
	const api = await srv.apiSession('instructeur@A');
	const d = await api.get(`/api/v1/dossiers/${w.dossier}`);
	assert.equal(d.json.etat, 'instruit');
	assert.ok(d.json.workflow.evaluation_id > 0, 'the proposal points at the evaluation');
	assert.equal(d.json.workflow.montant_propose_centimes, 15000);
});

test('the commission: on the agenda, anonymised for the elected members', async () => {
	const s = await srv.session('valideur@A');
	w.session = idFrom(await s.post('/commissions', {
		date_seance: today, heure: '14:30', lieu: 'Salle du conseil', membres: 'Claire Dubois, vice-présidente\nPaul Martin, administrateur',
	}), /^\/commissions\/(\d+)$/, 'session');
	const html = await page('valideur@A', `/commissions/${w.session}`);
	const add = parseForms(html).find((f) => f.id === 'add-form');
	assert.ok(add, 'no agenda form');
	location(await s.post(add.action, { [`dossier_${w.dossier}`]: '1' }), 'agenda');
	assert.equal(await stateOf(), 'en_commission');
	const anon = await page('valideur@A', `/commissions/${w.session}/anonyme`);
	assert.ok(!decodeEntities(anon).toLowerCase().includes(w.nom.toLowerCase()), 'no name on the anonymised agenda');
});

test('the decision, by another person than the one who proposed', async () => {
	/* the instructor who proposed has no decision to take */
	const instr = await page('instructeur@A', `/dossiers/${w.dossier}`);
	assert.doesNotMatch(instr, /id="action-decide"/);
	const html = await page('valideur@A', `/commissions/${w.session}`);
	const item = new RegExp(`<tr id="item-(\\d+)" data-state="[a-z_]+">\\s*<th scope="row">\\d+</th>\\s*<td><a href="/dossiers/${w.dossier}"`).exec(html);
	assert.ok(item, 'the dossier is on the agenda');
	const url = `/commissions/${w.session}/ordre-du-jour/${item[1]}/decision`;
	const form = parseForms(await page('valideur@A', url)).find((f) => f.id === 'decide-form');
	assert.ok(form, 'no decision form');
	assert.equal(form.fields.decision, 'accorde', 'the proposal comes pre-filled');
	const s = await srv.session('valideur@A');
	location(await s.post(url, { ...form.fields, montant: '150', vote: 'Unanimité' }), 'decision');
	assert.equal(await stateOf(), 'decide');
	const d = await (await srv.apiSession('auditeur@A')).get(`/api/v1/dossiers/${w.dossier}`);
	assert.equal(d.json.workflow.decision, 'accorde');
	assert.equal(d.json.workflow.montant_accorde_centimes, 15000);
	assert.notEqual(d.json.workflow.decide_par, d.json.workflow.instruit_par);
});

test('the notification: a PDF letter that says the decision', async () => {
	await act('instructeur@A', 'notifie');
	assert.equal(await stateOf(), 'notifie');
	const api = await srv.apiSession('instructeur@A');
	const list = (await api.get(`/api/v1/dossiers/${w.dossier}/letters`)).json.data;
	assert.deepEqual(list.map((l) => l.kind), ['accuse_reception', 'notification_accord']);
	const pdf = await bytes('instructeur@A', `/dossiers/${w.dossier}/courriers/${list[1].id}`);
	assert.equal(pdf.type, 'application/pdf');
	assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
	if (!HAS_PDFTOTEXT) return;
	const text = pdfText(pdf.body);
	for (const needle of ['Notification de décision : accord', 'Montant accordé : 150,00', 'Aide à l’énergie',
		w.nom.charAt(0) + w.nom.slice(1).toLowerCase(), '12 rue des Tilleuls'])
		assert.ok(text.toLowerCase().includes(needle.toLowerCase()), `« ${needle} » missing from:\n${text}`);
	const accuse = pdfText((await bytes('instructeur@A', `/dossiers/${w.dossier}/courriers/${list[0].id}`)).body);
	assert.match(accuse, /Accusé de réception/);
});

test('the payment, then the dossier closes', async () => {
	const s = await srv.session('instructeur@A');
	let html = await page('instructeur@A', `/dossiers/${w.dossier}`);
	const payee = parseForms(html).find((f) => f.id === 'payee-form');
	assert.ok(payee, 'no payee form');
	location(await s.post(`/dossiers/${w.dossier}/titulaires`, { ...payee.fields, kind: 'energie', nom: 'Énergie Essai', iban: IBAN, bic: '' }), 'payee');
	html = await page('instructeur@A', `/dossiers/${w.dossier}`);
	const payeeId = /<li id="payee-(\d+)">/.exec(html)[1];
	location(await s.post(`/dossiers/${w.dossier}/paiements`, {
		mode: 'virement', payee_id: payeeId, objet: 'Aide à l’énergie', montant: '150', echeances: '1', date_prevue: '', bons: '', valeur_bon: '',
	}), 'payment');
	html = await page('instructeur@A', `/dossiers/${w.dossier}`);
	const pid = /<tr id="payment-(\d+)" data-state="[a-z]+"/.exec(html)[1];
	location(await s.post(`/dossiers/${w.dossier}/paiements/${pid}/mandater`, { date: today }), 'mandat');
	assert.equal(await stateOf(), 'paiement');
	location(await s.post(`/dossiers/${w.dossier}/paiements/${pid}/payer`, { date: today }), 'paid');
	assert.equal(await stateOf(), 'cloture');
});

test('the history tells every step, the audit log keeps every change', async () => {
	const html = await page('valideur@A', `/dossiers/${w.dossier}`);
	const kinds = [...html.matchAll(/<li id="event-\d+" data-kind="([a-z_]+)">/g)].map((m) => m[1]);
	for (const k of ['creation', 'depot', 'instruction', 'proposition', 'commission', 'decision', 'notification', 'paiement', 'cloture'])
		assert.ok(kinds.includes(k), `history: ${k} in ${kinds.join(', ')}`);
	assert.ok(kinds.indexOf('depot') < kinds.indexOf('proposition') && kinds.indexOf('proposition') < kinds.indexOf('decision')
		&& kinds.indexOf('decision') < kinds.indexOf('notification') && kinds.indexOf('notification') < kinds.lastIndexOf('cloture'), 'in order');
	/* nothing is left to do */
	assert.doesNotMatch(html, /id="workflow-actions-title"/);
	const audit = await page('administrateur@A', `/audit?objet=dossier&id=${w.dossier}`);
	assert.match(audit, /changement_etat/);
	for (const who of ['instructeur@A', 'valideur@A', 'accueil@A']) {
		const mine = await page(who, '/mes-dossiers');
		assert.doesNotMatch(mine, new RegExp(`id="mine-${w.dossier}"`), `${who}: nothing waits`);
	}
});
