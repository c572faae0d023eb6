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

/**
 * Daily files as Tomcat names them, rotation when the date changes or a file is full, and max-days and max-history
 * clean-up, on a clock moved by hand.
 */
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

	/** A line of exactly {@code bytes} bytes in the file, its separator included. */
	private static String lineOf(int bytes, char c) {
		return String.valueOf(c).repeat(bytes - System.lineSeparator().length());
	}

	@Test
	void aFullFileIsFollowedByNumberedFilesOfTheSameDateAndTheNumberingRestartsWithTheDate() throws Exception {
		AccessLogSettings settings = settings();
		settings.setMaxFileSize(1024);
		RotatingFileSink sink = new RotatingFileSink(settings);
		sink.open();
		sink.write(lineOf(600, 'a'));
		sink.write(lineOf(424, 'b')); // exactly 1024: still fits
		sink.write("c");
		sink.write(lineOf(1000, 'd'));
		sink.write(lineOf(100, 'e')); // past 1024 with d: a third file
		this.clock.advance(Duration.ofSeconds(3));
		sink.write("next day");
		sink.close();
		assertThat(fileNames()).containsExactlyInAnyOrder("access_log.2026-12-06.log", "access_log.2026-12-06.1.log",
				"access_log.2026-12-06.2.log", "access_log.2026-12-07.log");
		assertThat(Files.size(this.directory.resolve("access_log.2026-12-06.log"))).isEqualTo(1024);
		assertThat(lines("access_log.2026-12-06.1.log")).containsExactly("c", lineOf(1000, 'd'));
		assertThat(lines("access_log.2026-12-06.2.log")).containsExactly(lineOf(100, 'e'));
		assertThat(lines("access_log.2026-12-07.log")).containsExactly("next day");
		for (String name : fileNames()) {
			assertThat(Files.size(this.directory.resolve(name))).as(name).isLessThanOrEqualTo(1024);
		}
	}

	@Test
	void sizesCountEncodedBytesNotCharacters() throws Exception {
		AccessLogSettings settings = settings();
		settings.setMaxFileSize(1024);
		settings.setBuffered(false);
		RotatingFileSink sink = new RotatingFileSink(settings);
		sink.open();
		// 400 two-byte characters and 100 four-byte ones (surrogate pairs) in UTF-8: 1200 bytes, over the size.
		String wide = "\u00e9".repeat(400) + "\uD83D\uDE00".repeat(100);
		sink.write("small");
		sink.write(wide);
		sink.close();
		assertThat(lines("access_log.2026-12-06.log")).containsExactly("small");
		assertThat(Files.readString(this.directory.resolve("access_log.2026-12-06.1.log"), StandardCharsets.UTF_8))
			.isEqualTo(wide + System.lineSeparator());
	}

	@Test
	void aRestartGoesOnWithTheLastFileOfTheDateOrTheNextWhenItIsFull() throws Exception {
		Files.writeString(this.directory.resolve("access_log.2026-12-06.log"),
				lineOf(1024, 'x') + System.lineSeparator());
		Files.writeString(this.directory.resolve("access_log.2026-12-06.1.log"),
				lineOf(100, 'y') + System.lineSeparator());
		AccessLogSettings settings = settings();
		settings.setMaxFileSize(1024);
		RotatingFileSink sink = new RotatingFileSink(settings);
		sink.open();
		sink.write("after restart");
		sink.close();
		assertThat(lines("access_log.2026-12-06.1.log")).containsExactly(lineOf(100, 'y'), "after restart");
		Files.writeString(this.directory.resolve("access_log.2026-12-06.1.log"),
				lineOf(1024, 'z') + System.lineSeparator());
		sink = new RotatingFileSink(settings);
		sink.open();
		sink.write("full, so the next");
		sink.close();
		assertThat(lines("access_log.2026-12-06.2.log")).containsExactly("full, so the next");
	}

	@Test
	void maxHistoryKeepsTheNewestFilesBesidesTheCurrentOne() throws Exception {
		for (String name : List.of("access_log.2026-12-04.log", "access_log.2026-12-04.1.log",
				"access_log.2026-12-05.log", "access_log.2026-12-05.1.log", "access_log.2026-12-05.2.log")) {
			Files.writeString(this.directory.resolve(name), "old");
		}
		Files.writeString(this.directory.resolve("access_log.notadate.log"), "kept");
		Files.writeString(this.directory.resolve("access_log.2026-12-05.x.log"), "kept");
		AccessLogSettings settings = settings();
		settings.setMaxFileSize(1024);
		settings.setMaxHistory(2);
		RotatingFileSink sink = new RotatingFileSink(settings);
		sink.open();
		assertThat(fileNames()).containsExactlyInAnyOrder("access_log.2026-12-05.1.log", "access_log.2026-12-05.2.log",
				"access_log.2026-12-06.log", "access_log.notadate.log", "access_log.2026-12-05.x.log");
		sink.write(lineOf(1000, 'a'));
		sink.write(lineOf(1000, 'b')); // to .1 of the 6th: the 5th's .1 goes
		sink.close();
		assertThat(fileNames()).containsExactlyInAnyOrder("access_log.2026-12-05.2.log", "access_log.2026-12-06.log",
				"access_log.2026-12-06.1.log", "access_log.notadate.log", "access_log.2026-12-05.x.log");
	}

	@Test
	void maxHistoryWithoutDatesNumbersOneFile() throws Exception {
		AccessLogSettings settings = settings();
		settings.setRotate(false);
		settings.setMaxFileSize(1024);
		settings.setMaxHistory(1);
		RotatingFileSink sink = new RotatingFileSink(settings);
		sink.open();
		for (char c = 'a'; c <= 'd'; c++) {
			sink.write(lineOf(1000, c));
		}
		sink.close();
		assertThat(fileNames()).containsExactlyInAnyOrder("access_log.2.log", "access_log.3.log");
		assertThat(lines("access_log.3.log")).containsExactly(lineOf(1000, 'd'));
	}

	@Test
	void sizeAndHistoryOutOfRangeStopStartup() {
		AccessLogSettings settings = settings();
		settings.setMaxFileSize(1023);
		assertThat(settings.problem()).isEqualTo(
				"server.hybrid.accesslog.max-file-size must be at least 1KB (or unset for no limit), was 1023B");
		settings.setMaxFileSize(-1);
		settings.setMaxHistory(-2);
		assertThat(settings.problem()).startsWith("server.hybrid.accesslog.max-history must be -1");
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
