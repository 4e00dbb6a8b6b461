#include "gagent/core/ota_updater.h"

#include "gagent/core/dns_cache.h"
#include "gagent/proto/cloud_http.h"

namespace gagent::core {

std::string_view otaFailureName(OtaFailure failure) {
  switch (failure) {
    case OtaFailure::BadUrl:
      return "bad download URL";
    case OtaFailure::DnsFailed:
      return "download host did not resolve";
    case OtaFailure::Http:
      return "download failed";
    case OtaFailure::HttpStatus:
      return "download refused by the server";
    case OtaFailure::MissingMd5:
      return "no usable Firmware-MD5";
    case OtaFailure::TooLarge:
      return "image larger than the OTA region";
    case OtaFailure::FlashError:
      return "flash write failed";
    case OtaFailure::Md5Mismatch:
      return "MD5 mismatch";
    case OtaFailure::BadImage:
      return "invalid image";
    case OtaFailure::WrongHardware:
      return "image for another hardware version";
  }
  return "unknown";
}

OtaUpdater::OtaUpdater(HttpClient& http, hal::Dns& dns, hal::Flash& flash, LogHub& logs,
                       OtaListener& listener)
    : http_(http), dns_(dns), flash_(flash), log_(logs, "ota"), listener_(listener) {}

bool OtaUpdater::start(std::string_view url, std::uint32_t fid, std::string_view hardwareVersion,
                       Millis now) {
  if (busy()) {
    log_.warning("download already running, new one ignored");
    return false;
  }
  fid_ = fid;
  outcome_ = Outcome::None;
  erasedEnd_ = 0;
  hardwareVersion_ = hardwareVersion;
  url_.clear();
  url_.append(url);
  const auto parsed = url_.ok() ? proto::parseHttpUrl(url_.view()) : std::nullopt;
  if (!parsed) {
    log_.warning("cannot download '%.*s'", static_cast<int>(url.size() > 64 ? 64 : url.size()), url.data());
    failWith(OtaFailure::BadUrl, now);
    return false;
  }
  region_ = otaRegion(flash_);
  if (region_.size == 0) {
    failWith(OtaFailure::TooLarge, now);
    return false;
  }
  log_.info("downloading firmware FID %u from %.*s", static_cast<unsigned>(fid),
            static_cast<int>(url_.size()), url_.view().data());
  if (const auto ip = parseDottedIpv4(parsed->host)) {
    startDownload(*ip, now);
    return true;
  }
  query_ = dns_.startResolve(parsed->host);
  if (query_ == hal::kNoQuery) {
    failWith(OtaFailure::DnsFailed, now);
    return false;
  }
  state_ = State::Resolving;
  resolveTimeout_.start(now, kResolveTimeout);
  return true;
}

void OtaUpdater::cancel() {
  if (state_ == State::Downloading) http_.reset();
  state_ = State::Idle;
  query_ = hal::kNoQuery;
  resolveTimeout_.stop();
}

void OtaUpdater::startDownload(hal::Ipv4 address, Millis now) {
  const auto url = proto::parseHttpUrl(url_.view());  // views into url_, which outlives the request
  const std::size_t size = url ? proto::buildFirmwareDownloadRequest(http_.requestBuffer(), *url) : 0;
  if (size == 0) {
    failWith(OtaFailure::BadUrl, now);
    return;
  }
  written_ = 0;
  erasedEnd_ = 0;
  md5_ = Md5{};
  sinkFailed_ = false;
  state_ = State::Downloading;
  http_.start(hal::Endpoint{address, url->port}, size, kDownloadTimeout, now, &sink_);
}

void OtaUpdater::poll(Millis now) {
  if (state_ == State::Resolving) {
    hal::Ipv4 address;
    switch (dns_.pollResolve(query_, address)) {
      case hal::DnsState::Resolved:
        resolveTimeout_.stop();
        startDownload(address, now);
        break;
      case hal::DnsState::Failed:
        resolveTimeout_.stop();
        failWith(OtaFailure::DnsFailed, now);
        return;
      case hal::DnsState::Pending:
        if (resolveTimeout_.fire(now)) failWith(OtaFailure::DnsFailed, now);
        return;
    }
  }
  if (state_ != State::Downloading) return;
  http_.poll(now);
  if (!http_.finished()) return;
  const HttpResult result = http_.result();
  http_.reset();
  if (sinkFailed_) {
    failWith(sinkFailure_, now);
  } else if (!result.ok()) {
    failWith(OtaFailure::Http, now);
  } else {
    finishDownload(now);
  }
}

Millis OtaUpdater::nextDeadline() const {
  if (state_ == State::Resolving) return resolveTimeout_.deadline();
  if (state_ == State::Downloading) return http_.nextDeadline();
  return hal::kNever;
}

bool OtaUpdater::onResponseHead(const proto::HttpResponseParser& head) {
  const auto info = proto::parseFirmwareDownloadHeaders(head);
  sinkFailed_ = true;
  if (!info.ok()) {
    sinkFailure_ =
        info.error == proto::CloudReplyError::HttpStatus ? OtaFailure::HttpStatus : OtaFailure::MissingMd5;
    log_.warning("download reply %u refused", static_cast<unsigned>(head.statusCode()));
    return false;
  }
  if (!info.value.md5) {
    sinkFailure_ = OtaFailure::MissingMd5;
    log_.warning("download has no Firmware-MD5 header: cannot verify it");
    return false;
  }
  if (info.value.contentLength && *info.value.contentLength > region_.size) {
    sinkFailure_ = OtaFailure::TooLarge;
    log_.warning("image of %llu bytes does not fit the OTA region (%zu)",
                 static_cast<unsigned long long>(*info.value.contentLength), region_.size);
    return false;
  }
  expectedMd5_ = *info.value.md5;
  sinkFailed_ = false;
  return true;
}

bool OtaUpdater::eraseThrough(std::size_t end) {
  const std::size_t sector = flash_.sectorSize();
  while (erasedEnd_ < end) {
    if (sector == 0 || !flash_.eraseSector(region_.offset + erasedEnd_)) return false;
    erasedEnd_ += sector;
  }
  return true;
}

bool OtaUpdater::onResponseBody(proto::Bytes piece) {
  if (region_.size - written_ < piece.size()) {
    sinkFailed_ = true;
    sinkFailure_ = OtaFailure::TooLarge;
    log_.warning("image larger than the OTA region (%zu bytes)", region_.size);
    return false;
  }
  if (!eraseThrough(written_ + piece.size()) || !flash_.write(region_.offset + written_, piece)) {
    sinkFailed_ = true;
    sinkFailure_ = OtaFailure::FlashError;
    log_.error("flash write at OTA offset %zu failed", written_);
    return false;
  }
  md5_.update(piece);
  written_ += piece.size();
  return true;
}

void OtaUpdater::finishDownload(Millis now) {
  if (md5_.finish() != expectedMd5_) {
    failWith(OtaFailure::Md5Mismatch, now);
    return;
  }
  const FirmwareImageCheck check = checkFlashImage(flash_, region_, written_, hardwareVersion_.view());
  if (!check.ok()) {
    const std::string_view reason = firmwareImageErrorName(check.error);
    log_.warning("downloaded image rejected: %.*s", static_cast<int>(reason.size()), reason.data());
    failWith(check.error == FirmwareImageError::WrongHardware ? OtaFailure::WrongHardware
             : check.error == FirmwareImageError::FlashError  ? OtaFailure::FlashError
                                                              : OtaFailure::BadImage,
             now);
    return;
  }
  state_ = State::Idle;
  outcome_ = Outcome::Installed;
  erasedEnd_ = 0;
  const FirmwareImageHeader& header = check.header;
  log_.info("firmware FID %u installed: software %.*s, firmware %.*s (%zu bytes)",
            static_cast<unsigned>(fid_), static_cast<int>(header.softwareVersion.size()),
            header.softwareVersion.view().data(), static_cast<int>(header.firmwareVersion.size()),
            header.firmwareVersion.view().data(), written_);
  listener_.onFirmwareInstalled(fid_, header.softwareVersion.view(), header.firmwareVersion.view(), now);
}

void OtaUpdater::failWith(OtaFailure failure, Millis now) {
  // A partial or rejected image must not pass for the installed one at the next boot (readInstalledImage).
  if (erasedEnd_ > 0 && !flash_.eraseSector(region_.offset))
    log_.error("could not invalidate the OTA region");
  erasedEnd_ = 0;
  state_ = State::Idle;
  outcome_ = Outcome::Failed;
  query_ = hal::kNoQuery;
  resolveTimeout_.stop();
  const std::string_view reason = otaFailureName(failure);
  log_.warning("OTA failed: %.*s; FID unchanged", static_cast<int>(reason.size()), reason.data());
  listener_.onOtaFailed(failure, now);
}

}  // namespace gagent::core
