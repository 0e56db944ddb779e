// `cassis check KIND VALUE`: the identifier checks through the command
// line. Exit 0 when valid (warnings printed), 1 with the precise reason in
// French when invalid, 2 on bad usage. The identifier cases of the shared
// domain reference (../shared/reference/domain-cases.json) run when it is
// there; our own cases always run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { ROOT, cli } from './lib/server.mjs';

const SHARED = process.env.CASSIS_SHARED || path.join(ROOT, '..', 'shared');
const CASES_FILE = path.join(SHARED, 'reference', 'domain-cases.json');
const HAS_CASES = fs.existsSync(CASES_FILE);

function check(kind, value, extra = []) {
	return cli(['check', kind, value, ...extra]);
}

function checkJson(kind, value) {
	const r = check(kind, value, ['--json']);
	return { status: r.status, out: JSON.parse(r.stdout) };
}

/* [kind, value, expected code or 'valid', optional text the output must contain] */
const OWN_CASES = [
	['nir', '2 95 10 99 126 111 93', 'valid'],
	['nir', '253072B07300470', 'valid'],
	['nir', '253072a07300443', 'valid'],
	['nir', '295109912611199', 'invalid_checksum', 'clé'],
	['nir', '223145935012322', 'invalid_month', 'mois'],
	['nir', '395109912611193', 'invalid_sex', 'sexe'],
	['nir', '284050032102552', 'invalid_department', 'département'],
	['nir', '2840588321025', 'invalid_length', 'ici 32'],
	['nir', '2951099126111X3', 'invalid_format'],
	['iban', 'FR14 2004 1010 0505 0001 3M02 606', 'valid'],
	['iban', 'FR7630006000011234567890188', 'invalid_checksum', 'modulo 97'],
	['iban', 'FR763000600001123456789018', 'invalid_length', '27'],
	['iban', 'DE89 3704 0044 0532 0130 00', 'valid'],
	['rib', '30006 00001 12345678901 89', 'valid'],
	['rib', '30006 00001 12345678901 88', 'invalid_checksum', 'clé RIB'],
	['siret', '21750001600019', 'valid'],
	['siret', '21750001600018', 'invalid_checksum'],
	['numero-fiscal', '30 23 217 600 053', 'valid'],
	['numero-fiscal', '9701987765432', 'invalid_component'],
	['numero-fiscal', '302321760005', 'invalid_length'],
	['reference-avis', '21 09 A0 12 34 56 7', 'valid'],
	['reference-avis', '2109A012345', 'invalid_length'],
	['cog', '2A004', 'valid'],
	['cog', '99134', 'valid'],
	['cog', '20004', 'invalid_department'],
	['code-postal', '20000', 'valid'],
	['code-postal', '2A000', 'invalid_format'],
	['code-postal', '96100', 'invalid_department'],
	['numero-allocataire', '0000354', 'valid'],
];

describe('cassis check: own cases', () => {
	for (const [kind, value, expected, text] of OWN_CASES) {
		test(`${kind} ${value} → ${expected}`, () => {
			const r = check(kind, value);
			assert.equal(r.status, expected === 'valid' ? 0 : 1, r.stdout + r.stderr);
			if (text) assert.ok(r.stdout.includes(text), `"${text}" not in: ${r.stdout}`);
			const j = checkJson(kind, value);
			assert.equal(j.out.valide, expected === 'valid');
			assert.equal(j.out.code, expected === 'valid' ? null : expected);
			assert.equal(typeof j.out.valeur_normalisee, 'string');
		});
	}

	test('a valid value with a warning: exit 0, the warning printed in French', () => {
		const r = check('numero-fiscal', '3023217600054');
		assert.equal(r.status, 0);
		assert.match(r.stdout, /^Numéro fiscal valide : 3023217600054$/m);
		assert.match(r.stdout, /^Attention : .*modulo 511/m);
		const j = checkJson('numero-fiscal', '3023217600054');
		assert.equal(j.out.avertissements.length, 1);
	});

	test('an invalid value: the precise reason in French', () => {
		const r = check('nir', '223145935012322');
		assert.equal(r.status, 1);
		assert.match(r.stdout, /^NIR invalide : Le mois de naissance du NIR .* vaut 14/m);
	});

	test('the value in several arguments, or from standard input', () => {
		let r = cli(['check', 'nir', '2', '95', '10', '99', '126', '111', '93']);
		assert.equal(r.status, 0, r.stdout + r.stderr);
		r = cli(['check', 'iban', '-'], { input: 'FR76 3000 6000 0112 3456 7890 189\n' });
		assert.equal(r.status, 0, r.stdout + r.stderr);
		r = cli(['check', 'iban', '-'], { input: 'FR76 3000 6000 0112 3456 7890 188\n' });
		assert.equal(r.status, 1);
	});

	test('bad usage exits 2 with a French message on stderr', () => {
		for (const args of [['check'], ['check', 'nir'], ['check', 'passeport', 'X']]) {
			const r = cli(args);
			assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
			assert.match(r.stderr, /cassis check: /);
		}
		const r = cli(['check', '--help']);
		assert.equal(r.status, 0);
		assert.match(r.stdout, /numero-fiscal/);
	});
});

/* Identifier kinds of the reference → `cassis check` kinds. */
const REFERENCE_KINDS = {
	nir: 'nir',
	nir_strict: 'nir',
	iban: 'iban',
	numero_fiscal: 'numero-fiscal',
	reference_avis_impot: 'reference-avis',
	numero_allocataire_caf: 'numero-allocataire',
	code_insee: 'cog',
	code_postal: 'code-postal',
};
const KNOWN_CODES = new Set(['invalid_length', 'invalid_format', 'invalid_sex', 'invalid_month',
	'invalid_department', 'invalid_component', 'invalid_country', 'invalid_checksum']);

describe('cassis check: identifier cases of the shared reference', { skip: HAS_CASES ? false : `${CASES_FILE} absent` }, () => {
	const cases = HAS_CASES ? JSON.parse(fs.readFileSync(CASES_FILE, 'utf8')) : [];
	const mine = cases.filter((c) => REFERENCE_KINDS[c.kind]);
	test('there are identifier cases', () => assert.ok(mine.length > 0));
	for (const c of mine) {
		test(`${c.id} (${c.kind})`, () => {
			const value = Object.values(c.inputs).find((v) => typeof v === 'string');
			const kind = REFERENCE_KINDS[c.kind];
			const expected = c.expected.result;
			const j = checkJson(kind, value);
			// the numéro fiscal's unofficial mod-511 key only warns
			if (kind === 'numero-fiscal' && expected === 'invalid_checksum') {
				assert.equal(j.status, 0);
				assert.ok(j.out.avertissements.length > 0);
				return;
			}
			assert.equal(j.status, expected === 'valid' ? 0 : 1, JSON.stringify(j.out));
			assert.equal(j.out.valide, expected === 'valid');
			if (KNOWN_CODES.has(expected)) assert.equal(j.out.code, expected);
		});
	}
	test('RIB keys of the reference', () => {
		for (const c of cases.filter((x) => x.kind === 'rib_key')) {
			const { code_banque: b, code_guichet: g, numero_compte: n } = c.inputs;
			const r = check('rib', `${b}${g}${n}${c.expected.cle_rib}`);
			assert.equal(r.status, 0, `${c.id}: ${r.stdout}`);
		}
	});
});
