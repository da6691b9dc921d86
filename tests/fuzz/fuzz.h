/* fuzz.h - the libFuzzer entry point every fuzz_<target>.c defines (no I/O, no state kept
 * between calls, everything freed), and what replay_main.c calls it with. */
#ifndef CITYATLAS_TESTS_FUZZ_FUZZ_H
#define CITYATLAS_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input; returns 0 (libFuzzer's convention: the value is ignored). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data[size] for parsers of C strings; free with free(). */
char *fuzz_text(const uint8_t *data, size_t size);

/* Splits query (in place) into req's parameters, as MHD hands them over; past
 * REQUEST_MAX_PARAMS the rest is dropped. req keeps pointers into query. */
struct request;
void fuzz_add_params(struct request *req, char *query);

#endif
