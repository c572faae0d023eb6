package io.hybridserver.accesslog;

import java.io.IOException;

/** Where formatted lines end up. Used by the writer thread alone, so implementations need no locking. */
interface AccessLogSink {

	/** Makes the sink ready; on the starting thread, so that a directory that cannot be written fails startup. */
	void open() throws IOException;

	/** Writes one line (no line separator). */
	void write(CharSequence line) throws IOException;

	/** Pushes buffered lines out (the queue ran empty). */
	void flush() throws IOException;

	/** Flushes and releases the sink. */
	void close() throws IOException;

}
