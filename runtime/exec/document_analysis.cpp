// analyzeDocument: the loader and checker `check` runs, with their results kept as data.
#include "document_analysis.hpp"

#include <map>

#include "compiler/ast/ast.hpp"
#include "compiler/ir/type.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/support/diagnostics.hpp"
#include "rule_loader.hpp"

namespace regelwerk {
namespace {

// A declared type as the language writes it: `decimal(2)`, `enum(a, b)?`.
std::string typeText(const ast::TypeRef& type) {
  static const char* const kNames[] = {"bool", "int",    "decimal",   "money",    "percent", "date",
                                       "days", "string", "enum",      "timestamp", "duration", "time"};
  std::string text = kNames[static_cast<size_t>(type.kind)];
  if (type.scale_text) text += "(" + *type.scale_text + ")";
  if (type.kind == ast::TypeKind::Enum) {
    text += "(";
    for (size_t member = 0; member < type.members.size(); ++member) text += (member ? ", " : "") + type.members[member];
    text += ")";
  }
  return type.optional ? text + "?" : text;
}

class Collector {
 public:
  Collector(const SourceManager& sources, const std::map<std::string, std::string>& inferred)
      : sources_(&sources), inferred_(&inferred) {}

  void add(const std::string& name, const char* kind, std::string detail, const Location& loc,
           const std::string& container = "") {
    const std::string file = loc.file >= 1 && loc.file <= sources_->size() ? sources_->file(loc.file).path() : "";
    symbols_.push_back(DocumentSymbol{name, kind, std::move(detail), container, file, loc.line, loc.col});
  }

  void addTyped(const std::string& name, const char* kind, const ast::TypeRef& type, const Location& loc,
                const std::string& container = "") {
    add(name, kind, typeText(type), loc, container);
    for (size_t member = 0; member < type.members.size(); ++member) {
      const Location& where = member < type.member_locs.size() ? type.member_locs[member] : type.loc;
      add(type.members[member], "enum member", typeText(type), where, name);
    }
  }

  void collect(const ast::Ruleset& tree) {
    for (const ast::InputDecl& input : tree.inputs) {
      add(input.name, "input", "", input.loc);
      for (const ast::Field& field : input.fields) addTyped(field.name, "field", field.type, field.loc, input.name);
    }
    for (const ast::Requirement& requirement : tree.requirements)
      addTyped(requirement.field.name, "field", requirement.field.type, requirement.field.loc, requirement.module);
    for (const ast::ParamDecl& param : tree.params) addTyped(param.name, "param", param.type, param.loc);
    // Before lets and outputs: a name is looked up first match first, and a fold's output often
    // repeats its step's name (`output year: int = year`).
    for (const ast::ItemBlock& block : tree.blocks) {
      if (block.overRange()) add(block.variable, "step", "the step of `fold " + block.variable + " in`", block.variable_loc);
    }
    for (const ast::LetDecl& let : tree.lets) {
      if (let.reject) continue;  // a `reject … when` line, not a name
      if (let.type) {
        addTyped(let.name, "let", *let.type, let.loc);
        continue;
      }
      auto found = inferred_->find(let.name);
      add(let.name, "let", found == inferred_->end() ? "" : found->second, let.loc);
    }
    for (const ast::OutputDecl& output : tree.outputs)
      addTyped(output.name, output.state ? "state" : "output", output.type, output.loc);
    for (const ast::TableDecl& table : tree.tables) add(table.name, "table", "", table.loc);
    for (const ast::FunctionDecl& function : tree.functions) add(function.name, "function", typeText(function.result), function.loc);
  }

  std::vector<DocumentSymbol> take() { return std::move(symbols_); }

 private:
  const SourceManager* sources_;
  const std::map<std::string, std::string>* inferred_;
  std::vector<DocumentSymbol> symbols_;
};

// The lets' types the checker inferred (main program and stage programs), by name.
std::map<std::string, std::string> inferredTypes(const ir::Program& program) {
  std::map<std::string, std::string> types;
  std::vector<const ir::Program*> programs{&program};
  if (program.grouping) {
    const std::vector<const ir::Program*> stages = program.grouping->stagePrograms();
    programs.insert(programs.end(), stages.begin(), stages.end());
  }
  for (const ir::Program* current : programs)
    for (const ir::Let& let : current->lets) types.emplace(let.name, ir::typeName(let.type));
  return types;
}

// The loader reads the document first.
constexpr uint32_t kDocumentFile = 1;

}  // namespace

DocumentAnalysis analyzeDocument(const std::string& path, const std::string& text, const ProgramChecks& more_checks) {
  SourceManager sources;
  DiagnosticSink sink;
  LoadedRules loaded = loadRuleFiles(path, text, false, sources, sink);
  std::map<std::string, std::string> inferred;
  std::vector<Diagnostic> diagnostics;
  if (loaded.ast && !loaded.blocked) {
    std::optional<ir::Program> program = checkAndLower(*loaded.ast, sources, sink);
    if (program && !sink.hasErrors()) inferred = inferredTypes(*program);
    if (program && !sink.hasErrors() && more_checks) diagnostics = more_checks(*program, sources);
  }
  std::vector<Diagnostic> checked = sink.sorted();
  diagnostics.insert(diagnostics.begin(), checked.begin(), checked.end());
  DocumentAnalysis analysis;
  for (const Diagnostic& diagnostic : diagnostics) {
    const Location& loc = diagnostic.loc;
    const std::string file = loc.file >= 1 && loc.file <= sources.size() ? sources.file(loc.file).path() : path;
    DocumentDiagnostic shown{file, loc.line, loc.col, diagnostic.severity == Severity::Error,
                             diagnostic.code, diagnostic.message, diagnostic.hint};
    // Up the chain of `use`s (each file is read once, so the chain ends) to the document's own.
    Location at = loc;
    for (auto reader = loaded.read_because_of.find(at.file); reader != loaded.read_because_of.end();
         reader = loaded.read_because_of.find(at.file)) {
      at = reader->second;
    }
    if (at.file == kDocumentFile && loc.file != kDocumentFile) {
      shown.read_at_line = at.line;
      shown.read_at_col = at.col;
    }
    analysis.diagnostics.push_back(std::move(shown));
  }
  if (loaded.ast) {
    Collector collector(sources, inferred);
    collector.collect(*loaded.ast);
    analysis.symbols = collector.take();
  }
  return analysis;
}

}  // namespace regelwerk
