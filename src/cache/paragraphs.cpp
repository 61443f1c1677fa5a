#include "cache/paragraphs.hpp"

#include "core/error.hpp"
#include "core/files.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <set>

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/file.h>
#include <unistd.h>

namespace folio::cache {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'f', 'o', 'l', 'i', 'o', 'P', 'A', 'R'};
// 2: each record followed by zeros to a multiple of kAlign bytes, so that every
// record lies aligned in memory (its glyphs are read as views of it: layout::GlyphArray).
constexpr std::uint32_t kFormat = 2;
constexpr std::size_t kAlign = 4;
constexpr std::size_t kHeader = sizeof kMagic + 4 + 8 + 8 + 8;  // magic, format, count, length, checksum
constexpr std::size_t kEntryHead = 8 + 8 + 4;                   // key, length
constexpr std::size_t kEntryLength = 8 + 8;                     // where an entry's head holds its length
constexpr std::size_t kPlaceBytes = 8 + 8 + 8;                  // an index's record: shelf, at, size
static_assert(kHeader % kAlign == 0 && kEntryHead % kAlign == 0, "records begin aligned");
constexpr char kZeros[kAlign] = {};

// The zeros after a record of `size` bytes.
constexpr std::size_t padding(std::size_t size) {
    return (kAlign - size % kAlign) % kAlign;
}
std::string_view padding_of(std::size_t size) {
    return {kZeros, padding(size)};
}

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

std::string header_of(std::uint64_t count, std::uint64_t length, std::uint64_t checksum) {
    std::string out(kMagic, sizeof kMagic);
    put(out, kFormat);
    put(out, count);
    put(out, length);
    put(out, checksum);
    return out;
}

std::string header_of(std::uint64_t count, std::string_view body) {
    return header_of(count, body.size(), XXH3_64bits(body.data(), body.size()));
}

// The header of a body written as `pieces`, one after another.
std::string header_of(std::uint64_t count, std::span<const std::string_view> pieces) {
    const std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(XXH3_createState(), XXH3_freeState);
    if (!state) throw std::bad_alloc();
    XXH3_64bits_reset(state.get());
    std::uint64_t length = 0;
    for (std::string_view p : pieces) {
        XXH3_64bits_update(state.get(), p.data(), p.size());
        length += p.size();
    }
    return header_of(count, length, XXH3_64bits_digest(state.get()));
}

void put_head(std::string& out, const layout::MemoKey& key, std::size_t size) {
    put(out, key.low);
    put(out, key.high);
    put(out, static_cast<std::uint32_t>(size));
}

void put_entry(std::string& out, const layout::MemoKey& key, std::string_view record) {
    put_head(out, key, record.size());
    out.append(record);
    out.append(padding_of(record.size()));
}

// An entry's bytes: its head, its record and the record's padding.
std::size_t entry_size(std::size_t record) {
    return kEntryHead + record + padding(record);
}

// The length of the record of the entry that begins at `at` in `bytes`.
std::size_t record_size_at(std::string_view bytes, std::size_t at) {
    return get<std::uint32_t>(bytes, at + kEntryLength);
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
        const auto size = record_size_at(body, at);
        at += kEntryHead;
        if (size > body.size() - at || padding(size) > body.size() - at - size) return std::nullopt;
        out.emplace_back(key, body.substr(at, size));
        at += size + padding(size);
    }
    if (at != body.size()) return std::nullopt;
    return out;
}

// The start of a setting's files of a book ("pdf-<book hash>-"): its index, lock
// and shelves are named after it.
std::string store_prefix(std::string_view setting, const fs::path& book_dir) {
    return std::string(setting) + "-" + book_tag(book_dir) + "-";
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

std::pair<std::string, std::string> paragraph_file_pieces(const std::vector<KeyedRecord>& records) {
    std::size_t size = 0;
    for (const auto& [key, record] : records) size += entry_size(record.size());
    std::string body;
    body.reserve(size);
    for (const auto& [key, record] : records) put_entry(body, key, record);
    return {header_of(records.size(), body), std::move(body)};
}

std::string write_paragraph_file(const std::vector<KeyedRecord>& records) {
    auto [header, body] = paragraph_file_pieces(records);
    return header + body;
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

std::string write_shelf_index(std::vector<GroupPlace> places) {
    // In the order of their keys, so that the same places give the same file.
    std::sort(places.begin(), places.end(), [](const GroupPlace& a, const GroupPlace& b) {
        return std::pair(a.first.low, a.first.high) < std::pair(b.first.low, b.first.high);
    });
    std::string values;
    values.reserve(places.size() * kPlaceBytes);
    for (const auto& [id, p] : places) {
        put(values, p.shelf);
        put(values, p.at);
        put(values, p.size);
    }
    std::vector<KeyedRecord> records;
    records.reserve(places.size());
    for (std::size_t i = 0; i < places.size(); ++i)
        records.emplace_back(places[i].first, std::string_view(values).substr(i * kPlaceBytes, kPlaceBytes));
    return write_paragraph_file(records);
}

std::optional<std::vector<GroupPlace>> read_shelf_index(std::string_view bytes) {
    const std::optional<std::vector<KeyedRecord>> records = read_paragraph_file(bytes);
    if (!records) return std::nullopt;
    std::vector<GroupPlace> out;
    out.reserve(records->size());
    for (const auto& [id, v] : *records) {
        if (v.size() != kPlaceBytes) return std::nullopt;
        out.emplace_back(id, ShelfPlace{get<std::uint64_t>(v, 0), get<std::uint64_t>(v, 8), get<std::uint64_t>(v, 16)});
    }
    return out;
}

std::string shelf_file_name(std::uint64_t shelf) {
    return hex(shelf) + ".shelf";
}

ParagraphStore::ParagraphStore(std::optional<fs::path> folder, const fs::path& book_dir, std::string setting,
                               std::string stamp, std::size_t memory_budget)
    : m_folder(std::move(folder)),
      m_prefix(store_prefix(setting, book_dir)),
      m_stamp(std::move(stamp)),
      m_budget(memory_budget) {}

ParagraphStore::~ParagraphStore() {
    std::lock_guard lock(m_shelf_mutex);
    if (m_folder) close_folder_locked();
}

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

layout::MemoKey ParagraphStore::id_of(const std::string& group) {
    const XXH128_hash_t h = XXH3_128bits(group.data(), group.size());
    return {h.low64, h.high64};
}

fs::path ParagraphStore::path_of(std::string_view what) const {
    return *m_folder / (m_prefix + std::string(what));
}

ParagraphStore::Group& ParagraphStore::group(const std::string& name) {
    // A thread sets one article at a time, and asks for its group at each of its
    // paragraphs: the last one it found, without the store's lock. Groups are
    // removed only between builds (a new `m_generation`).
    struct Last {
        std::uint64_t store = 0, generation = 0;
        std::string name;
        Group* group = nullptr;
    };
    thread_local Last last;
    const std::uint64_t generation = m_generation.load(std::memory_order_relaxed);
    if (last.group && last.store == m_id && last.generation == generation && last.name == name) return *last.group;
    std::lock_guard lock(m_mutex);
    std::unique_ptr<Group>& g = m_groups[name];
    if (!g) g = std::make_unique<Group>();
    last.store = m_id;
    last.generation = generation;
    last.name = name;
    last.group = g.get();
    return *g;
}

void ParagraphStore::open(const std::string& name, Group& g) {
    g.open = true;
    if (!m_folder) return;  // in memory: what the last build used is in `file`
    std::optional<Bytes> bytes = read_group(id_of(name));
    if (!bytes) return;  // none yet
    const std::optional<std::vector<KeyedRecord>> records = read_paragraph_file(bytes->view());
    if (!records) {
        g.changed = true;  // written again whole
        ++m_ignored;
        return;
    }
    g.file = std::move(*bytes);
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

std::vector<std::string_view> ParagraphStore::pieces_of(const Group& g, bool with_unused, std::string& heads) {
    std::vector<std::string_view> out;
    out.reserve(3 * g.order.size() + (with_unused ? g.earlier.size() : 0));
    // The fresh records' heads, written here first: the views into it stay good.
    heads.reserve(kEntryHead * g.fresh.size());
    const auto entry_of_file = [&](std::size_t at) {
        return g.file.view().substr(at, entry_size(record_size_at(g.file.view(), at)));
    };
    for (const layout::MemoKey& key : g.order) {
        const Used& u = g.used.at(key);
        if (!u.fresh) {
            out.push_back(entry_of_file(u.at));
            continue;
        }
        const std::string& record = g.fresh[u.at].second;
        put_head(heads, key, record.size());
        out.push_back(std::string_view(heads).substr(heads.size() - kEntryHead));
        out.push_back(record);
        if (padding(record.size()) > 0) out.push_back(padding_of(record.size()));
    }
    if (with_unused)
        for (const auto& [key, at] : g.earlier) out.push_back(entry_of_file(at));
    return out;
}

void ParagraphStore::write(const std::string& name, Group& g, bool with_unused) {
    std::string heads;
    const std::vector<std::string_view> pieces = pieces_of(g, with_unused, heads);
    const std::size_t count = g.used.size() + (with_unused ? g.earlier.size() : 0);
    const std::string header = header_of(count, pieces);
    std::lock_guard lock(m_shelf_mutex);
    place_locked(id_of(name), header, pieces);
    g.on_disk = count;
}

void ParagraphStore::close(const std::string& name, Group& g) {
    // Records not used yet stay: the article may be set again in this build (a
    // print cross-reference, once its page is known); save() lets them go. A group
    // that changed and holds such records stays open until then, within a budget,
    // so that it is written once, without them (else its shelf would hold it twice).
    if (g.deferred) return;
    if (g.changed && !g.earlier.empty()) {
        const std::size_t bytes = g.file.size() + g.fresh_bytes;
        if (m_deferred.fetch_add(bytes) + bytes <= kDeferredBudget) {
            g.deferred = true;
            return;
        }
        m_deferred -= bytes;
    }
    if (g.changed) write(name, g, /*with_unused=*/true);
    g.file = Bytes();
    decltype(g.fresh)().swap(g.fresh);
    g.fresh_bytes = 0;
    decltype(g.earlier)().swap(g.earlier);
    decltype(g.used)().swap(g.used);
    std::vector<layout::MemoKey>().swap(g.order);
    g.open = g.changed = g.deferred = false;
}

bool ParagraphStore::read_kept(const std::string& name, const layout::MemoKey& key,
                               const std::function<bool(const Kept&)>& read) {
    Group& g = group(name);
    // Read under the group's lock: its bytes stay where they are meanwhile.
    std::lock_guard lock(g.mutex);
    if (!g.open) open(name, g);
    // A record in the group's file lasts as long as the file's mapping (in a
    // folder); one set in this build, or held in memory, only while the lock is held.
    Kept kept;
    const auto in_file = [&](std::size_t at) {
        kept.record = g.file.view().substr(at + kEntryHead, record_size_at(g.file.view(), at));
        kept.lasting = g.file.mapping();
    };
    if (const auto it = g.used.find(key); it != g.used.end()) {
        if (it->second.fresh)
            kept.record = g.fresh[it->second.at].second;
        else
            in_file(it->second.at);
    } else if (const auto old = g.earlier.find(key); old != g.earlier.end()) {
        const std::size_t at = old->second;
        g.used.emplace(key, Used{false, at});
        g.order.push_back(key);
        g.keys.insert(key);
        g.earlier.erase(old);
        in_file(at);
    } else {
        return false;
    }
    ++m_recalled;
    return read(kept);
}

void ParagraphStore::keep(const std::string& name, const layout::MemoKey& key, std::string record) {
    if (!m_folder) {
        ++m_set;
        std::lock_guard lock(m_mutex);
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
        g.fresh_bytes += record.size();
        g.fresh.emplace_back(key, std::move(record));  // not copied: written once, into its shelf
        g.changed = true;
    }
    if (!m_folder) return;  // counted above
    ++m_set;
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
                ++m_generation;
                continue;
            }
            if (!g.changed && g.earlier.empty()) {
                // It used every record it held and set none: its bytes stay as they
                // are (after an edit, nearly every article; copied, the whole book's
                // records were a twentieth of a rebuild's time in folio watch).
                for (const auto& [key, u] : g.used) {
                    g.earlier.emplace(key, u.at);
                    m_held += record_size_at(g.file.view(), u.at);
                }
            } else {
                std::string heads, body;
                for (std::string_view piece : pieces_of(g, /*with_unused=*/false, heads)) body.append(piece);
                const std::optional<std::vector<KeyedRecord>> records = entries_of(body, g.used.size());
                for (const auto& [key, record] : *records) m_held += record.size();
                g.file = Bytes::lasting(std::move(body));  // read back as a file's bytes are: in place
                decltype(g.earlier)().swap(g.earlier);
                for (const auto& [key, record] : *records)
                    g.earlier.emplace(key, static_cast<std::size_t>(record.data() - g.file.data()) - kEntryHead);
                decltype(g.fresh)().swap(g.fresh);
                g.fresh_bytes = 0;
            }
            decltype(g.used)().swap(g.used);
            decltype(g.keys)().swap(g.keys);
            g.order.clear();
            g.changed = false;
            ++it;
        }
        return;
    }
    std::vector<layout::MemoKey> used;
    for (const auto& [name, g] : m_groups) {
        if (g->keys.empty()) continue;
        // It holds records this build did not use: only the used stay.
        if ((g->open && g->changed) || g->on_disk != g->keys.size()) {
            if (!g->open) open(name, *g);
            write(name, *g, /*with_unused=*/false);
            g->changed = false;  // so that closing it does not write it again with what it did not use
        }
        g->deferred = false;
        close(name, *g);
        used.push_back(id_of(name));
        decltype(g->keys)().swap(g->keys);
    }
    m_deferred = 0;
    std::lock_guard shelves(m_shelf_mutex);
    read_index_locked();  // a build that set nothing has not read it yet
    // Each used group where it is now.
    std::unordered_map<layout::MemoKey, Place, layout::MemoKeyHash> index;
    for (const layout::MemoKey& id : used) {
        if (const auto it = m_placed.find(id); it != m_placed.end())
            index.emplace(id, it->second);
        else if (const auto old = m_index.find(id); old != m_index.end())
            index.emplace(id, old->second);
    }
    // Shelves mostly let go, and small shelves once there are many, are copied
    // into the shelf being filled, so that the folder holds about what is used.
    std::map<std::uint64_t, std::uint64_t> before, now;  // shelf -> bytes the index names
    for (const auto& [id, p] : m_index) before[p.shelf] += p.size;
    for (const auto& [id, p] : index)
        if (!p.pending) now[p.shelf] += p.size;
    std::set<std::uint64_t> copied;
    for (const auto& [shelf, bytes] : now)
        if (before.contains(shelf) && bytes < before[shelf] / 2) copied.insert(shelf);
    std::vector<std::uint64_t> small;
    for (const auto& [shelf, bytes] : now)
        if (bytes < kShelfBytes / 4 && !copied.contains(shelf)) small.push_back(shelf);
    if (small.size() > 8) copied.insert(small.begin(), small.end());
    for (auto& [id, p] : index) {
        if (p.pending || !copied.contains(p.shelf)) continue;
        // Its bytes were checked when the build read them, and are checked again
        // when the next reads them.
        if (const std::optional<Bytes> bytes = read_at_locked(p)) {
            const std::string_view whole[] = {bytes->view()};
            place_locked(id, {}, whole);
        }
    }
    flush_locked();
    // Placed by this build: where flushing put them (a shelf that could not be
    // written places nothing, and its groups are set again next time).
    bool changed = index.size() != m_index.size();
    for (auto it = index.begin(); it != index.end();) {
        if (const auto placed = m_placed.find(it->first); placed != m_placed.end()) it->second = placed->second;
        if (it->second.pending) {
            it = index.erase(it);
            changed = true;
            continue;
        }
        const auto old = m_index.find(it->first);
        changed |= old == m_index.end() || !(old->second == it->second);
        ++it;
    }
    if (changed) {
        std::vector<GroupPlace> places;
        places.reserve(index.size());
        for (const auto& [id, p] : index) places.emplace_back(id, p);
        std::error_code ec;
        fs::create_directories(*m_folder, ec);
        replace_file_quickly(path_of("index"), {write_shelf_index(std::move(places))});
    }
    close_folder_locked();
    sweep_if_alone();
    tend_folder(*m_folder);
}

void ParagraphStore::read_index_locked() {
    if (m_index_read) return;
    m_index_read = true;
    std::error_code ec;
    if (!fs::is_directory(*m_folder, ec)) {
        fs::create_directories(*m_folder, ec);
        if (ec) return;
    }
    // Held until this build's index is written: no build alone sweeps meanwhile.
    m_lock_fd = ::open(path_of("lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_lock_fd >= 0 && ::flock(m_lock_fd, LOCK_SH) != 0) {
        ::close(m_lock_fd);
        m_lock_fd = -1;
    }
    std::string bytes;
    try {
        bytes = read_file(path_of("index"));
    } catch (const Error&) {
        return;  // none yet
    }
    const std::optional<std::vector<GroupPlace>> places = read_shelf_index(bytes);
    if (!places) {
        ++m_ignored;
        return;
    }
    for (const auto& [id, p] : *places) m_index.emplace(id, Place{p});
}

std::optional<Bytes> ParagraphStore::read_group(const layout::MemoKey& id) {
    Place p;
    const Shelf* shelf;
    {
        std::lock_guard lock(m_shelf_mutex);
        read_index_locked();
        if (const auto it = m_placed.find(id); it != m_placed.end())
            p = it->second;
        else if (const auto old = m_index.find(id); old != m_index.end())
            p = old->second;
        else
            return std::nullopt;
        if (p.pending) return Bytes(m_pending.substr(p.at, p.size));
        shelf = &shelf_locked(p.shelf);
    }
    // Read outside the lock, the other threads' groups meanwhile: the shelf stays
    // open until the store saves (and std::map's nodes stay put).
    return read_at(*shelf, p);
}

std::optional<Bytes> ParagraphStore::read_at_locked(const Place& p) {
    if (p.pending) return Bytes(m_pending.substr(p.at, p.size));
    return read_at(shelf_locked(p.shelf), p);
}

// Shelves are only ever replaced by renaming, so a mapped one stays as it was read.
std::optional<Bytes> ParagraphStore::read_at(const Shelf& shelf, const ShelfPlace& p) {
    if (!shelf) return std::nullopt;
    // Never more than the shelf holds: an index naming more is not this shelf's.
    if (p.at > shelf->size() || p.size > shelf->size() - p.at) return Bytes();
    return shelf->piece(static_cast<std::size_t>(p.at), static_cast<std::size_t>(p.size));
}

const ParagraphStore::Shelf& ParagraphStore::shelf_locked(std::uint64_t shelf) {
    const auto [it, fresh] = m_shelves.try_emplace(shelf);
    if (!fresh) return it->second;
    try {
        // Mapped rather than read: a build after an edit reads back nearly every
        // group, hundreds of megabytes that, read, were copied into buffers the
        // kernel first zeroed (in 2 MiB pages, up to a quarter of the build's time).
        it->second = read_file_bytes(path_of(shelf_file_name(shelf)), /*mapped=*/true);
    } catch (const Error&) {
        // Gone: its groups are set again.
    }
    return it->second;
}

void ParagraphStore::place_locked(const layout::MemoKey& id, std::string_view header,
                                  std::span<const std::string_view> body) {
    std::size_t size = header.size();
    for (std::string_view piece : body) size += piece.size();
    m_pending.append(padding_of(m_pending.size()));  // each group, and so each record, aligned in the shelf
    const Place p{{0, m_pending.size(), size}, true};
    if (m_pending.empty()) m_pending.reserve(kShelfBytes + p.size);
    m_pending.append(header);
    for (std::string_view piece : body) m_pending.append(piece);
    m_placed[id] = p;
    m_pending_ids.push_back(id);
    if (m_pending.size() >= kShelfBytes) flush_locked();
}

void ParagraphStore::flush_locked() {
    if (m_pending.empty()) return;
    const std::uint64_t shelf = XXH3_64bits(m_pending.data(), m_pending.size());
    std::error_code ec;
    fs::create_directories(*m_folder, ec);
    const bool written = replace_file_quickly(path_of(shelf_file_name(shelf)), {m_pending});
    for (const layout::MemoKey& id : m_pending_ids) {
        auto it = m_placed.find(id);
        if (it == m_placed.end() || !it->second.pending) continue;
        if (!written) {
            m_placed.erase(it);  // set again by the next build
            continue;
        }
        // Every pending place is in this shelf (a group placed twice: its last).
        it->second = Place{{shelf, it->second.at, it->second.size}, false};
    }
    m_pending.clear();  // its memory kept for the next shelf: a long book fills several
    m_pending_ids.clear();
}

void ParagraphStore::close_folder_locked() {
    m_shelves.clear();
    std::string().swap(m_pending);
    m_index.clear();
    m_placed.clear();
    m_index_read = false;
    if (m_lock_fd >= 0) ::close(m_lock_fd);  // this build's index is written
    m_lock_fd = -1;
}

void ParagraphStore::sweep_if_alone() {
    const int fd = ::open(path_of("lock").c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
        // The index as the last build wrote it, which no build is about to replace.
        std::set<std::string> named;
        try {
            const std::string bytes = read_file(path_of("index"));
            if (const auto places = read_shelf_index(bytes))
                for (const auto& [id, p] : *places) named.insert(m_prefix + shelf_file_name(p.shelf));
        } catch (const Error&) {
            // None: every shelf goes.
        }
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(*m_folder, ec)) {
            const std::string name = e.path().filename().string();
            // A shelf no index names, or a group's file of folio before shelves.
            if (name.starts_with(m_prefix) &&
                ((name.ends_with(".shelf") && !named.contains(name)) || name.ends_with(".lines")))
                fs::remove(e.path(), ec);
        }
    }
    ::close(fd);
}
ParagraphStore::Counts ParagraphStore::take_counts() {
    return {m_recalled.exchange(0), m_set.exchange(0), m_ignored.exchange(0)};
}

}  // namespace folio::cache
