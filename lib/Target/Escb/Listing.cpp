//===- Listing.cpp - a program as an assembly listing ---------------------===//
#include "escalate/Target/Escb/Escb.h"
#include "llvm/Support/FormatVariadic.h"

using namespace escalate;

void escb::printListing(const isa::Program &p, llvm::raw_ostream &os) {
  os << "; " << p.code.size() << " instructions, " << p.dramBytes
     << " bytes of DRAM, hardware '" << p.hw.name << "'\n";
  for (auto [pc, inst] : llvm::enumerate(p.code)) {
    const isa::DebugRange *layer = p.layerOf(pc);
    if (layer && layer->begin == pc)
      os << "\n; layer '" << layer->name << "'\n";
    const isa::OpcodeDesc &d = isa::describe(inst.opcode);
    os << llvm::formatv("{0,6}  {1,-8}", pc, d.mnemonic);
    for (auto [i, f] : llvm::enumerate(d.fields))
      os << " " << f.name << "=" << inst.f[i];
    os << "\n";
  }
}
