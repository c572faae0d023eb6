/**
 * In-memory HTTP sessions: a concurrent store keyed by unguessable ids, expiry checked on access plus a cheap periodic
 * sweep, and the session listeners' events. Persistence and clustering are not in scope yet.
 */
package io.hybridserver.servlet.session;
