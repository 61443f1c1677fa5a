// Fuzz target (b): an article -> doc -> layout -> PDF bytes in memory, the reading
// PDF and the print interior. A located folio::Error is a correct answer to bad
// input; any other exception, a crash, a sanitizer report or a hang is a bug.
#include "scratch_book.hpp"

#include "book/load_book.hpp"
#include "build/build.hpp"
#include "core/diagnostics.hpp"
#include "core/error.hpp"
#include "layout/print_rules.hpp"
#include "layout/typeset.hpp"
#include "pdf/write_pdf.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& scratch = folio::fuzz::ScratchBook::instance();
    scratch.write("a.md", std::string_view(reinterpret_cast<const char*>(data), size));
    folio::Diagnostics diagnostics;
    try {
        const folio::doc::Book book = folio::book::load_book(scratch.dir(), diagnostics);
        const folio::layout::PrintStyle style = folio::build::print_style(book, diagnostics);
        folio::pdf::PdfOptions options;
        options.generator = "folio fuzz";
        const std::string reading = folio::pdf::render_pdf(folio::layout::typeset(book, style, diagnostics), book, options);
        options.print = true;
        const std::string print =
            folio::pdf::render_pdf(folio::layout::typeset_for_print(book, style, diagnostics), book, options);
        for (const std::string* pdf : {&reading, &print})
            if (pdf->compare(0, 5, "%PDF-") != 0 || pdf->find("%%EOF", pdf->size() - 8) == std::string::npos)
                __builtin_trap();
    } catch (const folio::Error&) {
    } catch (const folio::ErrorsReported&) {  // located errors, recorded in `diagnostics`: as correct an answer
    }
    return 0;
}
