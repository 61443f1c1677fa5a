// The bytes a memo's key is hashed from (a paragraph's inputs, a PDF page's
// marks), written field by field: numbers as their bits, texts and arrays with
// their lengths first, so that two different sequences of fields never give the
// same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
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
    // (A std::vector, or any array of its own that gives data() and size().)
    template <class Array>
    void array(const Array& v) {
        using T = std::remove_cvref_t<decltype(*v.data())>;
        static_assert(std::is_trivially_copyable_v<T>);
        number(static_cast<std::uint64_t>(v.size()));
        out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    }
};

// Reads back what KeyBytes wrote (a record kept by the cache), field by field:
// each read is checked against the bytes left and fails, reading nothing, when its
// field is not there whole.
struct KeyBytesReader {
    std::string_view in;
    std::size_t at = 0;

    template <class T>
    bool number(T& v) {
        static_assert(std::is_trivially_copyable_v<T>);
        if (in.size() - at < sizeof v) return false;
        std::memcpy(&v, in.data() + at, sizeof v);
        at += sizeof v;
        return true;
    }
    // A bool, written as number(bool) writes it: one byte, 0 or 1.
    bool flag(bool& v) {
        std::uint8_t b = 0;
        if (in.size() - at < 1 || static_cast<std::uint8_t>(in[at]) > 1) return false;
        number(b);
        v = b == 1;
        return true;
    }
    bool text(std::string& t) {
        std::uint64_t n = 0;
        if (in.size() - at < sizeof n) return false;
        std::memcpy(&n, in.data() + at, sizeof n);
        if (n > in.size() - at - sizeof n) return false;
        at += sizeof n;
        t.assign(in.data() + at, static_cast<std::size_t>(n));
        at += static_cast<std::size_t>(n);
        return true;
    }
    // A count (a std::uint64_t) of elements that take at least `least` bytes each:
    // refused when more than the bytes left could hold, before anything is made.
    bool count(std::size_t& n, std::size_t least) {
        std::uint64_t v = 0;
        if (in.size() - at < sizeof v) return false;
        std::memcpy(&v, in.data() + at, sizeof v);
        if (v > (in.size() - at - sizeof v) / least) return false;
        at += sizeof v;
        n = static_cast<std::size_t>(v);
        return true;
    }
    bool done() const { return at == in.size(); }
};

}  // namespace folio
