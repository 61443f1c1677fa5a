// Recognising an article's licence from its front matter (`license`, `license_url`).
#pragma once

#include "doc/licence.hpp"

#include <optional>
#include <string_view>

namespace folio::licence {

// What `text` and `url` say, as doc::Licence. Recognised, by name, short name, SPDX
// identifier or legal-code URL (deeds and translations too), in any case and spacing:
//   - Creative Commons BY, BY-SA, BY-ND, BY-NC, BY-NC-SA, BY-NC-ND, versions 1.0–4.0,
//     and their jurisdiction ports ("CC BY 3.0 RS", …/licenses/by-nc/3.0/rs/);
//   - CC0 1.0 and the Public Domain Mark 1.0;
//   - "all rights reserved", or a © / "copyright" notice that grants nothing;
//   - MIT, Apache-2.0 (and 1.0, 1.1), BSD-2-Clause, BSD-3-Clause, and SPDX
//     expressions of them joined by OR or AND;
//   - a permission written in prose ("you may share … as long as you credit
//     “Name” … and add a link"): family Prose, with the quoted names to credit and
//     whether a link is asked for.
// Anything else keeps family Unknown with the text as written: nothing is guessed,
// and a name with words left over ("CC BY 4.0 except the photographs") is not the
// licence it begins with. When text and URL name different licences, the result is
// Unknown too. Never throws.
doc::Licence recognise(std::string_view text, std::string_view url = {});

// The one licence a book's `rights` sentence names for the whole book ("This book is
// licensed under CC BY 4.0 (https://…)"), by name or legal-code address; nullopt
// when it names none, or names different ones. Only Creative Commons tools and the
// licences `recognise` knows by name count; prose is not read as a claim.
std::optional<doc::Licence> claimed_licence(std::string_view rights);

}  // namespace folio::licence
