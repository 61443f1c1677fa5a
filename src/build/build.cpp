#include "build/build.hpp"
#include "build/permissions.hpp"

#include "book/load_book.hpp"
#include "cache/deflated.hpp"
#include "cache/paragraphs.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "epub/write_epub.hpp"
#include "layout/hyphenate.hpp"
#include "layout/print_rules.hpp"
#include "pdf/write_pdf.hpp"
#include "styles/shipped.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <functional>
#include <future>
#include <set>
#include <system_error>
#include <utility>

#ifndef FOLIO_VERSION
#define FOLIO_VERSION "0.0.0"
#endif

namespace folio::build {

namespace fs = std::filesystem;

std::string_view version() { return FOLIO_VERSION; }

BuildContext BuildContext::from_environment() {
    BuildContext context;
    if (const char* sde = std::getenv("SOURCE_DATE_EPOCH"); sde && *sde) {
        char* end = nullptr;
        errno = 0;
        const long long value = std::strtoll(sde, &end, 10);
        if (errno != 0 || *end != '\0' || value < 0)
            throw Error(std::string("SOURCE_DATE_EPOCH must be a whole number of seconds, got \"") + sde + "\"",
                        {}, "unset it, or set it to e.g. $(git log -1 --format=%ct)");
        context.source_date_epoch = value;
    }
    if (const char* untagged = std::getenv("FOLIO_UNTAGGED_PDF"); untagged && std::string_view(untagged) == "1")
        context.untagged_pdf = true;
    return context;
}

std::int64_t modified_time(const doc::Book& book, const BuildContext& context) {
    if (context.source_date_epoch) return *context.source_date_epoch;
    if (book.date) return text::epoch_of(*book.date);
    std::optional<text::Date> newest;
    book.for_each_article([&](const doc::Chapter&, const doc::Article& a) {
        for (const auto& d : {a.date, a.modified})
            if (d && (!newest || *d > *newest)) newest = d;
    });
    if (newest) return text::epoch_of(*newest);
    return text::epoch_of({2000, 1, 1});
}

namespace {
// A file of the book's style: shipped, or in the book's own style folder; a book's
// folder may hold only one of the two files, and the default style gives the other.
std::pair<std::string, std::string> style_file(const doc::Book& book, const char* name) {
    if (auto f = styles::shipped_file(book.style, name)) return {std::string(*f), "styles/" + book.style + "/" + name};
    const fs::path own = book.root / book.style / name;
    std::error_code ec;
    if (fs::is_regular_file(own, ec)) return {read_file(own), own.generic_string()};
    return {std::string(*styles::shipped_file("default", name)), std::string("styles/default/") + name};
}

// A picture that moves (an animated GIF or WebP) shows its first frame in a PDF,
// as paper must: said once for each, where it is first placed.
void warn_of_stills(const doc::Book& book, const layout::Pages& pages, Diagnostics& diagnostics) {
    std::set<std::string> said;
    auto check = [&](const layout::PlacedImage& image) {
        const doc::Resource* r = book.resource(image.resource);
        if (!r || !r->animated || !said.insert(image.resource).second) return;
        diagnostics.warn(image.where,
                         "picture '" + image.resource + "' moves: the PDF shows its first frame, the EPUB all of them",
                         "if another frame tells more, save that one as a still picture for the book",
                         "an animated picture, still in the PDF");
    };
    for (const layout::Page& p : pages.pages) {
        for (const layout::PlacedImage& image : p.images) check(image);
        if (p.turned)
            for (const layout::PlacedImage& image : p.turned->images) check(image);
    }
}
}  // namespace

std::string epub_css(const doc::Book& book) { return style_file(book, "epub.css").first; }

class KeptParagraphs {
public:
    fs::path book;  // the book they are of
    std::unique_ptr<cache::ParagraphStore> reading, print;
    cache::DeflatedStore deflated;  // the PDFs' page streams and the EPUB's pages, as the last build deflated them
    cache::DeflatedStore parsed;    // the articles' Markdown, as the last build parsed it
};

std::shared_ptr<KeptParagraphs> keep_paragraphs_between_builds() {
    return std::make_shared<KeptParagraphs>();
}

layout::PrintStyle print_style(const doc::Book& book, Diagnostics& diagnostics) {
    const auto [yaml, file] = style_file(book, "print.yaml");
    layout::PrintStyle style = layout::parse_print_style(yaml, file, diagnostics);
    for (const doc::Book::PrintSetting& p : book.print_settings) layout::apply_print_setting(style, p.key, p.value, p.where);
    return style;
}

doc::PageList page_list(const doc::Book& book, const layout::Pages& print) {
    doc::PageList list;
    // The print edition is named by its ISBN when it has one (RFC 3187), else by
    // the book's identifier, which the EPUB and the print edition share.
    list.source = book.isbn.empty() ? book.identifier : "urn:isbn:" + book.isbn;
    for (const layout::Page& p : print.pages) {
        if (!p.folio) continue;
        doc::PageListEntry e{p.label, std::nullopt, p.top_anchor};
        if (p.first_text.text) e.text = p.first_text;
        list.entries.push_back(std::move(e));
    }
    return list;
}

std::vector<preflight::Finding> preflight_book(const fs::path& book_dir, Diagnostics& diagnostics) {
    const doc::Book book = book::load_book(book_dir, diagnostics);
    const layout::PrintStyle style = print_style(book, diagnostics);
    std::vector<preflight::Finding> findings = preflight::check(layout::typeset_for_print(book, style, diagnostics), style);
    for (preflight::Finding& f : preflight::check_licences(book)) findings.push_back(std::move(f));
    return findings;
}

bool clean(const fs::path& out_dir) {
    const fs::path folder = cache::folder_of(out_dir);
    std::error_code ec;
    if (!fs::exists(folder, ec)) return false;
    fs::remove_all(folder, ec);
    if (ec) throw Error("cannot remove '" + folder.string() + "': " + ec.message());
    return true;
}

namespace {

// f() on a thread of its own, waited for by the future; or here and now, when no
// thread is to be had (the future is then empty).
template <class F>
std::future<void> on_a_thread_or_here(const F& f) {
    try {
        return std::async(std::launch::async, f);
    } catch (const std::system_error&) {
        f();
        return {};
    }
}

// Whether a build may replace its earlier outputs, for a writer that begins before
// that is known. The writer waits on a passage() of its own (which outlives the
// gate): open() lets it through; shut(), or the gate's end unopened (the build
// threw), makes it throw Abandoned, which leaves the earlier file as it was.
class Gate {
public:
    struct Abandoned {};
    Gate() : m_passage(m_decided.get_future().share()) {}
    Gate(const Gate&) = delete;
    Gate& operator=(const Gate&) = delete;
    ~Gate() { shut(); }
    void open() {
        if (!std::exchange(m_known, true)) m_decided.set_value();
    }
    void shut() {
        if (!std::exchange(m_known, true)) m_decided.set_exception(std::make_exception_ptr(Abandoned{}));
    }
    // get() waits until the build knows.
    std::shared_future<void> passage() const { return m_passage; }

private:
    std::promise<void> m_decided;
    std::shared_future<void> m_passage;
    bool m_known = false;  // open() and shut() are called by the build's own thread only
};

// Runs every task, each but the first on a thread of its own (on this one when no
// thread is to be had), and waits for all. If any throw, the exception of the first
// in order is rethrown, so that the error a user sees does not depend on timing.
void run_all(const std::vector<std::function<void()>>& tasks) {
    std::vector<std::exception_ptr> errors(tasks.size());
    const auto run = [&](std::size_t i) {
        try {
            tasks[i]();
        } catch (...) {
            errors[i] = std::current_exception();
        }
    };
    std::vector<std::future<void>> others;
    for (std::size_t i = 1; i < tasks.size(); ++i) others.push_back(on_a_thread_or_here([&run, i] { run(i); }));
    if (!tasks.empty()) run(0);
    for (std::future<void>& f : others)
        if (f.valid()) f.get();
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace

doc::Book check_book(const fs::path& book_dir, Diagnostics& diagnostics) {
    doc::Book book = book::load_book(book_dir, diagnostics);
    epub_css(book);  // a style that cannot be read is an error now, not at build time
    return book;
}

std::vector<fs::path> build_book(const fs::path& book_dir, const Options& options, const BuildContext& context,
                                 Diagnostics& diagnostics, Strictness strictness, layout::LayoutStats* stats,
                                 std::vector<preflight::Finding>* preflight, ContentCounts* content,
                                 std::vector<Permission>* permissions) {
    const auto wants = [&](Format f) {
        return std::find(options.formats.begin(), options.formats.end(), f) != options.formats.end();
    };
    // The typesetter's first words wait for the hyphenation patterns of the book's
    // language (English takes 16 ms to load): load them while the articles load.
    std::future<void> patterns;
    // The articles' Markdown as earlier builds parsed it: in the process that builds
    // again, or in the cache folder.
    std::optional<cache::DeflatedStore> own_parsed;
    compress::DeflateMemo* parsed = nullptr;
    std::future<void> parsed_read;  // read while book.yaml is, not at the first article's question
    if (options.kept) {
        parsed = &options.kept->parsed;
    } else if (options.cache) {
        own_parsed.emplace(cache::folder_of(options.out_dir) / ("parsed-" + cache::book_tag(book_dir)),
                           cache::program_stamp(version()));
        parsed = &*own_parsed;
        try {
            parsed_read = std::async(std::launch::async, [&own_parsed] { own_parsed->open(); });
        } catch (const std::system_error&) {
            // No thread to spare: read at the first article's question.
        }
    }
    doc::Book book = book::load_book(
        book_dir, diagnostics,
        [&](const doc::Book& settings) {
            if (!wants(Format::Pdf) && !wants(Format::Print)) return;
            try {
                patterns = std::async(std::launch::async,
                                      [lang = settings.language] { layout::Hyphenator().has_dictionary(lang); });
            } catch (const std::system_error&) {
                // No thread to spare: the typesetter loads them itself.
            }
        },
        parsed);
    if (content) {
        // What the sources gave: shown, or (a missing picture, a link that named nothing)
        // reported and counted here.
        content->sources = doc::count_content(book);
        content->sources.pictures += book.pictures_lost;
        content->sources.pictures_lost = book.pictures_lost;
        content->sources.links_dropped = book.links_dropped;
    }
    // Each setting's paragraphs from earlier builds (the print edition's serve the
    // EPUB's page list too): in the process that builds again, or in the cache folder.
    std::unique_ptr<cache::ParagraphStore> own_reading, own_print;
    cache::ParagraphStore* reading_memo = nullptr;
    cache::ParagraphStore* print_memo = nullptr;
    // The reading PDF's and the print edition's stores, in `folder` or in memory.
    const auto open_stores = [&](const std::optional<fs::path>& folder, std::unique_ptr<cache::ParagraphStore>& pdf,
                                 std::unique_ptr<cache::ParagraphStore>& print) {
        const std::string stamp = cache::program_stamp(version());
        pdf = std::make_unique<cache::ParagraphStore>(folder, book_dir, "pdf", stamp);
        print = std::make_unique<cache::ParagraphStore>(folder, book_dir, "print", stamp);
    };
    // The PDFs' page streams and the EPUB's pages as earlier builds deflated them:
    // in the process, or in the cache folder (read while the pages are set).
    std::optional<cache::DeflatedStore> own_deflated;
    compress::DeflateMemo* deflated = nullptr;
    std::future<void> deflated_read;
    if (options.kept) {
        KeptParagraphs& kept = *options.kept;
        deflated = &kept.deflated;
        if (kept.book != book_dir) {
            kept.book = book_dir;
            open_stores(std::nullopt, kept.reading, kept.print);
        }
        reading_memo = kept.reading.get();
        print_memo = kept.print.get();
    } else if (options.cache) {
        open_stores(cache::folder_of(options.out_dir), own_reading, own_print);
        reading_memo = own_reading.get();
        print_memo = own_print.get();
        own_deflated.emplace(cache::folder_of(options.out_dir) / ("deflated-" + cache::book_tag(book_dir)),
                             cache::program_stamp(version()) + "+" + compress::deflater_identity());
        deflated = &*own_deflated;
        try {
            deflated_read = std::async(std::launch::async, [&own_deflated] { own_deflated->open(); });
        } catch (const std::system_error&) {
            // No thread to spare: read at the first page's question.
        }
    }
    // A setting's paragraphs are written to the cache while the PDFs are written:
    // they hold what was set, whatever becomes of the rest of the build.
    std::vector<std::future<void>> saving;
    std::mutex saving_mutex;  // the two settings save side by side
    const auto save = [&](cache::ParagraphStore* memo) {
        if (!memo) return;
        std::future<void> saved = on_a_thread_or_here([memo] { memo->save(); });
        std::lock_guard lock(saving_mutex);
        saving.push_back(std::move(saved));
    };
    // Set the pages before writing anything: the typesetter warns too (a character in
    // no font, a language without hyphenation), and --strict must see it first.
    std::optional<layout::Pages> reading, press;
    layout::LayoutStats reading_stats, press_stats;
    // The style's print settings, read once (an EPUB alone never needs them).
    std::optional<layout::PrintStyle> style;
    if (wants(Format::Pdf) || wants(Format::Print)) style = print_style(book, diagnostics);
    // After what it reads: a build that throws waits for it first. Waited for by the
    // print PDF's writer, which takes the pages it reads.
    std::future<void> preflighting;
    // The print edition and the reading PDF are set side by side: after an edit, most
    // of either is read back from the cache and paginated, one thread's work, and
    // one after the other they left a core idle. Each keeps its own paragraphs, fonts
    // and warnings; each setting's paragraphs are saved as soon as it is done.
    Diagnostics again;  // the print pages, when set, report the same warnings
    const auto pdf_options_for = [&](bool print) {
        pdf::PdfOptions pdf_options;
        pdf_options.date = modified_time(book, context);
        pdf_options.generator = "folio " + std::string(version());
        pdf_options.print = print;
        pdf_options.bleed = style->bleed;
        pdf_options.tagged = !context.untagged_pdf;
        pdf_options.deflated = deflated;
        return pdf_options;
    };
    const auto pdf_path = [&](bool print) { return options.out_dir / (book.name + (print ? "-print.pdf" : ".pdf")); };
    // The reading PDF is written as soon as its pages are set when the print edition
    // is set beside it, whose pages are often done later (after an edit of the
    // 1,000-article book, by up to 0.1 s of a 1.4 s build, the other core idle) and
    // whose writer then has the EPUB's beside it. Its file replaces the earlier one
    // only once the build would have begun writing (`may_write`): after the strict
    // check, and never when the build throws first. (Declared in this order: the
    // gate shuts, on the way out, before the writer is waited for.) Not into a
    // folder still to be made: a build that fails makes none.
    std::future<void> reading_written;
    Gate may_write;
    std::error_code no_folder;
    const bool write_reading_early =
        wants(Format::Pdf) && wants(Format::Print) && fs::is_directory(options.out_dir, no_folder);
    std::vector<std::function<void()>> settings;
    if (wants(Format::Print))
        settings.push_back([&] {
            // The press's own pages: the gutter follows their count (layout/print_rules.hpp).
            press = layout::typeset_for_print(book, *style, diagnostics, stats || content ? &press_stats : nullptr,
                                              print_memo);
            save(print_memo);
            if (stats && !wants(Format::Pdf)) *stats = press_stats;
            if (content) content->print = press_stats.content;
            if (preflight) {
                // Read-only, of the print pages and the credits: checked while the reading
                // PDF's pages are set.
                const auto check = [&] {
                    *preflight = preflight::check(*press, *style);
                    for (preflight::Finding& f : preflight::check_licences(book)) preflight->push_back(std::move(f));
                };
                preflighting = on_a_thread_or_here(check);
            }
        });
    if (wants(Format::Pdf))
        settings.push_back([&] {
            Diagnostics& report = wants(Format::Print) ? again : diagnostics;
            // Without an EPUB to write or a press to set, each article's text has done
            // its work once it is set: the PDF writer needs only titles, credits and images.
            layout::LayoutStats* counted = stats || content ? &reading_stats : nullptr;
            reading = wants(Format::Epub) || wants(Format::Print)
                          ? layout::typeset(book, *style, report, counted, reading_memo)
                          : layout::typeset_consuming(book, *style, report, counted, reading_memo);
            save(reading_memo);
            if (stats) *stats = reading_stats;
            if (content) content->pdf = reading_stats.content;
            if (!write_reading_early) return;
            pdf::PdfOptions pdf_options = pdf_options_for(false);
            pdf_options.before_replacing = [passage = may_write.passage()] { passage.get(); };
            try {
                reading_written = std::async(std::launch::async, [&, pdf_options] {
                    pdf::write_pdf(pdf_path(false), std::move(*reading), book, pdf_options);
                });
            } catch (const std::system_error&) {
                // No thread to spare: written with the other outputs.
            }
        });
    run_all(settings);
    // The EPUB's page list follows the print edition (not the reading PDF, whose
    // gutter, and so whose pages, may differ). An EPUB-only build sets the print
    // edition to find it; what that setting warns of is about print, and is not
    // reported for an EPUB.
    std::optional<doc::PageList> pages_of_print;
    // The EPUB, when it is the last reader of the articles' text: what it needs of
    // the print edition is set only to find its page list, and each article's page
    // is written as the setting reaches it, its text released then (PackageAhead).
    epub::PackageOptions package_options;
    std::optional<epub::PackageAhead> ahead;
    if (wants(Format::Epub)) {
        package_options.modified = modified_time(book, context);
        package_options.css = epub_css(book);
        package_options.generator = "folio " + std::string(version());
        package_options.deflated = deflated;
        if (content) package_options.census = &content->epub.emplace();
    }
    if (wants(Format::Epub) && book.page_list) {
        if (press) {
            pages_of_print = page_list(book, *press);
        } else {
            Diagnostics print_only;
            const layout::PrintStyle own = style ? *style : print_style(book, print_only);
            ahead.emplace(book, package_options);
            pages_of_print =
                page_list(book, layout::print_page_positions_consuming(
                                    book, own, print_only, print_memo,
                                    [&](std::size_t i, const std::vector<doc::TextPosition*>& first_words) {
                                        ahead->write_article(i, first_words);
                                    }));
            save(print_memo);
        }
    }
    if (press) warn_of_stills(book, *press, diagnostics);
    else if (reading) warn_of_stills(book, *reading, diagnostics);
    if (strictness == Strictness::WarningsFail && diagnostics.warning_count() > 0) throw WarningsUnderStrict{};
    // Read before the PDF writer takes the print pages.
    std::vector<Permission> log = build::permissions(book, press ? &*press : nullptr);
    // Each output is written on a thread of its own: one writer's serial parts (a
    // PDF's structure tree and objects written out, the zip) run while another's
    // pages are drawn on the other cores. Each writes only its own file.
    ensure_directory(options.out_dir);
    std::vector<fs::path> written;
    std::vector<std::function<void()>> writers;
    for (Format f : options.formats) {
        if (f == Format::Pdf && reading_written.valid()) {  // begun already: waited for in its place
            writers.push_back([&reading_written] { reading_written.get(); });
            written.push_back(pdf_path(false));
            continue;
        }
        if (f == Format::Pdf || f == Format::Print) {
            const pdf::PdfOptions pdf_options = pdf_options_for(f == Format::Print);
            const fs::path path = pdf_path(pdf_options.print);
            layout::Pages& pages = pdf_options.print ? *press : *reading;
            // The preflight reads the print pages, which their writer takes: the
            // other outputs are written meanwhile (after an edit, when the pages come
            // from the cache, it ran alone for about 0.1 s of a 1.25 s build, the other core idle).
            std::future<void>* before = pdf_options.print ? &preflighting : nullptr;
            writers.push_back([path, &pages, &book, pdf_options, before] {
                if (before && before->valid()) before->get();
                pdf::write_pdf(path, std::move(pages), book, pdf_options);
            });
            written.push_back(path);
            continue;
        }
        // Format::Epub
        if (pages_of_print) package_options.page_list = &*pages_of_print;
        const fs::path path = options.out_dir / (book.name + ".epub");
        // The EPUB is the last reader of the articles' text: the pages are set, the
        // page list and the permissions log read, and the PDF writer needs only
        // titles, credits and pictures. Each article's text is released once written
        // (the PDF writers, meanwhile, read none of it).
        writers.push_back([&, path] {
            epub::write_epub(
                path,
                ahead ? ahead->finish(package_options.page_list) : epub::build_package_consuming(book, package_options),
                package_options.modified, deflated);
        });
        written.push_back(path);
    }
    may_write.open();
    run_all(writers);
    // Last, as before: a build whose outputs failed leaves the log as it was.
    const fs::path log_path = options.out_dir / (book.name + "-permissions.csv");
    write_file_atomically(log_path, permissions_csv(log));
    written.push_back(log_path);
    if (permissions) *permissions = std::move(log);
    for (std::future<void>& f : saving)
        if (f.valid()) f.get();  // empty: saved when asked
    if (deflated_read.valid()) deflated_read.get();
    if (options.kept) {
        options.kept->deflated.end_build();
        options.kept->parsed.end_build();
    }
    if (own_deflated) own_deflated->end_build();
    if (own_parsed) own_parsed->end_build();
    if (content && (!saving.empty() || own_deflated)) {
        CacheCounts& cached = content->cache.emplace();
        for (cache::ParagraphStore* memo : {reading_memo, print_memo}) {
            if (!memo) continue;
            const cache::ParagraphStore::Counts c = memo->take_counts();
            cached.recalled += c.recalled;
            cached.set += c.set;
            cached.ignored += c.ignored;
        }
        if (own_deflated) {
            const cache::DeflatedStore::Counts c = own_deflated->take_counts();
            cached.compressed_recalled = c.reused;
            cached.compressed_anew = c.deflated;
            cached.ignored += c.ignored;
        }
        if (own_parsed) {
            const cache::DeflatedStore::Counts c = own_parsed->take_counts();
            cached.sources_recalled = c.reused;
            cached.sources_parsed = c.deflated;
            cached.ignored += c.ignored;
        }
    }
    return written;
}

namespace {

constexpr const char* kStarterManifest = R"(# The manifest of a folio book. See the README for every key.
title: My First Book
author: [Your Name]
language: en
rights: "Text © the authors of each article; see the credits."
credits: required
defaults:
  author: Your Name
  site: Your Blog
  license: CC BY 4.0
  license_url: https://creativecommons.org/licenses/by/4.0/
chapters:
  - title: Articles
    articles: articles/*.md
)";

constexpr const char* kStarterArticle = R"(---
title: Hello, book
date: 2026-01-01
source: https://example.org/hello-book
summary: A first article, to show how a folio book is put together.
---

This is the first article of your book. Write Markdown here: *emphasis*,
**strong text**, [links](https://example.org), lists, tables and footnotes.[^1]

## What folio does with it

folio turns every article into a chapter of an EPUB, and adds its credit after
it and on a credits page, so that readers know who wrote it and under what terms.

[^1]: Footnotes become pop-up notes in e-readers.
)";

}  // namespace

void new_book(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
        throw Error("folder exists and is not empty", {dir.generic_string()},
                    "choose a new folder name; folio new never overwrites files");
    ensure_directory(dir / "articles");
    write_file_atomically(dir / "book.yaml", kStarterManifest);
    write_file_atomically(dir / "articles" / "hello-book.md", kStarterArticle);
}

}  // namespace folio::build
