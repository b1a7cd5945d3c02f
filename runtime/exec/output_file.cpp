// Output files that never appear half-written, never mix two runs and never replace what is not a
// regular file. The protocol (docs/reliability.md, "Files"): a temporary file with a unique name beside
// the target, created with O_EXCL|O_NOFOLLOW, given the target's mode (or the umask's), fsynced, then
// renamed over the target; several files of one run are renamed together or not at all.
#include "output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <random>

#include "runtime/exec/api.hpp"

namespace regelwerk {

namespace {

// --- temporary files a signal handler must remove -------------------------------------------------
// Process-wide by nature: a signal handler can reach nothing else. Fixed storage, so registering and
// removing need no allocation and the handler reads only atomics and bytes.
constexpr size_t kPendingSlots = 64;
constexpr int kSlotFree = 0, kSlotFilling = 1, kSlotSet = 2;
std::array<std::atomic<int>, kPendingSlots> pending_state{};
std::array<std::array<char, PATH_MAX>, kPendingSlots> pending_path{};

void registerPending(const std::string& path) {
  if (path.size() >= PATH_MAX) return;
  for (size_t slot = 0; slot < kPendingSlots; ++slot) {
    int expected = kSlotFree;
    if (!pending_state[slot].compare_exchange_strong(expected, kSlotFilling)) continue;
    std::memcpy(pending_path[slot].data(), path.c_str(), path.size() + 1);
    pending_state[slot].store(kSlotSet);
    return;
  }
}

void unregisterPending(const std::string& path) {
  for (size_t slot = 0; slot < kPendingSlots; ++slot) {
    if (pending_state[slot].load() != kSlotSet || path != pending_path[slot].data()) continue;
    pending_state[slot].store(kSlotFree);
    return;
  }
}

// --- paths -----------------------------------------------------------------------------------------

std::string folderOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string baseOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Follows symlinks at the end of `path` (up to 40, as the kernel does), so that the commit replaces the
// file a link names and keeps the link. "out.csv" -> "data/2026/out.csv" -> that path.
bool resolveLinks(const std::string& path, std::string* target, std::string* error) {
  *target = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat info {};
    if (::lstat(target->c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return true;
    std::array<char, PATH_MAX> link{};
    ssize_t length = ::readlink(target->c_str(), link.data(), link.size() - 1);
    if (length < 0) return *error = std::strerror(errno), false;
    std::string next(link.data(), static_cast<size_t>(length));
    *target = next.front() == '/' ? next : folderOf(*target) + "/" + next;
  }
  *error = std::strerror(ELOOP);
  return false;
}

// "a1b2c3d4e5f6": 48 random bits, so that concurrent runs never share a temporary name.
std::string randomSuffix() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  static const char kHex[] = "0123456789abcdef";
  uint64_t bits = generator();
  std::string suffix;
  for (int digit = 0; digit < 12; ++digit, bits >>= 4) suffix.push_back(kHex[bits & 15]);
  return suffix;
}

// ".out.csv.a1b2c3d4e5f6.tmp" beside "out.csv": hidden, recognisable, and short enough (the base name is
// cut to 200 bytes) that a valid 255-byte output name still has a valid temporary name.
std::string temporaryName(const std::string& target) {
  std::string base = baseOf(target).substr(0, 200);
  return folderOf(target) + "/." + base + "." + randomSuffix() + ".tmp";
}

}  // namespace

void removePendingOutputs() {
  for (size_t slot = 0; slot < kPendingSlots; ++slot) {
    if (pending_state[slot].load() == kSlotSet) ::unlink(pending_path[slot].data());
  }
}

OutputFile::~OutputFile() { abandon(); }

bool OutputFile::open(const std::string& path, const std::string& what, std::string* error) {
  path_ = path;
  what_ = what;
  if (path == "-") {
    file_ = stdout;
    through_ = true;
    return true;
  }
  std::string link_error;
  if (!resolveLinks(path, &target_, &link_error)) {
    *error = "cannot write " + what + " `" + path + "`: " + link_error;
    return false;
  }
  struct stat info {};
  bool exists = ::stat(target_.c_str(), &info) == 0;
  if (exists && S_ISDIR(info.st_mode)) {
    *error = what + " `" + path + "` is a folder: name a file";
    return false;
  }
  if (exists && !S_ISREG(info.st_mode)) return openThrough(target_, error);
  return openTemporary(target_, error);
}

// A device, FIFO or socket is written as it is: replacing it would destroy it (think /dev/null).
bool OutputFile::openThrough(const std::string& target, std::string* error) {
  int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0 || (file_ = ::fdopen(fd, "wb")) == nullptr) {
    *error = "cannot write " + what_ + " `" + path_ + "`: " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return false;
  }
  through_ = true;
  return true;
}

// O_EXCL|O_NOFOLLOW: a file or link someone else put at the name is never written through; the mode
// is the existing file's (a mode-600 output stays 600), else 0666 less the umask, as for any new file.
bool OutputFile::openTemporary(const std::string& target, std::string* error) {
  struct stat existing {};
  bool replaces = ::stat(target.c_str(), &existing) == 0;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp_path_ = temporaryName(target);
    fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    *error = "cannot create " + what_ + " `" + path_ + "` (a temporary file in `" + folderOf(target) +
             "`): " + std::strerror(errno);
    temp_path_.clear();
    return false;
  }
  registerPending(temp_path_);
  if (replaces) {
    (void)::fchmod(fd, existing.st_mode & 07777);
    if (::geteuid() == 0) (void)::fchown(fd, existing.st_uid, existing.st_gid);  // root keeps the owner
  }
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    ::close(fd);
    abandon();
    *error = "cannot create " + what_ + " `" + path_ + "`: " + std::strerror(errno);
    return false;
  }
  buffer_.resize(1 << 16);
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
  return true;
}

bool OutputFile::fail(const std::string& action) {
  if (!failed_) error_ = "cannot " + action + " " + what_ + " `" + path_ + "`: " + std::strerror(errno);
  failed_ = true;
  return false;
}

bool OutputFile::write(std::string_view text) {
  if (failed_) return false;
  if (text.empty()) return true;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) return fail("write");
  written_ += text.size();
  if (!through_ && written_ - written_back_ >= kWritebackStep) return startWriteback();
  return true;
}

// Why: the commit's fsync otherwise waits for the whole file to reach the disk at the end of the
// run (12 ms of a 112 ms run over 1,000,000 rows, bench/RESULTS.md). Asking the kernel to start
// writing back each 8 MiB as it is written (sync_file_range, SYNC_FILE_RANGE_WRITE: start, do not
// wait) overlaps that with the evaluation; the final fsync still makes the whole file durable, so the
// guarantee is unchanged. The flush before it is a write like any other: its failure (a full disk) fails
// the file — stdio drops the unwritten buffer, so nothing later would report it. sync_file_range is only
// a hint: its failure is ignored, and the fsync in finish() reports what did not reach the disk.
bool OutputFile::startWriteback() {
  if (std::fflush(file_) != 0) return fail("write");
#ifdef __linux__
  (void)::sync_file_range(::fileno(file_), static_cast<off64_t>(written_back_),
                          static_cast<off64_t>(written_ - written_back_), SYNC_FILE_RANGE_WRITE);
#endif
  written_back_ = written_;
  return true;
}

bool OutputFile::finish(std::string* error) {
  if (file_ == nullptr) return *error = error_, !failed_;
  bool ok = !failed_;
  if (ok && std::fflush(file_) != 0) ok = fail("write");
  if (ok && !through_ && ::fsync(::fileno(file_)) != 0) ok = fail("write");
  if (file_ != stdout && std::fclose(file_) != 0 && ok) ok = fail("write");
  file_ = nullptr;
  if (!ok) *error = error_;
  return ok;
}

// The previous target is hard-linked aside first, so that restore() can put it back if a later file of
// the same run cannot be renamed. Without hard links (some file systems), the run just cannot undo.
bool OutputFile::publish(std::string* error) {
  if (temp_path_.empty()) return true;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string backup = temporaryName(target_);
    if (::link(target_.c_str(), backup.c_str()) == 0) {
      backup_path_ = backup;
      registerPending(backup_path_);
      break;
    }
    created_ = errno == ENOENT;
    if (errno != EEXIST) break;
  }
  if (::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    *error = "cannot write " + what_ + " `" + path_ + "`: " + std::strerror(errno);
    return false;
  }
  unregisterPending(temp_path_);
  temp_path_.clear();
  int folder = ::open(folderOf(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder >= 0) {
    (void)::fsync(folder);  // the rename itself reaches the disk
    ::close(folder);
  }
  return true;
}

void OutputFile::restore() {
  if (created_) (void)::unlink(target_.c_str());
  if (backup_path_.empty()) return;
  (void)::rename(backup_path_.c_str(), target_.c_str());
  unregisterPending(backup_path_);
  backup_path_.clear();
}

void OutputFile::dropBackup() { forget(&backup_path_); }

void OutputFile::forget(std::string* path) {
  if (path->empty()) return;
  ::unlink(path->c_str());
  unregisterPending(*path);
  path->clear();
}

void OutputFile::abandon() {
  if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  if (file_ == stdout) std::fflush(stdout);
  file_ = nullptr;
  forget(&temp_path_);
  forget(&backup_path_);
}

std::string stoppedHere(const std::vector<const OutputFile*>& outputs) {
  std::string through;
  for (const OutputFile* output : outputs) {
    if (output == nullptr || !output->wroteThrough()) continue;
    if (!through.empty()) through += ", ";
    through += output->path() == "-" ? std::string("standard output") : "`" + output->path() + "`";
  }
  if (through.empty()) return "the run stopped here and wrote no output";
  return "the run stopped here; what it had written to " + through +
         " before this point stays there, and no file was replaced";
}

bool commitTogether(const std::vector<OutputFile*>& files, std::string* error) {
  for (OutputFile* file : files) {
    if (!file->finish(error)) return false;
  }
  for (size_t index = 0; index < files.size(); ++index) {
    if (files[index]->publish(error)) continue;
    for (size_t done = 0; done < index; ++done) files[done]->restore();
    return false;
  }
  for (OutputFile* file : files) file->dropBackup();
  return true;
}

}  // namespace regelwerk
