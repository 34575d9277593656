package io.sfu.core.datachannel;

/** Placeholder of what a send on a data channel did; replaced by the SCTP stack. */
public enum SendResult { SENT, DROPPED_BUFFER_FULL, CLOSED, TOO_LARGE }
