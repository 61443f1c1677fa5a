// folio serve: a preview of the book on 127.0.0.1, rebuilt as `folio watch` rebuilds
// it. One page shows, per article, the EPUB page as an e-reader shows it (the book's
// own XHTML and CSS, in a frame), the print spreads it lies on (drawn from the print
// PDF), and the notes of the build for it (warnings at their places, the
// preflight's findings); a contents sidebar, a search box, and a reload pushed to
// the page when a build finishes (server-sent events). Everything is served by
// folio: the page names no other host.
#pragma once

#include "serve/watch.hpp"

#include <atomic>
#include <functional>
#include <string>

namespace folio::serve {

struct ServeOptions {
    WatchOptions watch;      // the output folder; the formats are the EPUB and the print PDF
    int port = 3000;         // 0: any free port
    double spread_dpi = 100;
};

// Serves until `stop` is set. `started` receives the address once the server
// listens ("http://127.0.0.1:3000/"); `report` each build, as watch() gives it.
// Throws folio::Error when the port cannot be had.
void serve(const std::filesystem::path& book_dir, const ServeOptions& options, const build::BuildContext& context,
           const std::function<void(const std::string& url)>& started,
           const std::function<void(const BuildOutcome&)>& report, const std::atomic<bool>& stop);

}  // namespace folio::serve
