// What a run refuses before it reads a byte: options out of bounds, a separator the output could not be
// read back with, and files named twice (an output that is the input, the rule file or the other output).
#include "run_checks.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "runtime/columnar/batch.hpp"

namespace regelwerk {

namespace {

// A named file of a run: where it is and whether the run writes it.
struct NamedFile {
  std::string option;  // "--output", "the rule file", ...
  std::string path;
  bool written;
};

// Two names for one file have one identity: device and inode when the file exists (links and other
// spellings included), else the absolute path with `.`, `..` and existing links resolved.
struct Identity {
  bool exists = false;
  bool regular = false;
  dev_t device = 0;
  ino_t inode = 0;
  std::string path;

  bool sameAs(const Identity& other) const {
    if (exists != other.exists) return false;
    return exists ? device == other.device && inode == other.inode : path == other.path;
  }
};

Identity identify(const std::string& path, int standard_fd) {
  Identity identity;
  struct stat info {};
  bool found = path == "-" ? ::fstat(standard_fd, &info) == 0 : ::stat(path.c_str(), &info) == 0;
  if (found) {
    identity.exists = true;
    identity.regular = S_ISREG(info.st_mode);
    identity.device = info.st_dev;
    identity.inode = info.st_ino;
    return identity;
  }
  std::error_code ignored;
  identity.path = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ignored), ignored).string();
  if (identity.path.empty()) identity.path = path;
  return identity;
}

std::string describe(const NamedFile& file) {
  if (file.path == "-") return file.option + " - (" + (file.written ? "standard output" : "standard input") + ")";
  return file.option + " `" + file.path + "`";
}

// Two written files may never be one file (even a device: the two CSVs would mix); a written file and
// a read one may not be one regular file (the run would overwrite what it reads). A terminal that is
// both standard input and output is fine.
bool clash(const NamedFile& a, const Identity& a_id, const NamedFile& b, const Identity& b_id) {
  if (!a.written && !b.written) return false;
  if (a.written && b.written && a.path == "-" && b.path == "-") return true;
  if (!a_id.sameAs(b_id)) return false;
  return (a.written && b.written) || !a_id.exists || a_id.regular;
}

std::vector<NamedFile> namedFiles(const RuleSet& rules, const RunOptions& options) {
  std::vector<NamedFile> files;
  if (!options.input_path.empty()) files.push_back({"--input", options.input_path, false});
  for (const auto& [name, path] : options.named_inputs) files.push_back({"--input " + name, path, false});
  if (!options.output_path.empty()) files.push_back({"--output", options.output_path, true});
  for (const auto& [name, path] : options.named_outputs) files.push_back({"--output " + name, path, true});
  if (!options.rejects_path.empty()) files.push_back({"--rejects", options.rejects_path, true});
  for (const std::string& path : rules.files()) files.push_back({"the rule set's file", path, false});
  return files;
}

bool checkDistinctFiles(const RuleSet& rules, const RunOptions& options, std::string* error) {
  std::vector<NamedFile> files = namedFiles(rules, options);
  std::vector<Identity> identities;
  for (const NamedFile& file : files) identities.push_back(identify(file.path, file.written ? 1 : 0));
  for (size_t first = 0; first < files.size(); ++first) {
    for (size_t second = first + 1; second < files.size(); ++second) {
      if (!clash(files[first], identities[first], files[second], identities[second])) continue;
      *error = describe(files[first]) + " and " + describe(files[second]) +
               " are the same file: a run never writes over what it reads or writes twice; name another file";
      return false;
    }
  }
  return true;
}

bool checkNotFolder(const std::string& option, const std::string& path, std::string* error) {
  struct stat info {};
  if (path.empty() || path == "-" || ::stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return true;
  *error = option + " `" + path + "` is a folder: name a file";
  return false;
}

bool checkBounds(const RunOptions& options, std::string* error) {
  if (options.threads < 0 || options.threads > kMaxThreads) {
    *error = "--threads " + std::to_string(options.threads) + " is out of range: use 1 to " +
             std::to_string(kMaxThreads) + " (or leave it out for one thread per core)";
    return false;
  }
  if (options.batch_size < 1 || options.batch_size > kMaxBatchSize) {
    *error = "--batch-size " + std::to_string(options.batch_size) + " is out of range: use 1 to " +
             std::to_string(kMaxBatchSize) + " rows";
    return false;
  }
  return true;
}

// `--input Claim=claims.csv` belongs to rule sets with keyed inputs; a plain `--input` to the others.
bool checkNamedInputs(const RuleSet& rules, const RunOptions& options, std::string* error) {
  bool grouped = rules.program().grouping != nullptr;
  if (!grouped && !options.named_inputs.empty()) {
    const auto& [name, path] = options.named_inputs.front();
    *error = "--input " + name + "=" + path + " names an input, but this rule set reads one input: write --input " + path;
    return false;
  }
  for (const auto& [name, path] : options.named_inputs) {
    if (!checkNotFolder("--input " + name, path, error)) return false;
  }
  return true;
}

// `--output Payout=payouts.csv` belongs to rule sets with keyed inputs (their records are named).
bool checkNamedOutputs(const RuleSet& rules, const RunOptions& options, std::string* error) {
  if (rules.program().grouping == nullptr && !options.named_outputs.empty()) {
    const auto& [name, path] = options.named_outputs.front();
    *error = "--output " + name + "=" + path + " names an output record, but this rule set writes one: write --output " + path;
    return false;
  }
  for (const auto& [name, path] : options.named_outputs) {
    if (!checkNotFolder("--output " + name, path, error)) return false;
  }
  return true;
}

}  // namespace

// Letters, digits, `.`, `-`, `+`, `_` and `:` stand unquoted in numbers, money, dates and enum names;
// a quote or a line break is CSV syntax; bytes from 0x80 are parts of UTF-8 characters.
bool separatorReadsBack(char separator) {
  auto byte = static_cast<unsigned char>(separator);
  if (byte == 0 || byte >= 0x80 || std::isalnum(byte)) return false;
  return std::string_view(".-+_:\"\r\n").find(separator) == std::string_view::npos;
}

bool checkRun(const RuleSet& rules, const RunOptions& options, std::string* error) {
  if (!checkBounds(options, error)) return false;
  if (!separatorReadsBack(options.separator)) {
    *error = std::string("the separator `") + options.separator +
             "` can stand inside unquoted values (numbers, dates, names) or is CSV syntax, so the output "
             "could not be read back: use , ; | or tab";
    return false;
  }
  if (options.output_path.empty() && options.named_outputs.empty()) return *error = "a run needs an output (--output)", false;
  return checkNotFolder("--output", options.output_path, error) && checkNamedOutputs(rules, options, error) &&
         checkNotFolder("--rejects", options.rejects_path, error) &&
         checkNotFolder("--input", options.input_path, error) && checkNamedInputs(rules, options, error) &&
         checkDistinctFiles(rules, options, error);
}

// Scratch columns per worker are rows × (8 bytes a value, 16 a string, 1 validity) for every input
// and output, and a RowError per row; rows are capped so that this stays within kBatchMemoryBudget.
// The option only ever lowers the batch: results do not depend on it.
size_t effectiveBatchSize(const ir::Program& program, size_t requested) {
  size_t bytes_per_row = sizeof(RowError) + sizeof(int64_t);  // errors and line numbers
  auto add = [&](const ir::Type& type) { bytes_per_row += (ir::physicalKind(type) == ir::Kind::Str ? sizeof(StrRef) : 8) + 1; };
  for (const ir::InputColumn& column : program.inputs) add(column.type);
  for (const ir::Output& output : program.outputs) add(output.type);
  size_t cap = std::max<size_t>(1, kBatchMemoryBudget / bytes_per_row);
  return std::min(requested, cap);
}

}  // namespace regelwerk
