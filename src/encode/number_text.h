/* number_text.h - doubles and integers as text, fast enough to stream a million features.
 * Pure functions writing into a caller's char array; no allocation, no locale (the decimal
 * separator is always '.'), safe from any thread.
 *
 * Coordinates use number_text_fixed: a fixed number of decimals, as printf("%.*f") would
 * round them (to nearest, ties to even on the exact binary value), without its trailing
 * zeros. Attribute REALs use number_text_real: the shortest of %.15g, %.16g and %.17g that
 * reads back as the same double, so a value imported as 12.34 is served as 12.34. */
#ifndef CITYATLAS_ENCODE_NUMBER_TEXT_H
#define CITYATLAS_ENCODE_NUMBER_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Largest precision number_text_fixed accepts: 15 decimals already resolve nanometres
 * in degrees, and more would only print the binary noise of a double. */
#define NUMBER_TEXT_MAX_PRECISION 15

/* Room each function needs in out, including the NUL. The fixed format of -DBL_MAX is a
 * sign, 309 integer digits, a point and 15 decimals. */
#define NUMBER_TEXT_FIXED_CAP (1 + 309 + 1 + NUMBER_TEXT_MAX_PRECISION + 1)
#define NUMBER_TEXT_REAL_CAP 32 /* "-1.2345678901234567e-308" is 24 */
#define NUMBER_TEXT_INT_CAP 21  /* "-9223372036854775808" is 20 */

/* Writes v rounded to precision (0..NUMBER_TEXT_MAX_PRECISION) decimals into out
 * (NUMBER_TEXT_FIXED_CAP bytes), drops trailing zeros and a bare point, writes "0" for
 * anything that rounds to zero (never "-0"), and returns the length. A non-finite v writes
 * "" and returns 0, leaving its spelling to the caller. Integer arithmetic does the common
 * case; values whose scaled magnitude passes 2^64 go through snprintf. */
size_t number_text_fixed(double v, int precision, char *out);

/* Writes the shortest of v's %.15g, %.16g and %.17g forms that reads back (strtod) as v
 * into out (NUMBER_TEXT_REAL_CAP bytes) and returns the length. The text is a valid JSON
 * number ("1e+20", "0.5", "-0"). A non-finite v writes "" and returns 0: JSON writes null. */
size_t number_text_real(double v, char *out);

/* A number as readers see it: thousands separated by commas, at most `decimals` decimals
 * (trailing zeros dropped), e.g. 12345.678 with 2 -> "12,345.68"; "–" for a value that is
 * not finite. Writes into out (cap >= 48; a longer number is cut). */
void number_text_grouped(double v, int decimals, char *out, size_t cap);
/* Writes v in decimal into out (NUMBER_TEXT_INT_CAP bytes) and returns the length. */
size_t number_text_int64(int64_t v, char *out);

#endif
