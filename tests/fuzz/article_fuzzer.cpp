// Fuzz target (a): an article's bytes (front matter + Markdown) -> doc -> the EPUB
// package. A located folio::Error is a correct answer to bad input; any other
// exception, a crash, a sanitizer report or a hang is a bug.
#include "scratch_book.hpp"

#include "book/load_book.hpp"
#include "core/diagnostics.hpp"
#include "core/error.hpp"
#include "epub/package.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& scratch = folio::fuzz::ScratchBook::instance();
    scratch.write("a.md", std::string_view(reinterpret_cast<const char*>(data), size));
    folio::Diagnostics diagnostics;
    try {
        const folio::doc::Book book = folio::book::load_book(scratch.dir(), diagnostics);
        folio::epub::PackageOptions options;
        options.css = "p { margin: 0 }";
        options.generator = "folio fuzz";
        const auto entries = folio::epub::build_package(book, options);
        if (entries.empty() || entries.front().path != "mimetype") __builtin_trap();
    } catch (const folio::Error&) {
    } catch (const folio::ErrorsReported&) {  // located errors, recorded in `diagnostics`: as correct an answer
    }
    return 0;
}
