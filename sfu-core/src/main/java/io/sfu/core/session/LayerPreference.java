package io.sfu.core.session;

/**
 * A subscriber's simulcast preference for one track: either a layer by its rid, or the highest layer whose height
 * does not exceed {@code maxHeight} pixels. Exactly one of the two is set.
 */
public record LayerPreference(String rid, Integer maxHeight) {

    public LayerPreference {
        if ((rid == null) == (maxHeight == null)) {
            throw new IllegalArgumentException("exactly one of rid and maxHeight must be set");
        }
        if (maxHeight != null && maxHeight <= 0) {
            throw new IllegalArgumentException("maxHeight must be positive: " + maxHeight);
        }
    }

    public static LayerPreference rid(String rid) {
        return new LayerPreference(rid, null);
    }

    public static LayerPreference maxHeight(int maxHeight) {
        return new LayerPreference(null, maxHeight);
    }
}
