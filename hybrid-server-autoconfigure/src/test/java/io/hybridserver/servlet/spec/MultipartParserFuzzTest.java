package io.hybridserver.servlet.spec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.hybridserver.servlet.core.ClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the streaming multipart parser ({@link MultipartParser}) with small limits, so that parts spill to disk and
 * every limit can be reached. Seeds run in every build; {@code .ci/fuzz} fuzzes it (docs/fuzzing.md).
 */
class MultipartParserFuzzTest {

	static final String BOUNDARY = "fuzzB";

	private static final Path LOCATION = createLocation();

	private static MultipartParser.Settings settings() {
		return new MultipartParser.Settings(LOCATION, 16, 2048, 16 * 1024, 8, 256);
	}

	/**
	 * Any body (boundary {@value #BOUNDARY}): a 400 or a 413, or parts; the same whether the body arrives whole or a
	 * few bytes per read; and once the parts are released, no upload file is left behind, whatever happened.
	 */
	@FuzzTest
	void anyBody(byte[] body) throws IOException {
		Outcome whole = parse(new ByteArrayInputStream(body));
		Outcome trickled = parse(trickle(body, 1 + (body.length % 7)));
		assertThat(trickled).isEqualTo(whole);
		if (whole.status() == 0) {
			for (Part part : whole.parts()) {
				assertThat(part.content().length).isLessThanOrEqualTo(2048);
			}
			assertThat(whole.parts()).hasSizeLessThanOrEqualTo(8);
		}
		else {
			assertThat(whole.status()).isIn(400, 413);
		}
	}

	/** Parts of any content, names and file names, written as a browser writes them, come back as they were sent. */
	@FuzzTest
	void roundTrip(FuzzedDataProvider data) throws IOException {
		int count = data.consumeInt(0, 5);
		List<Part> sent = new ArrayList<>();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.write(data.consumeBoolean() ? "preamble\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[0]);
		for (int i = 0; i < count; i++) {
			String name = data.consumeAsciiString(10).replaceAll("[\"\\\\\\x00-\\x1f\\x7f]", "") + i;
			String fileName = data.consumeBoolean()
					? RequestParametersFuzzTest.wellFormed(data.consumeString(10)).replaceAll("[\"\\\\\\x00-\\x1f\\x7f]", "")
					: null;
			byte[] content = data.consumeBytes(data.consumeInt(0, 600));
			if (new String(content, StandardCharsets.ISO_8859_1).contains("\r\n--" + BOUNDARY)) {
				// a browser picks a boundary that the content does not hold
				content = new byte[0];
			}
			sent.add(new Part(name, fileName, content));
			body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
					+ ((fileName != null) ? "; filename=\"" + fileName + "\"" : "") + "\r\n\r\n")
				.getBytes(StandardCharsets.UTF_8));
			body.write(content);
			body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		body.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		if (count == 0) {
			return;
		}
		byte[] bytes = body.toByteArray();
		Outcome outcome = parse(trickle(bytes, data.consumeInt(1, 64)));
		assertThat(outcome).isEqualTo(new Outcome(0, sent));
	}

	/** Parses, copies what came out, releases every part and checks that nothing was left on disk. */
	private static Outcome parse(InputStream in) throws IOException {
		List<UploadedPart> parts = new ArrayList<>();
		Outcome outcome;
		try {
			new MultipartParser(in, BOUNDARY, settings()).parse(parts);
			List<Part> copies = new ArrayList<>();
			for (UploadedPart part : parts) {
				try (InputStream content = part.getInputStream()) {
					copies.add(new Part(part.getName(), part.getSubmittedFileName(), content.readAllBytes()));
				}
			}
			outcome = new Outcome(0, copies);
		}
		catch (ClientErrorException ex) {
			outcome = new Outcome(ex.status(), List.of());
		}
		finally {
			parts.forEach(UploadedPart::release);
		}
		try (Stream<Path> left = Files.list(LOCATION)) {
			assertThat(left).as("upload files left behind").isEmpty();
		}
		return outcome;
	}

	private static InputStream trickle(byte[] bytes, int step) {
		return new ByteArrayInputStream(bytes) {

			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, step));
			}

		};
	}

	private static Path createLocation() {
		try {
			Path location = Files.createTempDirectory("multipart-fuzz");
			location.toFile().deleteOnExit();
			return location;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A part as the test sees it; content compared by value. */
	record Part(String name, String fileName, byte[] content) {

		@Override
		public boolean equals(Object other) {
			return other instanceof Part part && this.name.equals(part.name)
					&& java.util.Objects.equals(this.fileName, part.fileName)
					&& Arrays.equals(this.content, part.content);
		}

		@Override
		public int hashCode() {
			return this.name.hashCode();
		}

		@Override
		public String toString() {
			return this.name + "/" + this.fileName + "/" + new String(this.content, StandardCharsets.ISO_8859_1);
		}

	}

	/** 0 and the parts, or the status of the client error. */
	record Outcome(int status, List<Part> parts) {
	}

}
