// The instruction workflow over HTTP: each transition by the roles allowed
// and refused, on the dossier page (POST /dossiers/{id}/etat) and through
// the API (POST /api/v1/dossiers/{id}/transitions); the fields each one
// requires, with the errors next to the fields; four-eyes; the emergency
// short path; deadlines on "Mes dossiers" and on the list; the settings;
// tenant isolation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { ROLES, assertCleanExit, startPeer, startServer } from './lib/server.mjs';

let srv, first;
const ids = {};

before(async () => {
	srv = first = await startServer({ env: { CASSIS_NOW: '2026-03-02T09:00:00Z' } });
});

after(async () => {
	if (srv && srv !== first) {
		assertCleanExit(await srv.stop());
		srv.cleanup();
	}
	if (first) {
		if (!first.exit) assertCleanExit(await first.stop());
		first.cleanup();
	}
});

async function api(who, method, path, json, expect) {
	const s = await srv.apiSession(who);
	const res = await s.request(method, path, json === undefined ? {} : { json });
	if (expect !== undefined)
		assert.equal(res.status, expect, `${method} ${path} (${who}) → ${res.status}: ${res.text.slice(0, 600)}`);
	return res;
}

async function aidType(T, code, label) {
	const admin = await srv.session(`administrateur@${T}`);
	const res = await admin.post('/admin/aides', { code, label, description: `${label} : secours ponctuel` });
	assert.equal(res.status, 303, `aid type ${code} of ${T}: ${res.status} ${res.text.slice(0, 300)}`);
	const list = await api(`instructeur@${T}`, 'GET', '/api/v1/aid-types?limit=200', undefined, 200);
	return list.json.data.find((a) => a.code === code).id;
}

async function household(T, nom) {
	const p = await api(`accueil@${T}`, 'POST', '/api/v1/persons', {
		nom_naissance: nom, prenoms: ['Camille'], sexe: 'F', date_naissance: '1982-04-12',
		lieu_naissance: { type: 'commune', code: '75056' }, nationalite: 'francaise',
	});
	assert.equal(p.status, 201, p.text);
	const h = await api(`accueil@${T}`, 'POST', '/api/v1/households', { demandeur_id: p.json.id }, 201);
	return h.json.id;
}

/* A new brouillon of CCAS T on aid. */
async function dossier(T, aid, hid) {
	const d = await api(`accueil@${T}`, 'POST', '/api/v1/dossiers', {
		household_id: hid, aid_type_id: aid, motif: 'Facture d’énergie impayée', montant_demande_centimes: 20000,
	}, 201);
	return d.json.id;
}

/* A transition through the API. */
function move(who, id, to, fields, expect) {
	return api(who, 'POST', `/api/v1/dossiers/${id}/transitions`, fields ? { to, fields } : { to }, expect);
}

/* A transition through the dossier page's form. */
async function form(who, id, to, fields = {}) {
	const s = await srv.session(who);
	return s.post(`/dossiers/${id}/etat`, { etat: to, ...fields });
}

async function stateOf(id) {
	return (await api('auditeur@A', 'GET', `/api/v1/dossiers/${id}`, undefined, 200)).json.etat;
}

const PROPOSAL = { proposition: 'accord', montant: '150', appreciation: 'Dette ponctuelle, budget équilibré par ailleurs.' };

/* Deposit, take up, proposal by `proposer`: a dossier in state instruit. */
async function instructed(aid, proposer = 'instructeur@A') {
	const id = await dossier('A', aid, ids.hA);
	await move('accueil@A', id, 'depose', null, 200);
	await move('instructeur@A', id, 'en_instruction', null, 200);
	await move(proposer, id, 'instruit', PROPOSAL, 200);
	return id;
}

test('setup: aid types, households', async () => {
	ids.aid = await aidType('A', 'energie', 'Aide à l’énergie');
	ids.urgent = await aidType('A', 'secours', 'Secours d’urgence');
	ids.aidB = await aidType('B', 'energie', 'Aide à l’énergie');
	ids.hA = await household('A', 'Aubrac');
	ids.hB = await household('B', 'Bernard');
	const admin = await srv.session('administrateur@A');
	/* the emergency short path, on the aid page */
	let page = await admin.get(`/admin/aides/${ids.urgent}`);
	assert.match(page.text, /id="aid-urgence-state">Inactive/);
	assert.equal((await admin.post(`/admin/aides/${ids.urgent}/urgence`, { urgence: '1' })).status, 303);
	page = await admin.get(`/admin/aides/${ids.urgent}`);
	assert.match(page.text, /id="aid-urgence-state"><strong>Active/);
	for (const who of ['instructeur@A', 'valideur@A'])
		assert.equal((await (await srv.session(who)).post(`/admin/aides/${ids.urgent}/urgence`, { urgence: '0' })).status, 403);
	assert.equal((await (await srv.session('administrateur@B')).post(`/admin/aides/${ids.urgent}/urgence`, { urgence: '0' })).status, 404);
});

/* Every transition of the life cycle, by each role: the allowed ones pass,
 * the others get 403 and change nothing. */
const STEPS = [
	{ to: 'depose', roles: ['accueil', 'instructeur'] },
	{ to: 'en_instruction', roles: ['instructeur'] },
	{ to: 'en_attente_pieces', roles: ['instructeur'], fields: { motif: 'Avis d’imposition 2025 et dernière facture.' } },
	{ to: 'en_instruction', roles: ['instructeur'] },
	{ to: 'instruit', roles: ['instructeur', 'valideur'], fields: PROPOSAL },
	{ to: 'en_commission', roles: ['instructeur', 'valideur'] },
	{ to: 'instruit', roles: ['instructeur', 'valideur'] },
	{ to: 'en_commission', roles: ['instructeur', 'valideur'] },
	{ to: 'decide', roles: ['valideur'], fields: { decision: 'accorde', montant: '140' } },
	{ to: 'notifie', roles: ['instructeur', 'valideur'] },
	{ to: 'paiement', roles: ['instructeur', 'valideur'] },
	{ to: 'cloture', roles: ['instructeur', 'valideur'] },
];

test('each transition: allowed roles pass, the others get 403 (API)', async () => {
	const id = await dossier('A', ids.aid, ids.hA);
	for (const step of STEPS) {
		const from = await stateOf(id);
		for (const role of ROLES.filter((r) => !step.roles.includes(r))) {
			await move(`${role}@A`, id, step.to, step.fields, 403);
			assert.equal(await stateOf(id), from, `${role} changed nothing`);
		}
		/* alternate the allowed roles; the decision by the valideur who did not propose */
		const role = step.roles[STEPS.indexOf(step) % step.roles.length];
		const who = step.to === 'instruit' && step.fields ? 'instructeur@A' : `${role}@A`;
		const res = await move(who, id, step.to, step.fields, 200);
		assert.equal(res.json.etat, step.to);
	}
	/* a closed dossier never moves again */
	for (const to of ['en_instruction', 'depose', 'cloture', 'brouillon']) {
		const res = await move('instructeur@A', id, to, null, 422);
		assert.equal(res.json.error.field, 'to');
	}
	const d = await api('valideur@A', 'GET', `/api/v1/dossiers/${id}`, undefined, 200);
	const kinds = d.json.events.map((e) => e.kind);
	for (const k of ['depot', 'instruction', 'pieces', 'reprise', 'proposition', 'commission', 'decision', 'notification', 'paiement', 'cloture'])
		assert.ok(kinds.includes(k), `timeline has ${k}`);
	assert.match(d.json.events.find((e) => e.kind === 'proposition').detail, /Appréciation : Dette ponctuelle/);
	assert.match(d.json.events.find((e) => e.kind === 'pieces').detail, /Pièces demandées : Avis d’imposition/);
	/* the accueil does not read the assessment */
	const seen = await api('accueil@A', 'GET', `/api/v1/dossiers/${id}`, undefined, 200);
	assert.equal(seen.json.workflow.appreciation, null);
	assert.equal(seen.json.workflow.montant_accorde_centimes, 14000);
});

test('forbidden transitions: 422 on "to" with the reason, nothing written', async () => {
	const id = await dossier('A', ids.aid, ids.hA);
	const cases = [
		['instructeur@A', 'en_instruction', /doit d'abord être déposé/],
		['valideur@A', 'decide', /doit d'abord être déposé/],
		['instructeur@A', 'brouillon', /déjà dans cet état/],
		['instructeur@A', 'perdu', /Choisissez un état/],
	];
	for (const [who, to, why] of cases) {
		const res = await move(who, id, to, { decision: 'accorde', montant: '1' }, 422);
		assert.equal(res.json.error.field, 'to');
		assert.match(res.json.error.message, why);
	}
	assert.equal(await stateOf(id), 'brouillon');
	await move('accueil@A', id, 'depose', null, 200);
	let res = await move('instructeur@A', id, 'depose', null, 422);
	assert.match(res.json.error.message, /déjà dans cet état/);
	res = await move('valideur@A', id, 'decide', { decision: 'accorde', montant: '1' }, 422);
	assert.match(res.json.error.message, /proposition de l'instructeur et la commission/);
	res = await move('instructeur@A', id, 'paiement', null, 422);
	assert.match(res.json.error.message, /accordée et notifiée/);
	/* an aid without the emergency path goes through the commission */
	const i = await instructed(ids.aid);
	const r = await move('valideur@A', i, 'decide', { decision: 'accorde', montant: '150' }, 422);
	assert.match(r.json.error.message, /pas de procédure d'urgence/);
});

test('required fields: errors next to the fields, on the page and in the API', async () => {
	const id = await dossier('A', ids.aid, ids.hA);
	await move('accueil@A', id, 'depose', null, 200);
	await move('instructeur@A', id, 'en_instruction', null, 200);
	let r = await move('instructeur@A', id, 'en_attente_pieces', null, 422);
	assert.equal(r.json.error.field, 'motif');
	r = await move('instructeur@A', id, 'instruit', { proposition: 'accord' }, 422);
	assert.deepEqual(Object.keys(r.json.error.fields).sort(), ['appreciation', 'montant']);
	r = await move('instructeur@A', id, 'instruit', { proposition: 'peut-être', appreciation: 'x' }, 422);
	assert.deepEqual(Object.keys(r.json.error.fields), ['proposition']);
	r = await move('instructeur@A', id, 'instruit', { ...PROPOSAL, montant: 'cent euros' }, 422);
	assert.deepEqual(Object.keys(r.json.error.fields), ['montant']);
	r = await move('instructeur@A', id, 'instruit', { ...PROPOSAL, evaluation_id: '424242' }, 422);
	assert.deepEqual(Object.keys(r.json.error.fields), ['evaluation_id']);
	/* the page: the error next to its field, in the form of that action */
	const page = await form('instructeur@A', id, 'instruit', { proposition: 'accord', montant: '', appreciation: '' });
	assert.equal(page.status, 422);
	assert.match(page.text, /id="err-action-instruit-montant" class="field-error">Indiquez le montant proposé/);
	assert.match(page.text, /id="action-instruit-appreciation" name="appreciation"[^>]*aria-invalid="true"/);
	assert.match(page.text, /<a href="#action-instruit-montant">/);
	assert.match(page.text, /<a href="#action-instruit-appreciation">/);
	assert.match(page.text, /id="action-instruit-proposition-accord" name="proposition" value="accord" checked/);
	assert.doesNotMatch(page.text, /id="err-action-en_attente_pieces-motif"/);
	assert.equal(await stateOf(id), 'en_instruction');
	/* refusal and ajournement need their motive */
	r = await move('instructeur@A', id, 'instruit', { proposition: 'refus', appreciation: 'Ressources au-dessus du barème.' }, 200);
	assert.equal(r.json.workflow.montant_propose_centimes, null);
	await move('instructeur@A', id, 'en_commission', null, 200);
	r = await move('valideur@A', id, 'decide', { decision: 'refuse' }, 422);
	assert.deepEqual(Object.keys(r.json.error.fields), ['motif']);
	r = await move('valideur@A', id, 'decide', { decision: 'accorde' }, 422);
	assert.deepEqual(Object.keys(r.json.error.fields), ['montant']);
	const done = await form('valideur@A', id, 'decide', { decision: 'refuse', motif: 'Ressources supérieures au plafond.' });
	assert.equal(done.status, 303);
	assert.equal(await stateOf(id), 'decide');
	const shown = await (await srv.session('valideur@A')).get(`/dossiers/${id}`);
	assert.match(shown.text, /id="wf-decision" data-decision="refuse"><strong>Refusé<\/strong>/);
	assert.match(shown.text, /id="wf-motif-decision" class="pre-line">Ressources supérieures au plafond\./);
	assert.match(shown.text, /id="action-notifie"[^>]*data-confirm="Notifier la décision/);
});

test('four-eyes: who proposed does not decide, unless the CCAS turns it off', async () => {
	/* proposed through the API by the valideur's key: that key does not decide */
	const id = await instructed(ids.aid, 'valideur@A');
	await move('instructeur@A', id, 'en_commission', null, 200);
	let r = await move('valideur@A', id, 'decide', { decision: 'accorde', montant: '150' }, 422);
	assert.equal(r.json.error.field, 'to');
	assert.match(r.json.error.message, /Vous avez instruit ce dossier : la décision revient à une autre personne \(principe des quatre yeux\)\./);
	const d = await api('valideur@A', 'GET', `/api/v1/dossiers/${id}`, undefined, 200);
	assert.match(d.json.workflow.actions.find((a) => a.to === 'decide').refus, /quatre yeux/);
	assert.equal(await stateOf(id), 'en_commission');

	/* proposed on the page by the valideur: the page offers no decision form to them */
	const id2 = await dossier('A', ids.aid, ids.hA);
	await move('accueil@A', id2, 'depose', null, 200);
	assert.equal((await form('instructeur@A', id2, 'en_instruction')).status, 303);
	assert.equal((await form('valideur@A', id2, 'instruit', PROPOSAL)).status, 303);
	assert.equal((await form('valideur@A', id2, 'en_commission')).status, 303);
	const page = await (await srv.session('valideur@A')).get(`/dossiers/${id2}`);
	assert.match(page.text, /id="action-decide-refusal"/);
	assert.doesNotMatch(page.text, /<form[^>]*id="action-decide"/);
	const byForm = await form('valideur@A', id2, 'decide', { decision: 'accorde', montant: '150' });
	assert.equal(byForm.status, 422);
	assert.match(byForm.text, /id="action-decide-refusal"><strong>Enregistrer la décision<\/strong> : Vous avez instruit ce dossier/);
	assert.match(byForm.text, /id="action-decide-to" role="alert">Vous avez instruit ce dossier/);
	assert.equal(await stateOf(id2), 'en_commission');
	/* decisions wait on the other valideurs only */
	const mine = await (await srv.session('valideur@A')).get('/mes-dossiers');
	assert.doesNotMatch(mine.text, new RegExp(`id="mine-${id2}"`));
	assert.match(mine.text, new RegExp(`id="mine-${id}"`));

	/* off: the settings page of the administrateur */
	const admin = await srv.session('administrateur@A');
	const settings = await admin.get('/admin/ccas');
	assert.match(settings.text, /id="quatre_yeux" name="quatre_yeux" value="1"[^>]*checked/);
	assert.match(settings.text, /id="delai_instruction" name="delai_instruction" value="30"/);
	const base = { name: 'CCAS de Paris', communes: '75056', colour: '#1b5e8c', quatre_yeux_affiche: '1' };
	let res = await admin.post('/admin/ccas', { ...base, delai_instruction: '400', delai_pieces: '15', delai_notification: '8' });
	assert.equal(res.status, 422);
	assert.match(res.text, /id="err-delai_instruction" class="field-error">Indiquez un nombre de jours/);
	res = await admin.post('/admin/ccas', { ...base, delai_instruction: '30', delai_pieces: '15', delai_notification: '8' });
	assert.equal(res.status, 303);
	assert.doesNotMatch((await admin.get('/admin/ccas')).text, /id="quatre_yeux"[^>]*checked/);
	await move('valideur@A', id, 'decide', { decision: 'accorde', montant: '150' }, 200);
	res = await admin.post('/admin/ccas', { ...base, quatre_yeux: '1', delai_instruction: '30', delai_pieces: '30', delai_notification: '8' });
	assert.equal(res.status, 303);
	assert.match((await admin.get('/admin/ccas')).text, /id="quatre_yeux"[^>]*checked/);
	const audit = await admin.get('/audit');
	assert.match(audit.text, /parametres_instruction|quatre_yeux/);
});

test('the emergency short path: a valideur decides at once, to report to the commission', async () => {
	const id = await instructed(ids.urgent);
	const mine = await (await srv.session('valideur@A')).get('/mes-dossiers');
	assert.match(mine.text, new RegExp(`id="mine-${id}" data-state="instruit"`));
	assert.match(mine.text, /Décision d&#39;urgence à prendre|Décision d'urgence à prendre/);
	await move('instructeur@A', id, 'decide', { decision: 'accorde', montant: '80' }, 403);
	const r = await move('valideur@A', id, 'decide', { decision: 'accorde', montant: '80' }, 200);
	assert.equal(r.json.workflow.a_rapporter, true);
	assert.equal(r.json.workflow.montant_accorde_centimes, 8000);
	const page = await (await srv.session('instructeur@A')).get(`/dossiers/${id}`);
	assert.match(page.text, /id="wf-a-rapporter"/);
});

test('deadlines: "Mes dossiers" and the list flag what is late', async () => {
	const late = await dossier('A', ids.aid, ids.hA);
	await move('accueil@A', late, 'depose', null, 200);
	assert.equal((await form('instructeur@A', late, 'en_instruction')).status, 303);
	const mine = await (await srv.session('instructeur@A')).get('/mes-dossiers');
	assert.equal(mine.status, 200);
	assert.match(mine.text, new RegExp(`id="mine-${late}" data-state="en_instruction">`));
	/* another server on the same database, 45 days later */
	const end = await srv.stop();
	assertCleanExit(end);
	const later = await startPeer(srv, { env: { CASSIS_NOW: '2026-04-16T09:00:00Z' } });
	try {
		const s = await later.login('instructeur@A');
		const page = await s.get('/mes-dossiers');
		assert.match(page.text, new RegExp(`id="mine-${late}" data-state="en_instruction" data-overdue="true"`));
		assert.match(page.text, /en retard de 15 jour\(s\)/);
		assert.match(page.text, /id="mine-late">\d+ en retard\./);
		const other = await later.login('instructeur@B');
		assert.doesNotMatch((await other.get('/mes-dossiers')).text, new RegExp(`id="mine-${late}"`));
		const list = await s.get('/dossiers?etat=en_instruction');
		assert.match(list.text, new RegExp(`id="dossier-${late}"[^>]*data-overdue="true"`));
		const d = await s.get(`/dossiers/${late}`);
		assert.match(d.text, /id="wf-overdue">En retard de 15 jour\(s\)/);
		const v = await later.login('valideur@A');
		assert.doesNotMatch((await v.get('/mes-dossiers')).text, new RegExp(`id="mine-${late}"`));
		assertCleanExit(await later.stop());
	} finally {
		later.cleanup();
	}
	srv = await startPeer(first, { env: { CASSIS_NOW: '2026-04-16T09:00:00Z' } });
});

test('tenant isolation: another CCAS gets 404 and changes nothing', async () => {
	const id = await dossier('A', ids.aid, ids.hA);
	for (const role of ['accueil', 'instructeur', 'valideur']) {
		await move(`${role}@B`, id, 'depose', null, 404);
		const page = await form(`${role}@B`, id, 'depose');
		assert.equal(page.status, 404);
	}
	assert.equal(await stateOf(id), 'brouillon');
	const bid = await dossier('B', ids.aidB, ids.hB);
	await move('accueil@B', bid, 'depose', null, 200);
	const mine = await (await srv.session('instructeur@A')).get('/mes-dossiers');
	assert.doesNotMatch(mine.text, new RegExp(`href="/dossiers/${bid}"`));
});
