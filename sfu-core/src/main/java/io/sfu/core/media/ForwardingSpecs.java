package io.sfu.core.media;

import io.sfu.core.forward.ConsumerSpec;
import io.sfu.core.forward.ProducerSpec;
import io.sfu.core.forward.ReceiveExtensionIds;
import io.sfu.core.forward.TrackCounters;
import io.sfu.core.negotiation.AnsweredTrack;
import io.sfu.core.negotiation.NegotiatedCodec;
import io.sfu.core.negotiation.PublishedTrack;
import io.sfu.core.rtp.HeaderExtensionUris;
import io.sfu.core.sdp.MediaKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns what negotiation agreed into what a forwarding agent needs: a published m-line into a {@link ProducerSpec},
 * the publisher transport's header-extension ids into {@link ReceiveExtensionIds}, and a subscriber's answered
 * m-line into the payload-type and extension-id maps of a {@link ConsumerSpec}.
 */
final class ForwardingSpecs {
    private ForwardingSpecs() {
    }

    static ProducerSpec producer(String trackId, String participantId, String roomKey, PublishedTrack track,
                                 boolean screenShare, TrackCounters counters) {
        List<ProducerSpec.Codec> codecs = new ArrayList<>();
        boolean nack = false;
        boolean pli = false;
        boolean fir = false;
        for (NegotiatedCodec codec : track.codecs()) {
            codecs.add(new ProducerSpec.Codec(codec.payloadType(), codec.name(), codec.rtxPayloadType()));
            nack |= codec.hasFeedback(NegotiatedCodec.NACK);
            pli |= codec.hasFeedback(NegotiatedCodec.PLI);
            fir |= codec.hasFeedback(NegotiatedCodec.FIR);
        }
        List<ProducerSpec.Encoding> encodings = new ArrayList<>();
        if (track.rids().isEmpty() && track.layerCount() > 1) {
            // simulcast signalled by SSRCs (a=ssrc-group:SIM, lowest layer first): one encoding per layer
            for (int ssrc : track.ssrcs()) {
                encodings.add(new ProducerSpec.Encoding(null, ssrc, track.rtxSsrcs().getOrDefault(ssrc, 0)));
            }
        } else if (track.rids().isEmpty()) {
            int ssrc = track.ssrcs().isEmpty() ? 0 : track.ssrcs().get(0);
            encodings.add(new ProducerSpec.Encoding(null, ssrc, track.rtxSsrcs().getOrDefault(ssrc, 0)));
        } else {
            for (int i = 0; i < track.rids().size(); i++) {
                int ssrc = i < track.ssrcs().size() ? track.ssrcs().get(i) : 0;
                encodings.add(new ProducerSpec.Encoding(track.rids().get(i), ssrc,
                    ssrc == 0 ? 0 : track.rtxSsrcs().getOrDefault(ssrc, 0)));
            }
        }
        int clockRate = track.codecs().isEmpty() ? 90_000 : track.codecs().get(0).clockRate();
        return new ProducerSpec(trackId, participantId, roomKey, track.mid(), track.kind() == MediaKind.VIDEO,
            clockRate, codecs, encodings, nack, pli, fir, screenShare, counters);
    }

    /** BUNDLE gives one extension id space per transport (RFC 8843 §9.2): any m-line's id stands for all. */
    static ReceiveExtensionIds receiveExtensionIds(List<PublishedTrack> tracks) {
        return new ReceiveExtensionIds(firstId(tracks, HeaderExtensionUris.MID),
            firstId(tracks, HeaderExtensionUris.RTP_STREAM_ID), firstId(tracks, HeaderExtensionUris.REPAIRED_RTP_STREAM_ID),
            firstId(tracks, HeaderExtensionUris.TRANSPORT_WIDE_CC), firstId(tracks, HeaderExtensionUris.AUDIO_LEVEL),
            Math.max(0, firstId(tracks, HeaderExtensionUris.DEPENDENCY_DESCRIPTOR)));
    }

    private static int firstId(List<PublishedTrack> tracks, String uri) {
        for (PublishedTrack track : tracks) {
            int id = track.extensionId(uri);
            if (id > 0) {
                return id;
            }
        }
        return 0;
    }

    /**
     * The subscription of {@code published} that the subscriber answered as {@code answered}: its payload types,
     * RTX payload types and extension ids in the subscriber's numbering.
     */
    static ConsumerSpec consumer(String consumerId, String trackId, int ssrc, PublishedTrack published,
                                 AnsweredTrack answered, int preferredLayer, int maxTemporalLayer,
                                 int maxSpatialLayer, int maxSpatialHeight, TrackCounters counters) {
        int[] payloadTypes = new int[128];
        answered.payloadTypes().copyTo(payloadTypes);
        int[] rtxPayloadTypes = new int[128];
        Arrays.fill(rtxPayloadTypes, -1);
        for (NegotiatedCodec codec : published.codecs()) {
            int subscriberPt = payloadTypes[codec.payloadType()];
            int subscriberRtx = codec.rtxPayloadType() >= 0 ? payloadTypes[codec.rtxPayloadType()] : -1;
            if (subscriberPt >= 0 && subscriberRtx >= 0) {
                rtxPayloadTypes[subscriberPt] = subscriberRtx;
            }
        }
        int[] extensionIds = new int[256];
        for (var extension : published.extensions().entrySet()) {
            Integer subscriberId = answered.extensions().get(extension.getKey());
            int publisherId = extension.getValue();
            if (subscriberId != null && publisherId > 0 && publisherId < 256) {
                extensionIds[publisherId] = subscriberId;
            }
        }
        return new ConsumerSpec(consumerId, trackId, ssrc, answered.rtxSsrc(), payloadTypes, rtxPayloadTypes,
            extensionIds, preferredLayer, counters, maxTemporalLayer, maxSpatialLayer, maxSpatialHeight);
    }
}
