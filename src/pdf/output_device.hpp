// Where PoDoFo writes the PDF's bytes.
//
// PoDoFo 0.9.8's own devices format every "N 0 obj", "endobj" and cross-reference
// line with two vsnprintf calls, a calloc and a std::string on the way to a stream. A
// tagged book has tens of thousands of objects (one per paragraph, item, cell and
// link), and that formatting was a fifth of the tagged PDF's writing. This device
// formats each line once, on the stack, and hands its sink a megabyte at a time.
// Written by hand: PoDoFo has no buffered device, and this is its documented way to
// add one (derive from PdfOutputDevice, override what is written).
#pragma once

#include <podofo/podofo.h>

#include <cstdarg>
#include <functional>
#include <string>
#include <string_view>

namespace folio::pdf {

class BufferedDevice final : public PoDoFo::PdfOutputDevice {
public:
    using Sink = std::function<void(std::string_view)>;

    explicit BufferedDevice(Sink sink);
    BufferedDevice(const BufferedDevice&) = delete;
    BufferedDevice& operator=(const BufferedDevice&) = delete;

    void Print(const char* format, ...) override;
    void PrintV(const char* format, long bytes, va_list args) override;
    void Write(const char* bytes, size_t length) override;
    size_t Read(char* buffer, size_t length) override;  // never: a writer reads nothing back
    // Back into what is not handed on yet, to write over it; further back is an
    // error. (PoDoFo seeks only to write a cross-reference stream, which folio does
    // not ask for: a table is quicker to write for PoDoFo 0.9.8, and its stream
    // lists one entry more than its /Index says.)
    void Seek(size_t offset) override;
    size_t Tell() const override { return m_drained + m_at; }
    size_t GetLength() const override { return m_drained + m_buffer.size(); }
    void Flush() override {
        if (m_at == m_buffer.size()) drain();
    }
    // Hands the sink what is left: call once PoDoFo is done.
    void finish() { drain(); }

private:
    void print(const char* format, va_list args);
    bool print_known(const char* format, va_list args);
    void drain();

    Sink m_sink;
    std::string m_buffer;
    size_t m_at = 0;       // where the next byte goes in m_buffer
    size_t m_drained = 0;  // bytes handed to the sink
};

}  // namespace folio::pdf
