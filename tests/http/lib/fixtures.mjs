// One object of each kind in a tenant, created through the pages as a user
// of that tenant would: the isolation sweep needs the ids of tenant B's
// objects (and tenant A's, to check that the route works at all).
//
// A route's {id} segments get their kind from the path segment before them
// (KIND_OF_SEGMENT); form fields and query parameters that carry an id get
// theirs from KIND_OF_FIELD. A new kind of object means a new line in these
// tables and a creator below; the sweep fails until then.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { parseForms } from './forms.mjs';
import { cli, ROOT, TENANTS } from './server.mjs';

export const KIND_OF_SEGMENT = {
	usagers: 'person', persons: 'person',
	foyers: 'household', households: 'household',
	membres: 'member', members: 'member',
	dossiers: 'dossier',
	lignes: 'line', lines: 'line', ressources: 'line', charges: 'line',
	aides: 'aid_type', 'types-aide': 'aid_type', 'aid-types': 'aid_type', 'aid_types': 'aid_type',
	utilisateurs: 'user', users: 'user',
	'cles-api': 'apikey', 'api-keys': 'apikey',
	plateforme: 'tenant', ccas: 'tenant', tenants: 'tenant',
	consultations: 'consultation',
	verifications: 'verification',
	versions: 'rule_version',
	paiements: 'payment',
	courriers: 'letter', letters: 'letter',
	pieces: 'document', documents: 'document',
	commissions: 'commission', 'ordre-du-jour': 'commission_item',
};

export const KIND_OF_FIELD = {
	demandeur: 'person', demandeur_id: 'person', person_id: 'person', usager: 'person',
	usager_id: 'person', applicant_id: 'person', personne: 'person', personne_id: 'person',
	foyer: 'household', foyer_id: 'household', household_id: 'household',
	dossier: 'dossier', dossier_id: 'dossier',
	aide: 'aid_type', aide_id: 'aid_type', aid_type_id: 'aid_type', type_aide: 'aid_type',
	member_id: 'member', membre_id: 'member',
	user_id: 'user', utilisateur_id: 'user',
	payee_id: 'payee',
};

/* Text that only tenant B's objects carry: never on a page served to A. */
export const B_MARKERS = ['Brocéliande', 'Montrouge-Essai'];

/* What to type in A's search forms to find A's objects. */
export const SEARCH_A = 'Aubrac';

const NAMES = {
	A: { nom: 'Aubrac', nom2: 'Aubracine', nom3: 'Aubrac-Libre', prenom: 'Anselme', prenom2: 'Adèle' },
	B: { nom: 'Brocéliande', nom2: 'Brocéliande-Morvan', nom3: 'Brocéliande-Libre', prenom: 'Zéphyrine', prenom2: 'Bérénice' },
};

/* The kinds of the {id} segments of a pattern, in order (undefined where
 * the table has no entry). */
export function idKinds(pattern) {
	const segs = pattern.split('/');
	const kinds = [];
	segs.forEach((s, i) => {
		if (s === '{id}') kinds.push(KIND_OF_SEGMENT[segs[i - 1]] ?? `?${segs[i - 1]}`);
	});
	return kinds;
}

function idFromLocation(res, re, what) {
	assert.equal(res.status, 303, `${what}: status ${res.status}\n${res.text.slice(0, 1500)}`);
	const m = re.exec(res.headers.get('location') || '');
	assert.ok(m, `${what}: unexpected Location ${res.headers.get('location')}`);
	return Number(m[1]);
}

/* which: 0 the applicant of the household, 1 its second member, 2 a person
 * in no household (so that forms to add a member show up). */
async function createPerson(srv, T, which) {
	const s = await srv.session(`instructeur@${T}`);
	const n = NAMES[T];
	const second = which > 0;
	const res = await s.post('/usagers', {
		nom_naissance: [n.nom, n.nom2, n.nom3][which], prenom1: second ? n.prenom2 : n.prenom,
		sexe: second ? 'M' : 'F', date_naissance: second ? '02/11/1983' : '14/07/1986',
		lieu_type: 'commune', commune_naissance: '75056', pays_naissance: '',
		nationalite: 'francaise', telephone: '', email: '', adresse: '', code_postal: '', commune: '',
	});
	return idFromLocation(res, /^\/usagers\/(\d+)/, `person of ${T}`);
}

async function createHousehold(srv, T, fx) {
	const s = await srv.session(`instructeur@${T}`);
	const person = await fx.get(T, 'person');
	const page = await s.get(`/foyers/nouveau?demandeur=${person}`);
	const form = parseForms(page.text).find((f) => f.method === 'POST' && f.action === '/foyers');
	assert.ok(form, `no household creation form on /foyers/nouveau?demandeur=${person}`);
	const res = await s.post('/foyers', { ...form.fields, label: `Foyer ${NAMES[T].nom}`, date_entree: '2024-01-15' });
	return idFromLocation(res, /^\/foyers\/(\d+)/, `household of ${T}`);
}

async function createMember(srv, T, fx) {
	const s = await srv.session(`instructeur@${T}`);
	const household = await fx.get(T, 'household');
	const person2 = await fx.get(T, 'person2');
	const res = await s.post(`/foyers/${household}/membres`, {
		person_id: String(person2), relation: 'conjoint', date_entree: '2024-01-15',
	});
	assert.equal(res.status, 303, `member of ${T}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const page = await s.get(`/foyers/${household}`);
	const re = new RegExp(`<tr id="member-(\\d+)"[^>]*>\\s*<th scope="row"><a href="/usagers/${person2}"`);
	const m = re.exec(page.text);
	assert.ok(m, `member of ${T}: no row for person ${person2} on /foyers/${household}`);
	return Number(m[1]);
}

async function createAidType(srv, T) {
	const s = await srv.session(`administrateur@${T}`);
	const label = `Aide ${NAMES[T].nom}`;
	const res = await s.post('/admin/aides', {
		label, code: `aide-essai-${T.toLowerCase()}`, description: `Secours ${NAMES[T].nom}`,
	});
	assert.equal(res.status, 303, `aid type of ${T}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const page = await s.get('/admin/aides');
	const m = new RegExp(`<tr id="aid-(\\d+)">\\s*<th scope="row">${label}</th>`).exec(page.text);
	assert.ok(m, `aid type of ${T}: not in the catalogue`);
	return Number(m[1]);
}

async function createDossier(srv, T, fx) {
	const s = await srv.session(`instructeur@${T}`);
	const [household, person, aid] = [await fx.get(T, 'household'), await fx.get(T, 'person'), await fx.get(T, 'aid_type')];
	const res = await s.post('/dossiers', {
		household_id: String(household), applicant_id: String(person), aid_type_id: String(aid),
		motif: `Facture d'énergie impayée (${NAMES[T].nom})`, montant_demande: '150',
	});
	return idFromLocation(res, /^\/dossiers\/(\d+)/, `dossier of ${T}`);
}

/* A consultation of API Particulier recorded for the dossier: the tenant
 * is not connected to it, so the attempt is recorded as failed. */
async function createConsultation(srv, T, fx) {
	const s = await srv.session(`instructeur@${T}`);
	const dossier = await fx.get(T, 'dossier');
	const res = await s.post(`/dossiers/${dossier}/consultations`, {});
	assert.equal(res.status, 303, `consultation of ${T}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const page = await s.get(`/dossiers/${dossier}`);
	const m = /id="caf-latest" data-consultation="(\d+)"/.exec(page.text);
	assert.ok(m, `consultation of ${T}: not shown on /dossiers/${dossier}`);
	return Number(m[1]);
}

/* "Vérifier la situation" on the shared dossier (no State API configured:
 * both sides are recorded as failures, which is enough for an id). */
async function createVerification(srv, T, fx) {
	const s = await srv.session(`instructeur@${T}`);
	const dossier = await fx.get(T, 'dossier');
	const res = await s.post(`/dossiers/${dossier}/verifications`, { spi: '3049990101242', annee: '' });
	return idFromLocation(res, new RegExp(`/dossiers/${dossier}/verifications/(\\d+)$`), `verification of ${T}`);
}

function tenantId(srv, T) {
	const out = cli(['tenant', 'list', '--db', srv.dbUrl]).stdout;
	const m = new RegExp(`^(\\d+)\\s+${TENANTS[T].siret}\\b`, 'm').exec(out);
	assert.ok(m, `tenant ${T} not in \`cassis tenant list\``);
	return Number(m[1]);
}

async function createApiKey(srv, T) {
	const key = await srv.apiKey(`accueil@${T}`);
	assert.ok(key, 'API keys cannot be created (no /admin/cles-api page)');
	return srv.keyIds.get(`accueil@${T}`);
}

/* A brouillon version of the rule of the aid type (the rule editor's form). */
async function createRuleVersion(srv, T, fx) {
	const s = await srv.session(`administrateur@${T}`);
	const aid = await fx.get(T, 'aid_type');
	const res = await s.post(`/admin/aides/${aid}/versions`, {
		du: '2024-01-01', au: '', note: `Règle ${NAMES[T].nom}`,
		document: JSON.stringify({ conditions: [{ libelle: 'Montant demandé connu', expression: 'montant_demande >= 0' }], montant: 'montant_demande' }),
	});
	return idFromLocation(res, new RegExp(`^/admin/aides/${aid}/versions/(\\d+)`), `rule version of ${T}`);
}

/* A pièce justificative of the dossier: a real minimal PDF sent through the
 * dossier's upload form (multipart), as "autre" so that no checklist is
 * needed. */
async function createDocument(srv, T, fx) {
	const s = await srv.session(`instructeur@${T}`);
	const dossier = await fx.get(T, 'dossier');
	const form = new FormData();
	form.append('csrf', s.csrf);
	form.append('piece', 'autre');
	form.append('autre', `Attestation ${NAMES[T].nom}`);
	const pdf = fs.readFileSync(path.join(ROOT, 'tests/unit/data/filetype/minimal.pdf'));
	form.append('fichier', new Blob([pdf], { type: 'application/pdf' }), 'attestation.pdf');
	const res = await s.request('POST', `/dossiers/${dossier}/pieces`, { raw: form });
	assert.equal(res.status, 303, `document of ${T}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const page = await s.get(`/dossiers/${dossier}/pieces`);
	const m = /<tr id="document-(\d+)"/.exec(page.text);
	assert.ok(m, `document of ${T}: not listed on /dossiers/${dossier}/pieces`);
	return Number(m[1]);
}

/* A letter (courrier) of the tenant's dossier: its accusé de réception,
 * produced when the dossier is deposited (or on demand when it already is). */
async function createLetter(srv, T, fx) {
	const s = await srv.session(`instructeur@${T}`);
	const dossier = await fx.get(T, 'dossier');
	await s.post(`/dossiers/${dossier}/etat`, { etat: 'depose' });
	let page = await s.get(`/dossiers/${dossier}`);
	if (!/<tr id="letter-\d+"/.test(page.text)) {
		const res = await s.post(`/dossiers/${dossier}/courriers`, { kind: 'accuse_reception' });
		assert.equal(res.status, 303, `letter of ${T}: ${res.status}\n${res.text.slice(0, 1500)}`);
		page = await s.get(`/dossiers/${dossier}`);
	}
	const m = /<tr id="letter-(\d+)"/.exec(page.text);
	assert.ok(m, `letter of ${T}: none on /dossiers/${dossier}`);
	return Number(m[1]);
}

/* A dossier taken through the workflow to a notified grant of 100 €. */
async function createGrantedDossier(srv, T, fx) {
	const instr = await srv.session(`instructeur@${T}`);
	const val = await srv.session(`valideur@${T}`);
	const [household, person, aid] = [await fx.get(T, 'household'), await fx.get(T, 'person'), await fx.get(T, 'aid_type')];
	const res = await instr.post('/dossiers', {
		household_id: String(household), applicant_id: String(person), aid_type_id: String(aid),
		motif: `Aide accordée (${NAMES[T].nom})`, montant_demande: '100',
	});
	const id = idFromLocation(res, /^\/dossiers\/(\d+)/, `granted dossier of ${T}`);
	for (const [s, form] of [[instr, { etat: 'depose' }], [instr, { etat: 'en_instruction' }],
		[instr, { etat: 'instruit', proposition: 'accord', montant: '100', appreciation: 'Justifié.' }],
		[instr, { etat: 'en_commission' }], [val, { etat: 'decide', decision: 'accorde', montant: '100' }],
		[instr, { etat: 'notifie' }]]) {
		const r = await s.post(`/dossiers/${id}/etat`, form);
		assert.equal(r.status, 303, `granted dossier of ${T} -> ${form.etat}: ${r.status}\n${r.text.slice(0, 1500)}`);
	}
	return id;
}

/* The holder of an account paid for the granted dossier (its name carries
 * the tenant's marker). */
async function createPayee(srv, T, fx) {
	const s = await srv.session(`instructeur@${T}`);
	const dossier = await fx.get(T, 'granted_dossier');
	const res = await s.post(`/dossiers/${dossier}/titulaires`, {
		kind: 'bailleur', nom: `Bailleur ${NAMES[T].nom}`, iban: 'FR76 3000 6000 0112 3456 7890 189', bic: '',
	});
	assert.equal(res.status, 303, `payee of ${T}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const m = /<li id="payee-(\d+)">/.exec((await s.get(`/dossiers/${dossier}`)).text);
	assert.ok(m, `payee of ${T}: not listed on /dossiers/${dossier}`);
	return Number(m[1]);
}

async function createPayment(srv, T, fx) {
	const s = await srv.session(`instructeur@${T}`);
	const [dossier, payee] = [await fx.get(T, 'granted_dossier'), await fx.get(T, 'payee')];
	const res = await s.post(`/dossiers/${dossier}/paiements`, {
		mode: 'virement', payee_id: String(payee), montant: '10', echeances: '1', objet: `Aide ${NAMES[T].nom}`,
	});
	assert.equal(res.status, 303, `payment of ${T}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const m = /<tr id="payment-(\d+)"/.exec((await s.get(`/dossiers/${dossier}`)).text);
	assert.ok(m, `payment of ${T}: not listed on /dossiers/${dossier}`);
	return Number(m[1]);
}

/* A session of the commission (its place carries the tenant's marker). */
async function createCommission(srv, T) {
	const s = await srv.session(`valideur@${T}`);
	const res = await s.post('/commissions', { date_seance: '2026-03-20', heure: '14:30', lieu: `Salle ${NAMES[T].nom}` });
	return idFromLocation(res, /^\/commissions\/(\d+)$/, `commission of ${T}`);
}

/* An item of the session's agenda: a dossier of its own, instructed, then
 * put on the agenda by the valideur. */
async function createCommissionItem(srv, T, fx) {
	const instr = await srv.session(`instructeur@${T}`);
	const [household, person, aid, commission] = [await fx.get(T, 'household'), await fx.get(T, 'person'),
		await fx.get(T, 'aid_type'), await fx.get(T, 'commission')];
	const res = await instr.post('/dossiers', {
		household_id: String(household), applicant_id: String(person), aid_type_id: String(aid),
		motif: `Aide à décider en commission (${NAMES[T].nom})`, montant_demande: '80',
	});
	const id = idFromLocation(res, /^\/dossiers\/(\d+)/, `commission dossier of ${T}`);
	for (const form of [{ etat: 'depose' }, { etat: 'en_instruction' },
		{ etat: 'instruit', proposition: 'accord', montant: '80', appreciation: 'Justifié.' }]) {
		const r = await instr.post(`/dossiers/${id}/etat`, form);
		assert.equal(r.status, 303, `commission dossier of ${T} -> ${form.etat}: ${r.status}\n${r.text.slice(0, 1500)}`);
	}
	const val = await srv.session(`valideur@${T}`);
	const r = await val.post(`/commissions/${commission}/ordre-du-jour`, { [`dossier_${id}`]: '1' });
	assert.equal(r.status, 303, `agenda of ${T}: ${r.status}\n${r.text.slice(0, 1500)}`);
	const m = /<tr id="item-(\d+)"/.exec((await val.get(`/commissions/${commission}`)).text);
	assert.ok(m, `agenda of ${T}: no item on /commissions/${commission}`);
	return Number(m[1]);
}

/* kind -> {requires: routes that must exist, create(srv, T, fx) -> id} */
export const CREATORS = {
	person: { requires: ['POST /usagers'], create: (srv, T) => createPerson(srv, T, 0) },
	person2: { requires: ['POST /usagers'], create: (srv, T) => createPerson(srv, T, 1) },
	person3: { requires: ['POST /usagers'], create: (srv, T) => createPerson(srv, T, 2) },
	household: { requires: ['POST /foyers', 'GET /foyers/nouveau'], create: createHousehold },
	member: { requires: ['POST /foyers/{id}/membres', 'GET /foyers/{id}'], create: createMember },
	aid_type: { requires: ['POST /admin/aides', 'GET /admin/aides'], create: createAidType },
	dossier: { requires: ['POST /dossiers'], create: createDossier },
	consultation: { requires: ['POST /dossiers/{id}/consultations'], create: createConsultation },
	verification: { requires: ['POST /dossiers/{id}/verifications'], create: createVerification },
	rule_version: { requires: ['POST /admin/aides/{id}/versions'], create: createRuleVersion },
	document: { requires: ['POST /dossiers/{id}/pieces'], create: createDocument },
	user: { requires: [], create: async (srv, T) => srv.users[`auditeur@${T}`].id },
	apikey: { requires: ['POST /admin/cles-api'], create: createApiKey },
	tenant: { requires: [], create: async (srv, T) => tenantId(srv, T) },
	granted_dossier: { requires: ['POST /dossiers', 'POST /dossiers/{id}/etat'], create: createGrantedDossier },
	payee: { requires: ['POST /dossiers/{id}/titulaires'], create: createPayee },
	payment: { requires: ['POST /dossiers/{id}/paiements'], create: createPayment },
	letter: { requires: ['POST /dossiers/{id}/etat', 'POST /dossiers/{id}/courriers'], create: createLetter },
	commission: { requires: ['POST /commissions'], create: createCommission },
	commission_item: { requires: ['POST /commissions/{id}/ordre-du-jour', 'POST /dossiers/{id}/etat'], create: createCommissionItem },
};

/* Lazily created fixtures: fx.get('B', 'person') -> id (memoized). */
export class Fixtures {
	constructor(srv) {
		this.srv = srv;
		this.made = new Map();
	}

	/* Why kind cannot be made on this server, or null. */
	unavailable(kind) {
		const c = CREATORS[kind];
		if (!c) return `no creator for objects of kind "${kind}" (tests/http/lib/fixtures.mjs)`;
		const absent = c.requires.filter((r) => !this.srv.hasRoute(r));
		return absent.length ? `kind "${kind}" needs route(s) ${absent.join(', ')}` : null;
	}

	get(T, kind) {
		const key = `${T}:${kind}`;
		if (!this.made.has(key)) {
			const why = this.unavailable(kind);
			this.made.set(key, why ? Promise.reject(new Error(why)) : CREATORS[kind].create(this.srv, T, this));
			this.made.get(key).catch(() => {}); /* reported by whoever awaits it */
		}
		return this.made.get(key);
	}
}
