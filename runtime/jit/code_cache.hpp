// The compiled-code cache: the JIT's object code for a rule set, kept on disk and loaded through ORC
// without running the optimizer again (docs/architecture.md, "Compiled-code cache").
//
// An entry's key is the SHA-256 of everything that decides the machine code: the module as emitted from
// the IR (before optimisation: it carries the program, its tables and constants), the LLVM version, the
// host CPU and its features, the optimisation level, and the build of the engine itself (its ELF build
// ID, so a changed optimizer or code generator never meets old entries). An entry is a file
// `<key>.o` with a header (magic, key, size, SHA-256 of the object) checked on every load: a corrupt,
// truncated or foreign file is ignored and replaced. Entries are written to a temporary file in the same
// folder and renamed, so concurrent runs never see half an entry.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace regelwerk {

struct CodeCacheSettings {
  bool enabled = true;
  std::string folder;  // empty: from the environment (codeCacheFolder)
};

// The process's settings (the command's --no-cache); the default reads the environment.
void setCodeCache(const CodeCacheSettings& settings);
// Where entries go: $REGELWERK_CACHE ("off" disables the cache; else a folder), else
// $XDG_CACHE_HOME/regelwerk, else $HOME/.cache/regelwerk; nullopt when the cache is off or no folder
// can be named.
std::optional<std::string> codeCacheFolder();

// This build of the engine, as a hex string (the ELF build ID of the binary holding this code); empty
// when it has none, and then nothing is cached.
const std::string& engineBuildId();

// A 64-hex-digit SHA-256 of `parts`, each length-prefixed so that no two lists share a key.
std::string cacheKey(std::initializer_list<std::string_view> parts);

// The object code stored under `key`, when a valid entry is there.
std::optional<std::string> loadCachedObject(const std::string& folder, const std::string& key);
// Stores `object` under `key`; a failure (a read-only folder, a full disk) only means no entry.
void storeCachedObject(const std::string& folder, const std::string& key, std::string_view object);

}  // namespace regelwerk
