// The module against a misbehaving real cloud (issue 4): mosquitto killed and restarted, a login refused by
// the M2M gate with 0x04, every other CONNACK code injected (S8.8, S8.9).
#include <signal.h>

#include "gizrig/cloud/mosquitto_broker.h"
#include "lab_fixture.h"

namespace gizrig::test {
namespace {

class LabCloudRecovery : public LabModuleTest {
 protected:
  int registrations() const { return registrations_; }
  void countRegistrations() {
    QObject::connect(&service_->registry(), &cloud::DeviceRegistry::deviceRegistered,
                     [this](const QString&, const QString&, const QString&) { ++registrations_; });
  }
  int registrations_ = 0;
};

TEST_F(LabCloudRecovery, S8_8_MosquittoKilledAndRestartedTheModuleReconnects) {
  onboardAndWaitForCloud();
  const qint64 pid = service_->broker().pid();
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(static_cast<pid_t>(pid), SIGKILL), 0);
  ASSERT_TRUE(waitForBit(kCloudBit, false, 20000)) << "the module did not notice the broker's death";
  ASSERT_TRUE(waitForBit(kCloudBit, true, 45000)) << "no reconnection after the broker came back";
  EXPECT_GE(service_->broker().restartCount(), 1);
  EXPECT_NE(service_->broker().pid(), pid);
}

TEST_F(LabCloudRecovery, S8_9_WrongPasscodeGets04FromTheGateAndTheModuleRegistersAgain) {
  onboardAndWaitForCloud();
  countRegistrations();
  // The cloud forgets the device: its DID/passcode no longer log in (the M2M answers 0x04, not mosquitto's
  // 0x05).
  ASSERT_TRUE(service_->registry().unregister(did()));
  ASSERT_TRUE(waitForBit(kCloudBit, false, 20000));
  ASSERT_TRUE(waitForBit(kCloudBit, true, 45000)) << "the module did not register and log in again";
  EXPECT_TRUE(verdicts_.contains(cloud::GateVerdict::BadCredentials));
  EXPECT_TRUE(codes_.contains(4));
  EXPECT_EQ(registrations(), 1);  // S8.9 0x04: register again (without unregistering)
  EXPECT_EQ(service_->registry().devices().size(), 1);
}

class LabConnackCodes : public LabCloudRecovery, public ::testing::WithParamInterface<int> {};

TEST_P(LabConnackCodes, S8_9_OtherCodesFollowTheReconnectScheduleWithoutRegistering) {
  onboardAndWaitForCloud();
  countRegistrations();
  const int code = GetParam();
  service_->gate().forceConnack(static_cast<gagent::proto::ConnackCode>(code), 1);
  service_->gate().dropAll();
  ASSERT_TRUE(waitForBit(kCloudBit, false, 10000));
  // S8.8.3: the first retry at once gets the injected code; the next one, 10 s later, is accepted.
  ASSERT_TRUE(waitForBit(kCloudBit, true, 40000));
  EXPECT_TRUE(codes_.contains(static_cast<quint8>(code)));
  EXPECT_TRUE(verdicts_.contains(cloud::GateVerdict::Forced));
  EXPECT_EQ(registrations(), 0);  // S8.9: do not re-register
}

INSTANTIATE_TEST_SUITE_P(Codes, LabConnackCodes, ::testing::Values(1, 2, 3, 5));

}  // namespace
}  // namespace gizrig::test
