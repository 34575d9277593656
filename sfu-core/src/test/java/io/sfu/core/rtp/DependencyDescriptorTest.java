package io.sfu.core.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class DependencyDescriptorTest {

    private static UnsafeBuffer bytes(int... values) {
        byte[] array = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            array[i] = (byte) values[i];
        }
        return new UnsafeBuffer(array);
    }

    @Test
    void theMandatoryFieldsAreReadBitForBit() {
        // start 1, end 0, template 0b101010, frame number 0x1234
        UnsafeBuffer descriptor = bytes(0b1010_1010, 0x12, 0x34);

        assertThat(DependencyDescriptor.startOfFrame(descriptor, 0)).isTrue();
        assertThat(DependencyDescriptor.endOfFrame(descriptor, 0)).isFalse();
        assertThat(DependencyDescriptor.templateId(descriptor, 0)).isEqualTo(42);
        assertThat(DependencyDescriptor.frameNumber(descriptor, 0)).isEqualTo(0x1234);
        assertThat(DependencyDescriptor.hasStructure(descriptor, 0, 3)).isFalse();
    }

    @Test
    void aKeyFrameIsTheFirstPacketOfAFrameThatCarriesTheStructure() {
        // extended fields: template_dependency_structure_present_flag set
        assertThat(DependencyDescriptor.startsKeyframe(bytes(0xC0, 0x00, 0x01, 0x80, 0x00), 0, 5)).isTrue();
        // the same frame's later packet, or a delta frame's descriptor without the structure
        assertThat(DependencyDescriptor.startsKeyframe(bytes(0x40, 0x00, 0x01, 0x80, 0x00), 0, 5)).isFalse();
        assertThat(DependencyDescriptor.startsKeyframe(bytes(0xC0, 0x00, 0x02), 0, 3)).isFalse();
        assertThat(DependencyDescriptor.startsKeyframe(bytes(0xC0, 0x00, 0x02, 0x40), 0, 4)).isFalse();
        // too short to be a descriptor
        assertThat(DependencyDescriptor.startsKeyframe(bytes(0xC0, 0x00), 0, 2)).isFalse();
    }
}
