package io.hybridserver.http.h1;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Runs {@link Http1RequestDecoder} on an {@link EmbeddedChannel} and writes down what it emitted as a transcript that
 * does not depend on how the input was split: one entry per request head, one per complete body (its pieces joined,
 * with its trailers), and {@code FAIL <status>} for a failure. Every message is released here.
 *
 * <p>This is also the entry point for fuzzing: {@link #fuzz(byte[])} decodes any bytes whole and one byte at a time,
 * and fails (with an {@link AssertionError}) if an exception escapes the decoder, if anything is emitted after a
 * failure, or if the two splits disagree. Leaks show up through the paranoid leak detector of the test run.
 */
final class Http1RequestDecoderHarness {

	static final int MAX_LINE = 256;

	static final int MAX_HEADERS = 512;

	private Http1RequestDecoderHarness() {
	}

	/** Decodes in one piece and byte by byte and checks the decoder's invariants; returns the transcript. */
	static List<String> fuzz(byte[] input) {
		List<String> whole = transcript(input, input.length);
		List<String> bytewise = transcript(input, 1);
		if (!whole.equals(bytewise)) {
			throw new AssertionError("Split input decoded differently: " + whole + " versus " + bytewise);
		}
		return whole;
	}

	/** The transcript of {@code input} written to the decoder in pieces of {@code pieceSize} bytes. */
	static List<String> transcript(byte[] input, int pieceSize) {
		return transcript(input, splitsEvery(input.length, pieceSize));
	}

	/** The transcript of {@code input} written in pieces that end at the given offsets (ascending). */
	static List<String> transcript(byte[] input, int[] splits) {
		EmbeddedChannel channel = new EmbeddedChannel(new Http1RequestDecoder(MAX_LINE, MAX_HEADERS, 8192));
		List<String> transcript = new ArrayList<>();
		StringBuilder body = new StringBuilder();
		boolean failed = false;
		try {
			int from = 0;
			for (int i = 0; i <= splits.length; i++) {
				int to = (i < splits.length) ? splits[i] : input.length;
				if (to > from) {
					ByteBuf piece = channel.alloc().buffer(to - from).writeBytes(input, from, to - from);
					channel.writeInbound(piece);
				}
				from = to;
				Object message;
				while ((message = channel.readInbound()) != null) {
					try {
						if (failed) {
							throw new AssertionError("The decoder emitted " + message + " after a failure");
						}
						failed = record(message, transcript, body);
					}
					finally {
						ReferenceCountUtil.release(message);
					}
				}
			}
		}
		finally {
			channel.finishAndReleaseAll();
		}
		return transcript;
	}

	/** @return whether the message was a failure */
	private static boolean record(Object message, List<String> transcript, StringBuilder body) {
		DecoderResult result = ((HttpObject) message).decoderResult();
		if (result.isFailure()) {
			if (!(result.cause() instanceof RequestFramingException framing)) {
				throw new AssertionError("A failure without a status", result.cause());
			}
			transcript.add("FAIL " + framing.status().code());
			return true;
		}
		if (message instanceof HttpRequest request) {
			StringBuilder head = new StringBuilder();
			head.append(request.method().name()).append(' ').append(request.uri()).append(' ')
				.append(request.protocolVersion().text()).append(' ').append(fields(request.headers().entries()));
			transcript.add(head.toString());
			body.setLength(0);
		}
		if (message instanceof HttpContent content) {
			body.append(content.content().toString(StandardCharsets.ISO_8859_1));
			if (content instanceof LastHttpContent last) {
				String trailers = last.trailingHeaders().isEmpty() ? ""
						: " trailers=" + fields(last.trailingHeaders().entries());
				transcript.add("body=" + body + trailers);
				body.setLength(0);
			}
		}
		return false;
	}

	private static String fields(List<Map.Entry<String, String>> entries) {
		List<String> fields = new ArrayList<>();
		for (Map.Entry<String, String> entry : entries) {
			fields.add(entry.getKey() + ": " + entry.getValue());
		}
		return fields.toString();
	}

	private static int[] splitsEvery(int length, int pieceSize) {
		int count = Math.max(0, (length - 1) / Math.max(1, pieceSize));
		int[] splits = new int[count];
		for (int i = 0; i < count; i++) {
			splits[i] = (i + 1) * pieceSize;
		}
		return splits;
	}

}
