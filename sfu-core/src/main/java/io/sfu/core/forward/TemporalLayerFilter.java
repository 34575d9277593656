package io.sfu.core.forward;

/**
 * Which temporal layers of a VP8 stream one consumer forwards, frame by frame, by each frame's temporal layer and the
 * layers a decoder can start at it (RFC 7741 §4.2: Y, the layer sync bit, for its own layer; or the dependency
 * descriptor's switch indications, A.8.3.1, for whole decode targets). Its target is the lower of the subscriber's
 * {@code maxTemporalLayer} and what its share of the downlink allows. Going down takes effect at the next frame;
 * going up only where the decoder can follow: a layer is taken up at a frame that starts it or at a keyframe, and
 * stays up while every frame of it is forwarded (a frame of it dropped on the way, while its start was awaited,
 * takes it down again until the next). The base layer is always forwarded.
 */
final class TemporalLayerFilter {
    /** The highest temporal layer index the 2-bit TID can carry: a target of it forwards every layer. */
    static final int ALL = 3;

    private int preferred = ALL;
    private int allocated = ALL;
    /** Bit n: layer n is up (since a keyframe or its sync frame, every frame of it and below was forwarded). */
    private int up;

    /** The subscriber's {@code maxTemporalLayer}, 0 to {@link #ALL}. */
    void prefer(int maxTemporalLayer) {
        preferred = clamp(maxTemporalLayer);
    }

    /** The highest layer the subscriber's share of its downlink allows. */
    void allocate(int temporalLayer) {
        allocated = clamp(temporalLayer);
    }

    int preferred() {
        return preferred;
    }

    int allocated() {
        return allocated;
    }

    /** The highest layer to forward now. */
    int target() {
        return Math.min(preferred, allocated);
    }

    /**
     * Decides a frame that follows every frame decided before, from its first packet seen: its temporal layer
     * ({@code temporalId}, or negative for a stream without layers: forwarded as the base layer), the layers a
     * decoder can start at it ({@code syncLayers}, bit n for layer n; with its own layer's bit the frame itself
     * depends only on the base layer), and whether it is a keyframe.
     */
    boolean admit(int temporalId, int syncLayers, boolean keyframe) {
        int target = target();
        int layer = Math.max(0, temporalId);
        if (keyframe) {
            up = layersUpTo(target);
            return true;
        }
        up &= layersUpTo(target);
        if (layer > target) {
            return false;
        }
        int needed = layersUpTo(layer);
        boolean decodable = (up & needed) == needed || (syncLayers & 1 << layer) != 0 && (up & 1) != 0;
        if (!decodable) {
            up &= layersUpTo(layer - 1);
            return false;
        }
        up |= syncLayers & layersUpTo(target) | 1 << layer;
        return true;
    }

    /**
     * Decides a frame that comes after later ones were decided (its first packets were lost or reordered), without
     * changing what is up: forwarded when its layer is.
     */
    boolean admitsLate(int temporalId) {
        int layer = Math.max(0, temporalId);
        int needed = layersUpTo(layer);
        return layer <= target() && (up & needed) == needed;
    }

    /** The highest layer up (every one below it too), capped at the target; -1 before the first keyframe. */
    int forwardedLayer() {
        int layer = -1;
        while (layer < target() && (up & 1 << (layer + 1)) != 0) {
            layer++;
        }
        return layer;
    }

    /** Nothing is up until the next keyframe (the consumer starts again there). */
    void reset() {
        up = 0;
    }

    private static int layersUpTo(int layer) {
        return (2 << layer) - 1;
    }

    private static int clamp(int layer) {
        return Math.max(0, Math.min(ALL, layer));
    }
}
