// The air model's rules (docs/virtual-lab.md, the air protocol table), without sockets.
#include "gagent/air/air_model.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace gagent::air;

namespace {

constexpr ModuleId kModuleA = 1;
constexpr ModuleId kModuleB = 2;

struct Air {
  AirModel model;
  AirEvents events;

  Air() {
    model.addModule(kModuleA, "a0b1c2d3e4f5", "127.0.0.10");
    model.addModule(kModuleB, "0a1b2c3d4e5f", "127.0.0.11");
  }
  void addAp(const std::string& ssid, const std::string& password, std::uint8_t signal = kDefaultSignal) {
    model.addAccessPoint(ssid, password, signal, events);
  }
  std::vector<std::string> clients(const std::string& ssid) { return model.clientMacs(ssid).value(); }
};

AirEvent linkDown(ModuleId module, const std::string& ssid) {
  return {module, AirEvent::Kind::LinkDown, ssid, {}};
}

}  // namespace

TEST(AirModel, ScanListsPoweredAccessPointsInOrderWithTheDefaultSignal) {
  Air air;
  air.addAp("Home", "secret-pass");
  air.addAp("GIZWITS_TEST_1", "GIZWITS_TEST_PASS", 40);
  air.addAp("Cafe", "", 150);  // clamped
  air.model.setPower("GIZWITS_TEST_1", false, air.events);
  EXPECT_EQ(air.model.scan(kModuleA), (std::vector<ScanEntry>{{"Home", 70}, {"Cafe", 100}}));
  EXPECT_TRUE(air.model.scan(99).empty());  // an unknown module hears nothing
}

TEST(AirModel, JoinChecksTheWpa2PasswordAndFillsTheClientTable) {
  Air air;
  air.addAp("Home", "secret-pass");
  EXPECT_EQ(air.model.join(kModuleA, "Home", "wrong-pass"), JoinResult::WrongPassword);
  EXPECT_TRUE(air.clients("Home").empty());
  EXPECT_EQ(air.model.join(kModuleA, "Home", "secret-pass"), JoinResult::Ok);
  EXPECT_EQ(air.clients("Home"), std::vector<std::string>{"a0b1c2d3e4f5"});
  EXPECT_EQ(air.model.modules().at(kModuleA).stationSsid, "Home");
  EXPECT_TRUE(air.events.empty());
}

TEST(AirModel, AnOpenAccessPointTakesTheEmptyPassword) {
  Air air;
  air.addAp("Cafe", "");
  EXPECT_EQ(air.model.join(kModuleA, "Cafe", "something"), JoinResult::WrongPassword);
  EXPECT_EQ(air.model.join(kModuleA, "Cafe", ""), JoinResult::Ok);
}

TEST(AirModel, JoinWithoutAPoweredAccessPointIsNoAp) {
  Air air;
  EXPECT_EQ(air.model.join(kModuleA, "Home", "secret-pass"), JoinResult::NoAp);
  air.addAp("Home", "secret-pass");
  air.model.setPower("Home", false, air.events);
  EXPECT_EQ(air.model.join(kModuleA, "Home", "secret-pass"), JoinResult::NoAp);
  air.model.setPower("Home", true, air.events);
  EXPECT_EQ(air.model.join(kModuleA, "Home", "secret-pass"), JoinResult::Ok);
}

TEST(AirModel, JoiningAnotherAccessPointLeavesTheFirstWithoutALinkDown) {
  Air air;
  air.addAp("Home", "secret-pass");
  air.addAp("Office", "office-pass");
  ASSERT_EQ(air.model.join(kModuleA, "Home", "secret-pass"), JoinResult::Ok);
  EXPECT_EQ(air.model.join(kModuleA, "Office", "bad-password"), JoinResult::WrongPassword);
  EXPECT_TRUE(air.clients("Home").empty());
  EXPECT_EQ(air.model.modules().at(kModuleA).stationSsid, "");
  ASSERT_EQ(air.model.join(kModuleA, "Office", "office-pass"), JoinResult::Ok);
  air.model.leave(kModuleA);
  EXPECT_TRUE(air.clients("Office").empty());
  EXPECT_EQ(air.model.stationSignal(kModuleA), 0);
  EXPECT_TRUE(air.events.empty());
}

TEST(AirModel, PowerOffTellsEveryJoinedModuleLinkDownAndEmptiesTheClientTable) {
  Air air;
  air.addAp("Home", "secret-pass");
  air.addAp("Office", "office-pass");
  ASSERT_EQ(air.model.join(kModuleA, "Home", "secret-pass"), JoinResult::Ok);
  ASSERT_EQ(air.model.join(kModuleB, "Office", "office-pass"), JoinResult::Ok);
  EXPECT_TRUE(air.model.setPower("Home", false, air.events));
  EXPECT_EQ(air.events, (AirEvents{linkDown(kModuleA, "Home")}));
  EXPECT_TRUE(air.clients("Home").empty());
  EXPECT_EQ(air.model.modules().at(kModuleA).stationSsid, "");
  EXPECT_EQ(air.clients("Office"), std::vector<std::string>{"0a1b2c3d4e5f"});
  EXPECT_FALSE(air.model.setPower("Nowhere", false, air.events));
}

TEST(AirModel, S5_7_RebootClearsTheClientTableAndKeepsTheAccessPointUp) {
  Air air;
  air.addAp("GIZWITS_TEST_1", "GIZWITS_TEST_PASS");
  ASSERT_EQ(air.model.join(kModuleA, "GIZWITS_TEST_1", "GIZWITS_TEST_PASS"), JoinResult::Ok);
  ASSERT_EQ(air.model.join(kModuleB, "GIZWITS_TEST_1", "GIZWITS_TEST_PASS"), JoinResult::Ok);
  EXPECT_EQ(air.clients("GIZWITS_TEST_1").size(), 2u);
  EXPECT_TRUE(air.model.reboot("GIZWITS_TEST_1", air.events));
  EXPECT_EQ(air.events,
            (AirEvents{linkDown(kModuleA, "GIZWITS_TEST_1"), linkDown(kModuleB, "GIZWITS_TEST_1")}));
  EXPECT_TRUE(air.clients("GIZWITS_TEST_1").empty());
  EXPECT_TRUE(air.model.findAccessPoint("GIZWITS_TEST_1")->powered);
  EXPECT_EQ(air.model.join(kModuleA, "GIZWITS_TEST_1", "GIZWITS_TEST_PASS"), JoinResult::Ok);
  EXPECT_FALSE(air.model.reboot("Nowhere", air.events));
}

TEST(AirModel, RemoveRenameAndReplaceDropTheClients) {
  Air air;
  air.addAp("Home", "secret-pass");
  air.addAp("Office", "office-pass");
  ASSERT_EQ(air.model.join(kModuleA, "Home", "secret-pass"), JoinResult::Ok);
  ASSERT_EQ(air.model.join(kModuleB, "Office", "office-pass"), JoinResult::Ok);

  EXPECT_TRUE(air.model.rename("Home", "Home2", "new-pass", air.events));
  EXPECT_EQ(air.events, (AirEvents{linkDown(kModuleA, "Home")}));
  EXPECT_EQ(air.model.findAccessPoint("Home"), nullptr);
  EXPECT_EQ(air.model.join(kModuleA, "Home2", "secret-pass"), JoinResult::WrongPassword);
  EXPECT_EQ(air.model.join(kModuleA, "Home2", "new-pass"), JoinResult::Ok);

  air.events.clear();
  air.addAp("Office", "office-pass", 20);  // replaces
  EXPECT_EQ(air.events, (AirEvents{linkDown(kModuleB, "Office")}));
  EXPECT_EQ(air.model.accessPoints().size(), 2u);
  EXPECT_EQ(air.model.findAccessPoint("Office")->defaultSignal, 20);

  air.events.clear();
  EXPECT_TRUE(air.model.removeAccessPoint("Home2", air.events));
  EXPECT_EQ(air.events, (AirEvents{linkDown(kModuleA, "Home2")}));
  EXPECT_FALSE(air.model.removeAccessPoint("Home2", air.events));
  EXPECT_FALSE(air.model.clientMacs("Home2"));
}

TEST(AirModel, RenamingOntoAnExistingSsidReplacesThatAccessPoint) {
  Air air;
  air.addAp("Old", "old-password");
  air.addAp("Taken", "taken-password");
  ASSERT_EQ(air.model.join(kModuleB, "Taken", "taken-password"), JoinResult::Ok);
  EXPECT_TRUE(air.model.rename("Old", "Taken", "new-password", air.events));
  EXPECT_EQ(air.events, (AirEvents{linkDown(kModuleB, "Taken")}));
  ASSERT_EQ(air.model.accessPoints().size(), 1u);
  EXPECT_EQ(air.model.accessPoints()[0].password, "new-password");
}

TEST(AirModel, SignalIsPerModuleWithADefaultForTheRest) {
  Air air;
  air.addAp("Home", "secret-pass", 60);
  EXPECT_TRUE(air.model.setSignal("Home", std::string("a0b1c2d3e4f5"), 25));
  EXPECT_EQ(air.model.scan(kModuleA), (std::vector<ScanEntry>{{"Home", 25}}));
  EXPECT_EQ(air.model.scan(kModuleB), (std::vector<ScanEntry>{{"Home", 60}}));
  EXPECT_TRUE(air.model.setSignal("Home", std::nullopt, 90));
  EXPECT_EQ(air.model.scan(kModuleA), (std::vector<ScanEntry>{{"Home", 25}}));
  EXPECT_EQ(air.model.scan(kModuleB), (std::vector<ScanEntry>{{"Home", 90}}));
  EXPECT_EQ(air.model.stationSignal(kModuleA), 0);  // not joined
  ASSERT_EQ(air.model.join(kModuleA, "Home", "secret-pass"), JoinResult::Ok);
  EXPECT_EQ(air.model.stationSignal(kModuleA), 25);
  EXPECT_TRUE(air.model.rename("Home", "Home2", "secret-pass", air.events));  // the same radio, renamed
  EXPECT_EQ(air.model.scan(kModuleA), (std::vector<ScanEntry>{{"Home2", 25}}));
  EXPECT_FALSE(air.model.setSignal("Nowhere", std::nullopt, 10));
}

TEST(AirModel, SoftApJoinChecksTheModulesPasswordAndAnswersItsAddress) {
  Air air;
  EXPECT_EQ(air.model.softApJoin("XPG-GAgent-e4f5", "123456789").result, JoinResult::NoAp);
  air.model.startSoftAp(kModuleA, "XPG-GAgent-e4f5", "123456789");
  EXPECT_EQ(air.model.softApJoin("XPG-GAgent-e4f5", "12345678").result, JoinResult::WrongPassword);
  const auto joined = air.model.softApJoin("XPG-GAgent-e4f5", "123456789");
  EXPECT_EQ(joined.result, JoinResult::Ok);
  EXPECT_EQ(joined.moduleIp, "127.0.0.10");
  air.model.startSoftAp(kModuleB, "Open-SoftAP", "");
  EXPECT_EQ(air.model.softApJoin("Open-SoftAP", "").moduleIp, "127.0.0.11");
  air.model.stopSoftAp(kModuleA);
  EXPECT_EQ(air.model.softApJoin("XPG-GAgent-e4f5", "123456789").result, JoinResult::NoAp);
}

TEST(AirModel, OneShotReachesEveryListeningModuleOnce) {
  Air air;
  EXPECT_EQ(air.model.sendOneShot("Home", "secret pass", air.events), 0u);
  air.model.startOneShot(kModuleA, OneShotKind::AirLink);
  air.model.startOneShot(kModuleB, OneShotKind::AirKiss);
  air.model.stopOneShot(kModuleB);
  EXPECT_EQ(air.model.sendOneShot("Home", "secret pass", air.events), 1u);
  EXPECT_EQ(air.events, (AirEvents{{kModuleA, AirEvent::Kind::OneShot, "Home", "secret pass"}}));
  EXPECT_FALSE(air.model.modules().at(kModuleA).oneShot);  // the listener has its credentials
  EXPECT_EQ(air.model.sendOneShot("Home", "secret pass", air.events), 0u);
}

TEST(AirModel, AForgottenModuleLeavesTheClientTablesAndItsSoftAp) {
  Air air;
  air.addAp("Home", "secret-pass");
  ASSERT_EQ(air.model.join(kModuleA, "Home", "secret-pass"), JoinResult::Ok);
  air.model.startSoftAp(kModuleA, "XPG-GAgent-e4f5", "123456789");
  air.model.removeModule(kModuleA);
  EXPECT_FALSE(air.model.hasModule(kModuleA));
  EXPECT_TRUE(air.clients("Home").empty());
  EXPECT_EQ(air.model.softApJoin("XPG-GAgent-e4f5", "123456789").result, JoinResult::NoAp);
  EXPECT_FALSE(air.model.addModule(kModuleB, "0a1b2c3d4e5f", "127.0.0.11"));  // already known
}
