/* hilbert.c - see hilbert.h. The classic iterative conversion: at each level, find the
 * quadrant, add its offset along the curve, then rotate/flip the coordinates so the
 * quadrant is seen in the curve's standard orientation. */
#include "geo/hilbert.h"

#define HILBERT_SIDE (1u << HILBERT_ORDER)

uint32_t hilbert_index(uint32_t x, uint32_t y)
{
    uint32_t d = 0;
    for (uint32_t s = HILBERT_SIDE / 2; s > 0; s /= 2) {
        uint32_t rx = (x & s) != 0;
        uint32_t ry = (y & s) != 0;
        d += s * s * ((3u * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = HILBERT_SIDE - 1 - x;
                y = HILBERT_SIDE - 1 - y;
            }
            uint32_t t = x;
            x = y;
            y = t;
        }
    }
    return d;
}

uint32_t hilbert_grid(double value, double min, double max)
{
    const double last = (double)(HILBERT_SIDE - 1);
    if (!(max > min) || !(value > min)) {
        return 0;
    }
    if (value >= max) {
        return HILBERT_SIDE - 1;
    }
    return (uint32_t)((value - min) / (max - min) * last);
}
