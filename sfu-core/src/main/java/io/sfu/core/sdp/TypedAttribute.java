package io.sfu.core.sdp;

/**
 * A typed view of one attribute that can write itself back as an {@link Attribute}; lets builders add
 * {@code section.add(new Rtpmap(111, "opus", 48000, 2))}.
 */
public interface TypedAttribute {

    /** @return the attribute name, e.g. {@code rtpmap} */
    String attributeName();

    /** @return the attribute value as written after the colon, or null for a property attribute */
    String attributeValue();

    /** @return this value as a raw attribute */
    default Attribute toAttribute() {
        return new Attribute(attributeName(), attributeValue());
    }
}
