// The incremental cache's paragraphs: each paragraph the typesetter set, kept in
// OUT/.folio-cache/ between builds so that a build after an edit sets again only
// the paragraphs whose inputs changed (layout::ParagraphMemo). Keyed by a hash of
// everything the lines depend on, so a record is used only for the same inputs;
// an article's paragraphs, and the index that finds them, are checked whole (a
// checksum) before any record of them is read, and what fails is ignored and
// written again. Used by `build` only.
#pragma once

#include "core/files.hpp"
#include "layout/paragraph.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace folio::cache {

// The cache folder of an output folder, and its name inside it.
inline constexpr const char* kFolderName = ".folio-cache";
std::filesystem::path folder_of(const std::filesystem::path& out_dir);

// What every writer of the folder does after writing: removes the temporary files
// a killed writer left, and tags the folder for backup tools (CACHEDIR.TAG).
void tend_folder(const std::filesystem::path& folder);

// A book's mark in the names of its files (a hash of its folder's path): books
// built into the same output folder keep their own.
std::string book_tag(const std::filesystem::path& book_dir);

// What makes two folio programs set a paragraph alike: the version, and the build
// ID the linker gave this program (a rebuilt folio of the same version is another).
std::string program_stamp(std::string_view version);

// Where a group's bytes (a paragraph file) are in a folder: the shelf, named by a
// hash of its bytes, and their place in it.
struct ShelfPlace {
    std::uint64_t shelf = 0;
    std::uint64_t at = 0, size = 0;
    friend bool operator==(const ShelfPlace&, const ShelfPlace&) = default;
};

// One setting's paragraphs (`setting`: "pdf" or "print", whose options differ) of
// the book at `book_dir`, one group per article and measure (the memo's group).
// Kept in `folder` (see below), each group written when its article is set and
// dropped from memory then; or, without a folder, in memory from one build to the
// next (folio watch and serve, which build again in the same process), up to
// `memory_budget` bytes of records: a long book's paragraphs beyond it are set
// again at every build rather than held.
//
// In a folder, groups are written one after another into shelves of about
// kShelfBytes, and an index names each group's shelf and place: a file per group
// made the kernel's work of creating files more than that of writing the records
// (the 1,000-article book's 220 MB as 2,000 files, each written and renamed into
// a folder just emptied: 0.7 s of system time, against 0.06 s as 16 files). A
// build after an edit writes only its new groups, in a
// shelf of their own, and the index; a shelf less than half of whose bytes are
// still used, or one of many small ones, is copied into a new shelf and let go.
// Builds sharing the folder each hold a shared lock on the setting's lock file from
// reading the index to writing theirs; a build that then finds itself alone (an
// exclusive lock) removes the shelves no index names: neither a build still
// reading them nor one whose index is not yet written can be running then.
class ParagraphStore final : public layout::ParagraphMemo {
public:
    static constexpr std::size_t kMemoryBudget = std::size_t{128} << 20;
    static constexpr std::size_t kShelfBytes = std::size_t{16} << 20;
    static constexpr std::size_t kDeferredBudget = std::size_t{64} << 20;
    ParagraphStore(std::optional<std::filesystem::path> folder, const std::filesystem::path& book_dir,
                   std::string setting, std::string stamp, std::size_t memory_budget = kMemoryBudget);
    ParagraphStore(const ParagraphStore&) = delete;
    ParagraphStore& operator=(const ParagraphStore&) = delete;
    ~ParagraphStore() override;

    void set_context(std::string_view context) override;
    layout::MemoKey key(std::string_view material) const override;
    bool read_kept(const std::string& group, const layout::MemoKey& key,
                   const std::function<bool(const Kept&)>& read) override;
    void keep(const std::string& group, const layout::MemoKey& key, std::string record) override;
    void finish(const std::string& group) override;

    // After a setting: what was kept and not used by it is let go. In a folder, each
    // group's file is written again if what the setting used differs from what it
    // held (a record new, or one no longer used), and this book's files of this
    // setting that no group used are removed. A folder that cannot be written costs
    // the next build its speed, never this one its output: failures are ignored.
    void save();

    struct Counts {
        long recalled = 0;  // paragraphs read back
        long set = 0;       // paragraphs set, their records kept
        long ignored = 0;   // groups and indexes not whole (truncated, altered, another format), ignored
    };
    // Since they were last taken.
    Counts take_counts();

private:
    // A record in use by this setting: in the group's `file`, or among its `fresh` entries.
    struct Used {
        bool fresh;
        std::size_t at;  // where its entry begins
    };
    struct Group {
        std::mutex mutex;
        bool open = false;     // its records are in memory (in a folder: read from its file)
        bool changed = false;  // something set since it was opened
        bool deferred = false;  // finished, and held open until save()
        Bytes file;             // the records kept before: a file's bytes, or the last build's entries
        std::unordered_map<layout::MemoKey, std::size_t, layout::MemoKeyHash> earlier;  // in `file`, not used yet
        std::unordered_map<layout::MemoKey, Used, layout::MemoKeyHash> used;            // since it was opened
        std::vector<layout::MemoKey> order;                                 // `used`'s keys in the order they were used
        std::vector<std::pair<layout::MemoKey, std::string>> fresh;         // the records set since it was opened
        std::size_t fresh_bytes = 0;
        std::unordered_set<layout::MemoKey, layout::MemoKeyHash> keys;  // every record this setting used
        std::size_t on_disk = 0;                            // records its file holds
    };
    Group& group(const std::string& name);
    void open(const std::string& name, Group& g);
    // The entries of what was used since the group was opened (and, `with_unused`,
    // of what it held and was not), as a file's body in pieces: the entries kept
    // before as they are in `file`, each fresh record after its entry's head,
    // written in `heads`.
    static std::vector<std::string_view> pieces_of(const Group& g, bool with_unused, std::string& heads);
    void write(const std::string& name, Group& g, bool with_unused);
    void close(const std::string& name, Group& g);  // written if it changed; memory freed

    // ---- the folder's shelves (under m_shelf_mutex) ----
    // Where a group's bytes are: in a shelf, or in the shelf being filled.
    struct Place : ShelfPlace {
        bool pending = false;  // in m_pending
        friend bool operator==(const Place&, const Place&) = default;
    };
    static layout::MemoKey id_of(const std::string& group);
    std::filesystem::path path_of(std::string_view what) const;  // m_prefix + what
    void read_index_locked();
    // The bytes of the group `id` as this build last placed them, or as the index
    // had them; nullopt when there are none (or its shelf is gone).
    std::optional<Bytes> read_group(const layout::MemoKey& id);
    std::optional<Bytes> read_at_locked(const Place& p);
    void place_locked(const layout::MemoKey& id, std::string_view header, std::span<const std::string_view> body);
    void flush_locked();
    // A shelf's bytes, mapped (read_file_bytes), or nullopt when it cannot be read.
    using Shelf = std::optional<Bytes>;
    const Shelf& shelf_locked(std::uint64_t shelf);
    // A group's bytes from its shelf: what is there, which its check refuses if the
    // shelf was cut short.
    static std::optional<Bytes> read_at(const Shelf& shelf, const ShelfPlace& p);
    // After the index is written: removes what no index names, if no other build
    // of this setting is between reading the index and writing its own.
    void sweep_if_alone();
    void close_folder_locked();

    std::optional<std::filesystem::path> m_folder;
    std::string m_prefix;  // "<setting>-<book hash>-": this store's files
    std::string m_stamp;
    std::uint64_t m_seed = 0;
    mutable std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<Group>> m_groups;
    std::atomic<std::uint64_t> m_generation{0};  // a group removed since: what threads remember is not
    // A number no other store of the process has had (group()'s memory of the last).
    const std::uint64_t m_id = ++s_stores;
    static inline std::atomic<std::uint64_t> s_stores{0};
    std::atomic<std::size_t> m_deferred{0};                   // bytes of groups held open until save()
    std::atomic<long> m_recalled{0}, m_set{0}, m_ignored{0};  // Counts, since taken
    std::size_t m_budget;    // in memory: the most record bytes held
    std::size_t m_held = 0;  // in memory: record bytes held (under m_mutex)

    std::mutex m_shelf_mutex;
    bool m_index_read = false;
    int m_lock_fd = -1;  // held shared from reading the index to writing it
    std::unordered_map<layout::MemoKey, Place, layout::MemoKeyHash> m_index;   // the last build's
    std::unordered_map<layout::MemoKey, Place, layout::MemoKeyHash> m_placed;  // this build's
    std::string m_pending;                                                     // the shelf being filled
    std::vector<layout::MemoKey> m_pending_ids;
    std::map<std::uint64_t, Shelf> m_shelves;  // opened for reading
};

// A paragraph file: a header (what it is, its format, its count of records, the
// length and checksum of the rest), then each record with its key and length. Read
// back only whole: nullopt for bytes that are not exactly such a file (the store's
// reader, which a fuzz target drives).
using KeyedRecord = std::pair<layout::MemoKey, std::string_view>;
std::string write_paragraph_file(const std::vector<KeyedRecord>& records);
// The same file as its header and its body, to write as they are (a long book's
// pages: tens of MB not copied again into one string).
std::pair<std::string, std::string> paragraph_file_pieces(const std::vector<KeyedRecord>& records);
std::optional<std::vector<KeyedRecord>> read_paragraph_file(std::string_view bytes);

// A setting's index: a paragraph file whose records are the places of its groups,
// under a hash of each group's name. Read back only whole, as the paragraph files.
using GroupPlace = std::pair<layout::MemoKey, ShelfPlace>;
std::string write_shelf_index(std::vector<GroupPlace> places);
std::optional<std::vector<GroupPlace>> read_shelf_index(std::string_view bytes);
// A shelf's file name, after the store's prefix.
std::string shelf_file_name(std::uint64_t shelf);

}  // namespace folio::cache
