/* test_hilbert.c - geo/hilbert: the curve visits every cell once, moving one step at a time. */
#include "unit.h"

#include <stdlib.h>

#include "geo/hilbert.h"

#include "unit_support.c"

/* The curve fills the lower-left 2^k square before leaving it, so its first 4^k indices
 * are exactly that square's cells, each one step from the previous. */
static void hilbert_walks_the_lower_left_square_cell_by_cell(void **state)
{
    (void)state;
    enum { SIDE = 16, CELLS = SIDE * SIDE };
    int xs[CELLS], ys[CELLS], seen[CELLS] = {0};
    for (uint32_t x = 0; x < SIDE; x++) {
        for (uint32_t y = 0; y < SIDE; y++) {
            uint32_t d = hilbert_index(x, y);
            assert_true(d < CELLS);
            seen[d]++;
            xs[d] = (int)x;
            ys[d] = (int)y;
        }
    }
    for (int d = 0; d < CELLS; d++) {
        assert_int_equal(seen[d], 1);
        if (d > 0) {
            assert_int_equal(abs(xs[d] - xs[d - 1]) + abs(ys[d] - ys[d - 1]), 1);
        }
    }
}

static void hilbert_covers_the_whole_32_bit_range(void **state)
{
    (void)state;
    assert_int_equal(hilbert_index(0, 0), 0);
    assert_int_equal(hilbert_index(65535, 0), 0xFFFFFFFFu);
}

static void grid_clamps_and_handles_degenerate_ranges(void **state)
{
    (void)state;
    assert_int_equal(hilbert_grid(98.8, 98.8, 99.2), 0);
    assert_int_equal(hilbert_grid(99.2, 98.8, 99.2), 65535);
    assert_int_equal(hilbert_grid(120.0, 98.8, 99.2), 65535);
    assert_int_equal(hilbert_grid(-5.0, 98.8, 99.2), 0);
    assert_int_equal(hilbert_grid(5.0, 5.0, 5.0), 0);
    assert_int_equal(hilbert_grid(99.0, 98.8, 99.2), 32767);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hilbert_walks_the_lower_left_square_cell_by_cell),
        cmocka_unit_test(hilbert_covers_the_whole_32_bit_range),
        cmocka_unit_test(grid_clamps_and_handles_degenerate_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
