// The rule-file loader: parse, follow `use`, read table CSVs and the companion test file, merge.
//
// Merging: a used module's tables, functions, params, lets, outputs and decisions join the rule set
// (its functions and lets go after those of the modules merged before it and before the rule set's
// own, so that each may call and read the ones before it); its `input` fields become requirements
// the checker matches against the rule set's fields, params and lets; its tests stay with the module.
#include "rule_loader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <fmt/format.h>
#include <set>

#include "compiler/syntax/parser.hpp"
#include "runtime/io/table_csv_reader.hpp"

#ifndef RW_STDLIB_DIR
#define RW_STDLIB_DIR ""
#endif
// Where an installation puts the standard library, relative to the folder of the installed command
// (bin/) and of the installed library (lib/ or lib/x86_64-linux-gnu/); set by runtime/CMakeLists.txt.
#ifndef RW_STDLIB_FROM_BINDIR
#define RW_STDLIB_FROM_BINDIR "../share/regelwerk/stdlib-rules"
#endif
#ifndef RW_STDLIB_FROM_LIBDIR
#define RW_STDLIB_FROM_LIBDIR "../share/regelwerk/stdlib-rules"
#endif

namespace regelwerk {

namespace fs = std::filesystem;

namespace {

// Module and test files are rule files: read at most one byte past the rule-file limit, so that
// E0105 (checked on the text) fires without reading a runaway file (/dev/zero) to the end.
bool readText(const fs::path& path, std::string* text, std::string* why = nullptr) {
  std::string ignored;
  return readSourceFile(path.string(), syntax::kMaxFileBytes, text, why ? why : &ignored);
}

template <class T>
void appendAll(std::vector<T>& to, std::vector<T>& from) {
  for (T& item : from) to.push_back(std::move(item));
  from.clear();
}

class Loader {
 public:
  Loader(SourceManager& sources, DiagnosticSink& sink) : sources_(sources), sink_(sink) {}
  LoadedRules load(const std::string& path, std::string text, bool with_test_file) {
    LoadedRules result = loadFiles(path, std::move(text), with_test_file);
    result.read_because_of = read_because_of_;  // also when a file did not parse: its errors need a place
    return result;
  }

 private:
  LoadedRules loadFiles(const std::string& path, std::string text, bool with_test_file);
  // `because_of`: the `use` or `tests for` that reads this file (nullptr for the file asked for).
  std::optional<ast::Ruleset> parse(const std::string& path, std::string text, uint32_t first_id,
                                    const Location* because_of = nullptr);
  void loadUses(ast::Ruleset& into, const ast::Ruleset& from);
  void loadModule(ast::Ruleset& into, const ast::UseDecl& use, const fs::path& base);
  void merge(ast::Ruleset& into, ast::Ruleset module, Location use_loc);
  void mergeGroup(ast::Ruleset& into, ast::Ruleset& module);
  void loadTables(ast::Ruleset& ruleset);
  void loadTable(ast::TableDecl& table, const std::vector<fs::path>& candidates);
  void mergeTestFile(ast::Ruleset& into, const fs::path& path, bool required);
  fs::path directoryOf(Location loc) const { return fs::path(sources_.file(loc.file).path()).parent_path(); }

  SourceManager& sources_;
  DiagnosticSink& sink_;
  std::set<std::string> loaded_;  // canonical paths of modules already merged (diamonds load once)
  size_t module_blocks_ = 0;      // the first blocks of the rule set being built are modules' (mergeGroup)
  size_t module_functions_ = 0;   // and so are its first functions, lets and distributions (merge)
  size_t module_lets_ = 0;
  size_t module_distributes_ = 0;
  std::map<uint32_t, Location> read_because_of_;
  uint32_t next_id_ = 0;
  bool blocked_ = false;
};

std::optional<ast::Ruleset> Loader::parse(const std::string& path, std::string text, uint32_t first_id,
                                          const Location* because_of) {
  uint32_t file = sources_.add(path, std::move(text));
  if (because_of != nullptr) read_because_of_[file] = *because_of;
  std::optional<ast::Ruleset> tree = syntax::parseRuleset(sources_, file, sink_, first_id);
  if (tree) next_id_ = tree->expr_count;
  blocked_ = blocked_ || !tree;
  return tree;
}

LoadedRules Loader::loadFiles(const std::string& path, std::string text, bool with_test_file) {
  LoadedRules result;
  result.ast = parse(path, std::move(text), 0);
  result.main_path = path;
  if (!result.ast) return result;
  if (result.ast->kind == ast::FileKind::Tests) {
    fs::path test_path = path;
    fs::path target = test_path.parent_path() / result.ast->tests_for;
    std::string target_text;
    if (!readText(target, &target_text)) {
      sink_.error("E0806", result.ast->loc, fmt::format("cannot read \"{}\", the rule file these tests are for",
                                                        target.string()));
      result.ast.reset();
      return result;
    }
    result.main_path = target.string();
    const Location header = result.ast->loc;
    result.ast = parse(result.main_path, std::move(target_text), next_id_, &header);
    if (!result.ast) return result;
    mergeTestFile(*result.ast, test_path, true);
    with_test_file = false;
  }
  loaded_.insert(fs::weakly_canonical(result.main_path).string());
  ast::Ruleset& ruleset = *result.ast;
  loadTables(ruleset);
  std::vector<ast::UseDecl> uses = ruleset.uses;
  for (const ast::UseDecl& use : uses) loadModule(ruleset, use, directoryOf(use.loc));
  if (with_test_file) {
    fs::path beside = fs::path(result.main_path).replace_extension(".test.rules");
    if (fs::exists(beside)) mergeTestFile(ruleset, beside, false);
  }
  ruleset.expr_count = next_id_;
  result.blocked = blocked_;
  return result;
}

// `use std.interest` -> <stdlib>/std/interest.rules; `use "./x.rules"` -> beside the using file.
void Loader::loadModule(ast::Ruleset& into, const ast::UseDecl& use, const fs::path& base) {
  fs::path path = (base / use.path).lexically_normal();
  if (use.path.empty()) {
    std::string relative = use.module;
    for (char& ch : relative) ch = ch == '.' ? '/' : ch;
    path = fs::path(stdlibDirectory()) / (relative + ".rules");
  }
  std::string canonical = fs::weakly_canonical(path).string();
  if (!loaded_.insert(canonical).second) return;
  std::string text, why;
  if (!readText(path, &text, &why)) {
    blocked_ = true;
    if (use.path.empty() && why.find("No such file") != std::string::npos) {
      sink_.error("E0805", use.loc, fmt::format("there is no module `{}` in the standard library", use.module),
                  "it is looked up in $REGELWERK_STDLIB, else in stdlib-rules/");
    } else {
      sink_.error("E0805", use.loc, fmt::format("cannot read module file \"{}\": {}", path.string(), why));
    }
    return;
  }
  std::optional<ast::Ruleset> module = parse(path.string(), std::move(text), next_id_, &use.loc);
  if (!module) return;
  if (module->kind != ast::FileKind::Module || (use.path.empty() && module->name != use.module)) {
    blocked_ = true;
    std::string found = module->kind == ast::FileKind::Module ? fmt::format("module `{}`", module->name)
                        : module->kind == ast::FileKind::Ruleset ? "a rule set" : "a test file";
    sink_.error("E0805", use.loc, fmt::format("\"{}\" is {}, not the module `use` asks for", path.string(), found),
                fmt::format("a module file starts with `module {}`", use.path.empty() ? use.module : "NAME"));
    return;
  }
  loadTables(*module);
  std::vector<ast::UseDecl> uses = module->uses;
  for (const ast::UseDecl& inner : uses) loadModule(into, inner, path.parent_path());
  merge(into, std::move(*module), use.loc);
}

void Loader::merge(ast::Ruleset& into, ast::Ruleset module, Location use_loc) {
  bool grouped = !module.pers.empty() || std::any_of(module.inputs.begin(), module.inputs.end(),
                                                     [](const ast::InputDecl& input) { return input.key.has_value(); });
  // The module's lets go after those of the modules merged before it and before the rule set's own
  // (below); a distribution in a ledger counts the lets written before it, so both sides shift.
  for (size_t own = module_distributes_; own < into.distributes.size(); ++own) into.distributes[own].lets_before += module.lets.size();
  for (ast::DistributeDecl& decl : module.distributes) decl.lets_before += module_lets_;
  if (grouped) mergeGroup(into, module);
  for (ast::InputDecl& input : module.inputs) {
    for (ast::Field& field : input.fields) into.requirements.push_back({std::move(field), module.name, use_loc});
  }
  appendAll(into.requirements, module.requirements);
  appendAll(into.tables, module.tables);
  // The module's functions after those of the modules merged before it (which it may use: a module's
  // own `use`s are merged first) and before the rule set's own, so that each may call the ones before it.
  const size_t functions = module.functions.size();
  into.functions.insert(into.functions.begin() + static_cast<std::ptrdiff_t>(module_functions_),
                        std::make_move_iterator(module.functions.begin()), std::make_move_iterator(module.functions.end()));
  module_functions_ += functions;
  appendAll(into.params, module.params);
  appendAll(into.outputs, module.outputs);
  appendAll(into.decisions, module.decisions);
  // The module's lets after those of the modules merged before it and before the rule set's own, so
  // that each reads the ones before it (a module's own `use`s are merged first), as for functions.
  const size_t lets = module.lets.size();
  into.lets.insert(into.lets.begin() + static_cast<std::ptrdiff_t>(module_lets_), std::make_move_iterator(module.lets.begin()),
                   std::make_move_iterator(module.lets.end()));
  module_lets_ += lets;
}

// A grouped module (keyed inputs, a `per` block) is a whole pipeline: the rule set that uses it reads
// the module's inputs and writes its records, and may add lets and outputs of its own in `per K ...
// end`. Its inputs, `per` block (unless the rule set has one), blocks and distributions move over;
// the module's blocks go after the blocks of the modules merged before it and before the rule set's
// own (folds run in block order, and a fold reads the states of the folds before it: a module used by
// a module, then that module, then the rule set), and the block indices are shifted to match; a `per
// k` without `as` keeps the module's record name; the module's distributions come first, as its lets
// do. Example: `ruleset estates use std.insolvency` runs the insolvency waterfall.
void Loader::mergeGroup(ast::Ruleset& into, ast::Ruleset& module) {
  const int at = static_cast<int>(module_blocks_);
  const int added = static_cast<int>(module.blocks.size());
  auto shift = [](auto& declarations, int from, int by) {
    for (auto& declaration : declarations) {
      if (declaration.block >= from) declaration.block += by;
    }
  };
  shift(into.lets, at, added);  // the rule set's own blocks move behind the module's
  shift(into.outputs, at, added);
  shift(into.decisions, at, added);
  shift(into.distributes, at, added);
  shift(module.lets, 0, at);
  shift(module.outputs, 0, at);
  shift(module.decisions, 0, at);
  shift(module.distributes, 0, at);
  for (ast::ItemBlock& block : into.blocks) {  // a ledger names its fold
    if (block.parent >= at) block.parent += added;
  }
  for (ast::ItemBlock& block : module.blocks) {
    if (block.parent >= 0) block.parent += at;
  }
  appendAll(into.inputs, module.inputs);
  module.inputs.clear();
  into.blocks.insert(into.blocks.begin() + at, std::make_move_iterator(module.blocks.begin()),
                     std::make_move_iterator(module.blocks.end()));
  module_blocks_ += module.blocks.size();
  // The module's distributions after those of the modules merged before it, before the rule set's own.
  const size_t distributes = module.distributes.size();
  into.distributes.insert(into.distributes.begin() + static_cast<std::ptrdiff_t>(module_distributes_),
                          std::make_move_iterator(module.distributes.begin()), std::make_move_iterator(module.distributes.end()));
  module_distributes_ += distributes;
  if (into.pers.empty()) return appendAll(into.pers, module.pers);
  bool named = !into.pers[0].record.empty();
  if (!named && !module.pers.empty()) into.pers[0].record = module.pers[0].record;  // `per k` adds to `per k as R`
}

// A table's CSV file is read now, at compile time, relative to the file that declares the table
// ($REGELWERK_DATA_DIR, when set, is tried first for relative paths), and tokenized by the data
// reader's splitter (runtime/io/table_csv_reader); the checker types the cells. A place where the file
// cannot be opened falls through to the next; a file that opens but is no table (a directory, over
// the size limit) is an error at once.
void Loader::loadTables(ast::Ruleset& ruleset) {
  for (ast::TableDecl& table : ruleset.tables) {
    if (!table.path) continue;
    std::vector<fs::path> candidates;
    const char* data_dir = std::getenv("REGELWERK_DATA_DIR");
    if (data_dir && *data_dir && fs::path(*table.path).is_relative()) {
      candidates.push_back(fs::path(data_dir) / fs::path(*table.path).filename());
    }
    candidates.push_back(directoryOf(table.loc) / *table.path);
    loadTable(table, candidates);
  }
}

void Loader::loadTable(ast::TableDecl& table, const std::vector<fs::path>& candidates) {
  TableFile file;
  for (const fs::path& candidate : candidates) {
    file = readTableFile(candidate.string());
    if (file.open_errno != 0) continue;
    if (!file.problem.empty()) {
      sink_.error("E0705", table.path_loc,
                  fmt::format("\"{}\" for table `{}` {}", candidate.string(), table.name, file.problem),
                  fmt::format("a table is a CSV file of at most {} MiB", kMaxTableFileBytes >> 20));
      return;
    }
    uint32_t id = sources_.add(candidate.string(), std::move(file.text));
    table.csv = splitTableCsv(sources_.file(id).text(), id, sink_);
    return;
  }
  std::string reason = std::string(": ") + std::strerror(file.open_errno);  // "No such file or directory"
  sink_.error("E0705", table.path_loc,
              fmt::format("cannot read \"{}\" for table `{}`{}", candidates.back().string(), table.name, reason),
              "the path is relative to the rule file");
}

// X.test.rules holds only tests and examples for X.rules.
void Loader::mergeTestFile(ast::Ruleset& into, const fs::path& path, bool already_parsed) {
  std::string text;
  std::optional<ast::Ruleset> tests;
  if (already_parsed) {
    for (uint32_t file = 1; file <= sources_.size() && !tests; ++file) {
      if (sources_.file(file).path() != path.string()) continue;
      tests = syntax::parseRuleset(sources_, file, sink_, next_id_);
    }
  } else if (readText(path, &text)) {
    tests = parse(path.string(), std::move(text), next_id_);
  }
  if (!tests) return;
  next_id_ = tests->expr_count;
  bool only_tests = tests->inputs.empty() && tests->params.empty() && tests->lets.empty() && tests->outputs.empty() &&
                    tests->decisions.empty() && tests->tables.empty() && tests->functions.empty() &&
                    tests->uses.empty() && tests->settings.empty();
  if (tests->kind != ast::FileKind::Tests || !only_tests) {
    blocked_ = true;
    sink_.error("E0806", tests->loc, "a test file starts with `tests for \"X.rules\"` and holds only tests and examples");
    return;
  }
  appendAll(into.tests, tests->tests);
}

}  // namespace

// One read(2) loop with a ceiling, not an ifstream: a directory opens fine as an ifstream and reads
// as an empty file (which the parser reported as `unexpected end of file`), and /dev/zero never ends.
// Example: a 10 MB file with max_bytes 4 MiB -> true with the first 4 MiB + 1 bytes.
bool readSourceFile(const std::string& path, size_t max_bytes, std::string* text, std::string* why) {
  why->clear();
  text->clear();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *why = std::strerror(errno);
    return false;
  }
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    ::close(fd);
    *why = "it is a directory, not a file";
    return false;
  }
  char block[65536];
  while (text->size() <= max_bytes) {
    const ssize_t got = ::read(fd, block, std::min(sizeof block, max_bytes + 1 - text->size()));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) *why = std::strerror(errno);
    if (got <= 0) break;
    text->append(block, static_cast<size_t>(got));
  }
  ::close(fd);
  return why->empty();
}

LoadedRules loadRuleFiles(const std::string& path, std::string text, bool with_test_file, SourceManager& sources,
                          DiagnosticSink& sink) {
  return Loader(sources, sink).load(path, std::move(text), with_test_file);
}

// The folder of the file this code was loaded from: the `regelwerk` command, or libregelwerk.so when an
// integrator's program uses the library (whose /proc/self/exe is the integrator's program).
static fs::path loadedFromFolder() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&stdlibDirectory), &info) == 0 || !info.dli_fname) return {};
  std::error_code error;
  fs::path file = fs::canonical(info.dli_fname, error);
  return error ? fs::path() : file.parent_path();
}

std::string stdlibDirectory() {
  const char* env = std::getenv("REGELWERK_STDLIB");
  if (env && *env) return env;
  fs::path folder = loadedFromFolder();
  for (const char* relative : {RW_STDLIB_FROM_BINDIR, RW_STDLIB_FROM_LIBDIR}) {
    std::error_code error;
    if (!folder.empty() && fs::is_directory(folder / relative, error)) return (folder / relative).lexically_normal().string();
  }
  if (*RW_STDLIB_DIR && fs::exists(RW_STDLIB_DIR)) return RW_STDLIB_DIR;
  return (folder / "stdlib-rules").string();
}

}  // namespace regelwerk
