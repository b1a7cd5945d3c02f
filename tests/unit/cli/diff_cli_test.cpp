// `regelwerk diff OLD NEW --input IN.csv` as a user runs it: small rule-set pairs whose reports were
// worked out by hand (counts per outcome, value pairs, exact money sums, differing rejections, outputs
// only one version has), exit codes 0 / 1 / 2, and the same report on every engine and thread count.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using regelwerk::testing::CommandResult;
using regelwerk::testing::readFile;
using regelwerk::testing::regelwerkCommand;
using regelwerk::testing::runIn;
using regelwerk::testing::scratchFolder;
using regelwerk::testing::writeFile;

// The old version: a fee of 5.00 from an amount of 100.00.
const char* const kOld = R"(ruleset fees
input Invoice
  id: int
  kind: enum(consumer, business)
  amount: money
output id: int = id
output action: enum(none, remind) = none
output fee: money = 0.00 EUR
decide first
  rule big "large amount" when amount >= 100.00 EUR then action = remind, fee = 5.00 EUR
end
)";

// The new version: from 50.00, and 10.00 for a business.
const char* const kNew = R"(ruleset fees
input Invoice
  id: int
  kind: enum(consumer, business)
  amount: money
output id: int = id
output action: enum(none, remind) = none
output fee: money = 0.00 EUR
decide first
  rule big "large amount" when amount >= 50.00 EUR
    then action = remind, fee = if kind == business then 10.00 EUR else 5.00 EUR
end
)";

// Line 2: unchanged (none both); 3: none → remind, fee 0.00 → 5.00; 4: fee 5.00 → 10.00; 5: unchanged
// (remind, 5.00 both); 6: none → remind, fee 0.00 → 10.00.
const char* const kInput =
    "id,kind,amount\n1,consumer,20.00\n2,consumer,60.00\n3,business,150.00\n4,consumer,120.00\n5,business,70.00\n";

fs::path setUp(const std::string& name) {
  fs::path folder = scratchFolder("diff-cli", name);
  writeFile(folder / "old.rules", kOld);
  writeFile(folder / "new.rules", kNew);
  writeFile(folder / "in.csv", kInput);
  fs::remove(folder / "report.txt");
  return folder;
}

CommandResult diff(const fs::path& folder, const std::string& args) {
  return runIn(folder, regelwerkCommand() + " diff " + args);
}

}  // namespace

TEST_CASE("diff: value pairs, changed records per output and exact money sums", "[cli][diff]") {
  fs::path folder = setUp("transitions");
  CommandResult result = diff(folder, "old.rules new.rules --input in.csv --limit 1");
  INFO(result.output);
  CHECK(result.exit_code == 1);
  // Fees: old 5.00 (line 4) + 5.00 (line 5) = 10.00; new 5.00 + 10.00 + 5.00 + 10.00 = 30.00.
  CHECK(result.output ==
        "regelwerk diff old.rules new.rules --input in.csv\n"
        "records 5 = unchanged 2 + changed 3 + accepted → rejected 0 + rejected → accepted 0 + rejected by both 0\n"
        "\n"
        "changes per output (records both versions accept):\n"
        "  action  2 records\n"
        "    none → remind  2 records\n"
        "  fee     3 records\n"
        "    0.00 → 5.00   1 record\n"
        "    0.00 → 10.00  1 record\n"
        "    5.00 → 10.00  1 record\n"
        "unchanged outputs: id\n"
        "\n"
        "money sums (over the records each version accepts):\n"
        "  output  old total  new total  difference\n"
        "  fee         10.00      30.00      +20.00\n"
        "\n"
        "first 1 changed record (in.csv line: the record):\n"
        "line 3: 2,consumer,60.00\n"
        "  action: none → remind\n"
        "  fee: 0.00 → 5.00\n"
        "  old: id = 2, action = none, fee = 0.00\n"
        "       decide first (line 9): big did not apply\n"
        "  new: id = 2, action = remind, fee = 5.00\n"
        "       decide first (line 9): big \"large amount\" won [amount = 60.00]\n");
}

TEST_CASE("diff: the same report on both engines, any thread count and batch size", "[cli][diff]") {
  fs::path folder = setUp("engines");
  CommandResult jit = diff(folder, "old.rules new.rules --input in.csv --threads 2 --batch-size 2");
  CommandResult interp = diff(folder, "old.rules new.rules --input in.csv --threads 1 --batch-size 1 --engine interp");
  CHECK(jit.exit_code == 1);
  CHECK(interp.exit_code == 1);
  CHECK(jit.output == interp.output);
  // The default shows every changed record (3 of the default 10), in input order.
  CHECK(jit.output.find("first 3 changed records") != std::string::npos);
  CHECK(jit.output.find("line 3:") < jit.output.find("line 4:"));
  CHECK(jit.output.find("line 4:") < jit.output.find("line 6:"));
}

TEST_CASE("diff: an output with more than 20 different value pairs lists none, on any thread count", "[cli][diff]") {
  fs::path folder = setUp("many_pairs");
  const char* const head = "ruleset levels\ninput Row\n  id: int\noutput id: int = id\noutput level: int = ";
  writeFile(folder / "old.rules", std::string(head) + "id * 2\n");
  // Ids 1..23 give 23 different pairs: 2 → 3, 4 → 6, …, 42 → 63, then 44 → 0 and 46 → 0.
  writeFile(folder / "new.rules", std::string(head) + "if id > 21 then 0 else id * 3\n");
  std::string input = "id\n";
  for (int id = 1; id <= 23; ++id) input += std::to_string(id) + "\n";
  writeFile(folder / "in.csv", input);
  std::string expected =
      "regelwerk diff old.rules new.rules --input in.csv\n"
      "records 23 = unchanged 0 + changed 23 + accepted → rejected 0 + rejected → accepted 0 + rejected by both 0\n"
      "\n"
      "changes per output (records both versions accept):\n"
      "  level  23 records\n"
      "    (more than 20 different value pairs)\n"
      "unchanged outputs: id\n";
  CommandResult one = diff(folder, "old.rules new.rules --input in.csv --limit 0 --threads 1");
  CHECK(one.output == expected);
  CommandResult spread = diff(folder, "old.rules new.rules --input in.csv --limit 0 --threads 2 --batch-size 1");
  CHECK(spread.output == expected);
  // Four records, four pairs: listed, most records first, then by the old value.
  writeFile(folder / "in.csv", "id\n1\n2\n22\n23\n");
  CommandResult few = diff(folder, "old.rules new.rules --input in.csv --limit 0");
  CHECK(few.output.find("  level  4 records\n"
                        "    2 → 3   1 record\n"
                        "    4 → 6   1 record\n"
                        "    44 → 0  1 record\n"
                        "    46 → 0  1 record\n") != std::string::npos);
}

TEST_CASE("diff: a version that rejects records the other accepts, and the counts add up", "[cli][diff]") {
  fs::path folder = setUp("rejects");
  // Old reads `premium` and rejects an amount of 0; new rejects an amount over 1000.00.
  std::string old_rules = kOld, new_rules = kNew;
  old_rules.replace(old_rules.find("enum(consumer, business)"), 24, "enum(consumer, business, premium)");
  old_rules.replace(old_rules.find("output id"), 0, "reject \"amount must be positive\" when amount <= 0.00 EUR\n");
  new_rules.replace(new_rules.find("output id"), 0, "reject \"too large\" when amount > 1000.00 EUR\n");
  writeFile(folder / "old.rules", old_rules);
  writeFile(folder / "new.rules", new_rules);
  // 2 unchanged; 3 accepted → rejected (kind); 4 accepted → rejected (too large); 5 rejected → accepted;
  // 6 rejected by both (amount); 7 fee 5.00 → 10.00. Old fees 5 + 5 + 5, new fees 0 + 0 + 10.
  writeFile(folder / "in.csv",
            "id,kind,amount\n1,consumer,20.00\n2,premium,150.00\n3,business,2000.00\n4,consumer,0.00\n"
            "5,consumer,abc\n6,business,120.00\n");
  CommandResult result = diff(folder, "old.rules new.rules --input in.csv --limit 0");
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK(result.output ==
        "regelwerk diff old.rules new.rules --input in.csv\n"
        "records 6 = unchanged 1 + changed 1 + accepted → rejected 2 + rejected → accepted 1 + rejected by both 1\n"
        "\n"
        "changes per output (records both versions accept):\n"
        "  fee  1 record\n"
        "    5.00 → 10.00  1 record\n"
        "unchanged outputs: id, action\n"
        "\n"
        "money sums (over the records each version accepts):\n"
        "  output  old total  new total  difference\n"
        "  fee         15.00      10.00       -5.00\n"
        "\n"
        "rejections that differ:\n"
        "  accepted → rejected  1 record: field `kind` cannot be read\n"
        "  accepted → rejected  1 record: new.rules:6:1 (reject): too large\n"
        "  rejected → accepted  1 record: old.rules:6:1 (reject): amount must be positive\n");
  CommandResult shown = diff(folder, "old.rules new.rules --input in.csv --limit 1");
  CHECK(shown.output.find("line 3: 2,premium,150.00\n"
                          "  accepted → rejected: field `kind`: `premium` is not one of consumer, business\n"
                          "  old: id = 2, action = remind, fee = 5.00\n") != std::string::npos);
  CHECK(shown.output.find("  new: rejected: field `kind`: `premium` is not one of consumer, business\n") !=
        std::string::npos);
}

TEST_CASE("diff: outputs only one version has are listed, a changed type is compared as written", "[cli][diff]") {
  fs::path folder = setUp("schemas");
  writeFile(folder / "old.rules",
            "ruleset fees\ninput Invoice\n  id: int\n  amount: money\noutput id: int = id\n"
            "output bonus: money = 1.00 EUR\n"
            "output fee: money = if amount >= 100.00 EUR then 5.00 EUR else 0.00 EUR\n"
            "output big: bool = amount >= 100.00 EUR\n");
  writeFile(folder / "new.rules",
            "ruleset fees\ninput Invoice\n  id: int\n  amount: money\noutput id: int = id\n"
            "output fee: decimal(3) = if amount >= 100.00 EUR then 5.000 else 0.000\n"
            "output big: bool = amount >= 50.00 EUR\noutput surcharge: money = 2.50 EUR\n");
  writeFile(folder / "in.csv", "id,amount\n1,20.00\n2,60.00\n3,150.00\n");
  CommandResult result = diff(folder, "old.rules new.rules --input in.csv --limit 0");
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK(result.output ==
        "regelwerk diff old.rules new.rules --input in.csv\n"
        "records 3 = unchanged 0 + changed 3 + accepted → rejected 0 + rejected → accepted 0 + rejected by both 0\n"
        "\n"
        "outputs only in old.rules: bonus\n"
        "outputs only in new.rules: surcharge\n"
        "\n"
        "changes per output (records both versions accept):\n"
        "  fee  3 records  (money → decimal(3), compared as written)\n"
        "  big   1 record\n"
        "    false → true  1 record\n"
        "unchanged outputs: id\n"
        "\n"
        "money sums (over the records each version accepts):\n"
        "  output     old total  new total         difference\n"
        "  bonus           3.00             only in old.rules\n"
        "  fee             5.00             only in old.rules\n"
        "  surcharge                  7.50  only in new.rules\n");
}

TEST_CASE("diff: identical versions exit 0 with every record unchanged", "[cli][diff]") {
  fs::path folder = setUp("identical");
  writeFile(folder / "copy.rules", kOld);
  CommandResult result = diff(folder, "old.rules copy.rules --input in.csv --output report.txt");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(result.output.empty());  // the report went to the file
  CHECK(readFile(folder / "report.txt") ==
        "regelwerk diff old.rules copy.rules --input in.csv\n"
        "records 5 = unchanged 5 + changed 0 + accepted → rejected 0 + rejected → accepted 0 + rejected by both 0\n"
        "\n"
        "no output changes in the records both versions accept\n"
        "unchanged outputs: id, action, fee\n"
        "\n"
        "money sums (over the records each version accepts):\n"
        "  output  old total  new total  difference\n"
        "  fee         10.00      10.00        0.00\n");
}

TEST_CASE("diff: a param goes to each version that declares it", "[cli][diff]") {
  fs::path folder = setUp("params");
  std::string old_rules = kOld;
  old_rules.replace(old_rules.find("100.00 EUR"), 10, "limit");
  old_rules.replace(old_rules.find("output id"), 0, "param limit: money = 100.00 EUR\n");
  writeFile(folder / "old.rules", old_rules);
  // With limit 50.00 the old version reminds lines 3, 4, 5 and 6 as the new one does; only fees differ.
  CommandResult result = diff(folder, "old.rules new.rules --input in.csv --param limit=50.00 --limit 0");
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK(result.output.find("records 5 = unchanged 3 + changed 2 +") != std::string::npos);
  CHECK(result.output.find("  fee         20.00      30.00      +10.00\n") != std::string::npos);
  CommandResult bad = diff(folder, "old.rules new.rules --input in.csv --param limit=abc");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("regelwerk: old.rules: --param limit=abc: `abc` is not an amount") == 0);
  CommandResult unknown = diff(folder, "old.rules new.rules --input in.csv --param nothing=1");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output == "regelwerk: unknown --param `nothing`: neither old.rules nor new.rules declares it\n");
}

TEST_CASE("diff: usage, rule and input errors exit 2 with one line", "[cli][diff]") {
  fs::path folder = setUp("errors");
  writeFile(folder / "broken.rules", "ruleset broken\noutput fee: money = 5\n");
  writeFile(folder / "more.rules", std::string(kNew).replace(std::string(kNew).find("  amount: money"), 15,
                                                             "  amount: money\n  region: string"));
  CommandResult one = diff(folder, "old.rules --input in.csv");
  CHECK(one.exit_code == 2);
  CHECK(one.output.find("`regelwerk diff` needs two rule files: OLD.rules NEW.rules") != std::string::npos);
  CommandResult no_input = diff(folder, "old.rules new.rules");
  CHECK(no_input.exit_code == 2);
  CHECK(no_input.output.find("`regelwerk diff` needs --input IN.csv") != std::string::npos);
  CommandResult rejects = diff(folder, "old.rules new.rules --input in.csv --rejects r.csv");
  CHECK(rejects.exit_code == 2);
  CHECK(rejects.output.find("--rejects is not an option of `regelwerk diff`") != std::string::npos);
  CommandResult broken = diff(folder, "old.rules broken.rules --input in.csv");
  CHECK(broken.exit_code == 2);  // not 1: that says the versions differ
  CHECK(broken.output.find("broken.rules: 1 error; nothing was compared") != std::string::npos);
  CommandResult column = diff(folder, "old.rules more.rules --input in.csv");
  CHECK(column.exit_code == 2);
  CHECK(column.output.find("in.csv: missing column `region`") != std::string::npos);
  CHECK(column.output.find("(more.rules reads it)") != std::string::npos);
  CommandResult grouped =
      diff(folder, "old.rules '" RW_SOURCE_DIR "/examples/waterfall/waterfall.rules' --input in.csv");
  CHECK(grouped.exit_code == 2);
  CHECK(grouped.output.find("has keyed inputs; `regelwerk diff` compares rule sets that decide one record at a time") !=
        std::string::npos);
  CommandResult clash = diff(folder, "old.rules new.rules --input in.csv --output in.csv");
  CHECK(clash.exit_code == 2);
  CHECK(clash.output.find("are the same file") != std::string::npos);
  CHECK(readFile(folder / "in.csv") == kInput);
  // The report goes to standard output unless --output names a file: a closed one is an error, as in `run`.
  CommandResult closed = diff(folder, "old.rules new.rules --input in.csv 2>&1 >&-; echo exit=$?");
  CHECK(closed.output.find("exit=2") != std::string::npos);
  CHECK(closed.output.find("regelwerk: - writes standard output, which is closed: name a file") != std::string::npos);
  CommandResult to_file = diff(folder, "old.rules new.rules --input in.csv --output report.txt >&-; echo exit=$?");
  CHECK(to_file.output.find("exit=1") != std::string::npos);  // the versions differ
  CHECK(readFile(folder / "report.txt").find("records 5 = unchanged 2 + changed 3") != std::string::npos);
}

TEST_CASE("diff: --help explains every option", "[cli][diff]") {
  fs::path folder = setUp("help");
  CommandResult result = diff(folder, "--help");
  CHECK(result.exit_code == 0);
  for (const char* option : {"--input", "--param", "--limit", "--output", "--threads", "--engine", "--batch-size",
                             "--separator", "--no-cache"}) {
    CHECK(result.output.find(option) != std::string::npos);
  }
}
