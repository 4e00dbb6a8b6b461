#include "gizrig/engine/engine_runner.h"

#include <QDateTime>
#include <QPointer>

#include "gizrig/engine/scenario_duration.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::core {

ScenarioRunner::ScenarioRunner(RunContext context, ActionRegistry actions, QObject* parent)
    : QObject(parent), context_(std::move(context)), actions_(std::move(actions)) {
  if (context_.mcu != nullptr) connect(context_.mcu, &McuPlug::event, this, &ScenarioRunner::postEvent);
  if (context_.app != nullptr) connect(context_.app, &AppPlug::event, this, &ScenarioRunner::postEvent);
  for (QObject* source : context_.eventSources) {
    // String-based on purpose: any QObject with the signal will do, no common base class needed.
    if (source == nullptr ||
        !connect(source, SIGNAL(event(QString, QVariantMap)), this, SLOT(postEvent(QString, QVariantMap)))) {
      qWarning("ScenarioRunner: an event source has no signal event(QString, QVariantMap)");
    }
  }
}

ScenarioRunner::~ScenarioRunner() {
  cancelTimers();
}

std::int64_t ScenarioRunner::epochNow() const {
  return epochStart_ + (context_.clock.nowMs() - clockStart_);
}

void ScenarioRunner::log(const QString& line) {
  const RigMillis since = context_.clock.nowMs() - clockStart_;
  emit logLine(
      QStringLiteral("[%1.%2s] %3").arg(since / 1000).arg(since % 1000, 3, 10, QLatin1Char('0')).arg(line));
}

bool ScenarioRunner::start(const Scenario& scenario) {
  if (running_) return false;
  scenario_ = scenario;
  history_.clear();
  results_.clear();
  lastResult_.clear();
  running_ = true;
  clockStart_ = context_.clock.nowMs();
  epochStart_ = options_.startedEpochMs.value_or(QDateTime::currentMSecsSinceEpoch());
  recordIndex_ = 0;
  windowStartSeq_ = history_.nextSeq();

  record_ = RunRecord{};
  record_.id = QUuid::createUuid();
  record_.station = options_.station;
  record_.trace = options_.trace;
  record_.slot = options_.slot;
  record_.operatorName = options_.operatorName;
  record_.scenario = scenario.name;
  record_.mode = options_.mode;
  record_.startedMs = epochStart_;
  record_.dut.did = context_.did;
  if (options_.store != nullptr && !options_.store->beginRun(record_)) {
    log(QStringLiteral("record store: %1").arg(options_.store->lastError()));
  }
  log(QStringLiteral("scenario %1 (%2)").arg(scenario.name, scenario.file));

  if (!setupHook_) {
    beginSteps();
    return true;
  }
  phase_ = Phase::Setup;
  const quint64 token = ++token_;
  QPointer<ScenarioRunner> self(this);
  log(QStringLiteral("setup %1").arg(setupStateName(scenario.setup)));
  setupHook_(scenario_, context_, [self, token](const QString& error) {
    if (!self || self->token_ != token || self->phase_ != Phase::Setup) return;
    if (error.isEmpty()) {
      self->beginSteps();
      return;
    }
    StepRecord step;
    step.name = QStringLiteral("setup");
    step.startedMs = self->epochStart_;
    step.durationMs = self->epochNow() - self->epochStart_;
    step.outcome = Outcome::Error;
    step.message = error;
    self->record_.steps.push_back(step);
    emit self->stepFinished(step);
    if (self->options_.store != nullptr) self->options_.store->addStep(self->record_.id, step);
    self->log(QStringLiteral("setup: ERROR %1").arg(error));
    self->finishRun();
  });
  return true;
}

void ScenarioRunner::beginSteps() {
  phase_ = Phase::Steps;
  list_ = &scenario_.steps;
  listIndex_ = 0;
  nextStep();
}

void ScenarioRunner::nextStep() {
  if (listIndex_ >= list_->size()) {
    if (phase_ == Phase::Steps && !scenario_.teardown.empty()) {
      phase_ = Phase::Teardown;
      list_ = &scenario_.teardown;
      listIndex_ = 0;
      log(QStringLiteral("teardown"));
    } else {
      finishRun();
      return;
    }
  }
  step_ = &(*list_)[listIndex_];
  attempt_ = 0;
  stepStartedAt_ = context_.clock.nowMs();
  stepStartSeq_ = history_.nextSeq();
  emit stepStarted(recordIndex_, step_->name);
  beginAttempt();
}

void ScenarioRunner::beginAttempt() {
  ++token_;
  waiting_ = false;
  switch (step_->kind) {
    case StepKind::Action:
      runAction();
      return;
    case StepKind::Expect:
      runExpect();
      return;
    case StepKind::Measure:
      runMeasure();
      return;
    case StepKind::Wait: {
      armDeadline(step_->waitMs, [this] { finishAttempt(ActionResult::pass()); });
      return;
    }
  }
}

void ScenarioRunner::armDeadline(RigMillis ms, std::function<void()> onDeadline) {
  const quint64 token = token_;
  deadline_ = context_.clock.callAfter(ms, this, [this, token, onDeadline = std::move(onDeadline)] {
    deadline_ = 0;
    if (token == token_ && running_) onDeadline();
  });
}

void ScenarioRunner::cancelTimers() {
  if (deadline_ != 0) context_.clock.cancel(deadline_);
  deadline_ = 0;
}

// ---- do --------------------------------------------------------------------------------------------------

void ScenarioRunner::runAction() {
  const ActionSpec* spec = actions_.find(step_->action);
  if (spec == nullptr || !spec->handler) {
    finishAttempt(ActionResult::error(QStringLiteral("no handler for action \"%1\"").arg(step_->action)));
    return;
  }
  ActionCall call;
  call.action = step_->action;
  call.params = step_->params;
  call.timeoutMs = step_->timeout.value_or(spec->defaultTimeoutMs);
  call.history = &history_;
  const RigMillis limit = call.timeoutMs + options_.actionGraceMs;
  armDeadline(limit, [this, limit] {
    finishAttempt(ActionResult::error(
        QStringLiteral("%1 did not complete within %2").arg(step_->action, formatDuration(limit))));
  });
  const quint64 token = token_;
  QPointer<ScenarioRunner> self(this);
  spec->handler(call, context_, [self, token](const ActionResult& result) {
    if (!self || self->token_ != token || !self->running_) return;  // late, or the step moved on
    self->finishAttempt(result);
  });
}

// ---- expect ----------------------------------------------------------------------------------------------

bool ScenarioRunner::tryExpect() {
  RecordedEvent* event = history_.firstUnconsumed(step_->event, step_->where, windowStartSeq_);
  if (event == nullptr) return false;
  event->consumed = true;
  QVariantMap values = event->fields;
  values.insert(QStringLiteral("latencyMs"), static_cast<qlonglong>(event->time - stepStartedAt_));
  finishAttempt(ActionResult::pass(values));
  return true;
}

void ScenarioRunner::runExpect() {
  if (tryExpect()) return;
  waiting_ = true;
  armDeadline(*step_->within, [this] {
    QString message = QStringLiteral("no %1").arg(step_->event);
    if (!step_->where.empty()) message += QStringLiteral(" matching %1").arg(describeWhere(step_->where));
    message += QStringLiteral(" within %1").arg(formatDuration(*step_->within));
    if (!step_->where.empty()) {
      if (const RecordedEvent* near = history_.latest(step_->event, {}, windowStartSeq_)) {
        for (const FieldCondition& condition : step_->where) {
          QString why;
          if (!conditionHolds(condition, fieldAt(near->fields, condition.field), &why)) {
            message += QStringLiteral(" (the latest one: %1)").arg(why);
            break;
          }
        }
      }
    }
    finishAttempt(ActionResult::fail(message));
  });
}

void ScenarioRunner::postEvent(const QString& name, const QVariantMap& fields) {
  if (!running_) return;
  history_.append(name, fields, context_.clock.nowMs());
  if (waiting_) checkWaiting();
}

void ScenarioRunner::checkWaiting() {
  if (step_ == nullptr) return;
  if (step_->kind == StepKind::Expect) {
    tryExpect();
  } else if (step_->kind == StepKind::Measure) {
    tryMeasure(false);
  }
}

// ---- measure ---------------------------------------------------------------------------------------------

namespace {

// A measurement's value: a number when it is one (or when limits ask for one and the text parses), else
// text; bytes as hex.
Measurement measurementOf(const Step& step, const QVariant& value) {
  Measurement m;
  m.name = step.measure;
  m.unit = step.unit;
  m.low = step.low;
  m.high = step.high;
  const bool isText = value.typeId() == QMetaType::QString || value.typeId() == QMetaType::QByteArray;
  const auto number = numberOf(value);
  if (number && (!isText || step.low || step.high)) {
    m.value = *number;
  } else if (value.typeId() == QMetaType::QByteArray) {
    m.value = QString::fromLatin1(value.toByteArray().toHex());
  } else {
    m.value = value.toString();
  }
  m.verdict = judgeMeasurement(m);
  return m;
}

}  // namespace

// Finds the value; completes the attempt when found (or when `final`, with FAIL). False while waiting.
bool ScenarioRunner::tryMeasure(bool final) {
  const Step& step = *step_;
  QVariant value;
  QString missing;
  switch (step.source) {
    case MeasureSource::ActionResult: {
      // "@<step name>.<field>": step names may contain dots, so the longest name with a result wins.
      QString ref = step.stepRef;
      QString field = step.field;
      const QString whole = step.stepRef + QLatin1Char('.') + step.field;
      for (qsizetype dot = whole.lastIndexOf(QLatin1Char('.')); dot > 0;
           dot = whole.lastIndexOf(QLatin1Char('.'), dot - 1)) {
        if (results_.contains(whole.left(dot))) {
          ref = whole.left(dot);
          field = whole.mid(dot + 1);
          break;
        }
      }
      const bool last = ref == QLatin1String("last");
      if (!last && !results_.contains(ref)) {
        missing = QStringLiteral("no earlier step \"%1\" with a result").arg(ref);
        break;
      }
      const QVariantMap& result = last ? lastResult_ : results_[ref];
      value = fieldAt(result, field);
      if (!value.isValid()) missing = QStringLiteral("@%1 has no field \"%2\"").arg(ref, field);
      break;
    }
    case MeasureSource::Event: {
      QString eventName = step.event;
      QString field = step.field;
      if (eventName.isEmpty()) {
        // "mcu.ack.ntp": the longest event-name prefix that occurred in the window.
        const QStringList parts = step.from.split(QLatin1Char('.'));
        for (qsizetype k = parts.size() - 1; k >= 2; --k) {
          const QString candidate = parts.mid(0, k).join(QLatin1Char('.'));
          if (history_.latest(candidate, step.where, windowStartSeq_) != nullptr) {
            eventName = candidate;
            field = parts.mid(k).join(QLatin1Char('.'));
            break;
          }
        }
      }
      const RecordedEvent* event =
          eventName.isEmpty() ? nullptr : history_.latest(eventName, step.where, windowStartSeq_);
      if (event == nullptr) {
        missing = QStringLiteral("no event for %1").arg(step.from.isEmpty() ? step.event : step.from);
        if (!step.where.empty()) missing += QStringLiteral(" matching %1").arg(describeWhere(step.where));
        break;
      }
      value = fieldAt(event->fields, field);
      if (!value.isValid()) missing = QStringLiteral("%1 has no field \"%2\"").arg(eventName, field);
      break;
    }
    case MeasureSource::Interval: {
      // The latest "to", and the latest "from" before it: for one event name, the period between the last
      // two; for two, e.g. the last login to the drop that followed it.
      const RecordedEvent* toEvent = history_.latest(step.toEvent, {}, 1);
      const RecordedEvent* fromEvent = nullptr;
      if (toEvent != nullptr) {
        for (const RecordedEvent& event : history_.events()) {
          if (event.seq >= toEvent->seq) break;
          if (event.name == step.fromEvent) fromEvent = &event;
        }
      }
      if (toEvent == nullptr) {
        missing = QStringLiteral("no %1 yet").arg(step.toEvent);
      } else if (fromEvent == nullptr) {
        missing = QStringLiteral("no %1 before the latest %2").arg(step.fromEvent, step.toEvent);
      } else {
        value = static_cast<double>(toEvent->time - fromEvent->time);
      }
      break;
    }
  }
  if (!missing.isEmpty()) {
    if (!final && step.within) return false;
    if (step.within) missing += QStringLiteral(" within %1").arg(formatDuration(*step.within));
    Measurement m;
    m.name = step.measure;
    m.unit = step.unit;
    m.low = step.low;
    m.high = step.high;
    m.value = QStringLiteral("(missing)");
    m.verdict = Outcome::Fail;
    finishAttempt(ActionResult::fail(missing), m);
    return true;
  }
  Measurement m = measurementOf(step, value);
  if (m.verdict == Outcome::Pass) {
    finishAttempt(ActionResult::pass({{QStringLiteral("value"), value}}), m);
  } else {
    QString limits = QStringLiteral("[%1, %2]")
                         .arg(step.low ? QString::number(*step.low) : QStringLiteral("-"),
                              step.high ? QString::number(*step.high) : QStringLiteral("-"));
    finishAttempt(
        ActionResult::fail(QStringLiteral("%1 = %2 outside %3").arg(m.name, measurementValueText(m), limits)),
        m);
  }
  return true;
}

void ScenarioRunner::runMeasure() {
  if (tryMeasure(false)) return;
  waiting_ = true;
  armDeadline(*step_->within, [this] { tryMeasure(true); });
}

// ---- bookkeeping -----------------------------------------------------------------------------------------

void ScenarioRunner::finishAttempt(const ActionResult& result, std::optional<Measurement> measurement) {
  cancelTimers();
  waiting_ = false;
  ++token_;  // late callbacks of this attempt are ignored from now on
  if (result.outcome != Outcome::Pass && attempt_ < step_->retry) {
    ++attempt_;
    log(QStringLiteral("%1: %2 (%3), attempt %4 of %5")
            .arg(step_->name, outcomeName(result.outcome), result.message)
            .arg(attempt_ + 1)
            .arg(step_->retry + 1));
    beginAttempt();
    return;
  }
  recordStep(result, std::move(measurement));
}

void ScenarioRunner::recordStep(const ActionResult& result, std::optional<Measurement> measurement) {
  const Step& step = *step_;
  StepRecord record;
  record.name = step.name;
  record.index = recordIndex_++;
  record.startedMs = epochStart_ + (stepStartedAt_ - clockStart_);
  record.durationMs = context_.clock.nowMs() - stepStartedAt_;
  record.outcome = result.outcome;
  record.message = result.message;
  if (attempt_ > 0 && !record.message.isEmpty()) {
    record.message += QStringLiteral(" (after %1 attempts)").arg(attempt_ + 1);
  }
  // An expectation or a measurement proves the scenario's clauses unless it names its own; an action proves
  // only what it names.
  record.clauses = step.clauses;
  if (record.clauses.isEmpty() && (step.kind == StepKind::Expect || step.kind == StepKind::Measure)) {
    record.clauses = scenario_.clauses;
  }
  if (measurement) record.measurements.push_back(*measurement);
  judgeStep(record);

  if (result.outcome == Outcome::Pass && step.kind != StepKind::Wait) {
    results_.insert(step.name, result.values);
    if (step.kind == StepKind::Action || step.kind == StepKind::Expect) lastResult_ = result.values;
  }
  if (step.kind == StepKind::Action && result.outcome == Outcome::Pass) noteDutIds(result.values);
  record_.steps.push_back(record);
  log(QStringLiteral("step %1 %2: %3%4 (%5 ms)")
          .arg(record.index)
          .arg(record.name, outcomeName(record.outcome),
               record.message.isEmpty() ? QString() : QStringLiteral(" - ") + record.message)
          .arg(record.durationMs));
  if (options_.store != nullptr && !options_.store->addStep(record_.id, record)) {
    log(QStringLiteral("record store: %1").arg(options_.store->lastError()));
  }
  emit stepFinished(record);
  if (!running_) return;  // a slot aborted the run

  // The next step's expect window starts where this step began.
  windowStartSeq_ = stepStartSeq_;
  ++listIndex_;
  const bool stop =
      record.outcome == Outcome::Error || (record.outcome == Outcome::Fail && !step.continueOnFail);
  if (stop && phase_ == Phase::Steps) {
    const std::size_t skipped = list_->size() - listIndex_;
    if (skipped > 0) log(QStringLiteral("%1 step(s) skipped").arg(skipped));
    listIndex_ = list_->size();
  }
  nextStep();
}

// What the DUT told about itself (discovery: did, mac; 0x22 and 0014: versions) goes into the record's DUT
// ids and versions; the first answer wins.
void ScenarioRunner::noteDutIds(const QVariantMap& values) {
  auto fill = [&values](QString& target, const char* key) {
    const QString value = values.value(QLatin1String(key)).toString();
    if (target.isEmpty() && !value.isEmpty()) target = value;
  };
  fill(record_.dut.did, "did");
  fill(record_.dut.mac, "mac");
  fill(record_.versions.wifiHw, "hard_ver");
  fill(record_.versions.wifiSw, "soft_ver");
  fill(record_.versions.wifiHw, "wifiHardVer");
  fill(record_.versions.wifiSw, "wifiSoftVer");
  fill(record_.versions.mcuHw, "mcuHardVer");
  fill(record_.versions.mcuSw, "mcuSoftVer");
  fill(record_.versions.firmware, "firmwareVersion");
}

void ScenarioRunner::abort(const QString& reason) {
  if (!running_) return;
  cancelTimers();
  waiting_ = false;
  ++token_;
  if (phase_ == Phase::Setup) {
    StepRecord step;
    step.name = QStringLiteral("setup");
    step.startedMs = epochStart_;
    step.durationMs = epochNow() - epochStart_;
    step.outcome = Outcome::Error;
    step.message = QStringLiteral("aborted: %1").arg(reason);
    record_.steps.push_back(step);
    if (options_.store != nullptr) options_.store->addStep(record_.id, step);
    emit stepFinished(step);
  } else if (step_ != nullptr && phase_ != Phase::Idle) {
    const Step* current = step_;
    StepRecord record;
    record.name = current->name;
    record.index = recordIndex_++;
    record.startedMs = epochStart_ + (stepStartedAt_ - clockStart_);
    record.durationMs = context_.clock.nowMs() - stepStartedAt_;
    record.outcome = Outcome::Error;
    record.message = QStringLiteral("aborted: %1").arg(reason);
    record.clauses = current->clauses;
    record_.steps.push_back(record);
    if (options_.store != nullptr) options_.store->addStep(record_.id, record);
    emit stepFinished(record);
  }
  log(QStringLiteral("aborted: %1").arg(reason));
  finishRun();
}

void ScenarioRunner::finishRun() {
  if (!running_) return;
  cancelTimers();
  waiting_ = false;
  step_ = nullptr;
  phase_ = Phase::Idle;
  core::finishRun(record_, epochNow());
  if (options_.store != nullptr && !options_.store->finishRun(record_)) {
    log(QStringLiteral("record store: %1").arg(options_.store->lastError()));
  }
  log(QStringLiteral("scenario %1: %2").arg(scenario_.name, outcomeName(*record_.outcome)));
  running_ = false;
  const RunRecord record = record_;  // a slot may start the next run
  emit finished(record);
}

}  // namespace gizrig::core
