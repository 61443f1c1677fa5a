#include "core/error.hpp"

namespace folio {

std::string SourceLocation::str() const {
    std::string s = file;
    if (line > 0) {
        s += ':' + std::to_string(line);
        if (column > 0) s += ':' + std::to_string(column);
    }
    return s;
}

static std::string compose(const SourceLocation& where, const std::string& message) {
    std::string s = where.file.empty() ? std::string("folio") : where.str();
    return s + ": error: " + message;
}

Error::Error(std::string message, SourceLocation where, std::string hint)
    : std::runtime_error(compose(where, message)),
      m_where(std::move(where)),
      m_message(std::move(message)),
      m_hint(std::move(hint)) {}

std::string Error::format() const {
    std::string s = what();
    if (!m_hint.empty()) s += "\nhint: " + m_hint;
    return s;
}

}  // namespace folio
