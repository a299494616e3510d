import { VendorApiError } from "../../../provider/core/errors";
import { clearRegisteredSecrets, redact, registerSecret } from "../../../provider/core/redact";

describe("redact", () => {
    afterEach(clearRegisteredSecrets);

    it("removes registered secrets in plain, URL-encoded and base64 form", () => {
        registerSecret("p@ss word!");
        const text = `a p@ss word! b ${encodeURIComponent("p@ss word!")} c ${Buffer.from("p@ss word!").toString("base64")}`;
        expect(redact(text)).toBe("a [REDACTED] b [REDACTED] c [REDACTED]");
    });

    it("removes credential fields and auth headers whatever their value", () => {
        expect(redact("GET /api?token=abc123&x=1")).toBe("GET /api?token=[REDACTED]&x=1");
        expect(redact('{"api_key":"k-1","password": "pw"}')).toBe('{"api_key":"[REDACTED]","password": "[REDACTED]"}');
        expect(redact("Authorization: Bearer eyJhbGciOi.x.y")).toBe("Authorization: Bearer [REDACTED]");
        expect(redact("<password>pw1</password>")).toBe("<password>[REDACTED]</password>");
    });

    it("keeps secrets out of vendor error messages", () => {
        registerSecret("canary-secret-1");
        const error = new VendorApiError({
            kind: "Validation",
            vendor: "acme",
            operation: "create trunk",
            object: "t1",
            status: 422,
            vendorCode: "100",
            vendorMessage: "password canary-secret-1 is too weak",
        });
        expect(error.message).toBe(
            'acme: create trunk "t1" failed (HTTP 422, code 100): password [REDACTED] is too weak',
        );
        expect(error.retryable).toBe(false);
    });
});
