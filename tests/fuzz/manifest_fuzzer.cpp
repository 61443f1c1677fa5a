// Fuzz target (c): book.yaml's bytes -> the book's settings, chapters and print
// settings. A located folio::Error is a correct answer to bad input; any other
// exception, a crash, a sanitizer report or a hang is a bug.
#include "scratch_book.hpp"

#include "book/load_book.hpp"
#include "build/build.hpp"
#include "core/diagnostics.hpp"
#include "core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& scratch = folio::fuzz::ScratchBook::instance();
    scratch.write("book.yaml", std::string_view(reinterpret_cast<const char*>(data), size));
    folio::Diagnostics diagnostics;
    try {
        const folio::doc::Book book = folio::book::load_book(scratch.dir(), diagnostics);
        (void)folio::build::print_style(book, diagnostics);  // applies the book's print: settings
    } catch (const folio::Error&) {
    } catch (const folio::ErrorsReported&) {  // located errors, recorded in `diagnostics`: as correct an answer
    }
    return 0;
}
