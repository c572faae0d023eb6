package io.hybridserver.accesslog;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;

/**
 * What the access log writes and where: filled from {@code server.hybrid.accesslog.*}. The names and defaults are
 * those of {@code server.tomcat.accesslog.*}, so that a Tomcat configuration carries over.
 */
public final class AccessLogSettings {

	/** Where lines go. */
	public enum Output {

		/** Files under {@link #getDirectory()}, rotated daily. */
		FILE,
		/** A Commons Logging category at INFO, for applications that log to standard output. */
		LOG

	}

	/** The largest writer queue: a million lines, several hundred megabytes of entries when full. */
	static final int MAX_QUEUE_CAPACITY = 1 << 20;

	private boolean enabled;

	private String pattern = "common";

	private Output output = Output.FILE;

	private String logCategory = "io.hybridserver.accesslog";

	private Path directory = Path.of("logs");

	private String prefix = "access_log";

	private String suffix = ".log";

	private String fileDateFormat = ".yyyy-MM-dd";

	private boolean rotate = true;

	private int maxDays = -1;

	private boolean buffered = true;

	private String encoding = "UTF-8";

	private int queueCapacity = 16_384;

	private Clock clock = Clock.systemDefaultZone();

	private boolean requestAttributesEnabled;

	private long maxFileSize = -1;

	private int maxHistory = -1;

	/** The smallest max-file-size: below it a file would hold a handful of lines. */
	static final long MIN_FILE_SIZE = 1024;

	/** Whether the access log is written. */
	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/** The line pattern: {@code common}, {@code combined}, or Tomcat %-codes. */
	public String getPattern() {
		return this.pattern;
	}

	public void setPattern(String pattern) {
		this.pattern = pattern;
	}

	/** Files or a logging category. */
	public Output getOutput() {
		return this.output;
	}

	public void setOutput(Output output) {
		this.output = output;
	}

	/** The Commons Logging category lines go to with {@link Output#LOG}. */
	public String getLogCategory() {
		return this.logCategory;
	}

	public void setLogCategory(String logCategory) {
		this.logCategory = logCategory;
	}

	/** The directory of the log files; relative paths are resolved against the working directory. */
	public Path getDirectory() {
		return this.directory;
	}

	public void setDirectory(Path directory) {
		this.directory = directory;
	}

	/** The start of each file name. */
	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	/** The end of each file name. */
	public String getSuffix() {
		return this.suffix;
	}

	public void setSuffix(String suffix) {
		this.suffix = suffix;
	}

	/** The date between prefix and suffix, a {@link DateTimeFormatter} pattern; a new file starts when it changes. */
	public String getFileDateFormat() {
		return this.fileDateFormat;
	}

	public void setFileDateFormat(String fileDateFormat) {
		this.fileDateFormat = fileDateFormat;
	}

	/** Whether files are dated and rotated; without it one file, prefix and suffix only, grows forever. */
	public boolean isRotate() {
		return this.rotate;
	}

	public void setRotate(boolean rotate) {
		this.rotate = rotate;
	}

	/** Days a rotated file is kept before it is deleted; negative to keep every file. */
	public int getMaxDays() {
		return this.maxDays;
	}

	public void setMaxDays(int maxDays) {
		this.maxDays = maxDays;
	}

	/** Whether lines are buffered and flushed once the queue is empty, rather than one by one. */
	public boolean isBuffered() {
		return this.buffered;
	}

	public void setBuffered(boolean buffered) {
		this.buffered = buffered;
	}

	/** The character encoding of the files. */
	public String getEncoding() {
		return this.encoding;
	}

	public void setEncoding(String encoding) {
		this.encoding = encoding;
	}

	/** Lines that may wait for the writer thread; beyond it lines are dropped and counted. */
	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
	}

	/**
	 * Whether {@code %a} and {@code %h} print the client address a trusted proxy reported (the remote-IP handling of
	 * {@code server.forward-headers-strategy=native}) rather than the TCP peer, as Tomcat's
	 * {@code requestAttributesEnabled}.
	 */
	public boolean isRequestAttributesEnabled() {
		return this.requestAttributesEnabled;
	}

	public void setRequestAttributesEnabled(boolean requestAttributesEnabled) {
		this.requestAttributesEnabled = requestAttributesEnabled;
	}

	/** Bytes at which a file is closed and the next of the same date begins; negative for no limit. */
	public long getMaxFileSize() {
		return this.maxFileSize;
	}

	public void setMaxFileSize(long maxFileSize) {
		this.maxFileSize = maxFileSize;
	}

	/** Files kept besides the one being written, the oldest deleted first; negative to keep every file. */
	public int getMaxHistory() {
		return this.maxHistory;
	}

	public void setMaxHistory(int maxHistory) {
		this.maxHistory = maxHistory;
	}

	/** The clock that dates lines' file names and rotation (its zone too); tests set their own. */
	public Clock getClock() {
		return this.clock;
	}

	public void setClock(Clock clock) {
		this.clock = clock;
	}

	/**
	 * What is wrong with these settings, naming the property to change, or {@code null} when they can work. Checked
	 * at startup only when the log is enabled.
	 */
	public String problem() {
		if (!this.enabled) {
			return null;
		}
		try {
			AccessLogPattern.compile(this.pattern);
		}
		catch (IllegalArgumentException ex) {
			return "server.hybrid.accesslog.pattern is invalid: " + ex.getMessage();
		}
		if (this.queueCapacity < 16 || this.queueCapacity > MAX_QUEUE_CAPACITY) {
			// The queue's array is allocated whole at start: a mistyped million-fold value must not take the heap.
			return "server.hybrid.accesslog.queue-capacity must be between 16 and " + MAX_QUEUE_CAPACITY + ", was "
					+ this.queueCapacity;
		}
		if (this.output == Output.LOG) {
			return (this.logCategory == null || this.logCategory.isBlank())
					? "server.hybrid.accesslog.log-category must name a logging category" : null;
		}
		return fileProblem();
	}

	private String fileProblem() {
		if (this.directory == null) {
			return "server.hybrid.accesslog.directory must be set when server.hybrid.accesslog.output=file";
		}
		try {
			// Also IllegalCharsetNameException and UnsupportedCharsetException, both IllegalArgumentExceptions.
			Charset.forName(this.encoding);
		}
		catch (IllegalArgumentException ex) {
			return "server.hybrid.accesslog.encoding names no charset this JVM supports: '" + this.encoding + "'";
		}
		if (this.maxFileSize >= 0 && this.maxFileSize < MIN_FILE_SIZE) {
			return "server.hybrid.accesslog.max-file-size must be at least 1KB (or unset for no limit), was "
					+ this.maxFileSize + "B";
		}
		if (this.maxHistory < -1) {
			return "server.hybrid.accesslog.max-history must be -1 (keep every file) or more, was " + this.maxHistory;
		}
		if (!this.rotate) {
			return null;
		}
		TemporalAccessor sample;
		try {
			DateTimeFormatter format = DateTimeFormatter.ofPattern(this.fileDateFormat);
			sample = format.parse(format.format(this.clock.instant().atZone(this.clock.getZone())));
		}
		catch (RuntimeException ex) {
			return "server.hybrid.accesslog.file-date-format is not a date pattern (as '.yyyy-MM-dd'): "
					+ ex.getMessage();
		}
		if (this.maxDays >= 0 && sample.query(TemporalQueries.localDate()) == null) {
			return "server.hybrid.accesslog.max-days needs a file-date-format with year, month and day (as "
					+ "'.yyyy-MM-dd'), was '" + this.fileDateFormat + "'";
		}
		return null;
	}

}
