// Pièces justificatives against a real server: upload of each accepted type
// through the dossier's multipart form, files that lie about their type
// refused with nothing stored, oversized uploads refused with 413 and nothing
// stored, the exact bytes downloaded back (and the download audited), the
// permissions of each role, tenant isolation, deletion, and the request for
// the missing pieces, which moves the dossier to "en attente de pièces" and
// produces the "demande de pièces" letter.
//
// The sample files are the unit tests' (tests/unit/data/filetype): real
// minimal PDF, JPEG and PNG files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Fixtures } from './lib/fixtures.mjs';
import { parseForms } from './lib/forms.mjs';
import { psql } from './lib/pg.mjs';
import { ROOT, assertCleanExit, startServer } from './lib/server.mjs';

const SAMPLES = path.join(ROOT, 'tests/unit/data/filetype');
const FILES = {
	pdf: fs.readFileSync(path.join(SAMPLES, 'minimal.pdf')),
	jpg: fs.readFileSync(path.join(SAMPLES, 'minimal.jpg')),
	png: fs.readFileSync(path.join(SAMPLES, 'minimal.png')),
};
const PIECES = ['Justificatif de domicile', "Avis d'imposition", "Relevé d'identité bancaire"];
const MIB = 1024 * 1024;

let srv;
let fx;
const ids = {};

/* One number from the database (SQLite through the sqlite3 shell, or psql). */
function sqlInt(s, sql) {
	if (s.dbPath) {
		const r = spawnSync('sqlite3', ['-readonly', s.dbPath, sql], { encoding: 'utf8' });
		assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
		return Number(r.stdout.trim());
	}
	return Number(psql(s.dbUrl, sql).trim());
}

const countDocs = (s = srv) => sqlInt(s, 'SELECT count(*) FROM documents');

/* Sets the checklist of the aid type of tenant T (the catalogue's form). */
async function setPieces(T, aid, pieces) {
	const admin = await srv.session(`administrateur@${T}`);
	const page = await admin.get(`/admin/aides/${aid}`);
	const form = parseForms(page.text).find((f) => f.action === `/admin/aides/${aid}` && f.method === 'POST');
	assert.ok(form, `no update form on /admin/aides/${aid}`);
	const res = await admin.post(`/admin/aides/${aid}`, { ...form.fields, pieces: pieces.join('\n') });
	assert.equal(res.status, 303, `aid ${aid} pieces: ${res.status}\n${res.text.slice(0, 1500)}`);
}

/* POST of the upload form as a browser sends it (multipart/form-data). */
async function upload(s, dossier, { piece = PIECES[0], autre = '', name, type, bytes, csrf }) {
	const form = new FormData();
	form.append('csrf', csrf ?? s.csrf);
	form.append('piece', piece);
	form.append('autre', autre);
	if (bytes !== undefined) form.append('fichier', new Blob([bytes], { type: type || 'application/octet-stream' }), name);
	return s.request('POST', `/dossiers/${dossier}/pieces`, { raw: form });
}

/* The documents listed on the pièces page: [{id, href, text}]. */
async function listed(s, dossier) {
	const page = await s.get(`/dossiers/${dossier}/pieces`);
	assert.equal(page.status, 200, `GET /dossiers/${dossier}/pieces: ${page.status}`);
	return [...page.text.matchAll(/<tr id="document-(\d+)" data-type="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
		id: Number(m[1]), type: m[2], html: m[3],
		href: (/<a href="([^"]+)"/.exec(m[3]) || [])[1],
	}));
}

function assertRedirectToDossier(res, dossier, what) {
	assert.equal(res.status, 303, `${what}: ${res.status}\n${res.text.slice(0, 2000)}`);
	assert.equal(res.headers.get('location'), `/dossiers/${dossier}#pieces`, what);
}

/* The refused form's page: the status, the message next to the file field. */
function assertRefused(res, status, message, what) {
	assert.equal(res.status, status, `${what}: ${res.status}\n${res.text.slice(0, 2000)}`);
	const html = message.replace(/'/g, '&#39;');
	assert.ok(res.text.includes(html), `${what}: no "${message}" in the page\n${res.text.slice(0, 3000)}`);
	assert.match(res.text, /<input type="file" id="piece-fichier"[^>]*aria-describedby="hint-piece-fichier err-piece-fichier"[^>]*aria-invalid="true"/, what);
	assert.match(res.text, /<small id="err-piece-fichier" class="field-error">/, what);
	assert.match(res.text, /<div class="error-summary" role="alert"[\s\S]*href="#piece-fichier"/, what);
}

async function move(s, dossier, etat, fields = {}) {
	const res = await s.post(`/dossiers/${dossier}/etat`, { etat, ...fields });
	assert.equal(res.status, 303, `dossier ${dossier} -> ${etat}: ${res.status}\n${res.text.slice(0, 2000)}`);
}

async function stateOf(s, dossier) {
	const page = await s.get(`/dossiers/${dossier}`);
	return /id="dossier-etat" data-state="([a-z_]+)"/.exec(page.text)?.[1] ??
		/id="wf-state" data-state="([a-z_]+)"/.exec(page.text)?.[1];
}

before(async () => {
	srv = await startServer();
	fx = new Fixtures(srv);
	for (const T of ['A', 'B']) {
		ids[`dossier${T}`] = await fx.get(T, 'dossier');
		await setPieces(T, await fx.get(T, 'aid_type'), PIECES);
	}
});
after(() => srv?.cleanup());

test('a PDF, a JPEG and a PNG are stored with the type their content shows and come back byte for byte', async () => {
	const s = await srv.session('instructeur@A');
	const d = ids.dossierA;
	const before = countDocs();
	const sent = [
		{ piece: PIECES[0], name: 'facture-énergie.pdf', type: 'application/pdf', bytes: FILES.pdf, mime: 'application/pdf', saved: 'facture-énergie.pdf' },
		{ piece: PIECES[1], name: 'avis.jpg', type: 'image/jpeg', bytes: FILES.jpg, mime: 'image/jpeg', saved: 'avis.jpg' },
		/* a PNG named .pdf and announced as a PDF: a PNG, renamed */
		{ piece: PIECES[2], name: 'rib.pdf', type: 'application/pdf', bytes: FILES.png, mime: 'image/png', saved: 'rib.png' },
	];
	for (const f of sent) assertRedirectToDossier(await upload(s, d, f), d, `upload of ${f.name}`);
	assert.equal(countDocs(), before + 3);

	const rows = await listed(s, d);
	assert.equal(rows.length, 3);
	for (const [i, f] of sent.entries()) {
		const row = rows[i];
		assert.equal(row.type, f.mime, `${f.name}: stored type`);
		assert.ok(row.html.includes(f.piece.replace("'", '&#39;')), `${f.name}: piece shown\n${row.html}`);
		assert.ok(row.html.includes(`>${f.saved}</a>`), `${f.name}: file name shown\n${row.html}`);
		const res = await fetch(srv.base + row.href, { headers: { Cookie: s.cookieHeader() } });
		const bytes = Buffer.from(await res.arrayBuffer());
		assert.equal(res.status, 200, `download of ${f.name}`);
		assert.ok(bytes.equals(f.bytes), `${f.name}: the bytes downloaded differ from those sent`);
		assert.equal(res.headers.get('content-type'), f.mime);
		assert.match(res.headers.get('content-disposition'), /^attachment; filename="[A-Za-z0-9._-]+"$/);
		assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
	}
	ids.docA = rows[0].id;
	/* the checklist: every piece received */
	const page = await s.get(`/dossiers/${d}`);
	for (let n = 1; n <= 3; n++) assert.match(page.text, new RegExp(`<tr id="checklist-${n}" data-recue="1">`));
	assert.match(page.text, /Pièce reçue : Justificatif de domicile \(PDF, \d+ octets\)\./, 'timeline entry');
	/* each download left an audit entry with the document's digest */
	assert.equal(sqlInt(srv, "SELECT count(*) FROM audit_log WHERE action = 'telechargement' AND object_type = 'document'"), 3);
	assert.equal(sqlInt(srv, `SELECT count(*) FROM documents WHERE id = ${ids.docA} AND taille = ${FILES.pdf.length}`), 1);
});

test('files that lie about their type, damaged or empty files are refused, and nothing is stored', async () => {
	const s = await srv.session('instructeur@A');
	const d = ids.dossierA;
	const before = countDocs();
	const cases = [
		{ name: 'photo.jpg', type: 'image/jpeg', bytes: Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n'),
			msg: "Ce fichier n'est pas un PDF, JPEG ou PNG" },
		{ name: 'facture.pdf', type: 'application/pdf', bytes: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'),
			msg: "Ce fichier n'est pas un PDF, JPEG ou PNG" },
		{ name: 'scan.png', type: 'image/png', bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
			msg: "Ce fichier n'est pas un PDF, JPEG ou PNG" },
		{ name: 'coupe.png', type: 'image/png', bytes: FILES.png.subarray(0, FILES.png.length - 5),
			msg: 'Ce fichier PNG est incomplet ou endommagé' },
		{ name: 'coupe.pdf', type: 'application/pdf', bytes: FILES.pdf.subarray(0, FILES.pdf.length - 8),
			msg: 'Ce fichier PDF est incomplet ou endommagé' },
		{ name: 'vide.pdf', type: 'application/pdf', bytes: Buffer.alloc(0), msg: 'Le fichier est vide.' },
		{ name: '', type: 'application/octet-stream', bytes: Buffer.alloc(0), msg: 'Choisissez le fichier de la pièce.' },
	];
	for (const c of cases) assertRefused(await upload(s, d, c), 422, c.msg, `upload of "${c.name}"`);
	/* no file part at all */
	assertRefused(await upload(s, d, {}), 422, 'Choisissez le fichier de la pièce.', 'no file');
	/* a piece that is not in the list, and "autre" without its label */
	let res = await upload(s, d, { piece: 'Bulletin de salaire', name: 'a.pdf', bytes: FILES.pdf });
	assert.equal(res.status, 422);
	assert.match(res.text, /<small id="err-piece-choix" class="field-error">Choisissez la pièce dans la liste\.<\/small>/);
	res = await upload(s, d, { piece: 'autre', autre: '', name: 'a.pdf', bytes: FILES.pdf });
	assert.equal(res.status, 422);
	assert.match(res.text, /<small id="err-piece-autre" class="field-error">Précisez de quelle pièce il s&#39;agit/);
	assert.equal(countDocs(), before, 'a refused upload stored something');
	/* a wrong CSRF token: refused before anything */
	res = await upload(s, d, { name: 'a.pdf', bytes: FILES.pdf, csrf: 'mauvais-jeton' });
	assert.equal(res.status, 403);
	assert.equal(countDocs(), before);
	/* "autre" with its label is a document out of the list */
	res = await upload(s, d, { piece: 'autre', autre: 'Courrier de la CAF', name: 'caf.pdf', bytes: FILES.pdf });
	assertRedirectToDossier(res, d, 'autre');
	const rows = await listed(s, d);
	assert.ok(rows.at(-1).html.includes('Courrier de la CAF') && rows.at(-1).html.includes('(hors liste)'));
	ids.docAutre = rows.at(-1).id;
});

/* A PDF of exactly n bytes: header, a comment as padding, %%EOF. */
function pdfOfSize(n) {
	const head = Buffer.from('%PDF-1.4\n%');
	const tail = Buffer.from('\n%%EOF\n');
	return Buffer.concat([head, Buffer.alloc(n - head.length - tail.length, 'x'), tail]);
}

test('an upload over the limit is refused with 413, the form and its message, and nothing is stored', async () => {
	const s = await srv.session('instructeur@A');
	const d = ids.dossierA;
	const before = countDocs();
	/* one byte over 10 MiB, inside the body's room: the file's own limit */
	assertRefused(await upload(s, d, { name: 'gros.pdf', type: 'application/pdf', bytes: pdfOfSize(10 * MIB + 1) }),
		413, 'Fichier trop volumineux (10 Mo au plus).', '10 MiB + 1');
	/* far over: the body's limit, read and dropped */
	assertRefused(await upload(s, d, { name: 'enorme.pdf', type: 'application/pdf', bytes: pdfOfSize(30 * MIB) }),
		413, 'Fichier trop volumineux (10 Mo au plus).', '30 MiB');
	assert.equal(countDocs(), before, 'an oversized upload stored something');
	/* exactly 10 MiB is accepted */
	const exact = pdfOfSize(10 * MIB);
	assertRedirectToDossier(await upload(s, d, { piece: 'autre', autre: 'Relevé de compte', name: 'releve.pdf', bytes: exact }), d, 'exactly 10 MiB');
	assert.equal(countDocs(), before + 1);
	const row = (await listed(s, d)).at(-1);
	const res = await fetch(srv.base + row.href, { headers: { Cookie: s.cookieHeader() } });
	assert.ok(Buffer.from(await res.arrayBuffer()).equals(exact), 'the 10 MiB file comes back intact');
	/* the other forms keep their 1 MiB body */
	const big = await s.post(`/dossiers/${d}/notes`, { note: 'x'.repeat(MIB + 10) });
	assert.equal(big.status, 413);
	/* the server is still well */
	assert.equal((await fetch(srv.base + '/healthz')).status, 200);
});

test('the size limit is the operator\'s: --upload-max / CASSIS_UPLOAD_MAX in Mo', async () => {
	const small = await startServer({ env: { CASSIS_UPLOAD_MAX: '1' } });
	try {
		const sfx = new Fixtures(small);
		const d = await sfx.get('A', 'dossier');
		const s = await small.session('instructeur@A');
		assertRefused(await upload(s, d, { piece: 'autre', autre: 'Gros', name: 'g.pdf', bytes: pdfOfSize(MIB + 1) }),
			413, 'Fichier trop volumineux (1 Mo au plus).', '1 MiB + 1');
		assert.equal(countDocs(small), 0);
		assertRedirectToDossier(await upload(s, d, { piece: 'autre', autre: 'Juste', name: 'j.pdf', bytes: pdfOfSize(MIB) }), d, '1 MiB');
		const page = await s.get(`/dossiers/${d}`);
		assert.ok(page.text.includes('PDF, JPEG ou PNG, 1 Mo au plus.'), 'the hint tells the limit');
		assertCleanExit(await small.stop());
	} finally {
		small.cleanup();
	}
});

test('roles: accueil uploads but does not read the files; valideur and auditeur read; deletion is the instructeur\'s', async () => {
	const d = ids.dossierA;
	const doc = ids.docA;
	const accueil = await srv.session('accueil@A');
	assertRedirectToDossier(await upload(accueil, d, { piece: 'autre', autre: 'Attestation de la CAF', name: 'caf.png', bytes: FILES.png }), d, 'accueil uploads');
	const rows = await listed(accueil, d);
	assert.ok(rows.length > 0 && rows.every((r) => !r.href), 'accueil sees no download link');
	assert.ok(!(await accueil.get(`/dossiers/${d}/pieces`)).text.includes('facture-'), 'accueil sees no file name');
	assert.equal((await accueil.get(`/dossiers/${d}/pieces/${doc}`)).status, 403);
	assert.equal((await accueil.post(`/dossiers/${d}/pieces/${doc}/supprimer`, {})).status, 403);
	for (const who of ['valideur', 'auditeur']) {
		const s = await srv.session(`${who}@A`);
		const res = await s.get(`/dossiers/${d}/pieces/${doc}`);
		assert.equal(res.status, 200, `${who} downloads`);
		assert.equal((await upload(s, d, { name: 'x.pdf', bytes: FILES.pdf })).status, 403, `${who} uploads`);
		assert.equal((await s.post(`/dossiers/${d}/pieces/${doc}/supprimer`, {})).status, 403, `${who} deletes`);
		assert.ok(!(await s.get(`/dossiers/${d}`)).text.includes('id="piece-form"'), `${who}: no upload form`);
	}
	const admin = await srv.session('administrateur@A');
	assert.equal((await admin.get(`/dossiers/${d}/pieces/${doc}`)).status, 403);
	assert.equal((await upload(admin, d, { name: 'x.pdf', bytes: FILES.pdf })).status, 403);
	const plat = await srv.session('plateforme@P');
	assert.equal((await plat.get(`/dossiers/${d}/pieces`)).status, 403);
});

test('tenant isolation: CCAS B reaches none of A\'s pièces, and A none of B\'s', async () => {
	const sB = await srv.session('instructeur@B');
	const sA = await srv.session('instructeur@A');
	const [dA, dB, doc] = [ids.dossierA, ids.dossierB, ids.docA];
	assertRedirectToDossier(await upload(sB, dB, { name: 'b.pdf', bytes: FILES.pdf }), dB, 'B uploads to its own dossier');
	const docB = (await listed(sB, dB))[0].id;
	const before = countDocs();
	assert.equal((await sB.get(`/dossiers/${dA}/pieces`)).status, 404);
	assert.equal((await sB.get(`/dossiers/${dA}/pieces/${doc}`)).status, 404);
	assert.equal((await sB.get(`/dossiers/${dB}/pieces/${doc}`)).status, 404, 'A\'s document under B\'s dossier');
	assert.equal((await sA.get(`/dossiers/${dA}/pieces/${docB}`)).status, 404, 'B\'s document under A\'s dossier');
	assert.equal((await upload(sB, dA, { name: 'b.pdf', bytes: FILES.pdf })).status, 404);
	assert.equal((await sB.post(`/dossiers/${dA}/pieces/${doc}/supprimer`, {})).status, 404);
	assert.equal((await sB.post(`/dossiers/${dB}/pieces/${doc}/supprimer`, {})).status, 404);
	assert.equal((await sB.post(`/dossiers/${dA}/pieces-manquantes`, { pieces: PIECES[0] })).status, 404);
	assert.equal(countDocs(), before);
	assert.equal(sqlInt(srv, 'SELECT count(*) FROM document_requests'), 0);
});

test('deleting a pièce: confirmed form, timeline entry, audit entry; the file is gone', async () => {
	const s = await srv.session('instructeur@A');
	const d = ids.dossierA;
	const page = await s.get(`/dossiers/${d}`);
	const form = parseForms(page.text).find((f) => f.action === `/dossiers/${d}/pieces/${ids.docAutre}/supprimer`);
	assert.ok(form, 'no deletion form');
	assert.match(form.attrs['data-confirm'], /^Supprimer la pièce « Courrier de la CAF » du dossier \?/);
	const before = countDocs();
	assertRedirectToDossier(await s.post(form.action, form.fields), d, 'deletion');
	assert.equal(countDocs(), before - 1);
	assert.equal((await s.get(`/dossiers/${d}/pieces/${ids.docAutre}`)).status, 404);
	assert.match((await s.get(`/dossiers/${d}`)).text, /Pièce supprimée : Courrier de la CAF \(PDF, \d+ octets\)\./);
	assert.equal(sqlInt(srv, `SELECT count(*) FROM audit_log WHERE action = 'suppression' AND object_type = 'document' AND object_id = ${ids.docAutre}`), 1);
});

test('"Demander les pièces manquantes" moves the dossier to en attente de pièces and produces the letter', async () => {
	const s = await srv.session('instructeur@A');
	/* a new dossier of the same household, with only the first piece */
	const created = await s.post('/dossiers', {
		household_id: String(await fx.get('A', 'household')), applicant_id: String(await fx.get('A', 'person')),
		aid_type_id: String(await fx.get('A', 'aid_type')), motif: 'Loyer impayé', montant_demande: '300',
	});
	assert.equal(created.status, 303);
	const d = Number(/\/dossiers\/(\d+)/.exec(created.headers.get('location'))[1]);
	assertRedirectToDossier(await upload(s, d, { piece: PIECES[0], name: 'domicile.pdf', bytes: FILES.pdf }), d, 'first piece');

	/* a brouillon cannot wait for pieces: the workflow's refusal, nothing written */
	let res = await s.post(`/dossiers/${d}/pieces-manquantes`, { pieces: PIECES[1] });
	assert.equal(res.status, 422, res.text.slice(0, 2000));
	assert.match(res.text, /<p class="field-error" id="err-demande-etat">/);
	assert.equal(sqlInt(srv, `SELECT count(*) FROM document_requests WHERE dossier_id = ${d}`), 0);

	await move(s, d, 'depose');
	await move(s, d, 'en_instruction');
	const lettersBefore = sqlInt(srv, `SELECT count(*) FROM letters WHERE dossier_id = ${d}`);
	/* the form offers the missing pieces, ticked */
	let page = await s.get(`/dossiers/${d}`);
	const form = parseForms(page.text).find((f) => f.action === `/dossiers/${d}/pieces-manquantes`);
	assert.ok(form, 'no request form on the dossier page');
	assert.match(page.text, /<input type="checkbox" id="demande-piece-1" name="pieces" value="Avis d&#39;imposition" checked>/);
	assert.match(page.text, /<input type="checkbox" id="demande-piece-2" name="pieces" value="Relevé d&#39;identité bancaire" checked>/);
	/* nothing ticked nor written: refused */
	res = await s.post(`/dossiers/${d}/pieces-manquantes`, { autres: '  ', message: '' });
	assert.equal(res.status, 422);
	assert.match(res.text, /<small id="err-demande-pieces" class="field-error">Cochez ou écrivez au moins une pièce à demander\.<\/small>/);
	assert.equal(await stateOf(s, d), 'en_instruction');

	/* the request: two ticked pieces, another one, a message (as a browser sends repeated fields) */
	const body = new URLSearchParams([['csrf', s.csrf], ['pieces', PIECES[1]], ['pieces', PIECES[2]],
		['autres', 'Attestation de la CAF'], ['message', 'Merci de déposer les pièces à l\'accueil du CCAS.']]);
	res = await s.request('POST', `/dossiers/${d}/pieces-manquantes`, { raw: body.toString(),
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
	assertRedirectToDossier(res, d, 'request');
	assert.equal(await stateOf(s, d), 'en_attente_pieces');
	assert.equal(sqlInt(srv, `SELECT count(*) FROM letters WHERE dossier_id = ${d} AND kind = 'demande_pieces'`), 1);
	assert.equal(sqlInt(srv, `SELECT count(*) FROM letters WHERE dossier_id = ${d}`), lettersBefore + 1);
	assert.equal(sqlInt(srv, `SELECT count(*) FROM document_requests r JOIN letters l ON l.id = r.letter_id WHERE r.dossier_id = ${d}`), 1);
	page = await s.get(`/dossiers/${d}`);
	assert.match(page.text, /Pièces demandées : Avis d&#39;imposition ; Relevé d&#39;identité bancaire ; Attestation de la CAF\./, 'timeline');
	assert.match(page.text, /<tr id="checklist-2" data-recue="0">[\s\S]*?Manquante<\/strong>, demandée le \d\d\/\d\d\/\d{4}/);
	assert.match(page.text, /<li id="request-\d+">Le [^<]*, par [^<]* \(courrier produit\) :/);
	/* the letter names the pieces (pdftotext of poppler-utils) */
	const letterId = sqlInt(srv, `SELECT letter_id FROM document_requests WHERE dossier_id = ${d}`);
	if (srv.hasRoute('GET /dossiers/{id}/courriers/{id}')) {
		const raw = await fetch(srv.base + `/dossiers/${d}/courriers/${letterId}`, { headers: { Cookie: s.cookieHeader() } });
		assert.equal(raw.status, 200, 'the letter is downloadable');
		const bytes = Buffer.from(await raw.arrayBuffer());
		assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
		if (spawnSync('pdftotext', ['-v']).status === 0) {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-docs-'));
			fs.writeFileSync(path.join(dir, 'lettre.pdf'), bytes);
			const text = spawnSync('pdftotext', ['-layout', path.join(dir, 'lettre.pdf'), '-'], { encoding: 'utf8' })
				.stdout.replace(/\s+/g, ' ').replace(/’/g, "'");
			fs.rmSync(dir, { recursive: true, force: true });
			for (const p of [PIECES[1], PIECES[2], 'Attestation de la CAF'])
				assert.ok(text.includes(p), `the letter does not name "${p}":\n${text}`);
		}
	}

	/* a second request while waiting: a reminder, with its own letter, the state unchanged */
	res = await s.post(`/dossiers/${d}/pieces-manquantes`, { pieces: PIECES[1] });
	assertRedirectToDossier(res, d, 'reminder');
	assert.equal(await stateOf(s, d), 'en_attente_pieces');
	assert.equal(sqlInt(srv, `SELECT count(*) FROM document_requests WHERE dossier_id = ${d}`), 2);
	assert.equal(sqlInt(srv, `SELECT count(*) FROM letters WHERE dossier_id = ${d} AND kind = 'demande_pieces'`), 2);
	assert.match((await s.get(`/dossiers/${d}`)).text, /Relance : pièces demandées à nouveau : Avis d&#39;imposition\./);

	/* the pieces arrive: the page says the instruction may resume */
	for (const p of [PIECES[1], PIECES[2]])
		assertRedirectToDossier(await upload(s, d, { piece: p, name: 'p.pdf', bytes: FILES.pdf }), d, p);
	assert.match((await s.get(`/dossiers/${d}`)).text, /id="pieces-complete"/);

	/* accueil may not ask for pieces */
	const accueil = await srv.session('accueil@A');
	assert.equal((await accueil.post(`/dossiers/${d}/pieces-manquantes`, { pieces: PIECES[1] })).status, 403);
	assert.ok(!(await accueil.get(`/dossiers/${d}`)).text.includes('id="demande-form"'));
});

test('the server stops on SIGTERM with status 0 and no sanitizer report', async () => {
	assertCleanExit(await srv.stop());
});
