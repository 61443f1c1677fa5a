#include "scratch_book.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace folio::fuzz {

namespace fs = std::filesystem;

namespace {

// A 2 × 2 gray PNG, so that an input may name an image that exists.
constexpr unsigned char kDotPng[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x00, 0x00, 0x00, 0x57, 0xdd, 0x52, 0xf8, 0x00, 0x00, 0x00,
    0x0e, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x68, 0x60, 0x68, 0xf8, 0x0f, 0x00, 0x04, 0x05, 0x02,
    0x00, 0x57, 0xd4, 0x33, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

// html: keep (the default, written out so that the fuzzing does not hang on it):
// raw HTML goes through its tokenizer and its mapping onto the model.
constexpr std::string_view kManifest = R"(title: Fuzz
language: en
credits: optional
html: keep
chapters:
  - title: One
    articles: [a.md, b.md]
)";

constexpr std::string_view kArticleB = R"(---
title: Second
author: B. Writer
site: example.org
source: https://example.org/b
license: CC BY 4.0
---
## A heading

Text with a [link back](a.md) and a note.[^1]

[^1]: The note.
)";

fs::path g_dir;
void remove_dir() {
    std::error_code ec;
    if (!g_dir.empty()) fs::remove_all(g_dir, ec);
}

}  // namespace

ScratchBook& ScratchBook::instance() {
    static ScratchBook book;
    return book;
}

ScratchBook::ScratchBook() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/folio-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot make a scratch folder");
    m_dir = g_dir = pattern;
    std::atexit(remove_dir);
    fs::create_directories(m_dir / "images");
    fs::create_directories(m_dir / "posts");
    write("book.yaml", kManifest);
    write("a.md", "# First\n\nText.\n");
    write("b.md", kArticleB);
    write("posts/one.md", "---\ntitle: One\ndate: 2024-01-02\n---\nOne.\n");
    write("posts/two.md", "# Two\n\nTwo.\n");
    write("images/dot.png", std::string_view(reinterpret_cast<const char*>(kDotPng), sizeof kDotPng));
}

void ScratchBook::write(const std::string& rel, std::string_view bytes) const {
    std::ofstream out(m_dir / rel, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + rel);
}

}  // namespace folio::fuzz
