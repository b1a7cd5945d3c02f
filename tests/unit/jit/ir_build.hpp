// Test helper: builds ir::Program values by hand (the front end is developed separately) and runs
// them through the JIT on columnar batches.
#pragma once

#include <algorithm>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/jit/jit_engine.hpp"

namespace rwtest {

using regelwerk::ir::ExprPtr;
using regelwerk::ir::Kind;
using regelwerk::ir::Op;

// A node with `args` in order, e.g. node(Op::Add, Kind::I64, lhs, rhs).
template <typename... Args>
ExprPtr node(Op op, Kind kind, Args&&... args) {
  auto expr = std::make_unique<regelwerk::ir::Expr>();
  expr->op = op;
  expr->kind = kind;
  (expr->args.push_back(std::forward<Args>(args)), ...);
  return expr;
}

inline ExprPtr withSite(ExprPtr expr, uint32_t site) {
  expr->site = site;
  return expr;
}

inline ExprPtr num(int64_t value) {
  ExprPtr expr = node(Op::Const, Kind::I64);
  expr->imm = value;
  return expr;
}

inline ExprPtr boolean(bool value) {
  ExprPtr expr = node(Op::Const, Kind::Bool);
  expr->imm = value ? 1 : 0;
  return expr;
}

inline ExprPtr text(std::string value) {
  ExprPtr expr = node(Op::Const, Kind::Str);
  expr->str = std::move(value);
  return expr;
}

inline ExprPtr leaf(Op op, uint32_t index, Kind kind, bool optional) {
  ExprPtr expr = node(op, kind);
  expr->index = index;
  expr->optional = optional;
  return expr;
}

inline ExprPtr input(uint32_t index, Kind kind = Kind::I64, bool optional = false) {
  return leaf(Op::Input, index, kind, optional);
}
inline ExprPtr param(uint32_t index, Kind kind = Kind::I64) {
  return leaf(Op::Param, index, kind, false);
}
inline ExprPtr let(uint32_t index, Kind kind = Kind::I64, bool optional = false) {
  return leaf(Op::Let, index, kind, optional);
}

// Binary I64 op with a site (checked ops report it).
inline ExprPtr arith(Op op, ExprPtr lhs, ExprPtr rhs, uint32_t site = 1) {
  return withSite(node(op, Kind::I64, std::move(lhs), std::move(rhs)), site);
}
inline ExprPtr compare(Op op, ExprPtr lhs, ExprPtr rhs) {
  return node(op, Kind::Bool, std::move(lhs), std::move(rhs));
}

inline ExprPtr rescale(ExprPtr value, int64_t factor, uint32_t site = 1) {
  ExprPtr expr = withSite(node(Op::Rescale, Kind::I64, std::move(value)), site);
  expr->imm = factor;
  return expr;
}

inline ExprPtr roundDiv(ExprPtr num, ExprPtr den, int64_t mul_pow, int64_t div_pow, regelwerk::ir::RoundMode mode,
                        uint32_t site = 1) {
  ExprPtr expr = withSite(node(Op::RoundDiv, Kind::I64, std::move(num), std::move(den)), site);
  expr->imm = mul_pow;
  expr->imm2 = div_pow;
  expr->mode = mode;
  return expr;
}

inline ExprPtr ifThen(ExprPtr condition, ExprPtr then_value, ExprPtr else_value) {
  Kind kind = then_value->kind;
  bool optional = then_value->optional || else_value->optional;
  ExprPtr expr = node(Op::If, kind, std::move(condition), std::move(then_value), std::move(else_value));
  expr->optional = optional;
  return expr;
}

inline ExprPtr coalesce(ExprPtr value, ExprPtr fallback) {
  Kind kind = fallback->kind;
  bool optional = fallback->optional;
  ExprPtr expr = node(Op::Coalesce, kind, std::move(value), std::move(fallback));
  expr->optional = optional;
  return expr;
}

inline regelwerk::ir::Type typeOf(Kind kind, bool optional = false) {
  using regelwerk::ir::TypeKind;
  regelwerk::ir::Type type = regelwerk::ir::Type::of(kind == Kind::Bool  ? TypeKind::Bool
                                                     : kind == Kind::Str ? TypeKind::String
                                                                         : TypeKind::Int);
  type.optional = optional;
  return type;
}

// Appends declarations to a Program and returns their indices.
struct ProgramBuilder {
  regelwerk::ir::Program program;

  ProgramBuilder() {
    program.name = "test";
    program.sites.push_back({});  // site 0 is "no site"
  }
  uint32_t site(std::string rule = "") {
    program.sites.push_back(regelwerk::ir::Site{{}, std::move(rule), "", ""});
    return static_cast<uint32_t>(program.sites.size() - 1);
  }
  uint32_t addInput(std::string name, Kind kind = Kind::I64, bool optional = false) {
    program.inputs.push_back({name, name, typeOf(kind, optional), ""});
    return static_cast<uint32_t>(program.inputs.size() - 1);
  }
  uint32_t addParam(std::string name, Kind kind = Kind::I64) {
    regelwerk::ir::Param declared;
    declared.name = std::move(name);
    declared.type = typeOf(kind);
    program.params.push_back(std::move(declared));
    return static_cast<uint32_t>(program.params.size() - 1);
  }
  uint32_t addLet(std::string name, ExprPtr value) {
    regelwerk::ir::Type type = typeOf(value->kind, value->optional);
    program.lets.push_back({std::move(name), type, std::move(value)});
    return static_cast<uint32_t>(program.lets.size() - 1);
  }
  uint32_t addOutput(std::string name, ExprPtr default_value, bool optional = false) {
    regelwerk::ir::Output output;
    output.name = std::move(name);
    output.type = typeOf(default_value->kind, optional);
    output.default_value = std::move(default_value);
    program.outputs.push_back(std::move(output));
    return static_cast<uint32_t>(program.outputs.size() - 1);
  }
  regelwerk::ir::Decision& decide(regelwerk::ir::HitPolicy policy, uint32_t block_site) {
    program.decisions.emplace_back();
    program.decisions.back().policy = policy;
    program.decisions.back().site = block_site;
    return program.decisions.back();
  }
};

inline regelwerk::ir::Rule& addRule(regelwerk::ir::Decision& decision, std::string name, ExprPtr condition) {
  decision.rules.emplace_back();
  decision.rules.back().name = std::move(name);
  decision.rules.back().condition = std::move(condition);
  return decision.rules.back();
}

inline void assign(regelwerk::ir::Rule& rule, uint32_t output, ExprPtr value) {
  rule.assignments.push_back({output, std::move(value)});
}

inline uint32_t maxSite(const regelwerk::ir::Expr* expr) {
  if (expr == nullptr) return 0;
  uint32_t most = expr->site;
  for (const auto& arg : expr->args) most = std::max(most, maxSite(arg.get()));
  return most;
}

// The builder's ops default to site 1 without declaring it; ir::verify (run before codegen) wants every
// site a node names to exist, so declare the missing ones as anonymous sites.
inline void declareSites(regelwerk::ir::Program& program) {
  uint32_t most = 0;
  for (const auto& let : program.lets) most = std::max(most, maxSite(let.value.get()));
  for (const auto& output : program.outputs) most = std::max(most, maxSite(output.default_value.get()));
  for (const auto& decision : program.decisions) {
    most = std::max(most, decision.site);
    for (const auto& rule : decision.rules) {
      most = std::max(most, maxSite(rule.condition.get()));
      for (const auto& assignment : rule.assignments) most = std::max(most, maxSite(assignment.value.get()));
    }
  }
  while (program.sites.size() <= most) program.sites.push_back({});
}

// Compiles a program and evaluates input batches with it; outputs and errors are kept for checks.
class JitRun {
 public:
  explicit JitRun(regelwerk::ir::Program& program) : program_(program) {
    declareSites(program);
    std::string error;
    evaluator_ = regelwerk::compileJit(program, &error, &compile_ms_);
    INFO(error);
    REQUIRE(evaluator_);
  }

  // A batch with the program's input types and room for `rows` rows.
  regelwerk::Batch inputBatch(size_t rows) const {
    regelwerk::Batch batch(typesOf(program_.inputs), rows);
    batch.setRows(rows);
    return batch;
  }

  void run(regelwerk::Batch& inputs, std::vector<regelwerk::ParamSlot> params = {}) {
    outputs_ = regelwerk::Batch(typesOf(program_.outputs), inputs.rows());
    errors_.assign(inputs.rows(), regelwerk::RowError{-7, -7, -7, -7});
    std::vector<regelwerk::ColumnView> in = inputs.views();
    std::vector<regelwerk::ColumnView> out = outputs_.views();
    evaluator_->evaluate(in.data(), params.data(), out.data(), errors_.data(), static_cast<int64_t>(inputs.rows()));
  }

  const regelwerk::RowError& error(size_t row) const { return errors_.at(row); }
  int64_t i64(size_t output, size_t row) const { return outputs_.column(output).i64()[row]; }
  bool flag(size_t output, size_t row) const { return outputs_.column(output).boolean()[row] != 0; }
  std::string str(size_t output, size_t row) const {
    regelwerk::StrRef ref = outputs_.column(output).str()[row];
    return std::string(ref.data, static_cast<size_t>(ref.size));
  }
  regelwerk::StrRef strRef(size_t output, size_t row) const { return outputs_.column(output).str()[row]; }
  bool valid(size_t output, size_t row) const { return outputs_.column(output).isValid(row); }
  double compileMs() const { return compile_ms_; }
  const regelwerk::Evaluator& evaluator() const { return *evaluator_; }

 private:
  template <typename Decls>
  static std::vector<regelwerk::ir::Type> typesOf(const Decls& declarations) {
    std::vector<regelwerk::ir::Type> types;
    for (const auto& declaration : declarations) types.push_back(declaration.type);
    return types;
  }

  const regelwerk::ir::Program& program_;
  std::unique_ptr<regelwerk::Evaluator> evaluator_;
  regelwerk::Batch outputs_;
  std::vector<regelwerk::RowError> errors_;
  double compile_ms_ = 0;
};

// The outcome of one row of a one-output program: the error, or the value (Bool as 0/1).
struct Outcome {
  int32_t code;
  int32_t site;
  int64_t value;
};

// Evaluates `expr` as the default of a single output over two int inputs (input(0), input(1)),
// one row per (a, b) pair.
inline std::vector<Outcome> evalPairs(ExprPtr expr, const std::vector<std::pair<int64_t, int64_t>>& rows) {
  ProgramBuilder builder;
  builder.addInput("a");
  builder.addInput("b");
  Kind kind = expr->kind;
  builder.addOutput("out", std::move(expr));
  JitRun jit(builder.program);
  regelwerk::Batch batch = jit.inputBatch(rows.size());
  for (size_t row = 0; row < rows.size(); ++row) {
    batch.column(0).i64()[row] = rows[row].first;
    batch.column(1).i64()[row] = rows[row].second;
  }
  jit.run(batch);
  std::vector<Outcome> outcomes;
  for (size_t row = 0; row < rows.size(); ++row) {
    int64_t value = kind == Kind::Bool ? jit.flag(0, row) : jit.i64(0, row);
    outcomes.push_back(Outcome{jit.error(row).code, jit.error(row).site, jit.error(row).code ? 0 : value});
  }
  return outcomes;
}

inline Outcome eval(ExprPtr expr, int64_t a = 0, int64_t b = 0) {
  return evalPairs(std::move(expr), {{a, b}})[0];
}

// Value of a successful evaluation; fails the test with the error code otherwise.
inline int64_t value(ExprPtr expr, int64_t a = 0, int64_t b = 0) {
  Outcome outcome = eval(std::move(expr), a, b);
  INFO("error code " << outcome.code);
  REQUIRE(outcome.code == 0);
  return outcome.value;
}

constexpr int32_t kOverflow = 1;
constexpr int32_t kDivisionByZero = 2;
constexpr int32_t kUniqueConflict = 3;
constexpr int32_t kExceptionsConflict = 4;
constexpr int32_t kDateOutOfRange = 5;

}  // namespace rwtest
