//===- Tool.cpp - what every command-line tool shares ---------------------===//
#include "escalate/Support/Tool.h"
#include "GitRevision.inc"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

using namespace escalate;

std::string tool::versionLine(llvm::StringRef tool) {
  return (tool + " " + ESCALATE_VERSION + " (git " + ESCALATE_GIT_REVISION +
          ")")
      .str();
}

void tool::installVersionPrinter(llvm::StringRef tool) {
  static std::string line;
  line = versionLine(tool);
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << line << "\n  built with LLVM and MLIR " << LLVM_VERSION_STRING
       << "\n";
  });
}

std::string tool::groupThousands(llvm::StringRef digits) {
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

std::string tool::elideMiddle(llvm::StringRef text, size_t width) {
  if (text.size() <= width)
    return text.str();
  if (width <= 3)
    return text.take_front(width).str();
  size_t head = (width - 3) / 2, tail = width - 3 - head;
  return (text.take_front(head) + "..." + text.take_back(tail)).str();
}

/// A tensor file argument, possibly bound by name: x.npy, x.pb, name=x.npy.
static bool isTensorFile(llvm::StringRef arg) {
  if (arg.starts_with("-"))
    return false;
  llvm::StringRef file = arg.contains('=') ? arg.split('=').second : arg;
  return file.ends_with(".npy") || file.ends_with(".pb");
}

std::vector<const char *>
tool::expandFileLists(int argc, char **argv,
                      llvm::ArrayRef<llvm::StringRef> flags,
                      std::vector<std::string> &storage) {
  // Two passes: `storage` must not reallocate once pointers into it exist.
  std::vector<std::pair<int, std::string>> rewritten;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--")
      break;
    llvm::StringRef name = arg.ltrim('-');
    llvm::StringRef flag = name.split('=').first;
    if (name.size() == arg.size() || !llvm::is_contained(flags, flag))
      continue;
    // The flag's own value: `--input=a.npy` or `--input a.npy`.
    if (!name.contains('='))
      ++i;
    for (; i + 1 < argc && isTensorFile(argv[i + 1]); ++i)
      rewritten.emplace_back(i + 1, ("--" + flag + "=" + argv[i + 1]).str());
  }
  storage.clear();
  storage.reserve(rewritten.size());
  std::vector<const char *> args(argv, argv + argc);
  for (auto &[index, text] : rewritten) {
    storage.push_back(std::move(text));
    args[index] = storage.back().c_str();
  }
  return args;
}

llvm::Expected<std::vector<std::string>>
tool::bindInputs(llvm::ArrayRef<std::string> specs,
                 llvm::ArrayRef<std::string> names) {
  std::vector<std::string> files(names.size());
  std::vector<std::string> positional;
  auto list = [&] { return llvm::join(names, ", "); };
  for (const std::string &spec : specs) {
    llvm::StringRef s = spec;
    // NAME=FILE binds when NAME is an input's name; a path that merely
    // holds '=' is a file, unless it looks like a binding to no input.
    auto [name, file] = s.split('=');
    const std::string *it = llvm::find(names, name);
    if (!s.contains('=') || (it == names.end() && name.contains('/'))) {
      positional.push_back(spec);
      continue;
    }
    if (it == names.end())
      return llvm::createStringError("--input " + spec + ": no input is named '" +
                                     name + "' (the inputs: " + list() + ")");
    if (file.empty())
      return llvm::createStringError("--input " + spec + ": no file after '='");
    std::string &slot = files[it - names.begin()];
    if (!slot.empty())
      return llvm::createStringError("--input " + spec + ": input '" + name +
                                     "' is given twice");
    slot = file.str();
  }
  size_t next = 0;
  for (std::string &slot : files)
    if (slot.empty() && next < positional.size())
      slot = positional[next++];
  size_t given = specs.size();
  if (next < positional.size() ||
      llvm::any_of(files, [](const std::string &f) { return f.empty(); }))
    return llvm::createStringError(
        "needs " + llvm::Twine(names.size()) +
        (names.size() == 1 ? " input (" : " inputs (") + list() + "); " +
        llvm::Twine(given) + " --input file" + (given == 1 ? "" : "s") +
        " given");
  return files;
}
