package io.sfu.bench.load;

/** A generator of one media stream, paced by the client loop: {@link #onTick} sends what is due. Loop thread. */
public interface MediaSource {
    /**
     * Sends whatever is due at {@code nowNs} (loop clock).
     *
     * @return when to be called next, on the same clock
     */
    long onTick(long nowNs);

    /** The remote side asked for a key frame; audio ignores it. */
    default void requestKeyframe(long nowNs) {
    }

    /** The stream id written into every probe. */
    int streamId();
}
