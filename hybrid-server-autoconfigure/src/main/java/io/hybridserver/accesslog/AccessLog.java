package io.hybridserver.accesslog;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.hybridserver.http.CompletedExchange;
import io.hybridserver.http.ExchangeCompletionListener;

/**
 * The access log of one server: hears each exchange's end on its event loop, copies what the pattern needs into an
 * entry and queues it for the writer thread, which formats and writes it. Nothing here waits on the event loop: a
 * full queue drops the line and counts it ({@link #droppedQueueFull()}).
 *
 * <p>{@link #start()} opens the file on the calling thread (so a directory that cannot be written fails startup) and
 * starts the writer; {@link #stop()} writes what is queued, flushes and closes. The server calls it after the event
 * loops have stopped, that is after graceful shutdown has drained, so the last requests' lines are written.
 */
public final class AccessLog implements ExchangeCompletionListener {

	private static final long STOP_TIMEOUT_MILLIS = 10_000;

	private final AccessLogSettings settings;

	private final AccessLogPattern pattern;

	private volatile AccessLogWriter writer;

	/** The dropped counts of earlier runs (a server may be stopped and started again). */
	private long droppedQueueFullBefore;

	private long droppedWriteFailedBefore;

	/**
	 * @param settings what to write where; must be {@linkplain AccessLogSettings#problem() without problem}
	 * @throws IllegalArgumentException if the settings cannot work, naming the property to change
	 */
	public AccessLog(AccessLogSettings settings) {
		String problem = settings.problem();
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
		this.settings = settings;
		this.pattern = AccessLogPattern.compile(settings.getPattern(), settings.getClock().getZone());
	}

	/**
	 * Opens the sink and starts the writer thread.
	 * @throws UncheckedIOException if the log file cannot be opened
	 */
	public synchronized void start() {
		if (this.writer != null) {
			return;
		}
		AccessLogSink sink = (this.settings.getOutput() == AccessLogSettings.Output.LOG)
				? new LoggingSink(this.settings.getLogCategory()) : new RotatingFileSink(this.settings);
		try {
			sink.open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the access log in " + this.settings.getDirectory().toAbsolutePath()
					+ " (server.hybrid.accesslog.directory): " + ex, ex);
		}
		AccessLogWriter started = new AccessLogWriter(this.pattern, sink, this.settings.getQueueCapacity());
		started.start("hybrid-accesslog");
		this.writer = started;
	}

	/** Writes the lines still queued, flushes and closes; waits for it at most ten seconds. */
	public synchronized void stop() {
		AccessLogWriter current = this.writer;
		if (current == null) {
			return;
		}
		try {
			current.stop(STOP_TIMEOUT_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.droppedQueueFullBefore += current.droppedQueueFull();
		this.droppedWriteFailedBefore += current.droppedWriteFailed();
		this.writer = null;
	}

	@Override
	public void exchangeCompleted(CompletedExchange exchange) {
		AccessLogWriter current = this.writer;
		if (current != null) {
			current.offer(new AccessLogEntry(exchange, this.pattern.requestHeaderNames(),
					this.pattern.responseHeaderNames(), this.settings.isRequestAttributesEnabled()));
		}
	}

	/** Lines dropped because the writer's queue was full, since the server was created. */
	public synchronized long droppedQueueFull() {
		AccessLogWriter current = this.writer;
		return this.droppedQueueFullBefore + ((current != null) ? current.droppedQueueFull() : 0);
	}

	/** Lines dropped because they could not be written (disk full, file removed), since the server was created. */
	public synchronized long droppedWriteFailed() {
		AccessLogWriter current = this.writer;
		return this.droppedWriteFailedBefore + ((current != null) ? current.droppedWriteFailed() : 0);
	}

	/** Whether the writer runs: between {@link #start()} and {@link #stop()}. */
	public boolean isRunning() {
		return this.writer != null;
	}

	/** Lines waiting for the writer now. */
	public int queueDepth() {
		AccessLogWriter current = this.writer;
		return (current != null) ? current.depth() : 0;
	}

	/** The settings in effect. */
	public AccessLogSettings settings() {
		return this.settings;
	}

}
