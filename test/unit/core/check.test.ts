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
    it("returns canonical inputs: defaults filled, host lower-cased, __provider dropped", async () => {
        const outcome = await checkInputs(schema(), { name: "a", host: "SIP.Example.COM", __provider: "code" }, []);
        expect(outcome).toEqual({ inputs: { name: "a", host: "sip.example.com", port: 5060 }, failures: [] });
    });

    it("reports every failure against its top-level property, the reason naming only what is below it", async () => {
        const outcome = await checkInputs(
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

    it("says a missing required property is required", async () => {
        expect((await checkInputs(schema(), { host: "x.example.com" }, [])).failures).toEqual([
            { property: "name", reason: "is required" },
        ]);
    });

    it("reports an unknown property against no property, so a misspelt secret is not printed", async () => {
        expect((await checkInputs(schema(), { name: "a", host: "h.example.com", hots: "typo" }, [])).failures).toEqual([
            { property: "", reason: "hots: unknown property" },
        ]);
    });

    it("reports a failing secret against no property so the engine cannot print its value", async () => {
        const outcome = await checkInputs(schema(), { name: "a", host: "h.example.com", password: "short" }, [
            "password",
        ]);
        expect(outcome.failures).toEqual([{ property: "", reason: "password: must be at least 8 characters" }]);
    });

    it("tolerates unknown values during preview and still canonicalizes the known ones", async () => {
        const outcome = await checkInputs(schema(), { name: UNKNOWN, host: "H.EXAMPLE.COM", port: UNKNOWN }, []);
        expect(outcome).toEqual({ inputs: { name: UNKNOWN, host: "h.example.com", port: UNKNOWN }, failures: [] });
    });

    it("fills defaults of left-out properties while another value is unknown", async () => {
        const outcome = await checkInputs(schema(), { name: UNKNOWN, host: "h.example.com" }, []);
        expect(outcome).toEqual({ inputs: { name: UNKNOWN, host: "h.example.com", port: 5060 }, failures: [] });
    });

    it("names an unknown key inside a nested object by its path below the property", async () => {
        const nested = z.strictObject({ dod: z.array(z.strictObject({ number: z.string() })) });
        expect((await checkInputs(nested, { dod: [{ number: "1", extension: "x" }] }, [])).failures).toEqual([
            { property: "dod", reason: "[0].extension: unknown property" },
        ]);
    });

    it("still reports failures of known values next to unknown ones", async () => {
        const outcome = await checkInputs(schema(), { name: UNKNOWN, host: "h.example.com", port: 0 }, []);
        expect(outcome.failures).toEqual([{ property: "port", reason: "must be between 1 and 65535" }]);
    });

    it("awaits asynchronous refinements (rules that need I/O) and reports them against their property", async () => {
        const withLookup = schema().superRefine(async (value, ctx) => {
            const known = await Promise.resolve(value.host !== "gone.example.com");
            if (!known) ctx.addIssue({ code: "custom", path: ["host"], message: "does not resolve" });
        });
        expect((await checkInputs(withLookup, { name: "a", host: "Gone.Example.COM" }, [])).failures).toEqual([
            { property: "host", reason: "does not resolve" },
        ]);
        expect(await checkInputs(withLookup, { name: "a", host: "h.example.com" }, [])).toEqual({
            inputs: { name: "a", host: "h.example.com", port: 5060 },
            failures: [],
        });
    });

    it("tolerates an unknown element inside a list", async () => {
        const outcome = await checkInputs(schema(), { name: "a", host: "h.example.com", tags: ["x", UNKNOWN] }, []);
        expect(outcome.failures).toEqual([]);
        expect(outcome.inputs["tags"]).toEqual(["x", UNKNOWN]);
    });
});
