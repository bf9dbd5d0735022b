/**
 * What every capability stands on: typed configuration, the PostgreSQL pool and migrations, Redis,
 * the embedded servers of the zero-configuration demo, Prometheus metrics and health checks.
 */
package pharmaops.platform;
