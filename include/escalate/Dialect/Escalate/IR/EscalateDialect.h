//===- EscalateDialect.h - escalate dialect ---------------------*- C++ -*-===//
#ifndef ESCALATE_DIALECT_ESCALATE_IR_ESCALATEDIALECT_H
#define ESCALATE_DIALECT_ESCALATE_IR_ESCALATEDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Dialect.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Mutex.h"

#include "escalate/Dialect/Escalate/IR/EscalateDialect.h.inc"

#endif
