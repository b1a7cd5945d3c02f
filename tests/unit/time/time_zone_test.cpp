// The tzdata reader: offsets around DST changes, the POSIX rule after the file's last transition,
// local times in gaps and folds, refused names, and one shared zone per name across threads.
#include <catch2/catch.hpp>

#include <set>
#include <thread>
#include <vector>

#include "compiler/support/civil_time.hpp"
#include "compiler/support/time_zone.hpp"

namespace regelwerk {
namespace {

int64_t at(const char* text) {
  civil::TimestampText parsed = civil::parseTimestamp(text);
  REQUIRE(parsed.error == civil::TimeTextError::None);
  return parsed.seconds;
}

int64_t localSeconds(int year, int month, int day, int hour, int minute) {
  return civil::daysFrom(year, month, day) * civil::kSecondsPerDay + hour * 3600 + minute * 60;
}

const tz::Zone& zone(const char* name) {
  const tz::Zone* found = tz::findZone(name);
  REQUIRE(found != nullptr);
  return *found;
}

TEST_CASE("offsets change at the DST transitions of both hemispheres", "[time]") {
  const tz::Zone& berlin = zone("Europe/Berlin");
  CHECK(berlin.offsetAt(at("2025-03-30T00:59:59Z")) == 3600);
  CHECK(berlin.offsetAt(at("2025-03-30T01:00:00Z")) == 7200);
  CHECK(berlin.offsetAt(at("2025-10-26T00:59:59Z")) == 7200);
  CHECK(berlin.offsetAt(at("2025-10-26T01:00:00Z")) == 3600);
  const tz::Zone& new_york = zone("America/New_York");
  CHECK(new_york.offsetAt(at("2025-11-02T05:59:59Z")) == -4 * 3600);
  CHECK(new_york.offsetAt(at("2025-11-02T06:00:00Z")) == -5 * 3600);
  const tz::Zone& lord_howe = zone("Australia/Lord_Howe");
  CHECK(lord_howe.offsetAt(at("2025-03-04T10:00:00Z")) == 11 * 3600);
  CHECK(lord_howe.offsetAt(at("2025-07-01T00:00:00Z")) == 10 * 3600 + 1800);
  CHECK(zone("Asia/Kolkata").offsetAt(at("2025-03-20T10:00:00Z")) == 5 * 3600 + 1800);
  CHECK(zone("UTC").offsetAt(at("2025-03-20T10:00:00Z")) == 0);
}

TEST_CASE("after the file's transitions the POSIX rule goes on to 9999", "[time]") {
  const tz::Zone& berlin = zone("Europe/Berlin");
  // Last Sunday of March 2100 is the 28th; 2500's is the 28th too.
  CHECK(berlin.offsetAt(at("2100-03-28T00:59:59Z")) == 3600);
  CHECK(berlin.offsetAt(at("2100-03-28T01:00:00Z")) == 7200);
  CHECK(berlin.offsetAt(at("2500-03-28T01:00:00Z")) == 7200);
  CHECK(berlin.offsetAt(at("9999-12-31T23:59:59Z")) == 3600);
  const tz::Zone& sydney = zone("Australia/Sydney");  // DST from October to April
  CHECK(sydney.offsetAt(at("2099-01-15T00:00:00Z")) == 11 * 3600);
  CHECK(sydney.offsetAt(at("2099-07-15T00:00:00Z")) == 10 * 3600);
}

TEST_CASE("local times in a gap move forward, in a fold take the earlier instant", "[time]") {
  const tz::Zone& berlin = zone("Europe/Berlin");
  CHECK(berlin.utcOf(localSeconds(2025, 3, 30, 2, 30)) == at("2025-03-30T01:30:00Z"));
  CHECK(berlin.utcOf(localSeconds(2025, 3, 30, 3, 0)) == at("2025-03-30T01:00:00Z"));
  CHECK(berlin.utcOf(localSeconds(2025, 3, 30, 1, 59)) == at("2025-03-30T00:59:00Z"));
  CHECK(berlin.utcOf(localSeconds(2025, 10, 26, 2, 30)) == at("2025-10-26T00:30:00Z"));
  CHECK(berlin.utcOf(localSeconds(2025, 10, 26, 3, 0)) == at("2025-10-26T02:00:00Z"));
  const tz::Zone& new_york = zone("America/New_York");
  CHECK(new_york.utcOf(localSeconds(2025, 11, 2, 1, 30)) == at("2025-11-02T05:30:00Z"));
  CHECK(new_york.utcOf(localSeconds(2025, 3, 9, 2, 30)) == at("2025-03-09T07:30:00Z"));
  const tz::Zone& lord_howe = zone("Australia/Lord_Howe");  // clocks go back 30 minutes at 02:00
  CHECK(lord_howe.utcOf(localSeconds(2025, 4, 6, 1, 45)) == at("2025-04-05T14:45:00Z"));
}

TEST_CASE("names that are no zone, or would leave the zone folder, find nothing", "[time]") {
  for (const char* name : {"Europe/Berln", "", "../etc/passwd", "/etc/localtime", "Europe/../UTC", "Europe//Berlin",
                           "zone.tab", "Europe/Berlin/", "Europe/Berlin\n"}) {
    INFO(name);
    CHECK(tz::findZone(name) == nullptr);
  }
}

TEST_CASE("every thread gets the one shared zone per name", "[time]") {
  const char* names[] = {"Europe/Berlin", "America/New_York", "Europe/London", "America/Los_Angeles", "Asia/Tokyo",
                         "America/Sao_Paulo", "Asia/Kolkata", "UTC", "Australia/Sydney", "Africa/Lagos"};
  std::vector<std::vector<const tz::Zone*>> seen(8);
  std::vector<std::thread> threads;
  for (size_t thread = 0; thread < seen.size(); ++thread) {
    threads.emplace_back([&, thread] {
      for (int round = 0; round < 200; ++round) {
        for (const char* name : names) seen[thread].push_back(tz::findZone(name));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t index = 0; index < std::size(names); ++index) {
    std::set<const tz::Zone*> distinct;
    for (const auto& per_thread : seen) {
      for (size_t call = index; call < per_thread.size(); call += std::size(names)) distinct.insert(per_thread[call]);
    }
    INFO(names[index]);
    CHECK(distinct.size() == 1);
    CHECK(*distinct.begin() != nullptr);
  }
}

}  // namespace
}  // namespace regelwerk
