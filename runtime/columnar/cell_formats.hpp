// Declared input formats beyond the defaults (docs/language.md, Input formats): dates written
// M/D/YYYY or D.M.YYYY, bools written with two chosen texts ("Yes/No"), ints written with a zero
// fraction ("17850.0"). CellParser uses these for fields that declare such a format.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace regelwerk {

enum class DateOrder : uint8_t { Iso, MonthFirst, DayFirst };

// "M/D/YYYY" -> MonthFirst, "D.M.YYYY" -> DayFirst, "YYYY-MM-DD" or "" -> Iso; false for other text.
bool dateOrderNamed(std::string_view format, DateOrder* order);

// `1/2/2013` (MonthFirst: January 2) or `2.1.2013` (DayFirst): one or two digits for month and day,
// four for the year; the calendar is checked. False when the text is not such a date.
bool parseOrderedDate(std::string_view text, DateOrder order, int64_t* days);

// "Yes/No" -> ("Yes", "No"): the text of true, then of false. False unless there is exactly one `/`
// between two different non-empty texts.
bool boolTextsNamed(std::string_view format, std::string* true_text, std::string* false_text);

// The timestamp format "local ZONE" ("local Europe/London"): the zone's name, or an empty view for
// other text. Whether the zone exists is the checker's business (E0510).
std::string_view localZoneNamed(std::string_view format);

// A wall-clock date and time without an offset: `2010-12-01 08:26:00`, `2010-12-01T08:26:00` or
// `2010-12-01 08:26`, as seconds since 1970-01-01T00:00:00 on that clock; false for other text or a
// day or time that does not exist in the calendar.
bool parseLocalDateTime(std::string_view text, int64_t* local);

// The format "whole.0": an int that may carry a fraction of zeros (`17850.0`, `-3.00`, `42`).
// Returns the digits without the zero fraction, or an empty view when the fraction is not all zeros.
std::string_view stripZeroFraction(std::string_view text);

}  // namespace regelwerk
