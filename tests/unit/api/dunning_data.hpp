// Invoices for examples/dunning/dunning.rules, made deterministically, in two forms: the physical columns
// the API takes and the CSV file the command reads, so that the two paths can be compared row for row.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "runtime/columnar/civil_date.hpp"  // daysFromCivil: constexpr, header only

namespace regelwerk::testing::api {

// A date of 2026 as the API takes it (days since 1970-01-01) and as the CSV writes it.
struct Day {
  int64_t days;
  std::string text;
};

inline Day dayOf2026(int month, int day) {
  char text[32];
  std::snprintf(text, sizeof text, "2026-%02d-%02d", month, day);
  return Day{regelwerk::daysFromCivil(2026, month, day), text};
}

struct Invoices {
  std::vector<int64_t> id, customer_type, amount, paid, due_date, last_notice_date, dunning_level;
  std::vector<uint8_t> last_notice_valid, disputed;
  std::string csv;  // the same records with the header the rule file reads
};

// `rows` invoices spread over every rule of the dunning example (settled, closed, each level, disputes).
inline Invoices makeInvoices(size_t rows) {
  Invoices data;
  data.csv = "id,customer_type,amount_cents,paid_cents,due_date,last_notice_date,dunning_level,disputed\n";
  uint64_t state = 20261205;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  for (size_t row = 0; row < rows; ++row) {
    const int64_t amount = 500 + static_cast<int64_t>(next(200000));
    const int64_t paid = next(5) == 0 ? amount : static_cast<int64_t>(next(static_cast<uint64_t>(amount)));
    const Day due = dayOf2026(7 + static_cast<int>(next(4)), 1 + static_cast<int>(next(28)));
    const bool noticed = next(3) != 0;
    const Day notice = dayOf2026(8 + static_cast<int>(next(3)), 1 + static_cast<int>(next(28)));
    data.id.push_back(static_cast<int64_t>(row) + 1);
    data.customer_type.push_back(static_cast<int64_t>(next(2)));
    data.amount.push_back(amount);
    data.paid.push_back(paid);
    data.due_date.push_back(due.days);
    data.last_notice_date.push_back(noticed ? notice.days : 0);
    data.last_notice_valid.push_back(noticed ? 1 : 0);
    data.dunning_level.push_back(static_cast<int64_t>(next(5)));
    data.disputed.push_back(next(10) == 0 ? 1 : 0);
    data.csv += std::to_string(row + 1) + "," + (data.customer_type.back() ? "business" : "consumer") + "," +
                std::to_string(amount) + "," + std::to_string(paid) + "," + due.text + "," +
                (noticed ? notice.text : "") + "," + std::to_string(data.dunning_level.back()) + "," +
                (data.disputed.back() ? "true" : "false") + "\n";
  }
  return data;
}

}  // namespace regelwerk::testing::api
