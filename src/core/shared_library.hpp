// A shared library opened when first needed (dlopen), for the large libraries only
// some books use: librsvg and cairo draw SVG pictures, libcurl downloads for `folio
// fetch`. Linked at build time, they and the ~80 libraries they depend on (GLib,
// Pango, ICU, X11, GnuTLS, Kerberos…) were loaded and relocated at every start of
// folio, which cost more than setting a short book.
#pragma once

#include <string>

namespace folio {

class SharedLibrary {
public:
    // Opens `soname` (e.g. "libcurl.so.4"); throws Error naming it, with `hint`
    // (which package provides it), if it cannot be loaded.
    SharedLibrary(std::string soname, std::string hint);
    SharedLibrary(const SharedLibrary&) = delete;
    SharedLibrary& operator=(const SharedLibrary&) = delete;
    // The library stays loaded for the life of the process: functions taken from it
    // may be called until exit (a library's own exit handlers may run them).
    ~SharedLibrary() = default;

    // The function `name`, typed as the library's header declares it:
    //   auto* init = lib.function<decltype(curl_global_init)>("curl_global_init");
    // Throws Error if the library lacks it (a version older than the header's).
    template <class Function>
    Function* function(const char* name) const {
        return reinterpret_cast<Function*>(address(name));
    }

private:
    void* address(const char* name) const;

    std::string m_soname, m_hint;
    void* m_handle = nullptr;
};

}  // namespace folio

// A member `member` holding the function `name` of `library` (a SharedLibrary member
// declared before it), typed from the library's header:
//   FOLIO_SHARED_FUNCTION(library, easy_init, curl_easy_init);
#define FOLIO_SHARED_FUNCTION(library, member, name) \
    decltype(::name)* member = (library).function<decltype(::name)>(#name)
