// One object of each kind in a tenant, created through the pages as a user
// of that tenant would: the isolation sweep needs the ids of tenant B's
// objects (and tenant A's, to check that the route works at all).
//
// A route's {id} segments get their kind from the path segment before them
// (KIND_OF_SEGMENT); form fields and query parameters that carry an id get
// theirs from KIND_OF_FIELD. A new kind of object means a new line in these
// tables and a creator below; the sweep fails until then.
import assert from 'node:assert/strict';

import { parseForms } from './forms.mjs';
import { cli, TENANTS } from './server.mjs';

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
	versions: 'rule_version',
};

export const KIND_OF_FIELD = {
	demandeur: 'person', demandeur_id: 'person', person_id: 'person', usager: 'person',
	usager_id: 'person', applicant_id: 'person', personne: 'person', personne_id: 'person',
	foyer: 'household', foyer_id: 'household', household_id: 'household',
	dossier: 'dossier', dossier_id: 'dossier',
	aide: 'aid_type', aide_id: 'aid_type', aid_type_id: 'aid_type', type_aide: 'aid_type',
	member_id: 'member', membre_id: 'member',
	user_id: 'user', utilisateur_id: 'user',
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
	rule_version: { requires: ['POST /admin/aides/{id}/versions'], create: createRuleVersion },
	user: { requires: [], create: async (srv, T) => srv.users[`auditeur@${T}`].id },
	apikey: { requires: ['POST /admin/cles-api'], create: createApiKey },
	tenant: { requires: [], create: async (srv, T) => tenantId(srv, T) },
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
