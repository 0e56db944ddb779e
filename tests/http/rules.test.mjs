// Aid types as data, through the pages, the API and the command line: the
// catalogue pages (description, dated versions, activation, closing,
// retirement), every file of examples/aides imported (page and `cassis aid
// import`) and exported back unchanged, live validation and refused rules
// with their position (never stored), the tester pane with and without
// script, POST /api/v1/simulations (catalogue aid or inline rule, agreeing
// with `cassis simulate --rule`), the evaluation of a dossier for the
// instructeur (declared data, stored with its version), tenant isolation
// and the permission of each role.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { ROOT, TENANTS, assertCleanExit, cli, startServer } from './lib/server.mjs';

const AIDES = path.join(ROOT, 'examples', 'aides');
const EXAMPLES = fs.readdirSync(AIDES).filter((f) => f.endsWith('.json')).sort();
const readExample = (f) => JSON.parse(fs.readFileSync(path.join(AIDES, f), 'utf8'));

/* A small rule: a condition on the household and a capped amount. */
const RULE = {
	conditions: [{ libelle: 'Foyer d\'au moins une personne', expression: 'nb_personnes >= 1' }],
	montant: 'min(montant_demande, 100)',
};
const RULE_V2 = { conditions: RULE.conditions, montant: 'min(montant_demande, 250)' };

let srv;
before(async () => {
	srv = await startServer();
});
after(() => srv?.cleanup());

const admin = (T = 'A') => srv.session(`administrateur@${T}`);

function location(res, re, what) {
	assert.equal(res.status, 303, `${what}: ${res.status}\n${res.text.slice(0, 1500)}`);
	const m = re.exec(res.headers.get('location') || '');
	assert.ok(m, `${what}: Location ${res.headers.get('location')}`);
	return Number(m[1]);
}

/* Creates an aid type through the catalogue page; its id. */
async function createAid(T, code, label) {
	const s = await admin(T);
	const res = await s.post('/admin/aides', { code, label, description: `${label} : pour les essais` });
	assert.equal(res.status, 303, `${code}: ${res.status}`);
	const page = await s.get('/admin/aides');
	const esc = label.replace(/&/g, '&amp;').replace(/'/g, '&#39;');
	const m = new RegExp(`<tr id="aid-(\\d+)">\\s*<th scope="row">${esc}</th>`).exec(page.text);
	assert.ok(m, `${code} not in the catalogue`);
	return Number(m[1]);
}

async function createVersion(T, aid, du, au, doc) {
	const s = await admin(T);
	const res = await s.post(`/admin/aides/${aid}/versions`, { du, au: au || '', note: '', document: JSON.stringify(doc, null, 2) });
	return location(res, new RegExp(`^/admin/aides/${aid}/versions/(\\d+)$`), `version of ${aid}`);
}

async function activate(T, aid, vid, expect = 303) {
	const res = await (await admin(T)).post(`/admin/aides/${aid}/versions/${vid}/activer`, {});
	assert.equal(res.status, expect, `activation of ${vid}: ${res.status}\n${res.text.slice(0, 800)}`);
	return res;
}

/* Everything of an example but what an export adds. */
function comparable(doc) {
	const out = { ...doc };
	delete out.scopes;
	out.versions = (doc.versions || []).map((v) => {
		const c = { ...v };
		if (c.statut === 'actif') delete c.statut;
		if (c.au === undefined) c.au = null;
		return c;
	});
	return out;
}

describe('the catalogue pages', () => {
	let aid;
	test('an aid type: description, legal basis, requirements; errors next to the fields', async () => {
		aid = await createAid('A', 'secours-essai', 'Secours d\'essai');
		const s = await admin();
		const page = await s.get(`/admin/aides/${aid}`);
		assert.equal(page.status, 200);
		assert.match(page.text, /<table id="rule-versions">/);
		const bad = await s.post(`/admin/aides/${aid}`, { label: '', description: '', deliberation_numero: '', deliberation_date: '31/02/2026', categorie: 'licorne', champs_declares: 'Revenus !', pieces: '' });
		assert.equal(bad.status, 422);
		for (const f of ['label', 'deliberation_date', 'categorie', 'champs_declares']) {
			assert.match(bad.text, new RegExp(`id="${f}"[^>]*aria-invalid="true"`), f);
			assert.match(bad.text, new RegExp(`<small id="err-${f}" class="field-error">`), f);
		}
		assert.match(bad.text, /<div class="error-summary" role="alert"/);
		const ok = await s.post(`/admin/aides/${aid}`, {
			label: 'Secours d\'essai', description: 'Pour les foyers en difficulté passagère.', deliberation_numero: 'CA-2026-03',
			deliberation_date: '2026-01-20', categorie: 'secours', champs_declares: 'montant_demande\nressources_mensuelles', pieces: 'Facture\nRelevé de compte',
		});
		assert.equal(ok.status, 303);
		const after_ = await s.get(`/admin/aides/${aid}`);
		assert.match(after_.text, /value="CA-2026-03"/);
		assert.match(after_.text, /<option value="secours" selected>/);
	});

	test('versions: a refused rule says where and is not stored; activation, overlap, closing, retirement', async () => {
		const s = await admin();
		const syntax = await s.post(`/admin/aides/${aid}/versions`, { du: '2024-01-01', au: '', note: '', document: '{\n  "montant": "1",,\n}' });
		assert.equal(syntax.status, 422);
		assert.match(syntax.text, /id="err-document" class="field-error">Le document n&#39;est pas du JSON valide à la ligne 2, colonne \d+/);
		const rule = await s.post(`/admin/aides/${aid}/versions`, { du: '2024-01-01', au: '', note: '', document: '{"montant": "montant_demande * (2"}' });
		assert.equal(rule.status, 422);
		assert.match(rule.text, /Règle invalide à \/montant \(ligne 1, colonne \d+\)/);
		let page = await s.get(`/admin/aides/${aid}`);
		assert.match(page.text, /<caption>0 version\(s\)/, 'nothing stored');

		const v1 = await createVersion('A', aid, '2024-01-01', null, RULE);
		await activate('A', aid, v1);
		const v2 = await createVersion('A', aid, '2026-01-01', null, RULE_V2);
		const refused = await activate('A', aid, v2, 422);
		assert.match(refused.text, /recouvre celle d&#39;une autre version en vigueur/);
		/* an active version's rule no longer changes */
		const frozen = await s.post(`/admin/aides/${aid}/versions/${v1}`, { du: '2024-01-01', au: '', note: '', document: JSON.stringify(RULE_V2) });
		assert.equal(frozen.status, 409);
		assert.equal((await s.post(`/admin/aides/${aid}/versions/${v1}/fin`, { au: '2023-12-31' })).status, 422);
		assert.equal((await s.post(`/admin/aides/${aid}/versions/${v1}/fin`, { au: '2025-12-31' })).status, 303);
		await activate('A', aid, v2);
		page = await s.get(`/admin/aides/${aid}`);
		assert.match(page.text, new RegExp(`<tr id="version-${v1}" data-status="actif">`));
		assert.match(page.text, new RegExp(`<tr id="version-${v2}" data-status="actif">`));
		const v3 = await createVersion('A', aid, '2030-01-01', null, RULE);
		assert.equal((await s.post(`/admin/aides/${aid}/versions/${v3}/retirer`, {})).status, 303);
		page = await s.get(`/admin/aides/${aid}`);
		assert.match(page.text, new RegExp(`<tr id="version-${v3}" data-status="retire">`));
	});

	test('live validation and the tester pane, with and without script', async () => {
		const s = await admin();
		const ok = await s.post('/admin/aides/validation', { document: JSON.stringify(RULE) });
		assert.equal(ok.status, 200);
		assert.equal(ok.json.ok, true);
		const json = await s.post('/admin/aides/validation', { document: '{\n"montant": 1\n' });
		assert.equal(json.json.ok, false);
		assert.equal(json.json.problem.kind, 'json');
		assert.ok(json.json.problem.line >= 2, `line ${json.json.problem.line}`);
		const expr = await s.post('/admin/aides/validation', { document: '{"conditions": [{"libelle": "x", "expression": "nb_personnes >= "}]}' });
		assert.equal(expr.json.problem.kind, 'regle');
		assert.equal(expr.json.problem.path, '/conditions/0/expression');
		assert.equal(expr.json.problem.line, 1);
		assert.ok(expr.json.problem.column > 1);

		const situation = JSON.stringify({ personnes: [{ role: 'demandeur', age: 40 }], montant_demande: '180' });
		const t = await s.post(`/admin/aides/${aid}/tester`, { document: JSON.stringify(RULE), situation, date_test: '', format: 'json' });
		assert.equal(t.status, 200);
		assert.equal(t.json.test.view.issue, 'eligible');
		assert.equal(t.json.test.view.montant_centimes, 10000);
		assert.ok(t.json.test.view.texte.length > 0);
		const page = await s.post(`/admin/aides/${aid}/tester`, { document: JSON.stringify(RULE), situation, date_test: '', version_id: '' });
		assert.equal(page.status, 200);
		assert.match(page.text, /<h3 id="tester-result-title">Résultat du test<\/h3>/);
		assert.match(page.text, /data-issue="eligible"/);
		assert.match(page.text, /100,00/);
		const wrong = await s.post(`/admin/aides/${aid}/tester`, { document: JSON.stringify(RULE), situation: '{"montant_demande": "abc"}', format: 'json' });
		assert.equal(wrong.status, 422);
		assert.ok(wrong.json.errors['situation.montant_demande']);
	});
});

describe('import and export', () => {
	test('every file of examples/aides imports through the page and exports back unchanged', async () => {
		const s = await admin();
		assert.ok(EXAMPLES.length >= 7, 'the shipped examples');
		for (const f of EXAMPLES) {
			const text = fs.readFileSync(path.join(AIDES, f), 'utf8');
			const res = await s.post('/admin/aides/import', { document: text });
			const id = location(res, /^\/admin\/aides\/(\d+)$/, `import of ${f}`);
			const exp = await s.get(`/admin/aides/${id}/export`);
			assert.equal(exp.status, 200);
			assert.match(exp.headers.get('content-type'), /^application\/json/);
			assert.deepEqual(comparable(JSON.parse(exp.text)), comparable(readExample(f)), f);
		}
		const again = await s.post('/admin/aides/import', { document: fs.readFileSync(path.join(AIDES, EXAMPLES[0]), 'utf8') });
		assert.equal(again.status, 422);
		assert.match(again.text, /déjà ce code/);
	});

	test('a refused import says where and stores nothing', async () => {
		const s = await admin();
		const doc = { code: 'import-casse', libelle: 'Import cassé', versions: [{ du: '2024-01-01', montant: 'bareme("absent", qf_caf)' }] };
		const res = await s.post('/admin/aides/import', { document: JSON.stringify(doc) });
		assert.equal(res.status, 422);
		assert.match(res.text, /versions\/0\/montant/);
		const list = await s.get('/admin/aides');
		assert.doesNotMatch(list.text, /Import cassé/);
		const bad = await s.post('/admin/aides/import', { document: '{"code": ' });
		assert.equal(bad.status, 422);
		assert.match(bad.text, /ligne 1, colonne/);
	});

	test('`cassis aid import` of every example, `cassis aid export`, `cassis simulate --aid`', () => {
		const siret = TENANTS.B.siret;
		const r = cli(['aid', 'import', '--db', srv.dbUrl, '--tenant', siret, ...EXAMPLES.map((f) => path.join(AIDES, f))]);
		assert.equal(r.status, 0, r.stderr);
		for (const f of EXAMPLES) {
			const code = readExample(f).code;
			const e = cli(['aid', 'export', '--db', srv.dbUrl, '--tenant', siret, code]);
			assert.equal(e.status, 0, e.stderr);
			assert.deepEqual(comparable(JSON.parse(e.stdout)), comparable(readExample(f)), f);
		}
		assert.equal(cli(['aid', 'import', '--db', srv.dbUrl, '--tenant', siret, path.join(AIDES, EXAMPLES[0])]).status, 1);
		assert.equal(cli(['aid', 'export', '--db', srv.dbUrl, '--tenant', siret, 'inconnue']).status, 1);
		assert.equal(cli(['aid', 'import', '--db', srv.dbUrl]).status, 2);

		/* the stored aid and the file agree */
		const dir = fs.mkdtempSync(path.join(srv.dir, 'sim-'));
		const input = path.join(dir, 'situation.json');
		fs.writeFileSync(input, JSON.stringify({
			commune_residence: '67218', situation_familiale: 'marie', rfr: '12000',
			personnes: [{ role: 'demandeur', age: 40 }, { role: 'conjoint', age: 41 }, { role: 'enfant', age: 9 }],
		}));
		const file = 'illkirch-coupon-arts-sports.json';
		const code = readExample(file).code;
		const stored = cli(['simulate', '--aid', code, '--tenant', siret, '--db', srv.dbUrl, '--input', input, '--date', '2026-03-01']);
		assert.equal(stored.status, 0, stored.stderr);
		const plain = cli(['simulate', '--rule', path.join(AIDES, file), '--input', input, '--date', '2026-03-01']);
		assert.equal(plain.status, 0, plain.stderr);
		const a = JSON.parse(stored.stdout), b = JSON.parse(plain.stdout);
		assert.equal(a.issue, 'eligible');
		assert.equal(a.montant_centimes, b.montant_centimes);
		assert.deepEqual(a.explication.texte, b.explication.texte);
		assert.equal(cli(['simulate', '--aid', 'inconnue', '--tenant', siret, '--db', srv.dbUrl, '--input', input]).status, 1);
		assert.equal(cli(['simulate', '--aid', code, '--input', input]).status, 2);
	});
});

describe('POST /api/v1/simulations', () => {
	test('an aid of the catalogue, an inline rule, errors with their position, roles, tenants', async () => {
		const key = await srv.apiSession('instructeur@B');
		const situation = {
			commune_residence: '67218', situation_familiale: 'marie', rfr: '12000',
			personnes: [{ role: 'demandeur', age: 40 }, { role: 'conjoint', age: 41 }, { role: 'enfant', age: 9 }],
		};
		const code = readExample('illkirch-coupon-arts-sports.json').code;
		const res = await key.request('POST', '/api/v1/simulations', { json: { aide_code: code, situation, date: '2026-03-01' } });
		assert.equal(res.status, 200, res.text);
		assert.equal(res.json.issue, 'eligible');
		assert.equal(res.json.montant_centimes, 15000);
		assert.equal(res.json.aide.code, code);
		assert.equal(res.json.version.du, '2020-01-01');
		assert.ok(res.json.explication.conditions.every((c) => c.resultat === true));
		assert.ok(res.json.explication.texte.length > 0);

		const inline = await key.request('POST', '/api/v1/simulations', { json: { regle: RULE, situation: { personnes: [{ role: 'demandeur', age: 30 }], montant_demande: '60' } } });
		assert.equal(inline.status, 200);
		assert.equal(inline.json.montant_centimes, 6000);
		assert.equal(inline.json.aide, null);
		const missing = await key.request('POST', '/api/v1/simulations', { json: { regle: RULE, situation: { montant_demande: '60' } } });
		assert.equal(missing.json.issue, 'indetermine');
		assert.ok(missing.json.manquants.length > 0);

		const bad = await key.request('POST', '/api/v1/simulations', { json: { regle: { montant: 'min(montant_demande, )' }, situation: {} } });
		assert.equal(bad.status, 422);
		assert.equal(bad.json.error.field, 'regle');
		assert.match(bad.json.error.fields.regle, /\/montant \(ligne 1, colonne \d+\)/);
		const both = await key.request('POST', '/api/v1/simulations', { json: { regle: RULE, aide_code: code, situation: {} } });
		assert.equal(both.status, 422);
		const sit = await key.request('POST', '/api/v1/simulations', { json: { regle: RULE, situation: { personnes: 'deux' } } });
		assert.equal(sit.status, 422);
		assert.ok(Object.keys(sit.json.error.fields).some((k) => k.startsWith('situation.')));

		/* A's catalogue does not hold B's aid */
		const other = await srv.apiSession('instructeur@A');
		const a = await other.request('POST', '/api/v1/simulations', { json: { aide_code: 'secours-essai-b', situation } });
		assert.equal(a.status, 422);
		for (const [role, status] of [['accueil', 403], ['auditeur', 403], ['valideur', 200], ['administrateur', 200]]) {
			const s = await srv.apiSession(`${role}@B`);
			const r = await s.request('POST', '/api/v1/simulations', { json: { regle: RULE, situation: { montant_demande: '1' } } });
			assert.equal(r.status, status, role);
		}
	});
});

describe('the evaluation of a dossier', () => {
	let aid, dossier;
	const T = 'A';
	test('the instructeur sees the explanation, with the origin of each datum, and stores it', async () => {
		aid = await createAid(T, 'eval-essai', 'Aide évaluée');
		await activate(T, aid, await createVersion(T, aid, '2020-01-01', null, RULE));
		const api = await srv.apiSession(`instructeur@${T}`);
		const person = await api.request('POST', '/api/v1/persons', {
			json: { nom_naissance: 'Aubrac', prenoms: ['Armelle'], sexe: 'F', date_naissance: '1979-05-04', lieu_naissance: { type: 'commune', code: '75056' }, nationalite: 'francaise' },
		});
		assert.equal(person.status, 201, person.text);
		const household = await api.request('POST', '/api/v1/households', { json: { demandeur_id: person.json.id } });
		assert.equal(household.status, 201, household.text);
		const d = await api.request('POST', '/api/v1/dossiers', { json: { household_id: household.json.id, aid_type_id: aid, motif: 'Facture d\'eau', montant_demande_centimes: 18000 } });
		assert.equal(d.status, 201, d.text);
		dossier = d.json.id;
		await api.request('POST', `/api/v1/dossiers/${dossier}/lines`, { json: { category: 'salaire', montant_centimes: 110000 } });

		const s = await srv.session(`instructeur@${T}`);
		let page = await s.get(`/dossiers/${dossier}`);
		assert.equal(page.status, 200);
		assert.match(page.text, /<section aria-labelledby="evaluation-title" id="evaluation">/);
		assert.match(page.text, /<div class="rule-result issue-eligible" data-issue="eligible">/);
		assert.match(page.text, /100,00/);
		assert.match(page.text, /Foyer d&#39;au moins une personne/);
		assert.match(page.text, /data-origine="declare">Déclarée</);
		assert.match(page.text, /id="evaluation-none"/);
		assert.match(page.text, /id="evaluation-form"/);
		const res = await s.post(`/dossiers/${dossier}/evaluation`, {});
		assert.equal(res.status, 303);
		assert.equal(res.headers.get('location'), `/dossiers/${dossier}#evaluation`);
		page = await s.get(`/dossiers/${dossier}`);
		assert.match(page.text, /id="evaluation-stored-meta">Enregistrée le/);
		assert.doesNotMatch(page.text, /id="evaluation-changed"/);

		/* data change: the current evaluation follows, the stored one stays */
		await api.request('PATCH', `/api/v1/dossiers/${dossier}`, { json: { montant_demande_centimes: 5000 } });
		page = await s.get(`/dossiers/${dossier}`);
		assert.match(page.text, /id="evaluation-changed"/);
		assert.match(page.text, /50,00/);
	});

	test('roles and tenants', async () => {
		for (const [role, status] of [['accueil', 403], ['administrateur', 403], ['auditeur', 403], ['valideur', 303]]) {
			const s = await srv.session(`${role}@${T}`);
			const r = await s.post(`/dossiers/${dossier}/evaluation`, {});
			assert.equal(r.status, status, role);
		}
		const audit = await (await srv.session(`auditeur@${T}`)).get(`/dossiers/${dossier}`);
		assert.match(audit.text, /id="evaluation-stored-meta"/);
		assert.doesNotMatch(audit.text, /id="evaluation-form"/);
		const accueil = await (await srv.session(`accueil@${T}`)).get(`/dossiers/${dossier}`);
		assert.doesNotMatch(accueil.text, /id="evaluation"/);
		const b = await srv.session('instructeur@B');
		assert.equal((await b.post(`/dossiers/${dossier}/evaluation`, {})).status, 404);
		const adminB = await admin('B');
		assert.equal((await adminB.get(`/admin/aides/${aid}`)).status, 404);
		assert.equal((await adminB.get(`/admin/aides/${aid}/export`)).status, 404);
		assert.equal((await adminB.post(`/admin/aides/${aid}/versions`, { du: '2024-01-01', document: JSON.stringify(RULE) })).status, 404);
		const instr = await srv.session(`instructeur@${T}`);
		assert.equal((await instr.get(`/admin/aides/${aid}`)).status, 403);
		assert.equal((await instr.post('/admin/aides/validation', { document: '{}' })).status, 403);
		assert.equal((await instr.post('/admin/aides/import', { document: '{}' })).status, 403);
	});

	test('a closed dossier keeps its evaluation and its version', async () => {
		const s = await srv.session(`instructeur@${T}`);
		for (const form of [{ etat: 'depose' }, { etat: 'cloture', motif: 'Le demandeur a renoncé.' }])
			assert.equal((await s.post(`/dossiers/${dossier}/etat`, form)).status, 303);
		const before_ = await s.get(`/dossiers/${dossier}`);
		assert.match(before_.text, /id="evaluation-decided"/);
		const meta = /id="evaluation-stored-meta">([^<]*)</.exec(before_.text)[1];
		assert.equal((await s.post(`/dossiers/${dossier}/evaluation`, {})).status, 409);
		const page = await s.get(`/dossiers/${dossier}`);
		assert.equal(/id="evaluation-stored-meta">([^<]*)</.exec(page.text)[1], meta);
		assert.doesNotMatch(page.text, /id="evaluation-current"/);
	});
});

test('the server stops on SIGTERM with status 0 and no sanitizer report', async () => {
	assertCleanExit(await srv.stop());
});
