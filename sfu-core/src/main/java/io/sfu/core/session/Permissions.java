package io.sfu.core.session;

/** What a participant may do in its room, from its access token (dev mode: everything). */
public record Permissions(boolean canPublish, boolean canSubscribe) {

    /** Publish and subscribe. */
    public static final Permissions ALL = new Permissions(true, true);
}
