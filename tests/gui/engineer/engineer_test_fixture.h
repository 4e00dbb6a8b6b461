#pragma once
// The engineer-view tests' fixture: an EngineerView on the app's real clock, with virtual time driven by the
// test (the view's pump is off once a virtual module is started, so results do not depend on the machine).

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <functional>
#include <memory>

#include "gizrig/clock/rig_clock.h"
#include "gui_b_test_support.h"
#include "engineer/engineer_session.h"
#include "engineer/engineer_view.h"

namespace gui_b_test {

class EngineerViewFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    context_.fixturesDir = QStringLiteral(GAGENT_FIXTURES_DIR);
    context_.clock = &clock_;
    view_ = std::make_unique<gizrig::gui::EngineerView>(context_);
  }
  void TearDown() override { view_.reset(); }

  // Virtual time in 100 ms slices until `done` (true) or `limitMs` of virtual time passed (done() then).
  bool runUntil(const std::function<bool()>& done, gizrig::core::RigMillis limitMs) {
    for (gizrig::core::RigMillis t = 0; t < limitMs; t += 100) {
      if (done()) return true;
      view_->session().runVirtualFor(100);
      QCoreApplication::processEvents();
    }
    return done();
  }

  gizrig::core::RealClock clock_;
  gizrig::gui::GuiContext context_;
  std::unique_ptr<gizrig::gui::EngineerView> view_;
};

}  // namespace gui_b_test
