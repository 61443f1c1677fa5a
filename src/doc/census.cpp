#include "doc/census.hpp"

namespace folio::doc {

Census& Census::operator+=(const Census& o) {
    pictures += o.pictures;
    pictures_lost += o.pictures_lost;
    tables += o.tables;
    code_blocks += o.code_blocks;
    footnotes += o.footnotes;
    links_internal += o.links_internal;
    links_external += o.links_external;
    links_dropped += o.links_dropped;
    words += o.words;
    return *this;
}

void WordCounter::text(std::string_view s) {
    for (char c : s) {
        // ASCII white space and the no-break space's bytes are not words' edges here:
        // a no-break space joins, as it does on the page.
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
        if (space) {
            m_in_word = false;
        } else if (!m_in_word) {
            m_in_word = true;
            ++m_words;
        }
    }
}

namespace {

void count_inlines(const Inlines& list, Census& c, WordCounter& words) {
    for (const Inline& in : list) {
        doc::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Text> || std::is_same_v<T, Code>) {
                    words.text(v.text);
                } else if constexpr (std::is_same_v<T, LineBreak>) {
                    words.space();
                } else if constexpr (std::is_same_v<T, Image>) {
                    ++c.pictures;
                } else if constexpr (std::is_same_v<T, Link>) {
                    ++(v.internal ? c.links_internal : c.links_external);
                    count_inlines(v.content, c, words);
                } else if constexpr (requires { v.content; }) {
                    count_inlines(v.content, c, words);
                }
            },
            in.value);
    }
}

void count_blocks(const Blocks& blocks, Census& c, WordCounter& words) {
    for_each_block(blocks, [&](const Block& b) {
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Table>) ++c.tables;
                if constexpr (std::is_same_v<T, CodeBlock>) {
                    ++c.code_blocks;
                    words.space();
                    words.text(v.text);
                    words.space();
                }
            },
            b.value);
    });
    for_each_inlines(blocks, [&](const Inlines& list) {
        words.space();
        count_inlines(list, c, words);
        words.space();
    });
}

bool links_within(const Inlines& list) {
    for (const Inline& in : list) {
        const bool found = doc::visit(
            [](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, Link>) {
                    if (v.internal) return true;
                }
                if constexpr (requires { v.content; }) return links_within(v.content);
                return false;
            },
            in.value);
        if (found) return true;
    }
    return false;
}

bool links_within(const Blocks& blocks) {
    bool found = false;
    for_each_inlines(blocks, [&](const Inlines& list) { found = found || links_within(list); });
    return found;
}

}  // namespace

bool links_within_book(const Article& a) {
    if (links_within(a.body)) return true;
    for (const Footnote& n : a.notes)
        if (links_within(n.content)) return true;
    return false;
}

Census count_content(const Article& a) {
    Census c;
    WordCounter words;
    count_blocks(a.body, c, words);
    for (const Footnote& n : a.notes) {
        ++c.footnotes;
        count_blocks(n.content, c, words);
    }
    c.words = words.words();
    return c;
}

Census count_content(const Book& book) {
    Census c;
    book.for_each_article([&](const Chapter&, const Article& a) { c += count_content(a); });
    return c;
}

}  // namespace folio::doc
