/* gdal_errors.h - captures the errors and warnings GDAL reports while we call it, so
 * they reach the user in our messages (naming file, layer and feature) instead of being
 * printed by GDAL's default handler or lost. */
#ifndef CITYATLAS_IMPORT_GDAL_ERRORS_H
#define CITYATLAS_IMPORT_GDAL_ERRORS_H

#define GDAL_ERRORS_KEEP 8
#define GDAL_ERRORS_MSG_CAP 300

struct gdal_errors {
    int n_failures;
    int n_warnings;
    char first_failure[GDAL_ERRORS_MSG_CAP];
    char last_message[GDAL_ERRORS_MSG_CAP]; /* failure or warning, whichever came last */
    char warnings[GDAL_ERRORS_KEEP][GDAL_ERRORS_MSG_CAP]; /* the first distinct ones */
    int n_kept;
};

/* Starts capturing on this thread; pairs with gdal_errors_end. Nesting is allowed. */
void gdal_errors_begin(struct gdal_errors *ge);
void gdal_errors_end(struct gdal_errors *ge);

#endif
