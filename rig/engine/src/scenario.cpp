#include "gizrig/engine/scenario.h"

namespace gizrig::core {

QString stepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::Action:
      return QStringLiteral("do");
    case StepKind::Expect:
      return QStringLiteral("expect");
    case StepKind::Measure:
      return QStringLiteral("measure");
    case StepKind::Wait:
      return QStringLiteral("wait");
  }
  return {};
}

QString setupStateName(SetupState state) {
  switch (state) {
    case SetupState::Any:
      return {};
    case SetupState::Unconfigured:
      return QStringLiteral("unconfigured");
    case SetupState::Station:
      return QStringLiteral("station");
    case SetupState::Production:
      return QStringLiteral("production");
  }
  return {};
}

}  // namespace gizrig::core
