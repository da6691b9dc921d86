/* stats_classify.c - see stats_classify.h. */
#include "stats/stats_classify.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

/* Choosing a method */

static const struct {
    const char *word;
    enum stats_class_method method;
} method_words[] = {
    {"quantile", STATS_CLASS_QUANTILE},
    {"equal-interval", STATS_CLASS_EQUAL_INTERVAL},
    {"natural-breaks", STATS_CLASS_NATURAL_BREAKS},
    {"jenks", STATS_CLASS_NATURAL_BREAKS},
};

int stats_class_method_parse(const char *text, enum stats_class_method *out, struct err *err)
{
    for (size_t i = 0; text != NULL && i < sizeof(method_words) / sizeof(method_words[0]); i++) {
        if (strcmp(text, method_words[i].word) == 0) {
            *out = method_words[i].method;
            return ERR_OK;
        }
    }
    return err_set(err, ERR_INVALID,
                   "unknown classification method '%s': use quantile, equal-interval or "
                   "natural-breaks (also jenks)",
                   text != NULL ? text : "");
}

const char *stats_class_method_name(enum stats_class_method m)
{
    switch (m) {
    case STATS_CLASS_QUANTILE:
        return "quantile";
    case STATS_CLASS_EQUAL_INTERVAL:
        return "equal-interval";
    case STATS_CLASS_NATURAL_BREAKS:
        return "natural-breaks";
    }
    return NULL;
}

/* Sorted values */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static size_t count_distinct(const double *sorted, size_t n)
{
    size_t d = n > 0 ? 1 : 0;
    for (size_t i = 1; i < n; i++) {
        d += sorted[i - 1] < sorted[i];
    }
    return d;
}

/* Quantile */

/* Index in cuts[lo..hi] of the cut position nearest to target; the lower one on a tie. */
static size_t nearest_cut(const size_t *cuts, size_t lo, size_t hi, double target)
{
    size_t a = lo, b = hi + 1; /* first index in [lo, hi] with cuts[index] >= target */
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if ((double)cuts[mid] < target) {
            a = mid + 1;
        } else {
            b = mid;
        }
    }
    if (a > hi) {
        return hi;
    }
    if (a > lo && target - (double)cuts[a - 1] <= (double)cuts[a] - target) {
        return a - 1;
    }
    return a;
}

/* k classes of the sorted values s[0..n), which hold at least k distinct values. A class
 * starts where the value changes (a cut), so ties never straddle a break; each inner break is
 * the cut nearest to i * n / k that still leaves one cut for each later break. */
static int quantile_breaks(const double *s, size_t n, int k, double *breaks)
{
    size_t *cuts = xcalloc(n, sizeof(*cuts));
    size_t n_cuts = 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i - 1] < s[i]) {
            cuts[n_cuts++] = i;
        }
    }
    breaks[0] = s[0];
    size_t next = 0;
    for (int i = 1; i < k; i++) {
        size_t last = n_cuts - (size_t)(k - i); /* leaves k - 1 - i cuts after this one */
        size_t q = nearest_cut(cuts, next, last, (double)n * i / k);
        breaks[i] = s[cuts[q]];
        next = q + 1;
    }
    breaks[k] = s[n - 1];
    free(cuts);
    return k;
}

/* Equal interval */

/* k equal widths over [min, max] of the sorted values s[0..n) (at least two distinct). An
 * interval that holds no value loses its lower break, so it joins the class below. */
static int equal_interval_breaks(const double *s, size_t n, int k, double *breaks)
{
    double lo = s[0], hi = s[n - 1];
    double grid[STATS_MAX_CLASSES + 1];
    grid[0] = lo;
    for (int i = 1; i < k; i++) {
        /* A weighted mean of the ends: lo + (hi - lo) * i / k could overflow. */
        grid[i] = fmin(lo / k * (k - i) + hi / k * i, hi);
    }
    grid[k] = hi;
    bool is_occupied[STATS_MAX_CLASSES] = {false};
    for (size_t i = 0; i < n; i++) {
        is_occupied[stats_class_of(grid, k, s[i])] = true;
    }
    int c = 0;
    breaks[c++] = lo;
    for (int i = 1; i < k; i++) {
        if (is_occupied[i]) {
            breaks[c++] = grid[i];
        }
    }
    breaks[c] = hi;
    return c;
}

/* Natural breaks */

/* Fisher's dynamic programme over distinct values x[0..d) with counts: cost[j][m] = least
 * within-class sum of squares of x[0..m) in j + 1 classes. Values are rescaled to [0, 1]
 * first (the optimum does not change under x -> a x + b, a > 0) so squares cannot overflow
 * and prefix sums lose little to cancellation. */
struct fisher {
    size_t d;
    double *sw, *sy, *syy; /* prefix sums [0..d] of count, count*y, count*y^2 */
    double *prev, *cur;    /* costs [0..d] of the previous and the current class count */
    size_t *start;         /* start[j * (d + 1) + m]: first value of the last class */
};

static double segment_cost(const struct fisher *f, size_t a, size_t b)
{
    double w = f->sw[b] - f->sw[a], s = f->sy[b] - f->sy[a], ss = f->syy[b] - f->syy[a];
    double cost = ss - s * s / w;
    return cost > 0.0 ? cost : 0.0;
}

/* Fills cur[m] for m in [m_lo, m_hi], the best split point lying in [t_lo, t_hi]. The best
 * start of the last class never moves left as m grows (the cost is a Monge array: Wu 1991,
 * Gronlund et al. 2017), so halving m's range also halves the split range: O(d log d). */
static void fisher_fill(struct fisher *f, int j, size_t m_lo, size_t m_hi, size_t t_lo, size_t t_hi)
{
    while (m_lo <= m_hi) {
        size_t mid = m_lo + (m_hi - m_lo) / 2;
        size_t t_end = t_hi < mid - 1 ? t_hi : mid - 1;
        size_t best_t = t_lo;
        double best = INFINITY;
        for (size_t t = t_lo; t <= t_end; t++) {
            double cost = f->prev[t] + segment_cost(f, t, mid);
            if (cost < best) {
                best = cost;
                best_t = t;
            }
        }
        f->cur[mid] = best;
        f->start[(size_t)j * (f->d + 1) + mid] = best_t;
        if (mid > m_lo) {
            fisher_fill(f, j, m_lo, mid - 1, t_lo, best_t);
        }
        m_lo = mid + 1; /* the right half, as a loop: recursion depth stays log2(d) */
        t_lo = best_t;
    }
}

/* k classes (2 <= k <= d) of the distinct values x[0..d) with counts w: starts[j] is the
 * index in x of class j's smallest value, for j in [0, k). */
static void fisher_starts(const double *x, const double *w, size_t d, int k, size_t *starts)
{
    struct fisher f = {.d = d};
    double *block = xcalloc(5 * (d + 1), sizeof(double));
    f.sw = block;
    f.sy = block + (d + 1);
    f.syy = block + 2 * (d + 1);
    f.prev = block + 3 * (d + 1);
    f.cur = block + 4 * (d + 1);
    f.start = xcalloc((size_t)k * (d + 1), sizeof(size_t));
    double half_lo = x[0] / 2, half_range = x[d - 1] / 2 - x[0] / 2;
    for (size_t i = 0; i < d; i++) {
        double y = (x[i] / 2 - half_lo) / half_range;
        f.sw[i + 1] = f.sw[i] + w[i];
        f.sy[i + 1] = f.sy[i] + w[i] * y;
        f.syy[i + 1] = f.syy[i] + w[i] * y * y;
    }
    f.cur[0] = INFINITY;
    for (size_t m = 1; m <= d; m++) {
        f.cur[m] = segment_cost(&f, 0, m);
    }
    for (int j = 1; j < k; j++) {
        double *swap = f.prev;
        f.prev = f.cur;
        f.cur = swap;
        /* Only the full set matters once the last class is placed. */
        fisher_fill(&f, j, j + 1 < k ? (size_t)j + 1 : d, d, (size_t)j, d - 1);
    }
    size_t m = d;
    for (int j = k - 1; j > 0; j--) {
        m = f.start[(size_t)j * (d + 1) + m];
        starts[j] = m;
    }
    starts[0] = 0;
    free(f.start);
    free(block);
}

/* Distinct values of the sorted s[0..n) into x with their counts in w; returns how many. */
static size_t distinct_with_counts(const double *s, size_t n, double *x, double *w)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        if (d > 0 && x[d - 1] == s[i]) {
            w[d - 1] += 1.0;
        } else {
            x[d] = s[i];
            w[d++] = 1.0;
        }
    }
    return d;
}

/* Rank round(j * (n - 1) / (STATS_NATURAL_EXACT_MAX - 1)), split so no product overflows. */
static size_t sample_rank(size_t j, size_t n)
{
    const size_t div = STATS_NATURAL_EXACT_MAX - 1;
    size_t q = (n - 1) / div, r = (n - 1) % div;
    return j * q + (j * r + div / 2) / div;
}

/* First index in s[0..n) whose value is above v (values at or below v come before it). */
static size_t rank_above(const double *s, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid] <= v) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* A break found on the sample lies somewhere between two neighbouring sample values below and
 * above it; the full data may hold many values in that gap. The break moves to the value in
 * (below, above] that follows the widest gap of the full data (the lowest on a tie): where
 * the data itself separates, as natural breaks intend. */
static double snap_break(const double *s, size_t n, double below, double above)
{
    size_t r = rank_above(s, n, below); /* s[r - 1] == below: it is one of the values */
    size_t best = r;
    for (size_t i = r + 1; i < n && s[i] <= above; i++) {
        if (s[i] - s[i - 1] > s[best] - s[best - 1]) {
            best = i;
        }
    }
    return s[best];
}

static int natural_breaks(const double *s, size_t n, size_t n_distinct, int k, double *breaks)
{
    const double *from = s;
    size_t n_from = n;
    double *sample = NULL;
    bool is_sampled = n_distinct > STATS_NATURAL_EXACT_MAX;
    if (is_sampled) {
        sample = xcalloc(STATS_NATURAL_EXACT_MAX, sizeof(*sample));
        for (size_t j = 0; j < STATS_NATURAL_EXACT_MAX; j++) {
            sample[j] = s[sample_rank(j, n)];
        }
        from = sample;
        n_from = STATS_NATURAL_EXACT_MAX;
    }
    size_t cap = n_distinct < n_from ? n_distinct : n_from;
    double *x = xcalloc(cap, sizeof(*x));
    double *w = xcalloc(cap, sizeof(*w));
    size_t d = distinct_with_counts(from, n_from, x, w);
    int c = (size_t)k < d ? k : (int)d;
    size_t starts[STATS_MAX_CLASSES];
    fisher_starts(x, w, d, c, starts);
    breaks[0] = s[0];
    for (int j = 1; j < c; j++) {
        breaks[j] = is_sampled ? snap_break(s, n, x[starts[j] - 1], x[starts[j]]) : x[starts[j]];
    }
    breaks[c] = s[n - 1];
    free(w);
    free(x);
    free(sample);
    return c;
}

/* Computing and using breaks */

int stats_classify(const double *values, size_t n, enum stats_class_method method, int k,
                   double *breaks, int *n_classes, struct err *err)
{
    if (k < 2 || k > STATS_MAX_CLASSES) {
        return err_set(err, ERR_INVALID, "the number of classes must be 2 to %d, not %d",
                       STATS_MAX_CLASSES, k);
    }
    if (stats_class_method_name(method) == NULL) {
        return err_set(err, ERR_INVALID, "unknown classification method %d", (int)method);
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i])) {
            return err_set(err, ERR_INVALID, "value %zu is not a finite number", i);
        }
    }
    if (n == 0) {
        *n_classes = 0;
        return ERR_OK;
    }
    double *s = xcalloc(n, sizeof(*s));
    memcpy(s, values, n * sizeof(*s));
    qsort(s, n, sizeof(*s), compare_doubles);
    size_t d = count_distinct(s, n);
    int c = (size_t)k < d ? k : (int)d;
    if (c == 1) {
        breaks[0] = breaks[1] = s[0];
    } else if (method == STATS_CLASS_QUANTILE) {
        c = quantile_breaks(s, n, c, breaks);
    } else if (method == STATS_CLASS_EQUAL_INTERVAL) {
        c = equal_interval_breaks(s, n, c, breaks);
    } else {
        c = natural_breaks(s, n, d, c, breaks);
    }
    free(s);
    *n_classes = c;
    return ERR_OK;
}

int stats_class_of(const double *breaks, int n_classes, double v)
{
    if (n_classes < 1 || isnan(v)) {
        return -1;
    }
    int lo = 1, hi = n_classes; /* first inner break above v, in [1, n_classes] */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (breaks[mid] <= v) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo - 1;
}

/* Colour ramps */

/* viridis by Stefan van der Walt, Nathaniel J. Smith and Eric Firing (2015), the 256 entries
 * of _viridis_data in https://github.com/BIDS/colormap/blob/master/colormaps.py (also
 * matplotlib's _cm_listed.py), rounded to 8 bits per channel. Released under the CC0 licence
 * / public domain dedication. Dark purple (0x440154) to yellow (0xfde725); its lightness rises
 * steadily and it stays ordered for the common colour-vision deficiencies. */
static const uint32_t viridis_rgb[256] = {
    0x440154, 0x440256, 0x450457, 0x450559, 0x46075a, 0x46085c, 0x460a5d, 0x460b5e, 0x470d60,
    0x470e61, 0x471063, 0x471164, 0x471365, 0x481467, 0x481668, 0x481769, 0x48186a, 0x481a6c,
    0x481b6d, 0x481c6e, 0x481d6f, 0x481f70, 0x482071, 0x482173, 0x482374, 0x482475, 0x482576,
    0x482677, 0x482878, 0x482979, 0x472a7a, 0x472c7a, 0x472d7b, 0x472e7c, 0x472f7d, 0x46307e,
    0x46327e, 0x46337f, 0x463480, 0x453581, 0x453781, 0x453882, 0x443983, 0x443a83, 0x443b84,
    0x433d84, 0x433e85, 0x423f85, 0x424086, 0x424186, 0x414287, 0x414487, 0x404588, 0x404688,
    0x3f4788, 0x3f4889, 0x3e4989, 0x3e4a89, 0x3e4c8a, 0x3d4d8a, 0x3d4e8a, 0x3c4f8a, 0x3c508b,
    0x3b518b, 0x3b528b, 0x3a538b, 0x3a548c, 0x39558c, 0x39568c, 0x38588c, 0x38598c, 0x375a8c,
    0x375b8d, 0x365c8d, 0x365d8d, 0x355e8d, 0x355f8d, 0x34608d, 0x34618d, 0x33628d, 0x33638d,
    0x32648e, 0x32658e, 0x31668e, 0x31678e, 0x31688e, 0x30698e, 0x306a8e, 0x2f6b8e, 0x2f6c8e,
    0x2e6d8e, 0x2e6e8e, 0x2e6f8e, 0x2d708e, 0x2d718e, 0x2c718e, 0x2c728e, 0x2c738e, 0x2b748e,
    0x2b758e, 0x2a768e, 0x2a778e, 0x2a788e, 0x29798e, 0x297a8e, 0x297b8e, 0x287c8e, 0x287d8e,
    0x277e8e, 0x277f8e, 0x27808e, 0x26818e, 0x26828e, 0x26828e, 0x25838e, 0x25848e, 0x25858e,
    0x24868e, 0x24878e, 0x23888e, 0x23898e, 0x238a8d, 0x228b8d, 0x228c8d, 0x228d8d, 0x218e8d,
    0x218f8d, 0x21908d, 0x21918c, 0x20928c, 0x20928c, 0x20938c, 0x1f948c, 0x1f958b, 0x1f968b,
    0x1f978b, 0x1f988b, 0x1f998a, 0x1f9a8a, 0x1e9b8a, 0x1e9c89, 0x1e9d89, 0x1f9e89, 0x1f9f88,
    0x1fa088, 0x1fa188, 0x1fa187, 0x1fa287, 0x20a386, 0x20a486, 0x21a585, 0x21a685, 0x22a785,
    0x22a884, 0x23a983, 0x24aa83, 0x25ab82, 0x25ac82, 0x26ad81, 0x27ad81, 0x28ae80, 0x29af7f,
    0x2ab07f, 0x2cb17e, 0x2db27d, 0x2eb37c, 0x2fb47c, 0x31b57b, 0x32b67a, 0x34b679, 0x35b779,
    0x37b878, 0x38b977, 0x3aba76, 0x3bbb75, 0x3dbc74, 0x3fbc73, 0x40bd72, 0x42be71, 0x44bf70,
    0x46c06f, 0x48c16e, 0x4ac16d, 0x4cc26c, 0x4ec36b, 0x50c46a, 0x52c569, 0x54c568, 0x56c667,
    0x58c765, 0x5ac864, 0x5cc863, 0x5ec962, 0x60ca60, 0x63cb5f, 0x65cb5e, 0x67cc5c, 0x69cd5b,
    0x6ccd5a, 0x6ece58, 0x70cf57, 0x73d056, 0x75d054, 0x77d153, 0x7ad151, 0x7cd250, 0x7fd34e,
    0x81d34d, 0x84d44b, 0x86d549, 0x89d548, 0x8bd646, 0x8ed645, 0x90d743, 0x93d741, 0x95d840,
    0x98d83e, 0x9bd93c, 0x9dd93b, 0xa0da39, 0xa2da37, 0xa5db36, 0xa8db34, 0xaadc32, 0xaddc30,
    0xb0dd2f, 0xb2dd2d, 0xb5de2b, 0xb8de29, 0xbade28, 0xbddf26, 0xc0df25, 0xc2df23, 0xc5e021,
    0xc8e020, 0xcae11f, 0xcde11d, 0xd0e11c, 0xd2e21b, 0xd5e21a, 0xd8e219, 0xdae319, 0xdde318,
    0xdfe318, 0xe2e418, 0xe5e419, 0xe7e419, 0xeae51a, 0xece51b, 0xefe51c, 0xf1e51d, 0xf4e61e,
    0xf6e620, 0xf8e621, 0xfbe723, 0xfde725,
};

static const struct {
    const char *name;
    const uint32_t *rgb; /* 256 entries, dark to light */
} ramps[] = {
    {"viridis", viridis_rgb},
};

int stats_ramp(const char *name, int n, char (*out)[8], struct err *err)
{
    size_t r = 0;
    while (r < sizeof(ramps) / sizeof(ramps[0]) &&
           (name == NULL || strcmp(name, ramps[r].name) != 0)) {
        r++;
    }
    if (r == sizeof(ramps) / sizeof(ramps[0])) {
        return err_set(err, ERR_INVALID, "unknown colour ramp '%s': use viridis",
                       name != NULL ? name : "");
    }
    if (n < 1 || n > STATS_MAX_CLASSES) {
        return err_set(err, ERR_INVALID, "a colour ramp has 1 to %d colours, not %d",
                       STATS_MAX_CLASSES, n);
    }
    for (int i = 0; i < n; i++) {
        /* Light to dark: the light end of the table first. The lookup is matplotlib's
         * (position * 256, truncated, the end folded onto entry 255), so the colours match
         * what its users see for the same number of classes. */
        double darkness = n == 1 ? 0.5 : (double)i / (n - 1);
        int entry = (int)((1.0 - darkness) * 256.0);
        uint32_t rgb = ramps[r].rgb[entry > 255 ? 255 : entry];
        snprintf(out[i], sizeof(out[i]), "#%06x", (unsigned)rgb);
    }
    return ERR_OK;
}

const char *stats_ramp_default(void)
{
    return "viridis";
}
