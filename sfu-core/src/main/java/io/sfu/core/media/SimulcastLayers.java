package io.sfu.core.media;

/**
 * Maps a subscriber's {@code maxHeight} preference to a simulcast layer. Encodings are announced lowest first with
 * each step halving the resolution (the browsers' default {@code scaleResolutionDownBy} of 4, 2, 1); the SFU does
 * not decode frame sizes, so the top layer is taken to be {@value #ASSUMED_TOP_HEIGHT} pixels high.
 */
final class SimulcastLayers {
    static final int ASSUMED_TOP_HEIGHT = 720;

    private SimulcastLayers() {
    }

    /** The highest layer index whose height fits {@code maxHeight}, or 0 when none does. */
    static int layerForMaxHeight(int layers, int maxHeight) {
        for (int layer = layers - 1; layer > 0; layer--) {
            int height = ASSUMED_TOP_HEIGHT >> (layers - 1 - layer);
            if (height <= maxHeight) {
                return layer;
            }
        }
        return 0;
    }
}
