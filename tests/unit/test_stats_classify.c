/* test_stats_classify.c - stats/stats_classify: natural breaks reach the least within-class
 * squared deviation (checked against brute force over every partition, and against a plain
 * O(k n^2) dynamic programme over the raw values), quantile and equal-interval breaks on
 * simple data, ties, fewer distinct values than classes, the break invariants on random
 * data, method names, class lookup, and colour ramps that darken step by step. */
#include "unit.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "stats/stats_classify.h"

#include "unit_support.c"

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Helpers */

struct classes {
    double breaks[STATS_MAX_CLASSES + 1];
    int n;
};

static struct classes classify(const double *values, size_t n, enum stats_class_method method,
                               int k)
{
    struct classes c = {{0}, -1};
    struct err err = {0};
    int rc = stats_classify(values, n, method, k, c.breaks, &c.n, &err);
    if (rc != ERR_OK) {
        fail_msg("stats_classify(%s, k=%d): %s", stats_class_method_name(method), k, err.msg);
    }
    return c;
}

static void assert_breaks(const struct classes *c, const double *expected, int n_expected)
{
    bool is_same = c->n == n_expected;
    for (int i = 0; is_same && i <= n_expected; i++) {
        is_same = fabs(c->breaks[i] - expected[i]) <= 1e-12 * (1.0 + fabs(expected[i]));
    }
    if (!is_same) {
        char got[512] = "", want[512] = "";
        for (int i = 0; i <= c->n && c->n >= 0; i++) {
            snprintf(got + strlen(got), sizeof(got) - strlen(got), " %g", c->breaks[i]);
        }
        for (int i = 0; i <= n_expected; i++) {
            snprintf(want + strlen(want), sizeof(want) - strlen(want), " %g", expected[i]);
        }
        fail_msg("expected %d classes, breaks%s; got %d classes, breaks%s", n_expected, want, c->n,
                 got);
    }
}

/* How many values fall in each class, by stats_class_of. */
static void class_counts(const struct classes *c, const double *values, size_t n, size_t *counts)
{
    memset(counts, 0, (size_t)c->n * sizeof(*counts));
    for (size_t i = 0; i < n; i++) {
        int cls = stats_class_of(c->breaks, c->n, values[i]);
        assert_true(cls >= 0 && cls < c->n);
        counts[cls]++;
    }
}

/* Within-class sum of squared deviations of the classification c. */
static double classified_ssd(const struct classes *c, const double *values, size_t n)
{
    double sum[STATS_MAX_CLASSES] = {0}, ssd = 0.0;
    size_t count[STATS_MAX_CLASSES] = {0};
    for (size_t i = 0; i < n; i++) {
        int cls = stats_class_of(c->breaks, c->n, values[i]);
        sum[cls] += values[i];
        count[cls]++;
    }
    for (size_t i = 0; i < n; i++) {
        int cls = stats_class_of(c->breaks, c->n, values[i]);
        double d = values[i] - sum[cls] / (double)count[cls];
        ssd += d * d;
    }
    return ssd;
}

static double segment_ssd(const double *sorted, size_t a, size_t b)
{
    double mean = 0.0, ssd = 0.0;
    for (size_t i = a; i < b; i++) {
        mean += sorted[i];
    }
    mean /= (double)(b - a);
    for (size_t i = a; i < b; i++) {
        ssd += (sorted[i] - mean) * (sorted[i] - mean);
    }
    return ssd;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double *sorted_copy(const double *values, size_t n)
{
    double *s = malloc(n * sizeof(*s));
    assert_non_null(s);
    memcpy(s, values, n * sizeof(*s));
    qsort(s, n, sizeof(*s), compare_doubles);
    return s;
}

/* Least SSD over every split of sorted[from..n) into k non-empty runs: brute force. Cuts may
 * fall inside runs of equal values too, so it does not assume ties stay together. */
static double brute_force_ssd(const double *sorted, size_t from, size_t n, int k)
{
    if (k == 1) {
        return segment_ssd(sorted, from, n);
    }
    double best = INFINITY;
    for (size_t end = from + 1; end + (size_t)(k - 1) <= n; end++) {
        double ssd = segment_ssd(sorted, from, end) + brute_force_ssd(sorted, end, n, k - 1);
        best = ssd < best ? ssd : best;
    }
    return best;
}

/* Least SSD of sorted[0..n) in k runs by the textbook O(k n^2) programme over raw values. */
static double plain_dp_ssd(const double *sorted, size_t n, int k)
{
    double *prev = malloc((n + 1) * sizeof(double)), *cur = malloc((n + 1) * sizeof(double));
    double *sum = malloc((n + 1) * sizeof(double)), *sum2 = malloc((n + 1) * sizeof(double));
    assert_true(prev != NULL && cur != NULL && sum != NULL && sum2 != NULL);
    sum[0] = sum2[0] = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum[i + 1] = sum[i] + sorted[i];
        sum2[i + 1] = sum2[i] + sorted[i] * sorted[i];
    }
    for (size_t m = 0; m <= n; m++) {
        prev[m] = m == 0 ? INFINITY : sum2[m] - sum[m] * sum[m] / (double)m;
    }
    for (int j = 2; j <= k; j++) {
        for (size_t m = 0; m <= n; m++) {
            cur[m] = INFINITY;
            for (size_t t = (size_t)j - 1; t < m; t++) {
                double s = sum[m] - sum[t], w = (double)(m - t);
                double c = prev[t] + (sum2[m] - sum2[t]) - s * s / w;
                cur[m] = c < cur[m] ? c : cur[m];
            }
        }
        memcpy(prev, cur, (n + 1) * sizeof(double));
    }
    double best = prev[n];
    free(prev);
    free(cur);
    free(sum);
    free(sum2);
    return best;
}

/* A fixed pseudo-random sequence (Knuth's MMIX LCG), so failures reproduce. */
static unsigned long long rng_state;
static double rng_uniform(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Method names */

static void method_words_parse_and_name_back(void **state)
{
    (void)state;
    static const struct {
        const char *word;
        enum stats_class_method method;
        const char *canonical;
    } cases[] = {
        {"quantile", STATS_CLASS_QUANTILE, "quantile"},
        {"equal-interval", STATS_CLASS_EQUAL_INTERVAL, "equal-interval"},
        {"natural-breaks", STATS_CLASS_NATURAL_BREAKS, "natural-breaks"},
        {"jenks", STATS_CLASS_NATURAL_BREAKS, "natural-breaks"},
    };
    for (size_t i = 0; i < N_ITEMS(cases); i++) {
        enum stats_class_method m = STATS_CLASS_QUANTILE;
        struct err err = {0};
        assert_int_equal(stats_class_method_parse(cases[i].word, &m, &err), ERR_OK);
        assert_int_equal(m, cases[i].method);
        assert_string_equal(stats_class_method_name(m), cases[i].canonical);
    }
}

static void unknown_method_words_are_refused_with_the_accepted_ones(void **state)
{
    (void)state;
    static const char *const bad[] = {"Quantile",       "",       "equal_interval",
                                      "natural breaks", "jenks ", "kmeans"};
    for (size_t i = 0; i < N_ITEMS(bad); i++) {
        enum stats_class_method m = STATS_CLASS_EQUAL_INTERVAL;
        struct err err = {0};
        assert_int_equal(stats_class_method_parse(bad[i], &m, &err), ERR_INVALID);
        assert_int_equal(m, STATS_CLASS_EQUAL_INTERVAL);
        assert_non_null(strstr(err.msg, "quantile, equal-interval or natural-breaks"));
    }
    enum stats_class_method m;
    struct err err = {0};
    assert_int_equal(stats_class_method_parse(NULL, &m, &err), ERR_INVALID);
    assert_null(stats_class_method_name((enum stats_class_method)42));
}

/* Natural breaks */

/* jenkspy's README example; it publishes the upper bounds 1.2, 2.3, 5.0, 7.8, i.e. classes
 * {1.2 1.3 2.3} {3.9 4.1 4.3 4.3 5.0} {7.1 7.3 7.3 7.8}. */
static void natural_breaks_match_the_published_jenkspy_example(void **state)
{
    (void)state;
    const double values[] = {1.3, 7.1, 7.3, 2.3, 3.9, 4.1, 7.8, 1.2, 4.3, 7.3, 5.0, 4.3};
    struct classes c = classify(values, N_ITEMS(values), STATS_CLASS_NATURAL_BREAKS, 3);
    assert_breaks(&c, (const double[]){1.2, 3.9, 7.1, 7.8}, 3);
    double *s = sorted_copy(values, N_ITEMS(values));
    assert_true(fabs(brute_force_ssd(s, 0, N_ITEMS(values), 3) - 1.6955) < 1e-9);
    free(s);
}

/* Every split of small random samples (with ties and negative values) is tried; the method's
 * classes must reach the least sum of squared deviations. Where no two splits tie, that
 * also pins the breaks down, so the SSD check is as strict as comparing breaks. */
static void natural_breaks_reach_the_brute_force_optimum(void **state)
{
    (void)state;
    rng_state = 1958; /* Fisher's year */
    for (int trial = 0; trial < 300; trial++) {
        size_t n = 3 + (size_t)(rng_uniform() * 10); /* 3..12 */
        double values[12];
        for (size_t i = 0; i < n; i++) {
            /* One decimal between -20 and 20: ties happen often. */
            values[i] = round(rng_uniform() * 400.0 - 200.0) / 10.0;
            if (trial % 3 == 0) {
                values[i] = round(values[i] / 4.0); /* heavy ties */
            }
        }
        int k = 2 + trial % 5; /* 2..6 */
        struct classes c = classify(values, n, STATS_CLASS_NATURAL_BREAKS, k);
        double *s = sorted_copy(values, n);
        size_t n_distinct = 1;
        for (size_t i = 1; i < n; i++) {
            n_distinct += s[i - 1] < s[i];
        }
        int expected_n = (size_t)k < n_distinct ? k : (int)n_distinct;
        assert_int_equal(c.n, expected_n);
        if (c.n > 1) {
            double best = brute_force_ssd(s, 0, n, c.n);
            double got = classified_ssd(&c, values, n);
            if (fabs(got - best) > 1e-9 * (1.0 + best)) {
                fail_msg("trial %d (n=%zu, k=%d): SSD %.12g, brute force %.12g", trial, n, k, got,
                         best);
            }
        }
        free(s);
    }
}

static void natural_breaks_match_a_plain_dynamic_programme_on_hundreds_of_values(void **state)
{
    (void)state;
    rng_state = 1977; /* Jenks' year */
    for (int trial = 0; trial < 6; trial++) {
        size_t n = 300 + (size_t)trial * 40;
        double *values = malloc(n * sizeof(*values));
        assert_non_null(values);
        for (size_t i = 0; i < n; i++) {
            /* Skewed, like densities per km²: many small, a long tail. */
            double u = rng_uniform();
            values[i] = round(1000.0 * u * u * u * (trial % 2 == 0 ? 1.0 : -1.0)) / 10.0;
        }
        int k = 3 + trial; /* 3..8 */
        struct classes c = classify(values, n, STATS_CLASS_NATURAL_BREAKS, k);
        assert_int_equal(c.n, k);
        double *s = sorted_copy(values, n);
        double best = plain_dp_ssd(s, n, k);
        double got = classified_ssd(&c, values, n);
        if (fabs(got - best) > 1e-9 * (1.0 + best)) {
            fail_msg("trial %d (n=%zu, k=%d): SSD %.12g, plain programme %.12g", trial, n, k, got,
                     best);
        }
        free(s);
        free(values);
    }
}

/* Over STATS_NATURAL_EXACT_MAX distinct values the breaks come from a sample; three tight,
 * well separated groups must still be found exactly, whatever the input order. */
static void natural_breaks_on_a_large_set_find_separated_groups_deterministically(void **state)
{
    (void)state;
    enum { PER_GROUP = 4000, N = 3 * PER_GROUP };
    double *values = malloc(N * sizeof(*values));
    assert_non_null(values);
    for (size_t i = 0; i < N; i++) {
        size_t group = i % 3, j = i / 3;
        values[i] = (double)group * 1000.0 + (double)j * 0.01; /* all distinct */
    }
    struct classes c = classify(values, N, STATS_CLASS_NATURAL_BREAKS, 3);
    assert_breaks(&c, (const double[]){0.0, 1000.0, 2000.0, 2000.0 + (PER_GROUP - 1) * 0.01}, 3);

    /* Reversed input: the same breaks. */
    for (size_t i = 0; i < N / 2; i++) {
        double t = values[i];
        values[i] = values[N - 1 - i];
        values[N - 1 - i] = t;
    }
    struct classes again = classify(values, N, STATS_CLASS_NATURAL_BREAKS, 3);
    assert_breaks(&again, c.breaks, c.n);

    /* More classes than groups: still every break a value and no class empty. */
    struct classes nine = classify(values, N, STATS_CLASS_NATURAL_BREAKS, 9);
    assert_int_equal(nine.n, 9);
    size_t counts[STATS_MAX_CLASSES];
    class_counts(&nine, values, N, counts);
    for (int i = 0; i < nine.n; i++) {
        assert_true(counts[i] > 0);
        bool is_value = false;
        for (size_t j = 0; j < N && !is_value; j++) {
            is_value = values[j] == nine.breaks[i];
        }
        assert_true(is_value);
    }
    free(values);
}

/* Quantile */

static void quantile_splits_distinct_values_into_equal_counts(void **state)
{
    (void)state;
    const double ten[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    struct classes c = classify(ten, N_ITEMS(ten), STATS_CLASS_QUANTILE, 5);
    assert_breaks(&c, (const double[]){1, 3, 5, 7, 9, 10}, 5);
    const double twelve[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    c = classify(twelve, N_ITEMS(twelve), STATS_CLASS_QUANTILE, 4);
    assert_breaks(&c, (const double[]){1, 4, 7, 10, 12}, 4);
    size_t counts[4];
    class_counts(&c, twelve, N_ITEMS(twelve), counts);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(counts[i], 3);
    }
}

static void quantile_keeps_ties_in_one_class_nearest_to_equal_counts(void **state)
{
    (void)state;
    /* The median falls inside the run of 2s: keeping it whole below gives 6 + 2, above
     * gives 1 + 7; 6 + 2 is nearer 4 + 4. */
    const double run[] = {1, 2, 2, 2, 2, 2, 3, 4};
    struct classes c = classify(run, N_ITEMS(run), STATS_CLASS_QUANTILE, 2);
    assert_breaks(&c, (const double[]){1, 3, 4}, 2);
    /* Four 1s then four distinct values: an exact 4 + 4. */
    const double ones[] = {1, 1, 1, 1, 2, 3, 4, 5};
    c = classify(ones, N_ITEMS(ones), STATS_CLASS_QUANTILE, 2);
    assert_breaks(&c, (const double[]){1, 2, 5}, 2);
    /* The median cut (after two values) is not a value change; after one and after three
     * are as near, and the lower wins: 1 + 3. */
    const double even[] = {3, 2, 1, 2};
    c = classify(even, N_ITEMS(even), STATS_CLASS_QUANTILE, 2);
    assert_breaks(&c, (const double[]){1, 2, 3}, 2);
    /* Eight 1s, a 2 and a 3 in three classes: the ties allow only 8 + 1 + 1. */
    const double heavy[] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 3};
    c = classify(heavy, N_ITEMS(heavy), STATS_CLASS_QUANTILE, 3);
    assert_breaks(&c, (const double[]){1, 2, 3, 3}, 3);
}

/* Equal interval */

static void equal_interval_splits_the_range_into_equal_widths(void **state)
{
    (void)state;
    const double values[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    struct classes c = classify(values, N_ITEMS(values), STATS_CLASS_EQUAL_INTERVAL, 5);
    assert_breaks(&c, (const double[]){0, 2, 4, 6, 8, 10}, 5);
    const double negative[] = {-10, -5, 0, 5, 10, 7.5, -2.5};
    c = classify(negative, N_ITEMS(negative), STATS_CLASS_EQUAL_INTERVAL, 4);
    assert_breaks(&c, (const double[]){-10, -5, 0, 5, 10}, 4);
}

static void equal_interval_merges_intervals_that_hold_no_value(void **state)
{
    (void)state;
    /* Widths of 24.75: 1..25.75 holds 1, 2, 3; the next two hold nothing; 75.25..100
     * holds 100. The empty ones join the class below. */
    const double values[] = {1, 2, 3, 100};
    struct classes c = classify(values, N_ITEMS(values), STATS_CLASS_EQUAL_INTERVAL, 4);
    assert_breaks(&c, (const double[]){1, 75.25, 100}, 2);
}

static void equal_interval_survives_the_widest_finite_range(void **state)
{
    (void)state;
    const double values[] = {-DBL_MAX, 0.0, DBL_MAX};
    struct classes c = classify(values, N_ITEMS(values), STATS_CLASS_EQUAL_INTERVAL, 2);
    assert_breaks(&c, (const double[]){-DBL_MAX, 0.0, DBL_MAX}, 2);
    /* Quarters: the one from -DBL_MAX / 2 holds no value, so it joins the one below. */
    const double five[] = {-DBL_MAX, 0.0, 1.0, 2.0, DBL_MAX};
    c = classify(five, N_ITEMS(five), STATS_CLASS_EQUAL_INTERVAL, 4);
    assert_breaks(&c, (const double[]){-DBL_MAX, 0.0, DBL_MAX / 2, DBL_MAX}, 3);
    c = classify(values, N_ITEMS(values), STATS_CLASS_NATURAL_BREAKS, 2);
    assert_int_equal(c.n, 2);
    assert_true(isfinite(c.breaks[1]));
}

/* Few values */

static void fewer_distinct_values_than_classes_give_one_class_per_value(void **state)
{
    (void)state;
    const double values[] = {7, 3, 7, 3, 7};
    const enum stats_class_method methods[] = {STATS_CLASS_QUANTILE, STATS_CLASS_EQUAL_INTERVAL,
                                               STATS_CLASS_NATURAL_BREAKS};
    for (size_t m = 0; m < N_ITEMS(methods); m++) {
        struct classes c = classify(values, N_ITEMS(values), methods[m], 5);
        if (methods[m] == STATS_CLASS_EQUAL_INTERVAL) {
            assert_breaks(&c, (const double[]){3, 5, 7}, 2);
        } else {
            /* Breaks are values: the top class holding only the maximum has equal bounds. */
            assert_breaks(&c, (const double[]){3, 7, 7}, 2);
        }
        assert_int_equal(stats_class_of(c.breaks, c.n, 3), 0);
        assert_int_equal(stats_class_of(c.breaks, c.n, 7), 1);
    }
}

static void one_value_or_one_distinct_value_gives_one_class(void **state)
{
    (void)state;
    const double one[] = {42.5};
    const double same[] = {-3, -3, -3};
    for (int m = STATS_CLASS_QUANTILE; m <= STATS_CLASS_NATURAL_BREAKS; m++) {
        struct classes c = classify(one, 1, (enum stats_class_method)m, 3);
        assert_breaks(&c, (const double[]){42.5, 42.5}, 1);
        assert_int_equal(stats_class_of(c.breaks, c.n, 42.5), 0);
        c = classify(same, N_ITEMS(same), (enum stats_class_method)m, 9);
        assert_breaks(&c, (const double[]){-3, -3}, 1);
    }
}

static void no_values_give_no_classes(void **state)
{
    (void)state;
    struct classes c = classify(NULL, 0, STATS_CLASS_NATURAL_BREAKS, 5);
    assert_int_equal(c.n, 0);
    assert_int_equal(stats_class_of(c.breaks, c.n, 1.0), -1);
}

/* Refusals */

/* The caller drops nulls before classifying; a NaN or infinity that slips through is a bug
 * upstream, refused rather than sorted into some class. */
static void non_finite_values_are_refused(void **state)
{
    (void)state;
    const double with_nan[] = {1, 2, NAN, 4};
    const double with_inf[] = {1, INFINITY};
    double breaks[STATS_MAX_CLASSES + 1];
    int n_classes = 17;
    struct err err = {0};
    assert_int_equal(stats_classify(with_nan, N_ITEMS(with_nan), STATS_CLASS_QUANTILE, 2, breaks,
                                    &n_classes, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "value 2"));
    assert_int_equal(n_classes, 17);
    assert_int_equal(stats_classify(with_inf, N_ITEMS(with_inf), STATS_CLASS_NATURAL_BREAKS, 2,
                                    breaks, &n_classes, &err),
                     ERR_INVALID);
    assert_non_null(strstr(err.msg, "value 1"));
}

static void class_counts_outside_two_to_nine_are_refused(void **state)
{
    (void)state;
    const double values[] = {1, 2, 3};
    double breaks[STATS_MAX_CLASSES + 2];
    int n_classes = 0;
    const int bad[] = {-1, 0, 1, STATS_MAX_CLASSES + 1};
    for (size_t i = 0; i < N_ITEMS(bad); i++) {
        struct err err = {0};
        assert_int_equal(
            stats_classify(values, 3, STATS_CLASS_QUANTILE, bad[i], breaks, &n_classes, &err),
            ERR_INVALID);
        assert_non_null(strstr(err.msg, "2 to 9"));
    }
    struct err err = {0};
    assert_int_equal(
        stats_classify(values, 3, (enum stats_class_method)7, 3, breaks, &n_classes, &err),
        ERR_INVALID);
}

/* Invariants on random data, every method */

static void check_invariants(const double *values, size_t n, enum stats_class_method method, int k,
                             const struct classes *c)
{
    double *s = sorted_copy(values, n);
    size_t n_distinct = 1;
    for (size_t i = 1; i < n; i++) {
        n_distinct += s[i - 1] < s[i];
    }
    int most = (size_t)k < n_distinct ? k : (int)n_distinct;
    assert_true(c->n >= 1 && c->n <= most);
    if (method != STATS_CLASS_EQUAL_INTERVAL) {
        assert_int_equal(c->n, most);
    }
    assert_true(c->breaks[0] == s[0]);
    assert_true(c->breaks[c->n] == s[n - 1]);
    for (int i = 1; i < c->n; i++) {
        assert_true(c->breaks[i - 1] < c->breaks[i]);
    }
    assert_true(c->breaks[c->n - 1] <= c->breaks[c->n]);
    size_t counts[STATS_MAX_CLASSES];
    class_counts(c, values, n, counts);
    for (int i = 0; i < c->n; i++) {
        assert_true(counts[i] > 0);
        bool is_value = method == STATS_CLASS_EQUAL_INTERVAL && i > 0;
        for (size_t j = 0; j < n && !is_value; j++) {
            is_value = s[j] == c->breaks[i];
        }
        assert_true(is_value);
    }
    free(s);
}

static void breaks_rise_and_no_class_is_empty_on_random_data(void **state)
{
    (void)state;
    rng_state = 4326;
    for (int trial = 0; trial < 600; trial++) {
        size_t n = 1 + (size_t)(rng_uniform() * 60);
        double values[60];
        double scale = trial % 4 == 0 ? 1.0 : 1000.0;
        for (size_t i = 0; i < n; i++) {
            values[i] = round((rng_uniform() - 0.3) * scale) / (trial % 2 ? 1.0 : 7.0);
        }
        int k = 2 + trial % (STATS_MAX_CLASSES - 1);
        enum stats_class_method method = (enum stats_class_method)(trial % 3);
        struct classes c = classify(values, n, method, k);
        check_invariants(values, n, method, k, &c);
    }
}

/* Class lookup */

static void class_of_puts_lower_bounds_in_and_clamps_outside(void **state)
{
    (void)state;
    const double breaks[] = {0, 10, 20, 30};
    assert_int_equal(stats_class_of(breaks, 3, -5), 0);
    assert_int_equal(stats_class_of(breaks, 3, 0), 0);
    assert_int_equal(stats_class_of(breaks, 3, 9.999), 0);
    assert_int_equal(stats_class_of(breaks, 3, 10), 1);
    assert_int_equal(stats_class_of(breaks, 3, 20), 2);
    assert_int_equal(stats_class_of(breaks, 3, 30), 2);
    assert_int_equal(stats_class_of(breaks, 3, 31), 2);
    assert_int_equal(stats_class_of(breaks, 3, NAN), -1);
    assert_int_equal(stats_class_of(breaks, 0, 5), -1);
    const double top_single[] = {3, 7, 7};
    assert_int_equal(stats_class_of(top_single, 2, 6.9), 0);
    assert_int_equal(stats_class_of(top_single, 2, 7), 1);
}

/* Colour ramps */

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    return -1;
}

/* WCAG 2 relative luminance of "#rrggbb"; fails the test on a malformed colour. */
static double relative_luminance(const char *colour)
{
    if (strlen(colour) != 7 || colour[0] != '#') {
        fail_msg("'%s' is not #rrggbb", colour);
    }
    double linear[3];
    for (int c = 0; c < 3; c++) {
        int hi = hex_digit(colour[1 + 2 * c]), lo = hex_digit(colour[2 + 2 * c]);
        if (hi < 0 || lo < 0) {
            fail_msg("'%s' is not lowercase hex", colour);
        }
        double v = (hi * 16 + lo) / 255.0;
        linear[c] = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
}

static void ramps_of_every_size_go_from_light_to_dark_in_distinct_colours(void **state)
{
    (void)state;
    for (int n = 1; n <= STATS_MAX_CLASSES; n++) {
        char colours[STATS_MAX_CLASSES][8];
        struct err err = {0};
        assert_int_equal(stats_ramp(stats_ramp_default(), n, colours, &err), ERR_OK);
        for (int i = 0; i < n; i++) {
            double y = relative_luminance(colours[i]);
            for (int j = 0; j < i; j++) {
                assert_string_not_equal(colours[j], colours[i]);
            }
            if (i > 0 && !(y < relative_luminance(colours[i - 1]))) {
                fail_msg("n=%d: %s is not darker than %s", n, colours[i], colours[i - 1]);
            }
        }
        if (n >= 2) {
            /* viridis' published ends: yellow #fde725 and dark purple #440154. */
            assert_string_equal(colours[0], "#fde725");
            assert_string_equal(colours[n - 1], "#440154");
        }
    }
}

static void ramp_names_and_sizes_are_checked(void **state)
{
    (void)state;
    char colours[STATS_MAX_CLASSES + 1][8];
    struct err err = {0};
    assert_string_equal(stats_ramp_default(), "viridis");
    assert_int_equal(stats_ramp("jet", 5, colours, &err), ERR_INVALID);
    assert_non_null(strstr(err.msg, "viridis"));
    assert_int_equal(stats_ramp("Viridis", 5, colours, &err), ERR_INVALID);
    assert_int_equal(stats_ramp(NULL, 5, colours, &err), ERR_INVALID);
    assert_int_equal(stats_ramp("viridis", 0, colours, &err), ERR_INVALID);
    assert_int_equal(stats_ramp("viridis", STATS_MAX_CLASSES + 1, colours, &err), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(method_words_parse_and_name_back),
        cmocka_unit_test(unknown_method_words_are_refused_with_the_accepted_ones),
        cmocka_unit_test(natural_breaks_match_the_published_jenkspy_example),
        cmocka_unit_test(natural_breaks_reach_the_brute_force_optimum),
        cmocka_unit_test(natural_breaks_match_a_plain_dynamic_programme_on_hundreds_of_values),
        cmocka_unit_test(natural_breaks_on_a_large_set_find_separated_groups_deterministically),
        cmocka_unit_test(quantile_splits_distinct_values_into_equal_counts),
        cmocka_unit_test(quantile_keeps_ties_in_one_class_nearest_to_equal_counts),
        cmocka_unit_test(equal_interval_splits_the_range_into_equal_widths),
        cmocka_unit_test(equal_interval_merges_intervals_that_hold_no_value),
        cmocka_unit_test(equal_interval_survives_the_widest_finite_range),
        cmocka_unit_test(fewer_distinct_values_than_classes_give_one_class_per_value),
        cmocka_unit_test(one_value_or_one_distinct_value_gives_one_class),
        cmocka_unit_test(no_values_give_no_classes),
        cmocka_unit_test(non_finite_values_are_refused),
        cmocka_unit_test(class_counts_outside_two_to_nine_are_refused),
        cmocka_unit_test(breaks_rise_and_no_class_is_empty_on_random_data),
        cmocka_unit_test(class_of_puts_lower_bounds_in_and_clamps_outside),
        cmocka_unit_test(ramps_of_every_size_go_from_light_to_dark_in_distinct_colours),
        cmocka_unit_test(ramp_names_and_sizes_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
