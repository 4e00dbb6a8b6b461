#include "gizrig/plugs/mcu_wire.h"

#include <QStringList>
#include <vector>

namespace gizrig::core {

namespace proto = gagent::proto;

namespace {

// Wire bytes of a well-formed frame -> the same frame unescaped (header, len..checksum). Only used to
// mutate a frame the codec encoded, so the input is known to be correctly stuffed.
QByteArray unstuff(const QByteArray& wire) {
  QByteArray raw = wire.left(static_cast<qsizetype>(proto::kMcuHeaderSize));
  for (qsizetype i = raw.size(); i < wire.size(); ++i) {
    raw.append(wire[i]);
    if (static_cast<std::uint8_t>(wire[i]) == proto::kMcuHeaderByte) ++i;  // skip the stuffed 55
  }
  return raw;
}

QByteArray stuff(const QByteArray& raw) {
  QByteArray wire = raw.left(static_cast<qsizetype>(proto::kMcuHeaderSize));
  for (qsizetype i = wire.size(); i < raw.size(); ++i) {
    wire.append(raw[i]);
    if (static_cast<std::uint8_t>(raw[i]) == proto::kMcuHeaderByte)
      wire.append(static_cast<char>(proto::kMcuStuffByte));
  }
  return wire;
}

}  // namespace

McuWire::McuWire(SerialLink* link, RigClock* clock, QObject* parent)
    : QObject(parent), link_(link), clock_(clock) {}

bool McuWire::send(const proto::McuHeader& header, proto::Bytes payload, bool isAnswer) {
  std::vector<std::uint8_t> buffer(proto::mcuWireSize(header, payload));
  const std::size_t size = buffer.empty() ? 0 : proto::encodeMcuFrame(header, payload, buffer);
  if (size == 0) return false;
  QByteArray wire(reinterpret_cast<const char*>(buffer.data()), static_cast<qsizetype>(size));

  QStringList faults;
  Pending pending;
  pending.sent.header = header;
  pending.sent.payload =
      QByteArray(reinterpret_cast<const char*>(payload.data()), static_cast<qsizetype>(payload.size()));
  pending.notBefore = clock_->nowMs();

  if (faults_.corruptChecksums > 0) {
    --faults_.corruptChecksums;
    QByteArray raw = unstuff(wire);
    raw[raw.size() - 1] = static_cast<char>(static_cast<std::uint8_t>(raw.back()) + 1);
    wire = stuff(raw);
    faults << QStringLiteral("bad checksum");
    pending.sent.malformed = true;
  }
  if (faults_.unstuffedFf > 0) {
    --faults_.unstuffedFf;
    QByteArray raw = unstuff(wire);
    if (raw.indexOf(static_cast<char>(proto::kMcuHeaderByte), 2) < 0)
      raw.insert(raw.size() - 1, static_cast<char>(proto::kMcuHeaderByte));
    wire = raw;  // no stuffing at all: every FF after the header is bare
    faults << QStringLiteral("unstuffed FF");
    pending.sent.malformed = true;
  }
  if (isAnswer && faults_.dropAcks > 0) {
    --faults_.dropAcks;
    faults << QStringLiteral("dropped (not sent)");
    pending.sent.raw = wire;
    pending.sent.fault = faults.join(QStringLiteral(", "));
    pending.sent.dropped = true;
    emit sending(pending.sent);
    return true;
  }
  if (isAnswer && faults_.ackDelayMs > 0) {
    pending.notBefore += faults_.ackDelayMs;
    faults << QStringLiteral("delayed %1 ms").arg(faults_.ackDelayMs);
  }
  if (faults_.splitChunkBytes > 0 && wire.size() > faults_.splitChunkBytes) {
    for (qsizetype at = 0; at < wire.size(); at += faults_.splitChunkBytes)
      pending.chunks.push_back(wire.mid(at, faults_.splitChunkBytes));
    pending.gapMs = faults_.splitGapMs;
    faults << QStringLiteral("split %1 x %2 B, %3 ms apart")
                  .arg(pending.chunks.size())
                  .arg(faults_.splitChunkBytes)
                  .arg(faults_.splitGapMs);
  } else {
    pending.chunks.push_back(wire);
  }
  pending.sent.raw = wire;
  pending.sent.fault = faults.join(QStringLiteral(", "));
  queue_.push_back(std::move(pending));
  pump();
  return true;
}

void McuWire::sendRaw(const QByteArray& bytes) {
  Pending pending;
  pending.notBefore = clock_->nowMs();
  pending.chunks.push_back(bytes);
  pending.sent.raw = bytes;
  pending.sent.unframed = true;
  queue_.push_back(std::move(pending));
  pump();
}

void McuWire::pump() {
  if (pumping_) return;  // a write that made the peer answer at once: the outer loop carries on
  pumping_ = true;
  while (!queue_.empty()) {
    const RigMillis now = clock_->nowMs();
    if (now < queue_.front().notBefore) {
      schedule(queue_.front().notBefore);
      break;
    }
    if (!queue_.front().announced) {
      queue_.front().announced = true;
      const Sent sent = queue_.front().sent;  // a copy: a slot may queue more frames
      emit sending(sent);
    }
    const QByteArray chunk = queue_.front().chunks.front();
    queue_.front().chunks.pop_front();
    if (queue_.front().chunks.empty()) {
      queue_.pop_front();
    } else {
      queue_.front().notBefore = now + queue_.front().gapMs;
    }
    if (link_->isOpen()) link_->write(chunk);
  }
  pumping_ = false;
}

void McuWire::schedule(RigMillis at) {
  if (timer_ != 0 && timerAt_ <= at) return;
  if (timer_ != 0) clock_->cancel(timer_);
  timerAt_ = at;
  timer_ = clock_->callAt(at, this, [this] {
    timer_ = 0;
    pump();
  });
}

}  // namespace gizrig::core
