/**
 * What the starter adds to Spring MVC itself when it runs on the hybrid server: the resource chain's answers cached,
 * negative ones included, so that building links does not search the class path (issue 22).
 */
package io.hybridserver.autoconfigure.webmvc;
