#pragma once
// The HTTP half of the big loop (S8.2-S8.4, S9.2-S9.6, S11), one request at a time:
//   start -> resolve the API host (S11.1) -> no DID: register (S8.2) -> provision (S8.4.3, every start)
//   -> resolve the M2M host (S11.1) -> OTA check (S9.2: one try, 3 s) [-> download + install, S9.6]
//   -> listener onM2mServerReady (the agent starts the MQTT session) -> Ready.
// Failures and retries (the spec says "retry" without a schedule; these are our decisions):
// - API host does not resolve (S11.3): no request to it; the resolution is retried with the backoff.
// - registration fails (S8.2): no DID, so nothing else is tried; registration is retried with the backoff.
// - provision answers error_code 9016 (S8.4.4): the DID is NOT unregistered; register again at once (with
//   the backoff if that keeps happening), then provision.
// - any other provision failure, including a 200 without a usable M2M address (S8.4.2: there is no
//   default): provision is retried with the backoff. The M2M host not resolving is retried likewise.
// - backoff: kRetryStep after the first failure, +kRetryStep per further failure, at most kRetryMax;
//   reset when the M2M server is handed over.
// - the OTA check is tried once; whatever happens the flow goes on to M2M login (S9.2).
// Entry points for the MQTT side: reprovision (S8.8.4), reregister (S8.9 CONNACK 0x04), onM2mLoggedIn
// (starts the hourly M2M re-resolution, S11.4), checkOtaNow (S9.1 push). unregister (S8.3, §3.4) runs
// before the next request of the flow and reports through onUnregistered.

#include <cstdint>
#include <string_view>

#include "gagent/core/device_config.h"
#include "gagent/core/dns_cache.h"
#include "gagent/core/http_client.h"
#include "gagent/core/log.h"
#include "gagent/core/module_identity.h"
#include "gagent/core/ota_updater.h"
#include "gagent/core/timer.h"
#include "gagent/hal/dns.h"
#include "gagent/hal/flash.h"
#include "gagent/hal/net.h"
#include "gagent/proto/cloud_http.h"

namespace gagent::core {

class CloudListener {
 public:
  virtual ~CloudListener() = default;
  // S8.2: the cloud gave this module a DID; store it in flash.
  virtual void onRegistered(std::string_view did, Millis now) = 0;
  // §3.3 server_ts of a provision reply (epoch seconds), received at `now`.
  virtual void onServerTime(std::uint64_t epochSeconds, Millis now) = 0;
  // S8.4.5: the product uses a third-party cloud (`3rd_cloud`, e.g. "jd"); `product` is its product_uuid
  // (empty when absent).
  virtual void onThirdPartyCloud(std::string_view name, std::string_view product, Millis now) = 0;
  // S8.4.1: provisioned (and OTA checked): log in to this M2M server.
  virtual void onM2mServerReady(hal::Endpoint m2m, Millis now) = 0;
  // S11.4: the hourly re-resolution found a new address for the M2M host.
  virtual void onM2mAddressChanged(hal::Endpoint m2m, Millis now) = 0;
  // S8.3 / §3.4: the DELETE was answered 200 (ok) or failed.
  virtual void onUnregistered(bool ok, Millis now) = 0;
};

struct CloudSettings {
  std::string_view apiHost = proto::kCloudApiHost;  // §3.1; regional servers or the lab's 127.0.0.x
  std::uint16_t apiPort = proto::kHttpDefaultPort;
};

class CloudClient {
 public:
  enum class State : std::uint8_t {
    Idle,          // not started, or stopped
    ResolvingApi,  // S11.1
    Registering,   // S8.2
    Provisioning,  // S8.4
    ResolvingM2m,  // S11.1
    CheckingOta,   // S9.2
    Updating,      // S9.6: OtaUpdater downloads and installs
    Ready,         // M2M server handed over; hourly re-resolution (S11.4), pushed OTA checks (S9.1)
    RetryWait,     // backoff before retrying the step that failed
    Installed,     // new firmware installed; the agent reboots
  };

  static constexpr int kRepliesPerPoll = 4;                   // HTTP replies handled in one poll (see poll())
  static constexpr Millis kRequestTimeout = hal::seconds(5);  // §4: v4.2.6 HTTP timeout
  static constexpr Millis kOtaCheckTimeout = hal::seconds(3);     // S9.2
  static constexpr Millis kRetryStep = hal::seconds(10);          // S8.4.4 retry: 10 s, 20 s, 30 s, ...
  static constexpr Millis kRetryMax = hal::minutes(10);           // ... at most 10 min (newer GAgent's cap)
  static constexpr Millis kM2mReresolveInterval = hal::hours(1);  // S11.4
  static constexpr std::uint32_t kFidWhenNone = 1;                // S9.4
  static constexpr std::int32_t kErrorDidOrPasscodeInvalid =
      static_cast<std::int32_t>(proto::CloudErrorCode::DidOrPasscodeInvalid);  // S8.4.4: 9016

  // `config` and `identity` belong to the agent and are read when a request is built (DID, passcode,
  // product key, FID; MAC and versions).
  CloudClient(hal::Net& net, hal::Dns& dns, hal::Flash& flash, LogHub& logs, const DeviceConfig& config,
              const ModuleIdentity& identity, CloudListener& listener, OtaListener& otaListener,
              const CloudSettings& settings = {});
  CloudClient(const CloudClient&) = delete;
  CloudClient& operator=(const CloudClient&) = delete;

  // The network is up: run the start sequence (S8.4.3: provision at every start).
  void start(Millis now);
  // The network is gone (or a reset): drop everything in flight; a pending unregister is kept.
  void stop();
  // S8.8.4: after 10 failed M2M logins, provision again (keeps the DID).
  void reprovision(Millis now);
  // S8.9 CONNACK 0x04: register again (without unregistering), provision, then the M2M login.
  void reregister(Millis now);
  // The MQTT session is logged in: re-resolve the M2M host every hour from now (S11.4).
  void onM2mLoggedIn(Millis now);
  // S8.3 / §3.4: DELETE this DID (reset, or the old DID after a product-key change).
  void unregister(std::string_view did, std::string_view passcode, Millis now);
  // S9.1: a server push (ser2cli_res 0x0211) runs the same OTA check now (while Ready).
  void checkOtaNow(Millis now);

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] std::string_view did() const { return did_.view(); }
  [[nodiscard]] hal::Endpoint m2mServer() const { return m2m_; }
  // Consecutive failures behind the current backoff.
  [[nodiscard]] std::uint32_t failures() const { return failures_; }
  // S7.7.1: the agent clears the cache on reset.
  DnsCache& dnsCache() { return dns_; }

 private:
  enum class Job : std::uint8_t { None, Flow, Unregister };

  void enter(State state, Millis now);
  void retryLater(State step, Millis now);
  void afterApiResolved(Millis now);
  void pollDns(Millis now);
  void pollReresolve(Millis now);
  void startNextRequest(Millis now);
  bool startUnregister(Millis now);
  void startFlowRequest(Millis now);
  void onHttpFinished(Millis now);
  void onRegisterReply(const HttpResult& result, Millis now);
  void onProvisionReply(const HttpResult& result, Millis now);
  void onOtaCheckReply(const HttpResult& result, Millis now);
  void finishOtaStep(Millis now);
  void cancelWork();
  [[nodiscard]] hal::Endpoint apiEndpoint() const;

  Logger log_;
  const DeviceConfig& config_;
  const ModuleIdentity& identity_;
  CloudListener& listener_;
  StoredText<DnsCache::kMaxHostName> apiHost_;
  std::uint16_t apiPort_;

  DnsCache dns_;
  HttpClient http_;
  OtaUpdater ota_;

  State state_ = State::Idle;
  Job job_ = Job::None;
  bool flowRequestDue_ = false;  // the current state's request waits for the HTTP client
  State retryStep_ = State::Idle;
  Timer retry_;
  std::uint32_t failures_ = 0;

  StoredText<proto::kCloudDidLength> did_;
  std::uint32_t sentFid_ = kFidWhenNone;
  hal::Endpoint m2m_;
  bool m2mAnnounced_ = false;  // onM2mServerReady was called for the current provision
  Timer reresolve_;
  bool reresolving_ = false;

  bool unregisterPending_ = false;
  StoredText<proto::kCloudDidLength> unregisterDid_;
  StoredText<32> unregisterPasscode_;
};

}  // namespace gagent::core
