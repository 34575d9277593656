/**
 * Packet memory: fixed-size slots from a pool, each with one owner at a time, released exactly once.
 * Protocol flyweights read and write in place over Agrona buffers backed by these slots' byte arrays, so that
 * the JCE ciphers can work on the same memory without copying.
 */
package io.sfu.core.buffer;
