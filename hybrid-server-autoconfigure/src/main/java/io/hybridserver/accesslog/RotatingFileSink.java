package io.hybridserver.accesslog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Files named prefix + date + suffix, as Tomcat's: a new file when the date stamp changes (checked at most once a second
 * of the clock), appended to when it exists already. With a maximum size, a full file is followed by prefix + date +
 * {@code .1} + suffix, then {@code .2}... (the numbering starts again with each date), and a restart appends to the
 * highest number of the date. Files older than max-days, and beyond the max-history newest, are deleted at each
 * rotation and at open. Without date rotation, prefix + suffix (then prefix + {@code .1} + suffix... with a size).
 */
final class RotatingFileSink implements AccessLogSink {

	private static final Log logger = LogFactory.getLog(RotatingFileSink.class);

	private final Path directory;

	private final LogFileNames names;

	private final int maxDays;

	private final long maxFileSize;

	private final int maxHistory;

	private final boolean buffered;

	private final Charset charset;

	private final boolean oneBytePerChar;

	private final Clock clock;

	private final String separator = System.lineSeparator();

	private Writer writer;

	private String stamp;

	private int index;

	/** Bytes in the current file: its size when opened plus every line written since (encoded). */
	private long size;

	private long nextCheckMillis;

	RotatingFileSink(AccessLogSettings settings) {
		this.directory = settings.getDirectory();
		DateTimeFormatter dateFormat = settings.isRotate()
				? DateTimeFormatter.ofPattern(settings.getFileDateFormat()).withZone(settings.getClock().getZone()) : null;
		this.names = new LogFileNames(settings.getPrefix(), settings.getSuffix(), dateFormat);
		this.maxDays = settings.getMaxDays();
		this.maxFileSize = settings.getMaxFileSize();
		this.maxHistory = settings.getMaxHistory();
		this.buffered = settings.isBuffered();
		this.charset = Charset.forName(settings.getEncoding());
		this.oneBytePerChar = this.charset.equals(StandardCharsets.ISO_8859_1)
				|| this.charset.equals(StandardCharsets.US_ASCII);
		this.clock = settings.getClock();
	}

	@Override
	public void open() throws IOException {
		Files.createDirectories(this.directory);
		long now = this.clock.millis();
		String current = this.names.stamp(now);
		// A restart goes on with the last file of the date, as Tomcat appends to today's file.
		openFile(current, (this.maxFileSize >= 0) ? highestIndex(current) : 0);
		this.nextCheckMillis = now + 1000;
		deleteOldFiles();
	}

	/** The file lines go to now. */
	Path currentFile() {
		return this.directory.resolve(this.names.name(this.stamp, this.index));
	}

	@Override
	public void write(CharSequence line) throws IOException {
		if (this.names.dated()) {
			long now = this.clock.millis();
			if (now >= this.nextCheckMillis) {
				this.nextCheckMillis = now + 1000;
				String current = this.names.stamp(now);
				if (!current.equals(this.stamp)) {
					rotate(current, 0);
				}
			}
		}
		long bytes = (this.maxFileSize >= 0) ? encodedLength(line) + this.separator.length() : 0;
		if (this.maxFileSize >= 0 && this.size > 0 && this.size + bytes > this.maxFileSize) {
			// The line would take the file past its size: it starts the next file instead.
			rotate(this.stamp, this.index + 1);
		}
		if (this.writer == null) {
			// An earlier file could not be opened: try again, the disk may have room now.
			openFile(this.stamp, this.index);
		}
		this.writer.append(line).append(this.separator);
		this.size += bytes;
		if (!this.buffered) {
			this.writer.flush();
		}
	}

	private long encodedLength(CharSequence line) {
		if (this.oneBytePerChar) {
			return line.length();
		}
		if (!this.charset.equals(StandardCharsets.UTF_8)) {
			return line.toString().getBytes(this.charset).length;
		}
		long bytes = 0;
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (c < 0x80) {
				bytes++;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < line.length()
					&& Character.isLowSurrogate(line.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	private void rotate(String newStamp, int newIndex) throws IOException {
		closeFile();
		openFile(newStamp, newIndex);
		deleteOldFiles();
	}

	private void openFile(String newStamp, int newIndex) throws IOException {
		this.stamp = newStamp;
		this.index = newIndex;
		Path file = currentFile();
		OutputStreamWriter out = new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND, StandardOpenOption.WRITE), this.charset);
		this.writer = this.buffered ? new BufferedWriter(out, 32 * 1024) : out;
		this.size = Files.size(file);
		if (this.maxFileSize >= 0 && this.size >= this.maxFileSize) {
			// Full already (a restart): the next number of the date.
			closeFile();
			openFile(newStamp, newIndex + 1);
		}
	}

	private void closeFile() throws IOException {
		Writer current = this.writer;
		this.writer = null;
		if (current != null) {
			current.close();
		}
	}

	/** The highest number among the files of a date, 0 when there is none but the first (or none at all). */
	private int highestIndex(String forStamp) throws IOException {
		int highest = 0;
		for (LogFileNames.LogFile file : logFiles()) {
			if (file.stamp().equals(forStamp)) {
				highest = Math.max(highest, file.index());
			}
		}
		return highest;
	}

	private List<LogFileNames.LogFile> logFiles() throws IOException {
		List<LogFileNames.LogFile> files = new ArrayList<>();
		try (DirectoryStream<Path> all = Files.newDirectoryStream(this.directory)) {
			for (Path path : all) {
				LogFileNames.LogFile file = this.names.parse(path);
				if (file != null) {
					files.add(file);
				}
			}
		}
		return files;
	}

	/**
	 * Deletes dated files older than max-days, judging by the date in their names (as Tomcat does), then the oldest
	 * files beyond max-history, never the one being written.
	 */
	void deleteOldFiles() {
		boolean byAge = this.maxDays >= 0 && this.names.dated();
		if (!byAge && this.maxHistory < 0) {
			return;
		}
		try {
			List<LogFileNames.LogFile> files = logFiles();
			files.removeIf((file) -> file.stamp().equals(this.stamp) && file.index() == this.index);
			if (byAge) {
				LocalDate oldestKept = LocalDate.ofInstant(this.clock.instant(), this.clock.getZone())
					.minusDays(this.maxDays);
				for (LogFileNames.LogFile file : List.copyOf(files)) {
					if (file.date() != null && file.date().isBefore(oldestKept)) {
						Files.deleteIfExists(file.path());
						files.remove(file);
					}
				}
			}
			if (this.maxHistory >= 0 && files.size() > this.maxHistory) {
				files.sort(LogFileNames.OLDEST_FIRST);
				for (LogFileNames.LogFile file : files.subList(0, files.size() - this.maxHistory)) {
					Files.deleteIfExists(file.path());
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not delete old access log files in " + this.directory + " (max-days " + this.maxDays
					+ ", max-history " + this.maxHistory + ")", ex);
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
