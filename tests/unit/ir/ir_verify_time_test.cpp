// ir::verify for the time ops: CheckTimestamp takes one I64; TimeCall names a known kernel and takes
// its I64 arguments and, for zoned kernels, a Str zone, none of them optional.
#include <catch2/catch.hpp>

#include "tests/unit/interp/ir_builder.hpp"

namespace regelwerk::test {
namespace {

using Catch::Matchers::Contains;
using ir::Op;
using ir::TypeKind;

template <class... Args>
ir::ExprPtr timeCall(ir::TimeFn fn, Args... args) {
  ir::ExprPtr out = node(Op::TimeCall, ir::Kind::I64, 0, std::move(args)...);
  out->imm = static_cast<int64_t>(fn);
  return out;
}

// The verifier's complaints about an output whose default is `value`, one per line.
std::string problemsOf(ir::ExprPtr value) {
  ir::Program program;
  addSite(program, "", "output out");
  addOutput(program, "out", typeOf(TypeKind::Int), std::move(value));
  std::string out;
  for (const std::string& problem : ir::verify(program)) out += problem + "\n";
  return out;
}

TEST_CASE("verify: time calls in their documented shape", "[ir]") {
  CHECK(problemsOf(timeCall(ir::TimeFn::LocalTime, i64(0), str("UTC"))) == "");
  CHECK(problemsOf(timeCall(ir::TimeFn::AtLocal, i64(0), i64(28800), str("Europe/Berlin"))) == "");
  CHECK(problemsOf(timeCall(ir::TimeFn::DateClamped, i64(2025), i64(2), i64(29))) == "");
  CHECK(problemsOf(node(Op::CheckTimestamp, ir::Kind::I64, 0, i64(0))) == "");
}

TEST_CASE("verify: time calls with the wrong arguments are named", "[ir]") {
  CHECK_THAT(problemsOf(timeCall(ir::TimeFn::LocalTime, i64(0))), Contains("takes 2 operands, has 1"));
  CHECK_THAT(problemsOf(timeCall(ir::TimeFn::LocalDate, i64(0), i64(1))),
             Contains("rw_local_date operand 1 is I64, expected Str"));
  ir::ExprPtr unknown = timeCall(ir::TimeFn::Year, i64(0));
  unknown->imm = 99;
  CHECK_THAT(problemsOf(std::move(unknown)), Contains("time_call kernel 99 is unknown"));
}

}  // namespace
}  // namespace regelwerk::test
