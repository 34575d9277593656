package io.sfu.core.session;

/**
 * A subscriber's layer preference for one track: a simulcast layer either by its rid or as the highest layer whose
 * height does not exceed {@code maxHeight} pixels (at most one of the two; for an SVC track, {@code maxHeight}
 * chooses its highest spatial layer that tall), the highest temporal layer to receive, {@code maxTemporalLayer} (0 to
 * {@link #MAX_TEMPORAL_LAYER}), and the highest spatial layer of SVC (VP9, or AV1 by the dependency descriptor),
 * {@code maxSpatialLayer} (0 to {@link #MAX_SPATIAL_LAYER}). What is null stays as it was; at least one is set.
 */
public record LayerPreference(String rid, Integer maxHeight, Integer maxTemporalLayer, Integer maxSpatialLayer) {
    /** The highest temporal layer a subscriber can name: three temporal layers, as browsers encode at most. */
    public static final int MAX_TEMPORAL_LAYER = 2;
    /** The highest spatial layer a subscriber can name: three spatial layers, as browsers encode at most (L3T3). */
    public static final int MAX_SPATIAL_LAYER = 2;

    public LayerPreference {
        if (rid != null && maxHeight != null) {
            throw new IllegalArgumentException("at most one of rid and maxHeight may be set");
        }
        if (rid == null && maxHeight == null && maxTemporalLayer == null && maxSpatialLayer == null) {
            throw new IllegalArgumentException(
                "one of rid, maxHeight, maxTemporalLayer and maxSpatialLayer must be set");
        }
        if (maxSpatialLayer != null && (maxSpatialLayer < 0 || maxSpatialLayer > MAX_SPATIAL_LAYER)) {
            throw new IllegalArgumentException("maxSpatialLayer must be 0 to " + MAX_SPATIAL_LAYER + ": "
                + maxSpatialLayer);
        }
        if (maxHeight != null && maxHeight <= 0) {
            throw new IllegalArgumentException("maxHeight must be positive: " + maxHeight);
        }
        if (maxTemporalLayer != null && (maxTemporalLayer < 0 || maxTemporalLayer > MAX_TEMPORAL_LAYER)) {
            throw new IllegalArgumentException("maxTemporalLayer must be 0 to " + MAX_TEMPORAL_LAYER + ": "
                + maxTemporalLayer);
        }
    }

    /** Without a spatial layer. */
    public LayerPreference(String rid, Integer maxHeight, Integer maxTemporalLayer) {
        this(rid, maxHeight, maxTemporalLayer, null);
    }

    /** A simulcast layer by rid or by height (exactly one of the two), the temporal layers left as they are. */
    public LayerPreference(String rid, Integer maxHeight) {
        this(requireOne(rid, maxHeight), maxHeight, null);
    }

    public static LayerPreference rid(String rid) {
        return new LayerPreference(rid, null);
    }

    public static LayerPreference maxHeight(int maxHeight) {
        return new LayerPreference(null, maxHeight);
    }

    /** Only the highest temporal layer; the simulcast layer stays as it was. */
    public static LayerPreference maxTemporalLayer(int maxTemporalLayer) {
        return new LayerPreference(null, null, maxTemporalLayer);
    }

    /** Whether it names a simulcast layer (by rid or height), not only temporal layers. */
    public boolean namesSimulcastLayer() {
        return rid != null || maxHeight != null;
    }

    private static String requireOne(String rid, Integer maxHeight) {
        if ((rid == null) == (maxHeight == null)) {
            throw new IllegalArgumentException("exactly one of rid and maxHeight must be set");
        }
        return rid;
    }
}
