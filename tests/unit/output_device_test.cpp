// The PDF's output device: what PoDoFo prints and writes reaches the sink whole, in
// order, at the offsets Tell() gave, however it is cut into chunks.
#include "pdf/output_device.hpp"

#include <gtest/gtest.h>

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
