import { z } from "zod";
import { checkInputs } from "../../../provider/core/check";
import { UNKNOWN } from "../../../provider/core/unknowns";
import { hostSchema, portSchema } from "../../../provider/core/validators";

function schema() {
    return z
        .strictObject({
            name: z.string().min(1, "must not be empty"),
            host: hostSchema(),
            port: portSchema().default(5060),
            password: z.string().min(8, "must be at least 8 characters").optional(),
            tags: z.array(z.string().min(1, "must not be empty")).optional(),
        })
        .refine((value) => value.name !== value.host, { path: ["name"], message: "must differ from host" });
}

describe("checkInputs", () => {
    it("returns canonical inputs: defaults filled, host lower-cased, __provider dropped", () => {
        const outcome = checkInputs(schema(), { name: "a", host: "SIP.Example.COM", __provider: "code" }, []);
        expect(outcome).toEqual({ inputs: { name: "a", host: "sip.example.com", port: 5060 }, failures: [] });
    });

    it("reports every failure against its top-level property, the reason naming only what is below it", () => {
        const outcome = checkInputs(
            schema(),
            { name: "", host: "sip:x.example.com", port: 70000, tags: ["ok", ""] },
            [],
        );
        expect(outcome.failures).toEqual([
            { property: "name", reason: "must not be empty" },
            { property: "host", reason: 'must be a bare host without a scheme (got "sip:x.example.com")' },
            { property: "port", reason: "must be between 1 and 65535" },
            { property: "tags", reason: "[1]: must not be empty" },
        ]);
    });

    it("says a missing required property is required", () => {
        expect(checkInputs(schema(), { host: "x.example.com" }, []).failures).toEqual([
            { property: "name", reason: "is required" },
        ]);
    });

    it("reports an unknown property against no property, so a misspelt secret is not printed", () => {
        expect(checkInputs(schema(), { name: "a", host: "h.example.com", hots: "typo" }, []).failures).toEqual([
            { property: "", reason: "hots: unknown property" },
        ]);
    });

    it("reports a failing secret against no property so the engine cannot print its value", () => {
        const outcome = checkInputs(schema(), { name: "a", host: "h.example.com", password: "short" }, ["password"]);
        expect(outcome.failures).toEqual([{ property: "", reason: "password: must be at least 8 characters" }]);
    });

    it("tolerates unknown values during preview and still canonicalizes the known ones", () => {
        const outcome = checkInputs(schema(), { name: UNKNOWN, host: "H.EXAMPLE.COM", port: UNKNOWN }, []);
        expect(outcome).toEqual({ inputs: { name: UNKNOWN, host: "h.example.com", port: UNKNOWN }, failures: [] });
    });

    it("fills defaults of left-out properties while another value is unknown", () => {
        const outcome = checkInputs(schema(), { name: UNKNOWN, host: "h.example.com" }, []);
        expect(outcome).toEqual({ inputs: { name: UNKNOWN, host: "h.example.com", port: 5060 }, failures: [] });
    });

    it("names an unknown key inside a nested object by its path below the property", () => {
        const nested = z.strictObject({ dod: z.array(z.strictObject({ number: z.string() })) });
        expect(checkInputs(nested, { dod: [{ number: "1", extension: "x" }] }, []).failures).toEqual([
            { property: "dod", reason: "[0].extension: unknown property" },
        ]);
    });

    it("still reports failures of known values next to unknown ones", () => {
        const outcome = checkInputs(schema(), { name: UNKNOWN, host: "h.example.com", port: 0 }, []);
        expect(outcome.failures).toEqual([{ property: "port", reason: "must be between 1 and 65535" }]);
    });

    it("tolerates an unknown element inside a list", () => {
        const outcome = checkInputs(schema(), { name: "a", host: "h.example.com", tags: ["x", UNKNOWN] }, []);
        expect(outcome.failures).toEqual([]);
        expect(outcome.inputs["tags"]).toEqual(["x", UNKNOWN]);
    });
});
