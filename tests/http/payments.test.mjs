// Payments, budgets and exports against a real server: a dossier taken
// through the workflow to a notified grant, the payee's IBAN checked on
// entry (the French reason next to the field), instalments within the
// amount granted (an overpayment refused), the acts moving the dossier to
// paiement then clôturé, the treasury CSV and the list exports (BOM, ';',
// decimal comma, CRLF; XLSX a zip with its sheet), the budgets page and the
// aid page's envelope, a blocking envelope refusing a decision,
// permissions, tenant isolation and the audit of every export.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Fixtures } from './lib/fixtures.mjs';
import { decodeEntities, parseForms } from './lib/forms.mjs';
import { Session } from './lib/http.mjs';
import { assertCleanExit, startPeer, startServer } from './lib/server.mjs';

const IBAN = 'FR76 3000 6000 0112 3456 7890 189';
const IBAN_NORM = 'FR7630006000011234567890189';
const IBAN_BAD = 'FR76 3000 6000 0112 3456 7890 188';
const IBAN_B = 'DE89 3704 0044 0532 0130 00';
const BOM = '\ufeff';
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-payments-'));

let srv;
let fx;
const today = new Date().toLocaleDateString('fr-CA', { timeZone: 'Europe/Paris' }); /* YYYY-MM-DD */

before(async () => {
	srv = await startServer();
	fx = new Fixtures(srv);
});
after(() => {
	srv?.cleanup();
	fs.rmSync(DIR, { recursive: true, force: true });
});

function location(res, what) {
	assert.equal(res.status, 303, `${what}: status ${res.status}\n${res.text.slice(0, 2000)}`);
	return res.headers.get('location');
}

/* A dossier of tenant T taken to a notified grant of `montant` euros. */
async function grantedDossier(T, montant) {
	const instr = await srv.session(`instructeur@${T}`);
	const val = await srv.session(`valideur@${T}`);
	const [household, person, aid] = [await fx.get(T, 'household'), await fx.get(T, 'person'), await fx.get(T, 'aid_type')];
	const res = await instr.post('/dossiers', {
		household_id: String(household), applicant_id: String(person), aid_type_id: String(aid),
		motif: 'Facture d\'énergie impayée', montant_demande: montant,
	});
	const id = Number(/^\/dossiers\/(\d+)/.exec(location(res, 'dossier'))[1]);
	const steps = [
		[instr, { etat: 'depose' }],
		[instr, { etat: 'en_instruction' }],
		[instr, { etat: 'instruit', proposition: 'accord', montant, appreciation: 'Situation justifiée.' }],
		[instr, { etat: 'en_commission' }],
		[val, { etat: 'decide', decision: 'accorde', montant, motif: '' }],
		[instr, { etat: 'notifie' }],
	];
	for (const [s, form] of steps) location(await s.post(`/dossiers/${id}/etat`, form), `${T} dossier ${id} -> ${form.etat}`);
	return id;
}

async function page(s, url) {
	const res = await s.get(url);
	assert.equal(res.status, 200, `GET ${url}: ${res.status}\n${res.text.slice(0, 1500)}`);
	return res.text;
}

const stateOf = (html) => /id="dossier-etat" data-state="([a-z_]+)"/.exec(html)?.[1];
const paymentIds = (html) => [...html.matchAll(/<tr id="payment-(\d+)" data-state="([a-z]+)"/g)].map((m) => ({ id: Number(m[1]), state: m[2] }));

/* Downloads a file: {status, type, disposition, bytes}. */
async function download(s, url) {
	const res = await fetch(srv.base + url, { headers: { Cookie: s.cookieHeader() }, redirect: 'manual' });
	const bytes = Buffer.from(await res.arrayBuffer());
	return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes, text: bytes.toString('utf8') };
}

let dossier; /* tenant A, 300 € granted */
let payee;

test('a payee\'s IBAN is checked on entry, with the reason next to the field', async () => {
	dossier = await grantedDossier('A', '300');
	const instr = await srv.session('instructeur@A');
	const html = await page(instr, `/dossiers/${dossier}`);
	assert.equal(stateOf(html), 'notifie');
	assert.match(html, /<section aria-labelledby="payments-title" id="paiements">/);
	assert.match(html, /id="pay-accorde" data-centimes="30000"/);
	const form = parseForms(html).find((f) => f.id === 'payee-form');
	assert.ok(form, 'no payee form on the dossier page');

	let res = await instr.post(`/dossiers/${dossier}/titulaires`, { ...form.fields, kind: 'bailleur', nom: 'Office HLM Essai', iban: IBAN_BAD, bic: '' });
	assert.equal(res.status, 422);
	assert.match(res.text, /<input type="text" id="payee-iban" name="iban" value="FR76 3000 6000 0112 3456 7890 188"[^>]*aria-invalid="true"/);
	assert.match(res.text, /aria-describedby="hint-payee-iban err-payee-iban"/);
	const why = /<small id="err-payee-iban" class="field-error">([^<]+)<\/small>/.exec(res.text);
	assert.ok(why && /clé/.test(decodeEntities(why[1])), `IBAN reason: ${why?.[1]}`);
	assert.match(res.text, /<div class="error-summary" role="alert"[\s\S]*href="#payee-iban"/);
	assert.doesNotMatch(await page(instr, `/dossiers/${dossier}`), /<ul id="payees">/);

	res = await instr.post(`/dossiers/${dossier}/titulaires`, { ...form.fields, kind: 'bailleur', nom: 'Office HLM Essai', iban: IBAN.toLowerCase(), bic: 'bnpa fr pp' });
	assert.equal(location(res, 'payee'), `/dossiers/${dossier}#paiements`);
	const after = await page(instr, `/dossiers/${dossier}`);
	const li = /<li id="payee-(\d+)">([^<]*)<\/li>/.exec(after);
	assert.ok(li, 'payee not listed');
	payee = Number(li[1]);
	assert.match(decodeEntities(li[2]), /Office HLM Essai – Bailleur – IBAN FR76 •••• 0189 – BIC BNPAFRPP/);
	assert.ok(!after.includes(IBAN_NORM), 'the whole IBAN is never shown on the dossier page');
});

test('instalments stay within the amount granted; an overpayment is refused', async () => {
	const instr = await srv.session('instructeur@A');
	const base = { mode: 'virement', payee_id: String(payee), objet: 'Aide énergie', date_prevue: '', bons: '', valeur_bon: '' };
	let res = await instr.post(`/dossiers/${dossier}/paiements`, { ...base, montant: '250', echeances: '2' });
	location(res, 'schedule');
	let html = await page(instr, `/dossiers/${dossier}`);
	const rows = paymentIds(html);
	assert.equal(rows.length, 2);
	assert.equal((html.match(/data-centimes="12500"/g) || []).length, 2);
	assert.match(html, /Aide énergie \(échéance 2\/2\)/);

	res = await instr.post(`/dossiers/${dossier}/paiements`, { ...base, montant: '50,01', echeances: '1' });
	assert.equal(res.status, 422);
	assert.match(res.text, /id="pay-montant"[^>]*aria-invalid="true"/);
	assert.match(decodeEntities(res.text), /<small id="err-pay-montant" class="field-error">[^<]*il reste 50,00/);
	assert.match(res.text, /value="50,01"/); /* the value typed is kept */
	html = await page(instr, `/dossiers/${dossier}`);
	assert.equal(paymentIds(html).length, 2, 'nothing written by the refused form');

	res = await instr.post(`/dossiers/${dossier}/paiements`, { ...base, montant: '50', echeances: '1' });
	location(res, 'the rest');
	html = await page(instr, `/dossiers/${dossier}`);
	assert.match(html, /id="pay-reste" data-centimes="0"/);
});

test('marking payé asks for a confirmation; paying everything closes the dossier', async () => {
	const instr = await srv.session('instructeur@A');
	let html = await page(instr, `/dossiers/${dossier}`);
	const [p1, p2, p3] = paymentIds(html).map((r) => r.id);
	/* mandating moves the dossier to paiement */
	let res = await instr.post(`/dossiers/${dossier}/paiements/${p1}/mandater`, { date: today });
	location(res, 'mandater');
	html = await page(instr, `/dossiers/${dossier}`);
	assert.equal(stateOf(html), 'paiement');
	const pay = parseForms(html).find((f) => f.id === `payment-${p1}-payer`);
	assert.ok(pay, 'no "Marquer payé" form');
	assert.match(pay.attrs['data-confirm'] || '', /Confirmez-vous que la trésorerie a payé/);
	assert.match(html, new RegExp(`<label for="date-${p1}-payer">`));
	/* a date in the future is refused next to the field */
	res = await instr.post(`/dossiers/${dossier}/paiements/${p1}/payer`, { date: '2999-01-01' });
	assert.equal(res.status, 422);
	assert.match(res.text, /id="act-date"[^>]*aria-invalid="true"/);
	assert.match(res.text, /<form [^>]*id="act-form" data-confirm=/);
	for (const [p, a] of [[p1, 'payer'], [p2, 'mandater'], [p2, 'payer'], [p3, 'mandater']])
		location(await instr.post(`/dossiers/${dossier}/paiements/${p}/${a}`, { date: today }), `${a} ${p}`);
	assert.equal(stateOf(await page(instr, `/dossiers/${dossier}`)), 'paiement');
	location(await instr.post(`/dossiers/${dossier}/paiements/${p3}/payer`, { date: today }), 'payer 3');
	html = await page(instr, `/dossiers/${dossier}`);
	assert.equal(stateOf(html), 'cloture');
	assert.match(html, /id="pay-paye" data-centimes="30000"/);
	/* paying twice is refused */
	res = await instr.post(`/dossiers/${dossier}/paiements/${p3}/payer`, { date: today });
	assert.equal(res.status, 422);
	assert.match(res.text, /id="err-act-action"/);
});

test('the treasury file: the columns a trésorerie expects, CSV for a French Excel, audited', async () => {
	const val = await srv.session('valideur@A');
	const f = await download(val, `/paiements/tresorerie?du_tresorerie=${today}&au_tresorerie=${today}`);
	assert.equal(f.status, 200, f.text.slice(0, 1000));
	assert.equal(f.type, 'text/csv; charset=utf-8');
	assert.equal(f.disposition, `attachment; filename="tresorerie-${today}-${today}.csv"`);
	assert.deepEqual([...f.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	const lines = f.text.slice(1).split('\r\n');
	assert.equal(lines.pop(), '', 'every row ends with CRLF');
	assert.equal(lines[0], 'Bénéficiaire;IBAN;BIC;Montant;Objet;Référence du dossier;Date du mandat');
	assert.equal(lines.length, 4);
	const numero = /id="dossier-numero">([^<]+)</.exec(await page(val, `/dossiers/${dossier}`))[1];
	const fr = today.split('-').reverse().join('/');
	assert.equal(lines[1], `Office HLM Essai;${IBAN_NORM};BNPAFRPP;125,00;Aide énergie (échéance 1/2);${numero};${fr}`);
	assert.equal(lines[3], `Office HLM Essai;${IBAN_NORM};BNPAFRPP;50,00;Aide énergie;${numero};${fr}`);
	/* a bad period: the errors next to the list page's fields */
	const bad = await val.get('/paiements/tresorerie?du_tresorerie=2026-03-31&au_tresorerie=2026-03-01');
	assert.equal(bad.status, 400);
	assert.match(bad.text, /id="au_tresorerie"[^>]*aria-invalid="true"/);
	assert.match(bad.text, /<small id="err-au_tresorerie" class="field-error">/);
});

test('list exports: CSV with BOM and separator, XLSX a workbook with its sheet, same figures as the screen', async () => {
	const val = await srv.session('valideur@A');
	const list = await page(val, '/paiements?etat=paye');
	assert.match(list, /3 paiement\(s\), 300,00/);
	const link = /<a href="([^"]+)" id="export-csv">/.exec(list);
	assert.ok(link, 'no CSV export link on the payments list');
	const csv = await download(val, decodeEntities(link[1]));
	assert.equal(csv.status, 200);
	assert.ok(csv.text.startsWith(BOM + 'Dossier;Échéance;Demandeur;Aide;Mode;Bénéficiaire du paiement;Objet;Montant (€);État;'), csv.text.slice(0, 200));
	const rows = csv.text.slice(1).split('\r\n').filter(Boolean).slice(1);
	assert.equal(rows.length, 3);
	assert.ok(rows.every((r) => r.includes(';Payé;')), rows.join('\n'));
	assert.ok(rows.some((r) => r.includes(';125,00;')));

	const admin = await srv.session('administrateur@A');
	const dl = await page(admin, '/dossiers');
	const x = /<a href="([^"]+)" id="export-xlsx">/.exec(dl);
	assert.ok(x, 'no XLSX export link on the dossiers list');
	const xlsx = await download(admin, decodeEntities(x[1]));
	assert.equal(xlsx.status, 200);
	assert.equal(xlsx.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
	assert.equal(xlsx.bytes.subarray(0, 2).toString(), 'PK');
	const file = path.join(DIR, 'dossiers.xlsx');
	fs.writeFileSync(file, xlsx.bytes);
	const unzip = (member) => spawnSync('unzip', ['-p', file, member], { encoding: 'utf8' });
	const book = unzip('xl/workbook.xml');
	assert.equal(book.status, 0, book.stderr);
	assert.match(book.stdout, /<sheet name="Dossiers"/);
	const sheet = unzip('xl/worksheets/sheet1.xml').stdout;
	const strings = unzip('xl/sharedStrings.xml').stdout;
	const numero = /id="dossier-numero">([^<]+)</.exec(await page(val, `/dossiers/${dossier}`))[1];
	assert.ok(strings.includes(numero) && strings.includes('Montant accordé (€)'), strings.slice(0, 500));
	assert.match(sheet, /<v>300<\/v>/); /* the amount granted, a number */

	const dcsv = await download(admin, '/dossiers/export?format=csv&etat=cloture&aide=&tri=numero&ordre=asc');
	const drows = dcsv.text.slice(1).split('\r\n').filter(Boolean);
	assert.equal(drows[0], 'Numéro;Ouvert le;Demandeur;Foyer;Aide;État;Montant demandé (€);Décision;Montant accordé (€)');
	assert.ok(drows.some((r) => r.startsWith(`${numero};`) && r.endsWith(';Clôturé;300,00;Accordé;300,00')), drows.join('\n'));
});

test('aid in kind: numbered vouchers, handed over', async () => {
	const id = await grantedDossier('A', '60');
	const instr = await srv.session('instructeur@A');
	let res = await instr.post(`/dossiers/${id}/paiements`, {
		mode: 'nature', objet: 'Bons alimentaires', bons: 'BA-101, BA-102\nBA-103', valeur_bon: '20', montant: '', echeances: '1', payee_id: '', date_prevue: '',
	});
	location(res, 'nature');
	let html = await page(instr, `/dossiers/${id}`);
	assert.match(html, /Bon n° BA-102/);
	const [p] = paymentIds(html);
	const form = parseForms(html).find((f) => f.id === `payment-${p.id}-remettre`);
	assert.ok(form && form.attrs['data-confirm'], 'the remise asks for a confirmation');
	location(await instr.post(`/dossiers/${id}/paiements/${p.id}/remettre`, { date: today }), 'remettre');
	html = await page(instr, `/dossiers/${id}`);
	assert.equal(stateOf(html), 'cloture');
	/* a voucher number is given once */
	const other = await grantedDossier('A', '20');
	res = await instr.post(`/dossiers/${other}/paiements`, { mode: 'nature', objet: 'Bons', bons: 'BA-103', valeur_bon: '20' });
	assert.equal(res.status, 422);
	assert.match(decodeEntities(res.text), /<small id="err-pay-bons" class="field-error">Le bon n° BA-103 a déjà été attribué/);
});

test('budgets: the envelope on the budgets page and the aid page; a blocking envelope refuses a decision', async () => {
	const admin = await srv.session('administrateur@A');
	const aid = await fx.get('A', 'aid_type');
	const year = today.slice(0, 4);
	let html = await page(admin, `/admin/budgets?annee=${year}`);
	const form = parseForms(html).find((f) => f.id === `budget-${aid}-form`);
	assert.ok(form, 'no allocation form for the aid');
	let res = await admin.post('/admin/budgets', { ...form.fields, montant: 'beaucoup' });
	assert.equal(res.status, 422);
	assert.match(res.text, new RegExp(`id="alloue-${aid}"[^>]*aria-invalid="true"`));
	location(await admin.post('/admin/budgets', { ...form.fields, montant: '420' }), 'allocation');
	html = await page(admin, `/admin/budgets?annee=${year}`);
	/* 300 + 60 + 20 granted this year, 360 paid or handed over */
	assert.match(html, new RegExp(`id="budget-${aid}-alloue" data-centimes="42000"`));
	assert.match(html, new RegExp(`id="budget-${aid}-engage" data-centimes="38000"`));
	assert.match(html, new RegExp(`id="budget-${aid}-paye" data-centimes="36000"`));
	assert.match(html, new RegExp(`id="budget-${aid}-restant" data-centimes="4000"`));
	const aidPage = await page(admin, `/admin/aides/${aid}`);
	assert.match(aidPage, /id="aid-budget-restant" data-centimes="4000"/);

	location(await admin.post('/admin/budgets/depassement', { depassement: 'bloquer' }), 'bloquer');
	assert.match(await page(admin, '/admin/budgets'), /id="depassement-bloquer" name="depassement" value="bloquer" checked/);
	/* 50 € would exceed the 40 € left: the decision is refused */
	const instr = await srv.session('instructeur@A');
	const val = await srv.session('valideur@A');
	const [household, person] = [await fx.get('A', 'household'), await fx.get('A', 'person')];
	res = await instr.post('/dossiers', { household_id: String(household), applicant_id: String(person), aid_type_id: String(aid), motif: 'Loyer', montant_demande: '50' });
	const id = Number(/^\/dossiers\/(\d+)/.exec(location(res, 'dossier'))[1]);
	for (const form2 of [{ etat: 'depose' }, { etat: 'en_instruction' }, { etat: 'instruit', proposition: 'accord', montant: '50', appreciation: 'Urgence.' }, { etat: 'en_commission' }])
		location(await instr.post(`/dossiers/${id}/etat`, form2), form2.etat);
	res = await val.post(`/dossiers/${id}/etat`, { etat: 'decide', decision: 'accorde', montant: '50', motif: '' });
	assert.equal(res.status, 422, res.text.slice(0, 1500));
	assert.match(decodeEntities(res.text), /dépasserait l'enveloppe/);
	assert.equal(stateOf(await page(val, `/dossiers/${id}`)), 'en_commission');
	location(await val.post(`/dossiers/${id}/etat`, { etat: 'decide', decision: 'accorde', montant: '40', motif: '' }), 'within');
});

test('permissions: who reads, writes and exports payments', async () => {
	const cases = [
		['accueil@A', 'GET', '/paiements', 403],
		['administrateur@A', 'GET', '/paiements', 403],
		['auditeur@A', 'GET', '/paiements', 200],
		['instructeur@A', 'GET', '/paiements', 200],
		['instructeur@A', 'GET', '/dossiers/export?format=csv', 403],
		['instructeur@A', 'GET', `/paiements/tresorerie?du_tresorerie=${today}&au_tresorerie=${today}`, 403],
		['administrateur@A', 'GET', '/paiements/export?format=csv', 403],
		['auditeur@A', 'GET', '/dossiers/export?format=csv', 403],
		['valideur@A', 'GET', '/dossiers/export?format=pdf', 404],
		['instructeur@A', 'GET', '/admin/budgets', 403],
		['valideur@A', 'POST', '/admin/budgets/depassement', 403],
		['auditeur@A', 'POST', `/dossiers/${dossier}/titulaires`, 403],
		['accueil@A', 'POST', `/dossiers/${dossier}/paiements`, 403],
	];
	for (const [who, method, url, want] of cases) {
		const s = await srv.session(who);
		const res = method === 'GET' ? await s.get(url) : await s.post(url, { kind: 'bailleur', nom: 'X', iban: IBAN, depassement: 'avertir' });
		assert.equal(res.status, want, `${method} ${url} as ${who}`);
	}
	/* the auditeur reads the payments without any form to change them */
	const html = await page(await srv.session('auditeur@A'), `/dossiers/${dossier}`);
	assert.match(html, /id="paiements"/);
	assert.doesNotMatch(html, /id="payee-form"|id="schedule-form"|class="payment-act"/);
	assert.doesNotMatch(html, /id="export-csv"/);
});

test('isolation: CCAS B neither sees nor touches CCAS A\'s payments', async () => {
	const b = await srv.session('valideur@B');
	const instrB = await srv.session('instructeur@B');
	const html = await page(instrB, '/paiements');
	assert.doesNotMatch(html, /Office HLM Essai/);
	assert.match(html, /0 paiement\(s\)/);
	const f = await download(b, `/paiements/tresorerie?du_tresorerie=2000-01-01&au_tresorerie=${today}`);
	assert.equal(f.status, 200);
	assert.ok(!f.text.includes(IBAN_NORM), 'B\'s treasury file shows A\'s IBAN');
	let res = await instrB.post(`/dossiers/${dossier}/titulaires`, { kind: 'bailleur', nom: 'X', iban: IBAN_B });
	assert.equal(res.status, 404);
	res = await instrB.post(`/dossiers/${dossier}/paiements`, { mode: 'virement', payee_id: String(payee), montant: '1', objet: 'x' });
	assert.equal(res.status, 404);
	/* A's payee on B's own dossier: not a payee B can use */
	const idB = await grantedDossier('B', '100');
	res = await instrB.post(`/dossiers/${idB}/paiements`, { mode: 'virement', payee_id: String(payee), montant: '10', objet: 'x' });
	assert.equal(res.status, 422);
	assert.match(res.text, /id="pay-payee_id"[^>]*aria-invalid="true"/);
	assert.doesNotMatch(res.text, /Office HLM Essai/);
});

test('two server processes deciding at once cannot overspend a blocking envelope', async () => {
	const admin = await srv.session('administrateur@A');
	location(await admin.post('/admin/aides', { code: 'aide-course', label: 'Aide de course', description: '' }), 'aid');
	const aid = Number(new RegExp('<tr id="aid-(\\d+)">\\s*<th scope="row">Aide de course</th>').exec(await page(admin, '/admin/aides'))[1]);
	location(await admin.post('/admin/budgets', { aid_type_id: String(aid), annee: today.slice(0, 4), montant: '100' }), 'envelope');
	const instr = await srv.session('instructeur@A');
	const val = await srv.session('valideur@A');
	const [household, person] = [await fx.get('A', 'household'), await fx.get('A', 'person')];
	const ids = [];
	for (let i = 0; i < 6; i++) {
		const res = await instr.post('/dossiers', { household_id: String(household), applicant_id: String(person), aid_type_id: String(aid), motif: 'Course', montant_demande: '30' });
		const id = Number(/^\/dossiers\/(\d+)/.exec(location(res, 'dossier'))[1]);
		for (const form of [{ etat: 'depose' }, { etat: 'en_instruction' }, { etat: 'instruit', proposition: 'accord', montant: '30', appreciation: 'Course.' }, { etat: 'en_commission' }])
			location(await instr.post(`/dossiers/${id}/etat`, form), form.etat);
		ids.push(id);
	}
	const peer = await startPeer(srv);
	try {
		const other = new Session(peer.base);
		other.jar = new Map(val.jar);
		other.csrf = val.csrf;
		/* all six at once, alternately on each process */
		const results = await Promise.all(ids.map((id, i) =>
			(i % 2 ? other : val).post(`/dossiers/${id}/etat`, { etat: 'decide', decision: 'accorde', montant: '30', motif: '' })));
		const statuses = results.map((r) => r.status).sort();
		assert.deepEqual(statuses, [303, 303, 303, 422, 422, 422], results.map((r) => `${r.status} ${r.text.slice(0, 200)}`).join('\n'));
		const html = await page(admin, `/admin/budgets?annee=${today.slice(0, 4)}`);
		assert.match(html, new RegExp(`id="budget-${aid}-engage" data-centimes="9000"`));
		assertCleanExit(await peer.stop());
	} finally {
		peer.cleanup();
	}
});

test('every export is in the audit log', async () => {
	const admin = await srv.session('administrateur@A');
	for (const [type, min] of [['tresorerie', 1], ['paiements', 1], ['dossiers', 2]]) {
		const html = await page(admin, `/audit?type=${type}`);
		const n = (html.match(/>Export</g) || []).length;
		assert.ok(n >= min, `audit entries of exports of ${type}: ${n}\n${html.slice(-3000)}`);
	}
	/* B's audit log has its own export only */
	const b = await page(await srv.session('administrateur@B'), '/audit?type=tresorerie');
	assert.equal((b.match(/>Export</g) || []).length, 1);
});

test('the server stops on SIGTERM with status 0 and no sanitizer report', async () => {
	assertCleanExit(await srv.stop());
});
