#pragma once
// SIGTERM / SIGINT end the Qt event loop cleanly (exit code 0): the handler only writes to a socket pair, the
// event loop reads it and calls QCoreApplication::quit() (nothing else is async-signal-safe).

namespace gizrig::cloud {

// Call once after QCoreApplication exists. False when the socket pair or the handlers cannot be set up.
bool quitOnTerminationSignals();

}  // namespace gizrig::cloud
