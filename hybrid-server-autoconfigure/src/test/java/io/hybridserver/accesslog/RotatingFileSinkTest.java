package io.hybridserver.accesslog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Daily files as Tomcat names them, rotation when the date changes, and max-days clean-up, on a clock moved by hand. */
class RotatingFileSinkTest {

	@TempDir
	Path directory;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T23:59:58Z"), ZoneOffset.UTC);

	private AccessLogSettings settings() {
		AccessLogSettings settings = new AccessLogSettings();
		settings.setEnabled(true);
		settings.setDirectory(this.directory);
		settings.setClock(this.clock);
		return settings;
	}

	@Test
	void linesGoToTodaysFileAndTomorrowsGoToANewOne() throws Exception {
		RotatingFileSink sink = new RotatingFileSink(settings());
		sink.open();
		sink.write("first");
		sink.write("second");
		this.clock.advance(Duration.ofSeconds(3));
		sink.write("third");
		sink.close();
		assertThat(lines("access_log.2026-12-06.log")).containsExactly("first", "second");
		assertThat(lines("access_log.2026-12-07.log")).containsExactly("third");
	}

	@Test
	void anExistingFileIsAppendedTo() throws Exception {
		Files.writeString(this.directory.resolve("access_log.2026-12-06.log"), "earlier" + System.lineSeparator());
		RotatingFileSink sink = new RotatingFileSink(settings());
		sink.open();
		sink.write("later");
		sink.close();
		assertThat(lines("access_log.2026-12-06.log")).containsExactly("earlier", "later");
	}

	@Test
	void withoutRotationOneUndatedFile() throws Exception {
		AccessLogSettings settings = settings();
		settings.setRotate(false);
		settings.setPrefix("requests");
		settings.setSuffix(".txt");
		RotatingFileSink sink = new RotatingFileSink(settings);
		sink.open();
		sink.write("one");
		this.clock.advance(Duration.ofDays(2));
		sink.write("two");
		sink.close();
		assertThat(fileNames()).containsExactly("requests.txt");
		assertThat(lines("requests.txt")).containsExactly("one", "two");
	}

	@Test
	void maxDaysDeletesOlderFilesAtOpenAndAtRotation() throws Exception {
		for (String date : List.of("2026-12-01", "2026-12-03", "2026-12-04", "2026-12-05")) {
			Files.writeString(this.directory.resolve("access_log." + date + ".log"), "old");
		}
		Files.writeString(this.directory.resolve("access_log.notadate.log"), "kept");
		Files.writeString(this.directory.resolve("other.2026-11-01.log"), "kept");
		AccessLogSettings settings = settings();
		settings.setMaxDays(2);
		RotatingFileSink sink = new RotatingFileSink(settings);
		sink.open();
		// Today is the 6th: files from the 4th on are kept.
		assertThat(fileNames()).containsExactlyInAnyOrder("access_log.2026-12-04.log", "access_log.2026-12-05.log",
				"access_log.2026-12-06.log", "access_log.notadate.log", "other.2026-11-01.log");
		this.clock.advance(Duration.ofSeconds(2));
		sink.write("on the 7th");
		sink.close();
		assertThat(fileNames()).containsExactlyInAnyOrder("access_log.2026-12-05.log", "access_log.2026-12-06.log",
				"access_log.2026-12-07.log", "access_log.notadate.log", "other.2026-11-01.log");
	}

	@Test
	void theDateIsTheClocksZones() throws Exception {
		AccessLogSettings settings = settings();
		// 23:59:58 UTC is already the 7th in Paris.
		settings.setClock(new MutableClock(this.clock.instant(), ZoneId.of("Europe/Paris")));
		RotatingFileSink sink = new RotatingFileSink(settings);
		sink.open();
		sink.write("x");
		sink.close();
		assertThat(fileNames()).containsExactly("access_log.2026-12-07.log");
	}

	@Test
	void unbufferedLinesAreInTheFileAtOnce() throws Exception {
		AccessLogSettings settings = settings();
		settings.setBuffered(false);
		settings.setEncoding("ISO-8859-1");
		RotatingFileSink sink = new RotatingFileSink(settings);
		sink.open();
		sink.write("caf\u00e9");
		byte[] bytes = Files.readAllBytes(this.directory.resolve("access_log.2026-12-06.log"));
		assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).isEqualTo("caf\u00e9" + System.lineSeparator());
		assertThat(bytes).hasSize(4 + System.lineSeparator().length());
		sink.close();
	}

	private List<String> lines(String name) throws Exception {
		return Files.readAllLines(this.directory.resolve(name));
	}

	private List<String> fileNames() throws Exception {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.map((file) -> file.getFileName().toString()).toList();
		}
	}

}
