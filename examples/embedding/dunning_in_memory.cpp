// An integrator's program: evaluates the dunning example in memory through the installed library and
// prints the outputs as the command writes them; then loads a rule file that uses the standard library
// and prints the files it was read from (the installed std/interest.rules and its base-rate table).
// Usage: dunning_in_memory DUNNING.RULES  (exit 0 when everything worked, 1 with the error otherwise)
#include <regelwerk/regelwerk.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace api = regelwerk::api;

static int failed(const api::Error& error) {
  std::fprintf(stderr, "dunning_in_memory: %s\n", error.message.c_str());
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 2) return std::fprintf(stderr, "usage: dunning_in_memory DUNNING.RULES\n"), 2;
  api::Error error;
  auto rules = api::Rules::load(argv[1], &error);
  if (!rules) return failed(error);
  auto engine = api::Engine::create(rules, api::EngineKind::Jit, &error);
  if (!engine) return failed(error);

  // Three invoices (dates as days since 1970-01-01; money in cents; enum by member index).
  const std::vector<int64_t> id = {1, 2, 3}, customer_type = {0, 1, 1}, amount = {12000, 250000, 9900},
                             paid = {0, 1000, 9900}, due = {20700, 20650, 20760}, notice = {0, 20700, 0},
                             level = {0, 1, 0};
  const std::vector<uint8_t> notice_valid = {0, 1, 0}, disputed = {0, 0, 0};
  api::Batch batch(rules, id.size());
  bool ok = batch.setInt64("id", id.data(), id.size(), nullptr, &error) &&
            batch.setInt64("customer_type", customer_type.data(), id.size(), nullptr, &error) &&
            batch.setInt64("amount", amount.data(), id.size(), nullptr, &error) &&
            batch.setInt64("paid", paid.data(), id.size(), nullptr, &error) &&
            batch.setInt64("due_date", due.data(), id.size(), nullptr, &error) &&
            batch.setInt64("last_notice_date", notice.data(), id.size(), notice_valid.data(), &error) &&
            batch.setInt64("dunning_level", level.data(), id.size(), nullptr, &error) &&
            batch.setBool("disputed", disputed.data(), id.size(), nullptr, &error);
  if (!ok) return failed(error);
  api::Result result;
  if (!engine->evaluate(batch, api::Params(rules), &result, &error)) return failed(error);
  for (size_t column = 0; column < result.outputs().size(); ++column) {
    std::printf("%s%s", column ? "," : "", result.outputs()[column].name.c_str());
  }
  std::printf("\n");
  for (size_t row = 0; row < result.rows(); ++row) {
    for (size_t column = 0; column < result.outputs().size(); ++column) {
      std::printf("%s%s", column ? "," : "", result.text(result.outputs()[column].name, row).c_str());
    }
    std::printf("\n");
  }

  auto with_stdlib = api::Rules::fromText("uses-stdlib.rules",
                                          "ruleset uses_stdlib\nuse std.interest\ninput R\n  principal: money\n"
                                          "output interest: money = accrued_interest(principal, 2025-01-01, 2025-01-31, 9%)\n",
                                          &error);
  if (!with_stdlib) return failed(error);
  for (const std::string& file : with_stdlib->files()) std::printf("file %s\n", file.c_str());
  std::printf("version %s\n", api::version());
  return 0;
}
