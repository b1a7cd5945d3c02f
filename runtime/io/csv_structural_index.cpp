// The two kernels of the structural index and the run-time choice between them.
#include "csv_structural_index.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define REGELWERK_HAVE_AVX2_KERNEL 1
#endif

namespace regelwerk {

namespace {

using IndexFn = void (*)(const char*, char, char, BlockMasks*);

// Bit i of the result: parity of the set bits 0..i. Six shifts and XORs (the carry-less multiply
// by all ones does the same in one instruction in the AVX2 kernel).
uint64_t prefixXorScalar(uint64_t bits) {
  bits ^= bits << 1;
  bits ^= bits << 2;
  bits ^= bits << 4;
  bits ^= bits << 8;
  bits ^= bits << 16;
  bits ^= bits << 32;
  return bits;
}

void indexBlockScalar(const char* block, char separator, char quote, BlockMasks* masks) {
  BlockMasks result;
  for (int i = 0; i < kBlockSize; ++i) {
    const char c = block[i];
    const uint64_t bit = uint64_t{1} << i;
    if (c == quote) result.quote |= bit;
    if (c == separator) result.separator |= bit;
    if (c == '\n') result.line_feed |= bit;
    if (c == '\r') result.carriage_return |= bit;
  }
  result.quote_parity = prefixXorScalar(result.quote);
  *masks = result;
}

#if defined(REGELWERK_HAVE_AVX2_KERNEL)
// Compiled for AVX2 + PCLMUL only here, so the rest of the build stays baseline x86-64; called
// only after the CPU said it has both.
__attribute__((target("avx2"))) inline uint64_t equalMask(__m256i low, __m256i high, char c) {
  const __m256i wanted = _mm256_set1_epi8(c);
  const uint32_t low_bits = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, wanted)));
  const uint32_t high_bits = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, wanted)));
  return uint64_t{low_bits} | (uint64_t{high_bits} << 32);
}

// 64 bytes as two 32-byte compares per byte class; the quote parity is the carry-less product of
// the quote mask with all ones (simdjson's trick): bit i is the XOR of quote bits 0..i.
__attribute__((target("avx2,pclmul"))) void indexBlockAvx2(const char* block, char separator, char quote,
                                                           BlockMasks* masks) {
  const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block));
  const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32));
  masks->quote = equalMask(low, high, quote);
  masks->separator = equalMask(low, high, separator);
  masks->line_feed = equalMask(low, high, '\n');
  masks->carriage_return = equalMask(low, high, '\r');
  const __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<long long>(masks->quote)),
                                               _mm_set1_epi8(static_cast<char>(0xFF)), 0);
  masks->quote_parity = static_cast<uint64_t>(_mm_cvtsi128_si64(product));
}
#endif

bool scalarForcedByEnvironment() {
  const char* value = std::getenv("REGELWERK_CSV_SCALAR");
  return value != nullptr && value[0] != '\0' && std::strcmp(value, "0") != 0;
}

IndexFn kernelFunction(CsvKernel kernel) {
#if defined(REGELWERK_HAVE_AVX2_KERNEL)
  if (kernel == CsvKernel::Avx2) return indexBlockAvx2;
#endif
  (void)kernel;
  return indexBlockScalar;
}

std::atomic<IndexFn>& activeFunction() {
  static std::atomic<IndexFn> function{
      kernelFunction(cpuHasAvx2Kernel() && !scalarForcedByEnvironment() ? CsvKernel::Avx2 : CsvKernel::Scalar)};
  return function;
}

}  // namespace

bool cpuHasAvx2Kernel() {
#if defined(REGELWERK_HAVE_AVX2_KERNEL)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul");
#else
  return false;
#endif
}

CsvKernel activeCsvKernel() {
  return activeFunction().load(std::memory_order_relaxed) == indexBlockScalar ? CsvKernel::Scalar : CsvKernel::Avx2;
}

CsvKernel setCsvKernel(CsvKernel kernel) {
  if (kernel == CsvKernel::Avx2 && !cpuHasAvx2Kernel()) kernel = CsvKernel::Scalar;
  activeFunction().store(kernelFunction(kernel), std::memory_order_relaxed);
  return kernel;
}

const char* csvKernelName(CsvKernel kernel) {
  return kernel == CsvKernel::Avx2 ? "avx2" : "scalar";
}

void indexBlock(const char* block, char separator, char quote, BlockMasks* masks) {
  activeFunction().load(std::memory_order_relaxed)(block, separator, quote, masks);
}

}  // namespace regelwerk
