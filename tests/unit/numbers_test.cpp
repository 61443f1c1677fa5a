#include "core/numbers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace folio {
namespace {

// round_to_integer stands in for std::llround in the PDF writer: every place it
// writes must round as llround would, or the outputs change.
TEST(Numbers, RoundToIntegerRoundsAsLlroundDoes) {
    const double edges[] = {0.0,
                            -0.0,
                            0.5,
                            -0.5,
                            1.5,
                            -1.5,
                            2.5,
                            -2.5,
                            0.49999999999999994,  // the largest double below a half
                            -0.49999999999999994,
                            std::nextafter(0.5, 1.0),
                            std::nextafter(-0.5, -1.0),
                            4503599627370495.5,  // 2^52 - 0.5: the last with a half
                            -4503599627370495.5,
                            4503599627370496.0,  // 2^52: falls back to llround
                            9007199254740993.0,
                            -1e15 - 0.5,
                            123456.7895,
                            -0.001,
                            999.9995};
    for (const double v : edges) EXPECT_EQ(round_to_integer(v), std::llround(v)) << v;
    // A sweep of thousandths and of values near each half, as the writer sees them.
    for (int i = -200000; i <= 200000; ++i) {
        const double v = i / 997.0;
        EXPECT_EQ(round_to_integer(v), std::llround(v)) << v;
        const double half = i + 0.5;
        for (const double w : {half, std::nextafter(half, -1e300), std::nextafter(half, 1e300)})
            ASSERT_EQ(round_to_integer(w), std::llround(w)) << w;
    }
}

TEST(Numbers, RoundToIntegerLeavesNonFiniteValuesToLlround) {
    for (const double v : {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN(), 1e300})
        EXPECT_EQ(round_to_integer(v), std::llround(v)) << v;
}

}  // namespace
}  // namespace folio
