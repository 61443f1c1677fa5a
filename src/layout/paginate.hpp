// paginate(): the flow onto pages of the style's trim size. Mirrored margins,
// running heads and folios (roman in the front matter), chapters opening on a recto,
// keeps (no widows or orphans, headings with what follows, credits whole), and
// footnotes at the foot of the page that calls them, continued when they must be.
#pragma once

#include "doc/model.hpp"
#include "layout/flow.hpp"
#include "layout/pages.hpp"
#include "layout/style.hpp"
#include "layout/typeset.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace folio::layout {

// `dry`: find where pages break and which page each anchor lands on, without
// building the pages' contents (the passes that settle the contents' numbers).
// Otherwise the flow is consumed: its glyph runs move into the pages.
// `done_before(n)`, when given, is called as the pages fill: no item before flow[n]
// is read again, and the caller may free them (a long book's flow, emptied of its
// runs, is as large as the pages being built).
Pages paginate(const std::vector<FlowItem*>& flow, const std::map<std::string, Footnote>& notes,
               const PrintStyle& style, FontContext& ctx, const doc::Book& book, LayoutStats* stats, bool dry,
               const std::function<void(std::size_t)>& done_before = {});

// The same, but paginating while the flow is still being set (on other threads):
// `more(made)` appends the flow's next piece to `flow`, waiting for it if need be,
// and returns false once there is none. A piece is a part of the book that opens a
// page (the front matter, a chapter's opener, an article, the credits); `notes`
// must hold a piece's notes when more() has given it. `made` is the pages so far:
// when more() is called, every piece before the last one given is on them but for
// pictures still held (so a piece may be given as its first item alone, the new
// page it opens, and the rest on the next call, once the pages before it are
// known). Pages break where paginate() would break the whole flow.
using MorePieces = std::function<bool(const std::vector<Page>& made)>;
Pages paginate_as_set(std::vector<FlowItem*>& flow, const MorePieces& more,
                      const std::map<std::string, Footnote>& notes, const PrintStyle& style, FontContext& ctx,
                      const doc::Book& book, LayoutStats* stats, bool dry,
                      const std::function<void(std::size_t)>& done_before);

}  // namespace folio::layout
