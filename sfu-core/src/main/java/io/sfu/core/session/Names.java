package io.sfu.core.session;

import java.util.regex.Pattern;

/**
 * The accepted shapes of room names and participant identities, so that both can travel in URL paths unescaped:
 * a room name is 1 to 64 characters of {@code [A-Za-z0-9._-]}, an identity 1 to 128 of {@code [A-Za-z0-9._@-]};
 * neither may start with a dot.
 */
public final class Names {
    public static final int MAX_ROOM_NAME_LENGTH = 64;
    public static final int MAX_IDENTITY_LENGTH = 128;

    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,127}");

    private Names() {
    }

    public static boolean isValidRoomName(String name) {
        return name != null && ROOM.matcher(name).matches();
    }

    public static boolean isValidIdentity(String identity) {
        return identity != null && IDENTITY.matcher(identity).matches();
    }
}
