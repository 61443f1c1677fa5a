#include "core/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace folio {

std::string Diagnostic::format() const {
    const char* label = severity == Severity::Error ? ": error: " : severity == Severity::Note ? ": note: " : ": warning: ";
    std::string s = (where.file.empty() ? std::string("folio") : where.str()) + label + message;
    if (!hint.empty()) s += "\nhint: " + hint;
    return s;
}

ErrorsReported::ErrorsReported(std::size_t count)
    : std::runtime_error(std::to_string(count) + " error(s)"), m_count(count) {}

void Diagnostics::warn(SourceLocation where, std::string message, std::string hint, std::string kind) {
    std::lock_guard lock(m_mutex);
    m_items.push_back({Severity::Warning, std::move(where), std::move(message), std::move(hint), std::move(kind)});
}

void Diagnostics::warn_once(const std::string& key, SourceLocation where, std::string message, std::string hint) {
    std::lock_guard lock(m_mutex);
    const auto [it, fresh] = m_once.try_emplace(key, m_items.size());
    if (fresh) {
        m_items.push_back({Severity::Warning, std::move(where), std::move(message), std::move(hint), {}});
        return;
    }
    Diagnostic& given = m_items[it->second];
    if (std::tie(where.file, where.line, where.column) <
        std::tie(given.where.file, given.where.line, given.where.column)) {
        given.where = std::move(where);
        given.message = std::move(message);
        given.hint = std::move(hint);
    }
}

void Diagnostics::warn_change(SourceLocation where, std::string message, std::string hint, std::string kind) {
    std::lock_guard lock(m_mutex);
    m_items.push_back({Severity::Warning, std::move(where), std::move(message), std::move(hint), std::move(kind), true});
}

void Diagnostics::note(SourceLocation where, std::string message, std::string hint) {
    std::lock_guard lock(m_mutex);
    m_items.push_back({Severity::Note, std::move(where), std::move(message), std::move(hint), {}});
}

void Diagnostics::error(const Error& e) {
    std::lock_guard lock(m_mutex);
    m_items.push_back({Severity::Error, e.where(), e.message(), e.hint(), {}});
}

void Diagnostics::add(Diagnostic d) {
    std::lock_guard lock(m_mutex);
    m_items.push_back(std::move(d));
}

std::vector<Diagnostic> Diagnostics::sorted(bool errors) const {
    std::vector<Diagnostic> out;
    {
        std::lock_guard lock(m_mutex);
        for (const Diagnostic& d : m_items)
            if ((d.severity == Severity::Error) == errors) out.push_back(d);
    }
    std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.where.file, a.where.line, a.where.column, a.message) <
               std::tie(b.where.file, b.where.line, b.where.column, b.message);
    });
    return out;
}

std::vector<Diagnostic> Diagnostics::warnings() const { return sorted(false); }
std::vector<Diagnostic> Diagnostics::errors() const { return sorted(true); }

std::size_t Diagnostics::warning_count() const {
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(
        std::count_if(m_items.begin(), m_items.end(), [](const Diagnostic& d) { return d.severity == Severity::Warning; }));
}

std::size_t Diagnostics::error_count() const {
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(
        std::count_if(m_items.begin(), m_items.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

void Diagnostics::stop_if_errors() const {
    if (const std::size_t n = error_count()) throw ErrorsReported(n);
}

}  // namespace folio
