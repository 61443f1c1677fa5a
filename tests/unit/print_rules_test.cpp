#include "layout/print_rules.hpp"

#include <gtest/gtest.h>

namespace folio::layout {
namespace {

TEST(PrintRules, KdpGutterByPageCount) {
    const std::vector<std::pair<int, double>> steps = {{24, 0.375},  {150, 0.375}, {151, 0.5},  {300, 0.5},
                                                       {301, 0.625}, {500, 0.625}, {501, 0.75}, {700, 0.75},
                                                       {701, 0.875}, {828, 0.875}};
    for (const auto& [pages, inches] : steps) EXPECT_DOUBLE_EQ(kdp_gutter(pages), inches * 72) << pages << " pages";
}

// The style's inner margin serves the thinnest book; each step adds 0.125 in, and
// a style narrower than KDP's minimum is widened to it.
TEST(PrintRules, InnerMarginGrowsFromTheStyles) {
    PrintStyle style;  // inner 0.875 in
    EXPECT_DOUBLE_EQ(print_inner_margin(style, 100), 63);
    EXPECT_DOUBLE_EQ(print_inner_margin(style, 200), 72);
    EXPECT_DOUBLE_EQ(print_inner_margin(style, 800), 99);
    style.inner = 18;  // 0.25 in: below every step
    EXPECT_DOUBLE_EQ(print_inner_margin(style, 100), 27);
    EXPECT_DOUBLE_EQ(print_inner_margin(style, 400), 45);
}

}  // namespace
}  // namespace folio::layout
