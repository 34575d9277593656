package io.sfu.core.negotiation;

import io.sfu.core.sdp.MediaDescription;
import io.sfu.core.sdp.Rid;
import io.sfu.core.sdp.RidDirection;
import io.sfu.core.sdp.Simulcast;
import io.sfu.core.sdp.Simulcast.SimulcastId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The simulcast streams a publisher answer receives on one m-line (RFC 8853 §5.3), and the {@code a=rid} and
 * {@code a=simulcast:recv} lines that answer them.
 */
final class SimulcastSelection {
    /** No simulcast: audio, or an m-line without {@code a=simulcast:send}. */
    static final SimulcastSelection NONE = new SimulcastSelection(List.of(), Map.of());

    /** The accepted rids, one per offered send stream, in the offer's order. */
    final List<SimulcastId> accepted;
    /** The answer's {@code pt=} restriction of each accepted rid (empty for none). */
    private final Map<String, List<Integer>> ridPayloadTypes;

    private SimulcastSelection(List<SimulcastId> accepted, Map<String, List<Integer>> ridPayloadTypes) {
        this.accepted = accepted;
        this.ridPayloadTypes = ridPayloadTypes;
    }

    /**
     * RFC 8853 §5.3: the first usable alternative of each offered send stream, in order: a send rid whose
     * {@code pt=} list, if any, keeps a codec the answer accepts.
     *
     * @param codecs the primaries the answer accepts on the m-line
     */
    static SimulcastSelection of(MediaDescription m, List<NegotiatedCodec> codecs) {
        Optional<Simulcast> offered = m.simulcast();
        if (offered.isEmpty() || offered.get().send().isEmpty()) {
            return NONE;
        }
        Map<String, Rid> sendRids = new LinkedHashMap<>();
        for (Rid r : m.rids()) {
            if (r.direction() == RidDirection.SEND) {
                sendRids.putIfAbsent(r.id(), r);
            }
        }
        Set<Integer> acceptedPts = new HashSet<>();
        for (NegotiatedCodec c : codecs) {
            acceptedPts.add(c.payloadType());
        }
        Map<String, List<Integer>> ridPayloadTypes = new HashMap<>();
        List<SimulcastId> out = new ArrayList<>();
        for (List<SimulcastId> alternatives : offered.get().send()) {
            for (SimulcastId id : alternatives) {
                Rid rid = sendRids.get(id.rid());
                if (rid == null || ridPayloadTypes.containsKey(id.rid())) {
                    continue;
                }
                List<Integer> pts = new ArrayList<>();
                for (int pt : rid.payloadTypes()) {
                    if (acceptedPts.contains(pt)) {
                        pts.add(pt);
                    }
                }
                if (!rid.payloadTypes().isEmpty() && pts.isEmpty()) {
                    continue; // restricted to codecs the SFU dropped
                }
                ridPayloadTypes.put(id.rid(), pts);
                out.add(id);
                break;
            }
        }
        return new SimulcastSelection(out, ridPayloadTypes);
    }

    /** Adds {@code a=rid:<id> recv} per accepted stream and {@code a=simulcast:recv} in the same order. */
    void writeAnswer(MediaDescription answer) {
        if (accepted.isEmpty()) {
            return;
        }
        for (SimulcastId id : accepted) {
            answer.add(new Rid(id.rid(), RidDirection.RECV, ridPayloadTypes.get(id.rid()), Map.of()));
        }
        List<List<SimulcastId>> streams = new ArrayList<>();
        for (SimulcastId id : accepted) {
            streams.add(List.of(id));
        }
        answer.setSimulcast(new Simulcast(List.of(), streams));
    }
}
