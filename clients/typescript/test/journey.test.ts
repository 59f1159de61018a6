// The storefront's journeys through this client against the real server. The Go test
// TestClient_TypeScript starts the server on 127.0.0.1 and runs this file with
// METALPRO_API_URL and METALPRO_MAIL_DIR set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createMetalProClient, type MetalProClient, type Schema } from "../src/index.js";

const baseUrl = process.env.METALPRO_API_URL ?? "";
const mailDir = process.env.METALPRO_MAIL_DIR ?? "";

/** A browser: its own cookie jar (the guest session) and its own tokens. */
function browser(): MetalProClient {
  const cookies = new Map<string, string>();
  const fetchWithCookies = async (request: Request): Promise<Response> => {
    const r = new Request(request);
    if (cookies.size > 0) r.headers.set("Cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(r);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    return res;
  };
  return createMetalProClient({ baseUrl, fetch: fetchWithCookies });
}

function rfqForm(email: string): Schema<"RFQRequest"> {
  const address = { street: "Str. Fabricii 12", city: "Cluj-Napoca", county: "Cluj", postalCode: "400001", country: "Romania" };
  return {
    companyName: "Construcții Oțel SRL", cui: "RO14399840", contactPerson: "Ana Popescu", email,
    phone: "+40 722 123 456", billingAddress: address, deliveryAddress: address, incoterm: "DAP",
    notes: "Descărcare cu macaraua.",
  };
}

async function findProduct(c: MetalProClient, q: string): Promise<Schema<"Product">> {
  const { data, error, response } = await c.api.GET("/api/products", { params: { query: { q, limit: 5 } } });
  assert.equal(response.status, 200, JSON.stringify(error));
  const first = data?.products[0];
  assert.ok(first, `a product for "${q}"`);
  return first;
}

/** The token of the newest verification email to `to`, read from the local sender's files. */
async function verificationToken(to: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (const name of (await readdir(mailDir)).filter((n) => n.endsWith(".eml") && n.includes("verify_email")).sort().reverse()) {
      const raw = await readFile(join(mailDir, name), "utf8");
      // quoted-printable: soft line breaks, then =XX escapes
      const text = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      if (!text.includes(`To: ${to}`) && !text.includes(`<${to}>`)) continue;
      const m = /verify-email\?token=([A-Za-z0-9_%-]+)/.exec(text);
      if (m) return decodeURIComponent(m[1]!);
    }
    assert.ok(Date.now() < deadline, `no verification email to ${to} in ${mailDir}`);
    await new Promise((r) => setTimeout(r, 100)); // the outbox worker sends within a moment
  }
}

test("guest: search, cart in m, kg and pcs, RFQ, read back", async () => {
  const guest = browser();
  const beam = await findProduct(guest, "IPE 200");
  for (const [quantity, unit] of [[6, "m"], [150, "kg"], [2, "pcs"]] as const) {
    const { response, error } = await guest.api.POST("/api/cart/items", { body: { productId: beam.id, quantity, unit } });
    assert.equal(response.status, 201, JSON.stringify(error));
  }
  const cart = (await guest.api.GET("/api/cart")).data!;
  assert.deepEqual(cart.items.map((i) => i.unit).sort(), ["kg", "m", "pcs"]);
  assert.ok(cart.estimatedTotal > 0);

  const sent = await guest.api.POST("/api/rfq", { body: rfqForm("oaspete@firma.ro"), headers: { "Idempotency-Key": crypto.randomUUID() } });
  assert.equal(sent.response.status, 201, JSON.stringify(sent.error));
  const rfq = sent.data!;
  assert.match(rfq.referenceNumber, /^RFQ-\d{4}-\d{5}$/);

  const back = await guest.api.GET("/api/rfq/{id}", { params: { path: { id: rfq.id } } });
  assert.equal(back.response.status, 200);
  assert.equal(back.data!.referenceNumber, rfq.referenceNumber);
  assert.equal(back.data!.createdAt, rfq.createdAt, "one timestamp precision from write to read");
  assert.deepEqual(back.data!.items.map((i) => i.unit).sort(), ["kg", "m", "pcs"]);
  assert.equal((await guest.api.GET("/api/cart")).data!.items.length, 0, "the RFQ emptied the cart");
});

test("account: signup, verify by email, login, cart merge, RFQ list, refresh, logout", async () => {
  const email = `client-${Date.now()}@firma.ro`;
  const password = "bare-de-otel-2026";
  const home = browser();
  const pipe = await findProduct(home, "teava 40x40x3");
  assert.equal((await home.api.POST("/api/cart/items", { body: { productId: pipe.id, quantity: 12, unit: "m" } })).response.status, 201);
  const guestRfq = (await home.api.POST("/api/rfq", { body: rfqForm(email) })).data!;

  const signup = await home.api.POST("/api/auth/signup", { body: { email, password, name: "Ana Popescu", role: "INDIVIDUAL" } });
  assert.equal(signup.response.status, 201, JSON.stringify(signup.error));
  assert.ok(home.tokens.get(), "signup stores the tokens");
  const verified = await home.api.POST("/api/auth/verify-email", { body: { token: await verificationToken(email) } });
  assert.equal(verified.response.status, 200, JSON.stringify(verified.error));
  assert.equal(verified.data!.user.emailVerified, true);

  // Another browser: a guest cart there joins the account at login.
  const office = browser();
  assert.equal((await office.api.POST("/api/cart/items", { body: { productId: pipe.id, quantity: 3, unit: "m" } })).response.status, 201);
  const login = await office.api.POST("/api/auth/login", { body: { email, password } });
  assert.equal(login.response.status, 200, JSON.stringify(login.error));
  const merged = (await office.api.GET("/api/cart")).data!;
  assert.equal(merged.items.length, 1);
  assert.equal(merged.items[0]!.quantity, 3);

  const list = await office.api.GET("/api/rfq", { params: { query: { page: 1, limit: 10 } } });
  assert.equal(list.response.status, 200);
  assert.deepEqual(list.data!.rfqs.map((r) => r.referenceNumber), [guestRfq.referenceNumber], "the guest RFQ joined the account");

  // An access token the server refuses: the client refreshes once and repeats the call.
  const before = office.tokens.get()!;
  office.tokens.set({ ...before, accessToken: "not-a-token" });
  const me = await office.api.GET("/api/users/me");
  assert.equal(me.response.status, 200, JSON.stringify(me.error));
  assert.equal(me.data!.email, email);
  assert.notEqual(office.tokens.get()!.refreshToken, before.refreshToken, "the refresh rotated the pair");

  assert.equal((await office.api.POST("/api/auth/logout")).response.status, 204);
  assert.equal(office.tokens.get(), null, "logout forgets the tokens");
  const after = await office.api.GET("/api/users/me");
  assert.equal(after.response.status, 401);
});
