#include "layout/hyphenate.hpp"

#include <gtest/gtest.h>

namespace folio::layout {
namespace {

// The word with '-' at each break point.
std::string show(Hyphenator& h, const std::string& word, const std::string& lang) {
    std::string out;
    std::size_t from = 0;
    for (std::size_t p : h.points(word, lang)) {
        out += word.substr(from, p - from) + "-";
        from = p;
    }
    return out + word.substr(from);
}

TEST(Hyphenate, EnglishWithTexMinimums) {
    Hyphenator h;
    EXPECT_EQ(show(h, "hyphenation", "en"), "hy-phen-ation");
    EXPECT_EQ(show(h, "Hyphenation", "en-GB"), "Hy-phen-ation");  // lowercased first
    EXPECT_EQ(show(h, "typesetting", "en-US"), "type-set-ting");
    EXPECT_EQ(show(h, "book", "en"), "book");  // too short
}

TEST(Hyphenate, SerbianAndCroatianDictionariesAreNotUtf8) {
    Hyphenator h;
    EXPECT_EQ(show(h, "књижевност", "sr-Cyrl"), "књи-жев-ност");
    EXPECT_EQ(show(h, "рачунар", "sr"), "ра-чу-нар");
    EXPECT_EQ(show(h, "računalo", "hr"), "ra-ču-nalo");  // \\righthyphenmin 3 keeps "lo"
    EXPECT_EQ(show(h, "književnost", "sr-Latn"), "knji-žev-nost");
}

TEST(Hyphenate, LanguagesWithoutADictionary) {
    Hyphenator h;
    EXPECT_FALSE(h.has_dictionary("sq"));
    EXPECT_TRUE(h.points("mirëmëngjes", "sq").empty());
    EXPECT_TRUE(h.has_dictionary("en"));
}

}  // namespace
}  // namespace folio::layout
