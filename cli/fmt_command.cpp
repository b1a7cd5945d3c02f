// `regelwerk fmt`: reads each rule file, lays it out, and writes it back only when that changes it.
#include "fmt_command.hpp"

#include "compiler/format/format.hpp"
#include "console.hpp"
#include "rule_files.hpp"
#include "compiler/syntax/parser.hpp"
#include "runtime/exec/output_file.hpp"
#include "runtime/exec/rule_loader.hpp"

namespace regelwerk::cli {
namespace {

// Replaces `path` by `text` as `run` replaces an output: a temporary file beside it, renamed over it.
bool writeFile(const std::string& path, const std::string& text, std::string* error) {
  OutputFile file;
  if (!file.open(path, "rule file", error)) return false;
  if (!file.write(text)) {
    *error = file.error();
    return false;
  }
  return commitTogether({&file}, error);
}

}  // namespace

int runFmtCommand(const std::vector<std::string>& paths, bool check) {
  std::vector<std::string> files;
  if (!collectRuleFiles(paths, &files)) return 2;
  size_t changed = 0;
  bool syntax_errors = false;
  bool io_errors = false;
  for (const std::string& path : files) {
    std::string text;
    std::string why;
    if (!readSourceFile(path, syntax::kMaxFileBytes, &text, &why)) {
      print(stderr, "regelwerk: cannot read `{}`: {}\n", path, why);
      io_errors = true;
      continue;
    }
    if (text.size() > syntax::kMaxFileBytes) {
      print(stderr, "regelwerk: `{}` is larger than {} bytes, the limit of a rule file\n", path, syntax::kMaxFileBytes);
      io_errors = true;
      continue;
    }
    format::FormatResult result = format::formatSource(text, path);
    if (!result.ok) {
      print(stderr, "{}", result.diagnostics);
      syntax_errors = true;
      continue;
    }
    if (result.text == text) continue;
    ++changed;
    if (check) {
      print("{}: not formatted (run `regelwerk fmt {}`)\n", path, path);
      continue;
    }
    std::string error;
    if (!writeFile(path, result.text, &error)) {
      print(stderr, "regelwerk: {}\n", error);
      io_errors = true;
      continue;
    }
    print("{}: formatted\n", path);
  }
  print(stderr, "{} of {} file{} {}\n", changed, files.size(), files.size() == 1 ? "" : "s",
        check ? "would change" : "changed");
  if (io_errors) return 2;
  if (syntax_errors || (check && changed > 0)) return 1;
  return 0;
}

}  // namespace regelwerk::cli
