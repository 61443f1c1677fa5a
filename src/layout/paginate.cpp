#include "layout/paginate.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <iterator>
#include <set>
#include <span>
#include <unordered_map>

namespace folio::layout {

namespace {

// Moves a line's parts (or a picture row's) onto the page: from the text block's
// coordinates to the page's. The flow is consumed as it is placed.
template <class T>
void move_onto(std::vector<T>& onto, std::vector<T>& items, double dx, double dy) {
    for (T& item : items) {
        item.x += dx;
        item.y += dy;
        onto.push_back(std::move(item));
    }
}

void move_marks_onto(Marks& onto, Line& line, double dx, double baseline) {
    move_onto(onto.runs, line.runs, dx, baseline);
    move_onto(onto.rules, line.rules, dx, baseline);
    move_onto(onto.images, line.images, dx, baseline);
}

void move_line_onto(Page& page, Line& line, double dx, double baseline) {
    move_marks_onto(page, line, dx, baseline);
    move_onto(page.links, line.links, dx, baseline);
}

class Paginator {
public:
    Paginator(const PrintStyle& style, const std::map<std::string, Footnote>& notes, FontContext& ctx,
              const doc::Book& book)
        : m_style(style), m_notes(notes), m_ctx(ctx), m_book(book) {}

    // `dry`: find where pages break and which page each anchor lands on, without
    // building the pages' contents (the passes that settle the contents' numbers).
    // `more`, when given, appends the flow's next piece to `flow` (see paginate_as_set).
    Pages run(const std::vector<FlowItem*>& flow, LayoutStats* stats, bool dry,
              const std::function<void(std::size_t)>& done_before, const MorePieces& more = {}) {
        m_stats = stats;
        m_dry = dry;
        m_flow = &flow;
        // Chunks: items bound by keep_with_next go to a page together.
        std::size_t i = 0;
        // Where the last two pages began in the flow, or before: the page before the
        // one being filled may still be read (its last line, for the counts of a page
        // turned on a hyphen), the pages before it not, nor held pictures' items.
        std::size_t pages_seen = 0, began = 0, began_before = 0, last = 0;
        // Given in pieces: the piece after the one being paginated is in, so that the
        // look ahead from an item (to the end of its chunk, and one item further)
        // finds what it would in the whole flow. Each piece opens a page, and no
        // chunk runs past the start of a page.
        std::size_t last_piece = 0;  // where the last piece given begins
        bool all_given = !more;
        while (true) {
            while (!all_given && i >= last_piece) {
                last_piece = flow.size();
                all_given = !more(m_pages);
            }
            if (i >= flow.size()) break;
            if (done_before && m_pages.size() != pages_seen) {  // a page began in the last step, at `last` or after
                pages_seen = m_pages.size();
                began_before = began;
                began = last;
                std::size_t done = began_before;
                for (const auto& [from, to] : m_held) done = std::min(done, from);
                done_before(done);
            }
            last = i;
            if (flow[i]->kind == FlowItem::Kind::NewPage) {
                place_held_pictures();
                start_page(*flow[i]);
                ++i;
                continue;
            }
            if (flow[i]->kind == FlowItem::Kind::Turned) {
                place_held_pictures();
                place_turned(*flow[i]);
                ++i;
                continue;
            }
            std::size_t end = chunk_end(i);
            // The space before a picture goes where the picture goes.
            if (only_skips(i, end) && end < flow.size() && may_float(end, chunk_end(end))) end = chunk_end(end);
            if (may_float(i, end)) {
                i = place_picture(i, end);
                continue;
            }
            // Held pictures come before the article's credit.
            for (std::size_t k = i; k < end; ++k)
                if (flow[k]->credit) {
                    place_held_pictures();
                    break;
                }
            place_chunk(flow, i, end);
            i = end;
        }
        place_held_pictures();
        finish_page();
        while (!m_carried.empty()) {  // notes continued past the last text
            new_physical_page(false);
            finish_page();
        }
        if (m_stats) m_stats->notes = std::move(m_faults);
        Pages out;
        out.width = m_style.page_width;
        out.height = m_style.page_height;
        out.pages = std::move(m_pages);
        out.labels = std::move(m_labels);
        return out;
    }

private:
    // The end of the chunk that begins at `from`: items bound by keep_with_next.
    std::size_t chunk_end(std::size_t from) const {
        const std::vector<FlowItem*>& flow = *m_flow;
        std::size_t j = from;
        while (j + 1 < flow.size() && flow[j]->keep_with_next && flow[j + 1]->kind != FlowItem::Kind::NewPage &&
               flow[j + 1]->kind != FlowItem::Kind::Turned)
            ++j;
        return j + 1;
    }

    bool only_skips(std::size_t from, std::size_t to) const {
        for (std::size_t k = from; k < to; ++k)
            if ((*m_flow)[k]->kind != FlowItem::Kind::Skip) return false;
        return true;
    }

    // A chunk led by a picture (a row of pictures, or a figure with its caption) may
    // float: be held for the next page while the text after it fills this one. Not
    // one that carries the article's credit: that ends the article where it stands.
    bool may_float(std::size_t from, std::size_t to) const {
        const std::vector<FlowItem*>& flow = *m_flow;
        std::size_t k = from;
        while (k < to && flow[k]->kind == FlowItem::Kind::Skip) ++k;
        if (k == to || flow[k]->kind != FlowItem::Kind::Image) return false;
        for (; k < to; ++k)
            if (flow[k]->credit) return false;
        return true;
    }

    // The height flow[from, to) takes with the notes it calls; `at_top`: set at the
    // top of a page, where its leading skips vanish.
    double depth_of(std::size_t from, std::size_t to, bool at_top) const {
        const std::vector<FlowItem*>& flow = *m_flow;
        if (at_top)
            while (from < to && flow[from]->kind == FlowItem::Kind::Skip && !flow[from]->stays_at_top) ++from;
        double h = 0;
        for (std::size_t k = from; k < to; ++k) h += height_of(*flow[k]);
        return h + notes_height(notes_of(flow, from, to));
    }

    // A picture, or a figure with its caption, that does not fit the rest of the page
    // is not shrunk, nor does it leave the rest of the page empty: it is held for the
    // top of the next page, and the text after it fills this one, as LaTeX places a
    // float ([tp]) and as a compositor makes up pages. Pictures keep their order: one
    // after a held picture is held too. A picture taller than a whole page is set
    // where it stands (the setter keeps pictures within a page). Returns where the
    // flow goes on.
    std::size_t place_picture(std::size_t from, std::size_t to) {
        const std::vector<FlowItem*>& flow = *m_flow;
        const bool fits_here = depth_of(from, to, m_y == 0) <= room();
        if (m_held.empty() && (m_y == 0 || fits_here || depth_of(from, to, true) > grid_depth())) {
            place_chunk(flow, from, to);
            return to;
        }
        // The space after the picture goes with it.
        if (to < flow.size() && flow[to]->kind == FlowItem::Kind::Skip && chunk_end(to) == to + 1) ++to;
        m_held.push_back({from, to});
        return to;
    }

    // Held pictures, in order, as many as fit on the page (on an empty page, the
    // first one whatever its depth).
    void place_pictures_held_for_this_page() {
        while (!m_held.empty()) {
            const auto [from, to] = m_held.front();
            if (m_y > 0 && depth_of(from, to, false) > room()) return;
            m_held.pop_front();
            place_chunk(*m_flow, from, to);
        }
    }

    // Before an article's credit, a new page or a turned table: every picture still
    // held, on pages of their own.
    void place_held_pictures() {
        place_pictures_held_for_this_page();
        while (!m_held.empty()) break_page();
    }

    // The page is full and the text runs on overleaf: the next page begins with the
    // pictures held for it.
    void break_page() {
        FlowItem* taken = take_back_broken_word();
        m_runs_on = true;
        finish_page();
        new_physical_page(false);
        place_pictures_held_for_this_page();
        if (taken) place(*taken);
    }

    // A page that would end in a hyphen, the word finished overleaf, ends a line
    // earlier instead: TeX's \brokenpenalty, as an absolute rule where the other
    // rules allow it. The hyphen at a recto's foot is the worse (the reader turns
    // the leaf before finishing the word), but a verso's is avoided too: the rule
    // costs nothing when it holds. Only earlier: the paginator fills the page to its
    // last grid line and never squeezes the lines, so a later break cannot be had.
    // Held to: no keep broken (the line before is not the first of its paragraph,
    // which would be an orphan, nor a heading's, a table's or a code block's kept
    // whole), the line before does not end in a hyphen itself, the line calls no
    // note (its note would have to move too), and the page still ends flush, within
    // what justify_vertically may stretch. Returns the line taken back from the
    // page, to begin the next, or nullptr.
    FlowItem* take_back_broken_word() {
        const std::size_t n = m_placed.size();
        if (n < 2 || m_turned) return nullptr;
        const Placed& last = m_placed[n - 1];
        const Placed& before = m_placed[n - 2];
        if (!last.item || !last.line || !last.item->line.hyphenated || last.calls_note || last.item->table_head ||
            last.item != m_undo.item)
            return nullptr;
        if (!before.item || !before.line || before.item->keep_with_next || before.item->line.hyphenated) return nullptr;
        const double slack = grid_depth() - foot_height() - (before.y + before.height);
        if (slack > stretch(n - 1) + 0.01) return nullptr;
        // Undo place(): the line's marks go back into it, and what was counted of it
        // is uncounted (it is counted again on the next page).
        FlowItem& it = *last.item;
        if (!m_dry) {
            Page& page = m_pages.back();
            const double x0 = left_margin(), baseline = m_style.top + last.y + it.line.height * 0.78;
            take_back(page.runs, last.runs, it.line.runs, x0, baseline);
            take_back(page.rules, last.rules, it.line.rules, x0, baseline);
            take_back(page.links, last.links, it.line.links, x0, baseline);
            take_back(page.images, last.images, it.line.images, x0, baseline);
        }
        m_pages.back().anchors.resize(last.anchors);
        if (m_page_begun == &it) {
            m_page_begun = nullptr;
            m_pages.back().first_text = {};
            m_pages.back().top_anchor.clear();
        }
        if (m_stats) *m_stats = m_undo.stats;
        m_faults.resize(m_undo.faults);
        m_last_placed = m_undo.last_placed;
        m_first_line_of_page = m_undo.first_line_of_page;
        m_run_of_hyphens = m_undo.run_of_hyphens;
        m_ratio_sum = m_undo.ratio_sum;
        m_ratio_count = m_undo.ratio_count;
        m_y = last.y;
        m_placed.pop_back();
        m_undo.item = nullptr;
        return &it;
    }

    template <class T>
    static void take_back(std::vector<T>& from, std::size_t first, std::vector<T>& into, double dx, double dy) {
        for (std::size_t k = first; k < from.size(); ++k) {
            from[k].x -= dx;
            from[k].y -= dy;
            into.push_back(std::move(from[k]));
        }
        from.resize(first);
    }

    // Text fills the page to its last grid line (grid_depth), not to the margin.
    double room() const { return grid_depth() - m_y - foot_height(); }
    double foot_height() const {
        double h = 0;
        for (const Line& l : m_foot) h += l.height;
        return m_foot.empty() ? 0 : h + m_style.note_leading * 0.8;
    }

    // The notes that flow[from, to) call for the first time, in order.
    std::vector<const Footnote*> notes_of(const std::vector<FlowItem*>& flow, std::size_t from,
                                          std::size_t to) const {
        std::vector<const Footnote*> out;
        for (std::size_t k = from; k < to; ++k) {
            if (flow[k]->kind != FlowItem::Kind::Line) continue;
            for (const LinkArea& l : flow[k]->line.links) {
                auto it = m_notes.find(l.destination);
                if (it == m_notes.end() || m_placed_notes.count(l.destination)) continue;
                if (std::find(out.begin(), out.end(), &it->second) != out.end()) continue;
                out.push_back(&it->second);
            }
        }
        return out;
    }

    double notes_height(const std::vector<const Footnote*>& notes) const {
        double h = 0;
        for (const Footnote* n : notes)
            for (const Line& l : n->lines) h += l.height;
        if (h > 0 && m_foot.empty()) h += m_style.note_leading * 0.8;  // the rule above the notes
        return h;
    }

    void place_chunk(const std::vector<FlowItem*>& flow, std::size_t from, std::size_t to) {
        // Skips at the top of a page vanish, as TeX's glue does at a page break.
        while (from < to && flow[from]->kind == FlowItem::Kind::Skip && m_y == 0 && !flow[from]->stays_at_top) ++from;
        if (from == to) return;
        if (depth_of(from, to, false) > room() && m_y > 0) {
            // Pictures held for the next page may fill it: then the page after.
            do break_page();
            while (depth_of(from, to, m_y == 0) > room() && m_y > 0);
            if (m_y == 0)
                while (from < to && flow[from]->kind == FlowItem::Kind::Skip) ++from;
            if (from < to) repeat_table_head(*flow[from]);
        }
        // A chunk larger than a page is placed line by line, breaking where it must.
        for (std::size_t k = from; k < to; ++k) {
            const std::vector<const Footnote*> notes = notes_of(flow, k, k + 1);
            // The line and at least the first line of its notes must share the page.
            const double need = height_of(*flow[k]) + (notes.empty() ? 0 : notes.front()->lines.front().height +
                                                                              (m_foot.empty() ? m_style.note_leading : 0));
            if (need > room() && m_y > 0) {
                do break_page();
                while (need > room() && m_y > 0);
                if (flow[k]->kind == FlowItem::Kind::Skip) continue;
                repeat_table_head(*flow[k]);
            }
            place(*flow[k]);
            // Notes: as much as fits here, the rest continued at the foot of the next page.
            for (const Footnote* n : notes) {
                m_foot_anchors.push_back({n->anchor, m_foot.size()});
                for (std::size_t q = 0; q < n->lines.size(); ++q) {
                    const bool fits = m_carried.empty() && (n->lines[q].height <= room() || q == 0);
                    (fits ? m_foot : m_carried).push_back(n->lines[q]);
                }
                m_placed_notes.insert(n->anchor);
            }
        }
    }

    // A table continued from the page before begins this one with its head again.
    void repeat_table_head(const FlowItem& next) {
        if (!next.table_head) return;
        const std::size_t first = m_placed.size();
        m_repeating = true;
        for (const Line& l : *next.table_head) {
            FlowItem copy;
            copy.line = l;
            // Set again, the head is an artifact: its cells are read once, where the table begins.
            for (GlyphRun& r : copy.line.runs) r.element = nullptr;
            for (LinkArea& a : copy.line.links) a.element = nullptr;
            for (PlacedImage& im : copy.line.images) im.element = nullptr;
            place(copy);
        }
        m_repeating = false;
        for (std::size_t k = first; k < m_placed.size(); ++k) m_placed[k].item = nullptr;
        m_undo.item = nullptr;
        m_last_placed = nullptr;  // the copies are gone: widows and orphans are the flow's
    }

    // A turned table on pages of its own: its lines turned a quarter turn
    // anticlockwise in the text block, to be read with the book turned clockwise,
    // the table's top towards the page's left edge, as books set broadside tables
    // (The Chicago Manual of Style). The folio stays upright where it always is;
    // the running head is left off. Notes its cells call go to the next page's foot.
    void place_turned(FlowItem& it) {
        for (std::vector<Line>& lines : it.turned->pages) {
            if (!m_open || m_page_has_text || m_y > 0) {
                finish_page();
                new_physical_page(false);
            }
            Page& page = m_pages.back();
            for (const std::string& a : it.anchors) page.anchors.push_back({a, m_style.top});
            // The turned frame: x from the page's foot, y from its left edge.
            const double x0 = m_style.bottom;
            double y = left_margin();
            if (!m_dry && !page.turned) page.turned = std::make_unique<Marks>();
            for (Line& l : lines) {
                for (const LinkArea& link : l.links) {
                    auto note = m_notes.find(link.destination);
                    if (note == m_notes.end() || !m_placed_notes.insert(link.destination).second) continue;
                    m_carried.insert(m_carried.end(), note->second.lines.begin(), note->second.lines.end());
                }
                if (!m_dry) {
                    move_marks_onto(*page.turned, l, x0, y + l.height * 0.78);
                    // Links are areas of the page itself: turned back.
                    for (const LinkArea& a : l.links)
                        page.links.push_back({y + l.height * 0.78 + a.y, m_style.page_height - (x0 + a.x) - a.width,
                                              a.height, a.width, a.uri, a.destination});
                }
                y += l.height;
            }
            m_turned = true;
            m_page_has_text = true;
            m_y = m_style.text_height();  // full: what follows begins a new page
        }
    }

    double height_of(const FlowItem& it) const {
        switch (it.kind) {
            case FlowItem::Kind::Line: return it.line.height;
            case FlowItem::Kind::Skip: return it.amount;
            case FlowItem::Kind::Image: return it.amount;
            case FlowItem::Kind::NewPage: return 0;
            case FlowItem::Kind::Turned: return 0;
        }
        return 0;
    }

    double left_margin() const {
        // Mirrored margins: the inner margin is on the left of a recto.
        return m_pages.size() % 2 == 1 ? m_style.inner : m_style.outer;
    }

    // In the final pass the flow is consumed: its glyph runs move into the pages.
    void place(FlowItem& it) {
        Page& page = m_pages.back();
        const double x0 = left_margin();
        const double top = m_style.top + m_y;
        bool calls_note = false;
        for (const LinkArea& l : it.line.links) calls_note = calls_note || m_notes.count(l.destination);
        m_placed.push_back({m_y, height_of(it), it.kind == FlowItem::Kind::Skip, it.kind == FlowItem::Kind::Line,
                            it.first_of_paragraph, calls_note, &it, page.runs.size(), page.rules.size(),
                            page.links.size(), page.images.size(), page.anchors.size()});
        if (it.kind == FlowItem::Kind::Line && it.line.hyphenated)  // take_back_broken_word() may undo this
            m_undo = {&it,           m_stats ? *m_stats : LayoutStats{}, m_faults.size(), m_last_placed,
                      m_first_line_of_page, m_run_of_hyphens, m_ratio_sum, m_ratio_count};
        for (const std::string& a : it.anchors) page.anchors.push_back({a, top});
        // Where the page's text begins, for the EPUB's page list: its first line or
        // picture, not the head of a table repeated from the page before.
        if (!m_page_begun && !m_repeating && it.kind != FlowItem::Kind::Skip) {
            m_page_begun = &it;
            if (it.kind == FlowItem::Kind::Line) page.first_text = it.line.first_word;
            if (!page.anchors.empty()) page.top_anchor = page.anchors.front().name;
        }
        // A note's call, for the note's number to lead back to (after the page's top
        // anchor: it names a place in a line, not where a section starts).
        if (calls_note)
            for (const LinkArea& l : it.line.links)
                if (m_notes.count(l.destination)) page.anchors.push_back({note_call_anchor(l.destination), top});
        if (m_dry) {
            if (it.kind == FlowItem::Kind::Line) count(it);
        } else if (it.kind == FlowItem::Kind::Line) {
            count(it);  // while the line still holds its runs, which its faults quote
            move_line_onto(page, it.line, x0, top + it.line.height * 0.78);
        } else if (it.kind == FlowItem::Kind::Image) {
            move_onto(page.images, it.row->images, x0, top);
            move_onto(page.links, it.row->links, x0, top);
        }
        m_y += height_of(it);
        m_page_has_text = true;
        if (it.kind != FlowItem::Kind::Skip) (it.credit ? m_page_has_credit : m_page_has_body) = true;
    }

    void count(const FlowItem& it) {
        if (!m_stats) return;
        const Line& l = it.line;
        if (l.runs.empty()) return;
        ++m_stats->lines;
        if (l.overfull) {
            ++m_stats->overfull_lines;
            fault("overfull line", l);
        }
        if (l.hyphenated) {
            ++m_stats->hyphenated_lines;
            ++m_run_of_hyphens;
            m_stats->max_consecutive_hyphens = std::max(m_stats->max_consecutive_hyphens, m_run_of_hyphens);
            if (m_run_of_hyphens == 3) fault("a third hyphenated line in a row", l);
        } else {
            m_run_of_hyphens = 0;
        }
        if (it.justified) {
            m_ratio_sum += std::abs(l.ratio);
            ++m_ratio_count;
            m_stats->mean_ratio = m_ratio_sum / m_ratio_count;
            m_stats->worst_ratio = std::max(m_stats->worst_ratio, std::abs(l.ratio));
            // Past its spaces' stretch or shrink: TeX would call it underfull (badness > 100).
            if (std::abs(l.ratio) > 1 && !l.overfull) fault(l.ratio > 0 ? "loose line" : "tight line", l);
        }
        // A widow: a paragraph's last line first on a page; an orphan: its first line
        // last on a page (checked when the page ends).
        if (it.last_of_paragraph && !it.first_of_paragraph && m_first_line_of_page) {
            ++m_stats->widows;
            fault("widow (a paragraph's last line at the head of the page)", l);
        }
        m_first_line_of_page = false;
        m_last_placed = &it;
    }

    void start_page(const FlowItem& item) {
        finish_page();
        const PageStart& np = *item.page;
        const bool front = np.front;
        if (!front && !m_body_started) {
            // The body starts on a recto numbered 1 (after a blank roman verso if need be).
            if (m_pages.size() % 2 == 1) new_physical_page(true);
            finish_page();
            m_body_started = true;
            m_labels.push_back({m_pages.size(), LabelRange::Style::Arabic, 1});
            m_number = 0;
        }
        if (np.recto && m_pages.size() % 2 == 1) {
            new_physical_page(true);  // a blank verso
            finish_page();
        }
        if (!np.article_title.empty()) m_article = np.article_title;
        if (!np.chapter_title.empty()) m_chapter = np.chapter_title;
        new_physical_page(false);
        m_opener = np.opener;
        m_display = np.display;
        for (const std::string& a : item.anchors) m_pages.back().anchors.push_back({a, m_style.top});
    }

    void new_physical_page(bool blank) {
        if (m_pages.empty()) m_labels.push_back({0, LabelRange::Style::Roman, 1});
        m_pages.emplace_back();
        // The page gathers its runs in the paginator's array, which keeps its room
        // from page to page (settle_runs).
        std::swap(m_pages.back().runs, m_gathering);
        ++m_number;
        m_pages.back().label = m_body_started ? std::to_string(m_number) : roman(m_number);
        m_y = 0;
        m_blank = blank;
        m_opener = false;
        m_display = false;
        m_turned = false;
        m_page_has_text = false;
        m_first_line_of_page = true;
        m_page_begun = nullptr;
        m_open = true;
        // Notes continued from the previous page come first in this page's foot, as
        // many lines as the page holds; a note longer than that goes on further.
        std::size_t taken = 0;
        while (taken < m_carried.size() &&
               foot_height() + m_carried[taken].height + (m_foot.empty() ? m_style.note_leading * 0.8 : 0) <=
                   grid_depth())
            m_foot.push_back(std::move(m_carried[taken++]));
        m_carried.erase(m_carried.begin(), m_carried.begin() + static_cast<std::ptrdiff_t>(taken));
    }

    void finish_page() {
        if (!m_open) return;
        m_open = false;
        finish_marks(m_pages.back());
        settle_runs(m_pages.back());
    }

    // A page's runs, gathered in the paginator's array, moved into one of exactly
    // their number; the paginator keeps the room for the next page. A page's array
    // grown run by run held up to twice its runs, and left the smaller arrays it
    // outgrew behind: after an edit to the 1,000-article book, taking that memory
    // fresh was a twelfth of the build's samples.
    void settle_runs(Page& page) {
        std::vector<GlyphRun> exact;
        exact.reserve(page.runs.size());
        std::move(page.runs.begin(), page.runs.end(), std::back_inserter(exact));
        page.runs.clear();
        std::swap(page.runs, m_gathering);
        std::swap(page.runs, exact);
    }

    void finish_marks(Page& page) {
        page.folio = !m_blank && m_page_has_text && !m_display;  // as drawn below
        if (m_stats && m_last_placed && m_last_placed->first_of_paragraph && !m_last_placed->last_of_paragraph) {
            ++m_stats->orphans;
            fault("orphan (a paragraph's first line at the foot of the page)", runs_of_last_placed());
        }
        if (m_stats && m_last_placed && m_last_placed->line.hyphenated) {
            ++m_stats->hyphenated_page_ends;
            if ((m_pages.size() - 1) % 2 == 0) {
                ++m_stats->hyphenated_recto_ends;
                fault("a word hyphenated over the turn of the leaf", runs_of_last_placed());
            }
        }
        m_last_placed = nullptr;
        if (m_dry) {
            m_placed.clear();
            for (const auto& [name, index] : m_foot_anchors) page.anchors.push_back({name, 0});
            m_foot.clear();
            m_foot_anchors.clear();
            return;
        }
        if (m_stats && m_page_has_credit && !m_page_has_body) ++m_stats->credit_only_pages;
        m_page_has_credit = m_page_has_body = false;
        if (m_runs_on && !m_turned) {  // a turned table fills its page by design
            const bool flush = justify_vertically(page);
            if (m_stats) {
                ++m_stats->pages_running_on;
                if (flush) ++m_stats->flush_pages;
            }
        }
        m_runs_on = false;
        m_placed.clear();
        // Footnotes, from the page's last grid line up, under a short rule.
        if (!m_foot.empty()) {
            const double x0 = left_margin();
            double y = m_style.top + grid_depth() - foot_height() + m_style.note_leading * 0.8;
            page.rules.push_back({x0, y - m_style.note_leading * 0.55, m_style.text_width() / 4, 0.4});
            for (std::size_t i = 0; i < m_foot.size(); ++i) {
                Line& l = m_foot[i];
                for (const auto& [name, index] : m_foot_anchors)
                    if (index == i) page.anchors.push_back({name, y});
                move_line_onto(page, l, x0, y + l.height * 0.78);
                y += l.height;
            }
            m_foot.clear();
            m_foot_anchors.clear();
        }
        if (m_blank) return;
        // Running head and folio; none on openers.
        const bool recto = (m_pages.size() - 1) % 2 == 0;
        const double x0 = left_margin();
        if (!m_opener && !m_turned && m_page_has_text) {
            const RunningHead kind = recto ? m_style.recto : m_style.verso;
            std::string head = kind == RunningHead::Book      ? m_book.title
                               : kind == RunningHead::Chapter ? m_chapter
                               : kind == RunningHead::Article ? m_article
                                                              : std::string();
            if (!head.empty()) {
                for (GlyphRun r : centered(head, Face::Italic, m_style.size * 0.85)) {
                    r.x += x0;
                    r.y = m_style.top - m_style.leading * PrintStyle::kHeadRaise;
                    page.runs.push_back(std::move(r));
                }
            }
        }
        if (m_page_has_text && !m_display) {
            for (GlyphRun r : centered(page.label, Face::Regular, m_style.size * 0.9)) {
                r.x += x0;
                r.y = m_style.page_height - m_style.bottom + m_style.leading * PrintStyle::kFolioDrop;
                page.runs.push_back(std::move(r));
            }
        }
    }

    double grid_depth() const { return m_style.grid_depth(); }

    // Vertical justification, the way a compositor makes a page whose text runs on
    // end on the last grid line (and facing pages equal in depth): the shortfall left
    // by a line moved over by a keep, or by the fractional spaces around headings,
    // lists, quotes and code, is spread over the page's spaces, in this order: the
    // skips around headings and blocks (up to twice their size, as LaTeX's section
    // skips stretch), the joins between paragraphs (up to 2 pt each, as \parskip
    // plus 2pt) and the gaps between lines (up to 5 % of the leading). A page that
    // would need more is left short rather than visibly loose. Done on the final pass
    // only: it moves nothing between pages.
    // True when the page then ends on its last grid line.
    static constexpr double kJoinStretch = 2.0;   // pt
    static constexpr double kLineStretch = 0.05;  // of the leading
    // How much the spaces between the first n items placed on the page may stretch:
    // in all, and as skips, joins and gaps.
    double stretch(std::size_t n, double* skips_out = nullptr, double* joins_out = nullptr,
                   double* gaps_out = nullptr) const {
        const double line_gap = m_style.leading * kLineStretch;
        double skips = 0, joins = 0, gaps = 0;
        for (std::size_t i = 1; i < n; ++i) {
            const Placed& p = m_placed[i];
            if (p.skip) skips += p.height;
            if (!p.line) continue;
            gaps += line_gap;
            if (p.starts_paragraph && m_placed[i - 1].line) joins += kJoinStretch;
        }
        if (skips_out) *skips_out = skips, *joins_out = joins, *gaps_out = gaps;
        return skips + joins + gaps;
    }

    bool justify_vertically(Page& page) {
        std::size_t n = m_placed.size();
        while (n > 0 && m_placed[n - 1].skip) --n;  // the text ends with its last line or picture
        if (n < 2) return false;
        const double slack = grid_depth() - foot_height() - (m_placed[n - 1].y + m_placed[n - 1].height);
        if (slack <= 0.01) return slack > -0.01;
        const double line_gap = m_style.leading * kLineStretch;
        double skips = 0, joins = 0, gaps = 0;
        stretch(n, &skips, &joins, &gaps);
        if (slack > skips + joins + gaps + 0.01) return false;
        double left = slack;
        const auto share = [&](double capacity) {
            const double f = capacity > 0 ? std::min(1.0, left / capacity) : 0;
            left -= f * capacity;
            return f;
        };
        const double f_skips = share(skips), f_joins = share(joins), f_gaps = share(gaps);
        // Each item moves down by what the spaces above it grew.
        double shift = 0;
        for (std::size_t i = 0; i < m_placed.size(); ++i) {
            const Placed& p = m_placed[i];
            if (i > 0 && i < n && p.line) {
                shift += f_gaps * line_gap;
                if (p.starts_paragraph && m_placed[i - 1].line) shift += f_joins * kJoinStretch;
            }
            const Placed* next = i + 1 < m_placed.size() ? &m_placed[i + 1] : nullptr;
            for (std::size_t k = p.runs; k < (next ? next->runs : page.runs.size()); ++k) page.runs[k].y += shift;
            for (std::size_t k = p.rules; k < (next ? next->rules : page.rules.size()); ++k) page.rules[k].y += shift;
            for (std::size_t k = p.links; k < (next ? next->links : page.links.size()); ++k) page.links[k].y += shift;
            for (std::size_t k = p.images; k < (next ? next->images : page.images.size()); ++k) page.images[k].y += shift;
            for (std::size_t k = p.anchors; k < (next ? next->anchors : page.anchors.size()); ++k)
                page.anchors[k].y += shift;
            if (p.skip && i < n) shift += f_skips * p.height;
        }
        return true;
    }

    // Running heads and folios repeat: each is set once. (A book has a folio for every
    // page: the key is the face, the size's bytes and the text, found by hash, and the
    // runs handed out where they are kept.)
    const std::vector<GlyphRun>& centered(const std::string& s, Face face, double size) {
        std::string key(1, static_cast<char>(face));
        key.append(reinterpret_cast<const char*>(&size), sizeof size);
        key += s;
        if (const auto it = m_centered.find(key); it != m_centered.end()) return it->second;
        ParagraphOptions o;
        o.width = m_style.text_width();
        o.size = size;
        o.leading = size;
        o.face = face;
        o.align = Align::Center;
        o.hyphenate = false;
        o.lang = m_book.language;
        std::vector<Line> ls = set_paragraph({doc::Inline{doc::Text{s}}}, o, m_ctx);
        return m_centered.emplace(std::move(key), ls.empty() ? std::vector<GlyphRun>{} : std::move(ls.front().runs))
            .first->second;
    }

    static std::string roman(int n) {
        static const std::pair<int, const char*> table[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                            {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                            {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                                                            {1, "i"}};
        std::string out;
        for (const auto& [v, s] : table)
            while (n >= v) out += s, n -= v;
        return out;
    }

    const PrintStyle& m_style;
    const std::map<std::string, Footnote>& m_notes;
    FontContext& m_ctx;
    const doc::Book& m_book;
    LayoutStats* m_stats = nullptr;
    bool m_dry = false;
    const std::vector<FlowItem*>* m_flow = nullptr;
    // Pictures held for a later page (place_picture): ranges of the flow, in order.
    std::deque<std::pair<std::size_t, std::size_t>> m_held;
    std::unordered_map<std::string, std::vector<GlyphRun>> m_centered;
    std::vector<Page> m_pages;
    std::vector<GlyphRun> m_gathering;  // the open page's runs are gathered in its room
    std::vector<LabelRange> m_labels;
    std::vector<Line> m_foot, m_carried;
    std::vector<std::pair<std::string, std::size_t>> m_foot_anchors;  // note anchor, index of its first line in m_foot
    std::set<std::string> m_placed_notes;
    std::string m_article, m_chapter;
    double m_y = 0;
    int m_number = 0;
    bool m_body_started = false, m_blank = false, m_opener = false, m_display = false, m_page_has_text = false,
         m_open = false;
    bool m_first_line_of_page = true;
    const FlowItem* m_page_begun = nullptr;  // what the page's text begins with (the page list)
    bool m_repeating = false;                // placing a table's head again
    bool m_turned = false;  // the page holds a turned table
    const FlowItem* m_last_placed = nullptr;
    // What the page being filled holds, item by item, for justify_vertically and
    // take_back_broken_word: where each item stands and where its parts begin in the
    // page's lists (in a dry pass, the lists are empty).
    struct Placed {
        double y, height;
        bool skip, line, starts_paragraph, calls_note;
        FlowItem* item;  // nullptr: a table's head set again
        std::size_t runs, rules, links, images, anchors;
    };
    std::vector<Placed> m_placed;
    // What place() changed in the counts when it placed the hyphenated line `item`.
    struct Undo {
        FlowItem* item = nullptr;
        LayoutStats stats;
        std::size_t faults;
        const FlowItem* last_placed;
        bool first_line_of_page;
        int run_of_hyphens;
        double ratio_sum;
        int ratio_count;
    };
    Undo m_undo;
    bool m_runs_on = false;  // the page being filled ends because the text goes on overleaf
    bool m_page_has_body = false, m_page_has_credit = false;  // lines or pictures of an article, of a credit
    int m_run_of_hyphens = 0;
    double m_ratio_sum = 0;
    int m_ratio_count = 0;
    // The faults counted, where they are (LayoutStats::notes): held here, not in
    // m_stats, so that an undo's copy of the counts stays small.
    std::vector<LayoutNote> m_faults;

    // The runs of the last line placed, now on the page (its line gave them up).
    std::span<const GlyphRun> runs_of_last_placed() const {
        const std::vector<GlyphRun>& runs = m_pages.back().runs;
        for (std::size_t k = m_placed.size(); k-- > 0;)
            if (m_placed[k].item == m_last_placed) {
                const std::size_t end = k + 1 < m_placed.size() ? m_placed[k + 1].runs : runs.size();
                return std::span<const GlyphRun>(runs).subspan(m_placed[k].runs, end - m_placed[k].runs);
            }
        return {};
    }

    // Notes a fault of a line on the page being filled, with the words it begins with.
    void fault(std::string_view what, const Line& line) { fault(what, line.runs); }
    void fault(std::string_view what, std::span<const GlyphRun> runs) {
        std::string words;
        for (const GlyphRun& r : runs) {
            if (!words.empty() && !r.text.empty() && words.back() != ' ' && r.text.front() != ' ') words += ' ';
            words += r.text;
            if (words.size() > 48) break;
        }
        if (std::u32string u = text::to_u32(words); u.size() > 40) words = text::to_utf8(u.substr(0, 40)) + "\u2026";
        m_faults.push_back({static_cast<int>(m_pages.size()), std::string(what) + ": \u201C" + words + "\u201D"});
    }
};

}  // namespace

Pages paginate(const std::vector<FlowItem*>& flow, const std::map<std::string, Footnote>& notes,
               const PrintStyle& style, FontContext& ctx, const doc::Book& book, LayoutStats* stats, bool dry,
               const std::function<void(std::size_t)>& done_before) {
    return Paginator(style, notes, ctx, book).run(flow, stats, dry, done_before);
}

Pages paginate_as_set(std::vector<FlowItem*>& flow, const MorePieces& more,
                      const std::map<std::string, Footnote>& notes, const PrintStyle& style, FontContext& ctx,
                      const doc::Book& book, LayoutStats* stats, bool dry,
                      const std::function<void(std::size_t)>& done_before) {
    return Paginator(style, notes, ctx, book).run(flow, stats, dry, done_before, more);
}

}  // namespace folio::layout
