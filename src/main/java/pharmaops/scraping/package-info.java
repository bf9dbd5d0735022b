/**
 * Scraping: organisers' sites are polled politely (rate limits, conditional GET, robots.txt, breakers),
 * every item is kept with its versions, and each new item reaches every recipient exactly once through
 * the configured channels (WhatsApp via Wuzapi, webhooks, WebSocket subscribers, the event bus).
 */
package pharmaops.scraping;
