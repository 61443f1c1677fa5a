#include "sources/fetch.hpp"

#include "book/load_book.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/shared_library.hpp"
#include "core/text.hpp"
#include "doc/model.hpp"
#include "pictures/picture.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>

#ifndef FOLIO_VERSION
#define FOLIO_VERSION "0"
#endif

namespace folio::sources {

namespace fs = std::filesystem;

namespace {

// ---- libcurl, behind RAII ------------------------------------------------------------

// libcurl, loaded when `folio fetch` first downloads (core/shared_library.hpp says
// why): each function typed by its header, found by name. The members drop the
// "curl_" prefix: curl.h makes some of the names macros that check argument types.
struct Curl {
    SharedLibrary library{"libcurl.so.4", "install the Debian package libcurl4, which folio fetch downloads with"};
    FOLIO_SHARED_FUNCTION(library, global_init, curl_global_init);
    FOLIO_SHARED_FUNCTION(library, global_cleanup, curl_global_cleanup);
    FOLIO_SHARED_FUNCTION(library, easy_init, curl_easy_init);
    FOLIO_SHARED_FUNCTION(library, easy_cleanup, curl_easy_cleanup);
    FOLIO_SHARED_FUNCTION(library, easy_setopt, curl_easy_setopt);
    FOLIO_SHARED_FUNCTION(library, easy_perform, curl_easy_perform);
    FOLIO_SHARED_FUNCTION(library, easy_strerror, curl_easy_strerror);
    FOLIO_SHARED_FUNCTION(library, easy_getinfo, curl_easy_getinfo);
    FOLIO_SHARED_FUNCTION(library, slist_append, curl_slist_append);
    FOLIO_SHARED_FUNCTION(library, slist_free_all, curl_slist_free_all);
};

// The library, loaded once (a load that failed is tried again by the next call).
const Curl& curl() {
    static const Curl c;
    return c;
}


// curl_global_init is not thread-safe: done once, before the first download thread.
class CurlGlobal {
public:
    CurlGlobal() : m_code(curl().global_init(CURL_GLOBAL_DEFAULT)) {}
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
    ~CurlGlobal() {
        if (m_code == CURLE_OK) curl().global_cleanup();
    }
    bool ok() const { return m_code == CURLE_OK; }

private:
    CURLcode m_code;
};

struct EasyDeleter {
    void operator()(CURL* handle) const noexcept { curl().easy_cleanup(handle); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
    void operator()(curl_slist* list) const noexcept { curl().slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// ---- one download --------------------------------------------------------------------

// What came back for one address: the bytes, or why not.
struct Download {
    std::string bytes;
    std::string content_type;  // as the server declared it, for the report
    std::string failure;       // empty: the bytes are what the server sent with a 2xx status
    std::string hint;
};

struct Sink {
    std::string* bytes;
    std::uint64_t limit;
    bool too_large = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t n = size * count;
    if (sink->bytes->size() + n > sink->limit) {
        sink->too_large = true;
        return 0;  // curl stops with CURLE_WRITE_ERROR
    }
    sink->bytes->append(data, n);
    return n;
}

// An address as written may hold spaces or other bytes a URL may not (a raw HTML
// src="…" is not escaped as Markdown destinations are); curl refuses those, so they
// are percent-encoded. The address as written still names the fetched copy.
std::string escaped_for_curl(std::string_view address) {
    std::string out;
    for (char ch : address) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7F) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned>(c));
            out += buf;
        } else {
            out += ch;
        }
    }
    return out;
}

std::string seconds_text(double s) {  // "60 s", "1.5 s"
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", s);
    return buf;
}

std::string http_status_text(long status) {
    const char* meaning = nullptr;
    switch (status) {
        case 400: meaning = "bad request"; break;
        case 401: meaning = "login required"; break;
        case 403: meaning = "forbidden"; break;
        case 404: meaning = "not found"; break;
        case 410: meaning = "gone"; break;
        case 429: meaning = "too many requests"; break;
        case 500: meaning = "server error"; break;
        case 502: meaning = "bad gateway"; break;
        case 503: meaning = "service unavailable"; break;
        case 504: meaning = "gateway timeout"; break;
        default: break;
    }
    return "HTTP " + std::to_string(status) + (meaning ? std::string(" (") + meaning + ")" : "");
}

constexpr const char* kLaterHint = "the server may be down or slow: run 'folio fetch' again later";

Download download(const std::string& address, const FetchOptions& options) {
    Download out;
    Easy easy(curl().easy_init());
    if (!easy) {
        out.failure = "libcurl could not start a transfer";
        return out;
    }
    CURL* h = easy.get();
    char error[CURL_ERROR_SIZE] = {};
    Sink sink{&out.bytes, options.max_bytes};
    const std::string url = escaped_for_curl(address);
    const std::string agent = "folio/" FOLIO_VERSION " (book compiler; folio fetch)";
    // A CDN may send a browser a format folio cannot read (AVIF): ask for those it can.
    Slist headers(curl().slist_append(nullptr, "Accept: image/png, image/jpeg, image/gif, image/webp, image/svg+xml, "
                                             "image/*;q=0.5, */*;q=0.1"));
    const auto ms = [](double seconds) { return static_cast<long>(std::lround(seconds * 1000)); };
    curl().easy_setopt(h, CURLOPT_URL, url.c_str());
    curl().easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl().easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl().easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl().easy_setopt(h, CURLOPT_MAXREDIRS, options.max_redirects);
    curl().easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms(options.connect_timeout_seconds));
    curl().easy_setopt(h, CURLOPT_TIMEOUT_MS, ms(options.timeout_seconds));
    curl().easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
    curl().easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for timeouts
    curl().easy_setopt(h, CURLOPT_USERAGENT, agent.c_str());
    curl().easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl().easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // any compression curl can undo
    curl().easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
    curl().easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl().easy_setopt(h, CURLOPT_ERRORBUFFER, error);

    const CURLcode code = curl().easy_perform(h);
    const std::string detail = error[0] ? error : curl().easy_strerror(code);
    long status = 0;
    curl().easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    const char* type = nullptr;
    if (curl().easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) out.content_type = type;

    const std::string limit = human_size(options.max_bytes);
    switch (code) {
        case CURLE_OK:
            if (status < 200 || status > 299) {
                out.failure = http_status_text(status);
                out.hint = status >= 500 || status == 429
                               ? kLaterHint
                               : "open the address in a browser: if the picture has moved, write its new address "
                                 "in the article; or save the picture into the book and name it by its path";
            }
            return out;
        case CURLE_FILESIZE_EXCEEDED:
            out.failure = "larger than the limit of " + limit;
            break;
        case CURLE_WRITE_ERROR:
            out.failure = sink.too_large ? "larger than the limit of " + limit : "cannot keep the download: " + detail;
            break;
        case CURLE_OPERATION_TIMEDOUT: {
            curl_off_t connected = 0;
            curl().easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connected);
            out.failure = connected == 0 && options.connect_timeout_seconds < options.timeout_seconds
                              ? "no connection within " + seconds_text(options.connect_timeout_seconds)
                              : "timed out after " + seconds_text(options.timeout_seconds);
            out.hint = std::string(kLaterHint) + ", or allow it longer with --timeout SECONDS";
            return out;
        }
        case CURLE_COULDNT_RESOLVE_HOST:
            out.failure = "host not found (DNS): " + detail;
            out.hint = "check the host name in the address, and that this machine is online";
            return out;
        case CURLE_COULDNT_RESOLVE_PROXY:
            out.failure = "proxy not found (DNS): " + detail;
            out.hint = "check the proxy in the http_proxy and https_proxy variables";
            return out;
        case CURLE_COULDNT_CONNECT:
            out.failure = "cannot connect: " + detail;
            out.hint = kLaterHint;
            return out;
        case CURLE_TOO_MANY_REDIRECTS:
            out.failure = "more than " + std::to_string(options.max_redirects) + " redirects";
            out.hint = "open the address in a browser and write the picture's final address in the article";
            return out;
        case CURLE_UNSUPPORTED_PROTOCOL:
            out.failure = "redirected to an address that is not http or https: " + detail;
            break;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CACERT_BADFILE:
            out.failure = "secure connection failed: " + detail;
            out.hint = "the server's certificate could not be verified: save the picture into the book by hand";
            return out;
        default:
            out.failure = detail;
            out.hint = kLaterHint;
            return out;
    }
    out.hint = "save the picture into the book and name it by its path";
    return out;
}

// The last segment of an address's path, to name a picture in the picture reader's
// messages ("image 'boat.jpg' cannot be read: …").
std::string file_name_of(std::string_view address) {
    std::string_view path = address.substr(0, address.find_first_of("?#"));
    if (const std::size_t slash = path.rfind('/'); slash != std::string_view::npos) path.remove_prefix(slash + 1);
    return path.empty() ? std::string(address) : std::string(path);
}

// An HTML page where a picture was expected: a server's error or login page, a
// hot-linking refusal, the page around the picture.
bool looks_like_html(std::string_view bytes) {
    const std::size_t start = bytes.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (start == std::string_view::npos) return false;
    const std::string_view head = bytes.substr(start, 15);
    return text::starts_with_ci(head, "<!doctype html") || text::starts_with_ci(head, "<html") ||
           text::starts_with_ci(head, "<head") || text::starts_with_ci(head, "<body");
}

struct Outcome {
    std::optional<FetchedPicture> fetched;
    std::optional<FetchFailure> failure;
};

Outcome fetch_one(const fs::path& root, const doc::Book::RemotePicture& picture, const FetchOptions& options) {
    Outcome out;
    const auto fail = [&](std::string reason, std::string hint) {
        out.failure = FetchFailure{picture.address, picture.where, std::move(reason), std::move(hint)};
        return out;
    };
    Download got = download(picture.address, options);
    if (!got.failure.empty()) return fail(std::move(got.failure), std::move(got.hint));

    // Only what the picture reader can read is kept: an HTML error page served with a
    // 200 status (and even as image/jpeg) is not a picture.
    const std::optional<doc::PictureFormat> format = pictures::sniff(got.bytes);
    if (!format) {
        const std::string as = got.content_type.empty() ? "" : " as '" + got.content_type + "'";
        std::string what = got.bytes.empty()         ? "nothing"
                           : looks_like_html(got.bytes) ? "a web page (" + human_size(got.bytes.size()) + ")" + as
                                                        : human_size(got.bytes.size()) + as +
                                                              " that are no PNG, JPEG, GIF, WebP or SVG";
        return fail("not a picture: the server sent " + what,
                    "the address may give a web page around the picture, or refuse pictures to other sites: open "
                    "it in a browser and save the picture into the book, or copy the picture's own address");
    }
    try {
        Diagnostics ignored;  // what an SVG loses is reported by the build that shows it
        (void)pictures::read_picture(file_name_of(picture.address), got.bytes, picture.where, ignored);
    } catch (const Error& e) {
        return fail("a broken picture: " + e.message(), "the copy on the server may be damaged: save a good copy "
                                                        "into the book and name it by its path");
    }
    const std::string rel = "fetched/" + sha1_hex(picture.address).substr(0, 16) + doc::file_extension(*format);
    try {
        ensure_directory(root / "fetched");
        write_file_atomically(root / rel, got.bytes);
    } catch (const Error& e) {
        return fail(e.message(), "check that the book folder can be written");
    }
    out.fetched = FetchedPicture{picture.address, picture.where, rel, got.bytes.size()};
    return out;
}

}  // namespace

Error FetchFailure::error() const { return Error("cannot fetch '" + address + "': " + reason, where, hint); }

std::uint64_t FetchReport::bytes_fetched() const {
    std::uint64_t n = 0;
    for (const FetchedPicture& f : fetched) n += f.bytes;
    return n;
}

std::string human_size(std::uint64_t bytes) {
    if (bytes < 1000) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
    static constexpr const char* kUnits[] = {"kB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    for (value /= 1000; value >= 1000 && unit + 1 < std::size(kUnits); value /= 1000) ++unit;
    char buf[32];
    std::snprintf(buf, sizeof buf, value < 10 && std::round(value * 10) != std::round(value) * 10 ? "%.1f %s" : "%.0f %s",
                  value, kUnits[unit]);
    return buf;
}

FetchReport fetch_pictures(const fs::path& book_dir, const FetchOptions& options, Diagnostics& diagnostics) {
    const fs::path root = book_dir.empty() ? fs::path(".") : book_dir;
    // The loader knows which pictures are on the web; its warnings that they are not
    // fetched are what this command is for, and are left in `diagnostics` unprinted.
    const doc::Book book = book::load_book(root, diagnostics);
    diagnostics.stop_if_errors();

    FetchReport report;
    std::vector<const doc::Book::RemotePicture*> todo;  // in address order, as the book lists them
    for (const doc::Book::RemotePicture& picture : book.remote_pictures) {
        if (auto copy = pictures::fetched_copy(root, picture.address)) {
            std::error_code ec;
            const auto size = fs::file_size(root / *copy, ec);
            report.present.push_back({picture.address, picture.where, *copy, ec ? 0 : static_cast<std::uint64_t>(size)});
            continue;
        }
        todo.push_back(&picture);
    }
    if (options.starting) options.starting(todo.size(), report.present.size());
    if (todo.empty()) return report;

    static const CurlGlobal global;
    if (!global.ok()) throw Error("libcurl could not be started", {}, "reinstall libcurl (libcurl4)");

    // A few downloads at a time, each on its own thread with its own handle; the
    // outcomes are kept by index, so the report's order never depends on timing.
    std::vector<Outcome> outcomes(todo.size());
    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < todo.size();) {
            try {
                outcomes[i] = fetch_one(root, *todo[i], options);
            } catch (const std::exception& e) {  // out of memory, a thread's resources: still reported in place
                outcomes[i].failure = FetchFailure{todo[i]->address, todo[i]->where, e.what(), {}};
            }
        }
    };
    const std::size_t threads = std::min<std::size_t>(std::max(1u, options.parallel), todo.size());
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool) t.join();

    for (Outcome& o : outcomes) {
        if (o.fetched) report.fetched.push_back(std::move(*o.fetched));
        if (o.failure) report.failed.push_back(std::move(*o.failure));
    }
    // Reported in the order of the places that name them, as a build reports its
    // warnings: a reader goes through the articles once.
    const auto by_place = [](const auto& x, const auto& y) {
        return std::tie(x.where.file, x.where.line, x.where.column, x.address) <
               std::tie(y.where.file, y.where.line, y.where.column, y.address);
    };
    std::sort(report.present.begin(), report.present.end(), by_place);
    std::sort(report.fetched.begin(), report.fetched.end(), by_place);
    std::sort(report.failed.begin(), report.failed.end(), by_place);
    return report;
}

}  // namespace folio::sources
