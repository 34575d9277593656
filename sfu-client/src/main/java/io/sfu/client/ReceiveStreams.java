package io.sfu.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.sfu.core.feedback.StreamDiscovery;
import io.sfu.core.rtp.RtpPacket;
import io.sfu.core.sdp.MediaKind;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The streams one connection receives, by SSRC and by RTX SSRC: those the SFU's offers announce, kept in step with
 * each new offer, and those discovered from packets, attributed to a track by their mid header extension
 * ({@link StreamDiscovery}) when the SDP named no SSRC for it. At most {@code pc.maxReceiveStreams}. Loop thread, except {@link #remoteTracks()}.
 */
final class ReceiveStreams {
    private int transportCcId;
    private final ClientPeerConnection pc;
    private final ClientPeerConnectionConfig config;
    private final ClientStats stats;
    private final ClientTransport transport;
    private final Int2ObjectHashMap<ReceiveStream> bySsrc = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<ReceiveStream> byRtxSsrc = new Int2ObjectHashMap<>();
    private ReceiveStream[] streams = new ReceiveStream[8];
    private int count;
    private int[] associatedPayloadTypes = noPayloadTypes();
    private int[] clockRates = new int[128];
    private Set<Integer> nackPayloadTypes = Set.of();
    private final StreamDiscovery discovery = new StreamDiscovery();
    private List<SubscriberSdp.MidRoute> midRoutes = List.of();
    private volatile List<RemoteTrack> remoteTracks = List.of();

    ReceiveStreams(ClientPeerConnection pc, ClientTransport transport) {
        this.pc = pc;
        this.config = pc.config();
        this.stats = pc.stats();
        this.transport = transport;
    }

    /**
     * Takes in what the answer to an SFU offer decided: payload types, extension ids and mid routes; a stream for
     * every announced track, and none any more for a track the offer no longer sends. The listener hears of the
     * removed tracks, then of the new ones.
     */
    /** The id of the transport-wide sequence extension the SFU stamps what it sends with, 0 when not negotiated. */
    int transportCcId() {
        return transportCcId;
    }

    void apply(SubscriberSdp.SubscriberPlan plan) {
        associatedPayloadTypes = plan.associatedPayloadTypes();
        clockRates = plan.clockRates();
        nackPayloadTypes = plan.nackPayloadTypes();
        // the mid alone attributes a packet here: the SFU sends a subscriber one encoding per m-line
        discovery.extensionIds(plan.extensions().mid(), 0, 0);
        transportCcId = plan.extensions().transportCc();
        midRoutes = plan.midRoutes();
        Set<Integer> announced = new HashSet<>();
        for (RemoteTrack t : plan.tracks()) {
            announced.add(t.ssrc());
        }
        List<RemoteTrack> removed = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            ReceiveStream s = streams[i];
            RemoteTrack t = s.track();
            if (t != null && !announced.contains(s.ssrc()) && (t.rtxSsrc() != 0 || !hasMidRoute(t.mid()))) {
                remove(i);
                removed.add(t);
            }
        }
        List<RemoteTrack> added = new ArrayList<>();
        for (RemoteTrack t : plan.tracks()) {
            ReceiveStream existing = bySsrc.get(t.ssrc());
            if (existing != null && existing.track() != null) {
                continue;
            }
            if (existing != null) {
                remove(indexOf(existing));
            }
            ReceiveStream stream = new ReceiveStream(t.ssrc(), t, t.clockRateHz(),
                wantsNack(t.kind(), t.payloadType()) ? config.newNackGenerator() : null);
            add(stream);
            if (t.rtxSsrc() != 0) {
                byRtxSsrc.put(t.rtxSsrc(), stream);
            }
            added.add(t);
        }
        publishRemoteTracks();
        for (RemoteTrack t : removed) {
            pc.notifyTrackRemoved(t);
        }
        for (RemoteTrack t : added) {
            pc.notifyTrack(t);
        }
    }

    /** The stream of a media SSRC, or null. */
    ReceiveStream get(int ssrc) {
        return bySsrc.get(ssrc);
    }

    /** The stream an RTX SSRC repairs (its FID group partner), or null. */
    ReceiveStream repairedBy(int rtxSsrc) {
        return byRtxSsrc.get(rtxSsrc);
    }

    /** The payload type an RTX payload type repairs ({@code apt}), or -1. */
    int associatedPayloadType(int rtxPayloadType) {
        return associatedPayloadTypes[rtxPayloadType];
    }

    /**
     * A stream for {@code rtp}'s SSRC, which the SDP did not name: attributed by its mid extension, else anonymous.
     *
     * @return null, counted, for what cannot be attributed (RTX without an FID group) or is one stream too many
     */
    ReceiveStream discover(RtpPacket rtp) {
        int ssrc = rtp.ssrc();
        int payloadType = rtp.payloadType();
        if (associatedPayloadTypes[payloadType] >= 0 || count >= config.maxReceiveStreams()) {
            stats.increment(ClientStats.UNKNOWN_SSRC_DROPS);
            return null;
        }
        RemoteTrack track = null;
        if (discovery.negotiatesMid() && !midRoutes.isEmpty()) {
            discovery.read(rtp);
            for (SubscriberSdp.MidRoute route : midRoutes) {
                if (discovery.midEquals(route.midBytes())) {
                    track = new RemoteTrack(route.participantId(), route.trackId(), route.kind(), route.mid(),
                        ssrc, 0, route.payloadType(), route.clockRateHz());
                    break;
                }
            }
        }
        int clockRate = track != null ? track.clockRateHz()
            : clockRates[payloadType] > 0 ? clockRates[payloadType] : ClientSdp.VIDEO_CLOCK_RATE;
        MediaKind kind = track != null ? track.kind()
            : clockRate == ClientSdp.VIDEO_CLOCK_RATE ? MediaKind.VIDEO : MediaKind.AUDIO;
        ReceiveStream stream = new ReceiveStream(ssrc, track, clockRate,
            wantsNack(kind, payloadType) ? config.newNackGenerator() : null);
        add(stream);
        if (track != null) {
            publishRemoteTracks();
            pc.notifyTrack(track);
        }
        return stream;
    }

    /** How many streams there are; {@link #at} reads them in order. */
    int count() {
        return count;
    }

    ReceiveStream at(int index) {
        return streams[index];
    }

    /** A copy of the streams. */
    List<ReceiveStream> snapshot() {
        return List.of(Arrays.copyOf(streams, count));
    }

    /** The remote tracks announced or discovered so far. Any thread. */
    List<RemoteTrack> remoteTracks() {
        return remoteTracks;
    }

    private boolean hasMidRoute(String mid) {
        for (SubscriberSdp.MidRoute route : midRoutes) {
            if (route.mid().equals(mid)) {
                return true;
            }
        }
        return false;
    }

    private boolean wantsNack(MediaKind kind, int payloadType) {
        return kind == MediaKind.VIDEO && (payloadType < 0 || nackPayloadTypes.isEmpty()
            || nackPayloadTypes.contains(payloadType));
    }

    private void add(ReceiveStream stream) {
        if (count == streams.length) {
            streams = Arrays.copyOf(streams, count * 2);
        }
        streams[count++] = stream;
        bySsrc.put(stream.ssrc(), stream);
    }

    private void remove(int index) {
        ReceiveStream stream = streams[index];
        System.arraycopy(streams, index + 1, streams, index, count - index - 1);
        streams[--count] = null;
        bySsrc.remove(stream.ssrc());
        RemoteTrack t = stream.track();
        if (t != null && t.rtxSsrc() != 0) {
            byRtxSsrc.remove(t.rtxSsrc());
            transport.forgetSsrc(t.rtxSsrc());
        }
        transport.forgetSsrc(stream.ssrc());
    }

    private int indexOf(ReceiveStream stream) {
        for (int i = 0; i < count; i++) {
            if (streams[i] == stream) {
                return i;
            }
        }
        return -1;
    }

    private void publishRemoteTracks() {
        List<RemoteTrack> tracks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (streams[i].track() != null) {
                tracks.add(streams[i].track());
            }
        }
        remoteTracks = List.copyOf(tracks);
    }

    private static int[] noPayloadTypes() {
        int[] pts = new int[128];
        Arrays.fill(pts, -1);
        return pts;
    }
}
