// Grouped differential runs (grouped_run.hpp): every output record goes to its own file
// (RunOptions::named_outputs, or the plain output_path when the rule set writes one record), and each
// file is compared byte for byte.
#include "grouped_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

namespace regelwerk::difftest {

namespace {

namespace fs = std::filesystem;

constexpr size_t kSpill = size_t{1} << 20;
constexpr size_t kNoSpill = size_t{256} << 20;

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeText(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

struct Outcome {
  std::vector<std::pair<std::string, std::string>> outputs;  // record -> file text
  std::string rejects;
  RunSummary summary;
};

// One run; a rule set with one record writes it through output_path (`--output FILE`), with several
// through named_outputs (`--output Item=FILE` each).
Outcome runVariant(const RuleSet& rules, const Engine& engine, const GroupCase& generated, const GroupVariant& variant,
                   const fs::path& scratch) {
  RunOptions options;
  for (const auto& [name, text] : variant.shuffled ? generated.shuffled : generated.inputs) {
    fs::path path = scratch / (name + (variant.shuffled ? "_shuffled.csv" : ".csv"));
    writeText(path, text);
    options.named_inputs.emplace_back(name, path.string());
  }
  std::vector<fs::path> output_paths;
  for (const std::string& record : generated.records) output_paths.push_back(scratch / ("out_" + record + ".csv"));
  if (output_paths.size() == 1) options.output_path = output_paths[0].string();
  for (size_t index = 0; index < output_paths.size() && output_paths.size() > 1; ++index) {
    options.named_outputs.emplace_back(generated.records[index], output_paths[index].string());
  }
  options.rejects_path = (scratch / "rejects.csv").string();
  options.threads = variant.threads;
  options.memory_limit = variant.memory_limit;
  Outcome outcome;
  outcome.summary = run(rules, engine, options);
  for (size_t index = 0; index < output_paths.size(); ++index) {
    outcome.outputs.emplace_back(generated.records[index], readText(output_paths[index]));
    fs::remove(output_paths[index]);
  }
  outcome.rejects = readText(options.rejects_path);
  fs::remove(options.rejects_path);
  return outcome;
}

// The rejected records themselves (the last column; the generator's records are quoted, having commas).
std::multiset<std::string> rejectedRecords(const std::string& text) {
  std::multiset<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.insert(line.substr(line.rfind(",\"") + 1));
  return out;
}

std::string counts(const RunSummary& summary) {
  std::string text = fmt::format("exit {} in {} out {} rejected {}", summary.exit_code, summary.rows_in,
                                 summary.rows_out, summary.rows_rejected);
  for (const InputCount& input : summary.inputs) {
    text += fmt::format("; {} {}={}+{}", input.name, input.rows_in, input.rows_out, input.rows_rejected);
  }
  return summary.error.empty() ? text : text + "; " + summary.error;
}

std::string clipped(const std::string& text) { return text.size() <= 6000 ? text : text.substr(0, 6000) + "...\n"; }

std::string difference(const std::string& what, const std::string& reference, const std::string& other,
                       const std::string& variant) {
  return fmt::format("{}: {} differs\n--- interp/1t/256M (reference)\n{}\n--- {}\n{}\n", variant, what, clipped(reference),
                     variant, clipped(other));
}

// What differs between `outcome` of `variant` and the reference; empty when nothing does.
std::string compareOutcome(const Outcome& reference, const Outcome& outcome, const GroupVariant& variant) {
  std::string name = groupVariantName(variant);
  if (counts(outcome.summary) != counts(reference.summary)) {
    return difference("the counts", counts(reference.summary), counts(outcome.summary), name);
  }
  for (size_t index = 0; index < reference.outputs.size(); ++index) {
    const auto& [record, text] = reference.outputs[index];
    if (outcome.outputs[index].second != text) {
      return difference("output record " + record, text, outcome.outputs[index].second, name);
    }
  }
  bool same_rejects = variant.shuffled ? rejectedRecords(outcome.rejects) == rejectedRecords(reference.rejects)
                                       : outcome.rejects == reference.rejects;
  return same_rejects ? "" : difference("the rejects", reference.rejects, outcome.rejects, name);
}

bool ordered(const GroupCase& generated) {
  return std::find(generated.constructs.begin(), generated.constructs.end(), "order-by") != generated.constructs.end();
}

}  // namespace

std::string groupVariantName(const GroupVariant& variant) {
  return fmt::format("{}/{}t/{}{}", variant.engine == EngineKind::Jit ? "jit" : "interp", variant.threads,
                     variant.memory_limit == kSpill ? "1M" : "256M", variant.shuffled ? "/shuffled" : "");
}

std::vector<GroupVariant> groupVariants() {
  return {{EngineKind::Interp, 1, kNoSpill, false},
          {EngineKind::Jit, 2, kNoSpill, false},
          {EngineKind::Jit, 1, kSpill, true},
          {EngineKind::Interp, 2, kSpill, true}};
}

GroupVerdict compareGroupCase(const GroupCase& generated, const fs::path& scratch) {
  fs::create_directories(scratch);
  GroupVerdict verdict;
  Diagnostics diagnostics;
  auto rules = RuleSet::fromText((scratch / "grouped.rules").string(), generated.rules, &diagnostics);
  if (!rules) return verdict.checks = false, verdict.detail = diagnostics.text, verdict;
  std::unique_ptr<Engine> engines[2];  // by EngineKind: one compilation each
  for (EngineKind kind : {EngineKind::Jit, EngineKind::Interp}) {
    std::string error;
    engines[static_cast<int>(kind)] = Engine::create(*rules, kind, &error);
    if (!engines[static_cast<int>(kind)]) return verdict.agree = false, verdict.detail = "no engine: " + error, verdict;
  }
  std::vector<GroupVariant> variants = groupVariants();
  Outcome reference = runVariant(*rules, *engines[static_cast<int>(variants[0].engine)], generated, variants[0], scratch);
  verdict.rows_in = reference.summary.rows_in;
  verdict.rows_rejected = reference.summary.rows_rejected;
  const RunSummary& summary = reference.summary;
  if (summary.exit_code != 0 || summary.rows_in != summary.rows_out + summary.rows_rejected) {
    verdict.agree = false;
    verdict.detail = "the reference run: " + counts(summary) + "\n";
    return verdict;
  }
  for (size_t index = 1; index < variants.size() && verdict.agree; ++index) {
    if (variants[index].shuffled && !ordered(generated)) continue;
    Outcome outcome = runVariant(*rules, *engines[static_cast<int>(variants[index].engine)], generated, variants[index], scratch);
    verdict.detail = compareOutcome(reference, outcome, variants[index]);
    verdict.agree = verdict.detail.empty();
  }
  return verdict;
}

void saveGroupCase(const GroupCase& generated, const fs::path& folder) {
  fs::create_directories(folder);
  writeText(folder / "grouped.rules", generated.rules);
  std::string command = "regelwerk run grouped.rules";
  for (const auto& [name, text] : generated.inputs) {
    writeText(folder / (name + ".csv"), text);
    command += fmt::format(" --input {}={}.csv", name, name);
  }
  for (const auto& [name, text] : generated.shuffled) writeText(folder / (name + "_shuffled.csv"), text);
  std::string records, constructs;
  for (const std::string& record : generated.records) {
    command += fmt::format(" --output {}=out_{}.csv", record, record);
    records += record + "\n";
  }
  for (const std::string& construct : generated.constructs) constructs += construct + "\n";
  writeText(folder / "records", records);
  writeText(folder / "constructs", constructs);
  writeText(folder / "run.sh", command + " --rejects rejects.csv\n");
}

GroupCase loadGroupCase(const fs::path& folder) {
  GroupCase out;
  out.rules = readText(folder / "grouped.rules");
  auto lines = [&](const char* name, std::vector<std::string>* into) {
    std::istringstream in(readText(folder / name));
    for (std::string line; std::getline(in, line);) into->push_back(line);
  };
  lines("records", &out.records);
  lines("constructs", &out.constructs);
  for (const char* input : {"Item", "Parent", "Note", "Rate"}) {
    if (!fs::exists(folder / (std::string(input) + ".csv"))) continue;
    out.inputs.emplace_back(input, readText(folder / (std::string(input) + ".csv")));
    out.shuffled.emplace_back(input, readText(folder / (std::string(input) + "_shuffled.csv")));
  }
  return out;
}

}  // namespace regelwerk::difftest
