// The markup that site generators add to Markdown, expanded into Markdown before
// cmark reads it, as the generator would have expanded it when it built the site:
//
//   Hugo shortcodes (in any book; `{{<` and `{{%` mean nothing else):
//     ref, relref        -> the path they name, for the link resolver
//     figure             -> ![alt](src "caption")   (a figure with its caption)
//     youtube, vimeo, gist, tweet/x, instagram -> a link to the embedded page
//     highlight          -> a fenced code block
//     others             -> their content, without the tags, with a warning
//   Jekyll's Liquid (in books with `generator: jekyll`, where `{%` and `{{` are Liquid):
//     {{ site.baseurl }}, {{ site.url }}, {{ "x" | relative_url }} -> the site-relative path
//     {% post_url name %}, {% link path %} -> the post's name or path, for the link resolver
//     {% highlight lang %} … {% endhighlight %} -> a fenced code block
//     {% raw %} … {% endraw %} -> its text as written; {% comment %} … -> nothing
//     other tags and variables -> nothing, with a warning
//     kramdown's attribute lists on lines of their own ({: .note}, {:toc} and the
//     "* TOC" item before it) -> blank lines
//   Pelican's links (in books with `generator: pelican`): {static}/images/a.png,
//     {filename}/posts/b.md, {attach}… and the older |static| -> /images/a.png, a
//     site-relative path that static_folders and the link resolver find
//   mdBook (in any book): {{#include path}}, {{#include path:from:to}},
//     {{#include path:anchor}}, {{#rustdoc_include …}}, {{#playground path}}
//     -> the file's lines; {{#title …}} -> nothing. `\{{#…}}` stays as written.
//
// Lines keep their numbers, so that warnings point where the author wrote, except
// after an include (which adds the included file's lines).
#pragma once

#include "core/diagnostics.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace folio::markdown {

struct SiteMarkupOptions {
    bool liquid = false;  // Jekyll: {% … %} and {{ … }} are Liquid
    bool pelican = false;  // Pelican: {static}/x, {filename}/x (and |static|, |filename|) name the site's files
    // Reads a file an include names (relative to the article), or throws a located
    // folio::Error; unset, includes are warned about and left out.
    std::function<std::string(std::string_view path, const SourceLocation& where)> read_include;
};

// Whether `text` may hold any of the markup above (a quick test before the work).
bool has_site_markup(std::string_view text, const SiteMarkupOptions& options);

// `text` (from line `first_line` of `file`) with the markup expanded.
std::string expand_site_markup(std::string_view text, const std::string& file, int first_line,
                               const SiteMarkupOptions& options, Diagnostics& diagnostics);

}  // namespace folio::markdown
