/* gdal_errors.c - see gdal_errors.h. */
#include "import/gdal_errors.h"

#include <stdio.h>
#include <string.h>

#include <cpl_error.h>

static void copy_msg(char *dst, const char *msg)
{
    snprintf(dst, GDAL_ERRORS_MSG_CAP, "%s", msg != NULL ? msg : "");
    /* GDAL messages sometimes end in a newline; one-line messages read better. */
    size_t n = strlen(dst);
    while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == ' ')) {
        dst[--n] = '\0';
    }
}

static void CPL_STDCALL on_gdal_error(CPLErr level, CPLErrorNum num, const char *msg)
{
    (void)num;
    struct gdal_errors *ge = CPLGetErrorHandlerUserData();
    if (ge == NULL || level == CE_Debug || level == CE_None) {
        return;
    }
    copy_msg(ge->last_message, msg);
    if (level == CE_Failure || level == CE_Fatal) {
        if (ge->n_failures++ == 0) {
            copy_msg(ge->first_failure, msg);
        }
        return;
    }
    ge->n_warnings++;
    for (int i = 0; i < ge->n_kept; i++) {
        if (strncmp(ge->warnings[i], msg, GDAL_ERRORS_MSG_CAP - 1) == 0) {
            return;
        }
    }
    if (ge->n_kept < GDAL_ERRORS_KEEP) {
        copy_msg(ge->warnings[ge->n_kept++], msg);
    }
}

void gdal_errors_begin(struct gdal_errors *ge)
{
    memset(ge, 0, sizeof(*ge));
    CPLPushErrorHandlerEx(on_gdal_error, ge);
}

void gdal_errors_end(struct gdal_errors *ge)
{
    (void)ge;
    CPLPopErrorHandler();
}
