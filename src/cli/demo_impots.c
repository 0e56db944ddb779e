#include "cli/demo_impots.h"

#include "cli/demo_data.h"

const char *const demo_spis[][2] = {
    {"3049990101242", "3049990151292"}, /* Lefèvre, Lefebvre */
    {"3049990102243", NULL},            /* Müller */
    {"3049990103244", NULL},            /* N'Diaye */
    {"3049990104245", "3049990154295"}, /* Martin */
    {"3049990105246", NULL},            /* Rousseau (Morel) */
    {"3049990106247", "3049990156297"}, /* Benali */
    {"3049990107248", NULL},            /* Lefebvre François */
    {"3049990108249", NULL},            /* Gauthier */
    {"3049990109250", "3049990159300"}, /* Da Silva */
    {"3049990110251", NULL},            /* Lambert */
    {"3049990111252", "3049990161302"}, /* Petit */
    {"3049990112253", NULL},            /* Lecœur */
};

const int demo_spis_count = sizeof(demo_spis) / sizeof(demo_spis[0]);

static void print_person(FILE *out, const struct demo_person *p, const char *spi)
{
	fprintf(out, "%s %s %s", p->prenom, p->nom_usage ? p->nom_usage : p->nom, spi);
}

void demo_print_spis(FILE *out)
{
	fprintf(out,
	        "Numéros fiscaux fictifs des foyers, pour « Vérifier la situation » (simulateur "
	        "de l'API Impôt particulier) :\n");
	for (int i = 0; i < demo_spis_count && (size_t)i < demo_households_count; i++) {
		const struct demo_person *m = demo_households[i].members;
		fprintf(out, "  ");
		print_person(out, &m[0], demo_spis[i][0]);
		if (demo_spis[i][1] && m[1].relation) {
			fprintf(out, " ; ");
			print_person(out, &m[1], demo_spis[i][1]);
		}
		fputc('\n', out);
	}
}
