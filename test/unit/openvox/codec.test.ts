import { decodeBody, encodeBody } from "../../../provider/vendors/openvox/codec";
import { describeErrno, explainErrno } from "../../../provider/vendors/openvox/errno";

const AWKWARD = { trunkname: "t-1", password: ` p&ss<w>rd"'\u00e9 ` };

describe("OpenVox body codec", () => {
    it("encodes JSON bodies as string-valued objects", () => {
        expect(encodeBody("json", { trunkname: "a", port: "5060" })).toBe('{"trunkname":"a","port":"5060"}');
    });

    it("encodes XML bodies as an <xml> document with escaped text, no string building", () => {
        expect(encodeBody("xml", { trunkname: "a&b", fromuser: "" })).toBe(
            '<?xml version="1.0" encoding="UTF-8"?><xml><trunkname>a&amp;b</trunkname><fromuser></fromuser></xml>',
        );
    });

    it.each(["json", "xml"] as const)("round-trips awkward values verbatim in %s", (format) => {
        // What the PBX would answer: the fields echoed back with a status.
        const answer =
            format === "json"
                ? JSON.stringify({ status: "Success", ...AWKWARD })
                : encodeBody("xml", { status: "Success", ...AWKWARD });
        expect(decodeBody(format, answer)).toEqual({ status: "Success", ...AWKWARD });
    });

    it("turns XML <item> wrappers into arrays, of any length, and drops indentation", () => {
        const many = `<?xml version="1.0" encoding="utf-8"?>
<xml>
    <status>Success</status>
    <trunks>
        <item id="0">
            <id>1</id>
            <port>05060</port>
        </item>
        <item id="1">
            <id>2</id>
        </item>
    </trunks>
</xml>`;
        expect(decodeBody("xml", many)).toEqual({
            status: "Success",
            trunks: [{ id: "1", port: "05060" }, { id: "2" }],
        });
        const one = '<xml><status>Success</status><trunks><item id="0"><id>1</id></item></trunks></xml>';
        expect(decodeBody("xml", one)).toEqual({ status: "Success", trunks: [{ id: "1" }] });
        expect(decodeBody("xml", "<xml><status>Success</status><trunks></trunks></xml>")).toEqual({
            status: "Success",
            trunks: "",
        });
    });

    it("reads failures in both formats, JSON numbers as strings", () => {
        expect(decodeBody("json", '{"status":"Failed","errno":30003}')).toEqual({ status: "Failed", errno: "30003" });
        expect(decodeBody("xml", "<xml><status>Failed</status><errno>20006</errno></xml>")).toEqual({
            status: "Failed",
            errno: "20006",
        });
    });

    it("says what is wrong with an unreadable answer", () => {
        expect(() => decodeBody("json", "<html>502</html>")).toThrow(
            'the answer is not JSON (starts with "<html>502</html>")',
        );
        expect(() => decodeBody("json", "")).toThrow("the answer is not JSON (empty body)");
        expect(() => decodeBody("json", "[1]")).toThrow("the JSON answer is not an object");
        expect(() => decodeBody("xml", "<html><body>502</body></html>")).toThrow(
            "the answer has no <xml> root element",
        );
        expect(() => decodeBody("xml", "<xml>text</xml>")).toThrow(
            "the <xml> root element holds text instead of fields",
        );
    });
});

describe("OpenVox errno meanings", () => {
    it("reads 30003 as bad credentials on login (OpenVox's own example) and as a server fault elsewhere", () => {
        expect(explainErrno("30003", "login")).toEqual({
            kind: "Auth",
            meaning: "login failed: wrong API username or password",
            source: "OpenVox",
        });
        expect(explainErrno("30003", "siptrunk/add").kind).toBe("Server");
        expect(describeErrno("30003", "login")).toBe("login failed: wrong API username or password");
    });

    it("maps token, lockout and throttling codes to the kinds the client acts on, naming the borrowed source", () => {
        expect(explainErrno("20006", "siptrunk/query").kind).toBe("Auth");
        expect(explainErrno("20004", "siptrunk/query").kind).toBe("Auth");
        expect(explainErrno("20002", "login").kind).toBe("Forbidden");
        expect(explainErrno("10025", "siptrunk/add").kind).toBe("RateLimited");
        expect(explainErrno("20007", "siptrunk/query").kind).toBe("NotFound");
        expect(describeErrno("10003", "siptrunk/add")).toBe(
            "unsupported API request: an unknown endpoint, field or value (Yeastar's meaning of this code)",
        );
    });

    it("says plainly when nobody documents a code", () => {
        expect(explainErrno("90001", "siptrunk/add")).toEqual({
            kind: "BadRequest",
            meaning: "an error code neither OpenVox nor Yeastar documents",
            source: "none",
        });
    });
});
