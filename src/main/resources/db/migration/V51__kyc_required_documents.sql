-- KYC: the documents every customer must have, so a customer with no document rows is not "nothing pending".

-- Kinds every customer must hold in an accepted state. A customer with no row for one of them is missing it.
CREATE TABLE kyc_required_document (
  kind text PRIMARY KEY
);
INSERT INTO kyc_required_document (kind) VALUES ('id_front'), ('id_back'), ('proof_of_address');

-- What a customer still has to send: each required kind with no row or a missing / rejected one, plus any other
-- kind marked missing or rejected (asked of this customer in particular). 'submitted' is waiting for our review,
-- so the customer has done their part. One definition, for the reminder job and anyone reporting on it.
CREATE FUNCTION kyc_pending_documents(customer_id bigint) RETURNS text[]
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(p.kind ORDER BY p.kind), '{}') FROM (
          SELECT r.kind FROM kyc_required_document r
          WHERE NOT EXISTS (SELECT 1 FROM kyc_document d
                            WHERE d.customer_id = $1 AND d.kind = r.kind AND d.state IN ('submitted', 'approved'))
          UNION
          SELECT d.kind FROM kyc_document d WHERE d.customer_id = $1 AND d.state IN ('missing', 'rejected')) p $$;
