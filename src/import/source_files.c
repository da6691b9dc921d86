/* source_files.c - see source_files.h. */
#include "import/source_files.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <zip.h>

#include "base/alloc.h"
#include "base/path.h"

/* Extensions of files that hold vector data. Shapefile sidecars (.dbf, .shx, .prj, .cpg)
 * are read through their .shp and are not listed. */
static const char *const vector_extensions[] = {
    "shp", "geojson", "json", "geojsonl", "geojsons", "gpkg", "kml", "kmz",  "csv", "gml",
    "fgb", "sqlite",  "tab",  "mif",      "gpx",      "dxf",  "ods", "xlsx", NULL};

static int is_vector_file(const char *name)
{
    char ext[16];
    path_extension(name, ext, sizeof(ext));
    for (size_t i = 0; vector_extensions[i] != NULL; i++) {
        if (strcmp(ext, vector_extensions[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static int is_hidden(const char *rel)
{
    return rel[0] == '.' || strstr(rel, "/.") != NULL || strncmp(rel, "__MACOSX", 8) == 0;
}

static void add_file(struct source_files *sf, const char *gdal_path, const char *display,
                     const char *archive_path)
{
    sf->files = xreallocarray(sf->files, sf->n + 1, sizeof(*sf->files));
    struct source_file *f = &sf->files[sf->n++];
    f->gdal_path = xstrdup(gdal_path);
    f->display_path = xstrdup(display);
    f->stem = path_stem(gdal_path);
    f->archive_path = xstrdup(archive_path);
}

static int has_dotdot(const char *rel)
{
    if (rel[0] == '/' || rel[0] == '\\') {
        return 1;
    }
    for (const char *p = rel; (p = strstr(p, "..")) != NULL; p += 2) {
        int starts = p == rel || p[-1] == '/' || p[-1] == '\\';
        int ends = p[2] == '\0' || p[2] == '/' || p[2] == '\\';
        if (starts && ends) {
            return 1;
        }
    }
    return 0;
}

/* Refuses archives that unpack to more than the caps allow (zip bombs). */
static int check_unpacked_size(const char *zip_path, uint64_t total, uint64_t zip_bytes,
                               struct err *err)
{
    if (total > SOURCE_ZIP_MAX_TOTAL_BYTES) {
        return err_set(err, ERR_TOO_LARGE, "%s: unpacks to %llu bytes, more than the %llu allowed",
                       zip_path, (unsigned long long)total,
                       (unsigned long long)SOURCE_ZIP_MAX_TOTAL_BYTES);
    }
    if (total > SOURCE_ZIP_RATIO_FLOOR && zip_bytes > 0 &&
        total / zip_bytes > SOURCE_ZIP_MAX_RATIO) {
        return err_set(err, ERR_TOO_LARGE,
                       "%s: unpacks to %llu bytes from %llu (%llux); no real dataset compresses "
                       "that well, so this looks like a zip bomb",
                       zip_path, (unsigned long long)total, (unsigned long long)zip_bytes,
                       (unsigned long long)(total / zip_bytes));
    }
    return ERR_OK;
}

/* Reads the archive's own entry list with libzip. GDAL's /vsizip/ listing silently leaves
 * out names such as "../x" or "/x", so it cannot be used to refuse them. On success the
 * names are returned sorted (free with CSLDestroy). */
static int zip_entries(const char *zip_path, uint64_t zip_bytes, char ***out, struct err *err)
{
    *out = NULL;
    int zerr = 0;
    zip_t *za = zip_open(zip_path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (za == NULL) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        int rc = err_set(err, ERR_INVALID,
                         "%s: not a readable zip archive (%s); it may be damaged or cut short",
                         zip_path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    int rc = ERR_OK;
    if (n > SOURCE_ZIP_MAX_ENTRIES) {
        rc = err_set(err, ERR_TOO_LARGE, "%s: holds %lld entries, more than the %d allowed",
                     zip_path, (long long)n, SOURCE_ZIP_MAX_ENTRIES);
    }
    uint64_t total = 0;
    char **names = NULL;
    for (zip_int64_t i = 0; rc == ERR_OK && i < n; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
            rc = err_set(err, ERR_INVALID, "%s: entry %lld is unreadable (%s)", zip_path,
                         (long long)i, zip_strerror(za));
        } else if (has_dotdot(st.name)) {
            rc = err_set(err, ERR_INVALID,
                         "%s: entry '%s' points outside the archive; refusing to read it", zip_path,
                         st.name);
        } else {
            total += (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
            names = CSLAddString(names, st.name);
        }
    }
    zip_discard(za);
    if (rc == ERR_OK) {
        rc = check_unpacked_size(zip_path, total, zip_bytes, err);
    }
    if (rc != ERR_OK) {
        CSLDestroy(names);
        return rc;
    }
    int count = CSLCount(names);
    if (count > 1) {
        qsort(names, (size_t)count, sizeof(char *), path_compare);
    }
    *out = names;
    return ERR_OK;
}

static int expand_zip(const char *zip_path, uint64_t zip_bytes, const char *display,
                      struct source_files *sf, struct err *err)
{
    char **names = NULL;
    int rc = zip_entries(zip_path, zip_bytes, &names, err);
    if (rc != ERR_OK) {
        return rc;
    }
    for (int i = 0; names != NULL && names[i] != NULL; i++) {
        if (is_hidden(names[i]) || !is_vector_file(names[i])) {
            continue; /* folders (names ending in '/'), sidecars and other files */
        }
        char *p = xasprintf("/vsizip/%s/%s", zip_path, names[i]);
        char *d = xasprintf("%s:%s", display, names[i]);
        add_file(sf, p, d, zip_path);
        free(p);
        free(d);
    }
    CSLDestroy(names);
    return ERR_OK;
}

static int expand_folder(const char *dir_real, const char *display, struct source_files *sf,
                         struct err *err)
{
    char **entries = VSIReadDirRecursive(dir_real);
    int n = CSLCount(entries);
    if (n > 1) {
        qsort(entries, (size_t)n, sizeof(char *), path_compare);
    }
    int rc = ERR_OK;
    for (int i = 0; rc == ERR_OK && i < n; i++) {
        char ext[16];
        path_extension(entries[i], ext, sizeof(ext));
        int is_zip = strcmp(ext, "zip") == 0;
        if (is_hidden(entries[i]) || (!is_vector_file(entries[i]) && !is_zip)) {
            continue;
        }
        char *p = xasprintf("%s/%s", dir_real, entries[i]);
        char real[PATH_MAX];
        struct stat sb;
        if (realpath(p, real) == NULL || stat(real, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(p);
            continue;
        }
        free(p);
        if (!path_is_within(dir_real, real)) {
            rc = err_set(err, ERR_INVALID, "%s/%s leads to %s, outside the folder named", display,
                         entries[i], real);
            break;
        }
        char *d = xasprintf("%s/%s", display, entries[i]);
        if (is_zip) {
            rc = expand_zip(real, (uint64_t)sb.st_size, d, sf, err);
        } else {
            add_file(sf, real, d, NULL);
        }
        free(d);
    }
    CSLDestroy(entries);
    return rc;
}

int source_files_expand(const char *source, struct source_files *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    char real[PATH_MAX];
    struct stat sb;
    if (realpath(source, real) == NULL || stat(real, &sb) != 0) {
        int saved = errno;
        return err_set(err, saved == ENOENT ? ERR_NOT_FOUND : ERR_IO, "%s: %s", source,
                       strerror(saved));
    }
    out->named_stem = path_stem(real);
    char ext[16];
    path_extension(real, ext, sizeof(ext));
    int rc = ERR_OK;
    if (S_ISDIR(sb.st_mode)) {
        out->is_container = 1;
        rc = expand_folder(real, source, out, err);
    } else if (strcmp(ext, "zip") == 0) {
        out->is_container = 1;
        rc = expand_zip(real, (uint64_t)sb.st_size, source, out, err);
    } else if (S_ISREG(sb.st_mode)) {
        add_file(out, real, source, NULL);
    } else {
        rc = err_set(err, ERR_INVALID, "%s: not a regular file or folder", source);
    }
    if (rc == ERR_OK && out->n == 0) {
        rc = err_set(err, ERR_INVALID,
                     "%s: holds no vector data files (looked for .shp, .geojson, .gpkg, .kml, "
                     ".csv and other GDAL vector formats)",
                     source);
    }
    if (rc != ERR_OK) {
        source_files_clear(out);
    }
    return rc;
}

void source_files_clear(struct source_files *sf)
{
    for (size_t i = 0; i < sf->n; i++) {
        free(sf->files[i].gdal_path);
        free(sf->files[i].display_path);
        free(sf->files[i].stem);
        free(sf->files[i].archive_path);
    }
    free(sf->files);
    free(sf->named_stem);
    memset(sf, 0, sizeof(*sf));
}
