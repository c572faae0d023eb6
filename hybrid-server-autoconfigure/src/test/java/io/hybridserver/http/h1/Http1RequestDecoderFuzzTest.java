package io.hybridserver.http.h1;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link Http1RequestDecoder}, the I/O tier's request-head validation and chunked body decoding, through
 * {@link Http1RequestDecoderHarness} (an EmbeddedChannel; every message released, leaks fail the run). The property
 * behind every target is "never a desync": whatever the bytes, the decoder emits whole requests (a head, then its
 * body) and at most one failure, last; it emits the same whether the bytes arrive whole, one at a time or split
 * anywhere; and a well-formed request pipelined before anything is decoded exactly as it is alone. Seeds run in every
 * build; {@code .ci/fuzz} fuzzes it (docs/fuzzing.md).
 */
class Http1RequestDecoderFuzzTest {

	private static final String POST_CHUNKED = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

	/** Any bytes as the start of a connection: request lines, field lines, framing headers, bodies. */
	@FuzzTest
	void anyInput(byte[] input) {
		decodeChecked(input);
	}

	/** Any bytes after a chunked request head: chunk sizes, extensions, data, trailers, and what follows. */
	@FuzzTest
	void anyChunkedBody(byte[] input) {
		byte[] head = POST_CHUNKED.getBytes(StandardCharsets.ISO_8859_1);
		byte[] all = Arrays.copyOf(head, head.length + input.length);
		System.arraycopy(input, 0, all, head.length, input.length);
		List<String> transcript = decodeChecked(all);
		assertThat(transcript.get(0)).isEqualTo("POST / HTTP/1.1 [Host: x, Transfer-Encoding: chunked]");
	}

	/**
	 * Well-formed requests of every framing (none, Content-Length, chunked with extensions and trailers), pipelined
	 * and split at random points: each is decoded as it is alone, with the body it was sent. Then one byte is
	 * replaced or inserted somewhere: the requests before it are still decoded exactly, whatever comes after.
	 */
	@FuzzTest
	void wellFormedPipeline(FuzzedDataProvider data) {
		int count = data.consumeInt(1, 4);
		List<byte[]> requests = new ArrayList<>();
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			byte[] body = data.consumeBytes(data.consumeInt(0, 120));
			int framing = (body.length > 0) ? data.consumeInt(1, 2) : data.consumeInt(0, 2);
			byte[] request = request(data, framing, body);
			List<String> alone = Http1RequestDecoderHarness.transcript(request, request.length);
			String sent = new String(request, StandardCharsets.ISO_8859_1);
			assertThat(alone).as("a well-formed request alone: %s", sent).hasSize(2);
			assertThat(alone.get(1)).as("its body: %s", sent)
				.startsWith("body=" + new String(body, StandardCharsets.ISO_8859_1));
			requests.add(request);
			expected.addAll(alone);
		}
		byte[] pipeline = concat(requests);
		assertThat(Http1RequestDecoderHarness.fuzz(pipeline)).isEqualTo(expected);
		assertThat(Http1RequestDecoderHarness.transcript(pipeline, splits(data, pipeline.length)))
			.isEqualTo(expected);

		int at = data.consumeInt(0, pipeline.length - 1);
		byte[] corrupted = corrupt(pipeline, at, data.consumeBoolean(), data.consumeByte());
		int intact = 0;
		for (int offset = 0; offset + requests.get(intact).length <= at; intact++) {
			offset += requests.get(intact).length;
		}
		List<String> transcript = decodeChecked(corrupted);
		assertThat(transcript).as("the %d requests before the changed byte", intact).hasSizeGreaterThanOrEqualTo(2 * intact);
		assertThat(transcript.subList(0, 2 * intact)).as("the %d requests before the changed byte", intact)
			.isEqualTo(expected.subList(0, 2 * intact));
	}

	/**
	 * Decodes whole, byte by byte and split at an input-derived point (the harness checks that nothing escapes and
	 * nothing follows a failure), and checks the shape of what came out.
	 */
	private static List<String> decodeChecked(byte[] input) {
		List<String> transcript = Http1RequestDecoderHarness.fuzz(input);
		int split = (input.length == 0) ? 0 : Math.floorMod(Arrays.hashCode(input), input.length);
		assertThat(Http1RequestDecoderHarness.transcript(input, new int[] { split })).as("split at %d", split)
			.isEqualTo(transcript);
		boolean headNext = true;
		for (int i = 0; i < transcript.size(); i++) {
			String entry = transcript.get(i);
			if (entry.matches("FAIL \\d{3}")) {
				assertThat(i).as("a failure is the last thing decoded: %s", transcript).isEqualTo(transcript.size() - 1);
				assertThat(Integer.parseInt(entry.substring(5))).isIn(400, 408, 413, 414, 431, 501, 505);
				break;
			}
			assertThat(entry.startsWith("body=")).as("heads and bodies alternate: %s", transcript).isNotEqualTo(headNext);
			headNext = !headNext;
		}
		return transcript;
	}

	private static byte[] request(FuzzedDataProvider data, int framing, byte[] body) {
		StringBuilder head = new StringBuilder();
		head.append(pick(data, "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "X-Custom")).append(' ');
		head.append('/').append(text(data, PCHAR, 0, 24));
		if (data.consumeBoolean()) {
			head.append('?').append(text(data, PCHAR + "/?", 0, 16));
		}
		head.append(" HTTP/1.1\r\nHost: ").append(pick(data, "x", "localhost:8080", "[::1]", "127.0.0.1:1"))
			.append("\r\n");
		for (int i = data.consumeInt(0, 3); i > 0; i--) {
			head.append("X-").append(text(data, TOKEN, 1, 8)).append(": ").append(text(data, TOKEN, 0, 16))
				.append("\r\n");
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		if (framing == 1) {
			head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
			out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.writeBytes(body);
		}
		else if (framing == 2) {
			head.append("Transfer-Encoding: ").append(pick(data, "chunked", "CHUNKED", "chunked,")).append("\r\n\r\n");
			out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
			int offset = 0;
			while (offset < body.length) {
				int size = Math.min(body.length - offset, data.consumeInt(1, 48));
				String hex = Integer.toHexString(size);
				out.writeBytes((data.consumeBoolean() ? hex.toUpperCase() : hex).getBytes(StandardCharsets.US_ASCII));
				out.writeBytes((extension(data) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
				out.write(body, offset, size);
				out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
				offset += size;
			}
			StringBuilder last = new StringBuilder("0").append(extension(data)).append("\r\n");
			if (data.consumeBoolean()) {
				last.append("X-Trailer: ").append(text(data, TOKEN, 0, 12)).append("\r\n");
			}
			out.writeBytes(last.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
		}
		else {
			out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
		}
		return out.toByteArray();
	}

	/** A chunk extension, or none: {@code ;name}, {@code ;name=token} or {@code ;name="quoted"}. */
	private static String extension(FuzzedDataProvider data) {
		switch (data.consumeInt(0, 3)) {
			case 1:
				return ";" + text(data, TOKEN, 1, 6);
			case 2:
				return ";" + text(data, TOKEN, 1, 6) + "=" + text(data, TOKEN, 1, 6);
			case 3:
				return ";" + text(data, TOKEN, 1, 6) + "=\"" + text(data, TOKEN + " ;=", 0, 8) + "\"";
			default:
				return "";
		}
	}

	private static final String TOKEN = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

	/** RFC 3986 pchar without percent-escapes: unreserved, sub-delims, ':' and '@'. */
	private static final String PCHAR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";

	private static String text(FuzzedDataProvider data, String alphabet, int min, int max) {
		int length = data.consumeInt(min, max);
		StringBuilder result = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			result.append(alphabet.charAt(data.consumeInt(0, alphabet.length() - 1)));
		}
		return result.toString();
	}

	private static String pick(FuzzedDataProvider data, String... choices) {
		return choices[data.consumeInt(0, choices.length - 1)];
	}

	private static int[] splits(FuzzedDataProvider data, int length) {
		TreeSet<Integer> points = new TreeSet<>();
		for (int i = data.consumeInt(0, 6); i > 0; i--) {
			points.add(data.consumeInt(1, Math.max(1, length - 1)));
		}
		return points.stream().mapToInt(Integer::intValue).toArray();
	}

	private static byte[] corrupt(byte[] input, int at, boolean insert, byte value) {
		if (!insert) {
			byte[] copy = input.clone();
			copy[at] = value;
			return copy;
		}
		byte[] longer = new byte[input.length + 1];
		System.arraycopy(input, 0, longer, 0, at);
		longer[at] = value;
		System.arraycopy(input, at, longer, at + 1, input.length - at);
		return longer;
	}

	private static byte[] concat(List<byte[]> parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		parts.forEach(out::writeBytes);
		return out.toByteArray();
	}

}
