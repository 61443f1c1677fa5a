// Warnings are data: collected with their source location, printed by the CLI,
// and turned into a failing exit code by --strict.
#pragma once

#include "core/error.hpp"

#include <mutex>
#include <string>
#include <vector>

namespace folio {

struct Diagnostic {
    SourceLocation where;
    std::string message;
    std::string hint;

    std::string format() const;  // "where: warning: message" [+ "\nhint: …"]
};

// Thread-safe: articles are parsed in parallel and may warn at the same time.
class Diagnostics {
public:
    void warn(SourceLocation where, std::string message, std::string hint = {});

    // Warnings in a stable order (by file, line, column, then message), so that
    // parallel stages report the same list every run.
    std::vector<Diagnostic> warnings() const;
    std::size_t warning_count() const;

private:
    mutable std::mutex m_mutex;
    std::vector<Diagnostic> m_warnings;
};

}  // namespace folio
