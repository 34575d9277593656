package io.sfu.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulcast description, RFC 8853 §5.1:
 * <pre>
 * sc-value     = ( sc-send [SP sc-recv] ) / ( sc-recv [SP sc-send] )
 * sc-send      = %s"send" SP sc-str-list
 * sc-recv      = %s"recv" SP sc-str-list
 * sc-str-list  = sc-alt-list *( ";" sc-alt-list )
 * sc-alt-list  = sc-id *( "," sc-id )
 * sc-id-paused = "~"
 * sc-id        = [sc-id-paused] rid-id
 * </pre>
 * Each direction is a list of simulcast streams, each stream a list of alternative rids (usually one), e.g.
 * {@code send q;h;f} is three streams of one rid each. A missing direction is an empty list; the send list is
 * written first.
 */
public record Simulcast(List<List<SimulcastId>> send, List<List<SimulcastId>> recv) implements TypedAttribute {

    /** One rid in a simulcast list; {@code paused} is the {@code ~} prefix. */
    public record SimulcastId(String rid, boolean paused) {
        /** @throws IllegalArgumentException unless the rid is a valid rid-id */
        public SimulcastId {
            if (!Rid.isRidId(rid)) {
                throw new IllegalArgumentException("simulcast rid '" + rid + "' is not a rid-id");
            }
        }

        @Override
        public String toString() {
            return paused ? "~" + rid : rid;
        }
    }

    /** @throws IllegalArgumentException when both lists are empty or a stream has no alternative */
    public Simulcast {
        send = copy(send);
        recv = copy(recv);
        if (send.isEmpty() && recv.isEmpty()) {
            throw new IllegalArgumentException("simulcast needs a send or a recv list");
        }
    }

    private static List<List<SimulcastId>> copy(List<List<SimulcastId>> streams) {
        List<List<SimulcastId>> out = new ArrayList<>(streams.size());
        for (List<SimulcastId> alternatives : streams) {
            if (alternatives.isEmpty()) {
                throw new IllegalArgumentException("a simulcast stream needs at least one rid");
            }
            out.add(List.copyOf(alternatives));
        }
        return List.copyOf(out);
    }

    /** Simulcast sending one unpaused stream per rid, e.g. {@code sending("q", "h", "f")} is {@code send q;h;f}. */
    public static Simulcast sending(String... rids) {
        return new Simulcast(streams(rids), List.of());
    }

    /** Simulcast receiving one unpaused stream per rid, e.g. {@code recv q;h;f} in an SFU's answer. */
    public static Simulcast receiving(String... rids) {
        return new Simulcast(List.of(), streams(rids));
    }

    private static List<List<SimulcastId>> streams(String... rids) {
        List<List<SimulcastId>> streams = new ArrayList<>(rids.length);
        for (String rid : rids) {
            streams.add(List.of(new SimulcastId(rid, false)));
        }
        return streams;
    }

    /** @return this description seen from the other side: send and recv lists swapped */
    public Simulcast reversed() {
        return new Simulcast(recv, send);
    }

    /** @return the first alternative of each send stream, in order (e.g. [q, h, f]) */
    public List<String> sendRids() {
        return firstRids(send);
    }

    /** @return the first alternative of each receive stream, in order */
    public List<String> recvRids() {
        return firstRids(recv);
    }

    private static List<String> firstRids(List<List<SimulcastId>> streams) {
        List<String> out = new ArrayList<>(streams.size());
        for (List<SimulcastId> alternatives : streams) {
            out.add(alternatives.get(0).rid());
        }
        return out;
    }

    /** Parses the value of {@code a=simulcast}. */
    public static Simulcast parse(String value) {
        SdpText.checkValue(value, "simulcast");
        List<String> f = SdpText.splitSpaces(value, "simulcast");
        if (f.size() != 2 && f.size() != 4) {
            throw new SdpParseException("simulcast needs 'send|recv <list>' once or twice, has " + f.size() + " fields");
        }
        List<List<SimulcastId>> send = null;
        List<List<SimulcastId>> recv = null;
        for (int i = 0; i < f.size(); i += 2) {
            RidDirection dir = RidDirection.parse(f.get(i));
            List<List<SimulcastId>> list = parseList(f.get(i + 1));
            if (dir == RidDirection.SEND) {
                if (send != null) {
                    throw new SdpParseException("simulcast has two send lists");
                }
                send = list;
            } else {
                if (recv != null) {
                    throw new SdpParseException("simulcast has two recv lists");
                }
                recv = list;
            }
        }
        return new Simulcast(send == null ? List.of() : send, recv == null ? List.of() : recv);
    }

    private static List<List<SimulcastId>> parseList(String text) {
        List<List<SimulcastId>> streams = new ArrayList<>();
        for (String alt : text.split(";", -1)) {
            List<SimulcastId> alternatives = new ArrayList<>();
            for (String id : alt.split(",", -1)) {
                boolean paused = id.startsWith("~");
                String rid = paused ? id.substring(1) : id;
                if (!Rid.isRidId(rid)) {
                    throw new SdpParseException("simulcast rid '" + SdpText.abbreviate(id) + "' is not a rid-id");
                }
                alternatives.add(new SimulcastId(rid, paused));
            }
            streams.add(alternatives);
        }
        return streams;
    }

    @Override
    public String attributeName() {
        return AttributeNames.SIMULCAST;
    }

    @Override
    public String attributeValue() {
        StringBuilder sb = new StringBuilder();
        if (!send.isEmpty()) {
            sb.append("send ");
            writeList(sb, send);
        }
        if (!recv.isEmpty()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append("recv ");
            writeList(sb, recv);
        }
        return sb.toString();
    }

    private static void writeList(StringBuilder sb, List<List<SimulcastId>> streams) {
        for (int i = 0; i < streams.size(); i++) {
            if (i > 0) {
                sb.append(';');
            }
            List<SimulcastId> alternatives = streams.get(i);
            for (int j = 0; j < alternatives.size(); j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(alternatives.get(j));
            }
        }
    }
}
