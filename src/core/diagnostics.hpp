// Diagnostics are data: collected with their source location, printed once by the
// CLI, and turned into a failing exit code by --strict (warnings) or at the end of
// a stage (errors). A stage that can go on after an error (the next article, the
// next picture) records it here, so that one run reports every error of a book.
#pragma once

#include "core/error.hpp"

#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace folio {

enum class Severity { Note, Warning, Error };

struct Diagnostic {
    Severity severity = Severity::Warning;
    SourceLocation where;
    std::string message;
    std::string hint;
    // What repeats of this diagnostic have in common, for the summary of repeated
    // warnings ("an image without alt text"); empty: the message itself.
    std::string kind;

    std::string format() const;  // "where: warning: message" [+ "\nhint: …"]
};

// Thrown when a stage ends with errors recorded in its Diagnostics: they are
// printed from there, each once.
class ErrorsReported : public std::runtime_error {
public:
    explicit ErrorsReported(std::size_t count);
    std::size_t count() const noexcept { return m_count; }

private:
    std::size_t m_count;
};

// Thread-safe: articles are parsed in parallel and may report at the same time.
class Diagnostics {
public:
    void warn(SourceLocation where, std::string message, std::string hint = {}, std::string kind = {});
    // Information that is not a fault (an article left out as a draft): never fails --strict.
    void note(SourceLocation where, std::string message, std::string hint = {});
    // An error after which the stage goes on to find the others.
    void error(const Error& e);

    // Warnings and notes in a stable order (by file, line, column, then message), so
    // that parallel stages report the same list every run.
    std::vector<Diagnostic> warnings() const;
    // Errors, in the same order.
    std::vector<Diagnostic> errors() const;
    std::size_t warning_count() const;  // warnings only, not notes
    std::size_t error_count() const;

    // Throws ErrorsReported when any error was recorded.
    void stop_if_errors() const;

private:
    std::vector<Diagnostic> sorted(bool errors) const;

    mutable std::mutex m_mutex;
    std::vector<Diagnostic> m_items;
};

}  // namespace folio
