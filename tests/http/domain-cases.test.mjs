// Every case of the shared domain reference (../shared/reference/domain-cases.json,
// or $CASSIS_SHARED/reference; skipped when absent) through the public
// surface. The computation kinds (CAF QF and parts, with the Brest table,
// fiscal parts, fiscal QF, consumption units, reste à vivre) run here through
// `cassis simulate --rule FILE --input situation.json`: each case's inputs
// become a situation, and a small inline rule exposes the variables under
// test as `calculs` (and the first one as the amount). The values are
// compared exactly, or rounded half up to the cent (or to the decimals the
// expected value is written with, when more) when the exact value is not a
// short decimal. The identifier kinds run in check-cli.test.mjs and the
// grid_* kinds in simulate.test.mjs: here we check that those files name
// them. A kind of the file that none of the three handles fails here until
// it is mapped, and so does an input or an expected value we do not know.
//
// Then our own boundary cases: negative reste à vivre, missing data (the
// result names the missing variable), alternating custody, box T.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT, cli } from './lib/server.mjs';

const SHARED = process.env.CASSIS_SHARED || path.resolve(ROOT, '..', 'shared');
const CASES_FILE = path.join(SHARED, 'reference', 'domain-cases.json');
const HAS_CASES = fs.existsSync(CASES_FILE);
const CASES = HAS_CASES ? JSON.parse(fs.readFileSync(CASES_FILE, 'utf8')) : [];
const SKIP_CASES = HAS_CASES ? false : `${CASES_FILE} absent (set CASSIS_SHARED or put shared/ beside the repository)`;
const DATE = '2025-01-15';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cassis-domain-cases-'));
after(() => {
	if (!process.env.CASSIS_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
});

let seq = 0;
function writeJson(obj) {
	const f = path.join(tmp, `f-${++seq}.json`);
	fs.writeFileSync(f, JSON.stringify(obj));
	return f;
}

/* Brest métropole's CAF parts table (docs/situation.md). */
const BREST_PARTS = { nom: 'Brest', couple: '2', isole: '1', parent_isole: '0.5' };

/* ---------- exact numbers: "2650/3", "-2.5", "883.33" as BigInt fractions ---------- */

function frac(text) {
	const s = String(text);
	const f = /^(-?\d+)\/(\d+)$/.exec(s);
	if (f) return { n: BigInt(f[1]), d: BigInt(f[2]) };
	const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
	if (!m) throw new Error(`not an exact number: ${s}`);
	const dec = m[3] || '';
	const n = BigInt(m[2] + dec) * (m[1] ? -1n : 1n);
	return { n, d: 10n ** BigInt(dec.length) };
}

const fracEq = (a, b) => a.n * b.d === b.n * a.d;

function decimalsOf(value) {
	const m = /\.(\d+)$/.exec(String(value));
	return m ? m[1].length : 0;
}

/* The fraction rounded half up (away from zero) to `dec` decimals, scaled: BigInt. */
function roundScaled(f, dec) {
	const scaled = (f.n < 0n ? -f.n : f.n) * 10n ** BigInt(dec);
	let q = scaled / f.d;
	if (2n * (scaled % f.d) >= f.d) q += 1n;
	return f.n < 0n ? -q : q;
}

/* Returns 'exact' or 'arrondi'; fails when neither holds. */
function assertNumber(got, want, what) {
	assert.ok(got !== undefined && got !== null, `${what}: no value (expected ${want})`);
	const g = frac(got), w = frac(want);
	if (fracEq(g, w)) return 'exact';
	const dec = Math.max(2, decimalsOf(want));
	assert.equal(roundScaled(g, dec), roundScaled(w, dec),
		`${what}: ${got} is neither ${want} nor rounds to it at ${dec} decimals`);
	return 'arrondi';
}

/* ---------- cassis simulate with an inline rule exposing variables ---------- */

/* A rule whose calculs are the variables (v_NAME = NAME), each required
 * known by a condition, the first one as the amount. */
function exposeRule(names) {
	return {
		calculs: names.map((n) => ({ nom: `v_${n}`, libelle: `Variable ${n}`, expression: n })),
		conditions: names.map((n) => ({ libelle: `${n} est connu`, expression: `connu(v_${n})` })),
		montant: `v_${names[0]}`,
	};
}

function simulate(rule, situation, { parts, date = DATE } = {}) {
	const args = ['simulate', '--rule', writeJson(rule), '--input', writeJson(situation), '--date', date];
	if (parts) args.push('--parts-caf', writeJson(parts));
	const r = cli(args);
	assert.equal(r.status, 0, `cassis ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
	return JSON.parse(r.stdout);
}

/* The values of `names` in the situation, as the rule's calculations see them. */
function expose(names, situation, opts) {
	const out = simulate(exposeRule(names), situation, opts);
	assert.equal(out.issue, 'eligible',
		`${names.join(', ')}: ${out.issue}\n${out.explication.texte.join('\n')}\n${JSON.stringify(out.variables)}`);
	const values = {};
	for (const c of out.explication.calculs) values[c.nom.replace(/^v_/, '')] = c.valeur;
	for (const n of names) {
		assert.equal(values[n], String(out.variables[n]), `${n}: the rule and the variables disagree`);
		assert.ok(out.explication.texte.some((t) => t.includes(`v_${n} = ${n}`)), `${n} not explained`);
	}
	const first = frac(values[names[0]]);
	if (first.n >= 0n) assert.equal(BigInt(out.montant_centimes), roundScaled(first, 2), 'montant');
	return { values, out };
}

/* ---------- persons ---------- */

const person = (role, extra = {}) => ({ role, ...extra });

/* Ages in order: the applicant, then the first adult as spouse, minors as children. */
function personsFromAges(ages) {
	let spouse = false;
	return ages.map((age, i) => {
		if (i === 0) return person('demandeur', { age });
		if (age < 18) return person('enfant', { age });
		if (!spouse) {
			spouse = true;
			return person('conjoint', { age });
		}
		return person('autre', { age });
	});
}

/* The inputs of a case, read through `take`: an input nobody reads fails. */
function reader(c) {
	const used = new Set();
	const inputs = c.inputs || {};
	return {
		has: (k) => k in inputs,
		take: (k, dflt) => {
			used.add(k);
			return k in inputs ? inputs[k] : dflt;
		},
		done: () => {
			const unknown = Object.keys(inputs).filter((k) => !used.has(k));
			assert.deepEqual(unknown, [], `${c.id}: inputs not mapped to a situation: ${unknown.join(', ')}`);
		},
	};
}

/* ---------- the computation kinds: inputs → situation, expected → variable ---------- */

function cafSituation(i) {
	i.take('situation'); // a description in words
	const couple = i.take('en_couple');
	assert.equal(typeof couple, 'boolean', 'en_couple');
	const n = i.has('nb_enfants') ? i.take('nb_enfants') : i.take('nb_enfants_a_charge', 0);
	const aeeh = i.has('nb_enfants_handicapes') ? i.take('nb_enfants_handicapes') : i.take('nb_enfants_aeeh', 0);
	const personnes = [person('demandeur', { age: 40 })];
	if (couple) personnes.push(person('conjoint', { age: 38 }));
	for (let k = 0; k < n; k++) personnes.push(person('enfant', { age: 10, aeeh: k < aeeh }));
	const s = { situation_familiale: couple ? 'marie' : 'celibataire', personnes };
	const annual = i.has('base_ressources_annuelle')
		? i.take('base_ressources_annuelle')
		: i.take('ressources_annuelles_imposables_n_2');
	if (annual !== undefined) s.ressources = { annuelles: annual };
	const pf = i.take('prestations_familiales_mois');
	if (pf !== undefined) s.prestations_familiales_mois = pf;
	return s;
}

const FISCAL_STATUS = [
	[/^mari|pacs/i, 'marie'],
	[/^veu/i, 'veuf'],
	[/^c[ée]lib|^divor/i, 'celibataire'],
];

/* The reference describes a tax return: nbF children (nbG of them invalid),
 * nbH alternating (nbI invalid), nbR invalid adults, nbJ adult children, and
 * the ticked boxes case_<LETTER>_...: P and F become the invalidity of the
 * applicant and spouse, the others go to cases_fiscales, and box T is unticked
 * unless the case ticks it (the situation would derive it for a single
 * parent). */
function fiscalSituation(i, c) {
	const text = i.take('situation');
	const status = FISCAL_STATUS.find(([re]) => re.test(text || ''));
	assert.ok(status, `${c.id}: unknown fiscal situation « ${text} »`);
	const couple = status[1] === 'marie';
	const demandeur = person('demandeur', { age: 45 });
	const personnes = [demandeur];
	const conjoint = couple ? person('conjoint', { age: 45 }) : null;
	if (conjoint) personnes.push(conjoint);
	const boxes = { T: false };
	for (const key of Object.keys(c.inputs)) {
		const m = /^case_([A-Z])(_|$)/.exec(key);
		if (!m) continue;
		const on = !!i.take(key);
		if (m[1] === 'P') demandeur.invalidite = on;
		else if (m[1] === 'F') {
			assert.ok(conjoint, `${c.id}: box F without a spouse`);
			conjoint.invalidite = on;
		} else boxes[m[1]] = on;
	}
	const [nbF, nbG, nbH, nbI, nbR, nbJ] = ['nbF', 'nbG', 'nbH', 'nbI', 'nbR', 'nbJ'].map((k) => i.take(k, 0));
	assert.ok(nbG <= nbF && nbI <= nbH, `${c.id}: G ⊂ F and I ⊂ H`);
	for (let k = 0; k < nbF; k++) personnes.push(person('enfant', { age: 10, invalidite: k < nbG }));
	for (let k = 0; k < nbJ; k++) personnes.push(person('enfant', { age: 20, a_charge: true }));
	for (let k = 0; k < nbH; k++) personnes.push(person('enfant', { age: 8, garde_alternee: true, invalidite: k < nbI }));
	for (let k = 0; k < nbR; k++) personnes.push(person('personne_a_charge', { age: 70, invalidite: true }));
	return { situation_familiale: status[1], personnes, cases_fiscales: boxes };
}

function chequeEnergieSituation(i) {
	const n = i.take('nb_personnes');
	const alt = i.take('dont_enfants_garde_alternee', 0);
	assert.ok(n >= 1 && alt < n);
	const personnes = [person('demandeur', { age: 40 })];
	for (let k = 0; k < alt; k++) personnes.push(person('enfant', { age: 8, garde_alternee: true }));
	while (personnes.length < n)
		personnes.push(personnes.length === 1 ? person('conjoint', { age: 38 }) : person('enfant', { age: 10 }));
	return { personnes };
}

function ravSituation(i) {
	const s = {
		ressources: { mensuelles: i.take('ressources_mensuelles') },
		charges: { mensuelles: i.take('charges_mensuelles') },
	};
	if (i.has('ages')) s.personnes = personsFromAges(i.take('ages'));
	const n = i.take('nb_personnes');
	if (n !== undefined && !s.personnes)
		s.personnes = [person('demandeur', { age: 40 }), ...Array.from({ length: n - 1 }, () => person('autre', { age: 30 }))];
	if (n !== undefined) assert.equal(s.personnes.length, n, 'nb_personnes and ages disagree');
	return s;
}

const CAF_EXPECT = { nb_parts_caf: 'parts_caf', nb_parts: 'parts_caf', qf: 'qf_caf' };
const RAV_EXPECT = {
	uc: 'uc',
	rav_mensuel: 'reste_a_vivre_mois',
	reste_a_vivre_mensuel: 'reste_a_vivre_mois',
	rav_jour_personne: 'reste_a_vivre_jour_personne',
	rav_par_personne_jour: 'reste_a_vivre_jour_personne',
	rav_personne_jour: 'reste_a_vivre_jour_personne',
	rav_mensuel_par_uc: 'reste_a_vivre_mois_uc',
	rav_jour_par_uc: 'reste_a_vivre_jour_uc',
};

/* kind → {situation(reader, case), expect: expected key → variable, parts?} */
const COMPUTATIONS = {
	caf_qf: { situation: cafSituation, expect: CAF_EXPECT },
	caf_qf_parts: { situation: cafSituation, expect: CAF_EXPECT },
	caf_qf_variant_brest: { situation: cafSituation, expect: CAF_EXPECT, parts: BREST_PARTS },
	caf_qf_parts_variant_brest: { situation: cafSituation, expect: CAF_EXPECT, parts: BREST_PARTS },
	fiscal_parts: { situation: fiscalSituation, expect: { nb_parts: 'parts' } },
	qf_fiscal: {
		situation: (i) => ({ rfr: i.take('rfr'), parts_fiscales: String(i.take('nb_parts')) }),
		expect: { qf_mensuel: 'qf_fiscal', qf: 'qf_fiscal' },
	},
	uc_oecd: { situation: (i) => ({ personnes: personsFromAges(i.take('ages')) }), expect: { uc: 'uc' } },
	uc_cheque_energie: { situation: chequeEnergieSituation, expect: { uc: 'uc_cheque_energie' } },
	reste_a_vivre: { situation: ravSituation, expect: RAV_EXPECT },
	reste_a_vivre_uc: { situation: ravSituation, expect: RAV_EXPECT },
};

function runComputation(c) {
	const kind = COMPUTATIONS[c.kind];
	const i = reader(c);
	const situation = kind.situation(i, c);
	i.done();
	const keys = Object.keys(c.expected);
	const unknown = keys.filter((k) => !kind.expect[k]);
	assert.deepEqual(unknown, [], `${c.id}: expected values not mapped to a variable: ${unknown.join(', ')}`);
	const names = [...new Set(keys.map((k) => kind.expect[k]))];
	assert.ok(names.length > 0, `${c.id}: nothing to compare`);
	const { values } = expose(names, situation, { parts: kind.parts });
	return keys.map((k) => `${k} ${assertNumber(values[kind.expect[k]], c.expected[k], `${c.id} ${k}`)}`);
}

/* ---------- identifier kinds run here: none of check-cli's ---------- */

const HERE_CHECKS = {
	/* the 13 first characters: refused, the reason gives the key; with the key: valid */
	nir_key: (c) => {
		const i = reader(c);
		const nir13 = i.take('nir_13');
		i.done();
		const key = String(c.expected.cle).padStart(2, '0');
		assert.deepEqual(Object.keys(c.expected), ['cle']);
		const short = cli(['check', 'nir', nir13]);
		assert.equal(short.status, 1, short.stdout);
		assert.match(short.stdout + short.stderr, new RegExp(`clé de contrôle.*\\b${key}\\b`));
		const full = cli(['check', 'nir', nir13 + key]);
		assert.equal(full.status, 0, full.stdout + full.stderr);
		return [`cle exact`];
	},
};

/* ---------- kinds tested elsewhere: the file must name them ---------- */

const OTHER_FILES = {
	identifier: path.join(ROOT, 'tests', 'http', 'check-cli.test.mjs'),
	grid: path.join(ROOT, 'tests', 'http', 'simulate.test.mjs'),
};
const sourceOf = Object.fromEntries(
	Object.entries(OTHER_FILES).map(([k, f]) => [k, fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '']));

/* The kind as an object key (`kind: ...`) or a quoted string in that file. */
function namedIn(source, kind) {
	return new RegExp(`(^|[\\s{,])${kind}\\s*:|['"\`]${kind}['"\`]`, 'm').test(source);
}

function coverage(kind) {
	if (COMPUTATIONS[kind]) return 'simulate (ici)';
	if (HERE_CHECKS[kind]) return 'check (ici)';
	if (kind.startsWith('grid_')) return namedIn(sourceOf.grid, kind) ? 'simulate.test.mjs' : null;
	return namedIn(sourceOf.identifier, kind) ? 'check-cli.test.mjs' : null;
}

function countBy(list, f) {
	const m = new Map();
	for (const x of list) m.set(f(x), (m.get(f(x)) || 0) + 1);
	return m;
}

describe('domain-cases.json: every kind is mapped', { skip: SKIP_CASES }, () => {
	const kinds = countBy(CASES, (c) => c.kind);
	test('the reference holds cases', () => assert.ok(CASES.length > 0));
	for (const [kind, n] of kinds) {
		test(`${kind} (${n} cas)`, (t) => {
			const where = coverage(kind);
			assert.ok(where, `kind ${kind} is run by no test: map it in domain-cases.test.mjs, `
				+ `check-cli.test.mjs (identifiers) or simulate.test.mjs (grid_*)`);
			t.diagnostic(`${kind}: ${n} cas, ${where}`);
		});
	}
	test('the files that run the other kinds exist', () => {
		for (const [what, f] of Object.entries(OTHER_FILES)) assert.ok(sourceOf[what], `${f} absent`);
	});
});

describe('domain-cases.json: computation cases through cassis simulate', { skip: SKIP_CASES }, () => {
	const mine = CASES.filter((c) => COMPUTATIONS[c.kind] || HERE_CHECKS[c.kind]);
	test('there are computation cases', () => assert.ok(mine.length > 0));
	for (const c of mine) {
		test(`${c.id} (${c.kind})`, (t) => {
			const how = COMPUTATIONS[c.kind] ? runComputation(c) : HERE_CHECKS[c.kind](c);
			t.diagnostic(`${c.id}: ${how.join(', ')}`);
		});
	}
});

/* ---------- our own boundary cases ---------- */

const adult = (role = 'demandeur', extra = {}) => person(role, { age: 40, ...extra });
const child = (extra = {}) => person('enfant', { age: 10, ...extra });
const alternating = (extra = {}) => child({ age: 8, garde_alternee: true, ...extra });
const value = (name, situation, opts) => expose([name], situation, opts).values[name];

describe('negative reste à vivre', () => {
	// 900 € of resources, 1 200 € of charges, an adult and a child of 8 (UC 1.3)
	const household = {
		ressources: { lignes: [{ type: 'salaire', montant: '900' }] },
		charges: { lignes: [{ type: 'loyer', montant: '1 000,00 €' }, { type: 'energie', montant: 200 }] },
		personnes: [adult(), child({ age: 8 })],
	};
	test('kept negative, exact, in every form', () => {
		const { values } = expose(['reste_a_vivre_mois', 'reste_a_vivre_jour_personne', 'uc',
			'reste_a_vivre_mois_uc', 'reste_a_vivre_jour_uc'], household);
		assert.equal(values.reste_a_vivre_mois, '-300');
		assert.equal(values.reste_a_vivre_jour_personne, '-5');
		assert.equal(values.uc, '1.3');
		assert.equal(values.reste_a_vivre_mois_uc, '-3000/13');
		assert.equal(values.reste_a_vivre_jour_uc, '-100/13');
	});
	test('a condition on it holds, an amount from it is brought back to 0', () => {
		const res = simulate({
			conditions: [{ libelle: 'Reste à vivre ≤ 5 € par personne et par jour', expression: 'reste_a_vivre_jour_personne <= 5' }],
			montant: 'reste_a_vivre_mois / 10',
		}, household);
		assert.equal(res.issue, 'eligible', res.explication.texte.join('\n'));
		assert.equal(res.montant_centimes, 0);
		assert.ok(res.explication.texte.some((t) => /-5\b|−5\b/.test(t)), res.explication.texte.join('\n'));
	});
	test('zero reste à vivre is not negative', () => {
		assert.equal(value('reste_a_vivre_jour_personne', { ...household, charges: 900 }), '0');
	});
});

describe('missing data: indetermine, naming what is missing', () => {
	const rule = (variable, expression) => ({
		conditions: [{ libelle: `Condition sur ${variable}`, expression }],
		montant: '10',
	});
	function assertMissing(res, variable) {
		assert.equal(res.issue, 'indetermine', res.explication.texte.join('\n'));
		assert.ok(res.manquants.includes(variable), `manquants: ${JSON.stringify(res.manquants)}`);
		assert.equal(res.montant_centimes, null);
		assert.ok(res.explication.texte.some((t) => t.includes(`il manque ${variable}`)), res.explication.texte.join('\n'));
	}
	test('qf_caf without the annual resources', () => {
		const res = simulate(rule('qf_caf', 'qf_caf <= 700'), {
			situation_familiale: 'marie', personnes: [adult(), adult('conjoint'), child()],
			prestations_familiales_mois: 150,
		});
		assertMissing(res, 'qf_caf');
		assert.equal(res.variables.parts_caf, '2.5');
	});
	test('qf_fiscal without the RFR', () => {
		assertMissing(simulate(rule('qf_fiscal', 'qf_fiscal <= 500'),
			{ situation_familiale: 'celibataire', personnes: [adult()] }), 'qf_fiscal');
	});
	test('parts and qf_fiscal of an unmarried couple (two notices), until parts_fiscales is given', () => {
		const household = { situation_familiale: 'concubinage', rfr: 24000,
			personnes: [adult(), adult('conjoint'), child()] };
		assertMissing(simulate(rule('parts', 'parts >= 2'), household), 'parts');
		assertMissing(simulate(rule('qf_fiscal', 'qf_fiscal <= 1000'), household), 'qf_fiscal');
		assert.equal(value('qf_fiscal', { ...household, parts_fiscales: '2.5' }), '800');
	});
	test('uc and the reste à vivre per UC when a child has no age', () => {
		const household = { ressources: 1500, charges: 600, personnes: [adult(), person('enfant')] };
		assertMissing(simulate(rule('uc', 'uc >= 1'), household), 'uc');
		assertMissing(simulate(rule('reste_a_vivre_mois_uc', 'reste_a_vivre_mois_uc <= 800'), household),
			'reste_a_vivre_mois_uc');
		// the per-person figure does not need the ages
		assert.equal(value('reste_a_vivre_jour_personne', household), '15');
		// the chèque énergie scale does not either
		assert.equal(value('uc_cheque_energie', household), '1.5');
	});
	test('reste à vivre without the charges', () => {
		assertMissing(simulate(rule('reste_a_vivre_jour_personne', 'reste_a_vivre_jour_personne <= 10'),
			{ ressources: 1500, personnes: [adult()] }), 'reste_a_vivre_jour_personne');
	});
	test('a fiscal status is needed with a dependant', () => {
		assertMissing(simulate(rule('parts', 'parts >= 1'), { personnes: [adult(), child()] }), 'parts');
	});
	test('an unrelated missing datum does not block a decided condition', () => {
		const res = simulate({
			conditions: [{ libelle: 'QF ≤ 350 ou AAH', expression: 'qf_fiscal <= 350 ou beneficiaire_aah' }],
			montant: '10',
		}, { rfr: 3600, parts_fiscales: '1' });
		assert.equal(res.issue, 'eligible', res.explication.texte.join('\n'));
		assert.deepEqual(res.manquants, []);
	});
	test('a certified qf_caf stands in for the missing resources', () => {
		const { values, out } = expose(['qf_caf'], { qf_caf: 612, personnes: [adult()] });
		assert.equal(values.qf_caf, '612');
		assert.equal(out.variables.qf_caf_certifie, true);
	});
});

/* [what, situation, variable, expected exact value, parts table] */
const ALTERNATING = [
	['chèque énergie: 1 adult + 1 alternating child = 1.25', { personnes: [adult(), alternating()] }, 'uc_cheque_energie', '1.25'],
	['chèque énergie: 1 adult + 2 alternating children = 1.5', { personnes: [adult(), alternating(), alternating()] }, 'uc_cheque_energie', '1.5'],
	['chèque énergie: couple + 1 alternating child = 1.65', { personnes: [adult(), adult('conjoint'), alternating()] }, 'uc_cheque_energie', '1.65'],
	['chèque énergie: couple + 1 child + 1 alternating = 1.95', { personnes: [adult(), adult('conjoint'), child(), alternating()] }, 'uc_cheque_energie', '1.95'],
	['fiscal parts: single (box T off) + 1 alternating = 1.25',
		{ situation_familiale: 'celibataire', cases_fiscales: { T: false }, personnes: [adult(), alternating()] }, 'parts', '1.25'],
	['fiscal parts: couple + 4 alternating = 3.5',
		{ situation_familiale: 'marie', personnes: [adult(), adult('conjoint'), ...Array.from({ length: 4 }, () => alternating())] }, 'parts', '3.5'],
	['fiscal parts: couple + 2 full + 2 alternating = 4 (alternating ranked after)',
		{ situation_familiale: 'pacse', personnes: [adult(), adult('conjoint'), alternating(), child(), alternating(), child()] }, 'parts', '4'],
	['fiscal parts: couple + 1 full + 2 alternating = 3.25',
		{ situation_familiale: 'marie', personnes: [adult(), adult('conjoint'), alternating(), child(), alternating()] }, 'parts', '3.25'],
	['fiscal parts: couple + 2 children + 1 alternating invalid child = 3.75',
		{ situation_familiale: 'marie', personnes: [adult(), adult('conjoint'), child(), child(), alternating({ invalidite: true })] }, 'parts', '3.75'],
	['fiscal parts: widow + 1 alternating child = 2.25',
		{ situation_familiale: 'veuf', personnes: [adult(), alternating()] }, 'parts', '2.25'],
	['CAF parts: an alternating child counts whole (couple + 1 = 2.5)',
		{ situation_familiale: 'marie', personnes: [adult(), adult('conjoint'), alternating()] }, 'parts_caf', '2.5'],
	['CAF parts, Brest: isolated + 1 alternating child = 2',
		{ situation_familiale: 'celibataire', personnes: [adult(), alternating()] }, 'parts_caf', '2', BREST_PARTS],
	['fiscal QF from the computed parts: RFR 24 000, couple + 1 child = 800',
		{ situation_familiale: 'marie', rfr: 24000, personnes: [adult(), adult('conjoint'), child()] }, 'qf_fiscal', '800'],
];

describe('alternating custody', () => {
	for (const [what, situation, variable, want, parts] of ALTERNATING) {
		test(what, () => assert.equal(value(variable, situation, { parts }), want));
	}
	test('the number of alternating children is a variable', () => {
		const { out } = expose(['nb_enfants_garde_alternee'], { personnes: [adult(), alternating(), child(), alternating()] });
		assert.equal(out.variables.nb_enfants_garde_alternee, 2);
		assert.equal(out.montant_centimes, 200);
	});
});

const CASE_T = [
	['single + 1 child: box T from the household = 2', { situation_familiale: 'celibataire', personnes: [adult(), child()] }, '2'],
	['single + 1 child, box T unticked = 1.5', { situation_familiale: 'celibataire', cases_fiscales: { T: false }, personnes: [adult(), child()] }, '1.5'],
	['divorced + 2 children = 2.5', { situation_familiale: 'divorce', personnes: [adult(), child(), child()] }, '2.5'],
	['separated + 3 children = 3.5', { situation_familiale: 'separe', personnes: [adult(), child(), child(), child()] }, '3.5'],
	['single + 1 alternating child only: T counts ¼ = 1.5', { situation_familiale: 'celibataire', personnes: [adult(), alternating()] }, '1.5'],
	['single + 2 alternating children only: T counts ½ = 2', { situation_familiale: 'celibataire', personnes: [adult(), alternating(), alternating()] }, '2'],
	['single + 4 alternating children: 2.5, 3 with T', { situation_familiale: 'celibataire', personnes: [adult(), ...Array.from({ length: 4 }, () => alternating())] }, '3'],
	['single + 1 full + 1 alternating child: T counts ½ = 2.25', { situation_familiale: 'celibataire', personnes: [adult(), child(), alternating()] }, '2.25'],
	['single invalid (P) + 1 child + T = 2.5', { situation_familiale: 'celibataire', personnes: [adult('demandeur', { invalidite: true }), child()] }, '2.5'],
	['single without dependant: no T even ticked = 1', { situation_familiale: 'celibataire', cases_fiscales: { T: true }, personnes: [adult()] }, '1'],
	['single living with a partner: no T = 1.5', { situation_familiale: 'celibataire', personnes: [adult(), adult('conjoint'), child()] }, '1.5'],
	['married: no T = 2.5', { situation_familiale: 'marie', personnes: [adult(), adult('conjoint'), child()] }, '2.5'],
	['widow + 1 child keeps the couple part, no T = 2.5', { situation_familiale: 'veuf', personnes: [adult(), child()] }, '2.5'],
];

describe('box T (parent isolé)', () => {
	for (const [what, situation, want] of CASE_T) {
		test(what, () => assert.equal(value('parts', situation), want));
	}
	test('a parent isolé is one for the rules too', () => {
		const { out } = expose(['parts'], { situation_familiale: 'divorce', personnes: [adult(), child()] });
		assert.equal(out.variables.parent_isole, true);
	});
});

const ac = (age, extra = {}) => person('demandeur', { age, ancien_combattant: true, ...extra });
const FISCAL_BOXES = [
	['couple + 3 children + 1 invalid adult in the home (R) = 5.5',
		{ situation_familiale: 'marie', personnes: [adult(), adult('conjoint'), child(), child(), child(),
			person('personne_a_charge', { age: 70, invalidite: true })] }, '5.5'],
	['a dependant adult who is not invalid is not a fiscal dependant = 1',
		{ situation_familiale: 'celibataire', personnes: [adult(), person('personne_a_charge', { age: 70 })] }, '1'],
	['a child not a_charge does not count = 1',
		{ situation_familiale: 'celibataire', personnes: [adult(), child({ age: 20, a_charge: false })] }, '1'],
	['widow alone with box L = 1.5', { situation_familiale: 'veuf', cases_fiscales: { L: true }, personnes: [adult()] }, '1.5'],
	['single with boxes L and N = 1', { situation_familiale: 'celibataire', cases_fiscales: { L: true, N: true }, personnes: [adult()] }, '1'],
	['single without dependant, P and L: at most ½ = 1.5',
		{ situation_familiale: 'celibataire', cases_fiscales: { L: true }, personnes: [adult('demandeur', { invalidite: true })] }, '1.5'],
	['single of 80, ancien combattant and invalid: at most ½ = 1.5',
		{ situation_familiale: 'celibataire', personnes: [ac(80, { invalidite: true })] }, '1.5'],
	['widow invalid (P) + 1 child = 3', { situation_familiale: 'veuf', personnes: [adult('demandeur', { invalidite: true }), child()] }, '3'],
	['couple, ancien combattant of 75 = 2.5', { situation_familiale: 'marie', personnes: [ac(75), adult('conjoint')] }, '2.5'],
	['couple, P and W: the larger, not the sum = 2.5',
		{ situation_familiale: 'marie', personnes: [ac(76, { invalidite: true }), adult('conjoint')] }, '2.5'],
	['couple, P, F and W = 3',
		{ situation_familiale: 'marie', personnes: [ac(76, { invalidite: true }), adult('conjoint', { invalidite: true })] }, '3'],
	['parts_fiscales given wins over the household = 1.75',
		{ situation_familiale: 'marie', parts_fiscales: '1.75', personnes: [adult(), adult('conjoint')] }, '1.75'],
];

describe('fiscal parts: other boxes', () => {
	for (const [what, situation, want] of FISCAL_BOXES) {
		test(what, () => assert.equal(value('parts', situation), want));
	}
});

/* [what, situation, {variable: exact value}, parts table] */
const WORKED = [
	['CNAF: single parent + 1 child, R 14 400, PF 200: 2.5 parts, QF 560',
		{ situation_familiale: 'celibataire', personnes: [adult(), child()], ressources: { annuelles: 14400 }, prestations_familiales_mois: 200 },
		{ parts_caf: '2.5', qf_caf: '560' }],
	['CNAF: single parent + 3 children, R 18 000, PF 500: 4 parts, QF 500',
		{ situation_familiale: 'divorce', personnes: [adult(), child(), child(), child()], ressources: { annuelles: '18 000' }, prestations_familiales_mois: '500,00' },
		{ parts_caf: '4', qf_caf: '500' }],
	['CNAF: couple + 5 children, two with AEEH, R 20 400, PF 1 300: 6 parts, QF 500',
		{ situation_familiale: 'marie', personnes: [adult(), adult('conjoint'), child({ aeeh: true }), child(), child({ aeeh: true }), child(), child()],
			ressources: { annuelles: 20400 }, prestations_familiales_mois: 1300 },
		{ parts_caf: '6', qf_caf: '500', nb_enfants_handicapes: '2' }],
	['CNAF: no family benefits given counts 0; QF 10 000 / 12 / 2 not rounded',
		{ situation_familiale: 'celibataire', personnes: [adult()], ressources: { annuelles: 10000 } },
		{ parts_caf: '2', qf_caf: '1250/3' }],
	['Brest: isolated + 2 children = 2.5', { situation_familiale: 'celibataire', personnes: [adult(), child(), child()] }, { parts_caf: '2.5' }, BREST_PARTS],
	['Brest: isolated + 3 children = 3.5', { situation_familiale: 'celibataire', personnes: [adult(), child(), child(), child()] }, { parts_caf: '3.5' }, BREST_PARTS],
	['Brest: couple + 2 children = 3', { situation_familiale: 'marie', personnes: [adult(), adult('conjoint'), child(), child()] }, { parts_caf: '3' }, BREST_PARTS],
	['Brest: isolated + 1 child with AEEH = 2.5', { situation_familiale: 'celibataire', personnes: [adult(), child({ aeeh: true })] }, { parts_caf: '2.5' }, BREST_PARTS],
	['Brest: isolated + 1 child, R 12 000: QF 500',
		{ situation_familiale: 'celibataire', personnes: [adult(), child()], ressources: { annuelles: 12000 } }, { parts_caf: '2', qf_caf: '500' }, BREST_PARTS],
	['reste à vivre: 1 200 − 750 for 3 persons = 5 € per person and day',
		{ ressources: 1200, charges: 750, personnes: [adult(), adult('conjoint'), child()] },
		{ reste_a_vivre_mois: '450', reste_a_vivre_jour_personne: '5' }],
	['reste à vivre: the monthly total wins over the lines',
		{ ressources: { mensuelles: 1000, lignes: [{ type: 'salaire', montant: 5000 }] }, charges: { lignes: [{ type: 'loyer', montant: '400,50' }] }, personnes: [adult()] },
		{ ressources_mensuelles: '1000', charges_mensuelles: '400.5', reste_a_vivre_mois: '599.5', reste_a_vivre_jour_personne: '1199/60' }],
	['UC: a child of 14 on the date counts 0.5, of 13 (born the next day) 0.3',
		{ personnes: [adult(), person('enfant', { date_naissance: '2011-01-15' }), person('enfant', { date_naissance: '2011-01-16' })] },
		{ uc: '1.8' }],
	['UC: a partial birth date gives the smallest age (2011 → 13, 2010 → 14, 2011-01 → 13)',
		{ personnes: [adult(), person('enfant', { date_naissance: '2011' }), person('enfant', { date_naissance: '2010' }), person('enfant', { date_naissance: '2011-01' })] },
		{ uc: '2.1' }],
	['UC: a French date 15/01/2011 is 14 on 2025-01-15', { personnes: [adult(), person('enfant', { date_naissance: '15/01/2011' })] }, { uc: '1.5' }],
	['age of the applicant at the date', { personnes: [person('demandeur', { date_naissance: '1985-01-16' })] }, { age_demandeur: '39' }],
];

describe('more worked computations', () => {
	for (const [what, situation, want, parts] of WORKED) {
		test(what, () => {
			const { values } = expose(Object.keys(want), situation, { parts });
			for (const [k, v] of Object.entries(want)) assert.equal(values[k], v, k);
		});
	}
});
