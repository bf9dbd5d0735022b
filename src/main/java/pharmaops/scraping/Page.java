package pharmaops.scraping;

import io.vertx.core.buffer.Buffer;

/**
 * One fetched page. {@code notModified} is a 304 (no body to parse); {@code bytes} counts status line,
 * headers and body as received, for the transfer figures.
 */
record Page(String url, int status, Buffer body, String contentType, long bytes, boolean notModified, String etag,
            String lastModified) {}
