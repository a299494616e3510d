import { VendorApiError } from "../../../provider/core/errors";
import {
    basicAuthorization,
    clearRegisteredSecrets,
    redact,
    redactedExcerpt,
    registerBasicCredential,
    registerSecret,
} from "../../../provider/core/redact";

/** A canary with every character an encoder treats specially: space, quotes, &, <, >, /, \, %, + and non-ASCII. */
const CANARY = `cAn4ry p&ss <"x'> /\\ %+ é€😀 end`;

function xmlEscape(text: string, quoteStyle: "named" | "numeric"): string {
    const quotes: Record<string, string> =
        quoteStyle === "named" ? { '"': "&quot;", "'": "&apos;" } : { '"': "&#34;", "'": "&#x27;" };
    return text
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/["']/g, (q) => quotes[q]!);
}

/** No fragment of the secret longer than 3 characters survives (what a cut or partial mask would leak). */
function expectNoFragment(text: string, secret: string): void {
    for (let start = 0; start + 4 <= secret.length; start++) {
        expect(text).not.toContain(secret.slice(start, start + 4));
    }
}

describe("redact: registered secrets in every encoding", () => {
    beforeEach(() => {
        registerSecret(CANARY);
    });
    afterEach(clearRegisteredSecrets);

    const encodings: Record<string, (secret: string) => string> = {
        raw: (s) => s,
        "JSON string": (s) => JSON.stringify(s).slice(1, -1),
        "JSON with escaped slashes and \\u escapes (PHP json_encode)": (s) =>
            JSON.stringify(s)
                .slice(1, -1)
                .replace(/\//g, "\\/")
                .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
        "XML with named entities": (s) => xmlEscape(s, "named"),
        "XML with numeric references": (s) => xmlEscape(s, "numeric"),
        "XML with every character as a hexadecimal reference": (s) =>
            Array.from(s, (c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`).join(""),
        encodeURIComponent: (s) => encodeURIComponent(s),
        "form encoding (+ for space)": (s) => new URLSearchParams({ v: s }).toString().slice(2),
        "lowercase percent-encoding": (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
        base64: (s) => Buffer.from(s).toString("base64"),
        "base64 without padding": (s) => Buffer.from(s).toString("base64").replace(/=+$/, ""),
        base64url: (s) => Buffer.from(s).toString("base64url"),
    };

    it.each(Object.entries(encodings))("masks the %s form", (_name, encode) => {
        const encoded = encode(CANARY);
        const text = `before ${encoded} after`;
        expect(redact(text)).toBe("before [REDACTED] after");
    });

    it("masks a secret embedded in a JSON body, an XML body and a URL", () => {
        const json = JSON.stringify({ name: "t1", description: CANARY });
        expect(redact(json)).toBe('{"name":"t1","description":"[REDACTED]"}');
        const xml = `<trunk><note>${xmlEscape(CANARY, "named")}</note></trunk>`;
        expect(redact(xml)).toBe("<trunk><note>[REDACTED]</note></trunk>");
        const url = `https://pbx.example/api?x=1&note=${encodeURIComponent(CANARY)}&y=2`;
        expect(redact(url)).toBe("https://pbx.example/api?x=1&note=[REDACTED]&y=2");
    });

    it("keeps secrets out of a vendor error that echoes the request body", () => {
        const error = new VendorApiError({
            kind: "Validation",
            vendor: "acme",
            operation: "create trunk",
            status: 422,
            vendorMessage: `invalid body ${JSON.stringify({ data: { note: CANARY } })}`,
        });
        expectNoFragment(error.message, CANARY);
    });
});

describe("redact: HTTP Basic credentials", () => {
    afterEach(clearRegisteredSecrets);

    it("masks base64(user:password) once the pair is registered", () => {
        const header = Buffer.from("operator-7:canary-basic-pw").toString("base64");
        registerBasicCredential("operator-7", "canary-basic-pw");
        expect(redact(`sent credentials ${header} twice`)).toBe("sent credentials [REDACTED] twice");
        expect(redact("canary-basic-pw")).toBe("[REDACTED]");
    });

    it("builds the Authorization header value and registers what it contains", () => {
        const header = basicAuthorization("operator-8", "canary-basic-pw2");
        expect(header).toBe(`Basic ${Buffer.from("operator-8:canary-basic-pw2").toString("base64")}`);
        expect(redact(`echo: ${header.slice("Basic ".length)}`)).toBe("echo: [REDACTED]");
    });
});

describe("redact: short secrets", () => {
    afterEach(clearRegisteredSecrets);

    it("masks a 1-3 character secret where it stands as a whole value", () => {
        registerSecret("x7");
        expect(redact('{"authId":"x7","name":"box"}')).toBe('{"authId":"[REDACTED]","name":"box"}');
        expect(redact("<auth>x7</auth>")).toBe("<auth>[REDACTED]</auth>");
        expect(redact("a=1&auth=x7&b=2")).toBe("a=1&auth=[REDACTED]&b=2");
        expect(redact("auth: x7, user: u")).toBe("auth: [REDACTED], user: u");
        expect(redact('{"auth":"x\\u0037"}')).toBe('{"auth":"[REDACTED]"}');
    });

    it("leaves a short secret inside free text and other words alone", () => {
        registerSecret("ab");
        expect(redact("table absent: 'tab' stays")).toBe("table absent: 'tab' stays");
    });
});

describe("redact: credential fields whatever their value", () => {
    afterEach(clearRegisteredSecrets);

    const fieldNames = [
        "authorization_password",
        "authorizationPassword",
        "auth_password",
        "sip_password",
        "secret",
        "token",
        "access_token",
        "api_key",
        "apikey",
        "apiKey",
        "password",
        "passwd",
        "pass",
    ];

    it.each(fieldNames)("masks the whole quoted JSON value of %s", (field) => {
        const value = 'unregistered canary, with "quotes" and spaces';
        const text = JSON.stringify({ [field]: value, next: "kept" });
        expect(redact(text)).toBe(`{"${field}":"[REDACTED]","next":"kept"}`);
    });

    it.each(fieldNames)("masks the whole XML value of %s", (field) => {
        expect(redact(`<${field}>unregistered canary, a &amp; b</${field}><n>kept</n>`)).toBe(
            `<${field}>[REDACTED]</${field}><n>kept</n>`,
        );
    });

    it.each(fieldNames)("masks the whole query value of %s", (field) => {
        expect(redact(`/api?${field}=un+registered%20canary,x&next=kept`)).toBe(`/api?${field}=[REDACTED]&next=kept`);
    });

    it("masks single-quoted, spaced, escaped-JSON and CDATA values", () => {
        expect(redact("{'password': 'a b, c'}")).toBe("{'password': '[REDACTED]'}");
        expect(redact('{"password" : "a\\"b c", "x": 1}')).toBe('{"password" : "[REDACTED]", "x": 1}');
        const nested = JSON.stringify({ message: JSON.stringify({ sip_password: 'p "q" r', user: "u" }) });
        const redacted = redact(nested);
        expect(redacted).not.toContain('p \\\\\\"q');
        expect(redacted).toBe(JSON.stringify({ message: JSON.stringify({ sip_password: "[REDACTED]", user: "u" }) }));
        expect(redact("<password><![CDATA[a<b> c]]></password>")).toBe("<password>[REDACTED]</password>");
        expect(redact('<trunk password="a b, c" name="t">')).toBe('<trunk password="[REDACTED]" name="t">');
    });

    it("leaves names that merely contain a field name, empty values and null alone", () => {
        const text = '{"passport":"P1","tokens_used":3,"password":"","secret":null,"bypass":"y"}';
        expect(redact(text)).toBe(text);
        const advice =
            "missing setting openvox:east.password: run `pulumi config set --secret openvox:east.password <value>`";
        expect(redact(advice)).toBe(advice);
    });

    it("masks auth headers", () => {
        expect(redact("Authorization: Bearer eyJhbGciOi.x.y")).toBe("Authorization: Bearer [REDACTED]");
        expect(redact('Authorization: Digest username="u", response="abc"\nnext')).toBe(
            "Authorization: Digest [REDACTED]\nnext",
        );
        expect(redact('{"Authorization":"Basic dTpw","x":1}')).toBe('{"Authorization":"Basic [REDACTED]","x":1}');
    });
});

describe("redactedExcerpt", () => {
    afterEach(clearRegisteredSecrets);

    it("redacts before it cuts, so the head of a cut secret never shows", () => {
        const secret = "canary-long-secret-value-0123456789";
        registerSecret(secret);
        const body = `${"x".repeat(190)} ${secret} tail`;
        const excerpt = redactedExcerpt(body, 200)!;
        expectNoFragment(excerpt, secret);
        expect(excerpt).toBe(`${"x".repeat(190)} [REDACTED]`);
    });

    it("masks an unregistered field value cut by the excerpt", () => {
        const body = `${"y".repeat(180)} {"password":"unregistered canary that runs past the cut"}`;
        const excerpt = redactedExcerpt(body, 200)!;
        expectNoFragment(excerpt, "unregistered canary that runs past the cut");
        // A cut never splits the marker: it may run past the limit by at most the marker's length.
        expect(excerpt.endsWith('{"password":"[REDACTED]')).toBe(true);
        expect(excerpt.length).toBeLessThanOrEqual(200 + "[REDACTED]".length);
    });

    it("trims, keeps short text whole and returns undefined for nothing", () => {
        expect(redactedExcerpt("  Bad Gateway \n")).toBe("Bad Gateway");
        expect(redactedExcerpt("z".repeat(300))).toHaveLength(200);
        expect(redactedExcerpt(" \n")).toBeUndefined();
    });
});
