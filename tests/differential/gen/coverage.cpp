// Feature census of generated programs.
#include "coverage.hpp"

#include <fmt/format.h>

namespace regelwerk::difftest {

static const char* kindName(Kind kind) {
  static const char* names[] = {"bool",   "int",  "decimal", "money",     "percent",  "date",
                                "days",   "string", "enum",  "timestamp", "duration", "time"};
  return names[static_cast<int>(kind)];
}

static std::string typeFeature(const GType& type) {
  return fmt::format("{}{}", kindName(type.kind), type.optional ? "?" : "");
}

enum class Where : uint8_t { Plain, Let, Function };

static void collectCallable(const GExpr& expr, Where where, std::set<std::string>& features) {
  switch (expr.node) {
    case Node::Lookup:
      features.insert(expr.column.empty() ? "lookup:t(k)" : "lookup:t(k).col");
      if (expr.text.starts_with("m")) features.insert("module:table looked up");
      break;
    case Node::Accrue:
      features.insert(expr.arg_names.empty() ? "accrue:positional" : "accrue:named");
      features.insert(expr.args.size() > 3 ? "accrue:plus" : "accrue:no plus");
      features.insert(fmt::format("accrue:{} principal", kindName(expr.type.kind)));
      features.insert(expr.column == "act/act" ? "accrue:act/act" : "accrue:act/365f");
      break;
    default: {
      bool named = false, positional = false;
      for (const std::string& name : expr.arg_names) (name.empty() ? positional : named) = true;
      features.insert(named && positional ? "function:mixed args" : named ? "function:named args" : "function:positional args");
      if (where == Where::Function) features.insert("function:nested call");
      if (expr.text.starts_with("m")) features.insert("module:function called");
      break;
    }
  }
}

static bool holdsAccrual(const GExpr& expr) {
  if (expr.node == Node::Accrue) return true;
  return expr.node == Node::Binary && expr.quotient && (holdsAccrual(expr.args[0]) || holdsAccrual(expr.args[1]));
}

static void collectExpr(const GExpr& expr, Where where, std::set<std::string>& features) {
  bool in_let = where == Where::Let;
  switch (expr.node) {
    case Node::Lookup:
    case Node::Accrue:
    case Node::FnCall:
      collectCallable(expr, where, features);
      break;
    case Node::Literal:
      if (expr.text == "missing") {
        features.insert("missing");
        break;
      }
      if (expr.type.kind != Kind::String || expr.text.starts_with("\""))
        features.insert(fmt::format("literal:{}", kindName(expr.type.kind)));
      break;
    case Node::Name:
      if (in_let && expr.text.starts_with("l")) features.insert("let:chain");
      break;
    case Node::Binary:
      features.insert("op:" + expr.text);
      if (expr.text == "-" && expr.args[0].type.kind == Kind::Date && expr.args[1].type.kind == Kind::Date)
        features.insert("date-date");
      if (expr.type.kind == Kind::Date && (expr.text == "+" || expr.text == "-"))
        features.insert(fmt::format("date{}days", expr.text));
      if (expr.text == "+" && expr.args[0].type.kind == Kind::Days && expr.type.kind == Kind::Date)
        features.insert("days+date");
      if (expr.text == "??" && expr.args[0].node == Node::Lookup) features.insert("lookup:??");
      if (expr.type.kind == Kind::Timestamp && (expr.text == "+" || expr.text == "-")) {
        bool days = expr.args[0].type.kind == Kind::Days || expr.args[1].type.kind == Kind::Days;
        features.insert(fmt::format("timestamp{}{}", expr.text, days ? "days" : "duration"));
      }
      if (expr.text == "-" && expr.args[0].type.kind == Kind::Timestamp && expr.args[1].type.kind == Kind::Timestamp)
        features.insert("timestamp-timestamp");
      if (expr.text == "??" && expr.args[0].node == Node::FnCall) features.insert("function:optional result ??");
      break;
    case Node::Call:
      features.insert("call:" + expr.text);
      if (expr.text == "int") {
        features.insert(expr.args.size() == 2 ? "int:" + expr.args[1].text : "int:whole");
        if (expr.args[0].quotient) features.insert("int:quotient");
        features.insert(fmt::format("int:{}", kindName(expr.args[0].type.kind)));
      }
      if (expr.text == "text") features.insert(fmt::format("text:{}", kindName(expr.args[0].type.kind)));
      if (expr.text == "round") {
        features.insert(expr.args.size() == 3 ? "round:" + expr.args[2].text : "round:default");
        if (expr.args[0].quotient) features.insert("round:quotient");
        if (holdsAccrual(expr.args[0]))
          features.insert(expr.args.size() == 3 ? "accrue:round " + expr.args[2].text : "accrue:round default");
      }
      break;
    case Node::If:
      features.insert("if");
      for (size_t arg = 1; arg < 3; ++arg) {
        if (expr.args[arg].text == "missing" && expr.args[arg].node == Node::Literal) features.insert("missing:if branch");
      }
      for (size_t arg = 1; arg < 3; ++arg) {
        if (expr.args[arg].node == Node::If) features.insert("if:nested");
      }
      break;
    case Node::InList:
      features.insert(expr.negated ? "not in list" : "in list");
      break;
    case Node::InRange:
      features.insert(expr.negated ? "not in range" : "in range");
      break;
    case Node::IsMissing:
      features.insert(expr.negated ? "is not missing" : "is missing");
      if (expr.args[0].node == Node::Lookup) features.insert("lookup:is missing");
      break;
    case Node::Neg:
      features.insert("neg");
      break;
    case Node::Not:
      features.insert("not");
      break;
  }
  for (const GExpr& child : expr.args) collectExpr(child, where, features);
}

static void collectTable(const GTable& table, std::set<std::string>& features) {
  features.insert(fmt::format("table:{} {}", table.range ? "range" : "exact", kindName(table.key.type.kind)));
  if (table.values.size() > 1) features.insert("table:several values");
  for (const auto& row : table.rows) {
    if (table.name.ends_with("rates") && row[1].starts_with("-")) features.insert("table:negative rate");
  }
}

static void collectFunction(const GFunction& function, std::set<std::string>& features) {
  features.insert("function");
  for (const GColumn& param : function.params) {
    if (param.type.optional) features.insert("function:optional param");
  }
  if (function.result.optional) features.insert("function:optional result");
  collectExpr(function.body, Where::Function, features);
}

static void collectBlocks(const std::vector<GBlock>& blocks, std::set<std::string>& features) {
  for (const GBlock& block : blocks) {
    features.insert("policy:" + block.policy);
    if (!block.table_columns.empty()) features.insert("decision table");
    for (const GRule& rule : block.rules) {
      for (const std::string& cell : rule.cells) {
        features.insert(cell == "-"                   ? "table cell:any"
                        : cell.starts_with("not in")  ? "table cell:not in"
                        : cell.starts_with("in (")    ? "table cell:in"
                        : cell.find("..") != std::string::npos ? "table cell:range"
                        : cell.find_first_of("<>!=") == 0     ? "table cell:compare"
                                                              : "table cell:value");
      }
      if (!rule.overrides.empty()) features.insert("exceptions:overrides");
      if (!rule.label.empty()) features.insert("rule:label");
      if (!rule.condition) features.insert("rule:always");
      if (rule.assigns.empty()) features.insert("rule:assigns nothing");
      if (rule.condition) collectExpr(*rule.condition, Where::Plain, features);
      for (const GAssign& assign : rule.assigns) collectExpr(assign.value, Where::Plain, features);
    }
  }
}

static void collectModule(const GProgram& program, std::set<std::string>& features) {
  if (!program.module) return;
  const GModule& module = *program.module;
  features.insert("module");
  for (const GField& field : module.requirements) {
    if (field.name == "id") continue;
    const char* kind = field.name.starts_with("f") ? "field" : field.name.starts_with("p") ? "param" : "let";
    features.insert(fmt::format("module:requires {}", kind));
  }
  if (!module.functions.empty()) features.insert("module:function");
  if (!module.tables.empty()) features.insert("module:table");
  if (!module.blocks.empty()) features.insert("module:decision");
  for (const GTable& table : module.tables) collectTable(table, features);
  for (const GFunction& function : module.functions) collectFunction(function, features);
  for (const GOutput& output : module.outputs) collectExpr(output.default_value, Where::Plain, features);
  collectBlocks(module.blocks, features);
}

static void collectDeclarations(const GProgram& program, std::set<std::string>& features) {
  if (!program.rounding.empty()) features.insert("setting:rounding");
  if (program.currency != "EUR") features.insert("setting:currency");
  for (const GField& field : program.fields) {
    features.insert("field:" + typeFeature(field.type));
    if (field.type.kind == Kind::Decimal) features.insert(fmt::format("decimal({})", field.type.scale));
    if (field.cents) features.insert("field:cents");
    if (field.header != field.name) features.insert("field:from");
    if (!field.format.empty()) features.insert("format:" + field.format);
  }
  if (!program.separator.empty()) features.insert("separator:" + program.separator);
  for (const GTable& table : program.tables) collectTable(table, features);
  for (const GFunction& function : program.functions) collectFunction(function, features);
  for (const GParam& param : program.params) {
    features.insert(param.default_value ? (param.given ? "param:default overridden" : "param:default") : "param:given");
    if (param.default_value) collectExpr(*param.default_value, Where::Plain, features);
  }
  for (const GLet& let : program.lets) {
    features.insert(let.reject ? "let:reject" : let.declared ? "let:declared" : "let:inferred");
    collectExpr(let.value, Where::Let, features);
    if (let.type.optional && let.value.node == Node::Lookup) features.insert("lookup:optional let or output");
  }
  for (const GOutput& output : program.outputs) {
    features.insert("output:" + typeFeature(output.type));
    if (output.cents) features.insert("output:cents");
    collectExpr(output.default_value, Where::Plain, features);
    if (output.type.optional && output.default_value.node == Node::Lookup)
      features.insert("lookup:optional let or output");
  }
}

void collectFeatures(const GProgram& program, std::set<std::string>& features) {
  collectDeclarations(program, features);
  collectBlocks(program.blocks, features);
  collectModule(program, features);
}

std::set<std::string> expectedFeatures() {
  std::set<std::string> out = {"setting:rounding",
                               "setting:currency",
                               "field:cents",
                               "field:from",
                               "param:default",
                               "param:default overridden",
                               "param:given",
                               "let:declared",
                               "let:inferred",
                               "let:reject",
                               "let:chain",
                               "output:cents",
                               "policy:first",
                               "policy:unique",
                               "policy:exceptions",
                               "policy:any",
                               "decision table",
                               "table cell:any",
                               "table cell:not in",
                               "table cell:in",
                               "table cell:range",
                               "table cell:compare",
                               "table cell:value",
                               "exceptions:overrides",
                               "rule:label",
                               "rule:always",
                               "rule:assigns nothing",
                               "date-date",
                               "date+days",
                               "date-days",
                               "days+date",
                               "round:default",
                               "round:quotient",
                               "if",
                               "if:nested",
                               "in list",
                               "not in list",
                               "in range",
                               "not in range",
                               "is missing",
                               "is not missing",
                               "neg",
                               "not",
                               "call:abs",
                               "call:min",
                               "call:max",
                               "call:round",
                               "call:int",
                               "call:text",
                               "int:whole",
                               "int:days",
                               "int:quotient",
                               "int:decimal",
                               "int:money",
                               "missing",
                               "missing:if branch"};
  for (const char* op : {"+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "and", "or", "??", "++"})
    out.insert(fmt::format("op:{}", op));
  for (const char* mode : {"half_up", "half_even", "down", "up", "floor", "ceiling"}) {
    out.insert(fmt::format("round:{}", mode));
    out.insert(fmt::format("int:{}", mode));
  }
  for (const char* call : {"local_date", "local_time", "at_local", "year", "month", "day", "weekday", "date",
                           "date_clamped"})
    out.insert(fmt::format("call:{}", call));
  for (const char* feature : {"timestamp+duration", "timestamp-duration", "timestamp+days", "timestamp-timestamp"})
    out.insert(feature);
  for (int kind = 0; kind <= static_cast<int>(kLastKind); ++kind) {
    const char* name = kindName(static_cast<Kind>(kind));
    out.insert(fmt::format("field:{}", name));
    out.insert(fmt::format("field:{}?", name));
    out.insert(fmt::format("output:{}", name));
    out.insert(fmt::format("output:{}?", name));
    out.insert(fmt::format("literal:{}", name));
    if (kind <= static_cast<int>(Kind::Enum)) out.insert(fmt::format("text:{}", name));  // text(x): not of time kinds yet
  }
  for (int scale = 0; scale <= 6; ++scale) out.insert(fmt::format("decimal({})", scale));
  for (const char* table : {"exact int", "exact date", "exact enum", "exact string", "range int", "range date"})
    out.insert(fmt::format("table:{}", table));
  for (const char* feature :
       {"table:several values", "table:negative rate", "lookup:t(k)", "lookup:t(k).col", "lookup:??",
        "lookup:is missing", "lookup:optional let or output", "accrue:positional", "accrue:named", "accrue:plus",
        "accrue:no plus", "accrue:act/act", "accrue:act/365f", "accrue:money principal", "accrue:decimal principal", "accrue:round default", "function",
        "function:optional param", "function:optional result", "function:optional result ??",
        "function:positional args", "function:named args", "function:mixed args", "function:nested call", "module",
        "module:requires field", "module:requires param", "module:requires let", "module:function", "module:table",
        "module:decision", "module:function called", "module:table looked up", "format:M/D/YYYY", "format:D.M.YYYY",
        "format:Yes/No", "format:1.0/0.0", "format:whole.0", "separator:;"})
    out.insert(feature);
  for (const char* mode : {"half_up", "half_even", "down", "up", "floor", "ceiling"})
    out.insert(fmt::format("accrue:round {}", mode));
  return out;
}

}  // namespace regelwerk::difftest
