//===- KernelBasis.h - PENNI kernel decomposition math ----------*- C++ -*-===//
//
// Weights are viewed as R = C_out * C_in/group rows of K = prod(kernel)
// values. A decomposition is M orthonormal basis rows (M x K) shared by all
// rows, and coefficients (R x M) with W ~= coefs * bases.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_DECOMPOSITION_KERNELBASIS_H
#define ESCALATE_DECOMPOSITION_KERNELBASIS_H

#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <vector>

namespace escalate {

struct KernelBasis {
  int64_t numBases = 0;
  std::vector<float> bases;        ///< M x K, orthonormal rows
  std::vector<float> coefficients; ///< R x M
  /// Eigenvalues of W^T W, descending: the energy each basis captures.
  std::vector<double> energies;
};

/// Decomposes `weights` (rows x k). With `fixedBases` > 0 keeps that many
/// bases (capped at k); otherwise the fewest whose captured energy reaches
/// `energy` (0 < energy <= 1). The bases are the top eigenvectors of the
/// k x k Gram matrix (uncentred, as PENNI); coefficients are the least
/// squares solution, i.e. the projections onto them.
KernelBasis decomposeKernels(llvm::ArrayRef<float> weights, int64_t rows,
                             int64_t k, int64_t fixedBases, double energy);

/// ||W - coefs * bases||_F^2 and ||W||_F^2.
struct ReconstructionError {
  double residual = 0, total = 0;
  double relative() const;
};
ReconstructionError reconstructionError(llvm::ArrayRef<float> weights,
                                        llvm::ArrayRef<float> bases,
                                        llvm::ArrayRef<float> coefficients,
                                        int64_t rows, int64_t k, int64_t m);

/// Re-solves each row's nonzero coefficients by least squares against its
/// kernel, keeping zeros at zero. Exact projection when the bases are
/// orthonormal; matters for bases that are not (imported models).
void refitCoefficients(llvm::ArrayRef<float> weights,
                       llvm::ArrayRef<float> bases,
                       llvm::MutableArrayRef<float> coefficients, int64_t rows,
                       int64_t k, int64_t m);

} // namespace escalate

#endif
