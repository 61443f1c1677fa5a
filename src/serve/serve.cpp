#include "serve/serve.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "epub/write_epub.hpp"
#include "proof/proof.hpp"
#include "serve/preview_page.hpp"

#include <httplib.h>

#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace folio::serve {

namespace fs = std::filesystem;

namespace {

using text::json_string;

// A document's text, lower-cased (ASCII), for the search box: tags dropped, the
// entities folio writes resolved.
std::string searchable(std::string_view xhtml) {
    std::string out;
    bool in_tag = false;
    for (std::size_t i = 0; i < xhtml.size(); ++i) {
        const char c = xhtml[i];
        if (c == '<') in_tag = true;
        else if (c == '>') in_tag = false, out += ' ';
        else if (!in_tag) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    for (const auto& [entity, ch] : {std::pair<std::string_view, char>{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'},
                                     {"&quot;", '"'}, {"&#39;", '\''}})
        for (std::size_t at = out.find(entity); at != std::string::npos; at = out.find(entity, at + 1))
            out.replace(at, entity.size(), 1, ch);
    return out;
}

const char* content_type(const std::string& path) {
    static const std::pair<const char*, const char*> types[] = {
        {".xhtml", "application/xhtml+xml"}, {".css", "text/css"},   {".png", "image/png"},
        {".jpg", "image/jpeg"},              {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
        {".webp", "image/webp"},             {".svg", "image/svg+xml"}, {".opf", "application/oebps-package+xml"},
        {".ncx", "application/x-dtbncx+xml"}, {".xml", "application/xml"}};
    for (const auto& [ext, type] : types)
        if (path.ends_with(ext)) return type;
    return "application/octet-stream";
}

// What the last good build left to show, replaced whole by the next.
struct Book {
    std::map<std::string, std::string> epub;      // entries by path
    std::shared_ptr<const proof::PrintProof> print;
    std::map<std::string, int> page_of_label;     // the print edition's labels -> pages from 1
    std::vector<build::Permission> articles;
    std::vector<preflight::Finding> preflight;
    std::vector<Diagnostic> warnings;
    std::vector<layout::LayoutNote> layout;  // the print edition's, by page
    std::string title;
};

// The label a print page carries ("xii", "37"), or its number when it has none.
std::string label_of(const Book& book, int page) {
    std::string label = book.print ? book.print->label(page) : std::string();
    return label.empty() ? std::to_string(page) : label;
}

// Everything the handlers read, under one lock.
class State {
public:
    void update(const BuildOutcome& o, const fs::path& out_dir) {
        std::shared_ptr<Book> book;
        if (o.ok) {
            book = std::make_shared<Book>();
            for (const fs::path& p : o.written) {
                if (p.extension() == ".epub") book->epub = epub::read_epub(p);
                if (p.filename().string().ends_with("-print.pdf")) book->print = std::make_shared<proof::PrintProof>(p);
            }
            if (book->print)
                for (int page = 1; page <= book->print->pages(); ++page)
                    book->page_of_label.emplace(book->print->label(page), page);
            book->articles = o.articles;
            book->preflight = o.preflight;
            book->warnings = o.diagnostics.warnings();
            if (o.stats) book->layout = o.stats->notes;
            const std::string& opf = book->epub["EPUB/package.opf"];
            const std::size_t t = opf.find("<dc:title");
            if (t != std::string::npos) {
                const std::size_t open = opf.find('>', t), close = opf.find("</dc:title>", t);
                if (open != std::string::npos && close != std::string::npos) book->title = opf.substr(open + 1, close - open - 1);
            }
        }
        std::string errors;
        for (const Diagnostic& d : o.diagnostics.errors()) errors += d.format() + "\n";
        if (!o.error.empty()) errors += o.error + "\n";
        char line[256];
        std::snprintf(line, sizeof line, "build %d: %s in %.2f s", o.number, o.ok ? "built" : "failed", o.seconds);
        {
            std::lock_guard lock(m_mutex);
            if (book) m_book = std::move(book);
            m_build = o.number;
            m_status = line;
            m_errors = errors;
        }
        (void)out_dir;
        m_changed.notify_all();
    }

    void stop() {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
    }

    // Waits (up to `most`) for a build after `seen`; the newest build's number, or -1 when stopping.
    int wait_after(int seen, std::chrono::seconds most) {
        std::unique_lock lock(m_mutex);
        m_changed.wait_for(lock, most, [&] { return m_build != seen || m_stopping; });
        return m_stopping ? -1 : m_build;
    }

    std::shared_ptr<const Book> book() const {
        std::lock_guard lock(m_mutex);
        return m_book;
    }

    std::string json() const {
        std::shared_ptr<const Book> book;
        std::string out;
        {
            std::lock_guard lock(m_mutex);
            book = m_book;
            out = "{\"build\": " + std::to_string(m_build) + ", \"status\": " + json_string(m_status) +
                  ", \"errors\": " + json_string(m_errors);
        }
        out += ", \"title\": " + json_string(book ? book->title : "");
        out += ", \"articles\": [";
        bool first = true;
        if (book) {
            for (const build::Permission& a : book->articles) {
                // The spreads the article lies on, from its print pages.
                std::string spreads;
                const std::size_t dash = a.print_pages.find("\u2013");
                const std::string from = a.print_pages.substr(0, dash);
                const std::string to = dash == std::string::npos ? from : a.print_pages.substr(dash + 3);
                const auto f = book->page_of_label.find(from), t = book->page_of_label.find(to);
                if (f != book->page_of_label.end() && t != book->page_of_label.end())
                    for (int s = proof::PrintProof::spread_of(f->second); s <= proof::PrintProof::spread_of(t->second); ++s)
                        spreads += (spreads.empty() ? "" : ", ") + std::to_string(s);
                // Each note with the spread it is on (0: none, a warning of the sources),
                // so that the page links it to the spot.
                std::string notes;
                auto note = [&](const std::string& text, int page) {
                    const int spread = page > 0 ? proof::PrintProof::spread_of(page) : 0;
                    notes += (notes.empty() ? "{\"text\": " : ", {\"text\": ") + json_string(text) +
                             ", \"spread\": " + std::to_string(spread) + "}";
                };
                const bool placed = f != book->page_of_label.end() && t != book->page_of_label.end();
                const auto on_its_pages = [&](int page) { return placed && page >= f->second && page <= t->second; };
                for (const Diagnostic& d : book->warnings)
                    if (d.where.file == a.file || d.where.file.ends_with("/" + a.file)) note(d.format(), 0);
                for (const layout::LayoutNote& n : book->layout)
                    if (on_its_pages(n.page)) note("page " + label_of(*book, n.page) + ": " + n.what, n.page);
                for (const preflight::Finding& p : book->preflight) {
                    if (p.verdict == preflight::Verdict::Pass || p.page == 0 || !on_its_pages(p.page)) continue;
                    note(std::string(preflight::store_name(p.store)) + ": " +
                             (p.verdict == preflight::Verdict::Failure ? "FAIL " : "warning ") + p.rule + ": page " +
                             std::to_string(p.page) + ": " + p.detail,
                         p.page);
                }
                out += std::string(first ? "" : ", ") + "{\"title\": " + json_string(a.title) +
                       ", \"file\": " + json_string(a.file) + ", \"document\": " + json_string(a.epub_document) +
                       ", \"pages\": " + json_string(a.print_pages) + ", \"spreads\": [" + spreads +
                       "], \"notes\": [" + notes + "]}";
                first = false;
            }
        }
        return out + "]}";
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::shared_ptr<const Book> m_book;
    int m_build = 0;
    bool m_stopping = false;
    std::string m_status = "building…", m_errors;
};

}  // namespace

void serve(const fs::path& book_dir, const ServeOptions& options, const build::BuildContext& context,
           const std::function<void(const std::string& url)>& started,
           const std::function<void(const BuildOutcome&)>& report, const std::atomic<bool>& stop) {
    State state;
    httplib::Server server;
    // Only what folio builds is served: the page, its data, the EPUB's entries and the
    // spreads. Anything else, a path leaving these included, is 404.
    server.set_default_headers({{"Cache-Control", "no-store"},
                                {"X-Content-Type-Options", "nosniff"},
                                {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                                            "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'"}});
    server.Get("/", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(preview_page()), "text/html; charset=utf-8");
    });
    server.Get("/state.json", [&](const httplib::Request&, httplib::Response& res) {
        res.set_content(state.json(), "application/json");
    });
    server.Get(R"(/book/(.+))", [&](const httplib::Request& req, httplib::Response& res) {
        const auto book = state.book();
        const std::string path = req.matches[1];
        if (!book || !book->epub.count(path)) {
            res.status = 404;
            return;
        }
        res.set_content(book->epub.at(path), content_type(path));
    });
    server.Get(R"(/spread/(\d{1,6})\.png)", [&](const httplib::Request& req, httplib::Response& res) {
        const auto book = state.book();
        const int n = std::stoi(req.matches[1]);
        if (!book || !book->print || n < 1 || n > book->print->spreads()) {
            res.status = 404;
            return;
        }
        res.set_content(book->print->spread_png(n, options.spread_dpi), "image/png");
    });
    server.Get("/search", [&](const httplib::Request& req, httplib::Response& res) {
        const auto book = state.book();
        std::string q = req.get_param_value("q");
        for (char& c : q) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        std::string out = "[";
        if (book && !q.empty())
            for (const build::Permission& a : book->articles) {
                const auto it = book->epub.find(a.epub_document);
                if (it != book->epub.end() && searchable(it->second).find(q) != std::string::npos)
                    out += (out.size() > 1 ? ", " : "") + json_string(a.epub_document);
            }
        res.set_content(out + "]", "application/json");
    });
    // Server-sent events: "build" with its number after each build; a comment every
    // 15 s keeps the connection open.
    server.Get("/events", [&](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider("text/event-stream", [&, seen = -2](std::size_t, httplib::DataSink& sink) mutable {
            const int build = state.wait_after(seen, std::chrono::seconds(15));
            if (build < 0) {
                sink.done();
                return false;
            }
            std::string message = build != seen ? "event: build\ndata: " + std::to_string(build) + "\n\n" : ": idle\n\n";
            seen = build;
            return sink.write(message.data(), message.size());
        });
    });

    const int port = options.port == 0 ? server.bind_to_any_port("127.0.0.1") : (server.bind_to_port("127.0.0.1", options.port) ? options.port : -1);
    if (port < 0)
        throw Error("cannot listen on 127.0.0.1:" + std::to_string(options.port), {},
                    "another program holds the port: give another with --port, or 0 for any free one");
    std::thread listening([&] { server.listen_after_bind(); });

    WatchOptions watch_options = options.watch;
    watch_options.build.formats = {build::Format::Epub, build::Format::Print};
    std::atomic<bool> stopping{false};
    std::thread watching([&] {
        try {
            watch(book_dir, watch_options, context,
                  [&](const BuildOutcome& o) {
                      try {
                          state.update(o, watch_options.build.out_dir);
                      } catch (const Error&) {
                          // An output that cannot be read back: the previous preview stays.
                      }
                      report(o);
                  },
                  stopping);
        } catch (const Error& e) {
            BuildOutcome failed;
            failed.error = e.format();
            report(failed);
        }
    });
    started("http://127.0.0.1:" + std::to_string(port) + "/");
    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stopping = true;
    state.stop();
    server.stop();
    watching.join();
    listening.join();
}

}  // namespace folio::serve
