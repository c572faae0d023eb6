package io.hybridserver.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.testsupport.ExternalPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second HTTP/3 client, independent of Netty's QUIC (quiche and BoringSSL): ngtcp2's {@code gtlsclient} from
 * Debian's {@code ngtcp2-client}, its own QUIC, HTTP/3 (nghttp3) and QPACK in C with GnuTLS, against the Spring MVC
 * application: a GET, a POST of 1 MiB, and error statuses, each on its own stream of one connection where they share
 * it. Skipped when the client is not installed, except on CI, where {@code .ci/run} installs it.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
				"server.ssl.key-alias=server", "server.hybrid.http3.enabled=true" })
class Http3NgtcpClientTest {

	/** A response field as the client prints it: {@code http: stream 0x4 [:status: 404]}. */
	private static final Pattern FIELD = Pattern.compile("^http: stream 0x([0-9a-f]+) \\[(:?[^:\\]]+): (.*)\\]$");

	@LocalServerPort
	int port;

	@TempDir
	Path dir;

	private String client;

	@BeforeEach
	void requireClient() {
		this.client = ExternalPeer.require("gtlsclient", "ngtcp2-client");
	}

	@Test
	void getAndErrorStatusesOnOneConnection() throws Exception {
		Result result = run(List.of(), "/hello", "/no-such-page", "/fail");
		assertThat(result.fields(0)).as(result.output).containsEntry(":status", "200");
		assertThat(result.fields(0).get("content-type")).startsWith("application/json");
		assertThat(result.body("hello")).isEqualTo("{\"message\":\"Hello, world!\"}");
		assertThat(result.fields(4)).as(result.output).containsEntry(":status", "404");
		assertThat(result.fields(8)).as(result.output).containsEntry(":status", "500");
		assertThat(result.body("fail")).contains("Internal Server Error");
	}

	@Test
	void postOfOneMebibyteIsReadWhole() throws Exception {
		byte[] body = new byte[1024 * 1024];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) (i * 7 + (i >>> 10));
		}
		CRC32 crc = new CRC32();
		crc.update(body);
		Path upload = this.dir.resolve("upload.bin");
		Files.write(upload, body);
		Result result = run(List.of("-m", "POST", "--data=" + upload), "/count");
		assertThat(result.fields(0)).as(result.output).containsEntry(":status", "200");
		assertThat(result.body("count")).isEqualTo(body.length + " " + crc.getValue());
	}

	private Result run(List<String> options, String... paths) throws Exception {
		Path downloads = Files.createDirectories(this.dir.resolve("downloads"));
		List<String> command = new ArrayList<>(List.of(this.client, "--exit-on-all-streams-close", "--no-quic-dump",
				"--no-http-dump", "--timeout=30s", "--download=" + downloads));
		command.addAll(options);
		command.add("localhost");
		command.add(Integer.toString(this.port));
		for (String path : paths) {
			command.add("https://localhost:" + this.port + path);
		}
		Path log = this.dir.resolve("gtlsclient.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			throw new AssertionError("gtlsclient did not end within 60 s: " + Files.readString(log));
		}
		String output = Files.readString(log, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		return new Result(output, downloads, parse(output));
	}

	/** Response fields by stream id, as the client printed them (the request's own are printed without the prefix). */
	private static Map<Long, Map<String, String>> parse(String output) {
		Map<Long, Map<String, String>> streams = new LinkedHashMap<>();
		for (String line : output.split("\n")) {
			Matcher field = FIELD.matcher(line.trim());
			if (field.matches()) {
				streams.computeIfAbsent(Long.parseLong(field.group(1), 16), (id) -> new LinkedHashMap<>())
					.putIfAbsent(field.group(2), field.group(3));
			}
		}
		return streams;
	}

	private record Result(String output, Path downloads, Map<Long, Map<String, String>> streams) {

		Map<String, String> fields(long streamId) {
			return this.streams.getOrDefault(streamId, Map.of());
		}

		/** The body the client saved under the last segment of the request's path. */
		String body(String name) throws Exception {
			Path file = this.downloads.resolve(name);
			assertThat(file).as(this.output).exists();
			return Files.readString(file, StandardCharsets.UTF_8);
		}

	}

}
