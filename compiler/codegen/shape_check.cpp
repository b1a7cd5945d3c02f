// The structural facts the emitter relies on, checked before any LLVM IR is built, so malformed IR
// yields an error message instead of an LLVM assertion. A subset of ir::verify(), kept here because
// codegen must not crash even when a caller skips the verifier.
#include <string>
#include <vector>

#include "compiler/codegen/function_emitter.hpp"

namespace regelwerk::codegen {

namespace {

struct ShapeChecker {
  const ir::Program& program;
  size_t visible_lets = 0;  // a Let reads only earlier lets
  std::string problem;
  std::vector<const ir::Expr*> locals = std::vector<const ir::Expr*>(program.local_count, nullptr);

  bool fail(const std::string& message) {
    if (problem.empty()) problem = message;
    return false;
  }

  // Whether the value can be missing, as the emitter will represent it.
  bool optionalOf(const ir::Expr& expr) const {
    switch (expr.op) {
      case ir::Op::Input:
        return program.inputs[expr.index].type.optional;
      case ir::Op::Let:
        return optionalOf(*program.lets[expr.index].value);
      case ir::Op::If:
        return optionalOf(*expr.args[1]) || optionalOf(*expr.args[2]);
      case ir::Op::Coalesce:
        return optionalOf(*expr.args[1]);
      case ir::Op::Local:
        if (expr.index < locals.size() && locals[expr.index]) return optionalOf(*locals[expr.index]);
        return expr.optional;  // read outside its With (through a let's value): trust the node
      case ir::Op::With:
        return optionalOf(*expr.args[1]);
      case ir::Op::TableLookup:
        return true;
      default:
        return false;
    }
  }

  static size_t arity(ir::Op op) {
    switch (op) {
      case ir::Op::Const:
      case ir::Op::Input:
      case ir::Op::Param:
      case ir::Op::Let:
      case ir::Op::Local:
        return 0;
      case ir::Op::TableLookup:
      case ir::Op::IsMissing:
      case ir::Op::Neg:
      case ir::Op::Abs:
      case ir::Op::Rescale:
      case ir::Op::Not:
      case ir::Op::CheckDate:
        return 1;
      case ir::Op::If:
      case ir::Op::RangeSum:
        return 3;
      default:
        return 2;
    }
  }

  bool leafInRange(const ir::Expr& expr) {
    if (expr.op == ir::Op::Input && expr.index >= program.inputs.size()) return fail("input index out of range");
    if (expr.op == ir::Op::Param && expr.index >= program.params.size()) return fail("param index out of range");
    if (expr.op == ir::Op::Let && expr.index >= visible_lets) return fail("let reads a later let");
    if (expr.op == ir::Op::Local && (expr.index >= locals.size() || !locals[expr.index])) return fail("unbound local");
    bool table_op = expr.op == ir::Op::TableLookup || expr.op == ir::Op::RangeSum;
    if (table_op && (expr.index >= program.tables.size() || expr.imm < 0 ||
                     static_cast<size_t>(expr.imm) >= program.tables[expr.index].columns.size())) {
      return fail("table or column out of range");
    }
    return true;
  }

  // The kind a leaf really has in the emitted code (from its declaration, not the node).
  ir::Kind leafKind(const ir::Expr& expr) const {
    switch (expr.op) {
      case ir::Op::Input:
        return ir::physicalKind(program.inputs[expr.index].type);
      case ir::Op::Param:
        return ir::physicalKind(program.params[expr.index].type);
      case ir::Op::Let:
        return ir::physicalKind(program.lets[expr.index].type);
      default:
        return expr.kind;
    }
  }

  // Operand kinds and optionality against the op table of ir.hpp.
  bool operandsFit(const ir::Expr& expr) {
    auto kind = [&](size_t arg) { return expr.args[arg]->kind; };
    auto all = [&](ir::Kind wanted) {
      for (const auto& arg : expr.args) {
        if (arg->kind != wanted) return false;
      }
      return true;
    };
    for (size_t arg = 0; arg < expr.args.size(); ++arg) {
      bool accepts_optional = expr.op == ir::Op::IsMissing || (expr.op == ir::Op::Coalesce) ||
                              (expr.op == ir::Op::If && arg > 0) || expr.op == ir::Op::With;
      if (!accepts_optional && optionalOf(*expr.args[arg])) return fail("optional operand where a value is required");
    }
    switch (expr.op) {
      case ir::Op::Const:
      case ir::Op::Input:
      case ir::Op::Param:
      case ir::Op::Let:
        return leafKind(expr) == expr.kind || fail("leaf kind differs from its declaration");
      case ir::Op::IsMissing:
      case ir::Op::Not:
        return expr.kind == ir::Kind::Bool && (expr.op == ir::Op::IsMissing || all(ir::Kind::Bool));
      case ir::Op::Coalesce:
        return all(expr.kind);
      case ir::Op::Eq:
      case ir::Op::Ne:
      case ir::Op::Lt:
      case ir::Op::Le:
      case ir::Op::Gt:
      case ir::Op::Ge:
        return expr.kind == ir::Kind::Bool && kind(0) == kind(1) && kind(0) != ir::Kind::Str;
      case ir::Op::StrEq:
      case ir::Op::StrNe:
        return expr.kind == ir::Kind::Bool && all(ir::Kind::Str);
      case ir::Op::And:
      case ir::Op::Or:
        return expr.kind == ir::Kind::Bool && all(ir::Kind::Bool);
      case ir::Op::If:
        return kind(0) == ir::Kind::Bool && kind(1) == expr.kind && kind(2) == expr.kind;
      case ir::Op::Rescale:
        return expr.kind == ir::Kind::I64 && all(ir::Kind::I64) && expr.imm > 0;
      case ir::Op::Local:
        return locals[expr.index]->kind == expr.kind;
      case ir::Op::With:
        return kind(1) == expr.kind;
      case ir::Op::TableLookup: {
        const ir::Type& type = program.tables[expr.index].columns[static_cast<size_t>(expr.imm)].type;
        ir::Kind key = program.tables[expr.index].key_type.isString() ? ir::Kind::Str : ir::Kind::I64;
        return kind(0) == key && expr.kind == ir::physicalKind(type) && expr.kind != ir::Kind::Str;
      }
      default:
        return expr.kind == ir::Kind::I64 && all(ir::Kind::I64);
    }
  }

  bool expr(const ir::Expr* node) {
    if (!node) return fail("missing expression");
    if (node->args.size() != arity(node->op)) return fail("wrong number of operands");
    if (node->op == ir::Op::With) return with(*node);
    for (const auto& arg : node->args) {
      if (!expr(arg.get())) return false;
    }
    if (!leafInRange(*node)) return false;
    return operandsFit(*node) || fail("operand kinds do not fit the op table");
  }

  // The body of a With sees its slot bound to the value.
  bool with(const ir::Expr& node) {
    if (!expr(node.args[0].get())) return false;
    if (node.index >= locals.size() || locals[node.index]) return fail("bad local slot");
    locals[node.index] = node.args[0].get();
    bool body = expr(node.args[1].get());
    locals[node.index] = nullptr;
    return body && (operandsFit(node) || fail("operand kinds do not fit the op table"));
  }

  bool valueFor(const ir::Expr* node, const ir::Type& type) {
    if (!expr(node)) return false;
    if (node->kind != ir::physicalKind(type)) return fail("value kind differs from its declared type");
    return !optionalOf(*node) || type.optional || fail("optional value for a required slot");
  }

  bool rule(const ir::Rule& rule) {
    if (rule.condition && !valueFor(rule.condition.get(), ir::Type::of(ir::TypeKind::Bool))) return false;
    for (const ir::Assignment& assignment : rule.assignments) {
      if (assignment.output >= program.outputs.size()) return fail("assignment to an unknown output");
      if (!valueFor(assignment.value.get(), program.outputs[assignment.output].type)) return false;
    }
    return true;
  }

  bool run() {
    for (const ir::Let& let : program.lets) {
      ir::Type as_declared = let.type;
      as_declared.optional = true;  // a let accepts an optional value
      if (!valueFor(let.value.get(), as_declared)) return false;
      ++visible_lets;
    }
    for (const ir::Decision& decision : program.decisions) {
      if (decision.policy == ir::HitPolicy::Exceptions && decision.rules.size() > ir::kMaxRulesPerExceptionsBlock) {
        return fail("more than 64 rules in an exceptions block");
      }
      for (const ir::Rule& current : decision.rules) {
        if (!rule(current)) return false;
      }
    }
    for (const ir::Output& output : program.outputs) {
      if (!valueFor(output.default_value.get(), output.type)) return false;
    }
    return true;
  }
};

}  // namespace

std::string checkShape(const ir::Program& program) {
  ShapeChecker checker{program, 0, ""};
  checker.run();
  return checker.problem.empty() ? "" : "cannot compile `" + program.name + "`: " + checker.problem;
}

}  // namespace regelwerk::codegen
