/* encoding.c - see encoding.h. */
#include "import/encoding.h"

#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>

#include "base/alloc.h"
#include "import/shapefile.h"
#include "base/utf8.h"

/* Enough records to see Thai text in a typical attribute table, few enough to be instant. */
#define ENCODING_SAMPLE_FEATURES 2000
#define ENCODING_SAMPLE_CAP 20000

/* TIS-620 / CP874 Thai letters, vowels, tone marks and digits occupy 0xA1-0xFB. */
static int is_thai_byte(unsigned char c)
{
    return c >= 0xA1 && c <= 0xFB && !(c >= 0xDB && c <= 0xDE);
}

static int is_ascii_letter(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

const char *encoding_classify(const char *const *samples, size_t n, int *is_guess)
{
    size_t high = 0, thai = 0, beside_latin = 0;
    int all_utf8 = 1;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)samples[i];
        if (!CPLIsUTF8(samples[i], -1)) {
            all_utf8 = 0;
        }
        for (size_t k = 0; p[k]; k++) {
            if (p[k] < 0x80) {
                continue;
            }
            high++;
            thai += (size_t)is_thai_byte(p[k]);
            beside_latin +=
                (size_t)((k > 0 && is_ascii_letter(p[k - 1])) || is_ascii_letter(p[k + 1]));
        }
    }
    *is_guess = 0;
    if (all_utf8) {
        return "UTF-8";
    }
    /* Thai text in TIS-620 is nearly all high bytes in the Thai block, in runs (words).
     * Latin-1 accents share that byte range but sit between ASCII letters ("Caf\xe9"). */
    if (thai * 10 >= high * 9 && beside_latin * 5 < high) {
        return "CP874";
    }
    *is_guess = 1;
    return "ISO-8859-1";
}

struct sample_list {
    char **samples;
    size_t n, cap;
};

/* Keeps the string values of f that have non-ASCII bytes, then destroys f. */
static void add_samples(struct sample_list *l, OGRFeatureH f)
{
    int nf = OGR_F_GetFieldCount(f);
    for (int i = 0; i < nf; i++) {
        OGRFieldDefnH fd = OGR_F_GetFieldDefnRef(f, i);
        if (OGR_Fld_GetType(fd) != OFTString || !OGR_F_IsFieldSetAndNotNull(f, i)) {
            continue;
        }
        const char *s = OGR_F_GetFieldAsString(f, i);
        int has_high = 0;
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
            has_high |= *p >= 0x80;
        }
        if (has_high) {
            if (l->n == l->cap) {
                l->cap = l->cap == 0 ? 64 : l->cap * 2;
                l->samples = xreallocarray(l->samples, l->cap, sizeof(*l->samples));
            }
            l->samples[l->n++] = xstrdup(s);
        }
    }
    OGR_F_Destroy(f);
}

/* Reads string values as raw bytes (ENCODING="" turns GDAL's recoding off). */
static int sample_strings(const char *shp_path, char ***out, size_t *n_out)
{
    const char *opts[] = {"ENCODING=", NULL};
    GDALDatasetH ds = GDALOpenEx(shp_path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, opts, NULL);
    *out = NULL;
    *n_out = 0;
    if (ds == NULL) {
        return -1;
    }
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    struct sample_list list = {0};
    GIntBig total = layer != NULL ? OGR_L_GetFeatureCount(layer, TRUE) : 0;
    if (total <= ENCODING_SAMPLE_FEATURES) {
        OGRFeatureH f;
        while (layer != NULL && list.n < ENCODING_SAMPLE_CAP &&
               (f = OGR_L_GetNextFeature(layer)) != NULL) {
            add_samples(&list, f);
        }
    } else {
        /* Spread through the whole file: Thai text may start only after thousands of
         * rows with English names or none (shapefile FIDs are 0 .. total-1). */
        for (GIntBig k = 0; k < ENCODING_SAMPLE_FEATURES && list.n < ENCODING_SAMPLE_CAP; k++) {
            OGRFeatureH f = OGR_L_GetFeature(layer, k * total / ENCODING_SAMPLE_FEATURES);
            if (f != NULL) {
                add_samples(&list, f);
            }
        }
    }
    GDALClose(ds);
    *out = list.samples;
    *n_out = list.n;
    return 0;
}

int encoding_check_name(const char *name, struct err *err)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) {
        return err_set(err, ERR_INVALID,
                       "unknown encoding '%s' (try CP874, TIS-620, UTF-8, ISO-8859-1)",
                       utf8_excerpt(name, 40).text);
    }
    iconv_close(cd);
    return ERR_OK;
}

int encoding_for_shapefile(const char *shp_path, const struct shapefile_info *info,
                           const char *user_encoding, struct encoding_choice *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (user_encoding != NULL) {
        int rc = encoding_check_name(user_encoding, err);
        if (rc != ERR_OK) {
            return rc;
        }
        snprintf(out->name, sizeof(out->name), "%s", user_encoding);
        out->origin = ENCODING_FROM_USER;
        return ERR_OK;
    }
    /* Leave declared encodings to GDAL; name stays empty and GDAL reports what it used. */
    if (info->has_cpg) {
        out->origin = ENCODING_FROM_CPG;
        return ERR_OK;
    }
    /* 0x57 ("ANSI", Windows-1252) is what GDAL and ArcGIS write unless told otherwise,
     * so it says nothing about Thai text: the bytes decide. Other drivers are trusted. */
    int is_ansi = info->language_driver == ENCODING_LDID_ANSI;
    if (info->language_driver != 0 && !is_ansi) {
        out->origin = ENCODING_FROM_LDID;
        return ERR_OK;
    }
    char **samples = NULL;
    size_t n = 0;
    out->origin = ENCODING_DETECTED;
    if (sample_strings(shp_path, &samples, &n) != 0) {
        /* Opening failed: the caller's own open reports why with GDAL's message. */
        snprintf(out->name, sizeof(out->name), "UTF-8");
        return ERR_OK;
    }
    const char *name = encoding_classify((const char *const *)samples, n, &out->is_guess);
    for (size_t i = 0; i < n; i++) {
        free(samples[i]);
    }
    free(samples);
    if (is_ansi && strcmp(name, "CP874") != 0) {
        out->origin = ENCODING_FROM_LDID; /* nothing against the header: GDAL decodes it */
        out->is_guess = 0;
        return ERR_OK;
    }
    snprintf(out->name, sizeof(out->name), "%s", name);
    out->origin = is_ansi ? ENCODING_DETECTED_NOT_ANSI : ENCODING_DETECTED;
    return ERR_OK;
}

const char *encoding_describe(const struct encoding_choice *c, char *out, size_t cap)
{
    static const char *const origins[] = {"given", ".cpg", "DBF header", "detected",
                                          "detected; the DBF header says ANSI"};
    snprintf(out, cap, "%s (%s%s)", c->name[0] ? c->name : "as declared", origins[c->origin],
             c->is_guess ? ", uncertain: check text or use --encoding" : "");
    return out;
}
