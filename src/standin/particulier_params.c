#include "standin/particulier_params.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/utf8.h"

#define UNPROCESSABLE "Entité non traitable"

static const struct pp_error errors[] = {
    {"00210", UNPROCESSABLE, "Le paramètre recipient n'est pas un siret valide", "recipient"},
    {"00356", UNPROCESSABLE, "L'année demandée doit être l'année en cours (N), N-1 ou N-2.", NULL},
    {"00354", UNPROCESSABLE, "Le mois demandé est incorrect ou est dans le futur.", NULL},
    {"00427", UNPROCESSABLE, "Le sexe de l'état civil est manquant", NULL},
    {"00365", UNPROCESSABLE, "Le lieu de naissance n'est pas correctement formaté", NULL},
    {"00422", UNPROCESSABLE, "L'annee de naissance est manquante", NULL},
    {"00428", UNPROCESSABLE, "Le code cog du département de naissance est manquant ou invalide",
     NULL},
    {"00400", UNPROCESSABLE, "Le code pays INSEE n'est pas correctement formaté", NULL},
    {"00363", UNPROCESSABLE, "La date de naissance n'est pas correctement formatté", NULL},
    {"00367", UNPROCESSABLE, "Le ou les prénoms sont manquants.", NULL},
    {"00420", UNPROCESSABLE, "Le nom de naissance est manquant", NULL},
    {"00101", "Interdit", "Votre token n'est pas valide ou n'est pas renseigné", "token"},
    {"00103", "Jeton expiré",
     "Votre token est expiré. Vous devez refaire une demande à API Particulier, un guide est "
     "disponible sur "
     "https://particulier.api.gouv.fr/faq#comment-renouveler-mon-jeton-arrivant-a-expiration",
     "token"},
    {"00105", "Jeton sur liste noire",
     "Votre jeton est sur liste noire, celui-ci a certainement été divulgué sur un canal "
     "non-sécurisé. Vous pouvez trouver un jeton valide sur votre espace personnel: "
     "https://particulier.api.gouv.fr/compte",
     "token"},
    {"00100", "Privilèges insuffisants",
     "Votre token est valide mais vos privilèges sont insuffisants. Listez vos privilèges sur "
     "/api/introspect",
     "token"},
    {"00015", "Conflit", "Une requête associé à votre jeton est déjà en cours", NULL},
    {"00429", "Trop de requêtes", "Vous avez effectué trop de requêtes", NULL},
    {"00500", "Erreur interne",
     "Une erreur interne a été détectée, l'équipe d'API Entreprise a été notifié de l'erreur.",
     NULL},
    {"37003", "Dossier allocataire absent CNAV",
     "Le dossier allocataire n'a pas été trouvé auprès de la CNAV.", NULL},
    {"37999", "Erreur inconnue du fournisseur de données",
     "La réponse retournée par le fournisseur de données est invalide et inconnue de notre "
     "service. L'équipe technique a été notifiée de cette erreur pour investigation.",
     NULL},
    {"37020", "Maintenance du fournisseur de données",
     "Le fournisseur de données est en maintenance de 23:00 à 23:45", NULL},
    {"37002", "Intermédiaire hors-délai",
     "Temps d’attente d’une réponse du fournisseur de données écoulé.", NULL},
};

const struct pp_error *pp_error_of(const char *code)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (strcmp(errors[i].code, code) == 0)
			return &errors[i];
	return NULL;
}

/* ---- small checks ------------------------------------------------------ */

static int all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int pp_recipient_valid(const char *s)
{
	if (!s || !all_digits(s, 14))
		return 0;
	if (strncmp(s, "356000000", 9) == 0)
		return 1;
	int sum = 0;
	for (int i = 0; i < 14; i++) {
		int d = s[13 - i] - '0';
		if (i % 2) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

/* Ruby's String#to_i: leading blanks, a sign, digits up to the first other
 * character; 0 when there is none. Clamped to the int range. */
static long rb_to_i(const char *s)
{
	if (!s)
		return 0;
	while (isspace((unsigned char)*s))
		s++;
	int neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	long v = 0;
	for (; isdigit((unsigned char)*s); s++)
		if (v < INT_MAX)
			v = v * 10 + (*s - '0');
	if (v > INT_MAX)
		v = INT_MAX;
	return neg ? -v : v;
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* Letters of [a-zA-ZÀ-ÖØ-öø-ÿ' -]: the characters of a name. */
static int name_char(long cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '\'' || cp == ' ' ||
	       cp == '-' || (cp >= 0xC0 && cp <= 0xD6) || (cp >= 0xD8 && cp <= 0xF6) ||
	       (cp >= 0xF8 && cp <= 0xFF);
}

/* A non-empty name made of name characters (typographic apostrophes are
 * made plain first, as the real API does). */
static int valid_name(const char *s)
{
	if (!s || !*s)
		return 0;
	size_t i = 0;
	long cp;
	while ((cp = utf8_next(s, &i)) != 0)
		if (cp < 0 || (cp != 0x2019 && !name_char(cp)))
			return 0;
	return 1;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

static long ymd(long y, long m, long d)
{
	return y * 10000 + m * 100 + d;
}

/* The date before y-m-d, as yyyymmdd. */
static long yesterday(int y, int m, int d)
{
	if (d > 1)
		return ymd(y, m, d - 1);
	if (m > 1)
		return ymd(y, m - 1, days_in_month(y, m - 1));
	return ymd(y - 1, 12, 31);
}

/* ---- the validators, in the order of the real API ---------------------- */

struct today {
	int y, m, d;
};

static int annee_ok(const struct sp_params *q, const struct today *t)
{
	const struct sp_param *p = sp_get(q, "annee");
	if (!p)
		return 1;
	const char *s = sp_str(q, "annee");
	if (!s || !all_digits(s, 4))
		return 0;
	long y = rb_to_i(s);
	return y >= t->y - 2 && y <= t->y;
}

static int mois_ok(const struct sp_params *q, const struct today *t)
{
	if (!sp_get(q, "mois"))
		return 1;
	long m = rb_to_i(sp_str(q, "mois"));
	if (m < 1 || m > 12)
		return 0;
	const char *annee = sp_str(q, "annee");
	return !(annee && rb_to_i(annee) >= t->y && m > t->m);
}

static int sexe_ok(const struct sp_params *q)
{
	const char *s = sp_str(q, "sexeEtatCivil");
	if (!sp_get(q, "sexeEtatCivil") || (s && blank(s)))
		return 1;
	return s && (strcasecmp(s, "M") == 0 || strcasecmp(s, "F") == 0);
}

/* ^([013-9]\d|2[AB1-9])\d{3}$ */
static int commune_code_ok(const char *s)
{
	if (strlen(s) != 5 || !all_digits(s + 2, 3))
		return 0;
	if (s[0] == '2')
		return s[1] == 'A' || s[1] == 'B' || (s[1] >= '1' && s[1] <= '9');
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]);
}

static int departement_ok(const char *s)
{
	if (all_digits(s, 2) || all_digits(s, 3))
		return 1;
	return strcmp(s, "2A") == 0 || strcmp(s, "2B") == 0 || strcmp(s, "2a") == 0 ||
	       strcmp(s, "2b") == 0;
}

static void add(const struct pp_error **errs, int max, int *n, const char *code)
{
	if (*n < max)
		errs[*n] = pp_error_of(code);
	(*n)++;
}

/* The commune code when given, else the triple name + departement + year
 * of birth, else nothing (acceptable for people born abroad only). */
static void check_birth_place(const struct sp_params *q, const struct today *t,
                              const struct pp_error **errs, int max, int *n)
{
	const char *commune = sp_str(q, "codeCogInseeCommuneNaissance");
	const char *pays = sp_str(q, "codeCogInseePaysNaissance");
	const char *nom = sp_str(q, "nomCommuneNaissance");
	const char *dep = sp_str(q, "codeCogInseeDepartementNaissance");
	const char *annee = sp_str(q, "anneeDateNaissance");
	int france = pays && strcmp(pays, "99100") == 0;
	if (!blank(commune)) {
		if (!commune_code_ok(commune))
			add(errs, max, n, "00365");
		return;
	}
	if (!blank(nom) && !blank(dep) && !blank(annee)) {
		if (!all_digits(annee, 4) || rb_to_i(annee) > t->y)
			add(errs, max, n, "00422");
		if (!departement_ok(dep))
			add(errs, max, n, "00428");
		return;
	}
	if (france)
		add(errs, max, n, "00365");
}

static int pays_ok(const struct sp_params *q)
{
	const char *s = sp_str(q, "codeCogInseePaysNaissance");
	if (!s || !all_digits(s, 5))
		return 0;
	return strncmp(s, "99", 2) == 0 || strcmp(s, "92352") == 0;
}

static int present(const struct sp_params *q, const char *name)
{
	return sp_get(q, name) != NULL;
}

static int date_ok(const struct sp_params *q, const struct today *t)
{
	long y = rb_to_i(sp_str(q, "anneeDateNaissance"));
	long m = rb_to_i(sp_str(q, "moisDateNaissance"));
	long d = rb_to_i(sp_str(q, "jourDateNaissance"));
	int hy = present(q, "anneeDateNaissance"), hm = present(q, "moisDateNaissance"),
	    hd = present(q, "jourDateNaissance");
	if ((hy && y <= 0) || (hm && (m < 1 || m > 12)) || (hd && (d < 1 || d > 31)))
		return 0;
	if (!hy || !hm || !hd)
		return 1;
	if (d > days_in_month((int)y, (int)m))
		return 0;
	return ymd(y, m, d) >= ymd(1900, 1, 1) && ymd(y, m, d) <= yesterday(t->y, t->m, t->d);
}

static int prenoms_ok(const struct sp_params *q)
{
	const struct sp_param *p = sp_get(q, "prenoms");
	if (!p)
		return 1;
	if (!p->is_list || p->nvalues == 0)
		return 0;
	for (int i = 0; i < p->nvalues; i++)
		if (!valid_name(p->values[i]))
			return 0;
	return 1;
}

int pp_validate(const struct sp_params *q, int y, int m, int d, const struct pp_error **errs,
                int max)
{
	struct today t = {y, m, d};
	int n = 0;
	if (!annee_ok(q, &t))
		add(errs, max, &n, "00356");
	if (!mois_ok(q, &t))
		add(errs, max, &n, "00354");
	if (!sexe_ok(q))
		add(errs, max, &n, "00427");
	check_birth_place(q, &t, errs, max, &n);
	if (!pays_ok(q))
		add(errs, max, &n, "00400");
	if (!date_ok(q, &t))
		add(errs, max, &n, "00363");
	if (!prenoms_ok(q))
		add(errs, max, &n, "00367");
	if (!valid_name(sp_str(q, "nomNaissance")))
		add(errs, max, &n, "00420");
	return n < max ? n : max;
}

/* ---- the matching key -------------------------------------------------- */

/* Rails' CGI.escape: unreserved characters kept, space as "+". */
static void escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			buf_putc(b, (char)*p);
		} else if (*p == ' ') {
			buf_putc(b, '+');
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

struct pieces {
	char *items[16];
	int n;
};

static void piece_text(struct pieces *ps, const char *name, const char *value)
{
	if (!value || !*value || ps->n == 16)
		return;
	char *plain = sp_plain_apostrophes(value);
	char *low = sp_lower(plain);
	struct buf b;
	buf_init(&b, 64 * 1024);
	escape(&b, name);
	buf_putc(&b, '=');
	escape(&b, low);
	ps->items[ps->n++] = buf_steal(&b);
	free(low);
	free(plain);
}

static void piece_int(struct pieces *ps, const char *name, long v)
{
	char num[24];
	if (v == 0)
		return;
	snprintf(num, sizeof(num), "%ld", v);
	piece_text(ps, name, num);
}

static void piece_prenoms(struct pieces *ps, const struct sp_param *p)
{
	if (!p || p->nvalues == 0 || ps->n == 16)
		return;
	struct buf b;
	buf_init(&b, 64 * 1024);
	for (int i = 0; i < p->nvalues; i++) {
		char *plain = sp_plain_apostrophes(p->values[i]);
		char *low = sp_lower(plain);
		buf_puts(&b, i ? "&prenoms%5B%5D=" : "prenoms%5B%5D=");
		escape(&b, low);
		free(low);
		free(plain);
	}
	ps->items[ps->n++] = buf_steal(&b);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void date_pieces(struct pieces *ps, const struct sp_params *p)
{
	long y = rb_to_i(sp_str(p, "anneeDateNaissance"));
	long m = y > 0 ? rb_to_i(sp_str(p, "moisDateNaissance")) : 0;
	long d = m > 0 ? rb_to_i(sp_str(p, "jourDateNaissance")) : 0;
	piece_int(ps, "anneeDateNaissance", y > 0 ? y : 0);
	piece_int(ps, "moisDateNaissance", m > 0 ? m : 0);
	piece_int(ps, "jourDateNaissance", d > 0 ? d : 0);
}

char *pp_match_key(const struct sp_params *p)
{
	static const char *const texts[] = {
	    "nomNaissance",        "nomUsage",
	    "sexeEtatCivil",       "codeCogInseePaysNaissance",
	    "nomCommuneNaissance", "codeCogInseeDepartementNaissance"};
	struct pieces ps = {.n = 0};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		piece_text(&ps, texts[i], sp_str(p, texts[i]));
	const char *pays = sp_str(p, "codeCogInseePaysNaissance");
	if (pays && strcmp(pays, "99100") == 0)
		piece_text(&ps, "codeCogInseeCommuneNaissance",
		           sp_str(p, "codeCogInseeCommuneNaissance"));
	const struct sp_param *prenoms = sp_get(p, "prenoms");
	piece_prenoms(&ps, prenoms);
	date_pieces(&ps, p);
	piece_int(&ps, "annee", rb_to_i(sp_str(p, "annee")));
	piece_int(&ps, "mois", rb_to_i(sp_str(p, "mois")));
	qsort(ps.items, (size_t)ps.n, sizeof(char *), by_text);
	struct buf b;
	buf_init(&b, 1024 * 1024);
	for (int i = 0; i < ps.n; i++) {
		if (i)
			buf_putc(&b, '&');
		buf_puts(&b, ps.items[i]);
		free(ps.items[i]);
	}
	return buf_steal(&b);
}
