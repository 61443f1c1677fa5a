#include "cache/deflated.hpp"
#include "core/compress.hpp"
#include "support/support.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <thread>

#include <sys/stat.h>
#include <vector>

namespace folio::cache {
namespace {

// The files of the bins a store kept under `prefix`, by bin, with their inodes: a
// file written again (through a new file renamed into place) has another.
std::map<std::size_t, ino_t> bins(const std::filesystem::path& prefix) {
    std::map<std::size_t, ino_t> out;
    for (std::size_t bin = 0; bin < DeflatedStore::kBins; ++bin) {
        struct stat st {};
        if (::stat(DeflatedStore::bin_file(prefix, bin).c_str(), &st) == 0) out.emplace(bin, st.st_ino);
    }
    return out;
}

std::string page(int n) {
    std::string s;
    for (int i = 0; i < 200; ++i) s += "BT /F1 10.5 Tf 72 " + std::to_string(700 - i - n) + " Td [(word)] TJ ET\n";
    return s;
}

// What the store answers is what compress::zlib gives, whether it deflates or
// recalls; a buffer asked for again, in the same build or the next, is recalled.
TEST(DeflatedStore, AnswersAsZlibDoesAndRecallsWhatItDeflated) {
    DeflatedStore store;
    const std::string a = page(1), b = page(2);
    EXPECT_EQ(store.zlib(a, 1), compress::zlib(a, 1));
    EXPECT_EQ(store.zlib(b, 1), compress::zlib(b, 1));
    EXPECT_EQ(store.zlib(a, 6), compress::zlib(a, 6));  // another level: another answer
    EXPECT_EQ(store.take_counts().deflated, 3);
    store.end_build();
    EXPECT_EQ(store.zlib(a, 1), compress::zlib(a, 1));
    EXPECT_EQ(store.zlib(a, 6), compress::zlib(a, 6));
    const DeflatedStore::Counts c = store.take_counts();
    EXPECT_EQ(c.reused, 2);
    EXPECT_EQ(c.deflated, 0);
}

// A build keeps only what it asked for: b, not asked for in the second build, is
// deflated again in the third.
TEST(DeflatedStore, LetsGoWhatABuildDidNotAskFor) {
    DeflatedStore store;
    const std::string a = page(1), b = page(2);
    (void)store.zlib(a, 1);
    (void)store.zlib(b, 1);
    store.end_build();
    (void)store.zlib(a, 1);
    store.end_build();
    (void)store.take_counts();
    EXPECT_EQ(store.zlib(b, 1), compress::zlib(b, 1));
    EXPECT_EQ(store.zlib(a, 1), compress::zlib(a, 1));
    const DeflatedStore::Counts c = store.take_counts();
    EXPECT_EQ(c.deflated, 1);
    EXPECT_EQ(c.reused, 1);
}

// Beyond its budget the store deflates without keeping.
TEST(DeflatedStore, KeepsNoMoreThanItsBudget) {
    const std::string a = page(1), b = page(2);
    DeflatedStore store(compress::zlib(a, 1).size());
    (void)store.zlib(a, 1);
    (void)store.zlib(b, 1);  // over the budget: not kept
    store.end_build();
    (void)store.take_counts();
    EXPECT_EQ(store.zlib(a, 1), compress::zlib(a, 1));
    EXPECT_EQ(store.zlib(b, 1), compress::zlib(b, 1));
    const DeflatedStore::Counts c = store.take_counts();
    EXPECT_EQ(c.reused, 1);
    EXPECT_EQ(c.deflated, 1);
}

// Pages are deflated on every core at once.
TEST(DeflatedStore, ManyThreadsGetTheSameBytes) {
    DeflatedStore store;
    std::vector<std::string> pages;
    for (int i = 0; i < 16; ++i) pages.push_back(page(i % 4));
    std::vector<std::string> out(pages.size());
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (std::size_t i = t; i < pages.size(); i += 4) out[i] = store.zlib(pages[i], 1);
        });
    for (std::thread& t : threads) t.join();
    for (std::size_t i = 0; i < pages.size(); ++i) EXPECT_EQ(out[i], compress::zlib(pages[i], 1)) << i;
    const DeflatedStore::Counts c = store.take_counts();
    // Four pages, each made once or made at once by two threads: four made, however
    // the threads ran.
    EXPECT_EQ(c.deflated, 4);
    EXPECT_EQ(c.reused, 12);
}

// Kept in a file (--cache): the next process's store answers from it, zlib's
// streams and bare DEFLATE apart, and the file is written only when a build asked
// for other buffers than it holds.
TEST(DeflatedStore, KeptInAFileAnswersTheNextBuild) {
    test::ScratchDir dir;
    const std::filesystem::path file = dir / "cache/deflated";
    const std::string a = page(1), b = page(2);
    {
        DeflatedStore store(file, "folio 1+abc");
        EXPECT_EQ(store.zlib(a, 1), compress::zlib(a, 1));
        EXPECT_EQ(store.deflate_raw(a, 1), compress::deflate_raw(a, 1));  // the same bytes, another answer
        EXPECT_EQ(store.deflate_raw(b, 6), compress::deflate_raw(b, 6));
        EXPECT_EQ(store.take_counts().deflated, 3);
        store.end_build();
    }
    const auto written = bins(file);
    ASSERT_FALSE(written.empty());
    {
        DeflatedStore store(file, "folio 1+abc");
        EXPECT_EQ(store.deflate_raw(b, 6), compress::deflate_raw(b, 6));
        EXPECT_EQ(store.zlib(a, 1), compress::zlib(a, 1));
        EXPECT_EQ(store.deflate_raw(a, 1), compress::deflate_raw(a, 1));
        const DeflatedStore::Counts c = store.take_counts();
        EXPECT_EQ(c.reused, 3);
        EXPECT_EQ(c.deflated, 0);
        store.end_build();
    }
    EXPECT_EQ(bins(file), written);  // nothing new, nothing let go: no bin written again
    {
        DeflatedStore store(file, "folio 1+abc");
        (void)store.zlib(a, 1);  // b and the bare a are not asked for: the file forgets them
        store.end_build();
    }
    DeflatedStore store(file, "folio 1+abc");
    (void)store.deflate_raw(b, 6);
    (void)store.zlib(a, 1);
    const DeflatedStore::Counts c = store.take_counts();
    EXPECT_EQ(c.reused, 1);
    EXPECT_EQ(c.deflated, 1);
}

// What make() gave for a material is answered for that material again, in the
// next build and from the file in the next process, without make(); material that
// is a page's bytes is not the page (zlib's answer stays zlib's).
TEST(DeflatedStore, RemembersWhatWasMadeFromAMaterial) {
    test::ScratchDir dir;
    const std::filesystem::path file = dir / "deflated";
    const std::string a = page(1), b = page(2);
    int made = 0;
    const auto make = [&](std::string answer) {
        return [&made, answer] {
            ++made;
            return answer;
        };
    };
    {
        DeflatedStore store(file, "folio 1+abc");
        EXPECT_EQ(store.remembered(a, make("drawn from a")), "drawn from a");
        EXPECT_EQ(store.remembered(b, make("drawn from b")), "drawn from b");
        EXPECT_EQ(store.remembered(a, make("again")), "drawn from a");  // recalled: not made again
        EXPECT_EQ(store.zlib(a, 1), compress::zlib(a, 1));
        EXPECT_EQ(made, 2);
        store.end_build();
        EXPECT_EQ(store.remembered(a, make("again")), "drawn from a");
        EXPECT_EQ(made, 2);
        store.end_build();  // b let go
    }
    DeflatedStore store(file, "folio 1+abc");
    EXPECT_EQ(store.remembered(a, make("again")), "drawn from a");
    EXPECT_EQ(store.remembered(b, make("b anew")), "b anew");
    EXPECT_EQ(made, 3);
    DeflatedStore other(file, "folio 2+abc");  // another program's answers are not these
    EXPECT_EQ(other.remembered(a, make("a in folio 2")), "a in folio 2");
}

// A file another program wrote (another stamp: another folio, another
// libdeflate) is never answered from; a damaged one is ignored, counted, and
// written again whole.
TEST(DeflatedStore, AFileOfAnotherProgramOrDamagedIsNotUsed) {
    test::ScratchDir dir;
    const std::filesystem::path file = dir / "deflated";
    const std::string a = page(1), b = page(2);
    {
        DeflatedStore store(file, "folio 1+abc");
        (void)store.zlib(a, 1);
        (void)store.zlib(b, 1);
        store.end_build();
    }
    {
        DeflatedStore other(file, "folio 1+def");
        EXPECT_EQ(other.zlib(a, 1), compress::zlib(a, 1));
        const DeflatedStore::Counts c = other.take_counts();
        EXPECT_EQ(c.reused, 0);
        EXPECT_EQ(c.deflated, 1);
    }
    std::map<std::filesystem::path, std::string> whole;
    for (const auto& [bin, inode] : bins(file)) {
        const std::filesystem::path path = DeflatedStore::bin_file(file, bin);
        whole.emplace(path, test::slurp(path));
    }
    const auto damage = [&](const std::function<std::string(const std::string&)>& how) {
        for (const auto& [path, bytes] : whole) test::spit(path, how(bytes));
    };
    const std::vector<std::function<std::string(const std::string&)>> damages = {
        [](const std::string& w) { return w.substr(0, w.size() - 7); },
        [](const std::string& w) { return w.substr(0, 20); },
        [](const std::string&) { return std::string(64, '\0'); },
    };
    for (const auto& how : damages) {
        damage(how);
        {
            DeflatedStore store(file, "folio 1+abc");
            EXPECT_EQ(store.zlib(a, 1), compress::zlib(a, 1));
            EXPECT_EQ(store.zlib(b, 1), compress::zlib(b, 1));
            const DeflatedStore::Counts c = store.take_counts();
            EXPECT_EQ(c.ignored, static_cast<long>(whole.size()));
            EXPECT_EQ(c.deflated, 2);
            store.end_build();
        }
        DeflatedStore again(file, "folio 1+abc");
        (void)again.zlib(a, 1);
        (void)again.zlib(b, 1);
        const DeflatedStore::Counts c = again.take_counts();
        EXPECT_EQ(c.ignored, 0);
        EXPECT_EQ(c.reused, 2);
    }
    damage([](const std::string& w) {
        std::string flipped = w;
        flipped[flipped.size() / 2] ^= 0x10;
        return flipped;
    });
    DeflatedStore store(file, "folio 1+abc");
    EXPECT_EQ(store.zlib(a, 1), compress::zlib(a, 1));
    EXPECT_EQ(store.take_counts().ignored, static_cast<long>(whole.size()));
}

// A build that deflates one buffer anew and lets one go writes again at most the
// two bins they are in, not every buffer the store holds; the one file that earlier
// folios kept is removed; a bin left empty is removed too.
TEST(DeflatedStore, ABuildWritesAgainOnlyTheBinsItChanged) {
    test::ScratchDir dir;
    const std::filesystem::path file = dir / "deflated";
    test::spit(file, "what an earlier folio kept in one file");
    constexpr int kPages = 200;
    {
        DeflatedStore store(file, "folio 1+abc");
        for (int n = 0; n < kPages; ++n) (void)store.zlib(page(n), 1);
        store.end_build();
    }
    EXPECT_FALSE(std::filesystem::exists(file));
    const auto before = bins(file);
    ASSERT_EQ(before.size(), DeflatedStore::kBins);  // 200 pages fill every bin
    {
        DeflatedStore store(file, "folio 1+abc");
        for (int n = 1; n < kPages; ++n) EXPECT_EQ(store.zlib(page(n), 1), compress::zlib(page(n), 1));
        EXPECT_EQ(store.zlib(page(kPages), 1), compress::zlib(page(kPages), 1));  // page 0 let go, a new one
        const DeflatedStore::Counts c = store.take_counts();
        EXPECT_EQ(c.reused, kPages - 1);
        EXPECT_EQ(c.deflated, 1);
        store.end_build();
    }
    const auto after = bins(file);
    ASSERT_EQ(after.size(), DeflatedStore::kBins);
    long written = 0;
    for (const auto& [bin, inode] : after) written += before.at(bin) != inode;
    EXPECT_GE(written, 1);
    EXPECT_LE(written, 2);
    {
        DeflatedStore store(file, "folio 1+abc");
        for (int n = 1; n <= kPages; ++n) (void)store.zlib(page(n), 1);
        EXPECT_EQ(store.take_counts().reused, kPages);
        store.end_build();
    }
    {
        DeflatedStore store(file, "folio 1+abc");  // asks for one page: every other bin let go
        (void)store.zlib(page(1), 1);
        store.end_build();
    }
    EXPECT_EQ(bins(file).size(), 1u);
}

}  // namespace
}  // namespace folio::cache
