// ir::print and ir::verify for tables, table_lookup, range_sum, with and local.
#include <catch2/catch.hpp>

#include "tests/unit/interp/ir_builder.hpp"

namespace regelwerk::test {
namespace {

using ir::Op;
using ir::TypeKind;

// table rate (range, date key, one percent column); output = with 0 (input day) (table_lookup (local 0)).
ir::Program rates() {
  ir::Program p;
  p.name = "rates";
  p.source_path = "rates.rules";
  addSite(p, "");
  ir::Table table{"rate", {}, typeOf(TypeKind::Date), true, {10, 20}, {}, {}};
  table.columns.push_back({"r", typeOf(TypeKind::Percent, false, 6), {22700, 12700}});
  p.tables.push_back(table);
  uint32_t day = addInput(p, "day", typeOf(TypeKind::Date));
  ir::ExprPtr lookup = node(Op::TableLookup, ir::Kind::I64, 0, leaf(Op::Local, ir::Kind::I64));
  lookup->optional = true;
  ir::ExprPtr with = node(Op::With, ir::Kind::I64, 0, input(p, day), std::move(lookup));
  with->optional = true;
  addOutput(p, "now", typeOf(TypeKind::Percent, true, 6), std::move(with));
  ir::ExprPtr sum = node(Op::RangeSum, ir::Kind::I64, 1, input(p, day), i64(30), i64(50000));
  addOutput(p, "sum", typeOf(TypeKind::Int), std::move(sum));
  p.local_count = 1;
  return p;
}

std::string problems(const ir::Program& program) {
  std::string out;
  for (const std::string& problem : ir::verify(program)) out += problem + "\n";
  return out;
}

TEST_CASE("print: tables and the table, with and local ops", "[ir]") {
  ir::Program p = rates();
  CHECK(problems(p).empty());
  CHECK(ir::print(p) ==
        "ruleset rates (rates.rules)\n"
        "table 0 rate key date range rows 2 [r: percent]\n"
        "input 0 day: date\n"
        "output 0 now: percent? = (with 0 (input 0 day) (table_lookup rate.r (local 0)))\n"
        "output 1 sum: int = (range_sum.checked rate.r (input 0 day) (const 30) (const 50000))\n");
}

TEST_CASE("verify: unsorted keys, short columns, string values", "[ir]") {
  ir::Program p = rates();
  p.tables[0].keys = {20, 10};
  p.tables[0].columns[0].values.pop_back();
  CHECK(problems(p).find("keys are not strictly increasing at row 1") != std::string::npos);
  CHECK(problems(p).find("column `r` has the wrong length") != std::string::npos);
}

TEST_CASE("verify: a with's kind follows its body, a local out of range, a required lookup", "[ir]") {
  ir::Program p = rates();
  p.outputs[0].default_value->optional = false;
  p.outputs[0].default_value->args[1]->optional = false;
  std::string found = problems(p);
  CHECK(found.find("table_lookup is optional") != std::string::npos);
  p = rates();
  p.local_count = 0;
  CHECK(problems(p).find("local 0 is out of range (0 locals)") != std::string::npos);
}

}  // namespace
}  // namespace regelwerk::test
