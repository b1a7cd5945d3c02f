// `regelwerk lsp`: a Language Server Protocol server over standard input and output (docs/editors.md).
#pragma once

#include <cstdio>

namespace regelwerk::cli {

// Serves one editor session: reads Content-Length framed JSON-RPC messages from `in`, answers on
// `out`, until `exit`. Returns 0 after `shutdown` then `exit`, 1 when the input ends or `exit` comes
// without `shutdown` (as the protocol says).
int runLspServer(std::FILE* in, std::FILE* out);

}  // namespace regelwerk::cli
