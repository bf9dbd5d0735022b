/**
 * ERP sync: polls every configured ERP concurrently, each behind its own circuit breaker, normalises their
 * formats through one adapter per kind, upserts the catalogue ({@code bula}) idempotently, and keeps the
 * per-source cursors, the runs log, the quarantine of rejected records and the alerts.
 */
package pharmaops.erp;
