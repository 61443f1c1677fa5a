#include "layout/hyphenate.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

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

// libhyphen counts a UTF-8 dictionary's positions in characters: a word with a
// letter of two bytes used to get its breaks one byte off ("rüc-ke-nschmerzen").
TEST(Hyphenate, AccentedWordsInAUtf8Dictionary) {
    Hyphenator h;
    EXPECT_EQ(show(h, "résumés", "en"), "ré-sumés");
    EXPECT_EQ(show(h, "déménagement", "en"), "démé-nage-ment");
    EXPECT_EQ(show(h, "Rückenschmerzen", "en"), "Rück-en-schmerzen");
}

TEST(Hyphenate, SerbianAndCroatianDictionariesAreNotUtf8) {
    Hyphenator h;
    EXPECT_EQ(show(h, "књижевност", "sr-Cyrl"), "књи-жев-ност");
    EXPECT_EQ(show(h, "рачунар", "sr"), "ра-чу-нар");
    EXPECT_EQ(show(h, "računalo", "hr"), "ra-ču-nalo");  // \\righthyphenmin 3 keeps "lo"
    EXPECT_EQ(show(h, "književnost", "sr-Latn"), "knji-žev-nost");
}

// Articles are set on every core and call the hyphenator at once: the same words
// from four threads, in four languages (two of them 8-bit dictionaries), must give
// what one thread gives.
TEST(Hyphenate, FromManyThreadsAtOnce) {
    const std::vector<std::pair<std::string, std::string>> words = {
        {"hyphenation", "en"}, {"književnost", "hr"}, {"књижевност", "sr"}, {"typesetting", "en-US"},
        {"računalo", "sr-Latn"}, {"рачунар", "sr-Cyrl"}, {"extraordinary", "en"}, {"uspješnost", "hr"}};
    Hyphenator serial;
    std::vector<std::string> expected;
    for (const auto& [w, lang] : words) expected.push_back(show(serial, w, lang));
    Hyphenator shared;
    std::vector<std::vector<std::string>> got(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < got.size(); ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 200; ++round)
                for (const auto& [w, lang] : words) got[t].push_back(show(shared, w, lang));
        });
    for (auto& th : threads) th.join();
    for (const auto& g : got)
        for (std::size_t i = 0; i < g.size(); ++i) ASSERT_EQ(g[i], expected[i % words.size()]);
}

TEST(Hyphenate, LanguagesWithoutADictionary) {
    Hyphenator h;
    EXPECT_FALSE(h.has_dictionary("sq"));
    EXPECT_TRUE(h.points("mirëmëngjes", "sq").empty());
    EXPECT_TRUE(h.has_dictionary("en"));
}

}  // namespace
}  // namespace folio::layout
