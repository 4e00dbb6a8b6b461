#pragma once
// A per-test stand-in M2M cloud: mosquitto (own run directory, free port), a registry map, the gate in front.
// The broker object reaps mosquitto in its destructor, so a failing test leaves no process behind.

#include <QMap>
#include <memory>

#include "cloud_test_support.h"
#include "gizrig/cloud/m2m_gate.h"
#include "gizrig/cloud/mosquitto_broker.h"

namespace gizrig::cloud::test {

// 22-character DIDs and a 32-character product key, as the real cloud issues them.
inline const std::string kDid = "DidAAAAAAAAAAAAAAAAAA1";
inline const std::string kOtherDid = "DidBBBBBBBBBBBBBBBBBB2";
inline const std::string kPasscode = "PASSCODE01";
inline const std::string kProductKey = "0123456789abcdef0123456789abcdef";

struct Login {
  QString did;
  GateVerdict verdict;
  int code;
};

class CloudLabTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    broker = std::make_unique<MosquittoBroker>();
    ASSERT_TRUE(broker->start()) << broker->lastError().toStdString();
    gate = std::make_unique<M2mGate>([this](const QString& did, const QString& passcode) {
      return registry.contains(did) && registry.value(did) == passcode;
    });
    ASSERT_TRUE(gate->listen()) << gate->errorString().toStdString();
    gate->setBroker(QHostAddress::LocalHost, broker->port());
    QObject::connect(gate.get(), &M2mGate::loginHandled, gate.get(),
                     [this](const QString& did, GateVerdict verdict, quint8 code) {
                       logins.push_back({did, verdict, code});
                     });
  }

  void TearDown() override {
    gate.reset();
    broker.reset();
  }

  // Registry and broker account together, as the lab's registration does.
  void registerDevice(const std::string& did, const std::string& passcode = kPasscode) {
    registry.insert(QString::fromStdString(did), QString::fromStdString(passcode));
    ASSERT_TRUE(broker->addDevice(QString::fromStdString(did), QString::fromStdString(passcode),
                                  QString::fromStdString(kProductKey)))
        << broker->lastError().toStdString();
  }

  // Logs `client` in through the gate and subscribes the three §3.7 topics, as the firmware does (S8.6).
  void loginAndSubscribe(RawMqttClient& client, const std::string& did) {
    ASSERT_EQ(client.login(gate->port(), did, kPasscode), 0);
    ASSERT_EQ(client.subscribe(1, "ser2cli_noti/" + kProductKey), 0);
    ASSERT_EQ(client.subscribe(2, "ser2cli_res/" + did), 0);
    ASSERT_EQ(client.subscribe(3, "app2dev/" + did + "/#"), 0);
  }

  bool waitLogins(std::size_t count) {
    return waitFor([&] { return logins.size() >= count; });
  }

  QMap<QString, QString> registry;
  std::unique_ptr<MosquittoBroker> broker;
  std::unique_ptr<M2mGate> gate;
  std::vector<Login> logins;
};

}  // namespace gizrig::cloud::test
