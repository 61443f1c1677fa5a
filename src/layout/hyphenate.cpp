#include "layout/hyphenate.hpp"

#include "core/text.hpp"
#include "layout/shipped_dictionaries.hpp"

#include <hyphen.h>
#include <iconv.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

namespace folio::layout {

namespace {
constexpr std::size_t kLeftMin = 2;   // \lefthyphenmin
constexpr std::string_view kShipped = "folio:";  // dictionary_for's prefix for a compiled-in dictionary
constexpr std::size_t kRightMin = 3;  // \righthyphenmin
}  // namespace

// A loaded dictionary: read-only once loaded, so words are hyphenated on every core
// (libhyphen keeps its state in the call, the dictionary is only read).
struct Hyphenator::Dict {
    HyphenDict* dict = nullptr;
    bool utf8 = true;
    // An 8-bit dictionary's charset: the byte of each character (absent: none),
    // built once with iconv, since an iconv_t cannot be shared between threads.
    std::map<char32_t, char> byte_of;
    ~Dict() {
        if (dict) hnj_hyphen_free(dict);
    }
};

namespace {

// The characters of a single-byte charset, by byte; false if iconv does not know it.
bool charset_table(const char* charset, std::map<char32_t, char>& out) {
    iconv_t to_utf32 = iconv_open("UTF-32LE", charset);
    if (to_utf32 == reinterpret_cast<iconv_t>(-1)) return false;
    for (int b = 1; b < 256; ++b) {
        char in = static_cast<char>(b);
        unsigned char utf32[4] = {};
        char* inp = &in;
        char* outp = reinterpret_cast<char*>(utf32);
        std::size_t inleft = 1, outleft = sizeof utf32;
        iconv(to_utf32, nullptr, nullptr, nullptr, nullptr);
        if (iconv(to_utf32, &inp, &inleft, &outp, &outleft) == static_cast<std::size_t>(-1) || outleft != 0) continue;
        const char32_t c = utf32[0] | (utf32[1] << 8) | (utf32[2] << 16) | (static_cast<char32_t>(utf32[3]) << 24);
        out.emplace(c, in);
    }
    iconv_close(to_utf32);
    return true;
}

}  // namespace

Hyphenator::Hyphenator(std::string dictionary_dir) : m_dir(std::move(dictionary_dir)) {}
Hyphenator::~Hyphenator() = default;

std::string Hyphenator::dictionary_for(const std::string& language) const {
    const std::string lang = text::to_lower_ascii(language);
    std::vector<std::string> names;
    auto starts = [&](const char* p) { return lang.rfind(p, 0) == 0; };
    if (starts("sr-latn")) {
        names = {"hyph_sr-Latn_RS.dic"};
    } else if (starts("sr")) {
        names = {"hyph_sr_RS.dic"};  // Serbian without a script subtag is Cyrillic
    } else {
        // "en-GB" -> hyph_en_GB.dic, then hyph_en.dic.
        std::string base = lang.substr(0, lang.find('-'));
        if (const auto dash = lang.find('-'); dash != std::string::npos) {
            std::string region = lang.substr(dash + 1);
            for (char& c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            names.push_back("hyph_" + base + "_" + region + ".dic");
        }
        names.push_back("hyph_" + base + ".dic");
    }
    for (const std::string& n : names) {
        const std::filesystem::path p = std::filesystem::path(m_dir) / n;
        std::error_code ec;
        if (std::filesystem::exists(p, ec)) return p.string();
    }
    // A language whose one dictionary names a country ("hi" -> hyph_hi_IN.dic): the
    // first such file by name, so that the choice does not depend on the folder.
    const std::string prefix = "hyph_" + lang.substr(0, lang.find('-')) + "_";
    std::vector<std::string> regional;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(m_dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size() + 4 && name.ends_with(".dic"))
            regional.push_back(name);
    }
    if (!regional.empty())
        return (std::filesystem::path(m_dir) / *std::min_element(regional.begin(), regional.end())).string();
    // Languages Debian ships no dictionary for: folio's own (hyphen/ in the source).
    if (lang == "sq" || lang.rfind("sq-", 0) == 0) return std::string(kShipped) + "hyph_sq_AL.dic";
    return "";
}

namespace {

// Loaded dictionaries, by file, for the whole process: a file is read once
// (English takes 16 ms), whichever book or thread asks first, and never changes.
struct Loaded {
    std::mutex mutex;
    std::map<std::string, std::unique_ptr<Hyphenator::Dict>> by_file;
};
Loaded& loaded() {
    static Loaded l;
    return l;
}

}  // namespace

Hyphenator::Dict* Hyphenator::load(const std::string& language) {
    {
        std::shared_lock read(m_mutex);
        if (auto known = m_by_language.find(language); known != m_by_language.end()) return known->second;
    }
    std::unique_lock lock(m_mutex);
    if (auto known = m_by_language.find(language); known != m_by_language.end()) return known->second;
    const std::string file = dictionary_for(language);
    if (file.empty()) return m_by_language[language] = nullptr;
    Loaded& all = loaded();
    std::lock_guard load_lock(all.mutex);  // a second asker waits for the first to finish reading
    auto [it, fresh] = all.by_file.try_emplace(file);
    if (fresh) {
        auto d = std::make_unique<Dict>();
        if (file.rfind(kShipped, 0) == 0) {
            // Compiled in: read through a FILE over the bytes (libhyphen reads only FILEs).
            if (auto bytes = shipped_dictionary(std::string_view(file).substr(kShipped.size()))) {
                if (FILE* f = fmemopen(const_cast<char*>(bytes->data()), bytes->size(), "r")) {
                    d->dict = hnj_hyphen_load_file(f);
                    std::fclose(f);
                }
            }
        } else {
            d->dict = hnj_hyphen_load(file.c_str());
        }
        if (d->dict) {
            d->utf8 = d->dict->utf8 != 0;
            if (!d->utf8 && !charset_table(d->dict->cset, d->byte_of)) d.reset();
        } else {
            d.reset();
        }
        it->second = std::move(d);
    }
    return m_by_language[language] = it->second.get();
}

bool Hyphenator::has_dictionary(const std::string& language) { return load(language) != nullptr; }

std::vector<std::size_t> Hyphenator::points(std::string_view word, const std::string& language) {
    std::vector<std::size_t> out;
    Dict* d = load(language);
    if (!d) return out;
    // Scratch space reused from word to word: the typesetter hyphenates every word
    // of a book it has not seen before, tens of thousands.
    thread_local std::vector<std::size_t> byte_of;  // character index -> byte offset in `word`
    thread_local std::string encoded;               // lowercased, in the dictionary's encoding
    thread_local std::vector<char> hyphens;
    byte_of.clear();
    encoded.clear();
    for (std::size_t i = 0; i < word.size();) {
        char32_t c = static_cast<unsigned char>(word[i]);
        const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (n > 1) {
            c = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
            for (std::size_t k = 1; k < n && i + k < word.size(); ++k)
                c = (c << 6) | (static_cast<unsigned char>(word[i + k]) & 0x3F);
        }
        if (!text::is_letter(c)) return out;  // words with digits or marks inside are left whole
        c = text::to_lower(c);
        if (d->utf8) {
            text::append_utf8(encoded, c);
        } else {
            auto it = d->byte_of.find(c);
            if (it == d->byte_of.end()) return out;  // a letter the dictionary's charset lacks
            encoded += it->second;
        }
        byte_of.push_back(i);
        i += n;
    }
    const std::size_t chars = byte_of.size();
    if (chars < kLeftMin + kRightMin) return out;
    hyphens.assign(encoded.size() + 5, '0');
    char** rep = nullptr;
    int* pos = nullptr;
    int* cut = nullptr;
    const int failed = hnj_hyphen_hyphenate2(d->dict, encoded.c_str(), static_cast<int>(encoded.size()),
                                             hyphens.data(), nullptr, &rep, &pos, &cut);
    if (rep) {
        // Non-standard hyphenation (German "Schiff-fahrt") changes letters: not used.
        for (std::size_t i = 0; i < encoded.size(); ++i) std::free(rep[i]);
        std::free(rep);
        std::free(pos);
        std::free(cut);
    }
    if (failed) return out;
    // One digit a character (libhyphen counts UTF-8 dictionaries' positions in
    // characters, not bytes); odd: a break may follow that character.
    for (std::size_t k = kLeftMin; k + kRightMin <= chars; ++k)
        if ((hyphens[k - 1] - '0') % 2 == 1) out.push_back(byte_of[k]);
    return out;
}

}  // namespace folio::layout
