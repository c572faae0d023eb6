/**
 * The access log: one line per exchange, in Tomcat's pattern language, fed by exchange completion events as the
 * metrics are. Entries are captured on the event loop, formatted and written by one writer thread through a bounded
 * queue (a full queue drops the line and counts it, never blocks), to daily-rotated files or to a Commons Logging
 * category.
 */
package io.hybridserver.accesslog;
