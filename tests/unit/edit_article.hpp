// An edit an author makes, for the tests of what is kept between builds.
#pragma once

#include "doc/model.hpp"

#include <string_view>

namespace folio::test {

// Appends `words` to the first text of the book's first article; false when its
// body has no text.
inline bool add_to_first_article(doc::Book& book, std::string_view words) {
    doc::Article& first = book.chapters.front().articles.front();
    bool changed = false;
    doc::for_each_inlines(first.body, [&](doc::Inlines& list) {
        for (doc::Inline& in : list)
            if (auto* t = doc::get_if<doc::Text>(&in.value); t && !changed) {
                t->text += words;
                changed = true;
            }
    });
    return changed;
}

}  // namespace folio::test
