/**
 * The embedded TURN server (RFC 8656): allocations over UDP and TCP for clients that reach the SFU through nothing
 * but one port, relaying toward the SFU's own media socket only, with the REST-style short-lived credentials
 * ({@link io.sfu.core.turn.TurnCredentials}) the signaling side hands out. It stands on the media port's sockets
 * ({@code net}) and the STUN codec ({@code stun}); the media engine runs it.
 */
package io.sfu.core.turn;
