// The one way a run writes a file: output and rejects alike. A regular file (or a new one) is written to a
// unique temporary file beside it and renamed over it only when the whole run succeeded; a device, a FIFO
// or standard output is written through. docs/reliability.md, "Files", states the protocol and guarantees.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace regelwerk {

class OutputFile {
 public:
  OutputFile() = default;
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // `what` names the file in messages ("output", "rejects file"). "-" is standard output. A symlink is
  // followed to the file it names, so the link survives the commit. False with `error` when the target
  // is a directory or its temporary file cannot be created.
  bool open(const std::string& path, const std::string& what, std::string* error);
  // False once any write has failed (the run stops; `error()` says why).
  bool write(std::string_view text);
  // "cannot write output `out.csv`: No space left on device": the first failure, with its reason.
  const std::string& error() const { return error_; }

  // Removes the temporary file (called by the destructor if not committed).
  void abandon();
  // True once text went to a target written through (standard output, a device, a FIFO): a run that
  // stops cannot take it back.
  bool wroteThrough() const { return through_ && written_ > 0; }
  const std::string& path() const { return path_; }

  // The two steps of commitTogether(), public for it only.
  bool finish(std::string* error);  // flush, fsync and close the temporary file
  bool publish(std::string* error);   // rename it over the target (keeping a backup to restore)
  void restore();                     // undo publish(): put the previous file back
  void dropBackup();

 private:
  bool openThrough(const std::string& target, std::string* error);
  bool openTemporary(const std::string& target, std::string* error);
  bool fail(const std::string& action);
  void forget(std::string* path);
  bool startWriteback();

  static constexpr size_t kWritebackStep = size_t{8} << 20;

  std::string path_;         // as given
  std::string what_;
  std::string target_;       // the file renamed over (symlinks resolved)
  std::string temp_path_;    // empty when written through or already renamed
  std::string backup_path_;  // the previous target, hard-linked aside during publish
  std::FILE* file_ = nullptr;
  bool through_ = false;     // device, FIFO or standard output: written directly
  bool created_ = false;     // publish() created the target (restore() removes it again)
  bool failed_ = false;
  std::string error_;
  std::vector<char> buffer_;  // stdio buffer of this file
  size_t written_ = 0;        // bytes written so far
  size_t written_back_ = 0;   // of those, the ones whose writeback was started
};

// What a run that stops early says of its outputs: "the run stopped here and wrote no output" (its files
// are abandoned, the targets untouched), or, when text already went through to standard output, a
// device or a FIFO, that it stays there. Null entries are skipped.
std::string stoppedHere(const std::vector<const OutputFile*>& outputs);

// Commits every open file together, or none: each is flushed, fsynced and closed first; then renamed in
// order; if a rename fails, the files already renamed get their previous contents back. Written-through
// files are only flushed. False with `error` (the first failure, with its reason).
bool commitTogether(const std::vector<OutputFile*>& files, std::string* error);

}  // namespace regelwerk
