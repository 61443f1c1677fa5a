#include "pdf/output_device.hpp"

#include <algorithm>
#include <cstdio>

namespace folio::pdf {

namespace {
constexpr size_t kChunk = 1 << 20;
}

BufferedDevice::BufferedDevice(Sink sink) : m_sink(std::move(sink)) { m_buffer.reserve(kChunk + 4096); }

void BufferedDevice::Print(const char* format, ...) {
    va_list args;
    va_start(args, format);
    print(format, args);
    va_end(args);
}

void BufferedDevice::PrintV(const char* format, long, va_list args) { print(format, args); }

void BufferedDevice::print(const char* format, va_list args) {
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
