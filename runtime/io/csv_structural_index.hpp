// The structural index of CSV text: where the quotes, separators, CRs and line feeds of a 64-byte
// block are, as bitmasks, with the parity of the quotes before each byte (the in-quotes mask),
// computed with AVX2 + PCLMUL when the CPU has them and byte by byte otherwise (chosen at run time).
#pragma once

#include <cstdint>

namespace regelwerk {

// Bit i stands for byte i of the block.
struct BlockMasks {
  uint64_t quote = 0;
  uint64_t separator = 0;
  uint64_t line_feed = 0;
  uint64_t carriage_return = 0;
  uint64_t quote_parity = 0;  // bit i: an odd number of quotes at positions 0..i (prefix XOR of `quote`)
};

enum class CsvKernel : uint8_t { Scalar, Avx2 };

inline constexpr int kBlockSize = 64;

// The kernel the reader uses: AVX2 when the CPU supports avx2 and pclmul, unless the environment
// variable REGELWERK_CSV_SCALAR is set to anything but "" or "0" (read once, at the first use).
CsvKernel activeCsvKernel();
// Forces a kernel for this process (tests and bench_csv compare the two); a request for AVX2 on a
// CPU without it gives Scalar. Returns the kernel now in use.
CsvKernel setCsvKernel(CsvKernel kernel);
bool cpuHasAvx2Kernel();
const char* csvKernelName(CsvKernel kernel);

// Classifies the 64 bytes at `block` (all must be readable) with the active kernel.
void indexBlock(const char* block, char separator, char quote, BlockMasks* masks);

}  // namespace regelwerk
