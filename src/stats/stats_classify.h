/* stats_classify.h - class breaks and colour ramps for choropleth maps: splits a set of
 * numbers (one per district) into a few ordered classes, and names a colour per class.
 * Pure computation, no I/O, no global state: every function may run in any thread at once. */
#ifndef CITYATLAS_STATS_STATS_CLASSIFY_H
#define CITYATLAS_STATS_STATS_CLASSIFY_H

#include <stddef.h>

#include "base/err.h"

enum stats_class_method {
    STATS_CLASS_QUANTILE,       /* classes hold as equal counts as ties allow */
    STATS_CLASS_EQUAL_INTERVAL, /* breaks split [min, max] into equal widths */
    STATS_CLASS_NATURAL_BREAKS, /* Fisher-Jenks: least squared deviation within classes */
};

/* More classes than this are hard to tell apart on a map (and colour ramps stop at 9). */
#define STATS_MAX_CLASSES 9
/* Natural breaks are exact (every partition considered) up to this many distinct values;
 * beyond it they are computed on an even sample of this many sorted values (see below). */
#define STATS_NATURAL_EXACT_MAX 5000

/* Choosing a method */

/* Parses "quantile", "equal-interval" or "natural-breaks" ("jenks" is accepted for the
 * latter), exactly as written. Returns ERR_OK, or ERR_INVALID naming the accepted words. */
int stats_class_method_parse(const char *text, enum stats_class_method *out,
                             struct err *err) WARN_UNUSED;
/* The canonical word for m (a static string), or NULL for a value outside the enum. */
const char *stats_class_method_name(enum stats_class_method m);

/* Computing and using breaks */

/* Computes the class breaks of values[0..n), which must all be finite (the caller drops
 * nulls; a NaN or an infinity is refused with ERR_INVALID naming its index), for k classes,
 * 2 <= k <= STATS_MAX_CLASSES. breaks must have room for k + 1 numbers; values is only read.
 *
 * On success *n_classes is the number of classes c and breaks[0..c] hold: breaks[0] = the
 * minimum, breaks[i] = the lower bound of class i (0 < i < c), breaks[c] = the maximum.
 * Class i holds breaks[i] <= v < breaks[i + 1], the last class also its upper bound (see
 * stats_class_of). No class is empty and breaks[0..c-1] rise strictly. c = k unless there
 * are fewer than k distinct values (then c = their number), or, with equal-interval, some
 * intervals hold no value (those merge into the class below). Quantile and natural-breaks
 * breaks are values of the data (the smallest of their class), so the last class's two
 * bounds are equal when it holds only the maximum (values {3, 7} give breaks 3, 7, 7), and
 * a single distinct value v gives one class with breaks v, v. n == 0 gives c = 0.
 *
 * Methods: quantile puts each break at the value change nearest to an equal share of the
 * count, the lower one when two are as near (ties stay in one class, so shares are as
 * equal as ties allow). equal-interval splits [min, max] into equal widths (inner breaks
 * need not be values). natural-breaks minimises the sum of squared deviations from the
 * class means (Fisher 1958, Jenks' natural breaks): exactly, by dynamic programming over the
 * distinct values, when there are at most STATS_NATURAL_EXACT_MAX of them. With more, the
 * programme runs on the STATS_NATURAL_EXACT_MAX values of ranks
 * round(j * (n - 1) / (STATS_NATURAL_EXACT_MAX - 1)) in sorted order (an even sample keeping
 * the minimum and maximum), and each break then moves to the value that follows the widest
 * gap of the full data between the two sample values it separates: deterministic,
 * independent of the input order, close to the optimum.
 * Cost: O(n log n) time, O(n) memory. Returns ERR_OK or ERR_INVALID. */
int stats_classify(const double *values, size_t n, enum stats_class_method method, int k,
                   double *breaks, int *n_classes, struct err *err) WARN_UNUSED;

/* Index 0..n_classes-1 of the class holding v, given breaks from stats_classify: class i
 * holds breaks[i] <= v < breaks[i + 1], the last class also includes its upper bound. Values
 * below the minimum fall in class 0 and above the maximum in the last class. Returns -1 when
 * n_classes < 1 or v is NaN. */
int stats_class_of(const double *breaks, int n_classes, double v);

/* Colour ramps */

/* Writes n colours, 1 <= n <= STATS_MAX_CLASSES, as "#rrggbb" strings into out[0..n), from
 * light (out[0], for the lowest class) to dark, sampled evenly along the named sequential
 * ramp, which people with colour-vision deficiencies read in the same order. Names:
 * "viridis" (reversed, so light is low). Returns ERR_OK, or ERR_INVALID for an unknown name
 * (the message lists the known ones) or n out of range. */
int stats_ramp(const char *name, int n, char (*out)[8], struct err *err) WARN_UNUSED;
/* The ramp used when a request names none: "viridis" (a static string). */
const char *stats_ramp_default(void);

#endif
