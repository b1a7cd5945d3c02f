// Translates IR expressions (compiler/ir) into Z3 terms over linear integer arithmetic, for the
// whole-rule-set checks (docs/checks.md). Exact where the meaning is linear; an over-approximation
// (a fresh unconstrained variable) where it is not, and then the term says so (`exact == false`).
#pragma once

#include <z3++.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace regelwerk::analysis {

// A value as Z3 sees it: whether it is there, and what it is. Int for every I64 kind (scaled numbers,
// days, enum members) and for strings (a string is the id of its text, see Encoder::stringId), Bool
// for bools. `exact`: the translation means what the IR means for every record the IR evaluates
// without an error; false when some part was replaced by a fresh variable.
struct Term {
  z3::expr present;
  z3::expr value;
  bool exact = true;
};

// One Encoder per program: input and param variables are shared by every term it makes, lets are
// translated once. Not thread-safe (Z3 contexts are not).
class Encoder {
 public:
  Encoder(z3::context& context, const ir::Program& program);

  Term encode(const ir::Expr& expr);
  // A rule's condition as a Bool (a rule without `when` always applies).
  z3::expr condition(const ir::Rule& rule, bool* exact);

  // The values the record's fields and the params can take: enum members, the date range, int64.
  z3::expr domain() const;
  // Every param with a default takes its default (what a run uses unless `--param` says otherwise).
  z3::expr defaults();
  // The record is not rejected by a top-level `reject … when c` whose c translates exactly.
  z3::expr notRejected();

  const z3::expr& inputValue(size_t column) const { return inputs_[column].value; }
  const z3::expr& inputPresent(size_t column) const { return inputs_[column].present; }
  const z3::expr& paramValue(size_t param) const { return params_[param].value; }
  // The text behind a string id, when some string constant of the program has it.
  const std::string* stringOf(int64_t id) const;

 private:
  Term variable(const std::string& name, const ir::Type& type);
  Term fresh(const ir::Expr& expr);
  Term let(uint32_t index);
  Term arithmetic(const ir::Expr& expr);
  Term multiply(const ir::Expr& expr);
  Term roundDiv(const ir::Expr& expr);
  Term compare(const ir::Expr& expr);
  Term logic(const ir::Expr& expr);
  Term missingValue(const ir::Expr& expr);
  Term with(const ir::Expr& expr);
  z3::expr zero(ir::Kind kind);
  int64_t stringId(const std::string& text);
  z3::expr typeRange(const z3::expr& value, const ir::Type& type) const;

  z3::context& context_;
  const ir::Program& program_;
  std::vector<Term> inputs_;
  std::vector<Term> params_;
  std::vector<std::optional<Term>> lets_;
  std::vector<std::optional<Term>> locals_;
  std::map<std::string, int64_t> string_ids_;
  std::vector<std::string> strings_;
  int fresh_count_ = 0;
};

}  // namespace regelwerk::analysis
