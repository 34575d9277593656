package io.sfu.core.dtls;

import java.util.ArrayList;
import java.util.List;

/**
 * The SRTP protection profiles this package negotiates through the DTLS use_srtp extension, by their IANA
 * identifiers (RFC 5764 §4.1.2, RFC 7714 §14.2), with the master key and salt lengths each one exports.
 * The SRTP layer maps these identifiers to its own cipher types.
 */
public final class DtlsSrtpProfiles {

    /** SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2): 128-bit key, 112-bit salt, 80-bit tag. */
    public static final int AES128_CM_HMAC_SHA1_80 = 0x0001;
    /** SRTP_AES128_CM_HMAC_SHA1_32 (RFC 5764 §4.1.2): 128-bit key, 112-bit salt, 32-bit tag. */
    public static final int AES128_CM_HMAC_SHA1_32 = 0x0002;
    /** SRTP_AEAD_AES_128_GCM (RFC 7714 §14.2): 128-bit key, 96-bit salt. */
    public static final int AEAD_AES_128_GCM = 0x0007;
    /** SRTP_AEAD_AES_256_GCM (RFC 7714 §14.2): 256-bit key, 96-bit salt. */
    public static final int AEAD_AES_256_GCM = 0x0008;

    private static final int[] DEFAULT_PREFERENCE = {
        AEAD_AES_128_GCM, AEAD_AES_256_GCM, AES128_CM_HMAC_SHA1_80, AES128_CM_HMAC_SHA1_32
    };

    private DtlsSrtpProfiles() {
    }

    /**
     * The default order of preference: the server picks the first of these that the client offers
     * (RFC 5764 §4.1.1), the client offers them in this order.
     */
    public static int[] defaultPreference() {
        return DEFAULT_PREFERENCE.clone();
    }

    /**
     * The profile with this registry name ({@link #name(int)}, e.g. {@code SRTP_AEAD_AES_128_GCM}); -1 for a name
     * this package does not negotiate.
     */
    public static int byName(String name) {
        for (int profileId : DEFAULT_PREFERENCE) {
            if (name(profileId).equals(name)) {
                return profileId;
            }
        }
        return -1;
    }

    /** The registry names of every profile this package negotiates, in the default order of preference. */
    public static List<String> supportedNames() {
        List<String> names = new ArrayList<>();
        for (int profileId : DEFAULT_PREFERENCE) {
            names.add(name(profileId));
        }
        return List.copyOf(names);
    }

    /** Whether this package can negotiate the profile. */
    public static boolean isSupported(int profileId) {
        return profileId == AES128_CM_HMAC_SHA1_80 || profileId == AES128_CM_HMAC_SHA1_32
            || profileId == AEAD_AES_128_GCM || profileId == AEAD_AES_256_GCM;
    }

    /** Master key length in bytes; throws {@link IllegalArgumentException} for an unsupported profile. */
    public static int keyLength(int profileId) {
        switch (profileId) {
            case AES128_CM_HMAC_SHA1_80:
            case AES128_CM_HMAC_SHA1_32:
            case AEAD_AES_128_GCM:
                return 16;
            case AEAD_AES_256_GCM:
                return 32;
            default:
                throw unsupported(profileId);
        }
    }

    /** Master salt length in bytes; throws {@link IllegalArgumentException} for an unsupported profile. */
    public static int saltLength(int profileId) {
        switch (profileId) {
            case AES128_CM_HMAC_SHA1_80:
            case AES128_CM_HMAC_SHA1_32:
                return 14;
            case AEAD_AES_128_GCM:
            case AEAD_AES_256_GCM:
                return 12;
            default:
                throw unsupported(profileId);
        }
    }

    /**
     * Length of the keying material exported with the label "EXTRACTOR-dtls_srtp" (RFC 5764 §4.2): a key and
     * a salt for each direction.
     */
    public static int keyingMaterialLength(int profileId) {
        return 2 * (keyLength(profileId) + saltLength(profileId));
    }

    /** The registry name, for logs. */
    public static String name(int profileId) {
        switch (profileId) {
            case AES128_CM_HMAC_SHA1_80:
                return "SRTP_AES128_CM_HMAC_SHA1_80";
            case AES128_CM_HMAC_SHA1_32:
                return "SRTP_AES128_CM_HMAC_SHA1_32";
            case AEAD_AES_128_GCM:
                return "SRTP_AEAD_AES_128_GCM";
            case AEAD_AES_256_GCM:
                return "SRTP_AEAD_AES_256_GCM";
            default:
                return String.format("0x%04X", profileId);
        }
    }

    private static IllegalArgumentException unsupported(int profileId) {
        return new IllegalArgumentException("unsupported SRTP protection profile " + name(profileId));
    }
}
