// Logging to stderr in a journald-friendly form: one line per event, with a
// "<N>" syslog priority prefix that systemd turns into the journal priority,
// and key=value fields (job=42) that stay greppable.
#pragma once

#include <string>

namespace pgdialer::sync::log {

enum class Level { error = 3, warning = 4, info = 6, debug = 7 };

void set_verbose(bool verbose);
void write(Level level, const std::string& message);

inline void error(const std::string& m) { write(Level::error, m); }
inline void warning(const std::string& m) { write(Level::warning, m); }
inline void info(const std::string& m) { write(Level::info, m); }
inline void debug(const std::string& m) { write(Level::debug, m); }

}  // namespace pgdialer::sync::log
