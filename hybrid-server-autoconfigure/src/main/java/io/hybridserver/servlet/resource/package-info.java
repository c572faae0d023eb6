/**
 * The context's static resources ({@code ServletContext.getResource} and friends, the default servlet): an index of
 * the {@code META-INF/resources} entries of every jar on the class path built once at startup, the document root and
 * class-path directories looked up on the file system, and a bounded cache with a time to live in front of both, so
 * that no request scans the class path or waits on a lock shared with other requests.
 */
package io.hybridserver.servlet.resource;
