#include "gagent/core/cloud_client.h"

#include <algorithm>

namespace gagent::core {

namespace {

const char* stateName(CloudClient::State state) {
  switch (state) {
    case CloudClient::State::Idle:
      return "idle";
    case CloudClient::State::ResolvingApi:
      return "resolving API host";
    case CloudClient::State::Registering:
      return "registering";
    case CloudClient::State::Provisioning:
      return "provisioning";
    case CloudClient::State::ResolvingM2m:
      return "resolving M2M host";
    case CloudClient::State::CheckingOta:
      return "checking OTA";
    case CloudClient::State::Updating:
      return "updating firmware";
    case CloudClient::State::Ready:
      return "ready";
    case CloudClient::State::RetryWait:
      return "waiting to retry";
    case CloudClient::State::Installed:
      return "firmware installed";
  }
  return "?";
}

void logHttpFailure(Logger& log, const char* what, const HttpResult& result) {
  if (!result.ok()) {
    const std::string_view name = httpFailureName(result.failure);
    log.warning("%s failed: %.*s", what, static_cast<int>(name.size()), name.data());
  } else if (result.errorCode) {
    const std::string_view name =
        proto::cloudErrorCodeName(static_cast<proto::CloudErrorCode>(*result.errorCode));
    log.warning("%s refused: HTTP %u, error_code %d (%.*s)", what, static_cast<unsigned>(result.status),
                static_cast<int>(*result.errorCode), static_cast<int>(name.size()), name.data());
  } else {
    log.warning("%s refused: HTTP %u", what, static_cast<unsigned>(result.status));
  }
}

// A transport failure seen as a reply: no status, nothing parsed.
template <typename T>
proto::CloudReply<T> noReply() {
  proto::CloudReply<T> reply;
  reply.error = proto::CloudReplyError::HttpStatus;
  return reply;
}

}  // namespace

CloudClient::CloudClient(hal::Net& net, hal::Dns& dns, hal::Flash& flash, LogHub& logs,
                         const DeviceConfig& config, const ModuleIdentity& identity, CloudListener& listener,
                         OtaListener& otaListener, const CloudSettings& settings)
    : log_(logs, "cloud"),
      config_(config),
      identity_(identity),
      listener_(listener),
      apiHost_(settings.apiHost),
      apiPort_(settings.apiPort),
      dns_(dns, logs),
      http_(net, logs),
      ota_(http_, dns, flash, logs, otaListener) {}

void CloudClient::start(Millis now) {
  cancelWork();
  did_ = config_.did.view();
  failures_ = 0;
  m2mAnnounced_ = false;
  log_.info("starting the cloud sequence (%s)", did_.empty() ? "no DID: register first" : "provision");
  enter(State::ResolvingApi, now);
}

void CloudClient::stop() {
  cancelWork();
  if (state_ != State::Idle) log_.info("cloud stopped");
  state_ = State::Idle;
}

void CloudClient::cancelWork() {
  if (ota_.busy()) ota_.cancel();
  if (job_ != Job::None) http_.reset();
  job_ = Job::None;
  flowRequestDue_ = false;
  retry_.stop();
  reresolve_.stop();
  reresolving_ = false;
}

void CloudClient::reprovision(Millis now) {
  if (did_.empty()) {
    reregister(now);
    return;
  }
  log_.info("re-provisioning (S8.8.4)");
  cancelWork();
  m2mAnnounced_ = false;
  enter(State::ResolvingApi, now);
}

void CloudClient::reregister(Millis now) {
  log_.info("re-registering without unregistering the old DID (S8.9)");
  cancelWork();
  did_.clear();
  m2mAnnounced_ = false;
  enter(State::ResolvingApi, now);
}

void CloudClient::onM2mLoggedIn(Millis now) {
  if (state_ != State::Ready && state_ != State::CheckingOta && state_ != State::Updating) return;
  reresolve_.start(now, kM2mReresolveInterval);
}

void CloudClient::unregister(std::string_view did, std::string_view passcode, Millis now) {
  if (did.empty() || !unregisterDid_.assign(did) || !unregisterPasscode_.assign(passcode)) {
    log_.warning("unregister: DID or passcode not usable");
    listener_.onUnregistered(false, now);
    return;
  }
  unregisterPending_ = true;
  log_.info("unregister of DID %.*s queued", static_cast<int>(did.size()), did.data());
}

void CloudClient::checkOtaNow(Millis now) {
  if (state_ != State::Ready) {
    log_.info("OTA push ignored while %s (the start sequence checks anyway)", stateName(state_));
    return;
  }
  log_.info("OTA check pushed by the server (S9.1)");
  enter(State::CheckingOta, now);
}

void CloudClient::enter(State state, Millis now) {
  if (state != state_) log_.info("%s -> %s", stateName(state_), stateName(state));
  state_ = state;
  flowRequestDue_ = false;
  switch (state) {
    case State::ResolvingApi:
      // S11.2: an address cached earlier is used as is; otherwise resolve (S11.1).
      dns_.setName(CloudHost::Api, apiHost_.view());
      if (dns_.state(CloudHost::Api) == DnsCache::State::Resolved) {
        afterApiResolved(now);
      } else {
        dns_.resolve(CloudHost::Api, now);
        pollDns(now);
      }
      return;
    case State::Registering:
    case State::Provisioning:
    case State::CheckingOta:
      flowRequestDue_ = true;
      startNextRequest(now);
      return;
    case State::ResolvingM2m:
      dns_.resolve(CloudHost::M2m, now);
      pollDns(now);
      return;
    case State::Ready:
      failures_ = 0;
      if (!m2mAnnounced_) {
        m2mAnnounced_ = true;
        listener_.onM2mServerReady(m2m_, now);
      }
      return;
    case State::Idle:
    case State::Updating:
    case State::RetryWait:
    case State::Installed:
      return;
  }
}

void CloudClient::retryLater(State step, Millis now) {
  ++failures_;
  const Millis delay = std::min<Millis>(kRetryStep * failures_, kRetryMax);
  retryStep_ = step;
  retry_.start(now, delay);
  log_.info("retrying %s in %llu s (failure %u)", stateName(step),
            static_cast<unsigned long long>(delay / 1000), static_cast<unsigned>(failures_));
  enter(State::RetryWait, now);
}

void CloudClient::afterApiResolved(Millis now) {
  enter(did_.empty() ? State::Registering : State::Provisioning, now);
}

hal::Endpoint CloudClient::apiEndpoint() const {
  return {dns_.address(CloudHost::Api).value_or(hal::Ipv4{}), apiPort_};
}

void CloudClient::poll(Millis now) {
  dns_.poll(now);
  pollDns(now);

  if (state_ == State::Updating) {
    ota_.poll(now);
    if (!ota_.busy()) {
      if (ota_.lastOutcome() == OtaUpdater::Outcome::Installed) {
        enter(State::Installed, now);
      } else {
        finishOtaStep(now);
      }
    }
  }

  // A reply may finish the next request inside its own start (a server on the same fast LAN answers before
  // start() returns): handle that one too, a few at most per pass so a server failing everything at once
  // cannot hold the loop; nextDeadline() asks for another pass when one is left.
  for (int handled = 0; job_ != Job::None && handled < kRepliesPerPoll; ++handled) {
    http_.poll(now);
    if (!http_.finished()) break;
    onHttpFinished(now);
  }

  if (state_ == State::RetryWait && retry_.fire(now)) enter(retryStep_, now);
  pollReresolve(now);
  startNextRequest(now);
}

void CloudClient::pollDns(Millis now) {
  if (state_ == State::ResolvingApi) {
    switch (dns_.state(CloudHost::Api)) {
      case DnsCache::State::Resolved:
        afterApiResolved(now);
        break;
      case DnsCache::State::Failed:
      case DnsCache::State::Unresolved:
        // S11.3: no request to a server whose name did not resolve.
        log_.warning("API host unresolved: skipping the API server");
        retryLater(State::ResolvingApi, now);
        break;
      case DnsCache::State::Resolving:
        break;
    }
  } else if (state_ == State::ResolvingM2m && !reresolving_) {
    switch (dns_.state(CloudHost::M2m)) {
      case DnsCache::State::Resolved:
        m2m_.ip = *dns_.address(CloudHost::M2m);
        enter(State::CheckingOta, now);  // S9.2: after provision, before the M2M login
        break;
      case DnsCache::State::Failed:
      case DnsCache::State::Unresolved:
        log_.warning("M2M host unresolved: no login possible (S11.3)");
        retryLater(State::ResolvingM2m, now);
        break;
      case DnsCache::State::Resolving:
        break;
    }
  }
}

void CloudClient::pollReresolve(Millis now) {
  if (reresolve_.fire(now)) {
    log_.debug("hourly re-resolution of the M2M host (S11.4)");
    reresolving_ = true;
    dns_.resolve(CloudHost::M2m, now);
  }
  if (!reresolving_ || dns_.state(CloudHost::M2m) == DnsCache::State::Resolving) return;
  reresolving_ = false;
  reresolve_.start(now, kM2mReresolveInterval);
  const auto address = dns_.address(CloudHost::M2m);
  if (dns_.state(CloudHost::M2m) != DnsCache::State::Resolved || !address || *address == m2m_.ip) return;
  m2m_.ip = *address;
  log_.info("M2M host moved: caching the new address (S11.4)");
  listener_.onM2mAddressChanged(m2m_, now);
}

void CloudClient::startNextRequest(Millis now) {
  if (job_ != Job::None || ota_.busy()) return;
  if (unregisterPending_ && startUnregister(now)) return;
  if (flowRequestDue_) startFlowRequest(now);
}

bool CloudClient::startUnregister(Millis now) {
  switch (dns_.state(CloudHost::Api)) {
    case DnsCache::State::Resolving:
      return false;  // the flow's own resolution is running; the DELETE follows it
    case DnsCache::State::Unresolved:
      dns_.setName(CloudHost::Api, apiHost_.view());
      dns_.resolve(CloudHost::Api, now);
      return false;
    case DnsCache::State::Failed:
      unregisterPending_ = false;
      log_.warning("unregister skipped: API host unresolved (S11.3)");
      listener_.onUnregistered(false, now);
      return false;
    case DnsCache::State::Resolved:
      break;
  }
  unregisterPending_ = false;
  proto::UnregisterRequest request;
  request.host = apiHost_.view();
  request.did = unregisterDid_.view();
  request.passcode = unregisterPasscode_.view();
  job_ = Job::Unregister;
  log_.info("unregistering DID %.*s (S8.3)", static_cast<int>(request.did.size()), request.did.data());
  http_.start(apiEndpoint(), proto::buildUnregisterRequest(http_.requestBuffer(), request), kRequestTimeout,
              now);
  return true;
}

void CloudClient::startFlowRequest(Millis now) {
  flowRequestDue_ = false;
  job_ = Job::Flow;
  const proto::MutableBytes buffer = http_.requestBuffer();
  switch (state_) {
    case State::Registering: {
      proto::RegisterRequest request;
      request.host = apiHost_.view();
      request.passcode = config_.passcode.view();
      request.mac = identity_.mac;
      request.productKey = config_.productKey.view();
      http_.start(apiEndpoint(), proto::buildRegisterRequest(buffer, request), kRequestTimeout, now);
      return;
    }
    case State::Provisioning:
      http_.start(apiEndpoint(), proto::buildProvisionRequest(buffer, did_.view(), apiHost_.view()),
                  kRequestTimeout, now);
      return;
    case State::CheckingOta: {
      // S9.4: no stored FID (0) is sent as 1, and 1 is not stored.
      sentFid_ = config_.fid == 0 ? kFidWhenNone : config_.fid;
      proto::OtaCheckRequest request;
      request.host = apiHost_.view();
      request.did = did_.view();
      request.passcode = config_.passcode.view();
      request.type = proto::OtaFirmwareType::Wifi;  // S9.5: the module's own firmware
      request.hardVersion = identity_.wifiHardwareVersion.view();
      request.softVersion = identity_.wifiSoftwareVersion.view();
      request.productKey = config_.productKey.view();
      request.currentFid = sentFid_;
      http_.start(apiEndpoint(), proto::buildOtaCheckRequest(buffer, request), kOtaCheckTimeout, now);
      return;
    }
    default:
      job_ = Job::None;
      return;
  }
}

void CloudClient::onHttpFinished(Millis now) {
  const Job job = job_;
  job_ = Job::None;
  const HttpResult result = http_.result();  // the body view stays valid until the next start()
  if (job == Job::Unregister) {
    const bool ok = result.ok() && result.status == 200;
    if (ok) {
      log_.info("unregistered");
    } else {
      logHttpFailure(log_, "unregister", result);
    }
    http_.reset();
    listener_.onUnregistered(ok, now);
    return;
  }
  switch (state_) {
    case State::Registering:
      onRegisterReply(result, now);
      break;
    case State::Provisioning:
      onProvisionReply(result, now);
      break;
    case State::CheckingOta:
      onOtaCheckReply(result, now);
      break;
    default:
      break;
  }
  // Only when the reply started nothing new: a request started above may already be finished, and its
  // result is the next one to handle.
  if (job_ == Job::None && !http_.busy()) http_.reset();
}

void CloudClient::onRegisterReply(const HttpResult& result, Millis now) {
  const auto reply =
      result.ok() ? proto::parseRegisterResponse(result.status, result.body) : noReply<std::string_view>();
  if (!reply.ok()) {
    if (result.ok() && reply.error != proto::CloudReplyError::HttpStatus) {
      log_.warning("register reply without a usable DID");
    } else {
      logHttpFailure(log_, "register", result);
    }
    // S8.2: no DID, no further cloud interaction until registration succeeds.
    retryLater(State::Registering, now);
    return;
  }
  did_ = reply.value;
  log_.info("registered: DID %.*s", static_cast<int>(reply.value.size()), reply.value.data());
  listener_.onRegistered(did_.view(), now);
  enter(State::Provisioning, now);
}

void CloudClient::onProvisionReply(const HttpResult& result, Millis now) {
  const auto reply = result.ok() ? proto::parseProvisionResponse(result.status, result.body)
                                 : noReply<proto::ProvisionInfo>();
  if (!reply.ok()) {
    if (result.ok() && result.errorCode == kErrorDidOrPasscodeInvalid) {
      // S8.4.4: the cloud no longer knows this DID/passcode: do not unregister, register again.
      log_.warning("provision: did or passcode invalid (9016): registering again");
      did_.clear();
      if (failures_ == 0) {
        failures_ = 1;
        enter(State::ResolvingApi, now);
      } else {
        retryLater(State::ResolvingApi, now);
      }
      return;
    }
    if (result.ok() && reply.error != proto::CloudReplyError::HttpStatus) {
      log_.warning("provision reply without a usable M2M address (S8.4.2)");
    } else {
      logHttpFailure(log_, "provision", result);
    }
    retryLater(State::Provisioning, now);  // S8.4.4: any other error retries provision
    return;
  }
  const proto::ProvisionInfo& info = reply.value;
  log_.info("provisioned: M2M %.*s:%u", static_cast<int>(info.host.size()), info.host.data(),
            static_cast<unsigned>(info.port));
  if (info.serverTs) listener_.onServerTime(*info.serverTs, now);
  if (info.thirdCloud && !info.thirdCloud->empty()) {
    listener_.onThirdPartyCloud(*info.thirdCloud, info.productUuid.value_or(std::string_view()), now);
  }
  if (!dns_.setName(CloudHost::M2m, info.host)) {
    retryLater(State::Provisioning, now);
    return;
  }
  m2m_ = {hal::Ipv4{}, info.port};
  enter(State::ResolvingM2m, now);
}

void CloudClient::onOtaCheckReply(const HttpResult& result, Millis now) {
  // S9.2: one try; anything but a usable 200 means "nothing to do".
  const auto reply =
      result.ok() ? proto::parseOtaCheckResponse(result.status, result.body) : noReply<proto::OtaCheckInfo>();
  if (!reply.ok()) {
    if (!result.ok())
      logHttpFailure(log_, "OTA check", result);
    else
      log_.info("OTA check: nothing to do (HTTP %u)", static_cast<unsigned>(result.status));
    finishOtaStep(now);
    return;
  }
  const proto::OtaCheckInfo& info = reply.value;
  // S9.6: a server FID different from ours means new firmware. A reply without FID falls back to v4.2.6's
  // rule: the offered software version is greater than ours.
  const bool update =
      info.fid ? *info.fid != sentFid_ : info.softVersion > identity_.wifiSoftwareVersion.view();
  if (!update) {
    log_.info("OTA check: firmware is current (FID %u)", static_cast<unsigned>(sentFid_));
    finishOtaStep(now);
    return;
  }
  const std::uint32_t fid = info.fid.value_or(sentFid_);
  log_.info("OTA check: FID %u -> %u, soft_ver %.*s", static_cast<unsigned>(sentFid_),
            static_cast<unsigned>(fid), static_cast<int>(info.softVersion.size()), info.softVersion.data());
  // The URL is a view into the HTTP body: the updater copies it before the client is reused.
  enter(State::Updating, now);
  if (!ota_.start(info.downloadUrl, fid, identity_.wifiHardwareVersion.view(), now)) finishOtaStep(now);
}

void CloudClient::finishOtaStep(Millis now) {
  if (m2m_.ip.isUnset()) {
    enter(State::Idle, now);
    return;
  }
  enter(State::Ready, now);
}

Millis CloudClient::nextDeadline() const {
  Millis next = earliest(retry_.deadline(), reresolve_.deadline());
  next = earliest(next, dns_.nextDeadline());
  if (job_ != Job::None) next = earliest(next, http_.nextDeadline());
  if (ota_.busy()) next = earliest(next, ota_.nextDeadline());
  return next;
}

}  // namespace gagent::core
