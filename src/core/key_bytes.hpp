// The bytes a memo's key is hashed from (a paragraph's inputs, a PDF page's
// marks), written field by field: numbers as their bits, texts and arrays with
// their lengths first, so that two different sequences of fields never give the
// same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace folio {

struct KeyBytes {
    std::string& out;

    template <class T>
    void number(T v) {
        static_assert(std::is_trivially_copyable_v<T>);
        out.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    void text(std::string_view t) {
        number(static_cast<std::uint64_t>(t.size()));
        out.append(t);
    }
    // Elements without padding: every byte of each is one of its fields.
    template <class T>
    void array(const std::vector<T>& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        number(static_cast<std::uint64_t>(v.size()));
        out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    }
};

}  // namespace folio
