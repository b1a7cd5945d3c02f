// The embedding APIs measured as an integrator uses them (bench/README.md, "APIs"): the dunning workload in
// memory through the C++ API (<regelwerk/regelwerk.hpp>) and the C API (<regelwerk/regelwerk.h>) in ns per
// record, against the hand-written loop over the same columns in the same run; a one-record call's latency
// (p50, p99) for a service; and one engine on two threads. Links only libregelwerk.so and the baseline.
//   bench_api [--rows N] [--repeats R] [--calls C]      (default 1,000,000 rows, 7 repeats, 100,000 calls)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.hpp"
#include "bench/dunning_handwritten.hpp"
#include "regelwerk/regelwerk.h"
#include "regelwerk/regelwerk.hpp"

namespace api = regelwerk::api;
using regelwerk::dunning::Invoice;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The invoices of gen_dunning (seed 42) as the columns both APIs and the baseline read.
struct Columns {
  std::vector<int64_t> id, customer_type, amount, paid, due, notice, level;
  std::vector<uint8_t> notice_valid, disputed;
  size_t rows() const { return id.size(); }
};

Columns columnsOf(const std::vector<Invoice>& invoices) {
  Columns columns;
  for (const Invoice& invoice : invoices) {
    columns.id.push_back(invoice.id);
    columns.customer_type.push_back(invoice.business ? 1 : 0);  // enum(consumer, business)
    columns.amount.push_back(invoice.amount_cents);
    columns.paid.push_back(invoice.paid_cents);
    columns.due.push_back(invoice.due_date);
    columns.notice.push_back(invoice.last_notice_date);
    columns.notice_valid.push_back(invoice.has_last_notice ? 1 : 0);
    columns.level.push_back(invoice.dunning_level);
    columns.disputed.push_back(invoice.disputed ? 1 : 0);
  }
  return columns;
}

void require(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "bench_api: %s\n", what.c_str());
  std::exit(1);
}

// Views of `columns` rows [from, from + rows) in a C++ batch.
void fill(api::Batch& batch, const Columns& c, size_t from, size_t rows) {
  api::Error error;
  bool ok = batch.setInt64("id", c.id.data() + from, rows, nullptr, &error) &&
            batch.setInt64("customer_type", c.customer_type.data() + from, rows, nullptr, &error) &&
            batch.setInt64("amount", c.amount.data() + from, rows, nullptr, &error) &&
            batch.setInt64("paid", c.paid.data() + from, rows, nullptr, &error) &&
            batch.setInt64("due_date", c.due.data() + from, rows, nullptr, &error) &&
            batch.setInt64("last_notice_date", c.notice.data() + from, rows, c.notice_valid.data() + from, &error) &&
            batch.setInt64("dunning_level", c.level.data() + from, rows, nullptr, &error) &&
            batch.setBool("disputed", c.disputed.data() + from, rows, nullptr, &error);
  require(ok, error.message);
}

template <typename Run>
double medianNsPerRecord(int repeats, size_t rows, Run run) {
  std::vector<double> ns;
  for (int repeat = 0; repeat < repeats; ++repeat) {
    const Clock::time_point start = Clock::now();
    run();
    ns.push_back(secondsSince(start) * 1e9 / static_cast<double>(rows));
  }
  return regelwerk::bench::median(ns);
}

double cppNs(const api::Engine& engine, const std::shared_ptr<const api::Rules>& rules, const Columns& c, int repeats,
             int64_t* checksum) {
  api::Params params(rules);
  api::Result result;  // reused, as a pipeline evaluating batch after batch does
  return medianNsPerRecord(repeats, c.rows(), [&] {
    api::Batch batch(rules, c.rows());  // checking the columns on entry is part of the cost
    fill(batch, c, 0, c.rows());
    api::Error error;
    require(engine.evaluate(batch, params, &result, &error), error.message);
    *checksum = result.int64("interest", &error)[c.rows() - 1] + result.int64("fee", &error)[0];
  });
}

double cNs(rw_rules* rules, rw_engine* engine, const Columns& c, int repeats) {
  rw_result* result = nullptr;  // reused, as with the C++ API
  const double ns = medianNsPerRecord(repeats, c.rows(), [&] {
    rw_batch* batch = rw_batch_new(rules, c.rows());
    const size_t n = c.rows();
    bool ok = rw_batch_set_int64(batch, "id", c.id.data(), n, nullptr, nullptr) == RW_OK &&
              rw_batch_set_int64(batch, "customer_type", c.customer_type.data(), n, nullptr, nullptr) == RW_OK &&
              rw_batch_set_int64(batch, "amount", c.amount.data(), n, nullptr, nullptr) == RW_OK &&
              rw_batch_set_int64(batch, "paid", c.paid.data(), n, nullptr, nullptr) == RW_OK &&
              rw_batch_set_int64(batch, "due_date", c.due.data(), n, nullptr, nullptr) == RW_OK &&
              rw_batch_set_int64(batch, "last_notice_date", c.notice.data(), n, c.notice_valid.data(), nullptr) == RW_OK &&
              rw_batch_set_int64(batch, "dunning_level", c.level.data(), n, nullptr, nullptr) == RW_OK &&
              rw_batch_set_bool(batch, "disputed", c.disputed.data(), n, nullptr, nullptr) == RW_OK;
    ok = ok && rw_engine_evaluate(engine, batch, nullptr, &result, nullptr) == RW_OK;
    require(ok, "the C API failed");
    rw_batch_free(batch);
  });
  rw_result_free(result);
  return ns;
}

double handwrittenNs(const Columns& c, int repeats) {
  std::vector<int64_t> id(c.rows()), action(c.rows()), level(c.rows()), fee(c.rows()), interest(c.rows());
  const regelwerk::dunning::InvoiceColumns in{c.id.data(),    c.customer_type.data(), c.amount.data(),
                                               c.paid.data(),  c.due.data(),           c.notice.data(),
                                               c.notice_valid.data(), c.level.data(),  c.disputed.data()};
  const regelwerk::dunning::DecisionColumns out{id.data(), action.data(), level.data(), fee.data(), interest.data()};
  return medianNsPerRecord(repeats, c.rows(), [&] { evaluateColumns(in, out, static_cast<int64_t>(c.rows())); });
}

struct Latency {
  double p50_us = 0, p99_us = 0;
};

template <typename Call>
Latency latencyOf(int calls, Call call) {
  std::vector<double> micros;
  micros.reserve(static_cast<size_t>(calls));
  for (int index = 0; index < calls; ++index) {
    const Clock::time_point start = Clock::now();
    call(index);
    micros.push_back(secondsSince(start) * 1e6);
  }
  std::sort(micros.begin(), micros.end());
  return Latency{micros[micros.size() / 2], micros[micros.size() * 99 / 100]};
}

// evaluate() on `threads` threads at once, each over its share of the rows: records per second.
double threadedRecordsPerSecond(const api::Engine& engine, const std::shared_ptr<const api::Rules>& rules,
                                const Columns& c, int threads, int repeats) {
  std::vector<api::Result> results(static_cast<size_t>(threads));  // one per thread, reused
  const double ns = medianNsPerRecord(repeats, c.rows(), [&] {
    std::vector<std::thread> workers;
    const size_t share = c.rows() / static_cast<size_t>(threads);
    for (int thread = 0; thread < threads; ++thread) {
      workers.emplace_back([&, thread] {
        const size_t from = share * static_cast<size_t>(thread);
        const size_t rows = thread + 1 == threads ? c.rows() - from : share;
        api::Batch batch(rules, rows);
        fill(batch, c, from, rows);
        api::Error error;
        require(engine.evaluate(batch, api::Params(rules), &results[static_cast<size_t>(thread)], &error), error.message);
      });
    }
    for (std::thread& worker : workers) worker.join();
  });
  return 1e9 / ns;
}

long option(int argc, char** argv, const char* name, long fallback) {
  for (int index = 1; index + 1 < argc; ++index) {
    if (std::string(argv[index]) == name) return std::atol(argv[index + 1]);
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  regelwerk::bench::requireKnownOptions(argc, argv, {"--rows", "--repeats", "--calls"},
                                        "usage: bench_api [--rows N=1000000] [--repeats R=7] [--calls N=100000]\n");
  const long rows = option(argc, argv, "--rows", 1000000);
  const int repeats = static_cast<int>(option(argc, argv, "--repeats", 7));
  const int calls = static_cast<int>(option(argc, argv, "--calls", 100000));
  const std::string input = std::string(RW_BINARY_DIR) + "/bench/bench_api_invoices.csv";
  require(regelwerk::bench::runProcess({RW_GEN_DUNNING, std::to_string(rows), "42"}, {input, ""}).status == 0,
          "gen_dunning failed");
  std::vector<Invoice> invoices;
  std::string error_text;
  require(regelwerk::dunning::readInvoices(input, &invoices, &error_text), error_text);
  std::remove(input.c_str());
  const Columns columns = columnsOf(invoices);

  api::Error error;
  auto rules = api::Rules::load(RW_SOURCE_DIR "/examples/dunning/dunning.rules", &error);
  require(rules != nullptr, error.message);
  auto engine = api::Engine::create(rules, api::EngineKind::Jit, &error);
  require(engine != nullptr, error.message);
  rw_rules* c_rules = nullptr;
  rw_engine* c_engine = nullptr;
  require(rw_rules_load(RW_SOURCE_DIR "/examples/dunning/dunning.rules", &c_rules, nullptr) == RW_OK &&
              rw_engine_create(c_rules, RW_JIT, &c_engine, nullptr) == RW_OK,
          "the C API could not load the rules");

  int64_t checksum = 0;
  const double handwritten = handwrittenNs(columns, repeats);
  const double cpp = cppNs(*engine, rules, columns, repeats, &checksum);
  const double c = cNs(c_rules, c_engine, columns, repeats);
  const double one_thread = threadedRecordsPerSecond(*engine, rules, columns, 1, repeats);
  const double two_threads = threadedRecordsPerSecond(*engine, rules, columns, 2, repeats);

  const Columns& col = columns;
  const Latency text_call = latencyOf(calls, [&](int index) {
    const size_t row = static_cast<size_t>(index) % col.rows();
    api::Result result;
    require(engine->evaluateOne({{"id", std::to_string(col.id[row])},
                                 {"customer_type", col.customer_type[row] ? "business" : "consumer"},
                                 {"amount", std::to_string(col.amount[row])},
                                 {"paid", std::to_string(col.paid[row])},
                                 {"due_date", "2026-09-01"},
                                 {"last_notice_date", ""},
                                 {"dunning_level", std::to_string(col.level[row])},
                                 {"disputed", col.disputed[row] ? "true" : "false"}},
                                api::Params(rules), &result, &error),
            error.message);
  });
  const Latency batch_call = latencyOf(calls, [&](int index) {
    const size_t row = static_cast<size_t>(index) % col.rows();
    api::Batch batch(rules, 1);
    fill(batch, col, row, 1);
    api::Result result;
    require(engine->evaluate(batch, api::Params(rules), &result, &error), error.message);
  });
  rw_engine_free(c_engine);
  rw_rules_free(c_rules);

  std::printf("CPU: %s; %ld rows (gen_dunning seed 42), %d repeats (medians), %d calls; checksum %lld\n\n",
              regelwerk::bench::cpuModel().c_str(), rows, repeats, calls, static_cast<long long>(checksum));
  std::printf("| in memory, JIT, 1 thread | ns/record | vs hand-written loop |\n|---|--:|--:|\n");
  std::printf("| hand-written loop over the same columns (baseline) | %.1f | 1.00x |\n", handwritten);
  std::printf("| C++ API: Batch (8 columns handed over, checked) + evaluate | %.1f | %.2fx |\n", cpp, cpp / handwritten);
  std::printf("| C API: rw_batch_set_* + rw_engine_evaluate | %.1f | %.2fx |\n\n", c, c / handwritten);
  std::printf("| one engine, evaluate() on N threads at once | records/s |\n|---|--:|\n");
  std::printf("| 1 thread | %.0f |\n| 2 threads | %.0f (%.2fx) |\n\n", one_thread, two_threads, two_threads / one_thread);
  std::printf("| one record per call (a service), 1 thread | p50 µs | p99 µs |\n|---|--:|--:|\n");
  std::printf("| evaluateOne (8 text cells, parsed) | %.2f | %.2f |\n", text_call.p50_us, text_call.p99_us);
  std::printf("| Batch of 1 row (8 setInt64 views) + evaluate | %.2f | %.2f |\n", batch_call.p50_us, batch_call.p99_us);
  return 0;
}
