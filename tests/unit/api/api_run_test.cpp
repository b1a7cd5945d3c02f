// The embedding API evaluates the dunning example in memory exactly as the command does over CSV, from
// many threads at once, across a hot reload, and with handles released in any order.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dunning_data.hpp"
#include "regelwerk/regelwerk.hpp"
#include "tests/support/cli_harness.hpp"

namespace api = regelwerk::api;
using regelwerk::testing::api::Invoices;
using regelwerk::testing::api::makeInvoices;

namespace {

const std::string kDunning = RW_SOURCE_DIR "/examples/dunning/dunning.rules";

std::shared_ptr<const api::Rules> loadDunning() {
  api::Error error;
  auto rules = api::Rules::load(kDunning, &error);
  INFO(error.message);
  REQUIRE(rules);
  return rules;
}

// Hands the invoices over as views of their vectors: the physical form of each type.
void fillBatch(api::Batch& batch, const Invoices& data) {
  api::Error error;
  const size_t rows = data.id.size();
  REQUIRE(batch.setInt64("id", data.id.data(), rows, nullptr, &error));
  REQUIRE(batch.setInt64("customer_type", data.customer_type.data(), rows, nullptr, &error));
  REQUIRE(batch.setInt64("amount", data.amount.data(), rows, nullptr, &error));
  REQUIRE(batch.setInt64("paid", data.paid.data(), rows, nullptr, &error));
  REQUIRE(batch.setInt64("due_date", data.due_date.data(), rows, nullptr, &error));
  REQUIRE(batch.setInt64("last_notice_date", data.last_notice_date.data(), rows, data.last_notice_valid.data(), &error));
  REQUIRE(batch.setInt64("dunning_level", data.dunning_level.data(), rows, nullptr, &error));
  REQUIRE(batch.setBool("disputed", data.disputed.data(), rows, nullptr, &error));
}

// The result as the command writes its output file: a header, then one CSV line per record.
std::string asCsv(const api::Result& result) {
  std::string text;
  for (const api::Field& field : result.outputs()) text += (text.empty() ? "" : ",") + field.name;
  text += "\n";
  for (size_t row = 0; row < result.rows(); ++row) {
    std::string line;
    for (const api::Field& field : result.outputs()) line += (line.empty() ? "" : ",") + result.text(field.name, row);
    text += line + "\n";
  }
  return text;
}

api::Result evaluate(const api::Engine& engine, const api::Batch& batch, const api::Params& params) {
  api::Result result;
  api::Error error;
  INFO(error.message);
  REQUIRE(engine.evaluate(batch, params, &result, &error));
  return result;
}

}  // namespace

TEST_CASE("api: the dunning example in memory equals the command's output file, both engines", "[api]") {
  const Invoices data = makeInvoices(3000);
  const auto folder = regelwerk::testing::scratchFolder("api", "dunning_vs_cli");
  regelwerk::testing::writeFile(folder / "invoices.csv", data.csv);
  const auto run = regelwerk::testing::runIn(folder, std::string(RW_BINARY_DIR) + "/cli/regelwerk run " + kDunning +
                                                         " --input invoices.csv --output decisions.csv --param as_of=2026-11-21");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const std::string expected = regelwerk::testing::readFile(folder / "decisions.csv");

  auto rules = loadDunning();
  api::Batch batch(rules, data.id.size());
  fillBatch(batch, data);
  api::Params params(rules);
  api::Error error;
  REQUIRE(params.setInt64("as_of", 20778, &error));  // 2026-11-21 as days since 1970-01-01
  for (api::EngineKind kind : {api::EngineKind::Jit, api::EngineKind::Interpreter}) {
    auto engine = api::Engine::create(rules, kind, &error);
    REQUIRE(engine);
    const api::Result result = evaluate(*engine, batch, params);
    CHECK(result.rows() == 3000);
    CHECK(result.rejectedCount() == 0);
    CHECK(asCsv(result) == expected);
  }
}

TEST_CASE("api: outputs by name in their physical form, and one record from text cells", "[api]") {
  auto rules = loadDunning();
  api::Error error;
  auto engine = api::Engine::create(rules, api::EngineKind::Jit, &error);
  REQUIRE(engine);
  api::Result result;
  // Level 1, noticed 2026-10-01, 30,000.00 open: a notice with the 40.00 business fee.
  REQUIRE(engine->evaluateOne({{"id", "7"}, {"customer_type", "business"}, {"amount", "3000000"}, {"paid", "0"},
                               {"due_date", "2026-09-01"}, {"last_notice_date", "2026-10-01"}, {"dunning_level", "1"},
                               {"disputed", "false"}},
                              api::Params(rules), &result, &error));
  REQUIRE(result.rows() == 1);
  CHECK(result.text("action", 0) == "notice");
  const int64_t* fee = result.int64("fee", &error);
  REQUIRE(fee);
  CHECK(fee[0] == 4000);  // 40.00 EUR at scale 2
  const int64_t* action = result.int64("action", &error);
  REQUIRE(action);
  CHECK(rules->outputs()[1].members[static_cast<size_t>(action[0])] == "notice");
  CHECK(result.valid("fee") == nullptr);  // a required output: nothing can be missing
}

TEST_CASE("api: handles can be released in any order; the engine and result keep what they need", "[api]") {
  const Invoices data = makeInvoices(50);
  api::Result result;
  {
    auto rules = loadDunning();
    api::Error error;
    auto engine = api::Engine::create(rules, api::EngineKind::Interpreter, &error);
    REQUIRE(engine);
    api::Batch batch(rules, data.id.size());
    api::Params params(rules);
    rules.reset();  // the engine, batch and params hold the rule set
    fillBatch(batch, data);
    result = evaluate(*engine, batch, params);
    engine.reset();
  }
  REQUIRE(result.rows() == 50);
  CHECK(result.outputs().size() == 5);
  CHECK(result.text("id", 49) == "50");
}

TEST_CASE("api: one engine, many threads: every thread gets the single-threaded result", "[api]") {
  const Invoices data = makeInvoices(2000);
  auto rules = loadDunning();
  api::Error error;
  auto engine = api::Engine::create(rules, api::EngineKind::Jit, &error);
  REQUIRE(engine);
  api::Batch batch(rules, data.id.size());
  fillBatch(batch, data);
  const api::Params params(rules);
  const std::string expected = asCsv(evaluate(*engine, batch, params));
  std::atomic<int> mismatches{0}, failures{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&] {
      for (int round = 0; round < 25; ++round) {
        api::Result result;
        if (!engine->evaluate(batch, params, &result, nullptr)) ++failures;
        else if (asCsv(result) != expected) ++mismatches;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(failures == 0);
  CHECK(mismatches == 0);
}

// Hot reload as docs/embedding.md describes it: requests read the current engine through an atomic
// shared_ptr; a new version is loaded beside it and swapped in; requests in flight finish on theirs.
TEST_CASE("api: hot reload under load: each request sees one whole version, new requests the new one", "[api]") {
  const std::string version_two_text = [] {
    std::string text = regelwerk::testing::readFile(kDunning);
    const std::string from = "if consumer then 5.00 EUR", to = "if consumer then 7.00 EUR";
    const size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  }();
  // One consumer at level 1, noticed long ago: the notice fee is the version's consumer fee.
  const std::vector<std::pair<std::string, std::string>> record = {
      {"id", "1"}, {"customer_type", "consumer"}, {"amount", "10000"}, {"paid", "0"}, {"due_date", "2026-01-01"},
      {"last_notice_date", "2026-02-01"}, {"dunning_level", "1"}, {"disputed", "false"}};
  struct Version {
    std::shared_ptr<const api::Engine> engine;
    std::string fee;
  };
  auto load = [](std::shared_ptr<const api::Rules> rules, const std::string& fee) {
    api::Error error;
    auto version = std::make_shared<const Version>(Version{api::Engine::create(rules, api::EngineKind::Jit, &error), fee});
    REQUIRE(version->engine);
    return version;
  };
  std::shared_ptr<const Version> current = load(loadDunning(), "500");
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0}, served{0}, served_new{0};
  std::vector<std::thread> requests;
  for (int thread = 0; thread < 3; ++thread) {
    requests.emplace_back([&] {
      while (!stop) {
        std::shared_ptr<const Version> version = std::atomic_load(&current);
        api::Result result;
        const api::Params params(version->engine->rules());
        if (!version->engine->evaluateOne(record, params, &result, nullptr) || result.text("fee", 0) != version->fee) ++wrong;
        ++served;
        if (version->fee == "700") ++served_new;
      }
    });
  }
  while (served < 200) std::this_thread::yield();
  api::Error error;
  auto rules_two = api::Rules::fromText("dunning-v2.rules", version_two_text, &error);
  INFO(error.message);
  REQUIRE(rules_two);
  std::atomic_store(&current, load(rules_two, "700"));
  while (served_new < 200) std::this_thread::yield();
  stop = true;
  for (std::thread& thread : requests) thread.join();
  CHECK(wrong == 0);
}

TEST_CASE("api: a Result evaluated into again is reused or renewed, and always holds the last evaluation", "[api]") {
  const Invoices data = makeInvoices(300);
  auto rules = loadDunning();
  api::Error error;
  auto engine = api::Engine::create(rules, api::EngineKind::Jit, &error);
  REQUIRE(engine);
  api::Batch all(rules, 300);
  fillBatch(all, data);
  const std::string expected = asCsv(evaluate(*engine, all, api::Params(rules)));
  api::Result reused;
  REQUIRE(engine->evaluate(all, api::Params(rules), &reused, &error));
  const int64_t* first_storage = reused.int64("interest", &error);
  const Invoices few = makeInvoices(10);  // fewer rows: the same memory
  api::Batch small(rules, 10);
  fillBatch(small, few);
  REQUIRE(engine->evaluate(small, api::Params(rules), &reused, &error));
  CHECK(reused.rows() == 10);
  CHECK(reused.int64("interest", &error) == first_storage);
  CHECK(asCsv(reused) == asCsv(evaluate(*engine, small, api::Params(rules))));
  REQUIRE(engine->evaluate(all, api::Params(rules), &reused, &error));
  CHECK(asCsv(reused) == expected);
  // Another rule set's evaluation into the same Result renews it.
  auto other = api::Rules::fromText("other.rules", "ruleset other\ninput R\n  n: int\noutput m: int = n + 1\n", &error);
  REQUIRE(other);
  auto other_engine = api::Engine::create(other, api::EngineKind::Interpreter, &error);
  api::Batch numbers(other, 2);
  const int64_t values[2] = {1, 2};
  REQUIRE(numbers.setInt64("n", values, 2, nullptr, &error));
  REQUIRE(other_engine->evaluate(numbers, api::Params(other), &reused, &error));
  CHECK(reused.outputs().size() == 1);
  CHECK(reused.text("m", 1) == "3");
  api::Result moved = std::move(reused);
  CHECK(moved.rows() == 2);
  CHECK(reused.rows() == 0);  // NOLINT: a moved-from Result is empty, not broken
}
