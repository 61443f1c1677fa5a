// Hyphenation with libhyphen and the dictionaries Debian ships in /usr/share/hyphen/.
// Some dictionaries are not UTF-8 (Croatian ISO 8859-2, Serbian Cyrillic ISO 8859-5):
// words are lowercased and converted to the dictionary's encoding first.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace folio::layout {

class Hyphenator {
public:
    explicit Hyphenator(std::string dictionary_dir = "/usr/share/hyphen");
    ~Hyphenator();
    Hyphenator(const Hyphenator&) = delete;
    Hyphenator& operator=(const Hyphenator&) = delete;

    // Byte offsets in `word` (UTF-8) after which a hyphen may break it, honouring
    // left/right minimums of 2 and 3 characters (TeX's \lefthyphenmin, \righthyphenmin).
    // Empty when the language has no dictionary. Thread-safe.
    std::vector<std::size_t> points(std::string_view word, const std::string& language);

    // Whether the language has a dictionary, which this loads if nobody has yet:
    // dictionaries are loaded once per process and shared by every Hyphenator, so
    // calling this early, on another thread, has the patterns ready when needed.
    bool has_dictionary(const std::string& language);

    // The dictionary file folio uses for a BCP 47 tag, or "" (e.g. "sr-Latn" ->
    // ".../hyph_sr-Latn_RS.dic"). Albanian, for which Debian ships none, gets folio's
    // own, compiled in: "folio:hyph_sq_AL.dic" (hyphen/ in the source tree).
    std::string dictionary_for(const std::string& language) const;

    // The folder the dictionaries are read from.
    const std::string& dictionary_dir() const { return m_dir; }

    struct Dict;  // a loaded dictionary

private:
    Dict* load(const std::string& language);

    std::string m_dir;
    std::shared_mutex m_mutex;  // words are hyphenated from every core: lookups share it
    std::map<std::string, Dict*> m_by_language;  // what load() found for each tag (null: none)
};

}  // namespace folio::layout
