#include "core/text.hpp"
#include "core/hash.hpp"
#include "core/uuid.hpp"
#include "doc/matter.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

TEST(Utf8, AcceptsValidText) {
    EXPECT_FALSE(text::find_invalid_utf8("plain ASCII").has_value());
    EXPECT_FALSE(text::find_invalid_utf8("Ćevapi, ђак, libër, 😀").has_value());
}

TEST(Utf8, LocatesTheFirstBadByteByLineAndCharacter) {
    auto pos = text::find_invalid_utf8("one\ntwø \xFF three");
    ASSERT_TRUE(pos.has_value());
    EXPECT_EQ(pos->line, 2);
    EXPECT_EQ(pos->column, 5);  // t w ø space, then the bad byte
}

// ASCII is checked eight bytes at a time: a bad byte or a character split across
// those eight-byte steps must be found where it is.
TEST(Utf8, FindsTheBadByteAfterLongAsciiRuns) {
    auto pos = text::find_invalid_utf8("0123456789abcdefghij\nklmno\xFFp");
    ASSERT_TRUE(pos.has_value());
    EXPECT_EQ(pos->line, 2);
    EXPECT_EQ(pos->column, 6);
    EXPECT_FALSE(text::find_invalid_utf8("1234567\u0107 and then more ASCII text \u0111").has_value());
    EXPECT_TRUE(text::find_invalid_utf8("1234567\xC4 and then more ASCII text").has_value());
}

TEST(Utf8, RejectsOverlongFormsSurrogatesAndTruncation) {
    EXPECT_TRUE(text::find_invalid_utf8("\xC0\xAF").has_value());          // overlong '/'
    EXPECT_TRUE(text::find_invalid_utf8("\xED\xA0\x80").has_value());      // U+D800
    EXPECT_TRUE(text::find_invalid_utf8("abc\xE2\x82").has_value());       // cut short
    EXPECT_TRUE(text::find_invalid_utf8("\xF4\x90\x80\x80").has_value());  // above U+10FFFF
}

TEST(XmlSafe, ReplacesCharactersXmlForbids) {
    EXPECT_EQ(text::xml_safe(std::string("a\x01" "b\tc", 5)), "a\xEF\xBF\xBD" "b\tc");
    EXPECT_EQ(text::xml_safe("keeps ž and \n"), "keeps ž and \n");
}

TEST(HeadingSlug, FollowsGitHub) {
    EXPECT_EQ(text::heading_slug("A Table of Keys"), "a-table-of-keys");
    EXPECT_EQ(text::heading_slug("Chapters & globs!"), "chapters--globs");
    EXPECT_EQ(text::heading_slug("Serbian in two scripts: Ćirilica"), "serbian-in-two-scripts-ćirilica");
    EXPECT_EQ(text::heading_slug("Ђаци и КЊИГЕ"), "ђаци-и-књиге");
    EXPECT_EQ(text::heading_slug("snake_case"), "snake_case");
}

TEST(AsciiSlug, FoldsLatinLettersAndDropsTheRest) {
    EXPECT_EQ(text::ascii_slug("Čaša vode, ĐAK — 2"), "casa-vode-dak-2");
    EXPECT_EQ(text::ascii_slug("књига"), "");
    EXPECT_EQ(text::ascii_slug("a very long name indeed", 10), "a-very-lon");
}

TEST(Dates, ParseStrictlyAndFormat) {
    auto d = text::parse_date("2024-02-29");
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->iso(), "2024-02-29");
    EXPECT_FALSE(text::parse_date("2023-02-29").has_value());
    EXPECT_FALSE(text::parse_date("May 3").has_value());
    EXPECT_FALSE(text::parse_date("2024-13-01").has_value());
    EXPECT_EQ(text::iso_timestamp(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(text::iso_timestamp(1700000000), "2023-11-14T22:13:20Z");
    EXPECT_EQ(text::iso_timestamp(text::epoch_of(*text::parse_date("2026-11-20"))), "2026-11-20T00:00:00Z");
}

TEST(Uuid, IsVersion5InTheUrlNamespace) {
    // Reference values from Python's uuid.uuid5(uuid.NAMESPACE_URL, name).
    EXPECT_EQ(uuid_v5_urn("http://example.org/"), "urn:uuid:715d503b-5f95-5532-9100-00663eb45ade");
    EXPECT_EQ(uuid_v5_urn("folio:Twin Notes\nAna Test\nBen Test"), "urn:uuid:c5d93327-24f3-535d-8e27-a19b93cc0aab");
}

TEST(Sha1, GivesTheStandardDigests) {
    // FIPS 180 examples ("abc", a million "a"), and the empty string.
    EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    EXPECT_EQ(sha1_hex(std::string(1'000'000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Linkify, KeepsTheTextAndLinksUrls) {
    const doc::Inlines in = doc::linkify("See https://example.org/a_(b). Or http://x.org, then stop.");
    ASSERT_EQ(in.size(), 5u);
    EXPECT_EQ(doc::get<doc::Link>(in[1].value).url, "https://example.org/a_(b)");
    EXPECT_EQ(doc::get<doc::Link>(in[3].value).url, "http://x.org");
    EXPECT_EQ(doc::plain_text(in), "See https://example.org/a_(b). Or http://x.org, then stop.");
}

// A URL in single quotes is one: the quotes are the sentence's (a URL may hold a '
// inside it, never at its ends).
TEST(Linkify, AUrlInSingleQuotes) {
    const doc::Inlines in = doc::linkify("See 'https://example.org/it's' here.");
    ASSERT_EQ(in.size(), 3u);
    EXPECT_EQ(doc::get<doc::Link>(in[1].value).url, "https://example.org/it's");
    EXPECT_EQ(doc::plain_text(in), "See 'https://example.org/it's' here.");
    const auto ranges = doc::find_web_addresses("See 'https://example.org/it's' here.");
    ASSERT_EQ(ranges.size(), 1u);
    EXPECT_EQ(ranges[0].begin, 5u);
    EXPECT_EQ(ranges[0].end, 29u);
}

TEST(Linkify, LeavesTextWithoutUrlsAlone) {
    const doc::Inlines in = doc::linkify("No link: https:// alone.");
    EXPECT_EQ(doc::plain_text(in), "No link: https:// alone.");
    for (const auto& i : in) EXPECT_FALSE(doc::holds_alternative<doc::Link>(i.value));
}

}  // namespace
}  // namespace folio
