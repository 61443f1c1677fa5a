#include "cache/paragraphs.hpp"

#include "core/error.hpp"
#include "core/files.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

#include <elf.h>
#include <link.h>

namespace folio::cache {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'f', 'o', 'l', 'i', 'o', 'P', 'A', 'R'};
constexpr std::uint32_t kFormat = 1;
constexpr std::size_t kHeader = sizeof kMagic + 4 + 8 + 8 + 8;  // magic, format, count, length, checksum
constexpr std::size_t kEntryHead = 8 + 8 + 4;                   // key, length

std::string hex(std::uint64_t v) {
    char s[17];
    std::snprintf(s, sizeof s, "%016llx", static_cast<unsigned long long>(v));
    return s;
}

template <class T>
void put(std::string& out, T v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <class T>
T get(std::string_view in, std::size_t at) {
    T v;
    std::memcpy(&v, in.data() + at, sizeof v);
    return v;
}

// The GNU build ID of the running program, as hex ("" if the linker wrote none).
std::string build_id() {
    std::string id;
    dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void* out) {
            // The first object is the program itself.
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const ElfW(Phdr)& ph = info->dlpi_phdr[i];
                if (ph.p_type != PT_NOTE) continue;
                const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
                const char* end = p + ph.p_memsz;
                while (p + sizeof(ElfW(Nhdr)) <= end) {
                    ElfW(Nhdr) note;
                    std::memcpy(&note, p, sizeof note);
                    const char* name = p + sizeof note;
                    const char* desc = name + ((note.n_namesz + 3) & ~3u);
                    if (desc + note.n_descsz > end) break;
                    if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
                        auto& s = *static_cast<std::string*>(out);
                        for (std::size_t k = 0; k < note.n_descsz; ++k) {
                            char h[3];
                            std::snprintf(h, sizeof h, "%02x", static_cast<unsigned char>(desc[k]));
                            s += h;
                        }
                        return 1;
                    }
                    p = desc + ((note.n_descsz + 3) & ~3u);
                }
            }
            return 1;  // the program has no build ID: stop at it all the same
        },
        &id);
    return id;
}

std::string header_of(std::uint64_t count, std::string_view body) {
    std::string out(kMagic, sizeof kMagic);
    put(out, kFormat);
    put(out, count);
    put(out, static_cast<std::uint64_t>(body.size()));
    put(out, static_cast<std::uint64_t>(XXH3_64bits(body.data(), body.size())));
    return out;
}

void put_entry(std::string& out, const layout::MemoKey& key, std::string_view record) {
    put(out, key.low);
    put(out, key.high);
    put(out, static_cast<std::uint32_t>(record.size()));
    out.append(record);
}

// The `count` entries of a body, or nullopt if it is not exactly that.
std::optional<std::vector<KeyedRecord>> entries_of(std::string_view body, std::uint64_t count) {
    if (count > body.size() / kEntryHead) return std::nullopt;
    std::vector<KeyedRecord> out;
    out.reserve(count);
    std::size_t at = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (body.size() - at < kEntryHead) return std::nullopt;
        const layout::MemoKey key{get<std::uint64_t>(body, at), get<std::uint64_t>(body, at + 8)};
        const auto size = get<std::uint32_t>(body, at + 16);
        at += kEntryHead;
        if (size > body.size() - at) return std::nullopt;
        out.emplace_back(key, body.substr(at, size));
        at += size;
    }
    if (at != body.size()) return std::nullopt;
    return out;
}

}  // namespace

fs::path folder_of(const fs::path& out_dir) {
    return out_dir / kFolderName;
}

std::string book_tag(const fs::path& book_dir) {
    std::error_code ec;
    fs::path book = fs::weakly_canonical(book_dir, ec);
    if (ec) book = book_dir;
    const std::string b = book.string();
    return hex(XXH3_64bits(b.data(), b.size()));
}

void tend_folder(const fs::path& folder) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return;
    remove_abandoned_files(folder, is_temporary_name);
    // Backup and archiving tools that honour cache directory tags skip the folder.
    const fs::path tag = folder / "CACHEDIR.TAG";
    if (!fs::exists(tag, ec))
        replace_file_quickly(tag, {"Signature: 8a477f597d28d172789f06886806bc55\n"
                                   "# This file is a cache directory tag created by folio: what the books built\n"
                                   "# into the folder above set and compressed before. `folio clean` removes it.\n"});
}

std::string program_stamp(std::string_view version) {
    return std::string(version) + "+" + build_id();
}

std::string write_paragraph_file(const std::vector<KeyedRecord>& records) {
    std::string body;
    for (const auto& [key, record] : records) put_entry(body, key, record);
    return header_of(records.size(), body) + body;
}

std::optional<std::vector<KeyedRecord>> read_paragraph_file(std::string_view bytes) {
    if (bytes.size() < kHeader || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
    if (get<std::uint32_t>(bytes, sizeof kMagic) != kFormat) return std::nullopt;
    const auto count = get<std::uint64_t>(bytes, sizeof kMagic + 4);
    const auto length = get<std::uint64_t>(bytes, sizeof kMagic + 12);
    const std::string_view body = bytes.substr(kHeader);
    if (length != body.size()) return std::nullopt;
    if (get<std::uint64_t>(bytes, sizeof kMagic + 20) != XXH3_64bits(body.data(), body.size())) return std::nullopt;
    return entries_of(body, count);
}

ParagraphStore::ParagraphStore(std::optional<fs::path> folder, const fs::path& book_dir, std::string setting,
                               std::string stamp, std::size_t memory_budget)
    : m_folder(std::move(folder)),
      m_prefix(setting + "-" + book_tag(book_dir) + "-"),
      m_stamp(std::move(stamp)),
      m_budget(memory_budget) {}

ParagraphStore::~ParagraphStore() = default;

void ParagraphStore::set_context(std::string_view context) {
    std::string all = m_stamp;
    all += '\0';
    all += context;
    m_seed = XXH3_64bits(all.data(), all.size());
}

layout::MemoKey ParagraphStore::key(std::string_view material) const {
    const XXH128_hash_t h = XXH3_128bits_withSeed(material.data(), material.size(), m_seed);
    return {h.low64, h.high64};
}

fs::path ParagraphStore::file_of(const std::string& group) const {
    return *m_folder / (m_prefix + hex(XXH3_64bits(group.data(), group.size())) + ".lines");
}

ParagraphStore::Group& ParagraphStore::group(const std::string& name) {
    std::lock_guard lock(m_mutex);
    std::unique_ptr<Group>& g = m_groups[name];
    if (!g) g = std::make_unique<Group>();
    return *g;
}

void ParagraphStore::open(const std::string& name, Group& g) {
    g.open = true;
    if (!m_folder) return;  // in memory: what the last build used is in `file`
    std::string bytes;
    try {
        bytes = read_file(file_of(name));
    } catch (const Error&) {
        return;  // none yet
    }
    const std::optional<std::vector<KeyedRecord>> records = read_paragraph_file(bytes);
    if (!records) {
        g.changed = true;  // written again whole
        std::lock_guard lock(m_mutex);
        ++m_counts.ignored;
        return;
    }
    g.file = std::move(bytes);
    g.on_disk = records->size();
    for (const auto& [key, record] : *records) {
        const std::size_t at = static_cast<std::size_t>(record.data() - g.file.data()) - kEntryHead;
        // Opened again in the same build (an article set again): what this build
        // used before stays used.
        if (!g.keys.contains(key))
            g.earlier.emplace(key, at);
        else if (g.used.emplace(key, Used{false, at}).second)
            g.order.push_back(key);
    }
}

std::string_view ParagraphStore::body_of(const Group& g, bool with_unused, std::string& scratch) {
    const bool all_fresh = std::all_of(g.used.begin(), g.used.end(), [](const auto& u) { return u.second.fresh; });
    if (all_fresh && (!with_unused || g.earlier.empty())) return g.fresh;  // set anew, in the order they were set
    const auto append = [&](const std::string& from, std::size_t at) {
        scratch.append(from, at, kEntryHead + get<std::uint32_t>(from, at + 16));
    };
    for (const layout::MemoKey& key : g.order) {
        const Used& u = g.used.at(key);
        append(u.fresh ? g.fresh : g.file, u.at);
    }
    if (with_unused)
        for (const auto& [key, at] : g.earlier) append(g.file, at);
    return scratch;
}

void ParagraphStore::write(const std::string& name, Group& g, bool with_unused) {
    std::string scratch;
    const std::string_view body = body_of(g, with_unused, scratch);
    const std::size_t count = g.used.size() + (with_unused ? g.earlier.size() : 0);
    std::error_code ec;
    fs::create_directories(*m_folder, ec);
    if (replace_file_quickly(file_of(name), {header_of(count, body), body})) g.on_disk = count;
}

void ParagraphStore::close(const std::string& name, Group& g) {
    // Records not used yet stay: the article may be set again in this build (a
    // print cross-reference, once its page is known); save() lets them go.
    if (g.changed) write(name, g, /*with_unused=*/true);
    std::string().swap(g.file);
    std::string().swap(g.fresh);
    decltype(g.earlier)().swap(g.earlier);
    decltype(g.used)().swap(g.used);
    std::vector<layout::MemoKey>().swap(g.order);
    g.open = g.changed = false;
}

std::string ParagraphStore::recall(const std::string& name, const layout::MemoKey& key) {
    Group& g = group(name);
    std::string out;
    {
        std::lock_guard lock(g.mutex);
        if (!g.open) open(name, g);
        std::size_t at;
        const std::string* from;
        if (const auto it = g.used.find(key); it != g.used.end()) {
            at = it->second.at;
            from = it->second.fresh ? &g.fresh : &g.file;
        } else if (const auto old = g.earlier.find(key); old != g.earlier.end()) {
            at = old->second;
            from = &g.file;
            g.used.emplace(key, Used{false, at});
            g.order.push_back(key);
            g.keys.insert(key);
            g.earlier.erase(old);
        } else {
            return {};
        }
        out.assign(*from, at + kEntryHead, get<std::uint32_t>(*from, at + 16));
    }
    std::lock_guard lock(m_mutex);
    ++m_counts.recalled;
    return out;
}

void ParagraphStore::keep(const std::string& name, const layout::MemoKey& key, std::string record) {
    if (!m_folder) {
        std::lock_guard lock(m_mutex);
        ++m_counts.set;
        if (m_held + record.size() > m_budget) return;  // set again next time
        m_held += record.size();
    }
    Group& g = group(name);
    {
        std::lock_guard lock(g.mutex);
        if (!g.open) open(name, g);
        if (!g.used.emplace(key, Used{true, g.fresh.size()}).second) return;  // set meanwhile by another thread
        g.order.push_back(key);
        g.keys.insert(key);
        put_entry(g.fresh, key, record);
        g.changed = true;
    }
    if (!m_folder) return;  // counted above
    std::lock_guard lock(m_mutex);
    ++m_counts.set;
}

void ParagraphStore::finish(const std::string& name) {
    if (!m_folder) return;  // in memory until the next build
    Group& g = group(name);
    std::lock_guard lock(g.mutex);
    if (g.open) close(name, g);
}

void ParagraphStore::save() {
    std::lock_guard lock(m_mutex);
    if (!m_folder) {
        // What this build used is what the next finds; the rest goes.
        m_held = 0;
        for (auto it = m_groups.begin(); it != m_groups.end();) {
            Group& g = *it->second;
            if (g.keys.empty()) {
                it = m_groups.erase(it);
                continue;
            }
            std::string scratch;
            std::string body(body_of(g, /*with_unused=*/false, scratch));
            const std::optional<std::vector<KeyedRecord>> records = entries_of(body, g.used.size());
            for (const auto& [key, record] : *records) m_held += record.size();
            g.file = std::move(body);
            decltype(g.earlier)().swap(g.earlier);
            for (const auto& [key, record] : *records)
                g.earlier.emplace(key, static_cast<std::size_t>(record.data() - g.file.data()) - kEntryHead);
            std::string().swap(g.fresh);
            decltype(g.used)().swap(g.used);
            decltype(g.keys)().swap(g.keys);
            g.order.clear();
            g.changed = false;
            ++it;
        }
        return;
    }
    std::vector<std::string> mine;
    for (const auto& [name, g] : m_groups) {
        if (g->keys.empty()) continue;
        // Its file holds records this build did not use: only the used stay.
        if ((g->open && g->changed) || g->on_disk != g->keys.size()) {
            if (!g->open) open(name, *g);
            write(name, *g, /*with_unused=*/false);
            g->changed = false;  // so that closing it does not write it again with what it did not use
        }
        close(name, *g);
        mine.push_back(file_of(name).filename().string());
        decltype(g->keys)().swap(g->keys);
    }
    std::error_code ec;
    if (!fs::is_directory(*m_folder, ec)) return;
    tend_folder(*m_folder);
    // The files of articles (and measures) this book no longer has.
    std::sort(mine.begin(), mine.end());
    for (const auto& e : fs::directory_iterator(*m_folder, ec)) {
        const std::string name = e.path().filename().string();
        if (name.starts_with(m_prefix) && name.ends_with(".lines") &&
            !std::binary_search(mine.begin(), mine.end(), name))
            fs::remove(e.path(), ec);
    }
}

ParagraphStore::Counts ParagraphStore::take_counts() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_counts, Counts{});
}

}  // namespace folio::cache
