package pharmaops.scraping;

import io.vertx.core.json.JsonObject;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Odd and broken markup yields items or clear per-item errors, never an exception. */
class ScrapersTest {
  static PageResult parse(String kind, JsonObject options, String html) {
    return ScraperFactory.create(kind, options).parse(Jsoup.parse(html, "https://gincana.example/tarefas"), PtDatesTest.NOW);
  }

  @Test
  void tableRowsWithNbspNestedTablesAndHeaderRowsBecomeItems() {
    String html = """
        <table><tr><th>Data</th><th>Tarefa</th><th>Pontos</th></tr>
          <tr><td>25/11/2026&nbsp;14:00</td><td><a href="/t/1">Tarefa&nbsp;1:&nbsp; foto   no coreto</a></td><td>100</td></tr>
          <tr><td>26 de novembro de 2026</td><td><a href="t/2">Tarefa 2</a>
                <table><tr><td>regra a</td></tr><tr><td>regra b</td></tr></table></td><td>50</td></tr>
          <tr><td colspan=3>Total: 150 pontos</td></tr>
        </table>""";
    PageResult r = parse("table", new JsonObject(), html);
    assertThat(r.items()).extracting(ScrapedItem::title).containsExactly("Tarefa 1: foto no coreto", "Tarefa 2");
    assertThat(r.items().get(0).postedAt()).isEqualTo(Instant.parse("2026-11-25T17:00:00Z"));
    assertThat(r.items().get(0).link()).isEqualTo("https://gincana.example/t/1");
    assertThat(r.items().get(1).body()).contains("regra a regra b").contains("50");
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void tableRowWithImpossibleDateIsKeptWithAnErrorNamingTheDate() {
    String html = "<table><tr><td>31/02/2026</td><td><a href='/t/9'>Tarefa 9</a></td></tr>"
        + "<tr><td>30 de fevereiro de 2026</td><td><a href='/t/10'>Tarefa 10</a></td></tr></table>";
    PageResult r = parse("table", new JsonObject(), html);
    assertThat(r.items()).extracting(ScrapedItem::title).containsExactly("Tarefa 9", "Tarefa 10");
    assertThat(r.items()).allSatisfy(i -> assertThat(i.postedAt()).isNull());
    assertThat(r.errors()).containsExactly("item 1: impossible date '31/02/2026': Invalid date 'FEBRUARY 31'",
        "item 2: impossible date '30 de fevereiro de 2026': Invalid date 'FEBRUARY 30'");
  }

  @Test
  void tableWithConfiguredColumnsReportsMissingCells() {
    String html = "<table><tr><td>x</td></tr><tr><td>01/12/2026</td><td>Só texto</td></tr></table>";
    PageResult r = parse("table", new JsonObject().put("dateColumn", 0).put("titleColumn", 1), html);
    assertThat(r.items()).extracting(ScrapedItem::title).containsExactly("Só texto");
    assertThat(r.errors()).anySatisfy(e -> assertThat(e).startsWith("item 1:"));
  }

  @Test
  void cardsWithMissingTitleOrDateGiveErrorsForThoseCardsOnly() {
    String html = """
        <article class=post><h2><a href="/p/1">Caça ao tesouro</a></h2><time datetime="2026-11-25T10:00:00-03:00">hoje</time>
          <p>Tragam&nbsp;lanternas.</p><article class=post><h3>aninhado</h3></article></article>
        <article class=post><p>sem título</p></article>
        <article class=post><h2>Gincana noturna</h2><span class=data>ontem às 21h</span><p>Na praça.</p></article>
        <article class=post><h2>Data quebrada</h2><span class=data>32/13/2026</span></article>
        <article class=post><h2>Sem data</h2><p>qualquer coisa</p></article>
        <a href="/pagina/2">Próxima »</a>""";
    PageResult r = parse("cards", new JsonObject(), html);
    assertThat(r.items()).extracting(ScrapedItem::title).containsExactly("Caça ao tesouro", "Gincana noturna", "Data quebrada", "Sem data");
    assertThat(r.items().get(0).postedAt()).isEqualTo(Instant.parse("2026-11-25T13:00:00Z"));
    assertThat(r.items().get(0).body()).startsWith("Tragam lanternas.");
    assertThat(r.items().get(1).postedAt()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    assertThat(r.errors()).containsExactly("item 2: no title (no heading with text)",
        "item 4: impossible date '32/13/2026': Invalid value for MonthOfYear (valid values 1 - 12): 13",
        "item 5: no date element and no date in the text");
    assertThat(r.nextUrl()).isEqualTo("https://gincana.example/pagina/2");
  }

  @Test
  void genericCssKindUsesOnlyItsSelectors() {
    JsonObject sel = new JsonObject().put("item", "li.aviso").put("title", ".t").put("body", ".txt").put("date", ".quando")
        .put("link", "a.mais").put("next", "a.next");
    String html = "<ul><li class=aviso><span class=t>Aviso 1</span><span class=quando>25/11/26</span><div class=txt>Texto</div>"
        + "<a class=mais href='/a/1'>mais</a></li><li class=aviso><span class=t> &nbsp; </span></li>"
        + "<li class=aviso><span class=t>Aviso 3</span></li></ul><a class=next href='?page=2'>»</a>";
    PageResult r = parse("css", sel, html);
    assertThat(r.items()).extracting(ScrapedItem::title).containsExactly("Aviso 1", "Aviso 3");
    assertThat(r.items().get(0).link()).isEqualTo("https://gincana.example/a/1");
    assertThat(r.errors()).containsExactly("item 2: no title (selector '.t' found nothing or only blanks)",
        "item 3: no date (selector '.quando')");
    assertThat(r.nextUrl()).isEqualTo("https://gincana.example/tarefas?page=2");
  }

  @Test
  void garbageAndEmptyPagesGiveNoItemsAndNoException() {
    for (String kind : ScraperFactory.kinds()) {
      JsonObject o = kind.equals("css") ? new JsonObject().put("item", "div").put("title", "b") : new JsonObject();
      assertThat(parse(kind, o, "<<<>>><table><tr><td><div><b></td></table></div>&nbsp;").items()).isNotNull();
      assertThat(parse(kind, o, "").items()).isEmpty();
    }
  }

  @Test
  void badOptionsAreRejectedWhenTheSourceIsCreated() {
    assertThatThrownBy(() -> ScraperFactory.create("css", new JsonObject().put("item", "li"))).hasMessageContaining("'title'");
    assertThatThrownBy(() -> ScraperFactory.create("css", new JsonObject().put("item", "li[").put("title", "b")))
        .hasMessageContaining("not a valid CSS selector");
    assertThatThrownBy(() -> ScraperFactory.create("table", new JsonObject().put("dateColumn", -1))).hasMessageContaining("dateColumn");
  }

  @Test
  void cardsWithoutADateElementTakeTheirDateFromMetaElementsOnlyNeverFromTheBody() {
    String html = """
        <article class=post><h2>Camisetas</h2><p>Tragam hoje 1 set de camisetas</p></article>
        <article class=post><h2>Com small</h2><small>Publicado em 24/11/2026</small><p>Entregar hoje</p></article>
        <article class=post><h2>Com meta</h2><div class=meta>por Ana, ontem</div><p>Dia 3 set de 2026</p></article>
        <article class=post><h2>Hoje no título</h2><p><small>hoje</small> chegou</p></article>""";
    PageResult r = parse("cards", new JsonObject(), html);
    assertThat(r.items()).extracting(ScrapedItem::title).containsExactly("Camisetas", "Com small", "Com meta", "Hoje no título");
    assertThat(r.items()).extracting(ScrapedItem::postedAt).containsExactly(null, Instant.parse("2026-11-24T03:00:00Z"),
        Instant.parse("2026-11-24T03:00:00Z"), null);
    assertThat(r.errors()).containsExactly("item 1: no date element and no date in the text",
        "item 4: no date element and no date in the text");
  }
}
