#pragma once
// S9.6: download a firmware image announced by the OTA check and install it in the flash OTA region.
// The image streams from the HTTP reply straight into flash (never whole in RAM) while an incremental MD5
// runs over it; at the end the MD5 must equal the Firmware-MD5 header (§3.5) and the image read back from
// flash must be a valid FirmwareImage for this hardware. Only then the listener hears
// onFirmwareInstalled (the agent stores the FID and firmware version and reboots). Any failure: logged,
// the FID is left alone, onOtaFailed.
// Only http:// URLs are followed (§3.5); the URL's host is resolved here (a dotted IP needs no query).
// There is one OTA region: a download that fails half-way leaves no valid image there.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gagent/core/device_config.h"
#include "gagent/core/firmware_image.h"
#include "gagent/core/flash_layout.h"
#include "gagent/core/http_client.h"
#include "gagent/core/log.h"
#include "gagent/core/md5.h"
#include "gagent/core/timer.h"
#include "gagent/hal/dns.h"
#include "gagent/hal/flash.h"
#include "gagent/proto/fixed_string.h"

namespace gagent::core {

enum class OtaFailure : std::uint8_t {
  BadUrl,         // not an http:// URL we can request
  DnsFailed,      // the download host did not resolve (S11.3)
  Http,           // transport failure (refused, timeout, malformed, closed early)
  HttpStatus,     // the server did not answer 200
  MissingMd5,     // no usable Firmware-MD5 header: the image could not be verified
  TooLarge,       // the image does not fit the OTA region
  FlashError,     // erase or write refused
  Md5Mismatch,    // the downloaded bytes do not match Firmware-MD5
  BadImage,       // not a valid FirmwareImage (header, length, CRC)
  WrongHardware,  // an image for another hardware version
};
[[nodiscard]] std::string_view otaFailureName(OtaFailure failure);

class OtaListener {
 public:
  virtual ~OtaListener() = default;
  // S9.6: the image is in flash and verified; store `fid` and `firmwareVersion` (S2.3), then reboot.
  virtual void onFirmwareInstalled(std::uint32_t fid, std::string_view softwareVersion,
                                   std::string_view firmwareVersion, Millis now) = 0;
  // Nothing was installed; the stored FID must stay as it is.
  virtual void onOtaFailed(OtaFailure failure, Millis now) = 0;
};

class OtaUpdater {
 public:
  enum class State : std::uint8_t { Idle, Resolving, Downloading };
  // How the last download ended (the orchestrator continues its flow from this).
  enum class Outcome : std::uint8_t { None, Installed, Failed };

  static constexpr std::size_t kMaxUrlLength = 512;
  // A whole image must arrive within this (the request's total timeout; the §3.1 5 s is for small replies).
  static constexpr Millis kDownloadTimeout = hal::minutes(10);
  static constexpr Millis kResolveTimeout = hal::seconds(15);

  OtaUpdater(HttpClient& http, hal::Dns& dns, hal::Flash& flash, LogHub& logs, OtaListener& listener);

  // Starts the download of `url` for server firmware `fid`. `hardwareVersion` is this module's (S2.1): an
  // image for another one is refused. False (and onOtaFailed) when it cannot even start. Not while busy().
  bool start(std::string_view url, std::uint32_t fid, std::string_view hardwareVersion, Millis now);
  // Gives up a running download (no listener call).
  void cancel();

  // Drives the download; the HttpClient is polled from here while downloading.
  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;
  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] bool busy() const { return state_ != State::Idle; }
  [[nodiscard]] Outcome lastOutcome() const { return outcome_; }

 private:
  // The HttpClient's sink. A member rather than a base keeps OtaUpdater itself non-polymorphic (the
  // firmware is built without RTTI, sanitized test code would look for its typeinfo).
  class Sink : public HttpBodySink {
   public:
    explicit Sink(OtaUpdater& owner) : owner_(owner) {}
    bool onResponseHead(const proto::HttpResponseParser& head) override {
      return owner_.onResponseHead(head);
    }
    bool onResponseBody(proto::Bytes piece) override { return owner_.onResponseBody(piece); }

   private:
    OtaUpdater& owner_;
  };

  bool onResponseHead(const proto::HttpResponseParser& head);
  bool onResponseBody(proto::Bytes piece);

  void startDownload(hal::Ipv4 address, Millis now);
  void finishDownload(Millis now);
  void failWith(OtaFailure failure, Millis now);
  bool eraseThrough(std::size_t end);

  HttpClient& http_;
  hal::Dns& dns_;
  hal::Flash& flash_;
  Logger log_;
  OtaListener& listener_;
  Sink sink_{*this};

  State state_ = State::Idle;
  Outcome outcome_ = Outcome::None;
  proto::FixedString<kMaxUrlLength> url_;
  std::uint32_t fid_ = 0;
  StoredText<kVersionLength> hardwareVersion_;
  hal::DnsQueryId query_ = hal::kNoQuery;
  Timer resolveTimeout_;

  FlashRegion region_;
  std::size_t written_ = 0;
  std::size_t erasedEnd_ = 0;  // region bytes erased so far (whole sectors)
  Md5 md5_;
  std::array<std::uint8_t, 16> expectedMd5_{};
  // Set from the sink callbacks, which cannot report a reason through the HttpClient.
  bool sinkFailed_ = false;
  OtaFailure sinkFailure_ = OtaFailure::Http;
};

}  // namespace gagent::core
