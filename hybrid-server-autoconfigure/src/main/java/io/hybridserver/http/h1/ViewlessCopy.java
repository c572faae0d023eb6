package io.hybridserver.http.h1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

/**
 * Copies between byte arrays and direct buffers without making an object per copy. Where Netty does not use
 * {@code sun.misc.Unsafe} (its default from JDK 25 on), a pooled direct buffer copies to or from an array through a
 * {@code ByteBuffer} view of its memory: a new one on every read ({@code getBytes}), and on the first write of every
 * buffer a worker allocates (a worker has no pool cache to keep views in). For a request head that was an object per
 * line, and one per response head: 120 bytes per GET on JDK 25 (issue 20). Short copies go through the buffer's
 * {@code getLong}/{@code writeLong} instead, which make none; long ones, where one view costs little beside the copy,
 * and every copy where Netty uses Unsafe (no view at all), take Netty's own path.
 */
final class ViewlessCopy {

	/** Longest copy done eight bytes at a time; a request line or a head's field is rarely longer. */
	static final int LIMIT = 512;

	private static final boolean VIEW_PER_COPY = !PlatformDependent.hasUnsafe();

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

	private ViewlessCopy() {
	}

	/** {@code src.getBytes(index, dst, 0, length)}. */
	static void read(ByteBuf src, int index, byte[] dst, int length) {
		if (!VIEW_PER_COPY || length > LIMIT || !src.isDirect()) {
			src.getBytes(index, dst, 0, length);
		}
		else {
			readByAccessors(src, index, dst, length);
		}
	}

	static void readByAccessors(ByteBuf src, int index, byte[] dst, int length) {
		int i = 0;
		for (; i <= length - Long.BYTES; i += Long.BYTES) {
			LONGS.set(dst, i, src.getLong(index + i));
		}
		for (; i < length; i++) {
			dst[i] = src.getByte(index + i);
		}
	}

	/** {@code dst.writeBytes(src, offset, length)}. */
	static void write(byte[] src, int offset, int length, ByteBuf dst) {
		if (!VIEW_PER_COPY || length > LIMIT || !dst.isDirect()) {
			dst.writeBytes(src, offset, length);
		}
		else {
			writeByAccessors(src, offset, length, dst);
		}
	}

	static void writeByAccessors(byte[] src, int offset, int length, ByteBuf dst) {
		dst.ensureWritable(length);
		int end = offset + length;
		int i = offset;
		for (; i <= end - Long.BYTES; i += Long.BYTES) {
			dst.writeLong((long) LONGS.get(src, i));
		}
		for (; i < end; i++) {
			dst.writeByte(src[i]);
		}
	}

}
