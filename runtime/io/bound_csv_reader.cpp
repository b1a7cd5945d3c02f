// BoundCsvReader: chunker, header binding and record parser in the order a run uses them.
#include "runtime/io/bound_csv_reader.hpp"

namespace regelwerk {

BoundCsvReader::BoundCsvReader(int fd, const std::vector<ir::InputColumn>& inputs, CsvDialect dialect,
                               size_t batch_rows)
    : inputs_(&inputs), dialect_(dialect), chunker_(fd, dialect), batch_(ir::typesOf(inputs), batch_rows) {}

bool BoundCsvReader::start(std::string* error) {
  std::vector<std::string> header;
  if (!chunker_.readHeader(&header, error) || !bindHeader(*inputs_, header, &binding_, error)) return false;
  parser_.emplace(*inputs_, binding_, dialect_);
  return true;
}

size_t BoundCsvReader::next(std::vector<Reject>* rejects, std::string* error) {
  while (true) {
    if (atEnd(chunk_, cursor_)) {  // also before the first chunk: an empty one is at its end
      if (!chunker_.next(&chunk_, error)) return 0;
      // Records too long to read come before the chunk's text in file order.
      rejects->insert(rejects->end(), chunk_.rejects.begin(), chunk_.rejects.end());
      cursor_ = cursorAt(chunk_);
      continue;
    }
    const size_t rows = parser_->parse(chunk_, &cursor_, &batch_, rejects);
    if (rows > 0) return rows;  // else every record of this part was rejected: read on
  }
}

}  // namespace regelwerk
