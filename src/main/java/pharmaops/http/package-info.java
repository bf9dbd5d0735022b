/**
 * The HTTP edge: router, bearer-token authorisation by role, problem+json errors, request ids and access
 * logs, body limits, health and metrics endpoints. Capabilities mount their routes through {@link pharmaops.http.Routes}.
 */
package pharmaops.http;
