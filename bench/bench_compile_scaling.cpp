// `bench_compile_scaling [--sizes 2000,5000,10000,20000] [--policies first,unique,exceptions] [--keep DIR]
//  [--front-end-only]`:
// how compile time grows with the number of rules. For each hit policy and rule count it generates a rule
// file, times every phase of the front end and the JIT (parse, check, lower, ir::verify, LLVM module,
// O2, machine code) and then the whole of `regelwerk run` on a three-row input through the public API
// (load + JIT + run), and prints a markdown table and the ratio of the largest to the smallest size.
// Linear compile time means that ratio stays near the ratio of the sizes (10 for 2k -> 20k).
// README.md beside this file says how to build and run it.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/jit/code_cache.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/lower/from_typed_ast.hpp"
#include "compiler/sema/typed_ruleset.hpp"
#include "compiler/support/diagnostics.hpp"
#include "compiler/syntax/parser.hpp"
#include "runtime/exec/api.hpp"
#include "runtime/jit/jit_engine.hpp"

namespace {

namespace fs = std::filesystem;
using namespace regelwerk;
using Clock = std::chrono::steady_clock;

struct Options {
  std::vector<size_t> sizes = {2000, 5000, 10000, 20000};
  std::vector<std::string> policies = {"first", "unique", "exceptions"};
  std::string keep_dir;  // non-empty: write the generated files there and keep them
  bool front_end_only = false;  // --front-end-only: parse, check, lower and verify; no JIT, no run
};

double millisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Rule `k` applies to the rows with code == k (and any amount of at least k % 100 EUR), so the rules of
// a `first` or `unique` block never conflict and a row can be aimed at any rule.
std::string ruleText(size_t k, const std::string& name, const std::string& category, const std::string& fee) {
  return fmt::format("  rule {} when code == {} and amount >= {}.00 EUR\n    then {} = {}, {} = amount + {}.{:02} EUR\n",
                     name, k, k % 100, category, k, fee, k % 1000, k % 100);
}

const char* kHeader =
    "ruleset scaling\n\ninput Row\n  id: int\n  code: int\n  amount: money\n\noutput id: int = id\n";

// One `first` or `unique` block of `rules` rules.
std::string singleBlock(const std::string& policy, size_t rules) {
  std::string text = kHeader;
  text += "output category: int = -1\noutput fee: money = 0.00 EUR\n\ndecide " + policy + "\n";
  for (size_t k = 0; k < rules; ++k) text += ruleText(k, fmt::format("r{}", k), "category", "fee");
  return text + "end\n";
}

// `exceptions` blocks hold at most 64 rules, and an output is assigned by one block only: so `rules`
// rules are rules/64 blocks, each with its own two outputs, every odd rule overriding the one before.
std::string exceptionBlocks(size_t rules) {
  std::string text = kHeader;
  size_t blocks = (rules + ir::kMaxRulesPerExceptionsBlock - 1) / ir::kMaxRulesPerExceptionsBlock;
  for (size_t block = 0; block < blocks; ++block) {
    text += fmt::format("output c{}: int = -1\noutput f{}: money = 0.00 EUR\n", block, block);
  }
  for (size_t k = 0; k < rules; ++k) {
    size_t block = k / ir::kMaxRulesPerExceptionsBlock;
    size_t in_block = k % ir::kMaxRulesPerExceptionsBlock;
    if (in_block == 0) text += k == 0 ? "\ndecide exceptions\n" : "end\n\ndecide exceptions\n";
    std::string name = fmt::format("b{}r{}", block, in_block);
    if (in_block % 2 == 1) name += fmt::format(" overrides b{}r{}", block, in_block - 1);
    text += ruleText(k, name, fmt::format("c{}", block), fmt::format("f{}", block));
  }
  return text + "end\n";
}

std::string rulesFor(const std::string& policy, size_t rules) {
  return policy == "exceptions" ? exceptionBlocks(rules) : singleBlock(policy, rules);
}

struct Timing {
  double parse = 0, check = 0, lower = 0, verify = 0;
  JitTimings jit;
  double end_to_end = 0;  // load + JIT + run of three rows, through the public API
  double total() const {
    return parse + check + lower + verify + jit.emit_ms + jit.optimize_ms + jit.machine_code_ms + jit.load_ms;
  }
};

void fail(const std::string& message) {
  std::fprintf(stderr, "bench_compile_scaling: %s\n", message.c_str());
  std::exit(1);
}

// The front end phase by phase, then the JIT with its own phase timings.
void timePhases(const std::string& path, const std::string& text, bool front_end_only, Timing* timing) {
  SourceManager sources;
  DiagnosticSink sink;
  uint32_t file = sources.add(path, text);
  auto start = Clock::now();
  std::optional<ast::Ruleset> tree = syntax::parseRuleset(sources, file, sink);
  timing->parse = millisSince(start);
  if (!tree || sink.hasErrors()) fail("the generated rule file does not parse");
  start = Clock::now();
  sema::TypedRuleset typed = sema::checkRuleset(*tree, sources, sink);
  timing->check = millisSince(start);
  if (sink.hasErrors()) fail("the generated rule file does not check: " + sink.all().front().message);
  start = Clock::now();
  ir::Program program = lower::fromTypedAst(typed, sources);
  timing->lower = millisSince(start);
  start = Clock::now();
  if (!ir::verify(program).empty()) fail("malformed IR");
  timing->verify = millisSince(start);
  if (front_end_only) return;
  std::string error;
  if (!compileJitTimed(program, &error, &timing->jit)) fail("JIT: " + error);
}

// What a user waits for: `regelwerk run` on three rows that hit the first, a middle and the last rule.
void timeEndToEnd(const fs::path& dir, size_t rules, Timing* timing) {
  fs::path rules_path = dir / "scaling.rules";
  std::ofstream(dir / "input.csv") << fmt::format("id,code,amount\n1,0,50.00\n2,{},50.00\n3,{},50.00\n", rules / 2,
                                                  rules - 1);
  auto start = Clock::now();
  Diagnostics diagnostics;
  std::string error;
  auto rule_set = RuleSet::load(rules_path.string(), &diagnostics, &error);
  if (!rule_set) fail("cannot load: " + error + diagnostics.text);
  auto engine = Engine::create(*rule_set, EngineKind::Jit, &error);
  if (!engine) fail("JIT: " + error);
  RunOptions options;
  options.input_path = (dir / "input.csv").string();
  options.output_path = (dir / "output.csv").string();
  options.threads = 1;
  RunSummary summary = run(*rule_set, *engine, options);
  timing->end_to_end = millisSince(start);
  if (summary.exit_code != 0 || summary.rows_out != 3) fail("the run failed: " + summary.error);
}

std::vector<size_t> parseSizes(const std::string& list) {
  std::vector<size_t> sizes;
  std::stringstream stream(list);
  for (std::string item; std::getline(stream, item, ',');) sizes.push_back(std::stoul(item));
  return sizes;
}

std::vector<std::string> parseNames(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream stream(list);
  for (std::string item; std::getline(stream, item, ',');) names.push_back(item);
  return names;
}

Options parseOptions(int argc, char** argv) {
  Options options;
  for (int arg = 1; arg < argc; arg += 2) {
    std::string name = argv[arg];
    if (name == "--help") {
      std::printf("usage: bench_compile_scaling [--sizes LIST] [--policies LIST] [--keep DIR] [--front-end-only]\n");
      std::exit(0);
    }
    if (name == "--front-end-only") {
      options.front_end_only = true;
      --arg;
      continue;
    }
    if (arg + 1 >= argc) fail("option " + name + " takes a value");
    if (name == "--sizes") options.sizes = parseSizes(argv[arg + 1]);
    else if (name == "--policies") options.policies = parseNames(argv[arg + 1]);
    else if (name == "--keep") options.keep_dir = argv[arg + 1];
    else fail("unknown option " + name + "; options: --sizes LIST, --policies LIST, --keep DIR, --front-end-only");
  }
  return options;
}

fs::path scratchDirectory(const Options& options) {
  if (!options.keep_dir.empty()) {
    fs::create_directories(options.keep_dir);
    return options.keep_dir;
  }
  std::string pattern = (fs::temp_directory_path() / "bench_compile_scaling.XXXXXX").string();
  if (!mkdtemp(pattern.data())) fail("cannot create a scratch folder");
  return pattern;
}

void printRow(const std::string& policy, size_t rules, const Timing& t) {
  std::printf("| %s | %zu | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | **%.0f** | **%.0f** |\n", policy.c_str(),
              rules, t.parse, t.check, t.lower, t.verify, t.jit.emit_ms, t.jit.optimize_ms, t.jit.machine_code_ms,
              t.total(), t.end_to_end);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parseOptions(argc, argv);
  regelwerk::setCodeCache({false, ""});  // compile times, not cache hits
  fs::path dir = scratchDirectory(options);
  std::printf("All times in ms. `sum` = the phases before it; `run` = load + JIT + run of 3 rows (public API).\n\n");
  std::printf("| policy | rules | parse | check | lower | verify | LLVM module | O2 | machine code | sum | run |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::map<std::string, std::vector<double>> totals;
  for (const std::string& policy : options.policies) {
    for (size_t rules : options.sizes) {
      std::string text = rulesFor(policy, rules);
      Timing timing;
      std::ofstream(dir / "scaling.rules") << text;
      timePhases((dir / "scaling.rules").string(), text, options.front_end_only, &timing);
      if (!options.front_end_only) timeEndToEnd(dir, rules, &timing);
      printRow(policy, rules, timing);
      totals[policy].push_back(timing.end_to_end);
    }
  }
  std::printf("\n");
  for (const auto& [policy, runs] : totals) {
    std::printf("%s: run time %zu rules / %zu rules = %.1f (rule ratio %.1f)\n", policy.c_str(), options.sizes.back(),
                options.sizes.front(), runs.back() / runs.front(),
                static_cast<double>(options.sizes.back()) / static_cast<double>(options.sizes.front()));
  }
  if (options.keep_dir.empty()) fs::remove_all(dir);
  return 0;
}
