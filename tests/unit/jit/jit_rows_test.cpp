// JIT: whole batches — errors in some rows only, several threads on one evaluator, the dunning rule
// set against its C++ statement, compile time and the --dump=llvm text.
#include <random>
#include <thread>

#include "tests/unit/jit/dunning_program.hpp"
#include "tests/unit/jit/ir_build.hpp"

using namespace rwtest;
using regelwerk::Batch;
using regelwerk::ParamSlot;

namespace {

// out = a * b + a (sites 1 and 2), flag = a < b.
regelwerk::ir::Program productProgram() {
  ProgramBuilder builder;
  builder.addInput("a");
  builder.addInput("b");
  builder.site();
  builder.site();
  builder.addOutput("out", arith(Op::Add, arith(Op::Mul, input(0), input(1), 1), input(0), 2));
  builder.addOutput("flag", compare(Op::Lt, input(0), input(1)));
  return std::move(builder.program);
}

// Rows where a * b or a * b + a overflow now and then.
Batch productBatch(const JitRun& jit, size_t rows, uint64_t seed) {
  Batch batch = jit.inputBatch(rows);
  std::mt19937_64 random(seed);
  for (size_t row = 0; row < rows; ++row) {
    int64_t a = static_cast<int64_t>(random()) >> (row % 7 == 0 ? 1 : 33);
    int64_t b = static_cast<int64_t>(random()) >> (row % 5 == 0 ? 2 : 33);
    batch.column(0).i64()[row] = a;
    batch.column(1).i64()[row] = b;
  }
  return batch;
}

// Checks every row of a product run against __builtin overflow arithmetic.
int checkProducts(const JitRun& jit, const Batch& batch) {
  int rejected = 0;
  for (size_t row = 0; row < batch.rows(); ++row) {
    int64_t a = batch.column(0).i64()[row];
    int64_t b = batch.column(1).i64()[row];
    int64_t product = 0;
    int64_t sum = 0;
    bool mul_overflow = __builtin_mul_overflow(a, b, &product);
    bool add_overflow = !mul_overflow && __builtin_add_overflow(product, a, &sum);
    INFO("row " << row << ": " << a << " * " << b);
    if (mul_overflow || add_overflow) {
      ++rejected;
      REQUIRE(jit.error(row).code == kOverflow);
      REQUIRE(jit.error(row).site == (mul_overflow ? 1 : 2));
      REQUIRE(jit.error(row).rule_a == -1);
      continue;
    }
    REQUIRE(jit.error(row).code == 0);
    REQUIRE(jit.error(row).site == 0);
    REQUIRE(jit.error(row).rule_a == -1);
    REQUIRE(jit.error(row).rule_b == -1);
    REQUIRE(jit.i64(0, row) == sum);
    REQUIRE(jit.flag(1, row) == (a < b));
  }
  return rejected;
}

}  // namespace

TEST_CASE("a loop over many rows rejects exactly the overflowing ones", "[jit][rows]") {
  regelwerk::ir::Program program = productProgram();
  JitRun jit(program);
  Batch batch = productBatch(jit, 10000, 7);
  jit.run(batch);
  int rejected = checkProducts(jit, batch);
  CHECK(rejected > 100);
  CHECK(rejected < 5000);
}

TEST_CASE("evaluate writes nothing for zero rows", "[jit][rows]") {
  regelwerk::ir::Program program = productProgram();
  JitRun jit(program);
  regelwerk::RowError error{-7, -7, -7, -7};
  jit.evaluator().evaluate(nullptr, nullptr, nullptr, &error, 0);
  CHECK(error.code == -7);
}

TEST_CASE("one evaluator serves several threads at once", "[jit][rows]") {
  regelwerk::ir::Program program = productProgram();
  JitRun checker(program);
  std::vector<Batch> inputs;
  for (uint64_t thread = 0; thread < 4; ++thread) inputs.push_back(productBatch(checker, 20000, 100 + thread));
  std::vector<Batch> outputs;
  std::vector<std::vector<regelwerk::RowError>> errors(4, std::vector<regelwerk::RowError>(20000));
  for (int thread = 0; thread < 4; ++thread)
    outputs.emplace_back(std::vector{program.outputs[0].type, program.outputs[1].type}, 20000);
  std::vector<std::thread> threads;
  for (size_t thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&, thread] {
      std::vector<regelwerk::ColumnView> in = inputs[thread].views();
      std::vector<regelwerk::ColumnView> out = outputs[thread].views();
      for (int repeat = 0; repeat < 20; ++repeat) {
        checker.evaluator().evaluate(in.data(), nullptr, out.data(), errors[thread].data(), 20000);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t thread = 0; thread < 4; ++thread) {
    checker.run(inputs[thread]);  // single-threaded expectation, checked against the builtins
    checkProducts(checker, inputs[thread]);
    for (size_t row = 0; row < 20000; ++row) {
      REQUIRE(errors[thread][row].code == checker.error(row).code);
      if (errors[thread][row].code == 0) REQUIRE(outputs[thread].column(0).i64()[row] == checker.i64(0, row));
    }
  }
}

TEST_CASE("several threads compile at once", "[jit][rows]") {
  regelwerk::ir::Program program = productProgram();
  std::vector<std::unique_ptr<regelwerk::Evaluator>> evaluators(3);
  std::vector<std::thread> threads;
  for (size_t thread = 0; thread < evaluators.size(); ++thread) {
    threads.emplace_back([&, thread] {
      std::string error;
      evaluators[thread] = regelwerk::compileJit(program, &error);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& evaluator : evaluators) {
    REQUIRE(evaluator);
    int64_t a[] = {6}, b[] = {7}, out[1] = {0};
    uint8_t flag[1] = {0};
    regelwerk::ColumnView inputs[] = {{a, nullptr}, {b, nullptr}};
    regelwerk::ColumnView outputs[] = {{out, nullptr}, {flag, nullptr}};
    regelwerk::RowError error{};
    evaluator->evaluate(inputs, nullptr, outputs, &error, 1);
    CHECK(error.code == 0);
    CHECK(out[0] == 48);
    CHECK(flag[0] == 1);
  }
}

// Random invoices following dunning.md's distribution; every output compared with the C++ rules.
TEST_CASE("dunning: the JIT matches the workload's rules row by row", "[jit][dunning]") {
  regelwerk::ir::Program program = dunning::program();
  JitRun jit(program);
  INFO("compile ms " << jit.compileMs());
  CHECK(jit.compileMs() < 1500);  // 150 ms is the target on an idle machine; this only catches blow-ups
  const size_t rows = 50000;
  Batch batch = jit.inputBatch(rows);
  std::mt19937_64 random(42);
  auto uniform = [&](int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(random); };
  const int64_t as_of = 20778;  // 2026-11-21
  std::vector<dunning::Invoice> invoices;
  for (size_t row = 0; row < rows; ++row) {
    dunning::Invoice invoice{};
    invoice.customer_type = uniform(0, 9) < 7 ? 0 : 1;
    invoice.amount = uniform(100, 500000);
    int64_t kind = uniform(0, 9);
    invoice.paid = kind < 4 ? 0 : kind == 4 ? invoice.amount : uniform(0, invoice.amount);
    invoice.due_date = uniform(20089, as_of - 1);
    invoice.level = uniform(0, 4);
    invoice.has_last_notice = invoice.level != 0;
    invoice.last_notice = invoice.has_last_notice ? uniform(invoice.due_date, as_of - 1) : 0;
    invoice.disputed = uniform(0, 99) < 3;
    invoices.push_back(invoice);
    batch.column(dunning::kId).i64()[row] = static_cast<int64_t>(row + 1);
    batch.column(dunning::kCustomerType).i64()[row] = invoice.customer_type;
    batch.column(dunning::kAmount).i64()[row] = invoice.amount;
    batch.column(dunning::kPaid).i64()[row] = invoice.paid;
    batch.column(dunning::kDueDate).i64()[row] = invoice.due_date;
    batch.column(dunning::kLastNotice).i64()[row] = invoice.last_notice;
    batch.column(dunning::kLastNotice).valid()[row] = invoice.has_last_notice;
    batch.column(dunning::kLevel).i64()[row] = invoice.level;
    batch.column(dunning::kDisputed).boolean()[row] = invoice.disputed;
  }
  jit.run(batch, {ParamSlot{as_of, {}}, ParamSlot{127, {}}});
  int64_t actions[5] = {};
  for (size_t row = 0; row < rows; ++row) {
    dunning::Decided expected = dunning::decide(invoices[row], as_of, 127);
    INFO("row " << row);
    REQUIRE(jit.error(row).code == 0);
    REQUIRE(jit.i64(dunning::kOutId, row) == static_cast<int64_t>(row + 1));
    REQUIRE(jit.i64(dunning::kAction, row) == expected.action);
    REQUIRE(jit.i64(dunning::kNewLevel, row) == expected.new_level);
    REQUIRE(jit.i64(dunning::kFee, row) == expected.fee);
    REQUIRE(jit.i64(dunning::kInterest, row) == expected.interest);
    ++actions[expected.action];
  }
  for (int64_t count : actions) CHECK(count > 0);  // every rule was exercised
}

TEST_CASE("dump shows the optimised rules function", "[jit][dump]") {
  regelwerk::ir::Program program = dunning::program();
  std::string error;
  std::string text = regelwerk::dumpLlvmIr(program, &error);
  INFO(error);
  CHECK(text.find("define void @rules(ptr noalias") != std::string::npos);
  CHECK(text.find("alloca i1") == std::string::npos);               // mem2reg promoted the outputs' flags
  CHECK(text.find("call i32 @rw_round_div") != std::string::npos);  // the slow path stays
  program.outputs[0].default_value = nullptr;
  CHECK(regelwerk::dumpLlvmIr(program, &error).empty());
  CHECK(error.find("is missing") != std::string::npos);  // ir::verify: "outputs[0](...).default: is missing"
}
