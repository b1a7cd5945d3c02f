// Builds small ir::Programs and input batches by hand, for tests of the engines (reusable by the JIT's).
//
//   ir::Program program;
//   uint32_t amount = addInput(program, "amount", ir::Type::of(ir::TypeKind::Money, 2));
//   addOutput(program, "fee", ir::Type::of(ir::TypeKind::Money, 2),
//             add(input(program, amount), i64(500), addSite(program, "", "output fee")));
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace regelwerk::test {

// --- expressions ---------------------------------------------------------------------------------

inline ir::ExprPtr leaf(ir::Op op, ir::Kind kind, bool optional = false) {
  auto expr = std::make_unique<ir::Expr>();
  expr->op = op;
  expr->kind = kind;
  expr->optional = optional;
  return expr;
}

// An op node with its operands, e.g. node(ir::Op::Add, ir::Kind::I64, 0, i64(1), i64(2)).
template <class... Args>
ir::ExprPtr node(ir::Op op, ir::Kind kind, uint32_t site, Args... args) {
  ir::ExprPtr expr = leaf(op, kind);
  expr->site = site;
  (expr->args.push_back(std::move(args)), ...);
  return expr;
}

inline ir::ExprPtr i64(int64_t value) {
  ir::ExprPtr expr = leaf(ir::Op::Const, ir::Kind::I64);
  expr->imm = value;
  return expr;
}
inline ir::ExprPtr boolean(bool value) {
  ir::ExprPtr expr = leaf(ir::Op::Const, ir::Kind::Bool);
  expr->imm = value ? 1 : 0;
  return expr;
}
inline ir::ExprPtr str(std::string value) {
  ir::ExprPtr expr = leaf(ir::Op::Const, ir::Kind::Str);
  expr->str = std::move(value);
  return expr;
}

// Leaves whose kind and optionality come from the program's declarations.
inline ir::ExprPtr input(const ir::Program& program, uint32_t index) {
  const ir::Type& type = program.inputs.at(index).type;
  ir::ExprPtr expr = leaf(ir::Op::Input, ir::physicalKind(type), type.optional);
  expr->index = index;
  return expr;
}
inline ir::ExprPtr param(const ir::Program& program, uint32_t index) {
  ir::ExprPtr expr = leaf(ir::Op::Param, ir::physicalKind(program.params.at(index).type));
  expr->index = index;
  return expr;
}
inline ir::ExprPtr let(const ir::Program& program, uint32_t index) {
  const ir::Type& type = program.lets.at(index).type;
  ir::ExprPtr expr = leaf(ir::Op::Let, ir::physicalKind(type), type.optional);
  expr->index = index;
  return expr;
}

inline ir::ExprPtr add(ir::ExprPtr a, ir::ExprPtr b, uint32_t site = 0) {
  return node(ir::Op::Add, ir::Kind::I64, site, std::move(a), std::move(b));
}
inline ir::ExprPtr sub(ir::ExprPtr a, ir::ExprPtr b, uint32_t site = 0) {
  return node(ir::Op::Sub, ir::Kind::I64, site, std::move(a), std::move(b));
}
inline ir::ExprPtr mul(ir::ExprPtr a, ir::ExprPtr b, uint32_t site = 0) {
  return node(ir::Op::Mul, ir::Kind::I64, site, std::move(a), std::move(b));
}
inline ir::ExprPtr neg(ir::ExprPtr a, uint32_t site = 0) { return node(ir::Op::Neg, ir::Kind::I64, site, std::move(a)); }
inline ir::ExprPtr abs(ir::ExprPtr a, uint32_t site = 0) { return node(ir::Op::Abs, ir::Kind::I64, site, std::move(a)); }
inline ir::ExprPtr rescale(ir::ExprPtr a, int64_t factor, uint32_t site = 0) {
  ir::ExprPtr expr = node(ir::Op::Rescale, ir::Kind::I64, site, std::move(a));
  expr->imm = factor;
  return expr;
}
// round(num * 10^mul_pow / (den * 10^div_pow)) with `mode`.
inline ir::ExprPtr roundDiv(ir::ExprPtr num, ir::ExprPtr den, ir::RoundMode mode, int64_t mul_pow = 0,
                            int64_t div_pow = 0, uint32_t site = 0) {
  ir::ExprPtr expr = node(ir::Op::RoundDiv, ir::Kind::I64, site, std::move(num), std::move(den));
  expr->mode = mode;
  expr->imm = mul_pow;
  expr->imm2 = div_pow;
  return expr;
}
inline ir::ExprPtr min(ir::ExprPtr a, ir::ExprPtr b) { return node(ir::Op::Min, ir::Kind::I64, 0, std::move(a), std::move(b)); }
inline ir::ExprPtr max(ir::ExprPtr a, ir::ExprPtr b) { return node(ir::Op::Max, ir::Kind::I64, 0, std::move(a), std::move(b)); }
// Eq..Ge, StrEq, StrNe: any comparison producing Bool.
inline ir::ExprPtr cmp(ir::Op op, ir::ExprPtr a, ir::ExprPtr b) {
  return node(op, ir::Kind::Bool, 0, std::move(a), std::move(b));
}
inline ir::ExprPtr andOf(ir::ExprPtr a, ir::ExprPtr b) { return node(ir::Op::And, ir::Kind::Bool, 0, std::move(a), std::move(b)); }
inline ir::ExprPtr orOf(ir::ExprPtr a, ir::ExprPtr b) { return node(ir::Op::Or, ir::Kind::Bool, 0, std::move(a), std::move(b)); }
inline ir::ExprPtr notOf(ir::ExprPtr a) { return node(ir::Op::Not, ir::Kind::Bool, 0, std::move(a)); }
inline ir::ExprPtr ifThen(ir::ExprPtr c, ir::ExprPtr a, ir::ExprPtr b) {
  ir::Kind kind = a->kind;
  bool optional = a->optional || b->optional;
  ir::ExprPtr expr = node(ir::Op::If, kind, 0, std::move(c), std::move(a), std::move(b));
  expr->optional = optional;
  return expr;
}
inline ir::ExprPtr coalesce(ir::ExprPtr x, ir::ExprPtr y) {
  ir::Kind kind = x->kind;
  bool optional = y->optional;
  ir::ExprPtr expr = node(ir::Op::Coalesce, kind, 0, std::move(x), std::move(y));
  expr->optional = optional;
  return expr;
}
inline ir::ExprPtr isMissing(ir::ExprPtr x) { return node(ir::Op::IsMissing, ir::Kind::Bool, 0, std::move(x)); }
inline ir::ExprPtr checkDate(ir::ExprPtr days, uint32_t site = 0) {
  return node(ir::Op::CheckDate, ir::Kind::I64, site, std::move(days));
}

// --- declarations --------------------------------------------------------------------------------

inline ir::Type typeOf(ir::TypeKind kind, bool optional = false, int scale = 0) {
  ir::Type type = ir::Type::of(kind, scale);
  type.optional = optional;
  return type;
}

// Appends a site and returns its index; adds the "no site" site 0 first if the program has none.
inline uint32_t addSite(ir::Program& program, std::string rule, std::string context = "") {
  if (program.sites.empty()) program.sites.push_back(ir::Site{});
  program.sites.push_back(ir::Site{Location{1, static_cast<uint32_t>(program.sites.size()), 1}, std::move(rule),
                                   std::move(context), ""});
  return static_cast<uint32_t>(program.sites.size() - 1);
}
inline uint32_t addInput(ir::Program& program, std::string name, ir::Type type) {
  program.inputs.push_back(ir::InputColumn{name, name, std::move(type), ""});
  return static_cast<uint32_t>(program.inputs.size() - 1);
}
inline uint32_t addParam(ir::Program& program, std::string name, ir::Type type) {
  ir::Param param;
  param.name = std::move(name);
  param.type = std::move(type);
  program.params.push_back(std::move(param));
  return static_cast<uint32_t>(program.params.size() - 1);
}
inline uint32_t addLet(ir::Program& program, std::string name, ir::Type type, ir::ExprPtr value) {
  program.lets.push_back(ir::Let{std::move(name), std::move(type), std::move(value)});
  return static_cast<uint32_t>(program.lets.size() - 1);
}
inline uint32_t addOutput(ir::Program& program, std::string name, ir::Type type, ir::ExprPtr default_value) {
  program.outputs.push_back(ir::Output{std::move(name), std::move(type), std::move(default_value), ""});
  return static_cast<uint32_t>(program.outputs.size() - 1);
}
inline ir::Decision& addDecision(ir::Program& program, ir::HitPolicy policy, uint32_t site = 0) {
  program.decisions.emplace_back();
  program.decisions.back().policy = policy;
  program.decisions.back().site = site;
  return program.decisions.back();
}
// A rule with an optional condition (null: always applies) and its `then` assignments.
inline ir::Rule& addRule(ir::Decision& decision, std::string name, ir::ExprPtr condition, uint64_t defeated_by = 0) {
  decision.rules.emplace_back();
  ir::Rule& rule = decision.rules.back();
  rule.name = std::move(name);
  rule.condition = std::move(condition);
  rule.defeated_by = defeated_by;
  return rule;
}
inline ir::Rule& then(ir::Rule& rule, uint32_t output, ir::ExprPtr value) {
  rule.assignments.push_back(ir::Assignment{output, std::move(value)});
  return rule;
}

}  // namespace regelwerk::test
