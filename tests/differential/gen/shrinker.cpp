// Greedy minimization of programs and rows; every candidate is judged by the oracle.
#include "shrinker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "csv_generator.hpp"
#include "program_generator.hpp"

namespace regelwerk::difftest {

namespace fs = std::filesystem;

namespace {

class Shrinker {
 public:
  Shrinker(GProgram program, std::string csv, const Oracle& oracle, int budget)
      : program_(std::move(program)), csv_(std::move(csv)), oracle_(oracle), budget_(budget) {}
  Reproducer run();

 private:
  bool fails(const GProgram& program, const std::string& csv);
  bool tryProgram(const GProgram& candidate) { return fails(candidate, csv_) && (program_ = candidate, true); }
  bool shrinkRows();
  bool shrinkDeclarations();
  bool shrinkDecisions();
  bool shrinkExpressions();
  bool shrinkExpression(size_t root);
  bool shrinkModule();
  bool shrinkTableRows();
  void pruneColumns();
  bool exhausted() const { return attempts_ >= budget_; }

  GProgram program_;
  std::string csv_;
  const Oracle& oracle_;
  int budget_;
  int attempts_ = 0;
  std::string detail_;
};

bool Shrinker::fails(const GProgram& program, const std::string& csv) {
  if (exhausted()) return false;
  ++attempts_;
  Verdict verdict = oracle_(render(program), renderModule(program), csv, givenParams(program));
  if (!verdict.checks || verdict.agree) return false;
  detail_ = verdict.detail;
  return true;
}

// Delta debugging over records: remove chunks of 1/n of the rows while the failure persists.
bool Shrinker::shrinkRows() {
  CsvRecords split = splitRecords(csv_);
  std::vector<std::string> records = split.records;
  bool changed = false;
  size_t parts = 2;
  while (records.size() >= 1 && !exhausted()) {
    size_t chunk = std::max<size_t>(1, (records.size() + parts - 1) / parts);
    bool removed = false;
    for (size_t start = 0; start < records.size() && !exhausted(); start += chunk) {
      std::vector<std::string> rest(records.begin(), records.begin() + static_cast<long>(start));
      rest.insert(rest.end(), records.begin() + static_cast<long>(std::min(records.size(), start + chunk)),
                  records.end());
      std::string candidate = joinRecords(split.header, rest);
      if (!fails(program_, candidate)) continue;
      records = rest;
      csv_ = candidate;
      removed = changed = true;
      break;
    }
    if (removed) {
      parts = std::max<size_t>(2, parts - 1);
      continue;
    }
    if (chunk == 1) break;
    parts = std::min(records.size(), parts * 2);
  }
  return changed;
}

// Tries dropping each element of one declaration list, last first; `current` is the shrinker's
// program, which `attempt` replaces whenever a candidate still fails.
template <class T, class Fix>
bool dropEach(std::vector<T>& (*select)(GProgram&), GProgram& current, const Fix& fix,
              const std::function<bool(const GProgram&)>& attempt) {
  bool changed = false;
  for (size_t index = select(current).size(); index-- > 0;) {
    GProgram candidate = current;
    if (index >= select(candidate).size()) continue;
    fix(candidate, select(candidate)[index]);
    select(candidate).erase(select(candidate).begin() + static_cast<long>(index));
    if (attempt(candidate)) changed = true;
  }
  return changed;
}

std::vector<GField>& fieldsOf(GProgram& program) {
  return program.fields;
}
std::vector<GParam>& paramsOf(GProgram& program) {
  return program.params;
}
std::vector<GLet>& letsOf(GProgram& program) {
  return program.lets;
}
std::vector<GOutput>& outputsOf(GProgram& program) {
  return program.outputs;
}
std::vector<GBlock>& blocksOf(GProgram& program) {
  return program.blocks;
}
std::vector<GTable>& tablesOf(GProgram& program) {
  return program.tables;
}
std::vector<GFunction>& functionsOf(GProgram& program) {
  return program.functions;
}
std::vector<GBlock>& moduleBlocksOf(GProgram& program) {
  return program.module->blocks;
}
std::vector<GOutput>& moduleOutputsOf(GProgram& program) {
  return program.module->outputs;
}
std::vector<GFunction>& moduleFunctionsOf(GProgram& program) {
  return program.module->functions;
}
std::vector<GTable>& moduleTablesOf(GProgram& program) {
  return program.module->tables;
}

// The module's parts, then the module itself (and its `use`).
bool Shrinker::shrinkModule() {
  if (!program_.module) return false;
  GProgram without = program_;
  without.module.reset();
  if (tryProgram(without)) return true;
  auto attempt = [this](const GProgram& candidate) { return tryProgram(candidate); };
  auto none = [](GProgram&, const auto&) {};
  bool changed = dropEach(moduleBlocksOf, program_, none, attempt);
  changed = dropEach(moduleOutputsOf, program_, none, attempt) || changed;
  changed = dropEach(moduleFunctionsOf, program_, none, attempt) || changed;
  changed = dropEach(moduleTablesOf, program_, none, attempt) || changed;
  return changed;
}

// Rows of inline tables, last first (a table keeps at least one).
bool Shrinker::shrinkTableRows() {
  bool changed = false;
  for (size_t table = 0; table < program_.tables.size(); ++table) {
    for (size_t row = program_.tables[table].rows.size(); row-- > 0 && program_.tables[table].rows.size() > 1;) {
      GProgram candidate = program_;
      auto& rows = candidate.tables[table].rows;
      rows.erase(rows.begin() + static_cast<long>(row));
      changed = tryProgram(candidate) || changed;
    }
  }
  return changed;
}

bool Shrinker::shrinkDeclarations() {
  auto attempt = [this](const GProgram& candidate) { return tryProgram(candidate); };
  auto none = [](GProgram&, const auto&) {};
  auto drop_assigns = [](GProgram& candidate, const GOutput& output) {
    for (GBlock& block : candidate.blocks) {
      for (GRule& rule : block.rules) {
        std::erase_if(rule.assigns, [&](const GAssign& assign) { return assign.output == output.name; });
      }
    }
  };
  bool changed = dropEach(blocksOf, program_, none, attempt);
  changed = dropEach(outputsOf, program_, drop_assigns, attempt) || changed;
  changed = dropEach(letsOf, program_, none, attempt) || changed;
  changed = dropEach(paramsOf, program_, none, attempt) || changed;
  changed = dropEach(fieldsOf, program_, none, attempt) || changed;
  changed = dropEach(functionsOf, program_, none, attempt) || changed;
  changed = dropEach(tablesOf, program_, none, attempt) || changed;
  changed = shrinkModule() || changed;
  changed = shrinkTableRows() || changed;
  for (size_t field = 0; field < program_.fields.size(); ++field) {
    if (program_.fields[field].format.empty()) continue;
    GProgram candidate = program_;
    candidate.fields[field].format.clear();
    changed = tryProgram(candidate) || changed;
  }
  if (!program_.rounding.empty()) {
    GProgram candidate = program_;
    candidate.rounding.clear();
    changed = tryProgram(candidate) || changed;
  }
  for (size_t param = 0; param < program_.params.size(); ++param) {
    if (!program_.params[param].given || !program_.params[param].default_value) continue;
    GProgram candidate = program_;
    candidate.params[param].given.reset();
    changed = tryProgram(candidate) || changed;
  }
  return changed;
}

// Rules, their assignments, conditions, labels and overrides.
bool Shrinker::shrinkDecisions() {
  bool changed = false;
  for (size_t block = 0; block < program_.blocks.size(); ++block) {
    for (size_t rule = program_.blocks[block].rules.size(); rule-- > 0;) {
      GProgram candidate = program_;
      GBlock& target = candidate.blocks[block];
      std::string name = target.rules[rule].name;
      target.rules.erase(target.rules.begin() + static_cast<long>(rule));
      for (GRule& other : target.rules) std::erase(other.overrides, name);
      if (tryProgram(candidate)) {
        changed = true;
        continue;
      }
      for (size_t assign = program_.blocks[block].rules[rule].assigns.size(); assign-- > 0;) {
        GProgram fewer = program_;
        auto& assigns = fewer.blocks[block].rules[rule].assigns;
        assigns.erase(assigns.begin() + static_cast<long>(assign));
        changed = tryProgram(fewer) || changed;
      }
      GProgram plain = program_;
      GRule& simple = plain.blocks[block].rules[rule];
      if (simple.condition || !simple.label.empty() || !simple.overrides.empty()) {
        simple.label.clear();
        simple.overrides.clear();
        simple.condition.reset();
        changed = tryProgram(plain) || changed;
      }
    }
  }
  return changed;
}

GExpr* nodeAt(GExpr& root, size_t& index) {
  if (index == 0) return &root;
  --index;
  for (GExpr& child : root.args) {
    if (GExpr* found = nodeAt(child, index)) return found;
  }
  return nullptr;
}

size_t nodeCount(const GExpr& root) {
  size_t count = 1;
  for (const GExpr& child : root.args) count += nodeCount(child);
  return count;
}

// Replaces node after node (preorder) by one of its children or by a plain literal of its type.
bool Shrinker::shrinkExpression(size_t root) {
  bool changed = false;
  for (size_t node = 0; node < nodeCount(*expressionRoots(program_)[root]) && !exhausted(); ++node) {
    GExpr original = *[&] {
      size_t at = node;
      return nodeAt(*expressionRoots(program_)[root], at);
    }();
    std::vector<GExpr> replacements = original.args;
    if (!original.quotient && original.node != Node::Literal)
      replacements.insert(replacements.begin(), simpleLiteral(program_, original.type));
    for (const GExpr& replacement : replacements) {
      GProgram candidate = program_;
      size_t at = node;
      *nodeAt(*expressionRoots(candidate)[root], at) = replacement;
      if (tryProgram(candidate)) {
        changed = true;
        break;
      }
    }
  }
  return changed;
}

bool Shrinker::shrinkExpressions() {
  bool changed = false;
  for (size_t root = 0; root < expressionRoots(program_).size() && !exhausted(); ++root) {
    changed = shrinkExpression(root) || changed;
  }
  return changed;
}

void Shrinker::pruneColumns() {
  std::vector<std::string> headers;
  for (const GField& field : program_.fields) headers.push_back(field.header);
  std::string candidate = keepColumns(csv_, headers, separatorOf(program_));
  if (candidate != csv_ && fails(program_, candidate)) csv_ = candidate;
}

Reproducer Shrinker::run() {
  fails(program_, csv_);
  shrinkRows();
  for (int round = 0; round < 4 && !exhausted(); ++round) {
    bool changed = shrinkDecisions();
    changed = shrinkDeclarations() || changed;
    changed = shrinkExpressions() || changed;
    changed = shrinkRows() || changed;
    if (!changed) break;
  }
  pruneColumns();
  return Reproducer{program_, csv_, detail_, attempts_};
}

}  // namespace

Reproducer shrinkCase(const GProgram& program, const std::string& csv, const Oracle& oracle, int budget) {
  Shrinker shrinker(program, csv, oracle, budget);
  return shrinker.run();
}

static void writeText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

fs::path saveReproducer(const Reproducer& reproducer, const fs::path& found, uint64_t seed) {
  fs::path folder = found / std::to_string(seed);
  fs::create_directories(folder);
  writeText(folder / "program.rules", render(reproducer.program));
  if (reproducer.program.module) writeText(folder / kModuleFile, renderModule(reproducer.program));
  writeText(folder / "input.csv", reproducer.csv);
  std::string params;
  for (const auto& [name, value] : givenParams(reproducer.program)) params += name + "=" + value + "\n";
  if (!params.empty()) writeText(folder / "params", params);
  writeText(folder / "note.txt", fmt::format("seed {}: {}\n", seed, reproducer.detail));
  return folder;
}

}  // namespace regelwerk::difftest
