#include "pdf/output_device.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace folio::pdf {

namespace {
constexpr size_t kChunk = 1 << 20;

// Appends `value` in decimal, with zeros before it up to `digits` (printf's "%.Nu").
char* decimal(char* at, long long value, int digits = 0) {
    char number[24];
    const char* end = std::to_chars(number, number + sizeof number, value).ptr;
    const auto length = static_cast<int>(end - number);
    for (int i = length; i < digits; ++i) *at++ = '0';
    return std::copy(static_cast<const char*>(number), end, at);
}
}  // namespace

BufferedDevice::BufferedDevice(Sink sink) : m_sink(std::move(sink)) { m_buffer.reserve(kChunk + 4096); }

void BufferedDevice::Print(const char* format, ...) {
    va_list args;
    va_start(args, format);
    print(format, args);
    va_end(args);
}

void BufferedDevice::PrintV(const char* format, long, va_list args) { print(format, args); }

void BufferedDevice::print(const char* format, va_list args) {
    if (print_known(format, args)) return;
    // PoDoFo's lines are short: one pass on the stack, a second only for a long one.
    char line[512];
    va_list again;
    va_copy(again, args);
    const int n = std::vsnprintf(line, sizeof line, format, args);
    if (n < 0) {
        va_end(again);
        PODOFO_RAISE_ERROR(PoDoFo::ePdfError_InvalidDataType);
    }
    if (static_cast<size_t>(n) < sizeof line) {
        va_end(again);
        Write(line, static_cast<size_t>(n));
        return;
    }
    std::string long_line(static_cast<size_t>(n) + 1, '\0');
    std::vsnprintf(long_line.data(), long_line.size(), format, again);
    va_end(again);
    Write(long_line.data(), static_cast<size_t>(n));
}

// The lines PoDoFo 0.9.8 prints for every object (some 90,000 calls for a tagged
// book of 100 articles): its header, its end, its cross-reference entry, a
// reference, a name's slash, a number. Formatted here, to the same bytes as
// vsnprintf, which parsed the format anew each time (a third of PoDoFo's writing).
// Returns false, having read no argument, for any other format.
bool BufferedDevice::print_known(const char* format, va_list args) {
    if (!std::strchr(format, '%')) {  // "<<", "/", "endobj\n": no conversion at all
        Write(format, std::strlen(format));
        return true;
    }
    char line[64];
    char* end = line;
    if (std::strcmp(format, "%i %i obj") == 0) {
        const int number = va_arg(args, int), generation = va_arg(args, int);
        end = decimal(end, number);
        *end++ = ' ';
        end = decimal(end, generation);
        end = std::copy_n(" obj", 4, end);
    } else if (std::strcmp(format, " %i %hi R") == 0) {
        const int number = va_arg(args, int);
        const auto generation = static_cast<short>(va_arg(args, int));  // promoted to int on the way
        *end++ = ' ';
        end = decimal(end, number);
        *end++ = ' ';
        end = decimal(end, generation);
        end = std::copy_n(" R", 2, end);
    } else if (std::strcmp(format, "%0.10lu %0.5hu %c \n") == 0) {  // a cross-reference entry
        const unsigned long offset = va_arg(args, unsigned long);
        const auto generation = static_cast<unsigned short>(va_arg(args, int));
        const char kind = static_cast<char>(va_arg(args, int));
        end = decimal(end, static_cast<long long>(offset), 10);
        *end++ = ' ';
        end = decimal(end, generation, 5);
        *end++ = ' ';
        *end++ = kind;
        *end++ = ' ';
        *end++ = '\n';
    } else if (std::strcmp(format, "%ld") == 0) {
        end = decimal(end, va_arg(args, long));
    } else {
        return false;
    }
    Write(line, static_cast<size_t>(end - line));
    return true;
}

void BufferedDevice::Write(const char* bytes, size_t length) {
    if (m_at < m_buffer.size()) {  // over what is there after a Seek, then on
        const size_t over = std::min(length, m_buffer.size() - m_at);
        m_buffer.replace(m_at, over, bytes, over);
        m_at += over;
        bytes += over;
        length -= over;
        if (length == 0) return;
    }
    if (length >= kChunk) {  // a font program, a picture: straight through
        drain();
        m_sink(std::string_view(bytes, length));
        m_drained += length;
        return;
    }
    m_buffer.append(bytes, length);
    m_at = m_buffer.size();
    if (m_buffer.size() >= kChunk) drain();
}

size_t BufferedDevice::Read(char*, size_t) { PODOFO_RAISE_ERROR(PoDoFo::ePdfError_InternalLogic); }

void BufferedDevice::Seek(size_t offset) {
    if (offset < m_drained || offset > GetLength()) PODOFO_RAISE_ERROR(PoDoFo::ePdfError_InternalLogic);
    m_at = offset - m_drained;
}

void BufferedDevice::drain() {
    if (m_buffer.empty()) return;
    m_sink(m_buffer);
    m_drained += m_buffer.size();
    m_buffer.clear();
    m_at = 0;
}

}  // namespace folio::pdf
