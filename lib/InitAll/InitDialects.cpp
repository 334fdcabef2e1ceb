//===- InitDialects.cpp - every dialect our IR uses -----------------------===//
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "escalate/Dialect/Escalate/IR/EscalateDialect.h"
#include "escalate/InitAll.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"

void escalate::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<EscalateDialect, escisa::EscIsaDialect,
                  mlir::func::FuncDialect, mlir::quant::QuantDialect>();
}
