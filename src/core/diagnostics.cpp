#include "core/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace folio {

std::string Diagnostic::format() const {
    std::string s = (where.file.empty() ? std::string("folio") : where.str()) + ": warning: " + message;
    if (!hint.empty()) s += "\nhint: " + hint;
    return s;
}

void Diagnostics::warn(SourceLocation where, std::string message, std::string hint) {
    std::lock_guard lock(m_mutex);
    m_warnings.push_back({std::move(where), std::move(message), std::move(hint)});
}

std::vector<Diagnostic> Diagnostics::warnings() const {
    std::vector<Diagnostic> out;
    {
        std::lock_guard lock(m_mutex);
        out = m_warnings;
    }
    std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.where.file, a.where.line, a.where.column, a.message) <
               std::tie(b.where.file, b.where.line, b.where.column, b.message);
    });
    return out;
}

std::size_t Diagnostics::warning_count() const {
    std::lock_guard lock(m_mutex);
    return m_warnings.size();
}

}  // namespace folio
