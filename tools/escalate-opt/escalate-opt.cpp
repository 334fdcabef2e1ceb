//===- escalate-opt.cpp - run passes and pipelines on escalate IR ---------===//
#include "escalate/InitAll.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  escalate::registerAllDialects(registry);
  escalate::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "ESCALATE optimizer driver\n", registry));
}
