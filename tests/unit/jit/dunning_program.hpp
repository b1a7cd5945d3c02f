// Test helper: the dunning rule set (shared/bench/dunning.md) as hand-built IR, the way lowering is
// expected to produce it, plus the workload's rules written straight in C++ to compare with.
#pragma once

#include "tests/unit/jit/ir_build.hpp"

namespace rwtest::dunning {

// Input columns, params and outputs, in order.
enum Column : uint32_t { kId, kCustomerType, kAmount, kPaid, kDueDate, kLastNotice, kLevel, kDisputed };
enum Parameter : uint32_t { kAsOf, kBaseRate };
enum Result : uint32_t { kOutId, kAction, kNewLevel, kFee, kInterest };

inline ExprPtr col(Column column) {
  return input(column);
}
inline ExprPtr eq(ExprPtr lhs, int64_t rhs) {
  return compare(Op::Eq, std::move(lhs), num(rhs));
}
inline ExprPtr both(ExprPtr lhs, ExprPtr rhs) {
  return node(Op::And, Kind::Bool, std::move(lhs), std::move(rhs));
}
inline ExprPtr either(ExprPtr lhs, ExprPtr rhs) {
  return node(Op::Or, Kind::Bool, std::move(lhs), std::move(rhs));
}

// let open, overdue, since_notice, consumer, interest; decide first with the 7 rules of dunning.md.
inline regelwerk::ir::Program program() {
  ProgramBuilder builder;
  builder.addInput("id");
  builder.addInput("customer_type");
  builder.addInput("amount");
  builder.addInput("paid");
  builder.addInput("due_date");
  builder.addInput("last_notice_date", Kind::I64, true);
  builder.addInput("dunning_level");
  builder.addInput("disputed", Kind::Bool);
  builder.addParam("as_of");
  builder.addParam("base_rate");
  uint32_t site = builder.site();
  uint32_t open = builder.addLet("open", arith(Op::Sub, col(kAmount), col(kPaid), site));
  uint32_t overdue = builder.addLet("overdue", arith(Op::Sub, param(kAsOf), col(kDueDate), site));
  uint32_t since = builder.addLet(
      "since_notice", arith(Op::Sub, param(kAsOf), coalesce(input(kLastNotice, Kind::I64, true), col(kDueDate)), site));
  uint32_t consumer = builder.addLet("consumer", eq(col(kCustomerType), 0));
  ExprPtr rate = arith(Op::Add, param(kBaseRate), ifThen(let(consumer, Kind::Bool), num(500), num(900)), site);
  ExprPtr product = arith(Op::Mul, arith(Op::Mul, let(open), std::move(rate), site), let(overdue), site);
  ExprPtr no_interest = either(input(kDisputed, Kind::Bool),
                               either(compare(Op::Le, let(open), num(0)), compare(Op::Le, let(overdue), num(0))));
  uint32_t interest = builder.addLet(
      "interest", ifThen(std::move(no_interest), num(0),
                         roundDiv(std::move(product), num(365), 0, 4, regelwerk::ir::RoundMode::HalfUp, site)));

  builder.addOutput("id", col(kId));
  builder.addOutput("action", num(0));
  builder.addOutput("new_level", col(kLevel));
  builder.addOutput("fee", num(0));
  builder.addOutput("interest", let(interest));

  regelwerk::ir::Decision& block = builder.decide(regelwerk::ir::HitPolicy::First, builder.site());
  addRule(block, "settled", either(input(kDisputed, Kind::Bool), compare(Op::Le, let(open), num(0))));
  addRule(block, "final", eq(col(kLevel), 4));
  regelwerk::ir::Rule& reminder =
      addRule(block, "reminder", both(eq(col(kLevel), 0), compare(Op::Ge, let(overdue), num(14))));
  assign(reminder, kAction, num(1));
  assign(reminder, kNewLevel, num(1));
  regelwerk::ir::Rule& notice = addRule(
      block, "notice", both(either(eq(col(kLevel), 1), eq(col(kLevel), 2)), compare(Op::Ge, let(since), num(14))));
  assign(notice, kAction, num(2));
  assign(notice, kNewLevel, arith(Op::Add, col(kLevel), num(1), site));
  assign(notice, kFee, ifThen(let(consumer, Kind::Bool), num(500), ifThen(eq(col(kLevel), 1), num(4000), num(0))));
  auto due_for_collection = [&] { return both(eq(col(kLevel), 3), compare(Op::Ge, let(since), num(14))); };
  regelwerk::ir::Rule& collection =
      addRule(block, "collection", both(due_for_collection(), compare(Op::Ge, let(open), num(5000))));
  assign(collection, kAction, num(3));
  assign(collection, kNewLevel, num(4));
  regelwerk::ir::Rule& write_off =
      addRule(block, "write_off", both(due_for_collection(), compare(Op::Lt, let(open), num(5000))));
  assign(write_off, kAction, num(4));
  assign(write_off, kNewLevel, num(3));
  addRule(block, "otherwise", nullptr);
  return std::move(builder.program);
}

struct Invoice {
  int64_t customer_type, amount, paid, due_date, last_notice;
  bool has_last_notice;
  int64_t level;
  bool disputed;
};

struct Decided {
  int64_t action, new_level, fee, interest;
};

// dunning.md, "Per record", literally.
inline Decided decide(const Invoice& invoice, int64_t as_of, int64_t base_rate) {
  int64_t open = invoice.amount - invoice.paid;
  int64_t overdue = as_of - invoice.due_date;
  int64_t since = invoice.has_last_notice ? as_of - invoice.last_notice : overdue;
  bool consumer = invoice.customer_type == 0;
  Decided out{0, invoice.level, 0, 0};
  if (!(invoice.disputed || open <= 0 || overdue <= 0)) {
    out.interest = (open * (base_rate + (consumer ? 500 : 900)) * overdue + 1825000) / 3650000;
  }
  if (invoice.disputed || open <= 0 || invoice.level == 4) return out;
  if (invoice.level == 0 && overdue >= 14) return Decided{1, 1, 0, out.interest};
  if ((invoice.level == 1 || invoice.level == 2) && since >= 14) {
    return Decided{2, invoice.level + 1, consumer ? 500 : (invoice.level == 1 ? 4000 : 0), out.interest};
  }
  if (invoice.level == 3 && since >= 14) return Decided{open >= 5000 ? 3 : 4, open >= 5000 ? 4 : 3, 0, out.interest};
  return out;
}

}  // namespace rwtest::dunning
