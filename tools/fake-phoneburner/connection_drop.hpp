// Closing a connection without an answer. cpp-httplib always writes a
// response after a handler returns and does not hand handlers their socket,
// so the fake finds it: the process's socket whose local and peer ports are
// the request's, and shuts it down. httplib's write then fails and it closes
// the socket as usual; the client sees EOF before any byte of a response.
#pragma once

namespace fake_pb {

// False when no such socket was found (e.g. /proc is not mounted).
bool drop_connection(int local_port, int remote_port);

}  // namespace fake_pb
