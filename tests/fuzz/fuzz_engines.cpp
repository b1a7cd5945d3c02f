// Fuzz target: the interpreter and the JIT must agree. Byte 0 picks the program: one of the rule
// files of tests/golden/eval, examples/ and stdlib-rules/ (then the rest of the bytes are CSV rows
// after a header naming its input columns), or a rule file generated from the bytes (then rows are generated too, see
// program_generator.hpp). Both engines run the same CSV at the same batch size; their output,
// rejects (line, column, reason, record) and counts must be identical.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "csv_drive.hpp"
#include "fuzz_check.hpp"
#include "program_generator.hpp"

namespace regelwerk::fuzz {
namespace {

namespace fs = std::filesystem;

struct Compiled {
  std::unique_ptr<RuleSet> rules;
  std::unique_ptr<Engine> interp;
  std::unique_ptr<Engine> jit;
  std::string header;  // a CSV header line with its input columns
  std::vector<std::pair<std::string, std::string>> params;
};

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// `name=value` lines of a golden's .params file, as golden_eval.cpp reads them.
std::vector<std::pair<std::string, std::string>> readParams(const fs::path& path) {
  std::vector<std::pair<std::string, std::string>> params;
  std::istringstream lines(readText(path));
  for (std::string line; std::getline(lines, line);) {
    const size_t equals = line.find('=');
    if (line.empty() || line[0] == '#' || equals == std::string::npos) continue;
    params.emplace_back(line.substr(0, equals), line.substr(equals + 1));
  }
  return params;
}

std::string headerOf(const ir::Program& program) {
  std::string header;
  for (const ir::InputColumn& column : program.inputs) header += (header.empty() ? "" : ",") + column.header;
  return header + "\n";
}

// Every rule file that checks below tests/golden/eval, examples and stdlib-rules, compiled once.
std::vector<Compiled> compileRuleFiles() {
  std::vector<fs::path> files;
  for (const char* folder : {"tests/golden/eval", "examples", "stdlib-rules"}) {
    const fs::path root = fs::path(RW_SOURCE_DIR) / folder;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.path().extension() == ".rules") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Compiled> compiled;
  for (const fs::path& file : files) {
    Diagnostics diagnostics;
    Compiled entry;
    entry.rules = RuleSet::fromText(file.string(), readText(file), &diagnostics);
    if (entry.rules == nullptr) continue;
    entry.interp = mustCreate(*entry.rules, EngineKind::Interp);
    entry.jit = mustCreate(*entry.rules, EngineKind::Jit);
    entry.header = headerOf(entry.rules->program());
    entry.params = readParams(file.parent_path() / (file.stem().string() + ".params"));
    compiled.push_back(std::move(entry));
  }
  FUZZ_CHECK(!compiled.empty(), "no rule files found below " RW_SOURCE_DIR);
  return compiled;
}

std::string describe(const DriveResult& result) {
  return "error: " + result.error + "\nrows in " + std::to_string(result.rows_in) + ", out " +
         std::to_string(result.rows_out) + ", rejected " + std::to_string(result.rows_rejected) + "\noutput:\n" +
         result.output + "rejects:\n" + result.rejects;
}

void compareEngines(const RuleSet& rules, const Engine& interp, const Engine& jit, const std::string& csv,
                    const DriveOptions& options) {
  const DriveResult expected = drive(rules, interp, csv, options);
  // The JIT's run has the caller format its output where the writer allows it, so the comparison also
  // covers that path (the interpreter's run keeps the worker's formatting).
  DriveOptions caller_formats = options;
  caller_formats.caller_formats = true;
  const DriveResult actual = drive(rules, jit, csv, caller_formats);
  FUZZ_CHECK(expected.rows_in == expected.rows_out + expected.rows_rejected, "counts do not add up");
  FUZZ_CHECK(actual == expected, "the engines disagree (batch size " + std::to_string(options.batch_size) +
                                     ", the jit's output formatted by the caller where the writer allows it)" +
                                     "\n--- interpreter:\n" + describe(expected) + "\n--- jit:\n" + describe(actual) +
                                     "\n--- rules:\n" + rules.dumpIr() + "\n--- csv:\n" + csv);
}

const std::vector<Compiled>& ruleFiles() {
  static const std::vector<Compiled> compiled = compileRuleFiles();
  return compiled;
}

}  // namespace
}  // namespace regelwerk::fuzz

// Compiles the rule files before fuzzing starts, so their JIT time never counts toward -timeout.
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  regelwerk::fuzz::ruleFiles();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regelwerk;
  using namespace regelwerk::fuzz;
  const std::vector<Compiled>& goldens = ruleFiles();
  ByteSource bytes(data, size);
  const size_t choice = bytes.byte();
  DriveOptions options;
  static const size_t kBatchSizes[] = {1, 7, 2048};
  options.batch_size = kBatchSizes[bytes.pick(3)];
  if (choice < 2 * goldens.size()) {
    const Compiled& golden = goldens[choice % goldens.size()];
    options.params = golden.params;
    compareEngines(*golden.rules, *golden.interp, *golden.jit, golden.header + std::string(bytes.rest()), options);
    return 0;
  }
  const std::string text = generateProgram(&bytes);
  Diagnostics diagnostics;
  auto rules = RuleSet::fromText("generated.rules", text, &diagnostics);
  if (std::getenv("REGELWERK_FUZZ_VERBOSE")) std::fprintf(stderr, "%s%s", text.c_str(), diagnostics.text.c_str());
  if (rules == nullptr) return 0;  // the generator aims at programs that check, but may miss
  auto interp = mustCreate(*rules, EngineKind::Interp);
  auto jit = mustCreate(*rules, EngineKind::Jit);
  compareEngines(*rules, *interp, *jit, generateRows(&bytes), options);
  return 0;
}
