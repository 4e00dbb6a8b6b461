#include "engineer/engineer_composer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>
#include <cmath>

#include "engineer/engineer_inject.h"
#include "engineer/engineer_session.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/virtual/virtual_world.h"

namespace gizrig::gui {

namespace {

QString resultText(const QString& what, const core::ActionResult& result) {
  if (result.outcome == core::Outcome::Pass) {
    const QVariant rtt = result.values.value(QStringLiteral("roundTripMs"));
    return rtt.isValid() ? QObject::tr("%1: ACK in %2 ms").arg(what, rtt.toString())
                         : QObject::tr("%1: done").arg(what);
  }
  return QObject::tr("%1: %2 (%3)").arg(what, core::outcomeName(result.outcome), result.message);
}

}  // namespace

EngineerComposer::EngineerComposer(EngineerSession& session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      commandsBox_(new QGroupBox(tr("Module actions (MCU requests)"), this)),
      inject_(new EngineerInjectPanel(session, this)),
      pointsBox_(new QGroupBox(tr("Data points (0x05 report)"), this)) {
  QGroupBox* commands = commandsBox_;
  auto* grid = new QGridLayout(commands);
  struct Button {
    const char* label;
    const char* cmd;
    const char* method;
  };
  const Button buttons[] = {
      {"0x09 Enter SoftAP", "configMode", "softap"},
      {"0x09 Enter AirLink", "configMode", "airlink"},
      {"0x0B Reset module", "reset", ""},
      {"0x13 Production test", "production", ""},
      {"0x15 Open bind window", "bind", ""},
      {"0x17 Network time", "time", ""},
      {"0x21 Module info", "moduleInfo", ""},
      {"0x29 Restart module", "restart", ""},
  };
  int i = 0;
  for (const Button& b : buttons) {
    auto* button = new QPushButton(tr(b.label), commands);
    button->setObjectName(QStringLiteral("cmd_%1_%2").arg(QLatin1String(b.cmd), QLatin1String(b.method)));
    const QString cmd = QLatin1String(b.cmd);
    const QString method = QLatin1String(b.method);
    connect(button, &QPushButton::clicked, this, [this, cmd, method] { sendCommand(cmd, method); });
    grid->addWidget(button, i / 4, i % 4);
    ++i;
  }
  // The virtual world and a lab have a phone: SoftAP onboarding to the home router (the module must be in
  // SoftAP). A module on a serial port has none; the session says so.
  auto* onboard =
      new QPushButton(tr("Onboard to %1 (phone)").arg(QLatin1String(core::kVirtualHomeSsid)), commands);
  connect(onboard, &QPushButton::clicked, this, [this] {
    emit message(tr("onboarding…"));
    session_.onboard([this](const QString& error) {
      emit message(error.isEmpty() ? tr("onboarding: done") : tr("onboarding: %1").arg(error));
    });
  });
  grid->addWidget(onboard, 2, 0, 1, 2);

  pointsForm_ = new QFormLayout;
  auto* pointsLayout = new QVBoxLayout(pointsBox_);
  auto* scroll = new QScrollArea(pointsBox_);
  auto* inner = new QWidget(scroll);
  inner->setLayout(pointsForm_);
  scroll->setWidget(inner);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  pointsLayout->addWidget(scroll, 1);
  auto* send = new QPushButton(tr("Send report"), pointsBox_);
  send->setObjectName(QStringLiteral("sendReport"));
  connect(send, &QPushButton::clicked, this, &EngineerComposer::sendReport);
  pointsLayout->addWidget(send, 0, Qt::AlignRight);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(commands);
  auto* injectBox = new QGroupBox(tr("Raw bytes and faults"), this);
  auto* injectLayout = new QVBoxLayout(injectBox);
  injectLayout->addWidget(inject_);
  layout->addWidget(injectBox);
  connect(inject_, &EngineerInjectPanel::message, this, &EngineerComposer::message);
  layout->addWidget(pointsBox_, 1);
  rebuild();
}

void EngineerComposer::sendCommand(const QString& cmd, const QString& method) {
  QVariantMap params{{QStringLiteral("cmd"), cmd}};
  if (!method.isEmpty()) params.insert(QStringLiteral("method"), method);
  const QString what = method.isEmpty() ? cmd : QStringLiteral("%1 %2").arg(cmd, method);
  emit message(tr("%1: sent").arg(what));
  session_.runAction(QStringLiteral("mcu.send"), params,
                     [this, what](const core::ActionResult& r) { emit message(resultText(what, r)); });
}

void EngineerComposer::rebuild() {
  while (pointsForm_->rowCount() > 0) pointsForm_->removeRow(0);
  editors_.clear();
  const core::McuPlug* mcu = session_.mcu();
  pointsBox_->setEnabled(mcu != nullptr);
  commandsBox_->setEnabled(mcu != nullptr);
  inject_->refresh();
  if (mcu == nullptr) return;
  const auto& attrs = mcu->product().attrs;
  for (int a = 0; a < static_cast<int>(attrs.size()); ++a) {
    QWidget* editor = editorFor(a);
    const auto& attr = attrs[static_cast<std::size_t>(a)];
    const QString name = QString::fromStdString(attr.name);
    editor->setObjectName(QStringLiteral("dp_") + name);
    editors_.insert(name, editor);
    // The point's name is what scenarios and captures use; the product's display name (often Chinese) is
    // the tooltip.
    auto* label = new QLabel(name, this);
    label->setToolTip(QString::fromStdString(attr.displayName));
    editor->setToolTip(QString::fromStdString(attr.displayName));
    pointsForm_->addRow(label, editor);
  }
}

QWidget* EngineerComposer::editorFor(int attrIndex) {
  const auto& attr = session_.mcu()->product().attrs[static_cast<std::size_t>(attrIndex)];
  const QVariant current = session_.mcu()->dataPoint(QString::fromStdString(attr.name));
  using gagent::proto::DataType;
  switch (attr.dataType) {
    case DataType::Bool: {
      auto* box = new QCheckBox(this);
      box->setChecked(current.toBool());
      return box;
    }
    case DataType::Enum: {
      auto* combo = new QComboBox(this);
      for (const auto& name : attr.enumNames) combo->addItem(QString::fromStdString(name));
      combo->setCurrentText(current.toString());
      return combo;
    }
    case DataType::Binary: {
      auto* edit = new QLineEdit(this);
      edit->setPlaceholderText(tr("hex bytes"));
      edit->setText(QString::fromLatin1(current.toByteArray().toHex()));
      return edit;
    }
    default: {
      // Display range: raw min/max through ratio and addition (§ product JSON uint_spec).
      const auto& spec = attr.uintSpec;
      auto* spin = new QDoubleSpinBox(this);
      spin->setDecimals(spec.decimals);
      const double a = spec.min * spec.ratio + spec.addition;
      const double b = spec.max * spec.ratio + spec.addition;
      spin->setRange(std::min(a, b), std::max(a, b));
      spin->setSingleStep(std::abs(spec.ratio));
      spin->setValue(current.toDouble());
      return spin;
    }
  }
}

QVariantMap EngineerComposer::formValues() const {
  QVariantMap values;
  for (auto it = editors_.begin(); it != editors_.end(); ++it) {
    if (auto* box = qobject_cast<QCheckBox*>(it.value()))
      values.insert(it.key(), box->isChecked());
    else if (auto* combo = qobject_cast<QComboBox*>(it.value()))
      values.insert(it.key(), combo->currentText());
    else if (auto* spin = qobject_cast<QDoubleSpinBox*>(it.value()))
      values.insert(it.key(), spin->value());
    else if (auto* edit = qobject_cast<QLineEdit*>(it.value()))
      values.insert(it.key(), edit->text());
  }
  return values;
}

void EngineerComposer::sendReport() {
  core::McuPlug* mcu = session_.mcu();
  if (mcu == nullptr) {
    emit message(tr("no module open"));
    return;
  }
  const QString error = mcu->setDataPoints(formValues(), true);
  emit message(error.isEmpty() ? tr("report sent") : tr("report refused: %1").arg(error));
}

}  // namespace gizrig::gui
