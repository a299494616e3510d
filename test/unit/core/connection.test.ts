import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { backoffDelayMs } from "../../../provider/core/backoff";
import { setStackConfig } from "../../../provider/core/config";
import { connectionRequest, declareConnections, type Endpoint } from "../../../provider/core/connection";
import { errorBodyReader } from "../../../provider/core/error-body";
import { VendorApiError } from "../../../provider/core/errors";
import { canonicalHost } from "../../../provider/core/validators";

/** The one connection model: a declaration, the settings it reads, the request wrapper, the error-body reader. */

const ACME = declareConnections({
    namespace: "acme",
    envPrefix: "ACME",
    vendor: "Acme",
    fields: { apiKey: { secret: true }, region: {}, baseUrl: { optional: true } },
    baseUrlField: "baseUrl",
    defaultBaseUrl: "https://api.acme.example/",
    credentialFields: ["apiKey"],
    identityFields: ["apiKey"],
    tuningDefaults: { maxConcurrency: 1 },
});

function withConfig(values: Record<string, string>): void {
    setStackConfig({ get: (key) => values[key] });
}

afterEach(() => {
    setStackConfig(undefined);
});

describe("a declared connection's settings", () => {
    it("reads the named keys, and the short keys for the default connection", () => {
        withConfig({
            "acme:apiKey": "default-key",
            "acme:region": "eu",
            "acme:east.apiKey": "east-key",
            "acme:east.region": "us",
            "acme:east.baseUrl": "https://east.acme.example//",
        });
        const east = ACME.resolve("east");
        expect(east.values).toEqual({ apiKey: "east-key", region: "us", baseUrl: "https://east.acme.example//" });
        expect(east.baseUrl).toBe("https://east.acme.example");
        expect(east.baseUrlSetting).toBe("acme:east.baseUrl");
        expect(ACME.resolve("default").values.apiKey).toBe("default-key");
        expect(ACME.resolve("default").baseUrl).toBe("https://api.acme.example");
    });

    it("falls back to the environment, named by the connection in upper snake case", () => {
        process.env["ACME_WEST_COAST_API_KEY"] = "env-key";
        process.env["ACME_WEST_COAST_REGION"] = "us";
        try {
            expect(ACME.resolve("westCoast").values.apiKey).toBe("env-key");
        } finally {
            delete process.env["ACME_WEST_COAST_API_KEY"];
            delete process.env["ACME_WEST_COAST_REGION"];
        }
    });

    it("names the missing setting the way the user sets it: the short key for the default connection", () => {
        withConfig({ "acme:region": "eu" });
        expect(() => ACME.resolve("default")).toThrow(
            "Acme: missing setting acme:apiKey: run `pulumi config set --secret acme:apiKey <value>` or set the ACME_API_KEY environment variable",
        );
        expect(() => ACME.resolve("east")).toThrow(
            "Acme: missing setting acme:east.apiKey: run `pulumi config set --secret acme:east.apiKey <value>` or set the ACME_EAST_API_KEY environment variable",
        );
    });

    it("keys one account by its base URL and a digest of its identity, never the secret itself", () => {
        withConfig({
            "acme:apiKey": "same-key",
            "acme:region": "eu",
            "acme:alias.apiKey": "same-key",
            "acme:alias.region": "us",
            "acme:other.apiKey": "other-key",
            "acme:other.region": "eu",
        });
        const account = ACME.resolve("default").account;
        expect(account).toMatch(/^https:\/\/api\.acme\.example#[0-9a-f]{16}$/);
        expect(account).not.toContain("same-key");
        expect(ACME.resolve("alias").account).toBe(account);
        expect(ACME.resolve("other").account).not.toBe(account);
    });

    it("reads the tuning once with the settings, with the vendor's own defaults", () => {
        withConfig({ "acme:apiKey": "k", "acme:region": "eu", "acme:maxRetries": "2" });
        expect(ACME.resolve("default").tuning).toMatchObject({ maxRetries: 2, maxConcurrency: 1 });
    });

    it("advises the credential keys of the connection", () => {
        expect(ACME.credentialAdvice("default")).toBe("check acme:apiKey; not retried");
        expect(ACME.credentialAdvice("east")).toBe("check acme:east.apiKey; not retried");
    });

    it("refuses a connection name that cannot name keys, with one message for every vendor", () => {
        const result = ACME.nameSchema().safeParse("east pbx");
        expect(result.success).toBe(false);
        expect(result.error?.issues[0]?.message).toBe(
            "must start with a letter and hold only letters, digits, '-' or '_', at most 63 (it names stack config keys acme:<connection>.apiKey, ...)",
        );
        expect(ACME.nameSchema().parse(undefined)).toBe("default");
    });
});

describe("errorBodyReader", () => {
    const jsonApi = errorBodyReader({ itemsAt: "errors", message: ["detail", "title"], code: ["code"] });

    it("joins the items' messages and takes the first code", () => {
        const body = JSON.stringify({
            errors: [
                { title: "bad", code: "E1" },
                { detail: "worse", title: "x" },
            ],
        });
        expect(jsonApi(422, body)).toEqual({ message: "bad; worse", code: "E1" });
    });

    it("falls back to an excerpt when the body is not structured as declared", () => {
        expect(jsonApi(502, "<html>Bad Gateway</html>")).toEqual({ message: "<html>Bad Gateway</html>" });
        expect(jsonApi(500, '{"unexpected":true}')).toEqual({ message: '{"unexpected":true}' });
        expect(errorBodyReader({})(500, '{"message":"never read"}')).toEqual({ message: '{"message":"never read"}' });
    });

    it("keeps a code without a message, and lets the format tell the kind", () => {
        const reader = errorBodyReader({
            message: ["msg"],
            code: ["err_code"],
            kind: (_status, description) => (description.code === "AUTH" ? "Auth" : undefined),
        });
        expect(reader(400, '{"err_code":"AUTH"}')).toEqual({
            code: "AUTH",
            message: '{"err_code":"AUTH"}',
            kind: "Auth",
        });
    });
});

describe("connectionRequest", () => {
    let server: http.Server;
    let baseUrl: string;
    const seen: { headers: http.IncomingHttpHeaders; body: string; url: string }[] = [];

    beforeAll(async () => {
        server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (chunk: Buffer) => {
                body += chunk.toString();
            });
            req.on("end", () => {
                seen.push({ headers: req.headers, body, url: req.url ?? "" });
                res.writeHead(req.url?.startsWith("/conflict") === true ? 409 : 200);
                res.end('{"message":"taken"}');
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) =>
            server.close(() => {
                resolve();
            }),
        );
    });

    function endpoint(): Endpoint {
        return {
            vendor: "Acme",
            baseUrl,
            tuning: { requestTimeoutMs: 2000, maxRetries: 0, retryBaseDelayMs: 1, maxConcurrency: 4 },
            describeError: errorBodyReader({ message: ["message"] }),
            shape: (body) => ({
                headers: { Authorization: "Bearer k", "Content-Type": "application/json" },
                body: JSON.stringify({ apikey: "k", ...(body as object | undefined) }),
                params: { format: "json" },
            }),
        };
    }

    it("sends what the endpoint shapes with the call's own path and parameters", async () => {
        seen.length = 0;
        const status = await connectionRequest(endpoint(), {
            operation: "list things",
            method: "POST",
            path: "/things",
            params: { page: "1" },
            body: { name: "a" },
            idempotent: true,
            parse: (_body, answered) => answered,
        });
        expect(status).toBe(200);
        expect(seen[0]?.url).toBe("/things?page=1&format=json");
        expect(seen[0]?.headers["authorization"]).toBe("Bearer k");
        expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ apikey: "k", name: "a" });
    });

    it("reads an expected non-2xx answer as the call's value, and throws the others", async () => {
        const call = {
            operation: "add thing",
            method: "POST" as const,
            path: "/conflict",
            idempotent: false,
            parse: () => "added",
        };
        await expect(
            connectionRequest(endpoint(), {
                ...call,
                parseError: (status, body, error) => `${status} ${body} ${error.kind}`,
            }),
        ).resolves.toBe('409 {"message":"taken"} Conflict');
        const refused = await connectionRequest(endpoint(), { ...call, parseError: () => undefined }).catch(
            (error: unknown) => error,
        );
        expect(VendorApiError.isInstance(refused, "Conflict")).toBe(true);
        expect((refused as Error).message).toContain("taken");
    });
});

describe("shared helpers", () => {
    it("backs off exponentially with at most 20% jitter", () => {
        for (const doublings of [0, 1, 4]) {
            const delay = backoffDelayMs(100, doublings);
            expect(delay).toBeGreaterThanOrEqual(100 * 2 ** doublings);
            expect(delay).toBeLessThan(120 * 2 ** doublings);
        }
    });

    it("canonicalizes host names, never IP addresses", () => {
        expect(canonicalHost("SIP.Example.COM.")).toBe("sip.example.com");
        expect(canonicalHost("2001:DB8::1")).toBe("2001:DB8::1");
        expect(canonicalHost("192.0.2.1")).toBe("192.0.2.1");
    });
});
