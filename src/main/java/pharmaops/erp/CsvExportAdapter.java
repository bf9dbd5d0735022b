package pharmaops.erp;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A legacy ERP's CSV export over HTTP: {@code GET /export/produtos.csv?page=1&size=&since=dd/MM/yyyy HH:mm:ss}
 * in ISO-8859-1 with {@code ;} separators, a header line, quoted fields where needed, EANs joined by
 * {@code ,}, ingredients by {@code +}, and local São Paulo times; the page count comes in
 * {@code X-Total-Pages}.
 */
public final class CsvExportAdapter implements ErpAdapter {
  static final String HEADER = "CODIGO;DESCRICAO;REGISTRO;EAN;LABORATORIO;CNPJ;PRINCIPIO_ATIVO;CATEGORIA;CLASSE;SITUACAO;APRESENTACAO;ATUALIZADO_EM";
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss");
  static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");
  private static final int COLUMNS = 12;
  private final ErpConfig.Source source;

  CsvExportAdapter(ErpConfig.Source source) {
    this.source = source;
  }

  @Override
  public HttpRequest<Buffer> request(WebClient client, int page, Instant since) {
    var req = client.getAbs(source.baseUrl() + "/export/produtos.csv")
        .addQueryParam("page", Integer.toString(page + 1))
        .addQueryParam("size", Integer.toString(source.pageSize()));
    if (since != null) req.addQueryParam("since", TIME.format(since.atZone(ZONE)));
    return req;
  }

  @Override
  public Page parse(Buffer body, MultiMap headers) {
    String totalHeader = headers.get("X-Total-Pages");
    if (totalHeader == null) throw new IllegalArgumentException("no X-Total-Pages header");
    int total = Integer.parseInt(totalHeader.trim());
    String text = new String(body.getBytes(), StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n");
    if (lines.length == 0 || !lines[0].trim().equals(HEADER)) throw new IllegalArgumentException("missing or unexpected header line");
    List<ErpRecord> records = new ArrayList<>();
    List<Rejected> garbage = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) continue;
      List<String> f = split(line);
      if (f.size() != COLUMNS) {
        garbage.add(new Rejected(Records.hash(line), "garbage: " + f.size() + " fields, expected " + COLUMNS, line));
        continue;
      }
      try {
        Instant when = f.get(11).isBlank() ? null : LocalDateTime.parse(f.get(11).trim(), TIME).atZone(ZONE).toInstant();
        records.add(new ErpRecord(f.get(0), f.get(1), f.get(2), Arrays.asList(f.get(3).split(",")), f.get(4), f.get(5),
            Arrays.asList(f.get(6).split("\\+")), f.get(7), f.get(8), f.get(9), f.get(10), when, line));
      } catch (RuntimeException e) {
        garbage.add(new Rejected(f.get(0).isBlank() ? Records.hash(line) : f.get(0), "garbage: bad ATUALIZADO_EM", line));
      }
    }
    return new Page(records, garbage, total);
  }

  /** Splits one line on {@code ;}, honouring double quotes (a doubled quote is a literal one). */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ';') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
