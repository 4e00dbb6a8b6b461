// gagent-sim --boot rom (docs/flashing.md): the module starts in its ROM serial loader on the pty; an image
// written through it (by gizrig flash, or by esptool-js, Espressif's own implementation) is booted when the
// loader is told to run, and the module then reports the image's software version in 0x22 (S2.2, S9.6). A
// corrupt image is refused at boot and the module stays in its loader. Real time over the pty.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "gagent/core/firmware_image.h"
#include "gagent/proto/mcu_payloads.h"
#include "pty_mcu.h"
#include "sim_process.h"

#ifndef GIZRIG_BINARY
#error "GIZRIG_BINARY must name the gizrig executable"
#endif
#ifndef GAGENT_ESPTOOL_DIR
#error "GAGENT_ESPTOOL_DIR must name tests/esptool (esptool-js, npm ci)"
#endif

namespace gagent::test {
namespace {

constexpr std::uint16_t kWebPort = 8080;

class GagentSimRom : public ::testing::Test {
 protected:
  GagentSimRom() : lease(leaseModuleAddress(kWebPort)), ip{lease ? lease->address() : 0} {}

  void TearDown() override {
    if (HasFailure() && sim)
      std::cerr << "---- gagent-sim log ----\n" << sim->log() << "------------------------\n";
  }

  [[nodiscard]] std::string pty() const { return dir.file("uart.pty"); }

  void startRom(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{
        "--uart", "pty:" + pty(), "--ip",        dotted(ip), "--flash", dir.file("module.flash"), "--seed",
        "7",      "--api",        "127.0.0.1:9", "--boot",   "rom",     "--flash-size",           "1M"};
    args.insert(args.end(), extra.begin(), extra.end());
    sim = std::make_unique<SimProcess>(args, dir.file("sim.log"));
    const std::string ready = sim->readLine();
    ASSERT_NE(ready.find(" boot=rom"), std::string::npos) << "ready line: '" << ready << "'";
  }

  // Runs a program to its end; its exit code and stdout.
  std::pair<int, std::string> runProgram(const std::string& binary, const std::vector<std::string>& args,
                                         std::chrono::milliseconds patience = std::chrono::seconds(60)) {
    SimProcess process(args, dir.file("program.log"), binary);
    std::string output = process.readAll(patience);
    const auto status = process.waitExit(patience);
    if (!status || !WIFEXITED(*status)) return {-1, output};
    std::ifstream log(dir.file("program.log"));
    std::stringstream err;
    err << log.rdbuf();
    return {WEXITSTATUS(*status), output + err.str()};
  }

  std::string makeImage(const std::string& software, const std::string& name = "app.img") {
    const std::string path = dir.file(name);
    const auto [code, output] =
        runProgram(GIZRIG_BINARY, {"image", "--hw-version", "GAGENTSM", "--sw-version", software,
                                   "--fw-version", "25061012", "--out", path});
    EXPECT_EQ(code, 0) << output;
    return path;
  }

  // The MCU's side once the application runs: the handshake, then 0x21 -> 0x22 module info.
  std::string reportedSoftwareVersion() {
    PtyMcu mcu;
    if (!mcu.open(pty())) return "no pty";
    const auto end = Clock::now() + kPatience;
    bool asked = false;
    while (Clock::now() < end) {
      mcu.service();
      if (!asked && mcu.count(proto::McuCmd::GetDeviceInfo) >= 1) {
        mcu.send(proto::McuCmd::GetModuleInfo, {0x00});
        asked = true;
      }
      for (const auto& frame : mcu.received) {
        if (frame.header.cmd != proto::McuCmd::ModuleInfo) continue;
        const auto info = proto::parseModuleInfo(frame.payload);
        return info.ok() ? std::string(info.value.softVer) : "bad 0x22";
      }
      ::poll(nullptr, 0, 5);
    }
    return "no 0x22";
  }

  bool logSays(const std::string& text) {
    const auto end = Clock::now() + kPatience;
    while (Clock::now() < end) {
      if (sim->log().find(text) != std::string::npos) return true;
      ::poll(nullptr, 0, 20);
    }
    return false;
  }

  TempDir dir;
  std::optional<ModuleAddressLease> lease;
  hal::Ipv4 ip;
  std::unique_ptr<SimProcess> sim;
};

TEST_F(GagentSimRom, S9_6_GizrigFlashWritesAnImageAndTheModuleBootsItReporting0x22Versions) {
  startRom();
  const std::string image = makeImage("04020099");
  const auto [code, output] = runProgram(GIZRIG_BINARY, {"flash", "--port", pty(), "--image", image});
  ASSERT_EQ(code, 0) << output;
  EXPECT_NE(output.find("OK ESP8266 mac 02:47:"), std::string::npos) << output;
  ASSERT_TRUE(logSays("boot: application image at 0x2000: hardware GAGENTSM, software 04020099"));
  EXPECT_EQ(reportedSoftwareVersion(), "04020099");
}

TEST_F(GagentSimRom, S9_6_Esp32RomTakesCompressedBlocksAtAHigherBaudAndVerifiesTheMd5) {
  startRom({"--chip", "esp32"});
  const std::string image = makeImage("04020100");
  const auto [code, output] =
      runProgram(GIZRIG_BINARY, {"flash", "--port", pty(), "--image", image, "--baud", "921600"});
  ASSERT_EQ(code, 0) << output;
  EXPECT_NE(output.find("OK ESP32"), std::string::npos) << output;
  EXPECT_NE(output.find("at 921600 baud"), std::string::npos) << output;
  EXPECT_NE(output.find("MD5 verified"), std::string::npos) << output;
  EXPECT_EQ(reportedSoftwareVersion(), "04020100");
}

TEST_F(GagentSimRom, S9_6_ACorruptImageIsRefusedAtBootAndTheModuleStaysInItsLoader) {
  startRom();
  std::string good = makeImage("04020101");
  std::ifstream in(good, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes.back() ^= 0x5A;  // the payload no longer matches its CRC
  const std::string bad = dir.file("bad.img");
  std::ofstream(bad, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  auto [code, output] = runProgram(GIZRIG_BINARY, {"flash", "--port", pty(), "--image", bad});
  ASSERT_EQ(code, 0) << output;  // the loader wrote what it was given; the boot check refuses it
  ASSERT_TRUE(logSays(
      "boot: refused the application image at 0x2000: payload CRC mismatch; staying in the ROM loader"));
  // Still in the loader: a good image goes in and boots.
  std::tie(code, output) =
      runProgram(GIZRIG_BINARY, {"flash", "--port", pty(), "--image", good, "--no-reset"});
  ASSERT_EQ(code, 0) << output;
  EXPECT_EQ(reportedSoftwareVersion(), "04020101");
}

TEST_F(GagentSimRom, NoSyncOnAModuleThatIsNotInItsLoaderExitsOneWithTheGpio0Question) {
  // The application runs (no --boot rom): nothing answers the loader's SYNC.
  sim = std::make_unique<SimProcess>(
      std::vector<std::string>{"--uart", "pty:" + pty(), "--ip", dotted(ip), "--flash",
                               dir.file("module.flash"), "--api", "127.0.0.1:9"},
      dir.file("sim.log"));
  ASSERT_NE(sim->readLine().find("gagent-sim ready"), std::string::npos);
  const std::string image = makeImage("04020102");
  const auto [code, output] = runProgram(GIZRIG_BINARY, {"flash", "--port", pty(), "--image", image});
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find("FAILED (no sync)"), std::string::npos) << output;
  EXPECT_NE(output.find("is GPIO0 low / is the module in its loader?"), std::string::npos) << output;
}

TEST_F(GagentSimRom, APortThatDoesNotExistIsARigErrorWithTheOsReason) {
  const std::string image = makeImage("04020103");
  const auto [code, output] =
      runProgram(GIZRIG_BINARY, {"flash", "--port", dir.file("no-such-port"), "--image", image});
  EXPECT_EQ(code, 2) << output;
  EXPECT_NE(output.find("RIG ERROR cannot open"), std::string::npos) << output;
}

// The proof by an independent implementation: Espressif's esptool-js (npm, tests/esptool) syncs, detects
// the chip, reads the MAC, uploads its real flasher stub, raises the baud rate, writes compressed, checks the
// MD5 and soft-resets - all against the emulation, through a small pty transport shim.
TEST_F(GagentSimRom, S9_6_EsptoolJsFlashesAndVerifiesAnImageThroughTheRomLoader) {
  const std::string modules = std::string(GAGENT_ESPTOOL_DIR) + "/node_modules/esptool-js/package.json";
  ASSERT_TRUE(std::filesystem::exists(modules))
      << "esptool-js is not installed: run `npm ci --prefix tests/esptool` (scripts/test does)";
  startRom();
  const std::string image = makeImage("04020104");
  const auto [code, output] = runProgram(
      "/usr/bin/env",
      {"node", std::string(GAGENT_ESPTOOL_DIR) + "/flash_with_esptool.mjs", pty(), image, "0x2000", "460800"},
      std::chrono::seconds(90));
  ASSERT_EQ(code, 0) << output;
  EXPECT_NE(output.find("chip=ESP8266EX mac=02:47:"), std::string::npos) << output;
  EXPECT_NE(output.find("stub=true baud=460800"), std::string::npos) << output;
  EXPECT_TRUE(logSays("MEM_END"));
  EXPECT_EQ(reportedSoftwareVersion(), "04020104");
}

}  // namespace
}  // namespace gagent::test
