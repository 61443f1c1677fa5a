#include "core/files.hpp"

#include "core/error.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace folio {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(std::string("cannot read file: ") + std::strerror(errno), {path.string()});
    // Read in one piece when the size is known (a regular file): a stream copied
    // through a growing buffer allocates and copies the text several times.
    std::string out;
    std::error_code ec;
    if (const auto size = fs::file_size(path, ec); !ec) {
        out.resize(static_cast<std::size_t>(size));
        in.read(out.data(), static_cast<std::streamsize>(size));
        out.resize(static_cast<std::size_t>(in.gcount()));
        if (in.bad()) throw Error("cannot read file", {path.string()});
        if (in.peek() == std::char_traits<char>::eof()) return out;  // else the file grew: read the rest below
        in.clear();
    }
    std::ostringstream rest;
    rest << in.rdbuf();
    if (in.bad()) throw Error("cannot read file", {path.string()});
    return out + std::move(rest).str();
}

Bytes Bytes::lasting(std::string s) {
    if (s.empty()) return Bytes();
    auto held = std::make_shared<const std::string>(std::move(s));
    Bytes b;
    b.m_mapped = held->data();
    b.m_size = held->size();
    b.m_mapping = std::move(held);
    return b;
}

Bytes Bytes::piece(std::size_t offset, std::size_t size) const {
    offset = std::min(offset, m_size);
    size = std::min(size, m_size - offset);
    if (!m_mapped) return Bytes(std::string(data() + offset, size));
    Bytes b;
    b.m_mapping = m_mapping;
    b.m_mapped = m_mapped + offset;
    b.m_size = size;
    return b;
}

Bytes map_file_bytes(int fd, std::size_t size) {
    if (size == 0) return Bytes();
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) return Bytes();
    Bytes b;
    b.m_mapping = std::shared_ptr<const void>(p, [size](const void* q) { ::munmap(const_cast<void*>(q), size); });
    b.m_mapped = static_cast<const char*>(p);
    b.m_size = size;
    return b;
}

Bytes read_file_bytes(const fs::path& path, bool mapped) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(std::string("cannot read file: ") + std::strerror(errno), {path.string()});
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {  // its size not known before it is read
        ::close(fd);
        return Bytes(read_file(path));
    }
    if (mapped && st.st_size > 0) {
        Bytes out = map_file_bytes(fd, static_cast<std::size_t>(st.st_size));
        if (out.size() != 0) {
            ::close(fd);  // the mapping holds the file
            return out;
        }
    }
    // What the file holds as it is opened (one that grows meanwhile is read to there).
    int error = 0;
    Bytes out = read_bytes_at(fd, 0, static_cast<std::size_t>(st.st_size), &error);
    ::close(fd);
    if (error) throw Error(std::string("cannot read file: ") + std::strerror(error), {path.string()});
    return out;
}

Bytes read_bytes_at(int fd, std::uint64_t offset, std::size_t size, int* error) {
    Bytes out = Bytes::unfilled(size);
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, out.unfilled_data() + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && error) *error = errno;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    out.cut(done);
    return out;
}

// A writer holds an flock on its temporary file until it is renamed, and the kernel
// drops the lock when the writer dies, however it dies: a file whose lock we can
// take has no writer any more.
void remove_abandoned_files(const fs::path& dir, const std::function<bool(const std::string&)>& is_temporary) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (!is_temporary(it->path().filename().string())) continue;
        const int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) continue;
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(it->path().c_str());
        ::close(fd);
    }
}

bool lock_new_temporary(int fd) {
    if (::flock(fd, LOCK_EX) != 0) return false;
    struct stat st {};
    // Once we hold the lock no sweep can take it, so a file still linked now stays.
    return ::fstat(fd, &st) == 0 && st.st_nlink > 0;
}

namespace {

// ".book.epub.tmp-": hidden, and named so that no reader takes it for the book.
std::string temporary_prefix(const fs::path& target) {
    return "." + target.filename().string() + ".tmp-";
}

// Removes the temporary files of `target` that a killed build left behind.
void remove_abandoned_temporaries(const fs::path& target) {
    const std::string prefix = temporary_prefix(target);
    remove_abandoned_files(target.parent_path().empty() ? fs::path(".") : target.parent_path(),
                           [&](const std::string& name) { return name.starts_with(prefix); });
}

// Owns a file descriptor and, until released, the temporary file it names.
class TempFile {
public:
    // `sweep`: first remove what killed writers of `target` left (a writer of many
    // files in one folder sweeps it once itself, with remove_abandoned_files).
    explicit TempFile(const fs::path& target, bool sweep = true) {
        if (sweep) remove_abandoned_temporaries(target);
        // Ours, locked until renamed (remove_abandoned_temporaries); another build's
        // sweep may remove a file in the moment before the lock is ours: then another.
        for (int attempt = 0;; ++attempt) {
            m_path = (target.parent_path() / (temporary_prefix(target) + "XXXXXX")).string();
            m_fd = ::mkostemp(m_path.data(), O_CLOEXEC);
            if (m_fd < 0)
                throw Error(std::string("cannot write output folder: ") + std::strerror(errno),
                            {target.parent_path().string()}, "check that the folder exists and is writable");
            if (lock_new_temporary(m_fd)) break;
            ::close(m_fd);
            m_fd = -1;
            if (attempt == 100)
                throw Error("cannot write output folder: its temporary files keep being removed",
                            {target.parent_path().string()}, "is another program cleaning the folder?");
        }
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (m_fd >= 0) ::close(m_fd);
        if (!m_committed) ::unlink(m_path.c_str());
    }
    void write_all(std::string_view bytes, const fs::path& target) {
        const char* p = bytes.data();
        std::size_t left = bytes.size();
        while (left > 0) {
            const ssize_t n = ::write(m_fd, p, left);
            if (n < 0) {
                if (errno == EINTR) continue;
                fail(target);
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
    }
    // Once written: readable by everyone, like any file the user would create (mkstemp
    // makes 0600), and, `durable`, flushed to disk (an output; a cache's file, which is
    // checked whole when read, need not be).
    void seal(const fs::path& target, bool durable = true) {
        if (::fchmod(m_fd, 0644) != 0 || (durable && ::fsync(m_fd) != 0)) fail(target);
    }
    // For a file another writer filled by name: make it readable and durable. Our own
    // descriptor, which holds the lock, stays open.
    void finish_by_name(const fs::path& target) {
        const int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ::fsync(fd) != 0) {
            if (fd >= 0) ::close(fd);
            fail(target);
        }
        ::close(fd);
        if (::fchmod(m_fd, 0644) != 0) fail(target);
    }
    const std::string& path() const { return m_path; }
    void rename_to(const fs::path& target) {
        if (::rename(m_path.c_str(), target.c_str()) != 0) fail(target);
        m_committed = true;
        ::close(m_fd);  // the data is in place (synced, if sealed durable); this only drops the lock
        m_fd = -1;
    }

private:
    [[noreturn]] void fail(const fs::path& target) {
        throw Error(std::string("cannot write output: ") + std::strerror(errno), {target.string()},
                    "the earlier file, if any, is unchanged");
    }
    std::string m_path;
    int m_fd = -1;
    bool m_committed = false;
};
}  // namespace

void write_file_atomically(const fs::path& path, std::string_view bytes) {
    TempFile temp(path);
    temp.write_all(bytes, path);
    temp.seal(path);
    temp.rename_to(path);
}

void write_file_atomically(const fs::path& path, const std::function<void(const fs::path& temporary)>& write,
                           const std::function<void()>& before_replacing) {
    TempFile temp(path);
    write(temp.path());
    temp.finish_by_name(path);
    if (before_replacing) before_replacing();
    temp.rename_to(path);
}

bool replace_file_quickly(const fs::path& path, std::initializer_list<std::string_view> pieces) {
    try {
        TempFile temp(path, /*sweep=*/false);
        for (std::string_view bytes : pieces) temp.write_all(bytes, path);
        temp.seal(path, /*durable=*/false);
        temp.rename_to(path);
        return true;
    } catch (const Error&) {
        return false;
    }
}

bool is_temporary_name(const std::string& name) {
    return name.starts_with(".") && name.find(".tmp-") != std::string::npos;
}

void ensure_directory(const fs::path& dir) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw Error("cannot create output folder: " + (ec ? ec.message() : std::string("not a folder")),
                    {dir.string()}, "choose another folder with -o");
}

}  // namespace folio
