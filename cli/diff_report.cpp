// Renders a DiffSummary as the report an analyst reads: counts that add up, then the detail.
#include "diff_report.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace regelwerk::cli {

namespace {

// Width in code points (`→` is one column, three bytes), for aligning columns.
size_t width(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string padRight(const std::string& text, size_t columns) {
  return text + std::string(columns > width(text) ? columns - width(text) : 0, ' ');
}

std::string padLeft(const std::string& text, size_t columns) {
  return std::string(columns > width(text) ? columns - width(text) : 0, ' ') + text;
}

std::string records(int64_t count) {
  return groupDigits(count) + (count == 1 ? " record" : " records");
}

std::string countLine(const DiffSummary& summary) {
  return fmt::format(
      "records {} = unchanged {} + changed {} + accepted → rejected {} + rejected → accepted {} + rejected by both "
      "{}\n",
      groupDigits(summary.rows_in), groupDigits(summary.unchanged), groupDigits(summary.changed),
      groupDigits(summary.accepted_rejected), groupDigits(summary.rejected_accepted),
      groupDigits(summary.rejected_both));
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::string schemaSection(const DiffSummary& summary, const std::string& old_path, const std::string& new_path) {
  std::string text;
  if (!summary.only_old.empty()) text += fmt::format("outputs only in {}: {}\n", old_path, joined(summary.only_old));
  if (!summary.only_new.empty()) text += fmt::format("outputs only in {}: {}\n", new_path, joined(summary.only_new));
  return text;
}

// Example:
//   action      1,234 records
//     none → reminder   1,000 records
std::string outputSection(const DiffSummary& summary) {
  size_t name_width = 0, count_width = 0;
  std::vector<std::string> unchanged;
  for (const OutputChange& change : summary.outputs) {
    if (change.records == 0 && change.type_change.empty()) continue;
    name_width = std::max(name_width, width(change.output));
    count_width = std::max(count_width, width(records(change.records)));
  }
  std::string text;
  for (const OutputChange& change : summary.outputs) {
    if (change.records == 0 && change.type_change.empty()) {
      unchanged.push_back(change.output);
      continue;
    }
    std::string note = change.type_change.empty() ? "" : "  (" + change.type_change + ", compared as written)";
    text += fmt::format("  {}  {}{}\n", padRight(change.output, name_width),
                        padLeft(records(change.records), count_width), note);
    size_t pair_width = 0, step_width = 0;
    for (const ValueTransition& step : change.transitions) {
      pair_width = std::max(pair_width, width(step.from + " → " + step.to));
      step_width = std::max(step_width, width(records(step.records)));
    }
    if (change.too_many_pairs) text += fmt::format("    (more than {} different value pairs)\n", kMaxValuePairs);
    for (const ValueTransition& step : change.transitions) {
      text += fmt::format("    {}  {}\n", padRight(step.from + " → " + step.to, pair_width),
                          padLeft(records(step.records), step_width));
    }
  }
  std::string head = text.empty() ? "no output changes in the records both versions accept\n"
                                  : "changes per output (records both versions accept):\n";
  if (!unchanged.empty()) text += "unchanged outputs: " + joined(unchanged) + "\n";
  return head + text;
}

// Example:
//   output        old total      new total     difference
//   fee             1234.00        1300.00         +66.00
std::string moneySection(const DiffSummary& summary, const std::string& old_path, const std::string& new_path) {
  if (summary.money.empty()) return "";
  std::vector<std::vector<std::string>> rows{{"output", "old total", "new total", "difference"}};
  for (const MoneyChange& money : summary.money) {
    std::string note = money.old_total.empty()   ? "only in " + new_path
                       : money.new_total.empty() ? "only in " + old_path
                                                 : "";
    rows.push_back(
        {money.output, money.old_total, money.new_total, money.difference.empty() ? note : money.difference});
  }
  std::vector<size_t> widths(4);
  for (const auto& row : rows) {
    for (size_t cell = 0; cell < 4; ++cell) widths[cell] = std::max(widths[cell], width(row[cell]));
  }
  std::string text = "money sums (over the records each version accepts):\n";
  for (const auto& row : rows) {
    text += "  " + padRight(row[0], widths[0]);
    for (size_t cell = 1; cell < 4; ++cell) text += "  " + padLeft(row[cell], widths[cell]);
    text += "\n";
  }
  return text;
}

std::string rejectSection(const DiffSummary& summary) {
  if (summary.rejects.empty()) return "";
  size_t count_width = 0;
  for (const RejectChange& reject : summary.rejects)
    count_width = std::max(count_width, width(records(reject.records)));
  std::string text = "rejections that differ:\n";
  for (const RejectChange& reject : summary.rejects) {
    text += fmt::format("  {}  {}: {}\n", reject.now_rejected ? "accepted → rejected" : "rejected → accepted",
                        padLeft(records(reject.records), count_width), reject.reason);
  }
  return text;
}

// "old: " before the first line of an outcome, aligned spaces before the others.
std::string indented(const std::string& label, const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += "  " + (start == 0 ? label : std::string(label.size(), ' ')) + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

std::string sampleSection(const DiffSummary& summary, const std::string& input_path) {
  if (summary.samples.empty()) return "";
  std::string text = fmt::format("first {} changed record{} ({} line: the record):\n", summary.samples.size(),
                                 summary.samples.size() == 1 ? "" : "s", input_path);
  for (const ChangedRecord& record : summary.samples) {
    text += fmt::format("line {}: {}\n", record.line, record.record);
    for (const std::string& change : record.changes) text += "  " + change + "\n";
    text += indented("old: ", record.old_explanation);
    text += indented("new: ", record.new_explanation);
  }
  return text;
}

}  // namespace

std::string groupDigits(int64_t count) {
  std::string digits = std::to_string(count < 0 ? -count : count);
  for (size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return (count < 0 ? "-" : "") + digits;
}

std::string renderDiffReport(const DiffSummary& summary, const std::string& old_path, const std::string& new_path,
                             const std::string& input_path) {
  std::string text = fmt::format("regelwerk diff {} {} --input {}\n", old_path, new_path, input_path);
  text += countLine(summary);
  std::vector<std::string> sections{schemaSection(summary, old_path, new_path), outputSection(summary),
                                    moneySection(summary, old_path, new_path), rejectSection(summary),
                                    sampleSection(summary, input_path)};
  for (const std::string& section : sections) {
    if (!section.empty()) text += "\n" + section;
  }
  return text;
}

}  // namespace regelwerk::cli
