/**
 * Report exports as durable jobs: a registry of report types (one query + columns + filters each), the
 * streaming CSV worker with bounded memory, file storage with retention, and {@code /api/v1/reports}.
 */
package pharmaops.reports;
