/**
 * Who may call: API tokens (random, stored only as SHA-256 hashes) carrying roles, the bootstrap admin
 * token, and the token administration API.
 */
package pharmaops.auth;
