-- Reproducible KYC dataset (no random(): every value is a function of the customer id), used by tests and
-- bench/kyc. Parameters: :customers, :today (YYYY-MM-DD). Five attribute rows and three documents per customer
-- (the required kinds), except that every 5th (i % 5 = 1) has no id_back row at all: missing, so pending. The
-- moduli of the document faults must not be multiples of 3: a third of the customers (i % 3 = 0) is never selected.
-- status: 80% active, 10% suspended, 10% closed; verified: 6 in 7; every 20th is a sub-account of the one
-- before it, half of those disabled; due dates spread over three years from today; two thirds requested.
INSERT INTO kyc_customer (id, email, name, status, verified, parent_id)
SELECT i, 'c' || i || '@example.test', 'Customer ' || i,
       CASE WHEN i % 10 < 8 THEN 'active' WHEN i % 10 = 8 THEN 'suspended' ELSE 'closed' END,
       i % 7 <> 0,
       CASE WHEN i % 20 = 0 THEN i - 1 END
FROM generate_series(1, :customers) i;

INSERT INTO kyc_customer_attribute (customer_id, key, value)
SELECT i, k.key,
       CASE k.key
         WHEN 'verification_due_date' THEN to_char(DATE :'today' + ((i::bigint * 7919) % 1095)::int, 'YYYY-MM-DD')
         WHEN 'verification_requested' THEN (i % 3 <> 0)::text
         WHEN 'disabled_subaccount' THEN (i % 20 = 0 AND (i / 20) % 2 = 0)::text
         WHEN 'preferred_language' THEN CASE WHEN i % 5 = 0 THEN 'en' ELSE 'pt-BR' END
         ELSE 'segment-' || (i % 12)
       END
FROM generate_series(1, :customers) i
CROSS JOIN (VALUES ('verification_due_date'), ('verification_requested'), ('disabled_subaccount'),
                   ('preferred_language'), ('segment')) k(key);

INSERT INTO kyc_document (customer_id, kind, state)
SELECT i, d.kind, CASE WHEN i % 4 = 0 AND d.kind = 'proof_of_address' THEN 'missing'
                       WHEN i % 9 = 0 AND d.kind = 'id_front' THEN 'rejected' ELSE 'approved' END
FROM generate_series(1, :customers) i
CROSS JOIN (VALUES ('id_front'), ('id_back'), ('proof_of_address')) d(kind)
WHERE d.kind <> 'id_back' OR i % 5 <> 1;

SELECT setval(pg_get_serial_sequence('kyc_customer', 'id'), :customers);
ANALYZE kyc_customer;
ANALYZE kyc_customer_attribute;
ANALYZE kyc_document;
