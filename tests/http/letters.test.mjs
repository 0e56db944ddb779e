// Letters (courriers) against a real server: the accusé de réception
// produced at the deposit and the notification at "notifié" (workflow
// hook), a demande de pièces and each notification produced from the
// dossier page, their French text read back with pdftotext (poppler-utils),
// the délais et voies de recours on a refusal, byte-identical reprints,
// permissions, tenant isolation, the CCAS's own template and letterhead, the
// JSON API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { parseForms } from './lib/forms.mjs';
import { assertCleanExit, startServer } from './lib/server.mjs';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-letters-'));
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;

let srv;
const made = {};

/* ---- helpers ---- */

function idFrom(res, re, what) {
	assert.equal(res.status, 303, `${what}: ${res.status}\n${res.text.slice(0, 2000)}`);
	const m = re.exec(res.headers.get('location') || '');
	assert.ok(m, `${what}: Location ${res.headers.get('location')}`);
	return Number(m[1]);
}

/* A person with an address, a household, an aid type and a dossier of
 * tenant T; returns the dossier id. */
async function openDossier(T, nom, aidId) {
	const s = await srv.session(`instructeur@${T}`);
	let res = await s.post('/usagers', {
		nom_naissance: nom, prenom1: 'Hélène', sexe: 'F', date_naissance: '14/07/1986',
		lieu_type: 'commune', commune_naissance: '75056', pays_naissance: '', nationalite: 'francaise',
		telephone: '', email: '', adresse: '7 allée des Érables\nRésidence Les Pins', code_postal: '93100',
		commune: 'Montreuil',
	});
	const person = idFrom(res, /^\/usagers\/(\d+)/, 'person');
	const page = await s.get(`/foyers/nouveau?demandeur=${person}`);
	const form = parseForms(page.text).find((f) => f.method === 'POST' && f.action === '/foyers');
	res = await s.post('/foyers', { ...form.fields, label: `Foyer ${nom}`, date_entree: '2024-01-15' });
	const household = idFrom(res, /^\/foyers\/(\d+)/, 'household');
	res = await s.post('/dossiers', {
		household_id: String(household), applicant_id: String(person), aid_type_id: String(aidId),
		motif: "Facture d'énergie impayée", montant_demande: '300',
	});
	return idFrom(res, /^\/dossiers\/(\d+)/, 'dossier');
}

async function makeAid(T, code, label) {
	const s = await srv.session(`administrateur@${T}`);
	const res = await s.post('/admin/aides', { label, code, description: '' });
	assert.equal(res.status, 303, res.text.slice(0, 1500));
	const page = await s.get('/admin/aides');
	const m = new RegExp(`<tr id="aid-(\\d+)">\\s*<th scope="row">${label}</th>`).exec(page.text);
	assert.ok(m, `aid ${label} not listed`);
	return Number(m[1]);
}

async function move(who, id, etat, fields = {}) {
	const s = await srv.session(who);
	const res = await s.post(`/dossiers/${id}/etat`, { etat, ...fields });
	assert.equal(res.status, 303, `${who} -> ${etat}: ${res.status}\n${res.text.slice(0, 3000)}`);
}

/* Deposit .. décidé (decision given), then notifié. */
async function decideAndNotify(id, decision, fields) {
	await move('instructeur@A', id, 'depose');
	await move('instructeur@A', id, 'en_instruction');
	await move('instructeur@A', id, 'instruit', {
		proposition: decision === 'accorde' ? 'accord' : decision === 'refuse' ? 'refus' : 'ajournement',
		montant: decision === 'accorde' ? '150' : '', appreciation: 'Situation examinée.',
		motif: fields.motif || '',
	});
	await move('instructeur@A', id, 'en_commission');
	await move('valideur@A', id, 'decide', { decision, ...fields });
	await move('valideur@A', id, 'notifie');
}

/* The letters of a dossier, as the API lists them (instructeur's key). */
async function letters(id, who = 'instructeur@A') {
	const api = await srv.apiSession(who);
	const res = await api.get(`/api/v1/dossiers/${id}/letters`);
	assert.equal(res.status, 200, res.text);
	return res.json.data;
}

/* Raw bytes of a GET with the session's cookies (the Session decodes text). */
async function rawGet(who, url) {
	const s = await srv.session(who);
	const res = await fetch(srv.base + url, { headers: { Cookie: s.cookieHeader() }, redirect: 'manual' });
	return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

function pdfText(buf) {
	const file = path.join(DIR, `l-${createHash('sha256').update(buf).digest('hex').slice(0, 12)}.pdf`);
	fs.writeFileSync(file, buf);
	const r = spawnSync('pdftotext', ['-q', file, '-'], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	return r.stdout.replace(/\s+/g, ' ');
}

async function download(id, letterId, who = 'instructeur@A') {
	const res = await rawGet(who, `/dossiers/${id}/courriers/${letterId}`);
	assert.equal(res.status, 200, res.body.toString('utf8').slice(0, 500));
	assert.equal(res.headers.get('content-type'), 'application/pdf');
	assert.match(res.headers.get('content-disposition'), /^attachment; filename="courrier-\d{4}-\d{5}-\d+-[a-z_]+\.pdf"$/);
	assert.equal(res.body.subarray(0, 5).toString(), '%PDF-');
	return res.body;
}

function expectText(text, needles) {
	if (!HAS_PDFTOTEXT) return;
	for (const n of needles) assert.ok(text.includes(n), `missing « ${n} » in:\n${text}`);
}

before(async () => {
	srv = await startServer();
	made.aidA = await makeAid('A', 'energie-courriers', 'Aide énergie courriers');
	made.aidB = await makeAid('B', 'energie-courriers-b', 'Aide énergie Brocéliande');
});

after(async () => {
	if (srv) assertCleanExit(await srv.stop());
	fs.rmSync(DIR, { recursive: true, force: true });
});

/* ---- the tests ---- */

test('the deposit produces the accusé de réception, reprinted identically', async () => {
	const id = await openDossier('A', 'Aubrac-Courrier', made.aidA);
	made.refus = id;
	const s = await srv.session('instructeur@A');
	let page = await s.get(`/dossiers/${id}`);
	assert.match(page.text, /id="letters-none"/);
	assert.doesNotMatch(page.text, /id="letter-kind-form"/, 'no letter for a brouillon');
	await move('instructeur@A', id, 'depose');

	const list = await letters(id);
	assert.equal(list.length, 1);
	assert.equal(list[0].kind, 'accuse_reception');
	assert.equal(list[0].numero, 1);
	page = await s.get(`/dossiers/${id}`);
	assert.match(page.text, new RegExp(`<tr id="letter-${list[0].id}" data-kind="accuse_reception">`));
	assert.match(page.text, /Courrier n° 1 produit : Accusé de réception\./);

	const a = await download(id, list[0].id);
	const b = await download(id, list[0].id, 'auditeur@A');
	assert.ok(a.equals(b), 'a reprint is byte-identical');
	assert.equal(createHash('sha256').update(a).digest('hex'), list[0].pdf_sha256);
	const api = await srv.apiSession('instructeur@A');
	const one = await api.get(`/api/v1/dossiers/${id}/letters/${list[0].id}`);
	assert.equal(one.status, 200, one.text);
	assert.ok(a.equals(Buffer.from(one.json.pdf_base64, 'base64')), 'the API gives the same bytes');

	const text = pdfText(a);
	expectText(text, [
		'CCAS de Valbonne-sur-Test', 'Madame Hélène Aubrac-Courrier', '7 allée des Érables', '93100 Montreuil',
		'Accusé de réception de votre demande d\'aide', '« Aide énergie courriers »',
		'Délais et voies de recours', 'tribunal administratif', 'Page 1 / 1',
	]);
});

test('a demande de pièces from the dossier page, its fields checked', async () => {
	const id = made.refus;
	const s = await srv.session('instructeur@A');
	await move('instructeur@A', id, 'en_instruction');
	let page = await s.get(`/dossiers/${id}`);
	const kinds = [...page.text.matchAll(/<option value="([a-z_]+)">/g)].map((m) => m[1]);
	assert.ok(kinds.includes('demande_pieces') && kinds.includes('accuse_reception'), kinds.join());
	assert.ok(!kinds.includes('notification_refus'));

	page = await s.get(`/dossiers/${id}/courriers/nouveau?type=demande_pieces`);
	assert.equal(page.status, 200);
	assert.match(page.text, /<textarea id="pieces" name="pieces"/);
	let res = await s.post(`/dossiers/${id}/courriers`, { kind: 'demande_pieces', pieces: '  ', date_limite: '', motif: '' });
	assert.equal(res.status, 422);
	assert.match(res.text, /class="error-summary" role="alert"/);
	assert.match(res.text, /aria-invalid="true"/);
	assert.match(res.text, /<small id="err-pieces" class="field-error">Indiquez au moins une pièce à demander\.<\/small>/);
	res = await s.post(`/dossiers/${id}/courriers`, {
		kind: 'demande_pieces', pieces: "Dernier avis d'imposition\nQuittance de loyer de mars", date_limite: '2099-04-30',
		motif: '',
	});
	assert.equal(res.status, 303, res.text.slice(0, 2000));
	assert.match(res.headers.get('location'), new RegExp(`^/dossiers/${id}#courriers$`));
	const list = await letters(id);
	assert.equal(list.length, 2);
	assert.equal(list[1].kind, 'demande_pieces');
	const text = pdfText(await download(id, list[1].id));
	expectText(text, ['Demande de pièces justificatives', "• Dernier avis d'imposition", '• Quittance de loyer de mars',
		'avant le 30 avril 2099']);
	/* a kind the state does not allow */
	res = await s.post(`/dossiers/${id}/courriers`, { kind: 'notification_accord', montant: '10' });
	assert.equal(res.status, 409);
	page = await s.get(`/dossiers/${id}/courriers/nouveau?type=notification_refus`);
	assert.equal(page.status, 409);
});

test('a refusal is notified with its motive and the délais et voies de recours', async () => {
	const id = made.refus;
	await move('instructeur@A', id, 'instruit', { proposition: 'refus', appreciation: 'Ressources trop élevées.', montant: '' });
	await move('instructeur@A', id, 'en_commission');
	await move('valideur@A', id, 'decide', { decision: 'refuse', motif: 'Les ressources du foyer dépassent le plafond du règlement.' });
	await move('valideur@A', id, 'notifie');
	const list = await letters(id);
	const refus = list.find((l) => l.kind === 'notification_refus');
	assert.ok(refus, JSON.stringify(list));
	const text = pdfText(await download(id, refus.id));
	expectText(text, [
		'Notification de décision : refus', 'Les ressources du foyer dépassent le plafond du règlement.',
		'Délais et voies de recours', 'délai de deux mois', 'recours gracieux', 'Président du CCAS de Valbonne-sur-Test',
		'recours contentieux devant le tribunal administratif', 'Télérecours citoyens',
	]);
});

test('an agreement and an ajournement are notified', async () => {
	const id = await openDossier('A', 'Aubrac-Accord', made.aidA);
	await decideAndNotify(id, 'accorde', { montant: '150' });
	let list = await letters(id);
	assert.deepEqual(list.map((l) => l.kind), ['accuse_reception', 'notification_accord']);
	let text = pdfText(await download(id, list[1].id));
	expectText(text, ['Notification de décision : accord', 'Montant accordé : 150,00', 'Versé à : Hélène Aubrac-Accord']);
	/* produced again by hand with another payee */
	const s = await srv.session('valideur@A');
	const res = await s.post(`/dossiers/${id}/courriers`, {
		kind: 'notification_accord', montant: '150', beneficiaire: 'Régie du chauffage urbain', modalites: '',
	});
	assert.equal(res.status, 303, res.text.slice(0, 2000));
	list = await letters(id);
	text = pdfText(await download(id, list[2].id));
	expectText(text, ['Versé à : Régie du chauffage urbain', 'virement bancaire']);

	const id2 = await openDossier('A', 'Aubrac-Ajourne', made.aidA);
	await decideAndNotify(id2, 'ajourne', { motif: 'Le devis du fournisseur manque.' });
	list = await letters(id2);
	assert.equal(list[1].kind, 'notification_ajournement');
	text = pdfText(await download(id2, list[1].id));
	expectText(text, ['Notification de décision : ajournement', 'Le devis du fournisseur manque.', 'tribunal administratif']);
});

test('permissions and tenant isolation', async () => {
	const id = made.refus;
	const [first] = await letters(id);
	const accueil = await srv.session('accueil@A');
	assert.equal((await accueil.get(`/dossiers/${id}/courriers/nouveau?type=accuse_reception`)).status, 403);
	assert.equal((await accueil.post(`/dossiers/${id}/courriers`, { kind: 'accuse_reception' })).status, 403);
	assert.equal((await rawGet('accueil@A', `/dossiers/${id}/courriers/${first.id}`)).status, 200);
	assert.equal((await rawGet('administrateur@A', `/dossiers/${id}/courriers/${first.id}`)).status, 403);
	const auditeur = await srv.session('auditeur@A');
	assert.equal((await auditeur.post(`/dossiers/${id}/courriers`, { kind: 'accuse_reception' })).status, 403);

	/* tenant B sees nothing of A's letters */
	assert.equal((await rawGet('instructeur@B', `/dossiers/${id}/courriers/${first.id}`)).status, 404);
	const b = await srv.session('instructeur@B');
	assert.equal((await b.get(`/dossiers/${id}/courriers/nouveau?type=accuse_reception`)).status, 404);
	assert.equal((await b.post(`/dossiers/${id}/courriers`, { kind: 'accuse_reception' })).status, 404);
	const apiB = await srv.apiSession('instructeur@B');
	assert.equal((await apiB.get(`/api/v1/dossiers/${id}/letters`)).status, 404);
	assert.equal((await apiB.get(`/api/v1/dossiers/${id}/letters/${first.id}`)).status, 404);
	assert.equal((await apiB.request('POST', `/api/v1/dossiers/${id}/letters`, { json: { kind: 'accuse_reception' } })).status, 404);
	/* B's own dossier id with A's letter id */
	const idB = await openDossier('B', 'Brocéliande-Courrier', made.aidB);
	await move('instructeur@B', idB, 'depose');
	assert.equal((await rawGet('instructeur@B', `/dossiers/${idB}/courriers/${first.id}`)).status, 404);
	const [letterB] = await letters(idB, 'instructeur@B');
	const textB = pdfText(await download(idB, letterB.id, 'instructeur@B'));
	expectText(textB, ['CCAS de Montrouge-Essai']);
	assert.ok(!HAS_PDFTOTEXT || !textB.includes('Valbonne'));

	/* the templates page is the administrateur's */
	assert.equal((await (await srv.session('instructeur@A')).get('/admin/courriers')).status, 403);
	assert.equal((await (await srv.session('administrateur@A')).get('/admin/courriers')).status, 200);
});

test("the CCAS's own template and letterhead are used, the other CCAS keeps the defaults", async () => {
	const admin = await srv.session('administrateur@A');
	let page = await admin.get('/admin/courriers/modele?type=notification_refus');
	assert.equal(page.status, 200);
	assert.match(page.text, /<textarea id="body" name="body"/);
	/* a refusal without its motive is refused */
	let res = await admin.post('/admin/courriers/modele', { kind: 'notification_refus', body: '# Refus\n\nNon.' });
	assert.equal(res.status, 422);
	assert.match(res.text, /id="err-body" class="field-error">Le courrier doit citer le motif/);
	res = await admin.post('/admin/courriers/modele', { kind: 'notification_refus', body: '# Refus\n\n{{#motif' });
	assert.equal(res.status, 422);
	res = await admin.post('/admin/courriers/modele', {
		kind: 'notification_refus',
		body: '# Réponse du CCAS à votre demande\r\n\r\n{{formule}}, la commission a écarté votre demande n° {{dossier.numero}} : {{motif}}\r\n\r\n> {{ccas.signataire}}',
	});
	assert.equal(res.status, 303, res.text.slice(0, 2000));
	res = await admin.post('/admin/courriers', {
		adresse: '2 place de la Mairie\n06560 Valbonne', contact: '04 93 00 00 00', ville: 'Valbonne',
		signataire: 'Pour le Président, la Directrice du CCAS', tribunal: 'tribunal administratif de Nice',
	});
	assert.equal(res.status, 303, res.text.slice(0, 2000));
	res = await admin.post('/admin/courriers', { tribunal: 'TA de Nice' });
	assert.equal(res.status, 422);
	page = await admin.get('/admin/courriers');
	assert.match(page.text, /<tr id="template-notification_refus" data-custom="1">/);

	/* a preview on made-up data */
	const preview = await fetch(`${srv.base}/admin/courriers/apercu`, {
		method: 'POST',
		headers: { Cookie: admin.cookieHeader(), 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ csrf: admin.csrf, kind: 'voies_recours', body: '' }).toString(),
	});
	assert.equal(preview.status, 200);
	assert.equal(preview.headers.get('content-type'), 'application/pdf');
	expectText(pdfText(Buffer.from(await preview.arrayBuffer())), ['Camille Exemple', 'tribunal administratif de Nice']);

	const id = made.refus;
	const s = await srv.session('valideur@A');
	res = await s.post(`/dossiers/${id}/courriers`, { kind: 'notification_refus', motif: 'Plafond dépassé.' });
	assert.equal(res.status, 303, res.text.slice(0, 2000));
	const list = await letters(id);
	const last = list[list.length - 1];
	assert.equal(last.kind, 'notification_refus');
	const text = pdfText(await download(id, last.id));
	expectText(text, [
		'Réponse du CCAS à votre demande', 'la commission a écarté votre demande', 'Plafond dépassé.',
		'Valbonne, le', '2 place de la Mairie', 'Pour le Président, la Directrice du CCAS',
		'recours contentieux devant le tribunal administratif de Nice',
	]);
	/* the letter produced before the change is unchanged */
	const earlier = list.find((l) => l.kind === 'notification_refus');
	assert.notEqual(earlier.id, last.id);
	const before = pdfText(await download(id, earlier.id));
	expectText(before, ['Notification de décision : refus']);

	/* B keeps the default */
	const adminB = await srv.session('administrateur@B');
	page = await adminB.get('/admin/courriers');
	assert.match(page.text, /<tr id="template-notification_refus" data-custom="0">/);

	/* back to the default */
	res = await admin.post('/admin/courriers/modele', { kind: 'notification_refus', body: '' });
	assert.equal(res.status, 303);
	page = await admin.get('/admin/courriers');
	assert.match(page.text, /<tr id="template-notification_refus" data-custom="0">/);
});

test('the JSON API produces a letter and reports field errors', async () => {
	const id = made.refus;
	const api = await srv.apiSession('valideur@A');
	let res = await api.request('POST', `/api/v1/dossiers/${id}/letters`, { json: { kind: 'notification_ajournement' } });
	assert.equal(res.status, 422, res.text);
	assert.equal(res.json.error.field, 'kind');
	res = await api.request('POST', `/api/v1/dossiers/${id}/letters`, { json: { kind: 'notification_refus', motif: '' } });
	assert.equal(res.status, 201, res.text);
	assert.match(res.headers.get('location'), new RegExp(`^/api/v1/dossiers/${id}/letters/\\d+$`));
	const one = await api.get(res.headers.get('location'));
	assert.equal(one.status, 200, one.text);
	assert.equal(one.json.kind, 'notification_refus');
	expectText(pdfText(Buffer.from(one.json.pdf_base64, 'base64')), ['Les ressources du foyer dépassent le plafond du règlement.']);
});
