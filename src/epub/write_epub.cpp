#include "epub/write_epub.hpp"

#include "core/compress.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace folio::epub {

namespace {

[[noreturn]] void zip_failure(const std::string& what, zip_error_t* error) {
    throw Error("cannot build the EPUB archive: " + what + ": " + zip_error_strerror(error));
}

// An entry's bytes deflated ahead of the zip (raw deflate, as zip stores it), so
// that entries compress in parallel: libzip alone compresses one at a time.
struct Deflated {
    std::string data;
    zip_uint64_t size = 0;  // uncompressed
    std::uint32_t crc = 0;
    std::size_t offset = 0;
    zip_error_t error{};
};

// An entry's bytes as the zip stores them: deflated now, or taken as they are when
// deflated already (deflate_entry). The entry gives its bytes up.
Deflated deflated_of(Entry& e, compress::DeflateMemo* memo) {
    Deflated out;
    if (e.deflated) {
        out.size = e.deflated->size;
        out.crc = e.deflated->crc;
        out.data = std::move(e.bytes);
        return out;
    }
    out.size = e.bytes.size();
    out.crc = compress::crc32(e.bytes);
    out.data = memo ? memo->deflate_raw(e.bytes, 6) : compress::deflate_raw(e.bytes, 6);
    std::string().swap(e.bytes);
    return out;
}

// A libzip source that hands over deflated bytes as they are, with their stat, so
// that zip_close copies them instead of compressing again.
zip_int64_t deflated_source(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto* d = static_cast<Deflated*>(user);
    switch (cmd) {
        case ZIP_SOURCE_OPEN:
            d->offset = 0;
            return 0;
        case ZIP_SOURCE_READ: {
            const std::size_t n = std::min<std::size_t>(len, d->data.size() - d->offset);
            std::memcpy(data, d->data.data() + d->offset, n);
            d->offset += n;
            return static_cast<zip_int64_t>(n);
        }
        case ZIP_SOURCE_CLOSE:
            return 0;
        case ZIP_SOURCE_STAT: {
            auto* st = static_cast<zip_stat_t*>(data);
            zip_stat_init(st);
            st->size = d->size;
            st->comp_size = d->data.size();
            st->comp_method = ZIP_CM_DEFLATE;
            st->crc = d->crc;
            st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
            return sizeof(zip_stat_t);
        }
        case ZIP_SOURCE_ERROR:
            return zip_error_to_data(&d->error, data, len);
        case ZIP_SOURCE_FREE:
            return 0;  // the Deflated is owned by zip_package
        case ZIP_SOURCE_SUPPORTS:
            return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                                  ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
        default:
            zip_error_set(&d->error, ZIP_ER_OPNOTSUPP, 0);
            return -1;
    }
}

// A moment as a zip entry stores it: the DOS date and time fields (2-second
// resolution), of the UTC calendar.
struct DosTime {
    zip_uint16_t time, date;
};
DosTime dos_time(std::int64_t epoch) {
    const std::string iso = text::iso_timestamp(epoch);  // YYYY-MM-DDThh:mm:ssZ
    const auto field = [&](std::size_t at, std::size_t n) { return std::stoi(iso.substr(at, n)); };
    const int year = field(0, 4), month = field(5, 2), day = field(8, 2);
    const int hour = field(11, 2), minute = field(14, 2), second = field(17, 2);
    return {static_cast<zip_uint16_t>((hour << 11) | (minute << 5) | (second / 2)),
            static_cast<zip_uint16_t>(((year - 1980) << 9) | (month << 5) | day)};
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

    // `e.bytes` (or `deflated`) must outlive close(): libzip reads them then.
    void add(const Entry& e, Deflated* deflated, std::int64_t mtime) {
        zip_source_t* src = deflated ? zip_source_function(m_zip, deflated_source, deflated)
                                     : zip_source_buffer(m_zip, e.bytes.data(), e.bytes.size(), 0);
        if (!src) zip_failure(e.path, zip_get_error(m_zip));
        const zip_int64_t index = zip_file_add(m_zip, e.path.c_str(), src, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(src);
            zip_failure(e.path, zip_get_error(m_zip));
        }
        const auto i = static_cast<zip_uint64_t>(index);
        const zip_int32_t method = e.compression == Compression::Store ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
        // The DOS date and time written as they are: zip_file_set_mtime would go
        // through localtime(), and the bytes would depend on the machine's time zone.
        const DosTime dos = dos_time(mtime);
        if (zip_set_file_compression(m_zip, i, method, 0) < 0 ||
            zip_file_set_dostime(m_zip, i, dos.time, dos.date, 0) < 0)
            zip_failure(e.path, zip_get_error(m_zip));
    }

    // Writes the archive: libzip reads every entry's bytes now.
    void close() {
        if (zip_close(m_zip) < 0) zip_failure("close", zip_get_error(m_zip));
        m_zip = nullptr;
    }

    // The archive's bytes, once closed.
    std::string bytes() {
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

std::string zip_package(std::vector<Entry> entries, std::int64_t mtime, compress::DeflateMemo* memo) {
    // DOS dates start in 1980; libzip would otherwise write a date it cannot represent.
    const std::int64_t dos_epoch = 315532800 + 86400;  // 1980-01-02, clear of time-zone edges
    mtime = std::max(mtime, dos_epoch);
    // Deflate on every core first; then libzip only lays the entries out.
    std::vector<Deflated> deflated(entries.size());
    parallel_for(entries.size(), [&](std::size_t i) {
        if (entries[i].compression == Compression::Deflate) deflated[i] = deflated_of(entries[i], memo);
    });

    ZipBuffer zip;
    for (std::size_t i = 0; i < entries.size(); ++i)
        zip.add(entries[i], entries[i].compression == Compression::Deflate ? &deflated[i] : nullptr, mtime);
    zip.close();
    // libzip has copied every entry into the archive: free them before it is read back.
    std::vector<Deflated>().swap(deflated);
    std::vector<Entry>().swap(entries);
    return zip.bytes();
}

void deflate_entry(Entry& e, compress::DeflateMemo* memo) {
    if (e.compression != Compression::Deflate || e.deflated) return;
    Deflated d = deflated_of(e, memo);
    e.bytes = std::move(d.data);
    e.deflated = Entry::Inflated{d.size, d.crc};
}

void write_epub(const std::filesystem::path& path, std::vector<Entry> entries, std::int64_t mtime,
                compress::DeflateMemo* memo) {
    write_file_atomically(path, zip_package(std::move(entries), mtime, memo));
}

}  // namespace folio::epub

namespace folio::epub {

std::map<std::string, std::string> read_epub(const std::filesystem::path& path) {
    int error = 0;
    std::unique_ptr<zip_t, int (*)(zip_t*)> zip(zip_open(path.c_str(), ZIP_RDONLY, &error), zip_close);
    if (!zip) throw Error("cannot read the EPUB", {path.generic_string()});
    std::map<std::string, std::string> out;
    const zip_int64_t n = zip_get_num_entries(zip.get(), 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        if (zip_stat_index(zip.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
        std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen_index(zip.get(), static_cast<zip_uint64_t>(i), 0),
                                                             zip_fclose);
        if (!file) continue;
        std::string bytes(st.size, '\0');
        if (zip_fread(file.get(), bytes.data(), st.size) != static_cast<zip_int64_t>(st.size))
            throw Error("cannot read the EPUB", {path.generic_string()});
        out.emplace(st.name, std::move(bytes));
    }
    return out;
}

}  // namespace folio::epub
