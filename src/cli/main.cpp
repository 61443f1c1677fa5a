// folio's command line: parse arguments, call folio::build, print diagnostics once,
// map outcomes to exit codes (README "Exit codes"). The same command line is
// folio-preview's, which runs `proof` and `serve` (cli/preview.hpp says why).
#include "build/build.hpp"
#include "cli/preview.hpp"
#include "cli/report.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "serve/watch.hpp"
#include "sources/fetch.hpp"
#include "sources/new_from.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <algorithm>
#include <iostream>

namespace {

using folio::text::json_string;
using namespace folio::cli;

// After a print build: a line a store, its failures and warnings spelled out (shown
// under --quiet too: they are what a store would refuse).
void print_preflight_summary(const std::string& book, const std::vector<folio::preflight::Finding>& findings,
                             bool quiet) {
    using folio::preflight::Verdict;
    for (auto store : {folio::preflight::Store::Kdp, folio::preflight::Store::IngramSpark, folio::preflight::Store::Lulu}) {
        std::string problems;
        int rules = 0;
        for (const auto& f : findings) {
            if (f.store != store) continue;
            ++rules;
            if (f.verdict == Verdict::Pass) continue;
            problems += std::string(problems.empty() ? "" : "; ") + (f.verdict == Verdict::Failure ? "FAIL " : "warning ") +
                        f.rule + ": " + (f.page > 0 ? "page " + std::to_string(f.page) + ": " : "") + f.detail;
        }
        if (rules == 0 || (quiet && problems.empty())) continue;
        std::cerr << "folio: preflight: " << book << ": " << folio::preflight::store_name(store) << ": "
                  << (problems.empty() ? "passes every rule" : problems) << '\n';
    }
}

std::string census_json(const folio::doc::Census& c) {
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "{\"pictures\": %ld, \"pictures_lost\": %ld, \"tables\": %ld, \"code_blocks\": %ld, \"footnotes\": %ld, "
                  "\"links_internal\": %ld, \"links_external\": %ld, \"links_dropped\": %ld, \"words\": %ld}",
                  c.pictures, c.pictures_lost, c.tables, c.code_blocks, c.footnotes, c.links_internal,
                  c.links_external, c.links_dropped, c.words);
    return buf;
}

std::string census_text(const folio::doc::Census& c, bool sources) {
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "%ld pictures%s, %ld tables, %ld code blocks, %ld footnotes, %ld internal links, %ld external%s, "
                  "%ld words",
                  c.pictures, sources ? (" (" + std::to_string(c.pictures_lost) + " not shown)").c_str() : "", c.tables,
                  c.code_blocks, c.footnotes, c.links_internal, c.links_external,
                  sources ? (" (" + std::to_string(c.links_dropped) + " dropped)").c_str() : "", c.words);
    return buf;
}

// The permissions log's rows as a JSON array, its columns as keys.
std::string permissions_json(const std::vector<folio::build::Permission>& rows) {
    std::string out = "[";
    for (const auto& r : rows) {
        out += out.size() > 1 ? ", {" : "{";
        const std::pair<const char*, const std::string*> fields[] = {
            {"file", &r.file},       {"title", &r.title},           {"author", &r.authors},
            {"site", &r.site},       {"source", &r.source},         {"licence", &r.licence},
            {"licence_url", &r.licence_url}, {"licence_family", &r.licence_family}, {"permission", &r.permission}, {"credit", &r.credit}, {"epub_document", &r.epub_document},
            {"print_pages", &r.print_pages}, {"credit_print_page", &r.credit_print_page}};
        bool first = true;
        for (const auto& [key, value] : fields) {
            out += std::string(first ? "" : ", ") + "\"" + key + "\": " + json_string(*value);
            first = false;
        }
        out += "}";
    }
    return out + "]";
}

void print_stats(const std::string& book, const folio::layout::LayoutStats& s, const folio::build::ContentCounts& content,
                 const std::vector<folio::build::Permission>& permissions, bool json) {
    const std::pair<const char*, const std::optional<folio::doc::Census>*> outputs[] = {
        {"epub", &content.epub}, {"pdf", &content.pdf}, {"print", &content.print}};
    char buf[1024];
    if (json) {
        std::snprintf(buf, sizeof buf,
                      "{\"book\": %s, \"pages\": %d, \"lines\": %d, \"hyphenated_lines\": %d, "
                      "\"max_consecutive_hyphenated\": %d, \"overfull_lines\": %d, \"widows\": %d, \"orphans\": %d, "
                      "\"mean_adjustment_ratio\": %.4f, \"worst_adjustment_ratio\": %.4f, \"pages_running_on\": %d, "
                      "\"flush_pages\": %d, \"credit_only_pages\": %d, \"hyphenated_page_ends\": %d, "
                      "\"hyphenated_recto_ends\": %d, ",
                      json_string(book).c_str(), s.pages, s.lines, s.hyphenated_lines, s.max_consecutive_hyphens,
                      s.overfull_lines, s.widows, s.orphans, s.mean_ratio, s.worst_ratio, s.pages_running_on,
                      s.flush_pages, s.credit_only_pages, s.hyphenated_page_ends, s.hyphenated_recto_ends);
        std::string out = buf;
        out += "\"content\": {\"sources\": " + census_json(content.sources);
        for (const auto& [name, census] : outputs)
            if (*census) out += std::string(", \"") + name + "\": " + census_json(**census);
        out += "}";
        if (content.cache)
            out += ", \"cache\": {\"sources_recalled\": " + std::to_string(content.cache->sources_recalled) +
                   ", \"sources_parsed\": " + std::to_string(content.cache->sources_parsed) +
                   ", \"paragraphs_recalled\": " + std::to_string(content.cache->recalled) +
                   ", \"paragraphs_set\": " + std::to_string(content.cache->set) +
                   ", \"files_ignored\": " + std::to_string(content.cache->ignored) +
                   ", \"compressed_recalled\": " + std::to_string(content.cache->compressed_recalled) +
                   ", \"compressed_anew\": " + std::to_string(content.cache->compressed_anew) + "}";
        out += ", \"permissions\": " + permissions_json(permissions) + "}\n";
        std::cout << out;
        return;
    }
    std::snprintf(buf, sizeof buf,
                  "%s: %d pages, %d lines, %d hyphenated (at most %d in a row), %d overfull, %d widows, %d orphans, "
                  "adjustment ratio mean %.3f worst %.3f; %d of %d pages that run on end flush, %d credit-only pages, "
                  "%d pages end in a hyphen (%d rectos)\n",
                  book.c_str(), s.pages, s.lines, s.hyphenated_lines, s.max_consecutive_hyphens, s.overfull_lines,
                  s.widows, s.orphans, s.mean_ratio, s.worst_ratio, s.flush_pages, s.pages_running_on,
                  s.credit_only_pages, s.hyphenated_page_ends, s.hyphenated_recto_ends);
    std::cout << buf;
    std::cout << book << ": sources: " << census_text(content.sources, true) << '\n';
    for (const auto& [name, census] : outputs)
        if (*census) std::cout << book << ": " << name << ": " << census_text(**census, false) << '\n';
    if (content.cache)
        std::cout << book << ": cache: " << content.cache->sources_recalled << " articles' sources read back, "
                  << content.cache->sources_parsed << " parsed, " << content.cache->recalled
                  << " articles and paragraphs read back, " << content.cache->set << " set, "
                  << content.cache->compressed_recalled << " compressed pages read back, "
                  << content.cache->compressed_anew << " compressed"
                  << (content.cache->ignored ? ", " + std::to_string(content.cache->ignored) +
                                                   (content.cache->ignored == 1 ? " damaged part" : " damaged parts") +
                                                   " of the cache ignored"
                                             : "")
                  << '\n';
}

// `folio watch`: a line per build; Ctrl-C ends it.
int run_watch(const std::string& dir, const folio::serve::WatchOptions& options) {
    stop_on_interrupt();
    try {
        folio::serve::watch(dir, options, folio::build::BuildContext::from_environment(), report_build, stop_watching);
    } catch (const folio::Error& e) {
        std::cerr << e.format() << '\n';
        return InputError;
    }
    return Success;
}

// `folio fetch`: each picture downloaded, on stdout; each that could not be, as a
// located error on stderr; then the count. Exit 0 only when every picture the book
// names on the web has its copy.
int run_fetch(const std::string& dir, folio::sources::FetchOptions options) {
    options.starting = [&](std::size_t to_fetch, std::size_t present) {
        if (to_fetch == 0) return;
        std::cout << "folio: " << dir << ": fetching " << to_fetch << (to_fetch == 1 ? " picture" : " pictures")
                  << (present ? " (" + std::to_string(present) + " fetched before)" : std::string()) << "…\n"
                  << std::flush;
    };
    folio::Diagnostics diagnostics;
    folio::sources::FetchReport report;
    try {
        report = folio::sources::fetch_pictures(dir, options, diagnostics);
    } catch (const folio::Error& e) {
        print_errors(diagnostics);
        std::cerr << e.format() << '\n';
        return InputError;
    } catch (const folio::ErrorsReported&) {
        print_errors(diagnostics);
        return InputError;
    }
    const std::filesystem::path root(dir);
    for (const auto& f : report.fetched)
        std::cout << "folio: fetched " << f.address << " as " << (root / f.path).lexically_normal().generic_string()
                  << " (" << folio::sources::human_size(f.bytes) << ")\n";
    for (const auto& f : report.failed) std::cerr << f.error().format() << '\n';
    const std::size_t named = report.fetched.size() + report.present.size() + report.failed.size();
    std::cout << "folio: " << dir << ": ";
    if (named == 0) {
        std::cout << "no picture on the web to fetch\n";
    } else {
        std::cout << report.fetched.size() << " fetched (" << folio::sources::human_size(report.bytes_fetched())
                  << "), " << report.present.size() << " already there, " << report.failed.size() << " failed\n";
    }
    return report.complete() ? Success : InputError;
}

int run(int argc, char** argv) {
    CLI::App app{"folio compiles a book folder (book.yaml + Markdown articles) into an EPUB 3 and PDFs.", "folio"};
    app.set_version_flag("--version", "folio " + std::string(folio::build::version()));
    app.require_subcommand(1);

    std::vector<std::string> book_dirs;
    std::string out_dir = "out";
    std::string format = "epub";
    bool strict = false;
    bool quiet = false;
    std::string stats;
    CLI::App* build = app.add_subcommand("build", "Compile books into out/<name>.epub, <name>.pdf and <name>-print.pdf");
    build->add_option("BOOK_DIR", book_dirs, "Book folders (default: the current folder)");
    build->add_option("-o,--out", out_dir, "Output folder")->capture_default_str();
    build->add_option("--format", format, "What to write: epub, pdf (reading), print (the print interior) or all")
        ->check(CLI::IsMember({"epub", "pdf", "print", "all"}))
        ->capture_default_str();
    build->add_flag("--strict", strict, "Treat warnings as errors (exit code 3)");
    build->add_flag("-q,--quiet", quiet, "Print only warnings and errors");
    build->add_flag("-v,--verbose", verbose, "Every place of a repeated warning, not the first three");
    build->add_option("--stats", stats, "Print the PDF's layout report (text or json)")
        ->expected(0, 1)
        ->default_str("text")
        ->check(CLI::IsMember({"text", "json"}));
    // The cache is on unless --no-cache: --cache, which turned it on before it was
    // the default, is still taken, so that scripts written then keep working.
    bool cache = false, no_cache = false;
    CLI::Option* cache_on = build->add_flag("--cache", cache, "Use the cache (the default)");
    build
        ->add_flag("--no-cache", no_cache,
                   "Neither read nor write OUT/.folio-cache, where each build keeps what it set so that "
                   "the next sets again only what an edit changed")
        ->excludes(cache_on);

    std::string clean_dir = "out";
    CLI::App* clean = app.add_subcommand("clean", "Remove the cache of the books built into an output folder");
    clean->add_option("-o,--out", clean_dir, "Output folder")->capture_default_str();

    std::string check_dir;
    CLI::App* check = app.add_subcommand("check", "Load and validate a book; write nothing");
    check->add_option("BOOK_DIR", check_dir, "Book folder")->required();
    check->add_flag("--strict", strict, "Treat warnings as errors (exit code 3)");
    check->add_flag("-v,--verbose", verbose, "Every place of a repeated warning, not the first three");
    bool print_check = false;
    check->add_flag("--print", print_check,
                    "Preflight the print interior: what KDP, IngramSpark and Lulu would refuse (exit code 1 on a "
                    "failure)");

    std::string new_dir, from;
    folio::sources::NewOptions from_options;
    CLI::App* create = app.add_subcommand(
        "new", "Write a starter book that builds, or with --from, a book.yaml for an existing blog or book");
    create->add_option("BOOK_DIR", new_dir, "Folder of the new book")->required();
    create->add_option("--from", from,
                       "An mdBook book, a Hugo, Jekyll, Zola, Eleventy or Pelican site, or a folder of Markdown files");
    create->add_option("--title", from_options.title, "With --from: the book's title");
    create->add_option("--language", from_options.language, "With --from: the articles' language (BCP 47)");
    create->add_option("--author", from_options.author, "With --from: who wrote the articles, for their credits");
    create->add_option("--site", from_options.site, "With --from: where the articles were first published");
    create->add_option("--license", from_options.license, "With --from: the terms they may be reused under");
    create->add_option("--license-url", from_options.license_url, "With --from: the licence's address");
    create->add_option("--base-url", from_options.base_url, "With --from: the address the articles were published under");

    std::string fetch_dir = ".";
    folio::sources::FetchOptions fetch_options;
    CLI::App* fetch = app.add_subcommand(
        "fetch", "Download the pictures a book names by their web address into BOOK_DIR/fetched/, for its builds");
    fetch->add_option("BOOK_DIR", fetch_dir, "Book folder (default: the current folder)");
    fetch->add_option("--timeout", fetch_options.timeout_seconds, "Seconds one picture may take to arrive")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    fetch->add_option("--max-size", fetch_options.max_bytes, "A picture larger than this is not kept (50MB, 800kB…)")
        ->transform(CLI::AsSizeValue(true))
        ->default_str("50MB");

    std::string watch_dir = ".";
    std::string watch_format = "epub";
    folio::serve::WatchOptions watch_options;
    CLI::App* watch = app.add_subcommand(
        "watch", "Build a book, then again after every change to its folder (Ctrl-C to stop)");
    watch->add_option("BOOK_DIR", watch_dir, "Book folder (default: the current folder)");
    watch->add_option("-o,--output", watch_options.build.out_dir, "Output folder")->capture_default_str();
    watch->add_option("-f,--format", watch_format, "What to build")
        ->check(CLI::IsMember({"epub", "pdf", "print", "all"}))
        ->capture_default_str();

    std::string serve_dir = ".";
    folio::serve::ServeOptions serve_options;
    CLI::App* serve = app.add_subcommand(
        "serve", "Preview a book on 127.0.0.1: e-reader pages, print spreads and notes, rebuilt on every change");
    serve->add_option("BOOK_DIR", serve_dir, "Book folder (default: the current folder)");
    serve->add_option("-o,--output", serve_options.watch.build.out_dir, "Output folder")->capture_default_str();
    serve->add_option("--port", serve_options.port, "Port on 127.0.0.1 (0: any free one)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();

    std::string proof_dir = ".";
    folio::proof::ProofOptions proof_options;
    CLI::App* proof = app.add_subcommand(
        "proof", "Build the print PDF and draw its spreads at 150 dpi into OUT/<name>-proof/, with a contact sheet");
    proof->add_option("BOOK_DIR", proof_dir, "Book folder (default: the current folder)");
    proof->add_option("-o,--output", proof_options.out_dir, "Output folder")->capture_default_str();
    proof->add_option("--dpi", proof_options.dpi, "Resolution of the spreads")
        ->check(CLI::Range(36.0, 600.0))
        ->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? Success : UsageError;
    }

    if (*create && !from.empty()) {
        const folio::sources::NewReport report = folio::sources::new_book_from(new_dir, from, from_options);
        std::cout << report.summary();
        return Success;
    }
    if (*create) {
        folio::build::new_book(new_dir);
        std::cout << "folio: wrote a starter book in " << new_dir << "; build it with: folio build " << new_dir
                  << '\n';
        return Success;
    }

    if (*clean) {
        const bool removed = folio::build::clean(clean_dir);
        std::cout << (removed ? "folio: removed the cache in " : "folio: no cache in ") << clean_dir << '\n';
        return Success;
    }
    if (*fetch) return run_fetch(fetch_dir, fetch_options);
    if (*proof) return run_proof(argv, proof_dir, proof_options);
    if (*serve) return run_serve(argv, serve_dir, serve_options);
    if (*watch) {
        using folio::build::Format;
        watch_options.build.formats = watch_format == "epub"  ? std::vector<Format>{Format::Epub}
                                      : watch_format == "pdf" ? std::vector<Format>{Format::Pdf}
                                      : watch_format == "print"
                                          ? std::vector<Format>{Format::Print}
                                          : std::vector<Format>{Format::Epub, Format::Pdf, Format::Print};
        return run_watch(watch_dir, watch_options);
    }

    const folio::build::BuildContext context = folio::build::BuildContext::from_environment();

    if (*check) {
        folio::Diagnostics diagnostics;
        std::vector<folio::preflight::Finding> findings;
        try {
            if (print_check)
                findings = folio::build::preflight_book(check_dir, diagnostics);
            else
                folio::build::check_book(check_dir, diagnostics);
        } catch (const folio::Error& e) {
            print_warnings(diagnostics);
            print_errors(diagnostics);
            std::cerr << e.format() << '\n';
            return InputError;
        } catch (const folio::ErrorsReported&) {
            print_warnings(diagnostics);
            print_errors(diagnostics);
            return InputError;
        }
        print_warnings(diagnostics);
        if (print_check) {
            std::cout << "folio: preflight of " << check_dir << "'s print interior:\n" << folio::preflight::report(findings);
            using folio::preflight::Verdict;
            auto any = [&](Verdict v) {
                return std::any_of(findings.begin(), findings.end(), [v](const auto& f) { return f.verdict == v; });
            };
            if (any(Verdict::Failure)) return InputError;
            if (strict && any(Verdict::Warning)) return StrictWarnings;
        }
        if (strict && diagnostics.warning_count() > 0) return StrictWarnings;
        return Success;
    }

    if ((format == "print" || format == "all") && !quiet)
        std::cerr << "folio: note: the preflight is folio's reading of the print stores' rules: look at the "
                     "proof in the store's previewer before you order\n";

    if (book_dirs.empty()) book_dirs.push_back(".");
    folio::build::Options options;
    options.out_dir = out_dir;
    options.cache = !no_cache;
    using folio::build::Format;
    options.formats = format == "epub"    ? std::vector<Format>{Format::Epub}
                      : format == "pdf"   ? std::vector<Format>{Format::Pdf}
                      : format == "print" ? std::vector<Format>{Format::Print}
                                          : std::vector<Format>{Format::Epub, Format::Pdf, Format::Print};
    if (!stats.empty() && format == "epub") options.formats.push_back(Format::Pdf);
    int worst = Success;
    for (const std::string& dir : book_dirs) {
        folio::Diagnostics diagnostics;
        try {
            folio::layout::LayoutStats layout_stats;
            folio::build::ContentCounts content;
            std::vector<folio::preflight::Finding> findings;
            std::vector<folio::build::Permission> permissions;
            const auto written = folio::build::build_book(dir, options, context, diagnostics,
                                                          strict ? folio::build::Strictness::WarningsFail
                                                                 : folio::build::Strictness::WarningsPass,
                                                          &layout_stats, &findings, stats.empty() ? nullptr : &content,
                                                          &permissions);
            print_warnings(diagnostics);
            print_preflight_summary(dir, findings, quiet);
            if (!stats.empty()) print_stats(dir, layout_stats, content, permissions, stats == "json");
            if (!quiet)
                for (const auto& path : written) std::cout << "folio: wrote " << path.generic_string() << '\n';
        } catch (const folio::build::WarningsUnderStrict&) {
            print_warnings(diagnostics);
            std::cerr << "folio: error: " << dir << ": " << diagnostics.warning_count()
                      << " warning(s) under --strict; nothing written\n";
            worst = std::max<int>(worst, StrictWarnings);
        } catch (const folio::Error& e) {
            print_warnings(diagnostics);
            print_errors(diagnostics);
            std::cerr << e.format() << '\n';
            worst = std::max<int>(worst, InputError);
        } catch (const folio::ErrorsReported&) {
            print_warnings(diagnostics);
            print_errors(diagnostics);
            worst = std::max<int>(worst, InputError);
        }
    }
    return worst;
}

}  // namespace

int main(int argc, char** argv) {
    // A write past the file-size limit (RLIMIT_FSIZE, a quota) raises SIGXFSZ, whose
    // default action kills the process and leaves its temporary files behind. Ignored,
    // the write fails with EFBIG instead: folio reports it, removes the temporary
    // file, and the earlier book stays.
    std::signal(SIGXFSZ, SIG_IGN);
    try {
        return run(argc, argv);
    } catch (const folio::Error& e) {
        std::cerr << e.format() << '\n';
        return InputError;
    } catch (const std::exception& e) {
        std::cerr << "folio: internal error: " << e.what() << '\n';
        return InputError;
    }
}
