-- MetalPro database schema: ordered migrations, applied at start and by `metalpro migrate`.
-- Each step runs in its own transaction; add a new step at the end, never edit an applied one.
-- Conventions: ids are TEXT uuids; times are TEXT "YYYY-MM-DDTHH:MM:SS.sssZ" (UTC, sortable);
-- booleans INTEGER 0/1; JSON documents TEXT; money REAL in RON.

-- migration: 1 init

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL COLLATE NOCASE UNIQUE,
    password_hash  TEXT NOT NULL,
    name           TEXT NOT NULL,
    phone          TEXT,
    role           TEXT NOT NULL DEFAULT 'BUSINESS'
                   CHECK (role IN ('INDIVIDUAL', 'BUSINESS', 'OPERATOR', 'ADMIN')),
    email_verified INTEGER NOT NULL DEFAULT 0,
    language       TEXT NOT NULL DEFAULT 'ro' CHECK (language IN ('ro', 'en')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE companies (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    legal_name  TEXT NOT NULL,
    cui         TEXT,
    address     TEXT,
    city        TEXT,
    county      TEXT,
    postal_code TEXT,
    country     TEXT NOT NULL DEFAULT 'Romania',
    is_verified INTEGER NOT NULL DEFAULT 0,
    verified_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX companies_cui ON companies(cui);

-- The seed's Session model. Tokens are never stored, only their SHA-256 hashes.
CREATE TABLE auth_sessions (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash         TEXT NOT NULL UNIQUE,
    refresh_token_hash TEXT UNIQUE,
    expires_at         TEXT NOT NULL,
    refresh_expires_at TEXT,
    last_seen_at       TEXT,
    ip_address         TEXT,
    user_agent         TEXT,
    created_at         TEXT NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions(user_id);

CREATE TABLE categories (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_en     TEXT,
    description TEXT,
    icon        TEXT,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE products (
    id             TEXT PRIMARY KEY,
    category_id    TEXT NOT NULL REFERENCES categories(id),
    sku            TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    grade          TEXT,
    standard       TEXT,
    dimensions     TEXT,
    availability   TEXT NOT NULL DEFAULT 'in_stock'
                   CHECK (availability IN ('in_stock', 'on_order', 'out_of_stock')),
    base_unit      TEXT NOT NULL CHECK (base_unit IN ('kg', 'm', 'pcs')),
    price_per_unit REAL NOT NULL CHECK (price_per_unit >= 0),
    weight         REAL,
    length_m       REAL,
    metadata       TEXT,
    is_active      INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX products_category ON products(category_id);
CREATE INDEX products_availability ON products(availability);

-- Carts: user_id for signed-in customers, session_id (the guest's scs identity) for guests.
CREATE TABLE carts (
    id         TEXT PRIMARY KEY,
    user_id    TEXT REFERENCES users(id) ON DELETE CASCADE,
    session_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    CHECK ((user_id IS NULL) <> (session_id IS NULL))
);
CREATE UNIQUE INDEX carts_user ON carts(user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX carts_session ON carts(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX carts_expires ON carts(expires_at);

CREATE TABLE cart_items (
    id         TEXT PRIMARY KEY,
    cart_id    TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products(id),
    quantity   REAL NOT NULL CHECK (quantity > 0),
    unit       TEXT NOT NULL,
    specs      TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cart_items_cart ON cart_items(cart_id);

CREATE TABLE rfqs (
    id                  TEXT PRIMARY KEY,
    user_id             TEXT REFERENCES users(id),
    reference_number    TEXT NOT NULL UNIQUE,
    status              TEXT NOT NULL DEFAULT 'SUBMITTED'
                        CHECK (status IN ('SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'QUOTED', 'COMPLETED', 'CANCELLED')),
    company_name        TEXT NOT NULL,
    cui                 TEXT,
    contact_person      TEXT NOT NULL,
    email               TEXT NOT NULL,
    phone               TEXT NOT NULL,
    billing_address     TEXT NOT NULL,
    delivery_address    TEXT NOT NULL,
    incoterm            TEXT,
    delivery_date       TEXT,
    notes               TEXT,
    cart_snapshot       TEXT NOT NULL,
    estimated_total     REAL,
    final_quote_amount  REAL,
    final_quote_pdf_url TEXT,
    quoted_at           TEXT,
    submitted_at        TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX rfqs_user ON rfqs(user_id);
CREATE INDEX rfqs_status ON rfqs(status);

-- One row per year: the last reference number handed out. Incremented inside the RFQ's own
-- write transaction, so numbers are unique and gap-free.
CREATE TABLE rfq_sequences (
    year      INTEGER PRIMARY KEY,
    last_value INTEGER NOT NULL
);

CREATE TABLE rfq_items (
    id           TEXT PRIMARY KEY,
    rfq_id       TEXT NOT NULL REFERENCES rfqs(id) ON DELETE CASCADE,
    product_id   TEXT REFERENCES products(id),
    product_sku  TEXT NOT NULL,
    product_name TEXT NOT NULL,
    quantity     REAL NOT NULL,
    unit         TEXT NOT NULL,
    specs        TEXT,
    gross_price  REAL NOT NULL,
    final_price  REAL,
    created_at   TEXT NOT NULL
);
CREATE INDEX rfq_items_rfq ON rfq_items(rfq_id);

CREATE TABLE projects (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT,
    file_name    TEXT NOT NULL,
    bom_data     TEXT NOT NULL,
    last_used_at TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX projects_user ON projects(user_id);

CREATE TABLE addresses (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type        TEXT NOT NULL CHECK (type IN ('BILLING', 'DELIVERY')),
    is_default  INTEGER NOT NULL DEFAULT 0,
    street      TEXT NOT NULL,
    city        TEXT NOT NULL,
    county      TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    country     TEXT NOT NULL DEFAULT 'Romania',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX addresses_user_type ON addresses(user_id, type);
-- At most one default address per user and type.
CREATE UNIQUE INDEX addresses_one_default ON addresses(user_id, type) WHERE is_default = 1;

-- Attachments are uploaded before the RFQ exists, so rfq_id starts NULL and the owner is
-- remembered (user or guest session) until the RFQ claims the file.
CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    rfq_id      TEXT REFERENCES rfqs(id) ON DELETE CASCADE,
    user_id     TEXT REFERENCES users(id) ON DELETE CASCADE,
    session_id  TEXT,
    kind        TEXT NOT NULL DEFAULT 'attachment' CHECK (kind IN ('attachment', 'bom')),
    file_name   TEXT NOT NULL,
    file_size   INTEGER NOT NULL,
    mime_type   TEXT NOT NULL,
    storage_url TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX attachments_rfq ON attachments(rfq_id);

-- Outgoing email. A row is written in the same transaction as the change that causes the
-- email; the mail worker sends it after commit, with retries.
CREATE TABLE email_outbox (
    id                  TEXT PRIMARY KEY,
    template            TEXT NOT NULL,
    to_addr             TEXT NOT NULL,
    lang                TEXT NOT NULL DEFAULT 'ro',
    data                TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TEXT NOT NULL,
    last_error          TEXT,
    provider_message_id TEXT,
    created_at          TEXT NOT NULL,
    sent_at             TEXT
);
CREATE INDEX email_outbox_due ON email_outbox(status, next_attempt_at);

-- Guest sessions, in the layout github.com/alexedwards/scs/sqlite3store expects.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry);

-- Settings the server generates once and must keep across a restore (e.g. the development
-- JWT signing key): they live in the database so Litestream replicates them.
CREATE TABLE server_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- migration: 2 catalog_search
-- Catalog search. product_search holds, per product, the text the search understands
-- (normalised in Go by catalog.Tokens: folded diacritics, joined dimension chains such as
-- "40x20x2", canonical synonyms) and the structured parts used to rank exact matches
-- first (family, d1..d3, thickness, grade_key). product_fts is an external-content FTS5 index
-- over it: the text is stored once (in product_search, where it can be read back and
-- checked), triggers keep the index in step with every insert/update/delete, and
-- `INSERT INTO product_fts(product_fts) VALUES('rebuild')` regenerates it at any time.
-- The tokenizer keeps '.' and '_' inside tokens so "1.5", "48.3x3.2" and 1/2" (1_2in) stay whole: a query token
-- matches only an equal token ("2" never matches "20").
CREATE TABLE product_search (
    id             INTEGER PRIMARY KEY,
    product_id     TEXT NOT NULL UNIQUE REFERENCES products(id) ON DELETE CASCADE,
    family         TEXT NOT NULL DEFAULT '',
    d1             REAL,
    d2             REAL,
    d3             REAL,
    thickness      REAL,
    grade_key      TEXT NOT NULL DEFAULT '',
    popularity     INTEGER NOT NULL DEFAULT 0,
    seq            INTEGER NOT NULL DEFAULT 0,
    title_sort     TEXT NOT NULL,
    title_tokens   TEXT NOT NULL,
    keyword_tokens TEXT NOT NULL
);
CREATE INDEX product_search_dims ON product_search(family, d1, d2, d3);
CREATE INDEX product_search_seq ON product_search(seq);
CREATE INDEX product_search_title ON product_search(title_sort);

CREATE VIRTUAL TABLE product_fts USING fts5(
    title_tokens, keyword_tokens,
    content='product_search', content_rowid='id',
    tokenize="unicode61 remove_diacritics 2 tokenchars '._'"
);

CREATE TRIGGER product_search_ai AFTER INSERT ON product_search BEGIN
    INSERT INTO product_fts(rowid, title_tokens, keyword_tokens)
    VALUES (new.id, new.title_tokens, new.keyword_tokens);
END;
CREATE TRIGGER product_search_ad AFTER DELETE ON product_search BEGIN
    INSERT INTO product_fts(product_fts, rowid, title_tokens, keyword_tokens)
    VALUES ('delete', old.id, old.title_tokens, old.keyword_tokens);
END;
CREATE TRIGGER product_search_au AFTER UPDATE ON product_search BEGIN
    INSERT INTO product_fts(product_fts, rowid, title_tokens, keyword_tokens)
    VALUES ('delete', old.id, old.title_tokens, old.keyword_tokens);
    INSERT INTO product_fts(rowid, title_tokens, keyword_tokens)
    VALUES (new.id, new.title_tokens, new.keyword_tokens);
END;

-- Covers every column the product filters and facet counts read, in the facets' GROUP BY
-- order: counting grades, standards and availability is one pass over this small index,
-- with no sorting and without reading the rows (whose metadata JSON makes them large).
CREATE INDEX products_catalog_filter ON products(grade, standard, availability, category_id, is_active, price_per_unit);
CREATE INDEX products_price ON products(price_per_unit, sku);
CREATE INDEX products_newest ON products(created_at, sku);
CREATE INDEX products_sku_nocase ON products(sku COLLATE NOCASE); -- SKUs typed by hand: tr-40x20x2-s235

-- Every product has a search row, whoever writes it: a product inserted or renamed outside
-- the seed gets its raw title and SKU as tokens (FTS5's unicode61 still folds case and
-- diacritics) and sorts after the seeded catalog. store.IndexProduct replaces that with
-- the full normalisation (joined dimensions, synonyms, grade aliases).
CREATE TRIGGER products_search_ai AFTER INSERT ON products BEGIN
    INSERT INTO product_search(product_id, seq, title_sort, title_tokens, keyword_tokens)
    VALUES (new.id, 1000000000, lower(new.title), new.title,
            new.sku || ' ' || coalesce(new.grade, '') || ' ' || coalesce(new.dimensions, ''));
END;
CREATE TRIGGER products_search_au AFTER UPDATE OF title, sku, grade, dimensions ON products BEGIN
    UPDATE product_search SET title_sort = lower(new.title), title_tokens = new.title,
        keyword_tokens = new.sku || ' ' || coalesce(new.grade, '') || ' ' || coalesce(new.dimensions, '')
    WHERE product_id = new.id;
END;

-- migration: 3 auth

-- Single-use tokens emailed to a user (email verification, password reset). Only the
-- SHA-256 of a token is stored, so a leaked database cannot be used to take over accounts.
CREATE TABLE user_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX user_tokens_user ON user_tokens(user_id, purpose);
CREATE INDEX auth_sessions_refresh_expires ON auth_sessions(refresh_expires_at);
-- The refresh token a rotation replaced, and when: two browser tabs refreshing at the same
-- moment present the same token, which is a race, not a theft (see store.RefreshReuseGrace).
ALTER TABLE auth_sessions ADD COLUMN previous_refresh_hash TEXT;
ALTER TABLE auth_sessions ADD COLUMN rotated_at TEXT;

-- migration: 4 cart_rfq
-- One cart line per product, unit and specs: adding the same thing again raises the quantity.
CREATE UNIQUE INDEX cart_items_line ON cart_items(cart_id, product_id, unit, COALESCE(specs, ''));

-- A guest follows an RFQ from the session that sent it (guest_session_id, the random guest id
-- kept in the scs session) or from the tracking link in the confirmation email; only the
-- link token's SHA-256 is stored.
ALTER TABLE rfqs ADD COLUMN guest_session_id TEXT;
ALTER TABLE rfqs ADD COLUMN tracking_token_hash TEXT;
CREATE UNIQUE INDEX rfqs_tracking_token ON rfqs(tracking_token_hash) WHERE tracking_token_hash IS NOT NULL;
CREATE INDEX rfqs_guest_session ON rfqs(guest_session_id) WHERE guest_session_id IS NOT NULL;
CREATE INDEX rfqs_user_submitted ON rfqs(user_id, submitted_at);

-- The catalog unit price at submission (gross_price is the line total).
ALTER TABLE rfq_items ADD COLUMN unit_price REAL;

-- Idempotency-Key of POST /api/rfq, scoped to the caller ("user:<id>" or "guest:<id>"): a
-- retried submission gets the first answer back instead of creating a second RFQ.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    rfq_id       TEXT REFERENCES rfqs(id) ON DELETE CASCADE,
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys(expires_at);

-- migration: 5 uploads
-- Uploads (package files): storage_url holds the object's key in the file store, never the
-- client's file name. A BOM upload can be kept by a project instead of an RFQ; an upload
-- that neither claims within a day is swept, blob and row (attachment.go).
ALTER TABLE attachments ADD COLUMN project_id TEXT REFERENCES projects(id) ON DELETE SET NULL;
CREATE INDEX attachments_user ON attachments(user_id) WHERE user_id IS NOT NULL;
CREATE INDEX attachments_session ON attachments(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX attachments_unclaimed ON attachments(uploaded_at) WHERE rfq_id IS NULL AND project_id IS NULL;

-- migration: 6 staff
-- The sales team's side. A disabled account keeps its history (audit rows, RFQs it handled)
-- but can no longer sign in; disabling also ends its sessions. The audit log is
-- append-only: every staff change writes one row in the change's own transaction, and the
-- triggers refuse any UPDATE or DELETE, whoever asks (audit.go).
ALTER TABLE users ADD COLUMN disabled_at TEXT;
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    actor_id    TEXT REFERENCES users(id) ON DELETE SET NULL,
    actor_label TEXT NOT NULL,             -- the actor's email, or "cli" / "system"
    action      TEXT NOT NULL,             -- e.g. rfq.status, quote.send, product.update
    entity      TEXT NOT NULL,             -- e.g. rfq, product, category, user
    entity_id   TEXT NOT NULL,
    before_json TEXT,                      -- NULL when the entity is new
    after_json  TEXT,                      -- NULL when it is removed
    request_id  TEXT,
    at          TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, at);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- migration: 7 quotes
-- Quote versions (quote.go): one row per version of an RFQ's quote. At most one draft per
-- RFQ; sending turns it into a sent version that is never edited again, so a re-quote
-- keeps every earlier version and its PDF (pdf_upload_id, an attachments row linked to
-- the RFQ). Prices are bani; items_json is [{"itemId", "finalPrice"}] with the price per
-- base unit, extra_lines_json [{"description", "amount"}]; vat_rate_bp is the VAT rate in
-- basis points (2100 = 21 %). valid_until is the last day the quote can be accepted.
CREATE TABLE quote_versions (
    id               TEXT PRIMARY KEY,
    rfq_id           TEXT NOT NULL REFERENCES rfqs(id) ON DELETE CASCADE,
    version          INTEGER NOT NULL,
    status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'expired')),
    revision         INTEGER NOT NULL DEFAULT 1,  -- bumped by every draft save: send checks it
    items_json       TEXT NOT NULL,
    extra_lines_json TEXT NOT NULL DEFAULT '[]',
    vat_rate_bp      INTEGER NOT NULL,
    valid_until      TEXT NOT NULL,
    notes            TEXT,
    net_bani         INTEGER NOT NULL,
    vat_bani         INTEGER NOT NULL,
    gross_bani       INTEGER NOT NULL,
    pdf_upload_id    TEXT REFERENCES attachments(id) ON DELETE SET NULL,
    sent_at          TEXT,
    sent_by          TEXT REFERENCES users(id) ON DELETE SET NULL,
    answer           TEXT CHECK (answer IN ('accepted', 'declined')),
    answer_reason    TEXT,
    answered_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (rfq_id, version)
);
CREATE UNIQUE INDEX quote_versions_one_draft ON quote_versions(rfq_id) WHERE status = 'draft';
CREATE INDEX quote_versions_expiring ON quote_versions(valid_until) WHERE status = 'sent' AND answer IS NULL;
CREATE INDEX quote_versions_pdf ON quote_versions(pdf_upload_id) WHERE pdf_upload_id IS NOT NULL;

-- migration: 8 rfq_workflow
-- The sales team works an RFQ (rfq_workflow.go). version grows with every staff change of
-- the RFQ row (status, assignee): a change names the version it saw, so the second of two
-- operators acting on the same state gets a conflict instead of overwriting the first.
-- language is the customer's email language at submission (rows before it: Romanian).
ALTER TABLE rfqs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE rfqs ADD COLUMN assignee_id TEXT REFERENCES users(id);
ALTER TABLE rfqs ADD COLUMN language TEXT NOT NULL DEFAULT 'ro';
CREATE INDEX rfqs_status_submitted ON rfqs(status, submitted_at);
CREATE INDEX rfqs_submitted ON rfqs(submitted_at);
CREATE INDEX rfqs_assignee ON rfqs(assignee_id, submitted_at) WHERE assignee_id IS NOT NULL;
-- Every status change, with who made it and why (the submission itself is the RFQ's
-- submitted_at).
CREATE TABLE rfq_history (
    id          TEXT PRIMARY KEY,
    rfq_id      TEXT NOT NULL REFERENCES rfqs(id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    reason      TEXT,
    actor_id    TEXT REFERENCES users(id) ON DELETE SET NULL,
    actor_label TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX rfq_history_rfq ON rfq_history(rfq_id, at);
-- Internal notes: staff only, never shown to the customer.
CREATE TABLE rfq_notes (
    id           TEXT PRIMARY KEY,
    rfq_id       TEXT NOT NULL REFERENCES rfqs(id) ON DELETE CASCADE,
    author_id    TEXT REFERENCES users(id) ON DELETE SET NULL,
    author_label TEXT NOT NULL,
    text         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX rfq_notes_rfq ON rfq_notes(rfq_id, created_at);
-- The conversation with the customer: both sides see every message.
CREATE TABLE rfq_messages (
    id           TEXT PRIMARY KEY,
    rfq_id       TEXT NOT NULL REFERENCES rfqs(id) ON DELETE CASCADE,
    author_kind  TEXT NOT NULL CHECK (author_kind IN ('STAFF', 'CUSTOMER')),
    author_id    TEXT REFERENCES users(id) ON DELETE SET NULL,
    author_label TEXT NOT NULL,            -- staff: the name; customer: the RFQ's contact person
    text         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX rfq_messages_rfq ON rfq_messages(rfq_id, author_kind, created_at);
