// The starter certification suite (fixtures/suites/certification.json) against the firmware core in virtual
// time: every scenario must PASS. One test per scenario, named after its file.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QFileInfo>

#include "gizrig/engine/scenario_loader.h"
#include "gizrig/virtual/virtual_scenario_host.h"

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "certification_suite_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

QStringList suiteFiles() {
  const ActionRegistry actions = standardActions();
  QString error;
  const auto suite =
      ScenarioLoader(actions).loadSuiteFile(GAGENT_FIXTURES_DIR "/suites/certification.json", error);
  return suite ? suite->scenarioFiles : QStringList{};
}

class CertificationSuite : public ::testing::TestWithParam<QString> {};

TEST_P(CertificationSuite, PassesInVirtualTime) {
  app();
  const ActionRegistry actions = standardActions();
  QString error;
  const auto scenario = ScenarioLoader(actions).loadFile(GetParam(), error);
  ASSERT_TRUE(scenario) << error.toStdString();
  VirtualRunOptions options;
  options.fixturesDir = GAGENT_FIXTURES_DIR;
  const RunRecord run = runScenarioVirtual(*scenario, actions, options);
  ASSERT_TRUE(run.outcome);
  EXPECT_EQ(*run.outcome, Outcome::Pass)
      << scenario->name.toStdString() << ": " << run.failingStep.toStdString() << ": "
      << run.failingMessage.toStdString();
  EXPECT_FALSE(scenario->clauses.isEmpty()) << "every certification scenario names the clauses it proves";
}

TEST(CertificationSuiteFile, HasAtLeastTwentyScenarios) {
  app();
  EXPECT_GE(suiteFiles().size(), 20);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CertificationSuite, ::testing::ValuesIn(suiteFiles()),
                         [](const ::testing::TestParamInfo<QString>& param) {
                           QString name = QFileInfo(param.param).baseName();
                           name.replace('-', '_');
                           return name.toStdString();
                         });

}  // namespace
}  // namespace gizrig::core
