//===- Nesting.cpp - bound the nesting depth of untrusted inputs ----------===//
#include "escalate/Support/Nesting.h"
#include "llvm/Support/FormatVariadic.h"

using namespace escalate;

llvm::Error escalate::checkTextNesting(llvm::StringRef text, int limit,
                                       llvm::StringRef hint) {
  int depth = 0, line = 1;
  size_t lineStart = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
    case '\n':
      ++line;
      lineStart = i + 1;
      break;
    case '"': // string literal, with backslash escapes
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
      break;
    case '/':
      if (i + 1 < text.size() && text[i + 1] == '/')
        while (i + 1 < text.size() && text[i + 1] != '\n')
          ++i;
      break;
    case '-':
      if (i + 1 < text.size() && text[i + 1] == '>')
        ++i;
      break;
    case '[':
    case '(':
    case '{':
    case '<':
      if (++depth > limit)
        return llvm::createStringError(llvm::formatv(
            "line {0}, column {1}: brackets nest deeper than {2} levels "
            "({3})",
            line, i - lineStart + 1, limit, hint));
      break;
    case ']':
    case ')':
    case '}':
    case '>':
      depth = depth > 0 ? depth - 1 : 0;
      break;
    default:
      break;
    }
  }
  return llvm::Error::success();
}

llvm::Error escalate::checkNestingLimit(int limit) {
  if (limit < 1)
    return llvm::createStringError("--max-nesting must be positive");
  return llvm::Error::success();
}

llvm::Expected<llvm::json::Value> escalate::parseJson(llvm::StringRef text,
                                                      int limit) {
  if (llvm::Error e = checkTextNesting(
          text, limit, "no JSON this project reads nests that deep"))
    return std::move(e);
  return llvm::json::parse(text);
}
