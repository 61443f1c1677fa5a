// File I/O with folio's guarantees: errors name the file, and an output is replaced
// only by a complete new one (write to a temporary file beside it, then rename).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace folio {

// Reads a whole file; throws Error("cannot read '…': reason").
std::string read_file(const std::filesystem::path& path);

// Bytes held in memory that is not filled before they are read into it, a
// string's, or a piece of a file mapped into memory: a std::string is zeroed as it
// is sized, and the cache reads hundreds of megabytes (a build after an edit of the
// 1,000-article book spent 1 to 2.6 % of its time zeroing what the kernel then
// overwrote, and up to a quarter faulting in the buffers it read into).
class Bytes {
public:
    Bytes() = default;
    explicit Bytes(std::string s) : m_string(std::move(s)), m_size(m_string.size()) {}
    // The string's bytes, held where they are by whoever holds mapping(), as a
    // file's mapped bytes are: what is read from them may point into them.
    static Bytes lasting(std::string s);
    static Bytes unfilled(std::size_t size) {
        Bytes b;
        b.m_raw.reset(new char[size]);  // default-initialised: not filled
        b.m_size = size;
        return b;
    }
    // Where to read into: unfilled() Bytes' memory (read_bytes_at's).
    char* unfilled_data() { return m_raw.get(); }
    const char* data() const { return m_mapped ? m_mapped : m_raw ? m_raw.get() : m_string.data(); }
    std::size_t size() const { return m_size; }
    std::string_view view() const { return {data(), m_size}; }
    // Keeps the first `size` bytes (a read that stopped short).
    void cut(std::size_t size) {
        m_size = std::min(size, m_size);
        if (!m_raw && !m_mapped) m_string.resize(m_size);
    }
    // `size` bytes from `offset` (as many as there are): of the same mapping when
    // these bytes are mapped, else copied.
    Bytes piece(std::size_t offset, std::size_t size) const;
    // What keeps mapped or lasting() bytes where they are (null for others): held,
    // they stay there.
    const std::shared_ptr<const void>& mapping() const { return m_mapping; }

private:
    friend Bytes map_file_bytes(int fd, std::size_t size);
    std::string m_string;
    std::unique_ptr<char[]> m_raw;
    std::shared_ptr<const void> m_mapping;  // unmapped (or freed) when the last Bytes of it goes
    const char* m_mapped = nullptr;         // a mapping's bytes, or a lasting() string's
    std::size_t m_size = 0;
};

// The first `size` bytes of the open regular file `fd`, mapped read-only: what the
// page cache holds, neither copied nor zeroed first. Empty Bytes when it cannot be
// mapped. Only for files that are replaced by renaming, never changed in place (a
// mapped file cut short under the mapping ends the process with SIGBUS): the
// cache's files.
Bytes map_file_bytes(int fd, std::size_t size);

// The same as read_file(), into Bytes. `mapped`: a regular file is mapped
// (map_file_bytes), for files only ever replaced by renaming.
Bytes read_file_bytes(const std::filesystem::path& path, bool mapped = false);

// Up to `size` bytes of the open file `fd` from `offset`, into Bytes: fewer where
// the file ends first or a read fails (its errno then in `*error`, when given).
Bytes read_bytes_at(int fd, std::uint64_t offset, std::size_t size, int* error = nullptr);

// Writes `bytes` to a hidden temporary file in the target's folder, flushes it to
// disk, and renames it over `path`. On any failure the temporary file is removed,
// `path` is left as it was, and Error is thrown.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// The same for a writer that wants a file name (a library that writes files itself):
// `write` fills the temporary file it is given, which then replaces `path`.
// `before_replacing`, given, is called once the file is complete and flushed, just
// before it replaces `path`: it may wait, and what it throws leaves `path` as it was.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(const std::filesystem::path& temporary)>& write,
                           const std::function<void()>& before_replacing = {});

// The same replacement for a cache's file: not flushed to disk (a file cut short by
// a crash must be one its reader refuses), and without first sweeping the folder
// for what killed writers left (its writer does that once, with
// remove_abandoned_files and is_temporary_name). False on any failure.
bool replace_file_quickly(const std::filesystem::path& path, std::initializer_list<std::string_view> pieces);

// Whether a file name is one of the temporary files the writers above make.
bool is_temporary_name(const std::string& name);

// Removes the files in `dir` that `is_temporary` names and that a killed writer left:
// a writer holds an flock on its temporary file until it renames it, so a file
// whose lock can be taken has no writer any more.
void remove_abandoned_files(const std::filesystem::path& dir,
                            const std::function<bool(const std::string&)>& is_temporary);

// Takes the writer's flock on the temporary file `fd` it has just created. False
// when a sweep by another writer (remove_abandoned_files) removed the file in the
// moment between its creation and the lock: the writer then closes it and creates
// another, or its rename would fail (or, for a build's outputs, its build).
bool lock_new_temporary(int fd);

// Creates the folder (and its parents) or throws Error naming it.
void ensure_directory(const std::filesystem::path& dir);

}  // namespace folio
