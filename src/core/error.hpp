// folio::Error: the one error type, with a source location and an optional hint.
// Only main() prints it, as compilers do:  file:line:col: error: message \n hint: …
#pragma once

#include <stdexcept>
#include <string>

namespace folio {

// A place in an input file. line and column are 1-based; 0 means "unknown"
// (a whole-file error prints just "file: error: …").
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;

    std::string str() const;  // "file:line:col", "file:line" or "file"
};

class Error : public std::runtime_error {
public:
    explicit Error(std::string message, SourceLocation where = {}, std::string hint = {});

    const SourceLocation& where() const noexcept { return m_where; }
    const std::string& message() const noexcept { return m_message; }
    const std::string& hint() const noexcept { return m_hint; }

    // The compiler-style text: "where: error: message" and, if any, "\nhint: …".
    std::string format() const;

private:
    SourceLocation m_where;
    std::string m_message;
    std::string m_hint;
};

}  // namespace folio
