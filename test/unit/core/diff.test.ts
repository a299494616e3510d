import { diffInputs, sameValue } from "../../../provider/core/diff";
import { UNKNOWN } from "../../../provider/core/unknowns";

const rules = {
    inputKeys: ["customerId", "name", "port", "codecs", "rule"],
    replaceOnChanges: ["customerId"],
    vendorDefaulted: ["codecs"],
};

describe("diffInputs", () => {
    const olds = { customerId: "c1", name: "a", port: 5060, codecs: ["PCMU"], operator: true };

    it("sees no change when only outputs differ", () => {
        expect(
            diffInputs(
                rules,
                { ...olds, operator: false },
                { customerId: "c1", name: "a", port: 5060, codecs: ["PCMU"] },
            ),
        ).toEqual({
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
            changed: [],
        });
    });

    it("updates in place for ordinary properties", () => {
        expect(diffInputs(rules, olds, { ...olds, port: 5080 })).toMatchObject({
            changes: true,
            replaces: [],
            changed: ["port"],
        });
    });

    it("replaces for replace-on-change properties, delete-first only when the rules ask", () => {
        expect(diffInputs(rules, olds, { ...olds, customerId: "c2" })).toMatchObject({
            replaces: ["customerId"],
            deleteBeforeReplace: false,
        });
        expect(
            diffInputs({ ...rules, deleteBeforeReplace: true }, olds, { ...olds, customerId: "c2" })
                .deleteBeforeReplace,
        ).toBe(true);
    });

    it("does not manage vendor-defaulted properties the program leaves out", () => {
        const { codecs: _codecs, ...news } = olds;
        expect(diffInputs(rules, olds, news).changes).toBe(false);
    });

    it("treats an absent optional property and null alike, but a removed value as a change", () => {
        expect(diffInputs(rules, { ...olds, rule: null }, olds).changes).toBe(false);
        expect(diffInputs(rules, { ...olds, rule: "^1" }, olds)).toMatchObject({ changes: true, changed: ["rule"] });
    });

    it("counts an unknown value as a change (and a replace when the property replaces)", () => {
        expect(diffInputs(rules, olds, { ...olds, customerId: UNKNOWN })).toMatchObject({
            changes: true,
            replaces: ["customerId"],
        });
    });

    it("keeps list order significant (codec order is priority)", () => {
        expect(sameValue(["PCMU", "PCMA"], ["PCMA", "PCMU"])).toBe(false);
        expect(sameValue({ a: [1, { b: null }] }, { a: [1, {}] })).toBe(true);
    });
});
