/**
 * In-memory HTTP sessions: a concurrent store keyed by unguessable ids, expiry checked on access plus a cheap periodic
 * sweep (on access and on the container's timer), the session listeners' events, and persistence across a restart to
 * one file. Clustering is not in scope.
 */
package io.hybridserver.servlet.session;
