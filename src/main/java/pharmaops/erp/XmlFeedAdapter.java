package pharmaops.erp;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An NF-e-like XML product list: {@code GET /nfe/produtos?pagina=1&tamanho=&alteradoDesde=<ISO-8601>}
 * answering {@code <produtos pagina="1" totalPaginas="n"><prod><cProd/><xProd/><cEAN/>...<registroMS/>
 * <fabricante cnpj=""/><principioAtivo/>...<categoria/><classe/><situacao/><apresentacao/>
 * <dhAlteracao>2026-11-25T10:00:00-03:00</dhAlteracao></prod></produtos>}. Pages count from 1; EANs and
 * ingredients repeat as elements. Parsed with StAX, a page at a time, on the sync verticle's worker pool (never an event loop).
 */
public final class XmlFeedAdapter implements ErpAdapter {
  private static final XMLInputFactory XML = factory();
  private final ErpConfig.Source source;

  XmlFeedAdapter(ErpConfig.Source source) {
    this.source = source;
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    // An ERP's document must not make us read local files or fetch URLs (XXE).
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return f;
  }

  @Override
  public HttpRequest<Buffer> request(WebClient client, int page, Instant since) {
    var req = client.getAbs(source.baseUrl() + "/nfe/produtos")
        .addQueryParam("pagina", Integer.toString(page + 1))
        .addQueryParam("tamanho", Integer.toString(source.pageSize()));
    if (since != null) req.addQueryParam("alteradoDesde", since.toString());
    return req;
  }

  @Override
  public Page parse(Buffer body, MultiMap headers) throws XMLStreamException {
    XMLStreamReader x = XML.createXMLStreamReader(new ByteArrayInputStream(body.getBytes()));
    List<ErpRecord> records = new ArrayList<>();
    List<Rejected> garbage = new ArrayList<>();
    int total = -1;
    try {
      while (x.hasNext()) {
        if (x.next() != XMLStreamConstants.START_ELEMENT) continue;
        if (x.getLocalName().equals("produtos")) {
          total = Integer.parseInt(x.getAttributeValue(null, "totalPaginas"));
        } else if (x.getLocalName().equals("prod")) {
          readProduct(x, records, garbage);
        }
      }
    } finally {
      x.close();
    }
    if (total < 0) throw new IllegalArgumentException("no <produtos totalPaginas=...> element");
    return new Page(records, garbage, total);
  }

  /**
   * Reads one {@code <prod>} up to its end tag; a bad value, or a child holding elements instead of text,
   * rejects this product only. Only a document that is not well-formed fails the page.
   */
  private static void readProduct(XMLStreamReader x, List<ErpRecord> records, List<Rejected> garbage) throws XMLStreamException {
    Map<String, String> one = new HashMap<>();
    List<String> eans = new ArrayList<>();
    List<String> ingredients = new ArrayList<>();
    StringBuilder raw = new StringBuilder("<prod>");
    String cnpj = null;
    String nested = null;
    while (x.hasNext()) {
      int ev = x.next();
      if (ev == XMLStreamConstants.END_ELEMENT && x.getLocalName().equals("prod")) break;
      if (ev != XMLStreamConstants.START_ELEMENT) continue;
      String tag = x.getLocalName();
      if (tag.equals("fabricante")) cnpj = x.getAttributeValue(null, "cnpj");
      String text = text(x, raw);
      if (text == null) {
        if (nested == null) nested = tag;
        continue;
      }
      switch (tag) {
        case "cEAN" -> eans.add(text);
        case "principioAtivo" -> ingredients.add(text);
        default -> one.put(tag, text);
      }
    }
    String rawText = raw.append("</prod>").toString();
    String key = one.getOrDefault("cProd", Records.hash(rawText));
    if (nested != null) {
      garbage.add(new Rejected(key, "garbage: <" + nested + "> holds elements, not text", rawText));
      return;
    }
    try {
      String when = one.get("dhAlteracao");
      records.add(new ErpRecord(one.get("cProd"), one.get("xProd"), one.get("registroMS"), eans, one.get("fabricante"),
          cnpj, ingredients, one.get("categoria"), one.get("classe"), one.get("situacao"), one.get("apresentacao"),
          when == null || when.isBlank() ? null : OffsetDateTime.parse(when.trim()).toInstant(), rawText));
    } catch (RuntimeException e) {
      garbage.add(new Rejected(key, "garbage: bad dhAlteracao", rawText));
    }
  }

  /**
   * The text of the element just started, read up to its end tag and appended to {@code raw}; null when the
   * element holds elements of its own ({@code getElementText} would throw and take the whole page with it).
   */
  private static String text(XMLStreamReader x, StringBuilder raw) throws XMLStreamException {
    StringBuilder text = new StringBuilder();
    boolean nested = false;
    int depth = 0;
    raw.append('<').append(x.getLocalName()).append('>');
    while (true) {
      int ev = x.next();
      switch (ev) {
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE,
             XMLStreamConstants.ENTITY_REFERENCE -> {
          if (depth == 0) text.append(x.getText());
          raw.append(x.getText());
        }
        case XMLStreamConstants.START_ELEMENT -> {
          nested = true;
          depth++;
          raw.append('<').append(x.getLocalName()).append('>');
        }
        case XMLStreamConstants.END_ELEMENT -> {
          raw.append("</").append(x.getLocalName()).append('>');
          if (depth-- == 0) return nested ? null : text.toString();
        }
        case XMLStreamConstants.END_DOCUMENT -> throw new XMLStreamException("document ends inside an element");
        default -> { }
      }
    }
  }
}
