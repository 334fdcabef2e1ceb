//===- Vectorize.h - kernels built for the host's widest vectors -*- C++ -*-===//
//
// ESCALATE_VECTORIZED before a function definition builds it for the
// x86-64-v4 (AVX-512), x86-64-v3 (AVX2) and baseline x86-64 levels (clang's
// target_clones; elsewhere it is empty); the dynamic loader picks the
// highest the CPU runs. Helpers it calls must inline into it
// ([[gnu::always_inline]]) to be built for the same level. Results must
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
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define ESCALATE_VECTORIZED
#endif

#endif
