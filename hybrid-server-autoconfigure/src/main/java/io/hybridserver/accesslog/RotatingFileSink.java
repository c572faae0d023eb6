package io.hybridserver.accesslog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalQueries;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Files named prefix + date + suffix, as Tomcat's: a new file when the date stamp changes (checked at most once a second
 * of the clock), appended to when it exists already, and files older than max-days deleted at each rotation and at
 * open. Without rotation, one file named prefix + suffix.
 */
final class RotatingFileSink implements AccessLogSink {

	private static final Log logger = LogFactory.getLog(RotatingFileSink.class);

	private final Path directory;

	private final String prefix;

	private final String suffix;

	private final DateTimeFormatter dateFormat;

	private final int maxDays;

	private final boolean buffered;

	private final Charset charset;

	private final Clock clock;

	private final String separator = System.lineSeparator();

	private Writer writer;

	private String stamp;

	private long nextCheckMillis;

	RotatingFileSink(AccessLogSettings settings) {
		this.directory = settings.getDirectory();
		this.prefix = settings.getPrefix();
		this.suffix = settings.getSuffix();
		this.dateFormat = settings.isRotate()
				? DateTimeFormatter.ofPattern(settings.getFileDateFormat()).withZone(settings.getClock().getZone()) : null;
		this.maxDays = settings.getMaxDays();
		this.buffered = settings.isBuffered();
		this.charset = Charset.forName(settings.getEncoding());
		this.clock = settings.getClock();
	}

	@Override
	public void open() throws IOException {
		Files.createDirectories(this.directory);
		long now = this.clock.millis();
		openFile(stamp(now));
		this.nextCheckMillis = now + 1000;
		deleteOldFiles();
	}

	/** The file lines go to now. */
	Path currentFile() {
		return this.directory.resolve(this.prefix + this.stamp + this.suffix);
	}

	@Override
	public void write(CharSequence line) throws IOException {
		if (this.dateFormat != null) {
			long now = this.clock.millis();
			if (now >= this.nextCheckMillis) {
				this.nextCheckMillis = now + 1000;
				String current = stamp(now);
				if (!current.equals(this.stamp)) {
					rotate(current);
				}
			}
		}
		if (this.writer == null) {
			// An earlier file could not be opened: try again, the disk may have room now.
			openFile(this.stamp);
		}
		this.writer.append(line).append(this.separator);
		if (!this.buffered) {
			this.writer.flush();
		}
	}

	private void rotate(String newStamp) throws IOException {
		closeFile();
		openFile(newStamp);
		deleteOldFiles();
	}

	private String stamp(long millis) {
		return (this.dateFormat != null) ? this.dateFormat.format(Instant.ofEpochMilli(millis)) : "";
	}

	private void openFile(String newStamp) throws IOException {
		this.stamp = newStamp;
		Path file = currentFile();
		OutputStreamWriter out = new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND, StandardOpenOption.WRITE), this.charset);
		this.writer = this.buffered ? new BufferedWriter(out, 32 * 1024) : out;
	}

	private void closeFile() throws IOException {
		Writer current = this.writer;
		this.writer = null;
		if (current != null) {
			current.close();
		}
	}

	/** Deletes dated files older than max-days, judging by the date in their names (as Tomcat does). */
	void deleteOldFiles() {
		if (this.maxDays < 0 || this.dateFormat == null) {
			return;
		}
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), this.clock.getZone());
		LocalDate oldestKept = today.minusDays(this.maxDays);
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory)) {
			for (Path file : files) {
				LocalDate date = dateOf(file.getFileName().toString());
				if (date != null && date.isBefore(oldestKept)) {
					Files.deleteIfExists(file);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not delete access log files older than " + this.maxDays + " days in " + this.directory,
					ex);
		}
	}

	private LocalDate dateOf(String name) {
		if (!name.startsWith(this.prefix) || !name.endsWith(this.suffix)
				|| name.length() < this.prefix.length() + this.suffix.length()) {
			return null;
		}
		String date = name.substring(this.prefix.length(), name.length() - this.suffix.length());
		try {
			return this.dateFormat.parse(date).query(TemporalQueries.localDate());
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	@Override
	public void flush() throws IOException {
		if (this.writer != null) {
			this.writer.flush();
		}
	}

	@Override
	public void close() throws IOException {
		closeFile();
	}

}
