import * as fs from "node:fs";
import { resourceTypes } from "../../provider/runtime";
import {
    BEGIN_MARKER,
    defaultText,
    documentedDefault,
    END_MARKER,
    generateReference,
    README,
    registeredResources,
    withReference,
    type ResourceFacts,
} from "../../scripts/reference";

/**
 * README.md's reference section is generated from the code (scripts/reference.ts, `npm run docs`):
 * it must be exactly what the generator makes of the current declarations and definitions.
 */

function section(markdown: string): string {
    const begin = markdown.indexOf(BEGIN_MARKER);
    const end = markdown.indexOf(END_MARKER);
    return markdown.slice(begin + BEGIN_MARKER.length, end).trim();
}

function voicetelFacts(): ResourceFacts {
    const facts = registeredResources().find((resource) => resource.typeToken === "voicetel:AccountGateway");
    if (facts === undefined) throw new Error("voicetel:AccountGateway is not registered");
    return facts;
}

describe("README.md's reference", () => {
    it("is what scripts/reference.ts generates from the code (run `npm run docs`)", () => {
        const readme = fs.readFileSync(README, "utf8");
        expect(section(readme)).toEqual(section(withReference(readme, generateReference())));
    });

    it("covers every resource type the runtime registers", () => {
        const covered = registeredResources().map((resource) => resource.typeToken);
        expect([...covered].sort()).toEqual([...resourceTypes()].sort());
    });
});

describe("the reference generator", () => {
    it("takes replace-on-change, secret and defaults from the definitions, not from prose", () => {
        const facts = voicetelFacts();
        const changed: ResourceFacts = {
            ...facts,
            replaceOnChanges: [...facts.replaceOnChanges, "port"],
            secretInputs: ["host"],
            schemaDefault: (input) => (input === "port" ? { value: 5060 } : undefined),
        };
        const reference = generateReference([changed]);
        expect(reference).toContain("- `port` (`number`, default `5060`, **replaces on change**):");
        expect(reference).toContain("- `host` (`string`, required, **secret**):");
        // The schema no longer defaults it, so the documented default is shown as written.
        expect(reference).toContain("- `hostResolvesLater` (`boolean`, default `false`):");
    });

    it("refuses a definition that names an input the Args do not have", () => {
        const facts: ResourceFacts = { ...voicetelFacts(), secretInputs: ["apiKey"] };
        expect(() => generateReference([facts])).toThrow(/voicetel:AccountGateway secretInputs names no input apiKey/);
    });

    it("reads the documented default of a JSDoc text", () => {
        expect(documentedDefault("The connection. Default: `default`. Its API key comes from config.")).toEqual({
            value: "`default`",
            rest: "The connection. Its API key comes from config.",
        });
        expect(documentedDefault("SIP port. Default: 5060 (what the API means by `port: null`).").value).toBe(
            "5060 (what the API means by `port: null`)",
        );
        expect(documentedDefault("Re-registration interval. Default 600.").value).toBe("600");
        expect(documentedDefault("SIP transport: `UDP` (default), `TCP`.").value).toBe("`UDP`");
        expect(documentedDefault("Host name of the gateway.").value).toBeUndefined();
    });

    it("refuses a JSDoc default that contradicts the input schema's", () => {
        expect(() => defaultText("x.port", "SIP port. Default: 5061.", { value: 5060 }, false)).toThrow(
            /x\.port: the JSDoc says "Default: 5061" but the input schema fills in 5060/,
        );
        expect(defaultText("x.port", "SIP port. Default: 5060.", { value: 5060 }, false)).toEqual({
            text: "`5060`",
            doc: "SIP port.",
        });
    });

    it("needs both markers in README.md, once each", () => {
        expect(() => withReference("# README\n", "generated\n")).toThrow(/needs the markers/);
        const twice = `${BEGIN_MARKER}\n${END_MARKER}\n${BEGIN_MARKER}\n${END_MARKER}\n`;
        expect(() => withReference(twice, "generated\n")).toThrow(/needs the markers/);
        expect(withReference(`a\n${BEGIN_MARKER}\nold\n${END_MARKER}\nb\n`, "new\n")).toBe(
            `a\n${BEGIN_MARKER}\n\nnew\n\n${END_MARKER}\nb\n`,
        );
    });
});
