#include "core/shared_library.hpp"

#include "core/error.hpp"

#include <dlfcn.h>

namespace folio {

SharedLibrary::SharedLibrary(std::string soname, std::string hint)
    : m_soname(std::move(soname)), m_hint(std::move(hint)) {
    // RTLD_NOW: a missing symbol fails here, not in the middle of a build.
    m_handle = dlopen(m_soname.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!m_handle) {
        const char* why = dlerror();
        throw Error("cannot load " + m_soname + (why ? std::string(": ") + why : std::string()), {}, m_hint);
    }
}

void* SharedLibrary::address(const char* name) const {
    dlerror();  // clear any earlier error: a symbol's address may itself be null
    void* p = dlsym(m_handle, name);
    if (const char* why = dlerror())
        throw Error("cannot find " + std::string(name) + " in " + m_soname + ": " + why, {}, m_hint);
    return p;
}

}  // namespace folio
