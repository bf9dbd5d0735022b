/**
 * The durable job engine shared by every capability: a PostgreSQL queue claimed with SKIP LOCKED and
 * leases, retries with backoff, cancellation, cron schedules (one enqueue per slot cluster-wide), the
 * {@code jobs.updated} events and the admin API under {@code /api/v1/jobs}.
 */
package pharmaops.jobs;
