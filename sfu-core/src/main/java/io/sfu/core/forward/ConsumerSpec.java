package io.sfu.core.forward;

import java.util.Objects;

/**
 * What the control plane tells a forwarding agent about one subscription: which producer, the SSRCs the subscriber
 * was told about, how payload types and header-extension ids map from the publisher's numbering to the
 * subscriber's, and the simulcast and temporal layers it prefers.
 *
 * @param payloadTypeMap publisher payload type (index, 0..127) to the subscriber's, or -1 to drop
 * @param rtxPayloadTypeMap subscriber payload type (index) to the subscriber's RTX payload type, or -1 without RTX
 * @param extensionIdMap publisher extension id (index, 0..255) to the subscriber's id, or 0 to erase
 * @param preferredLayer index into the producer's encodings; a larger index than exists means "the highest"
 * @param maxTemporalLayer the highest temporal layer (VP8 or VP9 TID) to forward; 3 or more means every one
 * @param maxSpatialLayer the highest spatial layer (VP9 SID) to forward; 7 or more means every one
 * @param maxSpatialHeight when positive, the highest spatial layer is instead the highest no taller than this
 * @param relayedEncoding the one encoding a relay leg's consumer sends, every layer of it and from its first
 *     keyframe on, whatever the estimate; -1 for a subscriber's consumer, which chooses
 */
public record ConsumerSpec(String consumerId, String producerTrackId, int ssrc, int rtxSsrc, int[] payloadTypeMap,
                           int[] rtxPayloadTypeMap, int[] extensionIdMap, int preferredLayer,
                           TrackCounters counters, int maxTemporalLayer, int maxSpatialLayer, int maxSpatialHeight,
                           int relayedEncoding) {
    /** Every spatial layer: what a subscription forwards unless the subscriber asks for fewer. */
    public static final int ALL_SPATIAL_LAYERS = SpatialLayerFilter.ALL;

    /** Every temporal layer: what a subscription forwards unless the subscriber asks for fewer. */
    public static final int ALL_TEMPORAL_LAYERS = TemporalLayerFilter.ALL;

    /** A subscription that forwards every temporal layer. */
    public ConsumerSpec(String consumerId, String producerTrackId, int ssrc, int rtxSsrc, int[] payloadTypeMap,
                        int[] rtxPayloadTypeMap, int[] extensionIdMap, int preferredLayer, TrackCounters counters) {
        this(consumerId, producerTrackId, ssrc, rtxSsrc, payloadTypeMap, rtxPayloadTypeMap, extensionIdMap,
            preferredLayer, counters, ALL_TEMPORAL_LAYERS);
    }

    /** A subscription that forwards every spatial layer. */
    public ConsumerSpec(String consumerId, String producerTrackId, int ssrc, int rtxSsrc, int[] payloadTypeMap,
                        int[] rtxPayloadTypeMap, int[] extensionIdMap, int preferredLayer, TrackCounters counters,
                        int maxTemporalLayer) {
        this(consumerId, producerTrackId, ssrc, rtxSsrc, payloadTypeMap, rtxPayloadTypeMap, extensionIdMap,
            preferredLayer, counters, maxTemporalLayer, ALL_SPATIAL_LAYERS, 0);
    }

    /** A subscriber's consumer. */
    public ConsumerSpec(String consumerId, String producerTrackId, int ssrc, int rtxSsrc, int[] payloadTypeMap,
                        int[] rtxPayloadTypeMap, int[] extensionIdMap, int preferredLayer, TrackCounters counters,
                        int maxTemporalLayer, int maxSpatialLayer, int maxSpatialHeight) {
        this(consumerId, producerTrackId, ssrc, rtxSsrc, payloadTypeMap, rtxPayloadTypeMap, extensionIdMap,
            preferredLayer, counters, maxTemporalLayer, maxSpatialLayer, maxSpatialHeight, -1);
    }

    public ConsumerSpec {
        Objects.requireNonNull(consumerId, "consumerId");
        Objects.requireNonNull(producerTrackId, "producerTrackId");
        if (payloadTypeMap.length != 128 || rtxPayloadTypeMap.length != 128 || extensionIdMap.length != 256) {
            throw new IllegalArgumentException("maps must have 128, 128 and 256 entries");
        }
        Objects.requireNonNull(counters, "counters");
        if (maxTemporalLayer < 0) {
            throw new IllegalArgumentException("maxTemporalLayer must not be negative: " + maxTemporalLayer);
        }
        if (maxSpatialLayer < 0) {
            throw new IllegalArgumentException("maxSpatialLayer must not be negative: " + maxSpatialLayer);
        }
    }
}
