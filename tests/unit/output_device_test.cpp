// The PDF's output device: what PoDoFo prints and writes reaches the sink whole, in
// order, at the offsets Tell() gave, however it is cut into chunks.
#include "pdf/output_device.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include <string>
#include <vector>

namespace {

using folio::pdf::BufferedDevice;

TEST(BufferedDevice, PrintsWritesAndTellsLikeAFile) {
    std::string out;
    int handed = 0;
    BufferedDevice device([&](std::string_view bytes) {
        out.append(bytes);
        ++handed;
    });
    device.Print("%i %i obj\n", 12, 0);
    EXPECT_EQ(device.Tell(), 9u);
    device.Write("<</A 1>>", 8);
    device.Print("\nendobj\n");
    const std::string long_line(3000, 'x');  // longer than a line formats on the stack
    device.Print("%s|%d", long_line.c_str(), 7);
    EXPECT_EQ(handed, 0);  // still buffered
    device.finish();
    EXPECT_EQ(out, "12 0 obj\n<</A 1>>\nendobj\n" + long_line + "|7");
    EXPECT_EQ(device.Tell(), out.size());
    EXPECT_EQ(device.GetLength(), out.size());
}

// The lines PoDoFo prints for every object are formatted by the device itself: the
// bytes must be vsnprintf's, for every value those formats can carry.
TEST(BufferedDevice, FormatsPoDoFosOwnLinesAsPrintfDoes) {
    std::string out, expected;
    BufferedDevice device([&](std::string_view bytes) { out.append(bytes); });
    auto printf_of = [](const char* format, auto... args) {
        char line[128];
        const int n = std::snprintf(line, sizeof line, format, args...);
        return std::string(line, static_cast<std::size_t>(n));
    };
    for (int number : {0, 1, 9, 10, 12345, 2147483647}) {
        for (int generation : {0, 1, 65535}) {
            device.Print("%i %i obj", number, generation);
            expected += printf_of("%i %i obj", number, generation);
            const auto short_generation = static_cast<short>(generation);  // PoDoFo's is a pdf_gennum
            device.Print(" %i %hi R", number, short_generation);
            expected += printf_of(" %i %hi R", number, short_generation);
        }
        device.Print("%i %i obj", -number, 0);
        expected += printf_of("%i %i obj", -number, 0);
    }
    for (unsigned long offset : {0UL, 7UL, 1234567UL, 9999999999UL, 12345678901UL})
        for (int generation : {0, 3, 65535})
            for (char kind : {'n', 'f'}) {
                const auto g = static_cast<unsigned short>(generation);
                device.Print("%0.10lu %0.5hu %c \n", offset, g, kind);
                expected += printf_of("%0.10lu %0.5hu %c \n", offset, g, kind);
            }
    for (long value : {0L, -1L, 42L, -9223372036854775807L - 1, 9223372036854775807L}) {
        device.Print("%ld", value);
        expected += printf_of("%ld", value);
    }
    device.Print("<<");
    device.Print("endobj\n");
    device.Print("startxref\n%lu\n%%%%EOF\n", 1234UL);  // not one of the known: through vsnprintf
    expected += "<<endobj\nstartxref\n1234\n%%EOF\n";
    device.finish();
    EXPECT_EQ(out, expected);
}

TEST(BufferedDevice, LargeWritesPassInOrderAndOffsetsStayTrue) {
    std::string out;
    std::vector<std::size_t> chunks;
    BufferedDevice device([&](std::string_view bytes) {
        out.append(bytes);
        chunks.push_back(bytes.size());
    });
    std::string expected;
    for (int i = 0; i < 5000; ++i) {  // about 1.6 MB of small pieces: at least one chunk handed on
        EXPECT_EQ(device.Tell(), expected.size());
        device.Print("%d 0 obj\n", i);
        expected += std::to_string(i) + " 0 obj\n";
        const std::string body(300, static_cast<char>('a' + i % 26));
        device.Write(body.data(), body.size());
        expected += body;
    }
    const std::string font(3 << 20, 'F');  // a font program: straight through
    device.Write(font.data(), font.size());
    expected += font;
    device.Print("trailer\n");
    expected += "trailer\n";
    device.finish();
    EXPECT_GE(chunks.size(), 3u);
    EXPECT_EQ(out, expected);
    EXPECT_EQ(device.Tell(), expected.size());
}

TEST(BufferedDevice, SeeksBackOnlyIntoWhatItStillHolds) {
    std::string out;
    BufferedDevice device([&](std::string_view bytes) { out.append(bytes); });
    device.Print("0123456789");
    device.Seek(4);
    EXPECT_EQ(device.Tell(), 4u);
    device.Print("ab");
    EXPECT_EQ(device.Tell(), 6u);
    EXPECT_EQ(device.GetLength(), 10u);
    device.Flush();  // not while writing over held bytes: nothing is lost
    device.Seek(10);
    device.Print("XYZ");
    device.finish();
    EXPECT_EQ(out, "0123ab6789XYZ");
    EXPECT_THROW(device.Seek(2), PoDoFo::PdfError);  // already handed on
    EXPECT_THROW(device.Seek(99), PoDoFo::PdfError);
}

}  // namespace
