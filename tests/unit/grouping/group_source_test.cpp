// GroupSource on small hand-written inputs: membership, key order, key spellings, CSV details, rejects, errors.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "tests/unit/grouping/grouping_test_support.hpp"

using namespace regelwerk;
using namespace regelwerk::grouping_test;

namespace {

std::vector<Member> members(std::initializer_list<Member> list) {
  return list;
}

// `input X shared`: no key; every group gets all its records.
GroupInput sharedFile(const std::string& path) {
  GroupInput input = inputFile(path, "");
  input.shared = true;
  return input;
}

}  // namespace

TEST_CASE("two inputs: one group per key present in any input, in key order, records in file order", "[grouping]") {
  const fs::path dir = freshScratch("two-inputs");
  const std::string estates = writeFile(dir, "estates.csv", "estate_id,pool\n1,100\n2,50\n4,70\n");
  const std::string claims = writeFile(dir, "claims.csv", "claim_id,estate_id\n10,1\n11,3\n12,1\n13,4\n14,4\n15,3\n");
  const Collected out = collect({inputFile(estates, "estate_id"), inputFile(claims, "estate_id")});
  REQUIRE(out.error.empty());
  REQUIRE(out.groups.size() == 4);
  CHECK(out.groups[0] == CollectedGroup{"1", {members({{2, "1,100"}}), members({{2, "10,1"}, {4, "12,1"}})}});
  CHECK(out.groups[1] == CollectedGroup{"2", {members({{3, "2,50"}}), members({})}});
  CHECK(out.groups[2] == CollectedGroup{"3", {members({}), members({{3, "11,3"}, {7, "15,3"}})}});
  CHECK(out.groups[3] == CollectedGroup{"4", {members({{4, "4,70"}}), members({{5, "13,4"}, {6, "14,4"}})}});
  REQUIRE(out.stats.size() == 2);
  CHECK(out.stats[0].plan == InputPlan::Streamed);        // sorted regular file: streamed
  CHECK(out.stats[1].plan == InputPlan::SortedInMemory);  // unsorted, small: sorted without spilling
  CHECK(out.temp_folder.empty());
  CHECK(out.stats[1].records_read == 6);
  CHECK(out.stats[1].records_grouped == 6);
  CHECK(out.stats[1].records_rejected == 0);
}

TEST_CASE("int keys are numbers: 7, 007 and \"7\" are one key, -0 is 0, 10 sorts after 9", "[grouping]") {
  const fs::path dir = freshScratch("int-spellings");
  const std::string path = writeFile(dir, "a.csv", "id,v\n10,a\n007,b\n9,c\n7,d\n\"7\",e\n-0,f\n0,g\n-12,h\n");
  for (InputOrder order : {InputOrder::Detect, InputOrder::Unsorted}) {
    const Collected out = collect({inputFile(path, "id", KeyType::Int, order)});
    REQUIRE(out.error.empty());
    REQUIRE(out.groups.size() == 5);
    CHECK(out.groups[0] == CollectedGroup{"-12", {members({{9, "-12,h"}})}});
    CHECK(out.groups[1] == CollectedGroup{"0", {members({{7, "-0,f"}, {8, "0,g"}})}});
    CHECK(out.groups[2] ==
          CollectedGroup{"7", {members({{3, "007,b"}, {5, "7,d"}, {6, "\"7\",e"}})}});  // spellings kept
    CHECK(out.groups[3].key == "9");
    CHECK(out.groups[4].key == "10");
  }
}

TEST_CASE("string keys compare as unsigned bytes, a prefix first, and quoted keys are unquoted", "[grouping]") {
  const fs::path dir = freshScratch("string-keys");
  const std::string path =
      writeFile(dir, "a.csv", "name,n\nb,1\nabc,2\n\xC3\xA9,3\nab,4\na,5\n\"a\"\"b\",6\nZ,7\n\"\",8\n\"ab\",9\n");
  const Collected out = collect({inputFile(path, "name", KeyType::String)});
  REQUIRE(out.error.empty());
  std::vector<std::string> keys;
  for (const CollectedGroup& group : out.groups) keys.push_back(group.key);
  CHECK(keys == std::vector<std::string>{"", "Z", "a", "a\"b", "ab", "abc", "b", "\xC3\xA9"});
  CHECK(out.groups[4] == CollectedGroup{"ab", {members({{5, "ab,4"}, {10, "\"ab\",9"}})}});
}

TEST_CASE("BOM, CRLF, empty lines and quoted line feeds: records and line numbers as in an editor", "[grouping]") {
  const fs::path dir = freshScratch("csv-details");
  const std::string path = writeFile(
      dir, "a.csv", "\xEF\xBB\xBFid,note\r\n2,\"two\r\nlines\"\r\n\r\n1,plain\r\n\"2\",\"x,\"\"y\"\"\"\r\n1,last");
  const Collected out = collect({inputFile(path, "id")});
  REQUIRE(out.error.empty());
  REQUIRE(out.groups.size() == 2);
  CHECK(out.groups[0] == CollectedGroup{"1", {members({{5, "1,plain"}, {7, "1,last"}})}});
  CHECK(out.groups[1] == CollectedGroup{"2", {members({{2, "2,\"two\r\nlines\""}, {6, "\"2\",\"x,\"\"y\"\"\""}})}});
  CHECK(out.stats[0].records_read == 4);
}

// Records without a quote are split only up to the key (keyed_csv_reader.cpp, splitToKey): the key as
// the last field before a CRLF, a lone CR in a field before it, and a row too short for the key must
// read as the general splitter reads them.
TEST_CASE("the key as the last field: CRLF, a lone CR in an earlier field, a row too short for the key", "[grouping]") {
  const fs::path dir = freshScratch("key-last");
  const std::string path = writeFile(dir, "a.csv", "note,n,id\r\na\rb,1,2\r\nc,2,1\r\nd,3,\"2\"\r\ne,4\r\nf,5,1\n");
  const Collected out = collect({inputFile(path, "id")});
  REQUIRE(out.error.empty());
  REQUIRE(out.groups.size() == 2);
  CHECK(out.groups[0] == CollectedGroup{"1", {members({{3, "c,2,1"}, {6, "f,5,1"}})}});
  CHECK(out.groups[1] == CollectedGroup{"2", {members({{2, "a\rb,1,2"}, {4, "d,3,\"2\""}})}});
  REQUIRE(out.rejects[0].size() == 1);
  CHECK(out.rejects[0][0].line == 5);
  CHECK(out.rejects[0][0].reason == "row has 2 fields; the key `id` is field 3");
  CHECK(out.stats[0].records_read == 5);
}

TEST_CASE("records whose key cannot be read are rejects with line and reason, and the counts add up", "[grouping]") {
  const fs::path dir = freshScratch("rejects");
  const std::string text =
      "name,id,v\n"
      "a,1,x\n"
      "b,x1,x\n"                    // 3: not an int
      "c,,x\n"                      // 4: empty key
      "d, 2,x\n"                    // 5: leading space
      "e\n"                         // 6: no key field
      "f,\"2\"x,y\n"                // 7: text after the closing quote
      "g,99999999999999999999,x\n"  // 8: beyond 64 bits
      "h,2,x,extra\n"               // 9: wrong field count, but the key is readable: a member
      "i,3,\"open\n";               // 10: a quote never closed
  const std::string path = writeFile(dir, "a.csv", text);
  for (InputOrder order : {InputOrder::Detect, InputOrder::Sorted, InputOrder::Unsorted}) {
    const Collected out = collect({inputFile(path, "id", KeyType::Int, order)});
    REQUIRE(out.error.empty());
    REQUIRE(out.groups.size() == 2);
    CHECK(out.groups[0] == CollectedGroup{"1", {members({{2, "a,1,x"}})}});
    CHECK(out.groups[1] == CollectedGroup{"2", {members({{9, "h,2,x,extra"}})}});
    REQUIRE(out.rejects[0].size() == 7);
    const std::vector<Reject>& rejects = out.rejects[0];
    CHECK(rejects[0].line == 3);
    CHECK(rejects[0].column == "id");
    CHECK(rejects[0].reason == "`x1` is not an int (write digits, e.g. 42 or -7)");
    CHECK(rejects[0].raw_record == "b,x1,x");
    CHECK(rejects[1].line == 4);
    CHECK(rejects[1].reason == "empty key cell: every record needs a `id`");
    CHECK(rejects[2].line == 5);
    CHECK(rejects[2].reason.find("` 2` is not an int") == 0);
    CHECK(rejects[3].line == 6);
    CHECK(rejects[3].column.empty());
    CHECK(rejects[3].reason == "row has 1 field; the key `id` is field 2");
    CHECK(rejects[4].line == 7);
    CHECK(rejects[4].reason == "field 2 has text after its closing quote; a quoted field must end at the quote");
    CHECK(rejects[5].line == 8);
    CHECK(rejects[5].reason.find("`99999999999999999999`") == 0);
    CHECK(rejects[6].line == 10);
    CHECK(rejects[6].reason == "field 3 opens a quote that is never closed (the input ends inside it)");
    const GroupInputStats& stats = out.stats[0];
    CHECK(stats.records_read == 9);
    CHECK(stats.records_rejected == 7);
    CHECK(stats.records_grouped == 2);
    CHECK(countsAddUp(stats));
  }
}

TEST_CASE("an input declared sorted whose key decreases stops with its line", "[grouping]") {
  const fs::path dir = freshScratch("declared-sorted");
  const std::string path = writeFile(dir, "events.csv", "contact_id,kind\n1,a\n3,b\n3,c\n2,d\n");
  const Collected out = collect({inputFile(path, "contact_id", KeyType::Int, InputOrder::Sorted)});
  CHECK(out.groups.size() == 1);
  std::string error;
  auto source = GroupSource::open({inputFile(path, "contact_id", KeyType::Int, InputOrder::Sorted)}, {}, &error);
  REQUIRE(source);
  Group group;
  CHECK(source->next(&group, &error));
  CHECK(!source->next(&group, &error));
  CHECK(!error.empty());
  std::string again;
  CHECK(!source->next(&group, &again));
  CHECK(again == error);  // finished: the same error, not a half-read group
  CHECK(out.error.find("events.csv:5: key 2 comes after 3: the input is not sorted by `contact_id`") !=
        std::string::npos);
}

TEST_CASE("inputs that cannot be grouped are errors before the first group", "[grouping]") {
  const fs::path dir = freshScratch("open-errors");
  const std::string good = writeFile(dir, "good.csv", "id,v\n1,a\n");
  const std::string dup = writeFile(dir, "dup.csv", "id,v,id\n1,a,1\n");
  const std::string empty = writeFile(dir, "empty.csv", "");
  CHECK(collect({inputFile(good, "key")}).error.find("good.csv: missing key column `key`; the header has: `id`, `v`") !=
        std::string::npos);
  CHECK(collect({inputFile(dup, "id")})
            .error.find("dup.csv: key column `id` appears 2 times in the header (fields 1 and 3)") !=
        std::string::npos);
  CHECK(collect({inputFile(empty, "id")}).error.find("empty.csv: input is empty: expected a header line") !=
        std::string::npos);
  CHECK(collect({inputFile((dir / "absent.csv").string(), "id")}).error.find("cannot open `") == 0);
  CHECK(collect({inputFile(good, "id"), inputFile(good, "v", KeyType::String)}).error ==
        "the key columns of all inputs must have one type: `id` and `v` differ (int and string)");
  const Collected header_only = collect({inputFile(writeFile(dir, "header.csv", "id,v\n"), "id")});
  CHECK(header_only.error.empty());
  CHECK(header_only.groups.empty());
}

TEST_CASE("stdin and a pipe are not seekable, so they are sorted in memory, and `-` names stdin", "[grouping]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::thread writer([fd = fds[1]] {
    const std::string text = "id,v\n3,a\n1,b\n3,c\n";
    CHECK(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    ::close(fd);
  });
  const int saved_stdin = ::dup(STDIN_FILENO);
  REQUIRE(::dup2(fds[0], STDIN_FILENO) == STDIN_FILENO);
  ::close(fds[0]);
  const Collected out = collect({inputFile("-", "id")});
  writer.join();
  ::dup2(saved_stdin, STDIN_FILENO);
  ::close(saved_stdin);
  REQUIRE(out.error.empty());
  REQUIRE(out.groups.size() == 2);
  CHECK(out.groups[0] == CollectedGroup{"1", {members({{3, "1,b"}})}});
  CHECK(out.groups[1] == CollectedGroup{"3", {members({{2, "3,a"}, {4, "3,c"}})}});
  CHECK(out.stats[0].plan == InputPlan::SortedInMemory);

  REQUIRE(::pipe(fds) == 0);
  const std::string text = "id,v\n1,a\n0,b\n";
  REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  GroupInput piped = inputFile("", "id", KeyType::Int, InputOrder::Sorted);
  piped.fd = fds[0];
  piped.name = "pipe";
  const Collected declared = collect({piped});
  ::close(fds[0]);
  CHECK(declared.error == "pipe:3: key 0 comes after 1: the input is not sorted by `id` though it was declared sorted");
}

TEST_CASE("a shared input: every group gets all its records, read once; it forms no group of its own", "[grouping]") {
  const fs::path dir = freshScratch("shared-input");
  // A string key here, so a shared input's (unused) key type may differ from the others'.
  const std::string contacts = writeFile(dir, "contacts.csv", "contact_id,tier\nb,2\na,1\n");
  const std::string rates = writeFile(dir, "rates.csv", "\xEF\xBB\xBFrank,w\r\n2,5\r\n\r\n1,\"3\"\r\n");
  const Collected out = collect({inputFile(contacts, "contact_id", KeyType::String), sharedFile(rates)});
  REQUIRE(out.error.empty());
  REQUIRE(out.groups.size() == 2);  // the keys of the keyed input only
  const std::vector<Member> all = members({{2, "2,5"}, {4, "1,\"3\""}});  // BOM, CRLF, empty line: as every input
  CHECK(out.groups[0] == CollectedGroup{"a", {members({{3, "a,1"}}), all}});
  CHECK(out.groups[1] == CollectedGroup{"b", {members({{2, "b,2"}}), all}});
  CHECK(out.stats[1].records_read == 2);
  CHECK(out.stats[1].records_grouped == 2);  // counted once, however many groups read them
  CHECK(out.stats[1].records_rejected == 0);
}

TEST_CASE("a shared input: a record that cannot be split is an error of the source, with its line", "[grouping]") {
  const fs::path dir = freshScratch("shared-input-bad");
  const std::string contacts = writeFile(dir, "contacts.csv", "contact_id,tier\n1,2\n");
  const std::string rates = writeFile(dir, "rates.csv", "rank,w\n1,2\n2,\"3\n");
  const Collected out = collect({inputFile(contacts, "contact_id"), sharedFile(rates)});
  CHECK(out.error.rfind(rates + ":3: field 2 opens a quote that is never closed", 0) == 0);
  CHECK(out.error.find("every group reads the records of a shared input") != std::string::npos);
  CHECK(out.groups.empty());
}

TEST_CASE("a shared input of more than 1 MiB of records is an error: every group would hold it", "[grouping]") {
  const fs::path dir = freshScratch("shared-input-large");
  const std::string contacts = writeFile(dir, "contacts.csv", "contact_id,tier\n1,2\n");
  std::string text = "rank,w\n";
  while (text.size() <= 2 * kMaxSharedBytes) text += "123456,7890\n";  // the limit counts records without line ends
  const std::string rates = writeFile(dir, "rates.csv", text);
  const Collected out = collect({inputFile(contacts, "contact_id"), sharedFile(rates)});
  CHECK(out.error == rates + ": a shared input may hold at most 1 MiB of records, since every group reads all of them; key "
                             "the input to read it group by group");
}
