// The compiled-code cache's files: where they are, their keys, and reading and writing one entry.
#include "runtime/jit/code_cache.hpp"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA256.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace regelwerk {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "regelwerk object 1\n";

std::mutex settings_mutex;
std::optional<CodeCacheSettings> settings;

std::string hex(llvm::ArrayRef<uint8_t> bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (uint8_t byte : bytes) {
    text += digits[byte >> 4];
    text += digits[byte & 15];
  }
  return text;
}

std::string sha256(std::string_view bytes) {
  llvm::SHA256 hash;
  hash.update(llvm::StringRef(bytes.data(), bytes.size()));
  auto digest = hash.final();
  return hex(llvm::ArrayRef<uint8_t>(digest.data(), digest.size()));
}

// The NT_GNU_BUILD_ID note of the loaded object that contains `address`.
struct BuildIdSearch {
  uintptr_t address;
  std::string id;
};

int findBuildId(dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<BuildIdSearch*>(data);
  bool contains = false;
  for (int index = 0; index < info->dlpi_phnum && !contains; ++index) {
    const ElfW(Phdr)& header = info->dlpi_phdr[index];
    const uintptr_t start = info->dlpi_addr + header.p_vaddr;
    contains = header.p_type == PT_LOAD && search->address >= start && search->address < start + header.p_memsz;
  }
  if (!contains) return 0;
  for (int index = 0; index < info->dlpi_phnum; ++index) {
    const ElfW(Phdr)& header = info->dlpi_phdr[index];
    if (header.p_type != PT_NOTE) continue;
    const auto* cursor = reinterpret_cast<const uint8_t*>(info->dlpi_addr + header.p_vaddr);
    const uint8_t* end = cursor + header.p_memsz;
    while (cursor + sizeof(ElfW(Nhdr)) <= end) {
      const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(cursor);
      const uint8_t* name = cursor + sizeof(ElfW(Nhdr));
      const uint8_t* desc = name + ((note->n_namesz + 3) & ~3u);
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        search->id = hex(llvm::ArrayRef<uint8_t>(desc, note->n_descsz));
        return 1;
      }
      cursor = desc + ((note->n_descsz + 3) & ~3u);
    }
  }
  return 1;
}

bool readFile(const fs::path& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *bytes = buffer.str();
  return static_cast<bool>(in) || in.eof();
}

}  // namespace

void setCodeCache(const CodeCacheSettings& given) {
  std::lock_guard<std::mutex> lock(settings_mutex);
  settings = given;
}

std::optional<std::string> codeCacheFolder() {
  {
    std::lock_guard<std::mutex> lock(settings_mutex);
    if (settings && !settings->enabled) return std::nullopt;
    if (settings && !settings->folder.empty()) return settings->folder;
  }
  const char* chosen = std::getenv("REGELWERK_CACHE");
  if (chosen && std::string_view(chosen) == "off") return std::nullopt;
  if (chosen && *chosen) return std::string(chosen);
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg == '/') return (fs::path(xdg) / "regelwerk").string();
  const char* home = std::getenv("HOME");
  if (home && *home == '/') return (fs::path(home) / ".cache" / "regelwerk").string();
  return std::nullopt;
}

const std::string& engineBuildId() {
  static const std::string id = [] {
    BuildIdSearch search{reinterpret_cast<uintptr_t>(&engineBuildId), ""};
    dl_iterate_phdr(findBuildId, &search);
    return search.id;
  }();
  return id;
}

std::string cacheKey(std::initializer_list<std::string_view> parts) {
  std::string joined;
  for (std::string_view part : parts) joined += std::to_string(part.size()) + ":" + std::string(part) + ";";
  return sha256(joined);
}

// Entry layout: kMagic, the key (64 hex digits), "\n", the object's size in decimal, "\n", the object's
// SHA-256 (64 hex digits), "\n", then the object.
std::optional<std::string> loadCachedObject(const std::string& folder, const std::string& key) {
  std::string bytes;
  if (!readFile(fs::path(folder) / (key + ".o"), &bytes)) return std::nullopt;
  std::istringstream header(bytes);
  std::string magic_line, stored_key, size_text, digest;
  if (bytes.compare(0, kMagic.size(), kMagic) != 0) return std::nullopt;
  header.seekg(static_cast<std::streamoff>(kMagic.size()));
  if (!std::getline(header, stored_key) || !std::getline(header, size_text) || !std::getline(header, digest)) {
    return std::nullopt;
  }
  const auto start = static_cast<size_t>(header.tellg());
  char* end = nullptr;
  const unsigned long long size = std::strtoull(size_text.c_str(), &end, 10);
  if (stored_key != key || end == size_text.c_str() || *end != '\0' || start + size != bytes.size()) return std::nullopt;
  std::string object = bytes.substr(start);
  if (sha256(object) != digest) return std::nullopt;
  return object;
}

void storeCachedObject(const std::string& folder, const std::string& key, std::string_view object) {
  std::error_code ignored;
  fs::create_directories(folder, ignored);
  std::string temporary = (fs::path(folder) / (key + ".XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) return;
  const std::string header = std::string(kMagic) + key + "\n" + std::to_string(object.size()) + "\n" + sha256(object) + "\n";
  bool written = true;
  for (std::string_view part : {std::string_view(header), object}) {
    size_t done = 0;
    while (written && done < part.size()) {
      const ssize_t count = ::write(fd, part.data() + done, part.size() - done);
      written = count > 0;
      done += written ? static_cast<size_t>(count) : 0;
    }
  }
  ::fchmod(fd, 0644);
  written = ::close(fd) == 0 && written;
  if (!written || ::rename(temporary.c_str(), (fs::path(folder) / (key + ".o")).c_str()) != 0) ::unlink(temporary.c_str());
}

}  // namespace regelwerk
