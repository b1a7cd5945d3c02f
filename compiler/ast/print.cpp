// The `--dump=ast` printer: declarations one per line with positions, expressions as S-expressions.
#include "print.hpp"

#include <fmt/format.h>

namespace regelwerk::ast {
namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

std::string position(const Location& loc) {
  return fmt::format("@{}:{}", loc.line, loc.col);
}

const char* binaryOpName(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::Eq:
      return "==";
    case BinaryOp::Ne:
      return "!=";
    case BinaryOp::Lt:
      return "<";
    case BinaryOp::Le:
      return "<=";
    case BinaryOp::Gt:
      return ">";
    case BinaryOp::Ge:
      return ">=";
    case BinaryOp::And:
      return "and";
    case BinaryOp::Or:
      return "or";
    case BinaryOp::Coalesce:
      return "??";
    case BinaryOp::Concat:
      return "++";
  }
  return "?";
}

const char* typeName(TypeKind kind) {
  switch (kind) {
    case TypeKind::Bool:
      return "bool";
    case TypeKind::Int:
      return "int";
    case TypeKind::Decimal:
      return "decimal";
    case TypeKind::Money:
      return "money";
    case TypeKind::Percent:
      return "percent";
    case TypeKind::Date:
      return "date";
    case TypeKind::Days:
      return "days";
    case TypeKind::String:
      return "string";
    case TypeKind::Enum:
      return "enum";
    case TypeKind::Timestamp:
      return "timestamp";
    case TypeKind::Duration:
      return "duration";
    case TypeKind::Time:
      return "time";
  }
  return "?";
}

std::string dumpType(const TypeRef& type) {
  std::string out = typeName(type.kind);
  if (type.scale_text) out += fmt::format("({})", *type.scale_text);
  if (type.kind == TypeKind::Enum) out += fmt::format("({})", fmt::join(type.members, " "));
  if (type.optional) out += "?";
  return out;
}

// The operands of `expr` from `first` on, each preceded by a space.
std::string dumpArgs(const Expr& expr, size_t first = 0) {
  std::string out;
  for (size_t arg = first; arg < expr.args.size(); ++arg) out += " " + dumpExpr(*expr.args[arg]);
  return out;
}

std::string dumpCall(const Expr& expr) {
  std::string out = "(call " + expr.text;
  for (size_t arg = 0; arg < expr.args.size(); ++arg) {
    bool named = arg < expr.arg_names.size() && !expr.arg_names[arg].empty();
    out += " " + (named ? expr.arg_names[arg] + ":" : std::string()) + dumpExpr(*expr.args[arg]);
  }
  return out + (expr.member.empty() ? ")" : ")." + expr.member);
}

std::string dumpOperator(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::Unary:
      return fmt::format("({}{})", expr.unary_op == UnaryOp::Neg ? "neg" : "not", dumpArgs(expr));
    case ExprKind::Binary:
      return fmt::format("({}{})", binaryOpName(expr.binary_op), dumpArgs(expr));
    case ExprKind::InList:
      return fmt::format("({} {} ({}))", expr.negated ? "not-in" : "in", dumpExpr(*expr.args[0]),
                         dumpArgs(expr, 1).substr(1));
    case ExprKind::InRange:
      return fmt::format("({}{})", expr.negated ? "not-in-range" : "in-range", dumpArgs(expr));
    case ExprKind::IsMissing:
      return fmt::format("({}{})", expr.negated ? "is-not-missing" : "is-missing", dumpArgs(expr));
    case ExprKind::If:
      return fmt::format("(if{})", dumpArgs(expr));
    case ExprKind::Aggregate:
      return fmt::format("({} over {}{})", expr.text, expr.member, dumpArgs(expr));
    default:
      return dumpCall(expr);
  }
}

class Printer {
 public:
  std::string print(const Ruleset& ruleset);

 private:
  void line(int depth, const std::string& text) { out_ += std::string(2 * depth, ' ') + text + "\n"; }
  void input(const InputDecl& decl);
  void rule(const RuleDecl& decl);
  void table(const TableDecl& decl);
  void function(const FunctionDecl& decl);
  void test(const TestDecl& decl);
  void groupBlocks(const Ruleset& ruleset);
  std::string out_;
};

// ` in block N` for a declaration of an each, fold or ledger block (ast::Ruleset::blocks), else "".
std::string inBlock(int block) { return block < 0 ? "" : fmt::format(" in block {}", block); }

// The `per` block, the each, fold and ledger blocks (numbered as the declarations name them) and the
// distributions, after the flat declarations.
void Printer::groupBlocks(const Ruleset& ruleset) {
  for (const PerBlock& per : ruleset.pers) {
    line(1, fmt::format("(per {}{} {})", per.key, per.record.empty() ? "" : " as " + per.record, position(per.loc)));
  }
  for (size_t index = 0; index < ruleset.blocks.size(); ++index) {
    const ItemBlock& block = ruleset.blocks[index];
    std::string head = block.ledger ? fmt::format("ledger {} of block {}", block.input, block.parent)
                       : !block.fold ? "each " + block.input
                       : block.overRange() ? fmt::format("fold {} in {} {}", block.variable, dumpExpr(*block.low), dumpExpr(*block.high))
                                           : "fold " + block.input;
    if (!block.record.empty()) head += " as " + block.record;
    if (block.rows) head += " when " + dumpExpr(*block.rows);
    if (block.filter) head += " where " + dumpExpr(*block.filter);
    line(1, fmt::format("(block {} {} {})", index, head, position(block.loc)));
  }
  for (const DistributeDecl& decl : ruleset.distributes) {
    std::string text = fmt::format("(distribute {} over {} amount {}", dumpExpr(*decl.pool), decl.input, dumpExpr(*decl.amount));
    for (const ExprPtr& tier : decl.tiers) text += " by " + dumpExpr(*tier);
    for (const ExprPtr& tie : decl.ties) text += " tie " + dumpExpr(*tie);
    text += " into " + decl.share + (decl.rest.empty() ? "" : " rest " + decl.rest);
    line(1, text + inBlock(decl.block) + " " + position(decl.loc) + ")");
  }
}

void Printer::input(const InputDecl& decl) {
  line(1, fmt::format("(input {} {}", decl.name, position(decl.loc)));
  for (const Field& field : decl.fields) {
    std::string text = fmt::format("(field {} {} {}", field.name, dumpType(field.type), position(field.loc));
    if (field.column) text += " from " + quoted(*field.column);
    if (field.format) text += " format " + quoted(*field.format);
    line(2, text + ")");
  }
  out_.insert(out_.size() - 1, ")");
}

void Printer::rule(const RuleDecl& decl) {
  std::string head = fmt::format("(rule {} {}", decl.name, position(decl.loc));
  if (decl.label) head += " " + quoted(*decl.label);
  if (!decl.overrides.empty()) head += fmt::format(" overrides ({})", fmt::join(decl.overrides, " "));
  line(2, head);
  if (decl.condition) line(3, "(when " + dumpExpr(*decl.condition) + ")");
  std::string then = "(then";
  for (const Assignment& assignment : decl.assignments) {
    then += fmt::format(" (= {} {})", assignment.target, dumpExpr(*assignment.value));
  }
  if (!decl.assignments.empty()) line(3, then + ")");
  out_.insert(out_.size() - 1, ")");
}

std::string testValue(const TestValue& value) { return value.missing ? "missing" : dumpExpr(*value.expr); }

std::string bindings(const char* section, const std::vector<TestBinding>& list) {
  std::string out = fmt::format("({}", section);
  for (const TestBinding& binding : list) out += fmt::format(" (= {} {})", binding.name, testValue(binding.value));
  return out + ")";
}

void Printer::table(const TableDecl& decl) {
  std::string head = fmt::format("(table {} {}", decl.name, position(decl.loc));
  if (decl.path) head += " from " + quoted(*decl.path);
  head += fmt::format(" key {} {}{}", decl.key.name, dumpType(decl.key.type), decl.range ? " range" : "");
  if (decl.valid_to) head += " until " + *decl.valid_to;
  for (const TableColumn& column : decl.values) head += fmt::format(" (value {} {})", column.name, dumpType(column.type));
  line(1, head);
  for (const std::vector<TestValue>& row : decl.rows) {
    std::string cells = "(row";
    for (const TestValue& cell : row) cells += " " + testValue(cell);
    line(2, cells + ")");
  }
  out_.insert(out_.size() - 1, ")");
}

void Printer::function(const FunctionDecl& decl) {
  std::string params;
  for (const FunctionParam& param : decl.params) params += fmt::format(" ({} {})", param.name, dumpType(param.type));
  line(1, fmt::format("(function {} {} ({}) {} = {})", decl.name, position(decl.loc), params.empty() ? "" : params.substr(1),
                      dumpType(decl.result), dumpExpr(*decl.body)));
}

void Printer::test(const TestDecl& decl) {
  std::string head = decl.is_example ? "(example " + decl.name : "(test " + quoted(decl.name);
  head += " " + position(decl.loc);
  if (decl.base) head += " like " + *decl.base;
  line(1, head);
  if (!decl.given.empty()) line(2, bindings("given", decl.given));
  for (const TestRecordDecl& record : decl.records) line(2, bindings(("given " + record.target).c_str(), record.bindings));
  if (!decl.params.empty()) line(2, bindings("params", decl.params));
  if (!decl.expect.empty()) line(2, bindings("expect", decl.expect));
  for (const TestRecordDecl& row : decl.rows) line(2, bindings(("expect " + row.target).c_str(), row.bindings));
  if (decl.expect_rejected) line(2, "(expect-rejected " + quoted(*decl.expect_rejected) + ")");
  out_.insert(out_.size() - 1, ")");
}

std::string Printer::print(const Ruleset& ruleset) {
  static constexpr const char* kHeads[] = {"ruleset", "module", "tests-for"};
  std::string name = ruleset.kind == FileKind::Tests ? quoted(ruleset.tests_for) : ruleset.name;
  line(0, fmt::format("({} {} {}", kHeads[static_cast<int>(ruleset.kind)], name, position(ruleset.loc)));
  for (const UseDecl& use : ruleset.uses) {
    line(1, fmt::format("(use {} {})", use.path.empty() ? use.module : quoted(use.path), position(use.loc)));
  }
  for (const Setting& setting : ruleset.settings) {
    line(1, fmt::format("({} {} {})", setting.key, setting.value, position(setting.loc)));
  }
  for (const InputDecl& decl : ruleset.inputs) input(decl);
  for (const TableDecl& decl : ruleset.tables) table(decl);
  for (const FunctionDecl& decl : ruleset.functions) function(decl);
  for (const ParamDecl& decl : ruleset.params) {
    std::string value = decl.default_value ? " = " + dumpExpr(*decl.default_value) : "";
    line(1, fmt::format("(param {} {} {}{})", decl.name, dumpType(decl.type), position(decl.loc), value));
  }
  for (const LetDecl& decl : ruleset.lets) {
    std::string type = decl.type ? dumpType(*decl.type) + " " : "";
    line(1, fmt::format("(let {} {}{} = {}{})", decl.name, type, position(decl.loc), dumpExpr(*decl.value), inBlock(decl.block)));
  }
  for (const OutputDecl& decl : ruleset.outputs) {
    std::string value = decl.default_value ? " = " + dumpExpr(*decl.default_value) : "";
    std::string format = decl.format ? " format " + quoted(*decl.format) : "";
    line(1, fmt::format("({} {} {} {}{}{}{})", decl.state ? "state" : "output", decl.name, dumpType(decl.type), position(decl.loc), value,
                        format, inBlock(decl.block)));
  }
  for (const DecideBlock& block : ruleset.decisions) {
    line(1, fmt::format("(decide {} {}{}", block.policy, position(block.loc), inBlock(block.block)));
    for (const RuleDecl& decl : block.rules) rule(decl);
    out_.insert(out_.size() - 1, ")");
  }
  groupBlocks(ruleset);
  for (const TestDecl& decl : ruleset.tests) test(decl);
  out_.insert(out_.size() - 1, ")");
  return out_;
}

}  // namespace

std::string dumpExpr(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::IntLit:
    case ExprKind::DecimalLit:
    case ExprKind::BoolLit:
    case ExprKind::Name:
      return expr.text;
    case ExprKind::MoneyLit:
      return fmt::format("(money {} {})", expr.text, expr.currency);
    case ExprKind::PercentLit:
      return fmt::format("(percent {})", expr.text);
    case ExprKind::DateLit:
      return fmt::format("(date {})", expr.text);
    case ExprKind::DaysLit:
      return fmt::format("(days {})", expr.text);
    case ExprKind::TimestampLit:
      return fmt::format("(timestamp {})", expr.text);
    case ExprKind::DurationLit:
      return fmt::format("(duration {} {})", expr.text, expr.currency);
    case ExprKind::TimeLit:
      return fmt::format("(time {})", expr.text);
    case ExprKind::StringLit:
      return quoted(expr.text);
    case ExprKind::Missing:
      return "missing";
    default:
      return dumpOperator(expr);
  }
}

std::string dumpAst(const Ruleset& ruleset) {
  return Printer().print(ruleset);
}

}  // namespace regelwerk::ast
