// Rendering of the generator's model as rule-file text.
#include "program_model.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace regelwerk::difftest {

bool isNumeric(Kind kind) {
  return kind == Kind::Int || kind == Kind::Decimal || kind == Kind::Money || kind == Kind::Percent ||
         kind == Kind::Days || kind == Kind::Duration;
}

bool isOrderable(Kind kind) {
  return isNumeric(kind) || kind == Kind::Date || kind == Kind::Timestamp || kind == Kind::Time;
}

static std::string baseTypeText(const GProgram& program, const GType& type) {
  switch (type.kind) {
    case Kind::Bool:
      return "bool";
    case Kind::Int:
      return "int";
    case Kind::Decimal:
      return fmt::format("decimal({})", type.scale);
    case Kind::Money:
      return "money";
    case Kind::Percent:
      return "percent";
    case Kind::Date:
      return "date";
    case Kind::Days:
      return "days";
    case Kind::String:
      return "string";
    case Kind::Enum:
      return fmt::format("enum({})", fmt::join(program.enums.at(type.enum_id).members, ", "));
    case Kind::Timestamp:
      return "timestamp";
    case Kind::Duration:
      return "duration";
    case Kind::Time:
      return "time";
  }
  return "?";
}

std::string typeText(const GProgram& program, const GType& type) {
  return baseTypeText(program, type) + (type.optional ? "?" : "");
}

static bool isAtomic(const GExpr& expr) {
  return expr.node == Node::Literal || expr.node == Node::Name || expr.node == Node::Call ||
         expr.node == Node::Lookup || expr.node == Node::Accrue || expr.node == Node::FnCall;
}

static std::string operandText(const GExpr& expr) {
  return isAtomic(expr) ? exprText(expr) : "(" + exprText(expr) + ")";
}

static std::string listText(const std::vector<GExpr>& args, size_t from) {
  std::string out;
  for (size_t arg = from; arg < args.size(); ++arg) out += (arg == from ? "" : ", ") + exprText(args[arg]);
  return out;
}

// `f(a, b)`, `f(a, y: b)` or `f(y: b, x: a)`: positional arguments first, as the checker requires.
static std::string callText(const GExpr& expr) {
  std::string out;
  for (size_t arg = 0; arg < expr.args.size(); ++arg) {
    bool named = arg < expr.arg_names.size() && !expr.arg_names[arg].empty();
    out += (arg == 0 ? "" : ", ") + (named ? expr.arg_names[arg] + ": " : "") + exprText(expr.args[arg]);
  }
  return fmt::format("{}({})", expr.text, out);
}

// accrue(p, d1, d2, rate, plus) positionally, or accrue(p, from: d1, until: d2, rate: t, plus: x); then
// `basis: "…"` (in `column`) if the generator chose one.
static std::string accrueText(const GExpr& expr) {
  bool named = !expr.arg_names.empty();
  std::string out = fmt::format("accrue({}, {}{}, {}{}, {}{}", exprText(expr.args[0]), named ? "from: " : "",
                                exprText(expr.args[1]), named ? "until: " : "", exprText(expr.args[2]),
                                named ? "rate: " : "", expr.text);
  if (expr.args.size() > 3) out += fmt::format(", {}{}", named ? "plus: " : "", exprText(expr.args[3]));
  if (!expr.column.empty()) out += fmt::format(", basis: \"{}\"", expr.column);
  return out + ")";
}

std::string exprText(const GExpr& expr) {
  switch (expr.node) {
    case Node::Literal:
    case Node::Name:
      return expr.text;
    case Node::Neg:
      return "-" + operandText(expr.args[0]);
    case Node::Not:
      return "not " + operandText(expr.args[0]);
    case Node::Binary:
      return fmt::format("{} {} {}", operandText(expr.args[0]), expr.text, operandText(expr.args[1]));
    case Node::Call:
      return fmt::format("{}({})", expr.text, listText(expr.args, 0));
    case Node::If:
      return fmt::format("if {} then {} else {}", operandText(expr.args[0]), operandText(expr.args[1]),
                         operandText(expr.args[2]));
    case Node::InList:
      return fmt::format("{} {}in ({})", operandText(expr.args[0]), expr.negated ? "not " : "", listText(expr.args, 1));
    case Node::InRange:
      return fmt::format("{} {}in {} .. {}", operandText(expr.args[0]), expr.negated ? "not " : "",
                         operandText(expr.args[1]), operandText(expr.args[2]));
    case Node::IsMissing:
      return fmt::format("{} is {}missing", operandText(expr.args[0]), expr.negated ? "not " : "");
    case Node::Lookup:
      return fmt::format("{}({}){}", expr.text, exprText(expr.args[0]), expr.column.empty() ? "" : "." + expr.column);
    case Node::Accrue:
      return accrueText(expr);
    case Node::FnCall:
      return callText(expr);
  }
  return "?";
}

static void renderFields(const GProgram& program, const std::string& input, const std::vector<GField>& fields,
                         std::string& out) {
  out += input;
  if (!program.separator.empty()) out += fmt::format(" separator \"{}\"", program.separator);
  out += "\n";
  for (const GField& field : fields) {
    out += fmt::format("  {}: {}", field.name, typeText(program, field.type));
    if (field.header != field.name) out += fmt::format(" from \"{}\"", field.header);
    if (field.cents) out += " format \"cents\"";
    if (!field.format.empty()) out += fmt::format(" format \"{}\"", field.format);
    out += "\n";
  }
}

static void renderTable(const GProgram& program, const GTable& table, std::string& out) {
  out += fmt::format("table {}\n  key {}: {}{}\n  value ", table.name, table.key.name,
                     typeText(program, table.key.type), table.range ? " range" : "");
  for (size_t column = 0; column < table.values.size(); ++column) {
    out += fmt::format("{}{}: {}", column ? ", " : "", table.values[column].name,
                       typeText(program, table.values[column].type));
  }
  out += "\n  rows\n";
  for (size_t row = 0; row < table.rows.size(); ++row) {
    out += fmt::format("    {}{}\n", fmt::join(table.rows[row], " | "), row + 1 < table.rows.size() ? "," : "");
  }
  out += "  end\n";
}

static void renderFunction(const GProgram& program, const GFunction& function, std::string& out) {
  std::string params;
  for (const GColumn& param : function.params)
    params += (params.empty() ? "" : ", ") + param.name + ": " + typeText(program, param.type);
  out += fmt::format("function {}({}): {} =\n  {}\n", function.name, params, typeText(program, function.result),
                     exprText(function.body));
}

static void renderRule(const GRule& rule, std::string& out) {
  out += "  rule " + rule.name;
  if (!rule.label.empty()) out += " " + rule.label;
  if (!rule.overrides.empty()) out += fmt::format(" overrides {}", fmt::join(rule.overrides, ", "));
  if (rule.condition) out += "\n    when " + exprText(*rule.condition);
  for (size_t assign = 0; assign < rule.assigns.size(); ++assign) {
    out += assign == 0 ? "\n    then " : ",\n      ";
    out += rule.assigns[assign].output + " = " + exprText(rule.assigns[assign].value);
  }
  out += "\n";
}

static void renderOutputs(const GProgram& program, const std::vector<GOutput>& outputs, std::string& out) {
  for (const GOutput& output : outputs) {
    out += fmt::format("output {}: {} = {}{}\n", output.name, typeText(program, output.type),
                       exprText(output.default_value), output.cents ? " format \"cents\"" : "");
  }
}

// `decide first table`, a header of the columns and the outputs the rows assign, one row per rule
// (`-` where a row leaves an output alone).
static void renderDecisionTable(const GBlock& block, std::string& out) {
  std::vector<std::string> outputs;
  for (const GRule& rule : block.rules)
    for (const GAssign& assign : rule.assigns)
      if (std::find(outputs.begin(), outputs.end(), assign.output) == outputs.end()) outputs.push_back(assign.output);
  out += "\ndecide " + block.policy + " table\n  | " + fmt::format("{}", fmt::join(block.table_columns, " | ")) +
         " || " + fmt::format("{}", fmt::join(outputs, " | ")) + " |\n";
  for (const GRule& rule : block.rules) {
    std::vector<std::string> results;
    for (const std::string& output : outputs) {
      auto assign = std::find_if(rule.assigns.begin(), rule.assigns.end(),
                                 [&](const GAssign& candidate) { return candidate.output == output; });
      results.push_back(assign == rule.assigns.end() ? "-" : exprText(assign->value));
    }
    out += "  | " + fmt::format("{}", fmt::join(rule.cells, " | ")) + " || " + fmt::format("{}", fmt::join(results, " | ")) +
           " |\n";
  }
  out += "end\n";
}

static void renderBlocks(const std::vector<GBlock>& blocks, std::string& out) {
  for (const GBlock& block : blocks) {
    if (!block.table_columns.empty()) {
      renderDecisionTable(block, out);
      continue;
    }
    out += "\ndecide " + block.policy + "\n";
    for (const GRule& rule : block.rules) renderRule(rule, out);
    out += "end\n";
  }
}

static void renderTablesAndFunctions(const GProgram& program, const std::vector<GTable>& tables,
                                     const std::vector<GFunction>& functions, std::string& out) {
  for (const GTable& table : tables) renderTable(program, table, out);
  for (const GFunction& function : functions) renderFunction(program, function, out);
  if (!tables.empty() || !functions.empty()) out += "\n";
}

std::string renderModule(const GProgram& program) {
  if (!program.module) return "";
  const GModule& module = *program.module;
  std::string out = fmt::format("# generated by tests/differential\nmodule {}\n\n", module.name);
  GProgram plain = program;
  plain.separator.clear();
  renderFields(plain, "input Needs", module.requirements, out);
  out += "\n";
  renderTablesAndFunctions(program, module.tables, module.functions, out);
  renderOutputs(program, module.outputs, out);
  renderBlocks(module.blocks, out);
  return out;
}

char separatorOf(const GProgram& program) {
  return program.separator.empty() ? ',' : program.separator[0];
}

std::string render(const GProgram& program) {
  std::string out = fmt::format("# generated by tests/differential\nruleset {}\n", program.name);
  if (program.currency_written) out += "currency " + program.currency + "\n";
  if (!program.rounding.empty()) out += "rounding " + program.rounding + "\n";
  if (program.module) out += fmt::format("use \"./{}\"\n", kModuleFile);
  out += "\n";
  renderTablesAndFunctions(program, program.tables, program.functions, out);
  renderFields(program, "input Row", program.fields, out);
  out += "\n";
  for (const GParam& param : program.params) {
    out += fmt::format("param {}: {}", param.name, typeText(program, param.type));
    if (param.default_value) out += " = " + exprText(*param.default_value);
    out += "\n";
  }
  for (const GLet& let : program.lets) {
    if (let.reject) {
      out += fmt::format("reject \"{}\" when {}\n", *let.reject, exprText(let.value));
      continue;
    }
    std::string declared = let.declared ? ": " + typeText(program, let.type) : "";
    out += fmt::format("let {}{} = {}\n", let.name, declared, exprText(let.value));
  }
  renderOutputs(program, program.outputs, out);
  renderBlocks(program.blocks, out);
  return out;
}

std::vector<std::pair<std::string, std::string>> givenParams(const GProgram& program) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const GParam& param : program.params) {
    if (param.given) out.emplace_back(param.name, *param.given);
  }
  return out;
}

static void blockRoots(std::vector<GBlock>& blocks, std::vector<GExpr*>& roots) {
  for (GBlock& block : blocks) {
    for (GRule& rule : block.rules) {
      if (rule.condition) roots.push_back(&*rule.condition);
      for (GAssign& assign : rule.assigns) roots.push_back(&assign.value);
    }
  }
}

std::vector<GExpr*> expressionRoots(GProgram& program) {
  std::vector<GExpr*> roots;
  for (GFunction& function : program.functions) roots.push_back(&function.body);
  for (GParam& param : program.params) {
    if (param.default_value) roots.push_back(&*param.default_value);
  }
  for (GLet& let : program.lets) roots.push_back(&let.value);
  for (GOutput& output : program.outputs) roots.push_back(&output.default_value);
  blockRoots(program.blocks, roots);
  if (!program.module) return roots;
  for (GFunction& function : program.module->functions) roots.push_back(&function.body);
  for (GOutput& output : program.module->outputs) roots.push_back(&output.default_value);
  blockRoots(program.module->blocks, roots);
  return roots;
}

}  // namespace regelwerk::difftest
