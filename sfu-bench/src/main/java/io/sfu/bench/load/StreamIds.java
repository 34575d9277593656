package io.sfu.bench.load;

/**
 * Names every generated media stream with one positive int, the same on every shard of a run: the room index, the
 * publisher's index in its room, the kind (audio 0, video 1) and the simulcast layer (0 lowest). A receiver groups
 * the layers of one track with {@link #trackKey}.
 */
public final class StreamIds {
    /** Rooms a run may address. */
    public static final int MAX_ROOMS = 1 << 20;
    /** Publishers one room may have. */
    public static final int MAX_PUBLISHERS_PER_ROOM = 256;
    /** Simulcast layers of one video track. */
    public static final int MAX_LAYERS = 4;

    public static final int AUDIO = 0;
    public static final int VIDEO = 1;

    private StreamIds() {
    }

    /** @throws IllegalArgumentException when a part is out of range */
    public static int of(int room, int publisher, int kind, int layer) {
        if (room < 0 || room >= MAX_ROOMS || publisher < 0 || publisher >= MAX_PUBLISHERS_PER_ROOM
            || (kind != AUDIO && kind != VIDEO) || layer < 0 || layer >= MAX_LAYERS) {
            throw new IllegalArgumentException("stream id parts out of range: room=" + room + " publisher="
                + publisher + " kind=" + kind + " layer=" + layer);
        }
        return ((room * MAX_PUBLISHERS_PER_ROOM + publisher) * 2 + kind) * MAX_LAYERS + layer;
    }

    /** The id shared by every layer of the stream's track. */
    public static int trackKey(int streamId) {
        return streamId / MAX_LAYERS;
    }

    public static int room(int streamId) {
        return streamId / (MAX_LAYERS * 2 * MAX_PUBLISHERS_PER_ROOM);
    }

    public static int publisher(int streamId) {
        return (streamId / (MAX_LAYERS * 2)) % MAX_PUBLISHERS_PER_ROOM;
    }

    public static int kind(int streamId) {
        return (streamId / MAX_LAYERS) % 2;
    }

    public static int layer(int streamId) {
        return streamId % MAX_LAYERS;
    }
}
