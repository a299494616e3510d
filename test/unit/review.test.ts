import { UNKNOWN } from "../../provider/core/unknowns";
import { changedInputs, policyViolationsOfEventLog, reviewSummary } from "../../provider/review/summary";

/**
 * The review summary's edge cases that a single real preview does not reach; the summary of a real
 * `pulumi preview --json` is tested in test/e2e/policy.e2e.test.ts.
 */

const TRUNK = "pulumi-nodejs:dynamic/portsip:Trunk";
const urn = (type: string, name: string) => `urn:pulumi:dev::voip::${type}::${name}`;

describe("reviewSummary", () => {
    test("a preview without changes says so, and totals are zero", () => {
        const summary = reviewSummary({
            steps: [{ op: "same", urn: urn(TRUNK, "a"), newState: { type: TRUNK, inputs: { hostname: "x" } } }],
        });
        expect(summary).toContain("**Totals:** 0 to replace (outage) · 0 to create · 0 to update · 0 to delete");
        expect(summary).toContain("No changes.");
    });

    test("secret inputs are masked even when the JSON carries them in clear, unknown values are named", () => {
        const summary = reviewSummary({
            steps: [
                {
                    op: "update",
                    urn: urn(TRUNK, "a"),
                    oldState: { type: TRUNK, inputs: { password: "canary-old", hostname: "a.example.com" } },
                    newState: { type: TRUNK, inputs: { password: "canary-new", hostname: UNKNOWN } },
                },
            ],
        });
        expect(summary).not.toContain("canary");
        expect(summary).toContain("`password`: `[secret]` → `[secret]`");
        expect(summary).toContain('`hostname`: `"a.example.com"` → `(known after update)`');
    });

    test("resources of other packages are listed by type; the stack and providers are left out", () => {
        const summary = reviewSummary({
            steps: [
                { op: "create", urn: urn("aws:s3/bucket:Bucket", "logs"), newState: { type: "aws:s3/bucket:Bucket" } },
                {
                    op: "update",
                    urn: urn("pulumi:pulumi:Stack", "voip-dev"),
                    newState: { type: "pulumi:pulumi:Stack" },
                },
                {
                    op: "create",
                    urn: urn("pulumi:providers:pulumi-nodejs", "default"),
                    newState: { type: "pulumi:providers:pulumi-nodejs" },
                },
            ],
        });
        expect(summary).toContain("#### Other resources (`aws:s3/bucket:Bucket`)");
        expect(summary).toContain("0 to replace (outage) · 1 to create · 0 to update · 0 to delete");
    });

    test("pipes in messages do not break the table", () => {
        const summary = reviewSummary({ steps: [] }, [
            {
                resourceUrn: urn(TRUNK, "a"),
                message: "description\nuses a|b\n",
                policyName: "p",
                policyPackName: "pulumi-voip",
                enforcementLevel: "mandatory",
            },
        ]);
        expect(summary).toContain("| mandatory | `p` | `a` | uses a\\|b |");
        expect(summary).toContain("1 policy violation (1 mandatory)");
    });
});

describe("changedInputs", () => {
    test("compares values, not key order of objects' presence; engine keys are ignored", () => {
        expect(changedInputs({ a: 1, __provider: "x", b: [1] }, { a: 1, __provider: "y", b: [1, 2], c: true })).toEqual(
            ["b", "c"],
        );
    });
});

describe("policyViolationsOfEventLog", () => {
    test("takes the policy events of an event log and skips the others", () => {
        const log = [
            JSON.stringify({ sequence: 1, timestamp: 1, cancelEvent: {} }),
            JSON.stringify({
                sequence: 2,
                timestamp: 2,
                policyEvent: { message: "d\nm", policyName: "p", policyPackName: "x", enforcementLevel: "advisory" },
            }),
            "",
        ].join("\n");
        expect(policyViolationsOfEventLog(log).map((event) => event.policyName)).toEqual(["p"]);
    });
});
