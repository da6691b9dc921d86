/* hilbert.h - position of a point along a Hilbert curve over a 2^16 x 2^16 grid.
 * Sorting boxes by the Hilbert index of their centres puts near things next to each
 * other, which is what a packed R-tree needs (Kamel & Faloutsos, 1993). Pure math. */
#ifndef CITYATLAS_GEO_HILBERT_H
#define CITYATLAS_GEO_HILBERT_H

#include <stdint.h>

#define HILBERT_ORDER 16 /* bits per axis */

/* Index of grid cell (x, y), each in [0, 2^16), along the curve: 0 .. 2^32 - 1. */
uint32_t hilbert_index(uint32_t x, uint32_t y);

/* Maps value in [min, max] onto a grid coordinate; values outside are clamped and a
 * degenerate range maps to 0. */
uint32_t hilbert_grid(double value, double min, double max);

#endif
