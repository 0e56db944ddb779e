// `cassis simulate --rule FILE --input situation.json`: every shipped aid
// of examples/aides parses (each version), every grid_* case of the
// reference cases (../shared/reference/domain-cases.json, skipped when
// absent) goes through the matching example, and our own boundary cases:
// bracket edges, negative reste à vivre, ceilings already used, missing
// data, version selection by date, errors and exit codes.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT, cli } from './lib/server.mjs';

const AIDES = path.join(ROOT, 'examples', 'aides');
const SHARED = process.env.CASSIS_SHARED || path.resolve(ROOT, '..', 'shared');
const CASES_FILE = path.join(SHARED, 'reference', 'domain-cases.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-simulate-'));
after(() => {
	if (!process.env.CASSIS_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
});

let seq = 0;
function writeJson(obj) {
	const f = path.join(tmp, `in-${++seq}.json`);
	fs.writeFileSync(f, typeof obj === 'string' ? obj : JSON.stringify(obj));
	return f;
}

/* Runs the command; returns {status, stdout, stderr, out (parsed JSON or null)}. */
function simulate(rule, situation, { date, versionDate, variables } = {}) {
	const ruleFile = typeof rule === 'string' && !rule.startsWith('{') ? path.join(AIDES, rule) : writeJson(rule);
	const args = ['simulate', '--rule', ruleFile, variables ? '--variables' : '--input', writeJson(situation)];
	if (date) args.push('--date', date);
	if (versionDate) args.push('--version-date', versionDate);
	const r = cli(args);
	let out = null;
	if (r.status === 0) out = JSON.parse(r.stdout);
	return { ...r, out };
}

function ok(rule, situation, opts) {
	const r = simulate(rule, situation, opts);
	assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
	return r.out;
}

const euros = (res) => (res.montant_centimes === null ? 0 : res.montant_centimes / 100);
/* 0 € means "not eligible" in the reference cases. */
function assertEuros(res, want, what) {
	if (want === 0) {
		assert.ok(res.issue === 'non_eligible' || res.montant_centimes === 0,
			`${what}: ${res.issue} ${res.montant_centimes}\n${res.explication.texte.join('\n')}`);
		return;
	}
	assert.equal(res.issue, 'eligible', `${what}: ${res.explication.texte.join('\n')}`);
	assert.equal(res.montant_centimes, Math.round(want * 100), what);
}

const adult = (role = 'demandeur') => ({ role, age: 40 });
const child = (age = 10) => ({ role: 'enfant', age });

/* A household whose monthly fiscal QF is exactly qf (parts overridden to 1). */
function qfFiscal(qf, extra = {}) {
	return { rfr: (Math.round(qf * 100) * 12 / 100).toFixed(2), parts_fiscales: '1', ...extra };
}

/* Persons giving a chèque énergie UC (1, then 0.5, then 0.3 each). */
function personsForUc(uc) {
	const table = { 1: 1, 1.5: 2, 1.8: 3, 2.1: 4, 2.4: 5, 2.7: 6, 3: 7 };
	const n = table[uc];
	if (!n) throw new Error(`no household for ${uc} UC`);
	return [adult(), ...Array.from({ length: n - 1 }, (_, i) => (i === 0 ? adult('conjoint') : child()))];
}

/* How each kind of grid case runs: [example file, run(case) -> assertions]. */
const KINDS = {
	grid_nantes_transport: (c) => {
		const { qf_fiscal_mensuel_n_2: qf, aah } = c.inputs;
		const res = ok('nantes-tarification-solidaire-transports.json',
			qfFiscal(qf, { statuts: aah ? ['aah'] : [], personnes: [adult()] }));
		if (c.expected.reduction_pct === 0) return assert.equal(res.issue, 'non_eligible');
		assert.equal(res.issue, 'eligible');
		assert.equal(Number(res.taux), c.expected.reduction_pct);
	},
	grid_ccas_illkirch_coupon: (c) => {
		const res = ok('illkirch-coupon-arts-sports.json', qfFiscal(c.inputs.qf_fiscal_mensuel_n_2, {
			commune_residence: '67218', personnes: [adult(), child()] }));
		assertEuros(res, c.expected.montant_eur, c.id);
	},
	grid_strasbourg_periscolaire_2024: (c) => {
		const res = ok('strasbourg-periscolaire.json', qfFiscal(c.inputs.qf_fiscal_mensuel_n_2, {
			personnes: [adult(), child()] }), { date: '2024-10-01' });
		assertEuros(res, c.expected.tarif_mensuel_eur, c.id);
	},
	grid_strasbourg_transport: (c) => {
		const res = ok('strasbourg-tarification-solidaire-transports.json',
			qfFiscal(c.inputs.qf_fiscal_mensuel_n_2, { personnes: [adult()],
				variables: { tarif_reduit: !!c.inputs.tarif_reduit } }));
		assertEuros(res, c.expected.tarif_mensuel_eur, c.id);
	},
	grid_brest_transport: (c) => {
		const res = ok('brest-tarification-solidaire-transports.json', { qf_caf: c.inputs.qf_caf,
			statuts: c.inputs.cmu_c ? ['css'] : [], personnes: [adult()] });
		assertEuros(res, c.expected.tarif_mensuel_eur, c.id);
	},
	grid_ccas_antony_plafond: (c) => {
		const i = c.inputs;
		const personnes = [adult(), ...(i.en_couple ? [adult('conjoint')] : []),
			...Array.from({ length: i.nb_enfants }, () => child())];
		const res = ok('antony-plafonds-ressources.json', {
			commune_residence: '92002', situation_familiale: i.en_couple ? 'marie' : 'celibataire',
			personnes, rfr: 1000000,
			variables: { ressources_3_derniers_mois: i.ressources_mensuelles_moyennes_3_derniers_mois * 3 },
		}, { versionDate: `${i.annee_bareme}-12-31` });
		const plafond = res.explication.calculs.find((k) => k.nom === 'plafond');
		assert.equal(Number(plafond.valeur), c.expected.plafond_mensuel_eur, c.id);
		assert.equal(res.issue, c.expected.eligible ? 'eligible' : 'non_eligible', c.id);
	},
	grid_cheque_energie: (c) => {
		const { uc, rfr_n_2: rfr, annee } = c.inputs;
		const res = ok('cheque-energie.json', { rfr, personnes: personsForUc(uc) },
			{ date: `${annee}-06-01` });
		assert.equal(res.variables.uc_cheque_energie, String(uc));
		assertEuros(res, c.expected.montant_eur, c.id);
	},
	grid_ccas_maisons_laffitte_rav: (c) => {
		const i = c.inputs, e = c.expected;
		const personnes = [adult(), ...Array.from({ length: i.nb_personnes - 1 }, () => adult('autre'))];
		for (const niveau of ['primaires', 'confort', 'loisirs']) {
			const res = ok('maisons-laffitte-reste-a-vivre.json', {
				ressources: i.ressources_mensuelles, charges: i.charges_mensuelles, personnes,
				montant_demande: 100, variables: { niveau_besoin: niveau, deja_verse_annee: 0 },
			});
			assert.equal(res.issue, e.eligible ? 'eligible' : 'non_eligible', c.id);
			const [num, den = 1] = res.variables.reste_a_vivre_jour_personne.split('/').map(Number);
			assert.equal(Math.round((num / den) * 100) / 100, e.rav_jour_personne);
			assert.equal(res.explication.bareme.tranche, e.tranche);
			assert.equal(Number(res.taux), e.taux_prise_en_charge_pct[niveau]);
			assert.equal(Number(res.explication.plafond.plafond), e.plafond_annuel_eur);
		}
	},
};

describe('every shipped aid parses', () => {
	const files = fs.readdirSync(AIDES).filter((f) => f.endsWith('.json'));
	test('examples/aides holds the shipped examples', () => {
		assert.ok(files.length >= 8, files.join(', '));
	});
	for (const f of files) {
		test(f, () => {
			const doc = JSON.parse(fs.readFileSync(path.join(AIDES, f), 'utf8'));
			for (const k of ['code', 'libelle', 'description', 'deliberation', 'categorie', 'pieces', 'versions'])
				assert.ok(k in doc, `${f}: ${k}`);
			assert.ok(doc.versions.length > 0);
			for (const v of doc.versions) {
				const out = ok(f, {}, { versionDate: v.du });
				assert.equal(out.version.du, v.du);
				assert.equal(out.aide.code, doc.code);
				assert.ok(['indetermine', 'non_eligible'].includes(out.issue), `${f} ${v.du}: ${out.issue}`);
				assert.ok(out.explication.texte.length > 0);
			}
		});
	}
});

describe('reference grid cases', { skip: !fs.existsSync(CASES_FILE) && 'no ../shared/reference' }, () => {
	const cases = fs.existsSync(CASES_FILE) ? JSON.parse(fs.readFileSync(CASES_FILE, 'utf8')) : [];
	const grids = cases.filter((c) => c.kind.startsWith('grid_'));
	test('the reference holds grid cases', () => assert.ok(grids.length > 0));
	for (const c of grids) {
		test(`${c.id} (${c.kind})`, () => {
			assert.ok(KINDS[c.kind], `no example runs the kind ${c.kind}`);
			KINDS[c.kind](c);
		});
	}
});

describe('bracket edges', () => {
	const illkirch = (qf) => euros(ok('illkirch-coupon-arts-sports.json',
		qfFiscal(qf, { commune_residence: '67218', personnes: [adult(), child()] })));
	test('Illkirch: upper bounds included', () => {
		assert.equal(illkirch(500), 150);
		assert.equal(illkirch(500.01), 100);
		assert.equal(illkirch(600), 100);
		assert.equal(illkirch(600.01), 50);
		assert.equal(illkirch(750), 50);
		assert.equal(illkirch(750.01), 0);
	});
	test('Illkirch: one coupon per child under 18, residence required', () => {
		const two = ok('illkirch-coupon-arts-sports.json', qfFiscal(400, {
			commune_residence: '67218', personnes: [adult(), child(8), child(12), child(19)] }));
		assert.equal(two.montant_centimes, 30000);
		const elsewhere = ok('illkirch-coupon-arts-sports.json', qfFiscal(400, {
			commune_residence: '67482', personnes: [adult(), child()] }));
		assert.equal(elsewhere.issue, 'non_eligible');
		assert.match(elsewhere.explication.texte.at(-1), /Résider à Illkirch-Graffenstaden/);
	});
	test('Nantes: 350 / 500 / 600 included, AAH whatever the QF', () => {
		const taux = (qf, aah = false) => {
			const r = ok('nantes-tarification-solidaire-transports.json',
				qfFiscal(qf, { statuts: aah ? ['aah'] : [], personnes: [adult()] }));
			return r.issue === 'eligible' ? Number(r.taux) : 0;
		};
		assert.deepEqual([taux(350), taux(350.01), taux(500), taux(500.01), taux(600), taux(600.01)],
			[100, 90, 90, 70, 70, 0]);
		assert.equal(taux(2000, true), 100);
	});
	test('Strasbourg transport: 765 excluded from the third bracket', () => {
		const tarif = (qf, reduit) => ok('strasbourg-tarification-solidaire-transports.json',
			qfFiscal(qf, { personnes: [adult()], variables: { tarif_reduit: reduit } }));
		assert.equal(tarif(356, false).montant_centimes, 580);
		assert.equal(tarif(356.01, false).montant_centimes, 1340);
		assert.equal(tarif(764.99, false).montant_centimes, 2570);
		assert.equal(tarif(765, false).issue, 'non_eligible');
		assert.equal(tarif(765, true).montant_centimes, 2760);
		assert.equal(tarif(764.99, true).montant_centimes, 1360);
	});
	test('Strasbourg périscolaire: lower bounds included', () => {
		const tarif = (qf) => euros(ok('strasbourg-periscolaire.json',
			qfFiscal(qf, { personnes: [adult(), child()] }), { date: '2024-10-01' }));
		assert.deepEqual([tarif(99.99), tarif(100), tarif(1899.99), tarif(1900), tarif(50000)],
			[11.85, 16.16, 50.6, 54.9, 54.9]);
	});
	test('Brest: CAF QF edges and the CSS rule', () => {
		const tarif = (qf, css = false) => euros(ok('brest-tarification-solidaire-transports.json',
			{ qf_caf: qf, statuts: css ? ['css'] : [], personnes: [adult()] }));
		assert.deepEqual([tarif(482), tarif(482.01), tarif(573), tarif(573.01), tarif(728), tarif(728.01)],
			[6.2, 15, 15, 22.5, 22.5, 0]);
		assert.deepEqual([tarif(400, true), tarif(600, true), tarif(2000, true)], [6.2, 15, 15]);
	});
	test('chèque énergie: lower bounds included, ceilings per year', () => {
		const m = (rfr, n, date) => euros(ok('cheque-energie.json',
			{ rfr, personnes: personsForUc(n) }, { date }));
		assert.equal(m(5599, 1, '2022-01-01'), 194);
		assert.equal(m(5600, 1, '2022-01-01'), 146);
		assert.equal(m(5600 * 2.1, 2.1, '2022-01-01'), 202);
		assert.equal(m(10750, 1, '2020-06-01'), 0);
		assert.equal(m(10750, 1, '2021-06-01'), 48);
		assert.equal(m(7699, 1, '2018-06-01'), 48);
	});
});

describe('reste à vivre (Maisons-Laffitte)', () => {
	const run = (ressources, charges, niveau, demande, deja, n = 1) => ok('maisons-laffitte-reste-a-vivre.json', {
		ressources, charges, personnes: [adult(), ...Array.from({ length: n - 1 }, () => adult('autre'))],
		montant_demande: demande, variables: { niveau_besoin: niveau, deja_verse_annee: deja },
	});
	test('negative reste à vivre falls in the first bracket', () => {
		const r = run(500, 900, 'primaires', 300, 0);
		assert.equal(r.variables.reste_a_vivre_jour_personne, '-40/3');
		assert.equal(r.issue, 'eligible');
		assert.equal(r.taux, '80');
		assert.equal(r.montant_centimes, 24000);
	});
	test('edges 5, 8 and 10 € per person and per day', () => {
		assert.equal(run(150, 0, 'primaires', 100, 0).taux, '80'); // 5 €
		assert.equal(run(150.3, 0, 'primaires', 100, 0).taux, '60'); // 5.01 €
		assert.equal(run(240, 0, 'confort', 100, 0).taux, '40'); // 8 €
		assert.equal(run(300, 0, 'loisirs', 100, 0).taux, '10'); // 10 €
		assert.equal(run(300.3, 0, 'loisirs', 100, 0).issue, 'non_eligible'); // 10.01 €
	});
	test('the annual ceiling counts what was already paid', () => {
		const r = run(150, 0, 'primaires', 500, 1100); // 80 % of 500 = 400, 100 left
		assert.equal(r.montant_centimes, 10000);
		assert.equal(r.explication.plafond.applique, true);
		assert.match(r.explication.texte.join('\n'), /ramené au plafond disponible/);
		assert.equal(run(150, 0, 'primaires', 500, 1300).montant_centimes, 0);
	});
	test('rounding to the cent, half up', () => {
		const r = run(150, 0, 'loisirs', 33.33, 0); // 50 % of 33.33 = 16.665
		assert.equal(r.montant_centimes, 1667);
	});
	test('a need level outside the list is an error, not a guess', () => {
		const r = run(150, 0, 'vacances', 100, 0);
		assert.equal(r.issue, 'indetermine');
		assert.match(r.erreur, /niveau_besoin/);
	});
});

describe('missing data', () => {
	test('indetermine names what is missing', () => {
		const r = ok('illkirch-coupon-arts-sports.json', { commune_residence: '67218', personnes: [adult(), child()] });
		assert.equal(r.issue, 'indetermine');
		assert.deepEqual(r.manquants, ['qf_fiscal']);
		assert.equal(r.montant_centimes, null);
		assert.match(r.explication.texte.at(-1), /il manque qf_fiscal/);
	});
	test('a failed condition decides even when data are missing', () => {
		const r = ok('illkirch-coupon-arts-sports.json', { commune_residence: '75056' });
		assert.equal(r.issue, 'non_eligible');
		assert.deepEqual(r.manquants, []);
	});
	test('"ou" decides with one side known (Nantes, AAH unknown)', () => {
		const r = ok('nantes-tarification-solidaire-transports.json', qfFiscal(300, {}), {});
		assert.equal(r.issue, 'eligible');
		assert.equal(r.taux, '100');
	});
	test('Maisons-Laffitte without the amounts already paid', () => {
		const r = ok('maisons-laffitte-reste-a-vivre.json', { ressources: 150, charges: 0,
			personnes: [adult()], montant_demande: 100, variables: { niveau_besoin: 'primaires' } });
		assert.equal(r.issue, 'indetermine');
		assert.deepEqual(r.manquants, ['deja_verse_annee']);
	});
});

describe('versions by date', () => {
	const antony = (versionDate) => ok('antony-plafonds-ressources.json', {
		commune_residence: '92002', personnes: [adult(), child()], rfr: 100000,
		variables: { ressources_3_derniers_mois: 9000 } }, { versionDate });
	test('Antony: the 2021 table before September 2024, the 2024 table after', () => {
		const old = antony('2024-08-31'), cur = antony('2024-09-01');
		assert.equal(old.version.du, '2021-06-01');
		assert.equal(old.issue, 'non_eligible'); // 3 000 >= 2 732
		assert.equal(cur.version.du, '2024-09-01');
		assert.equal(cur.issue, 'eligible'); // 3 000 < 3 071
	});
	test('no version in force: exit 1', () => {
		const r = simulate('antony-plafonds-ressources.json', {}, { versionDate: '2020-01-01' });
		assert.equal(r.status, 1);
		assert.match(r.stderr, /aucune version de la règle n'est en vigueur le 2020-01-01/);
	});
});

describe('errors and exit codes', () => {
	test('a bare rule document works too', () => {
		const out = ok({ conditions: [{ libelle: 'Majeur', expression: 'age_demandeur >= 18' }],
			montant: 'arrondi(100 / 3, 2)' }, { personnes: [{ role: 'demandeur', age: 30 }] });
		assert.equal(out.issue, 'eligible');
		assert.equal(out.montant_centimes, 3333);
	});
	test('an invalid rule: exit 1 with path, line, column and a French message', () => {
		const r = simulate({ conditions: [{ libelle: 'x', expression: 'qf_cav <= 10' }] }, {});
		assert.equal(r.status, 1);
		assert.match(r.stderr, /\/conditions\/0\/expression/);
		assert.match(r.stderr, /ligne 1, colonne 1/);
		assert.match(r.stderr, /variable inconnue « qf_cav » \(vouliez-vous dire « qf_caf » \?\)/);
	});
	test('an invalid situation: exit 1', () => {
		const r = simulate('nantes-tarification-solidaire-transports.json', { rfr: 'beaucoup' });
		assert.equal(r.status, 1);
		assert.match(r.stderr, /situation invalide : rfr/);
	});
	test('not JSON: exit 1', () => {
		const r = simulate('nantes-tarification-solidaire-transports.json', '{"rfr": ');
		assert.equal(r.status, 1);
		assert.match(r.stderr, /n'est pas du JSON valide/);
	});
	test('bad usage: exit 2', () => {
		assert.equal(cli(['simulate']).status, 2);
		assert.equal(cli(['simulate', '--rule', 'x.json']).status, 2);
		assert.equal(cli(['simulate', '--rule', 'x', '--input', 'y', '--date', '2024-13-45']).status, 2);
		assert.equal(cli(['simulate', '--bogus']).status, 2);
		const h = cli(['simulate', '--help']);
		assert.equal(h.status, 0);
		assert.match(h.stdout, /Usage : cassis simulate/);
	});
	test('variables given directly', () => {
		const out = ok('brest-tarification-solidaire-transports.json', { qf_caf: '500', beneficiaire_css: false },
			{ variables: true });
		assert.equal(out.montant_centimes, 1500);
	});
});
