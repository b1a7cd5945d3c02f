// Invoices for examples/dunning/dunning.rules, made deterministically, in two forms: the physical columns
// the API takes and the CSV file the command reads, so that the two paths can be compared row for row.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace regelwerk::testing::api {

// "2025-03-08" for days since 1970-01-01 (Hinnant's civil_from_days), for the CSV form.
inline std::string isoDate(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char text[48];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day));
  return text;
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
  const int64_t as_of = 20778;  // 2026-11-21, the rule file's default
  for (size_t row = 0; row < rows; ++row) {
    const int64_t amount = 500 + static_cast<int64_t>(next(200000));
    const int64_t paid = next(5) == 0 ? amount : static_cast<int64_t>(next(static_cast<uint64_t>(amount)));
    const int64_t due = as_of - static_cast<int64_t>(next(120));
    const bool noticed = next(3) != 0;
    const int64_t notice = due + static_cast<int64_t>(next(60));
    data.id.push_back(static_cast<int64_t>(row) + 1);
    data.customer_type.push_back(static_cast<int64_t>(next(2)));
    data.amount.push_back(amount);
    data.paid.push_back(paid);
    data.due_date.push_back(due);
    data.last_notice_date.push_back(noticed ? notice : 0);
    data.last_notice_valid.push_back(noticed ? 1 : 0);
    data.dunning_level.push_back(static_cast<int64_t>(next(5)));
    data.disputed.push_back(next(10) == 0 ? 1 : 0);
    data.csv += std::to_string(row + 1) + "," + (data.customer_type.back() ? "business" : "consumer") + "," +
                std::to_string(amount) + "," + std::to_string(paid) + "," + isoDate(due) + "," +
                (noticed ? isoDate(notice) : "") + "," + std::to_string(data.dunning_level.back()) + "," +
                (data.disputed.back() ? "true" : "false") + "\n";
  }
  return data;
}

}  // namespace regelwerk::testing::api
