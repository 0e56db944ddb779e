// Retention and purge against a real server whose clock the test moves
// (test mode, CASSIS_NOW=@FILE: two years pass in a second). The agents of
// one CCAS take dossiers through the whole path (a CAF consultation from
// the stand-in, an evaluation, a document, notes, letters, a payment to an
// IBAN); one is refused, one classé sans suite, one put under a legal hold,
// one stays open. Then, on the page /admin/conservation, the administrateur
// sees 30 days ahead what will go; `cassis purge --dry-run` changes nothing;
// a purge stopped between two batches, then one ended abruptly inside a
// batch, are resumed cleanly by the next run; afterwards the personal data
// are gone from every table and from the bytes of the SQLite file, the
// anonymous statistics add up to what the dossiers held, `cassis audit
// verify` still passes, the held dossier is still there; once its hold is
// lifted, the server's own daily job purges it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { decodeEntities, parseForms } from './lib/forms.mjs';
import { psql } from './lib/pg.mjs';
import { PROJECT_FIXTURES, QF_OPERATION, startStandin } from './lib/standin.mjs';
import { ROOT, TENANTS, assertCleanExit, cli, startServer } from './lib/server.mjs';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-purge-'));
const CLOCK = path.join(DIR, 'now');
const FIXTURE = '200-demo-lefebvre-seul-qf_cnaf.yaml';
const RULE = {
	conditions: [{ libelle: 'Quotient familial CAF d’au plus 1 500 €', expression: 'qf_caf <= 1500' }],
	montant: 'min(montant_demande, 150)',
};
const IBAN = 'FR76 3000 6000 0112 3456 7890 189';
const NIR = '1 95 10 59 350 123 45';
const PHONE = '0611223344';
const MOTIF = `Facture d’électricité impayée, NIR communiqué ${NIR}`;
const NOTE = 'Entretien : le demandeur vit seul depuis la séparation.';
const PDF = fs.readFileSync(path.join(ROOT, 'tests/unit/data/filetype/minimal.pdf'));

const DAY = 86400;
const T0 = Date.parse('2027-03-01T09:00:00Z') / 1000;
/* T0 + m months, same day and hour (T0 is the 1st of a month). */
const months = (m) => {
	const d = new Date(T0 * 1000);
	d.setUTCMonth(d.getUTCMonth() + m);
	return d.getTime() / 1000;
};
const iso = (t) => new Date(t * 1000).toISOString().slice(0, 10);
const fr = (t) => iso(t).split('-').reverse().join('/');
/* A new file renamed into place: the server never reads a half-written one. */
const setNow = (t) => {
	fs.writeFileSync(`${CLOCK}.new`, `${t}\n`);
	fs.renameSync(`${CLOCK}.new`, CLOCK);
};

let srv;
let standin;
const w = { dossiers: {} }; /* ids and facts of the world */

/* --- plumbing --- */

function location(res, what) {
	assert.equal(res.status, 303, `${what}: ${res.status}\n${decodeEntities(res.text).slice(0, 2500)}`);
	return res.headers.get('location') || '';
}

function idFrom(res, re, what) {
	const m = re.exec(location(res, what));
	assert.ok(m, `${what}: Location ${res.headers.get('location')}`);
	return Number(m[1]);
}

async function page(s, url, status = 200) {
	const res = await s.get(url);
	assert.equal(res.status, status, `GET ${url}: ${res.status}\n${res.text.slice(0, 1500)}`);
	return res.text;
}

async function api(who, method, url, json) {
	const s = await srv.apiSession(who);
	const res = await s.request(method, url, { json });
	assert.ok(res.status < 300, `${method} ${url} (${who}): ${res.status}\n${res.text.slice(0, 1500)}`);
	return res.json;
}

async function move(id, to, fields = {}, who = 'instructeur@A') {
	return api(who, 'POST', `/api/v1/dossiers/${id}/transitions`, { to, fields });
}

/* One value from the database (sqlite3 shell, or psql). */
function sql(query) {
	if (srv.dbPath) {
		const r = spawnSync('sqlite3', ['-readonly', srv.dbPath, query], { encoding: 'utf8' });
		assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
		return r.stdout.trim();
	}
	return psql(srv.dbUrl, query).trim();
}
const sqlInt = (query) => Number(sql(query));

/* Every row of every table as text, lower case. */
function dumpAll() {
	const tables = srv.dbPath
		? sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").split('\n')
		: sql("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").split('\n');
	/* journals written by the running server meanwhile (reads queued in the
	 * access log, sessions, rate counters, job runs) are not the purge's */
	return tables.filter((t) => t && !/^(access_log|sessions|rate_limits|job_runs)$/.test(t)).map((t) => `${t}: ${srv.dbPath ? sql(`SELECT * FROM "${t}"`) : psql(srv.dbUrl, `SELECT * FROM "${t}"`)}`)
		.join('\n').toLowerCase();
}

function purgeCli(args, env = {}) {
	return cli(['purge', '--db', srv.dbUrl, ...args], {
		env: { CASSIS_TEST_MODE: '1', CASSIS_NOW: String(env.now ?? months(25)), ...env.extra },
	});
}

/* --- the world --- */

before(async () => {
	setNow(T0);
	srv = await startServer({
		env: { CASSIS_NOW: `@${CLOCK}`, CASSIS_SIGNING_KEY: path.join(DIR, 'signing.key') },
		args: ['--job-tick', '1'],
	});
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

async function makeAid() {
	const admin = await srv.session('administrateur@A');
	location(await admin.post('/admin/aides', { code: 'energie', label: 'Aide à l’énergie', description: 'Facture d’énergie' }), 'aid');
	const list = await page(admin, '/admin/aides');
	w.aid = Number(/<tr id="aid-(\d+)">\s*<th scope="row">Aide à l’énergie<\/th>/.exec(list)[1]);
	const vid = idFrom(await admin.post(`/admin/aides/${w.aid}/versions`, {
		du: '2020-01-01', au: '', note: 'Délibération du 12 janvier 2020', document: JSON.stringify(RULE),
	}), new RegExp(`^/admin/aides/${w.aid}/versions/(\\d+)$`), 'version');
	location(await admin.post(`/admin/aides/${w.aid}/versions/${vid}/activer`, {}), 'activation');
}

/* A person, their household and a dossier, through the JSON API. */
async function applicant(p, motif, montant) {
	const person = await api('accueil@A', 'POST', '/api/v1/persons', p);
	const household = await api('accueil@A', 'POST', '/api/v1/households', { demandeur_id: person.id });
	const dossier = await api('accueil@A', 'POST', '/api/v1/dossiers', {
		household_id: household.id, aid_type_id: w.aid, motif, montant_demande_centimes: montant,
	});
	return { person: person.id, household: household.id, id: dossier.id, numero: dossier.numero };
}

function identity(nom, prenom, extra = {}) {
	return {
		nom_naissance: nom, prenoms: [prenom], sexe: 'F', date_naissance: '1980-04-02',
		lieu_naissance: { type: 'commune', code: '75056' }, nationalite: 'francaise',
		adresse: '3 place du Marché', code_postal: '75011', commune: 'Paris', ...extra,
	};
}

/* Instructed and sent to the commission with a proposal; the valideur decides. */
async function decide(id, decision, cents, motif) {
	await move(id, 'depose', {}, 'accueil@A');
	await move(id, 'en_instruction');
	await move(id, 'instruit', decision === 'accorde'
		? { proposition: 'accord', montant_centimes: cents, appreciation: 'Dette ponctuelle.' }
		: { proposition: 'refus', appreciation: 'Ressources au-dessus du barème.' });
	await move(id, 'en_commission', {}, 'valideur@A');
	await move(id, 'decide', decision === 'accorde'
		? { decision, montant_centimes: cents }
		: { decision, motif }, 'valideur@A');
	await move(id, 'notifie');
}

/* POST of the upload form as a browser sends it (multipart/form-data). */
async function upload(s, dossier) {
	const form = new FormData();
	form.append('csrf', s.csrf);
	form.append('piece', 'autre');
	form.append('autre', 'Facture d’électricité');
	form.append('fichier', new Blob([PDF], { type: 'application/pdf' }), 'facture-lefebvre.pdf');
	return s.request('POST', `/dossiers/${dossier}/pieces`, { raw: form });
}

/* The whole path: consultation, evaluation, note, document, decision,
 * letters, payment to an IBAN; the payment closes it. */
async function richDossier() {
	const p = YAML.parse(fs.readFileSync(path.join(PROJECT_FIXTURES, QF_OPERATION, FIXTURE), 'utf8')).params;
	w.nom = p.nomNaissance;
	const birth = `${p.anneeDateNaissance}-${String(p.moisDateNaissance).padStart(2, '0')}-${String(p.jourDateNaissance).padStart(2, '0')}`;
	const d = await applicant(identity(p.nomNaissance, p.prenoms[0], {
		sexe: p.sexeEtatCivil, date_naissance: birth,
		lieu_naissance: { type: 'commune', code: p.codeCogInseeCommuneNaissance },
		telephone: PHONE, adresse: '5 impasse des Lilas',
	}), MOTIF, 18000);
	await move(d.id, 'depose', {}, 'accueil@A');
	await move(d.id, 'en_instruction');
	const s = await srv.session('instructeur@A');
	location(await s.post(`/dossiers/${d.id}/consultations`, {}), 'CAF consultation');
	location(await s.post(`/dossiers/${d.id}/evaluation`, {}), 'evaluation');
	await api('instructeur@A', 'POST', `/api/v1/dossiers/${d.id}/notes`, { note: NOTE });
	location(await upload(s, d.id), 'document');
	await move(d.id, 'instruit', { proposition: 'accord', montant_centimes: 15000, appreciation: 'Selon la règle.' });
	await move(d.id, 'en_commission', {}, 'valideur@A');
	await move(d.id, 'decide', { decision: 'accorde', montant_centimes: 15000 }, 'valideur@A');
	await move(d.id, 'notifie');
	let html = await page(s, `/dossiers/${d.id}`);
	const payee = parseForms(html).find((f) => f.id === 'payee-form');
	assert.ok(payee, 'no payee form');
	location(await s.post(`/dossiers/${d.id}/titulaires`, { ...payee.fields, kind: 'bailleur', nom: 'Bailleur Privé Lilas', iban: IBAN, bic: '' }), 'payee');
	html = await page(s, `/dossiers/${d.id}`);
	const payeeId = /<li id="payee-(\d+)">/.exec(html)[1];
	location(await s.post(`/dossiers/${d.id}/paiements`, {
		mode: 'virement', payee_id: payeeId, objet: 'Aide à l’énergie', montant: '150', echeances: '1', date_prevue: '', bons: '', valeur_bon: '',
	}), 'payment');
	html = await page(s, `/dossiers/${d.id}`);
	const pid = /<tr id="payment-(\d+)" data-state="[a-z]+"/.exec(html)[1];
	location(await s.post(`/dossiers/${d.id}/paiements/${pid}/mandater`, { date: iso(T0) }), 'mandat');
	location(await s.post(`/dossiers/${d.id}/paiements/${pid}/payer`, { date: iso(T0) }), 'paid');
	return { ...d, accorde: 15000 };
}

const stateOf = async (id) => (await api('auditeur@A', 'GET', `/api/v1/dossiers/${id}`)).etat;

test('the world: dossiers granted, refused, sans suite, held and open', async () => {
	await makeAid();
	w.dossiers.riche = await richDossier();
	assert.equal(await stateOf(w.dossiers.riche.id), 'cloture');

	const refus = await applicant(identity('Rochefort', 'Aline'), 'Loyer en retard', 40000);
	await decide(refus.id, 'refuse', 0, 'Ressources supérieures au plafond.');
	await move(refus.id, 'cloture');
	w.dossiers.refus = { ...refus, accorde: 0 };

	const sansSuite = await applicant(identity('Valmont', 'Bérénice'), 'Demande abandonnée', 10000);
	await move(sansSuite.id, 'cloture', { motif: 'Le demandeur ne donne plus de nouvelles.' });
	w.dossiers.sansSuite = { ...sansSuite, accorde: 0 };

	const simple = await applicant(identity('Quintal', 'Odile'), 'Facture de gaz', 9000);
	await decide(simple.id, 'accorde', 9000);
	await move(simple.id, 'paiement');
	await move(simple.id, 'cloture');
	w.dossiers.simple = { ...simple, accorde: 9000 };

	const held = await applicant(identity('Gelinotte', 'Yvonne'), 'Recours contre le refus', 20000);
	await decide(held.id, 'accorde', 12000);
	await move(held.id, 'paiement');
	await move(held.id, 'cloture');
	w.dossiers.held = { ...held, accorde: 12000 };

	w.open = await applicant(identity('Ouvert', 'Sidonie'), 'Aide en cours', 5000);
	await move(w.open.id, 'depose', {}, 'accueil@A');
	for (const k of ['riche', 'refus', 'sansSuite', 'simple', 'held'])
		assert.equal(await stateOf(w.dossiers[k].id), 'cloture', k);
});

test('the administrateur sets the delay of refusals; a valideur puts the contested dossier on hold', async () => {
	const admin = await srv.session('administrateur@A');
	let html = await page(admin, '/admin/conservation');
	const form = parseForms(html).find((f) => f.id === 'retention-form');
	assert.ok(form, 'no settings form');
	assert.match(form.attrs['data-confirm'] || '', /prochaine purge/, 'the form asks for a confirmation');
	assert.deepEqual([form.fields.accorde, form.fields.refus, form.fields.traces_api, form.fields.acces], ['24', '24', '36', '12']);
	let res = await admin.post('/admin/conservation', { ...form.fields, refus: '1', traces_api: '12' });
	assert.equal(res.status, 422);
	assert.match(res.text, /<div class="error-summary" role="alert"/);
	assert.match(res.text, /id="refus" name="refus" value="1"[^>]*aria-describedby="hint-refus err-refus" aria-invalid="true"/);
	assert.match(res.text, /id="err-traces_api" class="field-error">Indiquez une durée de 36 à 60 mois/);
	location(await admin.post('/admin/conservation', { ...form.fields, refus: '12' }), 'settings');
	assert.equal((await (await srv.session('valideur@A')).get('/admin/conservation')).status, 403);

	/* the dossier page: the purge date, and the hold form for the valideur only */
	const held = w.dossiers.held.id;
	const instr = await srv.session('instructeur@A');
	html = await page(instr, `/dossiers/${held}`);
	assert.match(html, new RegExp(`id="conservation-purge" data-purge="${iso(months(24))}">[^<]*<strong>${fr(months(24))}</strong>`));
	assert.doesNotMatch(html, /id="gel-form"/);
	assert.equal((await instr.post(`/dossiers/${held}/gel`, { gel_type: 'contentieux', gel_motif: 'x' })).status, 403);
	html = await page(await srv.session('auditeur@A'), `/dossiers/${w.dossiers.refus.id}`);
	assert.match(html, new RegExp(`data-purge="${iso(months(12))}"`), 'a refusal goes after 12 months now');
	const val = await srv.session('valideur@A');
	html = await page(val, `/dossiers/${held}`);
	assert.ok(parseForms(html).find((f) => f.id === 'gel-form'), 'no hold form for the valideur');
	res = await val.post(`/dossiers/${held}/gel`, { gel_type: 'contentieux', gel_motif: '' });
	assert.equal(res.status, 422);
	assert.match(res.text, /id="gel_motif" name="gel_motif"[^>]*aria-invalid="true"/);
	assert.match(res.text, /id="err-gel_motif" class="field-error">Indiquez le motif du gel/);
	location(await val.post(`/dossiers/${held}/gel`, { gel_type: 'contentieux', gel_motif: 'Requête n° 2701234 au tribunal administratif de Montreuil' }), 'hold');
	html = await page(val, `/dossiers/${held}`);
	assert.match(html, /id="conservation-gel" data-kind="contentieux"/);
	assert.match(html, /Requête n° 2701234/);
	const lift = parseForms(html).find((f) => f.id === 'levee-form');
	assert.ok(lift && /Lever le gel \?/.test(lift.attrs['data-confirm']), 'the lifting asks for a confirmation');
	const audit = await page(admin, `/audit?type=dossier&id=${held}`);
	assert.match(audit, /Gel de la conservation/);
});

test('30 days ahead, the administrateur sees what the purge will remove', async () => {
	setNow(months(12) - 10 * DAY);
	const admin = await srv.login('administrateur@A'); /* the clock moved: a new session */
	const html = await page(admin, '/admin/conservation');
	const rows = [...html.matchAll(/<tr id="purge-(\d+)" data-purge="([0-9-]+)" data-gel="(\d)">/g)]
		.map((m) => ({ id: Number(m[1]), date: m[2], gel: m[3] === '1' }));
	assert.deepEqual(rows.map((r) => r.id).sort((a, b) => a - b),
		[w.dossiers.refus.id, w.dossiers.sansSuite.id].sort((a, b) => a - b), 'the refusals only');
	for (const r of rows) assert.equal(r.date, iso(months(12)));
	assert.match(html, new RegExp(`<tr id="gel-${w.dossiers.held.id}" data-kind="contentieux">`));
	assert.match(html, /2 dossiers à purger dans la période/);
	/* the server's daily run at that date had nothing to remove */
	await new Promise((r) => setTimeout(r, 2500));
	assert.equal(sqlInt('SELECT count(*) FROM dossiers'), 6);
});

/* Per due dossier, the rows it holds in a few tables. */
const HELD_ROWS = ['documents', 'letters', 'consultations', 'payments', 'dossier_events', 'evaluations'];
function rowsOf(id) {
	return [sqlInt(`SELECT count(*) FROM dossiers WHERE id = ${id}`),
		...HELD_ROWS.map((t) => sqlInt(`SELECT count(*) FROM ${t} WHERE dossier_id = ${id}`))];
}
const DUE = ['riche', 'refus', 'sansSuite', 'simple'];

function fileBytes() {
	return Buffer.concat(['', '-wal'].map((s) => srv.dbPath + s).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}
function needles() {
	const nom = w.nom;
	return [nom, nom.toUpperCase(), nom.toLowerCase(), NIR, PHONE, 'impasse des Lilas', 'Bailleur Privé Lilas',
		IBAN.replace(/ /g, ''), 'Facture d’électricité impayée', 'Rochefort', 'Valmont', 'Quintal'];
}

test('a dry run lists the dossiers due and changes nothing', async () => {
	w.before = Object.fromEntries(DUE.map((k) => [k, rowsOf(w.dossiers[k].id)]));
	/* what the dossiers hold, as the API tells it, for the statistics */
	w.granted = 0;
	for (const k of DUE) {
		const d = await api('auditeur@A', 'GET', `/api/v1/dossiers/${w.dossiers[k].id}`);
		w.granted += d.workflow.montant_accorde_centimes || 0;
	}
	assert.equal(w.granted, 24000);
	for (const k of DUE) assert.equal(w.before[k][0], 1, k);
	assert.ok(w.before.riche.every((n) => n > 0), `the rich dossier holds every kind of row: ${w.before.riche}`);
	if (srv.dbPath) assert.ok(fileBytes().includes(Buffer.from(w.nom)), 'the name is in the file before the purge');
	const dump = dumpAll();
	assert.ok(dump.includes(w.nom.toLowerCase()));
	const r = purgeCli(['--dry-run', '--json']);
	assert.equal(r.status, 0, r.stderr);
	const rep = JSON.parse(r.stdout);
	assert.equal(rep.dry_run, true);
	const a = rep.ccas.find((c) => c.siret === TENANTS.A.siret);
	assert.deepEqual(a.dossiers.map((d) => d.numero).sort(), DUE.map((k) => w.dossiers[k].numero).sort());
	assert.equal(a.counts.dossiers, 4);
	assert.equal(dumpAll(), dump, 'the dry run changed the database');
	const text = purgeCli(['--dry-run']);
	assert.match(text.stdout, /Simulation de purge \(rien n'est modifié\)/);
});

test('a purge stopped between batches, then one ended inside a batch, is resumed by the next run', async () => {
	let r = purgeCli(['--batch', '1'], { extra: { CASSIS_PURGE_STOP_AFTER: '1' } });
	assert.equal(r.status, 3, `${r.stdout}${r.stderr}`);
	let gone = DUE.filter((k) => rowsOf(w.dossiers[k].id)[0] === 0);
	assert.equal(gone.length, 1, `one batch of one dossier: ${gone}`);
	for (const k of DUE) {
		const now = rowsOf(w.dossiers[k].id);
		assert.ok(now.every((n) => n === 0) || now.every((n, i) => n === w.before[k][i]), `${k}: half purged ${now} (before ${w.before[k]})`);
	}
	assert.equal(sqlInt('SELECT count(*) FROM purge_runs WHERE finished_at IS NULL'), 1);
	assert.equal(sqlInt("SELECT count(*) FROM audit_log WHERE action = 'purge'"), 0);
	/* killed in the middle of a batch of two: that batch is rolled back */
	r = purgeCli(['--batch', '2'], { extra: { CASSIS_PURGE_CRASH_AT: '1' } });
	assert.equal(r.status, 3, `${r.stdout}${r.stderr}`);
	assert.deepEqual(DUE.filter((k) => rowsOf(w.dossiers[k].id)[0] === 0), gone, 'nothing of the killed batch stayed');
	r = purgeCli(['--json']);
	assert.equal(r.status, 0, r.stderr);
	const rep = JSON.parse(r.stdout);
	const a = rep.ccas.find((c) => c.siret === TENANTS.A.siret);
	assert.equal(a.resumed, true);
	assert.equal(a.counts.dossiers, 3);
	assert.equal(a.run.counts.dossiers, 4, 'the run counts both parts');
	for (const k of DUE) assert.ok(rowsOf(w.dossiers[k].id).every((n) => n === 0), k);
	assert.equal(sqlInt("SELECT count(*) FROM audit_log WHERE action = 'purge'"), 1, 'one audit entry for the run');
	assert.equal(sqlInt('SELECT count(*) FROM purge_runs WHERE finished_at IS NULL'), 0);
	if (srv.dbPath) assert.equal(rep.file.vacuum, true);
});

test('the personal data are gone from every table and from the file; the statistics remain', async () => {
	const dump = dumpAll();
	for (const n of needles()) assert.ok(!dump.includes(n.toLowerCase()), `« ${n} » is still in the database`);
	if (srv.dbPath) {
		const bytes = fileBytes();
		for (const n of needles()) assert.ok(!bytes.includes(Buffer.from(n)), `« ${n} » is still in the file`);
	}
	/* the statistics: one row per dossier, the same totals */
	assert.equal(sqlInt('SELECT count(*) FROM dossier_stats'), 4);
	assert.equal(sqlInt('SELECT sum(montant_accorde) FROM dossier_stats'), w.granted);
	assert.equal(sqlInt("SELECT sum(montant_verse) FROM dossier_stats WHERE issue = 'accorde'"), 15000);
	assert.equal(sql("SELECT issue || ':' || count(*) FROM dossier_stats GROUP BY issue ORDER BY issue").split('\n').join(' '),
		'accorde:2 refuse:1 sans_suite:1');
	assert.equal(sqlInt(`SELECT count(*) FROM dossier_stats WHERE aid_type_id = ${w.aid} AND mois = '${iso(T0).slice(0, 7)}'`), 4);
	assert.equal(sqlInt("SELECT count(*) FROM dossier_stats WHERE tranche_qf <> '' AND commune = '75056'"), 1, 'the consulted QF band');
	/* the trace of the consultation, without the person */
	assert.equal(sqlInt("SELECT count(*) FROM consultation_traces WHERE request_id IS NOT NULL AND api = 'particulier'"), 1);
	/* what stays: the open and the held dossiers, their persons */
	assert.equal((await api('auditeur@A', 'GET', `/api/v1/dossiers/${w.open.id}`)).id, w.open.id);
	assert.equal((await api('auditeur@A', 'GET', `/api/v1/dossiers/${w.dossiers.held.id}`)).id, w.dossiers.held.id);
	assert.equal(sqlInt(`SELECT count(*) FROM persons WHERE id IN (${w.open.person}, ${w.dossiers.held.person})`), 2);
	const audit = cli(['audit', 'verify', '--db', srv.dbUrl]);
	if (!/commande inconnue/.test(audit.stderr))
		assert.equal(audit.status, 0, `cassis audit verify:\n${audit.stdout}${audit.stderr}`);
});

test('once the hold is lifted, the server\'s own daily purge removes the dossier', async () => {
	const held = w.dossiers.held.id;
	const val = await srv.login('valideur@A');
	location(await val.post(`/dossiers/${held}/gel/levee`, { levee_motif: 'Requête rejetée par ordonnance.' }), 'lift');
	setNow(months(25) + DAY);
	const auditeur = await srv.apiSession('auditeur@A');
	let status = 200;
	for (let i = 0; i < 100 && status === 200; i++) {
		await new Promise((r) => setTimeout(r, 100));
		status = (await auditeur.get(`/api/v1/dossiers/${held}`)).status;
	}
	assert.equal(status, 404, 'the daily job purged the dossier');
	assert.equal(sqlInt("SELECT count(*) FROM audit_log WHERE action = 'purge'"), 2);
	assert.equal(sql('SELECT started_by FROM purge_runs ORDER BY id DESC LIMIT 1'), 'tâche planifiée');
	assert.equal(sqlInt('SELECT count(*) FROM dossier_stats'), 5);
	assert.equal(sqlInt(`SELECT count(*) FROM persons WHERE id = ${w.open.person}`), 1);
	const admin = await srv.login('administrateur@A');
	const html = await page(admin, '/admin/conservation');
	assert.match(html, /<table id="runs-list">/);
	assert.match(html, /tâche planifiée/);
});
