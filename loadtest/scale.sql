-- Grows a copy of a MetalPro database for the scaling figures of docs/PERFORMANCE.md: every
-- product :catalog_copies more times (new id and SKU, same title, family and dimensions, the
-- search index rows copied from the original's, so FTS5 and the facet indexes grow as a real
-- catalog of look-alike products would), and every RFQ with its lines :rfq_copies more times.
-- Run it on a COPY, with the server stopped, using the sqlite3 shell:
--   sqlite3 copy.db -cmd '.parameter set :catalog_copies 9' -cmd '.parameter set :rfq_copies 49' < loadtest/scale.sql
-- Run it once per copy: a second run copies the copies too.
PRAGMA foreign_keys = ON;
BEGIN;

-- Product ids are UUIDs (the cart refuses anything else): a copy's id is the original's with
-- its first 8 hex digits replaced by the copy's number.
CREATE TEMP TABLE product_copies AS
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < :catalog_copies)
SELECT p.id AS original, printf('%08x', k) || substr(p.id, 9) AS id, k FROM products p, n WHERE k <= :catalog_copies;

INSERT INTO products (id, category_id, sku, title, grade, standard, dimensions, availability, base_unit,
                      price_per_unit, weight, length_m, metadata, is_active, created_at, updated_at)
SELECT c.id, p.category_id, p.sku || '-X' || c.k, p.title, p.grade, p.standard, p.dimensions,
       p.availability, p.base_unit, round(p.price_per_unit * (1 + c.k / 100.0), 2), p.weight, p.length_m,
       p.metadata, p.is_active, p.created_at, p.updated_at
FROM product_copies c JOIN products p ON p.id = c.original;

-- The insert trigger gave each copy a raw search row; give it the original's normalised one.
UPDATE product_search AS s
SET family = o.family, d1 = o.d1, d2 = o.d2, d3 = o.d3, thickness = o.thickness, grade_key = o.grade_key,
    popularity = o.popularity, seq = o.seq, title_sort = o.title_sort, title_tokens = o.title_tokens,
    keyword_tokens = o.keyword_tokens
FROM product_copies AS c JOIN product_search AS o ON o.product_id = c.original
WHERE s.product_id = c.id;

WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < :rfq_copies)
INSERT INTO rfqs (id, user_id, reference_number, status, company_name, cui, contact_person, email, phone,
                  billing_address, delivery_address, incoterm, delivery_date, notes, cart_snapshot,
                  estimated_total, final_quote_amount, final_quote_pdf_url, quoted_at, submitted_at,
                  created_at, updated_at, guest_session_id, tracking_token_hash, version, assignee_id, language)
SELECT r.id || '~' || k, r.user_id, r.reference_number || '~' || k, r.status, r.company_name, r.cui,
       r.contact_person, r.email, r.phone, r.billing_address, r.delivery_address, r.incoterm, r.delivery_date,
       r.notes, r.cart_snapshot, r.estimated_total, r.final_quote_amount, r.final_quote_pdf_url, r.quoted_at,
       r.submitted_at, r.created_at, r.updated_at, r.guest_session_id, NULL, r.version, r.assignee_id, r.language
FROM rfqs r, n WHERE k <= :rfq_copies;

WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < :rfq_copies)
INSERT INTO rfq_items (id, rfq_id, product_id, product_sku, product_name, quantity, unit, specs,
                       gross_price, final_price, created_at, unit_price)
SELECT i.id || '~' || k, i.rfq_id || '~' || k, i.product_id, i.product_sku, i.product_name, i.quantity,
       i.unit, i.specs, i.gross_price, i.final_price, i.created_at, i.unit_price
FROM rfq_items i, n WHERE k <= :rfq_copies;

COMMIT;
SELECT 'products', count(*) FROM products UNION ALL SELECT 'fts rows', count(*) FROM product_search
UNION ALL SELECT 'rfqs', count(*) FROM rfqs UNION ALL SELECT 'rfq_items', count(*) FROM rfq_items;
