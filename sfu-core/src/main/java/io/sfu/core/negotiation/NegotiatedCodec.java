package io.sfu.core.negotiation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One codec agreed on an m-line: its payload type, {@code a=rtpmap} encoding (RFC 8866 §6.6), {@code a=fmtp}
 * parameters in their written order (RFC 8866 §6.15), the payload type of its RTX repair format (RFC 4588 §8.6,
 * -1 for none) and the agreed {@code a=rtcp-fb} values as written after the payload type ({@code nack},
 * {@code nack pli}, {@code ccm fir}, {@code transport-cc}, {@code goog-remb}).
 *
 * @param channels   the audio channel count of the rtpmap, 0 when absent (video)
 * @param parameters the fmtp parameters in order; a null value is a key written without {@code =}
 */
public record NegotiatedCodec(int payloadType, String name, int clockRate, int channels,
                              Map<String, String> parameters, int rtxPayloadType, List<String> feedback) {

    /** Generic NACK, RFC 4585 §4.2. */
    public static final String NACK = "nack";
    /** Picture loss indication, RFC 4585 §4.2. */
    public static final String PLI = "nack pli";
    /** Full intra request, RFC 5104 §7.1. */
    public static final String FIR = "ccm fir";
    /** Transport-wide congestion control feedback. */
    public static final String TRANSPORT_CC = "transport-cc";
    /** Receiver estimated maximum bitrate. */
    public static final String REMB = "goog-remb";

    /** @throws IllegalArgumentException when a payload type is out of range or the name is blank */
    public NegotiatedCodec {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127, was " + payloadType);
        }
        if (rtxPayloadType < -1 || rtxPayloadType > 127 || rtxPayloadType == payloadType) {
            throw new IllegalArgumentException("rtx payload type must be -1 or another 0..127, was " + rtxPayloadType);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("codec name must not be blank");
        }
        if (clockRate <= 0 || channels < 0) {
            throw new IllegalArgumentException("clock rate must be positive and channels not negative");
        }
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        feedback = List.copyOf(feedback);
    }

    /** @return true when the encoding name matches ignoring case (RFC 4855 §3) */
    public boolean is(String encodingName) {
        return name.equalsIgnoreCase(encodingName);
    }

    /** @return true when an RTX payload type is paired with this codec */
    public boolean hasRtx() {
        return rtxPayloadType >= 0;
    }

    /** @return true when that feedback value (e.g. {@link #PLI}) was agreed */
    public boolean hasFeedback(String value) {
        return feedback.contains(value);
    }

    /** @return the fmtp parameter whose key matches ignoring case, or null */
    public String parameter(String key) {
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * @return true when both describe the same media format: name (ignoring case), clock rate, channels and fmtp
     *     parameters; payload types, RTX and feedback are not compared
     */
    public boolean sameFormatAs(NegotiatedCodec other) {
        return name.equalsIgnoreCase(other.name) && clockRate == other.clockRate && channels == other.channels
            && Objects.equals(parameters, other.parameters);
    }

    /** @return this codec under other payload types, as another peer connection numbers it */
    public NegotiatedCodec withPayloadTypes(int newPayloadType, int newRtxPayloadType) {
        return new NegotiatedCodec(newPayloadType, name, clockRate, channels, parameters, newRtxPayloadType, feedback);
    }

    /** @return this codec with other feedback values */
    public NegotiatedCodec withFeedback(List<String> newFeedback) {
        return new NegotiatedCodec(payloadType, name, clockRate, channels, parameters, rtxPayloadType, newFeedback);
    }
}
