package io.sfu.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link PacketSink} that keeps a copy of every packet, for the source tests. */
final class RecordingSink implements PacketSink {
    record Sent(byte[] payload, boolean marker, long rtpTimestamp, int audioLevel, boolean voice) {
    }

    final List<Sent> sent = new ArrayList<>();
    boolean refuse;
    private int level = -1;
    private boolean voice;

    @Override
    public boolean send(byte[] payload, int offset, int length, boolean marker, long rtpTimestamp) {
        if (refuse) {
            return false;
        }
        sent.add(new Sent(Arrays.copyOfRange(payload, offset, offset + length), marker, rtpTimestamp, level, voice));
        return true;
    }

    @Override
    public void audioLevel(int levelDbov, boolean voice) {
        this.level = levelDbov;
        this.voice = voice;
    }
}
