#include "operator/plain_failure.h"

#include <QHash>

namespace gizrig::gui {

namespace {

QString sentenceFor(const QString& step) {
  // One entry per ProductionSequence::phaseNames(); the advice is what an operator can actually do.
  static const QHash<QString, QString> sentences{
      {QStringLiteral("flash"),
       QStringLiteral("The module could not be programmed with the station's firmware.")},
      {QStringLiteral("handshake"),
       QStringLiteral("The module does not talk to the tester. Check that it sits in the fixture properly.")},
      {QStringLiteral("versions_and_mac"),
       QStringLiteral("The module did not report its version and MAC address.")},
      {QStringLiteral("production_mode"), QStringLiteral("The module did not enter test mode.")},
      {QStringLiteral("test_routers_on"),
       QStringLiteral("The station's test WiFi could not be switched on. Call the line engineer.")},
      {QStringLiteral("join_test_router"), QStringLiteral("The module did not connect to the test WiFi.")},
      {QStringLiteral("lan_discovery"), QStringLiteral("The module cannot be found on the network.")},
      {QStringLiteral("passcode_login"), QStringLiteral("The tester could not log in to the module.")},
      {QStringLiteral("control_round_trip"),
       QStringLiteral("The module did not pass a command on to the device (or report it back).")},
      {QStringLiteral("signal_level"), QStringLiteral("The WiFi signal is too weak (antenna problem?).")},
      {QStringLiteral("exit_test"), QStringLiteral("The module did not leave test mode.")},
  };
  const auto it = sentences.constFind(step);
  if (it != sentences.constEnd()) return *it;
  QString readable = step;
  readable.replace('_', ' ');
  return QStringLiteral("The step \"%1\" failed.").arg(readable);
}

bool isTimeout(const QString& message) {
  return message.contains(QStringLiteral("did not complete")) || message.contains(QStringLiteral("within"));
}

}  // namespace

QString plainFailure(const QString& step, const QString& message) {
  if (step.isEmpty() && message.isEmpty()) return QStringLiteral("The test did not finish.");
  // An Abort (the operator's, or the window closing) says nothing about the module: no step sentence.
  if (message.startsWith(QStringLiteral("aborted: ")))
    return QStringLiteral("The test was stopped (%1). Press Retest when ready.").arg(message.mid(9));
  QString text = sentenceFor(step);
  if (isTimeout(message)) text += QStringLiteral(" It did not answer in time.");
  if (message.startsWith(QStringLiteral("rig:")) || message.contains(QStringLiteral("cannot open"))) {
    text += QStringLiteral(" This is a tester problem, not the module's: call the line engineer.");
  }
  return text;
}

}  // namespace gizrig::gui
