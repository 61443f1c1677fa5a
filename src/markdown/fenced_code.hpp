// Which lines of Markdown are fenced code, for the passes that read the text around
// cmark (site markup, footnote definitions cmark drops): one reading of CommonMark's
// fences (§4.5) for all of them. Fed every line in order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace folio::markdown {

class FencedCode {
public:
    // Whether `line` is code: a fence (opening or closing) or a line between two.
    // A fence is three or more backticks or tildes after at most three spaces; it
    // closes on the same character, at least as many, and nothing else.
    bool code(std::string_view line) {
        const std::size_t indent = std::min(line.find_first_not_of(' '), line.size());
        const std::string_view rest = indent > 3 ? std::string_view() : line.substr(indent);
        if (rest.empty() || (rest[0] != '`' && rest[0] != '~')) return m_fence != 0;
        const std::size_t run = std::min(rest.find_first_not_of(rest[0]), rest.size());
        if (!m_fence) {
            if (run >= 3) m_fence = rest[0], m_length = run;
        } else if (rest[0] == m_fence && run >= m_length && rest.find_first_not_of(" \t\r", run) == std::string_view::npos) {
            m_fence = 0;
            return true;
        }
        return m_fence != 0 || run >= 3;
    }

private:
    char m_fence = 0;  // '`' or '~' while inside
    std::size_t m_length = 0;
};

}  // namespace folio::markdown
