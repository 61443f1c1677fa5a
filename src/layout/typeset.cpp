// The typesetter's phases, run in order: the articles set into flows (setter.hpp),
// the front and back matter set around them, pagination (paginate.hpp) repeated
// until every page reference holds, then the final pagination into pages.
#include "layout/typeset.hpp"

#include "core/parallel.hpp"
#include "layout/paginate.hpp"
#include "layout/setter.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace folio::layout {

namespace {

// What pagination needs of a line is its height, its flags and its links (a
// note's call); what it prints is for drawing.
void drop_marks(Line& line) {
    std::vector<GlyphRun>().swap(line.runs);
    std::vector<Rule>().swap(line.rules);
    std::vector<PlacedImage>().swap(line.images);
}

void drop_marks(Flow& flow) {
    for (FlowItem& it : flow) {
        drop_marks(it.line);
        if (it.turned)
            for (std::vector<Line>& page : it.turned->pages)
                for (Line& l : page) drop_marks(l);
    }
}

Pages typeset_book(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats,
                   doc::Book* consume, ParagraphMemo* memo, Detail detail = Detail::Marks) {
    FontContext ctx(style);
    ctx.diagnostics = &diagnostics;
    ctx.remember_with(memo, std::to_string(style.text_width()));
    Setter setter(book, style, ctx);
    // The structure's root and a Part for each titled chapter (pages.hpp's Element).
    setter.root = make_element("Document", nullptr, book.language);
    std::vector<ElementRef> parts;
    for (const doc::Chapter& c : book.chapters)
        parts.push_back(c.title.empty() ? nullptr : make_element("Part", setter.root, book.language));

    // Articles are independent: set them in parallel, once.
    std::vector<std::pair<const doc::Article*, std::string>> articles;
    std::vector<ElementRef> part_of;  // by article
    for (std::size_t c = 0; c < book.chapters.size(); ++c)
        for (const doc::Article& a : book.chapters[c].articles) {
            articles.emplace_back(&a, book.chapters[c].title);
            part_of.push_back(parts[c]);
        }
    // The same articles, to release, when consuming.
    const std::vector<doc::Article*> owned = consume ? consume->articles_in_order() : std::vector<doc::Article*>{};
    std::vector<Flow> article_flows(articles.size());
    std::vector<char> cites_pages(articles.size(), 0);  // its text prints page numbers (print cross-references)
    std::vector<doc::Census> set(articles.size());       // what each article's setting set
    std::mutex notes_mutex;
    // An article citing pages is set again, with the pages the last pass found.
    const bool keep_text = style.page_references;
    parallel_for(articles.size(), [&](std::size_t i) {
        Setter local(book, style, ctx);
        local.root = setter.root;
        local.part = part_of[i];
        local.counting = stats != nullptr;
        article_flows[i] = local.article(*articles[i].first, articles[i].second);
        if (memo) memo->finish(ctx.memo_group(local.source_file(*articles[i].first)));
        if (detail == Detail::Positions) drop_marks(article_flows[i]);
        cites_pages[i] = local.uses_page_numbers;
        set[i] = local.census;
        if (consume && !keep_text) owned[i]->release_text();  // each article is touched by this thread only
        std::lock_guard lock(notes_mutex);
        for (auto& [k, v] : local.footnotes) setter.footnotes[k] = std::move(v);
    });

    // Everything but the contents is set once; only the contents change from pass to pass.
    std::vector<Flow> openers;
    for (std::size_t c = 0; c < book.chapters.size(); ++c) {
        setter.part = parts[c];
        openers.push_back(book.chapters[c].title.empty() ? Flow{} : setter.chapter_opener(book.chapters[c]));
    }
    setter.part = nullptr;
    Flow credits;  // set each pass: in print, its entries give their articles' pages
    // The whole flow in reading order; `article_ends`, if given, gets where each
    // article's items end in it.
    auto order = [&](Flow& front, std::vector<std::size_t>* article_ends = nullptr) {
        std::vector<FlowItem*> out;
        for (FlowItem& it : front) out.push_back(&it);
        std::size_t k = 0;
        for (std::size_t c = 0; c < book.chapters.size(); ++c) {
            for (FlowItem& it : openers[c]) out.push_back(&it);
            for (std::size_t j = 0; j < book.chapters[c].articles.size(); ++j, ++k) {
                for (FlowItem& it : article_flows[k]) out.push_back(&it);
                if (article_ends) article_ends->push_back(out.size());
            }
        }
        for (FlowItem& it : credits) out.push_back(&it);
        return out;
    };

    // Lay out until every destination stays on its page: the contents print those
    // numbers, and a longer contents can move everything after it.
    std::map<std::string, std::string> previous;
    // The credits page is set again only if it printed page numbers (print's
    // cross-references); the contents always print them.
    bool credits_cite_pages = true;
    const auto set_credits = [&] {
        if (!credits_cite_pages) return;
        setter.uses_page_numbers = false;
        credits = setter.credits_page();
        credits_cite_pages = setter.uses_page_numbers;
    };
    for (int pass = 0; pass < 5; ++pass) {
        setter.page_of = previous;
        setter.uses_page_numbers = false;
        Flow front = setter.front_matter();
        const bool front_cites_pages = setter.uses_page_numbers;
        set_credits();
        const Pages trial = paginate(order(front), setter.footnotes, style, ctx, book, nullptr, /*dry=*/true);
        std::map<std::string, std::string> now;
        for (const Page& p : trial.pages)
            for (const Anchor& a : p.anchors) now.emplace(a.name, p.label);
        if (now == previous) break;
        previous = std::move(now);
        // Text that prints a page (print's cross-references) may take more or fewer
        // lines with the numbers just found. The contents' numbers cannot: each sits
        // in room kept for it at the right of its entry (Setter::contents_entry), and
        // a dry pass is blind to what a line shows. Without such text, another pass
        // would break every page where this one did: these numbers hold.
        const bool articles_cite_pages = std::find(cites_pages.begin(), cites_pages.end(), 1) != cites_pages.end();
        if (!front_cites_pages && !credits_cite_pages && !articles_cite_pages) break;
        parallel_for(articles.size(), [&](std::size_t i) {
            if (!cites_pages[i]) return;
            Setter local(book, style, ctx);
            local.root = setter.root;
            local.part = part_of[i];
            local.counting = stats != nullptr;
            local.page_of = previous;
            article_flows[i] = local.article(*articles[i].first, articles[i].second);
            if (detail == Detail::Positions) drop_marks(article_flows[i]);
            set[i] = local.census;
            std::lock_guard lock(notes_mutex);
            for (auto& [k, v] : local.footnotes) setter.footnotes[k] = std::move(v);
        });
    }
    setter.page_of = previous;
    Flow front = setter.front_matter();
    set_credits();
    LayoutStats local_stats;
    // The final pass frees each article's flow once the pages have passed it: what
    // is left of it once its runs have moved is as large as the pages being built.
    std::vector<std::size_t> article_ends;  // by article, in reading order
    const std::vector<FlowItem*> flow = order(front, &article_ends);
    std::size_t freed = 0;
    const auto free_done = [&](std::size_t done_before) {
        for (; freed < article_ends.size() && article_ends[freed] <= done_before; ++freed)
            Flow().swap(article_flows[freed]);
    };
    Pages pages = paginate(flow, setter.footnotes, style, ctx, book, detail == Detail::Marks ? &local_stats : nullptr,
                           /*dry=*/detail == Detail::Positions, free_done);
    local_stats.pages = static_cast<int>(pages.pages.size());
    for (const doc::Census& c : set) local_stats.content += c;
    for (const Page& p : pages.pages)
        local_stats.content.pictures += static_cast<long>(p.images.size() + (p.turned ? p.turned->images.size() : 0));
    if (stats) *stats = local_stats;
    pages.fonts = ctx.fonts;
    pages.outline.push_back({book.labels.contents, "contents", 0});
    for (const doc::Chapter& c : book.chapters) {
        const int level = c.title.empty() ? 0 : 1;
        if (!c.title.empty()) pages.outline.push_back({c.title, c.id, 0});
        for (const doc::Article& a : c.articles) pages.outline.push_back({a.title, a.id, level});
    }
    pages.outline.push_back({book.labels.credits, "credits", 0});
    return pages;  // the flows, now empty shells, are freed here
}

}  // namespace

Pages typeset(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats,
              ParagraphMemo* memo) {
    return typeset_book(book, style, diagnostics, stats, nullptr, memo);
}

Pages typeset_consuming(doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats,
                        ParagraphMemo* memo) {
    return typeset_book(book, style, diagnostics, stats, &book, memo);
}

Pages typeset_positions(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, ParagraphMemo* memo) {
    return typeset_book(book, style, diagnostics, nullptr, nullptr, memo, Detail::Positions);
}

}  // namespace folio::layout
