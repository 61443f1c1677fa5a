// break_lines with hand-built items: TeX's rules, checked one by one.
#include "layout/break_lines.hpp"

#include <gtest/gtest.h>

namespace folio::layout {
namespace {

// n words of width `w` separated by glue (3, stretch 1.5, shrink 1), then \parfillskip.
std::vector<Item> words(int n, double w) {
    std::vector<Item> items;
    for (int i = 0; i < n; ++i) {
        if (i) items.push_back(Item::glue(3, 1.5, 1));
        items.push_back(Item::box(w));
    }
    items.push_back(Item::penalty_item(0, kInfinity, false));
    items.push_back(Item::glue(0, kFil, 0));
    items.push_back(Item::penalty_item(0, -kInfinity, false));
    return items;
}

TEST(Badness, IsTexs) {
    EXPECT_DOUBLE_EQ(badness(0), 0);
    EXPECT_DOUBLE_EQ(badness(0.5), 12.5);
    EXPECT_DOUBLE_EQ(badness(-1), 100);
    EXPECT_DOUBLE_EQ(badness(3), 2700);
    EXPECT_DOUBLE_EQ(badness(5), kInfinity);  // capped
    EXPECT_GT(badness(-1.01), kInfinity);      // overfull is infeasible
}

TEST(BreakLines, ExactFitNeedsNoStretch) {
    // 4 words of 10 with 3 spaces of 3 = 49 per line: 8 words make two lines.
    const auto items = words(8, 10);
    const auto breaks = break_lines(items, {49}, BreakParams{});
    ASSERT_TRUE(breaks.has_value());
    ASSERT_EQ(breaks->size(), 2u);
    EXPECT_EQ((*breaks)[0].position, 7u);  // the glue after the 4th box
    EXPECT_DOUBLE_EQ((*breaks)[0].ratio, 0);
    EXPECT_EQ((*breaks)[1].position, items.size() - 1);
}

TEST(BreakLines, StretchesWithinTolerance) {
    // 49 natural in a 51 line: r = 2 / 4.5 = 0.444, badness 8.8.
    const auto breaks = break_lines(words(8, 10), {51}, BreakParams{});
    ASSERT_TRUE(breaks.has_value());
    EXPECT_NEAR((*breaks)[0].ratio, 2.0 / 4.5, 1e-9);
}

TEST(BreakLines, InfeasibleAtToleranceIsNullopt) {
    // A line of 3 words (36) stretched to 45: r = 9 / 3 = 3, badness 10000 > 200; 4 words
    // (49) do not fit either. No set of breaks is within tolerance.
    BreakParams p;
    p.tolerance = 200;
    EXPECT_FALSE(break_lines(words(8, 10), {45}, p).has_value());
    p.tolerance = kInfinity;  // anything short of overfull
    EXPECT_TRUE(break_lines(words(8, 10), {45}, p).has_value());
}

TEST(BreakLines, EmergencyStretchRescuesALooseParagraph) {
    // The same paragraph as above: infeasible at 200, feasible once each line may
    // stretch 20 more (TeX's third pass).
    BreakParams p;
    EXPECT_FALSE(break_lines(words(8, 10), {45}, p).has_value());
    p.emergency_stretch = 20;
    EXPECT_TRUE(break_lines(words(8, 10), {45}, p).has_value());
}

TEST(BreakLines, ForcedBreakEndsALine) {
    std::vector<Item> items{Item::box(10), Item::glue(0, kFil, 0), Item::penalty_item(0, -kInfinity, false),
                            Item::box(10), Item::glue(0, kFil, 0), Item::penalty_item(0, -kInfinity, false)};
    const auto breaks = break_lines(items, {100}, BreakParams{});
    ASSERT_TRUE(breaks.has_value());
    ASSERT_EQ(breaks->size(), 2u);
    EXPECT_EQ((*breaks)[0].position, 2u);
}

TEST(BreakLines, ShrinksRatherThanOverflows) {
    // 49 natural in a 46 line: shrink 3 of 3 available, r = -1: feasible, tight.
    const auto breaks = break_lines(words(4, 10), {46}, BreakParams{});
    ASSERT_TRUE(breaks.has_value());
    ASSERT_EQ(breaks->size(), 1u);  // the last line ends with \parfillskip, which absorbs the rest
}

TEST(BreakLines, HyphenTakenWhenItSavesSpacing) {
    // "aaaa bbbb cc-cc dddd" in 60: ending line 1 after "bbbb" leaves 16 to stretch
    // over 4 (r = 4, infeasible); "cc-" fits with a little shrink (r = -0.5).
    std::vector<Item> items{Item::box(20), Item::glue(4, 2, 1), Item::box(20), Item::glue(4, 2, 1),
                            Item::box(10), Item::penalty_item(3, 50, true), Item::box(10),
                            Item::glue(4, 2, 1), Item::box(20),
                            Item::penalty_item(0, kInfinity, false), Item::glue(0, kFil, 0),
                            Item::penalty_item(0, -kInfinity, false)};
    const auto breaks = break_lines(items, {60}, BreakParams{});
    ASSERT_TRUE(breaks.has_value());
    ASSERT_EQ(breaks->size(), 2u);
    EXPECT_EQ((*breaks)[0].position, 5u);
    EXPECT_NEAR((*breaks)[0].ratio, -0.5, 1e-9);
    EXPECT_TRUE((*breaks)[0].flagged);
}

TEST(BreakLines, NoBreakAtGlueAfterGlueOrAtForbiddingPenalty) {
    std::vector<Item> items{Item::box(30), Item::penalty_item(0, kInfinity, false), Item::glue(5, 5, 0),
                            Item::box(30), Item::penalty_item(0, kInfinity, false), Item::glue(0, kFil, 0),
                            Item::penalty_item(0, -kInfinity, false)};
    // The only legal break besides the end is the glue after the penalty? No: glue
    // follows a penalty, not a box, so it is no breakpoint: one line, overfull or not.
    BreakParams p;
    p.tolerance = kInfinity;
    EXPECT_FALSE(break_lines(items, {40}, p).has_value());  // 65 cannot shrink into 40
    const auto one = break_lines(items, {70}, p);
    ASSERT_TRUE(one.has_value());
    EXPECT_EQ(one->size(), 1u);
}

TEST(BreakLines, DoubleHyphenDemeritsWeighTwoHyphensInARow) {
    // Three lines of "xx-yy" pieces where every line can end at a hyphen or at a
    // space with the same badness: the double-hyphen demerits decide.
    std::vector<Item> items;
    for (int i = 0; i < 3; ++i) {
        if (i) items.push_back(Item::glue(4, 2, 1));
        items.push_back(Item::box(20));
        items.push_back(Item::penalty_item(2, 50, true));
        items.push_back(Item::box(18));
    }
    items.push_back(Item::penalty_item(0, kInfinity, false));
    items.push_back(Item::glue(0, kFil, 0));
    items.push_back(Item::penalty_item(0, -kInfinity, false));
    BreakParams p;
    p.tolerance = kInfinity;
    auto count_pairs = [](const std::vector<Break>& breaks) {
        int pairs = 0;
        for (std::size_t i = 1; i < breaks.size(); ++i) pairs += breaks[i].flagged && breaks[i - 1].flagged;
        return pairs;
    };
    p.double_hyphen_demerits = 0;
    const auto cheap = break_lines(items, {22}, p);
    p.double_hyphen_demerits = 1e9;
    const auto dear = break_lines(items, {22}, p);
    ASSERT_TRUE(cheap.has_value() && dear.has_value());
    EXPECT_GE(count_pairs(*cheap), count_pairs(*dear));
    EXPECT_EQ(count_pairs(*dear), 0);
}

TEST(BreakLines, NeverMoreThanTwoHyphensInARow) {
    // Words "xx-yy" where "yy xx-" fills a 46-wide line exactly: left alone, every
    // line would end with a hyphen.
    std::vector<Item> items;
    for (int i = 0; i < 8; ++i) {
        if (i) items.push_back(Item::glue(4, 2, 1));
        items.push_back(Item::box(20));
        items.push_back(Item::penalty_item(2, 50, true));
        items.push_back(Item::box(20));
    }
    items.push_back(Item::penalty_item(0, kInfinity, false));
    items.push_back(Item::glue(0, kFil, 0));
    items.push_back(Item::penalty_item(0, -kInfinity, false));
    auto longest_run = [](const std::vector<Break>& breaks) {
        int run = 0, most = 0;
        for (const Break& b : breaks) {
            run = b.flagged ? run + 1 : 0;
            most = std::max(most, run);
        }
        return most;
    };
    BreakParams p;
    p.tolerance = kInfinity;
    p.double_hyphen_demerits = 0;
    p.max_consecutive_hyphens = 0;  // TeX's behaviour
    const auto tex = break_lines(items, {46}, p);
    ASSERT_TRUE(tex.has_value());
    EXPECT_GE(longest_run(*tex), 3);  // the case is real
    p.max_consecutive_hyphens = 2;
    const auto folio = break_lines(items, {46}, p);
    ASSERT_TRUE(folio.has_value());
    EXPECT_LE(longest_run(*folio), 2);
}


// Protrusion: a line whose last character may hang 1 into the margin holds one more
// unit of text at its natural spacing.
TEST(BreakLines, AHangingCharacterLetsTheLineHoldMore) {
    auto items = words(8, 10);  // four words and three spaces: 49
    const auto tight = break_lines(items, {48}, BreakParams{});
    ASSERT_TRUE(tight.has_value());
    EXPECT_LT((*tight)[0].ratio, 0);  // shrunk to fit
    items[7].hang_right = 1;          // the glue after the fourth word: a full stop hangs
    const auto hung = break_lines(items, {48}, BreakParams{});
    ASSERT_TRUE(hung.has_value());
    EXPECT_EQ((*hung)[0].position, 7u);
    EXPECT_DOUBLE_EQ((*hung)[0].ratio, 0);
    // Twelve words; the second line starts with a quotation mark and ends with a full
    // stop, both hanging 1: its 49 fit 47 at natural spacing.
    items = words(12, 10);
    items[7].hang_right = 1;
    items[8].hang_left = 1;
    items[15].hang_right = 1;
    const auto both = break_lines(items, {47}, BreakParams{});
    ASSERT_TRUE(both.has_value());
    EXPECT_EQ((*both)[1].position, 15u);
    EXPECT_DOUBLE_EQ((*both)[1].ratio, 0);
}

// Font expansion: a box's stretch counts with the glue's in the line's ratio.
TEST(BreakLines, FontExpansionAddsToALinesStretch) {
    auto items = words(8, 10);
    for (Item& it : items)
        if (it.type == Item::Type::Box) it.stretch = it.shrink = 0.2;  // 2 % of 10
    const auto breaks = break_lines(items, {51}, BreakParams{});
    ASSERT_TRUE(breaks.has_value());
    EXPECT_NEAR((*breaks)[0].ratio, 2.0 / (4.5 + 0.8), 1e-9);
}

// A paragraph's last line shorter than a fifth of the measure costs demerits: with
// them the breaker prefers a fuller last line, without them it does not.
TEST(BreakLines, AVeryShortLastLineIsAvoided) {
    const auto items = words(11, 10);  // 5 + 5 + 1 at natural spacing in 62 (5 words: 62)
    BreakParams p;
    p.tolerance = kInfinity;
    auto last_line_words = [&](const std::vector<Break>& breaks) {
        const std::size_t from = breaks[breaks.size() - 2].position;
        int n = 0;
        for (std::size_t i = from + 1; i < items.size(); ++i) n += items[i].type == Item::Type::Box;
        return n;
    };
    p.short_last_line_demerits = 0;
    const auto plain = break_lines(items, {62}, p);
    ASSERT_TRUE(plain.has_value());
    EXPECT_EQ(last_line_words(*plain), 1);  // the case is real
    p.short_last_line_demerits = 1e8;  // more than any loose line costs here
    const auto kept = break_lines(items, {62}, p);
    ASSERT_TRUE(kept.has_value());
    EXPECT_GE(last_line_words(*kept), 2);
    EXPECT_GT(BreakParams{}.short_last_line_demerits, 0);
}

}  // namespace
}  // namespace folio::layout
