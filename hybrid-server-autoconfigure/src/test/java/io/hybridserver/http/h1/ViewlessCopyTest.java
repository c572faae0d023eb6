package io.hybridserver.http.h1;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The eight-bytes-at-a-time copies move the same bytes as Netty's bulk copies, at every length and offset around the
 * eight-byte steps (they are what JDK 25 runs; this test runs them on every JDK).
 */
class ViewlessCopyTest {

	@Test
	void readsWhatGetBytesReads() {
		byte[] source = bytes(64);
		ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeBytes(source);
		try {
			for (int index = 0; index < 12; index++) {
				for (int length = 0; index + length <= 64; length++) {
					byte[] read = new byte[65];
					ViewlessCopy.readByAccessors(buf, index, read, length);
					assertThat(Arrays.copyOf(read, length)).isEqualTo(Arrays.copyOfRange(source, index, index + length));
					assertThat(read[length]).isZero();
				}
			}
			assertThat(buf.readerIndex()).isZero();
		}
		finally {
			buf.release();
		}
	}

	@Test
	void writesWhatWriteBytesWrites() {
		byte[] source = bytes(64);
		for (int offset = 0; offset < 12; offset++) {
			for (int length = 0; offset + length <= 64; length++) {
				ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(4).writeByte('x');
				try {
					ViewlessCopy.writeByAccessors(source, offset, length, buf);
					assertThat(buf.readableBytes()).isEqualTo(1 + length);
					byte[] written = new byte[length];
					buf.getBytes(1, written);
					assertThat(written).isEqualTo(Arrays.copyOfRange(source, offset, offset + length));
				}
				finally {
					buf.release();
				}
			}
		}
	}

	private static byte[] bytes(int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) (31 * i + 7);
		}
		return bytes;
	}

}
