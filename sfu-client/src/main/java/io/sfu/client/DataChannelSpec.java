package io.sfu.client;

import java.util.Objects;

import io.sfu.core.datachannel.DataChannel;

/** A data channel a publisher connection opens once its SCTP association is up: label, protocol and reliability. */
public record DataChannelSpec(String label, String protocol, DataChannel.Reliability reliability) {
    public DataChannelSpec {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(reliability, "reliability");
    }

    /** A reliable, ordered channel without a protocol: what {@code createDataChannel(label)} opens in a browser. */
    public static DataChannelSpec reliable(String label) {
        return new DataChannelSpec(label, "", DataChannel.Reliability.RELIABLE);
    }
}
