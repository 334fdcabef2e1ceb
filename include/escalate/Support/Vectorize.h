//===- Vectorize.h - kernels built for the host's widest vectors -*- C++ -*-===//
//
// ESCALATE_VECTORIZED before a function definition builds it for AVX-512,
// AVX2 and the baseline x86-64 ISA (clang's target_clones; elsewhere it is
// empty); the dynamic loader picks the widest the CPU runs. Results must
// not depend on the choice: integer kernels are exact, and files with
// float kernels turn off floating-point contraction (`#pragma clang fp
// contract(off)`), since AVX2 and AVX-512 have fused multiply-adds the
// baseline lacks.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SUPPORT_VECTORIZE_H
#define ESCALATE_SUPPORT_VECTORIZE_H

#if defined(__x86_64__) && defined(__linux__) && defined(__clang__)
#define ESCALATE_VECTORIZED                                                    \
  __attribute__((target_clones("avx512bw", "avx2", "default")))
#else
#define ESCALATE_VECTORIZED
#endif

#endif
