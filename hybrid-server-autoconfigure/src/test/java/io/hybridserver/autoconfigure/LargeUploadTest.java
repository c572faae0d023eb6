package io.hybridserver.autoconfigure;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import io.hybridserver.apps.upload.UploadTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1 GiB multipart upload into an application whose whole JVM has a 128 MiB heap: it can only pass if the body
 * streams from the socket through the parser to disk without ever being held in memory. The body is generated on
 * the fly, never stored.
 */
class LargeUploadTest {

	static final String BOUNDARY = "----hybridLargeUploadBoundary";

	static final int BLOCK = 64 * 1024;

	static final int BLOCKS = 16 * 1024;

	@Test
	void aOneGibibyteUploadPassesThroughA128MibHeap() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process server = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
				UploadTestApplication.class.getName(), "--server.port=0", "--spring.main.banner-mode=off",
				"--spring.servlet.multipart.max-file-size=2GB", "--spring.servlet.multipart.max-request-size=2GB")
			.redirectErrorStream(true)
			.start();
		List<String> output = new CopyOnWriteArrayList<>();
		CompletableFuture<Integer> port = new CompletableFuture<>();
		Thread reader = new Thread(() -> {
			Pattern started = Pattern.compile("Hybrid server started on port (\\d+)");
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					output.add(line);
					Matcher matcher = started.matcher(line);
					if (matcher.find()) {
						port.complete(Integer.parseInt(matcher.group(1)));
					}
				}
			}
			catch (Exception ex) {
				port.completeExceptionally(ex);
			}
			port.completeExceptionally(new IllegalStateException("The server exited: " + output));
		}, "upload-server-output");
		reader.setDaemon(true);
		reader.start();
		try {
			int serverPort = port.get(120, TimeUnit.SECONDS);
			byte[] block = new byte[BLOCK];
			new Random(42).nextBytes(block);
			CRC32 crc = new CRC32();
			for (int i = 0; i < BLOCKS; i++) {
				crc.update(block);
			}
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
			HttpResponse<String> response = client.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + "/upload/checksum"))
						.timeout(Duration.ofMinutes(10))
						.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
						.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedUpload(block)))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(() -> String.join("\n", output)).isEqualTo(200);
			long size = (long) BLOCK * BLOCKS;
			assertThat(response.body()).startsWith("size=" + size + " crc=" + Long.toHexString(crc.getValue()) + " ");
			long maxHeap = Long.parseLong(response.body().substring(response.body().indexOf("maxHeap=") + 8));
			assertThat(maxHeap).isLessThanOrEqualTo(128L * 1024 * 1024);
		}
		finally {
			server.destroy();
			if (!server.waitFor(30, TimeUnit.SECONDS)) {
				server.destroyForcibly();
			}
		}
	}

	/** The multipart body: one file part of {@code BLOCKS} copies of {@code block}, produced as it is read. */
	static final class GeneratedUpload extends InputStream {

		private final byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
				+ "filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);

		private final byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);

		private final byte[] block;

		private int section;

		private int blocksDone;

		private int position;

		GeneratedUpload(byte[] block) {
			this.block = block;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] b, int off, int len) {
			while (true) {
				byte[] current = switch (this.section) {
					case 0 -> this.head;
					case 1 -> this.block;
					case 2 -> this.tail;
					default -> null;
				};
				if (current == null) {
					return -1;
				}
				if (this.position < current.length) {
					int n = Math.min(len, current.length - this.position);
					System.arraycopy(current, this.position, b, off, n);
					this.position += n;
					return n;
				}
				this.position = 0;
				if (this.section == 1 && ++this.blocksDone < BLOCKS) {
					continue;
				}
				this.section++;
			}
		}

	}

}
