#pragma once
// The runner's time-stamped event history: every `event(name, fields)` the plugs and controls emit during a
// run, in arrival order. Expectations and measurements search it, so an event that arrived while an earlier
// step was still running (a report racing the control's reply) is not lost.
//
// Matching rule (the one the runner uses): an `expect` matches the EARLIEST event with that name whose
// fields satisfy `where`, that arrived at or after the moment the PREVIOUS step began (for the first step:
// the run's start), and that no earlier `expect` consumed. A matched event is consumed, so two
// `expect app.report` steps need two reports. A `measure` reads the LATEST such event and consumes nothing.

#include <QString>
#include <QVariant>
#include <QVariantMap>
#include <deque>
#include <vector>

#include "gizrig/clock/rig_clock.h"
#include "gizrig/engine/scenario.h"

namespace gizrig::core {

struct RecordedEvent {
  quint64 seq = 0;  // arrival order, from 1
  RigMillis time = 0;
  QString name;
  QVariantMap fields;
  bool consumed = false;
};

class EventHistory {
 public:
  const RecordedEvent& append(const QString& name, const QVariantMap& fields, RigMillis time);
  void clear();
  // The seq the next event will get: a step remembers it when it begins.
  [[nodiscard]] quint64 nextSeq() const { return nextSeq_; }

  // Earliest unconsumed match with seq >= fromSeq; nullptr when none.
  [[nodiscard]] RecordedEvent* firstUnconsumed(const QString& name, const std::vector<FieldCondition>& where,
                                               quint64 fromSeq);
  // Latest match with seq >= fromSeq (consumed or not); nullptr when none.
  [[nodiscard]] const RecordedEvent* latest(const QString& name, const std::vector<FieldCondition>& where,
                                            quint64 fromSeq) const;
  // Earliest match with seq > afterSeq; nullptr when none.
  [[nodiscard]] const RecordedEvent* firstAfter(const QString& name, quint64 afterSeq) const;
  // The latest non-empty value of `field` in any event (e.g. "did" for cloud steps); invalid when none.
  [[nodiscard]] QVariant latestField(const QString& field) const;
  [[nodiscard]] bool contains(const QString& name, quint64 fromSeq) const;

  [[nodiscard]] const std::deque<RecordedEvent>& events() const { return events_; }

 private:
  std::deque<RecordedEvent> events_;
  quint64 nextSeq_ = 1;
};

// A field by path ("values.LED_R" descends into maps); invalid when absent.
[[nodiscard]] QVariant fieldAt(const QVariantMap& fields, const QString& path);
// True when `value` meets `condition`; otherwise false and `why` says what was there.
[[nodiscard]] bool conditionHolds(const FieldCondition& condition, const QVariant& value,
                                  QString* why = nullptr);
[[nodiscard]] bool eventMatches(const RecordedEvent& event, const QString& name,
                                const std::vector<FieldCondition>& where);
// A number when the value is one (bool, integer, double, or numeric text); nullopt otherwise.
[[nodiscard]] std::optional<double> numberOf(const QVariant& value);
// "{rssi: {min: 40}, values.LED_R: 12}" for messages.
[[nodiscard]] QString describeWhere(const std::vector<FieldCondition>& where);

}  // namespace gizrig::core
