//===- FileIO.cpp - writing output files safely ---------------------------===//
#include "escalate/Support/FileIO.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

using namespace escalate;

llvm::Error escalate::writeFileAtomically(
    llvm::StringRef path, llvm::function_ref<void(llvm::raw_ostream &)> fn) {
  auto bad = [&](const llvm::Twine &msg) {
    return llvm::createStringError(path + ": " + msg);
  };
  llvm::SmallString<128> tmp;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(path + ".tmp-%%%%%%", fd, tmp))
    return bad("cannot create: " + ec.message());
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    fn(os);
    os.close();
    if (os.has_error()) {
      os.clear_error();
      llvm::sys::fs::remove(tmp);
      return bad("write failed");
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    llvm::sys::fs::remove(tmp);
    return bad("cannot rename into place: " + ec.message());
  }
  return llvm::Error::success();
}
