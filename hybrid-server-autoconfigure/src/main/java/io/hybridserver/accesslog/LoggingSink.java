package io.hybridserver.accesslog;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Lines as INFO events of a Commons Logging category, so that an application logging to standard output (a container)
 * gets its access log there too, routed and formatted by its own logging system.
 */
final class LoggingSink implements AccessLogSink {

	private final Log log;

	LoggingSink(String category) {
		this.log = LogFactory.getLog(category);
	}

	@Override
	public void open() {
	}

	@Override
	public void write(CharSequence line) {
		this.log.info(line.toString());
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
	}

}
