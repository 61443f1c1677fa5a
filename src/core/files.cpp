#include "core/files.hpp"

#include "core/error.hpp"

#include <fcntl.h>
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

namespace {
// Owns a file descriptor and, until released, the temporary file it names.
class TempFile {
public:
    explicit TempFile(const fs::path& target) {
        m_path = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
        m_fd = ::mkstemp(m_path.data());
        if (m_fd < 0)
            throw Error(std::string("cannot write output folder: ") + std::strerror(errno),
                        {target.parent_path().string()}, "check that the folder exists and is writable");
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
        // Readable by everyone, like any file the user would create (mkstemp makes 0600).
        if (::fchmod(m_fd, 0644) != 0 || ::fsync(m_fd) != 0) fail(target);
        if (::close(m_fd) != 0) {
            m_fd = -1;
            fail(target);
        }
        m_fd = -1;
    }
    // For a file another writer filled by name: make it readable and durable.
    void finish_by_name(const fs::path& target) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = ::open(m_path.c_str(), O_RDWR);
        if (m_fd < 0 || ::fchmod(m_fd, 0644) != 0 || ::fsync(m_fd) != 0) fail(target);
        if (::close(m_fd) != 0) {
            m_fd = -1;
            fail(target);
        }
        m_fd = -1;
    }
    const std::string& path() const { return m_path; }
    void rename_to(const fs::path& target) {
        if (::rename(m_path.c_str(), target.c_str()) != 0) fail(target);
        m_committed = true;
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
    temp.rename_to(path);
}

void write_file_atomically(const fs::path& path, const std::function<void(const fs::path& temporary)>& write) {
    TempFile temp(path);
    write(temp.path());
    temp.finish_by_name(path);
    temp.rename_to(path);
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
