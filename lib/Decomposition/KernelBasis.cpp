//===- KernelBasis.cpp - PENNI kernel decomposition math ------------------===//
#include "escalate/Decomposition/KernelBasis.h"
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

using namespace escalate;
using RowMatrixF =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrixF>;
using Map = Eigen::Map<RowMatrixF>;

KernelBasis escalate::decomposeKernels(llvm::ArrayRef<float> weights,
                                       int64_t rows, int64_t k,
                                       int64_t fixedBases, double energy) {
  ConstMap w(weights.data(), rows, k);
  // The k x k Gram matrix is tiny (9 x 9 for 3 x 3 kernels) however many
  // rows the layer has, so its eigen-decomposition is the cheap route to
  // the top right singular vectors. Accumulate in double for stability.
  Eigen::MatrixXd gram = (w.cast<double>().transpose() * w.cast<double>());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram);
  // Eigen sorts ascending; walk from the top.
  Eigen::VectorXd values = solver.eigenvalues().reverse();
  Eigen::MatrixXd vectors = solver.eigenvectors().rowwise().reverse();

  KernelBasis result;
  double total = std::max(values.sum(), 0.0);
  for (int64_t i = 0; i < k; ++i)
    result.energies.push_back(std::max(values[i], 0.0));
  // With no energy at all (all-zero weights) one basis already captures it.
  int64_t m = fixedBases > 0 ? std::min(fixedBases, k) : (total > 0 ? k : 1);
  if (fixedBases <= 0 && total > 0) {
    double captured = 0;
    for (m = 0; m < k;) {
      captured += result.energies[m++];
      if (captured >= energy * total)
        break;
    }
  }
  m = std::max<int64_t>(m, 1);
  result.numBases = m;
  result.bases.resize(m * k);
  result.coefficients.resize(rows * m);
  Map bases(result.bases.data(), m, k);
  bases = vectors.leftCols(m).transpose().cast<float>();
  Map coefs(result.coefficients.data(), rows, m);
  coefs = (w.cast<double>() * vectors.leftCols(m)).cast<float>();
  return result;
}

double ReconstructionError::relative() const {
  return total > 0 ? std::sqrt(residual / total) : 0.0;
}

ReconstructionError
escalate::reconstructionError(llvm::ArrayRef<float> weights,
                              llvm::ArrayRef<float> bases,
                              llvm::ArrayRef<float> coefficients, int64_t rows,
                              int64_t k, int64_t m) {
  ConstMap w(weights.data(), rows, k), b(bases.data(), m, k),
      c(coefficients.data(), rows, m);
  ReconstructionError e;
  e.total = w.cast<double>().squaredNorm();
  e.residual = (w.cast<double>() - c.cast<double>() * b.cast<double>())
                   .squaredNorm();
  return e;
}

void escalate::refitCoefficients(llvm::ArrayRef<float> weights,
                                 llvm::ArrayRef<float> bases,
                                 llvm::MutableArrayRef<float> coefficients,
                                 int64_t rows, int64_t k, int64_t m) {
  ConstMap w(weights.data(), rows, k), b(bases.data(), m, k);
  Map c(coefficients.data(), rows, m);
  std::vector<int64_t> keep;
  for (int64_t r = 0; r < rows; ++r) {
    keep.clear();
    for (int64_t j = 0; j < m; ++j)
      if (c(r, j) != 0.0f)
        keep.push_back(j);
    if (keep.empty())
      continue;
    // Solve min || w_r - sum_{j in keep} x_j b_j || via the normal
    // equations of the surviving bases (at most M x M).
    Eigen::MatrixXd sub(keep.size(), k);
    for (size_t j = 0; j < keep.size(); ++j)
      sub.row(j) = b.row(keep[j]).cast<double>();
    Eigen::VectorXd x = (sub * sub.transpose())
                            .ldlt()
                            .solve(sub * w.row(r).transpose().cast<double>());
    for (size_t j = 0; j < keep.size(); ++j)
      c(r, keep[j]) = static_cast<float>(x[j]);
  }
}
