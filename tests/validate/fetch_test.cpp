// `folio fetch` against a web server the test runs itself on 127.0.0.1 (a port the
// kernel picks): pictures that arrive, and every way one may not (404, an HTML page
// served as a JPEG, a broken picture, too slow, too large, redirected in a loop).
// Before, a build warns for each; fetch writes the good ones under fetched/ byte for
// byte and names each failure where the book names it; a second fetch downloads
// nothing; after it, the build shows the pictures and its EPUB passes epubcheck. No
// byte of an article changes.
#include "core/hash.hpp"
#include "sources/fetch.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace folio {
namespace {

namespace fs = std::filesystem;
using test::slurp;
using test::spit;

// ---- a small HTTP/1.1 server ------------------------------------------------------------

struct Route {
    int status = 200;
    std::string type;
    std::string body;
    std::string extra_headers;  // "Location: /x\r\n"
    double delay_seconds = 0;   // before answering
    bool content_length = true; // false: the body ends when the connection closes
};

// One thread accepts; each connection gets a thread that reads one request, answers
// it from `routes` (by path and query, exactly as sent) and closes. Stops, waking the
// slow answers, when destroyed.
class TestServer {
public:
    explicit TestServer(std::map<std::string, Route> routes) : m_routes(std::move(routes)) {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_listener < 0) throw std::runtime_error("socket failed");
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;  // the kernel picks a free port
        socklen_t len = sizeof addr;
        if (::bind(m_listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(m_listener, 16) != 0 || ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            throw std::runtime_error("cannot listen on 127.0.0.1");
        m_port = ntohs(addr.sin_port);
        m_acceptor = std::thread([this] { accept_loop(); });
    }
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;
    ~TestServer() {
        m_stop = true;
        m_acceptor.join();
        std::vector<std::thread> connections;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            connections.swap(m_connections);
        }
        for (std::thread& t : connections) t.join();
        ::close(m_listener);
    }

    std::string url(const std::string& target) const {
        return "http://127.0.0.1:" + std::to_string(m_port) + target;
    }
    // How many requests asked for `target`.
    int hits(const std::string& target) const {
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto it = m_hits.find(target);
        return it == m_hits.end() ? 0 : it->second;
    }
    // Every request as it arrived, head only.
    std::vector<std::string> requests() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_requests;
    }

private:
    void accept_loop() {
        while (!m_stop) {
            pollfd p{m_listener, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int fd = ::accept(m_listener, nullptr, nullptr);
            if (fd < 0) continue;
            std::lock_guard<std::mutex> lock(m_mutex);
            m_connections.emplace_back([this, fd] {
                answer(fd);
                ::close(fd);
            });
        }
    }

    void answer(int fd) {
        std::string request;
        char buf[4096];
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (request.find("\r\n\r\n") == std::string::npos && !m_stop && std::chrono::steady_clock::now() < give_up) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) return;
            request.append(buf, static_cast<std::size_t>(n));
        }
        // "GET /target HTTP/1.1"
        const std::size_t sp1 = request.find(' '), sp2 = request.find(' ', sp1 + 1);
        if (sp1 == std::string::npos || sp2 == std::string::npos) return;
        const std::string target = request.substr(sp1 + 1, sp2 - sp1 - 1);
        Route route;
        route.status = 404;
        route.type = "text/html";
        route.body = "<!doctype html><title>Not found</title><p>Not found.</p>";
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            ++m_hits[target];
            m_requests.push_back(request);
            if (auto it = m_routes.find(target); it != m_routes.end()) route = it->second;
        }
        const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(route.delay_seconds);
        while (!m_stop && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (m_stop) return;
        std::string head = "HTTP/1.1 " + std::to_string(route.status) + (route.status == 200 ? " OK" : " Other") +
                           "\r\nContent-Type: " + route.type + "\r\n" + route.extra_headers;
        if (route.content_length) head += "Content-Length: " + std::to_string(route.body.size()) + "\r\n";
        head += "Connection: close\r\n\r\n";
        const std::string all = head + route.body;
        for (std::size_t sent = 0; sent < all.size();) {
            const ssize_t n = ::send(fd, all.data() + sent, all.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return;  // the client gave up (a limit): fine
            sent += static_cast<std::size_t>(n);
        }
    }

    std::map<std::string, Route> m_routes;
    int m_listener = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_acceptor;
    mutable std::mutex m_mutex;
    std::vector<std::thread> m_connections;
    std::map<std::string, int> m_hits;
    std::vector<std::string> m_requests;
};

Route serve(std::string type, std::string body) {
    Route r;
    r.type = std::move(type);
    r.body = std::move(body);
    return r;
}

Route redirect(const std::string& to) {
    Route r = serve("text/html", "moved");
    r.status = 302;
    r.extra_headers = "Location: " + to + "\r\n";
    return r;
}

Route slowly(Route r, double seconds) {
    r.delay_seconds = seconds;
    return r;
}

Route without_length(Route r) {
    r.content_length = false;
    return r;
}

// ---- the book -------------------------------------------------------------------------

std::string fixture_picture(const std::string& name) {
    return slurp(test::source_dir() / "tests/fixtures/books/pictures/images" / name);
}

// Where a build finds the copy of `url` (pictures/fetched.cpp).
std::string fetched_name(const std::string& url, const std::string& extension) {
    return "fetched/" + sha1_hex(url).substr(0, 16) + extension;
}

constexpr const char* kManifest =
    "title: Fetched Pictures\nauthor: [Ana Test]\nlanguage: en\ndate: 2026-03-02\n"
    "rights: \"Fixture text, CC0 1.0\"\n"
    "defaults:\n  site: Fixture Site\n  license: CC0 1.0\n"
    "  license_url: https://creativecommons.org/publicdomain/zero/1.0/\n"
    "chapters:\n  - title: Pictures\n    articles: [articles/one.md, articles/two.md]\n";

class Fetch : public ::testing::Test {
protected:
    Fetch()
        : big(300'000, 'x'),
          server({
              {"/pictures/map.png", serve("image/png", fixture_picture("map.png"))},
              {"/photo.jpg?size=large&v=2", serve("image/jpeg", fixture_picture("photo-boats.jpg"))},
              {"/moved", redirect("/real/stripes.gif")},
              {"/real/stripes.gif", serve("image/gif", fixture_picture("stripes.gif"))},
              {"/diagram", serve("image/svg+xml", fixture_picture("diagram.svg"))},
              {"/cover/checks", serve("image/webp", fixture_picture("checks.webp"))},
              {"/error.jpg", serve("image/jpeg", "<!DOCTYPE html>\n<html><body><h1>Hot-linking is not allowed</h1>")},
              {"/slow.png", slowly(serve("image/png", fixture_picture("link-icon.png")), 5.0)},
              {"/big.png", serve("image/png", "\x89PNG\r\n\x1a\n" + big)},
              {"/big-stream.png", without_length(serve("image/png", "\x89PNG\r\n\x1a\n" + big))},
              {"/loop", redirect("/loop")},
              {"/broken.png", serve("image/png", fixture_picture("map.png").substr(0, 2000))},
          }) {}

    void SetUp() override {
        spit(book("book.yaml"), kManifest);
        spit(book("articles/one.md"),
             "---\ntitle: One\nauthor: Ana Test\ncoverImage: " + server.url("/cover/checks") + "\n---\n\n"  // 1-5
             "A map: ![the map](" + server.url("/pictures/map.png") + ")\n\n"                                // 7
             "![a photo of boats](" + server.url("/photo.jpg?size=large&v=2") + ")\n\n"                      // 9
             "![a moved picture](" + server.url("/moved") + ")\n\n"                                          // 11
             "<img src=\"" + server.url("/diagram") + "\" alt=\"a diagram\">\n\n"                            // 13
             "![a missing picture](" + server.url("/gone.png") + ")\n");                                     // 15
        spit(book("articles/two.md"),
             "---\ntitle: Two\nauthor: Ana Test\n---\n\n"             // 1-4
             "![the map again](" + server.url("/pictures/map.png") + ")\n\n"  // 6
             "![an error page](" + server.url("/error.jpg") + ")\n\n"         // 8
             "![a slow picture](" + server.url("/slow.png") + ")\n\n"         // 10
             "![a huge picture](" + server.url("/big.png") + ")\n\n"          // 12
             "![a huge stream](" + server.url("/big-stream.png") + ")\n\n"    // 14
             "![a loop](" + server.url("/loop") + ")\n\n"                    // 16
             "![a broken picture](" + server.url("/broken.png") + ")\n");     // 18
    }

    fs::path book(const std::string& rel = "") const { return rel.empty() ? dir / "book" : dir / "book" / rel; }

    // Traffic stays on this machine whatever proxy the environment names.
    test::RunResult folio(std::vector<std::string> args) {
        return test::run_folio(args, dir.path(), {{"no_proxy", "127.0.0.1"}, {"NO_PROXY", "127.0.0.1"}});
    }
    test::RunResult fetch() { return folio({"fetch", "book", "--timeout", "1", "--max-size", "100kB"}); }

    std::string big;
    TestServer server;
    test::ScratchDir dir;
};

// The pictures that arrive: address, what was served, the extension their bytes give.
struct Good {
    std::string target, file, extension;
};
const std::vector<Good> kGood = {
    {"/pictures/map.png", "map.png", ".png"},
    {"/photo.jpg?size=large&v=2", "photo-boats.jpg", ".jpg"},
    {"/moved", "stripes.gif", ".gif"},
    {"/diagram", "diagram.svg", ".svg"},
    {"/cover/checks", "checks.webp", ".webp"},
};

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
    return n;
}

TEST_F(Fetch, DownloadsTheGoodPicturesAndNamesEachFailureWhereTheBookNamesIt) {
    const std::string one = "book/articles/one.md", two = "book/articles/two.md";
    const std::string articles_before = slurp(book("articles/one.md")) + slurp(book("articles/two.md"));

    // Before: a build stays offline, warns for every remote picture, and succeeds.
    auto r = folio({"build", "book", "-o", "out", "--verbose"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count(r.err, "is on the web and was not fetched (run 'folio fetch book')"), 13u) << r.err;
    EXPECT_NE(r.err.find(one + ":7:8: warning: image '" + server.url("/pictures/map.png") + "' is on the web"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(one + ":4:13: warning: image '" + server.url("/cover/checks") + "' is on the web"),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(server.requests().empty()) << "a build went to the network";

    // fetch: the good ones under fetched/, byte for byte, named by their address.
    const auto started = std::chrono::steady_clock::now();
    r = fetch();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_LT(seconds, 4.5) << "the slow picture's 5 s were waited for despite --timeout 1";
    for (const Good& g : kGood) {
        const std::string name = fetched_name(server.url(g.target), g.extension);
        ASSERT_TRUE(fs::is_regular_file(book(name))) << g.target << " -> " << name << "\n" << r.out << r.err;
        EXPECT_TRUE(slurp(book(name)) == fixture_picture(g.file)) << g.target;
        EXPECT_NE(r.out.find("folio: fetched " + server.url(g.target) + " as book/" + name), std::string::npos)
            << r.out;
    }
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(book("fetched"))) {
        ++files;
        EXPECT_NE(e.path().filename().string().front(), '.') << "a temporary file was left: " << e.path();
    }
    EXPECT_EQ(files, kGood.size()) << "a failed download was kept";
    EXPECT_NE(r.out.find("folio: book: 5 fetched ("), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("), 0 already there, 7 failed\n"), std::string::npos) << r.out;

    // Each failure at the first place the book names it, with why.
    const std::vector<std::string> failures = {
        one + ":15:1: error: cannot fetch '" + server.url("/gone.png") + "': HTTP 404 (not found)\nhint: ",
        two + ":8:1: error: cannot fetch '" + server.url("/error.jpg") +
            "': not a picture: the server sent a web page (63 bytes) as 'image/jpeg'\nhint: ",
        two + ":10:1: error: cannot fetch '" + server.url("/slow.png") + "': timed out after 1 s\nhint: ",
        two + ":12:1: error: cannot fetch '" + server.url("/big.png") + "': larger than the limit of 100 kB\n",
        two + ":14:1: error: cannot fetch '" + server.url("/big-stream.png") + "': larger than the limit of 100 kB\n",
        two + ":16:1: error: cannot fetch '" + server.url("/loop") + "': more than 5 redirects\nhint: ",
        two + ":18:1: error: cannot fetch '" + server.url("/broken.png") + "': a broken picture: image 'broken.png'",
    };
    std::size_t last = 0;
    for (const std::string& f : failures) {
        const std::size_t at = r.err.find(f);
        EXPECT_NE(at, std::string::npos) << f << "\nstderr was:\n" << r.err;
        if (at != std::string::npos) {
            EXPECT_GE(at, last) << "failures out of order: " << f;
            last = at;
        }
    }
    EXPECT_EQ(count(r.err, ": error: "), failures.size()) << r.err;
    // The map, named twice, was asked for once; every request says who asks.
    EXPECT_EQ(server.hits("/pictures/map.png"), 1);
    for (const std::string& request : server.requests())
        EXPECT_NE(request.find("\r\nUser-Agent: folio/"), std::string::npos) << request;

    // Again: nothing new is downloaded.
    r = fetch();
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("folio: book: 0 fetched (0 bytes), 5 already there, 7 failed\n"), std::string::npos) << r.out;
    for (const Good& g : kGood) EXPECT_EQ(server.hits(g.target), 1) << g.target;
    EXPECT_EQ(server.hits("/real/stripes.gif"), 1);

    // After: the build shows the fetched pictures, warns only for the others, and
    // the articles are as they were.
    r = folio({"build", "book", "-o", "out", "--verbose"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count(r.err, "is on the web and was not fetched"), 7u) << r.err;
    for (const Good& g : kGood)
        EXPECT_EQ(r.err.find("image '" + server.url(g.target) + "' is on the web"), std::string::npos) << r.err;
    const test::ZipContents epub = test::read_zip(dir / "out/book.epub");
    for (const char* file : {"map.png", "photo-boats.jpg", "stripes.gif", "checks.webp"}) {
        const std::string bytes = fixture_picture(file);
        bool found = false;
        for (const auto& [name, entry] : epub.bytes) found = found || (name.find("/images/") != std::string::npos && entry == bytes);
        EXPECT_TRUE(found) << file << " is not in the EPUB";
    }
    EXPECT_EQ(slurp(book("articles/one.md")) + slurp(book("articles/two.md")), articles_before);
    const auto check = test::run_command((test::source_dir() / "tests/validate/epubcheck.sh").string() + " '" +
                                         test::folio_binary().string() + "' '" + book().string() + "' '" +
                                         (dir / "checked").string() + "' 2>&1");
    EXPECT_EQ(check.exit_code, 0) << check.out;
}

// A book whose every picture arrives: exit 0, and after it a build under --strict,
// which fails on any warning, passes.
TEST_F(Fetch, EveryPictureFetchedIsSuccess) {
    spit(book("articles/two.md"), "---\ntitle: Two\nauthor: Ana Test\n---\n\nNo picture here.\n");
    std::string one = slurp(book("articles/one.md"));
    one.erase(one.find("![a missing picture]"));
    spit(book("articles/one.md"), one);

    auto r = folio({"build", "book", "-o", "out", "--strict"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    r = fetch();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("folio: book: 5 fetched ("), std::string::npos) << r.out;
    r = fetch();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("folio: book: 0 fetched (0 bytes), 5 already there, 0 failed\n"), std::string::npos) << r.out;
    r = folio({"build", "book", "-o", "out", "--strict"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

// A book with no picture on the web: nothing to do, and no fetched/ folder made.
TEST_F(Fetch, NothingToFetch) {
    spit(book("articles/one.md"), "---\ntitle: One\nauthor: Ana Test\n---\n\nText.\n");
    spit(book("articles/two.md"), "---\ntitle: Two\nauthor: Ana Test\n---\n\nText.\n");
    const auto r = fetch();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "folio: book: no picture on the web to fetch\n");
    EXPECT_FALSE(fs::exists(book("fetched")));
    EXPECT_TRUE(server.requests().empty());
}

// A book that cannot be loaded is the located error a build would give.
TEST_F(Fetch, ABrokenBookIsALocatedError) {
    spit(book("articles/two.md"), "---\ntitle: [unclosed\n---\n\nText.\n");
    const auto r = fetch();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("book/articles/two.md:3:1: error: YAML syntax error"), std::string::npos) << r.err;
    EXPECT_TRUE(server.requests().empty());
}

TEST(FetchReport, SizesForPeople) {
    EXPECT_EQ(sources::human_size(0), "0 bytes");
    EXPECT_EQ(sources::human_size(1), "1 byte");
    EXPECT_EQ(sources::human_size(999), "999 bytes");
    EXPECT_EQ(sources::human_size(1'500), "1.5 kB");
    EXPECT_EQ(sources::human_size(4'370), "4.4 kB");
    EXPECT_EQ(sources::human_size(9'990), "10 kB");
    EXPECT_EQ(sources::human_size(40'477), "40 kB");
    EXPECT_EQ(sources::human_size(50'000'000), "50 MB");
    EXPECT_EQ(sources::human_size(3'000'000'000), "3 GB");
}

TEST(FetchUsage, TimeoutMustBePositive) {
    const auto r = test::run_folio({"fetch", ".", "--timeout", "0"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace folio
