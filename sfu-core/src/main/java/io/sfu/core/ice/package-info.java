/**
 * ICE for the SFU (RFC 8445): the server side is ICE-lite (§2.5) and always controlled, answering connectivity
 * checks (§7.3) and following the peer's nominations; consent freshness follows RFC 7675. The client side is a
 * small controlling agent for the project's own test clients and load harness. Pure logic over
 * {@link io.sfu.core.stun}: no sockets, time passed in or read from an injected clock.
 */
package io.sfu.core.ice;
