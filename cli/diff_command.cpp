// `regelwerk diff`: loads both versions, runs regelwerk::diffRun and writes the report to standard
// output or --output FILE (replaced only when the diff completes, as `run` replaces its output).
#include "diff_command.hpp"

#include "console.hpp"
#include "diff_report.hpp"
#include "runtime/exec/diff_run.hpp"
#include "runtime/exec/output_file.hpp"

namespace regelwerk::cli {

namespace {

constexpr int kExitUsage = 2;

// Rule errors are exit 2 here, not 1 as for `run`: 1 says "the versions differ".
std::unique_ptr<RuleSet> loadVersion(const std::string& path) {
  Diagnostics diagnostics;
  std::string io_error;
  auto rules = RuleSet::load(path, &diagnostics, &io_error);
  if (!io_error.empty()) {
    print(stderr, "regelwerk: {}\n", io_error);
    return nullptr;
  }
  print(stderr, "{}", diagnostics.text);
  if (!rules)
    print(stderr, "{}: {} error{}; nothing was compared\n", path, diagnostics.errors,
          diagnostics.errors == 1 ? "" : "s");
  return rules;
}

DiffOptions diffOptions(const Args& args, const RuleSet& old_rules) {
  DiffOptions options;
  options.input_path = args.run.input_path;
  options.params = args.run.params;
  options.threads = args.run.threads;
  options.batch_size = args.run.batch_size;
  options.separator = args.separator_given ? args.run.separator : declaredSeparator(old_rules);
  options.sample_limit = static_cast<size_t>(args.diff_limit);
  options.report_path = args.run.output_path == "-" ? "" : args.run.output_path;
  return options;
}

bool writeReport(const std::string& path, const std::string& text, std::string* error) {
  if (path.empty() || path == "-") return write(stdout, text), true;
  OutputFile file;
  if (!file.open(path, "report", error)) return false;
  if (!file.write(text)) return *error = file.error(), false;
  return commitTogether({&file}, error);
}

}  // namespace

int runDiffCommand(const Args& args) {
  auto old_rules = loadVersion(args.rules_path);
  auto new_rules = old_rules ? loadVersion(args.new_rules_path) : nullptr;
  if (!old_rules || !new_rules) return kExitUsage;
  std::string error;
  auto old_engine = Engine::create(*old_rules, args.engine, &error);
  auto new_engine = old_engine ? Engine::create(*new_rules, args.engine, &error) : nullptr;
  if (!old_engine || !new_engine) return print(stderr, "regelwerk: internal error in the JIT: {}\n", error), kExitUsage;
  if (!args.separator_given && declaredSeparator(*old_rules) != declaredSeparator(*new_rules)) {
    print(stderr, "regelwerk: the two versions declare different input separators: give --separator\n");
    return kExitUsage;
  }
  DiffOptions options = diffOptions(args, *old_rules);
  DiffSummary summary = diffRun(*old_rules, *old_engine, *new_rules, *new_engine, options);
  if (!summary.error.empty()) return print(stderr, "regelwerk: {}\n", summary.error), kExitUsage;
  std::string report = renderDiffReport(summary, args.rules_path, args.new_rules_path, args.run.input_path);
  if (!writeReport(options.report_path, report, &error)) return print(stderr, "regelwerk: {}\n", error), kExitUsage;
  return summary.exit_code;
}

}  // namespace regelwerk::cli
