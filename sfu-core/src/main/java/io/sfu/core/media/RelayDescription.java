package io.sfu.core.media;

import io.sfu.core.negotiation.FeedbackSupport;
import io.sfu.core.negotiation.NegotiatedCodec;
import io.sfu.core.negotiation.PublishedTrack;
import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.MediaKind;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node tells its peers about a track it can relay to them ({@code MediaRelay.describe}): the track as its
 * publisher negotiated it (codecs, payload types, feedback), the header extensions under the relay's own ids, the
 * SSRCs the relay sends each encoding (and its RTX) with, and the SSRC the node's relay legs of the room use for RTCP.
 * Printed as URL-safe Base64 of a versioned binary form; reading it checks every count and length, since it comes
 * from another node.
 *
 * @param roomSsrc  the SSRC the exporting node's relay leg of the room sends RTCP with, and the one the importing
 *                  node's leg sends its feedback with (so each side finds the room of the other's RTCP)
 * @param ssrcs     one relay SSRC per encoding, lowest first
 * @param rtxSsrcs  the RTX SSRC of each encoding, 0 without RTX
 */
public record RelayDescription(int roomSsrc, MediaKind kind, String mid, List<NegotiatedCodec> codecs,
                               Map<String, Integer> extensions, List<String> rids, int[] ssrcs, int[] rtxSsrcs,
                               FeedbackSupport feedback) {
    private static final int VERSION = 1;
    /** A description longer than this (printed) is refused unread. */
    public static final int MAX_CHARS = 16_384;
    static final int MAX_CODECS = 32;
    static final int MAX_PARAMETERS = 32;
    static final int MAX_FEEDBACK = 16;
    static final int MAX_EXTENSIONS = 16;
    static final int MAX_ENCODINGS = 8;
    private static final int MAX_STRING_BYTES = 512;

    /**
     * The relay's own header-extension ids: a relay leg carries tracks of several publishers, which may number
     * their extensions apart, so the exporting consumer rewrites them to these; extensions not listed are erased.
     */
    static final Map<String, Integer> EXTENSION_IDS = Map.of(HeaderExtensionUris.AUDIO_LEVEL, 1,
        HeaderExtensionUris.TRANSPORT_WIDE_CC, 2, HeaderExtensionUris.ABS_SEND_TIME, 3,
        HeaderExtensionUris.VIDEO_ORIENTATION, 4, HeaderExtensionUris.DEPENDENCY_DESCRIPTOR, 5);

    public RelayDescription {
        codecs = List.copyOf(codecs);
        extensions = Map.copyOf(extensions);
        rids = List.copyOf(rids);
        ssrcs = ssrcs.clone();
        rtxSsrcs = rtxSsrcs.clone();
        if (ssrcs.length == 0 || ssrcs.length > MAX_ENCODINGS || rtxSsrcs.length != ssrcs.length) {
            throw new IllegalArgumentException("1 to " + MAX_ENCODINGS + " encodings, each with an RTX SSRC or 0");
        }
        if (!rids.isEmpty() && rids.size() != ssrcs.length) {
            throw new IllegalArgumentException("one rid per encoding, or none");
        }
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("no codec");
        }
    }

    /** The description of {@code track} as the relay sends it, with the SSRCs it picked. */
    static RelayDescription of(int roomSsrc, PublishedTrack track, int[] ssrcs, int[] rtxSsrcs) {
        Map<String, Integer> extensions = new LinkedHashMap<>();
        for (String uri : track.extensions().keySet()) {
            Integer relayId = EXTENSION_IDS.get(uri);
            if (relayId != null) {
                extensions.put(uri, relayId);
            }
        }
        return new RelayDescription(roomSsrc, track.kind(), track.mid(), track.codecs(), extensions, track.rids(),
            ssrcs, rtxSsrcs, track.feedback());
    }

    /** The track as a producer of the importing node sees it: sent with the relay's SSRCs and extension ids. */
    PublishedTrack toPublishedTrack(String trackId, String publisherId) {
        List<Integer> primary = new ArrayList<>();
        Map<Integer, Integer> rtx = new LinkedHashMap<>();
        for (int i = 0; i < ssrcs.length; i++) {
            primary.add(ssrcs[i]);
            if (rtxSsrcs[i] != 0) {
                rtx.put(ssrcs[i], rtxSsrcs[i]);
            }
        }
        return new PublishedTrack(mid, kind, publisherId, trackId, rids, primary, rtx, null, codecs, extensions,
            feedback);
    }

    /** The printable form. */
    public String encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(roomSsrc);
            out.writeByte(kind == MediaKind.AUDIO ? 0 : 1);
            out.writeUTF(mid);
            out.writeByte(codecs.size());
            for (NegotiatedCodec codec : codecs) {
                out.writeByte(codec.payloadType());
                out.writeUTF(codec.name());
                out.writeInt(codec.clockRate());
                out.writeByte(codec.channels());
                out.writeByte(codec.parameters().size());
                for (Map.Entry<String, String> parameter : codec.parameters().entrySet()) {
                    out.writeUTF(parameter.getKey());
                    out.writeBoolean(parameter.getValue() != null);
                    if (parameter.getValue() != null) {
                        out.writeUTF(parameter.getValue());
                    }
                }
                out.writeByte(codec.rtxPayloadType());
                out.writeByte(codec.feedback().size());
                for (String value : codec.feedback()) {
                    out.writeUTF(value);
                }
            }
            out.writeByte(extensions.size());
            for (Map.Entry<String, Integer> extension : extensions.entrySet()) {
                out.writeUTF(extension.getKey());
                out.writeByte(extension.getValue());
            }
            out.writeByte(rids.size());
            for (String rid : rids) {
                out.writeUTF(rid);
            }
            out.writeByte(ssrcs.length);
            for (int i = 0; i < ssrcs.length; i++) {
                out.writeInt(ssrcs[i]);
                out.writeInt(rtxSsrcs[i]);
            }
            out.writeBoolean(feedback.nack());
            out.writeBoolean(feedback.pli());
            out.writeBoolean(feedback.fir());
            out.writeBoolean(feedback.transportCc());
            out.writeBoolean(feedback.remb());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /**
     * Reads a printed description.
     *
     * @throws IllegalArgumentException when it is not one this node can use: too long, not Base64, another
     *     version, a count or length out of bounds, a payload type, SSRC or extension id out of range
     */
    public static RelayDescription decode(String text) {
        if (text == null || text.length() > MAX_CHARS) {
            throw new IllegalArgumentException("no description, or one longer than " + MAX_CHARS + " characters");
        }
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readUnsignedByte() != VERSION) {
                throw new IllegalArgumentException("unknown description version");
            }
            int roomSsrc = in.readInt();
            int kindCode = in.readUnsignedByte();
            if (kindCode > 1) {
                throw new IllegalArgumentException("unknown media kind " + kindCode);
            }
            MediaKind kind = kindCode == 0 ? MediaKind.AUDIO : MediaKind.VIDEO;
            String mid = string(in);
            int codecCount = count(in, MAX_CODECS, "codecs");
            List<NegotiatedCodec> codecs = new ArrayList<>();
            for (int c = 0; c < codecCount; c++) {
                int payloadType = in.readUnsignedByte();
                String name = string(in);
                int clockRate = in.readInt();
                int channels = in.readUnsignedByte();
                int parameterCount = count(in, MAX_PARAMETERS, "fmtp parameters");
                Map<String, String> parameters = new LinkedHashMap<>();
                for (int p = 0; p < parameterCount; p++) {
                    String key = string(in);
                    parameters.put(key, in.readBoolean() ? string(in) : null);
                }
                int rtxPayloadType = in.readByte();
                int feedbackCount = count(in, MAX_FEEDBACK, "feedback values");
                List<String> feedback = new ArrayList<>();
                for (int f = 0; f < feedbackCount; f++) {
                    feedback.add(string(in));
                }
                codecs.add(new NegotiatedCodec(payloadType, name, clockRate, channels, parameters, rtxPayloadType,
                    feedback));
            }
            int extensionCount = count(in, MAX_EXTENSIONS, "extensions");
            Map<String, Integer> extensions = new LinkedHashMap<>();
            for (int e = 0; e < extensionCount; e++) {
                String uri = string(in);
                int id = in.readUnsignedByte();
                if (!Integer.valueOf(id).equals(EXTENSION_IDS.get(uri))) {
                    throw new IllegalArgumentException("extension " + uri + " under id " + id);
                }
                extensions.put(uri, id);
            }
            int ridCount = count(in, MAX_ENCODINGS, "rids");
            List<String> rids = new ArrayList<>();
            for (int r = 0; r < ridCount; r++) {
                rids.add(string(in));
            }
            int encodings = count(in, MAX_ENCODINGS, "encodings");
            int[] ssrcs = new int[encodings];
            int[] rtxSsrcs = new int[encodings];
            for (int i = 0; i < encodings; i++) {
                ssrcs[i] = in.readInt();
                rtxSsrcs[i] = in.readInt();
                if (ssrcs[i] == 0 || ssrcs[i] == roomSsrc || rtxSsrcs[i] == ssrcs[i] || rtxSsrcs[i] == roomSsrc) {
                    throw new IllegalArgumentException("SSRCs of the description clash");
                }
            }
            FeedbackSupport feedback = new FeedbackSupport(in.readBoolean(), in.readBoolean(), in.readBoolean(),
                in.readBoolean(), in.readBoolean());
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing octets after the description");
            }
            if (roomSsrc == 0) {
                throw new IllegalArgumentException("no room SSRC");
            }
            return new RelayDescription(roomSsrc, kind, mid, codecs, extensions, rids, ssrcs, rtxSsrcs, feedback);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated description", e);
        }
    }

    private static int count(DataInputStream in, int max, String what) throws IOException {
        int count = in.readUnsignedByte();
        if (count > max) {
            throw new IllegalArgumentException(count + " " + what + ", at most " + max);
        }
        return count;
    }

    private static String string(DataInputStream in) throws IOException {
        in.mark(2);
        int length = in.readUnsignedShort();
        if (length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("a string of " + length + " octets, at most " + MAX_STRING_BYTES);
        }
        in.reset();
        return in.readUTF();
    }
}
