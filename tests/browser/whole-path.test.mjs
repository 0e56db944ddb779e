// The whole path of a dossier in a real browser, with axe-core on every
// page: the front desk deposits; the instructor takes it up, consults the
// CAF (the stand-in of API Particulier), evaluates it and proposes with the
// explanation (errors next to the fields first); the valideur puts it on
// the commission's agenda and decides; the decision is notified (after a
// confirmation) with a PDF letter whose text is read with pdftotext; the
// aid is paid and the dossier closes. "Mes dossiers" follows it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import YAML from 'yaml';

import { PROJECT_FIXTURES, QF_OPERATION, startStandin } from '../http/lib/standin.mjs';
import { TENANTS, cli } from '../http/lib/server.mjs';
import { assertErrorsTiedToFields, flashText, login, openSuite, submit, todayIso, visit } from './lib.mjs';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-browser-path-'));
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;
const FIXTURE = '200-demo-lefebvre-seul-qf_cnaf.yaml';
const RULE = {
	conditions: [{ libelle: 'Quotient familial CAF d’au plus 1 500 €', expression: 'qf_caf <= 1500' }],
	montant: 'min(montant_demande, 150)',
};

let env;
let standin;
const w = {};

before(async () => {
	env = await openSuite('whole-path', { env: { CASSIS_SIGNING_KEY: path.join(DIR, 'signing.key') } });
	standin = await startStandin({ args: ['--rate', '0'] });
	const token = path.join(DIR, 'jeton');
	fs.writeFileSync(token, 'jeton-essai-a\n', { mode: 0o600 });
	const r = cli(['tenant', 'set-provider', '--db', env.srv.dbUrl, '--tenant', TENANTS.A.siret,
		'--particulier-url', standin.url, '--particulier-token-file', token]);
	assert.equal(r.status, 0, r.stderr);
	/* the aid and its rule in force, set up over HTTP (the rule editor has its own tests) */
	const admin = await env.srv.session('administrateur@A');
	let res = await admin.post('/admin/aides', { code: 'energie', label: 'Aide à l’énergie', description: 'Facture d’énergie' });
	assert.equal(res.status, 303);
	const list = await admin.get('/admin/aides');
	w.aid = Number(/<tr id="aid-(\d+)">\s*<th scope="row">Aide à l’énergie<\/th>/.exec(list.text)[1]);
	res = await admin.post(`/admin/aides/${w.aid}/versions`, { du: '2020-01-01', au: '', note: '', document: JSON.stringify(RULE) });
	assert.equal(res.status, 303, res.text.slice(0, 500));
	const vid = /\/versions\/(\d+)$/.exec(res.headers.get('location'))[1];
	assert.equal((await admin.post(`/admin/aides/${w.aid}/versions/${vid}/activer`, {})).status, 303);
});

after(async () => {
	await standin?.stop();
	await env?.close();
	fs.rmSync(DIR, { recursive: true, force: true });
});

async function state(page) {
	return page.locator('#dossier-etat').getAttribute('data-state');
}

/* The bytes of a link of the page, with the page's cookies. */
async function download(page, href) {
	const res = await page.context().request.get(new URL(href, page.url()).href);
	assert.equal(res.status(), 200, href);
	return Buffer.from(await res.body());
}

function pdfText(buf) {
	const file = path.join(DIR, `courrier-${Date.now()}.pdf`);
	fs.writeFileSync(file, buf);
	const r = spawnSync('pdftotext', ['-q', file, '-'], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.replace(/\s+/g, ' ');
}

test('the front desk records the applicant and deposits the dossier', async () => {
	const p = YAML.parse(fs.readFileSync(path.join(PROJECT_FIXTURES, QF_OPERATION, FIXTURE), 'utf8')).params;
	w.nom = p.nomNaissance;
	/* the person and the household over HTTP: the pages have their own browser tests */
	const s = await env.srv.session('accueil@A');
	let res = await s.post('/usagers', {
		nom_naissance: p.nomNaissance, nom_usage: '', prenom1: p.prenoms[0], prenom2: p.prenoms[1] || '', prenom3: '',
		sexe: p.sexeEtatCivil, date_naissance: `${p.anneeDateNaissance}-${String(p.moisDateNaissance).padStart(2, '0')}-${String(p.jourDateNaissance).padStart(2, '0')}`,
		lieu_type: 'commune', commune_naissance: p.codeCogInseeCommuneNaissance, pays_naissance: '', nationalite: 'francaise',
		telephone: '', email: '', adresse: '12 rue des Tilleuls', code_postal: '75011', commune: 'Paris',
	});
	assert.equal(res.status, 303, res.text.slice(0, 800));
	w.person = Number(/^\/usagers\/(\d+)/.exec(res.headers.get('location'))[1]);

	const page = await env.newPage();
	await login(page, env, 'accueil@A');
	await visit(page, `/foyers/nouveau?demandeur=${w.person}`, 'nouveau foyer');
	if (!(await page.locator('#date_entree').inputValue())) await page.locator('#date_entree').fill('2024-01-15');
	await submit(page, page.locator('#household-create-submit'), 'foyer créé');
	await submit(page, page.locator('#dossier-new'), 'nouveau dossier');
	const aid = page.locator('#aid_type_id');
	await aid.selectOption({ label: 'Aide à l’énergie' });
	await page.locator('#motif').fill('Facture d’électricité impayée après un arrêt maladie.');
	await page.locator('#montant_demande').fill('180');
	await submit(page, page.locator('#dossier-create-submit'), 'dossier ouvert');
	w.dossier = Number(/\/dossiers\/(\d+)$/.exec(new URL(page.url()).pathname)[1]);
	assert.equal(await state(page), 'brouillon');
	/* the front desk may deposit, not classify */
	assert.equal(await page.locator('#action-cloture').count(), 0);
	await submit(page, page.locator('#action-depose-submit'), 'dossier déposé');
	assert.equal(await flashText(page), "L'état du dossier a changé.");
	assert.equal(await state(page), 'depose');
	assert.equal(await page.locator('#wf-depose-le').innerText(), todayIso().split('-').reverse().join('/'));
	await page.context().close();
});

test('the instructor finds it on "Mes dossiers", takes it up and verifies it with the CAF', async () => {
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, '/mes-dossiers', 'mes dossiers (instructeur)');
	const row = page.locator(`#mine-${w.dossier}`);
	assert.equal(await row.count(), 1);
	assert.match(await row.innerText(), /À prendre en charge/);
	await submit(page, row.locator('a'), 'le dossier depuis mes dossiers');
	await submit(page, page.locator('#action-en_instruction-submit'), 'instruction prise en charge');
	assert.equal(await state(page), 'en_instruction');
	await submit(page, page.locator('#caf-consult'), 'CAF consultée');
	assert.equal(await page.locator('#caf-latest').getAttribute('data-ok'), '1');
	await page.context().close();
});

test('the instructor evaluates, then proposes with the explanation', async () => {
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/dossiers/${w.dossier}`, 'dossier en instruction');
	await submit(page, page.locator('#evaluation-submit'), 'évaluation enregistrée');
	const stored = page.locator('#evaluation-stored');
	assert.equal(await stored.locator('[data-issue]').first().getAttribute('data-issue'), 'eligible');
	assert.equal(await stored.locator('.rule-amount').first().getAttribute('data-centimes'), '15000');
	/* a proposal without its amount nor assessment: the errors next to the fields */
	await page.locator('#action-instruit-proposition-accord').check();
	await page.locator('#action-instruit-montant').fill('');
	await submit(page, page.locator('#action-instruit-submit'), 'proposition incomplète');
	const report = await assertErrorsTiedToFields(page);
	assert.deepEqual(report.fields.map((f) => f.id).sort(), ['action-instruit-appreciation', 'action-instruit-montant']);
	assert.ok(await page.locator('#action-instruit-proposition-accord').isChecked(), 'the choice is kept');
	await page.locator('#action-instruit-montant').fill('150');
	await page.locator('#action-instruit-appreciation').fill('Dette ponctuelle après un arrêt maladie ; la règle donne 150 € au vu du QF certifié.');
	await submit(page, page.locator('#action-instruit-submit'), 'proposition faite');
	assert.equal(await state(page), 'instruit');
	assert.match(await page.locator('#wf-proposal').innerText(), /Accord – 150,00\s€.*selon l.évaluation n° \d+/s);
	assert.match(await page.locator('#dossier-timeline').innerText(), /Proposition : Accord\.[\s\S]*Appréciation : Dette ponctuelle/);
	await page.context().close();
});

test('the valideur puts it on the agenda of the commission and decides', async () => {
	const page = await env.newPage();
	await login(page, env, 'valideur@A');
	/* the session over HTTP; the agenda and the decision in the browser */
	const s = await env.srv.session('valideur@A');
	const res = await s.post('/commissions', { date_seance: todayIso(), heure: '14:30', lieu: 'Salle du conseil', membres: 'Claire Dubois, vice-présidente' });
	assert.equal(res.status, 303, res.text.slice(0, 800));
	w.session = Number(/^\/commissions\/(\d+)$/.exec(res.headers.get('location'))[1]);
	await visit(page, `/commissions/${w.session}`, 'séance de la commission');
	await page.locator(`#candidate-${w.dossier} input[type="checkbox"]`).check();
	await submit(page, page.locator('#add-submit'), 'dossier à l’ordre du jour');
	await submit(page, page.locator('a[id^="item-"][id$="-decide"]').first(), 'décision seule');
	assert.equal(await page.locator('#decision').inputValue(), 'accorde', 'the proposal comes pre-filled');
	await page.locator('#montant').fill('150');
	await submit(page, page.locator('#decide-submit'), 'décision enregistrée', { onDialog: 'accept' });
	await visit(page, `/dossiers/${w.dossier}`, 'dossier décidé');
	assert.equal(await state(page), 'decide');
	assert.match(await page.locator('#wf-decision').innerText(), /Accordé – 150,00/);
	await page.context().close();
});

test('the notification, after a confirmation, produces the letter', async () => {
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, '/mes-dossiers', 'mes dossiers : décision à notifier');
	assert.match(await page.locator(`#mine-${w.dossier}`).innerText(), /Décision à notifier/);
	await visit(page, `/dossiers/${w.dossier}`, 'dossier à notifier');
	const message = await submit(page, page.locator('#action-notifie-submit'), 'décision notifiée', { onDialog: 'accept' });
	assert.match(message, /Notifier la décision au demandeur/);
	assert.equal(await state(page), 'notifie');
	const row = page.locator('tr[data-kind="notification_accord"]');
	assert.equal(await row.count(), 1);
	const pdf = await download(page, await row.locator('a').first().getAttribute('href'));
	assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
	if (HAS_PDFTOTEXT) {
		const text = pdfText(pdf);
		for (const needle of ['Notification de décision : accord', 'Montant accordé : 150,00', '12 rue des Tilleuls'])
			assert.ok(text.includes(needle), `« ${needle} » missing from:\n${text}`);
	}
	await page.context().close();
});

test('the payment closes the dossier', async () => {
	const page = await env.newPage();
	await login(page, env, 'instructeur@A');
	await visit(page, `/dossiers/${w.dossier}`, 'dossier notifié, paiements');
	await page.selectOption('#payee-kind', 'energie');
	await page.locator('#payee-nom').fill('Énergie Essai');
	await page.locator('#payee-iban').fill('FR76 3000 6000 0112 3456 7890 189');
	await submit(page, page.locator('#payee-submit'), 'titulaire enregistré');
	await page.selectOption('#pay-payee_id', { index: 1 });
	await page.locator('#pay-objet').fill('Aide à l’énergie');
	await page.locator('#pay-montant').fill('150');
	await page.locator('#pay-echeances').fill('1');
	await submit(page, page.locator('#schedule-submit'), 'paiement prévu');
	const id = (await page.locator('#payments tbody tr').first().getAttribute('id')).slice('payment-'.length);
	await submit(page, page.locator(`#payment-${id}-mandater-submit`), 'paiement mandaté');
	assert.equal(await state(page), 'paiement');
	await submit(page, page.locator(`#payment-${id}-payer-submit`), 'paiement payé', { onDialog: 'accept' });
	assert.equal(await state(page), 'cloture');
	const timeline = await page.locator('#dossier-timeline').innerText();
	for (const step of ['Demande déposée', 'Instruction prise en charge', 'proposition faite', 'Décision', 'notifiée', 'clôturé'])
		assert.ok(timeline.includes(step), `history: ${step}`);
	assert.equal(await page.locator('#workflow-actions-title').count(), 0, 'nothing left to do');
	await visit(page, '/mes-dossiers', 'mes dossiers après clôture');
	assert.equal(await page.locator(`#mine-${w.dossier}`).count(), 0);
	await page.context().close();
});
