// Feature census of generated programs.
#include "coverage.hpp"

#include <fmt/format.h>

namespace regelwerk::difftest {

static const char* kindName(Kind kind) {
  static const char* names[] = {"bool", "int", "decimal", "money", "percent", "date", "days", "string", "enum"};
  return names[static_cast<int>(kind)];
}

static std::string typeFeature(const GType& type) {
  return fmt::format("{}{}", kindName(type.kind), type.optional ? "?" : "");
}

static void collectExpr(const GExpr& expr, bool in_let, std::set<std::string>& features) {
  switch (expr.node) {
    case Node::Literal:
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
      break;
    case Node::Call:
      features.insert("call:" + expr.text);
      if (expr.text == "round") {
        features.insert(expr.args.size() == 3 ? "round:" + expr.args[2].text : "round:default");
        if (expr.args[0].quotient) features.insert("round:quotient");
      }
      break;
    case Node::If:
      features.insert("if");
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
      break;
    case Node::Neg:
      features.insert("neg");
      break;
    case Node::Not:
      features.insert("not");
      break;
  }
  for (const GExpr& child : expr.args) collectExpr(child, in_let, features);
}

static void collectDeclarations(const GProgram& program, std::set<std::string>& features) {
  if (!program.rounding.empty()) features.insert("setting:rounding");
  if (program.currency != "EUR") features.insert("setting:currency");
  for (const GField& field : program.fields) {
    features.insert("field:" + typeFeature(field.type));
    if (field.type.kind == Kind::Decimal) features.insert(fmt::format("decimal({})", field.type.scale));
    if (field.cents) features.insert("field:cents");
    if (field.header != field.name) features.insert("field:from");
  }
  for (const GParam& param : program.params) {
    features.insert(param.default_value ? (param.given ? "param:default overridden" : "param:default") : "param:given");
    if (param.default_value) collectExpr(*param.default_value, false, features);
  }
  for (const GLet& let : program.lets) {
    features.insert(let.declared ? "let:declared" : "let:inferred");
    collectExpr(let.value, true, features);
  }
  for (const GOutput& output : program.outputs) {
    features.insert("output:" + typeFeature(output.type));
    if (output.cents) features.insert("output:cents");
    collectExpr(output.default_value, false, features);
  }
}

void collectFeatures(const GProgram& program, std::set<std::string>& features) {
  collectDeclarations(program, features);
  for (const GBlock& block : program.blocks) {
    features.insert("policy:" + block.policy);
    for (const GRule& rule : block.rules) {
      if (!rule.overrides.empty()) features.insert("exceptions:overrides");
      if (!rule.label.empty()) features.insert("rule:label");
      if (!rule.condition) features.insert("rule:always");
      if (rule.assigns.empty()) features.insert("rule:assigns nothing");
      if (rule.condition) collectExpr(*rule.condition, false, features);
      for (const GAssign& assign : rule.assigns) collectExpr(assign.value, false, features);
    }
  }
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
                               "let:chain",
                               "output:cents",
                               "policy:first",
                               "policy:unique",
                               "policy:exceptions",
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
                               "call:round"};
  for (const char* op : {"+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "and", "or", "??"})
    out.insert(fmt::format("op:{}", op));
  for (const char* mode : {"half_up", "half_even", "down", "up", "floor", "ceiling"})
    out.insert(fmt::format("round:{}", mode));
  for (int kind = 0; kind <= static_cast<int>(Kind::Enum); ++kind) {
    const char* name = kindName(static_cast<Kind>(kind));
    out.insert(fmt::format("field:{}", name));
    out.insert(fmt::format("field:{}?", name));
    out.insert(fmt::format("output:{}", name));
    out.insert(fmt::format("output:{}?", name));
    out.insert(fmt::format("literal:{}", name));
  }
  for (int scale = 0; scale <= 6; ++scale) out.insert(fmt::format("decimal({})", scale));
  return out;
}

}  // namespace regelwerk::difftest
