#include "gizrig/files/json_duplicates.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <vector>

namespace gizrig::core {

namespace {

struct Frame {
  bool object = false;
  QSet<QString> keys;  // objects: the keys seen so far
  QString key;         // objects: the key whose value is being read
  int index = 0;       // arrays: the element being read
};

// A key's text; escapes decoded so "a" and "\u0061" are the same key.
QString keyText(const QByteArray& raw) {
  if (!raw.contains('\\')) return QString::fromUtf8(raw);
  return QJsonDocument::fromJson("[\"" + raw + "\"]").array().at(0).toString();
}

QString pathOf(const std::vector<Frame>& stack, const QString& last) {
  QString path;
  for (std::size_t i = 0; i + 1 < stack.size(); ++i) {
    const Frame& frame = stack[i];
    if (frame.object) {
      path += (path.isEmpty() ? QString() : QStringLiteral(".")) + frame.key;
    } else {
      path += QStringLiteral("[%1]").arg(frame.index);
    }
  }
  return path.isEmpty() ? last : path + u'.' + last;
}

}  // namespace

std::optional<QString> findDuplicateJsonKey(const QByteArray& json) {
  std::vector<Frame> stack;
  bool expectKey = false;
  for (qsizetype i = 0; i < json.size(); ++i) {
    switch (json[i]) {
      case '{':
        stack.push_back(Frame{true, {}, {}, 0});
        expectKey = true;
        break;
      case '[':
        stack.push_back(Frame{false, {}, {}, 0});
        break;
      case '}':
      case ']':
        if (!stack.empty()) stack.pop_back();
        break;
      case ',':
        if (stack.empty()) break;
        if (stack.back().object) {
          expectKey = true;
        } else {
          ++stack.back().index;
        }
        break;
      case '"': {
        qsizetype end = i + 1;
        while (end < json.size() && json[end] != '"') end += json[end] == '\\' ? 2 : 1;
        if (expectKey && !stack.empty()) {
          const QString key = keyText(json.mid(i + 1, end - i - 1));
          Frame& frame = stack.back();
          if (frame.keys.contains(key)) return pathOf(stack, key);
          frame.keys.insert(key);
          frame.key = key;
          expectKey = false;
        }
        i = end;
        break;
      }
      default:
        break;
    }
  }
  return std::nullopt;
}

}  // namespace gizrig::core
