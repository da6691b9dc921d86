/* number_text.c - see number_text.h.
 *
 * Why integer arithmetic gives printf's exact answer: a finite double is m * 2^e with a
 * 53-bit integer m, so v * 10^k is exactly m * 10^k * 2^e. For k <= 19, m * 10^k is below
 * 2^117 and fits in 128 bits; when e < 0 the division by 2^-e is a shift, and the bits
 * shifted out say exactly whether to round up (more than half, or exactly half with an
 * odd quotient: glibc's round-half-even on the exact binary value). printf reaches the same
 * digits through a general big-number path that costs several times more per call.
 *
 * Both formats assume the C numeric locale for their snprintf/strtod fallbacks: the
 * server never calls setlocale for LC_NUMERIC. */
#include "encode/number_text.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if FLT_EVAL_METHOD != 0
#error "number_text.c compares doubles computed in double precision (SSE2, not x87)"
#endif
#ifndef __SIZEOF_INT128__
#error "number_text.c needs unsigned __int128 (gcc or clang on a 64-bit target)"
#endif
/* The one typedef here: __extension__ keeps -Wpedantic quiet about the 128-bit type. */
__extension__ typedef unsigned __int128 uint128;

#define MAX_SCALE 19 /* largest power of ten used as a scale; 10^19 < 2^64 */

static const uint64_t POW10[MAX_SCALE + 1] = {
    1ull,
    10ull,
    100ull,
    1000ull,
    10000ull,
    100000ull,
    1000000ull,
    10000000ull,
    100000000ull,
    1000000000ull,
    10000000000ull,
    100000000000ull,
    1000000000000ull,
    10000000000000ull,
    100000000000000ull,
    1000000000000000ull,
    10000000000000000ull,
    100000000000000000ull,
    1000000000000000000ull,
    10000000000000000000ull,
};

static const char DIGIT_PAIRS[] = "00010203040506070809"
                                  "10111213141516171819"
                                  "20212223242526272829"
                                  "30313233343536373839"
                                  "40414243444546474849"
                                  "50515253545556575859"
                                  "60616263646566676869"
                                  "70717273747576777879"
                                  "80818283848586878889"
                                  "90919293949596979899";

/* |v| = m * 2^e exactly. */
struct binary_double {
    uint64_t m;
    int e;
    bool is_negative;
};

static struct binary_double binary_split(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    struct binary_double d;
    d.is_negative = (bits >> 63) != 0;
    int biased = (int)((bits >> 52) & 0x7ff);
    d.m = bits & ((1ull << 52) - 1);
    if (biased == 0) {
        d.e = -1074; /* zero or subnormal: no implicit leading bit */
    } else {
        d.m |= 1ull << 52;
        d.e = biased - 1075;
    }
    return d;
}

/* Sets *q to m * 10^k * 2^e rounded to nearest, ties to even. False when *q would not fit
 * in 64 bits. */
static bool scale_round(uint64_t m, int e, int k, uint64_t *q)
{
    uint128 n = (uint128)m * POW10[k];
    if (e >= 0) {
        if (e >= 64 || (n >> (64 - e)) != 0) {
            return false;
        }
        *q = (uint64_t)(n << e);
        return true;
    }
    int shift = -e;
    if (shift >= 128) {
        *q = 0; /* n < 2^117, far below half of 2^shift */
        return true;
    }
    uint128 whole = n >> shift;
    uint128 rest = n - (whole << shift);
    uint128 half = (uint128)1 << (shift - 1);
    if (rest > half || (rest == half && (whole & 1) != 0)) {
        whole++;
    }
    if ((whole >> 64) != 0) {
        return false;
    }
    *q = (uint64_t)whole;
    return true;
}

/* Writes q's decimal digits so that they end just before end; returns the first one. */
static char *digits_backward(uint64_t q, char *end)
{
    while (q >= 100) {
        unsigned pair = (unsigned)(q % 100);
        q /= 100;
        end -= 2;
        memcpy(end, DIGIT_PAIRS + 2 * pair, 2);
    }
    if (q >= 10) {
        end -= 2;
        memcpy(end, DIGIT_PAIRS + 2 * q, 2);
    } else {
        *--end = (char)('0' + q);
    }
    return end;
}

/* Writes q / 10^k with at most k decimals, trailing zeros dropped; zero is unsigned. */
static size_t write_scaled(uint64_t q, int k, bool is_negative, char *out)
{
    while (k > 0 && q % 10 == 0) {
        q /= 10;
        k--;
    }
    char digits[24];
    char *end = digits + sizeof(digits);
    char *first = digits_backward(q, end);
    size_t n_digits = (size_t)(end - first);
    size_t n_decimals = (size_t)k;
    char *o = out;
    if (is_negative && q != 0) {
        *o++ = '-';
    }
    if (n_digits > n_decimals) {
        size_t n_int = n_digits - n_decimals;
        memcpy(o, first, n_int);
        o += n_int;
        if (n_decimals > 0) {
            *o++ = '.';
            memcpy(o, first + n_int, n_decimals);
            o += n_decimals;
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        memset(o, '0', n_decimals - n_digits);
        o += n_decimals - n_digits;
        memcpy(o, first, n_digits);
        o += n_digits;
    }
    *o = '\0';
    return (size_t)(o - out);
}

/* printf's %f leaves trailing zeros and may say "-0"; the fixed format has neither. */
static size_t trim_fixed(char *s, size_t n)
{
    if (memchr(s, '.', n) != NULL) {
        while (s[n - 1] == '0') {
            n--;
        }
        if (s[n - 1] == '.') {
            n--;
        }
    }
    if (n == 2 && s[0] == '-' && s[1] == '0') {
        s[0] = '0';
        n = 1;
    }
    s[n] = '\0';
    return n;
}

size_t number_text_fixed(double v, int precision, char *out)
{
    assert(precision >= 0 && precision <= NUMBER_TEXT_MAX_PRECISION);
    if (!isfinite(v)) {
        out[0] = '\0';
        return 0;
    }
    struct binary_double d = binary_split(v);
    uint64_t q;
    if (scale_round(d.m, d.e, precision, &q)) {
        return write_scaled(q, precision, d.is_negative, out);
    }
    int n = snprintf(out, NUMBER_TEXT_FIXED_CAP, "%.*f", precision, v);
    assert(n > 0 && n < NUMBER_TEXT_FIXED_CAP);
    return trim_fixed(out, (size_t)n);
}

/* %.15g without printf when it prints in plain notation (decimal exponent X in -4..14):
 * then it shows q = |v| * 10^k rounded, k = 14 - X, trailing zeros dropped. That text reads
 * back as v exactly when (double)q / 10^k == |v|: q < 10^15 < 2^53 and 10^k <= 10^19 are
 * both exact doubles, so the division is the correctly rounded value strtod would return.
 * Returns 0 when the fast path does not apply or the 15 digits do not read back. */
static size_t real_fast(double v, char *out)
{
    struct binary_double d = binary_split(v);
    int e2 = d.e + 52; /* floor(log2 |v|) for normal numbers */
    if (d.m < (1ull << 52) || e2 < -14 || e2 > 50) {
        return 0;
    }
    int x = (int)floor(e2 * 0.30102999566398120); /* X or X - 1 */
    if (x > 14) {
        return 0;
    }
    uint64_t q = 0;
    int k = 14 - x;
    if (k > MAX_SCALE || !scale_round(d.m, d.e, k, &q)) {
        return 0;
    }
    if (q >= POW10[15]) { /* X was one more, or rounding carried into a 16th digit */
        x++;
        k--;
        if (x > 14 || !scale_round(d.m, d.e, k, &q)) { /* X = 15: %g switches to e-notation */
            return 0;
        }
    }
    if (x < -4 || x > 14 || k > 18 || q >= POW10[15]) {
        return 0;
    }
    static const double POW10_EXACT[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                         1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
    if ((double)q / POW10_EXACT[k] != fabs(v)) {
        return 0;
    }
    return write_scaled(q, k, d.is_negative, out);
}

size_t number_text_real(double v, char *out)
{
    if (!isfinite(v)) {
        out[0] = '\0';
        return 0;
    }
    if (v == 0) { /* common in attribute columns; %.15g spells it "0" or "-0" */
        size_t n = signbit(v) ? 2 : 1;
        memcpy(out, signbit(v) ? "-0" : "0", n + 1);
        return n;
    }
    size_t n = real_fast(v, out);
    if (n > 0) {
        return n;
    }
    for (int digits = 15; digits <= 17; digits++) {
        int len = snprintf(out, NUMBER_TEXT_REAL_CAP, "%.*g", digits, v);
        assert(len > 0 && len < NUMBER_TEXT_REAL_CAP);
        if (digits == 17 || strtod(out, NULL) == v) {
            return (size_t)len;
        }
    }
    return 0; /* not reached: %.17g always reads back */
}

size_t number_text_int64(int64_t v, char *out)
{
    char digits[24];
    char *end = digits + sizeof(digits);
    uint64_t magnitude = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char *first = digits_backward(magnitude, end);
    if (v < 0) {
        *--first = '-';
    }
    size_t n = (size_t)(end - first);
    memcpy(out, first, n);
    out[n] = '\0';
    return n;
}

void number_text_grouped(double v, int decimals, char *out, size_t cap)
{
    char digits[NUMBER_TEXT_FIXED_CAP];
    size_t len = number_text_fixed(v, decimals, digits);
    if (cap < 4) {
        if (cap > 0) {
            out[0] = '\0';
        }
        return;
    }
    if (len == 0) {
        memcpy(out, "\xe2\x80\x93", 4); /* an en dash */
        return;
    }
    const char *p = digits;
    size_t n = 0;
    if (*p == '-') {
        out[n++] = *p++;
    }
    size_t int_len = strcspn(p, ".");
    for (size_t i = 0; *p != '\0' && n + 2 < cap; i++) {
        if (i > 0 && i < int_len && (int_len - i) % 3 == 0) {
            out[n++] = ',';
        }
        out[n++] = *p++;
    }
    out[n] = '\0';
}
