// The rejects file writer.
#include "rejects_writer.hpp"

#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/columnar/decimal_text.hpp"

namespace regelwerk {

void appendRejectsHeader(std::string* out) { out->append("line,column,reason,record\n"); }

void appendReject(const Reject& reject, std::string* out) {
  appendDecimal(reject.line, 0, out);
  out->push_back(',');
  appendCsvField(reject.column, ',', '"', out);
  out->push_back(',');
  appendCsvField(reject.reason, ',', '"', out);
  out->push_back(',');
  appendCsvField(reject.raw_record, ',', '"', out);
  out->push_back('\n');
}

}  // namespace regelwerk
