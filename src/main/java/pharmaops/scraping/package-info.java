/**
 * Scraping: organisers' sites are polled politely (rates shared by all nodes, conditional GET, robots.txt,
 * breakers), every item is kept with its versions, and each new item is sent to every recipient through the
 * configured channels (WhatsApp via Wuzapi, webhooks, WebSocket subscribers, the event bus): at most one send
 * is recorded per recipient, and a resend after a crash carries the same message id, so the recipient sees one.
 */
package pharmaops.scraping;
