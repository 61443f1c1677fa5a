// The typesetter's phases, run in order: the articles set into flows (setter.hpp),
// the front and back matter set around them, pagination (paginate.hpp) repeated
// until every page reference holds, then the final pagination into pages.
#include "layout/typeset.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "doc/census.hpp"
#include "doc/fingerprint.hpp"
#include "layout/paginate.hpp"
#include "layout/set_record.hpp"
#include "layout/setter.hpp"

#include <algorithm>
#include <functional>
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

// Where each destination is: the label of the first page it is on.
std::map<std::string, std::string> page_of_anchors(const std::vector<Page>& pages) {
    std::map<std::string, std::string> out;
    for (const Page& p : pages)
        for (const Anchor& a : p.anchors) out.emplace(a.name, p.label);
    return out;
}

// Puts the pages of `front`, the front matter set again with the page numbers its
// contents print, in place of the first pages of `pages`, which were set from the
// same front matter with other numbers: the numbers move nothing, so the pages
// break where they did (checked: the same labels and destinations). `stats` gets
// the front pages' notes of faults from the new setting, which quote their text.
void set_front_again(Pages& pages, Flow front, const std::map<std::string, Footnote>& notes, const PrintStyle& style,
                     FontContext& ctx, const doc::Book& book, LayoutStats* stats, bool dry) {
    std::vector<FlowItem*> flow;
    for (FlowItem& it : front) flow.push_back(&it);
    LayoutStats front_stats;
    Pages again = paginate(flow, notes, style, ctx, book, stats ? &front_stats : nullptr, dry);
    const std::size_t n = again.pages.size();
    bool same = n <= pages.pages.size();
    for (std::size_t i = 0; same && i < n; ++i) {
        const Page &was = pages.pages[i], &now = again.pages[i];
        same = was.label == now.label && was.anchors.size() == now.anchors.size();
        for (std::size_t k = 0; same && k < now.anchors.size(); ++k) same = was.anchors[k].name == now.anchors[k].name;
    }
    if (!same)
        throw Error("internal error: the front matter broke over other pages once its page numbers were set", {},
                    "please report this, with the book, to folio's developers");
    std::move(again.pages.begin(), again.pages.end(), pages.pages.begin());
    if (stats) {
        std::vector<LayoutNote> notes_after;
        for (LayoutNote& note : stats->notes)
            if (note.page > static_cast<int>(n)) notes_after.push_back(std::move(note));
        stats->notes = std::move(front_stats.notes);
        for (LayoutNote& note : notes_after) stats->notes.push_back(std::move(note));
    }
}

// How many articles may be set ahead of the one being paginated: enough that the
// paginator never waits while a core is free, few enough that a long book's flows
// are never all held at once (a flow without its marks still holds every line).
constexpr std::size_t kSetAhead = 8;

// A part of the book that opens a page: the front matter, a chapter's opener (by
// the chapter's index), an article (by its index in reading order), the credits.
struct Piece {
    enum class Kind : char { Front, Opener, Article, Credits } kind;
    std::size_t index = 0;
};

// The book's pieces in reading order.
std::vector<Piece> reading_order(const doc::Book& book) {
    std::vector<Piece> pieces{{Piece::Kind::Front}};
    for (std::size_t c = 0, k = 0; c < book.chapters.size(); ++c) {
        pieces.push_back({Piece::Kind::Opener, c});
        for (std::size_t j = 0; j < book.chapters[c].articles.size(); ++j) pieces.push_back({Piece::Kind::Article, k++});
    }
    pieces.push_back({Piece::Kind::Credits});
    return pieces;
}

// Sets every article (set_article(i, notes): on every core, each article's notes
// kept apart) while another thread sets the rest (set_matter(): the front matter,
// the chapters' openers and the credits) and `paginate(flow, more)` makes the pages
// on it, given the flow a piece at a time (flow_of(piece)) as it is set, in
// reading order. `article_ends` gets where each article's items end in the flow;
// each article's notes join `notes` when its piece is given (the paginator reads
// them from there, on its thread). When set_matter() leaves `credits_cite_pages`
// set (print: the credits give each article's page), the credits are given their
// opening page alone, then set again (set_credits_with(made)) once the pages
// before them are made, and given whole. Without a thread to spare, the pages are
// made after the articles are set.
template <class FlowOf, class SetMatter, class SetArticle, class SetCredits, class Paginate>
Pages paginate_while_set(const std::vector<Piece>& pieces, std::size_t articles, FlowOf&& flow_of,
                         SetMatter&& set_matter, SetArticle&& set_article, const bool& credits_cite_pages,
                         SetCredits&& set_credits_with, std::vector<std::size_t>& article_ends,
                         std::map<std::string, Footnote>& notes, Paginate&& paginate) {
    std::vector<std::map<std::string, Footnote>> notes_of(articles);
    std::size_t next = 0;
    DoneInOrder* done = nullptr;  // the articles set
    std::vector<FlowItem*> flow;
    bool credits_opened = false;  // the credits' opening page given, the rest not
    const MorePieces more = [&](const std::vector<Page>& made) {
        if (credits_opened) {
            credits_opened = false;
            flow.pop_back();  // the opening of the credits as first set
            set_credits_with(made);
            for (FlowItem& it : flow_of(Piece{Piece::Kind::Credits})) flow.push_back(&it);
            return false;
        }
        if (next == pieces.size()) return false;
        const Piece piece = pieces[next++];
        if (piece.kind == Piece::Kind::Article) {
            if (!done->wait(piece.index)) {  // the build stops: its error is the setting's
                next = pieces.size();
                return false;
            }
            for (auto& [name, note] : notes_of[piece.index]) notes[name] = std::move(note);
        }
        if (piece.kind == Piece::Kind::Credits && credits_cite_pages) {
            // Every article's page is made before the credits' first page is
            // placed: the page that opens them is all the paginator needs till then.
            flow.push_back(&flow_of(piece).front());
            credits_opened = true;
            return true;
        }
        for (FlowItem& it : flow_of(piece)) flow.push_back(&it);
        if (piece.kind == Piece::Kind::Article) article_ends.push_back(flow.size());
        return next < pieces.size();
    };
    Pages pages;
    parallel_for_read_in_order(
        articles, [&](std::size_t i) { set_article(i, &notes_of[i]); },
        [&](DoneInOrder& done_in_order) {
            done = &done_in_order;
            set_matter();
            pages = paginate(flow, more);
        },
        kSetAhead);
    return pages;
}

// Where each line of a flow begins in the book's text, to hand over.
std::vector<doc::TextPosition*> first_words(Flow& flow) {
    std::vector<doc::TextPosition*> out;
    out.reserve(flow.size());
    for (FlowItem& it : flow) out.push_back(&it.line.first_word);
    return out;
}

// What an article's flow depends on besides the article, the fonts and the
// dictionaries (which the memo's own context holds): the style, the book's
// language, words and folder (its warnings name files in it), its pictures as the
// loader read them, and whether the setting counts what it sets (--stats).
std::string article_flow_context(const doc::Book& book, const PrintStyle& style, bool counting) {
    std::string out = "article flow\n";
    KeyBytes k{out};
    style_material(k, style);
    k.text(book.language);
    doc::labels_material(k, book.labels);
    k.text(book.root.generic_string());
    k.number(static_cast<std::uint64_t>(book.resources.size()));
    for (const doc::Resource& r : book.resources) doc::resource_material(k, r);
    k.number(counting);
    return out;
}

Pages typeset_book(const doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics, LayoutStats* stats,
                   doc::Book* consume, ParagraphMemo* memo, Detail detail = Detail::Marks,
                   const ArticleHandOver* hand_over = nullptr) {
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
    // Text that prints a page (print's cross-references: page_references) may take
    // more or fewer lines with the numbers a pass finds. The contents' numbers
    // cannot: each sits in room kept for it at the right of its entry
    // (Setter::contents_entry). Nor can the credits', which come last: every page
    // they cite comes before them. So when no article's text links within the book,
    // the book is paginated once, and only the front matter's pages are set again,
    // with the numbers found (set_front_again), instead of a dry pass first to find
    // them; and the pages are made on a thread of their own while the articles are
    // set (paginate_while_set), so that the pagination, one thread's work, no longer
    // waits for the last article, and each article's flow is freed once paged.
    bool articles_link_within = false;
    if (style.page_references)
        for (const auto& [article, chapter] : articles)
            if (doc::links_within_book(*article)) {
                articles_link_within = true;
                break;
            }
    const bool as_set = !articles_link_within;
    // The same articles, to release, when consuming.
    const std::vector<doc::Article*> owned = consume ? consume->articles_in_order() : std::vector<doc::Article*>{};
    // Set once, each article is handed over, and its text read no more.
    const bool handing_over = hand_over && consume && as_set;
    std::vector<Flow> article_flows(articles.size());
    std::vector<char> cites_pages(articles.size(), 0);  // its text prints page numbers (print cross-references)
    std::vector<doc::Census> set(articles.size());       // what each article's setting set
    std::mutex notes_mutex;
    // An article citing pages is set again, with the pages the last pass found.
    const bool keep_text = style.page_references;
    // Sets article i; its notes go to `notes`, or, when null, to the setter's.
    // An article unchanged since the build before is read back whole from the memo
    // (its flow, notes, census and warnings), each of its paragraphs recalled or not;
    // one whose text prints page numbers is set at every build.
    const std::string flow_context = memo ? article_flow_context(book, style, stats != nullptr) : std::string();
    const auto set_article = [&](std::size_t i, std::map<std::string, Footnote>* notes) {
        Setter local(book, style, ctx);
        local.root = setter.root;
        local.part = part_of[i];
        local.counting = stats != nullptr;
        const doc::Article& article = *articles[i].first;
        if (memo) {
            const std::string group = ctx.memo_group(local.source_file(article));
            const ElementRef outer[] = {local.root, local.part};
            std::vector<const std::string*> texts;
            std::string material = flow_context;
            KeyBytes k{material};
            k.text(articles[i].second);
            k.number(local.part != nullptr);
            doc::article_material(k, article, [&](const std::string& t) { texts.push_back(&t); });
            const MemoKey key = memo->key(material);
            std::optional<ArticleRecord> kept;
            memo->read_kept(group, key, [&](const ParagraphMemo::Kept& record) {
                kept = read_article_record(
                    record.record,
                    {texts, ctx.fonts.get(), [&](const std::string& p) { return book.resource(p) != nullptr; }, outer,
                     record.lasting != nullptr});
                if (kept) ctx.hold(record.lasting);
                return kept.has_value();
            });
            if (kept) {
                for (GivenWarningAt& w : kept->warnings)
                    ctx.warn_once(w.key, std::move(w.where), std::move(w.message), std::move(w.hint));
                article_flows[i] = std::move(kept->flow);
                local.footnotes = std::move(kept->notes);
                local.census = kept->census;
            } else {
                std::vector<GivenWarningAt> warnings;
                {
                    // An article that cites pages is set at every build: its paragraphs are kept.
                    const bool kept_whole = !(style.page_references && doc::links_within_book(article));
                    std::optional<ParagraphsNotKept> not_kept;
                    if (kept_whole) not_kept.emplace();
                    const WarningsGathered gathering(warnings);
                    article_flows[i] = local.article(article, articles[i].second);
                }
                if (!local.uses_page_numbers)
                    if (std::optional<std::string> bytes = write_article_record(
                            article_flows[i], local.footnotes, local.census, warnings, texts, outer))
                        memo->keep(group, key, std::move(*bytes));
            }
            memo->finish(group);
        } else {
            article_flows[i] = local.article(article, articles[i].second);
        }
        if (detail == Detail::Positions) drop_marks(article_flows[i]);
        cites_pages[i] = local.uses_page_numbers;
        set[i] = local.census;
        if (handing_over) (*hand_over)(i, first_words(article_flows[i]));
        // Each article is touched by this thread only.
        if (consume && (!keep_text || handing_over)) owned[i]->release_text();
        if (notes) {
            *notes = std::move(local.footnotes);
            return;
        }
        std::lock_guard lock(notes_mutex);
        for (auto& [k, v] : local.footnotes) setter.footnotes[k] = std::move(v);
    };

    // Everything but the contents is set once; only the contents change from pass
    // to pass. None of it reads what the articles' setting gives.
    std::vector<Flow> openers;
    Flow credits;  // set each pass: in print, its entries give their articles' pages
    // The credits page is set again only if it printed page numbers (print's
    // cross-references); the contents always print them.
    bool credits_cite_pages = true;
    const auto set_credits = [&] {
        if (!credits_cite_pages) return;
        setter.uses_page_numbers = false;
        credits = setter.credits_page();
        credits_cite_pages = setter.uses_page_numbers;
    };
    Flow front;
    bool front_cites_pages = false;
    const auto set_matter = [&] {
        for (std::size_t c = 0; c < book.chapters.size(); ++c) {
            setter.part = parts[c];
            openers.push_back(book.chapters[c].title.empty() ? Flow{} : setter.chapter_opener(book.chapters[c]));
        }
        setter.part = nullptr;
        setter.uses_page_numbers = false;
        front = setter.front_matter();
        front_cites_pages = setter.uses_page_numbers;
        set_credits();
    };

    const std::vector<Piece> pieces = reading_order(book);
    const auto flow_of = [&](const Piece& p) -> Flow& {
        switch (p.kind) {
            case Piece::Kind::Front: return front;
            case Piece::Kind::Opener: return openers[p.index];
            case Piece::Kind::Article: return article_flows[p.index];
            case Piece::Kind::Credits: break;
        }
        return credits;
    };

    const bool dry = detail == Detail::Positions;
    LayoutStats local_stats;
    LayoutStats* const counted = detail == Detail::Marks ? &local_stats : nullptr;
    // The pagination frees each article's flow once the pages have passed it: what
    // is left of it once its runs have moved is as large as the pages being built.
    std::vector<std::size_t> article_ends;  // by article, in reading order
    std::size_t freed = 0;
    const auto free_done = [&](std::size_t done_before) {
        for (; freed < article_ends.size() && article_ends[freed] <= done_before; ++freed)
            Flow().swap(article_flows[freed]);
    };
    Pages pages;
    bool numbers_after = as_set;  // the contents' numbers are set once the pages are made
    if (as_set) {
        const auto set_credits_with = [&](const std::vector<Page>& made) {
            setter.page_of = page_of_anchors(made);
            set_credits();
        };
        pages = paginate_while_set(
            pieces, articles.size(), flow_of, set_matter, set_article, credits_cite_pages, set_credits_with,
            article_ends, setter.footnotes, [&](std::vector<FlowItem*>& flow, const MorePieces& more) {
                return paginate_as_set(flow, more, setter.footnotes, style, ctx, book, counted, dry, free_done);
            });
        if (front_cites_pages || std::find(cites_pages.begin(), cites_pages.end(), 1) != cites_pages.end())
            throw Error("internal error: a page number was printed before its page was made", {},
                        "please report this, with the book, to folio's developers");
    } else {
        set_matter();
        parallel_for(articles.size(), [&](std::size_t i) { set_article(i, nullptr); });
        // The whole flow in reading order; `ends`, if given, gets where each
        // article's items end in it.
        auto order = [&](std::vector<std::size_t>* ends = nullptr) {
            std::vector<FlowItem*> out;
            for (const Piece& p : pieces) {
                for (FlowItem& it : flow_of(p)) out.push_back(&it);
                if (ends && p.kind == Piece::Kind::Article) ends->push_back(out.size());
            }
            return out;
        };
        // Lay out until every destination stays on its page: the contents print
        // those numbers, and a longer contents can move everything after it.
        std::map<std::string, std::string> previous;
        const bool articles_cite_pages = std::find(cites_pages.begin(), cites_pages.end(), 1) != cites_pages.end();
        const bool numbers_move_nothing = !front_cites_pages && !credits_cite_pages && !articles_cite_pages;
        for (int pass = 0; !numbers_move_nothing && pass < 5; ++pass) {
            if (pass > 0) {
                setter.page_of = previous;
                setter.uses_page_numbers = false;
                front = setter.front_matter();
                front_cites_pages = setter.uses_page_numbers;
                set_credits();
            }
            const Pages trial = paginate(order(), setter.footnotes, style, ctx, book, nullptr, /*dry=*/true);
            std::map<std::string, std::string> now = page_of_anchors(trial.pages);
            if (now == previous) break;
            previous = std::move(now);
            // Without text that prints a page, another pass would break every page
            // where this one did: these numbers hold. So they do when only the
            // credits print pages: the credits come last, every page they cite comes
            // before them, and setting them again with its number moves none.
            if (!front_cites_pages && !articles_cite_pages) break;
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
        if (!numbers_move_nothing) {
            setter.page_of = previous;
            front = setter.front_matter();
            set_credits();
        }
        pages = paginate(order(&article_ends), setter.footnotes, style, ctx, book, counted, dry, free_done);
        numbers_after = numbers_move_nothing;
    }
    if (numbers_after) {
        setter.page_of = page_of_anchors(pages.pages);
        set_front_again(pages, setter.front_matter(), setter.footnotes, style, ctx, book, counted, dry);
    }
    local_stats.pages = static_cast<int>(pages.pages.size());
    for (const doc::Census& c : set) local_stats.content += c;
    for (const Page& p : pages.pages)
        local_stats.content.pictures += static_cast<long>(p.images.size() + (p.turned ? p.turned->images.size() : 0));
    if (stats) *stats = local_stats;
    pages.fonts = ctx.fonts;
    pages.lasting = ctx.take_held();
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

Pages typeset_positions_consuming(doc::Book& book, const PrintStyle& style, Diagnostics& diagnostics,
                                  ParagraphMemo* memo, const ArticleHandOver& hand_over) {
    return typeset_book(book, style, diagnostics, nullptr, &book, memo, Detail::Positions, &hand_over);
}

}  // namespace folio::layout
