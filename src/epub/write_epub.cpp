#include "epub/write_epub.hpp"

#include "core/error.hpp"
#include "core/files.hpp"

#include <zip.h>

#include <algorithm>
#include <memory>

namespace folio::epub {

namespace {

[[noreturn]] void zip_failure(const std::string& what, zip_error_t* error) {
    throw Error("cannot build the EPUB archive: " + what + ": " + zip_error_strerror(error));
}

// An in-memory zip archive: libzip writes into a buffer source that we own.
class ZipBuffer {
public:
    ZipBuffer() {
        zip_error_t error;
        zip_error_init(&error);
        m_source = zip_source_buffer_create(nullptr, 0, 0, &error);
        if (!m_source) zip_failure("buffer", &error);
        zip_source_keep(m_source);  // we read the bytes after zip_close
        m_zip = zip_open_from_source(m_source, ZIP_TRUNCATE, &error);
        if (!m_zip) {
            zip_source_free(m_source);
            zip_failure("open", &error);
        }
    }
    ZipBuffer(const ZipBuffer&) = delete;
    ZipBuffer& operator=(const ZipBuffer&) = delete;
    ~ZipBuffer() {
        if (m_zip) zip_discard(m_zip);
        zip_source_free(m_source);
    }

    // `bytes` must outlive commit(): libzip reads it then.
    void add(const Entry& e, std::int64_t mtime) {
        zip_source_t* src = zip_source_buffer(m_zip, e.bytes.data(), e.bytes.size(), 0);
        if (!src) zip_failure(e.path, zip_get_error(m_zip));
        const zip_int64_t index = zip_file_add(m_zip, e.path.c_str(), src, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(src);
            zip_failure(e.path, zip_get_error(m_zip));
        }
        const auto i = static_cast<zip_uint64_t>(index);
        const zip_int32_t method = e.compression == Compression::Store ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
        if (zip_set_file_compression(m_zip, i, method, 0) < 0 ||
            zip_file_set_mtime(m_zip, i, static_cast<time_t>(mtime), 0) < 0)
            zip_failure(e.path, zip_get_error(m_zip));
    }

    std::string commit() {
        if (zip_close(m_zip) < 0) zip_failure("close", zip_get_error(m_zip));
        m_zip = nullptr;
        zip_stat_t st;
        if (zip_source_stat(m_source, &st) < 0 || zip_source_open(m_source) < 0)
            zip_failure("read back", zip_source_error(m_source));
        std::string out(static_cast<std::size_t>(st.size), '\0');
        const zip_int64_t n = zip_source_read(m_source, out.data(), st.size);
        zip_source_close(m_source);
        if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) zip_failure("read back", zip_source_error(m_source));
        return out;
    }

private:
    zip_source_t* m_source = nullptr;
    zip_t* m_zip = nullptr;
};

}  // namespace

std::string zip_package(const std::vector<Entry>& entries, std::int64_t mtime) {
    // DOS dates start in 1980; libzip would otherwise write a date it cannot represent.
    const std::int64_t dos_epoch = 315532800 + 86400;  // 1980-01-02, clear of time-zone edges
    mtime = std::max(mtime, dos_epoch);
    ZipBuffer zip;
    for (const Entry& e : entries) zip.add(e, mtime);
    return zip.commit();
}

void write_epub(const std::filesystem::path& path, const std::vector<Entry>& entries, std::int64_t mtime) {
    write_file_atomically(path, zip_package(entries, mtime));
}

}  // namespace folio::epub
