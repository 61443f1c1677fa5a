// Diagnostics are data: collected with their source location, printed once by the
// CLI, and turned into a failing exit code by --strict (warnings) or at the end of
// a stage (errors). A stage that can go on after an error (the next article, the
// next picture) records it here, so that one run reports every error of a book.
#pragma once

#include "core/error.hpp"

#include <cstddef>
#include <map>
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
    // The warning says that the work itself is changed: something of an article's
    // text, pictures or links left out, replaced or reshaped (not its look). Under a
    // NoDerivatives licence such a change is an error (book/licences.hpp).
    bool changes_work = false;

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
    // A warning given once however often it is given under one `key`: at the first
    // of its places in file, line and column order, so that threads giving it in any
    // order report the same place.
    void warn_once(const std::string& key, SourceLocation where, std::string message, std::string hint = {});
    // A warning that the work is changed (Diagnostic::changes_work).
    void warn_change(SourceLocation where, std::string message, std::string hint = {}, std::string kind = {});
    // Information that is not a fault (an article left out as a draft): never fails --strict.
    void note(SourceLocation where, std::string message, std::string hint = {});
    // An error after which the stage goes on to find the others.
    void error(const Error& e);
    // A diagnostic as another Diagnostics had it (given again from a cache).
    void add(Diagnostic d);

    // Warnings and notes in a stable order (by file, line, column, then message), so
    // that parallel stages report the same list every run.
    std::vector<Diagnostic> warnings() const;
    // Errors, in the same order.
    std::vector<Diagnostic> errors() const;
    std::size_t warning_count() const;  // warnings only, not notes
    std::size_t error_count() const;

    // Turns each warning that changes the work into an error when `why(where)` gives
    // a reason (the licence that forbids the change), appended to its message after
    // a semicolon.
    // Returns how many were turned.
    template <class Why>
    std::size_t hold_changes(Why why) {
        std::lock_guard lock(m_mutex);
        std::size_t turned = 0;
        for (Diagnostic& d : m_items) {
            if (d.severity != Severity::Warning || !d.changes_work) continue;
            std::string reason = why(d.where);
            if (reason.empty()) continue;
            d.severity = Severity::Error;
            d.message += "; " + reason;
            ++turned;
        }
        return turned;
    }

    // Throws ErrorsReported when any error was recorded.
    void stop_if_errors() const;

private:
    std::vector<Diagnostic> sorted(bool errors) const;

    mutable std::mutex m_mutex;
    std::vector<Diagnostic> m_items;
    std::map<std::string, std::size_t> m_once;  // warn_once's key -> its item
};

}  // namespace folio
