/* export_gpkg.c - see export_gpkg.h. Order of work: check the whole spec and count the
 * features (no file yet), then build the GeoPackage in a fresh temporary folder beside
 * out_path, flush it to disk and rename it into place; every failure path removes the
 * folder. One gdal_errors capture spans the GDAL work so messages reach struct err. */
#include "export/export_gpkg.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpl_string.h>

#include "base/alloc.h"
#include "base/log.h"
#include "export/export_gpkg_int.h"
#include "export/export_ogr_geom.h"

/* The file's name inside its temporary folder. */
#define TEMP_NAME "export.gpkg"

/* Checking the spec */

static bool is_name_char(char c, const char *extra)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr(extra, c) != NULL;
}

/* Table names become SQLite identifiers and QGIS layer names: plain characters only, and
 * none of the prefixes GeoPackage and SQLite keep for themselves. */
static int check_table_name(const char *name, const char *what, struct err *err)
{
    size_t len = name != NULL ? strlen(name) : 0;
    bool ok = len > 0 && len <= EXPORT_GPKG_MAX_NAME_LEN;
    for (size_t i = 0; ok && i < len; i++) {
        ok = is_name_char(name[i], "-_");
    }
    if (!ok) {
        return err_set(err, ERR_INVALID,
                       "%s '%s': a table name is 1 to %d letters, digits, '-' or '_'", what,
                       name != NULL ? name : "(null)", EXPORT_GPKG_MAX_NAME_LEN);
    }
    if (strncasecmp(name, "gpkg_", 5) == 0 || strncasecmp(name, "rtree_", 6) == 0 ||
        strncasecmp(name, "sqlite_", 7) == 0) {
        return err_set(err, ERR_INVALID,
                       "%s '%s': names starting with gpkg_, rtree_ or sqlite_ are reserved", what,
                       name);
    }
    return ERR_OK;
}

static int check_extent(const double e[4], struct err *err)
{
    bool finite = isfinite(e[0]) && isfinite(e[1]) && isfinite(e[2]) && isfinite(e[3]);
    if (!finite || e[0] < -180 || e[2] > 180 || e[1] < -90 || e[3] > 90 || e[0] >= e[2] ||
        e[1] >= e[3]) {
        return err_set(err, ERR_INVALID,
                       "extent [%g, %g, %g, %g]: expected min_lon < max_lon in [-180, 180] and "
                       "min_lat < max_lat in [-90, 90]",
                       e[0], e[1], e[2], e[3]);
    }
    return ERR_OK;
}

static int check_metadata(const struct export_gpkg_spec *spec, struct err *err)
{
    if (spec->n_metadata > EXPORT_GPKG_MAX_METADATA) {
        return err_set(err, ERR_TOO_LARGE, "%zu metadata rows: at most %d", spec->n_metadata,
                       EXPORT_GPKG_MAX_METADATA);
    }
    for (size_t i = 0; i < spec->n_metadata; i++) {
        const char *key = spec->metadata[i].key;
        size_t len = key != NULL ? strlen(key) : 0;
        bool ok = len > 0 && len <= EXPORT_GPKG_MAX_KEY_LEN;
        for (size_t k = 0; ok && k < len; k++) {
            ok = is_name_char(key[k], "-_.");
        }
        if (!ok) {
            return err_set(err, ERR_INVALID,
                           "metadata key '%s': 1 to %d letters, digits, '-', '_' or '.'",
                           key != NULL ? key : "(null)", EXPORT_GPKG_MAX_KEY_LEN);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(spec->metadata[j].key, key) == 0) {
                return err_set(err, ERR_INVALID, "metadata key '%s' given twice", key);
            }
        }
    }
    return ERR_OK;
}

/* Table names, the metadata table's included, must differ case-insensitively (SQLite
 * compares identifiers that way). */
static int check_names_distinct(const struct export_gpkg_spec *spec, struct err *err)
{
    for (size_t i = 0; i < spec->n_layers; i++) {
        const char *name = spec->layers[i].out_name;
        if (spec->metadata_table != NULL && strcasecmp(name, spec->metadata_table) == 0) {
            return err_set(err, ERR_INVALID, "table '%s' is also the metadata table", name);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcasecmp(spec->layers[j].out_name, name) == 0) {
                return err_set(err, ERR_INVALID, "table '%s' is given twice", name);
            }
        }
    }
    return ERR_OK;
}

/* A lookup's column is a new name and its source a text field of the layer. */
static int check_lookup(const struct export_gpkg_layer *l, const struct export_gpkg_lookup *lookup,
                        struct err *err)
{
    int rc = check_table_name(lookup->name, "lookup column", err);
    if (rc != ERR_OK) {
        return rc;
    }
    if (store_layer_field_index(l->layer, lookup->name) >= 0) {
        return err_set(err, ERR_INVALID, "lookup column '%s' is already a field", lookup->name);
    }
    long from = store_layer_field_index(l->layer, lookup->from);
    if (from < 0 || l->layer->fields[from].type != STORE_TEXT) {
        return err_set(err, ERR_INVALID, "lookup source '%s' is not a text field", lookup->from);
    }
    return ERR_OK;
}

static int check_layers(struct store_read *rd, const struct export_gpkg_spec *spec, struct err *err)
{
    if (spec->n_layers > EXPORT_GPKG_MAX_LAYERS) {
        return err_set(err, ERR_TOO_LARGE, "%zu layers: at most %d", spec->n_layers,
                       EXPORT_GPKG_MAX_LAYERS);
    }
    if (spec->n_layers == 0 && spec->metadata_table == NULL) {
        return err_set(err, ERR_INVALID, "nothing to export: no layers and no metadata table");
    }
    for (size_t i = 0; i < spec->n_layers; i++) {
        const struct export_gpkg_layer *l = &spec->layers[i];
        if (l->layer == NULL || store_read_layer(rd, l->layer->id) != l->layer) {
            return err_set(err, ERR_INVALID, "layer %zu is not a layer of this snapshot", i);
        }
        int rc = check_table_name(l->out_name, "table", err);
        for (size_t k = 0; rc == ERR_OK && k < l->n_lookups; k++) {
            rc = check_lookup(l, &l->lookups[k], err);
        }
        if (rc == ERR_OK && l->style != NULL && strcasecmp(l->out_name, "layer_styles") == 0) {
            rc = err_set(err, ERR_INVALID, "table 'layer_styles' holds the styles");
        }
        if (rc != ERR_OK) {
            return err_prefix(err, "layer '%s'", l->layer->id);
        }
    }
    return check_names_distinct(spec, err);
}

static int check_spec(struct store_read *rd, const struct export_gpkg_spec *spec, struct err *err)
{
    int rc = spec->has_extent ? check_extent(spec->extent, err) : ERR_OK;
    if (rc == ERR_OK && spec->max_features < 0) {
        rc = err_set(err, ERR_INVALID, "max_features must be 0 or more");
    }
    if (rc == ERR_OK && spec->metadata_table != NULL) {
        rc = check_table_name(spec->metadata_table, "metadata table", err);
    }
    if (rc == ERR_OK) {
        rc = check_metadata(spec, err);
    }
    return rc == ERR_OK ? check_layers(rd, spec, err) : rc;
}

/* Checks each filter and counts the matches, so a refused export costs no file. The
 * counts are exact and cached per layer version, so an export that goes ahead does not
 * pay for them twice on the next request. */
static int check_counts(struct store_read *rd, const struct export_gpkg_spec *spec, struct err *err)
{
    int64_t cap = spec->max_features > 0 ? spec->max_features : EXPORT_GPKG_MAX_FEATURES;
    int64_t total = 0;
    for (size_t i = 0; i < spec->n_layers; i++) {
        const struct export_gpkg_layer *l = &spec->layers[i];
        struct store_query q;
        export_gpkg_query(spec, l, &q);
        int64_t n = 0;
        int rc = store_query_check(rd, &q, err);
        if (rc == ERR_OK) {
            rc = store_features_count(rd, &q, &n, err);
        }
        if (rc != ERR_OK) {
            return err_prefix(err, "layer '%s'", l->layer->id);
        }
        total += n;
    }
    if (total > cap) {
        return err_set(err, ERR_TOO_LARGE,
                       "the export would hold %lld features, more than the limit of %lld: "
                       "choose a smaller extent, stricter filters or fewer layers",
                       (long long)total, (long long)cap);
    }
    return ERR_OK;
}

/* GDAL */

static pthread_mutex_t register_lock = PTHREAD_MUTEX_INITIALIZER;

/* GDAL's GeoPackage driver, registering the drivers when nobody has yet (or when an import
 * in this process has destroyed them again with import_shutdown). */
static GDALDriverH gpkg_driver(void)
{
    pthread_mutex_lock(&register_lock);
    GDALDriverH driver = GDALGetDriverByName("GPKG");
    if (driver == NULL) {
        GDALAllRegister();
        driver = GDALGetDriverByName("GPKG");
    }
    pthread_mutex_unlock(&register_lock);
    return driver;
}

/* The metadata rows as an attribute table (key, value). */
static int write_metadata_table(const struct export_gpkg_job *job,
                                const struct export_gpkg_spec *spec, struct err *err)
{
    char **options = CSLSetNameValue(NULL, "FID", "fid");
    OGRLayerH table = GDALDatasetCreateLayer(job->ds, spec->metadata_table, NULL, wkbNone, options);
    CSLDestroy(options);
    if (table == NULL) {
        return export_gpkg_gdal_error(job, err, ERR_INTERNAL, "creating the table");
    }
    const char *names[2] = {"key", "value"};
    for (int i = 0; i < 2; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(names[i], OFTString);
        OGRErr oe = OGR_L_CreateField(table, fd, FALSE);
        OGR_Fld_Destroy(fd);
        if (oe != OGRERR_NONE) {
            return export_gpkg_gdal_error(job, err, ERR_INTERNAL, "creating its fields");
        }
    }
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < spec->n_metadata; i++) {
        const struct export_gpkg_meta *m = &spec->metadata[i];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(table));
        OGR_F_SetFieldString(f, 0, m->key);
        OGR_F_SetFieldString(f, 1, m->value != NULL ? m->value : "");
        if (OGR_L_CreateFeature(table, f) != OGRERR_NONE) {
            rc = export_gpkg_gdal_error(job, err, ERR_IO, "writing a row");
        }
        OGR_F_Destroy(f);
    }
    return rc;
}

static int write_metadata(const struct export_gpkg_job *job, const struct export_gpkg_spec *spec,
                          struct err *err)
{
    for (size_t i = 0; i < spec->n_metadata; i++) {
        const struct export_gpkg_meta *m = &spec->metadata[i];
        if (GDALSetMetadataItem(job->ds, m->key, m->value != NULL ? m->value : "", NULL) !=
            CE_None) {
            return export_gpkg_gdal_error(job, err, ERR_INTERNAL, "setting the dataset metadata");
        }
    }
    if (spec->metadata_table == NULL) {
        return ERR_OK;
    }
    int rc = write_metadata_table(job, spec, err);
    return rc == ERR_OK ? ERR_OK : err_prefix(err, "metadata table '%s'", spec->metadata_table);
}

static int write_contents(struct store_read *rd, const struct export_gpkg_job *job,
                          const struct export_gpkg_spec *spec, struct err *err)
{
    for (size_t i = 0; i < spec->n_layers; i++) {
        const struct export_gpkg_layer *l = &spec->layers[i];
        int64_t n_written;
        int rc = export_gpkg_layer_write(rd, job, spec, l, &n_written, err);
        if (rc != ERR_OK) {
            return err_prefix(err, "layer '%s' (table '%s')", l->layer->id, l->out_name);
        }
        log_debug("export: layer %s: %lld features into table %s", l->layer->id,
                  (long long)n_written, l->out_name);
    }
    int rc = export_gpkg_styles_write(job, spec, err);
    return rc == ERR_OK ? write_metadata(job, spec, err) : rc;
}

/* Builds the whole GeoPackage at path (which must not exist). */
static int write_file(struct store_read *rd, const struct export_gpkg_spec *spec, const char *path,
                      struct err *err)
{
    GDALDriverH driver = gpkg_driver();
    if (driver == NULL) {
        return err_set(err, ERR_INTERNAL, "GDAL was built without its GeoPackage driver");
    }
    struct gdal_errors ge;
    gdal_errors_begin(&ge);
    struct export_gpkg_job job = {.ge = &ge};
    int rc = ERR_OK;
    job.ds = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, NULL);
    if (job.ds == NULL) {
        rc = export_gpkg_gdal_error(&job, err, ERR_IO, "creating the GeoPackage");
    }
    if (rc == ERR_OK) {
        job.srs = OSRNewSpatialReference(NULL);
        OSRSetAxisMappingStrategy(job.srs, OAMS_TRADITIONAL_GIS_ORDER);
        if (OSRImportFromEPSG(job.srs, 4326) != OGRERR_NONE) {
            rc = export_gpkg_gdal_error(&job, err, ERR_INTERNAL, "looking up EPSG:4326");
        }
    }
    job.clip = spec->has_extent ? export_ogr_geom_rectangle(spec->extent) : NULL;
    if (rc == ERR_OK) {
        rc = write_contents(rd, &job, spec, err);
    }
    if (job.ds != NULL) {
        /* Closing writes the metadata and the last pages: failures here count too. */
        int n_failures = ge.n_failures;
        GDALClose(job.ds);
        if (rc == ERR_OK && ge.n_failures > n_failures) {
            rc = export_gpkg_gdal_error(&job, err, ERR_IO, "closing the GeoPackage");
        }
    }
    OGR_G_DestroyGeometry(job.clip);
    if (job.srs != NULL) {
        OSRDestroySpatialReference(job.srs);
    }
    gdal_errors_end(&ge);
    return rc;
}

/* Files */

/* out_path's folder ("." when it names none) and its last component. */
static void split_path(const char *path, char **dir, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        *dir = xstrdup(".");
        *base = path;
    } else {
        *dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
        *base = slash + 1;
    }
}

/* A new, private folder in dir: "<dir>/.<base>.XXXXXX". */
static int make_temp_dir(const char *dir, const char *base, char **out, struct err *err)
{
    char *tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
    if (mkdtemp(tmp) == NULL) {
        int e = errno;
        free(tmp);
        return err_set(err, ERR_IO, "cannot make a temporary folder in %s: %s", dir, strerror(e));
    }
    *out = tmp;
    return ERR_OK;
}

/* Removes the folder and what SQLite may have left in it (a journal after a failure). */
static void remove_temp_dir(const char *tmp_dir)
{
    const char *names[] = {TEMP_NAME, TEMP_NAME "-journal", TEMP_NAME "-wal", TEMP_NAME "-shm"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *path = xasprintf("%s/%s", tmp_dir, names[i]);
        unlink(path);
        free(path);
    }
    if (rmdir(tmp_dir) != 0) {
        log_warn("export: cannot remove temporary folder %s: %s", tmp_dir, strerror(errno));
    }
}

/* Flushes the finished file, then renames it over out_path: rename is atomic within a
 * file system, and the flush first keeps a crash from leaving a renamed but empty file. */
static int move_into_place(const char *tmp_path, const char *out_path, struct err *err)
{
    int fd = open(tmp_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
        }
        return err_set(err, ERR_IO, "cannot flush %s: %s", tmp_path, strerror(e));
    }
    close(fd);
    if (rename(tmp_path, out_path) != 0) {
        return err_set(err, ERR_IO, "cannot write %s: %s", out_path, strerror(errno));
    }
    return ERR_OK;
}

int export_gpkg_write(struct store_read *rd, const struct export_gpkg_spec *spec,
                      const char *out_path, struct err *err)
{
    int rc = check_spec(rd, spec, err);
    if (rc == ERR_OK) {
        rc = check_counts(rd, spec, err);
    }
    if (rc != ERR_OK) {
        return rc;
    }
    char *dir;
    const char *base;
    split_path(out_path, &dir, &base);
    if (base[0] == '\0') {
        free(dir);
        return err_set(err, ERR_INVALID, "%s names a folder, not a file", out_path);
    }
    char *tmp_dir = NULL;
    rc = make_temp_dir(dir, base, &tmp_dir, err);
    free(dir);
    if (rc != ERR_OK) {
        return rc;
    }
    char *tmp_path = xasprintf("%s/%s", tmp_dir, TEMP_NAME);
    rc = write_file(rd, spec, tmp_path, err);
    if (rc == ERR_OK) {
        rc = move_into_place(tmp_path, out_path, err);
    }
    remove_temp_dir(tmp_dir);
    free(tmp_path);
    free(tmp_dir);
    return rc;
}

/* Appends the file's bytes to out, all or nothing. */
static int read_file(const char *path, struct buf *out, struct err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
        }
        return err_set(err, ERR_IO, "cannot read %s: %s", path, strerror(e));
    }
    size_t size = (size_t)st.st_size;
    int rc = buf_reserve(out, size, err);
    size_t done = 0;
    while (rc == ERR_OK && done < size) {
        ssize_t n = read(fd, out->data + out->len + done, size - done);
        if (n <= 0) {
            rc = err_set(err, ERR_IO, "cannot read %s: %s", path,
                         n < 0 ? strerror(errno) : "the file got shorter");
        } else {
            done += (size_t)n;
        }
    }
    close(fd);
    if (rc == ERR_OK) {
        out->len += size;
        out->data[out->len] = '\0';
    }
    return rc == ERR_TOO_LARGE ? err_prefix(err, "the GeoPackage (%zu bytes)", size) : rc;
}

int export_gpkg_to_buf(struct store_read *rd, const struct export_gpkg_spec *spec, struct buf *out,
                       struct err *err)
{
    const char *tmp_root = getenv("TMPDIR");
    char *tmp_dir = NULL;
    int rc = make_temp_dir(tmp_root != NULL && tmp_root[0] != '\0' ? tmp_root : "/tmp",
                           "cityatlas-gpkg", &tmp_dir, err);
    if (rc != ERR_OK) {
        return rc;
    }
    char *path = xasprintf("%s/%s", tmp_dir, TEMP_NAME);
    rc = export_gpkg_write(rd, spec, path, err);
    if (rc == ERR_OK) {
        rc = read_file(path, out, err);
    }
    remove_temp_dir(tmp_dir);
    free(path);
    free(tmp_dir);
    return rc;
}
