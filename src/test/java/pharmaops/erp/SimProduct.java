package pharmaops.erp;

import java.time.Instant;
import java.util.List;

/** One product an {@link ErpSimulator} serves; mutable so tests can change records between runs. */
final class SimProduct {
  final long id;
  volatile String name;
  final String registration;
  final List<String> eans;
  final String manufacturer;
  final String cnpj;
  final List<String> ingredients;
  final String category;
  final String therapeuticClass;
  final String status;
  volatile String presentation;
  volatile Instant updatedAt;

  SimProduct(long id, String name, String registration, List<String> eans, String manufacturer, String cnpj,
             List<String> ingredients, String category, String therapeuticClass, String status, String presentation,
             Instant updatedAt) {
    this.id = id;
    this.name = name;
    this.registration = registration;
    this.eans = eans;
    this.manufacturer = manufacturer;
    this.cnpj = cnpj;
    this.ingredients = ingredients;
    this.category = category;
    this.therapeuticClass = therapeuticClass;
    this.status = status;
    this.presentation = presentation;
    this.updatedAt = updatedAt;
  }

  SimProduct copy() {
    return new SimProduct(id, name, registration, eans, manufacturer, cnpj, ingredients, category, therapeuticClass,
        status, presentation, updatedAt);
  }
}
