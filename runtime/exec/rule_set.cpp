// RuleSet: read a rule file, parse, check and lower it, keeping the sources for messages and dumps.
#include "compiler/ast/print.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/syntax/parser.hpp"
#include "runtime/exec/api.hpp"
#include "rule_loader.hpp"

namespace regelwerk {

struct RuleSet::State {
  SourceManager sources;
  ast::Ruleset ast;
  ir::Program program;
  std::string path;
};

RuleSet::RuleSet(std::unique_ptr<State> state) : state_(std::move(state)) {}
RuleSet::~RuleSet() = default;

const ir::Program& RuleSet::program() const { return state_->program; }
const std::string& RuleSet::path() const { return state_->path; }
const SourceManager& RuleSet::sources() const { return state_->sources; }

std::vector<std::string> RuleSet::files() const {
  std::vector<std::string> paths;
  for (uint32_t id = 1; id <= state_->sources.size(); ++id) paths.push_back(state_->sources.file(id).path());
  return paths;
}
std::string RuleSet::dumpAst() const { return ast::dumpAst(state_->ast); }
std::string RuleSet::dumpIr() const { return ir::print(state_->program); }

// At most one byte past the rule-file limit is read, so a huge file (or /dev/zero) gets E0105 at once.
static bool readWholeFile(const std::string& path, std::string* text, std::string* io_error) {
  std::string why;
  if (readSourceFile(path, syntax::kMaxFileBytes, text, &why)) return true;
  *io_error = "cannot read rule file `" + path + "`: " + why;
  return false;
}

std::unique_ptr<RuleSet> RuleSet::load(const std::string& path, Diagnostics* diagnostics, std::string* io_error) {
  return load(path, diagnostics, io_error, LoadOptions{});
}

std::unique_ptr<RuleSet> RuleSet::load(const std::string& path, Diagnostics* diagnostics, std::string* io_error,
                                       const LoadOptions& options) {
  std::string text;
  if (!readWholeFile(path, &text, io_error)) return nullptr;
  return fromText(path, std::move(text), diagnostics, options);
}

// Both engines rely on the IR's invariants (ir::verify). A violation is a compiler bug, reported as an
// internal error rather than run.
static void reportMalformedIr(const ir::Program& program, DiagnosticSink& sink) {
  std::vector<std::string> problems = ir::verify(program);
  if (problems.empty()) return;
  sink.error("E0000", Location{}, "internal error: the compiler produced malformed IR (" + problems.front() +
                                      "); please report this rule file");
}

std::unique_ptr<RuleSet> RuleSet::fromText(const std::string& path, std::string text, Diagnostics* diagnostics) {
  return fromText(path, std::move(text), diagnostics, LoadOptions{});
}

// Parsing, modules, table files and the test file go through the loader; then check and lower.
std::unique_ptr<RuleSet> RuleSet::fromText(const std::string& path, std::string text, Diagnostics* diagnostics,
                                           const LoadOptions& options) {
  auto state = std::make_unique<State>();
  DiagnosticSink sink;
  LoadedRules loaded = loadRuleFiles(path, std::move(text), options.with_test_file, state->sources, sink);
  state->path = loaded.main_path;
  std::optional<ast::Ruleset>& tree = loaded.ast;
  std::optional<ir::Program> program;
  if (tree && !loaded.blocked) program = checkAndLower(*tree, state->sources, sink);
  if (program) reportMalformedIr(*program, sink);
  diagnostics->text = renderAll(state->sources, sink);
  diagnostics->errors = sink.errorCount();
  if (!program || sink.hasErrors()) return nullptr;
  state->ast = std::move(*tree);
  state->program = std::move(*program);
  state->program.source_path = state->path;
  return std::unique_ptr<RuleSet>(new RuleSet(std::move(state)));
}

}  // namespace regelwerk

namespace regelwerk {

char declaredSeparator(const RuleSet& rules) {
  return rules.program().input_separator != 0 ? rules.program().input_separator : ',';
}

}  // namespace regelwerk
