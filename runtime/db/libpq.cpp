// loadLibpq: dlopen libpq.so.5 once and look up its functions.
#include "runtime/db/libpq.hpp"

#include <dlfcn.h>

#include <mutex>

namespace regelwerk::db {

namespace {

// Fills `functions`; the name of the first function that is missing, or "" when all are there.
std::string lookUp(void* library, Libpq* functions) {
#define RW_LIBPQ_LOOKUP(name)                                                                \
  functions->name = reinterpret_cast<decltype(&::name)>(dlsym(library, #name));             \
  if (!functions->name) return #name;
  RW_LIBPQ_FUNCTIONS(RW_LIBPQ_LOOKUP)
#undef RW_LIBPQ_LOOKUP
  return "";
}

}  // namespace

const Libpq* loadLibpq(std::string* error) {
  static std::once_flag once;
  static Libpq functions;
  static std::string problem;
  std::call_once(once, [] {
    void* library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      problem = std::string("PostgreSQL needs libpq (Debian: libpq5), which cannot be loaded: ") + dlerror();
      return;
    }
    const std::string missing = lookUp(library, &functions);
    if (!missing.empty()) problem = "the libpq.so.5 found has no " + missing + ": it is too old";
  });
  if (!problem.empty()) return *error = problem, nullptr;
  return &functions;
}

}  // namespace regelwerk::db
