package pharmaops.search;

import org.junit.jupiter.api.Test;
import pharmaops.http.Problem;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchQueryTest {
  static final SearchConfig CFG = new SearchConfig(300, 20, 50, 500, 5, 1000);

  static SearchQuery parse(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return SearchQuery.parse(m::get, CFG, false);
  }

  @Test
  void wordsAreFoldedAndTheLastOneIsAPrefixWhileTyping() {
    var q = parse("q", "Ácido  ACETILSALICÍL");
    assertThat(q.words()).containsExactly("acido", "acetilsalicil");
    assertThat(q.prefix()).isTrue();
    assertThat(parse("q", "dipirona ").prefix()).isFalse();
    assertThat(parse("q", "ab").prefix()).isFalse(); // too short to expand
  }

  @Test
  void strengthsAndUnitsAreNotRequiredWordsUnlessThereIsNothingElse() {
    var q = parse("q", "dipirona 500 mg");
    assertThat(q.terms()).containsExactly("dipirona");
    assertThat(q.isPrefix(q.terms(), 0)).isFalse(); // the word being typed is "mg", not "dipirona"
    assertThat(parse("q", "500 mg").terms()).containsExactly("500", "mg");
    var typing = parse("q", "500 mg dipir");
    assertThat(typing.terms()).containsExactly("dipir");
    assertThat(typing.isPrefix(typing.terms(), 0)).isTrue();
  }

  @Test
  void digitsWithSeparatorsAreAnIdentifier() {
    assertThat(parse("q", "1.0043.0946").identifier()).isEqualTo("100430946");
    assertThat(parse("q", "7891234567895").identifier()).isEqualTo("7891234567895");
    assertThat(parse("q", "500").identifier()).isNull();
    assertThat(parse("q", "dipirona 500").identifier()).isNull();
  }

  @Test
  void equivalentQueriesShareACacheKeyAndDifferentPagesDoNot() {
    assertThat(parse("q", "Dipirona Sódica ").cacheKey()).isEqualTo(parse("q", "dipirona   sodica ").cacheKey());
    assertThat(parse("q", "dipirona", "page", "2").cacheKey()).isNotEqualTo(parse("q", "dipirona").cacheKey());
    assertThat(parse("q", "dipirona", "manufacturer", "EMS").cacheKey()).isNotEqualTo(parse("q", "dipirona").cacheKey());
  }

  @Test
  void aCursorIsTheNextOffsetAndPagesAreBounded() {
    assertThat(parse("q", "x1", "cursor", Cursor.encode(40), "size", "20").offset()).isEqualTo(40);
    assertThat(parse("q", "x1", "page", "3", "size", "10").offset()).isEqualTo(20);
    assertThatThrownBy(() -> parse("q", "x1", "page", "26", "size", "20")).isInstanceOf(Problem.class);
    assertThatThrownBy(() -> parse("q", "x1", "cursor", Cursor.encode(500))).hasMessageContaining("paginated up to 500");
    assertThatThrownBy(() -> parse("q", "x1", "cursor", Cursor.encode(20), "page", "2")).hasMessageContaining("not both");
  }

  @Test
  void sqlAndMarkupCharactersAreRefusedByName() {
    assertThatThrownBy(() -> parse("q", "a;b")).hasMessageContaining("found ';'");
    assertThatThrownBy(() -> parse("q", "<script>")).hasMessageContaining("found '<'");
    assertThatThrownBy(() -> parse("q", "a /* b")).hasMessageContaining("found '/*'");
    assertThat(parse("q", "AAS 100 mg/mL (infantil) + vitamina C 0,5%").words()).contains("aas", "100", "mg", "ml", "infantil", "c", "0", "5");
  }

  @Test
  void bypassingTheCacheIsForbiddenToNonAdmins() {
    assertThatThrownBy(() -> parse("q", "dipirona", "cache", "false")).isInstanceOfSatisfying(Problem.class,
        p -> assertThat(p.status()).isEqualTo(403));
    Map<String, String> m = Map.of("q", "dipirona", "cache", "false");
    assertThat(SearchQuery.parse(m::get, CFG, true).useCache()).isFalse();
  }
}
