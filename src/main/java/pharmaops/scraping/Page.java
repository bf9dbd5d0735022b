package pharmaops.scraping;

import io.vertx.core.buffer.Buffer;

/**
 * One fetched page. {@code url} is the URL asked for (its validators are kept under it), {@code finalUrl}
 * the one that answered after redirects (links resolve against it). {@code notModified} is a 304 (no body to
 * parse); {@code bytes} counts status lines, headers and bodies of every hop as received, for the transfer
 * figures; {@code location} is a redirect's target as sent.
 */
record Page(String url, String finalUrl, int status, Buffer body, String contentType, long bytes, boolean notModified,
            String etag, String lastModified, String location) {}
