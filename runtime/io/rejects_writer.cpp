// The rejects file writer.
#include "rejects_writer.hpp"

#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/columnar/decimal_text.hpp"
#include "runtime/columnar/utf8.hpp"

namespace regelwerk {

void appendRejectsHeader(std::string* out) { out->append("line,column,reason,record\n"); }

void appendReject(const Reject& reject, std::string* out) {
  appendDecimal(reject.line, 0, out);
  out->push_back(',');
  // Column and reason are messages: escaped even if a producer forgot; the record stays byte-exact.
  appendCsvField(printableText(reject.column), ',', '"', out);
  out->push_back(',');
  appendCsvField(printableText(reject.reason), ',', '"', out);
  out->push_back(',');
  appendCsvField(reject.raw_record, ',', '"', out);
  out->push_back('\n');
}

}  // namespace regelwerk
