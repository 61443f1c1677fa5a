// Site generators' markup in Markdown (Hugo shortcodes, Jekyll's Liquid, mdBook's
// includes), expanded as the generator would have expanded it.
#include "markdown/site_markup.hpp"

#include <gtest/gtest.h>

namespace folio {
namespace {

std::string expand(std::string_view text, Diagnostics& d, markdown::SiteMarkupOptions options = {}) {
    return markdown::expand_site_markup(text, "post.md", 5, options, d);
}

TEST(SiteMarkup, HugoShortcodes) {
    Diagnostics d;
    EXPECT_EQ(expand("[x]({{< ref \"some-post.md\" >}}) and [y]({{% relref \"/posts/other\" %}})", d),
              "[x](some-post.md) and [y](/posts/other)");
    EXPECT_EQ(expand("{{< figure src=\"/images/one.png\" caption=\"The \\\"one\\\"\" alt=\"One\" >}}", d),
              "![One](</images/one.png> \"The \\\"one\\\"\")");
    EXPECT_EQ(expand("{{< youtube dQw4w9WgXcQ >}}", d),
              "[Video: https://www.youtube.com/watch?v=dQw4w9WgXcQ](<https://www.youtube.com/watch?v=dQw4w9WgXcQ>)");
    EXPECT_EQ(expand("{{< vimeo id=\"146022717\" title=\"A film\" >}}", d), "[A film](<https://vimeo.com/146022717>)");
    EXPECT_EQ(expand("{{< highlight go \"linenos=table\" >}}\nfmt.Println(1)\n{{< /highlight >}}\n", d),
              "```go\nfmt.Println(1)\n```\n");
    // Escaped, a shortcode is text about shortcodes.
    EXPECT_EQ(expand("Write {{</* youtube ID */>}} to embed.", d), "Write {{< youtube ID >}} to embed.");
    EXPECT_EQ(d.warning_count(), 0u);
}

TEST(SiteMarkup, UnknownShortcodesKeepTheirContentWithOneWarning) {
    Diagnostics d;
    EXPECT_EQ(expand("a {{< note >}}kept{{< /note >}} b\n{{< note >}}again{{< /note >}}\n", d), "a kept b\nagain\n");
    const auto w = d.warnings();
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].where.str(), "post.md:5:3");
    EXPECT_EQ(w[0].message, "Hugo shortcode 'note' is not understood: its tags are dropped, its content kept");
}

TEST(SiteMarkup, LinesKeepTheirNumbers) {
    Diagnostics d;
    const std::string out = expand("{{< figure\n  src=\"a.png\"\n  caption=\"c\" >}}\nafter {{< bogus >}}\n", d);
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4);
    ASSERT_EQ(d.warnings().size(), 1u);
    EXPECT_EQ(d.warnings()[0].where.line, 8);
}

TEST(SiteMarkup, JekyllLiquidOnlyWhenTheBookSaysSo) {
    Diagnostics d;
    const std::string text =
        "![a]({{ site.baseurl }}/assets/a.png) ![b]({{ \"/assets/b.png\" | relative_url }}) "
        "[next]({{ site.baseurl }}{% post_url 2020-01-02-the-ferry %})\n"
        "{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n{% raw %}{{ kept }}{% endraw %}{% comment %}gone{% "
        "endcomment %}\n";
    EXPECT_EQ(expand(text, d), text);  // plain Markdown: braces are text
    markdown::SiteMarkupOptions jekyll;
    jekyll.liquid = true;
    EXPECT_EQ(expand(text, d, jekyll), "![a](/assets/a.png) ![b](/assets/b.png) [next](2020-01-02-the-ferry)\n"
                                       "```ruby\nputs 1\n```\n{{ kept }}\n");
    EXPECT_EQ(d.warning_count(), 0u);
    expand("{% include gallery.html %} {{ page.title }}", d, jekyll);
    EXPECT_EQ(d.warning_count(), 2u);
}

// kramdown's attribute lists are no text of a Jekyll post: blank lines (so that
// lines keep their numbers), the "* TOC" item of "{:toc}" with them; a heading's
// "{: #id}" becomes its "{#id}"; in fenced code they are shown.
TEST(SiteMarkup, KramdownAttributeListsInJekyllPosts) {
    Diagnostics d;
    markdown::SiteMarkupOptions jekyll;
    jekyll.liquid = true;
    EXPECT_EQ(expand("* TOC\n{:toc}\n\nWords.\n{: .note}\n", d, jekyll), "     \n      \n\nWords.\n         \n");
    EXPECT_EQ(expand("## Setting up\n{: #setup .wide}\nText.\n", d, jekyll),
              "## Setting up {#setup .wide}\n                \nText.\n");
    EXPECT_EQ(expand("```\n{: .shown}\n```\n{: .gone}\n", d, jekyll), "```\n{: .shown}\n```\n         \n");
    EXPECT_EQ(expand("Not {: an attribute} here.\n", d, jekyll), "Not {: an attribute} here.\n");
    EXPECT_EQ(expand("{: .kept}\n", d), "{: .kept}\n");  // not a Jekyll book
    EXPECT_TRUE(d.warnings().empty());
}

TEST(SiteMarkup, PelicanPlaceholdersBecomeSiteRelativePaths) {
    Diagnostics d;
    markdown::SiteMarkupOptions pelican;
    pelican.pelican = true;
    EXPECT_EQ(expand("![a]({static}/images/a.png) [b]({filename}/posts/b.md) [c](|filename|c.md)", d, pelican),
              "![a](/images/a.png) [b](/posts/b.md) [c](/c.md)");
    EXPECT_EQ(expand("{static}/x", d), "{static}/x");  // not a Pelican book: text
}

TEST(SiteMarkup, MdBookIncludes) {
    Diagnostics d;
    markdown::SiteMarkupOptions options;
    options.read_include = [](std::string_view path, const SourceLocation& where) -> std::string {
        if (path == "missing.rs") throw Error("cannot read 'missing.rs'", where);
        return "// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\nline four\n";
    };
    EXPECT_EQ(expand("```rust\n{{#include ../listings/example.rs}}\n```", d, options),
              "```rust\n// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\nline four\n```");
    EXPECT_EQ(expand("{{#include x.rs:2:2}}", d, options), "fn main() {}");
    EXPECT_EQ(expand("{{#include x.rs:main}}", d, options), "fn main() {}");
    EXPECT_EQ(expand("{{#include x.rs:4:}}", d, options), "line four");
    EXPECT_EQ(expand("{{#playground x.rs:2:2}}", d, options), "```rust\nfn main() {}\n```");
    EXPECT_EQ(expand("Write \\{{#include x.rs}} to include.", d, options), "Write {{#include x.rs}} to include.");
    // Not digits on both sides of the colon: an anchor's name, never a number to convert.
    EXPECT_EQ(expand("{{#include x.rs:1: CommonMark}}", d, options), "");
    EXPECT_EQ(expand("{{#include x.rs:12345678901234567890}}", d, options), "");
    EXPECT_EQ(d.warning_count(), 0u);
    EXPECT_EQ(expand("{{#include missing.rs}}", d, options), "");
    ASSERT_EQ(d.warning_count(), 1u);
    EXPECT_NE(d.warnings()[0].message.find("cannot read 'missing.rs'"), std::string::npos);
}

}  // namespace
}  // namespace folio
