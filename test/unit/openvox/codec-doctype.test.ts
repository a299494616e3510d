import { decodeBody } from "../../../provider/vendors/openvox/codec";

/**
 * XML answers with a DOCTYPE or entity declarations are refused before parsing: the PBX never
 * sends them, and entity expansion is how a hostile or broken answer grows without bound or pulls
 * in text that was never in the body.
 */

const FIELDS = "<xml><status>Success</status><trunks><item><id>&e;</id></item></trunks></xml>";

describe("OpenVox XML answers with declarations", () => {
    it.each([
        ["a DOCTYPE", `<?xml version="1.0"?><!DOCTYPE xml>${FIELDS.replace("&e;", "1")}`],
        ["an internal entity", `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e "1">]>${FIELDS}`],
        [
            "nested entities (billion laughs)",
            `<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY e "&b;&b;&b;&b;&b;">]>${FIELDS}`,
        ],
        ["an external entity", `<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>${FIELDS}`],
        ["a lower-case doctype after a comment", `<!-- x --><!doctype xml>${FIELDS.replace("&e;", "1")}`],
        ["an entity declaration without a DOCTYPE", `<!ENTITY e "1">${FIELDS}`],
    ])("refuses %s", (_what, body) => {
        expect(() => decodeBody("xml", body)).toThrow(
            "the answer declares a DOCTYPE or entities, which the PBX never sends; refused unparsed",
        );
    });

    it("still reads a plain answer, and a value that merely mentions DOCTYPE as escaped text", () => {
        expect(decodeBody("xml", "<xml><status>Success</status><note>&lt;!DOCTYPE x&gt;</note></xml>")).toEqual({
            status: "Success",
            note: "<!DOCTYPE x>",
        });
    });
});
