// What systemd (Type=notify, WatchdogSec=) hears from the daemon: READY=1,
// a STATUS= line, STOPPING=1 and the watchdog pets. Outside systemd every
// call is a no-op (sd_notify without $NOTIFY_SOCKET).
//
// The watchdog is petted from the job loop and from every wait, never from a
// thread of its own: a pet then means "the main loop still turns", so a hang
// is caught, while waiting for PostgreSQL or PhoneBurner (which can last long,
// with the webhook listener still serving from its journal) is not taken
// for one.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

namespace pgdialer::sync::service {

// Tells systemd the daemon is ready, with a status line.
void ready(const std::string& status);
void status(const std::string& status);
void stopping();

// Pets the watchdog if systemd asked for one, at most every half interval.
void pet_watchdog();

// Sleeps up to `duration`, waking early once `stop` is set; keeps the
// watchdog petted meanwhile.
void nap(std::chrono::milliseconds duration, const std::atomic<bool>& stop);

}  // namespace pgdialer::sync::service
