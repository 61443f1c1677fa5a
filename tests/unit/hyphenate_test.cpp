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
    EXPECT_FALSE(h.has_dictionary("xx"));
    EXPECT_TRUE(h.points("mirëmëngjes", "xx").empty());
    EXPECT_TRUE(h.has_dictionary("en"));
}

// A language whose only dictionary names its country (Debian's hyphen-hi installs
// hyph_hi_IN.dic) is found by the language alone; the same file every time.
TEST(Hyphenate, ALanguageFindsItsOneCountrysDictionary) {
    Hyphenator h;
    EXPECT_TRUE(h.has_dictionary("hi"));
    EXPECT_NE(h.dictionary_for("hi").find("hyph_hi_IN.dic"), std::string::npos) << h.dictionary_for("hi");
    EXPECT_NE(h.dictionary_for("de").find("hyph_de"), std::string::npos);
}

// Albanian, from folio's own patterns (hyphen/make_sq.py), by the rules of
// Drejtshkrimi i gjuhës shqipe (1973), §96-99, and its examples.
TEST(Hyphenate, AlbanianFollowsTheOrthographysRules) {
    Hyphenator h;
    EXPECT_TRUE(h.has_dictionary("sq"));
    EXPECT_EQ(h.dictionary_for("sq-AL"), "folio:hyph_sq_AL.dic");
    // §98a: a consonant between vowels goes with the vowel after it.
    EXPECT_EQ(show(h, "gëzim", "sq"), "gë-zim");
    EXPECT_EQ(show(h, "ndriçim", "sq"), "ndri-çim");
    EXPECT_EQ(show(h, "populli", "sq"), "po-pu-lli");
    EXPECT_EQ(show(h, "deti", "sq"), "deti");  // folio leaves three letters after a break
    EXPECT_EQ(show(h, "xixëllonja", "sq"), "xi-xë-llo-nja");
    // §98b: between vowels, two or more consonants divide anywhere before the last.
    EXPECT_EQ(show(h, "kodrat", "sq"), "ko-d-rat");
    EXPECT_EQ(show(h, "mushkat", "sq"), "mu-sh-kat");
    EXPECT_EQ(show(h, "lundrat", "sq"), "lu-n-d-rat");
    // ...but j before a consonant stays with the vowel before it,
    EXPECT_EQ(show(h, "vajzat", "sq"), "vaj-zat");
    // and the suffixes -je and -shëm keep their consonants.
    EXPECT_EQ(show(h, "lodhjen", "sq"), "lodh-jen");
    EXPECT_EQ(show(h, "brendshëm", "sq"), "brend-shëm");
    // §97: one syllable, however many letters, is not divided.
    for (const char* w : {"zmbraps", "shkrep", "kopsht", "ankth", "vrull", "bulkth"})
        EXPECT_EQ(show(h, w, "sq"), w);
    EXPECT_EQ(show(h, "Shqipëria", "sq"), "Shqi-pë-ria");  // capitals are lowercased to look up
}

// The nine digraphs are letters of the alphabet: no break falls inside one, in any
// word of the field guide's passage and a list that has each of them between vowels.
TEST(Hyphenate, AlbanianNeverSplitsADigraph) {
    Hyphenator h;
    const char* words[] = {"bredhi",   "gjuhëve",  "gjegjëse", "populli",   "xixëllonja", "njerëzit", "barra",
                           "korrjen",  "mashtrues", "shishet", "kthehet",   "pothuaj",    "xhaxhai",  "zhurmëshëm",
                           "fluturojnë", "shkrimet", "fillon",  "bardhë",    "libërthi",   "qershorit", "ndërrohet"};
    for (const char* w : words) {
        const std::string word = w;
        for (std::size_t p : h.points(word, "sq")) {
            const std::string pair = word.substr(p - 1, 2);
            for (const char* digraph : {"dh", "gj", "ll", "nj", "rr", "sh", "th", "xh", "zh"})
                EXPECT_NE(pair, digraph) << show(h, word, "sq");
        }
    }
    EXPECT_EQ(show(h, "xhaxhai", "sq"), "xha-xhai");
    EXPECT_EQ(show(h, "mashtrues", "sq"), "ma-sh-t-rues");
}

}  // namespace
}  // namespace folio::layout
